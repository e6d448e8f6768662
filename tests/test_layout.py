"""The package layout is the pipeline: imports point one way, down the stages, with no circles.

Every ``import`` of a riskengine module counts, wherever it stands in a file: a lazy import inside
a function is still a dependency, and hiding a circle in a function is how the circles this test
replaced came about. Imports under ``if TYPE_CHECKING:`` count for the direction between stages
but not as circles: they never run, and a module may name a type of the one that drives it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "riskengine"

# Lower stages never import higher ones; a stage may import its own modules and any lower stage.
STAGES: dict[str, int] = {
    "core": 0,
    "ingest": 1,
    "rules": 1,
    "engine": 2,
    "scoring": 3,
    "checks": 4,
    "briefs": 4,
    "store": 2,  # keeps events, briefs sent and alert deliveries; does not score
    "": 5,  # the facades at the top: riskengine/__init__.py, api.py, schemas.py
    "service": 6,  # the HTTP service, on the facades and the store
    "cli": 7,
}
# Stages of one rank stay independent of each other (ingest does not read rules, nor the reverse).
ONLY_WITHIN_RANK = True

ONLY_MODULE_IMPORTING_DURABLE = "riskengine.engine.durable"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def stage_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in STAGES and (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return ""


def imports_of(path: Path, *, typing_only: bool = True) -> set[str]:
    """riskengine modules a file imports; ``from riskengine.x import name`` counts riskengine.x.name
    when that is a module, riskengine.x otherwise. ``typing_only=False`` leaves out the imports
    under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    if not typing_only:
        for block in [n for n in ast.walk(tree) if isinstance(n, ast.If) and _is_type_checking(n.test)]:
            block.body = []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if _is_module(candidate) else node.module)
    return {name for name in found if name == "riskengine" or name.startswith(("riskengine.", "durable"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative / "__init__.py").is_file()


def import_graph(*, typing_only: bool = True) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__main__.py":
            continue
        graph[module_name(path)] = imports_of(path, typing_only=typing_only)
    return graph


GRAPH = import_graph()
RUNTIME_GRAPH = import_graph(typing_only=False)


def test_every_stage_is_a_package_with_a_docstring_saying_what_it_owns() -> None:
    for stage in STAGES:
        if not stage:
            continue
        init = PACKAGE / stage / "__init__.py"
        assert init.is_file(), f"riskengine/{stage}/ is not a package"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"riskengine/{stage}/__init__.py must say what it owns and may import"


def test_no_module_outside_the_stages_but_the_facades() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "api.py", "schemas.py"]


# Being fixed: each entry leaves when its module is; strict, so a fixed one must leave.
KNOWN_UPWARD: set[str] = set()


@pytest.mark.parametrize(
    "module",
    [pytest.param(m, marks=pytest.mark.xfail(strict=True, reason="known upward import")) if m in KNOWN_UPWARD else m for m in sorted(GRAPH)],
)
def test_imports_point_down_the_pipeline(module: str) -> None:
    here = stage_of(module)
    for target in sorted(GRAPH[module]):
        if not target.startswith("riskengine"):
            continue
        there = stage_of(target)
        if target == "riskengine":  # the package's public names (and __version__) are facades
            there = ""
        if there == here:
            continue
        assert STAGES[there] < STAGES[here] or (STAGES[there] == STAGES[here] and not ONLY_WITHIN_RANK), (
            f"{module} ({here or 'top'}) imports {target} ({there or 'top'}): imports must point down the pipeline"
        )


# What a stage's docstring says it may import, where that is narrower than "any stage below it":
# the engine sits above ingest in rank but must not read it (the matcher knows facts, not feeds;
# the C extension both use is loaded in riskengine.core.native for that reason).
MAY_IMPORT: dict[str, set[str]] = {
    "ingest": {"core"},
    "rules": {"core"},
    "engine": {"core", "rules"},
    "store": {"core", "ingest"},
    "scoring": {"core", "ingest", "rules", "engine"},
    # a brief reads events and rule metadata as core and rules define them; where the map's
    # boundaries are is core's (resources), not ingest's
    "briefs": {"core", "rules", "scoring"},
}


@pytest.mark.parametrize("stage", sorted(MAY_IMPORT))
def test_stages_import_only_what_their_docstring_allows(stage: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))) or ""
    for allowed in MAY_IMPORT[stage]:
        assert f"``{allowed}``" in doc, f"riskengine/{stage}/__init__.py does not say it may import {allowed}"
    found = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if stage_of(module) == stage
        for target in targets
        if target.startswith("riskengine.") and stage_of(target) not in MAY_IMPORT[stage] | {stage}
    )
    assert not found, f"{stage} may import only {sorted(MAY_IMPORT[stage])}: " + "; ".join(found)


def test_no_import_circles() -> None:
    modules = {name: {t for t in targets if t in RUNTIME_GRAPH} for name, targets in RUNTIME_GRAPH.items()}
    # A package's __init__ re-exporting its own modules is not a circle worth the name.
    for name, targets in modules.items():
        targets.discard(name)
    circles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(modules[node]):
            if state.get(target) == 1:
                if not _is_package_init_pair(node, target):
                    circles.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(modules):
        if node not in state:
            visit(node)
    assert not circles, "import circles: " + "; ".join(" -> ".join(c) for c in circles)


def _is_package_init_pair(node: str, target: str) -> bool:
    # riskengine.x.y importing riskengine.x (for a name the package re-exports from riskengine.x.z)
    # runs riskengine/x/__init__.py first either way; only a real module-level circle counts.
    return target.startswith(node + ".") or node.startswith(target + ".")


def test_only_the_durable_adapter_imports_durable_rules() -> None:
    importers = sorted(name for name, targets in GRAPH.items() if any(t.startswith("durable") for t in targets))
    assert all(name == ONLY_MODULE_IMPORTING_DURABLE or name.startswith(ONLY_MODULE_IMPORTING_DURABLE + ".") for name in importers), importers


def test_the_reference_evaluator_shares_no_code_with_the_durable_adapter() -> None:
    durable = {name for name in GRAPH if name == ONLY_MODULE_IMPORTING_DURABLE or name.startswith(ONLY_MODULE_IMPORTING_DURABLE + ".")}
    reference = "riskengine.engine.reference"
    for name in sorted(durable):
        assert not any(t == reference or t.startswith(reference + ".") for t in GRAPH[name]), f"{name} imports the reference evaluator"
    for target in GRAPH[reference]:
        assert target not in durable, f"the reference evaluator imports {target}"
