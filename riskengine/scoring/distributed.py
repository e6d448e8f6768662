"""Backtests on Dask (dask.distributed): a local cluster of worker processes, or an existing
cluster by its scheduler's address. The only module that imports Dask (``pip install
'riskengine[dask]'``).

The tasks and why the cut is exact are in ``riskengine.scoring.partition``; this module plans
the run, hands the tasks to the cluster and adds up the partitions' totals. What crosses the
network: the job (rule pack, compiled rules, bounds) once per worker; each block's pieces (fact
rows and 50-byte scoring records) from the worker that read the block to the one that scores
the partition, usually the same one; each partition's totals (a few integers per week) back to
the caller. Workers read the input files where they lie: every worker must see the paths given
(a shared or replicated file system). See docs/DISTRIBUTED.md.

Memory stays bounded whatever the input's length: blocks are read in input order and about
``workers + 3`` blocks' worth of pieces are read ahead of the partitions scored (``_Run._live``),
so a worker holds the pieces of a few blocks and the matcher state of the partition it scores.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from riskengine.core.errors import EngineError
from riskengine.scoring.parallel import error_payload, main_module_hidden, raise_payload, server_imports_ours
from riskengine.scoring.partition import (
    Block,
    BlockInfo,
    BlockOut,
    Job,
    NeedsOneProcess,
    Outcome,
    Packed,
    PartResult,
    Plan,
    assumed_ranges,
    first_day_of,
    make_plan,
    merge,
    read_block,
    replan,
    score_partition,
)

# events read, firings scored, the last day scored
DistributedProgress = Callable[[int, int, "dt.date | None"], None]


def available() -> bool:
    """Whether dask.distributed is installed (the ``dask`` extra)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


# A local cluster's housekeeping, set for a backtest of seconds to minutes that reads none of it:
# - the workers' sampling profiler (a stack sample every 10 ms, for the dashboard) cost a few
#   percent of a backtest's CPU;
# - each process's event-loop health tick (every 20 ms), the nannies' memory checks (every
#   100 ms) and the system monitor (every 500 ms) cost the caller, two nannies and two workers
#   about 65 ms of CPU a second between them (measured idle: 1.9-2.5 CPU-s over 20 s with
#   Dask's defaults, 1.3-1.8 with these; the caller's scheduler 0.8-0.9 s against 0.2 s). A
#   memory check a second still pauses a worker long before a backtest's blocks could fill it.
_LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    # Workers forked from a server that has imported Dask and riskengine's tasks once, instead
    # of spawned: a spawned worker imports them again (0.7 CPU-s each), which was a third of the
    # cost of starting a two-worker cluster. Not "fork" from the caller, though it has imported
    # all of it already (the server's 0.5-0.6 CPU-s would go): the nannies start the workers
    # from the caller's event-loop thread while its other threads run (the pack load beside
    # the cluster's start: LocalStart), and a child forked then can inherit a lock another
    # thread held (the import lock, logging's, the allocator's) and hang. Nor is the server
    # started before the first nanny asks for a worker (tried in session 19 to overlap its
    # imports): the nanny sets Dask's pre-spawn environment (MALLOC_TRIM_THRESHOLD_,
    # PYTHONHASHSEED) just before, and a server started earlier forks workers without it.
    "distributed.worker.multiprocessing-method": "forkserver",
    # The caller places every task (_Run._reader, _Run._submit_parts) where its input is; Dask's
    # work stealing moved a block's read or a partition's scoring to the other worker whenever
    # one looked idler, and the block's pieces followed, whole (on 1M events, 9 of 23 blocks
    # and about as many partitions' own pieces travelled).
    "distributed.scheduler.work-stealing": False,
}
# what the fork server imports before forking workers: Dask's own list (Dask and what it imports
# anyway) lacks the code a backtest's worker runs.
_FORKSERVER_PRELOAD = ["distributed", "riskengine.scoring.partition", "riskengine.engine.durable", "riskengine.ingest.fast_events"]


