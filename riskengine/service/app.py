"""The HTTP JSON API: FastAPI over the store, the running rule pack and the scorer.

Every route but /health needs a bearer token. Every request is written to the decision log as one
JSON line: input hash, rule pack, result summary, latency (after OPA's decision logs). Client
mistakes are 4xx with the CLI's located messages; an event is acknowledged (200) only after the
transaction holding it has committed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from riskengine import __version__, api
from riskengine.briefs.render import build_context, render_brief
from riskengine.core.errors import EventError, InputError, Issue, Location, RiskEngineError
from riskengine.core.events import Event
from riskengine.core.windows import Window, parse_range, parse_week
from riskengine.ingest.event_files import stream_events
from riskengine.rules.compiler import compile_rules
from riskengine.rules.loader import load_rules_text
from riskengine.rules.models import STAKEHOLDERS
from riskengine.scoring.alerts import Alert, alerts_of
from riskengine.scoring.calibration import History
from riskengine.scoring.pipeline import Scored, score_dated
from riskengine.scoring.scores import ScoreReport
from riskengine.service.records import brief_record, since_last_week
from riskengine.service.state import Poller, RulesHolder, issue_json
from riskengine.service.webhooks import Deliverer, RetryPolicy
from riskengine.store.db import Store, sha256_text, utc_now
from riskengine.store.ingest import ingest_events

MAX_BODY_BYTES = 32 * 1024 * 1024
REPORT_CACHE_SIZE = 32
REQUEST_SOURCE = "request"  # the file name located messages give a request body
# Weeks 01-53; whether a year has a week 53 is checked by the scorer (E401, with the CLI's message).
WEEK_PATTERN = r"^(19|20)[0-9]{2}-W(0[1-9]|[1-4][0-9]|5[0-3])$"
DATE_PATTERN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MEDIA = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "json": "application/json"}

Stakeholder = Literal["investor", "government", "ngo", "analyst"]
assert set(Stakeholder.__args__) == set(STAKEHOLDERS), "the API's stakeholder list follows the rule models'"  # type: ignore[attr-defined]


@dataclass
class ServiceConfig:
    store: str
    tokens: Sequence[str]
    rules: Sequence[str] | None = None
    webhooks: Sequence[str] = ()
    webhook_secret: bytes = b""
    reload_interval: float = 2.0
    alert_interval: float = 30.0
    log_stream: IO[str] = field(default_factory=lambda: sys.stderr)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # the history the briefs' likelihood words come from (`riskengine calibrate -o FILE`); none:
    # every judgment says it is uncalibrated (calibrating per request costs tens of CPU-seconds)
    calibration: History | None = None
    # the countries every profile watches instead of its own (`serve --regions`)
    regions: Sequence[str] | None = None


class DecisionLog:
    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self._lock = threading.Lock()

    def __call__(self, entry: dict[str, Any]) -> None:
        line = json.dumps({"ts": utc_now(), **entry}, sort_keys=True, default=str)
        with self._lock:
            self.stream.write(line + "\n")
            self.stream.flush()


# -- response models (for the OpenAPI document)


class IssueOut(BaseModel):
    code: str
    severity: str
    message: str
    hint: str | None
    file: str | None
    line: int | None
    col: int | None
    path: str | None
    rendered: str = Field(description="The line the CLI prints: file:line:col: error[CODE] path: message (hint)")


class ErrorOut(BaseModel):
    error: str
    issues: list[IssueOut] = []


class IngestOut(BaseModel):
    accepted: int = Field(description="Valid events in the request, all committed")
    new: int
    revised: int
    unchanged: int
    rejected: int
    source_sha256: str


class RulesCheckOut(BaseModel):
    ok: bool
    rule_pack: str | None
    rules: int
    issues: list[IssueOut]


class AlertsOut(BaseModel):
    week: str
    alerts: list[Alert]  # the dataclass the alert rules make, as the response schema too


ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 422: {"model": ErrorOut}}


def _error(status: int, error: str, issues: Sequence[Issue] = ()) -> JSONResponse:
    return JSONResponse({"error": error, "issues": [issue_json(i) for i in issues]}, status_code=status)


class Service:
    """The service's state, shared by the routes and the background pollers."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.log = DecisionLog(config.log_stream)
        self.store = Store(config.store)
        self.rules = RulesHolder(config.rules, self.log, config.regions)
        self.tokens = [t for t in config.tokens if t]
        self.deliverer = Deliverer(self.store, config.webhooks, config.webhook_secret, policy=config.retry, log=self.log) if config.webhooks else None
        self.pollers: list[Poller] = []
        self._reports: OrderedDict[tuple[Any, ...], Scored] = OrderedDict()
        self._reports_lock = threading.Lock()

    def start(self) -> None:
        # New threads on every start: an ASGI server (or a test client) may run the lifespan
        # more than once for one application.
        self.stop_pollers()
        self.pollers = [Poller("rules_reload", self.config.reload_interval, self.rules.poll, self.log)]
        if self.deliverer is not None:
            self.pollers.append(Poller("alerts", self.config.alert_interval, self.deliver_alerts, self.log))
        for poller in self.pollers:
            poller.start()

    def stop_pollers(self) -> None:
        for poller in self.pollers:
            poller.stop()
        for poller in self.pollers:
            if poller.is_alive():
                poller.join(timeout=5)
        self.pollers = []

    def stop(self) -> None:
        self.stop_pollers()
        self.store.close()  # connections reopen on demand if the application is started again

    def token_ok(self, token: str | None) -> bool:
        if not token:
            return False
        given = token.encode("utf-8")
        # Compare with every token, always: how long a refusal takes says nothing about which
        # token came close.
        return any([hmac.compare_digest(given, t.encode("utf-8")) for t in self.tokens])  # noqa: C419 - a list on purpose: no short cut

    def report(self, window: Window | None, stakeholders: Sequence[str] | None) -> ScoreReport:
        return self.scored(window, stakeholders).report

    def scored(self, window: Window | None, stakeholders: Sequence[str] | None) -> Scored:
        """The score report and the events a brief of it reads, computed once per store state,
        rule pack, window and stakeholders: dashboards ask the same question many times between
        two ingests. A miss reads only the window's look-back from the store (``score_dated``)."""
        loaded = self.rules.current
        shape = (loaded.pack.version, (window.start, window.end, window.label) if window else None, tuple(stakeholders or ()))
        hit = self._cached((self.store.last_seq(), *shape))
        if hit is not None:
            return hit
        with self.store.snapshot() as snapshot:
            key = (snapshot.seq, *shape)  # the state actually read, should an ingest have committed since
            scored = self._cached(key) or score_dated(snapshot, loaded.pack, loaded.compiled, window=window, stakeholders=stakeholders, periods=snapshot)
        with self._reports_lock:
            self._reports[key] = scored
            self._reports.move_to_end(key)
            while len(self._reports) > REPORT_CACHE_SIZE:
                self._reports.popitem(last=False)
        return scored

    def _cached(self, key: tuple[Any, ...]) -> Scored | None:
        with self._reports_lock:
            hit = self._reports.get(key)
            if hit is not None:
                self._reports.move_to_end(key)
            return hit

    def deliver_alerts(self) -> dict[str, int]:
        if self.deliverer is None:
            return {}
        if self.store.event_count() == 0:
            return {}
        report = self.report(None, None)  # the latest week, from the report cache when it has it
        return self.deliverer.deliver(alerts_of(report))


