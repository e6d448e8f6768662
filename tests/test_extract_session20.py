"""Launch and interception counts bound to the event they count (session 20, issue 14): the
night's tally told as "launched N attack drones", beside a wire dateline, after a town named in
the paragraph, or credited "according to" the side attacked. The sentences are written for these
tests (other towns, counts and outlets than the gold sets'); each test fails without its change."""

from __future__ import annotations

from typing import Any

import pytest

from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.numbers import find_quantities

HEAD = "---\ndate: 2025-10-08\n---\nNIGHT REPORT\n\nThe night was loud across the country.\n\n"


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor(detector=False)  # the patterns' own reading


def _events(ex: Extractor, text: str, head: str = HEAD) -> list[dict[str, Any]]:
    out = []
    for e in ex.extract_text(head + text + "\n", "t.txt"):
        v = e.event
        out.append(
            {
                "kind": e.provenance["kind"], "location": v.location, "date": v.event_date.isoformat(),
                "launched": v.drones_launched if "drones_launched" in e.provenance["fields"] else None,
                "intercepted": v.drones_intercepted if "drones_intercepted" in e.provenance["fields"] else None,
                "killed": v.fatalities if "fatalities" in e.provenance["fields"] else None,
            }
        )  # fmt: skip
    return out


def _only_strike(events: list[dict[str, Any]]) -> dict[str, Any]:
    strikes = [e for e in events if e["kind"] in ("drone_strike", "interception")]
    assert len(strikes) == 1, strikes
    return strikes[0]


def test_attack_drones_launched_is_the_tally_not_an_anaphor(rules: Extractor) -> None:
    # "attack drones" names a weapon; "launched" further off is the cue. The count was lost with
    # the anaphor "attack" and the interception made an event of its own.
    got = _only_strike(
        _events(
            rules,
            "Russia launched 97 attack drones at Ukraine overnight, the air force said, adding that 71 were "
            "shot down. In the river port of Mykolaiv, drones hit a grain terminal and wounded three workers.",
        )
    )
    assert (got["kind"], got["location"], got["launched"], got["intercepted"]) == ("drone_strike", "Mykolaiv", 97, 71)


def test_share_of_the_tally_after_a_town_named_earlier_in_the_paragraph(rules: Extractor) -> None:
    # The share inherited the town of the paragraph's first sentence and started a cluster of
    # its own there, which the strike joined: the launch count stayed in a placeless event.
    got = _only_strike(
        _events(
            rules,
            "Poltava spent another night in shelters. Overnight, Russia sent fifty-four drones over Ukraine, "
            "the air force said. Thirty of them were shot down. In Poltava, officials say two people were killed "
            "when drones struck a dormitory.",
        )
    )
    assert (got["location"], got["launched"], got["intercepted"], got["killed"]) == ("Poltava", 54, 30, 2)


ROUNDUP = (
    "UKRAINE: NIGHT RAID ON LUTSK\n\n"
    "KYIV - Russia sent 88 attack drones against Ukraine overnight, the air force said, adding that 60 of them "
    "were shot down or jammed. One drone struck a warehouse in Lutsk, where officials said two people were killed.\n\n"
    "MALI: ROADSIDE BOMB\n\n"
    "BAMAKO - An explosive device hit an army truck near Douentza on Monday, killing four soldiers, the army said."
)


def test_dateline_is_not_where_the_tally_struck(rules: Extractor) -> None:
    # a roundup's labels name its stories' towns; "KYIV" labels a story of the whole country's night
    got = _only_strike(_events(rules, ROUNDUP))
    assert (got["location"], got["launched"], got["intercepted"], got["killed"]) == ("Lutsk", 88, 60, 2)


def test_roundup_label_still_places_a_strike_without_a_town(rules: Extractor) -> None:
    text = ROUNDUP.replace("against Ukraine overnight", "at the city overnight").replace(
        " One drone struck a warehouse in Lutsk, where officials said two people were killed.", ""
    )
    got = _only_strike(_events(rules, text))
    assert (got["location"], got["launched"]) == ("Kyiv", 88)


def test_source_of_the_count_is_not_the_side_that_launched(rules: Extractor) -> None:
    # "According to the Ukrainian Air Force" made Ukraine the launcher, so the count did not
    # join the Russian strike on the town told before it.
    got = _only_strike(
        _events(
            rules,
            "Overnight, Russian drones struck port facilities in Reni, injuring a crane operator. According to the "
            "Ukrainian Air Force, 64 attack drones were launched against Ukraine overnight, of which 49 were shot down.",
        )
    )
    assert (got["location"], got["launched"], got["intercepted"]) == ("Reni", 64, 49)


