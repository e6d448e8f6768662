"""Dates in news prose, resolved against the article's publication date.

"on Tuesday" is the latest Tuesday on or before publication (the next one when the clause
speaks of the future: "scheduled for Monday", "expected to meet on Thursday"); "overnight",
"last night", "this morning", "pre-dawn" are the publication day, since reports of a night
attack are dated by the morning they appear; "yesterday" and "a day earlier" the day before;
"12 August" / "Aug 12" that day in the publication year (the year before when that would be
more than a week after publication).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from riskengine.ingest.extract.patterns import trie_alternation

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# As a prefix tree (same matches as the flat alternation, longest first): far cheaper to try
# case-insensitively at every word of a long article.
_MONTH = trie_alternation(MONTHS)
_WEEKDAY = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
FUTURE = re.compile(
    # "next to a school", "next door" are places, not the future.
    r"\b(?:scheduled|due|expected|will|set to|set for|planned|intends? to|intended to|next(?!\s+(?:to|door)\b)|upcoming|preparing|to be held|is to"
    # reported future: "the Kremlin said a delegation would travel to Istanbul on Thursday"
    r"|would\s+(?:\w+\s+)?(?:travel|fly|meet|hold|host|visit|attend|sit|resume|begin|start|take\s+place)"
    # a headline's or ticker's infinitive: "Pakistan and Afghan delegations to meet in Doha on Saturday"
    r"|(?:delegations?|teams|sides|leaders|ministers|envoys|negotiators|parties)\s+to\s+(?:meet|hold|resume|sit))\b",
    re.IGNORECASE,
)
# A day named right after a verb of saying dates the statement, not what it announces: "said on
# Wednesday that the delegation would travel ... on Thursday" (Wednesday is past, Thursday ahead).
_SAID_BEFORE = re.compile(r"\b(?:said|says|announced|confirmed|stated|reported|added|wrote|told\s+\w+)\s+(?:(?:late|early)\s+)?(?:on\s+)?$")

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "the night of December 1 to 2": the morning it ended, as for "overnight".
    # "overnight on August 26 to 27", "in the night of 3 to 4 June" too
    ("night_md", re.compile(rf"\b(?:night\s+of|overnight(?:\s+(?:on|of|from))?)\s+(?P<month>{_MONTH})\.?\s+\d{{1,2}}\s*(?:to|-|–|into)\s*(?P<day>\d{{1,2}})\b", re.IGNORECASE)),
    # ("in the night of Saturday 10 to Sunday 11 May 2025": the days named with their weekdays)
    ("night_dm", re.compile(rf"\b(?:night\s+of|overnight(?:\s+(?:on|of|from))?)\s+(?:{_WEEKDAY}\s+)?\d{{1,2}}\s*(?:to|-|–|into)\s*(?:{_WEEKDAY}\s+)?(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\b", re.IGNORECASE)),
    # "from the evening of 8 July", "since the evening of July 8": a night attack, the morning it ended
    ("evening_dm", re.compile(rf"\b(?:from|since|starting)\s+(?:the\s+)?(?:evening|night)\s+of\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\b", re.IGNORECASE)),
    ("evening_md", re.compile(rf"\b(?:from|since|starting)\s+(?:the\s+)?(?:evening|night)\s+of\s+(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})\b", re.IGNORECASE)),
    # (a year is a year of this era, not a clock time: "14 Oct, 1120 hrs:", as monitors and
    # police logs write the time of an incident, is 14 October at 11:20)
    ("explicit_dm", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\.?(?:,?\s+(?P<year>(?:19|20)\d\d)(?!\s*(?:hrs|hours|h|GMT|UTC|local)\b))?\b", re.IGNORECASE)),
    ("explicit_md", re.compile(rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d)(?!\s*(?:hrs|hours|h|GMT|UTC|local)\b))?\b", re.IGNORECASE)),
    # "on Tuesday last week", "Thursday of next week": that day of the week named (weeks start on Monday)
    # "on 05.06.2025" (day first, as Ukrainian and Russian sources write it), "2025-06-05"
    # "06/09/2025 - Debre Markos: ..." (an incident log's entry): day first too, unless only the
    # second number can be a day or only month first is not after publication
    ("numeric_dmy", re.compile(r"(?<![\d./])(?P<day>\d{1,2})(?P<sep>[./])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})(?![\d./]*\d)")),
    ("numeric_iso", re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d-])")),
    # "on the night of Saturday to Sunday", "overnight from Tuesday into Wednesday": the later day,
    # as for a night between two dates
    ("night_weekdays", re.compile(r"\b(?:night\s+(?:of|from)|overnight\s+(?:from|of)?)\s*(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(?:to|into|-|–)\s+(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)),
    # "on the 5th": a day of the month alone, as later reports of a month's events write it
    ("day_only", re.compile(r"\b(?:on|since|from)\s+the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?[a-z]*\s*(?:century|anniversary|floor|round|package|day|time|brigade|division|army|corps|battalion|regiment))", re.IGNORECASE)),
    ("weekday", re.compile(r"\b(?P<next>next\s+|last\s+|this\s+)?(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(?:of\s+)?(?P<week>last|next|this)\s+week)?\b", re.IGNORECASE)),
    ("same_day", re.compile(r"\b(?:overnight|over the past night|last night|this morning|pre-dawn|predawn|early today|earlier today|today|shortly after midnight|tonight)\b", re.IGNORECASE)),
    # "over the weekend", "at the weekend": the weekend's Sunday, its later day as for a night
    # between two dates (the publication day when the report is of that weekend)
    ("weekend", re.compile(r"\b(?:over|during|at|on|this|last|the\s+past)\s+(?:the\s+)?weekend\b", re.IGNORECASE)),
    ("days_ago", re.compile(r"\b(?P<n>a|one|two|three|four|five|six|\d)\s+days?\s+(?:earlier|ago|before)\b", re.IGNORECASE)),
    ("yesterday", re.compile(r"\b(?:yesterday|the day before|the previous day)\b", re.IGNORECASE)),
    ("weeks_ago", re.compile(r"\b(?:(?:nearly|almost|about|some)\s+)?(?P<n>a|one|two|three)\s+weeks?\s+ago\b|\blast week\b", re.IGNORECASE)),
    ("month_ago", re.compile(r"\b(?:(?:nearly|almost|about|some)\s+)?a month ago\b|\blast month\b", re.IGNORECASE)),
]
# How far (characters) a future word reaches to a date: about a dozen words.
_FUTURE_REACH = 80
_SMALL = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


@dataclass(frozen=True)
class DatePhrase:
    start: int
    end: int
    text: str
    date: dt.date
    future: bool = False
    precision: int = 1  # 1 day, 2 week, 3 month


# Words one of which a clause must contain for a pattern to be tried (lower case): most clauses
# have no date phrase, and trying every pattern on each made long articles slow.
_NEEDS: dict[str, tuple[str, ...]] = {
    "night_md": ("night",), "night_dm": ("night",), "evening_dm": ("evening", "night"), "evening_md": ("evening", "night"), "explicit_dm": (), "explicit_md": (), "numeric_dmy": (), "numeric_iso": (), "day_only": ("on the", "since the", "from the"), "night_weekdays": ("night",), "weekday": tuple(WEEKDAYS),
    "same_day": ("night", "morning", "dawn", "today", "midnight"), "days_ago": ("ago", "earlier", "before"), "weekend": ("weekend",),
    "yesterday": ("yesterday", "day before", "previous day"), "weeks_ago": ("week",), "month_ago": ("month",),
}  # fmt: skip
_ANY_MONTH = re.compile(rf"\b(?:{_MONTH})\b")
_NUMERIC_HINT = re.compile(r"\d[./]\d{1,2}[./]\d{4}|\d{4}-\d\d-\d\d")
# Every word of _NEEDS in one pass (substrings, as the per-word test `word in low`).
_NEED_WORDS = re.compile("|".join(sorted({re.escape(w) for words in _NEEDS.values() for w in words}, key=lambda w: (-len(w), w))))
# The patterns are all lower case: matched case-sensitively on the lower-cased clause, which the
# regex engine does several times faster than case-insensitively (the same matches).
_LOWER_PATTERNS = [(kind, re.compile(rx.pattern)) for kind, rx in _PATTERNS]
_LOWER_FUTURE = re.compile(FUTURE.pattern)
# A meeting agreed or offered speaks of the days after it only: "agreed to meet again in Tibu on
# June 20", "is ready to host talks ... on 2 December"; not "talks ended on Thursday, but the
# sides agreed to meet again".
_AHEAD = re.compile(r"\b(?:agreed|ready|offered|invited|plans?)\s+to\s+(?:\w+\s+)?(?:travel|fly|meet|hold|host|visit|attend|sit|resume|reconvene)\b", re.IGNORECASE)


def find_dates(clause: str, published: dt.date, offset: int = 0) -> list[DatePhrase]:
    """Every date phrase in ``clause`` (offsets shifted by ``offset``), resolved to a day."""
    low = clause.lower()
    lowered = len(low) == len(clause)  # lower() keeps offsets but for a few non-Latin letters
    subject, patterns = (low, _LOWER_PATTERNS) if lowered else (clause, _PATTERNS)
    has_month = bool(_ANY_MONTH.search(low))
    has_numeric = bool(_NUMERIC_HINT.search(low))
    # A future word speaks of the dates near it: "On Wednesday the Treasury put two firms on its
    # sanctions list, warning banks ... that they could be next" is last Wednesday.
    futures = [(f.start() - _FUTURE_REACH, f.end()) for f in (_LOWER_FUTURE if lowered else FUTURE).finditer(subject)]
    futures += [(f.start(), f.end()) for f in _AHEAD.finditer(subject)]
    found: list[DatePhrase] = []
    present = _needed_words_in(low)
    for kind, pattern in patterns:
        needs = _NEEDS[kind]
        if kind.startswith("numeric"):
            if not has_numeric:
                continue
        elif (not needs and not has_month) or (needs and present.isdisjoint(needs)):
            continue
        for m in pattern.finditer(subject):
            if any(p.start - offset <= m.start() < p.end - offset for p in found):
                continue
            future = any(f0 <= m.start() and m.end() <= f1 + _FUTURE_REACH for f0, f1 in futures)
            resolved = _resolve(kind, m, published, future and not _SAID_BEFORE.search(subject, 0, m.start()))
            if resolved is not None:
                day, is_future, precision = resolved
                found.append(DatePhrase(m.start() + offset, m.end() + offset, clause[m.start() : m.end()], day, is_future, precision))
    found.sort(key=lambda p: p.start)
    return found


def _needed_words_in(low: str) -> set[str]:
    """The _NEEDS words that occur in ``low`` (overlapping ones too: "yesterday" holds "day")."""
    present = set()
    for m in _NEED_WORDS.finditer(low):
        present.add(m.group(0))
    # A longer word found hides the shorter ones inside it at the same place; add those.
    for word in list(present):
        present.update(w for w in _ALL_NEEDS if w != word and w in word)
    return present


_ALL_NEEDS = frozenset(w for words in _NEEDS.values() for w in words)


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _resolve(kind: str, m: re.Match[str], published: dt.date, future: bool) -> tuple[dt.date, bool, int] | None:
    if kind == "numeric_dmy":
        year, first, second = int(m.group("year")), int(m.group("day")), int(m.group("month"))
        readings = [d for d in (_day(year, second, first), _day(year, first, second)) if d is not None]
        if not readings:
            return None
        date = next((d for d in readings if d <= published), readings[0])
        return date, date > published, 1
    if kind == "numeric_iso":
        try:
            date = dt.date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        except ValueError:
            return None
        return date, date > published, 1
    if kind in ("evening_dm", "evening_md"):
        try:
            evening = dt.date(published.year, MONTHS[m.group("month").lower()], int(m.group("day")))
        except ValueError:
            return None
        if evening > published:
            evening = evening.replace(year=evening.year - 1)
        return evening + dt.timedelta(days=1), False, 1
    if kind in ("explicit_dm", "explicit_md", "night_md", "night_dm"):
        month = MONTHS[m.group("month").lower()]
        day = int(m.group("day"))
        year = int(m.group("year")) if m.groupdict().get("year") else published.year
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        if not m.groupdict().get("year") and date > published + dt.timedelta(days=7) and not future:
            date = date.replace(year=year - 1)
        return date, date > published, 1
    if kind == "night_weekdays":
        back = (published.weekday() - WEEKDAYS.index(m.group("weekday").lower())) % 7
        return published - dt.timedelta(days=back), False, 1
    if kind == "day_only":
        day = int(m.group("day"))
        year, month = published.year, published.month
        if day > published.day and not future:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)  # "on the 28th" in a report of the 3rd: last month's
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        return date, date > published, 1
    if kind == "weekday":
        target = WEEKDAYS.index(m.group("weekday").lower())
        qualifier = (m.group("next") or "").strip().lower()
        week = (m.group("week") or "").lower()
        if week:
            monday = published - dt.timedelta(days=published.weekday())
            when = monday + dt.timedelta(days=target + {"last": -7, "this": 0, "next": 7}[week])
            return when, when > published, 1
        if qualifier == "next" or (future and qualifier != "last"):
            ahead = (target - published.weekday()) % 7 or 7
            return published + dt.timedelta(days=ahead), True, 1
        back = (published.weekday() - target) % 7
        if qualifier == "last" and back == 0:
            back = 7
        return published - dt.timedelta(days=back), False, 1
    if kind == "same_day":
        return published, False, 1
    if kind == "weekend":
        if future:
            return published + dt.timedelta(days=(5 - published.weekday()) % 7 or 7), True, 1
        if published.weekday() >= 5:  # a report of Saturday or Sunday: that weekend, so far
            return published, False, 1
        return published - dt.timedelta(days=published.weekday() + 1), False, 1
    if kind == "yesterday":
        return published - dt.timedelta(days=1), False, 1
    if kind == "days_ago":
        n = _SMALL.get(m.group("n").lower()) or int(m.group("n"))
        return published - dt.timedelta(days=n), False, 1
    if kind == "weeks_ago":
        n = _SMALL.get((m.groupdict().get("n") or "one").lower(), 1)
        return published - dt.timedelta(weeks=n), False, 2
    if kind == "month_ago":
        return published - dt.timedelta(days=30), False, 3
    return None
