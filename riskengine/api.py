"""The typed Python API: what the CLI does, for embedding in other tools.

    from riskengine.api import load_rules, read_events, score, explain
    pack = load_rules()                       # the bundled rule packs
    events = read_events()                    # the bundled sample events
    report = score(events, rules=pack, window="2025-W27")
    for c in explain(report, "ngo"):
        print(c.rule_id, c.event_ids, c.weighted_points, c.rule_file, c.rule_line)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path

from riskengine.core.events import Event
from riskengine.core.resources import default_rules_dir, sample_data_dir
from riskengine.core.windows import Window, parse_week
from riskengine.ingest import event_files as event_io
from riskengine.rules import loader
from riskengine.rules.compiler import compile_rules
from riskengine.rules.ir import CompiledRuleSet
from riskengine.rules.loader import RulePack
from riskengine.scoring.pipeline import Scored, contributions_by_event, score_events
from riskengine.scoring.pipeline import score_files as _score_files
from riskengine.scoring.scores import Contribution, ScoreReport

StrPath = str | PathLike[str]


def load_rules(paths: Sequence[StrPath] | None = None) -> RulePack:
    """Load and validate rule files or folders (default: the bundled packs); raises RuleError."""
    chosen = [Path(p) for p in paths] if paths else [default_rules_dir()]
    return loader.load_rules(chosen)


def sample_events_path() -> Path:
    return sample_data_dir() / "sample_events.yaml"


def read_events(paths: Sequence[StrPath] | None = None, *, skip_invalid: bool = False, rejects: StrPath | None = None) -> list[Event]:
    """Read events from YAML, JSON or JSON Lines (default: the bundled sample); raises EventError."""
    return read_events_report(paths, skip_invalid=skip_invalid, rejects=rejects).events


def read_events_report(
    paths: Sequence[StrPath] | None = None, *, skip_invalid: bool = False, rejects: StrPath | None = None
) -> event_io.EventRead:
    """Like ``read_events``, with the counts of rejected and replaced records."""
    chosen = [Path(p) for p in paths] if paths else [sample_events_path()]
    return event_io.read_events(chosen, skip_invalid=skip_invalid, rejects_path=Path(rejects) if rejects else None)


_compiled_cache: dict[str, CompiledRuleSet] = {}


def compile_pack(pack: RulePack) -> CompiledRuleSet:
    compiled = _compiled_cache.get(pack.version)
    if compiled is None:
        compiled = _compiled_cache[pack.version] = compile_rules(pack)
    return compiled


def score(
    events: Iterable[Event],
    *,
    rules: RulePack | None = None,
    window: Window | str | None = None,
    stakeholders: Sequence[str] | None = None,
    history_weeks: int = 8,
    engine: str = "durable",
    now: str | None = None,
) -> ScoreReport:
    """Score ``events`` for a window (an ISO week like "2025-W27", a Window, or the latest week)."""
    pack = rules if rules is not None else load_rules()
    if isinstance(window, str):
        window = parse_week(window)
    return score_events(
        list(events),
        pack,
        compile_pack(pack),
        window=window,
        stakeholders=stakeholders,
        history_weeks=history_weeks,
        engine=engine,
        now=now,
    )


def score_files(
    paths: Sequence[StrPath] | None = None,
    *,
    rules: RulePack | None = None,
    window: Window | str | None = None,
    stakeholders: Sequence[str] | None = None,
    history_weeks: int = 8,
    engine: str = "durable",
    now: str | None = None,
    skip_invalid: bool = False,
    rejects: StrPath | None = None,
) -> Scored:
    """``score`` over event files (default: the bundled sample), streamed in bounded memory:
    ``.report`` is what ``score`` gives, ``.events`` the events a brief of it reads, ``.read``
    what reading rejected or replaced."""
    pack = rules if rules is not None else load_rules()
    if isinstance(window, str):
        window = parse_week(window)
    return _score_files(
        [Path(p) for p in paths] if paths else None,
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


def explain(report: ScoreReport, stakeholder: str, event_id: str | None = None) -> list[Contribution]:
    """Every contribution behind a stakeholder's score (optionally those of one event)."""
    return contributions_by_event(report, stakeholder, event_id)


__all__ = ["Scored", "compile_pack", "explain", "load_rules", "read_events", "read_events_report", "sample_events_path", "score", "score_files"]
