"""riskengine extract: events from article text (plain or Markdown, optional YAML front matter).

With --evaluate GOLD.yaml it prints precision, recall and F1 per field against hand annotations
instead of writing events.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from riskengine.cli.app import report_input_error
from riskengine.core.errors import InputError
from riskengine.core.fileio import write_all
from riskengine.ingest.extract.articles import extract_articles_report
from riskengine.ingest.extract.dedup import deduplicate
from riskengine.ingest.extract.evaluate import evaluate, load_metadata


def _days(text: str) -> int:
    # negative days made every report its own event without a word; argparse turns this into exit 2
    value = int(text)
    if not 0 <= value <= 3660:
        raise argparse.ArgumentTypeError(f"--window-days must be 0 to 3660, got {value}")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("extract", help="extract events from articles", description=__doc__)
    parser.add_argument("articles", nargs="+", metavar="ARTICLE", help="article files (.txt, .md)")
    parser.add_argument("-o", "--out", metavar="FILE", help="write events as JSON Lines to FILE (atomically) instead of standard output")
    parser.add_argument("--provenance", metavar="FILE", help="where each value came from, as JSON Lines (default with -o: FILE.provenance.jsonl)")
    parser.add_argument("--meta", metavar="FILE", help="YAML mapping article file name -> front matter, for articles without their own")
    parser.add_argument("--no-dedup", action="store_true", help="keep one event per article report instead of merging reports of the same event")
    parser.add_argument("--window-days", type=_days, default=2, metavar="N", help="reports up to N days apart can be the same event (default: %(default)s)")
    parser.add_argument("--skip-invalid", action="store_true", help="write the events of the good articles and exit 0 when some articles cannot be read (each problem is still listed)")
    parser.add_argument("--evaluate", metavar="GOLD", help="score the extraction against the gold annotations in GOLD (YAML) and print P/R/F1")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.articles]
    metadata = load_metadata(Path(args.meta)) if args.meta else None
    if args.evaluate:
        report = evaluate(Path(args.evaluate), paths, metadata)
        sys.stdout.write(report.render())
        return 0
    items, found = extract_articles_report(paths, metadata)
    for warning in (i for i in found if i.severity != "error"):
        print(warning.render(), file=sys.stderr)
    issues = [i for i in found if i.severity == "error"]
    if issues:
        # One bad article (no date, bad front matter) does not stop the others: every article
        # is extracted and every problem listed; without --skip-invalid nothing is written.
        bad = len({i.location.file for i in issues if i.location})
        error = InputError(issues, f"{bad} of {len(paths)} article(s) could not be extracted")
        if not args.skip_invalid:
            report_input_error(error)
            if len(paths) > bad:  # "0 event(s) from the other 0 article(s)" when every article was bad
                print(f"nothing written: {len(items)} event(s) from the other {len(paths) - bad} article(s) were extracted; --skip-invalid writes them", file=sys.stderr)
            else:
                print("nothing written", file=sys.stderr)
            return 1
        report_input_error(error)
    if not args.no_dedup:
        items = deduplicate(items, args.window_days)
    events = "".join(i.event.model_dump_json(exclude_none=True) + "\n" for i in items)
    provenance = "".join(json.dumps(i.provenance, ensure_ascii=False, sort_keys=True) + "\n" for i in items)
    prov_path = args.provenance or (f"{args.out}.provenance.jsonl" if args.out else None)
    if not args.out:
        sys.stdout.write(events)
    # both or neither: events without their provenance (or a stale one beside them) mislead
    write_all([(path, text) for path, text in ((args.out, events), (prov_path, provenance)) if path])
    skipped = len({i.location.file for i in issues if i.location})
    print(f"{len(items)} event(s) from {len(paths) - skipped} article(s)" + (f"; {skipped} article(s) skipped" if skipped else ""), file=sys.stderr)
    return 0
