"""Alerts in the style of OCHA's HDX Signals: few, meaningful, never repeated (docs/ALERTS.md).

A stakeholder's score, overall or in one of its weighted dimensions, alerts in week t when it is
at or above the profile's floor (``alerts.floor``, default the lower threshold of "medium") and

* **class crossing**: it is in a higher class than in week t-1; or
* **highest in N weeks**: it is above each of the N weeks before t (``alerts.peak_weeks``,
  default 52). HDX Signals alerts when 30-day conflict fatalities reach a level not seen in one
  year (or three), at 100 or more. The history must reach back that far: when not one event
  falls in the first four of those N weeks the feed is taken to begin later, and "highest in 52
  weeks" of a feed that began five weeks ago is not claimed.

**Cool-down** (``alerts.cooldown_weeks``, K, default 26; HDX Signals: 180 days): an alert is not
raised in week t when its condition (same stakeholder, kind and subject) already held in one of
the K weeks before, whether that one was raised or was itself held back; a crossing into a higher
class than every crossing of those weeks still is (an escalation is news: HDX Signals lets a
higher alert level through its cool-down too). Counting conditions instead of alerts sent makes
week t's alerts a function of the N + K + 1 weeks ending with t and of nothing else: no store of
what was sent, and the same answer from ``riskengine alerts``, the brief, the service and a
backtest, wherever the history begins. A condition that holds week after week is announced once,
and again only after K weeks without it.

Delivery is a second, separate guarantee: the service sends each alert id to a webhook at most
once, recorded in the event store (``riskengine.service.webhooks``). The cool-down decides what is
an alert; the delivery record only stops one alert from being sent twice.

When both conditions hold for one subject in one week, one alert says both (a crossing that is
also a peak). Each alert names the firings that drove the score most that week.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from riskengine.core.errors import InputError, Issue
from riskengine.core.windows import Window, parse_week, week_of
from riskengine.rules.loader import RulePack
from riskengine.rules.models import AlertSettings, Profile
from riskengine.scoring.contributions import default_profile
from riskengine.scoring.scores import (
    CLASSES,
    Alert,
    AlertDriver,
    AlertKind,
    Contribution,
    ScoreReport,
    StakeholderScore,
    WeekAlerts,
    classify,
    overall_score,
    saturate,
    saturation_for,
)

ALERTS_SCHEMA_VERSION = "1.0"
OVERALL = "overall"
# Events in none of the first weeks of the N compared: the feed starts later than N weeks back.
COVERAGE_WEEKS = 4
ALERT_DRIVERS = 3


@dataclass(frozen=True)
class WeekScores:
    """One week of a stakeholder's scores, as the alert rules read them."""

    week: str
    events: int
    overall: float
    dimensions: Mapping[str, float]

    def score(self, subject: str) -> float:
        return self.overall if subject == OVERALL else self.dimensions.get(subject, 0.0)


@dataclass(frozen=True)
class AlertRules:
    """A profile's alert settings, resolved against its thresholds."""

    floor: float
    floor_class: str
    peak_weeks: int
    cooldown_weeks: int
    thresholds: tuple[float, ...]

    @property
    def weeks_needed(self) -> int:
        """Weeks ending with the alerting week that its alerts read: N + K + 1."""
        return self.peak_weeks + self.cooldown_weeks + 1


def rules_of(profile: Profile, settings: AlertSettings | None = None) -> AlertRules:
    """The profile's alert rules (or ``settings`` instead of its own, e.g. without cool-down)."""
    chosen = settings or profile.alerts
    thresholds = tuple(profile.thresholds)
    # a class name stands for its lower threshold in this profile
    floor = thresholds[CLASSES.index(chosen.floor) - 1] if isinstance(chosen.floor, str) else float(chosen.floor)
    return AlertRules(floor, classify(floor, thresholds), chosen.peak_weeks, chosen.cooldown_weeks, thresholds)


def profile_of(pack: RulePack, stakeholder: str) -> Profile:
    return pack.profiles.get(stakeholder) or default_profile(stakeholder)


def weeks_needed(pack: RulePack, stakeholders: Iterable[str]) -> int:
    """The longest span of weeks the stakeholders' alerts read (scoring extends its history to it)."""
    return max((rules_of(profile_of(pack, s)).weeks_needed for s in stakeholders), default=0)


def is_iso_week(window: Window) -> bool:
    return window == week_of(window.start)


