"""Session 18's reading of the briefs on real exports (issue 15, brief19): where the record
begins, one count of armed groups in the four briefs, places named once in a list of fights, a
sparse history said as such, and "under" that places an event only under a place's name. The
events and texts are written for these tests."""

import datetime as dt
import io
import typing

import pytest
from test_briefs import make_event

from riskengine import api
from riskengine.briefs.render import build_context
from riskengine.core.events import Event
from riskengine.ingest.derive import enrich_event
from riskengine.ingest.history import add_history_context

MONDAY = dt.date(2025, 6, 30)  # 2025-W27
NOW = "2025-07-07T06:00:00Z"
STAKEHOLDERS = ("investor", "government", "ngo", "analyst")


def _context(events: list[Event], stakeholder: str) -> typing.Any:
    report = api.score(events, rules=api.load_rules(), window="2025-W27", now=NOW)
    return build_context(report, stakeholder, events)


def _texts(events: list[Event], stakeholder: str) -> list[str]:
    context = _context(events, stakeholder)
    return [a.text for a in [*context.actions, *context.actions_outside]]


def _battle(event_id: str, day: dt.date, killed: int, actor1: str = "Military Forces of Ukraine", actor2: str = "Military Forces of Russia", **more: typing.Any) -> Event:
    fields: dict[str, typing.Any] = {"country": "UKR", "admin1": "Donetsk", "location": "Bakhmut", **more}
    return make_event(event_id, day, event_type="Battles", sub_event_type="Armed clash", fatalities=killed, actor1=actor1, actor2=actor2, **fields)


# ---------------------------------------------------------------------------------------------
# 1. "the highest in 394 days" when 394 days is all the record holds


def _surge(first_toll: int) -> list[Event]:
    # the record begins on 1 January 2024 with a toll of first_toll, then a quiet day, then
    # 2025-W27's fighting (40 killed)
    events = [_battle("H0", dt.date(2024, 1, 1), first_toll), _battle("H1", dt.date(2024, 6, 1), 1)]
    events += [_battle(f"W{i}", MONDAY + dt.timedelta(days=i), 10) for i in range(4)]
    return add_history_context(events)


def test_history_carries_the_day_the_countrys_record_begins() -> None:
    events = _surge(1)
    assert {e.country_record_start for e in events} == {dt.date(2024, 1, 1)}


@pytest.mark.parametrize("stakeholder", STAKEHOLDERS)
def test_a_toll_higher_than_any_before_says_the_record_began_not_its_length(stakeholder: str) -> None:
    texts = " ".join(_texts(_surge(1), stakeholder))
    assert "since the record began (1 January 2024)" in texts, texts
    assert not any(f"in {n} days" in texts for n in range(365, 1096)), texts


@pytest.mark.parametrize("stakeholder", STAKEHOLDERS)
def test_a_toll_with_a_higher_one_in_the_record_says_how_many_days_back(stakeholder: str) -> None:
    # 100 killed on the record's first day: the 30 days to 30 January 2024 were deadlier
    texts = " ".join(_texts(_surge(100), stakeholder))
    assert "since the record began" not in texts, texts
    assert f"in {(MONDAY + dt.timedelta(days=3) - dt.date(2024, 1, 30)).days} days" in texts, texts


# ---------------------------------------------------------------------------------------------
# 2. a place fought over by several pairs is named once in the list of fighting


def test_a_place_fought_over_by_several_pairs_is_named_once() -> None:
    pairs = [("Militia Alpha", "Militia Bravo"), ("Militia Charlie", "Militia Delta"), ("Militia Echo", "Militia Foxtrot")]
    events = [_battle(f"M{i}", MONDAY + dt.timedelta(days=i), 3 - i, actor1=a, actor2=b, location="Mariupol") for i, (a, b) in enumerate(pairs)]
    events.append(_battle("K1", MONDAY, 1, actor1="Militia Golf", actor2="Militia Hotel", location="Kyiv"))
    fighting = [t for t in _texts(events, "analyst") if t.startswith("Fighting at ")]
    assert len(fighting) == 1, fighting
    assert fighting[0].count("Mariupol") == 1, fighting
    assert "Mariupol (Militia Alpha against Militia Bravo; Militia Charlie against Militia Delta; Militia Echo against Militia Foxtrot)" in fighting[0], fighting
    assert "Kyiv (Militia Golf against Militia Hotel)" in fighting[0], fighting

