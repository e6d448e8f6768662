"""The lead's fixes from blind26's first run (issue 14, session 21), in our own wording."""

from __future__ import annotations

import datetime as dt

import pytest

from riskengine.ingest.extract.text import parse_article


@pytest.mark.parametrize(
    "dateline, day",
    [
        # the Ethiopian News Agency writes its dateline "Month D/YYYY": blind26's t01 had no
        # other date and lost all four of its events
        ("Gondar, March 3/2026 (ENA) - Federal forces reopened the road to Metemma, officials said.", dt.date(2026, 3, 3)),
        ("Addis Ababa, December 21/2024 (ENA) - The ministry said on Saturday that talks would resume.", dt.date(2024, 12, 21)),
    ],
)
def test_a_dateline_with_a_slash_before_the_year_dates_the_article(dateline: str, day: dt.date) -> None:
    text = f"Officials Report Progress in Western Amhara\n\n{dateline}\n"
    assert parse_article(text, "ena.txt").published == day
