"""Safe YAML loading that remembers where every key, value and list item came from.

Rule and event files are plain data. The loader composes YAML nodes (libyaml when available)
and builds Python values itself, so that:

* only plain data comes out: strings, numbers, booleans, null, lists and mappings. Any other tag
  (``!!python/object``, ``!!binary``, custom ``!tags``) is an Issue, never an object;
* scalars follow YAML 1.2: only ``true``/``false`` are booleans (``no`` stays the string
  ``'no'``), ``010`` is ten, ``12:30`` is a string, and dates stay ISO strings that the models
  parse (so ``equals: 2025-07-01`` in a rule is the string the compiler turns into a date);
* a duplicate key is an Issue naming both lines, not a silent overwrite;
* the line and column of every mapping key and value and every sequence item is kept in
  ``Document.marks`` under its path (``("rules", 3, "when", "field")``), so any later problem
  can point at the exact place.

It also turns pydantic validation errors into Issues at those places (``validation_issues``),
for rule files and event files alike.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml
from pydantic import BaseModel, ValidationError

from riskengine.core.errors import Issue, Location, did_you_mean

YamlPath = tuple[Any, ...]

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP, _MERGE = _TAG + "seq", _TAG + "map", _TAG + "merge"

# Nesting and alias expansion limits: a hostile file ("billion laughs") must not exhaust memory.
MAX_DEPTH = 200
MAX_ALIAS_EXPANSION = 100_000


@dataclass(frozen=True, order=True)
class Mark:
    """A 1-based line and column."""

    line: int
    col: int


@dataclass(frozen=True)
class Span:
    """Where a value starts and, for a mapping entry, where its key starts."""

    value: Mark
    key: Mark | None = None


@dataclass
class Document:
    """A parsed YAML file: plain data plus the place of everything in it."""

    file: str
    data: Any
    marks: dict[YamlPath, Span] = field(default_factory=dict)

    def mark(self, path: YamlPath, *, key: bool = False) -> Mark:
        """The place of ``path`` (of its key with ``key=True``), or of its nearest known parent."""
        probe = tuple(path)
        while True:
            span = self.marks.get(probe)
            if span is not None:
                if key and span.key is not None and probe == tuple(path):
                    return span.key
                return span.value
            if not probe:
                return Mark(1, 1)
            probe = probe[:-1]

    def location(self, path: YamlPath, *, key: bool = False, yaml_path: str | None = None) -> Location:
        mark = self.mark(path, key=key)
        shown = render_path(self.data, path) if yaml_path is None else yaml_path
        return Location(self.file, mark.line, mark.col, shown)


# ---------------------------------------------------------------------------------------------
# Loading


def _yaml12_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    # Start from PyYAML's table for null and merge, drop its YAML 1.1 bool/int/float/timestamp
    # rules and put YAML 1.2 core ones in their place.
    kept = {
        first: [(tag, rx) for tag, rx in rules if tag in (_NULL, _MERGE)]
        for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    core = [
        (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
        (_INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), "-+0123456789"),
        (
            _FLOAT,
            re.compile(
                r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
            ),
            "-+0123456789.",
        ),
    ]
    for tag, rx, firsts in core:
        for first in firsts:
            kept.setdefault(first, []).append((tag, rx))
    return kept


class MarkedLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A SafeLoader (libyaml's when installed) used only to compose nodes, with YAML 1.2 scalars."""

    yaml_implicit_resolvers = _yaml12_resolvers()


