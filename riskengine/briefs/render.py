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
import heapq
import itertools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from riskengine.briefs.citations import SEED_DOCUMENTS, cited_as, document_name, general_rule, parse_rule_source, safe_link
from riskengine.briefs.lint import LintFinding, lint_brief
from riskengine.briefs.map import EventMap, build_event_map, coordinates
from riskengine.briefs.places import place_in, region_label, region_name
from riskengine.core.errors import EventError, Issue, TemplateError
from riskengine.core.events import EVENT_TYPES, SUB_EVENT_TYPES, Event
from riskengine.core.names import GENERIC_GROUPS, country_name, day_said, display_name, display_names
from riskengine.core.resources import default_templates_dir
from riskengine.core.sandbox import ConfinedLoader, LimitedSandbox
from riskengine.core.text import neutralise
from riskengine.core.tolls import STAND_IN_TOLL
from riskengine.core.windows import Window
from riskengine.scoring.alerts import driver_percent, drivers_by_rule, largest_of, raising_count, record_start
from riskengine.scoring.calibration import ICD203_BANDS, MIN_CASES, MIN_WEEKS, WINDOW_WEEKS, History, Likelihood, Table, is_iso_week, profile_of, table_at
from riskengine.scoring.scores import (
    CLASSES,
    AlertDriver,
    Contribution,
    ScoreReport,
    StakeholderScore,
    added_in_order,
    classify,
    end_said,
    exact_sum,
    is_week,
    record_ends_said,
)

if TYPE_CHECKING:  # build_context's hook; riskengine/briefs/baseline.py imports this module
    from riskengine.briefs.baseline import SinceLastWeek

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
    sentence: str = Field(description="The bottom line in one sentence: class, score and change; a rise from a week the events read begin in says it may be the record starting, and a week with a quarter or less of the week before's events (20 or more) that it may be a gap in reporting")
    score: float = Field(description="Overall score, 0-10")
    score_said: str = Field(description="The overall score as the sentence says it: one decimal, or two where one would not add up with the change (said_apart)")
    change_said: str = Field(description="The change since the previous window as the sentence says it, signed: +0.45, -0.05, ±0.0")
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
    frequency: float | None = Field(description="came_true / cases when calibrated, 0-1: the comparable cases' record, shown beside the probability")
    probability: float | None = Field(
        default=None, description="The probability behind the word when calibrated, 0-1 (the word's band holds it): the model's for this score"
    )


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


class DimensionRow(ScoreRow):
    """A dimension's row: the numbers the overall score is computed from, as they are used."""

    points: float = Field(description="Net weighted points P of the dimension this week")
    saturation: float = Field(description="The profile's saturation s of the dimension (score = 10 (1 - (1 + P/s)^-1/2))")
    share: float = Field(description="Its part of X: weight * P / s / (sum of the weights), rounded to 3 decimals so the shares add up to X as printed")
    share_percent: float = Field(description="share as a percentage of X (what 'led by' ranks)")


class OverallSum(_Ctx):
    """How the overall score comes from the dimension rows (scoring.scores.overall_score)."""

    weight_total: float = Field(description="Sum of the profile's dimension weights")
    x: float = Field(description="X = sum of the shares: the weighted mean of P/s, 3 decimals")
    score: float = Field(description="Overall score = 10 (1 - (1 + X)^-1/2), as scored (2 decimals)")
    sentence: str = Field(description="The computation in words, with the shares and X, so a reader can redo it")


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
    date: dt.date | None = Field(None, description="Day of the report, when known")
    link: str | None = Field(None, description="url when it is safe to link (http or https with a host), percent-encoded; else null")
    relays: str | None = Field(None, description="Claimant whose account the source passes on, when it only relays a claim")


class FigureSource(_Ctx):
    value: str = Field(description="The figure as the source gave it")
    source: str = Field(description="Source that gave it, or 'event record' for the value the event was coded with")
    claimed_by: str | None = Field(description="Side that claims the figure, when it is a claim")


class DisputedFigure(_Ctx):
    """A figure the sources of one event give differently: shown as a range with its sources."""

    event_id: str = Field(description="Event the figure belongs to")
    place: str = Field(description="Where the event happened (location, or the country)")
    field: str = Field(description="Event field, e.g. hospitalised")
    label: str = Field(description="The field in words, e.g. 'hospitalised'")
    low: float = Field(description="Lowest figure given")
    high: float = Field(description="Highest figure given")
    range: str = Field(description="low-high as printed, e.g. 30-35")
    coded: str | None = Field(description="The value the event was coded with (what the rules used), or null")
    claims: list[FigureSource] = Field(description="Each figure with its source, lowest first")
    sentence: str = Field(description="One line for the brief: range, place, each source's figure, and the value used")


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
    said: str = Field(description="The same as a reader reads it: field in words, the value, and how, with no file or pattern names")
    used: bool = Field(True, description="False for a figure read in the notes but not used (a total over a period): it filled no field, and said tells why")


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
    disputed: list[DisputedFigure] = Field(default_factory=list, description="Its figures that sources give differently, as ranges")
    estimated_toll: str | None = Field(None, description="When its toll is ACLED's stand-in for one its sources did not give: one line saying so, with the notes' words")


class RuleCite(_Ctx):
    rule_id: str = Field(description="Rule id")
    rule_title: str = Field(description="Rule title")
    rule_source: str = Field(description="Source document and section, as the rule file gives them (e.g. '001 Opening paragraphs')")
    source_name: str = Field("", description="The document by name ('seed 001') or the public method's name; documents lists its title")
    section: str = Field("", description="Section of the document or method the rule encodes")
    document: str | None = Field(None, description="Seed document id, when the rule cites one")
    rule_file: str = Field("", description="Rule file")
    rule_line: int = Field(0, description="Line of the rule in its file")
    general: bool = Field(False, description="The rule fired here only outside the theatre of the document it was drawn from (a rule from a report on Ukraine firing in Somalia): a general rule, not a finding of that document")
    cited_as: str = Field("", description="The citation as printed after the rule id: file and line, what the rule is and what it was drawn from ('a general rule drawn from seed 000, “...”, an analysis about ...')")


class ActionPart(_Ctx):
    """One firing (or several with the same text) behind an action."""

    text: str = Field(description="The recommendation as this firing words it")
    event_ids: list[str] = Field(description="Events of the firing(s), at most 5")
    more_events: int = Field(0, description="Events beyond those listed")
    region: str = Field(description="Region (ISO 3166-1 alpha-3) the firing is scored under")
    place: str = Field(description="Where: location of the completing event, or the country's name")
    points: float = Field(description="The rule's points before source weighting: the firing's size")
    weighted_points: float = Field(description="Points after source weighting")
    firings: int = Field(1, description="How many firings it stands for")


class Action(_Ctx):
    text: str = Field(description="The recommendation; built from several firings it names each, largest first")
    weight: float = Field(description="Weighted points of all the firings of its rules this week")
    firings: int = Field(description="How many firings recommend it")
    event_ids: list[str] = Field(description="Events behind those firings")
    rules: list[RuleCite] = Field(description="Rules recommending it")
    parts: list[ActionPart] = Field(default_factory=list, description="Its firings, largest first (size: points before source weighting), at most 10")
    more_parts: int = Field(0, description="Parts (firings with their own wording or region) beyond those listed")
    more_firings: int = Field(0, description="Firings in the parts beyond those listed")
    regions: list[str] = Field(default_factory=list, description="Regions of its firings")
    in_regions_of_interest: bool = Field(True, description="False for an action listed apart: none of its firings is in a region of interest")
    duty: str | None = Field(None, description="The stakeholder's duty it serves (e.g. 'staff safety'), which orders it first; or null")
    disputed: list[DisputedFigure] = Field(default_factory=list, description="Disputed figures its text relies on, as ranges with sources")
    estimated_tolls: list[str] = Field(default_factory=list, description="Tolls its text gives that are ACLED's stand-ins for a toll the sources did not give, one line each")


class Talks(_Ctx):
    event_id: str = Field(description="Event that reported the talks")
    scheduled_date: dt.date = Field(description="Day the talks are scheduled for")
    days_after_window: int = Field(description="Days from the end of the window to the talks")
    place: str = Field(description="Where, or the country")
    parties: str = Field(description="Actors named, or 'parties not named'")
    status: str = Field(description="Diplomatic status, or 'unknown'")


class RepeatTarget(_Ctx):
    target_name: str = Field(description="Named target")
    place: str | None = Field(None, description="Its place, when targets of that name were hit in several places (each counted apart)")
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


class CitedSource(_Ctx):
    """A report the brief relies on: one row per outlet, date and link."""

    name: str = Field(description="Outlet or document")
    grade: str = Field(description="Admiralty grade; when the outlet's reports were graded differently, its grades best first with the events each was given on (and then date is null)")
    date: dt.date | None = Field(description="Day of the report, when known")
    link: str | None = Field(description="http(s) link, percent-encoded; null when none is known or it is not http(s)")
    link_withheld: bool = Field(description="A URL was given but is not an http(s) link, so it is not shown")
    document: str | None = Field(description="Seed document id, when the report is one of ours")
    relays: str | None = Field(description="Claimant it passes on, when it only relays a claim")
    event_ids: list[str] = Field(description="Events of the brief it reports, at most 10")
    more_events: int = Field(description="Events beyond those listed")


class CitedDocument(_Ctx):
    """A document or public method the brief's rules or sources cite, by name and title."""

    name: str = Field(description="'seed 001', 'document 042' or the method's name")
    document: str | None = Field(description="Seed document id; null for a method")
    title: str | None = Field(description="Title; null when unknown")
    title_supplied: bool = Field(description="The document has no headline: the title is its subject, printed in brackets")
    file: str | None = Field(description="File of the document")
    kind: str | None = Field(description="news report, analysis or method")
    date: str | None = Field(description="Publication date as reported (may be approximate)")
    sections: list[str] = Field(description="Sections the brief's rules cite")
    rule_ids: list[str] = Field(description="Rules of the brief citing it")
    event_ids: list[str] = Field(description="Events of the brief it reports")
    about: str | None = Field(None, description="What a seed document reports on ('the war between Russia and Ukraine'); null for a method or an unknown document")
    general: bool = Field(False, description="None of the brief's events is in the document's theatre: its rules are cited here as general rules drawn from it")


class SectionWarning(_Ctx):
    section: str = Field(description="judgments, dimensions, regions, trend, drivers, actions, watchlist, changes or sources")
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


class AlertDriverFiring(_Ctx):
    share_percent: int = Field(description="The firing's share of the alerting score's raising points this week, in percent")
    event_ids: list[str] = Field(description="The events of the firing")


class AlertDriverRule(_Ctx):
    rule_id: str = Field(description="The rule that fired")
    rule_title: str = Field(description="Its title")
    dimension: str = Field(description="Its dimension")
    share_percent: int = Field(description="The share of its firings below, together, in percent")
    firings: list[AlertDriverFiring] = Field(description="Its firings among the drivers, heaviest first")


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
    driver_rules: list[AlertDriverRule] = Field(description="The same firings by rule, a rule once however often it fired, the largest share first")
    raising_firings: int = Field(description="How many firings raised the alerting score this week; the drivers are the largest of them")


class AlertSection(_Ctx):
    raised: list[AlertItem] = Field(description="The week's alerts, overall first; empty when there are none")
    floor: float = Field(description="The least score that alerts")
    floor_class: str = Field(description="The class of the floor")
    peak_weeks: int = Field(description="N of 'highest in N weeks'")
    cooldown_weeks: int = Field(description="Weeks in which the same alert is not raised again")


def _driver_rule(firings: Sequence[AlertDriver]) -> AlertDriverRule:
    percents = [driver_percent(d) for d in firings]
    return AlertDriverRule(
        rule_id=firings[0].rule_id,
        rule_title=firings[0].rule_title,
        dimension=firings[0].dimension,
        share_percent=sum(percents),
        firings=[AlertDriverFiring(share_percent=p, event_ids=list(d.event_ids)) for p, d in zip(percents, firings, strict=True)],
    )


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
                        share_percent=driver_percent(d),
                        event_ids=list(d.event_ids),
                        rule_source=d.rule_source,
                    )
                    for d in a.drivers
                ],
                driver_rules=[_driver_rule(group) for group in drivers_by_rule(a.drivers)],
                raising_firings=raising_count(s, a.subject),
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
    dimensions: list[DimensionRow] = Field(description="Scores by dimension, largest share of the overall first")
    overall: OverallSum = Field(description="How the overall score is computed from the dimension rows")
    regions: list[ScoreRow] = Field(description="Scores by region: regions of interest first, then by score")
    trend: Trend = Field(description="Overall score over the history weeks")
    drivers: list[DriverEvent] = Field(description="Top events by weighted points, with sources and rules")
    actions: list[Action] = Field(description="Recommended actions in the regions of interest: the stakeholder's duty first, then heaviest first")
    actions_outside: list[Action] = Field(description="Actions whose firings all fall outside the regions of interest, heaviest first")
    watchlist: Watchlist = Field(description="What to watch next week")
    changes: Changes = Field(description="Drivers that are new, intensified, eased or faded since last week")
    sources: list[CitedSource] = Field(description="Reports behind the events the brief cites, with links and grades; those of the top drivers (and the partner events of their rules) first, at most 40")
    more_sources: int = Field(description="Reports beyond those listed")
    documents: list[CitedDocument] = Field(description="Documents and methods cited, by name and title")
    method: Method = Field(description="Method footnote")
    warnings: list[SectionWarning] = Field(description="Empty sections, and a trend whose events begin inside it, in section order")
    # --- pictures (riskengine/briefs/map.py, charts.py) ---
    event_map: EventMap = Field(description="This week's events on a map of country boundaries")
    trend_charts: TrendCharts = Field(description="Each dimension's and region's score over the history weeks")


SECTIONS: tuple[str, ...] = ("judgments", "dimensions", "regions", "trend", "drivers", "actions", "watchlist", "changes", "sources")


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


def judged_likelihood(
    table: Table,
    score: float,
    previous_score: float,
    thresholds: Sequence[float],
    earlier: Sequence[float] | None = None,
    subject: tuple[str, str] | None = None,
) -> Likelihood:
    """The likelihood word of a judgment, from history only: the ICD 203 band holding the
    probability a model fitted on the weeks before this one gives the score (its class, how it
    got there, how far from the class edge, how much it moved, and from ``earlier``, its scores
    of the weeks before, how long it has held its class), weighed with the score's own record
    in those weeks (``subject``: the stakeholder and 'overall' or the dimension;
    ``scoring.calibration``). Too few comparable cases, no history or a window that is not an
    ISO week give no word but the reason, which the brief prints instead."""
    return table.judge(profile_of(score, previous_score, thresholds, earlier), subject)


