"""Events as the matcher sees them: facts (dicts or rows of the fields the rules read), and
identical rules matched once.

What every scoring path shares before a firing is scored: ``projector``/``row_projector`` turn
events into facts, ``share_identical_rules`` folds the same rule in several packs into one, and
``match_stream`` feeds chunks to one matcher (for callers that want the firings themselves).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import msgspec

from riskengine.core.events import FIELDS, Event, FieldKind, FieldSpec
from riskengine.ingest.fast_events import NATIVE, FastEvent
from riskengine.rules.ir import DATE_FIELD, CompiledRule, CompiledRuleSet, Firing, encode_value


def fact_of(event: Event, fields: Sequence[str]) -> dict[str, Any]:
    """The engine fact for one event: only the fields the rules read."""
    return projector(tuple(fields))(event)


_AS_STORED = (FieldKind.STRING, FieldKind.NUMBER, FieldKind.BOOLEAN)


@functools.lru_cache(maxsize=32)
def projector(fields: tuple[str, ...]) -> Callable[[Event], dict[str, Any]]:
    """``fact_of`` for one field list, with the per-field lookups done once.

    A backtest projects every event of a feed; going through FIELDS and ``project`` for each
    field of each event cost more than validating the event. The fact is the same as
    ``ir.project`` of the field values (checked by tests/test_pipeline.py): None left out,
    dates as ordinal days, lists copied with dates inside them encoded.
    """
    # Fields whose stored value goes into the fact as it is (text, numbers, booleans) are
    # copied by one comprehension; dates, lists and derived fields take the slower steps.
    plain = tuple(
        name for name in fields for spec in (FIELDS.get(name),) if spec is not None and spec.derive is None and spec.kind in _AS_STORED
    )
    steps = [(name, spec.derive if spec is not None else None) for name in fields if name not in plain for spec in (FIELDS.get(name),)]
    date = dt.date

    def fact(event: Event) -> dict[str, Any]:
        stored = event.__dict__
        out = {name: value for name in plain if (value := stored.get(name)) is not None}
        for name, derive in steps:
            value = stored.get(name) if derive is None else derive(event)
            if value is None:
                continue
            kind = value.__class__
            if kind is date:
                value = value.toordinal()
            elif kind is list or kind is tuple:
                value = encode_value(value)
            out[name] = value
        return out

    return fact


@functools.lru_cache(maxsize=32)
def row_projector(fields: tuple[str, ...]) -> tuple[tuple[str, ...], Callable[[Event | FastEvent], tuple[Any, ...]]]:
    """The facts of ``projector`` as rows: the field names in row order, and the function that
    gives an event's values in that order, None where the fact leaves a field out.

    A backtest sends a million facts from its reader process to the matching one: a row is
    built with one C call for the fields stored as they are, pickles without keys, and the
    matcher makes a dict only of the few facts patterns keep (``Matcher.feed_rows_by_rule``).
    An ``Event``'s stored fields are read from its ``__dict__``, a FastEvent's (which has none)
    as attributes; the rest, derived fields included, the same way for both.
    """
    plain = tuple(
        name for name in fields for spec in (FIELDS.get(name),) if spec is not None and spec.derive is None and spec.kind in _AS_STORED
    )
    steps = [(name, spec.derive if spec is not None else None) for name in fields if name not in plain for spec in (FIELDS.get(name),)]
    names = plain + tuple(name for name, _ in steps)
    date = dt.date
    if len(plain) > 1:
        plain_values: Callable[[dict[str, Any]], tuple[Any, ...]] = operator.itemgetter(*plain)
        plain_attributes: Callable[[FastEvent], tuple[Any, ...]] = operator.attrgetter(*plain)
    else:  # itemgetter of one name gives the value, not a tuple

        def plain_values(stored: dict[str, Any]) -> tuple[Any, ...]:
            return tuple(map(stored.get, plain))

        def plain_attributes(event: FastEvent) -> tuple[Any, ...]:
            return tuple(getattr(event, name) for name in plain)

    def row(event: Event | FastEvent) -> tuple[Any, ...]:
        rest = []
        for name, derive in steps:
            value = getattr(event, name, None) if derive is None else derive(event)
            if value is not None:
                kind = value.__class__
                if kind is date:
                    value = value.toordinal()
                elif kind is list or kind is tuple:
                    value = encode_value(value) if value else []  # most events have no tags
            rest.append(value)
        if type(event) is FastEvent:
            return (*plain_attributes(event), *rest)
        return (*plain_values(event.__dict__), *rest)

    return names, row


_FAST_ONLY = {FastEvent}
_astuple = msgspec.structs.astuple
_ENCODED_KINDS = frozenset({dt.date, list, tuple})  # what a row does not hold as stored


def _encoded(value: Any) -> Any:
    """A value of a derived field, or a date or list, as ``row_projector``'s rows hold it."""
    if value is not None:
        kind = value.__class__
        if kind is dt.date:
            return value.toordinal()
        if kind is list or kind is tuple:
            return encode_value(value) if value else []  # most events have no tags
    return value


