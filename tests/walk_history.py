"""A backtest result whose scores drift and jump at random: what the calibration harnesses
(benchmarks/calibration_variants.py and calibration_variants16.py) are checked against."""

from __future__ import annotations

import datetime as dt
import random

from riskengine.core.windows import parse_week, week_of
from riskengine.scoring.backtest import BacktestResult, DimensionPoint, StakeholderSeries, WeekPoint

THRESHOLDS = (2.0, 4.0, 6.0, 8.0)
FIRST = parse_week("2024-W01")
WEEKS = 80


def walk(rng: random.Random, start: float) -> list[float]:
    """A score that drifts and jumps, kept on the 0-10 scale."""
    scores, score = [], start
    for _ in range(WEEKS):
        score = min(10.0, max(0.0, score + rng.gauss(0.0, 1.2)))
        scores.append(round(score, 1))
    return scores


def walk_backtest(seed: int = 12) -> BacktestResult:
    """Three stakeholders, each an overall score and two dimensions on their own walks."""
    rng = random.Random(seed)
    all_series = []
    for name in ("investor", "government", "ngo"):
        overall = walk(rng, 3.0)
        dims = {d: walk(rng, 1.5) for d in ("escalation", "security")}
        points = []
        for k, score in enumerate(overall):
            window = week_of(FIRST.start + dt.timedelta(days=7 * k))
            dimensions = tuple(DimensionPoint(d, 1.0, 0.0, values[k]) for d, values in sorted(dims.items()))
            points.append(WeekPoint(week=window.label, start=window.start, events=1, firings=0, score=score, score_class="", dimensions=dimensions))
        all_series.append(StakeholderSeries(name, name, 1.0, THRESHOLDS, tuple(points)))
    weeks = all_series[0].weeks
    return BacktestResult(weeks[0].week, weeks[-1].week, "v1", 1, 10, 10, 0, tuple(all_series))
