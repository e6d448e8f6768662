"""The command line: one module per verb in this package, errors turned into exit codes.

Exit codes: 0 ok, 1 bad input or rules, 2 usage, 3 internal error. Only this module and the
command modules print; the library raises typed errors.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import re
import signal
import sys
import threading
from collections.abc import Sequence

from riskengine.cli.common import UsageError
from riskengine.core import fileio, resources
from riskengine.core.errors import InputError, Issue, Location, RiskEngineError

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

_LOCATED = re.compile(r"^\S[^\n]*?: (error|warning)\[[EW]\d{3}\] ")

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
    "riskengine.cli.calibrate",
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


# Options that name files a command reads, and those naming files it writes. Every reader's path
# is protected from every writer of the same run (fileio.protect): an -o or --rejects naming an
# input once replaced it.
INPUT_OPTIONS: tuple[str, ...] = ("events", "rules", "csv", "articles", "meta", "evaluate", "templates", "paths", "cases", "seeds", "calibration")
OUTPUT_OPTIONS: tuple[str, ...] = ("out", "rejects", "provenance")


def _paths(value: object) -> list[str]:
    if isinstance(value, (str, os.PathLike)):
        return [os.fspath(value)]
    if isinstance(value, (list, tuple)):
        return [os.fspath(v) for v in value if isinstance(v, (str, os.PathLike))]
    return []


def guard_outputs(args: argparse.Namespace) -> None:
    """Declare the run's inputs to fileio, refuse two outputs naming one file, and refuse an
    output that cannot be written before any work is done or any other output written."""
    fileio.reset_protection()
    fileio.protect(p for name in INPUT_OPTIONS for p in _paths(getattr(args, name, None)))
    # The bundled sample, packs and templates are inputs whenever no file is named, and never an
    # output: `alerts -o data/sample_events.yaml` replaced the sample every default run reads.
    fileio.protect(resources.bundled_dirs().values())
    outputs: dict[str, str] = {}
    for name in OUTPUT_OPTIONS:
        if name == "rejects" and not getattr(args, "skip_invalid", False):
            continue
        for path in _paths(getattr(args, name, None)):
            if path == "-" or os.path.isdir(path):
                continue
            real = os.path.realpath(path)
            if real in outputs:
                raise InputError(
                    [Issue("E407", f"--{name} {path} names the file --{outputs[real]} writes too", Location(path), "give each output its own file")]
                )
            outputs[real] = name
            fileio.check_writable(path)


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
    if hasattr(signal, "SIGXFSZ") and threading.current_thread() is threading.main_thread():
        # past the file-size limit, write() must fail with EFBIG (a typed error), not kill us
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        guard_outputs(args)
        return int(func(args))
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"riskengine: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as error:
        report_input_error(error)
        return EXIT_BAD_INPUT
    except RiskEngineError as error:
        text = str(error)
        # a message that is already a located line ('file:line:col: error[E317] ...') is printed
        # as it is: 'error: error[E317] ...' said error twice and put the place second
        print(text if _LOCATED.match(text) else f"error: {text}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO):
            return _internal(error)
        print(f"error: cannot write the output: {error.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - last resort: never a traceback for the user
        return _internal(error)


def _internal(error: BaseException) -> int:
    print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
    print("This is a bug in riskengine; please report it with the command you ran.", file=sys.stderr)
    return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
