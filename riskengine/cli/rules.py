"""riskengine rules: check rule files (and, when installed, test and lint them), and say where the
bundled files that reports and briefs name (``rules/ngo.yaml:25``) are in this installation."""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import re
import sys
from pathlib import Path

from riskengine.cli.common import UsageError
from riskengine.core.errors import Issue, RuleError
from riskengine.core.resources import bundled_dirs, bundled_file, default_rules_dir, openable_path
from riskengine.rules.compiler import compile_rules
from riskengine.rules.loader import load_rules

QUALITY_MODULE = "riskengine.cli.rules_quality"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # the module's docstring without its reStructuredText quotes: --help prints it as it is
    parser = subparsers.add_parser("rules", help="check rule files", description=(__doc__ or "").replace("``", "'"))
    rules_subparsers = parser.add_subparsers(dest="rules_command", metavar="SUBCOMMAND", parser_class=type(parser))
    check = rules_subparsers.add_parser(
        "check",
        help="validate rule files and report every problem",
        description="Validate rule files: every problem is printed as file:line:col with a code from docs/ERRORS.md.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="rule files or folders (default: the bundled rules)")
    check.set_defaults(func=run_check)
    where = rules_subparsers.add_parser(
        "where",
        help="where the bundled rules, templates, sample data and rule tests are",
        description=(
            "Reports and briefs name bundled files the same on every machine (rules/ngo.yaml:25); this prints where "
            "this installation keeps them, to open or to copy: with NAMEs, each one's path (keeping :LINE); "
            "without, every bundled folder."
        ),
    )
    where.add_argument("names", nargs="*", metavar="NAME", help="a name from a report or brief, e.g. rules/ngo.yaml:25 or rules_gdelt")
    where.set_defaults(func=run_where)
    parser.set_defaults(func=lambda _args: _help(parser))
    # `rules test` and `rules lint` live in their own module, added here when it exists.
    try:
        quality = importlib.import_module(QUALITY_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != QUALITY_MODULE:
            raise
    else:
        quality.register(rules_subparsers)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _shown(issue: Issue) -> Issue:
    if not issue.location.file:
        return issue
    return dataclasses.replace(issue, location=dataclasses.replace(issue.location, file=openable_path(issue.location.file)))


def run_check(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [default_rules_dir()]
    try:
        pack = load_rules(paths)
        compiled = compile_rules(pack)
    except RuleError as error:
        raise RuleError([_shown(i) for i in error.issues], error.summary) from None
    disabled = len(pack.rules) - len(pack.enabled_rules)
    extra = f", {disabled} disabled" if disabled else ""
    files = len(pack.files)
    print(
        f"rules ok: {len(pack.rules)} rules ({pack.pattern_count} pattern{extra}) in {files} file{'s' if files != 1 else ''}, "
        f"pack {pack.version}; {len(compiled.rules)} compiled, {len(pack.profiles)} profiles"
    )
    return 0


# ``rules/ngo.yaml:25`` or ``rules/ngo.yaml:25:5``: the position is kept as given.
_POSITION = re.compile(r"(:\d+){1,2}$")


def run_where(args: argparse.Namespace) -> int:
    if not args.names:
        for name, folder in bundled_dirs().items():
            print(f"{name}\t{folder}")
        return 0
    found = []
    for name in args.names:
        position = _POSITION.search(name)
        file = bundled_file(name[: position.start()] if position else name)
        if file is None:
            raise UsageError(f"no bundled file is named '{name}' (bundled folders: {', '.join(bundled_dirs())})")
        if position and file.is_file():
            line = int(position.group(0).split(":")[1])
            with file.open("rb") as handle:
                lines = sum(1 for _ in handle)
            if not 1 <= line <= lines:
                # a line a report could never have named: an old report or a typo
                raise UsageError(f"{name}: {file.name} has {lines} lines, no line {line}")
        found.append(f"{file}{position.group(0) if position else ''}")
    print("\n".join(found))
    return 0
