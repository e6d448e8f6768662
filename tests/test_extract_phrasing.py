"""Classes of phrasing the third blind set (blind3_first_run.txt, 0.716) showed the extractor
missing, each tested on sentences other than the blind set's: a weapon as the subject of a
collapse verb, units named for their weapon, one person's fate told after the person, tallies in
number words and lists, a tally told before the town hit, days told relative to the event before,
leaders meeting, exercises of troops, and the development round after it (dev6_first_run.txt)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from extract_support import found

from riskengine.ingest.extract.articles import Extractor

HERE = Path(__file__).parent / "extract"


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


# -- the sixth development round's misses (dev6_first_run.txt, 0.608), fixed as classes -------


def test_a_range_counts_its_lower_bound(extractor: Extractor) -> None:
    ((_, e),) = found(extractor, "Russia attacked Kharkiv with between 15 and 20 Shahed drones overnight. A man, 70, was killed.")
    assert (e.drones_launched, e.fatalities) == (15, 1)


def test_the_night_tally_of_a_live_blog_and_its_interceptions(extractor: Extractor) -> None:
    text = (
        "**07:40** Air raid sirens sounded across the south for hours.\n\n"
        "**08:05** A Russian drone hit a school in Mykolaiv. Two people lost their lives.\n\n"
        "**08:50** In Kherson, Russian artillery fire hit a bus stop. A man was hospitalised.\n\n"
        "**09:30** In total, the enemy used 80 drones and three missiles overnight. Of these, 64 drones were neutralised; "
        "none of the missiles was intercepted."
    )
    got = {e.location: (kind, e) for kind, e in found(extractor, text)}
    assert sorted(got) == ["Kherson", "Mykolaiv"]
    kind, e = got["Mykolaiv"]
    assert (kind, e.fatalities, e.drones_launched, e.missiles_launched, e.drones_intercepted, e.missiles_intercepted) == ("drone_strike", 2, 80, 3, 64, 0)
    assert got["Kherson"][1].drones_intercepted is None


def test_origins_in_a_list_and_the_part_that_got_through(extractor: Extractor) -> None:
    text = (
        "Russian forces launched 70 drones and two missiles from the directions of Bryansk, Kursk and Millerovo overnight. "
        "Ukrainian forces downed 52 drones; 11 drones struck five locations."
    )
    strikes = [e for _, e in found(extractor, text) if e.drones_launched == 70]
    assert [(e.country, e.location, e.drones_intercepted) for e in strikes] == [("UKR", None, 52)]


def test_meetings_said_not_to_happen_are_no_event(extractor: Extractor) -> None:
    assert found(extractor, "Putin and Trump will not meet in the near future, the Kremlin said on Monday.") == []
    assert found(extractor, "The Kremlin ruled out talks in Geneva next week.") == []


@pytest.mark.parametrize(
    ("text", "place", "day"),
    [
        # 2025-06-03 is a Tuesday.
        ("Two residents of Sumy died when a Russian guided bomb fell next to a school on Monday afternoon.", "Sumy", dt.date(2025, 6, 2)),
        ("Russian drones hit Kramatorsk on Friday. Three days later, Russia hit the centre of Sloviansk with a missile and several drones.", "Sloviansk", dt.date(2025, 6, 2)),
    ],
)
def test_dates_next_to_and_counted_from_the_event_before(extractor: Extractor, text: str, place: str, day: dt.date) -> None:
    dates = {e.location: (kind, e.event_date) for kind, e in found(extractor, text)}
    assert dates[place][1] == day
    if place == "Sloviansk":
        assert dates[place][0] == "missile_strike"  # the weapon named first, no counts


def test_the_town_and_a_city_district_take_the_town_named_before(extractor: Extractor) -> None:
    text = (
        "A guided bomb hit Shostka on Tuesday, according to the Sumy regional military administration.\n\n"
        "The day before, Russian drones hit a substation on the outskirts of the town."
    )
    assert {(e.location, e.event_date) for _, e in found(extractor, text)} == {("Shostka", dt.date(2025, 6, 3)), ("Shostka", dt.date(2025, 6, 2))}
    text = "We begin in Kharkiv tonight.\n\nRussian forces dropped two guided bombs on the Shevchenkivskyi district. Five people were injured."
    ((_, e),) = found(extractor, text)
    assert (e.location, e.injured) == ("Kharkiv", 5)


def test_casualties_after_a_transcript_s_short_turns(extractor: Extractor) -> None:
    text = (
        "MAYOR: The enemy sent around forty drones toward Zaporizhzhia overnight, and thirty of those were destroyed.\n\n"
        "HOST: Were there casualties?\n\nMAYOR: Sadly, yes. Two people lost their lives and seven were wounded."
    )
    ((_, e),) = found(extractor, text)
    assert (e.location, e.drones_launched, e.drones_intercepted, e.fatalities, e.injured) == ("Zaporizhzhia", 40, 30, 2, 7)


def test_interceptions_over_a_city_and_over_the_country(extractor: Extractor) -> None:
    text = (
        "MOSCOW, May 14 (NWS) - Air defences shot down nine Ukrainian drones flying towards Moscow overnight, the mayor said.\n\n"
        "The defence ministry said a total of 48 Ukrainian drones had been destroyed over Russian regions."
    )
    got = sorted(((e.location or "", e.drones_intercepted) for _, e in found(extractor, text, "2025-05-14")))
    assert got == [("", 48), ("Moscow", 9)]


def test_strikes_on_civilian_targets_and_troops_and_by_named_units(extractor: Extractor) -> None:
    ((kind, e),) = found(extractor, "On 1 June, an attack on a minibus in Nikopol killed two passengers and wounded five.")
    assert (kind, e.location, e.fatalities, e.injured) == ("remote_strike", "Nikopol", 2, 5)
    got = found(extractor, "Units of the Missile Forces and Artillery hit a concentration of enemy personnel near Pokrovsk.")
    assert [kind for kind, _ in got] == ["missile_strike"]


def test_names_as_the_press_writes_them(extractor: Extractor) -> None:
    ((_, e),) = found(extractor, "Ukrainian drones struck the Afipsky oil refinery in the Krasnodar Krai overnight.")
    assert (e.location, e.country) == ("Afipsky", "RUS")
    ((_, e),) = found(extractor, "Chuhuiv community: an enemy drone attack on a car, 2 people were injured.")
    assert (e.location, e.injured) == ("Chuhuiv", 2)


def test_a_negation_in_the_next_live_blog_entry_about_another_country(extractor: Extractor) -> None:
    text = (
        "**07:30** A Russian drone struck a building in Odesa overnight. Three people were injured.\n\n"
        "**09:10** Moldova says a drone crashed in a field. No one was hurt."
    )
    ((_, e),) = found(extractor, text)
    assert (e.location, e.injured, e.fatalities) == ("Odesa", 3, 0)
    assert not [s for s in e.spans or [] if s.field == "fatalities"]


def test_sixth_round_holds() -> None:
    # Scored once before its fixes (dev6_first_run.txt: 0.696 / 0.539 / 0.608), then used for them.
    from riskengine.ingest.extract.evaluate import evaluate

    report = evaluate(HERE / "dev6_gold.yaml", sorted((HERE / "dev6").iterdir()))
    assert report.overall.f1 >= 0.95, report.render()


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("Russia had attacked with 112 drones overnight, 87 of which were shot down, the air force said.", (112, 87)),
        ("The air force said 36 missiles and 242 drones had been launched, of which 18 missiles and 226 drones were neutralised.", (242, 226)),
    ],
)
def test_launched_then_intercepted_of_which(extractor: Extractor, text: str, counts: tuple[int, int]) -> None:
    ((_, e),) = found(extractor, text)
    assert (e.drones_launched, e.drones_intercepted) == counts


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("A Russian drone attack on Kherson claimed the lives of two people on Monday.", "fatalities", 2),
        ("Rescuers recovered three bodies from the rubble after a Russian missile hit a building in Dnipro.", "fatalities", 3),
        ("Two people, a man and a woman, were killed when Russian drones hit Kharkiv.", "fatalities", 2),
        ("A Russian glide bomb attack on Kostiantynivka killed a family of four on Monday.", "fatalities", 4),
    ],
)
def test_deaths_as_reporters_tell_them(extractor: Extractor, text: str, field: str, value: int) -> None:
    ((_, e),) = found(extractor, text)
    assert getattr(e, field) == value


def test_sides_and_an_indefinite_attack(extractor: Extractor) -> None:
    ((kind, e),) = found(extractor, "A Russian attack on Kharkiv on the evening of June 1 injured seven people.")
    assert (kind, e.location, e.injured, e.initiator_side, e.event_date) == ("remote_strike", "Kharkiv", 7, "Russia", dt.date(2025, 6, 1))
    ((_, e),) = found(extractor, "In the early hours, a swarm of Russian drones descended on Kremenchuk, setting an oil refinery ablaze.")
    assert (e.initiator_side, e.target_side) == ("Russia", "Ukraine")
    ((_, e),) = found(extractor, "Ukrainian forces hit a Russian ammunition depot in occupied Donetsk, the General Staff said.")
    assert (e.initiator_side, e.target_side) == ("Ukraine", "Russia")
    # A definite "the attack" still only refers back.
    ((_, e),) = found(extractor, "Russian drones struck Odesa overnight. The attack injured three people.")
    assert (e.location, e.injured) == ("Odesa", 3)
    # "came a day after" counts back from the talks, not forward (2025-11-24 is a Monday).
    text = "Delegations held talks in Geneva on Sunday.\n\nThe talks came a day after a Russian drone hit a building in Dnipro, killing four people."
    dates = {e.location: e.event_date for _, e in found(extractor, text, "2025-11-24")}
    assert dates == {"Geneva": dt.date(2025, 11, 23), "Dnipro": dt.date(2025, 11, 22)}


def test_the_defender_named_in_a_tally_is_the_target(extractor: Extractor) -> None:
    ((_, e),) = found(extractor, "Ukrainian air defences downed 48 of 61 drones, the air force said.")
    assert (e.drones_launched, e.drones_intercepted, e.initiator_side, e.target_side) == (61, 48, "Russia", "Ukraine")


@pytest.mark.parametrize(
    "text",
    [
        "Russia launched 550 drones and 40 missiles at Kyiv overnight, of which 500 and 35 respectively were intercepted.",
        "Russia launched 550 drones and 40 missiles at Kyiv overnight. Of these, 500 and 35 respectively were shot down.",
    ],
)
def test_intercepted_respectively(extractor: Extractor, text: str) -> None:
    ((_, e),) = found(extractor, text)
    assert (e.drones_launched, e.missiles_launched, e.drones_intercepted, e.missiles_intercepted) == (550, 40, 500, 35)


# Session 9: classes the fourth blind set (blind4_first_run.txt, 0.583) showed missing, tested
# on sentences of our own.


@pytest.mark.parametrize(
    "lead",
    [
        "This is the morning bulletin for Tuesday the 8th of October 2024.",
        "Kharkiv, 8th October, 2024 - local time.",
        "KHARKIV, 08.10.2024.",
    ],
)
def test_an_undated_article_takes_its_date_from_ordinal_and_dotted_dates(extractor: Extractor, lead: str) -> None:
    (extracted,) = extractor.extract_text(f"{lead}\n\nRussian drones struck Kharkiv overnight, killing two people.\n", "t.txt")
    assert extracted.event.event_date == dt.date(2024, 10, 8)


def test_a_day_written_as_an_ordinal_of_a_month(extractor: Extractor) -> None:
    ((_, e),) = found(extractor, "Russian drones struck Kharkiv on the 8th of October, killing two people.", date="2024-10-20")
    assert e.event_date == dt.date(2024, 10, 8)


@pytest.mark.parametrize(
    ("sentence", "fatalities", "injured"),
    [
        ("No one had been hurt, the mayor said.", 0, 0),
        ("Nobody was reported injured.", 0, 0),
        ("The strike caused no deaths or injuries.", 0, 0),
        ("No one was killed or injured.", 0, 0),
        ("Nobody died.", 0, None),
        ("The attack ended without causing any injuries.", None, 0),
        # the lightly hurt are not counted by "seriously": no zero
        ("No one was seriously hurt.", None, None),
    ],
)
def test_zero_casualties_in_any_tense(extractor: Extractor, sentence: str, fatalities: int | None, injured: int | None) -> None:
    (extracted,) = extractor.extract_text(f"---\ndate: 2024-10-20\n---\nRussian drones struck Kharkiv overnight. {sentence}\n", "t.txt")
    stated = extracted.provenance["fields"]
    assert (extracted.event.fatalities if "fatalities" in stated else None, extracted.event.injured if "injured" in stated else None) == (fatalities, injured)


@pytest.mark.parametrize(
    "sentence",
    ["Six civilians were martyred in the attack.", "Six people perished.", "The strike caused the deaths of six civilians.", "It killed six citizens."],
)
def test_deaths_told_as_translated_statements_tell_them(extractor: Extractor, sentence: str) -> None:
    (extracted,) = extractor.extract_text(f"---\ndate: 2024-10-20\n---\nRussian drones struck Kharkiv overnight. {sentence}\n", "t.txt")
    assert extracted.event.fatalities == 6 and "fatalities" in extracted.provenance["fields"]


def test_front_matter_with_a_colon_in_its_title_is_read(extractor: Extractor) -> None:
    text = "---\ntitle: Night drone attack on Sumy: one dead\npublisher: Sumy Today\ndate: 2026-01-27\ncredibility: 2\n---\nRussian drones struck Sumy overnight, killing one person.\n"
    (extracted,) = extractor.extract_text(text, "t.txt")
    assert extracted.event.event_date == dt.date(2026, 1, 27)
    assert (extracted.event.sources[0].title, extracted.event.sources[0].credibility) == ("Night drone attack on Sumy: one dead", 2)


def test_front_matter_that_is_not_key_value_lines_is_still_an_error(extractor: Extractor) -> None:
    from riskengine.core.errors import InputError

    with pytest.raises(InputError, match="YAML syntax error"):
        extractor.extract_text("---\ntitle: [unclosed\nnotes: a: b\n---\nRussian drones struck Sumy overnight.\n", "t.txt")


@pytest.mark.parametrize(
    "head",
    [
        "TRANSCRIPT - MORNING REPORT, THURSDAY 9 OCTOBER 2025, 07:00 GMT EDITION\n\n[MUSIC]\n\nPRESENTER: Good morning.",
        "09.10.2025, 08:41 | Odesa | Incidents",
        "[Unofficial translation.]\n\nARMED FORCES OF THE REPUBLIC\n\nGENERAL STAFF\n\nPRESS RELEASE No. 011/2025\n\nKinshasa, this 9 October 2025\n\n1. The General Staff informs the public of the following.",
    ],
)
def test_a_dated_header_line_dates_the_article(extractor: Extractor, head: str) -> None:
    (extracted,) = extractor.extract_text(f"{head}\n\nRussian drones struck Odesa overnight, killing two people.\n", "t.txt")
    assert extracted.event.event_date == dt.date(2025, 10, 9)
