"""Rules -> IR: operators, values, joins with day offsets, window_days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import TypeAdapter

from riskengine.core.errors import RuleError
from riskengine.core.events import FIELDS, FieldKind
from riskengine.rules import ir
from riskengine.rules.compiler import (
    OPERATORS_BY_KIND,
    ContradictionError,
    compile_condition,
    compile_rule,
    compile_rules,
    leg_reach,
    operand_problems,
    window_days,
)
from riskengine.rules.loader import load_rules_text
from riskengine.rules.models import OPERATORS, Condition, Rule

_COND: TypeAdapter[Any] = TypeAdapter(Condition)
JULY_1 = dt.date(2025, 7, 1).toordinal()


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"field": "country", "equals": "UKR"}, ir.Test("country", "eq", "UKR")),
        ({"field": "country", "not_equals": "UKR"}, ir.Test("country", "ne", "UKR")),
        ({"field": "country", "in": ["UKR", "RUS"]}, ir.Test("country", "in", ("UKR", "RUS"))),
        ({"field": "country", "not_in": ["UKR"]}, ir.Test("country", "not_in", ("UKR",))),
        ({"field": "fatalities", "greater_than": 2}, ir.Test("fatalities", "gt", 2)),
        ({"field": "fatalities", "at_least": 2.5}, ir.Test("fatalities", "gte", 2.5)),
        ({"field": "fatalities", "less_than": 2}, ir.Test("fatalities", "lt", 2)),
        ({"field": "fatalities", "at_most": 0}, ir.Test("fatalities", "lte", 0)),
        ({"field": "fatalities", "equals": 3}, ir.Test("fatalities", "eq", 3)),
        ({"field": "notes", "contains": "drone"}, ir.Test("notes", "contains", "drone")),
        ({"field": "tags", "contains": "port"}, ir.Test("tags", "contains", "port")),
        ({"field": "notes", "matches": "^Interception:"}, ir.Test("notes", "matches", "^Interception:")),
        ({"field": "injured", "exists": True}, ir.Test("injured", "exists")),
        ({"field": "injured", "exists": False}, ir.Test("injured", "not_exists")),
        ({"field": "civilian_targeting", "equals": True}, ir.Test("civilian_targeting", "eq", True)),
        # dates compare as ordinal days, like the facts
        ({"field": "event_date", "at_least": "2025-07-01"}, ir.Test("event_date", "gte", JULY_1)),
        ({"field": "event_date", "equals": "2025-07-01"}, ir.Test("event_date", "eq", JULY_1)),
        ({"field": "scheduled_date", "in": ["2025-07-01", "2025-07-02"]}, ir.Test("scheduled_date", "in", (JULY_1, JULY_1 + 1))),
        (
            {"all": [{"field": "country", "equals": "UKR"}, {"not": {"field": "fatalities", "equals": 0}}]},
            ir.And((ir.Test("country", "eq", "UKR"), ir.Not(ir.Test("fatalities", "eq", 0)))),
        ),
        (
            {"any": [{"field": "country", "equals": "UKR"}, {"field": "country", "equals": "RUS"}]},
            ir.Or((ir.Test("country", "eq", "UKR"), ir.Test("country", "eq", "RUS"))),
        ),
        # a group of one is its only term
        ({"all": [{"field": "country", "equals": "UKR"}]}, ir.Test("country", "eq", "UKR")),
        ({"any": [{"all": [{"field": "country", "equals": "UKR"}]}]}, ir.Test("country", "eq", "UKR")),
    ],
)
def test_conditions(condition: dict[str, Any], expected: ir.Cond) -> None:
    assert compile_condition(_COND.validate_python(condition)) == expected


def test_every_rule_operator_has_an_ir_op_and_a_kind() -> None:
    for name, op in OPERATORS.items():
        assert op in ir.TEST_OPS
        assert any(name in ops for ops in OPERATORS_BY_KIND.values())
    assert set(OPERATORS_BY_KIND) == set(FieldKind)


@pytest.mark.parametrize(
    ("field", "op", "value", "codes"),
    [
        ("country", "equals", "UKR", []),
        ("countrry", "equals", "UKR", ["E201"]),
        ("country", "at_least", 3, ["E301"]),
        ("event_type", "equals", "battles", ["E302"]),
        ("event_type", "in", ["Battles", "Riot", 3], ["E302", "E303"]),
        ("fatalities", "equals", True, ["E303"]),
        ("fatalities", "equals", "3", ["E303"]),
        ("fatalities", "at_least", float("nan"), ["E303"]),
        ("event_date", "equals", "2025-7-1", ["E303"]),
        ("event_date", "at_most", 20250701, ["E303"]),
        ("notes", "matches", "[", ["E304"]),
        ("notes", "contains", "", ["E303"]),
        ("tags", "equals", "x", ["E301"]),
        ("civilian_targeting", "exists", False, []),
        ("country", "in", [], ["E303"]),
    ],
)
def test_operand_checks(field: str, op: str, value: Any, codes: list[str]) -> None:
    assert [p.code for p in operand_problems(field, op, value)] == codes


def _rule(sequence: list[dict[str, Any]]) -> Rule:
    return Rule.model_validate(
        {
            "id": "p",
            "title": "t",
            "stakeholders": ["analyst"],
            "dimension": "military",
            "sequence": sequence,
            "points": 1,
            "source": {"document": "0", "section": "s"},
        }
    )


LEG = {"field": "event_type", "equals": "Battles"}
FIRST = ir.Test("event_type", "eq", "Battles")


@pytest.mark.parametrize(
    ("where", "joins", "window"),
    [
        ({"field": "event_date", "after": "a.event_date"}, [ir.Join("event_date", "gt", 0, "event_date", 0)], None),
        (
            {"field": "event_date", "after": "a.event_date", "within_days": 60},
            [ir.Join("event_date", "gt", 0, "event_date", 0), ir.Join("event_date", "lte", 0, "event_date", 60)],
            60,
        ),
        (
            {"field": "event_date", "on_or_after": "a.event_date", "within_days": 7},
            [ir.Join("event_date", "gte", 0, "event_date", 0), ir.Join("event_date", "lte", 0, "event_date", 7)],
            7,
        ),
        (
            {"field": "event_date", "before": "a.event_date", "within_days": 3},
            [ir.Join("event_date", "lt", 0, "event_date", 0), ir.Join("event_date", "gte", 0, "event_date", -3)],
            3,
        ),
        (
            {"field": "event_date", "on_or_before": "a.event_date", "within_days": 0},
            [ir.Join("event_date", "lte", 0, "event_date", 0), ir.Join("event_date", "gte", 0, "event_date", 0)],
            0,
        ),
        ({"field": "event_date", "equals": "a.event_date"}, [ir.Join("event_date", "eq", 0, "event_date", 0)], 0),
        ({"field": "target_name", "equals": "a.target_name"}, [ir.Join("target_name", "eq", 0, "target_name", 0)], None),
        ({"field": "actor1", "not_equals": "a.actor1"}, [ir.Join("actor1", "ne", 0, "actor1", 0)], None),
        # a bound on another date field says nothing about event_date
        (
            {"field": "event_date", "before": "a.scheduled_date", "within_days": 5},
            [ir.Join("event_date", "lt", 0, "scheduled_date", 0), ir.Join("event_date", "gte", 0, "scheduled_date", -5)],
            None,
        ),
    ],
)
def test_where_clauses_become_joins(where: dict[str, Any], joins: list[ir.Join], window: int | None) -> None:
    compiled = compile_rule(_rule([{"as": "a", "when": LEG}, {"as": "b", "when": LEG, "where": [where]}]))
    assert compiled.patterns == (ir.Pattern("a", FIRST), ir.Pattern("b", FIRST, tuple(joins)))
    assert compiled.window_days == window
    assert compiled.is_pattern


def _pattern(k: int, joins: list[tuple[str, int, int]]) -> ir.Pattern:
    return ir.Pattern(f"l{k}", FIRST, tuple(ir.Join("event_date", op, other, "event_date", off) for op, other, off in joins))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("legs", "window"),
    [
        # b within 10 days after a, c within 5 days after b: a..c spans at most 15
        ([[], [("gt", 0, 0), ("lte", 0, 10)], [("gt", 1, 0), ("lte", 1, 5)]], 15),
        # c also within 3 of a: the tighter bound wins
        ([[], [("gt", 0, 0), ("lte", 0, 10)], [("gt", 1, 0), ("lte", 1, 5), ("lte", 0, 3)]], 3),
        # c is bounded against b only from below: unbounded
        ([[], [("gt", 0, 0), ("lte", 0, 10)], [("gt", 1, 0)]], None),
        # same day
        ([[], [("eq", 0, 0)]], 0),
        # b between 2 and 9 days before a
        ([[], [("lte", 0, -2), ("gte", 0, -9)]], 9),
    ],
)
def test_window_days_closes_the_constraints(legs: list[list[tuple[str, int, int]]], window: int | None) -> None:
    assert window_days([_pattern(k, joins) for k, joins in enumerate(legs)]) == window


@pytest.mark.parametrize(
    ("legs", "reach"),
    [
        # b within 3 days after a (retaliation): a waits 3 days for b, b waits for nothing later
        ([[], [("gt", 0, 0), ("lte", 0, 3)]], (3, 0)),
        # b on or after a, within 14 (talks, then a strike): the strike is let go at once
        ([[], [("gte", 0, 0), ("lte", 0, 14)]], (14, 0)),
        # b between 2 and 9 days *before* a: b waits up to 9 days for a
        ([[], [("lte", 0, -2), ("gte", 0, -9)]], (0, 9)),
        # a chain: a waits for c (15 days), b for c (5), c for nothing
        ([[], [("gt", 0, 0), ("lte", 0, 10)], [("gt", 1, 0), ("lte", 1, 5)]], (15, 5, 0)),
        # same day: a later fact of the same day may still join
        ([[], [("eq", 0, 0)]], (0, 0)),
        # c bounded against b only from below: a and b wait for ever
        ([[], [("gt", 0, 0), ("lte", 0, 10)], [("gt", 1, 0)]], (None, None, 0)),
    ],
)
def test_leg_reach_is_how_long_each_leg_waits_for_a_later_partner(legs: list[list[tuple[str, int, int]]], reach: tuple[int | None, ...]) -> None:
    assert leg_reach([_pattern(k, joins) for k, joins in enumerate(legs)]) == reach


@pytest.mark.parametrize(
    "joins",
    [
        [("gt", 0, 0), ("lt", 0, 0)],
        [("gt", 0, 0), ("lte", 0, 0)],
        [("gte", 0, 5), ("lte", 0, 4)],
    ],
)
def test_contradictory_joins_are_detected(joins: list[tuple[str, int, int]]) -> None:
    with pytest.raises(ContradictionError):
        window_days([_pattern(0, []), _pattern(1, joins)])


def test_single_rules_have_one_pattern_and_no_window() -> None:
    rule = Rule.model_validate(
        {
            "id": "s",
            "title": "t",
            "stakeholders": ["ngo"],
            "dimension": "humanitarian",
            "when": {"field": "civilian_targeting", "equals": True},
            "points": 1,
            "source": {"document": "0", "section": "s"},
        }
    )
    compiled = compile_rule(rule)
    assert compiled == ir.CompiledRule("s", (ir.Pattern("event", ir.Test("civilian_targeting", "eq", True)),), None)
    assert not compiled.is_pattern


PACK = """\
rules:
  - id: zeta
    title: z
    stakeholders: [ngo]
    dimension: humanitarian
    when: {field: civilian_targeting, equals: true}
    points: 1
    source: {document: "0", section: s}
  - id: alpha
    title: a
    stakeholders: [ngo]
    dimension: humanitarian
    when: {field: fatalities, at_least: 10}
    points: 1
    source: {document: "0", section: s}
  - id: off
    title: disabled
    stakeholders: [ngo]
    dimension: humanitarian
    when: {field: fatalities, at_least: 1}
    points: 1
    enabled: false
    source: {document: "0", section: s}
  - id: pair
    title: p
    stakeholders: [analyst]
    dimension: military
    sequence:
      - as: first
        when: {field: target_category, equals: airfield}
      - as: next
        when: {field: target_category, equals: airfield}
        where: [{field: event_date, after: first.event_date, within_days: 14}]
    points: 1
    source: {document: "0", section: s}
