"""ACLED's event types before 2019, mapped to today's (event_type + sub_event_type).

Until version 8 (2019) ACLED coded nine event types with no sub-types: three kinds of battle,
"Remote violence", "Riots/Protests", "Violence against civilians", "Strategic development",
"Non-violent transfer of territory" and "Headquarters or base established" (and before version 5,
"Battle-Rebels overtake territory" and "Non-violent rebel activity", the later names' first ones). ACLED's 2019
recoding maps them as below; where the new sub-type is not in the old row, it is taken from the
actor types (rioters 5, protesters 6) or from the notes when one reading is clear, and left
empty otherwise. The old type is kept as a tag (``acled_type:...``) so a mapping can be checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from riskengine.core.events import EVENT_TYPES, SUB_EVENT_TYPES

# Old type (normalised: lower case, single spaces, no spaces around dashes) -> (type, sub-type)
# when the sub-type follows from the type alone; None for the types read further below.
OLD_TYPES: dict[str, tuple[str, str | None] | None] = {
    "battle-no change of territory": ("Battles", "Armed clash"),
    "battle-government regains territory": ("Battles", "Government regains territory"),
    "battle-non-state actor overtakes territory": ("Battles", "Non-state actor overtakes territory"),
    "battle-non-state actors overtake territory": ("Battles", "Non-state actor overtakes territory"),
    "battles-no change of territory": ("Battles", "Armed clash"),
    # ACLED's first versions (Africa 1997-2012, the Asia pilot 2008-10), renamed in version 5
    "battle-rebels overtake territory": ("Battles", "Non-state actor overtakes territory"),
    "battle-rebels overtook territory": ("Battles", "Non-state actor overtakes territory"),
    "non-violent rebel activity": ("Strategic developments", None),
    "non-violent activity by a conflict actor": ("Strategic developments", None),
    "remote violence": None,
    "riots/protests": None,
    "violence against civilians": None,
    "strategic development": ("Strategic developments", None),
    "strategic developments": ("Strategic developments", None),
    "non-violent transfer of territory": ("Strategic developments", "Non-violent transfer of territory"),
    "headquarters or base established": ("Strategic developments", "Headquarters or base established"),
}

# Remote violence: the weapon named in the notes, when exactly one kind is named.
_WEAPONS = (
    ("Air/drone strike", re.compile(r"\b(?:air ?strikes?|aerial (?:strikes?|bombard\w*|attacks?)|arial strikes?|air raids?|drone strikes?|warplanes?|fighter jets?|jet fighters?|military (?:jets?|planes?|aircraft)|helicopter gunships?|gunships?)\b", re.I)),
    ("Shelling/artillery/missile attack", re.compile(r"\b(?:shell(?:s|ed|ing)?|artillery|mortars?|rockets?|missiles?|grads?)\b", re.I)),
    ("Remote explosive/landmine/IED", re.compile(r"\b(?:IEDs?|VBIEDs?|landmines?|land mines?|mines?|roadside bombs?|car bombs?|explosive devices?|improvised explosive|(?:homemade|home-made|planted|time|remote[- ]controlled|underground) bombs?|bombs? (?:exploded|went off|blasted|detonated))\b", re.I)),
    ("Suicide bomb", re.compile(r"\bsuicide\b", re.I)),
    ("Grenade", re.compile(r"\bgrenades?\b", re.I)),
    ("Chemical weapon", re.compile(r"\b(?:chemical weapons?|chlorine|sarin|mustard gas)\b", re.I)),
)
_ABDUCTION = re.compile(r"\b(?:abduct\w*|kidnap\w*|disappear\w*|hostages?)\b", re.I)
_SEXUAL = re.compile(r"\b(?:rape[ds]?|raping|sexual(?:ly)? (?:assault|violence|abuse)\w*)\b", re.I)


def _key(text: str) -> str:
    return re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", text.strip().lower()))


def _code(row: Mapping[str, str], name: str) -> str:
    """An inter code as its digit, whether the export writes '6' or 'Protesters'."""
    text = (row.get(name) or "").strip()
    words = {"state forces": "1", "rebel group": "2", "political militia": "3", "identity militia": "4",
             "rioters": "5", "protesters": "6", "civilians": "7", "external/other forces": "8"}  # fmt: skip
    return words.get(text.lower(), text)


def _remote_violence(notes: str) -> str | None:
    found = [sub for sub, pattern in _WEAPONS if pattern.search(notes)]
    if "Suicide bomb" in found:  # a suicide bombing names its explosive too
        return "Suicide bomb"
    return found[0] if len(found) == 1 else None


def _riot_or_protest(row: Mapping[str, str]) -> tuple[str, str | None]:
    inter1, inter2 = _code(row, "inter1"), _code(row, "inter2")
    fatalities = (row.get("fatalities") or "0").strip()
    deaths = fatalities not in ("", "0")
    if "6" in (inter1, inter2) and "5" not in (inter1, inter2):
        # Protesters met by state forces: intervention, or excessive force if anyone died.
        if "1" in (inter1, inter2) or "8" in (inter1, inter2):
            return "Protests", "Excessive force against protesters" if deaths else "Protest with intervention"
        return "Protests", "Peaceful protest"
    if "5" in (inter1, inter2):
        # Rioters against civilians, other rioters or nobody named: mob violence; against
        # authorities: a violent demonstration.
        other = inter2 if inter1 == "5" else inter1
        return "Riots", "Mob violence" if other in ("5", "7", "4", "3") else "Violent demonstration"
    return "Protests", None


def map_event_type(row: Mapping[str, str]) -> tuple[str | None, str | None, str | None]:
    """(event_type, sub_event_type, old type or None) for one row, in today's taxonomy."""
    raw = (row.get("event_type") or "").strip()
    sub = (row.get("sub_event_type") or "").strip() or None
    if raw == "Violence against civilians" and "sub_event_type" not in row:
        key = "violence against civilians"  # an old export: no sub-types were coded yet
    elif raw in EVENT_TYPES:
        return raw, sub, None
    else:
        key = _key(raw)
    for current in EVENT_TYPES:  # today's names in another case or spacing
        if _key(current) == key and key != "violence against civilians":
            return current, sub, None
    if key not in OLD_TYPES:
        return raw or None, sub, None
    mapped = OLD_TYPES[key]
    notes = row.get("notes") or ""
    if mapped is not None:
        new_type, new_sub = mapped
    elif key == "remote violence":
        new_type, new_sub = "Explosions/Remote violence", _remote_violence(notes)
    elif key == "riots/protests":
        new_type, new_sub = _riot_or_protest(row)
    else:  # violence against civilians: an attack unless the notes say abduction or rape
        new_type = "Violence against civilians"
        new_sub = "Sexual violence" if _SEXUAL.search(notes) else "Abduction/forced disappearance" if _ABDUCTION.search(notes) else "Attack"
    if sub is not None and sub in SUB_EVENT_TYPES[new_type]:
        new_sub = sub  # an old row that already carries a current sub-type keeps it
    return new_type, new_sub, raw
