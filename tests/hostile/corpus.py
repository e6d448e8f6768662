"""Runs the hostile corpus (cases.yaml) case by case; used by tests/test_hostile.py and, as a
script, to count outcomes before and after a change:

    .venv/bin/python tests/hostile/corpus.py        # one line per case and the totals

Each case runs in its own process: a hang must fail a case (timeout) rather than block the suite,
and a memory blow-up must hit the address-space limit rather than the machine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
TIMEOUT = 20.0
MEMORY = 2 << 30

# The child: limits first (the file-size limit only when the case asks), SIGXFSZ left at its
# default so that the command itself has to cope with it, then the real entry point.
_CHILD = r"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
if {fsize}:
    resource.setrlimit(resource.RLIMIT_FSIZE, ({fsize}, {fsize}))
from riskengine.cli.app import main
sys.exit(main(sys.argv[1:]))
"""


def load_cases() -> list[dict[str, Any]]:
    with open(HERE / "cases.yaml", encoding="utf-8") as handle:
        return list(yaml.safe_load(handle))


@dataclass
class Outcome:
    case: str
    exit: int | None  # None: timed out
    output: str
    problems: list[str]

    @property
    def kind(self) -> str:
        """internal (exit 3), hang, lost (data overwritten or a device replaced), wrong-0, wrong, ok."""
        if self.exit is None:
            return "hang"
        if self.exit == 3 or self.exit < 0:
            return "internal"
        if any(p.startswith("lost") for p in self.problems):
            return "lost"
        if any(p.startswith("wrong-0") for p in self.problems):
            return "wrong-0"
        return "wrong" if self.problems else "ok"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _setup(work: Path, steps: list[list[Any]]) -> tuple[int, list[Any]]:
    fsize = 0
    readers: list[Any] = []
    for step in steps:
        kind, name, *rest = step
        target = work / str(name) if kind != "fsize" else None
        if kind == "symlink":
            os.symlink(rest[0], target)
        elif kind == "write":
            target.write_text(rest[0])
        elif kind == "writebytes":
            target.write_bytes(bytes.fromhex(rest[0]))
        elif kind == "mkdir":
            target.mkdir()
        elif kind == "fifo":
            os.mkfifo(target)
            # a reader, as a shell pipeline would have; it keeps what it read beside the fifo
            readers.append(subprocess.Popen(["sh", "-c", f"cat '{target}' > '{target}.read'"]))
        elif kind == "chardev":
            # a private copy of /dev/null (1,3) or /dev/full (1,7): a replaced device here harms nobody
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, int(rest[0])))
        elif kind == "sparse":
            with open(target, "wb") as handle:
                handle.truncate(int(rest[0]))
        elif kind == "fsize":
            fsize = int(name)
        else:
            raise ValueError(f"unknown setup step {kind!r}")
    return fsize, readers


def run_case(case: dict[str, Any], work: Path, python: str = sys.executable) -> Outcome:
    shutil.copytree(DATA, work, dirs_exist_ok=True)
    fsize, readers = _setup(work, case.get("setup", []))
    unchanged = {name: _digest(work / name) for name in case.get("unchanged", [])}
    child = _CHILD.format(memory=MEMORY, fsize=fsize)
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONHASHSEED="0")
    try:
        done = subprocess.run(
            [python, "-c", child, *[str(a) for a in case["args"]]],
            cwd=work, capture_output=True, timeout=TIMEOUT, env=env, stdin=subprocess.DEVNULL,
        )
        code: int | None = done.returncode
        output = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as expired:
        code = None
        output = (expired.stdout or b"").decode("utf-8", "replace") + (expired.stderr or b"").decode("utf-8", "replace")
    finally:
        for reader in readers:
            try:
                reader.wait(timeout=5)
            except subprocess.TimeoutExpired:
                reader.kill()
                reader.wait()
    problems: list[str] = []
    expected = case["exit"] if isinstance(case["exit"], list) else [case["exit"]]
    if code is not None and code not in expected:
        problems.append(f"{'wrong-0' if code == 0 else 'wrong'}: exit {code}, expected {case['exit']}")
    if code is not None and case.get("message") and case["message"] not in output:
        problems.append(f"wrong: output lacks {case['message']!r}")
    for name, before in unchanged.items():
        path = work / name
        if not path.is_file() or _digest(path) != before:
            problems.append(f"lost: {name} was overwritten")
    for kind, name in case.get("still", []):
        mode = os.lstat(work / name).st_mode if os.path.lexists(work / name) else 0
        test = {"symlink": stat.S_ISLNK, "chardev": stat.S_ISCHR, "fifo": stat.S_ISFIFO}[kind]
        if not test(mode):
            problems.append(f"lost: {name} is no longer a {kind}")
    for name, fragment in case.get("contains", []):
        path = work / name
        if not path.is_file() or fragment not in path.read_text("utf-8", "replace"):
            problems.append(f"lost: {name} lacks {fragment!r}")
    for text in case.get("lacks", []):
        if text in output:
            problems.append(f"wrong: output contains {text!r}")
    return Outcome(case["id"], code, output, problems)


def main() -> int:
    totals: dict[str, int] = {}
    wanted = sys.argv[1:]
    for case in load_cases():
        if wanted and not any(case["id"].startswith(w) for w in wanted):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            outcome = run_case(case, Path(tmp) / "w")
        totals[outcome.kind] = totals.get(outcome.kind, 0) + 1
        print(f"{outcome.kind:<9} {case['id']:<38} exit={outcome.exit} {'; '.join(outcome.problems)}", flush=True)
    print(" ".join(f"{k}={v}" for k, v in sorted(totals.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
