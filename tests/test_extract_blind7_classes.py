"""Classes of error the seventh blind set (Niger, Somalia, Nigeria, Pakistan, Colombia, Haiti,
Ethiopia, Mozambique, Red Sea, Ukraine) showed, each tested on sentences of our own from other
wars, not blind7's: the theatre's towns winning over an article's own (a namesake), towns named
by the kind of administrative unit they are, and towns after "at"."""

from __future__ import annotations

import pytest
from extract_support import found

from riskengine.ingest.extract.articles import Extractor

# -- namesakes: an article about a war elsewhere names its own country's towns ---------------------


@pytest.mark.parametrize(
    ("text", "town", "country"),
    [
        # Egypt named: Alexandria is Egypt's, not the Ukrainian or Romanian namesake
        ("Egyptian police said hundreds of protesters marched in Alexandria on Monday against price rises.", "Alexandria", "EGY"),
        # Iraq named by its side: the town is Iraq's Amara, not Romania's
        ("A drone struck an army checkpoint in Amara on Sunday, killing two soldiers, Iraqi security sources said.", "Amara", "IRQ"),
        # no country named at all: Colombia holds both towns named, so both are Colombia's
        ("In Pasto, hundreds of people marched on Monday to reject the violence. The mayor of Cali called for calm.", "Pasto", "COL"),
    ],
)
def test_an_article_about_another_war_takes_its_own_countrys_town_over_a_theatre_namesake(extractor: Extractor, text: str, town: str, country: str) -> None:
    events = [e for _, e in found(extractor, text)]
    assert [(e.location, e.country) for e in events][:1] == [(town, country)]


def test_an_article_about_the_theatre_keeps_the_theatres_namesake(extractor: Extractor) -> None:
    # Russia named: "Varna" stays the Russian town, not Bulgaria's larger port
    events = [e for _, e in found(extractor, "Ukrainian drones struck an oil depot in Varna on Monday, injuring three workers, Russian officials said.")]
    assert [(e.location, e.country) for e in events] == [("Varna", "RUS")]


# -- towns no index holds, said to be places by how they are named --------------------------------


@pytest.mark.parametrize(
    ("text", "town"),
    [
        # a municipality is a town: "the municipality of X" as "the village of X"
        ("A drone loaded with explosives attacked the police station of the municipality of El Tarra on Monday, injuring two officers, Colombian police said.", "El Tarra"),
        ("Artillery shelled the municipality of Ksar Hellal on Friday, injuring four guards, Tunisian officials said.", "Ksar Hellal"),
        # "at X" before a comma or a preposition, as "in X" is read
        ("Militants attacked an army checkpoint at Gadamayo on Friday, killing four soldiers, Ethiopian officials said.", "Gadamayo"),
        ("Insurgents fired mortars at a military base at Kumshe, near the border, on Saturday, killing three soldiers, Nigerian army sources said.", "Kumshe"),
        # the people of a place speak for it
        ("Residents of Kunduma, about 80 km from the border, said an army drone had struck the town's market on Tuesday, killing five people.", "Kunduma"),
    ],
)
def test_a_town_no_index_holds_is_read_from_how_it_is_named(extractor: Extractor, text: str, town: str) -> None:
    assert town in [e.location for _, e in found(extractor, text)]


@pytest.mark.parametrize(
    "text",
    [
        # a day, a month or an outlet after "at" is no town
        "Militants attacked an army checkpoint at Christmas, killing four soldiers, Ethiopian officials said.",
        "Gunmen attacked a checkpoint on Friday, killing four soldiers, a source at Reuters said.",
    ],
)
def test_words_after_at_that_name_no_place_are_not_towns(extractor: Extractor, text: str) -> None:
    assert not {"Christmas", "Reuters"} & {e.location for _, e in found(extractor, text)}


# -- a force that arrives is deployed ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("A contingent of 250 Burundian peacekeepers landed at Bangui airport on Monday to join the UN mission.", "Bangui"),
        ("About 400 Kenyan police officers arrived in Port-au-Prince on Friday to reinforce the mission.", "Port-au-Prince"),
        ("Fresh Chadian troops arrived in Ndjamena on Sunday, the army said.", None),
    ],
)
def test_a_force_that_lands_or_arrives_is_a_deployment(extractor: Extractor, text: str, town: str | None) -> None:
    kinds = found(extractor, text, date="2025-09-28")
    assert [k for k, _ in kinds] == ["troop_deployment"]
    if town is not None:
        assert kinds[0][1].location == town


