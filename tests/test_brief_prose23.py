"""Session 21's reading of the briefs on real exports (issue 15, brief23): one place's toll said
together in the NGO brief, and the classes found on weeks nobody had read. The events and texts
are written for these tests."""

import datetime as dt
import typing

from test_brief_prose19 import MONDAY, _context, _texts  # the same week and helpers
from test_briefs import make_event

from riskengine import api
from riskengine.core.events import Event

# ---------------------------------------------------------------------------------------------
# 1. one place's killed and injured together, in the action that lists every death


def _riot(event_id: str, place: str, killed: int, **more: typing.Any) -> Event:
    fields: dict[str, typing.Any] = {
        "country": "UKR", "admin1": "Kyivska", "location": place, "event_type": "Riots", "sub_event_type": "Violent demonstration",
        "actor1": "Rioters (Ukraine)", "actor2": "Police Forces of Ukraine", "fatalities": killed, **more,
    }
    return make_event(event_id, MONDAY + dt.timedelta(days=1), **fields)


def _deaths_text(events: list[Event]) -> str:
    texts = [t for t in _texts(events, "ngo") if "casualty-care" in t]
    assert len(texts) == 1, texts
    return texts[0]


def test_the_ngo_toll_names_the_injured_of_the_place_where_people_were_killed() -> None:
    text = _deaths_text([_riot("R1", "Town P", 13, injured=200), _riot("R2", "Town Q", 4)])
    assert text.startswith("13 killed in Town P (violent demonstration; 200 injured) and 4 in Town Q (violent demonstration):"), text


def test_the_ngo_toll_names_the_hospitalised_where_no_injured_are_given() -> None:
    text = _deaths_text([_riot("R1", "Town P", 11, hospitalised=50)])
    assert text.startswith("11 killed in Town P (violent demonstration; 50 hospitalised):"), text
    # the hospitalised are among the injured: a toll that gives the injured says them alone
    text = _deaths_text([_riot("R1", "Town P", 11, injured=80, hospitalised=50)])
    assert text.startswith("11 killed in Town P (violent demonstration; 80 injured):"), text


def test_the_injured_list_keeps_its_counts_and_the_scores_do_not_move() -> None:
    events = [_riot("R1", "Town P", 4, injured=300, civilian_targeting=False), _riot("R2", "Town Q", 0, injured=100)]
    texts = _texts(events, "ngo")
    injured = [t for t in texts if "first aid" in t]
    assert injured and injured[0].startswith("300 people were injured in Town P and 100 in Town Q:"), injured
    report = api.score(events, rules=api.load_rules(), window="2025-W27", now="2025-07-07T06:00:00Z")
    ngo = next(s for s in report.stakeholders if s.stakeholder == "ngo")
    points = {c.rule_id: c.points for c in ngo.contributions}
    assert points["ngo-injuries"] == 2 and round(points["ngo-deadly-violence"], 4) == 1.6, points
