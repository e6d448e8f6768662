"""ACLED exports: formats, upsert, bad rows, streaming."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from riskengine.cli.app import main
from riskengine.core.errors import EventError
from riskengine.ingest.acled import import_acled, parse_date

HERE = Path(__file__).parent / "extract"


def events(text: str) -> dict[str, dict]:
    return {e["event_id"]: e for e in map(json.loads, text.splitlines())}


def test_sample_export() -> None:
    out = io.StringIO()
    result = import_acled(HERE / "acled_sample.csv", out)
    got = events(out.getvalue())
    assert (result.imported, result.replaced_in_file) == (3, 1)
    izhevsk = got["UKR900001"]  # the later row replaces the first ("01 July 2025" form)
    assert izhevsk["notes"].startswith("Revised") and izhevsk["country"] == "RUS" and izhevsk["event_date"] == "2025-07-01"
    assert izhevsk["initiator_side"] == "Ukraine" and izhevsk["target_side"] == "Russia"
    assert izhevsk["sources"] == [{"name": "Example Agency", "date": "2025-07-01", "reliability": "B", "credibility": 2}]
    kyiv = got["UKR900002"]
    assert kyiv["civilian_targeting"] is True and "casualties_unknown" in kyiv["tags"] and kyiv["fatalities"] == 0
    assert "actor1_type:external_other_forces" in kyiv["tags"] and "actor2_type:civilians" in kyiv["tags"]
    interception = got["UKR900003"]
    assert (interception["drones_launched"], interception["drones_intercepted"]) == (18, 17)
    assert interception["initiator_side"] == "Russia"  # the side that launched, not ACLED's actor1
    assert interception["sources"][0]["reliability"] == "F"  # source_scale Other


@pytest.mark.parametrize("text", ["16 February 2024", "2024-02-16", "16-February-2024"])
def test_both_date_forms(text: str) -> None:
    assert parse_date(text).isoformat() == "2024-02-16"


def test_bad_rows_are_all_listed_with_lines() -> None:
    with pytest.raises(EventError) as info:
        import_acled(HERE / "acled_bad.csv", io.StringIO())
    rendered = info.value.render().splitlines()
    # each reason points at the value that is wrong: the date, the sub-event type's row, the
    # actor code and the fatalities
    assert [line.split(": error")[0] for line in rendered] == [
        f"{HERE / 'acled_bad.csv'}:{n}" for n in ("3:11", "4:30", "5:76", "5:101")
    ]
    assert "actor type code '12' is not 0-8" in info.value.render() and "fatalities 'many' is not a number" in info.value.render()


def test_skip_invalid_writes_rejects(tmp_path: Path) -> None:
    out, rejects = tmp_path / "e.jsonl", tmp_path / "r.jsonl"
    code = main(["import", "acled", str(HERE / "acled_bad.csv"), "-o", str(out), "--skip-invalid", "--rejects", str(rejects)])
    assert code == 0
    assert list(events(out.read_text())) == ["UKR900010"]
    assert [r["line"] for r in map(json.loads, rejects.read_text().splitlines())] == [3, 4, 5]


def test_cli_exit_1_without_skip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "e.jsonl"
    assert main(["import", "acled", str(HERE / "acled_bad.csv"), "-o", str(out)]) == 1
    assert not out.exists() and "3 invalid row(s)" in capsys.readouterr().err


def test_upsert_into_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "e.jsonl"
    out.write_text(json.dumps({"event_id": "UKR900002", "old": True}) + "\n" + json.dumps({"event_id": "KEEP1"}) + "\n")
    assert main(["import", "acled", str(HERE / "acled_sample.csv"), "-o", str(out)]) == 0
    got = events(out.read_text())
    assert sorted(got) == ["KEEP1", "UKR900001", "UKR900002", "UKR900003"] and "old" not in got["UKR900002"]


def test_not_an_acled_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(EventError, match="not an ACLED export"):
        import_acled(path, io.StringIO())


def test_streams_large_files(tmp_path: Path) -> None:
    # Rows are written out as they are read (no list of events is built): 20,000 rows go
    # through a writer that only counts.
    path = tmp_path / "big.csv"
    header = (HERE / "acled_sample.csv").read_text().splitlines()[0]
    row = (HERE / "acled_sample.csv").read_text().splitlines()[2]
    with open(path, "w") as handle:
        handle.write(header + "\n")
        handle.writelines(row.replace("UKR900002", f"UKR{i:07d}", 1) + "\n" for i in range(20000))

    class Counter(io.StringIO):
        lines = 0

        def write(self, s: str) -> int:
            self.lines += s.count("\n")
            return len(s)

    sink = Counter()
    assert import_acled(path, sink).imported == 20000 and sink.lines == 20000


# ---------------------------------------------------------------------------------------------
# Every real export shape (issue #13). The fixtures under tests/fixtures/acled/ are invented rows
# in ACLED's formats, one file per shape; no ACLED data is committed.

import datetime as dt  # noqa: E402
import re  # noqa: E402

from riskengine.ingest.acled.countries import Countries  # noqa: E402
from riskengine.ingest.acled.dates import DateSurvey  # noqa: E402
from riskengine.ingest.extract.gazetteer import default_gazetteer  # noqa: E402

SHAPES = Path(__file__).parent / "fixtures" / "acled"
HEADER = "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,inter1,actor2,inter2,iso,country,latitude,longitude,fatalities,notes,source,source_scale,timestamp"


def _row(event_id: str, date: str, *, year: str = "", fatalities: str = "1", iso: str = "404", country: str = "Kenya", lat: str = "-1.28", notes: str = "Invented clash.") -> str:
    return f'{event_id},"{date}",{year},Battles,Armed clash,Military Forces of Kenya (2013-),1,Rebels,2,{iso},{country},{lat},36.82,{fatalities},"{notes}",Daily,National,1700000000'


def _export(tmp_path: Path, *rows: str, name: str = "x.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _run(path: Path, **kwargs: object) -> tuple[dict[str, dict], object]:
    out = io.StringIO()
    result = import_acled(path, out, **kwargs)  # type: ignore[arg-type]
    assert result.imported + result.merged + result.replaced_in_file + result.rejected == result.rows_read
    return events(out.getvalue()), result


@pytest.mark.parametrize(
    "written",
    ["16 February 2024", "2024-02-16", "16-Feb-24", "16-02-24", "2/16/2024", "16/02/2024", "16-February-2024", "February 16, 2024", "2024-02-16T00:00:00Z", "16 Feb 2024", "45338", "20240216"],
)
def test_every_date_form_of_real_exports(tmp_path: Path, written: str) -> None:
    got, _ = _run(_export(tmp_path, _row("KEN1", written)))
    assert got["KEN1"]["event_date"] == "2024-02-16"


@pytest.mark.parametrize(
    ("dates", "first", "order"),
    [
        # one row (13 as a day) decides day-month for the row that could be either
        (["03-04-24", "13-04-24"], "2024-04-03", "day-month-year"),
        (["04-03-24", "04-13-24"], "2024-04-03", "month-day-year"),
        (["4/3/2024", "4/13/2024"], "2024-04-03", "month-day-year"),
        # 2031-12-19 (year first) is in the future: only day-month-year is a real ACLED date
        (["31-12-19", "01-12-19"], "2019-12-31", "day-month-year"),
    ],
)
def test_ambiguous_dates_are_decided_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], dates: list[str], first: str, order: str) -> None:
    path = _export(tmp_path, *(_row(f"KEN{i}", d) for i, d in enumerate(dates)))
    got, result = _run(path)
    assert got["KEN0"]["event_date"] == first
    assert any(order in note for note in result.notes)  # type: ignore[attr-defined]
    assert main(["import", "acled", str(path), "-o", str(tmp_path / "e.jsonl")]) == 0
    assert f"read as {order}" in capsys.readouterr().err


def test_nothing_decides_the_order_then_acleds_day_first_is_said(tmp_path: Path) -> None:
    survey = DateSurvey()
    survey.add("03-04-24")
    reader = survey.decide()
    assert reader.order == "dmy" and reader.note and "assumed" in reader.note


@pytest.mark.parametrize("written", ["20241602", "19961231", "31122019"])
def test_an_eight_digit_date_is_read_only_as_year_month_day_of_an_acled_year(written: str) -> None:
    # 20201231 (year, month, day run together) is how exports saved through Stata or as integers
    # come back; day-first "31122019" has no month 20 or 19 in its year-first reading, so reading
    # year first only is never a guess, and a year before ACLED's first is no date of its
    with pytest.raises(ValueError):
        parse_date(written)


def test_a_date_against_the_files_order_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = _export(tmp_path, *(_row(f"KEN{i}", d) for i, d in enumerate(["13-04-24", "14-04-24", "04-13-24"])))
    got, result = _run(path, skip_invalid=True)
    assert sorted(got) == ["KEN0", "KEN1"] and result.rejected == 1  # type: ignore[attr-defined]


def test_old_2016_export_maps_to_todays_taxonomy_and_acled_country_names() -> None:
    got, result = _run(SHAPES / "old_2016.csv")
    assert result.rejected == 0 and len(got) == 11  # type: ignore[attr-defined]
    kinds = {k: (e["country"], e["event_type"], e.get("sub_event_type")) for k, e in got.items()}
    assert kinds == {
        "DRC1001": ("COD", "Battles", "Armed clash"),
        "DRC1002": ("COD", "Battles", "Government regains territory"),
        "PSE1003": ("PSE", "Protests", "Peaceful protest"),  # inter1 6: protesters
        "PSE1004": ("PSE", "Riots", "Violent demonstration"),  # inter1 5 against the army
        "SYR1005": ("SYR", "Explosions/Remote violence", "Air/drone strike"),  # "air strikes" in the notes
        "SYR1006": ("SYR", "Explosions/Remote violence", None),  # notes name no weapon
        "CIV1007": ("CIV", "Violence against civilians", "Attack"),
        "SWZ1008": ("SWZ", "Strategic developments", None),
        "XKX1009": ("XKX", "Strategic developments", "Non-violent transfer of territory"),
        "GGY1010": ("GGY", "Strategic developments", "Headquarters or base established"),
        "PRK1011": ("PRK", "Battles", "Non-state actor overtakes territory"),
    }
    # no civilian_targeting column: civilians as actor2 (inter2 7) say it
    assert got["CIV1007"]["civilian_targeting"] is True and got["DRC1001"]["civilian_targeting"] is False
    assert "acled_type:remote_violence" in got["SYR1005"]["tags"]


def test_identical_rows_without_ids_stay_distinct_events(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A column extract (no event_id_cnty, no notes): two protests in one town on one day look
    # alike. Before, the second was folded into the first as a "merged" row: 593 of 13,584 rows of a
    # real five-column extract, 4 of 985 of a curated Middle East file, lost.
    path = tmp_path / "extract.csv"
    rows = ["2020-10-12,40.18,44.51,0,Protests"] * 3 + ["2020-10-12,40.18,44.51,1,Protests"]
    path.write_text("event_date,latitude,longitude,fatalities,event_type\n" + "\n".join(rows) + "\n", encoding="utf-8")
    got, result = _run(path)
    assert (result.imported, result.merged) == (4, 0)  # type: ignore[attr-defined]
    first = next(i for i in got if not i.endswith(("-2", "-3")) and got[i]["fatalities"] == 0)
    assert sorted(got) == sorted([first, f"{first}-2", f"{first}-3", next(i for i in got if got[i]["fatalities"] == 1)])
    again, _ = _run(path)
    assert sorted(again) == sorted(got)  # the same ids on every import
    assert main(["import", "acled", str(path), "-o", str(tmp_path / "e.jsonl")]) == 0
    assert "2 row(s): identical to an earlier row, with no event_id_cnty to tell them apart: kept as another event" in capsys.readouterr().err


def test_first_versions_types_and_column_names(tmp_path: Path) -> None:
    # ACLED's first versions (Africa to 2012, the Asia pilot of 2008-10, whose workbooks name
    # ALLY_ACTOR1 without the second underscore): rows of invented events in their columns. Before,
    # "Non-violent rebel activity" and "Battle-Rebels overtake territory" rows were rejected (127
    # of 2,619 rows of a real 2008-10 Pakistan file) and the allied actors were dropped.
    path = tmp_path / "asia_pilot.csv"
    path.write_text(
        "GWNO,EVENT_ID,EVENT_DATE,EVENT_TYPE,ACTOR1,ALLY_ACTOR1,ACTOR2,ALLY_ACTOR_2,COUNTRY,LOCATION,LATITUDE,LONGITUDE,SOURCE,NOTES,FATALITIES\n"
        "770,1,39449,Non-violent rebel activity,Invented Militia,,,,Pakistan,Wana,32.30,69.57,Dawn,Invented: a militia set up a checkpoint.,0\n"
        "770,2,39450,Battle-Rebels overtake territory,Invented Militia,Invented Tribe,Military Forces of Pakistan,,Pakistan,Wana,32.30,69.57,Dawn,Invented: the militia took the town.,4\n",
        encoding="utf-8",
    )
    got, result = _run(path)
    assert result.rejected == 0  # type: ignore[attr-defined]
    kinds = sorted((e["event_date"], e["event_type"], e.get("sub_event_type"), "actor:Invented Tribe" in e["tags"]) for e in got.values())
    assert kinds == [
        ("2008-01-02", "Strategic developments", None, False),
        ("2008-01-03", "Battles", "Non-state actor overtakes territory", True),
    ]


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Democratic Republic of Congo", "COD"), ("Republic of Congo", "COG"), ("Palestine", "PSE"), ("Ivory Coast", "CIV"),
        ("eSwatini", "SWZ"), ("Bailiwick of Guernsey", "GGY"), ("Kosovo", "XKX"), ("Micronesia", "FSM"), ("Russia", "RUS"),
        ("Syria", "SYR"), ("Iran", "IRN"), ("Laos", "LAO"), ("Vietnam", "VNM"), ("North Korea", "PRK"), ("South Korea", "KOR"),
        ("Bolivia", "BOL"), ("Venezuela", "VEN"), ("Tanzania", "TZA"), ("Moldova", "MDA"), ("Czech Republic", "CZE"),
        ("Turkey", "TUR"), ("Caribbean Netherlands", "BES"), ("Côte d'Ivoire", "CIV"), ("east timor", "TLS"), ("Cape Verde", "CPV"),
    ],
)  # fmt: skip
def test_acled_country_names(name: str, iso3: str) -> None:
    assert Countries(default_gazetteer()).by_name(name) == iso3


def test_country_name_and_iso_code_must_agree(tmp_path: Path) -> None:
    path = _export(tmp_path, _row("KEN1", "2024-02-16"), _row("KEN2", "2024-02-16", iso="180"), _row("KEN3", "2024-02-16", country="Narnia"))
    with pytest.raises(EventError) as info:
        import_acled(path, io.StringIO())
    text = info.value.render()
    assert "country 'Kenya' (KEN) does not match iso '180' (COD)" in text
    assert "KEN3" not in text  # an unknown name with a known iso code is placed by the code


def test_rows_per_actor_are_merged_and_revisions_replaced() -> None:
    got, result = _run(SHAPES / "per_actor.csv")
    assert (result.imported, result.merged, result.replaced_in_file, result.rejected) == (3, 3, 2, 0)  # type: ignore[attr-defined]
    ken1 = got["KEN1"]
    assert (ken1["actor1"], ken1["actor2"]) == ("Military Forces of Kenya (2013-)", "Rebels of Exland")
    assert {t for t in ken1["tags"] if t.startswith("actor:")} == {"actor:Military Forces of Kenya (2013-)", "actor:Rebels of Exland", "actor:Militia of Nowhere"}
    # the later timestamp wins, with both its actor rows
    assert got["KEN2"]["fatalities"] == 5 and got["KEN2"]["notes"].startswith("Revised") and got["KEN2"]["actor2"] == "Rebels of Exland"


def test_a_revision_with_an_older_timestamp_does_not_win(tmp_path: Path) -> None:
    newer = _row("KEN1", "2024-02-16", fatalities="4").replace("1700000000", "1700000500")
    older = _row("KEN1", "2024-02-16", fatalities="2")
    got, result = _run(_export(tmp_path, newer, older))
    assert got["KEN1"]["fatalities"] == 4 and result.replaced_in_file == 1  # type: ignore[attr-defined]


def test_api_json_without_ids_or_countries(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    got, _result = _run(SHAPES / "api.json")
    assert len(got) == 2 and all(re.fullmatch(r"ACLED-[0-9a-f]{12}", k) for k in got)
    assert {e["country"] for e in got.values()} == {"UKR"}
    again, _ = _run(SHAPES / "api.json")
    assert sorted(again) == sorted(got)  # ids derived from content are stable
    assert [e["event_date"] for e in got.values()] == ["2024-02-15", "2024-02-16"]  # date order
    assert main(["import", "acled", str(SHAPES / "api.json"), "-o", str(tmp_path / "e.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "2 row(s): id derived from content" in err and "2 row(s): country from coordinates" in err


def test_bare_json_array_with_upper_case_keys_and_a_bad_value() -> None:
    got, result = _run(SHAPES / "bare_array.json", skip_invalid=True)
    assert sorted(got) == ["10NIG", "11NIG"] and result.rejected == 1  # type: ignore[attr-defined]
    assert got["10NIG"]["event_date"] == "2015-12-25" and got["11NIG"]["event_date"] == "2016-01-01"
    assert got["11NIG"]["sub_event_type"] == "Suicide bomb" and "actor2" not in got["10NIG"]  # 0 meant none
    with pytest.raises(EventError, match=r"bare_array.json:1:\d+: error\[E603\] row 12NIG: fatalities 'true' is not a number"):
        import_acled(SHAPES / "bare_array.json", io.StringIO())


def test_api_error_response_is_not_an_export(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_text('{"status": 403, "success": false, "error": {"message": "Access denied"}}')
    with pytest.raises(EventError, match=r"E602.*Access denied"):
        import_acled(path, io.StringIO())


def test_preamble_before_the_header() -> None:
    got, result = _run(SHAPES / "preamble.csv")
    assert list(got) == ["KEN50"] and any("2 line(s) before the header" in n for n in result.notes)  # type: ignore[attr-defined]


def test_newest_first_export_is_written_oldest_first_and_backtests(tmp_path: Path) -> None:
    out = tmp_path / "e.jsonl"
    assert main(["import", "acled", str(SHAPES / "newest_first.csv"), "-o", str(out)]) == 0
    dates = [(e["event_date"], e["event_id"]) for e in map(json.loads, out.read_text().splitlines())]
    assert dates == sorted(dates, key=lambda d: d[0]) and [d[1] for d in dates] == ["KEN94", "KEN93", "KEN91", "KEN92", "KEN90"]
    assert main(["backtest", str(out), "--from", "2023-W20", "--to", "2024-W13", "-o", str(tmp_path / "b.csv")]) == 0


def test_every_row_rejected_exits_1_even_with_skip_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _export(tmp_path, _row("KEN1", "2024-02-31"), _row("KEN2", "soon"))
    out, rejects = tmp_path / "e.jsonl", tmp_path / "r.jsonl"
    assert main(["import", "acled", str(path), "-o", str(out), "--skip-invalid", "--rejects", str(rejects)]) == 1
    assert "E609" in capsys.readouterr().err and not out.exists()
    assert [r["line"] for r in map(json.loads, rejects.read_text().splitlines())] == [2, 3]


def test_truncated_last_row_is_rejected_not_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got, result = _run(SHAPES / "truncated.csv", skip_invalid=True)
    assert list(got) == ["KEN60"] and result.rejected == 1 and "the file ends inside a quoted field" in str(result.reasons)  # type: ignore[attr-defined]
    assert main(["import", "acled", str(SHAPES / "truncated.csv"), "-o", str(tmp_path / "e.jsonl")]) == 1
    assert "truncated.csv:3:1: error[E607]" in capsys.readouterr().err
    # cut after a comma: too few fields
    text = (SHAPES / "truncated.csv").read_text()
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: text.rindex('"Two')])
    assert _run(cut, skip_invalid=True)[1].rejected == 1  # type: ignore[attr-defined]


def test_a_last_row_without_line_break_is_imported_with_a_warning(tmp_path: Path) -> None:
    path = _export(tmp_path, _row("KEN1", "2024-02-16"))
    path.write_text(path.read_text().rstrip("\n"))
    got, result = _run(path)
    assert list(got) == ["KEN1"] and any("may be cut short" in n for n in result.notes)  # type: ignore[attr-defined]


def test_invalid_utf8_is_located_and_utf16_is_read(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(EventError) as info:
        import_acled(SHAPES / "bad_encoding.csv", io.StringIO())
    assert re.fullmatch(r".*bad_encoding.csv:3:\d+: error\[E606\] row KEN71: byte 0xFB is not valid UTF-8", info.value.render())
    got, _ = _run(SHAPES / "utf16.csv")
    assert got["KEN71"]["notes"] == "Clash near Mûranga."


def test_duplicated_header_column_is_an_error() -> None:
    with pytest.raises(EventError, match=r"duplicate_header.csv:1:1: error\[E608\] column 'fatalities' appears twice"):
        import_acled(SHAPES / "duplicate_header.csv", io.StringIO())


@pytest.mark.parametrize(
    ("fatalities", "lat", "reason"),
    [("1e400", "-1.28", "fatalities '1e400' is not a whole number"), ("1" * 40, "-1.28", "out of range"), ("2.5", "-1.28", "not a whole number"),
     ("-3", "-1.28", "out of range"), ("1", "1e308", "latitude '1e308' is outside"), ("1", "-inf", "latitude '-inf' is outside")],
)  # fmt: skip
def test_huge_and_odd_numbers_are_reasons_not_crashes(tmp_path: Path, fatalities: str, lat: str, reason: str) -> None:
    with pytest.raises(EventError, match=re.escape(reason)):
        import_acled(_export(tmp_path, _row("KEN1", "2024-02-16", fatalities=fatalities, lat=lat)), io.StringIO())


@pytest.mark.parametrize("shape", sorted(p.name for p in SHAPES.iterdir()))
def test_a_file_cut_anywhere_never_crashes(tmp_path: Path, shape: str) -> None:
    data = (SHAPES / shape).read_bytes()
    for cut in range(1, len(data), max(1, len(data) // 12)):
        path = tmp_path / f"cut{Path(shape).suffix}"
        path.write_bytes(data[:cut])
        try:
            _run(path, skip_invalid=True)
        except EventError as error:
            assert error.issues and all(i.code.startswith("E6") for i in error.issues)


def test_derived_ids_and_rows_read_add_up_in_the_cli_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "acled", str(SHAPES / "per_actor.csv"), "-o", str(tmp_path / "e.jsonl")]) == 0
    assert "8 row(s) read: 3 event(s) imported, 3 actor row(s) merged into their event, 2 older revision(s) replaced, 0 rejected" in capsys.readouterr().err


def test_dates_are_real_acled_years() -> None:
    assert parse_date("31-Dec-21") == dt.date(2021, 12, 31) and parse_date("5-Aug-24") == dt.date(2024, 8, 5) and parse_date("1-Jan-98") == dt.date(1998, 1, 1)


@pytest.mark.parametrize(
    ("notes", "sub"),
    [
        ("Military jet fighters pounded their hideouts.", "Air/drone strike"),
        ("A homemade bomb exploded in Pattani.", "Remote explosive/landmine/IED"),
        ("Rebels shelled the town with mortars.", "Shelling/artillery/missile attack"),
        ("A suicide bomber detonated an IED.", "Suicide bomb"),
        ("A grenade was thrown at a police post.", "Grenade"),
        ("Air strikes and shelling hit the town.", None),  # two weapons: not clear, left empty
        ("An explosion was heard.", None),
    ],
)
def test_remote_violence_sub_type_from_the_notes_only_when_clear(notes: str, sub: str | None) -> None:
    from riskengine.ingest.acled.taxonomy import map_event_type

    assert map_event_type({"event_type": "Remote violence", "notes": notes}) == ("Explosions/Remote violence", sub, "Remote violence")


def test_mangled_files_end_in_located_errors_never_in_a_crash(tmp_path: Path) -> None:
    # Seeded random damage to the fixtures: stray bytes, quotes, NULs, BOMs, lone "\udcff"
    # escapes in JSON, cuts and pastes. Found an unchecked lone surrogate (UnicodeEncodeError).
    import random

    rng = random.Random(7)
    shapes = sorted(SHAPES.iterdir())
    junk = [b'"', b",", b"\n", b"\x00", b"\xff\xfe", b"{", b"]", b"1e999", b"true", b"\r", b'"\\udcff"']
    for _ in range(60):
        source = rng.choice(shapes)
        data = bytearray(source.read_bytes())
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(data))
            op = rng.random()
            if op < 0.4:
                data[i] = rng.randrange(256)
            elif op < 0.6:
                del data[i : i + rng.randint(1, 20)]
            else:
                data[i:i] = rng.choice(junk)
        path = tmp_path / f"mangled{source.suffix}"
        path.write_bytes(bytes(data))
        try:
            _run(path, skip_invalid=True, rejects=io.StringIO())
        except EventError as error:
            assert error.issues and all(i.location.file for i in error.issues)


def test_semicolon_separated_export_with_decimal_commas() -> None:
    got, result = _run(SHAPES / "semicolons.csv")
    assert len(got) == 5 and got["KEN90"]["latitude"] == 0.5 and got["KEN90"]["longitude"] == 37.5
    assert any("separated by ';'" in n for n in result.notes)  # type: ignore[attr-defined]


def test_branch_actors_reach_the_shared_derivation_layer(tmp_path: Path) -> None:
    # Regression: the importer once set sides with its own pattern ("Russia (2000-) Air Force"),
    # and since derivation never overwrites a given value, the right side and the border
    # distance that depends on it were lost.
    row = (
        'UKR990001,"16 February 2024",2024,Explosions/Remote violence,Air/drone strike,'
        "Military Forces of Russia (2000-) Air Force,8,Civilians (Ukraine),7,804,Ukraine,49.99,36.23,1,"
        '"Invented: a guided bomb hit a residential building in Kharkiv.",Invented,National,1700000000'
    )
    got, _ = _run(_export(tmp_path, row))
    kharkiv = got["UKR990001"]
    assert kharkiv["initiator_side"] == "Russia"
    assert 20 <= kharkiv["distance_from_border_km"] <= 45  # Kharkiv is about 30 km from Russia
    assert any(d["field"] == "initiator_side" for d in kharkiv["derived"])


def test_diplomacy_is_derived_from_strategic_developments_and_scores_by_its_status() -> None:
    # Issue #13: ACLED has no diplomatic field; its Strategic developments notes say which. An
    # agreed ceasefire lowers escalation and is no call for a ceasefire; a call is one.
    got, result = _run(SHAPES / "diplomacy.csv")
    assert result.rejected == 0  # type: ignore[attr-defined]
    kinds = {i: (e.get("diplomatic_kind"), e.get("diplomatic_status")) for i, e in got.items()}
    assert kinds == {
        "SDN900001": ("ceasefire_proposal", "agreed"),
        "SDN900002": ("ceasefire_proposal", "proposed"),
        "SDN900003": (None, None),  # a ceasefire violated
        "SDN900004": (None, None),  # a battle "despite the ceasefire"
        "SOM900005": ("talks", "held"),
        "SOM900006": ("talks", "stalled"),
        "SOM900007": ("talks", "agreed"),
        "SOM900008": (None, None),  # "held talks" to recruit: a change to a group, not diplomacy
        "SOM900009": (None, None),  # a surrender
        "SDN900010": ("sanctions", "imposed"),
        "KEN900011": ("high_level_call", "held"),
        "SDN900012": ("ceasefire_proposal", "agreed"),  # no sub-event type, as in older exports
    }
    provenance = [d for d in got["SDN900001"]["derived"] if d["field"] == "diplomatic_status"]
    assert provenance and "ceasefire agreed" in provenance[0]["method"] and "agreed to a seven-day humanitarian ceasefire" in provenance[0]["evidence"]

    from riskengine import api

    report = api.score(list(got.values()), window="2025-W27", stakeholders=["government", "ngo"])
    fired: dict[str, set[str]] = {}
    for stakeholder in ("government", "ngo"):
        for c in api.explain(report, stakeholder):
            fired.setdefault(c.rule_id, set()).update(c.event_ids)
    assert fired["gov-ceasefire-agreed"] == {"SDN900001", "SDN900012"}
    assert fired["ngo-ceasefire-agreed"] == {"SDN900001", "SDN900012"}
    assert fired["gov-ceasefire-proposal"] == {"SDN900002"}
    assert fired["gov-talks-progress"] == {"SOM900007"}
    assert fired["gov-talks-held"] == {"SOM900005"}
    assert fired["gov-talks-stalled"] == {"SOM900006"}
    assert fired["gov-sanctions-aligned"] == {"SDN900010"}
    assert fired["gov-high-level-call"] == {"KEN900011"}


def _without(column: str, tmp_path: Path) -> Path:
    """The sample export with one column taken out of the header and every row."""
    lines = (HERE / "acled_sample.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(lines))
    at = rows[0].index(column)
    path = tmp_path / f"no_{column}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([r[:at] + r[at + 1 :] for r in rows])
    return path


@pytest.mark.parametrize(("column", "command"), [("fatalities", "import"), ("latitude", "ingest"), ("longitude", "ingest")])
def test_a_column_the_rules_read_is_required_not_defaulted(tmp_path: Path, column: str, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    # An export without 'fatalities' imported every event with 0 deaths (and an ingest stored
    # those zeros as new revisions). Into a store, an export without coordinates would unplace
    # the events stored with them, so there they are required too.
    path = _without(column, tmp_path)
    argv = ["import", "acled", str(path), "-o", str(tmp_path / "e.jsonl"), "--skip-invalid"]
    if command == "ingest":
        argv = ["ingest", "--store", str(tmp_path / "project.db"), str(path)]
    assert main(argv) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{path}:1:1: error[E602] missing column(s) {column}: the rules and scores read it, and a missing column is "
        "neither 0 nor blank (export with ACLED's standard columns; a blank cell is fine, a missing column is not)"
    )
    assert not (tmp_path / "e.jsonl").exists()


def test_an_export_without_coordinates_imports_its_events_unplaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Regression (session 13): requiring latitude/longitude lost a real 15-column Burkina Faso
    # extract whole (4,988 events), where a blank cell already means "not placed".
    path = _without("latitude", tmp_path)
    assert main(["import", "acled", str(path), "-o", str(tmp_path / "e.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "no latitude column: every event is unplaced, as with blank cells, so no distance" in err
    events = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(events) == 3 and all(e.get("latitude") is None for e in events)


def test_optional_columns_may_be_missing(tmp_path: Path) -> None:
    out = io.StringIO()
    result = import_acled(_without("sub_event_type", tmp_path), out)
    assert result.imported == 3


def test_a_json_record_without_a_required_field_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    record = {"event_id_cnty": "KEN1", "event_date": "2024-02-16", "event_type": "Battles", "sub_event_type": "Armed clash",
              "country": "Kenya", "latitude": "-1.28", "longitude": "36.82"}  # fmt: skip
    path.write_text(json.dumps({"data": [record]}), encoding="utf-8")
    with pytest.raises(EventError) as info:
        import_acled(path, io.StringIO())
    assert info.value.issues[0].render() == (
        f"{path}:1:11: error[E602] row KEN1: missing field(s) fatalities: the rules and scores read it, and a missing field is neither 0 nor blank"
    )


def test_ingest_of_an_export_without_fatalities_keeps_the_stored_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "project.db"
    assert main(["ingest", "--store", str(db), str(HERE / "acled_sample.csv")]) == 0
    capsys.readouterr()
    assert main(["ingest", "--store", str(db), str(_without("fatalities", tmp_path))]) == 1
    assert "error[E602] missing column(s) fatalities" in capsys.readouterr().err
    from riskengine.store import open_store

    store = open_store(db)
    try:
        assert store.revision_count() == 3
        assert {e.event_id: e.fatalities for chunk in store.latest_events() for e in chunk}["UKR900001"] == 3
    finally:
        store.close()
