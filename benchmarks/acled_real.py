"""How well the rule packs read real ACLED exports: does a score move with what ACLED records?

    python benchmarks/acled_real.py FILE.csv... [--rules DIR] [--json OUT] [--points]

For each export: import it with ``riskengine import acled`` (the CLI, so the importer's own
output step runs, history context included), backtest every ISO week it spans with the Python
API (``scoring.backtest.run_backtest``, one process, an observer seeing every firing), and print
per stakeholder:

- ``fire%``: the share of events that are a leg of at least one firing of the stakeholder's rules;
- ``distinct``: how many different weekly scores there are (1 = the score says nothing);
- Spearman rank correlations (average ranks for ties) of the weekly score with weekly
  fatalities (``rho_fat``), weekly events targeting civilians (Violence against civilians or
  civilian_targeting; ``rho_civ``) and weekly strikes plus battles (Explosions/Remote violence
  and Battles events; ``rho_sb``);
- ``top10>med``: how many of the 10 deadliest weeks score above the file's median week;
- the rules with the largest shares of the stakeholder's weighted points.

``--points`` also prints, per stakeholder and dimension, percentiles of the weekly weighted
points P before saturation (the data behind the saturation proposal in docs/RULES.md);
``--by-rule STAKEHOLDER`` prints, per rule of that stakeholder, its share of the weighted points,
the Spearman of its own weekly contribution with weekly fatalities and the Spearman the score would
have without it (why a file's correlation is low: which rules score weeks without deaths); and
``--json`` writes every figure. After the files, a table of issue #13's targets per file: rows
imported or rejected, stakeholders whose weekly score is constant, the NGO's Spearman with weekly
fatalities (files of 20 weeks or more), the NGO's deadliest weeks above the median week, the
analyst's Spearman with weekly strikes and battles. Nothing fetched is written anywhere but a
temporary folder.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from riskengine import api
from riskengine.core.events import Event
from riskengine.core.windows import week_of
from riskengine.scoring.backtest import run_backtest
from riskengine.scoring.scores import rule_points, saturation_for, source_weight

_IMPORT_SUMMARY = re.compile(
    r"(?P<rows>\d+) row\(s\) read: (?P<imported>\d+) event\(s\) imported, (?P<merged>\d+) actor row\(s\) merged into their event, "
    r"(?P<replaced>\d+) older revision\(s\) replaced, (?P<rejected>\d+) rejected"
)


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties given the average of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson correlation of the average ranks; None when either series is constant."""
    if len(x) != len(y) or len(x) < 3:
        return None
    rx, ry = ranks(x), ranks(y)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def import_counts(stderr: str) -> dict[str, int] | None:
    """The importer's closing line as numbers: every row read is imported, merged into its event
    (one row per actor), replaced by a newer revision of itself, or rejected with a reason."""
    found = _IMPORT_SUMMARY.search(stderr)
    return {k: int(v) for k, v in found.groupdict().items()} if found else None


def import_file(csv_path: Path, workdir: Path, counts: dict[str, int] | None = None) -> Path:
    out = workdir / (csv_path.stem + ".jsonl")
    rejects = workdir / (csv_path.stem + ".rejects.jsonl")
    if out.exists():
        out.unlink()
    cmd = [sys.executable, "-m", "riskengine", "import", "acled", str(csv_path), "-o", str(out), "--skip-invalid", "--rejects", str(rejects)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"import failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    print(f"  import: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'ok'}", file=sys.stderr)
    if counts is not None:
        counts.update(import_counts(done.stderr) or {})
    return out


def _ensure_history(events: list[Event]) -> list[Event]:
    """Older importers did not add the history context; add it here so the rules can be judged."""
    try:
        from riskengine.ingest.history import add_history_context
    except ImportError:
        return events
    if events and all(getattr(e, "country_fatalities_30d", None) is None for e in events):
        print("  note: the importer did not add history context; adding it here", file=sys.stderr)
        return add_history_context(events)
    return events


