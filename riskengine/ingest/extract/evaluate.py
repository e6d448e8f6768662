"""Precision, recall and F1 of the extractor against hand annotations (gold YAML).

Per document, predicted events are aligned one-to-one with gold events (greedily, best match
first; a pair needs the same kind or the same place). Then per field: a value both sides give
and agree on is a true positive; a predicted value that is wrong or has no aligned gold value is
a false positive; a gold value missed or wrong is a false negative (a wrong value counts as
both, as in slot-filling evaluations). Gold events marked ``optional`` are neither missed nor
spurious: an aligned prediction is simply not scored.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskengine.core.errors import InputError, Issue, Location
from riskengine.ingest.extract.articles import ExtractedEvent, Extractor
from riskengine.ingest.extract.config import load_mapping

# Reported field -> the event attributes it covers.
FIELDS: dict[str, tuple[str, ...]] = {
    "event_type": ("kind",),
    "location": ("location",),
    "country": ("country",),
    "date": ("event_date",),
    "killed": ("fatalities",),
    "injured": ("injured",),
    "launched": ("drones_launched", "missiles_launched"),
    "intercepted": ("drones_intercepted", "missiles_intercepted"),
}
GOLD_KEYS = {
    "kind", "optional", "note", "event_date", "location", "admin1", "country", "initiator_side", "target_side",
    "target_category", "target_name", "fatalities", "injured", "hospitalised", "drones_launched", "missiles_launched",
    "drones_intercepted", "missiles_intercepted", "aircraft_destroyed", "troops", "distance_from_border_km",
    "distance_from_front_km", "diplomatic_status", "scheduled_date", "claimed_by",
}  # fmt: skip


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    fields: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})
    mistakes: list[str] = field(default_factory=list)
    documents: int = 0

    @property
    def overall(self) -> Counts:
        return Counts(*(sum(getattr(c, a) for c in self.fields.values()) for a in ("tp", "fp", "fn")))

    def render(self) -> str:
        lines = [f"{'field':<12} {'P':>6} {'R':>6} {'F1':>6}  {'tp':>4} {'fp':>4} {'fn':>4}"]
        for name, c in [*self.fields.items(), ("overall", self.overall)]:
            lines.append(f"{name:<12} {c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f}  {c.tp:>4} {c.fp:>4} {c.fn:>4}")
        lines.append(f"documents: {self.documents}")
        if self.mistakes:
            lines.append("mistakes:")
            lines.extend(f"  {m}" for m in self.mistakes)
        return "\n".join(lines) + "\n"



def _shown(value: object) -> str:
    """A value in a mistake line: dates as an analyst writes them (2025-03-04, not
    datetime.date(2025, 3, 4)), other values quoted as Python shows them."""
    return value.isoformat() if isinstance(value, dt.date) else repr(value)

def load_gold(path: Path) -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]]]:
    """(documents -> gold events, documents -> metadata named by the gold file's ``metadata:``)."""
    data = load_mapping(path, "gold file")
    docs = data.get("documents")
    if not isinstance(docs, dict):
        raise InputError([Issue("E501", "gold file needs 'documents:' mapping file names to events", Location(str(path), 1, 1))])
    issues: list[Issue] = []
    for name, events in docs.items():
        for i, ev in enumerate(events or []):
            unknown = sorted(set(ev) - GOLD_KEYS)
            if unknown or "kind" not in ev or "country" not in ev:
                problem = f"unknown key(s) {', '.join(unknown)}" if unknown else "needs 'kind' and 'country'"
                issues.append(Issue("E502", problem, Location(str(path), 0, 0, f"documents.{name}[{i}]")))
    if issues:
        raise InputError(issues, f"invalid gold file {path}")
    meta: dict[str, dict[str, Any]] = {}
    if data.get("metadata"):
        meta = load_metadata(path.parent / str(data["metadata"]))
    return {str(k): list(v or []) for k, v in docs.items()}, meta


def load_metadata(path: Path) -> dict[str, dict[str, Any]]:
    """A sidecar mapping article file name -> front matter (for texts that carry none)."""
    data = load_mapping(path, "metadata file")
    for name, meta in data.items():
        if not isinstance(meta, dict):
            raise InputError([Issue("E503", "metadata for a file must be a mapping", Location(str(path), 0, 0, str(name)))])
    return {str(k): dict(v) for k, v in data.items()}


def _value(obj: dict[str, Any], attr: str) -> Any:
    value = obj.get(attr)
    if isinstance(value, str) and attr == "event_date":
        return dt.date.fromisoformat(value)
    if isinstance(value, str):
        # A place's accents are transliteration, not another place: the extractor writes the
        # index's "Tillabéri" where the article and its gold say "Tillaberi".
        folded = unicodedata.normalize("NFKD", value.casefold())
        return "".join(c for c in folded if not unicodedata.combining(c))
    return value


def predicted_view(item: ExtractedEvent) -> dict[str, Any]:
    """The values the extractor stated (a default 0 fatalities it never read is no prediction)."""
    e = item.event
    stated = item.provenance["fields"]
    view: dict[str, Any] = {"kind": item.provenance["kind"], "country": e.country, "event_date": e.event_date}
    view["location"] = e.location or e.admin1
    if not e.location and e.admin1:
        # placed at a region, not a town: its name may be the gold's "Belgorod region"
        view["region_level"] = True
    for attr in ("fatalities", "injured", "drones_launched", "missiles_launched", "drones_intercepted", "missiles_intercepted"):
        if attr in stated:
            view[attr] = getattr(e, attr)
    return view


def gold_view(g: dict[str, Any]) -> dict[str, Any]:
    view = {k: v for k, v in g.items() if v is not None}
    if "location" not in view and "admin1" in view:
        # read as the prediction is read (location, else admin1): an event the gold places at a
        # region is placed, and a prediction at that region is right, not spurious
        view["location"] = view["admin1"]
    if isinstance(view.get("event_date"), str):
        view["event_date"] = dt.date.fromisoformat(view["event_date"])
    return view


# "Belgorod region", "Kursk oblast": the word the article names a region with, which the index's
# admin1 ("Belgorod") does not carry
_REGION_WORD = re.compile(r"\s+(?:region|oblast|province|governorate|krai|state)$")


def _same(p: dict[str, Any], g: dict[str, Any], attr: str) -> bool:
    pv, gv = _value(p, attr), _value(g, attr)
    if pv is None or gv is None:
        return False
    if pv == gv:
        return True
    # only a prediction placed at the region itself matches a region named with its word: the
    # town "Belgorod" is not the "Belgorod region"
    return attr == "location" and bool(p.get("region_level")) and isinstance(gv, str) and isinstance(pv, str) and _REGION_WORD.sub("", gv) == _REGION_WORD.sub("", pv)


def _similarity(p: dict[str, Any], g: dict[str, Any]) -> float:
    score = 0.0
    if p.get("kind") == g.get("kind"):
        score += 2
    if p.get("location") and _same(p, g, "location"):
        score += 2
    if not (score >= 2 or (p.get("location") is None and g.get("location") is None and _value(p, "country") == _value(g, "country") and p.get("kind") == g.get("kind"))):
        return 0.0
    score += _value(p, "country") == _value(g, "country")
    score += _value(p, "event_date") == _value(g, "event_date")
    for attrs in list(FIELDS.values())[4:]:
        for a in attrs:
            if a in p and a in g and p[a] == g[a]:
                score += 0.5
    return float(score)


def align(predicted: list[dict[str, Any]], gold: list[dict[str, Any]]) -> tuple[list[tuple[int, int]], set[int]]:
    """Predicted and gold events (gold in ``gold_view`` form) paired one to one, greedily, most
    similar first (ties by position): the (predicted, gold) index pairs, and the predicted
    indices paired. benchmarks/extract_loso.py classifies misses with the same pairing."""
    pairs = sorted(
        ((_similarity(p, g), i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    aligned: list[tuple[int, int]] = []
    for s, i, j in pairs:
        if s <= 0 or i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        aligned.append((i, j))
    return aligned, used_p


def score_document(name: str, predicted: list[dict[str, Any]], gold: list[dict[str, Any]], report: Report) -> None:
    gold = [gold_view(g) for g in gold]
    aligned, used_p = align(predicted, gold)
    used_g = {j for _, j in aligned}
    for i, j in aligned:
        p, g = predicted[i], gold[j]
        if g.get("optional"):
            continue
        for fname, attrs in FIELDS.items():
            for a in attrs:
                pv, gv = _value(p, a), _value(g, a)
                c = report.fields[fname]
                if _same(p, g, a):
                    c.tp += 1
                    continue
                if pv is not None:
                    c.fp += 1
                if gv is not None:
                    c.fn += 1
                if pv is not None or gv is not None:
                    report.mistakes.append(f"{name}: {g['kind']} {g.get('location') or g['country']}: {a} predicted {_shown(p.get(a))}, gold {_shown(g.get(a))}")
    for i, p in enumerate(predicted):
        if i in used_p:
            continue
        for fname, attrs in FIELDS.items():
            for a in attrs:
                if p.get(a) is not None:
                    report.fields[fname].fp += 1
        report.mistakes.append(f"{name}: spurious {p['kind']} {p.get('location') or p['country']} {p['event_date']}")
    for j, g in enumerate(gold):
        if j in used_g or g.get("optional"):
            continue
        for fname, attrs in FIELDS.items():
            for a in attrs:
                if g.get(a) is not None:
                    report.fields[fname].fn += 1
        report.mistakes.append(f"{name}: missed {g['kind']} {g.get('location') or g['country']} {g['event_date']}")


def evaluate(gold_path: Path, articles: list[Path], metadata: dict[str, dict[str, Any]] | None = None, extractor: Extractor | None = None) -> Report:
    gold, gold_meta = load_gold(gold_path)
    meta = {**gold_meta, **(metadata or {})}
    extractor = extractor or Extractor()
    report = Report()
    issues: list[Issue] = []
    for path in articles:
        if path.name not in gold:
            issues.append(Issue("E504", "no gold annotations for this article", Location(str(path)), f"documents in {gold_path.name}: {', '.join(sorted(gold))}"))
            continue
        try:
            predicted = [predicted_view(e) for e in extractor.extract_file(path, meta.get(path.name))]
        except InputError as error:
            # An article the extractor cannot read (no date found, say) extracted nothing: its gold
            # events count as missed. Stopping the evaluation there left a set without a figure.
            predicted = []
            report.mistakes.extend(f"{path.name}: nothing extracted: {issue.message}" for issue in error.issues)
        score_document(path.name, predicted, gold[path.name], report)
        report.documents += 1
    if issues:
        raise InputError(issues, "articles without gold annotations")
    return report
