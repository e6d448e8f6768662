"""An Excel workbook (.xlsx) read as rows of text, with the standard library only.

ACLED publishes its curated files (regional and crisis files such as Ukraine_Black_Sea_2020_2023)
as .xlsx, and analysts save exports from Excel. An .xlsx is a zip of XML parts: the workbook lists
its sheets, each sheet is a stream of ``<row r="N">`` elements of ``<c r="B7" t="...">`` cells whose
text is inline, a number, or an index into the shared strings. The sheet is parsed as a stream
(``iterparse``, each row cleared once read); the shared strings are held whole, as the JSON reader
holds its file (ACLED's notes are mostly distinct, so they are about the size of the text).

Values come back as the text a CSV export would hold: numbers as written in the sheet ("3",
"50.4501"), dates as Excel serial days ("45338"; dates.py reads them), booleans "true"/"false".
A cell holding an Excel error (``#N/A``, ``#VALUE!``) is reported, never silently blank.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, iterparse

_CELL_REF = re.compile(r"([A-Z]+)(\d*)$")
# Excel's own limit (column XFD). A cell reference past it is no workbook Excel wrote; filling the
# gap up to it would let one crafted cell ("ZZZZZZZ1") allocate billions of blanks.
MAX_COLUMNS = 16_384
# The shared strings are held whole (every row indexes into them), so their part's size is checked
# before it is read: the zip's declared size bounds what zipfile will inflate, and a part past this
# is a zip bomb or no ACLED file (the largest curated file's strings are a few hundred MB at most).
MAX_SHARED_STRINGS_BYTES = 1 << 30
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class WorkbookError(ValueError):
    """The workbook cannot be read; ``line`` is the sheet row where reading stopped, if known."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def _local(tag: str) -> str:
    # Transitional and strict OOXML name the same elements in different namespaces.
    return tag.rsplit("}", 1)[-1]


def column_number(ref: str) -> int:
    """1 for 'A7', 27 for 'AA7'."""
    m = _CELL_REF.match(ref)
    if not m:
        return 0
    n = 0
    for ch in m.group(1):
        n = n * 26 + ord(ch) - 64
    return n


def _text(element: Element) -> str:
    """The text of a shared or inline string: its <t> parts, rich-text runs included, phonetic
    runs (<rPh>) left out."""
    parts: list[str] = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


class Workbook:
    """An opened .xlsx: its sheets in workbook order, read one at a time as (row number, cells)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
            self.sheets = self._sheet_parts(names)
            self._shared = self._shared_strings(names)
        except (zipfile.BadZipFile, OSError, KeyError, ParseError, LookupError) as error:
            raise WorkbookError(f"the workbook cannot be read: {error}") from None
        if not self.sheets:
            raise WorkbookError("the workbook has no worksheet")

    def _parse(self, part: str) -> Iterator[tuple[str, Element]]:
        # The archive is opened per part, so that no handle outlives a pass over the rows.
        with zipfile.ZipFile(self.path) as archive, archive.open(part) as handle:
            yield from iterparse(handle, events=("end",))

    def _sheet_parts(self, names: set[str]) -> list[tuple[str, str]]:
        """(sheet name, part path) in the workbook's order."""
        targets: dict[str, str] = {}
        if "xl/_rels/workbook.xml.rels" in names:
            for _event, element in self._parse("xl/_rels/workbook.xml.rels"):
                if _local(element.tag) == "Relationship":
                    target = element.get("Target", "")
                    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
                    targets[element.get("Id", "")] = part
        sheets = []
        for _event, element in self._parse("xl/workbook.xml"):
            if _local(element.tag) == "sheet":
                rel = element.get(f"{{{_REL_NS}}}id") or next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
                part = targets.get(rel, "")
                if part in names:
                    sheets.append((element.get("name", "?"), part))
        return sheets

    def _shared_strings(self, names: set[str]) -> list[str]:
        strings: list[str] = []
        if "xl/sharedStrings.xml" in names:
            with zipfile.ZipFile(self.path) as archive:
                size = archive.getinfo("xl/sharedStrings.xml").file_size
            if size > MAX_SHARED_STRINGS_BYTES:
                raise WorkbookError(
                    f"the workbook's shared strings inflate to {size:,} bytes, more than the {MAX_SHARED_STRINGS_BYTES:,} read;"
                    " save the sheet as CSV, which is read as a stream"
                )
            for _event, element in self._parse("xl/sharedStrings.xml"):
                if _local(element.tag) == "si":
                    strings.append(_text(element))
                    element.clear()
        return strings

    def rows(self, part: str) -> Iterator[tuple[int, list[str], list[tuple[int, str]]]]:
        """(row number, cell texts from column A, (column, problem) pairs) of every non-empty row
        of a sheet."""
        number = 0
        try:
            for _event, element in self._parse(part):
                if _local(element.tag) != "row":
                    continue
                ref = element.get("r") or str(number + 1)
                if not ref.isdigit():  # isdigit, not int(): no ValueError from a crafted sheet
                    raise WorkbookError(f"the sheet's row after row {number} is numbered {ref[:20]!r}, not a row number", number + 1)
                number = int(ref)
                cells: list[str] = []
                problems: list[tuple[int, str]] = []
                for cell in element:
                    if _local(cell.tag) != "c":
                        continue
                    col = column_number(cell.get("r", "")) or len(cells) + 1
                    if col > MAX_COLUMNS:
                        problems.append((MAX_COLUMNS, f"cell {cell.get('r', '')!r} lies past Excel's last column (XFD); it is not read"))
                        continue
                    value = self._value(cell, problems, col)
                    cells.extend([""] * (col - 1 - len(cells)))
                    cells.append(value)
                element.clear()
                if any(c.strip() for c in cells) or problems:
                    yield number, cells, problems
        except (ParseError, zipfile.BadZipFile, OSError, EOFError, LookupError) as error:
            raise WorkbookError(f"the sheet cannot be read after row {number}: {error}", number + 1) from None

    def _value(self, cell: Element, problems: list[tuple[int, str]], col: int) -> str:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = next((c for c in cell if _local(c.tag) == "is"), None)
            return _text(inline) if inline is not None else ""
        raw = next((c.text or "" for c in cell if _local(c.tag) == "v"), "")
        if kind == "s":
            try:
                if not raw.isdigit():  # "-1" would read the last string
                    raise ValueError(raw)
                return self._shared[int(raw)]
            except (ValueError, IndexError):
                problems.append((col, f"shared string {raw!r} does not exist in the workbook"))
                return ""
        if kind == "b":
            return "true" if raw == "1" else "false"
        if kind == "e":
            problems.append((col, f"the cell holds the Excel error {raw}, not a value"))
            return ""
        return raw


def is_workbook(head: bytes) -> bool:
    """A zip whose first entries are an Office Open XML spreadsheet's."""
    return head.startswith(b"PK\x03\x04") and (b"xl/" in head[:8192] or b"[Content_Types].xml" in head[:8192])


__all__ = ["Workbook", "WorkbookError", "column_number", "is_workbook"]
