"""Method variants for the likelihood words, judged out of sample on the histories of calibration.py.

    python benchmarks/calibration_variants.py                     # development histories, every variant
    python benchmarks/calibration_variants.py --check             # then the check histories, once
    python benchmarks/calibration_variants.py --cache DIR         # keep the backtested histories in DIR

Session 12 of issue 15 (docs/CALIBRATION.md, "Session 12"): one check history, pnf's Ukraine
2022-24 export, has a Brier score above persistence's. The variants below were chosen and judged
on the development histories only (the same as ``calibration.py``'s), each week judged from the
52 weeks before it exactly as ``calibration.evaluate`` does (``Table.judge``; the fit swapped
where a variant refits). Whatever a variant learns across histories (a prior, a recalibration
map) is learnt leaving out the judged history's group: the three generated feeds of one size
are one group (they share a generator), each real export its own; ``--lenient`` leaves out the
judged history only. The model fitted on recency-weighted cases (half-lives 13, 26 and 52
weeks) learns nothing across histories. ``--check`` judges the check histories with what was
learnt on every development history. Printed per history: bands inside out of bands stated 30+ times, coverage,
the Brier score and its change against the method as it is, persistence's, the bands missed; then
how the probabilities of rises out of the lowest class compare with what happened (the rise
cases given a word, how many rose, the mean probability stated, the rise frequency of the
windows they were judged from, and c*, the factor on every rise probability that would have
minimised the history's Brier score: beating persistence on those cases needs
2 * sum(p over the rises) > sum(p^2)).

Since session 16 the method weighs each score's own record in with the pooled model's figure;
this harness judges the pooled model alone (its "method as it is" is the method before session
16; ``calibration_variants16.py`` judges both).

The cases come from ``calibration.py``'s histories (ACLED exports imported into a temporary
folder). A ``--cache`` folder holds data derived from them: keep it outside the repository,
since ACLED's terms forbid redistribution.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import math
import pickle
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import calibration as bench
import generate

from riskengine import api
from riskengine.core.windows import week_of
from riskengine.scoring import calibration as cal
from riskengine.scoring.backtest import backtest_files
from riskengine.scoring.scores import CLASSES

CELLS = len(CLASSES) * len(cal.REACHED)
SLOPES = 8  # margin, change, weeks in class, range position; each for stays and for rises
ORIGINAL_FIT = cal.fit_model


@dataclass(frozen=True)
class Judged:
    """One week's cases of one profile, as its brief would have judged them."""

    week: int
    rises: bool
    cases: int
    came_true: int
    probability: float | None  # None: no word stated
    cell_cases: int
    cell_true: int
    window_rate: float | None  # the window's frequency of the judged outcome among cases of its kind (rises or stays)


@dataclass(frozen=True)
class Result:
    total: int
    worded: int
    tested: int
    inside: int
    brier: float | None
    persistence: float | None
    misses: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Histories and judgments


def histories(group: str, cache: Path | None) -> dict[str, cal.History]:
    """The histories of calibration.py's development or check set, backtested whole."""
    if cache is not None and (cache / f"{group}.pkl").is_file():
        with (cache / f"{group}.pkl").open("rb") as handle:
            loaded: dict[str, cal.History] = pickle.load(handle)
            return loaded
    pack = api.load_rules(None)
    compiled = api.compile_pack(pack)
    out: dict[str, cal.History] = {}

    def backtest(name: str, path: Path) -> None:
        span = cal.event_span([path], skip_invalid=True)
        if span is None:
            return
        result = backtest_files([path], pack=pack, compiled=compiled, first=week_of(span[0]), last=week_of(span[1]), skip_invalid=True, workers=1)
        out[name] = cal.history_from_backtest(result, name)

    seeds = bench.SEEDS_DEVELOPMENT if group == "development" else (7,)
    for size in ("10k", "100k"):
        for seed in seeds:
            backtest(f"generated {size} seed {seed}", generate.cached(generate.parse_size(size), seed))
    files = bench.ACLED_DEVELOPMENT if group == "development" else bench.ACLED_CHECK
    with tempfile.TemporaryDirectory(prefix="calibration-variants-") as folder:
        for name in files:
            if (bench.ACLED_DIR / name).is_file():
                jsonl, _ = bench.import_acled(bench.ACLED_DIR / name, Path(folder))
                backtest(Path(name).stem, jsonl)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        with (cache / f"{group}.pkl").open("wb") as handle:
            pickle.dump(out, handle)
    return out


