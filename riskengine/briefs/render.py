"""Weekly briefs: the documented context handed to templates, the template chain, rendering.

A brief is built in two steps. ``build_context`` turns one stakeholder's scores (a
``ScoreReport``) and the events behind them into a ``BriefContext``: plain data with every
judgment already made and every number already computed, so templates only lay it out and a JSON
brief is the same model dumped. ``render_brief`` lays it out as Markdown or HTML with Jinja2.

Templates are looked up in the user's ``--templates`` directory first, then in the built-in
``templates/``; ``default:NAME`` always names the built-in one, so an override can extend the
template it replaces. Templates run sandboxed with StrictUndefined. Text that came from events,
articles or rule files is data, never markup: HTML is autoescaped, Markdown is backslash-escaped,
and in both the braces of template syntax are neutralised so a brief never shows ``{{``.

docs/BRIEF_CONTEXT.md documents every field of the context; tests keep the two in step.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplatesNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2 import (
    TemplateError as JinjaTemplateError,
)
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict, Field

from riskengine.briefs import visuals  # map and trend charts: riskengine/briefs/{map,charts,visuals}.py
from riskengine.briefs.charts import TrendCharts, build_trend_charts
from riskengine.briefs.map import EventMap, build_event_map
from riskengine.core.errors import EventError, Issue, TemplateError
from riskengine.core.events import Event
from riskengine.core.resources import default_templates_dir
from riskengine.core.sandbox import ConfinedLoader, LimitedSandbox
from riskengine.core.text import neutralise
from riskengine.core.windows import Window
from riskengine.scoring.calibration import ICD203_BANDS, MIN_CASES, MIN_WEEKS, WINDOW_WEEKS, History, Likelihood, Table, cell_of, is_iso_week, table_at
from riskengine.scoring.scores import CLASSES, Contribution, ScoreReport, StakeholderScore, classify

BRIEF_SCHEMA_VERSION = "2.0"  # 2.0: likelihoods from history (Judgment.basis); the rule-of-thumb fields went
FORMATS: tuple[str, ...] = ("md", "html", "json")

# ICD 203 words of estimative probability, with their ranges: the only likelihood words a brief
# uses. A judgment's word comes from history (judged_likelihood, riskengine/scoring/calibration.py).
LIKELIHOOD_BANDS: tuple[tuple[str, str, float], ...] = tuple(
    # (word, probability range, lowest frequency that earns it)
    (b.word, b.probability_range, 0.0 if i == 0 else b.low) for i, b in enumerate(ICD203_BANDS)
)
# The two noun phrases read "There is (a) ... that"; the adjectives read "It is ... that".
_LIKELIHOOD_LEAD: dict[str, str] = {"almost no chance": "There is almost no chance", "roughly even chance": "There is a roughly even chance"}
CONFIDENCE_LEVELS: tuple[str, ...] = ("high", "moderate", "low")

NEAR_THRESHOLD = 0.5
TOP_DRIVERS = 5
# Lists that grow with the data are cut for reading; each says how many it left out.
MAX_RELATED = 5
MAX_LISTED = 10

HIGH_CONFIDENCE_WEIGHT = 0.6
HIGH_CONFIDENCE_CORROBORATED = 0.5
MODERATE_CONFIDENCE_WEIGHT = 0.35

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


# ---------------------------------------------------------------------------------------------
# The context model. Every field carries a description; docs/BRIEF_CONTEXT.md documents them all.


class _Ctx(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WindowInfo(_Ctx):
    label: str = Field(description="ISO week, e.g. 2025-W27")
    start: dt.date = Field(description="First day of the window")
    end: dt.date = Field(description="Last day of the window")


class Bluf(_Ctx):
    sentence: str = Field(description="The bottom line in one sentence: class, score and change")
    score: float = Field(description="Overall score, 0-10")
    score_class: str = Field(description="Overall class: very low .. very high")
    previous_score: float = Field(description="Overall score in the previous window")
    previous_class: str = Field(description="Overall class in the previous window")
    change: float = Field(description="score - previous_score")
    trend: str = Field(description="up, down, flat or new")
    arrow: str = Field(description="↑, ↓ or → for the change")


class LikelihoodBasis(_Ctx):
    calibrated: bool = Field(description="The word comes from enough comparable cases in history")
    statement: str = Field(description="Where the word came from (cases, weeks, frequency), or why there is none")
    reason: str | None = Field(description="Why the judgment is uncalibrated, in a few words (none when calibrated)")
    cases: int = Field(description="Comparable cases counted in history")
    came_true: int = Field(description="Of those, cases whose outcome came true the next week")
    weeks: int = Field(description="Different weeks those cases come from")
    frequency: float | None = Field(description="came_true / cases when calibrated, 0-1 (the word's band holds it)")


class Judgment(_Ctx):
    subject: str = Field(description="'overall' or a dimension name")
    statement: str = Field(description="The judgment with its likelihood word, or saying no likelihood is stated and why; never names a confidence level")
    likelihood: str | None = Field(description="ICD 203 word, e.g. likely; none when uncalibrated")
    probability_range: str | None = Field(description="The word's range, e.g. 55-80 %; none when uncalibrated")
    basis: LikelihoodBasis = Field(description="The history behind the likelihood word")
    confidence: str = Field(description="high, moderate or low")
    confidence_statement: str = Field(description="Why that confidence; never uses a likelihood word")
    since_last_week: str = Field(description="How the class behind the judgment moved since last week")
    score: float = Field(description="Score the judgment is about, 0-10")
    score_class: str = Field(description="Its class now")
    target_class: str = Field(description="The class the judgment is about staying in (or rising to)")
    floor: float = Field(description="Lower threshold of target_class")
    events: int = Field(description="Events behind the evidence")
    corroborated_events: int = Field(description="Of those, events reported by two or more independent sources")
    mean_source_weight: float = Field(description="Points-weighted mean Admiralty source weight, 0-1")


class ScoreRow(_Ctx):
    name: str = Field(description="Dimension name or region code (ISO 3166-1 alpha-3)")
    weight: float = Field(description="Profile weight of the dimension (1.0 for regions)")
    of_interest: bool = Field(description="Region is in the profile's regions of interest (always false for dimensions)")
    score: float = Field(description="Score this window, 0-10")
    score_class: str = Field(description="Class this window")
    previous_score: float = Field(description="Score in the previous window")
    change: float = Field(description="score - previous_score")
    arrow: str = Field(description="↑, ↓ or →")


class ChartPoint(_Ctx):
    window: str = Field(description="Week label")
    score: float = Field(description="Overall score that week")
    x: float = Field(description="SVG x coordinate")
    y: float = Field(description="SVG y coordinate")


class ChartLine(_Ctx):
    label: str = Field(description="Class whose lower threshold this is")
    value: float = Field(description="Threshold value")
    y: float = Field(description="SVG y coordinate")


class Trend(_Ctx):
    sparkline: str = Field(description="Text sparkline of the overall score, oldest first, e.g. ▁▂▅▇")
    first_window: str = Field(description="Label of the oldest week in the history")
    last_window: str = Field(description="Label of this week")
    points: list[ChartPoint] = Field(description="History points, oldest first, with SVG coordinates")
    polyline: str = Field(description="SVG polyline points attribute")
    width: int = Field(description="SVG width")
    height: int = Field(description="SVG height")
    plot_left: int = Field(description="SVG x where the plot area starts")
    plot_right: int = Field(description="SVG x where the plot area ends (threshold labels go to its right)")
    plot_bottom: int = Field(description="SVG y of score 0 (week labels go below it)")
    thresholds: list[ChartLine] = Field(description="Class thresholds as horizontal lines")


class SourceRow(_Ctx):
    name: str = Field(description="Outlet or document")
    grade: str = Field(description="Admiralty grade, e.g. B2")
    url: str | None = Field(description="Link, when known")
    document: str | None = Field(description="Seed document id, when the source is one of ours")


class FiredRule(_Ctx):
    rule_id: str = Field(description="Rule id")
    rule_title: str = Field(description="Rule title")
    dimension: str = Field(description="Dimension the rule scores")
    weighted_points: float = Field(description="Points after source weighting, summed over its firings on this event")
    firings: int = Field(description="Times it fired on this event (a pattern rule once per partner event set)")
    rule_source: str = Field(description="Source document and section the rule encodes")
    rule_file: str = Field(description="Rule file")
    rule_line: int = Field(description="Line of the rule in its file")
    related_event_ids: list[str] = Field(description="Other events of a pattern rule's firings, at most 5")
    more_related_events: int = Field(description="Related events beyond those listed")


class DerivedValue(_Ctx):
    field: str = Field(description="Event field filled by derivation ('tags' for a tag)")
    value: str = Field(description="The value, as shown")
    method: str = Field(description="How it was derived")
    evidence: str = Field(description="What it was derived from")


class DriverEvent(_Ctx):
    event_id: str = Field(description="Event id")
    event_date: dt.date = Field(description="Day of the event")
    event_type: str = Field(description="ACLED event type")
    sub_event_type: str | None = Field(description="ACLED sub-event type")
    country: str = Field(description="ISO 3166-1 alpha-3")
    place: str = Field(description="Location and first administrative division, or the country")
    target: str | None = Field(description="Named target, or the target category")
    summary: str = Field(description="One line: date, place, what happened")
    notes: str | None = Field(description="The event's notes")
    fatalities: int = Field(description="Deaths")
    verification: str = Field(description="confirmed, claimed or disputed")
    weighted_points: float = Field(description="Sum of the weighted points of the rules that fired on it")
    sources: list[SourceRow] = Field(description="Its sources with Admiralty grades")
    rules: list[FiredRule] = Field(description="Rules that fired on it, heaviest first")
    derived: list[DerivedValue] = Field(default_factory=list, description="Its values the source did not give, and from what")


class RuleCite(_Ctx):
    rule_id: str = Field(description="Rule id")
    rule_title: str = Field(description="Rule title")
    rule_source: str = Field(description="Source document and section")


class Action(_Ctx):
    text: str = Field(description="The recommendation, as the rule's heaviest firing this week words it")
    weight: float = Field(description="Weighted points of all the firings of its rules this week")
    firings: int = Field(description="How many firings recommend it")
    event_ids: list[str] = Field(description="Events behind those firings")
    rules: list[RuleCite] = Field(description="Rules recommending it")


class Talks(_Ctx):
    event_id: str = Field(description="Event that reported the talks")
    scheduled_date: dt.date = Field(description="Day the talks are scheduled for")
    days_after_window: int = Field(description="Days from the end of the window to the talks")
    place: str = Field(description="Where, or the country")
    parties: str = Field(description="Actors named, or 'parties not named'")
    status: str = Field(description="Diplomatic status, or 'unknown'")


class RepeatTarget(_Ctx):
    target_name: str = Field(description="Named target")
    hits: int = Field(description="Times hit up to the end of the window")
    hits_this_week: int = Field(description="Times hit in the window")
    first_date: dt.date = Field(description="Day of the first known hit")
    recent_dates: list[dt.date] = Field(description="Days of the latest hits, at most 5, oldest first")
    recent_event_ids: list[str] = Field(description="Events of those hits")


class NearThreshold(_Ctx):
    subject: str = Field(description="'overall' or a dimension name")
    score: float = Field(description="Score now")
    score_class: str = Field(description="Class now")
    next_class: str = Field(description="Class it would enter")
    threshold: float = Field(description="Threshold of next_class")
    gap: float = Field(description="threshold - score")


class Watchlist(_Ctx):
    talks: list[Talks] = Field(description="Talks scheduled after the window, soonest first, at most 10")
    more_talks: int = Field(description="Scheduled talks beyond those listed")
    repeat_targets: list[RepeatTarget] = Field(description="Targets hit more than once, hit this week; most hit first, at most 10")
    more_repeat_targets: int = Field(description="Repeat targets beyond those listed")
    near_thresholds: list[NearThreshold] = Field(description="Scores within 0.5 of the next class")


class DriverChange(_Ctx):
    rule_id: str = Field(description="Rule id")
    rule_title: str = Field(description="Rule title")
    dimension: str = Field(description="Dimension")
    weighted_points: float = Field(description="Weighted points this week")
    previous_weighted_points: float = Field(description="Weighted points last week")
    event_ids: list[str] = Field(description="Events this week")


class Changes(_Ctx):
    new: list[DriverChange] = Field(description="Rules that fired this week and not last week")
    intensified: list[DriverChange] = Field(description="Rules with over 10 % more weighted points than last week")
    eased: list[DriverChange] = Field(description="Rules with over 10 % fewer weighted points than last week")
    faded: list[DriverChange] = Field(description="Rules that fired last week and not this week")


class ClassBand(_Ctx):
    name: str = Field(description="Class name")
    lower: float = Field(description="Lowest score of the class")
    upper: float = Field(description="Score where the next class starts (10 for the last)")


class LikelihoodBand(_Ctx):
    word: str = Field(description="ICD 203 word")
    probability_range: str = Field(description="Its range")


class Method(_Ctx):
    scale: str = Field(description="The scale and its direction in words")
    minimum: float = Field(description="Lowest score")
    maximum: float = Field(description="Highest score")
    classes: list[ClassBand] = Field(description="Classes and their score ranges")
    likelihoods: list[LikelihoodBand] = Field(description="The likelihood words and their ranges")
    likelihood_basis: str = Field(description="Where the likelihood words come from: the history, its size, the pooling")
    rule_pack_version: str = Field(description="Content hash of the rule pack")
    rules: int = Field(description="Rules in the pack")
    events_in_window: int = Field(description="Events in the window")
    events_in_previous_window: int = Field(description="Events in the previous window")
    generated_at: str = Field(description="From --now, or 'not given'")


class SectionWarning(_Ctx):
    section: str = Field(description="judgments, dimensions, regions, trend, drivers, actions, watchlist or changes")
    message: str = Field(description="What is missing and why")


# ---------------------------------------------------------------------------------------------
# Alerts, shown before the bottom line (templates/_alerts.*.j2). The rules that raise them are
# riskengine.scoring.alerts; scoring puts a week's alerts in the report, so every brief of that
# report shows the same ones as `riskengine alerts` and the service.


class AlertDriverRow(_Ctx):
    rule_id: str = Field(description="The rule that fired")
    rule_title: str = Field(description="Its title")
    dimension: str = Field(description="Its dimension")
    weighted_points: float = Field(description="The firing's weighted points")
    share_percent: int = Field(description="Its share of the alerting score's raising points this week, in percent")
    event_ids: list[str] = Field(description="The events of the firing")
    rule_source: str = Field(description="Document and section the rule encodes")


class AlertItem(_Ctx):
    id: str = Field(description="Stable alert id, as `riskengine alerts` and the service's webhooks give it")
    kind: str = Field(description="class_crossing or highest_in_weeks")
    subject: str = Field(description="'overall' or a dimension name")
    headline: str = Field(description="The alert in one sentence: what crossed or peaked, the value, the previous value or the N-week high it beat")
    score: float = Field(description="The score that alerted, 0-10")
    score_class: str = Field(description="Its class")
    previous_score: float = Field(description="The score the week before")
    previous_class: str = Field(description="Its class the week before")
    highest_in_weeks: int | None = Field(description="N when the score is the highest in N weeks, or null")
    drivers: list[AlertDriverRow] = Field(description="The firings that drove the score most, heaviest first")


class AlertSection(_Ctx):
    raised: list[AlertItem] = Field(description="The week's alerts, overall first; empty when there are none")
    floor: float = Field(description="The least score that alerts")
    floor_class: str = Field(description="The class of the floor")
    peak_weeks: int = Field(description="N of 'highest in N weeks'")
    cooldown_weeks: int = Field(description="Weeks in which the same alert is not raised again")


def _alerts(s: StakeholderScore) -> AlertSection | None:
    """The stakeholder's alerts of the week; None when they were not computed (a window that is
    not an ISO week), so the brief says nothing rather than "no alerts"."""
    if s.alerts is None:
        return None
    return AlertSection(
        raised=[
            AlertItem(
                id=a.id,
                kind=a.kind,
                subject=a.subject,
                headline=a.headline,
                score=a.score,
                score_class=a.score_class,
                previous_score=a.previous_score,
                previous_class=a.previous_class,
                highest_in_weeks=a.highest_in_weeks,
                drivers=[
                    AlertDriverRow(
                        rule_id=d.rule_id,
                        rule_title=d.rule_title,
                        dimension=d.dimension,
                        weighted_points=d.weighted_points,
                        share_percent=round(d.share * 100),
                        event_ids=list(d.event_ids),
                        rule_source=d.rule_source,
                    )
                    for d in a.drivers
                ],
            )
            for a in s.alerts.raised
        ],
        floor=s.alerts.floor,
        floor_class=s.alerts.floor_class,
        peak_weeks=s.alerts.peak_weeks,
        cooldown_weeks=s.alerts.cooldown_weeks,
    )


# ---------------------------------------------------------------------------------------------


class BriefContext(_Ctx):
    """Everything a brief template sees, for one stakeholder and one week."""

    schema_version: str = Field(BRIEF_SCHEMA_VERSION, description="Version of this model; JSON briefs carry it")
    stakeholder: str = Field(description="investor, government, ngo or analyst")
    title: str = Field(description="The stakeholder profile's title")
    window: WindowInfo = Field(description="The week of the brief")
    previous_window: WindowInfo = Field(description="The week before")
    alerts: AlertSection | None = Field(None, description="The week's alerts, shown first; null when the window is not an ISO week")
    bluf: Bluf = Field(description="Bottom line up front")
    judgments: list[Judgment] = Field(description="Key judgments: overall first, then dimensions by score")
    dimensions: list[ScoreRow] = Field(description="Scores by dimension, highest first")
    regions: list[ScoreRow] = Field(description="Scores by region: regions of interest first, then by score")
    trend: Trend = Field(description="Overall score over the history weeks")
    drivers: list[DriverEvent] = Field(description="Top events by weighted points, with sources and rules")
    actions: list[Action] = Field(description="Recommended actions, deduplicated, heaviest first")
    watchlist: Watchlist = Field(description="What to watch next week")
    changes: Changes = Field(description="Drivers that are new, intensified, eased or faded since last week")
    method: Method = Field(description="Method footnote")
    warnings: list[SectionWarning] = Field(description="Empty sections, in section order")
    # --- pictures (riskengine/briefs/map.py, charts.py) ---
    event_map: EventMap = Field(description="This week's events on a map of country boundaries")
    trend_charts: TrendCharts = Field(description="Each dimension's and region's score over the history weeks")


SECTIONS: tuple[str, ...] = ("judgments", "dimensions", "regions", "trend", "drivers", "actions", "watchlist", "changes")


# ---------------------------------------------------------------------------------------------
# Building the context


def arrow(change: float) -> str:
    if change >= 0.05:
        return "↑"
    if change <= -0.05:
        return "↓"
    return "→"


def signed(value: float) -> str:
    """``+1.2``, ``-0.4`` or ``±0.0``: a change as people write it."""
    rounded = round(value, 1)
    if rounded == 0:
        return "±0.0"
    return f"{rounded:+.1f}"


def sparkline(values: Sequence[float], maximum: float = 10.0) -> str:
    # A fixed 0-10 scale (not min-max) so sparklines of different briefs compare.
    top = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[min(top, max(0, round(v / maximum * top)))] for v in values)


def judged_likelihood(table: Table, score: float, previous_score: float, thresholds: Sequence[float]) -> Likelihood:
    """The likelihood word of a judgment, from history only: the ICD 203 band holding the share
    of comparable cases that came true the next week, counted in the weeks before this one
    (``scoring.calibration``: cases are comparable when the score is in the same class, reached
    the same way). Too few cases, no history or a window that is not an ISO week give no word
    but the reason, which the brief prints instead."""
    return table.judge(cell_of(score, previous_score, thresholds))


def likelihood_basis(table: Table, rule_pack_version: str) -> str:
    """The method note on the likelihood words: where they come from, the history and its size."""
    history = table.history
    if not is_iso_week(table.judged):
        return "Likelihood words are calibrated on ISO weeks; this window is not one, so no judgment carries one."
    if history is None:
        return "Likelihood words come only from calibration on history (riskengine calibrate); none was given, so no judgment carries one."
    pooled = len(history.stakeholders)
    text = (
        "Likelihood words come from history, not from a rule of thumb: each is the ICD 203 band holding the share of "
        "comparable cases that came true the next week (the same class, reached the same way: risen into it, held, or "
        f"fallen into it), counted in the {WINDOW_WEEKS} weeks before this one and pooled over {pooled} stakeholder"
        f"{'s' if pooled != 1 else ''} and over overall and dimension scores. History: {history.describe()}. A word needs "
        f"{MIN_CASES} comparable cases from {MIN_WEEKS} different weeks; short of that, the judgment says it is uncalibrated."
    )
    if history.rule_pack_version != rule_pack_version:
        text += (
            f" The history was scored with rule pack {history.rule_pack_version}, not this brief's {rule_pack_version}: "
            "its cases describe that pack's scores."
        )
    return text


def _class_floor(score_class: str, thresholds: Sequence[float]) -> float:
    position = CLASSES.index(score_class)
    return 0.0 if position == 0 else float(thresholds[position - 1])


def _change_words(change: float) -> str:
    if round(change, 1) == 0:
        return "unchanged since last week"
    direction = "up" if change > 0 else "down"
    return f"{direction} {abs(change):.1f} since last week"


def _corroborated(event_id: str, c: Contribution, events_by_id: Mapping[str, Event]) -> bool:
    """Two or more independent outlets (counted as scoring counts them) reported the event."""
    event = events_by_id.get(event_id)
    names = {s.name.casefold() for s in (event.sources if event is not None else c.sources)}
    return len(names) >= 2


class _Evidence:
    """What a judgment rests on: the events behind some contributions and their sources."""

    def __init__(self, contributions: Sequence[Contribution], events_by_id: Mapping[str, Event]) -> None:
        points = sum(c.points for c in contributions)
        self.mean_weight = round(sum(c.source_weight * c.points for c in contributions) / points, 2) if points > 0 else 0.0
        events: dict[str, bool] = {}
        corroborated_points = 0.0
        for c in contributions:
            flags = [_corroborated(event_id, c, events_by_id) for event_id in c.event_ids]
            events.update(zip(c.event_ids, flags, strict=True))
            # Like its source weight, a pattern firing is only as corroborated as its weakest event.
            corroborated_points += c.points if all(flags) else 0.0
        self.events = len(events)
        self.corroborated = sum(events.values())
        self.corroborated_share = corroborated_points / points if points > 0 else 0.0

    @property
    def confidence(self) -> str:
        if (
            self.events >= 2
            and self.mean_weight >= HIGH_CONFIDENCE_WEIGHT
            and self.corroborated_share >= HIGH_CONFIDENCE_CORROBORATED
        ):
            return "high"
        if self.events >= 1 and self.mean_weight >= MODERATE_CONFIDENCE_WEIGHT:
            return "moderate"
        return "low"

    def statement(self, about: str = "this judgment") -> str:
        level = self.confidence
        if self.events == 0:
            return f"We have {level} confidence in {about}: no reporting this week supports it."
        if self.events == 1:
            corroboration = "1 event, " + ("corroborated" if self.corroborated else "not corroborated")
        else:
            corroboration = f"{self.events} events, {self.corroborated} of them corroborated"
        return (
            f"We have {level} confidence in {about}: it rests on {corroboration} by "
            f"independent sources, with a mean source weight of {self.mean_weight:.2f} on the Admiralty code."
        )


def _judgment(
    subject: str,
    label: str,
    score: float,
    change: float,
    previous_score: float,
    thresholds: Sequence[float],
    contributions: Sequence[Contribution],
    events_by_id: Mapping[str, Event],
    table: Table,
) -> Judgment:
    score_class = classify(score, thresholds)
    previous_class = classify(previous_score, thresholds)
    # In the lowest class "stays at or above" is certain and says nothing: judge the rise instead.
    target = score_class if score_class != CLASSES[0] else CLASSES[1]
    floor = _class_floor(target, thresholds)
    likelihood = judged_likelihood(table, score, previous_score, thresholds)
    word = likelihood.word
    now = f"(now {score:.1f}, {_change_words(change)})"
    if word is not None:
        verb = f"stays in the {target} class or above" if target == score_class else f"rises to the {target} class or above"
        statement = f"{_LIKELIHOOD_LEAD.get(word, f'It is {word}')} that {label} {verb} next week {now}."
    else:  # ICD 203 asks for honesty about uncertainty: no word rather than an uncalibrated one
        verb = f"staying in the {target} class or above" if target == score_class else f"rising to the {target} class or above"
        statement = f"No likelihood is stated for {label} {verb} next week {now}: {likelihood.reason}."
    if previous_class == score_class:
        since = f"Class unchanged since last week ({score_class})."
    else:
        moved = "Rose" if CLASSES.index(score_class) > CLASSES.index(previous_class) else "Fell"
        since = f"{moved} from {previous_class} ({previous_score:.1f}) last week to {score_class} ({score:.1f})."
    evidence = _Evidence(contributions, events_by_id)
    return Judgment(
        subject=subject,
        statement=statement,
        likelihood=word,
        probability_range=likelihood.probability_range,
        basis=LikelihoodBasis(
            calibrated=likelihood.calibrated,
            statement=likelihood.basis,
            reason=likelihood.reason,
            cases=likelihood.cases,
            came_true=likelihood.came_true,
            weeks=likelihood.weeks,
            frequency=likelihood.frequency,
        ),
        confidence=evidence.confidence,
        confidence_statement=evidence.statement("this judgment" if word is not None else "the current assessment"),
        since_last_week=since,
        score=score,
        score_class=score_class,
        target_class=target,
        floor=floor,
        events=evidence.events,
        corroborated_events=evidence.corroborated,
        mean_source_weight=evidence.mean_weight,
    )


def _judgments(s: StakeholderScore, events_by_id: Mapping[str, Event], table: Table) -> list[Judgment]:
    judgments = [
        _judgment(
            "overall",
            f"the overall {_display(s.stakeholder)} risk",
            s.score,
            s.change,
            s.previous_score,
            s.thresholds,
            s.contributions,
            events_by_id,
            table,
        )
    ]
    by_dimension: dict[str, list[Contribution]] = defaultdict(list)
    for c in s.contributions:
        by_dimension[c.dimension].append(c)
    # Only dimensions that carry weight and show activity: judging every silent dimension would
    # bury the judgments that matter under "almost no chance".
    active = [d for d in s.dimensions if d.weight > 0 and (d.score > 0 or d.previous_score > 0)]
    for d in sorted(active, key=lambda d: (-d.score, d.dimension)):
        judgments.append(
            _judgment(
                d.dimension,
                f"the {d.dimension} score",
                d.score,
                d.change,
                d.previous_score,
                s.thresholds,
                by_dimension.get(d.dimension, []),
                events_by_id,
                table,
            )
        )
    return judgments


def _display(stakeholder: str) -> str:
    return "NGO" if stakeholder == "ngo" else stakeholder


def _bluf(s: StakeholderScore, report: ScoreReport) -> Bluf:
    previous_class = classify(s.previous_score, s.thresholds)
    if s.trend == "new":
        movement = f"up from no signal in {report.previous_window.label}"
    elif round(s.change, 1) == 0:
        movement = f"unchanged from {report.previous_window.label}"
    else:
        direction = "up" if s.change > 0 else "down"
        movement = f"{direction} {abs(s.change):.1f} from {s.previous_score:.1f} ({previous_class}) in {report.previous_window.label}"
    top = [d for d in sorted(s.dimensions, key=lambda d: (-d.score, d.dimension)) if d.score > 0 and d.weight > 0][:2]
    led = f", led by {' and '.join(d.dimension for d in top)}" if top else ""
    sentence = (
        f"Overall {_display(s.stakeholder)} risk for {report.window.label} is {s.score_class} at "
        f"{s.score:.1f} of 10, {movement}{led}."
    )
    return Bluf(
        sentence=sentence,
        score=s.score,
        score_class=s.score_class,
        previous_score=s.previous_score,
        previous_class=previous_class,
        change=s.change,
        trend=s.trend,
        arrow=arrow(s.change),
    )


def _trend(s: StakeholderScore, report: ScoreReport) -> Trend:
    # Room on the right for the class names of the threshold lines, below for the week labels.
    width, height = 560, 160
    left, right, top, bottom = 10, width - 80, 10, height - 24
    history = list(s.history)
    n = len(history)
    step = (right - left) / (n - 1) if n > 1 else 0.0

    def y_of(value: float) -> float:
        return round(bottom - (value / 10.0) * (bottom - top), 1)

    points = [
        ChartPoint(window=h.window, score=h.score, x=round(left + i * step if n > 1 else (left + right) / 2, 1), y=y_of(h.score))
        for i, h in enumerate(history)
    ]
    return Trend(
        sparkline=sparkline([h.score for h in history]),
        first_window=history[0].window if history else report.window.label,
        last_window=history[-1].window if history else report.window.label,
        points=points,
        polyline=" ".join(f"{p.x:g},{p.y:g}" for p in points),
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        plot_bottom=bottom,
        thresholds=[
            ChartLine(label=CLASSES[i + 1], value=float(t), y=y_of(float(t))) for i, t in enumerate(s.thresholds)
        ],
    )


def _place(event: Event) -> str:
    parts = [p for p in (event.location, event.admin1) if p]
    return ", ".join(dict.fromkeys(parts)) + f" ({event.country})" if parts else event.country


def _target(event: Event) -> str | None:
    if event.target_name:
        return event.target_name
    if event.target_category:
        return event.target_category.replace("_", " ")
    return None


def _summary(event: Event) -> str:
    if event.diplomatic_kind:
        # "Other" (the usual sub-event type of diplomacy) says nothing; the kind and status do.
        what = " ".join(p for p in (event.diplomatic_kind.replace("_", " "), event.diplomatic_status) if p)
        parties = " and ".join(a for a in (event.actor1, event.actor2) if a)
        on = f" ({parties})" if parties else ""
    else:
        # ACLED's "Other" sub-event type says less than the event type it belongs to.
        what = event.sub_event_type if event.sub_event_type not in (None, "Other") else event.event_type
        target = _target(event)
        on = f" on {target}" if target else ""
    dead = f"; {event.fatalities} killed" if event.fatalities else ""
    return f"{event.event_date.isoformat()}, {_place(event)}: {what}{on}{dead}"


def _sources(event: Event | None, contributions: Sequence[Contribution]) -> list[SourceRow]:
    if event is not None:
        rows = {(s.name, s.grade, s.url, s.document) for s in event.sources}
    else:
        rows = {(s.name, s.grade, s.url, s.document) for c in contributions for s in c.sources}
    # Best grade first: readers weigh a driver by its strongest report.
    ordered = sorted(rows, key=lambda r: (r[1], r[0], r[2] or "", r[3] or ""))
    return [SourceRow(name=n, grade=g, url=u, document=d) for n, g, u, d in ordered]


def _completing_event(c: Contribution, events: Mapping[str, Event]) -> str:
    known = [events[i] for i in c.event_ids if i in events]
    if not known:
        return c.event_ids[-1]
    return max(known, key=lambda e: (e.event_date, e.event_id)).event_id


def _fired_rules(event_id: str, contributions: Sequence[Contribution]) -> list[FiredRule]:
    # One line per rule: in a busy week one strike can complete a pattern rule with a thousand
    # partner events, and a brief that lists each firing is no longer read.
    by_rule: dict[str, list[Contribution]] = defaultdict(list)
    for c in contributions:
        by_rule[c.rule_id].append(c)
    rules = []
    for rule_id, firings in by_rule.items():
        first = firings[0]
        related = sorted({i for c in firings for i in c.event_ids if i != event_id})
        rules.append(
            FiredRule(
                rule_id=rule_id,
                rule_title=first.rule_title,
                dimension=first.dimension,
                weighted_points=round(sum(c.weighted_points for c in firings), 4),
                firings=len(firings),
                rule_source=first.rule_source,
                rule_file=first.rule_file,
                rule_line=first.rule_line,
                related_event_ids=related[:MAX_RELATED],
                more_related_events=max(0, len(related) - MAX_RELATED),
            )
        )
    return sorted(rules, key=lambda r: (-r.weighted_points, r.rule_id))


def _drivers(s: StakeholderScore, events: Mapping[str, Event]) -> list[DriverEvent]:
    by_event: dict[str, list[Contribution]] = defaultdict(list)
    for c in s.contributions:
        by_event[_completing_event(c, events)].append(c)
    ranked = sorted(by_event.items(), key=lambda item: (-sum(c.weighted_points for c in item[1]), item[0]))
    drivers = []
    for event_id, contributions in ranked[:TOP_DRIVERS]:
        event = events.get(event_id)
        rules = _fired_rules(event_id, contributions)
        first = contributions[0]
        drivers.append(
            DriverEvent(
                event_id=event_id,
                event_date=event.event_date if event else first.event_date,
                event_type=event.event_type if event else "unknown",
                sub_event_type=event.sub_event_type if event else None,
                country=event.country if event else first.region,
                place=_place(event) if event else first.region,
                target=_target(event) if event else None,
                summary=_summary(event) if event else f"{first.event_date.isoformat()}, {first.region}: event {event_id}",
                notes=event.notes if event else None,
                fatalities=event.fatalities if event else 0,
                verification=event.verification if event else "claimed",
                weighted_points=round(sum(c.weighted_points for c in contributions), 4),
                sources=_sources(event, contributions),
                rules=rules,
                derived=[DerivedValue(field=d.field, value=str(d.value), method=d.method, evidence=d.evidence) for d in event.derived] if event else [],
            )
        )
    return drivers


def _actions(s: StakeholderScore) -> list[Action]:
    by_rule: dict[str, list[Contribution]] = defaultdict(list)
    for c in s.contributions:
        if c.recommendation:
            by_rule[c.rule_id].append(c)
    # One action per rule: a rule's firings differ in wording only through the events they name,
    # so the heaviest firing speaks for all of them. Rules that give the same text merge.
    merged: dict[str, dict[str, Any]] = {}
    for rule_id in sorted(by_rule):
        firings = by_rule[rule_id]
        lead = min(firings, key=lambda c: (-c.weighted_points, c.recommendation or ""))
        text = lead.recommendation or ""
        entry = merged.setdefault(text, {"weight": 0.0, "firings": 0, "rules": {}, "events": set()})
        entry["weight"] += sum(c.weighted_points for c in firings)
        entry["firings"] += len(firings)
        entry["rules"][rule_id] = RuleCite(rule_id=rule_id, rule_title=lead.rule_title, rule_source=lead.rule_source)
        entry["events"].update(e for c in firings for e in c.event_ids)
    ordered = sorted(merged, key=lambda text: (-merged[text]["weight"], text))
    return [
        Action(
            text=text,
            weight=round(merged[text]["weight"], 4),
            firings=merged[text]["firings"],
            event_ids=sorted(merged[text]["events"]),
            rules=[merged[text]["rules"][r] for r in sorted(merged[text]["rules"])],
        )
        for text in ordered
    ]


def _watchlist(s: StakeholderScore, report: ScoreReport, events: Sequence[Event]) -> Watchlist:
    end = report.window.end
    known = [e for e in events if e.event_date <= end]

    talks = [
        Talks(
            event_id=e.event_id,
            scheduled_date=e.scheduled_date,
            days_after_window=(e.scheduled_date - end).days,
            place=_place(e),
            parties=" and ".join(a for a in (e.actor1, e.actor2) if a) or "parties not named",
            status=e.diplomatic_status or "unknown",
        )
        for e in known
        if e.diplomatic_kind == "talks" and e.scheduled_date is not None and e.scheduled_date > end
    ]
    talks.sort(key=lambda t: (t.scheduled_date, t.event_id))

    hits: dict[str, list[Event]] = defaultdict(list)
    for e in known:
        if e.target_name:
            hits[e.target_name.casefold()].append(e)
    repeats = []
    for group in hits.values():
        group.sort(key=lambda e: (e.event_date, e.event_id))
        this_week = sum(1 for e in group if e.event_date >= report.window.start)
        if len(group) > 1 and this_week:
            repeats.append(
                RepeatTarget(
                    target_name=group[-1].target_name or "",
                    hits=len(group),
                    hits_this_week=this_week,
                    first_date=group[0].event_date,
                    recent_dates=[e.event_date for e in group[-MAX_RELATED:]],
                    recent_event_ids=[e.event_id for e in group[-MAX_RELATED:]],
                )
            )
    repeats.sort(key=lambda r: (-r.hits, r.target_name.casefold(), r.target_name))

    near = []
    subjects = [("overall", s.score, 1.0)] + [(d.dimension, d.score, d.weight) for d in s.dimensions]
    for subject, score, weight in subjects:
        if weight <= 0:
            continue
        above = [t for t in s.thresholds if t > score]
        if not above:
            continue
        threshold = float(above[0])
        gap = round(threshold - score, 2)
        if gap <= NEAR_THRESHOLD:
                    near.append(
                NearThreshold(
                    subject=subject,
                    score=score,
                    score_class=classify(score, s.thresholds),
                    next_class=classify(threshold, s.thresholds),
                    threshold=threshold,
                    gap=gap,
                )
            )
    near.sort(key=lambda n: (n.gap, n.subject != "overall", n.subject))
    return Watchlist(
        talks=talks[:MAX_LISTED],
        more_talks=max(0, len(talks) - MAX_LISTED),
        repeat_targets=repeats[:MAX_LISTED],
        more_repeat_targets=max(0, len(repeats) - MAX_LISTED),
        near_thresholds=near,
    )


def _changes(s: StakeholderScore) -> Changes:
    groups: dict[str, list[DriverChange]] = {"new": [], "intensified": [], "eased": [], "faded": []}
    for d in s.drivers:
        if d.status in groups:
            groups[d.status].append(
                DriverChange(
                    rule_id=d.rule_id,
                    rule_title=d.rule_title,
                    dimension=d.dimension,
                    weighted_points=d.weighted_points,
                    previous_weighted_points=d.previous_weighted_points,
                    event_ids=list(d.event_ids),
                )
            )
    for items in groups.values():
        items.sort(key=lambda c: (-abs(c.weighted_points - c.previous_weighted_points), c.rule_id))
    return Changes(**groups)


def _method(s: StakeholderScore, report: ScoreReport, table: Table) -> Method:
    bounds = [0.0, *[float(t) for t in s.thresholds], report.scale.maximum]
    return Method(
        scale=(
            f"Scores run from {report.scale.minimum:g} to {report.scale.maximum:g}; "
            f"{report.scale.direction}."
        ),
        minimum=report.scale.minimum,
        maximum=report.scale.maximum,
        classes=[ClassBand(name=name, lower=bounds[i], upper=bounds[i + 1]) for i, name in enumerate(CLASSES)],
        likelihoods=[LikelihoodBand(word=w, probability_range=r) for w, r, _ in LIKELIHOOD_BANDS],
        likelihood_basis=likelihood_basis(table, report.rule_pack.version),
        rule_pack_version=report.rule_pack.version,
        rules=report.rule_pack.rules,
        events_in_window=report.events_in_window,
        events_in_previous_window=report.events_in_previous_window,
        generated_at=report.generated_at or "not given",
    )


def _warnings(ctx: dict[str, Any], s: StakeholderScore) -> list[SectionWarning]:
    found: list[SectionWarning] = []

    def warn(section: str, message: str) -> None:
        found.append(SectionWarning(section=section, message=message))

    if not s.contributions:
        warn("judgments", "no rule fired this week, so the judgments rest on no reporting")
    judgments: list[Judgment] = ctx["judgments"]
    if judgments and all(j.likelihood is None for j in judgments):
        warn("judgments", f"no judgment carries a likelihood word: {judgments[0].basis.reason} (each judgment says what it lacks)")
    if all(d.score == 0 for d in ctx["dimensions"]):
        warn("dimensions", "every dimension scores 0 this week")
    if not ctx["regions"]:
        warn("regions", "no region has a score this week or last week")
    if len(s.history) < 2:
        warn("trend", "fewer than two weeks of history to draw a trend")
    if not ctx["drivers"]:
        warn("drivers", "no events drove the score this week")
    if not ctx["actions"]:
        warn("actions", "no rule that fired this week recommends an action")
    w: Watchlist = ctx["watchlist"]
    if not (w.talks or w.repeat_targets or w.near_thresholds):
        warn("watchlist", "no scheduled talks, repeat targets or scores near a threshold")
    c: Changes = ctx["changes"]
    if not (c.new or c.intensified or c.eased or c.faded):
        warn("changes", "no driver is new, intensified, eased or faded since last week")
    return sorted(found, key=lambda x: SECTIONS.index(x.section))


def _row(name: str, weight: float, of_interest: bool, score: float, score_class: str, previous: float, change: float) -> ScoreRow:
    return ScoreRow(
        name=name,
        weight=weight,
        of_interest=of_interest,
        score=score,
        score_class=score_class,
        previous_score=previous,
        change=change,
        arrow=arrow(change),
    )


def build_context(report: ScoreReport, stakeholder: str, events: Iterable[Event], *, calibration: History | None = None) -> BriefContext:
    """The brief for one stakeholder of ``report``; ``events`` are those the report was scored on.
    ``calibration`` is the history the likelihood words come from (``scoring.calibration``);
    without it every judgment says it is uncalibrated instead of giving a word."""
    found = [s for s in report.stakeholders if s.stakeholder == stakeholder]
    if not found:
        known = ", ".join(s.stakeholder for s in report.stakeholders) or "none"
        raise TemplateError(f"stakeholder '{stakeholder}' is not in the score report (it has: {known})")
    s = found[0]
    event_list = sorted(events, key=lambda e: (e.event_date, e.event_id))
    index = {e.event_id: e for e in event_list}
    # Without the events its contributions name, a brief would list no drivers and still read
    # as complete: refuse it here, where every caller (CLI, API, service) builds one.
    missing = sorted({i for c in s.contributions for i in c.event_ids} - index.keys())
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise EventError([Issue("E203", f"the events the report was scored from are needed for its brief; missing: {shown}")])
    parts: dict[str, Any] = {
        "dimensions": [
            _row(d.dimension, d.weight, False, d.score, d.score_class, d.previous_score, d.change)
            for d in sorted(s.dimensions, key=lambda d: (-d.score, -d.weight, d.dimension))
        ],
        "regions": [
            _row(r.region, 1.0, r.of_interest, r.score, r.score_class, r.previous_score, r.change) for r in s.regions
        ],
        "drivers": _drivers(s, index),
        "actions": _actions(s),
        "watchlist": _watchlist(s, report, event_list),
        "changes": _changes(s),
    }
    table = table_at(calibration, Window(report.window.start, report.window.end, report.window.label))
    judgments = _judgments(s, index, table)
    return BriefContext(
        stakeholder=s.stakeholder,
        title=s.title,
        window=WindowInfo(label=report.window.label, start=report.window.start, end=report.window.end),
        previous_window=WindowInfo(
            label=report.previous_window.label, start=report.previous_window.start, end=report.previous_window.end
        ),
        alerts=_alerts(s),
        bluf=_bluf(s, report),
        judgments=judgments,
        trend=_trend(s, report),
        method=_method(s, report, table),
        warnings=_warnings({**parts, "judgments": judgments}, s),
        # --- pictures (riskengine/briefs/map.py, charts.py) ---
        event_map=build_event_map(s.contributions, index, [r.region for r in s.regions if r.of_interest], f"{report.window.label}-{s.stakeholder}-map.png"),
        trend_charts=build_trend_charts(
            s, [d.name for d in parts["dimensions"]], [(r.name, r.of_interest) for r in parts["regions"]], f"{report.window.label}-{s.stakeholder}"
        ),
        **parts,
    )


# ---------------------------------------------------------------------------------------------
# Templates

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~&!])")
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def md_escape(value: Any) -> str:
    """Text as Markdown shows it literally: one line, every markup character backslash-escaped."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(neutralise(str(value)).split()))  # no bidi/ANSI from events
    # "\{%" would still read as a template tag to anyone grepping for leftovers; "%" is
    # escapable too, and only escaped there so "55-80 %" stays readable.
    return escaped.replace("\\{%", "\\{\\%")


