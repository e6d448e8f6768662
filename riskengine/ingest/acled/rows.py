"""One ACLED row (column name -> text) as an Event, or every reason it cannot be one.

Accepted: numeric or text actor types (inter1/inter2), ISO numeric codes and ACLED's country
names (checked against each other), pre-2019 event types (taxonomy.py), "Casualties unknown"
notes (0 fatalities, tagged), any extra columns (ignored). Sources and verification: sources.py
(one named outlet is a claim, two independent ones confirm). Every actor of the event (actor1, actor2, associated actors, and those of merged
per-actor rows) is also a tag ``actor:<name>``, so a rule can ask for any of them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from riskengine.core.events import EVENT_TYPES, Event
from riskengine.core.tolls import STAND_IN_TOLL
from riskengine.ingest.acled.countries import Countries
from riskengine.ingest.acled.dates import DateReader
from riskengine.ingest.acled.sources import grade_sources
from riskengine.ingest.acled.taxonomy import map_event_type
from riskengine.ingest.extract.gazetteer import Gazetteer

INTER_CODES = {
    "0": None, "1": "State forces", "2": "Rebel group", "3": "Political militia", "4": "Identity militia",
    "5": "Rioters", "6": "Protesters", "7": "Civilians", "8": "External/Other forces",
}  # fmt: skip
# ACLED's largest single events count thousands of deaths; a bigger figure is a broken cell.
MAX_FATALITIES = 100_000
_CIVILIANS = re.compile(r"^Civilians(?:\s*\(.*\))?$")
# Columns whose absence from an export a brief must say rather than read as blanks: without
# actor1 and actor2 (a dashboard's extract of Burkina Faso 2019-22, the Caucasus file of five
# columns) the brief cannot say who fought or count armed groups; without notes no figure, target
# or damage is read. An ACLED row always names its first actor, so a blank cell is rare, and a
# missing column is every event of the file.
TOLD_COLUMNS = ("actor1", "actor2", "notes")


@dataclass
class RowContext:
    """What every row of one file is read with, and what was derived (for standard error)."""

    gazetteer: Gazetteer
    countries: Countries
    dates: DateReader
    derived: Counter[str] = field(default_factory=Counter)


class RowError(ValueError):
    """Every problem found in one row, each as (column or None, message)."""

    def __init__(self, reasons: list[tuple[str | None, str]]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(m for _, m in reasons))


def actor_type(value: str) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if text in INTER_CODES:
        return INTER_CODES[text]
    if text.isdigit():
        raise ValueError(f"actor type code '{text}' is not 0-8")
    return text


def _tag(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def whole_number(value: str, name: str) -> int:
    """A count written as ACLED or a spreadsheet writes it ("3", "3.0"); anything else is refused."""
    text = (value or "").strip() or "0"
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{name} '{value}' is not a number") from None
    if not math.isfinite(number) or number != int(number):
        raise ValueError(f"{name} '{value}' is not a whole number")
    if number < 0 or number > MAX_FATALITIES:
        raise ValueError(f"{name} '{value}' is out of range (0 to {MAX_FATALITIES:,})")
    return int(number)


def coordinate(value: str, name: str) -> float | None:
    text = (value or "").strip()
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as spreadsheets in many locales write
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{name} '{value}' is not a number") from None
    limit = 90 if name == "latitude" else 180
    if not math.isfinite(number) or abs(number) > limit:
        raise ValueError(f"{name} '{value}' is outside -{limit}..{limit}")
    return number


def civilian_targeting(row: dict[str, str]) -> bool:
    if "civilian_targeting" in row:
        return bool(re.search(r"civilian", row.get("civilian_targeting") or "", re.IGNORECASE))
    # Exports before 2021 have no such column: ACLED codes civilians as actor2 (inter2 7).
    return (row.get("inter2") or "").strip() in ("7", "Civilians") or bool(_CIVILIANS.match((row.get("actor2") or "").strip()))


def country_of(row: dict[str, str], ctx: RowContext, event_id: str, lat: float | None, lon: float | None) -> str:
    iso = (row.get("iso") or "").strip()
    iso3 = (row.get("iso3") or "").strip().upper()
    name = (row.get("country") or "").strip()
    by_code = by_name = None
    if iso:
        by_code = ctx.countries.by_numeric(iso)
        if by_code is None:
            raise ValueError(f"iso '{iso}' is not a known numeric country code")
    if iso3 and not by_code:
        if iso3 not in ctx.countries.iso3_codes:
            raise ValueError(f"iso3 '{iso3}' is not a known country code")
        by_code = iso3
    if name:
        by_name = ctx.countries.by_name(name)
        if by_name is None and by_code is None:
            raise ValueError(f"country '{name}' is not in countries.yaml (add ACLED's spelling there)")
    if by_code and by_name and by_code != by_name:
        raise ValueError(f"country '{name}' ({by_name}) does not match iso '{iso or iso3}' ({by_code})")
    if by_name or by_code:
        if name and by_name is None:
            ctx.derived[f"country '{name}' not in countries.yaml: placed by its iso code"] += 1
        return by_name or by_code  # type: ignore[return-value]
    prefix = event_id[:3]
    if "event_id_cnty" in row and prefix.isalpha() and prefix.isupper() and prefix in ctx.countries.iso3_codes:
        ctx.derived["country from the event id's prefix"] += 1
        return prefix
    if lat is not None and lon is not None:
        nearest = ctx.countries.nearest(lat, lon)
        if nearest:
            ctx.derived[f"country from coordinates ({nearest[1]})"] += 1
            return nearest[0]
        raise ValueError("no country, iso or event id prefix, and no town within reach of the coordinates")
    raise ValueError("no country, iso, event id prefix or coordinates to place the event")


def row_to_event(row: dict[str, str], ctx: RowContext, *, event_id: str, extra_actors: Iterable[str] = ()) -> Event:
    """One ACLED row as an Event; raises RowError with every reason it is not one."""
    reasons: list[tuple[str | None, str]] = []

    def attempt(column: str | None, read: Any) -> Any:
        try:
            return read()
        except ValueError as error:
            reasons.append((column, str(error)))
            return None

    def text(name: str) -> str | None:
        value = (row.get(name) or "").strip()
        return value or None

    date = attempt("event_date", lambda: ctx.dates.parse(row.get("event_date") or "", row.get("year")))
    kinds = {i: attempt(f"inter{i}", lambda i=i: actor_type(row.get(f"inter{i}") or "")) for i in ("1", "2")}
    fatalities = attempt("fatalities", lambda: whole_number(row.get("fatalities") or "", "fatalities"))
    lat = attempt("latitude", lambda: coordinate(row.get("latitude") or "", "latitude"))
    lon = attempt("longitude", lambda: coordinate(row.get("longitude") or "", "longitude"))
    precision = attempt("geo_precision", lambda: whole_number(row.get("geo_precision") or "", "geo_precision") if text("geo_precision") else None)
    event_type, sub_event_type, old_type = map_event_type(row)
    if event_type not in EVENT_TYPES:
        reasons.append(("event_type", f"event_type '{row.get('event_type') or ''}' is not an ACLED event type, old or new"))
    country = attempt(None, lambda: country_of(row, ctx, event_id, lat, lon))
    if reasons:
        raise RowError(reasons)

    notes = text("notes")
    tags: set[str] = set()
    for i, kind in kinds.items():
        if kind:
            tags.add(f"actor{i}_type:{_tag(kind)}")
    if text("time_precision"):
        tags.add(f"time_precision:{text('time_precision')}")
    for t in (row.get("tags") or "").split(";"):
        if t.strip():
            tags.add(t.strip())
    if old_type:
        tags.add(f"acled_type:{_tag(old_type)}")
    for name in (text("actor1"), text("actor2"), *(row.get("assoc_actor_1") or "").split(";"), *(row.get("assoc_actor_2") or "").split(";"), *extra_actors):
        if name and name.strip():
            tags.add(f"actor:{name.strip()}")
    if notes and re.search(r"casualties unknown", notes, re.IGNORECASE):
        tags.add("casualties_unknown")
    if notes and fatalities and any(int(m.group(1)) == fatalities for m in STAND_IN_TOLL.finditer(notes)):
        tags.add("fatalities_estimated")
    sources, verification, how = grade_sources(row, date)
    values: dict[str, Any] = {
        "event_id": event_id,
        "event_date": date,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": text("actor1"),
        "actor2": text("actor2"),
        "admin1": text("admin1"),
        "country": country,
        "location": text("location"),
        "notes": notes,
        "fatalities": fatalities,
        "civilian_targeting": civilian_targeting(row),
        "sources": sources,
        "verification": verification,
        "derived": [how],
        "tags": sorted(tags),
        "latitude": lat,
        "longitude": lon,
        "geo_precision": precision,
        "export_lacks": [c for c in TOLD_COLUMNS if c not in row] or None,
    }
    try:
        return Event(**values)
    except ValidationError as error:
        raise RowError([(_column_of(e), f"{'.'.join(map(str, e['loc'])) or 'event'}: {e['msg']}") for e in error.errors(include_url=False)]) from None


def _column_of(error: Any) -> str | None:
    if error["loc"]:
        return str(error["loc"][0])
    return "sub_event_type" if "sub_event_type" in error["msg"] else None
