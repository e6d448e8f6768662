"""The reference evaluator pins the IR's semantics (riskengine/ir.py) one case per row."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ir_strategies import (
    Chooser,
    build_condition,
    build_fact,
    chunkings,
    fact_streams,
    rulesets,
)

from riskengine.core.errors import EngineError, EventError, RuleError
from riskengine.engine.matching import Matcher, MatchStats, match_all, open_matcher
from riskengine.engine.reference import (
    ConditionIndex,
    compile_condition,
    evaluate,
    holds,
    join_holds,
)
from riskengine.rules.ir import (
    And,
    CompiledRule,
    CompiledRuleSet,
    Firing,
    Join,
    Not,
    Or,
    Pattern,
)
from riskengine.rules.ir import Test as T  # "Test" would look like a test class to pytest

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])

FACT = {
    "event_id": "E1",
    "event_type": "Battles",
    "fatalities": 3,
    "interception_rate": 0.5,
    "civilian_targeting": False,
    "notes": "Drone STRIKE on Kupol plant",
    "tags": ["fires", "Power-Outage"],
    "target_name": 'He said "no"',
}

# (condition, expected on FACT)
CASES = [
    (T("event_type", "eq", "Battles"), True),
    (T("event_type", "eq", "battles"), False),  # eq is case-sensitive
    (T("fatalities", "eq", 3.0), True),  # numbers compare by value
    (T("fatalities", "eq", "3"), False),  # never across kinds
    (T("civilian_targeting", "eq", 0), False),  # a bool is not a number
    (T("civilian_targeting", "eq", False), True),
    (T("missing", "eq", None), False),
    (T("fatalities", "ne", 4), True),
    (T("missing", "ne", 4), False),  # ne needs the field present
    (Not(T("missing", "eq", 4)), True),  # "not 4, or unknown"
    (T("fatalities", "in", (1, 2, 3)), True),
    (T("fatalities", "in", ()), False),
    (T("fatalities", "not_in", (1, 2)), True),
    (T("missing", "not_in", (1, 2)), False),
    (T("fatalities", "gt", 2), True),
    (T("fatalities", "gte", 3), True),
    (T("fatalities", "lt", 3), False),
    (T("interception_rate", "lte", 0.5), True),
    (T("event_type", "gt", "Alpha"), True),  # strings order by code point
    (T("event_type", "gt", 1), False),  # never across kinds
    (T("missing", "lt", 10), False),
    (T("notes", "contains", "strike"), True),  # case-insensitive substring
    (T("notes", "contains", "KUPOL"), True),
    (T("notes", "contains", "Kyiv"), False),
    (T("tags", "contains", "fires"), True),  # membership in a list
    (T("tags", "contains", "Fires"), False),  # exact
    (T("tags", "contains", "fire"), False),  # no substrings in lists
    (T("fatalities", "contains", "3"), False),
    (T("notes", "matches", r"^drone\s"), True),  # a Python regex, case-insensitive
    (T("notes", "matches", "plant$"), True),
    (T("tags", "matches", "outage"), True),  # any string in the list
    (T("target_name", "matches", '"no"'), True),
    (T("fatalities", "matches", "3"), False),
    (T("fatalities", "exists"), True),
    (T("missing", "exists"), False),
    (T("missing", "not_exists"), True),
    (T("tags", "not_exists"), False),
    (And(()), True),
    (Or(()), False),
    (And((T("fatalities", "gt", 1), Not(T("missing", "exists")))), True),
    (Or((T("fatalities", "gt", 5), T("notes", "contains", "plant"))), True),
    (Not(Or((T("fatalities", "gt", 5), T("missing", "exists")))), True),
]


@pytest.mark.parametrize(("cond", "expected"), CASES, ids=[repr(c) for c, _ in CASES])
def test_condition_semantics(cond, expected):
    assert holds(cond, FACT) is expected
    assert compile_condition(cond)(FACT) is expected


def test_none_counts_as_absent():
    assert holds(T("fatalities", "not_exists"), {"fatalities": None})
    assert not holds(T("fatalities", "ne", 1), {"fatalities": None})


def test_nan_equals_nothing():
    nan = {"x": math.nan}
    assert not holds(T("x", "eq", math.nan), nan)
    assert holds(T("x", "ne", 1), nan)
    assert not holds(T("x", "gt", 0), nan) and not holds(T("x", "lte", 0), nan)


A = {"event_id": "A", "event_date": 10, "target_name": "Kupol", "fatalities": 2}
B = {"event_id": "B", "event_date": 12, "target_name": "Kupol", "fatalities": 5}
JOINS = [
    (Join("target_name", "eq", 0, "target_name"), B, A, True),
    (Join("target_name", "ne", 0, "target_name"), B, A, False),
    (Join("event_date", "lte", 0, "event_date", 2), B, A, True),
    (Join("event_date", "lte", 0, "event_date", 1), B, A, False),
    (Join("event_date", "gt", 0, "event_date"), B, A, True),
    (Join("fatalities", "gte", 0, "fatalities", 3), B, A, True),
    (Join("missing", "ne", 0, "target_name"), B, A, False),  # absent on either side: false
    (Join("target_name", "ne", 0, "missing"), B, A, False),
    (Join("target_name", "eq", 0, "target_name", 1), B, A, False),  # an offset needs a number
]


@pytest.mark.parametrize(("join", "this", "other", "expected"), JOINS, ids=[repr(j[0]) for j in JOINS])
def test_join_semantics(join, this, other, expected):
    assert join_holds(join, this, other) is expected


def _pattern_rule(*patterns: Pattern, window: int | None = None) -> CompiledRuleSet:
    return CompiledRuleSet((CompiledRule("p", patterns, window),))


def test_a_pattern_fires_once_per_tuple_of_distinct_facts_in_leg_order():
    any_fact = T("event_type", "exists")
    rules = _pattern_rule(Pattern("a", any_fact), Pattern("b", any_fact))
    facts = [{"event_id": i, "event_type": "x"} for i in ("1", "2", "3")]
    assert evaluate(rules, facts) == sorted(Firing("p", (a, b)) for a in "123" for b in "123" if a != b)


def test_equal_contents_are_still_distinct_facts():
    rules = _pattern_rule(Pattern("a", T("x", "eq", 1)), Pattern("b", T("x", "eq", 1)))
    facts = [{"event_id": "same", "x": 1}, {"event_id": "same", "x": 1}]
    assert evaluate(rules, facts) == [Firing("p", ("same", "same"))] * 2


def test_joins_may_name_later_legs_and_their_own():
    later = _pattern_rule(
        Pattern("a", T("k", "eq", "a"), (Join("n", "lt", 1, "n"),)),
        Pattern("b", T("k", "eq", "b"), (Join("n", "gt", 1, "m"),)),  # its own fields
    )
    facts = [
        {"event_id": "a1", "k": "a", "n": 1},
        {"event_id": "b1", "k": "b", "n": 2, "m": 1},
        {"event_id": "b2", "k": "b", "n": 2, "m": 3},
        {"event_id": "b3", "k": "b", "n": 0, "m": -1},
    ]
    assert evaluate(later, facts) == [Firing("p", ("a1", "b1"))]


def test_single_event_rules_fire_per_fact_and_keep_duplicates():
    rules = CompiledRuleSet((CompiledRule("s", (Pattern("e", T("x", "gt", 0)),)),))
    facts = [{"event_id": "1", "x": 1}, {"event_id": "1", "x": 2}, {"event_id": "2", "x": 0}]
    assert evaluate(rules, facts) == [Firing("s", ("1",)), Firing("s", ("1",))]


def test_a_bad_regular_expression_is_a_rule_error():
    rules = CompiledRuleSet((CompiledRule("s", (Pattern("e", T("notes", "matches", "(open")),)),))
    with pytest.raises(RuleError) as raised:
        evaluate(rules, [{"event_id": "1", "notes": "x"}])
    assert raised.value.issues[0].code == "E304"


def test_a_fact_without_event_id_is_an_event_error():
    rules = CompiledRuleSet((CompiledRule("s", (Pattern("e", T("x", "exists")),)),))
    with pytest.raises(EventError) as raised:
        evaluate(rules, [{"x": 1}])
    assert raised.value.issues[0].code == "E203"


def test_a_closed_matcher_refuses_facts():
    rules = CompiledRuleSet((CompiledRule("s", (Pattern("e", T("x", "exists")),)),))
    matcher = open_matcher(rules, engine="reference")
    matcher.close()
    with pytest.raises(EngineError):
        matcher.feed([{"event_id": "1", "x": 1}])


def test_open_matcher_checks_its_arguments():
    rules = CompiledRuleSet(())
    with pytest.raises(ValueError, match="unknown engine"):
        open_matcher(rules, engine="drools")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="batch_size"):
        open_matcher(rules, batch_size=0)
    assert match_all(rules, [{"event_id": "1"}], engine="reference") == []
    assert set(MatchStats().as_dict()) >= {"facts", "batches", "late", "facts_retained", "sessions_opened"}
    for engine in ("durable", "reference"):
        with open_matcher(rules, engine=engine) as matcher:  # type: ignore[arg-type]
            assert isinstance(matcher, Matcher)


@SETTINGS
@given(st.data())
def test_compiled_conditions_agree_with_the_plain_reading(data):
    c = Chooser.drawing(data.draw)
    cond = build_condition(c, 3)
    for n in range(5):
        fact = build_fact(c, n, 738000)
        assert compile_condition(cond)(fact) == holds(cond, fact)


@SETTINGS
@given(st.data())
def test_the_condition_index_misses_nothing(data):
    c = Chooser.drawing(data.draw)
    conds = [build_condition(c, 2) for _ in range(c.integer(1, 8))]
    index = ConditionIndex(conds)
    for n in range(5):
        fact = build_fact(c, n, 738000)
        assert index.holding(fact) == [k for k, cond in enumerate(conds) if holds(cond, fact)]


@SETTINGS
@given(rulesets(), fact_streams(), st.randoms(use_true_random=False), st.data())
def test_streaming_in_any_order_and_chunks_gives_the_whole_stream_answer(ruleset, facts, rng, data):
    rng.shuffle(facts)  # the reference keeps every candidate: order never matters
    cuts = data.draw(chunkings(len(facts)))
    position = {f["event_id"]: n for n, f in enumerate(facts)}
    found = []
    with open_matcher(ruleset, engine="reference", batch_size=data.draw(st.sampled_from([1, 4, 5000]))) as matcher:
        for a, b in itertools.pairwise(cuts):
            chunk = matcher.feed(facts[a:b])
            assert chunk == sorted(chunk)
            assert all(a <= max(position[i] for i in f.event_ids) < b for f in chunk)
            found += chunk
    assert sorted(found) == evaluate(ruleset, facts)
