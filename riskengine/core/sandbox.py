"""Rendering text that analysts wrote (rule recommendations, brief templates) in a Jinja2 sandbox.

Rule files are edited by many hands, so their templates get no access to Python internals
(ImmutableSandboxedEnvironment: no ``__class__``, no ``list.append``) and an unknown name is an
error rather than silent blank text (StrictUndefined). Event fields that are unknown (None) read
as "unknown". The output is plain text; briefs escape it for HTML when they render it.

The sandbox stops code from escaping, not from exhausting the machine: ``{{ 'x' * 10**9 }}``,
``{{ 7**99999999 }}`` or three nested ``range(1000)`` loops were each enough to hang a run or eat
its memory. ``LimitedSandbox`` bounds what one template may build:

* ``*``, ``**`` and ``%`` are intercepted (which also stops Jinja folding them at compile time,
  where ``7**99999999`` used to hang ``rules check``): a string or list result may hold at most
  MAX_TEXT items, a power at most MAX_POWER_BITS bits;
* ``range`` takes at most MAX_RANGE items and every item counts against a per-render budget
  (MAX_LOOP), so nested loops stop too; ``lipsum`` is gone;
* widths passed to ``center``/``indent``/``format`` and format specs are at most MAX_TEXT;
* the output is at most ``max_output`` characters, recursion is an error, and a render has
  RENDER_SECONDS of wall-clock time (main thread only: it uses SIGALRM) for what slips through.

Breaking a limit raises TemplateLimit (a SecurityError, so callers already turn it into
TemplateError). ``unsafe_template_problems`` finds, without rendering, what is sure to be refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import operator
import os
import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from riskengine.core.errors import Issue, Location, TemplateError
from riskengine.core.names import country_name, day_said, display_name, display_names

MAX_TEXT = 100_000
MAX_POWER_BITS = 4_096
MAX_RANGE = 10_000
MAX_LOOP = 1_000_000
RENDER_SECONDS = 5.0
MAX_TEXT_OUTPUT = 20_000  # one recommendation
MAX_BRIEF_OUTPUT = 20_000_000  # one brief


class TemplateLimit(SecurityError):
    """A template tried to build more than the sandbox allows."""


def _limit(message: str) -> TemplateLimit:
    return TemplateLimit(f"error[E317] {message}")


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None


def _check_repeat(left: Any, right: Any) -> None:
    for seq, count in ((left, right), (right, left)):
        size = _size(seq)
        if size is not None and isinstance(count, (int, float)) and not isinstance(count, bool) and count > 0 and size * count > MAX_TEXT:
            raise _limit(f"a text or list of {size} x {count:g} items is longer than {MAX_TEXT}")


def _check_power(base: Any, exponent: Any) -> None:
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (base, exponent)):
        return
    if isinstance(base, float) or isinstance(exponent, float):
        return  # floats overflow (OverflowError) instead of growing
    if abs(base) > 1 and exponent > 0 and abs(base).bit_length() * exponent > MAX_POWER_BITS:
        raise _limit(f"{base}**{exponent} is larger than {MAX_POWER_BITS} bits")


_WIDTHS = re.compile(r"\d+")


def _check_format(spec: Any) -> None:
    if isinstance(spec, str):
        for digits in _WIDTHS.findall(spec):
            if len(digits) > 6 or int(digits) > MAX_TEXT:
                raise _limit(f"a width or precision of {digits[:12]} in a format is above {MAX_TEXT}")


def _check_width(width: Any) -> None:
    if isinstance(width, (int, float)) and not isinstance(width, bool) and width > MAX_TEXT:
        raise _limit(f"a width of {width:g} is above {MAX_TEXT}")
    if isinstance(width, str) and len(width) > MAX_TEXT:
        raise _limit(f"an indent of {len(width)} characters is above {MAX_TEXT}")


def _guarded_binop(op: str, left: Any, right: Any) -> Any:
    if op == "*":
        _check_repeat(left, right)
    elif op == "**":
        _check_power(left, right)
    elif op == "%" and isinstance(left, str):
        _check_format(left)
    try:
        return _BINOPS[op](left, right)
    except OverflowError as error:
        raise _limit(f"{op} overflows: {error}") from None


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "**": operator.pow, "%": operator.mod,
}

# Per render (the outermost concat): items ``range`` may still hand out, and whether a deadline runs.
_state = threading.local()


def _take(count: int) -> None:
    left = getattr(_state, "budget", MAX_LOOP) - count
    _state.budget = left
    if left < 0:
        raise _limit(f"the template's loops ran more than {MAX_LOOP} times")


def _range(*args: Any) -> Iterator[int]:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise _limit(f"range of {len(numbers)} items is above {MAX_RANGE}")

    def counted() -> Iterator[int]:
        for number in numbers:
            _take(1)
            yield number

    return counted()


class _Deadline(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Deadline


@contextlib.contextmanager
def _render_guard() -> Iterator[None]:
    """Budget and deadline for the outermost render; nested concats (macros, blocks) share them."""
    if getattr(_state, "active", False):
        yield
        return
    _state.active, _state.budget = True, MAX_LOOP
    timed = threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    if timed:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, RENDER_SECONDS)
    try:
        yield
    except _Deadline:
        raise _limit(f"rendering took longer than {RENDER_SECONDS:g} s") from None
    except RecursionError:
        raise _limit("the template recurses without end") from None
    except MemoryError:
        raise _limit("the template needs more memory than there is") from None
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
        _state.active = False


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment with bounded operators, loops, widths, output and time."""

    intercepted_binops = frozenset({"*", "**", "%"})
    max_output = MAX_BRIEF_OUTPUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)
        self.globals["range"] = _range
        for name in ("center", "indent", "wordwrap", "truncate"):
            self.filters[name] = _width_checked(self.filters[name])
        self.filters["format"] = _format_checked(self.filters["format"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return _guarded_binop(operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # __self: Jinja's signature
        if getattr(__obj, "__self__", None).__class__ is str:
            for value in (*args, *kwargs.values()):
                _check_width(value)
                _check_format(value) if getattr(__obj, "__name__", "") in ("format", "format_map") else None
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        if getattr(value, "__self__", None).__class__ is str:
            _check_format(value.__self__)
        return super().wrap_str_format(value)

    def concat(self, chunks: Iterable[str]) -> str:
        with _render_guard():
            parts: list[str] = []
            total = 0
            for chunk in chunks:
                total += len(chunk)
                if total > self.max_output:
                    raise _limit(f"the output is longer than {self.max_output} characters")
                parts.append(chunk)
            return "".join(parts)


def _width_checked(func: Callable[..., Any]) -> Callable[..., Any]:
    def checked(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[1:], *kwargs.values()):
            _check_width(value)
        return func(*args, **kwargs)

    for attr in ("jinja_pass_arg",):
        if hasattr(func, attr):
            setattr(checked, attr, getattr(func, attr))
    return checked


def _format_checked(func: Callable[..., Any]) -> Callable[..., Any]:
    def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        _check_format(value)
        return func(value, *args, **kwargs)

    return checked


class ConfinedLoader(FileSystemLoader):
    """A FileSystemLoader that keeps to its folders: a symlink pointing out of one (a template
    that pulled /etc/passwd into a brief) and a file that is not UTF-8 are refused (E318)."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        for root in self.searchpath:
            candidate = os.path.join(root, *template.split("/"))
            if not os.path.lexists(candidate):
                continue
            real, base = os.path.realpath(candidate), os.path.realpath(root)
            if os.path.commonpath([real, base]) != base:
                raise TemplateError(Issue("E318", f"template {template} points outside {root} (to {real})", Location(candidate)).render())
            if not os.path.isfile(real):
                raise TemplateError(Issue("E318", f"template {template} is not a regular file", Location(candidate)).render())
            try:
                return super().get_source(environment, template)
            except UnicodeDecodeError as error:
                raise TemplateError(Issue("E318", f"template {template} is not UTF-8 text ({error.reason})", Location(candidate)).render()) from None
            except OSError as error:
                raise TemplateError(Issue("E318", f"cannot read template {template}: {error.strerror}", Location(candidate)).render()) from None
        raise TemplateNotFound(template)


def _finalize(value: Any) -> Any:
    return "unknown" if value is None else value


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _day(value: Any) -> Any:
    day = _date(value)
    return day_said(day) if day is not None else _finalize(value)


def _ordinal(value: Any) -> int:
    day = _date(value)
    return day.toordinal() if day is not None else 0


class _TextSandbox(LimitedSandbox):
    max_output = MAX_TEXT_OUTPUT


@lru_cache(maxsize=1)
def text_environment() -> LimitedSandbox:
    env = _TextSandbox(undefined=StrictUndefined, autoescape=False, finalize=_finalize, keep_trailing_newline=False)
    env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, (int, float)) else _finalize(n)
    # Actor and site names as prose reads them ("the European Union"): riskengine/core/names.py
    env.filters["name"] = display_name
    env.filters["names"] = display_names
    env.filters["country"] = country_name
    # a date as the briefs write it, "1 January 2022" ("where the record began"), and as a day
    # number, so that a template can count days between two (the event reaches templates as
    # JSON: its dates are ISO strings)
    env.filters["day"] = _day
    env.filters["ordinal"] = _ordinal
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


# Names a template could use to reach Python internals or build without bound.
_UNSAFE_NAMES = frozenset({"lipsum"})


def _constant(node: nodes.Node) -> Any:
    """The value of a constant expression, computed under the same limits as at run time."""
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, (nodes.List, nodes.Tuple)):
        return [_constant(item) for item in node.items]
    if isinstance(node, nodes.Neg):
        return -_constant(node.node)
    if isinstance(node, nodes.BinExpr):
        return _guarded_binop(node.operator, _constant(node.left), _constant(node.right))
    raise LookupError


def unsafe_template_problems(tree: nodes.Template) -> list[str]:
    """What in a parsed template is sure to be refused or to escape the limits, found without
    rendering it: attributes beginning with '_', operations on constants beyond the limits,
    ``range`` of more than MAX_RANGE items, over-wide constant widths and formats."""
    problems: list[str] = []
    for access in tree.find_all((nodes.Getattr, nodes.Getitem)):
        attr: object = None
        if isinstance(access, nodes.Getattr):
            attr = access.attr
        elif isinstance(access, nodes.Getitem) and isinstance(access.arg, nodes.Const):
            attr = access.arg.value
        if isinstance(attr, str) and attr.startswith("_"):
            problems.append(f"'{attr}' reaches into Python internals")
    for binary in tree.find_all(nodes.BinExpr):
        with contextlib.suppress(LookupError, TypeError, ValueError, ZeroDivisionError, ArithmeticError):
            try:
                _constant(binary)
            except TemplateLimit as limit:
                problems.append(str(limit).removeprefix("error[E317] "))
    for call in tree.find_all((nodes.Call, nodes.Filter)):
        if not isinstance(call, (nodes.Call, nodes.Filter)):  # find_all is typed as any Node
            continue
        name = call.node.name if isinstance(call, nodes.Call) and isinstance(call.node, nodes.Name) else getattr(call, "name", None)
        args = list(call.args) + [kw.value for kw in call.kwargs]
        values: list[Any] = []
        for arg in args:
            with contextlib.suppress(LookupError, TypeError, ValueError, ArithmeticError, TemplateLimit):
                values.append(_constant(arg))
        try:
            if name == "range" and isinstance(call, nodes.Call) and values and len(values) == len(args):
                _range(*values)
            elif name in ("center", "indent", "wordwrap", "truncate"):
                for value in values:
                    _check_width(value)
            elif name == "format" and isinstance(call, nodes.Filter) and call.node is not None:
                with contextlib.suppress(LookupError, TypeError, ValueError, ArithmeticError):
                    _check_format(_constant(call.node))
        except TemplateLimit as limit:
            problems.append(str(limit).removeprefix("error[E317] "))
        except (TypeError, ValueError):
            pass
    return list(dict.fromkeys(problems))


def render_text(source: str, context: dict[str, Any]) -> str:
    try:
        return " ".join(_compiled(source).render(**context).split())
    except (UndefinedError, SecurityError, TemplateSyntaxError, TypeError, ValueError, ArithmeticError) as exc:
        raise TemplateError(f"error[E317] cannot render {source[:200]!r}: {str(exc).removeprefix('error[E317] ')}") from None


__all__ = [
    "ConfinedLoader",
    "LimitedSandbox",
    "TemplateLimit",
    "check_text_template",
    "render_text",
    "text_environment",
    "unsafe_template_problems",
]
