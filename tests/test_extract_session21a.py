"""Session 21 (extract26, issue 14): which place an event takes, in our own wording (other
places, sentences and outlets than the gold sets'). The most specific place the event's own
clause names wins over the district, territory or town that contains it or that it is told
from; each test fails without its change."""

from __future__ import annotations

import pytest

from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.gazetteer import default_gazetteer


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor(detector=False)  # the patterns' own reading


def _events(ex: Extractor, text: str, date: str = "2025-10-08") -> list[tuple[str, str | None, str]]:
    head = f"---\ndate: {date}\n---\nWEEKLY SECURITY NOTE\n\n"
    return [(e.provenance["kind"], e.event.location, e.event.country) for e in ex.extract_text(head + text + "\n", "t.txt")]


def _places(text: str, home: str) -> list[tuple[str, str | None, str]]:
    return [(p.text, p.place.name, p.place.country) for p in default_gazetteer().scan(text, [home], home) if not p.side_adjective]


# --- the village, not the district, territory or town that locates it ---


@pytest.mark.parametrize(
    "text",
    [
        "At Kalunguta, a village near Lubero, militiamen killed six civilians with machetes overnight.",
        "In Kalunguta, a village in the Lubero area, militiamen killed six civilians overnight.",
    ],
)
def test_a_village_placed_by_a_town_is_the_place_not_the_town(rules: Extractor, text: str) -> None:
    # the toll's verb is nearer the town that locates the village than the village itself
    assert [(k, loc) for k, loc, _ in _events(rules, text)] == [("casualty_report", "Kalunguta")]


def test_a_place_told_by_its_distance_from_a_town_is_the_place(rules: Extractor) -> None:
    text = 'On Monday the militia said it had "fully liberated" the Wadi Hamra area, about 25 kilometres north of Kutum, from government forces.'
    assert [(k, loc) for k, loc, _ in _events(rules, text)] == [("territorial_claim", "Wadi Hamra")]


def test_a_bearing_alone_is_where_the_strike_was_not_a_reference() -> None:
    # "on the hills east of Kisweh" under "Damascus countryside": no apposition, Kisweh is where
    # the raid was (the reference rule needs a comma: "X, 20 km east of Y")
    from riskengine.ingest.extract.articles import _LOCATES_BEFORE

    assert _LOCATES_BEFORE.search("warplanes raided a site on the hills east of ") is None
    assert _LOCATES_BEFORE.search("the Wadi Hamra area, about 25 kilometres north of ") is not None
    assert _LOCATES_BEFORE.search("Kalunguta, a village in ") is not None


def test_a_territory_named_for_its_town_ranks_after_the_town_named_with_it(rules: Extractor) -> None:
    text = "Gunmen stormed the Kanyabayonga health centre in Lubero territory on Tuesday and shot dead two nurses."
    assert [(k, loc) for k, loc, _ in _events(rules, text)] == [("casualty_report", "Kanyabayonga")]


def test_a_sector_of_a_district_told_by_its_possessive_is_the_place(rules: Extractor) -> None:
    text = "Troops repulsed an infiltration attempt in Baramulla district's Gurez sector on Tuesday, killing three intruders, an Indian Army spokesman said."
    assert [(k, loc, c) for k, loc, c in _events(rules, text)] == [("casualty_report", "Gurez", "IND")]


def test_a_named_sector_after_the_is_a_place() -> None:
    assert ("Keran", "Keran", "IND") in _places("Indian troops fired back at Pakistani posts in the Keran sector on Tuesday, killing a soldier.", "IND")


def test_a_place_that_lies_near_a_town_opens_its_sentence(rules: Extractor) -> None:
    text = "Zamzam, which lies south of El Fasher and shelters half a million people, was shelled again on Tuesday by the paramilitaries."
    assert [(k, loc) for k, loc, _ in _events(rules, text)] == [("shelling", "Zamzam")]


def test_the_city_of_names_a_town_no_index_holds() -> None:
    assert ("Kafr Shams", "Kafr Shams", "SYR") in _places("Gunmen shot dead a local official in the city of Kafr Shams in Daraa on Sunday.", "SYR")


# --- a camp told before, a force that is no village ---


def test_the_camp_is_the_camp_named_before(rules: Extractor) -> None:
    text = (
        "For the displaced of Kalma, the war has come back.\n\n"
        "On Friday evening, as families queued at the camp's last water point, shells fell on its eastern blocks, killing seven people."
    )
    assert [(k, loc) for k, loc, _ in _events(rules, text)] == [("shelling", "Kalma")]


