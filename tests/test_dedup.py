"""Merging reports of one event from several articles, and the figure policy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from riskengine.core.events import Event, FigureClaim, Source
from riskengine.ingest.extract.articles import ExtractedEvent, extract_articles
from riskengine.ingest.extract.dedup import choose, deduplicate, same_event
from riskengine.ingest.extract.evaluate import load_metadata

HERE = Path(__file__).parent / "extract"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def item(article: str, source: Source, kind: str = "drone_strike", **fields: object) -> ExtractedEvent:
    values: dict = {"event_id": f"E-{article}", "event_date": dt.date(2025, 7, 1), "event_type": "Explosions/Remote violence", "country": "RUS", "sources": [source]}
    values.update(fields)
    stated = {k: [] for k in fields}
    return ExtractedEvent(Event(**values), {"article": article, "kind": kind, "fields": stated})


A = Source(name="Agency", reliability="B", credibility=2)
BLOG = Source(name="Blog", reliability="C", credibility=3)


def test_same_event_rules() -> None:
    a = item("a", A, location="Izhevsk", admin1="Udmurt Republic")
    assert same_event(a, item("b", BLOG, location="Izhevsk", event_date=dt.date(2025, 7, 2)))
    assert not same_event(a, item("b", BLOG, location="Izhevsk", event_date=dt.date(2025, 7, 5)))
    assert not same_event(a, item("b", BLOG, location="Sarapul"))
    assert same_event(a, item("b", BLOG, admin1="Udmurt Republic"))  # one names only the region
    assert same_event(a, item("b", BLOG, kind="missile_strike", location="Izhevsk"))  # outlets differ on the weapon
    assert not same_event(a, item("b", BLOG, kind="talks", location="Izhevsk"))
    assert not same_event(a, item("a", A, location="Izhevsk"))  # one article's events stay apart


@pytest.mark.parametrize(
    "claims, expected",
    [
        ([(24, None, A), (35, None, BLOG)], 24),  # better-graded source wins
        ([(35, None, A), (24, None, Source(name="Blog2", reliability="B", credibility=2))], 24),  # same grade: the lower value
        ([(3, "Ukraine", A), (5, None, BLOG)], 5),  # a side's claim loses to an unclaimed figure
    ],
)
def test_figure_policy(claims: list, expected: int) -> None:
    pairs = [(FigureClaim(field="injured", value=v, source=s.name, claimed_by=c), s) for v, c, s in claims]
    assert choose(pairs).value == expected


def test_conflicting_figures_are_all_kept() -> None:
    merged = deduplicate([
        item("a", A, location="Izhevsk", injured=24, figures=[FigureClaim(field="injured", value=24, source="Agency")]),
        item("b", BLOG, location="Izhevsk", injured=35, figures=[FigureClaim(field="injured", value=35, source="Blog")]),
    ])  # fmt: skip
    [event] = [m.event for m in merged]
    assert event.injured == 24 and {(f.value, f.source) for f in event.figures if f.field == "injured"} == {(24, "Agency"), (35, "Blog")}
    assert [s.name for s in event.sources] == ["Agency", "Blog"] and event.verification == "confirmed"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not beside the checkout")
def test_izhevsk_seeds_become_one_event_with_two_sources() -> None:
    meta = load_metadata(HERE / "seeds.meta.yaml")
    items = extract_articles([SEEDS / "000_a3216a9734c006cf.txt", SEEDS / "001_abadb6bfc1eeddde.txt"], meta)
    izhevsk = [i.event for i in deduplicate(items) if i.event.location == "Izhevsk"]
    assert len(izhevsk) == 1
    event = izhevsk[0]
    assert [s.document for s in event.sources] == ["000", "001"]
    assert event.fatalities == 3 and event.hospitalised == 35  # 001 is the better-graded source
    assert {(f.source, f.value) for f in event.figures if f.field == "hospitalised"} == {("seed 000", 30), ("seed 001", 35)}
    assert event.distance_from_border_km == 1000 and event.distance_from_front_km == 1000
