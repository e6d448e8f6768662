"""Quantities in news prose: "35", "1,300", "three", "forty-eight", "at least 35", "over thirty",
"some 50,000", "1.2 million", "dozens".

A quantity keeps its span so the extractor can tell which noun and verb it belongs to, and its
qualifier: ``exact``, ``min`` ("at least", "over": the stated figure is the conservative value),
``approx`` ("nearly", "around") or ``vague`` (a word such as "dozens", valued from patterns.yaml).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from riskengine.ingest.extract.patterns import trie_alternation

UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000, "dozen": 12}

# "a" / "an" / "no" count only before a noun the extractor understands; they are matched by the
# figure patterns, not here, so "a drone" is not a quantity on its own.
_WORD_UNITS = {k: v for k, v in UNITS.items() if k not in ("a", "an", "no", "single")}
_WORD = "|".join(sorted([*_WORD_UNITS, *TENS], key=len, reverse=True))
# "two dozen" is 24; "a hundred", "a thousand" are numbers ("more than a hundred people"), while
# "a dozen" stays the vague quantity of patterns.yaml
_WORD_NUMBER = rf"(?:a\s+(?:hundred|thousand)\b|(?:{_WORD})(?:[-\s](?:{_WORD}))?(?:\s+(?:hundred|thousand|million|dozen)(?:\s+(?:and\s+)?(?:{_WORD})(?:[-\s](?:{_WORD}))?)?)*)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*(?:million|thousand|bn|m)\b)?"

# The number alternatives alone, for patterns that embed a number (riskengine/ingest/derive).
DIGITS_RX = _DIGITS
WORD_NUMBER_RX = _WORD_NUMBER

QUALIFIERS = {
    "min": r"at\s+least|more\s+than|over|upwards\s+of|in\s+excess\s+of|no\s+fewer\s+than|no\s+less\s+than",
    "approx": r"nearly|almost|around|about|some|approximately|roughly|an\s+estimated|estimated|up\s+to|close\s+to|as\s+many\s+as",
}
_QUALIFIER = "|".join(f"(?P<{name}>{rx})" for name, rx in QUALIFIERS.items())

# The same word numbers as a prefix tree (same matches; much cheaper to try at every word).
_WORD_TRIE = trie_alternation([*_WORD_UNITS, *TENS], fold=True)
_WORD_NUMBER_TRIE = rf"(?:a\s+(?:hundred|thousand)\b|(?:{_WORD_TRIE})(?:[-\s](?:{_WORD_TRIE}))?(?:\s+(?:hundred|thousand|million|dozen)(?:\s+(?:and\s+)?(?:{_WORD_TRIE})(?:[-\s](?:{_WORD_TRIE}))?)?)*)"
# A clause without a digit or the start of a number word has no quantity: one cheap search
# spares most clauses the full pattern.
_MAYBE_NUMBER = re.compile(rf"\d|\b(?:{_WORD_TRIE})|\ba\s+(?:hundred|thousand)\b", re.IGNORECASE)

# Not a part of a time of day ("11:40") or of a decimal or grouped number, nor the first half of
# a compound adjective ("one-way attack drones", "a three-day assault", "nine-storey block",
# "120-mm mortars"), which counts no noun.
NUMBER_RE = re.compile(
    rf"(?<![\w$£€.,:-])(?:(?:{_QUALIFIER})\s+)?(?P<num>{_DIGITS}|{_WORD_NUMBER_TRIE})(?![\d.,:]\d)(?!\d)(?P<plus>\+)?(?![\w-]*(?:st|nd|rd|th)\b)(?!-[^\W\d_])(?!\s*(?:%|per\s?cent))",
    re.IGNORECASE,
)


_YEAR = re.compile(r"(?:19|20)\d\d")
# A time of day told in words or with its clock marker ("at around half past eight this morning",
# "a quarter to six", "at eight o'clock", "after 2 a.m."): no count (an Israeli drone strike at
# half past eight was read as eight drones launched)
_CLOCK_BEFORE = re.compile(r"\b(?:half|quarter)\s+(?:past|to|after)\s+$", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"\s*(?:o['’]clock\b|[ap]\.\s?m\.|[ap]m\b)", re.IGNORECASE)
_NO_BEFORE = re.compile(r"\b(?:no|not|No|Not)\s+$")

_NUMBER_LOWER = re.compile(NUMBER_RE.pattern)


@dataclass(frozen=True)
class Quantity:
    value: int
    start: int
    end: int
    text: str
    qualifier: str = "exact"  # exact | min | approx | vague


def words_to_int(text: str) -> int | None:
    """"forty-eight" -> 48, "two hundred and five" -> 205, "1.2 million" -> 1200000."""
    t = text.strip().lower().replace(",", "")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(million|thousand|bn|m)?", t)
    if m:
        number = float(m.group(1))
        scale = {"million": 1_000_000, "m": 1_000_000, "thousand": 1000, "bn": 1_000_000_000, None: 1}[m.group(2)]
        return round(number * scale)
    total, current = 0, 0
    for token in re.split(r"[\s-]+", t):
        if token == "and" or not token:
            continue
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token in SCALES:
            current = max(current, 1) * SCALES[token]
            if SCALES[token] >= 1000:
                total, current = total + current, 0
        else:
            return None
    return total + current


def find_quantities(text: str, vague: Mapping[str, int] | None = None) -> list[Quantity]:
    """Every quantity in ``text`` with its span, in order. ``vague`` maps words ("dozens") to values."""
    found: list[Quantity] = []
    low = text.lower()
    # Lower-cased, the pattern can be matched case-sensitively (several times faster, the same
    # matches), unless lower() changed the length (a few non-Latin letters).
    subject, number_re = (low, _NUMBER_LOWER) if len(low) == len(text) else (text, NUMBER_RE)
    for m in number_re.finditer(subject) if _MAYBE_NUMBER.search(subject) else ():
        value = words_to_int(m.group("num"))
        if value is None:
            continue
        # A year ("since November 2023") or a time ("at 10") is not a count.
        if _YEAR.fullmatch(m.group("num")) and value >= 1900:
            continue
        if _CLOCK_BEFORE.search(subject, max(0, m.start() - 16), m.start()) or _CLOCK_AFTER.match(subject, m.end()):
            continue
        # "No one was hurt", "not one person": no count of one.
        if m.group("num").lower() == "one" and _NO_BEFORE.search(subject, max(0, m.start() - 4), m.start()):
            continue
        qualifier = "min" if m.group("min") or m.group("plus") else "approx" if m.group("approx") else "exact"
        found.append(Quantity(value, m.start(), m.end(), text[m.start() : m.end()], qualifier))
    if len(found) > 1:
        found = _ranges(text, _restated(text, found))
    if vague:
        for m in _vague_regex(tuple(sorted(vague))).finditer(text):
            if any(q.start <= m.start() < q.end for q in found):
                continue
            found.append(Quantity(int(vague[m.group(0).lower()]), m.start(), m.end(), m.group(0), "vague"))
        found.sort(key=lambda q: q.start)
    return found


_BRACKETED_DIGITS = re.compile(r"\s*\(\s*[\d,]+\s*\)")


def _restated(text: str, found: list[Quantity]) -> list[Quantity]:
    """A number in words restated in digits, as official statements write them ("nine (9)
    civilians killed", "twenty-six (26) others"), is one quantity spanning both."""
    out: list[Quantity] = []
    skip = -1
    for i, q in enumerate(found):
        if i == skip:
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        bracket = _BRACKETED_DIGITS.match(text, q.end)
        if nxt is not None and bracket is not None and nxt.value == q.value and nxt.end <= bracket.end() and not q.text[:1].isdigit():
            out.append(Quantity(q.value, q.start, bracket.end(), text[q.start : bracket.end()], q.qualifier))
            skip = i + 1
            continue
        out.append(q)
    return out


# "between 20 and 25", "from 20 to 25", "20 to 25", "20-25", "20 or 25": a range.
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|\s(?:to|and|or)\s)\s*")
_RANGE_LEAD = re.compile(r"(?:between|from)\s+$", re.IGNORECASE)


def _ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """A range is one quantity, valued at its lower bound as "at least" (the conservative
    figure), spanning from "between"/"from" to the upper bound. "20 and 25" needs the "between"."""
    out: list[Quantity] = []
    i = 0
    while i < len(found):
        q = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and q.qualifier == "exact" and nxt.qualifier == "exact" and q.value < nxt.value:
            gap = _RANGE_GAP.fullmatch(text, q.end, nxt.start)
            lead = _RANGE_LEAD.search(text, max(0, q.start - 9), q.start)
            if gap and (lead or gap.group(0).strip() in ("-", "–", "—", "to")):
                start = lead.start() if lead else q.start
                out.append(Quantity(q.value, start, nxt.end, text[start : nxt.end], "min"))
                i += 2
                continue
        out.append(q)
        i += 1
    return out


@functools.lru_cache(maxsize=16)
def _vague_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)


def may_have_quantities(text: str, vague: Mapping[str, int] | None = None) -> bool:
    """False when ``find_quantities`` would surely find nothing (no digit, number word or vague word)."""
    return bool(_MAYBE_NUMBER.search(text) or (vague and _vague_regex(tuple(sorted(vague))).search(text)))
