"""Firings -> contributions -> 0-10 scores per stakeholder, dimension and region.

The formula (also in the README):

* A firing of rule r on events e1..en gives, for every stakeholder of r, a contribution of
  ``points(r) * weight(e1..en)`` to r's dimension.
  ``points`` is the rule's fixed points, or ``min(cap, base + factor * value)`` for scaled points.
  ``weight`` of one event combines its sources on the Admiralty code: each source counts
  ``q = R[reliability] * C[credibility]``, and independent sources corroborate each other:
  ``weight = 1 - prod(1 - q)`` (noisy-or; two B2 reports give 0.87, one gives 0.64). A pattern
  firing is as strong as its weakest event: the minimum over its events.
* Per stakeholder and dimension, the raising rules' weighted points R and the lowering rules'
  (``effect: lowers``) weighted points L of the window combine into
  ``P = R - min(L, max_relief * R)``: evidence that lowers risk takes off at most the profile's
  ``max_relief`` share (default 0.5) of what raises it, never more, and nothing without it.
* P saturates onto 0-10 with a power law, ``score = 10 * (1 - (1 + P / s) ** -0.5)``, with the
  profile's saturation s of that dimension (one number for all, or per dimension with a
  ``default``: ``saturation_for``): P = s gives 2.93, 3s 5.0, 10s 6.98, 100s 9.0, 1000s 9.68,
  so weeks three orders of magnitude apart still score apart (an exponential curve sat at 10).
  R and L are summed exactly (integers in units of 1e-4), so no sum depends on order.
* The overall score is the same curve over the profile-weighted mean of the dimensions' points,
  each in units of its saturation: ``10 * (1 - (1 + sum(w_d P_d / s_d) / sum(w_d)) ** -0.5)``
  (``overall_score``); a region's score is the same computation over the contributions from
  events in that region (country).
* Classes come from the profile's four thresholds: very low, low, medium, high, very high.

Every step is a sum or a monotone map of a sum, so the score is bounded (0 <= s < 10), monotone in
the raising evidence (another raising firing or another source never lowers it), lowered by at
most ``max_relief`` of a dimension's points, and independent of event order.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from riskengine.core.events import Event
from riskengine.core.names import day_said
from riskengine.core.windows import Window

SCHEMA_VERSION = "1.1"  # 1.1: record_ends
CLASSES: tuple[str, ...] = ("very low", "low", "medium", "high", "very high")
DEFAULT_THRESHOLDS: tuple[float, ...] = (2.0, 4.0, 6.0, 8.0)
# Weighted points are summed as integers in units of 1e-4 (a contribution is rounded to 4
# decimals), so a sum is exact and the same in any order, on any Python.
SCALE = 10_000
DEFAULT_SATURATION = 10.0
DEFAULT_MAX_RELIEF = 0.5

RELIABILITY_WEIGHT: dict[str, float] = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.5}
CREDIBILITY_WEIGHT: dict[int, float] = {1: 1.0, 2: 0.8, 3: 0.6, 4: 0.4, 5: 0.2, 6: 0.5}

ScoreClass = Literal["very low", "low", "medium", "high", "very high"]
Trend = Literal["up", "down", "flat", "new"]
DriverStatus = Literal["new", "intensified", "steady", "eased", "faded"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WindowOut(_Out):
    label: str
    start: dt.date
    end: dt.date


class Scale(_Out):
    minimum: float = 0.0
    maximum: float = 10.0
    direction: str = "higher is riskier: 0 = no signal, 10 = saturated risk"
    classes: list[str] = Field(default_factory=lambda: list(CLASSES))


class SourceOut(_Out):
    name: str
    grade: str = Field(description="Admiralty grade, e.g. B2")
    url: str | None = None
    document: str | None = None


class Contribution(_Out):
    """One rule firing, as it counts for one stakeholder."""

    rule_id: str
    rule_title: str
    stakeholder: str
    dimension: str
    event_ids: list[str]
    event_date: dt.date = Field(description="Date of the event that completed the firing")
    region: str
    points: float = Field(description="The rule's points before source weighting")
    source_weight: float = Field(description="0-1, from the events' Admiralty grades")
    weighted_points: float = Field(description="points x source_weight; negative for a rule that lowers risk (effect: lowers)")
    recommendation: str | None
    rule_source: str = Field(description="Document and section the rule encodes")
    rule_file: str
    rule_line: int
    sources: list[SourceOut]


class DimensionScore(_Out):
    dimension: str
    weight: float
    score: float
    score_class: ScoreClass
    weighted_points: float
    saturation: float = Field(description="The profile's saturation s of the dimension: score = 10 (1 - (1 + P/s)^-1/2)")
    previous_score: float
    change: float


class RegionScore(_Out):
    region: str
    of_interest: bool
    score: float
    score_class: ScoreClass
    previous_score: float
    change: float


class Driver(_Out):
    """A rule's weight in this window against the previous one: what changed since last week."""

    rule_id: str
    rule_title: str
    dimension: str
    weighted_points: float
    previous_weighted_points: float
    status: DriverStatus
    event_ids: list[str]


