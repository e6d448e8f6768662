"""Session 19's reading of the briefs on real exports (issue 15, brief20): an export without
actor or notes columns said as such, consular advice in proportion to the toll, and the weeks
read on files nobody had read. The events and texts are written for these tests."""

import datetime as dt
import io
import typing

import pytest
from test_brief_prose19 import MONDAY, STAKEHOLDERS, _context, _texts  # the same week and helpers
from test_briefs import make_event

from riskengine.core.events import Event
from riskengine.ingest.history import add_history_context

# ---------------------------------------------------------------------------------------------
# 1. an export without actor columns: the brief says what it cannot tell


def _import(tmp_path: typing.Any, header: str, rows: list[str]) -> tuple[list[Event], list[str]]:
    from riskengine.ingest.acled import import_acled

    path = tmp_path / "extract.csv"
    path.write_text(header + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    out = io.StringIO()
    notes = import_acled(path, out).notes
    events = [Event.model_validate_json(line) for line in out.getvalue().splitlines()]
    return events, notes


def _clashes_without_actors(tmp_path: typing.Any) -> tuple[list[Event], list[str]]:
    # a dashboard's extract: place, type and toll, no actors and no notes (as the Burkina Faso
    # 2019-22 file is); ten clashes in ten places over 2025-W27
    # 2019-22 file is); ten clashes in ten places over 2025-W27, in a region of interest of every
    # profile
    rows = [f"{(MONDAY + dt.timedelta(days=i % 5)).isoformat()},Ukraine,Donetsk,Place {i},Battles,Armed clash,{i % 4 + 1}" for i in range(10)]
    events, notes = _import(tmp_path, "event_date,country,admin1,location,event_type,sub_event_type,fatalities", rows)
    return add_history_context(events), notes


def test_the_importer_records_the_columns_an_export_lacks(tmp_path: typing.Any) -> None:
    events, notes = _clashes_without_actors(tmp_path)
    assert {tuple(e.export_lacks or ()) for e in events} == {("actor1", "actor2", "notes")}
    assert any(n.startswith("no actor1, actor2 or notes column: every event records what its export lacks") for n in notes), notes


def test_an_export_with_the_columns_records_nothing_missing(tmp_path: typing.Any) -> None:
    events, notes = _import(
        tmp_path,
        "event_date,country,event_type,sub_event_type,actor1,actor2,notes,fatalities",
        ["2025-06-30,Burkina Faso,Battles,Armed clash,JNIM,Military Forces of Burkina Faso (2022-),,2"],
    )
    assert events[0].export_lacks is None
    assert not any("export_lacks" in n for n in notes)


def test_no_count_of_armed_groups_from_an_export_that_names_no_actor(tmp_path: typing.Any) -> None:
    events, _ = _clashes_without_actors(tmp_path)
    assert {e.country_armed_groups_30d for e in events} == {None}  # not 0


def test_a_count_of_armed_groups_stays_when_every_export_names_its_actors() -> None:
    events = add_history_context([
        make_event(f"A{i}", MONDAY, country="BFA", event_type="Battles", sub_event_type="Armed clash", fatalities=1,
                   actor1=f"Militia {i}", actor2="Military Forces of Burkina Faso (2022-)")
        for i in range(3)
    ])
    assert {e.country_armed_groups_30d for e in events} == {4}


@pytest.mark.parametrize("stakeholder", STAKEHOLDERS)
def test_a_brief_on_an_export_without_actors_says_what_it_cannot_tell(tmp_path: typing.Any, stakeholder: str) -> None:
    events, _ = _clashes_without_actors(tmp_path)
    said = [w.message for w in _context(events, stakeholder).warnings if "export read for" in w.message]
    assert said == [
        "the export read for Ukraine has no actor1, actor2 or notes column: the brief cannot tell who fought or attacked whom "
        "(forces not named in this export), nor how many armed groups were active, nor what ACLED's notes would add (figures, targets, damage)"
    ], said


def test_fighting_from_an_export_without_actors_says_the_forces_are_not_named_in_it(tmp_path: typing.Any) -> None:
    events, _ = _clashes_without_actors(tmp_path)
    fighting = [t for t in _texts(events, "analyst") if t.startswith("Fighting at ")]
    assert fighting and all("(forces not named in this export)" in t for t in fighting), fighting
    assert not any("unnamed forces" in t for t in fighting), fighting


def test_an_export_without_a_second_actor_says_only_that(tmp_path: typing.Any) -> None:
    # Bangladesh 2022-24 names the first actor of each event and has no actor2 column
    rows = [f"2025-07-0{1 + i},Ukraine,Battles,Armed clash,Military Forces of Russia (2000-),some notes,{i + 1}" for i in range(3)]
    events, _ = _import(tmp_path, "event_date,country,event_type,sub_event_type,actor1,notes,fatalities", rows)
    events = add_history_context(events)
    said = [w.message for w in _context(events, "analyst").warnings if "export read for" in w.message]
    assert said == ["the export read for Ukraine has no actor2 column: the brief cannot tell whom the actor named first fought or attacked"], said
    assert {e.country_armed_groups_30d for e in events} == {1}


# ---------------------------------------------------------------------------------------------
# 2. consular advice in proportion to the toll (a real Benin export, 2022-W43: one death asked
#    for new consular advice)


def _killing(event_id: str, day: dt.date, killed: int, location: str = "Kalale") -> Event:
    return make_event(event_id, day, country="UKR", admin1="Donetsk", location=location, event_type="Violence against civilians",
                      sub_event_type="Attack", fatalities=killed, actor1="Unidentified Armed Group (Ukraine)", actor2="Civilians (Ukraine)")


def _consular(events: list[Event]) -> list[str]:
    return [t for t in _texts(events, "government") if "consular advice" in t and "killed in" in t]


def test_a_single_death_in_a_quiet_month_does_not_ask_for_new_consular_advice() -> None:
    # a record that begins 40 days before, 30 events in the month: the month up to the killing is
    # all in it, and not thin (brief23)
    month = [make_event(f"P{i}", MONDAY - dt.timedelta(days=i % 20), country="UKR", admin1="Donetsk", location=f"Square {i}",
                        event_type="Protests", sub_event_type="Peaceful protest", actor1="Protesters (Ukraine)") for i in range(30)]
    said = _consular(add_history_context([_killing("E0", MONDAY - dt.timedelta(days=40), 1, "Bakhmut"), *month, _killing("K1", MONDAY + dt.timedelta(days=6), 1)]))
    assert said == [
        "1 killed in Kalale (attack): keep the travel guidance for the area under review; killings on this scale "
        "(under ten, with fewer than 25 deaths in the country in the 30 days up to them) do not alone call for new consular advice."
    ], said


def test_ten_killed_asks_for_new_consular_advice() -> None:
    said = _consular(add_history_context([_killing("K1", MONDAY, 12)]))
    assert said == ["12 killed in Kalale (attack): update consular advice and travel guidance for the area."], said


def test_a_death_in_a_month_of_25_or_more_asks_for_new_consular_advice() -> None:
    # 30 killed earlier in the month elsewhere: the week's single death comes on top of them
    events = add_history_context([_killing("E1", MONDAY - dt.timedelta(days=20), 30, "Bakhmut"), _killing("K1", MONDAY, 1)])
    said = _consular(events)
    assert said == ["1 killed in Kalale (attack): update consular advice and travel guidance for the area."], said


def test_without_history_the_advice_claims_no_months_toll() -> None:
    said = _consular([_killing("K1", MONDAY, 2)])
    assert said == [
        "2 killed in Kalale (attack): keep the travel guidance for the area under review; killings on this scale "
        "(under ten) do not alone call for new consular advice."
    ], said


def test_tolls_on_each_side_of_the_line_each_get_their_advice() -> None:
    events = add_history_context([_killing("K1", MONDAY, 12, "Kalale"), _killing("K2", MONDAY + dt.timedelta(days=1), 2, "Segbana")])
    said = _consular(events)
    assert len(said) == 1 and said[0].startswith("12 killed in Kalale (attack): update consular advice and travel guidance for the area. "), said
    assert "2 killed in Segbana (attack): keep the travel guidance for the area under review" in said[0], said


# ---------------------------------------------------------------------------------------------
# 3. a toll ACLED coded as a stand-in for an unspecified one is said to be no count (Mali
#    2017-W03: "10 killed in Diabaly", "A bombing killed ten or more people in Diabaly", of an
#    IED with "unknown fatalities coded as 10")

_HEADER = "event_date,country,admin1,location,event_type,sub_event_type,actor1,actor2,notes,fatalities"


def _ied(tmp_path: typing.Any, notes: str, killed: int) -> list[Event]:
    row = f'2025-07-01,Ukraine,Donetsk,Diabaly,Explosions/Remote violence,Remote explosive/landmine/IED,Unidentified Armed Group (Ukraine),Military Forces of Ukraine (2019-),"{notes}",{killed}'
    events, _ = _import(tmp_path, _HEADER, [row])
    return add_history_context(events)


@pytest.mark.parametrize(
    ("notes", "killed", "estimated"),
    [
        ("An IED hit an army patrol. Significant casualties were reported (unknown fatalities coded as 10).", 10, True),
        ("Militants attacked a camp. Unspecified number of fatalities coded as 3.", 3, True),
        ("Fighting at the camp; dozens of fatalities coded as 12.", 12, True),
        ("Two attacks at the camp. Total fatalities coded as 8.", 8, False),  # a total summed from reports
        ("The group claimed the attack. Claimed fatalities coded as 5.", 5, False),  # a claim passed on
        ("An IED hit an army patrol (unknown fatalities coded as 10, split between two events).", 5, False),  # not this event's
        ("An IED killed 10 soldiers.", 10, False),
    ],
)
def test_the_importer_tags_a_toll_acled_coded_as_a_stand_in(tmp_path: typing.Any, notes: str, killed: int, estimated: bool) -> None:
    (event,) = _ied(tmp_path, notes, killed)
    assert ("fatalities_estimated" in event.tags) is estimated


@pytest.mark.parametrize("stakeholder", STAKEHOLDERS)
def test_a_stand_in_toll_is_said_to_be_no_count_beside_the_action_that_gives_it(tmp_path: typing.Any, stakeholder: str) -> None:
    events = _ied(tmp_path, "An IED hit an army patrol. Significant casualties were reported (unknown fatalities coded as 10).", 10)
    context = _context(events, stakeholder)
    said = "10 killed in Diabaly is the figure ACLED codes for a toll its sources did not give (its notes: \"unknown fatalities coded as 10\"), not a count"
    killed = [a for a in [*context.actions, *context.actions_outside] if "Diabaly" in a.text and "kill" in a.text]
    assert (killed or stakeholder == "analyst") and all(a.estimated_tolls == [said] for a in killed), [(a.text, a.estimated_tolls) for a in killed]
    # an action that gives no toll says nothing of it (the analyst's "Strikes at Diabaly ...")
    assert not any(a.estimated_tolls for a in [*context.actions, *context.actions_outside] if a not in killed)
    assert [d.estimated_toll for d in context.drivers] == [said]


def test_a_counted_toll_says_nothing_of_estimates(tmp_path: typing.Any) -> None:
    context = _context(_ied(tmp_path, "An IED killed 10 soldiers of a patrol.", 10), "investor")
    assert not any(a.estimated_tolls for a in context.actions) and not any(d.estimated_toll for d in context.drivers)


# ---------------------------------------------------------------------------------------------
# 4. names headed by a common noun take "the" ("... against Coordination of Movements of the
#    Azawad", Mali 2017-W03)


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("CMA: Coordination of Movements of the Azawad", "the Coordination of Movements of the Azawad"),
        ("CDP: Congress for Democracy and Progress", "the Congress for Democracy and Progress"),
        ("NCP: National Congress Party", "the National Congress Party"),
        ("ANEB: National Association of Burkinabe Students", "the National Association of Burkinabe Students"),
        ("CNSE: National Coordination of Education Unions", "the National Coordination of Education Unions"),
        ("Platform of June 14th 2014 movements", "the Platform of June 14th 2014 movements"),
        # Mexico 2020-W18: "Tropa del Infierno Gang against the police forces of Mexico"
        ("Tropa del Infierno Gang", "the Tropa del Infierno Gang"),
        ("Jalisco New Generation Cartel", "the Jalisco New Generation Cartel"),
        ("Los Viagras Gang", "the Los Viagras Gang"),
        ("Unidentified Gang", "an unidentified gang"),  # a generic group filed under no country
        ("Unidentified Armed Group", "an unidentified armed group"),
        ("Unidentified Military Forces", "unidentified military forces"),
        ("AQIM: Al Qaeda in the Islamic Maghreb", "Al Qaeda in the Islamic Maghreb"),  # a proper name stays bare
    ],
)
def test_an_organisation_headed_by_a_common_noun_takes_the(name: str, said: str) -> None:
    from riskengine.core.names import display_name

    assert display_name(name) == said


