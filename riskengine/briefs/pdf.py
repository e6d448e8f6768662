"""PDF briefs: the HTML brief as print-ready A4, printed by headless Chromium.

The HTML brief already lays itself out for print (its ``@media print`` rules: no background band,
no section split across a page where it can be helped); Chromium prints it with its backgrounds
(class badges, score bars), and a footer with the brief's title and "page N of M". Fonts are
embedded (subsets, as Chromium always does; ``pdffonts`` lists them).

Deterministic as far as Chromium allows: the PDF's creation and modification dates are those of
``--now`` (and are left out without it), so one Chromium version prints the same bytes from
the same brief; another version may lay out differently, which is why the golden test compares
the text and the page count, not the bytes. One browser start prints every brief of a run.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from riskengine.briefs.chromium import Chromium

A4_INCHES = (8.27, 11.69)
# The page margins are the HTML's own (@page in base.html.j2); the footer sits in the bottom one.
FOOTER = (
    '<div style="font: 8px \'DejaVu Sans\', Arial, sans-serif; color: #5b6575; width: 100%; padding: 0 14mm; '
    'display: flex; justify-content: space-between;"><span class="title"></span>'
    '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
)
_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9]{14}[^)]{0,8}\)")


@dataclass(frozen=True)
class PrintedBrief:
    filename: str
    pdf: bytes


def pdf_date(now: str) -> str:
    """``--now`` as a PDF date in UTC, e.g. D:20250707060000+00'00' (Chromium's own form)."""
    moment = dt.datetime.fromisoformat(now)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def set_dates(pdf: bytes, now: str | None) -> bytes:
    """The PDF with its dates set to ``now``, or without dates: each entry is rewritten in place,
    to the same length, so the cross-reference table's byte offsets stay right."""

    def replace(match: re.Match[bytes]) -> bytes:
        original = match.group(0)
        if now is None:
            return b" " * len(original)  # an entry blanked out is whitespace between the others
        entry = b"/" + match.group(1) + b" (" + pdf_date(now).encode() + b")"
        return entry.ljust(len(original)) if len(entry) <= len(original) else original

    return _DATE.sub(replace, pdf)


def print_pdfs(pages: Sequence[tuple[str, str]], now: str | None, browser: Chromium | None = None) -> list[PrintedBrief]:
    """Print HTML briefs, given as (PDF file name, HTML text), in one browser: ``browser`` when
    given, else one started (and stopped) here."""
    with tempfile.TemporaryDirectory(prefix="riskengine-pdf-") as folder:
        if browser is None:
            with Chromium() as started:
                return _print(started, pages, Path(folder), now)
        return _print(browser, pages, Path(folder), now)


def _print(browser: Chromium, pages: Sequence[tuple[str, str]], folder: Path, now: str | None) -> list[PrintedBrief]:
    printed = []
    for index, (filename, html) in enumerate(pages):
        source = folder / f"{index}.html"
        source.write_text(html, encoding="utf-8")
        with browser.page(source) as page:
            pdf = page.pdf(
                printBackground=True,
                paperWidth=A4_INCHES[0],
                paperHeight=A4_INCHES[1],
                displayHeaderFooter=True,
                headerTemplate="<span></span>",
                footerTemplate=FOOTER,
                generateDocumentOutline=True,
            )
        printed.append(PrintedBrief(filename, set_dates(pdf, now)))
    return printed
