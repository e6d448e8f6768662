"""JSON Schemas for the files people write and read: rule files, event files, score output.

Generated from the pydantic models, then made useful to editors (the YAML language server reads
them through a ``# yaml-language-server: $schema=...`` comment): every key has a description,
``field:`` offers the event field names, ``per:`` the number fields, and optional keys do not
advertise ``null``. The schema describes shape; the loader still checks meaning (an operator
that does not fit a field's kind, a value outside a field's choices, leg references).
"""

from __future__ import annotations

import copy
import importlib
from typing import Any

from riskengine.core.events import FIELDS, Event, FieldKind
from riskengine.rules.compiler import OPERATORS_BY_KIND
from riskengine.rules.models import RuleFile

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_OPERATOR_DOCS: dict[str, str] = {
    "equals": "The field equals this value (a date field takes an ISO date, '2025-07-01').",
    "not_equals": "The field is present and differs from this value.",
    "in": "The field equals one of these values.",
    "not_in": "The field is present and equals none of these values.",
    "greater_than": "The field is greater than this number (or later than this ISO date).",
    "at_least": "The field is at least this number (or on or after this ISO date).",
    "less_than": "The field is less than this number (or earlier than this ISO date).",
    "at_most": "The field is at most this number (or on or before this ISO date).",
    "contains": "Text fields: contains this text, ignoring case. List fields (tags): has this item.",
    "matches": "Text fields: a Python regular expression found anywhere in the value, ignoring case.",
    "exists": "true: the event has a value for the field; false: it has none.",
}

_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "RuleFile": {
        "": "A riskengine rule file: rules and/or stakeholder profiles.",
        "pack": "Name of the pack, e.g. 'investor'.",
        "description": "What this file covers.",
        "rules": "The rules of this file; ids are unique across all loaded files.",
        "profiles": "How each stakeholder reads the scores; one profile per stakeholder across all files.",
    },
    "Rule": {
        "": "A rule: when an event (or a pattern of events) matches, it adds points to a dimension for stakeholders.",
        "id": "Unique id: lowercase letters, digits and dashes, e.g. 'port-strike'.",
        "title": "One line shown in explanations and briefs.",
        "stakeholders": "Who the points count for.",
        "dimension": "The risk dimension the points go to.",
        "when": "Condition on one event. A rule has either 'when' or 'sequence'.",
        "sequence": "Pattern rules: two or more legs, each matching one distinct event, in order.",
        "points": "Points per firing: a number, or {base, per, factor, cap} to scale with an event field.",
        "effect": "raises (default): the points add risk; lowers: evidence that lowers risk, taking off at most max_relief of the dimension's raising points.",
        "recommendation": "Jinja2 text for briefs; may use {{ event.<field> }} and, in pattern rules, each leg by name.",
        "source": "The source document and section this rule encodes.",
        "tags": "Free tags for filtering rules.",
        "enabled": "false leaves the rule out of matching (it is still checked).",
    },
    "Comparison": {
        "": "{field: <event field>, <operator>: <value>}: exactly one operator.",
        "field": "The event field to test.",
        **_OPERATOR_DOCS,
    },
    "AllOf": {"": "Every condition holds.", "all": "Conditions that must all hold."},
    "AnyOf": {"": "At least one condition holds.", "any": "Conditions of which one must hold."},
    "NotOf": {"": "The condition does not hold.", "not": "The condition that must not hold."},
    "Leg": {
        "": "One event of a pattern rule.",
        "as": "Name of this leg, used by later legs' where-clauses and in recommendations.",
        "when": "Condition on this leg's event.",
        "where": "Relations between this leg's event and earlier legs' events.",
    },
    "Where": {
        "": "{field: <this leg's field>, <relation>: <earlier leg>.<field>} with optional within_days.",
        "field": "The field of this leg's event.",
        "equals": "Equal to an earlier leg's field: 'first.target_name'.",
        "not_equals": "Different from an earlier leg's field.",
        "after": "Date later than an earlier leg's date: 'first.event_date'.",
        "on_or_after": "Date on or after an earlier leg's date.",
        "before": "Date earlier than an earlier leg's date.",
        "on_or_before": "Date on or before an earlier leg's date.",
        "within_days": "With after/before: at most this many days apart.",
    },
    "ScaledPoints": {
        "": "base + factor x event[per], at most cap.",
        "base": "Points before scaling.",
        "per": "The number field that scales the points, e.g. fatalities.",
        "factor": "Points per unit of the field.",
        "cap": "Most points one firing can give.",
        "leg": "Pattern rules: the leg whose field scales the points (default: the last).",
    },
    "SourceRef": {
        "": "Where the rule comes from.",
        "document": "Seed document id, e.g. '000'.",
        "section": "Section of the document.",
        "quote": "The sentence the rule encodes.",
    },
    "Profile": {
        "": "How one stakeholder reads the scores.",
        "title": "Name of the audience as printed in briefs.",
        "audience": "Who reads it.",
        "dimension_weights": "Weight of each dimension in the overall score.",
        "regions_of_interest": "ISO3 country codes this stakeholder watches.",
        "thresholds": "Four increasing scores (0-10) that separate the five classes very low .. very high.",
        "saturation": "Weighted points at which a dimension reaches 2.93 of 10 (a notable week).",
        "max_relief": "Largest share (0-1) of a dimension's raising points that lowering rules may take off; default 0.5.",
    },
}


