"""Matchers that share their single-event answers (``open_matcher(share_answers=True)``, as a
backtest's partitions open one after another on a worker): the same firings as matchers that
start empty, the answers asked of durable once per rule set, never another rule set's."""

from __future__ import annotations

import pytest
from ir_strategies import random_facts, random_ruleset

from riskengine.engine import durable
from riskengine.engine.durable import matcher as durable_matcher
from riskengine.engine.matching import open_matcher
from riskengine.engine.reference import evaluate
from riskengine.rules.ir import CompiledRule, CompiledRuleSet, Pattern
from riskengine.rules.ir import Test as T


def single(*conds: T) -> CompiledRuleSet:
    return CompiledRuleSet(tuple(CompiledRule(f"s{i:04d}", (Pattern("e", c),)) for i, c in enumerate(conds)))


def facts(count: int, start: int = 738000) -> list[dict[str, object]]:
    return [{"event_id": f"E{n}", "event_date": start + n, "x": n % 7, "s": f"v{n % 5}"} for n in range(count)]


def run(ruleset: CompiledRuleSet, some: list[dict[str, object]], share: bool) -> tuple[list[object], int]:
    with open_matcher(ruleset, share_answers=share) as matcher:
        found = sorted(matcher.feed(some))
    return found, matcher.stats.evaluated  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def nothing_shared() -> None:
    durable_matcher._SHARED_ANSWERS.clear()


def test_a_second_matcher_of_the_same_rules_asks_durable_nothing_again() -> None:
    rules = single(T("x", "gte", 3), T("s", "eq", "v1"), T("x", "eq", 0))
    first, asked = run(rules, facts(40), True)
    # an equal rule set built again (each partition builds its own), the same facts later on
    again, asked_again = run(single(T("x", "gte", 3), T("s", "eq", "v1"), T("x", "eq", 0)), facts(40, 739000), True)
    assert asked > 0 and asked_again == 0
    assert first == evaluate(rules, facts(40)) and again == evaluate(rules, facts(40, 739000))
    # closing a sharing matcher keeps the answers; a matcher that does not share starts empty
    assert durable_matcher._SHARED_ANSWERS[0][1]
    assert run(rules, facts(40), False)[1] == asked


def test_another_rule_set_does_not_take_the_answers() -> None:
    run(single(T("x", "gte", 3)), facts(40), True)
    other = single(T("x", "gte", 4))
    found, asked = run(other, facts(40), True)
    assert asked > 0 and found == evaluate(other, facts(40))


@pytest.mark.parametrize("seed", range(6))
def test_random_rules_give_the_same_firings_through_shared_answers(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Random rule sets and facts fed by several matchers in turn, as partitions are; the
    answers bounded by a small cache (its oldest thrown out), then the same again unbounded."""
    rules = random_ruleset(seed, 12)
    some = random_facts(seed, 300)
    want = evaluate(rules, some)
    for size in (8, durable.single.CACHE_SIZE):
        monkeypatch.setattr(durable.single, "CACHE_SIZE", size)
        durable_matcher._SHARED_ANSWERS.clear()
        for start in range(0, 300, 100):
            assert run(rules, some[start : start + 100], True)[0] == evaluate(rules, some[start : start + 100])
        assert run(rules, some, True)[0] == want
        assert len(durable_matcher._SHARED_ANSWERS[0][1]) <= size
