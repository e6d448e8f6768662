"""``facts._encoded_column``: a column of a batch's rows, encoded a column at a time, is what
encoding each value gives (``facts._encoded``), types included."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from riskengine.scoring.facts import _encoded, _encoded_column


class Tags(list):  # type: ignore[type-arg]
    pass


COLUMNS: dict[str, list[Any]] = {
    "no tags": [[], [], []],
    "tags": [[], ["a", "b"], ["drone"]],
    "tuples": [(), ("a",), ["b"]],
    "numbers": [[1, 2.5], [True]],
    "dates inside": [[], [dt.date(2025, 1, 2)]],
    "a datetime inside": [["a"], [dt.datetime(2025, 1, 2, 3)]],
    "a list inside": [["a"], [["b", dt.date(2025, 1, 2)]]],
    "a tuple inside": [[("a", "b")], []],
    "None among lists": [None, ["a"], []],
    "a list subclass inside": [[Tags(["x"])], []],
    "plain values": [1, "a", None],
    "dates": [dt.date(2025, 1, 2), None],
}


@pytest.mark.parametrize("column", list(COLUMNS.values()), ids=list(COLUMNS))
def test_a_column_encodes_as_its_values(column: list[Any]) -> None:
    got = _encoded_column(list(column))
    expected = list(map(_encoded, column))
    assert got == expected and repr(got) == repr(expected)
    assert [type(v) for v in got] == [type(v) for v in expected]
    for value, before in zip(got, column, strict=True):
        if isinstance(value, list) and isinstance(before, list):
            assert value is not before  # a copy: a row's list is its own