def test_the_camp_of_an_armed_force_is_no_village() -> None:
    found = _places("The camp of the Armed Forces of Mali of Boni was attacked overnight.", "MLI")
    assert not any(text == "Armed Forces" for text, _, _ in found)


# --- talks at a foreign city, a town of the article's country, a barangay's municipality ---


def test_talks_in_a_city_that_opens_the_sentence(rules: Extractor) -> None:
    text = "In Geneva, Swiss and Norwegian mediators held separate meetings on Wednesday with delegations from the army and the rebels, in what one diplomat called proximity talks."
    assert [(k, loc, c) for k, loc, c in _events(rules, text)] == [("talks", "Geneva", "CHE")]


def test_a_town_spelt_as_written_beats_a_larger_town_that_has_the_name_as_an_alternate() -> None:
    # GeoNames spells Syria's town "Ţafas" and lists "Tafas" as an alternate name of Turkey's
    # larger Talas: with both countries named, the town spelt as written wins
    place = default_gazetteer().lookup("Tafas", countries_in_text=["SYR", "TUR"])
    assert place is not None and place.country == "SYR"


@pytest.mark.parametrize(
    "text, town",
    [
        ("A roadside bomb went off in Barangay Poblacion, Datu Odin Sinsuat, Maguindanao del Norte, on Monday, wounding two soldiers.", "Datu Odin Sinsuat"),
        ("Soldiers clashed with gunmen in Barangay Tuka in Shariff Aguak on Sunday, killing three of them.", "Shariff Aguak"),
    ],
)
def test_a_barangay_is_placed_at_its_municipality(text: str, town: str) -> None:
    found = _places(text, "PHL")
    assert (town, town, "PHL") in found
    assert not any(t.startswith("Barangay") for t, _, _ in found)


# --- a second pass over every set's location mistakes ---


def test_a_village_in_the_district_of_a_town_is_the_place(rules: Extractor) -> None:
    text = "On Sunday, in the village of Nangade Sede, in the district of Mueda, insurgents killed four civilians, Mozambican police said."
    assert [(k, loc, c) for k, loc, c in _events(rules, text)] == [("casualty_report", "Nangade Sede", "MOZ")]


def test_the_area_of_names_a_place() -> None:
    assert ("Quiterajo", "Quiterajo", "MOZ") in _places("Another group attacked houses in the area of Quiterajo, in Cabo Delgado, on Saturday.", "MOZ")


def test_a_village_whose_name_opens_with_a_countrys_is_read_whole() -> None:
    found = _places("A suicide bomber struck a police post at Sudan Khel in Lakki Marwat district on Friday, killing four policemen.", "PAK")
    assert ("Sudan Khel", "Sudan Khel", "PAK") in found
    assert not any(country == "SDN" for _, _, country in found)


def test_a_site_over_which_drones_were_downed_is_the_place() -> None:
    assert any(text == "Bai Hassan" for text, _, _ in _places("On Sunday, three drones were shot down over the Bai Hassan field west of Kirkuk, the ministry said.", "IRQ"))


def test_an_oil_terminal_is_at_the_place_it_is_named_for() -> None:
    assert any(text == "Salif" for text, _, _ in _places("US aircraft struck fuel tanks at the Salif oil terminal in Hodeidah province on Friday.", "YEM"))


# --- places no prediction had: how a claim, a road block, a front or a meeting names them ---


@pytest.mark.parametrize(
    "text, home, place",
    [
        ("Assault troops finally cleared Novoselivka and raised the flag over the school, the milblogger wrote.", "UKR", "Novoselivka"),
        ("The division completed the clearing of Aitaroun on Monday, an army spokesman said.", "LBN", "Aitaroun"),
        ("Truckers blocked the Pan-American highway at the height of Timbio for six hours on Wednesday.", "COL", "Timbio"),
        ("The army says it has regained control of the corregimiento of La Paila, in Jamundi, after two days of fighting.", "COL", "La Paila"),
        ("In al-Jubah, on the southern front, the army said it had repelled an attack on Friday.", "YEM", "al-Jubah"),
        ("A drone hit a truck close to Anefis, on the road north of Gao, on Tuesday.", "MLI", "Anefis"),
    ],
)
def test_a_place_read_from_how_a_claim_a_block_or_a_front_names_it(text: str, home: str, place: str) -> None:
    assert place in [t for t, _, _ in _places(text, home)]


