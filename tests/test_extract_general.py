"""Classes of reporting the fourth and fifth blind sets' remaining misses stood for (session 10),
each tested on sentences of our own, not the blind sets': towns shown as the article spells them,
and the further classes below."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from extract_support import found

from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.dates import find_dates
from riskengine.ingest.extract.dedup import deduplicate

HERE = Path(__file__).parent / "extract"


@pytest.mark.parametrize(
    ("text", "location"),
    [
        # GeoNames writes Novokuybyshevsk, Homyel: the press and the gold conventions as written
        ("Ukrainian drones struck the oil refinery in Novokuibyshevsk on Sunday.", "Novokuibyshevsk"),
        ("Ukrainian drones struck the oil refinery in Novokuybyshevsk on Sunday.", "Novokuybyshevsk"),
        ("Belarus has concentrated 4,000 troops near Gomel, the border service said on Monday.", "Gomel"),
        # Ukrainian towns keep the national transliteration whatever the spelling
        ("Russian drones struck an oil depot in Pavlograd on Sunday.", "Pavlohrad"),
    ],
)
def test_a_town_outside_ukraine_is_shown_as_the_article_spells_it(extractor: Extractor, text: str, location: str) -> None:
    ((_, e),) = found(extractor, text)
    assert e.location == location


def test_one_town_in_two_spellings_is_one_event_across_articles(extractor: Extractor) -> None:
    a = extractor.extract_text("---\ndate: 2025-06-03\n---\nUkrainian drones struck the oil refinery in Novokuibyshevsk on Sunday.\n", "a.txt")
    b = extractor.extract_text("---\ndate: 2025-06-03\n---\nUkrainian drones hit the refinery in Novokuybyshevsk on Sunday.\n", "b.txt")
    assert [x.event.location for x in a + b] == ["Novokuibyshevsk", "Novokuybyshevsk"]
    assert len(deduplicate(a + b)) == 1


@pytest.mark.parametrize(
    ("phrase", "day"),
    [
        # published on Thursday 5 June 2025: weeks start on Monday
        ("on Monday last week", dt.date(2025, 5, 26)),
        ("on Thursday last week", dt.date(2025, 5, 29)),
        ("Friday of last week", dt.date(2025, 5, 30)),
        ("on Wednesday next week", dt.date(2025, 6, 11)),
        ("last Monday", dt.date(2025, 6, 2)),
    ],
)
def test_a_weekday_of_last_or_next_week(phrase: str, day: dt.date) -> None:
    (found_date,) = find_dates(f"The depot was hit {phrase}.", dt.date(2025, 6, 5))
    assert found_date.date == day


def test_a_future_word_far_from_a_date_does_not_move_it_ahead() -> None:
    clause = "On Monday the ministry froze the accounts of four trading houses that act for the state shipping line, and officials said more firms will follow."
    (d,) = find_dates(clause, dt.date(2025, 6, 5))
    assert (d.date, d.future) == (dt.date(2025, 6, 2), False)
    # a future word next to the day still makes it the coming one
    (d,) = find_dates("The envoys are expected to meet on Monday.", dt.date(2025, 6, 5))
    assert (d.date, d.future) == (dt.date(2025, 6, 9), True)


@pytest.mark.parametrize(
    ("text", "country", "date"),
    [
        ("On Monday the British government added two Russian shipping firms to its sanctions list.", "RUS", dt.date(2025, 6, 2)),
        ("The European Union blacklisted three Belarusian banks on Tuesday.", "BLR", dt.date(2025, 6, 3)),
        # the sanctioned side named before the cue, in a clause about the firms
        ("On Monday Canada placed two firms that ship much of Iran's oil exports on its sanctions list, warning others they may be next.", "IRN", dt.date(2025, 6, 2)),
    ],
)
def test_sanctions_told_as_a_list_or_a_blacklisting(extractor: Extractor, text: str, country: str, date: dt.date) -> None:
    ((kind, e),) = found(extractor, text, date="2025-06-04")
    assert (kind, e.country, e.event_date) == ("sanctions", country, date)


@pytest.mark.parametrize(
    ("text", "location", "country"),
    [
        ("The army said its jets hit targets in Sanaa on Tuesday.", "Sanaa", "YEM"),
        ("Israeli warplanes bombed a depot outside Sidon on Tuesday, killing three workers.", "Sidon", "LBN"),
        # GeoNames has "El-Hodeidah", "Al Hudaydah": the press drops the article
        ("Residents said fighter jets struck the port of Hodeidah overnight.", "Hodeidah", "YEM"),
    ],
)
def test_aircraft_as_the_subject_of_a_strike_verb_is_an_air_strike(extractor: Extractor, text: str, location: str, country: str) -> None:
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location, e.country) == ("air_strike", location, country)


def test_bombers_launching_missiles_stay_a_missile_strike(extractor: Extractor) -> None:
    ((kind, _),) = found(extractor, "Russian Tu-95 bombers launched cruise missiles at Odesa overnight.")
    assert kind == "missile_strike"


def test_a_town_before_a_country_in_one_capitalised_run_is_read(extractor: Extractor) -> None:
    # "Sanaa" runs into "Yemen's Red Sea": the country took the run, the town was lost
    ((_, e),) = found(extractor, "The army said its jets hit targets at Mukalla on Yemen's southern coast on Tuesday.")
    assert (e.location, e.country) == ("Mukalla", "YEM")


def test_a_strike_of_unnamed_weapon_takes_the_kind_another_report_of_it_gives(extractor: Extractor) -> None:
    text = (
        "Health officials said four people were killed in the Israeli strikes on Hodeidah port.\n\n"
        "Earlier, the military said its fighter jets struck fuel tanks at the port of Hodeidah."
    )
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location, e.fatalities) == ("air_strike", "Hodeidah", 4)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Russian artillery shelled Nikopol on Tuesday. A 70-year-old woman who was walking to the market died at the scene.", "fatalities", 1),
        ("A Russian drone hit a car in Kherson on Tuesday. The driver and a passenger were wounded.", "injured", 2),
        ("A Russian drone hit a car in Kherson on Tuesday. The driver and one passenger sustained injuries.", "injured", 2),
        ("A Russian drone hit a car in Kherson on Tuesday. The driver was wounded.", "injured", 1),
    ],
)
def test_one_person_told_with_a_relative_clause_or_two_joined_by_and(extractor: Extractor, text: str, field: str, value: int) -> None:
    ((_, e),) = found(extractor, text)
    assert getattr(e, field) == value


@pytest.mark.parametrize(
    "text",
    [
        "A Russian drone dropped explosives on a minibus at the entrance to Snihurivka on Tuesday.",
        "A Russian drone dropped explosives on a minibus on the approaches to Snihurivka on Tuesday.",
        "A Russian drone dropped explosives on a minibus 5 km west of Snihurivka on Tuesday.",
    ],
)
def test_a_town_after_entrance_approaches_or_a_bearing_is_the_place(extractor: Extractor, text: str) -> None:
    ((_, e),) = found(extractor, text)
    assert e.location == "Snihurivka"


def test_the_weapon_told_in_a_later_sentence_about_the_strike_types_it(extractor: Extractor) -> None:
    text = (
        "Overnight the Defence Forces struck the Millerovo airfield in the Rostov region.\n\n"
        "Attack drones of the Unmanned Systems Forces took part in the strike. A fire broke out."
    )
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location) == ("drone_strike", "Millerovo")


@pytest.mark.parametrize(
    "text",
    [
        "Ukrainian forces hit a fuel and lubricants depot near Dzhankoi on Tuesday.",
        "Ukrainian forces struck a Russian landing ship near Sevastopol on Tuesday.",
    ],
)
def test_a_strike_on_a_depot_or_a_vessel_without_a_weapon_is_a_strike(extractor: Extractor, text: str) -> None:
    ((kind, _),) = found(extractor, text)
    assert kind == "remote_strike"


def test_artillery_as_the_means_of_a_strike_and_translated_casualty_nouns(extractor: Extractor) -> None:
    text = "On Tuesday the militia targeted the market of Kadugli in Sudan with heavy artillery, leading to the killing of four civilians and the injury of nine others."
    ((kind, e),) = found(extractor, text, date="2025-06-04")
    assert (kind, e.location, e.fatalities, e.injured) == ("shelling", "Kadugli", 4, 9)


def test_shoot_down_in_the_infinitive_and_no_human_losses(extractor: Extractor) -> None:
    text = (
        "Rebel suicide drones targeted the fuel depots in Port Sudan on Tuesday. "
        "Air defences managed to shoot down seven of them, and there were no human losses."
    )
    ((kind, e),) = found(extractor, text, date="2025-06-04")
    assert (kind, e.location, e.drones_intercepted, e.fatalities) == ("drone_strike", "Port Sudan", 7, 0)


def test_a_snap_readiness_inspection_with_troops_is_a_troop_concentration(extractor: Extractor) -> None:
    text = "The Belarusian defence ministry said on Tuesday it had begun a snap combat readiness inspection of units near Brest, involving about 3,000 personnel."
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location, e.country) == ("troop_concentration", "Brest", "BLR")


@pytest.mark.parametrize(
    "text",
    [
        # a total over a period, counted
        "Over the past week, Russia launched more than 900 drones and 40 missiles against Ukraine, the president said.",
        # a region's tally of many strikes
        "In total, the occupiers carried out 57 attacks on 12 settlements of the region, the governor said.",
        # a vague count over a period
        "Russia has sent dozens of drones at the Black Sea ports since the start of the month.",
        # casualties said not to be reported
        "Regional officials did not report casualties.",
    ],
)
def test_totals_over_a_period_and_unreported_casualties_are_no_event(extractor: Extractor, text: str) -> None:
    assert found(extractor, text) == []


def test_the_debris_of_a_drone_where_it_fell_is_a_drone_strike(extractor: Extractor) -> None:
    text = "In Voronezh, debris from a drone fell on a private house on Tuesday night, the governor said. One woman was injured."
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location, e.injured) == ("drone_strike", "Voronezh", 1)


def test_a_list_of_what_was_shot_down(extractor: Extractor) -> None:
    # bombs shot down are no air strike; where a missile was made is no place; the list's later
    # weapons take its verb; a number starts the next item
    text = "Air defences shot down three cruise missiles made in France, four guided aerial bombs and 95 fixed-wing unmanned aerial vehicles over the past day."
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location, e.country != "FRA") == ("interception", None, True)
    assert (e.missiles_intercepted, e.drones_intercepted) == (3, 95)
    ((_, e),) = found(extractor, "Air defences shot down 12 cruise missiles, three guided bombs and 40 drones over the Kursk region.")
    assert (e.missiles_intercepted, e.drones_intercepted) == (12, 40)


def test_numbers_restated_in_digits_and_rockets_fired_with_mortars(extractor: Extractor) -> None:
    text = (
        "On Monday 2 June 2025 the rebels fired heavy mortar bombs and rockets on the town of Goma. "
        "This cowardly bombardment left eleven (11) civilians killed, among whom two (2) children, and thirty (30) others wounded."
    )
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location, e.country, e.fatalities, e.injured) == ("shelling", "Goma", "COD", 11, 30)


def test_rockets_alone_stay_a_missile_strike(extractor: Extractor) -> None:
    ((kind, _),) = found(extractor, "Russian forces fired rockets at Kharkiv on Monday, wounding three people.")
    assert kind == "missile_strike"


@pytest.mark.parametrize(
    ("text", "location", "country"),
    [
        # no index holds these: the text says they are a town or village
        ("An Israeli drone struck a car in the southern town of Kfar Dounine, near Tyre in Lebanon, on Wednesday.", "Kfar Dounine", "LBN"),
        ("On 3 June, an airstrike hit Htan Taw Gyi village near Mandalay in Myanmar, killing four civilians.", "Htan Taw Gyi", "MMR"),
    ],
)
def test_a_town_or_village_no_index_holds_is_kept_as_written(extractor: Extractor, text: str, location: str, country: str) -> None:
    ((_, e),) = found(extractor, text, date="2025-06-05")
    assert (e.location, e.country) == (location, country)


def test_a_town_named_in_the_article_is_not_given_the_country_of_a_side_named_near_it(extractor: Extractor) -> None:
    text = "On 2 June 2025 the rebels, supported by Rwanda, fired mortar bombs on the town of Sake in North Kivu, in the Democratic Republic of the Congo."
    ((_, e),) = found(extractor, text)
    assert (e.location, e.country) == ("Sake", "COD")


def test_warplanes_carrying_out_a_series_of_strikes(extractor: Extractor) -> None:
    text = "Early on Thursday, Israeli warplanes carried out a series of strikes on the outskirts of Sidon, causing no casualties."
    ((kind, e),) = found(extractor, text, date="2025-06-05")
    assert (kind, e.location, e.fatalities, e.injured) == ("air_strike", "Sidon", 0, 0)


def test_a_strike_told_again_without_weapon_or_place_in_a_later_answer_is_the_same(extractor: Extractor) -> None:
    text = (
        "HOST: Our top story: the city of Mykolaiv was hit by Russian drones overnight. Anna, what do we know?\n\n"
        "REPORTER: Good morning. The sirens started at one. It went on for hours. People sheltered in corridors. "
        "The drones came from the south. Then came the explosions. The governor says an energy facility was hit and three people were injured."
    )
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location, e.injured) == ("drone_strike", "Mykolaiv", 3)


def test_the_day_of_a_sentence_that_tells_no_event_dates_the_next(extractor: Extractor) -> None:
    text = (
        "The first wave came on Sunday and hit a warehouse in Kramatorsk, without casualties.\n\n"
        "The heaviest blow fell on Tuesday. Drones struck the fuel depot in Kramatorsk, and air defences shot down 9 drones over the city that morning. "
        "Two workers were injured."
    )
    got = sorted((e.event_date, e.injured, e.drones_intercepted) for _, e in found(extractor, text, date="2025-06-05"))
    assert got == [(dt.date(2025, 6, 1), 0, None), (dt.date(2025, 6, 3), 2, 9)]


def test_a_city_of_a_country_the_article_names_needs_no_preposition(extractor: Extractor) -> None:
    text = (
        "Drones hit the port of Port Sudan on Sunday.\n\n"
        "In North Kordofan, El Obeid, the state capital held by the army, remains under siege. "
        "Rebel artillery shelled the city on Monday, killing five people."
    )
    got = {(kind, e.location) for kind, e in found(extractor, text)}
    assert ("shelling", "El Obeid") in got


def test_casualties_of_a_flood_told_after_a_strike_are_not_the_strikes(extractor: Extractor) -> None:
    text = (
        "On 2 June, an airstrike hit Lashio in northern Myanmar, killing 6 civilians.\n\n"
        "Heavy rains have affected more than 80,000 people in the region. At least 41 people died, the authorities said."
    )
    ((_, e),) = found(extractor, text)
    assert (e.location, e.fatalities) == ("Lashio", 6)


def test_strikes_that_continue_to_kill_are_a_pattern_not_an_event(extractor: Extractor) -> None:
    assert found(extractor, "- Airstrikes and shelling continue to kill civilians in Rakhine and northern Shan.") == []


@pytest.mark.parametrize("verb", ["recovered the control of", "regained control of", "retook", "recaptured"])
def test_a_place_taken_back_is_a_territorial_claim(extractor: Extractor, verb: str) -> None:
    ((kind, e),) = found(extractor, f"On Monday, Ukrainian forces {verb} the village of Andriivka, the General Staff said.")
    assert (kind, e.country) == ("territorial_claim", "UKR")


def test_a_casualty_word_right_after_the_number_before_a_weapon_named_later(extractor: Extractor) -> None:
    ((_, e),) = found(extractor, "Two people were killed and 17 wounded when Russian missiles struck Zaporizhzhia on Monday.")
    assert (e.fatalities, e.injured) == (2, 17)


@pytest.mark.parametrize(
    ("text", "launched", "intercepted"),
    [
        ("Out of 40 drones fired at Odesa overnight, air defences brought down 31, the navy said.", 40, 31),
        ("Russian drones attacked Odesa overnight. Of the 40 drones that crossed the coast, 31 were shot down.", 40, 31),
    ],
)
def test_a_whole_told_first_and_the_share_brought_down(extractor: Extractor, text: str, launched: int, intercepted: int) -> None:
    ((_, e),) = found(extractor, text)
    assert (e.location, e.drones_launched, e.drones_intercepted) == ("Odesa", launched, intercepted)


def test_talks_a_party_will_hold(extractor: Extractor) -> None:
    text = "The two delegations will hold a third round of direct talks in Geneva on Thursday, the Swiss foreign ministry said on Tuesday."
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location, e.diplomatic_status, e.scheduled_date) == ("talks", "Geneva", "scheduled", dt.date(2025, 6, 5))


def test_troops_a_country_will_deploy(extractor: Extractor) -> None:
    ((kind, e),) = found(extractor, "Germany will deploy 500 more troops to Lithuania next month, the defence ministry announced.")
    assert (kind, e.country, e.troops) == ("troop_deployment", "LTU", 500)


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Israeli air strikes on Khan Younis in the Gaza Strip killed at least 31 Palestinians on Monday, the health ministry said.", 31),
        ("A strike on a house in Khan Younis in the Gaza Strip on Monday killed nine members of one family, medics said.", 9),
        ("Gunmen attacked an army post in Khan Younis in the Gaza Strip on Monday, killing at least 14 soldiers.", 14),
    ],
)
def test_people_counted_by_nationality_family_or_as_soldiers_killed(extractor: Extractor, text: str, killed: int) -> None:
    ((_, e),) = found(extractor, text)
    assert e.fatalities == killed


def test_a_strike_named_as_background_after_a_day_after_is_no_event(extractor: Extractor) -> None:
    text = "Air strikes killed 20 people in Khan Younis in the Gaza Strip on Monday, a day after Israel resumed its bombardment."
    assert [(kind, e.location) for kind, e in found(extractor, text)] == [("air_strike", "Khan Younis")]


def test_people_known_or_reported_to_have_died(extractor: Extractor) -> None:
    text = "On Sunday two ballistic missiles struck the centre of Chernihiv. As of Monday, 21 people are known to have died and 40 have been injured."
    ((_, e),) = found(extractor, text)
    assert (e.location, e.fatalities, e.injured) == ("Chernihiv", 21, 40)


def test_talks_set_for_a_day(extractor: Extractor) -> None:
    ((kind, e),) = found(extractor, "Talks between the two defence ministers are set for Friday in Brussels, officials said.")
    assert (kind, e.location, e.scheduled_date) == ("talks", "Brussels", dt.date(2025, 6, 6))


def test_water_named_after_a_town_is_no_place(extractor: Extractor) -> None:
    got = found(extractor, "Rebels fired an anti-ship missile at a cargo ship in the Gulf of Aden on Wednesday, killing two crew members.")
    assert [e.location for _, e in got] == [None]


def test_an_event_without_place_or_side_takes_the_country_of_the_place_told_before(extractor: Extractor) -> None:
    text = (
        "An airstrike hit a school in Sagaing in Myanmar on Monday, killing 17 people.\n\n"
        "Separately, military aircraft bombed a market on Sunday; four people were killed."
    )
    got = sorted((e.event_date, e.country, e.fatalities) for _, e in found(extractor, text))
    assert got == [(dt.date(2025, 6, 1), "MMR", 4), (dt.date(2025, 6, 2), "MMR", 17)]


def test_a_village_forces_captured_is_the_claims_place(extractor: Extractor) -> None:
    text = "The Russian defence ministry claimed on Monday that its forces had captured Novoocheretuvate, northwest of Huliaipole."
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location) == ("territorial_claim", "Novoocheretuvate")


@pytest.mark.parametrize(("phrase", "day"), [("on 02.06.2025", dt.date(2025, 6, 2)), ("on 2025-06-01", dt.date(2025, 6, 1))])
def test_numeric_dates_in_the_text(extractor: Extractor, phrase: str, day: dt.date) -> None:
    ((_, e),) = found(extractor, f"Russian drones struck an energy facility in Sumy {phrase}, the regional administration said.", date="2025-06-04")
    assert e.event_date == day


@pytest.mark.parametrize(
    "text",
    [
        "The two delegations are scheduled to hold talks in Istanbul the next day, the Turkish foreign ministry said.",
        # an event told before: the next day is still counted ahead and announced
        "Russian drones struck Odesa overnight, injuring three people.\n\nThe delegations are due to meet in Istanbul the next day, after the Kremlin proposed direct talks.",
    ],
)
def test_talks_announced_for_the_next_day(extractor: Extractor, text: str) -> None:
    talks = [e for kind, e in found(extractor, text) if kind == "talks"]
    assert [(e.event_date, e.scheduled_date, e.location) for e in talks] == [(dt.date(2025, 6, 3), dt.date(2025, 6, 4), "Istanbul")]


def test_an_attack_on_a_region_with_missiles_is_one_strike(extractor: Extractor) -> None:
    text = "On the night of 2 June the occupiers carried out a combined attack on the Volyn region with cruise missiles and attack drones. In Lutsk, a warehouse was damaged."
    assert [kind for kind, _ in found(extractor, text)] == ["missile_strike"]


def test_a_leader_arriving_for_talks_and_battalions_moved(extractor: Extractor) -> None:
    ((kind, e),) = found(extractor, "French President Emmanuel Macron arrived in Kyiv on Tuesday for talks with President Zelensky.")
    assert (kind, e.location, e.diplomatic_status) == ("talks", "Kyiv", "held")
    ((kind, _),) = found(extractor, "Russia has moved two battalions of paratroopers to Kaliningrad, Lithuanian intelligence said on Tuesday.")
    assert kind == "troop_deployment"


def test_a_strike_its_attackers_possessive_names_with_its_own_town_and_day(extractor: Extractor) -> None:
    text = (
        "Iran fired about 90 ballistic missiles at Israel overnight. Most were intercepted, but missiles hit Haifa, injuring 12 people.\n\n"
        "Israel's strikes on Sunday killed several senior officers in Tehran, state media said."
    )
    got = sorted((kind, e.location, e.event_date) for kind, e in found(extractor, text))
    assert got == [("missile_strike", "Haifa", dt.date(2025, 6, 3)), ("remote_strike", "Tehran", dt.date(2025, 6, 1))]


def test_one_person_with_an_appositive_before_the_verb(extractor: Extractor) -> None:
    ((_, e),) = found(extractor, "A Russian drone attacked a car in Nikopol on Monday; the driver, a 52-year-old man, sustained shrapnel wounds.")
    assert e.injured == 1


def test_a_nationality_adjective_is_no_town(extractor: Extractor) -> None:
    # GeoNames has a town "Thai" (Malaysia): the adjective is a side, not a place
    ((_, e),) = found(extractor, "On Friday Cambodian rocket fire hit the Thai province of Sisaket, killing a civilian at a petrol station.")
    # (since session 13 "the province of Sisaket" is the province, named as its admin1, not its capital town)
    assert (e.location or e.admin1, e.country) == ("Sisaket", "THA")


@pytest.mark.parametrize(
    "text",
    [
        "In July alone Russia launched more than 6,000 drones at Ukraine, according to Ukrainian data.",
        "A strike on the Saratov refinery in August halted a fifth of its capacity for weeks.",
    ],
)
def test_a_months_count_and_a_strike_dated_by_its_month_are_background(extractor: Extractor, text: str) -> None:
    assert found(extractor, text, date="2025-09-30") == []


def test_a_count_over_a_range_of_days_is_not_the_strike_told_before(extractor: Extractor) -> None:
    text = (
        "A Russian strike on a school in Sumy on Tuesday killed two teachers.\n\n"
        "Between 1 and 7 June, at least 40 civilians were killed and 200 injured across Ukraine, the UN monitoring mission said."
    )
    ((_, e),) = found(extractor, text, date="2025-06-12")
    assert (e.location, e.fatalities) == ("Sumy", 2)


def test_people_named_by_any_plural_noun_before_their_fate(extractor: Extractor) -> None:
    ((_, e),) = found(extractor, "A Russian missile struck a school in Odesa on Monday. Two teachers were killed and five pupils were injured.")
    assert (e.fatalities, e.injured) == (2, 5)


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces have taken the village of Andriivka in the Donetsk region, the Russian defence ministry said on Monday.",
        "Ukrainian troops pushed Russian units out of Andriivka, the brigade said on Monday.",
    ],
)
def test_a_village_taken_or_cleared_is_a_territorial_claim(extractor: Extractor, text: str) -> None:
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location, e.country) == ("territorial_claim", "Andriivka", "UKR")


def test_a_house_destroyed_by_a_drone_is_the_drones_strike(extractor: Extractor) -> None:
    ((kind, e),) = found(extractor, "In the village of Borova on Monday, a private house was destroyed by an FPV drone; no one was injured.")
    assert (kind, e.location, e.injured) == ("drone_strike", "Borova", 0)


def test_targets_hit_told_in_the_passive_far_from_the_verb(extractor: Extractor) -> None:
    text = "On Monday, thermal power plants in the Kharkiv and Poltava regions were hit, the energy ministry said. Two workers were injured."
    ((kind, e),) = found(extractor, text)
    assert (kind, e.injured) == ("remote_strike", 2)


def test_a_toll_told_before_the_strike_it_refers_to(extractor: Extractor) -> None:
    # a live blog, newest entry first
    text = (
        "**18:20** The governor says the death toll from this morning's strike has risen to four. Another 9 people are in hospital.\n\n"
        "**09:40** Russian guided bombs hit a residential area of Kramatorsk shortly after 8am, the governor says. Two people are confirmed dead."
    )
    ((kind, e),) = found(extractor, text)
    assert (kind, e.location, e.fatalities, e.injured) == ("air_strike", "Kramatorsk", 4, 9)


def test_central_district_adjectives_clashes_and_a_roundups_next_story(extractor: Extractor) -> None:
    text = (
        "DAMASCUS - Israeli aircraft struck a military headquarters in central Damascus on Wednesday, wounding 34 people. "
        "Clashes in the south have killed more than 250 people since Sunday.\n\n"
        "PORT-AU-PRINCE - Gang members attacked the town of Mirebalais overnight, killing at least 15 people."
    )
    # the gang attack with its toll is a casualty report of its own (session 13's convention, the
    # eighth and ninth blind sets'); the running total of the clashes is none
    ((kind, e), (other, g)) = found(extractor, text)
    assert (kind, e.location, e.injured, e.fatalities) == ("air_strike", "Damascus", 34, 0)
    assert (other, g.location, g.fatalities) == ("casualty_report", "Mirebalais", 15)


def test_one_weapon_that_hit_is_no_launch_count_and_the_nights_tally_joins_the_strike(extractor: Extractor) -> None:
    text = (
        "Russian missiles struck Kyiv overnight, killing nine people. One ballistic missile hit a residential building.\n\n"
        "The air force says Russia used 70 missiles in total. Air defences destroyed 112 of them."
    )
    ((_, e),) = found(extractor, text)
    assert (e.location, e.missiles_launched, e.missiles_intercepted, e.fatalities) == ("Kyiv", 70, None, 9)
    assert not [s for s in e.spans if s.field == "missiles_intercepted"]  # a share larger than the whole is not stated


def test_what_follows_on_is_where_an_attack_struck(extractor: Extractor) -> None:
    text = "Moldovan authorities said drone debris was found near the village of Ceadir-Lunga after a Russian attack on Ukraine's Odesa region."
    ((_, e),) = found(extractor, text)
    assert (e.location, e.admin1, e.country) == (None, "Odesa", "UKR")


def test_a_campaigns_running_total_is_not_the_nights_toll(extractor: Extractor) -> None:
    # found on the sixth blind set (after its blind run), written again in our own words
    text = (
        "American warplanes pounded Sanaa overnight, killing at least six people. The command said its forces had hit "
        "more than 900 targets since the campaign began in March, killing hundreds of fighters."
    )
    assert [(kind, e.location, e.fatalities) for kind, e in found(extractor, text)] == [("air_strike", "Sanaa", 6)]
