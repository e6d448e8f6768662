"""Session 20's reading of the briefs on real exports (issue 15, brief21): one place's tolls of
several kinds said once, displacement read from ACLED's notes, the NGO's civilians, and the weeks
read on files nobody had read. The events and texts are written for these tests."""

import datetime as dt
import io
import typing

import pytest
from test_brief_prose19 import MONDAY, _context, _texts  # the same week and helpers
from test_briefs import make_event

from riskengine.briefs.render import _said_once
from riskengine.core.events import Event

# ---------------------------------------------------------------------------------------------
# 1. one place's tolls of several kinds: the place once, each toll with its kind


def test_tolls_of_several_kinds_at_one_place_name_the_place_once() -> None:
    said = _said_once(
        ["40 killed in Valley A (armed clash)", "12 killed in Valley A (explosions/remote violence)", "9 killed in Valley A (air/drone strike)",
         "4 killed in Valley A (air/drone strike)", "2 killed in each of 2 events in Port B (armed clashes)"],
        3,
    )
    assert said == (
        "40 (armed clash), 12 (explosions/remote violence), 9 and 4 (air/drone strikes) killed in separate events in Valley A; "
        "2 in each of 2 events in Port B (armed clashes); and 3 more events"
    ), said


def test_events_counted_in_each_of_join_the_other_kinds_at_their_place() -> None:
    said = _said_once(["8 killed in each of 3 events in Hill C (armed clashes)", "8 killed in Hill C (government regains territory)", "5 killed in Town D (attack)"], 0)
    assert said == "8, 8 and 8 (armed clashes), 8 (government regains territory) killed in separate events in Hill C; 5 in Town D (attack)", said


def test_a_place_of_one_kind_is_said_as_before() -> None:
    assert _said_once(["60 killed in Ogigo (attack)", "58 killed in Sirte (armed clash)"], 2) == "60 killed in Ogigo (attack), 58 in Sirte (armed clash) and 2 more events"
    assert _said_once(["6 killed in each of 2 events in Nad-e Ali", "5 killed in each of 2 events in Nad-e Ali"], 0) == "6, 6, 5 and 5 killed in separate events in Nad-e Ali"


def _kinds_at_one_place() -> list[Event]:
    common = {"country": "UKR", "admin1": "Donetsk", "location": "Valley A", "actor1": "Military Forces of Ukraine", "actor2": "Military Forces of Russia"}
    return [
        make_event("K1", MONDAY, event_type="Battles", sub_event_type="Armed clash", fatalities=40, **common),
        make_event("K2", MONDAY + dt.timedelta(days=1), sub_event_type="Shelling/artillery/missile attack", fatalities=12, **common),
        make_event("K3", MONDAY + dt.timedelta(days=2), sub_event_type="Air/drone strike", fatalities=11, **common),
    ]


def test_the_government_brief_says_a_place_once_for_its_tolls_of_several_kinds() -> None:
    texts = [t for t in _texts(_kinds_at_one_place(), "government") if "consular" in t]
    assert texts and texts[0].startswith("40 (armed clash), 12 (shelling/artillery/missile attack), 11 (air/drone strike) killed in separate events in Valley A:"), texts
    assert texts[0].count("Valley A") == 1, texts


# ---------------------------------------------------------------------------------------------
# 3. the NGO brief says civilians only where ACLED says so


def _militias_burn_homes(**more: typing.Any) -> Event:
    fields: dict[str, typing.Any] = {
        "country": "UKR", "admin1": "Donetsk", "location": "Village E", "event_type": "Battles", "sub_event_type": "Armed clash",
        "actor1": "Militia Golf", "actor2": "Militia Hotel", "fatalities": 12, "target_category": "residential", **more,
    }
    return make_event("M1", MONDAY, **fields)


def test_the_ngo_brief_does_not_call_the_dead_of_a_clash_between_militias_civilians() -> None:
    texts = [t for t in _texts([_militias_burn_homes()], "ngo") if "psychosocial" in t]
    assert texts == [
        "Homes or civilian buildings were hit where people were killed in Village E: support families and survivors with psychosocial aid "
        "and check that local emergency services can cope with the next attack."
    ], texts


