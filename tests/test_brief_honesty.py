"""Briefs a demanding reader trusts (issue #15, section 1 and the source list of section 3): every
number shown is the number used, several firings said as such and ordered by size, disputed
figures as ranges, corroboration by independent origins, wording the events support, regions of
interest and duty first, prose, and a source list with safe links.

Where output is the product the expected strings are exact; most come from the bundled sample
(the golden briefs' week), the rest from small hand-made reports.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import typing

import pytest
from test_briefs import PREVIOUS, STAKEHOLDERS, WEEK, contribution, make_event, make_events, make_report

from riskengine.briefs.citations import SEED_DOCUMENTS, parse_rule_source, safe_link
from riskengine.briefs.render import (
    BriefContext,
    _as_prose,
    _Evidence,
    _per_event,
    build_context,
    disputed_figures,
    merge_action_texts,
    render_brief,
    source_origins,
)
from riskengine.core.events import Event
from riskengine.scoring.scores import (
    RulePackInfo,
    ScoreReport,
    StakeholderScore,
    saturate,
    stakeholder_score,
    window_out,
)

NOW = "2025-07-07T06:00:00Z"


@pytest.fixture(scope="module")
def sample() -> tuple[ScoreReport, list[Event]]:
    from riskengine import api

    events = api.read_events()
    return api.score(events, rules=api.load_rules(), window="2025-W27", now=NOW), events


@pytest.fixture(scope="module")
def briefs(sample: tuple[ScoreReport, list[Event]]) -> dict[str, BriefContext]:
    report, events = sample
    return {sh: build_context(report, sh, events) for sh in STAKEHOLDERS}


@pytest.fixture(scope="module")
def markdown(briefs: dict[str, BriefContext]) -> dict[str, str]:
    return {sh: render_brief(c, "md") for sh, c in briefs.items()}


@pytest.fixture(scope="module")
def html(briefs: dict[str, BriefContext]) -> dict[str, str]:
    return {sh: render_brief(c, "html") for sh, c in briefs.items()}


def one_stakeholder_report(score: StakeholderScore) -> ScoreReport:
    return ScoreReport(
        generated_at=NOW,
        window=window_out(WEEK),
        previous_window=window_out(PREVIOUS),
        rule_pack=RulePackInfo(version="sha256:0123abcd", rules=3, files=["rules/ngo.yaml"]),
        events_in_window=4,
        events_in_previous_window=0,
        stakeholders=[score],
    )


def scored(events: list[Event], current: list[typing.Any], *, weights: dict[str, float], saturation: typing.Any, regions: list[str], stakeholder: str = "ngo") -> ScoreReport:
    return one_stakeholder_report(
        stakeholder_score(
            stakeholder=stakeholder,
            title="Readers",
            weights=weights,
            thresholds=[2.0, 4.0, 6.0, 8.0],
            saturation=saturation,
            regions_of_interest=regions,
            current=current,
            previous=[],
            history=[(WEEK.label, current)],
        )
    )


# ---------------------------------------------------------------------------------------------
# Every number shown is the number used


def test_weights_are_printed_as_the_profile_writes_them(markdown: dict[str, str], html: dict[str, str]) -> None:
    # 0.35 and 0.05 used to print as 0.3 and 0.1, so the table did not add up.
    assert "| diplomatic | 0.35 | 8.20 | 2 | 1.434 | 52 % | 5.57 | medium | ↑ +3.6 |" in markdown["government"]
    assert "| economic | 0.05 | 0.00 | 2 | 0.000 | 0 % | 0.00 | very low | → ±0.0 |" in markdown["government"]
    assert '<td>diplomatic</td><td class="num">0.35</td><td class="num">8.20</td><td class="num">2</td><td class="num">1.434</td>' in html["government"]


def test_the_score_table_adds_up_to_the_overall_score(briefs: dict[str, BriefContext]) -> None:
    for context in briefs.values():
        rows, overall = context.dimensions, context.overall
        total = sum(r.weight for r in rows)
        assert overall.weight_total == pytest.approx(total)
        for r in rows:
            assert r.share == pytest.approx(r.weight * r.points / r.saturation / total, abs=6e-4), r.name
            assert r.score == pytest.approx(saturate(r.points, r.saturation), abs=0.011), r.name
        # The printed shares add up to the printed X, and X gives the overall score.
        assert round(sum(r.share for r in rows), 3) == overall.x
        assert saturate(overall.x, 1.0) == pytest.approx(context.bluf.score, abs=0.011)
        assert sum(r.share_percent for r in rows) == 100
        assert [r.share for r in rows] == sorted((r.share for r in rows), reverse=True)


def test_the_overall_is_explained_as_computed(briefs: dict[str, BriefContext], markdown: dict[str, str]) -> None:
    sentence = (
        "Overall = 10 × (1 − (1 + X)^−½) = 4.28, where X = 1.314 + 0.368 + 0.294 + 0.077 = 2.053: each dimension's "
        "share is its weight w times its points P over its saturation s, divided by the sum of the weights (1). "
        "The overall is not a mean of the dimension scores."
    )
    assert briefs["investor"].overall.sentence == sentence
    assert sentence in markdown["investor"]
    # 10 * (1 - (1 + 2.053) ** -0.5), the reader's own arithmetic
    assert round(10 * (1 - 1 / math.sqrt(1 + 2.053)), 2) == 4.28


def test_led_by_ranks_by_contribution_not_by_dimension_score() -> None:
    events = make_events()
    by_id = {e.event_id: e for e in events}
    current = [
        contribution(by_id, "ngo", "energy", "economic", ["UKR1"], 3.0, "Plan for power outages in Kyiv."),
        contribution(by_id, "ngo", "strike", "security", ["RUS1"], 8.0, "Reassess exposure near Izhevsk."),
    ]
    report = scored(events, current, weights={"economic": 0.1, "security": 0.9}, saturation={"economic": 1.0, "security": 10.0}, regions=["UKR", "RUS"])
    context = build_context(report, "ngo", events)
    scores = {d.name: d.score for d in context.dimensions}
    assert scores["economic"] > scores["security"]  # economic scores higher on its own curve ...
    assert context.bluf.sentence.endswith(", led by security and economic.")  # ... security contributes more
    assert [d.name for d in context.dimensions] == ["security", "economic"]


# ---------------------------------------------------------------------------------------------
# Actions: several firings named, largest first; regions of interest and duty first


def test_merge_action_texts() -> None:
    assert merge_action_texts(
        [
            "35 people were hospitalised in Izhevsk: check that hospitals there have trauma supplies.",
            "14 people were hospitalised in Kyiv: check that hospitals there have trauma supplies.",
        ]
    ) == "35 people were hospitalised in Izhevsk and 14 in Kyiv: check that hospitals there have trauma supplies."
    assert merge_action_texts(["Strikes (Izhevsk, then Kyiv).", "Strikes (Kyiv, then Izhevsk)."]) == (
        "Strikes (Izhevsk, then Kyiv). Also: Strikes (Kyiv, then Izhevsk)."
    )
    assert merge_action_texts(["Same text.", "Same text."]) == "Same text."
    # Common leading words are said once; common leading words of the advice too.
    assert merge_action_texts(["Rioting in Agabar: keep staff away.", "Rioting in Carmo: keep staff away.", "Rioting in Hargeysa: keep staff away."]) == (
        "Rioting in Agabar, Carmo and Hargeysa: keep staff away."
    )
    assert merge_action_texts([f"Armed groups fought in Somalia: map the routes to {p}." for p in ("Gumare", "Moqokori", "Mogadishu - Gubadley")]) == (
        "Armed groups fought in Somalia: map the routes to Gumare, Moqokori and Mogadishu - Gubadley."
    )
    assert merge_action_texts([f"Casualties in {p} were reported without figures: verify needs." for p in ("Balade", "Xagar")]) == (
        "Casualties in Balade and Xagar were reported without figures: verify needs."
    )
    assert merge_action_texts([f"Civilians were the target in T{i}: document it." for i in range(8)]) == (
        "Civilians were the target in T0, T1, T2, T3, T4 and 3 more places: document it."
    )
    # One count taken on different days of the week is said once, as its highest reading: not
    # "8 and 7 regions" (two sets, a real Mali export) nor "7 to 8 regions" (a count in doubt)
    assert merge_action_texts([f"Violence has reached {n} regions of Mali in 30 days: check the sites." for n in (7, 8)]) == (
        "Violence has reached 8 regions of Mali in 30 days: check the sites."
    )
    assert merge_action_texts([f"{n:,} armed groups fought in Sudan in 30 days: map them." for n in (15, 1500, 16, 14, 13, 12, 11)]) == (
        "1,500 armed groups fought in Sudan in 30 days: map them."
    )
    # Read on a real Somalia export (2026-W13): the advice differs in its place, the facts in a
    # count or not at all; a place in the middle of the advice; a list whose phrases share their
    # first words in groups. Each had read as whole sentences repeated after "Also:" or ";".
    armed = [(61, "Kunyo Barrow"), (61, "Waajid"), (60, "Awdheegle"), (60, "Mubaarak"), (61, "Shaw"), (60, "Doon")]
    assert merge_action_texts([f"{n} armed groups fought in Somalia in 30 days: more parties; map who holds {p}." for n, p in armed]) == (
        "61 armed groups fought in Somalia in 30 days: more parties; map who holds Kunyo Barrow, Waajid, Awdheegle, Mubaarak, Shaw and 1 more place."
    )
    assert merge_action_texts([f"Check backup power in {p}; plan for outages lasting days." for p in ("Sheebaab", "Baidoa")]) == (
        "Check backup power in Sheebaab and Baidoa; plan for outages lasting days."
    )
    attackers = ["Al Shabaab", "Al Shabaab", "Pirates (Somalia)", "Al Shabaab"]
    assert merge_action_texts([f"{a} attacked civilians at {p}: track it." for a, p in zip(attackers, ("Shaw", "Tugaarrey", "Eyl", "Moqokori"), strict=True)]) == (
        "Al Shabaab attacked civilians at Shaw, Tugaarrey and Moqokori; Pirates (Somalia) attacked civilians at Eyl: track it."
    )
    # ... and per place: counts over a window in several countries (a real South Asia 2015 export
    # read "18 regions of India, 17 regions of India and 7 regions of Pakistan", and the armed
    # groups' action as four sentences after "Also:")
    assert merge_action_texts([f"Violence has reached {n} regions of {c} in 30 days: check." for n, c in ((18, "India"), (17, "India"), (7, "Pakistan"))]) == (
        "Violence has reached 18 regions of India and 7 regions of Pakistan in 30 days: check."
    )
    groups = [(27, "India", "Pulwama"), (26, "India", "Bahraich"), (11, "Pakistan", "Lahore")]
    assert merge_action_texts([f"{n} armed groups fought in {c} in 30 days: map who holds {p}." for n, c, p in groups]) == (
        "27 armed groups fought in India and 11 in Pakistan in 30 days: map who holds Pulwama, Bahraich and Lahore."
    )
    # Shared words end where the list starts, never inside a name or a bracket (a real Kenya
    # export, 2017-W32: "The police forces of Kenya attacked civilians at Nyalenda, attacked
    # civilians at Mathare, (General Service Unit) attacked ..." and "(... the police forces of,
    # Hola (...) and Lamu (...)")
    kenya = ["The police forces of Kenya attacked civilians at Nyalenda", "The police forces of Kenya (General Service Unit) attacked civilians at Mathare"]
    kenya += ["The police forces of Kenya attacked civilians at Mathare"]
    assert merge_action_texts([f"{k}: track it." for k in kenya]) == (
        "The police forces of Kenya attacked civilians at Nyalenda and Mathare; the police forces of Kenya (General Service Unit) attacked civilians at Mathare: track it."
    )
    sides = [("Galole", "a group in Kenya against the police of Kenya"), ("Hola", "the police of Kenya against a group in Kenya"), ("Lamu", "Al Shabaab against the police of Kenya")]
    assert merge_action_texts([f"Fighting at {p} ({s}): track it." for p, s in sides]) == (
        # the same two sides the other way round are worded one way and their places said together (brief19)
        "Fighting at Galole and Hola (a group in Kenya against the police of Kenya); Lamu (Al Shabaab against the police of Kenya): track it."
    )
    # ... also in brackets, and a sentence's "The" inside a list is lower case (a real Kenya export, 2007-W52)
    assert merge_action_texts([f"The 30-day death toll in Kenya ({n}) is the highest in 1095 days: look." for n in (241, 335)]) == (
        "The 30-day death toll in Kenya (335) is the highest in 1095 days: look."
    )
    # ... and a window of more than 999 days, written with a comma, is a window too: a real Kenya
    # export (2007-W52) said "The 30-day death toll in Kenya (241) is the highest in 1,095 days;
    # the 30-day death toll in Kenya (335) is the highest in 1,095 days"
    assert merge_action_texts([f"The 30-day death toll in Kenya ({n}) is the highest in 1,095 days: look." for n in (241, 335)]) == (
        "The 30-day death toll in Kenya (335) is the highest in 1,095 days: look."
    )
    assert merge_action_texts(["A group attacked civilians at Kiambaa: track.", "The Mungiki Militia attacked civilians at Kiambu: track."]) == (
        "A group attacked civilians at Kiambaa; the Mungiki Militia attacked civilians at Kiambu: track."
    )
    # counts of events are not a range: two attacks in one place are two figures
    assert merge_action_texts([f"{n} killed in Lahore: check care." for n in (5, 3)]) == "5 and 3 killed in separate events in Lahore: check care."
    # a count the phrases share is said for each place: "4 killed in Kunyo Barrow and Shaw" reads as
    # 4 in all, and "1 killed in Omdurman; 1 killed in El Geneina; 1 killed in Katur" (a real Sudan
    # export, 2023-W06) as a list of sentences
    assert merge_action_texts([f"4 killed in {p}: check care." for p in ("Kunyo Barrow", "Shaw")]) == "4 killed in each of Kunyo Barrow and Shaw: check care."
    assert merge_action_texts([f"{n} killed in {p}: check care." for n, p in ((8, "Waqdariya"), (4, "Kunyo Barrow"), (4, "Shaw"))]) == (
        "8 killed in Waqdariya; 4 in each of Kunyo Barrow and Shaw: check care."
    )
    assert merge_action_texts([f"1 killed in {p} ({k}): care." for p, k in (("Omdurman", "excessive force"), ("Katur", "attack"), ("Nertiti", "attack"))]) == (
        "1 killed in each of Omdurman (excessive force), Katur (attack) and Nertiti (attack): care."
    )
    # ... but not where the count is not a count of that place's
    assert merge_action_texts([f"4 drones hit {p}: check." for p in ("Kyiv", "Lviv")]) == "4 drones hit Kyiv; 4 drones hit Lviv: check."
    # an event noun before a list of places is plural (a real Sudan export: "Protest in Khartoum,
    # Omdurman, Um Badda ..."); a noun that is not an event's, or a mass noun, is left as it is
    assert merge_action_texts([f"Protest in {p}: allow for delays." for p in ("Khartoum", "Omdurman", "Aqiq")]) == "Protests in Khartoum, Omdurman and Aqiq: allow for delays."
    assert merge_action_texts([f"Armed clash near {p}: x." for p in ("Guldo", "Nyala")]) == "Armed clashes near Guldo and Nyala: x."
    assert merge_action_texts([f"Air/drone strike at {p}: x." for p in ("Izhevsk", "Kyiv")]) == "Air/drone strikes at Izhevsk and Kyiv: x."
    assert merge_action_texts([f"Rioting in {p}: x." for p in ("Agabar", "Carmo")]) == "Rioting in Agabar and Carmo: x."


def test_merged_actions_say_what_they_count_once_and_never_split_a_place_from_its_count() -> None:
    """Read on real 2016 Africa, Afghanistan (2020-W10) and Caucasus (2020-W42) exports."""
    # "60 killed in Ogigo (attack); 58 killed in QaSr al Qarahbull (armed clash); ...; and 27 more":
    # the counted words once, and what is left over named, not a number to add to the last count
    killed = [(60, "Ogigo", "attack"), (58, "QaSr al Qarahbull", "armed clash"), (48, "Sirte", "government regains territory"), (15, "Doro Naira", "remote violence"),
              (14, "Sirte", "armed clash"), (10, "Igbo-Lomi", "attack"), (9, "Ugba", "attack")]  # fmt: skip
    # Sirte's two tolls of two kinds with Sirte said once (brief21)
    assert merge_action_texts([f"{n} killed in {p} ({k}): check care." for n, p, k in killed]) == (
        "60 killed in Ogigo (attack); 58 in QaSr al Qarahbull (armed clash); 48 (government regains territory), 14 (armed clash) in separate events in Sirte; "
        "15 in Doro Naira (remote violence); and 2 more events: check care."
    )
    # not "8 to 16 armed groups fought in Libya in 30 days; 5 to 6 armed groups fought in Nigeria in 30 days"
    fought = [(16, "Libya"), (8, "Libya"), (6, "Nigeria"), (5, "Nigeria")]
    assert merge_action_texts([f"{n} armed groups fought in {c} in 30 days: map them." for n, c in fought]) == (
        "16 armed groups fought in Libya and 6 in Nigeria in 30 days: map them."
    )
    countries = ["Somalia", "Sudan", "Chad", "Mali", "Niger", "Benin", "Togo"]
    assert merge_action_texts([f"{n} armed groups fought in {c} in 30 days: map them." for n, c in zip(range(17, 10, -1), countries, strict=True)]) == (
        "17 armed groups fought in Somalia, 16 in Sudan, 15 in Chad, 14 in Mali, 13 in Niger and 2 more places in 30 days: map them."
    )
    # counts at one place said together ("416 killed in Azerbaijan (battles), 291 in Azerbaijan (battles), ...", a real Caucasus export)
    assert merge_action_texts([f"{n} killed in Azerbaijan (battles): x." for n in (416, 291, 273, 247, 104, 90, 80)]) == (
        "416, 291, 273, 247 and 104 killed in separate events in Azerbaijan (battles); and 2 more events: x."
    )
    assert merge_action_texts([f"{n} killed in {p} (armed clash): x." for n, p in ((31, "Beroroha"), (22, "Wau"), (21, "Wau"), (16, "Heliwa"))]) == (
        # two clashes at Wau: their kind in the plural (brief19, as a count "in each of" events says it)
        "31 killed in Beroroha (armed clash); 22 and 21 in separate events in Wau (armed clashes); 16 in Heliwa (armed clash): x."
    )
    # "60 people were injured in Zlitan; 40 people were injured in Al Qawarishah"; singular and plural count alike
    assert merge_action_texts([f"{n} people were injured in {p}: give first aid." for n, p in ((60, "Zlitan"), (40, "Al Qawarishah"))]) == (
        "60 people were injured in Zlitan and 40 in Al Qawarishah: give first aid."
    )
    civilians = [(3, "civilians", "Nadir Shah Kot"), (2, "civilians", "Delak"), (2, "civilians", "Qalat"), (1, "civilian", "Obe")]
    assert merge_action_texts([f"{n} {w} killed in {p}: document." for n, w, p in civilians]) == "3 civilians killed in Nadir Shah Kot; 2 in each of Delak and Qalat; 1 in Obe: document."
    # different things counted stay whole
    assert merge_action_texts(["3 killed in Obe: x.", "2 injured in Qalat: x."]) == "3 killed in Obe; 2 injured in Qalat: x."
    # "Review shelter procedures ... for staff in Doro Naira: 15 and Ganfouda: 10 people were killed in one attack."
    # ... said as the places once, each count with its place (it had read as two whole sentences after "Also:")
    shelter = [(15, "Doro Naira"), (10, "Ganfouda")]
    assert merge_action_texts([f"Review shelter procedures for staff in {p}: {n} people were killed in one attack." for n, p in shelter]) == (
        "Review shelter procedures for staff in Doro Naira and Ganfouda: 15 people were killed in one attack in Doro Naira and 10 in one attack in Ganfouda."
    )
    unsaid = merge_action_texts([f"Review shelter procedures for staff in {p}: {w} were killed." for w, p in (("many", "Doro Naira"), ("some", "Ganfouda"))])
    assert "Naira: many and" not in unsaid and "Doro Naira: many were killed." in unsaid and "Ganfouda: some were killed." in unsaid
    # clauses after shared words are not a list of names ("an unidentified armed group in Sudan
    # attacked civilians at Thur and South Sudan attacked civilians at Ngong")
    attackers = ["An unidentified armed group in Sudan", "An unidentified armed group in South Sudan", "Al Shabaab"]
    assert merge_action_texts([f"{a} attacked civilians at {p}: track it." for a, p in zip(attackers, ("Thur", "Ngong", "Heliwa"), strict=True)]) == (
        "An unidentified armed group in Sudan attacked civilians at Thur; an unidentified armed group in South Sudan attacked civilians at Ngong; "
        "Al Shabaab attacked civilians at Heliwa: track it."
    )
    # an event type that began a firing's sentence is lower case inside the list, acronyms kept
    # ("Remote violence at Doro Naira; Air/drone strikes at Ganfouda and Sirte; Remote explosive/landmine/IED at Benghazi")
    weapons = ["Remote violence at Doro Naira", "Air/drone strike at Ganfouda", "Air/drone strike at Sirte", "Remote explosive/landmine/IED at Benghazi"]
    assert merge_action_texts([f"{w}: track the weapons." for w in weapons]) == (
        "Remote violence at Doro Naira; air/drone strikes at Ganfouda and Sirte; remote explosive/landmine/IED at Benghazi: track the weapons."
    )
    # a generic group that began a firing's sentence is lower case inside the list ("...; Protesters in Nigeria attacked civilians at Aba")
    groups = ["Boko Haram attacked civilians at Dikwa", "Protesters in Nigeria attacked civilians at Aba", "Rioters in Nigeria attacked civilians at Abi"]
    assert merge_action_texts([f"{g}: track it." for g in groups]) == (
        "Boko Haram attacked civilians at Dikwa; protesters in Nigeria attacked civilians at Aba; rioters in Nigeria attacked civilians at Abi: track it."
    )
    # places a bracket describes alike are named together before it (a real Sudan export, 2021-W46:
    # "Fighting at Bara (a Dar Hamid ... against a Katoul ...), Sodari (a Dar Hamid ... against a Katoul ...), ...")
    hamid, rizeigat = "(a Dar Hamid militia against a Katoul militia in Sudan)", "(a Rizeigat militia against a Misseriya militia in Sudan)"
    fights = [("Bara", hamid), ("Sodari", hamid), ("Jebel Moon", rizeigat), ("Dar Marra", rizeigat), ("Wau", "(the army against the Islamic State (Tripoli))")]
    assert merge_action_texts([f"Fighting at {p} {b}: track it." for p, b in fights]) == (
        f"Fighting at Bara and Sodari {hamid}; Jebel Moon and Dar Marra {rizeigat}; Wau (the army against the Islamic State (Tripoli)): track it."
    )
    # a fact with a colon of its own still shares the advice (45 "Fighting at ..." firings had
    # printed as sentences after "Also:" when one actor was "SPLA/M-In Opposition: ...")
    sides = [("Rupchai", "the army against SPLA/M-In Opposition: Sudanese People's Liberation Army"), ("Wau", "the army against a militia"), ("Tur", "a militia against the army")]
    assert merge_action_texts([f"Fighting at {p} ({s}): track where the clashes move." for p, s in sides]) == (
        # Wau and Tur: one pair of sides, the other way round at Tur (brief19)
        "Fighting at Rupchai (the army against SPLA/M-In Opposition: Sudanese People's Liberation Army); Wau and Tur (the army against a militia): "
        "track where the clashes move."
    )


def test_an_action_from_several_firings_names_each_largest_first_not_by_source_weight() -> None:
    # Izhevsk: the larger figure, one weak source; Kyiv: the smaller figure, two strong sources,
    # so Kyiv's firing carries more weighted points. Size decides the order, not source weight.
    weak = [{"name": "news.by", "reliability": "C", "credibility": 3}]
    strong = [{"name": "Reuters", "reliability": "B", "credibility": 2}, {"name": "AP", "reliability": "B", "credibility": 2}]
    events = [e for e in make_events(sources=weak) if e.event_id != "UKR1"]
    events.append(make_event("UKR1", dt.date(2025, 7, 4), country="UKR", location="Kyiv", target_category="energy", sources=strong))
    by_id = {e.event_id: e for e in events}
    advice = "check that hospitals there have trauma and burns supplies."
    current = [
        contribution(by_id, "ngo", "hosp", "humanitarian", ["UKR1"], 2.4, f"14 people were hospitalised in Kyiv: {advice}"),
        contribution(by_id, "ngo", "hosp", "humanitarian", ["RUS1"], 4.5, f"35 people were hospitalised in Izhevsk: {advice}"),
    ]
    assert current[0].weighted_points > current[1].weighted_points
    report = scored(events, current, weights={"humanitarian": 1.0}, saturation=5.0, regions=["UKR", "RUS"])
    context = build_context(report, "ngo", events)
    (action,) = context.actions
    assert action.text == f"35 people were hospitalised in Izhevsk and 14 in Kyiv: {advice}"
    assert [(p.place, p.event_ids) for p in action.parts] == [("Izhevsk", ["RUS1"]), ("Kyiv", ["UKR1"])]
    text = render_brief(context, "md")
    assert f"1. 35 people were hospitalised in Izhevsk and 14 in Kyiv: {advice}\n" in text
    assert "   - Built from 2 firings, largest first: Izhevsk (RUS1); Kyiv (UKR1).\n" in text


def test_sample_multi_firing_actions_say_so(briefs: dict[str, BriefContext]) -> None:
    investor = {a.rules[0].rule_id: a for a in briefs["investor"].actions}
    assert investor["inv-deadly-violence"].text == (
        "3 killed in Izhevsk and 1 in Kyiv: check duty of care for staff and contractors and the security of sites nearby."
    )
    government = {a.rules[0].rule_id: a for a in briefs["government"].actions}
    assert government["gov-deadly-violence"].text.startswith("3 killed in Izhevsk (air/drone strike) and 1 in Kyiv (air/drone strike): ")


def test_actions_outside_the_regions_of_interest_are_listed_apart_not_dropped(
    sample: tuple[ScoreReport, list[Event]], briefs: dict[str, BriefContext], markdown: dict[str, str]
) -> None:
    ngo = briefs["ngo"]  # regions of interest: UKR, ROU, MDA
    assert all(a.regions == ["UKR"] and a.in_regions_of_interest for a in ngo.actions)
    assert [a.text for a in ngo.actions_outside] == [
        "35 people were hospitalised in Izhevsk: check that hospitals there have trauma and burns supplies and blood stocks, and offer surge staff.",
        "35 people were injured in Izhevsk: support first aid, rehabilitation and replacement of lost documents and belongings for the injured.",
        # one place's toll together (brief23): the deaths' action names the injured too
        "3 killed in Izhevsk (air/drone strike; 35 injured): check casualty-care capacity and the needs of the families there, and that staff working in the area are safe.",
    ]
    assert all(not a.in_regions_of_interest and a.regions == ["RUS"] for a in ngo.actions_outside)
    # Nothing dropped: every firing with a recommendation is in one list or the other.
    scored_ngo = next(x for x in sample[0].stakeholders if x.stakeholder == "ngo")
    assert sum(a.firings for a in [*ngo.actions, *ngo.actions_outside]) == sum(1 for c in scored_ngo.contributions if c.recommendation)
    text = markdown["ngo"]
    assert text.index("## Recommended actions") < text.index("### Outside the regions of interest") < text.index("## Scores")
    # The NGO's first action is no longer about hospitals in Russia.
    assert "Izhevsk" not in ngo.actions[0].text


def test_duty_orders_the_actions(briefs: dict[str, BriefContext]) -> None:
    ngo = briefs["ngo"].actions
    assert ngo[0].text == (
        "550 drones and missiles in one night: rehearse staff shelter procedures and keep stocks for a surge of casualties in the cities hit."
    )
    duties = [a.duty for a in ngo]
    assert duties[:4] == ["staff safety"] * 4 and set(duties[4:]) == {None}
    investor = briefs["investor"].actions
    assert [a.duty for a in investor[:3]] == ["named assets"] * 3
    assert [a.rules[0].rule_id for a in investor[:3]] == ["inv-deep-strike-industry", "inv-repeat-strike-facility", "inv-airport-restriction-after-strike"]
    # Government and analyst profiles name no duty: heaviest first.
    weights = [a.weight for a in briefs["government"].actions]
    assert weights == sorted(weights, reverse=True)


def test_all_actions_outside_the_regions_of_interest_warn() -> None:
    events = make_events()
    by_id = {e.event_id: e for e in events}
    current = [contribution(by_id, "ngo", "deep-strike", "escalation", ["RUS1"], 4.0, "Reassess exposure near Izhevsk.")]
    context = build_context(scored(events, current, weights={"escalation": 1.0}, saturation=5.0, regions=["UKR"]), "ngo", events)
    assert context.actions == [] and [a.text for a in context.actions_outside] == ["Reassess exposure near Izhevsk."]
    assert "no action concerns the regions of interest this week; 1 outside them are listed apart" in [w.message for w in context.warnings]


# ---------------------------------------------------------------------------------------------
# Disputed figures and corroboration


def test_disputed_figures_are_ranges_with_their_sources(briefs: dict[str, BriefContext], markdown: dict[str, str]) -> None:
    izhevsk = next(d for d in briefs["ngo"].drivers if d.event_id == "RUS-S007")
    assert [d.sentence for d in izhevsk.disputed] == [
        "hospitalised in Izhevsk: 30-35 (seed 000 (analysis): 30, claimed by Russia; seed 001 (news report): 35, claimed by Russia); the rules used 35",
        "injured in Izhevsk: 24-35 (news.by: 24, claimed by Russia; event record: 35); the rules used 35",
    ]
    hospitals = briefs["ngo"].actions_outside[0]
    assert [d.field for d in hospitals.disputed] == ["hospitalised"]  # not the injured figure
    assert (
        "   - Disputed figure: hospitalised in Izhevsk: 30-35 (seed 000 (analysis): 30, claimed by Russia; "
        "seed 001 (news report): 35, claimed by Russia); the rules used 35.\n"
    ) in markdown["ngo"]


def test_figures_that_agree_are_not_disputed() -> None:
    event = make_event("A", dt.date(2025, 7, 1), injured=12, figures=[{"field": "injured", "value": 12, "source": "Reuters"}])
    assert disputed_figures(event) == []
    assert disputed_figures(make_event("B", dt.date(2025, 7, 1))) == []


def test_sources_relaying_one_claimant_are_one_origin(sample: tuple[ScoreReport, list[Event]]) -> None:
    _, events = sample
    by_id = {e.event_id: e for e in events}
    assert source_origins(by_id["RUS-S007"]) == {"relays:russia"}  # three outlets, one governor
    assert len(source_origins(by_id["UKR-S011"])) == 3
    # Without `relays`, a source whose every figure on the event is one side's claim relays it.
    event = make_event(
        "C",
        dt.date(2025, 7, 1),
        sources=[{"name": "Outlet A", "reliability": "B", "credibility": 2}, {"name": "Outlet B", "reliability": "B", "credibility": 2}],
        figures=[
            {"field": "drones_intercepted", "value": 40, "source": "Outlet A", "claimed_by": "Ukraine"},
            {"field": "drones_intercepted", "value": 42, "source": "Outlet B", "claimed_by": "Ukraine"},
        ],
    )
    assert source_origins(event) == {"relays:ukraine"}


def test_corroboration_counts_independent_origins(briefs: dict[str, BriefContext]) -> None:
    # Izhevsk's three outlets all relay Russian officials: not corroborated any more.
    assert briefs["ngo"].judgments[0].confidence_statement == (
        "We have high confidence in the current assessment: it rests on 5 events, 2 of them corroborated by independent sources, "
        "with a source weight of 0.85 on the Admiralty code (each event's outlets combined, averaged over the points they carry)."
    )
    relayed = [{**s, "relays": "Russia"} for s in ({"name": "seed 000", "reliability": "C", "credibility": 3}, {"name": "seed 001", "reliability": "B", "credibility": 2})]
    events = make_events(sources=relayed)
    by_id = {e.event_id: e for e in events}
    current = [contribution(by_id, "analyst", "deep-strike", "escalation", ["RUS1"], 4.0, "Reassess.")]
    context = build_context(scored(events, current, weights={"escalation": 1.0}, saturation=5.0, regions=["RUS"], stakeholder="analyst"), "analyst", events)
    escalation = next(j for j in context.judgments if j.subject == "escalation")
    assert (escalation.events, escalation.corroborated_events) == (1, 0)


# ---------------------------------------------------------------------------------------------
# Wording the events support, and prose


def test_a_pattern_says_followed_unless_a_source_says_response(briefs: dict[str, BriefContext], markdown: dict[str, str]) -> None:
    assert (
        "3. Ukraine struck Izhevsk and, within days, Russia struck Kyiv: press both sides not to let strikes turn into a "
        "cycle of retaliation that hardens positions for the next round of talks.\n"
    ) in markdown["government"]
    for context in briefs.values():
        for a in [*context.actions, *context.actions_outside]:
            assert not re.search(r"\banswered\b|\btit-for-tat\b", a.text), a.text


def test_national_totals_are_not_attributed_to_a_city(markdown: dict[str, str]) -> None:
    text = markdown["analyst"]
    assert (
        "63 of 539 drones and 9 of 11 missiles were not stopped in the attack that hit Kyiv (counts for the whole attack "
        "as reported, which may reach beyond Kyiv): look for saturation"
    ) in text
    assert "not stopped over Kyiv" not in text


def test_actor_names_read_as_prose(markdown: dict[str, str]) -> None:
    assert "against the sanctions the European Union has threatened" in markdown["investor"]
    government = markdown["government"]
    assert "Seek a read-out of the 2025-07-03 call between the governments of the United States and Russia and" in government
    assert "9. The European Union threatens new sanctions on Russia:" in government
    assert "10. The United Nations calls for a ceasefire:" in government
    assert "talks stalled between the governments of Russia and Ukraine" in government
    for text in markdown.values():
        assert not re.search(r"Government of|Military Forces of|\(Explosions/Remote violence\)", text)


# ---------------------------------------------------------------------------------------------
# The source list


def test_sources_are_listed_with_links_grades_and_dates(markdown: dict[str, str], html: dict[str, str], briefs: dict[str, BriefContext]) -> None:
    text = markdown["investor"]
    section = text[text.index("## Sources") : text.index("**Method.**")]
    assert (
        "- [Kyiv Independent](https://kyivindependent.com/russian-plant-producing-air-defenses-allegedly-hit-by-drones/)"
        " (B2, 2024-11-17): RUS-S001\n"
    ) in section
    assert "- news.by (C3, relaying claims by Russia): RUS-S007\n" in section
    assert (
        '<a href="https://kyivindependent.com/russian-plant-producing-air-defenses-allegedly-hit-by-drones/" '
        'rel="noopener noreferrer nofollow">Kyiv Independent</a>'
    ) in html["investor"]
    # Every event the brief cites has its reports listed.
    context = briefs["investor"]
    listed = {i for s in context.sources for i in s.event_ids}
    assert {d.event_id for d in context.drivers} <= listed
    assert {i for a in context.actions for i in a.event_ids} <= listed


def test_documents_are_cited_by_name_and_title(markdown: dict[str, str], html: dict[str, str], briefs: dict[str, BriefContext]) -> None:
    ngo = markdown["ngo"]
    assert (
        "- seed 001: [News report of the Izhevsk strike (3 dead, 35 hospitalised, 10 serious), Guliaipole shelling, "
        "Luhansk control claim, stalled talks] (news report, 2025-07-01, file 001\\_abadb6bfc1eeddde.txt); sections cited: "
        "“Kyiv Ramps Up Long-Range Counterattacks”, “Opening paragraphs”, “Stalled Peace Talks and International Involvement”\n"
    ) in ngo
    assert "- seed 000: “Heightened Tensions: The Geopolitical Fallout of Ukraine’s Drone Attack on Russia” (analysis, 2025-07-01" in ngo
    assert "   - Cites `ngo-hospitalisations` (rules/ngo.yaml:44, drawn from seed 001, “Opening paragraphs”). 1 firing, weight 3.41.\n" in ngo
    assert '<li id="doc-001"><strong>seed 001</strong>: [News report of the Izhevsk strike' in html["ngo"]
    assert '(rules/ngo.yaml:44, drawn from <a href="#doc-001">seed 001</a>, “Opening paragraphs”)' in html["ngo"]
    # No rule source is cited by number alone any more ("001 Opening paragraphs").
    for text in markdown.values():
        assert not re.search(r"\(\d{3} [A-Z]", text)
    for context in briefs.values():
        names = {d.name for d in context.documents}
        assert {r.source_name for a in context.actions for r in a.rules} <= names


def test_rule_sources_parse() -> None:
    assert parse_rule_source("001 Opening paragraphs").name == "seed 001"
    assert parse_rule_source("001 Opening paragraphs").section == "Opening paragraphs"
    method = parse_rule_source("ACLED Conflict Index: Deadliness")
    assert (method.name, method.section, method.document) == ("ACLED Conflict Index", "Deadliness", None)
    assert parse_rule_source("042 Annex").name == "document 042"
    assert sorted(SEED_DOCUMENTS) == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://example.org/a?q=1&r=2#frag", "https://example.org/a?q=1&r=2#frag"),
        ("http://example.org/a_(b)<c>\"d'", "http://example.org/a_%28b%29%3Cc%3E%22d%27"),
        ("https://example.org/ü", "https://example.org/%C3%BC"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("file:///etc/passwd", None),
        ("ftp://example.org/x", None),
        ("https:///no-host", None),
        ("https://exa mple.org/", None),
        ("https://example.org/\u202egnp.exe", "https://example.org/%E2%80%AEgnp.exe"),  # encoded: cannot reorder text
        ("", None),
        (None, None),
    ],
)
def test_only_http_links_are_linked_and_they_are_encoded(url: str | None, link: str | None) -> None:
    assert safe_link(url) == link


def test_hostile_source_urls_are_not_linked() -> None:
    sources = [
        {"name": "Evil", "url": "javascript:alert(1)", "reliability": "B", "credibility": 2},
        {"name": "Odd", "url": "https://example.org/a_(b)<c>", "reliability": "B", "credibility": 2},
    ]
    events = make_events(sources=sources)
    by_id = {e.event_id: e for e in events}
    current = [contribution(by_id, "analyst", "deep-strike", "escalation", ["RUS1"], 4.0, "Reassess exposure near Izhevsk.")]
    context = build_context(scored(events, current, weights={"escalation": 1.0}, saturation=5.0, regions=["RUS"], stakeholder="analyst"), "analyst", events)
    md, page = render_brief(context, "md"), render_brief(context, "html")
    for text in (md, page):
        assert "javascript:" not in text.lower()
    assert "- Evil (B2): RUS1 (its URL is not an http or https link and is not shown)\n" in md
    assert "[Odd](https://example.org/a\\_%28b%29%3Cc%3E)" in md
    assert '<a href="https://example.org/a_%28b%29%3Cc%3E" rel="noopener noreferrer nofollow">Odd</a>' in page


def test_a_rule_firing_thousands_of_times_names_a_few_and_counts_the_rest() -> None:
    # A busy week: one rule fires on 30 places; the action names the 5 largest and counts 25.
    events = make_events()
    places = [
        make_event(f"K{i:02d}", dt.date(2025, 7, 2), country="UKR", location=f"Town {i:02d}", fatalities=i + 1, sources=[{"name": f"Outlet {i:02d}", "reliability": "B", "credibility": 2}])
        for i in range(30)
    ]
    events += places
    by_id = {e.event_id: e for e in events}
    current = [
        contribution(by_id, "ngo", "deadly", "humanitarian", [e.event_id], float(e.fatalities), f"{e.fatalities} killed in {e.location}: check casualty care.")
        for e in places
    ]
    context = build_context(scored(events, current, weights={"humanitarian": 1.0}, saturation=5.0, regions=["UKR"]), "ngo", events)
    (action,) = context.actions
    assert action.text == "30 killed in Town 29, 29 in Town 28, 28 in Town 27, 27 in Town 26, 26 in Town 25 and 25 more events: check casualty care."
    assert (len(action.parts), action.more_parts, action.firings, len(action.event_ids)) == (10, 20, 30, 30)
    assert "Built from 30 firings, largest first: Town 29 (K29); " in render_brief(context, "md")
    assert "; and 20 more firings.\n" in render_brief(context, "md")
    assert action.more_firings == 20 and sum(p.firings for p in action.parts) + action.more_firings == action.firings
    # The source list covers the events the brief names (the listed firings), not all 30.
    assert sorted(s.name for s in context.sources if s.name.startswith("Outlet")) == [f"Outlet {i}" for i in range(20, 30)]


def test_regions_given_on_the_command_line_replace_every_profiles_own(tmp_path: typing.Any, capsys: pytest.CaptureFixture[str]) -> None:
    """An NGO working in Russia's regions (or in Sudan) reads the bundled packs with --regions
    instead of editing profiles.yaml: the Izhevsk actions come in, Ukraine's go apart."""
    from riskengine.cli.app import main

    code = main(["brief", "--week", "2025-W27", "--stakeholder", "ngo", "--now", NOW, "--regions", "rus", "--out", str(tmp_path)])
    assert code == 0
    text = (tmp_path / "2025-W27-ngo.md").read_text(encoding="utf-8")
    inside = text[text.index("## Recommended actions") : text.index("### Outside the regions of interest")]
    outside = text[text.index("### Outside the regions of interest") : text.index("## Scores")]
    assert "1. **Staff safety.** 3 killed in Izhevsk (air/drone strike; 35 injured)" in inside and "35 people were hospitalised in Izhevsk" in inside
    assert "Kyiv" not in inside and "14 people were hospitalised in Kyiv" in outside
    assert "| Russia (RUS) (of interest) |" in text and "Ukraine (UKR) (of interest)" not in text
    assert "outlined: regions of interest (Russia)." in text

    capsys.readouterr()
    code = main(["score", "--week", "2025-W27", "--regions", "RUS,SDN", "--format", "json"])
    report = ScoreReport.model_validate_json(capsys.readouterr().out)
    assert code == 0
    assert {s.stakeholder: sorted(r.region for r in s.regions if r.of_interest) for s in report.stakeholders} == {key: ["RUS", "SDN"] for key in STAKEHOLDERS}


