"""What a brief cites, in a form a reader can follow: the source documents by name and title,
rule sources split into document and section, and links that are safe to click.

Rules cite a seed document as ``"001 Opening paragraphs"`` (``SourceRef.label``): a number a
reader cannot open. ``SEED_DOCUMENTS`` names the five documents the project was built from
(/work/shared/seeds, README.md there) with their file, title and date, so a brief can list them.
Three of them carry no headline of their own; their title is the subject the seeds README gives,
marked as supplied (shown in square brackets, as bibliographies mark a title they supply).

A source URL comes from whoever wrote the event file. Only ``http`` and ``https`` URLs with a host
become links (no ``javascript:``, ``data:`` or ``file:``), and characters that could end a
Markdown link or an HTML attribute are percent-encoded.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

from riskengine.rules.models import METHODS


@dataclass(frozen=True)
class SeedDocument:
    """One source document of the project."""

    id: str
    file: str
    title: str
    title_supplied: bool  # the document has no headline; the title is its subject, from the seeds README
    kind: str
    date: str  # as public reporting dates it, which may be approximate ("early July 2025")
    # The countries the document reports on and what it is about: a rule drawn from it fires on
    # events anywhere, and a brief on Somalia says the rule is a general one taken from a report
    # on another war, not a finding about Somalia.
    theatre: tuple[str, ...] = ("RUS", "UKR")
    about: str = "the war between Russia and Ukraine"


SEED_DOCUMENTS: dict[str, SeedDocument] = {
    d.id: d
    for d in (
        SeedDocument(
            "000",
            "000_a3216a9734c006cf.txt",
            "Heightened Tensions: The Geopolitical Fallout of Ukraine’s Drone Attack on Russia",
            False,
            "analysis",
            "2025-07-01",
        ),
        SeedDocument(
            "001",
            "001_abadb6bfc1eeddde.txt",
            "News report of the Izhevsk strike (3 dead, 35 hospitalised, 10 serious), Guliaipole shelling, "
            "Luhansk control claim, stalled talks",
            True,
            "news report",
            "2025-07-01",
        ),
        SeedDocument(
            "002",
            "002_cdb15708488eab4c.txt",
            "Russia and Ukraine Exchange Long-Range Drone Attacks Amid Prospects for Peace Talks",
            False,
            "news report",
            "early July 2025",
        ),
        SeedDocument(
            "003",
            "003_78724448e0a2cc4f.txt",
            "Russian drone strike on the Danube port of Izmail next to NATO member Romania (post office "
            "destroyed, no casualties); Istanbul talks due the following Monday",
            True,
            "analysis",
            "2025-05-30",
            ("ROU", "RUS", "UKR"),
        ),
        SeedDocument(
            "004",
            "004_d64ce4022100d3c8.txt",
            "Mass Russian drone strike on Kyiv after a Trump–Putin phone call; power outages, fires, "
            "international reactions, sanctions threats",
            True,
            "analysis",
            "2025-07-04",
        ),
    )
}


@dataclass(frozen=True)
class RuleSource:
    """A rule's ``source`` label taken apart: a seed document and section, or a public method."""

    label: str
    document: str | None
    method: str | None
    section: str

    @property
    def name(self) -> str:
        """'seed 001', 'document 042' (not in the catalogue) or the method's name."""
        return self.method if self.method is not None else document_name(self.document or "")


def document_name(document: str) -> str:
    """How a brief names a document: 'seed 001' for the project's own, else 'document 042'."""
    return f"seed {document}" if document in SEED_DOCUMENTS else f"document {document}"


def general_rule(document: str | None, regions: Iterable[str]) -> SeedDocument | None:
    """The seed document a rule was drawn from when the rule fired only outside the document's
    theatre (a rule from a report on Ukraine firing in Somalia): the brief then calls it a general
    rule drawn from that document. None for a method, an unknown document or a firing inside it."""
    seed = SEED_DOCUMENTS.get(document or "")
    if seed is None or set(regions) & set(seed.theatre):
        return None
    return seed


def cited_as(source: RuleSource, rule_file: str, rule_line: int, general: SeedDocument | None) -> str:
    """A rule's citation as a brief prints it after its id: where the rule is, and what it is.
    'rules/ngo.yaml:25, a general rule drawn from seed 000, “Recommendations for Stakeholders,
    3”, an analysis about the war between Russia and Ukraine, not about these events'."""
    where = f"{rule_file}:{rule_line}, " if rule_file and rule_line else f"{rule_file}, " if rule_file else ""
    if source.method is not None:
        return f"{where}{source.method}, “{source.section}”"
    if general is not None:
        return f"{where}a general rule drawn from {source.name}, “{source.section}”, {_kind_article(general.kind)} about {general.about}, not about these events"
    return f"{where}drawn from {source.name}, “{source.section}”"


def _kind_article(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def parse_rule_source(label: str) -> RuleSource:
    """``SourceRef.label`` back into its parts: ``"001 Opening paragraphs"`` (document, section)
    or ``"ACLED Conflict Index: Deadliness"`` (method, section)."""
    for method in METHODS:
        if label.startswith(method + ": "):
            return RuleSource(label, None, method, label[len(method) + 2 :])
    document, _, section = label.partition(" ")
    return RuleSource(label, document, None, section or label)


# Characters kept as they are in a link; everything else (spaces, quotes, < > ( ) [ ] { } `, \,
# |, non-ASCII) is percent-encoded, so it cannot end a Markdown link or an HTML attribute.
_LINK_SAFE = "/?:@&=+$,;-_.!~*#%"
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def safe_link(url: str | None) -> str | None:
    """``url`` as a link a brief may print, or None: only http(s) with a host is linked."""
    if not url:
        return None
    text = url.strip()
    if _CONTROL_OR_SPACE.search(text):
        return None
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:  # e.g. an unbalanced '[' in the host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return urllib.parse.quote(text, safe=_LINK_SAFE)


__all__ = ["SEED_DOCUMENTS", "RuleSource", "SeedDocument", "cited_as", "document_name", "general_rule", "parse_rule_source", "safe_link"]
