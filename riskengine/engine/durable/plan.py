"""A compiled rule set laid out for durable: its fields, its distinct conditions, its pattern
rules, and which durable ruleset each goes to."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from riskengine.core.errors import EngineLimitError
from riskengine.engine.durable import fallback
from riskengine.engine.durable.layout import FALSE, MAX_EXPRESSIONS, MAX_LEGS, Const, Layout, Lit, Node, as_layout_node, expression_count
from riskengine.engine.durable.patterns import PatternRule, compile_pattern, leg_conditions
from riskengine.engine.durable.single import FieldPlan, PythonGroup, tests_in, translate
from riskengine.rules.ir import CompiledRuleSet, Cond, Test


@dataclass
class Condition:
    """One distinct condition of the single-event stage."""

    node: Node
    python: Callable[[Mapping[str, Any]], bool]
    rules: list[str] = field(default_factory=list)  # single-event rules it decides
    legs: list[tuple[int, int]] = field(default_factory=list)  # (pattern rule index, leg index)
    whole: int | None = None  # index into the whole-condition Python tests, when it is one


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
        conds += [cond for r in ruleset.pattern_rules for cond in leg_conditions(r)]
        tests: dict[str, list[Test]] = {}
        for cond in conds:
            for test in tests_in(cond):
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
            self.python_keys.update(zip(py, keys, strict=True))
            if py:
                groups.append(PythonGroup(name, py, keys))
        self.groups = groups
        self.sent_fields = [p for p in self.fields.values() if p.sent]

        self.conditions: list[Condition] = []
        self.whole: list[Callable[[Mapping[str, Any]], bool]] = []
        index: dict[Node, int] = {}

        def condition_of(cond: Cond) -> int:
            node = self.translate(cond)
            found = index.get(node)
            if found is None:
                found = index[node] = len(self.conditions)
                self.conditions.append(Condition(node, fallback.fact_test(cond)))
                if expression_count(node) > MAX_EXPRESSIONS:
                    self.conditions[found].node = self._whole_of(found)
            return found

        for rule in ruleset.single_rules:
            self.conditions[condition_of(rule.patterns[0].condition)].rules.append(rule.id)
        self.patterns: list[PatternRule] = []
        same: dict[tuple[Any, ...], PatternRule] = {}
        for rule in ruleset.pattern_rules:
            flags = tuple(condition_of(cond) for cond in leg_conditions(rule))
            signature = (flags, tuple(pattern.joins for pattern in rule.patterns))
            shared = same.get(signature)
            if shared is None:
                for k, c in enumerate(flags):
                    self.conditions[c].legs.append((len(self.patterns), k))
                shared = same[signature] = compile_pattern(rule, flags, self.join_key)
                self.patterns.append(shared)
            shared.rule_ids.append(rule.id)
        self._layout_single()
        self._layout_patterns()

    def translate(self, cond: Cond) -> Node:
        return translate(cond, self.fields, self.python_keys)

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
        self.joined: list[int] = []  # rules the pattern stage matches by their date span
        windows: list[int | None] = []
        order = sorted(
            range(len(self.patterns)),
            key=lambda r: (self.patterns[r].rule.window_days is None, self.patterns[r].rule.window_days or 0, r),
        )
        for r in order:
            pattern = self.patterns[r]
            if any(self.conditions[c].node == FALSE for c in pattern.flags):
                continue  # a leg no fact can satisfy: the rule never fires
            if pattern.date_join is not None:
                self.joined.append(r)
                continue
            rules = [[as_layout_node(leg) for leg in variant] for variant in pattern.variants]
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


__all__ = ["Condition", "Plan"]
