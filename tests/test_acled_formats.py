"""Files that are not ACLED event exports say what they are and what to import instead, at
file:line; files written for the project in the shapes real users hold (ACLED's aggregated
country-month and weekly admin1 counts, workbooks and archives of exports)."""

from __future__ import annotations

import gzip
import io
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


def _xlsx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")


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
        ("Ukraine_Black_Sea_2020_2023.xlsx", _xlsx, "an Excel workbook (.xlsx)"),
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
