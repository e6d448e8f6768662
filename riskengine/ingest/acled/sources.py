"""What an ACLED row's ``source`` column vouches for: each report's Admiralty grade, and whether
the event is confirmed.

ACLED codes an event from the reports it names in ``source`` (``;``-separated); its researchers
vet those reports but do not confirm each event independently. So:

- Every named report keeps credibility 2 (probably true: reviewed by ACLED, not confirmed), with
  the reliability ``source_scale`` implies (its best part; rows.SCALE_RELIABILITY).
- A warring party's or a state body's own channel ("Ministry of Defence of Ukraine", "DPR Armed
  Forces Press Service", "Israeli Defense Forces", "Police of ...") is a claimant, not a witness:
  credibility 3 (possibly true), and it never corroborates (the Admiralty practice in
  ../shared/DOMAIN.md: a party's claim stays low until others confirm it).
- The event is ``confirmed`` when two or more *independent* outlets name it: distinct names,
  party channels left out, and bare platform or anonymous names ("Twitter", "Telegram",
  "Local Source", "Undisclosed Source") counted together as one, since two unnamed accounts may
  be one. Otherwise ``claimed``: one outlet's report, however carefully ACLED coded it.

The agreement of outlets is said once, by ``verification``; the grades stay per report, because
the score's source weight already combines distinct outlets (noisy-or: two B2 reports weigh
0.87, one 0.64), and raising each to credibility 1 would count the same agreement twice.
``verification`` is recorded in the event's ``derived`` with the names it was read from.
"""

from __future__ import annotations

import datetime as dt
import re

from riskengine.core.events import Derivation, Source

# Source reliability implied by ACLED's source_scale; a combination takes its best part. "Local"
# is an older export's word for local outlets (Mali 2017-19: 211 rows, 'Local' or 'Other-Local', graded F
# before as no key matched).
SCALE_RELIABILITY = {
    "international": "B", "national": "B", "regional": "C", "subnational": "C", "local partner": "C", "local": "C",
    "new media": "D", "other": "F",
}  # fmt: skip
REPORT_CREDIBILITY = 2
PARTY_CREDIBILITY = 3
# A party's or a state body's own channel: ministries of defence and the interior, general staffs,
# armed forces, militias' and commands' press services, police, border guards.
_PARTY = re.compile(
    r"\b(?:ministry of (?:defen[cs]e|(?:the )?interior|internal affairs)|mod|general staff|armed forces|defen[cs]e forces|"
    r"military|army|militia|press (?:service|centre|center|office)|operational command|joint forces operation|jfo|"
    r"police|border guard|national guard|idf)\b",
    re.IGNORECASE,
)
# A platform (not an outlet): new media whatever else the row's source_scale names.
_PLATFORM = re.compile(r"^(?:twitter|x|telegram|facebook|whatsapp|youtube|instagram|tiktok|vk|vkontakte|social media)$", re.IGNORECASE)
# Names of a platform or of an anonymous source, not of an outlet.
_UNNAMED = re.compile(
    r"^(?:twitter|x|telegram|facebook|whatsapp|youtube|instagram|tiktok|vk|vkontakte|social media|"
    r"local sources?|local network|undisclosed sources?|unknown|other|acled)$",
    re.IGNORECASE,
)


def report_names(source: str) -> list[str]:
    """The distinct names of ``source`` (``;``-separated), first spelling kept, in file order."""
    names: dict[str, str] = {}
    for part in source.split(";"):
        name = part.strip()
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


def is_party(name: str) -> bool:
    return bool(_PARTY.search(name))


def grade_sources(row: dict[str, str], date: dt.date | None) -> tuple[list[Source], str, Derivation]:
    """The row's sources graded, its verification, and how that verification was derived."""
    # Each part of "Subnational-National" whole: "national" is inside "subnational" and
    # "international", so a search for it graded every subnational outlet as a national one.
    parts = (" ".join(p.split()) for p in re.split(r"[-/;,]", (row.get("source_scale") or "").lower()))
    grades = [SCALE_RELIABILITY[p] for p in parts if p in SCALE_RELIABILITY]
    reliability = min(grades) if grades else "F"
    names = report_names(row.get("source") or "")
    parties = [n for n in names if is_party(n)]
    unnamed = [n for n in names if n not in parties and _UNNAMED.match(n)]
    outlets = [n for n in names if n not in parties and n not in unnamed]
    independent = len(outlets) + (1 if unnamed else 0)
    verification = "confirmed" if independent >= 2 else "claimed"
    # The row's scale is its best part ("New media-National"); a platform it names is the new
    # media part, never better (the Niger 2019-20 export graded Twitter and WhatsApp B beside RFI).
    platform = max(reliability, SCALE_RELIABILITY["new media"])
    sources = [
        Source(
            name=n,
            date=date,
            reliability=platform if _PLATFORM.match(n) else reliability,
            credibility=PARTY_CREDIBILITY if n in parties else REPORT_CREDIBILITY,
        )
        for n in sorted(names or ["ACLED"])
    ]
    said = [f"outlets: {', '.join(outlets)}" if outlets else "no named outlet"]
    if unnamed:
        said.append(f"platforms or unnamed, counted as one: {', '.join(unnamed)}")
    if parties:
        said.append(f"party channels, which do not corroborate: {', '.join(parties)}")
    evidence = f"source: {'; '.join(names) or '(none)'} ({'; '.join(said)})"
    counted = f"{independent} independent outlet{'' if independent == 1 else 's'}"
    method = f"ACLED source column: {counted}; {'two or more confirm' if independent >= 2 else 'one report is a claim'}"
    return sources, verification, Derivation(field="verification", value=verification, method=method, evidence=evidence)


__all__ = ["SCALE_RELIABILITY", "grade_sources", "is_party", "report_names"]
