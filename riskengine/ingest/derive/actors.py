"""actors.yaml: sides for ACLED actor names, civilian actor types, NATO's members by date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskengine.core.errors import InputError, Issue, Location
from riskengine.ingest.extract.config import load_mapping

DEFAULT_ACTORS = Path(__file__).resolve().parent / "actors.yaml"


@dataclass(frozen=True)
class SideRule:
    regex: re.Pattern[str]
    side: str
    civilians: bool
    index: int


@dataclass(frozen=True)
class ActorSide:
    side: str
    civilians: bool
    rule: int  # index in `sides`, for the provenance


class ActorRules:
    def __init__(self, data: dict[str, Any], path: Path) -> None:
        self.path = path
        issues: list[Issue] = []

        def problem(where: str, message: str) -> None:
            issues.append(Issue("E103", message, Location(str(path), 0, 0, where)))

        self.rules: list[SideRule] = []
        sides = data.get("sides")
        if not isinstance(sides, list):
            problem("sides", "'sides' is missing or not a list of {pattern, side}")
            sides = []
        for i, spec in enumerate(sides):
            where = f"sides[{i}]"
            if not isinstance(spec, dict) or not isinstance(spec.get("pattern"), str) or not isinstance(spec.get("side"), str):
                problem(where, "expected {pattern: '...', side: '...'}")
                continue
            unknown = set(spec) - {"pattern", "side", "civilians"}
            if unknown:
                problem(where, f"unknown key(s) {', '.join(sorted(unknown))}")
            try:
                regex = re.compile(spec["pattern"])
            except re.error as error:
                problem(f"{where}.pattern", f"not a regular expression: {error}")
                continue
            if "{1}" in spec["side"] and regex.groups < 1:
                problem(f"{where}.side", "'{1}' needs a group in the pattern")
                continue
            self.rules.append(SideRule(regex, spec["side"], bool(spec.get("civilians", False)), i))
        self.civilian_inter_codes = frozenset(str(c).strip().casefold() for c in data.get("civilian_inter_codes") or [])
        self.nato: dict[str, dt.date | None] = {}
        for code, joined in (data.get("nato_members") or {}).items():
            if not re.fullmatch(r"[A-Z]{3}", str(code)):
                problem(f"nato_members.{code}", "expected an ISO 3166-1 alpha-3 code")
            elif joined is None or isinstance(joined, dt.date):
                self.nato[str(code)] = joined
            else:
                try:
                    self.nato[str(code)] = dt.date.fromisoformat(str(joined))
                except ValueError:
                    problem(f"nato_members.{code}", f"expected the day it joined (YYYY-MM-DD) or null, not '{joined}'")
        north = data.get("nato_treaty_area_north_of")
        if north is not None and not (isinstance(north, (int, float)) and -90 <= north <= 90):
            problem("nato_treaty_area_north_of", "expected a latitude in degrees")
            north = None
        self.nato_north_of: float | None = float(north) if north is not None else None
        if not self.nato:
            problem("nato_members", "'nato_members' is missing or empty")
        if issues:
            raise InputError(issues, f"invalid {path.name}: {len(issues)} problem(s)")
        self._cache: dict[str, ActorSide | None] = {}

    def side_of(self, actor: str | None) -> ActorSide | None:
        if not actor:
            return None
        if actor in self._cache:
            return self._cache[actor]
        found = None
        for rule in self.rules:
            m = rule.regex.search(actor)
            if m:
                side = rule.side.replace("{1}", m.group(1) if rule.regex.groups else "").strip()
                found = ActorSide(side, rule.civilians, rule.index) if side else None
                break
        self._cache[actor] = found
        return found

    def nato_on(self, day: dt.date) -> frozenset[str]:
        return frozenset(code for code, joined in self.nato.items() if joined is None or joined <= day)


_DEFAULT: ActorRules | None = None


def load_actor_rules(path: Path | None = None) -> ActorRules:
    global _DEFAULT
    if path is None:
        if _DEFAULT is None:
            _DEFAULT = ActorRules(load_mapping(DEFAULT_ACTORS, "actor rules"), DEFAULT_ACTORS)
        return _DEFAULT
    return ActorRules(load_mapping(path, "actor rules"), path)
