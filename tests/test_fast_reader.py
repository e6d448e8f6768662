"""The backtest's fast reader (``ingest.fast_events.decode_fast``) against ``Event``.

Its specification: a line the fast path accepts is one ``Event`` accepts, with the same fact
row (``scoring.facts.row_projector``) and scoring record; a line it refuses reads exactly as it
did before (same events, issues, counts and rejects file), because it then takes the old path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from riskengine.core.errors import EventError
from riskengine.core.events import FIELDS, SUB_EVENT_TYPES, Derivation, Event, FigureClaim, Source, Span
from riskengine.ingest.event_files import ReadReport, stream_events, stream_light_events
from riskengine.ingest.fast_events import FastDerivation, FastEvent, FastFigure, FastSource, FastSpan, decode_fast, share_names
from riskengine.scoring.facts import projector, row_projector
from riskengine.scoring.reader import Bounds, prepare, scaled_values
from riskengine.scoring.scorer import cached_source_weight

ALL_FIELDS = tuple(sorted(FIELDS))
NAMES, ROW = row_projector(ALL_FIELDS)
# what scaled points may read: a few of the row's fields (copied), one alone, and none
PER_FIELDS = [("fatalities", "injured", "launched_total"), ("troops",), (), ("distance_from_border_km", "interception_rate")]

BASE: dict[str, Any] = {
    "event_id": "UKR1",
    "event_date": "2025-06-30",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "country": "UKR",
    "fatalities": 3,
    "sources": [{"name": "Reuters", "reliability": "A", "credibility": 2}],
}


def record_of(event: Event | FastEvent, per: tuple[str, ...]) -> tuple[Any, ...]:
    """What reader.prepare keeps of an event, besides its day and period."""
    return (event.event_id, cached_source_weight(event), scaled_values(NAMES, per)(ROW(event), event))  # type: ignore[arg-type]


def old_record_of(event: Event, per: tuple[str, ...]) -> tuple[Any, ...]:
    """The same as reader.prepare made it from an Event before FastEvent (a projected dict)."""
    return (event.event_id, cached_source_weight(event), tuple(map(projector(per)(event).get, per)))


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types: 1 is not 1.0 and -0.0 is not 0.0 in a CSV."""
    return bool(a == b and repr(a) == repr(b))


def assert_agrees(raw: bytes) -> FastEvent | None:
    """The specification, for one line: what the fast path accepts, Event accepts the same."""
    fast = decode_fast(raw)
    if fast is None:
        return None
    try:
        event = Event.model_validate_json(raw)
    except ValidationError as error:
        raise AssertionError(f"fast path accepted what Event refuses: {raw!r}\n{error}") from None
    assert same(ROW(fast), ROW(event)), raw
    for per in PER_FIELDS:
        assert same(record_of(fast, per), old_record_of(event, per)), (per, raw)
        assert same(record_of(event, per), old_record_of(event, per)), (per, raw)
    return fast


def read_both(raw: bytes, folder: Path) -> None:
    """The light reader reads a line exactly as the Event reader does: events (as rows),
    counts, issues, the rejects file; and without skip_invalid, the same EventError."""
    path = folder / "one.jsonl"
    path.write_bytes(raw + b"\n")
    outcomes = []
    for reader in (stream_events, stream_light_events):
        report = ReadReport()
        rejects = folder / f"rejects-{reader.__name__}.jsonl"
        rows = [ROW(e) for chunk in reader([path], skip_invalid=True, rejects_path=rejects, report=report) for e in chunk]  # type: ignore[operator]
        issues = [(i.code, i.message, str(i.location)) for i in report.issues]
        try:
            strict = [ROW(e) for chunk in reader([path]) for e in chunk]  # type: ignore[operator]
        except EventError as error:
            strict = [(i.code, i.message, str(i.location)) for i in error.issues]
        outcomes.append((repr(rows), report.records, report.accepted, report.rejected, issues, rejects.read_bytes(), repr(strict)))
    assert outcomes[0] == outcomes[1], raw


# ---------------------------------------------------------------------------------------------
# Generated lines: valid events of every field, then broken or doubtful variants of them

# text mostly without white space (each kind is tried at the ends by _padded), sometimes any
_text = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Z", "Cc")), min_size=1, max_size=6),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6),
)
# white space pydantic strips (Rust's trim), and some it does not (\x1c..\x1f, U+200B, U+180E)
_spaces = st.sampled_from([" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u1680", "\u2003", "\u2028", "\u3000", "\u200b", "\u180e", "\ufeff"])
_padded = st.one_of(_text, _text, _text, _text, st.builds(lambda a, t, b: a + t + b, st.one_of(st.just(""), _spaces), _text, st.one_of(st.just(""), _spaces)))
_day = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
_count = st.integers(0, 2_000)
_float = st.floats(allow_nan=False, allow_infinity=False)


