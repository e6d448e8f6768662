"""The light reader's batches: ``fast_events.decode_lines`` checks a batch of lines at once, and
``stream_light_events`` reads a JSON Lines file a block at a time and hands valid lines over in
runs. Both must give what a line at a time gives: ``decode_lines`` the events and refusals of
``decode_fast`` line for line, the reader the events, counts, issues, rejects and chunks of
``stream_events`` (tests/test_fast_reader.py holds the line-level specification)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fast_reader import REFUSED, ROW, TAKEN, assert_agrees, line, lines, read_both

from riskengine.core.errors import EventError
from riskengine.ingest import event_files
from riskengine.ingest.event_files import ReadReport, stream_events, stream_light_events
from riskengine.ingest.fast_events import FastEvent, decode_fast, decode_lines


def assert_batch_agrees(batch: list[bytes]) -> list[FastEvent | None]:
    got = decode_lines(batch)
    assert len(got) == len(batch)
    for raw, event in zip(batch, got, strict=True):
        alone = decode_fast(raw)
        assert repr(event) == repr(alone), raw  # repr: 1 is not 1.0, nor -0.0 0.0
    return got


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(lines(), min_size=1, max_size=8))
def test_a_batch_decodes_as_its_lines_one_by_one(batch: list[bytes]) -> None:
    assert_batch_agrees(batch)


@pytest.mark.parametrize("bad", list(REFUSED), ids=list(REFUSED))
def test_a_refused_line_among_good_ones_is_refused_alone(bad: str) -> None:
    good = [line(event_id=f"UKR{n}") for n in range(3)]
    got = assert_batch_agrees([good[0], REFUSED[bad], *good[1:]])
    assert got[1] is None and all(isinstance(e, FastEvent) for e in got[:1] + got[2:])


def test_taken_lines_are_taken_in_a_batch() -> None:
    got = assert_batch_agrees([raw.rstrip(b"\r\n") for raw in TAKEN.values()])
    assert all(isinstance(e, FastEvent) for e in got)


@pytest.mark.parametrize(
    "batch",
    [
        # one more key end than keys on one line, one fewer on another: the sum alone would agree
        [b'{"event_id":"A",' + line()[1:], line(notes='he said ":"'), line(actor1="x")],
        # white space before a colon somewhere in the batch: each line is counted alone
        [line(notes="a : b"), b'{"event_id" :"A",' + line()[1:]],
        [line(notes="x"), line(notes="x").replace(b'"notes":', b'"notes"\t:')],
        # a line end inside a line (not how the reader calls it, but still a line each)
        [line(), b'{"event_id"\n:"A",' + line()[1:]],
        # white space at the ends of text, raw and escaped, beside text that has none
        [line(notes=" x"), line(notes="x\u00a0"), line(actor1="x").replace(b'"x"', b'"x\\t"'), line()],
        # a line that is empty or blank is no event (the reader leaves such lines out)
        [line(), b"", b"  "],
        [b""],
    ],
)
def test_batches_that_take_the_slower_ways(batch: list[bytes]) -> None:
    assert_batch_agrees(batch)


# The two patterns msgspec no longer tests (fast_events._ISO3): their characters are tested
# after decoding, and a line failing them takes the Event path, with its error
PATTERNS = {
    "lower-case letter in a country": (line(country="UkR"), False),
    "digit in a country": (line(country="UK1"), False),
    "non-ASCII capital in a country": (line(country="ÄBC"), False),
    "title-case letter in a country": (line(country="ǅAB"), False),
    "two letters": (line(country="UK"), False),
    "non-ASCII digits in a CAMEO code": (line(cameo_code="١٢"), False),
    "superscript digit in a CAMEO code": (line(cameo_code="19²"), False),
    "five digits": (line(cameo_code="19521"), False),
    "one digit": (line(cameo_code="1"), False),
    "CAMEO code of four digits": (line(cameo_code="0871"), True),
    "CAMEO code of two digits": (line(cameo_code="19"), True),
}


@pytest.mark.parametrize(("raw", "taken"), list(PATTERNS.values()), ids=list(PATTERNS))
def test_country_and_cameo_patterns(raw: bytes, taken: bool, tmp_path: Path) -> None:
    assert (assert_agrees(raw) is not None) == taken
    assert_batch_agrees([raw, line()])
    read_both(raw, tmp_path)


# ---------------------------------------------------------------------------------------------
# The reader: blocks, runs and the lines that need the careful path


def read_with(reader: Any, path: Path, folder: Path, chunk_size: int) -> tuple[Any, ...]:
    """Chunks (as rows), counts, issues and rejects skipping invalid records, then the chunks
    or the EventError without skipping; a file's own problems raise either way."""
    report = ReadReport()
    rejects = folder / f"rejects-{reader.__name__}.jsonl"
    outcomes: list[Any] = []
    for options in ({"skip_invalid": True, "rejects_path": rejects, "report": report}, {}):
        chunks: list[Any] = []
        try:
            for chunk in reader([path], chunk_size=chunk_size, **options):
                chunks.append([ROW(e) for e in chunk])
        except EventError as error:
            chunks.append([(i.code, i.message, str(i.location)) for i in error.issues])
        outcomes.append(repr(chunks))
    issues = [(i.code, i.message, str(i.location)) for i in report.issues]
    kept = rejects.read_bytes() if rejects.exists() else None
    return outcomes[0], report.records, report.accepted, report.rejected, issues, kept, outcomes[1]


