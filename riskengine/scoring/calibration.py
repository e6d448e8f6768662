"""Likelihood words calibrated on history: how often did what a brief judges come true?

A brief judges, for the overall score and each active dimension, whether the score is in its
current class or above next week (in the lowest class, whether it rises to "low" or above). Its
likelihood word is the ICD 203 band that holds the observed frequency of that outcome among
comparable cases in backtested history (``scoring.backtest``), never a rule of thumb:

* A *case* is one score (a stakeholder's overall score, or one of its dimensions that scored
  above 0 that week or the week before, as the brief judges them) in one week ``t`` with a
  known week before and after: judged at ``t``, it came true if the score at ``t + 1`` is in
  the judged class or above. Weeks in which the history has no event at all are not judged:
  a feed cannot tell a calm week from a gap in its coverage (the bundled sample has one event
  in 2024 and the rest from May 2025), and the week a brief judges has its events.
* Cases are *comparable* when they share a cell: the class at ``t`` and how the score reached it
  (``rose`` into it from a lower class, ``held`` it, ``fell`` into it from a higher one). Cells
  pool the stakeholders and the overall and dimension scores: they share one 0-10 scale and the
  same classes, and pooling is what gives a year of history enough cases.
* A judgment of week ``W`` counts the cases of the ``WINDOW_WEEKS`` weeks before ``W`` (judged at
  ``W - 52`` to ``W - 1``, so every outcome is known by ``W``): never a week from ``W`` on (no
  look-ahead), and not older history either, because conflicts change over years and a word
  should describe the present one.
* With fewer than ``MIN_CASES`` cases in the cell, or cases from fewer than ``MIN_WEEKS``
  different weeks (the cases of one week move together: one salvo lifts every score), the
  judgment is *uncalibrated* and says why instead of giving a word. 30 cases put a sampling
  error of at most 9 points on a frequency, the width of the narrow bands.

``evaluate`` scores the same procedure out of sample: every week of a history is judged from the
weeks before it only, as a brief would have been, and the words are compared with what happened
(reliability per band) and with persistence ("next week's class = this week's").
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from riskengine.core.errors import InputError, Issue, Location
from riskengine.core.events import Event
from riskengine.core.windows import Window, parse_week, week_of
from riskengine.ingest.event_files import ReadReport, stream_events
from riskengine.rules.ir import CompiledRuleSet
from riskengine.rules.loader import RulePack
from riskengine.scoring.backtest import BacktestResult, backtest_files, run_backtest
from riskengine.scoring.scores import CLASSES, classify

CALIBRATION_SCHEMA_VERSION = "1.3"
# 1.0 files (no score profiles) are still read: their words come from the cell frequencies;
# 1.1 files (profiles without the score's phase) from the model on margin and change alone;
# 1.2 files (profiles without the stakeholder and score they belong to) from the model alone,
# without the judged score's own record.
READABLE_SCHEMA_VERSIONS = ("1.0", "1.1", "1.2", "1.3")
CALIBRATION_KIND = "riskengine calibration"

WINDOW_WEEKS = 52
MIN_CASES = 30
MIN_WEEKS = 10
REACHED: tuple[str, ...] = ("rose", "held", "fell")
# Where a score sits is told in points, clipped: from 2 points (a whole class) on, distance no
# longer tells cases apart, and a change of 2 points or more is a jump whatever its size.
MAX_MARGIN = 2.0
MAX_CHANGE = 2.0
# Ridge penalty of the logistic model: with 19 coefficients and a few hundred cases a year it
# keeps a cell seen rarely from an extreme fit. Chosen on the development histories only
# (docs/CALIBRATION.md): 5 and 20 pulled the words toward even chance and missed more bands.
RIDGE = 1.0
# The score's phase, from its recent weeks: how many weeks running it has been in its class
# (counted up to RUN_WEEKS, a brief's default trend) and where it sits in the range of its last
# RANGE_WEEKS weeks. A score deep in a high class for months leaves it when the conflict's phase
# turns, which the last two weeks cannot see; chosen on the development histories only
# (docs/CALIBRATION.md: bands inside 44 of 54 -> 50 of 60, Brier lower on all twelve).
RUN_WEEKS = 12
RANGE_WEEKS = 8
# The model pools every stakeholder and score; the judged score's own record in its cell over the
# same weeks then moves its figure: (own came true + OWN_WEIGHT * model) / (own cases + OWN_WEIGHT),
# the model counting as many cases as a word needs. Chosen on the development histories only
# (docs/CALIBRATION.md, session 16: bands inside 52 of 60 -> 56 of 62, Brier lower on all twelve;
# 50 gave the same bands, 100 fewer, 5-20 more misses).
OWN_WEIGHT = 30
_WEEK_DAYS = 7


@dataclass(frozen=True)
class Band:
    """One ICD 203 word of estimative probability and its range."""

    word: str
    low: float
    high: float
    probability_range: str


# ICD 203's words, its only likelihood scale. A frequency earns the band whose lower end it
# reaches; the outer words also stand for below 1 % and above 99 %, which ICD 203 leaves unnamed
# (an analyst never writes "certain"), so 0/40 is "almost no chance" and 40/40 "almost certain".
ICD203_BANDS: tuple[Band, ...] = (
    Band("almost no chance", 0.01, 0.05, "1-5 %"),
    Band("very unlikely", 0.05, 0.20, "5-20 %"),
    Band("unlikely", 0.20, 0.45, "20-45 %"),
    Band("roughly even chance", 0.45, 0.55, "45-55 %"),
    Band("likely", 0.55, 0.80, "55-80 %"),
    Band("very likely", 0.80, 0.95, "80-95 %"),
    Band("almost certain", 0.95, 0.99, "95-99 %"),
)


def band_of(frequency: float) -> Band:
    """The band a frequency earns: the last whose lower end it reaches (the first below 5 %)."""
    chosen = ICD203_BANDS[0]
    for band in ICD203_BANDS[1:]:
        if frequency >= band.low:
            chosen = band
    return chosen


def inside(band: Band, frequency: float) -> bool:
    """Whether an observed frequency lies in a band (ends included; the outer bands reach 0 and 1)."""
    low = 0.0 if band is ICD203_BANDS[0] else band.low
    high = 1.0 if band is ICD203_BANDS[-1] else band.high
    return low <= frequency <= high


def wilson(came_true: int, cases: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson 95 % interval of a frequency: how far sampling alone may move it."""
    if cases <= 0:
        return 0.0, 1.0
    p = came_true / cases
    centre = (p + z * z / (2 * cases)) / (1 + z * z / cases)
    spread = z * math.sqrt(p * (1 - p) / cases + z * z / (4 * cases * cases)) / (1 + z * z / cases)
    return max(0.0, centre - spread), min(1.0, centre + spread)


