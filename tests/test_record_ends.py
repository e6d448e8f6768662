"""A report of a week the events read stop inside says so (issue 15; brief23 on a real Bangladesh
export that ends on Monday 5 August 2024, the first day of 2024-W32, whose briefs read as if the
week were whole). The date is the latest of all events read, found on the reader's one pass,
whichever process reads; the briefs warn, and in the week's first half the bottom line says it.

The fixtures are the bundled sample (it ends on Friday 4 July 2025, the fifth day of 2025-W27)
cut at a chosen day, written to a temporary JSON Lines file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from riskengine import api
from riskengine.cli.app import main
from riskengine.core.windows import parse_week
from riskengine.scoring.pipeline import score_files
from riskengine.scoring.scores import ScoreReport

MONDAY = dt.date(2025, 6, 30)  # the first day of 2025-W27


def _cut(tmp_path: Path, last: dt.date, extra: dt.date | None = None) -> Path:
    """The sample's events up to ``last``; with ``extra``, one of them again (a new id) on that day."""
    events = [e for e in api.read_events() if e.event_date <= last]
    if extra is not None:
        events.append(events[-1].model_copy(update={"event_id": "late-one", "event_date": extra}))
    path = tmp_path / "events.jsonl"
    path.write_text("".join(e.model_dump_json() + "\n" for e in events), encoding="utf-8")
    return path


def _report(path: Path, week: str | None = "2025-W27", workers: int = 1) -> ScoreReport:
    pack = api.load_rules()
    window = parse_week(week) if week else None
    return score_files([path], pack, api.compile_pack(pack), window=window, workers=workers).report


def test_a_week_the_events_stop_on_its_monday_says_it_covers_one_day(tmp_path):
    report = _report(_cut(tmp_path, MONDAY))
    assert report.record_ends == MONDAY
    assert report.notes == [
        "the events read end on Monday 30 June 2025, the first day of 2025-W27: its counts and scores cover only that day, not the whole week"
    ]


def test_the_sample_ends_on_the_friday_of_2025_w27(tmp_path):
    # the bundled sample itself: its golden briefs carry the warning (not the bottom line)
    pack = api.load_rules()
    report = score_files(None, pack, api.compile_pack(pack), window=parse_week("2025-W27")).report
    assert report.record_ends == dt.date(2025, 7, 4)
    assert "the fifth day of 2025-W27: its counts and scores cover only its first five days" in report.notes[0]


def test_events_after_the_window_count_though_the_scorer_never_sees_them(tmp_path):
    # one event on the Tuesday of the next week: the record goes on past 2025-W27
    report = _report(_cut(tmp_path, MONDAY, extra=dt.date(2025, 7, 8)))
    assert report.record_ends is None and report.notes == []


def test_a_record_ending_on_the_last_day_of_the_week_is_no_news(tmp_path):
    report = _report(_cut(tmp_path, MONDAY, extra=dt.date(2025, 7, 6)))  # Sunday
    assert report.record_ends is None and report.notes == []


def test_events_read_into_memory_say_it_too(tmp_path):
    # score() over events in memory, and score_files' fallback when a record revises another
    events = [e for e in api.read_events() if e.event_date <= MONDAY]
    assert api.score(events, window="2025-W27").record_ends == MONDAY
    path = _cut(tmp_path, MONDAY)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[0]]) + "\n", encoding="utf-8")  # E412: read whole
    assert _report(path).record_ends == MONDAY


def test_a_reader_process_finds_the_same_date_and_the_same_bytes(tmp_path):
    path = _cut(tmp_path, MONDAY)
    one, two = _report(path, workers=1), _report(path, workers=2)
    assert two.record_ends == MONDAY
    assert one.model_dump_json() == two.model_dump_json()
    later = _cut(tmp_path, MONDAY, extra=dt.date(2025, 7, 8))
    assert _report(later, workers=2).record_ends is None


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_and_brief_say_it_to_the_user(tmp_path, capsys):
    path = str(_cut(tmp_path, MONDAY))
    code, out, err = run(capsys, "score", path, "--format", "table")
    assert code == 0, err
    assert "Note: the events read end on Monday 30 June 2025, the first day of 2025-W27" in out
    code, out, err = run(capsys, "score", path)  # JSON, the latest week by default
    assert code == 0, err
    assert ScoreReport.model_validate_json(out).record_ends == MONDAY
    assert "warning: the events read end on Monday 30 June 2025, the first day of 2025-W27" in err
    code, out, err = run(capsys, "brief", path, "--stakeholder", "ngo", "--format", "md", "--out", str(tmp_path / "briefs"))
    assert code == 0, err
    text = (tmp_path / "briefs" / "2025-W27-ngo.md").read_text(encoding="utf-8")
    assert (
        "> **Warning:** the events read end on Monday 30 June 2025, the first day of this week: "
        "its counts and scores cover only that day, not the whole week." in text
    )
    bluf = text.split("## Bottom line up front", 1)[1].split("##", 1)[0]
    assert "the events read end on Monday 30 June 2025, so this week's score covers only that day" in bluf


def test_a_week_read_mostly_keeps_its_bottom_line(tmp_path, capsys):
    # Thursday, the fourth of seven days: the warning says it, the bottom line does not
    path = str(_cut(tmp_path, dt.date(2025, 7, 3)))
    code, _out, err = run(capsys, "brief", path, "--stakeholder", "ngo", "--format", "md", "--out", str(tmp_path / "briefs"))
    assert code == 0, err
    text = (tmp_path / "briefs" / "2025-W27-ngo.md").read_text(encoding="utf-8")
    assert "the events read end on Thursday 3 July 2025, the fourth day of this week: its counts and scores cover only its first four days" in text
    assert "events read end" not in text.split("## Bottom line up front", 1)[1].split("##", 1)[0]


def test_the_event_store_gives_the_same_date(tmp_path, capsys):
    # score --store reads only the window's look-back: the date is the store's latest day
    db = str(tmp_path / "project.db")
    assert run(capsys, "ingest", "--store", db, str(_cut(tmp_path, MONDAY)))[0] == 0
    code, out, err = run(capsys, "score", "--store", db, "--week", "2025-W27")
    assert code == 0, err
    assert ScoreReport.model_validate_json(out).record_ends == MONDAY
    assert run(capsys, "ingest", "--store", db, str(_cut(tmp_path, MONDAY, extra=dt.date(2025, 7, 8))))[0] == 0
    code, out, err = run(capsys, "score", "--store", db, "--week", "2025-W27")
    assert code == 0, err
    assert ScoreReport.model_validate_json(out).record_ends is None
