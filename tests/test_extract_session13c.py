"""Classes of failure left by blind10 and blind11 (session 13c): troop deployments told in the
passive or as a noun, talks placed where they are held, incident-log entries whose town the
gazetteer lacks. Each test is written on text of other wars than the article that showed it."""

from __future__ import annotations

import pytest

from riskengine.ingest.extract.articles import Extractor


def _events(extractor: Extractor, body: str, country: str | None = None) -> list[tuple[str, str | None, str]]:
    head = "---\ndate: 2025-03-04\n" + (f"country: {country}\n" if country else "") + "---\n"
    return [(x.provenance["kind"], x.event.location, x.event.country) for x in extractor.extract_text(head + body + "\n", "s.txt")]


# -- troop deployments -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, country, place",
    [
        # a force named by its units, in the passive
        ("Special forces and additional police units were deployed to Goma overnight.", None, "Goma"),
        ("Commandos and additional gendarmerie units were deployed to Maiduguri overnight.", None, "Maiduguri"),
        # "the sending of ... to", "military" as a noun
        ("The ministry announced the sending of 1,200 additional military to Tumaco to reinforce the operation.", "COL", "Tumaco"),
        # "the deployment of X to Y": the place far from the verb
        ("The ministry announced the deployment of 300 additional soldiers of the 5th Brigade to Tumaco following the attacks.", "COL", "Tumaco"),
        # a reporter vouching for it ("I can confirm that") is no hypothesis
        ("I can confirm that additional army platoons have been deployed to Maiduguri today.", None, "Maiduguri"),
    ],
)
def test_a_troop_deployment_told_in_the_passive_or_as_a_noun(extractor: Extractor, body: str, country: str | None, place: str) -> None:
    assert ("troop_deployment", place) in [(k, loc) for k, loc, _ in _events(extractor, body, country)]


def test_a_company_sending_a_statement_is_no_deployment(extractor: Extractor) -> None:
    assert not [e for e in _events(extractor, "The company sent a statement to Reuters on Monday.") if e[0] == "troop_deployment"]


# -- talks placed where they are held ---------------------------------------------------------


def test_talks_held_abroad_take_the_places_country(extractor: Extractor) -> None:
    # a name with a lowercase particle ("Dar es Salaam") is read whole
    events = _events(extractor, "Today the government and OLA delegations are meeting in Dar es Salaam to discuss a ceasefire in Oromia.", "ETH")
    assert ("talks", "Dar es Salaam", "TZA") in events


def test_talks_where_a_delegation_arrived_and_a_jirga_carry_their_place(extractor: Extractor) -> None:
    body = (
        "A delegation from Kabul reached Jalalabad by helicopter this afternoon and held talks with tribal elders "
        "from both communities at the governor's house. Officials said a grand jirga will be convened in Kunduz "
        "on Sunday to agree a ceasefire between the tribes."
    )
    events = _events(extractor, body, "AFG")
    assert ("talks", "Jalalabad", "AFG") in events
    assert ("talks", "Kunduz", "AFG") in events


# -- an incident log's entry in a town the gazetteer lacks ------------------------------------

_LOG = """---
date: 2025-09-20
title: Border security log, week 38
---
Drones launched from the Kharkiv direction continue to cross the border.

18 Sep 2025 — Belgorod — ATTACK
A drone struck a bus station in Belgorod, killing four people.

19 Sep 2025 — Kursk — ATTACK
A drone hit a substation in Kursk, injuring two workers.

19 Sep 2025 — near Zamostye — AMBUSH
A drone struck a car near Zamostye, killing two people.
"""


def test_a_log_entry_in_an_unknown_town_takes_the_logs_dominant_country(extractor: Extractor) -> None:
    events = {x.event.location: x.event.country for x in extractor.extract_text(_LOG, "log.txt")}
    assert events.get("Zamostye") == "RUS"  # not the theatre's default (UKR)
