"""Session 17's reading of the briefs on real exports (issue 15, brief18): a place list not said
twice, actors' articles behind two brackets, an empty watchlist said once. The events and texts
are written for these tests."""

import datetime as dt
import typing

import pytest
from test_briefs import make_event

from riskengine import api
from riskengine.briefs.render import build_context, render_brief
from riskengine.core.events import Event
from riskengine.core.names import display_name

MONDAY = dt.date(2025, 6, 30)  # 2025-W27
NOW = "2025-07-07T06:00:00Z"


def _context(events: list[Event], stakeholder: str) -> typing.Any:
    report = api.score(events, rules=api.load_rules(), window="2025-W27", now=NOW)
    return build_context(report, stakeholder, events)


def _numbered(events: list[Event], stakeholder: str) -> list[str]:
    # Palestine is no default region of interest: its actions are the list outside, numbered from 1
    context = _context(events, stakeholder)
    return [a.text for a in context.actions or context.actions_outside]


def _killed(event_id: str, place: str, killed: int, day: int = 0) -> Event:
    return make_event(
        event_id,
        MONDAY + dt.timedelta(days=day % 7),
        country="PSE",
        admin1="Gaza Strip",
        location=place,
        sub_event_type="Air/drone strike",
        fatalities=killed,
        civilian_targeting=True,
        actor2="Civilians (Palestine)",
    )


STRUCK = ("Nasr", "Shujaiyya", "Sabra", "Tuffah", "Zaytun", "Shati", "Daraj")


@pytest.fixture(scope="module")
def killings() -> list[Event]:
    # seven places where strikes killed ten or more, two where fewer died
    big = [_killed(f"K{i}", p, 40 - i, i) for i, p in enumerate(STRUCK)]
    return [*big, _killed("K8", "Remal", 3, 1), _killed("K9", "Tal el Hawa", 2, 2)]


def test_places_an_earlier_action_lists_are_not_listed_again(killings: list[Event]) -> None:
    actions = _numbered(killings, "government")
    first = next(i for i, t in enumerate(actions) if t.startswith("Civilians were among those killed in "))
    assert "and 4 more places" in actions[first], actions
    condemn = next(t for t in actions if t.startswith("Condemn the attacks on "))
    assert condemn.startswith(f"Condemn the attacks on 7 of the 9 places of action {first + 1}, support the documentation of them"), condemn
    # said once: no place of the seven is named in the condemnation
    assert not any(p in condemn for p in STRUCK), condemn


def test_a_short_list_is_named_again(killings: list[Event]) -> None:
    # three places are shorter to read than a reference back
    few = [e for e in killings if e.location in ("Nasr", "Shujaiyya", "Sabra", "Remal")]
    condemn = next(t for t in _numbered(few, "government") if t.startswith("Condemn"))
    assert condemn.startswith("Condemn the attacks on Nasr, Shujaiyya and Sabra"), condemn


def test_a_name_with_two_brackets_keeps_its_article() -> None:
    # "against Sudan Liberation Movement/Army (Abdul Wahid al-Nur Faction) (Splinter Faction)"
    # (a real Sudan export, 2022-W26)
    assert display_name("Patriotic Liberation Front (Northern Wing) (Splinter Faction)") == "the Patriotic Liberation Front (Northern Wing) (Splinter Faction)"
    assert display_name("Patriotic Liberation Front (Northern Wing)") == "the Patriotic Liberation Front (Northern Wing)"
    # a name that takes none gets none behind two brackets either
    assert display_name("Al Shabaab (Jubba Wing) (Splinter Faction)") == "Al Shabaab (Jubba Wing) (Splinter Faction)"


def test_an_empty_watchlist_is_one_sentence_and_no_warning() -> None:
    quiet = [make_event("Q1", MONDAY, event_type="Protests", sub_event_type="Peaceful protest", country="KEN", location="Kisumu")]
    context = _context(quiet, "investor")
    assert not any(w.section == "watchlist" for w in context.warnings), context.warnings
    md = render_brief(context, "md")
    watch = md.split("## Watchlist", 1)[1].split("\n## ", 1)[0]
    assert "Nothing to watch: no talks are scheduled after this week" in watch, watch
    assert "No target hit more than once" not in watch and "Warning" not in watch, watch
    html = render_brief(context, "html")
    assert "Nothing to watch" in html and "No target hit more than once" not in html


