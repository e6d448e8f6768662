"""benchmarks/calibration_variants.py judges as calibration.evaluate does (docs/CALIBRATION.md,
"Session 12"): its figures for the method as it is are the method's, and its variants start from
the method's own fit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pytest
from walk_history import FIRST, WEEKS, walk_backtest

from riskengine.core.windows import week_of
from riskengine.scoring import calibration as cal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import calibration_variants as variants  # a benchmark script, found on its folder


@pytest.fixture(scope="module")
def history() -> cal.History:
    return cal.history_from_backtest(walk_backtest(), "walk")


def test_the_method_as_it_is_scores_exactly_as_evaluate(history: cal.History) -> None:
    # The session 12 harness pools every score, as the method did before session 16 weighed in
    # each score's own record: its figures are evaluate's on a history that does not tell them apart.
    evaluation = cal.evaluate(dataclasses.replace(history, subjects={}))
    result = variants.score(variants.judged(history))
    assert evaluation.calibrated_cases > 100  # the walk gives words to judge, in several bands
    assert sum(1 for row in evaluation.rows if row.cases) >= 3
    assert (result.total, result.worded) == (evaluation.cases, evaluation.calibrated_cases)
    assert result.brier == pytest.approx(evaluation.brier_calibrated, abs=1e-12)
    assert result.persistence == pytest.approx(evaluation.brier_persistence, abs=1e-12)
    tested = [row for row in evaluation.rows if row.cases >= 30]
    assert (result.tested, result.inside) == (len(tested), sum(1 for row in tested if row.inside))


def test_a_prior_at_zero_with_the_ridge_weight_is_the_methods_fit(history: cal.History) -> None:
    table = cal.table_at(history, week_of(FIRST.start + dt.timedelta(days=7 * (WEEKS - 1))))
    size = variants.CELLS + variants.SLOPES
    found = variants.fit_with_prior(table.profiles, np.zeros(size), np.full(size, cal.RIDGE))
    method = cal.fit_model(table.profiles)
    assert found is not None and method is not None and method.phase
    assert found[0].coefficients == pytest.approx(method.coefficients, abs=1e-8)


def test_the_isotonic_map_never_decreases_and_gives_pooled_frequencies() -> None:
    # 10 % stated: 3 of 10 came true; 20 %: 1 of 10 (a violation, pooled: 4 of 20); 50 %: 6 of 10.
    mapping = variants.isotonic([(0.1, 10, 3), (0.2, 10, 1), (0.5, 10, 6)])
    assert [mapping(p) for p in (0.05, 0.1, 0.2, 0.3, 0.5, 0.9)] == pytest.approx([0.2, 0.2, 0.2, 0.2, 0.6, 0.6])


def test_recency_weights_that_never_decay_give_the_methods_words(history: cal.History) -> None:
    assert variants.score(variants.judged(history, half_life=1e12)) == variants.score(variants.judged(history))
    assert variants.score(variants.judged(history, half_life=2.0)) != variants.score(variants.judged(history))


def test_the_gap_to_persistence_is_the_difference_of_the_two_scores(history: cal.History) -> None:
    rows = variants.judged(history)
    result = variants.score(rows)
    gap = variants.gap_interval(rows, resamples=200)
    assert gap is not None and result.brier is not None and result.persistence is not None
    assert gap[0] == pytest.approx(result.brier - result.persistence, abs=1e-12)
    assert gap[1] <= gap[0] <= gap[2] and 0.0 <= gap[3] <= 1.0
