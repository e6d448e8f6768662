"""Session 20's reading of the briefs on real exports (issue 15, brief22): one outlet graded two
ways in one brief. ACLED grades each report by the source scale of its row, so one outlet's
reports can carry B2 and F2 in one week; listed once per report, the source list read as one
outlet judged two ways. The events and outlets are written for these tests."""

import datetime as dt
import typing

from test_brief_prose19 import MONDAY, _context  # the same week and helpers
from test_briefs import make_event

from riskengine.briefs.render import SCALE_SAID, _cited_sources, render_brief
from riskengine.core.events import Event
from riskengine.ingest.acled.sources import SCALE_RELIABILITY

ACLED = {"field": "verification", "value": "claimed", "method": "ACLED source column: 1 independent outlet; one report is a claim", "evidence": "source: Coast Herald (outlets: Coast Herald)"}


def _reported(event_id: str, day: dt.date, reliability: str, *, acled: bool = True, outlet: str = "Coast Herald", **more: typing.Any) -> Event:
    fields: dict[str, typing.Any] = {
        "country": "KEN", "admin1": "Mombasa", "location": "Likoni", "event_type": "Protests", "sub_event_type": "Protest with intervention",
        "actor1": "Protesters (Kenya)", "actor2": "Police Forces of Kenya (2013-2022)",
        "sources": [{"name": outlet, "date": day.isoformat(), "reliability": reliability, "credibility": 2}],
        "derived": [ACLED] if acled else [],
        **more,
    }  # fmt: skip
    return make_event(event_id, day, **fields)


def _week(acled: bool = True) -> list[Event]:
    return [
        _reported("KEN1", MONDAY, "B", acled=acled),
        _reported("KEN2", MONDAY + dt.timedelta(days=1), "F", acled=acled),
        _reported("KEN3", MONDAY + dt.timedelta(days=2), "B", acled=acled),
        _reported("KEN4", MONDAY + dt.timedelta(days=2), "F", acled=acled),
        _reported("KEN5", MONDAY + dt.timedelta(days=3), "F", acled=acled),
    ]


def _listed(events: list[Event]) -> list[tuple[str, str, dt.date | None, list[str]]]:
    rows, _ = _cited_sources([e.event_id for e in events], {e.event_id: e for e in events}, [])
    return [(r.name, r.grade, r.date, r.event_ids) for r in rows]


def test_an_outlet_graded_two_ways_is_listed_once_with_each_grade_and_why() -> None:
    assert _listed(_week()) == [
        (
            "Coast Herald",
            "B2 on 2 events, F2 on 3, reported 2025-06-30 to 2025-07-03; F: ACLED's source scale 'Other' or none",
            None,
            ["KEN1", "KEN2", "KEN3", "KEN4", "KEN5"],
        )
    ]


def test_grades_not_given_by_acled_are_counted_without_acled_s_reason() -> None:
    (row,) = _listed(_week(acled=False))
    assert row[1] == "B2 on 2 events, F2 on 3, reported 2025-06-30 to 2025-07-03", row


def test_an_outlet_of_one_grade_keeps_a_row_per_report_day() -> None:
    events = [_reported("KEN1", MONDAY, "B", outlet="Daily Ledger"), _reported("KEN2", MONDAY + dt.timedelta(days=1), "B", outlet="Daily Ledger")]
    assert _listed(events) == [("Daily Ledger", "B2", MONDAY, ["KEN1"]), ("Daily Ledger", "B2", MONDAY + dt.timedelta(days=1), ["KEN2"])]


def test_a_single_event_of_the_best_grade_is_said_in_the_singular() -> None:
    events = [_reported("KEN1", MONDAY, "C"), _reported("KEN2", MONDAY, "D"), _reported("KEN3", MONDAY, "D")]
    (row,) = _listed(events)
    assert row[1] == "C2 on 1 event, D2 on 2, reported 2025-06-30; D: ACLED's source scale 'New media', or a platform", row


def test_two_lower_letters_are_each_explained_and_every_letter_acled_gives_has_its_words() -> None:
    events = [_reported("KEN1", MONDAY, "B"), _reported("KEN2", MONDAY, "C"), _reported("KEN3", MONDAY, "F")]
    (row,) = _listed(events)
    assert row[1] == "B2 on 1 event, C2 on 1, F2 on 1, reported 2025-06-30; C: ACLED's source scale regional or local, F: 'Other' or none", row
    assert set(SCALE_SAID) == {*SCALE_RELIABILITY.values(), "F"}


def test_the_brief_names_the_outlet_once_in_its_sources_and_each_event_keeps_its_own_grade() -> None:
    context = _context(_week(), "ngo")
    listed = [s for s in context.sources if s.name == "Coast Herald"]
    assert len(listed) == 1 and listed[0].grade.startswith("B2 on 2 events, F2 on 3"), [(s.name, s.grade) for s in context.sources]
    # The drivers still give each event's report its own grade: the fix is in the list only.
    graded = {d.event_id: [s.grade for s in d.sources] for d in context.drivers}
    assert graded and all(g in (["B2"], ["F2"]) for g in graded.values()), graded


def test_reports_of_one_letter_and_two_credibilities_keep_their_rows() -> None:
    # Credibility grades each report's information, so it may differ per report; only the
    # reliability letter is the outlet's.
    day = MONDAY + dt.timedelta(days=1)
    events = [_reported("KEN1", MONDAY, "B"), _reported("KEN2", day, "B", sources=[{"name": "Coast Herald", "date": day.isoformat(), "reliability": "B", "credibility": 3}])]
    assert _listed(events) == [("Coast Herald", "B2", MONDAY, ["KEN1"]), ("Coast Herald", "B3", day, ["KEN2"])]


def test_the_html_brief_gives_the_grades_phrase_as_text_not_in_the_grade_badge() -> None:
    # The badge is a small monospace box made for "B2"; the phrase in it was a box two lines
    # wide (a real Kenya 2017-W32 PDF, page 9). A one-grade outlet keeps its badge.
    events = [*_week(), _reported("KEN9", MONDAY, "B", outlet="Daily Ledger")]
    html = render_brief(_context(events, "ngo"), "html")
    assert 'Coast Herald <span class="cite">(B2 on 2 events, F2 on 3' in html, html[html.find('id="sources"') :][:2000]
    assert 'Daily Ledger <span class="grade" title="Admiralty grade">B2</span>' in html
