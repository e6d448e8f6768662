"""The scoring formula: bounded, monotone in the evidence, independent of order."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskengine.core.events import Event, Source
from riskengine.scoring.scores import (
    classify,
    overall_score,
    saturate,
    source_weight,
)
from riskengine.core.windows import parse_range, parse_week, week_of


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
