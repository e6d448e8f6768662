"""The derivation layer (riskengine/ingest/derive): notes -> fields as table-driven cases,
actors -> sides, distances on real boundaries for known places, provenance on every value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from riskengine.core.errors import InputError
from riskengine.core.events import Event
from riskengine.ingest.derive import enrich_event
from riskengine.ingest.derive.actors import ActorRules, load_actor_rules
from riskengine.ingest.derive.geo import default_boundaries
from riskengine.ingest.derive.notes import NotesVocabulary, load_notes_vocabulary

CASES = Path(__file__).parent / "derive"
NOTES_CASES = yaml.safe_load((CASES / "notes_cases.yaml").read_text(encoding="utf-8"))
ACTOR_CASES = yaml.safe_load((CASES / "actor_cases.yaml").read_text(encoding="utf-8"))


def make_event(**values: object) -> Event:
    base: dict[str, object] = {
        "event_id": "TST1",
        "event_date": dt.date(2024, 6, 1),
        "event_type": "Explosions/Remote violence",
        "country": "UKR",
        "sources": [{"name": "test"}],
    }
    base.update(values)
    return Event.model_validate(base)


@pytest.mark.parametrize("case", NOTES_CASES, ids=[c["notes"][:60] for c in NOTES_CASES])
def test_notes_cases(case: dict) -> None:
    event = enrich_event(make_event(notes=case["notes"], event_type=case.get("event_type", "Explosions/Remote violence")))
    derived = {d.field for d in event.derived}
    for field, expected in (case.get("expect") or {}).items():
        if field == "tags":
            assert set(expected) <= set(event.tags), (expected, event.tags)
        else:
            assert getattr(event, field) == expected, (field, getattr(event, field), event.derived)
            assert field in derived
    assert not set(case.get("absent_tags") or []) & set(event.tags), event.tags
    for field in case.get("absent") or []:
        if field == "tags":
            assert not event.tags, event.tags
        else:
            assert getattr(event, field) is None, (field, getattr(event, field))


@pytest.mark.parametrize(("actor", "side"), list(ACTOR_CASES.items()))
def test_actor_sides(actor: str, side: str | None) -> None:
    found = load_actor_rules().side_of(actor)
    assert (found.side if found else None) == side


def test_sides_and_civilians_from_actors_and_inter_codes() -> None:
    event = enrich_event(make_event(actor1="Military Forces of Russia (2000-) Air Force", actor2="Civilians (Ukraine)"), inter2="7")
    assert (event.initiator_side, event.target_side, event.civilian_targeting) == ("Russia", "Ukraine", True)
    # Civilians of the acting side's own country are not a target side.
    own = enrich_event(make_event(country="KEN", actor1="Rioters (Kenya)", actor2="Civilians (Kenya)"), inter2=7)
    assert own.target_side is None and own.civilian_targeting is True
    # An interception's actor1 stopped the weapons: the launching side is the initiator.
    interception = enrich_event(
        make_event(event_type="Strategic developments", sub_event_type="Disrupted weapons use", country="RUS",
                   actor1="Military Forces of Russia (2000-)", actor2="Military Forces of Ukraine (2019-) Air Force")
    )  # fmt: skip
    assert (interception.initiator_side, interception.target_side) == ("Ukraine", "Russia")


def test_never_overwrites_a_source_value() -> None:
    event = make_event(notes="On 9 July 2024, shelling killed 2 civilians and injured 5.", injured=7, initiator_side="Belarus",
                       actor1="Military Forces of Russia (2000-)", target_category="military")  # fmt: skip
    enriched = enrich_event(event)
    assert (enriched.injured, enriched.initiator_side, enriched.target_category) == (7, "Belarus", "military")
    assert not {"injured", "initiator_side", "target_category"} & {d.field for d in enriched.derived}


def test_provenance_is_recorded_and_survives_a_round_trip() -> None:
    event = enrich_event(make_event(notes="On 1 May 2024, Russian forces hit an electrical substation, injuring 3 people.",
                                    actor1="Military Forces of Russia (2000-)", latitude=49.9935, longitude=36.2304, admin1="Zaporizhia"))  # fmt: skip
    by_field = {d.field: d for d in event.derived}
    assert by_field["target_category"].value == "energy" and "substation" in by_field["target_category"].evidence
    assert by_field["injured"].evidence.startswith("notes: ") and "injuring 3" in by_field["injured"].evidence
    assert by_field["initiator_side"].evidence == "actor1: Military Forces of Russia (2000-)"
    assert "Natural Earth" in by_field["distance_to_nato_km"].evidence and "49.9935" in by_field["distance_to_nato_km"].evidence
    assert event.admin1 == "Zaporizhzhia" and by_field["admin1"].evidence == "admin1: Zaporizhia"
    assert Event.model_validate_json(event.model_dump_json(exclude_none=True)) == event


def test_an_event_without_anything_to_derive_is_returned_unchanged() -> None:
    event = make_event(country="KEN", notes="Protesters marched peacefully.")
    assert enrich_event(event) is event


def test_inconsistent_figures_are_not_both_kept() -> None:
    # 17 shot down nationwide, 3 launched at this place: the event must stay valid.
    event = enrich_event(make_event(notes="Russian forces launched 3 Shahed drones at Kupiansk. Air defence shot down 17 Shahed drones overnight."))
    assert event.drones_intercepted == 17 and event.drones_launched is None
    Event.model_validate(event.model_dump())


# Known distances (km) to a neighbour's territory, with the tolerance Natural Earth 1:10m allows:
# its border lines are generalised by 1-3 km where they follow rivers (Danube, Prut).
PLACES = [
    ("Izmail to Romania across the Danube", 45.3506, 28.8375, "ROU", 1.5, 2.5),
    ("Reni to Romania", 45.4566, 28.2930, "ROU", 0.5, 2.5),
    ("Kilis, Turkey to Syria", 36.7184, 37.1212, "SYR", 8.0, 3.0),
    ("Azaz, Syria to Turkey", 36.5866, 37.0463, "TUR", 6.0, 3.0),
    ("Kharkiv to Russia", 49.9935, 36.2304, "RUS", 30.0, 5.0),
    ("Lviv to Poland", 49.8397, 24.0297, "POL", 60.0, 5.0),
    ("Oslo, inside Norway", 59.9139, 10.7522, "NOR", 0.0, 0.0),
]


@pytest.mark.parametrize(("name", "lat", "lon", "code", "km", "tolerance"), PLACES, ids=[p[0] for p in PLACES])
def test_distances_to_real_boundaries(name: str, lat: float, lon: float, code: str, km: float, tolerance: float) -> None:
    assert default_boundaries().distance_km([code], lat, lon) == pytest.approx(km, abs=tolerance)


def test_distance_fields_follow_the_attacker_and_nato_membership_on_the_day() -> None:
    # A Syrian town near Turkey is near NATO; Kharkiv struck by Russia is ~30 km from Russia.
    azaz = enrich_event(make_event(country="SYR", latitude=36.5866, longitude=37.0463))
    assert azaz.distance_to_nato_km == pytest.approx(6.0, abs=3.0)
    kharkiv = enrich_event(make_event(actor1="Military Forces of Russia (2000-)", latitude=49.9935, longitude=36.2304))
    assert kharkiv.distance_from_border_km == pytest.approx(30.0, abs=5.0)
    assert enrich_event(make_event(country="ROU", latitude=45.2, longitude=28.8)).distance_to_nato_km == 0.0
    # Vyborg, Russia: next to Finland, which joined NATO on 4 April 2023.
    before = enrich_event(make_event(country="RUS", event_date=dt.date(2022, 6, 1), latitude=60.7092, longitude=28.7442))
    after = enrich_event(make_event(country="RUS", event_date=dt.date(2024, 6, 1), latitude=60.7092, longitude=28.7442))
    assert after.distance_to_nato_km < 50 < before.distance_to_nato_km


def test_vocabulary_files_are_validated_with_every_problem() -> None:
    bad = {
        "vocabularies": {"drone": ["drone"], "empty": []},
        "figures": {"injured": [{"pattern": "{nope} {n}"}], "speed": [{"pattern": "{n}"}], "drones_launched": [{"pattern": "no number"}]},
        "target_categories": {"spaceport": ["spaceport"]},
        "tags": {"Bad Tag": ["x"]},
        "targets_only_when_attacked": "checkpoint",
    }
    with pytest.raises(InputError) as info:
        NotesVocabulary(bad, Path("notes.yaml"))
    text = str(info.value) + " ".join(i.message for i in info.value.issues)
    for needle in ("empty", "{nope}", "speed", "{n}", "spaceport", "Bad Tag", "targets_only_when_attacked"):
        assert needle in text or any(needle in (i.location.yaml_path or "") for i in info.value.issues), needle
    with pytest.raises(InputError):
        ActorRules({"sides": [{"pattern": "(", "side": "X"}], "nato_members": {"POL": "soon"}}, Path("actors.yaml"))
    assert load_notes_vocabulary().figures and load_actor_rules().nato


def test_article_extraction_shares_tags_sides_and_distances() -> None:
    from riskengine.ingest.extract.articles import Extractor

    [event] = Extractor().extract_text("---\ndate: 2024-05-02\n---\nRussian drones struck a substation in Kharkiv, causing a power outage.\n", "a.md")
    event = event.event
    assert "power-outage" in event.tags and event.distance_from_border_km == pytest.approx(30.0, abs=5.0)
    assert {"tags", "distance_to_nato_km", "distance_from_border_km"} <= {d.field for d in event.derived}


DIPLOMACY_CASES = yaml.safe_load((CASES / "diplomacy_cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", DIPLOMACY_CASES, ids=[f"{c['sub']}: {c['notes'][14:70]}" for c in DIPLOMACY_CASES])
def test_diplomacy_cases(case: dict) -> None:
    event = enrich_event(make_event(notes=case["notes"], event_type=case.get("event_type", "Strategic developments"), sub_event_type=case["sub"]))
    got = [event.diplomatic_kind, event.diplomatic_status] if event.diplomatic_kind else None
    assert got == case["expect"], (got, event.derived)
    if got:
        kind = next(d for d in event.derived if d.field == "diplomatic_kind")
        assert kind.method.startswith("notes pattern diplomacy.entries[") and kind.evidence.startswith("notes: ")
        assert kind.evidence[len("notes: ") :].lower() in case["notes"].lower()


def test_diplomacy_never_overwrites_and_stays_out_of_article_extraction() -> None:
    given = make_event(event_type="Strategic developments", sub_event_type="Other", diplomatic_kind="talks",
                       notes="On 4 July 2025, the two forces agreed to a ceasefire.")  # fmt: skip
    kept = enrich_event(given)
    # The source's kind stays, and no status is read for it from a phrase about something else.
    assert (kept.diplomatic_kind, kept.diplomatic_status) == ("talks", None)
    # Article extraction takes only tags from the shared layer; it reads diplomacy itself.
    only_tags = enrich_event(make_event(event_type="Strategic developments", sub_event_type="Other",
                                        notes="On 4 July 2025, the two forces agreed to a ceasefire."), notes_fields={"tags"})  # fmt: skip
    assert only_tags.diplomatic_kind is None


def test_diplomacy_vocabulary_is_validated_with_every_problem(tmp_path: Path) -> None:
    from riskengine.ingest.derive.diplomacy import DiplomacyVocabulary

    bad = {
        "sub_event_types": "Agreement",
        "vocabularies": {"truce": ["truce"], "empty": []},
        "entries": [
            {"name": "a", "kind": "peace", "status": "agreed", "pattern": "{truce}"},
            {"name": "b", "kind": "talks", "pattern": "{truce}"},
            {"name": "c", "kind": "talks", "status": "held", "pattern": "{nothing}"},
            {"name": "d", "kind": "talks", "status": "held", "pattern": "(unclosed"},
            {"pattern": "{truce}"},
        ],
    }
    with pytest.raises(InputError) as caught:
        DiplomacyVocabulary(bad, tmp_path / "diplomacy.yaml")
    where = [i.location.yaml_path for i in caught.value.issues if i.location]
    assert sorted(where) == sorted(["sub_event_types", "vocabularies.empty", "entries[0].kind", "entries[1].status", "entries[2].pattern", "entries[3].pattern", "entries[4]"])


def test_border_depth_only_for_a_neighbours_strike() -> None:
    # Regression (issue #13): a United States airstrike in Somalia read as a strike 12,000 km
    # "behind the border" and took the analyst's deep-strike points; Kenya's, next door, is depth.
    us = enrich_event(make_event(country="SOM", actor1="Military Forces of the United States", latitude=2.0469, longitude=45.3182))
    assert us.initiator_side is not None and us.distance_from_border_km is None
    kenya = enrich_event(make_event(country="SOM", actor1="Military Forces of Kenya (2022-)", latitude=-0.3556, longitude=42.5453))
    assert kenya.distance_from_border_km == pytest.approx(173, abs=10)  # Kismayo
    bounds = default_boundaries()
    assert bounds.neighbours("UKR", "RUS") and bounds.neighbours("TUR", "SYR") and not bounds.neighbours("YEM", "SOM")


def test_a_total_over_a_period_is_recorded_as_read_and_not_used() -> None:
    # A total the notes give for a period fills nothing (notes_cases.yaml); it was dropped without
    # a trace, so `explain` and the briefs could not say why "133 people were injured" in the
    # notes was not the event's figure. It is recorded, marked not used, in the existing schema.
    from riskengine.cli.explain import render_text
    from riskengine.core.events import NOT_USED, Derivation
    from riskengine.scoring.scores import Contribution

    notes = "On 14 March 2023, RSF members shot at protesters in Omdurman, Khartoum. 133 people were injured over the six days of demonstrations."
    event = enrich_event(make_event(notes=notes, event_type="Protests", country="SDN"))
    assert event.injured is None
    (total,) = [d for d in event.derived if d.field == "injured"]
    assert (total.value, total.used, total.method) == (133, False, f"{NOT_USED}notes pattern figures.injured, a total over a period")
    assert total.evidence == "notes: 133 people were injured over the six days of demonstrations."
    # the same schema: a reader of event files written before reads it, and it survives a round trip
    assert set(Derivation.model_fields) == {"field", "value", "method", "evidence"}
    assert Event.model_validate_json(event.model_dump_json()) == event
    # a figure of the event's own beside the total, or one the source gave: nothing to explain
    own = enrich_event(make_event(notes="On 11 April 2022, police dispersed a sit-in in Kassala, injuring 6 people. 60 people in total were injured during the week."))
    assert own.injured == 6 and all(d.used for d in own.derived)
    given = enrich_event(make_event(notes=notes, injured=4))
    assert given.injured == 4 and all(d.used for d in given.derived)
    # explain says what was read and why it was not used
    contribution = Contribution(
        rule_id="r", rule_title="R", stakeholder="ngo", dimension="humanitarian", event_ids=["TST1"], event_date=dt.date(2024, 6, 1),
        region="SDN", points=1.0, source_weight=1.0, weighted_points=1.0, rule_source="000 X", rule_file="rules/ngo.yaml", rule_line=1, sources=[], recommendation=None,
    )
    text = render_text([contribution], {"TST1": list(event.derived)})
    assert "  not used on TST1: injured 133 (notes pattern figures.injured, a total over a period; from notes: 133 people were injured over the six days of demonstrations.)" in text


def test_a_riots_own_police_is_not_its_target_side() -> None:
    # A real Kenya 2017 export: "The demonstrators clashed with police and two died" read
    # "target side Kenya (from the side of the second actor: the police forces of Kenya)".
    riot = make_event(event_type="Riots", sub_event_type="Violent demonstration", country="KEN", actor1="Rioters (Kenya)", actor2="Police Forces of Kenya (2013-)")
    assert enrich_event(riot).target_side is None
    # another state's forces met in a riot, and the own forces struck in a war, are still targets
    abroad = make_event(event_type="Riots", sub_event_type="Mob violence", country="UKR", actor1="Rioters (Ukraine)", actor2="Military Forces of Russia (2000-)")
    assert enrich_event(abroad).target_side == "Russia"
    strike = make_event(country="UKR", actor1="Military Forces of Russia (2000-)", actor2="Military Forces of Ukraine (2019-)")
    assert enrich_event(strike).target_side == "Ukraine"


def test_a_partys_claim_is_recorded_as_its_claim_and_not_used() -> None:
    # A real Afghanistan 2020 export read "Taliban said 11 soldiers were killed and 5 were wounded"
    # as the event's injured 5; a claim by a side is not a count, but it stays traceable.
    from riskengine.core.events import NOT_USED

    notes = "On 3 May 2021, Taliban militants attacked a police post in Arghandab district, Kandahar. The Taliban said 9 policemen were killed and 6 were wounded."
    event = enrich_event(make_event(notes=notes, event_type="Battles", country="AFG"))
    assert event.injured is None
    (claim,) = [d for d in event.derived if d.field == "injured"]
    assert (claim.value, claim.used) == (6, False)
    assert claim.method == f"{NOT_USED}notes pattern figures.injured, a claim by a party to the fighting (The Taliban said)"
    assert claim.evidence == "notes: The Taliban said 9 policemen were killed and 6 were wounded."
    # the same figure from a hospital is the event's
    hospital = enrich_event(make_event(notes=notes.replace("The Taliban said", "Hospital staff said"), event_type="Battles", country="AFG"))
    assert hospital.injured == 6


def test_a_range_is_read_as_its_lower_bound_and_said_to_be_one() -> None:
    # "11-17 civilians were wounded" was read as 17, its upper bound; the convention for ranges is
    # the lower bound (as for "at least N"), and the derivation says the figure was a range.
    for notes, low in [
        ("On 2 May 2022, gunmen attacked a market in Gao; 11-17 civilians were wounded.", 11),
        ("On 8 March 2021, a bomb exploded in Mogadishu, leaving between 5 and 8 injured.", 5),
        ("On 14 June 2023, police dispersed a crowd in Khartoum and 5 to 8 people were hurt.", 5),
    ]:
        event = enrich_event(make_event(notes=notes, event_type="Protests", country="SDN"))
        (d,) = [d for d in event.derived if d.field == "injured"]
        assert (event.injured, d.method) == (low, "notes pattern figures.injured, the lower bound of a range"), notes
    # two figures joined by "and" are not a range; a single figure says nothing of one
    two = enrich_event(make_event(notes="On 3 May 2022, gunmen killed 5 and 8 were injured in Gao."))
    assert two.injured == 8
    one = enrich_event(make_event(notes="On 3 May 2022, gunmen wounded 4 civilians in Gao."))
    assert [d.method for d in one.derived if d.field == "injured"] == ["notes pattern figures.injured"]


def test_state_media_relaying_a_belligerents_figures_is_its_claim() -> None:
    # State media relay their government's figures, and that government is a party to the fighting:
    # "state news agency SANA reported 4 civilians wounded by rebel shelling" was the event's
    # injured 4. It is kept as read, not used, naming the claimant; medics and independent outlets
    # stay the event's count.
    from riskengine.core.events import NOT_USED

    claims = [
        ("On 5 May 2020, rebels shelled Aleppo city. Syrian state news agency SANA reported that 4 civilians were wounded.", "SANA reported"),
        ("On 6 May 2020, Ukrainian forces shelled Shebekino, Belgorod. According to Russian state media, 7 people were injured.", "Russian state media"),
        ("On 14 April 2019, LNA forces struck Tripoli; Libyan state TV said 12 people were wounded.", "Libyan state TV said"),
        ("On 2 March 2024, state television said 3 people were hurt in a drone strike on Isfahan.", "state television said"),
        ("On 20 March 2011, coalition aircraft struck Tripoli. Libyan state television report 9 civilians were killed and 40 wounded.", "state television report"),
    ]
    for notes, claimant in claims:
        event = enrich_event(make_event(notes=notes, event_type="Explosions/Remote violence", country="SYR"))
        assert event.injured is None, notes
        (claim,) = [d for d in event.derived if d.field == "injured"]
        assert not claim.used and claim.method.startswith(f"{NOT_USED}notes pattern figures.injured, a claim by a party to the fighting (")
        assert claimant in claim.method, claim.method
    for source in ("Medics said", "Al Jazeera reported that", "Hospital sources reported"):
        notes = f"On 5 May 2020, rebels shelled Aleppo city. {source} 4 civilians were wounded."
        assert enrich_event(make_event(notes=notes, country="SYR")).injured == 4, source
