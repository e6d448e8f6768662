"""ACLED's stand-in tolls, read by the importer (to tag the event) and the briefs (to say so)."""

from __future__ import annotations

import re

# ACLED codes a toll its sources leave unspecified with a stand-in figure (3 for "several", 10 for
# "many", 12 for "dozens") and says so in the notes: "Unspecified number of fatalities coded as
# 3", "(unknown fatalities coded as 10)". The stand-in is what ACLED scores, but no count: a brief
# said "10 killed in Diabaly" and "A bombing killed ten or more people in Diabaly" of an IED whose
# notes read "Significant casualties were reported (unknown fatalities coded as 10)" (Mali
# 2017-W03). Not a total ACLED sums from several reports ("Total fatalities coded as 8") nor a
# claim it passes on ("Claimed fatalities coded as 5").
STAND_IN_TOLL = re.compile(
    r"\b(?:u[n]?specified|unknown|unclear|unconfirmed|undisclosed|dozens\s+of|several)(?:\s+number)?(?:\s+of)?(?:\s+reported)?"
    r"(?:\s+(?:civilian|militant|military|palestinian))?\s+(?:fatalities|casualties|deaths)\s+(?:were\s+)?coded\s+(?:as|at)\s+([0-9]+)\b",
    re.IGNORECASE,
)

__all__ = ["STAND_IN_TOLL"]