@contextlib.contextmanager
def fitted_by(fit: Callable[..., cal.Model | None] | None) -> Iterator[None]:
    """Table.model fits with ``fit`` instead of calibration.fit_model while the block runs."""
    if fit is not None:
        cal.fit_model = fit  # type: ignore[assignment]
    try:
        yield
    finally:
        cal.fit_model = ORIGINAL_FIT


def judged(history: cal.History, fit: Callable[..., cal.Model | None] | None = None, half_life: float | None = None) -> list[Judged]:
    """Every week's profiles judged from the 52 weeks before it (as calibration.judgments).
    ``half_life``: the model is fitted on the window's cases weighted 0.5 ** (age in weeks /
    half_life), scaled so that the weights add up to the window's cases (the ridge keeps its
    strength); a cell's minimum of cases still counts cases."""
    out = []
    with fitted_by(fit):
        for week in sorted(w for w, cells in history.counts.items() if any(t.cases for t in cells.values())):
            table = cal.table_at(history, week_of(dt.date.fromordinal(week)))
            if half_life is not None:
                table = _recency_weighted(history, table, week, half_life)
            kinds = {True: [0, 0], False: [0, 0]}
            for cell, (n, k, _) in table.cells.items():
                kinds[cell.rises][0] += n
                kinds[cell.rises][1] += k
            for profile, tally in sorted(history.profiles.get(week, {}).items(), key=lambda item: item[0].key):
                likelihood = table.judge(profile)
                stated = likelihood.probability if likelihood.calibrated and likelihood.word is not None else None
                n, k, _ = table.cells.get(profile.cell, (0, 0, 0))
                kind_cases, kind_true = kinds[profile.cell.rises]
                out.append(Judged(week, profile.cell.rises, tally.cases, tally.came_true, stated, n, k, kind_true / kind_cases if kind_cases else None))
    return out


def _recency_weighted(history: cal.History, table: cal.Table, week: int, half_life: float) -> cal.Table:
    rows: dict[cal.Profile, list[float]] = {}
    cases = weighted = 0.0
    for case_week in table.case_weeks:
        weight = 0.5 ** ((week - case_week) / 7 / half_life)
        for profile, tally in history.profiles.get(case_week, {}).items():
            row = rows.setdefault(profile, [0.0, 0.0])
            row[0] += weight * tally.cases
            row[1] += weight * tally.came_true
            cases += tally.cases
            weighted += weight * tally.cases
    scale = cases / weighted if weighted else 1.0
    # Tally holds counts; the fit reads them as floats, so weighted counts pass through it.
    profiles = {profile: cal.Tally(row[0] * scale, row[1] * scale) for profile, row in rows.items()}  # type: ignore[arg-type]
    return cal.Table(table.judged, table.history, table.case_weeks, table.cells, profiles)


def score(rows: list[Judged], probability: Callable[[Judged], float | None] = lambda j: j.probability) -> Result:
    """Bands inside (of those stated 30+ times) and the Brier score against persistence, as
    calibration.evaluate counts them."""
    bands = {band.word: [0, 0] for band in cal.ICD203_BANDS}
    total = worded = 0
    brier = persistence = 0.0
    for row in rows:
        total += row.cases
        p = probability(row)
        if p is None:
            continue
        p = round(p, 4)
        worded += row.cases
        missed = row.cases - row.came_true
        brier += row.came_true * (1 - p) ** 2 + missed * p**2
        persistence += row.came_true if row.rises else missed
        bands[cal.band_of(p).word][0] += row.cases
        bands[cal.band_of(p).word][1] += row.came_true
    tested = [(band, bands[band.word]) for band in cal.ICD203_BANDS if bands[band.word][0] >= bench.MIN_TESTED]
    misses = tuple(f"{band.word} {n}: {cal.percent(k / n)}" for band, (n, k) in tested if not cal.inside(band, k / n))
    return Result(total, worded, len(tested), len(tested) - len(misses), brier / worded if worded else None, persistence / worded if worded else None, misses)