def test_casualty_sentence_places_the_country_tally(rules: Extractor) -> None:
    # The tally was placed at the country; the casualty sentence after it names the one town hit.
    got = _only_strike(
        _events(
            rules,
            "Overnight, Russia sent 73 attack drones against Ukraine; the air force says 52 of them were shot down. "
            "Three people were killed in a residential block in the east of Sumy, the governor said.",
        )
    )
    assert (got["location"], got["launched"], got["intercepted"], got["killed"]) == ("Sumy", 73, 52, 3)


def test_hospital_town_does_not_place_a_strike(rules: Extractor) -> None:
    # the same rule, not for a strike with its town: where the wounded were taken is no place of it
    got = _events(
        rules,
        "On Tuesday militants fired heavy mortar bombs on the town of Kibumba. This cowardly bombardment targeted "
        "the market of the town. The provisional toll is of four civilians killed and nine others wounded, evacuated "
        "towards the hospital structures of Goma.",
    )
    assert [(e["kind"], e["location"]) for e in got if e["kind"] == "shelling"] == [("shelling", "Kibumba")]


def test_hits_in_a_town_place_the_regions_tally(rules: Extractor) -> None:
    # "there were hits in X" names where the night's tally for the region struck; the tally had
    # gone to the next town told (another strike, of the afternoon)
    got = _events(
        rules,
        "Last night the enemy again attacked Chernihiv region with drones. In total, 20 Shahed-type drones were "
        "launched at the region; our air defence shot down 16 of them. Unfortunately there were hits in Nizhyn: a "
        "warehouse and two garages were damaged. There were no casualties.\n\nIn Semenivka, an FPV drone hit a car "
        "in the afternoon. The driver was killed.",
    )
    towns = {e["location"]: (e["launched"], e["intercepted"]) for e in got if e["kind"] == "drone_strike"}
    assert towns == {"Nizhyn": (20, 16), "Semenivka": (None, None)}


def test_hits_recorded_replace_the_town_the_tally_inherited(rules: Extractor) -> None:
    # The tally took the paragraph's earlier town (struck by the other side); the sentence after
    # it names where it hit.
    got = _events(
        rules,
        "Ukrainian drones attacked Morozovsk air base on Tuesday night, the governor said. Russia struck back the same "
        "night. Kyiv's air force said Russia launched 90 Shahed-type attack drones overnight, of which 70 were shot down. "
        "Hits were recorded in Uman, where two people were injured.",
    )
    uman = [e for e in got if e["location"] == "Uman"]
    assert [(e["launched"], e["intercepted"]) for e in uman] == [(90, 70)]


def test_tally_split_by_weapon_gives_each_strike_its_share(rules: Extractor) -> None:
    # A live blog: the shares sentence joined the drones' strike; the missiles' share belongs to
    # the strike that holds the missiles' launch count. The drones' strike is named by its weapon.
    text = (
        "Cruise missiles struck an industrial area in Dnipro, the regional governor said. Two people were killed.\n\n"
        "The air force has published its overnight figures: Russia launched 18 missiles, including six ballistic "
        "Iskander-M missiles, and 240 attack drones. Air defences shot down 12 of the missiles and 201 of the drones. "
        "Odesa was hit mainly by Shahed-type drones."
    )
    got = {e.event.location: e for e in rules.extract_text(HEAD + text + "\n", "t.txt")}
    assert got["Odesa"].provenance["kind"] == "drone_strike"
    assert (got["Odesa"].event.drones_launched, got["Odesa"].event.drones_intercepted) == (240, 201)
    assert (got["Dnipro"].event.missiles_launched, got["Dnipro"].event.missiles_intercepted) == (18, 12)
    assert "missiles_intercepted" not in got["Odesa"].provenance["fields"]


def test_days_shoot_downs_are_no_share_of_an_artillery_strike(rules: Extractor) -> None:
    # a ministry's daily summary: the air defence section after a shelling told in its own section
    got = _events(
        rules,
        "On Friday morning, the enemy shelled Vasylivka with barrel artillery. Two civilians were wounded.\n\n"
        "Air defence\n\nOver the past day, air defence means shot down four guided missiles and 57 fixed-wing "
        "unmanned aerial vehicles.",
    )
    shelling = [e for e in got if e["kind"] == "shelling"]
    assert [(e["location"], e["intercepted"]) for e in shelling] == [("Vasylivka", None)]


@pytest.mark.parametrize(
    "text",
    [
        "At around half past eight this morning an Israeli drone fired a guided missile at a car in Aitaroun.",
        "At a quarter to six an Israeli drone fired a guided missile at a car in Aitaroun.",
        "At eight o'clock an Israeli drone fired a guided missile at a car in Aitaroun.",
    ],
)
def test_time_of_day_in_words_is_no_count(text: str) -> None:
    assert [q.value for q in find_quantities(text) if q.value in (6, 8)] == []


ADVISORY_HEAD = "---\ndate: 2025-12-09\n---\nWAR RISK CIRCULAR\n\nMembers are advised of the following incidents.\n\n"
ADVISORY = (
    "2.1 On Saturday 6 December, the Panama-flagged tanker SEA LARK was struck on the port side by an uncrewed "
    "surface vessel some 30 nautical miles north of Sinop, Turkey. No injuries were reported among the crew. The "
    "Managers are not in a position to attribute the attack.\n\n"
    "2.2 On Monday 8 December, the Russian Ministry of Defence stated that its naval forces and aviation destroyed "
    "four uncrewed surface vessels attempting to approach the naval base and commercial port of Novorossiysk."
)


def test_next_numbered_entry_at_another_town_does_not_give_its_count_to_the_last(rules: Extractor) -> None:
    got = _events(rules, ADVISORY, ADVISORY_HEAD)
    assert [e["intercepted"] for e in got if e["location"] == "Sinop"] == [None]


def test_the_detectors_event_takes_the_count_no_mention_took() -> None:
    got = _events(Extractor(), ADVISORY, ADVISORY_HEAD)
    assert [(e["kind"], e["intercepted"]) for e in got if e["location"] == "Novorossiysk"] == [("interception", 4)]


def test_weapons_engaged_are_what_came_and_those_destroyed_a_share(rules: Extractor) -> None:
    got = _events(
        rules,
        "A merchant vessel reports being struck on the bridge wing by an uncrewed aerial vehicle some 40 nautical miles "
        "west of Mokha on Tuesday. An escorting warship engaged four UAVs approaching the vessel and destroyed three; the "
        "fourth struck.",
    )
    assert [(e["launched"], e["intercepted"]) for e in got if e["kind"] == "drone_strike"] == [(4, 3)]


SEA_HEAD = "---\ndate: 2025-10-10\n---\nSHIPPING NOTE\n\n"


def test_a_town_only_abroad_in_an_article_naming_no_country_is_the_index_town() -> None:
    # The article names no country, region or side: its home is only the theatre's default, so a
    # town read by "south of X on Friday" that the index holds only in Yemen (20,000 people, too
    # small for a town abroad whose country goes unnamed) was placed in Ukraine as a town no
    # index holds. Nothing in the text says Ukraine; the index says Yemen.
    got = [
        (e.event.location, e.event.country)
        for e in Extractor(detector=False).extract_text(
            SEA_HEAD + "A fishing boat was struck by a drone about 20 nautical miles south of Zinjibar on Friday, wounding two fishermen.\n",
            "t.txt",
        )
    ]
    assert got == [("Zinjibar", "YEM")]


def test_a_town_only_abroad_stays_with_the_country_the_article_names(rules: Extractor) -> None:
    # (guard) with a country of its own, a small town abroad of that name is a namesake: the
    # article's country places it, as before (session 20, extract23's K3)
    got = [
        (e.event.location, e.event.country)
        for e in rules.extract_text(
            SEA_HEAD + "Across Sudan the week was violent. A fishing boat was struck by a drone about 20 nautical miles south of Zinjibar on Friday, wounding two fishermen.\n",
            "t.txt",
        )
    ]
    assert got == [("Zinjibar", "SDN")]


def test_a_count_with_no_place_or_day_of_its_own_is_the_strike_told_just_before(rules: Extractor) -> None:
    # The strike's town is one no index holds (read by "near X on Monday", a place of its own
    # clause only), so the next sentence inherits no town and no day: its count made a second,
    # place-less strike on the report's day.
    got = _events(
        rules,
        "A cargo ship was hit by a drone near Qarnabat on Monday. A patrolling frigate engaged five UAVs closing on the ship "
        "and destroyed four.",
        SEA_HEAD,
    )
    assert [(e["location"], e["date"], e["launched"], e["intercepted"]) for e in got if e["kind"] in ("drone_strike", "remote_strike", "interception")] == [("Qarnabat", "2025-10-06", 5, 4)]
