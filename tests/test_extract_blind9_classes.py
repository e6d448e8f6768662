"""Classes of failure found on the eighth and ninth blind sets (issue 14, session 13): each test
is written on sentences of wars other than the ones the fixes were found on, so that it checks
the class, not one article."""

from __future__ import annotations

import datetime as dt

import pytest

from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.text import parse_article
from tests.extract_support import found

BODY = "Unidentified drones bombed a market in Gwoza, Nigeria, on Monday, killing seven traders.\n"


# -- front matter as people write it ---------------------------------------------------------


def test_a_front_matter_value_yaml_reads_as_syntax_is_text(extractor: Extractor) -> None:
    # a quoted name with words after it, as a show's or newsletter's name is written
    text = f'---\nshow: "War & Peace Weekly" - a podcast on the Sahel\ndate: 2025-06-03\n---\n{BODY}'
    ((kind, event),) = [(x.provenance["kind"], x.event) for x in extractor.extract_text(text, "pod.md")]
    assert (kind, event.location, event.fatalities) == ("drone_strike", "Gwoza", 7)


@pytest.mark.parametrize(
    "line, day",
    [
        ("dateline: MAIDUGURI / ABUJA, 4 June 2025", dt.date(2025, 6, 4)),  # a long read's dateline as a field
        ("created: 2025-06-04", dt.date(2025, 6, 4)),  # a transcript's day, when nothing else dates it
    ],
)
def test_a_dateline_or_creation_field_dates_an_article_that_has_no_other(line: str, day: dt.date) -> None:
    assert parse_article(f"---\n{line}\n---\nIt was a long week in Borno.\n", "l.md").published == day


def test_a_timeline_heading_does_not_hide_its_recent_entries(extractor: Extractor) -> None:
    text = (
        "## What happened\n\n**Timeline**\n\n"
        "- **1 June (Sunday)** - A drone strike hits a market at Gwoza in Borno, killing nine traders.\n"
        "- **12 March** - Insurgents overrun the base at Marte.\n"
    )
    events = found(extractor, text, date="2025-06-03")
    assert [(k, e.event_date, e.location, e.fatalities) for k, e in events] == [("drone_strike", dt.date(2025, 6, 1), "Gwoza", 9)]


# -- ground attacks with a toll ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, place, killed, injured",
    [
        ("On Sunday, gunmen attacked the village of Dogon Noma in Kaduna state, killing twelve people.", "Dogon Noma", 12, None),
        # the toll in the next sentence
        ("Bandits ambushed a police patrol near Tsafe in Zamfara on Sunday. Five officers were killed and three wounded, a police spokesman said.", "Tsafe", 5, 3),
        ("Fighters clashed with soldiers near Kukawa on Sunday, leaving 14 dead.", "Kukawa", 14, None),
        # armed men on motorcycles attacking "positions" is a ground assault, not a strike without a weapon
        ("On Sunday, armed men on motorcycles attacked several army positions in Kukawa. At least 12 soldiers lost their lives.", "Kukawa", 12, None),
    ],
)
def test_a_ground_attack_with_a_toll_is_a_casualty_report(extractor: Extractor, text: str, place: str, killed: int, injured: int | None) -> None:
    ((kind, event),) = found(extractor, text, date="2025-06-03", extra="country: NGA\n")
    assert (kind, event.event_date, event.location, event.fatalities) == ("casualty_report", dt.date(2025, 6, 1), place, killed)
    assert event.injured == injured


def test_a_ground_attack_without_a_toll_is_no_event(extractor: Extractor) -> None:
    assert found(extractor, "Gunmen attacked the village of Dogon Noma in Kaduna state on Sunday and stole cattle.", extra="country: NGA\n") == []


# -- killed figures in other phrasings ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, killed, injured",
    [
        ("A gunboat shelled Baga village on Saturday, killing three fishermen.", 3, None),  # a plural without an s
        ("An aircraft bombed a wedding in Baga on Saturday. Officials put the death toll at between 22 and 26; more than 40 people were injured.", 22, 40),
    ],
)
def test_killed_figures_in_other_phrasings(extractor: Extractor, text: str, killed: int, injured: int | None) -> None:
    ((_, event),) = found(extractor, text, extra="country: NGA\n")
    assert (event.location, event.fatalities, event.injured) == ("Baga", killed, injured)


def test_a_ground_attack_is_one_event_and_a_named_weapon_makes_it_a_strike(extractor: Extractor) -> None:
    # "the attack" refers to the shooting, not to a strike of its own
    text = "The attack at the market in Maiduguri on Monday, when two gunmen opened fire on traders, killed six people."
    assert [(k, e.location, e.fatalities) for k, e in found(extractor, text, extra="country: NGA\n")] == [("casualty_report", "Maiduguri", 6)]
    text = "Drones attacked the village of Kukawa on Monday, killing four people."
    assert [(k, e.location, e.fatalities) for k, e in found(extractor, text, extra="country: NGA\n")] == [("drone_strike", "Kukawa", 4)]


# -- a village or site the text names, not its region --------------------------------------------