# ---------------------------------------------------------------------------------------------
# Cells: what makes cases comparable


@dataclass(frozen=True)
class Cell:
    """Cases judged in class ``score_class``, reached as ``reached`` (rose, held or fell)."""

    score_class: str
    reached: str

    @property
    def key(self) -> tuple[int, int]:
        return CLASSES.index(self.score_class), REACHED.index(self.reached)

    @property
    def rises(self) -> bool:
        """In the lowest class "stays at or above" is certain: the judgment is the rise instead."""
        return self.score_class == CLASSES[0]

    @property
    def target(self) -> str:
        return CLASSES[1] if self.rises else self.score_class

    def comparable(self) -> str:
        if self.reached == "rose":
            return f"scores that had just risen into the {self.score_class} class"
        if self.reached == "fell":
            return f"scores that had just fallen into the {self.score_class} class"
        return f"scores in the {self.score_class} class two weeks running"

    def outcome(self) -> str:
        if self.rises:
            return f"rose to {self.target} or above the next week"
        return f"were in {self.target} or above the next week"


def cell_of(score: float, previous: float, thresholds: Sequence[float]) -> Cell:
    now, before = CLASSES.index(classify(score, thresholds)), CLASSES.index(classify(previous, thresholds))
    reached = "rose" if now > before else "fell" if now < before else "held"
    return Cell(CLASSES[now], reached)


def came_true(cell: Cell, next_score: float, thresholds: Sequence[float]) -> bool:
    return CLASSES.index(classify(next_score, thresholds)) >= CLASSES.index(cell.target)


@dataclass(frozen=True)
class Profile:
    """A case's cell and where its score sat: ``margin`` points from the edge the judgment is
    about (above the class floor; in the lowest class, below the rise to low) and ``change``
    points since last week, clipped to MAX_MARGIN and MAX_CHANGE and rounded to 0.1 point as a
    brief shows scores. A score just above its floor falls out of its class more often than one
    deep inside it, which the cell alone cannot tell. Then its phase: ``weeks_in_class``, the
    weeks running it has been in its class (1 to RUN_WEEKS, this week included), and
    ``range_position``, where it sits between the lowest (0) and highest (1) score of its last
    RANGE_WEEKS weeks, rounded to 0.1 (0.5 when they were all equal). 0 and None: not known (a
    1.1 calibration file, or a caller that gave no earlier weeks)."""

    cell: Cell
    margin: float
    change: float
    weeks_in_class: int = 0
    range_position: float | None = None

    @property
    def key(self) -> tuple[int, int, float, float, int, float]:
        return (*self.cell.key, self.margin, self.change, self.weeks_in_class, -1.0 if self.range_position is None else self.range_position)

    @property
    def has_phase(self) -> bool:
        return self.weeks_in_class > 0 and self.range_position is not None

    def without_phase(self) -> Profile:
        return Profile(self.cell, self.margin, self.change)

    def describe(self) -> str:
        # A change beyond the cap is fitted as the cap: say "or more", as for the margin, so the
        # basis never contradicts the judgment's own "up 3.2 since last week".
        beyond = " or more" if abs(self.change) >= MAX_CHANGE else ""
        change = "unchanged since last week" if self.change == 0 else f"{'up' if self.change > 0 else 'down'} {abs(self.change):.1f}{beyond} since last week"
        capped = " or more" if self.margin >= MAX_MARGIN else ""
        where = (
            f"{self.margin:.1f} points{capped} below the rise to {self.cell.target}"
            if self.cell.rises
            else f"{self.margin:.1f} points{capped} above the {self.cell.score_class} floor"
        )
        if not self.has_phase:
            return f"{where} and {change}"
        running = f"{self.weeks_in_class} {'week' if self.weeks_in_class == 1 else 'weeks'}{' or more' if self.weeks_in_class >= RUN_WEEKS else ''}"
        return f"{where}, {change}, in the {self.cell.score_class} class for {running} and at {self._position()} of its last {RANGE_WEEKS} weeks"

    def _position(self) -> str:
        position = self.range_position if self.range_position is not None else 0.5
        if position >= 1.0:
            return "the top of the range"
        if position <= 0.0:
            return "the bottom of the range"
        return f"{round(position * 100)} % of the range"


def _clipped(value: float, limit: float) -> float:
    return round(min(max(value, -limit), limit), 1) + 0.0  # + 0.0: no "-0.0"


def profile_of(score: float, previous: float, thresholds: Sequence[float], earlier: Sequence[float] | None = None) -> Profile:
    """The profile of a score. ``earlier``: its scores of the weeks before, oldest first, ending
    with ``previous`` (the last RUN_WEEKS - 1 are enough); without it the phase is not known.
    A series shorter than RUN_WEEKS counts the weeks it has."""
    cell = cell_of(score, previous, thresholds)
    position = CLASSES.index(cell.score_class)
    margin = thresholds[0] - score if cell.rises else score - (0.0 if position == 0 else thresholds[position - 1])
    profile = Profile(cell, _clipped(max(margin, 0.0), MAX_MARGIN), _clipped(score - previous, MAX_CHANGE))
    if earlier is None:
        return profile
    recent = [*earlier[-(RUN_WEEKS - 1) :], score] if RUN_WEEKS > 1 else [score]
    running = 0
    for value in reversed(recent):
        if classify(value, thresholds) != cell.score_class:
            break
        running += 1
    window = recent[-RANGE_WEEKS:]
    low, high = min(window), max(window)
    where = 0.5 if high <= low else (score - low) / (high - low)
    return Profile(profile.cell, profile.margin, profile.change, running, round(where, 1) + 0.0)


@dataclass(frozen=True)
class Tally:
    cases: int
    came_true: int


# ---------------------------------------------------------------------------------------------
# The history: cases per judged week and cell


