"""riskengine score: scores per stakeholder, dimension and region, with their contributions."""

from __future__ import annotations

import argparse
import sys

from riskengine.cli.common import (
    add_input_options,
    add_regions_option,
    add_window_options,
    data_notes,
    score_inputs,
    stakeholder_choices,
    stakeholders_from,
    window_from,
)
from riskengine.core.fileio import write_atomic
from riskengine.scoring.scores import ScoreReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("score", help="score events for each stakeholder", description=__doc__)
    add_input_options(parser)
    add_window_options(parser)
    add_regions_option(parser)
    parser.add_argument("--stakeholder", choices=stakeholder_choices(), default="all")
    parser.add_argument("--format", choices=("json", "table"), default="json")
    parser.add_argument("-o", "--out", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    parser.set_defaults(func=run)


def render_table(report: ScoreReport) -> str:
    lines = [
        f"Window {report.window.label} ({report.window.start} to {report.window.end}), "
        f"against {report.previous_window.label}; scale 0-10, higher is riskier; rule pack {report.rule_pack.version}",
        f"Events: {report.events_in_window} in window, {report.events_in_previous_window} in the previous one",
        *(f"Note: {note}" for note in report.notes),
        "",
        f"{'stakeholder':<12} {'score':>5} {'class':<10} {'prev':>5} {'change':>6}  top dimension",
    ]
    for s in report.stakeholders:
        top = max(s.dimensions, key=lambda d: (d.score, d.dimension))
        lines.append(
            f"{s.stakeholder:<12} {s.score:>5.2f} {s.score_class:<10} {s.previous_score:>5.2f} {s.change:>+6.2f}  "
            f"{top.dimension} {top.score:.2f}"
        )
    for s in report.stakeholders:
        lines += ["", f"{s.stakeholder}: {s.title}", f"  {'dimension':<13} {'weight':>6} {'score':>5} {'class':<10} {'change':>6}"]
        for d in s.dimensions:
            lines.append(f"  {d.dimension:<13} {d.weight:>6.2f} {d.score:>5.2f} {d.score_class:<10} {d.change:>+6.2f}")
        regions = [r for r in s.regions if r.score or r.previous_score or r.of_interest]
        if regions:
            lines.append("  regions: " + ", ".join(f"{r.region} {r.score:.2f} ({r.change:+.2f})" for r in regions))
        lines.append(f"  contributions: {len(s.contributions)} (riskengine explain --stakeholder {s.stakeholder} for each)")
    return "\n".join(lines) + "\n"


def render_json(report: ScoreReport) -> str:
    return report.model_dump_json(indent=2) + "\n"


def run(args: argparse.Namespace) -> int:
    window_from(args)  # a bad window is a usage error before any reading
    report = data_notes(args, score_inputs(args, stakeholders_from(args.stakeholder)).report)
    text = render_json(report) if args.format == "json" else render_table(report)
    if args.out:
        write_atomic(args.out, text)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
