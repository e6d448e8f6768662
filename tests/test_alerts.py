"""Alerts (riskengine/scoring/alerts.py, docs/ALERTS.md): each kind on constructed score
histories, the floor, the cool-down, determinism and locality, the drivers, the profile settings,
scoring's alerts against a backtest's, the CLI's JSON, Markdown and table, and the brief's section."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from riskengine import api
from riskengine.briefs.render import build_context, render_brief
from riskengine.cli.alerts import render_md
from riskengine.cli.app import main
from riskengine.core.errors import InputError
from riskengine.core.windows import parse_range, parse_week, week_of
from riskengine.rules.models import AlertSettings, Profile
from riskengine.scoring import alerts
from riskengine.scoring.alerts import OVERALL, AlertsReport, WeekScores, alerts_at, scan
from riskengine.scoring.backtest import run_backtest
from riskengine.scoring.scores import Alert, AlertDriver, Contribution

ROOT = Path(__file__).resolve().parents[1]
NOW = "2025-07-07T06:00:00Z"
THRESHOLDS = (2.0, 4.0, 6.0, 8.0)


def series(overall: Sequence[float], *, dims: dict[str, Sequence[float]] | None = None, events: Sequence[int] | None = None, first: str = "2024-W01") -> list[WeekScores]:
    """Consecutive ISO weeks from ``first``: overall scores, dimension scores, events (1 a week)."""
    start = parse_week(first).start
    return [
        WeekScores(
            week=week_of(start + dt.timedelta(weeks=i)).label,
            events=1 if events is None else events[i],
            overall=value,
            dimensions={d: values[i] for d, values in (dims or {}).items()},
        )
        for i, value in enumerate(overall)
    ]


def rules(floor: str | float = "medium", peak_weeks: int = 4, cooldown_weeks: int = 4) -> alerts.AlertRules:
    profile = Profile(title="t", dimension_weights={"security": 1.0}, thresholds=list(THRESHOLDS))
    return alerts.rules_of(profile, AlertSettings(floor=floor, peak_weeks=peak_weeks, cooldown_weeks=cooldown_weeks))


def last_week(weeks: list[WeekScores], chosen: alerts.AlertRules, subjects: Sequence[str] = (OVERALL,)) -> list[Alert]:
    return alerts_at(weeks, chosen, stakeholder="ngo", subjects=subjects, rule_pack="abc")


def scanned(weeks: list[WeekScores], chosen: alerts.AlertRules, subjects: Sequence[str] = (OVERALL,)) -> list[tuple[str, str]]:
    return [(a.week, a.id.split(":", 1)[1]) for a in scan(weeks, chosen, stakeholder="ngo", subjects=subjects, rule_pack="abc")]


# ---------------------------------------------------------------------------------------------
# The kinds, exactly


def test_a_score_crossing_into_a_higher_class_alerts_with_the_week_before() -> None:
    (alert,) = last_week(series([1.0, 1.2, 4.5]), rules())
    assert alert.id == "2024-W03:ngo:medium"
    assert (alert.kind, alert.subject, alert.score, alert.score_class) == ("class_crossing", OVERALL, 4.5, "medium")
    assert (alert.previous_week, alert.previous_score, alert.previous_class, alert.change) == ("2024-W02", 1.2, "very low", 3.3)
    assert alert.highest_in_weeks is None and alert.beat_score is None
    assert alert.headline == "Overall score rose into medium: 4.50, from 1.20 (very low) in 2024-W02."


def test_a_crossing_where_the_record_starts_says_so() -> None:
    # a real Afghanistan export begins on 2020-03-01, the last day of 2020-W09: every score "rose"
    # in 2020-W10 from that one day ("Overall score rose into medium: 5.52, from 0.32 (very low)")
    (alert,) = last_week(series([0.3, 5.5]), rules())
    assert alert.headline == "Overall score rose into medium: 5.50, from 0.30 (very low) in 2024-W01; the events read begin in 2024-W01, so the rise may be the record starting."
    (alert,) = last_week(series([0.0, 0.3, 5.5], events=[0, 1, 1]), rules())
    assert alert.headline.endswith("; the events read begin in 2024-W02, so the rise may be the record starting.")
    (alert,) = last_week(series([0.0, 5.5], events=[0, 1]), rules())
    assert alert.headline.endswith("; the events read begin this week, so the rise may be the record starting.")
    # a week of events before the one before: the record did not start there
    (alert,) = last_week(series([1.0, 0.3, 5.5], events=[1, 1, 1]), rules())
    assert alert.headline == "Overall score rose into medium: 5.50, from 0.30 (very low) in 2024-W02."


def test_a_dimension_crossing_names_the_dimension_in_its_id() -> None:
    weeks = series([1.0, 1.0], dims={"security": [3.0, 6.5], "economic": [1.0, 1.0]})
    (alert,) = last_week(weeks, rules(), subjects=[OVERALL, "economic", "security"])
    assert alert.id == "2024-W02:ngo:security:high" and alert.subject == "security"
    assert alert.headline.startswith("Security score rose into high: 6.50, from 3.00 (low)")


def test_staying_in_a_class_or_falling_is_no_crossing() -> None:
    assert last_week(series([4.5, 5.5]), rules()) == []
    assert last_week(series([6.5, 4.5]), rules()) == []


def test_the_highest_in_n_weeks_alerts_with_the_high_it_beat() -> None:
    # N = 4: week 5 (5.3) is above each of weeks 1-4 (4.5, 5.2, 4.8, 4.9); all medium, no crossing
    weeks = series([5.0, 4.5, 5.2, 4.8, 4.9, 5.3])
    (alert,) = last_week(weeks, rules(peak_weeks=4))
    assert alert.id == "2024-W06:ngo:highest-4w" and alert.kind == "highest_in_weeks"
    assert (alert.highest_in_weeks, alert.beat_score, alert.beat_week) == (4, 5.2, "2024-W03")
    assert alert.headline == "Overall score at its highest in 4 weeks: 5.30 (medium), above 5.20 in 2024-W03; 4.90 (medium) in 2024-W05."
    # equal to the high is not above it; week 0 (5.0) is five weeks back, outside N
    assert last_week(series([5.0, 4.5, 5.2, 4.8, 4.9, 5.2]), rules(peak_weeks=4)) == []
    assert [a.id for a in last_week(series([5.5, 4.5, 5.2, 4.8, 4.9, 5.3]), rules(peak_weeks=4))] == ["2024-W06:ngo:highest-4w"]


def test_the_beaten_high_names_its_latest_week() -> None:
    (alert,) = last_week(series([4.5, 5.2, 4.8, 5.2, 5.3]), rules(peak_weeks=4))
    assert (alert.beat_score, alert.beat_week) == (5.2, "2024-W04")


def test_a_crossing_that_is_also_a_peak_is_one_alert_saying_both() -> None:
    (alert,) = last_week(series([3.0, 2.5, 3.5, 3.9, 6.4]), rules(peak_weeks=4))
    assert alert.id == "2024-W05:ngo:high" and alert.kind == "class_crossing"
    assert (alert.highest_in_weeks, alert.beat_score, alert.beat_week) == (4, 3.9, "2024-W04")
    assert alert.headline == "Overall score rose into high: 6.40, from 3.90 (low) in 2024-W04; its highest in 4 weeks (the highest before: 3.90, in 2024-W04)."


def test_a_peak_over_weeks_all_at_zero_names_no_highest_week() -> None:
    # A real Bangladesh export (2024-W29): "its highest in 52 weeks (the highest before: 0.00, in
    # 2024-W28)" of an escalation score that had been 0 all year
    (alert,) = last_week(series([0.0, 0.0, 0.0, 0.0, 6.4]), rules(peak_weeks=4))
    assert alert.headline == "Overall score rose into high: 6.40, from 0.00 (very low) in 2024-W04; its highest in 4 weeks (the highest before: 0.00 in every one of them)."


def test_no_peak_without_history_that_reaches_back_n_weeks() -> None:
    # N = 6: the last week is compared with weeks 4-9, and the feed starts in week 8, after the
    # first four of them: "highest in 6 weeks" of two weeks of data is not claimed
    values = [0.0] * 8 + [4.5, 4.6, 4.7]
    assert last_week(series(values, events=[0] * 8 + [3, 3, 3]), rules(peak_weeks=6, cooldown_weeks=0)) == []
    # one event in week 7, the fourth of them, and the history reaches back
    (alert,) = last_week(series(values, events=[0] * 7 + [1, 3, 3, 3]), rules(peak_weeks=6, cooldown_weeks=0))
    assert (alert.kind, alert.beat_score) == ("highest_in_weeks", 4.6)
    # nor when the series is shorter than N
    assert last_week(series([4.5, 4.6, 4.7]), rules(peak_weeks=4, cooldown_weeks=0)) == []


# ---------------------------------------------------------------------------------------------
# The floor


def test_a_crossing_or_a_peak_below_the_floor_is_no_alert() -> None:
    assert last_week(series([1.0, 3.0]), rules()) == []  # into low, floor medium
    assert last_week(series([1.0, 1.5, 1.2, 1.4, 1.9]), rules(peak_weeks=4)) == []  # a yearly high that is still very low
    assert [a.id for a in last_week(series([1.0, 3.0]), rules(floor="low"))] == ["2024-W02:ngo:low"]
    assert [a.id for a in last_week(series([1.0, 3.0]), rules(floor=2.5))] == ["2024-W02:ngo:low"]
    assert last_week(series([1.0, 3.0]), rules(floor=3.01)) == []


def test_a_floor_named_by_class_follows_the_profiles_thresholds() -> None:
    profile = Profile(title="t", dimension_weights={"security": 1.0}, thresholds=[1.0, 3.0, 5.0, 7.0], alerts={"floor": "high"})
    assert (alerts.rules_of(profile).floor, alerts.rules_of(profile).floor_class) == (5.0, "high")
    assert (alerts.rules_of(profile, AlertSettings(floor=4.2)).floor_class) == "medium"


# ---------------------------------------------------------------------------------------------
# The cool-down


def test_the_same_alert_is_not_raised_again_within_the_cooldown_and_is_after_it() -> None:
    # Crossings into medium in weeks 2, 5 and 10 (index); K = 4: week 5 is held back (week 2 is
    # 3 weeks before), week 10 is raised (none in weeks 6-9)
    values = [1.0, 1.0, 4.5, 1.0, 1.0, 4.5, 1.0, 1.0, 1.0, 1.0, 4.5]
    assert scanned(series(values), rules(cooldown_weeks=4, peak_weeks=52)) == [("2024-W03", "ngo:medium"), ("2024-W11", "ngo:medium")]
    # without the cool-down every crossing is an alert
    assert [w for w, _ in scanned(series(values), rules(cooldown_weeks=0, peak_weeks=52))] == ["2024-W03", "2024-W06", "2024-W11"]


def test_a_condition_held_back_still_holds_the_next_one_back() -> None:
    # Crossings every 3 weeks with K = 4: only the first is raised; the condition never rests 4 weeks
    values = [1.0, 4.5] * 1 + [1.0, 1.0, 4.5] * 5
    assert scanned(series(values), rules(cooldown_weeks=4, peak_weeks=52)) == [("2024-W02", "ngo:medium")]


def test_a_crossing_into_a_higher_class_breaks_through_the_cooldown() -> None:
    values = [1.0, 4.5, 6.5, 4.5, 6.5, 8.5]
    assert scanned(series(values), rules(cooldown_weeks=4, peak_weeks=52)) == [
        ("2024-W02", "ngo:medium"),
        ("2024-W03", "ngo:high"),  # an escalation is news
        ("2024-W06", "ngo:very-high"),  # the second crossing into high (week 5) was not
    ]


def test_the_cooldown_is_kept_per_kind_and_subject() -> None:
    weeks = series([1.0, 4.5, 1.0, 4.5], dims={"security": [1.0, 1.0, 1.0, 4.5]})
    assert scanned(weeks, rules(cooldown_weeks=4, peak_weeks=52), subjects=[OVERALL, "security"]) == [
        ("2024-W02", "ngo:medium"),
        ("2024-W04", "ngo:security:medium"),
    ]
    # a peak is not held back by a crossing, nor the other way round
    peaks = series([4.1, 4.2, 4.3, 4.4, 4.6, 6.5])
    # (week 1 crosses from the quiet before the series into medium)
    assert scanned(peaks, rules(cooldown_weeks=4, peak_weeks=4)) == [("2024-W01", "ngo:medium"), ("2024-W05", "ngo:highest-4w"), ("2024-W06", "ngo:high")]
    (both,) = last_week(peaks, rules(cooldown_weeks=4, peak_weeks=4))
    assert both.highest_in_weeks == 4  # week 6 peaks too, though that alone is held back by week 5


def test_a_peak_is_held_back_by_a_peak_within_the_cooldown() -> None:
    values = [4.1, 4.2, 4.3, 4.4, 4.6, 4.7, 4.8, 4.9, 5.0, 5.1, 5.2]
    assert scanned(series(values), rules(cooldown_weeks=3, peak_weeks=4)) == [("2024-W01", "ngo:medium"), ("2024-W05", "ngo:highest-4w")]
    assert [w for w, _ in scanned(series(values), rules(cooldown_weeks=0, peak_weeks=4))] == ["2024-W01"] + [f"2024-W{n:02d}" for n in range(5, 12)]


# ---------------------------------------------------------------------------------------------
# Determinism and locality


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 1.0, 2.5, 3.9, 4.0, 4.5, 5.5, 6.2, 7.9, 8.5, 9.9]), min_size=1, max_size=40),
    st.integers(min_value=4, max_value=8),
    st.integers(min_value=0, max_value=6),
)
def test_a_weeks_alerts_depend_on_its_last_n_plus_k_plus_one_weeks_only(values: list[float], peak_weeks: int, cooldown_weeks: int) -> None:
    chosen = rules(floor="low", peak_weeks=peak_weeks, cooldown_weeks=cooldown_weeks)
    weeks = series(values, events=[i % 3 for i in range(len(values))])
    whole = scan(weeks, chosen, stakeholder="ngo", subjects=[OVERALL], rule_pack="abc")
    for t in range(len(weeks)):
        # the last week's alerts: from the whole history, from only the weeks the rules read, and
        # as the scan over the series found them for that week (the same objects, the same order)
        full = alerts_at(weeks[: t + 1], chosen, stakeholder="ngo", subjects=[OVERALL], rule_pack="abc")
        window = alerts_at(weeks[max(0, t + 1 - chosen.weeks_needed) : t + 1], chosen, stakeholder="ngo", subjects=[OVERALL], rule_pack="abc")
        assert full == window == [a for a in whole if a.week == weeks[t].week]


def test_alerts_are_the_same_on_every_run() -> None:
    weeks = series([4.1, 1.0, 4.5, 6.5, 4.5, 4.7, 6.6], dims={"security": [1, 5, 1, 5, 6, 7, 9]})
    first = scan(weeks, rules(), stakeholder="ngo", subjects=[OVERALL, "security"], rule_pack="abc")
    assert first == scan(weeks, rules(), stakeholder="ngo", subjects=[OVERALL, "security"], rule_pack="abc")
    assert [a.id for a in first] == sorted({a.id for a in first}, key=[a.id for a in first].index)  # ids unique


# ---------------------------------------------------------------------------------------------
# Drivers


def contribution(rule_id: str, dimension: str, points: float, events: tuple[str, ...] = ("E1",)) -> Contribution:
    return Contribution(
        rule_id=rule_id, rule_title=rule_id.title(), stakeholder="ngo", dimension=dimension, event_ids=list(events),
        event_date=dt.date(2025, 7, 1), region="UKR", points=abs(points), source_weight=1.0, weighted_points=points,
        recommendation=None, rule_source="000 Section", rule_file="rules/ngo.yaml", rule_line=3, sources=[],
    )  # fmt: skip


def test_drivers_rank_firings_by_what_they_add_to_the_alerting_score() -> None:
    profile = Profile(title="t", dimension_weights={"security": 0.5, "humanitarian": 0.5}, saturation={"default": 1.0, "security": 10.0})
    week = [
        contribution("a", "security", 8.0, ("E1", "E2")),
        contribution("b", "humanitarian", 2.0),
        contribution("c", "humanitarian", 1.0),
        contribution("d", "humanitarian", -3.0),  # lowering: never a driver
        contribution("e", "security", 1.0),
    ]
    by_dimension = alerts.alert_drivers("humanitarian", week, profile)
    assert [(d.rule_id, d.share) for d in by_dimension] == [("b", 0.67), ("c", 0.33)]
    # overall: points over saturation, so security's 8 (saturation 10) weigh less than humanitarian's 2
    overall = alerts.alert_drivers(OVERALL, week, profile)
    # units: b 0.5 * 2 / 1 = 1, c 0.5, a 0.5 * 8 / 10 = 0.4, e 0.05; total 1.95
    assert [(d.rule_id, d.share) for d in overall] == [("b", 0.51), ("c", 0.26), ("a", 0.21)]
    assert overall[2].event_ids == ("E1", "E2") and overall[2].rule_file == "rules/ngo.yaml"


# ---------------------------------------------------------------------------------------------
# Profile settings


@pytest.mark.parametrize(
    "bad",
    [{"floor": 0}, {"floor": 10}, {"floor": "very low"}, {"floor": True}, {"floor": "mediun"}, {"peak_weeks": 3}, {"peak_weeks": 261},
     {"cooldown_weeks": -1}, {"cooldown_weeks": 105}, {"window": 3}],
)  # fmt: skip
def test_nonsense_alert_settings_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        AlertSettings.model_validate(bad)


def test_alert_settings_default_to_hdx_signals_like_values() -> None:
    profile = Profile(title="t", dimension_weights={"security": 1.0})
    assert (profile.alerts.floor, profile.alerts.peak_weeks, profile.alerts.cooldown_weeks) == ("medium", 52, 26)


def test_rules_check_locates_a_bad_alert_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for source in (ROOT / "rules").glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    profiles = tmp_path / "profiles.yaml"
    text = profiles.read_text(encoding="utf-8")
    profiles.write_text(text.replace("alerts: {floor: medium, peak_weeks: 52, cooldown_weeks: 26}", "alerts: {floor: mediun, peak_weeks: 2}", 1), encoding="utf-8")
    assert main(["rules", "check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    line = 1 + text[: text.index("alerts: {floor")].count("\n")
    assert f"profiles.yaml:{line}:" in err and "profiles.investor.alerts.floor: floor 'mediun' is neither a class" in err
    assert "profiles.investor.alerts.peak_weeks: must be at least 4, got 2" in err


# ---------------------------------------------------------------------------------------------
# Scoring puts the week's alerts in the report


@pytest.fixture(scope="module")
def events() -> list:
    return api.read_events()


def test_the_sample_weeks_alerts_are_in_its_report(events: list) -> None:
    report = api.score(events, window="2025-W27")
    assert [a.id for a in alerts.alerts_of(report)] == [
        "2025-W27:investor:medium",
        "2025-W27:investor:escalation:medium",
        "2025-W27:government:medium",
        "2025-W27:government:escalation:medium",
        "2025-W27:ngo:medium",
        "2025-W27:ngo:humanitarian:medium",
        "2025-W27:analyst:military:high",
    ]
    ngo = next(s for s in report.stakeholders if s.stakeholder == "ngo")
    assert ngo.alerts is not None and (ngo.alerts.floor, ngo.alerts.peak_weeks, ngo.alerts.cooldown_weeks) == (4.0, 52, 26)
    humanitarian = ngo.alerts.raised[1]
    assert humanitarian.drivers[0] == AlertDriver(
        rule_id="ngo-hospitalisations", rule_title="Ten or more people hospitalised", dimension="humanitarian", weighted_points=3.41,
        share=0.16, event_ids=("RUS-S007",), rule_source="001 Opening paragraphs", rule_file="rules/ngo.yaml", rule_line=44,
    )  # fmt: skip
    # the trend keeps its own length: the alerts' 79 weeks are read, not shown
    assert len(ngo.history) == 12  # the 12 weeks the trend charts draw


def test_a_window_that_is_not_an_iso_week_has_no_alerts_computed(events: list) -> None:
    report = api.score(events, window=parse_range("2025-06-30", "2025-07-06"))
    assert all(s.alerts is None for s in report.stakeholders)
    assert alerts.alerts_of(report) == []
    with pytest.raises(InputError, match="alerts are weekly"):
        alerts.alerts_report(report)


@pytest.mark.parametrize(("cooldown_weeks", "expected"), [(0, 38), (2, 35)])
def test_scoring_a_week_and_scanning_a_backtest_raise_the_same_alerts(events: list, cooldown_weeks: int, expected: int) -> None:
    # A short lookback and floor low, so the sample's few weeks raise both kinds (peaks only
    # without a cool-down: the sample's peaks come in runs)
    pack = api.load_rules()
    quick = {name: p.model_copy(update={"alerts": AlertSettings(floor="low", peak_weeks=4, cooldown_weeks=cooldown_weeks)}) for name, p in pack.profiles.items()}
    pack = dataclasses.replace(pack, profiles=quick)
    first, last = parse_week("2025-W18"), parse_week("2025-W28")
    result = run_backtest([sorted(events, key=lambda e: (e.event_date, e.event_id))], pack, api.compile_pack(pack), first=first, last=last)
    from_backtest = []
    for s in result.series:
        profile = alerts.profile_of(pack, s.stakeholder)
        weeks = [WeekScores(p.week, p.events, p.score, {d.dimension: d.score for d in p.dimensions}) for p in s.weeks]
        from_backtest += scan(weeks, alerts.rules_of(profile), stakeholder=s.stakeholder, subjects=alerts.subjects_of(profile), rule_pack=pack.version)
    assert len(from_backtest) == expected
    assert ({a.kind for a in from_backtest} == {"class_crossing", "highest_in_weeks"}) == (cooldown_weeks == 0)
    for window in [parse_week(f"2025-W{n}") for n in range(18, 29)]:
        scored = [dataclasses.replace(a, drivers=()) for a in alerts.alerts_of(api.score(events, rules=pack, window=window))]
        assert scored == [a for a in from_backtest if a.week == window.label], window.label


# ---------------------------------------------------------------------------------------------
# The CLI


def test_cli_json_is_the_documented_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "--week", "2025-W27", "--format", "json", "--now", NOW]) == 0
    data = json.loads(capsys.readouterr().out)
    AlertsReport.model_validate(data)
    assert (data["schema_version"], data["week"], data["previous_week"], data["generated_at"]) == ("1.0", "2025-W27", "2025-W26", NOW)
    assert [c["stakeholder"] for c in data["checked"]] == ["investor", "government", "ngo", "analyst"]
    assert [c["raised"] for c in data["checked"]] == [2, 2, 2, 1]
    first = data["alerts"][0]
    assert list(first) == [f.name for f in dataclasses.fields(Alert)]
    assert first["id"] == "2025-W27:investor:medium" and first["drivers"][0]["rule_id"] == "inv-deep-strike-industry"
    assert documented_fields() == {
        "AlertsReport": set(AlertsReport.model_fields),
        "AlertCheck": set(alerts.AlertCheck.model_fields),
        "Alert": {f.name for f in dataclasses.fields(Alert)},
        "AlertDriver": {f.name for f in dataclasses.fields(AlertDriver)},
    }


def documented_fields() -> dict[str, set[str]]:
    text = (ROOT / "docs" / "ALERTS.md").read_text(encoding="utf-8").split("\n## JSON schema\n", 1)[1]
    documented: dict[str, set[str]] = {}
    current = None
    for line in text.splitlines():
        heading = re.match(r"^### (\w+)\s*$", line)
        if heading:
            current = documented.setdefault(heading.group(1), set())
        row = re.match(r"^\| `(\w+)` \|", line)
        if row and current is not None:
            current.add(row.group(1))
    return documented


def test_cli_json_is_byte_for_byte_the_same_twice(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "--week", "2025-W27", "--format", "json"]) == 0
    once = capsys.readouterr().out
    assert main(["alerts", "--week", "2025-W27", "--format", "json"]) == 0
    assert capsys.readouterr().out == once


def test_cli_markdown_lists_alerts_per_stakeholder_and_says_when_there_are_none(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "--week", "2025-W27", "--format", "md", "--stakeholder", "ngo"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Alerts, 2025-W27\n")
    assert "## Humanitarian organisations (ngo)" in text and "## International investors" not in text
    assert "- **Humanitarian score rose into medium: 5.06, from 1.51 (very low) in 2025-W26.**" in text
    assert "`ngo-hospitalisations` Ten or more people hospitalised (humanitarian, 15 %: RUS-S007)" in text
    assert "  - Alert `2025-W27:ngo:humanitarian:medium`" in text
    assert main(["alerts", "--week", "2025-W28", "--format", "md"]) == 0
    quiet = capsys.readouterr().out
    assert quiet.count("No alerts this week.") == 4 and "0 alerts." in quiet


def test_cli_markdown_escapes_what_rule_authors_wrote() -> None:
    driver = AlertDriver("r", "<b>*bold*</b> [x](http://e)", "security", 1.0, 1.0, ("E_1",), "000 S", "rules/x.yaml", 1)
    alert = Alert("2025-W27:ngo:medium", "2025-W27", "ngo", 4.5, "medium", "2025-W26", 1.0, "very low", 3.5, "abc", headline="H.", drivers=(driver,))
    check = alerts.AlertCheck(stakeholder="ngo", title="NGO *x*", floor=4.0, floor_class="medium", peak_weeks=52, cooldown_weeks=26, raised=1)
    text = render_md(AlertsReport(week="2025-W27", previous_week="2025-W26", rule_pack="abc", checked=[check], alerts=[alert]))
    assert "\\<b\\>\\*bold\\*\\</b\\> \\[x\\](http://e)" in text and "NGO \\*x\\*" in text and "E\\_1" in text


def test_cli_table_and_the_old_text_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "--week", "2025-W27", "--stakeholder", "analyst"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0] == "2025-W27: 1 alert(s), against 2025-W26; rule pack " + api.load_rules().version
    assert "  2025-W27:analyst:military:high: Military score rose into high: 6.40, from 5.83 (medium) in 2025-W26." in table
    assert main(["alerts", "--week", "2025-W27", "--stakeholder", "analyst", "--format", "text"]) == 0
    assert capsys.readouterr().out == table


def test_cli_refuses_a_window_that_is_not_a_week(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "--from", "2025-06-30", "--to", "2025-07-06"]) == 2
    assert "alerts are weekly" in capsys.readouterr().err


def test_cli_writes_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "alerts.md"
    assert main(["alerts", "--week", "2025-W27", "--format", "md", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Alerts, 2025-W27") and capsys.readouterr().out == ""


# ---------------------------------------------------------------------------------------------
# The brief shows them first


def test_the_brief_shows_the_weeks_alerts_before_the_bottom_line(events: list) -> None:
    report = api.score(events, window="2025-W27", now=NOW)
    context = build_context(report, "ngo", events)
    assert context.alerts is not None and [a.id for a in context.alerts.raised] == ["2025-W27:ngo:medium", "2025-W27:ngo:humanitarian:medium"]
    for fmt in ("md", "html"):
        text = render_brief(context, fmt)
        assert text.index("Alerts") < text.index("Bottom line up front")
        assert "Humanitarian score rose into medium: 5.06" in text and "No alerts this week" not in text
    assert re.findall(r"^## (.+)$", render_brief(context, "md"), flags=re.M)[:2] == ["Alerts", "Bottom line up front"]
    assert json.loads(render_brief(context, "json"))["alerts"]["raised"][0]["drivers"][0]["share_percent"] == 15


def test_a_week_without_alerts_says_so_in_one_line_not_an_empty_section(events: list) -> None:
    report = api.score(events, window="2025-W28", now=NOW)
    text = render_brief(build_context(report, "investor", events), "md")
    assert "## Alerts" not in text
    line = "**No alerts this week:** no score rose into a higher class or reached its highest in 52 weeks at medium (4.00) or above."
    assert line in text and text.index(line) < text.index("## Bottom line up front")


def test_a_brief_of_a_window_that_is_not_a_week_shows_no_alert_line(events: list) -> None:
    report = api.score(events, window=parse_range("2025-06-30", "2025-07-06"))
    context = build_context(report, "ngo", events)
    assert context.alerts is None
    for fmt in ("md", "html"):
        assert "lerts" not in render_brief(context, fmt).split("Bottom line up front")[0]


# ---------------------------------------------------------------------------------------------
# A rule that drove the score more than once is said once


def _driver(rule_id: str, title: str, share: float, event_ids: tuple[str, ...]) -> AlertDriver:
    return AlertDriver(rule_id, title, "humanitarian", share * 10, share, event_ids, "000 S", "rules/ngo.yaml", 1)


# Seen on a real 2016 Africa export (2016-W25, NGO): "Driven most by Civilians killed (5 %, 7711RTA);
# People killed in political violence (3 %, 7711RTA); Civilians killed (2 %, 7745RTA)."
REPEATED = (
    _driver("ngo-civilian-deaths", "Civilians killed", 0.05, ("7711RTA",)),
    _driver("ngo-deadly-violence", "People killed in political violence", 0.03, ("7711RTA",)),
    _driver("ngo-civilian-deaths", "Civilians killed", 0.02, ("7745RTA",)),
)


def test_drivers_by_rule_name_a_rule_once_with_its_firings_largest_share_first() -> None:
    grouped = alerts.drivers_by_rule(REPEATED)
    assert [[d.event_ids[0] for d in g] for g in grouped] == [["7711RTA", "7745RTA"], ["7711RTA"]]
    # a rule whose firings together weigh more comes first, even after a heavier single firing
    later = (_driver("a", "A", 0.04, ("E1",)), _driver("b", "B", 0.03, ("E2",)), _driver("b", "B", 0.03, ("E3",)))
    assert [g[0].rule_id for g in alerts.drivers_by_rule(later)] == ["b", "a"]


def test_the_brief_and_the_cli_say_a_rule_that_fired_several_times_once(events: list) -> None:
    report = api.score(events, window="2025-W27", now=NOW)
    ngo = next(s for s in report.stakeholders if s.stakeholder == "ngo")
    assert ngo.alerts is not None
    raised = [dataclasses.replace(ngo.alerts.raised[0], drivers=REPEATED), *ngo.alerts.raised[1:]]
    changed = ngo.model_copy(update={"alerts": ngo.alerts.model_copy(update={"raised": raised})})
    report = report.model_copy(update={"stakeholders": [changed if s is ngo else s for s in report.stakeholders]})
    context = build_context(report, "ngo", events)
    md = render_brief(context, "md")
    assert "Driven most by Civilians killed (7 %, 2 firings: 5 % 7711RTA; 2 % 7745RTA); People killed in political violence (3 %, 7711RTA): the largest of 15 firings." in md
    line = next(x for x in md.splitlines() if "Driven most by Civilians" in x)
    assert line.count("Civilians killed") == 1
    html = render_brief(context, "html")
    assert "Civilians killed (7&nbsp;%, 2 firings: 5&nbsp;% 7711RTA; 2&nbsp;% 7745RTA); People killed in political violence (3&nbsp;%, 7711RTA): the largest of 15 firings." in html
    # how many firings the drivers were chosen from (a real Afghanistan export: 'Driven most by ... (9 %, ...)'
    # said nothing of the 91 % from the 251 other firings; now ': the largest of 254 firings')
    assert [a.raising_firings for a in context.alerts.raised] == [15, 13] if context.alerts else False
    # the JSON keeps every firing as it was, and the grouping beside it
    data = json.loads(render_brief(context, "json"))["alerts"]["raised"][0]
    assert [d["rule_id"] for d in data["drivers"]] == ["ngo-civilian-deaths", "ngo-deadly-violence", "ngo-civilian-deaths"]
    assert [(r["rule_id"], r["share_percent"], len(r["firings"])) for r in data["driver_rules"]] == [("ngo-civilian-deaths", 7, 2), ("ngo-deadly-violence", 3, 1)]
    check = alerts.AlertCheck(stakeholder="ngo", title="NGO", floor=4.0, floor_class="medium", peak_weeks=52, cooldown_weeks=26, raised=1)
    text = render_md(alerts.AlertsReport(week="2025-W27", previous_week="2025-W26", rule_pack="abc", checked=[check], alerts=[raised[0]]))
    assert "`ngo-civilian-deaths` Civilians killed (humanitarian, 7 %, 2 firings: 5 % 7711RTA; 2 % 7745RTA); `ngo-deadly-violence`" in text


def test_the_cli_says_of_how_many_firings_the_drivers_are_the_largest_as_the_brief_does(events: list, capsys: pytest.CaptureFixture[str]) -> None:
    # `riskengine alerts --format md` named the investor's three heaviest firings and nothing of
    # the other nine, while the brief's alert said ': the largest of 12 firings'
    report = api.score(events, window="2025-W27", now=NOW)
    brief = render_brief(build_context(report, "investor", events), "md")
    assert "the largest of 12 firings." in brief
    assert main(["alerts", "--week", "2025-W27", "--format", "md", "--stakeholder", "investor"]) == 0
    md = capsys.readouterr().out
    overall = md.split("- **Overall score")[1].split("- **")[0]
    assert overall.splitlines()[1].endswith("(escalation, 17 %: RUS-S007, UKR-S011): the largest of 12 firings")
    # the escalation alert's three drivers are all its firings: nothing is said
    assert "largest of" not in md.split("- **Escalation score")[1]
    assert main(["alerts", "--week", "2025-W27", "--stakeholder", "investor"]) == 0
    assert "    (the largest of 12 firings)\n" in capsys.readouterr().out
    assert alerts.raising_counts(report)["2025-W27:investor:medium"] == 12
    assert alerts.largest_of(3, 3) == "" and alerts.largest_of(4, 3) == ": the largest of 4 firings"
