"""riskengine against durable-rules used naively, side by side on the same feed, in CPU time.

    python benchmarks/naive_ratio.py                 # the cached 100k feed
    python benchmarks/naive_ratio.py --size 10k --repeat 3

Runs, each in a fresh process and one after the other: (a) ``riskengine backtest`` in one
process, (a2) on two local Dask workers, (b) the naive baseline (``naive_durable.py``: one
``durable.lang`` ruleset, one ``assert_fact`` per event). Prints CPU seconds (every process of
the run, workers included), wall seconds, peak memory and firings (which must agree), and the
ratios (b)/(a) and (b)/(a2). ``benchmarks/run.py`` gives wall-time figures and a firing digest;
this gives the CPU-time ratio a loaded machine does not distort as much.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate
from process_tree import adopt_orphans, reap_orphans, tree_cpu

REPO = Path(__file__).resolve().parent.parent


def child(kind: str, feed: str) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    from riskengine import api
    from riskengine.core.windows import parse_week
    from riskengine.ingest.event_files import stream_events
    from riskengine.scoring.backtest import backtest_files
    from riskengine.scoring.facts import fact_of

    started = time.perf_counter()
    if kind == "naive":
        from naive_durable import NaiveDurable

        compiled = api.compile_pack(api.load_rules())
        engine = NaiveDurable(compiled)
        for chunk in stream_events([feed]):
            engine.feed(fact_of(e, compiled.fields) for e in chunk)
        firings = len(engine.counted())  # as the backtest counts them: once_per reduced
    else:
        workers = 2 if kind == "dask2" else 1
        result = backtest_files([feed], first=parse_week("2022-W08"), last=parse_week("2025-W27"), workers=workers)
        firings = result.firings
    wall = time.perf_counter() - started
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    # peak: this process's and its reaped children's; not local Dask workers, forked by a fork
    # server (benchmarks/dask_backtest.py reports theirs)
    return {"wall": wall, "cpu": cpu, "firings": firings, "peak_mb": max(own.ru_maxrss, kids.ru_maxrss) / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--kinds", default="one,dask2,naive")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--feed", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.feed)))
        return 0
    feed = generate.cached(generate.parse_size(args.size))
    found: dict[str, list[dict[str, Any]]] = {}
    adopting = adopt_orphans()  # local Dask workers are a fork server's children, not the run's
    for _ in range(args.repeat):
        for kind in args.kinds.split(","):
            before = tree_cpu()
            done = subprocess.run([sys.executable, __file__, "--child", kind, "--feed", str(feed)], capture_output=True, text=True, check=False)
            if done.returncode:
                raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
            measured = json.loads(done.stdout.strip().splitlines()[-1])
            if adopting:
                reap_orphans()
                measured["cpu"] = tree_cpu() - before  # the run's process and every process it started
            found.setdefault(kind, []).append(measured)
    medians = {kind: {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu", "peak_mb")} | {"firings": runs[0]["firings"]} for kind, runs in found.items()}
    print(f"feed {feed.name}, medians of {args.repeat}")
    for kind, m in medians.items():
        runs = [round(r["cpu"], 1) for r in found[kind]]
        print(f"  {kind:>6}: {m['cpu']:8.1f} s CPU {m['wall']:8.1f} s wall {m['peak_mb']:6.0f} MB  firings {m['firings']:,}  cpu runs {runs}")
    if "naive" in medians:
        for kind in medians:
            if kind != "naive":
                same = "same firings" if medians[kind]["firings"] == medians["naive"]["firings"] else "FIRINGS DIFFER"
                print(f"  naive / {kind}: {medians['naive']['cpu'] / medians[kind]['cpu']:.1f}x CPU, {medians['naive']['wall'] / medians[kind]['wall']:.1f}x wall ({same})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
