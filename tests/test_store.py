"""The event store: revisions, counts, atomic files (also under kill -9), the same code on SQLite
and PostgreSQL, and the CLI reading the store where it read files."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from riskengine.cli.app import main
from riskengine.core.errors import EventError
from riskengine.store import Store, ingest_file, open_store
from riskengine.store.dialect import StoreError
from tests.pg_server import postgres_url

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample_events.yaml"
ACLED = ROOT / "tests" / "extract" / "acled_sample.csv"


def event(event_id: str, day: str = "2025-07-01", fatalities: int = 0) -> dict[str, object]:
    return {
        "event_id": event_id,
        "event_date": day,
        "event_type": "Battles",
        "country": "UKR",
        "fatalities": fatalities,
        "sources": [{"name": "Reuters", "reliability": "B", "credibility": 2}],
    }


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pg_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from postgres_url(tmp_path_factory.mktemp("pg"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        s = open_store(tmp_path / "store.db")
    else:
        url = request.getfixturevalue("pg_url")
        s = open_store(url)
        with s.write() as w:  # each test starts empty: the server is shared by the module
            for table in ("event_revisions", "events_latest", "ingests", "briefs", "alert_deliveries"):
                w.execute(f"DELETE FROM {table}")
    yield s
    s.close()


def test_new_revised_unchanged_with_every_revision_kept(store: Store, tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "w1.jsonl", [event("A"), event("B")])
    r1 = ingest_file(store, first, now="2025-07-07T06:00:00Z")
    assert r1.counts.as_dict() == {"new": 2, "revised": 0, "unchanged": 0, "rejected": 0}
    second = write_jsonl(tmp_path / "w2.jsonl", [event("A"), event("B", fatalities=3), event("C")])
    r2 = ingest_file(store, second, now="2025-07-14T06:00:00Z")
    assert r2.counts.as_dict() == {"new": 1, "revised": 1, "unchanged": 1, "rejected": 0}
    assert store.event_count() == 3 and store.revision_count() == 4
    revisions = store.revisions("B")
    assert [(r["revision"], r["arrived_at"], r["source_path"]) for r in revisions] == [
        (1, "2025-07-07T06:00:00Z", str(first)),
        (2, "2025-07-14T06:00:00Z", str(second)),
    ]
    assert revisions[1]["source_sha256"] == r2.sha256
    latest = {e.event_id: e for chunk in store.latest_events() for e in chunk}
    assert latest["B"].fatalities == 3
    assert [i["new"] for i in store.ingests()] == [2, 1]


def test_a_later_row_with_the_same_id_in_one_file_supersedes_the_earlier(store: Store, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "dup.jsonl", [event("A"), event("A", fatalities=5)])
    result = ingest_file(store, path)
    assert (result.counts.new, result.counts.revised) == (1, 1)
    assert next(store.latest_events())[0].fatalities == 5


def test_a_file_with_an_invalid_event_is_stored_not_at_all_or_without_it(store: Store, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [event("A"), {**event("B"), "fatalities": "many"}, event("C")])
    with pytest.raises(EventError) as caught:
        ingest_file(store, path)
    assert f"{path}:2:1: error[E204] events[event_id=B].fatalities" in caught.value.render()
    assert store.event_count() == 0 and store.ingests() == []
    result = ingest_file(store, path, skip_invalid=True)
    assert result.counts.as_dict() == {"new": 2, "revised": 0, "unchanged": 0, "rejected": 1}


def test_acled_exports_go_through_the_importer(store: Store) -> None:
    result = ingest_file(store, ACLED, skip_invalid=True)
    assert result.counts.new > 0 and store.event_count() == result.counts.new
    assert ingest_file(store, ACLED, skip_invalid=True).counts.unchanged == result.counts.new


def test_unsupported_urls_and_missing_folders_are_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unsupported store URL"):
        open_store("mysql://x/y")
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "no" / "such" / "store.db")


@pytest.mark.parametrize(
    "argv",
    [
        ["score", "--week", "2025-W27"],
        ["explain", "--stakeholder", "ngo", "--week", "2025-W27"],
        ["brief", "--week", "2025-W27", "--now", "2025-07-07T06:00:00Z"],
        ["backtest", "--from", "2025-W20", "--to", "2025-W27"],
        ["alerts", "--week", "2025-W27"],
        ["calibrate"],
        ["history"],
    ],
)
def test_a_command_that_reads_a_store_that_does_not_exist_fails_without_creating_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    # A mistyped --store made an empty store: score printed zeros ("very low") and exited 0,
    # brief recorded a brief as published in it. Only ingest creates a store.
    nope = tmp_path / "nope.db"
    extra = ["-o", str(tmp_path / "briefs")] if argv[0] == "brief" else []
    assert main([*argv, "--store", str(nope), *extra]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == f"error: no such store: {nope} (create it with: riskengine ingest --store PATH EVENTS...)"
    assert not nope.exists() and not (tmp_path / "briefs").exists()
    assert main(["ingest", "--store", str(nope), str(SAMPLE)]) == 0 and nope.exists()


def test_kill_9_in_the_middle_of_a_file_leaves_the_store_as_before_it(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    base = [sys.executable, "-m", "riskengine", "ingest", "--store", str(db)]
    subprocess.run([*base, str(SAMPLE)], check=True, capture_output=True, timeout=120)
    before = open_store(db)
    counts = (before.event_count(), before.revision_count(), len(before.ingests()))
    before.close()
    big = write_jsonl(tmp_path / "big.jsonl", [event(f"K{i}", fatalities=i % 7) for i in range(3000)])
    proc = subprocess.Popen([*base, str(big), "--chunk-size", "500", "--test-pause-after", "2000"], stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 120
        line = ""
        while "paused" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline()
        assert "paused after 2000 events" in line  # 2,000 rows written, transaction still open
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    after = open_store(db)
    try:
        assert (after.event_count(), after.revision_count(), len(after.ingests())) == counts
        result = ingest_file(after, big)  # and the store takes the file again afterwards
        assert result.counts.new == 3000
    finally:
        after.close()


def test_cli_ingest_reports_counts_and_fails_only_the_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    bad = write_jsonl(tmp_path / "bad.jsonl", [{**event("B"), "event_type": "Nope"}])
    code = main(["ingest", "--store", db, str(SAMPLE), str(bad), "--now", "2025-07-07T06:00:00Z", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1
    payload = json.loads(out)
    assert payload["total"] == {"new": 27, "revised": 0, "unchanged": 0, "rejected": 0}
    assert payload["failed"] == [str(bad)] and payload["arrived_at"] == "2025-07-07T06:00:00Z"
    assert f"{bad}:1:1: error[E2" in err and "not stored" in err
    assert main(["ingest", str(SAMPLE)]) == 2  # no store given
    assert "no store" in capsys.readouterr().err


def test_score_from_the_store_equals_score_from_the_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "s.db")
    assert main(["ingest", "--store", db, str(SAMPLE)]) == 0
    capsys.readouterr()
    common = ["--week", "2025-W27", "--now", "2025-07-07T06:00:00Z"]
    assert main(["score", str(SAMPLE), *common]) == 0
    from_files = capsys.readouterr().out
    assert main(["score", "--store", db, *common]) == 0
    assert capsys.readouterr().out == from_files
    monkeypatch.setenv("RISKENGINE_STORE", db)  # the variable, when no files are named
    assert main(["explain", "--stakeholder", "ngo", *common, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["contributions"]
    assert main(["score", "--store", db, str(SAMPLE)]) == 1  # both: which one was meant?
    assert "not both" in capsys.readouterr().err


def test_briefs_are_recorded_and_history_compares_with_what_was_sent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    assert main(["ingest", "--store", db, str(SAMPLE)]) == 0
    out = tmp_path / "briefs"
    for week, now in (("2025-W26", "2025-06-30T06:00:00Z"), ("2025-W27", "2025-07-07T06:00:00Z")):
        assert main(["brief", "--store", db, "--week", week, "--stakeholder", "ngo", "--format", "md", "--out", str(out), "--now", now]) == 0
    capsys.readouterr()
    assert main(["history", "--store", db, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["week"], r["stakeholder"], r["format"]) for r in rows] == [("2025-W26", "ngo", "md"), ("2025-W27", "ngo", "md")]
    import hashlib

    assert rows[1]["sha256"] == hashlib.sha256((out / "2025-W27-ngo.md").read_bytes()).hexdigest()
    assert rows[1]["published_at"] == "2025-07-07T06:00:00Z" and len(rows[1]["rule_pack"]) == 12
    assert rows[0]["previous_sent"] is None
    assert rows[1]["previous_sent"] == {"week": "2025-W26", "score": rows[0]["score"], "change": round(rows[1]["score"] - rows[0]["score"], 2)}
    assert main(["history", "--store", db]) == 0
    table = capsys.readouterr().out
    assert "2025-W27" in table and "vs 2025-W26" in table


def test_backtest_and_alerts_read_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    assert main(["ingest", "--store", db, str(SAMPLE)]) == 0
    capsys.readouterr()
    assert main(["backtest", str(SAMPLE), "--from", "2025-W20", "--to", "2025-W27"]) == 0
    from_files = capsys.readouterr().out
    assert main(["backtest", "--store", db, "--from", "2025-W20", "--to", "2025-W27"]) == 0
    assert capsys.readouterr().out == from_files
    assert main(["alerts", "--store", db, "--week", "2025-W27", "--format", "json"]) == 0
    alerts = json.loads(capsys.readouterr().out)["alerts"]
    assert "2025-W27:ngo:medium" in [a["id"] for a in alerts]


def _far_from_the_window() -> list[dict[str, object]]:
    """Events a score of 2025-W27 must not read (years before the pattern rules' reach, or after
    the window), and two it must, for the brief's watchlist, however old they are."""
    days = [f"20{year}-{month:02d}-{day:02d}" for year in (19, 20, 21, 22) for month in range(1, 13) for day in (3, 17)]
    before = [event(f"OLD-{n:03d}", days[n % len(days)], fatalities=n % 5) for n in range(300)]
    after = [event(f"NEW-{n:03d}", f"2026-0{1 + n % 9}-0{1 + n % 9}", fatalities=2) for n in range(100)]
    struck = {**event("OLD-TARGET", "2021-03-01"), "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
              "country": "RUS", "target_name": "KUPOL Electromechanical Plant"}  # fmt: skip
    talks = {**event("OLD-TALKS", "2021-06-01"), "event_type": "Strategic developments", "sub_event_type": "Agreement",
             "diplomatic_kind": "talks", "scheduled_date": "2025-07-10"}  # fmt: skip
    # in the alerts' look-back (79 weeks and 365 days before the week), not in the trend's
    middle = [event(f"MID-{n:03d}", f"2023-{3 + n % 9:02d}-{1 + n % 28:02d}", fatalities=n % 3) for n in range(40)]
    # a site struck in 2025-W26 and 364 days before: the first strike is a year before the week
    # before the window, and 359 days before the window (a score of the week must reach it)
    edge = [{**event(f"EDGE-{n}", day), "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
             "country": "RUS", "target_name": "Edge Works"} for n, day in ((1, "2024-06-26"), (2, "2025-06-25"))]  # fmt: skip
    return [*before, struck, talks, *middle, *edge, *after]