def subjects_of(profile: Profile) -> list[str]:
    """overall, then the dimensions the stakeholder weighs (as the score lists them)."""
    return [OVERALL, *sorted(d for d, w in profile.dimension_weights.items() if w > 0)]


def weekly_scores(profile: Profile, weeks: Iterable[tuple[str, Mapping[str, float], int]]) -> list[WeekScores]:
    """(label, points per dimension, events) per week -> the scores the alert rules read, by the
    formulas every score uses (``scores.overall_score``, ``scores.saturate``)."""
    weights = profile.dimension_weights
    found = []
    for label, points, events in weeks:
        found.append(
            WeekScores(
                week=label,
                events=events,
                overall=overall_score(points, weights, profile.saturation),
                dimensions={d: saturate(points.get(d, 0.0), saturation_for(profile.saturation, d)) for d, w in weights.items() if w > 0},
            )
        )
    return found


# ---------------------------------------------------------------------------------------------
# The conditions


@dataclass(frozen=True)
class _Condition:
    crossing: int | None  # the class index reached, when the score crossed into a higher class
    peak: tuple[float, str] | None  # the highest of the N weeks before and its latest week, when beaten


_NONE = _Condition(None, None)


def _class_index(score: float, thresholds: Sequence[float]) -> int:
    return CLASSES.index(classify(score, thresholds))


def _condition(weeks: Sequence[WeekScores], i: int, subject: str, rules: AlertRules) -> _Condition:
    """What holds for ``subject`` in week ``i``. Weeks before the first are quiet: score 0, no events."""
    value = weeks[i].score(subject)
    if value < rules.floor:
        return _NONE
    before = weeks[i - 1].score(subject) if i >= 1 else 0.0
    level = _class_index(value, rules.thresholds)
    crossing = level if level > _class_index(before, rules.thresholds) else None
    peak = None
    n = rules.peak_weeks
    first = i - n
    if first >= 0 and any(w.events for w in weeks[first : first + min(COVERAGE_WEEKS, n)]):
        top = max(w.score(subject) for w in weeks[first:i])
        if value > top:
            peak = (top, next(w.week for w in reversed(weeks[first:i]) if w.score(subject) == top))
    return _Condition(crossing, peak)


def _raised(now: _Condition, earlier: Sequence[_Condition]) -> AlertKind | None:
    """The kind of alert ``now`` raises after the cool-down's ``earlier`` conditions, if any."""
    crossing = now.crossing is not None and all(c.crossing is None or c.crossing < now.crossing for c in earlier)
    if crossing:
        return "class_crossing"
    if now.peak is not None and all(c.peak is None for c in earlier):
        return "highest_in_weeks"
    return None


def _subject_name(subject: str) -> str:
    return "Overall score" if subject == OVERALL else f"{subject.capitalize()} score"


def record_start(first_week: str | None, week: str, previous_week: str) -> str:
    """What a rise into ``week`` cannot be told from: the events read begin (``first_week``, the
    ISO week of the earliest) in this week or the one before (a real Afghanistan export begins on
    the last day of 2020-W09, and every score "rose" in 2020-W10 from that one day); "" otherwise.
    The alerts' headlines and the brief's bottom line both say it so."""
    if first_week == previous_week:
        return f"; the events read begin in {previous_week}, so the rise may be the record starting"
    if first_week == week:
        return "; the events read begin this week, so the rise may be the record starting"
    return ""


def _record_start(weeks: Sequence[WeekScores], i: int) -> str:
    first = next((w.week for w in weeks[: i + 1] if w.events), weeks[i].week)
    return record_start(first, weeks[i].week, _previous_label(weeks, i))


def _headline(
    kind: AlertKind, subject: str, week: WeekScores, before: float, before_class: str, previous_week: str, rules: AlertRules, peak: tuple[float, str] | None, start: str = ""
) -> str:
    score, score_class = week.score(subject), classify(week.score(subject), rules.thresholds)
    name = _subject_name(subject)
    if kind == "class_crossing":
        text = f"{name} rose into {score_class}: {score:.2f}, from {before:.2f} ({before_class}) in {previous_week}"
        if peak is not None:
            # a subject at 0 in every one of those weeks had no highest week to name ("the highest
            # before: 0.00, in 2024-W28" of an escalation score that had been 0 for a year)
            before_high = f"{peak[0]:.2f}, in {peak[1]}" if peak[0] > 0 else "0.00 in every one of them"
            text += f"; its highest in {rules.peak_weeks} weeks (the highest before: {before_high})"
        return text + start + "."
    assert peak is not None
    return (
        f"{name} at its highest in {rules.peak_weeks} weeks: {score:.2f} ({score_class}), "
        f"above {peak[0]:.2f} in {peak[1]}; {before:.2f} ({before_class}) in {previous_week}."
    )


