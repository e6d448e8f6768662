"""Trend charts: each dimension's and each region's score over the report's history weeks.

``build_trend_charts`` reads the series the scorer gives (``StakeholderScore.dimension_history``
and ``region_history``); ``charts_svg`` draws one of the two sets as small multiples, one panel a
series, on one 0-10 axis with the profile's class thresholds dashed, weeks on the x axis and
both axes labelled. Pure Python, coordinates rounded to 0.1 px, so the same bytes everywhere.

Bounded: a region panel is drawn for at most ``MAX_REGION_CHARTS`` regions (regions of interest
first, then by score, as the score table orders them); the brief says how many were left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from riskengine.briefs.palette import DIMENSION_COLOURS, OTHER_COLOUR, ROI_COLOUR, svg_text
from riskengine.briefs.places import region_name
from riskengine.scoring.scores import Series, StakeholderScore

MAX_REGION_CHARTS = 9
WIDTH = 900
PANEL_HEIGHT = 160
STRIP = 18  # left of the panels: the y axis title
X_TITLE = 26  # below the panels: the x axis title
_PLOT_LEFT, _PLOT_RIGHT, _PLOT_TOP, _PLOT_BOTTOM = 32, 14, 28, 26  # panel padding around its plot
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


class _Ctx(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SeriesChart(_Ctx):
    name: str = Field(description="Dimension name or region code")
    label: str = Field(description="The panel's title: the dimension, or the country's name ('Somalia' for SOM)")
    note: str = Field(description="What the panel title adds: the dimension's weight, or 'region of interest'")
    colour: str = Field(description="Line colour, #rrggbb (a dimension's colour is the map's)")
    scores: list[float] = Field(description="Score each week, oldest first (same weeks as TrendCharts.windows)")
    latest: float = Field(description="This week's score")
    highest: float = Field(description="Highest score of the weeks shown")
    sparkline: str = Field(description="Text sparkline of the scores on the fixed 0-10 scale")


class TrendCharts(_Ctx):
    windows: list[str] = Field(description="The weeks charted, oldest first")
    thresholds: list[float] = Field(description="Class thresholds, dashed on every panel")
    dimensions: list[SeriesChart] = Field(description="One panel per weighted dimension, in the order of the score table")
    regions: list[SeriesChart] = Field(description="One panel per region, in the order of the score table, at most 9")
    more_regions: int = Field(description="Regions left out beyond those charted")
    dimension_image: str = Field(description="PNG of the dimension panels written beside a Markdown brief")
    region_image: str = Field(description="PNG of the region panels written beside a Markdown brief")
    dimension_description: str = Field(description="The dimension panels in one sentence (alt text)")
    region_description: str = Field(description="The region panels in one sentence (alt text)")


def sparkline(values: Sequence[float], maximum: float = 10.0) -> str:
    top = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[min(top, max(0, round(v / maximum * top)))] for v in values)


def _chart(series: Series | None, name: str, note: str, colour: str, weeks: int, label: str | None = None) -> SeriesChart:
    scores = [p.score for p in series.points] if series is not None else [0.0] * weeks
    return SeriesChart(
        name=name,
        label=label or name,
        note=note,
        colour=colour,
        scores=scores,
        latest=scores[-1] if scores else 0.0,
        highest=max(scores, default=0.0),
        sparkline=sparkline(scores),
    )


def _describe(kind: str, charts: Sequence[SeriesChart], windows: Sequence[str]) -> str:
    if not charts or not windows:
        return f"No {kind} to chart."
    parts = ", ".join(f"{c.label} {c.latest:.1f} (high {c.highest:.1f})" for c in charts)
    return f"Score by {kind[:-1]}, {windows[0]} to {windows[-1]}, this week and the highest of the weeks shown: {parts}."


def build_trend_charts(s: StakeholderScore, dimension_order: Sequence[str], region_order: Sequence[tuple[str, bool]], prefix: str) -> TrendCharts:
    """The charts of one stakeholder; the orders are those of the brief's score tables."""
    windows = [p.window for p in s.history]
    weights = {d.dimension: d.weight for d in s.dimensions}
    by_dimension = {x.name: x for x in s.dimension_history}
    by_region = {x.name: x for x in s.region_history}
    dimensions = [
        _chart(by_dimension.get(name), name, f"weight {weights.get(name, 0.0):g}", DIMENSION_COLOURS.get(name, OTHER_COLOUR), len(windows))
        for name in dimension_order
        if name in by_dimension
    ]
    # Without a region history (a report built from points only) there is nothing to chart.
    charted = [(name, roi) for name, roi in region_order if name in by_region]
    regions = [
        _chart(by_region[name], name, "region of interest" if roi else "", ROI_COLOUR if roi else OTHER_COLOUR, len(windows), region_name(name))
        for name, roi in charted[:MAX_REGION_CHARTS]
    ]
    return TrendCharts(
        windows=windows,
        thresholds=[float(t) for t in s.thresholds],
        dimensions=dimensions,
        regions=regions,
        more_regions=max(0, len(charted) - MAX_REGION_CHARTS),
        dimension_image=f"{prefix}-dimensions.png",
        region_image=f"{prefix}-regions.png",
        dimension_description=_describe("dimensions", dimensions, windows),
        region_description=_describe("regions", regions, windows),
    )


