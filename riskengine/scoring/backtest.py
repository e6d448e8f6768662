"""Backtests: the weekly score series of years of events, in constant memory.

When an analyst changes a rule they re-score history. Events stream through the matcher in date
order; every firing is turned at once into weighted points and added to a running total per week,
stakeholder and dimension. No contribution, firing list or event list is kept: memory holds the
totals (a few numbers per week), a small record of each event a pattern rule may still join
(dropped once older than the longest pattern window), and the chunk being matched.

The numbers are ``riskengine score --week``'s for every week: the same points
(``scoring.rule_points``), the same source weights (``scoring.source_weight``), a firing counted
in the week of the event that completed it (latest date, then highest id), and the same
saturation and profile-weighted overall score (``scoring.saturate``, ``scoring.overall_score``).
Points are summed exactly (each contribution is rounded to 4 decimals first, as a Contribution
is), so the totals do not depend on chunk sizes or on the order firings arrive in.

Input must be roughly in date order, as a feed is written. Events are reordered within
``reorder_days``; an event older than that behind the newest one seen cannot be placed any more
and is an error (E410) that says which event and by how much, rather than a silently wrong
pattern score.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import math
import operator
import os
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from riskengine.core.errors import InputError, Issue
from riskengine.ingest.event_files import ReadReport, stream_events
from riskengine.core.events import Event
from riskengine.rules.ir import CompiledRuleSet
from riskengine.rules.loader import RulePack
from riskengine.scoring.pipeline import check_stakeholders, default_profile, projector, row_projector
from riskengine.rules.models import Profile, Rule, ScaledPoints
from riskengine.scoring.scores import CLASSES, classify, overall_score, rule_points, saturate, source_weight
from riskengine.core.windows import Window, week_of

DEFAULT_CHUNK_SIZE = 5_000
DEFAULT_REORDER_DAYS = 14
# Points are summed as integers in units of 1e-4: contributions are rounded to 4 decimals.
_SCALE = 10_000

Progress = Callable[["BacktestProgress"], None]


@dataclass(frozen=True)
class BacktestProgress:
    """Where a running backtest is: for a progress bar."""

    events_read: int
    events_matched: int
    firings: int
    day: dt.date | None
    start: dt.date
    end: dt.date

    @property
    def fraction(self) -> float:
        if self.day is None:
            return 0.0
        span = (self.end - self.start).days + 1
        return min(1.0, max(0.0, ((self.day - self.start).days + 1) / span))


@dataclass(frozen=True)
class DimensionPoint:
    dimension: str
    weight: float
    weighted_points: float
    score: float


@dataclass(frozen=True)
class WeekPoint:
    week: str
    start: dt.date
    events: int
    firings: int
    score: float
    score_class: str
    dimensions: tuple[DimensionPoint, ...]


@dataclass(frozen=True)
class StakeholderSeries:
    stakeholder: str
    title: str
    saturation: float
    thresholds: tuple[float, ...]
    weeks: tuple[WeekPoint, ...]


@dataclass(frozen=True)
class BacktestResult:
    first_week: str
    last_week: str
    rule_pack_version: str
    rules: int
    events_read: int
    events_scored: int
    firings: int
    series: tuple[StakeholderSeries, ...]
    stats: Mapping[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# What is kept of an event after it has been matched: enough to score any firing it is a leg of.


# A record is a plain tuple: a reader process sends them by the hundred thousand, and a tuple
# pickles and unpickles without calling any Python code (a class with __reduce__ cost a call on
# each side, about a microsecond an event in each process). Days are ordinals.
_ID: Final = 0
_DAY: Final = 1
_WEEK: Final = 2
_WEIGHT: Final = 3
_VALUES: Final = 4
# What scoring a firing reads of an event: its id, day, week (Monday), source weight and the
# values points scale by (in ``Scorer.per_fields`` order, None where absent); built in _prepare.
_RecordTuple = tuple[str, int, int, float, tuple[Any, ...]]


class _Values:
    """A record's values where ``scoring.rule_points`` reads an event's facts."""

    __slots__ = ("names", "values")

    def __init__(self, names: Sequence[str], values: Sequence[Any]) -> None:
        self.names = names
        self.values = values

    def facts(self) -> Mapping[str, Any]:
        return {name: value for name, value in zip(self.names, self.values) if value is not None}


@dataclass(frozen=True)
class _RuleScore:
    """A rule as scoring sees it: who it counts for, in which dimension, and its points."""

    rule: Rule
    dimension: str
    stakeholders: tuple[str, ...]
    leg_names: tuple[str, ...]
    fixed: float | None


def _rule_scores(pack: RulePack, compiled: CompiledRuleSet, chosen: Sequence[str]) -> dict[str, _RuleScore]:
    by_id = {rule.id: rule for rule in pack.rules}
    out: dict[str, _RuleScore] = {}
    for compiled_rule in compiled.rules:
        rule = by_id[compiled_rule.id]
        out[rule.id] = _RuleScore(
            rule=rule,
            dimension=rule.dimension,
            stakeholders=tuple(s for s in sorted(rule.stakeholders) if s in chosen),
            leg_names=tuple(leg.as_ for leg in rule.sequence) if rule.sequence else ("event",),
            fixed=float(rule.points) if isinstance(rule.points, (int, float)) else None,
        )
    return out


_WEIGHTS: dict[tuple[tuple[str, str, int], ...], float] = {}
_SOURCE_GRADE = operator.attrgetter("name", "reliability", "credibility")


def _source_weight(event: Event) -> float:
    """``scoring.source_weight``, remembered by the sources' names and grades: a feed has few
    distinct combinations, and the weight is a third of what keeping a record costs."""
    key = tuple(map(_SOURCE_GRADE, event.sources))
    weight = _WEIGHTS.get(key)
    if weight is None:
        if len(_WEIGHTS) >= 100_000:
            _WEIGHTS.clear()
        weight = _WEIGHTS[key] = source_weight(event)
    return weight


def _per_fields(pack: RulePack) -> tuple[str, ...]:
    return tuple(sorted({r.points.per for r in pack.rules if isinstance(r.points, ScaledPoints)}))


# ---------------------------------------------------------------------------------------------
# Ordering


class _Reorder:
    """Releases events from ``first_day`` to ``last_day`` (ordinals) in date order, once nothing
    earlier can still arrive, as (day, events of that day) groups; events of one day keep the
    order they came in.

    The order within a day changes no score: every firing is found whatever order same-day
    facts arrive in (a candidate is let go only once a later day is seen), and a firing is
    counted in the week of its latest leg, ties broken by id. So held events are filed in a
    list per day, one dict look-up each, where sorting (date, id) tuples cost several string
    comparisons an event; a feed nearly in order holds few days at a time. The day found here
    goes with the events, so that nothing downstream works it out again."""

    def __init__(self, slack_days: int, first_day: int, last_day: int) -> None:
        self.slack = slack_days
        self.first_day = first_day
        self.last_day = last_day
        self._days: dict[int, list[Event]] = {}
        self._newest: float = -math.inf
        self._released: float = -math.inf  # the latest date handed on

    def extend(self, events: Iterable[Event]) -> None:
        days, released, newest = self._days, self._released, self._newest
        first_day, last_day = self.first_day, self.last_day
        try:
            for event in events:
                day = event.event_date.toordinal()
                if day < first_day or day > last_day:
                    continue
                if day < released:
                    self._too_late(event, day, newest)
                if day > newest:
                    newest = day
                held = days.get(day)
                if held is None:
                    days[day] = [event]
                else:
                    held.append(event)
        finally:
            self._newest = newest

    def _too_late(self, event: Event, day: int, newest: float) -> None:
        latest = dt.date.fromordinal(int(newest))
        raise InputError(
            [
                Issue(
                    "E410",
                    f"event '{event.event_id}' of {event.event_date} comes after events up to {latest}, "
                    f"{int(newest) - day} days later; a backtest reorders events within {self.slack} days",
                    hint="sort the events by event_date, or raise --reorder-days",
                )
            ],
            "events are not in date order",
        )

    def ready(self, final: bool = False) -> list[tuple[int, list[Event]]]:
        limit = math.inf if final else self._newest - self.slack
        due = sorted(day for day in self._days if day < limit)
        if due:
            self._released = due[-1]
        return [(day, self._days.pop(day)) for day in due]


_DayGroups = list[tuple[int, list[Event]]]


def _ordered_chunks(
    chunks: Iterable[Sequence[Event]],
    first_day: dt.date,
    last_day: dt.date,
    chunk_size: int,
    slack_days: int,
    counters: dict[str, int],
) -> Iterator[_DayGroups]:
    """Events from ``first_day`` to ``last_day`` in date order (see _Reorder), in chunks of
    ``chunk_size`` events given as day groups (a day may be cut between two chunks)."""
    reorder = _Reorder(slack_days, first_day.toordinal(), last_day.toordinal())
    pending: _DayGroups = []
    count = 0
    for chunk in chunks:
        counters["read"] += len(chunk)
        reorder.extend(chunk)
        for group in reorder.ready():
            pending.append(group)
            count += len(group[1])
        while count >= chunk_size:
            out, pending = _cut(pending, chunk_size)
            count -= chunk_size
            yield out
    pending.extend(reorder.ready(final=True))
    while pending:
        out, pending = _cut(pending, chunk_size)
        yield out


def _cut(groups: _DayGroups, size: int) -> tuple[_DayGroups, _DayGroups]:
    """The first ``size`` events of ``groups`` and the rest, both as day groups."""
    taken: _DayGroups = []
    for n, (day, events) in enumerate(groups):
        if len(events) < size:
            taken.append((day, events))
            size -= len(events)
            continue
        taken.append((day, events[:size]))
        rest = [(day, events[size:])] if len(events) > size else []
        return taken, rest + groups[n + 1 :]
    return taken, []


# ---------------------------------------------------------------------------------------------


class _Totals:
    """Weighted points per (week start, stakeholder, dimension), summed exactly."""

    def __init__(self) -> None:
        self.points: dict[tuple[int, str, str], int] = defaultdict(int)
        self.events: dict[int, int] = defaultdict(int)
        self.firings: dict[tuple[int, str], int] = defaultdict(int)


class Scorer:
    """Turns firings into weekly totals as they arrive, holding each event's record only while
    a pattern completing later could still name it. The same object scores in one process, or
    in each worker for the rules that worker matches (riskengine.scoring.parallel).

    A rule with fixed points adds the same units for every firing of the same week and source
    weight, so such firings are only counted (``tally``) and turned into points by
    ``totals_now``; rules whose points scale with a field are scored one firing at a time.
    Both sum integers, so the totals are the same either way."""

    def __init__(
        self, groups: Mapping[str, Sequence[_RuleScore]], first_week: int, reach_back: int | None, per_fields: Sequence[str] = ()
    ) -> None:
        self.groups = groups
        self.first_week = first_week
        self.reach_back = reach_back  # None: some pattern has no window, keep every record
        self.per_fields = tuple(per_fields)  # the names of a record's values
        self.records: dict[str, _RecordTuple] = {}
        self.by_age: deque[_RecordTuple] = deque()
        self.totals = _Totals()
        self.fired = 0
        self.tally: dict[tuple[int, str, float], int] = {}
        self._fixed = {rule_id: all(r.fixed is not None for r in group) for rule_id, group in groups.items()}

    def add(self, records: Iterable[_RecordTuple]) -> None:
        """Keep the records; an event id already kept is a second record of one event (E411).

        The records kept are those of the longest pattern window, which is as far back as a
        repeat could change the scores: the check costs one look-up here, where a set of its
        own in the reader process cost two microseconds an event."""
        kept, by_age = self.records, self.by_age
        for record in records:
            event_id = record[_ID]
            if event_id in kept:
                raise InputError(
                    [
                        Issue(
                            "E411",
                            f"event '{event_id}' appears twice",
                            hint="a backtest scores each event once: import revised rows first (riskengine import upserts them)",
                        )
                    ]
                )
            kept[event_id] = record
            by_age.append(record)

    def score(self, found: Mapping[str, Sequence[tuple[str, ...]]], observer: Callable[[str, tuple[str, ...]], None] | None = None) -> int:
        """Score firings given as event-id tuples per rule id (``Matcher.feed_by_rule``)."""
        records, tally, first_week = self.records, self.tally, self.first_week
        fired = 0
        for rule_id in sorted(found):
            tuples = found[rule_id]
            group = self.groups[rule_id]
            fired += len(group) * len(tuples)
            if observer is not None:
                for event_ids in tuples:
                    for rule in group:
                        observer(rule.rule.id, event_ids)
            if not self._fixed[rule_id]:
                for event_ids in tuples:
                    legs = [records[event_id] for event_id in event_ids]
                    completing = max(legs, key=_completion_order)
                    if completing[_WEEK] >= first_week:
                        self._add_points(completing[_WEEK], min(leg[_WEIGHT] for leg in legs), legs, group, 1)
                continue
            # Fixed points: count firings by week and source weight (see the class docstring).
            # A firing belongs to the week of the leg that completed it, and counts with its
            # weakest leg's source weight. Pairs, most of a dense feed's firings, are worked
            # out inline and counted by Counter in C.
            counted: list[tuple[int, float]] = []
            add = counted.append
            for event_ids in tuples:
                if len(event_ids) == 2:
                    first_id, second_id = event_ids
                    first, second = records[first_id], records[second_id]
                    first_day, second_day = first[_DAY], second[_DAY]
                    completing = second if second_day > first_day or (second_day == first_day and second_id > first_id) else first
                    weight = first[_WEIGHT] if first[_WEIGHT] < second[_WEIGHT] else second[_WEIGHT]  # noqa: FURB136 - no call on the hot path
                elif len(event_ids) == 1:
                    completing = records[event_ids[0]]
                    weight = completing[_WEIGHT]
                else:
                    legs = [records[event_id] for event_id in event_ids]
                    completing = max(legs, key=_completion_order)
                    weight = min(leg[_WEIGHT] for leg in legs)
                add((completing[_WEEK], weight))
            for (week, weight), times in Counter(counted).items():
                if week >= first_week:  # earlier: history the pattern windows needed
                    key = (week, rule_id, weight)
                    tally[key] = tally.get(key, 0) + times
        self.fired += fired
        return fired

    def _add_points(self, week: int, weight: float, legs: Sequence[_RecordTuple], group: Sequence[_RuleScore], times: int) -> None:
        points_by_week = self.totals.points
        firings_by_week = self.totals.firings
        for rule in group:
            if rule.fixed is not None:
                points = rule.fixed
            else:
                points = rule_points(rule.rule.points, [_Values(self.per_fields, leg[_VALUES]) for leg in legs], rule.leg_names)
            units = round(round(points * weight, 4) * _SCALE) * times
            for stakeholder in rule.stakeholders:
                points_by_week[(week, stakeholder, rule.dimension)] += units
                firings_by_week[(week, stakeholder)] += times

    def totals_now(self) -> _Totals:
        """The totals, with the counted firings of fixed-point rules added in."""
        tally, self.tally = self.tally, {}
        for (week, rule_id, weight), times in sorted(tally.items()):
            self._add_points(week, weight, (), self.groups[rule_id], times)
        return self.totals

    def evict(self, last_day: int) -> None:
        """Drop records older than any pattern completing on ``last_day`` or later can reach
        (one day more: a chunk may end in the middle of a day)."""
        if self.reach_back is None:
            return
        horizon = last_day - self.reach_back - 1
        by_age, records = self.by_age, self.records
        while by_age and by_age[0][_DAY] < horizon:
            records.pop(by_age.popleft()[_ID], None)

    def settings(self) -> tuple[int, int | None, tuple[str, ...]]:
        """What a Scorer for a share of the rules needs besides its rules (riskengine.scoring.parallel)."""
        return self.first_week, self.reach_back, self.per_fields

    def merge(self, other: _Totals, fired: int) -> None:
        for key, units in other.points.items():
            self.totals.points[key] += units
        for key, count in other.firings.items():
            self.totals.firings[key] += count
        self.fired += fired


def _completion_order(record: _RecordTuple) -> tuple[int, str]:
    return (record[_DAY], record[_ID])


def last_day_of(records: Sequence[_RecordTuple]) -> int:
    """The day (ordinal) of the last of a chunk's records, for ``Scorer.evict``."""
    return records[-1][_DAY]


