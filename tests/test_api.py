"""The embedding API takes what an embedding developer naturally passes (issue #19): plain dicts
as events, one path as a string, and says clearly when it is given something else."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskengine import api
from riskengine.core.errors import EventError, RuleError

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_events.yaml"
RULES = Path(__file__).resolve().parents[1] / "rules"


@pytest.fixture(scope="module")
def events() -> list:
    return api.read_events([SAMPLE])


def test_plain_dicts_score_as_the_events_they_describe(events: list) -> None:
    as_dicts = [e.model_dump(mode="json", exclude_defaults=True) for e in events]
    assert api.score(as_dicts, window="2025-W27") == api.score(events, window="2025-W27")


def test_bad_dicts_are_located_errors_listing_every_problem() -> None:
    with pytest.raises(EventError) as caught:
        api.score([{"event_id": "a", "event_date": "2025-07-01", "event_type": "Battles", "country": "UKR", "sources": [{"name": "x"}]}, {"event_id": "b"}])
    rendered = [issue.render() for issue in caught.value.issues]
    assert rendered and all(line.startswith("<events>:2:1: error[E203] events[event_id=b]") for line in rendered)
    assert any("'country'" in line for line in rendered) and any("'event_date'" in line for line in rendered)


def test_one_path_as_a_string_is_one_path(events: list) -> None:
    assert api.read_events(str(SAMPLE)) == events
    assert api.load_rules(str(RULES)).version == api.load_rules([RULES]).version
    with pytest.raises(RuleError) as caught:  # not one error per character, not a walk of "/"
        api.load_rules("no-such-rules/")
    assert len(caught.value.issues) == 1


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: api.score("events.jsonl"), "read files with read_events(path) first"),
        (lambda: api.score([42]), "expected Event objects or dicts, got int"),
        (lambda: api.load_rules(7), "expected a path or a list of paths, got int"),
        (lambda: api.read_events([SAMPLE, 3]), "a list holding int"),
        (lambda: api.score([], rules="rules/"), "expected a RulePack from load_rules(), got str"),
        (lambda: api.explain({"stakeholders": []}, "ngo"), "expected the ScoreReport"),
    ],
)
def test_wrong_arguments_are_type_errors_that_say_what_was_expected(call, expected: str) -> None:
    with pytest.raises(TypeError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_a_brief_renders_to_a_string_from_the_public_api(events: list) -> None:
    report = api.score(events, window="2025-W27", now="2025-07-07T06:00:00Z")
    text = api.render_brief(report, "ngo", events, fmt="md")
    assert text.startswith("# Humanitarian organisations: weekly risk brief, 2025-W27")
    golden = Path(__file__).parent / "golden" / "2025-W27-ngo.md"
    assert text == golden.read_text(encoding="utf-8")


def test_a_brief_without_the_events_it_was_scored_from_is_refused(events: list) -> None:
    # build_context(report, "ngo", []) used to give a brief with no drivers, silently.
    report = api.score(events, window="2025-W27")
    with pytest.raises(EventError, match="the events the report was scored from are needed"):
        api.render_brief(report, "ngo", [])


def test_build_context_itself_refuses_a_report_without_its_events(events: list) -> None:
    # The check sits where every caller builds a brief (CLI, API, service), not only in the API.
    from riskengine.briefs.render import build_context

    report = api.score(events, window="2025-W27")
    with pytest.raises(EventError, match="missing: "):
        build_context(report, "ngo", [])
