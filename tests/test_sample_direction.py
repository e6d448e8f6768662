"""What analysts will check first: the sample data says what the documents say, and on it each
stakeholder's score moves the way the documents argue.

Each direction is one row: take an event (or a figure) out of the sample and the score of the
stakeholder the documents address must fall, in the week of that event.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from riskengine.core.events import Event
from riskengine.core.resources import default_rules_dir, sample_data_dir
from riskengine.core.windows import week_of
from riskengine.ingest import event_files as event_io
from riskengine.rules import loader

EVENTS = event_io.read_events([sample_data_dir() / "sample_events.yaml"]).events
BY_ID = {e.event_id: e for e in EVENTS}
PACK = loader.load_rules([default_rules_dir()])


def _api():  # type: ignore[no-untyped-def]
    # Scoring needs the matcher; the sample checks below do not.
    pytest.importorskip("riskengine.engine.matching")
    from riskengine import api

    return api

Change = Callable[[list[Event]], list[Event]]


def drop(*ids: str) -> Change:
    return lambda events: [e for e in events if e.event_id not in ids]


def update(event_id: str, **values: object) -> Change:
    return lambda events: [e.model_copy(update=values) if e.event_id == event_id else e for e in events]


def chain(*changes: Change) -> Change:
    def apply(events: list[Event]) -> list[Event]:
        for change in changes:
            events = change(events)
        return events

    return apply


NO_CASUALTIES = chain(
    update("RUS-S007", fatalities=0, injured=None, hospitalised=None),
    update("UKR-S011", fatalities=0, injured=None, hospitalised=None),
)

# (what the documents argue, week, change that removes it, stakeholder, dimension or None for overall)
DIRECTIONS = [
    ("the strike next to Romania raises the government score (Article 5 risk, 003)", "2025-W22", drop("UKR-S001"), "government", None),
    ("the strike next to Romania raises the investor score (003)", "2025-W22", drop("UKR-S001"), "investor", None),
    ("the strike next to Romania raises government escalation (003)", "2025-W22", drop("UKR-S001"), "government", "escalation"),
    ("civilian deaths and injuries raise the NGO score (000, 001)", "2025-W27", NO_CASUALTIES, "ngo", None),
    ("civilian casualties raise the NGO humanitarian score (000, 001)", "2025-W27", NO_CASUALTIES, "ngo", "humanitarian"),
    ("the Marinovka airfield strike raises the analyst score (002)", "2025-W26", drop("RUS-S004"), "analyst", None),
    ("the Izhevsk deep strike raises the investor score (000)", "2025-W27", drop("RUS-S007"), "investor", None),
    ("the Izhevsk deep strike raises the government score (000)", "2025-W27", drop("RUS-S007"), "government", None),
    ("the Izhevsk deep strike raises the NGO score (000)", "2025-W27", drop("RUS-S007"), "ngo", None),
    ("the Izhevsk deep strike raises the analyst score (000)", "2025-W27", drop("RUS-S007"), "analyst", None),
    ("the strike after the Trump-Putin call raises government diplomacy risk (004)", "2025-W27", drop("UKR-S010"), "government", "diplomatic"),
    ("the EU sanctions threat raises the investor's economic score (004)", "2025-W27", drop("RUS-S010"), "investor", "economic"),
    ("stalled talks raise the government's diplomatic score (000, 001)", "2025-W27", drop("UKR-S009"), "government", "diplomatic"),
    ("the Kyiv mass strike raises the NGO score (004)", "2025-W27", drop("UKR-S011"), "ngo", None),
    ("power outages in Kyiv raise the NGO score (004)", "2025-W27", update("UKR-S011", tags=[]), "ngo", "humanitarian"),
    ("North Korean troops raise the analyst score (002)", "2025-W26", drop("RUS-S005"), "analyst", None),
    ("North Korean troops raise government escalation (002)", "2025-W26", drop("RUS-S005"), "government", "escalation"),
    ("110,000 troops at Pokrovsk raise the NGO score (displacement, 002)", "2025-W26", drop("UKR-S005"), "ngo", None),
    ("the Luhansk claim raises the analyst score (001)", "2025-W27", drop("UKR-S007"), "analyst", None),
    ("sabotage of aid shipments raises the government's security score (002)", "2025-W26", drop("BEL-S001"), "government", "security"),
    ("the Izmail strike before the Istanbul talks raises government diplomacy risk (003)", "2025-W22", drop("UKR-S001"), "government", "diplomatic"),
]


def _score(events: list[Event], week: str, stakeholder: str, dimension: str | None) -> float:
    report = _api().score(events, rules=PACK, window=week, stakeholders=[stakeholder])
    (mine,) = report.stakeholders
    if dimension is None:
        return mine.score
    return next(d.score for d in mine.dimensions if d.dimension == dimension)


@pytest.mark.parametrize(("argument", "week", "change", "stakeholder", "dimension"), DIRECTIONS, ids=[d[0] for d in DIRECTIONS])
def test_score_moves_the_way_the_documents_argue(argument: str, week: str, change: Change, stakeholder: str, dimension: str | None) -> None:
    with_it = _score(EVENTS, week, stakeholder, dimension)
    without = _score(change(list(EVENTS)), week, stakeholder, dimension)
    assert without < with_it, f"{argument}: {stakeholder} {dimension or 'overall'} is {with_it} with it and {without} without"


def test_early_july_is_riskier_than_the_week_before_for_everyone() -> None:
    report = _api().score(EVENTS, rules=PACK, window="2025-W27")
    assert {s.stakeholder: s.trend for s in report.stakeholders} == {
        "investor": "up",
        "government": "up",
        "ngo": "up",
        "analyst": "up",
    }


def test_a_second_independent_source_never_lowers_a_score() -> None:
    extra = BY_ID["RUS-S004"].sources[0].model_copy(update={"name": "another outlet"})
    change = update("RUS-S004", sources=[*BY_ID["RUS-S004"].sources, extra])
    assert _score(change(list(EVENTS)), "2025-W26", "analyst", None) >= _score(EVENTS, "2025-W26", "analyst", None)


# --- the sample says what the documents say --------------------------------------------------


def test_ids_are_acled_style_and_unique() -> None:
    ids = [e.event_id for e in EVENTS]
    assert len(ids) == len(set(ids))
    for event in EVENTS:
        assert re.fullmatch(r"[A-Z]{3}-S\d{3}", event.event_id), event.event_id
        assert event.event_id.startswith(event.country), event.event_id


def test_the_two_reports_of_the_izhevsk_strike_are_one_event() -> None:
    izhevsk = [e for e in EVENTS if e.target_name == "Kupol Electromechanical Plant" and str(e.event_date) == "2025-07-01"]
    assert [e.event_id for e in izhevsk] == ["RUS-S007"]
    (event,) = izhevsk
    assert {s.document for s in event.sources} >= {"000", "001"}
    hospitalised = {(f.source, f.value) for f in event.figures if f.field == "hospitalised"}
    assert hospitalised == {("seed 000 (analysis)", 30), ("seed 001 (news report)", 35)}


FIGURES = [
    ("RUS-S007", "fatalities", 3),
    ("RUS-S007", "hospitalised", 35),
    ("RUS-S007", "distance_from_border_km", 1000),
    ("UKR-S004", "drones_launched", 363),
    ("UKR-S004", "missiles_launched", 8),
    ("RUS-S003", "drones_intercepted", 39),
    ("UKR-S005", "troops", 110000),
    ("RUS-S005", "troops", 6000),
    ("UKR-S001", "fatalities", 0),
    ("UKR-S011", "drones_launched", 539),
]


@pytest.mark.parametrize(("event_id", "field", "value"), FIGURES)
def test_exact_figures_from_the_documents(event_id: str, field: str, value: float) -> None:
    assert getattr(BY_ID[event_id], field) == value


def test_the_claimed_aircraft_losses_keep_both_figures() -> None:
    claims = {(f.source, f.value) for f in BY_ID["RUS-S004"].figures if f.field == "aircraft_destroyed"}
    assert ("seed 002 (news report)", 4) in claims and BY_ID["RUS-S004"].aircraft_destroyed == 2


def test_every_figure_names_a_source_of_its_event() -> None:
    for event in EVENTS:
        names = {s.name for s in event.sources}
        for figure in event.figures:
            assert figure.source in names, (event.event_id, figure.source)


def test_every_seed_document_is_cited() -> None:
    cited = {s.document for e in EVENTS for s in e.sources if s.document}
    assert cited == {"000", "001", "002", "003", "004"}


def test_history_reaches_back_at_least_four_weeks_before_the_scored_week() -> None:
    earlier = {week_of(e.event_date).label for e in EVENTS if week_of(e.event_date).label < "2025-W27"}
    assert len(earlier) >= 4
    assert "2024-W46" in earlier  # the first Kupol strike, "since November"


def test_the_talks_the_documents_refer_to_are_there() -> None:
    talks = {(str(e.event_date), e.diplomatic_status) for e in EVENTS if e.diplomatic_kind == "talks"}
    assert ("2025-06-02", "held") in talks  # direct talks "nearly a month ago" (001)
    assert ("2025-05-30", "scheduled") in talks  # due the Monday after the Izmail strike (003)
    assert ("2025-07-01", "stalled") in talks
    assert str(BY_ID["UKR-S001"].event_date) == "2025-05-30"


def test_the_nato_border_strike_is_next_to_romania() -> None:
    izmail = BY_ID["UKR-S001"]
    assert izmail.location == "Izmail" and izmail.target_category == "port"
    assert izmail.distance_to_nato_km is not None and izmail.distance_to_nato_km <= 10