@dataclass(frozen=True)
class _Bounds:
    """What reading needs to know of a backtest before it starts (picklable: a reader process
    gets it)."""

    first_day: dt.date  # earliest event read: the first week less the longest pattern window
    last_day: dt.date
    first_week: int  # ordinal of the first week's Monday
    reach_back: int | None  # longest pattern window; None when some pattern has no window
    chunk_size: int
    reorder_days: int
    fields: tuple[str, ...]  # what the matcher reads
    per_fields: tuple[str, ...]  # what scaled points read


@dataclass
class _Prepared:
    """One chunk, read, ordered and checked, as the matcher and the scorer take it."""

    rows: list[tuple[Any, ...]]  # the facts, as rows in the order of row_projector(fields)
    records: list[_RecordTuple]
    weeks: dict[int, int]  # events per week (Monday's ordinal), from the first week on
    read: int  # input records read so far
    last_day: dt.date


def _bounds(pack: RulePack, compiled: CompiledRuleSet, first: Window, last: Window, chunk_size: int, reorder_days: int) -> _Bounds:
    if last.start < first.start:
        raise InputError([Issue("E402", f"--to {last.label} is before --from {first.label}")])
    if chunk_size < 1 or reorder_days < 0:
        raise ValueError("chunk_size must be at least 1 and reorder_days at least 0")
    unbounded = any(r.window_days is None for r in compiled.pattern_rules)
    reach_back = max((r.window_days or 0 for r in compiled.pattern_rules), default=0)
    return _Bounds(
        first_day=dt.date.min if unbounded else max(dt.date.min, first.start - dt.timedelta(days=reach_back)),
        last_day=last.end,
        first_week=first.start.toordinal(),
        reach_back=None if unbounded else reach_back,
        chunk_size=chunk_size,
        reorder_days=reorder_days,
        fields=compiled.fields,
        per_fields=_per_fields(pack),
    )


