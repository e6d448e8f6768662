"""The event model and the registry of fields that rules may use.

Identity and vocabulary follow ACLED so analysts recognise it (``event_id``, ``event_type``,
``sub_event_type``, ``actor1``...); the fields beyond ACLED are what the rule packs need
(target category, quantities, distances, diplomatic kind, graded sources).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

EventType = Literal[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]

EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]

# ACLED's sub-event types, grouped under their event type. A sub-event type must belong to the
# event type it is used with (checked below), as in ACLED's codebook.
SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Grenade",
        "Chemical weapon",
    ),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

TargetCategory = Literal[
    "military",
    "military_industry",
    "airfield",
    "airport",
    "port",
    "energy",
    "residential",
    "transport",
    "government",
    "civilian_infrastructure",
    "commercial",
    "logistics",
    "territory",
    "other",
]

DiplomaticKind = Literal[
    "talks",
    "high_level_call",
    "sanctions",
    "ceasefire_proposal",
    "statement",
    "aid",
]

DiplomaticStatus = Literal[
    "scheduled",
    "held",
    "stalled",
    "proposed",
    "threatened",
    "imposed",
    "aligned",
    "agreed",
]

Verification = Literal["confirmed", "claimed", "disputed"]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 country code")]


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "expected a whole number, got a boolean")
    return value


# A count of people or things: `true` is not 1 death, and 400 digits overflowed the float sums
# of scoring (issue #19), so a count is a whole number below a billion.
Count = Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=999_999_999)]


class Source(BaseModel):
    """One report of an event, graded on the Admiralty (NATO) code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="Outlet or document, e.g. 'seed 001' or 'Reuters'")
    url: str | None = None
    date: dt.date | None = None
    reliability: Reliability = Field("F", description="Source reliability A (completely reliable) .. F (cannot be judged)")
    credibility: int = Field(6, ge=1, le=6, description="Information credibility 1 (confirmed) .. 6 (cannot be judged)")
    document: str | None = Field(None, description="Seed document id, e.g. '000', when the source is one of ours")
    title: str | None = Field(None, description="Title of the article or report, when known")
    relays: str | None = Field(
        None,
        description=(
            "Claimant whose account the source passes on, named as FigureClaim.claimed_by names sides (e.g. 'Russia'), "
            "when it reports a claim rather than what it saw or checked itself; sources relaying one claimant count as "
            "one in corroboration"
        ),
    )

    @property
    def grade(self) -> str:
        return f"{self.reliability}{self.credibility}"


class Span(BaseModel):
    """Where a value of an extracted event was read: a whole sentence of one article."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str = Field(min_length=1, description="Event field the sentence gave, e.g. 'fatalities'")
    article: str = Field(min_length=1, description="The article file as given to extract")
    start: int = Field(ge=0, description="Character offset of the sentence in the file as read")
    end: int = Field(ge=0)
    text: str = Field(description="The sentence")


class FigureClaim(BaseModel):
    """A figure as one source gave it; reports of one event often disagree (24 vs 35 injured)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    value: float | int
    source: str = Field(description="Name of the source that gave this figure")
    claimed_by: str | None = Field(None, description="Side that claims the figure, when it is a claim")