def test_the_places_left_over_in_a_list_of_fighting_are_counted_as_places() -> None:
    # eight fights at seven places: Mariupol twice, two places with one pair of sides
    places = ["Mariupol", "Mariupol", "Izium", "Lyman", "Avdiivka", "Bucha", "Irpin", "Hostomel"]
    sides = [("Militia Alpha", "Militia Bravo"), ("Militia Charlie", "Militia Delta"), ("Militia Echo", "Militia Foxtrot"), ("Militia Echo", "Militia Foxtrot")]
    sides += [(f"Militia {a}", f"Militia {b}") for a, b in (("Golf", "Hotel"), ("India", "Juliett"), ("Kilo", "Lima"), ("Mike", "November"))]
    events = [_battle(f"F{i}", MONDAY, 8 - i, actor1=a, actor2=b, location=p) for i, (p, (a, b)) in enumerate(zip(places, sides, strict=True))]
    fighting = [t for t in _texts(events, "analyst") if t.startswith("Fighting at ")]
    assert fighting == [
        "Fighting at Mariupol (Militia Alpha against Militia Bravo; Militia Charlie against Militia Delta); Izium and Lyman (Militia Echo against "
        "Militia Foxtrot); Avdiivka (Militia Golf against Militia Hotel); Bucha (Militia India against Militia Juliett); Irpin (Militia Kilo "
        "against Militia Lima); and 1 more place: track where the clashes move and who gains ground."
    ], fighting


# ---------------------------------------------------------------------------------------------
# 3. one count of armed groups a week in the four briefs


