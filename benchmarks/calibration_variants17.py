"""Session 17 method variants for the likelihood words, on top of the score's own record.

    python benchmarks/calibration_variants17.py --cache DIR                       # development histories
    python benchmarks/calibration_variants17.py --cache DIR --check FILE ...     # then these check exports, once

At the end of session 16 the words were the pooled model's probability weighed with the judged
score's own record in its cell: ``(own came true + 30 x model) / (own cases + 30)``. Two bands
were outside their range by more than sampling error (Kenya's very likely, 102 cases, 61 %;
Sudan's almost certain, 86, 90 %): stays stated too surely. The variants below were not tried
on that method before (docs/CALIBRATION.md, sessions 11-16):

- a monotone map on the final probability (Platt: logistic of a + b logit p; isotonic: pool
  adjacent violators), or on the pooled model's before the own record weighs in, learnt out of
  fold on the development histories (leaving out the judged history's group);
- the pseudo-count chosen by the cell's evidence rather than fixed at 30: per window and cell,
  the spread between scores' own records around the model (a beta-binomial moment estimate of
  how much scores differ) gives how many cases the model is worth; or one weight for rises and
  one for stays learnt out of fold;
- withholding a band when the estimate's 95 % interval (a beta with the model worth the
  pseudo-count) straddles a band edge by much: no word, or the neighbouring band nearer 50 %;
- regime change: the score's own record, or the pooled model's fit, with recent weeks weighted
  more (half-life 13 or 26 weeks), so a turn in the last months counts before the year does; and the other way,
  a longer memory: the pooled model fitted on the 104 or 260 weeks before, or on all of them
  (weeks weighted by a half-life of 52 or 104 weeks, or not), so a long history's recurring
  turns (Kenya's election years) are in the model when they come back.

Each miss is printed with its cells, the years its cases fall in, and a second interval of the
observed frequency that counts weeks rather than cases as the independent draws (``week_interval``).

Every variant is judged on the development histories only, each week judged from the 52 weeks
before it exactly as ``calibration.evaluate`` does (the harness reproduces its figures; the
script checks that every probability it rebuilds equals ``Table.judge``'s). The rule for keeping a
variant (fixed before any was run): on the development histories, more bands inside (or as many
and more within sampling error), coverage unchanged or a withheld word explained, and a Brier
score no higher on any history. Check exports are judged once, after the decision.

ACLED's terms forbid redistribution: the ``--cache`` folder holds data derived from the
exports; keep it outside the repository.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import math
import pickle
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import calibration as bench
import calibration_variants16 as v16
import generate

from riskengine import api
from riskengine.core.windows import week_of
from riskengine.scoring import calibration as cal

HALF_LIVES = (13.0, 26.0)
# Longer memory: (label, weeks before the judged week, half-life in weeks of the weights or None).
LONG_SPANS: tuple[tuple[str, int, float | None], ...] = (
    ("104", 104, None),
    ("260", 260, None),
    ("all", 100_000, None),
    ("260 hl 52", 260, 52.0),
    ("all hl 104", 100_000, 104.0),
    # Recency on the model itself: the 52 weeks weighted by a half-life of 13 or 26 weeks, the
    # weights scaled to add up to the window's cases (so the ridge keeps its strength).
    ("52 hl 13", 52, 13.0),
    ("52 hl 26", 52, 26.0),
)


@dataclass(frozen=True)
class Judged:
    """One score's cases of one week as its brief would have judged them, with what the
    variants read."""

    week: int
    stakeholder: str
    subject: str
    cell: cal.Cell
    cases: int
    came_true: int
    model: float | None  # the pooled model's probability (or the unseen-rise estimate); None: no word
    final: float | None  # the method's probability (with the own record)
    own: tuple[int, int]  # the score's own cases and came true in its cell in the window
    own_recent: Mapping[float, tuple[float, float]]  # the same, weeks weighted 0.5 ** (age / half-life)
    weight_evidence: float  # the pseudo-count the window's cell supports (beta-binomial moments)
    # The same model fitted on the LONG_SPANS weeks before instead of the 52 (None where the
    # method states no word, or states the unseen-rise estimate: kept as it is).
    model_long: Mapping[str, float | None] = dataclasses.field(default_factory=dict)

    @property
    def rises(self) -> bool:
        return self.cell.rises


def _cell_weight(records: Sequence[tuple[float, float, float, float]]) -> float:
    """How many cases the model is worth in a cell, from how far scores' own records there stray
    from it: per score (cases, came true, expected, binomial variance), the chi-square against
    the model over its degrees of freedom is the overdispersion; with n0 the cases' weighted
    mean count, rho = (phi - 1) / (n0 - 1) and the weight (1 - rho) / rho (beta-binomial). No
    spread beyond chance: the model alone (a large weight)."""
    used = [r for r in records if r[3] > 1e-9]
    if len(used) < 2:
        return math.inf
    chi = sum((k - e) ** 2 / v for _, k, e, v in used)
    phi = chi / (len(used) - 1)
    total = sum(n for n, *_ in used)
    n0 = sum(n * n for n, *_ in used) / total
    if phi <= 1.0 or n0 <= 1.0:
        return math.inf
    rho = min((phi - 1.0) / (n0 - 1.0), 0.999)
    return (1.0 - rho) / rho


def judged(source: v16.Source) -> list[Judged]:
    history = source.history
    out: list[Judged] = []
    weeks = sorted(w for w, cells in history.counts.items() if any(t.cases for t in cells.values()))
    for week in weeks:
        table = cal.table_at(history, week_of(dt.date.fromordinal(week)))
        # Per score and cell in the window: cases and came true by week, for the recency weights.
        by_score: dict[tuple[str, str, cal.Cell], list[tuple[int, int, int]]] = defaultdict(list)
        evidence: dict[cal.Cell, dict[tuple[str, str], list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0, 0.0, 0.0]))
        model = table.model
        for w in table.case_weeks:
            for (stakeholder, subject, profile), tally in history.subjects.get(w, {}).items():
                by_score[(stakeholder, subject, profile.cell)].append((w, tally.cases, tally.came_true))
                if model is not None and profile.has_phase:
                    p = model.probability(profile)
                    row = evidence[profile.cell][(stakeholder, subject)]
                    row[0] += tally.cases
                    row[1] += tally.came_true
                    row[2] += tally.cases * p
                    row[3] += tally.cases * p * (1 - p)
        long_models: dict[str, cal.Model | None] = {}
        for label, span, half in LONG_SPANS:
            rows_long: dict[cal.Profile, list[float]] = defaultdict(lambda: [0.0, 0.0])
            for w in history.profiles:
                if week - span * 7 <= w <= week - 7:
                    decay = 1.0 if half is None else 0.5 ** ((week - w) / 7 / half)
                    for prof, t in history.profiles[w].items():
                        rows_long[prof][0] += decay * t.cases
                        rows_long[prof][1] += decay * t.came_true
            if half is not None and span == cal.WINDOW_WEEKS:
                weighted = sum(t[0] for t in rows_long.values())
                scale = (table.model.cases / weighted) if table.model is not None and weighted else 1.0
                rows_long = defaultdict(lambda: [0.0, 0.0], {prof: [t[0] * scale, t[1] * scale] for prof, t in rows_long.items()})
            # fit_model reads cases and came true as numbers: weighted ones fit as they are.
            long_models[label] = cal.fit_model({prof: cal.Tally(*t) for prof, t in rows_long.items()}) if model is not None else None  # type: ignore[arg-type]
        weights = {cell: _cell_weight([tuple(r) for r in rows.values()]) for cell, rows in evidence.items()}  # type: ignore[misc]
        words: dict[cal.Profile, float | None] = {}
        for (stakeholder, subject, profile), tally in sorted(history.subjects.get(week, {}).items(), key=lambda item: (item[0][2].key, item[0][0], item[0][1])):
            if profile not in words:
                likelihood = table.judge(profile)
                words[profile] = likelihood.probability if likelihood.calibrated and likelihood.word is not None else None
            final_likelihood = table.judge(profile, (stakeholder, subject))
            final = final_likelihood.probability if final_likelihood.calibrated and final_likelihood.word is not None else None
            own = table.own_record(profile.cell, (stakeholder, subject))
            model_p = words[profile]
            if model_p is not None and final != cal.with_own_record(model_p, own):
                raise AssertionError(f"{source.name} {week}: {final} against {cal.with_own_record(model_p, own)}")
            recent: dict[float, tuple[float, float]] = {}
            for half in HALF_LIVES:
                n = k = 0.0
                for w, cases, true in by_score.get((stakeholder, subject, profile.cell), ()):
                    weight = 0.5 ** ((week - w) / 7 / half)
                    n += weight * cases
                    k += weight * true
                recent[half] = (n, k)
            out.append(
                Judged(
                    week,
                    stakeholder,
                    subject,
                    profile.cell,
                    tally.cases,
                    tally.came_true,
                    model_p,
                    final,
                    (own.cases, own.came_true) if own is not None else (0, 0),
                    recent,
                    weights.get(profile.cell, math.inf),
                    {
                        span: None
                        if model_p is None or m is None or (profile.cell.rises and table.cells.get(profile.cell, (0, 0, 0))[1] == 0)
                        else m.probability(profile)
                        for span, m in long_models.items()
                    },
                )
            )
    return out


def judged_cached(name: str, path: Path, cache: Path | None, rules: tuple[object, object], acled: bool) -> list[Judged] | None:
    file = None if cache is None else cache / ("j17_" + name.replace(" ", "_").replace("/", "_") + ".pkl")
    if file is not None and file.is_file():
        with file.open("rb") as handle:
            rows: list[Judged] = pickle.load(handle)
        return rows
    source = v16.load(name, path, cache, rules, acled)
    if source is None:
        return None
    rows = judged(source)
    if file is not None:
        with file.open("wb") as handle:
            pickle.dump(rows, handle)
    return rows


# ---------------------------------------------------------------------------------------------
# Scoring


Probability = Callable[[Judged], float | None]


@dataclass(frozen=True)
class Result:
    total: int
    worded: int
    tested: int
    inside: int
    within_error: int
    brier: float | None
    persistence: float | None
    misses: tuple[str, ...]


def score(rows: Iterable[Judged], probability: Probability = lambda j: j.final) -> Result:
    bands = {band.word: [0, 0] for band in cal.ICD203_BANDS}
    total = worded = 0
    brier = persistence = 0.0
    for row in rows:
        total += row.cases
        p = probability(row)
        if p is None:
            continue
        p = round(p, 4)
        missed = row.cases - row.came_true
        worded += row.cases
        brier += row.came_true * (1 - p) ** 2 + missed * p**2
        persistence += row.came_true if row.rises else missed
        word = cal.band_of(p).word
        bands[word][0] += row.cases
        bands[word][1] += row.came_true
    tested = [(band, bands[band.word]) for band in cal.ICD203_BANDS if bands[band.word][0] >= bench.MIN_TESTED]
    misses = tuple(
        f"{band.word} {n}: {cal.percent(k / n)}{'' if bench.within_error(band, n, k) else ' (BEYOND error)'}"
        for band, (n, k) in tested
        if not cal.inside(band, k / n)
    )
    met = sum(1 for band, (n, k) in tested if bench.within_error(band, n, k))
    return Result(
        total, worded, len(tested), len(tested) - len(misses), met, brier / worded if worded else None, persistence / worded if worded else None, misses
    )


def brier_of(rows: Iterable[Judged], probability: Probability) -> float:
    total = count = 0.0
    for row in rows:
        p = probability(row)
        if p is None:
            continue
        total += row.came_true * (1 - p) ** 2 + (row.cases - row.came_true) * p**2
        count += row.cases
    return total / count if count else 0.0


# ---------------------------------------------------------------------------------------------
# The variants


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def pooled(weight: float | Callable[[Judged], float], base: Callable[[Judged], float | None] = lambda j: j.model) -> Probability:
    """The model's (or ``base``'s) probability worth ``weight`` cases beside the own record."""

    def probability(j: Judged) -> float | None:
        p = base(j)
        if p is None:
            return None
        m = weight(j) if callable(weight) else weight
        n, k = j.own
        if not n or math.isinf(m):
            return p
        return (k + m * p) / (n + m)

    return probability


def split_weight(rises: float, stays: float) -> Probability:
    return pooled(lambda j: rises if j.rises else stays)


def evidence_weight(low: float, high: float) -> Probability:
    """The pseudo-count from the window's cell (``weight_evidence``), kept within [low, high]."""
    return pooled(lambda j: min(max(j.weight_evidence, low), high))