def _alert(
    weeks: Sequence[WeekScores],
    i: int,
    subject: str,
    kind: AlertKind,
    now: _Condition,
    rules: AlertRules,
    *,
    stakeholder: str,
    rule_pack: str,
    previous_week: str,
    drivers: tuple[AlertDriver, ...],
) -> Alert:
    week = weeks[i]
    score = week.score(subject)
    score_class = classify(score, rules.thresholds)
    before = weeks[i - 1].score(subject) if i >= 1 else 0.0
    before_class = classify(before, rules.thresholds)
    scope = f"{stakeholder}" if subject == OVERALL else f"{stakeholder}:{subject}"
    # The overall crossing keeps the id the service has always sent (week:stakeholder:class), so
    # a store that delivered it before does not deliver it again.
    tail = score_class.replace(" ", "-") if kind == "class_crossing" else f"highest-{rules.peak_weeks}w"
    return Alert(
        id=f"{week.week}:{scope}:{tail}",
        week=week.week,
        stakeholder=stakeholder,
        score=score,
        score_class=score_class,
        previous_week=previous_week,
        previous_score=before,
        previous_class=before_class,
        change=round(score - before, 2),
        rule_pack=rule_pack,
        kind=kind,
        subject=subject,
        highest_in_weeks=rules.peak_weeks if now.peak is not None else None,
        beat_score=now.peak[0] if now.peak is not None else None,
        beat_week=now.peak[1] if now.peak is not None else None,
        headline=_headline(kind, subject, week, before, before_class, previous_week, rules, now.peak, _record_start(weeks, i)),
        drivers=drivers,
    )


def _previous_label(weeks: Sequence[WeekScores], i: int) -> str:
    return weeks[i - 1].week if i >= 1 else parse_week(weeks[i].week).previous().label


# ---------------------------------------------------------------------------------------------
# Drivers: the firings that moved the subject's score most


def raising_firings(subject: str, contributions: Sequence[Contribution], weighted_dimensions: Collection[str]) -> list[Contribution]:
    """The firings that add to ``subject``'s score this week, among which ``alert_drivers`` ranks:
    positive points in that dimension, or for the overall score in a dimension it weighs."""
    if subject == OVERALL:
        return [c for c in contributions if c.weighted_points > 0 and c.dimension in weighted_dimensions]
    return [c for c in contributions if c.weighted_points > 0 and c.dimension == subject]


def alert_drivers(subject: str, contributions: Sequence[Contribution], profile: Profile) -> tuple[AlertDriver, ...]:
    """The heaviest raising firings of the week for ``subject``: for a dimension by weighted
    points, for the overall score by the points as the overall score weighs them (weight over
    saturation), with each one's share of the total."""
    weights = profile.dimension_weights

    def units(c: Contribution) -> float:
        if subject != OVERALL:
            return c.weighted_points if c.dimension == subject else 0.0
        weight = float(weights.get(c.dimension, 0.0))  # type: ignore[call-overload]
        return weight * c.weighted_points / saturation_for(profile.saturation, c.dimension) if weight > 0 else 0.0

    weighted = {d for d, w in weights.items() if w > 0}
    ranked = sorted(((units(c), c) for c in raising_firings(subject, contributions, weighted)), key=lambda uc: (-uc[0], uc[1].rule_id, uc[1].event_ids))
    total = math.fsum(u for u, _ in ranked)  # correctly rounded: the same on every Python
    return tuple(
        AlertDriver(
            rule_id=c.rule_id,
            rule_title=c.rule_title,
            dimension=c.dimension,
            weighted_points=c.weighted_points,
            share=round(u / total, 2),
            event_ids=tuple(c.event_ids),
            rule_source=c.rule_source,
            rule_file=c.rule_file,
            rule_line=c.rule_line,
        )
        for u, c in ranked[:ALERT_DRIVERS]
    )


