"""riskengine import gdelt: mapping tables, fixture shapes, ids, date order, the bounded buffer.

Fixtures are composed for the project by tests/gdelt/compose.py (no GDELT data is committed).
"""

from __future__ import annotations

import io
import json
import sys
import tomllib
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from riskengine.api import load_rules, read_events
from riskengine.cli.app import main
from riskengine.core.errors import EventError
from riskengine.core.resources import default_rules_dir, gdelt_rules_dir
from riskengine.ingest import gdelt
from riskengine.ingest.gdelt import COLUMNS, GdeltResult, import_gdelt, load_tables

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "gdelt"
DAY = FIXTURES / "20250704.export.CSV"
sys.path.insert(0, str(FIXTURES))
from compose import FIXTURE, HEADER, row  # noqa: E402

TABLES = gdelt.default_tables()


def run(paths: list[Path], **kw: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], GdeltResult]:
    out, rejects = io.StringIO(), io.StringIO()
    result = import_gdelt(paths, out, rejects=rejects, **kw)
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    rejected = [json.loads(line) for line in rejects.getvalue().splitlines()]
    return events, rejected, result


@pytest.fixture(scope="module")
def day() -> tuple[list[dict[str, Any]], list[dict[str, Any]], GdeltResult]:
    return run([DAY])


def by_id(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["event_id"]: e for e in events}


# --- the tables ------------------------------------------------------------------------------


