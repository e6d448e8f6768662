"""Rule tests written as data, and the linter for rule packs.

A case file (``tests/rules/*.yaml``, shipped in the package as ``riskengine/_rule_tests``: see
riskengine.core.resources.default_cases_dir) holds events and what the rules must do with them:

    defaults:                       # merged into every event of the file
      country: UKR
      sources: [{name: test, reliability: B, credibility: 2}]
    cases:
      - name: drone strike on a Danube port next to Romania
        events:
          - {event_id: T1, event_date: 2025-05-30, event_type: Explosions/Remote violence,
             target_category: port, distance_to_nato_km: 1}
        fires:
          - gov-strike-near-nato
          - {rule: inv-port-strike, events: [T1], recommendation_contains: "export"}
        does_not_fire: [ana-deep-strike-range]
        classes: {government: low}       # needs the scoring pipeline

A failing case says which rule, which event and which condition, in the analyst's words:
``rule 'gov-strike-near-nato' did not fire on event T1: distance_to_nato_km is 14, the rule needs
at most 10``.

Firings come from the production matcher (riskengine.engine.matching) when it is installed; otherwise
from ``evaluate`` below, a direct reading of the IR semantics (riskengine/ir.py) that also
provides the per-condition explanations.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from riskengine.core.errors import Issue, Location, TemplateError, did_you_mean
from riskengine.core.events import FIELDS, Event, FieldKind
from riskengine.core.sandbox import render_text
from riskengine.core.source import document_locator, load_yaml_file, validation_issues
from riskengine.engine.matching import match_all
from riskengine.engine.reference import holds, join_holds
from riskengine.rules import ir
from riskengine.rules.models import Rule, Stakeholder
from riskengine.scoring.pipeline import fact_of

ScoreClass = Literal["very low", "low", "medium", "high", "very high"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FiringSpec(_Strict):
    """An expected firing: the rule, optionally the events (one per leg, in leg order) and a
    piece of text its recommendation must contain."""

    rule: str
    events: list[str] | None = None
    recommendation_contains: str | None = None


FiringRef = str | FiringSpec


class Case(_Strict):
    name: str = Field(min_length=1)
    note: str | None = None
    events: list[dict[str, Any]] = Field(min_length=1)
    fires: list[FiringRef] = Field(default_factory=list)
    does_not_fire: list[FiringRef] = Field(default_factory=list)
    classes: dict[Stakeholder, ScoreClass] = Field(default_factory=dict)
    week: str | None = Field(None, description="ISO week the classes are scored for (default: the week of the latest event)")


class CaseFile(_Strict):
    description: str | None = None
    defaults: dict[str, Any] = Field(default_factory=dict)
    cases: list[Case] = Field(default_factory=list)


def _spec(ref: FiringRef) -> FiringSpec:
    return FiringSpec(rule=ref) if isinstance(ref, str) else ref


@dataclass(frozen=True)
class LoadedCase:
    case: Case
    events: tuple[Event, ...]
    location: Location

    @property
    def label(self) -> str:
        return f"case '{self.case.name}'"


def load_cases(paths: Sequence[Path]) -> tuple[list[LoadedCase], list[Issue]]:
    """Every case in the given files and folders (``*.yaml`` under a folder), and every problem."""
    loaded, issues, _broken = load_cases_counted(paths)
    return loaded, issues


def load_cases_counted(paths: Sequence[Path]) -> tuple[list[LoadedCase], list[Issue], int]:
    """``load_cases`` and how many cases could not be loaded (each counts once as failed).

    Each case is validated on its own: one case's unknown key or empty ``events`` made the whole
    file invalid, hiding every other case's problems and leaving them out of the count."""
    files: list[Path] = []
    issues: list[Issue] = []
    broken = 0
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            issues.append(Issue("E701", "no such case file or folder", Location(str(path))))
    loaded: list[LoadedCase] = []
    for file in files:
        doc, _raw, found = load_yaml_file(file)
        issues.extend(found)
        if doc is None:
            continue
        locate, render = document_locator(doc)
        data = doc.data if doc.data is not None else {}
        raw_cases = data.get("cases") if isinstance(data, dict) else None
        top = {**data, "cases": []} if isinstance(data, dict) and isinstance(raw_cases, list) else data
        try:
            case_file = CaseFile.model_validate(top)
        except ValidationError as error:
            issues.extend(validation_issues(error, CaseFile, top, locate, render))
            if not (isinstance(data, dict) and isinstance(raw_cases, list)):
                continue
            given = data.get("defaults")
            defaults: dict[str, Any] = given if isinstance(given, dict) else {}
        else:
            defaults = case_file.defaults
        names: dict[str, int] = {}
        for i, raw_case in enumerate(raw_cases or []):
            where = doc.location(("cases", i), yaml_path=render(("cases", i)))
            name = raw_case.get("name") if isinstance(raw_case, dict) else None
            if isinstance(name, str):
                if name in names:
                    issues.append(Issue("E701", f"case name '{name}' is used twice in this file", where))
                names[name] = i
            try:
                case = Case.model_validate(raw_case)
            except ValidationError as error:
                case_locate, case_render = document_locator(doc, ("cases", i))
                issues.extend(validation_issues(error, Case, raw_case, case_locate, case_render))
                broken += 1
                continue
            events: list[Event] = []
            bad = False
            for j, raw in enumerate(case.events):
                merged = {**defaults, **raw}
                try:
                    events.append(Event.model_validate(merged))
                except ValidationError as error:
                    bad = True
                    case_locate, case_render = document_locator(doc, ("cases", i, "events", j))
                    issues.extend(validation_issues(error, Event, merged, case_locate, case_render))
            ids = [e.event_id for e in events]
            if len(set(ids)) != len(ids):
                bad = True
                issues.append(Issue("E701", "event ids repeat within the case", where))
            if bad:
                broken += 1
            else:
                loaded.append(LoadedCase(case, tuple(events), where))
    return loaded, issues, broken


