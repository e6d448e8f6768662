"""Files that are not ACLED event exports say what they are and what to import instead, at
file:line; files written for the project in the shapes real users hold (ACLED's aggregated
country-month and weekly admin1 counts, workbooks and archives of exports)."""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from riskengine.cli.app import main
from riskengine.core.errors import EventError
from riskengine.ingest.acled import import_acled

AGGREGATED = {
    # HDX's country-month files: events per country and month
    "country_month.csv": "Country,Month,Year,Events\nYemen,January,2022,412\nYemen,February,2022,388\n",
    # the weekly admin1 files: event_type is there, event_date is not
    "weekly_admin1.csv": "WEEK,REGION,COUNTRY,ADMIN1,EVENT_TYPE,SUB_EVENT_TYPE,EVENTS,FATALITIES\n2024-01-06,Middle East,Syria,Aleppo,Battles,Armed clash,14,9\n",
    # a title line above the header, as a spreadsheet export leaves it
    "titled.csv": "Political violence events by month\nCountry,Admin1,Month,Year,Events,Fatalities\nSyria,Idlib,March,2023,40,12\n",
}


@pytest.mark.parametrize("name", sorted(AGGREGATED))
def test_aggregated_counts_are_refused_as_not_events(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(AGGREGATED[name], encoding="utf-8")
    with pytest.raises(EventError) as info:
        import_acled(path, io.StringIO())
    (issue,) = info.value.issues
    header_line = 2 if name == "titled.csv" else 1
    assert (issue.code, issue.location.line) == ("E602", header_line)
    assert "not an ACLED event export: counts of events per" in issue.message and "no event_date" in issue.message
    assert "one row per event" in (issue.hint or "")


# Events summed per day: event_date is there, but a column counts the events of each row (a real
# Ukraine 2022-23 file of session 16 had "incidents" per day, admin1 and event type). With a
# country column such rows import as single events, one battle where there were fifteen.
SUMMED = {
    "summed.csv": "event_date,country,admin1,event_type,incidents,fatalities\n2022-03-01,Ukraine,Kharkiv,Battles,15,9\n",
    "summed.json": json.dumps([{"EVENT_DATE": "2022-03-01", "COUNTRY": "Ukraine", "ADMIN1": "Kharkiv", "EVENT_TYPE": "Battles", "events": 15, "fatalities": 9}]),
}


@pytest.mark.parametrize("name", sorted(SUMMED))
def test_events_summed_per_day_are_refused_as_not_events(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(SUMMED[name], encoding="utf-8")
    with pytest.raises(EventError) as info:
        import_acled(path, io.StringIO())
    (issue,) = info.value.issues
    assert (issue.code, issue.location.line) == ("E602", 1)
    assert "counts the events of each row" in issue.message
    assert "one row per event" in (issue.hint or "")


def test_an_export_with_an_events_column_and_ids_is_read(tmp_path: Path) -> None:
    # A column named like a count beside ACLED's own ids is some addition of the analyst's: the rows
    # are still events.
    path = tmp_path / "with_ids.csv"
    path.write_text("event_id_cnty,event_date,country,event_type,fatalities,events\nUKR1,2022-03-01,Ukraine,Battles,2,1\n", encoding="utf-8")
    out = io.StringIO()
    assert import_acled(path, out).imported == 1


def _zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("2024-01-01-2024-03-31-Haiti.csv", "event_id_cnty,event_date,event_type,fatalities\n")


def _gzip(path: Path) -> None:
    path.write_bytes(gzip.compress(b"event_id_cnty,event_date,event_type,fatalities\n"))


def _xls(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


@pytest.mark.parametrize(
    ("name", "write", "said"),
    [
        ("export.zip", _zip, "a zip archive"),
        ("export.csv.gz", _gzip, "a gzip-compressed file"),
        ("old.xls", _xls, "an Excel 97-2003 workbook (.xls)"),
    ],
)
def test_workbooks_and_archives_say_what_they_are(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, write: object, said: str) -> None:
    path = tmp_path / name
    write(path)  # type: ignore[operator]
    assert main(["import", "acled", str(path), "-o", str(tmp_path / "out.jsonl")]) == 1
    err = capsys.readouterr().err
    assert f"{path}:1:1: error[E602] not an ACLED export: {said}" in err
    assert "no header row" not in err  # what was said before: true, and no help


# -- workbooks ---------------------------------------------------------------------------------
# Written here as Excel writes them: shared strings for text, numbers as numbers, the event date
# as an Excel serial day with a date style, a title sheet before the data, upper-case columns as
# in ACLED's curated regional files.

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _col(n: int) -> str:
    name = ""
    while n:
        n, rem = divmod(n - 1, 26)
        name = chr(65 + rem) + name
    return name


def _sheet(rows: list[list[object]], shared: list[str]) -> str:
    out = []
    for r, values in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(values, 1):
            ref = f"{_col(c)}{r}"
            if value is None:
                continue
            if isinstance(value, tuple):  # (kind, raw): an error cell or an inline string
                kind, raw = value
                body = f"<is><t>{raw}</t></is>" if kind == "inlineStr" else f"<v>{raw}</v>"
                cells.append(f'<c r="{ref}" t="{kind}">{body}</c>')
            elif isinstance(value, str):
                if value not in shared:
                    shared.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{shared.index(value)}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>{"".join(out)}</sheetData></worksheet>'


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    shared: list[str] = []
    parts = {f"xl/worksheets/sheet{i}.xml": _sheet(rows, shared) for i, rows in enumerate(sheets.values(), 1)}
    items = "".join(f'<si><t xml:space="preserve">{s.replace("&", "&amp;").replace("<", "&lt;")}</t></si>' for s in shared)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        sheet_list = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(sheets, 1))
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {_NS} {_R}><sheets>{sheet_list}</sheets></workbook>')
        rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {_NS}>{items}</sst>')
        for name, text in parts.items():
            z.writestr(name, text)


COLUMNS = ["EVENT_ID_CNTY", "EVENT_DATE", "YEAR", "EVENT_TYPE", "SUB_EVENT_TYPE", "ACTOR1", "INTER1", "ACTOR2", "INTER2", "COUNTRY", "LOCATION", "LATITUDE", "LONGITUDE", "SOURCE", "SOURCE_SCALE", "NOTES", "FATALITIES"]


def _curated(extra_rows: list[list[object]] | None = None) -> dict[str, list[list[object]]]:
    return {
        "About": [["Invented data written for riskengine's tests, in the shape of ACLED's curated files"]],
        "Data": [
            COLUMNS,
            ["UKR90001", 45338, 2024, "Explosions/Remote violence", "Shelling/artillery/missile attack", "Military Forces of Russia (2000-)", "State forces", "Civilians (Ukraine)", "Civilians", "Ukraine", "Kharkiv", 49.9935, 36.2304, "Suspilne Media; Ukrinform", "National", "Invented: shelling hit a residential area; 2 killed.", 2],
            ["UKR90002", "17 February 2024", 2024, "Battles", "Armed clash", "Military Forces of Ukraine (2019-)", "State forces", "Military Forces of Russia (2000-)", "State forces", "Ukraine", "Avdiivka", 48.1394, 37.7497, "Ministry of Defence of Ukraine", "National", ("inlineStr", "Invented clash near Avdiivka."), 0],
            *(extra_rows or []),
        ],
    }


def test_an_xlsx_export_is_read_from_its_data_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "Ukraine_Black_Sea_invented.xlsx"
    write_xlsx(path, _curated())
    out = tmp_path / "out.jsonl"
    assert main(["import", "acled", str(path), "-o", str(out)]) == 0
    got = {e["event_id"]: e for e in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    kharkiv, avdiivka = got["UKR90001"], got["UKR90002"]
    assert (kharkiv["event_date"], kharkiv["fatalities"], kharkiv["country"], kharkiv["latitude"]) == ("2024-02-16", 2, "UKR", 49.9935)
    assert kharkiv["verification"] == "confirmed" and kharkiv["civilian_targeting"] is True
    assert (avdiivka["event_date"], avdiivka["notes"], avdiivka["verification"]) == ("2024-02-17", "Invented clash near Avdiivka.", "claimed")
    assert "read sheet 'Data' of the workbook" in capsys.readouterr().err


def test_a_bad_cell_of_a_workbook_is_located_at_its_row_and_column(tmp_path: Path) -> None:
    bad = ["UKR90003", 45339, 2024, "Battles", "Armed clash", "Military Forces of Ukraine (2019-)", "State forces", None, None, "Ukraine", "Bakhmut", 48.59, 38.0, "Ukrinform", "National", "Invented.", ("e", "#N/A")]
    path = tmp_path / "bad.xlsx"
    write_xlsx(path, _curated([bad, ["UKR90004", 45339, 2024, "Battles", "Armed clash", "A", "1", None, None, "Ukraine", "Siversk", 48.87, 38.1, "Ukrinform", "National", "Invented.", "many"]]))
    with pytest.raises(EventError) as info:
        import_acled(path, io.StringIO())
    where = sorted((i.location.line, i.location.col, i.message) for i in info.value.issues)
    assert [(line, col) for line, col, _ in where] == [(4, 17), (5, 17)]  # sheet rows 4 and 5, column Q: FATALITIES
    assert "Excel error #N/A" in where[0][2] and "fatalities 'many' is not a number" in where[1][2]


def test_a_workbook_without_an_event_sheet_names_its_sheets(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    write_xlsx(path, {"Readme": [["nothing here"]], "Totals": [["Country", "Events"], ["Ukraine", 3]]})
    with pytest.raises(EventError) as info:
        import_acled(path, io.StringIO())
    assert "no sheet of the workbook ('Readme', 'Totals') has a header row" in info.value.render()


def test_a_workbook_goes_into_the_store_like_a_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "curated.xlsx"
    write_xlsx(path, _curated())
    assert main(["ingest", "--store", str(tmp_path / "p.db"), str(path), "--now", "2024-03-01T00:00:00Z"]) == 0
    assert "2 new" in capsys.readouterr().out


def test_a_cell_past_excels_last_column_is_reported_not_filled(tmp_path: Path) -> None:
    # A crafted reference ("ZZZZZZZ2", column 8,353,082,582) once made the reader pad the row with
    # that many blanks: memory without bound from one cell.
    path = tmp_path / "far.xlsx"
    write_xlsx(path, _curated())
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet2.xml"].decode()
    parts["xl/worksheets/sheet2.xml"] = sheet.replace('<c r="Q2"><v>2</v></c>', '<c r="Q2"><v>2</v></c><c r="ZZZZZZZ2"><v>1</v></c>').encode()
    assert "ZZZZZZZ2" in parts["xl/worksheets/sheet2.xml"].decode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(EventError) as info:
        import_acled(path, io.StringIO())
    [issue] = info.value.issues
    assert (issue.location.line, issue.code) == (2, "E603") and "past Excel's last column" in issue.message


def test_a_row_numbered_with_words_is_a_located_error_not_a_crash(tmp_path: Path) -> None:
    # <row r="two"> made int() raise ValueError: exit 3, "a bug in riskengine", on a bad file.
    path = tmp_path / "words.xlsx"
    write_xlsx(path, _curated())
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet2.xml"] = parts["xl/worksheets/sheet2.xml"].replace(b'<row r="2">', b'<row r="two">')
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(EventError) as info:
        import_acled(path, io.StringIO())
    [issue] = info.value.issues
    assert (issue.code, issue.location.line) == ("E604", 2) and "numbered 'two'" in issue.message


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/sharedStrings.xml", "xl/workbook.xml"])
def test_an_unknown_xml_encoding_is_a_located_error_not_a_crash(tmp_path: Path, part: str) -> None:
    # <?xml encoding="UTF-r"?> made the parser raise LookupError: exit 3 (found by mutating parts).
    path = tmp_path / "encoding.xlsx"
    write_xlsx(path, _curated())
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = parts[part].split(b"?>", 1)[1]
    parts[part] = b'<?xml version="1.0" encoding="UTF-r"?>' + body
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(EventError) as info:
        import_acled(path, io.StringIO())
    assert info.value.issues[0].code in ("E602", "E604")


def test_a_negative_shared_string_index_is_reported_not_read_from_the_end(tmp_path: Path) -> None:
    # Python reads index -1 as the last string: a cell would have taken another cell's text.
    path = tmp_path / "negative.xlsx"
    write_xlsx(path, _curated())
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet2.xml"].decode()
    parts["xl/worksheets/sheet2.xml"] = re.sub(r'(<c r="A2" t="s"><v>)\d+(</v>)', r"\g<1>-1\g<2>", sheet, count=1).encode()
    assert b'<c r="A2" t="s"><v>-1</v>' in parts["xl/worksheets/sheet2.xml"]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(EventError) as info:
        import_acled(path, io.StringIO())
    assert any(i.location.line == 2 and "shared string" in i.message for i in info.value.issues)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_a_workbook_cut_short_is_a_located_error_not_a_crash(tmp_path: Path, keep: float) -> None:
    whole = tmp_path / "whole.xlsx"
    write_xlsx(whole, _curated())
    data = whole.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(EventError) as info:
        import_acled(cut, io.StringIO())
    assert info.value.issues[0].code in ("E602", "E604")


# -- JSON: where a record is, and what a file of other records is ------------------------------


def test_a_json_record_is_located_at_its_own_line(tmp_path: Path) -> None:
    # An API page as json.dump(indent=1) writes it: the bad record's "{" is on its line. Before,
    # every record was placed as many lines further down as there were lines before the first
    # (six for an API response: line 20 said for a record on line 14).
    good = {"event_id_cnty": "UKR90011", "event_date": "2024-02-16", "event_type": "Battles", "sub_event_type": "Armed clash", "country": "Ukraine", "fatalities": "0"}
    bad = {**good, "event_id_cnty": "UKR90012", "fatalities": "many"}
    text = json.dumps({"status": 200, "success": True, "last_update": 1, "count": 2, "data": [good, bad]}, indent=1)
    path = tmp_path / "page.json"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    record_line = next(n for n, line in enumerate(lines) if "UKR90012" in line)  # 1-based: the "{" above it
    assert lines[record_line - 1].strip() == "{"
    with pytest.raises(EventError) as info:
        import_acled(path, io.StringIO())
    (issue,) = info.value.issues
    assert (issue.location.line, "fatalities 'many'" in issue.message) == (record_line, True)


def test_json_records_of_another_shape_are_refused_once_naming_their_keys(tmp_path: Path) -> None:
    # ACLED events reshaped by an analyst's script (a list of actors, 'date' and 'type'): one
    # located refusal, not a thousand "'actors' is a list" rejections
    records = [{"date": "2024-06-21", "type": "Protests", "actors": ["Protesters (Cameroon)"], "region": ["Nord-Ouest"], "fatalities": "0"}] * 3
    path = tmp_path / "reshaped.json"
    path.write_text(json.dumps(records, indent=4), encoding="utf-8")
    with pytest.raises(EventError) as info:
        import_acled(path, io.StringIO(), skip_invalid=True)
    (issue,) = info.value.issues
    assert (issue.code, issue.location.line, issue.location.col) == ("E602", 2, 5)
    assert "no event_date and no event_type (the first has actors, date, fatalities, region, type)" in issue.message
