"""Load test of `riskengine serve` on loopback: ingest rate, score latency with 100,000 stored
events (uncached, cached, and while ingest runs), the server's CPU time and peak memory, and
kill -9 during ingest: every acknowledged event is there.

    python benchmarks/service_load.py                    # 100k events, a few minutes
    python benchmarks/service_load.py --events 20k --score-requests 50 --max-seconds 60

The server is started as a subprocess bound to 127.0.0.1 on a free port, with a fresh SQLite store
in a temporary folder; the load generator is a few threads with httpx clients. Every phase is
bounded by a request count and by --max-seconds. Events come from benchmarks/generate.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

HOST = "127.0.0.1"  # loopback only, always
TOKEN = "load-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.store = folder / "store.db"
        self.tokens = folder / "tokens"
        self.tokens.write_text(TOKEN + "\n")
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> None:
        port = free_port()
        self.url = f"http://{HOST}:{port}"
        cmd = [sys.executable, "-m", "riskengine", "serve", "--store", str(self.store), "--tokens", str(self.tokens),
               "--host", HOST, "--port", str(port), "--log", str(self.folder / "decisions.jsonl")]  # fmt: skip
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(self.folder / "server.err", "ab"))  # noqa: SIM115
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise SystemExit("server did not start; see " + str(self.folder / "server.err"))

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (Linux /proc)."""
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_mb(self) -> float:
        """Peak resident memory of the server process so far (VmHWM)."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()


def batches(lines: Sequence[str], size: int, prefix: str = "") -> list[bytes]:
    out = []
    for start in range(0, len(lines), size):
        part = lines[start : start + size]
        if prefix:
            part = [line.replace('"event_id":"', f'"event_id":"{prefix}', 1) for line in part]
        out.append(("[" + ",".join(part) + "]").encode())
    return out


def post_all(url: str, bodies: list[bytes], threads: int, deadline: float, acked: list[bytes] | None = None) -> tuple[int, int, float]:
    """POST bodies from ``threads`` clients until done or past ``deadline``; returns (events
    acknowledged, errors, seconds)."""
    lock = threading.Lock()
    todo = list(reversed(bodies))
    done = [0, 0]

    def work() -> None:
        with httpx.Client(timeout=120, headers={**AUTH, "Content-Type": "application/json"}) as client:
            while time.monotonic() < deadline:
                with lock:
                    if not todo:
                        return
                    body = todo.pop()
                try:
                    answer = client.post(url + "/events", content=body)
                except httpx.HTTPError:
                    with lock:
                        done[1] += 1
                    continue
                with lock:
                    if answer.status_code == 200:
                        done[0] += answer.json()["accepted"]
                        if acked is not None:
                            acked.append(body)
                    else:
                        done[1] += 1

    started = time.monotonic()
    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return done[0], done[1], time.monotonic() - started


def latencies(url: str, count: int, deadline: float, query: str | Sequence[str]) -> list[float]:
    """Latency (ms) of ``count`` score requests, the same query each time or one of ``query`` each."""
    queries = [query] * count if isinstance(query, str) else list(query)[:count]
    found = []
    # An uncached score takes seconds, more on a loaded machine: wait rather than count an error.
    with httpx.Client(timeout=900, headers=AUTH) as client:
        for q in queries:
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            answer = client.get(url + "/scores?" + q)
            answer.raise_for_status()
            found.append((time.perf_counter() - started) * 1000)
    return found


def week_events(week: str, count: int, round_: int) -> list[dict[str, Any]]:
    """``count`` generated events with new ids, dated in ``week``: what a feed update brings."""
    year, number = (int(part) for part in week.split("-W"))
    monday = dt.date.fromisocalendar(year, number, 1)
    out = []
    for i, event in enumerate(generate.generate(count, 1000 + round_)):
        event["event_id"] = f"WEEK{round_}-{i}"
        event["event_date"] = (monday + dt.timedelta(days=i % 7)).isoformat()
        if event.get("scheduled_date") and event["scheduled_date"] <= event["event_date"]:
            del event["scheduled_date"]
        out.append(event)
    return out


def uncached_weeks(last: str, count: int) -> list[str]:
    """``count`` ISO weeks ending with ``last``, latest first."""
    year, week = (int(part) for part in last.split("-W"))
    monday = dt.date.fromisocalendar(year, week, 1)
    out = []
    for n in range(count):
        iso = (monday - dt.timedelta(weeks=n)).isocalendar()
        out.append(f"{iso.year}-W{iso.week:02d}")
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, Any]:
    return {"requests": len(values), "p50_ms": round(statistics.median(values), 1), "p99_ms": round(pct(values, 99), 1), "max_ms": round(max(values), 1)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="100k", help="events to store first (default: %(default)s)")
    parser.add_argument("--batch", type=int, default=1000, help="events per POST (default: %(default)s)")
    parser.add_argument("--clients", type=int, default=2, help="concurrent ingest clients (default: %(default)s)")
    parser.add_argument("--score-requests", type=int, default=100, help="score requests per latency phase (default: %(default)s)")
    parser.add_argument("--uncached-requests", type=int, default=20, help="score requests for as many different weeks, none cached (default: %(default)s)")
    parser.add_argument("--after-ingest-requests", type=int, default=10, help="score requests each after a POST of new events of the week (default: %(default)s)")
    parser.add_argument("--after-ingest-batch", type=int, default=100, help="events in each of those POSTs (default: %(default)s)")
    parser.add_argument("--live-events", default="20k", help="events ingested while scoring (default: %(default)s)")
    parser.add_argument("--kill-events", default="20k", help="events posted in the kill -9 phase (default: %(default)s)")
    parser.add_argument("--max-seconds", type=float, default=120, help="bound on each phase (default: %(default)s)")
    parser.add_argument("--week", default="2025-W27")
    args = parser.parse_args(argv)
    n = generate.parse_size(args.events)
    lines = generate.cached(n).read_text(encoding="utf-8").splitlines()
    live_lines = generate.cached(generate.parse_size(args.live_events), seed=11).read_text(encoding="utf-8").splitlines()
    results: dict[str, Any] = {"events": n, "batch": args.batch, "clients": args.clients, "cpus": os.cpu_count(), "load_average_start": os.getloadavg()[0]}
    query = f"week={args.week}"
    with tempfile.TemporaryDirectory(prefix="riskengine-load-") as tmp:
        server = Server(Path(tmp))
        server.start()
        try:
            # 1. ingest rate into an empty store
            count, errors, seconds = post_all(server.url, batches(lines, args.batch), args.clients, time.monotonic() + args.max_seconds * 3)
            results["ingest"] = {"events": count, "errors": errors, "seconds": round(seconds, 2), "events_per_s": round(count / seconds)}
            # 2. score latency with the store full. Uncached: each request asks for a week not
            # asked before, an earlier one each time, so the server reads that week's look-back
            # from the store and scores all of it (the weekly totals it keeps lack the earliest
            # week each time); cached: the same question again, answered from the report cache
            # until data changes. The server's CPU time over a phase is the scoring's cost.
            weeks = [f"week={w}" for w in uncached_weeks(args.week, args.uncached_requests)]
            cpu_before = server.cpu_seconds()
            uncached = latencies(server.url, len(weeks), time.monotonic() + args.max_seconds * 3, weeks)
            cpu_used = server.cpu_seconds() - cpu_before
            results["score_uncached"] = summary(uncached) | {"server_cpu_s_per_request": round(cpu_used / max(1, len(uncached)), 2)}
            # Uncached after an ingest: a client posts a batch of new events of the week, then asks
            # for its scores (a dashboard after each feed update). The store keeps the weekly
            # totals of the weeks before, which no event changed: only the last weeks are scored.
            latencies(server.url, 1, time.monotonic() + args.max_seconds, query)
            after_ingest, cpu_used = [], 0.0
            with httpx.Client(timeout=120, headers={**AUTH, "Content-Type": "application/json"}) as client:
                for round_ in range(args.after_ingest_requests):
                    body = ("[" + ",".join(json.dumps(e) for e in week_events(args.week, args.after_ingest_batch, round_)) + "]").encode()
                    client.post(server.url + "/events", content=body).raise_for_status()
                    cpu_before = server.cpu_seconds()
                    after_ingest += latencies(server.url, 1, time.monotonic() + args.max_seconds, query)
                    cpu_used += server.cpu_seconds() - cpu_before
            results["score_uncached_after_ingest"] = summary(after_ingest) | {
                "events_posted_before_each": args.after_ingest_batch, "server_cpu_s_per_request": round(cpu_used / max(1, len(after_ingest)), 2),
            }  # fmt: skip
            latencies(server.url, 1, time.monotonic() + args.max_seconds, query)
            results["score_cached"] = summary(latencies(server.url, args.score_requests, time.monotonic() + args.max_seconds, query))
            results["server_peak_mb_after_scoring"] = round(server.peak_mb())
            # 3. the same while another client ingests new events: each batch changes the store,
            # so most of these requests score afresh
            live = batches(live_lines, args.batch, prefix="LIVE-")
            outcome: dict[str, Any] = {}
            ingest = threading.Thread(target=lambda: outcome.update(zip(("events", "errors", "seconds"), post_all(server.url, live, 1, time.monotonic() + args.max_seconds), strict=True)))
            ingest.start()
            during = latencies(server.url, args.score_requests, time.monotonic() + args.max_seconds, query)
            ingest.join()
            results["score_during_ingest"] = summary(during) | {"ingested_meanwhile": outcome.get("events"), "ingest_seconds": round(outcome.get("seconds", 0), 2)}
            # 4. kill -9 while clients post; restart; every acknowledged event must be there
            kill_lines = generate.cached(generate.parse_size(args.kill_events), seed=13).read_text(encoding="utf-8").splitlines()
            kill_batches = batches(kill_lines, args.batch // 4 or 1, prefix="KILL-")
            acked: list[bytes] = []
            poster = threading.Thread(target=post_all, args=(server.url, kill_batches, args.clients, time.monotonic() + args.max_seconds, acked))
            poster.start()
            while len(acked) < max(1, len(kill_batches) // 3) and poster.is_alive():
                time.sleep(0.01)
            server.kill9()
            poster.join()
            acked_ids = {e["event_id"] for body in acked for e in json.loads(body)}
            server.start()
            with sqlite3.connect(server.store) as db:
                stored = {row[0] for row in db.execute("SELECT event_id FROM events_latest WHERE event_id LIKE 'KILL-%'")}
            posted = {e["event_id"] for body in kill_batches for e in json.loads(body)}
            results["kill9"] = {
                "batches_posted": len(kill_batches),
                "acknowledged_events": len(acked_ids),
                "acknowledged_and_stored": len(acked_ids & stored),
                "lost_acknowledged": len(acked_ids - stored),
                "stored_not_acknowledged": len(stored - acked_ids),  # committed, the answer lost with the process
                "never_stored": len(posted - stored),
            }
            with httpx.Client(timeout=60, headers=AUTH) as client:
                results["events_after_restart"] = client.get(server.url + "/version").json()["events"]
        finally:
            server.stop()
    results["load_average_end"] = os.getloadavg()[0]
    print(json.dumps(results, indent=2))
    return 1 if results["kill9"]["lost_acknowledged"] else 0


if __name__ == "__main__":
    sys.exit(main())
