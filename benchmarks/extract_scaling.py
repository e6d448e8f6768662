"""Extraction stays linear in the article's size, and how fast it is (issue #14).

    python benchmarks/extract_scaling.py [MAX_KB] [--against CHECKOUT] [--runs N]

Builds one long article by repeating the development articles' bodies (hard-wrapped, with
headings, list items and towns), extracts articles of 1/10 and all of MAX_KB (default 1024 KB),
and prints CPU seconds (and wall seconds) and microseconds of CPU per character. Exits 1 when the
large one costs more than three times per character what the small one does (a quadratic step
would cost ten times) or takes over 300 s.

``--against CHECKOUT`` measures side by side: each run extracts the MAX_KB article once with the
extractor of CHECKOUT (another worktree, e.g. /work/main) and once with this one, alternately, in
fresh processes, and prints the median CPU seconds of each and their ratio. CPU time, not wall
time: on a shared machine wall time measures the neighbours. A benchmark, not a unit test.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "tests" / "extract" / "dev"
# The articles the repeated body is made of: the first eight development articles, named so that
# timings stay comparable when more articles are added to the folder.
UNIT_ARTICLES = (
    "analysis_odesa.txt", "broadcast_zaporizhzhia.txt", "local_poltava.md", "official_mod_russia.txt",
    "translated_sumy.txt", "wire_belgorod.txt", "wire_dnipro_no_front.txt", "wire_kharkiv_wrapped.txt",
)  # fmt: skip


def body() -> str:
    parts = []
    for path in (HERE / name for name in UNIT_ARTICLES):
        text = re.sub(r"\A---\n.*?\n---\n", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        for para in text.split("\n\n"):
            parts.append(textwrap.fill(para, 78) if not para.lstrip().startswith(("#", "-")) else para)
    return "\n\n".join(parts) + "\n\n"


def article(size: int) -> str:
    unit = body()
    return "---\ndate: 2025-06-01\n---\n" + unit * (size // len(unit) + 1)


def run(size: int) -> tuple[float, float, int, int]:
    """(CPU seconds, wall seconds, characters, events) of one extraction, the gazetteer loaded first."""
    from riskengine.ingest.extract.articles import Extractor

    extractor = Extractor()
    extractor.extract_text("---\ndate: 2025-06-01\n---\nRussian drones struck Kharkiv.\n", "warm.txt")
    text = article(size)
    cpu, wall = time.process_time(), time.perf_counter()
    events = extractor.extract_text(text, "large.txt")
    return time.process_time() - cpu, time.perf_counter() - wall, len(text), len(events)


def child(checkout: str, size: int) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": checkout}
    out = subprocess.run([sys.executable, __file__, "--child", str(size)], env=env, capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[3])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("max_kb", nargs="?", type=int, default=1024)
    parser.add_argument("--against", help="another checkout whose extractor to time side by side")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(*run(args.child))
        return 0
    size = args.max_kb * 1024
    if args.against:
        this = str(Path(__file__).resolve().parents[1])
        times: dict[str, list[float]] = {args.against: [], this: []}
        for _ in range(args.runs):
            for checkout in times:
                seconds, events = child(checkout, size)
                times[checkout].append(seconds)
                print(f"{checkout}: {seconds:.2f} s CPU, {events} events", flush=True)
        before, after = (statistics.median(times[c]) for c in times)
        print(f"median CPU s for {len(article(size))} chars: {args.against} {before:.2f}, this {after:.2f}; {before / after:.1f}x faster")
        return 0
    rows = []
    for kb in (args.max_kb // 10, args.max_kb):
        cpu, wall, chars, events = run(kb * 1024)
        rows.append((cpu, chars))
        print(f"{chars:>9} chars: {cpu:7.2f} s CPU ({wall:.2f} s wall), {cpu / chars * 1e6:6.2f} us/char, {events} events")
    small = rows[0][0] / rows[0][1]
    large = rows[1][0] / rows[1][1]
    print(f"CPU per char, large/small: {large / small:.2f} (linear ~1; quadratic ~10)")
    return 0 if large / small <= 3 and rows[1][0] <= 300 else 1


if __name__ == "__main__":
    sys.exit(main())