def _encoded_column(column: list[Any]) -> list[Any]:
    """``_encoded`` of each value: the column itself when it holds no date and no list (one
    C-level pass over the values' types), else a value at a time."""
    if _ENCODED_KINDS.isdisjoint(set(map(type, column))):
        return column
    return list(map(_encoded, column))


# The fields a derived field is computed from, where it is None whenever they all are (its
# FieldSpec.derive; checked by tests/test_native.py): the native rows call it only otherwise.
_NONE_UNLESS = {
    "launched_total": ("drones_launched", "missiles_launched"),
    "interception_rate": ("drones_intercepted", "missiles_intercepted"),
}


@functools.lru_cache(maxsize=32)
def rows_projector(fields: tuple[str, ...], native: bool = True) -> Callable[[Sequence[Event | FastEvent], int | None], list[tuple[Any, ...]]]:
    """``row_projector``'s rows of a batch of events, built a field (a column) at a time: the
    stored fields of every event by one C-level map, each other field as a column, the rows
    joined by ``zip``, so no line of Python runs per event for the common fields. ``day``: the
    date (ordinal) every event of the batch has (a reader's day group), or None; a date is
    otherwise read from each event. The same rows as ``row_projector`` (tests/test_pipeline.py).
    A batch of FastEvents only is built natively where the extension is built, unless ``native``
    is False (the Python path, its oracle in tests/test_native.py)."""
    names, _ = row_projector(fields)
    plain = tuple(
        name for name in fields for spec in (FIELDS.get(name),) if spec is not None and spec.derive is None and spec.kind in _AS_STORED
    )
    steps = [(name, spec) for name in fields if name not in plain for spec in (FIELDS.get(name),)]
    if tuple(name for name, _ in steps) != names[len(plain) :]:
        raise AssertionError("rows_projector must give row_projector's order")
    if len(plain) > 1:
        plain_values: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*plain)
    else:

        def plain_values(event: Any) -> tuple[Any, ...]:
            return tuple(getattr(event, name) for name in plain)

    # A FastEvent's stored values: all its fields as a tuple in one call, then those of the row
    # by one itemgetter (a fifth cheaper than getting 27 attributes by name)
    struct_fields = FastEvent.__struct_fields__
    fast_values = (
        operator.itemgetter(*(struct_fields.index(name) for name in plain)) if len(plain) > 1 and set(plain) <= set(struct_fields) else None
    )

    def column(name: str, spec: FieldSpec | None, events: Sequence[Event | FastEvent], day: int | None) -> Iterable[Any]:
        if spec is None:  # not a field: whatever the event has under that name
            return _encoded_column([getattr(event, name, None) for event in events])
        if spec.derive is not None:
            return _encoded_column(list(map(spec.derive, events)))
        if name == DATE_FIELD and day is not None:
            return itertools.repeat(day, len(events))
        return _encoded_column(list(map(operator.attrgetter(name), events)))

    # The same rows of FastEvents built natively where the extension is built (one tuple an
    # event, read from the struct's slots): each other field read from its slot too, or derived
    # only where its inputs are not all None, or else given as a column
    struct_rows = NATIVE.struct_rows if native and NATIVE is not None and fast_values is not None else None
    positions = tuple(struct_fields.index(name) for name in plain) if struct_rows is not None else ()
    native_steps: list[tuple[Any, ...] | None] = []
    for name, spec in steps:
        if spec is not None and spec.derive is not None and set(_NONE_UNLESS.get(name, ("",))) <= set(struct_fields):
            native_steps.append((2, spec.derive, tuple(map(struct_fields.index, _NONE_UNLESS[name]))))
        elif spec is not None and spec.derive is None and name in struct_fields and name != DATE_FIELD:
            native_steps.append((1, struct_fields.index(name)))
        else:
            native_steps.append(None)  # a column

    def rows(events: Sequence[Event | FastEvent], day: int | None = None) -> list[tuple[Any, ...]]:
        fast = fast_values is not None and set(map(type, events)) == _FAST_ONLY
        if fast and struct_rows is not None:
            specs = [
                step if step is not None else (0, column(name, spec, events, day)) for step, (name, spec) in zip(native_steps, steps, strict=True)
            ]
            return struct_rows(events, positions, specs, _encoded)  # type: ignore[no-any-return]
        heads = map(fast_values, map(_astuple, events)) if fast else map(plain_values, events)  # type: ignore[arg-type]
        if not steps:
            return list(heads)
        rest = zip(*(column(name, spec, events, day) for name, spec in steps), strict=True)
        return list(map(operator.add, heads, rest))

    return rows


