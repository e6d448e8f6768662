"""The scoring formula: bounded, monotone in the evidence, independent of order."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskengine.core.events import Event, Source
from riskengine.core.windows import parse_range, parse_week, week_of
from riskengine.scoring.scores import (
    classify,
    overall_score,
    saturate,
    source_weight,
)


def _event(*grades: tuple[str, str, int]) -> Event:
    return Event(
        event_id="T1",
        event_date=dt.date(2025, 7, 1),
        event_type="Explosions/Remote violence",
        country="RUS",
        sources=[Source(name=name, reliability=r, credibility=c) for name, r, c in grades],  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        ([("a", "A", 1)], 1.0),
        ([("a", "B", 2)], 0.64),
        ([("a", "B", 2), ("b", "B", 2)], 0.8704),
        # the same outlet twice is one report, not corroboration
        ([("a", "B", 2), ("A", "B", 2)], 0.64),
        ([("a", "F", 6)], 0.25),
        ([("a", "E", 5)], 0.04),
    ],
)
def test_source_weight_follows_admiralty_grades_and_corroboration(grades, expected):
    assert source_weight(_event(*grades)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0.0, "very low"), (1.99, "very low"), (2.0, "low"), (5.99, "medium"), (6.0, "high"), (8.0, "very high"), (9.99, "very high")],
)
def test_classes_from_thresholds(score, expected):
    assert classify(score, (2.0, 4.0, 6.0, 8.0)) == expected


def test_saturation_reference_points():
    # power law 10 (1 - (1 + P/s)^-1/2): s is a notable week; 10s, 100s and 1000s stay apart
    assert saturate(0, 10) == 0.0
    assert saturate(10, 10) == 2.93
    assert saturate(30, 10) == 5.0
    assert saturate(100, 10) == 6.98
    assert saturate(990, 10) == 9.0
    assert saturate(10_000, 10) == 9.68
    assert saturate(1e6, 10) == 9.97
    assert saturate(1e12, 10) == 9.99  # never 10, even where rounding would reach it


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 1e7, allow_nan=False), st.floats(0, 1e7, allow_nan=False), st.floats(0.01, 1e4, allow_nan=False))
def test_saturation_is_bounded_and_monotone(p, q, s):
    low, high = sorted((p, q))
    assert 0.0 <= saturate(low, s) <= saturate(high, s) < 10.0


def test_lowering_points_take_off_at_most_max_relief_of_the_raising_points():
    from riskengine.scoring.scores import net_points

    assert net_points(10.0, 3.0, 0.5) == 7.0
    assert net_points(10.0, 30.0, 0.5) == 5.0  # bounded: at most half
    assert net_points(0.0, 30.0, 0.5) == 0.0  # nothing to lower, nothing lowered
    assert net_points(10.0, 30.0, 0.0) == 10.0
    assert net_points(10.0, 30.0, 1.0) == 0.0  # never negative


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 10**6), max_size=8),
    st.lists(st.integers(0, 10**6), max_size=8),
    st.randoms(use_true_random=False),
)
def test_dimension_points_do_not_depend_on_order_and_stay_within_the_relief_bound(raising, lowering, rnd):
    from riskengine.scoring.scores import Contribution, dimension_points

    def contribution(units: int, sign: int) -> Contribution:
        return Contribution(
            rule_id="r", rule_title="r", stakeholder="ngo", dimension="humanitarian", event_ids=["e"],
            event_date=dt.date(2025, 7, 1), region="UKR", points=1.0, source_weight=1.0,
            weighted_points=sign * units / 10_000, recommendation=None, rule_source="000 x", rule_file="f", rule_line=1, sources=[],
        )

    items = [contribution(u, 1) for u in raising] + [contribution(u, -1) for u in lowering]
    got = dimension_points(items, 0.5)
    rnd.shuffle(items)
    assert dimension_points(items, 0.5) == got
    r = sum(raising) / 10_000
    p = got.get("humanitarian", 0.0)
    assert r / 2 - 1e-9 <= p <= r + 1e-9


points_lists = st.lists(st.floats(min_value=0, max_value=50, allow_nan=False), max_size=30)
weights = st.dictionaries(st.sampled_from(["a", "b", "c"]), st.floats(min_value=0.1, max_value=5), min_size=1)


@settings(max_examples=200, deadline=None)
@given(points=points_lists, extra=st.floats(min_value=0, max_value=50), w=weights, data=st.data())
def test_overall_is_bounded_monotone_and_order_independent(points, extra, w, data):
    dims = sorted(w)
    assignment = [data.draw(st.sampled_from(dims)) for _ in points]

    def totals(pairs):
        out: dict[str, float] = {}
        for d, p in pairs:
            out[d] = out.get(d, 0.0) + p
        return out

    pairs = list(zip(assignment, points, strict=False))
    base = overall_score(totals(pairs), w, 10.0)
    assert 0.0 <= base <= 10.0
    shuffled = data.draw(st.permutations(pairs))
    assert overall_score(totals(shuffled), w, 10.0) == pytest.approx(base, abs=0.011)
    more = [*pairs, (data.draw(st.sampled_from(dims)), extra)]
    assert overall_score(totals(more), w, 10.0) >= base - 0.011


def test_weeks_and_ranges():
    w = parse_week("2025-W27")
    assert (w.start, w.end) == (dt.date(2025, 6, 30), dt.date(2025, 7, 6))
    assert w.previous().label == "2025-W26"
    assert [x.label for x in w.history(3)] == ["2025-W25", "2025-W26", "2025-W27"]
    assert week_of(dt.date(2025, 1, 1)).label == "2025-W01"
    r = parse_range("2025-06-01", "2025-06-10")
    assert r.previous() == parse_range("2025-05-22", "2025-05-31")


@pytest.mark.parametrize(
    ("text", "message"),
    [("2025-27", "'2025-27' is not an ISO week"), ("2025-W54", "2025 has no week 54")],
)
def test_bad_weeks_are_input_errors(text, message):
    from riskengine.core.errors import InputError

    with pytest.raises(InputError) as info:
        parse_week(text)
    assert info.value.issues[0].message == message


# Per-dimension saturation (issue #13, part 4)


def test_saturation_is_one_number_or_a_mapping_with_a_default():
    from riskengine.rules.models import Profile

    weights = {"humanitarian": 1.0, "security": 1.0}
    one = Profile(title="t", dimension_weights=weights, saturation=10)
    per = Profile(title="t", dimension_weights=weights, saturation={"default": 10, "humanitarian": 40})
    no_default = Profile(title="t", dimension_weights=weights, saturation={"humanitarian": 40})
    assert one.saturation_for("humanitarian") == one.saturation_for("security") == 10.0
    assert (per.saturation_for("humanitarian"), per.saturation_for("security")) == (40.0, 10.0)
    assert no_default.saturation_for("security") == 10.0
    points = {"humanitarian": 40.0, "security": 10.0}
    # each dimension at its own saturation reaches 2.93; the mean of the two is 2.93 too
    assert overall_score(points, weights, per.saturation) == saturate(40.0, 40.0) == saturate(10.0, 10.0) == 2.93
    # the overall score is the curve over the weighted mean of P/s: (40/10 + 10/10) / 2 = 2.5
    assert overall_score(points, weights, one.saturation) == saturate(2.5, 1.0) == saturate(25.0, 10.0)
    # never below the weighted mean of the dimension scores (the curve is concave)
    assert overall_score(points, weights, one.saturation) >= (saturate(40.0, 10.0) + saturate(10.0, 10.0)) / 2


def test_overall_score_ranks_weeks_by_their_weighted_points():
    """A dimension with a few points low on its curve does not outrank the week-to-week change of
    a dimension far up its curve: weeks rank as their weighted points in units of s."""
    weights = {"diplomatic": 0.35, "security": 0.15}
    saturation = {"default": 2.0, "security": 4.5}
    quiet_diplomacy = {"security": 52.0}  # a deadlier week, no protest crackdown
    crackdown = {"security": 34.0, "diplomatic": 1.6}  # a less deadly week with one crackdown
    assert overall_score(quiet_diplomacy, weights, saturation) > overall_score(crackdown, weights, saturation)
    assert overall_score({}, weights, saturation) == 0.0


@pytest.mark.parametrize("bad", [0, -1, {"default": 0}, {"humanitarian": -5}, {"nonsense": 3}, float("inf"), float("nan"), {"default": float("inf")}])
def test_saturation_must_be_positive_and_name_dimensions(bad):
    from pydantic import ValidationError

    from riskengine.rules.models import Profile

    with pytest.raises(ValidationError):
        Profile(title="t", dimension_weights={"security": 1.0}, saturation=bad)


def test_a_profile_with_per_dimension_saturation_scores_each_dimension_by_its_own(tmp_path):
    """Score and backtest read the dimension's saturation; a mapping whose values are all the
    profile's old number scores exactly as the number did. The test sets its own saturations
    (3 for every dimension, then 40 for humanitarian), so it does not depend on the shipped ones."""
    import yaml

    from riskengine import api
    from riskengine.core.resources import default_rules_dir
    from riskengine.scoring.backtest import run_backtest

    def rules_with(ngo_saturation: object, name: str):
        rules = tmp_path / name
        rules.mkdir()
        for path in default_rules_dir().glob("*.yaml"):
            text = path.read_text(encoding="utf-8")
            if path.name == "profiles.yaml":
                data = yaml.safe_load(text)
                data["profiles"]["ngo"]["saturation"] = ngo_saturation
                text = yaml.safe_dump(data, sort_keys=False)
            (rules / path.name).write_text(text, encoding="utf-8")
        return api.load_rules([rules])

    scalar = rules_with(3.0, "scalar")
    pack = rules_with({"default": 3.0, "humanitarian": 40.0}, "mapping")
    same = rules_with({"default": 3.0}, "same")
    events = api.read_events()
    base = api.score(events, rules=scalar, window="2025-W27", stakeholders=["ngo"]).stakeholders[0]
    assert api.score(events, rules=same, window="2025-W27", stakeholders=["ngo"]).stakeholders[0].dimensions == base.dimensions
    got = api.score(events, rules=pack, window="2025-W27", stakeholders=["ngo"]).stakeholders[0]
    by_dim = {d.dimension: d for d in got.dimensions}
    before = {d.dimension: d for d in base.dimensions}
    assert by_dim["humanitarian"].weighted_points == before["humanitarian"].weighted_points > 0
    assert by_dim["humanitarian"].score == saturate(by_dim["humanitarian"].weighted_points, 40.0)
    assert by_dim["humanitarian"].score < before["humanitarian"].score
    assert by_dim["security"].score == before["security"].score
    week = parse_week("2025-W27")
    series = run_backtest([sorted(events, key=lambda e: e.event_date)], pack, api.compile_pack(pack), first=week, last=week, stakeholders=["ngo"])
    point = series.series[0].weeks[0]
    assert point.score == got.score
    assert [(d.dimension, d.score) for d in point.dimensions] == [(d.dimension, d.score) for d in got.dimensions]


# Evidence that lowers risk (issue #13, part 4)


def _ceasefire(event_id: str = "TUR-CF1", day: int = 5) -> Event:
    return Event(
        event_id=event_id,
        event_date=dt.date(2025, 7, day),
        event_type="Strategic developments",
        sub_event_type="Agreement",
        country="TUR",
        location="Istanbul",
        diplomatic_kind="ceasefire_proposal",
        diplomatic_status="agreed",
        sources=[Source(name="wire", reliability="B", credibility=2), Source(name="second", reliability="B", credibility=2)],
    )


def test_a_ceasefire_agreed_lowers_escalation_by_at_most_max_relief_in_score_and_backtest():
    from riskengine import api
    from riskengine.scoring.backtest import run_backtest

    events = api.read_events()
    before = api.score(events, window="2025-W27", stakeholders=["government"]).stakeholders[0]
    with_one = [*events, _ceasefire()]
    with_many = events + [_ceasefire(f"TUR-CF{i}", 5) for i in range(1, 6)]
    one = api.score(with_one, window="2025-W27", stakeholders=["government"]).stakeholders[0]
    many = api.score(list(reversed(with_many)), window="2025-W27", stakeholders=["government"]).stakeholders[0]
    r = {d.dimension: d for d in before.dimensions}["escalation"].weighted_points
    assert r > 0
    # one agreement (4 x 0.8704 = 3.48 points) would take off more than half of R = 5.115: capped
    half = r - math.floor(0.5 * r * 10_000) / 10_000
    assert {d.dimension: d for d in one.dimensions}["escalation"].weighted_points == half
    # and five agreements take off no more
    assert {d.dimension: d for d in many.dimensions}["escalation"].weighted_points == half
    assert one.score < before.score
    # (five calls for a ceasefire still add diplomatic points: gov-ceasefire-proposal raises)
    esc = [{d.dimension: d.score for d in x.dimensions}["escalation"] for x in (before, one, many)]
    assert esc[2] == esc[1] < esc[0]
    # other dimensions are untouched
    assert {d.dimension: d.weighted_points for d in one.dimensions}["security"] == {d.dimension: d.weighted_points for d in before.dimensions}["security"]
    lowering = [c for c in one.contributions if c.rule_id == "gov-ceasefire-agreed"]
    assert [c.weighted_points for c in lowering] == [-3.4816]
    week = parse_week("2025-W27")
    pack = api.load_rules()
    series = run_backtest([sorted(with_one, key=lambda e: (e.event_date, e.event_id))], pack, api.compile_pack(pack), first=week, last=week, stakeholders=["government"])
    assert series.series[0].weeks[0].score == one.score


def test_a_ceasefire_agreed_in_a_week_without_risk_lowers_nothing():
    from riskengine import api

    report = api.score([_ceasefire()], window="2025-W27", stakeholders=["government", "ngo"])
    assert [s.score for s in report.stakeholders][1] == 0.0
    ngo = report.stakeholders[1]
    assert {d.dimension: d.weighted_points for d in ngo.dimensions}["humanitarian"] == 0.0


@pytest.mark.parametrize("bad", [{"effect": "reduces"}, {"effect": ""}])
def test_effect_is_raises_or_lowers(bad):
    from pydantic import ValidationError

    from riskengine.rules.models import Rule

    base = {"id": "r", "title": "t", "stakeholders": ["ngo"], "dimension": "humanitarian",
            "when": {"field": "country", "equals": "UKR"}, "points": 1, "source": {"document": "000", "section": "s"}}
    assert Rule.model_validate(base).effect == "raises"
    assert Rule.model_validate({**base, "effect": "lowers"}).lowers
    with pytest.raises(ValidationError):
        Rule.model_validate({**base, **bad})


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), float("inf")])
def test_max_relief_is_a_share_between_0_and_1(bad):
    from pydantic import ValidationError

    from riskengine.rules.models import Profile

    assert Profile(title="t", dimension_weights={"security": 1.0}).max_relief == 0.5
    with pytest.raises(ValidationError):
        Profile(title="t", dimension_weights={"security": 1.0}, max_relief=bad)


def test_scaled_points_never_go_below_zero():
    from riskengine.rules.models import ScaledPoints
    from riskengine.scoring.scores import rule_points

    class Leg:
        def facts(self):
            return {"goldstein": -10}

    assert rule_points(ScaledPoints(base=1, per="goldstein", factor=0.5, cap=3), [Leg()], ["event"]) == 0.0