# ---------------------------------------------------------------------------------------------
# Evaluating the IR on facts


def evaluate(compiled: ir.CompiledRuleSet, facts: Sequence[Mapping[str, Any]]) -> list[ir.Firing]:
    """Every firing of ``compiled`` on ``facts`` from the reference evaluator (the test oracle)."""
    return match_all(compiled, facts, engine="reference")


def find_firings(compiled: ir.CompiledRuleSet, events: Sequence[Event], engine: str = "durable") -> list[ir.Firing]:
    """Firings on ``events`` from the production matcher, or from ``evaluate`` without one."""
    ordered = sorted(events, key=lambda e: (e.event_date, e.event_id))
    facts = [fact_of(e, compiled.fields) for e in ordered]
    if engine == "builtin":  # the name cases and older scripts used for the reference evaluator
        engine = "reference"
    return match_all(compiled, facts, engine=engine)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Explanations in the analyst's words

_OP_WORDS = {
    "eq": "{v}",
    "ne": "anything but {v}",
    "in": "one of {v}",
    "not_in": "none of {v}",
    "gt": "more than {v}",
    "gte": "at least {v}",
    "lt": "less than {v}",
    "lte": "at most {v}",
    "contains": "{v} among them",
    "matches": "text matching /{v}/",
}


def _show(field_name: str, value: Any) -> str:
    spec = FIELDS.get(field_name)
    if isinstance(value, (tuple, list)):
        return ", ".join(_show(field_name, v) for v in value)
    if spec is not None and spec.kind is FieldKind.DATE and isinstance(value, int):
        return dt.date.fromordinal(value).isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _actual(test: ir.Test, fact: Mapping[str, Any]) -> str:
    if test.field not in fact:
        return f"{test.field} is not given"
    value = fact[test.field]
    if isinstance(value, (list, tuple)):
        return f"{test.field} are [{_show(test.field, value)}]" if value else f"{test.field} are empty"
    if test.op == "contains":
        return f"{test.field} is {_show(test.field, value)}"
    return f"{test.field} is {_show(test.field, value)}"


