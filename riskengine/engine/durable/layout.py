"""durable-rules' limits, conditions as durable sees them, and how a ruleset is laid out in it.

A ruleset's alpha network is simulated as it is filled (``Layout``) so that each ruleset stays
inside the budgets durable 2.0.28 has per node and per ruleset; the numbers below were measured
and read in its C source (see the package docstring), with a margin.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from riskengine.core.errors import EngineError

MAX_FACT_KEYS = 253  # user keys including "id"; durable adds "sid" and stops at 255
MAX_LEGS = 16
MAX_EXPRESSIONS = 31
MAX_HASHED_CHILDREN = 450  # 511
MAX_LIST_CHILDREN = 100  # 127
MAX_BETAS = 200  # 255
MAX_STACK = 56  # 64
MAX_RULES_PER_RULESET = 400
EXACT_INT = 2**53  # numbers durable holds exactly (it reads them as doubles or long longs)

_joins = itertools.count()  # durable never shares correlated nodes: each counts as its own

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



def keys_of(node: Node) -> Iterable[str]:
    if isinstance(node, Lit):
        yield node.key
    elif isinstance(node, (Conj, Disj)):
        for term in node.terms:
            yield from keys_of(term)



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
            vkey = ("join", next(_joins))
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


def as_layout_node(leg: Any) -> Node:
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



__all__ = ["EXACT_INT", "FALSE", "MAX_BETAS", "MAX_EXPRESSIONS", "MAX_FACT_KEYS", "MAX_HASHED_CHILDREN", "MAX_LEGS", "MAX_LIST_CHILDREN", "MAX_RULES_PER_RULESET", "MAX_STACK", "TRUE", "Conj", "Const", "Disj", "Layout", "Lit", "Node", "as_layout_node", "conj", "disj", "expression_count", "keys_of", "to_json"]