@pytest.mark.parametrize("value", ["UK", "SDN,12X", ",", "SUDAN"])
def test_regions_that_are_not_iso3_codes_are_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    from riskengine.cli.app import main

    assert main(["brief", "--regions", value, "--out", "-"]) == 2
    assert f"argument --regions: {value!r}: regions are ISO 3166 alpha-3 country codes separated by commas, e.g. SDN,TCD" in capsys.readouterr().err


def test_a_derived_distance_shows_only_where_a_fired_rule_read_it() -> None:
    # A real Mali export's NGO brief showed "distance_to_nato_km 1851.4 (...)" on every driver,
    # though no rule that fired there reads it; what describes the event itself (an injured
    # figure read from the notes) is always shown.
    derived = [
        {"field": "distance_to_nato_km", "value": 1851.4, "method": "boundary distance", "evidence": "latitude/longitude"},
        {"field": "injured", "value": 2, "method": "notes pattern", "evidence": "notes: wounding two"},
    ]
    events = [make_event("MLI1", dt.date(2025, 7, 1), country="MLI", location="Siby", injured=2, distance_to_nato_km=1851.4, derived=derived)]
    by_id = {e.event_id: e for e in events}
    current = [contribution(by_id, "ngo", "deadly", "humanitarian", ["MLI1"], 2.0)]
    report = scored(events, current, weights={"humanitarian": 1.0}, saturation=5.0, regions=["MLI"])

    def shown(fields_read: dict[str, frozenset[str]] | None) -> list[str]:
        (driver,) = build_context(report, "ngo", events, fields_read=fields_read).drivers
        return [d.field for d in driver.derived]

    assert shown({"deadly": frozenset({"fatalities", "country"})}) == ["injured"]
    assert shown({"deadly": frozenset({"distance_to_nato_km"})}) == ["distance_to_nato_km", "injured"]
    assert shown(None) == ["distance_to_nato_km", "injured"]  # no rule fields given: all, as before


