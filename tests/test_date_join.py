"""Rules whose joins are only a date span are matched by the pattern stage's tables of live
candidates by day, not by durable (patterns.DateJoin), with the reference evaluator's firings;
the same rules given to durable (split into a rule per day) give the same firings."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from ir_strategies import random_facts, random_ruleset

from riskengine import api
from riskengine.engine.durable import patterns
from riskengine.engine.durable.plan import Plan
from riskengine.engine.matching import open_matcher
from riskengine.engine.reference import evaluate
from riskengine.rules.ir import CompiledRule, CompiledRuleSet, Firing, Join, Pattern
from riskengine.rules.ir import Test as T

DAY = 738000


def stream(ruleset: CompiledRuleSet, facts: Sequence[Mapping[str, Any]], chunk: int) -> list[Firing]:
    with open_matcher(ruleset) as matcher:
        return sorted(f for start in range(0, len(facts), chunk) for f in matcher.feed(facts[start : start + chunk]))


def before_talks() -> CompiledRule:
    """A strike (k=2) in the week before talks' (k=1) scheduled date, on or after the day the
    talks were announced and within 14 days of it: the shipped analyst rule's shape."""
    talks = Pattern("talks", T("k", "eq", 1))
    strike = Pattern(
        "strike",
        T("k", "eq", 2),
        (
            Join("event_date", "lt", 0, "scheduled_date"),
            Join("event_date", "gte", 0, "scheduled_date", -7),
            Join("event_date", "gte", 0, "event_date"),
            Join("event_date", "lte", 0, "event_date", 14),
        ),
    )
    return CompiledRule("before-talks", (talks, strike), 14)


def talks_and_strikes(seed: int, n: int) -> list[dict[str, Any]]:
    """Strikes most days, talks now and then scheduled 0 to 25 days ahead (some without a
    date), a few of each on one day, in date order."""
    rng = random.Random(seed)
    facts: list[dict[str, Any]] = []
    day = DAY
    for i in range(n):
        day += rng.random() < 0.3
        fact: dict[str, Any] = {"event_id": f"E{i:04d}", "event_date": day, "k": 2}
        if rng.random() < 0.1:
            fact["k"] = 1
            if rng.random() < 0.8:
                fact["scheduled_date"] = day + rng.randint(0, 25)
        facts.append(fact)
    return facts


def test_the_shipped_date_span_rules_do_not_reach_durable():
    plan = Plan(api.compile_pack(api.load_rules()))
    joined = {plan.patterns[r].rule.id for r in plan.joined}
    assert {"ana-strike-before-scheduled-talks", "gov-strike-before-talks", "ana-strike-after-call"} <= joined
    in_durable = {plan.patterns[r].rule.id for members in plan.pattern_sets for r in members}
    assert not joined & in_durable
    assert "ana-retaliation-cycle" in in_durable  # its sides are joined too: durable's


@pytest.mark.parametrize("chunk", [1, 7, 64, 5000])
def test_strikes_before_talks_give_the_reference_firings(chunk):
    ruleset = CompiledRuleSet((before_talks(),))
    facts = talks_and_strikes(3, 1500)
    expected = evaluate(ruleset, facts)
    assert len(expected) > 200
    with open_matcher(ruleset) as matcher:
        assert not matcher.patterns.rulesets  # nothing of it in durable
    assert stream(ruleset, facts, chunk) == expected


def test_the_same_rule_in_durable_gives_the_same_firings(monkeypatch):
    ruleset = CompiledRuleSet((before_talks(),))
    facts = talks_and_strikes(4, 800)
    expected = stream(ruleset, facts, 50)
    monkeypatch.setattr(patterns, "MAX_SPAN_DAYS", 0)
    with open_matcher(ruleset) as matcher:
        assert matcher.patterns.rulesets
    assert stream(ruleset, facts, 50) == expected == evaluate(ruleset, facts)


def test_a_fact_of_both_legs_pairs_both_ways_but_never_with_itself():
    # strike and counter-strike within 2 days: every strike may be either; two facts with one
    # event id are two facts
    rule = CompiledRule(
        "both",
        (Pattern("a", T("k", "eq", 1)), Pattern("b", T("k", "eq", 1), (Join("event_date", "gte", 0, "event_date"), Join("event_date", "lte", 0, "event_date", 2)))),
        2,
    )
    facts = [{"event_id": f"E{n // 2 if n < 4 else n}", "event_date": DAY + n // 3, "k": 1} for n in range(12)]
    ruleset = CompiledRuleSet((rule,))
    found = stream(ruleset, facts, 5)
    assert found == evaluate(ruleset, facts)
    assert Firing("both", ("E0", "E0")) in found  # the two facts E0, each way


def test_a_talks_without_its_scheduled_date_pairs_with_nothing():
    ruleset = CompiledRuleSet((before_talks(),))
    facts = [{"event_id": "T", "event_date": DAY, "k": 1}, {"event_id": "S", "event_date": DAY + 1, "k": 2}]
    assert stream(ruleset, facts, 1) == evaluate(ruleset, facts) == []


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_random_rules_give_the_reference_firings_with_and_without_durable(seed, monkeypatch):
    # bounded date joins on every pattern rule, and sometimes other joins: some rules are
    # matched by date span, the others by durable
    ruleset = random_ruleset(seed, 40, pattern_percent=60, unusual=False, unbounded=False, selective=1)
    facts = random_facts(seed, 700)
    plan = Plan(ruleset)
    assert plan.joined and plan.pattern_sets
    expected = evaluate(ruleset, facts)
    assert stream(ruleset, facts, 97) == expected
    monkeypatch.setattr(patterns, "MAX_SPAN_DAYS", 0)
    assert not Plan(ruleset).joined
    assert stream(ruleset, facts, 97) == expected