def requirement(cond: ir.Cond) -> str:
    """What a condition asks for, as a phrase: ``distance_to_nato_km at most 10``."""
    if isinstance(cond, ir.And):
        return " and ".join(requirement(t) for t in cond.terms)
    if isinstance(cond, ir.Or):
        return "either " + " or ".join(requirement(t) for t in cond.terms)
    if isinstance(cond, ir.Not):
        return f"not ({requirement(cond.term)})"
    if cond.op == "exists":
        return f"{cond.field} given"
    if cond.op == "not_exists":
        return f"{cond.field} not given"
    return f"{cond.field} {_OP_WORDS[cond.op].format(v=_show(cond.field, cond.value))}"


def why_not(cond: ir.Cond, fact: Mapping[str, Any]) -> list[str]:
    """Why ``cond`` is false on ``fact``: one phrase per failing top-level condition."""
    if holds(cond, fact):
        return []
    if isinstance(cond, ir.And):
        return [reason for term in cond.terms for reason in why_not(term, fact)]
    if isinstance(cond, ir.Or):
        return ["none of the alternatives holds (" + "; ".join(r for t in cond.terms for r in why_not(t, fact)) + ")"]
    if isinstance(cond, ir.Not):
        return [f"the rule excludes events with {requirement(cond.term)}"]
    if cond.op == "exists":
        return [f"{cond.field} is not given, the rule needs it"]
    if cond.op == "not_exists":
        return [f"{_actual(cond, fact)}, the rule needs it not given"]
    return [f"{_actual(cond, fact)}, the rule needs {requirement(cond).removeprefix(cond.field + ' ')}"]


def why_it_holds(cond: ir.Cond, fact: Mapping[str, Any]) -> list[str]:
    if isinstance(cond, ir.And):
        return [r for t in cond.terms for r in why_it_holds(t, fact)]
    if isinstance(cond, ir.Test):
        return [f"{_actual(cond, fact)}"]
    return [requirement(cond)]


_JOIN_WORDS = {"eq": "equal to", "ne": "different from", "gt": "after", "gte": "on or after", "lt": "before", "lte": "on or before"}
_JOIN_NUMBER_WORDS = {"eq": "equal to", "ne": "different from", "gt": "more than", "gte": "at least", "lt": "less than", "lte": "at most"}


def _join_text(join: ir.Join, aliases: Sequence[str], this: str, this_fact: Mapping[str, Any], other_fact: Mapping[str, Any]) -> str:
    other = aliases[join.other_leg]
    is_date = FIELDS.get(join.field) is not None and FIELDS[join.field].kind is FieldKind.DATE
    words = (_JOIN_WORDS if is_date else _JOIN_NUMBER_WORDS)[join.op]
    if join.field not in this_fact:
        return f"{this}.{join.field} is not given"
    if join.other_field not in other_fact:
        return f"{other}.{join.other_field} is not given"
    right = f"{other}.{join.other_field} ({_show(join.other_field, other_fact[join.other_field])})"
    if join.offset:
        sign = "+" if join.offset > 0 else "-"
        unit = " days" if is_date else ""
        right = f"{right} {sign} {abs(join.offset)}{unit}"
    return f"{this}.{join.field} is {_show(join.field, this_fact[join.field])}, the rule needs it {words} {right}"


def explain_single(rule: ir.CompiledRule, fact: Mapping[str, Any]) -> str:
    reasons = why_not(rule.patterns[0].condition, fact)
    return "; ".join(reasons) if reasons else "its condition holds"


