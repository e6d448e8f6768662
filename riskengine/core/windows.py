"""Time windows: ISO weeks or explicit date ranges, and the window before each."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from riskengine.core.errors import InputError, Issue, Location

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
# Scoring looks at the windows before a window (trends, backtests) and the days after it; near
# year 1 or 9999 those fall off Python's calendar (OverflowError), so windows keep to these years.
FIRST_YEAR, LAST_YEAR = 1000, 9000


@dataclass(frozen=True, order=True)
class Window:
    """Days ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Window:
        if self.start.year < FIRST_YEAR:
            raise InputError([Issue("E402", f"no window before {self.label}: years before {FIRST_YEAR} are not scored")])
        if _WEEK.match(self.label):
            return week_of(self.start - dt.timedelta(days=7))
        end = self.start - dt.timedelta(days=1)
        try:
            start = end - dt.timedelta(days=self.days - 1)
        except OverflowError:
            # a long window from an early year ('--from 1000-01-01 --to 2025-07-06'): the one of
            # the same length before it starts before year 1
            raise InputError(
                [Issue("E402", f"no window before {self.label}: a window of {self.days} days before it starts before year 1")],
            ) from None
        return Window(start, end, f"{start.isoformat()}..{end.isoformat()}")

    def history(self, count: int) -> list[Window]:
        """``count`` windows ending with this one, oldest first."""
        windows = [self]
        while len(windows) < count:
            windows.append(windows[-1].previous())
        return list(reversed(windows))


def week_of(day: dt.date) -> Window:
    year, week, _ = day.isocalendar()
    start = dt.date.fromisocalendar(year, week, 1)
    return Window(start, start + dt.timedelta(days=6), f"{year}-W{week:02d}")


def parse_week(text: str, option: str = "") -> Window:
    """The ISO week ``text``; ``option`` (e.g. '--week') names where it was given, in errors."""
    where = Location(option)
    match = _WEEK.match(text.strip())
    if not match:
        raise InputError([Issue("E401", f"'{text}' is not an ISO week", where, "write it like 2025-W27")])
    year, week = int(match.group(1)), int(match.group(2))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError([Issue("E401", f"{text}: the year is outside {FIRST_YEAR} to {LAST_YEAR}", where, "write it like 2025-W27")])
    try:
        start = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InputError([Issue("E401", f"{year} has no week {week}", where, "ISO years have 52 or 53 weeks")]) from None
    return Window(start, start + dt.timedelta(days=6), f"{year}-W{week:02d}")


def parse_range(start: str, end: str, options: tuple[str, str] = ("", "")) -> Window:
    """Days ``start`` to ``end``; ``options`` (e.g. ('--from', '--to')) name where they were given."""
    dates: list[dt.date] = []
    for text, option in zip((start, end), options, strict=True):
        try:
            dates.append(dt.date.fromisoformat(text))
        except ValueError as exc:
            raise InputError([Issue("E402", f"bad date: {exc}", Location(option), "write dates like 2025-06-30")]) from None
    first, last = dates
    if last < first:
        raise InputError([Issue("E402", f"--to {end} is before --from {start}", Location(options[1]))])
    if first.year < FIRST_YEAR or last.year > LAST_YEAR:
        where = Location(options[0] if first.year < FIRST_YEAR else options[1])
        raise InputError([Issue("E402", f"{start}..{end}: dates must be within the years {FIRST_YEAR} to {LAST_YEAR}", where)])
    window = Window(first, last, f"{first.isoformat()}..{last.isoformat()}")
    try:
        window.previous()  # every score compares with it: refuse here, naming the option
    except InputError as error:
        raise InputError([Issue(i.code, i.message, Location(options[0]), i.hint) for i in error.issues]) from None
    return window


def check_order(first: Window, last: Window, options: tuple[str, str] = ("--from", "--to")) -> None:
    """A span of windows given by its first and last: the last may not come before the first (E402,
    as for a date range: every command says it alike)."""
    if last.start < first.start:
        raise InputError([Issue("E402", f"{options[1]} {last.label} is before {options[0]} {first.label}", Location(options[1]))])


__all__ = ["Window", "check_order", "parse_range", "parse_week", "week_of"]