def likelihood_basis(table: Table, rule_pack_version: str) -> str:
    """The method note on the likelihood words: where they come from, the history and its size."""
    history = table.history
    if not is_iso_week(table.judged):
        return "Likelihood words are calibrated on ISO weeks; this window is not one, so no judgment carries one."
    if history is None:
        return "Likelihood words come only from calibration on history (riskengine calibrate); none was given, so no judgment carries one."
    pooled = len(history.stakeholders)
    text = (
        "Likelihood words come from history, not from a rule of thumb: each is the ICD 203 band holding the chance, "
        "fitted on the cases of the same class reached the same way (risen into it, held, or fallen into it) and on how "
        f"far the score sits from the class edge and how much it moved, of the {WINDOW_WEEKS} weeks before this one, "
        f"pooled over {pooled} stakeholder"
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


def _change_words(change: float, moved: str) -> str:
    """The change since last week in words, ``moved`` the figure said (said_apart)."""
    if float(moved) == 0:
        return "unchanged since last week"
    direction = "up" if change > 0 else "down"
    return f"{direction} {moved} since last week"


def _corroborated(event_id: str, c: Contribution, events_by_id: Mapping[str, Event]) -> bool:
    """Two or more independent origins reported the event: sources relaying one claimant count once."""
    if isinstance(events_by_id, _EventIndex):
        return events_by_id.corroborated(event_id, c)
    event = events_by_id.get(event_id)
    if event is None:
        return len({s.name.casefold() for s in c.sources}) >= 2
    return len(source_origins(event)) >= 2


class _EventIndex(dict[str, Event]):
    """Events by id, remembering which are corroborated: every judgment of a brief asks about
    the same events, thousands of them in a busy week."""

    def __init__(self, events: Iterable[Event]) -> None:
        super().__init__((e.event_id, e) for e in events)
        self._corroborated: dict[str, bool] = {}

    def corroborated(self, event_id: str, c: Contribution) -> bool:
        found = self._corroborated.get(event_id)
        if found is None:
            event = self.get(event_id)
            found = len(source_origins(event) if event is not None else {s.name.casefold() for s in c.sources}) >= 2
            if event is not None:
                self._corroborated[event_id] = found
        return found


def source_origins(event: Event) -> set[str]:
    """Where an event's reports come from, independently of each other. A source that relays a
    claimant (``Source.relays``, or every figure it gave on the event claimed by one side) counts as
    that claimant; any other source as its outlet. Three outlets repeating one governor's figures
    are one origin, not three corroborating reports."""
    if not event.figures and not any(s.relays for s in event.sources):  # the usual case, kept cheap
        return {"outlet:" + s.name.casefold() for s in event.sources}
    claimed: dict[str, set[str | None]] = defaultdict(set)
    for f in event.figures:
        claimed[f.source.casefold()].add(f.claimed_by)
    origins: set[str] = set()
    for source in event.sources:
        claimants = claimed.get(source.name.casefold(), set())
        if source.relays:
            origins.add("relays:" + source.relays.casefold())
        elif len(claimants) == 1 and None not in claimants:
            origins.add("relays:" + str(next(iter(claimants))).casefold())
        else:
            origins.add("outlet:" + source.name.casefold())
    return origins


class _Evidence:
    """What a judgment rests on: the events behind some contributions and their sources."""

    def __init__(self, contributions: Sequence[Contribution], events_by_id: Mapping[str, Event]) -> None:
        points = added_in_order(c.points for c in contributions)
        self.mean_weight = round(added_in_order(c.source_weight * c.points for c in contributions) / points, 2) if points > 0 else 0.0
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
            # "19 events, 0 of them corroborated" read as a figure to check, not as "none"
            said = "none" if self.corroborated == 0 else "all" if self.corroborated == self.events else str(self.corroborated)
            corroboration = f"{self.events} events, {said} of them corroborated"
        return (
            f"We have {level} confidence in {about}: it rests on {corroboration} by "
            f"independent sources, with a source weight of {self.mean_weight:.2f} on the Admiralty code "
            "(each event's outlets combined, averaged over the points they carry)."
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
    earlier: Sequence[float] | None = None,
    stakeholder: str | None = None,
) -> Judgment:
    score_class = classify(score, thresholds)
    previous_class = classify(previous_score, thresholds)
    # In the lowest class "stays at or above" is certain and says nothing: judge the rise instead.
    target = score_class if score_class != CLASSES[0] else CLASSES[1]
    floor = _class_floor(target, thresholds)
    likelihood = judged_likelihood(table, score, previous_score, thresholds, earlier, None if stakeholder is None else (stakeholder, subject))
    word = likelihood.word
    # the figures said add up, as in the bottom line: "now 6.5, up 0.5" after "5.9" was 6.46 from
    # 5.93 (a real Somalia export, 2026-W04, NGO brief)
    now_said, before_said, moved = said_apart(score, previous_score, change, thresholds)
    now = f"(now {now_said}, {_change_words(change, moved)})"
    if word is not None:
        verb = f"stays in the {target} class or above" if target == score_class else f"rises to the {target} class or above"
        statement = f"{_LIKELIHOOD_LEAD.get(word, f'It is {word}')} that {label} {verb} next week {now}."
    else:  # ICD 203 asks for honesty about uncertainty: no word rather than an uncalibrated one
        verb = f"staying in the {target} class or above" if target == score_class else f"rising to the {target} class or above"
        statement = f"No likelihood is stated for {label} {verb} next week {now}: {likelihood.reason}."
    if previous_class == score_class:
        since = f"Class unchanged since last week ({score_class})."
    else:
        went = "Rose" if CLASSES.index(score_class) > CLASSES.index(previous_class) else "Fell"
        since = f"{went} from {previous_class} ({before_said}) last week to {score_class} ({now_said})."
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
            probability=likelihood.probability if likelihood.calibrated else None,
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
            _earlier([h.score for h in s.history], s.previous_score),
            s.stakeholder,
        )
    ]
    by_dimension: dict[str, list[Contribution]] = defaultdict(list)
    for c in s.contributions:
        by_dimension[c.dimension].append(c)
    # Only dimensions that carry weight and show activity: judging every silent dimension would
    # bury the judgments that matter under "almost no chance".
    active = [d for d in s.dimensions if d.weight > 0 and (d.score > 0 or d.previous_score > 0)]
    dimension_history = {series.name: [p.score for p in series.points] for series in s.dimension_history}
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
                _earlier(dimension_history.get(d.dimension, []), d.previous_score),
                s.stakeholder,
            )
        )
    return judgments


def _earlier(history: Sequence[float], previous_score: float) -> list[float] | None:
    """A score's weeks before this one, from the report's history (which ends with this week),
    for how long it has held its class; None when the history does not reach last week."""
    if len(history) < 2:
        return None
    return [*history[:-2], previous_score]


# ---------------------------------------------------------------------------------------------
# The score table: every number as the overall score uses it (issue #15, section 1)


def _exact_shares(s: StakeholderScore) -> dict[str, float]:
    """Each dimension's part of X = sum(w P/s) / sum(w), the quantity the overall score saturates
    (scoring.scores.overall_score). A dimension leads the overall by this, not by its own score."""
    total = added_in_order(d.weight for d in s.dimensions)
    if total <= 0:
        return {d.dimension: 0.0 for d in s.dimensions}
    return {d.dimension: d.weight * d.weighted_points / d.saturation / total for d in s.dimensions}


def _round_to_total(values: Mapping[str, float], digits: int, total: float | None = None) -> dict[str, float]:
    """Values rounded to ``digits`` decimals so that they add up to ``total`` (default: their sum)
    rounded the same way: largest remainders get the last units, ties by name."""
    scale = 10**digits
    target = round((added_in_order(values.values()) if total is None else total) * scale)
    floors = {k: math.floor(v * scale) for k, v in values.items()}
    left = target - sum(floors.values())
    order = sorted(values, key=lambda k: (-(values[k] * scale - floors[k]), k))
    for k in order[: max(0, left)]:
        floors[k] += 1
    return {k: floors[k] / scale for k in values}


def _led_by(s: StakeholderScore) -> str:
    shares = _exact_shares(s)
    top = [d for d in sorted(shares, key=lambda d: (-shares[d], d)) if shares[d] > 0][:2]
    return f", led by {' and '.join(top)}" if top else ""


def _dimension_rows(s: StakeholderScore) -> list[DimensionRow]:
    shares = _exact_shares(s)
    shown = _round_to_total(shares, 3)
    x = added_in_order(shares.values())
    percents = _round_to_total({d: v / x * 100 for d, v in shares.items()}, 0, 100.0) if x > 0 else dict.fromkeys(shares, 0.0)
    rows = [
        DimensionRow(
            name=d.dimension,
            weight=d.weight,
            of_interest=False,
            score=d.score,
            score_class=d.score_class,
            previous_score=d.previous_score,
            change=d.change,
            arrow=arrow(d.change),
            points=d.weighted_points,
            saturation=d.saturation,
            share=shown[d.dimension],
            share_percent=percents[d.dimension],
        )
        for d in s.dimensions
    ]
    return sorted(rows, key=lambda r: (-shares[r.name], -r.weight, r.name))


def _overall_sum(s: StakeholderScore, rows: Sequence[DimensionRow]) -> OverallSum:
    total = exact_sum(r.weight for r in rows)  # weights as written, to 4 decimals: 1, not 0.9999999999999999
    x = round(added_in_order(_exact_shares(s).values()), 3)
    sentence = overall_sentence(s.score, [(r.name, r.share) for r in rows], x, total)
    return OverallSum(weight_total=total, x=x, score=s.score, sentence=sentence)


def overall_sentence(score: float, shares: Sequence[tuple[str, float]], x: float, weight_total: float) -> str:
    """How the overall score comes from the dimensions' shares of X, as a reader can redo it."""
    if x == 0:
        return f"No dimension has points this week, so X = 0 and the overall score is {score:.2f}."
    terms = [(name, share) for name, share in shares if share > 0]
    # one share is X itself: "X = 7.040, the escalation share alone", not "X = 7.040 = 7.040"
    # (a real Bangladesh 2024-W31 analyst brief)
    said = f"{x:.3f}, the {terms[0][0]} share alone" if len(terms) == 1 else " + ".join(f"{share:.3f}" for _, share in terms) + f" = {x:.3f}"
    return (
        f"Overall = 10 × (1 − (1 + X)^−½) = {score:.2f}, where X = {said}: "
        f"each dimension's share is its weight w times its points P over its saturation s, "
        f"divided by the sum of the weights ({weight_total:g}). The overall is not a mean of the dimension scores."
    )


def _display(stakeholder: str) -> str:
    return "NGO" if stakeholder == "ngo" else stakeholder


# A week with a quarter or less of the events of the week before (of at least this many) says so.
GAP_PREVIOUS_EVENTS = 20


def _reporting_gap(report: ScoreReport) -> str:
    """A fall in the events recorded steep enough to be a gap in reporting, not calm: a real
    Bangladesh export has 179 events in 2024-W29, 9 in 2024-W30 (the week of the curfew and the
    internet blackout) and 228 in 2024-W31, and every brief of 2024-W30 read "very low"."""
    now, before = report.events_in_window, report.events_in_previous_window
    if before < GAP_PREVIOUS_EVENTS or now * 4 > before:
        return ""
    return (
        f" Only {now:,} event{'s were' if now != 1 else ' was'} recorded this week, against {before:,} the week before: "
        "so steep a fall may be a gap in reporting (a blackout, a coding lag), not calm."
    )


def score_said(score: float, thresholds: Sequence[float]) -> str:
    """A score as the brief says it beside its class: one decimal, or two where one would put it
    on the edge of the class above: "high at 7.98", not "high at 8.0" beside "very high 8.0-10.0"
    (a real Gaza export, 2023-W45, analyst brief)."""
    said = f"{score:.1f}"
    if any(score < t <= round(score, 1) for t in thresholds):
        said = f"{score:.2f}"
    return said


def said_apart(score: float, previous: float, change: float, thresholds: Sequence[float]) -> tuple[str, str, str]:
    """A score, the week before's and the change between them as the bottom line says them, so
    that they add up: each to one decimal where the change between the two said figures is the
    change rounded, else each to two ("high at 6.79 of 10, down 0.05 from 6.84", was "high at 6.8
    of 10, down 0.1 from 6.8", a real Myanmar export, 2021-W48, analyst brief; "5.96, up 0.1 from
    5.9" in its NGO brief). The change said is the difference of the figures said (unsigned)."""
    # a score on the edge of a class is said to two decimals already (score_said)
    two = any(len(score_said(value, thresholds).split(".")[-1]) == 2 for value in (score, previous))
    for digits in ((2,) if two else (1, 2)):
        now, before = f"{score:.{digits}f}", f"{previous:.{digits}f}"
        moved = round(float(now) - float(before), digits)
        if digits == 2 or moved == round(change, 1):
            break
    return now, before, f"{abs(moved):.{digits}f}"


def _score_filter(value: float, classes: Sequence[Any]) -> str:
    # the templates see the context as plain data: a class band is a mapping there
    return score_said(value, [c["lower"] if isinstance(c, Mapping) else c.lower for c in classes[1:]])


def _none_scored(s: StakeholderScore, report: ScoreReport) -> str:
    """A week of events none of which this profile's rules score says so, and a week of none
    that it has none: the analyst brief of a
    real Bangladesh export's 2023-W44 (87 events, riots and protests in 46 places around a
    nationwide strike) read "very low at 0.0, unchanged" and "no rule fired this week, so the
    judgments rest on no reporting", as if nothing had been reported."""
    n = report.events_in_window
    if s.contributions:
        return ""
    if n == 0:
        # a 1,000-row sample of six years of Ukraine has no event in 2022-W10, the siege of
        # Mariupol: "very low at 0.0" is the record's silence, not the week's
        return " No event was recorded this week: a score of 0 says the record holds nothing for it, not that the week was calm."
    return (
        f" No rule of this profile fired on the {n:,} event{'s' if n != 1 else ''} recorded this week: "
        "the score says they are of no kind its rules weigh, not that the week was calm."
    )


# The bottom line says where the score's points came from when most came from outside the
# regions of interest: a world export read for Mexico (the world 2020 file, 2020-W18, --regions
# MEX) gave the investor "very high at 8.7" on strikes in Syria, Nigeria and Yemen, and the
# sentence named no country. A minority from outside is left to the region table and the
# actions listed apart.
OUTSIDE_SHARE_SAID = 0.5


def _outside_interest(s: StakeholderScore) -> str:
    interest = [r for r in s.regions if r.of_interest]
    if not interest:
        return ""
    names = {r.region for r in interest}
    by_region: dict[str, float] = {}
    for c in s.contributions:
        if c.weighted_points > 0:
            by_region[c.region] = by_region.get(c.region, 0.0) + c.weighted_points
    total = exact_sum(by_region.values())
    outside = {region: points for region, points in by_region.items() if region not in names}
    share = exact_sum(outside.values()) / total if total > 0 else 0.0
    if share < OUTSIDE_SHARE_SAID:
        return ""
    largest = sorted(outside, key=lambda region: (-outside[region], region))
    named = [region_name(region) for region in largest[:3]]
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    if len(largest) == 1:
        where = f"{listed}, outside the regions of interest"
    else:
        where = f"{len(largest):,} countries outside the regions of interest, most from {listed}"
    shown = sorted(interest, key=lambda r: (-r.score, r.region))[:3]
    own = [f"{region_name(r.region)} {r.score:.1f} ({r.score_class})" for r in shown]
    others = len(interest) - len(shown)
    if others:
        own.append(more(others, "regions"))
    scores = own[0] if len(own) == 1 else ", ".join(own[:-1]) + " and " + own[-1]
    whose = "on its own, the region of interest scores" if len(interest) == 1 else "on their own, the regions of interest score"
    return f" {round(share * 100)} % of the points scored this week come from {where}; {whose} {scores} (Scores, by region)."


def _bluf(s: StakeholderScore, report: ScoreReport, first_week: str | None) -> Bluf:
    """The bottom line; ``first_week`` is the ISO week of the earliest event read: a rise from a
    week the record begins in says it may be that start, as the alerts' headlines do."""
    previous_class = classify(s.previous_score, s.thresholds)
    now, before, moved = said_apart(s.score, s.previous_score, s.change, s.thresholds)
    if s.trend == "new":
        movement = f"up from no signal in {report.previous_window.label}"
        now = score_said(s.score, s.thresholds)
    elif float(moved) == 0:
        movement = f"unchanged from {report.previous_window.label}"
    else:
        direction = "up" if s.change > 0 else "down"
        movement = f"{direction} {moved} from {before} ({previous_class}) in {report.previous_window.label}"
    led = _led_by(s)
    rose = s.trend == "new" or float(moved) > 0
    start = record_start(first_week, report.window.label, report.previous_window.label) if rose else ""
    start += _record_ends_short(report)
    sentence = (
        f"Overall {_display(s.stakeholder)} risk for {report.window.label} is {s.score_class} at "
        f"{now} of 10, {movement}{led}{start}.{_outside_interest(s)}{_reporting_gap(report)}{_none_scored(s, report)}"
    )
    signed_said = "±0.0" if float(moved) == 0 else ("+" if s.change > 0 else "-") + moved
    return Bluf(
        sentence=sentence,
        score=s.score,
        score_said=now,
        change_said=signed_said if s.trend != "new" else signed(s.change),
        score_class=s.score_class,
        previous_score=s.previous_score,
        previous_class=previous_class,
        change=s.change,
        trend=s.trend,
        arrow=arrow(s.change),
    )


