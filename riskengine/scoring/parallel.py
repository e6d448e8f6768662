"""A reader process beside the caller: ``produced_elsewhere``.

``riskengine score`` and ``brief`` on big files (``stream.prepared_from_files``), and a backtest
when Dask is not installed, read, validate, order and project the next chunk in a process of
their own while this one matches and scores the last one: the work is split where it is cheapest
to cut, and only facts and small records cross the pipe, once.

Backtests on more than one worker run on Dask (``riskengine.scoring.distributed``). The pool of
matching processes that split the *rules* between them (``score_parallel``, ``match_parallel``)
is gone: on the 1M feed a local Dask cluster of two workers took 49 s of wall time where the
reader process took 68 s and one process 83 s, and it goes on to more workers and machines
(docs/BENCHMARKS.md, "Dask").
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import queue
import site
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from riskengine.core import errors
from riskengine.core.errors import EngineError
from riskengine.scoring.facts import fan_out, share_identical_rules

# ---------------------------------------------------------------------------------------------
# Errors across processes: the typed errors' constructors take their issues, which an
# exception's default pickling would not pass back. Dask's tasks use these too.


def error_payload(error: BaseException) -> tuple[Any, ...]:
    if isinstance(error, errors.InputError):
        return ("input", type(error).__name__, error.issues, error.summary)
    if isinstance(error, errors.RiskEngineError):
        return ("engine", type(error).__name__, str(error))
    return ("bug", type(error).__name__, str(error))


def raise_payload(payload: tuple[Any, ...], where: str) -> None:
    kind, name = payload[0], payload[1]
    cls = getattr(errors, name, None)
    if kind == "input" and isinstance(cls, type) and issubclass(cls, errors.InputError):
        raise cls(payload[2], payload[3])
    if kind == "engine" and isinstance(cls, type) and issubclass(cls, errors.RiskEngineError) and not issubclass(cls, errors.InputError):
        raise cls(payload[2])
    raise EngineError(f"{where} failed: {name}: {payload[2]}")


def _context() -> Any:  # Any: BaseContext lacks .Process in the stubs
    """forkserver where there is one, else spawn: never fork. The caller is not single-threaded
    wherever it matters: a backtest that went to Dask and came back to one process (invalid
    input) still runs Dask's offload thread, a test run the threads of a Dask cluster, a
    notebook its kernel's, a service its request threads. A child forked then inherits every
    lock another thread held at that moment (logging's, the import lock, the allocator's, a C
    extension's) with nobody left to release it, and can hang; Python 3.12+ warns of it. The
    fork server is a single-threaded process started for it, so its children inherit no other
    thread's lock. It costs the server's start and its imports of the reader's modules, once
    per caller and mostly while the caller loads its pack (``start_reader_server``; figures in
    docs/BENCHMARKS.md, "Session 20: the reader process's start method")."""
    return mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")


# What the fork server imports before it forks the first reader: the reader's modules, once per
# caller rather than once per reader (a brief reads its files twice: the week, then the history).
READER_MODULES = ("riskengine.scoring.parallel", "riskengine.scoring.reader")


def start_reader_server() -> None:
    """Start the fork server now, so that it imports the reader's modules while the caller does
    its own serial work (loads the rule pack, finds the latest week): a reader forked from it
    starts with them imported. Where the server would import another riskengine than the
    caller's, it imports nothing and each reader imports its own. Idempotent."""
    if _context().get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    if server_imports_ours(Path.cwd(), os.environ.get("PYTHONPATH", "")):
        forkserver.set_forkserver_preload(list(READER_MODULES))  # no effect once it runs (Dask's)
    forkserver.ensure_running()


def server_imports_ours(cwd: Path, pythonpath: str) -> bool:
    """Whether a fork server started now would import this riskengine.

    Python 3.11 to 3.13's fork server starts as ``python -c``, with the current folder, then
    PYTHONPATH, then the installation's packages on its path, whatever the caller's path is
    (its ``sys_path`` argument is ignored): a checkout in the current folder, or one the caller
    put on its path at run time, would have it preload another riskengine than the one the
    reader is meant to run."""
    if sys.flags.isolated or sys.flags.safe_path or sys.flags.ignore_environment:
        return False  # the server gets these flags too; not worth reasoning about
    ours = Path(__file__).resolve().parents[2]  # the folder holding riskengine/
    for entry in [str(cwd), *pythonpath.split(os.pathsep)]:
        if entry and (Path(entry) / "riskengine" / "__init__.py").is_file():
            return Path(entry).resolve() == ours
    # Not there: the server finds the installed riskengine (site-packages, or an editable
    # install's finder), as the caller did unless a folder on its path gave it this one.
    on_path = {Path(entry or cwd).resolve() for entry in sys.path}
    installed = {Path(entry).resolve() for entry in (*site.getsitepackages(), site.getusersitepackages())}
    return ours not in on_path or ours in installed


@contextlib.contextmanager
def main_module_hidden() -> Iterator[None]:
    """Start processes without the caller's script in them.

    A process started by a fork server or spawned runs the caller's main script again (to
    find what it defines) unless the script is a package's ``__main__``: a script calling
    ``score_files`` or ``backtest_files`` without an ``if __name__ == "__main__"`` guard would
    run itself in the child. What the children run is riskengine's and needs nothing from it."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved: dict[str, Any] = {name: main.__dict__[name] for name in ("__spec__", "__file__") if name in main.__dict__}
    main.__dict__["__spec__"] = None
    main.__dict__.pop("__file__", None)
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def produced_elsewhere(produce: Callable[..., Iterable[Any]], args: tuple[Any, ...]) -> Iterator[Any]:
    """The items of ``produce(*args)``, made in a child process while the caller works on the
    previous one.

    The child runs at most ``PRODUCE_AHEAD`` items ahead: it stops making more while the caller
    has not taken them, so memory holds a handful of items. A failure in the child is raised
    here as the same typed error (an EventError with its issues, say). If the caller stops
    early, the pipe closes and the child stops at its next item. ``produce`` and ``args`` are
    pickled to the child: a function of an importable module, and picklable arguments.
    """
    context = _context()
    start_reader_server()
    receiver, sender = context.Pipe(duplex=False)
    proc = context.Process(target=_produce, args=(sender, produce, args), daemon=True)
    with main_module_hidden():
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
                raise_payload(payload, "reading process")
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
    item goes on while the caller has not yet taken the last ones. The child holds only its
    own end of the pipe (it is not forked from the caller): when the caller stops reading, the
    next write fails and the child stops (a forked child that held the caller's end too kept
    the pipe open and blocked on it until the caller killed it, five seconds later)."""
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
            put(pickle.dumps(("error", error_payload(error)), pickle.HIGHEST_PROTOCOL))
    finally:
        put(None)
        sender.join()
        conn.close()


__all__ = [
    "READER_MODULES", "error_payload", "fan_out", "main_module_hidden", "produced_elsewhere", "raise_payload", "server_imports_ours", "share_identical_rules",
    "start_reader_server",
]
