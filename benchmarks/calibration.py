"""Are the briefs' likelihood words calibrated? Reliability and Brier score on long histories.

    python benchmarks/calibration.py                        # generated feeds + /work/acled-real
    python benchmarks/calibration.py --sizes 10k,100k --seeds 7,1 --acled FILE.csv ...   # seeds 1-3 count as development
    python benchmarks/calibration.py --json figures.json

For each history (a generated feed from ``generate.py``, or a real ACLED export imported with
``riskengine import acled`` into a temporary folder), backtest every week it spans, then judge
every week from the 52 weeks before it only, as its brief would have been
(``scoring.calibration.evaluate``), and print:

- the reliability table: per ICD 203 word, how many judgments stated it, how many came true,
  the observed frequency, its Wilson 95 % interval, and whether the frequency is inside the
  word's band (tested only for words stated 30 times or more: the target of issue 15);
- the Brier score of the frequencies behind the words against persistence ("next week's class
  = this week's": probability 1 that a score stays in its class or above, 0 that it rises out of
  the lowest), over the same cases;
- for comparison, the rule of thumb the briefs used before (next week's score normal around
  ``score + 0.5 * change`` with a spread of 2 points): its reliability and Brier score on every
  case, and on the cases the calibrated words covered.

Summary tables close the run, one for the development histories (the method was chosen on
them) and one for the check histories (run once it was fixed), each with the coverage: the share
of judgments that got a word. CPU time is the process's own (import subprocesses counted
apart). ACLED's terms forbid redistribution: imported files live in a temporary folder only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from statistics import NormalDist
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

from riskengine import api
from riskengine.core.windows import week_of
from riskengine.scoring import calibration as cal
from riskengine.scoring.backtest import backtest_files
from riskengine.scoring.scores import CLASSES

ACLED_DIR = Path("/work/acled-real")
# Exports with a year or more of weekly history (MANIFEST.md there); the others are a few weeks
# long, a column extract of unverified provenance, or empty.
# The method (model, features, penalty) was chosen on the development histories only: the
# generated feeds of seeds 1-3 and the exports below. The check histories (other regions and
# years, and seed 7) were run once the method was fixed, to see whether it holds elsewhere.
ACLED_DEVELOPMENT = (
    "zachessesjohnson_bangladesh.csv",
    "Carol0128_kenya.csv",
    "ElliottMess_burkina2020.csv",
    "aimeokoko_burkina.csv",
    "JoshMerfeld_benin.csv",
    "food-security-cluster-myanmar_erv.csv",
)
ACLED_CHECK = (
    "y5z2rmg7y8-bit_somalia.csv",
    "safaa-suliman_sudan.csv",
    "safaa-suliman_sudan2021.csv",
    "AC0519_mali.csv",
    "bridgetrkane_nigeria.json",
    "katehara_asia2015.csv",
    "pnf_ACLED.csv",
    "egm/Data/ACLED/UkraineACLED.csv",
    # Afghanistan, March 2020 (3 weeks): added as a check nobody had used, after the zero-rise
    # estimate was fixed; too short for a word, it checks that none is stated.
    "dkoban_ACLED.csv",
)
ACLED_DEFAULT = ACLED_DEVELOPMENT + ACLED_CHECK
SEEDS_DEVELOPMENT = (1, 2, 3)
MIN_TESTED = 30


def rule_of_thumb(case: cal.Case) -> float:
    """The probability the briefs' words came from before calibration (issue 15)."""
    floor = 0.0 if case.cell.target == CLASSES[0] else case.thresholds[CLASSES.index(case.cell.target) - 1]
    return NormalDist(0.0, 2.0).cdf(case.score + 0.5 * (case.score - case.previous) - floor)


def reliability(pairs: Sequence[tuple[float, bool]]) -> list[dict[str, Any]]:
    """Per band, the cases whose probability earned it and how many came true."""
    rows = {b.word: [0, 0] for b in cal.ICD203_BANDS}
    for p, true in pairs:
        row = rows[cal.band_of(p).word]
        row[0] += 1
        row[1] += true
    return [_row(b, *rows[b.word]) for b in cal.ICD203_BANDS]


def within_error(band: cal.Band, cases: int, came_true: int) -> bool | None:
    """Whether the Wilson 95 % interval of the observed frequency meets the band's range: the
    target read with sampling error, printed beside the target as written, never instead."""
    if not cases:
        return None
    low, high = cal.wilson(came_true, cases)
    band_low = 0.0 if band is cal.ICD203_BANDS[0] else band.low
    band_high = 1.0 if band is cal.ICD203_BANDS[-1] else band.high
    return low <= band_high and high >= band_low


