"""riskengine explain: every rule that fired for a stakeholder, on which events, with which
points and weights, from which rule file line and which source."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping

from riskengine import api
from riskengine.cli.common import add_input_options, add_window_options, load_inputs, window_from
from riskengine.core.errors import InputError, Issue, Location, did_you_mean
from riskengine.core.events import NOT_USED, Derivation, Event
from riskengine.core.resources import openable_path
from riskengine.core.text import neutralise
from riskengine.rules.models import STAKEHOLDERS
from riskengine.rules.pack import RulePack
from riskengine.scoring.scores import Contribution


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("explain", help="show the rules, events and weights behind a score", description=__doc__)
    add_input_options(parser)
    add_window_options(parser)
    parser.add_argument("--stakeholder", required=True, choices=STAKEHOLDERS)
    parser.add_argument("--event", metavar="ID", help="only contributions involving this event")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def derivations(contributions: list[Contribution], events: list[Event]) -> dict[str, list[Derivation]]:
    """Derived values of the events the contributions cite, by event id (only events that have any)."""
    cited = {event_id for c in contributions for event_id in c.event_ids}
    return {e.event_id: list(e.derived) for e in events if e.event_id in cited and e.derived}


def rule_paths(contributions: list[Contribution], pack: RulePack) -> dict[str, str]:
    """Where to open each cited rule's file, by rule id. A contribution names bundled files as
    reports do (rules/ngo.yaml), which an installed package does not have below the working
    directory; the terminal gets a path that opens."""
    return {rule_id: openable_path(pack.origin(rule_id).file) for rule_id in sorted({c.rule_id for c in contributions})}


def render_text(
    contributions: list[Contribution], derived: dict[str, list[Derivation]] | None = None, paths: Mapping[str, str] | None = None
) -> str:
    lines = []
    derived = derived or {}
    paths = paths or {}
    for c in contributions:
        sources = "; ".join(f"{s.name} [{s.grade}]" for s in c.sources)
        lines += [
            f"{c.rule_id} ({c.dimension}) on {', '.join(c.event_ids)} [{c.event_date}, {c.region}]",
            (
                f"  lowers: -(points {c.points:g} x source weight {c.source_weight:.2f}) = {c.weighted_points:.2f}"
                " (takes off at most the profile's max_relief share of the dimension's points)"
                if c.weighted_points < 0
                else f"  points {c.points:g} x source weight {c.source_weight:.2f} = {c.weighted_points:.2f}"
            ),
            f"  rule {paths.get(c.rule_id, c.rule_file)}:{c.rule_line}, encodes {c.rule_source}",
            f"  sources: {sources}",
        ]
        if c.recommendation:
            lines.append(f"  recommends: {c.recommendation}")
        # Values the source did not give: a reader weighs "injured 5 (read in the notes)"
        # differently from a reported figure.
        for event_id in c.event_ids:
            for d in derived.get(event_id, []):
                if d.used:
                    lines.append(f"  derived on {event_id}: {d.field} = {d.value} ({d.method}; from {d.evidence})")
                else:  # read but not used: why a figure in the notes is not the event's
                    lines.append(f"  not used on {event_id}: {d.field} {d.value} ({d.method.removeprefix(NOT_USED)}; from {d.evidence})")
    return "\n".join(lines) + ("\n" if lines else "")


def run(args: argparse.Namespace) -> int:
    window = window_from(args)
    pack, events = load_inputs(args)
    report = api.score(events, rules=pack, window=window, stakeholders=[args.stakeholder], engine=args.engine, now=args.now)
    if args.event is not None and not any(e.event_id == args.event for e in events):
        # 'no rule fired on NOPE' (exit 0) read as if NOPE were a quiet event
        hint = did_you_mean(args.event, (e.event_id for e in events))
        raise InputError([Issue("E409", f"no event {args.event} in the input", Location("--event"), hint)])
    contributions = api.explain(report, args.stakeholder, args.event)
    if args.format == "json":
        payload = {
            "schema_version": report.schema_version,
            "window": report.window.label,
            "stakeholder": args.stakeholder,
            "contributions": [c.model_dump(mode="json") for c in contributions],
        }
        derived = derivations(contributions, events)
        if derived:
            payload["derived"] = {k: [d.model_dump(mode="json") for d in v] for k, v in sorted(derived.items())}
        # in the order written, schema_version first as in score's report (each part is already
        # in a fixed order: the models' fields, the derivations by event id)
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        total = sum(c.weighted_points for c in contributions)
        header = f"{args.stakeholder}, {report.window.label}: {len(contributions)} contribution(s), {total:.2f} weighted points"
        if args.event:
            header += f" involving {args.event}"
        sys.stdout.write(neutralise(header + "\n" + render_text(contributions, derivations(contributions, events), rule_paths(contributions, pack))))  # event text reaches a terminal
        if not contributions:
            print(f"no rule fired{' on ' + args.event if args.event else ''} for {args.stakeholder} in {report.window.label}", file=sys.stderr)
    return 0
