"""The durable adapter's Python evaluation (``riskengine.engine.durable.fallback``) against the
reference evaluator, which it shares no code with.

Most facts never reach it (durable judges them), so the matcher-wide differential tests see it
only now and then. Here it is compared directly, test by test and join by join over values of
every kind, and inside the matcher with every fact and every join forced through it.
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ir_strategies import Chooser, build_condition, chunkings, fact_streams, rulesets

from riskengine.core.errors import EngineError, RuleError
from riskengine.engine import reference
from riskengine.engine.durable import fallback, patterns, single
from riskengine.engine.matching import open_matcher
from riskengine.rules.ir import CompiledRuleSet, Join
from riskengine.rules.ir import Test as T


class Level(enum.IntEnum):
    LOW = 1


class Name(str):
    pass


VALUES: list[Any] = [
    None, True, False, 0, 1, 1.0, -2, 2.5, math.nan, math.inf, 10**20, Level.LOW,
    "", "a", "A", "ab", "Strike on A", "é", "É", Name("a"), "1", "[ae]",
    [], ["a"], ["A", "b"], [1], [1.0], [True], ["a", ["b"]], ("a",), {"a": 1}, [None],
]  # fmt: skip
CONSTANTS: list[Any] = [v for v in VALUES if v is not None] + [(1, "a"), ("a", "b"), (), (True,), "^a", r"\d", "b$"]
OPS = ["eq", "ne", "gt", "gte", "lt", "lte", "contains", "matches", "exists", "not_exists", "in", "not_in"]


def _tests() -> list[T]:
    found = []
    for op in OPS:
        if op in ("exists", "not_exists"):
            found.append(T("f", op))  # type: ignore[arg-type]
        elif op in ("in", "not_in"):
            found += [T("f", op, c) for c in CONSTANTS if isinstance(c, tuple)]  # type: ignore[arg-type]
        else:
            found += [T("f", op, c) for c in CONSTANTS]  # type: ignore[arg-type]
    return found


def test_every_test_on_every_kind_of_value_agrees_with_the_reference():
    checked = 0
    for test in _tests():
        on_value = fallback.value_test(test)
        on_fact = fallback.fact_test(test)
        for value in VALUES:
            fact = {} if value is None else {"f": value}
            expected = reference.test_holds(test, fact)
            assert on_value(value) == expected, (test, value)
            assert on_fact(fact) == expected, (test, value)
            checked += 1
    assert checked > 2000


@pytest.mark.parametrize("op", ["eq", "ne", "gt", "gte", "lt", "lte"])
@pytest.mark.parametrize("offset", [0, 1, -2, 0.5])
def test_every_join_on_every_pair_of_values_agrees_with_the_reference(op, offset):
    join = Join("f", op, 0, "g", offset)  # type: ignore[arg-type]
    holds = fallback.join_test(join)
    for a, b in itertools.product(VALUES, repeat=2):
        this = {} if a is None else {"f": a}
        other = {} if b is None else {"g": b}
        assert holds(this, other) == reference.join_holds(join, this, other), (join, a, b)


def test_a_bad_regular_expression_is_a_rule_error_before_any_fact():
    with pytest.raises(RuleError) as raised:
        fallback.value_test(T("notes", "matches", "(unclosed"))
    assert raised.value.issues[0].code == "E304"


def test_an_unknown_operator_is_refused():
    with pytest.raises(EngineError, match="unknown test operator 'near'"):
        fallback.value_test(T("f", "near", 1))  # type: ignore[arg-type]
    with pytest.raises(EngineError, match="unknown comparison operator 'near'"):
        fallback.join_test(Join("f", "near", 0, "g"))  # type: ignore[arg-type]


SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(st.data())
def test_random_conditions_agree_with_the_reference(data):
    cond = build_condition(Chooser.drawing(data.draw), depth=3)
    test = fallback.fact_test(cond)
    for fact in data.draw(fact_streams(max_facts=12)):
        assert test(fact) == reference.holds(cond, fact), (cond, fact)


def _unsettle(facts: list[dict[str, Any]], data: st.DataObject) -> list[dict[str, Any]]:
    """Some values swapped for values of other kinds, as a careless feed would send them."""
    for fact in facts:
        for name in list(fact):
            if name not in ("event_id", "event_date") and data.draw(st.integers(0, 5)) == 0:
                fact[name] = data.draw(st.sampled_from([v for v in VALUES if v is not None and not isinstance(v, dict)]))
    return facts


def _through_python(ruleset: CompiledRuleSet, facts: Sequence[Mapping[str, Any]], cuts: Sequence[int]) -> tuple[list[Any], int]:
    """Firings with every fact judged by ``SingleStage.in_python`` and every join checked by
    ``fallback.join_test``; and how many facts took the Python path."""
    with pytest.MonkeyPatch.context() as patch:

        def unrepresentable(self: Any, names: Any, rows: Sequence[Any]) -> tuple[list[list[Any]], set[int]]:
            return [], set(range(len(rows)))  # every row holds a value durable cannot be given

        patch.setattr(single.SingleStage, "columns", unrepresentable)
        patch.setattr(patterns, "_native_join", lambda join: False)
        with open_matcher(ruleset, batch_size=7) as matcher:
            found = [f for a, b in itertools.pairwise(cuts) for f in matcher.feed(facts[a:b])]
            return found, matcher.stats.fallback


@SETTINGS
@given(rulesets(), fact_streams(), st.data())
def test_the_matchers_python_path_gives_the_reference_firings(ruleset, facts, data):
    facts = _unsettle(facts, data)
    cuts = data.draw(chunkings(len(facts)))
    found, through_python = _through_python(ruleset, facts, cuts)
    assert through_python == len(facts)
    assert sorted(found) == reference.evaluate(ruleset, facts)
