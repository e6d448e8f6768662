"""The rule language analysts write in YAML, as typed models.

A rule file holds ``rules:`` (and optionally ``profiles:``). Field names are checked against the
event field registry by the loader, which also attaches file/line/column to every problem.

    rules:
      - id: deep-strike-military-industry
        title: Deep strike on a military-industrial site
        stakeholders: [investor, analyst]
        dimension: escalation
        when:
          all:
            - {field: target_category, equals: military_industry}
            - {field: distance_from_border_km, at_least: 1000}
        points: {base: 2, per: fatalities, factor: 0.5, cap: 6}
        recommendation: "Reassess exposure to defence suppliers near {{ event.location }}."
        source: {document: "000", section: "Recommendations for Stakeholders, 1"}

Pattern rules relate two or more events:

        sequence:
          - as: first
            when: {field: target_category, equals: military_industry}
          - as: repeat
            when: {field: target_category, equals: military_industry}
            where:
              - {field: target_name, equals: first.target_name}
              - {field: event_date, after: first.event_date, within_days: 60}
        once_per: repeat    # optional: once per repeat, with the latest first (docs/RULES.md)
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

STAKEHOLDERS: tuple[str, ...] = ("investor", "government", "ngo", "analyst")
DIMENSIONS: tuple[str, ...] = ("escalation", "security", "economic", "diplomatic", "humanitarian", "military")

Stakeholder = Literal["investor", "government", "ngo", "analyst"]
Dimension = Literal["escalation", "security", "economic", "diplomatic", "humanitarian", "military"]

# Comparison operators an analyst may write in a condition, mapped to the engine-neutral name.
OPERATORS: dict[str, str] = {
    "equals": "eq",
    "not_equals": "ne",
    "in": "in",
    "not_in": "not_in",
    "greater_than": "gt",
    "at_least": "gte",
    "less_than": "lt",
    "at_most": "lte",
    "contains": "contains",
    "matches": "matches",
    "exists": "exists",
}

# The largest points a rule may give, weight a profile may set or saturation it may name. Scores
# sum points over every firing of a window and multiply them by weights: 'points: 1e308' passed
# the models and then overflowed to infinity mid-score (an internal error), so every number that is
# summed has a finite bound, far above anything a pack needs (the bundled ones stay under 10).
MAX_POINTS = 1000
MAX_WEIGHT = 1000
MAX_SATURATION = 1_000_000

Scalar = str | int | float | bool
# Ordering bounds are numbers, or ISO dates ('2025-07-01') for date fields; the loader checks
# which one a field takes, with the line and column of the value.
Bound = float | str


class _Strict(BaseModel):
    # allow_inf_nan=False: .inf points or a .nan saturation passed `rules check` and then printed
    # scores of 10.0 or null, outside the promised 0 <= score < 10
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Comparison(_Strict):
    """``{field: X, <operator>: value}``: exactly one operator per comparison."""

    field: str
    equals: Scalar | None = None
    not_equals: Scalar | None = None
    in_: list[Scalar] | None = Field(None, alias="in")
    not_in: list[Scalar] | None = None
    greater_than: Bound | None = None
    at_least: Bound | None = None
    less_than: Bound | None = None
    at_most: Bound | None = None
    contains: str | None = None
    matches: str | None = None
    exists: bool | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _one_operator(self) -> Comparison:
        used = self.operators_used()
        if len(used) != 1:
            names = ", ".join(OPERATORS)
            if not used:
                raise ValueError(f"a comparison needs one operator: {names}")
            raise ValueError(f"a comparison takes one operator, got {', '.join(used)}")
        return self

    def operators_used(self) -> list[str]:
        return [
            name
            for name in OPERATORS
            if getattr(self, "in_" if name == "in" else name) is not None
        ]

    @property
    def operator(self) -> str:
        return self.operators_used()[0]

    @property
    def value(self) -> Any:
        name = self.operator
        return getattr(self, "in_" if name == "in" else name)


class AllOf(_Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(_Strict):
    any: list[Condition] = Field(min_length=1)


class NotOf(_Strict):
    not_: Condition = Field(alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


def _condition_kind(value: Any) -> str | None:
    # Choose the member by the key that is present, so a bad condition yields the errors of the
    # one model the analyst meant instead of one error per union member.
    if isinstance(value, dict):
        if "field" in value:
            return "Comparison"
        for key, tag in (("all", "AllOf"), ("any", "AnyOf"), ("not", "NotOf")):
            if key in value:
                return tag
        return "Comparison"
    if isinstance(value, (Comparison, AllOf, AnyOf, NotOf)):
        return type(value).__name__
    return None


Condition = Annotated[
    Annotated[Comparison, Tag("Comparison")] | Annotated[AllOf, Tag("AllOf")] | Annotated[AnyOf, Tag("AnyOf")] | Annotated[NotOf, Tag("NotOf")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition_type",
        custom_error_message="a condition is a mapping with one of the keys field, all, any or not",
    ),
]

AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()


class ScaledPoints(_Strict):
    """``base + factor * event[per]``, capped: points that grow with fatalities or drones."""

    base: float = Field(0, ge=0, le=MAX_POINTS)
    per: str
    factor: float = Field(gt=0, le=MAX_POINTS)
    cap: float = Field(gt=0, le=MAX_POINTS)
    leg: str | None = Field(None, description="Pattern rules: the leg whose field scales the points (default: the last)")


# Named public methods a rule may cite instead of a seed document, with the sections it may cite.
# A rule on ACLED data encodes a published way of reading it, not one of our documents.
METHODS: dict[str, tuple[str, ...]] = {
    "ACLED Conflict Index": ("Deadliness", "Danger", "Diffusion", "Fragmentation"),
    "HDX Signals": ("ACLED conflict events",),
    "ACLED Codebook": ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots", "Protests"),
}


class SourceRef(_Strict):
    """What a rule encodes: a seed document's section (with a quote), or a named public method's
    section (``{method: "ACLED Conflict Index", section: Deadliness, uses: ...}``) with what the
    rule takes from it."""

    document: str | None = Field(None, min_length=1, description="Seed document id, e.g. '000'")
    method: str | None = Field(None, min_length=1, description="Named public method, e.g. 'ACLED Conflict Index'")
    section: str = Field(min_length=1)
    quote: str | None = None
    uses: str | None = Field(None, description="Method sources: what the rule takes from the method")

    @model_validator(mode="after")
    def _document_or_method(self) -> SourceRef:
        if (self.document is None) == (self.method is None):
            raise ValueError("a source names either a seed 'document' or a public 'method', not both")
        if self.method is not None:
            if self.method not in METHODS:
                raise ValueError(f"unknown method '{self.method}' (known: {', '.join(sorted(METHODS))})")
            if self.section not in METHODS[self.method]:
                raise ValueError(f"'{self.section}' is not a section of {self.method} (one of: {', '.join(METHODS[self.method])})")
            if not self.uses:
                raise ValueError("a method source says what the rule takes from it ('uses')")
        return self

    @property
    def label(self) -> str:
        """'000 Recommendations for Stakeholders, 3' or 'ACLED Conflict Index: Deadliness'."""
        return f"{self.document} {self.section}" if self.document is not None else f"{self.method}: {self.section}"


Relation = Literal["equals", "not_equals", "after", "on_or_after", "before", "on_or_before"]


class Where(_Strict):
    """A relation between this leg's field and an earlier leg's field: ``{field: event_date,
    after: first.event_date, within_days: 60}``."""

    field: str
    equals: str | None = None
    not_equals: str | None = None
    after: str | None = None
    on_or_after: str | None = None
    before: str | None = None
    on_or_before: str | None = None
    within_days: int | None = Field(None, ge=0, le=3650)

    @model_validator(mode="after")
    def _one_relation(self) -> Where:
        used = self.relations_used()
        if len(used) != 1:
            raise ValueError(
                "a where-clause takes exactly one of: equals, not_equals, after, on_or_after, before, on_or_before"
            )
        if self.within_days is not None and used[0] in ("equals", "not_equals"):
            raise ValueError("within_days goes with after, on_or_after, before or on_or_before")
        return self

    def relations_used(self) -> list[str]:
        return [r for r in ("equals", "not_equals", "after", "on_or_after", "before", "on_or_before") if getattr(self, r) is not None]

    @property
    def relation(self) -> str:
        return self.relations_used()[0]

    @property
    def other(self) -> tuple[str, str]:
        """``(leg, field)`` of the right-hand side, from ``leg.field``."""
        text: str = getattr(self, self.relation)
        leg, _, field = text.partition(".")
        return leg, field


class Leg(_Strict):
    """One event of a pattern rule."""

    as_: str = Field(alias="as", pattern=r"^[a-z][a-z0-9_]*$")
    when: Condition
    where: list[Where] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


def _points_kind(value: Any) -> str:
    return "ScaledPoints" if isinstance(value, (dict, ScaledPoints)) else "fixed"


Points = Annotated[
    Annotated[float, Field(ge=0, le=MAX_POINTS), Tag("fixed")] | Annotated[ScaledPoints, Tag("ScaledPoints")],
    Discriminator(_points_kind),
]


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    title: str = Field(min_length=1)
    stakeholders: list[Stakeholder] = Field(min_length=1)
    dimension: Dimension
    when: Condition | None = None
    sequence: list[Leg] | None = Field(None, min_length=2, max_length=16)
    once_per: str | None = Field(
        None,
        min_length=1,
        description=(
            "Pattern rules: the alias of the last leg, to fire once per event of that leg rather than once per "
            "matching tuple; of the tuples that share it, the one whose earlier legs are latest is kept (ties: "
            "highest event id). The last leg must be dated after every earlier leg (docs/RULES.md)"
        ),
    )
    points: Points
    effect: Literal["raises", "lowers"] = Field(
        "raises",
        description=(
            "raises: the rule's points add to its dimension; lowers: evidence that lowers risk, whose "
            "points take off at most the profile's max_relief share of the dimension's raising points"
        ),
    )
    recommendation: str | None = None
    source: SourceRef
    tags: list[str] = Field(default_factory=list)
    enabled: bool = True

    @model_validator(mode="after")
    def _when_or_sequence(self) -> Rule:
        if self.when is not None and self.sequence is not None:
            raise ValueError("a rule has either 'when' (one event) or 'sequence' (a pattern over events), not both")
        if self.when is None and self.sequence is None:
            raise ValueError("a rule needs 'when' (one event) or 'sequence' (a pattern over events)")
        return self

    @property
    def is_pattern(self) -> bool:
        return self.sequence is not None

    @property
    def lowers(self) -> bool:
        return self.effect == "lowers"


AlertFloorClass = Literal["low", "medium", "high", "very high"]


class AlertSettings(_Strict):
    """When a stakeholder's weekly scores raise an alert (``riskengine alerts``, the brief's first
    lines; docs/ALERTS.md). The defaults follow OCHA's HDX Signals: a level not seen in a year,
    above a minimum, not announced again within about six months."""

    floor: AlertFloorClass | float = Field(
        "medium",
        description=(
            "The least a score must reach to alert, as a class (its lower threshold in this profile) or a score "
            "between 0 and 10: a score that rose into 'low', or whose yearly high is still low, is not news"
        ),
    )
    peak_weeks: int = Field(
        52,
        ge=4,
        le=260,
        description="N: a score alerts when it is above each of the N weeks before it ('its highest in N weeks'); 4 to 260",
    )
    cooldown_weeks: int = Field(
        26,
        ge=0,
        le=104,
        description=(
            "K: an alert is not raised again while its condition held in any of the K weeks before (a crossing into "
            "a higher class than those still is); 0 turns the cool-down off; at most 104"
        ),
    )

    @field_validator("floor", mode="before")
    @classmethod
    def _floor_in_range(cls, value: Any) -> Any:
        # One message for both readings (a union reports one error per member). bool is an int
        # to Python: 'floor: yes' must not read as a floor of 1.0.
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if (number and not 0 < value < 10) or not (number or value in typing.get_args(AlertFloorClass)):
            raise ValueError(f"floor {value!r} is neither a class (low, medium, high, very high) nor a score between 0 and 10")
        return value


class Profile(_Strict):
    """How one stakeholder reads the scores."""

    title: str
    audience: str | None = None
    dimension_weights: dict[Dimension, Annotated[float, Field(ge=0, le=MAX_WEIGHT)]]
    regions_of_interest: list[Annotated[str, Field(pattern=r"^[A-Z]{3}$")]] = Field(
        default_factory=list, description="ISO 3166-1 alpha-3 country codes, e.g. UKR"
    )
    thresholds: list[float] = Field(default=[2.0, 4.0, 6.0, 8.0], min_length=4, max_length=4)
    saturation: float | dict[Literal["default"] | Dimension, float] = Field(
        10.0,
        description=(
            "Weighted points at which a dimension reaches 2.93 of 10 (a notable week): one number for every dimension, "
            "or a mapping dimension -> number whose 'default' (10 when left out) covers the others"
        ),
    )
    max_relief: float = Field(
        0.5,
        ge=0,
        le=1,
        description="The largest share of a dimension's raising points that lowering rules may take off (0-1)",
    )
    alerts: AlertSettings = Field(default_factory=AlertSettings, description="When the scores raise an alert (floor, peak_weeks, cooldown_weeks)")

    # Field validators, not one model validator: each problem is reported at its own key, and all
    # of them in one run (a model validator runs only once every field is valid).
    @field_validator("dimension_weights")
    @classmethod
    def _some_weight(cls, value: dict[str, float]) -> dict[str, float]:
        if sum(value.values()) <= 0:
            raise ValueError("dimension_weights must not be all zero")
        return value

    @field_validator("saturation")
    @classmethod
    def _saturation_positive(cls, value: Any) -> Any:
        values = value.values() if isinstance(value, dict) else [value]
        if not all(0 < v <= MAX_SATURATION for v in values):
            raise ValueError(f"saturation must be greater than 0 and at most {MAX_SATURATION}")
        return value

    @field_validator("thresholds")
    @classmethod
    def _thresholds_increase(cls, value: list[float]) -> list[float]:
        if sorted(value) != list(value) or not all(0 < t < 10 for t in value):
            raise ValueError("thresholds must be four increasing numbers between 0 and 10")
        return value

    def saturation_for(self, dimension: str) -> float:
        """The saturation of one dimension (see ``saturation``)."""
        if isinstance(self.saturation, dict):
            return float(self.saturation.get(dimension, self.saturation.get("default", 10.0)))  # type: ignore[call-overload]
        return float(self.saturation)


class RuleFile(_Strict):
    """The top level of a YAML rule file."""

    pack: str | None = Field(None, description="Name of the pack, e.g. 'investor'")
    description: str | None = None
    rules: list[Rule] = Field(default_factory=list)
    profiles: dict[Stakeholder, Profile] = Field(default_factory=dict)


__all__ = [
    "DIMENSIONS",
    "METHODS",
    "OPERATORS",
    "STAKEHOLDERS",
    "AlertSettings",
    "AllOf",
    "AnyOf",
    "Comparison",
    "Condition",
    "Leg",
    "NotOf",
    "Profile",
    "Rule",
    "RuleFile",
    "ScaledPoints",
    "SourceRef",
    "Where",
]
