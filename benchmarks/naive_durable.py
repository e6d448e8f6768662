"""The baseline: durable-rules used the way its README shows.

One ``durable.lang`` ruleset holds every rule, written with ``m``/``c`` expressions; every event is
asserted as a fact with ``assert_fact`` on the stock host, one call per event, and each action
records its firing. Facts are never retracted, so pattern rules see the whole history (and
memory grows with it). This is what a user who read the README would write: it is the yardstick
riskengine's own pipeline is measured against, and the only module outside riskengine/durable.py
allowed to import ``durable``.

The rules come from the same compiled IR the engine uses, so the firings must be the same; the
benchmark checks that before it prints a ratio. Two things durable's expression language cannot
say are handled as a user would: a negated substring or regular-expression test is checked in
Python inside the action, and ``matches`` on a pattern durable's regex dialect does not accept
falls back to that check too.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from riskengine.core.events import FIELDS, FieldKind
from riskengine.rules.ir import And, CompiledRuleSet, Cond, Firing, Join, Not, Test, latest_per_last

_names = itertools.count()


class Untranslatable(Exception):
    """A condition durable's expression language cannot say; checked in Python instead."""


def _regex_literal(text: str) -> str:
    # durable's regex dialect: escape everything that is not a letter, digit or space.
    return "".join(ch if ch.isalnum() or ch == " " else "\\" + ch for ch in text)


def _is_list(field: str) -> bool:
    spec = FIELDS.get(field)
    return spec is not None and spec.kind == FieldKind.STRING_LIST


def _test(m: Any, test: Test, negate: bool) -> Any:
    from durable.lang import item

    f = getattr(m, test.field)
    op, v = test.op, test.value
    if negate:
        # "not (test)" holds when the field is absent too (ir: a test on an absent field is false).
        inverse = {"eq": "ne", "gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt", "in": "not_in"}
        if op in inverse:
            return _test(m, Test(test.field, inverse[op], v), False) | -getattr(m, test.field)  # type: ignore[arg-type]
        if op in ("ne", "not_in"):
            positive = Test(test.field, "eq" if op == "ne" else "in", v)  # type: ignore[arg-type]
            return _test(m, positive, False) | -getattr(m, test.field)
        if op == "exists":
            return -f
        if op == "not_exists":
            return +f
        raise Untranslatable(op)
    if op == "eq":
        return f == v
    if op == "ne":
        return (f != v) & +getattr(m, test.field)
    if op == "in":
        terms = [getattr(m, test.field) == x for x in v]
        expr = terms[0]
        for term in terms[1:]:
            expr = expr | term
        return expr
    if op == "not_in":
        expr = +f
        for x in v:
            expr = expr & (getattr(m, test.field) != x)
        return expr
    if op == "gt":
        return f > v
    if op == "gte":
        return f >= v
    if op == "lt":
        return f < v
    if op == "lte":
        return f <= v
    if op == "exists":
        return +f
    if op == "not_exists":
        return -f
    if op == "contains":
        if _is_list(test.field):
            return f.anyItem(item == v)
        return f.imatches(".*" + _regex_literal(str(v)) + ".*")
    raise Untranslatable(op)  # matches: Python regexes are not durable's dialect


def _cond(m: Any, cond: Cond, negate: bool = False) -> Any:
    if isinstance(cond, Test):
        return _test(m, cond, negate)
    if isinstance(cond, Not):
        return _cond(m, cond.term, not negate)
    terms = [_cond(m, t, negate) for t in cond.terms]
    conjunction = isinstance(cond, And) != negate  # De Morgan
    expr = terms[0]
    for term in terms[1:]:
        expr = (expr & term) if conjunction else (expr | term)
    return expr


# ---------------------------------------------------------------------------------------------
# Python checks for what durable cannot say, run inside the action.


def _py_test(fact: Mapping[str, Any], test: Test) -> bool:
    value = fact.get(test.field)
    if test.op == "not_exists":
        return value is None
    if value is None:
        return False
    if test.op == "contains":
        if isinstance(value, list):
            return test.value in value
        return str(test.value).casefold() in str(value).casefold()
    if test.op == "matches":
        return re.search(str(test.value), str(value), re.IGNORECASE) is not None
    raise AssertionError(test.op)  # only untranslatable tests reach here


def _py_cond(fact: Mapping[str, Any], cond: Cond) -> bool:
    if isinstance(cond, Test):
        if cond.op in ("contains", "matches", "not_exists"):
            return _py_test(fact, cond)
        return _PY_OPS[cond.op](fact, cond)
    if isinstance(cond, Not):
        return not _py_cond(fact, cond.term)
    if isinstance(cond, And):
        return all(_py_cond(fact, t) for t in cond.terms)
    return any(_py_cond(fact, t) for t in cond.terms)


def _present(check: Callable[[Any, Any], bool]) -> Callable[[Mapping[str, Any], Test], bool]:
    return lambda fact, t: fact.get(t.field) is not None and check(fact[t.field], t.value)


