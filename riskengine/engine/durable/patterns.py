"""The pattern stage: tuples of facts that satisfy a pattern rule's legs and joins.

A fact that is a candidate for some leg goes to the pattern rulesets with one boolean key per
leg condition it satisfies, plus the real values of the fields joins compare. Each pattern rule
tests those keys and its joins, written as correlated conditions on earlier aliases
(``{"$lte": {"f3": {"$add": {"$l": {"a0": "f3"}, "$r": 60}}}}``). Facts stay in a long-lived
session; once no later fact can join them (see riskengine.engine.matching) they are released by
deleting the session and asserting the facts still live into a new one. A candidate reaches
durable only once one of its rules has a live candidate for every leg (before that no tuple of
the rule can complete); until then it waits in Python, and most such wait and expire unseen.
Joins durable cannot be trusted with (fields whose kind is not known to be the same, more than
fit in a leg) filter durable's firings in Python (``fallback.join_test``).

A rule of two legs whose only joins bound one date of its second leg by dates of its first
(``strike within the week before talks.scheduled_date and on or after talks.event_date``) is
matched here, not by durable (``DateJoin``): durable cannot index a date range, so such a rule
was split into one durable rule per day (``_date_variants``) and every candidate asserted into
each, where a table of live candidates by day gives the same pairs directly.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
import operator
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from riskengine.core.errors import EngineLimitError
from riskengine.core.native import NATIVE
from riskengine.engine.base import MatchStats
from riskengine.engine.durable import fallback
from riskengine.engine.durable.decode import CAP, decode, decode_mapped
from riskengine.engine.durable.fallback import kind
from riskengine.engine.durable.layout import EXACT_INT, MAX_EXPRESSIONS, MAX_FACT_KEYS
from riskengine.engine.durable.session import FactIds, Ruleset
from riskengine.engine.durable.single import number
from riskengine.rules.compiler import ContradictionError, leg_reach
from riskengine.rules.ir import And, CompiledRule, Cond, Join, Test

if TYPE_CHECKING:
    from riskengine.engine.durable.plan import Plan

_INT_ONLY = {int}
# riskengine.core._native where the extension is built with pattern_file (PatternStage._file in
# C), else None: the Python path then runs, as it does with RISKENGINE_NATIVE=0
_NATIVE: Any = NATIVE if getattr(NATIVE, "pattern_file", None) is not None else None

PATTERN_SLICE = 256  # facts per pattern-stage assert (see PatternStage.add)
ROTATE_MIN = 1024  # expired pattern facts a session may hold before it is replaced ...
ROTATE_FACTOR = 2  # ... once they also number this many times the live ones


@dataclass
class PatternRule:
    rule: CompiledRule  # the first of the rules it stands for
    flags: tuple[int, ...]  # condition index per leg
    python_joins: tuple[tuple[int, Join], ...]  # (leg, join) checked in Python on each firing
    python_checks: tuple[tuple[int, int, fallback.JoinTest], ...]  # the same, compiled: (leg, other leg, test)
    # One or more durable rules, each a durable condition (JSON) per leg whose joins name
    # earlier legs a0..; several when a date range was split into equalities (_date_variants).
    variants: tuple[tuple[dict[str, Any], ...], ...]
    keys: frozenset[str]
    ruleset: int = -1
    # When the rule's joins are only a date span (see _date_join): matched by the pattern stage
    # in Python instead of durable
    date_join: DateJoin | None = None
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
_ALWAYS = {"$gte": {SEQ: {"$sub": {"$l": {"a0": SEQ}, "$r": EXACT_INT}}}}


def flag(index: int) -> str:
    return f"l{index}"


_FLIP = {"eq": "eq", "ne": "ne", "gt": "lt", "gte": "lte", "lt": "gt", "lte": "gte"}
_JOIN_OP = {"eq": "eq", "ne": "neq", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}


def field_kind(name: str) -> str | None:
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
MAX_SPAN_DAYS = 31  # widest span of days a rule matched by date alone files a candidate under

# A rule of two legs whose joins are all ``b.<key> op a.<other key> + offset`` on date fields,
# with one key of leg 1 throughout: that key and, per key of leg 0, the lowest and highest
# offset it allows (leg 1's value lies within [leg 0's value + lowest, + highest] for each).
DateJoin = tuple[str, tuple[tuple[str, float, float], ...]]


def _date_join(native: Sequence[Sequence[Join]], python: Sequence[tuple[int, Join]], join_key: Callable[[str], str]) -> DateJoin | None:
    """The rule's joins as a DateJoin, when that is all they are and some date of leg 0 bounds
    the span on both sides within MAX_SPAN_DAYS days (so a candidate is filed under a few days);
    None otherwise. ``native``: the joins as compile_pattern states them for durable (each from
    the later leg), ``python``: those it leaves to Python."""
    if len(native) != 2 or python or native[0] or not native[1]:
        return None
    names = {j.field for j in native[1]}
    if len(names) != 1:
        return None
    bounds: dict[str, list[float]] = {}
    for j in native[1]:
        if j.other_leg != 0 or j.op == "ne" or not (is_date(j.field) and is_date(j.other_field)) or not isinstance(j.offset, int):
            return None
        low, high = bounds.setdefault(j.other_field, [-math.inf, math.inf])
        if j.op in ("gt", "gte", "eq"):
            low = max(low, j.offset + (j.op == "gt"))
        if j.op in ("lt", "lte", "eq"):
            high = min(high, j.offset - (j.op == "lt"))
        bounds[j.other_field] = [low, high]
    if min(high - low for low, high in bounds.values()) >= MAX_SPAN_DAYS:
        return None
    return join_key(names.pop()), tuple((join_key(other), low, high) for other, (low, high) in sorted(bounds.items()))


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
            if not (is_date(j.field) and is_date(j.other_field)) or j.op in ("eq", "ne"):
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
    _, leg, (field_name, other_leg, other_field), first, last = best  # whole days now
    kept = [
        j
        for j in native[leg]
        if not ((j.field, j.other_leg, j.other_field) == (field_name, other_leg, other_field) and j.op not in ("eq", "ne"))
    ]
    return [{leg: [*kept, Join(field_name, "eq", other_leg, other_field, day)]} for day in range(first, last + 1)]


def is_date(name: str) -> bool:
    from riskengine.core.events import FIELDS, FieldKind

    spec = FIELDS.get(name)
    return spec is not None and spec.kind is FieldKind.DATE


def _native_join(join: Join) -> bool:
    this, other = field_kind(join.field), field_kind(join.other_field)
    if this is None or this != other:
        return False
    if this == "num":
        return isinstance(join.offset, int) and abs(join.offset) < EXACT_INT
    return join.op in ("eq", "ne") and not join.offset


def compile_pattern(rule: CompiledRule, flags: tuple[int, ...], join_key: Callable[[str], str]) -> PatternRule:
    """A pattern rule as durable rules over the flags of its legs' conditions (``flags``) and
    the join keys ``join_key`` names; what durable cannot be given is checked in Python."""
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
    keys = {flag(c) for c in flags} | {join_key(f) for js in native for j in js for f in (j.field, j.other_field)}
    variants = [
        tuple(_leg_json(flags, native, leg, replaced, join_key) for leg in range(n)) for replaced in _date_variants(native)
    ]
    checks = tuple((leg, join.other_leg, fallback.join_test(join)) for leg, join in python)
    return PatternRule(rule, flags, tuple(python), checks, tuple(variants), frozenset(keys), date_join=_date_join(native, python, join_key))


def _leg_json(
    flags: Sequence[int], native: Sequence[Sequence[Join]], leg: int, replaced: Mapping[int, list[Join]], join_key: Callable[[str], str]
) -> dict[str, Any]:
    """Leg ``leg``'s durable condition: its flag, presence guards, then its joins."""
    joins = replaced.get(leg, native[leg])
    guards = {join_key(j.field) for j in joins}
    guards |= {join_key(j.other_field) for later in range(leg + 1, len(native)) for j in replaced.get(later, native[later]) if j.other_leg == leg}
    terms: list[Any] = [{flag(flags[leg]): True}]
    terms += [{"$ex": {k: 1}} for k in sorted(guards)]
    for j in joins:
        ref: Any = {f"a{j.other_leg}": join_key(j.other_field)}
        if j.offset:
            ref = {"$add": {"$l": ref, "$r": j.offset}}
        key = join_key(j.field)
        terms.append({key: ref} if j.op == "eq" else {f"${_JOIN_OP[j.op]}": {key: ref}})
    if joins:
        terms.append(_ALWAYS)  # see _ALWAYS
    return terms[0] if len(terms) == 1 else {"$and": terms}