def explain_pattern(
    rule: ir.CompiledRule, facts: Sequence[Mapping[str, Any]], wanted: Sequence[str] | None
) -> str:
    """Why no tuple of ``facts`` (or the ``wanted`` events, one per leg) completes the pattern."""
    aliases = [p.alias for p in rule.patterns]
    by_id = {f[ir.ID_FIELD]: f for f in facts}
    if wanted is not None:
        if len(wanted) != len(rule.patterns):
            return f"the case names {len(wanted)} event(s) but the pattern has {len(rule.patterns)} legs ({', '.join(aliases)})"
        legs = [by_id.get(i) for i in wanted]
        missing = [i for i, f in zip(wanted, legs, strict=True) if f is None]
        if missing:
            return f"event(s) {', '.join(missing)} are not in the case"
        for alias, pattern, f in zip(aliases, rule.patterns, legs, strict=True):
            why = why_not(pattern.condition, f)  # type: ignore[arg-type]
            if why:
                return f"leg '{alias}' does not match event {f[ir.ID_FIELD]}: {'; '.join(why)}"  # type: ignore[index]
        for i, pattern in enumerate(rule.patterns):
            for join in pattern.joins:
                if not join_holds(join, legs[i], legs[join.other_leg]):  # type: ignore[arg-type]
                    return _join_text(join, aliases, aliases[i], legs[i], legs[join.other_leg])  # type: ignore[arg-type]
        return "the named events match every leg and join"
    candidates = [[f for f in facts if holds(p.condition, f)] for p in rule.patterns]
    for alias, pattern, found in zip(aliases, rule.patterns, candidates, strict=True):
        if not found:
            detail = "; ".join(
                f"{f[ir.ID_FIELD]}: {'; '.join(why_not(pattern.condition, f))}" for f in facts
            )
            return f"no event matches leg '{alias}' ({detail})"
    # Every leg has candidates, so the joins fail: show the first failing join of each tuple.
    reasons: list[str] = []
    for combo in itertools.product(*candidates):
        ids = [f[ir.ID_FIELD] for f in combo]
        if len(set(ids)) != len(ids):
            continue
        for i, pattern in enumerate(rule.patterns):
            failed = next((j for j in pattern.joins if not join_holds(j, combo[i], combo[j.other_leg])), None)
            if failed is not None:
                reasons.append(f"({', '.join(ids)}): {_join_text(failed, aliases, aliases[i], combo[i], combo[failed.other_leg])}")
                break
    if not reasons:
        return "each leg needs a different event, and the case has too few matching events"
    return "the events match the legs but not the joins: " + "; ".join(reasons[:4])


# ---------------------------------------------------------------------------------------------
# Running cases


@dataclass
class CaseResult:
    case: LoadedCase
    firings: list[ir.Firing]
    failures: list[Issue] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def _rules_by_id(rules: Iterable[Rule]) -> dict[str, Rule]:
    return {r.id: r for r in rules}


def recommendation_for(rule: Rule, legs: Sequence[Event]) -> str | None:
    """The rule's recommendation rendered as the pipeline renders it (raises TemplateError)."""
    if not rule.recommendation:
        return None
    context: dict[str, Any] = {"event": legs[-1].model_dump(mode="json")}
    if rule.sequence is not None:
        for leg, event in zip(rule.sequence, legs, strict=False):
            context[leg.as_] = event.model_dump(mode="json")
    return render_text(rule.recommendation, context)


