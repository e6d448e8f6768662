"""A small pure-Python evaluator of the IR: the oracle the durable-rules adapter is tested against.

It spells out the semantics in ``riskengine.rules.ir`` and nothing else, so that when it and the engine
disagree, this module is the one to believe. Where ir.py leaves a corner open, this module
decides it, and the adapter must follow:

* Values have a kind: bool, number (int or float, not bool), string, list. ``eq``/``ne``/``in``
  compare values of the same kind only (``"3"`` never equals ``3``, ``True`` never equals ``1``);
  ``gt``/``gte``/``lt``/``lte`` hold only between two numbers or two strings.
* ``ne`` and ``not_in`` need the field present: ``ne`` is "present and not eq".
* ``contains`` on a string is a case-insensitive (casefolded) substring test, on a list
  membership by ``eq``; ``matches`` searches a string, or any string in a list, case-insensitively.
* A join ``this[f] OP legs[k][g] + offset`` is false when either side is absent, or when the
  offset is not zero and ``legs[k][g]`` is not a number.
* Distinct legs bind distinct facts: two positions in the stream, even with equal contents.

Speed comes from doing the obvious thing fewer times, not from cleverness: conditions compile to
closures, facts with the same contents are evaluated once, and each pattern leg looks its
partners up through an equality index or a sorted date list before every join is checked again.
"""

from __future__ import annotations

import bisect
import functools
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Self

from riskengine.core.errors import EngineError, Issue, RuleError
from riskengine.core.regex import Pattern, PatternError, compile_pattern
from riskengine.engine.base import MatchStats, event_id_of, facts_of_rows
from riskengine.rules.ir import (
    ID_FIELD,
    And,
    CompiledRule,
    CompiledRuleSet,
    Cond,
    Firing,
    Join,
    Not,
    Or,
    Test,
)

Fact = Mapping[str, Any]
Predicate = Callable[[Fact], bool]

ORDER_OPS = frozenset({"gt", "gte", "lt", "lte"})


