"""``riskengine rules test [DIR]`` and ``riskengine rules lint``: rule tests as data, and the linter.

Registered by riskengine.cli.rules, which calls ``register(rules_subparsers)``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from riskengine.checks import ruletest
from riskengine.core.errors import EventError, Issue, Location
from riskengine.core.events import Event
from riskengine.core.resources import default_cases_dir, default_rules_dir, gdelt_cases_dir, gdelt_rules_dir, openable_path, sample_data_dir

ENGINES = ("durable", "reference", "builtin")


def register(rules_subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    test = rules_subparsers.add_parser(
        "test",
        help="run the rule test cases (events -> expected firings)",
        description="Run rule test cases written as data. Exit 1 when a case fails.",
    )
    test.add_argument("cases", nargs="*", metavar="DIR", help="case files or folders (default: the cases the bundled packs ship with; with other --rules, ./tests/rules)")
    _add_common(test)
    test.set_defaults(func=run_test)

    lint = rules_subparsers.add_parser(
        "lint",
        help="find rules that never fire, overlap, lack a source or render empty",
        description=(
            "Check the rule packs against the sample events and the test cases: rules that never fire, "
            "duplicate or shadowed conditions, sources not found in the documents, recommendations that "
            "render empty, rules without test cases. Exit 1 on errors."
        ),
    )
    lint.add_argument("--events", action="append", metavar="FILE", help="events to fire the rules on (default: the bundled sample)")
    lint.add_argument("--cases", action="append", metavar="DIR", help="test cases (default: the cases the bundled packs ship with; with other --rules, ./tests/rules)")
    lint.add_argument("--seeds", metavar="DIR", help="folder of the source documents, 000_*.txt (default: ../shared/seeds beside the checkout)")
    _add_common(lint)
    lint.set_defaults(func=run_lint)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", action="append", metavar="PATH", help="rule file or folder (repeatable; default: the bundled packs)")
    parser.add_argument("--engine", choices=ENGINES, default="durable", help=argparse.SUPPRESS)


def _case_paths(given: list[str] | None, rules: list[str] | None) -> list[Path]:
    """The cases to run: those given; else the ones the packs under test ship with (the bundled
    packs' own, installed or in a checkout); for packs of one's own, ./tests/rules."""
    if given:
        return [Path(p) for p in given]
    if not rules:
        return [default_cases_dir()]
    resolved = {Path(p).resolve() for p in rules}
    if resolved == {gdelt_rules_dir().resolve()}:
        return [gdelt_cases_dir()]
    if resolved == {default_rules_dir().resolve()}:
        return [default_cases_dir()]
    # The bundled cases name the bundled rules: run against a pack of one's own they failed for
    # rules it does not have, which read as the pack failing. Without ./tests/rules, E701.
    return [Path("tests") / "rules"]


def _shown(issue: Issue) -> str:
    loc = issue.location
    if not loc.file:
        return issue.render()
    return Issue(issue.code, issue.message, Location(openable_path(loc.file), loc.line, loc.col, loc.yaml_path), issue.hint, issue.severity).render()


def _load(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from riskengine.rules.compiler import compile_rules
    from riskengine.rules.loader import load_rules

    pack = load_rules([Path(p) for p in args.rules] if args.rules else [default_rules_dir()])
    return pack, compile_rules(pack)


def run_test(args: argparse.Namespace) -> int:
    pack, compiled = _load(args)
    cases, problems, broken = ruletest.load_cases_counted(_case_paths(args.cases, args.rules))
    for issue in problems:
        print(_shown(issue), file=sys.stderr)
    results = ruletest.run_cases(cases, pack.rules, compiled, engine=args.engine, pack=pack)
    failed = [r for r in results if not r.passed]
    for result in failed:
        for issue in result.failures:
            print(_shown(issue))
    # A case that cannot be loaded (its keys or events do not validate) is a failed case, once.
    passed = len(results) - len(failed)
    print(f"{passed} passed, {len(failed) + broken} failed")
    return 1 if failed or problems else 0


def _read_events(paths: list[str] | None) -> list[Event]:
    chosen = [Path(p) for p in paths] if paths else [sample_data_dir() / "sample_events.yaml"]
    try:
        from riskengine.ingest import event_files as event_io
    except ImportError:
        return _read_yaml_events(chosen)
    return event_io.read_events(chosen).events


def _read_yaml_events(paths: list[Path]) -> list[Event]:
    # Until event_io is installed: YAML files with a top-level list or an ``events:`` list.
    from pydantic import ValidationError

    from riskengine.core.source import document_locator, load_yaml_file, validation_issues

    events: list[Event] = []
    issues: list[Issue] = []
    for path in paths:
        doc, _raw, found = load_yaml_file(path)
        issues.extend(found)
        if doc is None:
            continue
        data = doc.data.get("events", []) if isinstance(doc.data, dict) else doc.data or []
        base: tuple[str, ...] = ("events",) if isinstance(doc.data, dict) else ()
        for i, raw in enumerate(data):
            try:
                events.append(Event.model_validate(raw))
            except ValidationError as error:
                locate, render = document_locator(doc, (*base, i))
                issues.extend(validation_issues(error, Event, raw, locate, render))
    if issues:
        raise EventError(issues)
    return events


def run_lint(args: argparse.Namespace) -> int:
    pack, compiled = _load(args)
    events = _read_events(args.events)
    cases, problems = ruletest.load_cases(_case_paths(args.cases, args.rules))
    seeds_dir = Path(args.seeds) if args.seeds else ruletest.default_seeds_dir()
    if args.seeds and not seeds_dir.is_dir():  # type: ignore[union-attr]
        problems.append(Issue("E701", "no such folder of source documents", Location(args.seeds)))
    seeds = ruletest.read_seeds(seeds_dir)
    if not seeds:
        print("note: source documents not found; quotes are not checked (give --seeds DIR)", file=sys.stderr)
    issues = problems + ruletest.lint(
        pack.rules, compiled, pack.origins, sample_events=events, cases=cases, seeds=seeds, engine=args.engine
    )
    for issue in issues:
        print(_shown(issue))
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = len(issues) - errors
    print(f"lint: {len(compiled.rules)} rules, {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


__all__ = ["register", "run_lint", "run_test"]
