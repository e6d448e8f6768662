"""``DurableMatcher``: batches of facts through the single-event stage, then the candidates
among them through the pattern stage, in slices, in stream order."""

from __future__ import annotations

import gc
import itertools
import operator
import weakref
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Self

from riskengine.core.errors import EngineError
from riskengine.engine.base import MatchStats
from riskengine.engine.durable.patterns import PATTERN_SLICE, PatternStage
from riskengine.engine.durable.plan import Plan
from riskengine.engine.durable.session import Ruleset, release
from riskengine.engine.durable.single import SingleStage, event_ids_of_rows, tests_in
from riskengine.rules.ir import DATE_FIELD, ID_FIELD, CompiledRuleSet, Cond, Firing


def _fields_of(cond: Cond) -> set[str]:
    return {test.field for test in tests_in(cond)}


# The single-event answers of the last rule set that asked for them shared (``share_answers``):
# a backtest's partitions each open a matcher of the same rule set, and each asked durable again
# for the answers of the same distinct facts (on the 1M feed's first 174k events in 5 partitions,
# 4,311 evaluations against 1,458 in one). An answer depends on the key and the rule set only
# (``SingleStage._evaluate``); one rule set's answers are kept, at most CACHE_SIZE of them.
_SHARED_ANSWERS: list[tuple[CompiledRuleSet, dict[Any, Any]]] = []


def shared_answers(ruleset: CompiledRuleSet) -> dict[Any, Any]:
    """The answers kept for ``ruleset`` (an equal one), or a new empty store for it."""
    if _SHARED_ANSWERS and _SHARED_ANSWERS[0][0] == ruleset:
        return _SHARED_ANSWERS[0][1]
    _SHARED_ANSWERS[:] = [(ruleset, {})]
    return _SHARED_ANSWERS[0][1]


class DurableMatcher:
    """``riskengine.engine.matching.Matcher`` on durable-rules (see the package docstring)."""

    def __init__(self, ruleset: CompiledRuleSet, batch_size: int = 5000, share_answers: bool = False) -> None:
        self.plan = plan = Plan(ruleset)
        self.batch_size = batch_size
        self.stats = MatchStats()
        self._owned: list[Ruleset] = []
        self._finalizer = weakref.finalize(self, release, self._owned)
        single = [self._add(definition, keys) for definition, keys in SingleStage.definitions(plan)]
        pattern: list[Ruleset] = []
        rule_of: list[int] = []  # durable pattern rule number -> plan.patterns index
        for definition, keys, patterns in PatternStage.definitions(plan):
            pattern.append(self._add(definition, keys))
            rule_of += patterns
        self.single = SingleStage(plan, batch_size, self.stats, single)
        self._shared = share_answers
        if share_answers:
            self.single.cache = shared_answers(ruleset)
        # the fields a fact given as a dict is read for: what the rules test or join, its id and date
        tested = {name for rule in ruleset.rules for pattern in rule.patterns for name in _fields_of(pattern.condition)}
        joined = {name for rule in ruleset.rules for pattern in rule.patterns for j in pattern.joins for name in (j.field, j.other_field)}
        self._fact_names = tuple(sorted(tested | joined | {ID_FIELD, DATE_FIELD}))
        self.patterns = PatternStage(plan, self.stats, pattern, rule_of)
        self.stats.rulesets = len(single) + len(pattern)
        self._closed = False

    def _add(self, definition: Mapping[str, Any], keys: set[str]) -> Ruleset:
        ruleset = Ruleset(definition, keys)
        self._owned.append(ruleset)
        return ruleset

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
        """``_batch_rows`` of facts given as dicts: rows of the fields any rule reads, with each
        dict itself at hand for what judges a whole fact."""
        names = self._fact_names
        rows = [tuple(map(fact.get, names)) for fact in facts]
        self._batch_rows(names, rows, found, facts.__getitem__)

    def _batch_rows(
        self,
        names: tuple[str, ...],
        rows: Sequence[Sequence[Any]],
        found: defaultdict[str, list[tuple[str, ...]]],
        fact_at: Callable[[int], Mapping[str, Any]] | None = None,
    ) -> None:
        """One batch of facts given as rows of values in the order of ``names`` (None:
        absent); a dict is made only of a row that needs one to be judged."""
        width = len(names)
        if rows and min(map(len, rows)) < width:  # a short row leaves its last fields out
            rows = [(*row, *(None,) * (width - len(row))) for row in rows]
        if fact_at is None:

            def fact_at(n: int) -> dict[str, Any]:
                return {name: value for name, value in zip(names, rows[n], strict=False) if value is not None}

        keys, fallback = self.single.keys_of_rows(names, rows, fact_at)
        ids = event_ids_of_rows(names, rows, fact_at)
        dates = list(map(operator.itemgetter(names.index(DATE_FIELD)), rows)) if DATE_FIELD in names else [None] * len(rows)
        self._match(keys, fallback, ids, dates, names, rows, found)

    def _match(
        self,
        keys: Sequence[tuple[Any, ...] | None],
        fallback: Mapping[int, tuple[tuple[str, ...], tuple[int, ...]]],
        ids: Sequence[str],
        dates: Sequence[Any],
        names: tuple[str, ...],
        rows: Sequence[Sequence[Any]],
        found: defaultdict[str, list[tuple[str, ...]]],
    ) -> None:
        """One batch: its facts' keys (None: judged in Python, answer in ``fallback``), event
        ids, dates and rows; the pattern candidates go to the pattern stage as their rows."""
        stats = self.stats
        stats.batches += 1
        stats.facts += len(keys)
        stats.fallback += len(fallback)
        known, where = self.single.answers(keys, ids)
        # Facts with the same answer fire the same rules: collect their positions per answer
        # and hand their ids to each rule once, instead of once per fact and rule. Each
        # distinct key's answer becomes where its facts go (the list of their rules' answer, or
        # None) and its leg conditions, read for every fact by one C-level map.
        by_rules: dict[tuple[str, ...], list[int]] = {}
        route: dict[Any, tuple[list[int] | None, tuple[int, ...]]] = {}
        for key, (rules, flags) in known.items():
            route[key] = (by_rules.setdefault(rules, []) if rules else None, flags)
        if where is None:
            routes: list[Any] = list(map(route.get, keys))
        else:  # each row's position among the distinct keys, -1 (the last, a placeholder) for None
            table = [*route.values(), None]
            routes = list(map(table.__getitem__, where))
        for n, (rules, flags) in fallback.items():
            routes[n] = (by_rules.setdefault(rules, []) if rules else None, flags)
        candidates: list[int] = []  # positions of the facts that are pattern candidates
        add_candidate = candidates.append
        for n, (positions, flags) in enumerate(routes):
            if positions is not None:
                positions.append(n)
            if flags:
                add_candidate(n)
        if self.patterns.active:
            add = self.patterns.add
            layout = self.patterns.layout(names)
            count = len(keys)
            c = 0
            for start in range(0, count, PATTERN_SLICE):
                end = min(start + PATTERN_SLICE, count)
                sliced = []
                while c < len(candidates) and candidates[c] < end:
                    n = candidates[c]
                    sliced.append((rows[n], ids[n], routes[n][1], dates[n]))
                    c += 1
                add(dates[start:end], sliced, found, layout)
        event_id = ids.__getitem__
        for rules, positions in by_rules.items():
            firing_ids = list(zip(map(event_id, positions)))
            for rule_id in rules:
                found[rule_id].extend(firing_ids)

    # -- lifetime --------------------------------------------------------------------------------

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._finalizer()
            self.patterns.close()
            if not self._shared:
                self.single.cache.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["DurableMatcher"]
