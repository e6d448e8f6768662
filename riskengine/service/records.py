"""What the store keeps of a published brief, taken from the brief's own context, so the CLI
and the service record the same fields."""

from __future__ import annotations

from riskengine.briefs.render import BriefContext
from riskengine.store.db import BriefRecord, utc_now


def brief_record(context: BriefContext, fmt: str, digest: str, size: int, destination: str, now: str | None = None) -> BriefRecord:
    return BriefRecord(
        week=context.window.label,
        stakeholder=context.stakeholder,
        rule_pack=context.method.rule_pack_version,
        score=context.bluf.score,
        score_class=context.bluf.score_class,
        scores={
            "score": context.bluf.score,
            "previous_score": context.bluf.previous_score,
            "change": context.bluf.change,
            "dimensions": {d.name: d.score for d in context.dimensions},
        },
        format=fmt,
        sha256=digest,
        size=size,
        destination=destination,
        published_at=now or utc_now(),
    )


__all__ = ["brief_record"]
