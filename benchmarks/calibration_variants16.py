"""Session 16 method variants for the likelihood words, aimed at the overconfident classes.

    python benchmarks/calibration_variants16.py --cache DIR                       # development histories
    python benchmarks/calibration_variants16.py --cache DIR --check FILE ...     # then these check exports, once

At the end of session 15 three bands were outside their ICD 203 range by more than sampling
error (docs/CALIBRATION.md): Kenya's very likely (93 cases, 58 %), Ethiopia's almost no chance
(1,081, 8 %) and Mozambique's almost no chance (621, 6 %): quiet weeks said to stay quiet too
surely in long, sparse histories, and rises in Kenya stated too surely. The variants below were
not tried before (sessions 11-15):

- a floor on the rise probability out of the lowest class at a share of the history's own rate
  of rises in the window (the judged week's 52 weeks before), the share fixed or learnt;
- shrinking the model's probability on the logit scale by a factor learnt across histories, on
  every judgment, rises and stays apart, or beyond 80 % / below 20 % only;
- pooling the model's probability with the judged subject's own record in its cell in the
  window (the stakeholder's, the dimension's, or both): the model's figure is a prior worth m
  cases, updated by that subject's cases;
- a rule on the cell's evidence: where the Wilson interval of the cell's frequency in the window
  does not meet the band of the model's probability, state the band next to it the interval
  reaches (the probability moved to the interval's nearer end), or state no word.

Every variant is judged on the development histories only, each week judged from the 52 weeks
before it exactly as ``calibration.evaluate`` did at the start of session 16 (the method's own
words, then a map on their probability; the variant kept, the score's own record with the model
worth 30 cases, is ``calibration.evaluate`` since). What a variant learns across histories is learnt leaving out the judged history's
group (the generated feeds of one size are one group; each export its own). Two readings of
the target are printed, neither in place of the other: bands inside their range, and bands
whose 95 % (Wilson) interval meets their range ("within sampling error").

The rule for keeping a variant (fixed before any was run): on the development histories, more
bands inside (or as many and more within sampling error), coverage unchanged, and a Brier score
no higher on any history. Check exports are judged once, after the decision.

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
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import calibration as bench
import generate

from riskengine import api
from riskengine.core.windows import week_of
from riskengine.scoring import calibration as cal
from riskengine.scoring.backtest import BacktestResult, backtest_files

# A judged case's subject: which score of which stakeholder.
CaseRow = tuple[int, str, str, cal.Profile, bool]  # week, stakeholder, subject, profile, came true


@dataclass(frozen=True)
class Source:
    """A backtested history and its cases one by one (the history pools them)."""

    name: str
    history: cal.History
    cases: tuple[CaseRow, ...]


@dataclass(frozen=True)
class Judged:
    """One case as its brief would have judged it, with what the variants read."""

    week: int
    stakeholder: str
    subject: str
    cell: cal.Cell
    came_true: bool
    probability: float | None  # the method's; None: no word stated
    cell_cases: int  # the cell's cases and came true in the window
    cell_true: int
    kind_rate: float | None  # the window's frequency of the judged outcome among cases of its kind (rises or stays)
    own: Mapping[str, tuple[int, int]]  # per pooling key ("stakeholder", "subject", "both"): its cases and came true in the cell in the window

    @property
    def rises(self) -> bool:
        return self.cell.rises


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


# ---------------------------------------------------------------------------------------------
# Histories and judgments


def source_of(result: BacktestResult, name: str) -> Source:
    history = cal.history_from_backtest(result, name)
    cases = tuple((c.week, c.stakeholder, c.subject, c.profile, c.came_true) for c in cal.cases_of(result))
    return Source(name, history, cases)


def load(name: str, path: Path, cache: Path | None, rules: tuple[object, object], acled: bool) -> Source | None:
    """The history of one feed or export, backtested over every week it spans (cached by name)."""
    file = None if cache is None else cache / (name.replace(" ", "_").replace("/", "_") + ".pkl")
    if file is not None and file.is_file():
        with file.open("rb") as handle:
            loaded: Source = pickle.load(handle)
        if "subjects" not in loaded.history.__dict__:  # cached before histories told scores apart
            loaded = Source(loaded.name, dataclasses.replace(loaded.history, subjects=_subjects(loaded.cases)), loaded.cases)
        return loaded
    pack, compiled = rules
    with tempfile.TemporaryDirectory(prefix="calibration-v16-") as folder:
        events = bench.import_acled(path, Path(folder))[0] if acled else path
        span = cal.event_span([events], skip_invalid=True)
        if span is None:
            return None
        result = backtest_files([events], pack=pack, compiled=compiled, first=week_of(span[0]), last=week_of(span[1]), skip_invalid=True, workers=1)  # type: ignore[arg-type]
    source = source_of(result, name)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        with file.open("wb") as handle:
            pickle.dump(source, handle)
    return source


def _subjects(cases: Iterable[CaseRow]) -> dict[int, dict[tuple[str, str, cal.Profile], cal.Tally]]:
    tallies: dict[int, dict[tuple[str, str, cal.Profile], list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for week, stakeholder, subject, profile, true in cases:
        tally = tallies[week][(stakeholder, subject, profile)]
        tally[0] += 1
        tally[1] += true
    return {week: {key: cal.Tally(*t) for key, t in rows.items()} for week, rows in tallies.items()}


KEYS: dict[str, Callable[[str, str], str]] = {
    "stakeholder": lambda stakeholder, subject: stakeholder,
    "subject": lambda stakeholder, subject: subject,
    "both": lambda stakeholder, subject: f"{stakeholder}/{subject}",
}


def judged(source: Source) -> list[Judged]:
    """Every case judged from the 52 weeks before its week, as calibration.judgments did before
    session 16: the probability is the pooled model's, before the score's own record weighs in
    (``pooled_with_own("both", OWN_WEIGHT)`` gives the method since)."""
    history = source.history
    by_week: dict[int, list[CaseRow]] = defaultdict(list)
    for row in source.cases:
        by_week[row[0]].append(row)
    # Per week, per pooling key, cell: cases and came true, to sum over each window.
    own_weekly: dict[int, dict[tuple[str, str, cal.Cell], list[int]]] = {}
    for week, rows in by_week.items():
        tallies: dict[tuple[str, str, cal.Cell], list[int]] = defaultdict(lambda: [0, 0])
        for _, stakeholder, subject, profile, true in rows:
            for key, make in KEYS.items():
                tally = tallies[(key, make(stakeholder, subject), profile.cell)]
                tally[0] += 1
                tally[1] += true
        own_weekly[week] = tallies
    out: list[Judged] = []
    for week in sorted(w for w, cells in history.counts.items() if any(t.cases for t in cells.values())):
        table = cal.table_at(history, week_of(dt.date.fromordinal(week)))
        kinds = {True: [0, 0], False: [0, 0]}
        for cell, (n, k, _) in table.cells.items():
            kinds[cell.rises][0] += n
            kinds[cell.rises][1] += k
        own: dict[tuple[str, str, cal.Cell], list[int]] = defaultdict(lambda: [0, 0])
        for w in table.case_weeks:
            for key, (n, k) in own_weekly.get(w, {}).items():
                own[key][0] += n
                own[key][1] += k
        words: dict[cal.Profile, float | None] = {}
        for _, stakeholder, subject, profile, true in sorted(by_week.get(week, ()), key=lambda r: (r[3].key, r[1], r[2])):
            if profile not in words:
                likelihood = table.judge(profile)
                words[profile] = likelihood.probability if likelihood.calibrated and likelihood.word is not None else None
            n, k, _ = table.cells.get(profile.cell, (0, 0, 0))
            kind_cases, kind_true = kinds[profile.cell.rises]
            mine = {key: tuple(own.get((key, make(stakeholder, subject), profile.cell), (0, 0))) for key, make in KEYS.items()}
            out.append(
                Judged(week, stakeholder, subject, profile.cell, true, words[profile], n, k, kind_true / kind_cases if kind_cases else None, mine)  # type: ignore[arg-type]
            )
    return out


# The target read with sampling error: the Wilson 95 % interval meets the band (calibration.py).
within_error = bench.within_error


Probability = Callable[[Judged], float | None]


def score(rows: Iterable[Judged], probability: Probability = lambda j: j.probability) -> Result:
    """Bands inside (of those stated 30+ times), within sampling error, and the Brier score
    against persistence, as calibration.evaluate counts them."""
    bands = {band.word: [0, 0] for band in cal.ICD203_BANDS}
    total = worded = 0
    brier = persistence = 0.0
    for row in rows:
        total += 1
        p = probability(row)
        if p is None:
            continue
        p = round(p, 4)
        worded += 1
        brier += (1 - p) ** 2 if row.came_true else p**2
        persistence += row.came_true if row.rises else not row.came_true
        bands[cal.band_of(p).word][0] += 1
        bands[cal.band_of(p).word][1] += row.came_true
    tested = [(band, bands[band.word]) for band in cal.ICD203_BANDS if bands[band.word][0] >= bench.MIN_TESTED]
    misses = tuple(
        f"{band.word} {n}: {cal.percent(k / n)}{'' if within_error(band, n, k) else ' (beyond error)'}"
        for band, (n, k) in tested
        if not cal.inside(band, k / n)
    )
    met = sum(1 for band, (n, k) in tested if within_error(band, n, k))
    return Result(
        total, worded, len(tested), len(tested) - len(misses), met, brier / worded if worded else None, persistence / worded if worded else None, misses
    )


# ---------------------------------------------------------------------------------------------
# The variants: maps on the method's probability


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def rise_floor(share: float) -> Probability:
    """A rise out of the lowest class is put at no less than ``share`` of the window's rate of
    rises out of the lowest class (the history's own)."""

    def probability(j: Judged) -> float | None:
        if j.probability is None or not j.rises or j.kind_rate is None:
            return j.probability
        return max(j.probability, share * j.kind_rate)

    return probability


def rise_floor_cell(share: float) -> Probability:
    """The same floor at a share of the judged cell's own rise frequency in the window."""

    def probability(j: Judged) -> float | None:
        if j.probability is None or not j.rises or not j.cell_cases:
            return j.probability
        return max(j.probability, share * j.cell_true / j.cell_cases)

    return probability


def shrink(factor: float, *, rises: bool = True, stays: bool = True, knee: float = 0.0) -> Probability:
    """The log-odds beyond ``knee`` (0: all of them) multiplied by ``factor``."""

    def probability(j: Judged) -> float | None:
        if j.probability is None or (j.rises and not rises) or (not j.rises and not stays):
            return j.probability
        z = _logit(j.probability)
        if abs(z) <= knee:
            return j.probability
        return _logistic(math.copysign(knee + factor * (abs(z) - knee), z))

    return probability


def pooled_with_own(key: str, weight: float) -> Probability:
    """The model's probability as a prior worth ``weight`` cases, updated by the judged
    subject's own cases in its cell in the window: (own came true + weight p) / (own cases + weight)."""

    def probability(j: Judged) -> float | None:
        if j.probability is None:
            return None
        n, k = j.own[key]
        return (k + weight * j.probability) / (n + weight)

    return probability


def evidence(z: float, withhold: bool) -> Probability:
    """Where the cell's Wilson interval (z) in the window does not meet the band of the model's
    probability: the probability moved to the interval's nearer end (the neighbouring band the
    evidence reaches), or no word (``withhold``)."""

    def probability(j: Judged) -> float | None:
        if j.probability is None or not j.cell_cases:
            return j.probability
        low, high = cal.wilson(j.cell_true, j.cell_cases, z)
        band = cal.band_of(j.probability)
        band_low = 0.0 if band is cal.ICD203_BANDS[0] else band.low
        band_high = 1.0 if band is cal.ICD203_BANDS[-1] else band.high
        if low <= band_high and high >= band_low:
            return j.probability
        if withhold:
            return None
        return low if j.probability < low else high

    return probability


def brier_of(rows: Iterable[Judged], probability: Probability) -> float:
    total = count = 0.0
    for row in rows:
        p = probability(row)
        if p is None:
            continue
        total += (1 - p) ** 2 if row.came_true else p**2
        count += 1
    return total / count if count else 0.0


def learnt(make: Callable[[float], Probability], grid: Sequence[float], rows: list[Judged]) -> float:
    """The grid value with the lowest pooled Brier score on ``rows`` (ties: the first)."""
    return min(grid, key=lambda value: brier_of(rows, make(value)))


# ---------------------------------------------------------------------------------------------
# Running and printing


def group_of(name: str) -> str:
    return "generated 10k" if "10k" in name else "generated 100k" if "100k" in name else name


def show(label: str, results: Mapping[str, Result], baseline: Mapping[str, Result], note: str = "") -> dict[str, object]:
    tested = sum(r.tested for r in results.values())
    inside = sum(r.inside for r in results.values())
    met = sum(r.within_error for r in results.values())
    worded = sum(r.worded for r in results.values())
    total = sum(r.total for r in results.values())
    worse = [name for name, r in results.items() if r.brier is not None and r.persistence is not None and r.brier > r.persistence]
    up = [name for name, r in results.items() if r.brier is not None and (baseline[name].brier or 0) and r.brier > (baseline[name].brier or 0) * (1 + 1e-9)]
    down = [name for name, r in results.items() if r.brier is not None and (baseline[name].brier or 0) and r.brier < (baseline[name].brier or 0) * (1 - 1e-9)]
    print(
        f"\n== {label}{note}: bands inside {inside} of {tested}, within sampling error {met} of {tested}, coverage {worded / max(1, total):.1%}; "
        f"Brier up on {len(up)}, down on {len(down)} of {len(results)}; worse than persistence: {', '.join(worse) or 'none'}"
    )
    for name, r in results.items():
        if r.brier is None:
            print(f"   {name[:40]:<40} no word stated")
            continue
        before = baseline[name].brier
        change = f" ({(r.brier / before - 1) * 100:+.2f} %)" if before else ""
        flag = " WORSE" if r.persistence is not None and r.brier > r.persistence else ""
        print(
            f"   {name[:40]:<40} {r.inside}/{r.tested} (err {r.within_error}) cover {r.worded / max(1, r.total):.0%} "
            f"Brier {r.brier:.6f}{change} pers. {r.persistence:.6f}{flag}  {'; '.join(r.misses)}"
        )
    return {"label": label, "inside": inside, "tested": tested, "within_error": met, "coverage": worded / max(1, total), "up": up, "down": down, "worse": worse}


def diagnose(name: str, rows: list[Judged]) -> None:
    """Per band stated 30+ times and outside its range: the cells it was stated for."""
    by_band: dict[str, list[Judged]] = defaultdict(list)
    for j in rows:
        if j.probability is not None:
            by_band[cal.band_of(round(j.probability, 4)).word].append(j)
    for band in cal.ICD203_BANDS:
        cases = by_band.get(band.word, [])
        n, k = len(cases), sum(j.came_true for j in cases)
        if n < bench.MIN_TESTED or cal.inside(band, k / n):
            continue
        print(f"   {name}: {band.word} {n} cases, {cal.percent(k / n)}; by cell (cases, came true, mean stated, window's cell frequency):")
        cells: dict[cal.Cell, list[Judged]] = defaultdict(list)
        for j in cases:
            cells[j.cell].append(j)
        for cell, js in sorted(cells.items(), key=lambda item: -len(item[1])):
            mean = sum(j.probability or 0 for j in js) / len(js)
            window = sum(j.cell_true / j.cell_cases for j in js if j.cell_cases) / len(js)
            print(
                f"      {cell.score_class}/{cell.reached}: {len(js)}, {sum(j.came_true for j in js)} ({cal.percent(sum(j.came_true for j in js) / len(js))}), stated {mean:.1%}, cell {window:.1%}"
            )


FACTORS = [round(0.6 + 0.02 * i, 2) for i in range(26)]
SHARES = [round(0.05 * i, 2) for i in range(21)]
KNEE = _logit(0.8)


def learnt_maps(rows: list[Judged]) -> dict[str, float]:
    """What the variants that learn across histories learn from ``rows``."""
    rises = [j for j in rows if j.rises]
    stays = [j for j in rows if not j.rises]
    return {
        "floor": learnt(rise_floor, SHARES, rises),
        "floor cell": learnt(rise_floor_cell, SHARES, rises),
        "shrink": learnt(shrink, FACTORS, rows),
        "shrink rises": learnt(lambda f: shrink(f, stays=False), FACTORS, rises),
        "shrink stays": learnt(lambda f: shrink(f, rises=False), FACTORS, stays),
        "shrink tails": learnt(lambda f: shrink(f, knee=KNEE), FACTORS, rows),
    }


def variants(records: Mapping[str, list[Judged]], learn: Mapping[str, dict[str, float]]) -> list[tuple[str, dict[str, Probability]]]:
    """Every variant, per history its probability map; ``learn``: per history, what was learnt
    leaving out its group."""
    names = list(records)
    out: list[tuple[str, dict[str, Probability]]] = []
    for share in (0.25, 0.5, 0.75, 1.0):
        out.append((f"rise floor at {share:g} x the window's rise rate", {n: rise_floor(share) for n in names}))
    out.append(("rise floor, share learnt", {n: rise_floor(learn[n]["floor"]) for n in names}))
    for share in (0.5, 0.75):
        out.append((f"rise floor at {share:g} x the cell's window rise rate", {n: rise_floor_cell(share) for n in names}))
    out.append(("rise floor at the cell's rate, share learnt", {n: rise_floor_cell(learn[n]["floor cell"]) for n in names}))
    out.append(("logit shrink, factor learnt, every judgment", {n: shrink(learn[n]["shrink"]) for n in names}))
    out.append(
        (
            "logit shrink, factors learnt, rises and stays apart",
            {n: _apart(shrink(learn[n]["shrink rises"], stays=False), shrink(learn[n]["shrink stays"], rises=False)) for n in names},
        )
    )
    out.append(("logit shrink beyond 20-80 %, factor learnt", {n: shrink(learn[n]["shrink tails"], knee=KNEE) for n in names}))
    for key in ("stakeholder", "subject", "both"):
        for weight in (30.0, 100.0):
            out.append((f"pooled with the {key}'s own cell record, model worth {weight:g} cases", {n: pooled_with_own(key, weight) for n in names}))
    for z, withhold in ((1.96, False), (2.58, False), (1.96, True)):
        label = "no word" if withhold else "the neighbouring band the interval reaches"
        out.append((f"cell's Wilson interval (z {z:g}) must meet the band, else {label}", {n: evidence(z, withhold) for n in names}))
    return out


def _apart(rises: Probability, stays: Probability) -> Probability:
    return lambda j: rises(j) if j.rises else stays(j)


def run(label: str, records: Mapping[str, list[Judged]], learn: Mapping[str, dict[str, float]]) -> list[dict[str, object]]:
    baseline = {name: score(rows) for name, rows in records.items()}
    summaries = [show(f"{label}: the method as it is", baseline, baseline)]
    for name, rows in records.items():
        diagnose(name, rows)
    for name, values in learn.items():
        print(f"   learnt for {name}: " + ", ".join(f"{k} {v:g}" for k, v in values.items()))
    for variant, maps in variants(records, learn):
        results = {name: score(rows, maps[name]) for name, rows in records.items()}
        summaries.append(show(f"{label}: {variant}", results, baseline))
    return summaries


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
    development: dict[str, Source] = {}
    for size in [s for s in args.sizes.split(",") if s.strip()]:
        for seed in bench.SEEDS_DEVELOPMENT:
            name = f"generated {size} seed {seed}"
            found = load(name, generate.cached(generate.parse_size(size), seed), args.cache, rules, acled=False)
            if found is not None:
                development[name] = found
    for file in bench.ACLED_DEVELOPMENT:
        if (args.acled_dir / file).is_file():
            found = load(Path(file).stem, args.acled_dir / file, args.cache, rules, acled=True)
            if found is not None:
                development[found.name] = found
    records = {name: judged(source) for name, source in development.items()}
    print(f"development histories judged: {time.process_time() - started:.1f} s CPU")
    every = [j for rows in records.values() for j in rows]
    by_group = {g: learnt_maps([j for n, rows in records.items() if group_of(n) != g for j in rows]) for g in {group_of(n) for n in records}}
    run("development", records, {name: by_group[group_of(name)] for name in records})
    if args.check:
        checks: dict[str, list[Judged]] = {}
        for file in args.check:
            found = load(file.stem, file, args.cache, rules, acled=True)
            if found is not None:
                checks[found.name] = judged(found)
        learnt_all = learnt_maps(every)
        run("check", checks, dict.fromkeys(checks, learnt_all))
    print(f"\n{time.process_time() - started:.1f} s CPU in this process")
    return 0


__all__ = [
    "Judged",
    "Result",
    "Source",
    "evidence",
    "judged",
    "pooled_with_own",
    "rise_floor",
    "rise_floor_cell",
    "score",
    "shrink",
    "source_of",
    "within_error",
]

if __name__ == "__main__":
    sys.exit(main())
