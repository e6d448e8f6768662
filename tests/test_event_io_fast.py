"""The JSON Lines fast path (pydantic-core parses and validates in one go) must accept exactly
what the careful path accepts, and give the same event; everything else it hands back."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskengine.core.errors import EventError
from riskengine.core.events import Event
from riskengine.ingest.event_files import _fast_event, read_events, stream_events

BASE: dict[str, Any] = {
    "event_id": "UKR1",
    "event_date": "2025-06-30",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "country": "UKR",
    "fatalities": 3,
    "initiator_side": "Russia",
    "target_side": "Ukraine",
    "drones_launched": 10,
    "drones_intercepted": 8,
    "sources": [{"name": "Reuters", "reliability": "A", "credibility": 2}],
    "figures": [{"field": "injured", "value": 24, "source": "Reuters"}],
    "tags": ["b", "a", "b"],
    "verification": "confirmed",
}


def careful(raw: bytes, tmp: Path) -> Event | str:
    """What the careful path makes of one line (the fast path switched off)."""
    path = tmp / "one.jsonl"
    path.write_bytes(raw)
    try:
        with mock.patch("riskengine.ingest.event_files._fast_event", lambda raw: None):
            events = read_events([path]).events
    except EventError as error:
        return error.issues[0].code
    return events[0] if events else "empty"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"event_id":"A","event_id":"B","event_date":"2025-06-30","event_type":"Protests","country":"UKR","sources":[{"name":"x"}]}',
        b'{"event_id" :"A","event_id":"B","event_date":"2025-06-30","event_type":"Protests","country":"UKR","sources":[{"name":"x"}]}',
        b'{"event_id":"A","event_date":"2025-06-30","event_type":"Protests","country":"UKR","sources":[{"name":"x","name":"y"}]}',
        b'{"event_id":"A","notes":"a \\":b","event_date":"2025-06-30","event_type":"Protests","country":"UKR","sources":[{"name":"x"}]}',
        b'{"event_id":"A","event_date":"2025-06-30","event_type":"Protests","country":"UKR","sources":[{"name":"x"}]} x',
        b'{"event_id":"A","event_date":"2025-06-30","event_type":"Protests","country":"ukr","sources":[{"name":"x"}]}',
        b'{"event_id":"A","event_date":"2025-06-30","event_type":"Protests","country":"UKR","sources":[{"name":"\xff"}]}',
        b'[1]',
        b'{"event_id":"A","event_date":"2025-06-30","event_type":"Protests","country":"UKR","latitude":NaN,"sources":[{"name":"x"}]}',
    ],
    ids=["duplicate", "duplicate-with-space", "duplicate-in-source", "colon-in-string", "trailing", "invalid", "not-utf8", "not-object", "nan"],
)
def test_lines_the_fast_path_must_hand_over(raw: bytes) -> None:
    assert _fast_event(raw) is None


def test_a_duplicate_key_is_still_an_error_in_a_jsonl_file(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    path.write_bytes(b'{"event_id":"A","event_id":"B","event_date":"2025-06-30","event_type":"Protests","country":"UKR","sources":[{"name":"x"}]}\n')
    with pytest.raises(EventError) as caught:
        read_events([path])
    assert [i.code for i in caught.value.issues] == ["E102"]
    location = caught.value.issues[0].location
    assert (location.file, location.line) == (str(path), 1)


def test_fast_path_takes_a_plain_valid_line() -> None:
    event = _fast_event(json.dumps(BASE, separators=(",", ":")).encode())
    assert event is not None and event == Event.model_validate(BASE)


def test_feed_events_are_the_same_either_way(tmp_path: Path) -> None:
    """Every line of a generated feed: the fast path's event equals model_validate's."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate  # the benchmark's realistic feed

    lines = [json.dumps(record, separators=(",", ":")) for record in generate.generate(3000, seed=11)]
    for line in lines:
        fast = _fast_event(line.encode())
        assert fast is not None, line
        assert fast.model_dump() == Event.model_validate(json.loads(line)).model_dump()


_any_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 300),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", " UKR ", "UKR", "2025-07-01", "Russia", "Air/drone strike", "Battles", "A", "6", '":', "x\u00e9"]),
    st.lists(st.sampled_from(["a", "b", 1]), max_size=2),
    st.just([{"name": "x", "reliability": "B"}]),
    st.just([{}]),
)
# Values a field accepts, so that most examples are valid events and take the fast path.
_valid_values: dict[str, st.SearchStrategy[Any]] = {
    "event_id": st.text(min_size=1, max_size=8),
    "notes": st.text(max_size=12),
    "latitude": st.floats(-90, 90),
    "geo_precision": st.integers(1, 3),
    "fatalities": st.integers(0, 50),
    "injured": st.integers(0, 50),
    "drones_launched": st.integers(10, 50),
    "scheduled_date": st.sampled_from(["2025-07-01", "2025-07-01T00:00:00", None]),
    "civilian_targeting": st.sampled_from([True, False, "true", 0, 1]),
    "tags": st.lists(st.text(max_size=4), max_size=3),
    "country": st.sampled_from(["RUS", " ROU ", "ukr"]),
    "sources": st.lists(
        st.fixed_dictionaries({"name": st.text(min_size=1, max_size=5)}, optional={"reliability": st.sampled_from("ABF"), "credibility": st.integers(1, 6), "url": st.none()}),
        min_size=1,
        max_size=3,
    ),
}


@st.composite
def _changes(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(st.sampled_from([*BASE, *_valid_values, "colour"]), unique=True, max_size=4))
    changes = {}
    for key in keys:
        valid = [_valid_values[key]] * 3 if key in _valid_values else []
        changes[key] = draw(st.one_of(*valid, _any_value))
    return changes


@settings(max_examples=400, deadline=None)
@given(
    changes=_changes(),
    drop=st.sets(st.sampled_from(list(BASE)), max_size=1),
    spacing=st.sampled_from([(",", ":"), (", ", ": "), (",", " :")]),
)
def test_fast_path_agrees_with_the_careful_path(tmp_path_factory: pytest.TempPathFactory, changes: dict[str, Any], drop: set[str], spacing: tuple[str, str]) -> None:
    record = {k: v for k, v in BASE.items() if k not in drop}
    record.update(changes)
    raw = json.dumps(record, separators=spacing, ensure_ascii=False).encode()
    fast = _fast_event(raw)
    slow = careful(raw + b"\n", tmp_path_factory.mktemp("line"))
    if fast is None:
        return  # handed over: the careful path decides, and it is what reads the line
    assert isinstance(slow, Event), f"fast path accepted what the careful path rejects ({slow}): {raw!r}"
    assert fast.model_dump() == slow.model_dump()


def test_stream_mixes_both_paths_in_input_order(tmp_path: Path) -> None:
    good = json.dumps(BASE, separators=(",", ":"))
    spaced = json.dumps({**BASE, "event_id": "UKR2"})  # ", " and ": ": the careful path
    path = tmp_path / "mixed.jsonl"
    path.write_text(good + "\n" + spaced + "\n" + good.replace("UKR1", "UKR3") + "\n")
    events = [e.event_id for chunk in stream_events([path]) for e in chunk]
    assert events == ["UKR1", "UKR2", "UKR3"]
