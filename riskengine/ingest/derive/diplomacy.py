"""diplomacy.yaml as compiled entries, and the diplomatic kind and status an ACLED note states.

ACLED has no diplomatic field: a ceasefire, a peace agreement or talks are Strategic developments
whose notes say which ("the two clans held a peace meeting", "agreed to a ceasefire"). The first
entry of diplomacy.yaml whose pattern matches decides; the finding keeps the words it came from.
Validation collects every problem of the file before raising, as notes.yaml's does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskengine.core.errors import InputError, Issue, Location
from riskengine.core.events import DiplomaticKind, DiplomaticStatus
from riskengine.ingest.derive.notes import Finding
from riskengine.ingest.extract.config import load_mapping
from riskengine.ingest.extract.patterns import words_regex

DEFAULT_DIPLOMACY = Path(__file__).resolve().parent / "diplomacy.yaml"
EVENT_TYPE = "Strategic developments"
# A few words within one sentence: no sentence end ("U.N." keeps its dots), at most 80 characters,
# so a pattern's cost stays linear in the note's length.
_GAP = r"(?:[^.;!?]|\.(?!\s)){0,80}?"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_KINDS: frozenset[str] = frozenset(DiplomaticKind.__args__)  # type: ignore[attr-defined]
_STATUSES: frozenset[str] = frozenset(DiplomaticStatus.__args__)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Entry:
    name: str
    index: int
    kind: str | None  # None: the entry decides that nothing is derived
    status: str | None
    regex: re.Pattern[str]
    sub_event_types: frozenset[str | None] | None


class DiplomacyVocabulary:
    """diplomacy.yaml, validated and compiled."""

    def __init__(self, data: dict[str, Any], path: Path) -> None:
        self.path = path
        issues: list[Issue] = []

        def problem(where: str, message: str) -> None:
            issues.append(Issue("E103", message, Location(str(path), 0, 0, where)))

        self.sub_event_types = self._sub_types(data.get("sub_event_types"), "sub_event_types", problem) or frozenset()
        vocabularies: dict[str, str] = {}
        raw = data.get("vocabularies")
        if not isinstance(raw, dict):
            problem("vocabularies", "'vocabularies' is missing or not a mapping of word lists")
            raw = {}
        for name, words in raw.items():
            if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
                problem(f"vocabularies.{name}", "a vocabulary is a non-empty list of words")
                continue
            vocabularies[str(name)] = words_regex(words).pattern

        self.entries: list[Entry] = []
        entries = data.get("entries")
        if not isinstance(entries, list) or not entries:
            problem("entries", "'entries' is missing or not a list of {name, kind, status, pattern}")
            entries = []
        for i, spec in enumerate(entries):
            where = f"entries[{i}]"
            if not isinstance(spec, dict) or not isinstance(spec.get("pattern"), str) or not isinstance(spec.get("name"), str):
                problem(where, "expected {name: ..., pattern: '...'} with optional kind, status and sub_event_types")
                continue
            unknown = set(spec) - {"name", "kind", "status", "pattern", "sub_event_types"}
            if unknown:
                problem(where, f"unknown key(s) {', '.join(sorted(unknown))} (expected name, kind, status, pattern, sub_event_types)")
            kind, status = spec.get("kind"), spec.get("status")
            if kind is not None and kind not in _KINDS:
                problem(f"{where}.kind", f"unknown diplomatic kind '{kind}' (expected one of: {', '.join(sorted(_KINDS))})")
                continue
            if (kind is None) != (status is None) or (status is not None and status not in _STATUSES):
                problem(f"{where}.status", f"a kind needs a status, one of: {', '.join(sorted(_STATUSES))} (and an entry without a kind has none)")
                continue
            missing = [n for n in _PLACEHOLDER.findall(spec["pattern"]) if n != "gap" and n not in vocabularies]
            if missing:
                problem(f"{where}.pattern", f"unknown placeholder(s) {', '.join('{' + n + '}' for n in missing)} (vocabularies: {', '.join(sorted(vocabularies))})")
                continue
            text = _PLACEHOLDER.sub(lambda m: _GAP if m.group(1) == "gap" else f"(?:{vocabularies[m.group(1)]})", spec["pattern"])
            try:
                regex = re.compile(text, re.IGNORECASE)
            except re.error as error:
                problem(f"{where}.pattern", f"not a regular expression: {error}")
                continue
            limit = self._sub_types(spec.get("sub_event_types"), f"{where}.sub_event_types", problem) if "sub_event_types" in spec else None
            self.entries.append(Entry(spec["name"], i, kind, status, regex, limit))
        if issues:
            raise InputError(issues, f"invalid {path.name}: {len(issues)} problem(s)")

    @staticmethod
    def _sub_types(value: Any, where: str, problem: Any) -> frozenset[str | None] | None:
        if not isinstance(value, list) or not all(v is None or isinstance(v, str) for v in value):
            problem(where, "expected a list of ACLED sub-event types (null for exports without them)")
            return None
        return frozenset(value)

    def applies(self, event_type: str | None, sub_event_type: str | None) -> bool:
        return event_type == EVENT_TYPE and sub_event_type in self.sub_event_types

    def read(self, notes: str, sub_event_type: str | None) -> list[Finding]:
        """The kind and status the first matching entry gives (none when it has no kind)."""
        for entry in self.entries:
            if entry.sub_event_types is not None and sub_event_type not in entry.sub_event_types:
                continue
            m = entry.regex.search(notes)
            if m is None:
                continue
            if entry.kind is None or entry.status is None:
                return []
            method = f"notes pattern diplomacy.entries[{entry.index}] ({entry.name})"
            evidence = m.group(0).strip()
            return [Finding("diplomatic_kind", entry.kind, method, evidence), Finding("diplomatic_status", entry.status, method, evidence)]
        return []


_DEFAULT: DiplomacyVocabulary | None = None


def load_diplomacy_vocabulary(path: Path | None = None) -> DiplomacyVocabulary:
    global _DEFAULT
    if path is None:
        if _DEFAULT is None:
            _DEFAULT = DiplomacyVocabulary(load_mapping(DEFAULT_DIPLOMACY, "diplomacy vocabulary"), DEFAULT_DIPLOMACY)
        return _DEFAULT
    return DiplomacyVocabulary(load_mapping(path, "diplomacy vocabulary"), path)