_PY_OPS: dict[str, Callable[[Mapping[str, Any], Test], bool]] = {
    "eq": _present(lambda a, b: a == b),
    "ne": _present(lambda a, b: a != b),
    "in": _present(lambda a, b: a in b),
    "not_in": _present(lambda a, b: a not in b),
    "gt": _present(lambda a, b: a > b),
    "gte": _present(lambda a, b: a >= b),
    "lt": _present(lambda a, b: a < b),
    "lte": _present(lambda a, b: a <= b),
    "exists": _present(lambda a, b: True),
}


# ---------------------------------------------------------------------------------------------


def _join(m: Any, c: Any, join: Join, aliases: list[str]) -> Any:
    right = getattr(getattr(c, aliases[join.other_leg]), join.other_field)
    if join.offset:
        right = right + join.offset
    left = getattr(m, join.field)
    return {
        "eq": lambda: left == right,
        "ne": lambda: left != right,
        "gt": lambda: left > right,
        "gte": lambda: left >= right,
        "lt": lambda: left < right,
        "lte": lambda: left <= right,
    }[join.op]()


class NaiveDurable:
    """All rules in one ``durable.lang`` ruleset; ``assert_fact`` once per event."""

    def __init__(self, compiled: CompiledRuleSet) -> None:
        from durable.lang import c, m, ruleset, when_all

        self.name = f"naive{next(_names)}"
        # A set: durable fires once per alternative of an $or, the IR once per fact.
        self.firings: set[Firing] = set()
        self.python_checked = 0
        self._once_per_last = {rule.id for rule in compiled.rules if rule.once_per_last}
        self._days: dict[str, int] = {}
        with ruleset(self.name):
            for rule in compiled.rules:
                aliases = [f"leg{i}" for i in range(len(rule.patterns))]
                expressions = []
                leftovers: list[Cond | None] = []
                # A join on an absent field is false in the IR; say so with presence tests.
                needed: dict[int, set[str]] = {i: set() for i in range(len(rule.patterns))}
                for i, pattern in enumerate(rule.patterns):
                    for join in pattern.joins:
                        needed[i].add(join.field)
                        needed[join.other_leg].add(join.other_field)
                for i, pattern in enumerate(rule.patterns):
                    # Anchored on event_id: a leg made only of "field absent" tests would also
                    # match durable's own session state, and fire forever. Joins come first:
                    # durable drops the terms that follow an $or inside an $and.
                    expr = +m.event_id
                    for join in pattern.joins:
                        expr = expr & _join(m, c, join, aliases)
                    for name in sorted(needed[i]):
                        expr = expr & +getattr(m, name)
                    try:
                        expr = expr & _cond(m, pattern.condition)
                        leftovers.append(None)
                    except Untranslatable:
                        leftovers.append(pattern.condition)
                        self.python_checked += 1
                    expressions.append(getattr(c, aliases[i]) << expr)
                when_all(*expressions)(self._action(rule.id, aliases, leftovers))

    def _action(self, rule_id: str, aliases: list[str], leftovers: list[Cond | None]) -> Callable[[Any], None]:
        firings, days = self.firings, self._days

        def action(c: Any) -> None:
            legs = [getattr(c, alias) for alias in aliases]
            for leg, cond in zip(legs, leftovers, strict=False):
                if cond is not None and not _py_cond(leg._d, cond):
                    return
            for leg in legs:
                days[leg.event_id] = leg.event_date
            firings.add(Firing(rule_id, tuple(leg.event_id for leg in legs)))

        return action

    def feed(self, facts: Iterable[Mapping[str, Any]]) -> None:
        from durable.engine import MessageNotHandledException
        from durable.lang import assert_fact

        for fact in facts:
            # Without an "id", durable names a fact by a hash of its content, and on the 100k
            # feed two different events collide ("Message has already been observed").
            message = dict(fact, id=fact["event_id"])
            with contextlib.suppress(MessageNotHandledException):  # the README's way: a fact no rule wants is reported as an exception
                assert_fact(self.name, message)


    def counted(self) -> list[Firing]:
        """The firings a backtest counts: ``once_per`` rules reduced to one tuple per last event
        by the IR's own ``latest_per_last``, as ``matching.match_all`` and the scorer do. Matching
        finds every tuple in both engines; only this reduction, applied after, differs from
        ``self.firings`` (the 100k feed: 746,435 tuples, 468,160 counted)."""
        kept = [f for f in self.firings if f.rule_id not in self._once_per_last]
        by_rule: dict[str, list[tuple[str, ...]]] = {}
        for f in self.firings:
            if f.rule_id in self._once_per_last:
                by_rule.setdefault(f.rule_id, []).append(f.event_ids)
        for rule_id, tuples in by_rule.items():
            kept.extend(Firing(rule_id, ids) for ids in latest_per_last(tuples, self._days.__getitem__))
        return sorted(kept, key=lambda f: (f.rule_id, f.event_ids))


def naive_firings(compiled: CompiledRuleSet, facts: Iterable[Mapping[str, Any]]) -> list[Firing]:
    engine = NaiveDurable(compiled)
    engine.feed(facts)
    return sorted(engine.firings)
