"""riskengine backtest: the weekly score series of a span of history, per stakeholder and
dimension, streamed in constant memory (for re-scoring years of events after a rule change)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from typing import TextIO

from riskengine.cli.common import UsageError, add_input_options, report_read, stakeholder_choices, stakeholders_from
from riskengine.cli.stored import backtest_from_store, location_of
from riskengine.core.fileio import write_atomic
from riskengine.core.windows import check_order, parse_week
from riskengine.ingest.event_files import ReadReport
from riskengine.scoring.backtest import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_REORDER_DAYS,
    BacktestProgress,
    backtest_files,
    distributed_available,
    to_csv_rows,
    to_json_data,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "backtest", help="weekly score series over a span of history (streams, constant memory)", description=__doc__
    )
    add_input_options(parser)
    parser.add_argument("--from", dest="first", required=True, metavar="YYYY-Www", help="first ISO week, e.g. 2022-W09")
    parser.add_argument("--to", dest="last", required=True, metavar="YYYY-Www", help="last ISO week, e.g. 2025-W27")
    parser.add_argument("--stakeholder", choices=stakeholder_choices(), default="all")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("-o", "--out", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    parser.add_argument(
        "--reorder-days", type=int, default=DEFAULT_REORDER_DAYS, metavar="N",
        help="events may arrive up to N days out of date order (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--workers", type=int, default=None, metavar="N",
        help="worker processes of a local Dask cluster; 1 runs in this process (default: 2 when it pays, else 1)",
    )  # fmt: skip
    parser.add_argument("--scheduler", metavar="ADDRESS", help="run on the Dask cluster of this scheduler, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--partitions", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--block-kb", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=("durable", "reference"), default="durable", help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


class ProgressBar:
    """A one-line bar on a terminal, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.shown = 0.0
        self.drawn = False

    def __call__(self, p: BacktestProgress) -> None:
        now = time.monotonic()
        if now - self.shown < 0.1:
            return
        self.shown = now
        filled = int(p.fraction * self.width)
        rate = p.events_read / max(now - self.started, 1e-9)
        day = p.day.isoformat() if p.day else "..."
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {p.fraction:4.0%} {day} "
            f"{p.events_read:,} events {p.firings:,} firings {rate:,.0f}/s "
        )
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()


def render_csv(rows: object) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)  # type: ignore[arg-type]
    return out.getvalue()


def run(args: argparse.Namespace) -> int:
    first, last = parse_week(args.first, "--from"), parse_week(args.last, "--to")
    check_order(first, last)  # E402, exit 1, as score says of --from/--to
    if args.reorder_days < 0:
        raise UsageError("--reorder-days must be 0 or more")
    if (args.workers is not None and args.workers < 1) or args.chunk_size < 1:
        # 0 was the default's sentinel, so '--workers 0' passed silently as "choose for me"
        raise UsageError("--workers must be at least 1 (leave it out to choose) and --chunk-size at least 1")
    if (args.partitions is not None and args.partitions < 1) or (args.block_kb is not None and args.block_kb < 1):
        raise UsageError("--partitions and --block-kb must be at least 1")
    if (args.scheduler or (args.workers or 0) > 1) and not distributed_available():
        raise UsageError("--workers above 1 and --scheduler run on Dask, which is not installed (pip install 'riskengine[dask]')")
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    report = ReadReport()
    try:
        if location_of(args):  # the event store (riskengine/cli/stored.py) instead of files
            result = backtest_from_store(args, first=first, last=last, stakeholders=stakeholders_from(args.stakeholder), progress=bar)
        else:
            result = backtest_files(
                args.events or None,
                # loaded there, while a local cluster starts (scoring.distributed.LocalStart)
                rules=args.rules,
                first=first,
                last=last,
                stakeholders=stakeholders_from(args.stakeholder),
                engine=args.engine,
                chunk_size=args.chunk_size,
                reorder_days=args.reorder_days,
                workers=args.workers or None,
                skip_invalid=args.skip_invalid,
                rejects=args.rejects if args.skip_invalid else None,
                progress=bar,
                report=report,
                scheduler=args.scheduler,
                partitions=args.partitions,
                block_bytes=args.block_kb << 10 if args.block_kb else None,
            )
    finally:
        if bar is not None:
            bar.close()
    report_read(report)
    text = json.dumps(to_json_data(result), indent=2) + "\n" if args.format == "json" else render_csv(to_csv_rows(result))
    if args.out:
        write_atomic(os.fspath(args.out), text)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
