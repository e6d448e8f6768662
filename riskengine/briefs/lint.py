"""A brief read as a demanding reader reads it: the checks a rendered brief must pass.

``lint_brief(text, fmt)`` checks a Markdown or HTML brief (from the built-in templates or a
user's) for:

* ``placeholder``: template syntax or filler left in (``{{``, ``{%``, ``{#``, TODO, TBD, FIXME,
  XXX, lorem ipsum) or a missing value printed (None, nan, undefined);
* ``likelihood-with-confidence``: a sentence that gives a likelihood (an ICD 203 word) and a
  confidence level at once; ICD 203 keeps the two judgments in separate sentences;
* ``mixed-likelihood-scale``: a word of estimative probability from another scale (probably,
  highly likely, realistic possibility, remote chance, ...) beside the ICD 203 words the brief
  uses, so a reader cannot tell which scale a word belongs to;
* ``empty-section``: a heading with nothing under it, or an empty list;
* ``count-without-noun``: a list ending in "and 4 more" that does not say 4 more of what
  ("and 4 more events", "and 4 more places").

``riskengine brief`` prints what it finds as warnings, and ``riskengine brief --lint`` fails
(exit 1) when it finds anything; tests run it over the golden briefs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# The ICD 203 words a brief uses (render.LIKELIHOOD_BANDS), longest first so that "unlikely" is
# not also read as "likely".
ICD203_WORDS: tuple[str, ...] = (
    "roughly even chance",
    "almost no chance",
    "almost certain",
    "very unlikely",
    "very likely",
    "unlikely",
    "likely",
)
# Words of other estimative scales (ICD 203's alternates, the UK PHIA yardstick, Kent's words):
# beside the ICD 203 words they make two scales in one brief.
OTHER_SCALE_WORDS: tuple[str, ...] = (
    "highly improbable",
    "highly probable",
    "highly unlikely",
    "highly likely",
    "nearly certain",
    "almost certainly",
    "realistic possibility",
    "remote chance",
    "remote possibility",
    "roughly even odds",
    "chances about even",
    "better than even",
    "improbable",
    "probable",
    "probably",
)
_PLACEHOLDERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("{{", re.compile(r"\{\{")),
    ("{%", re.compile(r"\{%")),
    ("{#", re.compile(r"\{#")),
    ("TODO", re.compile(r"\bTODO\b")),
    ("TBD", re.compile(r"\bTBD\b")),
    ("FIXME", re.compile(r"\bFIXME\b")),
    ("XXX", re.compile(r"\bXXX\b")),
    ("lorem ipsum", re.compile(r"\blorem ipsum\b", re.IGNORECASE)),
    ("None", re.compile(r"\bNone\b")),
    ("nan", re.compile(r"\b(?:nan|NaN|NAN)\b")),  # not "Nan": a place (Nan Hpe, Myanmar; Nan, Thailand)
    ("undefined", re.compile(r"\bundefined\b")),
)
_CONFIDENCE = re.compile(r"\bconfidence\b", re.IGNORECASE)
# "and 4 more" before a mark, a bracket or the end of the line: no noun after the count
_BARE_MORE = re.compile(r"\band [0-9][0-9,]* more(?=\s*(?:[.;:,)\]]|$))", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])|\u2029")
_BLOCK_TAG = re.compile(r"</?(?:p|li|ol|ul|h[1-6]|section|article|header|footer|div|tr|td|th|table|figure|figcaption|br)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class LintFinding:
    check: str
    line: int
    message: str

    def render(self, name: str) -> str:
        return f"{name}:{self.line}: {self.check}: {self.message}"


def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so "unlikely" is one match and not also "likely", "highly likely" not "likely".
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")


_ICD203 = _alternation(ICD203_WORDS)
_OTHER_SCALES = _alternation(OTHER_SCALE_WORDS)


def _words_in(sentence: str, pattern: re.Pattern[str]) -> list[str]:
    return list(dict.fromkeys(m.group(1) for m in pattern.finditer(sentence.lower())))


def _text_lines(text: str, fmt: str) -> list[str]:
    """The brief's lines as a reader sees them: for HTML without style, scripts and tags (a block
    tag ends a sentence), entities decoded; line numbers stay those of the file."""
    if fmt != "html":
        return text.split("\n")

    def blank(match: re.Match[str]) -> str:  # keep the line count of what is removed
        return "\n" * match.group().count("\n")

    text = re.sub(r"<(style|script|svg)\b.*?</\1>", blank, text, flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(r"<!--.*?-->", blank, text, flags=re.DOTALL)
    lines = []
    for line in text.split("\n"):
        line = _BLOCK_TAG.sub("\u2029", line)
        lines.append(html.unescape(_TAG.sub("", line)))
    return lines


def _sentences(line: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(line) if s.strip()]


def _empty_sections_md(lines: list[str]) -> list[LintFinding]:
    found = []
    headings = [(i, len(m.group(1)), m.group(2)) for i, line in enumerate(lines) if (m := re.match(r"^(#{1,6})\s+(.*)$", line))]
    for n, (index, level, title) in enumerate(headings):
        end = headings[n + 1][0] if n + 1 < len(headings) else len(lines)
        deeper_next = n + 1 < len(headings) and headings[n + 1][1] > level
        body = [line for line in lines[index + 1 : end] if line.strip() and not re.match(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$", line)]
        if not body and not deeper_next:
            found.append(LintFinding("empty-section", index + 1, f"'{title.strip()}' has nothing under it"))
    return found


def _empty_sections_html(text: str) -> list[LintFinding]:
    found = []
    for match in re.finditer(r"<section\b[^>]*>(.*?)</section>", text, flags=re.IGNORECASE | re.DOTALL):
        inner = re.sub(r"<h[1-6]\b[^>]*>.*?</h[1-6]>", "", match.group(1), flags=re.IGNORECASE | re.DOTALL)
        inner = re.sub(r"<(style|script)\b.*?</\1>", "", inner, flags=re.IGNORECASE | re.DOTALL)
        has_figure = re.search(r"<(svg|img|table)\b", inner, flags=re.IGNORECASE)
        if not html.unescape(_TAG.sub("", inner)).strip() and not has_figure:
            title = re.search(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", match.group(1), flags=re.IGNORECASE | re.DOTALL)
            shown = html.unescape(_TAG.sub("", title.group(1))).strip() if title else "a section"
            found.append(LintFinding("empty-section", text.count("\n", 0, match.start()) + 1, f"'{shown}' has nothing under it"))
    for match in re.finditer(r"<(ol|ul)\b[^>]*>\s*</\1>", text, flags=re.IGNORECASE):
        found.append(LintFinding("empty-section", text.count("\n", 0, match.start()) + 1, f"an empty <{match.group(1)}> list"))
    return found


def lint_brief(text: str, fmt: str) -> list[LintFinding]:
    """What a demanding reader would object to in a rendered ``md`` or ``html`` brief, by line."""
    found: list[LintFinding] = []
    raw_lines = text.split("\n")
    for number, line in enumerate(raw_lines, start=1):
        if fmt == "html" and re.match(r"\s*<(style|/style)", line):
            continue
        for name, pattern in _PLACEHOLDERS:
            if pattern.search(line):
                found.append(LintFinding("placeholder", number, f"'{name}' left in the text"))
    seen_scales: set[str] = set()
    for number, line in enumerate(_text_lines(text, fmt), start=1):
        for sentence in _sentences(line):
            likelihoods = _words_in(sentence, _ICD203)
            if likelihoods and _CONFIDENCE.search(sentence):
                found.append(
                    LintFinding(
                        "likelihood-with-confidence",
                        number,
                        f"'{likelihoods[0]}' and a confidence level in one sentence: {sentence.strip()[:120]}",
                    )
                )
            for bare in _BARE_MORE.finditer(sentence):
                found.append(LintFinding("count-without-noun", number, f"'{bare.group()}' does not say more of what: {sentence.strip()[:120]}"))
            for word in _words_in(sentence, _OTHER_SCALES):
                if word not in seen_scales:
                    seen_scales.add(word)
                    found.append(
                        LintFinding("mixed-likelihood-scale", number, f"'{word}' is not one of the ICD 203 words the brief uses")
                    )
    found += _empty_sections_html(text) if fmt == "html" else _empty_sections_md(raw_lines)
    return sorted(found, key=lambda f: (f.line, f.check, f.message))


__all__ = ["ICD203_WORDS", "OTHER_SCALE_WORDS", "LintFinding", "lint_brief"]
