"""Reading events: formats, located problems per record, rejects, upserts, streaming."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from riskengine.core.errors import EventError
from riskengine.ingest.event_files import ReadReport, read_events, stream_events, write_events_jsonl


def _event(event_id: str, day: int = 1, **extra: Any) -> dict[str, Any]:
    base = {
        "event_id": event_id,
        "event_date": f"2025-07-{day:02d}",
        "event_type": "Battles",
        "country": "UKR",
        "sources": [{"name": "seed 001"}],
    }
    return {**base, **extra}


GOOD = [_event("UKR1"), _event("UKR2", 2, fatalities=3)]


def _write(path: Path, fmt: str, records: list[Any]) -> Path:
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    elif fmt == "json":
        path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    elif fmt == "json-mapping":
        path.write_text(json.dumps({"events": records}, indent=2), encoding="utf-8")
    else:
        import yaml

        path.write_text(yaml.safe_dump({"events": records} if fmt == "yaml-mapping" else records, sort_keys=False), encoding="utf-8")
    return path


FORMATS = {"jsonl": "e.jsonl", "json": "e.json", "json-mapping": "e.json", "yaml": "e.yaml", "yaml-mapping": "e.yml"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_the_same_events(tmp_path: Path, fmt: str) -> None:
    path = _write(tmp_path / FORMATS[fmt], fmt, GOOD)
    result = read_events([path])
    assert [e.event_id for e in result.events] == ["UKR1", "UKR2"]
    assert result.events[1].fatalities == 3
    assert (result.report.records, result.report.accepted, result.report.rejected, result.report.replaced) == (2, 2, 0, 0)


def _problems(path: Path) -> list[str]:
    with pytest.raises(EventError) as caught:
        read_events([path])
    return [issue.render() for issue in caught.value.issues]


def test_jsonl_problems_name_line_record_and_field(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    lines = [
        json.dumps(_event("UKR1")),
        json.dumps(_event("UKR2", event_type="Batles", fatalities="many")),
        "",
        "{not json",
        json.dumps([1, 2]),
        '{"event_id": "UKR3", "event_id": "UKR4"}',
        json.dumps(_event("UKR5", drones_launched=1, drones_intercepted=3)),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _problems(path) == [
        f"{path}:2:1: error[E204] events[event_id=UKR2].fatalities: expected a whole number, got 'many'",
        f"{path}:2:1: error[E205] events[event_id=UKR2].event_type: 'Batles' is not allowed (did you mean 'Battles'?)",
        f"{path}:4:2: error[E101] JSON syntax error: Expecting property name enclosed in double quotes",
        f"{path}:5:1: error[E204] events[3]: an event is a mapping of fields, got a list",
        f"{path}:6:1: error[E102] duplicate key 'event_id'",
        f"{path}:6:1: error[E203] events[event_id=UKR3]: missing required key 'country'",
        f"{path}:6:1: error[E203] events[event_id=UKR3]: missing required key 'event_date'",
        f"{path}:6:1: error[E203] events[event_id=UKR3]: missing required key 'event_type'",
        f"{path}:6:1: error[E203] events[event_id=UKR3]: missing required key 'sources'",
        f"{path}:7:1: error[E206] events[event_id=UKR5]: drones_intercepted (3) exceeds drones_launched (1)",
    ]


def test_yaml_problems_point_at_the_field_line(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(
        """\
events:
  - event_id: UKR1
    event_date: 2025-07-01
    event_type: Battles
    country: UKR
    sources: [{name: a}]
  - event_id: UKR2
    event_date: 2025-13-01
    event_type: Battles
    country: UKR
    country: RUS
    fatalities: -1
    sources:
      - name: a
        reliabilty: A
