"""Driving the one scorer over a stream of events: in this process, or beside a reader process.
Backtests in one process and window reports both run here.

* ``prepared_from_files``: files -> prepared chunks, read here or in a reader process
  (``parallel.produced_elsewhere``) that reads, validates, orders and projects the next chunk
  while this one matches and scores; only facts and small records cross the pipe.
* ``run_scorer``: prepared chunks -> matcher -> ``Scorer``, in this process (backtests on more
  than one worker run on Dask: ``distributed``).
* ``sorting_if_needed``: a file not in date order is read again through an external sort.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from riskengine.core.errors import InputError
from riskengine.core.events import Event
from riskengine.ingest.event_files import ReadReport
from riskengine.rules.ir import CompiledRuleSet
from riskengine.rules.loader import RulePack
from riskengine.scoring.facts import row_projector, share_identical_rules
from riskengine.scoring.reader import (
    Bounds,
    Prepared,
    collecting,
    collector_paused,
    is_out_of_order,
    prepare,
    read_and_prepare,
    read_chunks,
)
from riskengine.scoring.scorer import Scorer, rule_scores

# events read, events matched, firings scored, the last day matched
StreamProgress = Callable[[int, int, int, "dt.date | None"], None]
T = TypeVar("T")


def scorer_for(pack: RulePack, compiled: CompiledRuleSet, chosen: Sequence[str], bounds: Bounds) -> tuple[CompiledRuleSet, Scorer]:
    """The rules to match (identical rules of different packs once) and the scorer that scores
    each firing of a shared rule for every rule it stands for."""
    rules = rule_scores(pack, compiled, chosen)
    shared, fanout = share_by_counting(compiled)
    groups = {rule.id: tuple(rules[i] for i in fanout.get(rule.id, (rule.id,))) for rule in shared.rules}
    return shared, Scorer(groups, bounds.first_period, bounds.reach_back, bounds.per_fields)


def share_by_counting(compiled: CompiledRuleSet) -> tuple[CompiledRuleSet, dict[str, tuple[str, ...]]]:
    """``share_identical_rules``, never folding a rule counted ``once_per`` its last event with
    one counted per tuple: the same pattern then counts differently, and the scorer reduces a
    shared rule's firings for every rule it stands for or for none."""
    once = tuple(rule for rule in compiled.rules if rule.once_per_last)
    if not once:
        return share_identical_rules(compiled)
    rest = tuple(rule for rule in compiled.rules if not rule.once_per_last)
    parts = [share_identical_rules(CompiledRuleSet(part, fields=compiled.fields)) for part in (once, rest) if part]
    rules = tuple(sorted((rule for shared, _ in parts for rule in shared.rules), key=lambda rule: rule.id))
    return CompiledRuleSet(rules, fields=compiled.fields), {k: v for _, fanout in parts for k, v in fanout.items()}


@dataclass
class StreamRun:
    """What a run saw besides the totals: counts, and the events a brief's watchlist reads."""

    read: int = 0
    matched: int = 0
    last_day: dt.date | None = None
    watched: list[tuple[str | None, int, Event | bytes]] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


def run_scorer(
    prepared: Iterable[Prepared],
    shared: CompiledRuleSet,
    scorer: Scorer,
    bounds: Bounds,
    *,
    engine: str = "durable",
    workers: int = 1,
    progress: StreamProgress | None = None,
    observer: Callable[[str, tuple[str, ...]], None] | None = None,
) -> StreamRun:
    """Match every prepared chunk and score its firings into ``scorer`` (and its ``detail``),
    in this process. ``workers`` is kept for callers of the former pool of matching processes:
    a backtest on several workers runs on Dask (``riskengine.scoring.distributed``)."""
    del workers
    run = StreamRun()
    names = row_projector(bounds.fields)[0]
    detail = scorer.detail

    def counted(items: Iterable[Prepared]) -> Iterator[Prepared]:
        events = scorer.totals.events
        for item in collecting(items):
            for period, count in item.periods.items():
                events[period] += count
            run.matched += len(item.records)
            run.last_day = item.last_day
            run.read = max(run.read, item.read)
            if detail is not None:
                detail.keep(item.kept, item.packed)
            run.watched.extend(item.watched)
            yield item

    def report(fired: int) -> None:
        if progress is not None:
            progress(run.read, run.matched, fired, run.last_day)

    with collector_paused():
        from riskengine.engine.matching import open_matcher

        with open_matcher(shared, engine=engine, batch_size=bounds.chunk_size) as matcher:  # type: ignore[arg-type]
            for item in counted(prepared):
                if not item.rows:
                    continue
                scorer.add(item.records)  # before matching: a firing's legs must have records
                scorer.score(matcher.feed_rows_by_rule(names, item.rows), observer)
                scorer.evict(item.last_day.toordinal())
                report(scorer.fired)
        run.stats = {"records_retained": len(scorer.records)}
    return run


def prepared_from_files(
    paths: Sequence[str | os.PathLike[str]],
    bounds: Bounds,
    *,
    processes: int,
    skip_invalid: bool,
    rejects: str | os.PathLike[str] | None,
    report: ReadReport,
    counters: dict[str, int],
    sort: bool = False,
) -> Iterator[Prepared]:
    """The files' events as prepared chunks, read in this process or (``processes`` = 2) in a
    reader process of its own (see "When two processes pay" in docs/BENCHMARKS.md)."""
    if processes < 2:
        yield from prepare(read_chunks(paths, bounds, skip_invalid=skip_invalid, rejects=rejects, report=report, sort=sort), bounds, counters)
        return
    from riskengine.scoring.parallel import produced_elsewhere

    for item in produced_elsewhere(read_and_prepare, (paths, bounds, skip_invalid, rejects, sort)):
        if isinstance(item, Prepared):
            yield item
            continue
        their_report, their_counters = item
        counters.update(their_counters)
        copy_report(their_report, report)


def copy_report(source: ReadReport, target: ReadReport) -> None:
    for name in ReadReport.__dataclass_fields__:
        setattr(target, name, getattr(source, name))


def sorting_if_needed(run: Callable[[bool], T]) -> T:
    """``run(False)``; if its input turns out not to be in date order (E410), ``run(True)``,
    which reads it again through an external sort. In-order input pays nothing for this, and
    input in reverse order is found out within its first days."""
    try:
        return run(False)
    except InputError as error:
        if not is_out_of_order(error):
            raise
    return run(True)


__all__ = ["StreamRun", "copy_report", "prepared_from_files", "run_scorer", "scorer_for", "share_by_counting", "sorting_if_needed"]