class HistoryPoint(_Out):
    window: str
    score: float


# Alerts: the models only; the rules that raise them are riskengine.scoring.alerts (docs/ALERTS.md).
# Dataclasses rather than models, so that ``Alert(id, week, ...)`` keeps taking its first ten
# fields by position as it did when it was the service's own type.


@pydantic_dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class AlertDriver:
    """One rule firing behind an alert: what drove the score that crossed or peaked."""

    rule_id: str
    rule_title: str
    dimension: str
    weighted_points: Annotated[float, Field(description="The firing's weighted points")]
    share: Annotated[float, Field(description="Its share (0-1) of the subject's raising points this week (overall: points weighted as the overall score weighs them)")]
    event_ids: tuple[str, ...]
    rule_source: Annotated[str, Field(description="Document and section the rule encodes")]
    rule_file: str
    rule_line: int


AlertKind = Literal["class_crossing", "highest_in_weeks"]


@pydantic_dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class Alert:
    """A stakeholder's score (overall or one dimension) that rose into a higher class than the
    week before, or reached its highest in ``highest_in_weeks`` weeks, at or above the floor."""

    id: Annotated[str, Field(description="Stable: week:stakeholder[:dimension]:class for a crossing, week:stakeholder[:dimension]:highest-Nw for a peak")]
    week: str
    stakeholder: str
    score: float
    score_class: str
    previous_week: str
    previous_score: Annotated[float, Field(description="The score the week before")]
    previous_class: str
    change: Annotated[float, Field(description="score - previous_score")]
    rule_pack: Annotated[str, Field(description="Content hash of the rule pack")]
    kind: Annotated[AlertKind, Field(description="class_crossing, or highest_in_weeks when only the peak is new")] = "class_crossing"
    subject: Annotated[str, Field(description="overall, or the dimension that crossed or peaked")] = "overall"
    highest_in_weeks: Annotated[int | None, Field(description="N when the score is above each of the N weeks before it, else null")] = None
    beat_score: Annotated[float | None, Field(description="With highest_in_weeks: the highest of those N weeks")] = None
    beat_week: Annotated[str | None, Field(description="With highest_in_weeks: the latest week that scored beat_score")] = None
    headline: Annotated[str, Field(description="The alert in one sentence")] = ""
    drivers: Annotated[tuple[AlertDriver, ...], Field(description="The firings that drove the score most this week, heaviest first")] = ()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class WeekAlerts(_Out):
    """A week's alerts for one stakeholder, with the rules they were raised by."""

    floor: float = Field(description="The least score that alerts")
    floor_class: str = Field(description="The class of the floor")
    peak_weeks: int = Field(description="N of 'highest in N weeks'")
    cooldown_weeks: int = Field(description="K: weeks in which the same alert is not raised again")
    raised: list[Alert] = Field(description="The alerts, overall first, then dimensions by score")
    record_begins: str | None = Field(
        None, description="The ISO week the events read begin in, when weeks without events come before it among those the alerts read; null when they begin earlier"
    )


class Series(_Out):
    """One dimension's or one region's score over the history windows, oldest first."""

    name: str = Field(description="Dimension name or region code (ISO 3166-1 alpha-3)")
    points: list[HistoryPoint]


class StakeholderScore(_Out):
    stakeholder: str
    title: str
    score: float
    score_class: ScoreClass
    previous_score: float
    change: float
    trend: Trend
    thresholds: list[float]
    dimensions: list[DimensionScore]
    regions: list[RegionScore]
    drivers: list[Driver]
    history: list[HistoryPoint]
    dimension_history: list[Series] = Field(
        default_factory=list, description="Each weighted dimension's score over the history windows, in the order of dimensions"
    )
    region_history: list[Series] = Field(
        default_factory=list,
        description="Each region's score over the history windows, in the order of regions (empty when the caller gave no region points)",
    )
    contributions: list[Contribution]
    alerts: WeekAlerts | None = Field(None, description="The week's alerts (riskengine.scoring.alerts); null when the window is not an ISO week")