def assert_reads_alike(data: bytes, folder: Path, block: int = 1 << 20, chunk_size: int = 3) -> tuple[Any, ...]:
    path = folder / "feed.jsonl"
    path.write_bytes(data)
    with mock.patch.object(event_files, "READ_BLOCK_BYTES", block):
        light = read_with(stream_light_events, path, folder, chunk_size)
    careful = read_with(stream_events, path, folder, chunk_size)
    assert light == careful
    return light


GOOD = [line(event_id=f"UKR{n}", notes=f"note {n}") for n in range(7)]
FILES = {
    "plain": b"\n".join(GOOD) + b"\n",
    "no final line end": b"\n".join(GOOD),
    "blank and white lines": b"\n\n" + b"\n \t\n".join(GOOD) + b"\n\r\n  ",
    "byte order mark": b"\xef\xbb\xbf" + b"\n".join(GOOD) + b"\n",
    "byte order mark, then a blank line": b"\xef\xbb\xbf\n" + b"\n".join(GOOD),
    "CRLF": b"\r\n".join(GOOD) + b"\r\n",
    "bad lines among good ones": b"\n".join([GOOD[0], b"{not json", GOOD[1], line(fatalities="many"), line(event_id="UKR1"), GOOD[2], b"\xff", *GOOD[3:]]),
    "bad lines without an id (placed by their index)": b"\n".join([*GOOD[:4], b"[1]", GOOD[4], b"", b'{"fatalities":1}', GOOD[5]]),
    "careful but valid lines": b"\n".join([GOOD[0], line(notes=" padded"), line(tags=["b", "a"]), GOOD[1], line(actor2=None)]),
    "a syntax error at the line end": b"\n".join([GOOD[0], b'{"event_id":', GOOD[1]]) + b"\n",
    "a syntax error at the end of the file": b"\n".join([GOOD[0], b'{"event_id":']),
    "only blank lines": b"\n \n\n",
    "empty": b"",
}


@pytest.mark.parametrize("block", [1 << 20, 1, 7, 64, 300])
@pytest.mark.parametrize("name", list(FILES), ids=list(FILES))
def test_the_light_reader_reads_a_file_as_the_careful_one(name: str, block: int, tmp_path: Path) -> None:
    assert_reads_alike(FILES[name], tmp_path, block)


@pytest.mark.parametrize("chunk_size", [1, 2, 5, 5000])
def test_chunks_are_cut_where_they_were(chunk_size: int, tmp_path: Path) -> None:
    data = b"\n".join(GOOD * 3 + [b"{", *GOOD]) + b"\n"
    assert_reads_alike(data, tmp_path, 100, chunk_size)


@pytest.mark.parametrize("block", [1, 50, 1 << 20])
@pytest.mark.parametrize(
    ("where", "data"),
    [
        ("middle", b"\n".join([GOOD[0], b"x" * 500, GOOD[1]])),
        ("first", b"x" * 500 + b"\n" + GOOD[0]),
        ("last, no line end", GOOD[0] + b"\n" + b"x" * 500),
        ("just short", b"\n".join([GOOD[0], b"y" * 400, GOOD[1]])),
        ("just long", b"\n".join([GOOD[0], b"y" * 401, GOOD[1]])),
        ("just long with its line end", b"\n".join([GOOD[0], b"y" * 401]) + b"\n"),
        ("byte order mark makes it long", b"\xef\xbb\xbf" + b"y" * 398 + b"\n" + GOOD[0]),
        ("blank but long", b"\n".join([GOOD[0], b" " * 500, GOOD[1]])),
    ],
)
def test_a_line_too_long_stops_the_file_where_it_did(where: str, data: bytes, block: int, tmp_path: Path) -> None:
    with mock.patch.object(event_files, "MAX_LINE_BYTES", 400):
        read = assert_reads_alike(data, tmp_path, block)
    assert ("E110" in read[-1]) == (where != "just short")


def test_a_generated_feed_comes_in_runs_of_fast_events(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate  # the benchmark's realistic feed

    data = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in generate.generate(2000, seed=11)).encode()
    path = tmp_path / "feed.jsonl"
    path.write_bytes(data)
    runs = list(event_files._jsonl_records(path, str(path), light=True))
    assert runs and all(type(run) is tuple for run in runs) and sum(map(len, runs)) == 2000
    assert all(isinstance(e, FastEvent) for run in runs for e in run)  # type: ignore[union-attr]
    assert_reads_alike(data, tmp_path, 4096, 500)
