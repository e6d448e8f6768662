"""``enrich_event``: fill the fields the rules test that a source like ACLED leaves empty.

Never overwrites a value the event already has (the source's word wins), with one declared
exception: an admin1 spelling is replaced by the gazetteer's canonical name (ACLED's
"Zaporizhia" is our "Zaporizhzhia"), so regions score under one name. Every value filled, and that
respelling, is recorded in ``Event.derived`` with the method and the evidence.
"""

from __future__ import annotations

from typing import Any

from riskengine.core.events import Derivation, Event
from riskengine.ingest.derive.actors import ActorRules, ActorSide, load_actor_rules
from riskengine.ingest.derive.diplomacy import DiplomacyVocabulary, load_diplomacy_vocabulary
from riskengine.ingest.derive.geo import Boundaries, default_boundaries
from riskengine.ingest.derive.notes import NotesVocabulary, load_notes_vocabulary
from riskengine.ingest.extract.gazetteer import Gazetteer, default_gazetteer

_INTERCEPTION = "Disrupted weapons use"
PARTS = frozenset(["notes", "sides", "admin1", "distances"])
# Events with nothing acted against: a protest's "garment factory" is its subject, and actor2 of
# an agreement or a change of group is a partner, not a target (checked on ACLED notes by reading).
_NO_TARGET_TYPES = frozenset(["Protests"])
_NO_TARGET_SUB_TYPES = frozenset(["Agreement", "Change to group/activity", "Headquarters or base established", "Non-violent transfer of territory"])
# Tags of what an event did (a fire, a blackout, damage): in a protest's notes they are its
# grievance ("protested against power cuts"), not its effect.
_NO_EFFECT_TYPES = frozenset(["Protests"])
_EFFECT_TAGS = frozenset(["fires", "power-outage", "structural-damage"])


class _Filler:
    """Collects the updates of one event, refusing any field the event already has."""

    def __init__(self, event: Event) -> None:
        self.event = event
        self.updates: dict[str, Any] = {}
        self.tags = set(event.tags)
        self.derived = list(event.derived)

    def has(self, field: str) -> bool:
        return field in self.updates or getattr(self.event, field) is not None

    def value(self, field: str) -> Any:
        return self.updates[field] if field in self.updates else getattr(self.event, field)

    def give(self, field: str, value: Any, method: str, evidence: str) -> bool:
        if field == "tags":
            if value in self.tags:
                return False
            self.tags.add(value)
        elif self.has(field):
            return False
        else:
            self.updates[field] = value
        self.derived.append(Derivation(field=field, value=value, method=method, evidence=evidence))
        return True

    def note(self, field: str, value: Any, method: str, evidence: str) -> None:
        """Record a value read but not used (``Derivation.used`` is false), unless the field has a
        value: a total the notes give beside a figure the source gave needs no explaining."""
        if field != "tags" and not self.has(field):
            self.derived.append(Derivation(field=field, value=value, method=method, evidence=evidence))

    def drop(self, field: str) -> None:
        self.updates.pop(field, None)
        self.derived = [d for d in self.derived if d.field != field or d in self.event.derived]

    def result(self) -> Event:
        if not self.updates and len(self.derived) == len(self.event.derived):
            return self.event
        update = dict(self.updates)
        update["tags"] = sorted(self.tags)
        update["derived"] = self.derived
        # model_copy skips validation: every value here is typed by its deriver, and the one
        # cross-field check (interceptions <= launches) is kept by _keep_consistent.
        return self.event.model_copy(update=update)


