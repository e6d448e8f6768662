"""riskengine history: the briefs published from the store (week, stakeholder, rule pack, score,
format, sha256 of the bytes sent), each with its change against the brief sent the week before."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from riskengine.cli.stored import add_store_option, require_store
from riskengine.rules.models import STAKEHOLDERS
from riskengine.store.db import BriefRecord


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("history", help="list the briefs published from the event store", description=__doc__)
    add_store_option(parser)
    parser.add_argument("--stakeholder", choices=STAKEHOLDERS)
    parser.add_argument("--week", metavar="YYYY-Www")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--deliveries", action="store_true", help="list alert deliveries to webhooks instead")
    parser.add_argument("--ingests", action="store_true", help="list ingested files instead")
    parser.set_defaults(func=run)


def since_sent(records: list[BriefRecord]) -> dict[int, tuple[str, float] | None]:
    """For each brief, the week and score of the latest brief sent for the same stakeholder for
    an earlier week: "since last week" as the readers saw it, not as rescored today."""
    out: dict[int, tuple[str, float] | None] = {}
    for r in records:
        earlier = [b for b in records if b.stakeholder == r.stakeholder and b.week < r.week]
        last = max(earlier, key=lambda b: (b.week, b.id)) if earlier else None
        out[r.id] = (last.week, last.score) if last else None
    return out


def run(args: argparse.Namespace) -> int:
    with require_store(args) as store:
        if args.deliveries or args.ingests:
            rows: list[dict[str, Any]] = store.deliveries() if args.deliveries else store.ingests()
            if args.format == "json":
                print(json.dumps(rows, indent=2, sort_keys=True))
            else:
                for row in rows:
                    print("  ".join(f"{k}={v}" for k, v in row.items()))
            return 0
        everything = store.briefs()
    before = since_sent(everything)
    chosen = [b for b in everything if (not args.stakeholder or b.stakeholder == args.stakeholder) and (not args.week or b.week == args.week)]
    if args.format == "json":
        payload = []
        for b in chosen:
            sent = before[b.id]
            payload.append({**b.as_dict(), "previous_sent": {"week": sent[0], "score": sent[1], "change": round(b.score - sent[1], 2)} if sent else None})
        print(json.dumps(payload, indent=2, sort_keys=True))
        return 0
    if not chosen:
        print("no briefs recorded yet (riskengine brief --store ... records each one it writes)", file=sys.stderr)
        return 0
    print(f"{'published':<20} {'week':<8} {'stakeholder':<11} {'fmt':<4} {'score':>5} {'class':<9} {'since sent':<17} {'rules':<12} sha256")
    for b in chosen:
        sent = before[b.id]
        change = f"{b.score - sent[1]:+.2f} vs {sent[0]}" if sent else "first"
        print(f"{b.published_at:<20} {b.week:<8} {b.stakeholder:<11} {b.format:<4} {b.score:>5.2f} {b.score_class:<9} {change:<17} {b.rule_pack:<12} {b.sha256[:16]}")
    return 0
