"""A backtest cut into time partitions that can run anywhere, with the same totals as one run.

The work is two kinds of task (``riskengine.scoring.distributed`` runs them on Dask; the
functions here run them in this process too, which is how the tests check the cut):

* ``read_block``: one block of the input (a byte range of a JSON Lines file, whole lines; a
  whole file of another format; events in memory) is read, validated and projected where it
  lies, once. Each event goes, as a fact row and a scoring record, to the partition that owns
  its day, and also, as "carry-in", to every later partition a pattern rule could reach back
  into from there: only if it meets a leg condition of such a rule, and only within that rule's
  window.
* ``score_partition``: a partition matches its carry-in and then its own events in date
  order, and scores the firings its own events complete. A firing is counted in the partition
  that owns its completing event (the latest leg), which is the week ``Scorer`` files it under
  anyway, so partitions start on a week's first day and each week is scored in one partition.

Why this is exact: a firing completing on day D has every leg within its rule's window
(``CompiledRule.window_days``) before D, so every leg reaches the partition owning D, either as
its own event or as carry-in; a firing with no leg there cannot complete there. The totals are
integers (``Scorer``), so adding up the partitions' totals gives one run's totals whatever the
cut. A rule whose joins do not bound its window puts the whole backtest in one partition (the
reading is still spread). The history-context fields (``ingest.history``) reach back up to 365
days too, but they are worked out when events are imported, travel on the event, and need
nothing from other partitions here.

Where blocks hold which days is planned from the first line of each block, assuming the input
is in date order within ``--reorder-days`` (as one process assumes, see ``reader``): a block
then holds days from its first line's day less the slack to the next block's first day plus the
slack. Every block checks this as it reads; if an event lies outside its block's planned range
the plan is made again from the days the blocks really hold (``replan``), and read again.
Input the fast readers refuse (an invalid record, an unreadable file) makes the caller run the
backtest in one process, where the messages, the rejects file and the read report come from.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import json
import math
import operator
import os
import pickle
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError

from riskengine.core.errors import EngineError, EventError
from riskengine.core.events import Event
from riskengine.ingest.event_files import JSONL_SUFFIXES, ReadReport, stream_light_events
from riskengine.ingest.fast_events import FastEvent, share_names
from riskengine.rules.ir import DATE_FIELD, And, CompiledRuleSet, Cond, Or, Test
from riskengine.rules.loader import RulePack
from riskengine.scoring.facts import row_projector, rows_projector, share_identical_rules
from riskengine.scoring.reader import Bounds, collector_paused, scaled_columns
from riskengine.scoring.scorer import Totals, _RecordTuple, source_weights
from riskengine.scoring.stream import scorer_for

# About 35,000 generated events: big enough that a task's start costs little, small enough that
# a worker holds a few blocks' facts at once. Measured on 1M events with two local workers
# (benchmarks/dask_backtest.py --block-mb, side by side): 64 MB blocks peaked at 262-287 MB a
# worker, 617-656 MB with the caller, over issue 17's 500 MB; 24 MB at 187-191 MB a worker,
# about 465 MB in all, for a few per cent more CPU (more partitions, more carry-in). 20 MB since
# session 18: with both workers busy at once (``distributed._Run._live``), a worker holds about
# one more block's pieces, and 24 MB blocks peaked at 215-218 MB a worker (520 MB in all); 20 MB
# at 179-199 MB (466 MB in all).
DEFAULT_BLOCK_BYTES = 20 << 20

# ---------------------------------------------------------------------------------------------
# Blocks


@dataclass(frozen=True)
class Block:
    """A piece of the input one task reads: the lines of a JSON Lines file that start in
    ``[start, end)``; a whole file of another format (``end`` None); or events in memory
    (``path`` None)."""

    index: int
    path: str | None
    start: int = 0
    end: int | None = None
    events: tuple[Event, ...] = ()


def split_input(paths: Sequence[str | os.PathLike[str]], block_bytes: int = DEFAULT_BLOCK_BYTES) -> list[Block]:
    """The files as blocks, in input order: JSON Lines files cut every ``block_bytes``, other
    files (and files that cannot be sized: reading says why) whole."""
    if block_bytes < 1:
        raise ValueError("block_bytes must be at least 1")
    blocks: list[Block] = []
    for entry in paths:
        # absolute: a worker of a cluster does not run in the caller's folder
        path = os.path.abspath(os.fspath(entry))
        try:
            size = os.path.getsize(path) if Path(path).suffix.lower() in JSONL_SUFFIXES and os.path.isfile(path) else None
        except OSError:
            size = None
        if size is None:
            blocks.append(Block(len(blocks), path))
            continue
        for start in range(0, max(size, 1), block_bytes):
            blocks.append(Block(len(blocks), path, start, min(start + block_bytes, size)))
    return blocks


def blocks_of_chunks(chunks: Iterable[Sequence[Event]], events_per_block: int = 100_000) -> list[Block]:
    """Events in memory as blocks (``run_backtest``'s chunks), in input order."""
    blocks: list[Block] = []
    pending: list[Event] = []
    for chunk in chunks:
        pending.extend(chunk)
        while len(pending) >= events_per_block:
            blocks.append(Block(len(blocks), None, events=tuple(pending[:events_per_block])))
            del pending[:events_per_block]
    if pending or not blocks:
        blocks.append(Block(len(blocks), None, events=tuple(pending)))
    return blocks


def _first_lines(block: Block, limit: int) -> Iterator[bytes]:
    """Up to ``limit`` lines of a JSON Lines block, from its first line on."""
    assert block.path is not None and block.end is not None
    with open(block.path, "rb") as handle:
        position = _line_start(handle, block.start)
        for _ in range(limit):
            if position >= block.end:
                return
            raw = handle.readline(_MAX_LINE_BYTES + 1)
            if not raw:
                return
            position += len(raw)
            yield raw


def _line_start(handle: Any, start: int) -> int:
    """Seek ``handle`` to the first line that starts at ``start`` or later; its offset."""
    if start == 0:
        handle.seek(0)
        return 0
    handle.seek(start - 1)
    if handle.read(1) != b"\n":  # ``start`` is inside a line the block before reads
        handle.readline(_MAX_LINE_BYTES + 1)
    return int(handle.tell())


def first_day_of(block: Block) -> int | None:
    """The day (ordinal) of the block's first event, read from its first lines without
    validating them (it only plans where the work goes: ``read_block`` checks it); None when
    the block has no readable first event."""
    if block.path is None:
        return block.events[0].event_date.toordinal() if block.events else None
    if block.end is None:
        return None
    try:
        for raw in _first_lines(block, 20):
            try:
                value = json.loads(raw).get("event_date")
                return dt.date.fromisoformat(value).toordinal() if isinstance(value, str) else None
            except (ValueError, AttributeError):
                continue
    except OSError:
        return None
    return None


# ---------------------------------------------------------------------------------------------
# The plan


@dataclass(frozen=True)
class Plan:
    """Which partition owns which days, and which blocks may send events to which partition.

    Partition ``p`` owns the days ``[edges[p], edges[p + 1])`` (the last one up to the
    backtest's last day); ``edges[0]`` is the first day read (the first week less the longest
    pattern window), and every later edge is the first day of a week of the backtest. Block
    ``b`` is assumed to hold events of the days ``ranges[b]`` only (checked as it is read)."""

    edges: tuple[int, ...]
    last_day: int
    first_period: int
    reach: int
    ranges: tuple[tuple[float, float], ...]
    feeds: tuple[tuple[int, ...], ...]

    @property
    def partitions(self) -> int:
        return len(self.edges)

    def owner(self, day: int) -> int:
        return bisect.bisect_right(self.edges, day) - 1

    def scored_from(self, partition: int) -> int:
        """The first period a partition scores: its first day, or for the first partition the
        backtest's first week (the days before it are history the pattern windows need)."""
        return self.first_period if partition == 0 else self.edges[partition]

    def sources(self, partition: int) -> tuple[int, ...]:
        return tuple(b for b, feeds in enumerate(self.feeds) if partition in feeds)

    def needs(self, partition: int) -> tuple[int, int]:
        """The days a partition may read: its own, and the carry-in before them."""
        lo = self.edges[0] if partition == 0 else self.edges[partition] - self.reach
        hi = self.edges[partition + 1] - 1 if partition + 1 < len(self.edges) else self.last_day
        return lo, hi


def make_plan(
    bounds: Bounds,
    ranges: Sequence[tuple[float, float]],
    *,
    starts: Sequence[int | None] = (),
    partitions: int | None = None,
    edges: Sequence[int] | None = None,
) -> Plan:
    """A plan over blocks assumed to hold the days ``ranges`` (one pair per block).

    Edges are ``edges`` when given (tests cut at chosen weeks), else the weeks in which blocks
    after the first start (``starts``, one day per block), thinned to ``partitions`` partitions
    (default: one per block). A pattern rule without a window keeps everything in one partition."""
    first_day, last_day = bounds.first_day.toordinal(), bounds.last_day.toordinal()
    first_period, period = bounds.first_period, bounds.period_days
    if bounds.reach_back is None:
        cuts: list[int] = []
    elif edges is not None:
        cuts = sorted({e for e in edges if first_period < e <= last_day and (e - first_period) % period == 0})
    else:
        # where each block but the first begins: a partition per block, each reading its own
        weeks = sorted({d - (d - first_period) % period for d in starts[1:] if d is not None})
        cuts = [w for w in weeks if first_period < w <= last_day]
        wanted = max(1, partitions if partitions is not None else len(ranges)) - 1
        if len(cuts) > wanted:
            cuts = [cuts[round((i + 1) * len(cuts) / (wanted + 1)) - 1] for i in range(wanted)] if wanted else []
            cuts = sorted(set(cuts))
    reach = bounds.reach_back or 0
    all_edges = (first_day, *cuts)
    plan = Plan(all_edges, last_day, first_period, reach, tuple(ranges), ())
    feeds = []
    for lo, hi in ranges:
        lo, hi = max(lo, first_day), min(hi, last_day)
        feeds.append(tuple(p for p in range(plan.partitions) if lo <= hi and _overlap((lo, hi), plan.needs(p))))
    return dataclasses.replace(plan, feeds=tuple(feeds))


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def assumed_ranges(starts: Sequence[int | None], slack_days: int) -> list[tuple[float, float]]:
    """The days each block holds if the input is in date order within ``slack_days``: from its
    first event's day less the slack to the next block's first day plus the slack (an event
    may be that late behind any event before it). Unknown starts leave the range open."""
    out: list[tuple[float, float]] = []
    for b, start in enumerate(starts):
        following = starts[b + 1] if b + 1 < len(starts) else None
        lo = -math.inf if start is None else start - slack_days
        hi = math.inf if following is None else following + slack_days
        out.append((lo, hi))
    return out


def replan(plan: Plan, bounds: Bounds, infos: Sequence[BlockInfo], partitions: int | None = None) -> Plan:
    """A plan from the days the blocks were found to hold (``BlockInfo``), for input not in
    date order within the slack: exact, whatever the order."""
    ranges = [(info.first, info.last) if info.first is not None and info.last is not None else (math.inf, -math.inf) for info in infos]
    starts = [info.first for info in infos]
    return make_plan(bounds, ranges, starts=starts, partitions=partitions if partitions is not None else plan.partitions)


# ---------------------------------------------------------------------------------------------
# What travels: the static job, a block's pieces, a partition's totals


@dataclass(frozen=True)
class Job:
    """What every task needs besides its block or pieces: sent once to each worker."""

    pack: RulePack
    compiled: CompiledRuleSet
    bounds: Bounds
    stakeholders: tuple[str, ...]
    engine: str = "durable"


@dataclass
class Piece:
    """The events of one block for one partition, in date order: runs of (day, count), a fact
    row and a scoring record per event."""

    days: list[tuple[int, int]] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    records: list[_RecordTuple] = field(default_factory=list)


class Packed:
    """A piece as it waits for its partition: as the objects read where the block was read,
    pickled only when it leaves that process (Dask moving it to another worker pickles it
    with this class's ``__reduce__``; it arrives as bytes).

    Most pieces are scored where they were read (``distributed`` places a partition where most
    of its events are): pickling every piece there and unpickling it again cost about a tenth
    of the tasks' CPU (0.65 of 7.3 CPU-s on 200,000 events) for nothing. As bytes a piece takes
    about 130 bytes an event where the objects take 700; bytes are unpickled with the cyclic
    collector paused, which made it four times cheaper for a hundred thousand tuples."""

    __slots__ = ("_data", "_piece", "events")

    def __init__(self, events: int = 0, data: bytes = b"", piece: Piece | None = None) -> None:
        self.events = events
        self._data = data
        self._piece = piece

    @classmethod
    def of(cls, piece: Piece) -> Packed:
        return cls(len(piece.rows), piece=piece)

    @property
    def held(self) -> bool:
        """Whether the piece is held as objects (not yet pickled)."""
        return self._piece is not None

    @property
    def data(self) -> bytes:
        """The piece pickled (its days, rows and records)."""
        if self._piece is None:
            return self._data
        piece = self._piece
        return pickle.dumps((piece.days, piece.rows, piece.records), pickle.HIGHEST_PROTOCOL)

    def unpack(self) -> Piece:
        if self._piece is not None:
            return self._piece
        if not self._data:
            return Piece()
        with collector_paused():
            days, rows, records = pickle.loads(self._data)  # bytes this backtest's own reader pickled
        return Piece(days, rows, records)

    def __reduce__(self) -> tuple[Callable[[int, bytes], Packed], tuple[int, bytes]]:
        return Packed, (self.events, self.data)


@dataclass(frozen=True)
class BlockInfo:
    """What reading a block found, besides its pieces."""

    index: int
    records: int = 0  # records read (lines that are not blank)
    accepted: int = 0  # valid events among them
    first: int | None = None  # the earliest and latest day of its events in the backtest's range
    last: int | None = None
    outside: int = 0  # events outside the planned range of the block: the plan must be made again
    invalid: bool = False  # a record or the file is not valid: the caller reads in one process
    cpu: float = 0.0  # CPU seconds the task took (for benchmarks)


@dataclass
class BlockOut:
    info: BlockInfo
    pieces: dict[int, Packed]


@dataclass
class PartResult:
    """A partition's totals (integers: ``Scorer``), and what it did."""

    partition: int
    points: dict[tuple[int, str, str], int]
    relief: dict[tuple[int, str, str], int]
    firings: dict[tuple[int, str], int]
    events: dict[int, int]
    fired: int
    matched: int
    carried: int
    retained: int
    cpu: float = 0.0  # CPU seconds the task took (for benchmarks)


class NeedsOneProcess(Exception):
    """The input has something only the one-process reader reports exactly (an invalid record,
    an unreadable file): run the backtest there."""


# ---------------------------------------------------------------------------------------------
# Reading a block


def _jsonl_events(block: Block) -> Iterator[Event | FastEvent | None]:
    """The events of a JSON Lines block; None for a record that is not a valid event.

    The lines ``stream_light_events`` reads, read by its own batch reader (``decode_lines`` a
    64 KiB batch at a time, then its careful path for the lines that refuses), so a block
    judges every line as one process does. Without the located messages: a block that meets an
    invalid record is read again in one process, which gives them."""
    from riskengine.ingest import event_files as ef

    assert block.path is not None and block.end is not None
    with open(block.path, "rb") as handle:
        position = _line_start(handle, block.start)
        for item in ef._light_records(handle, "", stop=block.end - position, at_start=position == 0):
            if type(item) is tuple:
                # a block's rows are kept and pickled: one object per name (share_names)
                yield from map(share_names, item)  # type: ignore[arg-type]  # runs hold FastEvents only
            elif isinstance(item, Event):
                yield item
            elif isinstance(item, ef._Record):
                checked = ef._validate(item)
                yield checked if isinstance(checked, Event) else None
            else:  # a line too long: the rest of the file is not read
                yield None
                return


_MAX_LINE_BYTES = 16 << 20  # event_files.MAX_LINE_BYTES: a longer line is refused there


def _block_events(block: Block, counts: dict[str, int]) -> Iterator[Event | FastEvent | None]:
    if block.path is None:
        counts["records"] += len(block.events)
        yield from block.events
        return
    if block.end is not None:
        for event in _jsonl_events(block):
            counts["records"] += 1
            yield event
        return
    report = ReadReport()
    try:
        for chunk in stream_light_events([block.path], report=report):
            yield from chunk
    except (EventError, ValidationError, OSError):
        yield None
    counts["records"] += report.records


def _required_fields(cond: Cond) -> frozenset[str]:
    """Fields a fact must hold for ``cond`` to be true: a test on an absent field is false,
    except ``not_exists`` (``rules.ir``)."""
    if isinstance(cond, Test):
        return frozenset() if cond.op == "not_exists" else frozenset({cond.field})
    if isinstance(cond, And):
        return frozenset().union(*(_required_fields(t) for t in cond.terms))
    if isinstance(cond, Or):
        options = [_required_fields(t) for t in cond.terms]
        return frozenset.intersection(*options) if options else frozenset()
    return frozenset()  # Not: true on absent fields too


class CarryTest:
    """How many days after its own day an event may still be a leg of a firing: the longest
    ``compiler.leg_reach`` of the pattern legs it meets. A leg whose partners are all dated on or
    before it (the later leg of "talks, then a strike") reaches 0 days: its firings complete on
    its own day, in its own partition. A leg is evaluated only on rows holding every field its
    condition and joins need (a test or join on an absent field is false), join fields first:
    they are the rarer (``target_name`` of a repeat strike)."""

    def __init__(self, compiled: CompiledRuleSet, names: Sequence[str]) -> None:
        from riskengine.engine.reference import compile_condition
        from riskengine.rules.compiler import leg_reach

        self.names = tuple(names)
        position = {name: n for n, name in enumerate(self.names)}
        legs: list[tuple[int, Callable[[Sequence[Any]], bool], Callable[[Any], bool]]] = []
        for rule in compiled.pattern_rules:
            reaches = leg_reach(rule.patterns) if rule.window_days is not None else (None,) * len(rule.patterns)
            for k, pattern in enumerate(rule.patterns):
                joined = [join.field for join in pattern.joins]
                joined += [join.other_field for other in rule.patterns for join in other.joins if join.other_leg == k]
                required = list(dict.fromkeys(f for f in [*joined, *sorted(_required_fields(pattern.condition))] if f != DATE_FIELD))
                reach = reaches[k]
                reach = _FOREVER if reach is None else min(reach, rule.window_days or reach)
                if reach <= 0 or not set(required) <= position.keys():
                    continue  # never a leg of a later firing, or never holds (a field no fact carries)
                legs.append((reach, _present([position[f] for f in required]), compile_condition(pattern.condition)))
        legs.sort(key=operator.itemgetter(0), reverse=True)
        self.legs = tuple(legs)
        self.longest = legs[0][0] if legs else -1

    def reaching(self, distance: int) -> tuple[tuple[int, Callable[[Sequence[Any]], bool], Callable[[Any], bool]], ...]:
        """The legs that reach ``distance`` days or more, longest first."""
        return tuple(leg for leg in self.legs if leg[0] >= distance)

    def reach(self, row: Sequence[Any], legs: Sequence[tuple[int, Callable[[Sequence[Any]], bool], Callable[[Any], bool]]]) -> int:
        """The reach of the first of ``legs`` (longest first) the row's event meets; -1: none."""
        fact: dict[str, Any] | None = None
        for reach, present, test in legs:
            if present(row):
                if fact is None:
                    fact = {name: value for name, value in zip(self.names, row, strict=True) if value is not None}
                if test(fact):
                    return reach
        return -1


def _present(positions: Sequence[int]) -> Callable[[Sequence[Any]], bool]:
    """Whether a row holds a value at every one of ``positions``."""
    if not positions:
        return lambda row: True
    if len(positions) == 1:
        (only,) = positions
        return lambda row: row[only] is not None
    values = operator.itemgetter(*positions)
    return lambda row: None not in values(row)


_FOREVER = 1 << 30  # the reach of a leg of a rule without a window (such a pack runs in one partition)


_PROJECT_EVERY = 5_000  # events read_block holds before making their rows and records
_EVENT_ID = operator.attrgetter("event_id")


def read_block(block: Block, job: Job, plan: Plan) -> BlockOut:
    """Read, validate and project one block: its pieces for every partition it feeds."""
    started = time.process_time()
    bounds = job.bounds
    names, _ = row_projector(bounds.fields)
    rows_of = rows_projector(bounds.fields)
    values_of = scaled_columns(names, bounds.per_fields)
    repeat = itertools.repeat
    first_day, last_day = bounds.first_day.toordinal(), bounds.last_day.toordinal()
    first_period, length = bounds.first_period, bounds.period_days
    lo, hi = plan.ranges[block.index]
    counts = {"records": 0}
    accepted = outside = 0
    earliest, latest = math.inf, -math.inf
    invalid = False
    events_by_day: dict[int, list[Event | FastEvent]] = {}
    pending = 0
    rows_by_day: dict[int, list[tuple[Any, ...]]] = {}
    records_by_day: dict[int, list[_RecordTuple]] = {}

    def project() -> None:
        """The held events' rows and records, a day's events at a time (as reader.prepare), every
        few thousand events: a whole block of FastEvents held at once raised a worker's peak."""
        for day, events in events_by_day.items():
            day_rows = rows_of(events, day)
            # a FastEvent has the attributes the source weight reads
            weights = source_weights(cast(list[Event], events))
            period = day - (day - first_period) % length
            day_records = zip(map(_EVENT_ID, events), repeat(day), repeat(period), weights, values_of(day_rows, events), strict=False)
            if day in rows_by_day:
                rows_by_day[day] += day_rows
                records_by_day[day] += day_records
            else:
                rows_by_day[day] = day_rows
                records_by_day[day] = list(day_records)
        events_by_day.clear()

    with collector_paused():
        for event in _block_events(block, counts):
            if event is None:
                invalid = True
                break  # read again in one process: the rest is not needed
            accepted += 1
            day = event.event_date.toordinal()
            if day < first_day or day > last_day:
                continue
            if day < earliest:
                earliest = day
            if day > latest:
                latest = day
            if day < lo or day > hi:
                outside += 1
                continue  # the plan is made again: only the days are needed now
            held = events_by_day.get(day)
            if held is None:
                events_by_day[day] = [event]
            else:
                held.append(event)
            pending += 1
            if pending >= _PROJECT_EVERY:
                project()
                pending = 0
        info = BlockInfo(
            block.index,
            counts["records"],
            accepted,
            None if earliest == math.inf else int(earliest),
            None if latest == -math.inf else int(latest),
            outside,
            invalid,
        )
        if invalid or outside:
            return BlockOut(dataclasses.replace(info, cpu=time.process_time() - started), {})
        project()
        pieces = _pieces(rows_by_day, records_by_day, plan, block.index, CarryTest(share_identical_rules(job.compiled)[0], names))
        return BlockOut(dataclasses.replace(info, cpu=time.process_time() - started), pieces)


def _pieces(
    rows_by_day: dict[int, list[tuple[Any, ...]]], records_by_day: dict[int, list[_RecordTuple]], plan: Plan, block: int, carry: CarryTest
) -> dict[int, Packed]:
    pieces = {p: Piece() for p in plan.feeds[block]}
    edges, count = plan.edges, plan.partitions
    for day in sorted(rows_by_day):
        rows, records = rows_by_day[day], records_by_day[day]
        owner = plan.owner(day)
        piece = pieces[owner]
        piece.days.append((day, len(rows)))
        piece.rows.extend(rows)
        piece.records.extend(records)
        if owner + 1 >= count or edges[owner + 1] - day > carry.longest:
            continue
        legs = carry.reaching(edges[owner + 1] - day)
        carried: dict[int, tuple[list[tuple[Any, ...]], list[_RecordTuple]]] = {}
        for row, record in zip(rows, records, strict=True):
            reach = carry.reach(row, legs)
            if reach < 0:
                continue
            later = owner + 1
            while later < count and edges[later] - day <= reach:
                taken = carried.setdefault(later, ([], []))
                taken[0].append(row)
                taken[1].append(record)
                later += 1
        for later, (some_rows, some_records) in carried.items():
            piece = pieces[later]  # planned: the day is within the partition's reach
            piece.days.append((day, len(some_rows)))
            piece.rows.extend(some_rows)
            piece.records.extend(some_records)
    return {p: Packed.of(piece) for p, piece in pieces.items()}


# ---------------------------------------------------------------------------------------------
# Scoring a partition

# durable-rules' engine is one per process: a worker running tasks in threads matches one
# partition at a time (reading goes on beside it).
_MATCHING = threading.Lock()


def score_partition(partition: int, packed: Sequence[Packed], job: Job, plan: Plan) -> PartResult:
    """Match a partition's carry-in, then its own events, in date order; score the firings its
    own events complete. Pieces come in block order; a day's events keep it."""
    from riskengine.engine.matching import open_matcher

    started = time.process_time()
    pieces = [piece.unpack() for piece in packed]
    bounds = job.bounds
    start = plan.edges[partition]
    scored_from = plan.scored_from(partition)
    first_period, length = bounds.first_period, bounds.period_days
    shared, scorer = scorer_for(job.pack, job.compiled, job.stakeholders, dataclasses.replace(bounds, first_period=scored_from))
    names = row_projector(bounds.fields)[0]
    runs = sorted((day, n, offset, size) for n, piece in enumerate(pieces) for day, size, offset in _offsets(piece.days))
    events = scorer.totals.events
    matched = carried = 0
    fired_before = 0
    with _MATCHING, collector_paused(), open_matcher(shared, engine=job.engine, batch_size=bounds.chunk_size, share_answers=True) as matcher:  # type: ignore[arg-type]
        for rows, records, last, own in _chunks(runs, pieces, start, bounds.chunk_size):
            if own and partition > 0 and not matched:
                fired_before = scorer.fired  # firings among the carry-in belong to earlier partitions
            scorer.add(records)
            scorer.score(matcher.feed_rows_by_rule(names, rows))
            scorer.evict(last)
            if own:
                matched += len(rows)
            else:
                carried += len(rows)
        if partition > 0 and not matched:
            fired_before = scorer.fired
    for day, _, _, size in runs:
        if day >= start and day >= first_period:
            events[day - (day - first_period) % length] += size
    totals = scorer.totals_now()
    return PartResult(
        partition,
        dict(totals.points),
        dict(totals.relief),
        dict(totals.firings),
        dict(events),
        scorer.fired - fired_before,
        matched,
        carried,
        len(scorer.records),
        time.process_time() - started,
    )


def _offsets(days: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int, int]]:
    offset = 0
    for day, size in days:
        yield day, size, offset
        offset += size


