"""riskengine import: events from other datasets. `riskengine import acled FILE`."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from riskengine.core.errors import EventError
from riskengine.core.fileio import atomic_writer
from riskengine.ingest.acled import import_acled
from riskengine.ingest.history import add_history_context_file


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("import", help="import events from other datasets", description=__doc__)
    sources = parser.add_subparsers(dest="dataset", metavar="DATASET", parser_class=type(parser))
    sources.required = True
    from riskengine.cli import import_gdelt  # GDELT lives in its own module (issue #17 part 2)

    import_gdelt.register_dataset(sources)
    acled = sources.add_parser(
        "acled",
        help="an ACLED export (CSV, Excel .xlsx, API JSON or a JSON array)",
        description="Convert an ACLED export (CSV, Excel .xlsx, API JSON or a JSON array, any date form) to events (JSON Lines) in date order, upserting by event_id_cnty.",
    )
    acled.add_argument("csv", metavar="FILE")
    acled.add_argument("-o", "--out", metavar="FILE", help="events file to create or update (upsert by id, atomically); default: standard output")
    acled.add_argument("--skip-invalid", action="store_true", help="import the good rows and write bad ones to the rejects file")
    acled.add_argument("--rejects", metavar="FILE", default="rejects.jsonl", help="where --skip-invalid writes bad rows with reasons (default: %(default)s)")
    acled.set_defaults(func=run_acled)


def run_acled(args: argparse.Namespace) -> int:
    failed: EventError | None = None
    with atomic_writer(args.rejects) if args.skip_invalid else contextlib.nullcontext() as rejects:
        # A run that rejects every row fails, leaving the output as it was, but the rejects
        # file is still written: it is where the reasons are.
        try:
            with atomic_writer(args.out) if args.out else contextlib.nullcontext(sys.stdout) as out:
                result = import_acled(Path(args.csv), out, skip_invalid=args.skip_invalid, rejects=rejects, existing=Path(args.out) if args.out else None)
        except EventError as error:
            failed = error
    if failed is not None:
        raise failed
    if args.out:  # look-back country context on every event (riskengine.ingest.history); needs the whole output
        add_history_context_file(args.out)
    for note in result.notes:
        print(f"{args.csv}: note: {note}", file=sys.stderr)
    parts = [f"{result.rows_read} row(s) read: {result.imported} event(s) imported"]
    parts.append(f"{result.merged} actor row(s) merged into their event")
    parts.append(f"{result.replaced_in_file} older revision(s) replaced")
    parts.append(f"{result.rejected} rejected" + (f" (to {args.rejects})" if result.rejected else ""))
    if result.kept_existing:
        parts.append(f"{result.kept_existing} kept from {args.out}")
    print(", ".join(parts), file=sys.stderr)
    return 0
