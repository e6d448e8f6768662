"""riskengine alerts: the week's alerts per stakeholder, in the style of OCHA's HDX Signals: a
score (overall or a dimension) rising into a higher class than the week before, or at its highest
in N weeks, at or above a floor, and not raised again within a cool-down (docs/ALERTS.md). From
event files, or the event store with --store."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping

from riskengine.briefs.render import md_escape
from riskengine.cli.common import (
    UsageError,
    add_input_options,
    add_window_options,
    score_inputs,
    stakeholder_choices,
    stakeholders_from,
    window_from,
)
from riskengine.core.fileio import write_atomic
from riskengine.scoring.alerts import AlertCheck, AlertsReport, alerts_report, driver_percent, drivers_by_rule, largest_of, raising_counts
from riskengine.scoring.scores import Alert, AlertDriver

FORMATS = ("table", "json", "md")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "alerts",
        help="list the week's alerts: scores rising into a higher class, or at their highest in N weeks",
        description=__doc__,
        epilog="Example: riskengine alerts --week 2025-W27 --format md. The rules per stakeholder are 'alerts:' in rules/profiles.yaml.",
    )
    add_input_options(parser)
    add_window_options(parser)
    parser.add_argument("--stakeholder", choices=stakeholder_choices(), default="all")
    # "text" is what --format took before "table" and "md"; kept so scripts keep working
    parser.add_argument("--format", choices=(*FORMATS, "text"), default="table", help="table, json or md (default: %(default)s)")
    parser.add_argument("-o", "--out", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    parser.set_defaults(func=run)


def render_json(found: AlertsReport) -> str:
    return json.dumps(found.model_dump(mode="json", exclude_none=False), indent=2, ensure_ascii=False) + "\n"


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"  # as the briefs write percentages


def _rules(check: AlertCheck) -> str:
    return f"floor {check.floor_class} ({check.floor:.2f}), highest in {check.peak_weeks} weeks, cool-down {check.cooldown_weeks} weeks"


def render_table(found: AlertsReport, raising: Mapping[str, int] | None = None) -> str:
    lines = [f"{found.week}: {len(found.alerts)} alert(s), against {found.previous_week}; rule pack {found.rule_pack}"]
    for check in found.checked:
        mine = [a for a in found.alerts if a.stakeholder == check.stakeholder]
        lines.append("")
        lines.append(f"{check.stakeholder}: {len(mine) or 'no'} alert(s) ({_rules(check)})")
        for a in mine:
            lines.append(f"  {a.id}: {a.headline}")
            for d in a.drivers:
                lines.append(f"    {_percent(d.share):>5} {d.rule_id} ({d.dimension}, {d.weighted_points:.2f}): {', '.join(d.event_ids)}")
            left_out = largest_of((raising or {}).get(a.id, 0), len(a.drivers))
            if left_out:
                lines.append(f"    ({left_out.removeprefix(': ')})")
    return "\n".join(lines) + "\n"


def _md_driver_rule(firings: tuple[AlertDriver, ...]) -> str:
    """One rule among an alert's drivers, once however often it fired: "`r` Title (dimension,
    15 %: E1)", or with several firings "(dimension, 12 %, 3 firings: 4 % E1; 4 % E2; 4 % E3)"."""
    first = firings[0]
    total = f"{sum(map(driver_percent, firings))} %"
    if len(firings) == 1:
        said = f"{total}: {md_escape(', '.join(first.event_ids))}"
    else:
        said = f"{total}, {len(firings)} firings: " + "; ".join(f"{_percent(d.share)} {md_escape(', '.join(d.event_ids))}" for d in firings)
    return f"`{first.rule_id}` {md_escape(first.rule_title)} ({first.dimension}, {said})"


def _md_alert(a: Alert, raising: int) -> list[str]:
    lines = [f"- **{md_escape(a.headline)}**"]
    if a.drivers:
        shown = "; ".join(_md_driver_rule(group) for group in drivers_by_rule(a.drivers))
        lines.append(f"  - Driven most by {shown}{largest_of(raising, len(a.drivers))}")
    lines.append(f"  - Alert `{a.id}`")
    return lines


def render_md(found: AlertsReport, raising: Mapping[str, int] | None = None) -> str:
    """The alerts as Markdown; ``raising`` (``raising_counts`` of the score report) says of how many
    firings each alert's drivers are the largest, as the brief does."""
    lines = [
        f"# Alerts, {found.week}",
        "",
        f"Compared with {found.previous_week}; rule pack {found.rule_pack}; {len(found.alerts)} alert{'s' if len(found.alerts) != 1 else ''}.",
        "An alert is a score, overall or in one dimension, that rose into a higher class than the week before or is at its "
        "highest in N weeks, at or above the floor; the same alert is not raised again within the cool-down. "
        "Each names the firings that added most to that score this week, with their share of it.",
    ]
    for check in found.checked:
        mine = [a for a in found.alerts if a.stakeholder == check.stakeholder]
        lines += ["", f"## {md_escape(check.title)} ({check.stakeholder})", "", f"Rules: {_rules(check)}.", ""]
        if not mine:
            lines.append("No alerts this week.")
        for a in mine:
            lines += _md_alert(a, (raising or {}).get(a.id, 0))
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    if args.date_from or args.date_to:
        raise UsageError("alerts are weekly: give --week (or nothing, for the week of the latest event), not --from/--to")
    window_from(args)  # a bad week is a usage error before any reading
    report = score_inputs(args, stakeholders_from(args.stakeholder)).report
    found = alerts_report(report)
    raising = raising_counts(report)
    if args.format == "json":
        text = render_json(found)
    elif args.format == "md":
        text = render_md(found, raising)
    else:
        text = render_table(found, raising)
    if args.out:
        write_atomic(args.out, text)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
