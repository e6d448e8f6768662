"""Quantities and dates in news prose."""

from __future__ import annotations

import datetime as dt

import pytest

from riskengine.ingest.extract.dates import find_dates
from riskengine.ingest.extract.numbers import find_quantities, words_to_int


@pytest.mark.parametrize(
    "text, expected",
    [
        ("three people dead", [(3, "exact")]),
        ("over thirty others", [(30, "min")]),
        ("at least 35 people", [(35, "min")]),
        ("nearly 110,000 troops", [(110000, "approx")]),
        ("some 1.2 million people", [(1200000, "approx")]),
        ("forty-eight drones", [(48, "exact")]),
        ("two hundred and five", [(205, "exact")]),
        ("injured dozens", [(12, "vague")]),
        ("50+ drones", [(50, "min")]),
        ("a 64-year-old man", []),
        ("its 19th sanctions package", []),
        ("since November 2023", []),
        ("delayed shipments by $1.1 million", []),
        ("inflation of 5% this year", []),
    ],
)
def test_quantities(text: str, expected: list[tuple[int, str]]) -> None:
    got = [(q.value, q.qualifier) for q in find_quantities(text, {"dozens": 12})]
    assert got == expected


def test_quantity_spans() -> None:
    text = "killing two people and wounding seven"
    assert [text[q.start : q.end] for q in find_quantities(text)] == ["two", "seven"]


def test_words_to_int_rejects_non_numbers() -> None:
    assert words_to_int("many") is None


PUBLISHED = dt.date(2025, 7, 1)  # a Tuesday


@pytest.mark.parametrize(
    "clause, expected, future",
    [
        ("Russian forces on Tuesday bombarded the town", dt.date(2025, 7, 1), False),
        ("claimed on Monday that", dt.date(2025, 6, 30), False),
        ("On a quiet Friday, the town", dt.date(2025, 6, 27), False),
        ("talks scheduled for Monday", dt.date(2025, 7, 7), True),
        ("delegations are expected to meet on Thursday", dt.date(2025, 7, 3), True),
        ("an overnight drone strike", dt.date(2025, 7, 1), False),
        ("a day earlier, a missile attack", dt.date(2025, 6, 30), False),
        ("two days ago", dt.date(2025, 6, 29), False),
        ("on 28 June", dt.date(2025, 6, 28), False),
        ("Aug 12 (Wire) -", dt.date(2024, 8, 12), False),
        ("on the night of June 29 to 30", dt.date(2025, 6, 30), False),
        ("nearly a month ago", dt.date(2025, 6, 1), False),
    ],
)
def test_dates(clause: str, expected: dt.date, future: bool) -> None:
    [found] = find_dates(clause, PUBLISHED)
    assert (found.date, found.future) == (expected, future)


def test_no_date_words() -> None:
    assert find_dates("Russia may respond with more strikes", PUBLISHED) == []
