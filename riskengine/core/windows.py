"""Time windows: ISO weeks or explicit date ranges, and the window before each."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from riskengine.core.errors import InputError, Issue

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
        start = end - dt.timedelta(days=self.days - 1)
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


def parse_week(text: str) -> Window:
    match = _WEEK.match(text.strip())
    if not match:
        raise InputError([Issue("E401", f"'{text}' is not an ISO week", hint="write it like 2025-W27")])
    year, week = int(match.group(1)), int(match.group(2))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError([Issue("E401", f"{text}: the year is outside {FIRST_YEAR} to {LAST_YEAR}", hint="write it like 2025-W27")])
    try:
        start = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InputError([Issue("E401", f"{year} has no week {week}", hint="ISO years have 52 or 53 weeks")]) from None
    return Window(start, start + dt.timedelta(days=6), f"{year}-W{week:02d}")


def parse_range(start: str, end: str) -> Window:
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError as exc:
        raise InputError([Issue("E402", f"bad date: {exc}", hint="write dates like 2025-06-30")]) from None
    if last < first:
        raise InputError([Issue("E402", f"--to {end} is before --from {start}")])
    if first.year < FIRST_YEAR or last.year > LAST_YEAR:
        raise InputError([Issue("E402", f"{start}..{end}: dates must be within the years {FIRST_YEAR} to {LAST_YEAR}")])
    return Window(first, last, f"{first.isoformat()}..{last.isoformat()}")


__all__ = ["Window", "parse_range", "parse_week", "week_of"]
