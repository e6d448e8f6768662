"""The backtest on Dask: 1, 2 and 4 local workers, and a simulated cluster, against one process.

    python benchmarks/dask_backtest.py                      # the cached 1M feed, 1/2/4 workers, a 3-worker cluster
    python benchmarks/dask_backtest.py --size 100k --repeat 3
    python benchmarks/dask_backtest.py --configs one,local2 --baseline-path /tmp/old-checkout
    python benchmarks/dask_backtest.py --feed /data/events-100k.jsonl --block-mb 8   # 9 blocks, not 2

Each configuration runs in a fresh Python process (``--child``), one after the other:

* ``one``: ``riskengine backtest --workers 1`` (this process only);
* ``localN``: a local Dask cluster of N single-threaded worker processes (``--workers N``);
* ``clusterN``: a simulated cluster: a ``dask scheduler`` and N ``dask worker`` processes on
  127.0.0.1, started here as separate programs, the backtest given ``--scheduler``;
* ``baseline`` (with ``--baseline-path``): ``--workers 2`` of another riskengine checkout, e.g.
  the two-process reader/matcher pipeline before Dask; ``baseline1``: its ``--workers 1``;
* ``reader``: ``--workers 2`` as where Dask is not installed: a reader process beside this one
  (``parallel.produced_elsewhere``), whose start is timed too (``first_item``: from the call to
  its first chunk); ``baselinereader``: the same in the ``--baseline-path`` checkout.

Printed per configuration (medians of ``--repeat`` runs): wall seconds, events per second of
wall time, CPU seconds of every process involved (the caller, its workers, and for a simulated
cluster the scheduler and worker programs), CPU seconds the tasks took (reading and scoring,
summed over workers), peak resident memory of each worker, the scaling efficiency
(one process's wall time / (N x this wall time)), and the MD5 of the CSV written, which must be
the same for all. On a machine shared with other jobs, compare CPU time: wall time there says
as much about the neighbours as about the code.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate
from process_tree import adopt_orphans, reap_orphans, tree_cpu

REPO = Path(__file__).resolve().parent.parent
FIRST, LAST = "2022-W08", "2025-W27"


def _workers(config: str) -> int:
    if config in ("one", "baseline1"):
        return 1
    if config in ("baseline", "reader", "baselinereader"):
        return 2
    return int(config.removeprefix("local").removeprefix("cluster"))


def child(config: str, feed: str, out: str, scheduler: str | None, root: str, block_bytes: int | None = None) -> dict[str, Any]:
    """One run in this (fresh) process; what it measured, as JSON-ready data."""
    sys.path.insert(0, root)
    from riskengine.cli.backtest import render_csv
    from riskengine.core.windows import parse_week
    from riskengine.scoring import backtest as bt

    usage: list[Any] = []
    try:
        from riskengine.scoring import distributed

        original = distributed.run_on_dask

        def spy(*args: Any, **kwargs: Any) -> Any:
            outcome = original(*args, **kwargs)
            usage.extend(outcome.usage)
            return outcome

        distributed.run_on_dask = spy  # type: ignore[assignment]
    except ImportError:  # a checkout from before Dask
        pass
    workers = _workers(config)
    first_item: list[float] = []
    if config.endswith("reader"):
        from riskengine.scoring import parallel

        bt.distributed_available = lambda: False  # type: ignore[assignment]  # as without the dask extra
        produced = parallel.produced_elsewhere

        def timed(*args: Any, **kwargs: Any) -> Any:
            called = time.perf_counter()
            items = produced(*args, **kwargs)
            for item in items:
                if not first_item:
                    first_item.append(time.perf_counter() - called)
                yield item

        parallel.produced_elsewhere = timed  # type: ignore[assignment]
    # one process (and another checkout) reads the file whole: only Dask runs are cut
    sized: dict[str, Any] = {"block_bytes": block_bytes} if block_bytes and config.startswith(("local", "cluster")) else {}
    load0 = os.getloadavg()[0]
    started, self0, kids0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    if config.startswith("local") and workers > 1 and hasattr(bt, "_start_local"):
        # as ``riskengine backtest --workers N`` runs: the local cluster started by riskengine,
        # while it loads the rule pack (session 19); before, the benchmark started it first
        result = bt.backtest_files([feed], first=parse_week(FIRST), last=parse_week(LAST), workers=workers, **sized)
    elif config.startswith("local"):
        # the local cluster backtest_files starts for --workers N, started here so that N = 1
        # runs on Dask too (backtest_files runs one worker in this process)
        from riskengine.scoring.distributed import client_for

        with client_for(workers, None) as client:
            result = bt.backtest_files([feed], first=parse_week(FIRST), last=parse_week(LAST), scheduler=client.scheduler.address, **sized)
    else:
        result = bt.backtest_files([feed], first=parse_week(FIRST), last=parse_week(LAST), **({"scheduler": scheduler} if scheduler else {"workers": workers}), **sized)
    text = render_csv(bt.to_csv_rows(result))
    wall = time.perf_counter() - started
    self1, kids1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(out).write_text(text, encoding="utf-8")

    def cpu(a: Any, b: Any) -> float:
        return (b.ru_utime - a.ru_utime) + (b.ru_stime - a.ru_stime)

    return {
        "wall": wall,
        "cpu_self": cpu(self0, self1),
        "cpu_children": cpu(kids0, kids1),  # local workers, reaped when the cluster closes
        "peak_self_kb": self1.ru_maxrss,
        "peak_children_kb": kids1.ru_maxrss,
        "workers": [{"name": name, "cpu": user + system, "peak_kb": peak} for name, user, system, peak in usage],
        "stats": dict(result.stats),
        "md5": hashlib.md5(text.encode()).hexdigest(),
        "events": result.events_read,
        "load": [round(load0, 2), round(os.getloadavg()[0], 2)],  # 1-minute load average at start and end
        "first_item": first_item[0] if first_item else None,
    }


class SimulatedCluster:
    """A dask scheduler and ``n`` dask workers on 127.0.0.1, as separate programs."""

    def __init__(self, n: int, env: dict[str, str]) -> None:
        import psutil

        dask_cli = shutil.which("dask", path=str(Path(sys.executable).parent)) or "dask"
        port = _free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self.logs = tempfile.TemporaryFile()  # noqa: SIM115 - open while the cluster runs, closed by close()
        scheduler = [dask_cli, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]
        self.procs = [subprocess.Popen(scheduler, env=env, stdout=self.logs, stderr=self.logs)]
        worker = [dask_cli, "worker", self.address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1", "--no-nanny"]
        self.procs += [subprocess.Popen(worker, env=env, stdout=self.logs, stderr=self.logs) for _ in range(n)]
        self.ps = [psutil.Process(p.pid) for p in self.procs]
        self._wait_for(n)

    def _wait_for(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(n, timeout=120)

    def cpu(self) -> float:
        return sum(t.user + t.system for t in (p.cpu_times() for p in self.ps))

    def close(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.logs.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(config: str, feed: Path, root: Path, repeat: int, block_bytes: int | None = None) -> list[dict[str, Any]]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    runs = []
    adopting = adopt_orphans()
    for _ in range(repeat):
        cluster = SimulatedCluster(int(config.removeprefix("cluster")), env) if config.startswith("cluster") else None
        try:
            before = cluster.cpu() if cluster else 0.0
            tree_before = tree_cpu()
            with tempfile.TemporaryDirectory() as folder:
                command = [sys.executable, str(Path(__file__).resolve()), "--child", config, "--feed", str(feed.resolve()), "--out", f"{folder}/out.csv", "--root", str(root)]
                if cluster:
                    command += ["--scheduler", cluster.address]
                if block_bytes:
                    command += ["--block-bytes", str(block_bytes)]
                # in the checkout measured: the fork server that local workers are forked from
                # starts as ``python -c``, with the current folder first on its path (Python 3.11
                # does not give it the caller's), so run from elsewhere its workers imported that
                # folder's riskengine, not the checkout's
                done = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True, check=False)
                if done.returncode:
                    raise SystemExit(f"{config} failed:\n{done.stderr[-3000:]}")
                measured = json.loads(done.stdout.strip().splitlines()[-1])
            if adopting:
                reap_orphans({p.pid for p in cluster.procs} if cluster else set())
            measured["cpu_tree"] = tree_cpu() - tree_before  # the run's process and all it started
            measured["cpu_cluster"] = cluster.cpu() - before if cluster else 0.0
        finally:
            if cluster:
                cluster.close()
        # what the run's own rusage sees misses workers forked by a fork server
        in_run = measured["cpu_self"] + measured["cpu_children"]
        measured["cpu_total"] = (measured["cpu_tree"] if adopting else in_run) + measured["cpu_cluster"]
        runs.append(measured)
    return runs


def summary(config: str, runs: list[dict[str, Any]], one_wall: float | None) -> dict[str, Any]:
    wall = statistics.median(r["wall"] for r in runs)
    n = _workers(config)
    peaks = [max(w["peak_kb"] for w in r["workers"]) for r in runs if r["workers"]] or [max(r["peak_self_kb"], r["peak_children_kb"]) for r in runs]
    return {
        "config": config,
        "workers": n,
        "wall": wall,
        "walls": [round(r["wall"], 2) for r in runs],
        "events_per_s": runs[0]["events"] / wall,
        "cpu": statistics.median(r["cpu_total"] for r in runs),
        "cpus": [round(r["cpu_total"], 1) for r in runs],
        "task_cpu": statistics.median((r["stats"].get("read_ms", 0) + r["stats"].get("score_ms", 0)) / 1000 for r in runs),
        "caller_peak_mb": statistics.median(r["peak_self_kb"] for r in runs) / 1024,
        "worker_peak_mb": statistics.median(peaks) / 1024,
        "worker_peaks_mb": [round(w["peak_kb"] / 1024) for w in runs[-1]["workers"]],
        "efficiency": (one_wall / (n * wall)) if one_wall else None,
        "md5": sorted({r["md5"] for r in runs}),
        "stats": runs[-1]["stats"],
        "loads": [r.get("load") for r in runs],
        "first_item": statistics.median(r["first_item"] for r in runs) if runs[0].get("first_item") is not None else None,
        "first_items": [round(r["first_item"], 3) for r in runs if r.get("first_item") is not None],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1m", help="feed size (benchmarks/generate.py): 100k, 1m, 10m or a number")
    parser.add_argument("--feed", help="a JSON Lines feed instead of a generated one")
    parser.add_argument("--configs", default="one,local1,local2,local4,cluster3")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each configuration, the configurations taking turns")
    parser.add_argument("--baseline-path", help="a riskengine checkout to run as 'baseline' (--workers 2)")
    parser.add_argument("--json", help="write the figures here too")
    parser.add_argument("--block-mb", type=float, help="cut the input into blocks of this many MB (default: riskengine's, 20): a 100k feed is three 20 MB blocks, too few for 4 workers")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--scheduler", help=argparse.SUPPRESS)
    parser.add_argument("--root", default=str(REPO), help=argparse.SUPPRESS)
    parser.add_argument("--block-bytes", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.feed, args.out, args.scheduler, args.root, args.block_bytes)))
        return 0
    feed = Path(args.feed) if args.feed else generate.cached(generate.parse_size(args.size))
    configs = args.configs.split(",")
    if args.baseline_path and not any(config.startswith("baseline") for config in configs):
        configs.append("baseline")
    print(f"feed {feed} ({feed.stat().st_size / 2**20:.0f} MB), {FIRST}..{LAST}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    runs: dict[str, list[dict[str, Any]]] = {config: [] for config in configs}
    for _ in range(args.repeat):  # configurations take turns, so that a change of load hits them all
        for config in configs:
            root = Path(args.baseline_path) if config.startswith("baseline") else REPO
            runs[config] += run(config, feed, root, 1, int(args.block_mb * 2**20) if args.block_mb else None)
    results = []
    one_wall = None
    for config in configs:
        found = summary(config, runs[config], one_wall)
        one_wall = found["wall"] if config == "one" else one_wall
        results.append(found)
        eff = f"{found['efficiency']:.0%}" if found["efficiency"] is not None else "-"
        print(
            f"{config:>9}: {found['wall']:7.1f} s wall {found['events_per_s']:9,.0f} ev/s  cpu {found['cpu']:6.1f} s"
            f" (tasks {found['task_cpu']:5.1f})  worker peak {found['worker_peak_mb']:5.0f} MB {found['worker_peaks_mb']}"
            f"  caller {found['caller_peak_mb']:4.0f} MB  efficiency {eff}  runs {found['walls']} cpu {found['cpus']}  load {found['loads']}  md5 {found['md5'][0][:8]}"
            + (f"  first item {found['first_item']:.3f} s {found['first_items']}" if found["first_item"] is not None else ""),
            flush=True,
        )
    if len({r["md5"][0] for r in results}) > 1 or any(len(r["md5"]) > 1 for r in results):
        print("DIFFERENT OUTPUT between configurations", file=sys.stderr)
        return 1
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