def _refuse_missing(value: Any) -> None:
    if value is None:
        raise TemplateError("a template printed a value that is not set (None); guard it with {% if ... %}")
    if isinstance(value, float) and not math.isfinite(value):
        raise TemplateError(f"a template printed a number that is not finite ({value})")


def _md_escape_tree(value: Any) -> Any:
    # Markdown has no autoescaping, and block output (``self.section()``) is a plain string like
    # any other, so the data is escaped on its way in instead: every string in the context.
    if isinstance(value, str):
        return md_escape(value)
    if isinstance(value, dict):
        return {k: _md_escape_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_md_escape_tree(v) for v in value]
    return value


def _finalize_md(value: Any) -> Any:
    _refuse_missing(value)
    return value


def _finalize_html(value: Any) -> Any:
    _refuse_missing(value)
    if isinstance(value, str) and not isinstance(value, Markup):
        # Autoescaping covers markup; template syntax in data must not show up as "{{" either.
        # Markup (template text, block output) is left alone: it may hold CSS braces.
        return Markup(str(escape(neutralise(value))).translate(_BRACES))  # no bidi/ANSI from events
    return value


def _num(value: float, digits: int = 1) -> str:
    _refuse_missing(value)
    return f"{value:.{digits}f}"


def _template_roots(templates_dir: str | Path | None) -> list[Path]:
    roots = [Path(templates_dir)] if templates_dir is not None else []
    return [*roots, default_templates_dir()]