def test_a_week_reads_only_its_look_back_and_gives_what_the_files_give(store: Store, tmp_path: Path) -> None:
    from riskengine import api
    from riskengine.briefs.render import build_context, render_briefs
    from riskengine.core.windows import parse_week
    from riskengine.scoring.pipeline import score_dated

    sample = [e.model_dump(mode="json", exclude_none=True) for e in api.read_events([SAMPLE])]
    everything = sorted([*sample, *_far_from_the_window()], key=lambda e: (str(e["event_date"]), str(e["event_id"])))
    path = write_jsonl(tmp_path / "all.jsonl", everything)
    ingest_file(store, path)
    pack = api.load_rules()
    week = parse_week("2025-W27")
    with store.snapshot(chunk_size=7) as snapshot:  # small chunks: several of them cross the scorer
        stored = score_dated(snapshot, pack, api.compile_pack(pack), window=week, now="2025-07-07T06:00:00Z")
        read = snapshot.rows_read
    files = api.score_files([path], rules=pack, window=week, now="2025-07-07T06:00:00Z")
    assert stored.report.model_dump_json() == files.report.model_dump_json()
    # The sample's 27 events, the 40 of the alerts' look-back, the two old ones the watchlist
    # needs, the two strikes of 'Edge Works', and the in-window hits on their target once more:
    # not the 400 outside.
    assert len(everything) == 471 and read <= 27 + 40 + 2 + 2 + 3
    briefs = [b.text for b in render_briefs(stored.report, stored.events, formats=("md", "json"))]
    assert briefs == [b.text for b in render_briefs(files.report, files.events, formats=("md", "json"))]
    watchlist = build_context(stored.report, "ngo", stored.events).watchlist
    assert [t.event_id for t in watchlist.talks] == ["OLD-TALKS"]
    assert [(r.hits, r.recent_event_ids) for r in watchlist.repeat_targets] == [(3, ["OLD-TARGET", "RUS-S001", "RUS-S007"])]