@pytest.mark.parametrize(
    "text",
    ["A shell landed near soldiers in Gaza on Monday.", "A mortar round landed among troops at the checkpoint in Mogadishu on Monday."],
)
def test_a_munition_that_lands_near_soldiers_is_no_deployment(extractor: Extractor, text: str) -> None:
    assert "troop_deployment" not in [k for k, _ in found(extractor, text, date="2025-09-28")]


# -- a lake named for a country is water, not the country -------------------------------------------


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("An air force jet struck insurgent camps on islands of Lake Chad on Sunday, killing nine fighters, Nigerian officials said.", "NGA"),
        ("An army helicopter struck a camp on the shore of Lake Malawi on Sunday, killing three fighters, Mozambican officials said.", "MOZ"),
    ],
)
def test_a_lake_named_for_a_country_does_not_place_the_event_there(extractor: Extractor, text: str, country: str) -> None:
    assert [e.country for _, e in found(extractor, text)] == [country]


# -- talks agreed, offered or attended ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "town", "scheduled"),
    [
        # a day after the report, in a meeting agreed or offered, is ahead, not last year's
        ("The government and the ELN agreed to meet again in Caracas on June 20 to continue the dialogue.", "Caracas", "2025-06-20"),
        ("Kenya said it was ready to host talks between the two sides in Nairobi on 30 June.", "Nairobi", "2025-06-30"),
        # talks a delegation will attend
        ("A Sudanese army delegation will attend talks with the RSF in Jeddah on Saturday.", "Jeddah", "2025-06-07"),
    ],
)
def test_talks_agreed_offered_or_attended_are_scheduled_on_their_day(extractor: Extractor, text: str, town: str, scheduled: str) -> None:
    events = [e for k, e in found(extractor, text, date="2025-06-03") if k == "talks"]
    assert [(e.location, str(e.scheduled_date)) for e in events] == [(town, scheduled)]


def test_a_meeting_agreed_after_talks_held_leaves_their_day_in_the_past(extractor: Extractor) -> None:
    text = "Talks between the army and the RSF in Jeddah ended on Monday without a truce, but the sides agreed to meet again after Eid."
    events = [e for k, e in found(extractor, text, date="2025-06-05") if k == "talks"]
    assert [str(e.event_date) for e in events] == ["2025-06-02"]


# -- a protest against strikes is a protest, not a strike ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "On Monday several hundred people demonstrated in Kassala against the drone strikes on the city.",
        "Thousands marched in Quetta on Sunday to protest recent air strikes.",
        "Students rallied in Goma on Friday, condemning the shelling of the camps.",
    ],
)
def test_a_protest_against_strikes_is_a_protest(extractor: Extractor, text: str) -> None:
    assert [k for k, _ in found(extractor, text)] == ["protest"]


def test_a_strike_against_a_place_stays_a_strike(extractor: Extractor) -> None:
    text = "Drones struck a fuel depot in Kassala on Monday, killing two guards, Sudanese officials said."
    assert [k for k, _ in found(extractor, text)] == ["drone_strike"]


# -- an incident report's dated section headings -----------------------------------------------------

_REPORT = """SECURITY UPDATE - EASTERN DRC

1. INCIDENTS

1.1 Kiwanja (Rutshuru) - 12 May
Armed men overran the police post and took control of the market area. No casualties were reported.

1.2 Goma (Mugunga) - 14 May
Shells struck a displacement site, killing four people.

2. CONTEXT
Partners should avoid the Rutshuru road.
"""


def test_a_dated_section_heading_gives_its_place_and_day_to_the_events_under_it(extractor: Extractor) -> None:
    events = sorted((str(e.event_date), e.location, k) for k, e in found(extractor, _REPORT, date="2025-05-16", extra="country: COD\n"))
    assert events == [("2025-05-12", "Kiwanja", "territorial_claim"), ("2025-05-14", "Goma", "shelling")]


def test_a_heading_whose_tail_is_more_than_a_day_is_no_dated_section(extractor: Extractor) -> None:
    # a heading whose tail is more than a day dates nothing under it
    text = "Izmail - what we know on Tuesday\n\nDrones struck a grain terminal, injuring two workers."
    events = [e for _, e in found(extractor, text, date="2025-05-14")]
    assert [str(e.event_date) for e in events] == ["2025-05-14"]