# ---------------------------------------------------------------------------------------------
# 5. a list cut short counts what it leaves out in the reader's words, not the engine's
#    (Mali 2018-W25: "... attacked civilians at Karou; and 1 more firing")


def test_a_list_of_clauses_cut_short_says_others_not_firings() -> None:
    actors = ["Militia Alpha", "Militia Bravo", "Militia Charlie", "Militia Delta", "Militia Echo", "Militia Foxtrot", "Militia Golf"]
    events = [
        make_event(f"V{i}", MONDAY + dt.timedelta(days=i % 5), country="UKR", admin1="Donetsk", location=f"Town {i}", event_type="Violence against civilians",
                   sub_event_type="Attack", fatalities=len(actors) - i, actor1=a, actor2="Civilians (Ukraine)")
        for i, a in enumerate(actors)
    ]
    (said,) = [t for t in _texts(events, "analyst") if "attacked civilians" in t]
    assert "firing" not in said, said
    assert "; and 2 others: track whether" in said, said


def test_advice_first_texts_cut_short_say_how_many_more_like_these() -> None:
    from riskengine.briefs.render import merge_action_texts

    texts = [f"Review shelter for staff in Town {i}: {60 - i} people were killed in one attack." for i in range(7)]
    merged = merge_action_texts(texts)
    assert merged.endswith(" And 2 more like these."), merged


