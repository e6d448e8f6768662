"""Likelihood words calibrated on history: cases and cells from weekly series with known
frequencies, the words and statements a brief gets, no look-ahead, the out-of-sample reliability
and Brier scores, the calibration file, and the calibrate verb and brief --calibration.

The end-to-end tests use a one-rule pack written here (each Battles event adds one point to the
investor's security score, saturation 1), so every frequency below follows from the weekly
event counts: 2 events score 4.23 (medium), 1 scores 2.93 (low), none 0 (very low).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from riskengine.cli.app import main
from riskengine.core.errors import InputError
from riskengine.core.events import Event
from riskengine.core.windows import Window, parse_week, week_of
from riskengine.ingest.event_files import write_events_jsonl
from riskengine.scoring import calibration as cal
from riskengine.scoring.backtest import BacktestResult, DimensionPoint, StakeholderSeries, WeekPoint
from riskengine.scoring.calibration import Cell, History, Tally

THRESHOLDS = (2.0, 4.0, 6.0, 8.0)
FIRST = parse_week("2024-W01")


def week(k: int) -> Window:
    """The k-th week from 2024-W01."""
    return week_of(FIRST.start + dt.timedelta(days=7 * k))


def ordinal(k: int) -> int:
    return week(k).start.toordinal()


# ---------------------------------------------------------------------------------------------
# Bands, cells, outcomes


@pytest.mark.parametrize(
    ("frequency", "word"),
    [
        (0.0, "almost no chance"), (0.0499, "almost no chance"), (0.05, "very unlikely"), (0.1999, "very unlikely"),
        (0.2, "unlikely"), (0.4499, "unlikely"), (0.45, "roughly even chance"), (0.5499, "roughly even chance"),
        (0.55, "likely"), (0.7999, "likely"), (0.8, "very likely"), (0.9499, "very likely"), (0.95, "almost certain"),
        (1.0, "almost certain"),
    ],
)  # fmt: skip
def test_a_frequency_earns_the_icd203_band_that_holds_it(frequency: float, word: str) -> None:
    band = cal.band_of(frequency)
    assert band.word == word
    assert cal.inside(band, frequency)


def test_inside_a_band_includes_its_ends_and_the_outer_bands_reach_0_and_1() -> None:
    likely = cal.band_of(0.6)
    assert cal.inside(likely, 0.55) and cal.inside(likely, 0.80) and not cal.inside(likely, 0.81)
    assert cal.inside(cal.ICD203_BANDS[0], 0.0) and cal.inside(cal.ICD203_BANDS[-1], 1.0)
    assert not cal.inside(cal.ICD203_BANDS[-1], 0.94)


def test_percent_never_rounds_into_another_band() -> None:
    assert cal.percent(0.78) == "78 %"
    assert cal.percent(145 / 153) == "94.8 %"  # "95 %" would read as almost certain beside "very likely"
    assert cal.percent(0.0) == "0 %" and cal.percent(1.0) == "100 %" and cal.percent(0.003) == "0.3 %"
    assert cal.percent(0.5548) == "55.5 %" and cal.percent(0.55) == "55 %"  # on an edge: which side it is on


@pytest.mark.parametrize(
    ("score", "previous", "cell"),
    [
        (4.3, 2.0, Cell("medium", "rose")),
        (4.3, 5.9, Cell("medium", "held")),
        (4.3, 6.0, Cell("medium", "fell")),
        (0.0, 0.0, Cell("very low", "held")),
        (1.9, 8.5, Cell("very low", "fell")),
        (9.9, 8.0, Cell("very high", "held")),
    ],
)
def test_cell_is_the_class_and_how_it_was_reached(score: float, previous: float, cell: Cell) -> None:
    assert cal.cell_of(score, previous, THRESHOLDS) == cell


def test_outcome_is_the_class_or_above_next_week_and_from_very_low_the_rise() -> None:
    medium = Cell("medium", "held")
    assert cal.came_true(medium, 4.0, THRESHOLDS) and cal.came_true(medium, 9.0, THRESHOLDS)
    assert not cal.came_true(medium, 3.99, THRESHOLDS)
    very_low = Cell("very low", "held")
    assert very_low.rises and very_low.target == "low"
    assert cal.came_true(very_low, 2.0, THRESHOLDS) and not cal.came_true(very_low, 1.99, THRESHOLDS)


# ---------------------------------------------------------------------------------------------
# Cases from a weekly series


def series(stakeholder: str, overall: list[float], dims: dict[str, list[float]] | None = None, events: list[int] | None = None) -> StakeholderSeries:
    dims = dims or {}
    points = []
    for k, score in enumerate(overall):
        points.append(
            WeekPoint(
                week=week(k).label, start=week(k).start, events=(events[k] if events else 1), firings=0, score=score,
                score_class="", dimensions=tuple(DimensionPoint(d, 1.0, 0.0, values[k]) for d, values in sorted(dims.items())),
            )
        )  # fmt: skip
    return StakeholderSeries(stakeholder, stakeholder, 1.0, THRESHOLDS, tuple(points))


def backtest(*all_series: StakeholderSeries) -> BacktestResult:
    weeks = all_series[0].weeks
    return BacktestResult(weeks[0].week, weeks[-1].week, "v1", 1, 10, 10, 0, tuple(all_series))


def test_cases_of_a_series_are_counted_per_week_and_cell_exactly() -> None:
    # overall: medium, medium, low, medium, high; security: 0, 0, 3, 0, 0 (active only around week 2)
    result = backtest(series("investor", [5.0, 5.0, 3.0, 5.0, 7.0], {"security": [0.0, 0.0, 3.0, 0.0, 0.0]}))
    history = cal.history_from_backtest(result, "test")
    assert history.counts == {
        ordinal(1): {Cell("medium", "held"): Tally(1, 0)},  # week 2 is low: not medium or above
        ordinal(2): {Cell("low", "fell"): Tally(1, 1), Cell("low", "rose"): Tally(1, 0)},  # security falls to 0
        ordinal(3): {Cell("medium", "rose"): Tally(1, 1), Cell("very low", "fell"): Tally(1, 0)},
    }
    assert history.cases == 5
    assert (history.first.label, history.last.label, history.weeks) == ("2024-W01", "2024-W05", 5)


def test_weeks_without_events_are_not_judged() -> None:
    # A feed cannot tell a calm week from a gap in its coverage; the outcome week may be empty.
    result = backtest(series("ngo", [0.0, 0.0, 0.0, 3.0, 0.0], events=[1, 1, 0, 1, 0]))
    history = cal.history_from_backtest(result, "test")
    assert sorted(history.counts) == [ordinal(1), ordinal(3)]
    assert history.counts[ordinal(1)] == {Cell("very low", "held"): Tally(1, 0)}
    assert history.counts[ordinal(3)] == {Cell("low", "rose"): Tally(1, 0)}
    assert history.empty_weeks == 2 and history.describe() == "test, 2024-W01 to 2024-W05 (3 events in 3 of its 5 weeks)"


def test_stakeholders_are_pooled() -> None:
    result = backtest(series("investor", [5.0, 5.0, 5.0]), series("analyst", [5.0, 5.0, 3.0]))
    history = cal.history_from_backtest(result, "test")
    assert history.counts == {ordinal(1): {Cell("medium", "held"): Tally(2, 1)}}
    assert history.stakeholders == ("investor", "analyst")


# ---------------------------------------------------------------------------------------------
# Judging a week from the weeks before it


def make_history(cells: dict[Cell, list[tuple[int, int]]], weeks: int = 60) -> History:
    """Weeks 0..weeks-1; ``cells`` gives, per cell, (cases, came true) for weeks 1, 2, ..."""
    counts: dict[int, dict[Cell, Tally]] = {}
    for cell, tallies in cells.items():
        for k, (cases, true) in enumerate(tallies, start=1):
            counts.setdefault(ordinal(k), {})[cell] = Tally(cases, true)
    return History("history.jsonl", week(0), week(weeks - 1), 1000, 0, ("investor", "ngo"), "v1", 12, counts)


HELD = Cell("medium", "held")
ROSE = Cell("medium", "rose")


def test_the_word_is_the_band_of_the_frequency_in_the_52_weeks_before() -> None:
    # 58 weeks with one case each, true 3 weeks in 4 (k % 4 != 0): week 58 sees weeks 6..57.
    history = make_history({HELD: [(1, int(k % 4 != 0)) for k in range(1, 59)]})
    likelihood = cal.table_at(history, week(58)).judge(HELD)
    assert (likelihood.word, likelihood.probability_range, likelihood.cases, likelihood.came_true, likelihood.weeks) == ("likely", "55-80 %", 52, 39, 52)
    assert likelihood.frequency == 0.75 and likelihood.calibrated
    assert likelihood.basis == (
        "Calibrated on history: in the 52 weeks before 2025-W07, scores in the medium class two weeks running "
        "were in medium or above the next week in 39 of 52 cases, from 52 weeks (75 %; likely means 55-80 %)."
    )


def test_no_look_ahead_and_no_older_history() -> None:
    base = {HELD: [(1, 1)] * 58}
    history = make_history(base, weeks=70)
    judged = week(40)
    before = cal.table_at(history, judged).judge(HELD)
    # The week judged, the weeks after it, and weeks more than 52 before it change nothing.
    changed = dict(history.counts)
    for k in (40, 41, 55):
        changed[ordinal(k)] = {HELD: Tally(50, 0)}
    assert cal.table_at(History(**{**history.__dict__, "counts": changed}), judged).judge(HELD) == before
    assert (before.cases, before.came_true) == (39, 39)  # weeks 1..39 only
    older = make_history({HELD: [(5, 0)] * 3 + [(1, 1)] * 60}, weeks=70)
    assert cal.table_at(older, week(60)).judge(HELD).came_true == cal.table_at(older, week(60)).judge(HELD).cases == 52


def test_short_history_says_how_much_there_is() -> None:
    history = make_history({HELD: [(10, 9)] * 5}, weeks=7)
    likelihood = cal.table_at(history, week(6)).judge(HELD)
    assert not likelihood.calibrated and likelihood.word is None and likelihood.reason == cal.THIN
    assert likelihood.basis == (
        "Uncalibrated: the history given has cases in only 5 of the 52 weeks before 2024-W07 (2024-W02 to 2024-W06); "
        "a likelihood word needs 30 comparable cases from 10 different weeks."
    )
    later = cal.table_at(history, week(100)).judge(HELD)
    assert later.basis.startswith("Uncalibrated: the history given has cases in none of the 52 weeks before 2025-W49;")


def test_thin_cell_says_how_many_cases_and_weeks_it_has() -> None:
    history = make_history({HELD: [(1, 1)] * 20, ROSE: [(3, 2)] + [(0, 0)] * 3 + [(4, 4)] * 3})
    likelihood = cal.table_at(history, week(21)).judge(ROSE)
    assert (likelihood.cases, likelihood.came_true, likelihood.weeks) == (15, 14, 4)
    assert likelihood.basis == (
        "Uncalibrated: only 15 comparable cases (scores that had just risen into the medium class), from 4 weeks, "
        "in the 52 weeks before 2024-W22 (cases in 20 of them); a likelihood word needs 30 comparable cases from 10 different weeks."
    )
    crowded = make_history({HELD: [(1, 1)] * 20, ROSE: [(8, 8)] * 5})
    assert (
        "the 40 comparable cases (scores that had just risen into the medium class) in the 52 weeks before 2024-W22 (cases in 20 of them) come from only 5 weeks"
        in (cal.table_at(crowded, week(21)).judge(ROSE).basis)
    )
    assert cal.table_at(history, week(21)).judge(Cell("high", "fell")).basis.startswith("Uncalibrated: only 0 comparable cases")


def test_no_history_and_windows_that_are_not_weeks() -> None:
    assert cal.table_at(None, week(3)).judge(HELD).basis == "Uncalibrated: no event history was given to calibrate one."
    days = Window(dt.date(2025, 6, 1), dt.date(2025, 6, 20), "2025-06-01..2025-06-20")
    history = make_history({HELD: [(1, 1)] * 58})
    assert cal.table_at(history, days).judge(HELD).reason == cal.NOT_A_WEEK


# ---------------------------------------------------------------------------------------------
# Out of sample


def test_reliability_and_brier_out_of_sample_exactly() -> None:
    # Every week: 4 medium cases of which 3 came true, and 1 very-low case that never rose.
    # Medium gets a word from week 11 (40 cases from 10 weeks); very low from week 31.
    n = 60
    history = make_history({HELD: [(4, 3)] * n, Cell("very low", "held"): [(1, 0)] * n}, weeks=n + 2)
    evaluation = cal.evaluate(history)
    rows = {row.band.word: row for row in evaluation.rows}
    assert (rows["likely"].cases, rows["likely"].came_true, rows["likely"].inside) == (4 * 50, 3 * 50, True)
    assert (rows["almost no chance"].cases, rows["almost no chance"].came_true, rows["almost no chance"].inside) == (30, 0, True)
    assert all(row.cases == 0 for word, row in rows.items() if word not in ("likely", "almost no chance"))
    assert (evaluation.cases, evaluation.calibrated_cases, evaluation.uncalibrated_cases, evaluation.uncalibrated_came_true) == (300, 230, 70, 30)
    # Medium: p = 0.75, (3 * 0.25^2 + 0.75^2) / 4 = 0.1875 a case; persistence (p = 1) misses 1 in 4.
    # Very low: p = 0 and persistence (rise: 0) are both right every time.
    assert evaluation.brier_calibrated == pytest.approx(200 * 0.1875 / 230)
    assert evaluation.brier_persistence == pytest.approx(200 * 0.25 / 230)
    assert evaluation.skill == pytest.approx(0.25)
    assert (evaluation.judged_from, evaluation.judged_to) == (week(1).label, week(n).label)


# ---------------------------------------------------------------------------------------------
# The calibration file


def test_calibration_file_round_trips_and_is_deterministic() -> None:
    history = make_history({HELD: [(4, 3)] * 40, ROSE: [(2, 1)] * 40}, weeks=42)
    data = cal.to_json_data(history)
    again = cal.history_from_json(json.loads(json.dumps(data)))
    assert again == history
    assert json.dumps(data) == json.dumps(cal.to_json_data(again))
    assert data["table"]["for_week"] == week(41).label
    assert [(c["class"], c["reached"], c["cases"], c["likelihood"]) for c in data["table"]["cells"]] == [
        ("medium", "rose", 80, "roughly even chance"),
        ("medium", "held", 160, "likely"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ('{"kind": "backtest"}', "not a calibration file"),
        ('{"kind": "riskengine calibration", "schema_version": "9"}', "calibration schema version '9'"),
        ("CASES", "cases[0]: not a case row"),
        ("DUPLICATE", "appears twice"),
    ],
)
def test_a_bad_calibration_file_is_e420(tmp_path: Path, text: str, message: str) -> None:
    data = cal.to_json_data(make_history({HELD: [(1, 1)] * 3}, weeks=5))
    if text == "CASES":
        data["cases"][0]["came_true"] = 5
        text = json.dumps(data)
    elif text == "DUPLICATE":
        data["cases"].append(data["cases"][0])
        text = json.dumps(data)
    path = tmp_path / "calibration.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        cal.read_calibration(path)
    assert caught.value.issues[0].code == "E420" and message in caught.value.issues[0].message


# ---------------------------------------------------------------------------------------------
# End to end: a one-rule pack and a feed with a known rhythm

PACK = """\
rules:
  - id: battle
    title: A battle
    stakeholders: [investor]
    dimension: security
    when: {field: event_type, equals: Battles}
    points: 1
    source: {document: "000", section: "Test"}
