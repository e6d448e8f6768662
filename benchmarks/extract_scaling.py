"""Extraction stays linear in the article's size (issue #14).

    python benchmarks/extract_scaling.py [MAX_KB]

Builds one long article by repeating the development articles' bodies (hard-wrapped, with
headings, list items and towns), extracts articles of 1/10 and all of MAX_KB (default 1024 KB),
prints seconds and microseconds per byte, and exits 1 when the large one costs more than three
times per byte what the small one does (a quadratic step would cost ten times) or takes over
300 s. A benchmark, not a unit test: timings on a loaded machine vary, the ratio much less.
"""

from __future__ import annotations

import re
import sys
import textwrap
import time
from pathlib import Path

from riskengine.ingest.extract.articles import Extractor

HERE = Path(__file__).resolve().parents[1] / "tests" / "extract" / "dev"


def body() -> str:
    parts = []
    for path in sorted(HERE.iterdir()):
        text = re.sub(r"\A---\n.*?\n---\n", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        for para in text.split("\n\n"):
            parts.append(textwrap.fill(para, 78) if not para.lstrip().startswith(("#", "-")) else para)
    return "\n\n".join(parts) + "\n\n"


def run(size: int, unit: str, extractor: Extractor) -> tuple[float, int, int]:
    text = "---\ndate: 2025-06-01\n---\n" + unit * (size // len(unit) + 1)
    start = time.perf_counter()
    events = extractor.extract_text(text, "large.txt")
    return time.perf_counter() - start, len(text), len(events)


def main() -> int:
    max_kb = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    extractor = Extractor()
    unit = body()
    rows = []
    for size in (max_kb * 1024 // 10, max_kb * 1024):
        seconds, chars, events = run(size, unit, extractor)
        rows.append((seconds, chars))
        print(f"{chars:>9} chars: {seconds:7.2f} s, {seconds / chars * 1e6:6.2f} us/char, {events} events")
    small = rows[0][0] / rows[0][1]
    large = rows[1][0] / rows[1][1]
    print(f"cost per char, large/small: {large / small:.2f} (linear ~1; quadratic ~10)")
    return 0 if large / small <= 3 and rows[1][0] <= 300 else 1


if __name__ == "__main__":
    sys.exit(main())
