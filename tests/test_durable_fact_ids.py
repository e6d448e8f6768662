"""Issue #19: durable-rules knows a fact only by a 32-bit hash of its id, so two ids with one hash
are one fact to it and the second is dropped. The adapter must never let that happen, and must
never take a dropped fact for a fact that matched nothing."""

from __future__ import annotations

import itertools
import json

import pytest

from riskengine.core.errors import EngineError
from riskengine.engine.base import MatchStats
from riskengine.engine.durable import FactIds, id_hash, patterns, session
from riskengine.engine.matching import open_matcher
from riskengine.engine.reference import evaluate
from riskengine.rules.ir import CompiledRule, CompiledRuleSet, Join, Pattern
from riskengine.rules.ir import Test as T

A, B = 40189, 797186  # the first pair of non-negative integers whose id hashes are equal


def test_our_hash_is_durables_and_the_two_ids_share_it():
    assert id_hash("id") == 926444256  # HASH_ID in durable's state.h
    assert id_hash("sid") == 3593476751  # HASH_SID
    assert id_hash(A) == id_hash(B) == id_hash(str(A))
    assert len({id_hash(n) for n in range(A + 1)}) == A + 1  # none below 40189 collide


def _raw_firings(facts: list[dict[str, object]]) -> tuple[int, list[str]]:
    """Assert straight into durable (no adapter): its result code and its firings."""
    engine = session._engine
    handle = engine.create_ruleset(f"fact_ids_probe_{id(facts)}", json.dumps({"r": {"all": [{"m": {"x": 1}}]}}))
    try:
        code, state = engine.assert_facts(handle, json.dumps(facts))
        messages = []
        started = engine.start_action_for_state(handle, state)
        while started:
            messages.append(started[1])
            following = engine.complete_and_start_action(handle, state)
            while following:
                messages.append(following)
                following = engine.complete_and_start_action(handle, state)
            started = engine.start_action(handle)
            if started:
                state = started[2]
        return code, messages
    finally:
        engine.delete_state(handle, "0")
        engine.delete_ruleset(handle)


def test_durable_drops_the_second_of_two_facts_whose_ids_collide():
    # the trap itself: if durable ever stops dropping, the adapter's care is no longer needed
    code, fired = _raw_firings([{"id": A, "x": 1}, {"id": B, "x": 1}])
    assert code == session.OBSERVED and len(fired) == 1
    # and a fact that matches nothing after it hides even the code
    code, fired = _raw_firings([{"id": A, "x": 1}, {"id": B, "x": 1}, {"id": 5, "x": 2}])
    assert code == session.NOT_HANDLED and len(fired) == 1


def _ruleset() -> session.Ruleset:
    return session.Ruleset({"r": {"all": [{"m": {"x": 1}}], "cap": 100}}, ["x"])


@pytest.mark.parametrize("tail", [[], [{"id": 5, "x": 2}]], ids=["code 2", "code 1 hiding it"])
def test_a_session_refuses_an_id_whose_hash_it_holds(tail):
    ruleset = _ruleset()
    try:
        with pytest.raises(EngineError, match=f"{B} has the same durable-rules hash as {A}"):
            ruleset.assert_facts([{"id": A, "x": 1}, {"id": B, "x": 1}, *tail], MatchStats())
        ruleset.delete_session()
        ruleset.assert_facts([{"id": A, "x": 1}], MatchStats())
        with pytest.raises(EngineError, match="same durable-rules hash"):  # across asserts too
            ruleset.assert_facts([{"id": B, "x": 1}], MatchStats())
        ruleset.delete_session()  # a new session holds nothing
        assert ruleset.assert_facts([{"id": B, "x": 1}], MatchStats())
    finally:
        session.release([ruleset])


