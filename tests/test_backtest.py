"""The backtest: weekly series that agree with ``score --week`` week by week, whatever the chunking,
the input order (within the reorder window) or the number of processes; streaming, deterministic
output, and clear errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import pytest

from riskengine import api
from riskengine.cli.app import main
from riskengine.core.errors import InputError
from riskengine.core.events import Event
from riskengine.core.windows import parse_week, week_of
from riskengine.ingest.event_files import write_events_jsonl
from riskengine.scoring import backtest as backtest_module
from riskengine.scoring.backtest import (
    CSV_HEADER,
    BacktestResult,
    backtest_files,
    choose_workers,
    run_backtest,
    to_csv_rows,
    to_json_data,
)
from riskengine.scoring.contributions import check_stakeholders


@pytest.fixture(scope="module")
def pack():
    return api.load_rules()


@pytest.fixture(scope="module")
def compiled(pack):
    return api.compile_pack(pack)


@pytest.fixture(scope="module")
def events() -> list[Event]:
    return api.read_events()


def _weeks(events: list[Event]) -> tuple[str, str]:
    days = sorted(e.event_date for e in events)
    return week_of(days[0]).label, week_of(days[-1]).label


def _chunks(events: list[Event], size: int) -> list[list[Event]]:
    return [events[i : i + size] for i in range(0, len(events), size)]


def _run(pack, compiled, events, first, last, *, size=5000, **kw) -> BacktestResult:
    return run_backtest(_chunks(events, size), pack, compiled, first=parse_week(first), last=parse_week(last), chunk_size=size, **kw)


def _series(result: BacktestResult) -> dict[tuple[str, str], tuple]:
    return {
        (s.stakeholder, p.week): (p.score, p.score_class, tuple((d.dimension, d.score, d.weighted_points) for d in p.dimensions))
        for s in result.series
        for p in s.weeks
    }


@pytest.fixture(scope="module")
def full(pack, compiled, events) -> BacktestResult:
    first, last = _weeks(events)
    return _run(pack, compiled, sorted(events, key=lambda e: e.event_date), first, last, workers=1)


def test_every_week_matches_score_week(pack, events, full):
    """The point of the module: the series is ``riskengine score --week`` for every week."""
    checked = 0
    series = {s.stakeholder: {p.week: p for p in s.weeks} for s in full.series}
    for label in sorted({week_of(e.event_date).label for e in events}):
        report = api.score(events, rules=pack, window=label)
        for expected in report.stakeholders:
            got = series[expected.stakeholder][label]
            assert got.score == expected.score, (expected.stakeholder, label)
            assert got.score_class == expected.score_class
            assert [(d.dimension, d.score, d.weighted_points) for d in got.dimensions] == [
                (d.dimension, d.score, d.weighted_points) for d in expected.dimensions
            ], (expected.stakeholder, label)
            assert got.firings == len(expected.contributions)
            assert got.events == report.events_in_window
            checked += 1
    assert checked >= 4 * 6
    # the sample is busy enough for the comparison to mean something (saturation is set on full
    # ACLED feeds, so the sample's handful of events a week scores low, but not nothing)
    assert any(p.score > 1 for s in full.series for p in s.weeks)
    assert any(d.weighted_points > 10 for s in full.series for p in s.weeks for d in p.dimensions)


def test_a_pattern_reaching_back_before_the_first_week_still_counts(pack, compiled, events, full):
    # Kupol was struck in November 2024 and again in July 2025: a repeat-strike rule completes in
    # 2025-W27 with a leg seven months before the first week asked for.
    short = _run(pack, compiled, sorted(events, key=lambda e: e.event_date), "2025-W27", "2025-W27", workers=1)
    assert _series(short) == {k: v for k, v in _series(full).items() if k[1] == "2025-W27"}
    assert short.events_read == len(events)
    assert short.events_scored == sum(1 for e in events if week_of(e.event_date).label == "2025-W27")


@pytest.mark.parametrize("size", [1, 2, 7, 64])
def test_chunk_size_does_not_change_the_series(pack, compiled, events, full, size):
    first, last = full.first_week, full.last_week
    got = _run(pack, compiled, sorted(events, key=lambda e: e.event_date), first, last, size=size, workers=1)
    assert _series(got) == _series(full)
    assert got.firings == full.firings


def test_order_within_the_reorder_window_does_not_matter(pack, compiled, events, full):
    shuffled = list(events)
    random.Random(4).shuffle(shuffled)
    # the sample spans months: let everything be reordered
    got = _run(pack, compiled, shuffled, full.first_week, full.last_week, reorder_days=400, workers=1)
    assert _series(got) == _series(full)


def test_an_event_older_than_the_reorder_window_is_an_error(pack, compiled, events):
    late = sorted(events, key=lambda e: e.event_date, reverse=True)
    with pytest.raises(InputError) as caught:
        _run(pack, compiled, late, "2024-W46", "2025-W27", reorder_days=3, size=1, workers=1)
    issue = caught.value.issues[0]
    assert issue.code == "E410"
    assert "days later" in issue.message and "--reorder-days" in (issue.hint or "")


def test_an_event_twice_is_an_error(pack, compiled, events):
    twice = sorted(events + events[:1], key=lambda e: e.event_date)
    with pytest.raises(InputError) as caught:
        _run(pack, compiled, twice, "2024-W46", "2025-W27", workers=1)
    assert caught.value.issues[0].code == "E411"


def test_events_after_the_last_week_are_not_read_into_any_score(pack, compiled, events):
    early = _run(pack, compiled, sorted(events, key=lambda e: e.event_date), "2025-W22", "2025-W26", workers=1)
    full_run = _run(pack, compiled, sorted(events, key=lambda e: e.event_date), "2025-W22", "2025-W27", workers=1)
    assert _series(early) == {k: v for k, v in _series(full_run).items() if k[1] != "2025-W27"}


def test_one_stakeholder(pack, compiled, events, full):
    got = _run(pack, compiled, sorted(events, key=lambda e: e.event_date), full.first_week, full.last_week, stakeholders=["ngo"], workers=1)
    assert [s.stakeholder for s in got.series] == ["ngo"]
    assert _series(got) == {k: v for k, v in _series(full).items() if k[0] == "ngo"}


def test_weeks_without_events_are_listed_with_zero(full):
    weeks = [p.week for p in full.series[0].weeks]
    assert weeks[0] == full.first_week and weeks[-1] == full.last_week
    assert len(weeks) == len(set(weeks)) > 30  # November 2024 to July 2025, every week
    quiet = [p for p in full.series[0].weeks if p.events == 0]
    assert quiet and all(p.score == 0 and p.firings == 0 for p in quiet)


def test_memory_holds_only_the_pattern_horizon(pack, compiled, tmp_path):
    """Records of matched events are dropped once no pattern can reach them: over four years of
    events only about the longest pattern window's worth is held at the end."""
    base = dt.date(2021, 1, 4)
    events = [
        Event(
            event_id=f"E{i}",
            event_date=base + dt.timedelta(days=i // 2),
            event_type="Explosions/Remote violence",
            country="UKR",
            target_name=f"Site {i % 5}",
            location=f"Town {i % 5}",  # the repeat-strike rules pair a target at one place
            initiator_side="Russia",
            target_side="Ukraine",
            sources=[{"name": "Reuters", "reliability": "A", "credibility": 2}],
        )
        for i in range(2 * 4 * 365)
    ]
    result = _run(pack, compiled, events, "2021-W01", "2024-W52", size=100, workers=1)
    horizon = max(r.window_days or 0 for r in compiled.pattern_rules)
    assert result.stats["records_retained"] <= 2 * (horizon + 2) + 100
    assert result.stats["records_retained"] < len(events) / 3
    assert result.firings > len(events)  # the repeat-strike and retaliation rules did fire


def test_csv_and_json_are_deterministic_and_complete(full):
    rows = list(to_csv_rows(full))
    assert rows[0] == CSV_HEADER
    weeks = len(full.series[0].weeks)
    per_week = sum(len(s.weeks[0].dimensions) + 1 for s in full.series)
    assert len(rows) == 1 + weeks * per_week
    overall = [r for r in rows[1:] if r[3] == "overall"]
    assert len(overall) == weeks * len(full.series)
    data = to_json_data(full)
    assert json.dumps(data, sort_keys=True) == json.dumps(to_json_data(full), sort_keys=True)
    assert [s["stakeholder"] for s in data["stakeholders"]] == ["investor", "government", "ngo", "analyst"]
    week = data["stakeholders"][0]["weeks"][0]
    assert set(week) == {"week", "start", "events", "firings", "score", "score_class", "dimensions"}


def test_cli_writes_csv_to_stdout_without_progress_when_not_a_terminal(capsys, events):
    first, last = _weeks(events)
    assert main(["backtest", "--from", first, "--to", last, "--stakeholder", "ngo", "--workers", "1"]) == 0
    out, err = capsys.readouterr()
    assert err == ""  # no progress bar, no notes: stderr is not a terminal here
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == list(CSV_HEADER)
    assert {r[2] for r in rows[1:]} == {"ngo"}
    assert main(["backtest", "--from", first, "--to", last, "--stakeholder", "ngo", "--workers", "1"]) == 0
    assert capsys.readouterr().out == out


def test_cli_json_to_a_file_from_a_jsonl_feed(tmp_path, capsys, events):
    feed = tmp_path / "feed.jsonl"
    write_events_jsonl(feed, sorted(events, key=lambda e: e.event_date))
    out = tmp_path / "series.json"
    assert main(["backtest", str(feed), "--from", "2025-W26", "--to", "2025-W27", "--format", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["from"] == "2025-W26" and data["to"] == "2025-W27"
    assert [len(s["weeks"]) for s in data["stakeholders"]] == [2, 2, 2, 2]
    assert "wrote" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, code, message",
    [
        # bad input, exit 1 and E402 as score says it (it was a usage error here, exit 2)
        (["--from", "2025-W27", "--to", "2025-W20"], 1, "--to: error[E402] --to 2025-W20 is before --from 2025-W27\n"),
        (["--from", "2025-W99", "--to", "2025-W27"], 1, "--from: error[E401] 2025 has no week 99 (ISO years have 52 or 53 weeks)\n"),
        (["--from", "last week", "--to", "2025-W27"], 1, "--from: error[E401] 'last week' is not an ISO week"),
        # 0 was the default's sentinel: an explicit 0 was taken silently as "choose for me"
        (["--from", "2025-W20", "--to", "2025-W27", "--workers", "0"], 2, "--workers must be at least 1"),
        (["--from", "2025-W20"], 2, "--to"),
        (["--from", "2025-W20", "--to", "2025-W27", "--reorder-days", "-1"], 2, "--reorder-days"),
    ],
)
def test_cli_usage_and_input_errors(capsys, argv, code, message):
    assert main(["backtest", *argv]) == code
    assert message in capsys.readouterr().err


def test_cli_reports_bad_events_with_their_place(tmp_path, capsys):
    feed = tmp_path / "bad.jsonl"
    feed.write_text('{"event_id": "X1", "event_date": "2025-07-01", "event_type": "Battles", "country": "UKR", "fatalities": "many", "sources": [{"name": "a"}]}\n')
    assert main(["backtest", str(feed), "--from", "2025-W26", "--to", "2025-W27"]) == 1
    err = capsys.readouterr().err
    assert "bad.jsonl:1:" in err and "fatalities" in err


def test_workers_are_chosen_by_input_size(tmp_path):
    small = tmp_path / "small.jsonl"
    small.write_text("{}\n")
    assert choose_workers([small], None) == 1
    assert choose_workers([small], 2) == 2
    assert choose_workers([tmp_path / "missing.jsonl"], None) == 1


def test_backtest_files_defaults_to_the_bundled_sample(full):
    got = backtest_files(None, first=parse_week(full.first_week), last=parse_week(full.last_week), workers=1)
    assert _series(got) == _series(full)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_on_a_terminal(monkeypatch, capsys, events):
    first, last = _weeks(events)
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr("time.monotonic", iter(range(0, 10_000, 1)).__next__)  # every update redraws
    assert main(["backtest", "--from", first, "--to", last, "--stakeholder", "ngo", "--workers", "1", "--chunk-size", "5"]) == 0
    drawn = terminal.getvalue()
    assert "[" in drawn and "%" in drawn and "events" in drawn and "firings" in drawn
    assert drawn.endswith("\r")  # the bar is wiped before the output
    assert capsys.readouterr().out.startswith("week,")


# ---------------------------------------------------------------------------------------------
# On Dask: time partitions on worker processes (riskengine.scoring.partition), here on a local
# cluster started once for the module; the same bytes as one process.


@pytest.fixture(scope="module")
def scheduler():
    pytest.importorskip("distributed")
    from riskengine.scoring.distributed import client_for

    with client_for(2, None) as client:
        yield client.scheduler.address


def _feed(tmp_path: Path, n: int, seed: int) -> Path:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate  # the benchmark's realistic feed

    return generate.write_jsonl(tmp_path / f"feed-{n}-{seed}.jsonl", n, seed=seed)


def _where(how: str, scheduler: str) -> dict:
    """One process, or the cluster with blocks small enough that a small feed has several."""
    return {"workers": 1} if how == "one" else {"scheduler": scheduler, "block_bytes": 40_000}


@pytest.mark.parametrize("chunk_size", [5000, 97])
def test_dask_gives_the_one_process_series(tmp_path, scheduler, chunk_size):
    feed = _feed(tmp_path, 4000, seed=3)
    first, last = parse_week("2022-W10"), parse_week("2025-W27")
    one = backtest_files([feed], first=first, last=last, workers=1, chunk_size=chunk_size)
    two = backtest_files([feed], first=first, last=last, scheduler=scheduler, chunk_size=chunk_size, block_bytes=300_000)
    assert two.stats["partitions"] > 3 and "partitions" not in one.stats
    assert one.firings > 4000  # the feed makes the pattern rules fire across chunk edges
    assert (two.events_read, two.events_scored, two.firings) == (one.events_read, one.events_scored, one.firings)
    assert list(to_csv_rows(two)) == list(to_csv_rows(one))


def test_dask_reports_what_was_rejected_as_one_process_does(tmp_path, scheduler):
    feed = _feed(tmp_path, 300, seed=4)
    lines = feed.read_text().splitlines()
    lines[10] = lines[10].replace('"country":"', '"country":"x')
    feed.write_text("\n".join(lines) + "\n")
    first, last = parse_week("2022-W10"), parse_week("2025-W27")
    reports = []
    for how in ("one", "dask"):
        from riskengine.ingest.event_files import ReadReport

        report = ReadReport()
        rejects = tmp_path / f"rejects-{how}.jsonl"
        backtest_files([feed], first=first, last=last, skip_invalid=True, rejects=rejects, report=report, **_where(how, scheduler))
        reports.append((report.records, report.accepted, report.rejected, [str(i) for i in report.issues], rejects.read_text()))
    assert reports[0] == reports[1]
    assert reports[0][2] == 1


@pytest.mark.parametrize("how", ["one", "dask"])
def test_errors_of_the_reader_are_the_same_on_dask(tmp_path, scheduler, how):
    feed = _feed(tmp_path, 300, seed=5)
    lines = feed.read_text().splitlines()
    late = lines.pop(5)
    bad = tmp_path / "late.jsonl"
    bad.write_text("\n".join([*lines, late]) + "\n")
    # a file out of order is sorted rather than refused (issue #13); on Dask, the partitions
    # are planned again from the days each block was found to hold
    got = backtest_files([bad], first=parse_week("2022-W10"), last=parse_week("2025-W27"), reorder_days=3, chunk_size=50, **_where(how, scheduler))
    assert got.stats["sorted" if how == "one" else "replanned"] == 1
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([*lines[:3], '{"event_id": 5}', *lines[3:]]) + "\n")
    with pytest.raises(InputError) as caught:
        backtest_files([broken], first=parse_week("2022-W10"), last=parse_week("2025-W27"), **_where(how, scheduler))
    assert str(caught.value.issues[0].location).startswith(f"{broken}:4:1") or caught.value.issues[0].location.line == 4
    twice = tmp_path / "twice.jsonl"
    twice.write_text("\n".join([*lines[:40], lines[37], *lines[40:]]) + "\n")
    with pytest.raises(InputError) as caught:
        backtest_files([twice], first=parse_week("2022-W10"), last=parse_week("2025-W27"), chunk_size=50, **_where(how, scheduler))
    assert [i.code for i in caught.value.issues] == ["E411"]


def test_a_caller_that_stops_early_stops_the_reader():
    import time

    from riskengine.scoring.parallel import produced_elsewhere

    items = produced_elsewhere(_count_forever, (3,))
    assert [next(items) for _ in range(3)] == [3, 4, 5]
    started = time.monotonic()
    items.close()  # closes the pipe: the child's next send fails and it exits
    # at once: a child that kept the caller's end of the pipe open blocked until killed after 5 s
    assert time.monotonic() - started < 3


def _count_forever(start: int):
    n = start
    while True:
        yield n
        n += 1


# Held by another thread of the caller while the reader process starts. A child forked from the
# caller inherits it held, by a thread that does not exist there: the child hangs on the first
# lock of the kind (logging's, the allocator's, a C extension's) and the command with it.
_HELD = threading.Lock()


def _lock_is_free():
    yield _HELD.acquire(timeout=2)  # a child forked while the lock was held waits in vain


def test_the_reader_inherits_no_lock_another_thread_of_the_caller_holds():
    from riskengine.scoring.parallel import produced_elsewhere

    release = threading.Event()

    def hold() -> None:
        with _HELD:
            release.wait(30)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    try:
        assert list(produced_elsewhere(_lock_is_free, ())) == [True]
    finally:
        release.set()
        holder.join()


@pytest.mark.skipif(sys.version_info < (3, 12), reason="Python 3.12 began to warn of a fork with threads alive")
def test_no_fork_with_threads_alive_is_warned_of():
    # pytest's own run has Dask's threads alive when this file's cluster has started, as a
    # backtest that went back from Dask to one process does; one more thread makes sure
    from riskengine.scoring.parallel import produced_elsewhere

    release = threading.Event()
    other = threading.Thread(target=release.wait, args=(30,), daemon=True)
    other.start()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert list(produced_elsewhere(_count_to, (3,))) == [0, 1, 2]
    finally:
        release.set()
        other.join()
    assert [str(w.message) for w in caught if "fork" in str(w.message)] == []


def _count_to(n: int):
    yield from range(n)


def test_the_fork_server_preloads_the_reader_only_where_it_would_import_this_riskengine(tmp_path):
    # Python 3.11-3.13's fork server imports from the current folder, then PYTHONPATH, whatever
    # the caller's path: another checkout there must not be what the reader runs
    from riskengine.scoring.parallel import server_imports_ours

    ours = Path(__file__).resolve().parent.parent
    other = tmp_path / "checkout"
    (other / "riskengine").mkdir(parents=True)
    (other / "riskengine" / "__init__.py").write_text("", encoding="utf-8")
    assert server_imports_ours(ours, "")
    assert server_imports_ours(tmp_path, str(ours))
    assert not server_imports_ours(other, str(ours))
    assert not server_imports_ours(tmp_path, os.pathsep.join([str(other), str(ours)]))
    # Dask's workers are forked from the same server: its riskengine modules go the same way
    pytest.importorskip("distributed")
    from riskengine.scoring.distributed import _forkserver_preload

    assert "riskengine.scoring.partition" in _forkserver_preload(ours, "")
    assert _forkserver_preload(other, str(ours)) == ["distributed"]


def test_a_script_without_a_main_guard_starts_the_reader_once(tmp_path):
    # the reader process is not forked: a child that ran the caller's script again (as a
    # spawned one does, to find what it defines) would print twice and start a reader of its own
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from riskengine.scoring.parallel import produced_elsewhere\n"
        "print('started', flush=True)\n"
        "print(list(produced_elsewhere(range, (3,))), flush=True)\n",
        encoding="utf-8",
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True, timeout=120, check=False
    )
    assert (done.returncode, done.stdout) == (0, "started\n[0, 1, 2]\n"), done.stderr[-2000:]