def _window(week: str | None, date_from: str | None, date_to: str | None) -> Window | None:
    if week and (date_from or date_to):
        raise InputError([Issue("E805", "week cannot be combined with from/to", hint="give week, or from and to")])
    if bool(date_from) != bool(date_to):
        raise InputError([Issue("E805", "from and to go together", hint="give both dates, like from=2025-06-30&to=2025-07-06")])
    if week:
        return parse_week(week)
    if date_from and date_to:
        return parse_range(date_from, date_to)
    return None


def _relocate(issues: Sequence[Issue], temp: str, line_shift: int) -> list[Issue]:
    """Issues about the temporary file, pointed at the request body instead."""
    moved = []
    for issue in issues:
        loc = issue.location
        if loc.file == temp or not loc.file:
            line = max(1, loc.line - line_shift) if loc.line else 0
            loc = Location(REQUEST_SOURCE, line, loc.col, loc.yaml_path)
        message = issue.message.replace(temp, REQUEST_SOURCE)
        moved.append(Issue(issue.code, message, loc, issue.hint, issue.severity))
    return moved


def parse_events_body(body: bytes, content_type: str) -> list[Any]:
    """Validate a request body of events with the event file reader, so a client gets the very
    messages ``riskengine score`` prints for the same records. Returns chunks of events."""
    jsonl = "ndjson" in content_type or "jsonl" in content_type
    if not body.strip():  # the file reader takes an empty file as no events; a request means to send some
        raise EventError([Issue("E806", "the request body is empty", Location(REQUEST_SOURCE), hint="send an event, a list of events or {\"events\": [...]}")])
    line_shift = 0
    if not jsonl:
        try:
            parsed = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            parsed = None  # the reader reports where the syntax breaks
        if isinstance(parsed, dict) and "events" not in parsed:
            body = b"[\n" + body + b"\n]"  # one event: the reader wants a list
            line_shift = 1
    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl" if jsonl else ".json", delete=False) as handle:
        handle.write(body)
        temp = handle.name
    try:
        return list(stream_events([temp]))
    except EventError as error:
        raise EventError(_relocate(error.issues, temp, line_shift), error.summary) from None
    finally:
        os.unlink(temp)