def test_scoring_files_says_which_fields_each_rule_reads() -> None:
    from riskengine import api

    scored_files = api.score_files(stakeholders=["government"])
    assert "distance_to_nato_km" in scored_files.fields_read["gov-strike-near-nato"]
    assert "distance_to_nato_km" not in scored_files.fields_read["gov-deadly-violence"]


def test_a_firing_text_reads_as_prose_about_its_events() -> None:
    """Read on real Myanmar (2021-W36), Mali (2018-W30) and Caucasus (2020-W42) exports."""
    ied = make_event("MMR1", dt.date(2021, 9, 6), country="MMR", location="Shwe Hlan", sub_event_type="Remote explosive/landmine/IED")
    # a rule lower-cases the event type: "10 killed in Shwe Hlan (remote explosive/landmine/ied)"
    assert _as_prose("10 killed in Shwe Hlan (remote explosive/landmine/ied): advise.", [ied]) == "10 killed in Shwe Hlan (remote explosive/landmine/IED): advise."
    # an export of coordinates names no place: the country stands in, "in" it, not "at" it
    bare = make_event("AZE1", dt.date(2020, 10, 12), country="AZE", event_type="Battles")
    assert _as_prose("Fighting at Azerbaijan (unnamed forces): track.", [bare]) == "Fighting in Azerbaijan (unnamed forces): track."
    car = make_event("CAF1", dt.date(2020, 10, 12), country="CAF", event_type="Battles")
    assert _as_prose("An armed actor attacked civilians at the Central African Republic: track.", [car]) == "An armed actor attacked civilians in the Central African Republic: track."
    named = make_event("AZE2", dt.date(2020, 10, 12), country="AZE", location="Tartar", event_type="Battles")
    # a place the event does not have, printed "unknown" by the sandbox ("duty of care for staff in unknown")
    assert _as_prose("Review shelter procedures for staff in unknown: 14 people were killed.", [bare]) == "Review shelter procedures for staff in Azerbaijan: 14 people were killed."
    # figures with thousands separators, years as they are ("The 30-day death toll in Azerbaijan (3481) is the highest in 1022 days")
    assert _as_prose("The 30-day death toll in Azerbaijan (3481) is the highest in 1022 days since 2017: look.", [named]) == (
        "The 30-day death toll in Azerbaijan (3,481) is the highest in 1,022 days since 2017: look."
    )
    # both sides in one country say it once (a real Sudan export)
    assert _as_prose("Fighting at Bara (a Dar Hamid militia in Sudan against a Katoul militia in Sudan): track.", [named]) == (
        "Fighting at Bara (a Dar Hamid militia against a Katoul militia in Sudan): track."
    )
    assert _as_prose("Fighting at Wau (a militia in Sudan against a militia in South Sudan): track.", [named]) == "Fighting at Wau (a militia in Sudan against a militia in South Sudan): track."
    # a named place keeps its "at", and text about other words is left as it is
    assert _as_prose("Fighting at Tartar (unnamed forces): track at Azerbaijan's border.", [named]) == "Fighting at Tartar (unnamed forces): track at Azerbaijan's border."


