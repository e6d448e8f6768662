"""``Scorer`` counts firings a leg (a column) at a time: its totals are those of scoring every
firing on its own (``firing_units`` of its legs), for rules of one to three legs, fixed and
scaled points, raising and lowering, with firings before the first period left out."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from riskengine import api
from riskengine.core.errors import InputError
from riskengine.rules.models import ScaledPoints
from riskengine.scoring.scorer import Scorer, _RuleScore, firing_units

PER_FIELDS = ("fatalities", "troops")
FIRST_PERIOD = 700_000


@pytest.fixture(scope="module")
def base_rule():
    return api.load_rules().rules[0]


def groups_of(base_rule, rng: random.Random) -> dict[str, list[_RuleScore]]:
    """Rules of one to three legs, each standing for one or two rules: fixed points, points
    scaled by either field of the first or the last leg, raising or lowering."""
    groups: dict[str, list[_RuleScore]] = {}
    for width in (1, 2, 3):
        legs = tuple(f"l{n}" for n in range(width))
        for kind in ("fixed", "scaled", "mixed"):
            members = []
            for member in range(2 if kind == "mixed" else 1):
                scaled = kind == "scaled" or (kind == "mixed" and member == 1)
                points = (
                    ScaledPoints(base=0.5, per=rng.choice(PER_FIELDS), factor=0.3, cap=40, leg=rng.choice((None, legs[0])))
                    if scaled
                    else float(rng.choice((1, 2.5, 7)))
                )
                rule = base_rule.model_copy(update={"id": f"r{width}{kind}{member}", "points": points})
                members.append(
                    _RuleScore(
                        rule=rule,
                        dimension=rng.choice(("escalation", "humanitarian")),
                        stakeholders=("analyst", "investor")[: rng.randint(1, 2)],
                        leg_names=legs,
                        fixed=None if scaled else float(points),  # type: ignore[arg-type]
                        lowers=rng.random() < 0.3,
                    )
                )
            groups[f"w{width}-{kind}"] = members
    return groups


def reference_totals(groups, records, found):
    """Every firing scored on its own, as a Contribution would be."""
    points: dict = defaultdict(int)
    relief: dict = defaultdict(int)
    firings: dict = defaultdict(int)
    for rule_id, tuples in found.items():
        for event_ids in tuples:
            legs = [records[i] for i in event_ids]
            completing = max(legs, key=lambda r: (r[1], r[0]))
            if completing[2] < FIRST_PERIOD:
                continue
            weight = min(leg[3] for leg in legs)
            for rule in groups[rule_id]:
                units = firing_units(rule, weight, legs, PER_FIELDS)
                for stakeholder in rule.stakeholders:
                    (relief if rule.lowers else points)[(completing[2], stakeholder, rule.dimension)] += units
                    firings[(completing[2], stakeholder)] += 1
    return points, relief, firings


@pytest.mark.parametrize("seed", range(6))
def test_counted_totals_are_those_of_every_firing_scored_alone(base_rule, seed):
    check_counted_totals(base_rule, random.Random(seed), (None, 0, 3, 12), (None, 150, 2000))


@pytest.mark.parametrize("seed", range(4))
def test_counted_totals_with_values_equal_as_keys_but_not_alike(base_rule, seed):
    """totals_now works a firing's units out once per (rule, weight, values): values a dict
    takes for one key (1, 1.0 and True; 0, -0.0 and False) must give the same units, as they do
    scored alone."""
    check_counted_totals(base_rule, random.Random(seed), (None, 0, 0.0, -0.0, False, 1, 1.0, True, 3, 3.0, 12.5), (None, 150, 150.0, 2000))


def check_counted_totals(base_rule, rng: random.Random, first_values: tuple, second_values: tuple) -> None:
    groups = groups_of(base_rule, rng)
    scorer = Scorer(groups, FIRST_PERIOD, None, PER_FIELDS)
    records = {}
    for n in range(300):
        day = FIRST_PERIOD - 20 + rng.randint(0, 60)  # some before the first period
        period = day - (day - FIRST_PERIOD) % 7
        values = (rng.choice(first_values), rng.choice(second_values))
        records[f"E{n:03d}"] = (f"E{n:03d}", day, period, rng.choice((0.25, 0.5, 0.6875, 1.0)), values)
    ids = list(records)
    rng.shuffle(ids)
    scorer.add([records[i] for i in ids[:150]])
    scorer.add(records[i] for i in ids[150:])  # any iterable
    found_all: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for _ in range(3):  # firings arrive in several calls
        found: dict[str, list[tuple[str, ...]]] = {}
        for rule_id in groups:
            width = int(rule_id[1])
            found[rule_id] = [tuple(rng.sample(ids, width)) for _ in range(rng.randint(0, 120))]
            found_all[rule_id] += found[rule_id]
        scorer.score(found)
    totals = scorer.totals_now()
    points, relief, firings = reference_totals(groups, records, found_all)
    assert {k: v for k, v in totals.points.items() if v} == {k: v for k, v in points.items() if v}
    assert {k: v for k, v in totals.relief.items() if v} == {k: v for k, v in relief.items() if v}
    assert dict(totals.firings) == dict(firings)
    assert scorer.fired == sum(len(groups[r]) * len(t) for r, t in found_all.items())


def test_an_event_added_twice_is_named_whether_in_one_batch_or_across_two():
    scorer = Scorer({}, FIRST_PERIOD, 30, PER_FIELDS)
    first = [(f"E{n}", FIRST_PERIOD, FIRST_PERIOD, 1.0, (None, None)) for n in range(5)]
    scorer.add(first)
    with pytest.raises(InputError, match="event 'E3' appears twice"):
        scorer.add([("X1", FIRST_PERIOD, FIRST_PERIOD, 1.0, (None, None)), first[3], first[1]])
    scorer = Scorer({}, FIRST_PERIOD, 30, PER_FIELDS)
    repeated = [*first, ("X", FIRST_PERIOD, FIRST_PERIOD, 1.0, (None, None)), first[2]]
    with pytest.raises(InputError, match="event 'E2' appears twice"):
        scorer.add(repeated)


def test_source_weights_of_a_batch_are_each_events_weight():
    import json
    import sys
    from pathlib import Path

    from riskengine.core.events import Event
    from riskengine.ingest.fast_events import decode_fast
    from riskengine.scoring import scorer as scorer_module
    from riskengine.scoring.scores import source_weight

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate

    records = list(generate.generate(600, seed=11))
    events = [Event.model_validate(r) for r in records[:300]]
    events += [e for e in (decode_fast(json.dumps(r).encode()) for r in records[300:]) if e is not None]
    scorer_module._WEIGHTS.clear()  # misses first, then hits
    for _ in range(2):
        assert scorer_module.source_weights(events) == [source_weight(e) for e in events]  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(4))
def test_evict_lets_go_the_leading_records_older_than_any_pattern_can_reach(seed):
    rng = random.Random(seed)
    scorer = Scorer({}, FIRST_PERIOD, 10, PER_FIELDS)
    days = sorted(rng.randint(FIRST_PERIOD, FIRST_PERIOD + 60) for _ in range(200))
    if seed % 2:  # a record out of order stops the eviction where it stands, as before
        days[50], days[120] = days[120], days[50]
    records = [(f"E{n}", day, FIRST_PERIOD, 1.0, (None, None)) for n, day in enumerate(days)]
    scorer.add(records)
    for last_day in (FIRST_PERIOD + 5, FIRST_PERIOD + 30, FIRST_PERIOD + 40, FIRST_PERIOD + 80):
        horizon = last_day - 10 - 1
        expected = list(records)
        while expected and expected[0][1] < horizon:
            expected.pop(0)
        scorer.evict(last_day)
        assert list(scorer.by_age) == expected
        assert list(scorer.records) == [r[0] for r in expected]
        records = expected
