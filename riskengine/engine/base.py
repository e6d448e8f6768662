"""What every matcher is: the ``Matcher`` protocol, its ``MatchStats``, and the two helpers
both engines need to read a fact's id and rows. Engines import this module, never
``matching`` (which imports the engines)."""


from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Protocol, Self, runtime_checkable

from riskengine.core.errors import EventError, Issue
from riskengine.rules.ir import ID_FIELD, Firing


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
    return [{name: value for name, value in zip(names, row, strict=False) if value is not None} for row in rows]


def event_id_of(fact: Mapping[str, Any]) -> str:
    event_id = fact.get(ID_FIELD)
    if event_id is None:
        shown = ", ".join(sorted(fact)) or "nothing"
        raise EventError([Issue("E203", f"a fact has no '{ID_FIELD}' (it holds {shown})")])
    return str(event_id)



__all__ = ["MatchStats", "Matcher", "event_id_of", "facts_of_rows"]