class RulePackInfo(_Out):
    version: str = Field(description="Content hash of the rule pack")
    rules: int
    files: list[str]


class ScoreReport(_Out):
    """What ``riskengine score`` prints as JSON; ``riskengine schema output`` prints its schema."""

    schema_version: str = SCHEMA_VERSION
    generated_at: str | None = Field(None, description="From --now; left out when not given so output is reproducible")
    scale: Scale = Field(default_factory=Scale)
    window: WindowOut
    previous_window: WindowOut
    rule_pack: RulePackInfo
    events_in_window: int
    events_in_previous_window: int
    stakeholders: list[StakeholderScore]
    record_ends: dt.date | None = Field(
        None,
        description=(
            "The date of the last event read (of all events read, not only the window's), when it falls inside the window "
            "with at least one day of the window after it: the window's counts and scores cover only the days up to it; "
            "null otherwise"
        ),
    )
    notes: list[str] = Field(
        default_factory=list,
        description=(
            "What a reader must know before reading the scores: a window with no events scores 0 for lack of data, "
            "not for lack of risk (and where the data ends or begins); the events read end inside the window (record_ends)"
        ),
    )


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh")
_COUNTS = ("one", "two", "three", "four", "five", "six", "seven")


def record_ends_at(last: dt.date | None, window: WindowOut) -> dt.date | None:
    """``last`` (the latest event date read) when a whole day of ``window`` comes after it and
    it is not before the window; else None. A real Bangladesh export ends on Monday 5 August
    2024, and 2024-W32's scores, read as a week's, were one day's."""
    return last if last is not None and window.start <= last < window.end else None


def is_week(window: WindowOut) -> bool:
    """Whether ``window`` is a week (seven days), as the words about it say ('this week')."""
    return window.end - window.start == dt.timedelta(days=6)


def end_said(last: dt.date) -> str:
    """'the events read end on Monday 5 August 2024': the record's last day as the briefs say it."""
    return f"the events read end on {last:%A} {day_said(last)}"


def record_ends_said(last: dt.date, window: WindowOut, this: str | None = None) -> str:
    """'the events read end on Monday 5 August 2024, the first day of 2024-W32: its counts and
    scores cover only that day'. ``this`` names the window instead of its label ('this week')."""
    n = (last - window.start).days + 1
    nth = f"the {_ORDINALS[n - 1]} day" if n <= len(_ORDINALS) else f"day {n}"
    cover = "only that day" if n == 1 else f"only its first {_COUNTS[n - 1] if n <= len(_COUNTS) else n} days"
    return (
        f"{end_said(last)}, {nth} of {this or window.label}: "
        f"its counts and scores cover {cover}, not the whole {'week' if is_week(window) else 'window'}"
    )


def with_record_end(report: ScoreReport, last: dt.date | None) -> ScoreReport:
    """The report with ``record_ends`` and a note when the events read (latest ``last``) end
    inside its window; the report as it is otherwise."""
    ends = record_ends_at(last, report.window)
    if ends is None:
        return report
    return report.model_copy(update={"record_ends": ends, "notes": [*report.notes, record_ends_said(ends, report.window)]})


# ---------------------------------------------------------------------------------------------


def source_weight(event: Event) -> float:
    missing = 1.0
    seen: set[str] = set()
    # Several reports from one outlet are not independent: count each outlet once, at its best.
    best: dict[str, float] = {}
    for source in event.sources:
        key = source.name.casefold()
        q = RELIABILITY_WEIGHT[source.reliability] * CREDIBILITY_WEIGHT[source.credibility]
        best[key] = max(best.get(key, 0.0), q)
    for key in sorted(best):
        seen.add(key)
        missing *= 1.0 - best[key]
    return round(1.0 - missing, 4)


def classify(score: float, thresholds: Sequence[float]) -> str:
    for name, limit in zip(CLASSES, thresholds, strict=False):
        if score < limit:
            return name
    return CLASSES[-1]


