"""score and explain, as a user runs them: exit codes, JSON contract, traces to rule lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskengine.cli.app import main
from riskengine.scoring.scores import SCHEMA_VERSION, ScoreReport


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_json_on_the_sample_is_a_versioned_report(capsys):
    code, out, err = run(capsys, "score", "--week", "2025-W27")
    assert code == 0, err
    report = ScoreReport.model_validate_json(out)
    assert report.schema_version == SCHEMA_VERSION
    assert report.window.label == "2025-W27" and report.previous_window.label == "2025-W26"
    assert [s.stakeholder for s in report.stakeholders] == ["investor", "government", "ngo", "analyst"]
    for s in report.stakeholders:
        assert 0 <= s.score < 10
        assert s.change == pytest.approx(s.score - s.previous_score, abs=0.011)
        assert s.contributions, f"no rule fired for {s.stakeholder} on the sample week"
        for c in s.contributions:
            line = Path(c.rule_file).read_text(encoding="utf-8").splitlines()[c.rule_line - 1] if Path(c.rule_file).exists() else ""
            assert f"id: {c.rule_id}" in line, f"{c.rule_file}:{c.rule_line} is not the line of rule {c.rule_id}"


def test_score_is_byte_identical_across_runs(capsys):
    first = run(capsys, "score", "--week", "2025-W27")[1]
    second = run(capsys, "score", "--week", "2025-W27")[1]
    assert first == second


def test_durable_and_reference_engines_agree_on_the_sample(capsys):
    durable = run(capsys, "score", "--week", "2025-W27")[1]
    reference = run(capsys, "score", "--week", "2025-W27", "--engine", "reference")[1]
    assert durable == reference


def test_table_states_the_direction_of_the_scale(capsys):
    code, out, _ = run(capsys, "score", "--week", "2025-W27", "--format", "table")
    assert code == 0
    assert "higher is riskier" in out


def test_explain_names_rule_line_source_and_weights(capsys):
    code, out, _ = run(capsys, "explain", "--stakeholder", "ngo", "--week", "2025-W27")
    assert code == 0
    assert "x source weight" in out and "rules/ngo.yaml:" in out and "encodes 0" in out


def test_explain_one_event(capsys):
    code, out, _ = run(capsys, "explain", "--stakeholder", "investor", "--week", "2025-W27", "--event", "RUS-S007", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["contributions"]
    assert all("RUS-S007" in c["event_ids"] for c in payload["contributions"])
    # schema_version first, as in score's report (the keys were sorted)
    assert list(payload)[:4] == ["schema_version", "window", "stakeholder", "contributions"]


def test_explain_an_event_that_is_not_in_the_input_is_bad_input(capsys):
    # 'no rule fired on NOPE' and exit 0 read as if NOPE were a quiet event
    code, out, err = run(capsys, "explain", "--stakeholder", "ngo", "--week", "2025-W27", "--event", "NOPE")
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == "--event: error[E409] no event NOPE in the input"
    code, _, err = run(capsys, "explain", "--stakeholder", "ngo", "--week", "2025-W27", "--event", "RUS-S0077")
    assert code == 1 and err.splitlines()[0] == "--event: error[E409] no event RUS-S0077 in the input (did you mean 'RUS-S007'?)"


BAD_EVENTS = """\
- event_id: OK-1
  event_date: 2025-07-01
  event_type: Explosions/Remote violence
  country: UKR
  sources: [{name: test}]
- event_id: BAD-1
  event_date: 2025-07-01
  event_type: Explosions/Remote violence
  country: UKR
  fatalities: -3
  sources: [{name: test}]
