"""HTML briefs in a real headless browser (Debian's chromium): they load without console
messages (no script runs, nothing external is fetched, the Content-Security-Policy is not
violated) and each is screenshotted into build/screenshots/ for a human to look at.

scripts/ensure_chromium.sh installs chromium when missing; without it these tests skip and say
why, they never pass silently.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from riskengine.briefs.render import build_context, render_brief

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "build" / "screenshots"
STAKEHOLDERS = ("investor", "government", "ngo", "analyst")

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("chromium is not installed: run scripts/ensure_chromium.sh (as root) to test HTML briefs in a browser")


def run_chromium(page: Path, action: list[str], profile: Path) -> tuple[str, list[str]]:
    """Open ``page``; return standard output and the page's console messages."""
    result = subprocess.run(
        [_chromium(), *FLAGS, f"--user-data-dir={profile}", *action, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    # Chromium logs every console message of the page (errors, CSP violations, failed loads,
    # console.log) as a line with ":CONSOLE" in it; its own noise (dbus, gpu) never has that.
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert result.returncode == 0, f"chromium exited {result.returncode}: {result.stderr[-2000:]}"
    return result.stdout, console


def screenshot(page: Path, png: Path, profile: Path) -> list[str]:
    png.unlink(missing_ok=True)
    _, console = run_chromium(page, [f"--screenshot={png}", "--window-size=1200,2000", "--hide-scrollbars"], profile)
    assert png.is_file() and png.stat().st_size > 10_000, f"no screenshot of {page}"
    return console


@pytest.fixture(scope="module")
def sample_briefs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The four HTML briefs of the bundled sample week, as `make brief` would write them."""
    from riskengine import api

    events = api.read_events()
    report = api.score(events, rules=api.load_rules(), window="2025-W27", now="2025-07-07T06:00:00Z")
    folder = tmp_path_factory.mktemp("html")
    pages = {}
    for stakeholder in STAKEHOLDERS:
        page = folder / f"2025-W27-{stakeholder}.html"
        page.write_text(render_brief(build_context(report, stakeholder, events), "html"), encoding="utf-8")
        pages[stakeholder] = page
    return pages


def test_console_check_catches_a_page_that_misbehaves(tmp_path: Path) -> None:
    # The check below must be able to fail: a script and an external image are both reported.
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '</head><body><script>console.error("boom")</script><img src="http://example.invalid/x.png"></body></html>',
        encoding="utf-8",
    )
    _, console = run_chromium(page, ["--dump-dom"], tmp_path / "profile")
    assert len(console) >= 2, console


@pytest.mark.parametrize("stakeholder", STAKEHOLDERS)
def test_sample_brief_loads_cleanly_and_is_screenshotted(stakeholder: str, sample_briefs: dict[str, Path], tmp_path: Path) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    console = screenshot(sample_briefs[stakeholder], SCREENSHOTS / f"2025-W27-{stakeholder}.png", tmp_path / "profile")
    assert console == [], f"console messages in the {stakeholder} brief: {console}"


def test_brief_dom_after_loading(sample_briefs: dict[str, Path], tmp_path: Path) -> None:
    dom, console = run_chromium(sample_briefs["ngo"], ["--dump-dom"], tmp_path / "profile")
    assert console == []
    assert "<h1>" in dom and "Key judgments" in dom and "<svg" in dom
    assert "<script" not in dom


def test_hostile_event_text_stays_text_in_the_browser(tmp_path: Path) -> None:
    from test_briefs import HOSTILE, make_events, make_report

    events = make_events(notes=HOSTILE, location=HOSTILE, target_name=HOSTILE)
    page = tmp_path / "hostile.html"
    page.write_text(render_brief(build_context(make_report(events), "analyst", events), "html"), encoding="utf-8")
    dom, console = run_chromium(page, ["--dump-dom"], tmp_path / "profile")
    assert console == [], console  # nothing ran, nothing was even blocked: no script element exists
    assert "<script" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in dom  # shown as text, not evaluated