def longer(span: str, share: float) -> Callable[[Judged], float | None]:
    """The pooled model's probability mixed with the same model fitted on ``span`` weeks."""

    def probability(j: Judged) -> float | None:
        if j.model is None:
            return None
        other = j.model_long.get(span)
        return j.model if other is None else (1 - share) * j.model + share * other

    return probability


def recent_own(half: float, weight: float = cal.OWN_WEIGHT) -> Probability:
    def probability(j: Judged) -> float | None:
        if j.model is None:
            return None
        n, k = j.own_recent[half]
        if not j.own[0]:
            return j.model
        return (k + weight * j.model) / (n + weight)

    return probability


def fit_platt(pairs: Sequence[tuple[float, int, int]]) -> tuple[float, float]:
    """a, b of logistic(a + b logit p) by Newton's method on (p, cases, came true)."""
    a, b = 0.0, 1.0
    for _ in range(50):
        ga = gb = haa = hab = hbb = 0.0
        for p, n, k in pairs:
            z = _logit(p)
            q = _logistic(a + b * z)
            r = k - n * q
            w = n * q * (1 - q)
            ga += r
            gb += r * z
            haa += w
            hab += w * z
            hbb += w * z * z
        det = haa * hbb - hab * hab
        if det <= 0:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a + da, b + db
        if abs(da) + abs(db) < 1e-10:
            break
    return a, b


