"""Any real ACLED export opened as numbered rows of text, or one located file-level error.

Shapes: CSV (with or without a preamble before the header, "sep=," lines included), Excel
workbooks (.xlsx: the first sheet with a header, workbook.py), ACLED API JSON (``{"status": 200, "data": [...]}``) and bare JSON arrays of rows. Encodings: UTF-8 with or
without a byte order mark, UTF-16 with one, or without one when the NUL bytes give the order.
Bytes that are not valid in the encoding do not stop the reading: each becomes a marker
character, and the row holding it is rejected (E606) at the line and column of the byte.

CSV is read as a stream, one row at a time (``Export.rows`` can be called again for a second
pass). JSON is read whole: an API page holds 5,000 rows by default, and a JSON array gives no
place to resume at, so its memory is about three times the file's size.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from riskengine.core.errors import EventError, Issue, Location
from riskengine.ingest.acled.workbook import Workbook, WorkbookError, is_workbook

PREAMBLE_MAX_ROWS = 20
_MARK_BASE = 0xDC00  # bad byte b -> chr(0xDC00 + b), as Python's surrogateescape does


def _mark(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return "".join(chr(_MARK_BASE + b) for b in error.object[error.start : error.end]), error.end


codecs.register_error("riskengine-acled-mark", _mark)


# Any lone surrogate: our markers, and "\\udXXX" escapes in JSON that are no character.
_MARKS = re.compile("[\ud800-\udfff]")


def first_bad_byte(text: str) -> int:
    """Index of the first marker character in ``text``, or -1."""
    m = _MARKS.search(text)
    return m.start() if m else -1


@dataclass
class Problem:
    code: str
    message: str
    line: int
    col: int = 1


@dataclass
class Row:
    """One data row: its first line, its values by column, and what makes it unreadable."""

    line: int
    values: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    raw: str = ""  # the row's text as in the file (CSV only), to locate a column
    col: int = 1  # where the row starts on its line
    header: list[str] = field(default_factory=list)  # the file's columns in order (CSV, workbook)
    delimiter: str = ","

    def col_of(self, name: str) -> tuple[int, int]:
        """(line, column) where the value of column ``name`` starts; the row start if unknown.
        In a workbook, the sheet's row and column number (C is 3)."""
        if not self.raw and self.header and name in self.header:
            return self.line, self.header.index(name) + 1
        if not self.raw or name not in self.header:
            return self.line, self.col
        return _field_start(self.raw, self.header.index(name), self.line, self.delimiter)


def _field_start(raw: str, index: int, line: int, delimiter: str = ",") -> tuple[int, int]:
    quoted, field_no, start = False, 0, 0
    for i, ch in enumerate(raw):
        if field_no == index:
            start = i
            break
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            field_no += 1
    else:
        return line, 1
    return line + raw.count("\n", 0, start), start - (raw.rfind("\n", 0, start) + 1) + 1


def _delimiter(head: str) -> str:
    """',' unless the header line (or an Excel "sep=" line) says ';' or a tab."""
    for line in head.splitlines()[:PREAMBLE_MAX_ROWS]:
        if line.lower().startswith("sep=") and len(line.strip()) == 5:
            return line.strip()[4]
        if "event_date" in line.lower():
            counts = {d: line.count(d) for d in (",", ";", "\t")}
            return max(counts, key=lambda d: (counts[d], d == ","))
    return ","


def detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if sample.count(0) > len(sample) // 4:
        # Text of mostly ASCII in UTF-16 has a NUL beside every character.
        evens = sample[0::2].count(0)
        return "utf-16-be" if evens > len(sample) // 4 else "utf-16-le"
    return "utf-8"


AGGREGATED_HINT = "export the events themselves, one row per event, from ACLED's Data Export Tool or API, and import that file"
_PERIODS = ("week", "month", "year")
_PLACES = ("country", "admin1", "admin2", "region", "iso3", "iso")


def _aggregated(names: list[str]) -> str:
    """'country and month' when a header is ACLED's aggregated data (counts of events per place and
    period: HDX's country-month files, the weekly admin1 files), else ''."""
    if "event_date" in names or not ({"events", "event_count", "number_of_events"} & set(names)):
        return ""
    period = next((p for p in _PERIODS if p in names), "")
    place = next((p for p in _PLACES if p in names), "")
    return f"{place or 'place'} and {period}" if period else ""


# Columns that count events. An export of events has none; a file with one beside event_date is
# events summed per day ("EVENT_DATE, ADMIN1, EVENT_TYPE, incidents, fatalities": a real Ukraine
# 2022-23 file of session 16), each row many events, and reading a row as one event would score a
# day of fifteen battles as one. Its rows name no event (no id, no notes), so none is taken for one.
_COUNT_COLUMNS = ("events", "event_count", "number_of_events", "num_events", "n_events", "total_events", "incidents", "incident_count", "number_of_incidents")
_ONE_EVENT_COLUMNS = ("event_id_cnty", "event_id_no_cnty", "data_id", "notes")


