"""The pattern stage's filing and expiring in C (riskengine/core/_native.c: pattern_file,
joined_expire, release_expired) against the Python code they stand for (PatternStage._file,
patterns.joined_expire, patterns.release_expired), which stays the fallback and the oracle.

The stage is run twice on the same stream, once each way, and must give the same firings in the
same order, the same state after every slice (what is live, waiting, retained, filed by day,
the fact ids held, the counts) and the same errors; on random rules and streams, on date-span
rules, and on hostile join values and dates (floats, NaN, huge and negative numbers, strings
where numbers are expected, a date that is no number). Bad input to the C functions is a typed
error, never a crash.
"""

from __future__ import annotations

import copy
import heapq
import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ir_strategies import fact_streams, random_facts, random_ruleset, rulesets
from test_date_join import before_talks, talks_and_strikes

from riskengine.engine.durable import patterns
from riskengine.engine.matching import open_matcher
from riskengine.rules.ir import CompiledRule, CompiledRuleSet, Join, Pattern
from riskengine.rules.ir import Test as T

native = patterns._NATIVE
needs_native = pytest.mark.skipif(native is None, reason="the C extension is not built (python setup.py build_ext --inplace)")


def state(stage: patterns.PatternStage) -> str:
    """Everything the stage keeps between slices, as text (NaN equals itself there, and the
    order of every dict counts)."""
    return repr(
        (
            stage._live,
            stage._expiry,
            stage._dead,
            stage._waiting,
            stage._waiting_by,
            stage._live_flags,
            stage._filed_flags,
            stage._retained,
            stage._event_of,
            stage.ids.held,
            stage.ids.hashes,
            [(j.covered, j.at) for j in stage._joined],
            stage._joined_filed,
            stage._joined_expiry,
            stage._max_date,
            stage.stats,
        )
    )


