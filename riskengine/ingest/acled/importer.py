"""The passes of ``riskengine import acled``: survey, convert and group, write in date order.

1. Survey: every row's date is read once to decide the file's ambiguous date forms (dates.py).
2. Convert: every row is checked (converted to an Event and dropped). A good row is written, as
   its raw values, to a temporary file, and filed under its event id:
   - rows with the same id and the same content apart from the actor columns are one event
     coded once per actor (ACLED's monadic exports, or an export joined to actors): merged into
     one event that carries every actor;
   - rows with the same id and other content are revisions: the latest (by ``timestamp``, else
     the later row) replaces the others.
   Rows without ``event_id_cnty`` get ``ACLED-`` + the first 12 hex digits of the SHA-1 of their
   content, so the same row imported twice has the same id; the second row identical to it in the
   file gets that id + ``-2``, the third ``-3`` (another event whose telling columns were dropped).
3. Write: the events (and, for an upsert, the kept events of the existing output) are sorted by
   date, same-date events in the order of the file, and written from the temporary file. A
   figure read into notes that several of the file's events share (ACLED's one report coded as
   an event per place or day) is kept on the first of them only (``shared_notes_figures``).

Memory: the temporary file holds the rows; memory holds, per distinct event id, its id, one
date, one timestamp, a content digest and the offsets of its rows (about 200 bytes), and one
entry per output event for the sort. CSV is streamed; JSON is read whole (reader.py).

Every row read ends in exactly one of: imported, merged (a further actor row of an imported
event), replaced (an older revision) or rejected (with its line and reasons).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from riskengine.core.errors import EventError, Issue, Location
from riskengine.core.events import EVENT_TYPES, NOT_USED, Derivation, Event
from riskengine.ingest.acled.countries import countries_for
from riskengine.ingest.acled.dates import DateSurvey
from riskengine.ingest.acled.reader import _MARKS, AGGREGATED_HINT, Export, Problem, Row, summed_message, summed_per_day
from riskengine.ingest.acled.rows import TOLD_COLUMNS, RowContext, RowError, row_to_event
from riskengine.ingest.derive import enrich_event
from riskengine.ingest.derive.notes import FIGURE_FIELDS
from riskengine.ingest.extract.gazetteer import Gazetteer, default_gazetteer

# What makes a file an ACLED export at all, and the column the scores read whose absence cannot
# be read as a value: without 'fatalities' every event imported with 0 deaths (and an ingest
# replaced the stored counts with those zeros). Coordinates are different: a blank cell already
# means "not placed", so an export without them (column extracts analysts make) imports with the
# events unplaced and a note saying no distance could be derived, rather than losing the file.
# Other columns are optional: a missing sub_event_type, actor or note is left out of the event,
# a country comes from iso, iso3 or the event id.
HEADER_COLUMNS = ("event_date", "event_type")
REQUIRED_COLUMNS = (*HEADER_COLUMNS, "fatalities")
COORDINATE_COLUMNS = ("latitude", "longitude")
MAX_ISSUES = 1000
# Columns that differ between the rows ACLED writes once per actor of one event.
ACTOR_COLUMNS = frozenset({"data_id", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction"})


@dataclass
class ImportResult:
    rows_read: int = 0
    imported: int = 0
    merged: int = 0  # further rows of one event, one per actor, merged into it
    replaced_in_file: int = 0  # older revisions superseded by a later row with the same id
    rejected: int = 0
    kept_existing: int = 0
    notes: list[str] = field(default_factory=list)  # decisions and derivations, for standard error
    reasons: Counter[str] = field(default_factory=Counter)  # rejected rows by their first reason


@dataclass
class _Event:
    """An event id's chosen version: the rows that make it up, by offset in the spool."""

    digest: bytes
    timestamp: int | None
    line: int
    date: int
    rows: list[tuple[int, int, int]]  # (offset, length of the values, length of the event)
    notes: bytes = b""  # digest of the notes, to find events that share them; empty: no notes


# Distinct dates, all on one weekday, from which a file reads as dated by the week.
WEEKLY_DATES = 20
# A file of this many events or more holding at most EXTRACT_TYPES of ACLED's six event types is
# an extract of those types (Myanmar 2021: Explosions/Remote violence only, 2,734 events;
# Bangladesh 2022-24: Riots and Protests only, 4,006), not a country without the others: every
# event records the types its export lacks, and a brief says what its counts leave out. Of the
# 19 real exports the others hold five or six types.
EXTRACT_EVENTS = 100
EXTRACT_TYPES = 2


# What an event of a file of weekly records lacks (export_lacks): the day it took place.
WEEKLY_DAY = "day"