def make_environment(fmt: str, templates_dir: str | Path | None = None) -> SandboxedEnvironment:
    """The sandboxed environment for ``md`` or ``html`` briefs: the user's templates first."""
    if fmt not in ("md", "html"):
        raise TemplateError(f"no templates for format '{fmt}' (templates exist for md and html)")
    builtin = FileSystemLoader(str(default_templates_dir()))
    loaders: list[Any] = []
    if templates_dir is not None:
        if not Path(templates_dir).is_dir():
            raise TemplateError(f"--templates {templates_dir}: not a directory")
        loaders.append(ConfinedLoader(str(templates_dir)))  # no symlink out of it, no non-UTF-8 file
    loaders.append(PrefixLoader({"default": builtin}, delimiter=":"))
    loaders.append(builtin)
    env = LimitedSandbox(  # bounded output, loops and operators: core.sandbox
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default_for_string=fmt == "html"),
        finalize=_finalize_html if fmt == "html" else _finalize_md,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = _num
    env.filters["signed"] = signed
    env.filters["md"] = md_escape
    visuals.install(env)  # map_svg(), trend_svg(): riskengine/briefs/visuals.py
    return env


def template_names(stakeholder: str, fmt: str) -> list[str]:
    """Templates tried for a brief, first found wins: the stakeholder's own, then the generic one."""
    return [f"{stakeholder}.{fmt}.j2", f"brief.{fmt}.j2"]


