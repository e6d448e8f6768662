"""The one scorer: firings -> weighted points per period, stakeholder and dimension, summed
exactly, as events stream through the matcher.

``riskengine score``, ``brief``, ``explain`` and ``backtest`` all score with ``Scorer``. A backtest
reads its totals for every week; a window's report (``riskengine.scoring.pipeline``) reads the
totals of its history windows and, through ``Detail``, the full ``Contribution`` of each firing
completing in the window or the one before (what ``explain`` lists and a brief cites).

A period is a run of ``length`` days starting on ``anchor + k * length`` (ISO weeks: length 7 from
a Monday); a firing counts in the period of the event that completed it (latest date, then
highest id). Points are the rule's (``scores.rule_points``) times the weakest leg's source
weight (``scores.source_weight``), rounded to 4 decimals as a Contribution is, and summed as
integers in units of 1e-4: the totals do not depend on chunk sizes, on the order firings arrive
in, or on how the rules are split between processes.
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from riskengine.core.errors import InputError, Issue
from riskengine.core.events import Event
from riskengine.ingest.fast_events import NATIVE
from riskengine.rules.ir import CompiledRuleSet, Firing, latest_per_last
from riskengine.rules.loader import RulePack
from riskengine.rules.models import Rule, ScaledPoints
from riskengine.scoring.contributions import contributions_for
from riskengine.scoring.scores import SCALE, Contribution, net_points, rule_points, scaled_points, source_weight

# What is kept of an event after it has been matched: enough to score any firing it is a leg of.


# A record is a plain tuple: a reader process sends them by the hundred thousand, and a tuple
# pickles and unpickles without calling any Python code (a class with __reduce__ cost a call on
# each side, about a microsecond an event in each process). Days are ordinals.
_ID: Final = 0
_DAY: Final = 1
_PERIOD: Final = 2
_WEIGHT: Final = 3
_VALUES: Final = 4
# What scoring a firing reads of an event: its id, day, period (its first day), source weight and the
# values points scale by (in ``Scorer.per_fields`` order, None where absent); built by ``reader.prepare``.
_RecordTuple = tuple[str, int, int, float, tuple[Any, ...]]
_FIRST: Final = operator.itemgetter(0)
_ID_OF: Final = operator.itemgetter(_ID)
_PERIOD_OF: Final = operator.itemgetter(_PERIOD)
_WEIGHT_OF: Final = operator.itemgetter(_WEIGHT)
_VALUES_OF: Final = operator.itemgetter(_VALUES)
# A firing completes with its leg of the latest day, then the highest id (``_completion_order``):
# the larger of the legs' (day, id, period) triples, whose last item is then its period.
_COMPLETION: Final = operator.itemgetter(_DAY, _ID, _PERIOD)
_PERIOD_OF_COMPLETION: Final = operator.itemgetter(2)


def _leg_records(records: Mapping[str, _RecordTuple], tuples: Sequence[tuple[str, ...]]) -> list[list[_RecordTuple]]:
    """The records of the firings' legs, a leg at a time: the n-th list holds each firing's
    n-th leg (every firing of a rule has one id per leg)."""
    if len(tuples[0]) == 1:
        return [list(map(records.__getitem__, map(_FIRST, tuples)))]
    return [list(map(records.__getitem__, column)) for column in zip(*tuples, strict=True)]




class _Values:
    """A record's values where ``scoring.rule_points`` reads an event's facts."""

    __slots__ = ("names", "values")

    def __init__(self, names: Sequence[str], values: Sequence[Any]) -> None:
        self.names = names
        self.values = values

    def facts(self) -> Mapping[str, Any]:
        return {name: value for name, value in zip(self.names, self.values, strict=False) if value is not None}


@dataclass(frozen=True)
class _RuleScore:
    """A rule as scoring sees it: who it counts for, in which dimension, and its points."""

    rule: Rule
    dimension: str
    stakeholders: tuple[str, ...]
    leg_names: tuple[str, ...]
    fixed: float | None
    lowers: bool = False  # effect: lowers - its points go to Totals.relief


def rule_scores(pack: RulePack, compiled: CompiledRuleSet, chosen: Sequence[str]) -> dict[str, _RuleScore]:
    by_id = {rule.id: rule for rule in pack.rules}
    out: dict[str, _RuleScore] = {}
    for compiled_rule in compiled.rules:
        rule = by_id[compiled_rule.id]
        out[rule.id] = _RuleScore(
            rule=rule,
            dimension=rule.dimension,
            stakeholders=tuple(s for s in sorted(rule.stakeholders) if s in chosen),
            leg_names=tuple(leg.as_ for leg in rule.sequence) if rule.sequence else ("event",),
            fixed=float(rule.points) if isinstance(rule.points, (int, float)) else None,
            lowers=rule.lowers,
        )
    return out


_WEIGHTS: dict[tuple[tuple[str, str, int], ...], float] = {}
_SOURCE_GRADE = operator.attrgetter("name", "reliability", "credibility")


def cached_source_weight(event: Event) -> float:
    """``scoring.source_weight``, remembered by the sources' names and grades: a feed has few
    distinct combinations, and the weight is a third of what keeping a record costs."""
    key = tuple(map(_SOURCE_GRADE, event.sources))
    weight = _WEIGHTS.get(key)
    if weight is None:
        if len(_WEIGHTS) >= 100_000:
            _WEIGHTS.clear()
        weight = _WEIGHTS[key] = source_weight(event)
    return weight


_SOURCES = operator.attrgetter("sources")


def source_weights(events: Sequence[Event]) -> list[float]:
    """``cached_source_weight`` of each event, the cache keys made and read in one C call
    (``riskengine.core._native``) or, without it, by C-level maps (an event's key: its sources'
    names and grades)."""
    if _NATIVE_WEIGHTS is not None:
        weights: list[Any] = _NATIVE_WEIGHTS(events, _WEIGHTS)
    else:
        weights = source_weights_python(events)
    if None in weights:
        for n, weight in enumerate(weights):
            if weight is None:
                weights[n] = cached_source_weight(events[n])
    return weights


_NATIVE_WEIGHTS = NATIVE.source_weights if NATIVE is not None else None
# riskengine.core._native.tally_firings where the extension is built (Scorer.score's counting of
# a rule's firings; the Python lines after the call are its fallback and oracle), else None
_NATIVE_TALLY: Callable[..., bool] | None = getattr(NATIVE, "tally_firings", None)


def source_weights_python(events: Sequence[Event]) -> list[float | None]:
    """The weights ``_WEIGHTS`` holds for the events' keys, None where it holds none (the
    fallback of ``riskengine.core._native.source_weights``, and its oracle)."""
    keys = list(map(tuple, map(map, itertools.repeat(_SOURCE_GRADE), map(_SOURCES, events))))
    return list(map(_WEIGHTS.get, keys))


def per_fields_of(pack: RulePack) -> tuple[str, ...]:
    return tuple(sorted({r.points.per for r in pack.rules if isinstance(r.points, ScaledPoints)}))




# ---------------------------------------------------------------------------------------------


class Totals:
    """Weighted points per (period start, stakeholder, dimension), summed exactly: of the rules
    that raise risk in ``points``, of those that lower it (``effect: lowers``) in ``relief``;
    events per period; firings per (period, stakeholder). ``net`` combines the two."""

    def __init__(self) -> None:
        self.points: dict[tuple[int, str, str], int] = defaultdict(int)
        self.relief: dict[tuple[int, str, str], int] = defaultdict(int)
        self.events: dict[int, int] = defaultdict(int)
        self.firings: dict[tuple[int, str], int] = defaultdict(int)

    def net(self, period: int, stakeholder: str, dimensions: Iterable[str], max_relief: float) -> dict[str, float]:
        """P per dimension for one period and stakeholder: ``scores.net_points`` of R and L."""
        return {
            d: net_points(self.points.get((period, stakeholder, d), 0) / SCALE, self.relief.get((period, stakeholder, d), 0) / SCALE, max_relief)
            for d in dimensions
        }


class Scorer:
    """Turns firings into totals per period as they arrive, holding each event's record only while
    a pattern completing later could still name it. The same object scores in one process, or
    in each worker for the rules that worker matches (riskengine.scoring.parallel).

    A rule with fixed points adds the same units for every firing of the same period and source
    weight, so such firings are only counted (``tally``) and turned into points by
    ``totals_now``; rules whose points scale with a field are scored one firing at a time.
    Both sum integers, so the totals are the same either way."""

    def __init__(
        self, groups: Mapping[str, Sequence[_RuleScore]], first_period: int, reach_back: int | None, per_fields: Sequence[str] = ()
    ) -> None:
        self.groups = groups
        self.first_period = first_period
        self.reach_back = reach_back  # None: some pattern has no window, keep every record
        self.per_fields = tuple(per_fields)  # the names of a record's values
        self.records: dict[str, _RecordTuple] = {}
        self._recent: dict[str, _RecordTuple] = {}  # the last batch's records, until evict (see add)
        self.by_age: deque[_RecordTuple] = deque()
        self.totals = Totals()
        self.fired = 0
        self.tally: dict[tuple[int, str, float], int] = {}
        self.scaled: dict[tuple[int, str, float, tuple[Any, ...]], int] = {}  # (period, rule, weight, the legs' values read)
        self._fixed = {rule_id: all(r.fixed is not None for r in group) for rule_id, group in groups.items()}
        # rules counted once per event of their last leg (``once_per``); a group shares one
        # setting (``share_by_counting``)
        self._once = {rule_id: any(r.rule.once_per is not None for r in group) for rule_id, group in groups.items()}
        # per rule of scaled points: the (leg, value position) pairs its points read, and for
        # each rule it stands for, which of those pairs (-1: fixed points)
        self._scales = {rule_id: _scaled_values(group, self.per_fields) for rule_id, group in groups.items() if not self._fixed[rule_id]}
        self._picks = {rule_id: _picks(groups[rule_id], scales, self.per_fields) for rule_id, scales in self._scales.items()}
        self.detail: Detail | None = None  # set by a report that lists contributions

    def add(self, records: Iterable[_RecordTuple]) -> None:
        """Keep the records; an event id already kept is a second record of one event (E411).

        The records kept are those of the longest pattern window, which is as far back as a
        repeat could change the scores: the check is the dict's own growth (a batch at a time,
        in C), where a set of its own in the reader process cost two microseconds an event."""
        kept, by_age = self.records, self.by_age
        records = records if isinstance(records, list) else list(records)
        ids = list(map(_ID_OF, records))
        before = len(kept)
        kept.update(zip(ids, records, strict=True))  # a batch at a time, in C
        if _NATIVE_TALLY is not None:
            # the batch's own records, where its firings' legs mostly are: a small dict the C
            # counting reads first, still in the cache, where the whole year of them is not
            self._recent = dict(zip(ids, records, strict=True))
        if len(kept) - before == len(ids):
            by_age.extend(records)
            return
        seen = set(map(_ID_OF, by_age))  # what was kept before: which id is the first repeat
        for event_id in ids:
            if event_id in seen:
                raise InputError(
                    [
                        Issue(
                            "E411",
                            f"event '{event_id}' appears twice",
                            hint="a backtest scores each event once: import revised rows first (riskengine import upserts them)",
                        )
                    ]
                )
            seen.add(event_id)
        by_age.extend(records)  # not reached: a batch that does not grow the dict repeats an id

    def score(self, found: Mapping[str, Sequence[tuple[str, ...]]], observer: Callable[[str, tuple[str, ...]], None] | None = None) -> int:
        """Score firings given as event-id tuples per rule id (``Matcher.feed_by_rule``)."""
        records, tally, first_period = self.records, self.tally, self.first_period
        detail = self.detail if self.detail is not None and self.detail.active else None
        fired = 0
        once = self._once
        for rule_id in sorted(found):
            tuples = found[rule_id]
            group = self.groups[rule_id]
            if once[rule_id] and tuples:
                # once_per: one firing per event of the last leg. The loader dates that leg after
                # every other, so all the tuples sharing it are in this call (see ir.CompiledRule).
                tuples = latest_per_last(tuples, lambda event_id: records[event_id][_DAY])
            if detail is not None:
                detail.capture(group, tuples, records, self.per_fields)
            fired += len(group) * len(tuples)
            if observer is not None:
                for event_ids in tuples:
                    for rule in group:
                        observer(rule.rule.id, event_ids)
            if not tuples:
                continue
            # Every firing of a rule has one id per leg; what it counts by (the period of the leg
            # that completes it, the weakest leg's source weight, for scaled points the values
            # they read) is worked out and counted without a line of Python per firing
            if self._fixed[rule_id]:
                tally_firings(records, tuples, None, first_period, rule_id, tally, self._recent)
            else:
                tally_firings(records, tuples, self._scales[rule_id], first_period, rule_id, self.scaled, self._recent)
        self.fired += fired
        return fired

    def totals_now(self) -> Totals:
        """The totals, with the counted firings added in: those of fixed points (sorted, as
        they always were added), then those of scaled points."""
        tally, self.tally = self.tally, {}
        scaled, self.scaled = self.scaled, {}
        self._add_sums(self._sums(((period, rule_id, weight, ()), times) for (period, rule_id, weight), times in sorted(tally.items())))
        self._add_sums(self._sums(scaled.items()))
        return self.totals

    def _sums(self, counts: Iterable[tuple[tuple[int, str, float, tuple[Any, ...]], int]]) -> dict[tuple[int, str], list[int]]:
        """Counted firings ((period, rule id, weight, the legs' values read), times) as units
        per (period, rule id): for each rule the group stands for, then the firings.

        A firing's units depend on its rule, weight and values, not on its period: worked out
        once per such triple (on 200,000 world events, 6,566 of them for 55,183 counts). Values
        equal as keys (1, 1.0 and True; 0, -0.0 and False) give the same points: scaled_points
        reads float(value or 0). Units are integers, so summing them first changes no total."""
        units_of: dict[tuple[str, float, tuple[Any, ...]], list[int]] = {}
        summed: dict[tuple[int, str], list[int]] = {}
        for (period, rule_id, weight, values), times in counts:
            each = units_of.get((rule_id, weight, values))
            if each is None:
                group = self.groups[rule_id]
                picks = self._picks.get(rule_id, (-1,) * len(group))  # -1: fixed points, no value read
                each = units_of[(rule_id, weight, values)] = [
                    # firing_units, without building each leg's facts
                    round(round((rule.fixed if rule.fixed is not None else scaled_points(rule.rule.points, values[pick])) * weight, 4) * SCALE)
                    for rule, pick in zip(group, picks, strict=True)
                ]
            sums = summed.get((period, rule_id))
            if sums is None:
                sums = summed[(period, rule_id)] = [0] * (len(each) + 1)
            for n, one in enumerate(each):
                sums[n] += one * times
            sums[-1] += times
        return summed

    def _add_sums(self, summed: Mapping[tuple[int, str], list[int]]) -> None:
        points_by_period, relief_by_period, firings_by_period = self.totals.points, self.totals.relief, self.totals.firings
        for (period, rule_id), sums in summed.items():
            times = sums[-1]
            for rule, units in zip(self.groups[rule_id], sums, strict=False):  # sums ends with the firings
                target = relief_by_period if rule.lowers else points_by_period
                for stakeholder in rule.stakeholders:
                    target[(period, stakeholder, rule.dimension)] += units
                    firings_by_period[(period, stakeholder)] += times

    def evict(self, last_day: int) -> None:
        """Drop records older than any pattern completing on ``last_day`` or later can reach
        (one day more: a chunk may end in the middle of a day)."""
        self._recent = {}  # a subset of the records always: nothing is taken out of it
        if self.reach_back is None:
            return
        horizon = last_day - self.reach_back - 1
        by_age, records = self.by_age, self.records
        while by_age and by_age[0][_DAY] < horizon:
            records.pop(by_age.popleft()[_ID], None)

    def settings(self) -> tuple[int, int | None, tuple[str, ...]]:
        """What a Scorer for a share of the rules needs besides its rules (riskengine.scoring.parallel)."""
        return self.first_period, self.reach_back, self.per_fields

    def merge(self, other: Totals, fired: int) -> None:
        for key, units in other.points.items():
            self.totals.points[key] += units
        for key, units in other.relief.items():
            self.totals.relief[key] += units
        for fired_key, count in other.firings.items():
            self.totals.firings[fired_key] += count
        self.fired += fired


def tally_firings(
    records: Mapping[str, _RecordTuple],
    tuples: Sequence[tuple[str, ...]],
    scales: tuple[tuple[int, int], ...] | None,
    first_period: int,
    rule_id: str,
    target: dict[Any, int],
    recent: dict[str, _RecordTuple] | None = None,
) -> None:
    """Count one rule's firings (event-id tuples, one id per leg) into ``target``: by (period,
    rule, weight) for fixed points (``scales`` None: the scorer's ``tally``), by (period, rule,
    weight, the values read) for scaled points (``scales``: the (leg, position) pairs its points
    read: the scorer's ``scaled``); firings of periods before ``first_period`` are history the
    pattern windows needed, not counted. In C (``riskengine.core._native.tally_firings``) where
    the extension is built and the records are of the plain kinds it compares exactly, else by
    ``tally_firings_python``, its fallback and oracle (tests/test_native.py). ``recent``, some
    of ``records`` (the scorer's last batch, ``Scorer.add``), is where the C looks a leg up
    first: a small dict still in the processor's cache, where the records of a year of events
    are not (the counting is bound by those look-ups)."""
    if _NATIVE_TALLY is not None and _NATIVE_TALLY(
        records, tuples if type(tuples) is list else list(tuples), scales, first_period, rule_id, target, recent if recent is not None else {}
    ):
        return
    tally_firings_python(records, tuples, scales, first_period, rule_id, target)


def tally_firings_python(
    records: Mapping[str, _RecordTuple],
    tuples: Sequence[tuple[str, ...]],
    scales: tuple[tuple[int, int], ...] | None,
    first_period: int,
    rule_id: str,
    target: dict[Any, int],
) -> None:
    """``tally_firings`` without the extension. Its legs' records are read a leg (a column) at a
    time, and what a firing counts by worked out by C-level maps and counted by Counter."""
    if not tuples:
        return
    legs = _leg_records(records, tuples)
    if len(legs) == 1:
        periods: Iterable[int] = map(_PERIOD_OF, legs[0])
        weights: Iterable[float] = map(_WEIGHT_OF, legs[0])
    else:
        # a firing belongs to the period of the leg that completed it: latest day, then
        # highest id (max of (day, id, period) triples; ids differ, so period never decides)
        periods = map(_PERIOD_OF_COMPLETION, map(max, *(map(_COMPLETION, leg) for leg in legs)))
        weights = map(min, *(map(_WEIGHT_OF, leg) for leg in legs))
    if scales is None:
        # Fixed points: counted by period and source weight (see Scorer's docstring).
        for (period, weight), times in Counter(zip(periods, weights, strict=True)).items():
            if period >= first_period:  # earlier: history the pattern windows needed
                key = (period, rule_id, weight)
                target[key] = target.get(key, 0) + times
        return
    # Scaled points depend on the legs' scaling values only: such firings are counted by
    # period, weakest source weight and the legs' values, and turned into points once
    # per distinct count in ``totals_now`` (integer units, so the totals are the same as
    # firing by firing).
    values = zip(*(map(operator.itemgetter(at), map(_VALUES_OF, legs[leg])) for leg, at in scales), strict=True) if scales else itertools.repeat(())
    for (period, weight, read), times in Counter(zip(periods, weights, values, strict=False)).items():  # values may be repeat(())
        if period >= first_period:
            counted_as = (period, rule_id, weight, read)
            target[counted_as] = target.get(counted_as, 0) + times


def firing_units(rule: _RuleScore, weight: float, legs: Sequence[_RecordTuple], per_fields: Sequence[str]) -> int:
    """A firing's weighted points in units of 1e-4: the rule's points (fixed, or scaled by its
    legs' values) times the weakest leg's source weight, rounded as a Contribution is."""
    fixed = rule.fixed
    points = fixed if fixed is not None else rule_points(rule.rule.points, [_Values(per_fields, leg[_VALUES]) for leg in legs], rule.leg_names)
    return round(round(points * weight, 4) * SCALE)


def _value_read(rule: _RuleScore, per_fields: Sequence[str]) -> tuple[int, int] | None:
    """The (leg index, position in a record's values) of the value a rule's scaled points read
    (``scores.rule_points``: the ``per`` field of the ``leg`` named, by default the last); None
    for fixed points."""
    points = rule.rule.points
    if not isinstance(points, ScaledPoints):
        return None
    leg = rule.leg_names.index(points.leg) if points.leg else len(rule.leg_names) - 1
    return (leg, list(per_fields).index(points.per))


def _scaled_values(group: Sequence[_RuleScore], per_fields: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Every value the group's scaled points read, each once, in the group's order."""
    return tuple(dict.fromkeys(pair for rule in group if (pair := _value_read(rule, per_fields)) is not None))


def _picks(group: Sequence[_RuleScore], scales: Sequence[tuple[int, int]], per_fields: Sequence[str]) -> tuple[int, ...]:
    """For each rule of ``group``, the index in ``scales`` of the value its points read (-1:
    fixed points)."""
    return tuple(-1 if (pair := _value_read(rule, per_fields)) is None else scales.index(pair) for rule in group)


def _completion_order(record: _RecordTuple) -> tuple[int, str]:
    return (record[_DAY], record[_ID])


def last_day_of(records: Sequence[_RecordTuple]) -> int:
    """The day (ordinal) of the last of a chunk's records, for ``Scorer.evict``."""
    return records[-1][_DAY]



class Detail:
    """The full ``Contribution`` of every firing completing in ``periods`` (a report's window and
    the one before), beside the totals.

    Building a Contribution needs the legs' whole events (recommendation text, sources, region),
    which a million-event history cannot keep: only events from ``keep_from`` (an ordinal day,
    the window before the report's) are handed to ``keep`` whole, with the earlier ones that may
    still be legs of a long pattern as JSON (``reader.make_bounds``). The scorer asks for
    contributions only once some events have come whole (``active``), so the long history
    before is scored by totals alone at full speed.

    For ``region_periods`` (a report's history windows) it also sums each firing's weighted
    points by the region of its completing event, which the totals do not keep: so ``keep_from``
    is the first of those windows when a report wants scores per region over its history."""

    def __init__(self, pack: RulePack, periods: Iterable[int], keep_from: int, region_periods: Iterable[int] = ()) -> None:
        self.pack = pack
        self.periods = frozenset(periods)
        self.keep_from = keep_from
        self.events: dict[str, Event] = {}
        self.packed: dict[str, bytes] = {}  # events that may be legs, as JSON until one is
        self.legs: dict[str, Event] = {}  # the events of the firings captured
        self.contributions: dict[int, list[Contribution]] = defaultdict(list)
        self.active = False
        # Weighted points per region for the history windows (the brief's trend per region):
        # (period, stakeholder) -> (region, dimension) -> units, raising and lowering apart as in
        # Totals. A firing's region is its completing event's, kept whole from keep_from on.
        self.region_periods = frozenset(region_periods)
        self.region_raising: dict[tuple[int, str], dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
        self.region_lowering: dict[tuple[int, str], dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))

    def keep(self, events: Iterable[Event], packed: Iterable[tuple[str, bytes]] = ()) -> None:
        self.packed.update(packed)
        for event in events:
            self.events[event.event_id] = event
            self.active = True

    def _event(self, event_id: str) -> Event:
        event = self.events.get(event_id)
        if event is None:
            event = self.events[event_id] = Event.model_validate_json(self.packed.pop(event_id))
        return event

    def capture(
        self, group: Sequence[_RuleScore], tuples: Sequence[tuple[str, ...]], records: Mapping[str, _RecordTuple], per_fields: Sequence[str] = ()
    ) -> None:
        for event_ids in tuples:
            completing = max((records[event_id] for event_id in event_ids), key=_completion_order)
            period = completing[_PERIOD]
            if period in self.region_periods:
                self._add_region_points(period, completing[_ID], [records[event_id] for event_id in event_ids], group, per_fields)
            if period not in self.periods:
                continue
            try:
                legs = [self._event(event_id) for event_id in event_ids]
            except KeyError as missing:  # reader.make_bounds decides what is kept: a bug there
                raise RuntimeError(f"event {missing} of a firing of {group[0].rule.id} was not kept whole") from None
            for event in legs:
                self.legs[event.event_id] = event
            for rule in group:
                found = contributions_for(Firing(rule.rule.id, event_ids), legs, self.pack, rule.stakeholders)
                self.contributions[period].extend(found)

    def _add_region_points(
        self, period: int, completing_id: str, legs: Sequence[_RecordTuple], group: Sequence[_RuleScore], per_fields: Sequence[str]
    ) -> None:
        try:
            region = self._event(completing_id).region
        except KeyError:  # pipeline keeps events whole from the first history window: a bug there
            raise RuntimeError(f"event {completing_id}, completing a firing in a history window, was not kept whole") from None
        weight = min(leg[_WEIGHT] for leg in legs)
        for rule in group:
            units = firing_units(rule, weight, legs, per_fields)
            for stakeholder in rule.stakeholders:
                totals = (self.region_lowering if rule.lowers else self.region_raising)[(period, stakeholder)]
                totals[(region, rule.dimension)] += units

    def region_points(self, period: int, stakeholder: str, dimensions: Iterable[str], max_relief: float) -> dict[str, dict[str, float]]:
        """P per region and dimension for one period and stakeholder (``scores.net_points``)."""
        raising = self.region_raising.get((period, stakeholder), {})
        lowering = self.region_lowering.get((period, stakeholder), {})
        chosen = list(dimensions)
        return {
            region: {d: net_points(raising.get((region, d), 0) / SCALE, lowering.get((region, d), 0) / SCALE, max_relief) for d in chosen}
            for region in sorted({region for region, _ in (*raising, *lowering)})
        }
