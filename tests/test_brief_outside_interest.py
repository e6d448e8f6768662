"""The bottom line says where the score came from when most of its points came from outside the
regions of interest (session 19, the lead): a world export read with --regions MEX gave every
profile "very high" on strikes in Yemen, Afghanistan and India, and the sentence named no
country. The events are written for these tests."""

import datetime as dt
import typing

from test_briefs import make_event

from riskengine import api
from riskengine.briefs.render import build_context
from riskengine.core.events import Event

NOW = "2025-07-07T06:00:00Z"
DAYS = [dt.date(2025, 6, 30) + dt.timedelta(days=i) for i in range(5)]


def _deadly(prefix: str, country: str, location: str, count: int) -> list[Event]:
    return [
        make_event(
            f"{prefix}{i}", DAYS[i % 5], country=country, location=location, event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike", fatalities=12 + i,
        )
        for i in range(count)
    ]


def _bottom_line(events: list[Event], regions: list[str], stakeholder: str = "investor") -> str:
    pack = api.load_rules().with_regions_of_interest(regions)
    report = api.score(events, rules=pack, window="2025-W27", now=NOW)
    return typing.cast(str, build_context(report, stakeholder, events).bluf.sentence)


def test_a_score_mostly_from_outside_the_regions_of_interest_says_so_and_gives_theirs() -> None:
    events = [*_deadly("Y", "YEM", "Marib", 6), *_deadly("A", "AFG", "Kandahar", 4), *_deadly("M", "MEX", "Culiacan", 1)]
    said = _bottom_line(events, ["MEX"])
    assert "% of the points scored this week come from 2 countries outside the regions of interest, most from Yemen and Afghanistan; " in said, said
    assert "on its own, the region of interest scores Mexico " in said and said.endswith("(Scores, by region).")


def test_one_country_outside_is_named_and_several_regions_are_scored() -> None:
    events = [*_deadly("Y", "YEM", "Marib", 6), *_deadly("M", "MEX", "Culiacan", 1)]
    said = _bottom_line(events, ["MEX", "COL"], "ngo")
    assert "% of the points scored this week come from Yemen, outside the regions of interest; on their own, the regions of interest score Mexico " in said, said
    assert ") and Colombia 0.0 (very low) (Scores, by region)." in said, said


def test_a_score_mostly_from_the_regions_of_interest_says_nothing_of_the_rest() -> None:
    events = [*_deadly("Y", "YEM", "Marib", 1), *_deadly("M", "MEX", "Culiacan", 6)]
    said = _bottom_line(events, ["MEX"])
    assert "outside the regions of interest" not in said, said
