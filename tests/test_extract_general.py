"""Classes of reporting the fourth and fifth blind sets' remaining misses stood for (session 10),
each tested on sentences of our own, not the blind sets': towns shown as the article spells them,
and the further classes below."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskengine.core.events import Event
from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.dedup import deduplicate

HERE = Path(__file__).parent / "extract"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def found(extractor: Extractor, text: str, date: str = "2025-06-03", name: str = "t.txt") -> list[tuple[str, Event]]:
    return [(x.provenance["kind"], x.event) for x in extractor.extract_text(f"---\ndate: {date}\n---\n{text}\n", name)]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        # GeoNames writes Novokuybyshevsk, Homyel: the press and the gold conventions as written
        ("Ukrainian drones struck the oil refinery in Novokuibyshevsk on Sunday.", "Novokuibyshevsk"),
        ("Ukrainian drones struck the oil refinery in Novokuybyshevsk on Sunday.", "Novokuybyshevsk"),
        ("Belarus has concentrated 4,000 troops near Gomel, the border service said on Monday.", "Gomel"),
        # Ukrainian towns keep the national transliteration whatever the spelling
        ("Russian drones struck an oil depot in Pavlograd on Sunday.", "Pavlohrad"),
    ],
)
def test_a_town_outside_ukraine_is_shown_as_the_article_spells_it(extractor: Extractor, text: str, location: str) -> None:
    ((_, e),) = found(extractor, text)
    assert e.location == location


def test_one_town_in_two_spellings_is_one_event_across_articles(extractor: Extractor) -> None:
    a = extractor.extract_text("---\ndate: 2025-06-03\n---\nUkrainian drones struck the oil refinery in Novokuibyshevsk on Sunday.\n", "a.txt")
    b = extractor.extract_text("---\ndate: 2025-06-03\n---\nUkrainian drones hit the refinery in Novokuybyshevsk on Sunday.\n", "b.txt")
    assert [x.event.location for x in a + b] == ["Novokuibyshevsk", "Novokuybyshevsk"]
    assert len(deduplicate(a + b)) == 1