@pytest.mark.parametrize(("corroborated", "said"), [(0, "19 events, none of them corroborated"), (19, "19 events, all of them corroborated"), (4, "19 events, 4 of them corroborated")])
def test_corroboration_says_none_and_all_in_words(corroborated: int, said: str) -> None:
    # read on a real Caucasus export (2020-W42): "it rests on 19 events, 0 of them corroborated by independent sources"
    evidence = _Evidence([], {})
    evidence.events, evidence.corroborated, evidence.mean_weight = 19, corroborated, 0.4
    assert f"it rests on {said} by independent sources" in evidence.statement()


def test_an_event_with_no_place_name_is_placed_by_its_coordinates() -> None:
    # a real Caucasus export of coordinates only: "2020-10-17, AZE: Battles; 247 killed" and, on the
    # map's list, "AZE (AZE): 12.80 weighted points" five times over
    from riskengine.briefs.map import _place_name
    from riskengine.briefs.render import _place

    bare = make_event("AZE1", dt.date(2020, 10, 17), country="AZE", event_type="Battles", latitude=40.2089, longitude=46.8421)
    assert _place(bare) == "40.21°N 46.84°E, Azerbaijan" and _place_name(bare) == "40.21°N 46.84°E"
    south_west = make_event("BRA1", dt.date(2020, 10, 17), country="BRA", latitude=-22.9, longitude=-43.2)
    assert _place(south_west) == "22.90°S 43.20°W, Brazil"
    assert _place(make_event("AZE2", dt.date(2020, 10, 17), country="AZE")) == "Azerbaijan"  # nothing better to say
    assert _place(make_event("AZE3", dt.date(2020, 10, 17), country="AZE", location="Tartar", latitude=40.3, longitude=46.9)) == "Tartar, Azerbaijan"



