"""The single-event stage: which conditions each fact satisfies.

Every distinct condition, single-event rules and every pattern leg alike, becomes one durable
rule over one fact. Facts go in as *representatives*: a number is replaced by a value of its
interval between the rule constants of its field, a string by itself if some rule names it and
by a sentinel otherwise. The set of conditions a fact satisfies depends only on its
representatives (and on the Python-evaluated tests), so each distinct combination is evaluated
by durable once per matcher and the answer kept in a bounded LRU cache. A fact with a value
durable cannot be given faithfully (``Unrepresentable``) is judged wholly in Python.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from riskengine.core.errors import EngineError, EngineLimitError
from riskengine.engine.base import MatchStats, event_id_of
from riskengine.engine.durable import fallback
from riskengine.engine.durable.decode import CAP, decode
from riskengine.engine.durable.fallback import kind
from riskengine.engine.durable.layout import EXACT_INT, MAX_FACT_KEYS, TRUE, Lit, Node, conj, disj, keys_of, to_json
from riskengine.engine.durable.session import FactIds, Ruleset
from riskengine.rules.ir import ID_FIELD, And, Cond, Not, Or, Test

if TYPE_CHECKING:
    from riskengine.engine.durable.plan import Plan

CACHE_SIZE = 65_536


def number(value: Any) -> Any:
    """Whole floats as ints: durable's join hash writes 7 as '7' and 7.0 as '7.000000'."""
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_INT:
        return int(value)
    return value


def _native_constant(value: Any) -> bool:
    held = kind(value)
    if held == "num":
        return math.isfinite(value) and abs(value) < EXACT_INT
    return held in ("str", "bool")


class Unrepresentable(Exception):
    """A fact value durable cannot be given faithfully; the fact is evaluated in Python."""