@pytest.mark.parametrize(
    "more",
    [{"civilian_targeting": True}, {"actor2": "Civilians (Ukraine)"}, {"event_type": "Violence against civilians", "sub_event_type": "Attack"}],
)
def test_the_ngo_brief_says_civilians_where_acled_codes_them(more: dict[str, typing.Any]) -> None:
    texts = [t for t in _texts([_militias_burn_homes(**more)], "ngo") if "psychosocial" in t]
    assert texts and texts[0].startswith("Civilians were among those killed in Village E:"), texts


# ---------------------------------------------------------------------------------------------
# 2. displacement in ACLED's notes: a derived tag, saying what it was read from, and the NGO's


def _displacing_clash(tmp_path: typing.Any) -> list[Event]:
    from riskengine.ingest.acled import import_acled

    path = tmp_path / "export.csv"
    path.write_text(
        "event_id_cnty,event_date,country,admin1,location,event_type,sub_event_type,actor1,actor2,fatalities,notes\n"
        'UKR9001,2025-07-01,Ukraine,Donetsk,Village F,Battles,Armed clash,Militia Golf,Militia Hotel,4,'
        '"On 1 July 2025, Militia Golf clashed with Militia Hotel in Village F. 2,500 people were displaced."\n',
        encoding="utf-8",
    )
    out = io.StringIO()
    import_acled(path, out)
    return [Event.model_validate_json(line) for line in out.getvalue().splitlines()]


def test_the_importer_reads_displacement_with_the_sentence_it_came_from(tmp_path: typing.Any) -> None:
    (event,) = _displacing_clash(tmp_path)
    assert "displacement" in event.tags
    (how,) = [d for d in event.derived if d.field == "tags" and d.value == "displacement"]
    assert how.method == "notes pattern tag_patterns.displacement"
    assert how.evidence == "notes: 2,500 people were displaced.", how.evidence


def test_the_ngo_brief_plans_for_the_displaced(tmp_path: typing.Any) -> None:
    texts = [t for t in _texts(_displacing_clash(tmp_path), "ngo") if t.startswith("Displacement was reported")]
    assert texts == [
        "Displacement was reported at Village F: plan shelter, water, food and registration for the displaced there and "
        "where they go, and follow their protection needs on the move."
    ], texts


@pytest.mark.parametrize("stakeholder", ["investor", "government", "analyst"])
def test_displacement_is_the_ngos_alone(tmp_path: typing.Any, stakeholder: str) -> None:
    assert not [t for t in _texts(_displacing_clash(tmp_path), stakeholder) if "Displacement was reported" in t]


# ---------------------------------------------------------------------------------------------
# New weeks read (brief21): militias ACLED names after their place


def test_places_where_forces_fought_their_own_places_militia_are_listed_together() -> None:
    common = {"country": "BEN", "admin1": "Collines", "event_type": "Battles", "sub_event_type": "Armed clash", "actor1": "Military Forces of Benin (2016-)"}
    events = [
        make_event(f"B{i}", MONDAY + dt.timedelta(days=i), location=place, actor2=f"{place} Communal Militia (Benin)", **common)
        for i, place in enumerate(["Gouka", "Agbon", "Tchaourou"])
    ]
    (fighting,) = [t for t in _texts(events, "analyst") if t.startswith("Fighting at")]
    assert fighting.startswith("Fighting at Agbon, Gouka and Tchaourou (the military forces of Benin against a local communal militia in Benin):"), fighting


# ---------------------------------------------------------------------------------------------
# New weeks read (brief21): a file of weekly records says its events' days are not known


