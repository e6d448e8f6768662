"""Options several verbs share, and how they become API calls."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from riskengine import api
from riskengine.core import resources
from riskengine.core.errors import InputError, Issue, Location
from riskengine.core.events import Event
from riskengine.core.windows import Window, parse_range, parse_week
from riskengine.ingest.event_files import ReadReport, stream_events
from riskengine.rules.loader import RulePack
from riskengine.rules.models import STAKEHOLDERS
from riskengine.scoring.pipeline import score_dated
from riskengine.scoring.scores import ScoreReport
from riskengine.store import open_store, read_store_events, store_location


class UsageError(Exception):
    """A command line that parses but does not make sense (e.g. --week with --from)."""


def add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("events", nargs="*", metavar="EVENTS", help="event files (YAML, JSON, JSON Lines); default: the bundled sample")
    parser.add_argument("--rules", action="append", metavar="PATH", help="rule file or folder (repeatable); default: the bundled packs")
    parser.add_argument("--skip-invalid", action="store_true", help="write invalid events to the rejects file instead of failing")
    parser.add_argument("--rejects", metavar="FILE", default="rejects.jsonl", help="where --skip-invalid writes rejected events (default: %(default)s)")
    parser.add_argument("--store", metavar="PATH|URL", help="read events from this store (SQLite file or postgresql:// URL); default: $RISKENGINE_STORE when no EVENTS")


def add_regions_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--regions",
        metavar="ISO3[,ISO3...]",
        type=_regions,
        help="the countries every profile watches, instead of its regions_of_interest (e.g. SDN,TCD): "
        "actions there are listed first, the others apart, and the map outlines them",
    )


def _regions(value: str) -> list[str]:
    codes = [code.strip().upper() for code in value.split(",") if code.strip()]
    bad = [code for code in codes if not (len(code) == 3 and code.isascii() and code.isalpha())]
    if bad or not codes:
        raise argparse.ArgumentTypeError(f"{value!r}: regions are ISO 3166 alpha-3 country codes separated by commas, e.g. SDN,TCD")
    return codes


def add_window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--week", metavar="YYYY-Www", help="ISO week to score, e.g. 2025-W27 (default: the week of the latest event)")
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="first day of the window (with --to)")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="last day of the window (with --from)")
    parser.add_argument("--now", metavar="TIMESTAMP", help="generation time to print (for reproducible output)")
    parser.add_argument("--engine", choices=("durable", "reference"), default="durable", help=argparse.SUPPRESS)


def stakeholder_choices() -> list[str]:
    return [*STAKEHOLDERS, "all"]


def check_now(value: str | None) -> None:
    """--now is printed as the generation time: 'yesterday' was printed as it was by score."""
    if value is None:
        return
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            [Issue("E405", f"--now '{value}' is not an ISO timestamp", Location("--now"), "write it like 2025-07-07T06:00:00Z")]
        ) from None


def window_from(args: argparse.Namespace) -> Window | None:
    check_now(getattr(args, "now", None))  # every command with a window has --now
    if args.week and (args.date_from or args.date_to):
        raise UsageError("--week cannot be combined with --from/--to")
    if bool(args.date_from) != bool(args.date_to):
        raise UsageError("--from and --to go together")
    if args.week:
        return parse_week(args.week, "--week")
    if args.date_from:
        return parse_range(args.date_from, args.date_to, ("--from", "--to"))
    return None


def load_pack(args: argparse.Namespace) -> RulePack:
    """The rule pack of --rules, its profiles watching --regions where the command has it."""
    pack = api.load_rules(args.rules)
    regions = getattr(args, "regions", None)
    return pack.with_regions_of_interest(regions) if regions else pack


def load_inputs(args: argparse.Namespace) -> tuple[RulePack, list[Event]]:
    pack = load_pack(args)
    location = store_location(args.store, args.events)
    if location:  # the event store (riskengine/store): the latest revision of each event id
        return pack, read_store_events(location)
    read = api.read_events_report(
        args.events or None, skip_invalid=args.skip_invalid, rejects=args.rejects if args.skip_invalid else None
    )
    report_read(read.report)
    return pack, read.events


def score_inputs(args: argparse.Namespace, stakeholders: list[str] | None) -> api.Scored:
    """The report of the chosen window, streamed from the event files (score and brief), or
    scored from the event store when one is given."""
    pack = load_pack(args)
    location = store_location(args.store, args.events)
    if location:  # the store: one state of it, of which only the window's look-back is read, streamed
        with open_store(location, create=False) as store, store.snapshot() as snapshot:
            compiled = api.compile_pack(pack)
            return score_dated(snapshot, pack, compiled, window=window_from(args), stakeholders=stakeholders, engine=args.engine, now=args.now, periods=snapshot)
    scored = api.score_files(
        args.events or None,
        rules=pack,
        window=window_from(args),
        stakeholders=stakeholders,
        engine=args.engine,
        now=args.now,
        skip_invalid=args.skip_invalid,
        rejects=args.rejects if args.skip_invalid else None,
    )
    report_read(scored.read)
    return scored


def data_notes(args: argparse.Namespace, report: ScoreReport) -> ScoreReport:
    """The report with ``notes`` saying, when its window has no events, that its zeros are no
    data, not low risk, and where the data ends; each note is also a warning on stderr. A week
    after the data ends scored 0 ('very low') with only 'no rule fired' to go by. When the events
    read end inside the window (``record_ends``), its note, made by the scorer, is said on stderr
    too: a JSON reader piping the report may not read its notes."""
    if report.events_in_window:
        if report.record_ends is not None:
            for note in report.notes:
                print(f"warning: {note}", file=sys.stderr)
        return report
    first, last = _data_span(args)
    label = report.window.label
    if last is None or first is None:
        note = f"no events at all in the data: the scores of {label} are 0 for lack of data, not for lack of risk"
    elif report.window.start > last:
        note = f"no events in {label}: the data ends on {last.isoformat()}, before the window; its scores are 0 for lack of data, not for lack of risk"
    elif report.window.end < first:
        note = f"no events in {label}: the data begins on {first.isoformat()}, after the window; its scores are 0 for lack of data, not for lack of risk"
    else:
        note = f"no events in {label} (the data runs from {first.isoformat()} to {last.isoformat()})"
    print(f"warning: {note}", file=sys.stderr)
    return report.model_copy(update={"notes": [*report.notes, note]})


def _data_span(args: argparse.Namespace) -> tuple[dt.date | None, dt.date | None]:
    """The dates of the earliest and the latest event of the run's input (read again: only when
    the window is empty, so a normal run pays nothing for it)."""
    location = store_location(args.store, args.events)
    if location:
        with open_store(location, create=False) as store, store.snapshot() as snapshot:
            return snapshot.earliest_day(), snapshot.latest_day()
    first: dt.date | None = None
    last: dt.date | None = None
    files = args.events or [str(resources.sample_data_dir() / "sample_events.yaml")]
    for chunk in stream_events(files, skip_invalid=True):
        days = [e.event_date for e in chunk]
        if days:
            first = min(days) if first is None else min(first, *days)
            last = max(days) if last is None else max(last, *days)
    return first, last


def report_read(report: ReadReport) -> None:
    """Say on stderr what reading skipped or replaced: nothing is dropped silently."""
    if report.rejected:
        print(
            f"warning: {report.rejected} invalid event(s) rejected, written with their reasons to {report.rejects_path}",
            file=sys.stderr,
        )
    if report.replaced:
        print(f"note: {report.replaced} event(s) replaced by a later record with the same event_id", file=sys.stderr)


def stakeholders_from(value: str | None) -> list[str] | None:
    if value in (None, "all"):
        return None
    return [value]


def output_path(value: str | None) -> Path | None:
    return Path(value) if value else None