def _row(band: cal.Band, cases: int, came_true: int) -> dict[str, Any]:
    observed = came_true / cases if cases else None
    low, high = cal.wilson(came_true, cases)
    return {
        "likelihood": band.word,
        "probability_range": band.probability_range,
        "cases": cases,
        "came_true": came_true,
        "observed": observed,
        "interval_95": [low, high] if cases else None,
        "inside": None if observed is None else cal.inside(band, observed),
        "within_error": within_error(band, cases, came_true),
        "tested": cases >= MIN_TESTED,
    }


def brier(pairs: Sequence[tuple[float, bool]]) -> float | None:
    return sum((p - true) ** 2 for p, true in pairs) / len(pairs) if pairs else None


def measure(name: str, paths: list[Path], pack: Any, compiled: Any, group: str) -> dict[str, Any]:
    started = time.process_time()
    span = cal.event_span(paths, skip_invalid=True)
    if span is None:
        raise RuntimeError("no events")
    first, last = week_of(span[0]), week_of(span[1])
    result = backtest_files(paths, pack=pack, compiled=compiled, first=first, last=last, skip_invalid=True, workers=1)
    history = cal.history_from_backtest(result, name)
    evaluation = cal.evaluate(history)
    cases = list(cal.cases_of(result))
    # The cases the calibrated words covered, to compare the old rule on the same ground.
    covered: set[tuple[int, cal.Profile]] = set()
    for week in sorted(history.counts):
        table = cal.table_at(history, week_of(dt.date.fromordinal(week)))
        covered.update((week, profile) for profile in history.profiles.get(week, {}) if table.judge(profile).calibrated)
    old_all = [(rule_of_thumb(c), c.came_true) for c in cases]
    old_covered = [(rule_of_thumb(c), c.came_true) for c in cases if (c.week, c.profile) in covered]
    persistence_all = [(0.0 if c.cell.rises else 1.0, c.came_true) for c in cases]
    rows = [_row(r.band, r.cases, r.came_true) for r in evaluation.rows]
    tested = [r for r in rows if r["tested"]]
    return {
        "history": name,
        "group": group,
        "from": history.first.label,
        "to": history.last.label,
        "weeks": history.weeks,
        "weeks_with_events": history.weeks - history.empty_weeks,
        "events": history.events,
        "cases": evaluation.cases,
        "calibrated_cases": evaluation.calibrated_cases,
        "reliability": rows,
        "bands_tested": len(tested),
        "bands_inside": sum(1 for r in tested if r["inside"]),
        "bands_within_error": sum(1 for r in tested if r["within_error"]),
        "brier": {
            "calibrated": evaluation.brier_calibrated,
            "persistence": evaluation.brier_persistence,
            "rule_of_thumb_same_cases": brier(old_covered),
            "rule_of_thumb_all_cases": brier(old_all),
            "persistence_all_cases": brier(persistence_all),
            "skill_vs_persistence": evaluation.skill,
        },
        "rule_of_thumb_reliability": reliability(old_all),
        "cpu_seconds": round(time.process_time() - started, 2),
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else cal.percent(value)


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def print_history(m: dict[str, Any]) -> None:
    print(f"\n== {m['history']}: {m['from']} to {m['to']}, {m['weeks']} weeks ({m['weeks_with_events']} with events), {m['events']:,} events")
    share = m["calibrated_cases"] / m["cases"] if m["cases"] else 0.0
    print(f"   {m['cases']:,} cases judged out of sample, {m['calibrated_cases']:,} given a word ({share:.0%}); {m['cpu_seconds']:.1f} s CPU")
    print(f"   {'likelihood':<20} {'stated':>8} {'cases':>7} {'true':>6} {'observed':>9} {'95 % interval':>13}  inside   | rule of thumb: cases, observed, inside")
    for new, old in zip(m["reliability"], m["rule_of_thumb_reliability"], strict=True):
        interval = "-" if new["interval_95"] is None else f"{round(new['interval_95'][0] * 100)}-{round(new['interval_95'][1] * 100)} %"
        verdict = "-" if new["inside"] is None else ("yes" if new["inside"] else "no~" if new["within_error"] else "NO") + ("" if new["tested"] else " (<30)")
        old_verdict = "-" if old["inside"] is None else ("yes" if old["inside"] else "NO") + ("" if old["tested"] else " (<30)")
        print(
            f"   {new['likelihood']:<20} {new['probability_range']:>8} {new['cases']:>7,} {new['came_true']:>6,} {_pct(new['observed']):>9} "
            f"{interval:>13}  {verdict:<8} | {old['cases']:>7,} {_pct(old['observed']):>8} {old_verdict}"
        )
    b = m["brier"]
    print(
        f"   Brier on the cases given a word: calibrated {_f(b['calibrated'])}, persistence {_f(b['persistence'])}, "
        f"rule of thumb {_f(b['rule_of_thumb_same_cases'])}; on every case: rule of thumb {_f(b['rule_of_thumb_all_cases'])}, "
        f"persistence {_f(b['persistence_all_cases'])}"
    )
    print(
        f"   bands stated 30+ times with the observed frequency inside: {m['bands_inside']} of {m['bands_tested']}; "
        f"within sampling error (its 95 % interval meets the band; no~ above): {m['bands_within_error']} of {m['bands_tested']}"
    )


def print_summary(all_results: list[dict[str, Any]]) -> None:
    for group in ("development", "check"):
        results = [m for m in all_results if m["group"] == group]
        if results:
            _print_group(group, results)


def _print_group(group: str, results: list[dict[str, Any]]) -> None:
    print(f"\n== Summary, {group} histories (out of sample; bands counted when stated 30+ times)")
    print(f"{'history':<42} {'weeks':>5} {'cases':>7} {'worded':>7} {'cover':>5} {'inside':>7} {'in err':>7} {'Brier cal':>9} {'persist':>8} {'skill':>7} {'thumb':>7}")
    for m in results:
        b = m["brier"]
        skill = "-" if b["skill_vs_persistence"] is None else f"{b['skill_vs_persistence'] * 100:+.0f} %"
        print(
            f"{m['history'][:42]:<42} {m['weeks']:>5} {m['cases']:>7,} {m['calibrated_cases']:>7,} "
            f"{(m['calibrated_cases'] / m['cases'] if m['cases'] else 0):>5.0%} "
            f"{str(m['bands_inside']) + '/' + str(m['bands_tested']):>7} {str(m['bands_within_error']) + '/' + str(m['bands_tested']):>7} "
            f"{_f(b['calibrated']):>9} {_f(b['persistence']):>8} {skill:>7} "
            f"{_f(b['rule_of_thumb_same_cases']):>7}"
        )
    tested = sum(m["bands_tested"] for m in results)
    inside = sum(m["bands_inside"] for m in results)
    met = sum(m["bands_within_error"] for m in results)
    worse = [m["history"] for m in results if m["brier"]["calibrated"] is not None and m["brier"]["calibrated"] > m["brier"]["persistence"]]
    cases = sum(m["cases"] for m in results)
    worded = sum(m["calibrated_cases"] for m in results)
    print(f"{group}: bands inside {inside} of {tested}, within sampling error {met} of {tested}; {worded:,} of {cases:,} cases given a word ({worded / cases if cases else 0:.0%}); Brier worse than persistence: {', '.join(worse) or 'none'}")


def import_acled(csv: Path, folder: Path) -> tuple[Path, float]:
    out = folder / (csv.stem + ".jsonl")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = [sys.executable, "-m", "riskengine", "import", "acled", str(csv), "-o", str(out), "--skip-invalid", "--rejects", str(folder / "rejects.jsonl")]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"import failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return out, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="generated feeds, comma-separated (default: %(default)s; empty for none)")
    parser.add_argument("--seeds", default="1,2,3,7", help="seeds of the generated feeds (default: %(default)s; 1-3 development, others check)")
    parser.add_argument("--acled", nargs="*", type=Path, help=f"ACLED exports (default: the long ones in {ACLED_DIR})")
    parser.add_argument("--rules", action="append", help="rule files or folders (default: the bundled packs)")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args(argv)
    pack = api.load_rules(args.rules)
    compiled = api.compile_pack(pack)
    print(f"rule pack {pack.version}; words from the {cal.WINDOW_WEEKS} weeks before each judged week, {cal.MIN_CASES} cases from {cal.MIN_WEEKS} weeks")
    results = []
    for size in [s for s in args.sizes.split(",") if s.strip()]:
        for seed in [int(s) for s in args.seeds.split(",")]:
            path = generate.cached(generate.parse_size(size), seed)
            group = "development" if seed in SEEDS_DEVELOPMENT else "check"
            results.append(measure(f"generated {size} seed {seed}", [path], pack, compiled, group))
            print_history(results[-1])
    csvs = args.acled if args.acled is not None else [ACLED_DIR / name for name in ACLED_DEFAULT if (ACLED_DIR / name).is_file()]
    with tempfile.TemporaryDirectory(prefix="calibration-acled-") as folder:
        for csv in csvs:
            try:
                jsonl, import_cpu = import_acled(csv, Path(folder))
                # Only the histories the method was chosen on are development; any other export
                # (one given with --acled, found after the method was fixed) is a check.
                group = "development" if any(str(csv).endswith(name) for name in ACLED_DEVELOPMENT) else "check"
                results.append(measure(f"ACLED {csv.stem}", [jsonl], pack, compiled, group))
            except RuntimeError as exc:
                print(f"\n== ACLED {csv.stem}: skipped ({exc})")
                continue
            results[-1]["import_cpu_seconds"] = round(import_cpu, 2)
            print_history(results[-1])
    print_summary(results)
    if args.json:
        args.json.write_text(json.dumps({"rule_pack": pack.version, "results": results}, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
