"""Actor and site names as prose reads them (riskengine/core/names.py), and the filters that put
them in rule recommendations."""

from __future__ import annotations

import pytest

from riskengine.core.names import country_name, display_name, display_names, indefinite_article
from riskengine.core.sandbox import render_text


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        # ACLED's "Institution of Country": a common noun in prose, with "the"
        ("Government of the United States", "the government of the United States"),
        ("Government of Russia", "the government of Russia"),
        ("Military Forces of Russia (2000-)", "the military forces of Russia"),  # the period dropped
        ("Police Forces of Kenya (2013-2022)", "the police forces of Kenya"),
        ("Military Forces of Somalia (2022-) Special Forces", "the military forces of Somalia (Special Forces)"),
        # names whose head is a common noun take "the"
        ("European Union", "the European Union"),
        ("United Nations", "the United Nations"),
        ("Udmurt Republic", "the Udmurt Republic"),
        ("Kupol Electromechanical Plant", "the Kupol Electromechanical Plant"),
        ("Bank of Russia", "the Bank of Russia"),
        ("Federal Air Transport Agency of Russia (Rosaviatsia)", "the Federal Air Transport Agency of Russia (Rosaviatsia)"),
        ("NATO: North Atlantic Treaty Organization", "the North Atlantic Treaty Organization"),
        ("EU", "the EU"),
        # ... and people, countries, cities and acronyms said as words do not
        ("NATO", "NATO"),
        ("Russia", "Russia"),
        ("Donald Trump", "Donald Trump"),
        ("Izhevsk airport", "Izhevsk airport"),
        ("The Hague", "The Hague"),
        # ACLED's generic groups filed under a country
        ("Protesters (Ukraine)", "protesters in Ukraine"),
        ("Civilians (Sudan)", "civilians in Sudan"),
        ("Unidentified Armed Group (Ukraine)", "an unidentified armed group in Ukraine"),
        ("Refugees/IDPs (Sudan)", "refugees/IDPs in Sudan"),
        ("Pirates (Somalia)", "pirates in Somalia"),
        ("Sole Perpetrator (Kenya)", "a sole perpetrator in Kenya"),
        # militias named by their community (a real Sudan export: "The Darfur Communal Militia (Sudan) attacked")
        ("Darfur Communal Militia (Sudan)", "a Darfur communal militia in Sudan"),
        ("Fulani Ethnic Militia (Nigeria)", "a Fulani ethnic militia in Nigeria"),
        ("Abgaal Clan Militia (Somalia)", "an Abgaal clan militia in Somalia"),
        ("Unidentified Communal Militia (Sudan)", "an unidentified communal militia in Sudan"),
        ("Communal Militia (Sudan)", "a communal militia in Sudan"),
        ("Ghagha Communal Militia", "a Ghagha communal militia"),  # older exports name no country
        # acronyms as said, in mixed case or hyphenated (a real South Asia 2015 export); the colon
        # had also split the action's fact from its advice
        ("JeM: Jaish-e-Mohammad", "Jaish-e-Mohammad"),
        ("LeJ: Lashkar-e-Jabbar", "Lashkar-e-Jabbar"),
        ("SSA-S: Shan State Army-South", "the Shan State Army-South"),
        ("Kyiv: Notes", "Kyiv: Notes"),  # not an acronym
        ("CPI (Maoist): Communist Party of India (Maoist)", "the Communist Party of India (Maoist)"),
        # more of ACLED's shapes, from real Somalia, Mali, Bangladesh and South Asia exports
        ("Hawiye-Abgal Sub-Clan Militia (Somalia)", "a Hawiye-Abgal sub-clan militia in Somalia"),
        ("Islamist Militia (Mali)", "an Islamist militia in Mali"),
        ("Vigilante Group (Bangladesh)", "a vigilante group in Bangladesh"),
        ("Baloch Separatists (Pakistan)", "Baloch separatists in Pakistan"),
        ("Southern Muslim Separatists (Thailand)", "Southern Muslim separatists in Thailand"),
        ("AUSSOM: Africa Union Support and Stabilisation Mission in Somalia (2025-) (Uganda)", "the Africa Union Support and Stabilisation Mission in Somalia (Uganda)"),
        ("Wagner Group", "the Wagner Group"),
        ("Muslim Militia (Kenya)", "a Muslim militia in Kenya"),
        ("  European   Union ", "the European Union"),
        # read on a real 2016 Africa export: the country after "of" or "in" takes its article
        # ("the government of United States has imposed measures", "an unidentified armed group in
        # Central African Republic", "the military forces of Democratic Republic of Congo")
        ("Government of United States", "the government of the United States"),
        ("Military Forces of Democratic Republic of Congo (2019-)", "the military forces of the Democratic Republic of Congo"),
        ("Unidentified Armed Group (Central African Republic)", "an unidentified armed group in the Central African Republic"),
        ("Fulani Ethnic Militia (Central African Republic)", "a Fulani ethnic militia in the Central African Republic"),
        ("Military Forces of Libya (Presidential Guard)", "the military forces of Libya (Presidential Guard)"),
        # acronyms with a slash or a faction, and local names before English ones (2016 Africa,
        # Sudan and Myanmar exports): "SPLA/M-In Opposition: Sudanese ... attacked civilians at
        # Wau" split the fact from its advice and left 45 firings as sentences after "Also:"
        ("SPLA/M-In Opposition: Sudanese People's Liberation Army/Movement-In Opposition", "Sudanese People's Liberation Army/Movement-In Opposition"),
        ("SLM/A-Nur: Sudan Liberation Movement/Army (Abdul Wahid al-Nur Faction)", "the Sudan Liberation Movement/Army (Abdul Wahid al-Nur Faction)"),
        ("KIO/KIA: Kachin Independence Organization/Kachin Independence Army", "the Kachin Independence Organization/Kachin Independence Army"),
        ("Maw Gyun - STF: Mawlamyinegyun Special Task Force", "the Mawlamyinegyun Special Task Force"),
        ("CPI(M): Communist Party of India (Marxist) Militia", "the Communist Party of India (Marxist) Militia"),
        ("JJD:Jatiyatabadi Juba Dal Militia", "the Jatiyatabadi Juba Dal Militia"),
        ("Ngan Net: Black Swan", "Black Swan"),
        # other groups ACLED files under a country (2016 Africa, Afghanistan, Myanmar and Burkina
        # Faso exports: "Fighting at Kabul (Islamic State (Afghanistan) against ...)")
        ("Islamic State (Afghanistan)", "Islamic State in Afghanistan"),
        ("Forest Guards (Burkina Faso)", "Forest Guards in Burkina Faso"),
        ("Macawiisley Militia (Somalia)", "the Macawiisley Militia in Somalia"),
        ("Unidentified Local Defense Forces (Myanmar)", "unidentified local defense forces in Myanmar"),
        ("Gang Militia (Democratic Republic of Congo)", "the Gang Militia in the Democratic Republic of Congo"),
        # ... or under a town or region, and " - " before another name of the group or its faction
        # (real Libya and Nigeria exports: "Islamic State (Tripoli)", "Boko Haram - Jamaatu Ahli
        # is-Sunnah lid-Dawati wal-Jihad" in the prose as they are)
        ("Islamic State (Tripoli)", "Islamic State in Tripoli"),
        ("Islamic State (West Africa)", "Islamic State in West Africa"),
        ("Islamic State (Greater Sahara)", "Islamic State in the Greater Sahara"),
        ("Islamic State (Sahel)", "Islamic State in the Sahel"),
        ("Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", "Boko Haram"),
        ("Islamic State (West Africa) - Lake Chad Faction", "the Lake Chad faction of Islamic State in West Africa"),
        ("HTS - Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham"),  # an acronym first: the name after it
        ("Militia (Pro-Government)", "a pro-government militia"),
        ("Militia (Pro-Russia)", "a pro-Russia militia"),
        ("Militia (Students)", "the Militia (Students)"),  # no place, no side: left as it is
        ("AMISOM: African Union Mission in Somalia (2007-) (Ethiopia)", "the African Union Mission in Somalia (Ethiopia)"),  # a contingent
        ("Hlaw Tet In Ahr Su 126: Rowing Force 126", "Rowing Force 126"),
        ("Police Forces of Afghanistan (2014-) National Directorate of Security", "the police forces of Afghanistan (National Directorate of Security)"),
    ],
)
def test_display_name(name: str, shown: str) -> None:
    assert display_name(name) == shown