def _tidy(text: str) -> str:
    # Templates are easier to read with blank lines between blocks; briefs should not carry runs
    # of them, and must end with exactly one newline so byte-for-byte comparisons are stable.
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"


def _hide_braces(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\x00NU").replace("{", "\x00LB").replace("}", "\x00RB")
    if isinstance(value, dict):
        return {k: _hide_braces(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_hide_braces(v) for v in value]
    return value


def _json_brief(context: BriefContext) -> str:
    # The same strings, written so that no page a JSON brief is pasted into (HTML, or a
    # client-side template with {{ }} interpolation) can read markup or template code in them.
    # Braces inside strings are swapped for a marker before encoding (JSON's own braces must stay).
    text = json.dumps(_hide_braces(context.model_dump(mode="json")), indent=2, ensure_ascii=False)
    for raw, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\\u0000LB", "\\u007b"), ("\\u0000RB", "\\u007d"), ("\\u0000NU", "\\u0000")):
        text = text.replace(raw, code)
    return text + "\n"


def render_brief(
    context: BriefContext,
    fmt: str,
    templates_dir: str | Path | None = None,
    *,
    environment: SandboxedEnvironment | None = None,
) -> str:
    """The brief as text: Markdown, HTML or JSON. Pass ``environment`` (from
    ``make_environment``) to reuse compiled templates across briefs."""
    if fmt == "json":
        return _json_brief(context)
    env = environment or make_environment(fmt, templates_dir)
    names = template_names(context.stakeholder, fmt)
    try:
        template = env.select_template(names)
    except TemplatesNotFound:
        searched = ", ".join(str(p) for p in _template_roots(templates_dir))
        raise TemplateError(f"no template {' or '.join(names)} in {searched}") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
    try:
        data = context.model_dump()
        text = template.render(_md_escape_tree(data) if fmt == "md" else data)
    except TemplateNotFound as exc:
        raise TemplateError(f"{template.filename}: template '{exc.name}' not found (built-ins are 'default:NAME')") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
    except JinjaTemplateError as exc:  # undefined names, sandbox refusals
        raise TemplateError(f"{template.filename}: {type(exc).__name__}: {exc}") from None
    except TemplateError:
        raise
    except (TypeError, ValueError, AttributeError) as exc:
        raise TemplateError(f"{template.filename}: {type(exc).__name__}: {exc}") from None
    return _tidy(text)


_LEFTOVERS = (
    ("{{", re.compile(r"\{\{")),
    ("{%", re.compile(r"\{%")),
    ("TODO", re.compile(r"TODO")),
    ("None", re.compile(r"\bNone\b")),
    ("nan", re.compile(r"\bnan\b", re.IGNORECASE)),
)


def leftover_placeholders(text: str) -> list[str]:
    """Placeholders or missing values left in a rendered brief (an empty list when clean)."""
    return [name for name, pattern in _LEFTOVERS if pattern.search(text)]


def brief_filename(context: BriefContext, fmt: str) -> str:
    return f"{context.window.label}-{context.stakeholder}.{fmt}"


@dataclass(frozen=True)
class RenderedBrief:
    context: BriefContext
    fmt: str
    filename: str
    text: str
    leftovers: tuple[str, ...]


def render_briefs(
    report: ScoreReport,
    events: Iterable[Event],
    *,
    formats: Sequence[str] = ("md",),
    templates_dir: str | Path | None = None,
    calibration: History | None = None,
) -> list[RenderedBrief]:
    """Every stakeholder of ``report`` in every format, in the report's stakeholder order;
    ``calibration`` as for ``build_context``."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise TemplateError(f"unknown brief format '{unknown[0]}' (one of: {', '.join(FORMATS)})")
    event_list = list(events)
    # One environment per format and call: templates compile once for all stakeholders, and a
    # later call (--watch) starts fresh, so an edited template is never served from a cache.
    environments = {fmt: make_environment(fmt, templates_dir) for fmt in formats if fmt != "json"}
    rendered = []
    for s in report.stakeholders:
        context = build_context(report, s.stakeholder, event_list, calibration=calibration)
        for fmt in formats:
            text = render_brief(context, fmt, templates_dir, environment=environments.get(fmt))
            rendered.append(
                RenderedBrief(context, fmt, brief_filename(context, fmt), text, tuple(leftover_placeholders(text)))
            )
    return rendered


__all__ = [
    "BRIEF_SCHEMA_VERSION",
    "CONFIDENCE_LEVELS",
    "FORMATS",
    "LIKELIHOOD_BANDS",
    "SECTIONS",
    "BriefContext",
    "RenderedBrief",
    "brief_filename",
    "build_context",
    "judged_likelihood",
    "leftover_placeholders",
    "likelihood_basis",
    "make_environment",
    "md_escape",
    "render_brief",
    "render_briefs",
    "signed",
    "sparkline",
    "template_names",
]
