"""Rule files -> a validated RulePack, or a RuleError listing every problem in every file.

Each problem is one line an editor can jump to, with a code from docs/ERRORS.md:

    rules/investor.yaml:14:9: error[E201] rules[id=port-strike].when.all[0].field: unknown event field 'countrry' (did you mean 'country'?)

Checks run in three layers, and all of them run on everything that reached them, so one pass
reports every mistake: YAML (E1xx, riskengine.core.source), the models of riskengine.rules.models (E2xx,
pydantic errors placed on the offending key or value), and meaning (E3xx: fields and their
kinds, values, regular expressions, leg references, recommendation templates, duplicates). A
rule that fails the models still has its conditions, legs and template checked on their own.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from pydantic import TypeAdapter, ValidationError

from riskengine.core.errors import Issue, Location, RuleError, did_you_mean
from riskengine.core.events import FIELDS, Event, FieldKind
from riskengine.core.sandbox import text_environment, unsafe_template_problems
from riskengine.core.source import (
    Document,
    YamlPath,
    describe_value,
    document_locator,
    load_yaml_file,
    parse_yaml,
    render_path,
    validation_issues,
)
from riskengine.rules.compiler import ContradictionError, Problem, compile_rule, last_leg_latest, operand_problems, where_problems
from riskengine.rules.models import (
    STAKEHOLDERS,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    Leg,
    NotOf,
    Profile,
    Rule,
    RuleFile,
    ScaledPoints,
    Where,
)
from riskengine.rules.pack import RulePack

# Names a recommendation template may use: ``event`` (for a pattern rule, the last leg's event)
# and, in pattern rules, each leg by its ``as`` name; their attributes are the stored Event
# fields, as riskengine.scoring.pipeline renders them (derived fields like source_count are not there).
RECOMMENDATION_NAMES: tuple[str, ...] = ("event",)
# What recommendation text may read: stored fields and the derived ones (see pipeline.template_view).
EVENT_ATTRIBUTES: frozenset[str] = frozenset(Event.model_fields) | frozenset(FIELDS)

_CONDITION: TypeAdapter[Any] = TypeAdapter(Condition)


# ---------------------------------------------------------------------------------------------
# Files


def rule_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Issue]]:
    """Files to load: each file as given, each directory's *.yaml (recursively, hidden skipped)."""
    found: list[Path] = []
    issues: list[Issue] = []
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            inside = sorted(
                f for f in path.rglob("*.yaml") if f.is_file() and not any(p.startswith(".") for p in f.relative_to(path).parts)
            )
            if not inside:
                issues.append(Issue("E104", "no *.yaml rule files in this directory", Location(str(path))))
            found.extend(inside)
        elif path.exists():
            found.append(path)
        else:
            issues.append(Issue("E104", "no such file or directory", Location(str(path))))
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return sorted(unique.values(), key=str), issues


def pack_version(contents: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for data in contents:
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:12]


def load_rules(paths: Sequence[str | os.PathLike[str]]) -> RulePack:
    """Load, validate and cross-check rule files. Raises RuleError with every problem found."""
    files, issues = rule_files(paths)
    if not files and not issues:
        issues.append(Issue("E104", "no rule files given"))
    loaded: list[_FileResult] = []
    contents: list[bytes] = []
    for path in files:
        doc, raw, file_issues = load_yaml_file(path, str(path))
        issues.extend(file_issues)
        contents.append(raw)
        if doc is not None:
            loaded.append(_check_document(doc))
    return _assemble(loaded, issues, tuple(str(f) for f in files), pack_version(contents))


def load_rules_text(text: str, file: str = "<rules>") -> RulePack:
    """Load one rule file given as text (tests, tools, editors)."""
    doc, issues = parse_yaml(text, file)
    loaded = [_check_document(doc)] if doc is not None else []
    return _assemble(loaded, issues, (file,), pack_version([text.encode("utf-8")]))


def _assemble(loaded: list[_FileResult], issues: list[Issue], files: tuple[str, ...], version: str) -> RulePack:
    rules: list[Rule] = []
    origins: dict[str, Location] = {}
    first_ids: dict[str, Location] = {}
    profiles: dict[str, Profile] = {}
    profile_origins: dict[str, Location] = {}
    for result in loaded:
        issues.extend(result.issues)
        for rule_id, id_loc in result.ids:
            if rule_id in first_ids:
                first = _place(first_ids[rule_id], id_loc)
                issues.append(Issue("E307", f"duplicate rule id '{rule_id}' (first defined at {first})", id_loc))
            else:
                first_ids[rule_id] = id_loc
        for rule, origin in result.rules:
            if rule.id not in origins:
                rules.append(rule)
                origins[rule.id] = origin
        for name, profile, origin in result.profiles:
            if name in profile_origins:
                defined_at = profile_origins[name]
                issues.append(Issue("E312", f"profile for '{name}' is already defined at {_place(defined_at, origin)}", origin))
            else:
                profiles[name] = profile
                profile_origins[name] = origin
    if issues:
        count = len({issue.location.file for issue in issues})
        raise RuleError(issues, f"{len(issues)} problem{'s' if len(issues) != 1 else ''} in {count} file{'s' if count != 1 else ''}")
    return RulePack(tuple(rules), origins, profiles, profile_origins, files, version)


