"""Classes of phrasing the third blind set (blind3_first_run.txt, 0.716) showed the extractor
missing, each tested on sentences other than the blind set's: a weapon as the subject of a
collapse verb, units named for their weapon, one person's fate told after the person, tallies in
number words and lists, a tally told before the town hit, days told relative to the event before,
leaders meeting, exercises of troops, and the development round after it (dev6_first_run.txt)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from riskengine.core.events import Event
from riskengine.ingest.extract.articles import Extractor

HERE = Path(__file__).parent / "extract"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def found(extractor: Extractor, text: str, date: str = "2025-06-03") -> list[tuple[str, Event]]:
    return [(x.provenance["kind"], x.event) for x in extractor.extract_text(f"---\ndate: {date}\n---\n{text}\n", "t.txt")]


def test_a_weapon_that_brings_down_a_building_is_the_strike_not_an_interception(extractor: Extractor) -> None:
    text = (
        "A Russian ballistic missile brought down two floors of a dormitory in Odesa before dawn, killing at least seven people.\n\n"
        "Russia fired 120 drones and six missiles at Ukraine overnight, the air force said, adding that 101 drones and two missiles had been shot down."
    )
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location, e.fatalities) == ("missile_strike", "Odesa", 7)
    assert (e.drones_launched, e.missiles_launched, e.drones_intercepted, e.missiles_intercepted) == (120, 6, 101, 2)
    # An interception stays one when the weapon is the passive subject or the object.
    ((kind, e),) = found(extractor, "Over Odesa, 12 drones were brought down by air defences overnight.")
    assert (kind, e.drones_intercepted) == ("interception", 12)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Units of the Unmanned Systems Forces struck the oil refinery in Saratov on Sunday.", "drone_strike"),
        ("Using long-range drones, Ukrainian forces struck an oil depot in Feodosia on Sunday.", "drone_strike"),
        ("Ukrainian drone operators hit an ammunition depot near Horlivka on Sunday.", "drone_strike"),
    ],
)
def test_a_strike_by_units_named_for_their_weapon(extractor: Extractor, text: str, kind: str) -> None:
    ((got, _),) = found(extractor, text)
    assert got == kind


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Russian artillery shelled Nikopol on Monday. One resident died at the scene.", "fatalities", 1),
        ("Russian artillery shelled Nikopol on Monday; an elderly woman lost her life.", "fatalities", 1),
        ("A Russian drone hit a minibus in Kherson. The driver was rushed to the regional clinical hospital.", "injured", 1),
        ("A Russian drone hit a minibus in Kherson. A passenger sustained shrapnel injuries.", "injured", 1),
        ("A Russian drone hit a minibus in Kherson. Four passengers sustained shrapnel wounds.", "injured", 4),
        ("A Russian drone hit a minibus in Kherson. Three people were taken to the city's hospital No. 3.", "injured", 3),
    ],
)
def test_casualties_told_after_the_people(extractor: Extractor, text: str, field: str, value: int) -> None:
    ((_, e),) = found(extractor, text)
    assert getattr(e, field) == value


def test_a_tally_in_number_words_told_before_the_town_hit(extractor: Extractor) -> None:
    text = (
        "Overnight Russia attacked Ukraine with four hundred and twelve drones and twenty-one missiles. "
        "The air force says three hundred and ninety of the drones and fifteen of the missiles were shot down.\n\n"
        "The heaviest blow fell on the west. In Ternopil, drones hit a warehouse and two people were wounded."
    )
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location, e.country, e.injured, e.initiator_side) == ("drone_strike", "Ternopil", "UKR", 2, "Russia")
    assert (e.drones_launched, e.missiles_launched, e.drones_intercepted, e.missiles_intercepted) == (412, 21, 390, 15)


def test_a_day_told_relative_to_the_event_before(extractor: Extractor) -> None:
    # 2025-06-03 is a Tuesday; the talks were on Sunday.
    text = (
        "Russian and Ukrainian delegations met in Istanbul on Sunday for a second round of talks.\n\n"
        "Shortly before the meeting, Russian drones struck Sumy, injuring three people. "
        "The following day, a Russian missile hit Kharkiv, killing two."
    )
    dates = {e.location: e.event_date for _, e in found(extractor, text)}
    assert dates == {"Istanbul": dt.date(2025, 6, 1), "Sumy": dt.date(2025, 6, 1), "Kharkiv": dt.date(2025, 6, 2)}


@pytest.mark.parametrize(
    ("text", "place", "day"),
    [
        ("Zelensky met US President Donald Trump at the White House on Friday.", "Washington", dt.date(2025, 5, 30)),
        ("President Zelensky hosted Prime Minister Keir Starmer in Kyiv on Saturday.", "Kyiv", dt.date(2025, 5, 31)),
    ],
)
def test_leaders_meeting_are_talks_held(extractor: Extractor, text: str, place: str, day: dt.date) -> None:
    ((kind, e),) = found(extractor, text)
    assert (kind, e.diplomatic_status, e.location, e.event_date) == ("talks", "held", place, day)
    assert found(extractor, "The White House said on Friday it had received the letter.") == []


def test_exercises_of_troops_on_a_country_s_territory(extractor: Extractor) -> None:
    text = "Belarus and Russia started joint drills on Monday, with some 3,000 soldiers deployed on Belarusian territory."
    ((kind, e),) = found(extractor, text)
    assert (kind, e.country, e.troops) == ("troop_concentration", "BLR", 3000)
