"""What the brief's map and charts share: colours, so a dimension reads the same in both, and
how text from events goes into SVG."""

from __future__ import annotations

from markupsafe import escape

from riskengine.core.text import neutralise

# Okabe-Ito colours: told apart with the common colour-vision deficiencies.
DIMENSION_COLOURS: dict[str, str] = {
    "escalation": "#d55e00",
    "security": "#0072b2",
    "economic": "#e69f00",
    "diplomatic": "#009e73",
    "humanitarian": "#cc79a7",
    "military": "#56b4e9",
}
OTHER_COLOUR = "#6b7280"
ROI_COLOUR = "#1f4e8c"  # the brief's accent: regions of interest

_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def svg_text(value: object) -> str:
    """Text for SVG: XML-escaped, no control or bidi characters, and braces as character
    references, so template syntax in an event never shows as ``{{`` (as render.py does for HTML)."""
    return str(escape(neutralise(str(value)))).translate(_BRACES)
