"""ACLED exports (CSV) -> events, streamed.

The file is read twice, row by row, never held in memory: the first pass checks every row and
notes the last line of each ``event_id_cnty`` (ACLED revises events, so a later row with the same
id replaces an earlier one); the second pass writes each id's last version. Memory grows with the
number of distinct ids (one int each), not with the file.

Accepted: both date forms ("16 February 2024", "2024-02-16"), numeric or text actor types
(inter1/inter2), numeric ISO codes or country names, "Casualties unknown" notes (0 fatalities,
tagged), any extra columns (ignored). Sources get the reliability their ``source_scale`` implies
(docs/EXTRACTION.md) and credibility 2, since ACLED reviews every event it codes.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from riskengine.core.errors import EventError, Issue, Location
from riskengine.core.events import Event, Source
from riskengine.ingest.extract.gazetteer import Gazetteer, default_gazetteer

REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "event_type")
INTER_CODES = {
    "0": None, "1": "State forces", "2": "Rebel group", "3": "Political militia", "4": "Identity militia",
    "5": "Rioters", "6": "Protesters", "7": "Civilians", "8": "External/Other forces",
}  # fmt: skip
# Source reliability implied by ACLED's source_scale; a combination takes its best part.
SCALE_RELIABILITY = {
    "international": "B", "national": "B", "regional": "C", "subnational": "C", "local partner": "C",
    "new media": "D", "other": "F",
}  # fmt: skip
ACLED_CREDIBILITY = 2
MAX_ISSUES = 1000
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d/%m/%Y")
_SIDE = re.compile(r"^(?:Military|Police) Forces of (.+?)(?:\s*\(\d{4}-(?:\d{4})?\))?(?:\s*\[.*\])?$")
_INTERCEPTED = re.compile(r"(?:shot down|intercepted|downed|destroyed)\s+(\d[\d,]*)\s+(?:of|out of)\s+(\d[\d,]*)\s+(drones?|UAVs?|missiles?)", re.IGNORECASE)


@dataclass
class ImportResult:
    imported: int = 0
    replaced_in_file: int = 0  # rows superseded by a later row with the same id
    rejected: int = 0
    kept_existing: int = 0


def parse_date(value: str) -> dt.date:
    text = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date '{value}' is neither YYYY-MM-DD nor '16 February 2024'")


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


def _sources(row: dict[str, str], date: dt.date) -> list[Source]:
    scale = (row.get("source_scale") or "").lower()
    grades = [g for key, g in SCALE_RELIABILITY.items() if key in scale]
    reliability = min(grades) if grades else "F"
    names = [n.strip() for n in (row.get("source") or "").split(";") if n.strip()] or ["ACLED"]
    return [Source(name=n, date=date, reliability=reliability, credibility=ACLED_CREDIBILITY) for n in sorted(set(names))]  # type: ignore[arg-type]


class RowError(ValueError):
    """Every problem found in one row."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons))


def row_to_event(row: dict[str, str], gazetteer: Gazetteer) -> Event:
    """One ACLED row as an Event; raises RowError / ValidationError with the reasons."""
    reasons: list[str] = []
    for check in (
        lambda: parse_date(row.get("event_date") or ""),
        lambda: actor_type(row.get("inter1") or ""),
        lambda: actor_type(row.get("inter2") or ""),
        lambda: int(float((row.get("fatalities") or "0").strip() or "0")),
        lambda: [float(row[c]) for c in ("latitude", "longitude") if (row.get(c) or "").strip()],
    ):
        try:
            check()
        except ValueError as error:
            reasons.append(str(error) if "could not convert" not in str(error) and "invalid literal" not in str(error) else f"not a number: {str(error).split(': ', 1)[-1]}")
    if reasons:
        raise RowError(reasons)

    def text(name: str) -> str | None:
        value = (row.get(name) or "").strip()
        return value or None

    event_id = text("event_id_cnty")
    if not event_id:
        raise ValueError("event_id_cnty is empty")
    date = parse_date(row.get("event_date") or "")
    country = _country(row, gazetteer, event_id)
    notes = text("notes")
    tags: set[str] = set()
    for i in ("1", "2"):
        kind = actor_type(row.get(f"inter{i}") or "")
        if kind:
            tags.add(f"actor{i}_type:{_tag(kind)}")
    if text("time_precision"):
        tags.add(f"time_precision:{text('time_precision')}")
    for t in (row.get("tags") or "").split(";"):
        if t.strip():
            tags.add(t.strip())
    fatalities_text = text("fatalities") or "0"
    try:
        fatalities = int(float(fatalities_text))
    except ValueError:
        raise ValueError(f"fatalities '{fatalities_text}' is not a number") from None
    if notes and re.search(r"casualties unknown", notes, re.IGNORECASE):
        tags.add("casualties_unknown")
    values: dict[str, Any] = {
        "event_id": event_id,
        "event_date": date,
        "event_type": text("event_type"),
        "sub_event_type": text("sub_event_type"),
        "actor1": text("actor1"),
        "actor2": text("actor2"),
        "admin1": text("admin1"),
        "country": country,
        "location": text("location"),
        "notes": notes,
        "fatalities": fatalities,
        "civilian_targeting": bool(re.search(r"civilian", row.get("civilian_targeting") or "", re.IGNORECASE)),
        "sources": _sources(row, date),
        "verification": "confirmed",
        "tags": sorted(tags),
    }
    for name in ("latitude", "longitude"):
        if text(name):
            try:
                values[name] = float(text(name))  # type: ignore[arg-type]
            except ValueError:
                raise ValueError(f"{name} '{text(name)}' is not a number") from None
    if text("geo_precision"):
        values["geo_precision"] = int(float(text("geo_precision")))  # type: ignore[arg-type]
    # ACLED codes the side that stopped the weapons as actor1 of an interception; our
    # initiator_side is the side that launched them, as for the strike itself.
    interception = values["sub_event_type"] == "Disrupted weapons use"
    for name, side_field in (("actor1", "target_side" if interception else "initiator_side"), ("actor2", "initiator_side" if interception else "target_side")):
        m = _SIDE.match(values[name] or "")
        if m:
            values[side_field] = m.group(1).strip()
    if notes:
        m = _INTERCEPTED.search(notes)
        if m:
            weapon = "drones" if m.group(3).lower().startswith(("drone", "uav")) else "missiles"
            values[f"{weapon}_intercepted"] = int(m.group(1).replace(",", ""))
            values[f"{weapon}_launched"] = int(m.group(2).replace(",", ""))
    if values.get("latitude") is not None and values.get("longitude") is not None:
        values["distance_to_nato_km"] = gazetteer.distance_to_nato_km(country, values["latitude"], values["longitude"])
    return Event(**values)