def _preload_forkserver() -> None:
    """Set what the fork server imports, before its first worker starts it (after that, the
    server is running and keeps what it has). riskengine's modules only where the server would
    import this riskengine (``parallel.server_imports_ours``): else the workers would run
    another checkout's code, the one in the current folder, say."""
    import multiprocessing

    from distributed.utils import get_mp_context

    get_mp_context()  # type: ignore[no-untyped-call]  # Dask sets its own preload list once; ours replaces it
    multiprocessing.get_context("forkserver").set_forkserver_preload(_forkserver_preload(Path.cwd(), os.environ.get("PYTHONPATH", "")))


def _forkserver_preload(cwd: Path, pythonpath: str) -> list[str]:
    if server_imports_ours(cwd, pythonpath):
        return list(_FORKSERVER_PRELOAD)
    return [name for name in _FORKSERVER_PRELOAD if not name.startswith("riskengine")]


def _local_cluster(workers: int | None) -> Any:
    """A local cluster of ``workers`` single-threaded worker processes (durable-rules' engine is
    one per process), started and running."""
    import dask
    from distributed import LocalCluster

    # Dask's workers start by a fork server too: a caller's script without a main guard would
    # otherwise start a cluster in every worker
    with main_module_hidden(), dask.config.set(_LOCAL_CLUSTER_CONFIG):
        _preload_forkserver()
        # No dashboard; the scheduler's HTTP endpoints (health, metrics) still start, by default
        # on the fixed port 8787: a free port instead, so that two backtests at once do not
        # fight over it.
        return LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=max(1, workers or 1),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.ERROR,
        )


class LocalStart:
    """A local cluster starting in a thread of the caller while the caller does its own serial
    work (loading and compiling the rule pack, cutting the input, reading the blocks' first
    days).

    Started in line, the cluster's start (0.8-1.2 s quiet: the fork server's imports, the
    workers' start, the scheduler's and nannies' servers) came after that work and overlapped
    nothing, on two cores of which one was idle. Most of it runs in other processes (the fork
    server, the workers); the caller's share shares its GIL with the pack load.

    The one who starts it owns it until ``run_on_dask`` takes it (``take``); ``close`` stops it
    if it was never taken (the pack did not load, the input went to one process)."""

    def __init__(self, workers: int | None) -> None:
        self._cluster: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, args=(workers,), name="riskengine-cluster-start", daemon=True)
        self._thread.start()

    def _start(self, workers: int | None) -> None:
        try:
            self._cluster = _local_cluster(workers)
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread by take()
            self._error = error

    def take(self) -> Any:
        """The cluster, once it is up (its start's error raised here); the caller now owns it."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        cluster, self._cluster = self._cluster, None
        if cluster is None:
            raise EngineError("the local cluster was taken twice")
        return cluster

    def close(self) -> None:
        """Stop the cluster if nobody took it."""
        self._thread.join()
        cluster, self._cluster = self._cluster, None
        if cluster is not None:
            cluster.close()


@contextlib.contextmanager
def client_for(workers: int | None, scheduler: str | None, started: LocalStart | None = None) -> Iterator[Any]:
    """A Dask client: to the scheduler at ``scheduler``, or to a local cluster of ``workers``
    single-threaded worker processes (``started`` early, or started here), closed after."""
    from distributed import Client

    if scheduler:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    cluster = started.take() if started is not None else _local_cluster(workers)
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client


# ---------------------------------------------------------------------------------------------
# Sizes: Dask places a task where most of its input already is, by the sizes it estimates; a
# block's pieces estimated at a few bytes (an object's own size) went to whichever worker was
# free and took their whole block with them.

# what a piece held as objects takes, an event (its fact row and scoring record): measured
# about 700 bytes; as bytes it takes what it pickles to
_HELD_BYTES_PER_EVENT = 700


def _packed_size(piece: Packed) -> int:
    return 64 + (piece.events * _HELD_BYTES_PER_EVENT if piece.held else len(piece.data))


def _block_size(out: BlockOut) -> int:
    return 64 + sum(_packed_size(piece) for piece in out.pieces.values())


def _register_sizes() -> None:
    from dask.sizeof import sizeof

    sizeof.register(Packed)(_packed_size)  # type: ignore[no-untyped-call]
    sizeof.register(BlockOut)(_block_size)  # type: ignore[no-untyped-call]


_register_sizes()


# ---------------------------------------------------------------------------------------------
# Tasks: typed errors come back as payloads (their pickling would lose the issues)


def _first_day(block: Block) -> int | None:
    return first_day_of(block)


def _read(block: Block, job: Job, plan: Plan, measure_only: bool) -> BlockOut | tuple[Any, ...]:
    _collect_less()
    try:
        out = read_block(block, job, plan)
    except Exception as error:  # noqa: BLE001 - every failure goes back to the caller
        return ("error", error_payload(error))
    if measure_only:
        out.pieces = {}
    return out


def _info(out: BlockOut | tuple[Any, ...]) -> tuple[BlockInfo, str, dict[int, int]] | tuple[Any, ...]:
    """What reading found, where the block's pieces are (this worker's address) and how many
    events each partition's piece holds."""
    from distributed import get_worker

    if not isinstance(out, BlockOut):
        return out
    return out.info, get_worker().address, {p: piece.events for p, piece in out.pieces.items()}


