"""Reading for the scorer: events in date order, each reduced to its fact (what the matcher
reads) and its record (what scoring a firing reads), in bounded memory.

Input is expected roughly in date order, as a feed is written: events are reordered within
``reorder_days``, and an event older than that behind the newest one seen cannot be placed any
more (E410). For files that are not in order at all (an export written newest first), callers
read again through ``external_sort``: sorted runs spilled to temporary files and merged, so
memory stays a run's worth of events whatever the file's size.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import heapq
import itertools
import math
import operator
import os
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, cast

from riskengine.core.errors import InputError, Issue
from riskengine.core.events import Event
from riskengine.ingest.event_files import ReadReport, stream_events, stream_light_events
from riskengine.ingest.fast_events import FastEvent
from riskengine.rules.ir import CompiledRuleSet
from riskengine.scoring.facts import projector, row_projector, rows_projector
from riskengine.scoring.scorer import _RecordTuple, source_weights

DEFAULT_CHUNK_SIZE = 5_000
DEFAULT_REORDER_DAYS = 14
# Events held in memory per sorted run of ``external_sort``: at roughly 2 kB an event, 50 MB.
SORT_RUN_SIZE = 25_000

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
        self._days: dict[int, list[Event | FastEvent]] = {}
        self._newest: float = -math.inf
        self._released: float = -math.inf  # the latest date handed on
        # the latest date of the events outside first_day..last_day: with _newest, where the
        # events read end (a report says when that is inside its window), found on the one pass
        self._outside: float = -math.inf

    def extend(self, events: Iterable[Event | FastEvent]) -> None:
        days, released, newest = self._days, self._released, self._newest
        first_day, last_day, outside = self.first_day, self.last_day, self._outside
        try:
            for event in events:
                day = event.event_date.toordinal()
                if day < first_day or day > last_day:
                    if day > outside:
                        outside = day
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
            self._newest, self._outside = newest, outside

    @property
    def latest(self) -> int | None:
        """The ordinal of the latest event date seen, in the range or not; None before any."""
        latest = max(self._newest, self._outside)
        return None if latest == -math.inf else int(latest)

    def _too_late(self, event: Event | FastEvent, day: int, newest: float) -> None:
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

    def ready(self, final: bool = False) -> list[tuple[int, list[Event | FastEvent]]]:
        limit = math.inf if final else self._newest - self.slack
        due = sorted(day for day in self._days if day < limit)
        if due:
            self._released = float(due[-1])  # a float, as it starts at -inf (mypyc keeps floats unboxed: an int is refused)
        return [(day, self._days.pop(day)) for day in due]


_DayGroups = list[tuple[int, list[Event | FastEvent]]]


def ordered_chunks(
    chunks: Iterable[Sequence[Event | FastEvent]],
    first_day: dt.date,
    last_day: dt.date,
    chunk_size: int,
    slack_days: int,
    counters: dict[str, int],
) -> Iterator[_DayGroups]:
    """Events from ``first_day`` to ``last_day`` in date order (see _Reorder), in chunks of
    ``chunk_size`` events given as day groups (a day may be cut between two chunks). Once
    every chunk is read, ``counters["latest"]`` is the ordinal of the latest event date read
    (of all events, not only those in the range), when there was one."""
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
    latest = reorder.latest
    if latest is not None:
        counters["latest"] = latest
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




_ordered_chunks = ordered_chunks  # the name tests/test_backtest.py knows


def external_sort(chunks: Iterable[Sequence[Event]], chunk_size: int, run_size: int = SORT_RUN_SIZE) -> Iterator[list[Event]]:
    """The events of ``chunks`` in date order (input order within a day), in lists of at most
    ``chunk_size``: runs of ``run_size`` events are sorted and pickled to temporary files, then
    merged. Memory holds one run while writing and one batch per run while merging."""
    with tempfile.TemporaryDirectory(prefix="riskengine-sort-") as folder:
        runs: list[str] = []
        buffer: list[tuple[int, int, Event]] = []
        seq = 0
        for chunk in chunks:
            for event in chunk:
                buffer.append((event.event_date.toordinal(), seq, event))
                seq += 1
            if len(buffer) >= run_size:
                runs.append(_spill(buffer, folder, len(runs)))
                buffer = []
        if not runs:  # everything fitted in one run: no file needed
            buffer.sort(key=_sort_key)
            yield from _batches((event for _, _, event in buffer), chunk_size)
            return
        if buffer:
            runs.append(_spill(buffer, folder, len(runs)))
        del buffer
        with contextlib.ExitStack() as stack:
            files = [stack.enter_context(open(path, "rb")) for path in runs]  # closed by the stack
            merged = heapq.merge(*(_read_run(f) for f in files), key=_sort_key)
            yield from _batches((event for _, _, event in merged), chunk_size)


# Events are pickled in batches of this many: one pickle call per event cost more than sorting.
_SPILL_BATCH = 1_000


def _sort_key(item: tuple[int, int, Event]) -> tuple[int, int]:
    return item[0], item[1]


def _spill(buffer: list[tuple[int, int, Event]], folder: str, n: int) -> str:
    buffer.sort(key=_sort_key)
    path = os.path.join(folder, f"run-{n:05d}.pickle")
    with open(path, "wb") as out:
        for start in range(0, len(buffer), _SPILL_BATCH):
            pickle.dump(buffer[start : start + _SPILL_BATCH], out, pickle.HIGHEST_PROTOCOL)
    return path


def _read_run(file: IO[bytes]) -> Iterator[tuple[int, int, Event]]:
    while True:
        try:
            batch = pickle.load(file)  # a file this process wrote a moment ago
        except EOFError:
            return
        yield from batch


def _batches(events: Iterable[Event], size: int) -> Iterator[list[Event]]:
    batch: list[Event] = []
    for event in events:
        batch.append(event)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def is_out_of_order(error: InputError) -> bool:
    """Whether ``error`` is the reader's E410: the input is not in date order (sort it, retry)."""
    return any(issue.code == "E410" for issue in error.issues)


