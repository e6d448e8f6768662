"""Alerts: a stakeholder's overall score crossing into a higher class than the week before.

The simplest rule an advisory desk acts on; an alert's id names the week, the stakeholder and
the class reached, so the same crossing is one alert however often it is computed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from riskengine.rules.pack import RulePack
from riskengine.scoring.pipeline import default_profile
from riskengine.scoring.scores import CLASSES, ScoreReport, classify


@dataclass(frozen=True)
class Alert:
    id: str
    week: str
    stakeholder: str
    score: float
    score_class: str
    previous_week: str
    previous_score: float
    previous_class: str
    change: float
    rule_pack: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def alerts_of(report: ScoreReport, pack: RulePack) -> list[Alert]:
    """The alerts a score report raises, in the report's stakeholder order."""
    found = []
    for s in report.stakeholders:
        profile = pack.profiles.get(s.stakeholder) or default_profile(s.stakeholder)
        before = classify(s.previous_score, profile.thresholds)
        if CLASSES.index(s.score_class) <= CLASSES.index(before):
            continue
        found.append(
            Alert(
                id=f"{report.window.label}:{s.stakeholder}:{s.score_class.replace(' ', '-')}",
                week=report.window.label,
                stakeholder=s.stakeholder,
                score=s.score,
                score_class=s.score_class,
                previous_week=report.previous_window.label,
                previous_score=s.previous_score,
                previous_class=before,
                change=s.change,
                rule_pack=report.rule_pack.version,
            )
        )
    return found


__all__ = ["Alert", "alerts_of"]