def platt(a: float, b: float, base: Probability) -> Probability:
    def probability(j: Judged) -> float | None:
        p = base(j)
        return None if p is None else _logistic(a + b * _logit(p))

    return probability


def fit_isotonic(pairs: Sequence[tuple[float, int, int]]) -> tuple[list[float], list[float]]:
    """Pool adjacent violators on (p, cases, came true): block right edges and their frequencies."""
    blocks: list[list[float]] = []  # high p, cases, came true
    for p, n, k in sorted(pairs):
        blocks.append([p, float(n), float(k)])
        while len(blocks) > 1 and blocks[-2][2] / blocks[-2][1] >= blocks[-1][2] / blocks[-1][1]:
            last = blocks.pop()
            blocks[-1] = [last[0], blocks[-1][1] + last[1], blocks[-1][2] + last[2]]
    return [b[0] for b in blocks], [b[2] / b[1] for b in blocks]


def isotonic(edges: tuple[list[float], list[float]], base: Probability) -> Probability:
    import bisect

    highs, values = edges

    def probability(j: Judged) -> float | None:
        p = base(j)
        if p is None:
            return None
        i = min(bisect.bisect_left(highs, p), len(values) - 1)
        return min(max(values[i], 0.0001), 0.9999)

    return probability


def beta_interval(j: Judged, weight: float, z: float = 1.96) -> tuple[float, float] | None:
    """The estimate's interval: a beta with the own record and the model worth ``weight`` cases
    (normal approximation on its mean and variance)."""
    if j.final is None:
        return None
    n, _ = j.own
    total = n + weight
    p = j.final
    sd = math.sqrt(p * (1 - p) / (total + 1))
    return max(0.0, p - z * sd), min(1.0, p + z * sd)