def test_several_events_at_a_place_in_a_list_of_tolls_are_plural() -> None:
    # "15 in each of 3 events in Gaza - Nasr (air/drone strike)" (a real Gaza export, 2023-W45)
    events = [_killed(f"N{i}", "Nasr", 15, i) for i in range(3)] + [_killed("S1", "Shujaiyya", 40, 4)]
    deaths = next(t for t in _numbered(events, "government") if t.startswith("40 killed in Shujaiyya"))
    assert "40 killed in Shujaiyya (air/drone strike) and 15 in each of 3 events in Nasr (air/drone strikes):" in deaths, deaths
    # a bracket that is no event noun stays as it is
    from riskengine.briefs.render import _plural_bracket

    assert _plural_bracket("Khartoum (excessive force against protesters)") == "Khartoum (excessive force against protesters)"
    assert _plural_bracket("Baidoa (remote explosive/landmine/IED)") == "Baidoa (remote explosives/landmines/IEDs)"


def test_a_bombing_is_not_sheltered_from_as_a_strike() -> None:
    # landmine attacks on convoys killing 30 and 70 read "Strikes each killed ten or more people
    # in Mingin ...: review shelter procedures" (a real Myanmar export, 2021-W49)
    mines = [
        make_event(f"M{i}", MONDAY + dt.timedelta(days=i), country="MMR", admin1="Sagaing", location=p, sub_event_type="Remote explosive/landmine/IED", fatalities=30 + i)
        for i, p in enumerate(("Mingin", "Kale"))
    ]
    investor = _numbered(mines, "investor")
    assert "Bombings each killed ten or more people in Kale and Mingin: review road travel, convoy and crowd exposure and duty of care for staff there." in investor, investor
    strike = [_killed("A1", "Nasr", 12)]
    assert any(t.startswith("A strike killed ten or more people in Nasr: review shelter procedures") for t in _numbered(strike, "investor"))


def test_strikes_close_to_nato_territory_are_one_list() -> None:
    # five "a strike landed N km from NATO territory at X" in a row (a real world-wide 2020
    # export, Syria's border with Turkey)
    from riskengine.briefs.render import merge_action_texts

    advice = "map drone routes along the border."
    texts = [f"A strike landed close to NATO territory at {p} ({k} km): {advice}" for p, k in (("Aziziyeh", 1), ("Quamishli", 2), ("Dardara", 4))]
    assert merge_action_texts(texts) == f"Strikes landed close to NATO territory at Aziziyeh (1 km), Quamishli (2 km) and Dardara (4 km): {advice}"
    assert merge_action_texts(texts[:1]) == texts[0]
    near = [
        make_event(f"T{i}", MONDAY, country="SYR", location=p, sub_event_type="Air/drone strike", initiator_side="Russia", target_side="Syria", distance_to_nato_km=k)
        for i, (p, k) in enumerate((("Aziziyeh", 1), ("Quamishli", 2)))
    ]
    analyst = _numbered(near, "analyst")
    near_nato = next(t for t in analyst if "NATO" in t)
    assert near_nato.startswith("Strikes landed close to NATO territory at "), near_nato
    assert "Aziziyeh (1 km)" in near_nato and "Quamishli (2 km)" in near_nato and "; " not in near_nato, near_nato


def test_a_score_just_under_a_class_edge_is_not_said_as_the_edge() -> None:
    # "high at 8.0 of 10" beside "very high 8.0-10.0" (a real Gaza export, 2023-W45: 7.98)
    from riskengine.briefs.render import score_said

    edges = (2.0, 4.0, 6.0, 8.0)
    assert score_said(7.98, edges) == "7.98"
    assert score_said(3.96, edges) == "3.96"
    assert score_said(7.94, edges) == "7.9"
    assert score_said(8.0, edges) == "8.0" and score_said(8.04, edges) == "8.0"
    assert score_said(6.84, edges) == "6.8"
    # the templates' filter reads the method's class bands, as plain data or as the model
    from riskengine.briefs.render import _score_filter

    bands = [{"name": n, "lower": lo, "upper": up} for n, lo, up in (("very low", 0, 2), ("low", 2, 4), ("medium", 4, 6), ("high", 6, 8), ("very high", 8, 10))]
    assert _score_filter(7.98, bands) == "7.98" and _score_filter(7.5, bands) == "7.5"


def test_a_record_toll_is_not_read_only_as_war() -> None:
    # Bangladesh 2024-W31: 325 killed in 30 days, mostly protests and riots put down, and the
    # analyst was told to "look for a new offensive, new actors or new weapons behind it"
    from riskengine.checks.ruletest import recommendation_for

    riot = make_event("B1", MONDAY, event_type="Riots", sub_event_type="Violent demonstration", country="BGD", location="Enayatpur", fatalities=18, country_fatalities_30d=325, country_fatalities_30d_highest_in_days=603)
    text = recommendation_for(next(r for r in api.load_rules().rules if r.id == "ana-deadliness-surge"), [riot]) or ""
    assert text.startswith("The 30-day death toll in Bangladesh (325) is the highest in 603 days: "), text
    assert "protests and riots" in text and "a new offensive" in text, text