def _weekly(tmp_path: typing.Any, step: int = 7) -> list[Event]:
    from riskengine.ingest.acled import import_acled
    from riskengine.ingest.history import add_history_context

    # 24 dates on Saturdays ending 2025-07-05 (in 2025-W27), a clash each, as a file of weekly records holds them
    days = [dt.date(2025, 7, 5) - dt.timedelta(days=step * i) for i in range(24)]
    path = tmp_path / "weekly.csv"
    path.write_text("event_date,country,location,event_type,sub_event_type,fatalities\n"
                    + "".join(f"{d.isoformat()},Ukraine,Place {i},Battles,Armed clash,3\n" for i, d in enumerate(days)), encoding="utf-8")
    out = io.StringIO()
    import_acled(path, out)
    return add_history_context([Event.model_validate_json(line) for line in out.getvalue().splitlines()])


@pytest.mark.parametrize("stakeholder", ["investor", "government", "ngo", "analyst"])
def test_a_brief_on_weekly_records_says_an_event_may_be_after_its_week(tmp_path: typing.Any, stakeholder: str) -> None:
    events = _weekly(tmp_path)
    assert all("day" in (e.export_lacks or []) for e in events)
    said = [w.message for w in _context(events, stakeholder).warnings if "dates its events by week" in w.message]
    assert said == [
        "the export read for Ukraine dates its events by week (every event on one weekday): an event may have taken place up to six days "
        "after its date, after this brief's week"
    ], said


def test_a_file_of_daily_dates_records_its_days(tmp_path: typing.Any) -> None:
    assert not any("day" in (e.export_lacks or []) for e in _weekly(tmp_path, step=1))


def test_many_armed_groups_ask_for_a_ceasefire_or_mediation_not_a_ceasefire_alone() -> None:
    common = {"country": "KEN", "admin1": "Nairobi", "event_type": "Battles", "sub_event_type": "Armed clash", "fatalities": 1}
    events = [make_event(f"G{i}", MONDAY, location="Mathare", actor1=f"Militia {i}", actor2="Police Forces of Kenya (2013-)", **common) for i in range(6)]
    from riskengine.ingest.history import add_history_context

    texts = [t for t in _texts(add_history_context(events), "government") if "armed groups fought" in t]
    assert texts and "any ceasefire or mediation needs more parties at the table" in texts[0], texts


def test_places_named_alike_but_for_a_number_are_listed_together() -> None:
    from riskengine.briefs.render import _named_list

    facts = [
        "Homes or civilian buildings were hit where people were killed in Wad al-Mahi Town 4",
        "Homes or civilian buildings were hit where people were killed in Wad al-Mahi Town 3",
        "Civilians were among those killed in Ein Siro",
        "Civilians were among those killed in Ardamata IDP Camp",
    ]
    assert _named_list(facts) == (
        "Homes or civilian buildings were hit where people were killed in Wad al-Mahi Town 4 and Wad al-Mahi Town 3; "
        "civilians were among those killed in Ein Siro and Ardamata IDP Camp"
    )


def test_one_toll_at_places_of_one_name_says_each_of_them_and_its_kind_in_the_plural() -> None:
    from riskengine.briefs.render import merge_action_texts

    texts = [f"{n} killed in {p} (air/drone strike): x." for n, p in [(20, "Gaza"), (18, "Gaza - Ad Darraj"), (18, "Gaza - Southern Remal"), (18, "Gaza - Tal el Hawa")]]
    assert merge_action_texts(texts) == "20 killed in Gaza (air/drone strike); 18 in each of Gaza - Ad Darraj, Gaza - Southern Remal and Gaza - Tal el Hawa (air/drone strikes): x."


def test_places_over_the_list_are_counted_under_their_own_wording() -> None:
    from riskengine.briefs.render import merge_action_texts

    advice = ": support families."
    texts = [f"Civilians were among those killed in Place {c}{advice}" for c in "ABCDEFG"]
    texts += [f"Homes or civilian buildings were hit where people were killed in Town {c}{advice}" for c in "HI"]
    assert merge_action_texts(texts) == (
        "Civilians were among those killed in Place A, Place B, Place C, Place D, Place E and 2 more places; "
        "homes or civilian buildings were hit where people were killed in Town H and Town I: support families."
    )
