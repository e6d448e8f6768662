"""Import figures for every ACLED export (CSV, JSON or .xlsx) under a folder: ``python benchmarks/acled_import.py DIR``.

For each file: rows read, events imported, actor rows merged, revisions replaced, rows rejected,
the share of rows that made it into an event (imported + merged + replaced), and the most common
reasons for rejection. A file that is not an export at all says why. Nothing is written: the
events go to a sink that counts lines, the rejects to memory. The data stay where they are (ACLED's
terms forbid redistributing them; keep them out of the repository).
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from riskengine.core.errors import InputError
from riskengine.ingest.acled import import_acled


class _Count(io.TextIOBase):
    lines = 0

    def write(self, s: str) -> int:
        self.lines += s.count("\n")
        return len(s)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[0])
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".csv", ".json", ".xlsx") and p.is_file())
    print("| file | rows read | imported | merged actor rows | revisions replaced | rejected | % of rows kept | seconds | rejected for / notes |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    totals = [0, 0, 0, 0, 0]
    for path in files:
        start = time.perf_counter()
        try:
            result = import_acled(path, _Count(), skip_invalid=True, rejects=io.StringIO())
        except InputError as error:
            first = error.issues[0] if error.issues else None
            print(f"| {path.relative_to(folder)} | - | - | - | - | - | - | - | not imported: {first.code + ' ' + first.message if first else error.summary} |")
            continue
        seconds = time.perf_counter() - start
        figures = [result.rows_read, result.imported, result.merged, result.replaced_in_file, result.rejected]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        assert result.imported + result.merged + result.replaced_in_file + result.rejected == result.rows_read
        kept = 100 * (result.rows_read - result.rejected) / result.rows_read if result.rows_read else 0.0
        why = "; ".join(f"{n}x {r}" for r, n in result.reasons.most_common(3))
        notes = "; ".join(result.notes)
        print(f"| {path.relative_to(folder)} | " + " | ".join(f"{n:,}" for n in figures) + f" | {kept:.1f} | {seconds:.1f} | {why}{' / ' if why and notes else ''}{notes} |")
    kept = 100 * (totals[0] - totals[4]) / totals[0] if totals[0] else 0.0
    print("| **all** | " + " | ".join(f"{n:,}" for n in totals) + f" | {kept:.2f} | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