def test_the_codebook_has_61_columns_in_order() -> None:
    assert len(COLUMNS) == 61
    assert COLUMNS[:3] == ("GLOBALEVENTID", "SQLDATE", "MonthYear")
    assert COLUMNS[26:35] == ("EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
    assert COLUMNS[51:] == (
        "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
        "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
    )  # fmt: skip


CAMEO_CASES = [
    # code, event_type, sub_event_type, diplomatic_kind, diplomatic_status
    ("190", "Battles", "Armed clash", None, None),
    ("1901", "Battles", "Armed clash", None, None),  # a longer code falls back to its prefix
    ("193", "Battles", "Armed clash", None, None),
    ("194", "Explosions/Remote violence", "Shelling/artillery/missile attack", None, None),
    ("195", "Explosions/Remote violence", "Air/drone strike", None, None),
    ("1952", "Explosions/Remote violence", "Air/drone strike", None, None),
    ("1953", "Explosions/Remote violence", "Air/drone strike", None, None),
    ("196", "Battles", "Armed clash", None, None),
    ("180", "Violence against civilians", "Attack", None, None),
    ("181", "Violence against civilians", "Abduction/forced disappearance", None, None),
    ("1821", "Violence against civilians", "Sexual violence", None, None),
    ("1831", "Explosions/Remote violence", "Suicide bomb", None, None),
    ("1833", "Explosions/Remote violence", "Remote explosive/landmine/IED", None, None),
    ("202", "Violence against civilians", "Attack", None, None),
    ("2041", "Explosions/Remote violence", "Chemical weapon", None, None),
    ("141", "Protests", "Peaceful protest", None, None),
    ("145", "Riots", "Violent demonstration", None, None),
    ("1451", "Riots", "Violent demonstration", None, None),
    ("173", "Strategic developments", "Arrests", None, None),
    ("154", "Strategic developments", "Other", None, None),
    ("036", "Strategic developments", "Other", "talks", "proposed"),
    ("040", "Strategic developments", "Other", "talks", "held"),
    ("042", "Strategic developments", "Other", "talks", "held"),
    ("046", "Strategic developments", "Other", "talks", "held"),
    ("0871", "Strategic developments", "Other", "ceasefire_proposal", "proposed"),
    ("0872", "Strategic developments", "Other", "ceasefire_proposal", "proposed"),
    ("163", "Strategic developments", "Other", "sanctions", "imposed"),
    ("172", "Strategic developments", "Other", "sanctions", "imposed"),
    ("1312", "Strategic developments", "Other", "sanctions", "threatened"),
    ("071", "Strategic developments", "Other", "aid", "held"),
    ("073", "Strategic developments", "Other", "aid", "held"),
]


@pytest.mark.parametrize(("code", "event_type", "sub", "kind", "status"), CAMEO_CASES)
def test_cameo_codes_map_to_event_types_and_diplomatic_kinds(code: str, event_type: str, sub: str, kind: str | None, status: str | None) -> None:
    entry = TABLES.entry(code)
    assert entry is not None
    assert (entry.event_type, entry.sub_event_type, entry.diplomatic_kind, entry.diplomatic_status) == (event_type, sub, kind, status)


@pytest.mark.parametrize("code", ["010", "020", "051", "0873", "0874", "111", "1311", "174", "175", "19", "08"])
def test_cameo_codes_outside_the_model_have_no_entry(code: str) -> None:
    assert TABLES.entry(code) is None


FIPS_CASES = {"UP": "UKR", "RS": "RUS", "UK": "GBR", "US": "USA", "GM": "DEU", "RO": "ROU", "PL": "POL", "TU": "TUR", "BE": "BEL",
              "IS": "ISR", "GZ": "PSE", "WE": "PSE", "NO": "NOR", "KV": "XKX", "OD": "SSD", "SU": "SDN", "CH": "CHN", "BO": "BLR"}  # fmt: skip


@pytest.mark.parametrize(("fips", "iso3"), sorted(FIPS_CASES.items()))
def test_fips_codes_map_to_iso3(fips: str, iso3: str) -> None:
    assert TABLES.fips_to_iso3[fips] == iso3


def test_the_fips_table_covers_the_world_and_maps_to_known_iso3() -> None:
    assert len(TABLES.fips_to_iso3) >= 240
    assert set(TABLES.fips_to_iso3.values()) <= set(TABLES.iso3_names) | {"XKX"}


@pytest.mark.parametrize(
    ("country", "group", "side"),
    [("RUS", "", "Russia"), ("UKR", "", "Ukraine"), ("USA", "", "United States"), ("PSE", "", "Palestine"), ("EUR", "EEC", "European Union"), ("EUR", "", None), ("", "NAT", "NATO"), ("", "", None)],
)
def test_actor_countries_become_the_sides_rule_packs_name(country: str, group: str, side: str | None) -> None:
    assert TABLES.side(country, group) == side


def test_a_table_entry_the_model_cannot_hold_fails_when_loaded(tmp_path: Path) -> None:
    bad = tmp_path / "cameo.yaml"
    bad.write_text('codes:\n  "195": {label: Aerial, event_type: Battles, sub_event_type: Air/drone strike}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="sub_event_type 'Air/drone strike' is not one of Battles"):
        load_tables(cameo_path=bad)


# --- one day, plain file without a header ----------------------------------------------------


def test_the_fixture_day_counts(day: tuple[list[dict[str, Any]], list[dict[str, Any]], GdeltResult]) -> None:
    events, rejected, result = day
    assert (result.rows, result.imported, result.collapsed, result.merged_events) == (33, 22, 2, 1)
    assert result.rejected == Counter(malformed=4, cameo_unmapped=2, no_action_country=1, unknown_fips=1, invalid_event=1)
    # none vanish: every row is an event, collapsed into one, or rejected
    assert result.imported + result.collapsed + result.rejected_total == result.rows == len(FIXTURE)
    assert len(events) == 22 and len(rejected) == 9


def test_ids_are_gdelt_globaleventids(day: tuple[list[dict[str, Any]], list[dict[str, Any]], GdeltResult]) -> None:
    events, _, _ = day
    in_file = {line.split("\t", 1)[0] for line in FIXTURE}
    for event in events:
        prefix, _, number = event["event_id"].partition("-")
        assert prefix == "GDELT" and number in in_file


def test_events_come_in_date_order(day: tuple[list[dict[str, Any]], list[dict[str, Any]], GdeltResult]) -> None:
    events, _, _ = day
    dates = [e["event_date"] for e in events]
    assert dates == sorted(dates)
    assert dates[:2] == ["2025-07-01", "2025-07-03"]  # both rows stand late in the file


def test_duplicates_collapse_into_the_first_id_with_every_url(day: tuple[list[dict[str, Any]], list[dict[str, Any]], GdeltResult]) -> None:
    events = by_id(day[0])
    kyiv = events["GDELT-1200000010"]
    assert "GDELT-1200000011" not in events and "GDELT-1200000012" not in events
    assert [s["url"] for s in kyiv["sources"]] == [
        "https://www.apnews.com/kyiv-attack", "https://www.reuters.com/kyiv-attack", "https://www.reuters.com/kyiv-attack-update",
    ]  # fmt: skip
    assert (kyiv["num_articles"], kyiv["num_mentions"], kyiv["avg_tone"]) == (30, 30, -7.0)  # tone weighted by articles
    assert "Collapsed from 3 GDELT events: 1200000010, 1200000011, 1200000012" in kyiv["notes"]
    # other roles, another day, a country-level place: not the same event
    assert {"GDELT-1200000013", "GDELT-1200000014", "GDELT-1200000015"} <= set(events)


def test_rows_map_to_the_model(day: tuple[list[dict[str, Any]], list[dict[str, Any]], GdeltResult]) -> None:
    e = by_id(day[0])
    drone = e["GDELT-1200000003"]
    assert (drone["event_type"], drone["sub_event_type"], drone["cameo_code"]) == ("Explosions/Remote violence", "Air/drone strike", "1952")
    assert "drone" in drone["tags"] and drone["location"] == "Izmail" and drone["admin1"] == "Odes'ka Oblast'"
    assert drone["distance_to_nato_km"] < 10  # Izmail faces Romania across the Danube
    assert (drone["initiator_side"], drone["target_side"], drone["country"]) == ("Russia", "Ukraine", "UKR")
    assert e["GDELT-1200000031"]["diplomatic_kind"] == "high_level_call"  # 042, both governments
    assert e["GDELT-1200000032"]["diplomatic_kind"] == "talks"  # 042, one side not a government
    assert (e["GDELT-1200000033"]["initiator_side"], e["GDELT-1200000033"]["diplomatic_status"]) == ("European Union", "imposed")
    assert e["GDELT-1200000034"]["diplomatic_status"] == "threatened"
    assert e["GDELT-1200000035"]["diplomatic_kind"] == "ceasefire_proposal"
    assert e["GDELT-1200000036"]["diplomatic_kind"] == "aid"
    assert e["GDELT-1200000005"]["civilian_targeting"] is True
    assert e["GDELT-1200000021"]["event_type"] == "Riots"
    assert e["GDELT-1200000004"]["country"] == "RUS"
    country_level = e["GDELT-1200000015"]
    assert country_level["geo_precision"] == 3 and "location" not in country_level and "distance_to_nato_km" not in country_level
    assert (e["GDELT-1200000002"]["goldstein"], e["GDELT-1200000002"]["avg_tone"]) == (-10.0, -6.5)


@pytest.mark.parametrize(
    ("place", "location", "admin1"),
    [("lutsk_general", "Lutsk", None), ("rzeszow_code", "Rzeszow", None), ("region_general", None, None), ("kyiv", "Kyiv", "Kyyiv, Misto")],
)
def test_gdelts_stand_ins_for_a_missing_adm1_name_are_not_regions(place: str, location: str | None, admin1: str | None) -> None:
    # Real exports write "Paris, France (general), France" or "Gdansk, (PL82), Poland" where the
    # gazetteer has no ADM1 name; both became admin1 before (seen in a real 15-minute file).
    values = gdelt.map_row(row(place=place).split("\t"), TABLES).values
    assert (values.get("location"), values.get("admin1")) == (location, admin1)


def test_sources_are_graded_low_by_number_of_sources(day: tuple[list[dict[str, Any]], list[dict[str, Any]], GdeltResult]) -> None:
    e = by_id(day[0])
    grades = {s["url"]: (s["name"], s["reliability"], s["credibility"]) for s in e["GDELT-1200000010"]["sources"]}
    assert grades["https://www.reuters.com/kyiv-attack"] == ("reuters.com", "E", 3)  # 12 sources
    assert grades["https://www.apnews.com/kyiv-attack"] == ("apnews.com", "E", 5)  # 2 sources
    assert e["GDELT-1200000002"]["sources"][0]["credibility"] == 4  # 4 sources
    assert all(s["reliability"] == "E" for ev in e.values() for s in ev["sources"])


def test_every_rejected_row_is_written_with_its_line_and_reason(day: tuple[list[dict[str, Any]], list[dict[str, Any]], GdeltResult]) -> None:
    rejected = {r["line"]: r for r in day[1]}
    assert sorted(rejected) == list(range(25, 34))
    assert rejected[25]["kind"] == "cameo_unmapped" and "CAMEO code 010" in rejected[25]["reasons"][0]
    assert rejected[27]["kind"] == "no_action_country"
    assert "'ZZ'" in rejected[28]["reasons"][0]
    assert "58 columns" in rejected[29]["reasons"][0]
    assert rejected[33]["kind"] == "invalid_event" and "latitude" in rejected[33]["reasons"][0]
    assert all(r["row"] == FIXTURE[r["line"] - 1] for r in day[1])


# --- other shapes ----------------------------------------------------------------------------


def test_a_header_line_and_crlf_line_ends_are_read(tmp_path: Path) -> None:
    events, rejected, result = run([FIXTURES / "with_header.tsv"])
    assert (result.rows, result.imported, rejected) == (5, 5, [])
    assert sorted(e["event_id"] for e in events) == [f"GDELT-120000000{i}" for i in range(1, 6)]


def test_a_header_with_the_wrong_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "v1.CSV"
    path.write_text("\t".join(COLUMNS[:58]) + "\n" + FIXTURE[0] + "\n", encoding="utf-8")
    with pytest.raises(EventError, match="E612"):
        run([path])


def test_a_zipped_export_reads_like_the_plain_file(tmp_path: Path, day: tuple[list[dict[str, Any]], list[dict[str, Any]], GdeltResult]) -> None:
    zipped = tmp_path / "20250704120000.export.CSV.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(DAY, "20250704120000.export.CSV")
    events, rejected, result = run([zipped])
    assert events == day[0]
    assert result.rows == 33 and rejected[0]["file"].endswith("20250704120000.export.CSV.zip:20250704120000.export.CSV")


def test_duplicates_collapse_across_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a.CSV", tmp_path / "b.CSV"
    kyiv = [line for line in FIXTURE if line.split("\t", 1)[0] in ("1200000010", "1200000011", "1200000012")]
    first.write_text(kyiv[2] + "\n", encoding="utf-8")
    second.write_text(kyiv[0] + "\n" + kyiv[1] + "\n", encoding="utf-8")
    events, _, result = run([first, second])
    assert [e["event_id"] for e in events] == ["GDELT-1200000010"] and result.collapsed == 2


# --- bounded memory --------------------------------------------------------------------------


def test_a_small_buffer_spills_sorted_runs_and_gives_the_same_events(day: tuple[list[dict[str, Any]], list[dict[str, Any]], GdeltResult]) -> None:
    events, rejected, result = run([DAY], buffer_rows=3)
    assert result.max_buffered <= 3 and result.runs_spilled >= 7
    assert events == day[0] and rejected == day[1]
    assert day[2].runs_spilled == 0  # the default buffer holds the fixture day in memory


def test_memory_stays_bounded_on_many_rows(tmp_path: Path) -> None:
    # 3,000 rows over 30 days in reverse order: the buffer never holds more than asked
    path = tmp_path / "many.CSV"
    lines = [row(1300000000 + i, day=f"202506{30 - i % 30:02d}", code="190", url=f"https://site{i % 7}.org/{i}", ActionGeo_FeatureID=str(i % 50)) for i in range(3000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    events, _, result = run([path], buffer_rows=250)
    assert result.max_buffered <= 250 and result.runs_spilled == 12
    assert [e["event_date"] for e in events] == sorted(e["event_date"] for e in events)
    assert result.imported == 150  # distinct (day, place) pairs: i mod 30 and i mod 50 repeat every 150
    assert result.imported + result.collapsed == 3000


# --- the command and what reads its output ---------------------------------------------------


def test_the_command_writes_events_rejects_and_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, rejects = tmp_path / "events.jsonl", tmp_path / "rejects.jsonl"
    assert main(["import", "gdelt", str(DAY), "-o", str(out), "--rejects", str(rejects)]) == 0
    err = capsys.readouterr().err
    assert "33 row(s) read from 1 file(s): 22 event(s) written (2 duplicate row(s) collapsed into 1 event(s)), 9 rejected" in err
    assert "malformed 4, cameo_unmapped 2" in err and "rows/s" in err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 22
    assert len(rejects.read_text(encoding="utf-8").splitlines()) == 9


def test_the_command_exits_1_when_every_row_is_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.CSV"
    bad.write_text(row(code="010") + "\n" + row(place="nowhere") + "\n", encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    assert main(["import", "gdelt", str(bad), "-o", str(tmp_path / "e.jsonl"), "--rejects", str(rejects)]) == 1
    assert "every row was rejected" in capsys.readouterr().err
    assert len(rejects.read_text(encoding="utf-8").splitlines()) == 2


def test_the_output_reads_as_events_and_scores_with_the_gdelt_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "events.jsonl"
    assert main(["import", "gdelt", str(DAY), "-o", str(out), "--rejects", str(tmp_path / "r.jsonl")]) == 0
    events = read_events([out])
    assert len(events) == 22
    capsys.readouterr()
    assert main(["score", str(out), "--rules", str(default_rules_dir()), "--rules", str(gdelt_rules_dir()), "--week", "2025-W27", "--format", "json"]) == 0
    printed = capsys.readouterr().out
    # the merged Kyiv report (tone -7.0 over 30 articles) and the mass killing (CAMEO 202)
    assert "gdelt-inv-hostile-coverage" in printed and "gdelt-ngo-mass-violence" in printed
    assert main(["backtest", str(out), "--from", "2025-W27", "--to", "2025-W27"]) == 0


# --- the pack stays opt-in -------------------------------------------------------------------


def test_the_default_bundle_does_not_load_the_gdelt_pack() -> None:
    default_ids = {r.id for r in load_rules().rules}
    gdelt_ids = {r.id for r in load_rules([gdelt_rules_dir()]).rules}
    assert gdelt_ids and all(i.startswith("gdelt-") for i in gdelt_ids)
    assert not default_ids & gdelt_ids


def test_the_wheel_ships_the_gdelt_pack_and_the_tables() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "riskengine._rules_gdelt" in config["packages"]
    assert config["package-dir"]["riskengine._rules_gdelt"] == "rules_gdelt"
    assert config["package-data"]["riskengine._rules_gdelt"] == ["*.yaml"]
    assert config["package-data"]["riskengine.ingest"] == ["*.yaml"]
    assert HEADER.count("\t") == 60
