"""What the service keeps in memory besides its report cache: the running rule pack, reloaded
when its files change. Events stay in the store: a score reads only its window's look-back."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskengine import api
from riskengine.core.errors import Issue, RuleError
from riskengine.core.resources import default_rules_dir
from riskengine.rules.compiler import compile_rules
from riskengine.rules.ir import CompiledRuleSet
from riskengine.rules.loader import RulePack, rule_files
from riskengine.store.db import utc_now

Snapshot = dict[str, tuple[int, int]]


def issue_json(issue: Issue) -> dict[str, Any]:
    loc = issue.location
    return {
        "code": issue.code,
        "severity": issue.severity,
        "message": issue.message,
        "hint": issue.hint,
        "file": loc.file or None,
        "line": loc.line or None,
        "col": loc.col or None,
        "path": loc.yaml_path or None,
        "rendered": issue.render(),
    }


def _snapshot(paths: Sequence[Path]) -> Snapshot:
    """mtime and size of exactly the files the loader would read (rule_files, not a suffix
    filter: a template or a stray .json in the folder is no reason to reload the pack)."""
    files, _issues = rule_files(paths)
    found: Snapshot = {}
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        found[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return found


@dataclass(frozen=True)
class LoadedPack:
    pack: RulePack
    compiled: CompiledRuleSet
    loaded_at: str


class RulesHolder:
    """The running pack. A changed pack replaces it only if it passes what ``rules check`` checks
    (load and compile); otherwise the running one stays and the error is kept for /rules/status."""

    def __init__(
        self, paths: Sequence[str | os.PathLike[str]] | None, log: Callable[[dict[str, Any]], None], regions: Sequence[str] | None = None
    ) -> None:
        self.paths = [Path(p) for p in paths] if paths else [default_rules_dir()]
        self._given = [str(p) for p in paths] if paths else None
        self._regions = list(regions) if regions else None  # serve --regions: kept across reloads
        self.log = log
        self._lock = threading.Lock()
        self._seen = _snapshot(self.paths)
        self.current = self._load()  # a pack that fails at start stops the start: raises RuleError
        self.last_error: dict[str, Any] | None = None
        self.reloads = 0

    def _load(self) -> LoadedPack:
        pack = api.load_rules(self._given)
        if self._regions:
            pack = pack.with_regions_of_interest(self._regions)
        return LoadedPack(pack, compile_rules(pack), utc_now())

    def poll(self) -> bool:
        """Reload if the rule files changed; True when a new pack replaced the running one."""
        now = _snapshot(self.paths)
        with self._lock:
            if now == self._seen:
                return False
            self._seen = now
            try:
                loaded = self._load()
            except RuleError as error:
                self.last_error = {"at": utc_now(), "summary": error.summary, "issues": [issue_json(i) for i in error.issues]}
                self.log({"event": "rules_rejected", "running": self.current.pack.version, **self.last_error})
                return False
            previous = self.current.pack.version
            self.current = loaded
            self.last_error = None
            self.reloads += 1
            self.log({"event": "rules_reloaded", "previous": previous, "rule_pack": loaded.pack.version, "rules": len(loaded.pack.rules)})
            return True

    def status(self) -> dict[str, Any]:
        cur = self.current
        return {
            "rule_pack": cur.pack.version,
            "rules": len(cur.pack.rules),
            "files": list(cur.pack.files),
            "loaded_at": cur.loaded_at,
            "reloads": self.reloads,
            "last_error": self.last_error,
        }


class Poller(threading.Thread):
    """Calls ``step`` every ``interval`` seconds until stopped; a failing step is logged, not fatal."""

    def __init__(self, name: str, interval: float, step: Callable[[], object], log: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(name=name, daemon=True)
        self.interval = interval
        self.step = step
        self.log = log
        self.stopping = threading.Event()
        self.wake = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.wake.wait(self.interval)
            self.wake.clear()
            if self.stopping.is_set():
                break
            started = time.monotonic()
            try:
                self.step()
            except Exception as error:  # noqa: BLE001 - a background job must outlive one bad round
                self.log({"event": f"{self.name}_failed", "error": f"{type(error).__name__}: {error}", "seconds": round(time.monotonic() - started, 3)})

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()


__all__ = ["LoadedPack", "Poller", "RulesHolder", "issue_json"]
