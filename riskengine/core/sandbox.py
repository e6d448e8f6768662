"""Rendering text that analysts wrote (rule recommendations) in a Jinja2 sandbox.

Rule files are edited by many hands, so their templates get no access to Python internals
(SandboxedEnvironment) and an unknown name is an error rather than silent blank text
(StrictUndefined). Event fields that are unknown (None) read as "unknown". The output is plain
text; briefs escape it for HTML when they render it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from riskengine.core.errors import TemplateError


def _finalize(value: Any) -> Any:
    return "unknown" if value is None else value


@lru_cache(maxsize=1)
def text_environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, finalize=_finalize, keep_trailing_newline=False
    )
    env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, (int, float)) else _finalize(n)
    return env


@lru_cache(maxsize=2048)
def _compiled(source: str) -> Any:
    return text_environment().from_string(source)


def check_text_template(source: str) -> str | None:
    """The syntax error in ``source``, or None when it parses."""
    try:
        text_environment().parse(source)
    except TemplateSyntaxError as exc:
        return f"line {exc.lineno}: {exc.message}"
    return None


def render_text(source: str, context: dict[str, Any]) -> str:
    try:
        return " ".join(_compiled(source).render(**context).split())
    except (UndefinedError, SecurityError, TemplateSyntaxError, TypeError, ValueError) as exc:
        raise TemplateError(f"cannot render {source!r}: {exc}") from None


__all__ = ["check_text_template", "render_text", "text_environment"]
