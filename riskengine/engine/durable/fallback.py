"""What the adapter decides in Python rather than in durable-rules: tests durable cannot be
trusted with, whole conditions too wide for it, facts it cannot be given, and joins it cannot
state.

Written apart from ``riskengine.engine.reference`` on purpose, and in another shape: the
reference reads a condition against a fact; here each test is compiled once into a predicate
on the field's *value* (None: absent), with the constant's kind settled at compile time, and
conditions and joins are built from those. The semantics are ir.py's as the reference states
them; the differential tests compare the two, so a slip in either shows instead of hiding on
both sides.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from riskengine.core.errors import EngineError, Issue, RuleError
from riskengine.core.regex import Pattern, PatternError, compile_pattern
from riskengine.rules.ir import And, Cond, Join, Not, Or, Test

Fact = Mapping[str, Any]
ValueTest = Callable[[Any], bool]
FactTest = Callable[[Fact], bool]
JoinTest = Callable[[Fact, Fact], bool]

# The kind of a value decides what it may be compared with. Looked up along the class's MRO so
# that a subclass (an IntEnum, a str subclass) has its base's kind, and bool is met before int.
_KINDS: dict[type, str] = {bool: "bool", int: "num", float: "num", str: "str", list: "seq", tuple: "seq"}


def kind(value: Any) -> str:
    """``bool``, ``num``, ``str``, ``seq`` or ``other``."""
    found = _KINDS.get(value.__class__)
    if found is None:
        found = next((_KINDS[base] for base in value.__class__.__mro__ if base in _KINDS), "other")
    return found


def same(a: Any, b: Any) -> bool:
    """Equality across kinds: never between kinds ("3" is not 3, True is not 1); lists item by item."""
    this = kind(a)
    if this != kind(b):
        return False
    if this == "seq":
        return len(a) == len(b) and all(map(same, a, b))
    return bool(a == b)


_ORDER: dict[str, Callable[[Any, Any], Any]] = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
_ORDERABLE = frozenset({"num", "str"})


def _relation(op: str) -> Callable[[Any, Any], bool]:
    """``a OP b`` on two present values."""
    if op == "eq":
        return same
    if op == "ne":
        return lambda a, b: not same(a, b)
    order = _ORDER.get(op)
    if order is None:
        raise EngineError(f"unknown comparison operator {op!r}")
    return lambda a, b: (k := kind(a)) in _ORDERABLE and k == kind(b) and bool(order(a, b))


def _pattern(text: str) -> Pattern:
    # Linear-time RE2 (riskengine.core.regex), as everywhere a rule's pattern meets event text.
    try:
        return compile_pattern(text)
    except PatternError as error:
        raise RuleError([Issue("E304", f"bad regular expression {text!r}: {error}")]) from None


def _never(value: Any) -> bool:
    return False


def value_test(test: Test) -> ValueTest:
    """``test`` as a predicate on the tested field's value (None when the fact lacks it)."""
    op, const = test.op, test.value
    if op == "exists":
        return lambda v: v is not None
    if op == "not_exists":
        return lambda v: v is None
    if op in ("eq", "ne"):
        want = op == "eq"
        scalar = kind(const)
        if scalar in ("str", "num", "bool"):  # the common case, without the general comparison
            return lambda v: v is not None and (kind(v) == scalar and v == const) == want
        return lambda v: v is not None and same(v, const) == want
    if op in ("in", "not_in"):
        want = op == "in"
        return lambda v: v is not None and any(same(v, c) for c in const) == want
    if op in _ORDER:
        scalar, order = kind(const), _ORDER[op]
        if scalar not in _ORDERABLE:
            return _never
        return lambda v: v is not None and kind(v) == scalar and bool(order(v, const))
    if op == "contains":
        folded = const.casefold() if isinstance(const, str) else None

        def contains(v: Any) -> bool:
            held = kind(v)
            if held == "str":
                return folded is not None and folded in v.casefold()
            return held == "seq" and any(same(item, const) for item in v)

        return contains
    if op == "matches":
        if not isinstance(const, str):
            return _never
        search = _pattern(const).search  # a bad pattern fails now, before any fact comes

        def matches(v: Any) -> bool:
            held = kind(v)
            if held == "str":
                return search(v) is not None
            return held == "seq" and any(isinstance(item, str) and search(item) is not None for item in v)

        return matches
    raise EngineError(f"unknown test operator {op!r} on field '{test.field}'")


def fact_test(cond: Cond) -> FactTest:
    """A whole condition as a predicate on a fact."""
    if isinstance(cond, Test):
        name, on_value = cond.field, value_test(cond)
        return lambda fact: on_value(fact.get(name))
    if isinstance(cond, Not):
        inner = fact_test(cond.term)
        return lambda fact: not inner(fact)
    if isinstance(cond, (And, Or)):
        parts = tuple(fact_test(term) for term in cond.terms)
        if isinstance(cond, And):
            return lambda fact: all(part(fact) for part in parts)
        return lambda fact: any(part(fact) for part in parts)
    raise EngineError(f"not a condition: {cond!r}")


def join_test(join: Join) -> JoinTest:
    """``this[field] OP other[other_field] + offset``: false when either side is absent, or when
    there is an offset and the other side is not a number."""
    mine, theirs, offset = join.field, join.other_field, join.offset
    relate = _relation(join.op)
    if not offset:

        def plain(this: Fact, other: Fact) -> bool:
            a, b = this.get(mine), other.get(theirs)
            return a is not None and b is not None and relate(a, b)

        return plain

    def shifted(this: Fact, other: Fact) -> bool:
        a, b = this.get(mine), other.get(theirs)
        return a is not None and b is not None and kind(b) == "num" and relate(a, b + offset)

    return shifted


__all__ = ["fact_test", "join_test", "kind", "same", "value_test"]