@dataclass(frozen=True)
class History:
    """Cases from a backtest: per judged week (start ordinal; only weeks with events) and cell,
    how many and how many came true; with what the history was made of, for the reader."""

    source: str
    first: Window
    last: Window
    events: int
    empty_weeks: int
    stakeholders: tuple[str, ...]
    rule_pack_version: str
    rules: int
    counts: Mapping[int, Mapping[Cell, Tally]] = field(default_factory=dict)
    # The same cases per week and profile (cell, margin, change): what the model is fitted on.
    # Empty in a 1.0 calibration file, whose words then come from the cell frequencies.
    profiles: Mapping[int, Mapping[Profile, Tally]] = field(default_factory=dict)
    # The same cases again per week, stakeholder, subject ('overall' or a dimension) and profile:
    # each score's own record. Empty in a file before 1.3, whose words then come from the model alone.
    subjects: Mapping[int, Mapping[tuple[str, str, Profile], Tally]] = field(default_factory=dict)

    @property
    def weeks(self) -> int:
        return (self.last.start - self.first.start).days // _WEEK_DAYS + 1

    @property
    def cases(self) -> int:
        return sum(t.cases for cells in self.counts.values() for t in cells.values())

    def describe(self) -> str:
        """``the bundled sample, 2024-W46 to 2025-W27 (27 events in 7 of its 34 weeks)``"""
        with_events = self.weeks - self.empty_weeks
        spread = f"all {self.weeks} weeks" if not self.empty_weeks else f"{with_events} of its {_plural(self.weeks, 'week')}"
        return f"{self.source}, {self.first.label} to {self.last.label} ({_plural(self.events, 'event')} in {spread})"


@dataclass(frozen=True)
class Case:
    """One judged score: its stakeholder and subject ('overall' or a dimension), the week judged,
    the scores the week before, that week and the week after, and its cell and outcome;
    ``earlier``, its scores of the RUN_WEEKS - 1 weeks before (fewer at the history's start),
    oldest first, for the profile's phase."""

    stakeholder: str
    subject: str
    week: int
    previous: float
    score: float
    following: float
    thresholds: tuple[float, ...]
    cell: Cell
    came_true: bool
    earlier: tuple[float, ...] = ()

    @property
    def profile(self) -> Profile:
        return profile_of(self.score, self.previous, self.thresholds, self.earlier)


def cases_of(result: BacktestResult) -> Iterator[Case]:
    """Every case of a backtest's weekly series, as the brief would judge them."""
    for series in result.series:
        weeks = series.weeks
        subjects: list[tuple[str, list[float]]] = [("overall", [p.score for p in weeks])]
        by_week = [{d.dimension: d.score for d in p.dimensions} for p in weeks]
        for name in sorted({name for scores in by_week for name in scores}):
            subjects.append((name, [scores.get(name, 0.0) for scores in by_week]))
        for subject, scores in subjects:
            for t in range(1, len(weeks) - 1):
                if weeks[t].events == 0:
                    continue  # calm, or a gap in the feed's coverage: nothing tells them apart
                before, now, after = scores[t - 1], scores[t], scores[t + 1]
                if subject != "overall" and now == 0 and before == 0:
                    continue  # the brief judges only dimensions active this week or last
                cell = cell_of(now, before, series.thresholds)
                yield Case(
                    series.stakeholder, subject, weeks[t].start.toordinal(), before, now, after,
                    series.thresholds, cell, came_true(cell, after, series.thresholds),
                    tuple(scores[max(0, t - RUN_WEEKS + 1) : t]),
                )  # fmt: skip