def _strip_null(prop: dict[str, Any]) -> None:
    # An optional key is written by leaving it out; offering null only confuses completion.
    options = prop.get("anyOf")
    if prop.get("default", 0) is None and isinstance(options, list):
        kept = [o for o in options if o != {"type": "null"}]
        if len(kept) != len(options):
            prop.pop("default")
            prop.pop("anyOf")
            if len(kept) == 1:
                prop.update(kept[0])
            else:
                prop["anyOf"] = kept


def _describe(defs: dict[str, Any], root: dict[str, Any]) -> None:
    for name, docs in _DESCRIPTIONS.items():
        target = root if name == "RuleFile" else defs.get(name)
        if target is None:
            continue
        if "" in docs:
            target["description"] = docs[""]
        for key, prop in target.get("properties", {}).items():
            if key in docs:
                prop["description"] = docs[key]
            prop.pop("title", None)
            _strip_null(prop)


def rules_schema() -> dict[str, Any]:
    """The JSON Schema of a rule file."""
    schema = copy.deepcopy(RuleFile.model_json_schema(by_alias=True))
    defs: dict[str, Any] = schema.setdefault("$defs", {})
    _describe(defs, schema)
    field_names = sorted(FIELDS)
    number_fields = sorted(n for n, s in FIELDS.items() if s.kind is FieldKind.NUMBER)
    field_docs = "; ".join(
        f"{kind.value}: {', '.join(OPERATORS_BY_KIND[kind])}" for kind in FieldKind
    )
    comparison = defs["Comparison"]
    comparison["properties"]["field"]["enum"] = field_names
    comparison["properties"]["field"]["description"] += f" Operators by kind of field - {field_docs}."
    comparison["minProperties"] = comparison["maxProperties"] = 2
    where = defs["Where"]
    where["properties"]["field"]["enum"] = field_names
    for relation in ("equals", "not_equals", "after", "on_or_after", "before", "on_or_before"):
        where["properties"][relation]["pattern"] = r"^[a-z][a-z0-9_]*\.[a-z_][a-z0-9_]*$"
    where["minProperties"], where["maxProperties"] = 2, 3
    defs["ScaledPoints"]["properties"]["per"]["enum"] = number_fields
    return {"$schema": DRAFT, **schema, "title": "riskengine rule file"}


def event_schema() -> dict[str, Any]:
    """The JSON Schema of one event (a JSON Lines record)."""
    schema = copy.deepcopy(Event.model_json_schema())
    for definition in [schema, *schema.get("$defs", {}).values()]:
        for prop in definition.get("properties", {}).values():
            prop.pop("title", None)
            _strip_null(prop)
    return {"$schema": DRAFT, **schema, "title": "riskengine event"}


def events_file_schema() -> dict[str, Any]:
    """The JSON Schema of an event file: a list of events or ``{events: [...]}``."""
    one = event_schema()
    defs = one.pop("$defs", {})
    one.pop("$schema")
    defs["Event"] = one
    events = {"type": "array", "items": {"$ref": "#/$defs/Event"}}
    return {
        "$schema": DRAFT,
        "title": "riskengine event file",
        "description": "Events as a list, or as a mapping with the one key 'events'.",
        "anyOf": [
            events,
            {"type": "object", "properties": {"events": events}, "required": ["events"], "additionalProperties": False},
        ],
        "$defs": defs,
    }


def output_model() -> Any | None:
    """``riskengine.scoring.scores.ScoreReport`` when that module has it, else None."""
    try:
        scoring = importlib.import_module("riskengine.scoring.scores")
    except ModuleNotFoundError as error:
        if error.name == "riskengine.scoring.scores":
            return None
        raise
    return getattr(scoring, "ScoreReport", None)


def output_schema() -> dict[str, Any] | None:
    """The JSON Schema of ``riskengine score --format json`` output, when scoring exists."""
    model = output_model()
    if model is None:
        return None
    return {"$schema": DRAFT, **model.model_json_schema(mode="serialization")}


__all__ = ["event_schema", "events_file_schema", "output_model", "output_schema", "rules_schema"]
