"""The briefs as a reader sees them: each HTML brief and each PDF, rendered by headless Chromium
and looked at. One browser start serves all four briefs, on screen, in print and as PDF
(tests/test_brief_html.py screenshots the HTML briefs).

- On screen and in print (A4's printable width): no console message (no script, nothing
  external, no CSP violation), nothing sticking out of the page, no box cutting its text, no
  label of the map or the charts cut by the picture's edge; the map, its places and the charts
  are there.
- The PDF: A4 pages, fonts embedded, every page rendered to an image (pdftoppm) has ink on it,
  the text read back (pdftotext) has the sections, the map's legend and the charts' axes, and
  matches the golden text and page count (tests/golden/*.pdf.txt; pytest --update-golden).
- The Markdown brief's pictures are PNG files of the expected size, the same bytes twice.

Chromium comes from scripts/ensure_chromium.sh (with poppler-utils for pdftoppm/pdftotext); where
it cannot be installed these tests skip and say why, they never pass silently. The PDFs' page
images go to build/screenshots/ for a human to look at.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from riskengine.briefs.chromium import Chromium, ChromiumMissing, find_chromium
from riskengine.briefs.pdf import pdf_date, print_pdfs, set_dates
from riskengine.briefs.render import BriefContext, build_context, render_brief
from riskengine.briefs.visuals import brief_images, svg_to_png

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SCREENSHOTS = ROOT / "build" / "screenshots"
STAKEHOLDERS = ("investor", "government", "ngo", "analyst")
NOW = "2025-07-07T06:00:00Z"
PRINT_WIDTH = 688  # A4 less the brief's 14 mm side margins, in CSS px: 182 mm at 96 dpi

# What a reader would call broken, found by DevTools in the loaded page (its own CSP forbids
# page scripts, not the inspector's). Returns one sentence per problem.
LOOK = r"""
(() => {
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '');
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) problems.push(`the page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
  const page = document.querySelector('main').getBoundingClientRect();
  for (const el of document.querySelectorAll('main *')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.display === 'none' || (box.width === 0 && box.height === 0)) continue;
    if (box.right > page.right + 1 || box.left < page.left - 1) problems.push(`${name(el)} sticks out of the page (${Math.round(box.left)}-${Math.round(box.right)} outside ${Math.round(page.left)}-${Math.round(page.right)})`);
    const clips = ['hidden', 'clip', 'scroll', 'auto'].includes(style.overflowX);
    if (clips && el.textContent.trim() && el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} cuts its text: ${el.scrollWidth} > ${el.clientWidth}`);
  }
  for (const svg of document.querySelectorAll('main svg')) {
    const frame = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.left < frame.left - 1 || r.right > frame.right + 1 || r.top < frame.top - 1 || r.bottom > frame.bottom + 1) problems.push(`"${t.textContent}" is cut by the edge of ${name(svg)}`);
    }
  }
  return problems;
})()
"""
FOUND = r"""
(() => ({
  map: document.querySelectorAll('#map svg.re-map').length,
  boundaries: document.querySelectorAll('#map svg.re-map path').length,
  places: document.querySelectorAll('#map svg.re-map circle title').length,
  charts: document.querySelectorAll('svg.re-chart').length,
  panels: document.querySelectorAll('svg.re-chart polyline').length,
  headings: [...document.querySelectorAll('h2, h3')].map(h => h.textContent.trim()),
}))()
"""


def _chromium_or_skip() -> str:
    try:
        return find_chromium()
    except ChromiumMissing:
        pytest.skip("chromium is not installed: run scripts/ensure_chromium.sh as root to test the briefs in a browser")


def _tool_or_skip(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (Debian's poppler-utils): scripts/ensure_chromium.sh installs it as root")
    return found


@pytest.fixture(scope="module")
def contexts() -> dict[str, BriefContext]:
    from riskengine import api

    events = api.read_events()
    report = api.score(events, rules=api.load_rules(), window="2025-W27", now=NOW)
    return {s: build_context(report, s, events) for s in STAKEHOLDERS}


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    with Chromium(_chromium_or_skip()) as started:
        yield started


@pytest.fixture(scope="module")
def pages(contexts: dict[str, BriefContext], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("briefs")
    out = {}
    for stakeholder, context in contexts.items():
        out[stakeholder] = folder / f"2025-W27-{stakeholder}.html"
        out[stakeholder].write_text(render_brief(context, "html"), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def looked(browser: Chromium, pages: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """Each brief loaded once: console, problems on screen and in print, what it shows."""
    seen = {}
    for stakeholder, path in pages.items():
        with browser.page(path, width=1100) as page:  # screenshots: tests/test_brief_html.py
            found: dict[str, Any] = {"found": page.evaluate(FOUND), "screen": page.evaluate(LOOK)}
            page.call("Emulation.setDeviceMetricsOverride", {"width": PRINT_WIDTH, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
            page.call("Emulation.setEmulatedMedia", {"media": "print"})
            found["print"] = page.evaluate(LOOK)
            found["console"] = page.console()
        seen[stakeholder] = found
    return seen


@pytest.mark.parametrize("stakeholder", STAKEHOLDERS)
def test_html_brief_reads_cleanly_on_screen_and_in_print(looked: dict[str, dict[str, Any]], contexts: dict[str, BriefContext], stakeholder: str) -> None:
    seen, context = looked[stakeholder], contexts[stakeholder]
    assert seen["console"] == [], f"console messages in the {stakeholder} brief: {seen['console']}"
    assert seen["screen"] == [], f"{stakeholder} on screen: {seen['screen']}"
    assert seen["print"] == [], f"{stakeholder} in print: {seen['print']}"
    found = seen["found"]
    assert found["map"] == 1 and found["boundaries"] > 20, found
    assert found["places"] == len(context.event_map.places) > 0
    assert found["charts"] == 2 and found["panels"] == len(context.trend_charts.dimensions) + len(context.trend_charts.regions)
    assert {"Where the points came from", "Trend by dimension", "Trend by region"} <= set(found["headings"])


def test_the_look_finds_what_a_reader_would(browser: Chromium, tmp_path: Path) -> None:
    # The checks above must be able to fail: a script, text cut by its box, a box off the page
    # and a label beyond its picture's edge are each reported.
    page_file = tmp_path / "broken.html"
    page_file.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">'
        "</head><body><main style=\"width: 400px\"><div id=\"cut\" style=\"width: 60px; overflow: hidden; white-space: nowrap\">a long line of text cut</div>"
        '<p id="wide" style="width: 900px">wide</p><svg width="100" height="50" viewBox="0 0 100 50"><text x="90" y="20">cut label</text></svg>'
        '<script>console.log("ran")</script></main></body></html>',
        encoding="utf-8",
    )
    with browser.page(page_file) as page:
        problems = page.evaluate(LOOK)
        console = page.console()
    assert any("cuts its text" in p for p in problems), problems
    assert any("p#wide sticks out" in p for p in problems), problems
    assert any('"cut label" is cut by the edge' in p for p in problems), problems
    assert console, "the blocked script was not reported"


# ---------------------------------------------------------------------------------------------
# PDF


@pytest.fixture(scope="module")
def pdfs(browser: Chromium, pages: dict[str, Path]) -> dict[str, bytes]:
    printed = print_pdfs([(f"2025-W27-{s}.pdf", path.read_text(encoding="utf-8")) for s, path in pages.items()], NOW, browser=browser)
    return {s: p.pdf for s, p in zip(pages, printed, strict=True)}


def _pgm_ink(data: bytes) -> float:
    """Share of pixels darker than light grey in a binary PGM (P5) image."""
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert match, "not a PGM image"
    width, height = int(match.group(1)), int(match.group(2))
    pixels = data[match.end() : match.end() + width * height]
    return sum(1 for value in pixels if value < 200) / max(1, len(pixels))


def _pdf_text(path: Path) -> list[str]:
    text = subprocess.run([_tool_or_skip("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60).stdout
    return text.decode("utf-8").split("\f")[:-1]  # a form feed ends each page


def _golden_text(pages: list[str]) -> str:
    """Page count and each page's words: line breaks depend on the browser's fonts, words do not."""
    out = [f"pages: {len(pages)}"]
    for number, page in enumerate(pages, 1):
        out.append(f"--- page {number}")
        out.extend(textwrap.wrap(" ".join(page.split()), 100, break_long_words=False, break_on_hyphens=False))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("stakeholder", STAKEHOLDERS)
def test_pdf_brief_pages_fonts_and_text(pdfs: dict[str, bytes], tmp_path: Path, stakeholder: str, update_golden: bool) -> None:
    path = tmp_path / f"2025-W27-{stakeholder}.pdf"
    path.write_bytes(pdfs[stakeholder])
    info = subprocess.run([_tool_or_skip("pdfinfo"), str(path)], capture_output=True, text=True, check=True, timeout=60).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    assert "CreationDate:    Mon Jul  7 06:00:00 2025 UTC" in info, info  # from --now, not the clock
    fonts = subprocess.run([_tool_or_skip("pdffonts"), str(path)], capture_output=True, text=True, check=True, timeout=60).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), f"a font is not embedded:\n{fonts}"

    images = subprocess.run([_tool_or_skip("pdftoppm"), "-r", "20", "-gray", str(path), str(tmp_path / "page")], capture_output=True, check=True, timeout=120)
    assert images.returncode == 0
    rendered = sorted(tmp_path.glob("page-*.pgm"))
    pages = _pdf_text(path)
    assert len(rendered) == len(pages) >= 3
    for image in rendered:
        # A page with only its running footer inks about 0.0002 at this resolution; a last page
        # of four short lines about 0.002 (the NGO brief's method note), which is not blank.
        assert _pgm_ink(image.read_bytes()) > 0.0006, f"{image.name} of the {stakeholder} PDF is blank"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run([_tool_or_skip("pdftoppm"), "-r", "40", "-png", str(path), str(SCREENSHOTS / f"2025-W27-{stakeholder}-pdf")], check=True, timeout=120)

    text = "\n".join(pages)
    for expected in ("weekly risk brief, 2025-W27", "Key judgments", "Where the points came from", "Colour: dimension with most points",
                     "Area: weighted points", "Trend by dimension", "Trend by region", "ISO week, 2025-W16 to 2025-W27"):
        assert expected in text, f"{expected!r} is not in the {stakeholder} PDF's text"
    assert f"page 1 of {len(pages)}" in pages[0] and f"page {len(pages)} of {len(pages)}" in pages[-1]

    golden = GOLDEN / f"2025-W27-{stakeholder}.pdf.txt"
    wanted = _golden_text(pages)
    if update_golden:
        golden.write_text(wanted, encoding="utf-8")
        return
    assert golden.is_file(), f"{golden} is missing: run pytest --update-golden and review it"
    assert wanted == golden.read_text(encoding="utf-8"), f"the {stakeholder} PDF's text or page count differs from {golden.name} (pytest --update-golden rewrites it)"


def test_pdf_bytes_are_the_same_when_printed_again(browser: Chromium, pages: dict[str, Path], pdfs: dict[str, bytes]) -> None:
    again = print_pdfs([("x.pdf", pages["ngo"].read_text(encoding="utf-8"))], NOW, browser=browser)[0].pdf
    assert again == pdfs["ngo"]


def test_pdf_dates_come_from_now_or_are_left_out() -> None:
    raw = b"1 0 obj\n<</Title (x)\n/CreationDate (D:20261206101518+00'00')\n/ModDate (D:20261206101518+00'00')>>\nendobj\n"
    dated = set_dates(raw, "2025-07-07T08:00:00+02:00")
    assert dated.count(b"(D:20250707060000+00'00')") == 2 and len(dated) == len(raw)
    undated = set_dates(raw, None)
    assert b"D:" not in undated and len(undated) == len(raw)
    assert pdf_date("2025-07-07T06:00:00") == "D:20250707060000+00'00'"


def test_missing_chromium_is_a_located_error_with_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from riskengine.cli.app import main

    monkeypatch.setenv("RISKENGINE_CHROMIUM", str(tmp_path / "no-chromium"))
    code = main(["brief", "--week", "2025-W27", "--stakeholder", "ngo", "--format", "pdf", "--out", str(tmp_path / "out"), "--now", NOW])
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"{tmp_path / 'no-chromium'}: error[E413] RISKENGINE_CHROMIUM=" in err and "scripts/ensure_chromium.sh" in err
    assert "Traceback" not in err
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_browser_that_dies_or_stdout_for_a_pdf_is_a_located_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from riskengine.cli.app import main

    false = shutil.which("false")
    assert false
    monkeypatch.setenv("RISKENGINE_CHROMIUM", false)  # starts, and exits at once
    code = main(["brief", "--week", "2025-W27", "--stakeholder", "ngo", "--format", "pdf", "--out", str(tmp_path), "--now", NOW])
    err = capsys.readouterr().err
    assert code == 1 and f"{false}: error[E414]" in err and "Traceback" not in err, err
    code = main(["brief", "--week", "2025-W27", "--stakeholder", "ngo", "--format", "pdf", "--out", "-"])
    err = capsys.readouterr().err
    assert code == 1 and "error[E406] --format pdf writes files" in err, err


def test_cli_writes_pdf_briefs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from riskengine.cli.app import main

    _chromium_or_skip()
    code = main(["brief", "--week", "2025-W27", "--stakeholder", "ngo", "--format", "pdf", "--out", str(tmp_path), "--now", NOW])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir()] == ["2025-W27-ngo.pdf"]
    assert (tmp_path / "2025-W27-ngo.pdf").read_bytes().startswith(b"%PDF-")
    assert f"wrote {tmp_path / '2025-W27-ngo.pdf'}" in out and "ngo: medium" in out


# ---------------------------------------------------------------------------------------------
# The Markdown brief's pictures


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_markdown_pictures_are_pngs_of_the_svgs(contexts: dict[str, BriefContext]) -> None:
    context = contexts["government"]
    images = brief_images(context.event_map, context.trend_charts)
    assert [i.filename for i in images] == ["2025-W27-government-map.png", "2025-W27-government-dimensions.png", "2025-W27-government-regions.png"]
    for image in images:
        width, height = re.search(r'width="(\d+)" height="(\d+)"', image.svg).groups()  # type: ignore[union-attr]
        assert _png_size(image.png) == (round(int(width) * 1.5), round(int(height) * 1.5))
    assert svg_to_png(images[1].svg) == images[1].png  # the same bytes again
    # only the pictures a brief links
    assert brief_images(context.event_map, context.trend_charts, linked_from="no pictures here") == []