# ---------------------------------------------------------------------------------------------
# Facts and records


@dataclass(frozen=True)
class Bounds:
    """What reading needs to know before it starts (picklable: a reader process gets it)."""

    first_day: dt.date  # earliest event read: the first period less the longest pattern window
    last_day: dt.date
    first_period: int  # ordinal of the first period's first day
    period_days: int  # periods are runs of this many days from first_period (7: ISO weeks)
    reach_back: int | None  # longest pattern window; None when some pattern has no window
    chunk_size: int
    reorder_days: int
    fields: tuple[str, ...]  # what the matcher reads
    per_fields: tuple[str, ...]  # what scaled points read
    keep_from: int | None = None  # events from this day (ordinal) on are handed on whole
    # before keep_from, events that meet a leg condition of a pattern rule reaching back to
    # that day: (first day, the rule's leg conditions) per pattern rule
    keep_legs: tuple[tuple[int, tuple[Any, ...]], ...] = ()
    watch_after: dt.date | None = None  # hand on whole the events a brief's watchlist reads


def make_bounds(
    compiled: CompiledRuleSet,
    per_fields: tuple[str, ...],
    *,
    first_period: dt.date,
    last_day: dt.date,
    period_days: int,
    chunk_size: int,
    reorder_days: int,
    keep_from: dt.date | None = None,
    watch_after: dt.date | None = None,
) -> Bounds:
    if chunk_size < 1 or reorder_days < 0:
        raise ValueError("chunk_size must be at least 1 and reorder_days at least 0")
    unbounded = any(r.window_days is None for r in compiled.pattern_rules)
    reach_back = max((r.window_days or 0 for r in compiled.pattern_rules), default=0)
    first_day = dt.date.min if unbounded else max(dt.date.min, first_period - dt.timedelta(days=reach_back))
    keep = None
    legs: list[tuple[int, tuple[Any, ...]]] = []
    if keep_from is not None:
        # A firing completing on keep_from or later has every leg at most its rule's window
        # before (one day more: a chunk may end in the middle of a day). Most of a long window
        # (a year, for a repeat strike) is events no long rule can use: only those meeting one of
        # its leg conditions are kept whole.
        keep = max(1, keep_from.toordinal() - 1)
        for rule in compiled.pattern_rules:
            since = first_day.toordinal() if rule.window_days is None else max(1, keep - rule.window_days)
            legs.append((since, tuple(p.condition for p in rule.patterns)))
    return Bounds(
        first_day=first_day,
        last_day=last_day,
        first_period=first_period.toordinal(),
        period_days=period_days,
        reach_back=None if unbounded else reach_back,
        chunk_size=chunk_size,
        reorder_days=reorder_days,
        fields=compiled.fields,
        per_fields=per_fields,
        keep_from=keep,
        keep_legs=tuple(sorted(legs, key=lambda leg: leg[0])),
        watch_after=watch_after,
    )


