"""riskengine extract: output files, evaluation table, errors as exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskengine.cli.app import main
from riskengine.core.events import Event

HERE = Path(__file__).parent / "extract"
ARTICLES = sorted(str(p) for p in (HERE / "articles").iterdir())


def test_writes_events_and_provenance(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    assert main(["extract", *ARTICLES, "-o", str(out)]) == 0
    events = [Event.model_validate_json(line) for line in out.read_text().splitlines()]
    provenance = [json.loads(line) for line in (tmp_path / "events.jsonl.provenance.jsonl").read_text().splitlines()]
    # 17: wire_odesa's night tally is part of its Odesa strike (issue #14 convention), no longer
    # an event of its own.
    assert len(events) == len(provenance) == 17
    assert [p["event_id"] for p in provenance] == [e.event_id for e in events]
    assert events == sorted(events, key=lambda e: (e.event_date, e.country, e.event_id))


def test_output_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    main(["extract", *reversed(ARTICLES), "-o", str(a)])
    main(["extract", *ARTICLES, "-o", str(b)])
    assert a.read_text() == b.read_text()


def test_evaluate_prints_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--evaluate", str(HERE / "unseen_gold.yaml"), *ARTICLES]) == 0
    out = capsys.readouterr().out
    for name in ("event_type", "location", "country", "date", "killed", "injured", "launched", "intercepted", "overall"):
        assert f"\n{name} " in "\n" + out


def test_bad_article_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ndate: someday\n---\nText.\n")
    assert main(["extract", str(bad)]) == 1
    assert "bad.md:1:1: error[E108]" in capsys.readouterr().err


def test_missing_article_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(tmp_path / "nope.txt")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_article_without_gold_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--evaluate", str(HERE / "unseen_gold.yaml"), str(HERE / "heldout" / "broadcast.txt")]) == 1
    assert "no gold annotations" in capsys.readouterr().err


def test_evaluate_counts_an_unreadable_article_as_extracting_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Regression: one article without a date stopped the evaluation with E109, leaving the set
    # without a figure; its gold events are misses, and the table says why.
    undated = tmp_path / "undated.txt"
    undated.write_text("Drones hit Kyiv overnight, injuring two people.\n", encoding="utf-8")
    gold = tmp_path / "gold.yaml"
    gold.write_text("documents:\n  undated.txt:\n    - {kind: drone_strike, event_date: 2025-07-01, location: Kyiv, country: UKR, injured: 2}\n", encoding="utf-8")
    assert main(["extract", "--evaluate", str(gold), str(undated)]) == 0
    out = capsys.readouterr().out
    assert "overall       1.000  0.000  0.000     0    0    5" in out  # nothing predicted: precision 1 by convention
    assert "  undated.txt: nothing extracted: the article has no date" in out


def test_evaluate_shows_dates_as_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Regression (session 13 tour): mistakes read "event_date predicted datetime.date(2025, 3, 4)".
    article = tmp_path / "a.txt"
    article.write_text("---\ndate: 2025-03-05\n---\nA drone strike hit Sumy on Wednesday, killing two people.\n", encoding="utf-8")
    gold = tmp_path / "gold.yaml"
    gold.write_text(
        "documents:\n  a.txt:\n    - {kind: drone_strike, event_date: 2025-03-04, location: Sumy, country: UKR, fatalities: 2}\n",
        encoding="utf-8",
    )
    assert main(["extract", "--evaluate", str(gold), str(article)]) == 0
    out = capsys.readouterr().out
    assert "a.txt: drone_strike Sumy: event_date predicted 2025-03-05, gold 2025-03-04" in out
    assert "datetime" not in out


def test_an_empty_article_is_reported_as_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Regression (session 13 tour): an empty file was "has no date", and the summary read
    # "0 event(s) from the other 0 article(s)".
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    assert main(["extract", str(empty)]) == 1
    err = capsys.readouterr().err
    assert f"{empty}:1:1: error[E110] the article is empty (an empty file has no events to extract)" in err
    assert "E109" not in err and "the other 0 article(s)" not in err