def _sub_types(event_type: str) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.sampled_from(SUB_EVENT_TYPES[event_type]), st.sampled_from(SUB_EVENT_TYPES[event_type]), st.sampled_from([s for subs in SUB_EVENT_TYPES.values() for s in subs]))


_sources = st.lists(
    st.fixed_dictionaries(
        {"name": st.one_of(_padded, st.sampled_from(["Reuters", "reuters", "TASS"]))},
        optional={
            "reliability": st.sampled_from("ABCDEF"),
            "credibility": st.integers(1, 6),
            "url": st.one_of(st.none(), _text),
            "date": _day,
            "document": _text,
            "title": _text,
            "relays": st.sampled_from(["Russia", "Ukraine"]),
        },
    ),
    min_size=1,
    max_size=3,
)
_optional: dict[str, st.SearchStrategy[Any]] = {
    "actor1": _padded,
    "actor2": st.one_of(st.none(), _padded),
    "admin1": _padded,
    "location": _padded,
    "notes": st.one_of(_padded, st.sampled_from(['at 10:30 "the', 'a ":b', "https://x.y/z"])),
    "initiator_side": st.sampled_from(["Russia", "Ukraine", "Russia", "Ukraine", " Russia", "Russia "]),
    "target_side": _padded,
    "target_name": _padded,
    "target_category": st.sampled_from(["military", "energy", "port", "airfield", "Military"]),
    "latitude": st.one_of(st.floats(-90, 90), st.integers(-90, 90)),
    "longitude": st.floats(-180, 180),
    "geo_precision": st.integers(1, 3),
    "civilian_targeting": st.booleans(),
    "injured": _count,
    "hospitalised": _count,
    "drones_launched": _count,
    "drones_intercepted": st.integers(0, 60),
    "missiles_launched": _count,
    "missiles_intercepted": st.integers(0, 60),
    "aircraft_destroyed": _count,
    "troops": st.integers(0, 999_999_999),
    "distance_from_border_km": st.one_of(st.floats(0, 5000), st.integers(0, 10**25)),
    "distance_from_front_km": st.floats(0, 1000),
    "distance_to_nato_km": st.floats(0, 3000),
    "diplomatic_kind": st.sampled_from(["talks", "sanctions", "aid"]),
    "diplomatic_status": st.sampled_from(["scheduled", "held"]),
    "scheduled_date": _day,
    "goldstein": st.floats(-10, 10),
    "avg_tone": st.floats(-100, 100),
    "num_mentions": st.integers(0, 10**20),
    "num_articles": _count,
    "cameo_code": st.sampled_from(["190", "0871", "1952", "19"]),
    "country_fatalities_30d": _count,
    "country_fatalities_30d_peak_365d": _count,
    "country_fatalities_30d_highest_in_days": st.integers(0, 1095),
    "country_admin1_hit_30d": _count,
    "country_armed_groups_30d": _count,
    "verification": st.sampled_from(["confirmed", "claimed", "disputed"]),
    "tags": st.one_of(st.lists(st.sampled_from(["a", "b", "drone", "Z", "é"]), max_size=3).map(lambda tags: sorted(set(tags))), st.lists(st.sampled_from(["a", "b", "drone", "Z", "é"]), max_size=3), st.lists(_padded, max_size=2)),
    "figures": st.lists(
        st.fixed_dictionaries(
            {"field": st.just("injured"), "value": st.one_of(st.integers(0, 50), _float), "source": st.just("Reuters")},
            optional={"claimed_by": st.sampled_from(["Russia", None])},
        ),
        max_size=2,
    ),
    "derived": st.lists(
        st.fixed_dictionaries({"field": st.just("injured"), "value": st.one_of(st.integers(0, 9), st.booleans(), _text), "method": st.just("notes"), "evidence": _text}),
        max_size=1,
    ),
    "spans": st.lists(
        st.fixed_dictionaries({"field": st.just("fatalities"), "article": st.just("a.txt"), "start": st.integers(0, 9), "end": st.integers(0, 9), "text": _text}),
        max_size=1,
    ),
    "fatalities": _count,
}