def test_a_derived_value_is_said_without_pattern_or_file_names() -> None:
    # read on real Sudan, Myanmar and Afghanistan exports: "target\\_side Myanmar (actor side
    # (actors.yaml sides\\[8\\]); from actor2: Military Forces of Myanmar (2021-))" under every driver
    from riskengine.briefs.render import _derivation_said

    assert _derivation_said("target_side", "Myanmar", "actor side (actors.yaml sides[8])", "actor2: Military Forces of Myanmar (2021-)") == (
        "target side Myanmar (from the side of the second actor: the military forces of Myanmar)"
    )
    assert _derivation_said("target_category", "commercial", "notes word target_categories", "notes: ...Shops in Souk Jou were also looted...") == (
        "target category commercial (from a word in the notes: ...Shops in Souk Jou were also looted...)"
    )
    assert _derivation_said("injured", "81", "notes pattern figures.injured", "notes: 81 were wounded") == "injured 81 (from a figure in the notes: 81 were wounded)"
    assert _derivation_said("tags", "fires", "notes word tags.fires", "notes: ...set fire to the truck") == "tag fires (from a word in the notes: ...set fire to the truck)"
    # a method it does not know loses its file references only
    assert _derivation_said("admin1", "Kyiv", "gazetteer alias (gazetteer.yaml admin1)", "admin1: Kiev") == "region Kyiv (from the gazetteer: Kiev)"


def test_the_watchlist_names_the_class_a_score_is_close_to(markdown: dict[str, str]) -> None:
    # "overall at 1.87 (very low) is 0.13 below low (2.0)" (a real Mali export, 2018-W30) read as a
    # score below a low, not below the class
    assert "- overall at 5.73 (medium) is 0.27 below the high class (6.0)\n" in markdown["analyst"]
    assert not re.search(r"below (very )?(low|medium|high) \(", "".join(markdown.values()))



def test_a_count_one_text_gives_for_several_events_is_said_for_each() -> None:
    # a real Afghanistan export, 2020-W10: two clashes in Kunduz with 15 killed each read
    # "15 killed in Kunduz" (30 were killed); a Mali one, "1 killed in each of Dogofri and Pepa" (2 in Dogofri)
    assert _per_event("15 killed in Kunduz (armed clash): update advice.", 2) == "15 killed in each of 2 events in Kunduz (armed clashes): update advice."
    assert _per_event("15 killed in Kunduz (armed clash): update advice.", 1) == "15 killed in Kunduz (armed clash): update advice."
    # one count over a window, and text with no count, are the same whatever the events
    assert _per_event("Violence has reached 12 regions of Afghanistan in 30 days: widen advice.", 3) == "Violence has reached 12 regions of Afghanistan in 30 days: widen advice."
    assert _per_event("Civilians were attacked in Obe: review.", 3) == "Civilians were attacked in Obe: review."
    texts = ["32 killed in Kabul (armed clash): x.", _per_event("15 killed in Kunduz (armed clash): x.", 2), "15 killed in Imam Sahib (armed clash): x.", "15 killed in Tarnak (attack): x."]
    assert merge_action_texts(texts) == "32 killed in Kabul (armed clash); 15 in each of 2 events in Kunduz (armed clashes); 15 in each of Imam Sahib (armed clash) and Tarnak (attack): x."
    # what is left unnamed counts the events its phrases stand for
    more = [f"{n} killed in T{n} (attack): x." for n in (40, 30, 20, 10, 9)] + [_per_event("8 killed in Obe (attack): x.", 3), "7 killed in Qalat (attack): x."]
    assert merge_action_texts(more).endswith(" and 4 more events: x.")