def _place(first: Location, here: Location) -> str:
    if first.file == here.file:
        return f"line {first.line}"
    return first.prefix()


# ---------------------------------------------------------------------------------------------
# One file


@dataclass
class _FileResult:
    rules: list[tuple[Rule, Location]] = field(default_factory=list)
    ids: list[tuple[str, Location]] = field(default_factory=list)
    profiles: list[tuple[str, Profile, Location]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def _check_document(doc: Document) -> _FileResult:
    result = _FileResult()
    data = doc.data
    locate, render = document_locator(doc)
    if not isinstance(data, dict):
        result.issues.append(
            Issue(
                "E204",
                f"a rule file is a mapping with the keys rules and/or profiles, got {describe_value(data)}",
                doc.location((), yaml_path=""),
            )
        )
        return result
    raw_rules = data.get("rules")
    # The file's own keys and the profiles are validated as a whole; rules one by one below, so
    # that every valid rule still gets its meaning checked.
    # Top-level keys beginning with 'x-' hold anchors for merge keys (`x-defaults: &d` then
    # `<<: *d` in each rule), as in docker-compose; they are not part of the pack.
    top = {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))}
    if isinstance(raw_rules, list):
        top["rules"] = []
    try:
        parsed = RuleFile.model_validate(top)
        valid_profiles: dict[str, Profile] = {str(k): v for k, v in parsed.profiles.items()}
    except ValidationError as error:
        result.issues.extend(validation_issues(error, RuleFile, top, locate, render))
        valid_profiles = _salvage_profiles(data.get("profiles"))
    for name, profile in valid_profiles.items():
        result.profiles.append((name, profile, doc.location(("profiles", name), key=True)))
    if isinstance(raw_rules, list):
        for index, raw in enumerate(raw_rules):
            _check_rule(doc, ("rules", index), raw, result)
    return result


def _salvage_profiles(raw: Any) -> dict[str, Profile]:
    kept: dict[str, Profile] = {}
    if isinstance(raw, dict):
        for name, value in raw.items():
            if name in STAKEHOLDERS:
                with contextlib.suppress(ValidationError):
                    kept[name] = Profile.model_validate(value)
    return kept


def _check_rule(doc: Document, base: YamlPath, raw: Any, result: _FileResult) -> None:
    locate, render = document_locator(doc, base)
    checker = _Checker(doc, base)
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        result.ids.append((raw["id"], doc.location((*base, "id"))))
    try:
        rule = Rule.model_validate(raw)
    except ValidationError as error:
        result.issues.extend(validation_issues(error, Rule, raw, locate, render))
        checker.partial(raw)
        result.issues.extend(checker.issues)
        return
    checker.rule(rule)
    if not checker.issues:
        try:
            # once_per is checked on the compiled dates below, with its own place and message
            compiled = compile_rule(rule if rule.once_per is None else rule.model_copy(update={"once_per": None}))
        except ContradictionError as error:
            checker.add("E315", str(error), ("sequence",))
        except ValueError as error:  # pragma: no cover - the checks above should catch it all
            checker.add("E300", f"cannot compile: {error}", ())
        else:
            if rule.once_per is not None and not last_leg_latest(compiled.patterns):
                checker.add(
                    "E319",
                    f"once_per '{rule.once_per}' needs the last leg dated after every earlier leg",
                    ("once_per",),
                    "with legs on the same day, which tuple to keep would depend on how the stream is cut; "
                    f"write e.g. {{field: event_date, after: <leg>.event_date}} in '{rule.once_per}'",
                )
    result.issues.extend(checker.issues)
    if not checker.issues:
        result.rules.append((rule, doc.location(base, yaml_path=render(()))))