def _chunks(
    runs: Sequence[tuple[int, int, int, int]], pieces: Sequence[Piece], start: int, size: int
) -> Iterator[tuple[list[tuple[Any, ...]], list[_RecordTuple], int, bool]]:
    """Rows and records in chunks of at most ``size``: the carry-in (days before ``start``)
    first, in chunks of its own, then the partition's own events; with the last day of each."""
    rows: list[tuple[Any, ...]] = []
    records: list[_RecordTuple] = []
    own = False
    last = 0
    for day, n, offset, count in runs:
        if day >= start and not own:
            if rows:
                yield rows, records, last, False
                rows, records = [], []
            own = True
        piece = pieces[n]
        taken = 0
        while taken < count:
            take = min(count - taken, size - len(rows))
            rows.extend(piece.rows[offset + taken : offset + taken + take])
            records.extend(piece.records[offset + taken : offset + taken + take])
            taken += take
            last = day
            if len(rows) >= size:
                yield rows, records, last, own
                rows, records = [], []
    if rows:
        yield rows, records, last, own


# ---------------------------------------------------------------------------------------------
# Adding up


@dataclass
class Outcome:
    """The merged totals of every partition, and what the run read."""

    totals: Totals
    fired: int
    events_read: int
    records: int
    stats: dict[str, int]
    # per worker process: (name, user CPU s, system CPU s, peak resident KB), where measured
    usage: list[tuple[str, float, float, int]] = field(default_factory=list)