def _piece(out: BlockOut | tuple[Any, ...], partition: int) -> Packed:
    return out.pieces.get(partition, Packed()) if isinstance(out, BlockOut) else Packed()


def _score(partition: int, job: Job, plan: Plan, *pieces: Packed) -> PartResult | tuple[Any, ...]:
    _collect_less()
    try:
        return score_partition(partition, pieces, job, plan)
    except Exception as error:  # noqa: BLE001 - every failure goes back to the caller
        return ("error", error_payload(error))


# The cyclic collector on a worker. The tasks pause it while they run (``collector_paused``), as
# one process pauses it for its whole run, but between tasks it ran at Python's default of a
# pass every 700 net new containers, and a worker's net growth is the pieces it holds (about
# three containers an event: the fact row, its list of tags, the scoring record) and the objects
# a task made with the collector paused: on 1M events the workers' passes took about 5 CPU-s
# (gen0/1/2: 2.6/2.2/0.4 s by gc.callbacks), with some 10,000 cyclic objects found in all. For
# a backtest a worker's first threshold is raised so that passes come only after half a million
# net new containers (memory of cyclic garbage stays bounded), and set back when it ends.
_COLLECT_AFTER = 500_000
_THRESHOLD_BEFORE: list[tuple[int, int, int]] = []


def _collect_less() -> None:
    threshold = gc.get_threshold()
    if threshold[0] < _COLLECT_AFTER:
        _THRESHOLD_BEFORE[:] = [threshold]
        gc.set_threshold(_COLLECT_AFTER, threshold[1], threshold[2])


def _collect_as_before() -> tuple[int, int, int]:
    if _THRESHOLD_BEFORE:
        gc.set_threshold(*_THRESHOLD_BEFORE.pop())
    return gc.get_threshold()


def _checked(value: Any, where: str) -> Any:
    if isinstance(value, tuple) and value and value[0] == "error":
        raise_payload(value[1], where)
    return value


# ---------------------------------------------------------------------------------------------
# The run


