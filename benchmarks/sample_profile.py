"""Where a one-process backtest's CPU goes by Python function, by sampling: no tracer on every
call (cProfile inflates what is called per event), no tool to install (py-spy is not here).

    python benchmarks/sample_profile.py --feed first-200k.jsonl          # this checkout
    PYTHONPATH=/tmp/old python benchmarks/sample_profile.py --feed ...   # another

Every ``--interval`` seconds of the process's CPU time (SIGPROF) the running Python frame is
noted: self time by function and by line (the line being run, the C it calls included), and
inclusive time by function (every function on the stack, once per sample). Shares of all
samples; the run is ``backtest_files --workers 1`` over the shipped packs, start-up apart.
"""

from __future__ import annotations

import argparse
import collections
import os
import signal
import sys
from types import FrameType

FIRST, LAST = "2022-W08", "2025-W27"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", required=True, help="a JSON Lines feed (cut it first for a part of one)")
    parser.add_argument("--interval", type=float, default=0.002, help="seconds of CPU between samples")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)

    from riskengine import api
    from riskengine.core.windows import parse_week
    from riskengine.scoring import backtest as bt

    pack = api.load_rules()
    compiled = api.compile_pack(pack)
    own: collections.Counter[str] = collections.Counter()
    within: collections.Counter[str] = collections.Counter()
    lines: collections.Counter[str] = collections.Counter()
    samples = 0

    def sample(signum: int, frame: FrameType | None) -> None:
        nonlocal samples
        samples += 1
        seen: set[str] = set()
        first = True
        while frame is not None:
            name = f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_code.co_name}"
            if first:
                own[name] += 1
                lines[f"{name}:{frame.f_lineno}"] += 1
                first = False
            if name not in seen:
                within[name] += 1
                seen.add(name)
            frame = frame.f_back

    signal.signal(signal.SIGPROF, sample)
    signal.setitimer(signal.ITIMER_PROF, args.interval, args.interval)
    try:
        bt.backtest_files([args.feed], first=parse_week(FIRST), last=parse_week(LAST), workers=1, pack=pack, compiled=compiled)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
    print(f"{samples} samples, one every {args.interval * 1000:g} ms of CPU")
    for title, counts in (("self", own), ("inclusive", within), ("lines", lines)):
        print(f"--- {title}")
        for name, count in counts.most_common(args.top):
            print(f"{count / max(samples, 1) * 100:5.1f} %  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
