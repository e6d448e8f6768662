"""JSON Schemas: valid schemas, usable by editors, in step with the models and the loader."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from riskengine import schemas
from riskengine.cli import app as cli
from riskengine.core.events import FIELDS, FieldKind
from riskengine.core.source import load_yaml_file

CASES = Path(__file__).parent / "loader_cases"
jsonschema = pytest.importorskip("jsonschema")

GOOD_RULES = """\
pack: t
rules:
  - id: repeat
    title: Repeat strike
    stakeholders: [analyst]
    dimension: military
    sequence:
      - as: first
        when: {all: [{field: target_category, equals: airfield}, {not: {field: fatalities, equals: 0}}]}
      - as: again
        when: {field: target_category, equals: airfield}
        where: [{field: event_date, after: first.event_date, within_days: 30}]
    points: {base: 1, per: fatalities, factor: 0.5, cap: 4}
    source: {document: "000", section: s}
profiles:
  analyst: {title: Analysts, dimension_weights: {military: 1}}
"""


def _validator(schema: dict) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _data(text: str) -> object:
    import yaml

    return yaml.safe_load(text)


def test_rules_schema_accepts_a_good_file_and_offers_field_names() -> None:
    schema = schemas.rules_schema()
    validator = _validator(schema)
    assert list(validator.iter_errors(_data(GOOD_RULES))) == []
    comparison = schema["$defs"]["Comparison"]
    assert comparison["properties"]["field"]["enum"] == sorted(FIELDS)
    assert schema["$defs"]["Where"]["properties"]["field"]["enum"] == sorted(FIELDS)
    assert schema["$defs"]["ScaledPoints"]["properties"]["per"]["enum"] == sorted(
        name for name, spec in FIELDS.items() if spec.kind is FieldKind.NUMBER
    )


def test_rules_schema_describes_every_key() -> None:
    schema = schemas.rules_schema()
    missing = [
        f"{name}.{key}"
        for name, definition in [("RuleFile", schema), *schema["$defs"].items()]
        for key, prop in definition.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert missing == []
    # optional keys are left out, not set to null
    assert "anyOf" not in schema["$defs"]["Comparison"]["properties"]["contains"]


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        ({"dimenson": "x"}, "dimenson"),
        ({"when": {"field": "countrry", "equals": "UKR"}}, "countrry"),
        ({"when": {"field": "country", "equals": "UKR", "in": ["RUS"]}}, "country"),
        ({"stakeholders": ["investr"]}, "investr"),
    ],
)
def test_rules_schema_rejects_what_the_loader_rejects(edit: dict, where: str) -> None:
    data = _data(GOOD_RULES)
    rule = data["rules"][0]  # type: ignore[index]
    rule.pop("sequence")
    rule.update({"when": {"field": "country", "equals": "UKR"}, **edit})
    errors = list(_validator(schemas.rules_schema()).iter_errors(data))
    assert errors, where


def test_bad_loader_cases_are_mostly_invalid_for_the_schema_too() -> None:
    # Shape mistakes (E2xx) are visible to an editor; meaning (E3xx) needs the loader.
    validator = _validator(schemas.rules_schema())
    for name in ("schema.yaml", "five_mistakes.yaml", "profiles.yaml", "unknown_field.yaml"):
        doc, _raw, _issues = load_yaml_file(CASES / name)
        assert doc is not None
        assert list(validator.iter_errors(doc.data)), name


def test_event_schemas() -> None:
    record = _validator(schemas.event_schema())
    event = {"event_id": "UKR1", "event_date": "2025-07-01", "event_type": "Battles", "country": "UKR", "sources": [{"name": "a"}]}
    assert list(record.iter_errors(event)) == []
    assert list(record.iter_errors({**event, "bogus": 1}))
    whole = _validator(schemas.events_file_schema())
    assert list(whole.iter_errors([event])) == []
    assert list(whole.iter_errors({"events": [event]})) == []
    assert list(whole.iter_errors({"events": [event], "more": 1}))
    assert list(whole.iter_errors([{**event, "event_type": "Batles"}]))


def test_sample_events_fit_the_schema_if_present() -> None:
    from riskengine.core.resources import sample_data_dir

    sample = sample_data_dir() / "sample_events.yaml"
    if not sample.is_file():
        pytest.skip("no sample data yet")
    doc, _raw, _issues = load_yaml_file(sample)
    assert doc is not None
    assert [e.message for e in _validator(schemas.events_file_schema()).iter_errors(doc.data)] == []


def test_bundled_rules_fit_the_schema_if_present() -> None:
    from riskengine.core.resources import default_rules_dir

    validator = _validator(schemas.rules_schema())
    files = sorted(default_rules_dir().glob("*.yaml"))
    if not files:
        pytest.skip("no bundled rules yet")
    for path in files:
        doc, _raw, _issues = load_yaml_file(path)
        assert doc is not None
        assert [e.message for e in validator.iter_errors(doc.data)] == [], path.name


@pytest.fixture
def only_my_verbs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("riskengine.cli.schema", "riskengine.cli.rules"))


@pytest.mark.parametrize(("argv", "title"), [(["events"], "riskengine event file"), (["events", "--record"], "riskengine event"), (["rules"], "riskengine rule file")])
def test_schema_verb_prints_json(argv: list[str], title: str, only_my_verbs: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", *argv]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == title and printed["$schema"] == schemas.DRAFT


def test_schema_verb_writes_a_file(tmp_path: Path, only_my_verbs: None, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "rules.schema.json"
    assert cli.main(["schema", "rules", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(out.read_text(encoding="utf-8")) == schemas.rules_schema()


def test_output_schema_when_scoring_exists(only_my_verbs: None, capsys: pytest.CaptureFixture[str]) -> None:
    if schemas.output_model() is None:
        pytest.skip("riskengine.scoring.scores.ScoreReport not there yet")
    assert cli.main(["schema", "output"]) == 0
    assert "properties" in json.loads(capsys.readouterr().out)


def test_output_is_not_offered_without_scoring(only_my_verbs: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "riskengine.scoring.scores" else real(name, *a))
    assert cli.main(["schema", "output"]) == 2
    assert "invalid choice: 'output'" in capsys.readouterr().err
