"""What the store keeps of a published brief, taken from the brief's own context, so the CLI
and the service record the same fields; and what a new brief's "since last week" compares with."""

from __future__ import annotations

from riskengine.briefs.baseline import PublishedScores, SinceLastWeek
from riskengine.briefs.render import BriefContext
from riskengine.scoring.scores import ScoreReport
from riskengine.store.db import BriefRecord, Store, utc_now


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


def since_last_week(store: Store, report: ScoreReport) -> dict[str, SinceLastWeek]:
    """Per stakeholder of ``report``: the brief last published for the previous week, if any
    (several formats, or a week published again: the latest is what readers saw last)."""
    week = report.previous_window.label
    out = {}
    for s in report.stakeholders:
        sent = store.briefs(stakeholder=s.stakeholder, week=week)
        last = max(sent, key=lambda b: b.id) if sent else None
        published = None
        if last is not None:
            dimensions = {str(k): float(v) for k, v in dict(last.scores.get("dimensions") or {}).items()}
            published = PublishedScores(score=last.score, rule_pack=last.rule_pack, published_at=last.published_at, dimensions=dimensions)
        out[s.stakeholder] = SinceLastWeek(week, published)
    return out


__all__ = ["brief_record", "since_last_week"]