def test_the_order_of_events_within_a_day_changes_no_score(tmp_path):
    # the reader keeps a day's events in input order (it no longer sorts them by id): reversing
    # every day of a dense feed, in chunks that cut days in two, must give the same series
    _feed(tmp_path, 1, seed=5)  # puts the benchmark's generator on the path
    import generate

    by_day: dict[str, list[str]] = {}
    for record in generate.generate(3000, seed=5, first_day=dt.date(2025, 4, 1), last_day=dt.date(2025, 6, 30)):
        by_day.setdefault(record["event_date"], []).append(json.dumps(record))
    assert min(map(len, by_day.values())) > 20
    forward, backward = tmp_path / "forward.jsonl", tmp_path / "backward.jsonl"
    forward.write_text("".join(line + "\n" for day in sorted(by_day) for line in by_day[day]))
    backward.write_text("".join(line + "\n" for day in sorted(by_day) for line in reversed(by_day[day])))
    first, last = parse_week("2025-W15"), parse_week("2025-W27")
    one = backtest_files([forward], first=first, last=last, workers=1, chunk_size=37)
    other = backtest_files([backward], first=first, last=last, workers=1, chunk_size=37)
    assert one.firings > 3000
    assert (other.firings, list(to_csv_rows(other))) == (one.firings, list(to_csv_rows(one)))


