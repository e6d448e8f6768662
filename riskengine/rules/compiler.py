"""Rule models -> the engine-neutral IR (riskengine.rules.ir), and what makes an operand valid.

The loader calls ``operand_problems`` and ``where_problems`` while it still knows lines and
columns, so type errors are reported when rules load, never when events arrive. Compiling then
only translates:

* ``rules.OPERATORS`` names become ir test ops; ``exists: false`` becomes ``not_exists``;
* values of date fields (ISO strings, ``2025-07-01``) become ordinal days, like the facts;
* ``in``/``not_in`` lists become tuples;
* where-clauses become ``ir.Join``s with day offsets: ``after X within_days N`` is
  ``this > X`` and ``this <= X + N``; ``before X within_days N`` is ``this < X`` and
  ``this >= X - N``; ``on_or_after``/``on_or_before`` use >= and <=;
* ``CompiledRule.window_days`` is the largest span on event_date between any two legs that the
  joins allow (difference constraints, closed by Floyd-Warshall); None when unbounded.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from riskengine.core.errors import Issue, Location, RuleError, did_you_mean
from riskengine.core.events import FIELDS, FieldKind, FieldSpec
from riskengine.core.regex import pattern_problem
from riskengine.core.source import describe_value
from riskengine.rules import ir
from riskengine.rules.models import OPERATORS, AllOf, AnyOf, Comparison, Condition, Leg, NotOf, Rule, Where
from riskengine.rules.pack import RulePack

# Which operators each kind of field takes.
OPERATORS_BY_KIND: dict[FieldKind, tuple[str, ...]] = {
    FieldKind.STRING: ("equals", "not_equals", "in", "not_in", "contains", "matches", "exists"),
    FieldKind.NUMBER: ("equals", "not_equals", "in", "not_in", "greater_than", "at_least", "less_than", "at_most", "exists"),
    FieldKind.DATE: ("equals", "not_equals", "in", "not_in", "greater_than", "at_least", "less_than", "at_most", "exists"),
    FieldKind.BOOLEAN: ("equals", "not_equals", "exists"),
    FieldKind.STRING_LIST: ("contains", "exists"),
}

KIND_WORDS: dict[FieldKind, str] = {
    FieldKind.STRING: "a text",
    FieldKind.NUMBER: "a number",
    FieldKind.DATE: "a date",
    FieldKind.BOOLEAN: "a true/false",
    FieldKind.STRING_LIST: "a list",
}

_EXPECTED: dict[FieldKind, str] = {
    FieldKind.STRING: "a string",
    FieldKind.NUMBER: "a number",
    FieldKind.DATE: "an ISO date like '2025-07-01'",
    FieldKind.BOOLEAN: "true or false",
    FieldKind.STRING_LIST: "a string",
}

ORDER_RELATIONS: tuple[str, ...] = ("after", "on_or_after", "before", "on_or_before")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Problem:
    """Something wrong with an operand; the loader adds the place. ``item`` indexes an in-list."""

    code: str
    message: str
    hint: str | None = None
    item: int | None = None
    on_key: bool = False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _choice_hint(value: str, choices: tuple[str, ...]) -> str:
    folded = {c.casefold(): c for c in choices}
    if value.casefold() in folded:
        return f"did you mean '{folded[value.casefold()]}'?"
    return did_you_mean(value, choices) or "expected one of: " + ", ".join(choices)


def _scalar_problems(spec: FieldSpec, value: Any, item: int | None) -> list[Problem]:
    kind = spec.kind
    ok = {
        FieldKind.STRING: isinstance(value, str),
        FieldKind.STRING_LIST: isinstance(value, str),
        FieldKind.NUMBER: _is_number(value),
        FieldKind.DATE: _parse_date(value) is not None,
        FieldKind.BOOLEAN: isinstance(value, bool),
    }[kind]
    if not ok:
        return [
            Problem(
                "E303",
                f"'{spec.name}' is {KIND_WORDS[kind]} field: expected {_EXPECTED[kind]}, got {describe_value(value)}",
                item=item,
            )
        ]
    if spec.choices is not None and isinstance(value, str) and value not in spec.choices:
        return [Problem("E302", f"'{value}' is not a value of '{spec.name}'", _choice_hint(value, spec.choices), item)]
    return []


def operand_problems(field: str, op: str, value: Any) -> list[Problem]:
    """What is wrong with ``{field: <field>, <op>: <value>}``; [] when it compiles."""
    spec = FIELDS.get(field)
    if spec is None:
        return [Problem("E201", f"unknown event field '{field}'", did_you_mean(field, FIELDS))]
    allowed = OPERATORS_BY_KIND[spec.kind]
    if op not in allowed:
        return [
            Problem(
                "E301",
                f"'{op}' does not apply to '{field}', {KIND_WORDS[spec.kind]} field",
                f"it takes: {', '.join(allowed)}",
                on_key=True,
            )
        ]
    if op == "exists":
        return []
    if op in ("in", "not_in"):
        if not value:
            return [Problem("E303", f"'{op}' needs at least one value")]
        return [p for index, item in enumerate(value) for p in _scalar_problems(spec, item, index)]
    if op == "matches":
        problem = pattern_problem(value)  # RE2: the engines must match in linear time
        return [Problem("E304", f"bad regular expression {value!r}: {problem}")] if problem else []
    if op == "contains":
        return [] if isinstance(value, str) and value else [Problem("E303", "'contains' needs a non-empty string")]
    return _scalar_problems(spec, value, None)


def where_problems(where: Where, other_field: str) -> list[Problem]:
    """Kind checks for one where-clause (the leg names are checked by the loader)."""
    this = FIELDS.get(where.field)
    other = FIELDS.get(other_field)
    problems: list[Problem] = []
    if this is None:
        problems.append(Problem("E201", f"unknown event field '{where.field}'", did_you_mean(where.field, FIELDS)))
    if other is None:
        problems.append(
            Problem("E201", f"unknown event field '{other_field}'", did_you_mean(other_field, FIELDS), item=-1)
        )
    if this is None or other is None:
        return problems
    relation = where.relation
    if relation in ORDER_RELATIONS:
        for spec in (this, other):
            if spec.kind is not FieldKind.DATE:
                return [
                    Problem(
                        "E301",
                        f"'{relation}' compares dates; '{spec.name}' is {KIND_WORDS[spec.kind]} field",
                        on_key=True,
                    )
                ]
        return []
    if FieldKind.STRING_LIST in (this.kind, other.kind):
        return [Problem("E301", f"'{relation}' does not apply to list fields", on_key=True)]
    if this.kind is not other.kind:
        return [
            Problem(
                "E303",
                f"'{this.name}' is {KIND_WORDS[this.kind]} field and '{other.name}' is "
                f"{KIND_WORDS[other.kind]} field: they never compare equal",
            )
        ]
    return []


# ---------------------------------------------------------------------------------------------
# Translation


def encode_operand(spec: FieldSpec, value: Any) -> Any:
    """A checked rule value as the IR holds it: dates as ordinal days."""
    if spec.kind is FieldKind.DATE:
        date = _parse_date(value)
        if date is None:
            raise ValueError(f"not a date: {value!r}")
        return date.toordinal()
    return value


def compile_condition(cond: Condition) -> ir.Cond:
    if isinstance(cond, Comparison):
        return _compile_comparison(cond)
    if isinstance(cond, AllOf):
        terms = tuple(compile_condition(c) for c in cond.all)
        return terms[0] if len(terms) == 1 else ir.And(terms)
    if isinstance(cond, AnyOf):
        terms = tuple(compile_condition(c) for c in cond.any)
        return terms[0] if len(terms) == 1 else ir.Or(terms)
    if isinstance(cond, NotOf):
        return ir.Not(compile_condition(cond.not_))
    raise TypeError(f"not a condition: {cond!r}")  # pragma: no cover - the models allow no other


def _compile_comparison(cond: Comparison) -> ir.Test:
    op, value = cond.operator, cond.value
    problems = operand_problems(cond.field, op, value)
    if problems:
        raise ValueError(problems[0].message)
    spec = FIELDS[cond.field]
    ir_op = OPERATORS[op]
    if op == "exists":
        return ir.Test(cond.field, "exists" if value else "not_exists")
    if op in ("in", "not_in"):
        return ir.Test(cond.field, ir_op, tuple(encode_operand(spec, v) for v in value))  # type: ignore[arg-type]
    if op in ("contains", "matches"):
        return ir.Test(cond.field, ir_op, value)  # type: ignore[arg-type]
    return ir.Test(cond.field, ir_op, encode_operand(spec, value))  # type: ignore[arg-type]


def compile_joins(where: Where, legs: Mapping[str, int]) -> tuple[ir.Join, ...]:
    """One where-clause -> one or two joins (two when ``within_days`` bounds the other side)."""
    leg, other_field = where.other
    if leg not in legs:
        raise ValueError(f"unknown leg '{leg}'")
    problems = where_problems(where, other_field)
    if problems:
        raise ValueError(problems[0].message)
    other = legs[leg]
    relation, within = where.relation, where.within_days
    first_op, bound_op, sign = {
        "equals": ("eq", None, 0),
        "not_equals": ("ne", None, 0),
        "after": ("gt", "lte", 1),
        "on_or_after": ("gte", "lte", 1),
        "before": ("lt", "gte", -1),
        "on_or_before": ("lte", "gte", -1),
    }[relation]
    joins = [ir.Join(where.field, first_op, other, other_field, 0)]  # type: ignore[arg-type]
    if within is not None and bound_op is not None:
        joins.append(ir.Join(where.field, bound_op, other, other_field, sign * within))  # type: ignore[arg-type]
    return tuple(joins)


class ContradictionError(ValueError):
    """The joins of a pattern allow no dates at all: the rule could never fire."""


def window_days(patterns: Iterable[ir.Pattern]) -> int | None:
    """The largest ``event_date`` difference between two legs that the joins allow.

    None when some pair is unbounded. Raises ContradictionError when the joins allow no dates.
    """
    bound = _date_bounds(list(patterns))
    n = len(bound)
    spans = [bound[i][j] for i in range(n) for j in range(n) if i != j]
    if not spans or any(math.isinf(s) for s in spans):
        return None
    return int(max(spans))


def leg_reach(patterns: Iterable[ir.Pattern]) -> tuple[int | None, ...]:
    """Per leg, how many days after its ``event_date`` another leg of the same tuple can be
    dated (0 when every other leg is dated on or before it; None when unbounded).

    A stream in date order need keep a fact only that long after its date: a strike that can
    only be the *later* leg of "talks, then a strike within 14 days" can be let go as soon as a
    later day is seen, where the rule's window would keep it 14 days.
    """
    bound = _date_bounds(list(patterns))
    n = len(bound)
    reach: list[int | None] = []
    for k in range(n):
        later = max((bound[j][k] for j in range(n) if j != k), default=0.0)  # max of d_j - d_k
        reach.append(None if math.isinf(later) else max(0, int(later)))
    return tuple(reach)


def last_leg_latest(patterns: Iterable[ir.Pattern]) -> bool:
    """Whether the joins date the last leg after every other leg (``once_per`` needs it).

    Then, in a stream in date order, every tuple that shares a last event completes with it:
    they come back from the matcher together and fall in one partition, so keeping one of
    them does not depend on how the stream is cut."""
    bound = _date_bounds(list(patterns))
    last = len(bound) - 1
    return all(bound[j][last] <= -1 for j in range(last))  # d_j - d_last <= -1


def _date_bounds(pats: list[ir.Pattern]) -> list[list[float]]:
    """``bound[i][j]``: the largest ``d_i - d_j`` the date joins allow (inf: unbounded).

    Each date join is a difference constraint ``d_i - d_j <= c`` (strict ones tightened by one
    day); Floyd-Warshall closes them. Raises ContradictionError when they have no solution.
    """
    n = len(pats)
    inf = math.inf
    bound = [[0.0 if i == j else inf for j in range(n)] for i in range(n)]

    def tighten(i: int, j: int, c: float) -> None:  # d_i - d_j <= c
        bound[i][j] = min(bound[i][j], c)

    for k, pattern in enumerate(pats):
        for join in pattern.joins:
            if join.field != ir.DATE_FIELD or join.other_field != ir.DATE_FIELD:
                continue
            m, off = join.other_leg, join.offset
            if join.op == "gt":
                tighten(m, k, -off - 1)
            elif join.op == "gte":
                tighten(m, k, -off)
            elif join.op == "lt":
                tighten(k, m, off - 1)
            elif join.op == "lte":
                tighten(k, m, off)
            elif join.op == "eq":
                tighten(k, m, off)
                tighten(m, k, -off)
    for via in range(n):
        for i in range(n):
            for j in range(n):
                if bound[i][via] + bound[via][j] < bound[i][j]:
                    bound[i][j] = bound[i][via] + bound[via][j]
    if any(bound[i][i] < 0 for i in range(n)):
        raise ContradictionError("the date relations between the legs contradict each other: this pattern can never match")
    return bound


def compile_rule(rule: Rule) -> ir.CompiledRule:
    """One checked rule -> IR. Raises ValueError on what the loader should have rejected."""
    if rule.sequence is None:
        assert rule.when is not None
        return ir.CompiledRule(rule.id, (ir.Pattern("event", compile_condition(rule.when)),))
    legs: dict[str, int] = {}
    patterns: list[ir.Pattern] = []
    for index, leg in enumerate(rule.sequence):
        patterns.append(_compile_leg(leg, legs))
        legs[leg.as_] = index
    once = rule.once_per is not None
    if once and (rule.once_per != rule.sequence[-1].as_ or not last_leg_latest(patterns)):
        raise ValueError(f"once_per '{rule.once_per}' must name the last leg, dated after every earlier leg")
    return ir.CompiledRule(rule.id, tuple(patterns), window_days(patterns), once_per_last=once)


def _compile_leg(leg: Leg, earlier: Mapping[str, int]) -> ir.Pattern:
    joins = tuple(j for where in leg.where for j in compile_joins(where, earlier))
    return ir.Pattern(leg.as_, compile_condition(leg.when), joins)


def compile_rules(pack: RulePack | Iterable[Rule]) -> ir.CompiledRuleSet:
    """Compile every enabled rule, sorted by id. Raises RuleError listing every rule that fails."""
    rules: Iterable[Rule] = pack.rules if isinstance(pack, RulePack) else pack
    origins: Mapping[str, Location] = pack.origins if isinstance(pack, RulePack) else {}
    compiled: list[ir.CompiledRule] = []
    issues: list[Issue] = []
    for rule in rules:
        if not rule.enabled:
            continue
        origin = origins.get(rule.id, Location(yaml_path=f"rules[id={rule.id}]"))
        try:
            compiled.append(compile_rule(rule))
        except ContradictionError as error:
            issues.append(Issue("E315", str(error), origin))
        except ValueError as error:
            issues.append(Issue("E300", f"cannot compile: {error}", origin))
    if issues:
        raise RuleError(issues, f"{len(issues)} rule(s) cannot be compiled")
    compiled.sort(key=lambda r: r.id)
    return ir.CompiledRuleSet(tuple(compiled))


__all__ = [
    "KIND_WORDS",
    "OPERATORS_BY_KIND",
    "ContradictionError",
    "Problem",
    "compile_condition",
    "compile_joins",
    "compile_rule",
    "compile_rules",
    "encode_operand",
    "last_leg_latest",
    "leg_reach",
    "operand_problems",
    "where_problems",
    "window_days",
]
