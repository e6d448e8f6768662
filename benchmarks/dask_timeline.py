"""Where the wall time of a backtest on local Dask workers goes: a timeline of one run.

    python benchmarks/dask_timeline.py                         # the cached 1M feed, 2 workers
    python benchmarks/dask_timeline.py --feed F.jsonl --workers 2 --repeat 3 --json out.json

Runs ``backtest_files(workers=N)`` as ``riskengine backtest --workers N`` does (the local
cluster started by riskengine, not by the benchmark), in a fresh process, and stamps (wall
clock): the process start, the imports, each step in the caller (rule pack, split, cluster
start, the job sent, the blocks' first days, the plan, the tasks, the merge, the CSV, the
cluster's shutdown) and, from Dask's task stream, each task's start and end on its worker.
Prints the timeline, each worker's busy and idle time between the cluster being up and the
last task ending, and what the caller did while no task ran. On a machine shared with other
jobs, an idle gap can be a neighbour's: the load is printed beside.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

REPO = Path(__file__).resolve().parent.parent
FIRST, LAST = "2022-W08", "2025-W27"


def child(feed: str, workers: int, root: str) -> dict[str, Any]:
    import psutil

    born = psutil.Process().create_time()
    stamps: list[tuple[float, str]] = [(born, "process start")]

    def stamp(label: str) -> None:
        stamps.append((time.time(), label))

    sys.path.insert(0, root)
    stamp("imports begin")
    import distributed as _dask  # noqa: F401 - imported as the CLI would, by riskengine.scoring.distributed

    from riskengine.cli.backtest import render_csv
    from riskengine.core.windows import parse_week
    from riskengine.scoring import backtest as bt
    from riskengine.scoring import distributed, partition

    stamp("imports end")

    def timed(module: Any, name: str, label: str) -> None:
        original = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            stamp(f"{label} begin")
            try:
                return original(*args, **kwargs)
            finally:
                stamp(f"{label} end")

        setattr(module, name, wrapper)

    timed(bt, "load_pack", "rule pack")
    timed(bt, "compile_rules", "compile")
    timed(partition, "split_input", "split")
    for name, label in (("make_plan", "plan"), ("merge", "merge")):
        if hasattr(distributed, name):
            timed(distributed, name, label)
    timed(distributed._Run, "go", "tasks")
    timed(bt, "_result", "series")
    for name, label in (("_block_done", "read done"), ("_part_done", "scored")):
        original_done = getattr(distributed._Run, name)

        def done(self: Any, n: int, value: Any, _original: Any = original_done, _label: str = label) -> None:
            stamp(f"  {_label} {n}")
            _original(self, n, value)

        setattr(distributed._Run, name, done)
    records: list[dict[str, Any]] = []
    worker_born: dict[str, float] = {}
    original_client_for = distributed.client_for

    @contextlib.contextmanager
    def client_for(*args: Any, **kwargs: Any) -> Iterator[Any]:
        stamp("cluster start begin")
        with original_client_for(*args, **kwargs) as client:
            stamp("cluster start end")
            client.get_task_stream()  # starts the scheduler's task-stream plugin
            worker_born.update(client.run(lambda: __import__("psutil").Process().create_time()))
            original_scatter, original_gather = client.scatter, client.gather

            def scatter(*a: Any, **k: Any) -> Any:
                stamp("scatter begin")
                try:
                    return original_scatter(*a, **k)
                finally:
                    stamp("scatter end")

            def gather(*a: Any, **k: Any) -> Any:
                stamp("gather begin")
                try:
                    return original_gather(*a, **k)
                finally:
                    stamp("gather end")

            original_submit = client.submit

            def submit(function: Any, *a: Any, **k: Any) -> Any:
                name = getattr(function, "__name__", "")
                if name in ("_read", "_score"):
                    # a block's index, or a partition's
                    stamp(f"  submit {name.lstrip('_')} {a[0].index if name == '_read' else a[0]}")
                return original_submit(function, *a, **k)

            client.scatter, client.gather, client.submit = scatter, gather, submit
            try:
                yield client
            finally:
                stamp("collect task stream")
                records.extend(client.get_task_stream())
                stamp("cluster close begin")
        stamp("cluster close end")

    distributed.client_for = client_for
    if hasattr(distributed, "LocalStart"):
        # the local cluster started in a thread while the caller loads the pack (session 19)
        original_start = distributed.LocalStart._start

        def started(self: Any, *a: Any, _original: Any = original_start) -> None:
            stamp("cluster starting (thread)")
            try:
                _original(self, *a)
            finally:
                stamp("cluster up (thread)")

        distributed.LocalStart._start = started
    stamp("backtest begin")
    result = bt.backtest_files([feed], first=parse_week(FIRST), last=parse_week(LAST), workers=workers)
    stamp("backtest end")
    text = render_csv(bt.to_csv_rows(result))
    stamp("csv rendered")
    digest = hashlib.md5(text.encode()).hexdigest()
    tasks = []
    for record in records:
        for part in record.get("startstops", ()):
            tasks.append({"worker": record["worker"], "key": str(record["key"]), "action": part["action"], "start": part["start"], "stop": part["stop"]})
    return {
        "stamps": stamps,
        "tasks": tasks,
        "worker_born": worker_born,
        "events": result.events_read,
        "md5": digest,
        "stats": dict(result.stats),
        "load": os.getloadavg()[0],
    }


def _name(key: str) -> str:
    for prefix in ("_read", "_info", "_piece", "_score", "_first_day", "_usage"):
        if prefix in key:
            return prefix.lstrip("_")
    return key[:20]


def report(run: dict[str, Any], exited: float, started: float) -> dict[str, float]:
    stamps = sorted(run["stamps"])
    t0 = stamps[0][0]
    print(f"  parent spawned child at {started - t0:+.2f}; child exited at {exited - t0:.2f} s; load {run['load']:.2f}; CSV md5 {run['md5'][:8]}")
    for t, label in stamps:
        print(f"  {t - t0:7.2f}  {label}")
    lanes: dict[str, list[dict[str, Any]]] = {}
    for task in run["tasks"]:
        if task["action"] == "compute":
            lanes.setdefault(task["worker"], []).append(task)
    at = {label: t for t, label in stamps}
    up, go_end = at["cluster start end"], at.get("tasks end", at["backtest end"])
    figures = {
        "total": exited - t0,
        "to_backtest": at["backtest begin"] - t0,
        "cluster_start": up - at["cluster start begin"],
        "cluster_close": at["cluster close end"] - at["cluster close begin"],
    }
    busy_all = 0.0
    for worker, tasks in sorted(lanes.items()):
        tasks.sort(key=lambda x: x["start"])
        busy = sum(x["stop"] - x["start"] for x in tasks)
        busy_all += busy
        first, last = tasks[0]["start"], max(x["stop"] for x in tasks)
        kinds: dict[str, float] = {}
        for x in tasks:
            kinds[_name(x["key"])] = kinds.get(_name(x["key"]), 0.0) + x["stop"] - x["start"]
        gaps = []
        previous = up
        for x in tasks:
            if x["start"] - previous > 0.05:
                gaps.append((previous - t0, x["start"] - previous))
            previous = max(previous, x["stop"])
        born = run["worker_born"].get(worker)
        print(
            f"  worker {worker}: born {born - t0 if born else float('nan'):.2f}, first task {first - t0:.2f}, last end {last - t0:.2f}, busy {busy:.2f} s"
            f" ({', '.join(f'{k} {v:.2f}' for k, v in sorted(kinds.items()))}), idle after cluster up {last - up - busy:.2f} s, tail to tasks end {go_end - last:.2f} s"
        )
        print("     gaps over 50 ms (at, length): " + ", ".join(f"{a:.2f}+{g:.2f}" for a, g in gaps))
        for x in tasks:
            if _name(x["key"]) in ("read", "score"):
                print(f"       {_name(x['key']):>5} {x['start'] - t0:6.2f}-{x['stop'] - t0:6.2f} ({x['stop'] - x['start']:.2f}) {x['key'][-12:]}")
    # how long 0, 1, 2... workers were running a task, from the first task's start to the last's end
    computes = [x for x in run["tasks"] if x["action"] == "compute"]
    edges = sorted([(x["start"], 1) for x in computes] + [(x["stop"], -1) for x in computes])
    running, previous, spans = 0, edges[0][0], [0.0] * (len(lanes) + 1)
    for t, change in edges:
        spans[min(running, len(lanes))] += t - previous
        previous, running = t, running + change
    print("  workers running a task at once: " + ", ".join(f"{n}: {s:.1f} s" for n, s in enumerate(spans)))
    for n, s in enumerate(spans):
        figures[f"running_{n}"] = s
    figures["busy"] = busy_all
    figures["tasks_span"] = go_end - up
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", help="a JSON Lines feed (default: the cached generated 1M feed, seed 7)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--root", default=str(REPO), help="the riskengine checkout to run")
    parser.add_argument("--json", help="write the runs here too")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    feed = Path(args.feed) if args.feed else generate.cached(generate.parse_size("1m"), 7)
    if args.child:
        print(json.dumps(child(str(feed), args.workers, args.root)))
        return 0
    env = {**os.environ, "PYTHONPATH": args.root}
    runs = []
    for _ in range(args.repeat):
        started = time.time()
        command = [sys.executable, str(Path(__file__).resolve()), "--child", "--feed", str(feed.resolve()), "--workers", str(args.workers), "--root", args.root]
        done = subprocess.run(command, env=env, cwd=args.root, capture_output=True, text=True, check=False)
        exited = time.time()
        if done.returncode:
            raise SystemExit(done.stderr[-3000:])
        run = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"run {len(runs) + 1} ({args.root}):")
        run["figures"] = report(run, exited, started)
        runs.append(run)
    keys = runs[0]["figures"].keys()
    print("medians: " + ", ".join(f"{k} {statistics.median(r['figures'][k] for r in runs):.2f}" for k in keys))
    if args.json:
        Path(args.json).write_text(json.dumps(runs) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