def _prepare(chunks: Iterable[Sequence[Event]], bounds: _Bounds, counters: dict[str, int]) -> Iterator[_Prepared]:
    """Events in date order, each reduced to its fact and its record (``Scorer.add`` checks
    for repeats)."""
    names, row_of = row_projector(bounds.fields)
    per_fields = bounds.per_fields
    # the values points scale by: copied from the row when it has them (itemgetter of two or
    # more positions gives a tuple in one call), else projected
    copied: Callable[[tuple[Any, ...]], tuple[Any, ...]] | None = None
    if len(per_fields) >= 2 and set(per_fields) <= set(names):
        copied = operator.itemgetter(*(names.index(name) for name in per_fields))
    project_values = projector(per_fields)

    def values_of(event: Event) -> tuple[Any, ...]:
        return tuple(map(project_values(event).get, per_fields))

    first_week = bounds.first_week
    for groups in _ordered_chunks(chunks, bounds.first_day, bounds.last_day, bounds.chunk_size, bounds.reorder_days, counters):
        rows = []
        records = []
        weeks: dict[int, int] = defaultdict(int)
        for day, events in groups:
            week = day - (day + 6) % 7
            if week >= first_week:
                weeks[week] += len(events)
            for event in events:
                row = row_of(event)
                rows.append(row)
                values = copied(row) if copied is not None else values_of(event)
                # the record: what scoring a firing reads of an event (see _RecordTuple)
                records.append((event.event_id, day, week, _source_weight(event), values))
        last_day = dt.date.fromordinal(groups[-1][0])
        yield _Prepared(rows, records, weeks, counters["read"], last_day)


