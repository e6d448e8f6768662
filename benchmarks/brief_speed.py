"""How long `riskengine brief` takes: the README's command on the sample, and a busy week.

    python benchmarks/brief_speed.py            # 5 runs each, medians
    python benchmarks/brief_speed.py --runs 9 --events 20000

1. The main command (`make brief`) on the bundled sample, as a user runs it: a fresh process,
   so interpreter start-up and imports count. Target: under 2 s.
2. One week (2025-W27) of 10,000 synthetic events (benchmarks/generate.py, seeded, the usual mix
   of strikes, clashes, interceptions, diplomacy), all four stakeholders, Markdown. Target: under
   5 s. Also timed in-process, phase by phase, to show where the time goes.

Timings are medians of several runs, printed one line per measurement. Not a test: machines vary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py, beside this file)

WEEK = "2025-W27"
WEEK_START = dt.date(2025, 6, 30)
WEEK_END = dt.date(2025, 7, 6)
NOW = "2025-07-07T06:00:00Z"
SEED = 7


def riskengine_command() -> list[str]:
    return [sys.executable, "-m", "riskengine"]


def median_seconds(action: Callable[[], None], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def run_cli(args: Sequence[str]) -> None:
    result = subprocess.run([*riskengine_command(), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"riskengine {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")


def week_of_events(n: int, folder: Path) -> Path:
    """``n`` events spread over the benchmark week, written as JSON Lines (cached by name)."""
    import json

    # Named by the generator's source, not only its version number: a cached week from an older
    # mix (once Ukraine-only, with millions of same-week pattern pairs) would measure the wrong thing.
    digest = hashlib.sha256(Path(generate.__file__).read_bytes()).hexdigest()[:12]
    path = folder / f"week-{WEEK}-{n}-s{SEED}-{digest}.jsonl"
    if not path.exists():
        with path.open("w", encoding="utf-8") as out:
            for event in generate.generate(n, SEED, first_day=WEEK_START, last_day=WEEK_END):
                out.write(json.dumps(event, ensure_ascii=False) + "\n")
    return path


def report(label: str, median: float, times: list[float], target: float | None = None) -> None:
    verdict = "" if target is None else ("  (target < {:.0f} s: {})".format(target, "met" if median < target else "MISSED"))
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"{label:<52} median {median:6.2f} s   runs: {runs}{verdict}")


def phases(events_path: Path, runs: int) -> None:
    from riskengine import api
    from riskengine.briefs.render import render_briefs

    pack = api.load_rules()
    api.compile_pack(pack)  # compiled once per process, as in the CLI
    events = api.read_events([events_path])
    read = median_seconds(lambda: api.read_events([events_path]), runs)
    scored = median_seconds(lambda: api.score(events, rules=pack, window=WEEK, now=NOW), runs)
    result = api.score(events, rules=pack, window=WEEK, now=NOW)
    rendered = median_seconds(lambda: render_briefs(result, events, formats=("md",)), runs)
    rendered_all = median_seconds(lambda: render_briefs(result, events, formats=("md", "html", "json")), runs)
    print(f"  in-process, {len(events)} events ({result.events_in_window} in the week):")
    report("    read events", *read)
    report("    score (match + contributions + scores)", *scored)
    report("    build contexts + render 4 Markdown briefs", *rendered)
    report("    build contexts + render 4 x md, html, json", *rendered_all)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default: %(default)s)")
    parser.add_argument("--events", type=int, default=10_000, help="synthetic events in the busy week (default: %(default)s)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="brief-bench-") as tmp:
        out = Path(tmp) / "briefs"
        main_args = ["brief", "--week", WEEK, "--stakeholder", "all", "--format", "md", "--out", str(out), "--now", NOW]
        print(f"python {sys.version.split()[0]}, {args.runs} runs each")
        report("make brief (sample data, fresh process)", *median_seconds(lambda: run_cli(main_args), args.runs), target=2)

        cache = HERE / ".cache"
        cache.mkdir(exist_ok=True)
        ignore = cache / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# generated benchmark inputs: large and reproducible, never committed\n*\n")
        events = week_of_events(args.events, cache)
        busy = ["brief", str(events), *main_args[1:]]
        report(f"brief on {args.events:,} events in one week (fresh process)", *median_seconds(lambda: run_cli(busy), args.runs), target=5)
        phases(events, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