def withhold(z: float, neighbour: bool, far: bool = False) -> Probability:
    """Where the estimate's interval crosses its band's edge toward 50 % (``far``: crosses the
    neighbouring band's far edge too), the word is withheld, or the neighbouring band nearer
    50 % is stated (the probability moved to its edge next to the band)."""

    def probability(j: Judged) -> float | None:
        interval = beta_interval(j, cal.OWN_WEIGHT, z)
        if interval is None or j.final is None:
            return None
        p = round(j.final, 4)
        band = cal.band_of(p)
        index = cal.ICD203_BANDS.index(band)
        if p >= 0.55 and index > 0:  # above the middle: the neighbour below
            other = cal.ICD203_BANDS[index - 1]
            crosses = interval[0] < (other.low if far else band.low)
            moved = band.low - 0.0001
        elif p < 0.45 and index < len(cal.ICD203_BANDS) - 1:
            other = cal.ICD203_BANDS[index + 1]
            crosses = interval[1] > (other.high if far else band.high)
            moved = band.high
        else:
            return j.final
        if not crosses:
            return j.final
        return moved if neighbour else None

    return probability


# ---------------------------------------------------------------------------------------------
# Running


def group_of(name: str) -> str:
    return "generated 10k" if "10k" in name else "generated 100k" if "100k" in name else name


