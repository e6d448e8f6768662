"""core.regex is the one piece both engines share (issue #18 allows one, with its own tests): it
compiles a rule's ``matches`` pattern for RE2, so it must keep the rule language's meaning
(case-insensitive search) and stay linear in the text whatever the pattern."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from riskengine.core.regex import PatternError, compile_pattern, pattern_problem


@pytest.fixture
def alarm() -> Iterator[None]:
    # A backtracking engine would not return on the inputs below: fail instead of hanging.
    def timeout(signum: int, frame: object) -> None:
        raise AssertionError("the pattern took more than 10 s: not matched in linear time")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        (r"\bplant\b", "Drone strike on KUPOL PLANT", True),
        (r"\bplant\b", "the planter", False),
        (r"shahed|geran", "launched 25 GERAN-2 drones", True),
        (r"^interception:", "Interception: 17 of 18", True),
        (r"^interception:", "an interception: no", False),
        (r"\d+ of \d+", "shot down 17 of 18", True),
    ],
)
def test_search_is_case_insensitive_and_keeps_the_rule_languages_meaning(pattern: str, text: str, found: bool) -> None:
    assert (compile_pattern(pattern).search(text) is not None) is found


@pytest.mark.usefixtures("alarm")
@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a|aa)+$", r"(\w*)*x", r"(a*)*b"])
def test_catastrophic_patterns_fail_fast_on_long_text(pattern: str) -> None:
    assert compile_pattern(pattern).search("a" * 50_000 + "!") is None


@pytest.mark.parametrize(("pattern", "reason"), [(r"(?<!no )strike", "RE2"), (r"(a)\1", "RE2"), (r"(unclosed", "missing )")])
def test_what_re2_cannot_match_is_refused_with_a_reason(pattern: str, reason: str) -> None:
    problem = pattern_problem(pattern)
    assert problem is not None and reason in problem
    with pytest.raises(PatternError):
        compile_pattern(pattern)
