"""Session 16's second reading of the briefs on real exports (issue 15): a figure said in one
action only, several attacks never read as one, and one piece of travel advice a cause. The texts
and events are written for these tests."""

import datetime as dt
import typing

import pytest
from test_briefs import make_event

from riskengine import api
from riskengine.briefs.render import build_context, merge_action_texts
from riskengine.core.events import Event

MONDAY = dt.date(2025, 6, 30)  # 2025-W27
NOW = "2025-07-07T06:00:00Z"


def _rules() -> dict[str, typing.Any]:
    return {r.id: r for r in api.load_rules().rules}


def _actions(events: list[Event], stakeholder: str) -> list[str]:
    report = api.score(events, rules=api.load_rules(), window="2025-W27", now=NOW)
    context = build_context(report, stakeholder, events)
    return [a.text for a in (*context.actions, *context.actions_outside)]


def _strike(event_id: str, place: str, killed: int, day: int = 0) -> Event:
    return make_event(
        event_id,
        MONDAY + dt.timedelta(days=day),
        country="PSE",
        admin1="Gaza Strip",
        location=place,
        sub_event_type="Air/drone strike",
        fatalities=killed,
        civilian_targeting=True,
        actor2="Civilians (Palestine)",
    )


@pytest.fixture(scope="module")
def strikes() -> list[Event]:
    # two strikes of 15 at one place, as Gaza - Nasr had in a real Gaza export (2023-W45), and one
    # of 53 there, and one elsewhere
    return [_strike("P1", "Nasr", 53), _strike("P2", "Nasr", 15, 1), _strike("P3", "Nasr", 15, 2), _strike("P4", "Shujaiyya", 17, 3)]


def test_a_toll_is_said_once_in_each_brief(strikes: list[Event]) -> None:
    # "Review shelter procedures ... 53 and 15 people were killed" beside "53 killed in Nasr ...",
    # "Condemn the attacks on Nasr (53 killed)" beside the consular action's "53 in Nasr"
    for stakeholder in ("investor", "government"):
        said = " ".join(_actions(strikes, stakeholder))
        assert said.count("53") == 1, (stakeholder, said)
        assert said.count("17") == 1, (stakeholder, said)


def test_strikes_at_several_places_or_one_place_are_said_as_several(strikes: list[Event]) -> None:
    investor = _actions(strikes, "investor")
    assert "Strikes each killed ten or more people in Nasr and Shujaiyya: review shelter procedures and duty of care for staff there." in investor
    government = _actions(strikes, "government")
    assert any(t.startswith("Condemn the attacks on Nasr and Shujaiyya, support the documentation of them") for t in government), government
    # three strikes at one place are not one strike
    nasr = [s for s in strikes if s.location == "Nasr"]
    assert "Strikes each killed ten or more people in Nasr: review shelter procedures and duty of care for staff there." in _actions(nasr, "investor")
    assert any(t.startswith("Condemn the attacks on Nasr, support the documentation of them") for t in _actions(nasr, "government"))
    # one strike is one
    one = _actions(nasr[:1], "investor")
    assert "A strike killed ten or more people in Nasr: review shelter procedures and duty of care for staff there." in one


def test_left_over_places_are_counted_as_places_once_one_holds_several_attacks() -> None:
    text = "Condemn the attack on {}, support the documentation of it."
    several = "Condemn the attacks on Nasr, support the documentation of them."
    merged = merge_action_texts([several, *(text.format(p) for p in ("Remal", "Sabra", "Tuffah", "Zaytun", "Shati", "Daraj"))])
    assert merged == "Condemn the attacks on Nasr, Remal, Sabra, Tuffah, Zaytun and 2 more places, support the documentation of them."
    each_once = merge_action_texts([text.format(p) for p in ("Nasr", "Remal", "Sabra", "Tuffah", "Zaytun", "Shati", "Daraj")])
    assert each_once.endswith("and 2 more attacks, support the documentation of them.")


def test_a_slashed_sub_event_type_in_a_list_of_places_is_plural() -> None:
    # "remote explosive/landmine/IED at Baidoa and Maxaas" (a real Somalia export, 2026-W13)
    advice = "track the weapons used."
    texts = [f"Remote explosive/landmine/IED at {p}: {advice}" for p in ("Baidoa", "Maxaas")]
    assert merge_action_texts(texts) == f"Remote explosives/landmines/IEDs at Baidoa and Maxaas: {advice}"
    bombs = [f"Suicide bomb at {p}: {advice}" for p in ("Baidoa", "Maxaas")]
    assert merge_action_texts(bombs) == f"Suicide bombs at Baidoa and Maxaas: {advice}"
    # a slashed word that is not an event's kind stays as it is
    other = [f"Looted/property destroyed at {p}: {advice}" for p in ("Baidoa", "Maxaas")]
    assert merge_action_texts(other) == f"Looted/property destroyed at Baidoa and Maxaas: {advice}"


def test_several_events_at_one_place_read_as_several() -> None:
    # two strikes at Doon Buraale, one action of one place: "Air/drone strike at Doon Buraale"
    events = [
        make_event(f"S{i}", MONDAY + dt.timedelta(days=i), country="SOM", admin1="Bay", location="Doon Buraale", sub_event_type="Air/drone strike")
        for i in range(2)
    ]
    analyst = _actions(events, "analyst")
    assert any(t.startswith("Air/drone strikes at Doon Buraale:") for t in analyst), analyst


def test_travel_advice_is_asked_for_once_in_a_government_brief() -> None:
    # riots, deaths and their spread each said "update travel advice" (real Kenya 2007-W52 and
    # Sudan 2021-W44 exports): the deaths' action updates it, the spread widens it
    rules = _rules()
    from riskengine.checks.ruletest import recommendation_for

    riot = make_event("R1", MONDAY, event_type="Riots", sub_event_type="Violent demonstration", country="KEN", location="Kisumu", fatalities=3)
    spread = make_event("W1", MONDAY, event_type="Battles", country="KEN", fatalities=2, country_admin1_hit_30d=7)
    texts = [recommendation_for(rules[r], [e]) or "" for r, e in (("gov-riots", riot), ("gov-deadly-violence", riot), ("gov-violence-spreading", spread))]
    assert all(texts), texts
    assert sum("travel" in t for t in texts) == 1, texts
    assert texts[2].endswith("widen consular advice beyond the known hotspots."), texts