_x = svg_text


def _week(label: str) -> str:
    return label.split("-", 1)[-1]  # 2025-W27 -> W27; the axis title gives the years


def charts_svg(charts: TrendCharts, kind: Literal["dimensions", "regions"]) -> str:
    """One set of panels as a self-contained SVG document; empty when there is no series."""
    series = charts.dimensions if kind == "dimensions" else charts.regions
    if not series or not charts.windows:
        return ""
    columns = 2 if len(series) <= 4 else 3  # wider panels while there is room: print shrinks them
    rows = (len(series) + columns - 1) // columns
    panel_width = (WIDTH - STRIP) // columns
    height = rows * PANEL_HEIGHT + X_TITLE
    noun = "dimension" if kind == "dimensions" else "region"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="re-chart" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{_x(charts.dimension_description if kind == "dimensions" else charts.region_description)}">',
        "<style>.re-chart text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11px;fill:#5b6575}"
        ".re-chart .title{font-size:13px;font-weight:bold;fill:#1d2430}.re-chart .note{font-size:11px;font-weight:normal;fill:#5b6575}"
        ".re-chart .value{font-size:13px;font-weight:bold;fill:#1d2430}.re-chart .axis{font-size:12px;fill:#1d2430}</style>",
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
    ]
    for row in range(rows):
        middle = row * PANEL_HEIGHT + (_PLOT_TOP + PANEL_HEIGHT - _PLOT_BOTTOM) / 2
        out.append(f'<text class="axis" transform="translate(12 {middle:.1f}) rotate(-90)" text-anchor="middle">score (0-10)</text>')
    for index, chart in enumerate(series):
        left = STRIP + (index % columns) * panel_width
        top = (index // columns) * PANEL_HEIGHT
        out.extend(_panel(chart, charts, left, top, panel_width))
    first, last = charts.windows[0], charts.windows[-1]
    out.append(
        f'<text class="axis" x="{STRIP + (WIDTH - STRIP) / 2:.1f}" y="{height - 8}" text-anchor="middle">'
        f"ISO week, {_x(first)} to {_x(last)} ({len(charts.windows)} weeks); score of each {noun} that week</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _panel(chart: SeriesChart, charts: TrendCharts, left: float, top: float, width: float) -> list[str]:
    x0, x1 = left + _PLOT_LEFT, left + width - _PLOT_RIGHT
    y0, y1 = top + _PLOT_TOP, top + PANEL_HEIGHT - _PLOT_BOTTOM  # y0: score 10, y1: score 0
    n = len(charts.windows)
    step = (x1 - x0) / (n - 1) if n > 1 else 0.0

    def xy(i: int, score: float) -> tuple[float, float]:
        return round(x0 + i * step if n > 1 else (x0 + x1) / 2, 1), round(y1 - score / 10 * (y1 - y0), 1)

    title = f'<tspan class="title">{_x(chart.label)}</tspan>' + (f'<tspan class="note" dx="6">{_x(chart.note)}</tspan>' if chart.note else "")
    out = [
        f'<text x="{x0:.1f}" y="{top + 17:.1f}">{title}</text>',
        f'<text class="value" x="{x1:.1f}" y="{top + 17:.1f}" text-anchor="end">{chart.latest:.1f}</text>',
        f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" fill="#f4f6f9"/>',
    ]
    for value in [0.0, *charts.thresholds, 10.0]:
        _, y = xy(0, value)
        if 0 < value < 10:
            out.append(f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c3cad5" stroke-dasharray="3 3"/>')
        out.append(f'<text x="{x0 - 4:.1f}" y="{y + 3.5:.1f}" text-anchor="end">{value:g}</text>')
    out.append(f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y1:.1f}" y2="{y1:.1f}" stroke="#9aa3b0"/>')
    labelled = {n - 1 - 4 * k for k in range((n + 3) // 4)}
    for i, label in enumerate(charts.windows):
        x, _ = xy(i, 0)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y1:.1f}" y2="{y1 + 3:.1f}" stroke="#9aa3b0"/>')
        if i in labelled:
            out.append(f'<text x="{x:.1f}" y="{y1 + 15:.1f}" text-anchor="middle">{_x(_week(label))}</text>')
    points = [xy(i, v) for i, v in enumerate(chart.scores)]
    if len(points) > 1:
        line = " ".join(f"{x:g},{y:g}" for x, y in points)
        out.append(f'<polyline points="{line}" fill="none" stroke="{chart.colour}" stroke-width="2" stroke-linejoin="round"/>')
    for i, ((x, y), value) in enumerate(zip(points, chart.scores, strict=True)):
        r = 3.5 if i == len(points) - 1 else 2
        out.append(f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" fill="{chart.colour}"><title>{_x(charts.windows[i])}: {value:.2f}</title></circle>')
    if chart.highest == 0:
        out.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{(y0 + y1) / 2:.1f}" text-anchor="middle">no points in these weeks</text>')
    return out


def charts_for(value: Any) -> TrendCharts:
    """A TrendCharts from the model or its dump (templates see dumps)."""
    return value if isinstance(value, TrendCharts) else TrendCharts.model_validate(value)
