"""The words that name a side (the drones' side, the defenders, the claimant) come from
gazetteer.yaml's sides, not from a list in the code that knew one war's sides: a side an
analyst adds there is read like Russia and Ukraine are."""

from __future__ import annotations

import pytest

from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.gazetteer import DEFAULT_GAZETTEER, Gazetteer

HEAD = "---\ndate: 2025-06-03\n---\n"


@pytest.fixture(scope="module")
def with_ruritania(tmp_path_factory: pytest.TempPathFactory) -> Extractor:
    text = DEFAULT_GAZETTEER.read_text(encoding="utf-8")
    added = "  RUR: {side: Ruritania, names: [Ruritania], adjectives: [Ruritanian, Ruritania's], capital_as_actor: [Strelsau]}\n"
    assert "\ncountries:\n" in text
    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.yaml"
    path.write_text(text.replace("\ncountries:\n", "\ncountries:\n" + added, 1), encoding="utf-8")
    return Extractor(gazetteer=Gazetteer.load(path))


def claims(extractor: Extractor, body: str) -> dict[str, str | None]:
    (extracted,) = extractor.extract_text(HEAD + body, "t.txt")
    return {f.field: f.claimed_by for f in extracted.event.figures}


def sides(extractor: Extractor, body: str) -> tuple[str | None, str | None]:
    (extracted,) = extractor.extract_text(HEAD + body, "t.txt")
    return extracted.event.initiator_side, extracted.event.target_side


def test_a_side_added_to_the_gazetteer_is_the_weapons_side(with_ruritania: Extractor) -> None:
    assert sides(with_ruritania, "A swarm of Ruritanian drones descended on Kharkiv overnight, killing two people.\n") == ("Ruritania", "Ukraine")
    assert sides(with_ruritania, "Ukraine said it shot down 20 Ruritanian drones over Kharkiv overnight.\n") == ("Ruritania", "Ukraine")
    # the defenders' side is not the attacker's
    assert sides(with_ruritania, "Ruritanian air defences shot down 12 of 15 Russian drones over Kharkiv overnight.\n")[0] == "Russia"


def test_a_side_added_to_the_gazetteer_makes_claims(with_ruritania: Extractor) -> None:
    body = "Russia launched 15 drones at Kharkiv overnight. Strelsau's defence ministry said 12 of them were shot down.\n"
    assert claims(with_ruritania, body)["drones_intercepted"] == "Ruritania"


def test_a_capital_claims_with_either_apostrophe() -> None:
    for apostrophe in ("'", "\u2019"):
        body = f"Russia launched 15 drones at Kharkiv overnight. Minsk{apostrophe}s defence ministry said 12 of them were shot down.\n"
        assert claims(Extractor(), body)["drones_intercepted"] == "Belarus", apostrophe


def test_us_is_not_the_united_states() -> None:
    said_by_us = "Russia launched 15 drones at Kharkiv overnight; the governor told us officials said 12 of them were shot down.\n"
    assert claims(Extractor(), said_by_us)["drones_intercepted"] is None
    said_by_the_us = "Russia launched 15 drones at Kharkiv overnight; US officials said 12 of them were shot down.\n"
    assert claims(Extractor(), said_by_the_us)["drones_intercepted"] == "United States"


@pytest.mark.parametrize(("sentence", "place"), [("Drones struck Port Sudan on Tuesday.", ("Port Sudan", "SDN")), ("A drone hit a depot in Kuwait City on Tuesday.", ("Kuwait City", "KWT"))])
def test_a_town_named_for_its_country_is_the_town(sentence: str, place: tuple[str, str]) -> None:
    (extracted,) = Extractor().extract_text(HEAD + sentence + "\n", "t.txt")
    assert (extracted.event.location, extracted.event.country) == place
