"""CPU time of a benchmark run's whole process tree.

A run's own ``RUSAGE_CHILDREN`` counts only the children it waited for. Local Dask workers are
forked by multiprocessing's fork server (riskengine/scoring/distributed.py), so they are that
server's children, and the server is not reaped before the run ends: their CPU would be missed.
The process that starts the runs adopts its orphaned descendants (Linux's child subreaper) and
reaps them, so that all of them reach its own ``RUSAGE_CHILDREN``.
"""

from __future__ import annotations

import contextlib
import os
import resource
import time


def adopt_orphans() -> bool:
    """Make this process the subreaper of its descendants; False where the system has none."""
    try:
        import ctypes

        return bool(ctypes.CDLL(None).prctl(36, 1, 0, 0, 0) == 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def reap_orphans(keep: set[int] | frozenset[int] = frozenset(), timeout: float = 60) -> None:
    """Wait for every adopted descendant but ``keep`` (a fork server ends soon after its parent)."""
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        orphans = [p.pid for p in psutil.Process().children() if p.pid not in keep]
        if not orphans:
            return
        for pid in orphans:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def tree_cpu() -> float:
    """CPU seconds of every descendant reaped so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime
