"""extract29's fixes from blind26's misses (issue 14, session 21): events, kinds, figures and
dates on prose the extractor was not written against. Written in our own wording; each test fails
without its change."""

from __future__ import annotations

import datetime as dt

from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.text import parse_article

_EX = Extractor()


def _events(body: str, published: str = "2026-03-09") -> list[tuple[str, str | None, dt.date, int | None, int | None]]:
    text = f"---\ndate: {published}\npublisher: Test Wire\n---\n{body}\n"
    out = []
    for e in _EX.extract_text(text, "t.txt"):
        out.append((str(e.provenance.get("kind")), e.event.location, e.event.event_date, e.event.fatalities, e.event.injured))
    return sorted(out, key=lambda x: (x[0], x[2]))


def test_a_letterheads_labelled_day_of_issue_beats_the_leads_full_date() -> None:
    # a police release's letterhead dates it; the lead's "yesterday, Saturday 7 March 2026" is the
    # incident's day (blind26 t05: every event of the release came out a day early)
    text = (
        "NATIONAL POLICE SERVICE\n\nRef: NPS/PR/0308/26                          Date: 08/03/2026\n\nPRESS RELEASE\n\n"
        "The Police Service informs the public that yesterday, Saturday 7 March 2026, gunmen attacked a bus near Garissa.\n"
    )
    assert parse_article(text, "release.txt").published == dt.date(2026, 3, 8)


def test_a_vehicle_loaded_with_explosives_is_a_bombing_with_its_toll() -> None:
    events = _events(
        "A car loaded with explosives was detonated on Sunday at a checkpoint in Baidoa. "
        "Five people lost their lives in the explosion and twelve others were injured."
    )
    assert [(k, f, i) for k, _, _, f, i in events] == [("remote_strike", 5, 12)]


def test_a_follow_up_operation_with_a_toll_is_its_own_ground_fight() -> None:
    # the shelling's "No soldier was killed" is its toll, and the pursuit the next morning with its
    # own dead is another event at its own village, not more dead of the shelling
    events = _events(
        "On the night of 8 to 9 March, militants fired six mortar rounds at the army base in Afgooye. "
        "No soldier was killed; two soldiers sustained minor injuries.\n\n"
        "In a follow-up operation this morning, army forces pursued the attackers and engaged them near Bariire village, killing four militants.",
        published="2026-03-09",
    )
    kinds = {k: (loc, f, i) for k, loc, _, f, i in events}
    assert kinds["shelling"] == ("Afgooye", 0, 2)
    assert kinds["casualty_report"][0] == "Bariire"
    assert kinds["casualty_report"][1] == 4


def test_no_soldier_was_killed_is_zero_dead_not_zero_hurt() -> None:
    events = _events("Insurgents fired mortar rounds at a military base in Jowhar on Monday. No soldier was killed, the ministry said.")
    assert [(k, f) for k, _, _, f, _ in events] == [("shelling", 0)]


def test_a_minister_holding_talks_today_is_talks_held() -> None:
    events = _events("The interior minister is in Nairobi, where today he is holding talks with Kenyan security officials on border security.")
    assert [(k, loc, d) for k, loc, d, _, _ in events] == [("talks", "Nairobi", dt.date(2026, 3, 9))]


def _full(body: str, published: str = "2026-03-09") -> list[dict[str, object]]:
    text = f"---\ndate: {published}\npublisher: Test Wire\ncountry: LBN\n---\n{body}\n"
    return [{"kind": e.provenance.get("kind"), **e.event.model_dump()} for e in _EX.extract_text(text, "t.txt")]


def test_killed_one_and_wounded_another_counts_the_wounded_one() -> None:
    events = _full("A drone strike on a car in Kfar Kila killed one man and wounded another on Monday morning.")
    assert [(e["kind"], e["fatalities"], e["injured"]) for e in events] == [("drone_strike", 1, 1)]


def test_an_armys_aircraft_and_the_outlets_drone_at_one_town_are_one_drone_strike() -> None:
    # an army statement, then a local outlet's account of the same strike (blind26 t04): "an
    # aircraft" names a drone as well; the drone's two missiles are its munitions, no missile launch
    events = _full(
        "Earlier today, an army aircraft struck and eliminated a militant in the area of Kfar Kila.\n\n"
        "* * *\n\n"
        "An Israeli drone strike on a car in Kfar Kila killed one man on Monday morning, the health ministry said. "
        "Witnesses said the drone fired two missiles at the car near the town's square."
    )
    assert [(e["kind"], e["location"], e["fatalities"], e["missiles_launched"]) for e in events] == [("drone_strike", "Kfar Kila", 1, None)]


def test_a_group_sending_a_delegation_to_the_next_round_of_talks_is_talks() -> None:
    events = _full("The armed group confirmed this week that it will send a delegation to the next round of talks with the government in Geneva.")
    assert [(e["kind"], e["location"]) for e in events] == [("talks", "Geneva")]


def test_a_years_air_strikes_after_a_town_told_before_are_no_strike_there() -> None:
    # the digest's outlook: the year's air strikes inherit the town of the paragraph before (the
    # talks' venue) and were read as an air strike there
    events = _full(
        "Talks. The rebels said they will send a delegation to the next round of talks in Geneva.\n\n"
        "Outlook. Monitoring groups say December is on track to be one of the deadliest months for civilians from air strikes this year."
    )
    assert [e["kind"] for e in events] == ["talks"]