def run_backtest(
    chunks: Iterable[Sequence[Event]],
    pack: RulePack,
    compiled: CompiledRuleSet,
    *,
    first: Window,
    last: Window,
    stakeholders: Iterable[str] | None = None,
    engine: str = "durable",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    reorder_days: int = DEFAULT_REORDER_DAYS,
    workers: int = 1,
    progress: Progress | None = None,
    observer: Callable[[str, tuple[str, ...]], None] | None = None,
) -> BacktestResult:
    """Weekly scores from ``first`` to ``last`` (ISO weeks, both included) of a stream of events.

    ``chunks`` is what ``event_io.stream_events`` yields. Events before ``first`` are matched
    only as far back as the longest pattern window reaches (so patterns completing in ``first``
    are found); events after ``last`` are not read into any score. ``observer``, if given, is
    called with every firing (rule id, event ids), e.g. to compare engines; it needs one process.
    With ``workers`` > 1 the rules are split between that many matching processes
    (``parallel.score_parallel``); ``backtest_files`` reads in a process of its own instead.
    """
    bounds = _bounds(pack, compiled, first, last, chunk_size, reorder_days)
    if observer is not None and workers > 1:
        raise ValueError("an observer sees firings in one process only: use workers=1")
    counters = {"read": 0}
    with _collector_paused():
        return _score_all(
            _prepare(chunks, bounds, counters), counters, pack, compiled, bounds, first, last, stakeholders, engine, workers, progress, observer
        )


