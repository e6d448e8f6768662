"""One event per real-world event: reports of the same strike in several articles are merged.

Two extracted events are the same event when they are of the same kind (strikes of any weapon
count as one kind, since outlets disagree on "drone" vs "missile"), at the same place (same town;
or same region when one names only the region; or both only a country), within
``window_days`` of each other. The merged event keeps every source and, in ``figures``, every
figure each source gave. The value used for scoring follows the policy in docs/EXTRACTION.md:

1. a figure not claimed by a warring side beats one a side claims;
2. then the figure from the better-graded source (reliability A..F, then credibility 1..6);
3. then the lowest figure (the conservative value, as ACLED codes fatalities).

Two independent sources reporting the same event make it ``confirmed`` unless one disputes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from riskengine.core.events import Event, FigureClaim, Source
from riskengine.ingest.extract.articles import ExtractedEvent

NUMERIC_FIELDS = (
    "fatalities", "injured", "hospitalised", "drones_launched", "drones_intercepted", "missiles_launched",
    "missiles_intercepted", "aircraft_destroyed", "troops", "distance_from_border_km", "distance_from_front_km",
)  # fmt: skip
STRIKE_KINDS = frozenset({"drone_strike", "missile_strike", "shelling", "air_strike", "remote_strike"})
_GRADE = "ABCDEF"


def _kind_key(item: ExtractedEvent) -> str:
    kind = item.provenance.get("kind", "")
    if kind in STRIKE_KINDS:
        return "strike"
    return f"{kind}/{item.event.diplomatic_status or ''}" if item.event.diplomatic_kind else kind


def same_event(a: ExtractedEvent, b: ExtractedEvent, window_days: int = 2) -> bool:
    ea, eb = a.event, b.event
    # One article's events were told apart by the extractor (a strike and the one "a day
    # earlier"); only reports from different articles are merged.
    if a.provenance.get("article") == b.provenance.get("article") and a.provenance.get("article") is not None:
        return False
    if _kind_key(a) != _kind_key(b) or ea.country != eb.country:
        return False
    if abs((ea.event_date - eb.event_date).days) > window_days:
        return False
    if ea.location and eb.location:
        # One town in two spellings ("Gomel", "Homel": towns are shown as each article writes
        # them) has the same coordinates.
        same_point = ea.latitude is not None and (ea.latitude, ea.longitude) == (eb.latitude, eb.longitude)
        return ea.location.casefold() == eb.location.casefold() or same_point
    if ea.location or eb.location:
        return bool(ea.admin1 and eb.admin1 and ea.admin1 == eb.admin1) and not (ea.location and eb.location)
    return (ea.admin1 or "") == (eb.admin1 or "")


def deduplicate(items: Iterable[ExtractedEvent], window_days: int = 2) -> list[ExtractedEvent]:
    """Merge reports of the same event; output sorted by date, country, event id."""
    groups: list[list[ExtractedEvent]] = []
    ordered = sorted(items, key=lambda i: (i.event.event_date, i.event.country, i.event.event_id))
    for item in ordered:
        for group in groups:
            if any(same_event(item, other, window_days) for other in group) and not any(
                item.provenance.get("article") == other.provenance.get("article") for other in group
            ):
                group.append(item)
                break
        else:
            groups.append([item])
    merged = [merge(g) if len(g) > 1 else g[0] for g in groups]
    return sorted(merged, key=lambda i: (i.event.event_date, i.event.country, i.event.event_id))


def _source_rank(source: Source) -> tuple[int, int]:
    return (_GRADE.index(source.reliability), source.credibility)


def choose(claims: list[tuple[FigureClaim, Source]]) -> FigureClaim:
    """The figure used for scoring among sources' figures for one field (see module doc)."""
    return min(claims, key=lambda cs: (cs[0].claimed_by is not None, _source_rank(cs[1]), cs[0].value))[0]


def merge(group: list[ExtractedEvent]) -> ExtractedEvent:
    # The best-graded report gives the descriptive fields; others fill what it lacks.
    group = sorted(group, key=lambda i: (_source_rank(min(i.event.sources, key=_source_rank)), i.event.event_id))
    base = group[0].event
    values: dict[str, Any] = base.model_dump()
    for item in group[1:]:
        for name, value in item.event.model_dump().items():
            if values.get(name) in (None, [], "") and value not in (None, [], ""):
                values[name] = value
    sources = sorted({s for i in group for s in i.event.sources}, key=lambda s: (s.name, s.date or dt.date.min))
    by_name = {s.name: s for s in sources}
    figures: set[FigureClaim] = set()
    for item in group:
        figures.update(item.event.figures)
        # A source's value for a field it stated without a FigureClaim (e.g. a negation: 0).
        stated = item.provenance.get("fields", {})
        for name in NUMERIC_FIELDS:
            value = getattr(item.event, name)
            if name in stated and value is not None and not any(f.field == name and f.source == item.event.sources[0].name for f in item.event.figures):
                figures.add(FigureClaim(field=name, value=value, source=item.event.sources[0].name))
    for name in NUMERIC_FIELDS:
        claims = [(f, by_name.get(f.source, Source(name=f.source))) for f in figures if f.field == name]
        if claims:
            chosen = choose(claims).value
            values[name] = int(chosen) if name not in ("distance_from_border_km", "distance_from_front_km") else chosen
    if values.get("injured") is not None and values.get("hospitalised") is not None and values["hospitalised"] > values["injured"]:
        values["injured"] = values["hospitalised"]
    for launched, intercepted in (("drones_launched", "drones_intercepted"), ("missiles_launched", "missiles_intercepted")):
        if values.get(launched) is not None and values.get(intercepted) is not None and values[intercepted] > values[launched]:
            values[launched] = values[intercepted]
    verifications = {i.event.verification for i in group}
    independent = {s.name.casefold() for s in sources}
    if "disputed" in verifications:
        values["verification"] = "disputed"
    elif len(independent) > 1 or "confirmed" in verifications:
        values["verification"] = "confirmed"
    values["sources"] = sources
    values["figures"] = sorted(figures, key=lambda f: (f.field, f.source, str(f.value)))
    values["tags"] = sorted({t for i in group for t in i.event.tags})
    spans = sorted({s for i in group for s in (i.event.spans or [])}, key=lambda s: (s.article, s.start, s.field))
    values["spans"] = spans or None
    event = Event(**values)
    provenance = {
        "event_id": event.event_id,
        "kind": group[0].provenance.get("kind"),
        "merged": [i.provenance for i in group],
        "fields": group[0].provenance.get("fields", {}),
        "article": group[0].provenance.get("article"),
    }
    return ExtractedEvent(event, provenance)
