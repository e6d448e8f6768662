"""Incident tables: a Markdown or pipe table whose columns say a date, a place and what happened
(bulletins, security logs: "| 11-Mar-25 | Kech | Turbat | IED blast on FC vehicle | 2 | 4 |").
Each row is one event. A row is told back as one plain sentence ("On 11 March 2025, in Turbat,
Kech: IED blast on FC vehicle. 2 people were killed and 4 were injured.") so that the kinds,
places and figures are read by the same vocabularies as prose; the event then cites the row."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from riskengine.ingest.extract.dates import MONTHS

# Column names as bulletins write them, lower-case, in English and a few other languages
_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "date (local)", "date (utc)", "when", "fecha", "datum", "data", "дата"),
    "place": ("place", "location", "locality", "town", "village", "city", "site", "area", "lugar", "lieu", "localidad", "ort", "место"),
    "district": ("district", "province", "region", "state", "governorate", "oblast", "department", "county", "municipality", "admin", "provincia", "departamento", "municipio"),
    "incident": ("incident", "event", "description", "what", "summary", "details", "incident type", "type", "evento", "hecho", "incidente", "événement"),
    "killed": ("killed", "dead", "deaths", "fatalities", "kia", "died", "muertos", "fallecidos", "tués", "morts", "tote", "погибли"),
    "injured": ("injured", "wounded", "injuries", "wia", "heridos", "blessés", "verletzte", "ранены"),
}
_ROW = re.compile(r"^[ \t]*\|?(.*\|.*?)\|?[ \t]*$")
_RULE = re.compile(r"^[\s|:\-–—+]+$")
_NUMBER = re.compile(r"(?:at\s+least\s+|over\s+|more\s+than\s+|~|>|≥)?([0-9]{1,6})\+?")
_DAY_MON_YEAR = re.compile(r"(?P<day>[0-3]?[0-9])[-/ .](?P<month>[A-Za-zÀ-ÿ]{3,9})\.?[-/ .,]*(?P<year>[0-9]{4}|[0-9]{2})")


@dataclass(frozen=True)
class TableRow:
    start: int  # the row's line in the article, as written
    end: int
    day: dt.date | None
    place: str
    district: str
    incident: str
    killed: int | None  # None: not given ("n/k", "–", empty); 0: a stated zero
    injured: int | None

    def sentence(self) -> str:
        where = ", ".join(dict.fromkeys(x for x in (self.place, self.district) if x))
        told = [f"On {self.day.day} {self.day.strftime('%B')} {self.day.year}" if self.day else "", f"in {where}" if where else ""]
        head = ", ".join(x for x in told if x)
        text = f"{head}: {self.incident.rstrip('.;')}." if head else f"{self.incident.rstrip('.;')}."
        toll = []
        if self.killed is not None:
            toll.append(f"{self.killed} people were killed" if self.killed else "no one was killed")
        if self.injured is not None:
            toll.append(f"{self.injured} people were injured" if self.injured else "no one was injured")
        if toll:
            text += " " + " and ".join(toll).capitalize() + "."
        return text


def _column(name: str) -> str | None:
    name = " ".join(name.strip().strip("*_").lower().split())
    for column, words in _COLUMNS.items():
        if name in words or any(name.startswith((w + " ", w + "(")) for w in words):
            return column
    return None


def _cells(line: str) -> list[str] | None:
    m = _ROW.match(line)
    if m is None or "|" not in line:
        return None
    return [c.strip() for c in m.group(1).split("|")]


def table_figure(cell: str) -> int | None:
    """A table's count: "25+" is 25, "at least 3" 3; "n/k", "–", "?" and an empty cell say nothing."""
    m = _NUMBER.fullmatch(" ".join(cell.strip().lower().split()))
    return int(m.group(1)) if m else None