def test_the_four_briefs_count_the_same_armed_groups() -> None:
    groups = [f"Militia {name}" for name in ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot")]
    events = [_battle(f"B{i}", MONDAY, 2, actor1=groups[i], actor2=groups[i + 1]) for i in range(0, 6, 2)]
    # two days later a seventh group kills civilians: no battle, so no fight between armed groups
    events.append(
        make_event("V1", MONDAY + dt.timedelta(days=2), country="UKR", event_type="Violence against civilians", sub_event_type="Attack",
                   admin1="Donetsk", location="Bakhmut", fatalities=3, actor1="Militia Golf", actor2="Civilians (Ukraine)")
    )  # fmt: skip
    events = add_history_context(events)
    counts = {}
    for stakeholder in STAKEHOLDERS:
        said = [t for t in _texts(events, stakeholder) if "armed groups" in t]
        assert len(said) == 1, (stakeholder, said)
        counts[stakeholder] = said[0].split()[0]
    assert set(counts.values()) == {"6"}, counts


# ---------------------------------------------------------------------------------------------
# 4. a thin record is said, so low 30-day counts do not read as calm


def _thin_warnings(events: list[Event]) -> list[str]:
    return [w.message for w in _context(add_history_context(events), "analyst").warnings if "record is thin" in w.message]


def test_a_record_of_a_few_events_a_month_is_said_to_be_thin() -> None:
    # a record begun a hundred days before, four events in the last 30 days
    events = [_battle("S9", MONDAY - dt.timedelta(days=100), 0), *(_battle(f"S{i}", MONDAY - dt.timedelta(days=7 * i), 2) for i in range(4))]
    said = _thin_warnings(events)
    assert said == [
        "the record is thin for Ukraine: 4 events in the 30 days to 30 June 2025 (fewer than one a day); counts over 30 days "
        "and the scores count only the events read, so low figures may reflect gaps in the record, not calm"
    ], said


def test_a_record_of_an_event_a_day_is_not_thin() -> None:
    events = [_battle(f"D{i}", MONDAY + dt.timedelta(days=3) - dt.timedelta(days=i), 0 if i else 2) for i in range(40)]
    assert _thin_warnings(events) == []


def test_a_record_that_begins_inside_the_30_days_says_how_many_days_the_counts_cover() -> None:
    events = [_battle(f"R{i}", MONDAY - dt.timedelta(days=9) + dt.timedelta(days=i), 2) for i in range(12)]
    said = [w.message for w in _context(add_history_context(events), "analyst").warnings if "record for Ukraine begins" in w.message]
    assert said == [
        "the record for Ukraine begins on 21 June 2025: counts over 30 days to 2 July 2025 cover only 12 days of events, "
        "so they understate what 30 days would hold"
    ], said
    assert not _thin_warnings(events)


# ---------------------------------------------------------------------------------------------
# 6. a week of events none of which the profile scores is not a week of no reporting


def test_a_week_of_riots_the_analyst_rules_do_not_score_says_so() -> None:
    riots = [
        make_event(f"R{i}", MONDAY + dt.timedelta(days=i % 5), country="BGD", event_type="Riots", sub_event_type="Violent demonstration",
                   admin1="Dhaka", location=f"Place {i}", fatalities=1, actor1="Rioters (Bangladesh)")
        for i in range(6)
    ]  # fmt: skip
    context = _context(add_history_context(riots), "analyst")
    assert context.bluf.sentence.endswith(
        "No rule of this profile fired on the 6 events recorded this week: the score says they are of no kind its rules weigh, not that the week was calm."
    ), context.bluf.sentence
    said = [w.message for w in context.warnings if w.section == "judgments"]
    assert "no rule fired on the 6 events recorded this week, so the judgments rest on none of them" in said, said


# ---------------------------------------------------------------------------------------------
# 7. tolls at one place said as separate events, each event once


def test_two_tolls_of_two_events_each_at_one_place_are_four_events() -> None:
    # the investor's toll names no kind of event: 6 killed twice and 5 twice at Nad-e Ali
    events = [_battle(f"N{i}", MONDAY + dt.timedelta(days=i), killed, location="Nad-e Ali") for i, killed in enumerate((6, 6, 5, 5))]
    events.append(_battle("N9", MONDAY, 8, location="Qadis"))
    tolls = [t for t in _texts(events, "investor") if "killed" in t and "Nad-e Ali" in t]
    assert len(tolls) == 1, tolls
    assert "6, 6, 5 and 5 killed in separate events in Nad-e Ali" in tolls[0] or "6, 6, 5 and 5 in separate events in Nad-e Ali" in tolls[0], tolls
    assert "each of" not in tolls[0], tolls


def test_separate_events_at_one_place_say_their_kind_in_the_plural() -> None:
    # tolls of ten or more, so that the government's consular advice words them alike (brief20)
    events = [_battle("P1", MONDAY, 15, location="Mpeketoni"), _battle("P2", MONDAY + dt.timedelta(days=1), 10, location="Mpeketoni")]
    events.append(_battle("P3", MONDAY, 20, location="Tarbaj"))
    tolls = [t for t in _texts(events, "government") if "Mpeketoni" in t and " killed" in t]
    assert any("15 and 10 in separate events in Mpeketoni (armed clashes)" in t for t in tolls), tolls


def test_a_week_with_no_event_recorded_says_so_in_the_bottom_line() -> None:
    before = [_battle("E1", MONDAY - dt.timedelta(days=10), 2)]
    sentence = _context(add_history_context(before), "ngo").bluf.sentence
    assert sentence.endswith("No event was recorded this week: a score of 0 says the record holds nothing for it, not that the week was calm."), sentence


# ---------------------------------------------------------------------------------------------
# 5. "under" places an event under a place, not under a thing in it


def _category(notes: str, event_type: str = "Explosions/Remote violence") -> str | None:
    event = make_event("U1", MONDAY, country="AFG", event_type=event_type, sub_event_type="Grenade", notes=notes)
    return enrich_event(event).target_category


def test_a_bomb_under_a_desk_in_a_school_is_an_attack_on_the_school() -> None:
    notes = "On 2 March 2020, a grenade thrown under the school registration desk wounded four pupils in Kabul."
    assert _category(notes) == "civilian_infrastructure"


@pytest.mark.parametrize(
    "notes",
    [
        "On 2 March 2020, the bodies of two men were found under the Pul-e-Khishti bridge in Kabul.",
        "On 2 March 2020, protesters gathered under the bridge at Pul-e-Charkhi and were dispersed by grenades.",
        # no name, but the bridge is what the body lay under (a real 2020 world-wide export)
        "On 2 March 2020, the body of a man was found under a bridge with tied hands and wires around his neck.",
    ],
)
def test_under_a_named_place_is_where_the_event_was(notes: str) -> None:
    assert _category(notes) is None


def test_under_a_police_station_area_is_a_jurisdiction_not_a_target() -> None:
    notes = "A candidate received minor injuries when rival supporters were canvassing at a village under the same police station area in the district."
    assert _category(notes) is None


def test_a_thin_record_outside_the_regions_of_interest_is_not_warned_of() -> None:
    # Ukraine is of interest to the default profiles, Uzbekistan is not
    events = [_battle("T9", MONDAY - dt.timedelta(days=100), 0, country="UZB"), _battle("T1", MONDAY, 2, country="UZB")]
    events += [_battle(f"U{i}", MONDAY + dt.timedelta(days=3) - dt.timedelta(days=i), 0 if i else 2) for i in range(40)]
    assert _thin_warnings(events) == []


def test_the_same_sides_the_other_way_round_are_one_pair_and_a_long_group_is_cut_short() -> None:
    places = ["Mariupol", "Mariupol", *(f"Village {c}" for c in "ABCDEFG")]
    sides = [("Militia Alpha", "Militia Bravo"), ("Militia Bravo", "Militia Alpha"), *[("Militia Alpha", "Militia Bravo")] * 7]
    events = [_battle(f"G{i}", MONDAY, 9 - i, actor1=a, actor2=b, location=p) for i, (p, (a, b)) in enumerate(zip(places, sides, strict=True))]
    fighting = [t for t in _texts(events, "analyst") if t.startswith("Fighting at ")]
    assert fighting == [
        "Fighting at Mariupol, Village A, Village B, Village C, Village D and 3 more places (Militia Alpha against Militia Bravo): "
        "track where the clashes move and who gains ground."
    ], fighting


def test_places_where_two_sides_fought_group_together_whichever_was_named_first() -> None:
    places = ["Popasna", "Izium", "Irpin", "Irpin"]
    sides = [("Militia Alpha", "Militia Bravo"), ("Militia Bravo", "Militia Alpha"), ("Militia Bravo", "Militia Alpha"), ("Militia Charlie", "Militia Alpha")]
    events = [_battle(f"O{i}", MONDAY, 9 - i, actor1=a, actor2=b, location=p) for i, (p, (a, b)) in enumerate(zip(places, sides, strict=True))]
    fighting = [t for t in _texts(events, "analyst") if t.startswith("Fighting at ")]
    assert fighting == [
        "Fighting at Popasna and Izium (Militia Alpha against Militia Bravo); Irpin (Militia Alpha against Militia Bravo; Militia Charlie against "
        "Militia Alpha): track where the clashes move and who gains ground."
    ], fighting


# ---------------------------------------------------------------------------------------------
# 8. a file dated by the week says so when imported


def _dated(tmp_path: typing.Any, days: list[dt.date]) -> list[str]:
    from riskengine.ingest.acled import import_acled

    path = tmp_path / "weekly.csv"
    rows = "".join(f"{d.isoformat()},Azerbaijan,Battles,{i % 3}\n" for i, d in enumerate(days))
    path.write_text("event_date,country,event_type,fatalities\n" + rows, encoding="utf-8")
    return [n for n in import_acled(path, io.StringIO()).notes if "every event is dated on a" in n]


def test_a_file_whose_every_date_is_a_saturday_says_it_may_be_dated_by_the_week(tmp_path: typing.Any) -> None:
    saturdays = [dt.date(2023, 9, 16) - dt.timedelta(days=7 * i) for i in range(25)]
    assert _dated(tmp_path, saturdays) == [
        "every event is dated on a Saturday (25 dates): the file may hold weekly records dated by the week's first day, so an event may "
        "have taken place up to six days after its date, in the ISO week after the one it is scored in"
    ]


def test_a_file_of_daily_dates_says_nothing_of_weeks(tmp_path: typing.Any) -> None:
    assert _dated(tmp_path, [dt.date(2023, 9, 16) - dt.timedelta(days=i) for i in range(25)]) == []