class Derivation(BaseModel):
    """How a field got a value the source did not give: which field, what value, by which method
    and from what evidence. Rules never see this; ``explain`` and the briefs show it, so a reader
    can tell an ACLED figure from one we read into its notes or computed from coordinates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str = Field(min_length=1, description="Event field (or 'tags' for a derived tag)")
    value: str | int | float | bool = Field(description="The value derived (a tag for 'tags')")
    method: str = Field(min_length=1, description="How, e.g. 'notes pattern injured', 'actor side', 'boundary distance'")
    evidence: str = Field(description="What from, e.g. the words of the notes, the actor name, 'latitude/longitude vs ...'")

    @property
    def used(self) -> bool:
        """False for a value read but not used (its method begins with ``NOT_USED``): a figure
        the notes give as a total over a period. It is recorded so ``explain`` and the briefs can
        say why a figure in the notes is not the event's, and it fills no field. Saying so in the
        method keeps the schema (a value is required, no field was added) readable by older code."""
        return not self.method.startswith(NOT_USED)


# The start of a Derivation's method when the value was read but not used (Derivation.used).
NOT_USED = "not used: "


class Event(BaseModel):
    """One conflict event, after ACLED, with what the rules need beyond it."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    # ACLED identity and vocabulary
    event_id: str = Field(min_length=1, max_length=200, description="Stable id, e.g. UKR148710")
    event_date: dt.date
    event_type: EventType
    sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    admin1: str | None = None
    country: ISO3
    location: str | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    geo_precision: int | None = Field(None, ge=1, le=3)
    fatalities: Count = 0
    notes: str | None = None
    civilian_targeting: bool = False

    # Beyond ACLED: who and what
    initiator_side: str | None = Field(None, description="Side that acted, e.g. 'Russia', 'Ukraine'")
    target_side: str | None = Field(None, description="Side acted against")
    target_category: TargetCategory | None = None
    target_name: str | None = Field(None, description="Named target, e.g. 'Kupol Electromechanical Plant'")

    # Beyond ACLED: how much
    injured: Count | None = None
    hospitalised: Count | None = None
    drones_launched: Count | None = None
    drones_intercepted: Count | None = None
    missiles_launched: Count | None = None
    missiles_intercepted: Count | None = None
    aircraft_destroyed: Count | None = None
    troops: Count | None = None
    distance_from_border_km: float | None = Field(None, ge=0)
    distance_from_front_km: float | None = Field(None, ge=0)
    distance_to_nato_km: float | None = Field(None, ge=0, description="Distance to the nearest NATO member's border")

    # Beyond ACLED: diplomacy
    diplomatic_kind: DiplomaticKind | None = None
    diplomatic_status: DiplomaticStatus | None = None
    scheduled_date: dt.date | None = None

    # --- GDELT measures (issue #17 part 2; set by riskengine.ingest.gdelt, None for other sources) ---
    goldstein: float | None = Field(None, ge=-10, le=10, description="GDELT Goldstein scale of the CAMEO code, -10 (most destabilising) .. +10")
    avg_tone: float | None = Field(None, ge=-100, le=100, description="GDELT average tone of the articles, -100 .. +100 (mostly -10 .. +10)")
    num_mentions: int | None = Field(None, ge=0, description="GDELT mentions of the event in its first 15 minutes (summed over collapsed duplicates)")
    num_articles: int | None = Field(None, ge=0, description="GDELT articles mentioning the event in its first 15 minutes (summed over collapsed duplicates)")
    cameo_code: str | None = Field(None, pattern=r"^[0-9]{2,4}$", description="CAMEO event code as GDELT gives it, leading zeros kept, e.g. '0871', '1952'")
    # --- end GDELT measures ---
    # --- history context (riskengine.ingest.history; set by the importer, look-back only) -------
    country_fatalities_30d: int | None = Field(None, ge=0, description="Fatalities in the country in the 30 days ending on the event's day")
    country_fatalities_30d_peak_365d: int | None = Field(None, ge=0, description="Highest 30-day fatality total in the 365 days before")
    country_fatalities_30d_highest_in_days: int | None = Field(None, ge=0, le=1095, description="Days back to a higher 30-day total (history held, max 1095)")
    country_admin1_hit_30d: int | None = Field(None, ge=0, description="Distinct admin1 regions with political violence in the 30 days")
    country_armed_groups_30d: int | None = Field(None, ge=0, description="Distinct armed actors in political violence in the 30 days")
    country_record_start: dt.date | None = Field(None, description="The first day of the country's events the history context was computed from")
    country_events_30d: int | None = Field(None, ge=0, description="Events of the country in the 30 days, all types: how much record the 30-day counts rest on")
    # --- end of history context -------------------------------------------------------------
    export_lacks: list[str] | None = Field(
        None,
        description=(
            "What the export the event came from has none of: ACLED columns (actor1, actor2, notes), or event types when it is an "
            "extract of one or two (Battles, ...); what it cannot tell, not a blank cell (not a rule field)"
        ),
    )

    # Provenance
    sources: list[Source] = Field(min_length=1)
    verification: Verification = "claimed"
    figures: list[FigureClaim] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    derived: list[Derivation] = Field(default_factory=list, description="Fields filled by derivation, and from what (not a rule field)")
    spans: list[Span] | None = Field(None, description="Extracted events: the sentences each value was read from (not a rule field)")

    @field_validator("tags")
    @classmethod
    def _tags_sorted_unique(cls, tags: list[str]) -> list[str]:
        return sorted(set(tags))

    @model_validator(mode="after")
    def _check_consistency(self) -> Event:
        if self.sub_event_type is not None:
            allowed = SUB_EVENT_TYPES[self.event_type]
            if self.sub_event_type not in allowed:
                raise ValueError(
                    f"sub_event_type '{self.sub_event_type}' does not belong to event_type "
                    f"'{self.event_type}' (expected one of: {', '.join(allowed)})"
                )
        # Spelled out rather than looped over: this runs for every event of a feed.
        if self.drones_intercepted is not None and self.drones_launched is not None and self.drones_intercepted > self.drones_launched:
            raise ValueError(f"drones_intercepted ({self.drones_intercepted}) exceeds drones_launched ({self.drones_launched})")
        if (
            self.missiles_intercepted is not None
            and self.missiles_launched is not None
            and self.missiles_intercepted > self.missiles_launched
        ):
            raise ValueError(f"missiles_intercepted ({self.missiles_intercepted}) exceeds missiles_launched ({self.missiles_launched})")
        return self

    @property
    def region(self) -> str:
        """The region a score is kept under: the country code."""
        return self.country

    def facts(self) -> dict[str, Any]:
        """The values rules see: stored fields plus derived ones (see FIELDS)."""
        return {name: spec.value_of(self) for name, spec in FIELDS.items()}


