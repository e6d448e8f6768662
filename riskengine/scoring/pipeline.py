"""Events -> facts -> firings -> contributions -> scores.

The steps the API and the CLI share. Matching streams in chunks; scoring a window keeps only the
events that window (and its history, and the pattern windows reaching back from it) can use.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from riskengine.core.errors import InputError, Issue
from riskengine.core.events import FIELDS, Event, FieldKind
from riskengine.rules.ir import CompiledRule, CompiledRuleSet, Firing, encode_value
from riskengine.rules.loader import RulePack
from riskengine.core.resources import display_path
from riskengine.rules.models import STAKEHOLDERS, Profile, Rule
from riskengine.core.sandbox import render_text
from riskengine.scoring.scores import (
    Contribution,
    RulePackInfo,
    ScoreReport,
    SourceOut,
    rule_points,
    source_weight,
    stakeholder_score,
    window_out,
)
from riskengine.core.windows import Window, week_of

STAKEHOLDER_TITLES: dict[str, str] = {
    "investor": "International investors and businesses",
    "government": "Governments and diplomatic entities",
    "ngo": "Humanitarian organisations",
    "analyst": "Military analysts and strategists",
}


def fact_of(event: Event, fields: Sequence[str]) -> dict[str, Any]:
    """The engine fact for one event: only the fields the rules read."""
    return projector(tuple(fields))(event)


_AS_STORED = (FieldKind.STRING, FieldKind.NUMBER, FieldKind.BOOLEAN)


@functools.lru_cache(maxsize=32)
def projector(fields: tuple[str, ...]) -> Callable[[Event], dict[str, Any]]:
    """``fact_of`` for one field list, with the per-field lookups done once.

    A backtest projects every event of a feed; going through FIELDS and ``project`` for each
    field of each event cost more than validating the event. The fact is the same as
    ``ir.project`` of the field values (checked by tests/test_pipeline.py): None left out,
    dates as ordinal days, lists copied with dates inside them encoded.
    """
    # Fields whose stored value goes into the fact as it is (text, numbers, booleans) are
    # copied by one comprehension; dates, lists and derived fields take the slower steps.
    plain = tuple(
        name for name in fields for spec in (FIELDS.get(name),) if spec is not None and spec.derive is None and spec.kind in _AS_STORED
    )
    steps = [(name, spec.derive if spec is not None else None) for name in fields if name not in plain for spec in (FIELDS.get(name),)]
    date = dt.date

    def fact(event: Event) -> dict[str, Any]:
        stored = event.__dict__
        out = {name: value for name in plain if (value := stored.get(name)) is not None}
        for name, derive in steps:
            value = stored.get(name) if derive is None else derive(event)
            if value is None:
                continue
            kind = value.__class__
            if kind is date:
                value = value.toordinal()
            elif kind is list or kind is tuple:
                value = encode_value(value)
            out[name] = value
        return out

    return fact


@functools.lru_cache(maxsize=32)
def row_projector(fields: tuple[str, ...]) -> tuple[tuple[str, ...], Callable[[Event], tuple[Any, ...]]]:
    """The facts of ``projector`` as rows: the field names in row order, and the function that
    gives an event's values in that order, None where the fact leaves a field out.

    A backtest sends a million facts from its reader process to the matching one: a row is
    built with one C call for the fields stored as they are, pickles without keys, and the
    matcher makes a dict only of the few facts patterns keep (``Matcher.feed_rows_by_rule``).
    """
    plain = tuple(
        name for name in fields for spec in (FIELDS.get(name),) if spec is not None and spec.derive is None and spec.kind in _AS_STORED
    )
    steps = [(name, spec.derive if spec is not None else None) for name in fields if name not in plain for spec in (FIELDS.get(name),)]
    names = plain + tuple(name for name, _ in steps)
    date = dt.date
    if len(plain) > 1:
        plain_values: Callable[[dict[str, Any]], tuple[Any, ...]] = operator.itemgetter(*plain)
    else:  # itemgetter of one name gives the value, not a tuple

        def plain_values(stored: dict[str, Any]) -> tuple[Any, ...]:
            return tuple(map(stored.get, plain))

    def row(event: Event) -> tuple[Any, ...]:
        stored = event.__dict__
        rest = []
        for name, derive in steps:
            value = stored.get(name) if derive is None else derive(event)
            if value is not None:
                kind = value.__class__
                if kind is date:
                    value = value.toordinal()
                elif kind is list or kind is tuple:
                    value = encode_value(value) if value else []  # most events have no tags
            rest.append(value)
        return (*plain_values(stored), *rest)

    return names, row


def share_identical_rules(compiled: CompiledRuleSet) -> tuple[CompiledRuleSet, dict[str, tuple[str, ...]]]:
    """One rule per distinct pattern, and which rule ids each stands for.

    Packs for different stakeholders often hold the same rule under different ids (the
    investor's, government's and analyst's "retaliation cycle"): matching it once and copying
    its firings to every id gives the same firings for a fraction of the work. Leg aliases do
    not matter to matching and are ignored.
    """
    groups: dict[Any, list[CompiledRule]] = {}
    for rule in compiled.rules:
        key: Any = (tuple((p.condition, p.joins) for p in rule.patterns), rule.window_days)
        try:
            hash(key)
        except TypeError:  # an unhashable constant: compare by its text instead
            key = repr(key)
        groups.setdefault(key, []).append(rule)
    kept: list[CompiledRule] = []
    fanout: dict[str, tuple[str, ...]] = {}
    for members in groups.values():
        members.sort(key=lambda r: r.id)
        kept.append(members[0])
        fanout[members[0].id] = tuple(r.id for r in members)
    kept.sort(key=lambda r: r.id)
    return CompiledRuleSet(tuple(kept), fields=compiled.fields), fanout


def fan_out(firings: Iterable[Firing], fanout: dict[str, tuple[str, ...]]) -> list[Firing]:
    """The firings of shared rules copied to every rule id they stand for, sorted."""
    out = [Firing(rule_id, f.event_ids) for f in firings for rule_id in fanout.get(f.rule_id, (f.rule_id,))]
    out.sort()
    return out


def match_stream(
    chunks: Iterable[Sequence[Event]],
    compiled: CompiledRuleSet,
    *,
    engine: str = "durable",
    batch_size: int = 5000,
    share: bool = True,
) -> Iterator[tuple[Sequence[Event], list[Firing]]]:
    """Feed chunks of events to one matcher; yield each chunk with the firings it completed.

    Identical rules (the same rule in several stakeholders' packs) are matched once and their
    firings copied to every id (``share_identical_rules``). ``share=False`` is for a caller
    that shared the rules itself and wants the firings of the shared ones as they are."""
    from riskengine.engine.matching import (
        open_matcher,  # the engine loads only when something is matched
    )

    shared, fanout = share_identical_rules(compiled) if share else (compiled, {})
    fact = projector(compiled.fields)
    with open_matcher(shared, engine=engine, batch_size=batch_size) as matcher:  # type: ignore[arg-type]
        for chunk in chunks:
            if not chunk:
                continue
            firings = matcher.feed([fact(event) for event in chunk])
            yield chunk, fan_out(firings, fanout) if share else firings


def template_view(event: Event) -> dict[str, Any]:
    """An event as recommendation text sees it: stored fields plus the derived ones."""
    view = event.model_dump(mode="json")
    for name, spec in FIELDS.items():
        if spec.derive is not None:
            view[name] = spec.value_of(event)
    return view


def _leg_context(rule: Rule, legs: Sequence[Event]) -> dict[str, Any]:
    context: dict[str, Any] = {"event": template_view(legs[-1])}
    if rule.sequence is not None:
        for leg, event in zip(rule.sequence, legs):
            context[leg.as_] = template_view(event)
    return context


_RULE_INDEX: dict[int, dict[str, Rule]] = {}


def _rule_by_id(pack: RulePack) -> dict[str, Rule]:
    index = _RULE_INDEX.get(id(pack))
    if index is None or index.get("__pack__") is not pack:  # type: ignore[comparison-overlap]
        index = {rule.id: rule for rule in pack.rules}
        index["__pack__"] = pack  # type: ignore[assignment]
        _RULE_INDEX.clear()
        _RULE_INDEX[id(pack)] = index
    return index


def contributions_for(firing: Firing, legs: Sequence[Event], pack: RulePack, stakeholders: Iterable[str] | None = None) -> list[Contribution]:
    """One contribution per stakeholder of the rule that fired (restricted to ``stakeholders``)."""
    rule = _rule_by_id(pack)[firing.rule_id]
    origin = pack.origin(rule.id)
    leg_names = [leg.as_ for leg in rule.sequence] if rule.sequence else ["event"]
    points = rule_points(rule.points, legs, leg_names)
    weight = min(source_weight(event) for event in legs)
    recommendation = render_text(rule.recommendation, _leg_context(rule, legs)) if rule.recommendation else None
    completing = max(legs, key=lambda e: (e.event_date, e.event_id))
    sources = sorted(
        {
            (s.name, s.grade, s.url, s.document)
            for event in legs
            for s in event.sources
        }
    )
    wanted = set(stakeholders) if stakeholders is not None else None
    source_text = rule.source.label
    return [
        Contribution(
            rule_id=rule.id,
            rule_title=rule.title,
            stakeholder=stakeholder,
            dimension=rule.dimension,
            event_ids=list(firing.event_ids),
            event_date=completing.event_date,
            region=completing.region,
            points=points,
            source_weight=weight,
            weighted_points=round(points * weight, 4),
            recommendation=recommendation,
            rule_source=source_text,
            rule_file=display_path(origin.file),
            rule_line=origin.line,
            sources=[SourceOut(name=n, grade=g, url=u, document=d) for n, g, u, d in sources],
        )
        for stakeholder in sorted(rule.stakeholders)
        if wanted is None or stakeholder in wanted
    ]


def default_profile(stakeholder: str) -> Profile:
    from riskengine.rules.models import DIMENSIONS

    return Profile(title=STAKEHOLDER_TITLES[stakeholder], dimension_weights={d: 1.0 for d in DIMENSIONS})  # type: ignore[misc]


@dataclass(frozen=True)
class ScoringPlan:
    window: Window
    history: list[Window]
    earliest: dt.date


def plan_windows(window: Window, history_weeks: int, compiled: CompiledRuleSet) -> ScoringPlan:
    history = window.history(max(history_weeks, 2))
    if any(r.window_days is None for r in compiled.pattern_rules):
        # A pattern rule whose joins do not bound its span may pair with any earlier event.
        return ScoringPlan(window, history, dt.date.min)
    reach_back = max((r.window_days or 0 for r in compiled.pattern_rules), default=0)
    return ScoringPlan(window, history, history[0].start - dt.timedelta(days=reach_back))


def resolve_window(window: Window | None, events: Sequence[Event]) -> Window:
    if window is not None:
        return window
    if not events:
        raise InputError([Issue("E403", "no events to score and no window given", hint="give --week or event files")])
    return week_of(max(e.event_date for e in events))


def check_stakeholders(names: Iterable[str] | None) -> list[str]:
    if names is None:
        return list(STAKEHOLDERS)
    chosen = []
    for name in names:
        if name not in STAKEHOLDERS:
            from riskengine.core.errors import did_you_mean

            raise InputError([Issue("E404", f"unknown stakeholder '{name}'", hint=did_you_mean(name, STAKEHOLDERS) or f"one of {', '.join(STAKEHOLDERS)}")])
        chosen.append(name)
    return sorted(set(chosen), key=STAKEHOLDERS.index)


def score_events(
    events: Sequence[Event],
    pack: RulePack,
    compiled: CompiledRuleSet,
    *,
    window: Window | None = None,
    stakeholders: Iterable[str] | None = None,
    history_weeks: int = 8,
    engine: str = "durable",
    now: str | None = None,
    batch_size: int = 5000,
) -> ScoreReport:
    chosen = check_stakeholders(stakeholders)
    window = resolve_window(window, events)
    plan = plan_windows(window, history_weeks, compiled)
    # No look-ahead: what happens after the window cannot raise its score.
    relevant = sorted(
        (e for e in events if plan.earliest <= e.event_date <= window.end),
        key=lambda e: (e.event_date, e.event_id),
    )
    by_id = {e.event_id: e for e in relevant}
    chunks = [relevant[i : i + batch_size] for i in range(0, len(relevant), batch_size)]

    per_window: dict[tuple[str, str], list[Contribution]] = defaultdict(list)
    for _chunk, firings in match_stream(chunks, compiled, engine=engine, batch_size=batch_size):
        for firing in firings:
            legs = [by_id[i] for i in firing.event_ids]
            for contribution in contributions_for(firing, legs, pack, chosen):
                for w in plan.history:
                    if w.contains(contribution.event_date):
                        per_window[(contribution.stakeholder, w.label)].append(contribution)
                        break

    previous = plan.history[-2]
    results = []
    for stakeholder in chosen:
        profile = pack.profiles.get(stakeholder) or default_profile(stakeholder)
        results.append(
            stakeholder_score(
                stakeholder=stakeholder,
                title=profile.title,
                weights=profile.dimension_weights,
                thresholds=profile.thresholds,
                saturation=profile.saturation,
                regions_of_interest=profile.regions_of_interest,
                current=per_window.get((stakeholder, window.label), []),
                previous=per_window.get((stakeholder, previous.label), []),
                history=[(w.label, per_window.get((stakeholder, w.label), [])) for w in plan.history],
            )
        )
    return ScoreReport(
        generated_at=now,
        window=window_out(window),
        previous_window=window_out(previous),
        rule_pack=RulePackInfo(version=pack.version, rules=len(pack.rules), files=[display_path(f) for f in pack.files]),
        events_in_window=sum(1 for e in relevant if window.contains(e.event_date)),
        events_in_previous_window=sum(1 for e in relevant if previous.contains(e.event_date)),
        stakeholders=results,
    )


def contributions_by_event(report: ScoreReport, stakeholder: str, event_id: str | None = None) -> list[Contribution]:
    found = [s for s in report.stakeholders if s.stakeholder == stakeholder]
    if not found:
        raise InputError([Issue("E404", f"stakeholder '{stakeholder}' is not in this report")])
    contributions = found[0].contributions
    if event_id is not None:
        contributions = [c for c in contributions if event_id in c.event_ids]
    return list(contributions)


def index_events(events: Iterable[Event]) -> Mapping[str, Event]:
    return {e.event_id: e for e in events}
