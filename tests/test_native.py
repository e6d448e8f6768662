"""The C batch path (``riskengine.core._native``) against the Python path it replaces, which stays as
its fallback and its oracle: the same events and refusals for every batch of lines, the same
source weights, the same backtest; and bad input is a typed Python error, never a crash.

The extension is optional (setup.py): where it is not built these tests are skipped, and
``test_the_extension_is_built_where_the_suite_runs`` says so unless RISKENGINE_NATIVE=0 asks for
the Python path (tests/test_installed.py checks that a wheel built offline carries it)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_fast_reader import REFUSED, TAKEN, lines

from riskengine.api import compile_pack, load_rules
from riskengine.core.events import FIELDS, SUB_EVENT_TYPES, Event, Source
from riskengine.ingest import fast_events
from riskengine.ingest.fast_events import FastEvent, FastFigure, FastSource, decode_lines, decode_lines_python
from riskengine.scoring import facts, scorer
from riskengine.scoring.facts import rows_projector

REPO = Path(__file__).resolve().parent.parent
native: Any = fast_events.NATIVE
needs_native = pytest.mark.skipif(native is None, reason="riskengine.core._native is not built (or RISKENGINE_NATIVE=0)")


def test_the_extension_is_built_where_the_suite_runs() -> None:
    if os.environ.get("RISKENGINE_NATIVE") == "0":
        pytest.skip("RISKENGINE_NATIVE=0: the Python path is asked for")
    assert native is not None, "riskengine.core._native is not built: `pip install -e .` or `python setup.py build_ext --inplace` builds it"


def test_riskengine_native_0_forces_the_python_path() -> None:
    # the engine's handles too: it reads the extension from riskengine.core.native, not from ingest
    program = (
        "from riskengine.ingest import fast_events; from riskengine.scoring import scorer; from riskengine.core import native;"
        " from riskengine.engine.durable import patterns, session, single;"
        " print(fast_events.NATIVE, scorer._NATIVE_WEIGHTS, native.NATIVE, patterns._NATIVE, session._TAKE_ID, single._CACHED_COLUMN, single._DISTINCT_KEYS)"
    )
    env = {**os.environ, "RISKENGINE_NATIVE": "0", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.split() == ["None"] * 7


def both_ways(batch: list[bytes]) -> list[FastEvent | None]:
    """The batch checked natively and in Python, each from its own decoding (checking puts
    the defaults in): the same events, compared by repr (1 is not 1.0, nor -0.0 0.0)."""
    got = native.check_lines(list(batch), fast_events._decode_each(batch))
    expected = decode_lines_python(batch)
    assert len(got) == len(batch)
    assert [repr(event) for event in got] == [repr(event) for event in expected], batch
    return got  # type: ignore[no-any-return]


# hostile lines: long strings, unicode at the ends, huge numbers, spaced and repeated keys,
# keys with colons in values, bytes that are not UTF-8, nested junk
_HOSTILE = [
    b"",
    b"{}",
    b"[]",
    b"null",
    b"\xff\xfe",
    b'{"event_id":"A"',
    REFUSED[next(iter(REFUSED))],
    json.dumps({"event_id": "x" * 100_000}).encode(),
    json.dumps({"event_id": "UKR1", "event_date": "2025-06-30", "event_type": "Battles", "country": "UKR", "sources": [{"name": "a" * 50_000}], "notes": ":" * 5_000}).encode(),
    json.dumps({"event_id": "UKR1", "event_date": "2025-06-30", "event_type": "Battles", "country": "UKR", "sources": [{"name": "R"}], "troops": 10**40}).encode(),
    json.dumps({"event_id": "UKR1", "event_date": "2025-06-30", "event_type": "Battles", "country": "UKR", "sources": [{"name": "R"}], "notes": "\u2028x\u3000"}).encode(),
    json.dumps({"event_id": "UKR1", "event_date": "2025-06-30", "event_type": "Battles", "country": "ÜKR", "sources": [{"name": "R"}]}, ensure_ascii=False).encode(),
    b'{"event_id" \t:"UKR1","event_date":"2025-06-30","event_type":"Battles","country":"UKR","sources":[{"name":"R"}]}',
    b'{"event_id":"UKR1","event_id":"UKR2","event_date":"2025-06-30","event_type":"Battles","country":"UKR","sources":[{"name":"R"}]}',
    b'{"event_id":"UKR1","event_date":"2025-06-30","event_type":"Battles","country":"UKR","sources":[{"name":"R"}],"tags":["b","a"]}',
    b'{"event_id":"UKR1","event_date":"2025-06-30","event_type":"Battles","country":"UKR","sources":[{"name":"R"}],"tags":["a","a"]}',
    b'{"event_id":"UKR1","event_date":"2025-06-30","event_type":"Battles","country":"UKR","sources":[{"name":"R"}],"tags":["a "," b"]}',
    b'{"event_id":"UKR1","event_date":"2025-06-30","event_type":"Battles","country":"UKR","sources":[{"name":"R"}],"drones_launched":1,"drones_intercepted":2}',
    b'{"event_id":"UKR1","event_date":"2025-06-30","event_type":"Battles","country":"UKR","sources":[{"name":"R"}],"cameo_code":"\\u0661\\u0662"}',
    b'{"event_id":"UKR1","event_date":"2025-06-30","event_type":"Battles","sub_event_type":"Air/drone strike","country":"UKR","sources":[{"name":"R"}]}',
    *TAKEN.values(),
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(st.one_of(lines(), lines(), st.sampled_from(_HOSTILE), st.binary(max_size=40)), min_size=1, max_size=10))
@example(batch=_HOSTILE)
@needs_native
def test_native_checks_give_the_python_paths_events_and_refusals(batch: list[bytes]) -> None:
    both_ways([raw.rstrip(b"\r\n") for raw in batch])


@needs_native
def test_the_world_feeds_lines_are_checked_alike() -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import generate

    batch = [json.dumps(record, separators=(",", ":")).encode() for record in generate.generate(400, seed=11)]
    got = both_ways(batch)
    assert all(isinstance(event, FastEvent) for event in got)


def _struct(**changes: Any) -> FastEvent:
    event = fast_events._decode(TAKEN[next(iter(TAKEN))].rstrip(b"\r\n"))
    for name, value in changes.items():
        setattr(event, name, value)
    return event


@needs_native
@pytest.mark.parametrize(
    ("lines_", "events", "error"),
    [
        ((b"{}",), [None], TypeError),  # a tuple of lines, not a list
        ([b"{}"], [None, None], ValueError),  # one line, two events
        (["{}"], [None], TypeError),  # text, not bytes
        ([b"{}"], [object()], TypeError),  # not a FastEvent
        ([b"{}"], [FastSource(name="R")], TypeError),
        ([b"{}"], [_struct(sources=None)], TypeError),
        ([b"{}"], [_struct(sources=[1])], TypeError),
        ([b"{}"], [_struct(sources=[FastFigure(field="a", value=1, source="b")])], TypeError),
        ([b"{}"], [_struct(tags=(1, 2))], TypeError),
        ([b"{}"], [_struct(tags=["a", 1])], TypeError),
        ([b"{}"], [_struct(figures=[FastSource(name="R")])], TypeError),
        ([b"{}"], [_struct(derived=3)], TypeError),
        ([b"{}"], [_struct(spans=3)], TypeError),
        ([b"{}"], [_struct(notes=3)], TypeError),
        ([b"{}"], [_struct(event_type="no such type", sub_event_type="x")], KeyError),
        ([b"{}"], [_struct(drones_launched="a", drones_intercepted=1)], TypeError),
    ],
)
def test_bad_input_is_a_typed_error(lines_: Any, events: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        native.check_lines(lines_, events)


@needs_native
def test_an_empty_slot_is_an_error_not_a_crash() -> None:
    event = _struct()
    del event.notes  # a struct whose slot holds nothing
    with pytest.raises(ValueError, match="left empty"):
        native.check_lines([b"{}"], [event])
    with pytest.raises(ValueError, match="left empty"):
        event = _struct()
        del event.sources
        native.source_weights([event], {})


@needs_native
def test_setup_refuses_what_is_not_a_struct() -> None:
    with pytest.raises((TypeError, AttributeError)):
        native.setup(int, FastSource, FastFigure, msgspec.UNSET, dict(SUB_EVENT_TYPES))
    with pytest.raises(AttributeError, match="event_id"):
        native.setup(FastSource, FastSource, FastFigure, msgspec.UNSET, dict(SUB_EVENT_TYPES))  # a source has no event fields
    with pytest.raises(RuntimeError, match="setup"):
        native.check_lines([b"{}"], [None])  # a failed setup leaves nothing half set up
    native.setup(FastEvent, FastSource, FastFigure, msgspec.UNSET, dict(SUB_EVENT_TYPES))  # as fast_events left it
    assert native.check_lines([b"{}"], [None]) == [None]


# -- source weights ---------------------------------------------------------------------------

_grades = st.tuples(st.sampled_from(["Reuters", "TASS", "é" * 3, "", "x" * 300]), st.sampled_from("ABCDEF"), st.integers(1, 6))


@settings(max_examples=200, deadline=None)
@given(events=st.lists(st.lists(_grades, min_size=1, max_size=4), max_size=12), known=st.integers(0, 12), whole=st.booleans())
@needs_native
def test_native_source_weights_are_the_python_ones(events: list[list[tuple[str, str, int]]], known: int, whole: bool) -> None:
    made: list[Any] = []
    for n, sources in enumerate(events):
        if whole and n % 2:  # Events and FastEvents in one batch, as prepare never mixes them but might
            made.append(
                Event(
                    event_id=f"E{n}", event_date=dt.date(2025, 1, 1), event_type="Battles", country="UKR",
                    sources=[Source(name=name or "-", reliability=r, credibility=c) for name, r, c in sources],
                )  # type: ignore[arg-type]
            )
        else:
            made.append(_struct(sources=[FastSource(name=name, reliability=r, credibility=c) for name, r, c in sources]))
    for event in made[:known]:
        scorer.cached_source_weight(event)
    assert native.source_weights(made, scorer._WEIGHTS) == scorer.source_weights_python(made)
    assert native.source_weights(tuple(made), scorer._WEIGHTS) == scorer.source_weights_python(made)


@needs_native
@pytest.mark.parametrize("events", [[1], [None], [_struct(sources=5)], [_struct(sources=[1])], 7])
def test_source_weights_of_bad_input_are_typed_errors(events: Any) -> None:
    with pytest.raises((TypeError, AttributeError)):
        native.source_weights(events, {})


# -- the backtest ---------------------------------------------------------------------------------


@needs_native
def test_a_backtest_writes_the_same_bytes_either_way(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import generate

    feed = tmp_path / "feed.jsonl"
    generate.write_jsonl(feed, 3_000, 5)
    out = []
    for mode in ("1", "0"):
        csv = tmp_path / f"out-{mode}.csv"
        env = {**os.environ, "RISKENGINE_NATIVE": mode, "PYTHONPATH": str(REPO)}
        subprocess.run(
            [sys.executable, "-m", "riskengine", "backtest", str(feed), "--from", "2022-W10", "--to", "2025-W27", "-o", str(csv)],
            env=env, check=True, cwd=REPO, capture_output=True,
        )
        out.append(csv.read_bytes())
    assert out[0] == out[1] and out[0].count(b"\n") > 10


# -- the single-event key's columns -------------------------------------------------------------

_cell = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 12), st.sampled_from([0.0, 1.0, 2.5, -0.0, float("nan"), 1e300, 10**30]),
    st.sampled_from(["Kyiv", "Odesa", "", "kyiv", " Kyiv"]), st.lists(st.sampled_from(["a", "b"]), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(_cell, max_size=12), cached=st.lists(_cell, max_size=12), kind=st.sampled_from([0, 1, 2]))
@needs_native
def test_cached_column_answers_only_where_the_cache_holds_every_value(values: list[Any], cached: list[Any], kind: int) -> None:
    cache: dict[Any, Any] = {}
    for value in cached:
        with contextlib.suppress(TypeError):  # a list: never cached
            cache[value] = ("rep", repr(value))
    fits = {0: lambda v: type(v) is not bool, 1: lambda v: type(v) is bool, 2: lambda v: type(v) is str}[kind]

    def held(value: Any) -> bool:
        try:
            return value in cache
        except TypeError:
            return False

    answers = all(v is None or (fits(v) and held(v)) for v in values)
    expected = [None if v is None else cache[v] for v in values] if answers else None
    assert native.cached_column(values, cache, kind) == expected
    assert native.cached_column(tuple(values), cache, kind) == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # it sets the same attribute back each time
@given(batches=st.lists(st.lists(_cell, min_size=1, max_size=10), min_size=1, max_size=4), plan=st.integers(0, 3))
@needs_native
def test_a_key_column_is_the_same_with_or_without_the_c_pass(batches: list[list[Any]], plan: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """FieldPlan.column and PythonGroup.column, batch after batch (their caches filling), with
    the C pass and without it: the same entries, the same rows flagged."""
    from riskengine.engine.durable import single
    from riskengine.rules.ir import Test

    def make() -> Any:
        tests = [
            [Test("fatalities", "gte", 3), Test("fatalities", "lt", 10)],
            [Test("civilian_targeting", "eq", True)],
            [Test("location", "in", ("Kyiv", "Odesa"))],
        ]
        if plan < 3:
            return single.FieldPlan("x", "f0", tests[plan])
        return single.PythonGroup("location", [Test("location", "matches", "^K")], ["p0"])

    with_c, without = make(), make()
    for values in batches:
        got = with_c.column(tuple(values))
        monkeypatch.setattr(single, "_CACHED_COLUMN", None)
        expected = without.column(tuple(values))
        monkeypatch.setattr(single, "_CACHED_COLUMN", native.cached_column)
        assert repr(got[0]) == repr(expected[0]) and got[1] == expected[1]


@needs_native
def test_code_that_changes_what_is_being_read_is_no_crash() -> None:
    """A str subclass's comparison (msgspec never makes one; a caller building structs by hand
    might) empties and replaces the lists the C is reading: the C holds them and reads their
    length again, so it ends with an answer or an error, never freed memory (run under ASan)."""
    event = _struct()
    held: dict[str, list[Any]] = {}

    class Nasty(str):
        def __ge__(self, other: object) -> bool:
            held.pop("tags").clear()
            event.tags = []  # the list being read loses its last other reference
            return False

        __hash__ = str.__hash__

    event.tags = held["tags"] = [Nasty("a"), Nasty("b"), Nasty("c")]
    native.check_lines([b"{}"], [event])

    class Shrinking(str):
        def __eq__(self, other: object) -> bool:
            values.clear()
            return False

        __hash__ = str.__hash__

    values = [Shrinking("Kyiv"), "Odesa", "Lviv"]
    assert native.cached_column(values, {"Kyiv": 1, "Odesa": 2, "Lviv": 3}, 0) in (None, [1, 2, 3])


# -- rows built from the structs --------------------------------------------------------------

_PACK_FIELDS = tuple(compile_pack(load_rules()).fields)
_ROW_FIELDS = [
    _PACK_FIELDS,
    tuple(sorted(FIELDS)),
    ("event_id", "event_date", "tags", "scheduled_date", "interception_rate", "launched_total"),
    ("event_id", "country", "not_a_field", "launched_total"),
    ("event_id", "event_type"),
    (),
]
_figure = st.one_of(st.none(), st.integers(0, 50), st.integers(-(2**70), 2**70))


def typed_rows(rows: list[tuple[Any, ...]]) -> list[list[tuple[type, Any]]]:
    return [[(type(value), value) for value in row] for row in rows]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    batch=st.lists(lines(), min_size=1, max_size=8),
    figures=st.lists(st.tuples(_figure, _figure, _figure, _figure), max_size=8),
    tags=st.lists(st.sampled_from([[], ["a"], ["a", "b"], ("x",), None]), max_size=8),
    scheduled=st.lists(st.sampled_from([None, dt.date(2025, 7, 1), dt.date(1, 1, 1)]), max_size=8),
    fields=st.sampled_from(_ROW_FIELDS),
)
def test_native_rows_are_the_python_rows(
    batch: list[bytes], figures: list[tuple[Any, ...]], tags: list[Any], scheduled: list[Any], fields: tuple[str, ...]
) -> None:
    """struct_rows against the Python path of rows_projector, its oracle (itself checked against
    row_projector's per-event rows in tests/test_pipeline.py): the same values and types, with
    and without a day, for events whose figures, tags and dates were changed to odd values."""
    events = [event for event in decode_lines(batch) if event is not None]
    for event, (dl, di, ml, mi) in zip(events, figures, strict=False):
        event.drones_launched, event.drones_intercepted, event.missiles_launched, event.missiles_intercepted = dl, di, ml, mi
    for event, value in zip(events, tags, strict=False):
        event.tags = value
    for event, value in zip(events, scheduled, strict=False):
        event.scheduled_date = value
    fast = rows_projector(fields)
    slow = rows_projector(fields, native=False)
    assert typed_rows(fast(events, None)) == typed_rows(slow(events, None))
    for event in events:
        day = event.event_date.toordinal()
        group = [e for e in events if e.event_date.toordinal() == day]
        assert typed_rows(fast(group, day)) == typed_rows(slow(group, day))


@settings(max_examples=200, deadline=None)
@given(figures=st.tuples(_figure, _figure, _figure, _figure))
def test_a_derived_field_is_none_where_its_inputs_all_are(figures: tuple[Any, ...]) -> None:
    """What the native rows rely on to skip the call (facts._NONE_UNLESS)."""
    event = _struct()
    event.drones_launched, event.drones_intercepted, event.missiles_launched, event.missiles_intercepted = figures
    for name, inputs in facts._NONE_UNLESS.items():
        derive = FIELDS[name].derive
        assert derive is not None
        if all(getattr(event, field) is None for field in inputs):
            assert derive(event) is None, name


@needs_native
def test_the_world_feeds_rows_are_built_alike() -> None:
    feed = REPO / "benchmarks" / ".cache" / "events-1m-s7-v2.jsonl"
    sys.path.insert(0, str(REPO / "benchmarks"))
    import generate

    raw = [json.dumps(record).encode() for record in generate.generate(3000, seed=11)]
    if feed.exists():
        with feed.open("rb") as handle:
            raw += [line for line, _ in zip(handle, range(3000), strict=False)]
    events = [event for event in decode_lines(raw) if event is not None]
    assert len(events) > 2500
    for fields in _ROW_FIELDS:
        assert typed_rows(rows_projector(fields)(events, None)) == typed_rows(rows_projector(fields, native=False)(events, None))


_POSITION = FastEvent.__struct_fields__.index


@needs_native
@pytest.mark.parametrize(
    ("events", "at", "rest", "encoded", "error"),
    [
        ([Event.model_validate({"event_id": "x", "event_date": "2025-07-01", "event_type": "Protests", "country": "UKR", "sources": [{"name": "s"}]})], (), [], str, TypeError),
        ([_struct(), None], (), [], str, TypeError),
        ([_struct()], [0], [], str, TypeError),  # positions as a list
        ([_struct()], (len(FastEvent.__struct_fields__),), [], str, IndexError),
        ([_struct()], (-1,), [], str, IndexError),
        ([_struct()], ("a",), [], str, TypeError),
        ([_struct()], tuple(range(65)), [], str, ValueError),
        ([_struct()], (), [(0, [1, 2])], str, ValueError),  # a column too long
        ([_struct()], (), [(0, 5)], str, TypeError),  # a column that is no iterable
        ([_struct()], (), [(1, 99)], str, IndexError),
        ([_struct()], (), [(3, 1)], str, ValueError),
        ([_struct()], (), [(1,)], str, TypeError),
        ([_struct()], (), [[1, 1]], str, TypeError),  # a spec as a list
        ([_struct()], (), [(2, len, (1,) * 9)], str, TypeError),  # too many inputs
        ([_struct()], (), [(2, 5, (1,))], str, TypeError),  # not callable
        ([_struct()], (), [(1, 0)] * 65, str, ValueError),
        ([_struct()], (), [], 5, TypeError),
        ([_struct(drones_launched=3)], (), [(2, lambda event: 1 / 0, (_POSITION("drones_launched"),))], str, ZeroDivisionError),
        ([_struct(scheduled_date=dt.date(2025, 1, 1))], (), [(1, _POSITION("scheduled_date"))], lambda value: 1 / 0, ZeroDivisionError),
        (7, (), [], str, TypeError),
    ],
)
def test_struct_rows_of_bad_input_is_a_typed_error(events: Any, at: Any, rest: Any, encoded: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        native.struct_rows(events, at, rest, encoded)


@needs_native
def test_struct_rows_of_an_empty_slot_is_an_error_not_a_crash() -> None:
    for name in ("event_id", "tags", "drones_launched"):
        event = _struct()
        delattr(event, name)
        for at, rest in (((_POSITION(name),), []), ((), [(1, _POSITION(name))]), ((), [(2, str, (_POSITION(name),))])):
            with pytest.raises(ValueError, match="left empty"):
                native.struct_rows([event], at, rest, str)


@needs_native
def test_struct_rows_survives_code_that_changes_what_it_reads() -> None:
    """``derive`` and ``encoded`` are Python code: here they empty the list of events, replace
    and delete the slots being read; the C holds copies and its references, and reads each slot
    again, so it ends with rows or an error, never freed memory (run under ASan)."""
    events = [_struct(scheduled_date=dt.date(2025, 1, 1), drones_launched=2) for _ in range(4)]
    at = (_POSITION("event_id"),)

    def encoded(value: Any) -> Any:
        for event in events:
            event.scheduled_date = dt.date(2024, 1, 1)
        return ("encoded", value)

    def derive(event: FastEvent) -> Any:
        events.clear()
        return [dt.date(2025, 1, 2)]

    rows = native.struct_rows(events, at, [(1, _POSITION("scheduled_date")), (2, derive, (_POSITION("drones_launched"),))], encoded)
    assert [row[1] for row in rows] == [("encoded", dt.date(2025, 1, 1))] + [("encoded", dt.date(2024, 1, 1))] * 3
    assert [row[2] for row in rows] == [("encoded", [dt.date(2025, 1, 2)])] * 4

    victims = [_struct(drones_launched=1) for _ in range(3)]

    def deleting(event: FastEvent) -> int:
        for other in victims:
            with contextlib.suppress(AttributeError):
                del other.event_id
        return 1

    with pytest.raises(ValueError, match="left empty"):
        native.struct_rows(victims, (), [(2, deleting, (_POSITION("drones_launched"),)), (1, _POSITION("event_id"))], str)


# -- each key hashed once ---------------------------------------------------------------------

_key = st.one_of(st.none(), st.tuples(_cell, _cell), st.tuples(st.sampled_from([1, 1.0, True, 2]), st.none()))


@settings(max_examples=300, deadline=None)
@given(keys=st.lists(_key, max_size=30))
@needs_native
def test_distinct_keys_are_dict_fromkeys_and_each_keys_position(keys: list[Any]) -> None:
    """The oracle: dict.fromkeys's keys other than None (so 1, 1.0 and True are one key, the
    first seen), and each row's position among them, -1 for None."""
    try:
        expected = [key for key in dict.fromkeys(keys) if key is not None]
    except TypeError:  # an unhashable entry: the same error
        with pytest.raises(TypeError):
            native.distinct_keys(keys)
        return
    distinct, where = native.distinct_keys(keys)
    assert repr(distinct) == repr(expected)
    assert where == [-1 if key is None else expected.index(key) for key in keys]
    assert native.distinct_keys(tuple(keys)) == (distinct, where)