# ---------------------------------------------------------------------------------------------
# Variants that refit: an empirical-Bayes prior on the model's coefficients


def fit_with_prior(rows: Mapping[cal.Profile, cal.Tally], mean: np.ndarray, precision: np.ndarray) -> tuple[cal.Model, np.ndarray] | None:
    """calibration.fit_model with coefficient j pulled toward mean[j] with weight precision[j]
    (the method as it is: mean 0, precision RIDGE), and the coefficients' covariance."""
    ordered = sorted((item for item in rows.items() if item[1].cases), key=lambda item: item[0].key)
    if not ordered:
        return None
    phase = all(profile.has_phase for profile, _ in ordered)
    x = np.array([cal._features(profile, phase) for profile, _ in ordered], dtype=np.float64)
    n = np.array([t.cases for _, t in ordered], dtype=np.float64)
    k = np.array([t.came_true for _, t in ordered], dtype=np.float64)
    m, lam = mean[: x.shape[1]], precision[: x.shape[1]]
    beta = m.copy()
    hessian = np.diag(lam)
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -30.0, 30.0)))
        gradient = x.T @ (k - n * p) - lam * (beta - m)
        hessian = (x * (n * p * (1.0 - p))[:, None]).T @ x + np.diag(lam)
        step = np.linalg.solve(hessian, gradient)
        beta = beta + step
        if float(np.abs(step).max()) < 1e-9:
            break
    return cal.Model(tuple(float(b) for b in beta), int(n.sum()), phase), np.linalg.inv(hessian)


