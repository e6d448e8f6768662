"""Weekly totals kept between scores, so that a week's score need not rescore the weeks before it.

A score reads the totals of many weeks before its own: 8 for the trend, and the alerts' N + K + 1
(79 with the bundled profiles), each of which needs the events of its pattern rules' reach
before it (365 days). Over a store holding years of events, that is most of them. But a week's
totals (``scorer.Totals``: points and relief per stakeholder and dimension, firings, events)
depend only on the rules and on the events dated from its first day less the longest pattern
window to its last day, so once computed they hold until an event of that span is added or
revised. The store keeps them per rule pack, week and stakeholder with the store state they were
computed at (``PeriodSource``); ``pipeline.score_dated`` takes the weeks still valid from it and
scores only from the first week that is not (at the latest the first week of the trend, whose
points per region, and the contributions of the window and the week before, the report lists
and the totals do not hold), then hands back the weeks it computed. After a weekly ingest that
is the trend's 12 weeks and a year (the pattern reach) instead of the alerts' 79 weeks and a year.

Only ISO weeks are kept (any other window length would cut periods elsewhere), only with
bounded pattern windows, and only for the durable engine. Totals are kept under the rule pack's
hash and a hash of the code that computes them (every module of core, rules, engine and
scoring), so neither a rule edit nor a new riskengine reads totals it did not compute.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from riskengine.scoring.scorer import Totals

TOTALS_FORMAT = "1"  # the layout of what ``computed`` writes
_CODE = ("core", "rules", "engine", "scoring")  # riskengine's packages that decide a week's totals


def cache_key(rule_pack: str) -> str | None:
    """What kept totals are valid for: the rule pack and the code that scored it (None: the
    code cannot be read, so nothing is kept)."""
    code = _code_hash()
    return None if code is None else f"{rule_pack}:{code}:{TOTALS_FORMAT}"


@functools.cache
def _code_hash() -> str | None:
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    try:
        for package in _CODE:
            for path in sorted((root / package).rglob("*.py")):
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:12]


class PeriodSource(Protocol):
    """Where weekly totals are kept (the event store's ``Snapshot``)."""

    def known_periods(self, key: str, stakeholders: Sequence[str], first: dt.date, last: dt.date) -> dict[dt.date, dict[str, str]]:
        """Per week starting ``first`` .. ``last`` that is still valid for every one of
        ``stakeholders``: each stakeholder's totals as ``computed`` wrote them."""
        ...

    def keep_periods(self, key: str, periods: Mapping[dt.date, Mapping[str, str]]) -> None:
        """Keep these weeks' totals (per stakeholder) as of the state they were read from."""
        ...


def seeded(periods: Mapping[dt.date, Mapping[str, str]]) -> Totals:
    """Totals holding the given periods, for the scorer to add the rest to."""
    totals = Totals()
    for start, by_stakeholder in periods.items():
        period = start.toordinal()
        for stakeholder, text in by_stakeholder.items():
            data = json.loads(text)
            for dimension, value in data["points"].items():
                totals.points[(period, stakeholder, dimension)] = int(value)
            for dimension, value in data["relief"].items():
                totals.relief[(period, stakeholder, dimension)] = int(value)
            if data["firings"]:
                totals.firings[(period, stakeholder)] = int(data["firings"])
            if data["events"]:
                totals.events[period] = int(data["events"])
    return totals


def computed(totals: Totals, starts: Iterable[dt.date], stakeholders: Sequence[str]) -> dict[dt.date, dict[str, str]]:
    """The totals of the periods starting on ``starts``, per stakeholder, as text (``seeded``
    reads it back)."""
    wanted = {start.toordinal(): start for start in starts}
    chosen = set(stakeholders)
    parts: dict[tuple[int, str], dict[str, dict[str, int]]] = {}
    for name, table in (("points", totals.points), ("relief", totals.relief)):
        for (period, stakeholder, dimension), value in table.items():
            if period in wanted and stakeholder in chosen and value:
                parts.setdefault((period, stakeholder), {"points": {}, "relief": {}})[name][dimension] = value
    out: dict[dt.date, dict[str, str]] = {}
    for period, start in wanted.items():
        out[start] = {}
        for stakeholder in stakeholders:
            data = {
                **parts.get((period, stakeholder), {"points": {}, "relief": {}}),
                "firings": totals.firings.get((period, stakeholder), 0),
                "events": totals.events.get(period, 0),
            }
            out[start][stakeholder] = json.dumps(data, sort_keys=True)
    return out


__all__ = ["TOTALS_FORMAT", "PeriodSource", "cache_key", "computed", "seeded"]
