"""riskengine calibrate: how often the brief's judgments came true in history, per likelihood
word (reliability), the Brier score against persistence, and the file briefs take their
likelihood words from (brief --calibration FILE)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from riskengine import api
from riskengine.cli.common import UsageError, add_input_options, report_read
from riskengine.cli.stored import events_from_store, location_of
from riskengine.core.errors import InputError, Issue
from riskengine.core.fileio import write_atomic
from riskengine.core.text import neutralise
from riskengine.core.windows import Window, check_order, parse_week, week_of
from riskengine.ingest.event_files import ReadReport
from riskengine.scoring import calibration
from riskengine.scoring.calibration import History


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="calibrate the briefs' likelihood words on history: reliability and Brier score vs persistence",
        description=__doc__,
        epilog=(
            "With no EVENTS the bundled sample is used. Example: riskengine calibrate feed.jsonl --from 2022-W09 "
            "--to 2025-W26 --format json -o calibration.json; then riskengine brief feed.jsonl --calibration calibration.json"
        ),
    )
    add_input_options(parser)
    parser.add_argument("--from", dest="first", metavar="YYYY-Www", help="first ISO week of the history (default: the week of the first event)")
    parser.add_argument("--to", dest="last", metavar="YYYY-Www", help="last ISO week of the history (default: the week of the last event)")
    parser.add_argument("--format", choices=("table", "json"), default="table", help="table (for reading) or json (for brief --calibration)")
    parser.add_argument("-o", "--out", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    parser.add_argument("--workers", type=int, default=None, metavar="N", help="processes to match with (default: 2 when it pays, else 1)")
    parser.set_defaults(func=run)


def describe_files(paths: list[str]) -> str:
    """The history's source as a reader should see it: file names, not this machine's folders."""
    if not paths:
        return "the bundled sample"
    names = [Path(p).name for p in paths]
    if len(names) == 1:
        return names[0]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"{len(names)} event files ({shown})"


def _weeks(args: argparse.Namespace, span: tuple[Any, Any] | None) -> tuple[Window, Window]:
    if span is None and not (args.first and args.last):
        raise InputError([Issue("E403", "nothing to calibrate: no events", hint="give event files, or --from and --to")])
    first = parse_week(args.first, "--from") if args.first else week_of(span[0])  # type: ignore[index]
    last = parse_week(args.last, "--to") if args.last else week_of(span[1])  # type: ignore[index]
    check_order(first, last)  # E402, exit 1, as score and backtest say it
    return first, last


def build(args: argparse.Namespace) -> History:
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1 (leave it out to choose)")
    pack = api.load_rules(args.rules)
    compiled = api.compile_pack(pack)
    if location_of(args):  # the event store: the latest revision of every event, in memory
        events = events_from_store(args)
        span = (min(e.event_date for e in events), max(e.event_date for e in events)) if events else None
        first, last = _weeks(args, span)
        return calibration.calibrate_events(events, pack=pack, compiled=compiled, first=first, last=last, source="the event store")
    paths = [os.fspath(p) for p in args.events] or [os.fspath(api.sample_events_path())]
    span = None if (args.first and args.last) else calibration.event_span(paths, skip_invalid=args.skip_invalid)
    first, last = _weeks(args, span)
    report = ReadReport()
    history = calibration.calibrate_files(
        paths,
        pack=pack,
        compiled=compiled,
        first=first,
        last=last,
        source=describe_files(list(args.events)),
        skip_invalid=args.skip_invalid,
        workers=args.workers or None,
        report=report,
    )
    report_read(report)
    return history


def _pct(value: float | None) -> str:
    return "-" if value is None else calibration.percent(value)


def render_table(data: dict[str, Any]) -> str:
    """The calibration as text: the history used, the reliability table, the Brier scores, and
    the cells a brief of the last week would use. ``data`` is ``calibration.to_json_data``."""
    h, m, oos = data["history"], data["method"], data["out_of_sample"]
    out: list[str] = ["Likelihood words calibrated on history", ""]
    spread = f"{h['weeks'] - h['weeks_without_events']} of its {h['weeks']} weeks" if h["weeks_without_events"] else f"all {h['weeks']} weeks"
    out.append(f"History:     {h['source']}, {h['from']} to {h['to']} ({h['events']:,} events in {spread})")
    out.append(f"Rule pack:   {h['rule_pack']['version']} ({h['rule_pack']['rules']} rules)")
    out.append(f"Cases:       {h['cases']:,}, pooled over {', '.join(h['stakeholders']) or 'no stakeholder'}; overall and dimension scores together")
    out.append(f"Judged:      {m['judged_outcome']}")
    out.append(f"Comparable:  {m['comparable']}")
    out.append(f"Model:       {m['model']}")
    out.append(
        f"Counted:     in the {m['window_weeks']} weeks before the week judged; a word needs {m['min_cases']} "
        f"comparable cases from {m['min_weeks']} different weeks"
    )
    out.append("")
    if oos["judged_from"]:
        out.append(f"Reliability, out of sample ({oos['judged_from']} to {oos['judged_to']}: {m['out_of_sample']}):")
    else:
        out.append("Reliability, out of sample: no case to judge (the history needs three weeks at least).")
    out.append("")
    header = f"{'likelihood':<20} {'stated':>8} {'cases':>7} {'came true':>9} {'observed':>8} {'95 % interval':>13}  inside"
    out.append(header)
    out.append("-" * len(header))
    few = False
    for row in oos["reliability"]:
        interval = "-" if row["interval_95"] is None else f"{round(row['interval_95'][0] * 100)}-{round(row['interval_95'][1] * 100)} %"
        if row["inside"] is None:
            verdict = "-"
        else:
            verdict = "yes" if row["inside"] else "no"
            if row["cases"] < m["min_cases"]:
                verdict += "*"
                few = True
        out.append(
            f"{row['likelihood']:<20} {row['probability_range']:>8} {row['cases']:>7,} {row['came_true']:>9,} "
            f"{_pct(row['observed']):>8} {interval:>13}  {verdict}"
        )
    unc, unc_true = oos["uncalibrated_cases"], oos["uncalibrated_came_true"]
    out.append(f"{'(uncalibrated)':<20} {'-':>8} {unc:>7,} {unc_true:>9,} {_pct(unc_true / unc if unc else None):>8} {'-':>13}  -")
    if oos["cases"]:
        # Coverage: the share of judgments that got a word, so that a table inside every band
        # cannot hide that most judgments were left without one.
        out.append(f"Coverage: {oos['calibrated_cases']:,} of {oos['cases']:,} judgments given a word ({oos['calibrated_cases'] / oos['cases'] * 100:.0f} %)")
    if few:
        out.append(f"* fewer than {m['min_cases']} cases: too few to test the band")
    out.append("")
    brier = oos["brier"]
    if brier["calibrated"] is None:
        out.append("Brier score: no case was given a word, so there is nothing to score.")
    else:
        out.append(f"Brier score over the {oos['calibrated_cases']:,} cases given a word (0 is perfect; lower is better):")
        out.append(f"  calibrated words      {brier['calibrated']:.4f}")
        out.append(f"  persistence           {brier['persistence']:.4f}  (next week's class = this week's)")
        if brier["skill_vs_persistence"] is not None:
            out.append(f"  skill vs persistence  {brier['skill_vs_persistence'] * 100:+.1f} %")
    out.append("")
    table = data["table"]
    out.append(f"Cells a brief of {table['for_week']} would use (cases of the {m['window_weeks']} weeks before it; a brief's word")
    out.append("comes from the model at its score's profile and the score's own record, the word here from the cell's frequency):")
    out.append("")
    header = f"{'class':<9} {'reached':<7} {'judged':<27} {'cases':>6} {'weeks':>6} {'came true':>9} {'frequency':>9}  likelihood"
    out.append(header)
    out.append("-" * len(header))
    for cell in table["cells"]:
        word = cell["likelihood"] or "uncalibrated"
        out.append(
            f"{cell['class']:<9} {cell['reached']:<7} {cell['judged']:<27} {cell['cases']:>6,} {cell['weeks']:>6} "
            f"{cell['came_true']:>9,} {_pct(cell['frequency']):>9}  {word}"
        )
    if not table["cells"]:
        out.append("(no case in those weeks)")
    return neutralise("\n".join(out)) + "\n"  # file names come from the command line: no terminal escapes


def run(args: argparse.Namespace) -> int:
    history = build(args)
    data = calibration.to_json_data(history)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n" if args.format == "json" else render_table(data)
    if args.out:
        write_atomic(os.fspath(args.out), text)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