@pytest.mark.parametrize(
    "text, place",
    [
        ("The government and the rebels will hold a new round of talks next week in the city of Ibague, the peace delegation confirmed on Friday.", "Ibague"),
        ("On Tuesday, the two border commissions met again, this time near Berdavan, officials said.", "Berdavan"),
    ],
)
def test_talks_in_the_city_of_or_near_a_town(rules: Extractor, text: str, place: str) -> None:
    assert [loc for k, loc, _ in _events(rules, text) if k == "talks"] == [place]


def test_a_sector_of_a_town_is_the_town_a_sector_of_a_region_the_sector() -> None:
    town = _places("Farmers blocked the highway in the La Balsa sector of Popayan on Tuesday.", "COL")
    assert [t for t, _, _ in town] == ["Popayan"]
    region = _places("Militants attacked border posts in the Shawal sector of North Waziristan on Sunday.", "PAK")
    assert "Shawal" in [t for t, _, _ in region]


def test_talks_where_a_minister_travels(rules: Extractor) -> None:
    text = "The foreign minister travels tomorrow to Doha, where on Thursday she will hold talks with Qatari mediators."
    assert [(loc, c) for k, loc, c in _events(rules, text) if k == "talks"] == [("Doha", "QAT")]


def test_talks_under_a_digests_entry_label(rules: Extractor) -> None:
    text = "- 3 Oct (Regional) - Accra: technical delegations of ECOWAS and the AES met for two days of talks on trade and security."
    assert [(loc, c) for k, loc, c in _events(rules, text) if k == "talks"] == [("Accra", "GHA")]


def test_a_capital_the_wounded_were_flown_to_names_the_country_not_the_event(rules: Extractor) -> None:
    # (a bulletin naming no country: the capital the wounded were airlifted to is its country's,
    # and is not where the bomb went off)
    text = (
        "On Wednesday morning an explosive device went off under a police truck at Kiunga on the Kiunga-Ishakani road. "
        "Three officers were injured and airlifted to Nairobi."
    )
    assert [(k, loc, c) for k, loc, c in _events(rules, text)] == [("remote_strike", "Kiunga", "KEN")]


def test_talks_are_where_the_envoy_arrived_not_the_crisis_they_were_about(rules: Extractor) -> None:
    text = (
        "The AU envoy arrived in Khartoum this morning for a two-day visit. "
        "He held talks at the Republican Palace with the foreign minister on the crisis in El Fasher and on the truce."
    )
    assert [loc for k, loc, _ in _events(rules, text) if k == "talks"] == ["Khartoum"]


def test_a_village_in_the_area_of_a_town_is_the_place(rules: Extractor) -> None:
    text = "Militiamen raided Kalunguta in the Lubero area overnight, killing six civilians with machetes."
    assert [(k, loc) for k, loc, _ in _events(rules, text)] == [("casualty_report", "Kalunguta")]


def test_a_district_of_a_province_is_the_place_not_the_provinces_town(rules: Extractor) -> None:
    # as "the Barmal district of Paktika province" is coded; a province of three words too
    text = "Artillery shells hit a market in Kantharalak district of Si Sa Ket province, killing six civilians and wounding ten, according to Thai health officials."
    assert [(k, loc) for k, loc, _ in _events(rules, text)] == [("shelling", "Kantharalak")]


def test_a_village_placed_by_its_distance_from_a_town_is_in_that_towns_country() -> None:
    # GeoNames holds "Shagra" only as another spelling of Saudi Arabia's Shaqra; the article names
    # Saudi Arabia ("a Saudi-funded clinic"), so the index would take the namesake
    text = "Gunmen raided the village of Shagra, about 15 kilometres south of Kutum, near a Saudi-funded clinic, on Sunday."
    found = [(p.text, p.place.country) for p in default_gazetteer().scan(text, ["SDN", "SAU"], "SDN") if not p.side_adjective]
    assert ("Shagra", "SDN") in found


def test_the_town_whose_residents_block_a_road_is_the_place_not_the_roads_first_town(rules: Extractor) -> None:
    text = "Residents of Dansadau blocked the Gusau-Funtua road for six hours on Tuesday to protest against the abduction of a teacher."
    assert [(k, loc) for k, loc, _ in _events(rules, text)] == [("protest", "Dansadau")]


def test_a_village_of_a_district_of_a_town_is_the_place(rules: Extractor) -> None:
    text = "On Tuesday the surroundings of the village of Sharanish in Zakho district of Duhok were subjected to artillery fire."
    assert [(k, loc) for k, loc, _ in _events(rules, text)] == [("shelling", "Sharanish")]
