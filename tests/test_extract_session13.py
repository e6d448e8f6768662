"""Classes of failure found on session 13's probe articles (tests/extract/probe13): each test is
written on sentences of other wars than the probe article that showed the class, so that it checks
the class, not one article."""

from __future__ import annotations

import datetime as dt

import pytest

from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.dates import find_dates
from tests.extract_support import found

# -- ground attacks and bombs with a toll -------------------------------------------------------


@pytest.mark.parametrize(
    "text, place, killed, injured",
    [
        # the attackers named as an armed group, the object a ground target (no strike without a weapon)
        ("Insurgents attacked a police post near Gwoza on Sunday, killing four officers.", "Gwoza", 4, None),
        ("An attack by Fano fighters on a military camp outside Gondar on Sunday left nine soldiers dead.", "Gondar", 9, None),
    ],
)
def test_a_ground_attack_with_a_toll_is_a_casualty_report(extractor: Extractor, text: str, place: str, killed: int, injured: int | None) -> None:
    ((kind, event),) = found(extractor, text)
    assert (kind, event.location, event.fatalities, event.injured) == ("casualty_report", place, killed, injured)


@pytest.mark.parametrize(
    "text, place, killed, injured",
    [
        # bombs planted or carried (session 14: the written convention and ACLED code them as
        # Explosions/Remote violence; session 13 had made them casualty reports)
        ("On Sunday, a roadside bomb struck a police van near Kirkuk, killing three officers.", "Kirkuk", 3, None),
        ("A car bomb exploded outside a market in Mogadishu on Sunday, killing seven people and wounding 20.", "Mogadishu", 7, 20),
        ("A suicide bomber blew himself up at a checkpoint in Quetta on Sunday, killing five.", "Quetta", 5, None),
    ],
)
def test_a_bomb_with_a_toll_is_a_remote_strike(extractor: Extractor, text: str, place: str, killed: int, injured: int | None) -> None:
    ((kind, event),) = found(extractor, text)
    assert (kind, event.location, event.fatalities, event.injured) == ("remote_strike", place, killed, injured)


def test_militants_attacking_with_a_toll_are_no_sabotage(extractor: Extractor) -> None:
    ((kind, event),) = found(extractor, "Militants attacked a bus near Bannu on Sunday, killing eleven passengers.")
    assert (kind, event.location, event.fatalities) == ("casualty_report", "Bannu", 11)


def test_a_bomb_without_a_toll_is_no_event(extractor: Extractor) -> None:
    assert found(extractor, "A roadside bomb was defused near Kirkuk on Sunday.") == []


# -- tolls told in parts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, killed",
    [
        ("Israeli shelling hit a house in Khiam on Sunday. Two people were killed at the scene and a third died later in hospital.", 3),
        ("A drone struck a car near Goma on Sunday, killing two. A fourth passenger later died of wounds.", 4),
        ("Shelling hit a bus in Kherson on Sunday, killing two people; a third victim succumbed to his injuries.", 3),
    ],
)
def test_a_death_told_by_its_ordinal_is_the_toll_so_far(extractor: Extractor, text: str, killed: int) -> None:
    ((_kind, event),) = found(extractor, text)
    assert event.fatalities == killed


def test_two_person_nouns_and_a_pronoun_tell_one_person_each(extractor: Extractor) -> None:
    # translated prose: "a civilian man perished", "a woman suffered; she was hospitalised"
    ((_kind, event),) = found(extractor, "A Ukrainian drone struck a car in Rylsk on Sunday; a civilian man perished.")
    assert event.fatalities == 1
    ((_kind, event),) = found(extractor, "An Israeli drone hit a motorbike in Bint Jbeil on Sunday; the rider fell and he was later taken to hospital.")
    assert event.injured == 1


# -- entries of logs, digests and live blogs ------------------------------------------------------


@pytest.mark.parametrize(
    "clause, day",
    [
        ("01/06/2025 - shelling reported", dt.date(2025, 6, 1)),  # day first
        ("6/13/2025 - shelling reported", dt.date(2025, 6, 13)),  # only the second can be a day
        ("02/06/2025 - shelling reported", dt.date(2025, 6, 2)),
    ],
)
def test_a_slashed_date_in_the_text_is_read_day_first(clause: str, day: dt.date) -> None:
    assert [d.date for d in find_dates(clause, dt.date(2025, 6, 20))] == [day]


