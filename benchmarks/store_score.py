"""Uncached `riskengine score --store` over a store of generated events: CPU, wall time and peak
memory, optionally against another checkout of riskengine, run by run in turn, in one run.

Each run scores the week twice: cold (the weekly totals a store keeps between scores deleted
first: everything the week reads is scored), then again after a small ingest of new events in
that week (--late, as a weekly feed brings them), when the weeks before it are kept.

    python benchmarks/store_score.py                               # 100k events, 3 runs
    python benchmarks/store_score.py --before ../main --runs 5     # the same, against another checkout
    python benchmarks/store_score.py --postgres postgresql://postgres@/postgres?host=/tmp/pgsock

Each checkout ingests the events into a store of its own (in a temporary folder, or --keep DIR
to reuse them between runs of this script: ingest takes a while), since stores carry the
schema version of the code that made them. Every score runs as a fresh process under the same
Python, with PYTHONPATH set to the checkout; CPU is user + system time of that process
(os.wait4), memory its peak resident set. The reports of every run must be byte-identical:
the script fails otherwise. Events come from benchmarks/generate.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

NOW = "2025-07-07T06:00:00Z"


def run_timed(cmd: Sequence[str], checkout: Path) -> dict[str, float]:
    started = time.perf_counter()
    # In the checkout's folder: ``python -m`` puts the current folder first on sys.path, before PYTHONPATH.
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    proc = subprocess.Popen(cmd, env=env, cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode(errors='replace')}")
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "wall_s": wall, "peak_mb": usage.ru_maxrss / 1024}


def forget_weekly_totals(location: str) -> None:
    """Delete the weekly totals a store keeps between scores (none in a store without them)."""
    if location.startswith(("postgresql://", "postgres://")):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            found = conn.execute("SELECT to_regclass('period_totals')").fetchone()
            if found is not None and found[0] is not None:
                conn.execute("DELETE FROM period_totals")
        return
    with sqlite3.connect(location) as conn:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'period_totals'").fetchone():
            conn.execute("DELETE FROM period_totals")


def late_events(path: Path, week: str, count: int, run: int) -> Path:
    """``count`` generated events with new ids, dated in ``week``: what a weekly feed adds."""
    year, number = (int(part) for part in week.split("-W"))
    monday = dt.date.fromisocalendar(year, number, 1)
    with path.open("w", encoding="utf-8") as out:
        for i, event in enumerate(generate.generate(count, 100 + run)):
            event["event_id"] = f"LATE{run}-{i}"
            event["event_date"] = (monday + dt.timedelta(days=i % 7)).isoformat()
            if event.get("scheduled_date") and event["scheduled_date"] <= event["event_date"]:
                del event["scheduled_date"]
            out.write(json.dumps(event) + "\n")
    return path


def make_postgres_database(url: str, name: str) -> str:
    """A database of its own on the server at ``url`` (created empty if missing)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    base, _, query = url.partition("?")
    root = base.rsplit("/", 1)[0] if base.count("/") > 2 else base
    return f"{root}/{name}" + (f"?{query}" if query else "")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="100k", help="events in the store (default: %(default)s)")
    parser.add_argument("--week", default="2025-W27")
    parser.add_argument("--runs", type=int, default=3, help="score runs per checkout and store (default: %(default)s)")
    parser.add_argument("--before", type=Path, help="another checkout of riskengine to compare with (e.g. the main branch)")
    parser.add_argument("--after", type=Path, default=HERE.parent, help="the checkout measured (default: this one; give a frozen copy, e.g. from git archive, to edit this one meanwhile)")
    parser.add_argument("--postgres", metavar="URL", help="also a PostgreSQL server (a database per checkout is created on it)")
    parser.add_argument("--late", type=int, default=200, help="events added to the week between the two scores of a run (default: %(default)s)")
    parser.add_argument("--keep", type=Path, help="keep the stores in this folder and reuse them (runs add --late events to them)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    n = generate.parse_size(args.events)
    feed = generate.cached(n)
    checkouts = {"after": args.after.resolve()}
    if args.before:
        checkouts = {"before": args.before.resolve(), **checkouts}
    folder = (args.keep or Path(tempfile.mkdtemp(prefix="riskengine-store-score-"))).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    stores: dict[tuple[str, str], str] = {}
    ingest: dict[str, Any] = {}
    for label, checkout in checkouts.items():
        places = {"sqlite": str(folder / f"{label}-{n}.db")}
        if args.postgres:
            places["postgresql"] = make_postgres_database(args.postgres, f"riskengine_bench_{label}_{n}")
        for kind, location in places.items():
            stores[(label, kind)] = location
            marker = folder / f"{label}-{kind}-{n}.ingested"
            if not marker.exists():
                cmd = [sys.executable, "-m", "riskengine", "ingest", "--store", location, str(feed), "--now", NOW]
                ingest[f"{label}/{kind}"] = run_timed(cmd, checkout)
                marker.write_text("done\n")
    phases = ("cold", "after ingest")
    results: dict[tuple[str, str, str], list[dict[str, float]]] = {(*key, phase): [] for phase in phases for key in stores}
    reports: dict[tuple[str, int], set[bytes]] = {}
    for run in range(args.runs):
        late = late_events(folder / f"late-{os.getpid()}-{run}.jsonl", args.week, args.late, run)
        for (label, kind), location in stores.items():  # in turn, so load on the machine hits both alike
            forget_weekly_totals(location)
            for phase in phases:
                if phase == "after ingest":
                    run_timed([sys.executable, "-m", "riskengine", "ingest", "--store", location, str(late), "--now", NOW], checkouts[label])
                out = folder / f"report-{label}-{kind}.json"
                cmd = [sys.executable, "-m", "riskengine", "score", "--store", location, "--week", args.week, "--now", NOW, "-o", str(out)]
                results[(label, kind, phase)].append(run_timed(cmd, checkouts[label]))
                reports.setdefault((phase, run), set()).add(out.read_bytes())
    identical = all(len(found) == 1 for found in reports.values())
    summary: dict[str, Any] = {
        "events": n,
        "week": args.week,
        "runs": args.runs,
        "late_events_per_run": args.late,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "ingest": {k: {m: round(v, 2) for m, v in r.items()} for k, r in ingest.items()},
        "reports_identical": identical,
        "score": {},
    }
    print(f"{'checkout':<8} {'store':<10} {'score':<12} {'cpu s (median)':>14} {'wall s (median)':>15} {'peak MB':>8}  runs (cpu s)")
    for (label, kind, phase), runs in sorted(results.items(), key=lambda item: (phases.index(item[0][2]), item[0][1], item[0][0] != "before")):
        cpu = statistics.median(r["cpu_s"] for r in runs)
        wall = statistics.median(r["wall_s"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        summary["score"][f"{label}/{kind}/{phase}"] = {
            "cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "peak_mb": round(peak), "cpu_runs": [round(r["cpu_s"], 2) for r in runs],
        }  # fmt: skip
        each = ", ".join(f"{r['cpu_s']:.2f}" for r in runs)
        print(f"{label:<8} {kind:<10} {phase:<12} {cpu:>14.2f} {wall:>15.2f} {peak:>8.0f}  {each}")
    print(f"reports byte-identical across checkouts and stores, run by run: {identical}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