def summed_per_day(names: Iterable[str]) -> str:
    """The count column when a header (or a JSON record's keys) is events summed per date and place,
    else ''."""
    keys = {n.strip().lstrip("\ufeff").lower() for n in names}
    if "event_date" not in keys or keys & set(_ONE_EVENT_COLUMNS):
        return ""
    return next((c for c in _COUNT_COLUMNS if c in keys), "")


def summed_message(column: str) -> str:
    return f"not an ACLED event export: column '{column}' counts the events of each row (events summed per day and place), so a row is not one event; the rules score single events"


def _container(head: bytes) -> str:
    """What the file is when it is a workbook or an archive rather than text, else ''."""
    if head.startswith(b"PK\x03\x04"):  # a workbook (.xlsx) is read before this is asked
        return "a zip archive: extract the CSV export from it (ACLED's downloads come zipped) and import that"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "an Excel 97-2003 workbook (.xls): save the sheet as CSV UTF-8 and import the CSV"
    if head.startswith(b"\x1f\x8b"):
        return "a gzip-compressed file: decompress it (gunzip) and import the CSV or JSON inside"
    return ""


class Export:
    """An opened export: ``kind`` csv, xlsx or json, its ``header``, ``notes`` for standard error."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shown = str(path)
        self.notes: list[str] = []
        try:
            with open(path, "rb") as handle:
                head = handle.read(65536)
        except OSError as error:
            raise EventError([Issue("E601", f"cannot read: {error.strerror or error}", Location(self.shown))]) from None
        self.header: list[str] = []
        self.header_line = 0
        self._json_text: str | None = None
        self._sheet = ""
        if is_workbook(head):
            self.kind, self.encoding, self.delimiter = "xlsx", "utf-8", ","
            self._open_workbook()
            return
        container = _container(head)
        if container:
            raise EventError([Issue("E602", f"not an ACLED export: {container}", Location(self.shown, 1, 1))])
        self.encoding = detect_encoding(head)
        if self.encoding.startswith("utf-16"):
            self.notes.append(f"read as {self.encoding.upper().replace('-SIG', '')} (a byte order mark or NUL bytes say so)")
        text_head = head.decode(self.encoding, errors="riskengine-acled-mark").lstrip("\ufeff")
        if not text_head.strip():
            raise EventError([Issue("E602", "not an ACLED export: the file is empty", Location(self.shown, 1, 1))])
        self.kind = "json" if text_head.lstrip()[:1] in ("{", "[") else "csv"
        self.delimiter = _delimiter(text_head)
        if self.delimiter != ",":
            self.notes.append(f"columns separated by {'tabs' if self.delimiter == chr(9) else repr(self.delimiter)} (as spreadsheets in many locales save CSV)")
        if self.kind == "csv":
            self._find_header()
        else:
            self._json_start()

    # -- CSV ---------------------------------------------------------------------------------

    def _open(self) -> IO[str]:
        return open(self.path, encoding=self.encoding, errors="riskengine-acled-mark", newline="")

    def _csv_rows(self, handle: IO[str]) -> Iterator[tuple[int, list[str], str]]:
        """(first line, cells, raw text) of every row, blank lines left out."""
        raw: list[str] = []
        consumed = 0

        def lines() -> Iterator[str]:
            for text in handle:
                raw.append(text)
                yield text

        reader = csv.reader(lines(), delimiter=self.delimiter)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise EventError([Issue("E604", f"CSV error: {error}", Location(self.shown, consumed + 1, 1))]) from None
            text = "".join(raw).lstrip("\ufeff") if consumed == 0 else "".join(raw)
            start = consumed + 1
            consumed += text.count("\n") if text.endswith("\n") else text.count("\n") + 1
            raw.clear()
            if cells:
                yield start, cells, text

    def _find_header(self) -> None:
        with self._open() as handle:
            self._header_of((line, cells) for line, cells, _text in self._csv_rows(handle))
        if not self.header:
            raise EventError([Issue("E602", "not an ACLED export: no header row with event_date and event_type", Location(self.shown, 1, 1))])
        self._check_header()

    def _header_of(self, rows: Iterable[tuple[int, list[str]]]) -> None:
        """Takes the first row naming event_date and event_type among the first rows as the header;
        refuses ACLED's aggregated counts, which have none."""
        aggregated: tuple[int, str] | None = None
        for n, (line, cells) in enumerate(rows):
            names = [c.strip().lstrip("\ufeff").lower() for c in cells]
            if "event_date" in names and "event_type" in names:
                if column := summed_per_day(names):
                    raise EventError([Issue("E602", summed_message(column), Location(self.shown, line, 1), AGGREGATED_HINT)])
                self.header, self.header_line = names, line
                return
            if aggregated is None and (period := _aggregated(names)):
                aggregated = (line, period)
            if n >= PREAMBLE_MAX_ROWS:
                break
        if aggregated:
            line, period = aggregated
            raise EventError([Issue("E602", f"not an ACLED event export: counts of events per {period} (ACLED's aggregated data), with no event_date; the rules score single events", Location(self.shown, line, 1), AGGREGATED_HINT)])

    def _check_header(self) -> None:
        if self.header_line > 1:
            self.notes.append(f"{self.header_line - 1} line(s) before the header skipped (the header is line {self.header_line})")
        seen: dict[str, int] = {}
        issues = []
        for i, name in enumerate(self.header):
            if name and name in seen:
                issues.append(Issue("E608", f"column '{name}' appears twice in the header (columns {seen[name] + 1} and {i + 1}): which one holds the data is unknown", Location(self.shown, self.header_line, 1)))
            seen.setdefault(name, i)
        if issues:
            raise EventError(issues, f"duplicated header column(s) in {self.shown}")

    def _rows_csv(self) -> Iterator[Row]:
        width = len(self.header)
        with self._open() as handle:
            pending: Row | None = None
            for line, cells, text in self._csv_rows(handle):
                if line <= self.header_line:
                    continue
                row = Row(line, {n: c for n, c in zip(self.header, cells, strict=False) if n}, raw=text, header=self.header, delimiter=self.delimiter)
                bad = first_bad_byte(text)
                if bad >= 0:
                    row.problems.append(Problem("E606", f"byte 0x{(ord(text[bad]) - _MARK_BASE) & 0xFF:02X} is not valid {self.encoding.replace('-sig', '').upper()}", line + text.count("\n", 0, bad), bad - (text.rfind("\n", 0, bad) + 1) + 1))
                extra = cells[width:]
                if len(cells) < width or any(c.strip() for c in extra):
                    row.problems.append(Problem("E603", f"row has {len(cells)} fields, the header has {width}", line))
                if pending is not None:
                    yield pending
                pending = row
            if pending is not None:
                if not pending.raw.endswith(("\n", "\r")):
                    self._check_last(pending, width)
                yield pending

    def _check_last(self, row: Row, width: int) -> None:
        # An odd number of quotes leaves a quoted field open: the file stops inside it.
        if row.raw.count('"') % 2:
            row.problems = [Problem("E607", "the file ends inside a quoted field: this last row is cut short", row.line)]
        elif any(p.message.startswith("row has") for p in row.problems):
            row.problems = [Problem("E607", f"the file ends, without a line break, inside this row of {len(row.values)} of {width} fields: it is cut short", row.line)]
        elif not any(n.startswith("the file does not end with a line break") for n in self.notes):
            self.notes.append(f"the file does not end with a line break: its last row (line {row.line}) may be cut short inside its last column ('{self.header[-1]}'); check it")

    # -- Workbook (.xlsx) -------------------------------------------------------------------

    def _open_workbook(self) -> None:
        try:
            self._workbook = Workbook(self.path)
            for name, part in self._workbook.sheets:
                self._header_of((line, cells) for line, cells, _problems in self._workbook.rows(part))
                if self.header:
                    self._sheet, read = part, name
                    break
        except WorkbookError as error:
            raise EventError([Issue("E604", str(error), Location(self.shown, error.line, 1))]) from None
        if not self.header:
            said = ", ".join(f"'{n}'" for n, _ in self._workbook.sheets)
            raise EventError([Issue("E602", f"not an ACLED export: no sheet of the workbook ({said}) has a header row with event_date and event_type", Location(self.shown, 1, 1))])
        others = [n for n, p in self._workbook.sheets if p != self._sheet]
        self.notes.append(
            f"read sheet '{read}' of the workbook: lines and columns below are its row and column numbers"
            + (f" (other sheets not read: {', '.join(others)})" if others else "")
        )
        self._check_header()

    def _rows_xlsx(self) -> Iterator[Row]:
        width = len(self.header)
        try:
            for line, cells, problems in self._workbook.rows(self._sheet):
                if line <= self.header_line:
                    continue
                row = Row(line, {n: c for n, c in zip(self.header, cells, strict=False) if n}, header=self.header)
                row.problems.extend(Problem("E603", message, line, col) for col, message in problems)
                if any(c.strip() for c in cells[width:]):
                    row.problems.append(Problem("E603", f"row has {len(cells)} cells, the header has {width}", line, width + 1))
                yield row
        except WorkbookError as error:
            raise EventError([Issue("E604", str(error), Location(self.shown, error.line, 1))]) from None

    # -- JSON --------------------------------------------------------------------------------

    def _json_start(self) -> None:
        with self._open() as handle:
            text = handle.read().lstrip("\ufeff")
        self._json_text = text
        decoder = json.JSONDecoder()
        i = _skip(text, 0)
        if text[i] == "[":
            self._array_at = i
            return
        meta: dict[str, Any] = {}
        i = _skip(text, i + 1)
        self._array_at = -1
        try:
            while i < len(text) and text[i] != "}":
                key, i = decoder.raw_decode(text, i)
                i = _skip(text, i)
                if text[i : i + 1] != ":":
                    raise json.JSONDecodeError("expected ':'", text, i)
                i = _skip(text, i + 1)
                if key == "data" and text[i : i + 1] == "[":
                    self._array_at = i
                    break
                meta[key], i = decoder.raw_decode(text, i)
                i = _skip(text, i)
                if text[i : i + 1] == ",":
                    i = _skip(text, i + 1)
        except (json.JSONDecodeError, IndexError) as error:
            pos = getattr(error, "pos", len(text))
            raise EventError([Issue("E604", f"JSON error: {getattr(error, 'msg', error)}", _where(self.shown, text, pos))]) from None
        if self._array_at < 0:
            said = meta.get("error") or meta.get("messages") or ""
            raise EventError([Issue("E602", "not an ACLED export: a JSON object without a 'data' list" + (f" (the API said: {json.dumps(said)[:200]})" if said else ""), Location(self.shown, 1, 1))])
        if meta.get("success") is False or meta.get("status") not in (None, 200, "200"):
            self.notes.append(f"the API response says status {meta.get('status')!r}, success {meta.get('success')!r}; its data rows are read")

    def _rows_json(self) -> Iterator[Row]:
        text = self._json_text or ""
        decoder = json.JSONDecoder(object_pairs_hook=_Pairs)
        i = _skip(text, self._array_at + 1)
        line, line_start = 1 + text.count("\n", 0, i), text.rfind("\n", 0, i) + 1
        last = i  # newlines before the first record are in `line` already
        while True:
            if i >= len(text):
                loc = _where(self.shown, text, i)
                yield Row(loc.line, {}, [Problem("E607", "the file ends before the JSON list closes: it is cut short", loc.line, loc.col)])
                return
            if text[i] == "]":
                return
            line += text.count("\n", last, i)
            line_start = text.rfind("\n", 0, i) + 1
            last = i
            col = i - line_start + 1
            try:
                record, end = decoder.raw_decode(text, i)
            except json.JSONDecodeError as error:
                if _skip(text, error.pos) >= len(text):
                    yield Row(line, {}, [Problem("E607", "the file ends inside this record: it is cut short", line, col)], col=col)
                    return
                raise EventError([Issue("E604", f"JSON error: {error.msg}", _where(self.shown, text, error.pos))]) from None
            yield _json_row(record, line, col)
            i = _skip(text, end)
            if text[i : i + 1] == ",":
                i = _skip(text, i + 1)
            elif text[i : i + 1] not in ("]", ""):
                raise EventError([Issue("E604", "JSON error: expected ',' or ']' after a record", _where(self.shown, text, i))])

    def rows(self) -> Iterator[Row]:
        if self.kind == "xlsx":
            return self._rows_xlsx()
        return self._rows_csv() if self.kind == "csv" else self._rows_json()