def run_case(
    loaded: LoadedCase,
    rules: Sequence[Rule],
    compiled: ir.CompiledRuleSet,
    *,
    engine: str = "durable",
    pack: Any = None,
) -> CaseResult:
    firings = find_firings(compiled, loaded.events, engine)
    result = CaseResult(loaded, firings)
    known = _rules_by_id(rules)
    compiled_by_id = {r.id: r for r in compiled.rules}
    events = {e.event_id: e for e in loaded.events}
    facts = [fact_of(e, compiled.fields) for e in sorted(loaded.events, key=lambda e: (e.event_date, e.event_id))]

    def fail(code: str, message: str) -> None:
        result.failures.append(Issue(code, f"{loaded.label}: {message}", loaded.location))

    for ref in loaded.case.fires:
        spec = _spec(ref)
        if spec.rule not in known:
            fail("E714", f"no rule '{spec.rule}' in the rule pack" + _hint(spec.rule, known))
            continue
        compiled_rule = compiled_by_id.get(spec.rule)
        if compiled_rule is None:
            fail("E714", f"rule '{spec.rule}' is disabled")
            continue
        mine = [f for f in firings if f.rule_id == spec.rule]
        if spec.events is not None:
            mine = [f for f in mine if list(f.event_ids) == spec.events]
        if not mine:
            fail("E710", _did_not_fire(compiled_rule, spec, facts, firings))
            continue
        if spec.recommendation_contains is not None:
            texts = []
            for firing in mine:
                try:
                    texts.append(recommendation_for(known[spec.rule], [events[i] for i in firing.event_ids]) or "")
                except TemplateError as error:
                    texts.append(f"<cannot render: {error}>")
            if not any(spec.recommendation_contains.casefold() in t.casefold() for t in texts):
                fail(
                    "E712",
                    f"the recommendation of rule '{spec.rule}' reads \"{texts[0]}\"; "
                    f"the case expects it to contain \"{spec.recommendation_contains}\"",
                )
    for ref in loaded.case.does_not_fire:
        spec = _spec(ref)
        if spec.rule not in known:
            fail("E714", f"no rule '{spec.rule}' in the rule pack" + _hint(spec.rule, known))
            continue
        mine = [f for f in firings if f.rule_id == spec.rule]
        if spec.events is not None:
            mine = [f for f in mine if list(f.event_ids) == spec.events]
        if mine:
            first = mine[0]
            compiled_rule = compiled_by_id[spec.rule]
            detail = ""
            if not compiled_rule.is_pattern:
                fact = next(f for f in facts if f[ir.ID_FIELD] == first.event_ids[0])
                detail = " (" + "; ".join(why_it_holds(compiled_rule.patterns[0].condition, fact)) + ")"
            where = ", ".join(first.event_ids)
            more = f" and {len(mine) - 1} more time(s)" if len(mine) > 1 else ""
            noun = "event" if len(first.event_ids) == 1 else "events"
            fail("E711", f"rule '{spec.rule}' fired on {noun} {where}{more}{detail}, but the case expects it not to")
    if loaded.case.classes:
        _check_classes(loaded, pack, compiled, engine, fail)
    return result


def _hint(name: str, known: Iterable[str]) -> str:
    hint = did_you_mean(name, known)
    return f" ({hint})" if hint else ""


def _did_not_fire(rule: ir.CompiledRule, spec: FiringSpec, facts: Sequence[Mapping[str, Any]], firings: Sequence[ir.Firing]) -> str:
    if rule.is_pattern:
        if rule.once_per_last and spec.events:
            # the named events may match, yet count as another tuple with the same last event
            kept = next((f.event_ids for f in firings if f.rule_id == rule.id and f.event_ids[-1] == spec.events[-1]), None)
            if kept is not None and tuple(spec.events) != kept:
                return (
                    f"rule '{rule.id}' fires once per event of its last leg (once_per), and on "
                    f"{spec.events[-1]} with {', '.join(kept)}: the tuple whose earlier legs are latest"
                )
        return f"rule '{rule.id}' did not fire: {explain_pattern(rule, facts, spec.events)}"
    if spec.events is not None and len(spec.events) == 1:
        fact = next((f for f in facts if f[ir.ID_FIELD] == spec.events[0]), None)
        if fact is None:
            return f"rule '{rule.id}' did not fire: event {spec.events[0]} is not in the case"
        return f"rule '{rule.id}' did not fire on event {spec.events[0]}: {explain_single(rule, fact)}"
    if spec.events is not None:
        return f"rule '{rule.id}' takes one event, the case names {len(spec.events)}"
    parts = [f"on event {f[ir.ID_FIELD]}: {explain_single(rule, f)}" for f in facts]
    return f"rule '{rule.id}' did not fire " + "; ".join(parts)


