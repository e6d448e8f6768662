"""The rule packs, their test cases (tests/rules/*.yaml), the runner and the linter.

Each case in tests/rules is one test. The other tests pin what the runner and linter must say
when something is wrong, and the promises the packs make (scale of points, sources, coverage).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from riskengine.checks import ruletest
from riskengine.core.events import Event
from riskengine.rules import ir
from riskengine.rules.compiler import compile_rules
from riskengine.rules.loader import load_rules, load_rules_text
from riskengine.rules.models import DIMENSIONS, STAKEHOLDERS

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
CASES = ROOT / "tests" / "rules"
SAMPLE = ROOT / "data" / "sample_events.yaml"
PREFIX = {"investor": "inv-", "government": "gov-", "ngo": "ngo-", "analyst": "ana-"}

PACK = load_rules([RULES])
COMPILED = compile_rules(PACK)
LOADED, LOAD_PROBLEMS = ruletest.load_cases([CASES])


def _engine() -> str:
    try:
        import riskengine.engine.matching  # noqa: F401
    except ImportError:
        return "builtin"
    return "durable"


def _sample_events() -> list[Event]:
    return [Event.model_validate(e) for e in yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["events"]]


# --- the cases -------------------------------------------------------------------------------


def test_case_files_load_without_problems() -> None:
    assert [i.render() for i in LOAD_PROBLEMS] == []
    assert len(LOADED) >= 40


@pytest.mark.parametrize("loaded", LOADED, ids=[f"{Path(c.location.file).stem}::{c.case.name}" for c in LOADED])
def test_rule_case(loaded: ruletest.LoadedCase) -> None:
    if loaded.case.classes:
        pytest.importorskip("riskengine.engine.matching", reason="classes are scored by the pipeline")
    result = ruletest.run_case(loaded, PACK.rules, COMPILED, engine=_engine(), pack=PACK)
    assert [i.render() for i in result.failures] == []


def test_every_rule_has_a_firing_case_and_a_near_miss() -> None:
    assert [i.render() for i in ruletest.coverage_issues(LOADED, PACK.rules, PACK.origins)] == []


def test_lint_is_clean_on_the_bundled_packs() -> None:
    seeds = ruletest.read_seeds(ruletest.default_seeds_dir())
    issues = ruletest.lint(
        PACK.rules, COMPILED, PACK.origins, sample_events=_sample_events(), cases=LOADED, seeds=seeds, engine=_engine()
    )
    assert [i.render() for i in issues] == []


# --- the packs keep their promises -----------------------------------------------------------


@pytest.mark.parametrize("stakeholder", STAKEHOLDERS)
def test_each_stakeholder_has_its_own_pack_of_15_to_30_rules(stakeholder: str) -> None:
    mine = [r for r in PACK.rules if stakeholder in r.stakeholders]
    assert 15 <= len(mine) <= 30
    for rule in mine:
        assert rule.id.startswith(PREFIX[stakeholder]), rule.id
        assert PACK.origin(rule.id).file.endswith(f"{stakeholder}.yaml"), rule.id


def test_points_stay_on_the_one_to_five_scale() -> None:
    """1 minor .. 5 severe; rules counting every event of a kind in an ACLED feed (protests) may
    weigh less than 1. Points scaled by deaths may reach 10 so a massacre still ranks above a
    skirmish; points scaled by a history-context field (a country's situation, not the event)
    stay at most 1, so context never outweighs the event."""
    from riskengine.ingest.history import HISTORY_FIELDS

    for rule in PACK.rules:
        if isinstance(rule.points, (int, float)):
            assert 0.25 <= rule.points <= 5, rule.id
        elif rule.points.per in HISTORY_FIELDS:
            assert rule.points.base <= rule.points.cap <= 1, rule.id
        else:
            assert rule.points.base <= rule.points.cap <= 10, rule.id
            assert rule.points.cap >= 3, rule.id


def test_profiles_weigh_exactly_the_dimensions_each_stakeholder_has_rules_in() -> None:
    assert sorted(PACK.profiles) == sorted(STAKEHOLDERS)
    for name, profile in PACK.profiles.items():
        assert sorted(profile.dimension_weights) == sorted(DIMENSIONS)
        with_rules = {r.dimension for r in PACK.rules if name in r.stakeholders}
        weighted = {d for d, w in profile.dimension_weights.items() if w > 0}
        assert weighted == with_rules, name


def test_profiles_put_each_audience_first_where_seed_000_points_it() -> None:
    top = {name: max(p.dimension_weights, key=p.dimension_weights.get) for name, p in PACK.profiles.items()}  # type: ignore[arg-type]
    assert top["investor"] == "economic"
    assert top["ngo"] == "humanitarian"
    assert top["analyst"] == "military"
    assert top["government"] in ("diplomatic", "escalation")


def test_every_rule_cites_a_seed_section_with_a_quote_or_a_named_method() -> None:
    for rule in PACK.rules:
        if rule.source.method is not None:
            assert rule.source.section and rule.source.uses, rule.id
            continue
        assert re.fullmatch(r"00[0-4]", rule.source.document or ""), rule.id
        assert rule.source.section and rule.source.quote, rule.id


def test_sample_fires_every_rule_from_the_documents() -> None:
    """Rules citing a seed document fire on the sample; rules on ACLED indicators (riots,
    protests, history context the sample does not carry) fire in tests/rules/acled.yaml."""
    fired = {f.rule_id for f in ruletest.find_firings(COMPILED, _sample_events(), _engine())}
    # Rules that lower risk encode what the documents say would ease it (a ceasefire agreed);
    # the sample holds what happened, and none of that did: tests/rules/diplomacy.yaml has them.
    from_documents = {r.id for r in PACK.rules if r.source.document is not None and not r.lowers}
    # Seed 000 asks NGOs to plan for mass displacement that none of the documents' events report:
    # ngo-displacement reads ACLED's notes (tests/rules/acled.yaml fires it; brief21).
    from_documents -= {"ngo-displacement"}
    assert sorted({r.id for r in COMPILED.rules} & from_documents - fired) == []


def test_rules_table_in_docs_lists_every_rule() -> None:
    text = (ROOT / "docs" / "RULES.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`((?:inv|gov|ngo|ana)-[a-z0-9-]+)`", text))
    assert sorted({r.id for r in PACK.rules} - listed) == []
    assert sorted(listed - {r.id for r in PACK.rules}) == []


# --- the runner says what is wrong -----------------------------------------------------------

CASE_DEFAULTS = """
defaults:
  country: UKR
  event_type: Explosions/Remote violence
  sources: [{name: t, reliability: B, credibility: 2}]
"""


def _run(tmp_path: Path, cases: str) -> list[str]:
    path = tmp_path / "case.yaml"
    path.write_text(CASE_DEFAULTS + cases, encoding="utf-8")
    loaded, problems = ruletest.load_cases([path])
    assert problems == []
    return [i.message for c in loaded for i in ruletest.run_case(c, PACK.rules, COMPILED, engine="builtin").failures]


def test_a_missed_firing_names_rule_event_and_condition(tmp_path: Path) -> None:
    messages = _run(
        tmp_path,
        """
cases:
  - name: port 14 km from NATO
    events:
      - {event_id: UKR-T012, event_date: 2025-05-30, target_category: port, distance_to_nato_km: 14}
    fires: [gov-strike-near-nato]
""",
    )
    assert messages == [
        "case 'port 14 km from NATO': rule 'gov-strike-near-nato' did not fire on event UKR-T012: "
        "distance_to_nato_km is 14, the rule needs at most 10"
    ]


def test_an_unwanted_firing_says_which_conditions_held(tmp_path: Path) -> None:
    messages = _run(
        tmp_path,
        """
cases:
  - name: port strike
    events:
      - {event_id: T1, event_date: 2025-05-30, target_category: port}
    does_not_fire: [gov-port-strike]
""",
    )
    assert messages == [
        "case 'port strike': rule 'gov-port-strike' fired on event T1 (event_type is 'Explosions/Remote violence'; "
        "target_category is 'port'), but the case expects it not to"
    ]


def test_a_pattern_that_misses_names_the_failing_join(tmp_path: Path) -> None:
    messages = _run(
        tmp_path,
        """
cases:
  - name: repeat after two years
    events:
      - {event_id: A, event_date: 2023-07-01, target_name: Plant, location: Izhevsk}
      - {event_id: B, event_date: 2025-07-01, target_name: Plant, location: Izhevsk}
    fires: [{rule: ana-repeat-strike-facility, events: [A, B]}]
""",
    )
    assert messages == [
        "case 'repeat after two years': rule 'ana-repeat-strike-facility' did not fire: repeat.event_date is "
        "2025-07-01, the rule needs it on or before first.event_date (2023-07-01) + 365 days"
    ]


def test_a_pattern_leg_without_events_is_named(tmp_path: Path) -> None:
    messages = _run(
        tmp_path,
        """
cases:
  - name: call without strike
    events:
      - {event_id: A, event_date: 2025-07-03, event_type: Strategic developments, diplomatic_kind: high_level_call}
    fires: [gov-strike-after-call]
""",
    )
    assert len(messages) == 1
    assert "no event matches leg 'strike'" in messages[0]
    assert "launched_total is not given, the rule needs at least 100" in messages[0]


def test_wrong_recommendation_text_and_unknown_rule_are_reported(tmp_path: Path) -> None:
    messages = _run(
        tmp_path,
        """
cases:
  - name: text
    events:
      - {event_id: T1, event_date: 2025-05-30, location: Reni, target_category: port}
    fires: [{rule: inv-port-strike, recommendation_contains: Odesa}, gov-port-strik]
""",
    )
    assert len(messages) == 2
    assert "reads \"Map cargo that moves through Reni" in messages[0] and "contain \"Odesa\"" in messages[0]
    assert messages[1].endswith("no rule 'gov-port-strik' in the rule pack (did you mean 'gov-port-strike'?)")


def test_invalid_events_in_a_case_are_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(CASE_DEFAULTS + "cases:\n  - name: x\n    events:\n      - {event_id: A, event_date: 2025-13-01}\n", encoding="utf-8")
    loaded, problems = ruletest.load_cases([path])
    assert loaded == []
    assert [(i.location.line, i.location.yaml_path) for i in problems] == [(9, "cases[0].events[event_id=A].event_date")]


CASES_WITH_MISTAKES = """\
defaults:
  country: KEN
  event_type: Battles
  sources: [{name: test report, reliability: B, credibility: 2}]
cases:
  - name: misspelt rule
    events:
      - {event_id: A1, event_date: 2024-05-01, sub_event_type: Armed clash, fatalities: 12}
    fires: [ngo-deadly-violens]
  - name: bad event
    events:
      - {event_id: A1, event_date: 2024-05-41}
  - name: unknown key
    events:
      - {event_id: A1, event_date: 2024-05-01, sub_event_type: Armed clash}
    colour: red
  - name: no events
    events: []
"""


def test_one_broken_case_hides_no_other_and_every_case_is_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # One case's unknown key or empty events made the whole file invalid: the other cases'
    # problems were not reported and 'rules test' counted 0 passed, 2 failed for 4 cases.
    from riskengine.cli.app import main

    monkeypatch.chdir(tmp_path)
    Path("c.yaml").write_text(CASES_WITH_MISTAKES, encoding="utf-8")
    assert main(["rules", "test", "c.yaml"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "c.yaml:12:36: error[E204] cases[1].events[event_id=A1].event_date: expected a date (YYYY-MM-DD), got '2024-05-41'",
        "c.yaml:16:5: error[E202] cases[2].colour: unknown key 'colour' (allowed keys: name, note, events, fires, does_not_fire, classes, week)",
        "c.yaml:18:13: error[E205] cases[3].events: needs at least 1 item",
    ]
    assert out.splitlines() == [
        "c.yaml:6:5: error[E714] cases[0]: case 'misspelt rule': no rule 'ngo-deadly-violens' in the rule pack (did you mean 'ngo-deadly-violence'?)",
        "0 passed, 4 failed",
    ]


def test_a_pack_of_ones_own_without_tests_rules_runs_no_bundled_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # Without ./tests/rules the bundled cases ran against the user's pack (failing for rules it
    # does not have), where the help says ./tests/rules.
    from riskengine.cli.app import main
    from riskengine.core.resources import default_rules_dir

    monkeypatch.chdir(tmp_path)
    Path("mine.yaml").write_text((default_rules_dir() / "ngo.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["rules", "test", "--rules", "mine.yaml"]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("0 passed, 0 failed\n", "tests/rules: error[E701] no such case file or folder\n")


# --- the linter finds what it promises -------------------------------------------------------

LINT_PACK = """
rules:
  - id: a-port
    title: port
    stakeholders: [investor]
    dimension: economic
    when: {field: target_category, equals: port}
    points: 2
    recommendation: "Port {{ event.location }}"
    source: {document: "003", section: s, quote: "Izmail's role as a major port makes it a strategic target."}
  - id: b-port-again
    title: port again
    stakeholders: [investor]
    dimension: security
    when: {field: target_category, equals: port}
    points: 2
    recommendation: "Port"
    source: {document: "003", section: s, quote: "not in the document at all"}
  - id: c-port-near-nato
    title: narrower
    stakeholders: [investor]
    dimension: economic
    when:
      all:
        - {field: target_category, equals: port}
        - {field: distance_to_nato_km, at_most: 10}
    points: 2
    recommendation: "{{ '' }}"
    source: {document: "009", section: s}
  - id: d-never
    title: never
    stakeholders: [ngo]
    dimension: economic
    when: {field: troops, at_least: 1000000}
    points: 1
    source: {document: "000", section: s}
"""


def test_lint_reports_each_kind_of_problem() -> None:
    pack = load_rules_text(LINT_PACK, "lint.yaml")
    compiled = compile_rules(pack)
    event = Event.model_validate(
        {"event_id": "E1", "event_date": "2025-05-30", "event_type": "Explosions/Remote violence", "country": "UKR",
         "target_category": "port", "distance_to_nato_km": 1, "sources": [{"name": "t"}]}
    )
    seeds = {"000": "text", "003": "Izmail's role as a major port makes it a strategic target."}
    issues = ruletest.lint(pack.rules, compiled, pack.origins, sample_events=[event], seeds=seeds, engine="builtin")
    found = sorted((i.code, i.message.split(":")[0]) for i in issues)
    assert found == [
        ("E720", "rule 'd-never' never fires on the sample events or the test cases"),
        ("E721", "rule 'b-port-again' has the same condition as 'a-port' for investor"),
        ("E722", "rule 'c-port-near-nato' is shadowed by 'a-port' (economic, investor)"),
        ("E723", "rule 'c-port-near-nato' cites document '009', which is not a source document"),
        ("E724", "rule 'b-port-again'"),
        ("E725", "rule 'c-port-near-nato'"),
        ("W727", "rule 'a-port'"),
        ("W730", "rule 'd-never' cites document 000 without a quote"),
    ]


def test_a_declared_refinement_is_not_a_shadow() -> None:
    text = LINT_PACK.replace("    title: narrower\n", "    title: narrower\n    tags: ['refines:a-port']\n")
    pack = load_rules_text(text, "lint.yaml")
    issues = ruletest.overlap_issues(pack.rules, compile_rules(pack), pack.origins)
    assert [i.code for i in issues] == ["E721"]


@pytest.mark.parametrize(
    ("b", "a", "expected"),
    [
        (ir.Test("x", "gte", 1000), ir.Test("x", "gte", 300), True),
        (ir.Test("x", "gte", 300), ir.Test("x", "gte", 1000), False),
        (ir.Test("x", "eq", 5), ir.Test("x", "gt", 4), True),
        (ir.Test("x", "lt", 5), ir.Test("x", "lte", 10), True),
        (ir.Test("x", "eq", "port"), ir.Test("x", "in", ("port", "energy")), True),
        (ir.Test("x", "eq", "port"), ir.Test("x", "exists"), True),
        (ir.Test("x", "not_exists"), ir.Test("x", "exists"), False),
        (ir.Test("x", "eq", "port"), ir.Or((ir.Test("x", "eq", "port"), ir.Test("y", "eq", 1))), True),
        (ir.Test("y", "eq", "port"), ir.Test("x", "eq", "port"), False),
    ],
)
def test_implication_between_conditions(b: ir.Cond, a: ir.Cond, expected: bool) -> None:
    assert ruletest.implies(b, a) is expected


def test_builtin_evaluator_follows_ir_semantics() -> None:
    fact = {"event_id": "E", "tags": ["fires"], "location": "Kyiv City", "n": 5}
    assert ruletest.holds(ir.Test("tags", "contains", "fires"), fact)
    assert ruletest.holds(ir.Test("location", "contains", "kyiv"), fact)
    assert ruletest.holds(ir.Test("location", "matches", "^KYIV"), fact)
    assert not ruletest.holds(ir.Test("missing", "ne", 1), fact)
    assert ruletest.holds(ir.Not(ir.Test("missing", "eq", 1)), fact)
    assert ruletest.holds(ir.Test("missing", "not_exists"), fact)
    assert not ruletest.holds(ir.Test("n", "in", (1, 2)), fact)


def test_a_pair_dropped_by_once_per_names_the_pair_kept(tmp_path: Path) -> None:
    messages = _run(
        tmp_path,
        """
cases:
  - name: struck three times
    events:
      - {event_id: T1, event_date: 2025-03-01, location: Izhevsk, target_name: Kupol}
      - {event_id: T2, event_date: 2025-04-11, location: Izhevsk, target_name: Kupol}
      - {event_id: T3, event_date: 2025-05-20, location: Izhevsk, target_name: Kupol}
    fires:
      - {rule: inv-repeat-strike-facility, events: [T1, T3]}
""",
    )
    assert messages == [
        "case 'struck three times': rule 'inv-repeat-strike-facility' fires once per event of its last leg (once_per), "
        "and on T3 with T2, T3: the tuple whose earlier legs are latest"
    ]
