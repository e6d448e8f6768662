"""The durable-rules adapter: one test per engine trap it works around, compared with the reference.

The traps (measured on durable-rules 2.0.28 and read in its C source) are listed in the
riskengine/engine/durable/__init__.py docstring; each test here fails if the adapter stops handling one.
"""

from __future__ import annotations

import math
import pathlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from ir_strategies import random_facts, random_ruleset

from riskengine.core.errors import EngineLimitError
from riskengine.engine import durable
from riskengine.engine.base import facts_of_rows
from riskengine.engine.matching import open_matcher
from riskengine.engine.reference import evaluate
from riskengine.rules.ir import (
    And,
    CompiledRule,
    CompiledRuleSet,
    Cond,
    Firing,
    Join,
    Not,
    Or,
    Pattern,
)
from riskengine.rules.ir import Test as T  # "Test" would look like a test class to pytest


def single(*conds: Cond) -> CompiledRuleSet:
    return CompiledRuleSet(tuple(CompiledRule(f"s{i:04d}", (Pattern("e", c),)) for i, c in enumerate(conds)))


def pair(first: Cond, second: Cond, *joins: Join, window: int | None = None, rule_id: str = "p") -> CompiledRule:
    return CompiledRule(rule_id, (Pattern("a", first), Pattern("b", second, joins)), window)


def within(days: int) -> tuple[Join, Join]:
    return Join("event_date", "gte", 0, "event_date"), Join("event_date", "lte", 0, "event_date", days)


def matched(ruleset: CompiledRuleSet, facts: Sequence[Mapping[str, Any]], chunk: int = 1000, **kw: Any) -> tuple[list[Firing], durable.DurableMatcher]:
    """Firings from the durable matcher (checked against the reference) and the matcher."""
    with open_matcher(ruleset, **kw) as matcher:
        found = [f for start in range(0, len(facts), chunk) for f in matcher.feed(facts[start : start + chunk])]
    assert sorted(found) == evaluate(ruleset, facts)
    return found, matcher  # type: ignore[return-value]


