"""A reproducible stream of ACLED-like events for benchmarks and scale tests.

    python benchmarks/generate.py 100k            # writes benchmarks/.cache/events-100k-s7-v1.jsonl
    python benchmarks/generate.py 1m --seed 3 -o events.jsonl

The mix follows what an ACLED export for the Russia-Ukraine war looks like: mostly shelling and
drone strikes on Ukrainian towns, clashes along the front, Ukrainian deep strikes into Russia,
interceptions coded as "Disrupted weapons use", diplomatic events abroad, protests in NATO
countries. Named targets repeat with a heavy-tailed frequency, so pattern rules ("struck again
within 60 days") fire at a realistic rate. Dates run in order over several years, the way a feed
is read; a few events arrive a day or two late, as revised ACLED rows do.

Events are produced one at a time and written line by line: memory stays flat at any size.
Bump ``GENERATOR_VERSION`` whenever the output changes, so cached files are regenerated.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import os
import random
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

GENERATOR_VERSION = 2
DEFAULT_SEED = 7
FIRST_DAY = dt.date(2022, 2, 24)
LAST_DAY = dt.date(2025, 7, 6)
CACHE_DIR = Path(__file__).resolve().parent / ".cache"

SIZES: dict[str, int] = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def parse_size(text: str) -> int:
    """``10k``, ``1m``, ``250000`` -> a count of events."""
    key = text.strip().lower()
    if key in SIZES:
        return SIZES[key]
    multiplier = 1
    if key.endswith("k"):
        key, multiplier = key[:-1], 1_000
    elif key.endswith("m"):
        key, multiplier = key[:-1], 1_000_000
    try:
        value = int(float(key) * multiplier)
    except ValueError:
        raise ValueError(f"'{text}' is not a size (write 10k, 100k, 1m or a number)") from None
    if value <= 0:
        raise ValueError(f"'{text}' is not a positive size")
    return value


def size_label(n: int) -> str:
    for label, value in SIZES.items():
        if value == n:
            return label
    return str(n)


# ---------------------------------------------------------------------------------------------
# Places: (country, admin1, location, lat, lon, km from the attacker's border, km from the front,
# km to the nearest NATO border). Distances are rough but of the right order.

Place = tuple[str, str, str, float, float, float | None, float | None, float | None]

UKRAINE_FRONT: tuple[Place, ...] = (
    ("UKR", "Donetsk", "Pokrovsk", 48.28, 37.18, 110.0, 8.0, 900.0),
    ("UKR", "Donetsk", "Kostiantynivka", 48.53, 37.71, 90.0, 6.0, 940.0),
    ("UKR", "Donetsk", "Toretsk", 48.40, 37.85, 80.0, 2.0, 950.0),
    ("UKR", "Zaporizhia", "Huliaipole", 47.66, 36.26, 160.0, 7.0, 830.0),
    ("UKR", "Zaporizhia", "Orikhiv", 47.57, 35.79, 170.0, 5.0, 800.0),
    ("UKR", "Kharkiv", "Kupiansk", 49.71, 37.61, 40.0, 4.0, 920.0),
    ("UKR", "Kharkiv", "Vovchansk", 50.29, 36.94, 3.0, 1.0, 880.0),
    ("UKR", "Kherson", "Kherson", 46.64, 32.61, 250.0, 3.0, 560.0),
    ("UKR", "Sumy", "Sumy", 50.91, 34.80, 30.0, 25.0, 780.0),
    ("UKR", "Dnipropetrovsk", "Nikopol", 47.57, 34.39, 230.0, 6.0, 720.0),
)
UKRAINE_REAR: tuple[Place, ...] = (
    ("UKR", "Kyiv City", "Kyiv", 50.45, 30.52, 140.0, 400.0, 480.0),
    ("UKR", "Kharkiv", "Kharkiv", 49.99, 36.23, 30.0, 25.0, 860.0),
    ("UKR", "Odesa", "Odesa", 46.48, 30.73, 450.0, 150.0, 180.0),
    ("UKR", "Odesa", "Izmail", 45.35, 28.84, 600.0, 250.0, 0.3),
    ("UKR", "Odesa", "Reni", 45.46, 28.29, 620.0, 270.0, 0.2),
    ("UKR", "Lviv", "Lviv", 49.84, 24.03, 700.0, 950.0, 70.0),
    ("UKR", "Dnipropetrovsk", "Dnipro", 48.46, 35.05, 210.0, 90.0, 750.0),
    ("UKR", "Zaporizhia", "Zaporizhzhia", 47.84, 35.14, 200.0, 35.0, 780.0),
    ("UKR", "Mykolaiv", "Mykolaiv", 46.97, 31.99, 380.0, 60.0, 330.0),
    ("UKR", "Khmelnytskyi", "Starokostiantyniv", 49.76, 27.22, 520.0, 650.0, 270.0),
)
RUSSIA: tuple[Place, ...] = (
    ("RUS", "Belgorod", "Belgorod", 50.60, 36.59, 40.0, 45.0, 950.0),
    ("RUS", "Kursk", "Sudzha", 51.19, 35.27, 10.0, 10.0, 850.0),
    ("RUS", "Bryansk", "Bryansk", 53.24, 34.36, 110.0, 120.0, 600.0),
    ("RUS", "Voronezh", "Voronezh", 51.66, 39.20, 230.0, 260.0, 1050.0),
    ("RUS", "Rostov", "Taganrog", 47.22, 38.90, 40.0, 110.0, 1150.0),
    ("RUS", "Moscow", "Moscow", 55.75, 37.62, 450.0, 500.0, 800.0),
    ("RUS", "Ryazan", "Ryazan", 54.63, 39.74, 510.0, 540.0, 990.0),
    ("RUS", "Volgograd", "Marinovka", 48.64, 43.78, 350.0, 380.0, 1600.0),
    ("RUS", "Saratov", "Engels", 51.48, 46.12, 600.0, 620.0, 1700.0),
    ("RUS", "Udmurtia", "Izhevsk", 56.85, 53.21, 1300.0, 1400.0, 1800.0),
    ("RUS", "Tatarstan", "Yelabuga", 55.76, 52.05, 1200.0, 1300.0, 1750.0),
    ("RUS", "Krasnodar", "Novorossiysk", 44.72, 37.77, 300.0, 350.0, 900.0),
)
ABROAD: tuple[Place, ...] = (
    ("ROU", "Tulcea", "Plauru", 45.35, 28.82, None, None, 0.0),
    ("ROU", "Bucharest", "Bucharest", 44.43, 26.10, None, None, 0.0),
    ("MDA", "Chisinau", "Chisinau", 47.01, 28.86, None, None, 110.0),
    ("POL", "Lublin", "Przewodow", 50.47, 23.93, None, None, 0.0),
    ("BEL", "Brussels", "Brussels", 50.85, 4.35, None, None, 0.0),
    ("BEL", "Liege", "Herstal", 50.66, 5.62, None, None, 0.0),
    ("TUR", "Istanbul", "Istanbul", 41.01, 28.98, None, None, 0.0),
    ("USA", "District of Columbia", "Washington", 38.90, -77.04, None, None, 0.0),
    ("SAU", "Riyadh", "Riyadh", 24.71, 46.68, None, None, 2500.0),
)

# Named targets. Famous ones (from the source documents) are struck every month or two whatever
# the size of the feed; a bigger feed covers more places, so the pool of other named sites grows
# with it. Either way a site is hit again within 60 days now and then, as real ones are, and the
# number of "struck again" pattern firings grows in proportion to the feed, not its square.
FAMOUS_TARGETS: tuple[tuple[str, str, Place], ...] = (
    ("Kupol Electromechanical Plant", "military_industry", RUSSIA[9]),
    ("Marinovka airfield", "airfield", RUSSIA[7]),
    ("Engels airbase", "airfield", RUSSIA[8]),
    ("Alabuga drone plant", "military_industry", RUSSIA[10]),
    ("Ryazan oil refinery", "energy", RUSSIA[6]),
    ("Novorossiysk naval base", "port", RUSSIA[11]),
    ("Taganrog aircraft plant", "military_industry", RUSSIA[4]),
    ("Port of Izmail", "port", UKRAINE_REAR[3]),
    ("Port of Reni", "port", UKRAINE_REAR[4]),
    ("Odesa seaport", "port", UKRAINE_REAR[2]),
    ("Starokostiantyniv airbase", "airfield", UKRAINE_REAR[9]),
    ("Burshtyn power plant", "energy", UKRAINE_REAR[5]),
    ("Kyiv CHP-5", "energy", UKRAINE_REAR[0]),
    ("Kharkiv CHP-5", "energy", UKRAINE_REAR[1]),
    ("Dnipro HPP", "energy", UKRAINE_REAR[7]),
    ("Zaporizhzhia rail hub", "transport", UKRAINE_REAR[7]),
)
SITE_KINDS: tuple[tuple[str, str, Place], ...] = (
    ("Substation", "energy", UKRAINE_REAR[0]),
    ("Substation", "energy", UKRAINE_REAR[1]),
    ("Depot", "logistics", UKRAINE_FRONT[0]),
    ("Ammunition depot", "military", RUSSIA[0]),
    ("Oil depot", "energy", RUSSIA[2]),
    ("Rail bridge", "transport", UKRAINE_FRONT[5]),
    ("Defence plant", "military_industry", RUSSIA[5]),
    ("Grain terminal", "port", UKRAINE_REAR[2]),
    ("Airfield", "airfield", RUSSIA[3]),
    ("Command post", "military", UKRAINE_FRONT[3]),
)
FAMOUS_DAYS_BETWEEN_STRIKES = 45
SITE_DAYS_BETWEEN_STRIKES = 90
EVENTS_PER_SITE = 250


def _site(number: int) -> tuple[str, str, Place]:
    kind, category, place = SITE_KINDS[number % len(SITE_KINDS)]
    return f"{kind} {number + 1}", category, place


RUSSIAN_FORCES = "Military Forces of Russia (2000-)"
UKRAINIAN_FORCES = "Military Forces of Ukraine (2019-)"

SOURCES: tuple[tuple[str, str, int], ...] = (
    ("Ukrinform", "B", 2),
    ("Suspilne", "B", 2),
    ("Kyiv Independent", "B", 2),
    ("Reuters", "A", 2),
    ("AP", "A", 2),
    ("ISW", "B", 3),
    ("Ukrainian General Staff", "C", 3),
    ("Russian Ministry of Defence", "D", 4),
    ("TASS", "D", 4),
    ("Telegram channel", "E", 5),
    ("Local administration", "B", 3),
    ("Meduza", "B", 3),
)

TARGET_CATEGORIES: tuple[str, ...] = (
    "military", "residential", "energy", "transport", "civilian_infrastructure",
    "commercial", "logistics", "territory", "government", "other",
)  # fmt: skip


def _weighted(rng: random.Random, items: Sequence[Any], cumulative: Sequence[float]) -> Any:
    return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


EVENT_MIX: tuple[tuple[str, float], ...] = (
    ("strike_on_ukraine", 0.44),
    ("deep_strike_on_russia", 0.08),
    ("clash", 0.20),
    ("interception", 0.07),
    ("civilians", 0.05),
    ("protest", 0.06),
    ("riot", 0.01),
    ("diplomatic", 0.04),
    ("deployment", 0.03),
    ("spillover", 0.02),
)
_MIX_KINDS = tuple(kind for kind, _ in EVENT_MIX)
_MIX_CUM = _cumulative([weight for _, weight in EVENT_MIX])
_STRIKE_SHARE = sum(w for kind, w in EVENT_MIX if kind in ("strike_on_ukraine", "deep_strike_on_russia")) / _MIX_CUM[-1]


class _Ids:
    """ACLED-style ids: ISO3 prefix and a counter per country."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def __call__(self, country: str) -> str:
        number = self._next.get(country, 100_000)
        self._next[country] = number + 1
        return f"{country}{number}"


