"""Pattern rules over long histories stay correct however the stream is cut.

The streaming matcher keeps a pattern candidate only while a later event could still join it,
and the backtest keeps an event's record only as long. These tests feed the same events cut into
chunks of many sizes, cut exactly at ISO-week edges and at the edges of the pattern windows
(a repeat strike 365 days later, a retaliation 3 days later), through one process and two, and
compare with the reference evaluator over the whole set at once, which keeps everything.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from riskengine import api
from riskengine.core.events import Event
from riskengine.core.windows import week_of
from riskengine.engine.reference import evaluate
from riskengine.rules.ir import Firing
from riskengine.scoring.backtest import run_backtest
from riskengine.scoring.facts import share_identical_rules
from riskengine.scoring.pipeline import fact_of, match_stream

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # the benchmark generator: realistic, seeded

KUPOL = "Kupol Electromechanical Plant"


def _strike(event_id: str, day: dt.date, *, by: str, on: str, name: str | None = None, **extra) -> Event:
    return Event(
        event_id=event_id,
        event_date=day,
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        country="RUS" if on == "Russia" else "UKR",
        initiator_side=by,
        target_side=on,
        target_category="military",
        target_name=name,
        sources=[{"name": "Reuters", "reliability": "A", "credibility": 2}],
        **extra,
    )


def _edge_cases() -> list[Event]:
    """Pairs exactly at, and one day past, the edges of the shipped pattern windows, placed on
    the last and first days of ISO weeks (2023-01-01 is a Sunday, 2023-01-02 a Monday)."""
    sunday = dt.date(2023, 1, 1)
    d = dt.timedelta
    return [
        # repeat strike on a facility (at one place) within 365 days: 365 joins, 366 does not
        _strike("EDGE-K1", sunday, by="Ukraine", on="Russia", name=KUPOL, location="Izhevsk"),
        _strike("EDGE-K2", sunday + d(365), by="Ukraine", on="Russia", name=KUPOL, location="Izhevsk"),
        _strike("EDGE-K3", sunday + d(365 + 366), by="Ukraine", on="Russia", name=KUPOL, location="Izhevsk"),
        # retaliation (deep strikes both ways) within 3 days: across a week edge, and one day too late
        _strike("EDGE-R1", sunday + d(800), by="Russia", on="Ukraine", distance_from_border_km=300),
        _strike("EDGE-R2", sunday + d(803), by="Ukraine", on="Russia", distance_from_border_km=300),
        _strike("EDGE-R3", sunday + d(900), by="Russia", on="Ukraine", distance_from_border_km=300),
        _strike("EDGE-R4", sunday + d(904), by="Ukraine", on="Russia", distance_from_border_km=300),
        # same day, ids in the opposite order to the sides (whatever the rules make of it,
        # every way of cutting the stream must agree)
        _strike("EDGE-S2", sunday + d(1000), by="Ukraine", on="Russia"),
        _strike("EDGE-S1", sunday + d(1000), by="Russia", on="Ukraine"),
    ]


@pytest.fixture(scope="module")
def pack():
    return api.load_rules()


@pytest.fixture(scope="module")
def compiled(pack):
    return api.compile_pack(pack)


@pytest.fixture(scope="module")
def events() -> list[Event]:
    """Two years of a realistic feed (about two events a day) plus the edge cases, date order."""
    feed = [Event.model_validate(d) for d in generate.generate(1500, seed=11, first_day=dt.date(2022, 6, 1), last_day=dt.date(2024, 6, 1))]
    return sorted(feed + _edge_cases(), key=lambda e: (e.event_date, e.event_id))


@pytest.fixture(scope="module")
def expected(compiled, events) -> list[Firing]:
    facts = [fact_of(e, compiled.fields) for e in events]
    return sorted(evaluate(compiled, facts))


def _stream(chunks: Sequence[Sequence[Event]], compiled, **kw) -> list[Firing]:
    found: list[Firing] = []
    for _, firings in match_stream(chunks, compiled, **kw):
        found.extend(firings)
    return sorted(found)


def _by_size(events: list[Event], size: int) -> list[list[Event]]:
    return [events[i : i + size] for i in range(0, len(events), size)]


def _by_week(events: list[Event]) -> list[list[Event]]:
    chunks: list[list[Event]] = []
    for e in events:
        if chunks and week_of(chunks[-1][-1].event_date) == week_of(e.event_date):
            chunks[-1].append(e)
        else:
            chunks.append([e])
    return chunks


def _by_window(events: list[Event], days: int) -> list[list[Event]]:
    start = events[0].event_date.toordinal()
    chunks: dict[int, list[Event]] = {}
    for e in events:
        chunks.setdefault((e.event_date.toordinal() - start) // days, []).append(e)
    return [chunks[k] for k in sorted(chunks)]


def test_the_data_exercises_the_patterns(compiled, expected):
    fired = {f.rule_id for f in expected}
    assert {r.id for r in compiled.pattern_rules if r.id.endswith(("repeat-strike-facility", "retaliation-cycle"))} <= fired
    ids = {i for f in expected for i in f.event_ids}
    assert {"EDGE-K1", "EDGE-K2", "EDGE-R1", "EDGE-R2"} <= ids
    pairs = {f.event_ids for f in expected if f.rule_id == "ana-repeat-strike-facility"}
    assert ("EDGE-K1", "EDGE-K2") in pairs  # exactly 365 days: inside the window
    assert ("EDGE-K2", "EDGE-K3") not in pairs  # 366 days: outside
    retaliation = {f.event_ids for f in expected if f.rule_id == "ana-retaliation-cycle"}
    assert ("EDGE-R1", "EDGE-R2") in retaliation and ("EDGE-R3", "EDGE-R4") not in retaliation


@pytest.mark.parametrize("size", [1, 13, 250, 5000])
def test_any_chunk_size_gives_the_reference_firings(compiled, events, expected, size):
    assert _stream(_by_size(events, size), compiled) == expected


@pytest.mark.parametrize("cut", ["week", "3 days", "365 days", "366 days"])
def test_chunks_cut_at_week_and_window_edges(compiled, events, expected, cut):
    chunks = _by_week(events) if cut == "week" else _by_window(events, int(cut.split()[0]))
    assert _stream(chunks, compiled) == expected


def test_identical_rules_matched_once_give_the_reference_firings(compiled, events, expected):
    shared, fanout = share_identical_rules(compiled)
    assert len(shared.rules) < len(compiled.rules)  # the shipped packs repeat rules across stakeholders
    assert sorted(i for ids in fanout.values() for i in ids) == sorted(r.id for r in compiled.rules)
    found = sorted(f for _, firings in match_stream(_by_size(events, 200), compiled) for f in firings)
    assert found == expected


def _week_totals(result) -> dict[tuple[str, str], tuple]:
    return {
        (s.stakeholder, p.week): (p.firings, tuple(d.weighted_points for d in p.dimensions))
        for s in result.series
        for p in s.weeks
    }


def test_backtests_split_at_any_week_add_up_to_the_whole(pack, compiled, events):
    """Scoring 2023 in two halves (each reaching back into its own history) gives, week by week,
    what scoring the whole year does: windows never lose a partner at the split."""
    whole = run_backtest(_by_size(events, 50), pack, compiled, first=week_of(dt.date(2023, 1, 2)), last=week_of(dt.date(2023, 12, 31)), workers=1)
    split = week_of(dt.date(2023, 7, 3))
    first = run_backtest(_by_size(events, 50), pack, compiled, first=week_of(dt.date(2023, 1, 2)), last=split.previous(), workers=1)
    second = run_backtest(_by_size(events, 50), pack, compiled, first=split, last=week_of(dt.date(2023, 12, 31)), workers=1)
    assert {**_week_totals(first), **_week_totals(second)} == _week_totals(whole)
    assert whole.firings > 100


def test_backtest_firings_match_the_reference_in_one_and_two_processes(pack, compiled, events):
    first, last = week_of(events[0].event_date), week_of(events[-1].event_date)
    one = run_backtest(_by_size(events, 64), pack, compiled, first=first, last=last, workers=1)
    two = run_backtest(_by_size(events, 64), pack, compiled, first=first, last=last, workers=2)
    ref = run_backtest(_by_size(events, 5000), pack, compiled, first=first, last=last, workers=1, engine="reference")
    assert _week_totals(one) == _week_totals(two) == _week_totals(ref)
