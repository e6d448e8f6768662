"""notes.yaml as compiled matchers, and what they read in a piece of ACLED-style prose.

Every finding keeps the words it came from (``evidence``), so the event can say where a value came
from. Validation collects every problem of the file before raising, as the rule loader does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskengine.core.errors import InputError, Issue, Location
from riskengine.core.events import NOT_USED, TargetCategory
from riskengine.ingest.extract.config import load_mapping
from riskengine.ingest.extract.numbers import DIGITS_RX, WORD_NUMBER_RX, words_to_int
from riskengine.ingest.extract.patterns import words_regex

DEFAULT_NOTES = Path(__file__).resolve().parent / "notes.yaml"

# Count fields a figure pattern may fill: the integer fields of the event beyond ACLED.
FIGURE_FIELDS = frozenset(
    ["injured", "hospitalised", "drones_launched", "drones_intercepted", "missiles_launched", "missiles_intercepted", "aircraft_destroyed"]
)
_QUALIFIER = r"(?:(?:at\s+least|more\s+than|over|about|around|some|approximately|nearly|up\s+to)\s+)?"
_NUMBER = rf"{_QUALIFIER}(?:{DIGITS_RX}|{WORD_NUMBER_RX})"
# A range of figures ("11-17", "between 5 and 8", "5 to 8"): read whole, so that its upper bound is
# not read alone, and as its lower bound, the project's convention (as for "at least N"). "And"
# joins a range only after "between": "killing 5 and 8 injured" is two figures; a hyphen joins
# digits only: "thirty-two wounded" is one number.
_BARE = rf"(?:{DIGITS_RX}|{WORD_NUMBER_RX})"
_RANGE = rf"(?:between\s+{_BARE}\s+(?:and|to|-)\s+{_BARE}|{DIGITS_RX}\s*[-–]\s*{DIGITS_RX}(?![\w-])|{_BARE}\s+to\s+{_BARE})"
_RANGE_WHOLE = re.compile(_RANGE, re.IGNORECASE)
_RANGE_SPLIT = re.compile(r"^between\s+|\s+(?:and|to)\s+|(?<=\d)\s*[-–]\s*(?=\d)", re.IGNORECASE)
_ONE = r"(?:a|an|one|single)"
_ADJ = r"(?:[\w'’-]+\s+){0,2}[\w'’-]+"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# "On 16 February 2024," is the date, not a count.
_DATE_PREFIX = re.compile(r"^\s*(?:[A-Z][\w ]{0,30}:\s*)?on\s+(?:\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\s*,?", re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# A figure stated as a total over a period, not the event's own: "over the six days", "since
# 30 May", "so far", "in total", "bringing the total to", "cumulative", "during the week", "in the
# past three days", "since the start of the protests".
_PERIOD_TOTAL = re.compile(
    r"\bover\s+the\s+(?:past\s+|last\s+|previous\s+|following\s+)?(?:[\w-]+\s+){0,2}(?:days|weeks|months|years|period|weekend|week|month)\b"
    r"|\b(?:in|during|within|throughout)\s+the\s+(?:past|last|previous|preceding)\s+(?:[\w-]+\s+){0,2}(?:days|weeks|months|week|month)\b"
    r"|\b(?:during|throughout)\s+the\s+(?:week|month|weekend|period|year)\b"
    rf"|\bsince\s+(?:the\s+(?:start|beginning|onset|outbreak|end)\b|\d|{_MONTH}\b|{_WEEKDAY}\b|(?:early|mid|late|last|then|yesterday)\b)"
    r"|\bover\s+(?:a|the)\s+(?:course|period|span)\s+of\b"
    # "157 were killed and 98 wounded over two days" (Sudan 2022-W42, Blue Nile: notes of four events)
    r"|\bover\s+(?:two|three|four|five|six|seven|eight|nine|ten|several|many|a\s+few|[0-9]+)\s+(?:days|weeks|months|nights)\b"
    r"|\bso\s+far\b|\bto\s+date\b|\bin\s+total\b|\bbringing\s+the\s+(?:total|toll|number|tally)\b|\bcumulative\w*\b|\brunning\s+total\b",
    re.IGNORECASE,
)
# A sentence that gives a span of days ("clashes took place in multiple locations for five days.")
# makes the next sentence's figures the span's when that sentence names no day of its own.
_SPAN = re.compile(r"\bfor\s+(?:[\w-]+\s+){0,2}(?:days|weeks|months)\b|\bover\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:days|weeks|months)\b", re.IGNORECASE)
_OWN_DAY = re.compile(rf"\b(?:on|that)\s+(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}|{_WEEKDAY}|the\s+(?:same|first|second|third)\s+day|that\s+day)\b|\btoday\b", re.IGNORECASE)
_TAG = re.compile(r"^[a-z0-9][a-z0-9_:-]*$")


_TOKEN = re.compile(r"[\w'’-]+")
# Words before a place of care that make it where the wounded went ("was rushed to the district
# hospital", "later died in hospital", "found at the hospital of Djibo"), not what was hit.
_CARE_BEFORE = re.compile(
    r"\b(?:admitted|taken|rushed|transported|evacuated|referred|brought|sent|airlifted|transferred|carried|driven|flown)\s+(?:\w+\s+){0,2}?(?:to|into)\s+"
    r"(?:the\s+|a\s+|an\s+|nearby\s+|a\s+nearby\s+)?(?:[\w'’-]+\s+){0,2}$"
    r"|\b(?:died|dies|die|treated|treatment|recovering|recovered|hospitali[sz]ed|admitted|succumbed|found|lying|deposited|kept|receiving|received|remain|remains|remained)"
    r"\s+(?:\w+\s+){0,3}?(?:in|at)\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){0,2}$"
    r"|\b(?:is|are|was|were)\s+(?:still\s+|now\s+)?in\s+$",  # "two are in hospital"; "was planted at the hospital" is not care
    re.IGNORECASE,
)
# People named by the place they belong to: "students from Tamale Senior High School", "the
# commander of the Kigulube police station" (a name's capitalised words may stand between), and
# "a school student", "Rajshahi University unit" (a party's or a students' branch).
_AFFILIATION_BEFORE = re.compile(
    r"\b(?i:students?|pupils?|teachers?|lecturers?|professors?|head(?:master|teacher|mistress)?|principal|rector|dean|activists?|members?|leaders?|"
    r"secretary|president|chairman|staff|employees?|graduates?|alumni|commander|officer[\s-]+in[\s-]+charge|OC)\s+(?i:of|from|at)\s+"
    r"(?i:the\s+|a\s+|an\s+)?(?:[A-Z][\w.'’&-]*\s+){0,6}$"
)
# ... and "market traders", "a school guard", "factory workers", "a hospital employee" (real exports of
# session 16: 40 events in 9 files read as an attack on the market, school or factory).
_AFFILIATION_AFTER = re.compile(
    r"\s+(?:students?|pupils?|teachers?|lecturers?|unit|units|wing|chapter|branch\s+of|alumni|graduates?|"
    r"workers?|employees?|staff|labou?rers?|owners?|traders?|vendors?|guards?|watchm[ae]n|directors?|managers?)\b",
    re.IGNORECASE,
)
# Going home is not an attack on a house: "on his way home from a rally", "walking home",
# "returning home", "sent home", "demanding to return to their homes", "told to stay home" (real
# exports of session 16: 90 events in 10 files read as residential: migrant workers' protests of
# 2020 in India, people attacked on their way home, villagers who fled their homes). "Came to his
# home and searched it" keeps its target.
_GOING_HOME = re.compile(
    r"\b(?:return(?:ed|ing|s)?|go(?:ing|es)?|went|gone|sent|send(?:ing)?|stay(?:ed|ing|s)?|head(?:ed|ing)?|travel(?:l?ed|l?ing|s)?|"
    r"way|walk(?:ed|ing|s)?|driv(?:e|es|ing)|drove|rid(?:e|es|ing)|rode|back|fled|flee(?:ing)?|left|leave|leaving|evacuated|allowed)"
    r"\s+(?:back\s+)?(?:to\s+)?(?:their\s+|his\s+|her\s+|its\s+)?$",
    re.IGNORECASE,
)
# Words before a category word that make it where the event happened, not what it hit.
# "Outside", "in front of", "opposite" place it too ("shot dead outside the police post", "a clash
# outside X Primary School", "protested in front of the town hall"), and a name's capitalised words
# may stand between. "The outskirts of" a port, an airport or a town is where strikes landed, not
# what they hit (a real Gaza 2023 export: "struck targets on the outskirts of Gaza Port" read as a
# strike on the port). "In the area of" too: "fired ... at the positions of the Donbass People's
# Militia in the area of Donetsk Airport" (real world-wide 2020 and Ukraine exports) hit positions,
# not the airport.
_PLACE_ONLY = re.compile(
    r"\b(?i:near(?:by)?|close\s+to|not\s+far\s+from|in\s+the\s+vicinity\s+of|in\s+the\s+(?:general\s+)?area\s+of|next\s+to|outside(?:\s+of)?|in\s+front\s+of|opposite|just\s+off|outskirts\s+of)"
    r"(?:\s+(?i:the|a|an|its|their|his|her))?(?:\s+[A-Z][\w.'’&-]*){0,4}\s+$"
)

# "Under" a bridge, a hospital or a market is where something lay or gathered, not what was hit:
# "his body was found floating just under the Donyo Sabuk bridge" (a real Kenya export), "a
# tunnel network under the Al Shifa Hospital" (Gaza 2023-25), "a protest rally under Kanchpur
# bridge" (Bangladesh), "gathered beneath the Rama VII bridge" (South Asia 2015) were read as
# attacks on the bridge or hospital. A bomb planted, placed or set up under it is aimed at it
# ("planted the device under the Sariab Bridge") and keeps the category.
_UNDER = re.compile(
    r"(?<![\w'’-])(?P<under>(?i:under|beneath|underneath))(?:\s+(?i:the|a|an|its|their|his|her))?(?P<name>(?:\s+[A-Z][\w.'’&-]*){0,4})(?:\s+[a-z][\w-]*)?\s+$"
)
# The category word followed by a noun of its own modifies it: "under the school registration
# desk" is under a desk, in a school (a real Myanmar 2021 export: bombs hidden there injured a
# teacher, and the school was lost as a target); "under a bridge with ..." is under the bridge,
# and "under the same police station area" its jurisdiction (South Asia 2015).
_MODIFIES_NEXT = re.compile(
    r"\s+(?!(?:with|in|at|of|on|near|and|or|by|to|from|where|which|that|after|while|during|when|was|were|is|are|had|has|have|for|as|but|into|"
    r"onto|over|under|before|since|then|who|whose|exploded|collapsed|area|areas|limits|jurisdiction)\b)[a-z][\w-]*"
)
_PLANTED_UNDER = re.compile(
    r"\b(?:planted|placed|plant|place|hidden|hid|laid|set\s+up|installed|buried|strapped|attached|fixed|left|exploded|detonated|went\s+off|blew\s+up)\s+(?:[\w'’-]+\s+){0,3}$",
    re.IGNORECASE,
)


def _under(text: str, start: int, end: int) -> bool:
    """Whether the category word at ``start`` .. ``end`` stands after "under"/"beneath" that
    places the event (not after a bomb planted there, nor as the modifier of what lay under:
    "under the school registration desk")."""
    m = _UNDER.search(text, max(0, start - 60), start)
    if m is None or (not m.group("name") and _MODIFIES_NEXT.match(text, end)):
        return False
    return not _PLANTED_UNDER.search(text, max(0, m.start() - 60), m.start())


class PhraseIndex:
    """Whole-word phrases -> labels, found by one pass over the text's words. A regex alternation
    of hundreds of phrases is tried phrase by phrase at every position, which made reading the
    notes the slowest part of an import; a dict look-up per word is not."""

    def __init__(self, phrases: dict[str, str]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, label in phrases.items():
            words = tuple(_TOKEN.findall(phrase.lower()))
            if words:
                self._by_first.setdefault(words[0], []).append((words, label))
        for options in self._by_first.values():
            options.sort(key=lambda o: -len(o[0]))  # the longest phrase at a position wins

    def find(self, tokens: list[tuple[str, int, int]]) -> list[tuple[int, int, str]]:
        """(start, end, label) of every phrase, in text order, longest first at each word."""
        out = []
        words = [t[0] for t in tokens]
        for i, word in enumerate(words):
            for phrase, label in self._by_first.get(word, ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    out.append((tokens[i][1], tokens[i + len(phrase) - 1][2], label))
                    break
        return out


def tokens_of(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class Finding:
    field: str
    value: Any
    method: str
    evidence: str
    used: bool = True  # False: read, but not the event's (a total over a period); fills nothing


@dataclass(frozen=True)
class FigurePattern:
    field: str
    regex: re.Pattern[str]
    of: str | None
    value: int | None
    index: int
    needs: tuple[str, ...]  # vocabularies that must occur in the text for the pattern to match


class NotesVocabulary:
    """notes.yaml, validated and compiled."""

    def __init__(self, data: dict[str, Any], path: Path) -> None:
        self.path = path
        issues: list[Issue] = []

        def problem(where: str, message: str) -> None:
            issues.append(Issue("E103", message, Location(str(path), 0, 0, where)))

        vocab_raw = data.get("vocabularies")
        if not isinstance(vocab_raw, dict):
            problem("vocabularies", "'vocabularies' is missing or not a mapping of word lists")
            vocab_raw = {}
        self.vocabularies: dict[str, str] = {}
        self._vocabulary_regex: dict[str, re.Pattern[str]] = {}
        self._vocabularies_of: dict[str, set[str]] = {}
        vocabulary_phrases: dict[str, str] = {}
        for name, words in vocab_raw.items():
            if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
                problem(f"vocabularies.{name}", "a vocabulary is a non-empty list of words")
                continue
            regex = words_regex(words)
            self.vocabularies[str(name)] = regex.pattern
            self._vocabulary_regex[str(name)] = regex
            for w in words:
                key = " ".join(_TOKEN.findall(w.lower()))
                vocabulary_phrases.setdefault(key, key)
                self._vocabularies_of.setdefault(key, set()).add(str(name))

        self.figures: list[FigurePattern] = []
        figures = data.get("figures")
        if not isinstance(figures, dict):
            problem("figures", "'figures' is missing or not a mapping of field -> patterns")
            figures = {}
        for field, patterns in figures.items():
            where = f"figures.{field}"
            if field not in FIGURE_FIELDS:
                problem(where, f"'{field}' is not a count field ({', '.join(sorted(FIGURE_FIELDS))})")
                continue
            if not isinstance(patterns, list):
                problem(where, "expected a list of {pattern: ..., of: ..., value: ...}")
                continue
            for i, spec in enumerate(patterns):
                self._figure(field, spec, f"{where}[{i}]", len(self.figures), problem)

        self.not_more_than: list[tuple[str, str]] = []
        for i, pair in enumerate(data.get("not_more_than") or []):
            if not (isinstance(pair, list) and len(pair) == 2 and set(pair) <= FIGURE_FIELDS):
                problem(f"not_more_than[{i}]", "expected [smaller_field, larger_field], both count fields")
                continue
            self.not_more_than.append((pair[0], pair[1]))

        self.categories: list[tuple[str, re.Pattern[str]]] = []
        for category, words in (data.get("target_categories") or {}).items():
            if category not in TargetCategory.__args__:  # type: ignore[attr-defined]
                problem(f"target_categories.{category}", f"unknown target category '{category}' (expected one of: {', '.join(TargetCategory.__args__)})")  # type: ignore[attr-defined]
                continue
            if not isinstance(words, list) or not words:
                problem(f"target_categories.{category}", "expected a non-empty list of words")
                continue
            self.categories.append((category, words_regex(words)))
        # One alternation over every category word: the earliest (then longest) word wins.
        self._category_of: dict[str, str] = {}
        for category, words in (data.get("target_categories") or {}).items():
            if category in TargetCategory.__args__ and isinstance(words, list):  # type: ignore[attr-defined]
                for w in words:
                    self._category_of.setdefault(re.sub(r"\s+", " ", str(w).lower()), category)
        self.category_words = PhraseIndex(self._category_of)

        attacked_only = data.get("targets_only_when_attacked") or []
        if not isinstance(attacked_only, list) or not all(isinstance(w, str) and w.strip() for w in attacked_only):
            problem("targets_only_when_attacked", "expected a list of category words")
            attacked_only = []
        self.attacked_only = frozenset(" ".join(_TOKEN.findall(w.lower())) for w in attacked_only)
        care = data.get("care_places") or []
        if not isinstance(care, list) or not all(isinstance(w, str) and w.strip() for w in care):
            problem("care_places", "expected a list of category words")
            care = []
        self.care_places = frozenset(" ".join(_TOKEN.findall(w.lower())) for w in care)
        seized = data.get("seized_items") or []
        if not isinstance(seized, list) or not all(isinstance(w, str) and w.strip() for w in seized):
            problem("seized_items", "expected a list of category words")
            seized = []
        self.seized_items = frozenset(" ".join(_TOKEN.findall(w.lower())) for w in seized)

        heads = data.get("target_name_heads") or []
        if not isinstance(heads, list):
            problem("target_name_heads", "expected a list of words")
            heads = []
        alternation = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(heads, key=len, reverse=True))
        self.target_name = (
            re.compile(rf"(?<![\w'’-])((?:(?:[A-Z][\w'’.-]*|of|named\s+after|[\"“][^\"”]{{2,60}}[\"”])\s+){{0,5}}?(?:[A-Z][\w'’.-]*|[\"“][^\"”]{{2,60}}[\"”])\s+(?:{alternation}))(?![\w-])")
            if alternation
            else None
        )

        self.tags: list[tuple[str, re.Pattern[str]]] = []
        tag_phrases: dict[str, str] = {}
        for tag, words in (data.get("tags") or {}).items():
            if not _TAG.match(str(tag)):
                problem(f"tags.{tag}", "a tag is lower-case letters, digits, '-', '_' or ':'")
                continue
            if not isinstance(words, list) or not words:
                problem(f"tags.{tag}", "expected a non-empty list of words")
                continue
            self.tags.append((str(tag), words_regex(words)))
            for w in words:
                tag_phrases.setdefault(str(w), str(tag))
        # ACLED's sub-event label opening a note ("Property destruction: ..."): not read for tags;
        # it gives its tag only when the notes name one of its `needs`.
        self.labels: dict[str, tuple[str, PhraseIndex]] = {}
        labels = data.get("labels") or {}
        if not isinstance(labels, dict):
            problem("labels", "expected a mapping of label -> {tag, needs}")
            labels = {}
        for label, spec in labels.items():
            where = f"labels.{label}"
            if not (isinstance(spec, dict) and isinstance(spec.get("tag"), str) and _TAG.match(spec["tag"])):
                problem(where, "expected {tag: a tag, needs: [words]}")
                continue
            needs = spec.get("needs")
            if not (isinstance(needs, list) and needs and all(isinstance(w, str) and w.strip() for w in needs)):
                problem(f"{where}.needs", "expected a non-empty list of words")
                continue
            self.labels[" ".join(str(label).lower().split())] = (spec["tag"], PhraseIndex({w: w for w in needs}))
        self.label_prefix = (
            re.compile(r"^\s*(" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(self.labels, key=len, reverse=True)) + r")\s*:", re.IGNORECASE)
            if self.labels
            else None
        )
        self.negations: list[re.Pattern[str]] = []
        for i, rx in enumerate(data.get("negations") or []):
            try:
                self.negations.append(re.compile(str(rx), re.IGNORECASE))
            except re.error as error:
                problem(f"negations[{i}]", f"not a regular expression: {error}")
        # Tags read by pattern where a word list cannot tell (displacement: "forcing 2,000
        # residents to flee", not "forcing the militants to flee"), each with what excludes it.
        self.tag_patterns: list[tuple[str, re.Pattern[str], re.Pattern[str] | None]] = []
        for tag, spec in (data.get("tag_patterns") or {}).items():
            where = f"tag_patterns.{tag}"
            if not _TAG.match(str(tag)) or not isinstance(spec, dict) or not isinstance(spec.get("patterns"), list) or not spec["patterns"]:
                problem(where, "expected a tag with {patterns: [regular expressions], unless: [regular expressions]}")
                continue
            compiled = []
            for key in ("patterns", "unless"):
                try:
                    compiled.append(re.compile("|".join(f"(?:{rx})" for rx in spec.get(key) or []), re.IGNORECASE) if spec.get(key) else None)
                except re.error as error:
                    problem(f"{where}.{key}", f"not a regular expression: {error}")
                    compiled.append(None)
            if compiled[0] is not None:
                self.tag_patterns.append((str(tag), compiled[0], compiled[1]))
        claims = data.get("party_claims") or {}
        claim_fields = claims.get("fields") if isinstance(claims, dict) else None
        parties = claims.get("parties") if isinstance(claims, dict) else None
        if claims and not (isinstance(claim_fields, list) and set(claim_fields) <= FIGURE_FIELDS):
            problem("party_claims.fields", f"expected a list of count fields ({', '.join(sorted(FIGURE_FIELDS))})")
            claim_fields = []
        if claims and not (isinstance(parties, list) and parties and all(isinstance(w, str) and w.strip() for w in parties)):
            problem("party_claims.parties", "expected a non-empty list of words naming parties to the fighting")
            parties = []
        self.claim_fields = frozenset(claim_fields or ())
        self.party_words = words_regex(parties) if parties else None
        if issues:
            raise InputError(issues, f"invalid {path.name}: {len(issues)} problem(s)")
        self.tag_words = PhraseIndex(tag_phrases)
        self.vocabulary_words = PhraseIndex(vocabulary_phrases)
        self.negation = re.compile("|".join(f"(?:{rx.pattern})" for rx in self.negations), re.IGNORECASE) if self.negations else None

    def _figure(self, field: str, spec: Any, where: str, index: int, problem: Any) -> None:
        if not isinstance(spec, dict) or not isinstance(spec.get("pattern"), str):
            problem(where, "expected {pattern: '...'} with optional 'of' and 'value'")
            return
        unknown = set(spec) - {"pattern", "of", "value"}
        if unknown:
            problem(where, f"unknown key(s) {', '.join(sorted(unknown))} (expected pattern, of, value)")
        text = spec["pattern"]
        names = _PLACEHOLDER.findall(text)
        value = spec.get("value")
        of = spec.get("of")
        if value is None and "n" not in names:
            problem(where, "a pattern needs {n} (the number it reads) or a fixed 'value'")
        if value is not None and not (isinstance(value, int) and value >= 0):
            problem(where, "'value' must be a whole number >= 0")
        if of is not None and (of not in FIGURE_FIELDS or "of" not in names):
            problem(where, "'of' names a count field and needs {of} in the pattern")
        if ("of" in names) != (of is not None):
            problem(where, "{of} needs 'of: FIELD' (and the reverse)")
        for name in names:
            if name not in ("n", "of", "one", "adj") and name not in self.vocabularies:
                problem(where, f"unknown placeholder {{{name}}} (vocabularies: {', '.join(sorted(self.vocabularies))})")
                return
        for name in ("n", "of"):
            if names.count(name) > 1:
                problem(where, f"{{{name}}} may occur once")
                return

        def fill(m: re.Match[str]) -> str:
            name = m.group(1)
            if name in ("n", "of"):
                # "no one was hurt" is none, not one.
                return f"(?<!no\\s)(?P<{name}>{_RANGE}|{_NUMBER})"
            if name == "one":
                return f"(?P<one>{_ONE})"
            if name == "adj":
                return _ADJ
            return f"(?:{self.vocabularies[name]})"

        try:
            regex = re.compile(_PLACEHOLDER.sub(fill, text), re.IGNORECASE)
        except re.error as error:
            problem(where, f"not a regular expression: {error}")
            return
        needs = tuple(sorted(n for n in _required_placeholders(text) if n in self.vocabularies))
        self.figures.append(FigurePattern(field, regex, of, value, index, needs))

    # -- reading -------------------------------------------------------------------------------

    def read(self, notes: str) -> list[Finding]:
        """Figures, target category and name, and tags in ``notes``; at most one finding a field."""
        label = self.label_prefix.match(notes) if self.label_prefix is not None else None
        if label is not None:
            notes = " " * label.end() + notes[label.end() :]
        body = _DATE_PREFIX.sub(lambda m: " " * len(m.group(0)), notes, count=1)
        found: dict[str, Finding] = {}
        # Most notes name no drone or missile: a pattern whose words are absent is not tried
        # (the patterns backtrack over up to three words, which is most of the time spent here).
        tokens = tokens_of(body)
        present = {name for _, _, phrase in self.vocabulary_words.find(tokens) for name in self._vocabularies_of[phrase]}
        totals: dict[str, Finding] = {}
        for pattern in self.figures:
            if pattern.field in found:
                continue
            if not present.issuperset(pattern.needs):
                continue
            # No one hurt over a span is no one hurt on each of its days: only counts are totals.
            m = None
            for candidate in pattern.regex.finditer(body):
                other = _another_event(body, candidate)
                claimant = self._party_claim(body, candidate) if pattern.field in self.claim_fields and not other else None
                split = pattern.value is None and not other and not claimant and _split_across_events(body, candidate)
                places = pattern.value is None and not other and not claimant and not split and _over_places(body, candidate)
                if not other and not claimant and not split and not places and (pattern.value == 0 or not _over_a_period(body, candidate)):
                    m = candidate
                    break
                if pattern.field not in totals and pattern.of is None and (pattern.value is None or claimant):
                    total = pattern.value if pattern.value is not None else _number(candidate, "n")
                    why = (
                        "another attack's figure" if other
                        else f"a claim by a party to the fighting ({claimant})" if claimant
                        else "a total of several events (ACLED splits its fatalities across them)" if split
                        else "a total over several places" if places
                        else "a total over a period"
                    )
                    if total is not None:
                        totals[pattern.field] = Finding(
                            pattern.field, total, f"{NOT_USED}notes pattern figures.{pattern.field}, {why}", _sentence_of(body, candidate), used=False
                        )
            if m is None:
                continue
            value = pattern.value if pattern.value is not None else _number(m, "n")
            if value is None:
                continue
            evidence = m.group(0).strip()
            method = f"notes pattern figures.{pattern.field}"
            if pattern.value is None and _is_range(m, "n"):
                method += ", the lower bound of a range"
            if pattern.of is not None:
                total = _number(m, "of")
                if total is None or total < value or pattern.of in found:
                    continue
                found[pattern.of] = Finding(pattern.of, total, method, evidence)
            found[pattern.field] = Finding(pattern.field, value, method, evidence)
        for smaller, larger in self.not_more_than:
            if smaller in found and larger in found and found[smaller].value > found[larger].value:
                # Two phrases about different salvos (a town's and the night's); neither pair is whole.
                del found[larger]
        category = self.target_category(body, tokens)
        if category is not None:
            found["target_category"] = category
        name = self.target_name_in(body)
        if name is not None:
            found["target_name"] = name
        findings = list(found.values())
        # A total the notes give for a period, where no figure of the event's own was found: kept
        # as a record of what was read and why it was not used (explain and the briefs show it).
        findings.extend(t for field, t in totals.items() if field not in found)
        tags = self.tag_findings(body, tokens)
        if label is not None:
            tag, needs = self.labels[" ".join(label.group(1).lower().split())]
            named = needs.find(tokens)
            if named and tag not in {t.value for t in tags}:
                start, end, _ = named[0]
                tags.append(Finding("tags", tag, f"notes label labels.{label.group(1)} naming what was hit", _around(body, start, end)))
                order = {t: i for i, (t, _) in enumerate(self.tags)}
                tags.sort(key=lambda f: order.get(f.value, len(order)))
        findings.extend(tags)
        findings.extend(self.pattern_tags(notes, {t.value for t in tags}))
        return findings

    def pattern_tags(self, notes: str, found: set[str]) -> list[Finding]:
        """Tags of ``tag_patterns`` in ``notes`` (ACLED's opening label included: "Displacement:"
        is its own coding), each with the sentence it was read in; a match with one of its tag's
        ``unless`` in it or in the words just before it is not read."""
        out = []
        for tag, rx, unless in self.tag_patterns:
            if tag in found:
                continue
            for m in rx.finditer(notes):
                if unless is not None and unless.search(notes, max(0, m.start() - 40), m.end()):
                    continue
                out.append(Finding("tags", tag, f"notes pattern tag_patterns.{tag}", _sentence_of(notes, m)))
                break
        return out

    def _party_claim(self, text: str, m: re.Match[str]) -> str | None:
        """The attribution ("Taliban said", "according to the army") when the matched figure is a
        party's claim: a belligerent's count of the harm it did or suffered is not an independent
        count, and ACLED codes its own figure apart ("Taliban said 11 soldiers were killed and 5
        were wounded ... Fatalities coded as 6"). A hospital's, an official's or a witness's count
        is not a party's: only `party_claims.parties` words make the claimant a party."""
        if self.party_words is None:
            return None
        start, end = _sentence_bounds(text, m)
        sentence = text[start:end]
        a, b = m.start() - start, m.end() - start
        # "(6 according to Taliban sources)" qualifies the figure in its brackets only.
        brackets = [(x.start(), x.end()) for x in re.finditer(r"\([^()]*\)", sentence)]
        own = next(((x, y) for x, y in brackets if x <= a and b <= y), None)
        for found in _ATTRIBUTION.finditer(sentence):
            inside = next(((x, y) for x, y in brackets if x <= found.start() < y), None)
            if inside != own:
                continue
            if _RESPONSIBILITY.match(sentence, found.end()):
                continue  # "JNIM claimed the attack": a claim of the act, not of its toll
            if found.group("who") is not None:
                who = found.group("who")
            elif found.start() >= b and not sentence[found.end() :].strip(" ,'\"”"):
                who = _subject_before(sentence, found.start())  # "..., the army said."
            elif found.end() <= a:
                who = _subject_before(sentence, found.start())  # "the army said 5 were wounded"
            else:
                continue
            if who and self.party_words.search(who):
                return " ".join(sentence[found.start() - len(who) if found.group("who") is None else found.start() : found.end()].split()).strip(" ,")
        return None

    def target_category(self, text: str, tokens: list[tuple[str, int, int]] | None = None) -> Finding | None:
        found = self.category_words.find(tokens if tokens is not None else tokens_of(text))
        # "near the air base" places the event; it does not say what was hit (Ukrainian forces shot
        # down two jets near an air base: no strike on an airfield).
        found = [hit for hit in found if not _PLACE_ONLY.search(text, max(0, hit[0] - 40), hit[0]) and not _under(text, hit[0], hit[1])]
        # "shot a taxi driver at a checkpoint": where it happened, unless the checkpoint was attacked.
        found = [hit for hit in found if _words_of(text, hit) not in self.attacked_only or _attacked(text, hit[0], hit[1])]
        # "students from X High School", "Rajshahi University unit", "the commander of the police
        # station": whose people they are, not what was hit.
        found = [hit for hit in found if not _AFFILIATION_BEFORE.search(text, max(0, hit[0] - 120), hit[0]) and not _AFFILIATION_AFTER.match(text, hit[1])]
        found = [hit for hit in found if _words_of(text, hit) not in ("home", "homes") or not _GOING_HOME.search(text, max(0, hit[0] - 40), hit[0])]
        # "rushed to hospital", "died in hospital": where the wounded went, not what was hit.
        found = [hit for hit in found if _words_of(text, hit) not in self.care_places or not _CARE_BEFORE.search(text, max(0, hit[0] - 80), hit[0])]
        # "Hodeidah Red Sea port city", "a market town": the kind of place, not what was hit.
        found = [hit for hit in found if not _KIND_OF_PLACE.match(text, hit[1])]
        # "seized arms and ammunition", "weapons and ammunition were recovered": the haul of a
        # raid or a search, not what was hit.
        found = [hit for hit in found if _words_of(text, hit) not in self.seized_items or not _seized(text, hit[0], hit[1])]
        if not found:
            return None
        start, end, category = found[0]
        return Finding("target_category", category, "notes word target_categories", _around(text, start, end))

    def target_name_in(self, text: str) -> Finding | None:
        if self.target_name is None:
            return None
        for m in self.target_name.finditer(text):
            name = m.group(1).strip()
            # "in the area of Donetsk Airport" read "of Donetsk Airport": a name starts after its "of"
            if re.match(r"(?:of|named\s+after)\s", name):
                name = name.split(None, 1)[1] if not name.startswith("named") else name.split(None, 2)[2]
            # ... and a site named where the event happened is not what it hit: "in the area of",
            # "near", "on the outskirts of" (as for the target category)
            begins = m.end(1) - len(name)
            if _PLACE_ONLY.search(text, max(0, begins - 40), begins):
                continue
            # "said the officer-in-charge of Niamatpur Police Station" (South Asia 2015 and
            # Bangladesh exports): whose official spoke, not what was hit
            if _AFFILIATION_BEFORE.search(text, max(0, begins - 120), begins):
                continue
            first = name.split()[0]
            # A sentence's first word or a side's adjective is not part of a name.
            if first.lower() in ("the", "a", "an", "on", "in") or re.match(r"(?:Russian|Ukrainian)$", first):
                name = name.split(None, 1)[1] if " " in name else name
            if len(name.split()) < 2:
                continue
            return Finding("target_name", name.strip("\"“” "), "notes name target_name_heads", m.group(0).strip())
        return None

    def tag_findings(self, text: str, tokens: list[tuple[str, int, int]] | None = None) -> list[Finding]:
        hits = self.tag_words.find(tokens if tokens is not None else tokens_of(text))
        if not hits:
            return []
        blocked = [(m.start(), m.end()) for m in self.negation.finditer(text)] if self.negation else []
        out: dict[str, Finding] = {}
        for start, end, tag in hits:
            if tag in out or any(a <= start < b for a, b in blocked):
                continue
            out[tag] = Finding("tags", tag, f"notes word tags.{tag}", _around(text, start, end))
        # In the order of the file, as before: the order tags are listed in is the analyst's.
        order = {tag: i for i, (tag, _) in enumerate(self.tags)}
        return sorted(out.values(), key=lambda f: order[f.value])


def _sentence_bounds(text: str, m: re.Match[str]) -> tuple[int, int]:
    """Where the sentence holding ``m`` starts and where its closing mark is (the text's end when
    it has none): ACLED's notes end sentences with '.', ';', '!' or '?'."""
    start = max(text.rfind(c, 0, m.start()) for c in ".;!?") + 1
    ends = [i for i in (text.find(c, m.end()) for c in ".;!?") if i != -1]
    return start, min(ends) if ends else len(text)


def _sentence_of(text: str, m: re.Match[str]) -> str:
    """The sentence holding ``m``, as a total's evidence: the words that make it a total ("over
    the six days", "since 30 May") are in it or in its opening, rarely in the match itself."""
    start, end = _sentence_bounds(text, m)
    sentence = " ".join(text[start : end + 1].split())  # with its full stop
    return sentence if len(sentence) <= 200 else sentence[:197] + "..."


# A sentence about another event than the one coded: "In another attack, ... killing 17 soldiers
# and injuring 3" (a real Afghanistan 2020 export: its 3 was read as the event's injured, where the
# coded attack had 4).
_ANOTHER_EVENT = re.compile(r"\s*(?:in|during)\s+(?:another|a\s+separate|a\s+second|a\s+different|an\s+unrelated)\s+(?:\w+\s+){0,2}(?:attack|incident|clash|clashes|strike|raid|ambush|event)\b", re.IGNORECASE)


# Who a figure is attributed to: "according to Taliban sources", or the words before "said",
# "claimed" ... within the clause ("VoJ claimed that", "the Israeli army said").
_ATTRIBUTION = re.compile(
    r"\baccording\s+(?:to\s+)?(?P<who>(?:[^\W\d][\w'’.-]*\s*){1,6})|\b(?:said|says|claimed|claims|claiming|stated|alleged|announced|reports?|reported(?!\s+(?:to\s+have\s+been\s+|as\s+)?(?:killed|dead|wounded|injured|hurt|missing|captured)))\b",
    re.IGNORECASE,
)
_RESPONSIBILITY = re.compile(r"\s+(?:the\s+)?(?:responsibility|the\s+attack|attack|the\s+operation|the\s+ambush|the\s+bombing)\b", re.IGNORECASE)
# Where a claimant's name starts, going back from its verb: a clause break or a word that joins
# clauses ("attacked a post and officials said": the officials said it, not the attackers).
_SUBJECT_STOP = re.compile(r"[,;:()]|\b(?:and|but|while|whereas|that|which|who|after|as|when)\b|\d", re.IGNORECASE)


def _subject_before(sentence: str, verb: int) -> str:
    """The words before a verb of saying, back to a clause break, at most four."""
    before = sentence[:verb]
    stops = [m.end() for m in _SUBJECT_STOP.finditer(before)]
    words = before[stops[-1] if stops else 0 :]
    tail = _TOKEN.findall(words)[-4:]
    return words[words.rfind(tail[0]) :] if tail else ""


def _another_event(text: str, m: re.Match[str]) -> bool:
    """True when the matched figure is in a sentence that opens on another event."""
    return bool(_ANOTHER_EVENT.match(text, _sentence_bounds(text, m)[0]))


# ACLED's own word that a report's figures cover several of its events: "(3 fatalities split
# among 6 events)", "At least 115 fatalities split across 22 events."
_SPLIT = re.compile(r"\b(?:split|divided|distributed|spread)\s+(?:\w+\s+){0,2}?(?:across|between|among|amongst|over|into)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:events|incidents)\b", re.IGNORECASE)


def _split_across_events(text: str, m: re.Match[str]) -> bool:
    """True when the figure's sentence, or the next one, says the fatalities it gives are split
    across several events: the injured beside them are the same report's total (a real Haiti
    2025 export read "115 gang members killed and 119 injured. At least 115 fatalities split
    across 22 events." as 119 injured on each of 16 events). ACLED splits only the fatalities,
    so the event's share of the injured is not known: the figure is read but not used."""
    start, end = _sentence_bounds(text, m)
    if _SPLIT.search(text, start, end):
        return True
    following = min((i for i in (text.find(c, end + 1) for c in ".;!?") if i != -1), default=len(text))
    return bool(_SPLIT.search(text, end, following + 1))


def _over_a_period(text: str, m: re.Match[str]) -> bool:
    """True when the matched figure is stated as a total over a period ("133 people were injured
    over the six days", "Since 30 May, 45 ..."): notes of several daily events quote one running
    total, and reading it as each event's own figure counts it once an event. The marker counts
    in the figure's clause (between commas) or in its sentence's opening phrase; "injuring 4,
    bringing the total since Monday to 31" keeps its 4."""
    start, end = _sentence_bounds(text, m)
    sentence = text[start:end]
    a, b = m.start() - start, m.end() - start
    clause_start = max(sentence.rfind(c, 0, a) for c in ",(–—") + 1
    clause_ends = [i for i in (sentence.find(c, b) for c in ",)–—") if i != -1]
    clause = sentence[clause_start : min(clause_ends) if clause_ends else len(sentence)]
    opening = sentence[: sentence.find(",")] if "," in sentence[:a] else ""
    if _PERIOD_TOTAL.search(clause) or _PERIOD_TOTAL.search(opening):
        return True
    # A span stated before the figure ("clashes took place for nine days resulting in ... 414
    # wounded") covers it; after it, it is a duration ("3 were hospitalised for two days").
    if _SPAN.search(sentence, 0, a):
        return True
    previous = text[max(text.rfind(c, 0, start - 1) for c in ".;!?") + 1 : start]
    return bool(_SPAN.search(previous) and not _OWN_DAY.search(sentence))


# A figure stated for several places, not the event's own: "Over 200 people were injured in
# various clashes in Sirajganj district" (a real Bangladesh export, 2024-W31: the same sentence in
# the notes of three events at three towns read as 200 injured at each), "across the district",
# "in different parts of the city". A day's toll "at unspecified locations" is one too: "During
# the day four Ukrainian Government soldiers were wounded at unspecified locations" closes
# ACLED's Donbas notes of 2018 (a real Ukraine sample), read as 4 injured at Zaitseve, where one
# civilian was killed, and said "1 killed in Zaitseve (...; 4 injured)".
_PLACES_TOTAL = re.compile(
    r"\b(?:in|at|across|throughout)\s+(?:the\s+)?(?:various|several|multiple|different|many|numerous|other)\s+(?:[\w-]+\s+){0,1}(?:clashes|incidents|places|locations|areas|parts|districts|towns|villages|neighbou?rhoods|upazilas|provinces|regions|states|counties|cities|sites|spots|points)\b"
    r"|\b(?:in|at)\s+(?:unspecified|undisclosed|unknown|unnamed|unidentified)\s+(?:locations|places|areas|positions|sites)\b"
    r"|\b(?:across|throughout)\s+the\s+(?:district|province|region|state|county|country|division|governorate|city)\b",
    re.IGNORECASE,
)


def _over_places(text: str, m: re.Match[str]) -> bool:
    """True when the matched figure's clause, from the figure to its sentence's end, says it
    counts several places ("in various clashes in Sirajganj district", "across the district"):
    notes of each event quote the one total, and reading it as each event's own counts it again
    at every place."""
    _, end = _sentence_bounds(text, m)
    return bool(_PLACES_TOTAL.search(text, m.start(), end))


_ATTACK = r"(?:attack|assault|storm|overr[au]n|shell|struck|strik|target|raid|ambush|bomb|seiz|captur|burn|destroy|hit|overwhelm|detonat|blew\s+(?:\w+\s+)?up|blow\s+(?:\w+\s+)?up)\w*"
_ATTACKED_BEFORE = re.compile(
    rf"\b{_ATTACK}\s+(?:(?:on|against|at)\s+)?(?:(?!(?:at|in|near|on|by|of|from|to|with|and|who|where)\b)[\w'’-]+\s+){{0,3}}$", re.IGNORECASE
)
_ATTACKED_AFTER = re.compile(rf"^\s+(?:was|were|had\s+been|has\s+been|have\s+been|came\s+under)\s+(?:\w+\s+)?{_ATTACK}", re.IGNORECASE)


# "targeting security forces (SNA) at a checkpoint", "clashed with the army at a checkpoint": the
# armed men manning it were attacked, so it is a military target; "shot a taxi driver at a
# checkpoint" is not (no armed men are the object of an attack).
_ARMED_AT = re.compile(
    rf"(?:\b(?:{_ATTACK}|against)\b[^.;]{{0,80}}?\b(?:forces|soldiers?|troops|police(?:men)?|officers?|army|guards?|personnel|militia(?:men)?|militants|fighters)\b[^.;]{{0,40}}?"
    r"|\b(?:clash\w*|fought|fighting|exchanged\s+fire)\b[^.;]{0,80}?)"
    r"\b(?:at|near|on)\s+(?:(?:the|a|an)\s+)?(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _words_of(text: str, hit: tuple[int, int, str]) -> str:
    return " ".join(_TOKEN.findall(text[hit[0] : hit[1]].lower()))


# A category word before one of these names a kind of place: "the Red Sea port city of Hodeidah"
# (real Yemen 2020 notes: "in the east of Hodeidah Red Sea port city", shelling of its
# neighbourhoods, read as a strike on a port), "a market town", "a railway town".
_KIND_OF_PLACE = re.compile(r"\s+(?:city|cities|town|towns|village|villages|district|districts)\b", re.IGNORECASE)
# Words that make the item after them (in the same clause) a haul taken, not a target: "seized
# weapons, ammunition and two motorbikes", "recovered military equipment", "found ammunition".
_SEIZED_BEFORE = re.compile(
    r"\b(?:seiz\w*|confiscat\w*|recover\w*|captur\w*|impound\w*|stole|stolen|steal\w*|loot\w*|took|taken|taking|made\s+off\s+with|"
    r"carried\s+(?:off|away)|carted\s+off|found|discovered|handed\s+over|surrender\w*|hidden|hid|stockpiled)\b[^.;:]{0,100}$",
    re.IGNORECASE,
)
# ... or after it: "6 vehicles, arms and ammunition seized", "ammunition were recovered".
_SEIZED_AFTER = re.compile(
    r"^[^.;:]{0,80}?\b(?:(?:were|was|had\s+been|have\s+been|being)\s+)?(?:seized|confiscated|recovered|captured|impounded|stolen|looted|found|discovered|handed\s+over)\b",
    re.IGNORECASE,
)


def _seized(text: str, start: int, end: int) -> bool:
    return bool(_SEIZED_BEFORE.search(text[max(0, start - 140) : start]) or _SEIZED_AFTER.search(text[end : end + 100]))


def _attacked(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 160) : start]
    return bool(_ATTACKED_BEFORE.search(before) or _ARMED_AT.search(before) or _ATTACKED_AFTER.search(text[end : end + 60]))


def _required_placeholders(pattern: str) -> set[str]:
    """Placeholders outside any optional group ("(...)?", "(...)*"): the words a text must hold
    for the pattern to match, so a text without them is not searched."""
    optional_spans: list[tuple[int, int]] = []
    stack: list[int] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            close = pattern.find("]", i + 2)
            i = close + 1 if close != -1 else len(pattern)
            continue
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            start = stack.pop()
            if pattern[i + 1 : i + 2] in ("?", "*") or pattern[i + 1 : i + 3] == "{0":
                optional_spans.append((start, i))
        i += 1
    return {m.group(1) for m in _PLACEHOLDER.finditer(pattern) if not any(a < m.start() < b for a, b in optional_spans)}


def _number(m: re.Match[str], group: str) -> int | None:
    if group == "n" and m.groupdict().get("one"):
        return 1
    text = m.groupdict().get(group)
    if not text:
        return None
    if _RANGE_WHOLE.fullmatch(text.strip()):
        bounds = [words_to_int(part) for part in _RANGE_SPLIT.split(text.strip()) if part]
        return min((b for b in bounds if b is not None), default=None)
    digits = re.sub(r"^(?:at\s+least|more\s+than|over|about|around|some|approximately|nearly|up\s+to)\s+", "", text.strip(), flags=re.IGNORECASE)
    return words_to_int(digits)


def _is_range(m: re.Match[str], group: str) -> bool:
    text = m.groupdict().get(group)
    return text is not None and _RANGE_WHOLE.fullmatch(text.strip()) is not None


def _around(text: str, start: int, end: int, width: int = 40) -> str:
    a = text.rfind(" ", 0, max(0, start - width)) + 1
    b = text.find(" ", min(len(text), end + width))
    snippet = text[a : b if b != -1 else len(text)].strip()
    return ("..." if a > 0 else "") + snippet + ("..." if b != -1 else "")


_DEFAULT: NotesVocabulary | None = None


def load_notes_vocabulary(path: Path | None = None) -> NotesVocabulary:
    global _DEFAULT
    if path is None:
        if _DEFAULT is None:
            _DEFAULT = NotesVocabulary(load_mapping(DEFAULT_NOTES, "notes vocabulary"), DEFAULT_NOTES)
        return _DEFAULT
    return NotesVocabulary(load_mapping(path, "notes vocabulary"), path)
