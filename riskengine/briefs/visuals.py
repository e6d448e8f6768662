"""The brief's pictures: the map and the trend charts as inline SVG in HTML, as PNG files beside
a Markdown brief.

Templates call ``map_svg(event_map)`` and ``trend_svg(trend_charts, "dimensions" | "regions")``
(globals of the brief environment, ``install``); both return the SVG as markup, built by
``riskengine.briefs.map`` and ``riskengine.briefs.charts`` from the context alone, with every
text from events escaped there. A Markdown brief links ``event_map.image`` and the charts'
images; ``brief_images`` renders those files.

PNG comes from the same SVG through resvg (the ``resvg-py`` wheel): no browser, no system
library, the same pixels on every Python, and milliseconds a picture. Markdown is the default
format, so it must not need Chromium; the PDF does (``riskengine.briefs.pdf``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from markupsafe import Markup

from riskengine.briefs.charts import TrendCharts, charts_for, charts_svg
from riskengine.briefs.map import EventMap, map_svg

# One and a half times the SVG's size: sharp at the width a Markdown viewer shows it, about 0.2 MB a
# map and a quarter second of CPU (twice: 0.35 s).
PNG_ZOOM = 1.5


def _event_map(value: Any) -> EventMap:
    return value if isinstance(value, EventMap) else EventMap.model_validate(value)


@lru_cache(maxsize=16)
def _map_text(dumped: str) -> str:
    # The HTML and the Markdown of one brief draw the same map: drawn once.
    return map_svg(EventMap.model_validate_json(dumped))


def map_markup(value: Any) -> Markup:
    """The map as inline SVG markup (empty when there is no map)."""
    return Markup(_map_text(_event_map(value).model_dump_json()))  # escaped where it is built


def trend_markup(value: Any, kind: Literal["dimensions", "regions"]) -> Markup:
    """One set of trend panels as inline SVG markup (empty when there is no series)."""
    if kind not in ("dimensions", "regions"):
        raise ValueError(f"trend_svg draws 'dimensions' or 'regions', not {kind!r}")
    return Markup(charts_svg(charts_for(value), kind))  # escaped where it is built


def install(env: Any) -> None:
    """Make ``map_svg`` and ``trend_svg`` callable from the brief's templates."""
    env.globals["map_svg"] = map_markup
    env.globals["trend_svg"] = trend_markup


@dataclass(frozen=True)
class BriefImage:
    filename: str
    svg: str
    png: bytes


def svg_to_png(svg: str) -> bytes:
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=PNG_ZOOM, font_family="DejaVu Sans", sans_serif_family="DejaVu Sans"))


def brief_images(event_map: EventMap, trend_charts: TrendCharts, linked_from: str | None = None) -> list[BriefImage]:
    """The PNG files of a Markdown brief, by file name (none for an empty map or chart); with
    ``linked_from`` (the brief's text), only those it names: a template that leaves the map out
    gets no map file."""
    drawn: list[tuple[str, Callable[[], str]]] = [
        (event_map.image, lambda: _map_text(event_map.model_dump_json())),
        (trend_charts.dimension_image, lambda: charts_svg(trend_charts, "dimensions")),
        (trend_charts.region_image, lambda: charts_svg(trend_charts, "regions")),
    ]
    out = []
    for name, draw in drawn:
        if linked_from is not None and f"]({name})" not in linked_from:
            continue
        svg = draw()
        if svg:
            out.append(BriefImage(name, svg, svg_to_png(svg)))
    return out
