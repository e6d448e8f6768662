"""The command line: one module per verb in this package, errors turned into exit codes.

Exit codes: 0 ok, 1 bad input or rules, 2 usage, 3 internal error. Only this module and the
command modules print; the library raises typed errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from riskengine.cli.common import UsageError
from riskengine.core.errors import InputError, RiskEngineError

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

# Each command module defines ``register(subparsers)`` which adds its parser(s) and sets
# ``func`` (args -> exit code) as the parser default. A new verb is one module and one line here.
COMMAND_MODULES: tuple[str, ...] = (
    "riskengine.cli.score",
    "riskengine.cli.explain",
    "riskengine.cli.schema",
    "riskengine.cli.rules",
    "riskengine.cli.brief",
    "riskengine.cli.extract",
    "riskengine.cli.importer",
    "riskengine.cli.backtest",
    "riskengine.cli.ingest",
    "riskengine.cli.history",
    "riskengine.cli.alerts",
    "riskengine.cli.serve",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    from riskengine import __version__

    parser = _Parser(prog="riskengine", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"riskengine {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # verb not built yet
                continue
            raise
        module.register(subparsers)
    return parser


def report_input_error(error: InputError) -> None:
    for issue in error.issues:
        print(issue.render(), file=sys.stderr)
    print(f"error: {error.summary}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version and usage errors, as a return value
        return int(exit_.code or 0)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(func(args))
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"riskengine: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as error:
        report_input_error(error)
        return EXIT_BAD_INPUT
    except RiskEngineError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - last resort: never a traceback for the user
        print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("This is a bug in riskengine; please report it with the command you ran.", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
