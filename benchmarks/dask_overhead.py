"""Where a Dask backtest's CPU goes beyond one process's: process by process, thread by thread.

    python benchmarks/dask_overhead.py --feed events-1m.jsonl                    # two workers, then one process
    python benchmarks/dask_overhead.py --feed events-1m.jsonl --root /tmp/old --root .   # side by side
    python benchmarks/dask_overhead.py --feed events-100k.jsonl --repeat 3 --timeout 300

Every run is a fresh Python process (``--child``) killed after ``--timeout`` seconds, and the
child also stops itself (``faulthandler``) a little before, printing where it hung: an earlier
script that measured a cluster from outside hung when its workers never joined. Nothing here
adopts or reaps processes: the child reads the CPU times of the processes it started
(``psutil``) while they are alive, just before the cluster closes, and of its own threads.

Printed per run, CPU seconds:

* the caller: imports, loading and compiling the packs, starting the cluster, its main thread
  while the backtest runs (planning, waiting for futures), its event-loop thread (the
  scheduler, the client and the nannies all run on it), writing the CSV;
* the fork server (it imports Dask and the tasks' modules once; workers are forked from it);
* each worker: its task thread (Dask's own account: the read and score tasks' thread CPU) and
  the rest of the process (its event loop: messages, transfers, heartbeats);
* bytes the workers sent each other (Dask's ``transfer_outgoing_bytes_total``);
* the same backtest in one process (``one``), as the reference.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FIRST, LAST = "2022-W08", "2025-W27"


def _by_name(threads: dict[str, float]) -> dict[str, float]:
    import re

    named: dict[str, float] = defaultdict(float)
    for name, cpu in threads.items():
        if "Dask-Default-Threads" not in name:
            named[re.sub(r"[-_ ]?\d+", "", name) or "unnamed"] += cpu
    return dict(named)


def _worker_probe(dask_worker: Any = None) -> dict[str, Any]:
    """In a worker: its CPU by thread, and Dask's thread-CPU of each task kind."""
    import threading

    import psutil

    me = psutil.Process()
    names = {t.native_id: t.name for t in threading.enumerate()}
    threads = {names.get(t.id, str(t.id)): t.user_time + t.system_time for t in me.threads()}
    tasks: dict[str, float] = defaultdict(float)
    for key, value in (getattr(dask_worker, "digests_total", None) or {}).items():
        if isinstance(key, tuple) and len(key) == 5 and key[0] == "execute" and key[3] == "thread-cpu":
            tasks[str(key[2])] += value
    cpu = me.cpu_times()
    return {
        "cpu": cpu.user + cpu.system,
        "task_thread": sum(v for k, v in threads.items() if "Dask-Default-Threads" in k),
        # the rest by thread name, numbers dropped (the event loop, offloading, the nanny's watch)
        "threads": _by_name(threads),
        "tasks": dict(tasks),
        "sent": getattr(dask_worker, "transfer_outgoing_bytes_total", 0),
        "modules": len(sys.modules),
    }


def child(feed: str, workers: int, root: str) -> dict[str, Any]:
    """One backtest in this fresh process; its CPU split as the module docstring says."""
    sys.path.insert(0, root)
    started = time.process_time()
    import hashlib
    import threading

    import psutil

    from riskengine.cli.backtest import render_csv
    from riskengine.core.windows import parse_week
    from riskengine.scoring import backtest as bt

    marks: dict[str, float] = {"imports": time.process_time() - started}
    me = psutil.Process()
    seen: dict[str, Any] = {}

    def threads() -> dict[str, float]:
        names = {t.native_id: t.name for t in threading.enumerate()}
        return {names.get(t.id, str(t.id)): t.user_time + t.system_time for t in me.threads()}

    def children() -> dict[str, float]:
        out: dict[str, float] = {}
        for proc in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                cpu = proc.cpu_times()
                line = " ".join(proc.cmdline())
                # workers are forked from the fork server and keep its command line: they are
                # the fork server's children, measured from inside (_worker_probe)
                if proc.ppid() != me.pid:
                    continue
                kind = "resource tracker" if "resource_tracker" in line else "fork server" if "forkserver" in line else f"process {proc.pid}"
                out[kind] = out.get(kind, 0.0) + cpu.user + cpu.system
        return out

    if workers > 1:
        from riskengine.scoring import distributed

        original = distributed.client_for

        @contextlib.contextmanager
        def probed(count: int | None, scheduler: str | None, *started: Any) -> Any:
            seen["before_cluster"] = time.process_time()
            with original(count, scheduler, *started) as client:
                seen["cluster_up"] = time.process_time()
                seen["threads_up"] = threads()
                seen["workers_up"] = client.run(_worker_probe)
                yield client
                seen["threads_done"] = threads()
                seen["children"] = children()
                seen["workers"] = client.run(_worker_probe)
                seen["run_done"] = time.process_time()

        distributed.client_for = probed  # type: ignore[assignment]
    t0 = time.process_time()
    pack = bt.load_pack(None)
    compiled = bt.compile_rules(pack)
    marks["packs"] = time.process_time() - t0
    t0 = time.process_time()
    result = bt.backtest_files([feed], first=parse_week(FIRST), last=parse_week(LAST), workers=workers, pack=pack, compiled=compiled)
    marks["run"] = time.process_time() - t0
    t0 = time.process_time()
    text = render_csv(bt.to_csv_rows(result))
    marks["csv"] = time.process_time() - t0
    out: dict[str, Any] = {"marks": marks, "self": time.process_time(), "md5": hashlib.md5(text.encode()).hexdigest(), "stats": result.stats}
    if workers > 1:
        loop = {k: v for k, v in seen["threads_done"].items() if k != "MainThread"}
        out["caller_cluster_start"] = seen["cluster_up"] - seen["before_cluster"]
        out["caller_loop_thread"] = sum(loop.values())
        out["caller_threads"] = loop
        out["caller_main_during_run"] = seen["threads_done"].get("MainThread", 0.0) - seen["threads_up"].get("MainThread", 0.0)
        out["caller_after_run"] = time.process_time() - seen["run_done"] - marks["csv"]  # closing the cluster
        out["children"] = seen["children"]
        out["workers"] = list(seen["workers"].values())
        out["workers_at_start"] = [w["cpu"] for w in seen["workers_up"].values()]
    return out


