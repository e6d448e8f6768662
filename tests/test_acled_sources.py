"""What an ACLED row's sources vouch for: one outlet's report is a claim, two independent outlets
confirm, a party's own channel never corroborates (riskengine/ingest/acled/sources.py).
Rows written for the project in ACLED's format."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from riskengine.core.events import Event
from riskengine.ingest.acled import import_acled
from riskengine.scoring.scores import source_weight

HEADER = "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,inter1,actor2,inter2,iso,country,latitude,longitude,fatalities,notes,source,source_scale"


def _import(tmp_path: Path, source: str, scale: str = "National") -> dict:
    path = tmp_path / "x.csv"
    row = f'KEN90001,2024-02-16,2024,Battles,Armed clash,Military Forces of Kenya (2013-),1,Rebels,2,404,Kenya,-1.28,36.82,1,"Invented clash.","{source}",{scale}'
    path.write_text(HEADER + "\n" + row + "\n", encoding="utf-8")
    out = io.StringIO()
    import_acled(path, out)
    (event,) = map(json.loads, out.getvalue().splitlines())
    return dict(event)


def _verification(event: dict) -> dict:
    (how,) = [d for d in event.get("derived", []) if d["field"] == "verification"]
    return dict(how)


def test_one_outlet_is_a_claim_not_a_confirmation(tmp_path: Path) -> None:
    event = _import(tmp_path, "Daily Nation (Kenya)")
    assert event["verification"] == "claimed"
    assert event["sources"] == [{"name": "Daily Nation (Kenya)", "date": "2024-02-16", "reliability": "B", "credibility": 2}]
    how = _verification(event)
    assert how["value"] == "claimed" and "Daily Nation (Kenya)" in how["evidence"] and "1 independent outlet" in how["method"]


def test_two_distinct_outlets_confirm(tmp_path: Path) -> None:
    event = _import(tmp_path, "Daily Nation (Kenya); Star (Kenya)")
    assert event["verification"] == "confirmed"
    assert [s["credibility"] for s in event["sources"]] == [2, 2]  # the agreement is said once, by verification
    assert "outlets: Daily Nation (Kenya), Star (Kenya)" in _verification(event)["evidence"]


@pytest.mark.parametrize("source", ["Daily Nation (Kenya); daily nation (kenya)", "Daily Nation;Daily Nation ; "])
def test_one_outlet_named_twice_is_one(tmp_path: Path, source: str) -> None:
    event = _import(tmp_path, source)
    assert event["verification"] == "claimed" and len(event["sources"]) == 1


def test_a_party_channel_does_not_corroborate_and_is_graded_lower(tmp_path: Path) -> None:
    event = _import(tmp_path, "Ministry of Defence of Ukraine; Ukrinform", "National")
    assert event["verification"] == "claimed"
    grades = {s["name"]: s["credibility"] for s in event["sources"]}
    assert grades == {"Ministry of Defence of Ukraine": 3, "Ukrinform": 2}
    assert "party channels, which do not corroborate: Ministry of Defence of Ukraine" in _verification(event)["evidence"]
    # two independent outlets beside it still confirm the event
    assert _import(tmp_path, "DPR Armed Forces Press Service; Ukrinform; Suspilne Media")["verification"] == "confirmed"


def test_platforms_and_anonymous_sources_count_as_one(tmp_path: Path) -> None:
    assert _import(tmp_path, "Twitter; Telegram", "New media")["verification"] == "claimed"
    assert _import(tmp_path, "Local Source; Undisclosed Source")["verification"] == "claimed"
    assert _import(tmp_path, "Twitter; Quds News Network", "New media-National")["verification"] == "confirmed"


def test_a_row_naming_no_source_is_a_claim_of_acled_itself(tmp_path: Path) -> None:
    event = _import(tmp_path, "", "")
    assert event["verification"] == "claimed"
    assert event["sources"] == [{"name": "ACLED", "date": "2024-02-16", "reliability": "F", "credibility": 2}]
    assert _verification(event)["evidence"].startswith("source: (none)")


def test_corroboration_is_counted_once_in_the_weight(tmp_path: Path) -> None:
    # verification says the outlets agree; the weight combines them as it combines any two
    # reports (noisy-or), with their grades unchanged: B2 + B2 = 0.87, not B1 + B1 = 0.96
    one = Event.model_validate(_import(tmp_path, "Daily Nation (Kenya)"))
    two = Event.model_validate(_import(tmp_path, "Daily Nation (Kenya); Star (Kenya)"))
    assert (source_weight(one), source_weight(two)) == (0.64, 0.8704)


@pytest.mark.parametrize(
    ("scale", "reliability"),
    [
        # "national" is inside "subnational" (and "international"): a subnational outlet was graded
        # as a national one, B for C, on every Subnational row of real exports (session 15: 672 of
        # Ethiopia 1997-2020, 56 of DR Congo 2018)
        ("Subnational", "C"),
        ("Subnational-Regional", "C"),
        ("Subnational-National", "B"),
        ("International", "B"),
        ("National ", "B"),
        ("Local partner-Other", "C"),
        ("New media-Subnational", "C"),
        ("Other", "F"),
        ("Local", "C"),  # an older export's word (Mali 2017-19); graded F before
        ("Other-local", "C"),
        ("", "F"),
    ],
)
def test_each_part_of_the_source_scale_is_read_whole(tmp_path: Path, scale: str, reliability: str) -> None:
    event = _import(tmp_path, "Radio Okapi", scale)
    assert event["sources"][0]["reliability"] == reliability


def test_a_platform_is_new_media_whatever_the_rows_best_part(tmp_path: Path) -> None:
    # A row of "New media-National" names both kinds; the national outlet is B, Twitter and
    # WhatsApp are new media, D. Every name took the row's best part, so the Niger 2019-20 export's
    # briefs listed "Twitter (B2)" and "Whatsapp (B2)" beside RFI (session 15).
    event = _import(tmp_path, "RFI; Twitter; Whatsapp; Local Source", "New media-National")
    grades = {s["name"]: s["reliability"] for s in event["sources"]}
    assert grades == {"RFI": "B", "Twitter": "D", "Whatsapp": "D", "Local Source": "B"}
