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
from riskengine.core.native import NATIVE
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
# riskengine.core._native.cached_column where the extension is built (see FieldPlan.column), else None
_CACHED_COLUMN: Callable[[Sequence[Any], dict[Any, Any], int], list[Any] | None] | None = NATIVE.cached_column if NATIVE is not None else None
# riskengine.core._native.distinct_keys where the extension is built (see SingleStage.answers), else None
_DISTINCT_KEYS: Callable[[Sequence[Any]], tuple[list[Any], list[int]]] | None = NATIVE.distinct_keys if NATIVE is not None else None


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


class _Bad:
    def __repr__(self) -> str:
        return "BAD"


BAD: Any = _Bad()  # the representative of a value durable cannot be given (``Unrepresentable``)
_ONLY_BOOLS = frozenset({bool, type(None)})
_ONLY_STR = frozenset({str})


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
        # value -> representative, apart for booleans: True == 1 as a dict key, and a cached
        # number must never answer for a boolean nor the other way round. Only values of the
        # field's kind are ever cached (``representative`` refuses the rest).
        self.cache: dict[Any, Any] = {}
        self.bool_cache: dict[Any, Any] = {}

    def rep(self, value: Any) -> Any:
        """The value's representative: None when absent, ``BAD`` when durable cannot be given it."""
        if value is None:
            return None
        cache = self.bool_cache if value.__class__ is bool else self.cache
        try:
            found = cache.get(value)
        except TypeError:  # a list: only its presence can be tested natively
            try:
                return self.representative(value)
            except Unrepresentable:
                return BAD
        if found is None:
            try:
                found = self.representative(value)
            except Unrepresentable:
                return BAD
            if len(cache) >= CACHE_SIZE:
                cache.clear()
            cache[value] = found
        return found

    def column(self, values: Sequence[Any]) -> tuple[list[Any], bool]:
        """``rep`` of each value of a column (one field of a batch's rows), resolved a column
        at a time: the distinct values missing from the cache are filled first, so that one
        C-level ``map`` of the cache reads every row (absent values read None from it). The
        second result says whether some value may be ``BAD`` (a value at a time, only then)."""
        if self.presence_only:
            return list(map(operator.is_not, values, itertools.repeat(None))), False
        if _CACHED_COLUMN is not None:
            # every value already cached (most batches): one C pass, no set of the values
            found = _CACHED_COLUMN(values, self.bool_cache, 1) if self.kind == "bool" else _CACHED_COLUMN(values, self.cache, 0)
            if found is not None:
                return found, False
        try:
            distinct = set(values)
        except TypeError:  # a list
            return list(map(self.rep, values)), True
        distinct.discard(None)
        if self.kind == "bool":
            # True == 1: a number must not be read from the booleans' cache
            if not _ONLY_BOOLS.issuperset(map(type, values)):
                return list(map(self.rep, values)), True
            cache = self.bool_cache
        else:
            # ... nor a boolean from the numbers' (only a value equal to 0 or 1 can be one)
            if (True in distinct or False in distinct) and bool in set(map(type, values)):
                return list(map(self.rep, values)), True
            cache = self.cache
        new = distinct.difference(cache)
        if new:
            if len(distinct) > CACHE_SIZE:
                return list(map(self.rep, values)), True
            if len(cache) + len(new) > CACHE_SIZE:
                cache.clear()
                new = distinct
            representative = self.representative
            try:
                for value in new:
                    cache[value] = representative(value)
            except Unrepresentable:
                return list(map(self.rep, values)), True
        return list(map(cache.get, values)), False

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
        self.cache: dict[Any, tuple[bool, ...]] = {}  # by (class, value), lists as (list, tuple(value))
        self._str_cache: dict[str, tuple[bool, ...]] = {}  # strings' (a column of strings)
        self._list_cache: dict[tuple[Any, ...], tuple[bool, ...]] = {}  # lists of strings' by their items (a column of them)

    def results(self, value: Any) -> tuple[bool, ...] | None:
        """The tests' results on a value; None when it is absent."""
        if value is None:
            return None
        frozen: Any = (value.__class__, value)
        if kind(value) == "seq":
            # cached by their items only when all are strings: (1,) == (True,) as a key, and
            # [1] contains 1 where [True] does not
            frozen = (value.__class__, tuple(value)) if all(item.__class__ is str for item in value) else None
        try:
            found = self.cache.get(frozen)
        except TypeError:
            frozen, found = None, None
        if found is None:
            found = tuple([check(value) for check in self._checks])
            if frozen is not None:
                if len(self.cache) >= CACHE_SIZE:
                    self.cache.clear()
                self.cache[frozen] = found
        return found

    def column(self, values: Sequence[Any]) -> tuple[list[tuple[bool, ...] | None], bool]:
        """``results`` of each value of a column. A column of strings, or of lists, is read a
        column at a time (its distinct values' results filled first, as ``FieldPlan.column``),
        each kind from a cache of its own; any other column a value at a time."""
        if _CACHED_COLUMN is not None:
            found = _CACHED_COLUMN(values, self._str_cache, 2)  # a column of strings, all cached (most batches)
            if found is not None:
                return found, False
        types = set(map(type, values))
        absent = type(None) in types
        types.discard(type(None))
        cache: dict[Any, tuple[bool, ...]]
        lists = types == {list}
        if types == {str}:
            cache, keys = self._str_cache, values
        elif lists and not absent and _ONLY_STR.issuperset(map(type, itertools.chain.from_iterable(values))):
            cache, keys = self._list_cache, list(map(tuple, values))  # lists of strings (see ``results``)
        else:
            return list(map(self.results, values)), False
        try:
            distinct = set(keys)
        except TypeError:  # a list in a list
            return list(map(self.results, values)), False
        distinct.discard(None)
        new = distinct.difference(cache)
        if new:
            if len(distinct) > CACHE_SIZE:
                return list(map(self.results, values)), False
            if len(cache) + len(new) > CACHE_SIZE:
                cache.clear()
                new = distinct
            checks = self._checks
            for key in new:
                value = list(key) if lists else key
                cache[key] = tuple([check(value) for check in checks])
        return list(map(cache.get, keys)), False


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
        # A fact's key has one entry per slot: each field durable tests (its representative;
        # for a presence test, whether present), then each field tested in Python (the tests'
        # results), then, when there are any, the whole-condition tests' results. None: absent.
        self._slots: list[FieldPlan | PythonGroup] = [*plan.sent_fields, *plan.groups]
        self._names = tuple(dict.fromkeys(target.name for target in self._slots))  # each field once
        self._layouts: dict[tuple[str, ...], list[tuple[Callable[[Sequence[Any]], tuple[list[Any], bool]], int | None]]] = {}
        self.cache: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[int, ...]]] = {}

    @staticmethod
    def definitions(plan: Plan) -> Iterable[tuple[dict[str, Any], set[str]]]:
        """Each single-event ruleset's durable rules, and the fact keys they read."""
        for members in plan.single_sets:
            definition = {f"c{c}": {"all": [{"m": to_json(plan.conditions[c].node)}], "cap": CAP} for c in members}
            yield definition, {k for c in members for k in keys_of(plan.conditions[c].node)}

    # -- keys ------------------------------------------------------------------------------------

    def keys_of_rows(
        self, names: tuple[str, ...], rows: Sequence[Sequence[Any]], fact_at: Callable[[int], Mapping[str, Any]]
    ) -> tuple[list[tuple[Any, ...] | None], dict[int, tuple[tuple[str, ...], tuple[int, ...]]]]:
        """Each fact's key (None: judged in Python, its answer in the second result), of facts
        given as rows of values in the order of ``names``; a dict (``fact_at``) is made only of
        the rows that need one to be judged."""
        columns, bad = self.columns(names, rows)
        count = len(rows)
        whole = self.plan.whole
        if whole:
            columns.append([None if n in bad else tuple([test(fact_at(n)) for test in whole]) for n in range(count)])
        keys: list[tuple[Any, ...] | None] = list(zip(*columns, strict=True)) if columns else [()] * count
        fallback_answers: dict[int, tuple[tuple[str, ...], tuple[int, ...]]] = {}
        for n in sorted(bad):
            fallback_answers[n] = self.in_python(fact_at(n))
            keys[n] = None
        return keys, fallback_answers

    def columns(self, names: tuple[str, ...], rows: Sequence[Sequence[Any]]) -> tuple[list[list[Any]], set[int]]:
        """The key's entries a slot at a time, each a column over the rows (C-level ``map``s
        instead of a Python loop over every row's fields), and the rows holding a value durable
        cannot be given (``Unrepresentable``): those are judged in Python.

        The rows (all as long as ``names``) are turned into columns by one ``zip``, which reads
        each row once: a ``map`` of an itemgetter per slot read every row 31 times and was the
        largest line of the matcher's profile (5.7 % of a backtest's time on the world feed)."""
        layout = self._layouts.get(names)
        if layout is None:
            layout = self._layouts[names] = [(target.column, names.index(target.name) if target.name in names else None) for target in self._slots]
        absent: list[Any] = [None] * len(rows)
        fields: list[tuple[Any, ...]] = list(zip(*rows, strict=False)) if rows else [()] * len(names)  # rows may be longer
        columns: list[list[Any]] = []
        bad: set[int] = set()
        for resolve, at in layout:
            if at is None:
                columns.append(absent)
                continue
            column, checked = resolve(fields[at])
            if checked and BAD in column:
                bad.update(n for n, value in enumerate(column) if value is BAD)
            columns.append(column)
        return columns, bad

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

    def answers(
        self, keys: Sequence[tuple[Any, ...] | None], ids: Sequence[str]
    ) -> tuple[dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[int, ...]]], list[int] | None]:
        """``(rules fired, leg conditions held)`` per distinct key of one batch, from the cache
        or from durable, in the order of first appearance; and, where the extension is built,
        each row's position among them (-1: None), so that the caller need not hash the keys
        again (else None). Each row's key is hashed once, in C (``dict.fromkeys`` or
        ``distinct_keys``); the cache is read per distinct key."""
        cache = self.cache
        where: list[int] | None = None
        facts = len(keys)
        if _DISTINCT_KEYS is not None:
            distinct, where = _DISTINCT_KEYS(keys)
            known: dict[Any, Any] = dict.fromkeys(distinct)
            facts -= where.count(-1)
        else:
            known = dict.fromkeys(keys)  # this batch's, in the order of first appearance
            if None in known:
                del known[None]
                facts -= keys.count(None)
        missing: list[tuple[Any, ...]] = []
        for key in known:
            hit = cache.pop(key, None)
            if hit is None:
                missing.append(key)
            else:
                known[key] = cache[key] = hit  # most recently used last
        self.stats.cache_hits += facts - len(missing)
        if missing:
            known.update(self._evaluate(missing, keys, ids))
        return known, where

    def _evaluate(
        self, missing: Sequence[tuple[Any, ...]], keys: Sequence[tuple[Any, ...] | None], event_ids: Sequence[str]
    ) -> dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[int, ...]]]:
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
            for target, value in zip(slots, key, strict=False):
                if value is None:
                    continue
                if isinstance(target, FieldPlan):
                    if target.presence_only:
                        if value:
                            doc[target.key] = 1
                    else:
                        doc[target.key] = value
                else:
                    doc.update((name, True) for name, truth in zip(target.keys, value, strict=False) if truth)
            if plan.whole:
                doc.update((f"w{w}", True) for w, truth in enumerate(key[-1]) if truth)
            if len(doc) > MAX_FACT_KEYS:
                raise EngineLimitError(
                    f"event '{event_ids[keys.index(key)]}' would reach durable-rules with {len(doc)} properties; it holds at most {MAX_FACT_KEYS}"
                )
            docs.append(doc)
        matched: list[set[int]] = [set(self._constant) for _ in entries]
        for ruleset in self.rulesets:
            sent = [{k: v for k, v in doc.items() if k == "id" or k in ruleset.keys} for doc in docs] if len(self.rulesets) > 1 else docs
            for start in range(0, len(sent), self.batch_size):
                for message in ruleset.assert_facts(sent[start : start + self.batch_size], stats, fact_ids.hashes):
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
    if _ONLY_STR.issuperset(map(type, ids)):  # every id a str (one C-level pass): nothing to say
        return ids
    for n, event_id in enumerate(ids):
        if event_id.__class__ is not str:
            ids[n] = event_id_of(fact_at(n))  # says what is wrong, as for a dict
    return ids


__all__ = ["CACHE_SIZE", "FieldPlan", "PythonGroup", "SingleStage", "Unrepresentable", "number", "tests_in", "translate"]