def run_on_dask(
    blocks: Sequence[Block],
    job: Job,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    partitions: int | None = None,
    progress: DistributedProgress | None = None,
    started: LocalStart | None = None,
) -> Outcome:
    """The partitioned backtest of ``blocks`` on a cluster (see the module docstring): the one
    at ``scheduler``, or a local one (``started`` early by the caller, who gives it up here, or
    started here). Raises NeedsOneProcess when the input has an invalid record or file."""
    # A local cluster's workers see the caller's files: the blocks' first days (a few lines of
    # each) are read here, while the cluster is still starting, instead of in a round of tiny
    # tasks once it is up (0.1-0.2 s of serial wall time). A cluster at an address may not see
    # the caller's files, so its workers read them.
    starts = None if scheduler else [first_day_of(block) for block in blocks]
    with client_for(workers, scheduler, started) as client, _collector_set_back(client):
        addresses = sorted(client.scheduler_info(n_workers=-1).get("workers", {}))
        count = max(1, len(addresses))
        job_future = client.scatter(job, broadcast=True, hash=False)
        if starts is None:
            starts = client.gather(client.map(_first_day, blocks, pure=False))
        bounds = job.bounds
        plan = make_plan(bounds, assumed_ranges(starts, bounds.reorder_days), starts=starts, partitions=partitions or max(len(blocks), count))
        run = _Run(client, blocks, job_future, plan, addresses, progress)
        replanned = not run.go()
        if replanned:
            # Some block holds days outside its planned range (input out of order beyond the
            # slack): plan again from the days every block was found to hold, and read again.
            plan = replan(plan, bounds, run.ordered_infos())
            run = _Run(client, blocks, job_future, plan, addresses, progress)
            if not run.go():
                raise EngineError("a block held days outside the range measured when it was first read")
        outcome = merge(list(run.results.values()), run.ordered_infos(), plan, replanned)
        outcome.usage = sorted((str(name), *usage) for name, usage in client.run(_usage).items())
        return outcome


@contextlib.contextmanager
def _collector_set_back(client: Any) -> Iterator[None]:
    """The workers' collector thresholds as they were before the backtest, however it ends."""
    try:
        yield
    finally:
        with contextlib.suppress(Exception):  # a worker gone, the cluster closing: nothing to set back
            client.run(_collect_as_before)


