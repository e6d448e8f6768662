"""History context: what a country's recent past says about each event, looking back only.

Rules see one event (or a short pattern) at a time, so a signal relative to a baseline — "the
deadliest 30 days in a year" (OCHA's HDX Signals on ACLED data), "violence in more regions",
"more armed groups" (the diffusion and fragmentation indicators of the ACLED Conflict Index) —
must travel on the event. ``add_history_context`` computes, per event, from the events of the
same country on the event's day and before it (never after), the fields of the "history
context" block of ``riskengine.core.events.Event``:

- ``country_fatalities_30d``: fatalities in the country in the 30 days ending on the event's day;
- ``country_fatalities_30d_peak_365d``: the highest such 30-day total ending on any of the 365
  days before the event's day (0 when there is no earlier day);
- ``country_fatalities_30d_highest_in_days``: how many days back one must go to find a higher
  30-day total; when none is higher, the days of history the input holds for the country (so a
  file's first weeks never read as "highest in years"); capped at 1095 (three years);
- ``country_admin1_hit_30d``: distinct first-level regions with political violence (Battles,
  Explosions/Remote violence, Violence against civilians) in those 30 days;
- ``country_armed_groups_30d``: distinct armed actors (state forces, rebels, militias, external
  forces; not civilians, protesters or rioters) in political violence in those 30 days; none
  (not 0) when an event of political violence in them comes from an export without actor
  columns (``export_lacks``), whose forces no count can name;
- ``country_events_30d``: the country's events of any type in those 30 days, so that a brief can
  tell a thin record (a 1,000-row sample of six years of Ukraine) from a quiet country;
- ``country_record_start``: the day of the country's first event in the input, so that a brief
  can tell "the highest in 603 days" from "the highest since the record began" (a file of 603
  days says the first when nothing before it was higher: a real Ukraine export, brief18).

A day's events are all counted for that day, whatever order they come in, so the values depend
on the set of events only, not on their order. Memory holds a few numbers and two small sets per
country and day with events; ``HistoryIndex`` lets a streaming importer add events in a first
pass and annotate them in a second.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from riskengine.core.events import Event

WINDOW_DAYS = 30
PEAK_DAYS = 365
MAX_HIGHEST_IN_DAYS = 1095
POLITICAL_VIOLENCE = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
HISTORY_FIELDS = (
    "country_fatalities_30d",
    "country_fatalities_30d_peak_365d",
    "country_fatalities_30d_highest_in_days",
    "country_admin1_hit_30d",
    "country_armed_groups_30d",
    "country_record_start",
    "country_events_30d",
)
_UNARMED = re.compile(r"^(?:civilians|protesters|rioters)\b", re.IGNORECASE)
_UNARMED_TYPES = ("civilians", "protesters", "rioters")


def is_armed_actor(name: str | None, tags: Iterable[str] = (), position: int = 1) -> bool:
    """An armed actor, by the importer's actor-type tag when there is one, else by ACLED's names
    (``Civilians (Kenya)``, ``Protesters (Somalia)``, ``Rioters (Bangladesh)`` are not armed)."""
    if not name:
        return False
    prefix = f"actor{position}_type:"
    for tag in tags:
        if tag.startswith(prefix):
            return tag[len(prefix) :] not in _UNARMED_TYPES
    return not _UNARMED.match(name.strip())


@dataclass
class _Day:
    fatalities: int = 0
    events: int = 0
    admin1: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    unnamed: int = 0  # political violence from an export without actor columns


@dataclass(frozen=True)
class DayContext:
    fatalities_30d: int
    peak_365d: int
    highest_in_days: int
    admin1_hit_30d: int
    armed_groups_30d: int | None
    record_start: dt.date
    events_30d: int

    def as_fields(self) -> dict[str, int | dt.date | None]:
        values = (self.fatalities_30d, self.peak_365d, self.highest_in_days, self.admin1_hit_30d, self.armed_groups_30d, self.record_start, self.events_30d)
        return dict(zip(HISTORY_FIELDS, values, strict=True))


class HistoryIndex:
    """Per-country daily totals of the events added; ``context(event)`` once all are added."""

    def __init__(self) -> None:
        self._days: dict[str, dict[int, _Day]] = defaultdict(dict)
        self._contexts: dict[str, dict[int, DayContext]] | None = None

    def add(self, event: Event) -> None:
        self._contexts = None
        day = self._days[event.country].setdefault(event.event_date.toordinal(), _Day())
        day.fatalities += event.fatalities
        day.events += 1
        if event.event_type in POLITICAL_VIOLENCE:
            if event.admin1:
                day.admin1.add(event.admin1.casefold())
            if event.export_lacks and "actor1" in event.export_lacks:
                day.unnamed += 1
            for position, actor in ((1, event.actor1), (2, event.actor2)):
                if is_armed_actor(actor, event.tags, position):
                    day.actors.add(actor.strip().casefold())  # type: ignore[union-attr]

    def context(self, event: Event) -> DayContext:
        if self._contexts is None:
            self._contexts = {country: _country_contexts(days) for country, days in self._days.items()}
        return self._contexts[event.country][event.event_date.toordinal()]

    def annotate(self, event: Event) -> Event:
        return event.model_copy(update=self.context(event).as_fields())


def _country_contexts(days: dict[int, _Day]) -> dict[int, DayContext]:
    """Contexts for every day with events; the rolling windows walk every calendar day."""
    first, last = min(days), max(days)
    start = dt.date.fromordinal(first)
    admin1: Counter[str] = Counter()
    actors: Counter[str] = Counter()
    running = 0
    counted = 0  # events in the window
    unnamed = 0  # events in the window whose export names no actor
    # Days with a higher 30-day total than a later one can still be "the last higher day";
    # a stack of (day, total) with totals decreasing answers "how far back to a higher total".
    higher: list[tuple[int, int]] = []
    peak: deque[tuple[int, int]] = deque()  # (day, total), totals decreasing: sliding max
    out: dict[int, DayContext] = {}
    for d in range(first, last + 1):
        today = days.get(d)
        leaving = days.get(d - WINDOW_DAYS)
        running += today.fatalities if today else 0
        running -= leaving.fatalities if leaving else 0
        counted += (today.events if today else 0) - (leaving.events if leaving else 0)
        unnamed += (today.unnamed if today else 0) - (leaving.unnamed if leaving else 0)
        if today:
            admin1.update(today.admin1)
            actors.update(today.actors)
        if leaving:
            admin1.subtract(leaving.admin1)
            actors.subtract(leaving.actors)
            admin1 += Counter()  # drop zero counts
            actors += Counter()
        # Peak of the 30-day totals ending on days d-365 .. d-1 (window before today).
        while peak and peak[0][0] < d - PEAK_DAYS:
            peak.popleft()
        peak_before = peak[0][1] if peak else 0
        while higher and higher[-1][1] <= running:
            higher.pop()
        back = d - higher[-1][0] if higher else d - first
        if today:
            # a count of the armed groups named is no count when some events could name none
            groups = None if unnamed else len(actors)
            out[d] = DayContext(running, peak_before, min(back, MAX_HIGHEST_IN_DAYS), len(admin1), groups, start, counted)
        higher.append((d, running))
        while peak and peak[-1][1] <= running:
            peak.pop()
        peak.append((d, running))
    return out


def add_history_context(events: list[Event]) -> list[Event]:
    """The events, in the order given, each with the history-context fields set (see the module
    doc). Values depend only on the set of events: any order gives the same fields."""
    index = HistoryIndex()
    for event in events:
        index.add(event)
    return [index.annotate(event) for event in events]


__all__ = ["HISTORY_FIELDS", "MAX_HIGHEST_IN_DAYS", "DayContext", "HistoryIndex", "add_history_context", "add_history_context_file", "is_armed_actor"]


def add_history_context_file(path: str | os.PathLike[str]) -> int:
    """Rewrite a JSON Lines events file (an importer's output) with the history context on every
    event, atomically; returns the number of events annotated. Two passes over the file, so
    memory holds the per-country daily totals, not the events. A line that is not a valid event
    (an upsert keeps existing lines as they were) is copied unchanged and counts for nothing."""
    from pydantic import ValidationError

    from riskengine.core.fileio import atomic_writer

    def parsed(line: str) -> Event | None:
        try:
            return Event.model_validate_json(line)
        except ValidationError:
            return None

    index = HistoryIndex()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            event = parsed(line) if line.strip() else None
            if event is not None:
                index.add(event)
    count = 0
    with open(path, encoding="utf-8") as handle, atomic_writer(str(path)) as out:
        for line in handle:
            event = parsed(line) if line.strip() else None
            if event is None:
                out.write(line if line.endswith("\n") else line + "\n")
                continue
            out.write(index.annotate(event).model_dump_json(exclude_none=True) + "\n")
            count += 1
    return count
