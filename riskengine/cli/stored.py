"""The CLI's side of the event store: where ``--store`` (or RISKENGINE_STORE) points, events read
from it for score/brief/explain/alerts/backtest, and briefs recorded as published."""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Sequence

from riskengine import api
from riskengine.briefs.baseline import SinceLastWeek
from riskengine.briefs.render import RenderedBrief
from riskengine.cli.common import UsageError
from riskengine.core.events import Event
from riskengine.core.windows import Window
from riskengine.rules.ir import CompiledRuleSet
from riskengine.rules.loader import RulePack
from riskengine.scoring import calibration
from riskengine.scoring.backtest import BacktestResult, Progress, run_backtest
from riskengine.scoring.pipeline import plan_windows
from riskengine.scoring.scores import ScoreReport
from riskengine.service.records import brief_record, since_last_week
from riskengine.store.db import STORE_ENV, Store, open_store, read_store_events, store_location


def location_of(args: argparse.Namespace) -> str | None:
    return store_location(getattr(args, "store", None), getattr(args, "events", None))


def add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="PATH|URL", help=f"event store: a SQLite file or a postgresql:// URL (default: ${STORE_ENV})")


def require_store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The store of --store; only a command that writes (ingest) says ``create``."""
    location = location_of(args)
    if not location:
        raise UsageError(f"no store: give --store PATH or set {STORE_ENV}")
    return open_store(location, create=create)


def events_from_store(args: argparse.Namespace) -> list[Event]:
    """The latest revision of every event in the store."""
    location = location_of(args)
    if not location:
        raise UsageError(f"no store: give --store PATH or set {STORE_ENV}")
    return read_store_events(location)


def backtest_from_store(
    args: argparse.Namespace, *, first: Window, last: Window, stakeholders: Sequence[str] | None, progress: Progress | None
) -> BacktestResult:
    pack = api.load_rules(args.rules)
    store = require_store(args)
    try:
        return run_backtest(
            store.latest_events(by_date=True, chunk_size=args.chunk_size),
            pack,
            api.compile_pack(pack),
            first=first,
            last=last,
            stakeholders=stakeholders,
            engine=args.engine,
            chunk_size=args.chunk_size,
            reorder_days=args.reorder_days,
            progress=progress,
        )
    finally:
        store.close()


def calibration_from_store(args: argparse.Namespace, judged: Window, pack: RulePack, compiled: CompiledRuleSet) -> calibration.History | None:
    """What ``calibration.history_for_week`` gives over every stored event, from one state of
    the store, reading only the events its backtest uses (a pattern window before its first week)."""
    location = location_of(args)
    if not location:
        raise UsageError(f"no store: give --store PATH or set {STORE_ENV}")
    with open_store(location, create=False) as store, store.snapshot() as snapshot:
        earliest = snapshot.earliest_day()
        span = calibration.weeks_for(judged, earliest) if earliest is not None else None
        if span is None:
            return None
        first, last = span
        chunks = snapshot.between(plan_windows(first, 2, compiled).earliest, last.end)
        return calibration.history_from_backtest(run_backtest(chunks, pack, compiled, first=first, last=last), "the events given")


def published_before(args: argparse.Namespace, report: ScoreReport) -> dict[str, SinceLastWeek] | None:
    """What each brief's "since last week" compares with: with a store, the brief published for
    the previous week (or, if none was, that week as scored now, saying so); None without one."""
    location = location_of(args)
    if not location:
        return None
    with open_store(location, create=False) as store:
        return since_last_week(store, report)


def record_published(args: argparse.Namespace, briefs: Sequence[RenderedBrief]) -> None:
    """Record the briefs just written in the store, when there is one (``riskengine history``)."""
    location = location_of(args)
    if not location or not briefs:
        return
    destination = "-" if args.out == "-" else os.fspath(args.out)
    with open_store(location, create=False) as store:
        store.record_briefs(
            brief_record(b.context, b.fmt, hashlib.sha256(b.text.encode("utf-8")).hexdigest(), len(b.text.encode("utf-8")), destination, args.now)
            for b in briefs
        )
    print(f"recorded {len(briefs)} brief(s) as published in {location}", file=sys.stderr)


__all__ = ["add_store_option", "backtest_from_store", "calibration_from_store", "events_from_store", "location_of", "published_before", "record_published", "require_store"]
