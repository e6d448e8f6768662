"""riskengine brief: the weekly brief for each stakeholder, as Markdown, HTML or JSON files."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from riskengine import api
from riskengine.briefs.render import FORMATS, RenderedBrief, render_briefs, signed
from riskengine.cli.common import (
    add_input_options,
    add_window_options,
    score_inputs,
    stakeholder_choices,
    stakeholders_from,
    window_from,
)
from riskengine.cli.stored import record_published
from riskengine.core.errors import InputError, Issue, RiskEngineError, TemplateError
from riskengine.core.fileio import write_atomic
from riskengine.core.resources import default_rules_dir, default_templates_dir


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "brief",
        help="write the weekly brief for each stakeholder",
        description=__doc__,
        epilog="With no EVENTS the bundled sample is used. Example: riskengine brief --week 2025-W27 --format html",
    )
    add_input_options(parser)
    add_window_options(parser)
    parser.add_argument("--stakeholder", choices=stakeholder_choices(), default="all")
    parser.add_argument(
        "--format", choices=(*FORMATS, "all"), default="md", help="md, html, json, or all three (default: %(default)s)"
    )
    parser.add_argument("--out", metavar="DIR", default="briefs", help="folder for the briefs, '-' for standard output (default: %(default)s)")
    parser.add_argument("--templates", metavar="DIR", help="templates that override the built-in ones of the same name")
    parser.add_argument(
        "--lint",
        action="store_true",
        help="fail (exit 1) when a Markdown or HTML brief has a placeholder, a likelihood and a confidence in one "
        "sentence, a second likelihood scale or an empty section (found problems are always printed as warnings)",
    )
    parser.add_argument("--watch", action="store_true", help="re-render whenever a rule, template or event file changes (Ctrl-C stops)")
    parser.add_argument("--watch-interval", type=float, default=0.5, help=argparse.SUPPRESS)
    parser.add_argument("--watch-max-polls", type=int, default=None, help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def check_now(value: str | None) -> None:
    if value is None:
        return
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            [Issue("E405", f"--now '{value}' is not an ISO timestamp", hint="write it like 2025-07-07T06:00:00Z")]
        ) from None


def _formats(value: str) -> tuple[str, ...]:
    return FORMATS if value == "all" else (value,)


def build(args: argparse.Namespace) -> list[RenderedBrief]:
    window_from(args)  # a bad window is a usage error before any reading
    scored = score_inputs(args, stakeholders_from(args.stakeholder))
    return render_briefs(scored.report, scored.events, formats=_formats(args.format), templates_dir=args.templates)


def summary_line(brief: RenderedBrief) -> str:
    b = brief.context.bluf
    c = brief.context
    return (
        f"{c.stakeholder}: {b.score_class} {b.score:.1f} ({signed(b.change)} since {c.previous_window.label}); "
        f"{len(c.drivers)} drivers, {len(c.actions)} actions, {len(c.warnings)} warnings"
    )


def write(briefs: list[RenderedBrief], out: str) -> None:
    """Write the briefs, then report where each went and how each reads, warnings on stderr."""
    if out == "-":
        for brief in briefs:
            sys.stdout.write(brief.text)
    else:
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError([Issue("E406", f"cannot create output folder: {exc.strerror}", hint=f"--out {out}")]) from None
        for brief in briefs:
            target = folder / brief.filename
            try:
                write_atomic(target, brief.text)
            except OSError as exc:
                raise InputError([Issue("E406", f"cannot write {target}: {exc.strerror}")]) from None
            print(f"wrote {target}")
    seen: set[str] = set()
    stream = sys.stderr if out == "-" else sys.stdout
    for brief in briefs:
        if brief.context.stakeholder in seen:
            continue
        seen.add(brief.context.stakeholder)
        print(summary_line(brief), file=stream)
    for brief in briefs:
        stakeholder = brief.context.stakeholder
        if brief.fmt == briefs[0].fmt:  # section warnings are the same in every format
            for w in brief.context.warnings:
                print(f"warning: {stakeholder} brief: {w.section}: {w.message}", file=sys.stderr)
        if brief.leftovers:
            print(
                f"warning: {stakeholder} {brief.fmt} brief contains {', '.join(repr(x) for x in brief.leftovers)}; check the templates",
                file=sys.stderr,
            )
        for finding in brief.lint:
            print(f"warning: {finding.render(brief.filename)}", file=sys.stderr)


def watched_paths(args: argparse.Namespace) -> list[Path]:
    paths = [Path(p) for p in (args.rules or [default_rules_dir()])]
    paths += [Path(p) for p in (args.events or [api.sample_events_path()])]
    paths.append(default_templates_dir())
    if args.templates:
        paths.append(Path(args.templates))
    return paths


def run(args: argparse.Namespace) -> int:
    check_now(args.now)
    if args.templates and not Path(args.templates).is_dir():
        raise TemplateError(f"--templates {args.templates}: not a folder")
    if args.watch and args.out == "-":
        raise InputError([Issue("E406", "--watch writes files; give --out DIR rather than '-'")])
    briefs = build(args)
    write(briefs, args.out)
    record_published(args, briefs)  # in the event store, when there is one (riskengine/cli/stored.py)
    findings = sum(len(b.lint) for b in briefs)
    if args.lint and findings:
        print(f"error: the brief lint found {findings} problem{'s' if findings != 1 else ''} (warnings above)", file=sys.stderr)
        return 1
    if not args.watch:
        return 0
    return _watch(args)


def _watch(args: argparse.Namespace) -> int:
    from riskengine.cli.watch import watch

    def rerender(changed: list[str]) -> None:
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        print(f"changed: {shown}; rendering again", file=sys.stderr)
        try:
            write(build(args), args.out)
        except InputError as error:  # half-saved files are normal while editing: report, keep watching
            for issue in error.issues:
                print(issue.render(), file=sys.stderr)
            print(f"error: {error.summary}; waiting for the next change", file=sys.stderr)
        except RiskEngineError as error:
            print(f"error: {error}; waiting for the next change", file=sys.stderr)

    paths = watched_paths(args)
    print(f"watching {len(paths)} paths for changes (Ctrl-C stops)", file=sys.stderr)
    try:
        watch(paths, rerender, interval=args.watch_interval, max_iterations=args.watch_max_polls, ignore=[args.out])
    except KeyboardInterrupt:
        print("stopped watching", file=sys.stderr)
    return 0