def pairs_of(rows: Iterable[Judged], base: Probability) -> list[tuple[float, int, int]]:
    out = []
    for j in rows:
        p = base(j)
        if p is not None:
            out.append((round(p, 4), j.cases, j.came_true))
    return out


GRID = (10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 100.0)


def learnt_weights(rows: list[Judged]) -> tuple[float, float]:
    rises = [j for j in rows if j.rises]
    stays = [j for j in rows if not j.rises]
    return (min(GRID, key=lambda m: brier_of(rises, pooled(m))), min(GRID, key=lambda m: brier_of(stays, pooled(m))))


def variants(records: Mapping[str, list[Judged]], check: Mapping[str, list[Judged]] | None = None) -> list[tuple[str, dict[str, Probability]]]:
    """Per variant, per history its probability map; learnt leaving out the history's group
    (for check histories: learnt on every development history)."""
    names = list(records) + list(check or {})

    def training(name: str) -> list[Judged]:
        if check and name in check:
            return [j for rows in records.values() for j in rows]
        return [j for n, rows in records.items() if group_of(n) != group_of(name) for j in rows]

    groups: dict[str, list[Judged]] = {}
    for name in names:
        key = "check" if check and name in check else group_of(name)
        if key not in groups:
            groups[key] = training(name)

    def key_of(name: str) -> str:
        return "check" if check and name in check else group_of(name)

    final: Probability = lambda j: j.final  # noqa: E731
    model: Probability = lambda j: j.model  # noqa: E731
    platt_final = {g: fit_platt(pairs_of(rows, final)) for g, rows in groups.items()}
    platt_model = {g: fit_platt(pairs_of(rows, model)) for g, rows in groups.items()}
    iso_final = {g: fit_isotonic(pairs_of(rows, final)) for g, rows in groups.items()}
    weights = {g: learnt_weights(rows) for g, rows in groups.items()}
    for g in groups:
        print(
            f"   learnt leaving out {g}: Platt on the final a {platt_final[g][0]:+.3f} b {platt_final[g][1]:.3f}; on the model a {platt_model[g][0]:+.3f} b {platt_model[g][1]:.3f}; weights rises {weights[g][0]:g} stays {weights[g][1]:g}"
        )
    out: list[tuple[str, dict[str, Probability]]] = []
    out.append(("Platt on the final probability, learnt out of fold", {n: platt(*platt_final[key_of(n)], final) for n in names}))
    out.append(("isotonic on the final probability, learnt out of fold", {n: isotonic(iso_final[key_of(n)], final) for n in names}))
    out.append(("Platt on the pooled model, then the own record", {n: pooled(cal.OWN_WEIGHT, platt(*platt_model[key_of(n)], model)) for n in names}))
    out.append(("own weight learnt out of fold, rises and stays apart", {n: split_weight(*weights[key_of(n)]) for n in names}))
    for low, high in ((10.0, 100.0), (15.0, 60.0), (20.0, 45.0), (5.0, 1000.0)):
        out.append((f"own weight from the cell's spread, within {low:g}-{high:g}", {n: evidence_weight(low, high) for n in names}))
    for span, *_ in LONG_SPANS:
        for share in (0.5, 1.0) if span == "260" else (1.0,):
            if span.startswith("52 "):
                break
            out.append(
                (
                    f"model from the {span} weeks before, {share:g} of it beside the 52 weeks' model, then the own record",
                    {n: pooled(cal.OWN_WEIGHT, longer(span, share)) for n in names},
                )
            )
    for half in (13, 26):
        out.append(
            (
                f"model fitted with recent weeks weighted more (half-life {half} weeks), then the own record",
                {n: pooled(cal.OWN_WEIGHT, longer(f"52 hl {half}", 1.0)) for n in names},
            )
        )
    for half in HALF_LIVES:
        out.append((f"own record with recent weeks weighted more (half-life {half:g} weeks)", {n: recent_own(half) for n in names}))
    for far in (False, True):
        reach = "past the neighbouring band" if far else "past its band's edge"
        for z in (1.96, 1.0):
            out.append((f"estimate's interval (z {z:g}) {reach} toward 50 %: the neighbouring band", {n: withhold(z, True, far) for n in names}))
            out.append((f"estimate's interval (z {z:g}) {reach} toward 50 %: no word", {n: withhold(z, False, far) for n in names}))
    return out