# -- a report's context section tells the period's political events ---------------------------------


def test_a_context_section_tells_this_weeks_events_and_not_old_ones(extractor: Extractor) -> None:
    text = (
        "2. POLITICAL / CONTEXT\n\n"
        "- On 2 June, the European Union announced sanctions against three militia commanders in South Sudan.\n"
        "- In March, an air strike on Nasir killed 20 people.\n"
    )
    assert [(k, str(e.event_date)) for k, e in found(extractor, text, date="2025-06-04")] == [("sanctions", "2025-06-02")]


# -- official jargon for the dead, and the sector a place names ----------------------------------------


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Militants shelled border posts in Chaman on Sunday. In this cowardly act, 12 brave sons of soil embraced shahadat, while 4 were injured.", 12),
        ("Insurgents fired mortars at a post in Chaman on Sunday; five soldiers laid down their lives.", 5),
        ("Gunmen fired rockets at a checkpoint in Kidal on Sunday, and three soldiers made the supreme sacrifice, the army said.", 3),
    ],
)
def test_official_words_for_soldiers_deaths_count_the_dead(extractor: Extractor, text: str, killed: int) -> None:
    assert [e.fatalities for _, e in found(extractor, text)] == [killed]


def test_a_named_sector_of_a_region_is_a_place(extractor: Extractor) -> None:
    text = "Militants shelled border posts in the Tirah Maidan sector of Khyber district on Sunday, killing three soldiers, Pakistani officials said."
    assert [e.location for _, e in found(extractor, text)] == ["Tirah Maidan"]


def test_a_day_without_its_year_in_talks_to_come_is_ahead_however_far_from_the_verb(extractor: Extractor) -> None:
    text = "Qatar says it is ready to host a new round of talks between the Sudanese army and the Rapid Support Forces delegations in Doha on 28 June."
    events = [e for k, e in found(extractor, text, date="2025-06-03") if k == "talks"]
    assert [(e.location, str(e.scheduled_date)) for e in events] == [("Doha", "2025-06-28")]


def test_talks_held_on_a_day_before_the_report_stay_in_the_past(extractor: Extractor) -> None:
    events = [e for k, e in found(extractor, "Talks between the two sides were held in Doha on 28 May.", date="2025-06-03") if k == "talks"]
    assert [(str(e.event_date), e.scheduled_date) for e in events] == [("2025-05-28", None)]


def test_a_protest_without_a_place_is_in_the_town_its_paragraph_named(extractor: Extractor) -> None:
    text = "In Kassala itself, anger is growing. On Friday, some 300 displaced people protested outside the state government offices."
    assert [(k, e.location) for k, e in found(extractor, text)] == [("protest", "Kassala")]


# -- translated Latin American reporting ----------------------------------------------------------------


def test_cylinder_bombs_are_shelling_and_a_town_before_its_region_in_brackets_is_a_place(extractor: Extractor) -> None:
    text = "On Monday, in Toribío (Cauca), dissidents launched cylinder bombs against the police station, leaving two uniformed injured, Colombian police said."
    assert [(k, e.location, e.injured) for k, e in found(extractor, text)] == [("shelling", "Toribío", 2)]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("On Sunday Indian troops captured three Pakistani border posts along the frontier, the army said.", "PAK"),
        ("On Sunday Rwandan-backed rebels seized two Burundian posts on the border, officials said.", "BDI"),
    ],
)
def test_posts_taken_from_a_side_are_in_that_sides_country(extractor: Extractor, text: str, country: str) -> None:
    assert [(k, e.country) for k, e in found(extractor, text)] == [("territorial_claim", country)]


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("Drones dropped explosives on an army base at Kumshe on Saturday night, wounding four soldiers, adding that no life was lost in the attack.", 0, 4),
        ("On Monday drones attacked the army base in El Plateado, but no soldier resulted affected, the ministry said.", 0, 0),
    ],
)
def test_no_life_lost_and_no_soldier_affected_are_zeros(extractor: Extractor, text: str, killed: int, injured: int) -> None:
    events = [e for _, e in found(extractor, text)]
    assert [(e.fatalities, e.injured) for e in events] == [(killed, injured)]