def test_display_name_options() -> None:
    assert display_name("European Union", capital=True) == "The European Union"
    assert display_name("Government of Russia", article=False) == "government of Russia"
    assert display_name("Russia", capital=True) == "Russia"
    assert display_name(None) is None  # unset: the template's fallback decides


def test_display_names_share_an_institution() -> None:
    assert display_names(["Government of the United States", "Government of Russia"]) == "the governments of the United States and Russia"
    assert display_names(["Government of Russia", "Government of Ukraine"], capital=True) == "The governments of Russia and Ukraine"
    assert display_names(["Government of United States", "Government of Russia"]) == "the governments of the United States and Russia"
    assert display_names(["European Union", "Government of Russia", None]) == "the European Union and the government of Russia"
    assert display_names(["Russia", "Ukraine", "Belarus"]) == "Russia, Ukraine and Belarus"
    assert display_names(["Russia", "Russia"]) == "Russia"
    # groups filed under one country say it once (a real Somalia export's local agreement)
    assert display_names(["Hawiye-Habar Gedir-Ayr Sub-Clan Militia (Somalia)", "Hawiye-Habar Gedir-Duduble Sub-Clan Militia (Somalia)"]) == (
        "a Hawiye-Habar Gedir-Ayr sub-clan militia and a Hawiye-Habar Gedir-Duduble sub-clan militia in Somalia"
    )
    assert display_names(["Civilians (Sudan)", "Unidentified Armed Group (Chad)"]) == "civilians in Sudan and an unidentified armed group in Chad"
    assert display_names(["Al Shabaab", "Unidentified Clan Militia (Somalia)"]) == "Al Shabaab and an unidentified clan militia in Somalia"
    # one generic actor on both sides is two of them ("between an unidentified armed group in Libya")
    assert display_names(["Unidentified Armed Group (Libya)", "Unidentified Armed Group (Libya)"]) == "two unidentified armed groups in Libya"
    assert display_names(["Fulani Ethnic Militia (Nigeria)"] * 2, capital=True) == "Two Fulani ethnic militias in Nigeria"
    assert display_names(["Civilians (Sudan)", "Civilians (Sudan)"]) == "civilians in Sudan"
    assert display_names(["Military Forces of Sudan (2019-)", "Military Forces of Sudan (2019-)"]) == "the military forces of Sudan"
    assert display_names([None, ""]) == ""