def _usage() -> tuple[float, float, int]:
    """This process's CPU seconds (user, system) and peak resident memory (KB)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime, usage.ru_maxrss


class _Run:
    """One attempt at a plan: blocks read in order, a few ahead of the partitions scored.

    A partition is scored on the worker that read most of its events, asked for once the blocks
    it needs are read: its own events' piece (about 95 % of what it matches) then stays there
    as the objects read, and only the carry-in from other blocks travels, pickled
    (``partition.Packed``). Left to choose, Dask had placed most partitions on the worker that
    was free: four in five pieces went from one worker to the other, each pickled, sent and
    unpickled (on 1M events, 110 MB sent and about a tenth of the tasks' CPU). The placement is
    a preference: if that worker is gone or Dask moves the task, the piece travels as bytes."""

    def __init__(self, client: Any, blocks: Sequence[Block], job: Any, plan: Plan, workers: Sequence[str], progress: DistributedProgress | None) -> None:
        self.client = client
        self.blocks = blocks
        self.job = job
        self.plan = plan
        self.plan_future = client.scatter(plan, broadcast=True, hash=False)
        self.workers = list(workers)
        # One block more than session 18's workers + 2: on 1M events and two workers a score
        # still waited now and then for the read of the block after its own (it needs that
        # block's first days), and a worker sat idle meanwhile; with one more block read ahead
        # the run took 9.4 s instead of 10.6 (medians of five, taking turns, quiet machine,
        # session 19), for a second worker's peak of 203 MB instead of 178 (all processes
        # 492 MB, issue 17's bound is 500). Two more gave no more speed and 230 MB a worker.
        self.ahead = max(1, len(self.workers)) + 3
        self.read_on: dict[int, str] = {}  # block -> the worker asked to read it
        self.scored_on: dict[int, str] = {}  # partition -> the worker asked to score it
        self.progress = progress
        self.infos: dict[int, BlockInfo] = {}
        self.where: dict[int, str] = {}  # block -> the address of the worker that read it
        self.sizes: dict[int, dict[int, int]] = {}  # block -> events of its piece for each partition
        self.results: dict[int, PartResult] = {}
        self.pieces: dict[tuple[int, int], Any] = {}  # (block, partition) -> future
        self.pending: dict[Any, tuple[str, int]] = {}  # future -> (kind, block or partition)
        self.submitted_parts: set[int] = set()
        self.next_block = 0
        self.measure_only = False
        # the last partition owning days a block holds: the block counts as read ahead until
        # that partition is scored
        self.main = [max((p for p in feeds if _owns(plan, p, plan.ranges[b])), default=-1) for b, feeds in enumerate(plan.feeds)]

    def ordered_infos(self) -> list[BlockInfo]:
        return [self.infos[b] for b in range(len(self.blocks))]

    def go(self) -> bool:
        """Run to the end; False if the plan did not hold (then every block's days are known)."""
        from distributed import wait

        client, plan = self.client, self.plan
        try:
            while len(self.results) < plan.partitions or len(self.infos) < len(self.blocks):
                self._submit_blocks()
                self._submit_parts()
                if not self.pending:
                    raise EngineError("the distributed backtest has nothing to wait for")  # a bug in the plan
                done = wait(list(self.pending), return_when="FIRST_COMPLETED").done  # type: ignore[no-untyped-call]
                for future in done:
                    # a block found out of its planned range drops the partitions under way
                    # (_block_done), which may be among the futures done with it
                    entry = self.pending.pop(future, None)
                    if entry is None:
                        continue
                    kind, n = entry
                    value = _checked(future.result(), f"{kind} {n}")
                    if kind == "block":
                        self._block_done(n, value)
                    else:
                        self._part_done(n, value)
            return not self.measure_only
        finally:
            pending = list(self.pending) + list(self.pieces.values())
            self.pending.clear()
            self.pieces.clear()
            if pending:
                client.cancel(pending)

    def _live(self) -> float:
        """Blocks' worth of pieces read ahead: a block being read counts whole until its last
        partition is scored; a block read counts the share of its events whose partitions are
        not scored yet.

        Counting a read block whole until its last partition was scored held two workers to
        one task at a time: a block's last days (within the reorder slack) are the next
        partition's, so block ``b`` counted until partition ``b + 1`` was scored, which needs
        block ``b + 2``; with ``workers + 2`` blocks ahead, a read waited for a scoring and the
        next scoring for that read, and on 1M events the tasks' wall time was their CPU time
        (session 18). What a worker holds is the events of pieces not yet scored: once its own
        partition is scored, a block holds its carry-out, a few per cent of it."""
        live = 0.0
        for b in range(self.next_block):
            sizes = self.sizes.get(b)
            if sizes is None:
                live += 1.0 if self.main[b] >= 0 and self.main[b] not in self.results else 0.0
            elif total := sum(sizes.values()):
                live += sum(n for p, n in sizes.items() if p not in self.results) / total
        return live

    def _submit_blocks(self) -> None:
        client, plan = self.client, self.plan
        while self.next_block < len(self.blocks) and (self._live() < self.ahead or not self.pending or self.measure_only):
            b = self.next_block
            self.next_block += 1
            placed = self._reader(b)
            out = client.submit(_read, self.blocks[b], self.job, self.plan_future, self.measure_only, pure=False, priority=-b, **placed)
            # Taking the info and pieces out of a read costs microseconds, and comes before
            # anything else on the worker: below the scorings queued there (as the read is),
            # they waited for them, and so did the caller to plan and the partitions needing
            # the pieces, while the other worker had nothing to do.
            first = _PROMPT - b
            self.pending[client.submit(_info, out, pure=False, priority=first, **placed)] = ("block", b)
            if not self.measure_only:
                for p in plan.feeds[b]:
                    self.pieces[(b, p)] = client.submit(_piece, out, p, pure=False, priority=first, **placed)

    def _reader(self, b: int) -> dict[str, Any]:
        """Where block ``b`` is read, and so where its pieces are taken out of it: the worker
        with the fewest tasks asked of it and not done, then the fewest blocks read ahead, as
        a preference (Dask may still move the task).

        By blocks read ahead alone, a read could go to a worker still scoring while the other
        had nothing to do: a worker runs a read after the scorings queued there, which come
        first.

        Left to Dask, the small tasks that take a block's pieces out (``_piece``) were placed
        like tasks without inputs, on whichever worker was free, and the whole block's pieces
        went there: Dask treats a group of many tasks whose inputs come from few tasks as
        "root-ish" and ignores where their inputs are, and with a few blocks read ahead at a
        time, the block reads are few. Tasks placed by the caller are never root-ish."""
        if not self.workers:
            return {}
        load = dict.fromkeys(self.workers, 0)
        given, queued = dict(load), dict(load)
        for block, address in self.read_on.items():
            if address in load:
                given[address] += 1
                queued[address] += block not in self.infos
                if self.main[block] >= 0 and self.main[block] not in self.results:
                    load[address] += 1
        for partition, address in self.scored_on.items():
            if address in load:
                queued[address] += partition not in self.results
        address = min(self.workers, key=lambda a: (queued[a], load[a], given[a]))
        self.read_on[b] = address
        return {"workers": [address], "allow_other_workers": True}

    def _submit_parts(self) -> None:
        if self.measure_only:
            return
        client, plan = self.client, self.plan
        for p in range(plan.partitions):
            if p in self.submitted_parts:
                continue
            sources = plan.sources(p)
            if any(b not in self.infos for b in sources):
                continue  # placed once every piece's size and place is known
            home = max(sources, key=lambda b: (self.sizes[b].get(p, 0), b))
            pieces = [self.pieces.pop((b, p)) for b in sources]
            placed = {"workers": [self.where[home]], "allow_other_workers": True} if home in self.where else {}
            if home in self.where:
                self.scored_on[p] = self.where[home]
            future = client.submit(_score, p, self.job, self.plan_future, *pieces, pure=False, priority=1_000_000 - p, **placed)
            self.pending[future] = ("partition", p)
            self.submitted_parts.add(p)

    def _block_done(self, b: int, found: tuple[BlockInfo, str, dict[int, int]]) -> None:
        info, self.where[b], self.sizes[b] = found
        self.infos[b] = info
        if info.invalid:
            raise NeedsOneProcess
        if info.outside and not self.measure_only:
            # the plan does not hold: what is under way is wasted; read the rest for its days only
            self.measure_only = True
            parts = [f for f, (kind, _) in self.pending.items() if kind == "partition"]
            for f in parts:
                del self.pending[f]
            self.client.cancel(parts + list(self.pieces.values()))
            self.pieces.clear()
            self.submitted_parts = set(range(self.plan.partitions))
            self.results = dict.fromkeys(range(self.plan.partitions), _EMPTY)

    def _part_done(self, p: int, result: PartResult) -> None:
        self.results[p] = result
        if self.progress is not None:
            done = 0
            while done in self.results:
                done += 1
            _, last = self.plan.needs(done - 1) if done else (0, 0)
            read = sum(info.accepted for info in self.infos.values())
            fired = sum(r.fired for r in self.results.values())
            self.progress(read, fired, dt.date.fromordinal(last) if done else None)


# Priorities: a block's info and pieces as soon as it is read (above every scoring), then
# scorings in partition order, then reads in block order.
_PROMPT = 2_000_000_000
_EMPTY = PartResult(-1, {}, {}, {}, {}, 0, 0, 0, 0)


def _owns(plan: Plan, partition: int, days: tuple[float, float]) -> bool:
    lo = plan.edges[partition]
    hi = plan.edges[partition + 1] - 1 if partition + 1 < plan.partitions else plan.last_day
    return days[0] <= hi and lo <= days[1]


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 2))


__all__ = ["DistributedProgress", "LocalStart", "available", "client_for", "default_workers", "run_on_dask"]