@st.composite
def valid_events(draw: st.DrawFn) -> dict[str, Any]:
    event_type = draw(st.sampled_from(sorted(SUB_EVENT_TYPES)))
    record: dict[str, Any] = {
        "event_id": draw(st.one_of(st.sampled_from(["UKR1", "RUS 2"]), _padded)),
        "event_date": draw(_day),
        "event_type": event_type,
        "country": draw(st.sampled_from(["UKR", "RUS", "POL"])),
        "sources": draw(_sources),
    }
    sub = draw(_sub_types(event_type))
    if sub is not None:
        record["sub_event_type"] = sub
    for key in draw(st.lists(st.sampled_from(sorted(_optional)), unique=True, max_size=12)):
        record[key] = draw(_optional[key])
    return record


# Values of the wrong kind, or doubtful: lax coercions, booleans, white space, odd dates
_odd = st.sampled_from(
    [None, True, False, "5", 5.0, 5.5, -1, 10**10, 10**30, 1e400, float("nan"), float("-inf"), "", " ", "x", [], {}, ["b", "a"],
     "2025-06-30T00:00:00", "2025-6-30", "20250630", 1751241600, "UKR\n", " UKR", "ukr", "Battles", "A", 6, 0, "0871 "]
)


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    """A valid event as a line, or a variant of it: a key changed, repeated, added or dropped;
    written compact or spaced, as UTF-8 or with escapes."""
    record = draw(valid_events())
    change = draw(st.sampled_from(["none"] * 6 + ["value", "source value", "drop", "extra", "repeat", "repeat in source", "null"]))
    keys = [k for k in record if k != "sources"]
    if change == "value":
        record[draw(st.sampled_from([*keys, *_optional]))] = draw(_odd)
    elif change == "source value":
        record["sources"][0][draw(st.sampled_from(["name", "reliability", "credibility", "date", "colour"]))] = draw(_odd)
    elif change == "drop":
        del record[draw(st.sampled_from(keys))]
    elif change == "extra":
        record[draw(st.sampled_from(["colour", "region", "Event_id"]))] = 1
    elif change == "null":
        record[draw(st.sampled_from(keys))] = None
    separators = draw(st.sampled_from([(",", ":"), (", ", ": "), (",", " :"), (",", ":\t")]))
    raw = json.dumps(record, separators=separators, ensure_ascii=draw(st.booleans()))
    if change == "repeat":
        key = draw(st.sampled_from(keys))
        raw = "{" + json.dumps(key) + ":" + json.dumps(draw(st.one_of(st.just(record[key]), _odd))) + "," + raw[1:]
    elif change == "repeat in source":
        raw = raw.replace('"sources":[{', '"sources":[{"name":"dup",', 1)
    return raw.encode()


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=lines())
def test_fast_path_accepts_only_what_event_accepts_with_the_same_row_and_record(raw: bytes) -> None:
    event("fast path" if assert_agrees(raw) is not None else "refused")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(raw=lines())
def test_a_refused_line_reads_as_before(tmp_path: Path, raw: bytes) -> None:
    read_both(raw, tmp_path)


# ---------------------------------------------------------------------------------------------
# The sneaky cases, one by one

def line(**changes: Any) -> bytes:
    record = {**BASE, **changes}
    return json.dumps({k: v for k, v in record.items() if v is not ...}, separators=(",", ":"), ensure_ascii=False).encode()