def share_identical_rules(compiled: CompiledRuleSet) -> tuple[CompiledRuleSet, dict[str, tuple[str, ...]]]:
    """One rule per distinct pattern, and which rule ids each stands for.

    Packs for different stakeholders often hold the same rule under different ids (the
    investor's, government's and analyst's "retaliation cycle"): matching it once and copying
    its firings to every id gives the same firings for a fraction of the work. Leg aliases do
    not matter to matching and are ignored.
    """
    groups: dict[Any, list[CompiledRule]] = {}
    for rule in compiled.rules:
        key: Any = (tuple((p.condition, p.joins) for p in rule.patterns), rule.window_days)
        try:
            hash(key)
        except TypeError:  # an unhashable constant: compare by its text instead
            key = repr(key)
        groups.setdefault(key, []).append(rule)
    kept: list[CompiledRule] = []
    fanout: dict[str, tuple[str, ...]] = {}
    for members in groups.values():
        members.sort(key=lambda r: r.id)
        kept.append(members[0])
        fanout[members[0].id] = tuple(r.id for r in members)
    kept.sort(key=lambda r: r.id)
    return CompiledRuleSet(tuple(kept), fields=compiled.fields), fanout


def fan_out(firings: Iterable[Firing], fanout: dict[str, tuple[str, ...]]) -> list[Firing]:
    """The firings of shared rules copied to every rule id they stand for, sorted."""
    out = [Firing(rule_id, f.event_ids) for f in firings for rule_id in fanout.get(f.rule_id, (f.rule_id,))]
    out.sort()
    return out


def match_stream(
    chunks: Iterable[Sequence[Event]],
    compiled: CompiledRuleSet,
    *,
    engine: str = "durable",
    batch_size: int = 5000,
    share: bool = True,
) -> Iterator[tuple[Sequence[Event], list[Firing]]]:
    """Feed chunks of events to one matcher; yield each chunk with the firings it completed.

    Identical rules (the same rule in several stakeholders' packs) are matched once and their
    firings copied to every id (``share_identical_rules``). ``share=False`` is for a caller
    that shared the rules itself and wants the firings of the shared ones as they are."""
    from riskengine.engine.matching import (
        open_matcher,  # the engine loads only when something is matched
    )

    shared, fanout = share_identical_rules(compiled) if share else (compiled, {})
    fact = projector(compiled.fields)
    with open_matcher(shared, engine=engine, batch_size=batch_size) as matcher:  # type: ignore[arg-type]
        for chunk in chunks:
            if not chunk:
                continue
            firings = matcher.feed([fact(event) for event in chunk])
            yield chunk, fan_out(firings, fanout) if share else firings