@dataclass
class Prepared:
    """One chunk, read, ordered and checked, as the matcher and the scorer take it."""

    rows: list[tuple[Any, ...]]  # the facts, as rows in the order of row_projector(fields)
    records: list[_RecordTuple]
    periods: dict[int, int]  # events per period (its first day's ordinal), from the first period on
    read: int  # input records read so far
    last_day: dt.date
    kept: list[Event]  # whole events from Bounds.keep_from on
    packed: list[tuple[str, bytes]]  # earlier events that may be legs, as JSON (see _leg_tests)
    watched: list[tuple[str | None, int, Event | bytes]]  # what a brief's watchlist reads (see _watching)


def watched_event(event: Event, after: dt.date) -> bool:
    """An event the brief's watchlist may name: talks scheduled after the window, or a strike
    on a named target (repeat targets are counted over all history)."""
    return event.target_name is not None or (
        event.diplomatic_kind == "talks" and event.scheduled_date is not None and event.scheduled_date > after
    )


def rows_suffice(bounds: Bounds, sort: bool = False) -> bool:
    """Whether ``prepare`` needs of each event only its row and record, so that it may be given
    FastEvents (``stream_light_events``): not when it hands on whole events (a brief's history
    and watchlist) nor when they are sorted first (``external_sort`` pickles Events)."""
    return not sort and bounds.keep_from is None and bounds.watch_after is None


def read_chunks(
    paths: Sequence[str | os.PathLike[str]],
    bounds: Bounds,
    *,
    skip_invalid: bool,
    rejects: str | os.PathLike[str] | None,
    report: ReadReport,
    sort: bool = False,
) -> Iterable[Sequence[Event | FastEvent]]:
    """The files' events as ``prepare`` takes them: FastEvents where it may (``rows_suffice``)."""
    if rows_suffice(bounds, sort):
        return stream_light_events(paths, chunk_size=bounds.chunk_size, skip_invalid=skip_invalid, rejects_path=rejects, report=report)
    chunks: Iterable[Sequence[Event]] = stream_events(
        paths, chunk_size=bounds.chunk_size, skip_invalid=skip_invalid, rejects_path=rejects, report=report
    )
    return external_sort(chunks, bounds.chunk_size) if sort else chunks


def scaled_values(names: Sequence[str], per_fields: tuple[str, ...]) -> Callable[[tuple[Any, ...], Event | FastEvent], tuple[Any, ...]]:
    """What a record keeps of an event for scaled points: the value of each of ``per_fields``,
    None where the fact leaves it out, from the event's row (of ``names``) and the event."""
    copied = _copied_values(names, per_fields)
    if copied is not None:
        return lambda row, event: copied(row)
    # else a row of their own, in their order: a row holds what the fact holds, None for the rest
    own_names, own_row = row_projector(per_fields)
    order = [own_names.index(name) for name in per_fields]

    def values(row: tuple[Any, ...], event: Event | FastEvent) -> tuple[Any, ...]:
        own = own_row(event)
        return tuple(own[n] for n in order)

    return values


def _copied_values(names: Sequence[str], per_fields: tuple[str, ...]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]] | None:
    """The values of ``per_fields`` read from a row of ``names`` in one call, where a row holds
    them all and they are two or more (itemgetter of one position gives no tuple)."""
    if len(per_fields) >= 2 and set(per_fields) <= set(names):
        return operator.itemgetter(*(names.index(name) for name in per_fields))
    return None


def scaled_columns(
    names: Sequence[str], per_fields: tuple[str, ...]
) -> Callable[[list[tuple[Any, ...]], Sequence[Event | FastEvent]], Iterable[tuple[Any, ...]]]:
    """``scaled_values`` of a batch: its events' rows and the events, in the same order."""
    copied = _copied_values(names, per_fields)
    if copied is not None:
        return lambda rows, events: map(copied, rows)
    values = scaled_values(names, per_fields)
    return lambda rows, events: map(values, rows, events)


_EVENT_ID = operator.attrgetter("event_id")


