"""The reader's reordering (``reader._Reorder``) files a chunk's events by one sort on their days
when none is out of range or too late; it must give exactly what filing them one at a time
gives: the same day groups in the same order, input order within a day, and the same E410 at
the same event."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from riskengine.core.errors import InputError
from riskengine.scoring import reader


@dataclass
class Dated:
    event_id: str
    event_date: dt.date


START = dt.date(2024, 1, 1)


def run(chunks: list[list[Dated]], first: int, last: int, size: int, slack: int, one_by_one: bool) -> Any:
    counters = {"read": 0}
    out: list[Any] = []
    with mock.patch.object(reader._Reorder, "_extend_sorted", lambda self, events: False) if one_by_one else contextlib.nullcontext():
        try:
            for groups in reader.ordered_chunks(chunks, START + dt.timedelta(first), START + dt.timedelta(last), size, slack, counters):
                out.append([(day, [e.event_id for e in events]) for day, events in groups])
        except InputError as error:
            out.append([(i.code, i.message) for i in error.issues])
    return out, counters


@settings(max_examples=300, deadline=None)
@given(
    offsets=st.lists(st.lists(st.integers(0, 40), max_size=12), max_size=6),
    first=st.integers(0, 10),
    last=st.integers(20, 45),
    size=st.integers(1, 8),
    slack=st.integers(0, 12),
)
def test_sorting_a_chunk_files_events_as_one_at_a_time(offsets: list[list[int]], first: int, last: int, size: int, slack: int) -> None:
    chunks = [[Dated(f"E{n}-{m}", START + dt.timedelta(days)) for m, days in enumerate(chunk)] for n, chunk in enumerate(offsets)]
    assert run(chunks, first, last, size, slack, one_by_one=False) == run(chunks, first, last, size, slack, one_by_one=True)


def test_a_nearly_ordered_feed_is_filed_by_the_sort() -> None:
    chunk = [Dated(f"E{n}", START + dt.timedelta(days)) for n, days in enumerate([3, 1, 3, 2, 1, 5])]
    reorder = reader._Reorder(14, START.toordinal(), START.toordinal() + 30)
    assert reorder._extend_sorted(chunk)
    assert [(day - START.toordinal(), [e.event_id for e in events]) for day, events in reorder.ready(final=True)] == [
        (1, ["E1", "E4"]),
        (2, ["E3"]),
        (3, ["E0", "E2"]),
        (5, ["E5"]),
    ]