def saturate(points: float, saturation: float) -> float:
    """Weighted points onto 0-10 by a power law: ``10 * (1 - (1 + P/s) ** -0.5)``; ``saturation``
    points give 2.93, ten times as many 6.98, a hundred times 9.0. Bounded below 10 and monotone,
    and unlike ``1 - exp(-P/s)`` it separates weeks whose points differ by orders of magnitude.
    (``math.sqrt`` is correctly rounded, so every Python gives the same bytes.)"""
    if points <= 0:
        return 0.0
    # 9.99 at most: rounding would print 10.0 beyond about four million s, outside 0 <= s < 10
    return min(round(10.0 * (1.0 - 1.0 / math.sqrt(1.0 + points / saturation)), 2), 9.99)


def net_points(raising: float, lowering: float, max_relief: float) -> float:
    """A dimension's points P from its raising points R and lowering points L:
    ``R - min(L, max_relief * R)``, worked out in units of 1e-4 as every sum of points is (the
    relief rounded down, so P never falls below ``(1 - max_relief) * R``)."""
    r, low = round(raising * SCALE), round(lowering * SCALE)
    relief = min(low, math.floor(max_relief * r))
    return (r - relief) / SCALE if relief > 0 else raising


class HasFacts(Protocol):
    """What ``rule_points`` reads of a leg: an Event, or a backtest's record of one."""

    def facts(self) -> Mapping[str, Any]: ...


def rule_points(points: Any, legs: Sequence[HasFacts], leg_names: Sequence[str]) -> float:
    """Fixed points, or ``min(cap, base + factor * value)`` with value from the scaling leg."""
    if isinstance(points, (int, float)):
        return float(points)
    leg_index = leg_names.index(points.leg) if points.leg else len(legs) - 1
    return scaled_points(points, legs[leg_index].facts().get(points.per))


def scaled_points(points: Any, value: Any) -> float:
    """``ScaledPoints`` for the scaling field's value (absent: 0), rounded to 4 decimals."""
    # never below 0: a negative value must not turn a raising rule into a lowering one (or back)
    return float(round(max(0.0, min(points.cap, points.base + points.factor * float(value or 0))), 4))


def trend_of(change: float, previous: float, current: float) -> str:
    if previous == 0 and current > 0:
        return "new"
    if change >= 0.05:
        return "up"
    if change <= -0.05:
        return "down"
    return "flat"


def driver_status(now: float, before: float) -> str:
    # by magnitude: a lowering rule's points are negative
    now, before = abs(now), abs(before)
    if before == 0:
        return "new"
    if now == 0:
        return "faded"
    if now > before * 1.1:
        return "intensified"
    if now < before * 0.9:
        return "eased"
    return "steady"


# Keys are dimension names: profiles key them by the Dimension literal, computed points by
# plain strings, and a Mapping is invariant in its key type, so the key is left open here.
Weights = Mapping[Any, float]
Saturation = float | Mapping[Any, float]


def saturation_for(saturation: Saturation, dimension: str) -> float:
    """A profile's saturation for one dimension: one number for all, or a mapping whose
    ``default`` covers the dimensions it does not name."""
    if isinstance(saturation, (int, float)):
        return float(saturation)
    return float(saturation.get(dimension, saturation.get("default", DEFAULT_SATURATION)))


def exact_sum(values: Iterable[float]) -> float:
    """The sum of values rounded to 4 decimals, exactly: as integers in units of 1e-4, the way
    the scorer sums points, so it does not depend on order or on the Python version."""
    return sum(round(v * SCALE) for v in values) / SCALE


def dimension_points(contributions: Iterable[Contribution], max_relief: float = DEFAULT_MAX_RELIEF) -> dict[str, float]:
    """P per dimension: raising contributions (weighted points >= 0) sum to R, lowering ones
    (negative) to L, and ``net_points`` combines them."""
    raising: dict[str, int] = defaultdict(int)
    lowering: dict[str, int] = defaultdict(int)
    for c in contributions:
        units = round(c.weighted_points * SCALE)
        if units < 0:
            lowering[c.dimension] -= units
        else:
            raising[c.dimension] += units
    return {
        d: net_points(raising.get(d, 0) / SCALE, lowering.get(d, 0) / SCALE, max_relief)
        for d in sorted(set(raising) | set(lowering))
    }


def added_in_order(values: Iterable[float]) -> float:
    """Left to right, one rounding per addition: what ``sum`` of floats did before Python 3.12
    (3.12 compensates), and so what every published score was computed with. ``math.fsum``
    would round some scores on the other side of a .xx5 (measured: 3 of 6,000 on a 100k
    backtest); this gives the same bytes on every Python version."""
    total = 0.0
    for value in values:
        total += value
    return total