def _brief_json(db: str, week: str, *extra: str) -> dict[str, object]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["brief", "--store", db, "--week", week, "--stakeholder", "ngo", "--format", "json", "--out", "-", "--now", "2025-07-07T06:00:00Z", *extra]) == 0
    return dict(json.loads(out.getvalue()))


def test_since_last_week_is_against_the_brief_sent_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    assert main(["ingest", "--store", db, str(SAMPLE)]) == 0
    unsent = _brief_json(db, "2025-W27")
    first = unsent["bluf"]
    assert isinstance(first, dict) and first["sentence"].endswith("Changes are against 2025-W26 as scored now (no 2025-W26 brief was published).")
    rescored_before = first["previous_score"]
    # the rest is the brief the files give, calibration (likelihood words from the weeks before) included
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["brief", str(SAMPLE), "--week", "2025-W27", "--stakeholder", "ngo", "--format", "json", "--out", "-", "--now", "2025-07-07T06:00:00Z"]) == 0
    from_files = json.loads(out.getvalue())
    assert first["sentence"] == from_files["bluf"]["sentence"] + " Changes are against 2025-W26 as scored now (no 2025-W26 brief was published)."
    assert {**unsent, "bluf": from_files["bluf"]} == from_files
    # publish 2025-W26, then add an event to that week: the brief of 2025-W27 compares with what was sent
    assert main(["brief", "--store", db, "--week", "2025-W26", "--stakeholder", "ngo", "--format", "md", "--out", str(tmp_path / "b"), "--now", "2025-06-30T06:00:00Z"]) == 0
    with open_store(db) as store:
        [sent] = store.briefs(stakeholder="ngo", week="2025-W26")
    shelling = {**event("LATE-1", "2025-06-25", fatalities=40), "event_type": "Violence against civilians", "sub_event_type": "Attack", "civilian_targeting": True}
    assert main(["ingest", "--store", db, str(write_jsonl(tmp_path / "late.jsonl", [shelling]))]) == 0
    capsys.readouterr()
    brief = _brief_json(db, "2025-W27")
    bluf, dimensions = brief["bluf"], brief["dimensions"]
    assert isinstance(bluf, dict) and isinstance(dimensions, list)
    assert bluf["previous_score"] == sent.score and bluf["change"] == round(bluf["score"] - sent.score, 2)
    assert {d["name"]: d["previous_score"] for d in dimensions} == sent.scores["dimensions"]
    assert "Changes are against the 2025-W26 brief as sent on 2025-06-30T06:00:00Z" in bluf["sentence"]
    rescored = api_score(db, "2025-W27").previous_score
    assert rescored != rescored_before  # the added event counts in 2025-W26 as scored now ...
    assert f"2025-W26 scores {rescored:.1f} now: its events were revised or added to since." in bluf["sentence"]
    # ... and a rule edit since is told apart from a change in the world
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    text = (rules / "ngo.yaml").read_text(encoding="utf-8")
    (rules / "ngo.yaml").write_text(text.replace("    points: 2\n", "    points: 6\n", 1), encoding="utf-8")
    edited = _brief_json(db, "2025-W27", "--rules", str(rules))["bluf"]
    assert isinstance(edited, dict) and edited["previous_score"] == sent.score
    assert f"The rule pack has changed since ({sent.rule_pack} then, " in edited["sentence"] and "comes from the new rules" in edited["sentence"]
    # without a store nothing changes: the golden briefs hold that in tests/test_briefs.py
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["brief", str(SAMPLE), "--week", "2025-W27", "--stakeholder", "ngo", "--format", "json", "--out", "-"]) == 0
    assert "Changes are against" not in out.getvalue()


