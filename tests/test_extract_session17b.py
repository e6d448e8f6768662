"""Classes of failure shown by blind19 once it was scored (blind19_first_run.txt), with the
examples of the same class in earlier sets or a general reading of how outlets write: each test is
written on sentences of other outlets, wars and places than the articles that showed it."""

from __future__ import annotations

import datetime as dt

import pytest

from riskengine.ingest.extract.articles import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


# -- a header dated in a Spanish or Portuguese shape, translated or not ------------------------


@pytest.mark.parametrize(
    ("header", "day"),
    [
        # a machine translation keeps the original's "of" before the year (blind19's Cauca paper)
        ("Cúcuta, Norte de Santander. Monday, May 12 of 2025", dt.date(2025, 5, 12)),
        ("Monday 12 of May of 2025", dt.date(2025, 5, 12)),
        # the header left in the original language while the body was translated
        ("Cúcuta, lunes 12 de mayo de 2025", dt.date(2025, 5, 12)),
        ("Belém, segunda-feira, 12 de maio de 2025", dt.date(2025, 5, 12)),
        ("Cúcuta, 12 de mayo del 2025", dt.date(2025, 5, 12)),
        ("Goma, le 12 mai 2025", dt.date(2025, 5, 12)),
    ],
)
def test_a_header_in_a_romance_shape_dates_the_article(extractor: Extractor, header: str, day: dt.date) -> None:
    # Without front matter the header is the only date: the whole article was lost ("no date").
    text = f"THE BORDER DAILY - Regional\n{header}\n\nGunmen attacked the police station in Tibú on Monday, killing three police officers.\n"
    (x,) = extractor.extract_text(text, "t.txt")
    assert (x.event.location, x.event.event_date, x.event.fatalities) == ("Tibú", day, 3)


def test_a_romance_month_word_in_prose_is_no_date(extractor: Extractor) -> None:
    # "mar" (sea) or "set" are words of their own: the Romance names date a header only when
    # a day and a year stand on both sides, and never an event in the prose
    text = "---\ndate: 2025-06-03\n---\nOn Sunday gunmen killed four fishermen at sea near Tumaco; 12 mar 2025 was the last attack there.\n"
    (x,) = extractor.extract_text(text, "t.txt")
    assert x.event.event_date == dt.date(2025, 6, 1)


# -- a day-by-day timeline whose entries open with their day as a sentence ---------------------


def test_a_timeline_entry_dated_by_its_own_day_sentence(extractor: Extractor) -> None:
    # blind19's magazine ("Friday, 16 January. Shortly before dawn, drones strike ..."): each
    # entry's events took the issue day; the label forms with a colon or dash were read already.
    # 2025-06-14 is a Saturday.
    text = (
        "---\ndate: 2025-06-14\n---\n"
        "Monday, 9 June. Gunmen attack the market in Kiwanja in the morning. Four traders are killed.\n\n"
        "June 11. Shelling hits the hospital in Rutshuru. Two nurses are injured.\n"
    )
    got = sorted((x.event.location, x.event.event_date, x.event.injured) for x in extractor.extract_text(text, "t.txt"))
    assert got == [("Kiwanja", dt.date(2025, 6, 9), None), ("Rutshuru", dt.date(2025, 6, 11), 2)]


def test_a_day_ending_a_sentence_mid_paragraph_is_no_label(extractor: Extractor) -> None:
    # guard: "... in the morning of 5 June. Two more were wounded." dates its own sentence only;
    # the paragraph's first sentence opens with no day, and the strike keeps its own day
    text = "---\ndate: 2025-06-14\n---\nOn Thursday gunmen attacked the market in Kiwanja, killing four traders. The police arrived on 5 June.\n"
    (x,) = extractor.extract_text(text, "t.txt")
    assert x.event.event_date == dt.date(2025, 6, 12)


# -- talks told by the place of the meeting and who sat down there -----------------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # blind19's Somali radio: "Delegations ... sat down in Nairobi today for their first direct talks"
        ("Delegations of the government and of the northern movement sat down in Addis Ababa today for their first direct talks in a year.", "Addis Ababa"),
        # blind19's column: "the national security advisers of India and Pakistan met quietly in Abu Dhabi"
        ("The national security advisers of Armenia and Azerbaijan met quietly in Doha today, according to two diplomats.", "Doha"),
        # blind19's UN flash update: "The ceasefire monitoring mechanism convened today in Naqoura"
        ("The ceasefire monitoring mechanism convened today in Goma with officers of both armies.", "Goma"),
    ],
)
def test_talks_told_by_who_met_where(extractor: Extractor, text: str, place: str) -> None:
    got = [(x.provenance["kind"], x.event.location, x.event.event_date) for x in extractor.extract_text(f"---\ndate: 2025-06-03\n---\n{text}\n", "t.txt")]
    assert got == [("talks", place, dt.date(2025, 6, 3))]


