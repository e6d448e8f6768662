"""Instructions a one-process backtest executes, counted by valgrind's callgrind: a figure a
loaded machine does not change, for comparing two checkouts side by side.

    python benchmarks/instructions.py                          # first 20,000 lines of the 100k feed, this checkout
    python benchmarks/instructions.py --root /tmp/old-checkout --root .   # two checkouts, one after the other
    python benchmarks/instructions.py --lines 10000 --feed my.jsonl
    python benchmarks/instructions.py --root /tmp/old --root . --partitioned 3000000   # the Dask tasks, 3 MB blocks
    python benchmarks/instructions.py --lines 10000 --stages   # also the reader alone, and the reader with prepare

For each checkout two programs run under ``valgrind --tool=callgrind``: one that only imports
riskengine and loads and compiles the shipped packs (start-up), and one that does the same and
then backtests the lines (``backtest_files --workers 1``). The difference is the backtest's
count; the CSV's MD5 is printed with it, which must be the same for every checkout. Under
callgrind a program runs some 50 times slower: 20,000 events take a few minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

REPO = Path(__file__).resolve().parent.parent
FIRST, LAST = "2022-W08", "2025-W27"

PROGRAM = """
import hashlib, sys
sys.path.insert(0, {root!r})
from riskengine import api
try:
    from riskengine.cli.backtest import render_csv
    from riskengine.core.windows import parse_week
    from riskengine.scoring import backtest as bt
except ImportError:  # a checkout from before the stage layout (session 5 and earlier)
    from riskengine.commands.backtest import render_csv
    from riskengine.windows import parse_week
    from riskengine import backtest as bt
pack = api.load_rules()
compiled = api.compile_pack(pack)
if {run!r} and {block_bytes!r}:
    from riskengine.scoring.partition import split_input
    result = bt.backtest_partitioned_here(split_input([{feed!r}], {block_bytes!r}), pack, compiled, first=parse_week({first!r}), last=parse_week({last!r}))
    print(hashlib.md5(render_csv(bt.to_csv_rows(result)).encode()).hexdigest())
elif {run!r} in ("read", "prepare"):
    # a stage alone: the reader's events (read), or those ordered and made rows and records (prepare)
    from riskengine.ingest.event_files import ReadReport
    from riskengine.scoring.reader import prepare, read_chunks
    bounds = bt._bounds(compiled, pack, parse_week({first!r}), parse_week({last!r}), bt.DEFAULT_CHUNK_SIZE, bt.DEFAULT_REORDER_DAYS)
    chunks = read_chunks([{feed!r}], bounds, skip_invalid=False, rejects=None, report=ReadReport())
    count = 0
    for item in (chunks if {run!r} == "read" else prepare(chunks, bounds, {{"read": 0}})):
        count += len(item) if {run!r} == "read" else len(item.records)
    print(count)
elif {run!r}:
    try:
        result = bt.backtest_files([{feed!r}], first=parse_week({first!r}), last=parse_week({last!r}), workers=1, pack=pack, compiled=compiled)
    except TypeError:  # an older backtest_files loads the packs itself (counted in the backtest then)
        result = bt.backtest_files([{feed!r}], first=parse_week({first!r}), last=parse_week({last!r}), workers=1)
    print(hashlib.md5(render_csv(bt.to_csv_rows(result)).encode()).hexdigest())
"""


def instructions(root: str, feed: str, run: bool | str, folder: str, block_bytes: int | None = None) -> tuple[int, str]:
    """Instructions callgrind counted for the program, and what it printed."""
    out = os.path.join(folder, f"callgrind-{Path(root).name}-{hashlib.md5(root.encode()).hexdigest()[:8]}-{run if isinstance(run, str) else 'backtest' if run else 'startup'}.out")
    program = PROGRAM.format(root=root, run=run, feed=feed, first=FIRST, last=LAST, block_bytes=block_bytes)
    env = {**os.environ, "PYTHONPATH": root, "PYTHONHASHSEED": "0"}
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c", program]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"callgrind failed for {root}:\n{done.stderr[-3000:]}")
    text = Path(out).read_text(encoding="utf-8", errors="replace")
    found = re.search(r"^(?:summary|totals): (\d+)", text, re.MULTILINE)
    if found is None:
        raise SystemExit(f"no instruction total in {out}")
    return int(found.group(1)), done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", help="a JSON Lines feed (default: the cached 100k feed)")
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--root", action="append", help="a riskengine checkout (repeat for several; default this one)")
    parser.add_argument(
        "--partitioned",
        type=int,
        metavar="BLOCK_BYTES",
        help="count the Dask backtest's tasks instead (read_block and score_partition run in this process, "
        "partition.run_here), the input cut into blocks of BLOCK_BYTES: what two workers execute, without Dask",
    )
    parser.add_argument(
        "--stages",
        action="store_true",
        help="also count the reader alone (read: stream_light_events) and the reader with reader.prepare (prepare), "
        "each less start-up: match and score is the backtest less prepare",
    )
    parser.add_argument("--keep", help="keep callgrind's output files in this folder (for callgrind_annotate)")
    args = parser.parse_args(argv)
    feed = Path(args.feed) if args.feed else generate.cached(generate.parse_size("100k"))
    roots = [str(Path(r).resolve()) for r in (args.root or [str(REPO)])]
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or scratch
        os.makedirs(folder, exist_ok=True)
        sliced = os.path.join(folder, "slice.jsonl")
        with open(feed, "rb") as source, open(sliced, "wb") as out:
            out.writelines(itertools.islice(source, args.lines))
        print(f"first {args.lines:,} lines of {feed.name}, instructions (callgrind Ir)")
        for root in roots:
            start, _ = instructions(root, sliced, False, folder)
            total, digest = instructions(root, sliced, True, folder, args.partitioned)
            backtest = total - start
            print(f"  {root}: start-up {start / 1e9:7.3f} G, backtest {backtest / 1e9:7.3f} G ({backtest / args.lines:,.0f} per event), csv md5 {digest}")
            if args.stages:
                for stage in ("read", "prepare"):
                    count, _ = instructions(root, sliced, stage, folder)
                    print(f"    {stage:8s} {(count - start) / 1e9:7.3f} G ({(count - start) / args.lines:,.0f} per event)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