def _check_classes(loaded: LoadedCase, pack: Any, compiled: ir.CompiledRuleSet, engine: str, fail: Any) -> None:
    if pack is None:
        fail("E713", "classes need the loaded rule pack with profiles")
        return
    try:
        from riskengine.core.windows import parse_week, week_of
        from riskengine.scoring.pipeline import score_events
    except ImportError as error:  # the scoring pipeline is not installed in this build
        fail("E713", f"cannot check classes: {error}")
        return
    window = parse_week(loaded.case.week) if loaded.case.week else week_of(max(e.event_date for e in loaded.events))
    report = score_events(
        list(loaded.events), pack, compiled, window=window, stakeholders=sorted(loaded.case.classes), history_weeks=2, engine=engine
    )
    for score in report.stakeholders:
        expected = loaded.case.classes.get(score.stakeholder)  # type: ignore[call-overload]
        if expected is not None and score.score_class != expected:
            top = ", ".join(f"{d.dimension} {d.score}" for d in score.dimensions if d.score)
            fail(
                "E713",
                f"{score.stakeholder} is '{score.score_class}' (score {score.score}; {top or 'no dimension scored'}) "
                f"in {window.label}, the case expects '{expected}'",
            )


def run_cases(
    cases: Sequence[LoadedCase], rules: Sequence[Rule], compiled: ir.CompiledRuleSet, *, engine: str = "durable", pack: Any = None
) -> list[CaseResult]:
    return [run_case(c, rules, compiled, engine=engine, pack=pack) for c in cases]


def coverage_issues(cases: Sequence[LoadedCase], rules: Sequence[Rule], origins: Mapping[str, Location]) -> list[Issue]:
    """Every enabled rule needs a case that fires it and a near miss (a case where it must not)."""
    fired = {_spec(r).rule for c in cases for r in c.case.fires}
    missed = {_spec(r).rule for c in cases for r in c.case.does_not_fire}
    issues = []
    for rule in sorted((r for r in rules if r.enabled), key=lambda r: r.id):
        where = origins.get(rule.id, Location(yaml_path=f"rules[id={rule.id}]"))
        if rule.id not in fired:
            issues.append(Issue("E728", f"rule '{rule.id}' has no test case that fires it", where))
        if rule.id not in missed:
            issues.append(Issue("E729", f"rule '{rule.id}' has no near-miss test case (does_not_fire)", where))
    return issues


# ---------------------------------------------------------------------------------------------
# Lint


def default_seeds_dir() -> Path | None:
    """The source documents beside a checkout (``../shared/seeds``), when they are there."""
    candidate = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    return candidate if candidate.is_dir() else None


def read_seeds(directory: Path | None) -> dict[str, str]:
    """Seed document id ('000') -> its text, for files named ``000_*.txt``."""
    if directory is None:
        return {}
    texts = {}
    for path in sorted(directory.glob("*.txt")):
        match = re.match(r"^(\d{3})_", path.name)
        if match:
            texts[match.group(1)] = path.read_text(encoding="utf-8")
    return texts


def normalise_text(text: str) -> str:
    """Quotes are compared with typographic quotes and dashes made plain and spaces collapsed."""
    table = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
    return " ".join(text.translate(table).split())


def _conjuncts(cond: ir.Cond) -> tuple[ir.Cond, ...]:
    return cond.terms if isinstance(cond, ir.And) else (cond,)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def implies(b: ir.Cond, a: ir.Cond) -> bool:
    """Whether ``b`` holding on a fact means ``a`` holds too, by simple syntactic rules only."""
    if a == b:
        return True
    if isinstance(a, ir.Or):
        return any(implies(b, term) for term in a.terms)
    if isinstance(b, ir.And):
        return any(implies(term, a) for term in b.terms)
    if not isinstance(a, ir.Test) or not isinstance(b, ir.Test) or a.field != b.field:
        return False
    if a.op == "exists":
        return b.op != "not_exists"
    x, y = a.value, b.value
    if a.op == "in":
        return (b.op == "eq" and y in x) or (b.op == "in" and set(y) <= set(x))
    if not (_number(x) and _number(y)):
        return False
    lower: dict[str, Callable[[], bool]] = {"gte": lambda: (b.op in ("gte", "gt", "eq") and y >= x), "gt": lambda: (b.op == "gt" and y >= x) or (b.op in ("gte", "eq") and y > x)}
    upper: dict[str, Callable[[], bool]] = {"lte": lambda: (b.op in ("lte", "lt", "eq") and y <= x), "lt": lambda: (b.op == "lt" and y <= x) or (b.op in ("lte", "eq") and y < x)}
    check = {**lower, **upper}.get(a.op)
    return bool(check and check())