def kind_of(value: Any) -> str:
    """``bool``, ``num``, ``str``, ``seq`` or ``other``: what a value may be compared with."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "num"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (list, tuple)):
        return "seq"
    return "other"


def values_equal(a: Any, b: Any) -> bool:
    ka = kind_of(a)
    if ka != kind_of(b):
        return False
    if ka == "seq":
        return len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def ordered(op: str, a: Any, b: Any) -> bool:
    ka = kind_of(a)
    if ka not in ("num", "str") or ka != kind_of(b):
        return False
    if op == "gt":
        return bool(a > b)
    if op == "gte":
        return bool(a >= b)
    if op == "lt":
        return bool(a < b)
    return bool(a <= b)


def compare(op: str, a: Any, b: Any) -> bool:
    """``a OP b`` for eq/ne and the order operators, with both sides present."""
    if op == "eq":
        return values_equal(a, b)
    if op == "ne":
        return not values_equal(a, b)
    if op in ORDER_OPS:
        return ordered(op, a, b)
    raise EngineError(f"unknown comparison operator {op!r}")


def regex(pattern: str) -> Pattern:
    # RE2, not re: a rule author's pattern must not be able to backtrack without end on a note.
    try:
        return compile_pattern(pattern)
    except PatternError as error:
        raise RuleError([Issue("E304", f"bad regular expression {pattern!r}: {error}")]) from None


def contains(value: Any, needle: Any) -> bool:
    kind = kind_of(value)
    if kind == "str":
        return isinstance(needle, str) and needle.casefold() in value.casefold()
    if kind == "seq":
        return any(values_equal(item, needle) for item in value)
    return False


def matches(value: Any, pattern: Any) -> bool:
    if not isinstance(pattern, str):
        return False
    compiled = regex(pattern)
    kind = kind_of(value)
    if kind == "str":
        return compiled.search(value) is not None
    if kind == "seq":
        return any(isinstance(item, str) and compiled.search(item) is not None for item in value)
    return False


def test_holds(test: Test, fact: Fact) -> bool:
    """One test on one fact, exactly as ir.py states it (absent means missing or None)."""
    value = fact.get(test.field)
    op = test.op
    if op == "not_exists":
        return value is None
    if value is None:
        return False
    if op == "exists":
        return True
    if op in ("eq", "ne") or op in ORDER_OPS:
        return compare(op, value, test.value)
    if op == "in":
        return any(values_equal(value, c) for c in test.value)
    if op == "not_in":
        return not any(values_equal(value, c) for c in test.value)
    if op == "contains":
        return contains(value, test.value)
    if op == "matches":
        return matches(value, test.value)
    raise EngineError(f"unknown test operator {op!r} on field '{test.field}'")


def holds(cond: Cond, fact: Fact) -> bool:
    """The plain recursive reading of a condition; ``compile_condition`` is the fast equivalent."""
    if isinstance(cond, Test):
        return test_holds(cond, fact)
    if isinstance(cond, Not):
        return not holds(cond.term, fact)
    if isinstance(cond, And):
        return all(holds(t, fact) for t in cond.terms)
    if isinstance(cond, Or):
        return any(holds(t, fact) for t in cond.terms)
    raise EngineError(f"not a condition: {cond!r}")


def _compile_test(test: Test) -> Predicate:
    """Fast closures for the common tests; every other test goes through ``test_holds``."""
    name, op, const = test.field, test.op, test.value
    if op == "exists":
        return lambda fact: fact.get(name) is not None
    if op == "not_exists":
        return lambda fact: fact.get(name) is None
    kind = kind_of(const)
    if op in ("eq", "ne") and kind in ("str", "num", "bool"):
        if op == "eq":
            return lambda fact: kind_of(v := fact.get(name)) == kind and v == const
        return lambda fact: (v := fact.get(name)) is not None and not (kind_of(v) == kind and v == const)
    if op in ORDER_OPS and kind == "num":
        compare_to: Callable[[Any, Any], bool] = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}[op]
        return lambda fact: kind_of(v := fact.get(name)) == "num" and compare_to(v, const)
    if op == "matches" and isinstance(const, str):
        regex(const)  # a bad pattern fails here, before any fact arrives
    return functools.partial(test_holds, test)


def compile_condition(cond: Cond) -> Predicate:
    """A closure equivalent to ``holds(cond, ...)``, built once per condition."""
    if isinstance(cond, Test):
        return _compile_test(cond)
    if isinstance(cond, Not):
        inner = compile_condition(cond.term)
        return lambda fact: not inner(fact)
    if isinstance(cond, And):
        terms = tuple(compile_condition(t) for t in cond.terms)
        return lambda fact: all(t(fact) for t in terms)
    if isinstance(cond, Or):
        terms = tuple(compile_condition(t) for t in cond.terms)
        return lambda fact: any(t(fact) for t in terms)
    raise EngineError(f"not a condition: {cond!r}")


def required_value(cond: Cond) -> tuple[str, str, Any] | None:
    """``(field, kind, value)`` that a fact must hold for ``cond`` to be true, if the condition
    says so at its top (an ``eq`` test, or one inside an ``And``): used to index conditions."""
    if isinstance(cond, Test) and cond.op == "eq" and kind_of(cond.value) in ("str", "num", "bool"):
        return cond.field, kind_of(cond.value), cond.value
    if isinstance(cond, And):
        for term in cond.terms:
            found = required_value(term)
            if found is not None:
                return found
    return None


class ConditionIndex:
    """Conditions grouped by a value they require, so a fact is tested only against the
    conditions it could satisfy (and the rest, which require nothing checkable up front)."""

    def __init__(self, conds: Sequence[Cond]) -> None:
        self._tests = [compile_condition(c) for c in conds]
        self._always: list[int] = []
        self._by_value: dict[tuple[str, str, Any], list[int]] = {}
        for n, cond in enumerate(conds):
            key = required_value(cond)
            if key is None:
                self._always.append(n)
            else:
                self._by_value.setdefault(key, []).append(n)

    def holding(self, fact: Fact) -> list[int]:
        """Indexes of the conditions that hold on ``fact``, ascending."""
        maybe = list(self._always)
        for name, value in fact.items():
            kind = kind_of(value)
            if kind in ("str", "num", "bool"):
                maybe.extend(self._by_value.get((name, kind, value), ()))
        return sorted(n for n in maybe if self._tests[n](fact))


def join_holds(join: Join, this: Fact, other: Fact) -> bool:
    a = this.get(join.field)
    b = other.get(join.other_field)
    if a is None or b is None:
        return False
    if join.offset:
        if kind_of(b) != "num":
            return False
        b = b + join.offset
    return compare(join.op, a, b)


# ---------------------------------------------------------------------------------------------
# Patterns


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def content_key(fact: Fact) -> tuple[tuple[str, Any], ...]:
    """What a fact holds apart from its identity: facts with the same key match the same legs."""
    return tuple(sorted((k, _freeze(v)) for k, v in fact.items() if k != ID_FIELD and v is not None))


def _orderable(value: Any) -> bool:
    return kind_of(value) == "num" and not (isinstance(value, float) and math.isnan(value))


def _index_key(value: Any) -> tuple[str, Any] | None:
    kind = kind_of(value)
    if kind == "other":
        return None
    return kind, _freeze(value)


class _Pool:
    """Candidate facts of one leg, ``(position, fact)`` in stream order, with lazy indexes."""

    def __init__(self, items: Sequence[tuple[int, Fact]]) -> None:
        self.items = list(items)
        self._eq: dict[str, dict[tuple[str, Any], list[tuple[int, Fact]]]] = {}
        self._sorted: dict[str, tuple[list[float], list[tuple[int, Fact]]]] = {}

    def equal_to(self, field: str, value: Any) -> list[tuple[int, Fact]]:
        index = self._eq.get(field)
        if index is None:
            index = {}
            for item in self.items:
                key = _index_key(item[1].get(field))
                if key is not None:
                    index.setdefault(key, []).append(item)
            self._eq[field] = index
        key = _index_key(value)
        return index.get(key, []) if key is not None else []

    def in_range(self, field: str, low: float, high: float) -> list[tuple[int, Fact]]:
        """Items whose number in ``field`` lies in [low, high] (a superset filter; joins recheck)."""
        entry = self._sorted.get(field)
        if entry is None:
            pairs = sorted(
                # NaN would break the order bisect relies on; it joins nothing anyway
                ((item[1][field], n) for n, item in enumerate(self.items) if _orderable(item[1].get(field))),
                key=lambda p: p[0],
            )
            entry = ([p[0] for p in pairs], [self.items[p[1]] for p in pairs])
            self._sorted[field] = entry
        keys, items = entry
        return items[bisect.bisect_left(keys, low) : bisect.bisect_right(keys, high)]


def _bounds(joins: Iterable[Join], bound: Sequence[Fact]) -> dict[str, tuple[float, float]]:
    """Numeric ranges that order joins to already-bound legs put on this leg's fields."""
    ranges: dict[str, tuple[float, float]] = {}
    for join in joins:
        if join.op not in ORDER_OPS or join.other_leg >= len(bound):
            continue
        other: Any = bound[join.other_leg].get(join.other_field)
        if kind_of(other) != "num":
            continue
        limit = other + join.offset
        low, high = ranges.get(join.field, (float("-inf"), float("inf")))
        if join.op in ("gt", "gte"):
            low = max(low, limit)
        else:
            high = min(high, limit)
        ranges[join.field] = (low, high)
    return ranges


