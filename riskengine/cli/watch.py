"""Re-running a job when its input files change, by polling modification times (stdlib only).

Polling is portable and cheap for the few hundred files a rule pack, its templates and a week of
events make; it needs no extra dependency and behaves the same in containers and on network
file systems, where change notifications often do not arrive.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]

_sleep = time.sleep  # tests replace it to drive polls without waiting

# What a directory is watched for: rule files, templates and event files. Hidden files are left
# out: editors' swap files and our own atomic-write temporaries start with a dot.
WATCHED_SUFFIXES: tuple[str, ...] = (".yaml", ".yml", ".j2", ".json", ".jsonl", ".csv")


def _files(path: Path, ignore: tuple[Path, ...]) -> Iterable[Path]:
    if path.is_file():
        yield path
        return
    if not path.is_dir():
        return
    for root, dirs, names in os.walk(path):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() not in ignore)
        for name in sorted(names):
            if not name.startswith(".") and name.endswith(WATCHED_SUFFIXES):
                yield here / name


def snapshot(paths: Iterable[str | os.PathLike[str]], ignore: Iterable[str | os.PathLike[str]] = ()) -> Snapshot:
    """``{file: (mtime_ns, size)}`` for the given files and the watched files under given folders.

    A path that does not exist is simply absent, so creating it later counts as a change.
    """
    skip = tuple(Path(p).resolve() for p in ignore)
    found: Snapshot = {}
    for path in paths:
        for file in _files(Path(path), skip):
            try:
                stat = file.stat()
            except FileNotFoundError:  # deleted between listing and stat
                continue
            found[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, removed or modified between two snapshots, sorted."""
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def watch(
    paths: Iterable[str | os.PathLike[str]],
    on_change: Callable[[list[str]], None],
    *,
    interval: float = 0.5,
    max_iterations: int | None = None,
    ignore: Iterable[str | os.PathLike[str]] = (),
    sleep: Callable[[float], None] | None = None,
) -> int:
    """Poll ``paths`` every ``interval`` seconds; call ``on_change(files)`` after each change.

    Stops after ``max_iterations`` polls (None: never; Ctrl-C stops it) and returns how many
    changes it handled. The snapshot is taken before ``on_change`` runs, so an edit made while
    the job runs is seen on the next poll rather than lost.
    """
    pause = sleep or _sleep
    watched = [Path(p) for p in paths]
    skip = [Path(p) for p in ignore]
    before = snapshot(watched, skip)
    handled = 0
    polls = 0
    while max_iterations is None or polls < max_iterations:
        pause(interval)
        polls += 1
        after = snapshot(watched, skip)
        changes = changed_files(before, after)
        before = after
        if changes:
            handled += 1
            on_change(changes)
    return handled


__all__ = ["WATCHED_SUFFIXES", "Snapshot", "changed_files", "snapshot", "watch"]
