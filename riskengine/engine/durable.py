"""The durable-rules adapter: the only module that imports durable-rules.

It drives durable's C core (``durable_rules_engine``, shipped in the durable-rules wheel) directly
rather than through ``durable.engine.Host``: the stock host runs actions on background timer
threads, so a call can return with firings still pending, and it swallows exceptions raised in
actions. Here no Python action ever runs. After each assert the pending actions are drained
explicitly (``start_action`` / ``complete_and_start_action`` until durable has none left), and
each action message is read for what fired and on which facts.

How a rule set is laid out in durable
-------------------------------------
*Single-event stage.* Every distinct condition, single-event rules and every pattern leg alike,
becomes one durable rule over one fact. Facts go in as *representatives*: a number is replaced by
a value of its interval between the rule constants of its field, a string by itself if some rule
names it and by a sentinel otherwise. The set of conditions a fact satisfies depends only on its
representatives (and on the Python-evaluated tests below), so each distinct combination is
evaluated by durable once per matcher and the answer kept in a bounded LRU cache.

*Pattern stage.* A fact that is a candidate for some leg goes to the pattern rulesets with one
boolean key per leg condition it satisfies, plus the real values of the fields joins compare.
Each pattern rule tests those keys and its joins, written as correlated conditions on earlier
aliases (``{"$lte": {"f3": {"$add": {"$l": {"a0": "f3"}, "$r": 60}}}}``). Facts stay in a
long-lived session; once no later fact can join them (see riskengine.engine.matching) they are released
by deleting the session and asserting the facts still live into a new one. A candidate reaches
durable only once one of its rules has a live candidate for every leg (before that no tuple of
the rule can complete); until then it waits in Python, and most such wait and expire unseen.

What durable cannot be trusted with is evaluated in Python, with riskengine.engine.reference's
semantics: ``contains`` and ``matches`` (durable's regex dialect is small and case-sensitive),
order tests on strings (durable compares raw JSON bytes and past the end of the shorter string),
tests on lists, fields whose rule constants mix kinds, and joins between fields whose kind is not
known to be the same. Python tests reach durable as boolean keys (``"p4": true``); Python joins
filter durable's firings.

Limits and bugs of durable 2.0.28, measured and read in its C source (src/rules/*.c), and what
this module does about each (the tests in tests/test_durable.py fail if one comes back):

* A fact matching no rule sets result code 1, an already-seen fact id code 2 (the Python wrapper
  raises on both before any action runs): ids are unique per session and code 1 is normal.
* 255 properties per fact including ``sid`` and ``id``: more raises EngineLimitError before any
  assert. 16 facts per rule (17 fails at assert): more legs raise EngineLimitError at compile.
* 31 expressions per leg (each join one, each ``$and``/``$or`` two): extra joins are checked in
  Python, conditions too deep to fit become one Python test.
* Per alpha node: 511 hashed children (512 hangs), 127 "not exists"/``$or`` links (128 fails),
  255 rules ending on it (256 segfaults); a fact may push at most 64 matching nodes on the
  traversal stack (error 303). Each ruleset's network is simulated as it is filled (``Layout``)
  and closed before a budget is reached; a condition that alone breaks one becomes a Python
  test. At most 400 rules per ruleset.
* An equality join hashes ints with ``%lld`` and doubles with ``%f``, so 7 never meets 7.0:
  whole floats are sent as ints.
* A join on a property the other fact lacks aborts the whole assert (error 311): both sides of
  every join are guarded with ``$ex``.
* A failing join just before the end of a leg's ``$and`` makes durable read past the expression
  sequence (a segfault at the end of the node pool): every leg with joins ends with one that
  always holds (``_ALWAYS``).
* ``$or`` is a merge node: a fact matching two branches fires twice. Firings are de-duplicated.
* The session's own state object is a fact too and satisfies conditions like ``$nex``: firings
  on it are ignored.
* About 8.6 KB per stored fact, and 1,024 sessions per ruleset. Deleting a session is the only
  safe way to free facts, and it has two bugs of its own: see ``_Ruleset``. The single-event
  session is deleted after every batch; pattern facts are released by session rotation
  (``DurableMatcher._rotate``), never by retraction.
* One action message per firing costs a C call and a JSON decode each: rules carry ``cap`` so
  that one message holds every result of a rule, read with a regular expression (``decode``).
"""

from __future__ import annotations

import bisect
import functools
import gc
import heapq
import itertools
import json
import math
import operator
import os
import re
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

import durable_rules_engine as _engine  # type: ignore[import-not-found]  # no stubs