def leg_conditions(rule: CompiledRule) -> list[Cond]:
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



def _pick(at: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """``itemgetter(*at)`` for at most one position (itemgetter of one gives no tuple)."""

    def pick(row: Sequence[Any]) -> tuple[Any, ...]:
        return tuple([row[n] for n in at])

    return pick


class _Joined:
    """A rule matched by its date span (PatternRule.date_join): its live candidates of each leg
    filed by the days of leg 1's date they can pair with (leg 0: every day of its span; leg 1:
    its date), as {token: event id} per day, a token per candidate and leg."""

    __slots__ = ("at", "bounds", "covered", "first", "key", "rule_ids", "second", "windows")

    def __init__(self, pattern: PatternRule, windows: Sequence[int | None]) -> None:
        assert pattern.date_join is not None
        self.first, self.second = pattern.flags
        self.key, self.bounds = pattern.date_join
        self.rule_ids = pattern.rule_ids
        self.windows = windows  # days a candidate of each leg is kept after its date (None: always)
        self.covered: dict[int, dict[int, str]] = {}  # leg 0
        self.at: dict[int, dict[int, str]] = {}  # leg 1

    def span(self, values: Mapping[str, Any]) -> range:
        """The days of leg 1's date a leg-0 candidate with these join values pairs with (none
        when it lacks a date the joins read: the rule's leg conditions require them)."""
        low, high = -math.inf, math.inf
        for key, lowest, highest in self.bounds:
            value = values.get(key)
            if value is None:
                return range(0)
            low = max(low, value + lowest)
            high = min(high, value + highest)
        return range(int(low), int(high) + 1) if low <= high else range(0)


class RowFact(Mapping[str, Any]):
    """A candidate's row read as its fact (absent fields None), for the joins Python checks:
    only firings are checked, so a dict is never made of the many candidates that wait."""

    __slots__ = ("_positions", "_row")

    def __init__(self, positions: Mapping[str, int], row: Sequence[Any]) -> None:
        self._positions = positions
        self._row = row

    def __getitem__(self, name: str) -> Any:
        value = self._row[self._positions[name]]
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return (name for name, n in self._positions.items() if self._row[n] is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class RowLayout:
    """Where a batch's rows (all as long as their names) hold each field, and which join
    fields (``PatternStage._join_kinds``, those the names hold) ``read`` gives of a row."""

    positions: dict[str, int]
    kinds: list[tuple[str, str, str | None, bool]]
    read: Callable[[Sequence[Any]], Sequence[Any]]
    at: list[int]  # the row's position of each of ``kinds``: what ``read`` reads


class PatternStage:
    """The pattern rulesets of one matcher and the candidates they hold."""

    def __init__(self, plan: Plan, stats: MatchStats, rulesets: list[Ruleset], rule_of: list[int]) -> None:
        self.plan = plan
        self.stats = stats
        self.rulesets = rulesets
        self._rule_of = rule_of  # durable pattern rule number -> plan.patterns index
        # flags each pattern ruleset listens to, and for how many days after its date a
        # candidate with that flag is kept: as long as a later-dated partner could still come
        # for any leg the flag stands for (compiler.leg_reach), never longer than the window
        self._listens: list[dict[int, int | None]] = [{} for _ in rulesets]
        for pattern in plan.patterns:
            if pattern.ruleset < 0:
                continue
            listens = self._listens[pattern.ruleset]
            for c, window in zip(pattern.flags, _keep_days(pattern), strict=False):
                if c in listens:
                    old = listens[c]
                    listens[c] = None if old is None or window is None else max(old, window)
                else:
                    listens[c] = window
        self._legs = [len(plan.patterns[r].flags) for r in rule_of]
        self._join_kinds = [(name, plan.join_key(name), field_kind(name), is_date(name)) for name in plan.join_fields]
        # whether some rule's joins are checked in Python (on the results' fact ids, not events')
        self._python_joins = any(pattern.python_joins for pattern in plan.patterns)
        self._routes: dict[tuple[int, ...], list[tuple[int, dict[str, bool], int | None, tuple[str, ...], tuple[int, ...]]]] = {}
        self._layouts: dict[tuple[str, ...], RowLayout] = {}
        # Each candidate's durable id, unique by id hash among all held (see session.FactIds):
        # a candidate may sit in several sessions, and held ones are a superset of each's facts.
        self.ids = FactIds()
        # pattern candidates: id -> [event id, fact, number of sessions holding it]
        self._retained: dict[int, list[Any]] = {}
        self._event_of: dict[int, str] = {}
        # per pattern ruleset: candidates that may still join, filed by the date after which
        # none can (math.inf: never), so that a day's worth expires in one step; the filing
        # dates in a heap; and the expired ones durable still stores
        self._live: list[dict[float, dict[int, dict[str, Any]]]] = [{} for _ in rulesets]
        self._expiry: list[list[float]] = [[] for _ in rulesets]
        self._dead: list[list[int]] = [[] for _ in rulesets]
        # Candidates not yet asserted. A tuple of a rule can complete only while the rule has a
        # live candidate for every leg (it is "armed"), so a candidate is given to durable only
        # once one of its rules is armed; until then it waits here, and most expire without
        # durable seeing them (a strike waits for an airspace restriction that seldom comes).
        # Nothing is lost: when a rule is armed, its waiting candidates are asserted with the
        # slice that armed it, and no tuple among them alone can complete then that did not
        # complete before (it would have armed the rule earlier). Kept per ruleset: the waiting
        # docs in the order they came with their flags (and their ids per set of flags, so that
        # arming a rule looks at the few sets of flags, not every waiting candidate), the live
        # candidates per set of flags (in all and per filing date), and each rule's flags.
        self._waiting: list[dict[int, tuple[dict[str, Any], tuple[int, ...]]]] = [{} for _ in rulesets]
        self._waiting_by: list[dict[tuple[int, ...], dict[int, None]]] = [{} for _ in rulesets]
        self._live_flags: list[Counter[tuple[int, ...]]] = [Counter() for _ in rulesets]
        self._filed_flags: list[dict[float, Counter[tuple[int, ...]]]] = [{} for _ in rulesets]
        self._rule_flags: list[list[frozenset[int]]] = [[] for _ in rulesets]
        for pattern in plan.patterns:
            if pattern.ruleset >= 0:
                self._rule_flags[pattern.ruleset].append(frozenset(pattern.flags))
        self._max_date: float = -math.inf
        # rules matched by their date span (see _Joined), each keeping its candidates as long as
        # a pattern ruleset keeps a candidate of the same leg; their filings by expiry date
        self._joined: list[_Joined] = []
        for r in plan.joined:
            self._joined.append(_Joined(plan.patterns[r], _keep_days(plan.patterns[r])))
        self._joined_routes: dict[tuple[int, ...], list[tuple[_Joined, bool, bool]]] = {}
        self._joined_filed: dict[float, list[tuple[dict[int, dict[int, str]], int, int]]] = {}
        self._joined_expiry: list[float] = []
        self._tokens = itertools.count()
        self._native = _NATIVE
        # what pattern_file reads and files into, in the order _native.c's CTX_ names them
        self._native_context = (
            self._routes,
            self._joined_routes,
            # through a proxy: a bound method would make the stage a cycle (stage -> context ->
            # stage), freed only by the cyclic collector, and a Dask worker would hold each
            # finished task's candidates until it runs (+16-30 MB of peak a worker, measured)
            functools.partial(PatternStage._routes_for, weakref.proxy(self)),
            self._join_values,
            kind,
            self.ids.take,
            self._expiry,
            self._live,
            self._live_flags,
            self._filed_flags,
            self._retained,
            self._event_of,
            heapq.heappush,
            Counter,
            self._joined_filed,
            self._joined_expiry,
            self._tokens,
            EngineLimitError,
            MAX_FACT_KEYS,
            SEQ,
        )

    @property
    def active(self) -> bool:
        """Whether any pattern rule is matched here (by durable or by date span)."""
        return bool(self.rulesets or self._joined)

    @staticmethod
    def definitions(plan: Plan) -> Iterable[tuple[dict[str, Any], set[str], list[int]]]:
        """Each pattern ruleset's durable rules, the fact keys they read, and the plan.patterns
        index of each durable rule in it. Durable rules are numbered across all rulesets."""
        numbered = 0
        for members in plan.pattern_sets:
            definition: dict[str, Any] = {}
            patterns: list[int] = []
            for r in members:
                for variant in plan.patterns[r].variants:
                    definition[f"r{numbered}"] = {"all": [{f"a{k}": leg} for k, leg in enumerate(variant)], "cap": CAP}
                    numbered += 1
                    patterns.append(r)
            yield definition, {k for r in members for k in plan.patterns[r].keys}, patterns

    def layout(self, names: tuple[str, ...]) -> RowLayout:
        """How to read the join fields out of rows of ``names`` (worked out once per names)."""
        found = self._layouts.get(names)
        if found is None:
            positions = {name: n for n, name in enumerate(names)}
            kinds = [k for k in self._join_kinds if k[0] in positions]
            at = [positions[k[0]] for k in kinds]
            read: Callable[[Sequence[Any]], Sequence[Any]] = operator.itemgetter(*at) if len(at) > 1 else _pick(at)
            found = self._layouts[names] = RowLayout(positions, kinds, read, at)
        return found

    def add(
        self,
        dates: Sequence[Any],
        candidates: Sequence[tuple[Sequence[Any], str, tuple[int, ...], Any]],
        found: defaultdict[str, list[tuple[str, ...]]],
        layout: RowLayout,
    ) -> None:
        """Assert one slice of the stream's candidates (each its row, event id, leg conditions
        and date), collect the tuples they complete, and expire what no later fact can join.
        Slices are short because durable compares a new fact with every stored one that no
        equality join separates it from: expiring between slices keeps that near the window's
        worth instead of the whole batch."""
        stats = self.stats
        horizon_before = max_date = self._max_date
        date: Any
        if dates and set(map(type, dates)) == _INT_ONLY:
            # day numbers only (every backtest slice): the latest found in C; equal to the loop's
            top = max(dates)
            if top > max_date:
                max_date = top
        else:
            for date in dates:
                if (date.__class__ is int or kind(date) == "num") and date > max_date:
                    max_date = date
        self._max_date = max_date
        per_set: list[list[dict[str, Any]]] = [[] for _ in self.rulesets]
        flags_of: list[list[tuple[int, ...]]] = [[] for _ in self.rulesets]  # each doc's flags
        if self._native is not None and candidates:
            if self._native_context[5] is not self.ids.take:  # the fact ids were replaced (tests do)
                self._native_context = (*self._native_context[:5], self.ids.take, *self._native_context[6:])
            counted, late = self._native.pattern_file(
                self._native_context, candidates, layout.read, layout.at, layout.kinds, layout.positions, horizon_before, per_set, flags_of, found
            )
        else:
            counted, late = self._file(candidates, layout, horizon_before, per_set, flags_of, found)
        stats.candidates += counted
        stats.late += late
        patterns = self.plan.patterns
        id_of = self._event_of.__getitem__
        python_joins = self._python_joins
        for s, docs in enumerate(per_set):
            if not docs:
                continue
            waiting = self._waiting[s]
            waiting_by = self._waiting_by[s]
            needed = self._armed(s)
            sent = []
            if waiting and needed:
                due: list[int] = []
                for mine in [mine for mine in waiting_by if not needed.isdisjoint(mine)]:
                    due += waiting_by.pop(mine)
                due.sort()  # the order they came in (ids are taken in increasing order)
                sent = [waiting.pop(seq)[0] for seq in due]
            for doc, mine in zip(docs, flags_of[s], strict=False):
                if needed.isdisjoint(mine):
                    waiting[doc["id"]] = (doc, mine)
                    group = waiting_by.get(mine)
                    if group is None:
                        group = waiting_by[mine] = {}
                    group[doc["id"]] = None
                else:
                    sent.append(doc)
            if not sent:
                continue
            docs = sent
            # Legs hold no $or, so durable fires each tuple once: no de-duplication needed.
            for message in self.rulesets[s].assert_facts(docs, stats, self.ids.hashes):
                if not python_joins:  # the event ids of each result straight from the message
                    letter, number, ids = decode_mapped(message, self._legs, id_of)
                    if letter != "r":
                        continue  # the marker
                    pattern = patterns[self._rule_of[number]]
                else:
                    letter, number, results = decode(message, self._legs)
                    if letter != "r":
                        continue
                    pattern = patterns[self._rule_of[number]]
                    if pattern.python_joins:
                        results = [seqs for seqs in results if self._python_joins_hold(pattern.python_checks, seqs)]
                    ids = [tuple(map(id_of, seqs)) for seqs in results]
                for rule_id in pattern.rule_ids:
                    found[rule_id].extend(ids)
        self._forget()

    def _file(
        self,
        candidates: Sequence[tuple[Sequence[Any], str, tuple[int, ...], Any]],
        layout: RowLayout,
        horizon_before: float,
        per_set: list[list[dict[str, Any]]],
        flags_of: list[list[tuple[int, ...]]],
        found: defaultdict[str, list[tuple[str, ...]]],
    ) -> tuple[int, int]:
        """File a slice's candidates: pair those of rules matched by date span (``_join``), and
        make each one's doc per pattern ruleset it goes to (in ``per_set``, its flags there in
        ``flags_of``), filed live by expiry date. Returns how many were candidates of some rule
        and how many came after their expiry. ``pattern_file`` in riskengine/core/_native.c does
        the same in C (this is its fallback and oracle, tests/test_native_patterns.py)."""
        counted = 0
        routes = self._routes
        expiry = self._expiry
        retained = self._retained
        event_of = self._event_of
        late = 0
        live = self._live
        live_flags = self._live_flags
        filed_flags = self._filed_flags
        join_values = self._join_values
        read = layout.read
        kinds = layout.kinds
        joined_routes = self._joined_routes
        for row, event_id, flags, date in candidates:
            route = routes.get(flags)
            if route is None:
                route = self._routes_for(flags)
            joined = joined_routes[flags]
            if not route and not joined:
                continue
            values = join_values(kinds, read(row), event_id)
            dated = date.__class__ is int or (kind(date) == "num" and not (isinstance(date, float) and math.isnan(date)))
            is_late = False
            if joined:
                is_late = self._join(joined, values, event_id, date, dated, horizon_before, found)
                if not route:
                    counted += 1
                    late += is_late
                    continue
            seq = self.ids.take()
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
            counted += 1
            late += is_late
            retained[seq] = [event_id, row, len(route), layout.positions]
            event_of[seq] = event_id
        return counted, late

    def _join(
        self,
        joined: Sequence[tuple[_Joined, bool, bool]],
        values: Mapping[str, Any],
        event_id: str,
        date: Any,
        dated: bool,
        horizon: float,
        found: defaultdict[str, list[tuple[str, ...]]],
    ) -> bool:
        """Pair a candidate with the live candidates of the other leg of each rule matched by
        date span that it may play a leg of, then file it as live. Returns whether it came
        after its own expiry (late, as PatternStage.add counts it)."""
        late = False
        for j, first, second in joined:
            pairs: list[tuple[str, ...]] = []
            span = j.span(values) if first else range(0)
            if span:
                at = j.at
                for one in span:
                    others = at.get(one)
                    if others:
                        pairs += [(event_id, other) for other in others.values()]
            day: int | None = values.get(j.key) if second else None
            if day is not None:
                others = j.covered.get(day)
                if others:
                    pairs += [(other, event_id) for other in others.values()]
            if pairs:
                for rule_id in j.rule_ids:
                    found[rule_id].extend(pairs)
            # filed after pairing: a candidate of both legs never pairs with itself
            for tables, days, window in ((j.covered, span, j.windows[0]), (j.at, () if day is None else (day,), j.windows[1])):
                if not days:
                    continue
                if window is None:
                    expires = math.inf
                else:
                    expires = date + window if dated else -math.inf
                    late = late or (dated and expires < horizon)
                token = next(self._tokens)
                filed = self._joined_filed.get(expires)
                if filed is None:
                    filed = self._joined_filed[expires] = []
                    if window is not None:
                        heapq.heappush(self._joined_expiry, expires)
                for filed_day in days:
                    table = tables.get(filed_day)
                    if table is None:
                        table = tables[filed_day] = {}
                    table[token] = event_id
                    filed.append((tables, filed_day, token))
        return late

    def _routes_for(self, flags: tuple[int, ...]) -> list[tuple[int, dict[str, bool], int | None, tuple[str, ...], tuple[int, ...]]]:
        """Work out where candidates with these flags go, durable (``_route``) and by date span
        (the rules matched by date span they may play a leg of, and which legs), once per flags."""
        self._joined_routes[flags] = [(j, j.first in flags, j.second in flags) for j in self._joined if j.first in flags or j.second in flags]
        route = self._routes[flags] = self._route(flags)
        return route

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
            join_keys = tuple(key for _, key, _, _ in self._join_kinds if key in self.rulesets[s].keys)
            route.append((s, {flag(c): True for c in mine}, window, join_keys, tuple(mine)))
        return route

    def _armed(self, s: int) -> frozenset[int]:
        """The flags of the rules of pattern ruleset ``s`` that have a live candidate for
        every leg: a candidate with none of them cannot be part of a tuple yet."""
        present = {c for flags, n in self._live_flags[s].items() if n for c in flags}
        return frozenset(c for legs in self._rule_flags[s] if legs <= present for c in legs)

    def _python_joins_hold(self, checks: Sequence[tuple[int, int, fallback.JoinTest]], seqs: Sequence[int]) -> bool:
        legs = [RowFact(entry[3], entry[1]) for entry in map(self._retained.__getitem__, seqs)]
        return all(holds(legs[leg], legs[other]) for leg, other, holds in checks)

    @staticmethod
    def _join_values(kinds: Sequence[tuple[str, str, str | None, bool]], row_values: Sequence[Any], event_id: str) -> dict[str, Any]:
        """The join properties of a candidate from its join fields' values (in the order of
        ``kinds``): an int or a string of the expected kind as it is, anything else checked."""
        values: dict[str, Any] = {}
        for (name, key, expected, dated), value in zip(kinds, row_values, strict=True):
            if value is None:
                continue
            cls = value.__class__
            if (cls is int and expected == "num" and -EXACT_INT < value < EXACT_INT) or (cls is str and expected == "str"):
                values[key] = value
                continue
            held = kind(value)
            exact = held == "num" and math.isfinite(value) and abs(value) < EXACT_INT
            if exact:
                value = number(value)
            if held != expected or (held == "num" and not exact) or (dated and type(value) is not int):
                wanted = "a whole day number" if dated else f"a {expected} value"
                raise EngineLimitError(f"event '{event_id}': '{name}' = {value!r} cannot be joined by durable-rules (expected {wanted})")
            values[key] = value
        return values

    def _forget(self) -> None:
        """Mark expired the candidates no later fact can join (the stream is roughly in date
        order), and release them once they outnumber the live ones (see ``rotate``)."""
        stats = self.stats
        if self._native is not None:
            self._native.joined_expire(self._joined_expiry, self._joined_filed, self._max_date, heapq.heappop)
        else:
            joined_expire(self._joined_expiry, self._joined_filed, self._max_date)
        for s, heap in enumerate(self._expiry):
            live, dead = self._live[s], self._dead[s]
            while heap and heap[0] < self._max_date:
                expires = heapq.heappop(heap)
                expired = live.pop(expires)
                self._live_flags[s] -= self._filed_flags[s].pop(expires)
                waiting = self._waiting[s]
                if waiting:
                    release = self._native.release_expired if self._native is not None else release_expired
                    held, dropped = release(expired, waiting, self._waiting_by[s], dead, self._retained, self._event_of, self.ids.hashes, self.ids.held)
                    stats.held += held
                    stats.dropped += dropped
                else:
                    dead.extend(expired)
            if len(dead) >= ROTATE_MIN and len(dead) >= ROTATE_FACTOR * self._live_flags[s].total():
                self.rotate(s)
        stats.facts_retained = len(self._retained)
        stats.peak_retained = max(stats.peak_retained, stats.facts_retained)

    def rotate(self, s: int) -> None:
        """Delete ruleset ``s``'s session and assert its live candidates into a new one.

        Re-asserting them makes durable fire again every tuple among them; all were reported
        when they completed, so those firings are dropped. Expired facts stay stored (and
        compared with new facts) until the next rotation: ``ROTATE_FACTOR`` trades that scanning
        against the re-firing.
        """
        ruleset = self.rulesets[s]
        ruleset.delete_session()
        docs = self.live_docs(s)
        for start in range(0, len(docs), PATTERN_SLICE):
            ruleset.assert_facts(docs[start : start + PATTERN_SLICE], self.stats, self.ids.hashes)
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
            self.ids.release(seq)
            self.stats.dropped += 1

    def live_docs(self, s: int) -> list[dict[str, Any]]:
        """The candidates pattern ruleset ``s`` holds and may still join, in the order they came."""
        waiting = self._waiting[s]
        docs = [doc for filed in self._live[s].values() for seq, doc in filed.items() if seq not in waiting]
        docs.sort(key=lambda doc: doc["id"])
        return docs

    def close(self) -> None:
        self._retained.clear()
        self._event_of.clear()
        self._joined_filed.clear()
        for j in self._joined:
            j.covered.clear()
            j.at.clear()


def joined_expire(heap: list[float], filed: dict[float, list[tuple[dict[int, dict[int, str]], int, int]]], before: float) -> None:
    """Take out of their day tables the candidates of rules matched by date span whose filings
    (by expiry date, the dates in ``heap``) expired before ``before``. ``joined_expire`` in
    riskengine/core/_native.c does the same in C (this is its fallback and oracle)."""
    while heap and heap[0] < before:
        for tables, day, token in filed.pop(heapq.heappop(heap)):
            table = tables[day]
            del table[token]
            if not table:
                del tables[day]


def release_expired(
    expired: Iterable[int],
    waiting: dict[int, tuple[dict[str, Any], tuple[int, ...]]],
    waiting_by: dict[tuple[int, ...], dict[int, None]],
    dead: list[int],
    retained: dict[int, list[Any]],
    event_of: dict[int, str],
    hashes: dict[int, int],
    held_ids: dict[int, int],
) -> tuple[int, int]:
    """Expired candidates of one pattern ruleset: those durable holds go to ``dead`` (released
    at its next rotation); those still waiting, which durable never saw, are let go now, and
    forgotten once no ruleset holds them (``PatternStage._release_candidate``, with the fact id
    given back to ``FactIds``: its ``hashes`` and ``held``). Returns how many were let go and
    how many forgotten. ``release_expired`` in riskengine/core/_native.c does the same in C."""
    held = dropped = 0
    for seq in expired:
        entry = waiting.pop(seq, None)
        if entry is None:
            dead.append(seq)
            continue
        group = waiting_by[entry[1]]
        del group[seq]
        if not group:
            del waiting_by[entry[1]]
        held += 1
        kept = retained[seq]
        kept[2] -= 1
        if not kept[2]:
            del retained[seq]
            del event_of[seq]
            del held_ids[hashes.pop(seq)]
            dropped += 1
    return held, dropped


def _keep_days(pattern: PatternRule) -> tuple[int | None, ...]:
    """Per leg, for how many days after its date a candidate is kept: as long as a later-dated
    partner could still come for it (compiler.leg_reach), never longer than the rule's window
    (None: for ever)."""
    limit = pattern.rule.window_days
    try:
        reach = leg_reach(pattern.rule.patterns) if limit is not None else (None,) * len(pattern.flags)
    except ContradictionError:  # hand-made IR the compiler would refuse: it never fires
        reach = (limit,) * len(pattern.flags)
    return tuple(None if limit is None or days is None else min(limit, days) for days in reach)


__all__ = ["PATTERN_SLICE", "ROTATE_FACTOR", "ROTATE_MIN", "DateJoin", "PatternRule", "PatternStage", "compile_pattern", "leg_conditions"]