class _Reject(Exception):
    """A node that cannot become plain data; carries its Issue."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.marks: dict[YamlPath, Span] = {}
        self.issues: list[Issue] = []
        self.seen: set[int] = set()
        self.expanded = 0

    def issue(self, code: str, message: str, node: yaml.Node, hint: str | None = None) -> Issue:
        mark = _mark(node)
        return Issue(code, message, Location(self.file, mark.line, mark.col), hint)

    def build(self, node: yaml.Node, path: YamlPath, depth: int, aliased: bool) -> Any:
        if depth > MAX_DEPTH:
            raise _Reject(self.issue("E105", f"nesting deeper than {MAX_DEPTH} levels (a recursive alias?)", node))
        # An alias is the same node object met again: count what re-expanding it costs.
        if id(node) in self.seen:
            aliased = True
        self.seen.add(id(node))
        if aliased:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_EXPANSION:
                raise _Reject(self.issue("E105", f"aliases expand to more than {MAX_ALIAS_EXPANSION} values", node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise _Reject(self._bad_tag(node))
            items = []
            for index, child in enumerate(node.value):
                self.marks[(*path, index)] = Span(_mark(child))
                items.append(self.build(child, (*path, index), depth + 1, aliased))
            return items
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth, aliased)
        raise _Reject(self.issue("E103", f"unsupported YAML node {type(node).__name__}", node))

    def _bad_tag(self, node: yaml.Node) -> Issue:
        tag = node.tag.replace(_TAG, "!!")
        return self.issue(
            "E103",
            f"unsupported YAML tag '{tag}'",
            node,
            "rule and event files hold plain data: strings, numbers, true/false, lists and mappings",
        )

    def scalar(self, node: yaml.ScalarNode) -> Any:
        text, tag = node.value, node.tag
        if tag == _STR:
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return text.lower() == "true"
        if tag == _INT:
            try:
                sign = -1 if text.startswith("-") else 1
                body = text.lstrip("+-")
                if body.startswith(("0x", "0o")):
                    return sign * int(body[2:], 16 if body[1] == "x" else 8)
                return sign * int(body, 10)
            except ValueError:
                raise _Reject(self.issue("E101", f"'{text}' is not an integer", node)) from None
        if tag == _FLOAT:
            lowered = text.lower()
            if lowered.endswith(".inf"):
                return float("-inf") if lowered.startswith("-") else float("inf")
            if lowered == ".nan":
                return float("nan")
            try:
                return float(text)
            except ValueError:
                raise _Reject(self.issue("E101", f"'{text}' is not a number", node)) from None
        raise _Reject(self._bad_tag(node))

    def mapping(self, node: yaml.MappingNode, path: YamlPath, depth: int, aliased: bool) -> dict[Any, Any]:
        if node.tag != _MAP:
            raise _Reject(self._bad_tag(node))
        result: dict[Any, Any] = {}
        first_seen: dict[Any, yaml.Node] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Reject(self.issue("E103", "a mapping key must be a plain value, not a list or mapping", key_node))
            key = self.scalar(key_node)
            try:
                hash(key)
            except TypeError:  # pragma: no cover - scalars are hashable
                raise _Reject(self.issue("E103", "unhashable mapping key", key_node)) from None
            if key in first_seen:
                first = _mark(first_seen[key])
                self.issues.append(
                    self.issue("E102", f"duplicate key '{key}' (first at line {first.line}, column {first.col})", key_node)
                )
                continue
            first_seen[key] = key_node
            self.marks[(*path, key)] = Span(_mark(value_node), _mark(key_node))
            result[key] = self.build(value_node, (*path, key), depth + 1, aliased)
        # YAML merge keys (<<: *defaults): explicit keys win, earlier merged mappings win.
        for merge_node in merges:
            sources = merge_node.value if isinstance(merge_node, yaml.SequenceNode) else [merge_node]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise _Reject(self.issue("E103", "'<<' merges mappings only", source))
                # Built under a scratch path, so that the marks of keys this mapping sets itself
                # are not overwritten; the marks of the keys taken are moved under ``path``.
                scratch = (*path, _MERGE)
                merged = self.mapping(source, scratch, depth + 1, True)
                taken = {key for key in merged if key not in result}
                for key in taken:
                    result[key] = merged[key]
                for mark_path in [p for p in self.marks if p[: len(scratch)] == scratch]:
                    span = self.marks.pop(mark_path)
                    if mark_path[len(scratch)] in taken:
                        self.marks.setdefault(path + mark_path[len(scratch) :], span)
        return result


def parse_yaml(text: str, file: str = "<input>") -> tuple[Document | None, list[Issue]]:
    """Parse one YAML document. Returns the document (None when unusable) and every Issue found.

    Duplicate keys are reported but do not stop loading (the first value is kept), so later
    checks still run; syntax errors, bad tags and alias bombs leave no document.
    """
    builder = _Builder(file)
    try:
        node = yaml.compose(text, Loader=MarkedLoader)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_issue(error, file)]
    except yaml.YAMLError as error:  # ReaderError: a character YAML does not allow
        return None, [_reader_issue(error, text, file)]
    if node is None:
        return Document(file, None, {(): Span(Mark(1, 1))}), []
    try:
        data = builder.build(node, (), 0, False)
    except _Reject as reject:
        return None, [*builder.issues, reject.issue]
    except RecursionError:
        return None, [builder.issue("E105", "the document nests too deeply", node)]
    builder.marks[()] = Span(_mark(node))
    return Document(file, data, builder.marks), builder.issues


def _syntax_issue(error: yaml.MarkedYAMLError, file: str) -> Issue:
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    problem = (error.problem or "invalid YAML").strip()
    if problem.startswith("but "):  # PyYAML's "expected X, but found Y" split in two
        problem = problem[4:]
    hint = None
    if error.context:
        context = error.context.strip()
        if error.context_mark is not None and error.context_mark is not mark:
            context += f" at line {error.context_mark.line + 1}"
        hint = context
    return Issue("E101", f"YAML syntax error: {problem}", Location(file, line, col), hint)


def _reader_issue(error: yaml.YAMLError, text: str, file: str) -> Issue:
    position = getattr(error, "position", None)
    line = col = 0
    if isinstance(position, int):
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
    reason = getattr(error, "reason", None) or str(error)
    return Issue("E101", f"YAML syntax error: {reason}", Location(file, line, col))


MAX_FILE_BYTES = 256 << 20


def read_text(path: Path, file: str | None = None) -> tuple[str | None, bytes, list[Issue]]:
    """Read a UTF-8 file (a BOM is allowed). Returns (text or None, raw bytes, issues)."""
    shown = file if file is not None else str(path)
    try:
        with open(path, "rb") as handle:
            # read whole (YAML and JSON are parsed whole): bounded, a file of zeros once took 8 GB
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            return None, b"", [Issue("E110", f"larger than {MAX_FILE_BYTES >> 20} MiB", Location(shown), "split it, or use JSON Lines, which is read line by line")]
    except IsADirectoryError:
        return None, b"", [Issue("E104", "is a directory, expected a file", Location(shown))]
    except FileNotFoundError:
        return None, b"", [Issue("E104", "no such file", Location(shown))]
    except OSError as error:
        return None, b"", [Issue("E104", f"cannot read: {error.strerror or error}", Location(shown))]
    try:
        return raw.decode("utf-8-sig"), raw, []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, raw, [Issue("E104", f"not UTF-8 text (byte 0x{raw[error.start]:02x})", Location(shown, line, col))]


def load_yaml_file(path: Path, file: str | None = None) -> tuple[Document | None, bytes, list[Issue]]:
    """Read and parse one YAML file: (document or None, raw bytes, issues)."""
    shown = file if file is not None else str(path)
    text, raw, issues = read_text(path, shown)
    if text is None:
        return None, raw, issues
    doc, parse_issues = parse_yaml(text, shown)
    return doc, raw, issues + parse_issues


# ---------------------------------------------------------------------------------------------
# Paths shown to people

# A list item that is a mapping with one of these keys is named by it: rules[id=port-strike].
IDENTIFYING_KEYS: tuple[str, ...] = ("id", "as", "event_id")


def render_path(data: Any, path: Iterable[Any], prefix: str = "") -> str:
    """``('rules', 2, 'when', 'all', 0, 'field')`` -> ``rules[id=port-strike].when.all[0].field``."""
    out = prefix
    node = data
    for item in path:
        if isinstance(item, int) and not isinstance(item, bool) and isinstance(node, list):
            child = node[item] if 0 <= item < len(node) else None
            name = _identity(child)
            out += f"[{name}]" if name else f"[{item}]"
            node = child
        else:
            out += f".{item}" if out else str(item)
            node = node.get(item) if isinstance(node, dict) else None
    return out


def _identity(item: Any) -> str | None:
    if isinstance(item, dict):
        for key in IDENTIFYING_KEYS:
            value = item.get(key)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                return f"{key}={value}"
    return None


# ---------------------------------------------------------------------------------------------
# pydantic errors -> Issues

Locate = Callable[[YamlPath, bool], Location]
"""``locate(path, key)``: the Location of a value (or its key) at a path inside validated data."""

_UNKNOWN = object()
_NONE_TYPE = type(None)


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional (a union of one type and None has no loc entry)."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not _NONE_TYPE]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (Union, types.UnionType)


def _member_label(member: Any) -> set[str]:
    labels: set[str] = set()
    if typing.get_origin(member) is typing.Annotated:
        for meta in typing.get_args(member)[1:]:
            tag = getattr(meta, "tag", None)
            if isinstance(tag, str):
                labels.add(tag)
    inner = _unwrap(member)
    name = getattr(inner, "__name__", None)
    if name:
        labels.add(name)
    return labels


def _model_field(model: type[BaseModel], name: str) -> Any:
    for field_name, info in model.model_fields.items():
        if name in (field_name, info.alias):
            return info.annotation
    return _UNKNOWN


def model_keys(model: type[BaseModel]) -> list[str]:
    """The keys a model accepts in YAML (aliases where set)."""
    return [info.alias or name for name, info in model.model_fields.items()]


@dataclass
class _Walk:
    path: YamlPath = ()
    on_key: bool = False
    through_union: bool = False
    final: Any = _UNKNOWN
    container: Any = _UNKNOWN
    data: Any = _UNKNOWN


def _walk(root: Any, data: Any, loc: Sequence[Any]) -> _Walk:
    """Follow a pydantic error ``loc`` through the type and the data at once.

    Each loc item is a model field, a list index, a dict key, a union member's label or
    ``[key]``; only the first three move in the data, so the result is the data path of the
    problem, with the type found there.
    """
    walk = _Walk(data=data)
    tp: Any = root
    key_type: Any = _UNKNOWN
    for item in loc:
        tp = _unwrap(tp) if tp is not _UNKNOWN else tp
        if item == "[key]":
            walk.on_key = True
            tp = key_type
            continue
        if tp is not _UNKNOWN and _is_union(tp):
            chosen = next((m for m in typing.get_args(tp) if item in _member_label(m)), _UNKNOWN)
            walk.through_union = True
            tp = chosen
            continue
        walk.container = tp
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            tp = _model_field(tp, str(item))
            key_type = _UNKNOWN
        elif typing.get_origin(tp) is list and isinstance(item, int):
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            key_type, tp = typing.get_args(tp)
        elif tp is _UNKNOWN:
            # A type we could not follow: move in the data when the item names something there.
            here = walk.data
            if not ((isinstance(here, dict) and item in here) or (isinstance(here, list) and isinstance(item, int))):
                continue
        else:
            continue  # a label of a leaf type (e.g. 'str' in a scalar union)
        walk.path += (item,)
        here = walk.data
        if (isinstance(here, dict) and item in here) or (isinstance(here, list) and isinstance(item, int) and 0 <= item < len(here)):
            walk.data = here[item]
        else:
            walk.data = _UNKNOWN
    walk.final = _unwrap(tp) if tp is not _UNKNOWN else tp
    return walk


_TYPE_WORDS: dict[str, str] = {
    "string": "a string",
    "str": "a string",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "list": "a list",
    "dict": "a mapping",
    "model": "a mapping",
    "model_attributes": "a mapping",
    "date": "a date (YYYY-MM-DD)",
    "datetime": "a date and time",
    "literal": "one of the allowed values",
}


def _expected(error_type: str) -> str | None:
    for suffix in ("_from_datetime_parsing", "_from_datetime_inexact", "_parsing", "_type"):
        if error_type.endswith(suffix):
            base = error_type[: -len(suffix)]
            return _TYPE_WORDS.get(base, base.replace("_", " "))
    if error_type == "int_from_float":
        return "a whole number"
    return None


def describe_value(value: Any) -> str:
    """How a bad value is shown in a message: short, typed."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text)