""",
        encoding="utf-8",
    )
    assert _problems(path) == [
        f"{path}:8:17: error[E204] events[event_id=UKR2].event_date: expected a date (YYYY-MM-DD), got '2025-13-01'",
        f"{path}:11:5: error[E102] duplicate key 'country' (first at line 10, column 5)",
        f"{path}:12:17: error[E205] events[event_id=UKR2].fatalities: must be at least 0, got -1",
        f"{path}:15:9: error[E202] events[event_id=UKR2].sources[0].reliabilty: unknown key 'reliabilty' (did you mean 'reliability'?)",
    ]


def test_json_records_are_placed_at_their_first_line(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_text(
        '{"events": [\n  {"event_id": "UKR1", "event_date": "2025-07-01", "event_type": "Battles",\n'
        '   "country": "UK", "sources": []}\n], "extra": 1}\n',
        encoding="utf-8",
    )
    assert _problems(path) == [
        f"{path}:2:3: error[E205] events[event_id=UKR1].country: 'UK' does not match the pattern ^[A-Z]{{3}}$",
        f"{path}:2:3: error[E205] events[event_id=UKR1].sources: needs at least 1 item",
        f"{path}:4:4: error[E202] extra: unknown key 'extra' (an event file has one key: events)",
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("e.json", '[{"a": 1},', "e.json:1:11: error[E101] JSON syntax error: Expecting value"),
        ("e.json", '{"events": [], "items": []}', "e.json:1:16: error[E202] items: unknown key 'items' (an event file has one key: events)"),
        ("e.json", "{}", "e.json:1:1: error[E203] missing required key 'events'"),
        ("e.json", '"text"', 'e.json:1:1: error[E204] an event file is a list of events or an object with "events", got \'text\''),
        ("e.json", "[] []", "e.json:1:4: error[E101] JSON syntax error: Extra data"),
        ("e.yaml", "events: {a: 1}\n", "e.yaml:1:9: error[E204] events: expected a list of events, got a mapping"),
        ("e.yaml", "just text\n", "e.yaml:1:1: error[E204] an event file is a list of events or a mapping with 'events:', got 'just text'"),
        ("e.yaml", "- a: [\n", "e.yaml:2:1: error[E101] YAML syntax error: did not find expected node content (while parsing a flow node at line 2)"),
        ("e.csv", "a,b\n", "e.csv: error[E104] unknown event file format '.csv' (use .yaml, .json or .jsonl)"),
        ("e.jsonl", b"\xff\xfe\n", "e.jsonl:1:1: error[E104] not UTF-8 text (byte 0xff)"),
    ],
)
def test_file_level_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: str | bytes, expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    if isinstance(content, bytes):
        Path(name).write_bytes(content)
    else:
        Path(name).write_text(content, encoding="utf-8")
    assert _problems(Path(name)) == [expected]


def test_empty_inputs_are_no_events(tmp_path: Path) -> None:
    for name, text in (("a.jsonl", "\n\n"), ("b.json", "[]"), ("c.yaml", ""), ("d.yaml", "events:\n"), ("e.json", "")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert read_events([tmp_path / name]).events == []


def test_skip_invalid_writes_every_rejected_record_with_reasons(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text(
        "\n".join([json.dumps(_event("UKR1")), "{oops", json.dumps(_event("UKR2", fatalities=-1)), json.dumps(_event("UKR3"))]) + "\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.jsonl"
    result = read_events([path], skip_invalid=True, rejects_path=rejects)
    assert [e.event_id for e in result.events] == ["UKR1", "UKR3"]
    assert (result.rejected, result.report.accepted, result.report.rejects_path) == (2, 2, rejects)
    written = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert written == [
        {
            "file": str(path),
            "line": 2,
            "record": "{oops",
            "errors": [{"code": "E101", "path": "", "message": "JSON syntax error: Expecting property name enclosed in double quotes"}],
        },
        {
            "file": str(path),
            "line": 3,
            "record": _event("UKR2", fatalities=-1),
            "errors": [{"code": "E205", "path": "events[event_id=UKR2].fatalities", "message": "must be at least 0, got -1"}],
        },
    ]
    assert [i.code for i in result.report.issues] == ["E101", "E205"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_skip_invalid_without_problems_still_replaces_an_old_rejects_file(tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    rejects.write_text("stale\n", encoding="utf-8")
    path = _write(tmp_path / "e.jsonl", "jsonl", GOOD)
    assert read_events([path], skip_invalid=True, rejects_path=rejects).rejected == 0
    assert rejects.read_text(encoding="utf-8") == ""


def test_file_level_problems_still_fail_with_skip_invalid(tmp_path: Path) -> None:
    good = _write(tmp_path / "a.jsonl", "jsonl", GOOD)
    broken = tmp_path / "b.yaml"
    broken.write_text("events: [\n", encoding="utf-8")
    with pytest.raises(EventError) as caught:
        read_events([good, broken], skip_invalid=True)
    assert [i.code for i in caught.value.issues] == ["E101"]


def test_later_records_replace_earlier_ones_by_event_id(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.jsonl", "jsonl", [_event("UKR1", fatalities=1), _event("UKR2"), _event("UKR1", fatalities=2)])
    second = _write(tmp_path / "b.yaml", "yaml", [_event("UKR2", fatalities=9), _event("UKR3")])
    result = read_events([first, second])
    assert [(e.event_id, e.fatalities) for e in result.events] == [("UKR1", 2), ("UKR2", 9), ("UKR3", 0)]
    assert result.replaced == 2


def test_stream_yields_chunks_of_at_most_chunk_size(tmp_path: Path) -> None:
    path = _write(tmp_path / "e.jsonl", "jsonl", [_event(f"UKR{i}") for i in range(10)])
    sizes = [len(chunk) for chunk in stream_events([path, path], chunk_size=4)]
    assert sizes == [4, 4, 4, 4, 4]


def test_stream_is_lazy(tmp_path: Path) -> None:
    # The first chunk arrives before the rest of the file is read: memory does not grow with it.
    path = _write(tmp_path / "e.jsonl", "jsonl", [_event(f"UKR{i}") for i in range(2_000)])
    report = ReadReport()
    chunks = stream_events([path], chunk_size=100, report=report)
    first = next(chunks)
    assert len(first) == 100 and report.records == 100
    chunks.close()


def test_stream_stops_yielding_at_the_first_bad_record_but_reports_all(tmp_path: Path) -> None:
    records: list[Any] = [_event(f"UKR{i}") for i in range(10)]
    records[3] = {"event_id": "bad"}
    records[8] = 5
    path = _write(tmp_path / "e.jsonl", "jsonl", records)
    seen: list[str] = []
    with pytest.raises(EventError) as caught:
        for chunk in stream_events([path], chunk_size=2):
            seen += [e.event_id for e in chunk]
    assert seen == ["UKR0", "UKR1"]
    assert {i.location.line for i in caught.value.issues} == {4, 9}


def test_abandoned_stream_leaves_no_rejects_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "e.jsonl", "jsonl", [{"bad": 1}] + [_event(f"UKR{i}") for i in range(10)])
    rejects = tmp_path / "rejects.jsonl"
    chunks = stream_events([path], chunk_size=2, skip_invalid=True, rejects_path=rejects)
    next(chunks)
    chunks.close()
    assert not rejects.exists() and not list(tmp_path.glob(".*.tmp"))


def test_issue_count_is_capped_but_counted(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text("[]\n" * 1_500, encoding="utf-8")
    with pytest.raises(EventError) as caught:
        read_events([path])
    assert len(caught.value.issues) == 1_000
    assert caught.value.summary == "1500 problems found (first 1000 shown)"


def test_written_jsonl_reads_back(tmp_path: Path) -> None:
    events = read_events([_write(tmp_path / "a.yaml", "yaml", GOOD)]).events
    out = tmp_path / "out.jsonl"
    assert write_events_jsonl(out, events) == 2
    assert read_events([out]).events == events


def test_sample_data_reads_if_present() -> None:
    from riskengine.core.resources import sample_data_dir

    sample = sample_data_dir() / "sample_events.yaml"
    if not sample.is_file():
        pytest.skip("no sample data yet")
    assert read_events([sample]).events


def test_chunk_size_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        list(itertools.islice(stream_events([tmp_path / "x.jsonl"], chunk_size=0), 1))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from([*list(_event("x")), "fatalities", "tags", "zz"]), inner, max_size=6),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_JSON | st.text(max_size=20), max_size=5), st.sampled_from(["e.jsonl", "e.json", "e.yaml"]))
def test_any_records_read_or_raise_event_error(tmp_path_factory: pytest.TempPathFactory, records: list[Any], name: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / name
    if name.endswith(".jsonl"):
        path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    else:
        path.write_text(json.dumps(records), encoding="utf-8")  # JSON is YAML too
    try:
        read_events([path], skip_invalid=True, rejects_path=path.with_name("rejects.jsonl"))
        read_events([path])
    except EventError as error:
        assert error.issues
