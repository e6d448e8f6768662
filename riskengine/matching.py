"""The streaming matcher the pipeline talks to, whatever engine is behind it.

    with open_matcher(compiled) as matcher:
        for chunk in chunks:
            firings = matcher.feed([project(values, compiled.fields) for values in chunk])

Facts are dicts made by ``ir.project``: only the fields rules read, dates as ordinal days, always
an ``event_id``. ``feed`` returns the firings that chunk completed, sorted: a single-event firing
comes back with the chunk its fact came in, a pattern firing with the chunk that completes it,
and each firing exactly once over the whole stream.

Streams are assumed to arrive roughly in date order. The durable engine keeps a pattern candidate
only while a later fact could still join it: a fact is dropped once it is older than the latest
``event_date`` seen minus how many days after it a partner can be dated, for the legs it can
play (``compiler.leg_reach``, at most the rule's ``window_days``; 0 for a leg whose partners
all come on or before its day; candidates of a rule without a window are kept for the life of
the matcher). A fact that arrives already older than that horizon is counted in
``stats.late``: it is still matched, but partners that were dropped are lost. Every caller in
riskengine feeds facts in date order, where this is exact. The
reference engine keeps everything and is exact for any order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal, Protocol, Self, runtime_checkable

from riskengine.errors import EventError, Issue
from riskengine.ir import ID_FIELD, CompiledRuleSet, Firing

Engine = Literal["durable", "reference"]
ENGINES: tuple[str, ...] = ("durable", "reference")


@dataclass
class MatchStats:
    """What a matcher has done so far; figures for logs and benchmarks, not for logic."""

    facts: int = 0  # facts fed
    batches: int = 0  # batches handed to the engine (a chunk is cut into batch_size pieces)
    firings: int = 0  # firings returned
    rulesets: int = 0  # engine rulesets the rule set was split into
    sessions_opened: int = 0  # engine sessions created (and deleted after their batch)
    evaluated: int = 0  # distinct fact contents the engine evaluated (the rest came from the cache)
    cache_hits: int = 0  # facts whose single-event result was already known
    fallback: int = 0  # facts the engine could not represent faithfully, evaluated in Python
    candidates: int = 0  # facts asserted for pattern rules
    facts_retained: int = 0  # pattern candidates held now
    peak_retained: int = 0  # most pattern candidates held at once
    dropped: int = 0  # pattern candidates released because no later fact can join them
    held: int = 0  # of those, never given to the engine: no rule of theirs could complete meanwhile
    late: int = 0  # facts older than the retention horizon when they arrived

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@runtime_checkable
class Matcher(Protocol):
    stats: MatchStats

    def feed(self, facts: Sequence[Mapping[str, Any]]) -> list[Firing]:
        """Firings completed by this chunk, sorted."""
        ...

    def feed_by_rule(self, facts: Sequence[Mapping[str, Any]]) -> dict[str, list[tuple[str, ...]]]:
        """The firings ``feed`` would return, as event-id tuples per rule id, in no set order:
        for a caller that only adds them up (the backtest), which need not pay for sorting
        and wrapping millions of them."""
        ...

    def feed_rows_by_rule(self, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> dict[str, list[tuple[str, ...]]]:
        """``feed_by_rule`` of facts given as rows: each row holds a fact's values in the order
        of ``names``, None where the fact has no such field (``pipeline.row_projector``)."""
        ...

    def close(self) -> None:
        """Release the engine's state; feeding afterwards is an error."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


def facts_of_rows(names: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """Facts given as rows (see ``Matcher.feed_rows_by_rule``) as dicts, absent fields left out."""
    return [{name: value for name, value in zip(names, row) if value is not None} for row in rows]


def event_id_of(fact: Mapping[str, Any]) -> str:
    event_id = fact.get(ID_FIELD)
    if event_id is None:
        shown = ", ".join(sorted(fact)) or "nothing"
        raise EventError([Issue("E203", f"a fact has no '{ID_FIELD}' (it holds {shown})")])
    return str(event_id)


def open_matcher(ruleset: CompiledRuleSet, *, engine: Engine = "durable", batch_size: int = 5000) -> Matcher:
    """A matcher for ``ruleset``; use it as a context manager so the engine state is released."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if engine == "durable":
        from riskengine.durable import (
            DurableMatcher,  # durable-rules loads only when used
        )

        return DurableMatcher(ruleset, batch_size=batch_size)
    if engine == "reference":
        from riskengine.reference import ReferenceMatcher

        return ReferenceMatcher(ruleset, batch_size=batch_size)
    raise ValueError(f"unknown engine {engine!r}: expected one of {', '.join(ENGINES)}")


def match_all(ruleset: CompiledRuleSet, facts: Sequence[Mapping[str, Any]], *, engine: Engine = "durable", batch_size: int = 5000) -> list[Firing]:
    """All firings of one finite stream, sorted."""
    with open_matcher(ruleset, engine=engine, batch_size=batch_size) as matcher:
        return sorted(matcher.feed(facts))


__all__ = ["ENGINES", "Engine", "MatchStats", "Matcher", "event_id_of", "match_all", "open_matcher"]