def test_ordered_chunks_are_full_day_groups_in_date_order_cut_anywhere():
    from riskengine.scoring.backtest import _ordered_chunks

    def event(n: int, day: int) -> Event:
        return Event.model_validate(
            {"event_id": f"E{n}", "event_date": dt.date(2024, 1, day).isoformat(), "event_type": "Protests", "country": "UKR", "sources": [{"name": "s"}]}
        )

    days = [3, 1, 1, 2, 3, 1, 5, 5, 5, 5, 4, 9]  # out of order within 14 days; the 9th is outside
    feed = [event(n, day) for n, day in enumerate(days)]
    counters = {"read": 0}
    chunks = list(_ordered_chunks([feed[:5], feed[5:]], dt.date(2024, 1, 1), dt.date(2024, 1, 8), 3, 14, counters))
    assert [sum(len(events) for _, events in groups) for groups in chunks] == [3, 3, 3, 2]
    flat = [(day, e.event_id) for groups in chunks for day, events in groups for e in events]
    assert [e for _, e in flat] == ["E1", "E2", "E5", "E3", "E0", "E4", "E10", "E6", "E7", "E8", "E9"]
    assert all(day == dt.date(2024, 1, days[int(e[1:])]).toordinal() for day, e in flat)
    assert counters["read"] == 12