def create_app(config: ServiceConfig) -> FastAPI:
    service = Service(config)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            service.stop()

    app = FastAPI(
        title="riskengine",
        version=__version__,
        description="Conflict events in; explainable stakeholder risk scores, briefs and alerts out. All routes but /health need a bearer token.",
        lifespan=lifespan,
    )
    app.state.service = service
    bearer = HTTPBearer(auto_error=False, description="One of the tokens in the file given to `riskengine serve --tokens`")

    def authorised(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:  # noqa: B008 - FastAPI's idiom
        token = credentials.credentials if credentials else None
        if not service.token_ok(token):
            raise _Unauthorised()
        request.state.client = hashlib.sha256(token.encode("utf-8")).hexdigest()[:8] if token else None

    class _Unauthorised(Exception):
        pass

    @app.exception_handler(_Unauthorised)
    async def unauthorised(_request: Request, _exc: _Unauthorised) -> JSONResponse:
        response = _error(401, "a bearer token is required (Authorization: Bearer TOKEN)")
        response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> JSONResponse:
        request.state.summary = {"error": exc.summary}
        return _error(422 if isinstance(exc, EventError) else 400, exc.summary, exc.issues)

    @app.exception_handler(RiskEngineError)
    async def engine_error(request: Request, exc: RiskEngineError) -> JSONResponse:
        request.state.summary = {"error": str(exc)}
        return _error(400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        issues = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()))
            issues.append(Issue("E806", str(e.get("msg", "invalid")), Location(REQUEST_SOURCE, 0, 0, where)))
        return _error(422, f"{len(issues)} problem(s) in the request", issues)

    @app.middleware("http")
    async def decision_log(request: Request, call_next: Callable[[Request], Any]) -> Response:
        started = time.perf_counter()
        try:
            response: Response = await call_next(request)
        except Exception as exc:  # noqa: BLE001 - logged with the request, then answered 500: a bug, never the client's doing
            response = _error(500, f"internal error: {type(exc).__name__}")
            request.state.summary = {"internal_error": f"{type(exc).__name__}: {exc}"}
        state = request.state
        query = str(request.url.query)
        input_hash = getattr(state, "input_sha256", None) or sha256_text(f"{request.method} {request.url.path}?{query}")
        service.log(
            {
                "event": "decision",
                "method": request.method,
                "path": request.url.path,
                "query": query,
                "status": response.status_code,
                "input_sha256": input_hash,
                "rule_pack": service.rules.current.pack.version,
                "result": getattr(state, "summary", None),
                "client": getattr(state, "client", None),
                "latency_ms": round((time.perf_counter() - started) * 1000, 3),
            }
        )
        return response

    guarded = [Depends(authorised)]

    @app.get("/health", tags=["service"])
    def health() -> dict[str, str]:
        """Liveness: no token needed."""
        return {"status": "ok"}

    @app.get("/version", tags=["service"], dependencies=guarded, responses=ERRORS)
    def version() -> dict[str, Any]:
        return {"version": __version__, "rule_pack": service.rules.current.pack.version, "store": service.store.dialect.name, "events": service.store.event_count()}

    @app.post(
        "/events",
        tags=["events"],
        dependencies=guarded,
        response_model=IngestOut,
        responses={**ERRORS, 413: {"model": ErrorOut}},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "anyOf": [
                                {"$ref": "#/components/schemas/Event"},
                                {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
                                {"type": "object", "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}, "required": ["events"]},
                            ]
                        }
                    },
                    "application/x-ndjson": {"schema": {"type": "string"}},
                },
            }
        },
    )
    async def post_events(request: Request) -> Any:
        """One event (an object), a batch (a list, or {"events": [...]}), or JSON Lines
        (Content-Type: application/x-ndjson). All or nothing: any invalid event rejects the request
        with every problem located; 200 means every event in it is committed."""
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return _error(413, f"request body over {MAX_BODY_BYTES} bytes; send smaller batches")
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _error(413, f"request body over {MAX_BODY_BYTES} bytes; send smaller batches")
        digest = hashlib.sha256(body).hexdigest()
        request.state.input_sha256 = digest

        def work() -> IngestOut:
            chunks = parse_events_body(body, request.headers.get("content-type", ""))
            accepted = sum(len(c) for c in chunks)
            counts = ingest_events(service.store, chunks, source=f"api:POST /events client={getattr(request.state, 'client', None)}", source_sha256=digest)
            return IngestOut(accepted=accepted, source_sha256=digest, **counts.as_dict())

        result = await run_in_threadpool(work)
        request.state.summary = result.model_dump()
        if service.deliverer is not None:
            for poller in service.pollers:
                if poller.name == "alerts":
                    poller.wake.set()
        return result

    @app.get("/scores", tags=["scores"], dependencies=guarded, response_model=None, responses={**ERRORS, 200: {"description": "A ScoreReport (riskengine schema output)"}})
    def scores(
        request: Request,
        week: str | None = Query(None, pattern=WEEK_PATTERN, description="ISO week, e.g. 2025-W27 (default: the week of the latest event)"),
        date_from: str | None = Query(None, alias="from", pattern=DATE_PATTERN, description="first day, with to"),
        date_to: str | None = Query(None, alias="to", pattern=DATE_PATTERN, description="last day, with from"),
        stakeholder: Stakeholder | None = Query(None, description="one stakeholder (default: all)"),  # noqa: B008 - FastAPI's idiom
    ) -> Any:
        report = service.report(_window(week, date_from, date_to), [stakeholder] if stakeholder else None)
        request.state.summary = {"window": report.window.label, "scores": {s.stakeholder: s.score for s in report.stakeholders}}
        return JSONResponse(report.model_dump(mode="json"))

    @app.get("/explain", tags=["scores"], dependencies=guarded, response_model=None, responses=ERRORS)
    def explain(
        request: Request,
        stakeholder: Stakeholder,
        week: str | None = Query(None, pattern=WEEK_PATTERN, description="ISO week (default: the week of the latest event)"),
        event: str | None = Query(None, description="only contributions involving this event id"),
    ) -> Any:
        report = service.report(_window(week, None, None), [stakeholder])
        contributions = api.explain(report, stakeholder, event)
        request.state.summary = {"window": report.window.label, "contributions": len(contributions)}
        return JSONResponse(
            {
                "schema_version": report.schema_version,
                "window": report.window.label,
                "stakeholder": stakeholder,
                "contributions": [c.model_dump(mode="json") for c in contributions],
            }
        )

    @app.get(
        "/briefs/{stakeholder}",
        tags=["briefs"],
        dependencies=guarded,
        response_model=None,
        responses={**ERRORS, 200: {"description": "The brief", "content": {"text/markdown": {}, "text/html": {}, "application/json": {}}}},
    )
    def brief(
        request: Request,
        stakeholder: Stakeholder,
        week: str | None = Query(None, pattern=WEEK_PATTERN, description="ISO week (default: the week of the latest event)"),
        format: Literal["md", "html", "json"] = Query("md"),
        publish: bool = Query(False, description="record the brief as published (riskengine history)"),
    ) -> Response:
        scored = service.scored(_window(week, None, None), [stakeholder])
        report = scored.report
        since = since_last_week(service.store, report)[stakeholder]
        context = build_context(report, stakeholder, scored.events, calibration=config.calibration, since=since, fields_read=scored.fields_read)
        text = render_brief(context, format)
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        if publish:
            service.store.record_briefs([brief_record(context, format, digest, len(data), "api")])
        request.state.summary = {"window": report.window.label, "format": format, "sha256": digest, "published": publish}
        return Response(data, media_type=MEDIA[format], headers={"X-Brief-Sha256": digest})

    @app.post(
        "/rules/check",
        tags=["rules"],
        dependencies=guarded,
        response_model=RulesCheckOut,
        responses=ERRORS,
        openapi_extra={"requestBody": {"required": True, "content": {"text/plain": {"schema": {"type": "string", "pattern": "\\S"}}, "application/yaml": {"schema": {"type": "string", "pattern": "\\S"}}}}},
    )
    async def rules_check(request: Request) -> RulesCheckOut:
        """Check one rule file given as YAML text, as `riskengine rules check` does; the issues
        are the answer (200), with ok false when there is any error."""
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _error(413, f"request body over {MAX_BODY_BYTES} bytes")  # type: ignore[return-value]
        request.state.input_sha256 = hashlib.sha256(body).hexdigest()
        if not body.strip():
            raise InputError([Issue("E806", "the request body is empty", Location(REQUEST_SOURCE), hint="send the YAML text of one rule file")])
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError([Issue("E105", f"rule text is not UTF-8 (byte {exc.start})", Location("rules.yaml"))]) from None

        def work() -> RulesCheckOut:
            try:
                pack = load_rules_text(text, "rules.yaml")
                compile_rules(pack)
            except InputError as error:
                return RulesCheckOut(ok=False, rule_pack=None, rules=0, issues=[IssueOut(**issue_json(i)) for i in error.issues])
            return RulesCheckOut(ok=True, rule_pack=pack.version, rules=len(pack.rules), issues=[])

        result = await run_in_threadpool(work)
        request.state.summary = {"ok": result.ok, "issues": len(result.issues)}
        return result

    @app.get("/rules/status", tags=["rules"], dependencies=guarded, responses=ERRORS)
    def rules_status() -> dict[str, Any]:
        """The running rule pack, and the last pack that failed to replace it (with its issues)."""
        return service.rules.status()

    @app.get("/alerts", tags=["alerts"], dependencies=guarded, response_model=AlertsOut, responses=ERRORS)
    def alerts(request: Request, week: str | None = Query(None, pattern=WEEK_PATTERN, description="ISO week (default: the week of the latest event)")) -> AlertsOut:
        """Stakeholders whose overall score crossed into a higher class than the week before."""
        report = service.report(_window(week, None, None), None)
        found = alerts_of(report)
        request.state.summary = {"window": report.window.label, "alerts": [a.id for a in found]}
        return AlertsOut(week=report.window.label, alerts=list(found))

    @app.get("/history", tags=["briefs"], dependencies=guarded, responses=ERRORS)
    def history(stakeholder: Stakeholder | None = None, week: str | None = Query(None, pattern=WEEK_PATTERN)) -> list[dict[str, Any]]:
        """Briefs published (recorded by `riskengine brief --store` or GET /briefs?publish=true)."""
        return [b.as_dict() for b in service.store.briefs(stakeholder=stakeholder, week=week)]

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            # The event model, as `riskengine schema events` gives it, for the request body of POST /events.
            event_schema = Event.model_json_schema(ref_template="#/components/schemas/{model}")
            components = document.setdefault("components", {}).setdefault("schemas", {})
            components.update(event_schema.pop("$defs", {}))
            components["Event"] = event_schema
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def read_tokens(path: str | os.PathLike[str]) -> list[str]:
    """Tokens, one a line; blank lines and lines starting with # are skipped."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


__all__ = ["MAX_BODY_BYTES", "Service", "ServiceConfig", "create_app", "parse_events_body", "read_tokens"]