def enrich_event(
    event: Event,
    *,
    inter1: str | int | None = None,
    inter2: str | int | None = None,
    gazetteer: Gazetteer | None = None,
    vocabulary: NotesVocabulary | None = None,
    actors: ActorRules | None = None,
    boundaries: Boundaries | None = None,
    parts: frozenset[str] | set[str] = PARTS,
    notes_fields: frozenset[str] | set[str] | None = None,
    diplomacy: DiplomacyVocabulary | None = None,
) -> Event:
    """A copy of ``event`` with derived fields filled where it has none, each one recorded in
    ``derived``. ``inter1``/``inter2`` are ACLED's actor type codes (7 = civilians) when the
    caller has them; without them the ``actor2_type:`` tag the importer writes is read.
    ``parts`` chooses what is derived (notes, sides, admin1, distances) and ``notes_fields``
    which fields the notes may fill (all when None): article extraction reads its own figures
    clause by clause and takes only the tags from here."""
    unknown = set(parts) - PARTS
    if unknown:
        raise ValueError(f"unknown derivation part(s): {', '.join(sorted(unknown))} (expected {', '.join(sorted(PARTS))})")
    gaz = gazetteer or default_gazetteer()
    vocab = vocabulary or load_notes_vocabulary()
    rules = actors or load_actor_rules()
    fill = _Filler(event)
    no_target = event.event_type in _NO_TARGET_TYPES or event.sub_event_type in _NO_TARGET_SUB_TYPES
    if event.notes and "notes" in parts:
        for finding in vocab.read(event.notes):
            if not finding.used:
                fill.note(finding.field, finding.value, finding.method, f"notes: {finding.evidence}")
                continue
            if no_target and finding.field in ("target_category", "target_name"):
                continue
            if event.event_type in _NO_EFFECT_TYPES and finding.field == "tags" and finding.value in _EFFECT_TAGS:
                continue
            if notes_fields is not None and finding.field not in notes_fields:
                continue
            fill.give(finding.field, finding.value, finding.method, f"notes: {finding.evidence}")
        _diplomacy(fill, diplomacy or load_diplomacy_vocabulary(), notes_fields)
    if "sides" in parts:
        _sides(fill, rules, inter2, no_target, gaz)
    if "admin1" in parts:
        _admin1(fill, gaz)
    if "distances" in parts:
        _distances(fill, gaz, rules, boundaries)
    _keep_consistent(fill)
    return fill.result()


def _diplomacy(fill: _Filler, vocabulary: DiplomacyVocabulary, notes_fields: frozenset[str] | set[str] | None) -> None:
    # Kind and status come together from one phrase, or not at all: a status read beside a kind
    # the source gave could describe another event of the same note.
    event = fill.event
    if not event.notes or fill.has("diplomatic_kind") or fill.has("diplomatic_status"):
        return
    if notes_fields is not None and not {"diplomatic_kind", "diplomatic_status"} <= set(notes_fields):
        return
    if not vocabulary.applies(event.event_type, event.sub_event_type):
        return
    for finding in vocabulary.read(event.notes, event.sub_event_type):
        fill.give(finding.field, finding.value, finding.method, f"notes: {finding.evidence}")


def _sides(fill: _Filler, rules: ActorRules, inter2: str | int | None, no_target: bool, gaz: Gazetteer) -> None:
    event = fill.event
    first, second = rules.side_of(event.actor1), rules.side_of(event.actor2)
    interception = event.sub_event_type == _INTERCEPTION
    # ACLED codes the side that stopped the weapons as actor1 of an interception; our
    # initiator_side is the side that launched them, as for the strike itself.
    initiator, target = (second, first) if interception else (first, second)
    initiator_actor, target_actor = (event.actor2, event.actor1) if interception else (event.actor1, event.actor2)
    if initiator is not None and not initiator.civilians:
        fill.give("initiator_side", initiator.side, f"actor side (actors.yaml sides[{initiator.rule}])", f"{'actor2' if interception else 'actor1'}: {initiator_actor}")
    # Civilians are a side's people only in a war between sides: Kenyan civilians attacked by
    # rioters are no "target side", Ukrainian civilians attacked by Russia's forces are.
    acting = fill.value("initiator_side")
    # A riot's second actor of the country's own forces is the police or army that met it, not a
    # side it attacked (a real Kenya 2017 export: protesters shot by police read "target side
    # Kenya (from the side of the second actor: the police forces of Kenya)").
    own_forces = event.event_type == "Riots" and target is not None and not target.civilians and gaz.iso3_of_side(target.side) == event.country
    if target is not None and not no_target and not own_forces and (not target.civilians or (acting is not None and target.side != acting)):
        fill.give("target_side", target.side, f"actor side (actors.yaml sides[{target.rule}])", f"{'actor1' if interception else 'actor2'}: {target_actor}")
    if not event.civilian_targeting:
        code = str(inter2).strip().casefold() if inter2 is not None else None
        if code is not None and code in rules.civilian_inter_codes:
            _civilians(fill, f"inter2: {inter2}")
        elif code is None and "actor2_type:civilians" in event.tags:
            _civilians(fill, "tag actor2_type:civilians (ACLED inter2 7)")
        elif isinstance(second, ActorSide) and second.civilians and not interception:
            _civilians(fill, f"actor2: {event.actor2}")