def _record_ends_short(report: ScoreReport) -> str:
    """The bottom line's clause when the events read end in the first half of the window (a real
    Bangladesh export ends on the Monday of 2024-W32, a day of 130 events that read as a week's
    rise): '; the events read end on Monday 5 August 2024, so this week's score covers only that
    day'. Later in the window the warnings alone say it: most of the window is read."""
    ends = report.record_ends
    if ends is None:
        return ""
    days = (ends - report.window.start).days + 1
    if 2 * days >= (report.window.end - report.window.start).days + 1:
        return ""
    this = "this week's" if is_week(report.window) else "the window's"
    cover = "that day" if days == 1 else f"its first {('two', 'three')[days - 2] if days <= 3 else days} days"
    return f"; {end_said(ends)}, so {this} score covers only {cover}"


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
    parts = [p for p in (event.location, event.admin1) if p] or [p for p in (coordinates(event),) if p]
    return ", ".join(dict.fromkeys(parts)) + f", {region_name(event.country)}" if parts else place_in(None, event.country)


def _target(event: Event, *, sourced: bool = False) -> str | None:
    """The event's target in words; ``sourced``: only a target the source gave, not one derived
    from a word of its notes (a driver's headline states what the source says, and its "Derived,
    not in the source" line the rest: "Attack on military targets" was a soldier shooting a taxi
    driver "at a checkpoint", a real Somalia export)."""
    derived = {d.field for d in event.derived} if sourced else set()
    if event.target_name and "target_name" not in derived:
        return event.target_name
    if event.target_category and "target_category" not in derived:
        return _TARGET_WORDS.get(event.target_category, event.target_category.replace("_", " "))
    return None


# Target categories as a phrase reads them ("a strike on residential buildings", not "on residential").
_TARGET_WORDS: dict[str, str] = {
    "military": "military targets",
    "military_industry": "military industry",
    "residential": "residential buildings",
    "government": "government buildings",
    "commercial": "commercial sites",
    "other": "other targets",
}


def _summary(event: Event) -> str:
    if event.diplomatic_kind:
        # "Other" (the usual sub-event type of diplomacy) says nothing; the kind and status do.
        what = " ".join(p for p in (event.diplomatic_kind.replace("_", " "), event.diplomatic_status) if p)
        on = _parties_phrase(event)
    else:
        # ACLED's "Other" sub-event type says less than the event type it belongs to.
        what = event.sub_event_type if event.sub_event_type not in (None, "Other") else event.event_type
        target = _target(event, sourced=True)
        if target is None:
            on = ""
        elif event.event_type == "Strategic developments":  # not an attack "on" anything
            on = f" ({display_name(target, article=False)})"
        else:
            on = f" on {display_name(target) if event.target_name else target}"
    dead = f"; {event.fatalities} killed" if event.fatalities else ""
    return f"{event.event_date.isoformat()}, {_place(event)}: {what}{on}{dead}"


def _parties_phrase(event: Event) -> str:
    # "talks stalled between the governments of Russia and Ukraine"; one party in parentheses.
    actors = [a for a in (event.actor1, event.actor2) if a]
    if len(actors) > 1:
        shown = display_names(actors)
        # one named party on both sides is no "between"; two generic ones are ("two ... groups")
        return f" ({shown})" if display_name(actors[0]) == display_name(actors[1]) and not shown.startswith("two ") else " between " + shown
    return f" ({display_name(actors[0])})" if actors else ""


def _sources(event: Event | None, contributions: Sequence[Contribution]) -> list[SourceRow]:
    if event is not None:
        rows = {(s.name, s.grade, s.url, s.document, s.date, s.relays) for s in event.sources}
    else:
        rows = {(s.name, s.grade, s.url, s.document, None, None) for c in contributions for s in c.sources}
    # Best grade first: readers weigh a driver by its strongest report.
    ordered = sorted(rows, key=lambda r: (r[1], r[0], r[2] or "", r[3] or "", r[4] or dt.date.min, r[5] or ""))
    return [
        SourceRow(name=n, grade=g, url=u, document=d, date=day, link=safe_link(u), relays=relays)
        for n, g, u, d, day, relays in ordered
    ]


# ---------------------------------------------------------------------------------------------
# Figures the sources dispute: shown as ranges with their sources (issue #15, section 1)

# Words by which an action's text shows that it rests on a figure ("35 people were hospitalised").
_FIGURE_WORDS: dict[str, str] = {
    "fatalities": r"\bkill|\bdead\b|\bdeaths?\b|fatalit",
    "injured": r"\binjur|\bwounded",
    "hospitalised": r"\bhospitali[sz]",
    "drones_launched": r"\bdrones\b",
    "drones_intercepted": r"\bintercept|\bnot stopped\b|\bshot down\b|\bdowned\b",
    "missiles_launched": r"\bmissiles\b",
    "missiles_intercepted": r"\bintercept|\bnot stopped\b|\bshot down\b|\bgot through\b",
    "aircraft_destroyed": r"\baircraft\b",
    "troops": r"\btroops\b",
    "distance_from_border_km": r"\bkm\b",
    "distance_from_front_km": r"\bkm\b",
    "distance_to_nato_km": r"\bkm\b",
}


def _figure(value: float | int) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def disputed_figures(event: Event) -> list[DisputedFigure]:
    """The event's figures that its sources give differently (its ``figures`` and the value it was
    coded with), each as a range with every source's figure. Figures claimed by sides are never
    summed (DOMAIN.md): the range only shows how far the reports are apart."""
    place = place_in(event.location, event.country)
    by_field: dict[str, list[tuple[float, FigureSource]]] = defaultdict(list)
    for f in event.figures:
        by_field[f.field].append((float(f.value), FigureSource(value=_figure(f.value), source=f.source, claimed_by=f.claimed_by)))
    found = []
    for field in sorted(by_field):
        coded = getattr(event, field, None)
        coded_value = float(coded) if isinstance(coded, (int, float)) and not isinstance(coded, bool) else None
        claims = list(by_field[field])
        if coded_value is not None and coded_value not in {v for v, _ in claims}:
            claims.append((coded_value, FigureSource(value=_figure(coded_value), source="event record", claimed_by=None)))
        given = {v for v, _ in claims}
        # Two figures from one outlet are two measures it reports (shot down, and shot down or
        # jammed), not a dispute: a range needs sources that disagree with each other.
        if len(given) < 2 or not _sources_disagree(claims):
            continue
        claims.sort(key=lambda vc: (vc[0], vc[1].source.casefold()))
        low, high = min(given), max(given)
        label = field.replace("_", " ")
        printed = f"{_figure(low)}-{_figure(high)}"
        each = "; ".join(
            f"{c.source}: {c.value}" + (f", claimed by {display_name(c.claimed_by)}" if c.claimed_by else "") for _, c in claims
        )
        used = f"; the rules used {_figure(coded_value)}" if coded_value is not None else ""
        found.append(
            DisputedFigure(
                event_id=event.event_id,
                place=place,
                field=field,
                label=label,
                low=low,
                high=high,
                range=printed,
                coded=_figure(coded_value) if coded_value is not None else None,
                claims=[c for _, c in claims],
                sentence=f"{label} in {place}: {printed} ({each}){used}",
            )
        )
    return found


def _sources_disagree(claims: Sequence[tuple[float, FigureSource]]) -> bool:
    values_by_source: dict[str, set[float]] = defaultdict(set)
    for value, claim in claims:
        values_by_source[claim.source.casefold()].add(value)
    # Sources disagree when one gives no figure the other gives; an outlet reporting two measures,
    # one of which a second outlet repeats, is no dispute between them.
    return any(a.isdisjoint(b) for a, b in itertools.combinations(list(values_by_source.values()), 2))


def estimated_toll(event: Event) -> str | None:
    """One line when the event's toll is ACLED's stand-in for a toll its sources did not give (the
    importer's tag ``fatalities_estimated``): "10 killed in Diabaly" read as a count, and as "ten
    or more" killed by a bombing, of an IED with "unknown fatalities coded as 10" (Mali 2017-W03)."""
    if "fatalities_estimated" not in event.tags:
        return None
    found = STAND_IN_TOLL.search(event.notes or "")
    said = f' (its notes: "{found.group(0)}")' if found else ""
    return f"{event.fatalities:,} killed in {event.location or event.admin1 or country_name(event.country)} is the figure ACLED codes for a toll its sources did not give{said}, not a count"


def _estimates_in_text(text: str, named: Iterable[Event]) -> list[str]:
    """The stand-in tolls an action's text relies on: events it names by place, in a text that
    gives their toll (the figure, or "ten or more"). Not "Civilians were among those killed in
    Okhtyrka", which gives none (Ukraine 2022-W09: Okhtyrka's stand-in 3 beside a count of 70)."""
    if not re.search(r"\bkill", text, re.IGNORECASE):
        return []
    said = [
        estimated_toll(e)
        for e in named
        if (e.location or e.admin1 or "").casefold() in text.casefold()
        and (re.search(rf"(?<![0-9,]){e.fatalities:,}(?![0-9,])", text) or (e.fatalities >= 10 and "ten or more" in text))
    ]
    return list(dict.fromkeys(s for s in said if s))


def _disputes_in_text(text: str, disputes: Iterable[DisputedFigure]) -> list[DisputedFigure]:
    """The disputed figures an action's text relies on: those whose field its words name."""
    return [
        d
        for d in disputes
        if re.search(_FIGURE_WORDS.get(d.field, re.escape(d.label)), text, re.IGNORECASE) and d.place.casefold() in text.casefold()
    ]


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
                weighted_points=round(added_in_order(c.weighted_points for c in firings), 4),
                firings=len(firings),
                rule_source=first.rule_source,
                rule_file=first.rule_file,
                rule_line=first.rule_line,
                related_event_ids=related[:MAX_RELATED],
                more_related_events=max(0, len(related) - MAX_RELATED),
            )
        )
    return sorted(rules, key=lambda r: (-r.weighted_points, r.rule_id))


# Derived values that place an event in its surroundings rather than describe it: shown only
# where a rule that fired on the event read them (a strike in Mali is not "1,851 km from NATO").
CONTEXT_FIELDS = frozenset({"distance_to_nato_km", "distance_from_border_km", "distance_from_front_km"})


# How a value was derived, in a reader's words: the method names a pattern file or entry
# ("notes word target_categories", "actor side (actors.yaml sides[8])"), which the JSON keeps.
_DERIVATION_WORDS = (
    ("notes word", "a word in the notes"),
    ("notes pattern figures", "a figure in the notes"),
    ("notes pattern", "a phrase in the notes"),
    ("notes name", "a name in the notes"),
    ("actor side", "the side of {actor}"),
    ("actor type", "the type of {actor}"),
    ("gazetteer", "the gazetteer"),
)
_EVIDENCE_FIELD = re.compile(r"^(notes|actor1|actor2|admin1|location|latitude/longitude)(?::\s*| vs )")
_EVIDENCE_WORDS = {"notes": "the notes", "actor1": "the first actor", "actor2": "the second actor"}
_FIELD_WORDS = {"tags": "tag", "admin1": "region"}


def _derivation_said(field: str, value: str, method: str, evidence: str) -> str:
    """'target_category commercial (notes word target_categories; from notes: ...shops looted...)'
    as 'target category commercial (from a word in the notes: ...shops looted...)' (read on real
    Sudan, Myanmar and Afghanistan exports, where every driver carried 'actors.yaml sides[8]')."""
    how = next((said for start, said in _DERIVATION_WORDS if method.startswith(start)), re.sub(r"\s*\([^()]*\)", "", method).replace("_", " "))
    source = _EVIDENCE_FIELD.match(evidence)
    where = _EVIDENCE_WORDS.get(source.group(1), "") if source else ""
    quoted = evidence[source.end() :] if source else evidence
    if source and source.group(1).startswith("actor"):  # "Military Forces of Afghanistan (2014-)": a name, said as prose
        quoted = display_name(quoted)
    how = how.format(actor=where or "the actor") if "{actor}" in how else how if not where or where in how else f"{how}, {where}"
    return f"{_FIELD_WORDS.get(field, field.replace('_', ' '))} {value} (from {how}: {quoted})"


def _unused_said(field: str, value: str, method: str, evidence: str) -> str:
    """'injured 133, a total over a period, not this event's own (“133 people were injured over
    the six days.”)': why a figure the notes give is not the event's (the method's last clause:
    'a total over a period', 'another attack's figure')."""
    quoted = evidence.removeprefix("notes: ")
    why = method.rsplit(", ", 1)[-1] if ", " in method else "read but not used"
    return f"{_FIELD_WORDS.get(field, field.replace('_', ' '))} {value}, {why}, not this event's own (“{quoted}”)"


def _shown_derived(event: Event, rules: Sequence[FiredRule], fields_read: Mapping[str, frozenset[str]] | None) -> list[DerivedValue]:
    """The values derived that the rules fired here read, and every figure of the notes left
    unused: a reader sees the figure in the notes and asks why the brief does not count it."""
    read = set().union(*(fields_read.get(r.rule_id, frozenset()) for r in rules)) if fields_read is not None else None
    return [
        DerivedValue(
            field=d.field,
            value=str(d.value),
            method=d.method,
            evidence=d.evidence,
            said=_derivation_said(d.field, str(d.value), d.method, d.evidence) if d.used else _unused_said(d.field, str(d.value), d.method, d.evidence),
            used=d.used,
        )
        for d in event.derived
        if not d.used or read is None or d.field not in CONTEXT_FIELDS or d.field in read
    ]


def _drivers(s: StakeholderScore, events: Mapping[str, Event], fields_read: Mapping[str, frozenset[str]] | None = None) -> list[DriverEvent]:
    by_event: dict[str, list[Contribution]] = defaultdict(list)
    for c in s.contributions:
        by_event[_completing_event(c, events)].append(c)
    ranked = sorted(by_event.items(), key=lambda item: (-added_in_order(c.weighted_points for c in item[1]), item[0]))
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
                weighted_points=round(added_in_order(c.weighted_points for c in contributions), 4),
                sources=_sources(event, contributions),
                rules=rules,
                derived=_shown_derived(event, rules, fields_read) if event else [],
                disputed=disputed_figures(event) if event else [],
                estimated_toll=estimated_toll(event) if event else None,
            )
        )
    return drivers


# ---------------------------------------------------------------------------------------------
# Actions: several firings said as such, largest first; regions of interest and duty first
# (issue #15, section 1)

# What each stakeholder's duty puts first among the actions in its regions of interest, in order:
# (label, pattern its text matches). Actions that match none follow, heaviest first.
DUTIES: dict[str, tuple[tuple[str, str], ...]] = {
    "ngo": (
        (
            "staff safety",
            r"\b(staff (?:safety|security|shelter|movements?|travel|and convoys|and vehicles|away|working)|rehearse staff"
            r"|(?:safe|safety) (?:for|of) (?:staff|personnel)|shelter plans for staff|keep staff|movement rules|duty of care"
            r"|shelter procedures|security plans?|deconfliction|access routes?|relocation plans?|evacuat\w*)\b",
        ),
    ),
    # Named assets: a site the action names (a target of its events); operations: how the
    # business runs (sites, staff, logistics, supply chains). Markets and diplomacy follow.
    "investor": (
        ("named assets", r"(?!)"),  # matched by the target names of the action's events only
        (
            "operations",
            r"\b(business-continuity|operations|sites?|offices|warehouses|data centres|staff|contractors|travel|logistics"
            r"|supply chains?|suppliers|cargo|routings?|shipments?|deliveries)\b",
        ),
    ),
}
_LEADING_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _duty(stakeholder: str, text: str, target_names: Iterable[str]) -> tuple[int, str | None]:
    duties = DUTIES.get(stakeholder, ())
    for rank, (label, pattern) in enumerate(duties):
        # Investors' named assets: the targets named in the action's own events count too.
        named = label == "named assets" and any(n and n.casefold() in text.casefold() for n in target_names)
        if named or re.search(pattern, text, re.IGNORECASE):
            return rank, label
    return len(duties), None


def _first_number(text: str) -> float:
    fact, _, after = text.partition(": ")
    # A text that gives its advice first ("Review shelter procedures ... in Kreminna: 56 people
    # were killed in one attack") leads its second sentence with the figure.
    found = _LEADING_NUMBER.search(fact) or _LEADING_NUMBER.match(after)
    return float(found.group().replace(",", "")) if found else 0.0


def _part_size(part: ActionPart) -> tuple[float, float, float, str]:
    # Size first: the rule's points before source weighting (they grow with the figure for scaled
    # rules), then the figure the text leads with; the source weight only breaks ties.
    return (-part.points, -_first_number(part.text), -part.weighted_points, part.text)