profiles:
  investor:
    title: Investors
    dimension_weights: {security: 1}
    saturation: 1
"""
# Events a week, repeating: medium, medium, medium, low. The investor's overall and security
# scores are equal; the other stakeholders have no rule and stay at 0 (very low, held, never rising).
RHYTHM = (2, 2, 2, 1)


def write_feed(folder: Path, weeks: int, rhythm: tuple[int, ...] = RHYTHM, start: int = 0) -> Path:
    events = []
    for k in range(start, start + weeks):
        for i in range(rhythm[k % len(rhythm)]):
            events.append(
                Event.model_validate(
                    {
                        "event_id": f"B{k}-{i}", "event_date": week(k).start + dt.timedelta(days=1), "event_type": "Battles",
                        "country": "UKR", "sources": [{"name": "wire", "reliability": "A", "credibility": 1}],
                    }
                )
            )  # fmt: skip
    path = folder / f"feed-{start}-{weeks}.jsonl"
    write_events_jsonl(path, events)
    return path


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(PACK, encoding="utf-8")
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# Checked by hand: cases are weeks 1-40 (each needs the week before and after), 5 a week (the
# investor's overall and security scores, the others' overall). Very low, held: 3 a week, never
# rising; it has a word from week 11 (30 cases from 10 weeks): 30 weeks x 3 = 90 cases. Medium,
# held (weeks 1, 2, 5, 6, ...: k % 4 in 1, 2, true for k % 4 == 1) needs 15 weeks of 2 cases:
# from week 30, so weeks 30, 33, 34, 37, 38 are judged, at 8/15, 8/16, 9/17, 9/18 and 10/19
# (all roughly even), 4 of the 10 true. Brier with those frequencies: (2(8/15)^2 + 2(1/2)^2 +
# 2(9/17)^2 + 2(1/2)^2 + 2(10/19)^2) / 100 = 0.0268; the probabilities stated (very low never
# rose: half a case in its cases plus one, 0.5 / 31 = 1.6 % at week 11 down to 0.5 / 118 = 0.4 %
# at week 40, sum 3 p^2 over weeks 11-40 = 0.0064; medium from the model, near its cell's
# frequency, a little above it for the true cases, whose scores had been medium two weeks, not
# three) give 0.0259, the same words; persistence misses the 6 false medium cases: 0.06.
EXPECTED_TABLE = """\
Likelihood words calibrated on history