def raising_count(score: StakeholderScore, subject: str) -> int:
    """How many firings raised ``subject``'s score in the stakeholder's week: the drivers an alert
    names are the largest of these."""
    weighted = {d.dimension for d in score.dimensions if d.weight > 0}
    return len(raising_firings(subject, score.contributions, weighted))


def raising_counts(report: ScoreReport) -> dict[str, int]:
    """``raising_count`` of every alert of a score report, by alert id (ids name the stakeholder)."""
    return {a.id: raising_count(s, a.subject) for s in report.stakeholders if s.alerts is not None for a in s.alerts.raised}


def largest_of(raising: int, shown: int) -> str:
    """What an alert's list of drivers leaves out, as the brief and ``riskengine alerts`` both say
    it: ": the largest of 254 firings" when more firings raised the score than are named (a real
    export's "Driven most by X (9 %)" said nothing of the 91 % from 251 other firings); "" when
    the drivers are all of them."""
    return f": the largest of {raising} firings" if raising > shown else ""


def driver_percent(driver: AlertDriver) -> int:
    """A driver's share as the whole percent it is (shares are rounded to 0.01), so the shares of
    several firings add up exactly, the same on every Python."""
    return round(driver.share * 100)


def drivers_by_rule(drivers: Sequence[AlertDriver]) -> list[tuple[AlertDriver, ...]]:
    """The drivers grouped by rule, each rule once, the largest share together first (ties: the
    rule of the heavier firing): a rule that fired several times among the heaviest is one entry
    listing its firings, not its title again ("Civilians killed (5 %, E1); People killed (3 %, E1);
    Civilians killed (2 %, E2)")."""
    groups: dict[str, list[AlertDriver]] = {}
    for d in drivers:
        groups.setdefault(d.rule_id, []).append(d)
    return sorted((tuple(g) for g in groups.values()), key=lambda g: -sum(map(driver_percent, g)))


# ---------------------------------------------------------------------------------------------
# A week's alerts, and every week's of a series


def _order(alert: Alert) -> tuple[bool, float, str]:
    return (alert.subject != OVERALL, -alert.score, alert.subject)


def alerts_at(
    weeks: Sequence[WeekScores],
    rules: AlertRules,
    *,
    stakeholder: str,
    subjects: Sequence[str],
    rule_pack: str,
    drivers: Callable[[str], tuple[AlertDriver, ...]] | None = None,
) -> list[Alert]:
    """The alerts of the last week of ``weeks`` (consecutive, oldest first; weeks missing at
    the start count as quiet). ``drivers(subject)`` names the firings behind each."""
    i = len(weeks) - 1
    if i < 0:
        return []
    found = []
    for subject in subjects:
        now = _condition(weeks, i, subject, rules)
        if now is _NONE:
            continue
        earlier = [_condition(weeks, j, subject, rules) for j in range(max(0, i - rules.cooldown_weeks), i)]
        kind = _raised(now, earlier)
        if kind is not None:
            chosen = drivers(subject) if drivers is not None else ()
            found.append(_alert(weeks, i, subject, kind, now, rules, stakeholder=stakeholder, rule_pack=rule_pack, previous_week=_previous_label(weeks, i), drivers=chosen))
    return sorted(found, key=_order)


def scan(weeks: Sequence[WeekScores], rules: AlertRules, *, stakeholder: str, subjects: Sequence[str], rule_pack: str) -> list[Alert]:
    """The alerts of every week of a series (a backtest's), without drivers: week t's are
    ``alerts_at`` over the weeks up to t, computed once per week and subject."""
    found: list[Alert] = []
    conditions = {s: [_condition(weeks, i, s, rules) for i in range(len(weeks))] for s in subjects}
    for i in range(len(weeks)):
        week_found = []
        for subject in subjects:
            now = conditions[subject][i]
            if now is _NONE:
                continue
            kind = _raised(now, conditions[subject][max(0, i - rules.cooldown_weeks) : i])
            if kind is not None:
                week_found.append(_alert(weeks, i, subject, kind, now, rules, stakeholder=stakeholder, rule_pack=rule_pack, previous_week=_previous_label(weeks, i), drivers=()))
        found.extend(sorted(week_found, key=_order))
    return found


