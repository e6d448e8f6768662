"""Series over the history weeks: each dimension's and each region's score, week by week, for the
brief's trend charts (riskengine/scoring/scores.py: dimension_history, region_history)."""

from __future__ import annotations

import datetime as dt
import typing

import pytest

from riskengine import api
from riskengine.core.events import Event
from riskengine.core.windows import parse_week
from riskengine.scoring.pipeline import HISTORY_WEEKS
from riskengine.scoring.scores import Contribution, ScoreReport, source_weight, stakeholder_score

WEEK = "2025-W27"
NOW = "2025-07-07T06:00:00Z"


@pytest.fixture(scope="module")
def sample() -> tuple[ScoreReport, list[Event]]:
    events = api.read_events()
    return api.score(events, rules=api.load_rules(), window=WEEK, now=NOW), events


def test_history_covers_twelve_weeks_per_dimension_and_region(sample: tuple[ScoreReport, list[Event]]) -> None:
    report, _ = sample
    labels = [w.label for w in parse_week(WEEK).history(HISTORY_WEEKS)]
    assert HISTORY_WEEKS == 12
    for s in report.stakeholders:
        assert [h.window for h in s.history] == labels
        assert [d.name for d in s.dimension_history] == [d.dimension for d in s.dimensions]
        assert [r.name for r in s.region_history] == [r.region for r in s.regions]
        for series in (*s.dimension_history, *s.region_history):
            assert [p.window for p in series.points] == labels


def test_last_two_weeks_of_each_series_are_the_reported_scores(sample: tuple[ScoreReport, list[Event]]) -> None:
    report, _ = sample
    for s in report.stakeholders:
        for d, series in zip(s.dimensions, s.dimension_history, strict=True):
            assert (series.points[-1].score, series.points[-2].score) == (d.score, d.previous_score), (s.stakeholder, d.dimension)
        for r, series in zip(s.regions, s.region_history, strict=True):
            assert (series.points[-1].score, series.points[-2].score) == (r.score, r.previous_score), (s.stakeholder, r.region)


@pytest.mark.parametrize("week", ["2025-W22", "2025-W23", "2025-W25"])
def test_an_earlier_week_of_the_series_is_that_weeks_own_report(sample: tuple[ScoreReport, list[Event]], week: str) -> None:
    # W22 is ten weeks back: its regions come from the region totals the report keeps for its
    # history, which must match what a report of that week computes from its contributions.
    report, events = sample
    own = api.score(events, rules=api.load_rules(), window=week, now=NOW)
    position = [h.window for h in report.stakeholders[0].history].index(week)
    checked = 0
    for s, then in zip(report.stakeholders, own.stakeholders, strict=True):
        assert s.history[position].score == then.score
        dimension_series = {x.name: x.points[position].score for x in s.dimension_history}
        assert dimension_series == {d.dimension: d.score for d in then.dimensions}
        region_series = {x.name: x.points[position].score for x in s.region_history}
        for r in then.regions:
            if r.region in region_series:
                assert region_series[r.region] == r.score, (s.stakeholder, week, r.region)
                checked += r.score > 0
    assert checked, f"no region scored in {week}: the comparison says nothing"


def _contribution(event: Event, dimension: str, points: float) -> Contribution:
    weight = source_weight(event)
    return Contribution(
        rule_id=f"r-{dimension}",
        rule_title="r",
        stakeholder="analyst",
        dimension=dimension,
        event_ids=[event.event_id],
        event_date=event.event_date,
        region=event.region,
        points=points,
        source_weight=weight,
        weighted_points=round(points * weight, 4),
        recommendation=None,
        rule_source="test",
        rule_file="test.yaml",
        rule_line=1,
        sources=[],
    )


def _event(event_id: str, country: str, day: dt.date) -> Event:
    data: dict[str, typing.Any] = {
        "event_id": event_id,
        "event_date": day,
        "event_type": "Battles",
        "country": country,
        "sources": [{"name": "Reuters", "reliability": "B", "credibility": 2}],
    }
    return Event.model_validate(data)


def _score(history: typing.Any, region_history: typing.Any = None) -> typing.Any:
    return stakeholder_score(
        stakeholder="analyst",
        title="t",
        weights={"military": 1.0, "security": 1.0},
        thresholds=[2.0, 4.0, 6.0, 8.0],
        saturation=2.0,
        regions_of_interest=["UKR"],
        current=history[-1][1] if not isinstance(history[-1][1], dict) else [],
        previous=[],
        history=history,
        region_history=region_history,
    )


def test_region_history_from_contributions_and_from_points() -> None:
    ukr = _event("U1", "UKR", dt.date(2025, 7, 1))
    rus = _event("R1", "RUS", dt.date(2025, 7, 2))
    week = [_contribution(ukr, "military", 3.0), _contribution(rus, "security", 1.0)]
    s = _score([("2025-W26", []), ("2025-W27", week)])
    regions = {x.name: [p.score for p in x.points] for x in s.region_history}
    assert regions["UKR"][0] == 0.0 and regions["UKR"][1] > regions["RUS"][1] > 0
    assert {x.name: x.points[-1].score for x in s.region_history} == {r.region: r.score for r in s.regions}
    dimensions = {x.name: [p.score for p in x.points] for x in s.dimension_history}
    assert dimensions["military"][1] == next(d.score for d in s.dimensions if d.dimension == "military")

    # Points per dimension say nothing about regions: no region history unless it is given.
    points = [("2025-W26", {"military": 0.0}), ("2025-W27", {"military": 2.4})]
    assert _score(points).region_history == []
    given = _score(points, [{}, {"UKR": {"military": 2.4}}])
    assert [p.score for p in given.region_history[0].points][-1] > 0
    with pytest.raises(ValueError, match="windows"):
        _score(points, [{}])
