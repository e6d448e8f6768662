"""Classes of failure shown by blind14 and blind15 once they were scored (their first runs stand in
blind14_first_run.txt and blind15_first_run.txt): each test is written on statements, tickers and
sentences of other outlets, wars and places than the articles that showed the class."""

from __future__ import annotations

import datetime as dt

import pytest

from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.text import parse_article
from tests.extract_support import found

# -- a statement dated only under its signature ------------------------------------------------

BODY = (
    "PRESS RELEASE\n\nGunmen attacked a police post in Gao on Monday, killing two officers.\n\n"
    + "".join(f"{n}. Patrols were reinforced on road number {n}.\n\n" for n in range(1, 16))
    + "The Ministry remains committed to peace.\n\n"
)


@pytest.mark.parametrize(
    "footer, day",
    [
        # blind15's police statement ("Issued at ... this 23rd day of July, 2024") gave nothing
        ("SIGNED\nDirector of Communication\nDone at Bamako this 4th day of March, 2025\n", dt.date(2025, 3, 4)),
        ("Spokesperson of the Province\nSigned in Goma, 12 May 2025\n", dt.date(2025, 5, 12)),
        ("For the Minister\nDated: 03.06.2025\n", dt.date(2025, 6, 3)),
    ],
)
def test_a_statement_dated_under_its_signature(footer: str, day: dt.date) -> None:
    article = parse_article(BODY + footer)
    assert (article.published, article.date_source) == (day, "text")


def test_a_date_in_the_body_or_an_unlabelled_footer_is_not_a_signature() -> None:
    # a deadline told in the closing lines is no day of issue
    assert parse_article(BODY + "Applications close on 30 June 2025.\nSpokesperson of the Province\n").published is None


# -- a roundup's paragraphs labelled by their town in capitals ---------------------------------


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_a_roundups_town_labels_place_its_paragraphs(extractor: Extractor) -> None:
    # blind14's police blotter ("URUAPAN - Three men were killed ...") lost six of its items
    text = (
        "Our look back at a violent weekend across the north.\n\n"
        "GOMBE - Four people were killed and two wounded when gunmen opened fire at a busy market on Saturday night.\n\n"
        "PORT-AU-PRINCE - Two drivers were killed when armed men attacked a bus on Sunday.\n"
    )
    got = sorted((e.location, e.fatalities) for _, e in found(extractor, text, date="2025-06-16"))
    assert got == [("Gombe", 4), ("Port-au-Prince", 2)]


def test_a_single_wire_dateline_is_where_the_reporter_filed(extractor: Extractor) -> None:
    text = "MAIDUGURI - Gunmen opened fire at a market on Saturday, killing four people, police said.\n"
    assert [e.location for _, e in found(extractor, text, date="2025-06-16")] in ([], [None])
