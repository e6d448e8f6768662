"""Text from events, made harmless to show.

Event fields are written by whoever produced the feed. A location holding U+202E (right-to-left
override) shows ``Kyiv\\u202egnp.exe`` reversed; ESC ``[2J`` clears the analyst's terminal and an
OSC sequence can retitle it or, on some terminals, write to the clipboard. ``neutralise`` turns
every such character into a visible escape (``\\u202e``, ``\\x1b``) for terminals, error messages
and Markdown/HTML briefs. JSON output keeps the original: it is data, and json escapes it.

Replaced: C0 and C1 controls except newline and tab, DEL, line/paragraph separators, and format
characters (Unicode category Cf: bidi embeddings, overrides and isolates, zero-width spaces,
BOM) except the zero-width (non-)joiners U+200C/U+200D that Persian, Arabic and Indic names need.
"""

from __future__ import annotations

import re

# Categories Cc, Cf, Zl and Zp of Unicode 14.0.0 less newline, tab and
# U+200C/U+200D, written out: scanning all code
# points at import took 1.7 s, and a fixed list gives the same output on every Python.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b\u200e-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def neutralise(text: str) -> str:
    """``text`` with terminal controls and invisible format characters as visible escapes."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


__all__ = ["neutralise"]