def test_a_result_code_that_means_a_lost_fact_raises(monkeypatch):
    # with the Python check fooled, durable's own code 2 must still stop the matcher
    monkeypatch.setattr(session, "id_hash", lambda fact_id: hash(str(fact_id)))
    ruleset = _ruleset()
    try:
        with pytest.raises(EngineError, match="result code 2"):
            ruleset.assert_facts([{"id": A, "x": 1}, {"id": B, "x": 1}], MatchStats())
    finally:
        session.release([ruleset])


def test_fact_ids_skip_a_hash_that_is_held_until_it_is_released():
    ids = FactIds(iter([A, B, B + 1, B]))
    assert ids.take() == A
    assert ids.take() == B + 1  # B skipped: its hash is A's
    ids.release(A)
    assert ids.take() == B
    assert [FactIds().take() for _ in range(3)] == [0, 0, 0] and len(FactIds()) == 0


def test_fact_ids_match_durables_hash_for_every_number_they_build_incrementally():
    numbers = [*range(2000), *range(A - 50, A + 50), *range(B - 50, B + 50), 10**15 + 7]
    ids = FactIds(numbers)
    taken = []
    with pytest.raises(EngineError, match="ran out"):
        while True:
            taken.append(ids.take())
    hashes = [id_hash(str(n)) for n in taken]  # hashed as text, byte by byte, as durable does
    assert len(set(hashes)) == len(taken) == len(ids)  # pairwise distinct, by durable's hash
    assert A in taken and B not in taken and 10**15 + 7 in taken
    # a number is left out only for a hash already taken (or reserved)
    assert all(id_hash(str(n)) in set(hashes) | session.RESERVED for n in set(numbers) - set(taken))
    # numbers are hashed digit by digit on a cached prefix: the same hash as their text
    assert all(id_hash(n) == id_hash(str(n)) for n in itertools.chain(range(-20, 30000), numbers, [2**63 - 1]))


def _pair_rules() -> CompiledRuleSet:
    within = (Join("event_date", "gte", 0, "event_date"), Join("event_date", "lte", 0, "event_date", 3))
    single = CompiledRule("single", (Pattern("e", T("x", "gte", 1)),))
    pair = CompiledRule("pair", (Pattern("a", T("x", "eq", 1)), Pattern("b", T("x", "eq", 2), within)), 3)
    return CompiledRuleSet((single, pair))


FACTS = [
    {"event_id": str(A), "event_date": 738000, "x": 1},
    {"event_id": str(B), "event_date": 738001, "x": 2},
    {"event_id": "other", "event_date": 738001, "y": 1},  # matches nothing: would hide code 2
]


def test_events_40189_and_797186_both_fire_when_durable_would_see_those_ids_single_event():
    rules = _pair_rules()
    with open_matcher(rules) as matcher:
        # the single-event stage numbers one evaluation's facts from these
        matcher.single.numbers = lambda: itertools.chain([A, B], itertools.count(B + 1))  # type: ignore[attr-defined]
        found = matcher.feed(FACTS)
    assert found == evaluate(rules, FACTS)
    assert [f.event_ids for f in found if f.rule_id == "single"] == [(str(A),), (str(B),)]


def test_events_40189_and_797186_both_fire_when_durable_would_see_those_ids_pattern(monkeypatch):
    monkeypatch.setattr(patterns, "MAX_SPAN_DAYS", 0)  # the pair's date span matched by durable too
    rules = _pair_rules()
    with open_matcher(rules) as matcher:
        matcher.patterns.ids = FactIds(itertools.chain([A, B], itertools.count(B + 1)))  # type: ignore[attr-defined]
        found = matcher.feed(FACTS[:1]) + matcher.feed(FACTS[1:])  # held in one session across asserts
        assert matcher.patterns.live_docs(0)[1]["id"] == B + 1  # type: ignore[attr-defined]
    assert sorted(found) == evaluate(rules, FACTS)
    assert [f.event_ids for f in found if f.rule_id == "pair"] == [(str(A), str(B))]
