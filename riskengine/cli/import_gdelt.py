"""riskengine import gdelt FILES: events from GDELT 2.0 event exports (riskengine.ingest.gdelt).

A dataset of the ``import`` verb: riskengine.cli.importer calls ``register_dataset`` with its
dataset subparsers. Kept in its own module so that the ACLED importer can change without this.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from riskengine.core.fileio import atomic_writer
from riskengine.ingest.gdelt import DEFAULT_BUFFER_ROWS, import_gdelt

DESCRIPTION = (
    "Convert GDELT 2.0 event exports (tab-separated, 61 columns, with or without a header; *.export.CSV.zip, "
    ".CSV or .tsv) to events (JSON Lines, in date order). CAMEO codes map to event types and diplomatic kinds, "
    "FIPS places to ISO3; duplicates (same day, CAMEO root, actors' countries and place) collapse into one event "
    "with every source url. Rows that cannot be mapped go to the rejects file with their reason. "
    "Exit 1 when no row could be imported. See docs/EXTRACTION.md."
)


def register_dataset(datasets: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    gdelt = datasets.add_parser("gdelt", help="GDELT 2.0 event exports (*.export.CSV[.zip])", description=DESCRIPTION)
    gdelt.add_argument("files", nargs="+", metavar="FILE", help="export files, zipped or not")
    gdelt.add_argument("-o", "--out", metavar="FILE", help="events file to write (atomically); default: standard output")
    gdelt.add_argument("--rejects", metavar="FILE", default="rejects.jsonl", help="rows that could not be mapped, with reasons (default: %(default)s)")
    gdelt.add_argument(
        "--buffer-rows",
        type=int,
        default=DEFAULT_BUFFER_ROWS,
        metavar="N",
        help="rows held in memory before a sorted run is written to a temporary file (default: %(default)s)",
    )
    gdelt.set_defaults(func=run_gdelt)


def run_gdelt(args: argparse.Namespace) -> int:
    if args.buffer_rows < 1:
        print("riskengine import gdelt: error: --buffer-rows must be at least 1", file=sys.stderr)
        return 2
    with contextlib.ExitStack() as stack:
        rejects = stack.enter_context(atomic_writer(args.rejects))
        out = stack.enter_context(atomic_writer(args.out)) if args.out else sys.stdout
        result = import_gdelt([Path(f) for f in args.files], out, rejects=rejects, buffer_rows=args.buffer_rows)
    print(result.summary(args.rejects), file=sys.stderr)
    if result.imported == 0:
        what = "every row was rejected" if result.rows else "the files hold no rows"
        print(f"error: no events imported: {what}", file=sys.stderr)
        return 1
    return 0