def _score_all(
    prepared: Iterable[_Prepared],
    counters: dict[str, int],
    pack: RulePack,
    compiled: CompiledRuleSet,
    bounds: _Bounds,
    first: Window,
    last: Window,
    stakeholders: Iterable[str] | None,
    engine: str,
    workers: int,
    progress: Progress | None,
    observer: Callable[[str, tuple[str, ...]], None] | None,
) -> BacktestResult:
    chosen = check_stakeholders(stakeholders)
    rules = _rule_scores(pack, compiled, chosen)
    # Identical rules of different packs are matched once; each firing is scored for all.
    from riskengine.scoring.parallel import share_identical_rules

    shared, fanout = share_identical_rules(compiled)
    groups = {rule.id: tuple(rules[i] for i in fanout.get(rule.id, (rule.id,))) for rule in shared.rules}
    scorer = Scorer(groups, bounds.first_week, bounds.reach_back, bounds.per_fields)
    names = row_projector(bounds.fields)[0]
    matched = 0
    last_day: dt.date | None = None

    def counted(items: Iterable[_Prepared]) -> Iterator[_Prepared]:
        nonlocal matched, last_day
        events = scorer.totals.events
        for item in _collecting(items):
            for week, count in item.weeks.items():
                events[week] += count
            matched += len(item.records)
            last_day = item.last_day
            counters["read"] = max(counters["read"], item.read)
            yield item

    def report(fired: int) -> None:
        if progress is not None:
            progress(BacktestProgress(counters["read"], matched, fired, last_day, first.start, last.end))

    if workers > 1:
        from riskengine.scoring.parallel import score_parallel

        stats = score_parallel(
            ((item.rows, item.records) for item in counted(prepared)),
            shared,
            scorer,
            engine=engine,
            workers=workers,
            batch_size=bounds.chunk_size,
            progress=report,
            names=names,
        )
    else:
        from riskengine.engine.matching import open_matcher

        with open_matcher(shared, engine=engine, batch_size=bounds.chunk_size) as matcher:  # type: ignore[arg-type]
            for item in counted(prepared):
                scorer.add(item.records)  # before matching: a firing's legs must have records
                scorer.score(matcher.feed_rows_by_rule(names, item.rows), observer)
                scorer.evict(item.last_day.toordinal())
                report(scorer.fired)
        stats = {"records_retained": len(scorer.records)}
    totals = scorer.totals_now()
    series = tuple(_series(pack, stakeholder, totals, first, last) for stakeholder in chosen)
    return BacktestResult(
        first_week=first.label,
        last_week=last.label,
        rule_pack_version=pack.version,
        rules=len(compiled.rules),
        events_read=counters["read"],
        events_scored=sum(totals.events.values()),
        firings=scorer.fired,
        series=series,
        stats=stats,
    )


