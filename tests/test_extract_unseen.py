"""Issue #14: extraction that holds on articles it has never seen (dates from the text, one bad
article not stopping the rest, sentences across hard wraps, figures as reporters give them,
several events per article, sources naming the article)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from riskengine.cli.app import main
from riskengine.core.events import Event
from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.evaluate import evaluate
from riskengine.ingest.extract.text import parse_article

HERE = Path(__file__).parent / "extract"
DEV = sorted((HERE / "dev").iterdir())


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def events(extractor: Extractor, text: str, date: str | None = "2025-06-01") -> list[Event]:
    front = f"---\ndate: {date}\n---\n" if date else ""
    return [e.event for e in extractor.extract_text(front + text, "t.txt")]


@pytest.mark.parametrize(
    ("lead", "day"),
    [
        ("KYIV (Wire) - On Sunday, 1 June 2025, Russian drones struck Kharkiv.", dt.date(2025, 6, 1)),
        ("KYIV, June 1, 2025 - Russian drones struck Kharkiv.", dt.date(2025, 6, 1)),
        ("Published 2025-06-01. Russian drones struck Kharkiv.", dt.date(2025, 6, 1)),
    ],
)
def test_date_from_the_text_when_no_metadata(lead: str, day: dt.date) -> None:
    article = parse_article(lead + "\n")
    assert article.published == day and article.date_source == "text"


def test_front_matter_date_wins_and_a_yearless_date_dates_nothing() -> None:
    assert parse_article("---\ndate: 2025-06-03\n---\nOn 1 June 2025 drones struck Kharkiv.\n").published == dt.date(2025, 6, 3)
    assert parse_article("On 1 June drones struck Kharkiv.\n").published is None


def test_relative_dates(extractor: Extractor) -> None:
    # 2025-06-01 is a Sunday: "early on Sunday" is the report's own day, "yesterday" Saturday.
    (e,) = events(extractor, "Russian drones struck Kharkiv early on Sunday, killing two people.\n")
    assert e.event_date == dt.date(2025, 6, 1)
    (e,) = events(extractor, "Russian missiles struck Odesa yesterday, killing three people.\n")
    assert e.event_date == dt.date(2025, 5, 31)


def test_undated_article_does_not_stop_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    undated = tmp_path / "undated.txt"
    undated.write_text("Russian drones struck Kharkiv on Sunday, killing two people.\n")
    good = HERE / "dev" / "wire_dnipro_no_front.txt"  # dated by its dateline
    out = tmp_path / "events.jsonl"
    assert main(["extract", str(undated), str(good), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "E109" in err and "undated.txt" in err and not out.exists()
    assert main(["extract", str(undated), str(good), "-o", str(out), "--skip-invalid"]) == 0
    written = [Event.model_validate_json(line) for line in out.read_text().splitlines()]
    assert [e.location for e in written] == ["Dnipro"]


def test_sentences_survive_hard_wraps_and_abbreviations() -> None:
    text = (
        "Russia launched 25 Iranian-made\nShahed drones at Kharkiv, Gen. Oleksandr Syrskyi said at 7 a.m. on\n"
        "Sunday. The U.S. embassy issued\nan alert.\n\n- First item of a list\n- Second item.\n"
    )
    article = parse_article(text)
    got = [" ".join(article.text[s.start : s.end].split()) for s in article.sentences]
    assert got[:2] == [
        "Russia launched 25 Iranian-made Shahed drones at Kharkiv, Gen. Oleksandr Syrskyi said at 7 a.m. on Sunday.",
        "The U.S. embassy issued an alert.",
    ]
    assert got[2:] == ["First item of a list", "Second item."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia launched 25 Iranian-made Shahed drones at Kharkiv overnight, and air defences brought down 22 of them.", (25, 22)),
        ("The air force said it shot down 17 of 18 drones launched by Russia at Odesa overnight.", (18, 17)),
        ("Air defences destroyed 49 of 52 drones and missiles fired at Kyiv overnight.", (52, 49)),
        ("Russia attacked Dnipro with more than 40 drones overnight. The air force says 30 were shot down.", (40, 30)),
        ("Russia attacked Dnipro with dozens of drones overnight.", (12, None)),
    ],
)
def test_launched_and_intercepted_as_reporters_give_them(extractor: Extractor, text: str, expected: tuple[int, int | None]) -> None:
    (e,) = events(extractor, text + "\n")
    assert (e.drones_launched, e.drones_intercepted) == expected
    assert e.initiator_side == "Russia"


def test_several_events_and_sources_naming_the_article(extractor: Extractor) -> None:
    path = HERE / "dev" / "wire_kharkiv_wrapped.txt"
    found = extractor.extract_file(path, shown="wire_kharkiv_wrapped.txt")
    strike, talks = sorted((x.event for x in found), key=lambda e: e.event_type)
    assert (strike.location, strike.fatalities, strike.injured, strike.drones_launched, strike.drones_intercepted) == ("Kharkiv", 2, 14, 25, 22)
    assert (talks.diplomatic_kind, talks.diplomatic_status, talks.scheduled_date) == ("talks", "scheduled", dt.date(2025, 6, 2))
    source = strike.sources[0]
    assert source.title == "Drone barrage on Kharkiv kills two; talks set for Monday"
    assert source.url and source.date == dt.date(2025, 6, 1)
    text = path.read_text(encoding="utf-8")
    spans = {s.field: s for s in strike.spans or []}
    lead = text[spans["drones_intercepted"].start : spans["drones_intercepted"].end]
    assert lead.startswith("KYIV, June 1") and lead.endswith("air defences\nbrought down 22 of them, the air force said.")
    assert spans["drones_launched"].text.startswith("KYIV, June 1")


def test_development_set_scores() -> None:
    report = evaluate(HERE / "dev_gold.yaml", DEV)
    assert report.overall.f1 >= 0.95
