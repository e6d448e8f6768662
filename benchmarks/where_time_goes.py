"""Where a one-process backtest spends its CPU time, stage by stage.

    python benchmarks/where_time_goes.py                       # the first 200,000 events of the 1M feed
    python benchmarks/where_time_goes.py --lines 100000 --repeat 5
    python benchmarks/where_time_goes.py --root /tmp/old-checkout   # the same for other code

Stages are timed by passes that each add one stage to the last (so no per-event timer distorts
them), over the same lines held in memory, fastest of ``--repeat``:

1. parse + validate: pydantic-core's ``validate_json`` of each line, nothing else;
2. read: what a backtest reads with: ``event_files.stream_light_events`` (FastEvents where
   sure, else Events) where the checkout has it, else ``stream_events`` (the fast path, the
   duplicate-key check, chunking);
3. read + prepare: ``reader.prepare`` on top (ordering, fact rows, scoring records);
4. the whole backtest (``backtest_files --workers 1``); with per-chunk timers around matching
   (``Matcher.feed_rows_by_rule``) and scoring (``Scorer.add``/``score``/``evict``/``totals_now``).

CPU seconds (``time.process_time``), so a loaded machine inflates them less than wall time; for
repeatable comparisons run the same under ``valgrind --tool=callgrind`` (instruction counts).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import itertools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

REPO = Path(__file__).resolve().parent.parent
FIRST, LAST = "2022-W08", "2025-W27"


def fastest(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """The least CPU time of ``repeat`` runs, with the cyclic collector paused as the backtest
    pauses it (``reader.collector_paused``): with it running, each pass would also pay for
    walking the lines held here."""
    best, value = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            value = run()
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", help="a JSON Lines feed (default: the cached 1M feed)")
    parser.add_argument("--lines", type=int, default=200_000, help="how many lines of it, from --skip on")
    parser.add_argument("--skip", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--root", default=str(REPO), help="the riskengine checkout to time")
    args = parser.parse_args(argv)
    sys.path.insert(0, args.root)
    from riskengine import api
    from riskengine.cli.backtest import render_csv
    from riskengine.core.events import Event
    from riskengine.core.windows import parse_week
    from riskengine.engine.durable import DurableMatcher
    from riskengine.ingest.event_files import stream_events

    try:  # the backtest's reader since FastEvent; older checkouts read Events
        from riskengine.ingest.event_files import stream_light_events as stream_read
    except ImportError:
        stream_read = stream_events
    from riskengine.scoring import backtest as bt
    from riskengine.scoring.reader import prepare
    from riskengine.scoring.scorer import Scorer

    feed = Path(args.feed) if args.feed else generate.cached(generate.parse_size("1m"))
    with open(feed, "rb") as source:
        lines = list(itertools.islice(source, args.skip, args.skip + args.lines))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "slice.jsonl"
        path.write_bytes(b"".join(lines))
        pack = api.load_rules()
        compiled = api.compile_pack(pack)
        first, last = parse_week(FIRST), parse_week(LAST)
        bounds = bt._bounds(compiled, pack, first, last, bt.DEFAULT_CHUNK_SIZE, bt.DEFAULT_REORDER_DAYS)
        validate = Event.__pydantic_validator__.validate_json

        def parse() -> int:
            return sum(1 for line in lines if validate(line))

        def read() -> int:
            return sum(map(len, stream_read([path])))

        def read_prepare() -> int:
            return sum(len(item.rows) for item in prepare(stream_read([path]), bounds, {"read": 0}))

        timers: dict[str, float] = {"match": 0.0, "score": 0.0}

        def timed(cls: Any, name: str, bucket: str) -> None:
            original = getattr(cls, name)

            def wrapper(*a: Any, **k: Any) -> Any:
                started = time.process_time()
                try:
                    return original(*a, **k)
                finally:
                    timers[bucket] += time.process_time() - started

            setattr(cls, name, wrapper)

        def whole() -> str:
            result = bt.backtest_files([path], first=first, last=last, workers=1, pack=pack, compiled=compiled)
            return hashlib.md5(render_csv(bt.to_csv_rows(result)).encode()).hexdigest()

        t_parse, _ = fastest(args.repeat, parse)
        t_read, n = fastest(args.repeat, read)
        t_prep, _ = fastest(args.repeat, read_prepare)
        t_whole, digest = fastest(args.repeat, whole)
        timed(DurableMatcher, "feed_rows_by_rule", "match")
        for name in ("add", "score", "evict", "totals_now"):
            timed(Scorer, name, "score")
        t_timed, _ = fastest(1, whole)
    per = 1e6 / n
    print(f"{n:,} events of {feed.name} (lines {args.skip:,}..), code {args.root}, fastest of {args.repeat}, CPU seconds (us per event)")
    print(f"  parse + validate (pydantic-core alone)  {t_parse:6.2f}  ({t_parse * per:5.1f})")
    print(f"  read ({stream_read.__name__:<20})       {t_read:6.2f}  ({t_read * per:5.1f})")
    print(f"  prepare (order, rows, records)          {t_prep - t_read:6.2f}  ({(t_prep - t_read) * per:5.1f})")
    print(f"  match + score                           {t_whole - t_prep:6.2f}  ({(t_whole - t_prep) * per:5.1f})")
    print(f"    of which matching (feed_rows_by_rule) {timers['match']:6.2f}  ({timers['match'] * per:5.1f})  [one timed run]")
    print(f"    of which scoring (Scorer)             {timers['score']:6.2f}  ({timers['score'] * per:5.1f})  [one timed run of {t_timed:.2f}]")
    print(f"  whole backtest                          {t_whole:6.2f}  ({t_whole * per:5.1f})   csv md5 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