# Collect every so many chunks while the collector is paused (see _collector_paused).
_COLLECT_EVERY = 100


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the run.

    A backtest allocates millions of small objects that live for a while (events of a chunk,
    records of the pattern windows, facts in the matcher), and each of the collector's
    automatic passes walks all of them: measured on 100k events, 40 % of the run. Nothing in
    the pipeline makes reference cycles, so reference counting frees everything; a full
    collection every ``_COLLECT_EVERY`` chunks bounds memory should anything cyclic appear."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _collecting(items: Iterable[_Prepared]) -> Iterator[_Prepared]:
    """The items, with a full collection every ``_COLLECT_EVERY`` of them (the collector is paused)."""
    for n, item in enumerate(items, 1):
        if n % _COLLECT_EVERY == 0:
            gc.collect()
        yield item


def _read_and_prepare(
    paths: Sequence[str | os.PathLike[str]], bounds: _Bounds, skip_invalid: bool, rejects: str | os.PathLike[str] | None
) -> Iterator[_Prepared | tuple[ReadReport, int]]:
    """What a reader process does: read the files and prepare every chunk; last, the read
    report and the number of records read."""
    report = ReadReport()
    counters = {"read": 0}
    chunks = stream_events(paths, chunk_size=bounds.chunk_size, skip_invalid=skip_invalid, rejects_path=rejects, report=report)
    with _collector_paused():
        yield from _collecting(_prepare(chunks, bounds, counters))
    yield report, counters["read"]