# ---------------------------------------------------------------------------------------------
# The registry of fields rules may use. One entry per name: its kind decides which operators a
# rule may apply to it, and how the value reaches the engine (dates as ordinal days).


class FieldKind(str, Enum):  # noqa: UP042 - StrEnum would change what str() and f-strings print for a kind
    STRING = "string"
    NUMBER = "number"
    DATE = "date"
    BOOLEAN = "boolean"
    STRING_LIST = "string_list"


_GRADE_ORDER = "ABCDEF"


def _best_reliability(event: Event) -> str:
    return min((s.reliability for s in event.sources), key=_GRADE_ORDER.index)


def _best_credibility(event: Event) -> int:
    return min(s.credibility for s in event.sources)


def _independent_sources(event: Event) -> int:
    return len({s.name.casefold() for s in event.sources})


def _interception_rate(event: Event) -> float | None:
    # Unknown, not zero, when no interception figure was reported: a salvo without one must not
    # read as "nothing was shot down".
    if event.drones_intercepted is None and event.missiles_intercepted is None:
        return None
    launched = (event.drones_launched or 0) + (event.missiles_launched or 0)
    intercepted = (event.drones_intercepted or 0) + (event.missiles_intercepted or 0)
    if launched == 0:
        return None
    return round(intercepted / launched, 4)


def _launched_total(event: Event) -> int | None:
    if event.drones_launched is None and event.missiles_launched is None:
        return None
    return (event.drones_launched or 0) + (event.missiles_launched or 0)


