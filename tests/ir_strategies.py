"""Random IR rule sets and fact streams, small enough in value space that rules actually fire.

One builder serves both hypothesis (``rulesets()``, ``fact_streams()``: many small examples that
shrink) and plain seeded randomness (``random_ruleset``, ``random_facts``: the few large cases).
Fields are real registry names, so the durable adapter treats them as it treats real rules;
values include what trips engines up: quotes, backslashes, accents, case, 1 next to 1.0, empty
strings. Some tests go beyond what the compiler emits (order on strings, joins to later legs,
self-joins): the IR defines them, so both engines must agree on them too.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from hypothesis import strategies as st

from riskengine.rules.compiler import ContradictionError, window_days
from riskengine.rules.ir import (
    And,
    CompiledRule,
    CompiledRuleSet,
    Cond,
    Join,
    Not,
    Or,
    Pattern,
    Test,
)

T = TypeVar("T")

STRINGS = ["a", "b", "A", "ab", 'a"b', "c\\d", "é", "Éa", ""]
NUMBERS = [-1, 0, 1, 1.0, 2, 2.5, 5, 1e6]
TAGS = ["x", "y", "X", "x y", "é"]
NOTES = ["Strike on A", "a strike", "Port of B", "no tags here", 'quote " mark', "éclat"]
REGEXES = ["^a", "b$", "a.b", "[ae]", "strike", "É", r"\d"]

# field -> (kind, values); kinds as riskengine.core.events.FIELDS declares them
FIELDS: dict[str, tuple[str, Sequence[Any]]] = {
    "event_type": ("str", STRINGS[:4]),
    "target_name": ("str", STRINGS),
    "location": ("str", STRINGS[3:]),
    "initiator_side": ("str", ["R", "U", "u"]),
    "target_side": ("str", ["R", "U", "u"]),
    "fatalities": ("num", [0, 1, 2, 5, 10]),
    "distance_from_border_km": ("num", NUMBERS),
    "interception_rate": ("num", [0.0, 0.25, 0.5, 0.9, 1.0]),
    "scheduled_date": ("date", [0, 1, 3, 10]),
    "civilian_targeting": ("bool", [True, False]),
    "tags": ("list", TAGS),
    "notes": ("text", NOTES),
}
OPS_BY_KIND: dict[str, tuple[str, ...]] = {
    "str": ("eq", "ne", "in", "not_in", "contains", "matches", "exists", "not_exists", "gt", "lte"),
    "num": ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "exists", "not_exists"),
    "date": ("eq", "gt", "lte", "exists", "not_exists"),
    "bool": ("eq", "ne", "exists", "not_exists"),
    "list": ("contains", "exists", "not_exists"),
    "text": ("contains", "matches", "exists"),
}
JOINABLE: list[tuple[str, str, tuple[str, ...]]] = [
    ("target_name", "target_name", ("eq", "ne")),
    ("location", "location", ("eq",)),
    ("initiator_side", "target_side", ("eq", "ne")),
    ("fatalities", "fatalities", ("eq", "gt", "lte")),
    ("event_date", "scheduled_date", ("lt", "gte")),
    ("civilian_targeting", "civilian_targeting", ("eq",)),
    ("tags", "tags", ("eq",)),  # lists: the compiler refuses it, the IR defines it
]


class Chooser:
    """The few random choices the builders make, from hypothesis or from random.Random."""

    def __init__(self, pick: Callable[[Sequence[Any]], Any], integer: Callable[[int, int], int]) -> None:
        self._pick = pick
        self.integer = integer

    def pick(self, items: Sequence[T]) -> T:
        return self._pick(items)  # type: ignore[no-any-return]

    def chance(self, percent: int) -> bool:
        return self.integer(0, 99) < percent

    @classmethod
    def seeded(cls, rng: random.Random) -> Chooser:
        return cls(lambda items: items[rng.randrange(len(items))], rng.randint)

    @classmethod
    def drawing(cls, draw: Callable[[st.SearchStrategy[Any]], Any]) -> Chooser:
        return cls(lambda items: draw(st.sampled_from(items)), lambda lo, hi: draw(st.integers(lo, hi)))


def build_test(c: Chooser) -> Test:
    field = c.pick(list(FIELDS))
    kind, values = FIELDS[field]
    op = c.pick(OPS_BY_KIND[kind])
    if op in ("exists", "not_exists"):
        return Test(field, op)  # type: ignore[arg-type]
    if op in ("in", "not_in"):
        return Test(field, op, tuple(c.pick(values) for _ in range(c.integer(0, 3))))  # type: ignore[arg-type]
    if op == "matches":
        return Test(field, op, c.pick(REGEXES))  # type: ignore[arg-type]
    if op == "contains":
        return Test(field, op, c.pick(["a", "A", "strike", "x", "é", "X"] if kind != "list" else TAGS))  # type: ignore[arg-type]
    return Test(field, op, c.pick(values) if kind != "text" else c.pick(NOTES))  # type: ignore[arg-type]


def build_condition(c: Chooser, depth: int = 2) -> Cond:
    if depth == 0 or c.chance(45):
        return build_test(c)
    shape = c.pick(["and", "or", "not"])
    if shape == "not":
        return Not(build_condition(c, depth - 1))
    terms = tuple(build_condition(c, depth - 1) for _ in range(c.integer(1, 3)))
    return And(terms) if shape == "and" else Or(terms)


def build_joins(c: Chooser, leg: int, n: int, bounded: bool, unusual: bool) -> tuple[Join, ...]:
    joins: list[Join] = []
    if leg > 0 and bounded:
        other = c.integer(0, leg - 1)
        joins.append(Join("event_date", "gte", other, "event_date", c.pick([0, -1])))
        joins.append(Join("event_date", "lte", other, "event_date", c.pick([0, 1, 2, 5])))
    for _ in range(c.integer(0, 2)):
        this_field, other_field, ops = c.pick(JOINABLE)
        if leg == 0 and not unusual:
            break
        other = c.integer(0, n - 1) if unusual else c.integer(0, leg - 1)
        offset = c.pick([0, 0, 1, -2]) if this_field in ("fatalities", "event_date") else 0
        joins.append(Join(this_field, c.pick(ops), other, other_field, offset))  # type: ignore[arg-type]
    return tuple(joins)


def _narrow(c: Chooser, cond: Cond, selective: int) -> Cond:
    """``cond`` and ``selective`` equality tests: large cases fire a reasonable number of times."""
    if not selective:
        return cond
    fields = [f for f, (kind, _) in FIELDS.items() if kind in ("str", "num")]
    tests = [Test(f, "eq", c.pick(FIELDS[f][1])) for f in (c.pick(fields) for _ in range(selective))]
    return And((*tests, cond))


def build_rule(
    c: Chooser, rule_id: str, *, pattern_percent: int, max_legs: int, unusual: bool, unbounded: bool, selective: int = 0
) -> CompiledRule:
    if not c.chance(pattern_percent):
        return CompiledRule(rule_id, (Pattern("event", _narrow(c, build_condition(c), selective)),))
    n = c.integer(2, max_legs)
    bounded = not (unbounded and c.chance(25))
    for _ in range(20):
        legs = tuple(
            Pattern(f"l{k}", _narrow(c, build_condition(c, 1), max(0, selective - 1)), build_joins(c, k, n, bounded, unusual and c.chance(30)))
            for k in range(n)
        )
        try:
            window = window_days(legs)
        except ContradictionError:
            continue
        if window is not None or not bounded:
            return CompiledRule(rule_id, legs, window)
    return CompiledRule(rule_id, (Pattern("event", build_condition(c)),))


def build_ruleset(
    c: Chooser, n_rules: int, *, pattern_percent: int = 30, max_legs: int = 3, unusual: bool = True, unbounded: bool = True, selective: int = 0
) -> CompiledRuleSet:
    rules = tuple(
        build_rule(c, f"r{i:04d}", pattern_percent=pattern_percent, max_legs=max_legs, unusual=unusual, unbounded=unbounded, selective=selective)
        for i in range(n_rules)
    )
    return CompiledRuleSet(rules)


def build_fact(c: Chooser, n: int, day: int) -> dict[str, Any]:
    fact: dict[str, Any] = {"event_id": f"E{n:05d}", "event_date": day}
    for field, (kind, values) in FIELDS.items():
        if not c.chance(70):
            continue
        if kind == "list":
            fact[field] = [c.pick(values) for _ in range(c.integer(0, 2))]
        else:
            fact[field] = c.pick(values)
    return fact


def build_facts(c: Chooser, n: int, *, per_day: int = 3) -> list[dict[str, Any]]:
    """Facts in date order (what retention assumes), a few per day, some on the same day."""
    facts = []
    day = 738000
    for i in range(n):
        if c.integer(1, per_day) == 1:
            day += c.integer(1, 2)
        facts.append(build_fact(c, i, day))
    return facts


# -- hypothesis -----------------------------------------------------------------------------------


@st.composite
def rulesets(draw: Callable[[st.SearchStrategy[Any]], Any], max_rules: int = 6) -> CompiledRuleSet:
    c = Chooser.drawing(draw)
    return build_ruleset(c, c.integer(1, max_rules))


@st.composite
def fact_streams(draw: Callable[[st.SearchStrategy[Any]], Any], max_facts: int = 40) -> list[dict[str, Any]]:
    c = Chooser.drawing(draw)
    return build_facts(c, c.integer(0, max_facts))


@st.composite
def chunkings(draw: Callable[[st.SearchStrategy[Any]], Any], n: int) -> list[int]:
    """Cut points splitting n facts into chunks (sizes 0..n)."""
    cuts = draw(st.lists(st.integers(0, n), max_size=4))
    return sorted({0, n, *cuts})


# -- seeded ---------------------------------------------------------------------------------------


def random_ruleset(seed: int, n_rules: int, **kw: Any) -> CompiledRuleSet:
    return build_ruleset(Chooser.seeded(random.Random(seed)), n_rules, **kw)


def random_facts(seed: int, n: int, **kw: Any) -> list[dict[str, Any]]:
    return build_facts(Chooser.seeded(random.Random(seed)), n, **kw)