def run(ruleset: CompiledRuleSet, facts: Sequence[Mapping[str, Any]], chunk: int, use_native: bool, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Per chunk, the firings in the order found and the stage's state after it; the error
    (type and text) where one is raised."""
    monkeypatch.setattr(patterns, "_NATIVE", native if use_native else None)
    seen: list[Any] = []
    with open_matcher(ruleset) as matcher:
        stage = matcher.patterns  # type: ignore[attr-defined]
        assert (stage._native is not None) == use_native
        for start in range(0, len(facts), chunk):
            try:
                found = matcher.feed(facts[start : start + chunk])
            except Exception as error:  # noqa: BLE001 -- the errors are compared
                seen.append((type(error).__name__, str(error)))
                break
            seen.append(([(f.rule_id, f.event_ids) for f in found], state(stage)))
    return seen


def both_ways(ruleset: CompiledRuleSet, facts: Sequence[Mapping[str, Any]], chunk: int, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    fast = run(ruleset, facts, chunk, True, monkeypatch)
    slow = run(ruleset, facts, chunk, False, monkeypatch)
    assert fast == slow
    return fast


# Join values and dates the fast path does not take as they are: the Python code converts or
# refuses them, and the C must then do exactly what it does.
ODD = [None, 2.0, 2.5, -0.0, math.nan, math.inf, 2**53, -(2**53), 2**53 - 1, 2**70, True, "3", "", -5]


def spoil(facts: list[dict[str, Any]], rng: random.Random, share: float) -> list[dict[str, Any]]:
    spoiled = []
    for fact in facts:
        fact = dict(fact)
        if rng.random() < share:
            fact[rng.choice(["scheduled_date", "fatalities", "distance_from_border_km", "target_side", "event_date"])] = rng.choice(ODD)
        spoiled.append(fact)
    return spoiled


def date_span_rules() -> CompiledRuleSet:
    """Rules matched by date span (before_talks, its twin for another stakeholder) beside one
    durable matches, sharing candidates: a candidate goes both ways."""
    twin = CompiledRule("before-talks-2", before_talks().patterns, 14)
    near = CompiledRule(
        "near",
        (Pattern("a", T("k", "eq", 2)), Pattern("b", T("k", "eq", 1), (Join("event_date", "gte", 0, "event_date"), Join("fatalities", "eq", 0, "fatalities")))),
        None,
    )
    return CompiledRuleSet((before_talks(), twin, near))


@needs_native
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ruleset=rulesets(), facts=fact_streams(), chunk=st.sampled_from([1, 3, 17, 5000]), seed=st.integers(0, 10**6), share=st.sampled_from([0.0, 0.1, 0.5]))
def test_random_rules_and_streams_file_and_expire_alike(
    ruleset: CompiledRuleSet, facts: list[dict[str, Any]], chunk: int, seed: int, share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    both_ways(ruleset, spoil(facts, random.Random(seed), share), chunk, monkeypatch)


@needs_native
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n=st.integers(1, 300), chunk=st.sampled_from([1, 7, 64, 5000]), share=st.sampled_from([0.0, 0.02, 0.3]))
def test_date_span_rules_pair_file_and_expire_alike(seed: int, n: int, chunk: int, share: float, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = spoil(talks_and_strikes(seed, n), random.Random(seed), share)
    for fact in facts:
        fact["fatalities"] = seed % 2
    both_ways(date_span_rules(), facts, chunk, monkeypatch)


@needs_native
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_larger_random_streams_give_the_same_firings_and_state(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    ruleset = random_ruleset(seed, 12, pattern_percent=60)
    seen = both_ways(ruleset, random_facts(seed, 600), 256, monkeypatch)
    assert any(found for found, _ in seen if isinstance(found, list))  # some rule fired


@needs_native
def test_the_strikes_before_talks_fire_and_expire_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = both_ways(date_span_rules(), talks_and_strikes(7, 3000), 256, monkeypatch)
    assert sum(len(found) for found, _ in seen) > 100


@needs_native
@pytest.mark.parametrize("value", [2**53, 2.5, "x", math.nan])
def test_a_date_the_joins_cannot_use_is_refused_alike(value: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = talks_and_strikes(3, 40)
    talks = next(f for f in facts if "scheduled_date" in f)
    talks["scheduled_date"] = value
    seen = both_ways(date_span_rules(), facts, 8, monkeypatch)
    assert isinstance(seen[-1][0], str) and seen[-1][0] == "EngineLimitError"


# -- the two expiring functions alone -------------------------------------------------------------


def joined_tables(rng: random.Random) -> tuple[list[float], dict[float, list[Any]], list[dict[int, dict[int, str]]]]:
    tables: list[dict[int, dict[int, str]]] = [{}, {}]
    filed: dict[float, list[Any]] = {}
    heap: list[float] = []
    for token in range(rng.randint(0, 30)):
        expires = rng.choice([1, 2, 3, 2.5, math.inf])
        if expires not in filed:
            filed[expires] = []
            if expires != math.inf:
                heapq.heappush(heap, expires)
        first = rng.randint(0, 6)
        for day in range(first, first + rng.randint(1, 4)):
            which = tables[rng.randint(0, 1)]
            which.setdefault(day, {})[token] = f"E{token}"
            filed[expires].append((which, day, token))
    return heap, filed, tables


@needs_native
@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 10**6), before=st.sampled_from([0, 1, 2, 2.5, 3, 4, math.inf, -math.inf]))
def test_joined_expire_is_the_python_one(seed: int, before: float) -> None:
    python = joined_tables(random.Random(seed))
    c = copy.deepcopy(python)
    patterns.joined_expire(python[0], python[1], before)
    native.joined_expire(c[0], c[1], before, heapq.heappop)
    assert repr(c) == repr(python)


def waiting_state(rng: random.Random) -> tuple[list[int], dict[int, Any], dict[Any, dict[int, None]], list[int], dict[int, list[Any]], dict[int, str], dict[int, int], dict[int, int]]:
    waiting: dict[int, Any] = {}
    waiting_by: dict[Any, dict[int, None]] = {}
    retained: dict[int, list[Any]] = {}
    event_of: dict[int, str] = {}
    hashes: dict[int, int] = {}
    held: dict[int, int] = {}
    seqs = list(range(rng.randint(0, 20)))
    for seq in seqs:
        mine = rng.choice([(0,), (1,), (0, 1)])
        if rng.random() < 0.7:
            waiting[seq] = ({"id": seq}, mine)
            waiting_by.setdefault(mine, {})[seq] = None
        retained[seq] = [f"E{seq}", (), rng.randint(1, 2), {}]
        event_of[seq] = f"E{seq}"
        hashes[seq] = 1000 + seq
        held[1000 + seq] = seq
    expired = [seq for seq in seqs if rng.random() < 0.6]
    return expired, waiting, waiting_by, [], retained, event_of, hashes, held


@needs_native
@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_release_expired_is_the_python_one(seed: int) -> None:
    python = waiting_state(random.Random(seed))
    c = copy.deepcopy(python)
    assert native.release_expired(*c) == patterns.release_expired(*python)
    assert repr(c) == repr(python)


# -- bad input --------------------------------------------------------------------------------------


def _errors(function: Any, args: tuple[Any, ...]) -> type[BaseException] | None:
    try:
        function(*args)
    except Exception as error:  # noqa: BLE001 -- the type is compared
        return type(error)
    return None


@needs_native
@pytest.mark.parametrize(
    "args",
    [
        ([1.0], {1.0: [({}, 1)]}, 2),  # an entry too short
        ([1.0], {1.0: [({}, 1, 2)]}, 2),  # a day not filed
        ([1.0], {}, 2),  # a filing gone
        ([1.0], {1.0: 5}, 2),  # a filing that is no list
        ([1.0], {1.0: [(5, 1, 2)]}, 2),  # tables that are no mapping
        (["a"], {"a": []}, 2),  # dates that do not compare
    ],
)
def test_joined_expire_of_bad_input_is_a_typed_error(args: tuple[Any, ...]) -> None:
    python, c = copy.deepcopy(args), copy.deepcopy(args)
    expected = _errors(patterns.joined_expire, python)
    assert expected is not None
    assert _errors(native.joined_expire, (*c, heapq.heappop)) is not None
    with pytest.raises(TypeError):
        native.joined_expire((1.0,), {}, 2, heapq.heappop)  # a heap that is no list


@needs_native
@pytest.mark.parametrize(
    "changes",
    [
        {1: {5: ({}, (0,))}},  # a waiting candidate with no group
        {1: {5: ({}, (0,))}, 2: {(0,): {5: None}}},  # and not retained
        {1: {5: ("only",)}},  # a waiting entry too short
        {1: {5: ({}, (0,))}, 2: {(0,): {5: None}}, 4: {5: ["E", ()]}},  # a retained entry too short
        {1: {5: ({}, (0,))}, 2: {(0,): {5: None}}, 4: {5: ["E", (), 1, {}]}},  # no event id, no hash
        {1: {5: ({}, (0,))}, 2: {(0,): []}, 4: {5: ["E", (), 1, {}]}},  # a group that is no dict
    ],
)
def test_release_expired_of_bad_input_is_a_typed_error(changes: dict[int, Any]) -> None:
    args: list[Any] = [[5], {}, {}, [], {}, {}, {}, {}]
    for at, value in changes.items():
        args[at] = value
    python, c = copy.deepcopy(args), copy.deepcopy(args)
    expected = _errors(patterns.release_expired, tuple(python))
    assert expected is not None
    assert _errors(native.release_expired, tuple(c)) is not None
    with pytest.raises(TypeError):
        native.release_expired([5], [], {}, [], {}, {}, {}, {})  # waiting as a list


@needs_native
def test_pattern_file_of_bad_input_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "_NATIVE", native)
    with open_matcher(date_span_rules()) as matcher:
        stage = matcher.patterns  # type: ignore[attr-defined]
        layout = stage.layout(("event_id", "event_date", "k", "scheduled_date", "fatalities"))
        ctx = stage._native_context
        per_set: list[list[Any]] = [[] for _ in stage.rulesets]
        flags_of: list[list[Any]] = [[] for _ in stage.rulesets]
        good = ((("E1", 738000, 2, None, 0), "E1", next(iter(stage._routes), (0,)), 738000),)
        calls = [
            (ctx[:-1], good, layout.read, layout.at, layout.kinds, layout.positions, 0, per_set, flags_of, {}),  # a context too short
            (ctx, [("row", "E1")], layout.read, layout.at, layout.kinds, layout.positions, 0, per_set, flags_of, {}),  # a candidate too short
            (ctx, good, layout.read, layout.at[:-1], layout.kinds, layout.positions, 0, per_set, flags_of, {}),  # positions too few
            (ctx, good, layout.read, [99] * len(layout.at), layout.kinds, layout.positions, 0, per_set, flags_of, {}),  # out of the row
            (ctx, good, layout.read, ["a"] * len(layout.at), layout.kinds, layout.positions, 0, per_set, flags_of, {}),  # not positions
            (ctx, 5, layout.read, layout.at, layout.kinds, layout.positions, 0, per_set, flags_of, {}),  # candidates no sequence
        ]
        for args in calls:
            with pytest.raises((TypeError, IndexError, ValueError)):
                native.pattern_file(*args)


# -- fact ids ---------------------------------------------------------------------------------------

_NUMBERS = st.one_of(st.integers(0, 50), st.sampled_from([40189, 797186, 2**64 - 1, 2**64, 2**70, -1, -5, True, "sid-0", "x"]))


@needs_native
@settings(max_examples=300, deadline=None)
@given(numbers=st.lists(_NUMBERS, max_size=12), takes=st.integers(0, 14), releases=st.lists(st.integers(0, 11), max_size=4))
def test_take_id_is_the_python_take(numbers: list[Any], takes: int, releases: list[int]) -> None:
    """The same ids, hashes and error, on numbers that collide (40189 and 797186 share a hash),
    hit the reserved hashes (-1, "sid-0"), are not plain ints, or run out."""
    from riskengine.engine.durable.session import FactIds

    ways = []
    for use_native in (True, False):
        ids = FactIds(iter(numbers), native=use_native)
        assert (ids.take != ids._take) == use_native
        got: list[Any] = []
        for n in range(takes):
            try:
                got.append(ids.take())
            except Exception as error:  # noqa: BLE001 -- the errors are compared
                got.append((type(error).__name__, str(error)))
                break
            if n in releases and got[-1] in ids.hashes:
                ids.release(got[-1])
        ways.append(repr((got, ids.held, ids.hashes)))
    assert ways[0] == ways[1]


@needs_native
def test_take_id_of_bad_input_is_a_typed_error() -> None:
    from riskengine.engine.durable.session import RESERVED, id_hash

    with pytest.raises(TypeError):
        native.take_id([1, 2], {}, {}, RESERVED, id_hash, RuntimeError)  # no iterator
    with pytest.raises(TypeError):
        native.take_id(iter([1]), [], {}, RESERVED, id_hash, RuntimeError)
    with pytest.raises(TypeError):
        native.take_id(iter([[1]]), {}, {}, RESERVED, id_hash, RuntimeError)  # unhashable, via id_hash: str of a list hashes, the dict key does not
    with pytest.raises(ZeroDivisionError):
        native.take_id(iter([-1]), {}, {}, RESERVED, lambda number: 1 / 0, RuntimeError)


def test_a_dropped_matcher_frees_its_pattern_stage_without_the_cyclic_collector() -> None:
    """Regression: the C path's context held a bound method of the stage, a cycle that kept
    each finished Dask task's candidates until the collector ran (workers' peak +16-30 MB)."""
    import gc
    import weakref

    gc.disable()
    try:
        with open_matcher(date_span_rules()) as matcher:
            matcher.feed(talks_and_strikes(7, 300))
            stage = weakref.ref(matcher.patterns)  # type: ignore[attr-defined]
        del matcher
        assert stage() is None
    finally:
        gc.enable()
