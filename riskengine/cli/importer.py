"""riskengine import: events from other datasets. `riskengine import acled FILE.csv`."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from riskengine.ingest.acled import import_acled
from riskengine.core.fileio import atomic_writer


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("import", help="import events from other datasets", description=__doc__)
    sources = parser.add_subparsers(dest="dataset", metavar="DATASET", parser_class=type(parser))
    sources.required = True
    from riskengine.cli import import_gdelt  # GDELT lives in its own module (issue #17 part 2)

    import_gdelt.register_dataset(sources)
    acled = sources.add_parser("acled", help="an ACLED export (CSV)", description="Convert an ACLED CSV export to events (JSON Lines), upserting by event_id_cnty.")
    acled.add_argument("csv", metavar="FILE.csv")
    acled.add_argument("-o", "--out", metavar="FILE", help="events file to create or update (upsert by id, atomically); default: standard output")
    acled.add_argument("--skip-invalid", action="store_true", help="import the good rows and write bad ones to the rejects file")
    acled.add_argument("--rejects", metavar="FILE", default="rejects.jsonl", help="where --skip-invalid writes bad rows with reasons (default: %(default)s)")
    acled.set_defaults(func=run_acled)


def run_acled(args: argparse.Namespace) -> int:
    with contextlib.ExitStack() as stack:
        rejects = stack.enter_context(atomic_writer(args.rejects)) if args.skip_invalid else None
        out = stack.enter_context(atomic_writer(args.out)) if args.out else sys.stdout
        result = import_acled(Path(args.csv), out, skip_invalid=args.skip_invalid, rejects=rejects, existing=Path(args.out) if args.out else None)
    parts = [f"{result.imported} event(s) imported"]
    if result.replaced_in_file:
        parts.append(f"{result.replaced_in_file} superseded by a later row with the same id")
    if result.kept_existing:
        parts.append(f"{result.kept_existing} kept from {args.out}")
    if result.rejected:
        parts.append(f"{result.rejected} row(s) rejected to {args.rejects}")
    print(", ".join(parts), file=sys.stderr)
    return 0