def test_a_strike_told_without_town_then_placed_and_dated_next_is_one_strike_with_its_launch() -> None:
    # a tabloid's lead tells the strike with neither town nor day, the next sentence places and
    # dates it, the one after counts its missiles at "the vessel" (blind26 s03)
    events = _full(
        "Rebel gunmen pounded a cargo ship with missiles in the Red Sea.\n\n"
        "The bulk carrier was hit yesterday morning off the Yemeni port of Mokha as she sailed north.\n\n"
        "The rebels fired THREE anti-ship ballistic missiles at the 200-metre vessel, maritime sources said.",
        published="2024-06-14",
    )
    assert [(e["kind"], e["location"], e["event_date"], e["missiles_launched"]) for e in events] == [("missile_strike", "Mokha", dt.date(2024, 6, 13), 3)]


def test_drones_blasted_out_of_the_sky_are_shot_down() -> None:
    events = _full("On Wednesday night the frigate blasted four kamikaze drones out of the sky off Hodeidah using her missiles.", published="2024-06-14")
    assert [(e["kind"], e["location"], e["drones_intercepted"]) for e in events] == [("interception", "Hodeidah", 4)]


def test_residents_blocking_a_highway_to_demand_troops_is_a_protest_on_the_day_told() -> None:
    # "The same day" after Tuesday's mine blast: the blockade is Tuesday's, not the report's day
    # (read by the rules now; in blind26 t02 only the learned detector found it, dated the report's day)
    rules = Extractor(detector=False)
    text = (
        "---\ndate: 2025-06-04\npublisher: Test Wire\n---\n"
        "Barely a day later, on Tuesday afternoon, a farmer and his son died when their pickup ran over an artisanal mine in the community of Santa Ana Amatlán, municipality of Buenavista.\n\n"
        "On the same day, around two hundred villagers of Las Cruces and nearby ranches blocked the federal highway at the entrance to Aguililla for almost five hours, "
        "demanding a permanent Army presence and the clearing of the mines.\n"
    )
    found = [(e.provenance.get("kind"), e.event.event_date) for e in rules.extract_text(text, "t.txt")]
    assert ("protest", dt.date(2025, 6, 3)) in found
    events = _events(
        "On Tuesday afternoon, two farmers died when their truck ran over an artisanal mine on a dirt road in Tepalcatepec, Michoacán.\n\n"
        "The same day, some three hundred residents blocked the federal highway at the entrance to Apatzingán for six hours, demanding the removal of the mines.",
        published="2025-06-04",
    )
    got = [(k, d, loc) for k, loc, d, _, _ in events]
    assert ("protest", dt.date(2025, 6, 3), "Apatzingán") in got


def test_a_truck_running_over_an_artisanal_mine_is_a_bombing() -> None:
    events = _full("On Tuesday afternoon, two farmers died when their truck ran over an artisanal mine on a dirt road near Tepalcatepec.", published="2025-06-04")
    assert [(e["kind"], e["fatalities"]) for e in events] == [("remote_strike", 2)]


def test_a_count_of_attacks_since_a_year_is_no_strike_at_the_paragraphs_town() -> None:
    events = _full(
        "On Monday night a drone attack on homes in El Aguaje wounded four people.\n\n"
        "According to prosecutors, since 2021 more than 260 attacks with drones and explosive devices have been recorded in the region, and at least 40 people have died.",
        published="2025-06-04",
    )
    assert [(e["kind"], e["fatalities"]) for e in events] == [("drone_strike", 0)]


def test_a_communiques_later_day_with_its_year_is_that_day_not_a_day_to_come() -> None:
    # no front matter: the article is dated by its lead's first full date (Saturday's attack);
    # "On Sunday 9 November 2025" further down is the next event's day, told in the past
    text = (
        "GOVERNMENT COMMUNIQUE\n\n"
        "The Government informs the public that on Saturday 8 November 2025, armed groups attacked the town of Djibo, killing four soldiers.\n\n"
        "On Sunday 9 November 2025, a VDP unit repelled an attack against its position at the entrance to the town of Dori. Two VDP were killed and three others were wounded.\n\n"
        "On the same day, a supply truck struck an improvised explosive device near Kaya. No loss of human life was recorded; two soldiers sustained light injuries.\n"
    )
    events = sorted((str(e.provenance.get("kind")), e.event.location, e.event.event_date, e.event.fatalities) for e in _EX.extract_text(text, "communique.txt"))
    assert ("casualty_report", "Dori", dt.date(2025, 11, 9), 2) in events
    assert ("remote_strike", "Kaya", dt.date(2025, 11, 9), 0) in events


def test_the_attackers_claim_of_the_launch_just_intercepted_is_that_launch() -> None:
    text = (
        "---\ndate: 2025-09-10\npublisher: Test Wire\ncountry: ISR\n---\n"
        "Sirens sounded across central Israel, including in Tel Aviv, early on Wednesday after the Houthis fired a ballistic missile from Yemen.\n\n"
        "\"One missile was launched from Yemen and was intercepted,\" the military said. Paramedics said no one was hurt.\n\n"
        "In a televised statement, the Houthis' spokesman claimed the group had fired a hypersonic missile at \"a vital target in the occupied Jaffa area\".\n"
    )
    events = [(e.provenance.get("kind"), e.event.location) for e in _EX.extract_text(text, "claim.txt")]
    assert len(events) == 1
    assert events[0][1] != "Jaffa"


def test_a_capitals_possessive_in_a_running_total_places_no_strike() -> None:
    text = (
        "---\ndate: 2026-02-09\npublisher: Test Wire\ncountry: UKR\n---\n"
        "Drones hit an energy facility in Lviv overnight, the regional governor said.\n\n"
        "Zelenskiy said Russia had fired more than 2,000 drones at Ukraine since the start of the month and urged allies to tighten sanctions on Moscow's oil revenues.\n"
    )
    events = [(e.provenance.get("kind"), e.event.location) for e in _EX.extract_text(text, "total.txt")]
    assert ("drone_strike", "Moscow") not in events
    assert all(loc != "Moscow" for _, loc in events)