def history_from_backtest(result: BacktestResult, source: str) -> History:
    """The cases of a backtest's weekly series, every stakeholder in it pooled."""
    counts: dict[int, dict[Cell, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    profiles: dict[int, dict[Profile, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    subjects: dict[int, dict[tuple[str, str, Profile], list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for case in cases_of(result):
        profile = case.profile
        for tally in (counts[case.week][case.cell], profiles[case.week][profile], subjects[case.week][(case.stakeholder, case.subject, profile)]):
            tally[0] += 1
            tally[1] += case.came_true
    points = result.series[0].weeks if result.series else ()
    return History(
        source=source,
        first=parse_week(result.first_week),
        last=parse_week(result.last_week),
        events=sum(p.events for p in points),
        empty_weeks=sum(1 for p in points if p.events == 0),
        stakeholders=tuple(s.stakeholder for s in result.series),
        rule_pack_version=result.rule_pack_version,
        rules=result.rules,
        counts={week: {cell: Tally(*t) for cell, t in cells.items()} for week, cells in counts.items()},
        profiles={week: {profile: Tally(*t) for profile, t in rows.items()} for week, rows in profiles.items()},
        subjects={week: {key: Tally(*t) for key, t in rows.items()} for week, rows in subjects.items()},
    )


# ---------------------------------------------------------------------------------------------
# The model: a ridge logistic regression on the cases of the window


def _features(profile: Profile, phase: bool = False) -> list[float]:
    """One intercept per cell, then margin and change (as shares of their caps), apart for the
    rise out of the lowest class and for staying in a class: they pull in opposite directions.
    With ``phase``, then the weeks in the class (0 for one week, 1 for RUN_WEEKS or more) and
    the position in the recent range (centred on 0), apart the same way."""
    row = [0.0] * (len(CLASSES) * len(REACHED))
    position, reached = profile.cell.key
    row[position * len(REACHED) + reached] = 1.0
    values = [profile.margin / MAX_MARGIN, profile.change / MAX_CHANGE]
    if phase:
        weeks = (min(profile.weeks_in_class, RUN_WEEKS) - 1) / (RUN_WEEKS - 1)
        values += [weeks, (profile.range_position if profile.range_position is not None else 0.5) - 0.5]
    for value in values:
        row += [0.0, value] if profile.cell.rises else [value, 0.0]
    return row


@dataclass(frozen=True)
class Model:
    """P(the judged outcome) = logistic(features . coefficients), fitted on ``cases`` cases;
    ``phase``: whether the features include the score's phase."""

    coefficients: tuple[float, ...]
    cases: int
    phase: bool = False

    def probability(self, profile: Profile) -> float:
        z = sum(c * x for c, x in zip(self.coefficients, _features(profile, self.phase), strict=True))
        # Rounded so that the band never hangs on the last bits of a floating-point solve.
        return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 4)


def unseen_rise(cases: int) -> float:
    """The chance of a rise out of the lowest class for a cell that saw none in its ``cases``:
    half a case in ``cases + 1`` (Jeffreys' estimate of a frequency with no success). There the
    model's probability says nothing about the data: with no rise to fit, only the ridge penalty
    holds the cell's intercept back (for an intercept alone: 8 % with 30 cases, 3.4 % with 100,
    1.1 % with 400), so a long-quiet window would state its penalty as a chance. Only rises: a cell in a
    higher class that never fell in the window is the one whose phase ends unseen (the almost
    certain misses in docs/CALIBRATION.md), and the same estimate there raised the Brier score
    of a development history; for rises it changed no development history for the worse."""
    return round(0.5 / (cases + 1), 4)


def with_own_record(probability: float, own: Tally | None) -> float:
    """The pooled figure moved by the judged score's own record in its cell over the same weeks:
    the model's probability counts as OWN_WEIGHT cases beside the score's own. The model pools
    every stakeholder and score, and they differ: over the development histories, a score whose
    own record in a cell ran above or below the pool's kept doing so (docs/CALIBRATION.md,
    session 16)."""
    if own is None or not own.cases:
        return probability
    return round((own.came_true + OWN_WEIGHT * probability) / (own.cases + OWN_WEIGHT), 4)


def fit_model(rows: Mapping[Profile, Tally], phase: bool | None = None) -> Model | None:
    """Newton's method on the penalised binomial likelihood, profiles in a fixed order (the same
    bytes on every run); None without cases. ``phase``: fit on the score's phase too (by
    default when every profile has it)."""
    ordered = sorted((item for item in rows.items() if item[1].cases), key=lambda item: item[0].key)
    if not ordered:
        return None
    if phase is None:
        phase = all(profile.has_phase for profile, _ in ordered)
    x = np.array([_features(profile, phase) for profile, _ in ordered], dtype=np.float64)
    n = np.array([t.cases for _, t in ordered], dtype=np.float64)
    k = np.array([t.came_true for _, t in ordered], dtype=np.float64)
    beta = np.zeros(x.shape[1])
    penalty = RIDGE * np.eye(x.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -30.0, 30.0)))
        gradient = x.T @ (k - n * p) - RIDGE * beta
        hessian = (x * (n * p * (1.0 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hessian, gradient)
        beta = beta + step
        if float(np.abs(step).max()) < 1e-9:
            break
    return Model(tuple(float(b) for b in beta), int(n.sum()), phase)


# ---------------------------------------------------------------------------------------------
# Judging one week from the weeks before it


@dataclass(frozen=True)
class Likelihood:
    """The likelihood of one judgment: a word from history, or why there is none."""

    calibrated: bool
    word: str | None
    probability_range: str | None
    frequency: float | None
    cases: int
    came_true: int
    weeks: int
    reason: str | None
    basis: str
    # The probability behind the word: the model's for the score's profile, or the cell's
    # frequency when the history holds no profiles (a 1.0 file).
    probability: float | None = None


_EDGES = frozenset(round(b.low * 100) for b in ICD203_BANDS) | {0, 99, 100}


def percent(frequency: float) -> str:
    """``78 %``; one decimal where the whole number would sit on a band's edge or across it
    (94.8 %, not 95 %; 55.5 %, not 55 %), so a reader never sees a frequency in the wrong band."""
    whole = round(frequency * 100)
    if band_of(whole / 100) is not band_of(frequency) or (whole in _EDGES and abs(whole - frequency * 100) > 1e-9):
        return f"{frequency * 100:.1f} %"
    return f"{whole} %"


def _label(ordinal: int) -> str:
    return week_of(dt.date.fromordinal(ordinal)).label


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def is_iso_week(window: Window) -> bool:
    return week_of(window.start) == window


NO_HISTORY = "no event history was given to calibrate one"
NOT_A_WEEK = "likelihoods are calibrated on ISO weeks and this window is not one"
THIN = "too little comparable history"


@dataclass(frozen=True)
class Table:
    """What the history says about each cell when judging ``judged``: the cases of the
    ``WINDOW_WEEKS`` weeks before it."""

    judged: Window
    history: History | None
    case_weeks: tuple[int, ...]
    cells: Mapping[Cell, tuple[int, int, int]]  # cases, came true, weeks with a case
    profiles: Mapping[Profile, Tally] = field(default_factory=dict)
    own: Mapping[tuple[str, str, Cell], Tally] = field(default_factory=dict)  # per stakeholder, subject and cell

    @cached_property
    def model(self) -> Model | None:
        """Fitted on the score's phase too when the history's profiles have it (a 1.2 or 1.3 file)."""
        return fit_model(self.profiles) if self.profiles else None

    @cached_property
    def model_without_phase(self) -> Model | None:
        """For a score whose earlier weeks were not given: margin and change alone."""
        model = self.model
        return model if model is None or not model.phase else fit_model(self.profiles, phase=False)

    def model_for(self, profile: Profile) -> Model | None:
        return self.model if profile.has_phase else self.model_without_phase

    @property
    def period(self) -> str:
        n = len(self.case_weeks)
        events = "" if n == WINDOW_WEEKS else f" (cases in {'only ' if n < MIN_WEEKS else ''}{n} of them)"
        return f"the {WINDOW_WEEKS} weeks before {self.judged.label}{events}"

    def own_record(self, cell: Cell, subject: tuple[str, str] | None) -> Tally | None:
        """A score's own cases in a cell in the window (``subject``: its stakeholder and
        'overall' or dimension); None when it has none or the history does not tell scores apart."""
        tally = None if subject is None else self.own.get((subject[0], subject[1], cell))
        return tally if tally is not None and tally.cases else None

    def judge(self, judged: Cell | Profile, subject: tuple[str, str] | None = None) -> Likelihood:
        """The word for a cell, or for a score's profile: from the model fitted on the window
        when the history holds profiles, else from the cell's frequency. ``subject``: whose
        score it is (stakeholder, 'overall' or a dimension), to weigh the model's figure with
        that score's own record in the window (``with_own_record``)."""
        cell = judged.cell if isinstance(judged, Profile) else judged
        if not is_iso_week(self.judged):
            return _uncalibrated(NOT_A_WEEK, f"Uncalibrated: {NOT_A_WEEK} ({self.judged.label}).")
        if self.history is None:
            return _uncalibrated(NO_HISTORY, f"Uncalibrated: {NO_HISTORY}.")
        need = f"a likelihood word needs {MIN_CASES} comparable cases from {MIN_WEEKS} different weeks"
        if len(self.case_weeks) < MIN_WEEKS:
            n = len(self.case_weeks)
            which = f"only {n} of" if n else "none of"
            span = f" ({_label(self.case_weeks[0])} to {_label(self.case_weeks[-1])})" if n > 1 else f" ({_label(self.case_weeks[0])})" if n else ""
            return _uncalibrated(
                THIN, f"Uncalibrated: the history given has cases in {which} the {WINDOW_WEEKS} weeks before {self.judged.label}{span}; {need}."
            )
        cases, true, weeks = self.cells.get(cell, (0, 0, 0))
        if cases < MIN_CASES or weeks < MIN_WEEKS:
            found = (
                f"only {_plural(cases, 'comparable case')} ({cell.comparable()}), from {_plural(weeks, 'week')}, in {self.period}"
                if cases < MIN_CASES
                else f"the {cases} comparable cases ({cell.comparable()}) in {self.period} come from only {_plural(weeks, 'week')}"
            )
            return Likelihood(False, None, None, None, cases, true, weeks, THIN, f"Uncalibrated: {found}; {need}.")
        frequency = true / cases
        model = self.model_for(judged) if isinstance(judged, Profile) else None
        if model is None or not isinstance(judged, Profile):
            band = band_of(frequency)
            basis = (
                f"Calibrated on history: in {self.period}, {cell.comparable()} {cell.outcome()} in {true} of "
                f"{cases} cases, from {weeks} weeks ({percent(frequency)}; {band.word} means {band.probability_range})."
            )
            return Likelihood(True, band.word, band.probability_range, round(frequency, 4), cases, true, weeks, None, basis, round(frequency, 4))
        own = self.own_record(cell, subject)
        if cell.rises and true == 0:
            estimate = unseen_rise(cases)
            probability = with_own_record(estimate, own)
            band = band_of(probability)
            weighed = "" if own is None or subject is None else f", {_own_words(subject, own, cell)}: {percent(probability)}"
            basis = (
                f"Calibrated on history: in {self.period}, none of the {cases} {cell.comparable()} {cell.outcome()}, "
                f"from {weeks} weeks; with no rise seen, the chance is put at half a case in {cases + 1} "
                f"({percent(estimate)}{weighed}; {band.word} means {band.probability_range})."
            )
            return Likelihood(True, band.word, band.probability_range, round(frequency, 4), cases, true, weeks, None, basis, probability)
        fitted = model.probability(judged)
        probability = with_own_record(fitted, own)
        band = band_of(probability)
        # Two figures side by side ("a 95 % chance"; "73 of 90 (81 %)") read as a contradiction:
        # say which one is the judgment, and why the raw count may fall in another band.
        apart = (
            "; it falls outside that range because it does not weigh where in its class a score sits or how it moved, as the model does"
            + ("" if own is None else ", nor this score's own record")
            if band_of(frequency).word != band.word
            else ""
        )
        weighed = "" if own is None or subject is None else f": {percent(fitted)}, {_own_words(subject, own, cell)}"
        basis = (
            f"Calibrated on history: we judge the chance at {percent(probability)} ({band.word} means {band.probability_range}), "
            f"from a model fitted on the {model.cases:,} cases of {self.period} for a score "
            f"{(judged if model.phase else judged.without_phase()).describe()}{weighed}. The raw count, for comparison: "
            f"{cell.comparable()} {cell.outcome()} in {true} of {cases} cases, from {weeks} weeks ({percent(frequency)}){apart}."
        )
        return Likelihood(True, band.word, band.probability_range, round(frequency, 4), cases, true, weeks, None, basis, probability)


def _own_words(subject: tuple[str, str], own: Tally, cell: Cell) -> str:
    """``counted as 30 cases beside this score's own record in those weeks (the investor's
    overall score was in medium or above the next week in 10 of 20 cases)``"""
    stakeholder, name = subject
    outcome = f"rose to {cell.target} or above" if cell.rises else f"was in {cell.target} or above"
    return (
        f"counted as {OWN_WEIGHT} cases beside this score's own record in those weeks (the {stakeholder}'s {name} score "
        f"{outcome} the next week in {own.came_true} of {_plural(own.cases, 'case')})"
    )


def _uncalibrated(reason: str, basis: str) -> Likelihood:
    return Likelihood(False, None, None, None, 0, 0, 0, reason, basis)


def table_at(history: History | None, judged: Window) -> Table:
    """The cells as a brief of ``judged`` sees them: cases judged in the ``WINDOW_WEEKS`` weeks
    before it, and none from ``judged`` on."""
    if history is None or not is_iso_week(judged):
        return Table(judged, history, (), {})
    week = judged.start.toordinal()
    earliest, latest = week - WINDOW_WEEKS * _WEEK_DAYS, week - _WEEK_DAYS
    case_weeks = tuple(sorted(w for w in history.counts if earliest <= w <= latest))
    totals: dict[Cell, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows: dict[Profile, list[int]] = defaultdict(lambda: [0, 0])
    own: dict[tuple[str, str, Cell], list[int]] = defaultdict(lambda: [0, 0])
    for w in case_weeks:
        for cell, tally in history.counts.get(w, {}).items():
            total = totals[cell]
            total[0] += tally.cases
            total[1] += tally.came_true
            total[2] += 1 if tally.cases else 0
        for profile, tally in history.profiles.get(w, {}).items():
            row = rows[profile]
            row[0] += tally.cases
            row[1] += tally.came_true
        for (stakeholder, subject, profile), tally in history.subjects.get(w, {}).items():
            mine = own[(stakeholder, subject, profile.cell)]
            mine[0] += tally.cases
            mine[1] += tally.came_true
    return Table(
        judged,
        history,
        case_weeks,
        {cell: (t[0], t[1], t[2]) for cell, t in totals.items()},
        {p: Tally(t[0], t[1]) for p, t in rows.items()},
        {key: Tally(t[0], t[1]) for key, t in own.items()},
    )


# ---------------------------------------------------------------------------------------------
# Out of sample: every week judged from the weeks before it, as a brief would have been


@dataclass(frozen=True)
class BandRow:
    band: Band
    cases: int
    came_true: int

    @property
    def observed(self) -> float | None:
        return self.came_true / self.cases if self.cases else None

    @property
    def inside(self) -> bool | None:
        return None if self.observed is None else inside(self.band, self.observed)


@dataclass(frozen=True)
class Evaluation:
    """The words a brief would have printed each week, against what happened next."""

    judged_from: str | None
    judged_to: str | None
    cases: int
    calibrated_cases: int
    uncalibrated_came_true: int
    rows: tuple[BandRow, ...]
    brier_calibrated: float | None
    brier_persistence: float | None

    @property
    def uncalibrated_cases(self) -> int:
        return self.cases - self.calibrated_cases

    @property
    def skill(self) -> float | None:
        """1 - calibrated / persistence: above 0 when the words beat persistence."""
        if self.brier_calibrated is None or not self.brier_persistence:
            return None
        return 1.0 - self.brier_calibrated / self.brier_persistence


def judgments(history: History) -> Iterator[tuple[int, Cell, Tally, Likelihood]]:
    """Every week's cases as its brief would have judged them, from the weeks before it only:
    per week (start ordinal), cell, the cases of that cell or profile, and the likelihood."""
    for week in sorted(w for w, cells in history.counts.items() if any(t.cases for t in cells.values())):
        table = table_at(history, week_of(dt.date.fromordinal(week)))
        if history.subjects:
            # Each score judged as its brief would judge it: with its own record in the window.
            for (stakeholder, subject, profile), tally in sorted(
                history.subjects.get(week, {}).items(), key=lambda item: (item[0][2].key, item[0][0], item[0][1])
            ):
                yield week, profile.cell, tally, table.judge(profile, (stakeholder, subject))
        elif history.profiles:
            for profile, tally in sorted(history.profiles.get(week, {}).items(), key=lambda item: item[0].key):
                yield week, profile.cell, tally, table.judge(profile)
        else:
            for cell, tally in sorted(history.counts[week].items(), key=lambda item: item[0].key):
                yield week, cell, tally, table.judge(cell)


def evaluate(history: History) -> Evaluation:
    """Judge every case of ``history`` from the weeks before its own (``table_at``), then count,
    per band stated, how many came true, and the Brier score of the frequencies behind the
    words against persistence (probability 1 that a score stays in its class or above, 0 that
    it rises out of the lowest class: "next week = this week")."""
    rows = {band.word: [0, 0] for band in ICD203_BANDS}
    total = calibrated = uncalibrated_true = 0
    brier_cal = brier_per = 0.0
    weeks = sorted(w for w, cells in history.counts.items() if any(t.cases for t in cells.values()))
    for _week, cell, tally, likelihood in judgments(history):
        total += tally.cases
        if not likelihood.calibrated or likelihood.word is None or likelihood.probability is None:
            uncalibrated_true += tally.came_true
            continue
        p = likelihood.probability
        persistence = 0.0 if cell.rises else 1.0
        missed = tally.cases - tally.came_true
        calibrated += tally.cases
        brier_cal += tally.came_true * (1 - p) ** 2 + missed * p**2
        brier_per += tally.came_true * (1 - persistence) ** 2 + missed * persistence**2
        rows[likelihood.word][0] += tally.cases
        rows[likelihood.word][1] += tally.came_true
    return Evaluation(
        judged_from=_label(weeks[0]) if weeks else None,
        judged_to=_label(weeks[-1]) if weeks else None,
        cases=total,
        calibrated_cases=calibrated,
        uncalibrated_came_true=uncalibrated_true,
        rows=tuple(BandRow(band, *rows[band.word]) for band in ICD203_BANDS),
        brier_calibrated=brier_cal / calibrated if calibrated else None,
        brier_persistence=brier_per / calibrated if calibrated else None,
    )


# ---------------------------------------------------------------------------------------------
# Making a history: backtest event files or events over a span of weeks


def event_span(paths: Sequence[str | os.PathLike[str]], *, skip_invalid: bool = False) -> tuple[dt.date, dt.date] | None:
    """First and last event date in the files (one streaming pass), or None without events."""
    first: dt.date | None = None
    last: dt.date | None = None
    for chunk in stream_events(paths, skip_invalid=skip_invalid):
        for event in chunk:
            if first is None or event.event_date < first:
                first = event.event_date
            if last is None or event.event_date > last:
                last = event.event_date
    return (first, last) if first is not None and last is not None else None


def weeks_for(judged: Window, first_event: dt.date) -> tuple[Window, Window] | None:
    """The weeks to backtest for judging ``judged``: from RUN_WEEKS - 1 weeks before the window
    (each case needs its weeks before for its phase, as in a history backtested whole, so a
    brief calibrating itself and one reading a calibration file give the same words) or the
    first event's week if later, to ``judged``; None when no event comes before it."""
    earliest = week_of(judged.start - dt.timedelta(days=_WEEK_DAYS * (WINDOW_WEEKS + RUN_WEEKS - 1)))
    start = max(earliest, week_of(first_event), key=lambda w: w.start)
    if start.start > judged.start:
        return None
    return start, judged


def calibrate_files(
    paths: Sequence[str | os.PathLike[str]],
    *,
    pack: RulePack,
    compiled: CompiledRuleSet,
    first: Window,
    last: Window,
    source: str,
    skip_invalid: bool = False,
    workers: int | None = None,
    report: ReadReport | None = None,
) -> History:
    """The history of event files over ``first`` to ``last`` (backtest_files, every stakeholder)."""
    result = backtest_files(paths, pack=pack, compiled=compiled, first=first, last=last, skip_invalid=skip_invalid, workers=workers, report=report)
    return history_from_backtest(result, source)


def calibrate_events(events: Sequence[Event], *, pack: RulePack, compiled: CompiledRuleSet, first: Window, last: Window, source: str) -> History:
    """The history of events in memory over ``first`` to ``last`` (run_backtest, every stakeholder)."""
    ordered = sorted(events, key=lambda e: (e.event_date, e.event_id))
    result = run_backtest([ordered], pack, compiled, first=first, last=last)
    return history_from_backtest(result, source)


def history_for_week(events: Sequence[Event], judged: Window, *, pack: RulePack, compiled: CompiledRuleSet, source: str = "the events given") -> History | None:
    """The history a brief of ``judged`` calibrates itself on: the events given, up to the
    ``WINDOW_WEEKS`` weeks before it. None when the window is not an ISO week or no event comes
    before it (the brief then says so)."""
    if not events or not is_iso_week(judged):
        return None
    span = weeks_for(judged, min(e.event_date for e in events))
    if span is None:
        return None
    return calibrate_events(events, pack=pack, compiled=compiled, first=span[0], last=span[1], source=source)


# ---------------------------------------------------------------------------------------------
# The calibration file: JSON that `riskengine calibrate` writes and `brief --calibration` reads


def method_data() -> dict[str, Any]:
    return {
        "judged_outcome": (
            "a score (a stakeholder's overall score, or a dimension active that week or the week before) is in "
            "its current class or above the next week; in the lowest class, that it rises to low or above"
        ),
        "comparable": "the same class, reached the same way: rose into it, held it, or fell into it",
        "model": (
            "the probability is a ridge logistic regression (penalty "
            f"{RIDGE:g}) fitted on the window's cases: one intercept per class and way of reaching it, plus the points "
            f"from the judged edge (capped at {MAX_MARGIN:g}), the change since last week (capped at {MAX_CHANGE:g}), "
            f"the weeks running in the class (counted up to {RUN_WEEKS}) and the position in the range of the last "
            f"{RANGE_WEEKS} weeks, apart for rises out of the lowest class; the word is the band holding it. A cell still needs the minimum "
            "of cases and weeks below before any of its scores gets a word; a cell of the lowest class that saw no rise in the window "
            "gets half a case in its cases plus one (Jeffreys' estimate) instead of the model, whose figure there is its penalty alone; "
            f"the figure then counts as {OWN_WEIGHT} cases beside the judged score's own cases in its cell in the window "
            "(the same stakeholder and score), and the word is the band holding the result"
        ),
        "pooling": "every stakeholder of the history, overall and dimension scores together",
        "window_weeks": WINDOW_WEEKS,
        "min_cases": MIN_CASES,
        "min_weeks": MIN_WEEKS,
        "out_of_sample": (f"each week is judged from the cases of the {WINDOW_WEEKS} weeks before it only, as a brief of that week would be"),
        "bands": [{"word": b.word, "probability_range": b.probability_range, "low": b.low, "high": b.high} for b in ICD203_BANDS],
    }


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def table_rows(table: Table) -> list[dict[str, Any]]:
    """Every cell with cases in the table, in class order, with its word or why not."""
    rows = []
    for cell in sorted(table.cells, key=lambda c: c.key):
        likelihood = table.judge(cell)
        cases, true, weeks = table.cells[cell]
        rows.append(
            {
                "class": cell.score_class,
                "reached": cell.reached,
                "judged": ("rises to " if cell.rises else "stays in ") + f"{cell.target} or above",
                "cases": cases,
                "came_true": true,
                "weeks": weeks,
                "frequency": _ratio(true / cases) if cases else None,
                "likelihood": likelihood.word,
                "probability_range": likelihood.probability_range,
            }
        )
    return rows


def to_json_data(history: History, evaluation: Evaluation | None = None) -> dict[str, Any]:
    evaluation = evaluation if evaluation is not None else evaluate(history)
    current = table_at(history, history.last)
    # A history read from a 1.1 or 1.2 file (profiles without the phase, or without whose score
    # they are) is written back as it was.
    phase = all(profile.has_phase for rows in history.profiles.values() for profile in rows)
    version = CALIBRATION_SCHEMA_VERSION if history.subjects else "1.2" if phase else "1.1"
    return {
        "schema_version": version,
        "kind": CALIBRATION_KIND,
        "history": {
            "source": history.source,
            "from": history.first.label,
            "to": history.last.label,
            "weeks": history.weeks,
            "events": history.events,
            "weeks_without_events": history.empty_weeks,
            "stakeholders": list(history.stakeholders),
            "rule_pack": {"version": history.rule_pack_version, "rules": history.rules},
            "cases": history.cases,
        },
        "method": method_data(),
        "out_of_sample": {
            "judged_from": evaluation.judged_from,
            "judged_to": evaluation.judged_to,
            "cases": evaluation.cases,
            "calibrated_cases": evaluation.calibrated_cases,
            "uncalibrated_cases": evaluation.uncalibrated_cases,
            "uncalibrated_came_true": evaluation.uncalibrated_came_true,
            "coverage": _ratio(evaluation.calibrated_cases / evaluation.cases) if evaluation.cases else None,
            "reliability": [
                {
                    "likelihood": row.band.word,
                    "probability_range": row.band.probability_range,
                    "cases": row.cases,
                    "came_true": row.came_true,
                    "observed": _ratio(row.observed),
                    "interval_95": [_ratio(x) for x in wilson(row.came_true, row.cases)] if row.cases else None,
                    "inside": row.inside,
                }
                for row in evaluation.rows
            ],
            "brier": {
                "calibrated": _ratio(evaluation.brier_calibrated),
                "persistence": _ratio(evaluation.brier_persistence),
                "skill_vs_persistence": _ratio(evaluation.skill),
            },
        },
        "table": {"for_week": history.last.label, "cells": table_rows(current)},
        "cases": [
            {"week": _label(week), "class": cell.score_class, "reached": cell.reached, "cases": tally.cases, "came_true": tally.came_true}
            for week in sorted(history.counts)
            for cell, tally in sorted(history.counts[week].items(), key=lambda item: item[0].key)
        ],
        "profiles": [
            {
                "week": _label(week),
                **({"stakeholder": who[0], "subject": who[1]} if who is not None else {}),
                "class": profile.cell.score_class,
                "reached": profile.cell.reached,
                "margin": profile.margin,
                "change": profile.change,
                **({"weeks_in_class": profile.weeks_in_class, "range_position": profile.range_position} if phase else {}),
                "cases": tally.cases,
                "came_true": tally.came_true,
            }
            for week, who, profile, tally in _profile_rows(history)
        ],
    }


def _profile_rows(history: History) -> Iterator[tuple[int, tuple[str, str] | None, Profile, Tally]]:
    """The profile rows a file holds, in a fixed order: per stakeholder and score when the
    history tells them apart (1.3), else pooled."""
    if history.subjects:
        for week in sorted(history.subjects):
            for (stakeholder, subject, profile), tally in sorted(history.subjects[week].items(), key=lambda item: (item[0][2].key, item[0][0], item[0][1])):
                yield week, (stakeholder, subject), profile, tally
        return
    for week in sorted(history.profiles):
        for profile, tally in sorted(history.profiles[week].items(), key=lambda item: item[0].key):
            yield week, None, profile, tally


def _bad(path: str, message: str) -> InputError:
    return InputError([Issue("E420", message, Location(path), hint="give a file that riskengine calibrate wrote (--format json -o FILE)")])


def _need(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: str, where: str) -> Any:
    value = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise _bad(path, f"{where}{key}: missing or not a {getattr(kind, '__name__', 'value')}")
    return value


def history_from_json(data: Any, path: str = "<calibration>") -> History:
    """The history a calibration file holds (E420 when it is not one ``to_json_data`` wrote)."""
    if not isinstance(data, Mapping) or data.get("kind") != CALIBRATION_KIND:
        raise _bad(path, 'not a calibration file (no "kind": "riskengine calibration")')
    if data.get("schema_version") not in READABLE_SCHEMA_VERSIONS:
        raise _bad(path, f"calibration schema version {data.get('schema_version')!r}; this riskengine reads {' and '.join(READABLE_SCHEMA_VERSIONS)}")
    info = _need(data, "history", Mapping, path, "")
    pack = _need(info, "rule_pack", Mapping, path, "history.")
    try:
        first, last = parse_week(_need(info, "from", str, path, "history.")), parse_week(_need(info, "to", str, path, "history."))
    except InputError as error:
        raise _bad(path, f"history: {error.issues[0].message}") from None
    if last.start < first.start:
        raise _bad(path, f"history: to {last.label} is before from {first.label}")
    counts: dict[int, dict[Cell, Tally]] = defaultdict(dict)
    for i, row in enumerate(_need(data, "cases", list, path, "")):
        where = f"cases[{i}]."
        label, score_class, reached = (_need(row, k, str, path, where) for k in ("week", "class", "reached"))
        cases, true = _need(row, "cases", int, path, where), _need(row, "came_true", int, path, where)
        if score_class not in CLASSES or reached not in REACHED or not 0 <= true <= cases:
            raise _bad(path, f"{where[:-1]}: not a case row ({score_class!r}, {reached!r}, {true} of {cases})")
        try:
            week = parse_week(label).start.toordinal()
        except InputError:
            raise _bad(path, f"{where}week: {label!r} is not an ISO week") from None
        cell = Cell(score_class, reached)
        if cell in counts[week]:
            raise _bad(path, f"{where[:-1]}: {label} {score_class}/{reached} appears twice")
        counts[week][cell] = Tally(cases, true)
    profiles: dict[int, dict[Profile, Tally]] = defaultdict(dict)
    subjects: dict[int, dict[tuple[str, str, Profile], Tally]] = defaultdict(dict)
    version = data.get("schema_version")
    for i, row in enumerate(data.get("profiles", []) if version != "1.0" else []):
        where = f"profiles[{i}]."
        week, profile, tally = _profile_row(row, where, path, phase=version != "1.1")
        # From 1.3 a row is one stakeholder's score; the model still pools them.
        who = (_need(row, "stakeholder", str, path, where), _need(row, "subject", str, path, where)) if version == "1.3" else None
        if (profile if who is None else (*who, profile)) in (profiles[week] if who is None else subjects[week]):
            phase = f" weeks {profile.weeks_in_class} position {profile.range_position}" if profile.has_phase else ""
            whose = "" if who is None else f" {who[0]}/{who[1]}"
            raise _bad(
                path,
                f"profiles[{i}]: {_label(week)}{whose} {profile.cell.score_class}/{profile.cell.reached} margin {profile.margin} change {profile.change}{phase} appears twice",
            )
        if who is not None:
            subjects[week][(*who, profile)] = tally
            pooled = profiles[week].get(profile)
            tally = tally if pooled is None else Tally(pooled.cases + tally.cases, pooled.came_true + tally.came_true)
        profiles[week][profile] = tally
    for week, rows in profiles.items():
        cases = sum(t.cases for t in rows.values())
        if cases != sum(t.cases for t in counts.get(week, {}).values()):
            raise _bad(path, f"profiles: {_label(week)} has {cases} cases in its profiles and a different number in cases")
    return History(
        source=str(_need(info, "source", str, path, "history.")),
        first=first,
        last=last,
        events=_need(info, "events", int, path, "history."),
        empty_weeks=_need(info, "weeks_without_events", int, path, "history."),
        stakeholders=tuple(str(s) for s in _need(info, "stakeholders", list, path, "history.")),
        rule_pack_version=_need(pack, "version", str, path, "history.rule_pack."),
        rules=_need(pack, "rules", int, path, "history.rule_pack."),
        counts=dict(counts),
        profiles=dict(profiles),
        subjects=dict(subjects),
    )


def _profile_row(row: Any, where: str, path: str, *, phase: bool) -> tuple[int, Profile, Tally]:
    """A profile row; with ``phase`` (a 1.2 or 1.3 file) it must give the score's phase too."""
    label, score_class, reached = (_need(row, k, str, path, where) for k in ("week", "class", "reached"))
    margin, change = (_need(row, k, (int, float), path, where) for k in ("margin", "change"))
    cases, true = _need(row, "cases", int, path, where), _need(row, "came_true", int, path, where)
    running, position = (_need(row, "weeks_in_class", int, path, where), _need(row, "range_position", (int, float), path, where)) if phase else (0, None)
    if (
        score_class not in CLASSES or reached not in REACHED or not 0 <= true <= cases
        or isinstance(margin, bool) or isinstance(change, bool) or isinstance(position, bool)
        or not 0 <= margin <= MAX_MARGIN or not -MAX_CHANGE <= change <= MAX_CHANGE
        or (phase and not (1 <= running <= RUN_WEEKS and position is not None and 0 <= position <= 1))
    ):  # fmt: skip
        shown = f", weeks in class {running}, range position {position}" if phase else ""
        raise _bad(path, f"{where[:-1]}: not a profile row ({score_class!r}, {reached!r}, margin {margin}, change {change}{shown}, {true} of {cases})")
    try:
        week = parse_week(label).start.toordinal()
    except InputError:
        raise _bad(path, f"{where}week: {label!r} is not an ISO week") from None
    profile = Profile(Cell(score_class, reached), float(margin), float(change), running, None if position is None else float(position))
    return week, profile, Tally(cases, true)


def read_calibration(path: str | os.PathLike[str]) -> History:
    shown = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(shown, f"cannot read the calibration file: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise _bad(shown, f"not JSON: {exc}") from None
    return history_from_json(data, shown)


__all__ = [
    "CALIBRATION_KIND",
    "CALIBRATION_SCHEMA_VERSION",
    "ICD203_BANDS",
    "MIN_CASES",
    "MIN_WEEKS",
    "OWN_WEIGHT",
    "RANGE_WEEKS",
    "RUN_WEEKS",
    "WINDOW_WEEKS",
    "Band",
    "Case",
    "Cell",
    "Evaluation",
    "History",
    "Likelihood",
    "Model",
    "Profile",
    "Table",
    "band_of",
    "calibrate_events",
    "calibrate_files",
    "cases_of",
    "cell_of",
    "evaluate",
    "event_span",
    "fit_model",
    "history_for_week",
    "history_from_backtest",
    "history_from_json",
    "judgments",
    "profile_of",
    "read_calibration",
    "table_at",
    "to_json_data",
    "unseen_rise",
    "weeks_for",
    "with_own_record",
]
