"""benchmarks/calibration_variants17.py judges as calibration.evaluate does (docs/CALIBRATION.md,
"Session 17"): its figures for the method as it is are the method's, each variant is the map it
says it is, and its interval counting weeks is never narrower than the Wilson interval."""

from __future__ import annotations

import dataclasses
import math
import sys
from pathlib import Path

import pytest
from walk_history import walk_backtest

from riskengine.scoring import calibration as cal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import calibration_variants16 as v16  # benchmark scripts, found on their folder
import calibration_variants17 as v17


@pytest.fixture(scope="module")
def source() -> v16.Source:
    return v16.source_of(walk_backtest(), "walk")


@pytest.fixture(scope="module")
def rows(source: v16.Source) -> list[v17.Judged]:
    return v17.judged(source)


def test_the_method_scores_exactly_as_evaluate(source: v16.Source, rows: list[v17.Judged]) -> None:
    evaluation = cal.evaluate(source.history)
    result = v17.score(rows)
    assert evaluation.calibrated_cases > 100 and sum(1 for row in evaluation.rows if row.cases) >= 3
    assert (result.total, result.worded) == (evaluation.cases, evaluation.calibrated_cases)
    assert result.brier == pytest.approx(evaluation.brier_calibrated, abs=1e-12)
    assert result.persistence == pytest.approx(evaluation.brier_persistence, abs=1e-12)
    tested = [row for row in evaluation.rows if row.cases >= 30]
    assert (result.tested, result.inside) == (len(tested), sum(1 for row in tested if row.inside))
    # The own record at the method's weight rebuilds the method's probability from the model's.
    assert v17.score(rows, v17.pooled(cal.OWN_WEIGHT)).brier == pytest.approx(result.brier, abs=1e-9)


def test_the_variants_are_the_maps_they_say(rows: list[v17.Judged]) -> None:
    worded = [j for j in rows if j.final is not None and j.model is not None]
    mine = next(j for j in worded if j.own[0] and not j.rises)
    n, k = mine.own
    assert v17.pooled(0.0)(mine) == pytest.approx(k / n)
    assert v17.pooled(math.inf)(mine) == mine.model
    # Weeks weighted 0.5 ** (age / half-life): never more than the own record's unweighted cases.
    for j in worded:
        for half in v17.HALF_LIVES:
            weighted_n, weighted_k = j.own_recent[half]
            assert 0.0 <= weighted_k <= weighted_n <= j.own[0] + 1e-9
    unweighted = dataclasses.replace(mine, own_recent={13.0: (float(n), float(k))})
    assert v17.recent_own(13.0)(unweighted) == pytest.approx(v17.pooled(cal.OWN_WEIGHT)(mine), abs=1e-12)
    # The identity map is Platt's (0, 1); a map learnt on its own pairs never raises their Brier.
    assert v17.platt(0.0, 1.0, lambda j: j.final)(mine) == pytest.approx(mine.final, abs=1e-9)
    pairs = v17.pairs_of(worded, lambda j: j.final)
    a, b = v17.fit_platt(pairs)
    assert v17.brier_of(worded, v17.platt(a, b, lambda j: j.final)) <= v17.brier_of(worded, lambda j: j.final) + 1e-12
    highs, values = v17.fit_isotonic(pairs)
    assert values == sorted(values) and highs == sorted(highs)
    # Withholding only ever removes a word or moves it to the neighbouring band nearer 50 %.
    for j in worded:
        assert v17.withhold(1.96, False)(j) in (None, j.final)
        moved = v17.withhold(1.96, True)(j)
        before, after = cal.band_of(round(j.final or 0, 4)), cal.band_of(round(moved or 0, 4))
        step = cal.ICD203_BANDS.index(after) - cal.ICD203_BANDS.index(before)
        assert step == 0 or (step == -1 and (j.final or 0) >= 0.55) or (step == 1 and (j.final or 0) < 0.45)


def test_the_interval_counting_weeks_widens_when_a_weeks_cases_move_together() -> None:
    def case(week: int, true: bool) -> v17.Judged:
        return v17.Judged(week, "s", "overall", cal.Cell("low", "held"), 1, int(true), 0.8, 0.8, (0, 0), {}, math.inf)

    # 100 cases, 60 % came true; one case a week against ten a week that all go one way.
    apart = [case(w, w < 60) for w in range(100)]
    together = [case(w, w < 6) for w in range(10) for _ in range(10)]
    wilson = cal.wilson(60, 100)
    low, high = v17.week_interval(apart)
    assert (low, high) == pytest.approx(wilson, abs=0.02)
    low, high = v17.week_interval(together)
    assert low < wilson[0] - 0.1 and high > wilson[1] + 0.1
    very_likely = cal.band_of(0.85)
    assert v17.meets(very_likely, (low, high)) and not v17.meets(very_likely, wilson)