def table_date(cell: str, published: dt.date) -> dt.date | None:
    """A row's day: ISO, "11-Mar-25" (two-digit years are this century), "11 March 2025", or
    "11/03" and "11 Mar" without a year (the year of the article's date, the year before when
    that would fall after it)."""
    text = cell.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    m = _DAY_MON_YEAR.match(text)
    if m and (month := MONTHS.get(m.group("month").lower())):
        year = int(m.group("year"))
        try:
            return dt.date(year + 2000 if year < 100 else year, month, int(m.group("day")))
        except ValueError:
            return None
    m = re.match(r"(?P<day>[0-3]?[0-9])[./](?P<month>[01]?[0-9])(?:[./](?P<year>[0-9]{4}))?(?![0-9])", text) or re.match(r"(?P<day>[0-3]?[0-9])[ -](?P<month>[A-Za-z]{3,9})\b", text)
    if m is None:
        return None
    month_text = m.group("month")
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower())
    if not month:
        return None
    year = int(m.group("year")) if m.groupdict().get("year") else published.year
    try:
        day = dt.date(year, month, int(m.group("day")))
    except ValueError:
        return None
    return day.replace(year=year - 1) if not m.groupdict().get("year") and day > published else day


def incident_tables(text: str, published: dt.date) -> list[TableRow]:
    """Each data row of every table whose header names a place (or district) and an incident."""
    rows: list[TableRow] = []
    header: dict[int, str] | None = None
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        cells = _cells(line)
        if cells is None:
            header = None
            continue
        if _RULE.fullmatch(line):
            continue
        if header is None:
            named = {i: c for i, cell in enumerate(cells) if (c := _column(cell)) is not None}
            kinds = set(named.values())
            header = named if "incident" in kinds and kinds & {"place", "district"} else {}
            continue
        if not header:
            continue
        got = {column: cells[i] for i, column in header.items() if i < len(cells)}
        incident = got.get("incident", "")
        if not re.search(r"[A-Za-zÀ-ÿ]", incident):
            continue
        rows.append(
            TableRow(
                start,
                start + len(line),
                table_date(got["date"], published) if got.get("date") else None,
                got.get("place", "").strip(" –-"),
                got.get("district", "").strip(" –-"),
                incident,
                table_figure(got["killed"]) if "killed" in got else None,
                table_figure(got["injured"]) if "injured" in got else None,
            )
        )
    return rows


# An incident log's entry heading: a day with its year first, then parts set off by dashes or
# bars ("16 Aug 2026, ~14:30 — near Awasse (Mocímboa da Praia district) — AMBUSH",
# "01 | 08 Jul 2025, 02:40 | Saravena (Arauca) | Pipeline, KM 112")
_ENTRY_HEAD = re.compile(r"^[ \t]*(?:[0-9]{1,3}[ \t]*\|[ \t]*)?(?P<day>[0-3]?[0-9][ -](?:[A-Za-z]{3,9})\.?[ -][0-9]{4}|[0-9]{4}-[01][0-9]-[0-3][0-9])(?P<rest>(?:[^|—\n]*)(?:[ \t]+[—|][ \t]+.*)?)$")
_TIME = re.compile(r"^[,\s~]*(?:[0-9]{1,2}[:.h]?[0-9]{2}(?:[–-][0-9]{1,2}[:.h]?[0-9]{2})?|night|morning|evening|afternoon|dawn)?[\s\w]{0,5}$", re.IGNORECASE)


@dataclass(frozen=True)
class LogEntry:
    start: int  # the heading line
    body_start: int
    end: int  # the end of the paragraph under it
    day: dt.date
    place: str
    body: str

    def text(self) -> str:
        where = f", in {self.place}" if self.place else ""
        return f"On {self.day.day} {self.day.strftime('%B')} {self.day.year}{where}: {self.body}"


def log_entries(text: str, published: dt.date) -> list[LogEntry]:
    """Entries of an incident log: a heading line of a day and a place, the paragraph under it
    telling what happened there and then without saying either."""
    out: list[LogEntry] = []
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for i, line in enumerate(lines[:-1]):
        m = _ENTRY_HEAD.match(line)
        if m is None or len(line) > 160 or not lines[i + 1].strip():
            continue
        day = table_date(m.group("day"), published)
        parts = [p.strip() for p in re.split(r"[ \t]+[—|][ \t]+", m.group("rest"))]
        if day is None or day > published or len(parts) < 2 or not _TIME.match(parts[0]):
            continue
        place = re.sub(r"^(?:near|outside|in|at)\s+", "", parts[1])
        place = re.sub(r"\s*\(([^)]*)\)", r", \1", place).strip(" ,")
        j = i + 1
        while j < len(lines) and lines[j].strip() and not _ENTRY_HEAD.match(lines[j]):
            j += 1
        body = " ".join(x.strip() for x in lines[i + 1 : j])
        out.append(LogEntry(starts[i], starts[i + 1], starts[j] - 1, day, place, body))
    return out
