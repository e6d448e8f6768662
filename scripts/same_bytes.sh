#!/usr/bin/env bash
# Same inputs, same bytes, on every supported Python: runs the same commands with two
# installations (e.g. Python 3.11's and 3.13's venvs) and compares what they write.
# Usage: scripts/same_bytes.sh BIN_A BIN_B
set -euo pipefail
a=$1 b=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() {
    local bin=$1 out=$2
    mkdir -p "$out"
    "$bin/python" --version > "$out/.python"
    "$bin/riskengine" brief --week 2025-W27 --stakeholder all --format all --out "$out/briefs" --now 2025-07-07T06:00:00Z > /dev/null
    "$bin/riskengine" score --week 2025-W27 --format json --now 2025-07-07T06:00:00Z > "$out/score.json"
    "$bin/python" benchmarks/generate.py 20000 --seed 11 -o "$out/feed.jsonl" > /dev/null
    "$bin/riskengine" backtest "$out/feed.jsonl" --from 2022-W08 --to 2025-W27 -o "$out/backtest.csv" > /dev/null
    rm "$out/feed.jsonl"
    # the extractor's learned detector sums float weights and takes numpy's exp: the two
    # installations' numpy versions may differ
    "$bin/riskengine" extract tests/extract/blind2*/*.txt -o "$out/extracted.jsonl" > /dev/null
}
run "$a" "$work/a"
run "$b" "$work/b"
if diff -r -x .python "$work/a" "$work/b" > "$work/diff"; then
    echo "same bytes: $(cat "$work/a/.python") and $(cat "$work/b/.python") wrote identical briefs, scores, backtest and extracted events"
else
    echo "different bytes between $(cat "$work/a/.python") and $(cat "$work/b/.python"):" >&2
    head -40 "$work/diff" >&2
    exit 1
fi
