"""Engine-neutral compiled rules: what matching needs to know and nothing more.

Rules compile (``riskengine.rules.compiler``) into this small, frozen form. One generator turns it into
durable-rules rulesets (``riskengine.engine.durable``); ``riskengine.engine.reference`` evaluates it in plain
Python as the test oracle. Keeping both behind this layer is what lets us test the engine and
replace it.

Semantics both evaluators must share (the differential tests pin them down):

* A fact is a flat dict of the fields rules read (``CompiledRuleSet.fields``); a field that is
  missing or None in the event is absent from the fact.
* A ``Test`` on an absent field is false, except ``not_exists``. So ``ne`` and ``not_in`` need the
  field to be present; write ``Not(Test(f, "eq", x))`` for "not x, or unknown".
* ``contains`` on a string is a case-insensitive substring test; on a list it is membership.
  ``matches`` is a Python regular expression searched case-insensitively.
* Dates are ordinal day numbers (``date.toordinal()``) so windows are integer arithmetic.
* A single-event rule fires once for every fact its condition holds on. A pattern rule fires once
  for every tuple of distinct facts, one per leg in order, on which each leg's condition and
  joins hold. A firing names the rule and the ``event_id`` of each leg.
* A pattern rule with ``once_per_last`` (``once_per:`` in YAML) counts once per event of its last
  leg: of the tuples sharing it, the one whose earlier legs are latest (``latest_per_last``).
  Both evaluators return every tuple; the reduction is applied after matching, by
  ``matching.match_all`` and by the scorer, so the engines cannot differ in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

TestOp = Literal["eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "contains", "matches", "exists", "not_exists"]
JoinOp = Literal["eq", "ne", "gt", "gte", "lt", "lte"]

TEST_OPS: tuple[str, ...] = TestOp.__args__  # type: ignore[attr-defined]
JOIN_OPS: tuple[str, ...] = JoinOp.__args__  # type: ignore[attr-defined]

ID_FIELD = "event_id"
DATE_FIELD = "event_date"


@dataclass(frozen=True)
class Test:
    __test__ = False  # a condition, not a test class: keeps pytest from collecting it

    field: str
    op: TestOp
    value: Any = None  # tuple for in/not_in; ordinal int for dates; None for exists/not_exists


@dataclass(frozen=True)
class And:
    terms: tuple[Cond, ...]


@dataclass(frozen=True)
class Or:
    terms: tuple[Cond, ...]


@dataclass(frozen=True)
class Not:
    term: Cond


Cond = Test | And | Or | Not


@dataclass(frozen=True)
class Join:
    """``this_leg[field] OP legs[other_leg][other_field] + offset``; absent on either side is false."""

    field: str
    op: JoinOp
    other_leg: int
    other_field: str
    offset: int = 0


@dataclass(frozen=True)
class Pattern:
    alias: str
    condition: Cond
    joins: tuple[Join, ...] = ()


@dataclass(frozen=True)
class CompiledRule:
    id: str
    patterns: tuple[Pattern, ...]
    # For pattern rules: the largest distance in days, on event_date, between any two legs that
    # the joins allow. Streaming keeps a fact only while a later fact could still join it. None
    # means the joins do not bound it, and the matcher must keep every candidate fact.
    window_days: int | None = None
    # ``once_per``: fire once per event of the last leg (``latest_per_last``). The loader lets it
    # on only where the last leg is dated after every other, so in a stream in date order every
    # tuple sharing a last event completes with that event, in one chunk and one partition.
    once_per_last: bool = False

    @property
    def is_pattern(self) -> bool:
        return len(self.patterns) > 1


@dataclass(frozen=True)
class CompiledRuleSet:
    rules: tuple[CompiledRule, ...]
    fields: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.fields:
            object.__setattr__(self, "fields", referenced_fields(self.rules))

    @property
    def single_rules(self) -> tuple[CompiledRule, ...]:
        return tuple(r for r in self.rules if not r.is_pattern)

    @property
    def pattern_rules(self) -> tuple[CompiledRule, ...]:
        return tuple(r for r in self.rules if r.is_pattern)


@dataclass(frozen=True, order=True)
class Firing:
    rule_id: str
    event_ids: tuple[str, ...]


def latest_per_last(tuples: Iterable[tuple[str, ...]], day: Callable[[str], int]) -> list[tuple[str, ...]]:
    """One tuple per last event (``CompiledRule.once_per_last``), sorted: the one whose earlier
    legs are latest, compared by their days from the last-but-one leg back to the first, then by
    their ids the same way (the highest wins, as a firing completes with its highest id).

    A place struck n times is matched by n(n-1)/2 pairs (first, repeat); it is news n - 1 times,
    each repeat with the strike just before it: "struck on <that day> and again on <this>"."""
    best: dict[str, tuple[tuple[tuple[int, ...], tuple[str, ...]], tuple[str, ...]]] = {}
    for event_ids in tuples:
        earlier = event_ids[-2::-1]
        key = (tuple(map(day, earlier)), earlier)
        kept = best.get(event_ids[-1])
        if kept is None or key > kept[0]:
            best[event_ids[-1]] = (key, event_ids)
    return sorted(kept[1] for kept in best.values())


def _cond_fields(cond: Cond, out: set[str]) -> None:
    if isinstance(cond, Test):
        out.add(cond.field)
    elif isinstance(cond, Not):
        _cond_fields(cond.term, out)
    else:
        for term in cond.terms:
            _cond_fields(term, out)


def referenced_fields(rules: Iterable[CompiledRule]) -> tuple[str, ...]:
    names: set[str] = {ID_FIELD}
    for rule in rules:
        for pattern in rule.patterns:
            _cond_fields(pattern.condition, names)
            for join in pattern.joins:
                names.add(join.field)
                names.add(join.other_field)
        if rule.is_pattern:
            names.add(DATE_FIELD)
    return tuple(sorted(names))


def encode_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    return value


def project(values: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The fact for one event: only the fields rules read, None left out, dates as ordinals."""
    fact: dict[str, Any] = {}
    for name in fields:
        value = values.get(name)
        if value is None:
            continue
        fact[name] = encode_value(value)
    return fact


__all__ = [
    "JOIN_OPS",
    "TEST_OPS",
    "And",
    "CompiledRule",
    "CompiledRuleSet",
    "Cond",
    "Firing",
    "Join",
    "Not",
    "Or",
    "Pattern",
    "Test",
    "encode_value",
    "latest_per_last",
    "project",
    "referenced_fields",
]
