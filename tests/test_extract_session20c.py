"""Session 20 (extract25, issue 14): the shapes blind24 showed, in our own wording (other places,
counts and outlets than the gold sets'); each test fails without its change."""

from __future__ import annotations

import datetime as dt

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
