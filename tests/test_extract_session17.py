"""Classes of failure shown by blind18 once it was scored (blind18_first_run.txt), together with the
misses that remained on blind3-blind17: each class has examples in at least two sets, and each test
is written on sentences of other outlets, wars and places than the articles that showed it."""

from __future__ import annotations

import datetime as dt

import pytest

from riskengine.ingest.extract.articles import Extractor
from tests.extract_support import found


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


# -- a local paper's dateline dates the report, not the event ----------------------------------


@pytest.mark.parametrize(
    "lead",
    [
        "Bukavu, 14 May 2025 (Radio Kivu) - ",  # a town in title case, the outlet in brackets
        "Cúcuta, Norte de Santander, May 14, 2025.- ",  # a Spanish or Portuguese paper's ".-"
        "Ciudad del Este, May 14, 2025.- ",
    ],
)
def test_a_local_papers_dateline_does_not_date_the_event(extractor: Extractor, lead: str) -> None:
    # blind12's Mocimboa ("Pemba, 09 Apr 2025 (Norte Notícias) - ... attacked in this Tuesday"),
    # blind16's Guayaquil ("Guayaquil, November 12, 2025.- ... left this Tuesday"): the dateline's
    # day was taken for the attack's. 2025-05-14 is a Wednesday.
    ((_, e),) = found(extractor, lead + "Gunmen attacked the market in Kiwanja this Tuesday, killing four people.", "2025-05-14")
    assert (e.location, e.event_date, e.fatalities) == ("Kiwanja", dt.date(2025, 5, 13), 4)


def test_a_sentence_that_begins_with_a_day_is_no_dateline(extractor: Extractor) -> None:
    # "On Tuesday, 13 May 2025 - ..." names the event's day itself (guard: kept as it was)
    ((_, e),) = found(extractor, "On Tuesday, 13 May 2025 - gunmen attacked the market in Kiwanja, killing four people.", "2025-05-15")
    assert e.event_date == dt.date(2025, 5, 13)


# -- the day of saying and the day of the event in one clause ----------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # blind13's long read: "said on Monday that Pakistani aircraft had bombed homes ... late on Sunday"
        ("The rebels' spokesman said on Friday that government jets had bombed the market in Kiwanja late on Thursday, killing six people.", dt.date(2025, 5, 15)),
        # blind12's armed-group release: "said in a statement issued late on Friday that its fighters had captured ... that ended on Thursday"
        ("The movement said in a statement issued on Saturday that its fighters had captured the town of Kiwanja on Thursday.", dt.date(2025, 5, 15)),
    ],
)
def test_the_day_of_saying_does_not_date_the_event_told(extractor: Extractor, text: str, day: dt.date) -> None:
    # 2025-05-17 is a Saturday.
    ((_, e),) = found(extractor, text, "2025-05-17")
    assert (e.location, e.event_date) == ("Kiwanja", day)


def test_the_day_of_saying_still_dates_an_event_told_without_one(extractor: Extractor) -> None:
    # guard: with no other day in the clause, the statement's day stays the event's
    ((_, e),) = found(extractor, "The rebels' spokesman said on Friday that government jets had bombed the market in Kiwanja, killing six people.", "2025-05-17")
    assert e.event_date == dt.date(2025, 5, 16)
