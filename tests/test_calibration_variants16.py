"""benchmarks/calibration_variants16.py judges as calibration.evaluate does (docs/CALIBRATION.md,
"Session 16"): case by case, its figures for the method as it is are the method's; its reading
"within sampling error" is the Wilson interval meeting the band; and each variant is the map it
says it is."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from walk_history import walk_backtest

from riskengine.scoring import calibration as cal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import calibration_variants16 as v16  # a benchmark script, found on its folder


@pytest.fixture(scope="module")
def source() -> v16.Source:
    return v16.source_of(walk_backtest(), "walk")


@pytest.fixture(scope="module")
def rows(source: v16.Source) -> list[v16.Judged]:
    return v16.judged(source)


@pytest.mark.parametrize("own", [False, True])
def test_case_by_case_the_method_scores_exactly_as_evaluate(source: v16.Source, rows: list[v16.Judged], own: bool) -> None:
    # Without the scores told apart, evaluate is the method before session 16, the harness's
    # baseline; with them, the variant kept (the model worth OWN_WEIGHT cases beside the score's own).
    history = source.history if own else dataclasses.replace(source.history, subjects={})
    evaluation = cal.evaluate(history)
    result = v16.score(rows, v16.pooled_with_own("both", cal.OWN_WEIGHT) if own else lambda j: j.probability)
    assert evaluation.calibrated_cases > 100 and sum(1 for row in evaluation.rows if row.cases) >= 3
    assert (result.total, result.worded) == (evaluation.cases, evaluation.calibrated_cases)
    assert result.brier == pytest.approx(evaluation.brier_calibrated, abs=1e-12)
    assert result.persistence == pytest.approx(evaluation.brier_persistence, abs=1e-12)
    tested = [row for row in evaluation.rows if row.cases >= 30]
    assert (result.tested, result.inside) == (len(tested), sum(1 for row in tested if row.inside))
    assert result.inside <= result.within_error <= result.tested


def test_a_subjects_own_record_adds_up_to_its_cells_record(rows: list[v16.Judged]) -> None:
    # Summed over the stakeholders judged in one week and cell, each stakeholder's own window
    # record counts its own cases only: never more than the cell's, and the subjects' records
    # of a week partition nothing twice.
    for j in rows:
        for key in ("stakeholder", "subject", "both"):
            n, k = j.own[key]
            assert 0 <= k <= n <= j.cell_cases
    assert any(j.own["both"][0] < j.own["stakeholder"][0] for j in rows)


def test_within_sampling_error_is_the_wilson_interval_meeting_the_band() -> None:
    likely = cal.band_of(0.6)
    assert v16.within_error(likely, 100, 82)  # 82 %: outside 55-80 %, its interval (73-88 %) reaches in
    assert not v16.within_error(likely, 1000, 900)  # 90 % of 1,000: 88-92 %, nowhere near
    almost_none = cal.ICD203_BANDS[0]
    assert not v16.within_error(almost_none, 1081, 86)  # 8 % of 1,081: 6.5-9.8 %, beyond 5 %
    assert v16.within_error(almost_none, 621, 37)  # 6 % of 621: the interval reaches 4.4 %


def test_the_variants_are_the_maps_they_say(rows: list[v16.Judged]) -> None:
    worded = [j for j in rows if j.probability is not None]
    rise = next(j for j in worded if j.rises and j.kind_rate)
    assert v16.rise_floor(1.0)(rise) == max(rise.probability, rise.kind_rate)
    assert v16.rise_floor(0.0)(rise) == rise.probability
    assert all(v16.shrink(1.0)(j) == pytest.approx(j.probability, abs=1e-9) for j in worded)
    extreme = min(worded, key=lambda j: abs((j.probability or 0.5) - 0.5) * -1)
    assert abs(v16.shrink(0.5)(extreme) - 0.5) < abs((extreme.probability or 0.5) - 0.5)  # toward even chance
    stay = next(j for j in worded if not j.rises)
    assert v16.pooled_with_own("both", 1e12)(stay) == pytest.approx(stay.probability)
    n, k = stay.own["both"]
    assert v16.pooled_with_own("both", 0.0)(stay) == pytest.approx(k / n)
    # The evidence rule never moves a probability whose band the cell's interval meets.
    for j in worded:
        low, high = cal.wilson(j.cell_true, j.cell_cases)
        moved = v16.evidence(1.96, withhold=False)(j)
        assert moved == j.probability or moved in (low, high)
        assert v16.evidence(1.96, withhold=True)(j) in (None, j.probability)
