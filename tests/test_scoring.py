"""The scoring formula: bounded, monotone in the evidence, independent of order."""

from __future__ import annotations

import datetime as dt

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
    assert saturate(0, 10) == 0.0
    assert saturate(10, 10) == 6.32
    assert saturate(1e9, 10) == 10.0


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

    pairs = list(zip(assignment, points))
    base = overall_score(totals(pairs), w, 10.0)
    assert 0.0 <= base <= 10.0
    shuffled = data.draw(st.permutations(pairs))
    assert overall_score(totals(shuffled), w, 10.0) == pytest.approx(base, abs=0.011)
    more = pairs + [(data.draw(st.sampled_from(dims)), extra)]
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
    # each dimension at its own saturation reaches 6.32; the mean of the two is 6.32 too
    assert overall_score(points, weights, per.saturation) == saturate(40.0, 40.0) == saturate(10.0, 10.0) == 6.32
    assert overall_score(points, weights, one.saturation) == round((saturate(40.0, 10.0) + 6.32) / 2, 2)


@pytest.mark.parametrize("bad", [0, -1, {"default": 0}, {"humanitarian": -5}, {"nonsense": 3}])
def test_saturation_must_be_positive_and_name_dimensions(bad):
    from pydantic import ValidationError

    from riskengine.rules.models import Profile

    with pytest.raises(ValidationError):
        Profile(title="t", dimension_weights={"security": 1.0}, saturation=bad)


def test_a_profile_with_per_dimension_saturation_scores_each_dimension_by_its_own(tmp_path):
    """Score and backtest read the dimension's saturation; a mapping whose values are all the
    profile's old number scores exactly as the number did."""
    import yaml

    from riskengine import api
    from riskengine.core.resources import default_rules_dir
    from riskengine.scoring.backtest import run_backtest

    rules = tmp_path / "rules"
    rules.mkdir()
    for path in default_rules_dir().glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.name == "profiles.yaml":
            data = yaml.safe_load(text)
            ngo = data["profiles"]["ngo"]
            ngo["saturation"] = {"default": ngo["saturation"], "humanitarian": 40.0}
            text = yaml.safe_dump(data, sort_keys=False)
        (rules / path.name).write_text(text, encoding="utf-8")
    events = api.read_events()
    base = api.score(events, window="2025-W27", stakeholders=["ngo"]).stakeholders[0]
    pack = api.load_rules([rules])
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