_ARTICLE_FIRST = re.compile(r"^(The|An?) (?!Hague\b|Gambia\b|Bahamas\b)")  # names whose "The" is capital anywhere


# ACLED's event and sub-event types that open a firing's sentence ("Air/drone strikes at Ganfouda"):
# common nouns, lower case inside a list ("...; air/drone strikes at Ganfouda; remote
# explosive/landmine/IED at Benghazi"), their acronyms kept. A type of one word made plural by a
# list at one place is one too ("...; grenades at Pyigyitagon", was "Grenades" mid-sentence, a
# real Myanmar export, 2021-W48).
_TYPE_FIRST = re.compile(
    "^(?:" + "|".join(sorted({re.escape(t.split()[0]) for t in (*EVENT_TYPES, *(x for subs in SUB_EVENT_TYPES.values() for x in subs))}, key=len, reverse=True)) + r")(?:e?s)?(?=[\s/,])"
)


# ... and ACLED's generic groups a rule began its sentence with ("Protesters in Nigeria attacked
# civilians at Aba"), as names.py says them: "...; protesters in Nigeria attacked ...".
_GROUP_FIRST = re.compile(
    "^(?:" + "|".join(re.escape(display_name(f"{g} (X)", article=False, capital=True).removesuffix(" in X")) for g in GENERIC_GROUPS) + ")(?= in )"
)


# Common nouns that open the packs' own sentences ("Fires were reported in X", "Homes or civilian
# buildings were damaged in Y"): lower case when a list joins them into one sentence ("Fires were
# reported in Long Hkan; Homes or ..." read a real Myanmar export, 2021-W36); never a name.
_NOUN_FIRST = re.compile(r"^(?:Homes|Fires|Property|Power|Civilians|Casualties|Violence|Political|Fighting|Rioting|Protests?)\b")


def _lower_first(m: re.Match[str]) -> str:
    word = m.group()
    return word if sum(c.isupper() for c in word) > 1 else word.lower()


def more(count: int, noun: str) -> str:
    """``count`` more of ``noun`` (a plural), in the singular for one: "12 more places", "1 more
    event". A list never ends in a bare "and 4 more": a reader is told 4 more of what."""
    if noun == "others":  # what the list names is not known: "and 3 others", "and 1 other"
        return f"{count:,} other" + ("s" if count != 1 else "")
    said = noun if count != 1 else _SINGULAR.get(noun, noun.removesuffix("s"))
    return f"{count:,} more {said}"


_SINGULAR = {
    "places": "place", "events": "event", "firings": "firing", "reports": "report", "regions": "region", "countries": "country",
    "rounds of talks": "round of talks", "targets hit again": "target hit again",
}  # fmt: skip


def _place_list(lead: Sequence[str]) -> str:
    """What a list of the words that differ after ``lead``'s words names: places after "in", "at",
    "holds", "the routes to"; otherwise "others" (a list of names the text does not say the kind of)."""
    if len(lead) >= 2 and lead[-1] == "of" and lead[-2].lower() in _STRIKES_ON:  # "Shelling of Kharkiv, Sumy and 113 more places"
        return "places"
    return "places" if lead and lead[-1] in _PLACE_WORDS_BEFORE else "others"


_STRIKES_ON = frozenset({"shelling", "bombing", "bombardment", "siege", "capture", "occupation", "evacuation", "blockade"})


_PLACE_WORDS_BEFORE = frozenset({"in", "at", "near", "on", "around", "to", "from", "towards", "toward", "holds", "controls", "reached"})


def _listed(items: Sequence[str], rest: int, separator: str = ", ", noun: str = "others") -> str:
    # "A, B and C"; "A, B, C and 12 more places" (with separator "; ": "A; B; C; and 12 others",
    # an article that began a sentence now inside one: "...; the police forces of Kenya attacked
    # ..."). Not "and 1 more firing": a rule's firing is the engine's word, not the reader's (Mali
    # 2018-W25: "... attacked civilians at Karou; and 1 more firing").
    if separator == "; ":
        items = [items[0], *(_NOUN_FIRST.sub(_lower_first, _GROUP_FIRST.sub(_lower_first, _TYPE_FIRST.sub(_lower_first, _ARTICLE_FIRST.sub(lambda m: m.group(1).lower() + " ", i)))) for i in items[1:])] if items else []
    if rest > 0:
        return separator.join(items) + ("; and " if separator == "; " else " and ") + more(rest, noun)
    if len(items) == 1:
        return items[0]
    return separator.join(items[:-1]) + ("; " if separator == "; " else " and ") + items[-1]


def _common_words(phrases: Sequence[str], *, from_end: bool = False) -> int:
    """How many leading (or trailing) words all ``phrases`` share."""
    split = [p.split() for p in phrases]
    if from_end:
        split = [list(reversed(w)) for w in split]
    count = 0
    for words in zip(*split, strict=False):
        if len(set(words)) != 1:
            break
        count += 1
    return count


_WHOLE_NUMBER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*|[0-9]+")


@dataclass(frozen=True)
class _Aligned:
    """Phrases split into the leading and trailing words they all share and what differs between."""

    words: list[list[str]]
    lead: int
    trail: int

    @property
    def middles(self) -> list[str]:
        return [" ".join(w[self.lead : len(w) - self.trail]) for w in self.words]

    @property
    def start(self) -> str:  # the shared leading words and a space, or nothing
        return " ".join(self.words[0][: self.lead]) + " " if self.lead else ""

    @property
    def ending(self) -> str:  # a space and the shared trailing words, or nothing
        return " " + " ".join(self.words[0][len(self.words[0]) - self.trail :]) if self.trail else ""


def _balanced(words: Sequence[str]) -> bool:
    text = " ".join(words)
    return text.count("(") == text.count(")")


def _name_word(word: str) -> bool:
    """A word of a place's or actor's name: capitalised, or the dash of ACLED's "Gaza - Nasr"."""
    return word in ("-", "–") or word[:1].isupper()


def _aligned(phrases: Sequence[str]) -> _Aligned:
    words = [p.split() for p in phrases]
    lead = _common_words(phrases)
    # Shared words never end inside a name: places that all begin "Gaza - " (a real Gaza 2023
    # export) share "in Gaza -", which left "Gaza - Nasr, - Shujaiyya" or, with "Gaza" alone
    # among them, no list at all. The shared words stop before the name.
    if lead and _name_word(words[0][lead - 1]) and any(len(w) == lead or _name_word(w[lead]) for w in words):
        back = lead
        while back and _name_word(words[0][back - 1]):
            back -= 1
        lead = back or lead
    trail = min(_common_words(phrases, from_end=True), min(len(w) for w in words) - lead)
    # Shared words never end or start inside brackets: "(... the police forces of Kenya)" and
    # "(... an unidentified armed group in Kenya)" share "Kenya)", not a word to say once.
    while trail and not all(_balanced(w[lead : len(w) - trail]) for w in words):
        trail -= 1
    while lead and not all(_balanced(w[lead : len(w) - trail]) for w in words):
        lead -= 1
    # Places named alike but for a closing number ("Wad al-Mahi Town 4" and "Wad al-Mahi Town 3",
    # Sudan 2022-W42) are two names, not "Town" and a list of numbers: the shared words stop
    # before the name, as above.
    if lead and not trail and words[0][lead - 1] not in _PLACE_PREPOSITIONS and all(len(w) > lead and w[-1].isdigit() for w in words):
        at = max((i for i, word in enumerate(words[0][:lead]) if word in _PLACE_PREPOSITIONS), default=-1)
        lead = at + 1 if at >= 0 else lead
    return _Aligned(words, lead, trail)


def _named_list(every: Sequence[str], *, group: bool = True) -> str:
    """Phrases that differ only between common leading words and common trailing words name the
    differences once: "Rioting in Agabar, Carmo and Hargeysa", "Casualties in Balade and Xagar were
    reported without figures", a count as its range ("reached 7 to 8 regions"); others are joined
    with semicolons, those that share their first three words named together ("Al Shabaab
    attacked civilians at Shaw and Tugaarrey; Pirates attacked civilians at ..."). The first
    MAX_RELATED are named, the rest counted."""
    every = _window_counts(every)
    if len(every) == 1:
        return every[0]
    dated = _date_ranges(every)
    if dated is not None:
        return dated
    phrases, rest = every[:MAX_RELATED], len(every) - MAX_RELATED
    shared = _aligned(phrases)
    middles = shared.middles
    # The shared words lead into the list ("Rioting in", "Violence has reached"); a name they end
    # with ("The police forces of Kenya") would take the differences for a list of its own.
    # A figure after a comma is no part of a name: "Qazali, 7" before "km from NATO territory".
    if (
        len(phrases) > 1
        and shared.lead >= 2
        and all(middles)
        and shared.words[0][shared.lead - 1].islower()
        and not _said_in_each(middles)
        and not any(_FIGURE_AFTER_COMMA.search(m) for m in middles)
    ):
        lead = shared.words[0][: shared.lead]
        if not _has_count(lead):
            # a place named again for another pair of sides: grouped over all the phrases, so a
            # place among the sixth and later is said in its bracket, not counted as another
            whole = _aligned(every) if rest > 0 else shared
            if whole.lead == shared.lead and whole.ending == shared.ending and all(whole.middles):
                listed = _places_and_sides(whole.middles)
                if listed is not None:
                    items, separator, left = listed
                    return _plural_start(lead) + _listed(items, left, separator, _place_list(lead)) + shared.ending
            by_bracket = _by_bracket(middles)
            if by_bracket is not None:
                return _plural_start(lead) + _listed(by_bracket, rest, "; ", _place_list(lead)) + shared.ending
            return _plural_start(lead) + _listed(middles, rest, noun=_place_list(lead)) + shared.ending
        # "4 killed in Kunyo Barrow and Shaw" would read as 4 in all: "in each of" says otherwise
        # (not over a phrase that says it already: "in each of 2 events in Kunduz")
        if lead[-1] in _PLACE_PREPOSITIONS and not any(m.startswith("each of ") for m in middles):
            # one kind said of the events at each place: "18 killed in each of Gaza - Ad Darraj and
            # Gaza - Az Zaytun (air/drone strikes)", several strikes (Gaza 2025-W12)
            return shared.start + "each of " + _listed(middles, rest, noun="places") + _plural_bracket(shared.ending)
    if group and len(phrases) > 2:
        groups: list[list[str]] = []
        for phrase in phrases:
            home = next(
                (g for g in groups if (n := _aligned([g[0], phrase]).lead) >= 3 and _can_share(phrase.split()[:n]) and phrase.split()[n - 1].islower() and " each of " not in g[0] + phrase and not _clauses_after(g[0], phrase, n)),
                None,
            )
            if home is None:
                groups.append([phrase])
            else:
                home.append(phrase)
        if len(groups) < len(phrases):
            items = [g[0] if len(g) == 1 else _named_list(g, group=False) for g in groups]
            return _said_once(items, _events_in(every[MAX_RELATED:])) or _listed(items, rest, "; ")
    return _said_once(phrases, _events_in(every[MAX_RELATED:])) or _listed(list(phrases), rest, "; ")


def _clauses_after(first: str, phrase: str, shared: int) -> bool:
    """Whether two phrases, past their ``shared`` leading words, are clauses of their own: "an
    unidentified armed group in | Bangladesh attacked civilians at Rajshahi" and "... | India
    attacked civilians at Mandya" share words inside the actor's name, and grouped there could
    list nothing, so four phrases were said whole (a real South Asia export, 2015-W51)."""
    return _said_in_each([" ".join(first.split()[shared:]), " ".join(phrase.split()[shared:])])


_ISO_DATE = re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b")


def _date_ranges(every: Sequence[str]) -> str | None:
    """Phrases alike but for their dates, each date said once over all of them, in order: up to
    three listed, more as their count and range ("Gaza Port was struck on 23 dates from 2023-10-07
    to 2023-11-08 and again on 2023-11-09", where a repeat-strike rule firing once per earlier
    strike had listed five dates out of order and "156 more places", a real Gaza 2023 export);
    None when more than the dates differ. Pairs that link into one run of strikes (once_per) give
    the run's first date, then the rest."""
    if len({_ISO_DATE.sub("#", p) for p in every}) != 1 or not _ISO_DATE.search(every[0]):
        return None
    between = _ISO_DATE.split(every[0])
    dates = [_ISO_DATE.findall(p) for p in every]
    slots = [sorted({d[i] for d in dates}) for i in range(len(between) - 1)]
    if len(slots) == 2 and _one_chain(dates):
        # Each firing pairs a strike with the one just before it (a rule counted once_per its
        # last leg): the pairs are one run of dates, so the earlier slot is the run's first date
        # alone, not every date but the last again ("hit on 7 dates from 2023-11-05 to
        # 2023-11-11 and again on 7 dates from 2023-11-06 to 2023-11-12", Gaza 2023-W45)
        slots[0] = slots[0][:1]
    said = [between[0]]
    for text, values in zip(between[1:], slots, strict=True):
        said.append(_listed(values, 0) if len(values) <= 3 else f"{len(values)} dates from {values[0]} to {values[-1]}")
        said.append(text)
    return "".join(said)


def _one_chain(dates: Sequence[Sequence[str]]) -> bool:
    """Whether (earlier, later) date pairs link into one run, each pair's earlier date the later
    date of the pair before it."""
    pairs = sorted({(d[1], d[0]) for d in dates})
    return len(pairs) > 1 and all(earlier == previous for (previous, _), (_, earlier) in itertools.pairwise(pairs))


_EVENTS_SAID = re.compile(r" in each of ([0-9]+) events ")


def _events_in(phrases: Sequence[str]) -> int:
    """How many events the phrases left unnamed stand for: one each, or the events one says it
    counts ("15 killed in each of 2 events in Kunduz")."""
    return sum(int(m.group(1)) if (m := _EVENTS_SAID.search(p)) else 1 for p in phrases)


# A phrase that opens with a count and says what was counted before the place: "60 killed in
# Ogigo (attack)", "16 armed groups fought in Libya in 30 days", "15 killed in each of ...".
_COUNT_LED = re.compile(r"^([0-9][0-9,]*(?: to [0-9][0-9,]*)?) (\S.*?) (in|at|near|on|around) (\S.*)$")
_WINDOW_END = re.compile(r" (?:in|over|within|during) (?:the (?:last|past) )?[0-9]+ (?:days|weeks|months)$")


