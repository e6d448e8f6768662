"""Countries as a brief's reader names them. Scores are kept under ISO 3166-1 alpha-3 codes, and
the JSON brief keeps them; a reader of the Markdown, HTML or PDF brief reads "Somalia", not
"SOM", and gets the code beside the name only where it matches a row of the JSON (the region
table)."""

from __future__ import annotations

from riskengine.core.names import country_name


def region_name(code: str) -> str:
    """'SOM' -> 'Somalia', 'USA' -> 'United States' (a label, so no article); a code GeoNames does
    not know stays as it is."""
    return country_name(code, article=False, capital=True)


def region_label(code: str) -> str:
    """'SOM' -> 'Somalia (SOM)': a table row a reader matches with the JSON brief."""
    name = region_name(code)
    return name if name == code else f"{name} ({code})"


def place_in(location: str | None, country: str) -> str:
    """Where an event happened in running text: its location, or 'the United States' when it has
    none (the country standing for the place)."""
    return location or country_name(country)


__all__ = ["place_in", "region_label", "region_name"]
