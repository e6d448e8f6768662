"""riskengine ingest: add event files and ACLED exports to the event store, one transaction per
file, keeping every revision with when and from where it arrived."""

from __future__ import annotations

import argparse
import json
import sys
import time

from riskengine.cli.stored import add_store_option, require_store
from riskengine.core.errors import InputError
from riskengine.store.db import IngestCounts, utc_now
from riskengine.store.ingest import IngestResult, ingest_file


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="add event files (JSON, JSONL, YAML) and ACLED exports (.csv, .xlsx) to the event store",
        description=__doc__,
        epilog="Each file is stored whole or not at all. Example: riskengine ingest --store project.db week27.jsonl acled.csv",
    )
    parser.add_argument("files", nargs="+", metavar="FILES")
    add_store_option(parser)
    parser.add_argument("--now", metavar="TIMESTAMP", help="arrival time to record (default: the clock; for tests and reproducible stores)")
    parser.add_argument("--skip-invalid", action="store_true", help="store a file's valid events and count the invalid ones as rejected")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    # For the crash test only: stop inside the open transaction after N events and wait.
    parser.add_argument("--test-pause-after", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--chunk-size", type=int, default=5000, help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def _pause_after(limit: int | None):  # type: ignore[no-untyped-def]
    if limit is None:
        return None

    def check(counts: IngestCounts) -> None:
        if counts.new + counts.revised + counts.unchanged >= limit:
            print(f"paused after {limit} events, transaction open", file=sys.stderr, flush=True)
            while True:
                time.sleep(3600)

    return check


def line(result: IngestResult) -> str:
    c = result.counts
    return f"{result.source}: {c.new} new, {c.revised} revised, {c.unchanged} unchanged, {c.rejected} rejected (sha256 {result.sha256[:12]})"


def run(args: argparse.Namespace) -> int:
    arrived = args.now or utc_now()
    total = IngestCounts()
    results: list[IngestResult] = []
    failed: list[str] = []
    with require_store(args, create=True) as store:
        for path in args.files:
            try:
                result = ingest_file(store, path, now=arrived, skip_invalid=args.skip_invalid, chunk_size=args.chunk_size, on_chunk=_pause_after(args.test_pause_after))
            except InputError as error:  # this file is not stored; the others still are
                for issue in error.issues:
                    print(issue.render(), file=sys.stderr)
                print(f"error: {path} not stored: {error.summary}", file=sys.stderr)
                failed.append(path)
                continue
            results.append(result)
            total.add(result.counts)
            for issue in result.issues:
                print(issue.render(), file=sys.stderr)
            if args.format == "text":
                print(line(result))
        location = store.location
    if args.format == "json":
        payload = {
            "store": location,
            "arrived_at": arrived,
            "files": [{"source": r.source, "sha256": r.sha256, **r.counts.as_dict()} for r in results],
            "failed": failed,
            "total": total.as_dict(),
        }
        print(json.dumps(payload, indent=2, sort_keys=True))
    else:
        print(
            f"total: {total.new} new, {total.revised} revised, {total.unchanged} unchanged, {total.rejected} rejected"
            f" in {len(results)} file(s){f'; {len(failed)} file(s) not stored' if failed else ''}"
        )
    return 1 if failed else 0
