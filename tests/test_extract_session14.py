"""Classes of failure found in session 14 on the development sets and tests/extract/probe14: each
test is written on sentences of other wars and places than the articles that showed the class."""

from __future__ import annotations

import pytest

from riskengine.ingest.extract.articles import Extractor
from tests.extract_support import found

# -- bombs are remote strikes (the written convention, ACLED's Explosions/Remote violence) -------


@pytest.mark.parametrize(
    "text, place, killed, injured",
    [
        # found as casualty reports on Balochistan (Turbat), Cabo Delgado (Ancuabe, Chai), Mogadishu, Manbij
        ("An improvised explosive device hit an army truck near Gao on Monday, killing three soldiers.", "Gao", 3, None),
        ("A homemade bomb exploded near a bus station in Maiduguri on Monday, killing two people and wounding nine.", "Maiduguri", 2, 9),
        ("Militants hurled a grenade at a police post in Anantnag on Monday, killing one officer and injuring four.", "Anantnag", 1, 4),
        ("A landmine struck a minibus near Kidal on Monday, killing five passengers.", "Kidal", 5, None),
    ],
)
def test_a_bomb_or_grenade_with_a_toll_is_a_remote_strike(extractor: Extractor, text: str, place: str, killed: int | None, injured: int | None) -> None:
    ((kind, event),) = found(extractor, text)
    assert (kind, event.location, event.fatalities, event.injured) == ("remote_strike", place, killed, injured)


def test_a_ground_attack_with_a_toll_stays_a_casualty_report(extractor: Extractor) -> None:
    ((kind, event),) = found(extractor, "Gunmen ambushed a convoy near Tillaberi on Monday, killing eleven soldiers.")
    assert (kind, event.location, event.fatalities) == ("casualty_report", "Tillabéri", 11)


# -- talks told by who meets, by "dialogue", or announced as reported ("said it would convene") --


@pytest.mark.parametrize(
    "text, date, place, country",
    [
        # found on Ambo, Niamey, Tunis, Pasto, Bogotá (probe14, blind10): here other wars' meetings
        ("Tribal elders met in Peshawar on Monday to seek a truce between the Kurram clans.", "2025-06-02", "Peshawar", "PAK"),
        ("Foreign ministers of the regional bloc met in Nairobi on Monday to discuss the crisis in Sudan.", "2025-06-02", "Nairobi", "KEN"),
        ("The African Union said on Tuesday it would convene the warring parties in Addis Ababa next week.", "2025-06-03", "Addis Ababa", "ETH"),
        ("The government and the ELN will hold a new round of dialogue next week in Caracas, the peace delegation said.", "2025-06-03", "Caracas", "VEN"),
    ],
)
def test_a_meeting_told_by_its_parties_or_as_dialogue_is_talks(extractor: Extractor, text: str, date: str, place: str, country: str) -> None:
    ((kind, event),) = found(extractor, text)
    assert (kind, event.location, event.country, str(event.event_date)) == ("talks", place, country, date)


def test_a_gathering_of_others_is_no_talks(extractor: Extractor) -> None:
    assert found(extractor, "The cabinet met in Kyiv on Monday to discuss the budget.") == []
    assert [k for k, _ in found(extractor, "The club's board met in Lagos on Monday and convened the members for Friday.")] == []


# -- a ground fight told by its noun, its dead named as the press names them ---------------------


@pytest.mark.parametrize(
    "text, place, killed",
    [
        # found on Shopian (Kashmir) and Jamundí (Colombia, translated): here other theatres
        ("Three soldiers were killed in a gun battle with Islamic State fighters near Kirkuk on Monday.", "Kirkuk", 3),
        ("Two insurgents were killed in an encounter with security forces in Pulwama on Monday, police said.", "Pulwama", 2),
        ("A confrontation between the army and dissidents near Tumaco on Monday left four guerrillas dead.", "Tumaco", 4),
        ("A shootout between police and gang members in Croix-des-Bouquets left five dead on Monday.", "Croix-des-Bouquets", 5),
    ],
)
def test_a_ground_fight_told_by_its_noun_with_a_toll_is_a_casualty_report(extractor: Extractor, text: str, place: str, killed: int) -> None:
    ((kind, event),) = found(extractor, text)
    assert (kind, event.location, event.fatalities) == ("casualty_report", place, killed)


def test_an_encounter_without_a_toll_is_no_event(extractor: Extractor) -> None:
    assert found(extractor, "The minister described his encounter with the president in Kyiv on Monday as warm.") == []


# -- "over the weekend": the weekend's Sunday ----------------------------------------------------


@pytest.mark.parametrize(
    "text, published, day",
    [
        # found on Tougan (Burkina Faso, probe14), a known leftover of session 13: other theatres here
        ("Israeli drones struck Nabatieh over the weekend, killing two people.", "2025-06-10", "2025-06-08"),  # a Tuesday's report
        ("Clashes near Kirkuk over the weekend left four soldiers dead, the army said on Monday.", "2025-06-09", "2025-06-08"),
        ("Russian drones struck Odesa at the weekend, injuring five people.", "2025-06-07", "2025-06-07"),  # the report of Saturday
    ],
)
def test_over_the_weekend_is_its_sunday(extractor: Extractor, text: str, published: str, day: str) -> None:
    ((_, event),) = found(extractor, text, date=published)
    assert str(event.event_date) == day

