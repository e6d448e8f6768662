"""Resident memory of a one-process backtest, sampled every 100,000 events read.

    python benchmarks/memory.py            # the cached 1M feed (generated first if missing)
    python benchmarks/memory.py 100k

Prints events read, the feed date reached and the resident set size at that point, then the peak.
Shows whether memory stays flat as the input grows (docs/BENCHMARKS.md, "Memory").
"""

from __future__ import annotations

import resource
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

from riskengine.core.windows import parse_week
from riskengine.scoring.backtest import BacktestProgress, backtest_files

STEP = 100_000


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:  # Linux: pages resident now, not the peak
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    path = generate.cached(generate.parse_size(args[0] if args else "1m"))
    samples: dict[int, tuple[object, float]] = {}

    def progress(p: BacktestProgress) -> None:
        step = p.events_read // STEP
        if step and step not in samples:
            samples[step] = (p.day, resident_mb())

    backtest_files([path], first=parse_week("2022-W08"), last=parse_week("2025-W27"), workers=1, progress=progress)
    for step, (day, mb) in sorted(samples.items()):
        print(f"{step * STEP:>9,} events read  feed date {day}  resident {mb:5.0f} MB")
    print(f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