def _sources(rng: random.Random, partisan: str | None = None) -> list[dict[str, Any]]:
    count = 1 + (rng.random() < 0.45) + (rng.random() < 0.2)
    picked = rng.sample(SOURCES, count)
    if partisan is not None and rng.random() < 0.3:
        picked[0] = next(s for s in SOURCES if s[0] == partisan)
    out = []
    seen: set[str] = set()
    for name, reliability, credibility in picked:
        if name in seen:
            continue
        seen.add(name)
        out.append({"name": name, "reliability": reliability, "credibility": credibility})
    return out


def _fatalities(rng: random.Random, mean: float) -> int:
    if rng.random() < 0.55:
        return 0
    return min(int(rng.expovariate(1.0 / mean)), 500)


def _place_fields(place: Place) -> dict[str, Any]:
    country, admin1, location, lat, lon, border, front, nato = place
    fields: dict[str, Any] = {
        "country": country,
        "admin1": admin1,
        "location": location,
        "latitude": lat,
        "longitude": lon,
        "geo_precision": 1,
    }
    if border is not None:
        fields["distance_from_border_km"] = border
    if front is not None:
        fields["distance_from_front_km"] = front
    if nato is not None:
        fields["distance_to_nato_km"] = nato
    return fields


def _launches(rng: random.Random, event: dict[str, Any], mass: bool) -> None:
    drones = rng.randint(40, 500) if mass else rng.randint(1, 12)
    event["drones_launched"] = drones
    event["drones_intercepted"] = int(drones * rng.uniform(0.55, 0.98))
    if mass and rng.random() < 0.5:
        missiles = rng.randint(1, 40)
        event["missiles_launched"] = missiles
        event["missiles_intercepted"] = int(missiles * rng.uniform(0.3, 0.9))