History:     feed-0-42.jsonl, 2024-W01 to 2024-W42 (74 events in all 42 weeks)
Rule pack:   VERSION (1 rules)
Cases:       200, pooled over investor, government, ngo, analyst; overall and dimension scores together
Judged:      a score (a stakeholder's overall score, or a dimension active that week or the week before) is in its current class or above the next week; in the lowest class, that it rises to low or above
Comparable:  the same class, reached the same way: rose into it, held it, or fell into it
Model:       MODEL
Counted:     in the 52 weeks before the week judged; a word needs 30 comparable cases from 10 different weeks

Reliability, out of sample (2024-W02 to 2024-W41: each week is judged from the cases of the 52 weeks before it only, as a brief of that week would be):

likelihood             stated   cases came true observed 95 % interval  inside
------------------------------------------------------------------------------
almost no chance        1-5 %      90         0      0 %         0-4 %  yes
very unlikely          5-20 %       0         0        -             -  -
unlikely              20-45 %       0         0        -             -  -
roughly even chance   45-55 %      10         4     40 %       17-69 %  no*
likely                55-80 %       0         0        -             -  -
very likely           80-95 %       0         0        -             -  -
almost certain        95-99 %       0         0        -             -  -
(uncalibrated)              -     100        56     56 %             -  -
Coverage: 100 of 200 judgments given a word (50 %)
* fewer than 30 cases: too few to test the band

Brier score over the 100 cases given a word (0 is perfect; lower is better):
  calibrated words      0.0262
  persistence           0.0600  (next week's class = this week's)
  skill vs persistence  +56.3 %

Cells a brief of 2024-W42 would use (cases of the 52 weeks before it; a brief's word
comes from the model at its score's profile and the score's own record, the word here from the cell's frequency):

class     reached judged                       cases  weeks came true frequency  likelihood
-------------------------------------------------------------------------------------------
very low  held    rises to low or above          120     40         0       0 %  almost no chance
low       fell    stays in low or above           20     10        20     100 %  uncalibrated
medium    rose    stays in medium or above        20     10        20     100 %  uncalibrated
medium    held    stays in medium or above        40     20        20      50 %  roughly even chance
"""


def test_calibrate_table_on_a_known_rhythm(tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = write_feed(tmp_path, 42)
    code, out, err = run_cli(capsys, "calibrate", str(feed), "--rules", str(rules))
    assert code == 0, err
    version = out.split("Rule pack:   ", 1)[1].split(" ", 1)[0]
    assert out == EXPECTED_TABLE.replace("VERSION", version).replace("MODEL", cal.method_data()["model"])


def test_calibrate_json_is_the_file_a_brief_reads_and_the_same_bytes_twice(tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = write_feed(tmp_path, 42)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for target in (first, second):
        code, _, err = run_cli(capsys, "calibrate", str(feed), "--rules", str(rules), "--format", "json", "-o", str(target))
        assert code == 0 and f"wrote {target}" in err
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["kind"] == "riskengine calibration" and data["history"]["cases"] == 200
    # Worked out in EXPECTED_TABLE's comment: 5 weeks of medium-held cases judged "roughly even".
    assert data["out_of_sample"]["brier"] == {"calibrated": 0.0262, "persistence": 0.06, "skill_vs_persistence": 0.5626}
    history = cal.read_calibration(first)
    assert history.cases == 200 and history.source == "feed-0-42.jsonl"


def test_calibrate_errors(tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = write_feed(tmp_path, 6)
    code, _, err = run_cli(capsys, "calibrate", str(feed), "--rules", str(rules), "--from", "2024-W05", "--to", "2024-W02")
    assert code == 1 and "--to: error[E402] --to 2024-W02 is before --from 2024-W05\n" in err  # as score and backtest
    code, _, err = run_cli(capsys, "calibrate", str(feed), "--rules", str(rules), "--workers", "0")
    assert code == 2 and "--workers must be at least 1" in err
    code, _, err = run_cli(capsys, "calibrate", str(feed), "--rules", str(rules), "--from", "2024-W99")
    assert code == 1 and "2024 has no week 99" in err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    code, _, err = run_cli(capsys, "calibrate", str(empty), "--rules", str(rules))
    assert code == 1 and "E403" in err and "nothing to calibrate" in err


def _judgments(text: str) -> str:
    return text.split("## Key judgments", 1)[1].split("\n## ", 1)[0]


def test_brief_calibrates_itself_on_the_events_given_and_ignores_later_ones(tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = write_feed(tmp_path, 42)
    args = ["--rules", str(rules), "--week", "2024-W42", "--stakeholder", "investor", "--out", "-", "--now", "2024-10-21T06:00:00Z"]
    code, text, err = run_cli(capsys, "brief", str(feed), *args)
    assert code == 0, err
    judgments = _judgments(text)
    # 2024-W42 is the 42nd week: medium, held (k % 4 == 1); 20 of 40 such cases stayed medium.
    assert "1. There is a roughly even chance that the overall investor risk stays in the medium class or above next week" in judgments
    assert (
        "Calibrated on history: we judge the chance at 51 % (roughly even chance means 45-55 %), from a model fitted on the 200 "
        "cases of the 52 weeks before 2024-W42 (cases in 40 of them) for a score 0.2 points above the medium floor, unchanged since "
        "last week, in the medium class for 2 weeks and at the top of the range of its last 8 weeks: 51 %, counted as 30 cases beside "
        "this score's own record in those weeks (the investor's overall score was in medium or above the next week in 10 of 20 cases). "
        "The raw count, for comparison: "
        "scores in the medium class two weeks running were in medium or above the next week in 20 of 40 cases, from 20 weeks (50 %)."
    ) in judgments
    assert "History: the events given, 2024-W01 to 2024-W42 (74 events in all 42 weeks)." in text
    # Ten more weeks of another rhythm after the week judged change nothing in its judgments.
    later = write_feed(tmp_path, 10, rhythm=(0, 5, 0, 5), start=42)
    code, with_later, err = run_cli(capsys, "brief", str(feed), str(later), *args)
    assert code == 0, err
    # but for the warning that the events read end inside 2024-W42 (tests/test_record_ends.py),
    # which the later weeks rightly take away
    ends = [line for line in judgments.splitlines() if line.startswith("> **Warning:** the events read end on ")]
    assert len(ends) == 1 and "events read end" not in _judgments(with_later)
    assert _judgments(with_later) == judgments.replace(ends[0] + "\n", "")


def test_brief_takes_its_words_from_a_calibration_file(tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = write_feed(tmp_path, 42)
    calibration = tmp_path / "calibration.json"
    assert run_cli(capsys, "calibrate", str(feed), "--rules", str(rules), "--format", "json", "-o", str(calibration))[0] == 0
    args = ["--rules", str(rules), "--week", "2024-W42", "--stakeholder", "investor", "--out", "-"]
    _, itself, _ = run_cli(capsys, "brief", str(feed), *args)
    code, from_file, err = run_cli(capsys, "brief", str(feed), *args, "--calibration", str(calibration))
    assert code == 0, err
    assert _judgments(from_file) == _judgments(itself)
    # A calibration made with another rule pack is used, and said to be from it.
    code, _, err = run_cli(capsys, "brief", str(feed), "--week", "2024-W42", "--stakeholder", "investor", "--out", "-", "--calibration", str(calibration))
    assert code == 0 and "was made with rule pack" in err
    calibration.write_text("{}", encoding="utf-8")
    code, _, err = run_cli(capsys, "brief", str(feed), *args, "--calibration", str(calibration))
    assert code == 1 and "error[E420]" in err


def test_a_brief_calibrating_itself_sees_each_case_phase_as_a_calibration_file_does(tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 80 weeks: the brief of week 79 backtests from 11 weeks before its window, so the window's
    # first cases know their weeks in the class and their range, as in a history backtested whole.
    feed = write_feed(tmp_path, 80, rhythm=(2,) * 9 + (1, 1, 3, 1))
    calibration = tmp_path / "calibration.json"
    assert run_cli(capsys, "calibrate", str(feed), "--rules", str(rules), "--format", "json", "-o", str(calibration))[0] == 0
    args = ["--rules", str(rules), "--week", week(79).label, "--stakeholder", "investor", "--out", "-"]
    _, itself, _ = run_cli(capsys, "brief", str(feed), *args)
    _, from_file, _ = run_cli(capsys, "brief", str(feed), *args, "--calibration", str(calibration))
    assert "Calibrated on history" in _judgments(itself)
    assert _judgments(from_file) == _judgments(itself)
    assert cal.weeks_for(week(79), week(0).start) == (week(79 - 52 - cal.RUN_WEEKS + 1), week(79))


def test_brief_without_enough_history_states_no_likelihood(tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = write_feed(tmp_path, 6)
    code, text, err = run_cli(capsys, "brief", str(feed), "--rules", str(rules), "--week", "2024-W06", "--stakeholder", "investor", "--out", "-")
    assert code == 0
    judgments = _judgments(text)
    assert "1. No likelihood is stated for the overall investor risk staying in the medium class or above next week" in judgments
    assert "Uncalibrated: the history given has cases in only 4 of the 52 weeks before 2024-W06 (2024-W02 to 2024-W05)" in judgments
    assert "confidence in the current assessment: it rests on 2 events" in judgments
    assert "likely" not in judgments.replace("likelihood", "")
    assert "warning: investor brief: judgments: no judgment carries a likelihood word: too little comparable history" in err


# ---------------------------------------------------------------------------------------------
# The model: profiles (where the score sits, how it moved) and the out-of-sample guarantee


def _wavy_history(weeks: int = 70) -> History:
    """An investor whose overall score walks through the classes in a fixed, irregular pattern."""
    pattern = [4.1, 5.8, 4.4, 3.6, 4.9, 5.5, 4.0, 6.2, 4.6, 3.9, 5.1, 4.3, 5.9]
    overall = [pattern[(k * 7) % len(pattern)] + (k % 3) * 0.05 for k in range(weeks)]
    return cal.history_from_backtest(backtest(series("investor", overall)), "wavy")


def test_profile_is_the_distance_from_the_judged_edge_and_the_change_clipped() -> None:
    assert cal.profile_of(4.23, 4.1, THRESHOLDS) == cal.Profile(HELD, 0.2, 0.1)
    assert cal.profile_of(0.4, 0.0, THRESHOLDS) == cal.Profile(Cell("very low", "held"), 1.6, 0.4)  # 1.6 below the rise to low
    assert cal.profile_of(9.9, 2.0, THRESHOLDS) == cal.Profile(Cell("very high", "rose"), 1.9, 2.0)  # a jump of 7.9 is capped at 2
    assert cal.profile_of(3.9, 7.0, THRESHOLDS) == cal.Profile(Cell("low", "fell"), 1.9, -2.0)
    assert str(cal.profile_of(4.0, 4.04, THRESHOLDS).change) == "0.0"  # no "-0.0" in files or briefs


def test_a_capped_change_is_described_as_the_cap_or_more() -> None:
    # Regression: a real Mali export's judgment read "now 5.1, up 3.2 since last week" above a
    # basis saying "up 2.0 since last week" (the model's cap), as if they disagreed.
    jump = cal.profile_of(5.1, 1.9, THRESHOLDS)
    assert jump.describe() == "1.1 points above the medium floor and up 2.0 or more since last week"
    assert cal.profile_of(3.9, 7.0, THRESHOLDS).describe().endswith("down 2.0 or more since last week")
    assert cal.profile_of(4.23, 4.1, THRESHOLDS).describe().endswith("and up 0.1 since last week")


def test_the_phase_is_the_weeks_in_the_class_and_the_place_in_the_recent_range() -> None:
    assert cal.profile_of(4.5, 4.3, THRESHOLDS, [2.0, 4.1, 4.2, 4.3]) == cal.Profile(HELD, 0.5, 0.2, 4, 1.0)
    assert cal.profile_of(5.0, 6.0, THRESHOLDS, [4.0, 6.0]) == cal.Profile(Cell("medium", "fell"), 1.0, -1.0, 1, 0.5)
    # In the lowest class too; 0.5 of a range of 3 points is 0.2 rounded.
    assert cal.profile_of(0.5, 0.0, THRESHOLDS, [3.0, 0.0]) == cal.Profile(Cell("very low", "held"), 1.5, 0.5, 2, 0.2)
    # Counted up to RUN_WEEKS, and the range from the last RANGE_WEEKS weeks only: 6.0 is older.
    assert cal.profile_of(5.0, 5.0, THRESHOLDS, [6.0] + [5.0] * 20) == cal.Profile(HELD, 1.0, 0.0, cal.RUN_WEEKS, 0.5)
    # Without the weeks before, the phase is not known, and the model leaves it out.
    assert not cal.profile_of(5.0, 5.0, THRESHOLDS).has_phase


def test_a_case_phase_reads_only_its_own_week_and_the_weeks_before() -> None:
    overall = [4.5, 2.5, 4.5, 4.5, 5.5, 4.5, 6.5, 4.5, 3.0, 4.5] * 3
    changed = overall[:13] + [9.0 - x for x in overall[13:]]
    cases, other = (list(cal.cases_of(backtest(series("investor", s)))) for s in (overall, changed))
    judged = [c for c in cases if c.stakeholder == "investor"][11]
    assert judged.earlier == tuple(overall[judged_index(judged) - cal.RUN_WEEKS + 1 : judged_index(judged)])
    # Weeks judged before the scores change (their outcome week included) keep their profiles.
    keep = [c.profile for c in cases if c.week < ordinal(12)]
    assert keep == [c.profile for c in other if c.week < ordinal(12)]
    assert [c.profile for c in cases] != [c.profile for c in other]


def judged_index(case: cal.Case) -> int:
    return (case.week - ordinal(0)) // 7


@pytest.mark.parametrize(
    ("fresh", "worn", "said"),
    [
        (cal.Profile(HELD, 1.0, 0.0, 2, 0.5), cal.Profile(HELD, 1.0, 0.0, 12, 0.5), "in the medium class for 12 weeks or more"),
        (cal.Profile(HELD, 1.0, 0.0, 5, 0.0), cal.Profile(HELD, 1.0, 0.0, 5, 1.0), "at the top of the range of its last 8 weeks"),
    ],
)
def test_the_word_follows_the_score_phase(fresh: cal.Profile, worn: cal.Profile, said: str) -> None:
    # Same cell, margin and change: only the phase tells the two apart (4 of 4 against 1 of 4).
    history = _profiled({fresh: [(4, 4)] * 58, worn: [(4, 1)] * 58})
    table = cal.table_at(history, week(58))
    assert table.model is not None and table.model.phase
    high, low = table.judge(fresh), table.judge(worn)
    assert low.probability is not None and high.probability is not None
    assert low.probability < 0.45 < 0.8 < high.probability
    assert said in low.basis
    # A caller that gives no earlier weeks gets the model without the phase, and is told so.
    blind = table.judge(fresh.without_phase())
    assert blind.probability is not None and 0.45 <= blind.probability <= 0.8 and "weeks" not in blind.basis.split("The raw count")[0].split("since last week")[1]


def test_a_1_1_file_is_still_read_and_its_words_come_from_margin_and_change() -> None:
    history = _wavy_history()
    data = json.loads(json.dumps(cal.to_json_data(history)))
    old = {**data, "schema_version": "1.1", "profiles": [{k: v for k, v in row.items() if k not in ("weeks_in_class", "range_position")} for row in data["profiles"]]}
    read = cal.history_from_json(old)
    assert all(not p.has_phase for rows in read.profiles.values() for p in rows)
    assert {w: sum(t.cases for t in rows.values()) for w, rows in read.profiles.items()} == {w: sum(t.cases for t in rows.values()) for w, rows in history.profiles.items()}
    table = cal.table_at(read, history.last)
    assert table.model is not None and not table.model.phase
    judged = cal.profile_of(4.2, 4.1, THRESHOLDS, [5.0, 4.1])
    assert table.judge(judged) == table.judge(judged.without_phase())
    assert cal.to_json_data(read)["schema_version"] == "1.1" and cal.history_from_json(cal.to_json_data(read)) == read
    # A 1.2 row must give the phase.
    del data["profiles"][0]["weeks_in_class"]
    with pytest.raises(InputError, match=r"profiles\[0\]\.weeks_in_class: missing"):
        cal.history_from_json(data)


def test_evaluation_never_sees_the_week_it_judges() -> None:
    # Computed in sample, rewriting the outcomes of week t (and after) would change week t's
    # words; out of sample, every judgment up to week t stays the same.
    history = _wavy_history()
    before = list(cal.judgments(history))
    assert any(likelihood.calibrated for *_, likelihood in before)
    cut = sorted(history.profiles)[45]
    flipped = {
        week: {p: Tally(t.cases, t.cases - t.came_true) for p, t in rows.items()} if week >= cut else rows
        for week, rows in history.profiles.items()
    }
    flipped_counts = {
        week: {c: Tally(t.cases, t.cases - t.came_true) for c, t in cells.items()} if week >= cut else cells
        for week, cells in history.counts.items()
    }
    # Each score's own record (session 16) flipped too: no judgment may see it from its week on.
    flipped_subjects = {
        week: {key: Tally(t.cases, t.cases - t.came_true) for key, t in rows.items()} if week >= cut else rows
        for week, rows in history.subjects.items()
    }
    changed = list(cal.judgments(History(**{**history.__dict__, "profiles": flipped, "counts": flipped_counts, "subjects": flipped_subjects})))
    assert [j[3] for j in changed if j[0] <= cut] == [j[3] for j in before if j[0] <= cut]
    assert [j[3] for j in changed if j[0] > cut] != [j[3] for j in before if j[0] > cut]


def _profiled(rows: dict[cal.Profile, list[tuple[int, int]]], weeks: int = 60) -> History:
    counts: dict[int, dict[Cell, Tally]] = {}
    profiles: dict[int, dict[cal.Profile, Tally]] = {}
    for profile, tallies in rows.items():
        for k, (cases, true) in enumerate(tallies, start=1):
            profiles.setdefault(ordinal(k), {})[profile] = Tally(cases, true)
            old = counts.setdefault(ordinal(k), {}).get(profile.cell, Tally(0, 0))
            counts[ordinal(k)][profile.cell] = Tally(old.cases + cases, old.came_true + true)
    return History("history.jsonl", week(0), week(weeks - 1), 1000, 0, ("investor",), "v1", 12, counts, profiles)


def test_the_word_follows_where_the_score_sits_not_only_its_cell() -> None:
    # Medium, held: just above the floor it stayed medium 1 time in 4, deep inside 4 times in 4.
    # The cell as a whole (5 of 8) is "likely"; the model tells the two apart.
    near, deep = cal.Profile(HELD, 0.1, 0.0), cal.Profile(HELD, 1.9, 0.0)
    history = _profiled({near: [(4, 1)] * 58, deep: [(4, 4)] * 58})
    table = cal.table_at(history, week(58))
    assert table.judge(HELD).word == "likely"  # the cell's frequency, 0.625
    low, high = table.judge(near), table.judge(deep)
    assert low.probability is not None and high.probability is not None
    assert low.probability < 0.45 < 0.8 < high.probability
    assert (low.cases, low.came_true, high.cases, high.came_true) == (416, 260, 416, 260)  # the cell's record, shown beside
    assert "for a score 0.1 points above the medium floor and unchanged since last week. The raw count, for comparison: " in low.basis
    assert "in 260 of 416 cases, from 52 weeks (62 %)" in low.basis


def test_the_basis_says_which_figure_is_the_judgment_and_why_the_raw_count_differs() -> None:
    # A real Somalia brief: "... has a 95.0 % chance (almost certain means 95-99 %); scores in the
    # medium class two weeks running were in medium or above the next week in 73 of 90 cases
    # (81 %)": both true, read as a contradiction. The judgment is the model's; the count is a check.
    near, deep = cal.Profile(HELD, 0.1, 0.0), cal.Profile(HELD, 1.9, 0.0)
    table = cal.table_at(_profiled({near: [(4, 1)] * 58, deep: [(4, 4)] * 58}), week(58))
    high = table.judge(deep)
    assert high.word in ("very likely", "almost certain")
    assert high.basis.startswith(f"Calibrated on history: we judge the chance at {cal.percent(high.probability or 0)} ({high.word} means {high.probability_range}), from a model fitted on ")
    assert high.basis.endswith(
        "The raw count, for comparison: scores in the medium class two weeks running were in medium or above the next week in 260 of 416 "
        "cases, from 52 weeks (62 %); it falls outside that range because it does not weigh where in its class a score sits or how it "
        "moved, as the model does."
    )
    # a count inside the judged band needs no explaining
    even = cal.table_at(_profiled({near: [(4, 3)] * 58, deep: [(4, 3)] * 58}), week(58)).judge(deep)
    assert even.word == "likely" and even.basis.endswith("(75 %).") and "falls outside" not in even.basis


def test_a_lowest_class_cell_that_never_rose_gets_half_a_case_in_its_cases_plus_one() -> None:
    # 52 quiet cases in the window, none rose: the ridge penalty alone would hold the model's
    # probability at several per cent; the judgment states 0.5 / 53 instead.
    quiet = cal.Profile(Cell("very low", "held"), 2.0, 0.0, 12, 0.5)
    deep = cal.Profile(HELD, 1.9, 0.0, 12, 0.5)
    history = _profiled({quiet: [(1, 0)] * 58, deep: [(4, 4)] * 58})
    table = cal.table_at(history, week(58))
    likelihood = table.judge(quiet)
    assert table.model is not None and table.model.probability(quiet) > 0.02
    assert likelihood.probability == cal.unseen_rise(52) == 0.0094 and likelihood.word == "almost no chance"
    assert likelihood.basis == (
        "Calibrated on history: in the 52 weeks before 2025-W07, none of the 52 scores in the very low class two weeks running "
        "rose to low or above the next week, from 52 weeks; with no rise seen, the chance is put at half a case in 53 "
        "(0.9 %; almost no chance means 1-5 %)."
    )
    # A cell that never fell out of a higher class keeps the model's probability: there the
    # phase ends unseen, and stating 1 - 0.5 / (n + 1) would be surer than history allows.
    stays = table.judge(deep)
    assert stays.probability == table.model.probability(deep) and stays.basis.startswith("Calibrated on history: we judge the chance at")
    # One rise in the window: the model again.
    once = _profiled({quiet: [(1, 0)] * 30 + [(1, 1)] + [(1, 0)] * 27, deep: [(4, 4)] * 58})
    model = cal.table_at(once, week(58)).model
    assert model is not None and cal.table_at(once, week(58)).judge(quiet).probability == model.probability(quiet)


def test_a_thin_cell_gets_no_word_from_the_model_either() -> None:
    rich, thin = cal.Profile(HELD, 1.0, 0.0), cal.Profile(ROSE, 1.0, 1.0)
    history = _profiled({rich: [(4, 3)] * 58, thin: [(1, 1)] * 5})
    table = cal.table_at(history, week(58))
    assert table.model is not None and not table.judge(thin).calibrated and table.judge(thin).reason == cal.THIN


def test_a_1_0_file_is_still_read_and_its_words_come_from_the_cell_frequencies() -> None:
    history = _wavy_history()
    data = cal.to_json_data(history)
    assert data["schema_version"] == "1.3" and data["out_of_sample"]["coverage"] is not None
    assert cal.history_from_json(json.loads(json.dumps(data))) == history
    old = {**data, "schema_version": "1.0"}
    del old["profiles"]
    read = cal.history_from_json(old)
    assert read.profiles == {} and read.counts == history.counts
    likelihood = cal.table_at(read, history.last).judge(cal.profile_of(4.2, 4.1, THRESHOLDS))
    assert likelihood.probability == likelihood.frequency or not likelihood.calibrated


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"margin": 2.5}, "profiles[0]: not a profile row"),
        ({"margin": "near"}, "profiles[0].margin: missing or not a"),
        ({"cases": 999}, "cases in its profiles and a different number in cases"),
    ],
)
def test_a_bad_profile_row_is_e420(change: dict[str, object], message: str) -> None:
    data = json.loads(json.dumps(cal.to_json_data(_wavy_history())))
    data["profiles"][0].update(change)
    if "cases" in change:
        data["profiles"][0]["came_true"] = 0
    with pytest.raises(InputError) as caught:
        cal.history_from_json(data, "calibration.json")
    assert caught.value.issues[0].code == "E420" and message in caught.value.issues[0].message



def test_the_service_briefs_take_their_words_from_serve_calibration(tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The service's briefs stated no likelihood at all: calibrating per request is too heavy, so
    # `serve --calibration FILE` gives them the file `brief --calibration` reads, with the same words.
    pytest.importorskip("fastapi", reason="the [serve] extra is not installed")
    from fastapi.testclient import TestClient

    from riskengine.service.app import ServiceConfig, create_app
    from riskengine.store import ingest_file, open_store

    feed = write_feed(tmp_path, 42)
    calibration = tmp_path / "calibration.json"
    assert run_cli(capsys, "calibrate", str(feed), "--rules", str(rules), "--format", "json", "-o", str(calibration))[0] == 0
    code, cli, err = run_cli(capsys, "brief", str(feed), "--rules", str(rules), "--week", "2024-W42", "--stakeholder", "investor", "--out", "-", "--calibration", str(calibration))
    assert code == 0, err
    db = tmp_path / "store.db"
    with open_store(db) as store:
        ingest_file(store, feed)
    config = ServiceConfig(store=str(db), tokens=["t"], rules=[str(rules)], reload_interval=3600, alert_interval=3600, calibration=cal.read_calibration(calibration))
    with TestClient(create_app(config)) as client:
        answer = client.get("/briefs/investor?week=2024-W42&format=md", headers={"Authorization": "Bearer t"})
    assert answer.status_code == 200
    served = _judgments(answer.text)
    assert "There is a roughly even chance that the overall investor risk stays in the medium class or above next week" in served
    assert served == _judgments(cli)


# ---------------------------------------------------------------------------------------------
# Session 16: the judged score's own record weighs in beside the pooled model


def _two_records(weeks: int = 40) -> History:
    """Each week the investor's and the ngo's overall scores sit at the same profile (medium,
    held); the investor's always stayed medium or above, the ngo's never did."""
    profile = cal.Profile(HELD, 1.0, 0.0, 5, 0.5)
    counts = {ordinal(k): {HELD: Tally(2, 1)} for k in range(weeks)}
    profiles = {ordinal(k): {profile: Tally(2, 1)} for k in range(weeks)}
    subjects = {ordinal(k): {("investor", "overall", profile): Tally(1, 1), ("ngo", "overall", profile): Tally(1, 0)} for k in range(weeks)}
    return History("two.jsonl", week(0), week(weeks - 1), 1000, 0, ("investor", "ngo"), "v1", 12, counts, profiles, subjects)


def test_a_scores_own_record_moves_the_pooled_models_figure() -> None:
    history = _two_records()
    table = cal.table_at(history, week(40))
    profile = cal.Profile(HELD, 1.0, 0.0, 5, 0.5)
    pooled = table.judge(profile)
    assert pooled.word == "roughly even chance"  # 40 of 80 pooled: the model alone cannot tell the two apart
    model = table.model
    assert model is not None
    fitted = model.probability(profile)
    investor, ngo = table.judge(profile, ("investor", "overall")), table.judge(profile, ("ngo", "overall"))
    # The model's figure counts as OWN_WEIGHT (30) cases beside the score's own 40.
    assert investor.probability == cal.with_own_record(fitted, Tally(40, 40)) == round((40 + 30 * fitted) / 70, 4)
    assert ngo.probability == round((0 + 30 * fitted) / 70, 4)
    assert (investor.word, ngo.word) == ("likely", "unlikely")
    assert (
        "counted as 30 cases beside this score's own record in those weeks (the investor's overall score was in medium or above the next week in 40 of 40 cases)"
        in investor.basis
    )
    assert investor.basis.startswith(f"Calibrated on history: we judge the chance at {cal.percent(investor.probability)} (likely means 55-80 %)")
    # The pooled count (40 of 80) is in another band: the line says what it leaves out.
    assert investor.basis.endswith("(50 %); it falls outside that range because it does not weigh where in its class a score sits or how it moved, as the model does, nor this score's own record.")
    # A score with no case of its own in the window, or none named, gets the model's figure.
    assert table.judge(profile, ("government", "overall")) == pooled
    assert cal.with_own_record(0.37, None) == cal.with_own_record(0.37, Tally(0, 0)) == 0.37


def test_out_of_sample_each_score_is_judged_with_its_own_record() -> None:
    history = _two_records()
    with_own = cal.evaluate(history)
    alone = cal.evaluate(History(**{**history.__dict__, "subjects": {}}))
    assert with_own.calibrated_cases == alone.calibrated_cases  # the same judgments get a word
    assert with_own.brier_calibrated is not None and alone.brier_calibrated is not None
    assert with_own.brier_calibrated < alone.brier_calibrated  # the two records told apart


def test_a_backtests_history_counts_each_scores_cases_and_they_add_up_to_the_pool() -> None:
    result = backtest(series("investor", [5.0, 5.0, 3.0, 5.0, 7.0], {"security": [0.0, 0.0, 3.0, 0.0, 0.0]}), series("ngo", [5.0, 5.0, 5.0, 5.0, 5.0]))
    history = cal.history_from_backtest(result, "test")
    assert {key[:2] for rows in history.subjects.values() for key in rows} == {("investor", "overall"), ("investor", "security"), ("ngo", "overall")}
    for week_start, rows in history.profiles.items():
        for profile, tally in rows.items():
            mine = [t for (_, _, p), t in history.subjects[week_start].items() if p == profile]
            assert Tally(sum(t.cases for t in mine), sum(t.came_true for t in mine)) == tally


def test_a_1_3_file_keeps_each_scores_record_and_a_1_2_file_is_still_read_without_it() -> None:
    history = _wavy_history()
    data = json.loads(json.dumps(cal.to_json_data(history)))
    assert data["schema_version"] == "1.3" and all(row["stakeholder"] == "investor" and row["subject"] == "overall" for row in data["profiles"])
    assert cal.history_from_json(data) == history
    older = json.loads(json.dumps(cal.to_json_data(History(**{**history.__dict__, "subjects": {}}))))
    assert older["schema_version"] == "1.2" and not any("stakeholder" in row for row in older["profiles"])
    read = cal.history_from_json(older)
    assert read.subjects == {} and read.profiles == history.profiles
    judged, profile = history.last, cal.profile_of(4.2, 4.1, THRESHOLDS, [4.3, 4.0, 4.1])
    # A 1.2 file's words are the model's alone, as before: no score's own record to weigh in.
    assert cal.table_at(read, judged).judge(profile, ("investor", "overall")) == cal.table_at(history, judged).judge(profile)
    assert cal.table_at(history, judged).judge(profile, ("investor", "overall")).probability != cal.table_at(read, judged).judge(profile).probability


def test_a_1_3_profile_row_without_its_stakeholder_is_e420() -> None:
    data = json.loads(json.dumps(cal.to_json_data(_wavy_history())))
    del data["profiles"][0]["stakeholder"]
    with pytest.raises(InputError) as caught:
        cal.history_from_json(data, "c.json")
    assert "profiles[0].stakeholder: missing" in caught.value.issues[0].message