# Below this much input a second process costs more to start and feed than it saves.
PARALLEL_MIN_BYTES = 32 * 1024 * 1024


def choose_workers(paths: Sequence[str | os.PathLike[str]], requested: int | None) -> int:
    """``requested`` if given; else 2 when the input is big enough to pay for it and there are
    two cores, else 1."""
    if requested is not None:
        return max(1, requested)
    if (os.cpu_count() or 1) < 2:
        return 1
    size = 0
    for path in paths:
        try:
            size += os.path.getsize(path)
        except OSError:
            continue  # reading will report it
    return 2 if size >= PARALLEL_MIN_BYTES else 1


def backtest_files(
    paths: Sequence[str | os.PathLike[str]] | None,
    *,
    rules: Sequence[str | os.PathLike[str]] | None = None,
    first: Window,
    last: Window,
    stakeholders: Iterable[str] | None = None,
    engine: str = "durable",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    reorder_days: int = DEFAULT_REORDER_DAYS,
    workers: int | None = None,
    skip_invalid: bool = False,
    rejects: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    report: ReadReport | None = None,
) -> BacktestResult:
    """``run_backtest`` over event files (default: the bundled sample) and rule files (default:
    the bundled packs), reading the files as a stream."""
    from riskengine import api  # the API module loads the whole pipeline; keep imports light

    pack = api.load_rules(rules)
    compiled = api.compile_pack(pack)
    chosen = [Path(p) for p in paths] if paths else [api.sample_events_path()]
    if choose_workers(chosen, workers) < 2:
        chunks = stream_events(chosen, chunk_size=chunk_size, skip_invalid=skip_invalid, rejects_path=rejects, report=report)
        return run_backtest(
            chunks,
            pack,
            compiled,
            first=first,
            last=last,
            stakeholders=stakeholders,
            engine=engine,
            chunk_size=chunk_size,
            reorder_days=reorder_days,
            progress=progress,
        )
    # Two processes: this one matches and scores while a reader process reads, validates,
    # orders and projects the next chunk (see "When two processes pay" in docs/BENCHMARKS.md).
    from riskengine.scoring.parallel import produced_elsewhere

    bounds = _bounds(pack, compiled, first, last, chunk_size, reorder_days)
    counters = {"read": 0}

    def prepared() -> Iterator[_Prepared]:
        for item in produced_elsewhere(_read_and_prepare, (chosen, bounds, skip_invalid, rejects)):
            if isinstance(item, _Prepared):
                yield item
                continue
            their_report, counters["read"] = item
            if report is not None:
                for name in ReadReport.__dataclass_fields__:
                    setattr(report, name, getattr(their_report, name))

    with _collector_paused():
        result = _score_all(prepared(), counters, pack, compiled, bounds, first, last, stakeholders, engine, 1, progress, None)
    return dataclasses.replace(result, stats={**result.stats, "processes": 2})