def show(label: str, results: Mapping[str, Result], baseline: Mapping[str, Result]) -> None:
    tested = sum(r.tested for r in results.values())
    inside = sum(r.inside for r in results.values())
    met = sum(r.within_error for r in results.values())
    worded = sum(r.worded for r in results.values())
    total = sum(r.total for r in results.values())
    up = [n for n, r in results.items() if r.brier is not None and baseline[n].brier and r.brier > baseline[n].brier * (1 + 1e-9)]
    down = [n for n, r in results.items() if r.brier is not None and baseline[n].brier and r.brier < baseline[n].brier * (1 - 1e-9)]
    worse = [n for n, r in results.items() if r.brier is not None and r.persistence is not None and r.brier > r.persistence]
    print(
        f"\n== {label}: bands inside {inside} of {tested}, within error {met} of {tested}, coverage {worded / max(1, total):.1%}; "
        f"Brier up on {len(up)}, down on {len(down)} of {len(results)}; worse than persistence: {', '.join(worse) or 'none'}"
    )
    for name, r in results.items():
        if r.brier is None:
            print(f"   {name[:40]:<40} no word stated")
            continue
        before = baseline[name].brier
        change = f" ({(r.brier / before - 1) * 100:+.2f} %)" if before else ""
        print(
            f"   {name[:40]:<40} {r.inside}/{r.tested} (err {r.within_error}) cover {r.worded / max(1, r.total):.0%} Brier {r.brier:.6f}{change} pers. {r.persistence:.6f}  {'; '.join(r.misses)}"
        )


def week_interval(rows: Sequence[Judged], z: float = 1.96) -> tuple[float, float]:
    """The 95 % interval of a frequency counting weeks, not cases, as the independent draws: the
    cases of one week move together (one salvo, or one quiet week, moves every stakeholder's
    scores), so the Wilson interval, which counts cases, is too narrow. The ratio estimator's
    variance over week clusters (a standard survey estimate, W / (W - 1) corrected)."""
    weeks: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for j in rows:
        weeks[j.week][0] += j.cases
        weeks[j.week][1] += j.came_true
    n = sum(c for c, _ in weeks.values())
    k = sum(t for _, t in weeks.values())
    if not n or len(weeks) < 2:
        return 0.0, 1.0
    r = k / n
    w = len(weeks)
    variance = w / (w - 1) * sum((t - r * c) ** 2 for c, t in weeks.values()) / (n * n)
    # Never narrower than the Wilson interval: clustering can only widen what chance allows.
    low, high = cal.wilson(k, n, z)
    spread = z * math.sqrt(variance)
    return max(0.0, min(low, r - spread)), min(1.0, max(high, r + spread))


def meets(band: cal.Band, interval: tuple[float, float]) -> bool:
    band_low = 0.0 if band is cal.ICD203_BANDS[0] else band.low
    band_high = 1.0 if band is cal.ICD203_BANDS[-1] else band.high
    return interval[0] <= band_high and interval[1] >= band_low