def _said_once(items: Sequence[str], rest: int) -> str | None:
    """Count-led phrases that count the same thing say it once, in the first: "60 killed in Ogigo
    (attack), 58 in Sirte (armed clash) and 12 more events" (was "60 killed in Ogigo (attack); 58
    killed in Sirte ..."), "16 armed groups fought in Libya and 6 in Nigeria in 30 days",
    a window they share said once at the end; None for other phrases. What is left over is named
    (events, or places for counts over a window), not a bare number a reader would add to the
    last count."""
    if len(items) < 2:
        return None
    ends = {m.group() if (m := _WINDOW_END.search(i)) else "" for i in items}
    if len(ends) != 1:
        return None
    window = ends.pop()
    bare = [i[: len(i) - len(window)] for i in items]
    matches = [_COUNT_LED.match(b) for b in bare]
    # "3 civilians killed" and "1 civilian killed" count the same thing
    counted = {(tuple(w.removesuffix("s") for w in m.group(2).split()), m.group(3)) if m else None for m in matches}
    if len(counted) != 1 or None in counted:
        return None
    # counts at one place are separate events, said together: "416, 291 and 273 killed in separate
    # events in Azerbaijan (battles)" (an export of coordinates only named the country five times)
    # "6 killed in each of 2 events in Nad-e Ali" beside "5 killed in each of 2 events in Nad-e
    # Ali" are four events at one place: "6, 6, 5 and 5 killed in separate events in Nad-e Ali",
    # not "6 and 5 in separate events in each of 2 events in Nad-e Ali" (a real Afghanistan
    # export, 2020-W11); alone, "in each of 2 events" stays
    keyed = []
    for m in matches:
        if m:
            each = _EACH_OF.match(m.group(4))
            keyed.append((f"{each.group(2)} {each.group(3)}", [m.group(1)] * int(each.group(1))) if each else (f"{m.group(3)} {m.group(4)}", [m.group(1)]))
    said_at = Counter(place for place, _ in keyed)
    at_place: dict[str, list[str]] = {}
    for (place, counts), m in zip(keyed, (m for m in matches if m), strict=True):
        if said_at[place] == 1:
            place, counts = f"{m.group(3)} {m.group(4)}", [m.group(1)]
        at_place.setdefault(place, []).extend(counts)
    said: list[str] = []
    for place, kinds in _kinds_by_place(at_place).items():
        if len(kinds) > 1:
            # one place's tolls of several kinds said once, with the place: "87 (armed clash),
            # 24 (explosions/remote violence), 20 and 7 (air/drone strikes) killed in separate
            # events in Tirah Valley", was the place said again for each kind (South Asia 2015-W12)
            verb = f"{matches[0].group(2)} " if not said and matches[0] else ""
            tolls = [f"{_listed(counts, 0)} {_plural_bracket(bracket) if len(counts) > 1 else bracket}" for bracket, counts in kinds]
            said.append(f"{', '.join(tolls)} {verb}in separate events {place}")
            continue
        kind, counts = kinds[0]
        place = f"{place} {kind}" if kind else place
        verb = f"{matches[0].group(2)} " if not said and matches[0] else ""
        apart = "in separate events " if len(counts) > 1 else ""
        if len(counts) > 1:
            # "10 and 5 killed in separate events in Mpeketoni (armed clashes)", not "(armed clash)"
            place = _plural_bracket(place)
        # each count from one attack there: "53 and 15 ... killed in separate attacks in Nasr", not
        # "in separate events in one attack in Nasr" (a real Gaza 2023 export)
        one = _ONE_EACH.match(place) if len(counts) > 1 else None
        if one is not None:
            apart, place = "", f"in separate {one.group(1)}s {one.group(2)}"
        said.append(f"{_listed(counts, 0)} {verb}{apart}{place}")
    separator = "; " if any("," in x or " and " in x for x in said) else ", "
    if rest > 0:
        noun = ("place" if window else "event") + ("s" if rest > 1 else "")
        text = separator.join(said) + ("; and" if separator == "; " else " and") + f" {rest:,} more {noun}"
    elif len(said) == 1:
        text = said[0]
    else:
        text = separator.join(said[:-1]) + ("; " if separator == "; " else " and ") + said[-1]
    return text + window


def _kinds_by_place(at_place: Mapping[str, list[str]]) -> dict[str, list[tuple[str, list[str]]]]:
    """Counts keyed by place and kind ("in Tirah Valley (armed clash)") as counts by kind under
    each place ("in Tirah Valley": [("(armed clash)", ["87"]), ...]), places in the order of their
    first count. A key without a closing bracket is its own place, with kind "": a place is said
    of several kinds only where each has its bracket."""
    read: dict[str, tuple[str, str, list[str]]] = {}
    for key, counts in at_place.items():
        found = _BRACKETED_END.match(key)
        if found is None:
            continue
        place, many = found.group(1), counts
        # "in each of 3 events in Kokang (armed clashes)": three counts at Kokang
        each = _EACH_OF.match(place.removeprefix("in "))
        if each is not None and len(counts) == 1:
            place, many = f"{each.group(2)} {each.group(3)}", counts * int(each.group(1))
        read[key] = (place, found.group(2), many)
    places = Counter(place for place, _, _ in read.values())
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for key, counts in at_place.items():
        place, kind, many = read.get(key, (key, "", counts))
        if kind and places[place] > 1 and place not in at_place:
            out.setdefault(place, []).append((kind, many))
        else:
            out[key] = [("", counts)]
    return out


_EACH_OF = re.compile(r"^each of ([0-9]+) events (in|at|near|on|around) (.+)$")
_BRACKETS = re.compile(r"\([^()]*(?:\([^()]*\)[^()]*)*\)")
_FIGURE_AFTER_COMMA = re.compile(r", [0-9]")
_ONE_EACH = re.compile(r"^(?:in|at|on) one (attack|strike|raid|clash|event|explosion|bombing) ((?:in|at|near|on|around) .+)$")


_BRACKETED_END = re.compile(r"^(.*?) (\((?:[^()]|\([^()]*\))*\))$")


def _by_bracket(middles: Sequence[str]) -> list[str] | None:
    """Places that a bracket describes alike named together before it, in the order of their
    first: "Bara and Sodari (a Dar Hamid ethnic militia against a Katoul ethnic militia in
    Sudan); Jebel Moon (...)" (was the bracket said again for each place, a real Sudan export);
    None when no bracket repeats."""
    found = [_BRACKETED_END.match(m) for m in middles]
    if not all(found):
        return None
    groups: dict[str, list[str]] = {}
    for m in found:
        if m:
            groups.setdefault(m.group(2), []).append(m.group(1))
    if len(groups) == len(middles):
        return None
    return [_listed(list(dict.fromkeys(places)), 0) + " " + bracket for bracket, places in groups.items()]


def _said_in_each(middles: Sequence[str]) -> bool:
    """Whether every one of ``middles`` holds the same three words in a row: then they are
    clauses, not names to list after shared words ("an unidentified armed group in Sudan attacked
    civilians at Thur and South Sudan attacked civilians at Ngong", read on a real 2016 Africa
    export); "17 regions of India" and "7 regions of Pakistan" still are."""
    # what a bracket says of a place ("Bara (a Dar Hamid ethnic militia in Sudan against ...)") is no clause
    bare = [re.sub(r"\([^()]*(?:\([^()]*\)[^()]*)*\)", " ", m) for m in middles]
    triples = [set(zip(w, w[1:], w[2:], strict=False)) for w in (m.split() for m in bare)]
    # words of a name are no clause: "Wad al-Mahi Town 4" and "Wad al-Mahi Town 3" (Sudan
    # 2022-W42) share three words, none a lower-case word as a clause has ("attacked civilians at")
    shared = set.intersection(*triples) if triples else set()
    return any(any(word.isalpha() and word.islower() for word in triple) for triple in shared)


def _has_count(words: Sequence[str]) -> bool:
    return any(_WHOLE_NUMBER.fullmatch(w.strip(",;:()")) for w in words)


_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "on", "around"})


def _can_share(lead: Sequence[str]) -> bool:
    # Phrases whose shared words hold a count are named together only as "N killed in each of".
    return not _has_count(lead) or lead[-1] in _PLACE_PREPOSITIONS


# Event nouns that a list of places makes plural: "Protests in Khartoum, Omdurman and Aqiq".
_PLURAL_EVENT_NOUNS = re.compile(
    r"(?i)(?:protest|strike|attack|clash|explosion|riot|demonstration|raid|ambush|battle|abduction|arrest|bombing"
    r"|explosive|landmine|ied|bomb|grenade)"
)


def _plural_noun(word: str) -> str | None:
    """``word`` made plural if it is an event noun, each part of a slashed one ("explosive/landmine/IED"
    -> "explosives/landmines/IEDs", ACLED's sub-event type); None for other words."""
    parts = word.split("/")
    if not all(_PLURAL_EVENT_NOUNS.fullmatch(p) for p in parts):
        return None
    return "/".join(p + ("es" if p.endswith(("sh", "ch", "s", "x")) else "s") for p in parts)


def _plural_start(lead: Sequence[str]) -> str:
    """The shared leading words of a list of places ("Protest in"), their event noun made plural
    when it comes right before the place's preposition ("Protests in"); others unchanged."""
    words = list(lead)
    plural = _plural_noun(words[-2]) if len(words) >= 2 and words[-1] in _PLACE_PREPOSITIONS else None
    if plural is not None:
        words[-2] = plural
        # a plural takes no "a": "A protest in" -> "Protests in", not "A protests in"
        if len(words) >= 3 and words[-3] in ("A", "An", "a", "an"):
            del words[-3]
            words[-2] = words[-2][:1].upper() + words[-2][1:] if not words[:-2] else words[-2]
    return " ".join(words) + " "


# A count taken over a window ("reached 8 regions of Mali in 30 days", "the highest in 1,095
# days", "the highest since the record began (1 January 2022)"), so firings on different days
# give the same count again, not counts of different things.
_WINDOW_COUNT = re.compile(r"\b(?:in|over|within|during) (?:the (?:last|past) )?[0-9][0-9,]* (?:days|weeks|months)\b|\bsince the record began\b")
_RECORD_BEGAN = re.compile(r"\bsince the record began \([^()]*\)")


def _window_counts(every: Sequence[str]) -> list[str]:
    """The phrases, those that take a count over a window and differ only in their numbers said
    once, as the highest reading ("Violence has reached 18 regions of India", then "7 regions of
    Pakistan"); it is placed where the first of its phrases was. Counts of events ("3 killed in
    Lahore", "5 killed in Lahore": two attacks) are not readings of one count."""
    groups: dict[str, list[str]] = {}
    for phrase in every:
        # a record read on one day from the record's start, on another in days, is one reading
        key = _WHOLE_NUMBER.sub("#", _RECORD_BEGAN.sub("in 0 days", phrase)) if _WINDOW_COUNT.search(phrase) else phrase
        groups.setdefault(key, []).append(phrase)
    return [_highest_reading(group) for group in groups.values()]


def _highest_reading(every: Sequence[str]) -> str:
    """One running count read on several days of a week, as its highest reading, whole: "61 armed
    groups fought in Somalia in 30 days", not "60 to 61 armed groups", which reads as a count
    nobody could settle; "The 30-day death toll in Bangladesh (205) is the highest in 589 days",
    the toll and its record from one day, not "(55 to 205) ... in 586 to 589 days" (real Somalia
    2026-W13 and Bangladesh 2024-W29 exports). The reading a rule fired on is a number it used;
    the earlier, lower readings of the week are that same count on the days before."""
    def numbers(phrase: str) -> list[int]:
        return [int(n.replace(",", "")) for n in _WHOLE_NUMBER.findall(phrase)]

    return max(dict.fromkeys(every), key=numbers)


_TRAILING_MARKS = ",;:"


def _merged_ends(texts: Sequence[str]) -> str | None:
    """Texts that share at least three leading words, their trailing words and their final mark,
    and differ in a few words between (a place): the differences listed once ("check backup power
    ... in Sheebaab and Baidoa; plan for outages lasting days."); None for other texts."""
    if not all(texts):  # an empty advice ("Fact: ") has no end to share
        return None
    end = texts[0][-1] if texts[0][-1] in ".!?" else ""
    if end and not all(t.endswith(end) for t in texts):
        return None
    shared = _aligned([t[: len(t) - len(end)] for t in texts])
    # a few words: a place, what a bracket says of it not counted ("Gaza - Ash Shati' Camp (15
    # killed)" is a place of five words, a real Gaza 2023 export)
    if shared.lead < 3 or any(not 0 < len(_BRACKETS.sub(" ", m).split()) <= 6 for m in shared.middles):
        return None
    # a place hit twice is named once; counts are not places: "17 and 15 people were killed in
    # one attack" was said of two attacks in Azerbaijan (a real Caucasus export, 2020-W40), and
    # two attacks of 15 would have been one
    counts = all(_WHOLE_NUMBER.fullmatch(m) for m in shared.middles)
    named = list(shared.middles) if counts else list(dict.fromkeys(shared.middles))
    # middles that share a lower-case word are clauses ("Maraanaz landed 8", "Qazali landed 7"
    # before "km from NATO territory", a real 2020 world export), not names to list
    # (what a bracket says of a place, "Aton (56 killed)", is no clause)
    bare = [_BRACKETS.sub(" ", n) for n in named]
    if len(named) > 1 and set.intersection(*({w for w in b.split() if w.isalpha() and w.islower()} for b in bare)):
        return None
    # a middle across the fact and its advice would list "Doro Naira: 15 and Ganfouda: 10 people
    # were killed" (a real 2016 Africa export): the place and its count belong to two sentences
    if any(": " in n for n in named):
        return None
    # a mark every middle ends with belongs after the list ("in Sheebaab;" / "in Baidoa;")
    mark = named[0][-1] if named[0][-1] in _TRAILING_MARKS and all(n.endswith(named[0][-1]) for n in named) else ""
    if mark:
        named = [n[:-1] for n in named]
        if not all(named):
            return None
    if not counts:
        named = _grouped_by_place(named)
    start, ending = shared.start, shared.ending
    if counts and len(named) > 1:
        ending = _IN_ONE.sub(lambda m: f"in separate {m.group(1)}s", ending)
    noun = _place_list(shared.words[0][: shared.lead])
    # "Condemn the attack on Kreminna (56 killed), Sumy (22 killed) ..., support the documentation
    # of it": one attack's words said of several (a real Ukraine 2022 export) are made plural, and
    # what is left over counted as attacks (a place can be named twice: Gaza 2023-W45's Nasr).
    # what is left over is attacks while each is named apart (a place named twice, each with its
    # toll); a place named once for several attacks leaves places over
    singular = _ONE_ATTACK_ON.search(start)
    if singular is not None:
        start = start[: singular.start(1)] + singular.group(1) + "s" + start[singular.end(1) :]
        ending = _OF_IT.sub(r"\1them", ending)
        if len(named) == len(shared.middles):
            noun = singular.group(1) + "s"
    return start + _listed(named[:MAX_RELATED], len(named) - MAX_RELATED, noun=noun) + mark + ending + end


_PLACE_AND_WHO = re.compile(r"(?P<place>[^()]+?) \((?P<who>[^()0-9]*(?:\([^()]*\)[^()0-9]*)*)\)")
MAX_PAIRS = 3


def _grouped_by_place(named: Sequence[str]) -> list[str]:
    """A place named with what its bracket says of who was there, once with each bracket:
    "Mariupol (Russia against Ukraine; the Donetsk People's Republic against the Azov
    Regiment)", not Mariupol three times in one list (brief18: a real Ukraine 2022-W11 export).
    Brackets with a figure ("Nasr (15 killed)") are tolls of separate events and stay apart."""
    return [f"{place} ({_sides_said(who)})" if who else place for place, who in _sides_by_place(named).items()]


def _sides_by_place(named: Sequence[str]) -> dict[str, list[str]]:
    by_place: dict[str, list[str]] = {}
    first_said: dict[str, str] = {}
    for item in named:
        m = _PLACE_AND_WHO.fullmatch(item)
        who = by_place.setdefault(m.group("place") if m else item, [])
        if m is not None:
            sides = _local_militia(m.group("place"), m.group("who"))
            # one wording for two sides over the whole list, the first met: places where they
            # fought group together whichever ACLED named first
            said = first_said.setdefault(_reversed(sides), sides)
            first_said.setdefault(sides, said)
            if said not in who:
                who.append(said)
    return by_place


def _local_militia(place: str, who: str) -> str:
    """``who`` with a militia ACLED names after the place it fought at said as a local one:
    "Gouka (the military forces of Benin against a local communal militia in Benin)", so places
    where the same forces fought their own place's militia group together (Benin 2021-W14 named
    "the military forces of Benin against a X communal militia in Benin" at five places, each X
    the place)."""
    return re.sub(rf"\ban? {re.escape(place)} (?=(?:(?:communal|ethnic|clan|tribal|village|youth) )?militia\b)", "a local ", who)


def _reversed(who: str) -> str:
    # the same two sides the other way round are one pair at a place: ACLED's order of actors in
    # a battle says who is named first, not who attacked ("Mariupol (the military forces of
    # Ukraine against the military forces of Russia; the military forces of Russia against the
    # military forces of Ukraine)", a real Ukraine 2022-W11 export)
    sides = who.split(" against ")
    return f"{sides[1]} against {sides[0]}" if len(sides) == 2 else who


def _sides_said(who: Sequence[str]) -> str:
    # more than three pairs at one place are counted
    return "; ".join(who[:MAX_PAIRS]) + (f"; {len(who) - MAX_PAIRS} more" if len(who) > MAX_PAIRS else "")