REFUSED = {
    "padded text": line(actor1=" Russian forces"),
    "padded id": line(event_id="UKR1 "),
    "id of white space": line(event_id=" "),
    "no-break space": line(notes="\u00a0note"),
    "ideographic space at the end": line(location="Kyiv\u3000"),
    "escaped space": line(notes="x").replace(b'"notes":"x"', b'"notes":"x\\u0020"'),
    "escaped newline": line(target_name="Port\n"),
    "padded country": line(country=" UKR"),
    "country with newline": line(country="UKR\n"),
    "padded tag": line(tags=["a "]),
    "string for a count": line(fatalities="5"),
    "float for a count": line(fatalities=5.0),
    "exponent for a count": line(fatalities=0).replace(b'"fatalities":0', b'"fatalities":5e0'),
    "boolean for a count": line(injured=True),
    "boolean for credibility": line(sources=[{"name": "x", "credibility": True}]),
    "string for a boolean": line(civilian_targeting="true"),
    "number for a boolean": line(civilian_targeting=1),
    "NaN": line(latitude=1.5).replace(b"1.5", b"NaN"),
    "Infinity": line(distance_to_nato_km=1.5).replace(b"1.5", b"Infinity"),
    "overflowing float": line(distance_to_nato_km=1.5).replace(b"1.5", b"1e400"),
    "lone surrogate": line(notes="x").replace(b'"x"', b'"\\ud800"'),
    "lone low surrogate": line(notes="x").replace(b'"x"', b'"a\\udc00b"'),
    "repeated key": b'{"event_id":"A",' + line()[1:],
    "repeated key, same value": b'{"country":"UKR",' + line()[1:],
    "repeated key spaced": b'{"event_id" :"A",' + line()[1:],
    "repeated key spaced by a tab": b'{"event_id"\t:"A",' + line()[1:],
    "repeated key spaced by a carriage return": b'{"event_id"\r:"A",' + line()[1:],
    "repeated key spaced by a line end": b'{"event_id"\n:"A",' + line()[1:],
    "repeated key spaced, a colon in text": b'{"event_id" :"A",' + line(notes="10:30")[1:],
    "repeated key in a source": line().replace(b'[{"name":"Reuters"', b'[{"name":"x","name":"Reuters"'),
    "a string holding a key end (conservative)": line(notes='he said ":"'),
    "repeated key hidden by a colon in text": b'{"event_id":"A",' + line(notes="a:b")[1:],
    "extra key": line(colour="red"),
    "extra key in a source": line(sources=[{"name": "x", "colour": "red"}]),
    "datetime for a date": line(event_date="2025-06-30T00:00:00"),
    "date without zeros": line(event_date="2025-6-30"),
    "timestamp for a date": line(event_date=1751241600),
    "sub-event type of another type": line(event_type="Protests", sub_event_type="Armed clash"),
    "more drones intercepted than launched": line(drones_launched=3, drones_intercepted=4),
    "more missiles intercepted than launched": line(missiles_launched=0, missiles_intercepted=1),
    "tags out of order": line(tags=["b", "a"]),
    "tags repeated": line(tags=["a", "a"]),
    "explicit null": line(actor2=None),
    "count over a billion": line(troops=1_000_000_000),
    "latitude beyond 90": line(latitude=90.5),
    "lower-case country": line(country="ukr"),
    "cameo with a letter": line(cameo_code="19a"),
    "no sources": line(sources=[]),
    "empty source name": line(sources=[{"name": ""}]),
    "id of 201 characters": line(event_id="x" * 201),
    "not an object": b"[1]",
    "trailing data": line() + b" x",
    "not UTF-8": line(notes="x").replace(b'"x"', b'"\xff"'),
}


@pytest.mark.parametrize("raw", list(REFUSED.values()), ids=list(REFUSED))
def test_doubtful_lines_are_refused_and_read_as_before(raw: bytes, tmp_path: Path) -> None:
    assert decode_fast(raw) is None
    read_both(raw, tmp_path)


TAKEN = {
    "plain": line(),
    "defaults written out": line(fatalities=0, civilian_targeting=False, verification="claimed", sources=[{"name": "x", "reliability": "F", "credibility": 6}]),
    "defaults left out": line(fatalities=..., sources=[{"name": "x"}]),
    "int for a float": line(latitude=45, distance_to_nato_km=10**25),
    "negative zero": line(longitude=-0.0),
    "colons in text": line(notes="at 10:30, see https://x.y"),
    "surrogate pair": line(notes="x").replace(b'"x"', b'"\\ud83d\\ude00"'),
    "escaped letters": line(notes="x").replace(b'"x"', b'"a\\u0041\\nb"'),
    "white space inside": line(notes="two  words\tand\na line"),
    "sorted tags": line(tags=["a", "b", "é"]),
    "id of 200 characters": line(event_id="é" * 200),
    "whole numbers of a billion less one": line(troops=999_999_999, num_mentions=10**20),
    "figures, derivations, spans": line(
        figures=[{"field": "injured", "value": 2.5, "source": "x", "claimed_by": "Russia"}, {"field": "injured", "value": 3, "source": "y"}],
        derived=[{"field": "injured", "value": True, "method": "m", "evidence": ""}],
        spans=[{"field": "injured", "article": "a", "start": 0, "end": 2, "text": "t"}],
    ),
    "intercepted equal to launched": line(drones_launched=4, drones_intercepted=4, missiles_intercepted=2),
    "line end": line() + b"\r\n",
}


@pytest.mark.parametrize("raw", list(TAKEN.values()), ids=list(TAKEN))
def test_lines_the_fast_path_takes(raw: bytes, tmp_path: Path) -> None:
    assert assert_agrees(raw) is not None
    read_both(raw, tmp_path)


@example(raw=line(notes="x"))
@settings(max_examples=100, deadline=None)
@given(raw=st.builds(line, notes=_padded, actor1=_padded, tags=st.lists(_padded, max_size=2)))
def test_white_space_at_either_end_is_never_taken_when_event_strips_it(raw: bytes) -> None:
    assert_agrees(raw)