def condition_implies(b: ir.Cond, a: ir.Cond) -> bool:
    """Every conjunct of ``a`` is implied by one of ``b``'s: whenever ``b`` holds, ``a`` does."""
    return all(any(implies(tb, ta) for tb in _conjuncts(b)) for ta in _conjuncts(a))


def overlap_issues(rules: Sequence[Rule], compiled: ir.CompiledRuleSet, origins: Mapping[str, Location]) -> list[Issue]:
    """Rules of one stakeholder with the same compiled condition (duplicates), and rules whose
    condition implies another's in the same dimension (shadowed: every firing of one is also a
    firing of the other, so the event counts twice). A rule that refines another on purpose
    says so with the tag ``refines:<rule id>``."""
    models = _rules_by_id(rules)
    by_id = {r.id: r for r in compiled.rules}
    ids = sorted(by_id)
    issues: list[Issue] = []
    for i, first in enumerate(ids):
        for second in ids[i + 1 :]:
            a, b = models[first], models[second]
            shared = sorted(set(a.stakeholders) & set(b.stakeholders))
            if not shared:
                continue
            ca, cb = by_id[first], by_id[second]
            if ca.is_pattern or cb.is_pattern:
                if ca.patterns == cb.patterns:
                    issues.append(_duplicate(second, first, shared, origins))
                continue
            cond_a, cond_b = ca.patterns[0].condition, cb.patterns[0].condition
            a_in_b, b_in_a = condition_implies(cond_a, cond_b), condition_implies(cond_b, cond_a)
            if a_in_b and b_in_a:
                issues.append(_duplicate(second, first, shared, origins))
            elif a.dimension == b.dimension and (a_in_b or b_in_a):
                narrow, broad = (first, second) if a_in_b else (second, first)
                if f"refines:{broad}" in models[narrow].tags:
                    continue
                issues.append(
                    Issue(
                        "E722",
                        f"rule '{narrow}' is shadowed by '{broad}' ({models[narrow].dimension}, {', '.join(shared)}): "
                        f"whenever it fires, '{broad}' fires on the same event, so the event counts twice",
                        origins.get(narrow, Location(yaml_path=f"rules[id={narrow}]")),
                        hint=f"merge them, or tag '{narrow}' with 'refines:{broad}' if the extra points are meant",
                    )
                )
    return issues


def _duplicate(rule_id: str, other: str, shared: Sequence[str], origins: Mapping[str, Location]) -> Issue:
    return Issue(
        "E721",
        f"rule '{rule_id}' has the same condition as '{other}' for {', '.join(shared)}",
        origins.get(rule_id, Location(yaml_path=f"rules[id={rule_id}]")),
    )


def source_issues(rules: Sequence[Rule], origins: Mapping[str, Location], seeds: Mapping[str, str]) -> list[Issue]:
    """Each rule cites a known document, and its quote is found in that document's text."""
    issues: list[Issue] = []
    if not seeds:
        return issues
    normalised = {doc: normalise_text(text) for doc, text in seeds.items()}
    for rule in sorted(rules, key=lambda r: r.id):
        where = origins.get(rule.id, Location(yaml_path=f"rules[id={rule.id}]"))
        doc = rule.source.document
        if doc is None:  # a named public method, checked by the model (riskengine.rules.models.METHODS)
            continue
        if doc not in seeds:
            issues.append(Issue("E723", f"rule '{rule.id}' cites document '{doc}', which is not a source document", where, hint=did_you_mean(doc, seeds) or f"one of {', '.join(sorted(seeds))}"))
        elif not rule.source.quote:
            issues.append(Issue("W730", f"rule '{rule.id}' cites document {doc} without a quote", where, severity="warning"))
        elif normalise_text(rule.source.quote) not in normalised[doc]:
            issues.append(Issue("E724", f"rule '{rule.id}': the quote is not in document {doc}: \"{rule.source.quote[:80]}\"", where))
    return issues


