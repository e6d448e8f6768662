"""riskengine alerts: stakeholders whose overall score crossed into a higher class than the
week before (from event files, or the store with --store)."""

from __future__ import annotations

import argparse
import json

from riskengine import api
from riskengine.cli.common import add_input_options, add_window_options, load_inputs, window_from
from riskengine.service.alerts import alerts_of


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("alerts", help="list class crossings (a stakeholder's score rising into a higher class)", description=__doc__)
    add_input_options(parser)
    add_window_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    window = window_from(args)
    pack, events = load_inputs(args)
    report = api.score(events, rules=pack, window=window, engine=args.engine, now=args.now)
    found = alerts_of(report, pack)
    if args.format == "json":
        print(json.dumps({"week": report.window.label, "alerts": [a.as_dict() for a in found]}, indent=2, sort_keys=True))
        return 0
    if not found:
        print(f"{report.window.label}: no stakeholder crossed into a higher class")
    for a in found:
        print(f"{a.id}: {a.stakeholder} {a.previous_class} {a.previous_score:.2f} ({a.previous_week}) -> {a.score_class} {a.score:.2f} ({a.week}), {a.change:+.2f}")
    return 0
