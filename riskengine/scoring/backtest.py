"""Backtests: the weekly score series of years of events, in constant memory.

When an analyst changes a rule they re-score history. Events stream through the matcher in date
order and the one scorer (``riskengine.scoring.scorer``) adds every firing at once to a running
total per ISO week, stakeholder and dimension. No contribution, firing list or event list is
kept: memory holds the totals (a few numbers per week), a small record of each event a pattern
rule may still join (dropped once older than the longest pattern window), and the chunk being
matched.

The numbers are ``riskengine score --week``'s for every week, by construction: score reads the
same scorer's totals. Input should be roughly in date order, as a feed is written: events are
reordered within ``reorder_days``; a file further out of order (an export written newest first)
is read again through an external sort (``reader.external_sort``). Events handed in as chunks
cannot be read again, so there the out-of-order event is an error (E410) that says which event
and by how much.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskengine.core.errors import InputError, Issue
from riskengine.core.events import Event
from riskengine.core.fileio import write_atomic
from riskengine.core.resources import default_rules_dir, sample_data_dir
from riskengine.core.windows import Window, week_of
from riskengine.ingest.event_files import ReadReport
from riskengine.rules import loader
from riskengine.rules.compiler import compile_rules
from riskengine.rules.ir import CompiledRuleSet
from riskengine.rules.loader import RulePack
from riskengine.rules.models import Profile
from riskengine.scoring.contributions import check_stakeholders, default_profile
from riskengine.scoring.parallel import start_reader_server
from riskengine.scoring.reader import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_REORDER_DAYS,
    Bounds,
    choose_workers,
    make_bounds,
    ordered_chunks,
    prepare,
)
from riskengine.scoring.scorer import Totals, per_fields_of
from riskengine.scoring.scores import CLASSES, Saturation, classify, overall_score, saturate, saturation_for
from riskengine.scoring.stream import StreamRun, copy_report, prepared_from_files, run_scorer, scorer_for, sorting_if_needed

_ordered_chunks = ordered_chunks  # the name tests/test_backtest.py knows

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
    saturation: Saturation
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




def _bounds(compiled: CompiledRuleSet, pack: RulePack, first: Window, last: Window, chunk_size: int, reorder_days: int) -> Bounds:
    if last.start < first.start:
        raise InputError([Issue("E402", f"--to {last.label} is before --from {first.label}")])
    return make_bounds(
        compiled,
        per_fields_of(pack),
        first_period=first.start,
        last_day=last.end,
        period_days=7,
        chunk_size=chunk_size,
        reorder_days=reorder_days,
    )


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
    scheduler: str | None = None,
) -> BacktestResult:
    """Weekly scores from ``first`` to ``last`` (ISO weeks, both included) of a stream of events.

    ``chunks`` is what ``event_io.stream_events`` yields. Events before ``first`` are matched
    only as far back as the longest pattern window reaches (so patterns completing in ``first``
    are found); events after ``last`` are not read into any score. ``observer``, if given, is
    called with every firing (rule id, event ids), e.g. to compare engines; it needs one process.
    With ``workers`` > 1 or a Dask ``scheduler`` address the events are sent to Dask workers in
    blocks and scored in time partitions (``riskengine.scoring.partition``), with the same
    result; ``backtest_files`` has the workers read the files themselves.
    """
    bounds = _bounds(compiled, pack, first, last, chunk_size, reorder_days)
    if observer is not None and (workers > 1 or scheduler):
        raise ValueError("an observer sees firings in one process only: use workers=1")
    if workers > 1 or scheduler:
        from riskengine.scoring.partition import blocks_of_chunks

        return _on_dask(blocks_of_chunks(chunks), pack, compiled, bounds, first, last, stakeholders, engine, workers, scheduler, None, progress)
    counters = {"read": 0}
    return _score_all(prepare(chunks, bounds, counters), counters, pack, compiled, bounds, first, last, stakeholders, engine, 1, progress, observer)


def _score_all(
    prepared: Iterable[Any],
    counters: dict[str, int],
    pack: RulePack,
    compiled: CompiledRuleSet,
    bounds: Bounds,
    first: Window,
    last: Window,
    stakeholders: Iterable[str] | None,
    engine: str,
    workers: int,
    progress: Progress | None,
    observer: Callable[[str, tuple[str, ...]], None] | None,
) -> BacktestResult:
    chosen = check_stakeholders(stakeholders)
    shared, scorer = scorer_for(pack, compiled, chosen, bounds)

    def report(read: int, matched: int, fired: int, day: dt.date | None) -> None:
        if progress is not None:
            progress(BacktestProgress(max(read, counters["read"]), matched, fired, day, first.start, last.end))

    run: StreamRun = run_scorer(prepared, shared, scorer, bounds, engine=engine, workers=workers, progress=report, observer=observer)
    return _result(pack, compiled, chosen, scorer.totals_now(), first, last, max(counters["read"], run.read), scorer.fired, run.stats)


def _result(
    pack: RulePack,
    compiled: CompiledRuleSet,
    chosen: Sequence[str],
    totals: Totals,
    first: Window,
    last: Window,
    events_read: int,
    fired: int,
    stats: Mapping[str, int],
) -> BacktestResult:
    return BacktestResult(
        first_week=first.label,
        last_week=last.label,
        rule_pack_version=pack.version,
        rules=len(compiled.rules),
        events_read=events_read,
        events_scored=sum(totals.events.values()),
        firings=fired,
        series=tuple(_series(pack, stakeholder, totals, first, last) for stakeholder in chosen),
        stats=stats,
    )


# Below this much input (about 450,000 generated events) starting a local Dask cluster (3 to 5
# seconds on two cores) costs more than the second worker saves over a reader process.
DASK_MIN_BYTES = 256 * 1024 * 1024


def input_bytes(paths: Sequence[str | os.PathLike[str]]) -> int:
    size = 0
    for path in paths:
        try:
            size += os.path.getsize(path)
        except OSError:
            continue  # reading will report it
    return size


def distributed_available() -> bool:
    """Whether backtests can run on Dask (the ``dask`` extra is installed)."""
    import importlib.util

    return importlib.util.find_spec("distributed") is not None


def load_pack(rules: Sequence[str | os.PathLike[str]] | None) -> RulePack:
    """Rule files or folders (default: the bundled packs), as ``riskengine.api.load_rules``."""
    return loader.load_rules([Path(p) for p in rules] if rules else [default_rules_dir()])


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
    pack: RulePack | None = None,
    compiled: CompiledRuleSet | None = None,
    scheduler: str | None = None,
    partitions: int | None = None,
    block_bytes: int | None = None,
) -> BacktestResult:
    """``run_backtest`` over event files (default: the bundled sample) and rule files (default:
    the bundled packs; or ``pack`` and ``compiled`` as loaded by the caller), reading the files
    as a stream. A file not in date order is sorted on the way (``reader.external_sort``).

    With ``workers`` > 1, or a Dask ``scheduler`` address, the backtest runs on Dask in time
    partitions (``riskengine.scoring.partition``; ``partitions`` and ``block_bytes`` tune the
    cut), with the same result; input with an invalid record is then read in one process,
    which reports it. ``workers`` None: two Dask workers from ``DASK_MIN_BYTES`` of input on two
    cores, else a reader process beside this one from ``reader.PARALLEL_MIN_BYTES`` (or when
    Dask is not installed), else this process alone."""
    chosen = [Path(p) for p in paths] if paths else [sample_data_dir() / "sample_events.yaml"]
    processes = choose_workers(chosen, workers)
    target = report if report is not None else ReadReport()
    on_dask = bool(scheduler) or (processes > 1 and distributed_available() and (workers is not None or input_bytes(chosen) >= DASK_MIN_BYTES))
    # A local cluster starts while this thread loads the pack and cuts the input (see
    # distributed.LocalStart); whoever leaves it untaken closes it.
    started = _start_local(processes) if on_dask and not scheduler else None
    if processes > 1 and not on_dask:
        start_reader_server()  # the reader's imports, done while this loads the pack
    try:
        pack = pack if pack is not None else load_pack(rules)
        compiled = compiled if compiled is not None else compile_rules(pack)
        bounds = _bounds(compiled, pack, first, last, chunk_size, reorder_days)
        if on_dask:
            from riskengine.scoring.partition import DEFAULT_BLOCK_BYTES, NeedsOneProcess, split_input

            blocks = split_input(chosen, block_bytes or DEFAULT_BLOCK_BYTES)
            try:
                result = _on_dask(blocks, pack, compiled, bounds, first, last, stakeholders, engine, processes, scheduler, partitions, progress, started)
            except NeedsOneProcess:
                pass  # the one-process reader says what is wrong, or writes the rejects
            else:
                target.files = len(chosen)
                target.records = target.accepted = result.stats.get("records", 0)
                if skip_invalid and rejects is not None:
                    write_atomic(os.fspath(rejects), "")  # as stream_events does: nothing was rejected
                    target.rejects_path = Path(rejects)
                return result
    finally:
        if started is not None:
            started.close()

    def attempt(sort: bool) -> BacktestResult:
        read = ReadReport()
        counters = {"read": 0}
        items = prepared_from_files(
            chosen, bounds, processes=processes, skip_invalid=skip_invalid, rejects=rejects, report=read, counters=counters, sort=sort
        )
        result = _score_all(items, counters, pack, compiled, bounds, first, last, stakeholders, engine, 1, progress, None)
        copy_report(read, target)
        stats = dict(result.stats)
        if processes > 1:
            stats["processes"] = 2  # a reader process beside this one
        if sort:
            stats["sorted"] = 1
        return dataclasses.replace(result, stats=stats)

    return sorting_if_needed(attempt)


def backtest_partitioned_here(
    blocks: Sequence[Any],
    pack: RulePack,
    compiled: CompiledRuleSet,
    *,
    first: Window,
    last: Window,
    stakeholders: Iterable[str] | None = None,
    engine: str = "durable",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    reorder_days: int = DEFAULT_REORDER_DAYS,
    partitions: int | None = None,
    edges: Sequence[int] | None = None,
) -> BacktestResult:
    """The backtest of ``blocks`` (``partition.split_input``, ``partition.blocks_of_chunks``)
    cut into time partitions as a cluster runs it, task by task in this process: for checking
    that a cut changes nothing (``edges``: the partitions' first days, ordinals of Mondays)."""
    from riskengine.scoring.partition import Job, run_here

    bounds = _bounds(compiled, pack, first, last, chunk_size, reorder_days)
    chosen = check_stakeholders(stakeholders)
    outcome = run_here(blocks, Job(pack, compiled, bounds, tuple(chosen), engine), partitions=partitions, edges=edges)
    return _result(pack, compiled, chosen, outcome.totals, first, last, outcome.events_read, outcome.fired, outcome.stats)


def _start_local(workers: int) -> Any:
    """A local Dask cluster of ``workers`` starting in a thread (``distributed.LocalStart``), or
    None where Dask is not installed (``_on_dask`` says so)."""
    if not distributed_available():
        return None
    from riskengine.scoring import distributed

    return distributed.LocalStart(workers)


def _on_dask(
    blocks: Sequence[Any],
    pack: RulePack,
    compiled: CompiledRuleSet,
    bounds: Bounds,
    first: Window,
    last: Window,
    stakeholders: Iterable[str] | None,
    engine: str,
    workers: int,
    scheduler: str | None,
    partitions: int | None,
    progress: Progress | None,
    started: Any = None,
) -> BacktestResult:
    """The backtest of ``blocks`` on Dask (``riskengine.scoring.distributed``); ``started``: a
    local cluster started early (``distributed.LocalStart``), which it takes."""
    from riskengine.scoring import distributed
    from riskengine.scoring.partition import Job

    if not distributed_available():
        raise ModuleNotFoundError("a backtest on more than one worker runs on Dask: pip install 'riskengine[dask]'")
    chosen = check_stakeholders(stakeholders)
    job = Job(pack, compiled, bounds, tuple(chosen), engine)

    def report(read: int, fired: int, day: dt.date | None) -> None:
        if progress is not None:
            progress(BacktestProgress(read, read, fired, day, first.start, last.end))

    outcome = distributed.run_on_dask(blocks, job, workers=workers, scheduler=scheduler, partitions=partitions, progress=report, started=started)
    stats = {**outcome.stats, "records": outcome.records, "workers": workers if not scheduler else 0}
    return _result(pack, compiled, chosen, outcome.totals, first, last, outcome.events_read, outcome.fired, stats)


def _series(pack: RulePack, stakeholder: str, totals: Totals, first: Window, last: Window) -> StakeholderSeries:
    profile: Profile = pack.profiles.get(stakeholder) or default_profile(stakeholder)
    weights = profile.dimension_weights
    weeks: list[WeekPoint] = []
    window = first
    while window.start <= last.start:
        week = window.start.toordinal()
        points = totals.net(week, stakeholder, weights, profile.max_relief)
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
                    DimensionPoint(d, weights[d], round(points[d], 4), saturate(points[d], saturation_for(profile.saturation, d)))
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
    "DASK_MIN_BYTES",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_REORDER_DAYS",
    "BacktestProgress",
    "BacktestResult",
    "DimensionPoint",
    "StakeholderSeries",
    "WeekPoint",
    "backtest_files",
    "backtest_partitioned_here",
    "choose_workers",
    "distributed_available",
    "run_backtest",
    "to_csv_rows",
    "to_json_data",
]
