"""A window's score report (``riskengine score``, ``brief``, ``explain``), from events in memory
or streamed from files, by the one scorer the backtest uses.

The report needs, per stakeholder, the totals of its history windows (the brief's trend) and the
full contributions of the window and the one before (drivers, regions, "since last week"). Events
stream through the matcher from as far back as the longest pattern window reaches before the
first history window; the scorer sums every firing into totals per window (``scorer.Scorer``),
and only from the earliest day a leg of a firing in the last two windows can have are events
kept whole, for ``scorer.Detail`` to build their contributions. So scoring a week of a
million-event history holds a few weeks of events, not the history.

Files stream through the backtest's reader (``reader``, ``stream``): a file out of date order is
sorted on the way, and a file that revises an event (the same ``event_id`` twice, ACLED's upsert)
is read into memory as ``riskengine.api.read_events`` reads it, where the later record wins.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from riskengine.core.errors import InputError, Issue
from riskengine.core.events import Event
from riskengine.core.resources import display_path, sample_data_dir
from riskengine.core.windows import Window, week_of
from riskengine.ingest.event_files import ReadReport, read_events, stream_events
from riskengine.rules.ir import CompiledRuleSet, referenced_fields
from riskengine.rules.loader import RulePack
from riskengine.scoring import alerts
from riskengine.scoring.contributions import (
    STAKEHOLDER_TITLES,
    check_stakeholders,
    contributions_for,
    default_profile,
    template_view,
)
from riskengine.scoring.facts import fact_of, fan_out, match_stream, projector, row_projector, share_identical_rules
from riskengine.scoring.parallel import start_reader_server
from riskengine.scoring.periods import PeriodSource, cache_key, computed, seeded
from riskengine.scoring.reader import DEFAULT_REORDER_DAYS, Bounds, Prepared, choose_workers, make_bounds, prepare
from riskengine.scoring.scorer import Detail, Totals, per_fields_of
from riskengine.scoring.scores import Contribution, RulePackInfo, ScoreReport, stakeholder_score, window_out, with_record_end
from riskengine.scoring.stream import copy_report, prepared_from_files, run_scorer, scorer_for, sorting_if_needed

# Weeks of history a report scores: the brief's trend charts cover this many, this week included.
HISTORY_WEEKS = 12


@dataclass(frozen=True)
class ScoringPlan:
    window: Window
    history: list[Window]
    earliest: dt.date
    # The weeks the window's alerts read (scoring.alerts: N + K + 1, longer than the trend's
    # history); none when the window is not an ISO week, as alerts are weekly.
    alert_history: list[Window] = field(default_factory=list)

    @property
    def first_window(self) -> Window:
        return self.alert_history[0] if len(self.alert_history) > len(self.history) else self.history[0]


def plan_windows(window: Window, history_weeks: int, compiled: CompiledRuleSet, alert_weeks: int = 0) -> ScoringPlan:
    history = window.history(max(history_weeks, 2))
    alert_history = window.history(alert_weeks) if alert_weeks and alerts.is_iso_week(window) else []
    first = alert_history[0] if len(alert_history) > len(history) else history[0]
    if any(r.window_days is None for r in compiled.pattern_rules):
        # A pattern rule whose joins do not bound its span may pair with any earlier event.
        return ScoringPlan(window, history, dt.date.min, alert_history)
    reach_back = max((r.window_days or 0 for r in compiled.pattern_rules), default=0)
    return ScoringPlan(window, history, first.start - dt.timedelta(days=reach_back), alert_history)


def resolve_window(window: Window | None, events: Sequence[Event]) -> Window:
    if window is not None:
        return window
    if not events:
        raise InputError([Issue("E403", "no events to score and no window given", hint="give --week or event files")])
    return week_of(max(e.event_date for e in events))


@dataclass
class Scored:
    """A report and the events a brief of it reads: the legs of the contributions, and those its
    watchlist names (talks ahead, strikes on named targets)."""

    report: ScoreReport
    events: list[Event]
    read: ReadReport = field(default_factory=ReadReport)
    # Per rule id, the event fields its conditions and joins read: a brief shows a derived context
    # value (a distance to NATO territory) only on events whose firings read it.
    fields_read: Mapping[str, frozenset[str]] = field(default_factory=dict)


def fields_read_by(compiled: CompiledRuleSet) -> dict[str, frozenset[str]]:
    return {rule.id: frozenset(referenced_fields([rule])) for rule in compiled.rules}


def _bounds(plan: ScoringPlan, pack: RulePack, compiled: CompiledRuleSet, batch_size: int, watch: bool, first_period: dt.date | None = None) -> Bounds:
    # Windows are contiguous and of one length, so the scorer's periods are the history windows.
    return make_bounds(
        compiled,
        per_fields_of(pack),
        first_period=first_period or plan.first_window.start,
        last_day=plan.window.end,
        period_days=plan.window.days,
        chunk_size=batch_size,
        reorder_days=DEFAULT_REORDER_DAYS,
        # From the first history window on, events are kept whole: a firing's region (the
        # trend per region) is its completing event's, which the totals do not keep.
        keep_from=plan.history[0].start,
        watch_after=plan.window.end if watch else None,
    )


def _score_prepared(
    items: Iterable[Prepared],
    bounds: Bounds,
    plan: ScoringPlan,
    pack: RulePack,
    compiled: CompiledRuleSet,
    chosen: Sequence[str],
    engine: str,
    now: str | None,
    totals: Totals | None = None,
) -> Scored:
    window, previous = plan.window, plan.history[-2]
    shared, scorer = scorer_for(pack, compiled, chosen, bounds)
    if totals is not None:  # the periods before bounds.first_period, kept from an earlier score (score_dated)
        scorer.totals = totals
    detail = scorer.detail = Detail(
        pack, (window.start.toordinal(), previous.start.toordinal()), bounds.keep_from or 0, [w.start.toordinal() for w in plan.history]
    )
    run = run_scorer(items, shared, scorer, bounds, engine=engine)
    totals = scorer.totals_now()
    results = []
    for stakeholder in chosen:
        profile = pack.profiles.get(stakeholder) or default_profile(stakeholder)
        weights = profile.dimension_weights

        # Defaults bind this iteration's stakeholder, weights and relief (called within it anyway).
        def points(w: Window, stakeholder: str = stakeholder, weights: Mapping[Any, float] = weights, relief: float = profile.max_relief) -> dict[str, float]:
            return totals.net(w.start.toordinal(), stakeholder, weights, relief)

        current = [c for c in detail.contributions.get(window.start.toordinal(), []) if c.stakeholder == stakeholder]
        score = stakeholder_score(
            stakeholder=stakeholder,
            title=profile.title,
            weights=weights,
            thresholds=profile.thresholds,
            saturation=profile.saturation,
            regions_of_interest=profile.regions_of_interest,
            current=current,
            previous=[c for c in detail.contributions.get(previous.start.toordinal(), []) if c.stakeholder == stakeholder],
            history=[(w.label, points(w)) for w in plan.history],
            now_points=points(window),
            before_points=points(previous),
            max_relief=profile.max_relief,
            region_history=[detail.region_points(w.start.toordinal(), stakeholder, weights, profile.max_relief) for w in plan.history],
        )
        if plan.alert_history:  # the alerts read the profile's last N + K + 1 weeks of these totals
            needed = plan.alert_history[-alerts.rules_of(profile).weeks_needed :]
            weeks = alerts.weekly_scores(profile, ((w.label, points(w), totals.events.get(w.start.toordinal(), 0)) for w in needed))
            score = score.model_copy(update={"alerts": alerts.week_alerts(profile, stakeholder, weeks, current, pack.version)})
        results.append(score)
    report = ScoreReport(
        generated_at=now,
        window=window_out(window),
        previous_window=window_out(previous),
        rule_pack=RulePackInfo(version=pack.version, rules=len(pack.rules), files=[display_path(f) for f in pack.files]),
        events_in_window=totals.events.get(window.start.toordinal(), 0),
        events_in_previous_window=totals.events.get(previous.start.toordinal(), 0),
        stakeholders=results,
    )
    events = _watched(run.watched, window)
    events.update(detail.legs)
    return Scored(report, sorted(events.values(), key=lambda e: (e.event_date, e.event_id)), fields_read=fields_read_by(compiled))


def _watched(watched: Iterable[tuple[str | None, int, Event | bytes]], window: Window) -> dict[str, Event]:
    """The watched events a brief reads: talks, and the strikes on targets hit in the window."""
    start = window.start.toordinal()
    hit = {target for target, day, _ in watched if target is not None and day >= start}
    out: dict[str, Event] = {}
    for target, _, item in watched:
        if target is None or target in hit:
            event = item if isinstance(item, Event) else Event.model_validate_json(item)
            out[event.event_id] = event
    return out


def score_events(
    events: Sequence[Event],
    pack: RulePack,
    compiled: CompiledRuleSet,
    *,
    window: Window | None = None,
    stakeholders: Iterable[str] | None = None,
    history_weeks: int = HISTORY_WEEKS,
    engine: str = "durable",
    now: str | None = None,
    batch_size: int = 5000,
) -> ScoreReport:
    """The report of ``window`` (default: the week of the latest event) over events in memory."""
    chosen = check_stakeholders(stakeholders)
    window = resolve_window(window, events)
    plan = plan_windows(window, history_weeks, compiled, alerts.weeks_needed(pack, chosen))
    # No look-ahead: what happens after the window cannot raise its score.
    relevant = sorted((e for e in events if plan.earliest <= e.event_date <= window.end), key=lambda e: (e.event_date, e.event_id))
    bounds = _bounds(plan, pack, compiled, batch_size, watch=False)
    chunks = [relevant[i : i + batch_size] for i in range(0, len(relevant), batch_size)]
    report = _score_prepared(prepare(chunks, bounds, {"read": 0}), bounds, plan, pack, compiled, chosen, engine, now).report
    return with_record_end(report, max((e.event_date for e in events), default=None))


def score_files(
    paths: Sequence[str | os.PathLike[str]] | None,
    pack: RulePack,
    compiled: CompiledRuleSet,
    *,
    window: Window | None = None,
    stakeholders: Iterable[str] | None = None,
    history_weeks: int = HISTORY_WEEKS,
    engine: str = "durable",
    now: str | None = None,
    skip_invalid: bool = False,
    rejects: str | os.PathLike[str] | None = None,
    batch_size: int = 5000,
    workers: int | None = None,
) -> Scored:
    """``score_events`` over event files (default: the bundled sample), streamed: memory holds
    the scorer's records and the last weeks' events, whatever the files' size. With the report
    come the events a brief of it reads (``Scored.events``) and what reading skipped."""
    chosen = check_stakeholders(stakeholders)
    files = [Path(p) for p in paths] if paths else [sample_data_dir() / "sample_events.yaml"]
    processes = choose_workers(files, workers)
    if processes > 1:
        start_reader_server()  # the reader's imports, done while this finds the latest week
    if window is None:
        window = _latest_week(files, skip_invalid)
    plan = plan_windows(window, history_weeks, compiled, alerts.weeks_needed(pack, chosen))
    bounds = _bounds(plan, pack, compiled, batch_size, watch=True)

    def attempt(sort: bool) -> Scored:
        read = ReadReport()
        counters = {"read": 0}
        items = _unique(
            prepared_from_files(
                files, bounds, processes=processes, skip_invalid=skip_invalid, rejects=rejects, report=read, counters=counters, sort=sort
            )
        )
        scored = _score_prepared(items, bounds, plan, pack, compiled, chosen, engine, now)
        scored.read = read
        # where the events read end, found by the reader on its one pass (in its process or here)
        latest = counters.get("latest")
        scored.report = with_record_end(scored.report, None if latest is None else dt.date.fromordinal(latest))
        return scored

    try:
        return sorting_if_needed(attempt)
    except InputError as error:
        if not any(issue.code == _REVISED for issue in error.issues):
            raise
    # A later record revises an earlier one: which one counts is known only at the end of the
    # files, so read them whole, as read_events does (the later record wins).
    loaded = read_events(files, skip_invalid=skip_invalid, rejects_path=rejects)
    report = score_events(loaded.events, pack, compiled, window=window, stakeholders=chosen, history_weeks=history_weeks, engine=engine, now=now)
    return Scored(report, loaded.events, loaded.report, fields_read_by(compiled))


class DatedEvents(Protocol):
    """Events that can be read by date without reading the rest (the event store's ``Snapshot``)."""

    def latest_day(self) -> dt.date | None: ...

    def between(self, first: dt.date, last: dt.date) -> Iterable[Sequence[Event]]:
        """The events dated ``first`` to ``last``, in (date, id) order, in chunks."""
        ...

    def watched(self, window: Window) -> Iterable[Event]:
        """The events a brief's watchlist reads over all history (see ``reader.watched_event``)."""
        ...


def score_dated(
    source: DatedEvents,
    pack: RulePack,
    compiled: CompiledRuleSet,
    *,
    window: Window | None = None,
    stakeholders: Iterable[str] | None = None,
    history_weeks: int = HISTORY_WEEKS,
    engine: str = "durable",
    now: str | None = None,
    batch_size: int = 5000,
    periods: PeriodSource | None = None,
) -> Scored:
    """``score_events`` over a source that reads by date: only the window's look-back (the
    history windows, or the alerts' if longer, less the longest pattern window: ``plan_windows``)
    is read, streamed through the scorer the files go through, so the same events give the same
    report. With it come the events a brief of it reads, as from ``score_files``.

    With ``periods``, weekly totals kept from earlier scores stand in for the weeks they hold,
    and scoring starts at the first week they do not (at the latest the first of the trend's
    weeks); the weeks it scores are handed back to be kept (``riskengine.scoring.periods``)."""
    chosen = check_stakeholders(stakeholders)
    if window is None:
        latest = source.latest_day()
        if latest is None:
            raise InputError([Issue("E403", "no events to score and no window given", hint="give --week or ingest events")])
        window = week_of(latest)
    plan = plan_windows(window, history_weeks, compiled, alerts.weeks_needed(pack, chosen))
    first = plan.first_window.start
    weeks = [first + dt.timedelta(weeks=n) for n in range((window.start - first).days // 7 + 1)]
    totals, key = None, cache_key(pack.version)
    if periods is not None and key is not None and engine == "durable" and plan.earliest != dt.date.min and alerts.is_iso_week(window):
        known = periods.known_periods(key, chosen, weeks[0], weeks[-1])
        # At the latest from the first trend week, whatever is kept: the report lists the
        # contributions of the window and the week before, and the trend's points per region,
        # which the kept totals do not hold; and a firing of each may have a leg a whole pattern
        # window before it.
        first = min([w for w in weeks if w not in known] + [plan.history[0].start])
        totals = seeded({w: known[w] for w in weeks if w < first})
    bounds = _bounds(plan, pack, compiled, batch_size, watch=False, first_period=first)
    chunks = source.between(bounds.first_day, window.end)
    scored = _score_prepared(prepare(chunks, bounds, {"read": 0}), bounds, plan, pack, compiled, chosen, engine, now, totals)
    if periods is not None and key is not None and totals is not None:
        periods.keep_periods(key, computed(totals, [w for w in weeks if w >= first], chosen))
    scored.report = with_record_end(scored.report, source.latest_day())
    events = {e.event_id: e for e in scored.events}
    events.update((e.event_id, e) for e in source.watched(window))
    scored.events = sorted(events.values(), key=lambda e: (e.event_date, e.event_id))
    return scored


_REVISED = "E412"


def _unique(items: Iterable[Prepared]) -> Iterator[Prepared]:
    """The items, or E412 at the first event id seen twice (in any date: the records before
    the window are gone by then, so the scorer's own check cannot see it)."""
    seen: set[str] = set()
    for item in items:
        before = len(seen)
        seen.update(record[0] for record in item.records)
        if len(seen) - before != len(item.records):
            raise InputError([Issue(_REVISED, "an event id appears twice: the later record revises the earlier")])
        yield item


def _latest_week(files: Sequence[Path], skip_invalid: bool) -> Window:
    """The week of the latest event, by a first reading pass (no window was given)."""
    latest: dt.date | None = None
    for chunk in stream_events(files, skip_invalid=skip_invalid):
        day = max(e.event_date for e in chunk)
        latest = day if latest is None or day > latest else latest
    if latest is None:
        raise InputError([Issue("E403", "no events to score and no window given", hint="give --week or event files")])
    return week_of(latest)


def contributions_by_event(report: ScoreReport, stakeholder: str, event_id: str | None = None) -> list[Contribution]:
    found = [s for s in report.stakeholders if s.stakeholder == stakeholder]
    if not found:
        raise InputError([Issue("E404", f"stakeholder '{stakeholder}' is not in this report")])
    contributions = found[0].contributions
    if event_id is not None:
        contributions = [c for c in contributions if event_id in c.event_ids]
    return list(contributions)


def index_events(events: Iterable[Event]) -> Mapping[str, Event]:
    return {e.event_id: e for e in events}


__all__ = [
    "HISTORY_WEEKS",
    "STAKEHOLDER_TITLES",
    "DatedEvents",
    "Scored",
    "ScoringPlan",
    "check_stakeholders",
    "contributions_by_event",
    "contributions_for",
    "copy_report",
    "default_profile",
    "fact_of",
    "fan_out",
    "match_stream",
    "plan_windows",
    "projector",
    "row_projector",
    "score_dated",
    "score_events",
    "score_files",
    "share_identical_rules",
    "template_view",
]