@pytest.mark.parametrize("how", ["one", "dask"])
def test_a_file_newest_first_is_sorted_to_the_same_series(tmp_path, scheduler, how, monkeypatch):
    """Issue #13: an ACLED export comes newest first. The backtest sorts it itself, spilling
    sorted runs to temporary files (small runs here, so that several are merged); on Dask the
    partitions are planned again from the days the blocks hold."""
    from riskengine.scoring import reader

    monkeypatch.setattr(reader, "SORT_RUN_SIZE", 170)
    monkeypatch.setattr(reader.external_sort, "__defaults__", (170,))
    feed = _feed(tmp_path, 1500, seed=8)
    lines = feed.read_text().splitlines()
    backward = tmp_path / "newest-first.jsonl"
    backward.write_text("\n".join(reversed(lines)) + "\n")
    first, last = parse_week("2022-W10"), parse_week("2025-W27")
    forward = backtest_files([feed], first=first, last=last, workers=1, chunk_size=64)
    got = backtest_files([backward], first=first, last=last, chunk_size=64, **_where(how, scheduler))
    assert "sorted" not in forward.stats and got.stats["sorted" if how == "one" else "replanned"] == 1
    assert (got.firings, got.events_read, list(to_csv_rows(got))) == (forward.firings, forward.events_read, list(to_csv_rows(forward)))


