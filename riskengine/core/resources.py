"""Where the bundled rules, templates and sample data live, installed or in a checkout."""

from __future__ import annotations

import functools
import os
from pathlib import Path

# This module sits in riskengine/core/; the bundled folders belong to the riskengine package.
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
_CHECKOUT_ROOT = _PACKAGE_ROOT.parent


def _bundled(checkout_dir: str, package_dir: str) -> Path:
    # In a checkout (editable install or running from source) the top-level folders are the
    # ones analysts edit; a wheel carries copies as data-only packages beside this module.
    in_checkout = _CHECKOUT_ROOT / checkout_dir
    if (_CHECKOUT_ROOT / "pyproject.toml").is_file() and in_checkout.is_dir():
        return in_checkout
    return _PACKAGE_ROOT / package_dir


def default_rules_dir() -> Path:
    return _bundled("rules", "_rules")


def gdelt_rules_dir() -> Path:
    """The GDELT pack: opt-in (``--rules``), never part of default_rules_dir(), whose folder is
    loaded recursively; hence a sibling folder rather than rules/gdelt/."""
    return _bundled("rules_gdelt", "_rules_gdelt")


def default_templates_dir() -> Path:
    return _bundled("templates", "_templates")


def sample_data_dir() -> Path:
    return _bundled("data", "_data")


def display_path(path: str) -> str:
    """How a file is named in output: bundled files as ``rules/x.yaml`` wherever they are
    installed, others relative to the working directory when below it, so output is the same
    on every machine."""
    # Every contribution names its rule file: resolving the same few paths again for each of
    # them took half of scoring 10,000 events. The working directory is part of the answer.
    return _display_path(path, os.getcwd())


@functools.lru_cache(maxsize=1024)
def _display_path(path: str, cwd: str) -> str:
    resolved = Path(path).resolve()
    for label, root in (("rules", default_rules_dir()), ("rules_gdelt", gdelt_rules_dir()), ("templates", default_templates_dir()), ("data", sample_data_dir())):
        try:
            return f"{label}/{resolved.relative_to(root.resolve()).as_posix()}"
        except ValueError:
            continue
    try:
        return resolved.relative_to(Path(cwd).resolve()).as_posix()
    except ValueError:
        return path
