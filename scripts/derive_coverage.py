"""How many events of each ACLED export get each derived field, and how long it takes.

    python scripts/derive_coverage.py EXPORT.csv... [--sample N --seed S]

Rows are converted by the importer (with its call to enrich_event switched off), then the fields
this layer derives are cleared from the importer's own output (its side, interception and
NATO-distance shortcuts), so the counts say what ``enrich_event`` fills on its own. Inter codes
reach enrich_event through the importer's ``actor2_type:`` tags. ``--sample`` prints N random (notes, derived) pairs across the
files for a precision check by reading.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import riskengine.ingest.acled.importer as importer
from riskengine.core.events import Event
from riskengine.ingest.derive import enrich_event

CLEARED = ("initiator_side", "target_side", "distance_to_nato_km", "drones_launched", "drones_intercepted", "missiles_launched", "missiles_intercepted")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    importer.enrich_event = None  # type: ignore[attr-defined]
    pool = []
    for path in args.files:
        counts: Counter[str] = Counter()
        events = 0
        spent = 0.0
        out, rejects = io.StringIO(), io.StringIO()
        result = importer.import_acled(path, out, skip_invalid=True, rejects=rejects)
        for line in out.getvalue().splitlines():
            event = Event.model_validate(json.loads(line)).model_copy(update=dict.fromkeys(CLEARED))
            start = time.process_time()
            enriched = enrich_event(event)
            spent += time.process_time() - start
            events += 1
            for d in enriched.derived:
                counts[f"tag {d.value}" if d.field == "tags" else d.field] += 1
            if enriched.notes:
                pool.append((path.name, enriched))
        print(f"== {path} : {events} events ({result.rejected} rows rejected), enrich {spent:.2f} s CPU ({spent / max(events, 1) * 1e6:.0f} us/event)")
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"   {name:32} {n:6}  {n / max(events, 1):6.1%}")
    if args.sample:
        rng = random.Random(args.seed)
        for name, event in rng.sample(pool, min(args.sample, len(pool))):
            print(f"\n--- {name} {event.event_id} | {event.actor1} | {event.actor2}\n{event.notes}")
            for d in event.derived:
                print(f"   {d.field} = {d.value!r}   [{d.method}] {d.evidence[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
