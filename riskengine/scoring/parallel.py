"""Matching and scoring on several cores.

durable-rules is not thread-safe, and Python threads would not run it in parallel anyway, so each
worker is a process with its own matcher. What is split is the *rule set*, not the stream: a
pattern rule lives in exactly one worker, which sees every fact in date order, so its windows and
retention work exactly as in one process. Identical rules of different packs are matched once
(``share_identical_rules``) and their firings copied to every id.

* ``produced_elsewhere`` (what ``riskengine backtest`` uses on big files): a reader process
  reads, validates, orders and projects the next chunk while the main process matches and
  scores the last one. It splits the work where it is cheapest to cut: only facts and small
  records cross the pipe, once.
* ``score_parallel`` (``stream.run_scorer`` with ``workers`` > 1, for events already in
  memory): the main process projects events while the workers match their rules *and score
  their own firings* into weekly totals. Totals are integers (points in units of 1e-4), so merging them at the end is
  exact, and firings, which outnumber events ten to one on a dense feed, never cross a pipe.
* ``match_parallel``: a drop-in for ``facts.match_stream`` that brings the firings back, for
  callers that need them.

When it pays (docs/BENCHMARKS.md): feeds of tens of thousands of events and more, where matching
and scoring cost as much as reading. Below that, starting the workers costs more than it saves,
and ``riskengine.scoring.reader.choose_workers`` stays in one process.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import pickle
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any

from riskengine.core import errors
from riskengine.core.errors import EngineError
from riskengine.core.events import Event
from riskengine.rules.ir import CompiledRule, CompiledRuleSet, Firing
from riskengine.scoring.facts import fan_out, match_stream, projector, share_identical_rules
from riskengine.scoring.scorer import Scorer, last_day_of

# Chunks handed to the workers before the oldest one's firings are waited for: enough to keep
# both sides busy, few enough that memory stays a handful of chunks.
IN_FLIGHT = 3


def split_rules(compiled: CompiledRuleSet, parts: int) -> list[CompiledRuleSet]:
    """``parts`` rule sets that together hold every rule once, balanced by a rough cost.

    A pattern rule costs far more than a single-event rule (joins, retained facts, firings), and
    more the more legs it has; rules are dealt largest first to the lightest part. Deterministic:
    the same rules always split the same way.
    """
    if parts < 1:
        raise ValueError("parts must be at least 1")

    def cost(rule: CompiledRule) -> int:
        return 1 if not rule.is_pattern else 20 * len(rule.patterns)

    loads = [0] * parts
    groups: list[list[CompiledRule]] = [[] for _ in range(parts)]
    for rule in sorted(compiled.rules, key=lambda r: (-cost(r), r.id)):
        lightest = min(range(parts), key=lambda i: (loads[i], i))
        groups[lightest].append(rule)
        loads[lightest] += cost(rule)
    return [CompiledRuleSet(tuple(sorted(g, key=lambda r: r.id)), fields=compiled.fields) for g in groups if g]


def _error_payload(error: BaseException) -> tuple[Any, ...]:
    if isinstance(error, errors.InputError):
        return ("input", type(error).__name__, error.issues, error.summary)
    if isinstance(error, errors.RiskEngineError):
        return ("engine", type(error).__name__, str(error))
    return ("bug", type(error).__name__, str(error))


def _raise_payload(payload: tuple[Any, ...], worker: int) -> None:
    kind, name = payload[0], payload[1]
    cls = getattr(errors, name, None)
    if kind == "input" and isinstance(cls, type) and issubclass(cls, errors.InputError):
        raise cls(payload[2], payload[3])
    if kind == "engine" and isinstance(cls, type) and issubclass(cls, errors.RiskEngineError) and not issubclass(cls, errors.InputError):
        raise cls(payload[2])
    raise EngineError(f"matching worker {worker} failed: {name}: {payload[2]}")


def _serve(conn: Connection, setup: Callable[[contextlib.ExitStack], Callable[[Any], Any]]) -> None:
    """A worker's loop: ``setup`` builds the handler (a matcher, a scorer), then every message
    is answered with ``handler(message)``. Any failure, in setup too, goes back to the main
    process, which raises it there."""
    try:
        with contextlib.ExitStack() as stack:
            handle = setup(stack)
            while True:
                message = conn.recv_bytes()
                if not message:
                    break
                reply = handle(pickle.loads(message))
                conn.send_bytes(pickle.dumps(("ok", reply), pickle.HIGHEST_PROTOCOL))
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        return
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the main process
        with contextlib.suppress(OSError, pickle.PicklingError):
            conn.send_bytes(pickle.dumps(("error", _error_payload(error)), pickle.HIGHEST_PROTOCOL))
    finally:
        conn.close()


def _match_worker(conn: Connection, compiled: CompiledRuleSet, engine: str, batch_size: int) -> None:
    """Match every chunk of facts sent; answer with its firings."""

    def setup(stack: contextlib.ExitStack) -> Callable[[Any], Any]:
        from riskengine.engine.matching import open_matcher

        matcher = stack.enter_context(open_matcher(compiled, engine=engine, batch_size=batch_size))  # type: ignore[arg-type]
        return lambda facts: [(f.rule_id, f.event_ids) for f in matcher.feed(facts)]

    _serve(conn, setup)


def _score_worker(
    conn: Connection,
    compiled: CompiledRuleSet,
    groups: Any,
    settings: tuple[Any, ...],
    engine: str,
    batch_size: int,
    names: tuple[str, ...] | None = None,
) -> None:
    """Match and score: answer each chunk with how many firings it scored, and ``finish`` with
    the totals. Firings never leave the worker."""

    def setup(stack: contextlib.ExitStack) -> Callable[[Any], Any]:
        from riskengine.engine.matching import open_matcher

        scorer = Scorer(groups, *settings)
        matcher = stack.enter_context(open_matcher(compiled, engine=engine, batch_size=batch_size))  # type: ignore[arg-type]

        def handle(message: tuple[str, Any]) -> Any:
            kind, payload = message
            if kind == "finish":
                totals = scorer.totals_now()
                return dict(totals.points), dict(totals.relief), dict(totals.firings), scorer.fired, len(scorer.records)
            facts, records = payload
            scorer.add(records)
            fired = scorer.score(matcher.feed_by_rule(facts) if names is None else matcher.feed_rows_by_rule(names, facts))
            if records:
                scorer.evict(last_day_of(records))
            return fired

        return handle

    _serve(conn, setup)


class _Pool:
    """The worker processes and their pipes; closed for sure, even on error or early exit.

    Facts go out through one sender thread per worker. Were the main thread to write them
    itself, it could block on a full pipe to a worker that is itself blocked writing the
    firings of an earlier chunk back to a main thread not reading yet: both would wait forever.
    """

    def __init__(self, target: Any, args: Sequence[tuple[Any, ...]]) -> None:
        # fork where there is one: a spawned child re-imports the caller's main module, which
        # breaks any script without an ``if __name__ == "__main__"`` guard. A forked child
        # leaves the parent's durable-rules state alone (it builds its own matcher, and exits
        # through os._exit, so no finalizer of the parent's copy runs). Workers are forked
        # before any sender thread starts.
        context = _context()
        self.conns: list[Connection] = []
        self.procs: list[Any] = []
        self.outboxes: list[queue.SimpleQueue[bytes | None]] = []
        self.senders: list[threading.Thread] = []
        self.send_errors: list[int] = []
        try:
            for worker_args in args:
                parent, child = context.Pipe()
                proc = context.Process(target=target, args=(child, *worker_args), daemon=True)
                proc.start()
                child.close()
                self.conns.append(parent)
                self.procs.append(proc)
            for i, conn in enumerate(self.conns):
                outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
                sender = threading.Thread(target=self._send_loop, args=(i, conn, outbox), daemon=True)
                sender.start()
                self.outboxes.append(outbox)
                self.senders.append(sender)
        except BaseException:
            self.close()
            raise

    def _send_loop(self, i: int, conn: Connection, outbox: queue.SimpleQueue[bytes | None]) -> None:
        while True:
            message = outbox.get()
            if message is None:
                return
            try:
                conn.send_bytes(message)
            except OSError:  # the worker is gone; receive() says so
                self.send_errors.append(i)
                return

    def send(self, message: Any) -> None:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        for outbox in self.outboxes:
            outbox.put(data)

    def receive(self) -> list[Any]:
        """One reply from every worker, in worker order."""
        replies = []
        for i, conn in enumerate(self.conns):
            try:
                status, payload = pickle.loads(conn.recv_bytes())
            except (EOFError, OSError):
                self._died(i)
            if status == "error":
                _raise_payload(payload, i)
            replies.append(payload)
        return replies

    def _died(self, i: int) -> None:
        proc = self.procs[i]
        proc.join(timeout=1)
        raise EngineError(f"matching worker {i} stopped unexpectedly (exit code {proc.exitcode})")

    def close(self) -> None:
        for outbox in self.outboxes:
            outbox.put(b"")  # tells the worker to finish
            outbox.put(None)  # and the sender thread
        for sender in self.senders:
            sender.join(timeout=5)
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        for conn in self.conns:
            conn.close()
        self.conns, self.procs, self.outboxes, self.senders = [], [], [], []


def _context() -> Any:  # Any: BaseContext lacks .Process in the stubs
    """fork where there is one (see _Pool), else spawn."""
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def produced_elsewhere(produce: Callable[..., Iterable[Any]], args: tuple[Any, ...]) -> Iterator[Any]:
    """The items of ``produce(*args)``, made in a child process while the caller works on the
    previous one.

    The child runs at most ``PRODUCE_AHEAD`` items ahead: it stops making more while the caller
    has not taken them, so memory holds a handful of items. A failure in the child is raised
    here as the same typed error (an EventError with its issues, say). If the caller stops
    early, the pipe closes and the child stops at its next item. ``produce`` and ``args`` must pickle where
    processes are spawned rather than forked.
    """
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    proc = context.Process(target=_produce, args=(sender, produce, args), daemon=True)
    proc.start()
    sender.close()
    try:
        while True:
            try:
                status, payload = pickle.loads(receiver.recv_bytes())
            except (EOFError, OSError):
                proc.join(timeout=1)
                raise EngineError(f"reading process stopped unexpectedly (exit code {proc.exitcode})") from None
            if status == "item":
                yield payload
            elif status == "end":
                return
            else:
                _raise_payload(payload, 0)
    finally:
        receiver.close()
        proc.join(timeout=5)
        if proc.is_alive():
            proc.terminate()
            proc.join(timeout=5)


# Items a reader process may have made before the caller takes them. One was not enough: the
# reader stood idle while the caller worked through a heavy chunk, then the caller waited while
# the reader worked through a heavy one; a few in hand even that out.
PRODUCE_AHEAD = 4


def _produce(conn: Connection, produce: Callable[..., Iterable[Any]], args: tuple[Any, ...]) -> None:
    """Run in the child: pickle each item and leave it to a sender thread, so making the next
    item goes on while the caller has not yet taken the last ones."""
    outbox: queue.Queue[bytes | None] = queue.Queue(maxsize=PRODUCE_AHEAD)
    broken = threading.Event()

    def send_loop() -> None:
        while (data := outbox.get()) is not None:
            try:
                conn.send_bytes(data)
            except OSError:  # the caller stopped reading
                broken.set()
                return

    def put(data: bytes | None) -> bool:
        while not broken.is_set():
            try:
                outbox.put(data, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    sender = threading.Thread(target=send_loop, daemon=True)
    sender.start()
    try:
        for item in produce(*args):
            if not put(pickle.dumps(("item", item), pickle.HIGHEST_PROTOCOL)):
                return
        put(pickle.dumps(("end", None), pickle.HIGHEST_PROTOCOL))
    except KeyboardInterrupt:
        return
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the caller
        with contextlib.suppress(pickle.PicklingError):
            put(pickle.dumps(("error", _error_payload(error)), pickle.HIGHEST_PROTOCOL))
    finally:
        put(None)
        sender.join()
        conn.close()


def match_parallel(
    chunks: Iterable[Sequence[Event]],
    compiled: CompiledRuleSet,
    *,
    engine: str = "durable",
    workers: int = 2,
    batch_size: int = 5000,
    share: bool = True,
) -> Iterator[tuple[Sequence[Event], list[Firing]]]:
    """``pipeline.match_stream`` on ``workers`` processes: each chunk with the firings it
    completed, in input order. Identical rules are matched once (``share_identical_rules``)
    unless ``share`` is false (the caller has done it). With one worker or one rule it runs in
    this process."""
    if share:
        compiled, fanout = share_identical_rules(compiled)
    else:
        fanout = {}
    parts = split_rules(compiled, max(1, workers))
    if len(parts) < 2:
        for chunk, firings in match_stream(chunks, compiled, engine=engine, batch_size=batch_size, share=False):
            yield chunk, fan_out(firings, fanout) if fanout else firings
        return
    fact = projector(compiled.fields)
    pool = _Pool(_match_worker, [(part, engine, batch_size) for part in parts])
    pending: deque[Sequence[Event]] = deque()

    def gathered() -> list[Firing]:
        found = sorted((rule_id, tuple(ids)) for reply in pool.receive() for rule_id, ids in reply)
        out = [Firing(rule_id, ids) for rule_id, ids in found]
        return fan_out(out, fanout) if fanout else out

    try:
        for chunk in chunks:
            if not chunk:
                continue
            pool.send([fact(event) for event in chunk])
            pending.append(chunk)
            if len(pending) >= IN_FLIGHT:
                yield pending.popleft(), gathered()
        while pending:
            yield pending.popleft(), gathered()
    finally:
        pool.close()


def score_parallel(
    chunks: Iterable[tuple[Sequence[Any], Sequence[Any]]],
    compiled: CompiledRuleSet,
    scorer: Any,
    *,
    engine: str = "durable",
    workers: int = 2,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    names: Sequence[str] | None = None,
) -> dict[str, int]:
    """The backtest on ``workers`` processes: each matches its share of the rules and scores
    its own firings into weekly totals, merged into ``scorer`` at the end (the totals are
    integers, so the merge is exact). ``chunks`` holds each chunk's facts with its events'
    records; facts are dicts, or rows in the order of ``names`` when given.

    This is where a second core pays: the main process reads, validates and projects while
    the workers match and score, and only facts travel, never firings."""
    parts = split_rules(compiled, max(1, workers))
    groups = scorer.groups
    args = [
        (part, {r.id: groups[r.id] for r in part.rules}, scorer.settings(), engine, batch_size, None if names is None else tuple(names))
        for part in parts
    ]
    pool = _Pool(_score_worker, args)
    fired = pending = 0
    try:
        for facts, records in chunks:
            if not facts:
                continue
            pool.send(("chunk", (list(facts), list(records))))
            pending += 1
            if pending >= IN_FLIGHT:
                fired += sum(pool.receive())
                pending -= 1
                if progress is not None:
                    progress(scorer.fired + fired)
        while pending:
            fired += sum(pool.receive())
            pending -= 1
        pool.send(("finish", None))
        retained = 0
        for points, relief, firings, worker_fired, held in pool.receive():
            totals = type(scorer.totals)()
            totals.points.update(points)
            totals.relief.update(relief)
            totals.firings.update(firings)
            scorer.merge(totals, worker_fired)
            retained = max(retained, held)
        if progress is not None:
            progress(scorer.fired)
    finally:
        pool.close()
    return {"records_retained": retained, "workers": len(parts)}


__all__ = ["IN_FLIGHT", "fan_out", "match_parallel", "produced_elsewhere", "score_parallel", "share_identical_rules", "split_rules"]