@pytest.mark.parametrize(
    "text, place, day",
    [
        ("INCIDENT LOG\n\n01/06/2025 - Bentiu: a drone strike on a market killed six traders.\n", "Bentiu", dt.date(2025, 6, 1)),
        ("- Kostiantynivka - a guided aerial bomb hit a school; two teachers were injured.\n", "Kostiantynivka", dt.date(2025, 6, 3)),
        ("Nikopol district: 3 injured after Russian artillery shelling.\n", "Nikopol", dt.date(2025, 6, 3)),
    ],
)
def test_an_entry_labelled_by_its_place_is_placed_there(extractor: Extractor, text: str, place: str, day: dt.date) -> None:
    ((_kind, event),) = found(extractor, text)
    assert (event.location, event.event_date) == (place, day)


def test_a_label_that_is_no_place_places_nothing(extractor: Extractor) -> None:
    ((_kind, event),) = found(extractor, "Update: a drone strike on a market killed six traders in Kostiantynivka.\n")
    assert event.location == "Kostiantynivka"


# -- places --------------------------------------------------------------------------------------


def test_a_province_named_by_its_capital_is_the_province_not_the_town(extractor: Extractor) -> None:
    # "the province of X" names the region; the village or town told with it is the place
    text = "In the eastern province of Deir ez-Zor, a drone struck a car near the town of Mayadin on Sunday, killing two."
    ((_kind, event),) = found(extractor, text)
    assert (event.location, event.country) == ("Mayadin", "SYR")


def test_a_possessive_after_a_village_is_cut(extractor: Extractor) -> None:
    ((kind, event),) = found(extractor, "The Arakan Army said its fighters had seized the town of Paletwa's airstrip on Sunday.")
    assert (kind, event.location) == ("territorial_claim", "Paletwa")


# -- talks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, place",
    [
        # a meeting told by its purpose
        ("Sudanese army and RSF envoys met in Jeddah on Sunday to negotiate a humanitarian truce.", "Jeddah"),
        # talks to be resumed
        ("The government and the ELN will resume peace talks next week in Caracas, the mediators announced.", "Caracas"),
    ],
)
def test_talks_told_by_their_purpose_or_resumption(extractor: Extractor, text: str, place: str) -> None:
    ((kind, event),) = found(extractor, text)
    assert (kind, event.location) == ("talks", place)


def test_a_meeting_on_no_war_matter_is_no_talks(extractor: Extractor) -> None:
    assert found(extractor, "The cabinet met on Sunday to discuss the budget.") == []


def test_a_killing_told_as_beheading_or_execution_is_a_toll(extractor: Extractor) -> None:
    ((kind, event),) = found(extractor, "Gunmen raided the village of Kiwanja on Sunday, beheading three farmers.")
    assert (kind, event.location, event.fatalities) == ("casualty_report", "Kiwanja", 3)


def test_a_name_joined_by_da_or_do_is_one_place(extractor: Extractor) -> None:
    # Portuguese place names: "Vila do Conde", "Mocimboa da Praia"
    ((_kind, event),) = found(extractor, "- Vila do Conde - clashes between two gangs near the port on Sunday left three dead.\n", extra="country: PRT\n")
    assert event.location == "Vila do Conde"


def test_sea_drones_make_a_drone_strike_and_a_crew_member_is_one_person(extractor: Extractor) -> None:
    text = "Ukrainian naval drones struck a Russian patrol boat off Novorossiysk on Sunday; one crew member was killed."
    ((kind, event),) = found(extractor, text)
    assert (kind, event.location, event.fatalities) == ("drone_strike", "Novorossiysk", 1)


def test_the_district_of_a_name_no_index_holds_places_a_claim(extractor: Extractor) -> None:
    ((kind, event),) = found(extractor, "The army said on Sunday it had recaptured the district of Mueda after heavy fighting.", extra="country: MOZ\n")
    assert (kind, event.location) == ("territorial_claim", "Mueda")


def test_a_day_after_a_verb_of_saying_told_after_the_strike_does_not_date_it(extractor: Extractor) -> None:
    # translated prose: the statement's day right after the verb; the strike's day told next
    text = (
        "Three police officers dead left an attack with drones against a station in Jamundi, informed this Monday the police. "
        "The attack occurred in the early morning of this Sunday, when dissidents launched two drones against the station."
    )
    ((kind, event),) = found(extractor, text, date="2025-06-03", extra="country: COL\n")
    assert (kind, event.event_date, event.fatalities) == ("drone_strike", dt.date(2025, 6, 1), 3)


@pytest.mark.parametrize(
    "text, killed",
    [
        ("A drone struck an army convoy near Gao on Sunday, killing four of its soldiers.", 4),
        ("Insurgents attacked a military post near Diffa on Sunday; three of our soldiers lost their lives, the army said.", 3),
    ],
)
def test_people_counted_as_a_share_of_a_side_are_counted(extractor: Extractor, text: str, killed: int) -> None:
    ((_kind, event),) = found(extractor, text)
    assert event.fatalities == killed
