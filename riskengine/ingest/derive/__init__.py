"""Derive what the rules need from what ACLED gives: figures, targets and tags from the notes,
sides from the actor names, distances from the coordinates. One layer, shared by the ACLED
importer (``enrich_event`` per event) and by article extraction; every value it fills is recorded
in ``Event.derived`` with the method and evidence."""

from riskengine.ingest.derive.enrich import enrich_event

__all__ = ["enrich_event"]
