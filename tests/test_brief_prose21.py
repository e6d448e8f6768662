"""Session 20's reading of the briefs on real exports (issue 15, brief21): one place's tolls of
several kinds said once, displacement read from ACLED's notes, the NGO's civilians, and the weeks
read on files nobody had read. The events and texts are written for these tests."""

import datetime as dt
import typing

import pytest
from test_brief_prose19 import MONDAY, _texts  # the same week and helpers
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