def api_score(db: str, week: str) -> Any:
    from riskengine import api
    from riskengine.core.windows import parse_week
    from riskengine.scoring.pipeline import score_dated

    pack = api.load_rules()
    with open_store(db) as store, store.snapshot() as snapshot:
        return score_dated(snapshot, pack, api.compile_pack(pack), window=parse_week(week), stakeholders=["ngo"]).report.stakeholders[0]


def test_a_store_of_schema_1_gets_the_watchlist_columns_when_opened(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "old.db"
    with open_store(db) as store:
        ingest_file(store, SAMPLE)
    with sqlite3.connect(db) as conn:  # make it what riskengine wrote before schema 2
        for statement in ("DROP INDEX events_latest_target", "DROP INDEX events_latest_talks", "ALTER TABLE events_latest DROP COLUMN target_key",
                          "ALTER TABLE events_latest DROP COLUMN talks_on", "UPDATE meta SET value = '1' WHERE key = 'schema_version'"):  # fmt: skip
            conn.execute(statement)
    with open_store(db) as store:
        assert store.query("SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]
        keys = dict(store.query("SELECT event_id, target_key FROM events_latest WHERE target_key IS NOT NULL"))
        assert keys["RUS-S007"] == keys["RUS-S001"] == "kupol electromechanical plant"
        assert store.query("SELECT event_id, talks_on FROM events_latest WHERE talks_on IS NOT NULL") == [("TUR-S002", "2025-06-02")]
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 7"):
        open_store(db)


def test_weekly_totals_kept_in_the_store_stand_in_for_weeks_no_event_changed(store: Store, tmp_path: Path) -> None:
    from riskengine import api
    from riskengine.core.windows import parse_week
    from riskengine.scoring.pipeline import score_dated

    sample = [e.model_dump(mode="json", exclude_none=True) for e in api.read_events([SAMPLE])]
    feed = sorted([*sample, *_far_from_the_window()], key=lambda e: (str(e["event_date"]), str(e["event_id"])))
    ingest_file(store, write_jsonl(tmp_path / "all.jsonl", feed))
    pack = api.load_rules()
    week = parse_week("2025-W27")

    def stored(rules: Any = pack) -> tuple[str, int]:
        with store.snapshot() as snapshot:
            report = score_dated(snapshot, rules, api.compile_pack(rules), window=week, now="x", periods=snapshot).report
            return report.model_dump_json(), snapshot.rows_read

    def from_files(rules: Any = pack) -> str:
        return api.score_files([tmp_path / "all.jsonl"], rules=rules, window=week, now="x").report.model_dump_json()

    cold, read_cold = stored()
    assert cold == from_files()
    warm, read_warm = stored()  # every week kept: scoring starts at the trend's first week, a year of look-back
    assert warm == cold and read_warm <= read_cold - 40
    # a revised event of 2025-05-30 changes the trend from its week on: those weeks are scored again
    feed = [{**e, "fatalities": 30} if e["event_id"] == "UKR-S001" else e for e in feed]
    ingest_file(store, write_jsonl(tmp_path / "all.jsonl", feed))
    revised, read_revised = stored()
    assert revised == from_files() and revised != cold and read_warm <= read_revised < read_cold
    # one of 2023 may change every week after it (as a leg of a year-long pattern): all again
    feed = [{**e, "fatalities": 9} if e["event_id"] == "MID-007" else e for e in feed]
    ingest_file(store, write_jsonl(tmp_path / "all.jsonl", feed))
    assert stored() == (from_files(), read_cold)
    # an event added to the window leaves the weeks before it as they were
    late = {**event("LATE-1", "2025-07-02", fatalities=12), "event_type": "Violence against civilians", "sub_event_type": "Attack"}
    feed = sorted([*feed, late], key=lambda e: (str(e["event_date"]), str(e["event_id"])))
    ingest_file(store, write_jsonl(tmp_path / "all.jsonl", feed))
    added, read_added = stored()
    assert added == from_files() and read_added == read_warm + 1
    # another rule pack (or riskengine version) does not use these totals
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "ngo.yaml").write_text((rules / "ngo.yaml").read_text(encoding="utf-8").replace("    points: 2\n", "    points: 6\n", 1), encoding="utf-8")
    edited = api.load_rules([rules])
    other, read_other = stored(edited)
    assert other == from_files(edited) and read_other == read_cold + 1