def prepare(chunks: Iterable[Sequence[Event | FastEvent]], bounds: Bounds, counters: dict[str, int]) -> Iterator[Prepared]:
    """Events in date order, each reduced to its fact and its record (``Scorer.add`` checks
    for repeats). FastEvents only where ``rows_suffice(bounds)``: the rest hands on whole Events."""
    names, _ = row_projector(bounds.fields)
    rows_of = rows_projector(bounds.fields)
    values_of = scaled_columns(names, bounds.per_fields)
    repeat = itertools.repeat

    first_period, length = bounds.first_period, bounds.period_days
    keep_from = math.inf if bounds.keep_from is None else bounds.keep_from
    watched: list[tuple[str | None, int, Event | bytes]] = []
    if bounds.watch_after is not None:
        chunks = _watching(cast(Iterable[Sequence[Event]], chunks), bounds.watch_after, watched)
    last_day = bounds.first_day
    may_be_leg = _leg_tests(bounds)
    for groups in ordered_chunks(chunks, bounds.first_day, bounds.last_day, bounds.chunk_size, bounds.reorder_days, counters):
        rows: list[tuple[Any, ...]] = []
        records: list[_RecordTuple] = []
        kept: list[Event] = []
        packed: list[tuple[str, bytes]] = []
        periods: dict[int, int] = defaultdict(int)
        for day, events in groups:
            period = day - (day - first_period) % length
            if period >= first_period:
                periods[period] += len(events)
            if day >= keep_from:
                kept.extend(cast(list[Event], events))  # not light: whole Events
            elif may_be_leg is not None:
                # a year of them, whole, would be the bulk of memory; as JSON, a fifth of it
                packed.extend((event.event_id, event.model_dump_json().encode()) for event in cast(list[Event], events) if may_be_leg(day, event))
            # a day's rows and records a field at a time (see facts.rows_projector). The record:
            # what scoring a firing reads of an event (see scorer._RecordTuple); a FastEvent has
            # the attributes the source weight reads
            day_rows = rows_of(events, day)
            rows += day_rows
            weights = source_weights(cast(list[Event], events))
            records += zip(map(_EVENT_ID, events), repeat(day), repeat(period), weights, values_of(day_rows, events), strict=False)  # repeat() is endless
        last_day = dt.date.fromordinal(groups[-1][0])
        yield Prepared(rows, records, periods, counters["read"], last_day, kept, packed, watched[:])
        watched.clear()
    if watched:  # watched events after the last one matched
        yield Prepared([], [], {}, counters["read"], last_day, [], [], watched[:])


def _leg_tests(bounds: Bounds) -> Callable[[int, Event], bool] | None:
    """Whether an event of a day before ``keep_from`` may be a leg of a firing completing on
    ``keep_from`` or later: some pattern rule reaching back to that day has a leg it meets."""
    if not bounds.keep_legs:
        return None
    from riskengine.engine.reference import compile_condition

    tests = [(since, tuple(compile_condition(c) for c in conditions)) for since, conditions in bounds.keep_legs]
    earliest = tests[0][0]
    fact_of = projector(bounds.fields)

    def may_be_leg(day: int, event: Event) -> bool:
        if day < earliest:
            return False
        fact = fact_of(event)
        return any(test(fact) for since, conditions in tests if day >= since for test in conditions)

    return may_be_leg


def _watching(chunks: Iterable[Sequence[Event]], after: dt.date, watched: list[tuple[str | None, int, Event | bytes]]) -> Iterator[Sequence[Event]]:
    """The chunks, with the events a brief's watchlist reads added to ``watched`` on the way,
    from all history up to ``after`` (the window's end), not only what the matcher needs.

    Talks come whole (few). A strike on a named target counts only if its target is hit again
    in the window, known at the end: until then it waits as (target, day, JSON), a fifth of
    the memory of the event (``pipeline`` keeps those of the targets hit in the window)."""
    for chunk in chunks:
        for event in chunk:
            if event.event_date <= after and watched_event(event, after):
                if event.target_name is None:
                    watched.append((None, event.event_date.toordinal(), event))
                else:
                    watched.append((event.target_name.casefold(), event.event_date.toordinal(), event.model_dump_json().encode()))
        yield chunk


# Collect every so many chunks while the collector is paused (see collector_paused).
_COLLECT_EVERY = 100


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
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


def collecting(items: Iterable[Prepared]) -> Iterator[Prepared]:
    """The items, with a full collection every ``_COLLECT_EVERY`` of them (the collector is paused)."""
    for n, item in enumerate(items, 1):
        if n % _COLLECT_EVERY == 0:
            gc.collect()
        yield item



def read_and_prepare(
    paths: Sequence[str | os.PathLike[str]], bounds: Bounds, skip_invalid: bool, rejects: str | os.PathLike[str] | None, sort: bool = False
) -> Iterator[Prepared | tuple[ReadReport, dict[str, int]]]:
    """Read the files and prepare every chunk (what a reader process does); last, the read
    report and the counters (records read, and the ordinal of the latest event date read). ``sort``: the files are not in date order, sort
    them first (``external_sort``)."""
    report = ReadReport()
    counters = {"read": 0}
    chunks = read_chunks(paths, bounds, skip_invalid=skip_invalid, rejects=rejects, report=report, sort=sort)
    with collector_paused():
        yield from collecting(prepare(chunks, bounds, counters))
    yield report, counters


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

