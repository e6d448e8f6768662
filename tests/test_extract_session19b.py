"""One sentence or one cluster telling two events of different kinds (session 19b, issue 14):
an attack and the capture it ends in, told in translated wording. The sentences are written for
these tests (other towns, groups and outlets than the gold sets'); each test fails without its
change."""

from __future__ import annotations

import pytest

from riskengine.ingest.extract.articles import Extractor

HEAD = "---\ndate: 2025-03-12\n---\nREGIONAL BULLETIN\n\nThe situation stayed tense across the area this week.\n\n"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor(detector=False)  # the patterns' own reading (the detector reads some of these too)


def _kinds(ex: Extractor, text: str) -> set[tuple[str, str | None, str]]:
    return {(e.provenance["kind"], e.event.location, e.event.event_date.isoformat()) for e in ex.extract_text(HEAD + text + "\n", "t.txt")}


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        # a translated wire: the article before "control"; the attack's toll is its own event
        (
            "Rebels attacked the town of Rutshuru on Monday, killing five soldiers. The movement claimed "
            "on Tuesday to have taken the control of Rutshuru and its airstrip.",
            ("territorial_claim", "Rutshuru", "2025-03-11"),
        ),
        (
            "The movement said on Sunday that its fighters took the control of Rutshuru.",
            ("territorial_claim", "Rutshuru", "2025-03-09"),
        ),
        (
            "On Monday the commander assured that his troops have recovered the total control of Rutshuru.",
            ("territorial_claim", "Rutshuru", "2025-03-10"),
        ),
    ],
)
def test_capture_told_in_translated_wording(rules: Extractor, text: str, claim: tuple[str, str, str]) -> None:
    assert claim in _kinds(rules, text)


def test_side_claiming_to_hold_the_town_after_the_assault(extractor: Extractor) -> None:
    got = _kinds(
        extractor,
        "Gunmen stormed Rutshuru on Sunday, killing four police officers. On Monday a rebel commander "
        "said his men were in control of Rutshuru.",
    )
    assert ("territorial_claim", "Rutshuru", "2025-03-10") in got
    assert "casualty_report" in {k for k, _, _ in got}  # the assault stays an event of its own


def test_attack_and_its_claim_stay_two_events(rules: Extractor) -> None:
    got = _kinds(
        rules,
        "Rebels attacked the town of Rutshuru on Monday, killing five soldiers. The movement claimed on Monday "
        "to have taken the control of Rutshuru.",
    )
    assert {k for k, _, _ in got} >= {"casualty_report", "territorial_claim"}


@pytest.mark.parametrize(
    "text",
    [
        # an intent to retake, no capture
        "Some 800 police officers entered the prison on Tuesday to retake the control of the pavilions.",
        # the reporter's own description of who holds a place, no claimant
        "The rebels were in control of Rutshuru for most of last year.",
    ],
)
def test_no_claim_without_a_capture_claimed(extractor: Extractor, text: str) -> None:
    assert not any(k == "territorial_claim" for k, _, _ in _kinds(extractor, text))


# A monitor's daily: a summary line, then the entries it summarises (a region, then the town).
DAILY = (
    "Summary: One air raid in Hama countryside and a drone strike in Idlib countryside. Talks continue.\n\n"
    "11 Mar, 22:10 - Hama countryside: An air strike hit a depot near Soran, killing three fighters.\n\n"
    "12 Mar, 07:40 - Idlib countryside: A drone struck a car on the road west of Saraqib, killing two men."
)


def test_summary_line_is_not_a_second_event_of_its_entries(rules: Extractor) -> None:
    got = _kinds(rules, DAILY)
    places = sorted(loc or "" for _, loc, _ in got)
    assert ("air_strike", "Soran", "2025-03-11") in got
    assert "Hama" not in places and "Idlib" not in places, got


@pytest.mark.parametrize(
    "text",
    [
        # the summary is the only telling: nothing of its group follows
        "Summary: One air raid in Hama countryside killed three fighters on Monday night.\n\nThe talks continue in Geneva.",
        # a summary that gives its event a day tells it, whatever follows
        "In brief: on Tuesday, warplanes bombed Hama, killing three.\n\nOn Monday a drone struck a car near Saraqib, killing two.",
    ],
)
def test_summary_line_that_tells_its_event_keeps_it(rules: Extractor, text: str) -> None:
    assert any(loc == "Hama" for _, loc, _ in _kinds(rules, text))