def overall_score(points_by_dimension: Mapping[str, float], weights: Weights, saturation: Saturation) -> float:
    """The same power law applied to the profile-weighted mean of the dimensions' points, each in
    units of its own saturation: ``saturate(sum(w_d * P_d / s_d) / sum(w_d), 1)``.

    Not the mean of the dimension scores: that mean lets a dimension with a few points low on
    its curve (one protest crackdown in diplomatic) outweigh the week-to-week changes of a
    dimension far up its curve (a war's security points), so the ranking of weeks stopped
    following the points (Spearman with weekly fatalities on Somalia 2025-26, government, fell
    from 0.75 to 0.14). Weighting the points keeps the ranking of weeks that of their weighted
    points; the curve keeps the score bounded, and it is never below the weighted mean of the
    dimension scores (the curve is concave)."""
    total_weight = added_in_order(weights.values())
    units = added_in_order(w * (points_by_dimension.get(d, 0.0) / saturation_for(saturation, d)) for d, w in weights.items())
    return saturate(units / total_weight, 1.0)


def stakeholder_score(
    *,
    stakeholder: str,
    title: str,
    weights: Weights,
    thresholds: Sequence[float],
    saturation: Saturation,
    regions_of_interest: Sequence[str],
    current: Sequence[Contribution],
    previous: Sequence[Contribution],
    history: Sequence[tuple[str, Mapping[str, float] | Sequence[Contribution]]],
    now_points: Mapping[str, float] | None = None,
    before_points: Mapping[str, float] | None = None,
    max_relief: float = DEFAULT_MAX_RELIEF,
    region_history: Sequence[Mapping[str, Mapping[str, float]]] | None = None,
) -> StakeholderScore:
    """One stakeholder's scores: ``history`` holds each history window's points per dimension
    (or its contributions);
    ``now_points``/``before_points`` the window's and the previous one's (by default summed from
    ``current``/``previous``, which give regions, drivers and the contributions listed).
    ``region_history`` holds, for each history window in the same order, the points per region
    and dimension; by default they are summed from the history's contributions, and when the
    history gives points only, there is no region history."""
    now_points = dimension_points(current, max_relief) if now_points is None else now_points
    before_points = dimension_points(previous, max_relief) if before_points is None else before_points
    score = overall_score(now_points, weights, saturation)
    before = overall_score(before_points, weights, saturation)
    change = round(score - before, 2)

    dimensions = []
    for dimension in sorted(d for d, w in weights.items() if w > 0):
        s_now = saturate(now_points.get(dimension, 0.0), saturation_for(saturation, dimension))
        s_before = saturate(before_points.get(dimension, 0.0), saturation_for(saturation, dimension))
        dimensions.append(
            DimensionScore(
                dimension=dimension,
                weight=weights[dimension],
                score=s_now,
                score_class=classify(s_now, thresholds),
                weighted_points=round(now_points.get(dimension, 0.0), 4),
                saturation=saturation_for(saturation, dimension),
                previous_score=s_before,
                change=round(s_now - s_before, 2),
            )
        )

    by_region_now: dict[str, list[Contribution]] = defaultdict(list)
    by_region_before: dict[str, list[Contribution]] = defaultdict(list)
    for c in current:
        by_region_now[c.region].append(c)
    for c in previous:
        by_region_before[c.region].append(c)
    regions = []
    for region in sorted(set(by_region_now) | set(by_region_before) | set(regions_of_interest)):
        r_now = overall_score(dimension_points(by_region_now.get(region, []), max_relief), weights, saturation)
        r_before = overall_score(dimension_points(by_region_before.get(region, []), max_relief), weights, saturation)
        regions.append(
            RegionScore(
                region=region,
                of_interest=region in regions_of_interest,
                score=r_now,
                score_class=classify(r_now, thresholds),
                previous_score=r_before,
                change=round(r_now - r_before, 2),
            )
        )
    regions.sort(key=lambda r: (not r.of_interest, -r.score, r.region))

    drivers = _drivers(current, previous)
    window_points = [(label, _as_points(points, max_relief)) for label, points in history]
    return StakeholderScore(
        stakeholder=stakeholder,
        title=title,
        score=score,
        score_class=classify(score, thresholds),
        previous_score=before,
        change=change,
        trend=trend_of(change, before, score),
        thresholds=list(thresholds),
        dimensions=dimensions,
        regions=regions,
        drivers=drivers,
        history=[HistoryPoint(window=label, score=overall_score(points, weights, saturation)) for label, points in window_points],
        dimension_history=[
            Series(
                name=d.dimension,
                points=[
                    HistoryPoint(window=label, score=saturate(points.get(d.dimension, 0.0), saturation_for(saturation, d.dimension)))
                    for label, points in window_points
                ],
            )
            for d in dimensions
        ],
        region_history=_region_history(history, region_history, [r.region for r in regions], weights, saturation, max_relief),
        contributions=sorted(current, key=contribution_order),
    )