def week_alerts(profile: Profile, stakeholder: str, weeks: Sequence[WeekScores], contributions: Sequence[Contribution], rule_pack: str) -> WeekAlerts:
    """The last week's alerts of one stakeholder and the rules they follow: what scoring puts in
    ``StakeholderScore.alerts``. ``contributions`` are that week's, for the drivers."""
    rules = rules_of(profile)
    raised = alerts_at(
        weeks,
        rules,
        stakeholder=stakeholder,
        subjects=subjects_of(profile),
        rule_pack=rule_pack,
        drivers=lambda subject: alert_drivers(subject, contributions, profile),
    )
    return WeekAlerts(
        floor=rules.floor, floor_class=rules.floor_class, peak_weeks=rules.peak_weeks, cooldown_weeks=rules.cooldown_weeks, raised=raised, record_begins=record_begins(weeks)
    )


def record_begins(weeks: Sequence[WeekScores]) -> str | None:
    """The week the events of ``weeks`` begin in, when an empty week comes before it (the record
    starts inside them, and the brief's bottom line and trend say so); None when the first week
    already has events (the record may begin earlier) or none has."""
    first = next((i for i, w in enumerate(weeks) if w.events), None)
    return weeks[first].week if first else None


# ---------------------------------------------------------------------------------------------
# What `riskengine alerts` prints as JSON


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AlertCheck(_Out):
    """One stakeholder checked: the rules its alerts follow, and how many it raised."""

    stakeholder: str
    title: str = Field(description="The stakeholder profile's title")
    floor: float = Field(description="The least score that alerts")
    floor_class: str = Field(description="The class of the floor")
    peak_weeks: int = Field(description="N of 'highest in N weeks'")
    cooldown_weeks: int = Field(description="K: weeks in which the same alert is not raised again")
    raised: int = Field(description="Alerts raised this week")


class AlertsReport(_Out):
    """``riskengine alerts --format json``: the week's alerts of every stakeholder checked."""

    schema_version: str = ALERTS_SCHEMA_VERSION
    generated_at: str | None = Field(None, description="From --now; left out when not given so output is reproducible")
    week: str
    previous_week: str
    rule_pack: str = Field(description="Content hash of the rule pack")
    checked: list[AlertCheck] = Field(description="Every stakeholder checked, in report order, alerts or not")
    alerts: list[Alert] = Field(description="The alerts: by stakeholder in report order, then overall first, then dimensions by score")


def alerts_report(report: ScoreReport) -> AlertsReport:
    """The alerts of a score report (a week's), as ``riskengine alerts`` prints them."""
    unchecked = [s.stakeholder for s in report.stakeholders if s.alerts is None]
    if unchecked:
        raise InputError([Issue("E408", f"alerts are weekly: {report.window.label} is not an ISO week", hint="give --week, like 2025-W27")])
    checked, alerts = [], []
    for s in report.stakeholders:
        assert s.alerts is not None
        checked.append(
            AlertCheck(
                stakeholder=s.stakeholder,
                title=s.title,
                floor=s.alerts.floor,
                floor_class=s.alerts.floor_class,
                peak_weeks=s.alerts.peak_weeks,
                cooldown_weeks=s.alerts.cooldown_weeks,
                raised=len(s.alerts.raised),
            )
        )
        alerts.extend(s.alerts.raised)
    return AlertsReport(
        generated_at=report.generated_at,
        week=report.window.label,
        previous_week=report.previous_window.label,
        rule_pack=report.rule_pack.version,
        checked=checked,
        alerts=alerts,
    )


def alerts_of(report: ScoreReport) -> list[Alert]:
    """Every alert of a score report, by stakeholder in report order (none for a window that is
    not an ISO week): what the service lists and delivers."""
    return [a for s in report.stakeholders if s.alerts is not None for a in s.alerts.raised]


__all__ = [
    "ALERTS_SCHEMA_VERSION",
    "OVERALL",
    "Alert",
    "AlertCheck",
    "AlertDriver",
    "AlertRules",
    "AlertsReport",
    "WeekAlerts",
    "WeekScores",
    "alert_drivers",
    "alerts_at",
    "alerts_of",
    "alerts_report",
    "driver_percent",
    "drivers_by_rule",
    "is_iso_week",
    "largest_of",
    "profile_of",
    "raising_count",
    "raising_counts",
    "raising_firings",
    "record_begins",
    "record_start",
    "rules_of",
    "scan",
    "subjects_of",
    "week_alerts",
    "weekly_scores",
    "weeks_needed",
]