@pytest.mark.parametrize(
    "text, place",
    [
        ("On Monday a drone struck a storage tank at the Rumeilan field in Hasakah governorate, causing a fire.", "Rumeilan"),
        ("Israeli aircraft struck a car at the Wadi Jilo junction, north of Tyre, on Monday, wounding four people.", "Wadi Jilo"),
        ("Mortar shells hit Kirawa in Borno state on Monday, killing two farmers.", "Kirawa"),
        ("Clashes broke out near Tiyas military airport west of Homs on Monday, killing nine fighters.", "Tiyas"),
    ],
)
def test_a_named_village_or_site_is_the_place_not_its_region(extractor: Extractor, text: str, place: str) -> None:
    ((_, event),) = found(extractor, text)
    assert event.location == place



# -- a region's share of the night's interceptions is not a town's strike ----------------------------


def test_a_towns_strike_told_after_a_regional_interception_list_is_its_own_event(extractor: Extractor) -> None:
    # (the other side's night: Russian drones over Ukraine)
    text = (
        "Overnight, Ukraine's air force destroyed 40 Russian drones: 20 over the Kharkiv region, 12 over the Sumy region and 8 over the Poltava region. "
        "Later the governor said the town of Balakliia was attacked by enemy drones. Two civilians were wounded."
    )
    strikes = [(k, e.location, e.injured, e.drones_intercepted) for k, e in found(extractor, text) if k != "interception"]
    assert strikes == [("drone_strike", "Balakliya", 2, None)]


# -- a running total is not an event's toll --------------------------------------------------------


@pytest.mark.parametrize(
    "text, killed",
    [
        ("An air strike hit a market in Kosti on Monday, killing four people. The health ministry says more than 300 people have been killed in air strikes since then.", 4),
        ("Artillery shelled Kadugli on Monday. Since 7 May, a total of 21 civilians have lost their lives in the shelling of Kadugli.", 0),
        # a comparison is no running total
        ("Drones hit Kosti on Monday, killing nine people, the deadliest attack since March.", 9),
    ],
)
def test_a_running_total_since_a_day_is_not_the_events_toll(extractor: Extractor, text: str, killed: int) -> None:
    ((_, event),) = found(extractor, text, date="2025-11-20", extra="country: SDN\n")
    assert event.fatalities == killed


# -- talks announced in the forms of a transcript or a round-up ----------------------------------------


@pytest.mark.parametrize(
    "text, place",
    [
        ("Delegations of the Ethiopian government and of the TPLF are expected in Nairobi on Thursday for a new round of talks under Kenyan mediation.", "Nairobi"),
        ("The African Union announced yesterday that it would host talks between the two factions in Addis Ababa on Friday.", "Addis Ababa"),
        ("What is on today: in Nairobi, the regional bloc is meeting, with both delegations there in person.", "Nairobi"),
    ],
)
def test_talks_announced_in_other_forms_are_talks(extractor: Extractor, text: str, place: str) -> None:
    kinds = [(k, e.location) for k, e in found(extractor, text, extra="country: ETH\n")]
    assert ("talks", place) in kinds


# -- the weapon of a strike told further from its verb; a side's accusation ----------------------------


def test_one_drone_named_after_the_target_makes_a_drone_strike(extractor: Extractor) -> None:
    text = "The rebels struck the town of Uvira with a drone on Sunday. In a statement, the army spokesman said three civilians were killed and six injured."
    ((kind, event),) = found(extractor, text, extra="country: COD\n")
    assert (kind, event.location, event.event_date, event.fatalities, event.injured) == ("drone_strike", "Uvira", dt.date(2025, 6, 1), 3, 6)


def test_a_side_accusing_the_other_of_a_dated_strike_reports_it(extractor: Extractor) -> None:
    text = "The army accuses the rebels of a drone strike on the town of Uvira on Sunday that killed three civilians."
    ((kind, event),) = found(extractor, text, extra="country: COD\n")
    assert (kind, event.location, event.event_date, event.fatalities) == ("drone_strike", "Uvira", dt.date(2025, 6, 1), 3)


# -- zero injured in the words of shipping and press releases -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A drone struck a cargo ship off Hodeidah on Monday. All 25 crew were evacuated and none were hurt.",
        "A drone struck a cargo ship off Hodeidah on Monday. Its 13 crew members were unhurt.",
    ],
)
def test_none_hurt_or_unhurt_is_zero_injured(extractor: Extractor, text: str) -> None:
    ((_, event),) = found(extractor, text)
    assert (event.location, event.injured) == ("Hodeidah", 0)


def test_shot_dead_one_person_is_one_killed(extractor: Extractor) -> None:
    text = "On Monday, soldiers returned to the area and shot dead a 70-year-old man in the neighbouring village of Dogon Noma."
    ((kind, event),) = found(extractor, text, extra="country: NGA\n")
    assert (kind, event.location, event.fatalities) == ("casualty_report", "Dogon Noma", 1)


def test_a_forces_initials_are_no_village(extractor: Extractor) -> None:
    ((kind, event),) = found(extractor, "On Tuesday, armed youth overran the SAF barracks at Kadugli, the army said.", extra="country: SDN\n")
    assert (kind, event.location) == ("territorial_claim", "Kadugli")
