"""The naive durable-rules baseline of benchmarks/naive_ratio.py counts the firings a backtest
counts, so the CPU ratio it prints compares the same work. Until session 19 it counted every
tuple of the ``once_per`` rules where the backtest counts one per last event (the 100k feed:
746,435 against 468,160), and printed "FIRINGS DIFFER" beside the ratio."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from riskengine import api
from riskengine.core.windows import parse_week
from riskengine.ingest.event_files import stream_events
from riskengine.scoring.backtest import run_backtest
from riskengine.scoring.facts import fact_of

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # the benchmark's realistic feed
from naive_durable import NaiveDurable


# durable's stock host (the naive way) calls datetime.utcfromtimestamp for every fact, which
# Python 3.12+ deprecates: 12,386 warnings on 3.13; riskengine's own adapter does not use it
@pytest.mark.filterwarnings("ignore:datetime.datetime.utcfromtimestamp:DeprecationWarning")
def test_naive_baseline_counts_the_backtests_firings(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    records = generate.generate(600, seed=3, first_day=dt.date(2025, 3, 1), last_day=dt.date(2025, 6, 30))
    feed.write_text("".join(json.dumps(record) + "\n" for record in records))
    pack = api.load_rules()
    compiled = api.compile_pack(pack)
    naive = NaiveDurable(compiled)
    for chunk in stream_events([feed]):
        naive.feed(fact_of(e, compiled.fields) for e in chunk)
    seen: list[tuple[str, tuple[str, ...]]] = []
    result = run_backtest(
        stream_events([feed]), pack, compiled, first=parse_week("2025-W09"), last=parse_week("2025-W27"),
        observer=lambda rule_id, ids: seen.append((rule_id, tuple(ids))),
    )
    counted = sorted((f.rule_id, f.event_ids) for f in naive.counted())
    assert len(naive.firings) > len(counted)  # the feed has places struck more than twice
    assert counted == sorted(seen)
    assert len(counted) == result.firings
