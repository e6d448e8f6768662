"""The brief's map and trend charts without a browser: what they place, what they leave out and
say so, how far anything an event author writes can reach (escaped, cut, capped), and the same
bytes every time (riskengine/briefs/map.py, charts.py, visuals.py)."""

from __future__ import annotations

import datetime as dt
import re
import typing

import pytest

from riskengine.briefs.charts import MAX_REGION_CHARTS, build_trend_charts, charts_svg
from riskengine.briefs.map import MAX_LABELS, MAX_PLACES, R_MIN, _clip, _simplify, build_event_map, map_svg
from riskengine.briefs.render import build_context, render_brief
from riskengine.core.errors import TemplateError
from riskengine.core.events import Event
from riskengine.scoring.scores import Contribution, HistoryPoint, Series, source_weight, stakeholder_score

HOSTILE = "<script>alert(1)</script> {{ 7*7 }} \u202eevil"
DAY = dt.date(2025, 7, 2)


def _event(event_id: str, lat: float | None, lon: float | None, country: str = "UKR", location: str | None = "Kyiv") -> Event:
    data: dict[str, typing.Any] = {
        "event_id": event_id,
        "event_date": DAY,
        "event_type": "Explosions/Remote violence",
        "country": country,
        "location": location,
        "latitude": lat,
        "longitude": lon,
        "sources": [{"name": "Reuters", "reliability": "B", "credibility": 2}],
    }
    return Event.model_validate(data)


def _contribution(event: Event, points: float, dimension: str = "security") -> Contribution:
    weight = source_weight(event)
    return Contribution(
        rule_id=f"rule-{dimension}",
        rule_title="A rule",
        stakeholder="ngo",
        dimension=dimension,
        event_ids=[event.event_id],
        event_date=event.event_date,
        region=event.region,
        points=points,
        source_weight=weight,
        weighted_points=round(points * weight, 4),
        recommendation=None,
        rule_source="test",
        rule_file="rules/test.yaml",
        rule_line=1,
        sources=[],
    )


def _map(events: list[Event], points: list[float], regions: list[str] | None = None, dimensions: list[str] | None = None) -> typing.Any:
    contributions = [_contribution(e, p, d) for e, p, d in zip(events, points, dimensions or ["security"] * len(events), strict=True)]
    return build_event_map(contributions, {e.event_id: e for e in events}, regions or [], "w-map.png")


def test_places_merge_by_spot_and_are_sized_and_coloured_by_points() -> None:
    kyiv_a, kyiv_b = _event("A", 50.45, 30.52), _event("B", 50.45, 30.52)
    odesa = _event("C", 46.48, 30.73, location="Odesa")
    m = _map([kyiv_a, kyiv_b, odesa], [4.0, 2.0, 1.0], ["UKR"], ["security", "humanitarian", "economic"])
    assert [(p.name, p.events, p.dimension) for p in m.places] == [("Kyiv", 2, "security"), ("Odesa", 1, "economic")]
    kyiv, small = m.places
    # area proportional to points: r^2 ratio = points ratio (above the minimum radius)
    assert kyiv.r**2 / small.r**2 == pytest.approx(kyiv.weighted_points / small.weighted_points, rel=0.05)
    assert m.west < 30.52 < m.east and m.south < 46.48 < 50.45 < m.north
    svg = map_svg(m)
    assert svg.count("<circle") >= 2 and "Kyiv (2)" in svg and ">Ukraine</text>" in svg
    assert "Colour: dimension with most points" in svg and "Area: weighted points" in svg and "km</text>" in svg


def test_events_without_coordinates_are_listed_apart() -> None:
    placed, unplaced = _event("A", 50.45, 30.52), _event("TALKS", None, None, location=None)
    m = _map([placed, unplaced], [3.0, 1.0], ["UKR"])
    assert [p.event_ids for p in m.places] == [["A"]]
    assert [(u.event_id, u.country) for u in m.unplaced] == [("TALKS", "UKR")]
    assert "1 event without coordinates not drawn" in m.description