def durable_matches_date_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rules whose joins are only a date span go to durable, as rules with other joins do: for
    the tests of how durable holds candidates, written with such rules."""
    monkeypatch.setattr(durable.patterns, "MAX_SPAN_DAYS", 0)


def facts_of(*values: Mapping[str, Any], start: int = 738000) -> list[dict[str, Any]]:
    return [{"event_id": f"E{n}", "event_date": start + n, **v} for n, v in enumerate(values)]


def test_a_fact_matching_no_rule_does_not_hide_the_rest_of_its_batch():
    facts = facts_of({"x": 1}, {"x": 2}, {"y": 1}, {"x": 1})
    found, _ = matched(single(T("x", "eq", 1)), facts)
    assert [f.event_ids for f in found] == [("E0",), ("E3",)]


def test_identical_facts_are_two_facts():
    twin = {"event_id": "E1", "event_date": 738000, "x": 1}
    rules = CompiledRuleSet((*single(T("x", "eq", 1)).rules, pair(T("x", "eq", 1), T("x", "eq", 1), *within(0))))
    found, _ = matched(rules, [twin, dict(twin)])
    assert len(found) == 4  # each twin alone, and the pair both ways


def test_1200_rules_are_split_into_rulesets_of_at_most_400():
    rules = random_ruleset(5, 1200, pattern_percent=10, unbounded=False, selective=2)
    _, matcher = matched(rules, random_facts(6, 400), chunk=150)
    sets = matcher.plan.single_sets + matcher.plan.pattern_sets
    assert matcher.stats.rulesets == len(sets) >= 3
    assert max(len(s) for s in sets) <= durable.MAX_RULES_PER_RULESET


def test_a_fact_with_too_many_properties_is_refused_before_it_is_asserted():
    rules = single(*(T(f"x{i}", "exists") for i in range(300)))
    fits = {"event_id": "ok", **{f"x{i}": 1 for i in range(durable.MAX_FACT_KEYS - 1)}}
    found, _ = matched(rules, [fits])
    assert len(found) == durable.MAX_FACT_KEYS - 1
    too_many = {"event_id": "wide", **{f"x{i}": 1 for i in range(255)}}
    with open_matcher(rules) as matcher:
        with pytest.raises(EngineLimitError, match=r"'wide'.*256 properties"):
            matcher.feed([too_many])
        assert matcher.stats.sessions_opened == 0


def _legs(n: int) -> CompiledRuleSet:
    patterns = tuple(
        Pattern(f"l{k}", T("k", "eq", k), (Join("event_date", "gte", k - 1, "event_date"),) if k else ()) for k in range(n)
    )
    return CompiledRuleSet((CompiledRule("long", patterns),))


def test_16_legs_match_and_17_are_refused_when_the_matcher_opens():
    found, _ = matched(_legs(16), facts_of(*({"k": k} for k in range(16))))
    assert found == [Firing("long", tuple(f"E{k}" for k in range(16)))]
    with pytest.raises(EngineLimitError, match=r"17 events.*at most 16"):
        open_matcher(_legs(17))


def test_two_matchers_alive_in_one_process_do_not_share_anything():
    one, two = random_ruleset(11, 30), random_ruleset(12, 30)
    facts = random_facts(13, 200)
    with open_matcher(one) as a, open_matcher(two) as b:
        got_a, got_b = [], []
        for start in range(0, 200, 20):
            got_a += a.feed(facts[start : start + 20])
            got_b += b.feed(facts[start : start + 20])
        names = {r.name for r in a._owned} | {r.name for r in b._owned}  # type: ignore[attr-defined]
        assert len(names) == len(a._owned) + len(b._owned)  # type: ignore[attr-defined]
    assert sorted(got_a) == evaluate(one, facts) and sorted(got_b) == evaluate(two, facts)
    assert got_a != got_b


def test_1100_one_fact_batches_stay_under_the_1024_session_limit():
    # every fact distinct to durable (no cache hits), each in its own batch and session
    rules = CompiledRuleSet((*single(*(T("x", "eq", n) for n in range(1100))).rules, pair(T("x", "gte", 0), T("x", "eq", 1), *within(1), window=1)))
    facts = facts_of(*({"x": n} for n in range(1100)))
    _, matcher = matched(rules, facts, chunk=7, batch_size=1)
    assert matcher.stats.batches == 1100 and matcher.stats.evaluated == 1100
    assert matcher.stats.sessions_opened > 1100


def test_sessions_are_deleted_after_each_batch_and_rulesets_on_close():
    rules = CompiledRuleSet((*single(T("x", "gte", 0)).rules, pair(T("x", "gte", 0), T("x", "eq", 1), *within(1), window=1)))
    matcher = open_matcher(rules)
    matcher.feed(facts_of({"x": 1}, {"x": 1}))
    owned = list(matcher._owned)  # type: ignore[attr-defined]
    assert not any(r.open_session for r in matcher.single.rulesets)  # type: ignore[attr-defined]
    assert all(r.open_session for r in matcher.patterns.rulesets)  # type: ignore[attr-defined]
    assert all(durable.session._engine.start_action(r.handle) is None for r in owned)  # nothing pending
    matcher.close()
    for ruleset in owned:
        with pytest.raises(durable.session._engine.error):
            durable.session._engine.get_facts(ruleset.handle, "0")
    matcher.close()  # twice is fine


def test_pattern_candidates_are_dropped_once_their_window_has_passed(monkeypatch):
    monkeypatch.setattr(durable.patterns, "ROTATE_MIN", 10)
    durable_matches_date_spans(monkeypatch)
    rule = pair(T("x", "eq", 1), T("x", "eq", 2), *within(3), window=3)
    facts = facts_of(*({"x": 1 + n % 2} for n in range(400)))
    _, matcher = matched(CompiledRuleSet((rule,)), facts, chunk=40)
    stats = matcher.stats
    assert stats.candidates == 400 and stats.dropped > 300
    assert stats.peak_retained < 60  # a window's worth, plus expired facts awaiting rotation
    assert stats.late == 0 and stats.sessions_opened > 5


def test_facts_older_than_the_retention_horizon_are_counted_late(monkeypatch):
    monkeypatch.setattr(durable.patterns, "ROTATE_MIN", 4)  # release expired facts early
    rule = pair(T("x", "eq", 1), T("x", "eq", 2), *within(3), window=3)
    facts = facts_of(*({"x": 1} for _ in range(20)))
    late = {"event_id": "late", "event_date": facts[0]["event_date"] + 1, "x": 2}
    with open_matcher(CompiledRuleSet((rule,))) as matcher:
        matcher.feed(facts)
        found = matcher.feed([late])
        assert matcher.stats.late == 1
    assert set(found) < set(evaluate(CompiledRuleSet((rule,)), [*facts, late]))  # partners lost


def test_rules_without_a_window_keep_every_candidate():
    rule = pair(T("x", "eq", 1), T("x", "eq", 2))
    facts = facts_of(*({"x": 1 + n % 2} for n in range(300)))
    _, matcher = matched(CompiledRuleSet((rule,)), facts, chunk=50)
    assert matcher.stats.facts_retained == 300 and matcher.stats.dropped == 0


def test_an_or_whose_branches_both_hold_fires_once():
    found, _ = matched(single(Or((T("x", "gt", 0), T("x", "lt", 5), T("y", "exists")))), facts_of({"x": 1, "y": 1}))
    assert len(found) == 1


def test_conditions_true_of_an_empty_fact_ignore_the_session_state_object():
    rules = single(Not(T("x", "exists")), T("x", "not_exists"), Not(T("x", "eq", 1)), Not(And((T("x", "eq", 1), T("y", "eq", 2)))))
    matched(rules, facts_of({}, {"x": 1}, {"x": 2}, {"y": 2}))


def test_contains_and_matches_follow_python_not_durables_regex_dialect():
    rules = single(
        T("notes", "contains", "KUPOL"),
        T("notes", "matches", r"\bplant\b"),
        T("notes", "matches", r"(?:^|[^o] )strike"),  # "strike" not after "no": RE2 has no look-behind
        Not(T("notes", "contains", "drone")),
        T("tags", "contains", "fires"),
        Not(T("tags", "contains", "fires")),
    )
    notes = ["Drone strike on Kupol plant", "no strike at the planter", "STRIKE", "kupol"]
    found, _ = matched(rules, facts_of(*({"notes": n, "tags": ["fires"] if i % 2 else []} for i, n in enumerate(notes))))
    assert len(found) == 12


def test_strings_durable_cannot_order_or_escape_safely():
    values = ['a"b', "a\\b", "ab", "a!", "a", "é", "É", "a\u0000", "\u2028", "\ud800"]
    rules = single(*(T("s", op, v) for v in values for op in ("eq", "ne", "gt", "lte")), T("s", "in", tuple(values[:4])))
    matched(rules, facts_of(*({"s": v} for v in values)))


def test_whole_floats_and_ints_join_as_equal():
    rule = pair(T("fatalities", "exists"), T("fatalities", "exists"), Join("fatalities", "eq", 0, "fatalities", 2), *within(9))
    found, _ = matched(CompiledRuleSet((rule,)), facts_of({"fatalities": 5}, {"fatalities": 7.0}, {"fatalities": 7}))
    assert {f.event_ids for f in found} == {("E0", "E1"), ("E0", "E2")}


def test_a_join_on_a_property_one_fact_lacks_does_not_abort_the_assert():
    rule = pair(T("k", "eq", 1), T("k", "eq", 2), Join("target_name", "ne", 0, "target_name"), *within(9))
    facts = facts_of({"k": 1}, {"k": 1, "target_name": "x"}, {"k": 2, "target_name": "y"}, {"k": 2})
    found, _ = matched(CompiledRuleSet((rule,)), facts)
    assert found == [Firing("p", ("E1", "E2"))]


def test_a_fact_matching_more_conditions_than_durables_stack_holds():
    found, matcher = matched(single(*(T("fatalities", "gte", k) for k in range(150))), facts_of({"fatalities": 1000}, {"fatalities": 7}))
    assert len(found) == 158 and matcher.stats.rulesets > 1


def test_more_distinct_values_on_one_field_than_a_durable_node_holds():
    rules = single(*(T("target_name", "in", (f"n{2 * i}", f"n{2 * i + 1}")) for i in range(300)))  # 600 values
    found, matcher = matched(rules, facts_of(*({"target_name": f"n{i}"} for i in range(0, 600, 7))))
    assert len(found) == 86 and matcher.stats.rulesets > 1


LAYOUT_BUDGETS = [
    # (the i-th rule's condition, how many rules fit)
    (lambda i: durable.Lit("f0", "eq", "same"), durable.MAX_BETAS),  # all end on one node
    (lambda i: durable.disj([durable.Lit("f0", "eq", 2 * i), durable.Lit("f0", "eq", 2 * i + 1)]), durable.MAX_HASHED_CHILDREN // 2),
    (lambda i: durable.Lit("f0", "gt", i), durable.MAX_STACK),  # a fact can match every range node
    (lambda i: durable.Lit("f0", "eq", i), durable.MAX_RULES_PER_RULESET),
]


@pytest.mark.parametrize(("condition", "fits"), LAYOUT_BUDGETS)
def test_a_layout_refuses_the_rule_that_would_break_a_budget(condition, fits):
    layout = durable.Layout()
    added = 0
    while layout.add_rule([condition(added)]):
        added += 1
    assert added == fits
    this = condition(added)
    assert not layout.add_rule([this]) and layout.rules == added  # a refusal changes nothing


def test_identical_conditions_are_one_durable_rule():
    found, matcher = matched(single(*(T("x", "eq", 1) for _ in range(300))), facts_of({"x": 1}))
    assert len(found) == 300 and len(matcher.plan.conditions) == 1


def test_many_pattern_rules_on_one_first_leg_are_spread_over_rulesets():
    rules = CompiledRuleSet(tuple(pair(T("x", "eq", 1), T("x", "eq", 2 + i % 5), Join("y", "eq", 0, "y", i), *within(2), window=2, rule_id=f"p{i:03d}") for i in range(300)))
    facts = facts_of(*({"x": 1 + n % 6, "y": n % 4} for n in range(60)))
    _, matcher = matched(rules, facts, chunk=11)
    assert len(matcher.plan.pattern_sets) > 1


def test_identical_pattern_rules_are_matched_once_and_all_fire():
    rules = CompiledRuleSet(tuple(pair(T("x", "eq", 1), T("x", "eq", 2), *within(2), window=2, rule_id=f"copy{i}") for i in range(3)))
    found, matcher = matched(rules, facts_of({"x": 1}, {"x": 2}))
    assert len(matcher.plan.patterns) == 1 and [f.rule_id for f in found] == ["copy0", "copy1", "copy2"]


def test_conditions_too_wide_or_deep_for_durable_are_evaluated_in_python():
    wide = Or(tuple(T("fatalities", "gt", k) for k in range(150)))
    deep: Cond = T("x", "eq", 1)
    for k in range(20):
        deep = Or((And((deep, T("y", "ne", k))), T("z", "eq", k)))
    _, matcher = matched(single(wide, deep), facts_of({"fatalities": 3, "x": 1}, {"z": 19}, {"fatalities": 200}))
    assert len(matcher.plan.whole) == 2


def test_values_durable_cannot_hold_are_evaluated_in_python():
    rules = single(T("fatalities", "gt", 2), T("fatalities", "eq", 1), T("flag", "eq", True), T("name", "eq", "3"))
    facts = facts_of({"fatalities": "3"}, {"fatalities": math.nan}, {"fatalities": True}, {"flag": 1}, {"name": 3}, {"fatalities": 1})
    _, matcher = matched(rules, facts)
    assert matcher.stats.fallback == 5


def test_join_values_of_the_wrong_kind_are_refused():
    rule = pair(T("k", "eq", 1), T("k", "eq", 2), Join("fatalities", "eq", 0, "fatalities"))
    with open_matcher(CompiledRuleSet((rule,))) as matcher, pytest.raises(EngineLimitError, match="'fatalities' = '3'"):
        matcher.feed(facts_of({"k": 1, "fatalities": "3"}))


def test_action_messages_are_decoded_whatever_the_strings_hold():
    assert durable.decode('{"c3":[{"m":{"id": 4, "s": "}{\\"m\\":{\\"id\\": 9"}},{"m":{ "sid":"0", "id":"sid-0", "$s":1}}]}', 1) == ("c", 3, [(4,)])
    assert durable.decode('{"r1":[{"a0":{"id": 1, "t": "\\"a1\\":{\\"id\\": 7"},"a1":{"id": 2}}]}', [1, 2]) == ("r", 1, [(1, 2)])
    assert durable.decode('{"z0":{"m":{"id": -1, "zz": 1}}}', 1) == ("z", 0, [(-1,)])
    # legs out of the rule's order are put back in it (the fast path would pair them wrongly)
    assert durable.decode('{"r1":[{"a1":{"id": 2},"a0":{"id": 1}},{"a0":{"id": 3},"a1":{"id": 4}}]}', [1, 2]) == ("r", 1, [(1, 2), (3, 4)])


def test_action_messages_decoded_with_their_ids_mapped_give_the_same_results_mapped():
    from riskengine.engine.durable.decode import decode, decode_mapped

    names = {n: f"E{n}" for n in range(-1, 10)}
    for message, legs in [
        ('{"r1":[{"a0":{"id": 1, "t": "\\"a1\\":{\\"id\\": 7"},"a1":{"id": 2}},{"a0":{"id": 5},"a1":{"id": 6}}]}', [1, 2]),  # by pattern
        ('{"r1":[{"a1":{"id": 2},"a0":{"id": 1}},{"a0":{"id": 3},"a1":{"id": 4}}]}', [1, 2]),  # as JSON
        ('{"c3":[{"m":{"id": 4}},{"m":{ "sid":"0", "id":"sid-0", "$s":1}}]}', 1),
    ]:
        letter, rule, found = decode(message, legs)
        assert decode_mapped(message, legs, names.__getitem__) == (letter, rule, [tuple(names[i] for i in ids) for ids in found])


def test_only_the_durable_package_imports_durable_rules():
    package = pathlib.Path(durable.__file__).parents[2]  # riskengine/
    importers = sorted(
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if re.search(r"^\s*(import|from)\s+(durable\b|durable_rules_engine)", p.read_text(encoding="utf-8"), re.MULTILINE)
    )
    assert importers == ["engine/durable/session.py"]


def test_a_date_range_becomes_one_durable_rule_per_day():
    rule = pair(T("k", "eq", 1), T("k", "eq", 2), Join("event_date", "gt", 0, "event_date", -1), Join("event_date", "lt", 0, "event_date", 3), window=2)
    facts = facts_of(*({"k": 1 + n % 2} for n in range(12)))
    found, matcher = matched(CompiledRuleSet((rule,)), facts)
    assert len(matcher.plan.patterns[0].variants) == 3  # days 0, 1, 2: each tuple in exactly one
    assert len(found) == len(set(found)) > 0


def test_day_numbers_that_are_not_whole_are_refused_when_joined_by_day():
    rule = pair(T("k", "eq", 1), T("k", "eq", 2), *within(2), window=2)
    with open_matcher(CompiledRuleSet((rule,))) as matcher, pytest.raises(EngineLimitError, match="whole day number"):
        matcher.feed([{"event_id": "x", "event_date": 738000.5, "k": 1}])


def test_a_batch_with_more_distinct_facts_than_the_cache_holds(monkeypatch):
    monkeypatch.setattr(durable.single, "CACHE_SIZE", 8)
    _, matcher = matched(single(*(T("x", "eq", n) for n in range(40)), T("x", "gte", 20)), facts_of(*({"x": n % 50} for n in range(200))), chunk=200)
    assert matcher.stats.evaluated > 8 and len(matcher.single.cache) <= 8


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_feed_by_rule_gives_the_firings_of_feed(engine):
    rules = random_ruleset(21, 40, pattern_percent=30, unbounded=False, selective=2)  # a few hundred firings, some of patterns
    facts = random_facts(22, 600)
    with open_matcher(rules, engine=engine) as by_list, open_matcher(rules, engine=engine) as by_rule:
        for start in range(0, len(facts), 97):
            chunk = facts[start : start + 97]
            expected = by_list.feed(chunk)
            got = sorted(Firing(rule_id, ids) for rule_id, tuples in by_rule.feed_by_rule(chunk).items() for ids in tuples)
            assert got == expected
        assert by_rule.stats.firings == by_list.stats.firings > 0


def test_a_leg_that_only_comes_later_is_let_go_once_a_later_day_is_seen(monkeypatch):
    durable_matches_date_spans(monkeypatch)
    # talks (k=1), then a strike (k=2) on the same day or within 14 days after: a strike can
    # only be the later leg, so it need not be kept for the 14-day window
    rule = pair(T("k", "eq", 1), T("k", "eq", 2), *within(14), window=14)
    facts = facts_of(*({"k": 1 if n % 50 == 0 else 2} for n in range(600)))
    for n, fact in enumerate(facts):
        fact["event_date"] = 738000 + n // 3  # three a day
    found, matcher = matched(CompiledRuleSet((rule,)), facts, chunk=40)
    assert sorted(found) == evaluate(CompiledRuleSet((rule,)), facts)
    assert found
    # still joinable at the end: the talks of the last 14 days and the strikes of the last day
    # (with the rule's window for every leg: also every strike of the last 14 days, 45 facts)
    live = matcher.patterns.live_docs(0)
    assert len(live) <= 6


def test_candidates_wait_outside_durable_until_their_rule_could_complete(monkeypatch):
    durable_matches_date_spans(monkeypatch)
    # a strike (k=1) a day, and once an airspace restriction (k=2) within 2 days after some:
    # strikes need not reach durable while no restriction is live, but those before the one
    # restriction must, and fire with it; a strike that is also a launch (k=1, big) is wanted
    # as soon as a call (k=3) is live for the rule that pairs calls and big launches
    restriction = pair(T("k", "eq", 1), T("k", "eq", 2), *within(2), window=2, rule_id="p1")
    call = pair(T("k", "eq", 3), And((T("k", "eq", 1), T("big", "eq", True))), *within(2), window=2, rule_id="p2")
    values: list[dict[str, Any]] = [{"k": 1} for _ in range(300)]
    values[150] = {"k": 2}
    values[200] = {"k": 3}
    values[201] = {"k": 1, "big": True}
    facts = facts_of(*values)
    found, matcher = matched(CompiledRuleSet((restriction, call)), facts, chunk=7)
    assert [(f.rule_id, f.event_ids) for f in found] == [("p1", ("E148", "E150")), ("p1", ("E149", "E150")), ("p2", ("E200", "E201"))]
    # every strike but the few live when the restriction or the call came stayed out of durable
    assert matcher.stats.held >= 280


def test_hand_made_contradictory_date_joins_fire_nothing_rather_than_fail():
    # b strictly after and strictly before a: the compiler refuses it, hand-made IR may not
    rule = pair(T("k", "eq", 1), T("k", "eq", 2), Join("event_date", "gt", 0, "event_date"), Join("event_date", "lt", 0, "event_date"), window=3)
    found, _ = matched(CompiledRuleSet((rule,)), facts_of({"k": 1}, {"k": 2}))
    assert found == []


def test_a_cached_number_never_answers_for_a_boolean_nor_the_reverse():
    # True == 1 as a dict key: the single-event stage caches representatives by value, and a
    # boolean must still be judged as a boolean (the reference says a kind mismatch never holds)
    rules = single(T("fatalities", "eq", 1), T("civilian_targeting", "eq", True), T("fatalities", "gte", 1))
    values = [{"fatalities": 1, "civilian_targeting": True}, {"fatalities": True, "civilian_targeting": 1}]
    found, _ = matched(rules, facts_of(*values, *values, *reversed(values)), chunk=2)
    assert [f.event_ids for f in found if f.rule_id == "s0000"] == [("E0",), ("E2",), ("E5",)]


# A batch's keys are resolved a field (column) at a time, each column through one cache read
# in C: these values must not be answered by a cache entry of an equal value of another kind.
_MIXED_NUMBERS: list[Any] = [0, 1, True, False, 1.0, 0.0, None, [1], math.nan, "1", 2.5, -3, 1, True, 0]
_MIXED_FLAGS: list[Any] = [True, False, 1, 0, None, 1.0, "True", True, [True], False]


@pytest.mark.parametrize("order", [1, -1])
@pytest.mark.parametrize("chunk", [1, 4, 1000])
def test_a_column_of_mixed_kinds_is_judged_value_by_value(order, chunk):
    rules = single(T("n", "eq", 1), T("n", "gte", 1), T("n", "lt", 1), T("n", "in", (0, 2.5)), T("f", "eq", True), T("f", "ne", False), T("t", "exists"))
    values = [{"n": n, "f": f, "t": n} for n, f in zip(_MIXED_NUMBERS[::order], _MIXED_FLAGS * 2, strict=False)]
    facts = facts_of(*({k: v for k, v in value.items() if v is not None} for value in values))
    found, matcher = matched(rules, facts, chunk=chunk)
    assert found and matcher.stats.fallback >= 6  # True, False, [1], nan, "1"; 1, 0, 1.0, "True", [True] as flags


def test_rows_give_the_firings_of_facts_with_mixed_kinds():
    rules = single(T("n", "eq", 1), T("n", "gt", 0), T("f", "eq", True), T("t", "exists"), T("t", "contains", "a"))
    names = ("event_id", "event_date", "n", "f", "t")
    rows = [(f"E{k}", 738000 + k, n, f, t) for k, (n, f, t) in enumerate(zip(_MIXED_NUMBERS, _MIXED_FLAGS * 2, ["a", None, ["a"], "b", 3] * 3, strict=False))]
    facts = facts_of_rows(names, rows)
    with open_matcher(rules) as matcher:
        got = sorted(Firing(rule_id, ids) for rule_id, tuples in matcher.feed_rows_by_rule(names, rows).items() for ids in tuples)
    assert got == evaluate(rules, facts) and got


def test_a_column_with_more_new_values_than_the_field_cache_holds(monkeypatch):
    monkeypatch.setattr(durable.single, "CACHE_SIZE", 8)
    rules = single(T("x", "gte", 20), T("x", "eq", 3), T("s", "eq", "v3"))
    facts = facts_of(*({"x": n % 50 + 0.5 * (n % 3), "s": f"v{n % 13}"} for n in range(300)))
    _, matcher = matched(rules, facts, chunk=100)
    assert all(len(plan.cache) <= 8 and len(plan.bool_cache) <= 8 for plan in matcher.plan.fields.values())


@pytest.mark.parametrize("chunk", [3, 1000])
def test_a_python_tested_column_of_mixed_kinds(chunk):
    # strings, lists (with and without absent values around them), tuples, lists of lists:
    # each read from a cache of its kind, or a value at a time; [True] after [1] (E7 after E6)
    # was once answered by [1]'s cached results, (True,) == (1,) as a key
    rules = single(T("t", "contains", "a"), T("t", "matches", "^b"), T("t", "eq", ("a",)), T("t", "contains", 1))
    values: list[Any] = [["a"], ["b", "a"], [], "ab", "b", ("a",), [1], [True], [["a"]], None, ["a"], "a", ["a"], [1.0]]
    facts = facts_of(*({"t": v} if v is not None else {} for v in values))
    found, _ = matched(rules, facts, chunk=chunk)
    assert found
    only_lists = facts_of(*({"t": v} for v in (["a"], ["b"], [1], [True], ["bx", "a"])))
    found, _ = matched(rules, only_lists)
    assert len(found) == 6


def test_a_short_row_leaves_its_last_fields_out():
    rules = CompiledRuleSet((*single(T("x", "eq", 1), T("y", "not_exists")).rules, pair(T("x", "eq", 1), T("x", "eq", 1), *within(0))))
    names = ("event_id", "event_date", "x", "y")
    rows: list[tuple[Any, ...]] = [("E0", 738000, 1), ("E1", 738000, 1, None), ("E2", 738000, 1, 5), ("E3", 738000)]
    with open_matcher(rules) as matcher:
        got = sorted(Firing(rule_id, ids) for rule_id, tuples in matcher.feed_rows_by_rule(names, rows).items() for ids in tuples)
    assert got == evaluate(rules, facts_of_rows(names, rows)) and len(got) > 4


def test_a_long_row_is_read_for_its_names_only():
    # the single-event stage turns a batch's rows into columns by one zip: values past the
    # names (rows of other lengths in the same batch) must neither shift nor drop a column
    rules = CompiledRuleSet((*single(T("x", "eq", 1), T("y", "not_exists"), T("y", "gt", 2)).rules, pair(T("x", "eq", 1), T("y", "gt", 2), *within(0))))
    names = ("event_id", "event_date", "x", "y")
    rows: list[tuple[Any, ...]] = [("E0", 738000, 1, None, 9), ("E1", 738000, 1), ("E2", 738000, 2, 5, "z", "w"), ("E3", 738000, 1, 3)]
    with open_matcher(rules) as matcher:
        got = sorted(Firing(rule_id, ids) for rule_id, tuples in matcher.feed_rows_by_rule(names, rows).items() for ids in tuples)
    assert got == evaluate(rules, facts_of_rows(names, [row[: len(names)] for row in rows])) and len(got) > 4
