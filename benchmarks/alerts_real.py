"""How many alerts a year the alert rules raise on real event histories, with and without the
cool-down (is that a number an analyst would read?).

    python benchmarks/alerts_real.py FILE... [--rules DIR] [--json OUT]

Each FILE is an ACLED export (``.csv``, imported with ``riskengine import acled`` into a temporary
folder) or an events file. Every ISO week from the file's first event to its last is backtested
(``scoring.backtest.backtest_files``, the numbers ``riskengine score`` gives), and the alert rules
(``scoring.alerts.scan``: week t's alerts from the weeks up to t, as ``riskengine alerts --week``
computes them) run over the weekly series with each stakeholder's profile settings, then
with variants: no cool-down, a 12-week lookback, and a floor of "high". Printed per file and
stakeholder: alerts per year, split into class crossings and highest-in-N-weeks peaks, and the
share of weeks with at least one alert. Nothing fetched is written anywhere but a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from riskengine import api
from riskengine.core.windows import week_of
from riskengine.ingest.event_files import stream_events
from riskengine.rules.models import AlertSettings
from riskengine.scoring import alerts
from riskengine.scoring.backtest import StakeholderSeries, backtest_files


def events_file(path: Path, folder: Path) -> Path:
    if path.suffix.lower() != ".csv":
        return path
    out = folder / (path.stem + ".jsonl")
    subprocess.run(
        [sys.executable, "-m", "riskengine", "import", "acled", str(path), "-o", str(out), "--skip-invalid", "--rejects", str(folder / "rejects.jsonl")],
        check=True,
        capture_output=True,
    )
    return out


def span(path: Path) -> tuple[dt.date, dt.date]:
    days = [e.event_date for chunk in stream_events([path], skip_invalid=True) for e in chunk]
    return min(days), max(days)


def weeks_of(series: StakeholderSeries) -> list[alerts.WeekScores]:
    return [
        alerts.WeekScores(week=p.week, events=p.events, overall=p.score, dimensions={d.dimension: d.score for d in p.dimensions})
        for p in series.weeks
    ]


VARIANTS: dict[str, dict[str, Any]] = {
    "profile": {},
    "no cool-down": {"cooldown_weeks": 0},
    "N=12": {"peak_weeks": 12},
    "N=12, no cool-down": {"peak_weeks": 12, "cooldown_weeks": 0},
    "floor high": {"floor": "high"},
}


def measure(path: Path, pack: Any) -> dict[str, Any]:
    first, last = span(path)
    result = backtest_files([path], pack=pack, compiled=api.compile_pack(pack), first=week_of(first), last=week_of(last), skip_invalid=True)
    years = len(result.series[0].weeks) / (365.25 / 7)
    out: dict[str, Any] = {"file": path.name, "first": str(first), "last": str(last), "weeks": len(result.series[0].weeks), "stakeholders": {}}
    for series in result.series:
        profile = alerts.profile_of(pack, series.stakeholder)
        weeks = weeks_of(series)
        rows = {}
        for name, change in VARIANTS.items():
            settings = AlertSettings.model_validate({**profile.alerts.model_dump(), **change})
            rules = alerts.rules_of(profile, settings)
            found = alerts.scan(weeks, rules, stakeholder=series.stakeholder, subjects=alerts.subjects_of(profile), rule_pack=pack.version)
            crossings = sum(a.kind == "class_crossing" for a in found)
            rows[name] = {
                "alerts": len(found),
                "per_year": round(len(found) / years, 1),
                "crossings_per_year": round(crossings / years, 1),
                "peaks_per_year": round((len(found) - crossings) / years, 1),
                "overall_per_year": round(sum(a.subject == alerts.OVERALL for a in found) / years, 1),
                "weeks_with_alerts": round(len({a.week for a in found}) / len(weeks), 3),
            }
        out["stakeholders"][series.stakeholder] = rows
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--rules", type=Path, action="append")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    pack = api.load_rules(args.rules)
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in args.files:
            measured = measure(events_file(path, Path(tmp)), pack)
            measured["file"] = path.name
            figures.append(measured)
            print(f"\n{path.name}: {measured['first']} to {measured['last']}, {measured['weeks']} weeks")
            print(f"  {'stakeholder':<11} {'variant':<19} {'/year':>6} {'cross':>6} {'peak':>5} {'overall':>7} {'weeks%':>6}")
            for stakeholder, rows in measured["stakeholders"].items():
                for name, row in rows.items():
                    print(
                        f"  {stakeholder:<11} {name:<19} {row['per_year']:>6} {row['crossings_per_year']:>6} {row['peaks_per_year']:>5} "
                        f"{row['overall_per_year']:>7} {100 * row['weeks_with_alerts']:>5.1f}%"
                    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