class _Pairs(dict):  # type: ignore[type-arg]
    """A JSON object that remembers keys given twice."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.twice = sorted({k for k, _ in pairs if sum(1 for k2, _ in pairs if k2 == k) > 1}) if len(self) < len(pairs) else []


def _json_row(record: Any, line: int, col: int) -> Row:
    if not isinstance(record, dict):
        return Row(line, {}, [Problem("E603", f"a record is an object of columns, got {type(record).__name__}", line, col)], col=col)
    row = Row(line, {}, col=col)
    for name in getattr(record, "twice", []):
        row.problems.append(Problem("E603", f"key '{name}' appears twice in this record", line, col))
    for key, value in record.items():
        name = str(key).strip().lower()
        if value is None:
            row.values[name] = ""
        elif isinstance(value, bool):
            row.values[name] = "true" if value else "false"
        elif isinstance(value, (str, int, float)):
            row.values[name] = str(value)
        else:
            row.values[name] = ""
            row.problems.append(Problem("E603", f"'{name}' is a {'list' if isinstance(value, list) else 'JSON object'}, not a value", line, col))
        if (isinstance(value, str) and first_bad_byte(value) >= 0) or first_bad_byte(str(key)) >= 0:
            row.problems.append(Problem("E606", f"'{name}' holds bytes that are not valid in the file's encoding", line, col))
    return row


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _where(shown: str, text: str, pos: int) -> Location:
    pos = min(pos, len(text))
    return Location(shown, text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1)
