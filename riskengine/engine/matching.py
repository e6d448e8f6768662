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

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from riskengine.engine.base import Matcher, MatchStats, event_id_of, facts_of_rows
from riskengine.rules.ir import DATE_FIELD, CompiledRuleSet, Firing, latest_per_last

Engine = Literal["durable", "reference"]
ENGINES: tuple[str, ...] = ("durable", "reference")


def open_matcher(ruleset: CompiledRuleSet, *, engine: Engine = "durable", batch_size: int = 5000, share_answers: bool = False) -> Matcher:
    """A matcher for ``ruleset``; use it as a context manager so the engine state is released.

    ``share_answers``: the durable matcher's answers for single events (a pure function of the
    rule set) are kept for the next matcher of an equal rule set in this process, as a backtest's
    partitions open one after another on a worker; without it each matcher starts empty."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if engine == "durable":
        from riskengine.engine.durable import (
            DurableMatcher,  # durable-rules loads only when used
        )

        return DurableMatcher(ruleset, batch_size=batch_size, share_answers=share_answers)
    if engine == "reference":
        from riskengine.engine.reference import ReferenceMatcher

        return ReferenceMatcher(ruleset, batch_size=batch_size)
    raise ValueError(f"unknown engine {engine!r}: expected one of {', '.join(ENGINES)}")


def match_all(ruleset: CompiledRuleSet, facts: Sequence[Mapping[str, Any]], *, engine: Engine = "durable", batch_size: int = 5000) -> list[Firing]:
    """All firings of one finite stream, sorted; a rule with ``once_per`` once per event of its
    last leg (``ir.latest_per_last``, as the scorer counts them)."""
    with open_matcher(ruleset, engine=engine, batch_size=batch_size) as matcher:
        firings = matcher.feed(facts)
    once = {rule.id for rule in ruleset.rules if rule.once_per_last}
    if not once:
        return sorted(firings)
    # every leg of such a tuple is dated: the loader lets once_per on only where the joins date each leg
    days: dict[str, int] = {event_id_of(fact): fact[DATE_FIELD] for fact in facts if DATE_FIELD in fact}
    kept = [f for f in firings if f.rule_id not in once]
    for rule_id in sorted(once):
        tuples = [f.event_ids for f in firings if f.rule_id == rule_id]
        kept.extend(Firing(rule_id, ids) for ids in latest_per_last(tuples, days.__getitem__))
    return sorted(kept)


__all__ = ["ENGINES", "Engine", "MatchStats", "Matcher", "event_id_of", "facts_of_rows", "match_all", "open_matcher"]