def diagnose(name: str, rows: list[Judged]) -> None:
    """Per band stated 30+ times and outside its range: which cells and how the own record sat."""
    by_band: dict[str, list[Judged]] = defaultdict(list)
    for j in rows:
        if j.final is not None:
            by_band[cal.band_of(round(j.final, 4)).word].append(j)
    for band in cal.ICD203_BANDS:
        cases = by_band.get(band.word, [])
        n, k = sum(j.cases for j in cases), sum(j.came_true for j in cases)
        if n < bench.MIN_TESTED or cal.inside(band, k / n):
            continue
        low, high = cal.wilson(k, n)
        wlow, whigh = week_interval(cases)
        weeks = len({j.week for j in cases})
        print(
            f"   {name}: {band.word} {n} cases from {weeks} weeks, {cal.percent(k / n)}; Wilson {low:.1%}-{high:.1%}, "
            f"counting weeks {wlow:.1%}-{whigh:.1%} ({'meets' if meets(band, (wlow, whigh)) else 'does NOT meet'} the band); "
            "by cell (cases, came true, mean model, mean final, own cases):"
        )
        cells: dict[cal.Cell, list[Judged]] = defaultdict(list)
        for j in cases:
            cells[j.cell].append(j)
        for cell, js in sorted(cells.items(), key=lambda item: -sum(j.cases for j in item[1])):
            c = sum(j.cases for j in js)
            t = sum(j.came_true for j in js)
            mm = sum((j.model or 0) * j.cases for j in js) / c
            mf = sum((j.final or 0) * j.cases for j in js) / c
            own = sum(j.own[0] * j.cases for j in js) / c
            years: dict[int, list[int]] = defaultdict(lambda: [0, 0])
            for j in js:
                y = dt.date.fromordinal(j.week).year
                years[y][0] += j.cases
                years[y][1] += j.came_true
            spread = ", ".join(f"{y}: {t_}/{n_}" for y, (n_, t_) in sorted(years.items()))
            print(f"      {cell.score_class}/{cell.reached}: {c}, {t} ({cal.percent(t / c)}), model {mm:.1%}, final {mf:.1%}, own {own:.0f}; by year {spread}")


def run(label: str, records: Mapping[str, list[Judged]], maps: list[tuple[str, dict[str, Probability]]]) -> None:
    baseline = {name: score(rows) for name, rows in records.items()}
    show(f"{label}: the method as it is", baseline, baseline)
    for name, rows in records.items():
        diagnose(name, rows)
    for variant, per in maps:
        show(f"{label}: {variant}", {name: score(rows, per[name]) for name, rows in records.items()}, baseline)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep the backtested histories here (never inside the repository: ACLED data)")
    parser.add_argument("--sizes", default="10k,100k", help="generated development feeds (default: %(default)s; empty for none)")
    parser.add_argument("--acled-dir", type=Path, default=bench.ACLED_DIR)
    parser.add_argument("--check", nargs="*", type=Path, help="check exports, judged once with what was learnt on every development history")
    args = parser.parse_args(argv)
    started = time.process_time()
    pack = api.load_rules(None)
    rules = (pack, api.compile_pack(pack))
    print(f"rule pack {pack.version}")
    records: dict[str, list[Judged]] = {}
    for size in [s for s in args.sizes.split(",") if s.strip()]:
        for seed in bench.SEEDS_DEVELOPMENT:
            name = f"generated {size} seed {seed}"
            found = judged_cached(name, generate.cached(generate.parse_size(size), seed), args.cache, rules, acled=False)
            if found is not None:
                records[name] = found
    for file in bench.ACLED_DEVELOPMENT:
        if (args.acled_dir / file).is_file():
            found = judged_cached(Path(file).stem, args.acled_dir / file, args.cache, rules, acled=True)
            if found is not None:
                records[Path(file).stem] = found
    print(f"development histories judged: {time.process_time() - started:.1f} s CPU")
    checks: dict[str, list[Judged]] = {}
    for file in args.check or ():
        found = judged_cached(file.stem, file, args.cache, rules, acled=True)
        if found is not None:
            checks[file.stem] = found
    maps = variants(records, checks or None)
    run("development", records, maps)
    if checks:
        run("check", checks, maps)
    print(f"\n{time.process_time() - started:.1f} s CPU in this process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