# ---------------------------------------------------------------------------------------------
# A record that begins inside the brief's weeks


def test_a_rise_from_the_week_the_record_begins_says_so_in_the_bottom_line_as_the_alerts_do(sample: tuple[ScoreReport, list[Event]]) -> None:
    # An export that begins in the week before the brief's: the alerts said "the rise may be the
    # record starting", the bottom line said "up 3.1 from 1.4" and nothing more.
    from riskengine import api

    _, events = sample
    late = [e for e in events if e.event_date >= dt.date(2025, 6, 23)]  # from 2025-W26 on
    context = build_context(api.score(late, window="2025-W27", now=NOW), "ngo", late)
    note = "; the events read begin in 2025-W26, so the rise may be the record starting."
    assert context.bluf.sentence.endswith("led by humanitarian and security" + note)
    assert context.alerts is not None and all(a.headline.endswith(note) for a in context.alerts.raised)
    # the 12-week trend's zeros before the record are no calm
    assert [w.message for w in context.warnings if w.section == "trend"] == ["the events read begin in 2025-W26: the weeks before it score 0 for want of data, not for calm"]
    # from this week on: "begin this week"
    this_week = [e for e in events if e.event_date >= dt.date(2025, 6, 30)]
    context = build_context(api.score(this_week, window="2025-W27", now=NOW), "ngo", this_week)
    assert context.bluf.sentence.endswith("; the events read begin this week, so the rise may be the record starting.")
    # a fall in the week after the record's first says nothing of it
    context = build_context(api.score(late, window="2025-W28", now=NOW), "ngo", late)
    assert context.bluf.trend != "up" and "record starting" not in context.bluf.sentence


def test_a_record_begun_long_before_the_brief_adds_no_note(briefs: dict[str, BriefContext]) -> None:
    for context in briefs.values():
        assert "record starting" not in context.bluf.sentence
        assert not [w for w in context.warnings if w.section == "trend"]


def test_talks_between_one_party_and_itself_are_not_said_between_one_party() -> None:
    from riskengine.briefs.render import _summary

    talks = {"country": "LBY", "event_type": "Strategic developments", "location": "Tripoli", "diplomatic_kind": "talks", "diplomatic_status": "held"}
    same = make_event("LBY1", dt.date(2025, 7, 2), actor1="Unidentified Armed Group (Libya)", actor2="Unidentified Armed Group (Libya)", **talks)
    assert _summary(same).endswith("talks held between two unidentified armed groups in Libya")
    named = make_event("LBY2", dt.date(2025, 7, 2), actor1="Government of Libya (2021-)", actor2="Government of Libya (2021-)", **talks)
    assert _summary(named).endswith("talks held (the government of Libya)")
    # an affiliate filed under a town reads as prose
    town = make_event("LBY3", dt.date(2025, 7, 2), actor1="Islamic State (Tripoli)", actor2="Government of Libya (2021-)", **talks)
    assert _summary(town).endswith("talks held between Islamic State in Tripoli and the government of Libya")


def test_the_cli_brief_reads_where_the_record_begins_from_every_event_read_not_those_it_names(tmp_path: typing.Any, capsys: pytest.CaptureFixture[str]) -> None:
    # The CLI streams the files and keeps only the events a brief names: a real Somalia export of
    # April 2025 to March 2026 was said to "begin in 2026-W05" (bottom line and trend) when the
    # earliest event kept was taken for the record's start.
    from riskengine import api
    from riskengine.cli.app import main

    early = make_event("EARLY1", dt.date(2025, 3, 5), country="UKR", event_type="Protests", sub_event_type="Peaceful protest", location="Lviv")
    late = [e for e in api.read_events() if e.event_date >= dt.date(2025, 6, 23)]
    events = tmp_path / "events.jsonl"
    events.write_text("".join(e.model_dump_json(exclude_none=True) + "\n" for e in [early, *late]), encoding="utf-8")
    assert main(["brief", str(events), "--week", "2025-W27", "--format", "md", "--stakeholder", "ngo", "--now", NOW, "-o", str(tmp_path)]) == 0
    text = (tmp_path / "2025-W27-ngo.md").read_text(encoding="utf-8")
    assert "events read begin" not in text and "events read begin" not in capsys.readouterr().err
    # without the early event the record does begin in 2025-W26, and the brief says so
    events.write_text("".join(e.model_dump_json(exclude_none=True) + "\n" for e in late), encoding="utf-8")
    assert main(["brief", str(events), "--week", "2025-W27", "--format", "md", "--stakeholder", "ngo", "--now", NOW, "-o", str(tmp_path)]) == 0
    assert "the events read begin in 2025-W26, so the rise may be the record starting" in (tmp_path / "2025-W27-ngo.md").read_text(encoding="utf-8")


def test_a_drivers_headline_states_the_target_the_source_gave_not_one_derived_from_its_notes() -> None:
    from riskengine.briefs.render import _summary
    from riskengine.core.events import Derivation

    notes = "Government soldiers shot and killed a civilian taxi driver at a checkpoint in the town."
    word = Derivation(field="target_category", value="military", method="notes word target_categories", evidence="...a taxi driver at a checkpoint in the town...")
    shot = make_event("SOM1", dt.date(2026, 2, 8), country="SOM", event_type="Violence against civilians", sub_event_type="Attack", location="Baidoa", fatalities=1, notes=notes, target_category="military", derived=[word])
    assert _summary(shot) == "2026-02-08, Baidoa, Somalia: Attack; 1 killed"
    # a target the source gave is said
    given = shot.model_copy(update={"derived": []})
    assert _summary(given) == "2026-02-08, Baidoa, Somalia: Attack on military targets; 1 killed"