"""


def test_bad_events_exit_1_with_located_reason_and_no_traceback(tmp_path, capsys):
    path = tmp_path / "events.yaml"
    path.write_text(BAD_EVENTS, encoding="utf-8")
    code, _out, err = run(capsys, "score", str(path), "--week", "2025-W27")
    assert code == 1
    assert "Traceback" not in err
    assert f"{path}:" in err and "fatalities" in err


def test_skip_invalid_quarantines_with_reasons(tmp_path, capsys):
    path = tmp_path / "events.yaml"
    path.write_text(BAD_EVENTS, encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    code, _out, err = run(capsys, "score", str(path), "--week", "2025-W27", "--skip-invalid", "--rejects", str(rejects))
    assert code == 0, err
    assert "1 invalid event(s) rejected" in err
    lines = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 1 and lines[0]["record"]["event_id"] == "BAD-1"


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["score", "--week", "2025-W99"], 1),
        (["score", "--week", "2025-W27", "--from", "2025-06-01", "--to", "2025-06-07"], 2),
        (["score", "--from", "2025-06-01"], 2),
        (["score", "--format", "xml"], 2),
        (["explain"], 2),
        (["score", "/nonexistent/events.yaml"], 1),
    ],
)
def test_exit_codes(capsys, argv, code):
    assert run(capsys, *argv)[0] == code


def test_unbounded_pattern_rules_look_back_over_all_history():
    # Regression: an unbounded pattern window counted as 0 days of look-back, so `score --week`
    # dropped the earlier legs of such rules.
    import datetime as dt

    from riskengine.core.windows import parse_week
    from riskengine.rules.ir import CompiledRule, CompiledRuleSet, Pattern, Test
    from riskengine.scoring.pipeline import plan_windows

    leg = Pattern("a", Test("event_type", "exists"))
    compiled = CompiledRuleSet(rules=(CompiledRule("p", (leg, Pattern("b", Test("event_type", "exists"))), None),))
    assert plan_windows(parse_week("2025-W27"), 8, compiled).earliest == dt.date.min
    bounded = CompiledRuleSet(rules=(CompiledRule("p", (leg, Pattern("b", Test("event_type", "exists"))), 60),))
    assert plan_windows(parse_week("2025-W27"), 8, bounded).earliest == dt.date(2025, 5, 12) - dt.timedelta(days=60)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        # A window whose previous window of the same length starts before year 1 was an internal
        # error (OverflowError: date value out of range, exit 3)
        (
            ["--from", "1000-01-01", "--to", "2025-07-06"],
            "--from: error[E402] no window before 1000-01-01..2025-07-06: a window of 374561 days before it starts before year 1",
        ),
        # Option values name their option, not '<input>'
        (["--week", "2025-W99"], "--week: error[E401] 2025 has no week 99 (ISO years have 52 or 53 weeks)"),
        # score printed 'generated_at: yesterday'; only brief checked --now
        (["--week", "2025-W27", "--now", "yesterday"], "--now: error[E405] --now 'yesterday' is not an ISO timestamp (write it like 2025-07-07T06:00:00Z)"),
        (["--from", "2025-07-06", "--to", "2025-07-01"], "--to: error[E402] --to 2025-07-01 is before --from 2025-07-06"),
        (["--from", "0999-12-31", "--to", "2025-07-01"], "--from: error[E402] 0999-12-31..2025-07-01: dates must be within the years 1000 to 9000"),
        (["--from", "2025-02-30", "--to", "2025-07-01"], "--from: error[E402] bad date: day is out of range for month (write dates like 2025-06-30)"),
    ],
)
def test_window_errors_are_bad_input_naming_the_option(capsys, argv, message):
    code, _, err = run(capsys, "score", *argv)
    assert code == 1
    assert err.splitlines()[0] == message


def test_a_window_without_events_says_so_instead_of_reading_as_very_low_risk(tmp_path, capsys):
    # An empty events file, or a week after the data ends, scored 0 ('very low') with no word
    # that there was no data; now a warning on stderr and a note in the report.
    empty = tmp_path / "e0.jsonl"
    empty.write_text("", encoding="utf-8")
    code, out, err = run(capsys, "score", str(empty), "--week", "2025-W27")
    note = "no events at all in the data: the scores of 2025-W27 are 0 for lack of data, not for lack of risk"
    assert code == 0 and err == f"warning: {note}\n" and json.loads(out)["notes"] == [note]
    code, out, err = run(capsys, "score", "--week", "2025-W40", "--format", "table")
    note = "no events in 2025-W40: the data ends on 2025-07-04, before the window; its scores are 0 for lack of data, not for lack of risk"
    assert code == 0 and err == f"warning: {note}\n" and f"Note: {note}\n" in out
    code, out, err = run(capsys, "score", "--week", "2025-W26")
    assert code == 0 and err == "" and json.loads(out)["notes"] == []
    # the sample ends on a Friday: its week's report says so (tests/test_record_ends.py)
    code, out, err = run(capsys, "score", "--week", "2025-W27")
    note = "the events read end on Friday 4 July 2025, the fifth day of 2025-W27: its counts and scores cover only its first five days, not the whole week"
    assert code == 0 and err == f"warning: {note}\n" and json.loads(out)["notes"] == [note]


DIVIDES_BY_ZERO = """\
rules:
  - id: per-death
    title: Deaths per death
    stakeholders: [ngo]
    dimension: humanitarian
    when: {field: fatalities, at_least: 1}
    points: 1
    recommendation: "{{ event.fatalities / (event.fatalities - event.fatalities) }}"
    source: {document: "000", section: "Analysis"}
"""


def test_a_recommendation_that_fails_on_an_event_is_located(tmp_path, capsys, monkeypatch):
    # It stopped score with 'error: error[E317] cannot render ...': no file, line or rule id,
    # and 'error' twice.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "div.yaml").write_text(DIVIDES_BY_ZERO, encoding="utf-8")
    code, out, err = run(capsys, "score", "--rules", "div.yaml", "--week", "2025-W27")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "div.yaml:2:5: error[E317] rules[id=per-death].recommendation: cannot render "
        "'{{ event.fatalities / (event.fatalities - event.fatalities) }}': division by zero (on event RUS-S007)"
    ]


def test_a_json_lines_syntax_error_is_at_the_decoders_column(tmp_path, capsys):
    # A record cut short was reported at column 1: the decoder had read the line ending and
    # put the error on the next line's first column.
    path = tmp_path / "cut.jsonl"
    path.write_text('{"event_id": "X1", "event_date": "2025-07-01"\n{"event_id": "X2",, }\n', encoding="utf-8")
    code, _, err = run(capsys, "score", str(path), "--week", "2025-W27")
    assert code == 1
    assert err.splitlines()[:2] == [
        f"{path}:1:46: error[E101] JSON syntax error: Expecting ',' delimiter",
        f"{path}:2:19: error[E101] JSON syntax error: Expecting property name enclosed in double quotes",
    ]
