"""Outputs into a folder or a file the run may not write, for real rather than simulated.

Every command that writes ends with exit 1 and a located E406 naming the target and why, before
anything is written: no other output of the run, no temporary file, the inputs and the old files
as they were. A brief set or an article's events with their provenance are written all or none.

Root (as CI runs) is never refused a write, so the commands run in a child process without the
capabilities that override file permissions (setpriv --bounding-set), against a folder owned by
another user with mode 0555; another user only needs the mode. The read-only file system case
bind-mounts the folder read-only in a private mount namespace (unshare -m). Each is skipped, with
the reason, where it cannot be arranged; the child first checks that it really cannot write there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WEEK = ["--week", "2025-W27"]
NOW = ["--now", "2025-07-07T06:00:00Z"]
ARTICLE = str(ROOT / "tests" / "extract" / "articles" / "feature_sumy.txt")
ACLED = str(ROOT / "tests" / "fixtures" / "acled" / "per_actor.csv")
NOBODY = 65534

# Run in the child: can it write into ro/? Then every command, in one process.
_DRIVER = """
import contextlib, io, json, sys
try:
    open("ro/probe", "w").close()
except OSError as error:
    denied = error.strerror
else:
    print(json.dumps({"denied": None})); sys.exit(0)
from riskengine.cli.app import main
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    results.append({"argv": argv, "code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
print(json.dumps({"denied": denied, "results": results}))
"""

# (argv, the target the message names, why, followed by the system's reason in parentheses); ro/
# is the folder that cannot be written.
IN_READ_ONLY_FOLDER = [
    (["score", *WEEK, "-o", "ro/score.json"], "ro/score.json", "folder ro is not writable"),
    # on a read-only file system the file itself cannot be written either, and that is said first
    (["score", *WEEK, "-o", "ro/existing.json"], "ro/existing.json", ""),
    (["brief", *WEEK, *NOW, "--out", "ro"], "ro/2025-W27-investor.md", "folder ro is not writable"),
    (["brief", *WEEK, *NOW, "--out", "ro/new"], "ro/new", "folder ro is not writable"),
    (["schema", "events", "-o", "ro/schema.json"], "ro/schema.json", "folder ro is not writable"),
    (["import", "acled", ACLED, "-o", "ro/events.jsonl"], "ro/events.jsonl", "folder ro is not writable"),
    # the second output fails: the first, writable one is not written either
    (["extract", ARTICLE, "-o", "rw/events.jsonl", "--provenance", "ro/provenance.jsonl"], "ro/provenance.jsonl", "folder ro is not writable"),
    (["score", *WEEK, "rw/events.yaml", "--skip-invalid", "--rejects", "ro/rejects.jsonl", "-o", "rw/score.json"], "ro/rejects.jsonl", "folder ro is not writable"),
]
# Files made read-only in a folder that can be written: replacing them needs only the folder's
# permission, but their owner said no.
READ_ONLY_FILES = [
    (["score", *WEEK, "rw/events.yaml", "-o", "rw/locked.json"], "rw/locked.json", "the file is not writable"),
    (["brief", *WEEK, *NOW, "--format", "all", "--out", "rw/briefs"], "rw/briefs/2025-W27-ngo.md", "the file is not writable"),
]


def _layout(work: Path) -> dict[str, bytes]:
    (work / "ro").mkdir()
    (work / "ro" / "existing.json").write_text('{"old": true}\n', encoding="utf-8")
    (work / "rw" / "briefs").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "sample_events.yaml", work / "rw" / "events.yaml")
    (work / "rw" / "locked.json").write_text("keep\n", encoding="utf-8")
    (work / "rw" / "briefs" / "2025-W27-ngo.md").write_text("last week's brief\n", encoding="utf-8")
    return _snapshot(work)


def _snapshot(work: Path) -> dict[str, bytes]:
    return {p.relative_to(work).as_posix(): p.read_bytes() for p in sorted(work.rglob("*")) if p.is_file()}


def _lock(path: Path, mode: int) -> None:
    if os.geteuid() == 0:
        os.chown(path, NOBODY, NOBODY)
    path.chmod(mode)


def _run(work: Path, prefix: list[str], cases: list[tuple[list[str], str, str]]) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    argv = [*prefix, sys.executable, "-c", _DRIVER, json.dumps([c[0] for c in cases])]
    done = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0 and not done.stdout.strip():
        pytest.skip(f"cannot arrange it here: {' '.join(prefix[:2])} failed: {done.stderr.strip()[:300]}")
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    if report["denied"] is None:
        pytest.skip("the child could write into the read-only folder all the same")
    return report


def _check(work: Path, before: dict[str, bytes], report: dict[str, object], cases: list[tuple[list[str], str, str]], reason: str) -> None:
    results = report["results"]
    assert isinstance(results, list)
    for (argv, target, why), result in zip(cases, results, strict=True):
        assert result["code"] == 1, f"{argv}: exit {result['code']}\n{result['stderr']}"
        first = result["stderr"].splitlines()[0]
        assert first.startswith(f"{target}: error[E406] cannot write {target}: {why}"), f"{argv}: {first}"
        assert first.endswith(reason), f"{argv}: {first}"
        assert "internal error" not in result["stderr"] and result["stdout"] == "", f"{argv}: {result}"
    # nothing written, nothing replaced, no temporary file left
    assert _snapshot(work) == before


@pytest.fixture
def work(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    # let pytest remove what the test locked
    for path in (tmp_path / "ro", tmp_path / "rw" / "locked.json", tmp_path / "rw" / "briefs" / "2025-W27-ngo.md"):
        if path.exists():
            path.chmod(0o755)


def test_a_folder_and_files_without_write_permission(work: Path) -> None:
    before = _layout(work)
    _lock(work / "ro", 0o555)
    _lock(work / "rw" / "locked.json", 0o444)
    _lock(work / "rw" / "briefs" / "2025-W27-ngo.md", 0o444)
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root, and setpriv (util-linux) is not installed to drop the capabilities that override permissions")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner,-linux_immutable", "--"]
    cases = IN_READ_ONLY_FOLDER + READ_ONLY_FILES
    report = _run(work, prefix, cases)
    assert report["denied"] == "Permission denied"
    _check(work, before, report, cases, "(permission denied)")


def test_a_read_only_file_system(work: Path) -> None:
    before = _layout(work)
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("a read-only bind mount needs root and unshare (util-linux)")
    ro = str(work / "ro")
    # in a mount namespace of its own: the mount ends with the child
    prefix = ["unshare", "-m", "--propagation", "private", "sh", "-c", 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"', "sh", ro]
    report = _run(work, prefix, IN_READ_ONLY_FOLDER)
    assert report["denied"] == "Read-only file system"
    _check(work, before, report, IN_READ_ONLY_FOLDER, "(read-only file system)")


def test_write_all_replaces_none_when_one_target_cannot_be_written(tmp_path: Path) -> None:
    # the same without permissions to arrange: a folder that does not exist
    from riskengine.core.errors import InputError
    from riskengine.core.fileio import write_all

    (tmp_path / "a.md").write_text("old a\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        write_all([(tmp_path / "a.md", "new a\n"), (tmp_path / "b.md", b"new b\n"), (tmp_path / "missing" / "c.md", "c\n")])
    assert "the folder does not exist" in caught.value.issues[0].message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "old a\n"
    write_all([(tmp_path / "a.md", "new a\n"), (tmp_path / "b.md", b"new b\n")])
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "new a\n" and (tmp_path / "b.md").read_bytes() == b"new b\n"