def _partners(pool: _Pool, joins: Sequence[Join], bound: Sequence[Fact]) -> Sequence[tuple[int, Fact]]:
    """A superset of the pool items that can join the bound legs (the smallest of what each
    equality index and each range gives); every join is checked afterwards."""
    best: Sequence[tuple[int, Fact]] = pool.items
    for join in joins:
        if join.op == "eq" and join.other_leg < len(bound):
            other = bound[join.other_leg].get(join.other_field)
            if other is None:
                return []
            if join.offset:
                if kind_of(other) != "num":
                    return []
                other = other + join.offset
            found = pool.equal_to(join.field, other)
            if len(found) < len(best):
                best = found
    for field, (low, high) in sorted(_bounds(joins, bound).items()):
        found = pool.in_range(field, low, high)
        if len(found) < len(best):
            best = found
    return best


def _joins_by_position(rule: CompiledRule) -> list[list[tuple[int, Join]]]:
    """Each join checked at the first position where both of its legs are bound."""
    checks: list[list[tuple[int, Join]]] = [[] for _ in rule.patterns]
    for leg, pattern in enumerate(rule.patterns):
        for join in pattern.joins:
            checks[max(leg, join.other_leg)].append((leg, join))
    return checks


def pattern_tuples(rule: CompiledRule, old: Sequence[Sequence[tuple[int, Fact]]], new: Sequence[Sequence[tuple[int, Fact]]]) -> list[tuple[int, ...]]:
    """Every tuple of distinct positions, one candidate per leg, with at least one new fact, on
    which all joins hold. ``old[k]``/``new[k]`` are leg k's candidates seen before/in this batch."""
    n = len(rule.patterns)
    checks = _joins_by_position(rule)
    found: list[tuple[int, ...]] = []
    for first_new in range(n):
        if not new[first_new]:
            continue
        pools = [
            _Pool(old[k]) if k < first_new else _Pool(new[k]) if k == first_new else _Pool([*old[k], *new[k]])
            for k in range(n)
        ]
        _extend(rule, pools, checks, [], [], found)
    return found


def _extend(
    rule: CompiledRule,
    pools: Sequence[_Pool],
    checks: Sequence[Sequence[tuple[int, Join]]],
    positions: list[int],
    bound: list[Fact],
    found: list[tuple[int, ...]],
) -> None:
    k = len(bound)
    if k == len(pools):
        found.append(tuple(positions))
        return
    earlier_joins = [j for j in rule.patterns[k].joins if j.other_leg < k]
    for position, fact in _partners(pools[k], earlier_joins, bound):
        if position in positions:
            continue
        bound.append(fact)
        positions.append(position)
        if all(join_holds(join, bound[leg], bound[join.other_leg]) for leg, join in checks[k]):
            _extend(rule, pools, checks, positions, bound, found)
        bound.pop()
        positions.pop()