def _places_and_sides(middles: Sequence[str]) -> tuple[list[str], str, int] | None:
    """A list of places each with its sides in a bracket, when a place or a bracket comes more
    than once: each place once with all its sides, places with the same sides together
    ("Wabxo (A against B; C against D); Qoor-Dheere and Ceel Gorof (E against F)"), the first
    MAX_RELATED groups named and the places of the rest counted (was "and 69 more places": 74
    pairs of place and sides at 70 places, a real Somalia 2025-W30 export); None when no place
    nor bracket repeats."""
    if not all(_PLACE_AND_WHO.fullmatch(m) for m in middles):
        return None
    by_place = _sides_by_place(middles)
    by_sides: dict[str, list[str]] = {}
    for place, who in by_place.items():
        by_sides.setdefault(_sides_said(who), []).append(place)
    if len(by_place) == len(middles) and len(by_sides) == len(by_place):
        return None
    groups = list(by_sides.items())
    # a group of places is cut short as a list is: "Zaporizhia, Mykolaiv, ... and 13 more places (...)"
    items = [f"{_listed(places[:MAX_RELATED], len(places) - MAX_RELATED, noun='places')} ({sides})" for sides, places in groups[:MAX_RELATED]]
    left = sum(len(places) for _, places in groups[MAX_RELATED:])
    separator = "; " if any(len(places) > 1 for _, places in groups) else ", "
    return items, separator, left


_IN_ONE = re.compile(r"\bin one (attack|strike|raid|clash|event|explosion|bombing)\b")
_ONE_ATTACK_ON = re.compile(r"\bthe (attack|strike|raid|assault|bombing|massacre) (?:on|in|at) $")
_OF_IT = re.compile(r"\b(of |for |condemn |document )it\b")


def _fact_and_advice(texts: Sequence[str]) -> list[list[str]]:
    """Each text split at its first ': ' into fact and advice, or, when a fact holds a colon of
    its own (a name, a site) and so the advice differs, at the first ': ' of the words every text
    ends with: an advice they share is said once whatever the facts hold."""
    split = [t.split(": ", 1) for t in texts]
    if all(len(p) == 2 for p in split) and len({p[1] for p in split}) == 1:
        return split
    shortest = min(len(t) for t in texts)
    same = next((n for n in range(shortest) if len({t[len(t) - 1 - n] for t in texts}) > 1), shortest)
    ending = texts[0][len(texts[0]) - same :]
    at = ending.find(": ")
    if at < 0 or len(ending) - at - 2 < 3:
        return split
    cut = len(ending) - at
    return [[t[: len(t) - cut], t[len(t) - cut + 2 :]] for t in texts]


def _counts_by_place(facts: Sequence[str], advice: Sequence[str]) -> str | None:
    """Advice that names places (the same words but a place) whose facts are counts of the same
    thing: the places once, each count with its place ("Review shelter procedures ... for staff in
    Doro Naira and Ganfouda: 15 people were killed in one attack in Doro Naira and 10 in one attack
    in Ganfouda."; was two whole sentences after "Also:", a real 2016 Africa export); None for
    other texts."""
    merged = _merged_ends(facts)
    end = advice[0][-1:] if advice[0][-1:] in (".", "!") else ""
    if merged is None or not all(a.endswith(end) for a in advice):
        return None
    places = _aligned(facts).middles
    said = _said_once([f"{a[: len(a) - len(end)]} in {p}" for a, p in zip(advice, places, strict=True)], 0)
    return None if said is None else f"{merged}: {said}{end}"


def merge_action_texts(texts: Sequence[str]) -> str:
    """One recommendation from several firings' texts, given largest first, naming each:

    - texts that differ only before their first ': ' become one sentence ("35 people were
      hospitalised in Izhevsk; 14 people were hospitalised in Kyiv: check that hospitals there
      ..."), sharing their common leading words ("Rioting in Agabar and Carmo: keep staff ...");
    - texts whose facts (before ': ') are alike or differ only in a count over a window (and in
      its place), and whose advice differs in a few words, name those once ("61 armed groups
      fought in Somalia in 30 days: ...; map who holds Kunyo Barrow, Waajid and Mubaarak.");
    - texts that differ only in a few words between common leading and trailing words name
      those once ("... map who controls the routes to Gumare, Moqokori and Dhabad.");
    - otherwise the largest leads and the others follow after "Also:".

    A busy week fires one rule thousands of times: the five largest are named, the rest counted."""
    unique = list(dict.fromkeys(texts))
    if len(unique) == 1:
        return unique[0]
    # one attack's words at several places are said of several attacks, as a place struck twice
    # already says them (_several): "Condemn the attacks on Gaza - Nasr and Gaza - Shujaiyya".
    # Texts all of one attack each are left to _merged_ends, which counts what is left as attacks.
    if all(_ONE_OR_SEVERAL.search(t) for t in unique) and not all(_THE_ONE_ATTACK.search(t) and _several(t) != t for t in unique):
        unique = list(dict.fromkeys(_several(t) for t in unique))
        if len(unique) == 1:
            return unique[0]
    shown, rest = unique[:MAX_RELATED], len(unique) - MAX_RELATED
    split = _fact_and_advice(unique)
    if all(len(p) == 2 for p in split):
        facts, advice = [p[0] for p in split], [p[1] for p in split]
        if len(set(advice)) == 1:
            # one advice after facts in two or three wordings: each wording's places listed and
            # counted on their own, so "and 55 more places" does not say the first wording of
            # places that had the second (Ukraine 2022-W11: "Civilians were among those killed in
            # ... and 55 more places", among them places where the brief says only that homes were hit)
            by_wording: dict[tuple[str, ...], list[str]] = {}
            for told in facts:
                words = told.split()
                # the words before the first name or number: the wording, not its place
                upto = next((i for i, w in enumerate(words) if i and (_name_word(w) or w[:1].isdigit())), len(words))
                by_wording.setdefault(tuple(words[:upto]), []).append(told)
            # Counts of one thing are no wordings: "5 killed in Bhamo", "1 killed in each of 2 events
            # in Hpapun" and "1 killed in Hpapun" split three ways named Hpapun in two lists and said
            # "killed" in each (a real Myanmar export, 2021-W14); as tolls they are said by place.
            tolls = len({m.group(2) if (m := _COUNT_LED.match(f)) else None for f in facts} - {None}) == 1 and all(_COUNT_LED.match(f) for f in facts)
            if not tolls and len(set(facts)) > MAX_RELATED and 1 < len(by_wording) <= 3 and all(_named_list(g) != "; ".join(g) for g in by_wording.values() if len(g) > 1):
                return _wordings_listed([_named_list(g) for g in by_wording.values()]) + ": " + advice[0]
            return _named_list(facts) + ": " + advice[0]
        counted = _window_counts(facts)
        fact = counted[0] if len(counted) == 1 else _named_list(counted) if _WINDOW_COUNT.search(facts[0]) else None
        said = _merged_ends(list(dict.fromkeys(advice))) if fact is not None else None
        if fact is not None and said is not None:
            return fact + ": " + said
        # the five largest by place, the rest counted (a real Ukraine 2022 export: ten attacks
        # were ten whole sentences after "Also:")
        counts = _counts_by_place(facts[:MAX_RELATED], advice[:MAX_RELATED])
        if counts is not None:
            return counts + (f" And {rest:,} more like these." if rest > 0 else "")
        # one rule worded in two or three ways, each shared by several firings: a sentence a
        # wording, largest first. gov-deadly-violence asks for new consular advice from ten deaths
        # and keeps it under review below: Mexico 2020-W18 said "update consular advice and travel
        # guidance for the area" five times after "Also:", once a toll.
        wordings = list(dict.fromkeys(advice))
        if 1 < len(wordings) <= 3 and len(wordings) < len(unique):
            return " Also: ".join(merge_action_texts([t for t, a in zip(unique, advice, strict=True) if a == one]) for one in wordings)
    merged = _merged_ends(unique)
    if merged is not None:
        return merged
    grouped = _merged_wordings(unique)
    if grouped is not None:
        return grouped
    return shown[0] + " Also: " + " ".join(shown[1:]) + (f" And {rest:,} more like these." if rest > 0 else "")


_OTHERS_LEFT = re.compile(r";? and ([0-9][0-9,]*) others?$")


def _wordings_listed(lists: Sequence[str]) -> str:
    """Lists of two or three wordings joined into one, what each leaves unnamed counted once at
    the end: "and 2 others" closing the first of three lists said nothing of what it counted
    ("... the military forces of Yemen (22nd Armored Brigade) attacked civilians at Dar an Nasr;
    and 2 others; the police forces of Yemen ...", a real world-wide 2020 export, 2020-W19). A
    list that says what it leaves ("and 49 more places") keeps it."""
    left = 0
    said = []
    for listed in lists:
        found = _OTHERS_LEFT.search(listed)
        if found is not None and len(lists) > 1:
            left += int(found.group(1).replace(",", ""))
            listed = listed[: found.start()]
        said.append(listed)
    return _listed(said, left, "; ")


