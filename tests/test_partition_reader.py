"""A backtest's blocks read as one process reads: ``partition._jsonl_events`` reads the lines
that start in a block's byte range with the light reader's own batches (``decode_lines``, then
its careful path), so the blocks of a file, taken in order, give the valid events one process
gives, and a refusal (None) for each record one process rejects. A block that meets one makes
the backtest run in one process, which says where it is (tests/test_partition.py checks that
message through a cluster); here the reading itself is compared, cut anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fast_reader import REFUSED, ROW, TAKEN, line, lines
from test_fast_reader_batches import FILES, GOOD

from riskengine.core.events import Event
from riskengine.ingest import event_files
from riskengine.ingest.event_files import ReadReport, stream_light_events
from riskengine.ingest.fast_events import FastEvent
from riskengine.scoring import partition
from riskengine.scoring.partition import split_input

BOM = b"\xef\xbb\xbf"
MORE_FILES = {
    **FILES,
    # one process drops a byte order mark only on the file's first line
    "byte order mark on a later line": b"\n".join([GOOD[0], BOM + GOOD[1], GOOD[2]]) + b"\n",
    "refused and taken lines": b"\n".join([*REFUSED.values(), *TAKEN.values()]) + b"\n",
    "one long line of good lines": b"\n".join(GOOD * 40),
}


def one_process(path: Path) -> tuple[list[Any], int, int]:
    """The rows of the valid events one process reads, and the records it read and rejected."""
    report = ReadReport()
    rows = [ROW(event) for chunk in stream_light_events([path], skip_invalid=True, report=report) for event in chunk]
    return rows, report.records, report.rejected


def in_blocks(path: Path, block_bytes: int) -> list[Event | FastEvent | None]:
    return [event for block in split_input([path], block_bytes) for event in partition._jsonl_events(block)]


def assert_blocks_read_as_one_process(data: bytes, folder: Path, block_bytes: int, read_bytes: int) -> list[Event | FastEvent | None]:
    path = folder / "feed.jsonl"
    path.write_bytes(data)
    with mock.patch.object(event_files, "READ_BLOCK_BYTES", read_bytes):
        got = in_blocks(path, block_bytes)
        rows, records, rejected = one_process(path)
    assert [ROW(event) for event in got if event is not None] == rows
    assert (len(got), got.count(None)) == (records, rejected)
    return got


@pytest.mark.parametrize("read_bytes", [1, 1 << 20])
@pytest.mark.parametrize("block_bytes", [1, 64, 300, 1 << 20])
@pytest.mark.parametrize("name", list(MORE_FILES), ids=list(MORE_FILES))
def test_blocks_read_a_file_as_one_process(name: str, block_bytes: int, read_bytes: int, tmp_path: Path) -> None:
    assert_blocks_read_as_one_process(MORE_FILES[name], tmp_path, block_bytes, read_bytes)


def test_valid_lines_come_as_fast_events_with_shared_names(tmp_path: Path) -> None:
    data = b"\n".join(line(event_id=f"E{n}", location="Kyiv" + "v" * (n % 2)) for n in range(6))
    got = assert_blocks_read_as_one_process(data, tmp_path, 200, 1 << 20)
    assert all(type(event) is FastEvent for event in got)
    # share_names: one object per name across the block's rows (they are pickled together)
    assert len({id(event.location) for event in got if event is not None}) == 2


@pytest.mark.parametrize("block_bytes", [1, 64, 1 << 20])
@pytest.mark.parametrize(
    "data",
    [
        b"\n".join([GOOD[0], b"x" * 500, GOOD[1]]),
        b"x" * 500 + b"\n" + GOOD[0],
        GOOD[0] + b"\n" + b"y" * 401,
        b"\n".join([GOOD[0], b" " * 500, GOOD[1]]),
    ],
)
def test_a_line_too_long_is_refused_by_its_block(data: bytes, block_bytes: int, tmp_path: Path) -> None:
    """One process stops at it (E110); a block gives None for it, so the backtest runs there."""
    path = tmp_path / "feed.jsonl"
    path.write_bytes(data)
    with mock.patch.object(event_files, "MAX_LINE_BYTES", 400), mock.patch.object(partition, "_MAX_LINE_BYTES", 400):
        got = in_blocks(path, block_bytes)
    assert None in got


def test_a_line_just_short_is_read(tmp_path: Path) -> None:
    data = b"\n".join([GOOD[0], line(notes="n" * 200), GOOD[1]])
    with mock.patch.object(event_files, "MAX_LINE_BYTES", len(data.split(b"\n")[1])), mock.patch.object(partition, "_MAX_LINE_BYTES", 400):
        assert None not in assert_blocks_read_as_one_process(data, tmp_path, 100, 64)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    batch=st.lists(lines(), min_size=1, max_size=12),
    block_bytes=st.integers(1, 2000),
    read_bytes=st.sampled_from([1, 30, 200, 1 << 16]),
    ending=st.sampled_from([b"\n", b"\r\n"]),
)
def test_generated_lines_cut_anywhere_read_as_one_process(batch: list[bytes], block_bytes: int, read_bytes: int, ending: bytes, tmp_path: Path) -> None:
    assert_blocks_read_as_one_process(ending.join(batch) + ending, tmp_path, block_bytes, read_bytes)