def one_weekday(days: set[int]) -> str | None:
    """A note when every date of the file falls on one weekday: a file of weekly counts dated by
    the week's first day (the Caucasus file of five columns dates every event on a Saturday, so
    the Karabakh offensive of 19-20 September 2023 reads as 16 September, in the ISO week
    before). Its events are imported as dated; a brief's week is the one that day falls in."""
    if len(days) < WEEKLY_DATES or len({d % 7 for d in days}) != 1:
        return None
    name = dt.date.fromordinal(next(iter(days))).strftime("%A")
    return (
        f"every event is dated on a {name} ({len(days)} dates): the file may hold weekly records dated by the week's "
        f"first day, so an event may have taken place up to six days after its date, in the ISO week after the one it is scored in"
    )


# How R, pandas and spreadsheets write a missing value; ACLED writes nothing.
MISSING = frozenset({"NA", "N/A", "NaN", "nan", "NULL", "null", "None", "#N/A"})
# Columns where some exports write 0 for "none" (no second actor, no admin3).
_ZERO_IS_BLANK = frozenset({"actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "admin1", "admin2", "admin3", "location", "notes", "source"})
# Names of ACLED's columns before 2019, for the ones that were renamed (ALLY_ACTOR1 without the
# second underscore: the Asia pilot's 2008-10 files).
OLD_NAMES = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2", "ally_actor1": "assoc_actor_1", "ally_actor2": "assoc_actor_2"}


def clean(values: dict[str, str]) -> dict[str, str]:
    """Missing-value markers as empty cells, and old column names as today's."""
    cleaned = {}
    for name, value in values.items():
        text = value.strip()
        if text in MISSING or (text == "0" and name in _ZERO_IS_BLANK):
            value = ""
        cleaned[OLD_NAMES.get(name, name) if OLD_NAMES.get(name, name) not in values else name] = value
    return cleaned


def _digest(values: dict[str, str]) -> bytes:
    content = sorted((k, v.strip()) for k, v in values.items() if k not in ACTOR_COLUMNS and v.strip())
    return hashlib.sha1(json.dumps(content, ensure_ascii=False).encode("utf-8", "surrogatepass")).digest()[:10]


def content_id(values: dict[str, str]) -> str:
    content = sorted((k, v.strip()) for k, v in values.items() if v.strip())
    return "ACLED-" + hashlib.sha1(json.dumps(content, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _notes_key(values: dict[str, str]) -> bytes:
    notes = " ".join((values.get("notes") or "").split())
    return hashlib.sha1(notes.encode("utf-8", "surrogatepass")).digest()[:10] if notes else b""


def shared_notes_figures(event: Event, first: str, sharing: int) -> Event:
    """``event`` without the figures read into notes it shares with ``sharing`` events of the
    file, the first of which (``first``) keeps them. ACLED codes one report of fighting in several
    places or on several days as one event each, every one with the report's notes, and splits
    the report's fatalities between them; a figure the notes give ("killed 12 soldiers and
    wounded 30") is the report's, so read as each event's own it counted once an event (a real
    Ethiopia 2000 export: 89 injured on 13 events). The figure stays in ``derived``, not used,
    naming the event that carries it."""
    derived = []
    dropped: dict[str, None] = {}
    for d in event.derived:
        if d.field in FIGURE_FIELDS and d.used and d.method.startswith("notes pattern"):
            why = f"{NOT_USED}{d.method}, a figure of notes {sharing} events share (one report coded as {sharing} events): counted once, on {first}"
            derived.append(Derivation(field=d.field, value=d.value, method=why, evidence=d.evidence))
            dropped[d.field] = None
        else:
            derived.append(d)
    if not dropped:
        return event
    return event.model_copy(update={**dict.fromkeys(dropped), "derived": derived})


def _timestamp(values: dict[str, str]) -> int | None:
    text = (values.get("timestamp") or "").strip()
    try:
        return int(float(text)) if text else None
    except (ValueError, OverflowError):
        return None


def _newer(ts: int | None, line: int, than: _Event) -> bool:
    if ts is not None and than.timestamp is not None and ts != than.timestamp:
        return ts > than.timestamp
    return line > than.line


def merge_rows(rows: list[dict[str, str]]) -> tuple[dict[str, str], list[str]]:
    """One row for an event coded once per actor, and the actors that fit neither actor slot."""
    merged = dict(rows[0])
    actors: list[str] = []
    for row in rows:
        for name in ("actor1", "actor2"):
            actor = (row.get(name) or "").strip()
            if actor and actor not in actors:
                actors.append(actor)
    first = (merged.get("actor1") or "").strip()
    if not (merged.get("actor2") or "").strip():
        for row in rows[1:]:
            other = (row.get("actor1") or "").strip()
            if other and other != first:
                merged["actor2"], merged["inter2"] = other, row.get("inter1") or ""
                merged["assoc_actor_2"] = row.get("assoc_actor_1") or ""
                break
    for slot in ("assoc_actor_1", "assoc_actor_2"):
        names = [n.strip() for n in (merged.get(slot) or "").split(";") if n.strip()]
        merged[slot] = "; ".join(names)
    for row in rows[1:]:
        extra = [n.strip() for s in ("assoc_actor_1", "assoc_actor_2") for n in (row.get(s) or "").split(";") if n.strip()]
        actors.extend(n for n in extra if n not in actors)
    placed = {(merged.get(n) or "").strip() for n in ("actor1", "actor2")}
    return merged, [a for a in actors if a not in placed]


def import_acled(
    csv_path: Path,
    out: IO[str],
    *,
    skip_invalid: bool = False,
    rejects: IO[str] | None = None,
    existing: Path | None = None,
    gazetteer: Gazetteer | None = None,
    require_coordinates: bool = False,
) -> ImportResult:
    """Convert the export at ``csv_path`` (CSV or JSON) to JSON Lines on ``out``, oldest first.
    ``require_coordinates``: refuse an export without latitude/longitude columns (a store's ingest,
    where its revisions would unplace events stored with coordinates)."""
    gaz = gazetteer or default_gazetteer()
    export = Export(csv_path)
    shown = export.shown
    required = (*REQUIRED_COLUMNS, *COORDINATE_COLUMNS) if require_coordinates else REQUIRED_COLUMNS
    if export.kind != "json":  # a CSV or a sheet has one header for every row
        missing = [c for c in required if c not in export.header]
        if missing:
            raise EventError([Issue("E602", _missing_message(missing), Location(shown, export.header_line, 1), _MISSING_HINT)])
    result = ImportResult()
    if export.kind != "json" and (unplaced := [c for c in COORDINATE_COLUMNS if c not in export.header]):
        result.notes.append(
            f"no {' or '.join(unplaced)} column: every event is unplaced, as with blank cells, so no distance "
            "(to a border, the front or NATO) is derived and the map leaves them out"
        )
    if export.kind != "json" and (lacking := [c for c in TOLD_COLUMNS if c not in export.header]):
        result.notes.append(
            f"no {', '.join(lacking[:-1]) + ' or ' if len(lacking) > 1 else ''}{lacking[-1]} column: every event records what its export lacks "
            "(export_lacks), and briefs say what they cannot tell (the forces, a count of armed groups, what notes would say) rather than read blanks"
        )

    survey = DateSurvey()
    for number, row in enumerate(export.rows()):
        if number == 0 and export.kind == "json" and row.values and not any(c in row.values for c in HEADER_COLUMNS):
            # The first record is the file's header: with neither column, the file is some other
            # shape of events (renamed keys, lists of actors), not one rejection per record.
            keys = ", ".join(sorted(row.values)[:12])
            raise EventError([Issue("E602", f"not an ACLED export: its records have no event_date and no event_type (the first has {keys})", Location(shown, row.line, row.col), _MISSING_HINT)])
        if number == 0 and export.kind == "json" and (column := summed_per_day(row.values)):
            raise EventError([Issue("E602", summed_message(column), Location(shown, row.line, row.col), AGGREGATED_HINT)])
        if not row.problems:
            row.values = clean(row.values)
            survey.add(row.values.get("event_date") or "", row.values.get("year"))
    dates = survey.decide()
    if dates.note:
        result.notes.append(dates.note)
    ctx = RowContext(gaz, countries_for(gaz), dates)

    issues: list[Issue] = []
    types: Counter[str] = Counter()  # converted rows by event type
    events: dict[str, _Event] = {}
    occurrences: Counter[str] = Counter()  # rows per content id, in a file without ids
    with tempfile.TemporaryFile("w+b") as spool:
        for row in export.rows():
            result.rows_read += 1
            row.values = clean(row.values)
            event_id = (row.values.get("event_id_cnty") or "").strip()
            if not event_id and not row.problems:
                event_id = content_id(row.values)
                ctx.derived["id derived from content (no event_id_cnty)"] += 1
                occurrences[event_id] += 1
                if occurrences[event_id] > 1:
                    # ACLED writes one row per event (per-actor rows share an id, and differ):
                    # a row identical to an earlier one in a file without ids is another event
                    # whose telling columns the extract left out (two killings at one prison on
                    # one day, their notes and ids dropped), not a copy to fold into the first.
                    event_id = f"{event_id}-{occurrences[event_id]}"
                    ctx.derived["identical to an earlier row, with no event_id_cnty to tell them apart: kept as another event (id ending -2, -3, ...)"] += 1
            if export.kind == "json" and not row.problems:
                # a JSON record names its own columns: each is checked as a CSV header is
                absent = [c for c in required if c not in row.values]
                if absent:
                    row.problems.append(Problem("E602", _missing_message(absent, "field"), row.line, row.col))
            event, problems = _convert(row, ctx, event_id)
            if problems:
                result.rejected += 1
                result.reasons[_reason_kind(problems[0][1])] += 1
                for code, message, line, col in problems:
                    if len(issues) < MAX_ISSUES:
                        issues.append(Issue(code, message, Location(shown, line, col, f"row {event_id or '?'}")))
                if rejects is not None:
                    rejects.write(json.dumps({"file": shown, "line": row.line, "code": problems[0][0], "reasons": [p[1] for p in problems], "row": _printable(row.values)}, ensure_ascii=False, sort_keys=True) + "\n")
                continue
            assert event is not None
            types[event.event_type] += 1
            # The row's values (to merge with its other actor rows) and its event (written as
            # it is when the event has one row, the usual case: no second conversion).
            raw = json.dumps(row.values, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"
            done = (event.model_dump_json(exclude_none=True) + "\n").encode("utf-8", "surrogatepass")
            offset = spool.seek(0, 2)
            spool.write(raw + done)
            place = (offset, len(raw), len(done))
            digest, ts = _digest(row.values), _timestamp(row.values)
            date = dates.parse(row.values.get("event_date") or "", row.values.get("year")).toordinal()
            known = events.get(event_id)
            if known is None:
                events[event_id] = _Event(digest, ts, row.line, date, [place], _notes_key(row.values))
            elif known.digest == digest:
                known.rows.append(place)
                result.merged += 1
            elif _newer(ts, row.line, known):
                result.replaced_in_file += len(known.rows)
                result.merged -= len(known.rows) - 1
                events[event_id] = _Event(digest, ts, row.line, date, [place], _notes_key(row.values))
            else:
                result.replaced_in_file += 1

        result.notes[:0] = export.notes  # what reading the file found, first
        for what, count in sorted(ctx.derived.items()):
            result.notes.append(f"{count} row(s): {what}")
        weekly = one_weekday({e.date for e in events.values()})
        if weekly:
            result.notes.append(weekly)
        absent = [t for t in EVENT_TYPES if t not in types] if len(events) >= EXTRACT_EVENTS and len(types) <= EXTRACT_TYPES else []
        if absent:
            held = " and ".join(sorted(types))
            result.notes.append(
                f"the file holds {held} events only ({len(events):,} events): an extract of ACLED's event types, so every event records "
                "the types its export lacks (export_lacks) and briefs say what their counts leave out"
            )
        if result.rejected and not skip_invalid:
            summary = f"{result.rejected} invalid row(s) in {shown}" + (f" (first {MAX_ISSUES} problems shown)" if len(issues) >= MAX_ISSUES else "")
            raise EventError(issues, summary)
        if result.rows_read == 0:
            raise EventError([Issue("E609", "the export has no rows", Location(shown, export.header_line or 1, 1))], f"nothing to import from {shown}")
        if not events:
            raise EventError([*issues[:20], Issue("E609", f"every row of the file was rejected ({result.rejected} row(s)); nothing imported", Location(shown))], f"nothing imported from {shown}")
        # A file of weekly records records it on every event, as a column it lacks: the brief
        # of the week an event is dated in may tell of fighting after the brief's own Monday (the
        # Caucasus file's 2022-W36, dated Saturday 10 September, holds the fighting of 12-14
        # September on the Armenian-Azerbaijani border; brief21).
        _write(events, spool, ctx, out, result, existing, [*absent, *([WEEKLY_DAY] if weekly else [])])
    return result


_MISSING_HINT = "export with ACLED's standard columns; a blank cell is fine, a missing column is not"


def _missing_message(missing: list[str], what: str = "column") -> str:
    names = ", ".join(missing)
    if any(c in HEADER_COLUMNS for c in missing):
        return f"not an ACLED export: missing {what}(s) {names}"
    them = "it" if len(missing) == 1 else "them"
    return f"missing {what}(s) {names}: the rules and scores read {them}, and a missing {what} is neither 0 nor blank"


def _convert(row: Row, ctx: RowContext, event_id: str) -> tuple[Event | None, list[tuple[str, str, int, int]]]:
    """The row's event, or (code, message, line, column) of each reason it has none."""
    if row.problems:
        return None, [(p.code, p.message, p.line, p.col) for p in row.problems]
    try:
        return _event(row.values, ctx, event_id), []
    except RowError as error:
        found = []
        for column, message in error.reasons:
            line, col = row.col_of(column) if column else (row.line, row.col)
            found.append(("E603", message, line, col))
        return None, found


def _event(values: dict[str, str], ctx: RowContext, event_id: str, extra_actors: list[str] | None = None) -> Event:
    event = row_to_event(values, ctx, event_id=event_id, extra_actors=extra_actors or ())
    return enrich_event(event, inter1=values.get("inter1") or None, inter2=values.get("inter2") or None, gazetteer=ctx.gazetteer)


def _printable(values: dict[str, str]) -> dict[str, str]:
    """Values with the bytes that were not valid text shown as U+FFFD, so they can be written."""
    return {k: _MARKS.sub("\ufffd", v) for k, v in values.items()}


def _reason_kind(message: str) -> str:
    """A rejected row's reason without its values, to count reasons across a file."""
    return re.sub(r"'[^']*'", "'…'", message)[:90]


def _write(
    events: dict[str, _Event], spool: IO[bytes], ctx: RowContext, out: IO[str], result: ImportResult, existing: Path | None, absent_types: Sequence[str] = ()
) -> None:
    order: list[tuple[int, int, str | tuple[int, int]]] = []
    kept = 0
    if existing is not None and existing.exists():
        kept = _spool_existing(existing, set(events), spool, order)
    for event_id, ev in events.items():
        order.append((ev.date, ev.line, event_id))
    order.sort(key=lambda t: (t[0], t[1]))
    sharing = Counter(ev.notes for ev in events.values() if ev.notes)
    first_of: dict[bytes, str] = {}  # notes shared by several events -> the first event written
    unshared = 0
    for _date, _line, item in order:
        if isinstance(item, tuple):  # a kept line of the existing output, as it was
            spool.seek(item[0])
            out.write(spool.read(item[1]).decode("utf-8"))
            continue
        ev = events[item]
        result.imported += 1
        first = first_of.setdefault(ev.notes, item) if sharing[ev.notes] > 1 else item
        event: Event | None = None
        if len(ev.rows) > 1:
            rows = []
            for offset, raw, _done in ev.rows:
                spool.seek(offset)
                rows.append(json.loads(spool.read(raw).decode("utf-8", "surrogatepass")))
            values, extra = merge_rows(rows)
            try:
                event = _event(values, ctx, item, extra)
            except RowError:
                # Each row was an event, their merge is not (an actor pairing the model refuses):
                # the first row's event stands, and the other actors are lost, which is said.
                result.notes.append(f"event {item}: its actor rows could not be merged; the first row's event is kept")
        if event is None:
            offset, raw, done = ev.rows[0]
            spool.seek(offset + raw)
            text = spool.read(done).decode("utf-8", "surrogatepass")
            if first == item and not absent_types:
                out.write(text)  # as converted: the usual case needs no second conversion
                continue
            event = Event.model_validate_json(text)
        if absent_types:
            event = event.model_copy(update={"export_lacks": [*(event.export_lacks or []), *absent_types]})
        if first != item:
            lighter = shared_notes_figures(event, first, sharing[ev.notes])
            unshared += lighter is not event
            event = lighter
        out.write(event.model_dump_json(exclude_none=True) + "\n")
    if unshared:
        result.notes.append(
            f"{unshared} event(s) share their notes with an earlier event of the file (one report coded as several events): "
            "the figures read in those notes (injured, hospitalised, ...) are counted once, on the first"
        )
    result.kept_existing = kept


def _spool_existing(path: Path, replaced: set[str], spool: IO[bytes], order: list[Any]) -> int:
    """Events already in the output file that this import does not replace (the upsert)."""
    kept = 0
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                event_id = record.get("event_id")
            except (json.JSONDecodeError, AttributeError):
                raise EventError([Issue("E605", "existing output is not JSON Lines of events", Location(str(path), number, 1))]) from None
            if event_id in replaced:
                continue
            try:
                date = dt.date.fromisoformat(str(record.get("event_date"))).toordinal()
            except ValueError:
                date = 0  # an event file without dates still keeps its events, first
            data = (line if line.endswith("\n") else line + "\n").encode("utf-8")
            offset = spool.seek(0, 2)
            spool.write(data)
            order.append((date, -1_000_000_000 + number, (offset, len(data))))
            kept += 1
    return kept


__all__ = ["ImportResult", "content_id", "import_acled", "merge_rows"]