def test_hours_before_the_delegations_sat_down_counts_from_the_talks_told(extractor: Extractor) -> None:
    # guard (blind3's Istanbul analysis): "sat down" with no place is the talks told before, again;
    # read as new talks of the report's day, it moved the strike told relative to them a day late.
    # 2025-06-04 is a Wednesday.
    text = (
        "---\ndate: 2025-06-04\n---\n"
        "The third round of talks between the two delegations took place in Doha on Tuesday and ended without a deal.\n\n"
        "Hours before the delegations sat down, glide bombs struck Sloviansk, injuring four people.\n"
    )
    got = sorted((x.provenance["kind"], x.event.location, x.event.event_date) for x in extractor.extract_text(text, "t.txt"))
    assert got == [("air_strike", "Sloviansk", dt.date(2025, 6, 3)), ("talks", "Doha", dt.date(2025, 6, 3))]


def test_a_cabinet_sitting_down_is_no_talks(extractor: Extractor) -> None:
    # guard: "sat down" near talks only; a government body meeting at home is no negotiation
    assert extractor.extract_text("---\ndate: 2025-06-03\n---\nThe cabinet sat down in Kinshasa today to approve the budget.\n", "t.txt") == []


# -- a month's running count closing a ministry's summary is no strike's figure ----------------


def test_a_running_count_since_the_start_of_the_month_is_not_the_strikes(extractor: Extractor) -> None:
    # blind19's ministry summary closed with "Since the beginning of February the enemy has used
    # more than 1,100 strike UAVs and about 60 missiles": both counts went to the night's strike.
    text = (
        "---\ndate: 2025-06-03\n---\n"
        "Overnight, drones hit a residential block in Sumy, killing three people.\n\n"
        "Since the beginning of June the enemy has used more than 400 strike UAVs and about 20 missiles against the region.\n"
    )
    (x,) = extractor.extract_text(text, "t.txt")
    assert (x.event.location, x.event.fatalities, x.event.drones_launched, x.event.missiles_launched) == ("Sumy", 3, None, None)


def test_the_nights_own_count_is_still_read(extractor: Extractor) -> None:
    # guard: a count of the night itself stays the strike's
    text = "---\ndate: 2025-06-03\n---\nOvernight, Russia launched 40 drones at Sumy, killing three people.\n"
    (x,) = extractor.extract_text(text, "t.txt")
    assert (x.event.location, x.event.drones_launched) == ("Sumy", 40)


# -- a letter or statement dated only under its signature, with no label -----------------------


@pytest.mark.parametrize(
    ("footer", "day"),
    [
        # blind20's diocese statement ended "Makurdi, 10 February 2026" under the signatory's
        # title; blind17's letter to the editor ended with the bare date under the writer's name
        ("Jos, 3 March 2025", dt.date(2025, 3, 3)),
        ("Jos, Plateau State, 3 March 2025.", dt.date(2025, 3, 3)),
        ("March 3, 2025", dt.date(2025, 3, 3)),
        ("3rd March 2025", dt.date(2025, 3, 3)),
    ],
)
def test_a_date_under_the_signature_dates_the_statement(extractor: Extractor, footer: str, day: dt.date) -> None:
    text = (
        "ANGLICAN DIOCESE OF JOS\nPress Statement\n\n"
        "The Diocese condemns the attack on Sunday in which gunmen killed seven worshippers in Bokkos.\n\n"
        # a statement longer than a header: the footer lies beyond the lines read as one
        + "".join(f"We call on the authorities, point {n}, to protect the villages of the plateau.\n\n" for n in range(16))
        + f"Signed:\nThe Rt. Rev. A. Danjuma\nBishop of Jos\n\n{footer}\n"
    )
    (x,) = extractor.extract_text(text, "t.txt")
    # "on Sunday" is the latest Sunday on or before the statement's day
    sunday = day - dt.timedelta(days=(day.weekday() + 1) % 7)
    assert (x.event.location, x.event.event_date, x.event.fatalities) == ("Bokkos", sunday, 7)
