"""History context: look-back-only country signals on each event (riskengine.ingest.history)."""

from __future__ import annotations

import datetime as dt
import random

from riskengine.core.events import Event
from riskengine.ingest.history import HISTORY_FIELDS, add_history_context, is_armed_actor

SRC = [{"name": "t", "reliability": "B", "credibility": 2}]


def ev(i: int, day: str, fatalities: int = 0, *, country: str = "KEN", event_type: str = "Battles", admin1: str = "Nairobi",
       actor1: str | None = "Al Shabaab", actor2: str | None = "Military Forces of Kenya (2022-)") -> Event:
    return Event(event_id=f"E{i}", event_date=dt.date.fromisoformat(day), event_type=event_type, country=country, admin1=admin1,
                 actor1=actor1, actor2=actor2, fatalities=fatalities, sources=SRC)  # type: ignore[arg-type]


def fields(events: list[Event]) -> dict[str, tuple]:
    return {e.event_id: tuple(getattr(e, f) for f in HISTORY_FIELDS) for e in events}


def test_30_day_total_counts_the_day_and_29_before_and_nothing_after() -> None:
    events = [ev(1, "2024-01-01", 5), ev(2, "2024-01-30", 2), ev(3, "2024-01-31", 1), ev(4, "2024-02-01", 100)]
    got = {e.event_id: e.country_fatalities_30d for e in add_history_context(events)}
    assert got == {"E1": 5, "E2": 7, "E3": 3, "E4": 103}


def test_no_look_ahead_later_events_change_nothing_earlier() -> None:
    base = [ev(1, "2024-01-01", 5), ev(2, "2024-03-01", 2, admin1="Mandera")]
    more = [*base, ev(3, "2024-03-02", 50, admin1="Lamu", actor1="ISS")]
    a, b = fields(add_history_context(base)), fields(add_history_context(more))
    assert a["E1"] == b["E1"] and a["E2"] == b["E2"]


def test_values_do_not_depend_on_input_order() -> None:
    rng = random.Random(7)
    events = [ev(i, (dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(500))).isoformat(), rng.randrange(20),
                 admin1=rng.choice("ABCDE"), actor1=rng.choice(["X", "Y", "Z", "Civilians (Kenya)"])) for i in range(300)]
    shuffled = events[:]
    rng.shuffle(shuffled)
    assert fields(add_history_context(events)) == fields(add_history_context(shuffled))
    assert [e.event_id for e in add_history_context(shuffled)] == [e.event_id for e in shuffled]  # order kept


def test_peak_and_highest_in_days_look_back_a_year_and_are_capped_by_the_history_held() -> None:
    events = [ev(1, "2023-01-10", 40), ev(2, "2023-06-01", 10), ev(3, "2024-03-01", 30), ev(4, "2024-03-02", 30)]
    got = {e.event_id: e for e in add_history_context(events)}
    assert got["E1"].country_fatalities_30d_highest_in_days == 0  # no history before the first day
    assert got["E2"].country_fatalities_30d_peak_365d == 40
    # the 40 stays in the 30-day total up to 2023-02-08, the last day with a higher total
    assert got["E2"].country_fatalities_30d_highest_in_days == (dt.date(2023, 6, 1) - dt.date(2023, 2, 8)).days
    assert got["E3"].country_fatalities_30d_peak_365d == 10  # the 40 of 2023-01 is more than 365 days back
    # 60 in 30 days: higher than anything held, so "highest in" all the history (417 days)
    assert got["E4"].country_fatalities_30d == 60
    assert got["E4"].country_fatalities_30d_highest_in_days == (dt.date(2024, 3, 2) - dt.date(2023, 1, 10)).days


def test_highest_in_days_finds_the_last_higher_total() -> None:
    events = [ev(1, "2024-01-01", 50), ev(2, "2024-02-15", 10), ev(3, "2024-03-01", 20)]
    got = {e.event_id: e for e in add_history_context(events)}
    # On 03-01 the 30-day total is 30 (10 + 20); the last day with a higher total is 2024-01-30 (50).
    assert got["E3"].country_fatalities_30d == 30
    assert got["E3"].country_fatalities_30d_highest_in_days == (dt.date(2024, 3, 1) - dt.date(2024, 1, 30)).days


def test_diffusion_and_fragmentation_count_political_violence_only_and_armed_actors_only() -> None:
    events = [
        ev(1, "2024-05-01", admin1="A", actor1="Al Shabaab", actor2="Civilians (Kenya)", event_type="Violence against civilians"),
        ev(2, "2024-05-02", admin1="B", actor1="Police Forces of Kenya (2022-)", actor2="Protesters (Kenya)", event_type="Protests"),
        ev(3, "2024-05-03", admin1="C", actor1="ISS", actor2="Military Forces of Kenya (2022-)"),
        ev(4, "2024-05-03", admin1="c", actor1="Rioters (Kenya)", actor2=None, event_type="Riots"),
    ]
    got = {e.event_id: e for e in add_history_context(events)}
    assert got["E3"].country_admin1_hit_30d == 2  # A and C; the protest and the riot do not count
    assert got["E3"].country_armed_groups_30d == 3  # Al Shabaab, ISS, the army; not civilians


def test_countries_are_kept_apart() -> None:
    events = [ev(1, "2024-01-01", 5, country="KEN"), ev(2, "2024-01-02", 7, country="SOM")]
    got = {e.event_id: e.country_fatalities_30d for e in add_history_context(events)}
    assert got == {"E1": 5, "E2": 7}


def test_armed_actor_by_tag_first_then_by_name() -> None:
    assert is_armed_actor("Unidentified Armed Group (Kenya)")
    assert not is_armed_actor("Civilians (Kenya)")
    assert not is_armed_actor("Somebody", ["actor1_type:protesters"], 1)
    assert is_armed_actor("Somebody", ["actor1_type:protesters", "actor2_type:rebel_group"], 2)


def test_the_importer_writes_history_context_on_every_event(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from riskengine.cli.app import main

    sample = Path(__file__).parent / "extract" / "acled_sample.csv"
    out = tmp_path / "e.jsonl"
    assert main(["import", "acled", str(sample), "-o", str(out)]) == 0
    events = [Event.model_validate_json(line) for line in out.read_text().splitlines() if line.strip()]
    assert events and all(e.country_fatalities_30d is not None for e in events)
    assert events == add_history_context(events)  # the file's values are the function's


def test_a_file_line_that_is_not_an_event_is_kept_as_it_was(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from riskengine.ingest.history import add_history_context_file

    path = tmp_path / "e.jsonl"
    path.write_text('{"event_id": "OLD1"}\n' + ev(1, "2024-01-01", 3).model_dump_json() + "\n")
    assert add_history_context_file(path) == 1
    first, second = path.read_text().splitlines()
    assert first == '{"event_id": "OLD1"}' and Event.model_validate_json(second).country_fatalities_30d == 3
