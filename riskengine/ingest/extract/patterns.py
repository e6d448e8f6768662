"""patterns.yaml as compiled matchers: cues per kind, word lists, negations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskengine.core.events import SUB_EVENT_TYPES, DiplomaticKind, TargetCategory
from riskengine.ingest.extract.config import DEFAULT_PATTERNS, config_error, load_mapping

REQUIRED = ("theatre", "kinds", "weapons", "casualty_words", "people", "troops")


def words_regex(words: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive regex for a word list; longest phrases first, whole words only."""
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    words: re.Pattern[str]
    near: re.Pattern[str] | None
    window: int


@dataclass(frozen=True)
class Kind:
    name: str
    group: str
    event_type: str
    sub_event_type: str | None
    cues: tuple[Cue, ...]
    status: tuple[tuple[str, re.Pattern[str]], ...]
    default_status: str | None
    diplomatic_kind: str | None
    target_category: str | None
    notes_prefix: str


class Patterns:
    def __init__(self, data: dict[str, Any], path: Path) -> None:
        self.path = path
        self.data = data
        for key in REQUIRED:
            if key not in data:
                raise config_error(path, key, f"'{key}' is missing")
        theatre = data["theatre"] or {}
        self.default_country: str = str(theatre.get("default_country", "UKR"))
        self.belligerents: tuple[str, ...] = tuple(theatre.get("belligerents", []))
        self.vague: dict[str, int] = {str(k).lower(): int(v) for k, v in (data.get("vague_quantities") or {}).items()}
        self.kinds: dict[str, Kind] = {name: self._kind(name, spec) for name, spec in data["kinds"].items()}
        self.weapon_of: dict[str, str] = {}
        for weapon, words in data["weapons"].items():
            for w in words:
                self.weapon_of[w.lower()] = weapon
        self.weapons = words_regex(list(self.weapon_of))
        self.anaphora = words_regex(data.get("anaphora", []))
        self.hypothetical = words_regex(data.get("hypothetical", []))
        self.aggregate = words_regex(data.get("aggregate", []))
        self.other_event = words_regex(data.get("other_event", []))
        self.negated = words_regex(data.get("negated", []))
        self.negations = [(re.compile(n["pattern"], re.IGNORECASE), tuple(n["fields"])) for n in data.get("negations", [])]
        self.negation_scope = words_regex(data.get("negation_scope", ["aboard"]))
        self.people = words_regex(data["people"])
        self.troops = words_regex(data["troops"])
        self.distance_units = {k.lower(): float(v) for k, v in (data.get("distance_units") or {}).items()}
        self.casualty = {field: words_regex(words) for field, words in data["casualty_words"].items()}
        self.launch = words_regex(data.get("launch_words", []))
        self.intercept = words_regex(data.get("intercept_words", []))
        self.destroy = words_regex(data.get("destroy_words", []))
        self.claim = words_regex(data.get("claim_words", []))
        self.confirm = words_regex(data.get("confirm_words", []))
        self.dispute = words_regex(data.get("dispute_words", []))
        self.target_categories: list[tuple[str, re.Pattern[str]]] = []
        for category, words in (data.get("target_categories") or {}).items():
            if category not in TargetCategory.__args__:  # type: ignore[attr-defined]
                raise config_error(path, f"target_categories.{category}", f"unknown target category '{category}'")
            self.target_categories.append((category, words_regex(words)))
        heads = "|".join(re.escape(h) for h in data.get("target_name_heads", []))
        self.target_name = re.compile(rf"(?:the\s+)?((?:[A-Z][\w'’-]+\s+){{1,4}})({heads})\b") if heads else None
        self.tags = [(tag, words_regex(words)) for tag, words in (data.get("tags") or {}).items()]

    def _kind(self, name: str, spec: dict[str, Any]) -> Kind:
        where = f"kinds.{name}"
        acled = spec.get("acled") or {}
        event_type, sub = acled.get("event_type"), acled.get("sub_event_type")
        if event_type not in SUB_EVENT_TYPES:
            raise config_error(self.path, f"{where}.acled.event_type", f"unknown ACLED event type '{event_type}'")
        if sub is not None and sub not in SUB_EVENT_TYPES[event_type]:
            raise config_error(self.path, f"{where}.acled.sub_event_type", f"'{sub}' is not a sub-event type of '{event_type}'")
        dk = spec.get("diplomatic_kind")
        if dk is not None and dk not in DiplomaticKind.__args__:  # type: ignore[attr-defined]
            raise config_error(self.path, f"{where}.diplomatic_kind", f"unknown diplomatic kind '{dk}'")
        cues = []
        for i, cue in enumerate(spec.get("cues") or []):
            if not cue.get("words"):
                raise config_error(self.path, f"{where}.cues[{i}]", "a cue needs 'words'")
            cues.append(Cue(words_regex(cue["words"]), words_regex(cue["near"]) if cue.get("near") else None, int(cue.get("window", 6))))
        if not cues:
            raise config_error(self.path, where, "a kind needs at least one cue")
        status = tuple((s, words_regex(words)) for s, words in (spec.get("status") or {}).items())
        return Kind(
            name, str(spec.get("group", name)), event_type, sub, tuple(cues), status, spec.get("default_status"),
            dk, spec.get("target_category"), str(spec.get("notes_prefix", "")),
        )  # fmt: skip


_DEFAULT: Patterns | None = None


def load_patterns(path: Path | None = None) -> Patterns:
    global _DEFAULT
    if path is None:
        if _DEFAULT is None:
            _DEFAULT = Patterns(load_mapping(DEFAULT_PATTERNS, "patterns"), DEFAULT_PATTERNS)
        return _DEFAULT
    return Patterns(load_mapping(path, "patterns"), path)