def _merged_wordings(texts: Sequence[str]) -> str | None:
    """Texts in a few wordings, each wording differing only in a place: one sentence a wording,
    largest first ("Check building resilience ... in Zolote-5, Kyiv, Severodonetsk, Okhtyrka,
    Chuhuiv and 37 more places, where the strike damaged buildings or vehicles. Also: Check fire
    safety ... in Kharkiv, ..."; a real Ukraine 2022 export had 55 sentences after "Also:", one
    rule worded for damage or for fire). None unless every wording of two or more texts merges."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for t in texts:
        words = t.split()
        groups.setdefault(tuple(words[:3]), []).append(t)
    if len(groups) == len(texts) or len(groups) > MAX_RELATED:
        return None
    said = []
    for group in groups.values():
        one = group[0] if len(group) == 1 else _merged_ends(group)
        if one is None:
            return None
        said.append(one)
    return said[0] + " Also: " + " ".join(said[1:])


_CAPITALS = re.compile(r"[A-Za-z]+")


def _as_prose(text: str, known: Sequence[Event]) -> str:
    """A firing's text as prose about its events, where a rule's template could not tell:
    an event type it lower-cased keeps its acronyms ("(remote explosive/landmine/ied)" ->
    "(remote explosive/landmine/IED)"), and a country standing in for a place with no name is
    "in", not "at" ("Fighting at Azerbaijan" -> "Fighting in Azerbaijan", an export of
    coordinates only), nor "unknown"; figures have thousands separators."""
    for e in known:
        for label in (e.sub_event_type, e.event_type):
            if label and label.lower() != label and label.lower() in text and any(sum(c.isupper() for c in w) > 1 for w in _CAPITALS.findall(label)):
                text = text.replace(label.lower(), _CAPITALS.sub(lambda m: m.group() if sum(c.isupper() for c in m.group()) > 1 else m.group().lower(), label))
        if not e.location and e.country:
            name = country_name(e.country)
            # the sandbox prints a place the event does not have as "unknown": "staff in unknown"
            text = re.sub(r"\b(?:in|at|near) unknown\b", f"in {name}", text)
            if not e.admin1:
                text = re.sub(rf"\bat {re.escape(name)}\b", f"in {name}", text)
    # both sides in one country say it once: "a Dar Hamid ethnic militia in Sudan against a
    # Katoul ethnic militia in Sudan" -> "a Dar Hamid ethnic militia against a Katoul ethnic militia in Sudan"
    text = _SIDES_IN_ONE_COUNTRY.sub(r" against \2 in \1", text)
    # a place bracketed by its own name, a city in the region named after it: "Kharkiv (Kharkiv)"
    text = _SELF_BRACKETED.sub(r"\1", text)
    # a figure a rule printed as it is ("death toll in Azerbaijan (3481) ... in 1022 days") with
    # the thousands separator every other figure of the brief has; years stay as they are
    return _BARE_THOUSANDS.sub(lambda m: m.group() if 1800 <= int(m.group()) <= 2100 else f"{int(m.group()):,}", text)


_SELF_BRACKETED = re.compile(r"(?<![\w'’-])([A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}) \(\1\)")
_SIDES_IN_ONE_COUNTRY = re.compile(r" in ((?:the )?[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*) against ([^()]*?) in \1(?![\w'’-])")
_BARE_THOUSANDS = re.compile(r"(?<![\w.,/:#-])[1-9][0-9]{3,}(?![\w.,/:-]*\w)")


def _per_event(text: str, events: int, known: Sequence[Event] = ()) -> str:
    """A count one text gives for several events is said for each: two clashes with 15 killed
    each in Kunduz read "15 killed in Kunduz" (a real Afghanistan export, 2020-W10: 30 killed);
    now "15 killed in each of 2 events in Kunduz". A count over a window is one count, however
    many events gave it, and text with no leading count is left as it is. A count every one of
    the ``known`` events took from the same sentence of its notes is one figure they repeat,
    not each one's (a real Sudan export: six days of clashes around Kulbus each noted "At least
    126 people were killed during the clashes and 133 were wounded", read as 133 injured in each
    of 6 events)."""
    fact, colon, advice = text.partition(": ")
    found = _COUNT_LED.match(fact) if events > 1 and not _WINDOW_COUNT.search(fact) else None
    if found is None:
        return _several(text) if events > 1 else text
    if _repeated_figure(found.group(1), known):
        return f"{found.group(1)} {found.group(2)} {found.group(3)} {found.group(4)}, one figure the notes of {events} events repeat{colon}{advice}"
    return f"{found.group(1)} {found.group(2)} in each of {events} events {found.group(3)} {_plural_bracket(found.group(4))}{colon}{advice}"


_LAST_BRACKET = re.compile(r"\(([^()]*?)([^()\s]+)\)$")


def _plural_bracket(where: str) -> str:
    """A place's closing bracket of event kind said of several events in the plural: "15 in
    each of 3 events in Gaza - Nasr (air/drone strikes)", not "(air/drone strike)" (a real Gaza
    export, 2023-W45, inside a longer list of tolls); a bracket that is no event noun
    ("(excessive force against protesters)") is left as it is."""
    found = _LAST_BRACKET.search(where)
    plural = _plural_noun(found.group(2)) if found else None
    if found is None or plural is None:
        return where
    return where[: found.start()] + f"({found.group(1)}{plural})"


# One attack's words, said of several attacks: "the attack on X" (a government's condemnation),
# "A strike killed ten or more people in X" (an investor's shelter review).
_ATTACK_NOUNS = ("attack", "strike", "raid", "assault", "bombing", "massacre")
_KILLING_NOUNS = ("attack", "strike", "raid", "bombing")
_THE_ONE_ATTACK = re.compile(rf"\bthe ({'|'.join(_ATTACK_NOUNS)}) (on|in|at) ")
_ONE_KILLED = re.compile(rf"^An? ({'|'.join(_KILLING_NOUNS)}) killed ")
# Either wording, for one attack or already said of several (what _several writes).
# "A strike landed close to NATO territory at X (1 km)": several read "Strikes landed ... at X (1
# km), Y (2 km)" (a real world-wide 2020 export: five "a strike landed N km from NATO territory
# at X" in a row, Syria's border with Turkey).
_ONE_LANDED = re.compile(rf"^An? ({'|'.join(_KILLING_NOUNS)}) landed ")
_ONE_OR_SEVERAL = re.compile(
    rf"\bthe (?:{'|'.join(_ATTACK_NOUNS)})s? (?:on|in|at) |^An? (?:{'|'.join(_KILLING_NOUNS)}) (?:killed|landed) "
    rf"|^(?:{'|'.join(n.capitalize() for n in _KILLING_NOUNS)})s (?:each killed|landed) "
)


def _several(text: str) -> str:
    """``text``, written for one event, said of several at its place: two strikes of 15 at Gaza -
    Nasr were one text and read as one strike (a real Gaza 2023 export, 2023-W45). "the attack
    on X ... of it" -> "the attacks on X ... of them", "A strike killed ten or more people in X" ->
    "Strikes each killed ..."; other texts unchanged."""
    said = _ONE_KILLED.sub(lambda m: f"{m.group(1).capitalize()}s each killed ", text)
    said = _ONE_LANDED.sub(lambda m: f"{m.group(1).capitalize()}s landed ", said)
    plural = _THE_ONE_ATTACK.sub(r"the \1s \2 ", said)
    if plural != said:
        return _OF_IT.sub(r"\1them", plural)
    return said


def _several_at_one_place(text: str) -> str:
    """``text`` of one event made plural at the event noun before its place ("Air/drone strike
    at X" -> "Air/drone strikes at X"), for an action whose firings all name one place: a list of
    places makes its lead plural itself (_plural_start), and a part made plural before would
    not list with the others ("protests in Baidoa; protest in Shidan")."""
    words = text.split(" ")
    at = next((i for i, w in enumerate(words[:4]) if i > 0 and w in _PLACE_PREPOSITIONS), None)
    if at is None:
        return text
    return _plural_start(words[: at + 1]) + " ".join(words[at + 1 :])


def _repeated_figure(count: str, known: Sequence[Event]) -> bool:
    """Whether every event of ``known`` (two or more) derived ``count`` from one and the same
    passage of its notes: a total its notes repeat, not a figure of its own."""
    if len(known) < 2 or not count.replace(",", "").isdigit():
        return False
    value = int(count.replace(",", ""))
    passages = set()
    for e in known:
        passage = next((d.evidence for d in e.derived if d.used and not isinstance(d.value, bool) and d.value == value), None)
        if passage is None:
            return False
        passages.add(passage)
    return len(passages) == 1


def _action_parts(firings: Sequence[Contribution], events: Mapping[str, Event]) -> list[ActionPart]:
    by_text: dict[tuple[str, str], list[Contribution]] = defaultdict(list)
    for c in firings:
        text = _as_prose(c.recommendation or "", [events[i] for i in c.event_ids if i in events])
        by_text[(text, c.region)].append(c)
    parts = []
    for (said, region), group in by_text.items():
        completing = [events.get(c.event_ids[0] if len(c.event_ids) == 1 else _completing_event(c, events)) for c in group]
        distinct = list({e.event_id: e for e in completing if e is not None}.values())
        text = _per_event(said, len(distinct), distinct)
        places = sorted({place_in(e.location, e.country) for e in completing if e is not None}) or [place_in(None, region)]
        event_ids = {i for c in group for i in c.event_ids}
        parts.append(
            ActionPart(
                text=text,
                event_ids=heapq.nsmallest(MAX_RELATED, event_ids),
                more_events=max(0, len(event_ids) - MAX_RELATED),
                region=region,
                place=", ".join(places[:MAX_RELATED]) + (f" and {more(len(places) - MAX_RELATED, 'places')}" if len(places) > MAX_RELATED else ""),
                points=round(max(c.points for c in group), 4),
                weighted_points=round(added_in_order(c.weighted_points for c in group), 4),
                firings=len(group),
            )
        )
    return sorted(parts, key=_part_size)


def _merge_parts(parts: Iterable[ActionPart]) -> list[ActionPart]:
    # Two rules wording a firing alike give one part, not the same place twice.
    grouped: dict[tuple[str, str], list[ActionPart]] = defaultdict(list)
    for p in parts:
        grouped[(p.text, p.region)].append(p)
    merged = [
        ActionPart(
            text=text,
            event_ids=sorted({i for p in group for i in p.event_ids})[:MAX_RELATED],
            more_events=max(p.more_events for p in group),
            region=region,
            place=group[0].place,
            points=max(p.points for p in group),
            weighted_points=round(added_in_order(p.weighted_points for p in group), 4),
            firings=sum(p.firings for p in group),
        )
        for (text, region), group in grouped.items()
    ]
    return sorted(merged, key=_part_size)


def _rule_cite(c: Contribution, regions: Iterable[str]) -> RuleCite:
    """``c``'s rule as an action cites it; ``regions``: where the rule fired for the action."""
    source = parse_rule_source(c.rule_source)
    general = general_rule(source.document, regions)
    return RuleCite(
        rule_id=c.rule_id,
        rule_title=c.rule_title,
        rule_source=c.rule_source,
        source_name=source.name,
        section=source.section,
        document=source.document,
        rule_file=c.rule_file,
        rule_line=c.rule_line,
        general=general is not None,
        cited_as=cited_as(source, c.rule_file, c.rule_line, general),
    )


def _actions(s: StakeholderScore, events: Mapping[str, Event]) -> tuple[list[Action], list[Action]]:
    """Actions in the regions of interest (duty first, then heaviest) and those outside them."""
    interest = {r.region for r in s.regions if r.of_interest}
    by_rule: dict[tuple[str, bool], list[Contribution]] = defaultdict(list)
    for c in s.contributions:
        if c.recommendation:
            # Without regions of interest every action is of interest; otherwise a rule's firings
            # split by region, so a hospital in Kyiv is not hidden behind one in Izhevsk.
            by_rule[(c.rule_id, not interest or c.region in interest)].append(c)
    # Rules whose firings say the same thing merge into one action citing each of them.
    merged: dict[tuple[str, bool], dict[str, Any]] = {}
    for rule_id, inside in sorted(by_rule):
        firings = by_rule[(rule_id, inside)]
        parts = _action_parts(firings, events)
        text = merge_action_texts([p.text for p in parts])
        if len(parts) == 1 and parts[0].firings > 1:
            text = _several_at_one_place(text)
        entry = merged.setdefault((text, inside), {"parts": [], "rules": {}, "firings": 0, "events": set(), "places": set()})
        entry["parts"].extend(parts)
        for c in firings:
            completing = events.get(c.event_ids[0] if len(c.event_ids) == 1 else _completing_event(c, events))
            entry["places"].add(place_in(completing.location, completing.country) if completing is not None else None)
        entry["firings"] += len(firings)
        entry["events"].update(i for c in firings for i in c.event_ids)
        entry["rules"][rule_id] = _rule_cite(min(firings, key=lambda c: (-c.weighted_points, c.recommendation or "")), {c.region for c in firings})
    inside_actions: list[tuple[tuple[Any, ...], Action, frozenset[str | None], list[ActionPart]]] = []
    outside_actions: list[tuple[tuple[Any, ...], Action, frozenset[str | None], list[ActionPart]]] = []
    for (text, inside), entry in merged.items():
        parts = _merge_parts(entry["parts"])
        event_ids = sorted(entry["events"])
        weight = round(added_in_order(p.weighted_points for p in parts), 4)
        # The events the action's text can name: those of the parts it lists.
        named = sorted({i for p in parts[:MAX_LISTED] for i in p.event_ids})
        targets = [events[i].target_name or "" for i in named if i in events]
        rank, duty = _duty(s.stakeholder, text, targets)
        disputes = [d for i in named if i in events for d in disputed_figures(events[i])]
        action = Action(
            text=text,
            weight=weight,
            firings=entry["firings"],
            event_ids=event_ids,
            rules=[entry["rules"][r] for r in sorted(entry["rules"])],
            parts=parts[:MAX_LISTED],
            more_parts=max(0, len(parts) - MAX_LISTED),
            more_firings=sum(p.firings for p in parts[MAX_LISTED:]),
            regions=sorted({p.region for p in parts}),
            in_regions_of_interest=inside,
            duty=duty if inside else None,
            disputed=_disputes_in_text(text, disputes),
            estimated_tolls=_estimates_in_text(text, [events[i] for i in named if i in events]),
        )
        said = (action, frozenset(entry["places"]), parts)
        if inside:
            inside_actions.append(((rank, -weight, text), *said))
        else:
            outside_actions.append(((-weight, text), *said))
    return (
        _referred_back([a[1:] for a in sorted(inside_actions, key=lambda x: x[0])]),
        _referred_back([a[1:] for a in sorted(outside_actions, key=lambda x: x[0])]),
    )


_SLOT = "\x00"


def _referred_back(ordered: Sequence[tuple[Action, frozenset[str | None], list[ActionPart]]]) -> list[Action]:
    """The actions in their order, each whose places are all among the places an earlier one lists
    saying so instead of listing them again when its own list would be cut short: "Condemn the attacks on 11 of the 13 places of action
    1, ..." (a real Gaza export, 2023-W45: the government brief listed "Civilians were among those
    killed in Gaza - Nasr, Gaza - Shujaiyya, ..." and then "Condemn the attacks on Gaza - Nasr,
    Gaza - Shujaiyya, ...", nearly the same places). Only an action whose firings all say one text
    but for the place is rewritten; one with counts by place keeps them. Actions are numbered as
    the brief numbers them, from 1 in each list."""
    said: list[Action] = []
    for k, (action, places, parts) in enumerate(ordered):
        text = action.text
        if len(places) > MAX_RELATED and None not in places:
            for j in range(k):
                earlier, earlier_places, _ = ordered[j]
                if said[j] is not earlier or None in earlier_places or not places <= earlier_places or not _lists_places(earlier.text, earlier_places):
                    continue
                slotted = _without_places(parts)
                if slotted is not None:
                    whole = len(places) == len(earlier_places)
                    phrase = f"the {len(places)} places of action {j + 1}" if whole else f"{len(places)} of the {len(earlier_places)} places of action {j + 1}"
                    text = slotted.replace(_SLOT, phrase)
                break
        if text == action.text:
            said.append(action)
        else:
            said.append(action.model_copy(update={"text": text, "disputed": _disputes_in_text(text, action.disputed)}))
    return said


def _lists_places(text: str, places: frozenset[str | None]) -> bool:
    """Whether ``text`` lists ``places`` so that a reader can count them: by name, or the first
    few by name and the rest as "N more places"."""
    # "Gaza" is no place of "Gaza - Nasr"
    named = sum(1 for p in places if p is not None and re.search(rf"(?<![\w'’-]){re.escape(p)}(?![\w'’]| - )", text))
    return named == len(places) or (named == MAX_RELATED and more(len(places) - named, "places") in text)


def _without_places(parts: Sequence[ActionPart]) -> str | None:
    """The one text ``parts`` say but for their place, with the place left as a slot (said of
    several attacks where it spoke of one); None when they differ in more than their place."""
    slotted = set()
    for p in parts:
        if "," in p.place or p.text.count(p.place) != 1:
            return None
        slotted.add(_several(p.text.replace(p.place, _SLOT)))
    return slotted.pop() if len(slotted) == 1 else None


# ---------------------------------------------------------------------------------------------
# The source list: every report behind the events the brief cites, and the documents by name and
# title (issue #15, section 3)


def _cited_event_ids(parts: Mapping[str, Any]) -> list[str]:
    cited: set[str] = set()
    for d in parts["drivers"]:
        cited.add(d.event_id)
        cited.update(i for r in d.rules for i in r.related_event_ids)
    for a in [*parts["actions"], *parts["actions_outside"]]:
        cited.update(i for p in a.parts for i in p.event_ids)  # the events its listed firings name
    w: Watchlist = parts["watchlist"]
    cited.update(t.event_id for t in w.talks)
    cited.update(i for r in w.repeat_targets for i in r.recent_event_ids)
    return sorted(cited)


MAX_SOURCES = 40


def _acled_graded(event: Event) -> bool:
    """The event's grades are the ACLED importer's, read from its row's ``source_scale``."""
    return any(d.field == "verification" and d.method.startswith("ACLED source column") for d in event.derived)


# ACLED's source scales behind each reliability letter (SCALE_RELIABILITY in
# riskengine/ingest/acled/sources.py), said short: the words stand in the grade's badge.
SCALE_SAID = {"B": "'National' or 'International'", "C": "regional or local", "D": "'New media', or a platform", "F": "'Other' or none"}


def _grades_said(graded: Mapping[str, set[str]], events: Mapping[str, Event]) -> tuple[str, str]:
    """An outlet's grades when its reports were graded differently, best first, each with the
    number of events it was given on ('B2 on 2 events, F2 on 17'), and why the lower letters were
    given when ACLED gave them ("F: ACLED's source scale 'Other' or none"; empty otherwise)."""
    order = sorted(graded)
    counts = ", ".join(f"{g} on {len(graded[g])}{(' event' if len(graded[g]) == 1 else ' events') if i == 0 else ''}" for i, g in enumerate(order))
    # The reliability letter is ACLED's scale of each report, not a judgment of the outlet: say
    # why the lower letters were given, so the two grades are not read as two judgments of one
    # outlet (issue 15).
    lower = sorted({g[0] for g in order[1:]} - {order[0][0]})
    if not lower or not all((e := events.get(i)) is not None and _acled_graded(e) for ids in graded.values() for i in ids):
        return counts, ""
    said = [f"{r}: {SCALE_SAID.get(r, 'unknown')}" for r in lower]
    return counts, ", ".join([said[0].replace(": ", ": ACLED's source scale ", 1), *said[1:]])


def _cited_sources(event_ids: Iterable[str], events: Mapping[str, Event], first: Iterable[str]) -> tuple[list[CitedSource], int]:
    """One row per report (outlet, grade, date, link, document, claimant relayed) with the cited
    events it reports; the reports of the ``first`` events (the top drivers) lead, the rest by
    name, at most MAX_SOURCES rows; and how many rows were left out.

    An outlet whose reports were graded with different reliability letters is listed once (per
    link, document and claimant relayed), its grades said with the events each was given on
    (docs/RULES.md, 'One outlet, two grades'): listed once per report, it read as one outlet
    judged two ways. Credibility alone may differ per report: it grades the information."""
    Key = tuple[str, str, dt.date | None, str | None, str | None, str | None]
    rows: dict[Key, set[str]] = defaultdict(set)
    graded: dict[Key, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    days: dict[Key, set[dt.date]] = defaultdict(set)
    for event_id in event_ids:
        event = events.get(event_id)
        for src in event.sources if event is not None else ():
            rows[(src.name, src.grade, src.date, src.url, src.document, src.relays)].add(event_id)
            outlet: Key = (src.name, "", None, src.url, src.document, src.relays)
            graded[outlet][src.grade].add(event_id)
            days[outlet].update([src.date] if src.date is not None else [])
    two_ways = {k for k, g in graded.items() if len({grade[0] for grade in g}) > 1}
    merged: dict[Key, set[str]] = {}
    for key, ids in rows.items():
        outlet = (key[0], "", None, *key[3:])
        if outlet not in two_ways:
            merged[key] = ids
            continue
        counts, why = _grades_said(graded[outlet], events)
        span = sorted(days[outlet])
        when = f", reported {span[0]}" + (f" to {span[-1]}" if span[-1] != span[0] else "") if span else ""
        merged.setdefault((key[0], counts + when + (f"; {why}" if why else ""), *outlet[2:]), set()).update(ids)
    rows = merged
    leading = set(first)
    ordered = sorted(
        rows,
        key=lambda k: (not rows[k] & leading, k[0].casefold(), k[0], k[2] or dt.date.min, k[1], k[3] or "", k[4] or "", k[5] or ""),
    )
    listed = []
    for name, grade, day, url, document, relays in ordered[:MAX_SOURCES]:
        reported = sorted(rows[(name, grade, day, url, document, relays)])
        listed.append(
            CitedSource(
                name=name,
                grade=grade,
                date=day,
                link=safe_link(url),
                link_withheld=bool(url) and safe_link(url) is None,
                document=document,
                relays=relays,
                event_ids=reported[:MAX_LISTED],
                more_events=max(0, len(reported) - MAX_LISTED),
            )
        )
    return listed, max(0, len(ordered) - MAX_SOURCES)


def _cited_documents(parts: Mapping[str, Any], sources: Sequence[CitedSource]) -> list[CitedDocument]:
    cites: list[RuleCite] = [r for a in [*parts["actions"], *parts["actions_outside"]] for r in a.rules]
    cites += [
        RuleCite(rule_id=r.rule_id, rule_title=r.rule_title, rule_source=r.rule_source)
        for d in parts["drivers"]
        for r in d.rules
    ]
    found: dict[str, dict[str, Any]] = {}
    for cite in cites:
        source = parse_rule_source(cite.rule_source)
        entry = found.setdefault(source.name, {"document": source.document, "sections": set(), "rules": set(), "events": set()})
        entry["sections"].add(source.section)
        entry["rules"].add(cite.rule_id)
    for src in sources:
        if src.document:
            name = document_name(src.document)
            entry = found.setdefault(name, {"document": src.document, "sections": set(), "rules": set(), "events": set()})
            entry["events"].update(src.event_ids)
    # Where the brief's cited events are: a document on another theatre gives general rules.
    regions = {x for a in [*parts["actions"], *parts["actions_outside"]] for x in a.regions} | {d.country for d in parts["drivers"]}
    documents = []
    for name, entry in found.items():
        seed = SEED_DOCUMENTS.get(entry["document"] or "")
        documents.append(
            CitedDocument(
                name=name,
                document=entry["document"],
                title=seed.title if seed else None,
                title_supplied=seed.title_supplied if seed else False,
                file=seed.file if seed else None,
                kind=seed.kind if seed else ("method" if entry["document"] is None else None),
                date=seed.date if seed else None,
                sections=sorted(entry["sections"]),
                rule_ids=sorted(entry["rules"]),
                event_ids=sorted(entry["events"]),
                about=seed.about if seed else None,
                general=seed is not None and bool(regions) and general_rule(seed.id, regions) is not None,
            )
        )
    # Seed documents first, in their order, then other documents and methods by name.
    return sorted(documents, key=lambda d: (d.document is None, d.document not in SEED_DOCUMENTS, d.document or "", d.name))


def _by_place(group: list[Event]) -> list[tuple[str | None, list[Event]]]:
    """Hits on targets of one name, one target per place when they were in several: "Township
    Police Station" names one in every township (a real Myanmar export counted a bomb in Myawaddy
    and one in Yangon as the same station hit twice). Hits without a place stay with the name's
    only place, or apart."""
    places: dict[str, list[Event]] = defaultdict(list)
    for e in group:
        places[(e.location or "").casefold()].append(e)
    located = {k: v for k, v in places.items() if k}
    if len(located) <= 1:
        return [(None, group)]
    found: list[tuple[str | None, list[Event]]] = [(v[0].location, v) for _, v in sorted(located.items())]
    return found + ([(None, places[""])] if "" in places else [])


def _watchlist(s: StakeholderScore, report: ScoreReport, events: Sequence[Event]) -> Watchlist:
    end = report.window.end
    known = [e for e in events if e.event_date <= end]

    talks = [
        Talks(
            event_id=e.event_id,
            scheduled_date=e.scheduled_date,
            days_after_window=(e.scheduled_date - end).days,
            place=_place(e),
            parties=display_names([e.actor1, e.actor2]) or "parties not named",
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
    for name_group in hits.values():
        for place, group in _by_place(name_group):
            group.sort(key=lambda e: (e.event_date, e.event_id))
            this_week = sum(1 for e in group if e.event_date >= report.window.start)
            if len(group) > 1 and this_week:
                repeats.append(
                    RepeatTarget(
                        target_name=group[-1].target_name or "",
                        # "Gaza Port in Gaza Port" (a real Gaza export, 2024-W28): a site that
                        # names its place needs no place after it
                        place=None if place is not None and place.casefold() == (group[-1].target_name or "").casefold() else place,
                        hits=len(group),
                        hits_this_week=this_week,
                        first_date=group[0].event_date,
                        recent_dates=[e.event_date for e in group[-MAX_RELATED:]],
                        recent_event_ids=[e.event_id for e in group[-MAX_RELATED:]],
                    )
                )
    repeats.sort(key=lambda r: (-r.hits, r.target_name.casefold(), r.target_name, r.place or ""))

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


# Fewer events than one a day in a country's last 30 days: its 30-day counts (deaths, regions,
# armed groups) and its scores rest on a thin record. A 1,000-row sample of six years of Ukraine
# read "13 killed in 30 days" for March 2022, and a quiet week; a brief says the record is thin
# rather than let low counts read as calm (brief19).
THIN_RECORD_EVENTS = 30


def _thin_records(s: StakeholderScore, index: _EventIndex, window: WindowInfo) -> list[str]:
    """For each country of the week's firings (of interest) whose record held fewer than
    THIN_RECORD_EVENTS events in the 30 days to its last event of the week, what the brief says
    of it."""
    latest: dict[str, Event] = {}
    for c in s.contributions:
        for event_id in c.event_ids:
            e = index.get(event_id)
            if e is None or e.country_events_30d is None or not window.start <= e.event_date <= window.end:
                continue
            seen = latest.get(e.country)
            if seen is None or (e.event_date, e.country_events_30d) > (seen.event_date, seen.country_events_30d or 0):
                latest[e.country] = e
    # the regions of interest, when the brief has any: a thin record elsewhere (France, Uzbekistan
    # beside the Caucasus file's Armenia) is about actions listed apart
    of_interest = {r.region for r in s.regions if r.of_interest}
    said = []
    for country, e in sorted(latest.items()):
        if of_interest and country not in of_interest:
            continue
        n = e.country_events_30d or 0
        start = e.country_record_start
        if start is not None and (e.event_date - start).days < 29:
            # a record beginning inside the window: its 30-day counts cover only part of it
            days = (e.event_date - start).days + 1
            said.append(
                f"the record for {country_name(country)} begins on {day_said(start)}: counts over 30 days to "
                f"{day_said(e.event_date)} cover only {days} day{'' if days == 1 else 's'} of events, so they understate what 30 days would hold"
            )
        elif n < THIN_RECORD_EVENTS:
            said.append(
                f"the record is thin for {country_name(country)}: {n:,} event{'' if n == 1 else 's'} in the 30 days to {day_said(e.event_date)} "
                "(fewer than one a day); counts over 30 days and the scores count only the events read, "
                "so low figures may reflect gaps in the record, not calm"
            )
    return said


# What an event of a file of weekly records lacks (the importer's WEEKLY_DAY): the day it took place.
WEEKLY_DAY = "day"


def _export_gaps(s: StakeholderScore, index: _EventIndex, window: WindowInfo) -> list[str]:
    """For each country of the week's firings (of interest) read from an export without actor or
    notes columns (``export_lacks``), what the brief cannot tell. A dashboard's extract of Burkina
    Faso 2019-22 has neither: its briefs said "(unnamed forces)" of every clash as if ACLED had not
    named them, and its events counted 0 armed groups (brief20)."""
    lacks: dict[str, set[str]] = defaultdict(set)
    for c in s.contributions:
        for event_id in c.event_ids:
            e = index.get(event_id)
            if e is not None and e.export_lacks and window.start <= e.event_date <= window.end:
                lacks[e.country].update(e.export_lacks)
    of_interest = {r.region for r in s.regions if r.of_interest}
    said = []
    for country, lacked in sorted(lacks.items()):
        if of_interest and country not in of_interest:
            continue
        # an extract of one or two event types (the importer's EXTRACT_TYPES): Myanmar 2021's
        # explosions only read "Violence has reached 18 regions" as if no clash had been fought
        kinds = [t.lower() for t in EVENT_TYPES if t in lacked]
        if kinds:
            listed = ", ".join(kinds[:-1]) + " or " + kinds[-1] if len(kinds) > 1 else kinds[0]
            said.append(
                f"the export read for {country_name(country)} holds no {listed}: its counts over 30 days (deaths, regions hit, armed groups) "
                "and the scores leave out what those events would add"
            )
        if WEEKLY_DAY in lacked:
            said.append(
                f"the export read for {country_name(country)} dates its events by week (every event on one weekday): an event may have "
                "taken place up to six days after its date, after this brief's week"
            )
        missing = lacked - set(EVENT_TYPES) - {WEEKLY_DAY}
        if not missing:
            continue
        cannot = []
        if "actor1" in missing:
            cannot.append("who fought or attacked whom (forces not named in this export), nor how many armed groups were active")
        elif "actor2" in missing:
            cannot.append("whom the actor named first fought or attacked")
        if "notes" in missing:
            cannot.append("what ACLED's notes would add (figures, targets, damage)")
        columns = sorted(missing)
        named = ", ".join(columns[:-1]) + " or " + columns[-1] if len(columns) > 1 else columns[0]
        said.append(f"the export read for {country_name(country)} has no {named} column: the brief cannot tell " + ", nor ".join(cannot))
    return said


def _warnings(
    ctx: dict[str, Any],
    s: StakeholderScore,
    first_week: str | None = None,
    thin: Sequence[str] = (),
    events_read: int = 0,
    record_ends: str | None = None,
) -> list[SectionWarning]:
    found: list[SectionWarning] = []

    def warn(section: str, message: str) -> None:
        found.append(SectionWarning(section=section, message=message))

    for said in thin:
        warn("regions", said)

    if record_ends is not None:
        # before any other: a week read as whole whose record stops on its first day (a real
        # Bangladesh export, 2024-W32) has every count and score of that day alone
        warn("judgments", record_ends)

    if not s.contributions:
        warn("judgments", f"no rule fired on the {events_read:,} event{'s' if events_read != 1 else ''} recorded this week, so the judgments rest on none of them" if events_read
             else "no rule fired this week, so the judgments rest on no reporting")
    judgments: list[Judgment] = ctx["judgments"]
    if judgments and all(j.likelihood is None for j in judgments):
        warn("judgments", f"no judgment carries a likelihood word: {judgments[0].basis.reason}")
    if all(d.score == 0 for d in ctx["dimensions"]):
        warn("dimensions", "every dimension scores 0 this week")
    if not ctx["regions"]:
        warn("regions", "no region has a score this week or last week")
    if len(s.history) < 2:
        warn("trend", "fewer than two weeks of history to draw a trend")
    elif first_week is not None and s.history[0].window < first_week <= s.history[-1].window:
        # ISO week labels sort as the weeks do; zeros before a feed begins are no calm
        warn("trend", f"the events read begin in {first_week}: the weeks before it score 0 for want of data, not for calm")
    if not ctx["drivers"]:
        warn("drivers", "no events drove the score this week")
    if not ctx["actions"] and ctx["actions_outside"]:
        warn("actions", f"no action concerns the regions of interest this week; {len(ctx['actions_outside'])} outside them are listed apart")
    elif not ctx["actions"]:
        warn("actions", "no rule that fired this week recommends an action")
    # An empty watchlist is no warning: the section says in one sentence that nothing is to be
    # watched (a real Sudan export, 2022-W26: three "No ..." lines and then a warning saying them again).
    c: Changes = ctx["changes"]
    if not (c.new or c.intensified or c.eased or c.faded):
        warn("changes", "no driver is new, intensified, eased or faded since last week")
    if not ctx["sources"]:
        warn("sources", "no event the brief cites names a source")
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


def build_context(
    report: ScoreReport,
    stakeholder: str,
    events: Iterable[Event],
    *,
    calibration: History | None = None,
    since: SinceLastWeek | None = None,
    fields_read: Mapping[str, frozenset[str]] | None = None,
) -> BriefContext:
    """The brief for one stakeholder of ``report``; ``events`` are those the report was scored on.
    ``calibration`` is the history the likelihood words come from (``scoring.calibration``);
    without it every judgment says it is uncalibrated instead of giving a word. ``fields_read``
    (``Scored.fields_read``: the fields each rule reads) limits a driver's derived context values
    (CONTEXT_FIELDS) to those its firings read; without it every derived value is shown."""
    # --- hook (riskengine/briefs/baseline.py): with a store, "since last week" compares with the
    # brief published for the previous week, and the bottom line says what it compared with.
    if since is not None:
        adjusted = since.adjust(report, stakeholder)
        return since.annotate(build_context(adjusted, stakeholder, events, calibration=calibration, fields_read=fields_read), report)
    # --- end of hook
    found = [s for s in report.stakeholders if s.stakeholder == stakeholder]
    if not found:
        known = ", ".join(s.stakeholder for s in report.stakeholders) or "none"
        raise TemplateError(f"stakeholder '{stakeholder}' is not in the score report (it has: {known})")
    s = found[0]
    event_list = sorted(events, key=lambda e: (e.event_date, e.event_id))
    index = _EventIndex(event_list)
    # Without the events its contributions name, a brief would list no drivers and still read
    # as complete: refuse it here, where every caller (CLI, API, service) builds one.
    missing = sorted({i for c in s.contributions for i in c.event_ids} - index.keys())
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {more(len(missing) - 5, 'events')}" if len(missing) > 5 else "")
        raise EventError([Issue("E203", f"the events the report was scored from are needed for its brief; missing: {shown}")])
    dimension_rows = _dimension_rows(s)
    actions, actions_outside = _actions(s, index)
    parts: dict[str, Any] = {
        "dimensions": dimension_rows,
        "overall": _overall_sum(s, dimension_rows),
        "regions": [
            _row(r.region, 1.0, r.of_interest, r.score, r.score_class, r.previous_score, r.change) for r in s.regions
        ],
        "drivers": _drivers(s, index, fields_read),
        "actions": actions,
        "actions_outside": actions_outside,
        "watchlist": _watchlist(s, report, event_list),
        "changes": _changes(s),
    }
    driver_events = [i for d in parts["drivers"] for i in (d.event_id, *(x for r in d.rules for x in r.related_event_ids))]
    parts["sources"], parts["more_sources"] = _cited_sources(_cited_event_ids(parts), index, driver_events)
    parts["documents"] = _cited_documents(parts, parts["sources"])
    table = table_at(calibration, Window(report.window.start, report.window.end, report.window.label))
    judgments = _judgments(s, index, table)
    # the week the record begins in, when inside the weeks the alerts read (a brief of an ISO week):
    # the events given here are only those the brief names, not every event read
    first_week = s.alerts.record_begins if s.alerts is not None else None
    window = WindowInfo(label=report.window.label, start=report.window.start, end=report.window.end)
    return BriefContext(
        stakeholder=s.stakeholder,
        title=s.title,
        window=window,
        previous_window=WindowInfo(
            label=report.previous_window.label, start=report.previous_window.start, end=report.previous_window.end
        ),
        alerts=_alerts(s),
        bluf=_bluf(s, report, first_week),
        judgments=judgments,
        trend=_trend(s, report),
        method=_method(s, report, table),
        warnings=_warnings(
            {**parts, "judgments": judgments},
            s,
            first_week,
            [*_thin_records(s, index, window), *_export_gaps(s, index, window)],
            report.events_in_window,
            record_ends_said(report.record_ends, report.window, "this week" if is_week(report.window) else "this window") if report.record_ends else None,
        ),
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


def _plain_number(value: float) -> str:
    """A number as written, no fixed decimals: profile weights 0.35 and 0.05 stay 0.35 and 0.05."""
    _refuse_missing(value)
    return f"{value:g}"


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
    # a score beside its class: "7.98" where "8.0" would read as the next class's edge
    env.filters["score"] = _score_filter
    env.filters["plain"] = _plain_number
    env.filters["name"] = display_name
    env.filters["largest_of"] = largest_of
    env.filters["more"] = more
    env.filters["names"] = display_names
    env.filters["country"] = country_name
    env.filters["region_name"] = region_name
    env.filters["region_label"] = region_label
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
    ("nan", re.compile(r"\b(?:nan|NaN|NAN)\b")),  # not "Nan": a place (Nan Hpe, Myanmar; Nan, Thailand)
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
    lint: tuple[LintFinding, ...] = ()  # what briefs.lint finds in a Markdown or HTML brief


def render_briefs(
    report: ScoreReport,
    events: Iterable[Event],
    *,
    formats: Sequence[str] = ("md",),
    templates_dir: str | Path | None = None,
    calibration: History | None = None,
    since: Mapping[str, SinceLastWeek] | None = None,  # per stakeholder: see build_context's hook
    fields_read: Mapping[str, frozenset[str]] | None = None,
) -> list[RenderedBrief]:
    """Every stakeholder of ``report`` in every format, in the report's stakeholder order;
    ``calibration`` and ``fields_read`` as for ``build_context``."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise TemplateError(f"unknown brief format '{unknown[0]}' (one of: {', '.join(FORMATS)})")
    event_list = list(events)
    # One environment per format and call: templates compile once for all stakeholders, and a
    # later call (--watch) starts fresh, so an edited template is never served from a cache.
    environments = {fmt: make_environment(fmt, templates_dir) for fmt in formats if fmt != "json"}
    rendered = []
    for s in report.stakeholders:
        context = build_context(report, s.stakeholder, event_list, calibration=calibration, since=(since or {}).get(s.stakeholder), fields_read=fields_read)
        for fmt in formats:
            text = render_brief(context, fmt, templates_dir, environment=environments.get(fmt))
            findings = tuple(lint_brief(text, fmt)) if fmt in ("md", "html") else ()
            rendered.append(
                RenderedBrief(context, fmt, brief_filename(context, fmt), text, tuple(leftover_placeholders(text)), findings)
            )
    return rendered


__all__ = [
    "BRIEF_SCHEMA_VERSION",
    "CONFIDENCE_LEVELS",
    "DUTIES",
    "FORMATS",
    "LIKELIHOOD_BANDS",
    "SECTIONS",
    "BriefContext",
    "RenderedBrief",
    "brief_filename",
    "build_context",
    "disputed_figures",
    "judged_likelihood",
    "leftover_placeholders",
    "likelihood_basis",
    "make_environment",
    "md_escape",
    "merge_action_texts",
    "render_brief",
    "render_briefs",
    "signed",
    "source_origins",
    "sparkline",
    "template_names",
]
