"""Safe YAML loading with marks, and pydantic errors turned into located Issues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from riskengine.core.errors import Issue
from riskengine.core.source import (
    MAX_ALIAS_EXPANSION,
    Document,
    Mark,
    load_yaml_file,
    parse_yaml,
    render_path,
    validation_issues,
)

ROOT = Path(__file__).resolve().parents[1]


def _parse(text: str) -> Document:
    doc, issues = parse_yaml(text, "t.yaml")
    assert issues == [] and doc is not None
    return doc


def _issues(text: str) -> list[str]:
    _doc, issues = parse_yaml(text, "t.yaml")
    return [i.render() for i in issues]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: no", "no"),
        ("a: yes", "yes"),
        ("a: on", "on"),
        ("a: true", True),
        ("a: False", False),
        ("a: 010", 10),
        ("a: 0x1f", 31),
        ("a: 0o17", 15),
        ("a: -3", -3),
        ("a: 12:30", "12:30"),
        ("a: 1_000", "1_000"),
        ("a: 2025-07-01", "2025-07-01"),
        ("a: 1e3", 1000.0),
        ("a: .5", 0.5),
        ("a: ~", None),
        ("a: null", None),
        ("a:", None),
        ("a: '3'", "3"),
        ("a: !!str 3", "3"),
        ("a: NOR", "NOR"),
    ],
)
def test_scalars_follow_yaml_1_2(text: str, value: object) -> None:
    got = _parse(text).data["a"]
    assert got == value and type(got) is type(value)


def test_marks_of_keys_values_and_items() -> None:
    doc = _parse("rules:\n  - id: a\n    when: {field: country, equals: UKR}\n  - [1, 2]\n")
    assert doc.marks[("rules",)].key == Mark(1, 1)
    assert doc.marks[("rules", 0)].value == Mark(2, 5)
    assert doc.marks[("rules", 0, "id")].key == Mark(2, 5)
    assert doc.marks[("rules", 0, "id")].value == Mark(2, 9)
    assert doc.marks[("rules", 0, "when", "equals")].key == Mark(3, 28)
    assert doc.marks[("rules", 0, "when", "equals")].value == Mark(3, 36)
    assert doc.marks[("rules", 1, 1)].value == Mark(4, 9)
    # Unknown paths fall back to the nearest known parent.
    assert doc.mark(("rules", 0, "when", "nope")) == Mark(3, 11)
    assert doc.mark(("rules", 0, "id"), key=True) == Mark(2, 5)


def test_duplicate_keys_are_issues_naming_both_lines_and_loading_goes_on() -> None:
    doc, issues = parse_yaml("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n", "t.yaml")
    assert [i.render() for i in issues] == [
        "t.yaml:4:3: error[E102] duplicate key 'c' (first at line 3, column 3)",
        "t.yaml:5:1: error[E102] duplicate key 'a' (first at line 1, column 1)",
    ]
    assert doc is not None and doc.data == {"a": 1, "b": {"c": 2}}


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['touch /tmp/riskengine-owned']",
        "a: !!python/object:collections.OrderedDict {}",
        "a: !!python/name:os.system",
        "!!python/object/new:os.system [x]",
        "a: !!binary aGVsbG8=",
        "a: !!set {x, y}",
        "a: !custom thing",
        "a: !!timestamp 2025-07-01",
    ],
)
def test_object_and_other_tags_are_refused(text: str) -> None:
    doc, issues = parse_yaml(text, "t.yaml")
    assert doc is None
    assert len(issues) == 1 and issues[0].code == "E103"
    assert not Path("/tmp/riskengine-owned").exists()


def test_syntax_errors_have_line_and_column() -> None:
    assert _issues("a: [1, 2\nb: 3\n") == [
        "t.yaml:2:2: error[E101] YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 1)"
    ]
    assert _issues("a:\n\t- x\n")[0].startswith("t.yaml:2:1: error[E101] YAML syntax error: found character that cannot start any token")
    assert _issues("a: 1\n---\nb: 2\n")[0].startswith("t.yaml:2:1: error[E101] YAML syntax error: found another document")
    assert _issues("a: \x07\n") == ["t.yaml:1:4: error[E101] YAML syntax error: control characters are not allowed"]


def test_complex_keys_are_refused() -> None:
    assert _issues("? [a, b]\n: 1\n") == ["t.yaml:1:3: error[E103] a mapping key must be a plain value, not a list or mapping"]


def test_alias_bombs_and_recursive_aliases_stop_early() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    bomb = _issues("\n".join(lines))
    assert len(bomb) == 1 and f"aliases expand to more than {MAX_ALIAS_EXPANSION} values" in bomb[0]
    assert "E105" in _issues("a: &a [*a]")[0]


def test_aliases_and_merge_keys_within_limits() -> None:
    doc = _parse("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\nagain: *b\n")
    assert doc.data == {"base": {"x": 1, "y": 2}, "item": {"x": 1, "y": 3}, "again": {"x": 1, "y": 2}}
    assert doc.marks[("item", "y")].value == Mark(4, 6)  # the explicit key keeps its own place
    assert doc.marks[("item", "x")].value == Mark(1, 14)  # a merged key points at its source


def test_empty_document() -> None:
    doc = _parse("# only a comment\n")
    assert doc.data is None and doc.mark(()) == Mark(1, 1)


def test_files_bom_and_bad_encoding(tmp_path: Path) -> None:
    good = tmp_path / "bom.yaml"
    good.write_bytes(b"\xef\xbb\xbfa: 1\n")
    doc, raw, issues = load_yaml_file(good)
    assert doc is not None and doc.data == {"a": 1} and issues == [] and raw.startswith(b"\xef")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: 1\nb: \xff\n")
    doc, _raw, issues = load_yaml_file(bad, "bad.yaml")
    assert doc is None and [i.render() for i in issues] == ["bad.yaml:2:4: error[E104] not UTF-8 text (byte 0xff)"]
    doc, _raw, issues = load_yaml_file(tmp_path / "missing.yaml", "missing.yaml")
    assert doc is None and [i.render() for i in issues] == ["missing.yaml: error[E104] no such file"]
    doc, _raw, issues = load_yaml_file(tmp_path, "dir")
    assert [i.render() for i in issues] == ["dir: error[E104] is a directory, expected a file"]


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (("rules", 0, "when", "all", 1, "field"), "rules[id=port-strike].when.all[1].field"),
        (("rules", 1, "sequence", 0, "where"), "rules[1].sequence[as=first].where"),
        (("rules", 5), "rules[5]"),
        (("profiles", "ngo", "title"), "profiles.ngo.title"),
        ((), ""),
    ],
)
def test_render_path_names_items_by_id(path: tuple[object, ...], shown: str) -> None:
    data = {
        "rules": [
            {"id": "port-strike", "when": {"all": [{}, {"field": "x"}]}},
            {"sequence": [{"as": "first", "where": []}]},
        ],
        "profiles": {"ngo": {"title": "t"}},
    }
    assert render_path(data, path) == shown


class _Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    count: int = 0


class _Outer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[_Inner]
    value: str | int | None = None


def _validation(text: str) -> list[Issue]:
    doc = _parse(text)
    try:
        _Outer.model_validate(doc.data)
    except ValidationError as error:
        return validation_issues(
            error, _Outer, doc.data, lambda p, k: doc.location(p, key=k, yaml_path=""), lambda p: render_path(doc.data, p)
        )
    return []


def test_validation_errors_land_on_the_offending_key_or_value() -> None:
    issues = _validation("items:\n  - name: a\n    cuont: 3\n  - count: many\nvalue: [1]\n")
    assert [i.render() for i in issues] == [
        "t.yaml:3:5: error[E202] items[0].cuont: unknown key 'cuont' (did you mean 'count'?)",
        "t.yaml:4:5: error[E203] items[1]: missing required key 'name'",
        "t.yaml:4:12: error[E204] items[1].count: expected a whole number, got 'many'",
        # the members of a union say it once, together
        "t.yaml:5:8: error[E204] value: expected a string or a whole number, got a list",
    ]


def test_every_code_in_the_source_is_documented() -> None:
    catalogue = (ROOT / "docs" / "ERRORS.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| (E\d{3}) \|", catalogue, flags=re.M))
    used: set[str] = set()
    for module in sorted((ROOT / "riskengine").rglob("*.py")):
        used |= set(re.findall(r'"(E\d{3})"', module.read_text(encoding="utf-8")))
    assert used and used <= documented, f"undocumented codes: {sorted(used - documented)}"


# ---------------------------------------------------------------------------------------------
# Whatever the text, parsing ends in data or Issues, never in an exception.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_YAML_BITS = st.sampled_from(
    ["a", ":", " ", "\n", "- ", "  ", "{", "}", "[", "]", ",", "&x ", "*x", "<<: ", "!!python/object ", "'", '"', "#", "---\n", "? ", "|\n", "\t", "%YAML 1.2\n", "!x ", "~", "1", "0x", ".inf"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_YAML_BITS, max_size=40).map("".join) | st.text(max_size=80))
def test_parse_never_raises(text: str) -> None:
    doc, issues = parse_yaml(text, "t.yaml")
    assert doc is not None or issues
    assert all(isinstance(i, Issue) for i in issues)