class _Targets:
    """Chances that a strike hits a named site, set so that sites are hit at a steady rate."""

    def __init__(self, n: int, span_days: int) -> None:
        strikes_per_day = max(n * _STRIKE_SHARE / span_days, 1e-9)
        self.sites = max(40, n // EVENTS_PER_SITE)
        self.famous_p = min(0.3, len(FAMOUS_TARGETS) / FAMOUS_DAYS_BETWEEN_STRIKES / strikes_per_day)
        self.site_p = min(0.3, self.sites / SITE_DAYS_BETWEEN_STRIKES / strikes_per_day)

    def pick(self, rng: random.Random) -> tuple[str, str, Place] | None:
        roll = rng.random()
        if roll < self.famous_p:
            return rng.choice(FAMOUS_TARGETS)
        if roll < self.famous_p + self.site_p:
            return _site(rng.randrange(self.sites))
        return None


# As riskengine.ingest.acled codes a row: a side is known only where ACLED names a state's
# forces as the actor. Strikes on military targets name the defending forces as actor2; strikes
# on towns name civilians, or nobody.
MILITARY_TARGETS = frozenset({"military", "airfield", "logistics", "territory"})


def _actor2(victim: str, category: str) -> str | None:
    if category in MILITARY_TARGETS:
        return RUSSIAN_FORCES if victim == "Russia" else UKRAINIAN_FORCES
    if category == "residential":
        return f"Civilians ({victim})"
    return None


def _strike(rng: random.Random, day: dt.date, ids: _Ids, targets: _Targets, on_russia: bool) -> dict[str, Any]:
    category: str
    name: str | None = None
    named = targets.pick(rng)
    if named is not None:
        name, category, place = named
        on_russia = place[0] == "RUS"
    else:
        place = rng.choice(RUSSIA if on_russia else (UKRAINE_FRONT + UKRAINE_REAR + UKRAINE_FRONT))
        category = rng.choice(TARGET_CATEGORIES)
    attacker, victim = ("Ukraine", "Russia") if on_russia else ("Russia", "Ukraine")
    sub = "Air/drone strike" if on_russia or rng.random() < 0.3 else "Shelling/artillery/missile attack"
    if rng.random() < 0.04:
        sub = "Remote explosive/landmine/IED"
    event: dict[str, Any] = {
        "event_id": ids(place[0]),
        "event_date": day.isoformat(),
        "event_type": "Explosions/Remote violence",
        "sub_event_type": sub,
        "actor1": UKRAINIAN_FORCES if on_russia else RUSSIAN_FORCES,
        "actor2": _actor2(victim, category),
        **_place_fields(place),
        "fatalities": _fatalities(rng, 3.0),
        "civilian_targeting": category == "residential" and rng.random() < 0.7,
        "initiator_side": attacker,
        "target_side": victim if category in MILITARY_TARGETS else None,
        "target_category": category,
        "target_name": name,
    }
    if sub == "Air/drone strike" and rng.random() < 0.5:
        _launches(rng, event, mass=not on_russia and rng.random() < 0.15)
    if event["fatalities"] or rng.random() < 0.3:
        event["injured"] = _fatalities(rng, 8.0)
    if on_russia and category in ("airfield", "military") and rng.random() < 0.2:
        event["aircraft_destroyed"] = rng.randint(1, 4)
    where = event["location"]
    adjective = "Ukrainian" if on_russia else "Russian"
    event["notes"] = f"On {day:%d %B %Y}, {adjective} forces struck {name or category} in {where}."
    event["sources"] = _sources(rng, "Ukrainian General Staff" if on_russia else "Russian Ministry of Defence")
    return event


def _clash(rng: random.Random, day: dt.date, ids: _Ids) -> dict[str, Any]:
    place = rng.choice((*UKRAINE_FRONT, RUSSIA[1]))
    russian_first = rng.random() < 0.7
    event = {
        "event_id": ids(place[0]),
        "event_date": day.isoformat(),
        "event_type": "Battles",
        "sub_event_type": rng.choices(
            ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"], [0.92, 0.05, 0.03]
        )[0],
        "actor1": RUSSIAN_FORCES if russian_first else UKRAINIAN_FORCES,
        "actor2": UKRAINIAN_FORCES if russian_first else RUSSIAN_FORCES,
        **_place_fields(place),
        "fatalities": _fatalities(rng, 6.0),
        "initiator_side": "Russia" if russian_first else "Ukraine",
        "target_side": "Ukraine" if russian_first else "Russia",
        "target_category": "territory" if rng.random() < 0.2 else "military",
        "notes": f"On {day:%d %B %Y}, clashes near {place[2]}.",
        "sources": _sources(rng),
    }
    if rng.random() < 0.03:
        event["troops"] = rng.choice([2_000, 10_000, 50_000, 110_000])
    return event


def _interception(rng: random.Random, day: dt.date, ids: _Ids) -> dict[str, Any]:
    over_russia = rng.random() < 0.35
    place = rng.choice(RUSSIA if over_russia else UKRAINE_REAR)
    event: dict[str, Any] = {
        "event_id": ids(place[0]),
        "event_date": day.isoformat(),
        "event_type": "Strategic developments",
        "sub_event_type": "Disrupted weapons use",
        "actor1": RUSSIAN_FORCES if over_russia else UKRAINIAN_FORCES,
        "actor2": UKRAINIAN_FORCES if over_russia else RUSSIAN_FORCES,
        **_place_fields(place),
        "initiator_side": "Ukraine" if over_russia else "Russia",
        "target_side": "Russia" if over_russia else "Ukraine",
        "sources": _sources(rng, "Russian Ministry of Defence" if over_russia else "Ukrainian General Staff"),
    }
    _launches(rng, event, mass=not over_russia and rng.random() < 0.3)
    event["notes"] = f"Interception: {event['drones_intercepted']} of {event['drones_launched']} drones shot down."
    return event


def _civilians(rng: random.Random, day: dt.date, ids: _Ids) -> dict[str, Any]:
    place = rng.choice(UKRAINE_FRONT)
    return {
        "event_id": ids(place[0]),
        "event_date": day.isoformat(),
        "event_type": "Violence against civilians",
        "sub_event_type": rng.choices(["Attack", "Abduction/forced disappearance"], [0.8, 0.2])[0],
        "actor1": RUSSIAN_FORCES,
        "actor2": "Civilians (Ukraine)",
        **_place_fields(place),
        "fatalities": _fatalities(rng, 2.0),
        "civilian_targeting": True,
        "initiator_side": "Russia",
        "target_category": "residential",
        "sources": _sources(rng),
    }


def _protest(rng: random.Random, day: dt.date, ids: _Ids, targets: _Targets, riot: bool) -> dict[str, Any]:
    place = rng.choice((*ABROAD[:6], UKRAINE_REAR[0], RUSSIA[5]))
    event: dict[str, Any] = {
        "event_id": ids(place[0]),
        "event_date": day.isoformat(),
        "event_type": "Riots" if riot else "Protests",
        "sub_event_type": ("Violent demonstration" if riot else rng.choice(["Peaceful protest", "Protest with intervention"])),
        "actor1": "Rioters" if riot else "Protesters",
        **_place_fields(place),
        "fatalities": 0,
        "notes": f"Demonstration in {place[2]} about the war.",
        "sources": _sources(rng),
    }
    if riot and place[0] == "BEL" and rng.random() < 0.5:
        event["target_category"] = "military_industry"
        event["target_name"] = f"Military equipment storage facility {rng.randrange(targets.sites) + 1}"
        event["tags"] = ["sabotage"]
    return event


_DIPLOMATIC: tuple[tuple[str, str], ...] = (
    ("talks", "scheduled"),
    ("talks", "held"),
    ("talks", "stalled"),
    ("high_level_call", "held"),
    ("sanctions", "imposed"),
    ("sanctions", "threatened"),
    ("sanctions", "aligned"),
    ("ceasefire_proposal", "proposed"),
    ("statement", "held"),
    ("aid", "held"),
)


def _diplomatic(rng: random.Random, day: dt.date, ids: _Ids) -> dict[str, Any]:
    place = rng.choice((*ABROAD[4:], UKRAINE_REAR[0], RUSSIA[5]))
    kind, status = rng.choice(_DIPLOMATIC)
    event: dict[str, Any] = {
        "event_id": ids(place[0]),
        "event_date": day.isoformat(),
        "event_type": "Strategic developments",
        "sub_event_type": "Agreement" if kind in ("talks", "ceasefire_proposal") and status == "held" else "Other",
        "actor1": rng.choice(["Government of Ukraine (2019-)", "Government of Russia (2000-)", "Government of the United States (2025-)", "European Union"]),
        **_place_fields(place),
        "diplomatic_kind": kind,
        "diplomatic_status": status,
        "notes": f"Diplomacy: {kind.replace('_', ' ')} {status}.",
        "sources": _sources(rng),
        "verification": "confirmed",
    }
    if status == "scheduled":
        event["scheduled_date"] = (day + dt.timedelta(days=rng.randint(1, 14))).isoformat()
    return event


def _deployment(rng: random.Random, day: dt.date, ids: _Ids) -> dict[str, Any]:
    place = rng.choice(UKRAINE_FRONT[:3] + RUSSIA[:2])
    foreign = rng.random() < 0.1
    return {
        "event_id": ids(place[0]),
        "event_date": day.isoformat(),
        "event_type": "Strategic developments",
        "sub_event_type": "Headquarters or base established",
        "actor1": "Military Forces of North Korea (2011-)" if foreign else RUSSIAN_FORCES,
        **_place_fields(place),
        "initiator_side": "North Korea" if foreign else "Russia",
        "troops": rng.choice([500, 2_000, 6_000, 20_000, 110_000]),
        "notes": f"Troop build-up reported near {place[2]}.",
        "sources": _sources(rng, "Ukrainian General Staff"),
        "tags": ["foreign troops"] if foreign else [],
    }


def _spillover(rng: random.Random, day: dt.date, ids: _Ids) -> dict[str, Any]:
    place = rng.choice(ABROAD[:4])
    return {
        "event_id": ids(place[0]),
        "event_date": day.isoformat(),
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": RUSSIAN_FORCES,
        **_place_fields(place),
        "fatalities": 0,
        "initiator_side": "Russia",
        "target_category": rng.choice(["other", "civilian_infrastructure", "residential"]),
        "notes": f"Drone debris fell near {place[2]}.",
        "sources": _sources(rng),
        "tags": ["spillover"],
    }


# ---------------------------------------------------------------------------------------------
# The rest of the world. ACLED covers Ukraine at about a hundred events a day; a feed of a
# million events over these years is a world feed, so past that rate events come from other
# theatres, each with its own places and actors. Their non-state actors carry no side, as the
# importer codes them, so Ukraine-specific pattern rules see Ukraine at a realistic density.

UKRAINE_EVENTS_PER_DAY = 100

# (country, admin1, location, lat, lon, km to NATO, state forces, opponents)
Theatre = tuple[str, str, str, float, float, float, str, tuple[str, ...]]
THEATRES: tuple[Theatre, ...] = (
    ("PSE", "Gaza Strip", "Khan Younis", 31.34, 34.30, 600.0, "Military Forces of Israel (2022-)", ("Hamas Movement", "Palestinian Islamic Jihad")),
    ("LBN", "South", "Bint Jbeil", 33.12, 35.43, 250.0, "Military Forces of Israel (2022-)", ("Hezbollah",)),
    ("SYR", "Idleb", "Idleb", 35.93, 36.63, 30.0, "Military Forces of Syria (2000-2024)", ("Hayat Tahrir al Sham", "Islamic State (Syria)")),
    ("SDN", "Khartoum", "Omdurman", 15.64, 32.48, 2300.0, "Military Forces of Sudan (2019-)", ("Rapid Support Forces",)),
    ("SDN", "North Darfur", "El Fasher", 13.63, 25.35, 2900.0, "Military Forces of Sudan (2019-)", ("Rapid Support Forces",)),
    ("MMR", "Sagaing", "Monywa", 22.11, 95.14, 6500.0, "Military Forces of Myanmar (2021-)", ("People's Defence Force", "Arakan Army")),
    ("COD", "Nord-Kivu", "Goma", -1.68, 29.22, 5800.0, "Military Forces of the Democratic Republic of Congo (2019-)", ("M23: March 23 Movement", "ADF: Allied Democratic Forces")),
    ("MLI", "Mopti", "Mopti", 14.49, -4.20, 3300.0, "Military Forces of Mali (2021-)", ("JNIM: Group for Support of Islam and Muslims",)),
    ("BFA", "Sahel", "Djibo", 14.10, -1.63, 3500.0, "Military Forces of Burkina Faso (2022-)", ("JNIM: Group for Support of Islam and Muslims",)),
    ("NGA", "Borno", "Maiduguri", 11.83, 13.15, 3600.0, "Military Forces of Nigeria (2023-)", ("Islamic State West Africa Province",)),
    ("YEM", "Al Hudaydah", "Al Hudaydah", 14.80, 42.95, 2400.0, "Military Forces of Yemen (2017-)", ("Ansar Allah",)),
    ("MEX", "Guerrero", "Acapulco", 16.85, -99.82, 3000.0, "Police Forces of Mexico (2018-)", ("Sinaloa Cartel", "CJNG: Jalisco New Generation Cartel")),
    ("HTI", "Ouest", "Port-au-Prince", 18.54, -72.34, 1900.0, "Police Forces of Haiti (2021-)", ("Viv Ansanm",)),
    ("COL", "Cauca", "Popayan", 2.44, -76.61, 3900.0, "Military Forces of Colombia (2022-)", ("ELN: National Liberation Army",)),
    ("FRA", "Ile-de-France", "Paris", 48.86, 2.35, 0.0, "Police Forces of France (2017-)", ()),
    ("DEU", "Berlin", "Berlin", 52.52, 13.40, 0.0, "Police Forces of Germany (2021-)", ()),
    ("USA", "New York", "New York", 40.71, -74.01, 0.0, "Police Forces of the United States (2025-)", ()),
    ("BRA", "Sao Paulo", "Sao Paulo", -23.55, -46.63, 7000.0, "Police Forces of Brazil (2023-)", ()),
)
_WORLD_KINDS = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots", "Strategic developments")
_WORLD_SUBS = {
    "Battles": "Armed clash",
    "Explosions/Remote violence": "Air/drone strike",
    "Violence against civilians": "Attack",
    "Protests": "Peaceful protest",
    "Riots": "Violent demonstration",
    "Strategic developments": "Arrests",
}


def _world(rng: random.Random, day: dt.date, ids: _Ids) -> dict[str, Any]:
    country, admin1, location, lat, lon, nato, forces, opponents = rng.choice(THEATRES)
    if not opponents:
        kind = rng.choices(("Protests", "Riots", "Strategic developments"), (0.8, 0.15, 0.05))[0]
    else:
        kind = rng.choices(_WORLD_KINDS, (0.35, 0.25, 0.2, 0.1, 0.05, 0.05))[0]
    state_acts = bool(opponents) and kind in ("Battles", "Explosions/Remote violence") and rng.random() < 0.6
    if kind in ("Protests", "Riots"):
        actor1, actor2 = ("Protesters" if kind == "Protests" else "Rioters"), None
    elif kind == "Strategic developments":
        actor1, actor2 = forces, None
    elif state_acts:
        actor1, actor2 = forces, rng.choice(opponents)
    else:
        actor1 = rng.choice(opponents)
        actor2 = f"Civilians ({country})" if kind == "Violence against civilians" else forces
    event: dict[str, Any] = {
        "event_id": ids(country),
        "event_date": day.isoformat(),
        "event_type": kind,
        "sub_event_type": _WORLD_SUBS[kind],
        "actor1": actor1,
        "actor2": actor2,
        "admin1": admin1,
        "country": country,
        "location": location,
        "latitude": round(lat + rng.uniform(-0.3, 0.3), 4),
        "longitude": round(lon + rng.uniform(-0.3, 0.3), 4),
        "geo_precision": rng.choice((1, 1, 2, 3)),
        "distance_to_nato_km": nato,
        "fatalities": _fatalities(rng, 4.0) if kind in ("Battles", "Explosions/Remote violence", "Violence against civilians") else 0,
        "civilian_targeting": kind == "Violence against civilians",
        "notes": f"On {day:%d %B %Y}, {kind.lower()} in {location}.",
        "sources": _sources(rng),
    }
    side = _SIDE_OF.get(actor1)
    if side:
        event["initiator_side"] = side
    target = _SIDE_OF.get(actor2 or "")
    if target:
        event["target_side"] = target
    return event


def _side(actor: str) -> str | None:
    for prefix in ("Military Forces of ", "Police Forces of "):
        if actor.startswith(prefix):
            return actor[len(prefix) :].rsplit(" (", 1)[0]
    return None


_SIDE_OF: dict[str, str] = {t[6]: s for t in THEATRES if (s := _side(t[6]))}


def _one(rng: random.Random, kind: str, day: dt.date, ids: _Ids, targets: _Targets) -> dict[str, Any]:
    if kind == "strike_on_ukraine":
        return _strike(rng, day, ids, targets, on_russia=False)
    if kind == "deep_strike_on_russia":
        return _strike(rng, day, ids, targets, on_russia=True)
    if kind == "clash":
        return _clash(rng, day, ids)
    if kind == "interception":
        return _interception(rng, day, ids)
    if kind == "civilians":
        return _civilians(rng, day, ids)
    if kind in ("protest", "riot"):
        return _protest(rng, day, ids, targets, riot=kind == "riot")
    if kind == "diplomatic":
        return _diplomatic(rng, day, ids)
    if kind == "deployment":
        return _deployment(rng, day, ids)
    return _spillover(rng, day, ids)


def generate(
    n: int, seed: int = DEFAULT_SEED, first_day: dt.date = FIRST_DAY, last_day: dt.date = LAST_DAY
) -> Iterator[dict[str, Any]]:
    """``n`` event records (JSON-ready dicts, ``None`` fields left out), dates in feed order."""
    rng = random.Random(seed)
    ids = _Ids()
    span = (last_day - first_day).days + 1
    ukraine_share = min(1.0, UKRAINE_EVENTS_PER_DAY * span / n)
    targets = _Targets(round(n * ukraine_share), span)
    verifications = ("confirmed", "claimed", "disputed")
    for i in range(n):
        day = first_day + dt.timedelta(days=i * span // n)
        if rng.random() < 0.02:  # a revised row that arrives late
            day = max(first_day, day - dt.timedelta(days=rng.randint(1, 2)))
        event = _one(rng, _weighted(rng, _MIX_KINDS, _MIX_CUM), day, ids, targets) if rng.random() < ukraine_share else _world(rng, day, ids)
        event.setdefault("verification", rng.choices(verifications, [0.5, 0.42, 0.08])[0])
        yield {key: value for key, value in event.items() if value is not None and value != []}


def write_jsonl(path: Path, n: int, seed: int = DEFAULT_SEED) -> Path:
    """Write ``n`` events to ``path`` line by line; atomic, so a killed run leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    try:
        with tmp.open("w", encoding="utf-8", buffering=1 << 20) as out:
            for event in generate(n, seed):
                out.write(dumps(event))
                out.write("\n")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def cached(n: int, seed: int = DEFAULT_SEED, cache_dir: Path = CACHE_DIR) -> Path:
    """The cached JSONL file of ``n`` events, generated on first use."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    ignore = cache_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# generated benchmark inputs: large and reproducible, never committed\n*\n")
    path = cache_dir / f"events-{size_label(n)}-s{seed}-v{GENERATOR_VERSION}.jsonl"
    if not path.exists():
        write_jsonl(path, n, seed)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", help="number of events: 10k, 100k, 1m or a number")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("-o", "--output", type=Path, help="write here instead of the cache")
    args = parser.parse_args(argv)
    try:
        n = parse_size(args.size)
    except ValueError as exc:
        parser.error(str(exc))
    path = write_jsonl(args.output, n, args.seed) if args.output else cached(n, args.seed)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
