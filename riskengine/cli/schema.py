"""riskengine schema: print the JSON Schema of event files, rule files or score output."""

from __future__ import annotations

import argparse
import importlib.util
import json
from typing import Any

from riskengine import schemas
from riskengine.core.errors import RiskEngineError
from riskengine.core.fileio import write_atomic


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kinds = ["events", "rules"]
    # The output schema comes from riskengine.scoring.scores; without it the choice is not offered.
    if importlib.util.find_spec("riskengine.scoring.scores") is not None:
        kinds.append("output")
    parser = subparsers.add_parser("schema", help="print a JSON Schema", description=__doc__)
    parser.add_argument("kind", choices=kinds, help="events: an event file; rules: a rule file; output: score --format json")
    parser.add_argument("--record", action="store_true", help="events: the schema of one event (a JSON Lines record)")
    parser.add_argument("-o", "--out", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    schema: dict[str, Any] | None
    if args.kind == "events":
        schema = schemas.event_schema() if args.record else schemas.events_file_schema()
    elif args.kind == "rules":
        schema = schemas.rules_schema()
    else:
        schema = schemas.output_schema()
        if schema is None:
            raise RiskEngineError("the output schema is not available: riskengine.scoring.scores has no ScoreReport")
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        write_atomic(args.out, text)
    else:
        print(text, end="")
    return 0