def lint(
    rules: Sequence[Rule],
    compiled: ir.CompiledRuleSet,
    origins: Mapping[str, Location],
    *,
    sample_events: Sequence[Event] = (),
    cases: Sequence[LoadedCase] = (),
    seeds: Mapping[str, str] | None = None,
    engine: str = "durable",
) -> list[Issue]:
    """Every problem the linter finds: never firing, duplicates and shadows, sources, empty
    recommendations, missing test cases. Errors have severity 'error', the rest 'warning'."""
    models = _rules_by_id(rules)
    runs: list[tuple[str, Sequence[Event]]] = []
    if sample_events:
        runs.append(("the sample events", sample_events))
    runs.extend((c.label, c.events) for c in cases)
    fired: set[str] = set()
    issues: list[Issue] = []
    rendered_bad: set[tuple[str, str]] = set()
    for label, events in runs:
        by_id = {e.event_id: e for e in events}
        for firing in find_firings(compiled, events, engine):
            fired.add(firing.rule_id)
            rule = models[firing.rule_id]
            where = origins.get(rule.id, Location(yaml_path=f"rules[id={rule.id}]"))
            legs = [by_id[i] for i in firing.event_ids]
            on = f"on {', '.join(firing.event_ids)} ({label})"
            try:
                text = recommendation_for(rule, legs)
            except TemplateError as error:
                if (rule.id, "render") not in rendered_bad:
                    rendered_bad.add((rule.id, "render"))
                    issues.append(Issue("E726", f"rule '{rule.id}': the recommendation does not render {on}: {error}", where))
                continue
            if text is None:
                continue
            if not text.strip() and (rule.id, "empty") not in rendered_bad:
                rendered_bad.add((rule.id, "empty"))
                issues.append(Issue("E725", f"rule '{rule.id}': the recommendation renders empty {on}", where))
            elif re.search(r"\bunknown\b", text) and "unknown" not in (rule.recommendation or "") and (rule.id, "unknown") not in rendered_bad:
                rendered_bad.add((rule.id, "unknown"))
                issues.append(
                    Issue("W727", f"rule '{rule.id}': the recommendation shows 'unknown' for a missing field {on}: \"{text}\"", where, severity="warning")
                )
    for compiled_rule in sorted(compiled.rules, key=lambda r: r.id):
        if compiled_rule.id not in fired:
            where = origins.get(compiled_rule.id, Location(yaml_path=f"rules[id={compiled_rule.id}]"))
            issues.append(Issue("E720", f"rule '{compiled_rule.id}' never fires on the sample events or the test cases", where))
    issues.extend(overlap_issues(rules, compiled, origins))
    issues.extend(source_issues(rules, origins, seeds or {}))
    if cases:
        issues.extend(coverage_issues(cases, rules, origins))
    return sorted(issues, key=Issue.sort_key)


__all__ = [
    "Case",
    "CaseFile",
    "CaseResult",
    "FiringSpec",
    "LoadedCase",
    "condition_implies",
    "coverage_issues",
    "default_seeds_dir",
    "evaluate",
    "explain_pattern",
    "explain_single",
    "fact_of",
    "find_firings",
    "holds",
    "implies",
    "lint",
    "load_cases",
    "normalise_text",
    "overlap_issues",
    "read_seeds",
    "recommendation_for",
    "requirement",
    "run_case",
    "run_cases",
    "source_issues",
    "why_not",
]