def run_child(feed: str, workers: int, root: str, timeout: float) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": root, "PYTHONFAULTHANDLER": "1"}
    command = [
        sys.executable,
        "-c",
        f"import faulthandler, sys; faulthandler.dump_traceback_later({timeout - 10:.0f}, exit=True); sys.argv = {['x', '--child', feed, str(workers), root]!r}; sys.path.insert(0, {str(Path(__file__).parent)!r}); import dask_overhead; dask_overhead.main()",
    ]
    # run in the checkout: ``-c`` puts the current folder first on the path, and the fork server
    # (which imports riskengine for the workers) starts with the caller's path
    done = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True, timeout=timeout, check=False, start_new_session=True)
    if done.returncode:
        raise SystemExit(f"run failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def breakdown(run: dict[str, Any]) -> dict[str, float]:
    """CPU seconds by where they were spent (two-worker runs) or the whole (one process)."""
    marks = run["marks"]
    parts = {"caller: imports": marks["imports"], "caller: packs": marks["packs"]}
    if "workers" not in run:
        parts["one process: backtest"] = marks["run"]
        parts["caller: csv"] = marks["csv"]
        return parts
    parts["caller: starting the cluster"] = run["caller_cluster_start"]
    parts["caller: main thread while running"] = run["caller_main_during_run"]
    parts["caller: event loop (scheduler, client, nannies)"] = run["caller_loop_thread"]
    parts["caller: closing the cluster"] = run["caller_after_run"]
    parts["caller: csv"] = marks["csv"]
    for kind, cpu in sorted(run["children"].items()):
        if not kind.startswith("process "):
            parts[kind] = cpu
    workers = run["workers"]
    parts["workers: start"] = sum(run["workers_at_start"])
    for kind in sorted({k for w in workers for k in w["tasks"]}):
        parts[f"workers: task {kind}"] = sum(w["tasks"].get(kind, 0.0) for w in workers)
    parts["workers: task thread outside tasks"] = sum(w["task_thread"] - sum(w["tasks"].values()) for w in workers)
    parts["workers: other threads (event loop, transfers)"] = sum(w["cpu"] - w["task_thread"] for w in workers) - parts["workers: start"]
    return parts


def by_thread(run: dict[str, Any]) -> dict[str, float]:
    """The threads beside the tasks, by name (not added to the breakdown: they overlap it):
    the caller's event loop and pools, each worker's event loop, offload pool and watches."""
    out: dict[str, float] = {}
    for name, cpu in sorted(_by_name(run.get("caller_threads", {})).items()):
        out[f"caller thread {name}"] = cpu
    workers = run.get("workers", [])
    for name in sorted({k for w in workers for k in w.get("threads", {})}):
        out[f"workers thread {name} (their start included)"] = sum(w.get("threads", {}).get(name, 0.0) for w in workers)
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        feed, workers, root = argv[1], int(argv[2]), argv[3]
        print(json.dumps(child(feed, workers, root)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", required=True)
    parser.add_argument("--root", action="append", help="riskengine checkouts to measure, taking turns (default: this one)")
    parser.add_argument("--workers", default="2,1", help="worker counts to run (1: one process)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run is killed")
    parser.add_argument("--json", help="write every run's figures here")
    args = parser.parse_args(argv)
    roots = [str(Path(r).resolve()) for r in (args.root or [str(REPO)])]
    args.feed = str(Path(args.feed).resolve())
    counts = [int(n) for n in args.workers.split(",")]
    runs: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    print(f"feed {args.feed}, load {os.getloadavg()[0]:.2f}", flush=True)
    for _ in range(args.repeat):
        for root in roots:
            for n in counts:
                run = run_child(args.feed, n, root, args.timeout)
                parts = breakdown(run)
                run["parts"] = parts
                runs[(root, n)].append(run)
                print(f"{root} workers={n}: {sum(parts.values()):.1f} CPU-s  md5 {run['md5'][:8]}  load {os.getloadavg()[0]:.2f}", flush=True)
    print()
    for (root, n), found in runs.items():
        total = statistics.median(sum(r["parts"].values()) for r in found)
        print(
            f"== {root}, {'one process' if n == 1 else f'{n} workers'}: {total:.1f} CPU-s median of {len(found)} {[round(sum(r['parts'].values()), 1) for r in found]}"
        )
        for name in found[0]["parts"]:
            print(f"   {name:<50} {statistics.median(r['parts'].get(name, 0.0) for r in found):7.2f}")
        if n > 1:
            for name in by_thread(found[0]):
                print(f"   {'  ' + name:<50} {statistics.median(by_thread(r).get(name, 0.0) for r in found):7.2f}")
            sent = statistics.median(sum(w["sent"] for w in r["workers"]) for r in found)
            print(f"   {'bytes sent between workers':<50} {sent / 2**20:7.1f} MB")
        print(f"   md5 {sorted({r['md5'] for r in found})}")
    if args.json:
        Path(args.json).write_text(json.dumps({f"{root}|{n}": found for (root, n), found in runs.items()}, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