def test_external_sort_orders_by_date_keeping_input_order_within_a_day(tmp_path):
    from riskengine.scoring.reader import external_sort

    def event(n: int, day: int) -> Event:
        return Event.model_validate(
            {"event_id": f"E{n}", "event_date": dt.date(2024, 1, day).isoformat(), "event_type": "Protests", "country": "UKR", "sources": [{"name": "s"}]}
        )

    rng = random.Random(3)
    feed = [event(n, rng.randint(1, 28)) for n in range(500)]
    expected = sorted(feed, key=lambda e: e.event_date)  # stable: input order within a day
    for run_size in (7, 100, 10_000):  # many runs, a few, one (no file)
        chunks = list(external_sort([feed[i : i + 33] for i in range(0, len(feed), 33)], chunk_size=50, run_size=run_size))
        assert all(len(c) <= 50 for c in chunks)
        assert [e.event_id for c in chunks for e in c] == [e.event_id for e in expected]


def test_the_scorers_totals_are_the_sum_of_the_contributions(tmp_path, pack, compiled):
    """Every firing's weighted points, worked out as ``explain`` lists them (the reference
    evaluator's firings, ``contributions_for`` on the whole events), summed per week,
    stakeholder and dimension, are the totals the scorer keeps by counting: fixed and scaled
    points (fatalities, distances, salvo sizes), raising and lowering."""
    from collections import defaultdict

    from riskengine.engine.matching import match_all
    from riskengine.scoring.contributions import contributions_for
    from riskengine.scoring.facts import fact_of
    from riskengine.scoring.reader import prepare
    from riskengine.scoring.scorer import per_fields_of
    from riskengine.scoring.scores import SCALE
    from riskengine.scoring.stream import run_scorer, scorer_for

    feed = _feed(tmp_path, 2500, seed=9)
    events = api.read_events([feed])
    first, last = parse_week("2022-W08"), parse_week("2025-W27")
    bounds = backtest_module._bounds(compiled, pack, first, last, 500, 14)
    shared, scorer = scorer_for(pack, compiled, check_stakeholders(None), bounds)
    run_scorer(prepare(_chunks(sorted(events, key=lambda e: e.event_date), 300), bounds, {"read": 0}), shared, scorer, bounds)
    totals = scorer.totals_now()
    by_id = {e.event_id: e for e in events}
    expected: dict[tuple[int, str, str], int] = defaultdict(int)
    relief: dict[tuple[int, str, str], int] = defaultdict(int)
    scaled = 0
    for firing in match_all(compiled, [fact_of(e, compiled.fields) for e in events], engine="reference"):
        legs = [by_id[i] for i in firing.event_ids]
        done = max(legs, key=lambda e: (e.event_date, e.event_id)).event_date
        week = week_of(done).start.toordinal()
        if week < first.start.toordinal():
            continue
        for c in contributions_for(firing, legs, pack):
            target = relief if c.weighted_points < 0 else expected
            target[(week, c.stakeholder, c.dimension)] += round(abs(c.weighted_points) * SCALE)
            scaled += not float(c.points).is_integer()
    assert scaled > 100  # scaled points, not only fixed ones
    assert dict(totals.points) == {k: v for k, v in expected.items() if v}
    assert {k: v for k, v in totals.relief.items() if v} == {k: v for k, v in relief.items() if v}
    assert per_fields_of(pack)
