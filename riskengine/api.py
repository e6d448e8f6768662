"""The typed Python API: what the CLI does, for embedding in other tools.

    from riskengine.api import load_rules, read_events, score, explain, render_brief
    pack = load_rules()                       # the bundled rule packs, or load_rules("my_rules/")
    events = read_events()                    # the bundled sample, or read_events("events.jsonl")
    report = score(events, rules=pack, window="2025-W27")   # events may also be plain dicts
    for c in explain(report, "ngo"):
        print(c.rule_id, c.event_ids, c.weighted_points, c.rule_file, c.rule_line)
    print(render_brief(report, "ngo", events, fmt="md"))

Paths may be one path (a string or a PathLike) or a list of them; a wrong kind of argument is a
TypeError naming what was expected, bad data a typed RiskEngineError with located issues.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

from riskengine.briefs.render import render_briefs
from riskengine.core.errors import InputError, Issue
from riskengine.core.events import Event
from riskengine.core.resources import default_rules_dir, sample_data_dir
from riskengine.core.windows import Window, parse_week
from riskengine.ingest import event_files as event_io
from riskengine.rules import loader
from riskengine.rules.compiler import compile_rules
from riskengine.rules.ir import CompiledRuleSet
from riskengine.rules.loader import RulePack
from riskengine.scoring.calibration import History, history_for_week
from riskengine.scoring.pipeline import HISTORY_WEEKS, Scored, contributions_by_event, fields_read_by, score_events
from riskengine.scoring.pipeline import score_files as _score_files
from riskengine.scoring.scores import Contribution, ScoreReport

StrPath = str | PathLike[str]
Paths = StrPath | Sequence[StrPath]
EventLike = Event | Mapping[str, Any]


def _paths(paths: Paths | None, what: str) -> list[Path] | None:
    """One path or a list of them as a list; None or empty as None. A string is one path: read
    as a sequence it was taken character by character, and "rules/" walked the whole disk."""
    if paths is None:
        return None
    if isinstance(paths, (str, PathLike)):
        return [Path(paths)]
    if isinstance(paths, (bytes, Mapping)) or not isinstance(paths, Sequence):
        raise TypeError(f"{what}: expected a path or a list of paths, got {type(paths).__name__}")
    chosen = []
    for item in paths:
        if not isinstance(item, (str, PathLike)):
            raise TypeError(f"{what}: expected a path or a list of paths, got a list holding {type(item).__name__}")
        chosen.append(Path(item))
    return chosen or None


def _events(events: Iterable[EventLike]) -> list[Event]:
    if isinstance(events, (str, bytes, PathLike, Mapping, Event)):
        raise TypeError(
            f"events: expected an iterable of events (Event objects or dicts), got {type(events).__name__}; "
            "read files with read_events(path) first"
        )
    items = list(events)
    for item in items:
        if not isinstance(item, (Event, Mapping)):
            raise TypeError(f"events: expected Event objects or dicts, got {type(item).__name__}")
    return event_io.events_from_mappings(items)


def load_rules(paths: Paths | None = None) -> RulePack:
    """Load and validate rule files or folders (default: the bundled packs); raises RuleError."""
    return loader.load_rules(_paths(paths, "load_rules") or [default_rules_dir()])


def sample_events_path() -> Path:
    return sample_data_dir() / "sample_events.yaml"


def read_events(paths: Paths | None = None, *, skip_invalid: bool = False, rejects: StrPath | None = None) -> list[Event]:
    """Read events from YAML, JSON or JSON Lines (default: the bundled sample); raises EventError."""
    return read_events_report(paths, skip_invalid=skip_invalid, rejects=rejects).events


def read_events_report(
    paths: Paths | None = None, *, skip_invalid: bool = False, rejects: StrPath | None = None
) -> event_io.EventRead:
    """Like ``read_events``, with the counts of rejected and replaced records."""
    chosen = _paths(paths, "read_events") or [sample_events_path()]
    return event_io.read_events(chosen, skip_invalid=skip_invalid, rejects_path=Path(rejects) if rejects else None)


_compiled_cache: dict[str, CompiledRuleSet] = {}


def compile_pack(pack: RulePack) -> CompiledRuleSet:
    compiled = _compiled_cache.get(pack.version)
    if compiled is None:
        compiled = _compiled_cache[pack.version] = compile_rules(pack)
    return compiled


def score(
    events: Iterable[EventLike],
    *,
    rules: RulePack | None = None,
    window: Window | str | None = None,
    stakeholders: Sequence[str] | None = None,
    history_weeks: int = HISTORY_WEEKS,
    engine: str = "durable",
    now: str | None = None,
) -> ScoreReport:
    """Score ``events`` (Events, or dicts validated like event files: EventError with every
    problem) for a window (an ISO week like "2025-W27", a Window, or the latest week)."""
    checked = _events(events)
    pack = _pack(rules)
    if isinstance(window, str):
        window = parse_week(window)
    return score_events(
        checked,
        pack,
        compile_pack(pack),
        window=window,
        stakeholders=stakeholders,
        history_weeks=history_weeks,
        engine=engine,
        now=now,
    )


def score_files(
    paths: Paths | None = None,
    *,
    rules: RulePack | None = None,
    window: Window | str | None = None,
    stakeholders: Sequence[str] | None = None,
    history_weeks: int = HISTORY_WEEKS,
    engine: str = "durable",
    now: str | None = None,
    skip_invalid: bool = False,
    rejects: StrPath | None = None,
) -> Scored:
    """``score`` over event files (default: the bundled sample), streamed in bounded memory:
    ``.report`` is what ``score`` gives, ``.events`` the events a brief of it reads, ``.read``
    what reading rejected or replaced."""
    pack = _pack(rules)
    if isinstance(window, str):
        window = parse_week(window)
    return _score_files(
        _paths(paths, "score_files"),
        pack,
        compile_pack(pack),
        window=window,
        stakeholders=stakeholders,
        history_weeks=history_weeks,
        engine=engine,
        now=now,
        skip_invalid=skip_invalid,
        rejects=Path(rejects) if rejects else None,
    )


def _pack(rules: RulePack | None) -> RulePack:
    if rules is None:
        return load_rules()
    if not isinstance(rules, RulePack):
        raise TypeError(f"rules: expected a RulePack from load_rules(), got {type(rules).__name__}")
    return rules


def explain(report: ScoreReport, stakeholder: str, event_id: str | None = None) -> list[Contribution]:
    """Every contribution behind a stakeholder's score (optionally those of one event)."""
    if not isinstance(report, ScoreReport):
        raise TypeError(f"report: expected the ScoreReport that score() returns, got {type(report).__name__}")
    return contributions_by_event(report, stakeholder, event_id)


