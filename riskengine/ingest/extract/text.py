"""Articles as text: front matter, Markdown masked to spaces, paragraphs, sentences, clauses.

Offsets everywhere are character offsets into the article file as read (front matter included),
so provenance points at the exact text. Markdown markup and front matter are replaced by spaces
of the same length in a working copy, never removed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskengine.core.errors import InputError, Issue, Location
from riskengine.core.source import parse_yaml, read_text

FRONT_MATTER_KEYS = ("title", "url", "publisher", "date", "reliability", "credibility", "country", "document")
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)
_ABBREVIATIONS = re.compile(r"(?:\b(?:U\.S|U\.N|E\.U|U\.K|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|St|Sgt|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec|No|vs|approx|est)|\b[A-Z])\.$")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|[.!?][\"”’]?(?=[A-Z][a-z])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    index: int  # position in the article
    heading: bool = False


@dataclass
class Article:
    path: str
    text: str  # as read
    work: str  # same length, markup and front matter blanked
    meta: dict[str, Any] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def published(self) -> dt.date | None:
        value = self.meta.get("date")
        return value if isinstance(value, dt.date) else None

    def sentence_text(self, s: Sentence) -> str:
        return self.text[s.start : s.end]


def read_article(path: Path, meta: dict[str, Any] | None = None, shown: str | None = None) -> Article:
    """Read an article; ``meta`` (from a sidecar file) fills what its front matter lacks."""
    name = shown or str(path)
    text, _raw, issues = read_text(path, name)
    if text is None:
        raise InputError(issues, f"cannot read article {name}")
    return parse_article(text, name, meta)


def parse_article(text: str, name: str = "<article>", meta: dict[str, Any] | None = None) -> Article:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    work = list(text)
    front: dict[str, Any] = {}
    m = _FRONT.match(text)
    if m:
        doc, issues = parse_yaml(m.group(1), name)
        errors = [i for i in issues if i.severity == "error"]
        if errors or doc is None:
            shifted = [Issue(i.code, i.message, Location(name, i.location.line + 1 if i.location.line else 0, i.location.col), i.hint) for i in errors]
            raise InputError(shifted, f"invalid front matter in {name}")
        if doc.data is not None and not isinstance(doc.data, dict):
            raise InputError([Issue("E106", "front matter must be a mapping", Location(name, 2, 1))])
        front = dict(doc.data or {})
        for i in range(m.end()):
            if work[i] != "\n":
                work[i] = " "
    merged = {**(meta or {}), **{k: v for k, v in front.items() if v is not None}}
    merged = _check_meta(merged, name)
    _mask_markdown(text, work)
    article = Article(name, text, "".join(work), merged)
    article.sentences = _segment(article.work)
    return article


def _check_meta(meta: dict[str, Any], name: str) -> dict[str, Any]:
    issues: list[Issue] = []
    unknown = sorted(set(meta) - set(FRONT_MATTER_KEYS))
    for key in unknown:
        issues.append(Issue("E107", f"unknown front matter key '{key}'", Location(name, 1, 1), f"expected one of: {', '.join(FRONT_MATTER_KEYS)}"))
    out = dict(meta)
    if "date" in out and not isinstance(out["date"], dt.date):
        try:
            out["date"] = dt.date.fromisoformat(str(out["date"]).strip()[:10])
        except ValueError:
            issues.append(Issue("E108", f"front matter date '{out['date']}' is not YYYY-MM-DD", Location(name, 1, 1)))
    if "reliability" in out and str(out["reliability"]) not in list("ABCDEF"):
        issues.append(Issue("E108", f"reliability '{out['reliability']}' is not one of A..F", Location(name, 1, 1)))
    if "credibility" in out:
        try:
            out["credibility"] = int(out["credibility"])
            if not 1 <= out["credibility"] <= 6:
                raise ValueError
        except (TypeError, ValueError):
            issues.append(Issue("E108", f"credibility '{out['credibility']}' is not 1..6", Location(name, 1, 1)))
    if issues:
        raise InputError(issues, f"invalid metadata for {name}")
    return out


def _mask_markdown(text: str, work: list[str]) -> None:
    def blank(a: int, b: int) -> None:
        for i in range(a, b):
            if work[i] != "\n":
                work[i] = " "

    for m in re.finditer(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,3}\.[ \t]+|>[ \t]?)", text, re.MULTILINE):
        blank(m.start(), m.end())
    for m in re.finditer(r"\*\*|__|`+|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", text):
        blank(m.start(), m.end())
    for m in re.finditer(r"\[([^\]]*)\]\([^)]*\)", text):  # [text](url): keep the text only
        blank(m.start(), m.start() + 1)
        blank(m.start() + 1 + len(m.group(1)), m.end())
    for m in re.finditer(r"^.*\|.*\|.*$", text, re.MULTILINE):  # tables are not prose
        blank(m.start(), m.end())


def _segment(work: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    paragraph = -1
    previous_line_open = False
    pos = 0
    for line in work.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            previous_line_open = False
            continue
        # A wrapped line (previous line did not end a sentence, this one starts lower-case)
        # continues its paragraph.
        if not (previous_line_open and stripped[0].islower()):
            paragraph += 1
        previous_line_open = not re.search(r"[.!?:\"”)]\s*$", stripped)
        heading = not re.search(r"[.!?\"”]\s*$", stripped) and len(stripped.split()) <= 14
        offset = start + (len(line) - len(line.lstrip()))
        for a, b in _split_sentences(stripped):
            sentences.append(Sentence(offset + a, offset + b, paragraph, len(sentences), heading))
    return sentences


def _split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATIONS.search(text[start : m.start() + 1]):
            continue
        spans.append((start, m.end()))
        rest = text[m.end() :]
        start = m.end() + (len(rest) - len(rest.lstrip()))
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return [(a, b) for a, b in spans if b > a]


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of a sentence: split at semicolons, dashes and ", while" joining two statements."""
    out: list[tuple[int, int]] = []
    a = start
    for m in re.finditer(r";|\s[—–]\s|,\s+(?=(?:while|whereas)\s)", text[start:end]):
        out.append((a, start + m.start()))
        a = start + m.end()
    out.append((a, end))
    return out
