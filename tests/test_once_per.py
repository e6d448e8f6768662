"""``once_per``: a pattern rule that fires once per event of its last leg.

A place struck n times is matched by n(n-1)/2 pairs (first, repeat) and is news n - 1 times:
each repeat once, told with the strike just before it. Both engines return every pair; the
reduction is applied after matching (``ir.latest_per_last``), by ``match_all`` and by the
scorer, so it must hold whichever engine matched and however the stream is cut.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskengine.core.errors import RuleError
from riskengine.core.events import Event
from riskengine.core.windows import week_of
from riskengine.engine.matching import match_all
from riskengine.rules import ir
from riskengine.rules.compiler import compile_rules
from riskengine.rules.loader import load_rules_text
from riskengine.scoring.backtest import run_backtest

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
START = dt.date(2024, 1, 1)  # a Monday
STRIKE = "Explosions/Remote violence"

_SOURCE = '{document: "000", section: Background of the Incident}'


def _pack_text(once_per: str | None, *, legs: int = 2, relation: str = "after", within: int = 10) -> str:
    """A repeat-strike rule (legs l0 -> l1 [-> l2]), each leg at the same target as the first,
    dated ``relation`` the leg before within ``within`` days."""
    lines = ["rules:", "  - id: repeat", "    title: The same place struck again", "    stakeholders: [analyst]", "    dimension: military", "    sequence:"]
    lines += ["      - as: l0", f"        when: {{all: [{{field: event_type, equals: {STRIKE}}}, {{field: target_name, exists: true}}]}}"]
    for k in range(1, legs):
        lines += [
            f"      - as: l{k}",
            f"        when: {{field: event_type, equals: {STRIKE}}}",
            "        where:",
            "          - {field: target_name, equals: l0.target_name}",
            f"          - {{field: event_date, {relation}: l{k - 1}.event_date, within_days: {within}}}",
        ]
    if once_per is not None:
        lines.append(f"    once_per: {once_per}")
    lines += ["    points: 3", f"    source: {_SOURCE}"]
    return "\n".join(lines) + "\n"


def _events(specs: Sequence[tuple[int, str | None, str]]) -> list[Event]:
    return [
        Event.model_validate(
            {
                "event_id": f"E{n:03d}",
                "event_date": (START + dt.timedelta(days=day)).isoformat(),
                "event_type": STRIKE if kind == "strike" else "Battles",
                "country": "UKR",
                "location": "Odesa",
                **({"target_name": name} if name else {}),
                "sources": [{"name": "test report", "reliability": "B", "credibility": 2}],
            }
        )
        for n, (day, name, kind) in enumerate(specs)
    ]


def _facts(events: Sequence[Event], compiled: ir.CompiledRuleSet) -> list[dict[str, object]]:
    return [ir.project(event.model_dump(), compiled.fields) for event in events]


def _firings(text: str, events: Sequence[Event], engine: str) -> list[ir.Firing]:
    compiled = compile_rules(load_rules_text(text, "x.yaml"))
    return match_all(compiled, _facts(events, compiled), engine=engine)  # type: ignore[arg-type]


event_specs = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from(["Port", "Plant", None]), st.sampled_from(["strike", "strike", "battle"])),
    max_size=24,
)


@SETTINGS
@given(event_specs, st.integers(2, 3))
def test_one_firing_per_last_event_whose_earlier_legs_are_latest_on_both_engines(specs, legs):
    events = _events(specs)
    day = {e.event_id: e.event_date.toordinal() for e in events}
    every = _firings(_pack_text(None, legs=legs), events, "reference")
    per_last: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for firing in every:
        per_last[firing.event_ids[-1]].append(firing.event_ids)

    def latest_first(ids: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[str, ...]]:
        earlier = ids[-2::-1]
        return tuple(day[i] for i in earlier), earlier

    by_engine = {engine: _firings(_pack_text(f"l{legs - 1}", legs=legs), events, engine) for engine in ("reference", "durable")}
    assert by_engine["durable"] == by_engine["reference"]
    kept = by_engine["reference"]
    assert sorted(f.event_ids[-1] for f in kept) == sorted(per_last)  # exactly one per completing event
    for firing in kept:
        candidates = per_last[firing.event_ids[-1]]
        assert firing.event_ids in candidates
        assert all(latest_first(other) <= latest_first(firing.event_ids) for other in candidates)


@SETTINGS
@given(event_specs, st.sampled_from([1, 2, 5, 1000]), st.sampled_from(["durable", "reference"]))
def test_the_scorer_keeps_the_same_firings_however_the_stream_is_cut(specs, chunk_size, engine):
    events = sorted(_events(specs), key=lambda e: (e.event_date, e.event_id))
    text = _pack_text("l1")
    pack = load_rules_text(text, "x.yaml")
    compiled = compile_rules(pack)
    scored: list[ir.Firing] = []
    chunks = [events[i : i + chunk_size] for i in range(0, len(events), chunk_size)]
    first, last = week_of(START), week_of(START + dt.timedelta(days=40))
    run_backtest(chunks, pack, compiled, first=first, last=last, engine=engine, chunk_size=chunk_size, observer=lambda rule, ids: scored.append(ir.Firing(rule, ids)))
    assert sorted(scored) == _firings(text, events, "reference")


def test_a_place_struck_four_times_fires_three_times_each_with_the_strike_before() -> None:
    events = _events([(0, "Port", "strike"), (2, "Port", "strike"), (5, "Port", "strike"), (9, "Port", "strike")])
    assert len(_firings(_pack_text(None), events, "durable")) == 6
    kept = _firings(_pack_text("l1"), events, "durable")
    assert [f.event_ids for f in kept] == [("E000", "E001"), ("E001", "E002"), ("E002", "E003")]


def test_a_same_day_tie_keeps_the_highest_event_id() -> None:
    events = _events([(0, "Port", "strike"), (0, "Port", "strike"), (3, "Port", "strike")])
    assert [f.event_ids for f in _firings(_pack_text("l1"), events, "reference")] == [("E001", "E002")]


def test_rules_without_it_are_compiled_as_before() -> None:
    compiled = compile_rules(load_rules_text(_pack_text(None), "x.yaml")).rules[0]
    assert not compiled.once_per_last
    assert compile_rules(load_rules_text(_pack_text("l1"), "x.yaml")).rules[0] == dataclasses.replace(compiled, once_per_last=True)


def _error(text: str) -> str:
    with pytest.raises(RuleError) as caught:
        load_rules_text(text, "x.yaml")
    return str(caught.value)


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("once_per", "code", "message"),
    [
        ("l0", "E305", "once_per names the last leg ('l1'), not 'l0'"),
        ("l9", "E305", "unknown leg 'l9'"),
        ("[l1]", "E2", "once_per"),
        ('""', "E2", "once_per"),
    ],
)
def test_a_bad_value_is_a_located_error(once_per: str, code: str, message: str) -> None:
    text = _pack_text(once_per)
    line = _line_of(text, "once_per:")
    error = _error(text)
    assert re.search(rf"x\.yaml:{line}:\d+: error\[{code}\d*\] .*{re.escape(message)}", error), error


def test_once_per_on_a_single_event_rule_is_a_located_error() -> None:
    text = "\n".join(
        [
            "rules:",
            "  - id: one",
            "    title: One",
            "    stakeholders: [analyst]",
            "    dimension: military",
            f"    when: {{field: event_type, equals: {STRIKE}}}",
            "    once_per: event",
            "    points: 1",
            f"    source: {_SOURCE}",
            "",
        ]
    )
    assert re.search(r"x\.yaml:7:5: error\[E305\] .*'once_per' is for pattern rules", _error(text))


@pytest.mark.parametrize("relation", ["on_or_after", "before"])
def test_a_last_leg_that_may_share_a_day_with_an_earlier_one_is_a_located_error(relation: str) -> None:
    text = _pack_text("l1", relation=relation)
    line = _line_of(text, "once_per:")
    assert re.search(rf"x\.yaml:{line}:15: error\[E319\] rules\[id=repeat\]\.once_per: once_per 'l1' needs the last leg dated after every earlier leg", _error(text)), _error(text)