@needs_native
@pytest.mark.parametrize("keys", [7, [([],)], [None, {}], [(1,), ({1: 2},)]])
def test_distinct_keys_of_bad_input_are_typed_errors(keys: Any) -> None:
    with pytest.raises(TypeError):
        native.distinct_keys(keys)


@needs_native
def test_a_key_whose_comparison_empties_the_list_is_no_crash() -> None:
    class Shrinking(str):
        def __eq__(self, other: object) -> bool:
            keys.clear()
            return str.__eq__(self, other)

        __hash__ = str.__hash__

    keys: list[Any] = [(Shrinking("a"),), (Shrinking("a"),), None, (Shrinking("b"),)]
    assert native.distinct_keys(keys) == ([("a",), ("b",)], [0, 0, -1, 1])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), chunk=st.sampled_from([1, 7, 100]))
@needs_native
def test_the_matcher_fires_alike_with_or_without_distinct_keys(seed: int, chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The matcher's firings (and its cache's counts) with the keys hashed once in C and with
    the Python path, on random rules and facts (some facts repeated, some judged in Python)."""
    from ir_strategies import random_facts, random_ruleset

    from riskengine.engine.durable import single
    from riskengine.engine.matching import open_matcher

    rules = random_ruleset(seed, 30, pattern_percent=20, unbounded=False, selective=2)
    facts = random_facts(seed + 1, 150)
    facts = [*facts, *facts[:40]]

    def run() -> tuple[list[Any], int]:
        with open_matcher(rules) as matcher:
            found = [f for start in range(0, len(facts), chunk) for f in matcher.feed(facts[start : start + chunk])]
            return found, matcher.stats.cache_hits  # type: ignore[attr-defined]

    got = run()
    monkeypatch.setattr(single, "_DISTINCT_KEYS", None)
    expected = run()
    monkeypatch.setattr(single, "_DISTINCT_KEYS", native.distinct_keys)
    assert got == expected


# -- the scorer's counting of firings (tally_firings) ------------------------------------------

# Periods and weights shared between records as prepare shares them (one object a day, one a
# source grade), and some equal but not the same object; values of every kind a row holds, and
# some the C hands back to Python (a list, a Decimal-like object)
_periods = [737_000 + 7 * k for k in range(4)]
_weights = [0.5, 0.75, 1.0, 0.6 + 0.15, -0.0, 0.0]
_values = st.sampled_from([None, 0, 1, 1.0, True, False, -0.0, 0.0, 2**70, float("nan"), float("inf"), "a", "", 3.5])


@st.composite
def _firings(draw: st.DrawFn) -> tuple[dict[str, Any], list[tuple[str, ...]], Any, int]:
    count = draw(st.integers(1, 14))
    nan = float("nan")
    records: dict[str, Any] = {}
    for n in range(count):
        period = draw(st.sampled_from(_periods))
        if draw(st.booleans()):
            period = int(str(period))  # equal, not the same object
        weight = draw(st.sampled_from(_weights))
        if draw(st.integers(0, 9)) == 0:
            weight = nan
        values = tuple(draw(st.lists(_values, min_size=2, max_size=2)))
        if draw(st.integers(0, 19)) == 0:
            values = ([1], *values)  # a value the C does not compare: the Python path counts
        day = period + draw(st.integers(0, 6))
        event_id = draw(st.sampled_from([f"E{n}", f"e{n:03d}", f"Z{n}"]))
        records[event_id] = (event_id, day, period, weight, values)
    ids = list(records)
    legs = draw(st.integers(1, 3))
    tuples = draw(st.lists(st.tuples(*[st.sampled_from(ids)] * legs), max_size=40))
    scales = draw(st.one_of(st.none(), st.just(()), st.lists(st.tuples(st.integers(0, legs - 1), st.integers(0, 2)), min_size=1, max_size=3).map(tuple)))
    first_period = draw(st.sampled_from([0, _periods[1], _periods[3] + 1]))
    return records, tuples, scales, first_period


def _as_text(target: dict[Any, int]) -> list[str]:
    # keys and counts in their order, each item by repr: 1 is not 1.0 nor True, -0.0 not 0.0
    return [repr(item) for item in target.items()]


@settings(max_examples=400, deadline=None)
@given(case=_firings(), before=st.booleans(), recent=st.sets(st.integers(0, 13)))
@example(case=({"a": ("a", 1, 1, 0.5, (1,)), "b": ("b", 1, 1, 0.5, (1.0,))}, [("a",), ("b",), ("a",)], ((0, 0),), 0), before=False, recent={1})
@example(case=({"a": ("a", 2, 1, 0.5, ()), "b": ("b", 2, 8, 0.25, ())}, [("a", "b"), ("b", "a")], None, 0), before=True, recent=set())
@needs_native
def test_native_tally_of_firings_is_the_python_one(case: tuple[dict[str, Any], list[tuple[str, ...]], Any, int], before: bool, recent: set[int]) -> None:
    records, tuples, scales, first_period = case
    # some of the records (the scorer's last batch), read first by the C: the same counts
    batch = {event_id: record for n, (event_id, record) in enumerate(records.items()) if n in recent}
    for which in (scales, None if scales is not None else ()):
        if which is not None and any(at >= 2 for _, at in which) and not all(len(r[4]) > at for r in records.values() for _, at in which):
            continue  # a position past a record's values: IndexError both ways, tested below
        start: dict[Any, int] = {(first_period, "r", 0.5): 2, (first_period, "r", 0.5, ()): 1} if before else {}
        expected, got = dict(start), dict(start)
        python_error = native_error = None
        try:
            scorer.tally_firings_python(records, tuples, which, first_period, "r", expected)
        except Exception as error:  # noqa: BLE001 - the same error both ways
            python_error = error
        try:
            if not native.tally_firings(records, list(tuples), which, first_period, "r", got, batch):
                assert got == start, "nothing is written when the C hands the rule to Python"
                scorer.tally_firings_python(records, tuples, which, first_period, "r", got)
        except Exception as error:  # noqa: BLE001
            native_error = error
        assert repr(native_error) == repr(python_error)
        assert _as_text(got) == _as_text(expected)


@needs_native
def test_native_tally_hands_back_what_it_does_not_compare() -> None:
    records = {"a": ("a", 1, 7, 0.5, (1,)), "b": ("b", 2, 7, 0.5, ([1],)), "c": ("c", 2, 7.0, 0.5, (1,)), "d": ["d", 2, 7, 0.5, (1,)]}
    for tuples, scales in (([("b",)], ((0, 0),)), ([("c",)], None), ([("d",)], None), ([("a",), ("zz",)], None), ([("a",), ("a", "a")], None)):
        target: dict[Any, int] = {}
        assert native.tally_firings(records, tuples, scales, 0, "r", target) is False
        assert target == {}
    target = {}
    assert native.tally_firings(records, [("a",)], ((0, 0),), 0, "r", target) is True
    assert target == {(7, "r", 0.5, (1,)): 1}
    # a leg in the last batch's records or only in the others: counted in C either way
    assert native.tally_firings(records, [("a",)], None, 0, "r", target, {}) is True
    assert native.tally_firings(records, [("a",)], None, 0, "r", target, {"a": records["a"]}) is True
    assert target[(7, "r", 0.5)] == 2
    with pytest.raises(KeyError, match="zz"):
        scorer.tally_firings(records, [("a",), ("zz",)], None, 0, "r", {})  # the Python path's error


@needs_native
@pytest.mark.parametrize(
    "args",
    [
        ([], [], None, 0, "r", {}),  # records not a dict
        ({}, (), None, 0, "r", {}),  # tuples not a list
        ({}, [], None, "0", "r", {}),  # first period not an int
        ({}, [], None, 0, "r", []),  # target not a dict
        ({}, [],),  # too few
    ],
)
def test_native_tally_of_bad_input_is_a_typed_error(args: tuple[Any, ...]) -> None:
    with pytest.raises(TypeError):
        native.tally_firings(*args)


@needs_native
def test_native_tally_survives_a_key_whose_comparison_runs_code() -> None:
    # a target holding a key whose equality empties the records: the C holds what it reads
    records = {"a": ("a", 1, 7, 0.5, (1,))}

    class Hostile:
        def __hash__(self) -> int:
            return hash((7, "r", 0.5))

        def __eq__(self, other: object) -> bool:
            records.clear()
            return False

    target: dict[Any, int] = {Hostile(): 1}
    assert native.tally_firings(records, [("a",), ("a",)], None, 0, "r", target) is True
    assert target[(7, "r", 0.5)] == 2
