"""The library's error tree.

The library raises these; only ``riskengine.cli.app`` turns them into messages and exit codes. Every
problem carries where it came from so that one line can point an editor at it:
``rules/investor.yaml:14:9: error[E201] rules[id=port-strike].when.all[0].field: unknown event
field 'countrry' (did you mean 'country'?)``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from riskengine.core.text import neutralise


@dataclass(frozen=True, order=True)
class Location:
    """A place in an input file. ``line`` and ``col`` are 1-based; 0 means unknown."""

    file: str = ""
    line: int = 0
    col: int = 0
    yaml_path: str = ""

    def prefix(self) -> str:
        parts = [self.file or "<input>"]
        if self.line:
            parts.append(str(self.line))
            parts.append(str(self.col or 1))
        return ":".join(parts)


@dataclass(frozen=True)
class Issue:
    """One problem found in an input: a rule file, an event file, an article."""

    code: str
    message: str
    location: Location = field(default_factory=Location)
    hint: str | None = None
    severity: str = "error"

    def render(self) -> str:
        path = f" {self.location.yaml_path}:" if self.location.yaml_path else ""
        hint = f" ({self.hint})" if self.hint else ""
        # Messages quote input (ids, values, file names): no terminal escape or bidi override
        # in it may reach the terminal. One line per issue, so newlines and tabs go too.
        line = f"{self.location.prefix()}: {self.severity}[{self.code}]{path} {self.message}{hint}"
        return neutralise(line).replace("\n", "\\n").replace("\t", "\\t")

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.col, self.code, self.message)


class RiskEngineError(Exception):
    """Root of every error the library raises on purpose."""


class InputError(RiskEngineError):
    """Bad input: carries every problem found, sorted by place, not just the first."""

    def __init__(self, issues: Iterable[Issue], summary: str | None = None) -> None:
        self.issues: list[Issue] = sorted(issues, key=Issue.sort_key)
        self.summary = summary or f"{len(self.issues)} problem(s) found"
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(issue.render() for issue in self.issues)


class RuleError(InputError):
    """A rule pack or profile file is invalid."""


class EventError(InputError):
    """One or more events are invalid."""


class TemplateError(RiskEngineError):
    """A brief template is missing or failed to render."""


class EngineLimitError(RiskEngineError):
    """An input exceeds a limit of the matching engine that cannot be worked around."""


class EngineError(RiskEngineError):
    """The matching engine misbehaved (an action failed or results could not be drained)."""


def did_you_mean(word: str, candidates: Sequence[str] | Iterable[str]) -> str | None:
    """The hint for a misspelt name, or None when nothing is close."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else None


__all__ = [
    "EngineError",
    "EngineLimitError",
    "EventError",
    "InputError",
    "Issue",
    "Location",
    "RiskEngineError",
    "RuleError",
    "TemplateError",
    "did_you_mean",
]