def test_the_firings_an_action_leaves_unlisted_are_counted_as_firings_not_places() -> None:
    # A real Somalia export: "Arabow (SOM55278); ...; Arabow (SOM55341); and 16 more" counted
    # parts, which name a place twice when its firings are worded apart; 24 firings in 12 parts of 2.
    events = make_events()
    towns = [make_event(f"K{i:02d}", dt.date(2025, 7, 2), country="UKR", location=f"Town {i // 2:02d}", fatalities=i // 2 + 1) for i in range(24)]
    events += towns
    by_id = {e.event_id: e for e in events}
    current = [contribution(by_id, "ngo", "deadly", "humanitarian", [e.event_id], float(e.fatalities), f"{e.fatalities} killed in {e.location}: check care.") for e in towns]
    context = build_context(scored(events, current, weights={"humanitarian": 1.0}, saturation=5.0, regions=["UKR"]), "ngo", events)
    (action,) = context.actions
    assert (action.firings, len(action.parts), action.more_parts, action.more_firings) == (24, 10, 2, 4)
    assert [p.firings for p in action.parts] == [2] * 10
    assert "Built from 24 firings, largest first: Town 11 (K22, K23); " in render_brief(context, "md")
    assert "; and 4 more firings.\n" in render_brief(context, "md")


def test_targets_of_one_name_in_different_places_are_not_one_target_hit_twice() -> None:
    # A real Myanmar export: "Township Police Station: hit 2 times" for a bomb in Myawaddy in June
    # and one in Yangon in October, two stations hundreds of kilometres apart.
    events = make_events()
    station = {"country": "MMR", "target_name": "Township Police Station", "event_type": "Explosions/Remote violence"}
    events += [
        make_event("M1", dt.date(2025, 3, 1), location="Myawaddy", **station),
        make_event("M2", dt.date(2025, 7, 3), location="Thingangyun", **station),
        make_event("M3", dt.date(2025, 7, 4), location="Thingangyun", **station),
    ]
    report = make_report(events)
    context = build_context(report, "analyst", events)
    stations = [r for r in context.watchlist.repeat_targets if r.target_name == "Township Police Station"]
    assert [(r.place, r.hits, r.recent_event_ids) for r in stations] == [("Thingangyun", 2, ["M2", "M3"])]
    assert "- Township Police Station in Thingangyun: hit 2 times (2025-07-03, 2025-07-04), 2 this week" in render_brief(context, "md")
    # one place, or none named: one target, as before (the Kupol plant, once without a place)
    kupol = [r for r in context.watchlist.repeat_targets if r.target_name == "Kupol Electromechanical Plant"]
    assert [(r.place, r.hits) for r in kupol] == [(None, 2)]


def test_a_total_the_notes_of_several_events_repeat_is_not_said_for_each() -> None:
    # A real Sudan export: each day's clash around Kulbus noted "At least 126 people were killed
    # during the clashes and 133 were wounded"; the NGO brief said "133 people were injured in
    # each of 6 events in Kulbus".
    from riskengine.core.events import Derivation

    total = "At least 126 people were killed during the clashes and 133 were wounded."
    wounded = Derivation(field="injured", value=133, method="notes pattern figures.injured", evidence="notes: 133 were wounded")
    days = [
        make_event(f"D{i}", dt.date(2025, 6, 30 + i) if i < 1 else dt.date(2025, 7, i), country="SDN", event_type="Battles", location="Kulbus", injured=133, notes=f"Day {i}. {total}", derived=[wounded])
        for i in range(3)
    ]
    text = "133 people were injured in Kulbus: support first aid."
    assert _per_event(text, 3, days) == "133 people were injured in Kulbus, one figure the notes of 3 events repeat: support first aid."
    # figures of their own (given by the source, or read from different passages) are each event's
    own = [d.model_copy(update={"derived": []}) for d in days]
    assert _per_event(text, 3, own) == "133 people were injured in each of 3 events in Kulbus: support first aid."
    apart = [d.model_copy(update={"derived": [wounded.model_copy(update={"evidence": f"notes: day {i}, 133 were wounded"})]}) for i, d in enumerate(days)]
    assert _per_event(text, 3, apart) == "133 people were injured in each of 3 events in Kulbus: support first aid."


def test_a_steep_fall_in_the_events_recorded_is_said_to_be_perhaps_a_gap_in_reporting(sample: tuple[ScoreReport, list[Event]]) -> None:
    # A real Bangladesh export: 179 events in 2024-W29, 9 in 2024-W30 (curfew, internet blackout),
    # 228 in 2024-W31; the 2024-W30 briefs read "very low, down 7.4" and nothing more.
    report, events = sample
    gap = report.model_copy(update={"events_in_window": 9, "events_in_previous_window": 179})
    sentence = build_context(gap, "ngo", events).bluf.sentence
    assert sentence.endswith(". Only 9 events were recorded this week, against 179 the week before: so steep a fall may be a gap in reporting (a blackout, a coding lag), not calm.")
    # a quarter and a bit, or a quiet week after a quiet week, is no gap
    for now, before in ((45, 179), (1, 19)):
        quiet = report.model_copy(update={"events_in_window": now, "events_in_previous_window": before})
        assert "gap in reporting" not in build_context(quiet, "ngo", events).bluf.sentence


def test_a_running_window_count_read_on_several_days_is_its_highest_reading_whole() -> None:
    # A real Bangladesh export (2024-W29): four sentences "The 30-day death toll in Bangladesh (139)
    # is the highest in 587 days; ... (55) ... 586 days; ..." for one toll read on four days.
    texts = [f"The 30-day death toll in Bangladesh ({n}) is the highest in {d} days: review evacuation planning." for n, d in ((139, 587), (55, 586), (186, 588), (205, 589))]
    # the toll and its record from one day, never a toll of one day beside another day's record
    assert merge_action_texts(texts) == "The 30-day death toll in Bangladesh (205) is the highest in 589 days: review evacuation planning."
    # the highest toll leads, not the longest record: a toll that fell keeps the record it had
    fell = [f"Toll in Mali ({n}) is the highest in {d} days: x." for n, d in ((9, 90), (4, 95))]
    assert merge_action_texts(fell) == "Toll in Mali (9) is the highest in 90 days: x."
    # different words are not taken for readings of one count
    assert "1,200" in merge_action_texts(["Toll in Mali (1,200) is the highest in 90 days: x.", "Toll in Chad (4) is the highest in 91 days: x."])
    # ... also when the phrase begins with the count (the NGO's wording of the same toll)
    ngo = [f"{n} killed in Bangladesh in 30 days, more than at any time in {d} days: scale up." for n, d in ((139, 587), (55, 586), (205, 589))]
    assert merge_action_texts(ngo) == "205 killed in Bangladesh in 30 days, more than at any time in 589 days: scale up."


def test_two_measures_from_one_outlet_are_not_a_dispute() -> None:
    # Regression (session 13 tour): the sample's Kyiv night gave "drones intercepted in Kyiv:
    # 268-476 (Novaya Gazeta Europe: 268; Novaya Gazeta Europe: 476)": one outlet's figures for
    # drones shot down and for drones shot down or jammed, shown as sources disagreeing.
    one_outlet = [
        {"field": "drones_intercepted", "value": 268, "source": "Outlet A", "claimed_by": "Ukraine"},
        {"field": "drones_intercepted", "value": 476, "source": "Outlet A", "claimed_by": "Ukraine"},
    ]
    assert disputed_figures(make_event("A", dt.date(2025, 7, 1), drones_intercepted=476, figures=one_outlet)) == []
    repeated = [*one_outlet, {"field": "drones_intercepted", "value": 476, "source": "Outlet B"}]
    assert disputed_figures(make_event("B", dt.date(2025, 7, 1), drones_intercepted=476, figures=repeated)) == []
    disagreeing = [*one_outlet, {"field": "drones_intercepted", "value": 300, "source": "Outlet B"}]
    (dispute,) = disputed_figures(make_event("C", dt.date(2025, 7, 1), drones_intercepted=476, figures=disagreeing))
    assert (dispute.low, dispute.high) == (268, 476)


def test_countries_are_named_for_the_reader_and_kept_as_codes_in_the_json(briefs: dict[str, BriefContext], markdown: dict[str, str], html: dict[str, str]) -> None:
    # A real Somalia export: the region table read "SOM (of interest)", the map's list
    # "Arabow (SOM)", its outline "outlined: SOM" and the drivers "Baidoa, Bay (SOM)".
    context, md, page = briefs["ngo"], markdown["ngo"], html["ngo"]
    assert [r.name for r in context.regions][:1] == ["UKR"]  # the JSON keeps the codes
    assert "| Ukraine (UKR) (of interest) |" in md and "<td>Ukraine (UKR) <abbr" in page
    assert not re.search(r"\| (UKR|RUS|TUR)\b", md)
    assert "- Kyiv (Ukraine): " in md and "outlined: regions of interest (Moldova, Romania, Ukraine)" in md
    assert "(UKR)" not in md.replace("Ukraine (UKR)", "")
    ukraine = next(c for c in context.trend_charts.regions if c.name == "UKR")
    assert ukraine.label == "Ukraine" and "- Ukraine (region of interest) `" in md
    assert "Kyiv, Ukraine" in md or "Kyiv (Ukraine)" in md


def test_a_rule_from_a_document_on_another_war_is_cited_as_a_general_rule_drawn_from_it() -> None:
    # Real Somalia and Myanmar exports: "Cites `ngo-civilian-deaths` (seed 000, ...)" sent a reader
    # in Somalia to an analysis of Ukraine's drone strike on Izhevsk as if it reported Somalia.
    events = make_events()
    events += [make_event("SOM1", dt.date(2025, 7, 2), country="SOM", location="Baidoa", fatalities=2)]
    by_id = {e.event_id: e for e in events}
    text = "Civilians were killed: support the families."
    current = [contribution(by_id, "ngo", "deaths", "humanitarian", ["SOM1"], 2.0, text)]
    context = build_context(scored(events, current, weights={"humanitarian": 1.0}, saturation=5.0, regions=["SOM"]), "ngo", events)
    (cite,) = context.actions[0].rules
    assert cite.general and (cite.rule_file, cite.rule_line, cite.document) == ("rules/investor.yaml", 12, "000")
    md, page = render_brief(context, "md"), render_brief(context, "html")
    said = "a general rule drawn from seed 000, “Recommendations for Stakeholders, 1”, an analysis about the war between Russia and Ukraine, not about these events"
    assert f"- Cites `deaths` (rules/investor.yaml:12, {said})." in md
    assert said.replace("seed 000", '<a href="#doc-000">seed 000</a>') in page
    (seed,) = [d for d in context.documents if d.document == "000"]
    assert seed.general and seed.about == "the war between Russia and Ukraine"
    assert "It reports on the war between Russia and Ukraine, not on the events of this brief: the rules drawn from it (deaths) apply its recommendations as general rules" in md
    # the same rule firing in the document's own theatre is drawn from it, nothing more
    current = [contribution(by_id, "ngo", "deaths", "humanitarian", ["UKR1"], 2.0, text)]
    context = build_context(scored(events, current, weights={"humanitarian": 1.0}, saturation=5.0, regions=["UKR"]), "ngo", events)
    (cite,) = context.actions[0].rules
    assert not cite.general and cite.cited_as == "rules/investor.yaml:12, drawn from seed 000, “Recommendations for Stakeholders, 1”"
    assert not any(d.general for d in context.documents) and "general rule" not in render_brief(context, "md")


def test_a_figure_the_notes_give_as_a_total_is_said_to_be_read_and_not_used() -> None:
    # A real Sudan export: notes of daily clashes quoting "133 were wounded" over six days; the
    # total is not the event's, and the brief now says why the figure in its notes is not counted.
    from riskengine.core.events import NOT_USED, Derivation

    total = Derivation(field="injured", value=133, method=f"{NOT_USED}notes pattern figures.injured, a total over a period", evidence="notes: 133 people were injured over the six days.")
    events = make_events()
    events += [make_event("SDN1", dt.date(2025, 7, 2), country="SDN", location="Omdurman", fatalities=2, notes="Protesters were shot. 133 people were injured over the six days.", derived=[total])]
    by_id = {e.event_id: e for e in events}
    current = [contribution(by_id, "ngo", "deaths", "humanitarian", ["SDN1"], 2.0, "People were killed: support the families.")]
    context = build_context(scored(events, current, weights={"humanitarian": 1.0}, saturation=5.0, regions=["SDN"]), "ngo", events)
    (shown,) = context.drivers[0].derived
    assert not shown.used and shown.said == "injured 133, a total over a period, not this event's own (“133 people were injured over the six days.”)"
    md, page = render_brief(context, "md"), render_brief(context, "html")
    assert "   - Read in the notes but not used: injured 133, a total over a period, not this event's own (“133 people were injured over the six days.”)\n" in md
    assert "Derived, not in the source" not in md and "Read in the notes but not used: injured 133" in page


def test_a_rule_worded_two_ways_names_the_places_of_each_wording_once() -> None:
    # A real Ukraine 2022 export, investor brief: one rule worded for damage or for fire gave 55
    # whole sentences after "Also:", each naming one town.
    damage = [f"Check the offices and warehouses in {town}, where the strike damaged buildings." for town in ("Aton", "Bexa", "Cirn", "Dolo", "Emme", "Fara", "Gisk")]
    fire = [f"Check fire safety for offices and warehouses in {town}." for town in ("Hove", "Irsk", "Jova")]
    assert merge_action_texts(damage + fire) == (
        "Check the offices and warehouses in Aton, Bexa, Cirn, Dolo, Emme and 2 more places, where the strike damaged buildings. "
        "Also: Check fire safety for offices and warehouses in Hove, Irsk and Jova."
    )


def test_advice_first_texts_of_a_busy_week_give_each_count_with_its_place_largest_first() -> None:
    # The same export: "Review shelter procedures ... in Yavoriv Combat Training Center: 35 people
    # were killed in one attack. Also: ... in Kreminna: 56 people ..." for ten attacks, and the 35
    # before the 56 (the size looked for a figure before the colon only).
    from riskengine.briefs.render import _first_number

    texts = [f"Review shelter for staff in {town}: {n} people were killed in one attack." for town, n in (("Aton", 56), ("Bexa", 35), ("Cirn", 22), ("Dolo", 13), ("Emme", 10), ("Fara", 10), ("Gisk", 10))]
    assert _first_number(texts[0]) == 56 and _first_number("35 killed in Aton: check care.") == 35
    assert merge_action_texts(texts) == (
        "Review shelter for staff in Aton, Bexa, Cirn, Dolo and Emme: 56 people were killed in one attack in Aton, 35 in one attack in Bexa, "
        "22 in one attack in Cirn, 13 in one attack in Dolo and 10 in one attack in Emme. And 2 more like these."
    )


def test_a_place_bracketed_by_its_own_name_is_named_once_and_a_shelled_list_counts_places() -> None:
    # The real Ukraine 2022-W10 NGO brief: "Shelling of Zolote-5 and Severodonetsk (Luhansk);
    # Kharkiv (Kharkiv); Sumy (Sumy); Mariupol (Donetsk); and 113 others threatens ...".
    text = "Shelling of {} threatens access near the front: re-check routes."
    towns = ["Zolote-5 (Luhansk)", "Kharkiv (Kharkiv)", "Sumy (Sumy)", "Severodonetsk (Luhansk)", "Mariupol (Donetsk)", "Izium (Kharkiv)", "Okhtyrka (Sumy)"]
    assert merge_action_texts([_as_prose(text.format(t), []) for t in towns]) == (
        "Shelling of Zolote-5 (Luhansk), Kharkiv, Sumy, Severodonetsk (Luhansk), Mariupol (Donetsk) and 2 more places threatens access near the front: re-check routes."
    )
    assert _as_prose("Shelling of Kyiv City (Kyiv City).", []) == "Shelling of Kyiv City."
    assert _as_prose("Fighting in Izium (Kharkiv).", []) == "Fighting in Izium (Kharkiv)."


def test_one_attacks_words_said_of_several_places_are_made_plural() -> None:
    # The real Ukraine 2022-W10 government brief: "Condemn the attack on Kreminna (56 killed),
    # Sumy (22 killed), ... and 1 more place, support the documentation of it, ...".
    text = "Condemn the attack on {} ({} killed), support the documentation of it, and back calls for a ceasefire."
    assert merge_action_texts([text.format(t, n) for t, n in (("Aton", 56), ("Bexa", 22))]) == (
        "Condemn the attacks on Aton (56 killed) and Bexa (22 killed), support the documentation of them, and back calls for a ceasefire."
    )
    assert merge_action_texts([text.format("Aton", 56)]) == text.format("Aton", 56)


def test_rule_wording_fits_several_places_and_what_the_rule_counts() -> None:
    # "pre-position supplies in case the town is cut off" was printed after a list of several
    # shelled places; "forces stretched across more fronts" under a count of political violence
    # of every kind (attacks on civilians in an election's riots among them), which is what
    # country_admin1_hit_30d counts. Text only: conditions and points are unchanged.
    from riskengine import api
    from riskengine.checks.ruletest import recommendation_for

    rules = {r.id: r for r in api.load_rules().rules}
    shelled = [
        make_event(f"F{i}", WEEK.start, event_type="Explosions/Remote violence", country="UKR", location=place, admin1=region)
        for i, (place, region) in enumerate([("Huliaipole", "Zaporizhzhia"), ("Kupiansk", "Kharkiv")])
    ]
    texts = [recommendation_for(rules["ngo-frontline-access"], [e]) or "" for e in shelled]
    merged = merge_action_texts(texts)
    assert "Huliaipole" in merged and "Kupiansk" in merged
    assert "the town" not in merged, merged
    spread = make_event("W1", WEEK.start, event_type="Battles", country="KEN", fatalities=2, country_admin1_hit_30d=7)
    text = recommendation_for(rules["ana-front-widening"], [spread]) or ""
    assert text.startswith("Political violence has hit 7 regions of Kenya in 30 days"), text
    assert "fronts" not in text and "forces" not in text, text


def test_merged_actions_never_split_a_place_name_the_places_share_a_word_of() -> None:
    # A real Gaza 2023 export: every place begins "Gaza - ", so the shared leading words ran into
    # the names: "Civilians were the target in Gaza - Ash Shati' Camp; Civilians were the target in
    # Gaza - Shujaiyya; ...", "Map cargo that moves through Gaza Port and - Tal el Hawa",
    # "Condemn the attack on Gaza - Nasr (53 killed), - Shujaiyya (17 killed)".
    places = ("Gaza - Ash Shati' Camp", "Gaza - Shujaiyya", "Gaza", "Gaza - Nasr")
    assert merge_action_texts([f"Civilians were the target in {p}: document each attack." for p in places]) == (
        "Civilians were the target in Gaza - Ash Shati' Camp, Gaza - Shujaiyya, Gaza and Gaza - Nasr: document each attack."
    )
    assert merge_action_texts([f"Map cargo that moves through {p} and the other ports." for p in ("Gaza Port", "Gaza - Tal el Hawa")]) == (
        "Map cargo that moves through Gaza Port and Gaza - Tal el Hawa and the other ports."
    )
    condemned = merge_action_texts([f"Condemn the attack on {p} ({n} killed), support the documentation of it." for p, n in (("Gaza - Nasr", 53), ("Gaza - Shujaiyya", 17))])
    assert "Gaza - Shujaiyya (17 killed)" in condemned and ", - " not in condemned


def test_counts_at_one_place_from_one_attack_each_are_separate_attacks() -> None:
    # A real Gaza 2023 export: "53 and 15 people were killed in separate events in one attack in
    # Nasr", after "staff in Gaza - Nasr, Shujaiyya, Nasr, ..." naming Nasr twice.
    shelter = ((53, "Gaza - Nasr"), (17, "Gaza - Shujaiyya"), (15, "Gaza - Nasr"))
    said = merge_action_texts([f"Review shelter procedures for staff in {p}: {n} people were killed in one attack." for n, p in shelter])
    assert "in separate events in one attack" not in said
    assert "53 and 15 people were killed in separate attacks in Gaza - Nasr" in said
    assert said.count("Gaza - Nasr,") + said.count("Gaza - Nasr and") == 1


def test_places_with_their_own_clauses_are_not_listed_as_names() -> None:
    # A real world export of 2020: "A strike at Maraanaz landed 8, Qazali landed 7, Haftanin landed
    # 3 and 1 more place km from NATO territory" (the words between were clauses, not places).
    texts = [f"A strike at {p} landed {k} km from NATO territory. Agree with the Allies how to respond." for p, k in (("Izmail", 1), ("Reni", 5), ("Kiliia", 8))]
    said = merge_action_texts(texts)
    assert "landed 1 km" in said and "landed 5 km" in said and "Reni landed 5, " not in said


def test_a_place_with_a_figure_after_a_comma_is_no_name_and_a_plural_drops_its_article() -> None:
    # The 2020 world export: "A strikes at Qazali, 7, Quamishli, 2 and Tell Abiad, 0 km from NATO
    # territory, puts spill-over into a NATO member on the table".
    texts = [f"A strike at {p}, {k} km from NATO territory, puts spill-over on the table: review plans." for p, k in (("Qazali", 7), ("Quamishli", 2))]
    said = merge_action_texts(texts)
    assert "A strikes" not in said and "Qazali, 7 km from NATO territory" in said and "Quamishli, 2 km from NATO territory" in said
    assert merge_action_texts([f"A protest in {p}: allow for delays." for p in ("Khartoum", "Omdurman")]) == "Protests in Khartoum and Omdurman: allow for delays."


def test_condemned_attacks_at_long_place_names_are_named_once() -> None:
    # Gaza 2023-W45: "Gaza - Ash Shati' Camp (15 killed)" is 7 words with its bracket, over the
    # 6 a place may take, so five attacks became five whole sentences after "Also:".
    places = (("Gaza - Nasr", 53), ("Gaza - Shujaiyya", 17), ("Gaza - Ash Shati' Camp", 15))
    said = merge_action_texts([f"Condemn the attack on {p} ({n} killed), support the documentation of it." for p, n in places])
    assert said == "Condemn the attacks on Gaza - Nasr (53 killed), Gaza - Shujaiyya (17 killed) and Gaza - Ash Shati' Camp (15 killed), support the documentation of them."


def test_firings_that_differ_only_in_dates_give_each_date_as_its_range() -> None:
    # Gaza 2023-W45: a repeat-strike rule fires once per earlier strike, and the action read "Gaza
    # Port was struck on 2023-10-14, 2023-11-04, 2023-11-05, 2023-10-07, 2023-10-08 and 156 more
    # places and again on 2023-11-09" (dates out of order, counted as places, one repeat date for all).
    firsts = [f"2023-10-{d:02d}" for d in (14, 7, 8, 21, 9)] + ["2023-11-04"]
    repeats = ("2023-11-09", "2023-11-06")
    texts = [f"Gaza Port was struck on {f} and again on {r}: treat sites near it as recurring targets." for r in repeats for f in firsts]
    assert merge_action_texts(texts) == (
        "Gaza Port was struck on 6 dates from 2023-10-07 to 2023-11-04 and again on 2023-11-06 and 2023-11-09: treat sites near it as recurring targets."
    )
    assert merge_action_texts([f"Kupol was hit on {f} and again on 2025-07-01: compare damage." for f in ("2025-03-02", "2024-11-17")]) == (
        "Kupol was hit on 2024-11-17 and 2025-03-02 and again on 2025-07-01: compare damage."
    )


def test_repeats_counted_once_per_strike_are_told_as_one_run_of_dates() -> None:
    # Gaza 2023-W45 after once_per: each firing pairs a strike with the one before it, and the
    # merged action read "Gaza Port was hit on 7 dates from 2023-11-05 to 2023-11-11 and again on
    # 7 dates from 2023-11-06 to 2023-11-12", as if fourteen strikes.
    days = [f"2023-11-{d:02d}" for d in range(5, 13)]
    texts = [f"Gaza Port was hit on {a} and again on {b}: compare damage between strikes." for a, b in itertools.pairwise(days)]
    assert merge_action_texts(texts) == (
        "Gaza Port was hit on 2023-11-05 and again on 7 dates from 2023-11-06 to 2023-11-12: compare damage between strikes."
    )
    # a gap breaks the run: pairs that do not link keep every date of each slot
    gapped = [f"Kupol was hit on {a} and again on {b}: compare damage." for a, b in (("2025-03-02", "2025-03-09"), ("2025-04-01", "2025-04-05"))]
    assert merge_action_texts(gapped) == "Kupol was hit on 2025-03-02 and 2025-04-01 and again on 2025-03-09 and 2025-04-05: compare damage."


def test_an_overall_from_one_dimension_does_not_print_its_sum_twice() -> None:
    # A real Bangladesh 2024-W31 analyst brief: "where X = 7.040 = 7.040".
    from riskengine.briefs.render import overall_sentence

    one = overall_sentence(6.47, [("escalation", 7.04), ("military", 0.0), ("diplomatic", 0.0)], 7.04, 1.0)
    assert "where X = 7.040, the escalation share alone:" in one and "= 7.040 =" not in one
    two = overall_sentence(4.28, [("a", 1.314), ("b", 0.739)], 2.053, 1.0)
    assert "where X = 1.314 + 0.739 = 2.053:" in two


def test_condemned_attacks_left_over_are_counted_as_attacks() -> None:
    # Gaza 2023-W45: "Condemn the attacks on Gaza - Nasr (53 killed), ..., Gaza - Nasr (15 killed),
    # ... and 9 more places": Nasr was named twice, so what is left over is attacks.
    text = "Condemn the attack on {} ({} killed), support the documentation of it."
    said = merge_action_texts([text.format(p, n) for p, n in (("Nasr", 53), ("Shujaiyya", 17), ("Nasr", 15), ("Remal", 15), ("Tuffah", 14), ("Sabra", 12), ("Zaytun", 11))])
    assert "and 2 more attacks, support the documentation of them." in said