def evaluate(csv_path: Path, pack, workdir: Path, top_rules: int = 4) -> dict:
    counts: dict[str, int] = {}
    jsonl = import_file(csv_path, workdir, counts)
    events = api.read_events([jsonl], skip_invalid=True)
    events = _ensure_history(events)
    events.sort(key=lambda e: (e.event_date, e.event_id))
    if not events:
        raise RuntimeError("no events imported")
    first, last = week_of(events[0].event_date), week_of(events[-1].event_date)
    compiled = api.compile_pack(pack)
    rules = {r.id: r for r in pack.rules}
    by_id = {e.event_id: e for e in events}
    firings: list[tuple[str, tuple[str, ...]]] = []
    chunks = [events[i : i + 5000] for i in range(0, len(events), 5000)]
    result = run_backtest(chunks, pack, compiled, first=first, last=last, workers=1, observer=lambda r, ids: firings.append((r, ids)))

    weeks = [w.week for w in result.series[0].weeks]
    fat, civ, sb, n_events = Counter(), Counter(), Counter(), Counter()
    for e in events:
        w = week_of(e.event_date).label
        n_events[w] += 1
        fat[w] += e.fatalities
        if e.event_type == "Violence against civilians" or e.civilian_targeting:
            civ[w] += 1
        if e.event_type in ("Explosions/Remote violence", "Battles"):
            sb[w] += 1

    fired_events: dict[str, set[str]] = defaultdict(set)
    rule_share: dict[str, Counter] = defaultdict(Counter)
    # Per stakeholder, week and rule: the rule's part of the weighted mean the overall score
    # saturates (sum over dimensions of w_d P_d / s_d, over sum w_d), signed by its effect; the
    # score is a monotone map of the week's total, so these parts explain its ranks.
    rule_week: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for rule_id, ids in firings:
        rule = rules[rule_id]
        legs = [by_id[i] for i in ids]
        leg_names = [leg.as_ for leg in rule.sequence] if rule.sequence else ["event"]
        completing = max(legs, key=lambda e: (e.event_date, e.event_id))
        if completing.event_date < first.start:
            continue
        points = rule_points(rule.points, legs, leg_names) * min(source_weight(e) for e in legs)
        week = week_of(completing.event_date).label
        sign = -1.0 if rule.effect == "lowers" else 1.0
        for s in rule.stakeholders:
            fired_events[s].update(ids)
            rule_share[s][rule_id] += points
            profile = pack.profiles.get(s)
            if profile is not None and sum(profile.dimension_weights.values()) > 0:
                weight = profile.dimension_weights.get(rule.dimension, 0.0) / sum(profile.dimension_weights.values())
                rule_week[s][week][rule_id] += sign * points * weight / saturation_for(profile.saturation, rule.dimension)

    deadliest = sorted(weeks, key=lambda w: (-fat[w], w))[:10]
    report: dict = {"file": str(csv_path), "import": counts, "events": len(events), "weeks": len(weeks), "first": first.label, "last": last.label,
                    "fatalities": sum(fat.values()), "stakeholders": {},
                    # the weekly series the correlations use, to try saturation values offline
                    "weekly": {"week": weeks, "fatalities": [fat[w] for w in weeks], "civilian_targeting": [civ[w] for w in weeks],
                               "strikes_battles": [sb[w] for w in weeks]}}
    for series in result.series:
        s = series.stakeholder
        scores = [w.score for w in series.weeks]
        median = statistics.median(scores)
        by_week = dict(zip(weeks, scores, strict=False))
        total = sum(rule_share[s].values()) or 1.0
        points_by_dim: dict[str, list[float]] = defaultdict(list)
        for w in series.weeks:
            for d in w.dimensions:
                points_by_dim[d.dimension].append(d.weighted_points)
        report["stakeholders"][s] = {
            "fire_share": len(fired_events[s]) / len(events),
            "distinct": len(set(scores)),
            "rho_fat": spearman(scores, [fat[w] for w in weeks]),
            "rho_civ": spearman(scores, [civ[w] for w in weeks]),
            "rho_sb": spearman(scores, [sb[w] for w in weeks]),
            "top10_above_median": sum(1 for w in deadliest if by_week[w] > median),
            "min": min(scores), "median": median, "max": max(scores),
            "top_rules": [(r, round(p / total, 3)) for r, p in rule_share[s].most_common(top_rules)],
            "weekly_points": {d: v for d, v in points_by_dim.items() if any(v)},
            "by_rule": _by_rule(weeks, [fat[w] for w in weeks], rule_week[s]),
        }
    return report


def _by_rule(weeks: list[str], fatalities: list[int], parts: dict[str, Counter]) -> list[dict]:
    """Per rule: share of the stakeholder's weighted mean, Spearman of its weekly part with weekly
    fatalities, and Spearman of the total without it."""
    total = [sum(parts[w].values()) for w in weeks]
    overall: Counter = Counter()
    for w in weeks:
        overall.update(parts[w])
    whole = sum(abs(v) for v in overall.values()) or 1.0
    rows = []
    for rule_id, value in sorted(overall.items(), key=lambda kv: (-abs(kv[1]), kv[0])):
        own = [parts[w][rule_id] for w in weeks]
        rows.append({"rule": rule_id, "share": abs(value) / whole, "weeks": sum(1 for v in own if v),
                     "rho_fat": spearman(own, fatalities), "rho_fat_without": spearman([t - o for t, o in zip(total, own, strict=True)], fatalities)})
    return rows


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:+.2f}"


