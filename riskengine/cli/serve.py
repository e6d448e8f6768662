"""riskengine serve: the HTTP JSON API over the event store (needs the [serve] extra).

Binds to 127.0.0.1 unless --host says otherwise. Every route but /health needs a bearer token
from --tokens FILE (one a line). Decision logs go to standard error, or --log FILE, as JSON lines.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from riskengine.cli.common import UsageError, add_regions_option
from riskengine.cli.stored import add_store_option, location_of
from riskengine.core.errors import Issue, Location, RiskEngineError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="serve scores, briefs, alerts and event ingest over HTTP", description=__doc__)
    add_store_option(parser)
    parser.add_argument("--rules", action="append", metavar="PATH", help="rule file or folder (repeatable; reloaded when changed); default: the bundled packs")
    parser.add_argument("--tokens", metavar="FILE", required=True, help="bearer tokens, one a line (# comments allowed)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s, loopback only)")
    parser.add_argument("--port", type=int, default=8087)
    parser.add_argument("--webhook", action="append", default=[], metavar="URL", help="send alerts to this URL (repeatable)")
    parser.add_argument("--webhook-secret-file", metavar="FILE", help="key for the X-Riskengine-Signature HMAC-SHA256 header (required with --webhook)")
    parser.add_argument("--log", metavar="FILE", help="append decision logs here instead of standard error")
    parser.add_argument("--reload-interval", type=float, default=2.0, help="seconds between checks of the rule files (default: %(default)s)")
    parser.add_argument(
        "--calibration", metavar="FILE",
        help="the history the briefs' likelihood words come from (riskengine calibrate --format json -o FILE); without it they state none",
    )
    parser.add_argument("--alert-interval", type=float, default=30.0, help="seconds between alert rounds (default: %(default)s); an ingest also starts one")
    add_regions_option(parser)
    parser.set_defaults(func=run)


def _read(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise RiskEngineError(f"cannot read {what} {path}: {error.strerror or error}") from None


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from riskengine.service.app import ServiceConfig, create_app
    except ImportError as error:
        raise RiskEngineError(f"riskengine serve needs FastAPI and uvicorn ({error.name} is missing): pip install 'riskengine[serve]'") from None
    location = location_of(args)
    if not location:
        raise UsageError("no store: give --store PATH or set RISKENGINE_STORE")
    tokens = [t.strip() for t in _read(args.tokens, "tokens file").splitlines() if t.strip() and not t.strip().startswith("#")]
    if not tokens:
        from riskengine.core.errors import InputError

        raise InputError([Issue("E804", "no token in the tokens file", Location(args.tokens))])
    secret = b""
    if args.webhook:
        if not args.webhook_secret_file:
            raise UsageError("--webhook needs --webhook-secret-file (alerts are signed)")
        secret = _read(args.webhook_secret_file, "webhook secret file").strip().encode("utf-8")
    history = None
    if args.calibration:
        from riskengine.scoring.calibration import read_calibration

        history = read_calibration(args.calibration)  # read once, before serving: a bad file is exit 1, not a 500 per brief
    log_stream = open(args.log, "a", encoding="utf-8") if args.log else sys.stderr  # noqa: SIM115 - open for the server's lifetime
    config = ServiceConfig(
        store=location,
        tokens=tokens,
        rules=args.rules,
        webhooks=args.webhook,
        webhook_secret=secret,
        reload_interval=args.reload_interval,
        alert_interval=args.alert_interval,
        log_stream=log_stream,
        calibration=history,
        regions=args.regions,
    )
    app = create_app(config)
    print(f"serving {location} on http://{args.host}:{args.port} (pid {os.getpid()}); OpenAPI at /openapi.json", file=sys.stderr, flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0
