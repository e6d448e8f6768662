"""Session 21's reading of the briefs on real exports (issue 15, brief23): one place's toll said
together in the NGO brief, and the classes found on weeks nobody had read. The events and texts
are written for these tests."""

import datetime as dt
import io
import re
import typing

from test_brief_prose19 import MONDAY, _context, _texts  # the same week and helpers
from test_briefs import make_event

from riskengine import api
from riskengine.briefs.render import _change_words, _listed, _wordings_listed, merge_action_texts, render_brief, said_apart
from riskengine.core.events import Event
from riskengine.ingest.acled import import_acled
from riskengine.ingest.history import add_history_context

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


# ---------------------------------------------------------------------------------------------
# 2. the bottom line's figures add up


def test_the_bottom_line_says_figures_that_add_up() -> None:
    thresholds = [2.0, 4.0, 6.0, 8.0]
    # 6.80 and 6.85 both read 6.8 to one decimal, and the change -0.05 read "down 0.1"
    assert said_apart(6.80, 6.85, -0.05, thresholds) == ("6.80", "6.85", "0.05")
    # 5.35 - 4.90 read "5.3, up 0.5 from 4.9": two decimals, where one would not add up
    assert said_apart(5.35, 4.90, 0.45, thresholds) == ("5.35", "4.90", "0.45")
    # one decimal where it adds up
    assert said_apart(8.15, 1.05, 7.10, thresholds) == ("8.2", "1.1", "7.1")
    # a score on a class edge is said to two decimals, and so the week before
    assert said_apart(7.98, 7.50, 0.48, thresholds) == ("7.98", "7.50", "0.48")


def test_the_bottom_line_sentence_uses_the_figures_that_add_up() -> None:
    earlier = _riot("R0", "Town P", 2).model_copy(update={"event_date": MONDAY - dt.timedelta(days=6)})
    context = _context([earlier, _riot("R1", "Town P", 3), _riot("R2", "Town Q", 1)], "ngo")
    sentence = context.bluf.sentence
    found = re.search(r" at ([0-9.]+) of 10, (up|down) ([0-9.]+) from ([0-9.]+) ", sentence)
    assert found, sentence
    now, way, moved, before = found.groups()
    sign = 1 if way == "up" else -1
    assert abs(float(before) + sign * float(moved) - float(now)) < 1e-9, sentence



def test_a_judgment_says_the_figures_that_add_up() -> None:
    # 6.46 from 5.93 read "now 6.5, up 0.5" after "medium (5.9)" (Somalia 2026-W04, NGO brief)
    now, before, moved = said_apart(6.46, 5.93, 0.53, [2.0, 4.0, 6.0, 8.0])
    assert (now, before, moved) == ("6.46", "5.93", "0.53")
    assert _change_words(0.53, moved) == "up 0.53 since last week"
    assert _change_words(0.02, said_apart(6.42, 6.40, 0.02, [2.0, 4.0, 6.0, 8.0])[2]) == "unchanged since last week"

# ---------------------------------------------------------------------------------------------
# 3. an event type of one word, made plural, is a common noun inside a list


def test_a_one_word_event_type_made_plural_is_lower_case_inside_a_list() -> None:
    said = _listed(["Remote explosives/landmines/IEDs at Town P and Town Q", "Grenades at Town R and Town S", "Attacks at Town T"], 0, "; ")
    assert said == "Remote explosives/landmines/IEDs at Town P and Town Q; grenades at Town R and Town S; attacks at Town T", said


# ---------------------------------------------------------------------------------------------
# 4. the government's month of deaths is the month up to the killing, and only where the record
#    holds a month


def _killing(event_id: str, day: dt.date, killed: int, location: str = "Town P") -> Event:
    return make_event(event_id, day, country="UKR", admin1="Donetsk", location=location, event_type="Violence against civilians",
                      sub_event_type="Attack", fatalities=killed, actor1="Unidentified Armed Group (Ukraine)", actor2="Civilians (Ukraine)")


def _protests(day: dt.date, n: int = 30) -> list[Event]:
    """A month's record that is not thin: ``n`` peaceful protests in the 20 days before ``day``."""
    return [
        make_event(f"P{i}", day - dt.timedelta(days=1 + i % 20), country="UKR", admin1="Donetsk", location=f"Square {i}", event_type="Protests",
                   sub_event_type="Peaceful protest", actor1="Protesters (Ukraine)")
        for i in range(n)
    ]


def _consular(events: list[Event]) -> list[str]:
    return [t for t in _texts(add_history_context(events), "government") if "consular advice" in t and "killed in" in t]


def test_a_record_shorter_than_a_month_claims_no_months_toll() -> None:
    said = _consular([_killing("K0", MONDAY - dt.timedelta(days=5), 1, "Town Q"), _killing("K1", MONDAY + dt.timedelta(days=1), 2)])
    assert said and all("under ten)" in t and "25 deaths" not in t for t in said), said


def test_the_months_toll_is_said_as_the_one_up_to_the_killing() -> None:
    # a killing on the first day of unrest, before the country's 30-day toll passed 25 that week
    events = [_killing("K0", MONDAY - dt.timedelta(days=45), 1, "Town Q"), *_protests(MONDAY), _killing("K1", MONDAY, 3),
              *(_killing(f"K{i}", MONDAY + dt.timedelta(days=3), 9, f"Town {i}") for i in range(2, 6))]
    said = " ".join(_consular(events))
    assert (
        "3 killed in Town P (attack): keep the travel guidance for the area under review; killings on this scale (under ten, with fewer "
        "than 25 deaths in the country in the 30 days up to them)"
    ) in said, said
    assert "in a month of fewer than 25" not in said, said