def _country(row: dict[str, str], gazetteer: Gazetteer, event_id: str) -> str:
    iso = (row.get("iso") or "").strip()
    if iso:
        try:
            return gazetteer.numeric_to_iso3[int(float(iso))]
        except (ValueError, KeyError):
            raise ValueError(f"iso '{iso}' is not a known numeric country code") from None
    name = (row.get("country") or "").strip()
    if name:
        if name in gazetteer.country_names:
            return gazetteer.country_names[name]
        raise ValueError(f"country '{name}' is not a known country name")
    prefix = event_id[:3]
    if prefix.isalpha() and prefix.isupper():
        return prefix
    raise ValueError("no iso or country to place the event")


def _reasons(error: Exception) -> list[str]:
    if isinstance(error, RowError):
        return error.reasons
    if isinstance(error, ValidationError):
        return [f"{'.'.join(map(str, e['loc'])) or 'event'}: {e['msg']}" for e in error.errors(include_url=False)]
    return [str(error)]


def _rows(handle: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(handle)
    for row in reader:
        yield reader.line_num, row


def import_acled(
    csv_path: Path,
    out: IO[str],
    *,
    skip_invalid: bool = False,
    rejects: IO[str] | None = None,
    existing: Path | None = None,
    gazetteer: Gazetteer | None = None,
) -> ImportResult:
    """Convert ``csv_path`` to JSON Lines on ``out``; see the module doc for the passes."""
    gaz = gazetteer or default_gazetteer()
    shown = str(csv_path)
    result = ImportResult()
    issues: list[Issue] = []
    last_line: dict[str, int] = {}
    bad: set[int] = set()
    try:
        handle = open(csv_path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by the with below, after the error is typed
    except OSError as error:
        raise EventError([Issue("E601", f"cannot read: {error.strerror or error}", Location(shown))]) from None
    with handle:
        header = next(csv.reader(handle), None)
        missing = [c for c in REQUIRED_COLUMNS if c not in (header or [])]
        if header is None or missing or not ({"iso", "country"} & set(header) or "event_id_cnty" in header):
            raise EventError([Issue("E602", f"not an ACLED export: missing column(s) {', '.join(missing) or 'iso/country'}", Location(shown, 1, 1))])
        handle.seek(0)
        try:
            for line, row in _rows(handle):
                try:
                    event = row_to_event(row, gaz)
                except (ValueError, ValidationError) as error:
                    bad.add(line)
                    for reason in _reasons(error):
                        if len(issues) < MAX_ISSUES:
                            issues.append(Issue("E603", reason, Location(shown, line, 1, f"row {row.get('event_id_cnty') or '?'}")))
                    if rejects is not None:
                        rejects.write(json.dumps({"file": shown, "line": line, "reasons": _reasons(error), "row": row}, ensure_ascii=False, sort_keys=True) + "\n")
                    continue
                if event.event_id in last_line:
                    result.replaced_in_file += 1
                last_line[event.event_id] = line
        except csv.Error as error:
            raise EventError([Issue("E604", f"CSV error: {error}", Location(shown))]) from None
        result.rejected = len(bad)
        if bad and not skip_invalid:
            summary = f"{len(bad)} invalid row(s) in {shown}" + (f" (first {MAX_ISSUES} problems shown)" if len(issues) >= MAX_ISSUES else "")
            raise EventError(issues, summary)
        if existing is not None and existing.exists():
            result.kept_existing = _copy_existing(existing, set(last_line), out)
        handle.seek(0)
        for line, row in _rows(handle):
            if line in bad:
                continue
            event_id = (row.get("event_id_cnty") or "").strip()
            if last_line.get(event_id) != line:
                continue
            event = row_to_event(row, gaz)
            out.write(event.model_dump_json(exclude_none=True) + "\n")
            result.imported += 1
    return result


def _copy_existing(path: Path, replaced: set[str], out: IO[str]) -> int:
    """Events already in the output file that this import does not replace (the upsert)."""
    kept = 0
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                event_id = json.loads(line).get("event_id")
            except (json.JSONDecodeError, AttributeError):
                raise EventError([Issue("E605", "existing output is not JSON Lines of events", Location(str(path), number, 1))]) from None
            if event_id not in replaced:
                out.write(line if line.endswith("\n") else line + "\n")
                kept += 1
    return kept