# ---------------------------------------------------------------------------------------------
# Whole streams and the streaming matcher


class ReferenceMatcher:
    """The oracle behind ``open_matcher(..., engine="reference")``.

    It keeps every pattern candidate it has seen (no retention window), so it gives the exact
    answer for any stream order; memory and the time per batch grow with the number of
    candidates: it is meant for tests and streams of thousands, not millions.
    """

    def __init__(self, ruleset: CompiledRuleSet, batch_size: int = 5000) -> None:
        self.ruleset = ruleset
        self.batch_size = batch_size
        self.stats = MatchStats(rulesets=0)
        self._patterns = ruleset.pattern_rules
        # one slot per single-event rule, then one per pattern leg
        self._slots: list[tuple[str, int, int]] = [(r.id, -1, -1) for r in ruleset.single_rules]
        self._slots += [(r.id, i, k) for i, r in enumerate(self._patterns) for k in range(len(r.patterns))]
        conds = [r.patterns[0].condition for r in ruleset.single_rules]
        conds += [p.condition for r in self._patterns for p in r.patterns]
        self._index = ConditionIndex(conds)
        self._old: list[list[list[tuple[int, Fact]]]] = [[[] for _ in r.patterns] for r in self._patterns]
        self._ids: list[str] = []
        self._kept: set[int] = set()  # positions of the pattern candidates held
        self._memo: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[tuple[int, int], ...]]] = {}
        self._closed = False

    def _classify(self, fact: Fact) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
        key = content_key(fact)
        found = self._memo.get(key)
        if found is None:
            holding = [self._slots[n] for n in self._index.holding(fact)]
            singles = tuple(rule_id for rule_id, r, _ in holding if r < 0)
            legs = tuple((r, k) for _, r, k in holding if r >= 0)
            if len(self._memo) > 200_000:
                self._memo.clear()
            found = self._memo[key] = (singles, legs)
        else:
            self.stats.cache_hits += 1
        return found

    def feed(self, facts: Sequence[Mapping[str, Any]]) -> list[Firing]:
        if self._closed:
            raise EngineError("this matcher is closed")
        firings: list[tuple[str, tuple[str, ...]]] = []
        for start in range(0, len(facts), self.batch_size):
            firings.extend(self._batch(facts[start : start + self.batch_size]))
        firings.sort()
        self.stats.firings += len(firings)
        return [Firing(rule_id, ids) for rule_id, ids in firings]

    def feed_by_rule(self, facts: Sequence[Mapping[str, Any]]) -> dict[str, list[tuple[str, ...]]]:
        found: dict[str, list[tuple[str, ...]]] = {}
        for firing in self.feed(facts):
            found.setdefault(firing.rule_id, []).append(firing.event_ids)
        return found

    def feed_rows_by_rule(self, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> dict[str, list[tuple[str, ...]]]:
        return self.feed_by_rule(facts_of_rows(names, rows))

    def _batch(self, facts: Sequence[Mapping[str, Any]]) -> list[tuple[str, tuple[str, ...]]]:
        self.stats.batches += 1
        self.stats.facts += len(facts)
        out: list[tuple[str, tuple[str, ...]]] = []
        new: list[list[list[tuple[int, Fact]]]] = [[[] for _ in r.patterns] for r in self._patterns]
        for fact in facts:
            event_id = event_id_of(fact)
            position = len(self._ids)
            self._ids.append(event_id)
            singles, legs = self._classify(fact)
            out.extend((rule_id, (event_id,)) for rule_id in singles)
            for r, k in legs:
                new[r][k].append((position, fact))
        for r, rule in enumerate(self._patterns):
            for positions in pattern_tuples(rule, self._old[r], new[r]):
                out.append((rule.id, tuple(self._ids[p] for p in positions)))
            for k in range(len(rule.patterns)):
                self._old[r][k].extend(new[r][k])
                self._kept.update(p for p, _ in new[r][k])
        self.stats.facts_retained = len(self._kept)
        self.stats.peak_retained = max(self.stats.peak_retained, self.stats.facts_retained)
        return out

    def close(self) -> None:
        self._closed = True
        self._old = []
        self._memo.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def evaluate(ruleset: CompiledRuleSet, facts: Iterable[Mapping[str, Any]]) -> list[Firing]:
    """Every firing of ``ruleset`` on the whole stream ``facts``, sorted."""
    with ReferenceMatcher(ruleset, batch_size=1 << 62) as matcher:
        return matcher.feed(list(facts))


__all__ = [
    "ReferenceMatcher",
    "compare",
    "compile_condition",
    "contains",
    "content_key",
    "evaluate",
    "holds",
    "join_holds",
    "kind_of",
    "matches",
    "pattern_tuples",
    "test_holds",
    "values_equal",
]
