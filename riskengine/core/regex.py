"""Regular expressions from rule files, matched in linear time.

A rule's ``matches: '(a+)+$'`` against a long note made Python's backtracking ``re`` run for
hours: ``score``, ``rules test`` and ``rules lint`` hung on one event. RE2 (google-re2) matches in
time linear in the text whatever the pattern, at the price of the few constructs that need
backtracking (back-references, look-around), which ``pattern_problem`` names at ``rules check``.

``compile_pattern`` is what every evaluator searches with (case-insensitively, as the rule
language says): the reference evaluator and the durable adapter's Python fallback both do, so a
nested repeat such as ``(a+)+`` is an ordinary pattern here.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Protocol

import re2


class PatternError(ValueError):
    """A pattern RE2 cannot compile (back-references, look-around) or that is not valid syntax."""


class Pattern(Protocol):
    def search(self, text: str) -> Any: ...


def _options() -> Any:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # RE2 would print to stderr; the error is reported by us, located
    return options


@functools.lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> Pattern:
    """``pattern`` compiled by RE2, case-insensitive; PatternError when it cannot be."""
    problem = pattern_problem(pattern)
    if problem is not None:
        raise PatternError(problem)
    return re2.compile(pattern, _options())  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=4096)
def pattern_problem(pattern: object) -> str | None:
    """Why ``pattern`` cannot be used in a rule, or None."""
    if not isinstance(pattern, str):
        return f"expected a string, got {type(pattern).__name__}"
    try:  # a plain syntax error reads best in re's words, which give the position
        re.compile(pattern)
    except re.error as error:
        return str(error)
    try:
        re2.compile(pattern, _options())
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        return f"not supported by the linear-time matcher (RE2): {reason}"
    except (TypeError, ValueError) as error:
        return str(error)
    return None


__all__ = ["Pattern", "PatternError", "compile_pattern", "pattern_problem"]