class _Checker:
    """The E3xx checks of one rule, on its models, placed with the rule's marks."""

    def __init__(self, doc: Document, base: YamlPath) -> None:
        self.doc = doc
        self.base = base
        self.issues: list[Issue] = []

    def add(self, code: str, message: str, path: YamlPath, hint: str | None = None, *, key: bool = False) -> None:
        full = self.base + tuple(path)
        self.issues.append(Issue(code, message, self.doc.location(full, key=key, yaml_path=render_path(self.doc.data, full)), hint))

    def problem(self, problem: Problem, path: YamlPath) -> None:
        self.add(problem.code, problem.message, path, problem.hint, key=problem.on_key)

    # -- whole rules and pieces of broken ones

    def rule(self, rule: Rule) -> None:
        aliases: list[str] | None = None
        if rule.when is not None:
            self.condition(rule.when, ("when",))
        if rule.sequence is not None:
            aliases = [leg.as_ for leg in rule.sequence]
            self.duplicate_aliases(aliases)
            for index, leg in enumerate(rule.sequence):
                self.leg(leg, index, aliases)
        if isinstance(rule.points, ScaledPoints):
            self.points(rule.points, aliases)
        if rule.once_per is not None:
            self.once_per(rule.once_per, aliases)
        if rule.recommendation is not None:
            self.recommendation(rule.recommendation, aliases or [])

    def once_per(self, alias: str, aliases: list[str] | None) -> None:
        if aliases is None:
            self.add("E305", "'once_per' is for pattern rules (with a sequence) only", ("once_per",), key=True)
        elif alias != aliases[-1]:
            last = aliases[-1]
            if alias in aliases:
                self.add("E305", f"once_per names the last leg ('{last}'), not '{alias}'", ("once_per",), f"once_per: {last}")
            else:
                self.add("E305", f"unknown leg '{alias}'", ("once_per",), did_you_mean(alias, aliases) or f"the last leg is '{last}'")

    def partial(self, raw: Any) -> None:
        if not isinstance(raw, dict):
            return
        if "when" in raw:
            self.partial_condition(raw["when"], ("when",))
        aliases: list[str] | None = None
        sequence = raw.get("sequence")
        if isinstance(sequence, list):
            aliases = [leg["as"] for leg in sequence if isinstance(leg, dict) and isinstance(leg.get("as"), str)]
            self.duplicate_aliases(aliases)
            for index, raw_leg in enumerate(sequence):
                try:
                    leg = Leg.model_validate(raw_leg)
                except ValidationError:
                    if isinstance(raw_leg, dict) and "when" in raw_leg:
                        self.partial_condition(raw_leg["when"], ("sequence", index, "when"))
                    # the where-clauses that are valid on their own still get their legs and
                    # kinds checked: an unknown leg came only once a sibling clause was fixed
                    if isinstance(raw_leg, dict) and isinstance(raw_leg.get("where"), list):
                        for w_index, raw_where in enumerate(raw_leg["where"]):
                            with contextlib.suppress(ValidationError):
                                self.where(Where.model_validate(raw_where), index, w_index, aliases)
                    continue
                self.leg(leg, index, aliases)
        if isinstance(raw.get("points"), dict):
            with contextlib.suppress(ValidationError):
                self.points(ScaledPoints.model_validate(raw["points"]), aliases)
        if isinstance(raw.get("recommendation"), str):
            self.recommendation(raw["recommendation"], aliases or [])

    # -- conditions

    def partial_condition(self, raw: Any, path: YamlPath) -> None:
        """Check the parts of a condition that are valid, down to single comparisons."""
        try:
            cond = _CONDITION.validate_python(raw)
        except ValidationError:
            if isinstance(raw, dict) and "field" not in raw:
                for key in ("all", "any"):
                    if isinstance(raw.get(key), list):
                        for index, term in enumerate(raw[key]):
                            self.partial_condition(term, (*path, key, index))
                if "not" in raw:
                    self.partial_condition(raw["not"], (*path, "not"))
            return
        self.condition(cond, path)

    def condition(self, cond: Any, path: YamlPath) -> None:
        if isinstance(cond, Comparison):
            op = cond.operator
            for problem in operand_problems(cond.field, op, cond.value):
                if problem.code == "E201":
                    self.problem(problem, (*path, "field"))
                elif problem.item is not None:
                    self.problem(problem, (*path, op, problem.item))
                else:
                    self.problem(problem, (*path, op))
        elif isinstance(cond, AllOf):
            for index, term in enumerate(cond.all):
                self.condition(term, (*path, "all", index))
        elif isinstance(cond, AnyOf):
            for index, term in enumerate(cond.any):
                self.condition(term, (*path, "any", index))
        elif isinstance(cond, NotOf):
            self.condition(cond.not_, (*path, "not"))

    # -- pattern rules

    def duplicate_aliases(self, aliases: list[str]) -> None:
        seen: set[str] = set()
        for index, alias in enumerate(aliases):
            if alias in seen:
                self.add("E308", f"leg name '{alias}' is used twice in this sequence", ("sequence", index, "as"))
            seen.add(alias)

    def leg(self, leg: Leg, index: int, aliases: list[str]) -> None:
        self.condition(leg.when, ("sequence", index, "when"))
        for w_index, where in enumerate(leg.where):
            self.where(where, index, w_index, aliases)

    def where(self, where: Where, index: int, w_index: int, aliases: list[str]) -> None:
        at: YamlPath = ("sequence", index)
        earlier = aliases[:index]
        path = (*at, "where", w_index, where.relation)
        text: str = getattr(where, where.relation)
        name, dot, other_field = text.partition(".")
        if not dot or not name or not other_field:
            self.add("E305", f"expected <leg>.<field>, got '{text}'", path, "e.g. first.event_date")
            return
        if name not in earlier:
            if name in aliases:
                self.add(
                    "E306",
                    f"leg '{name}' is referenced before it is defined",
                    path,
                    "a where-clause may only refer to earlier legs" + (f": {', '.join(earlier)}" if earlier else ""),
                )
            else:
                hint = did_you_mean(name, earlier) or (
                    f"earlier legs: {', '.join(earlier)}" if earlier else "the first leg has no earlier leg to refer to"
                )
                self.add("E305", f"unknown leg '{name}'", path, hint)
            return
        for problem in where_problems(where, other_field):
            if problem.code == "E201" and problem.item is None:
                self.problem(problem, (*at, "where", w_index, "field"))
            else:
                self.problem(problem, path)

    def points(self, points: ScaledPoints, aliases: list[str] | None) -> None:
        spec = FIELDS.get(points.per)
        if spec is None:
            self.add("E201", f"unknown event field '{points.per}'", ("points", "per"), did_you_mean(points.per, FIELDS))
        elif spec.kind is not FieldKind.NUMBER:
            self.add("E301", f"points scale by a number field; '{points.per}' is not one", ("points", "per"))
        if points.leg is not None:
            if aliases is None:
                self.add("E305", "'leg' is for pattern rules (with a sequence) only", ("points", "leg"), key=True)
            elif points.leg not in aliases:
                hint = did_you_mean(points.leg, aliases) or f"legs: {', '.join(dict.fromkeys(aliases))}"
                self.add("E305", f"unknown leg '{points.leg}'", ("points", "leg"), hint)

    def recommendation(self, text: str, aliases: list[str]) -> None:
        for code, message, hint in template_problems(text, aliases):
            self.add(code, message, ("recommendation",), hint)


