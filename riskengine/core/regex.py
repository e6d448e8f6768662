"""Regular expressions from rule files, matched in linear time.

A rule's ``matches: '(a+)+$'`` against a long note made Python's backtracking ``re`` run for
hours: ``score``, ``rules test`` and ``rules lint`` hung on one event. RE2 (google-re2) matches in
time linear in the text whatever the pattern, at the price of the few constructs that need
backtracking (back-references, look-around), which ``pattern_problem`` names at ``rules check``.

``compile_pattern`` is what every evaluator should search with (case-insensitively, as the rule
language says). Until all of them do, ``pattern_problem`` also refuses nested unbounded
repeats such as ``(a+)+`` or ``(\\w*)*``: harmless under RE2, catastrophic under ``re``.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Protocol

import re2

try:  # the parser re itself uses; private, so checked rather than trusted
    from re import _constants as _sre_constants  # type: ignore[attr-defined]
    from re import _parser as _sre_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11 is not supported anyway
    _sre_parser = _sre_constants = None


class PatternError(ValueError):
    """A pattern RE2 cannot compile, or one that would backtrack without end under ``re``."""


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
def pattern_problem(pattern: str) -> str | None:
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
    nested = _nested_repeat(pattern)
    if nested:
        return f"a repeat inside a repeat ({nested}) can take exponential time to fail"
    return None


def _nested_repeat(pattern: str) -> str | None:
    if _sre_parser is None:
        return None
    try:
        parsed = _sre_parser.parse(pattern)
    except Exception:  # noqa: BLE001 - a pattern re cannot parse is not nested; RE2 judged it
        return None
    repeats = (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT, getattr(_sre_constants, "POSSESSIVE_REPEAT", None))

    maxrepeat = _sre_constants.MAXREPEAT

    # enclosing: the largest count of the repeats around this point (0: none). A repeat that can
    # run more than once inside another is a problem when either of them is unbounded.
    def walk(items: Any, enclosing: int) -> bool:
        for op, value in items:
            children: list[Any] = []
            inner = enclosing
            if op in repeats:
                count = value[1]
                if count > 1 and enclosing > 1 and (count == maxrepeat or enclosing == maxrepeat):
                    return True
                children, inner = [value[2]], max(enclosing, count)
            elif op == _sre_constants.SUBPATTERN:
                children = [value[-1]]
            elif op == _sre_constants.BRANCH:
                children = list(value[1])
            elif op in (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT):
                children = [value[1]]
            if any(walk(child, inner) for child in children):
                return True
        return False

    return "e.g. (a+)+" if walk(parsed, 0) else None


__all__ = ["Pattern", "PatternError", "compile_pattern", "pattern_problem"]