def prior_of(sources: Mapping[str, cal.History], slopes: bool, floor: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """The prior learnt on ``sources``: in every 52-week window that does not overlap another of
    its history, the model fitted with the coefficients to learn nearly free (penalty 0.01); per coefficient, the mean over
    windows and the variance between them less the mean sampling variance (at least ``floor``).
    Intercepts from cells with 30+ cases and both outcomes; slopes (with ``slopes``) from windows
    with 100+ cases of their kind (stays, rises) and 5+ of each outcome. Without 3 windows a
    coefficient keeps the method's prior (0, precision RIDGE)."""
    size = CELLS + SLOPES
    samples: dict[int, list[tuple[float, float]]] = {j: [] for j in range(size)}
    # The coefficients learnt are fitted nearly free; the others as the method fits them.
    free = np.concatenate([np.full(CELLS, 0.01), np.full(SLOPES, 0.01 if slopes else cal.RIDGE)])
    for history in sources.values():
        weeks = sorted(w for w, cells in history.counts.items() if any(t.cases for t in cells.values()))
        judged_week = weeks[0] + cal.WINDOW_WEEKS * 7 if weeks else 0
        while weeks and judged_week <= weeks[-1] + 7:
            table = cal.table_at(history, week_of(dt.date.fromordinal(judged_week)))
            judged_week += cal.WINDOW_WEEKS * 7
            fit = fit_with_prior(table.profiles, np.zeros(size), free) if table.profiles else None
            if fit is None or not fit[0].phase:
                continue
            model, covariance = fit
            kinds = {True: [0, 0], False: [0, 0]}
            for cell, (n, k, _) in table.cells.items():
                kinds[cell.rises][0] += n
                kinds[cell.rises][1] += k
                if n >= cal.MIN_CASES and 0 < k < n:
                    j = cell.key[0] * len(cal.REACHED) + cell.key[1]
                    samples[j].append((model.coefficients[j], covariance[j, j]))
            for i in range(SLOPES if slopes else 0):
                n, k = kinds[i % 2 == 1]
                if n >= 100 and 5 <= k <= n - 5:
                    samples[CELLS + i].append((model.coefficients[CELLS + i], covariance[CELLS + i, CELLS + i]))
    mean, precision = np.zeros(size), np.full(size, cal.RIDGE)
    for j, found in samples.items():
        if len(found) >= 3:
            estimates = np.array([e for e, _ in found])
            mean[j] = estimates.mean()
            precision[j] = 1.0 / max(float(estimates.var(ddof=1)) - float(np.mean([v for _, v in found])), floor)
    return mean, precision


def fit_from(prior: tuple[np.ndarray, np.ndarray]) -> Callable[..., cal.Model | None]:
    def fit(rows: Mapping[cal.Profile, cal.Tally], phase: bool | None = None) -> cal.Model | None:
        if phase is False:  # a score without its earlier weeks: the method as it is
            return ORIGINAL_FIT(rows, phase=False)
        found = fit_with_prior(rows, *prior)
        return None if found is None else found[0]

    return fit


# ---------------------------------------------------------------------------------------------
# Variants on the probabilities: maps learnt on the pooled development judgments


Pooled = list[tuple[float, int, int]]


def pooled(records: Mapping[str, list[Judged]], rises_only: bool = False) -> Pooled:
    return [
        (round(j.probability, 4), j.cases, j.came_true)
        for rows in records.values()
        for j in rows
        if j.probability is not None and j.cases and (j.rises or not rises_only)
    ]


def isotonic(points: Pooled) -> Callable[[float], float]:
    """Pool-adjacent-violators on the frequencies per probability stated, weighted by cases."""
    totals: dict[float, list[int]] = {}
    for p, n, k in points:
        total = totals.setdefault(p, [0, 0])
        total[0] += n
        total[1] += k
    blocks: list[list[float]] = []  # lowest probability, cases, came true
    for p in sorted(totals):
        blocks.append([p, totals[p][0], totals[p][1]])
        while len(blocks) > 1 and blocks[-2][2] / blocks[-2][1] >= blocks[-1][2] / blocks[-1][1]:
            last = blocks.pop()
            blocks[-1][1] += last[1]
            blocks[-1][2] += last[2]
    lows = [b[0] for b in blocks]
    return lambda p: (lambda b: b[2] / b[1])(blocks[max(0, bisect.bisect_right(lows, p) - 1)])


def platt(points: Pooled) -> Callable[[float], float]:
    """logistic(a + b logit p), a and b by maximum likelihood on the pooled judgments."""

    def logit(p: float) -> float:
        return math.log(max(p, 1e-4) / max(1 - p, 1e-4))

    x = np.column_stack([np.ones(len(points)), [logit(p) for p, _, _ in points]])
    n = np.array([c for _, c, _ in points], dtype=np.float64)
    k = np.array([t for _, _, t in points], dtype=np.float64)
    beta = np.array([0.0, 1.0])
    for _ in range(50):
        q = 1.0 / (1.0 + np.exp(-(x @ beta)))
        step = np.linalg.solve((x * (n * q * (1 - q))[:, None]).T @ x, x.T @ (k - n * q))
        beta = beta + step
        if float(np.abs(step).max()) < 1e-10:
            break
    a, b = float(beta[0]), float(beta[1])
    return lambda p: 1.0 / (1.0 + math.exp(-(a + b * logit(p))))


def unseen_rise_rate(records: Mapping[str, list[Judged]]) -> float:
    """The pooled frequency of rises in lowest-class cells that saw none in their window."""
    rows = [j for rows in records.values() for j in rows if j.probability is not None and j.rises and j.cell_true == 0]
    cases = sum(j.cases for j in rows)
    return sum(j.came_true for j in rows) / cases if cases else 0.0


def shrunk(n0: float, rises_only: bool) -> Callable[[Judged], float | None]:
    """The model's probability pulled toward the window's frequency of the judged outcome among
    cases of its kind (rises, or stays) with weight n0 / (n + n0), n the cell's cases in the window."""

    def probability(j: Judged) -> float | None:
        if j.probability is None or j.window_rate is None or (rises_only and not j.rises):
            return j.probability
        w = j.cell_cases / (j.cell_cases + n0)
        return w * j.probability + (1 - w) * j.window_rate

    return probability


# ---------------------------------------------------------------------------------------------
# Running and printing


def group_of(name: str, lenient: bool) -> str:
    if lenient:
        return name
    return "generated 10k" if "10k" in name else "generated 100k" if "100k" in name else name


def show(label: str, results: Mapping[str, Result], baseline: Mapping[str, Result]) -> None:
    tested = sum(r.tested for r in results.values())
    inside = sum(r.inside for r in results.values())
    worded = sum(r.worded for r in results.values())
    total = sum(r.total for r in results.values())
    worse = [name for name, r in results.items() if r.brier is not None and r.persistence is not None and r.brier > r.persistence]
    up = [name for name, r in results.items() if r.brier is not None and (baseline[name].brier or 0) and r.brier > (baseline[name].brier or 0) * (1 + 1e-9)]
    print(
        f"\n== {label}: bands inside {inside} of {tested}, coverage {worded / max(1, total):.1%}; Brier up on {len(up)} of {len(results)}; worse than persistence: {', '.join(worse) or 'none'}"
    )
    for name, r in results.items():
        if r.brier is None:
            print(f"   {name[:36]:<36} no word stated")
            continue
        before = baseline[name].brier
        change = f" ({(r.brier / before - 1) * 100:+.2f} %)" if before else ""
        flag = " WORSE" if r.persistence is not None and r.brier > r.persistence else ""
        print(
            f"   {name[:36]:<36} {r.inside}/{r.tested} cover {r.worded / max(1, r.total):.0%} Brier {r.brier:.6f}{change} persistence {r.persistence:.6f}{flag}  {'; '.join(r.misses)}"
        )


def rise_table(records: Mapping[str, list[Judged]]) -> None:
    print("\n   rises out of the lowest class given a word:")
    print(f"   {'history':<36} {'cases':>6} {'rose':>5} {'freq':>7} {'stated':>7} {'window':>7} {'sum p2':>8} {'2 sum p':>8} {'c*':>5}")
    for name, rows in records.items():
        rises = [j for j in rows if j.probability is not None and j.rises]
        cases = sum(j.cases for j in rises)
        if not cases:
            continue
        rose = sum(j.came_true for j in rises)
        stated = sum((j.probability or 0) * j.cases for j in rises)
        squares = sum((j.probability or 0) ** 2 * j.cases for j in rises)
        hits = sum((j.probability or 0) * j.came_true for j in rises)
        window = sum((j.window_rate or 0) * j.cases for j in rises) / cases
        print(
            f"   {name[:36]:<36} {cases:>6} {rose:>5} {rose / cases:>7.2%} {stated / cases:>7.2%} {window:>7.2%} {squares:>8.2f} {2 * hits:>8.2f} {hits / squares if squares else 0:>5.2f}"
        )


def gap_interval(rows: list[Judged], resamples: int = 5000) -> tuple[float, float, float, float] | None:
    """The Brier score less persistence's over the cases given a word, its 95 % interval from
    resampling the judged weeks with replacement (the cases of one week move together), and the
    share of resamples in which the words lose; None without a word."""
    weeks: dict[int, list[float]] = {}
    for row in rows:
        if row.probability is None:
            continue
        p = round(row.probability, 4)
        persistence = 0.0 if row.rises else 1.0
        missed = row.cases - row.came_true
        gap = row.came_true * ((1 - p) ** 2 - (1 - persistence) ** 2) + missed * (p**2 - persistence**2)
        total = weeks.setdefault(row.week, [0.0, 0.0])
        total[0] += gap
        total[1] += row.cases
    if not weeks:
        return None
    values = list(weeks.values())
    rng = random.Random(1)  # the same interval on every run
    draws = []
    for _ in range(resamples):
        sample = [values[rng.randrange(len(values))] for _ in values]
        draws.append(sum(g for g, _ in sample) / sum(n for _, n in sample))
    draws.sort()
    observed = sum(g for g, _ in values) / sum(n for _, n in values)
    return observed, draws[int(0.025 * resamples)], draws[int(0.975 * resamples) - 1], sum(1 for d in draws if d > 0) / resamples


def gap_table(records: Mapping[str, list[Judged]]) -> None:
    print("\n   Brier score less persistence's, 95 % interval resampling the judged weeks (5,000 draws), share of draws the words lose:")
    for name, rows in records.items():
        found = gap_interval(rows)
        if found is not None:
            print(f"   {name[:36]:<36} {found[0]:+.6f} ({found[1]:+.6f} to {found[2]:+.6f}) {found[3]:.0%}")


def run(
    group: str, sources: Mapping[str, cal.History], development: Mapping[str, cal.History], dev_records: Mapping[str, list[Judged]] | None, lenient: bool
) -> dict[str, list[Judged]]:
    """Every variant on ``sources``; what a variant learns comes from ``development`` less the
    judged history's group (``dev_records``: the development judgments as they are, for maps)."""
    check = group == "check"
    records = {name: judged(history) for name, history in sources.items()}
    dev = dev_records if dev_records is not None else records
    baseline = {name: score(rows) for name, rows in records.items()}
    show(f"{group}: the method as it is", baseline, baseline)
    rise_table(records)
    gap_table(records)

    def learnt_from(name: str) -> dict[str, list[Judged]]:
        return dict(dev) if check else {n: r for n, r in dev.items() if group_of(n, lenient) != group_of(name, lenient)}

    for label, slopes in (("empirical-Bayes prior on the cell intercepts", False), ("empirical-Bayes prior on every coefficient", True)):
        results = {}
        for name, history in sources.items():
            learn = development if check else {n: h for n, h in development.items() if group_of(n, lenient) != group_of(name, lenient)}
            results[name] = score(judged(history, fit_from(prior_of(learn, slopes))))
        show(f"{group}: {label}", results, baseline)
    for label, make, rises_only in (
        ("Platt scaling on the pooled development judgments", platt, False),
        ("isotonic map on the pooled development judgments", isotonic, False),
        ("Platt scaling, rises only", platt, True),
        ("isotonic map, rises only", isotonic, True),
    ):
        results = {}
        for name, rows in records.items():
            mapping = make(pooled(learnt_from(name), rises_only))
            results[name] = score(
                rows, lambda j, m=mapping, r=rises_only: None if j.probability is None else m(j.probability) if (j.rises or not r) else j.probability
            )
        show(f"{group}: {label}", results, baseline)
    results = {}
    for name, rows in records.items():
        floor = unseen_rise_rate(learnt_from(name))
        results[name] = score(rows, lambda j, f=floor: None if j.probability is None else max(j.probability, f) if j.rises else j.probability)
    show(
        f"{group}: rise probabilities floored at the pooled rise frequency of never-rose cells ({unseen_rise_rate(dev):.2%} pooled over every development history)",
        results,
        baseline,
    )
    for half_life in (13.0, 26.0, 52.0):
        results = {name: score(judged(history, half_life=half_life)) for name, history in sources.items()}
        show(f"{group}: the model fitted on recency-weighted cases, half-life {half_life:g} weeks", results, baseline)
    if not check:
        for n0 in (10.0, 30.0, 100.0):
            for rises_only in (True, False):
                results = {name: score(rows, shrunk(n0, rises_only)) for name, rows in records.items()}
                show(f"{group}: shrunk toward the window's rate of its kind, n0 = {n0:g}, {'rises only' if rises_only else 'all'}", results, baseline)
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="then judge the check histories once, with what was learnt on every development history")
    parser.add_argument("--lenient", action="store_true", help="leave out only the judged history, not its group, when learning across histories")
    parser.add_argument("--cache", type=Path, help="keep the backtested histories here (never inside the repository: ACLED data)")
    args = parser.parse_args(argv)
    started = time.process_time()
    development = histories("development", args.cache)
    dev_records = run("development", development, development, None, args.lenient)
    if args.check:
        run("check", histories("check", args.cache), development, dev_records, args.lenient)
    print(f"\n{time.process_time() - started:.1f} s CPU in this process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