"""


def test_compile_rules_sorts_by_id_leaves_out_disabled_and_lists_fields() -> None:
    compiled = compile_rules(load_rules_text(PACK, "p.yaml"))
    assert [r.id for r in compiled.rules] == ["alpha", "pair", "zeta"]
    assert [r.id for r in compiled.pattern_rules] == ["pair"]
    assert compiled.fields == ("civilian_targeting", "event_date", "event_id", "fatalities", "target_category")
    assert compiled.pattern_rules[0].window_days == 14


def test_compile_rules_reports_unchecked_rules_at_their_origin() -> None:
    # Rules built in code skip the loader: compiling them still fails cleanly, with the rule named.
    bad = Rule.model_validate(
        {
            "id": "bad",
            "title": "t",
            "stakeholders": ["ngo"],
            "dimension": "humanitarian",
            "when": {"field": "countrry", "equals": "UKR"},
            "points": 1,
            "source": {"document": "0", "section": "s"},
        }
    )
    with pytest.raises(RuleError) as caught:
        compile_rules([bad])
    assert [i.render() for i in caught.value.issues] == [
        "<input>: error[E300] rules[id=bad]: cannot compile: unknown event field 'countrry'"
    ]


def test_every_registry_field_can_be_compiled_with_some_operator() -> None:
    samples = {
        FieldKind.STRING: "x",
        FieldKind.NUMBER: 1,
        FieldKind.DATE: "2025-07-01",
        FieldKind.BOOLEAN: True,
        FieldKind.STRING_LIST: "x",
    }
    for name, spec in FIELDS.items():
        value = spec.choices[0] if spec.choices else samples[spec.kind]
        op = "contains" if spec.kind is FieldKind.STRING_LIST else "equals"
        assert operand_problems(name, op, value) == [], name