# ---------------------------------------------------------------------------------------------
# 6. one name on both sides of a clash (Sudan 2022-W42: "an unidentified ethnic militia against
#    an unidentified ethnic militia in Sudan")


@pytest.mark.parametrize(
    ("actor", "said"),
    [
        ("Unidentified Ethnic Militia (Ukraine)", "Fighting at Bakhmut (two unidentified ethnic militias in Ukraine)"),
        ("Military Forces of Ukraine (2019-)", "Fighting at Bakhmut (infighting within the military forces of Ukraine)"),
        ("Al Shabaab", "Fighting at Bakhmut (infighting within Al Shabaab)"),
    ],
)
def test_a_clash_with_one_name_on_both_sides_is_said_once(actor: str, said: str) -> None:
    events = [make_event("B1", MONDAY, country="UKR", admin1="Donetsk", location="Bakhmut", event_type="Battles", sub_event_type="Armed clash",
                         fatalities=2, actor1=actor, actor2=actor)]
    fighting = [t for t in _texts(events, "analyst") if t.startswith("Fighting at ")]
    assert fighting == [said + ": track where the clashes move and who gains ground."], fighting


def test_tolls_on_each_side_of_the_line_are_listed_once_under_each_advice() -> None:
    # Mexico 2020-W18: every toll a sentence of its own after "Also:" once the two wordings met
    events = add_history_context(
        # the villages first, while the month's toll is still under 25
        [_killing(f"K{i}", MONDAY + dt.timedelta(days=1 + i), 14 - i, f"Town {i}") for i in range(4)]
        + [_killing(f"S{i}", MONDAY, 2, f"Village {i}") for i in range(3)]
    )
    (said,) = _consular(events)
    assert said.count("update consular advice") == 1 and said.count("keep the travel guidance") == 1, said
    assert said.startswith("14 killed in Town 0 (attack), 13 in Town 1 (attack), 12 in Town 2 (attack) and 11 in Town 3 (attack): update consular advice"), said
    assert "Also: 2 killed in Village 0 (attack), 2 in Village 1 (attack) and 2 in Village 2 (attack): keep the travel guidance" in said, said


