"""riskengine brief: the weekly brief for each stakeholder, as Markdown, HTML, JSON or PDF files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from riskengine import api
from riskengine.briefs.render import FORMATS, RenderedBrief, brief_filename, render_briefs, signed
from riskengine.briefs.visuals import brief_images
from riskengine.cli.common import (
    add_input_options,
    add_regions_option,
    add_window_options,
    check_now,
    score_inputs,
    stakeholder_choices,
    stakeholders_from,
    window_from,
)
from riskengine.cli.stored import calibration_from_store, location_of, published_before, record_published
from riskengine.core.errors import InputError, Issue, Location, RiskEngineError, TemplateError
from riskengine.core.events import Event
from riskengine.core.fileio import write_all
from riskengine.core.resources import default_rules_dir, default_templates_dir
from riskengine.core.text import neutralise
from riskengine.core.windows import Window
from riskengine.scoring import calibration
from riskengine.scoring.scores import ScoreReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "brief",
        help="write the weekly brief for each stakeholder",
        description=__doc__,
        epilog="With no EVENTS the bundled sample is used. Example: riskengine brief --week 2025-W27 --format html",
    )
    add_input_options(parser)
    add_window_options(parser)
    add_regions_option(parser)
    parser.add_argument("--stakeholder", choices=stakeholder_choices(), default="all")
    parser.add_argument(
        "--format",
        choices=(*FORMATS, "pdf", "all"),
        default="md",
        help="md, html, json, all three, or pdf (printed from the HTML by headless Chromium) (default: %(default)s)",
    )
    parser.add_argument("-o", "--out", metavar="DIR", default="briefs", help="folder for the briefs, '-' for standard output (default: %(default)s)")
    parser.add_argument("--templates", metavar="DIR", help="templates that override the built-in ones of the same name")
    parser.add_argument(
        "--calibration", metavar="FILE",
        help="take the likelihood words from this history (riskengine calibrate --format json); default: calibrate on the events given",
    )  # fmt: skip
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


def _output_folder(out: str) -> Path:
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        # mkdir's "File exists" read as if the folder could not be made for another reason.
        raise InputError([Issue("E406", "is a file: --out names the folder the briefs are written to", Location(out), hint="give a folder, or - for standard output")])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError([Issue("E406", f"cannot create output folder: {exc.strerror}", Location(out), hint=f"--out {out}")]) from None
    return folder


def _formats(value: str) -> tuple[str, ...]:
    # A PDF is its HTML brief, printed: `all` stays md, html and json, which need no browser.
    return FORMATS if value == "all" else ("html",) if value == "pdf" else (value,)


def build(args: argparse.Namespace) -> list[RenderedBrief]:
    window_from(args)  # a bad window is a usage error before any reading
    scored = score_inputs(args, stakeholders_from(args.stakeholder))
    history = calibration_for(args, scored.report, scored.events)
    since = published_before(args, scored.report)  # with a store: against the briefs sent (riskengine/cli/stored.py)
    return render_briefs(
        scored.report, scored.events, formats=_formats(args.format), templates_dir=args.templates, calibration=history, since=since, fields_read=scored.fields_read
    )


def calibration_for(args: argparse.Namespace, report: ScoreReport, events: list[Event]) -> calibration.History | None:
    """The history the likelihood words come from: --calibration FILE, or the events given, in
    the weeks before the brief's (none when the window is not an ISO week or no event is older)."""
    if args.calibration:
        history = calibration.read_calibration(args.calibration)
        if history.rule_pack_version != report.rule_pack.version:
            print(
                f"warning: {args.calibration} was made with rule pack {neutralise(history.rule_pack_version)}, these briefs use "
                f"{report.rule_pack.version}: its likelihoods describe the other pack's scores (run riskengine calibrate again)",
                file=sys.stderr,
            )
        return history
    window = Window(report.window.start, report.window.end, report.window.label)
    if not calibration.is_iso_week(window):
        return None
    pack = api.load_rules(args.rules)
    compiled = api.compile_pack(pack)
    if location_of(args):  # the weeks the history needs, streamed from the store (riskengine/cli/stored.py)
        return calibration_from_store(args, window, pack, compiled)
    paths = [str(p) for p in args.events] or [str(api.sample_events_path())]
    span = calibration.event_span(paths, skip_invalid=args.skip_invalid)
    weeks = calibration.weeks_for(window, span[0]) if span else None
    if weeks is None:
        return None
    # Named as the API names it, so a brief reads the same from either
    return calibration.calibrate_files(
        paths, pack=pack, compiled=compiled, first=weeks[0], last=weeks[1], source="the events given", skip_invalid=args.skip_invalid
    )


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
        folder = _output_folder(out)
        outputs: list[tuple[Path, str | bytes]] = []
        for brief in briefs:
            outputs.append((folder / brief.filename, brief.text))
            if brief.fmt == "md":  # the map and charts it links, beside it (riskengine/briefs/visuals.py)
                outputs += [(folder / image.filename, image.png) for image in brief_images(brief.context.event_map, brief.context.trend_charts, linked_from=brief.text)]
        write_outputs(outputs, out)
    report(briefs, out)


def write_outputs(outputs: list[tuple[Path, str | bytes]], out: str) -> None:
    """All or none: a brief set half this week's and half last week's would read as one."""
    try:
        write_all(outputs)
    except OSError as exc:
        raise InputError([Issue("E406", f"cannot write {exc.filename or out}: {exc.strerror}", Location(str(exc.filename or out)))]) from None
    for target, _ in outputs:
        print(f"wrote {target}")


def report(briefs: list[RenderedBrief], out: str) -> None:
    """How each brief reads, then its warnings on stderr."""
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


def publish(args: argparse.Namespace, briefs: list[RenderedBrief]) -> None:
    """Write the briefs; for --format pdf, print their HTML to PDF files (one browser for all)."""
    if args.format != "pdf":
        write(briefs, args.out)
        return
    from riskengine.briefs.pdf import print_pdfs

    folder = _output_folder(args.out)
    printed = print_pdfs([(brief_filename(b.context, "pdf"), b.text) for b in briefs], args.now)
    write_outputs([(folder / pdf.filename, pdf.pdf) for pdf in printed], args.out)
    report([RenderedBrief(b.context, "pdf", p.filename, "", b.leftovers) for b, p in zip(briefs, printed, strict=True)], args.out)


def watched_paths(args: argparse.Namespace) -> list[Path]:
    paths = [Path(p) for p in (args.rules or [default_rules_dir()])]
    paths += [Path(p) for p in (args.events or [api.sample_events_path()])]
    paths.append(default_templates_dir())
    if args.templates:
        paths.append(Path(args.templates))
    if args.calibration:
        paths.append(Path(args.calibration))
    return paths


def run(args: argparse.Namespace) -> int:
    check_now(args.now)
    if args.templates and not Path(args.templates).is_dir():
        raise TemplateError(f"--templates {args.templates}: not a folder")
    if args.watch and args.out == "-":
        raise InputError([Issue("E406", "--watch writes files; give --out DIR rather than '-'")])
    if args.format == "pdf" and args.out == "-":
        raise InputError([Issue("E406", "--format pdf writes files; give --out DIR rather than '-'")])
    briefs = build(args)
    publish(args, briefs)
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
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more files" if len(changed) > 3 else "")
        print(f"changed: {shown}; rendering again", file=sys.stderr)
        try:
            publish(args, build(args))
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