def template_problems(text: str, aliases: Sequence[str] = ()) -> list[tuple[str, str, str | None]]:
    """Syntax errors (E309) and unknown names or event fields (E310) in a recommendation."""
    return list(_template_problems(text, tuple(aliases)))


@functools.lru_cache(maxsize=4096)  # compiling templates is most of a load; --watch reloads often
def _template_problems(text: str, aliases: tuple[str, ...]) -> tuple[tuple[str, str, str | None], ...]:
    env = text_environment()  # the environment recommendations are rendered in
    try:
        tree = env.parse(text)
        env.from_string(tree)  # compiling finds unknown filters and tests
    except jinja2.TemplateSyntaxError as error:
        where = f" (template line {error.lineno})" if error.lineno and error.lineno > 1 else ""
        return (("E309", f"recommendation template: {error.message}{where}", None),)
    names = set(RECOMMENDATION_NAMES) | set(aliases)
    problems: list[tuple[str, str, str | None]] = [
        ("E316", f"recommendation template: {problem}", "recommendations may only read event fields and format them")
        for problem in unsafe_template_problems(tree)
    ]
    for name in sorted(meta.find_undeclared_variables(tree)):
        if name not in names:
            hint = did_you_mean(name, names) or f"a recommendation may use: {', '.join(sorted(names))}"
            problems.append(("E310", f"unknown name '{name}' in recommendation", hint))
    attributes: set[tuple[str, str]] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        target = getattr(node, "node", None)
        if not isinstance(target, nodes.Name) or target.name not in names:
            continue
        if isinstance(node, nodes.Getattr):
            attributes.add((target.name, node.attr))
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            attributes.add((target.name, node.arg.value))
    for owner, attr in sorted(attributes):
        if attr not in EVENT_ATTRIBUTES:
            problems.append(
                ("E310", f"unknown event field '{attr}' in recommendation ({owner}.{attr})", did_you_mean(attr, EVENT_ATTRIBUTES))
            )
    return tuple(problems)


__all__ = [
    "EVENT_ATTRIBUTES",
    "RECOMMENDATION_NAMES",
    "RulePack",
    "load_rules",
    "load_rules_text",
    "pack_version",
    "rule_files",
    "template_problems",
]