# ---------------------------------------------------------------------------------------------
# 7. an attack on civilians whose export names the victims first (Nigeria 2016-W06: police
#    firing on a protest in Aba read "protesters in Nigeria attacked civilians at Aba")


@pytest.mark.parametrize(
    ("actor1", "actor2", "said"),
    [
        ("Protesters (Ukraine)", "Police Forces of Ukraine (2019-)", "The police forces of Ukraine attacked protesters at Aba"),
        ("Civilians (Ukraine)", "Military Forces of Ukraine (2019-)", "The military forces of Ukraine attacked civilians at Aba"),
        ("Military Forces of Ukraine (2019-)", "Civilians (Ukraine)", "The military forces of Ukraine attacked civilians at Aba"),
        ("Rioters (Ukraine)", "Civilians (Ukraine)", "Rioters in Ukraine attacked civilians at Aba"),
    ],
)
def test_an_attack_on_civilians_names_the_armed_side_as_the_attacker(actor1: str, actor2: str, said: str) -> None:
    events = [make_event("V1", MONDAY, country="UKR", admin1="Donetsk", location="Aba", event_type="Violence against civilians", sub_event_type="Attack",
                         fatalities=6, actor1=actor1, actor2=actor2)]
    texts = [t for t in _texts(events, "analyst") if " attacked " in t]
    assert texts == [said + ": track whether attacks on civilians are becoming a tactic (reprisals, clearing areas)."], texts