def render_brief(
    report: ScoreReport,
    stakeholder: str,
    events: Iterable[EventLike],
    *,
    fmt: str = "md",
    templates_dir: StrPath | None = None,
    rules: RulePack | None = None,
    calibration: History | None = None,
) -> str:
    """The brief of one stakeholder of ``report`` as text (md, html or json). ``events`` must
    hold every event the report's contributions name (the ones it was scored from): without
    them ``build_context`` raises EventError rather than give a brief with no drivers. The
    likelihood words come from ``calibration`` (``scoring.calibration.read_calibration``), or
    else, as in ``riskengine brief``, from the events themselves scored with ``rules``, which
    should be the pack the report was scored with (default: the bundled packs): a driver shows a
    derived distance (to NATO territory, to the border, to the front) only when a rule that fired
    on it reads that field."""
    if not isinstance(report, ScoreReport):
        raise TypeError(f"report: expected the ScoreReport that score() returns, got {type(report).__name__}")
    checked = _events(events)
    wanted = {s.stakeholder for s in report.stakeholders}
    if stakeholder not in wanted:
        raise InputError([Issue("E404", f"stakeholder '{stakeholder}' is not in the report", hint=f"one of: {', '.join(sorted(wanted))}")])
    chosen = report.model_copy(update={"stakeholders": [s for s in report.stakeholders if s.stakeholder == stakeholder]})
    pack = _pack(rules)
    compiled = compile_pack(pack)
    if calibration is None:
        window = Window(report.window.start, report.window.end, report.window.label)
        calibration = history_for_week(checked, window, pack=pack, compiled=compiled)
    (brief,) = render_briefs(
        chosen,
        checked,
        formats=(fmt,),
        templates_dir=Path(templates_dir) if templates_dir is not None else None,
        calibration=calibration,
        fields_read=fields_read_by(compiled),
    )
    return brief.text


__all__ = [
    "EventLike", "Paths", "Scored", "compile_pack", "explain", "load_rules", "read_events", "read_events_report", "render_brief",
    "sample_events_path", "score", "score_files",
]
