"""The opt-in GDELT pack (rules_gdelt/) and its cases (tests/rules_gdelt/), run on their own:
tests/test_rule_packs.py runs tests/rules/ against the default packs only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from riskengine.checks import ruletest
from riskengine.rules.compiler import compile_rules
from riskengine.rules.loader import load_rules

ROOT = Path(__file__).resolve().parents[1]
PACK = load_rules([ROOT / "rules_gdelt"])
COMPILED = compile_rules(PACK)
LOADED, LOAD_PROBLEMS = ruletest.load_cases([ROOT / "tests" / "rules_gdelt"])


def _engine() -> str:
    try:
        import riskengine.engine.matching  # noqa: F401
    except ImportError:
        return "builtin"
    return "durable"


def test_case_files_load_without_problems() -> None:
    assert [i.render() for i in LOAD_PROBLEMS] == []
    assert len(LOADED) >= 2 * len(PACK.rules)


@pytest.mark.parametrize("loaded", LOADED, ids=[c.case.name for c in LOADED])
def test_rule_case(loaded: ruletest.LoadedCase) -> None:
    result = ruletest.run_case(loaded, PACK.rules, COMPILED, engine=_engine(), pack=PACK)
    assert [i.render() for i in result.failures] == []


def test_lint_is_clean_every_rule_fires_has_a_near_miss_and_a_quoted_source() -> None:
    seeds = ruletest.read_seeds(ruletest.default_seeds_dir())
    issues = ruletest.lint(PACK.rules, COMPILED, PACK.origins, cases=LOADED, seeds=seeds, engine=_engine())
    assert [i.render() for i in issues] == []
    for rule in PACK.rules:
        assert rule.id.startswith("gdelt-") and re.fullmatch(r"00[0-4]", rule.source.document) and rule.source.quote, rule.id
        assert isinstance(rule.points, (int, float)) and 1 <= rule.points <= 5, rule.id
