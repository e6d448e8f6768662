"""The loader: every problem in every rule file, as whole rendered lines; and the RulePack."""

from __future__ import annotations

import shutil
import traceback
from pathlib import Path

import pytest

from riskengine.cli import app as cli
from riskengine.core.errors import RuleError
from riskengine.rules.loader import RulePack, load_rules, load_rules_text, pack_version, template_problems

CASES = Path(__file__).parent / "loader_cases"
CASE_FILES = sorted(CASES.glob("*.yaml"))

GOOD = """\
rules:
  - id: port-strike
    title: Strike on a port
    stakeholders: [investor, government]
    dimension: economic
    when:
      all:
        - {field: target_category, equals: port}
        - {field: distance_to_nato_km, at_most: 50}
    points: {base: 1, per: drones_launched, factor: 0.1, cap: 4}
    recommendation: "Review exposure near {{ event.location }} ({{ event.country }})."
    source: {document: "003", section: "Izmail"}
  - id: repeat-strike
    title: Repeat strike on one facility
    stakeholders: [analyst]
    dimension: military
    sequence:
      - as: first
        when: {field: target_category, equals: military_industry}
      - as: repeat
        when: {field: target_category, equals: military_industry}
        where:
          - {field: target_name, equals: first.target_name}
          - {field: event_date, after: first.event_date, within_days: 60}
    points: 3
    recommendation: "{{ first.target_name }} hit again on {{ repeat.event_date }}"
    source: {document: "000", section: "Analysis"}
  - id: switched-off
    title: Disabled rules are checked but not compiled
    stakeholders: [ngo]
    dimension: humanitarian
    when: {field: civilian_targeting, equals: true}
    points: 1
    enabled: false
    source: {document: "004", section: "Kyiv"}
profiles:
  investor:
    title: Investors
    dimension_weights: {economic: 2, escalation: 1}
"""


@pytest.fixture
def in_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    # Issues name files as given, so loading from the cases folder gives short stable names.
    monkeypatch.chdir(CASES)


def _lines(paths: list[str | Path]) -> list[str]:
    with pytest.raises(RuleError) as caught:
        load_rules(paths)
    return [issue.render() for issue in caught.value.issues]