def test_a_huge_region_of_interest_does_not_set_the_extent() -> None:
    # Russia reaches the Pacific: outlined where it is in view, it must not turn a map of
    # Ukraine into one of Eurasia.
    m = _map([_event("A", 50.45, 30.52), _event("B", 48.0, 37.8)], [1.0, 1.0], ["RUS", "UKR"])
    assert m.east < 60 and m.west > 10
    assert m.outside_view == []
    far = _map([_event("A", 50.45, 30.52)], [1.0], ["AUS"])  # large too, and nowhere near: said so
    assert far.south > 40 and far.outside_view == ["AUS"]
    assert "Not in view: Australia" in _map_section(far)
    small = _map([_event("A", 50.45, 30.52)], [1.0], ["ISL"])  # small: the map reaches it
    assert small.west < -24 and small.north > 66 and small.outside_view == []


def _map_section(m: typing.Any) -> str:
    """The built-in HTML partial of the map, rendered alone."""
    from riskengine.briefs.render import make_environment

    return make_environment("html").get_template("_map.html.j2").render(event_map=m.model_dump(), window={"label": "2025-W27"})


def test_busy_week_caps_the_places_and_says_how_many_are_left_out() -> None:
    events = [_event(f"E{i:03d}", 44 + (i % 20) * 0.4, 22 + (i // 20) * 1.1, location=f"Town {i}") for i in range(MAX_PLACES + 37)]
    m = _map(events, [1.0 + i / 100 for i in range(len(events))])
    assert len(m.places) == MAX_PLACES and m.more_places == 37
    assert sum(p.labelled for p in m.places) <= MAX_LABELS
    assert min(p.r for p in m.places) >= R_MIN
    assert "37 more places not drawn" in m.description
    assert map_svg(m).count("<circle") == MAX_PLACES + len(m.size_key) + len({p.dimension for p in m.places})


def test_place_names_are_escaped_and_cut_in_the_svg() -> None:
    m = _map([_event("A", 50.45, 30.52, location=HOSTILE * 3)], [2.0])
    svg = map_svg(m)
    assert "<script" not in svg and "{{" not in svg and "\u202e" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#123;…" in svg  # cut to 28 characters
    assert max(len(p.name) for p in m.places) <= 28


def test_nothing_to_place_and_no_region_draws_no_map_and_says_why() -> None:
    m = _map([], [])
    assert not m.drawn and map_svg(m) == ""
    assert m.description.startswith("No map")


def test_the_map_is_the_same_bytes_every_time_with_fixed_decimals() -> None:
    events = [_event("A", 50.45, 30.52), _event("B", 56.85, 53.21, country="RUS", location="Izhevsk")]
    first = map_svg(_map(events, [3.0, 5.0], ["UKR", "MDA", "ROU"]))
    assert first == map_svg(_map(events, [3.0, 5.0], ["ROU", "UKR", "MDA"]))
    paths = re.findall(r' d="([^"]+)"', first)
    assert len(paths) > 20
    assert not re.search(r"\d\.\d\d", " ".join(paths)), "path coordinates have one decimal at most"


def test_clipping_and_simplifying_on_integers() -> None:
    square = [(-50, -50), (150, -50), (150, 150), (-50, 150)]
    assert sorted(_clip(square, 0, 0, 100, 100)) == [(0, 0), (0, 100), (100, 0), (100, 100)]
    line = [(0, 0), (10, 1), (20, 0), (30, 40), (40, 0)]
    assert _simplify(line, 5) == [(0, 0), (20, 0), (30, 40), (40, 0)]


# ---------------------------------------------------------------------------------------------
# Trend charts


def _stakeholder(regions: int) -> typing.Any:
    labels = [f"2025-W{w:02d}" for w in range(16, 28)]
    s = stakeholder_score(
        stakeholder="ngo", title="NGO", weights={"security": 0.6, "humanitarian": 0.4}, thresholds=[2.0, 4.0, 6.0, 8.0], saturation=2.0,
        regions_of_interest=[f"R{i:02d}" for i in range(regions)], current=[], previous=[], history=[(label, {"security": 1.0}) for label in labels],
    )
    series = [Series(name=f"R{i:02d}", points=[HistoryPoint(window=label, score=float(i % 3)) for label in labels]) for i in range(regions)]
    return s.model_copy(update={"region_history": series})


def test_region_panels_are_capped_and_the_rest_counted() -> None:
    s = _stakeholder(MAX_REGION_CHARTS + 4)
    charts = build_trend_charts(s, ["security", "humanitarian"], [(r.region, r.of_interest) for r in s.regions], "2025-W27-ngo")
    assert len(charts.regions) == MAX_REGION_CHARTS and charts.more_regions == 4
    assert [c.name for c in charts.dimensions] == ["security", "humanitarian"] and charts.dimensions[0].note == "weight 0.6"
    svg = charts_svg(charts, "regions")
    assert svg.count("<polyline") == MAX_REGION_CHARTS
    assert "no points in these weeks" in svg  # R00, R03, ...: all zero
    assert "score (0-10)" in svg and "ISO week, 2025-W16 to 2025-W27 (12 weeks)" in svg
    assert ">W27</text>" in svg and ">W19</text>" in svg
    assert charts_svg(charts, "dimensions") == charts_svg(charts, "dimensions")


def test_a_template_asking_for_an_unknown_chart_gets_a_template_error(tmp_path: typing.Any) -> None:
    from test_briefs import make_events, make_report

    events = make_events()
    context = build_context(make_report(events), "analyst", events)
    (tmp_path / "analyst.html.j2").write_text('{{ trend_svg(trend_charts, "weather") }}', encoding="utf-8")
    with pytest.raises(TemplateError, match="weather"):
        render_brief(context, "html", tmp_path)


def test_a_place_with_no_name_is_listed_by_its_coordinates_and_not_labelled() -> None:
    # a real Caucasus export of coordinates only: places were listed as "AZE (AZE)" five times, and
    # labelled on the map by coordinates that overlapped the circles of their neighbours
    m = _map([_event("A", 39.3512, 46.9331, country="AZE", location=None), _event("B", 40.28, 44.5, country="ARM", location="Yerevan")], [3.0, 1.0])
    unnamed = next(p for p in m.places if p.country == "AZE")
    assert unnamed.name == "39.35°N 46.93°E" and not unnamed.labelled
    assert next(p for p in m.places if p.country == "ARM").labelled


def test_regions_whose_natural_earth_admin_code_differs_from_iso_are_outlined() -> None:
    # A real Gaza 2023 export watched with --regions PSE: Natural Earth's Palestine is ADM0_A3
    # PSX but ISO_A3 PSE (South Sudan SDS/SSD alike); the map read the admin code first, so the
    # region was never outlined and the brief said "Not in view: Palestinian Territory" under a
    # map of Gaza.
    gaza = _map([_event("A", 31.52, 34.45, country="PSE", location="Gaza")], [5.0], ["PSE"])
    assert gaza.outside_view == []
    assert "Not in view" not in _map_section(gaza)
    juba = _map([_event("B", 4.85, 31.58, country="SSD", location="Juba")], [5.0], ["SSD"])
    assert juba.outside_view == []


def test_a_small_theatre_is_drawn_close_enough_to_tell_its_places_apart() -> None:
    # Gaza 2023-W45: 16 places within 20 km were one circle on a map 6 degrees tall (a minimum
    # span for context) reaching from Cyprus to Sinai; its places are now apart.
    places = [("A", 31.52, 34.45), ("B", 31.50, 34.47), ("C", 31.42, 34.36), ("D", 31.28, 34.25)]
    m = _map([_event(i, lat, lon, country="PSE", location=i) for i, lat, lon in places], [5.0, 4.0, 3.0, 2.0], ["PSE"])
    assert m.north - m.south < 3.5
    xs = sorted(p.x for p in m.places)
    assert xs[-1] - xs[0] > 2 * 22  # the outermost places are two of the largest circles apart