def test_an_action_that_gives_no_toll_says_nothing_of_a_stand_in(tmp_path: typing.Any) -> None:
    # Ukraine 2022-W09: "Civilians were among those killed in ... Okhtyrka" carried a note on
    # Okhtyrka's stand-in 3, a figure the action does not give
    row = ('2025-07-01,Ukraine,Sumy,Okhtyrka,Violence against civilians,Attack,Military Forces of Russia (2000-),Civilians (Ukraine),'
           '"Russian forces shot at civilians in Okhtyrka. Unspecified fatalities coded as 3.",3')
    events, _ = _import(tmp_path, _HEADER, [row])
    context = _context(add_history_context(events), "government")
    among = [a for a in context.actions if a.text.startswith("Civilians were among those killed in Okhtyrka")]
    assert among and among[0].estimated_tolls == [], [(a.text, a.estimated_tolls) for a in context.actions]
    tolls = [a for a in context.actions if a.text.startswith("3 killed in Okhtyrka")]
    assert tolls and tolls[0].estimated_tolls, [(a.text, a.estimated_tolls) for a in context.actions]


# ---------------------------------------------------------------------------------------------
# 8. an extract of one or two event types (Myanmar 2021: explosions only; Bangladesh 2022-24:
#    riots and protests only) is said as such, not read as a country without fighting


def _extract(tmp_path: typing.Any, kinds: list[tuple[str, str]]) -> tuple[list[Event], list[str]]:
    rows = [
        f"{(MONDAY - dt.timedelta(days=i % 60)).isoformat()},Ukraine,Donetsk,Town {i % 7},{kind},{sub},Military Forces of Russia (2000-),,notes,{i % 3}"
        for i in range(120)
        for kind, sub in [kinds[i % len(kinds)]]
    ]
    events, notes = _import(tmp_path, _HEADER, rows)
    return add_history_context(events), notes


def test_an_extract_of_one_event_type_records_the_types_it_lacks(tmp_path: typing.Any) -> None:
    events, notes = _extract(tmp_path, [("Explosions/Remote violence", "Shelling/artillery/missile attack")])
    assert {tuple(e.export_lacks or ()) for e in events} == {("Battles", "Violence against civilians", "Protests", "Riots", "Strategic developments")}
    assert any(n.startswith("the file holds Explosions/Remote violence events only (120 events)") for n in notes), notes
    said = [w.message for w in _context(events, "analyst").warnings if "holds no" in w.message]
    assert said == [
        "the export read for Ukraine holds no battles, violence against civilians, protests, riots or strategic developments: its counts over "
        "30 days (deaths, regions hit, armed groups) and the scores leave out what those events would add"
    ], said


def test_an_export_of_three_event_types_is_no_extract(tmp_path: typing.Any) -> None:
    kinds = [("Explosions/Remote violence", "Shelling/artillery/missile attack"), ("Battles", "Armed clash"), ("Riots", "Violent demonstration")]
    events, notes = _extract(tmp_path, kinds)
    assert all(e.export_lacks is None for e in events)
    assert not any("extract of ACLED's event types" in n for n in notes)