@pytest.mark.parametrize("case", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_case_reports_exactly_the_expected_lines(case: Path, in_cases: None, update_golden: bool) -> None:
    got = _lines([case.name])
    expected_file = case.with_suffix(".expected")
    if update_golden:
        expected_file.write_text("\n".join(got) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert got == expected


def test_every_case_has_its_expected_lines() -> None:
    assert CASE_FILES, "no loader cases found"
    for case in CASE_FILES:
        assert case.with_suffix(".expected").is_file(), f"{case.name} has no .expected sidecar"


def test_documented_example_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The line from errors.py and STYLE.md, character for character: the value that is wrong
    # ('countrry') sits at line 14, column 9.
    folder = tmp_path / "rules"
    folder.mkdir()
    text = """\
rules:
  - id: port-strike
    title: Strike on a port
    stakeholders:
      - investor
    dimension: economic
    points: 2
    source:
      document: "003"
      section: Izmail
    # a flow mapping may continue on the next line, which puts the value at column 9
    when: {all: [
      {field:
        countrry, equals: UKR}]}
"""
    (folder / "investor.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _lines(["rules/investor.yaml"]) == [
        "rules/investor.yaml:14:9: error[E201] rules[id=port-strike].when.all[0].field: "
        "unknown event field 'countrry' (did you mean 'country'?)"
    ]


def test_five_mistakes_are_all_reported(in_cases: None) -> None:
    lines = _lines(["five_mistakes.yaml"])
    assert len(lines) == 5
    codes = sorted(line.split("error[")[1][:4] for line in lines)
    assert codes == ["E201", "E202", "E302", "E303", "E310"]


def test_problems_in_several_files_are_collected_together(in_cases: None) -> None:
    with pytest.raises(RuleError) as caught:
        load_rules(["five_mistakes.yaml", "unknown_field.yaml", "python_tag.yaml"])
    files = {issue.location.file for issue in caught.value.issues}
    assert files == {"five_mistakes.yaml", "unknown_field.yaml", "python_tag.yaml"}
    assert caught.value.summary == "7 problems in 3 files"


def test_duplicate_rule_ids_across_files_name_both_places(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    second = GOOD.replace("profiles:\n  investor:", "profiles:\n  ngo:")
    (tmp_path / "b.yaml").write_text(second, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rules([tmp_path])
    rendered = [i.render() for i in caught.value.issues]
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert rendered == [
        f"{b}:2:9: error[E307] rules[id=port-strike].id: duplicate rule id 'port-strike' (first defined at {a}:2:9)",
        f"{b}:13:9: error[E307] rules[id=repeat-strike].id: duplicate rule id 'repeat-strike' (first defined at {a}:13:9)",
        f"{b}:28:9: error[E307] rules[id=switched-off].id: duplicate rule id 'switched-off' (first defined at {a}:28:9)",
    ]


def test_duplicate_rule_id_in_one_file_names_the_first_line() -> None:
    text = GOOD.replace("id: repeat-strike", "id: port-strike")
    with pytest.raises(RuleError) as caught:
        load_rules_text(text, "x.yaml")
    assert [i.render() for i in caught.value.issues] == [
        "x.yaml:13:9: error[E307] rules[id=port-strike].id: duplicate rule id 'port-strike' (first defined at line 2)"
    ]


def test_a_profile_defined_twice_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("profiles:\n  ngo: {title: A, dimension_weights: {humanitarian: 1}}\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("profiles:\n  ngo: {title: B, dimension_weights: {humanitarian: 1}}\n", encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rules([tmp_path / "a.yaml", tmp_path / "b.yaml"])
    (issue,) = caught.value.issues
    assert issue.code == "E312"
    assert issue.location.file == str(tmp_path / "b.yaml")
    assert f"{tmp_path / 'a.yaml'}:2:3" in issue.message


def test_good_pack_has_rules_origins_profiles_and_version(tmp_path: Path) -> None:
    path = tmp_path / "pack.yaml"
    path.write_text(GOOD, encoding="utf-8")
    pack = load_rules([path])
    assert isinstance(pack, RulePack)
    assert [r.id for r in pack.rules] == ["port-strike", "repeat-strike", "switched-off"]
    assert [r.id for r in pack.enabled_rules] == ["port-strike", "repeat-strike"]
    assert pack.pattern_count == 1
    origin = pack.origin("repeat-strike")
    assert (origin.file, origin.line, origin.col, origin.yaml_path) == (str(path), 13, 5, "rules[id=repeat-strike]")
    assert list(pack.profiles) == ["investor"]
    assert pack.profiles["investor"].dimension_weights == {"economic": 2, "escalation": 1}
    assert pack.files == (str(path),)
    assert pack.version == pack_version([GOOD.encode()]) and len(pack.version) == 12


def test_version_depends_on_content_not_location(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        folder.mkdir()
        (folder / "a.yaml").write_text(GOOD, encoding="utf-8")
        (folder / "b.yaml").write_text("profiles:\n  ngo: {title: N, dimension_weights: {humanitarian: 1}}\n", encoding="utf-8")
    assert load_rules([one]).version == load_rules([two]).version
    (two / "b.yaml").write_text("profiles:\n  ngo: {title: N, dimension_weights: {humanitarian: 2}}\n", encoding="utf-8")
    assert load_rules([one]).version != load_rules([two]).version


def test_directories_are_read_recursively_in_sorted_order_once(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "z.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sub" / "a.yaml").write_text("profiles:\n  ngo: {title: N, dimension_weights: {humanitarian: 1}}\n", encoding="utf-8")
    (tmp_path / ".hidden" / "x.yaml").write_text("not: [valid", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    pack = load_rules([tmp_path, tmp_path / "z.yaml"])
    assert pack.files == (str(tmp_path / "sub" / "a.yaml"), str(tmp_path / "z.yaml"))


def test_missing_paths_and_empty_folders_are_reported(tmp_path: Path) -> None:
    lines = _lines([tmp_path / "nope.yaml", tmp_path])
    assert lines == [
        f"{tmp_path}: error[E104] no *.yaml rule files in this directory",
        f"{tmp_path / 'nope.yaml'}: error[E104] no such file or directory",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "x.yaml:1:1: error[E204] a rule file is a mapping with the keys rules and/or profiles, got nothing (null)"),
        ("- a\n", "x.yaml:1:1: error[E204] a rule file is a mapping with the keys rules and/or profiles, got a list"),
        ("rules: {id: x}\n", "x.yaml:1:8: error[E204] rules: expected a list, got a mapping"),
        ("rules: [3]\n", "x.yaml:1:9: error[E204] rules[0]: expected a mapping, got 3"),
        ("rules: [[]]\n", "x.yaml:1:9: error[E204] rules[0]: expected a mapping, got a list"),
        ("\ufeffrules: []\nbogus: 1\n", "x.yaml:2:1: error[E202] bogus: unknown key 'bogus' (allowed keys: pack, description, rules, profiles)"),
    ],
)
def test_file_level_shapes(text: str, expected: str) -> None:
    with pytest.raises(RuleError) as caught:
        load_rules_text(text, "x.yaml")
    assert [i.render() for i in caught.value.issues] == [expected]


def test_non_utf8_file_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("rules: []\n# caf\xe9\n".encode("latin-1"))
    assert _lines([path]) == [f"{path}:2:6: error[E104] not UTF-8 text (byte 0xe9)"]


def test_rules_that_fail_the_schema_still_get_their_conditions_checked() -> None:
    text = """\
rules:
  - id: broken
    stakeholders: [investor]
    dimension: economic
    when:
      all:
        - {field: countrry, equals: UKR}
        - {not: {field: fatalitie, at_least: 1}}
        - {fild: oops}
    points: 1
    source: {document: "0", section: s}
"""
    with pytest.raises(RuleError) as caught:
        load_rules_text(text, "x.yaml")
    assert [(i.code, i.location.yaml_path) for i in caught.value.issues] == [
        ("E203", "rules[id=broken]"),
        ("E201", "rules[id=broken].when.all[0].field"),
        ("E201", "rules[id=broken].when.all[1].not.field"),
        # one mistake, one line: not also "missing required key 'field'"
        ("E202", "rules[id=broken].when.all[2].fild"),
    ]


@pytest.mark.parametrize(
    ("template", "aliases", "codes"),
    [
        ("{{ event.location }} {{ event.fatalities | thousands }}", (), []),
        ("{% for s in event.sources %}{{ s.name }}{% endfor %}", (), []),
        ("{{ event['location'] }}", (), []),
        ("{{ event['loc'] }}", (), ["E310"]),
        ("{{ first.location }}", ("first",), []),
        ("{{ first.location }}", (), ["E310"]),
        ("{{ event.interception_rate }}", (), []),  # derived fields are readable too
        ("{{ event.location | nope }}", (), ["E309"]),
        ("{% if %}", (), ["E309"]),
        ("plain text", (), []),
    ],
)
def test_recommendation_templates(template: str, aliases: tuple[str, ...], codes: list[str]) -> None:
    assert [code for code, _message, _hint in template_problems(template, aliases)] == codes


# ---------------------------------------------------------------------------------------------
# The CLI verb: exit codes, output, no tracebacks


@pytest.fixture
def only_my_verbs(monkeypatch: pytest.MonkeyPatch) -> None:
    # Other verbs are built in parallel; a half-built one must not break these tests.
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("riskengine.cli.schema", "riskengine.cli.rules"))


def test_rules_check_ok(tmp_path: Path, only_my_verbs: None, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pack.yaml").write_text(GOOD, encoding="utf-8")
    assert cli.main(["rules", "check", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    version = load_rules([tmp_path]).version
    assert out == f"rules ok: 3 rules (1 pattern, 1 disabled) in 1 file, pack {version}; 2 compiled, 1 profiles\n"
    assert err == ""


def test_rules_check_bad_rules_exit_1_with_every_line(in_cases: None, only_my_verbs: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "check", "five_mistakes.yaml", "python_tag.yaml"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[:5] == (CASES / "five_mistakes.expected").read_text(encoding="utf-8").splitlines()
    assert lines[5:] == [*(CASES / "python_tag.expected").read_text(encoding="utf-8").splitlines(), "error: 6 problems in 2 files"]
    assert "Traceback" not in err


def test_rules_check_default_is_the_bundled_rules(only_my_verbs: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import riskengine.cli.rules as rules_command

    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "pack.yaml").write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr(rules_command, "default_rules_dir", lambda: bundled)
    assert cli.main(["rules", "check"]) == 0
    assert capsys.readouterr().out.startswith("rules ok: 3 rules")


@pytest.mark.parametrize("argv", [["rules"], ["rules", "nope"], ["rules", "check", "--bogus"]])
def test_rules_usage_errors_exit_2(argv: list[str], only_my_verbs: None, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = cli.main(argv)
    except SystemExit as exit_:
        code = exit_.code  # argparse usage errors exit through SystemExit(2)
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_bad_inputs_never_raise_out_of_the_cli(tmp_path: Path, only_my_verbs: None, capsys: pytest.CaptureFixture[str]) -> None:
    nasty = {
        "binary.yaml": b"\x00\x01\x02\xff",
        "deep.yaml": b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "bomb.yaml": b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + b"".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n".encode() for p, c in zip("abcdefgh", "bcdefghi", strict=True)),
        "tabs.yaml": b"rules:\n\t- id: x\n",
    }
    for name, data in nasty.items():
        (tmp_path / name).write_bytes(data)
    try:
        code = cli.main(["rules", "check", str(tmp_path)])
    except Exception:  # noqa: BLE001  # pragma: no cover - any exception is the failure this test looks for; fail with its traceback
        pytest.fail(traceback.format_exc())
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err and "internal error" not in err
    assert err.count("error[") == 4


def test_bundled_rules_load_if_present() -> None:
    from riskengine.core.resources import default_rules_dir

    folder = default_rules_dir()
    if not any(folder.glob("*.yaml")):
        pytest.skip("no bundled rules yet")
    pack = load_rules([folder])
    assert pack.rules and pack.profiles


def test_copying_a_case_elsewhere_gives_the_same_messages(tmp_path: Path, in_cases: None) -> None:
    shutil.copy(CASES / "operands.yaml", tmp_path / "operands.yaml")
    here = _lines(["operands.yaml"])
    there = [line.replace(f"{tmp_path}/", "") for line in _lines([tmp_path / "operands.yaml"])]
    assert here == there


# ---------------------------------------------------------------------------------------------
# Whatever the structure, loading ends in a pack or a RuleError, never another exception.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_KEYS = st.sampled_from(
    ["rules", "profiles", "id", "title", "when", "all", "any", "not", "field", "equals", "in", "at_least", "matches",
     "sequence", "as", "where", "after", "within_days", "points", "per", "leg", "source", "document", "section",
     "stakeholders", "dimension", "recommendation", "dimension_weights", "thresholds", "investor", "economic", "x"]
)
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True), st.sampled_from(
        ["country", "first.event_date", "{{ event.x }}", "{% if", "port", "2025-07-01", "(", "a.b.c", "investor", "UKR"]
    )
)
_DATA = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5), max_leaves=30)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["rules", "profiles", "pack", "x"]), _DATA, max_size=3))
def test_any_structure_loads_or_raises_rule_error(data: dict[str, object]) -> None:
    import yaml

    text = yaml.safe_dump(data)
    try:
        load_rules_text(text, "h.yaml")
    except RuleError as error:
        assert error.issues


def _paths(node: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_good_rules_load_or_raise_rule_error(data: st.DataObject) -> None:
    # Start from a valid pack and break one place in it: every depth gets exercised.
    import yaml

    tree = yaml.safe_load(GOOD)
    for _ in range(data.draw(st.integers(1, 3))):
        places = _paths(tree)[1:]
        if not places:  # an earlier mutation deleted everything there was
            break
        path = data.draw(st.sampled_from(places))
        parent = tree
        for item in path[:-1]:
            parent = parent[item]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(_DATA)
    try:
        load_rules_text(yaml.safe_dump(tree), "m.yaml")
    except RuleError as error:
        assert error.issues


METHOD_RULE = """\
rules:
  - id: deadly-event
    title: Deadly event
    stakeholders: [ngo]
    dimension: humanitarian
    when: {{field: fatalities, at_least: 1}}
    points: 1
    source: {source}
"""


def test_a_rule_may_cite_a_named_public_method_instead_of_a_seed_document() -> None:
    text = METHOD_RULE.format(source='{method: "ACLED Conflict Index", section: Deadliness, uses: "fatalities of every event"}')
    pack = load_rules_text(text, "m.yaml")
    source = pack.rules[0].source
    assert (source.document, source.method, source.section) == (None, "ACLED Conflict Index", "Deadliness")
    assert source.label == "ACLED Conflict Index: Deadliness"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('{method: "Some Blog", section: Deadliness, uses: x}', "unknown method 'Some Blog'"),
        ('{method: "ACLED Conflict Index", section: Vibes, uses: x}', "'Vibes' is not a section of ACLED Conflict Index"),
        ('{method: "ACLED Conflict Index", section: Deadliness}', "says what the rule takes from it"),
        ('{method: "HDX Signals", document: "000", section: "ACLED conflict events", uses: x}', "either a seed 'document' or a public 'method'"),
        ("{section: Deadliness}", "either a seed 'document' or a public 'method'"),
    ],
)
def test_a_method_source_is_one_we_know_with_a_known_section_and_what_it_takes(source: str, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        load_rules_text(METHOD_RULE.format(source=source), "m.yaml")
    assert any(message in i.message for i in caught.value.issues), [i.message for i in caught.value.issues]
