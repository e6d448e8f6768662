"""pipeline.projector is the fast form of ``ir.project`` over the FIELDS values: same facts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from riskengine.api import read_events
from riskengine.core.events import FIELDS, Event
from riskengine.core.resources import sample_data_dir
from riskengine.ingest.fast_events import decode_fast
from riskengine.rules.ir import project
from riskengine.scoring.facts import rows_projector
from riskengine.scoring.pipeline import fact_of, projector, row_projector

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate


def slow_fact(event: Event, fields: tuple[str, ...]) -> dict:
    return project({name: FIELDS[name].value_of(event) if name in FIELDS else None for name in fields}, fields)


def events() -> list[Event]:
    feed = [Event.model_validate(record) for record in generate.generate(2000, seed=5)]
    return feed + read_events([sample_data_dir() / "sample_events.yaml"])


@pytest.mark.parametrize(
    "fields",
    [tuple(sorted(FIELDS)), ("event_id", "event_date", "tags", "scheduled_date", "interception_rate"), ("event_id", "not_a_field")],
    ids=["every-field", "dates-lists-derived", "unknown-field"],
)
def test_projector_gives_the_facts_of_project(fields: tuple[str, ...]) -> None:
    fact = projector(fields)
    for event in events():
        expected = slow_fact(event, fields)
        got = fact(event)
        # the same keys and values, of the same JSON types (True is not 1); key order is not
        # part of a fact (the projector copies plain fields first)
        assert got == expected and json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True), event.event_id
        assert fact_of(event, fields) == expected


@pytest.mark.parametrize(
    "fields",
    [tuple(sorted(FIELDS)), ("event_id", "event_date", "tags", "scheduled_date", "interception_rate"), ("event_id",), ("event_id", "not_a_field"), ()],
    ids=["every-field", "dates-lists-derived", "one-plain-field", "unknown-field", "nothing"],
)
def test_a_row_holds_the_values_of_the_projected_fact(fields: tuple[str, ...]) -> None:
    names, row = row_projector(fields)
    assert sorted(names) == sorted(fields)
    for event in events():
        values = row(event)
        assert len(values) == len(names)
        fact = {name: value for name, value in zip(names, values, strict=True) if value is not None}
        expected = slow_fact(event, fields)
        assert fact == expected and json.dumps(fact, sort_keys=True) == json.dumps(expected, sort_keys=True), event.event_id


def typed(rows: list[tuple]) -> list[list[tuple[type, object]]]:
    return [[(type(value), value) for value in row] for row in rows]


@pytest.mark.parametrize(
    "fields",
    [tuple(sorted(FIELDS)), ("event_id", "event_date", "tags", "scheduled_date", "interception_rate"), ("event_id",), ("event_id", "not_a_field"), ()],
    ids=["every-field", "dates-lists-derived", "one-plain-field", "unknown-field", "nothing"],
)
def test_rows_of_a_batch_are_the_rows_of_its_events(fields: tuple[str, ...]) -> None:
    _, row = row_projector(fields)
    rows = rows_projector(fields)
    whole = events()
    lines = [json.dumps(record).encode() for record in generate.generate(2000, seed=5)]
    fast = [event for event in map(decode_fast, lines) if event is not None]
    assert len(fast) > 1500
    mixed = [event for pair in zip(whole, fast, strict=False) for event in pair]
    for batch in (whole, fast, mixed, whole[:1], fast[:1], []):
        # types too: True is not 1, 7 is not 7.0
        assert typed(rows(batch, None)) == typed([row(event) for event in batch])
    # a day group: every event of that date, which the rows then hold as the given ordinal
    by_day: dict[int, list] = {}
    for event in mixed:
        by_day.setdefault(event.event_date.toordinal(), []).append(event)
    for day, batch in by_day.items():
        assert typed(rows(batch, day)) == typed([row(event) for event in batch])


def test_a_projected_fact_is_json_as_before() -> None:
    event = Event.model_validate(
        {"event_id": "x", "event_date": "2025-07-01", "event_type": "Protests", "country": "UKR", "tags": ["b", "a"], "sources": [{"name": "s"}]}
    )
    fields = tuple(sorted(FIELDS))
    assert json.dumps(projector(fields)(event), sort_keys=True) == json.dumps(slow_fact(event, fields), sort_keys=True)
