"""What the extraction tests share: one sentence or paragraph extracted as an article of a given date."""

from __future__ import annotations

from riskengine.core.events import Event
from riskengine.ingest.extract.articles import Extractor


def found(extractor: Extractor, text: str, date: str = "2025-06-03", extra: str = "", name: str = "t.txt") -> list[tuple[str, Event]]:
    """(kind, event) for each event of ``text`` published on ``date``; ``extra`` adds front matter lines."""
    return [(x.provenance["kind"], x.event) for x in extractor.extract_text(f"---\ndate: {date}\n{extra}---\n{text}\n", name)]