def merge(results: Sequence[PartResult], infos: Sequence[BlockInfo], plan: Plan, replanned: bool) -> Outcome:
    totals = Totals()
    fired = retained = matched = carried = 0
    for part in sorted(results, key=lambda r: r.partition):
        for key, units in part.points.items():
            totals.points[key] += units
        for key, units in part.relief.items():
            totals.relief[key] += units
        for fired_key, count in part.firings.items():
            totals.firings[fired_key] += count
        for period, count in part.events.items():
            totals.events[period] += count
        fired += part.fired
        matched += part.matched
        carried += part.carried
        retained = max(retained, part.retained)
    stats = {
        "read_ms": round(1000 * sum(i.cpu for i in infos)),
        "score_ms": round(1000 * sum(r.cpu for r in results if r.partition >= 0)),
        "partitions": plan.partitions,
        "blocks": len(infos),
        "carried": carried,
        "records_retained": retained,
        "replanned": int(replanned),
    }
    return Outcome(totals, fired, sum(i.accepted for i in infos), sum(i.records for i in infos), stats)


def check_infos(infos: Sequence[BlockInfo]) -> bool:
    """Whether the plan held (False: make it again); NeedsOneProcess on invalid input."""
    if any(info.invalid for info in infos):
        raise NeedsOneProcess
    return not any(info.outside for info in infos)