class FieldSpec:
    """A field rules may name: where its value comes from and what kind it is."""

    __slots__ = ("choices", "derive", "description", "kind", "name")

    def __init__(
        self,
        name: str,
        kind: FieldKind,
        description: str,
        derive: Any = None,
        choices: tuple[str, ...] | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.description = description
        self.derive = derive
        self.choices = choices

    def value_of(self, event: Event) -> Any:
        if self.derive is not None:
            return self.derive(event)
        return getattr(event, self.name)


def _choices(literal: Any) -> tuple[str, ...]:
    return tuple(literal.__args__)


_ALL_SUB_EVENT_TYPES = tuple(s for subs in SUB_EVENT_TYPES.values() for s in subs)

FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in [
        FieldSpec("event_id", FieldKind.STRING, "Stable event id"),
        FieldSpec("event_date", FieldKind.DATE, "Day of the event"),
        FieldSpec("event_type", FieldKind.STRING, "ACLED event type", choices=EVENT_TYPES),
        FieldSpec("sub_event_type", FieldKind.STRING, "ACLED sub-event type", choices=_ALL_SUB_EVENT_TYPES),
        FieldSpec("actor1", FieldKind.STRING, "Main actor"),
        FieldSpec("actor2", FieldKind.STRING, "Actor acted against"),
        FieldSpec("admin1", FieldKind.STRING, "First administrative division"),
        FieldSpec("country", FieldKind.STRING, "ISO 3166-1 alpha-3 country code"),
        FieldSpec("location", FieldKind.STRING, "Named place"),
        FieldSpec("latitude", FieldKind.NUMBER, "Latitude"),
        FieldSpec("longitude", FieldKind.NUMBER, "Longitude"),
        FieldSpec("geo_precision", FieldKind.NUMBER, "1 exact place .. 3 wider region"),
        FieldSpec("fatalities", FieldKind.NUMBER, "Deaths, conservative"),
        FieldSpec("notes", FieldKind.STRING, "Free-text notes"),
        FieldSpec("civilian_targeting", FieldKind.BOOLEAN, "Civilians were the target"),
        FieldSpec("initiator_side", FieldKind.STRING, "Side that acted"),
        FieldSpec("target_side", FieldKind.STRING, "Side acted against"),
        FieldSpec("target_category", FieldKind.STRING, "Kind of target", choices=_choices(TargetCategory)),
        FieldSpec("target_name", FieldKind.STRING, "Named target"),
        FieldSpec("injured", FieldKind.NUMBER, "People injured"),
        FieldSpec("hospitalised", FieldKind.NUMBER, "People hospitalised"),
        FieldSpec("drones_launched", FieldKind.NUMBER, "Drones launched (decoys included)"),
        FieldSpec("drones_intercepted", FieldKind.NUMBER, "Drones intercepted"),
        FieldSpec("missiles_launched", FieldKind.NUMBER, "Missiles launched"),
        FieldSpec("missiles_intercepted", FieldKind.NUMBER, "Missiles intercepted"),
        FieldSpec("aircraft_destroyed", FieldKind.NUMBER, "Aircraft destroyed"),
        FieldSpec("troops", FieldKind.NUMBER, "Troops involved or deployed"),
        FieldSpec("distance_from_border_km", FieldKind.NUMBER, "Distance from the border of the attacking side, km"),
        FieldSpec("distance_from_front_km", FieldKind.NUMBER, "Distance from the front line, km"),
        FieldSpec("distance_to_nato_km", FieldKind.NUMBER, "Distance to the nearest NATO member's border, km"),
        FieldSpec("diplomatic_kind", FieldKind.STRING, "Kind of diplomatic event", choices=_choices(DiplomaticKind)),
        FieldSpec("diplomatic_status", FieldKind.STRING, "State of the diplomatic event", choices=_choices(DiplomaticStatus)),
        FieldSpec("scheduled_date", FieldKind.DATE, "Date a diplomatic event is scheduled for"),
        # history context (riskengine.ingest.history)
        FieldSpec("country_fatalities_30d", FieldKind.NUMBER, "Fatalities in the country in the 30 days ending on the event's day (look-back only)"),
        FieldSpec("country_fatalities_30d_peak_365d", FieldKind.NUMBER, "Highest 30-day fatality total of the country in the 365 days before the event's day"),
        FieldSpec("country_fatalities_30d_highest_in_days", FieldKind.NUMBER, "Days back to a higher 30-day fatality total (the history held when none; max 1095)"),
        FieldSpec("country_admin1_hit_30d", FieldKind.NUMBER, "Distinct admin1 regions with political violence in the country in the 30 days (diffusion)"),
        FieldSpec("country_armed_groups_30d", FieldKind.NUMBER, "Distinct armed actors in political violence in the country in the 30 days (fragmentation)"),
        FieldSpec("country_events_30d", FieldKind.NUMBER, "Events of the country in the 30 days ending on the event's day, all types (how much record the 30-day counts rest on)"),
        FieldSpec("country_record_start", FieldKind.DATE, "First day of the country's events the history context was computed from (where its record begins)"),
        FieldSpec("verification", FieldKind.STRING, "confirmed, claimed or disputed", choices=_choices(Verification)),
        FieldSpec("tags", FieldKind.STRING_LIST, "Free tags"),
        # --- GDELT measures (issue #17 part 2) ---
        FieldSpec("goldstein", FieldKind.NUMBER, "GDELT Goldstein scale of the event's CAMEO code, -10 .. +10"),
        FieldSpec("avg_tone", FieldKind.NUMBER, "GDELT average tone of the reporting articles, -100 .. +100"),
        FieldSpec("num_mentions", FieldKind.NUMBER, "GDELT mentions in the first 15 minutes (media attention)"),
        FieldSpec("num_articles", FieldKind.NUMBER, "GDELT articles in the first 15 minutes (media attention)"),
        FieldSpec("cameo_code", FieldKind.STRING, "CAMEO event code, e.g. '190', '1952'"),
        # --- end GDELT measures ---
        FieldSpec("source_count", FieldKind.NUMBER, "Independent sources reporting the event", derive=_independent_sources),
        FieldSpec("best_reliability", FieldKind.STRING, "Best source reliability grade (A..F)", derive=_best_reliability, choices=_choices(Reliability)),
        FieldSpec("best_credibility", FieldKind.NUMBER, "Best information credibility grade (1..6)", derive=_best_credibility),
        FieldSpec("launched_total", FieldKind.NUMBER, "Drones plus missiles launched", derive=_launched_total),
        FieldSpec("interception_rate", FieldKind.NUMBER, "Share of launched drones and missiles intercepted, 0..1", derive=_interception_rate),
    ]
}

__all__ = [
    "EVENT_TYPES",
    "FIELDS",
    "SUB_EVENT_TYPES",
    "Derivation",
    "Event",
    "FieldKind",
    "FieldSpec",
    "FigureClaim",
    "Source",
]
