"""Session 16's reading of the briefs on real exports: what several firings of one rule say
together (issue 15). The texts are written for these tests, in the rules' present wording."""

import datetime as dt

from test_briefs import make_event, make_events, make_report

from riskengine.briefs.render import build_context, merge_action_texts, render_brief

_SITES = "check building resilience and the security of offices, warehouses and data centres there."


def test_damage_at_several_places_is_one_list_not_one_strike() -> None:
    # "in Sheebaab and Baidoa, where the strike damaged buildings or vehicles": a mortar round on
    # a mast and an IED at a gate read as one strike (a real Somalia export, 2026-W13)
    texts = [f"Property was damaged in {p}: {_SITES}" for p in ("Sheebaab", "Baidoa")]
    assert merge_action_texts(texts) == f"Property was damaged in Sheebaab and Baidoa: {_SITES}"
    many = [f"Property was damaged in P{i}: {_SITES}" for i in range(7)]
    assert merge_action_texts(many) == f"Property was damaged in P0, P1, P2, P3, P4 and 2 more places: {_SITES}"


def test_damage_and_fires_read_as_two_facts_of_one_sentence_each() -> None:
    # was "... where the strike damaged buildings or vehicles. Also: Check fire safety ..." (a
    # real Myanmar export, 2021-W36): a capital after "Also:" and the fire places after the advice
    fire = "check fire safety and building resilience for offices, warehouses and data centres there."
    texts = [f"Property was damaged in {p}: {_SITES}" for p in ("Ayadaw", "Pauk")] + [f"Fires were reported in {p}: {fire}" for p in ("Long Hkan", "Magway")]
    merged = merge_action_texts(texts)
    assert merged.startswith(f"Property was damaged in Ayadaw and Pauk: {_SITES}")
    assert "Fires were reported in Long Hkan and Magway: check fire safety" in merged
    assert "where the strike" not in merged


def test_homes_damaged_and_fires_share_the_ngo_advice_once() -> None:
    advice = "check whether families there need search and rescue, emergency shelter or repair kits."
    texts = [f"Fires were reported in {p}: {advice}" for p in ("Gaza", "Sheikh Radwan")] + [f"Homes or civilian buildings were damaged in Nasr: {advice}"]
    merged = merge_action_texts(texts)
    assert merged.endswith(f": {advice}") and merged.count(advice) == 1
    assert "Fires were reported in Gaza and Sheikh Radwan" in merged and "damaged in Nasr" in merged


def test_a_running_count_read_on_several_days_is_never_a_span() -> None:
    # "60 to 61 armed groups", "22 to 26 regions", "241 to 335 killed in Kenya in 30 days"
    # (real Somalia 2026-W13 and Kenya 2007-W52 exports) read as counts nobody could settle
    groups = [f"{n} armed groups were active in Somalia in 30 days: map who controls the routes to {p}." for n, p in ((60, "Waajid"), (61, "Shaw"), (60, "Mubaarak"))]
    merged = merge_action_texts(groups)
    assert merged == "61 armed groups were active in Somalia in 30 days: map who controls the routes to Waajid, Shaw and Mubaarak."
    toll = [f"{n} killed in Kenya in 30 days, more than at any time in 1,095 days: scale up." for n in (241, 335)]
    assert merge_action_texts(toll) == "335 killed in Kenya in 30 days, more than at any time in 1,095 days: scale up."


def test_a_packs_own_sentence_inside_a_list_keeps_no_capital() -> None:
    # "Fires were reported in Long Hkan; Homes or civilian buildings were damaged in Thantlang"
    # (a real Myanmar export, 2021-W36)
    advice = "check whether families there need repair kits."
    texts = [f"Fires were reported in {p}: {advice}" for p in ("Long Hkan", "Pauk")] + [f"Homes or civilian buildings were damaged in {p}: {advice}" for p in ("Thantlang", "Magway")]
    merged = merge_action_texts(texts)
    assert "Fires were reported in Long Hkan and Pauk; homes or civilian buildings were damaged in Thantlang and Magway" in merged
    # a name keeps its capital
    named = merge_action_texts([f"Fires were reported in Aton: {advice}", f"Al Shabaab attacked civilians at Bexa: {advice}"])
    assert "; Al Shabaab attacked" in named


def test_two_attacks_at_one_place_are_never_one_attack() -> None:
    # "17 and 15 people were killed in one attack": two attacks, coded to the country alone (a
    # real Caucasus export, 2020-W40)
    texts = [f"Review shelter procedures for staff in Azerbaijan: {n} people were killed in one attack." for n in (17, 15)]
    assert merge_action_texts(texts) == "Review shelter procedures for staff in Azerbaijan: 17 and 15 people were killed in separate attacks."
    three = [f"Review shelter procedures for staff in Azerbaijan: {n} people were killed in one attack." for n in (17, 15, 9)]
    assert merge_action_texts(three) == "Review shelter procedures for staff in Azerbaijan: 17, 15 and 9 people were killed in separate attacks."


def test_actors_that_share_words_of_their_names_are_listed_each_with_its_places() -> None:
    # four whole clauses, "an unidentified armed group in Bangladesh attacked civilians at
    # Rajshahi; an unidentified armed group in Bangladesh attacked civilians at Sarishabari; ..."
    # (a real South Asia export, 2015-W51)
    said = [("Bangladesh", "Rajshahi"), ("Bangladesh", "Sarishabari"), ("India", "Mandya"), ("India", "Ramanagara")]
    texts = [f"An unidentified armed group in {c} attacked civilians at {p}: track it." for c, p in said]
    texts.append("The Maoists attacked civilians at Rajnandgaon: track it.")
    assert merge_action_texts(texts) == (
        "An unidentified armed group in Bangladesh attacked civilians at Rajshahi and Sarishabari; "
        "an unidentified armed group in India attacked civilians at Mandya and Ramanagara; "
        "the Maoists attacked civilians at Rajnandgaon: track it."
    )


def test_a_site_named_after_its_place_is_not_said_in_itself() -> None:
    # "Gaza Port in Gaza Port: hit 135 times" (a real Gaza export, 2024-W28): the port's hits
    # were coded at two places, so each is named with its place, but not the place it is named for
    events = make_events()
    port = {"country": "PSE", "target_name": "Gaza Port", "event_type": "Explosions/Remote violence"}
    events += [
        make_event("G1", dt.date(2025, 3, 1), location="Gaza - Tal el Hawa", **port),
        make_event("G2", dt.date(2025, 3, 2), location="Gaza - Tal el Hawa", **port),
        make_event("G3", dt.date(2025, 7, 3), location="Gaza Port", **port),
        make_event("G4", dt.date(2025, 7, 4), location="Gaza Port", **port),
    ]
    context = build_context(make_report(events), "analyst", events)
    ports = [(r.place, r.hits) for r in context.watchlist.repeat_targets if r.target_name == "Gaza Port"]
    assert ports == [(None, 2)]
    md = render_brief(context, "md")
    assert "- Gaza Port: hit 2 times" in md and "Gaza Port in Gaza Port" not in md