from riskengine.rules.compiler import ContradictionError, leg_reach
from riskengine.core.errors import EngineError, EngineLimitError
from riskengine.rules.ir import (
    DATE_FIELD,
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
from riskengine.engine.base import MatchStats, event_id_of
from riskengine.engine.reference import compile_condition, join_holds, kind_of, test_holds

# Measured/read limits of durable-rules 2.0.28 (see the module docstring) and our margins.
MAX_FACT_KEYS = 253  # user keys including "id"; durable adds "sid" and stops at 255
MAX_LEGS = 16
MAX_EXPRESSIONS = 31
MAX_HASHED_CHILDREN = 450  # 511
MAX_LIST_CHILDREN = 100  # 127
MAX_BETAS = 200  # 255
MAX_STACK = 56  # 64
MAX_RULES_PER_RULESET = 400
CACHE_SIZE = 65_536
PATTERN_SLICE = 256  # facts per pattern-stage assert (see DurableMatcher._patterns)
ROTATE_MIN = 1024  # expired pattern facts a session may hold before it is replaced ...
ROTATE_FACTOR = 2  # ... once they also number this many times the live ones
_EXACT_INT = 2**53

_ERRORS = {
    101: "out of memory",
    102: "unexpected type in a rule",
    104: "unexpected value in a rule",
    105: "unexpected name in a rule",
    106: "too many conditions on one node (more than 511)",
    107: "too many 'not exists' or 'or' links on one node (more than 127)",
    108: "too many rules ending on one node (more than 255)",
    112: "too many rulesets in this process",
    113: "too many expressions in one pattern (more than 31)",
    201: "malformed JSON",
    302: "too many properties in one fact",
    303: "a fact matches too many conditions at once (more than 64)",
    304: "too many facts in one rule (more than 16)",
    309: "unknown session",
    311: "a join refers to a property the other fact lacks",
}

_names = itertools.count()


def _fail(action: str, error: Exception) -> EngineError:
    text = str(error)
    code = text.rsplit(":", 1)[-1].strip()
    meaning = _ERRORS.get(int(code)) if code.isdigit() else None
    return EngineError(f"durable-rules failed to {action}: {text}" + (f" ({meaning})" if meaning else ""))


# ---------------------------------------------------------------------------------------------
# Conditions as durable sees them: literals on fact keys, and/or, constants.


@dataclass(frozen=True)
class Lit:
    key: str
    op: str  # eq, neq, gt, gte, lt, lte, ex, nex
    value: Any = None

    def sort_key(self) -> tuple[Any, ...]:
        # equality tests first: nodes they create are shared by the most rules
        return (0 if self.op == "eq" else 1, self.key, self.op, type(self.value).__name__, repr(self.value))


@dataclass(frozen=True)
class Conj:
    terms: tuple[Node, ...]

    def sort_key(self) -> tuple[Any, ...]:
        return (2, "and", repr(self))


@dataclass(frozen=True)
class Disj:
    terms: tuple[Node, ...]

    def sort_key(self) -> tuple[Any, ...]:
        return (2, "or", repr(self))


@dataclass(frozen=True)
class Const:
    value: bool

    def sort_key(self) -> tuple[Any, ...]:
        return (3, self.value)


Node = Lit | Conj | Disj | Const
TRUE, FALSE = Const(True), Const(False)


def conj(terms: Iterable[Node]) -> Node:
    flat: dict[Node, None] = {}
    for term in terms:
        if term == FALSE:
            return FALSE
        if term == TRUE:
            continue
        for t in term.terms if isinstance(term, Conj) else (term,):
            flat[t] = None
    if not flat:
        return TRUE
    if len(flat) == 1:
        return next(iter(flat))
    return Conj(tuple(sorted(flat, key=lambda t: t.sort_key())))


def disj(terms: Iterable[Node]) -> Node:
    flat: dict[Node, None] = {}
    for term in terms:
        if term == TRUE:
            return TRUE
        if term == FALSE:
            continue
        for t in term.terms if isinstance(term, Disj) else (term,):
            flat[t] = None
    if not flat:
        return FALSE
    if len(flat) == 1:
        return next(iter(flat))
    return Disj(tuple(sorted(flat, key=lambda t: t.sort_key())))


def to_json(node: Node) -> Any:
    if isinstance(node, Lit):
        if node.op == "eq":
            return {node.key: node.value}
        if node.op in ("ex", "nex"):
            return {f"${node.op}": {node.key: 1}}
        return {f"${node.op}": {node.key: node.value}}
    if isinstance(node, Conj):
        return {"$and": [to_json(t) for t in node.terms]}
    if isinstance(node, Disj):
        return {"$or": [to_json(t) for t in node.terms]}
    raise EngineError(f"constant condition {node!r} has no durable form")


def expression_count(node: Node) -> int:
    """Slots a condition takes in its beta node's expression sequence ($and/$or: two each)."""
    if isinstance(node, (Conj, Disj)):
        return 2 + sum(expression_count(t) for t in node.terms)
    return 0


def _number(value: Any) -> Any:
    """Whole floats as ints: durable's join hash writes 7 as '7' and 7.0 as '7.000000'."""
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_INT:
        return int(value)
    return value


def _native_constant(value: Any) -> bool:
    kind = kind_of(value)
    if kind == "num":
        return math.isfinite(value) and abs(value) < _EXACT_INT
    return kind in ("str", "bool")


class Unrepresentable(Exception):
    """A fact value durable cannot be given faithfully; the fact is evaluated in Python."""


# ---------------------------------------------------------------------------------------------
# Fields of the single-event stage


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
        kinds = {kind_of(c) for c in consts}
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
        native_consts = {_number(c) for t in self.native_tests if t.op in VALUE_OPS for c in _constants(t)}
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
        kind = kind_of(value)
        if kind != self.kind:
            raise Unrepresentable(f"'{self.name}' holds {kind} {value!r} where rules compare it with {self.kind} values")
        if kind == "str":
            return value if value in self._names else self._sentinel
        if kind == "bool":
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
            return _number(rep)
        if math.isfinite(value) and abs(value) < _EXACT_INT:
            return _number(value)
        raise Unrepresentable(f"'{self.name}' = {value!r} cannot be sent to durable-rules")


class PythonGroup:
    """The tests on one field that are evaluated in Python, cached by the field's value."""

    def __init__(self, name: str, tests: Sequence[Test], keys: Sequence[str]) -> None:
        self.name = name
        self.tests = tuple(tests)
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
            one = {self.name: value}
            found = (self.slot, tuple(test_holds(t, one) for t in self.tests))
            if frozen is not None:
                if len(self.cache) >= CACHE_SIZE:
                    self.cache.clear()
                self.cache[frozen] = found
        return found


# ---------------------------------------------------------------------------------------------
# Simulated alpha network: durable's layout of a ruleset, to keep each one inside its limits.


class _Alpha:
    __slots__ = ("betas", "eq_prop", "hashed", "is_eq", "listed", "listed_index", "peak")

    def __init__(self, eq_prop: str | None = None) -> None:
        self.hashed: dict[Any, _Alpha] = {}
        self.listed: list[_Alpha] = []
        self.listed_index: dict[Any, _Alpha] = {}
        self.betas = 0
        self.eq_prop = eq_prop  # equality nodes on one property: at most one matches a fact
        self.peak = 0

    def pushes(self) -> int:
        """Most children one fact can push on durable's traversal stack from this node."""
        eq_props = {c.eq_prop for c in self.hashed.values() if c.eq_prop is not None}
        others = sum(1 for c in self.hashed.values() if c.eq_prop is None)
        return len(eq_props) + others + len(self.listed)

    def children(self) -> Iterable[_Alpha]:
        return itertools.chain(self.hashed.values(), self.listed)


class Layout:
    """One ruleset's alpha network as durable 2.0.28 builds it from our JSON (rete.c createAlpha:
    ``$and`` chains, ``$or`` merges its branches in a fresh forward node linked from each branch's
    end, equal tests under one parent are shared, ``$nex`` and forward nodes sit in a short list)."""

    def __init__(self) -> None:
        self.root = _Alpha()
        self.rules = 0
        self._undo: list[Callable[[], object]] = []
        self._touched: list[_Alpha] = []
        self.ok = True

    def _node(self, parent: _Alpha, lit: Lit) -> _Alpha:
        self._touched.append(parent)
        vkey: tuple[Any, ...] = (lit.key, lit.op, type(lit.value).__name__, repr(lit.value))
        if lit.op == "nex":
            child = parent.listed_index.get(vkey)
            if child is None:
                child = _Alpha()
                parent.listed.append(child)
                parent.listed_index[vkey] = child
                self._undo.append(lambda: (parent.listed.pop(), parent.listed_index.pop(vkey)))
                if len(parent.listed) > MAX_LIST_CHILDREN:
                    self.ok = False
            return child
        if lit.op == "join":
            vkey = ("join", next(_names))  # durable never shares correlated nodes: count each
        child = parent.hashed.get(vkey)
        if child is None:
            child = _Alpha(lit.key if lit.op == "eq" else None)
            parent.hashed[vkey] = child
            self._undo.append(lambda: parent.hashed.pop(vkey))
            if len(parent.hashed) > MAX_HASHED_CHILDREN:
                self.ok = False
        return child

    def _build(self, node: Node, parent: _Alpha) -> _Alpha:
        if isinstance(node, Lit):
            end = self._node(parent, node)
        elif isinstance(node, Conj):
            end = parent
            for term in node.terms:
                end = self._build(term, end)
        elif isinstance(node, Disj):
            forward = _Alpha()
            for term in node.terms:
                branch = self._build(term, parent)
                self._touched.append(branch)
                branch.listed.append(forward)
                self._undo.append(branch.listed.pop)
                if len(branch.listed) > MAX_LIST_CHILDREN:
                    self.ok = False
            end = forward
        else:
            raise EngineError(f"constant condition {node!r} has no durable form")
        self._touched.append(end)
        return end

    def add_rule(self, legs: Sequence[Node]) -> bool:
        """Lay out one rule (one condition per leg); False, with nothing changed, when the
        ruleset would break a budget."""
        return self.add_rules([legs])

    def add_rules(self, rules: Sequence[Sequence[Node]]) -> bool:
        """Lay out several rules, all or none."""
        self._undo, self._touched, self.ok = [], [], True
        for legs in rules:
            for leg in legs:
                end = self._build(leg, self.root)
                end.betas += 1
                self._undo.append(functools.partial(_dec_betas, end))
                if end.betas > MAX_BETAS:
                    self.ok = False
        saved = [(n, n.peak) for n in self._touched]
        touched = {id(n) for n in self._touched}
        done: set[int] = set()

        def refresh(n: _Alpha) -> None:  # children first: the network is a DAG
            done.add(id(n))
            for c in n.children():
                if id(c) in touched and id(c) not in done:
                    refresh(c)
            pushes = n.pushes()
            deepest = max((c.peak for c in n.children()), default=0)
            n.peak = max(pushes, pushes - 1 + deepest) if pushes else 0

        refresh(self.root)
        if not self.ok or self.root.peak > MAX_STACK or self.rules + len(rules) > MAX_RULES_PER_RULESET:
            for n, peak in saved:
                n.peak = peak
            for undo in reversed(self._undo):
                undo()
            return False
        self.rules += len(rules)
        return True


def _dec_betas(node: _Alpha) -> None:
    node.betas -= 1


# ---------------------------------------------------------------------------------------------
# Rulesets in durable


class _Ruleset:
    """One durable ruleset: its handle, its current session, asserting and draining.

    Every ruleset also holds the rule ``z0`` on a marker fact. durable leaves a new session's
    action context uninitialised and frees it when the session is deleted (state.c,
    deleteStateNode: a crash when the garbage is not NULL); running one action first sets it,
    so the marker is asserted and drained before every delete.

    Facts are never retracted. durable deletes a completed action's frame but leaves the
    frame's location in its facts, and marks it as still dispatching, so retracting a fact that
    fired walks freed frames and reads past them (events.c, handleDeleteMessage, and state.c,
    deleteMessageFromFrame; seen under valgrind). Pattern facts are released by deleting the
    session and asserting the live ones again (see DurableMatcher._rotate).
    """

    MARKER = "zz"

    def __init__(self, definition: Mapping[str, Any], keys: Iterable[str]) -> None:
        self.name = f"riskengine_{os.getpid()}_{next(_names)}"
        self.keys = frozenset(keys)
        full = {**definition, "z0": {"all": [{"m": {self.MARKER: 1}}]}}
        try:
            self.handle = _engine.create_ruleset(self.name, json.dumps(full))
        except _engine.error as error:
            raise _fail("create a ruleset", error) from None
        self.open_session = False

    def assert_facts(self, facts: Sequence[Mapping[str, Any]], stats: MatchStats) -> list[str]:
        """Assert into the session, then drain every pending action; returns the action
        messages (JSON text)."""
        if not self.open_session:
            self.open_session = True
            stats.sessions_opened += 1
        return self._assert(facts)

    def _assert(self, facts: Sequence[Mapping[str, Any]]) -> list[str]:
        try:
            code, state = _engine.assert_facts(self.handle, json.dumps(facts))
        except _engine.error as error:
            raise _fail("assert facts", error) from None
        if code == 2:
            raise EngineError("durable-rules saw the same fact id twice in one session")
        return self._drain(state)

    def _drain(self, state: int) -> list[str]:
        """Every pending action message, in durable's order; each action is completed at once."""
        messages: list[str] = []
        try:
            started = _engine.start_action_for_state(self.handle, state)
            while started:
                messages.append(started[1])
                following = _engine.complete_and_start_action(self.handle, state)
                while following:
                    messages.append(following)
                    following = _engine.complete_and_start_action(self.handle, state)
                started = _engine.start_action(self.handle)
                if started:
                    state = started[2]
            if _engine.start_action(self.handle) is not None:
                raise EngineError("durable-rules still had actions pending after the drain")
        except _engine.error as error:
            raise _fail("run the pending actions", error) from None
        return messages

    def delete_session(self) -> None:
        """Free the session and everything stored in it; the next assert opens a new one.

        One session at a time: durable lists sessions in an array it does not update when one
        is deleted (rete.c reverseStateIndex), so with two open, deleting one leaves the other
        unreachable and the next action search reads the deleted one (state.c, getNextResult).
        """
        if not self.open_session:
            return
        self._assert([{"id": -1, self.MARKER: 1}])  # see the class docstring
        try:
            _engine.delete_state(self.handle, "0")
        except _engine.error as error:
            raise _fail("delete a session", error) from None
        self.open_session = False


# Rules carry ``cap``: an action then takes every result pending for its rule (up to CAP) in one
# message, ``{"<rule>":[{"<alias>":<fact>,...},...]}``, aliases in the rule's order, each fact as
# we sent it with "id" first (state.c, serializeResult). One message per rule and assert instead
# of one per firing, and these patterns read only the rule and the ids. Every unescaped quote
# is structure in JSON, so a string value cannot fake an id or an alias: the ids are read in
# the order they come, and counting where each alias opens a fact checks that every result
# holds its legs in the rule's order. A message of another shape is decoded in full.
CAP = 60_000  # results per action message (durable stores it in 16 bits)
_HEAD = re.compile(r'\s*\{\s*"([a-z])(\d+)"\s*:\s*\[')
_ID = re.compile(r'\{"id": (-?\d+)[,}]')


def _decode_json(message: str) -> tuple[str, int, list[tuple[int, ...]]]:
    ((name, frames),) = json.loads(message).items()
    tuples = []
    for frame in frames if isinstance(frames, list) else [frames]:
        ordered = sorted(frame.items(), key=lambda item: int(item[0][1:] or 0))
        ids = [fact.get("id") for _, fact in ordered]
        if all(type(i) is int for i in ids):
            tuples.append(tuple(ids))
    return name[0], int(name[1:]), tuples


def decode(message: str, legs: int | Sequence[int]) -> tuple[str, int, list[tuple[int, ...]]]:
    """``(rule letter, rule number, fact ids of each result)`` of one action message. ``legs``
    is the number of facts per result, or a list giving it per rule number. Results on facts
    that are not ours (the session's own state object) are left out."""
    head = _HEAD.match(message)
    if head is not None:
        letter, rule = head.group(1), int(head.group(2))
        n = legs if isinstance(legs, int) else legs[rule] if 0 <= rule < len(legs) else 0
        ids = _ID.findall(message)
        if n >= 1 and ids and len(ids) % n == 0:
            results = len(ids) // n
            if all(message.count(opening) == results for opening in _openings(n)):
                return letter, rule, list(zip(*[map(int, ids)] * n))  # consecutive groups of n
    return _decode_json(message)


@functools.lru_cache(maxsize=MAX_LEGS + 1)
def _openings(n: int) -> tuple[str, ...]:
    """How each leg's fact opens in a result: the first right after the result's brace."""
    if n == 1:
        return ('{"m":{"id": ',)
    return ('{"a0":{"id": ', *(f'}},"a{k}":{{"id": ' for k in range(1, n)))


def _release(rulesets: list[_Ruleset]) -> None:
    """Delete sessions, then rulesets: deleting a ruleset alone leaks its sessions' memory."""
    while rulesets:
        ruleset = rulesets.pop()
        try:
            ruleset.delete_session()
        except EngineError:
            pass  # the ruleset goes anyway; nothing else can be freed
        try:
            _engine.delete_ruleset(ruleset.handle)
        except _engine.error:
            pass


# ---------------------------------------------------------------------------------------------
# Compiling a rule set


@dataclass
class _Condition:
    """One distinct condition of the single-event stage."""

    node: Node
    python: Callable[[Mapping[str, Any]], bool]
    rules: list[str] = field(default_factory=list)  # single-event rules it decides
    legs: list[tuple[int, int]] = field(default_factory=list)  # (pattern rule index, leg index)
    whole: int | None = None  # index into the whole-condition Python tests, when it is one


@dataclass
class _PatternRule:
    rule: CompiledRule  # the first of the rules it stands for
    flags: tuple[int, ...]  # condition index per leg
    python_joins: tuple[tuple[int, Join], ...]  # (leg, join) checked in Python on each firing
    # One or more durable rules, each a durable condition (JSON) per leg whose joins name
    # earlier legs a0..; several when a date range was split into equalities (_date_variants).
    variants: tuple[tuple[dict[str, Any], ...], ...]
    keys: frozenset[str]
    ruleset: int = -1
    # Rule packs repeat one pattern for several stakeholders: durable matches it once and the
    # firing goes to every rule with the same legs and joins.
    rule_ids: list[str] = field(default_factory=list)


# durable's evaluation of a leg's ``$and`` skips to the closing marker when a join fails, but
# starts one past the failed join: when that was the last expression it runs past the sequence
# (events.c, reduceExpressionSequence; segfaults at the end of the node pool). A last join that
# always holds keeps every failing join away from the end. It must hold even when durable pairs a
# fact with itself, which it does before it checks that legs bind distinct facts: hence
# ``s >= a0.s - 2**53`` on "s", a copy of the fact id (our ids stay far below 2**53; a join on
# durable's own "id" property never holds once the facts arrived in different asserts).
SEQ = "s"
_ALWAYS = {"$gte": {SEQ: {"$sub": {"$l": {"a0": SEQ}, "$r": _EXACT_INT}}}}


def _flag(index: int) -> str:
    return f"l{index}"


_FLIP = {"eq": "eq", "ne": "ne", "gt": "lt", "gte": "lte", "lt": "gt", "lte": "gte"}
_JOIN_OP = {"eq": "eq", "ne": "neq", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}


def _field_kind(name: str) -> str | None:
    """The kind a join field's values have, from the event registry; None when unknown."""
    from riskengine.core.events import FIELDS, FieldKind

    spec = FIELDS.get(name)
    if spec is None:
        return None
    return {
        FieldKind.NUMBER: "num",
        FieldKind.DATE: "num",
        FieldKind.STRING: "str",
        FieldKind.BOOLEAN: "bool",
    }.get(spec.kind)


MAX_VARIANTS = 16  # durable rules one pattern rule may be split into


def _date_variants(native: Sequence[Sequence[Join]]) -> list[dict[int, list[Join]]]:
    """Ways to state a rule's joins so that durable can hash every leg.

    durable indexes a leg's stored facts by its equality joins only; a date range (``b within
    3 days after a``) is checked against every stored fact. A range of whole days on date
    fields is the union of equalities, one per day, and the days are disjoint, so the rule
    becomes one durable rule per day with ``b.date == a.date + d`` and each tuple fires in
    exactly one of them. The narrowest such range of the rule is split, up to MAX_VARIANTS days.
    Returns the replacement joins of one leg per variant ([{}]: the rule as it is).
    """
    best: tuple[int, int, tuple[str, int, str], int, int] | None = None
    for leg, joins in enumerate(native):
        bounds: dict[tuple[str, int, str], list[float]] = {}
        for j in joins:
            if not (_is_date(j.field) and _is_date(j.other_field)) or j.op in ("eq", "ne"):
                continue
            low, high = bounds.setdefault((j.field, j.other_leg, j.other_field), [-math.inf, math.inf])
            if j.op in ("gt", "gte"):
                bounds[(j.field, j.other_leg, j.other_field)][0] = max(low, j.offset + (j.op == "gt"))
            else:
                bounds[(j.field, j.other_leg, j.other_field)][1] = min(high, j.offset - (j.op == "lt"))
        for triple, (low, high) in bounds.items():
            days = high - low + 1
            if math.isfinite(days) and 1 <= days <= MAX_VARIANTS and (best is None or days < best[0]):
                best = (int(days), leg, triple, int(low), int(high))
    if best is None:
        return [{}]
    _, leg, (field_name, other_leg, other_field), low, high = best
    kept = [
        j
        for j in native[leg]
        if not ((j.field, j.other_leg, j.other_field) == (field_name, other_leg, other_field) and j.op not in ("eq", "ne"))
    ]
    return [{leg: [*kept, Join(field_name, "eq", other_leg, other_field, day)]} for day in range(low, high + 1)]


def _is_date(name: str) -> bool:
    from riskengine.core.events import FIELDS, FieldKind

    spec = FIELDS.get(name)
    return spec is not None and spec.kind is FieldKind.DATE


def _native_join(join: Join) -> bool:
    this, other = _field_kind(join.field), _field_kind(join.other_field)
    if this is None or this != other:
        return False
    if this == "num":
        return isinstance(join.offset, int) and abs(join.offset) < _EXACT_INT
    return join.op in ("eq", "ne") and not join.offset


class Plan:
    """A compiled rule set laid out for durable: fields, conditions, rulesets."""

    def __init__(self, ruleset: CompiledRuleSet) -> None:
        self.ruleset = ruleset
        self._join_keys: dict[str, str] = {}
        for rule in ruleset.pattern_rules:
            if len(rule.patterns) > MAX_LEGS:
                raise EngineLimitError(
                    f"rule '{rule.id}' relates {len(rule.patterns)} events; durable-rules matches at most {MAX_LEGS} per rule"
                )
        conds: list[Cond] = [r.patterns[0].condition for r in ruleset.single_rules]
        conds += [cond for r in ruleset.pattern_rules for cond in _leg_conditions(r)]
        tests: dict[str, list[Test]] = {}
        for cond in conds:
            for test in _tests(cond):
                tests.setdefault(test.field, [])
                if test not in tests[test.field]:
                    tests[test.field].append(test)
        # Most-tested fields get the first keys; And-terms sort by key, so shared prefixes grow.
        by_use = sorted(tests, key=lambda f: (-len(tests[f]), f))
        self.fields = {name: FieldPlan(name, f"f{i}", tests[name]) for i, name in enumerate(by_use)}
        self.python_keys: dict[Test, str] = {}
        groups: list[PythonGroup] = []
        for name in by_use:
            plan = self.fields[name]
            py = [t for t in tests[name] if not plan.is_native(t)]
            keys = [f"p{len(self.python_keys) + i}" for i in range(len(py))]
            self.python_keys.update(zip(py, keys))
            if py:
                groups.append(PythonGroup(name, py, keys))
        self.groups = groups
        self.sent_fields = [p for p in self.fields.values() if p.sent]

        self.conditions: list[_Condition] = []
        self.whole: list[Callable[[Mapping[str, Any]], bool]] = []
        index: dict[Node, int] = {}

        def condition_of(cond: Cond) -> int:
            node = self.translate(cond)
            found = index.get(node)
            if found is None:
                found = index[node] = len(self.conditions)
                self.conditions.append(_Condition(node, compile_condition(cond)))
                if expression_count(node) > MAX_EXPRESSIONS:
                    self.conditions[found].node = self._whole_of(found)
            return found

        for rule in ruleset.single_rules:
            self.conditions[condition_of(rule.patterns[0].condition)].rules.append(rule.id)
        self.patterns: list[_PatternRule] = []
        same: dict[tuple[Any, ...], _PatternRule] = {}
        for rule in ruleset.pattern_rules:
            flags = tuple(condition_of(cond) for cond in _leg_conditions(rule))
            signature = (flags, tuple(pattern.joins for pattern in rule.patterns))
            shared = same.get(signature)
            if shared is None:
                for k, c in enumerate(flags):
                    self.conditions[c].legs.append((len(self.patterns), k))
                shared = same[signature] = self._pattern(rule, flags)
                self.patterns.append(shared)
            shared.rule_ids.append(rule.id)
        self._layout_single()
        self._layout_patterns()

    # -- conditions ----------------------------------------------------------------------------

    def translate(self, cond: Cond, negate: bool = False) -> Node:
        if isinstance(cond, Not):
            return self.translate(cond.term, not negate)
        if isinstance(cond, (And, Or)):
            parts = [self.translate(t, negate) for t in cond.terms]
            return conj(parts) if isinstance(cond, And) != negate else disj(parts)
        if not isinstance(cond, Test):
            raise EngineError(f"not a condition: {cond!r}")
        plan = self.fields[cond.field]
        if not plan.is_native(cond):
            return Lit(self.python_keys[cond], "nex" if negate else "eq", None if negate else True)
        key, op = plan.key, cond.op
        if op == "exists":
            return Lit(key, "nex" if negate else "ex")
        if op == "not_exists":
            return Lit(key, "ex" if negate else "nex")
        values = sorted({_number(c) for c in _constants(cond)}, key=repr)
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

    # -- pattern rules ---------------------------------------------------------------------------

    def _pattern(self, rule: CompiledRule, flags: tuple[int, ...]) -> _PatternRule:
        n = len(rule.patterns)
        native: list[list[Join]] = [[] for _ in range(n)]  # each stated from the later leg
        python: list[tuple[int, Join]] = []
        for leg, pattern in enumerate(rule.patterns):
            for join in pattern.joins:
                at, j = leg, join
                if join.other_leg > leg and join.other_leg < n:
                    # durable refers to earlier aliases only: state it from the later leg
                    at = join.other_leg
                    j = Join(join.other_field, _FLIP[join.op], leg, join.field, -join.offset)  # type: ignore[arg-type]
                if j.other_leg >= at or not _native_join(j) or len(native[at]) >= MAX_EXPRESSIONS - 4:
                    python.append((leg, join))
                else:
                    native[at].append(j)
        keys = {_flag(c) for c in flags} | {self.join_key(f) for js in native for j in js for f in (j.field, j.other_field)}
        variants = [
            tuple(self._leg_json(flags, native, leg, replaced) for leg in range(n)) for replaced in _date_variants(native)
        ]
        return _PatternRule(rule, flags, tuple(python), tuple(variants), frozenset(keys))

    def _leg_json(self, flags: Sequence[int], native: Sequence[Sequence[Join]], leg: int, replaced: Mapping[int, list[Join]]) -> dict[str, Any]:
        """Leg ``leg``'s durable condition: its flag, presence guards, then its joins."""
        joins = replaced.get(leg, native[leg])
        guards = {self.join_key(j.field) for j in joins}
        guards |= {self.join_key(j.other_field) for later in range(leg + 1, len(native)) for j in replaced.get(later, native[later]) if j.other_leg == leg}
        terms: list[Any] = [{_flag(flags[leg]): True}]
        terms += [{"$ex": {k: 1}} for k in sorted(guards)]
        for j in joins:
            ref: Any = {f"a{j.other_leg}": self.join_key(j.other_field)}
            if j.offset:
                ref = {"$add": {"$l": ref, "$r": j.offset}}
            key = self.join_key(j.field)
            terms.append({key: ref} if j.op == "eq" else {f"${_JOIN_OP[j.op]}": {key: ref}})
        if joins:
            terms.append(_ALWAYS)  # see _ALWAYS
        return terms[0] if len(terms) == 1 else {"$and": terms}

    def join_key(self, name: str) -> str:
        """The property a join field is sent as: short, because durable hashes every property
        name of every fact it stores and writes each leg's whole fact into every result (on the
        dense 1M feed, 250 MB of results; "j3" rather than "j_initiator_side" made matching
        about a tenth faster)."""
        key = self._join_keys.get(name)
        if key is None:
            key = self._join_keys[name] = f"j{len(self._join_keys)}"
        return key

    @functools.cached_property
    def join_fields(self) -> tuple[str, ...]:
        used = {k for p in self.patterns for k in p.keys}
        return tuple(sorted(name for name, key in self._join_keys.items() if key in used))

    # -- rulesets --------------------------------------------------------------------------------

    def _layout_single(self) -> None:
        layouts: list[Layout] = []
        members: list[list[int]] = []
        for c, cond in enumerate(self.conditions):
            if isinstance(cond.node, Const):
                continue
            if layouts and layouts[-1].add_rule([cond.node]):
                members[-1].append(c)
                continue
            if not Layout().add_rule([cond.node]):
                # too wide for any ruleset on its own: durable sees one Python-evaluated key
                cond.node = self._whole_of(c)
                if layouts and layouts[-1].add_rule([cond.node]):
                    members[-1].append(c)
                    continue
            layout = Layout()
            if not layout.add_rule([cond.node]):  # pragma: no cover - one key always fits
                raise EngineLimitError(f"durable-rules cannot hold the condition of {', '.join(cond.rules) or 'a pattern leg'}")
            layouts.append(layout)
            members.append([c])
        self.single_sets = members

    def _whole_of(self, c: int) -> Node:
        """A condition durable cannot hold, as one Python test."""
        self.whole.append(self.conditions[c].python)
        self.conditions[c].whole = len(self.whole) - 1
        return Lit(f"w{len(self.whole) - 1}", "eq", True)

    def _layout_patterns(self) -> None:
        """Pattern rules grouped by window: durable indexes equality joins but scans every stored
        fact for a date range, so a rule must not see candidates kept for a longer window."""
        layouts: list[Layout] = []
        self.pattern_sets: list[list[int]] = []
        windows: list[int | None] = []
        order = sorted(
            range(len(self.patterns)),
            key=lambda r: (self.patterns[r].rule.window_days is None, self.patterns[r].rule.window_days or 0, r),
        )
        for r in order:
            pattern = self.patterns[r]
            if any(self.conditions[c].node == FALSE for c in pattern.flags):
                continue  # a leg no fact can satisfy: the rule never fires
            rules = [[_as_layout_node(leg) for leg in variant] for variant in pattern.variants]
            window = pattern.rule.window_days
            placed = bool(layouts) and windows[-1] == window and layouts[-1].add_rules(rules)
            if not placed:
                layout = Layout()
                if not layout.add_rules(rules):
                    raise EngineLimitError(f"rule '{pattern.rule.id}' is too large for one durable-rules ruleset")
                layouts.append(layout)
                windows.append(window)
                self.pattern_sets.append([])
            pattern.ruleset = len(self.pattern_sets) - 1
            self.pattern_sets[-1].append(r)


def _leg_conditions(rule: CompiledRule) -> list[Cond]:
    """Each leg's condition, with the fields its joins compare required to be present: a fact
    without them can never join, so it is not stored as a candidate (events from theatres a
    pattern cannot apply to would otherwise be kept for the whole window)."""
    needed: list[set[str]] = [set() for _ in rule.patterns]
    for leg, pattern in enumerate(rule.patterns):
        for join in pattern.joins:
            needed[leg].add(join.field)
            if 0 <= join.other_leg < len(needed):
                needed[join.other_leg].add(join.other_field)
    return [
        And((pattern.condition, *(Test(name, "exists") for name in sorted(needed[leg])))) if needed[leg] else pattern.condition
        for leg, pattern in enumerate(rule.patterns)
    ]


def _as_layout_node(leg: Any) -> Node:
    """A pattern leg's JSON as layout literals (joins count as unshared nodes)."""
    terms = leg.get("$and", [leg])
    lits: list[Node] = []
    for term in terms:
        (name, body), = term.items()
        if name == "$ex":
            (key, _), = body.items()
            lits.append(Lit(key, "ex"))
        elif name.startswith("$") or isinstance(body, dict):
            lits.append(Lit(next(iter(body)) if name.startswith("$") else name, "join"))
        else:
            lits.append(Lit(name, "eq", body))
    return Conj(tuple(lits)) if len(lits) > 1 else lits[0]


def _tests(cond: Cond) -> Iterable[Test]:
    if isinstance(cond, Test):
        yield cond
    elif isinstance(cond, Not):
        yield from _tests(cond.term)
    elif isinstance(cond, (And, Or)):
        for term in cond.terms:
            yield from _tests(term)
    else:
        raise EngineError(f"not a condition: {cond!r}")


# ---------------------------------------------------------------------------------------------
# The matcher


class DurableMatcher:
    """``riskengine.engine.matching.Matcher`` on durable-rules (see the module docstring)."""

    def __init__(self, ruleset: CompiledRuleSet, batch_size: int = 5000) -> None:
        self.plan = plan = Plan(ruleset)
        self.batch_size = batch_size
        self.stats = MatchStats()
        self._owned: list[_Ruleset] = []
        self._finalizer = weakref.finalize(self, _release, self._owned)
        self._single: list[_Ruleset] = []
        for members in plan.single_sets:
            definition = {f"c{c}": {"all": [{"m": to_json(plan.conditions[c].node)}], "cap": CAP} for c in members}
            keys = {k for c in members for k in _keys(plan.conditions[c].node)}
            self._add(self._single, definition, keys)
        self._pattern: list[_Ruleset] = []
        self._rule_of: list[int] = []  # durable pattern rule number -> plan.patterns index
        for members in plan.pattern_sets:
            definition = {}
            for r in members:
                for variant in plan.patterns[r].variants:
                    definition[f"r{len(self._rule_of)}"] = {"all": [{f"a{k}": leg} for k, leg in enumerate(variant)], "cap": CAP}
                    self._rule_of.append(r)
            keys = {k for r in members for k in plan.patterns[r].keys}
            self._add(self._pattern, definition, keys)
        self.stats.rulesets = len(self._single) + len(self._pattern)
        # flags each pattern ruleset listens to, and for how many days after its date a
        # candidate with that flag is kept: as long as a later-dated partner could still come
        # for any leg the flag stands for (compiler.leg_reach), never longer than the window
        self._listens: list[dict[int, int | None]] = [{} for _ in self._pattern]
        for pattern in plan.patterns:
            if pattern.ruleset < 0:
                continue
            listens = self._listens[pattern.ruleset]
            limit = pattern.rule.window_days
            try:
                reach = leg_reach(pattern.rule.patterns) if limit is not None else (None,) * len(pattern.flags)
            except ContradictionError:  # hand-made IR the compiler would refuse: it never fires
                reach = (limit,) * len(pattern.flags)
            for c, leg_days in zip(pattern.flags, reach):
                window = None if limit is None or leg_days is None else min(limit, leg_days)
                if c in listens:
                    old = listens[c]
                    listens[c] = None if old is None or window is None else max(old, window)
                else:
                    listens[c] = window
        self._constant = [c for c, cond in enumerate(plan.conditions) if cond.node == TRUE]
        # field name -> (its FieldPlan when durable tests it, its PythonGroup when Python does)
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
        self._legs = [len(plan.patterns[r].flags) for r in self._rule_of]
        self._join_kinds = [(name, plan.join_key(name), _field_kind(name), _is_date(name)) for name in plan.join_fields]
        self._row_handlers: dict[tuple[str, ...], list[tuple[Any, ...] | None]] = {}
        self._routes: dict[tuple[int, ...], list[tuple[int, dict[str, bool], int | None, tuple[str, ...], tuple[int, ...]]]] = {}
        self._cache: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[int, ...]]] = {}
        self._seq = itertools.count()
        # pattern candidates: seq -> [event id, fact, number of sessions holding it]
        self._retained: dict[int, list[Any]] = {}
        self._event_of: dict[int, str] = {}
        # per pattern ruleset: candidates that may still join, filed by the date after which
        # none can (math.inf: never), so that a day's worth expires in one step; the filing
        # dates in a heap; and the expired ones durable still stores
        self._live: list[dict[float, dict[int, dict[str, Any]]]] = [{} for _ in self._pattern]
        self._expiry: list[list[float]] = [[] for _ in self._pattern]
        self._dead: list[list[int]] = [[] for _ in self._pattern]
        # Candidates not yet asserted. A tuple of a rule can complete only while the rule has a
        # live candidate for every leg (it is "armed"), so a candidate is given to durable only
        # once one of its rules is armed; until then it waits here, and most expire without
        # durable seeing them (a strike waits for an airspace restriction that seldom comes).
        # Nothing is lost: when a rule is armed, its waiting candidates are asserted with the
        # slice that armed it, and no tuple among them alone can complete then that did not
        # complete before (it would have armed the rule earlier). Kept per ruleset: the waiting
        # docs in the order they came with their flags, the live candidates per set of flags
        # (in all and per filing date), and each rule's flags.
        self._waiting: list[dict[int, tuple[dict[str, Any], tuple[int, ...]]]] = [{} for _ in self._pattern]
        self._live_flags: list[Counter[tuple[int, ...]]] = [Counter() for _ in self._pattern]
        self._filed_flags: list[dict[float, Counter[tuple[int, ...]]]] = [{} for _ in self._pattern]
        self._rule_flags: list[list[frozenset[int]]] = [[] for _ in self._pattern]
        for pattern in plan.patterns:
            if pattern.ruleset >= 0:
                self._rule_flags[pattern.ruleset].append(frozenset(pattern.flags))
        self._max_date: float = -math.inf
        self._closed = False

    def _add(self, into: list[_Ruleset], definition: Mapping[str, Any], keys: Iterable[str]) -> None:
        ruleset = _Ruleset(definition, keys)
        self._owned.append(ruleset)
        into.append(ruleset)

    # -- streaming -------------------------------------------------------------------------------

    def feed(self, facts: Sequence[Mapping[str, Any]]) -> list[Firing]:
        found = self.feed_by_rule(facts)
        firings: list[Firing] = []
        for rule_id in sorted(found):
            ids = found[rule_id]
            ids.sort()
            firings.extend(map(Firing, itertools.repeat(rule_id), ids))
        return firings

    def feed_by_rule(self, facts: Sequence[Mapping[str, Any]]) -> dict[str, list[tuple[str, ...]]]:
        return self._feed(facts, None)

    def feed_rows_by_rule(self, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> dict[str, list[tuple[str, ...]]]:
        return self._feed(rows, tuple(names))

    def _feed(self, items: Sequence[Any], names: tuple[str, ...] | None) -> dict[str, list[tuple[str, ...]]]:
        if self._closed:
            raise EngineError("this matcher is closed")
        # A chunk can make a million small tuples; each few hundred allocations would start a
        # collection that walks the caller's whole heap (3x the cost of building them). Nothing
        # here makes reference cycles, so collection waits until the chunk is done.
        collecting = gc.isenabled()
        gc.disable()
        try:
            found: defaultdict[str, list[tuple[str, ...]]] = defaultdict(list)  # rule id -> event ids
            for start in range(0, len(items), self.batch_size):
                batch = items[start : start + self.batch_size]
                if names is None:
                    self._batch(batch, found)
                else:
                    self._batch_rows(names, batch, found)
            self.stats.firings += sum(map(len, found.values()))
            return found
        finally:
            if collecting:
                gc.enable()

    def _batch(self, facts: Sequence[Mapping[str, Any]], found: defaultdict[str, list[tuple[str, ...]]]) -> None:
        keys: list[tuple[Any, ...] | None] = []
        fallback: dict[int, tuple[tuple[str, ...], tuple[int, ...]]] = {}
        handlers = self._handlers
        for n, fact in enumerate(facts):
            try:
                keys.append(self._key(zip(map(handlers.get, fact), fact.values()), fact))
            except Unrepresentable:
                fallback[n] = self._in_python(fact)
                keys.append(None)
        ids = [event_id_of(fact) for fact in facts]
        dates = [fact.get(DATE_FIELD) for fact in facts]
        self._match(keys, fallback, ids, dates, facts.__getitem__, found)

    def _batch_rows(self, names: tuple[str, ...], rows: Sequence[Sequence[Any]], found: defaultdict[str, list[tuple[str, ...]]]) -> None:
        """``_batch`` of facts given as rows of values in the order of ``names`` (None: absent):
        a dict is made only of the rows patterns keep, or that need one to be judged."""

        def fact_at(n: int) -> dict[str, Any]:
            return {name: value for name, value in zip(names, rows[n]) if value is not None}

        handlers = self._row_handlers.get(names)
        if handlers is None:
            handlers = self._row_handlers[names] = [self._handlers.get(name) for name in names]
        whole = bool(self.plan.whole)
        keys: list[tuple[Any, ...] | None] = []
        fallback: dict[int, tuple[tuple[str, ...], tuple[int, ...]]] = {}
        for n, row in enumerate(rows):
            try:
                keys.append(self._key(zip(handlers, row), fact_at(n) if whole else None))
            except Unrepresentable:
                fallback[n] = self._in_python(fact_at(n))
                keys.append(None)
        ids: list[Any] = list(map(operator.itemgetter(names.index(ID_FIELD)), rows)) if ID_FIELD in names else [None] * len(rows)
        for n, event_id in enumerate(ids):
            if event_id.__class__ is not str:
                ids[n] = event_id_of(fact_at(n))  # says what is wrong, as for a dict
        dates = list(map(operator.itemgetter(names.index(DATE_FIELD)), rows)) if DATE_FIELD in names else [None] * len(rows)
        self._match(keys, fallback, ids, dates, fact_at, found)

    def _match(
        self,
        keys: Sequence[tuple[Any, ...] | None],
        fallback: Mapping[int, tuple[tuple[str, ...], tuple[int, ...]]],
        ids: Sequence[str],
        dates: Sequence[Any],
        fact_at: Callable[[int], Mapping[str, Any]],
        found: defaultdict[str, list[tuple[str, ...]]],
    ) -> None:
        """One batch: its facts' keys (None: judged in Python, answer in ``fallback``), event
        ids and dates; ``fact_at(n)`` gives fact n, asked only of the pattern candidates."""
        stats = self.stats
        stats.batches += 1
        stats.facts += len(keys)
        stats.fallback += len(fallback)
        missing: dict[tuple[Any, ...], int] = {}
        cache = self._cache
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
        candidates: list[tuple[Mapping[str, Any], str, tuple[int, ...]]] = []
        # Facts with the same answer fire the same rules: collect their ids per answer and hand
        # them to each rule once, instead of once per fact and rule.
        by_rules: defaultdict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        patterns = bool(self._pattern)
        for n, key in enumerate(keys):
            rules, flags = fallback[n] if key is None else known[key]
            if rules:
                by_rules[rules].append((ids[n],))
            if flags:
                candidates.append((fact_at(n), ids[n], flags))
            if patterns and (n + 1) % PATTERN_SLICE == 0:
                self._patterns(dates[n + 1 - PATTERN_SLICE : n + 1], candidates, found)
                candidates = []
        if patterns and len(keys) % PATTERN_SLICE:
            self._patterns(dates[len(keys) - len(keys) % PATTERN_SLICE :], candidates, found)
        for rules, ids_of_rules in by_rules.items():
            for rule_id in rules:
                found[rule_id].extend(ids_of_rules)

    def _key(self, items: Iterable[tuple[tuple[Any, ...] | None, Any]], fact: Mapping[str, Any] | None) -> tuple[Any, ...]:
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

    def _in_python(self, fact: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[int, ...]]:
        rules: list[str] = []
        flags: list[int] = []
        for c, cond in enumerate(self.plan.conditions):
            if cond.python(fact):
                rules.extend(cond.rules)
                if cond.legs:
                    flags.append(c)
        return tuple(sorted(rules)), tuple(flags)

    def _evaluate(
        self, missing: Mapping[tuple[Any, ...], str]
    ) -> dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[int, ...]]]:
        """Send each distinct representative fact through the single-event rulesets once."""
        plan = self.plan
        stats = self.stats
        entries = list(missing)
        docs: list[dict[str, Any]] = []
        slots = self._slots
        for n, key in enumerate(entries):
            doc: dict[str, Any] = {"id": n}
            for slot, value in key:
                if slot < 0:
                    doc.update((f"w{w}", True) for w, truth in enumerate(value) if truth)
                    continue
                target = slots[slot]
                if isinstance(target, FieldPlan):
                    doc[target.key] = value
                else:
                    doc.update((name, True) for name, truth in zip(target.keys, value) if truth)
            if len(doc) > MAX_FACT_KEYS:
                raise EngineLimitError(
                    f"event '{missing[key]}' would reach durable-rules with {len(doc)} properties; it holds at most {MAX_FACT_KEYS}"
                )
            docs.append(doc)
        matched: list[set[int]] = [set(self._constant) for _ in entries]
        for ruleset in self._single:
            if len(self._single) > 1:
                sent = [{k: v for k, v in doc.items() if k == "id" or k in ruleset.keys} for doc in docs]
            else:
                sent = docs
            for start in range(0, len(sent), self.batch_size):
                for message in ruleset.assert_facts(sent[start : start + self.batch_size], stats):
                    letter, c, results = decode(message, 1)
                    if letter != "c":
                        continue  # the marker
                    for (fact_id,) in results:
                        matched[fact_id].add(c)
                ruleset.delete_session()
        stats.evaluated += len(entries)
        cache = self._cache
        evaluated: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[int, ...]]] = {}
        for key, conds in zip(entries, matched):
            rules = tuple(sorted(r for c in conds for r in plan.conditions[c].rules))
            flags = tuple(sorted(c for c in conds if plan.conditions[c].legs))
            if len(cache) >= CACHE_SIZE:  # least recently used first
                for old in list(itertools.islice(cache, max(1, CACHE_SIZE // 4))):
                    del cache[old]
            evaluated[key] = cache[key] = (rules, flags)
        return evaluated

    # -- patterns --------------------------------------------------------------------------------

    def _patterns(
        self,
        dates: Sequence[Any],
        candidates: Sequence[tuple[Mapping[str, Any], str, tuple[int, ...]]],
        found: defaultdict[str, list[tuple[str, ...]]],
    ) -> None:
        """Assert one slice of the stream's candidates, collect the tuples they complete, and
        expire what no later fact can join. Slices are short because durable compares a new
        fact with every stored one that no equality join separates it from: expiring between
        slices keeps that near the window's worth instead of the whole batch."""
        stats = self.stats
        horizon_before = max_date = self._max_date
        date: Any
        for date in dates:
            if (date.__class__ is int or kind_of(date) == "num") and date > max_date:
                max_date = date
        self._max_date = max_date
        per_set: list[list[dict[str, Any]]] = [[] for _ in self._pattern]
        flags_of: list[list[tuple[int, ...]]] = [[] for _ in self._pattern]  # each doc's flags
        routes = self._routes
        expiry = self._expiry
        retained = self._retained
        event_of = self._event_of
        late = 0
        live = self._live
        live_flags = self._live_flags
        filed_flags = self._filed_flags
        for fact, event_id, flags in candidates:
            route = routes.get(flags)
            if route is None:
                route = routes[flags] = self._route(flags)
            if not route:
                continue
            seq = next(self._seq)
            values = self._join_values(fact, event_id)
            date = fact.get(DATE_FIELD)
            dated = date.__class__ is int or (kind_of(date) == "num" and not (isinstance(date, float) and math.isnan(date)))
            is_late = False
            for s, flag_items, window, join_keys, mine in route:
                doc = {"id": seq, SEQ: seq, **flag_items}
                for key in join_keys:
                    if key in values:
                        doc[key] = values[key]
                if len(doc) > MAX_FACT_KEYS:
                    raise EngineLimitError(
                        f"event '{event_id}' would reach durable-rules with {len(doc)} properties; it holds at most {MAX_FACT_KEYS}"
                    )
                per_set[s].append(doc)
                flags_of[s].append(mine)
                if window is None:
                    expires = math.inf
                else:
                    expires = date + window if dated else -math.inf
                    if dated and expires < horizon_before:
                        is_late = True
                filed = live[s].get(expires)
                if filed is None:
                    filed = live[s][expires] = {}
                    filed_flags[s][expires] = Counter()
                    if window is not None:
                        heapq.heappush(expiry[s], expires)
                filed[seq] = doc
                live_flags[s][mine] += 1
                filed_flags[s][expires][mine] += 1
            stats.candidates += 1
            late += is_late
            retained[seq] = [event_id, fact, len(route)]
            event_of[seq] = event_id
        stats.late += late
        patterns = self.plan.patterns
        id_of = event_of.__getitem__
        for s, docs in enumerate(per_set):
            if not docs:
                continue
            waiting = self._waiting[s]
            needed = self._armed(s)
            if waiting and needed:
                due = [seq for seq, (_, mine) in waiting.items() if not needed.isdisjoint(mine)]
                sent = [waiting.pop(seq)[0] for seq in due]
            else:
                sent = []
            for doc, mine in zip(docs, flags_of[s]):
                if needed.isdisjoint(mine):
                    waiting[doc["id"]] = (doc, mine)
                else:
                    sent.append(doc)
            if not sent:
                continue
            docs = sent
            # Legs hold no $or, so durable fires each tuple once: no de-duplication needed.
            for message in self._pattern[s].assert_facts(docs, stats):
                letter, number, results = decode(message, self._legs)
                if letter != "r":
                    continue  # the marker
                pattern = patterns[self._rule_of[number]]
                if pattern.python_joins:
                    results = [seqs for seqs in results if self._python_joins_hold(pattern.python_joins, seqs)]
                ids = [tuple(map(id_of, seqs)) for seqs in results]
                for rule_id in pattern.rule_ids:
                    found[rule_id].extend(ids)
        self._forget()

    def _route(self, flags: tuple[int, ...]) -> list[tuple[int, dict[str, bool], int | None, tuple[str, ...], tuple[int, ...]]]:
        """Where a candidate with these flags goes: per pattern ruleset that listens to any of
        them, the flag properties it gets there, how long it is kept (None: for ever) and the
        join properties that ruleset reads. The same for every candidate with the same flags,
        so it is worked out once per flag set."""
        route = []
        for s, listens in enumerate(self._listens):
            mine = [c for c in flags if c in listens]
            if not mine:
                continue
            windows = [listens[c] for c in mine]
            window = None if any(w is None for w in windows) else max(windows)  # type: ignore[type-var]
            join_keys = tuple(key for _, key, _, _ in self._join_kinds if key in self._pattern[s].keys)
            route.append((s, {_flag(c): True for c in mine}, window, join_keys, tuple(mine)))
        return route

    def _armed(self, s: int) -> frozenset[int]:
        """The flags of the rules of pattern ruleset ``s`` that have a live candidate for
        every leg: a candidate with none of them cannot be part of a tuple yet."""
        present = {c for flags, n in self._live_flags[s].items() if n for c in flags}
        return frozenset(c for legs in self._rule_flags[s] if legs <= present for c in legs)

    def _python_joins_hold(self, checks: Sequence[tuple[int, Join]], seqs: Sequence[int]) -> bool:
        legs = [self._retained[q][1] for q in seqs]
        return all(join_holds(j, legs[leg], legs[j.other_leg]) for leg, j in checks)

    def _join_values(self, fact: Mapping[str, Any], event_id: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, key, expected, is_date in self._join_kinds:
            value = fact.get(name)
            if value is None:
                continue
            kind = kind_of(value)
            exact = kind == "num" and math.isfinite(value) and abs(value) < _EXACT_INT
            if exact:
                value = _number(value)
            if kind != expected or (kind == "num" and not exact) or (is_date and type(value) is not int):
                wanted = "a whole day number" if is_date else f"a {expected} value"
                raise EngineLimitError(f"event '{event_id}': '{name}' = {value!r} cannot be joined by durable-rules (expected {wanted})")
            values[key] = value
        return values

    def _forget(self) -> None:
        """Mark expired the candidates no later fact can join (the stream is roughly in date
        order), and release them once they outnumber the live ones (see ``_rotate``)."""
        stats = self.stats
        for s, heap in enumerate(self._expiry):
            live, dead = self._live[s], self._dead[s]
            while heap and heap[0] < self._max_date:
                expires = heapq.heappop(heap)
                expired = live.pop(expires)
                self._live_flags[s] -= self._filed_flags[s].pop(expires)
                waiting = self._waiting[s]
                if waiting:
                    for seq in expired:
                        if waiting.pop(seq, None) is None:
                            dead.append(seq)
                        else:  # never reached durable: let it go now
                            self.stats.held += 1
                            self._release_candidate(seq)
                else:
                    dead.extend(expired)
            if len(dead) >= ROTATE_MIN and len(dead) >= ROTATE_FACTOR * self._live_flags[s].total():
                self._rotate(s)
        stats.facts_retained = len(self._retained)
        stats.peak_retained = max(stats.peak_retained, stats.facts_retained)

    def _rotate(self, s: int) -> None:
        """Delete ruleset ``s``'s session and assert its live candidates into a new one.

        Re-asserting them makes durable fire again every tuple among them; all were reported
        when they completed, so those firings are dropped. Expired facts stay stored (and
        compared with new facts) until the next rotation: ``ROTATE_FACTOR`` trades that scanning
        against the re-firing.
        """
        ruleset = self._pattern[s]
        ruleset.delete_session()
        docs = self.live_docs(s)
        for start in range(0, len(docs), PATTERN_SLICE):
            ruleset.assert_facts(docs[start : start + PATTERN_SLICE], self.stats)
        for seq in self._dead[s]:
            self._release_candidate(seq)
        self._dead[s] = []

    def _release_candidate(self, seq: int) -> None:
        """One ruleset is done with candidate ``seq``; forget it once all are."""
        entry = self._retained[seq]
        entry[2] -= 1
        if not entry[2]:
            del self._retained[seq]
            del self._event_of[seq]
            self.stats.dropped += 1

    def live_docs(self, s: int) -> list[dict[str, Any]]:
        """The candidates pattern ruleset ``s`` holds and may still join, in the order they came."""
        waiting = self._waiting[s]
        docs = [doc for filed in self._live[s].values() for seq, doc in filed.items() if seq not in waiting]
        docs.sort(key=lambda doc: doc["id"])
        return docs

    # -- lifetime --------------------------------------------------------------------------------

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._finalizer()
            self._retained.clear()
            self._event_of.clear()
            self._cache.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _keys(node: Node) -> Iterable[str]:
    if isinstance(node, Lit):
        yield node.key
    elif isinstance(node, (Conj, Disj)):
        for term in node.terms:
            yield from _keys(term)


__all__ = ["MAX_FACT_KEYS", "MAX_LEGS", "DurableMatcher", "Layout", "Plan", "Unrepresentable"]
