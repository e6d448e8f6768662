"""Loading the analyst-editable YAML of the extractor (patterns, gazetteer) and its metadata files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from riskengine.core.errors import InputError, Issue, Location
from riskengine.core.source import load_yaml_file

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_PATTERNS = PACKAGE_DIR / "patterns.yaml"
DEFAULT_GAZETTEER = PACKAGE_DIR / "gazetteer.yaml"


def load_mapping(path: Path, what: str) -> dict[str, Any]:
    """A YAML file whose top level must be a mapping; every problem becomes an InputError."""
    doc, _raw, issues = load_yaml_file(path)
    errors = [i for i in issues if i.severity == "error"]
    if errors or doc is None:
        raise InputError(errors or issues, f"cannot load {what} {path}")
    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        raise InputError([Issue("E102", f"{what} must be a mapping at the top level", Location(str(path), 1, 1))])
    return doc.data


def config_error(path: Path | str, yaml_path: str, message: str) -> InputError:
    return InputError([Issue("E103", message, Location(str(path), 0, 0, yaml_path))], f"invalid {Path(path).name}")