def _join_or(words: Sequence[str]) -> str:
    words = list(dict.fromkeys(words))
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


# (model name, field) -> what the pattern means, said plainly.
PATTERN_MESSAGES: dict[tuple[str, str], str] = {
    ("Rule", "id"): "a rule id is lowercase letters, digits and dashes, e.g. 'port-strike'",
    ("Leg", "as"): "a leg name is lowercase letters, digits and underscores, starting with a letter",
    ("Leg", "as_"): "a leg name is lowercase letters, digits and underscores, starting with a letter",
    ("[]", "regions_of_interest"): "not an ISO 3166-1 alpha-3 country code in capitals, e.g. 'UKR'",
}

# Literal values found at a mapping key, by the key's mapping, get their own code (see ERRORS.md).
KEY_LITERAL_CODES: dict[str, tuple[str, str]] = {
    "dimension_weights": ("E311", "weight for unknown dimension"),
    "profiles": ("E205", "unknown stakeholder"),
}


def validation_issues(
    error: ValidationError,
    root: Any,
    data: Any,
    locate: Locate,
    render: Callable[[YamlPath], str],
) -> list[Issue]:
    """One Issue per problem in ``error``, at the line and column of the offending key or value.

    ``root`` is the type that was validated, ``data`` the plain data it was given; ``locate``
    and ``render`` turn a path inside ``data`` into a Location and a yaml path. Errors that the
    members of one union raise at one place become a single Issue ("expected a number or a
    string, got a list").
    """
    groups: dict[tuple[YamlPath, bool], list[tuple[dict[str, Any], _Walk]]] = {}
    for details in error.errors(include_url=False):
        err: dict[str, Any] = dict(details)
        walk = _walk(root, data, err["loc"])
        groups.setdefault((walk.path, walk.on_key), []).append((err, walk))
    # A misspelt required key shows up twice: unknown 'titel' and missing 'title'. Say it once.
    suggested: set[YamlPath] = set()
    for (path, _on_key), found in groups.items():
        for problem, walk in found:
            if (
                problem["type"] == "extra_forbidden"
                and path
                and isinstance(walk.container, type)
                and issubclass(walk.container, BaseModel)
            ):
                close = difflib.get_close_matches(str(path[-1]), model_keys(walk.container), n=1, cutoff=0.6)
                if close:
                    suggested.add((*path[:-1], close[0]))
    issues: list[Issue] = []
    for (path, on_key), found in groups.items():
        found = [(e, w) for e, w in found if not (e["type"] == "missing" and path in suggested)]
        if not found:
            continue
        # '.nan' or '.inf' where a number or a text may go: it is a number, just not a finite one;
        # the text member's 'expected a string, got nan' only misleads
        finite = [(e, w) for e, w in found if e["type"] == "finite_number"]
        if finite:
            found = finite
        typed = [(e, w) for e, w in found if _expected(e["type"])]
        if len(found) > 1 and len(typed) == len(found):
            words = [_expected(e["type"]) or "" for e, _ in found]
            value = found[0][0]["input"]
            loc = locate(path, on_key)
            issues.append(
                Issue("E204", f"expected {_join_or(words)}, got {describe_value(value)}", _with_path(loc, render(path)))
            )
            continue
        for err, walk in found:
            issues.append(_one_issue(err, walk, locate, render))
    return issues


