"""A firing as a stakeholder sees it: one ``Contribution`` per stakeholder of the rule, with the
rule's points, the legs' source weight, the recommendation rendered from the legs, and where the
rule and the evidence come from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from riskengine.core.errors import InputError, Issue, Location, TemplateError
from riskengine.core.events import FIELDS, Event
from riskengine.core.resources import display_path
from riskengine.core.sandbox import render_text
from riskengine.rules.ir import Firing
from riskengine.rules.loader import RulePack
from riskengine.rules.models import STAKEHOLDERS, Profile, Rule
from riskengine.scoring.scores import Contribution, SourceOut, rule_points, source_weight

STAKEHOLDER_TITLES: dict[str, str] = {
    "investor": "International investors and businesses",
    "government": "Governments and diplomatic entities",
    "ngo": "Humanitarian organisations",
    "analyst": "Military analysts and strategists",
}



def template_view(event: Event) -> dict[str, Any]:
    """An event as recommendation text sees it: stored fields plus the derived ones."""
    view = event.model_dump(mode="json")
    for name, spec in FIELDS.items():
        if spec.derive is not None:
            view[name] = spec.value_of(event)
    return view


def _leg_context(rule: Rule, legs: Sequence[Event]) -> dict[str, Any]:
    context: dict[str, Any] = {"event": template_view(legs[-1])}
    if rule.sequence is not None:
        for leg, event in zip(rule.sequence, legs, strict=False):
            context[leg.as_] = template_view(event)
    return context


_RULE_INDEX: dict[int, dict[str, Rule]] = {}


def _rule_by_id(pack: RulePack) -> dict[str, Rule]:
    index = _RULE_INDEX.get(id(pack))
    if index is None or index.get("__pack__") is not pack:  # type: ignore[comparison-overlap]
        index = {rule.id: rule for rule in pack.rules}
        index["__pack__"] = pack  # type: ignore[assignment]
        _RULE_INDEX.clear()
        _RULE_INDEX[id(pack)] = index
    return index


def _recommendation(rule: Rule, legs: Sequence[Event], origin: Location, firing: Firing) -> str:
    """The rule's recommendation rendered on its legs; a template that fails on these values
    (a division by a zero count) is named by its rule file, line and rule id, and the event."""
    try:
        return render_text(rule.recommendation or "", _leg_context(rule, legs))
    except TemplateError as error:
        reason = str(error).removeprefix("error[E317] ")
        place = Location(display_path(origin.file), origin.line, origin.col, f"rules[id={rule.id}].recommendation")
        # one rendered line (a TemplateError holds text, so it crosses to and from worker processes)
        raise TemplateError(Issue("E317", reason, place, f"on event {', '.join(firing.event_ids)}").render()) from None


def contributions_for(firing: Firing, legs: Sequence[Event], pack: RulePack, stakeholders: Iterable[str] | None = None) -> list[Contribution]:
    """One contribution per stakeholder of the rule that fired (restricted to ``stakeholders``)."""
    rule = _rule_by_id(pack)[firing.rule_id]
    origin = pack.origin(rule.id)
    leg_names = [leg.as_ for leg in rule.sequence] if rule.sequence else ["event"]
    points = rule_points(rule.points, legs, leg_names)
    weight = min(source_weight(event) for event in legs)
    # A lowering rule's contribution is shown (and summed by scores.dimension_points) as negative
    # weighted points; ``points`` stays the rule's points.
    sign = -1 if rule.lowers else 1
    recommendation = _recommendation(rule, legs, origin, firing) if rule.recommendation else None
    completing = max(legs, key=lambda e: (e.event_date, e.event_id))
    sources = sorted(
        {
            (s.name, s.grade, s.url, s.document)
            for event in legs
            for s in event.sources
        }
    )
    wanted = set(stakeholders) if stakeholders is not None else None
    source_text = rule.source.label
    return [
        Contribution(
            rule_id=rule.id,
            rule_title=rule.title,
            stakeholder=stakeholder,
            dimension=rule.dimension,
            event_ids=list(firing.event_ids),
            event_date=completing.event_date,
            region=completing.region,
            points=points,
            source_weight=weight,
            weighted_points=(sign * round(points * weight, 4)) or 0.0,
            recommendation=recommendation,
            rule_source=source_text,
            rule_file=display_path(origin.file),
            rule_line=origin.line,
            sources=[SourceOut(name=n, grade=g, url=u, document=d) for n, g, u, d in sources],
        )
        for stakeholder in sorted(rule.stakeholders)
        if wanted is None or stakeholder in wanted
    ]


def default_profile(stakeholder: str) -> Profile:
    from riskengine.rules.models import DIMENSIONS

    return Profile(title=STAKEHOLDER_TITLES[stakeholder], dimension_weights=dict.fromkeys(DIMENSIONS, 1.0))


def check_stakeholders(names: Iterable[str] | None) -> list[str]:
    if names is None:
        return list(STAKEHOLDERS)
    chosen = []
    for name in names:
        if name not in STAKEHOLDERS:
            from riskengine.core.errors import did_you_mean

            raise InputError([Issue("E404", f"unknown stakeholder '{name}'", hint=did_you_mean(name, STAKEHOLDERS) or f"one of {', '.join(STAKEHOLDERS)}")])
        chosen.append(name)
    return sorted(set(chosen), key=STAKEHOLDERS.index)

