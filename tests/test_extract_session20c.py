"""Session 20 (extract25, issue 14): the shapes blind24 showed, in our own wording (other places,
counts and outlets than the gold sets'); each test fails without its change."""

from __future__ import annotations

import datetime as dt

import pytest

from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.evaluate import Report, gold_view, score_document


def _pred(location: str | None, admin1: str | None, region_level: bool) -> dict[str, object]:
    view: dict[str, object] = {"kind": "interception", "country": "RUS", "event_date": dt.date(2025, 3, 4), "location": location or admin1}
    if region_level:
        view["region_level"] = True
    return view


def _location_tp(pred: dict[str, object], gold: dict[str, object]) -> int:
    report = Report()
    score_document("a.txt", [pred], [gold], report)
    return report.fields["location"].tp


def test_a_region_named_with_its_word_is_the_region_the_extractor_placed() -> None:
    gold = {"kind": "interception", "country": "RUS", "event_date": "2025-03-04", "location": "Voronezh region"}
    assert _location_tp(_pred(None, "Voronezh", True), gold) == 1


def test_the_regions_town_is_not_the_region() -> None:
    gold = {"kind": "interception", "country": "RUS", "event_date": "2025-03-04", "location": "Voronezh region"}
    assert _location_tp(_pred("Voronezh", "Voronezh", False), gold) == 0


def test_a_gold_placed_only_by_admin1_is_read_as_its_location() -> None:
    gold = {"kind": "interception", "country": "RUS", "event_date": "2025-03-04", "admin1": "Lipetsk oblast"}
    assert "location" in gold_view(gold)
    assert _location_tp(_pred(None, "Lipetsk", True), gold) == 1


# --- tolls in a digest's or a daily's wording, a bus bombing, a year-old attack retold ---

HEAD = "---\ndate: 2025-10-08\n---\nDAILY REPORT\n\nThe province was tense.\n\n"


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor(detector=False)  # the patterns' own reading


def _events(ex: Extractor, text: str) -> list[tuple[str, str | None, str, int | None]]:
    return [
        (e.provenance["kind"], e.event.location, e.event.event_date.isoformat(), e.event.fatalities if "fatalities" in e.provenance["fields"] else None)
        for e in ex.extract_text(HEAD + text + "\n", "t.txt")
    ]


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # a share of people not counted before, after the casualty verb
        ("On Tuesday, gunmen stopped a van near Khuzdar, took the travellers' papers and shot dead five of them.", 5),
        ("On Tuesday, gunmen gunned down four herders near Khuzdar.", 4),
        # one person a digest names by a role the person list lacked
        ("Gunmen raided a chapel in Kagara town on Tuesday, killing one worshipper and abducting nine others.", 1),
        ("A missile hit the port of Berdiansk on Tuesday, killing a 61-year-old crane operator.", 1),
        # a dash's aside between the count and its verb
        ("On Tuesday a jet bombed a clinic in Ye Oo village. Four people - three nurses and a patient - were killed, residents said.", 4),
    ],
)
def test_tolls_in_a_digests_wording(rules: Extractor, text: str, killed: int) -> None:
    assert [e[3] for e in _events(rules, text)] == [killed]


def test_a_part_of_people_counted_before_is_no_toll(rules: Extractor) -> None:
    events = _events(rules, "On Tuesday a drone hit a bus in Kherson, killing three passengers; two of them were children.")
    assert [e[3] for e in events] == [3]


def test_a_bomb_that_ripped_through_a_bus_is_a_remote_strike(rules: Extractor) -> None:
    events = _events(rules, "A bomb ripped through a minibus on the outskirts of Khuzdar on Tuesday, killing six passengers.")
    assert [(e[0], e[1], e[3]) for e in events] == [("remote_strike", "Khuzdar", 6)]


def test_a_month_of_last_year_is_background(rules: Extractor) -> None:
    # the report's own month, a year earlier: no event dated today
    assert _events(rules, "In October last year, a suicide bombing at the Khuzdar bus station killed 14 people.") == []