def print_report(rep: dict, show_points: bool) -> None:
    print(f"\n{rep['file']}: {rep['events']} events, {rep['weeks']} weeks {rep['first']}..{rep['last']}, {rep['fatalities']} fatalities")
    print(f"  {'stakeholder':<11} {'fire%':>6} {'distinct':>8} {'rho_fat':>7} {'rho_civ':>7} {'rho_sb':>7} {'top10>med':>9} {'min/med/max':>17}  top rules by share of points")
    for s, r in rep["stakeholders"].items():
        tops = ", ".join(f"{rid} {share:.0%}" for rid, share in r["top_rules"])
        print(f"  {s:<11} {r['fire_share']:6.1%} {r['distinct']:8d} {_fmt(r['rho_fat']):>7} {_fmt(r['rho_civ']):>7} {_fmt(r['rho_sb']):>7} "
              f"{r['top10_above_median']:>9} {r['min']:5.2f}/{r['median']:5.2f}/{r['max']:5.2f}  {tops}")
    if show_points:
        print("  weekly weighted points P before saturation (p50 / p90 / max):")
        for s, r in rep["stakeholders"].items():
            parts = [f"{d} {percentile(v, .5):.1f}/{percentile(v, .9):.1f}/{max(v):.1f}" for d, v in sorted(r["weekly_points"].items())]
            print(f"    {s:<11} " + "; ".join(parts))


def print_by_rule(rep: dict, stakeholder: str, limit: int = 12) -> None:
    r = rep["stakeholders"].get(stakeholder)
    if r is None:
        return
    print(f"  {stakeholder} by rule: {'share':>6} {'weeks':>5} {'rho_fat':>7} {'rho_fat without':>15}")
    for row in r["by_rule"][:limit]:
        print(f"    {row['rule']:<36} {row['share']:6.1%} {row['weeks']:5d} {_fmt(row['rho_fat']):>7} {_fmt(row['rho_fat_without']):>15}")


def targets(rep: dict) -> dict:
    """Issue #13's targets for one file (None where a target does not apply)."""
    counts = rep.get("import") or {}
    rows = counts.get("rows") or 0
    accounted = sum(counts.get(k, 0) for k in ("imported", "merged", "replaced", "rejected"))
    stakeholders = rep["stakeholders"]
    ngo, analyst = stakeholders.get("ngo", {}), stakeholders.get("analyst", {})
    return {
        "rows": rows,
        "imported_share": (counts.get("imported", 0) + counts.get("merged", 0) + counts.get("replaced", 0)) / rows if rows else None,
        "all_rows_accounted": accounted == rows if rows else None,
        "constant": sorted(s for s, r in stakeholders.items() if r["distinct"] <= 1),
        "ngo_rho_fat": ngo.get("rho_fat") if rep["weeks"] >= 20 else None,
        "ngo_top10": ngo.get("top10_above_median") if rep["weeks"] >= 10 else None,
        "analyst_rho_sb": analyst.get("rho_sb"),
    }


def print_targets(reports: list[dict]) -> None:
    print("\ntargets (issue #13): imported >= 98 %, no constant score, NGO rho_fat >= 0.6 (20+ weeks), "
          "NGO top10>med >= 8, analyst rho_sb >= 0.6 in a war")
    print(f"  {'file':<44} {'rows':>6} {'imported':>8} {'weeks':>5} {'constant':>9} {'ngo rho_fat':>11} {'ngo top10':>9} {'ana rho_sb':>10}")
    for rep in reports:
        t = targets(rep)
        share = "-" if t["imported_share"] is None else f"{t['imported_share']:.1%}"
        top10 = "-" if t["ngo_top10"] is None else str(t["ngo_top10"])
        print(f"  {Path(rep['file']).name[:44]:<44} {t['rows']:>6} {share:>8} {rep['weeks']:>5} {','.join(t['constant']) or '-':>9} "
              f"{_fmt(t['ngo_rho_fat']):>11} {top10:>9} {_fmt(t['analyst_rho_sb']):>10}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", metavar="FILE.csv")
    parser.add_argument("--rules", action="append", metavar="DIR", help="rule files or folders (default: the bundled packs)")
    parser.add_argument("--json", metavar="OUT", help="write every figure as JSON")
    parser.add_argument("--points", action="store_true", help="print percentiles of weekly points per dimension")
    parser.add_argument("--by-rule", metavar="STAKEHOLDER", help="print each rule's share and what it does to the Spearman with fatalities")
    args = parser.parse_args(argv)
    pack = api.load_rules(args.rules)
    reports = []
    with tempfile.TemporaryDirectory(prefix="acled_real_") as tmp:
        for name in args.files:
            print(f"{name}:", file=sys.stderr)
            try:
                rep = evaluate(Path(name), pack, Path(tmp))
            except Exception as error:  # noqa: BLE001 - one bad export must not hide the others
                print(f"\n{name}: skipped: {error}")
                continue
            reports.append(rep)
            print_report(rep, args.points)
            if args.by_rule:
                print_by_rule(rep, args.by_rule)
    print_targets(reports)
    if args.json:
        Path(args.json).write_text(json.dumps(reports, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