VALUE_OPS = frozenset({"eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte"})
ORDER_OPS = frozenset({"gt", "gte", "lt", "lte"})
_NEGATED_ORDER = {"gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}


def _constants(test: Test) -> tuple[Any, ...]:
    if test.op in ("in", "not_in"):
        return tuple(test.value) if isinstance(test.value, (tuple, list)) else (test.value,)
    return (test.value,)


class FieldPlan:
    """How one field reaches the single-event stage: its key, kind and representative values."""

    def __init__(self, name: str, key: str, tests: Sequence[Test]) -> None:
        self.name = name
        self.key = key
        value_tests = [t for t in tests if t.op in VALUE_OPS]
        consts = [c for t in value_tests for c in _constants(t)]
        kinds = {kind(c) for c in consts}
        self.kind: str | None = None
        if consts and len(kinds) == 1 and all(_native_constant(c) for c in consts):
            self.kind = kinds.pop()
        self.native_tests = frozenset(
            t
            for t in tests
            if t.op in ("exists", "not_exists")
            or (self.kind is not None and t.op in VALUE_OPS and (t.op not in ORDER_OPS or self.kind == "num"))
        )
        if not any(t.op in VALUE_OPS for t in self.native_tests):
            self.kind = None  # only presence is tested natively
        native_consts = {number(c) for t in self.native_tests if t.op in VALUE_OPS for c in _constants(t)}
        self.sent = bool(self.native_tests)
        self._sorted: list[Any] = sorted(native_consts) if self.kind == "num" else []
        self._names = frozenset(native_consts) if self.kind in ("str", "bool") else frozenset()
        self._sentinel = "\u0000"
        while self._sentinel in self._names:
            self._sentinel += "\u0000"
        self.presence_only = self.sent and self.kind is None
        self.slot = -1  # position in a matcher's fact key
        # value -> (slot, representative), apart for booleans: True == 1 as a dict key, and
        # a cached number must never answer for a boolean nor the other way round
        self.cache: dict[Any, tuple[int, Any]] = {}
        self.bool_cache: dict[Any, tuple[int, Any]] = {}

    def key_part(self, value: Any) -> tuple[int, Any]:
        """``(slot, representative)`` for a fact's key; Unrepresentable when durable cannot
        be given the value."""
        cache = self.bool_cache if value.__class__ is bool else self.cache
        try:
            found = cache.get(value)
        except TypeError:  # a list: only its presence can be tested natively
            return (self.slot, self.representative(value))
        if found is None:
            found = (self.slot, self.representative(value))
            if len(cache) >= CACHE_SIZE:
                cache.clear()
            cache[value] = found
        return found

    def is_native(self, test: Test) -> bool:
        return test in self.native_tests

    def representative(self, value: Any) -> Any:
        """A value with the same outcome on every native test of this field."""
        if self.presence_only:
            return 1
        held = kind(value)
        if held != self.kind:
            raise Unrepresentable(f"'{self.name}' holds {held} {value!r} where rules compare it with {self.kind} values")
        if held == "str":
            return value if value in self._names else self._sentinel
        if held == "bool":
            return value
        if isinstance(value, float) and math.isnan(value):
            raise Unrepresentable(f"'{self.name}' is NaN")
        consts = self._sorted
        i = bisect.bisect_left(consts, value)
        if i < len(consts) and consts[i] == value:
            return consts[i]
        if not consts:
            return 0
        if i == 0:
            rep = consts[0] - 1
            ok = rep < consts[0]
        elif i == len(consts):
            rep = consts[-1] + 1
            ok = rep > consts[-1]
        else:
            rep = (consts[i - 1] + consts[i]) / 2
            ok = consts[i - 1] < rep < consts[i]
        if ok:
            return number(rep)
        if math.isfinite(value) and abs(value) < EXACT_INT:
            return number(value)
        raise Unrepresentable(f"'{self.name}' = {value!r} cannot be sent to durable-rules")


class PythonGroup:
    """The tests on one field that are evaluated in Python, cached by the field's value."""

    def __init__(self, name: str, tests: Sequence[Test], keys: Sequence[str]) -> None:
        self.name = name
        self.tests = tuple(tests)
        self._checks = tuple(fallback.value_test(t) for t in tests)
        self.keys = tuple(keys)
        self.slot = -1  # position in a matcher's fact key
        self.cache: dict[Any, tuple[int, tuple[bool, ...]]] = {}

    def key_part(self, value: Any) -> tuple[int, tuple[bool, ...]]:
        """``(slot, the tests' results)`` for a fact's key."""
        frozen: Any = (list, tuple(value)) if isinstance(value, list) else (value.__class__, value)
        try:
            found = self.cache.get(frozen)
        except TypeError:
            frozen, found = None, None
        if found is None:
            found = (self.slot, tuple([check(value) for check in self._checks]))
            if frozen is not None:
                if len(self.cache) >= CACHE_SIZE:
                    self.cache.clear()
                self.cache[frozen] = found
        return found


def translate(cond: Cond, fields: Mapping[str, FieldPlan], python_keys: Mapping[Test, str], negate: bool = False) -> Node:
    """A condition as durable literals on the fact keys of ``fields``; a test durable cannot be
    trusted with is the boolean key Python sets for it."""
    if isinstance(cond, Not):
        return translate(cond.term, fields, python_keys, not negate)
    if isinstance(cond, (And, Or)):
        parts = [translate(t, fields, python_keys, negate) for t in cond.terms]
        return conj(parts) if isinstance(cond, And) != negate else disj(parts)
    if not isinstance(cond, Test):
        raise EngineError(f"not a condition: {cond!r}")
    plan = fields[cond.field]
    if not plan.is_native(cond):
        return Lit(python_keys[cond], "nex" if negate else "eq", None if negate else True)
    key, op = plan.key, cond.op
    if op == "exists":
        return Lit(key, "nex" if negate else "ex")
    if op == "not_exists":
        return Lit(key, "ex" if negate else "nex")
    values = sorted({number(c) for c in _constants(cond)}, key=repr)
    absent = Lit(key, "nex")
    if op == "eq":
        return disj([absent, Lit(key, "neq", values[0])]) if negate else Lit(key, "eq", values[0])
    if op == "ne":
        return disj([absent, Lit(key, "eq", values[0])]) if negate else Lit(key, "neq", values[0])
    if op == "in":
        anyof = disj([Lit(key, "eq", v) for v in values])
        return disj([absent, conj([Lit(key, "neq", v) for v in values]) if values else TRUE]) if negate else anyof
    if op == "not_in":
        noneof = conj([Lit(key, "neq", v) for v in values] or [Lit(key, "ex")])
        return disj([absent, *(Lit(key, "eq", v) for v in values)]) if negate else noneof
    if op in ORDER_OPS:
        if negate:
            return disj([absent, Lit(key, _NEGATED_ORDER[op], values[0])])
        return Lit(key, op, values[0])
    raise EngineError(f"unknown test operator {op!r} on field '{cond.field}'")


def tests_in(cond: Cond) -> Iterable[Test]:
    if isinstance(cond, Test):
        yield cond
    elif isinstance(cond, Not):
        yield from tests_in(cond.term)
    elif isinstance(cond, (And, Or)):
        for term in cond.terms:
            yield from tests_in(term)
    else:
        raise EngineError(f"not a condition: {cond!r}")


class SingleStage:
    """The single-event rulesets of one matcher, and what it knows of the facts seen so far."""

    def __init__(self, plan: Plan, batch_size: int, stats: MatchStats, rulesets: list[Ruleset]) -> None:
        self.plan = plan
        self.batch_size = batch_size
        self.stats = stats
        self.rulesets = rulesets
        # Where the ids of one evaluation's facts come from (FactIds skips colliding hashes).
        self.numbers: Callable[[], Iterable[int]] = itertools.count
        self._constant = [c for c, cond in enumerate(plan.conditions) if cond.node == TRUE]
        self._slots: list[FieldPlan | PythonGroup] = [*plan.sent_fields, *plan.groups]
        for slot, target in enumerate(self._slots):
            target.slot = slot
        # field name -> (its key part when only its presence is tested; the FieldPlan's two
        # caches and the FieldPlan when durable tests its value; its PythonGroup when Python does)
        self._handlers: dict[str, tuple[Any, ...]] = {}
        for field_plan in plan.sent_fields:
            constant = (field_plan.slot, field_plan.representative(None)) if field_plan.presence_only else None
            self._handlers[field_plan.name] = (constant, field_plan.cache, field_plan.bool_cache, field_plan, None)
        for group in plan.groups:
            constant, cache, bool_cache, field_plan, _ = self._handlers.get(group.name, (None, None, None, None, None))
            self._handlers[group.name] = (constant, cache, bool_cache, field_plan, group)
        self._row_handlers: dict[tuple[str, ...], list[tuple[Any, ...] | None]] = {}
        self.cache: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[int, ...]]] = {}

    @staticmethod
    def definitions(plan: Plan) -> Iterable[tuple[dict[str, Any], set[str]]]:
        """Each single-event ruleset's durable rules, and the fact keys they read."""
        for members in plan.single_sets:
            definition = {f"c{c}": {"all": [{"m": to_json(plan.conditions[c].node)}], "cap": CAP} for c in members}
            yield definition, {k for c in members for k in keys_of(plan.conditions[c].node)}

    # -- keys ------------------------------------------------------------------------------------

    def keys_of_facts(self, facts: Sequence[Mapping[str, Any]]) -> tuple[list[tuple[Any, ...] | None], dict[int, tuple[tuple[str, ...], tuple[int, ...]]]]:
        """Each fact's key (None: judged in Python, its answer in the second result)."""
        keys: list[tuple[Any, ...] | None] = []
        fallback_answers: dict[int, tuple[tuple[str, ...], tuple[int, ...]]] = {}
        handlers = self._handlers
        for n, fact in enumerate(facts):
            try:
                keys.append(self.key(zip(map(handlers.get, fact), fact.values(), strict=True), fact))
            except Unrepresentable:
                fallback_answers[n] = self.in_python(fact)
                keys.append(None)
        return keys, fallback_answers

    def keys_of_rows(
        self, names: tuple[str, ...], rows: Sequence[Sequence[Any]], fact_at: Callable[[int], Mapping[str, Any]]
    ) -> tuple[list[tuple[Any, ...] | None], dict[int, tuple[tuple[str, ...], tuple[int, ...]]]]:
        """``keys_of_facts`` of facts given as rows of values in the order of ``names``; a
        dict (``fact_at``) is made only of the rows that need one to be judged."""
        handlers = self._row_handlers.get(names)
        if handlers is None:
            handlers = self._row_handlers[names] = [self._handlers.get(name) for name in names]
        whole = bool(self.plan.whole)
        keys: list[tuple[Any, ...] | None] = []
        fallback_answers: dict[int, tuple[tuple[str, ...], tuple[int, ...]]] = {}
        for n, row in enumerate(rows):
            try:
                keys.append(self.key(zip(handlers, row, strict=False), fact_at(n) if whole else None))
            except Unrepresentable:
                fallback_answers[n] = self.in_python(fact_at(n))
                keys.append(None)
        return keys, fallback_answers

    def key(self, items: Iterable[tuple[tuple[Any, ...] | None, Any]], fact: Mapping[str, Any] | None) -> tuple[Any, ...]:
        """What the single-event stage needs to know of a fact: for each field present that
        durable tests, its slot and representative; for each field tested in Python, its slot
        and test results; then the whole-condition tests. ``items`` pairs each of the fact's
        values with its field's handler (None: no rule tests it); ``fact`` is needed only for
        the whole-condition tests. Absent fields (None) are passed over."""
        parts: list[tuple[int, Any]] = []
        append = parts.append
        for handler, value in items:
            if handler is None or value is None:
                continue
            constant, cache, bool_cache, plan, group = handler
            if constant is not None:  # only presence is tested: every value is the same
                append(constant)
            elif plan is not None:
                try:  # FieldPlan.key_part, its cache read here: the call cost as much as the rest
                    append((bool_cache if value.__class__ is bool else cache)[value])
                except (KeyError, TypeError):
                    append(plan.key_part(value))
            if group is not None:
                append(group.key_part(value))
        if self.plan.whole:
            assert fact is not None
            append((-1, tuple([test(fact) for test in self.plan.whole])))
        return tuple(parts)

    def in_python(self, fact: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """``(rules fired, leg conditions held)`` of a fact durable cannot be given."""
        rules: list[str] = []
        flags: list[int] = []
        for c, cond in enumerate(self.plan.conditions):
            if cond.python(fact):
                rules.extend(cond.rules)
                if cond.legs:
                    flags.append(c)
        return tuple(sorted(rules)), tuple(flags)

    # -- answers ---------------------------------------------------------------------------------

    def answers(self, keys: Sequence[tuple[Any, ...] | None], ids: Sequence[str]) -> dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[int, ...]]]:
        """``(rules fired, leg conditions held)`` per distinct key of one batch, from the cache
        or from durable."""
        stats = self.stats
        missing: dict[tuple[Any, ...], int] = {}
        cache = self.cache
        known: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[int, ...]]] = {}  # this batch's
        for n, key in enumerate(keys):
            if key is None:
                continue
            if key in known:
                stats.cache_hits += 1
                continue
            hit = cache.pop(key, None)
            if hit is None:
                missing.setdefault(key, n)
            else:
                stats.cache_hits += 1
                known[key] = cache[key] = hit  # most recently used last
        if missing:
            known.update(self._evaluate({key: ids[n] for key, n in missing.items()}))
        return known

    def _evaluate(self, missing: Mapping[tuple[Any, ...], str]) -> dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[int, ...]]]:
        """Send each distinct representative fact through the single-event rulesets once."""
        plan = self.plan
        stats = self.stats
        entries = list(missing)
        fact_ids = FactIds(self.numbers())
        ids = [fact_ids.take() for _ in entries]
        position = {fact_id: n for n, fact_id in enumerate(ids)}
        docs: list[dict[str, Any]] = []
        slots = self._slots
        for fact_id, key in zip(ids, entries, strict=True):
            doc: dict[str, Any] = {"id": fact_id}
            for slot, value in key:
                if slot < 0:
                    doc.update((f"w{w}", True) for w, truth in enumerate(value) if truth)
                    continue
                target = slots[slot]
                if isinstance(target, FieldPlan):
                    doc[target.key] = value
                else:
                    doc.update((name, True) for name, truth in zip(target.keys, value, strict=False) if truth)
            if len(doc) > MAX_FACT_KEYS:
                raise EngineLimitError(
                    f"event '{missing[key]}' would reach durable-rules with {len(doc)} properties; it holds at most {MAX_FACT_KEYS}"
                )
            docs.append(doc)
        matched: list[set[int]] = [set(self._constant) for _ in entries]
        for ruleset in self.rulesets:
            sent = [{k: v for k, v in doc.items() if k == "id" or k in ruleset.keys} for doc in docs] if len(self.rulesets) > 1 else docs
            for start in range(0, len(sent), self.batch_size):
                for message in ruleset.assert_facts(sent[start : start + self.batch_size], stats):
                    letter, c, results = decode(message, 1)
                    if letter != "c":
                        continue  # the marker
                    for (fact_id,) in results:
                        matched[position[fact_id]].add(c)
                ruleset.delete_session()
        stats.evaluated += len(entries)
        cache = self.cache
        evaluated: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[int, ...]]] = {}
        for key, conds in zip(entries, matched, strict=False):
            rules = tuple(sorted(r for c in conds for r in plan.conditions[c].rules))
            flags = tuple(sorted(c for c in conds if plan.conditions[c].legs))
            if len(cache) >= CACHE_SIZE:  # least recently used first
                for old in list(itertools.islice(cache, max(1, CACHE_SIZE // 4))):
                    del cache[old]
            evaluated[key] = cache[key] = (rules, flags)
        return evaluated


def event_ids_of_rows(names: tuple[str, ...], rows: Sequence[Sequence[Any]], fact_at: Callable[[int], Mapping[str, Any]]) -> list[str]:
    ids: list[Any] = list(map(operator.itemgetter(names.index(ID_FIELD)), rows)) if ID_FIELD in names else [None] * len(rows)
    for n, event_id in enumerate(ids):
        if event_id.__class__ is not str:
            ids[n] = event_id_of(fact_at(n))  # says what is wrong, as for a dict
    return ids


__all__ = ["CACHE_SIZE", "FieldPlan", "PythonGroup", "SingleStage", "Unrepresentable", "number", "tests_in", "translate"]