def _series(pack: RulePack, stakeholder: str, totals: _Totals, first: Window, last: Window) -> StakeholderSeries:
    profile: Profile = pack.profiles.get(stakeholder) or default_profile(stakeholder)
    weights = profile.dimension_weights
    weeks: list[WeekPoint] = []
    window = first
    while window.start <= last.start:
        week = window.start.toordinal()
        points = {d: totals.points.get((week, stakeholder, d), 0) / _SCALE for d in weights}
        score = overall_score(points, weights, profile.saturation)
        weeks.append(
            WeekPoint(
                week=window.label,
                start=window.start,
                events=totals.events.get(week, 0),
                firings=totals.firings.get((week, stakeholder), 0),
                score=score,
                score_class=classify(score, profile.thresholds),
                dimensions=tuple(
                    DimensionPoint(d, weights[d], round(points[d], 4), saturate(points[d], profile.saturation))
                    for d in sorted(d for d, w in weights.items() if w > 0)  # as score lists them
                ),
            )
        )
        window = week_of(window.start + dt.timedelta(days=7))
    return StakeholderSeries(
        stakeholder=stakeholder,
        title=profile.title,
        saturation=profile.saturation,
        thresholds=tuple(profile.thresholds),
        weeks=tuple(weeks),
    )


# ---------------------------------------------------------------------------------------------
# Output


CSV_HEADER = ("week", "week_start", "stakeholder", "dimension", "weight", "weighted_points", "score", "score_class", "events", "firings")


def to_csv_rows(result: BacktestResult) -> Iterator[tuple[Any, ...]]:
    """One row per week, stakeholder and dimension, then the week's ``overall`` row (the
    profile-weighted mean of the dimension scores; its points are left empty, as points of
    different dimensions do not add up)."""
    yield CSV_HEADER
    for series in result.series:
        for point in series.weeks:
            for d in point.dimensions:
                yield (
                    point.week, point.start.isoformat(), series.stakeholder, d.dimension, d.weight,
                    f"{d.weighted_points:.4f}", f"{d.score:.2f}", classify(d.score, series.thresholds),
                    point.events, point.firings,
                )  # fmt: skip
            yield (
                point.week, point.start.isoformat(), series.stakeholder, "overall", "",
                "", f"{point.score:.2f}", point.score_class, point.events, point.firings,
            )  # fmt: skip


def to_json_data(result: BacktestResult) -> dict[str, Any]:
    return {
        "schema_version": "1.0",
        "from": result.first_week,
        "to": result.last_week,
        "scale": {"minimum": 0.0, "maximum": 10.0, "direction": "higher is riskier", "classes": list(CLASSES)},
        "rule_pack": {"version": result.rule_pack_version, "rules": result.rules},
        "events_read": result.events_read,
        "events_scored": result.events_scored,
        "firings": result.firings,
        "stakeholders": [
            {
                "stakeholder": s.stakeholder,
                "title": s.title,
                "saturation": s.saturation,
                "thresholds": list(s.thresholds),
                "weeks": [
                    {
                        "week": p.week,
                        "start": p.start.isoformat(),
                        "events": p.events,
                        "firings": p.firings,
                        "score": p.score,
                        "score_class": p.score_class,
                        "dimensions": {
                            d.dimension: {"weight": d.weight, "weighted_points": d.weighted_points, "score": d.score}
                            for d in p.dimensions
                        },
                    }
                    for p in s.weeks
                ],
            }
            for s in result.series
        ],
    }


__all__ = [
    "CSV_HEADER",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_REORDER_DAYS",
    "BacktestProgress",
    "BacktestResult",
    "DimensionPoint",
    "StakeholderSeries",
    "WeekPoint",
    "backtest_files",
    "choose_workers",
    "run_backtest",
    "to_csv_rows",
    "to_json_data",
]
