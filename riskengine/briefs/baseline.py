"""What a brief's "since last week" compares with, when a store knows what was sent.

Without a store a brief compares the week with the week before as scored now, from the same
events and rules. With one, readers were sent a brief for the week before, and "up 0.8 since
last week" should be against the figures they read: ``SinceLastWeek`` carries the overall and
dimension scores of the brief published for the previous week (with the rule pack it was
scored with), ``build_context`` compares with them (its one hook, in ``render``), and the bottom
line says what it compared with. When the rule pack changed since, or the week's events were
revised, the week rescored now differs from what was sent: the bottom line says by how much,
so that a rule edit is not read as a change in the world. When no brief was published for the
previous week, the comparison stays with the week rescored, and the bottom line says that too.

Regions and the drivers' changes are not recorded when a brief is published; they stay
compared with the week rescored, and the note says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from riskengine.briefs.render import BriefContext, signed
from riskengine.scoring.scores import ScoreReport, StakeholderScore, trend_of


@dataclass(frozen=True)
class PublishedScores:
    """The figures of a brief as published (``riskengine history`` lists them)."""

    score: float
    rule_pack: str  # the rule pack's content hash when it was scored
    published_at: str
    dimensions: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SinceLastWeek:
    """The previous week of a brief, and the brief published for it if there was one."""

    week: str
    published: PublishedScores | None = None

    def adjust(self, report: ScoreReport, stakeholder: str) -> ScoreReport:
        """``report`` with the stakeholder's previous overall and dimension scores (and the
        changes and trend that follow from them) taken from the published brief."""
        sent = self.published
        if sent is None or report.previous_window.label != self.week:
            return report
        adjusted = [s if s.stakeholder != stakeholder else _against(s, sent) for s in report.stakeholders]
        return report.model_copy(update={"stakeholders": adjusted})

    def annotate(self, context: BriefContext, report: ScoreReport) -> BriefContext:
        """``context`` with the bottom line saying what "since last week" compared with;
        ``report`` is the one scored now (the previous week rescored)."""
        if report.previous_window.label != self.week:
            return context
        rescored = next(s for s in report.stakeholders if s.stakeholder == context.stakeholder)
        sentence = f"{context.bluf.sentence} {self.note(rescored, report.rule_pack.version)}"
        return context.model_copy(update={"bluf": context.bluf.model_copy(update={"sentence": sentence})})

    def note(self, rescored: StakeholderScore, rule_pack: str) -> str:
        sent = self.published
        if sent is None:
            return f"Changes are against {self.week} as scored now (no {self.week} brief was published)."
        lead = f"Changes are against the {self.week} brief as sent on {sent.published_at} (regions and drivers: {self.week} as scored now)."
        # From the scores as printed (one decimal), so that the figures of the sentence add up.
        sent_then, rescored_then, now = (round(x, 1) for x in (sent.score, rescored.previous_score, rescored.score))
        drift, total = round(rescored_then - sent_then, 1), round(now - sent_then, 1)
        if sent.rule_pack != rule_pack:
            return (
                f"{lead} The rule pack has changed since ({sent.rule_pack} then, {rule_pack} now): {self.week} scores "
                f"{rescored_then:.1f} with today's rules, so of the {signed(total)}, {signed(drift)} comes from the "
                f"new rules and {signed(round(total - drift, 1))} from events."
            )
        if drift != 0:
            return f"{lead} {self.week} scores {rescored_then:.1f} now: its events were revised or added to since."
        return lead


def _against(s: StakeholderScore, sent: PublishedScores) -> StakeholderScore:
    dimensions = []
    for d in s.dimensions:
        before = sent.dimensions.get(d.dimension, d.previous_score)
        dimensions.append(d.model_copy(update={"previous_score": before, "change": round(d.score - before, 2)}))
    change = round(s.score - sent.score, 2)
    return s.model_copy(
        update={"previous_score": sent.score, "change": change, "trend": trend_of(change, sent.score, s.score), "dimensions": dimensions}
    )


__all__ = ["PublishedScores", "SinceLastWeek"]