# ---------------------------------------------------------------------------------------------
# The struct is the model: same fields, same defaults


@pytest.mark.parametrize(
    ("struct", "model"), [(FastEvent, Event), (FastSource, Source), (FastFigure, FigureClaim), (FastDerivation, Derivation), (FastSpan, Span)]
)
def test_structs_have_the_fields_and_defaults_of_the_models(struct: Any, model: type[BaseModel]) -> None:
    assert sorted(struct.__struct_fields__) == sorted(model.model_fields)
    required = {name for name, info in model.model_fields.items() if info.is_required()}
    assert {name for name in struct.__struct_fields__ if name not in _struct_defaults(struct)} == required


def _struct_defaults(struct: Any) -> set[str]:
    fields = struct.__struct_fields__
    return set(fields[len(fields) - len(struct.__struct_defaults__) :])


def test_defaults_are_filled_in_as_the_model_fills_them() -> None:
    fast = decode_fast(line(fatalities=..., sources=[{"name": "x"}]))
    event = Event.model_validate_json(line(fatalities=..., sources=[{"name": "x"}]))
    assert fast is not None
    for name in Event.model_fields:
        if name in ("sources",):
            continue
        assert same(getattr(fast, name), getattr(event, name)), name
    assert (fast.sources[0].reliability, fast.sources[0].credibility) == (event.sources[0].reliability, event.sources[0].credibility)


# ---------------------------------------------------------------------------------------------
# Where it is used: prepare gives the same rows and records from either reader


def test_prepare_gives_the_same_rows_and_records_from_either_reader(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate  # the benchmark's realistic feed

    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in generate.generate(3000, seed=5)))
    fields = tuple(sorted(FIELDS))
    outs = []
    for reader in (stream_events, stream_light_events):
        for per in (("fatalities", "injured"), ("troops",)):
            bounds = Bounds(dt.date(2020, 1, 1), dt.date(2030, 1, 1), dt.date(2022, 2, 21).toordinal(), 7, 60, 500, 14, fields, per)
            prepared = list(prepare(reader([path], chunk_size=500), bounds, {"read": 0}))  # type: ignore[operator]
            outs.append(repr([(p.rows, p.records, dict(p.periods), p.last_day) for p in prepared]))
    assert outs[0] == outs[2] and outs[1] == outs[3]
    light = [e for chunk in stream_light_events([path]) for e in chunk]
    assert all(isinstance(e, FastEvent) for e in light)  # the generated feed is all plain lines


def test_whole_events_are_read_where_something_keeps_them(tmp_path: Path) -> None:
    """A brief's history and watchlist hand on whole Events, and the external sort pickles them:
    only a plain backtest reads FastEvents."""
    from riskengine.scoring.reader import read_chunks, rows_suffice

    path = tmp_path / "one.jsonl"
    path.write_bytes(line() + b"\n")
    plain = Bounds(dt.date(2020, 1, 1), dt.date(2030, 1, 1), 1, 7, 60, 500, 14, ALL_FIELDS, ())
    kinds = {}
    for name, bounds, sort in [
        ("backtest", plain, False),
        ("sorted", plain, True),
        ("history", dataclasses.replace(plain, keep_from=738000), False),
        ("watchlist", dataclasses.replace(plain, watch_after=dt.date(2025, 1, 1)), False),
    ]:
        chunks = read_chunks([path], bounds, skip_invalid=False, rejects=None, report=ReadReport(), sort=sort)
        kinds[name] = (rows_suffice(bounds, sort), [type(e).__name__ for chunk in chunks for e in chunk])
    assert kinds == {
        "backtest": (True, ["FastEvent"]),
        "sorted": (False, ["Event"]),
        "history": (False, ["Event"]),
        "watchlist": (False, ["Event"]),
    }


def test_a_blocks_names_are_one_object_each() -> None:
    # A Dask block keeps its rows and pickles them: one copy of "Kharkiv" per row took 60 % more
    # memory and 65 % more pickled bytes than the Event path, whose parser shares short strings.
    first = decode_fast(line(admin1="Kharkiv", location="Kharkiv", country="UKR"))
    second = decode_fast(line(event_id="UKR2", admin1="Kharkiv", location="Kharkiv", country="UKR"))
    assert first is not None and second is not None
    shared = [share_names(first), share_names(second)]
    assert shared[0].admin1 is shared[1].admin1 and shared[0].location is shared[1].location and shared[0].country is shared[1].country
    assert (shared[1].admin1, shared[1].location, shared[1].country) == ("Kharkiv", "Kharkiv", "UKR")