@pytest.mark.parametrize(
    ("code", "shown"),
    [("UKR", "Ukraine"), ("SOM", "Somalia"), ("USA", "the United States"), ("NLD", "the Netherlands"), ("COD", "the Democratic Republic of the Congo"), ("XKX", "Kosovo"), ("ZZZ", "ZZZ")],
)
def test_country_name(code: str, shown: str) -> None:
    assert country_name(code) == shown
    assert render_text("{{ event.country|country }}", {"event": {"country": code}}) == shown


@pytest.mark.parametrize(("noun", "article"), [("air strike", "an"), ("unit", "a"), ("unidentified group", "an"), ("union", "a"), ("hour", "an"), ("drone", "a")])
def test_indefinite_article(noun: str, article: str) -> None:
    assert indefinite_article(noun) == article


def test_rule_texts_use_the_filters() -> None:
    # The regression of issue #15: "the sanctions European Union has threatened".
    text = "the sanctions {{ event.actor1|name }} has threatened; a call between {{ [event.actor1, event.actor2]|names }}"
    shown = render_text(text, {"event": {"actor1": "European Union", "actor2": "Government of Russia"}})
    assert shown == "the sanctions the European Union has threatened; a call between the European Union and the government of Russia"
    assert render_text("{{ event.actor1|name(capital=true) }} calls", {"event": {"actor1": "United Nations"}}) == "The United Nations calls"