def _region_history(
    history: Sequence[tuple[str, Mapping[str, float] | Sequence[Contribution]]],
    region_points: Sequence[Mapping[str, Mapping[str, float]]] | None,
    regions: Sequence[str],
    weights: Weights,
    saturation: Saturation,
    max_relief: float,
) -> list[Series]:
    """The regions' scores over the history windows: the overall score's curve over each
    region's points, as a region's score this week is."""
    if region_points is None:
        if any(isinstance(points, Mapping) for _, points in history):
            return []  # points per dimension only: which region they came from is not known
        region_points = [_points_by_region(points, max_relief) for _, points in history]  # type: ignore[arg-type]
    if len(region_points) != len(history):
        raise ValueError(f"region_history has {len(region_points)} windows, history {len(history)}")
    return [
        Series(
            name=region,
            points=[
                HistoryPoint(window=label, score=overall_score(by_region.get(region, {}), weights, saturation))
                for (label, _), by_region in zip(history, region_points, strict=True)
            ],
        )
        for region in regions
    ]


def _points_by_region(contributions: Sequence[Contribution], max_relief: float) -> dict[str, dict[str, float]]:
    by_region: dict[str, list[Contribution]] = defaultdict(list)
    for c in contributions:
        by_region[c.region].append(c)
    return {region: dimension_points(found, max_relief) for region, found in sorted(by_region.items())}


def _as_points(points: Mapping[str, float] | Sequence[Contribution], max_relief: float = DEFAULT_MAX_RELIEF) -> Mapping[str, float]:
    # a window's points, or (as callers before the streaming scorer gave them) its contributions
    return points if isinstance(points, Mapping) else dimension_points(points, max_relief)


def contribution_order(c: Contribution) -> tuple[Any, ...]:
    return (-c.weighted_points, c.rule_id, c.event_ids)


def _drivers(current: Sequence[Contribution], previous: Sequence[Contribution]) -> list[Driver]:
    now: dict[str, list[Contribution]] = defaultdict(list)
    before: dict[str, list[Contribution]] = defaultdict(list)
    for c in current:
        now[c.rule_id].append(c)
    for c in previous:
        before[c.rule_id].append(c)
    drivers = []
    for rule_id in sorted(set(now) | set(before)):
        sample = (now.get(rule_id) or before[rule_id])[0]
        p_now = round(exact_sum(c.weighted_points for c in now.get(rule_id, [])), 4)
        p_before = round(exact_sum(c.weighted_points for c in before.get(rule_id, [])), 4)
        event_ids = sorted({e for c in now.get(rule_id, []) for e in c.event_ids})
        drivers.append(
            Driver(
                rule_id=rule_id,
                rule_title=sample.rule_title,
                dimension=sample.dimension,
                weighted_points=p_now,
                previous_weighted_points=p_before,
                status=driver_status(p_now, p_before),
                event_ids=event_ids,
            )
        )
    drivers.sort(key=lambda d: (-d.weighted_points, -d.previous_weighted_points, d.rule_id))
    return drivers


def window_out(window: Window) -> WindowOut:
    return WindowOut(label=window.label, start=window.start, end=window.end)


__all__ = [
    "CLASSES",
    "SCHEMA_VERSION",
    "Alert",
    "AlertDriver",
    "Contribution",
    "DimensionScore",
    "Driver",
    "HistoryPoint",
    "RegionScore",
    "RulePackInfo",
    "Scale",
    "ScoreReport",
    "Series",
    "SourceOut",
    "StakeholderScore",
    "WeekAlerts",
    "WindowOut",
    "classify",
    "end_said",
    "is_week",
    "record_ends_at",
    "record_ends_said",
    "saturate",
    "saturation_for",
    "source_weight",
    "with_record_end",
]