def run_here(blocks: Sequence[Block], job: Job, *, partitions: int | None = None, edges: Sequence[int] | None = None) -> Outcome:
    """The partitioned backtest run task by task in this process: what the cluster does, for
    tests and for checking a cut by hand."""
    bounds = job.bounds
    starts = [first_day_of(block) for block in blocks]
    plan = make_plan(bounds, assumed_ranges(starts, bounds.reorder_days), starts=starts, partitions=partitions, edges=edges)
    outs = [read_block(block, job, plan) for block in blocks]
    replanned = False
    if not check_infos([out.info for out in outs]):
        plan = replan(plan, bounds, [out.info for out in outs]) if edges is None else _with_edges(plan, bounds, outs, edges)
        outs = [read_block(block, job, plan) for block in blocks]
        replanned = True
        if not check_infos([out.info for out in outs]):
            raise EngineError("a block held days outside the range measured when it was first read")
    results = [score_partition(p, [outs[b].pieces[p] for b in plan.sources(p)], job, plan) for p in range(plan.partitions)]
    return merge(results, [out.info for out in outs], plan, replanned)


def _with_edges(plan: Plan, bounds: Bounds, outs: Sequence[BlockOut], edges: Sequence[int]) -> Plan:
    ranges = [(o.info.first, o.info.last) if o.info.first is not None and o.info.last is not None else (math.inf, -math.inf) for o in outs]
    return make_plan(bounds, ranges, edges=edges)


__all__ = [
    "DEFAULT_BLOCK_BYTES",
    "Block",
    "BlockInfo",
    "BlockOut",
    "CarryTest",
    "Job",
    "NeedsOneProcess",
    "Outcome",
    "Packed",
    "PartResult",
    "Piece",
    "Plan",
    "assumed_ranges",
    "blocks_of_chunks",
    "check_infos",
    "first_day_of",
    "make_plan",
    "merge",
    "read_block",
    "replan",
    "run_here",
    "score_partition",
    "split_input",
]