# ---------------------------------------------------------------------------------------------
# 5. a day's toll "at unspecified locations" is no event's own


def _shelling(tmp_path: typing.Any, closing: str) -> Event:
    path = tmp_path / "export.csv"
    path.write_text(
        "event_id_cnty,event_date,country,admin1,location,event_type,sub_event_type,actor1,actor2,fatalities,notes\n"
        "UKR9101,2018-04-21,Ukraine,Donetsk,Village G,Explosions/Remote violence,Shelling/artillery/missile attack,"
        f'Militia Golf,Military Forces of Ukraine,1,"On 21 April 2018, Militia Golf shelled positions near Village G. One civilian was killed. {closing}"\n',
        encoding="utf-8",
    )
    out = io.StringIO()
    import_acled(path, out)
    (event,) = [Event.model_validate_json(line) for line in out.getvalue().splitlines()]
    return event


def test_a_days_wounded_at_unspecified_locations_are_not_the_events_own(tmp_path: typing.Any) -> None:
    event = _shelling(tmp_path, "During the day four soldiers were wounded at unspecified locations.")
    assert event.injured is None, event.injured
    (unused,) = [d for d in event.derived if d.field == "injured"]
    assert not unused.used and "a total over several places" in unused.method, unused
    # the event's own wounded are still read
    assert _shelling(tmp_path, "Four soldiers were wounded in the shelling.").injured == 4


# ---------------------------------------------------------------------------------------------
# 6. tolls of one count are not split as wordings


def test_tolls_are_not_split_by_their_count_as_if_wordings() -> None:
    facts = ["5 killed in Town A (attack)", "5 killed in Town B (armed clash)", "1 killed in each of 2 events in Town C (armed clashes)",
             "1 killed in Town D (attack)", "1 killed in Town E (attack)", "1 killed in Town F (armed clash)", "1 killed in Town C (attack)"]
    said = merge_action_texts([f"{f}: check the area." for f in facts])
    assert said.count("killed") == 1 and said.count("Town C") == 1, said
    assert said.endswith("and 2 more events: check the area."), said


# ---------------------------------------------------------------------------------------------
# 7. what lists of several wordings leave unnamed is counted once, at the end


def test_others_left_by_the_first_of_several_wordings_are_counted_at_the_end() -> None:
    said = _wordings_listed(["the forces of Alpha attacked civilians at Town A and Town B; and 2 others", "the police of Beta attacked civilians at Town C"])
    assert said == "the forces of Alpha attacked civilians at Town A and Town B; the police of Beta attacked civilians at Town C; and 2 others", said
    # a list that says what it leaves keeps it
    kept = _wordings_listed(["Civilians were killed in Town A and 49 more places", "homes were hit in Town B"])
    assert kept == "Civilians were killed in Town A and 49 more places; homes were hit in Town B", kept


def test_a_thin_record_claims_no_months_toll() -> None:
    # a record of two months, but two events in the 30 days up to the killing: under 30, thin
    said = _consular([_killing("K0", MONDAY - dt.timedelta(days=60), 1, "Town Q"), _killing("K9", MONDAY - dt.timedelta(days=3), 1, "Town R"),
                      _killing("K1", MONDAY + dt.timedelta(days=1), 2)])
    assert said and all("under ten)" in t and "25 deaths" not in t for t in said), said


# ---------------------------------------------------------------------------------------------
# 8. an insider attack is no infighting


def test_an_infiltrators_attack_coded_with_one_force_on_both_sides_is_an_insider_attack() -> None:
    common: dict[str, typing.Any] = {"country": "UKR", "admin1": "Donetsk", "event_type": "Battles", "sub_event_type": "Armed clash",
                                     "actor1": "Military Forces of Ukraine", "actor2": "Military Forces of Ukraine"}
    inside = make_event("B1", MONDAY, location="Base A", fatalities=25, notes="25 soldiers were killed following an infiltrator attack by militants on a base.", **common)
    mutiny = make_event("B2", MONDAY, location="Base B", fatalities=2, notes="Two units of the army exchanged fire over pay.", **common)
    texts = " ".join(t for t in _texts([inside, mutiny], "analyst") if t.startswith("Fighting"))
    assert "Base A (an insider attack within the military forces of Ukraine)" in texts, texts
    assert "Base B (infighting within the military forces of Ukraine)" in texts, texts


def test_the_scores_section_and_the_html_header_say_the_bottom_lines_figures() -> None:
    earlier = _riot("R0", "Town P", 2).model_copy(update={"event_date": MONDAY - dt.timedelta(days=6)})
    context = _context([earlier, _riot("R1", "Town P", 3), _riot("R2", "Town Q", 1)], "ngo")
    bluf = context.bluf
    now, _, moved = said_apart(bluf.score, bluf.previous_score, bluf.change, [2.0, 4.0, 6.0, 8.0])
    assert (bluf.score_said, bluf.change_said) == (now, ("+" if bluf.change > 0 else "-") + moved), bluf
    markdown = render_brief(context, "md")
    assert f"Overall: **{bluf.score_said}** ({bluf.score_class}) {bluf.arrow} {bluf.change_said} since" in markdown
    html = render_brief(context, "html")
    assert f'<div class="big">{bluf.score_said}<small>of 10</small></div>' in html and f"{bluf.arrow} {bluf.change_said}</span> since" in html
