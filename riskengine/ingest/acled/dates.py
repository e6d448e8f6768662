"""Every date form found in real ACLED exports, with ambiguous forms decided per file.

ACLED's own exports write "16 February 2024"; the API writes "2024-02-16"; files that went
through a spreadsheet come back as "16-Feb-24", "16-02-24", "2/16/2024" or "31-12-19", and through
Stata as "20240216". A named month or a four-digit leading year reads one way only. A date of three numbers does not: "05-06-21"
is day-month-year, month-day-year or year-month-day. One spreadsheet writes one order for a
whole column, so the order is decided per file: every numeric date votes for the orders under
which it is a real date between ACLED's first year and next year (and agrees with the row's
``year`` column when there is one); the order that reads the most rows wins, ties going to
day-month-year, ACLED's own order. The decision and what decided it are said on standard error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

FIRST_YEAR = 1997  # ACLED's data start in 1997: two-digit years 97-99 are 19yy, the rest 20yy
ORDERS = ("dmy", "mdy", "ymd")  # preference on a tie: ACLED writes the day first
ORDER_WORDS = {"dmy": "day-month-year", "mdy": "month-day-year", "ymd": "year-month-day"}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")),
        1,
    )
    for name in names
}  # fmt: skip
# A time of day after the date, as spreadsheets and pandas add it: "2024-02-16 00:00:00".
_TIME = re.compile(r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-./]*([A-Za-z]+)\.?[\s\-./,]*(\d{4}|\d{2})$")
_MONTH_NAME_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})$")
_EXCEL_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")  # days since 1899-12-30, as Excel stores dates
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Year, month and day run together ("20201231"), as exports saved through Stata or read as
# integers come back. Only year first is read: a day-first or month-first date of eight digits
# ends with its year, whose first two digits (19, 20) are no month, so nothing is guessed.
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _year(text: str) -> int:
    value = int(text)
    if len(text) == 2:
        return value + (1900 if value >= FIRST_YEAR % 100 else 2000)
    return value


def _plausible(date: dt.date, year_hint: int | None) -> bool:
    if year_hint is not None and date.year != year_hint:
        return False
    return FIRST_YEAR <= date.year <= dt.date.today().year + 1


def _strip(value: str) -> str:
    return _TIME.sub("", value.strip()).strip()


def _numeric(text: str) -> tuple[str, str, str] | None:
    m = _NUMERIC.match(text)
    return (m.group(1), m.group(3), m.group(4)) if m else None


def _read_numeric(parts: tuple[str, str, str], order: str) -> dt.date | None:
    a, b, c = parts
    fields = dict(zip(order, (a, b, c), strict=True))
    if len(fields["d"]) > 2 or len(fields["m"]) > 2 or len(fields["y"]) not in (2, 4):
        return None
    try:
        return dt.date(_year(fields["y"]), int(fields["m"]), int(fields["d"]))
    except ValueError:
        return None


def parse_unambiguous(value: str) -> dt.date | None:
    """A date that reads one way only (named month, leading four-digit year); None otherwise."""
    text = _strip(value)
    m = _ISO.match(text)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DAY_MONTH_NAME.match(text)
    if m and m.group(2).lower() in _MONTHS:
        return dt.date(_year(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    m = _MONTH_NAME_DAY.match(text)
    if m and m.group(1).lower() in _MONTHS:
        return dt.date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    if _EXCEL_SERIAL.match(text):
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    m = _COMPACT.match(text)
    if m and int(m.group(1)) >= FIRST_YEAR:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def _year_hint(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


@dataclass
class DateSurvey:
    """First pass: counts, for the numeric dates, the orders each can be read in."""

    numeric_rows: int = 0
    readable: Counter[str] = field(default_factory=Counter)  # order -> rows it reads
    only: Counter[str] = field(default_factory=Counter)  # order -> rows only it reads
    two_digit_years: int = 0
    forms: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def add(self, value: str, year: str | None = None) -> None:
        text = _strip(value or "")
        parts = None if _ISO.match(text) else _numeric(text)
        if parts is None:
            form = _form(text)
            self.forms[form] += 1
            self.examples.setdefault(form, value.strip())
            return
        self.numeric_rows += 1
        self.forms["numeric"] += 1
        self.examples.setdefault("numeric", value.strip())
        hint = _year_hint(year)
        fits = [o for o in ORDERS if (d := _read_numeric(parts, o)) is not None and _plausible(d, hint)]
        self.readable.update(fits)
        if len(fits) == 1:
            self.only[fits[0]] += 1
        if len(parts[0]) == 2 and len(parts[2]) == 2:
            self.two_digit_years += 1

    def decide(self) -> DateReader:
        if not self.numeric_rows:
            return DateReader("dmy", None)
        best = max(ORDERS, key=lambda o: (self.readable[o], -ORDERS.index(o)))
        example = self.examples["numeric"]
        words = ORDER_WORDS[best]
        others = [o for o in ORDERS if o != best and self.readable[o] == self.readable[best]]
        if others:
            why = f"no row tells it from {' or '.join(ORDER_WORDS[o] for o in others)}, so ACLED's order is assumed"
        else:
            deciding = self.readable[best] - max(self.readable[o] for o in ORDERS if o != best)
            why = f"{deciding} row(s) read only that way"
        note = f"{self.numeric_rows} date(s) written like '{example}': read as {words} ({why})"
        if self.two_digit_years:
            note += f"; two-digit years are {FIRST_YEAR}-1999 for 97-99 and 20yy otherwise"
        return DateReader(best, note)


def _form(text: str) -> str:
    if _ISO.match(text):
        return "iso"
    if _DAY_MONTH_NAME.match(text) or _MONTH_NAME_DAY.match(text):
        return "month name"
    if _EXCEL_SERIAL.match(text):
        return "excel serial"
    if _COMPACT.match(text):
        return "year-month-day digits"
    return "other"


@dataclass(frozen=True)
class DateReader:
    """Second pass: reads every date of the file with the order decided for it."""

    order: str
    note: str | None  # what was decided, for standard error; None when nothing was ambiguous

    def parse(self, value: str, year: str | None = None) -> dt.date:
        text = _strip(value or "")
        if not text:
            raise ValueError("event_date is empty")
        try:
            date = parse_unambiguous(text)
        except ValueError:
            raise ValueError(f"date '{value}' is not a real date") from None
        if date is None:
            parts = _numeric(text)
            if parts is None:
                raise ValueError(f"date '{value}' is not a date form ACLED exports use ('16 February 2024', '2024-02-16', '16-02-24', ...)")
            date = _read_numeric(parts, self.order)
            if date is None:
                raise ValueError(f"date '{value}' is not a real date read as {ORDER_WORDS[self.order]}, the order of this file's dates")
        hint = _year_hint(year)
        if hint is not None and hint != date.year:
            raise ValueError(f"date '{value}' is in {date.year} but the row's year is {hint}")
        return date


DEFAULT = DateReader("dmy", None)


def parse_date(value: str) -> dt.date:
    """One date on its own, numeric forms read day first (ACLED's order)."""
    return DEFAULT.parse(value)
