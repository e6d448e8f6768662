"""Throughput, memory and latency of riskengine, with the figures docs/BENCHMARKS.md quotes.

    python benchmarks/run.py                        # 10k and 100k, 3 runs each, medians
    python benchmarks/run.py --sizes 10k,100k,1m --repeat 3
    python benchmarks/run.py --quick                # smoke run, well under a minute

Every measurement runs in a fresh child process, so runs do not warm or pollute each other, and
its peak memory is that process's own ``ru_maxrss`` (plus, for the parallel pipeline, the largest
worker's). For each size of a seeded ACLED-like feed (benchmarks/generate.py, cached under
benchmarks/.cache/) it times, from the JSONL file to results:

  (a) riskengine: read in chunks -> validate -> project -> matcher -> weekly scores
      (riskengine.scoring.backtest, one process and two);
  (b) durable-rules used naively, as its README shows (benchmarks/naive_durable.py): the same
      reading and projection, then one ``assert_fact`` per event into one ruleset;
  (c) the reference evaluator (riskengine/reference.py) through the same pipeline as (a).

Where (b) and (c) run (by default up to 10k events: they are slow) the three must report the
same firings, compared by count and an order-independent digest, or the run fails. It also times
loading and compiling the rule packs, a weekly brief on 10,000 events, and the edit-a-rule-to-
new-briefs loop on the sample data. Not a test: machines vary; the targets are printed beside the
figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py, beside this file)

BRIEF_WEEK = "2025-W27"
BRIEF_EVENTS = 10_000
TARGETS = {
    "events_per_s_1m": 50_000,
    "ratio_vs_naive": 5.0,
    "peak_mb_1m": 1024,
    "edit_loop_s": 1.0,
}


# ---------------------------------------------------------------------------------------------
# Firings compared across engines without keeping them: a count and an order-independent digest.


class Digest:
    def __init__(self) -> None:
        self.count = 0
        self.total = 0
        self.by_rule: Counter[str] = Counter()

    def add(self, rule_id: str, event_ids: Sequence[str]) -> None:
        key = (rule_id + "\x1f" + "\x1e".join(event_ids)).encode()
        self.total = (self.total + int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")) % (1 << 64)
        self.count += 1
        self.by_rule[rule_id] += 1

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "digest": f"{self.total:016x}", "by_rule": dict(sorted(self.by_rule.items()))}


def _full_range() -> tuple[Any, Any]:
    from riskengine.core.windows import week_of

    return week_of(generate.FIRST_DAY), week_of(generate.LAST_DAY)


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, workers


def child_pipeline(path: Path, engine: str, workers: int, check: bool, rules: str | None) -> dict[str, Any]:
    from riskengine import api
    from riskengine.ingest.event_files import stream_events
    from riskengine.scoring.backtest import backtest_files, run_backtest

    digest = Digest()
    first, last = _full_range()
    start = time.perf_counter()
    if workers > 1:
        # What `riskengine backtest --workers 2` runs: a reader process and this one. Firings
        # stay where they are scored, so only their count is compared.
        check = False
        result = backtest_files([path], rules=[rules] if rules else None, first=first, last=last, engine=engine, workers=workers)
    else:
        pack = api.load_rules([rules] if rules else None)
        compiled = api.compile_pack(pack)
        result = run_backtest(
            stream_events([path]), pack, compiled, first=first, last=last, engine=engine, workers=1,
            observer=digest.add if check else None,
        )  # fmt: skip
    seconds = time.perf_counter() - start
    own, worker = _peak_mb()
    peak_score = max((p.score for s in result.series for p in s.weeks), default=0.0)
    return {
        "seconds": seconds,
        "events": result.events_read,
        "firings": result.firings,
        "peak_weekly_score": peak_score,
        "records_retained": result.stats.get("records_retained"),
        "rss_mb": own,
        "worker_rss_mb": worker,
        "firings_digest": digest.as_dict() if check else None,
    }


def child_naive(path: Path, check: bool, rules: str | None) -> dict[str, Any]:
    from naive_durable import NaiveDurable

    from riskengine import api
    from riskengine.ingest.event_files import stream_events
    from riskengine.scoring.pipeline import fact_of

    compiled = api.compile_pack(api.load_rules([rules] if rules else None))
    fields = compiled.fields
    start = time.perf_counter()
    engine = NaiveDurable(compiled)
    events = 0
    for chunk in stream_events([path]):
        engine.feed(fact_of(e, fields) for e in chunk)
        events += len(chunk)
    seconds = time.perf_counter() - start
    digest = Digest()
    if check:
        for f in engine.firings:
            digest.add(f.rule_id, f.event_ids)
    own, _ = _peak_mb()
    return {
        "seconds": seconds,
        "events": events,
        "firings": len(engine.firings),
        "python_checked_legs": engine.python_checked,
        "rss_mb": own,
        "worker_rss_mb": 0.0,
        "firings_digest": digest.as_dict() if check else None,
    }


def child_load(repeat: int) -> dict[str, Any]:
    from riskengine import api
    from riskengine.rules.compiler import compile_rules

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        compile_rules(api.load_rules())
        times.append(time.perf_counter() - start)
    return {"seconds": statistics.median(times), "runs": times}


def _week_file(n: int) -> Path:
    from riskengine.core.windows import parse_week

    week = parse_week(BRIEF_WEEK)
    path = generate.CACHE_DIR / f"brief-week-{BRIEF_WEEK}-{n}-s{generate.DEFAULT_SEED}-v{generate.GENERATOR_VERSION}.jsonl"
    if not path.exists():
        generate.CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            for event in generate.generate(n, generate.DEFAULT_SEED, first_day=week.start, last_day=week.end):
                out.write(json.dumps(event, ensure_ascii=False) + "\n")
        tmp.replace(path)
    return path


def child_brief(repeat: int) -> dict[str, Any]:
    try:
        from riskengine.briefs.render import render_briefs
    except ImportError:
        return {"skipped": "riskengine.briefs.render is not there yet"}
    from riskengine import api

    path = _week_file(BRIEF_EVENTS)
    pack = api.load_rules()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        events = api.read_events([path])
        report = api.score(events, rules=pack, window=BRIEF_WEEK, now="2025-07-07T06:00:00Z")
        render_briefs(report, events, formats=("md",))
        times.append(time.perf_counter() - start)
    return {"seconds": statistics.median(times), "runs": times, "events": BRIEF_EVENTS}


def child_loop(repeat: int) -> dict[str, Any]:
    """An analyst edits a rule: reload and recompile the packs, score the sample's latest week,
    render the four briefs. Measured in a warm process (``riskengine brief --watch``'s case)."""
    try:
        from riskengine.briefs.render import render_briefs
    except ImportError:
        return {"skipped": "riskengine.briefs.render is not there yet"}
    from riskengine import api

    events = api.read_events()
    times = []
    for _ in range(repeat + 1):
        api._compiled_cache.clear()  # an edited pack is a new pack: compile again
        start = time.perf_counter()
        pack = api.load_rules()
        report = api.score(events, rules=pack, window=BRIEF_WEEK, now="2025-07-07T06:00:00Z")
        briefs = render_briefs(report, events, formats=("md",))
        times.append(time.perf_counter() - start)
    assert len(briefs) == 4
    return {"seconds": statistics.median(times[1:]), "runs": times[1:], "first_run": times[0]}


def child_main(args: argparse.Namespace) -> int:
    kind = args.child
    if kind in ("pipeline", "reference"):
        out = child_pipeline(Path(args.file), "reference" if kind == "reference" else "durable", args.workers, args.check, args.rules)
    elif kind == "naive":
        out = child_naive(Path(args.file), args.check, args.rules)
    elif kind == "load":
        out = child_load(args.repeat)
    elif kind == "brief":
        out = child_brief(args.repeat)
    elif kind == "loop":
        out = child_loop(args.repeat)
    else:
        raise SystemExit(f"unknown child {kind}")
    print(json.dumps(out))
    return 0


# ---------------------------------------------------------------------------------------------
# The parent: machine, runs, medians, ratios, verdicts.


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import importlib.metadata as md

    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "durable_rules": md.version("durable-rules"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "date": dt.date.today().isoformat(),
    }


class RunFailed(Exception):
    """A child run crashed or failed: reported, and the benchmark exits non-zero at the end."""


FAILED_RUNS: list[str] = []


def run_child(argv: list[str], timeout: float) -> dict[str, Any] | None:
    """The child's figures, or None when it ran out of time; raises RunFailed if it failed."""
    command = [sys.executable, str(Path(__file__).resolve()), *argv]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        message = f"run {' '.join(argv[1:3])} failed (exit {done.returncode}): {done.stderr.strip()[-600:]}"
        FAILED_RUNS.append(message)
        raise RunFailed(message)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median_run(argv: list[str], repeat: int, timeout: float) -> dict[str, Any] | None:
    runs = []
    for _ in range(repeat):
        try:
            result = run_child(argv, timeout)
        except RunFailed as failure:
            print(f"  FAILED {failure}")
            return None
        if result is None:
            return None
        runs.append(result)
    best = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    out = dict(best)
    out["runs"] = [round(r["seconds"], 3) for r in runs]
    out["seconds"] = statistics.median(r["seconds"] for r in runs)
    out["rss_mb"] = max(r["rss_mb"] for r in runs)
    out["worker_rss_mb"] = max(r.get("worker_rss_mb", 0.0) for r in runs)
    return out


def _safe_child(argv: list[str], timeout: float) -> dict[str, Any] | None:
    try:
        return run_child(argv, timeout)
    except RunFailed as failure:
        print(f"FAILED {failure}")
        return None


def _line(label: str, result: dict[str, Any] | None, events: int) -> str:
    if result is None:
        return f"  {label:<34} did not finish (time limit, or failed: see above)"
    rate = events / result["seconds"] if result["seconds"] else float("inf")
    memory = f"{result['rss_mb']:7.0f} MB"
    if result.get("worker_rss_mb"):
        memory += f" (+ worker {result['worker_rss_mb']:.0f} MB)"
    runs = ", ".join(f"{s:.2f}" for s in result["runs"])
    return f"  {label:<34} {result['seconds']:8.2f} s {rate:10,.0f} ev/s  peak {memory}  firings {result['firings']:,}  runs: {runs}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="feed sizes, comma separated (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; medians are printed (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 2,000 events, one run each")
    parser.add_argument("--baseline-max", default="10k", help="largest size to run (b) and (c) on (default: %(default)s)")
    parser.add_argument("--workers", default="1,2", help="process counts for (a) (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a run is given up (default: %(default)s)")
    parser.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    parser.add_argument("--rules", metavar="DIR", help="rule folder to run instead of the shipped packs (e.g. an edited copy)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.workers = int(args.workers.split(",")[0])
        return child_main(args)

    if args.quick:
        args.sizes, args.repeat, args.baseline_max = "2000", 1, "2000"
    try:
        sizes = [generate.parse_size(s) for s in args.sizes.split(",")]
        baseline_max = generate.parse_size(args.baseline_max)
        worker_counts = [int(w) for w in args.workers.split(",")]
    except ValueError as error:
        parser.error(str(error))
    repeat = max(1, args.repeat)

    rules_argv = ["--rules", str(Path(args.rules).resolve())] if args.rules else []
    info = machine()
    print(f"machine: {info['nproc']} cores, {info['cpu']}, Python {info['python']}, durable-rules {info['durable_rules']}")
    print(f"load average at start: {', '.join(map(str, info['load_average']))} (figures are only comparable on an idle machine)")
    print(f"medians of {repeat} run(s); each run is a fresh process; rules: {args.rules or 'the shipped packs'}\n")
    figures: dict[str, Any] = {"machine": info, "repeat": repeat, "rules": args.rules or "shipped", "sizes": {}}

    load = _safe_child(["--child", "load", "--repeat", str(max(3, repeat))], args.timeout)
    figures["load_compile"] = load
    print(f"load + compile the shipped rule packs: {load['seconds'] * 1000:.0f} ms" if load else "load + compile: timed out")

    failures: list[str] = []
    for n in sizes:
        path = generate.cached(n)
        label = generate.size_label(n)
        mb = path.stat().st_size / 2**20
        print(f"\n{label} events ({mb:.0f} MB of JSONL, {path.name}):")
        row: dict[str, Any] = {}
        check = n <= baseline_max
        for w in worker_counts:
            argv_ = ["--child", "pipeline", "--file", str(path), "--workers", str(w)] + (["--check"] if check else []) + rules_argv
            row[f"riskengine_w{w}"] = result = _median_run(argv_, repeat, args.timeout)
            print(_line(f"(a) riskengine, {w} process{'es' if w > 1 else ''}", result, n))
        if check:
            row["naive_durable"] = _median_run(["--child", "naive", "--file", str(path), "--check", *rules_argv], repeat, args.timeout)
            print(_line("(b) durable-rules, naive", row["naive_durable"], n))
            row["reference"] = _median_run(["--child", "reference", "--file", str(path), "--workers", "1", "--check", *rules_argv], repeat, args.timeout)
            print(_line("(c) reference evaluator", row["reference"], n))
            digests = {k: v["firings_digest"] for k, v in row.items() if v and v.get("firings_digest")}
            distinct = {json.dumps({"count": d["count"], "digest": d["digest"]}) for d in digests.values() if d}
            if len(distinct) == 1:
                print(f"  same firings from all {len(digests)} runs: {next(iter(digests.values()))['count']:,}")
            else:
                failures.append(f"{label}: the engines disagree on the firings")
                for name, d in digests.items():
                    print(f"  DIFFERENT FIRINGS {name}: {d and d['count']} {d and d['by_rule']}")
        counts = {k: v["firings"] for k, v in row.items() if k.startswith("riskengine") and v}
        if len(set(counts.values())) > 1:
            failures.append(f"{label}: one and two processes disagree on the number of firings: {counts}")
        fastest = min((v for k, v in row.items() if k.startswith("riskengine") and v), key=lambda r: r["seconds"], default=None)
        if fastest:
            for other, name in (("naive_durable", "(b)"), ("reference", "(c)")):
                if row.get(other):
                    print(f"  (a)/{name} speed: {row[other]['seconds'] / fastest['seconds']:.1f}x")
        if fastest and n >= 1_000_000:
            rate = n / fastest["seconds"]
            peak = fastest["rss_mb"] + fastest.get("worker_rss_mb", 0.0)
            ok_rate = rate >= TARGETS["events_per_s_1m"]
            ok_peak = peak <= TARGETS["peak_mb_1m"]
            print(f"  target >= {TARGETS['events_per_s_1m']:,} ev/s on 1M: {'met' if ok_rate else 'MISSED'} ({rate:,.0f})")
            print(f"  target peak <= {TARGETS['peak_mb_1m']} MB on 1M: {'met' if ok_peak else 'MISSED'} ({peak:.0f} MB)")
        figures["sizes"][label] = row

    brief = _safe_child(["--child", "brief", "--repeat", str(repeat)], args.timeout)
    loop = _safe_child(["--child", "loop", "--repeat", str(max(3, repeat))], args.timeout)
    figures["brief_10k"], figures["edit_loop"] = brief, loop
    print()
    if brief and "skipped" not in brief:
        print(f"weekly brief on {BRIEF_EVENTS:,} events (read, score, render 4 Markdown briefs): {brief['seconds']:.2f} s")
    else:
        print(f"weekly brief: {brief and brief.get('skipped')}")
    if loop and "skipped" not in loop:
        verdict = "met" if loop["seconds"] < TARGETS["edit_loop_s"] else "MISSED"
        print(
            f"edit-rule-to-new-brief loop on the sample (load rules, score a week, 4 briefs): "
            f"{loop['seconds'] * 1000:.0f} ms (target < 1 s: {verdict}; first run in the process {loop['first_run'] * 1000:.0f} ms)"
        )
    else:
        print(f"edit loop: {loop and loop.get('skipped')}")

    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    for failure in failures + FAILED_RUNS:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures or FAILED_RUNS else 0


if __name__ == "__main__":
    sys.exit(main())
