"""A copy of a checkout with some of riskengine's modules compiled by mypyc, to count what
compiled code saves (docs/BENCHMARKS.md, "Session 14": it did not pay, so nothing ships compiled).

    python benchmarks/mypyc_trial.py --out /tmp/compiled                     # the four modules below
    python benchmarks/mypyc_trial.py --out /tmp/compiled riskengine/scoring/facts.py
    python benchmarks/instructions.py --root /tmp/pure --root /tmp/compiled --lines 10000

The copy is ``git archive HEAD`` of ``--root`` (default this checkout); mypyc (mypy's compiler,
in the test extra) writes a C extension beside each module, which Python then imports instead
of the source; every module is byte-compiled too, so that a count does not include compiling
the modules left as they are. Compare with a copy made the same way without compiling any
(``--none``): the output bytes must be the same (instructions.py prints each CSV's MD5).

Not every module compiles to the same behaviour: ``riskengine/ingest/fast_events.py`` defines
msgspec structs, and compiled, msgspec decoded no line into them, so every line took the
pydantic path (same bytes, half again the instructions); such a module is refused here.
``riskengine/scoring/reader.py`` compiles and gives the same bytes in one process, but its frozen
dataclass ``Bounds`` then fails to unpickle on a Dask worker (``FrozenInstanceError``): leave
it out to time two workers.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The modules of the per-event path that compile and give the same bytes (session 14).
DEFAULT = [
    "riskengine/scoring/facts.py",
    "riskengine/engine/durable/single.py",
    "riskengine/engine/durable/patterns.py",
    "riskengine/scoring/reader.py",
]
REFUSED = {"riskengine/ingest/fast_events.py": "its msgspec structs stop decoding when compiled"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"files to compile, relative to the checkout (default: {', '.join(DEFAULT)})")
    parser.add_argument("--root", default=str(REPO), help="the checkout to copy (its HEAD)")
    parser.add_argument("--out", required=True, help="an empty or missing folder for the copy")
    parser.add_argument("--none", action="store_true", help="compile nothing: the pure-Python copy to compare with")
    args = parser.parse_args(argv)
    modules = [] if args.none else (args.modules or DEFAULT)
    for module in modules:
        if module in REFUSED:
            raise SystemExit(f"{module}: {REFUSED[module]}")
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(["git", "-C", args.root, "archive", "HEAD"], stdout=archive, check=True)
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(out, filter="data")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    if modules:
        # mypyc type-checks the modules with the checkout's mypy settings (pyproject.toml), then
        # builds the extensions with the C compiler Python was built with (gcc -O3 here)
        subprocess.run([sys.executable, "-m", "mypyc", *modules], cwd=out, env=env, check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "riskengine"], cwd=out, env=env, check=True, stdout=subprocess.DEVNULL)
    built = sorted(str(path.relative_to(out)) for path in out.rglob("*.so") if "build" not in path.parts)
    print(f"{out}: {len(built)} extension(s)" + "".join(f"\n  {name}" for name in built))
    return 0


if __name__ == "__main__":
    sys.exit(main())