def _civilians(fill: _Filler, evidence: str) -> None:
    # civilian_targeting defaults to False, so "not given" and "given as false" look alike; ACLED
    # sets it exactly when civilians are the actor acted on, which is what this reads.
    fill.updates["civilian_targeting"] = True
    fill.derived.append(Derivation(field="civilian_targeting", value=True, method="actor type civilians", evidence=evidence))


def _admin1(fill: _Filler, gaz: Gazetteer) -> None:
    event = fill.event
    if not event.admin1:
        return
    place = gaz.region(event.admin1, event.country)
    if place is None or place.country != event.country or not place.admin1 or place.admin1 == event.admin1:
        return
    fill.updates["admin1"] = place.admin1
    fill.derived.append(Derivation(field="admin1", value=place.admin1, method="gazetteer alias (gazetteer.yaml admin1)", evidence=f"admin1: {event.admin1}"))


def _distances(fill: _Filler, gaz: Gazetteer, rules: ActorRules, boundaries: Boundaries | None) -> None:
    event = fill.event
    if event.latitude is None or event.longitude is None:
        return
    lat, lon = event.latitude, event.longitude
    where = f"latitude/longitude {lat:g}, {lon:g}"
    wanted_nato = not fill.has("distance_to_nato_km")
    side = fill.value("initiator_side")
    side_iso = gaz.iso3_of_side(side) if side else None
    wanted_border = not fill.has("distance_from_border_km") and side_iso is not None and side_iso != event.country
    if not (wanted_nato or wanted_border):
        return
    bounds = boundaries or default_boundaries()
    if wanted_nato:
        members = rules.nato_on(event.event_date)
        if event.country in members:
            fill.give("distance_to_nato_km", 0.0, "country is a NATO member", f"country: {event.country} (actors.yaml nato_members)")
        else:
            km = bounds.distance_km(members, lat, lon, north_of=rules.nato_north_of)
            if km is not None:
                fill.give("distance_to_nato_km", round(km, 1), "boundary distance to NATO members on the event date", f"{where} vs {bounds.source}")
    # "Behind the border" is depth into a neighbour's territory (seed 000: drones launched from
    # Ukraine 1,000 km into Russia). An expeditionary force's strike (the United States' in
    # Somalia) has no border of its own to be measured from: the launch point is unknown, and its
    # distance from home would read as the deepest strike of any war.
    if wanted_border and side_iso is not None and not bounds.neighbours(side_iso, event.country):
        wanted_border = False
    if wanted_border and side_iso is not None:
        km = bounds.distance_km([side_iso], lat, lon)
        if km is not None:
            fill.give("distance_from_border_km", round(km, 1), f"boundary distance to {side_iso}, the initiator side's territory", f"{where} vs {bounds.source}")


def _keep_consistent(fill: _Filler) -> None:
    # The event refuses more interceptions than launches; when a derived figure would make it so,
    # the derived one goes (the source's figure, or the phrase read first, stays).
    for weapon in ("drones", "missiles"):
        launched, intercepted = fill.value(f"{weapon}_launched"), fill.value(f"{weapon}_intercepted")
        if launched is None or intercepted is None or intercepted <= launched:
            continue
        fill.drop(f"{weapon}_launched" if f"{weapon}_launched" in fill.updates else f"{weapon}_intercepted")
