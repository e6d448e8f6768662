"""The durable matcher gives exactly the reference evaluator's firings.

Many small random rule sets and streams (hypothesis, derandomized so CI is reproducible), cut
into chunks and engine batches at random, and a few large seeded ones: up to 300 rules (a third
of them patterns), 20,000 facts, batches above 5,000, chunks that patterns cross. Each firing
must also come back with the chunk that completes it, once.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ir_strategies import (
    chunkings,
    fact_streams,
    random_facts,
    random_ruleset,
    rulesets,
)

from riskengine.core.errors import EventError
from riskengine.engine.matching import open_matcher
from riskengine.engine.reference import evaluate
from riskengine.rules.ir import CompiledRuleSet, Firing

SETTINGS = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def run_stream(ruleset: CompiledRuleSet, facts: Sequence[Mapping[str, Any]], cuts: Sequence[int], batch_size: int) -> list[list[Firing]]:
    """The firings each chunk ``facts[cuts[i]:cuts[i+1]]`` returned."""
    with open_matcher(ruleset, engine="durable", batch_size=batch_size) as matcher:
        return [matcher.feed(facts[a:b]) for a, b in itertools.pairwise(cuts)]


def check_chunks(per_chunk: Sequence[Sequence[Firing]], facts: Sequence[Mapping[str, Any]], cuts: Sequence[int]) -> None:
    position = {f["event_id"]: n for n, f in enumerate(facts)}
    for k, firings in enumerate(per_chunk):
        assert list(firings) == sorted(firings)
        for firing in firings:
            completed = max(position[i] for i in firing.event_ids)
            assert cuts[k] <= completed < cuts[k + 1], f"{firing} came back with chunk {k}"


@SETTINGS
@given(rulesets(), fact_streams(), st.data())
def test_small_streams_give_the_reference_firings(ruleset, facts, data):
    cuts = data.draw(chunkings(len(facts)))
    batch_size = data.draw(st.sampled_from([1, 2, 3, 5000]))
    per_chunk = run_stream(ruleset, facts, cuts, batch_size)
    assert sorted(f for chunk in per_chunk for f in chunk) == evaluate(ruleset, facts)
    check_chunks(per_chunk, facts, cuts)


def _keep_everything(ruleset: CompiledRuleSet) -> CompiledRuleSet:
    return CompiledRuleSet(tuple(dataclasses.replace(r, window_days=None) for r in ruleset.rules))


@settings(SETTINGS, max_examples=150)
@given(rulesets(), fact_streams(), st.randoms(use_true_random=False), st.data())
def test_without_windows_any_order_gives_the_reference_firings(ruleset, facts, rng, data):
    ruleset = _keep_everything(ruleset)
    rng.shuffle(facts)
    cuts = data.draw(chunkings(len(facts)))
    per_chunk = run_stream(ruleset, facts, cuts, 3)
    assert sorted(f for chunk in per_chunk for f in chunk) == evaluate(ruleset, facts)


@settings(SETTINGS, max_examples=150)
@given(rulesets(), fact_streams(), st.randoms(use_true_random=False))
def test_late_facts_lose_partners_but_never_invent_firings(ruleset, facts, rng):
    for _ in range(len(facts) // 4):  # move some facts much later in the stream
        i = rng.randrange(len(facts))
        facts.append(facts.pop(i))
    got = [f for chunk in run_stream(ruleset, facts, [0, len(facts) // 2, len(facts)], 7) for f in chunk]
    expected = evaluate(ruleset, facts)
    assert set(got) <= set(expected)
    assert len(got) == len(set(got))


# Large cases: (seed, rules, percent pattern rules, facts, facts per day, batch size, chunk size).
# Conditions are narrowed by two equality tests so that 300 rules x 20,000 facts fire tens of
# thousands of times, not millions.
LARGE = [
    (1, 300, 30, 20_000, 3, 6_000, 7_000),
    (2, 120, 50, 20_000, 8, 5_001, 2_500),
    (3, 300, 30, 6_000, 2, 1_000, 333),
]


@pytest.mark.parametrize(("seed", "n_rules", "patterns", "n_facts", "per_day", "batch_size", "chunk"), LARGE)
def test_large_streams_give_the_reference_firings(seed, n_rules, patterns, n_facts, per_day, batch_size, chunk):
    ruleset = random_ruleset(seed, n_rules, pattern_percent=patterns, unbounded=False, selective=2)
    facts = random_facts(seed + 100, n_facts, per_day=per_day)
    cuts = [*range(0, n_facts, chunk), n_facts]
    per_chunk = run_stream(ruleset, facts, cuts, batch_size)
    got = sorted(f for chunk_firings in per_chunk for f in chunk_firings)
    expected = evaluate(ruleset, facts)
    pattern_ids = {r.id for r in ruleset.pattern_rules}
    assert len({f.rule_id for f in expected if f.rule_id in pattern_ids}) > len(pattern_ids) // 3  # patterns do fire
    assert got == expected
    check_chunks(per_chunk, facts, cuts)


def test_the_seeded_builders_are_reproducible():
    assert random_ruleset(7, 20) == random_ruleset(7, 20)
    assert random_facts(7, 50) == random_facts(7, 50)
    assert random.Random(7).random() == random.Random(7).random()


def rows_of(facts: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    names = tuple(sorted({name for fact in facts for name in fact}, reverse=True))  # not the facts' order
    return names, [tuple(fact.get(name) for name in names) for fact in facts]


@settings(SETTINGS, max_examples=150)
@given(rulesets(), fact_streams(), st.data())
def test_facts_fed_as_rows_fire_as_the_same_facts_fed_as_dicts(ruleset, facts, data):
    cuts = data.draw(chunkings(len(facts)))
    batch_size = data.draw(st.sampled_from([1, 3, 5000]))
    names, rows = rows_of(facts)
    with open_matcher(ruleset, engine="durable", batch_size=batch_size) as by_dict, open_matcher(ruleset, engine="durable", batch_size=batch_size) as by_row:
        for a, b in itertools.pairwise(cuts):
            as_dicts = {rule: sorted(ids) for rule, ids in by_dict.feed_by_rule(facts[a:b]).items()}
            as_rows = {rule: sorted(ids) for rule, ids in by_row.feed_rows_by_rule(names, rows[a:b]).items()}
            assert as_rows == as_dicts
        assert by_row.stats == by_dict.stats


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_a_row_without_an_event_id_is_refused_as_a_dict_is(engine):
    ruleset = random_ruleset(3, 5)
    with open_matcher(ruleset, engine=engine) as matcher, pytest.raises(EventError) as raised:
        matcher.feed_rows_by_rule(("event_date", "event_id"), [(738000, "E1"), (738001, None)])
    assert "a fact has no 'event_id' (it holds event_date)" in str(raised.value.issues[0])