def _with_path(loc: Location, yaml_path: str) -> Location:
    return Location(loc.file, loc.line, loc.col, yaml_path)


def _one_issue(err: dict[str, Any], walk: _Walk, locate: Locate, render: Callable[[YamlPath], str]) -> Issue:
    kind: str = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    path = walk.path
    if kind == "missing":
        parent = path[:-1]
        return Issue("E203", f"missing required key '{path[-1]}'", _with_path(locate(parent, False), render(parent)))
    if kind == "extra_forbidden":
        key = path[-1] if path else "?"
        allowed: list[str] = []
        container = walk.container
        if isinstance(container, type) and issubclass(container, BaseModel):
            allowed = model_keys(container)
        hint = did_you_mean(str(key), allowed)
        if hint is None and allowed:
            hint = "allowed keys: " + ", ".join(allowed)
        return Issue("E202", f"unknown key '{key}'", _with_path(locate(path, True), render(path)), hint)
    loc = _with_path(locate(path, walk.on_key), render(path))
    if kind == "literal_error":
        choices = [str(c) for c in typing.get_args(walk.final)] if typing.get_origin(walk.final) is typing.Literal else []
        code, what = "E205", "not an allowed value"
        if walk.on_key and len(path) >= 2 and path[-2] in KEY_LITERAL_CODES:
            code, what = KEY_LITERAL_CODES[path[-2]]
        message = f"{what}: {describe_value(value)}" if walk.on_key else f"{describe_value(value)} is not allowed"
        hint = did_you_mean(str(value), choices) if choices else None
        if hint is None:
            hint = "expected one of: " + (", ".join(choices) if choices else str(ctx.get("expected", "")))
        return Issue(code, message, loc, hint)
    if kind == "string_pattern_mismatch":
        model = walk.container.__name__ if isinstance(walk.container, type) else ""
        plain = PATTERN_MESSAGES.get((model, str(path[-1]) if path else ""))
        if plain is None and len(path) >= 2 and isinstance(path[-1], int):
            # a list item's pattern is said by its list's key: regions_of_interest[1]
            plain = PATTERN_MESSAGES.get(("[]", str(path[-2])))
        if plain:
            return Issue("E205", f"{describe_value(value)}: {plain}", loc)
        return Issue("E205", f"{describe_value(value)} does not match the pattern {ctx.get('pattern')}", loc)
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error", err["msg"]))
        return Issue("E206", message, loc)
    if kind == "finite_number":
        return Issue("E205", f"must be a finite number, got {describe_value(value)}", loc)
    if kind == "condition_type":
        return Issue("E204", f"{err['msg']}, got {describe_value(value)}", loc)
    expected = _expected(kind)
    if expected is not None:
        return Issue("E204", f"expected {expected}, got {describe_value(value)}", loc)
    if kind in ("too_short", "too_long"):
        if "min_length" in ctx and kind == "too_short":
            noun = "character" if isinstance(value, str) else "item"
            count = ctx["min_length"]
            return Issue("E205", f"needs at least {count} {noun}{'s' if count != 1 else ''}", loc)
        if "max_length" in ctx:
            noun = "characters" if isinstance(value, str) else "items"
            return Issue("E205", f"takes at most {ctx['max_length']} {noun}", loc)
    if kind in ("string_too_short", "string_too_long"):
        if kind == "string_too_short":
            return Issue("E205", "must not be empty" if ctx.get("min_length") == 1 else err["msg"], loc)
        return Issue("E205", f"longer than {ctx.get('max_length')} characters", loc)
    bounds = {"greater_than": ("more than", "gt"), "greater_than_equal": ("at least", "ge"),
              "less_than": ("less than", "lt"), "less_than_equal": ("at most", "le")}
    if kind in bounds:
        words, key = bounds[kind]
        return Issue("E205", f"must be {words} {ctx.get(key)}, got {describe_value(value)}", loc)
    message = str(err["msg"])
    return Issue("E205", message[0].lower() + message[1:] if message else kind, loc)


def document_locator(doc: Document, base: YamlPath = ()) -> tuple[Locate, Callable[[YamlPath], str]]:
    """``locate`` and ``render`` for data found at ``base`` inside ``doc``."""

    def locate(path: YamlPath, key: bool) -> Location:
        return doc.location(base + tuple(path), key=key, yaml_path="")

    def render(path: YamlPath) -> str:
        return render_path(doc.data, base + tuple(path))

    return locate, render


__all__ = [
    "IDENTIFYING_KEYS",
    "Document",
    "Locate",
    "Mark",
    "MarkedLoader",
    "Span",
    "describe_value",
    "document_locator",
    "load_yaml_file",
    "model_keys",
    "parse_yaml",
    "read_text",
    "render_path",
    "validation_issues",
]
