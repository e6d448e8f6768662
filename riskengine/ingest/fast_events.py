"""A JSON Lines event decoded without building an ``Event``, for readers that need only its
fact row and scoring record (a backtest).

Building the 55-field pydantic model is most of what reading a feed costs: pydantic-core's
``validate_json`` of a line into an ``Event`` took about 11 us, msgspec's decoding of it into a
typed ``Struct`` about 3 (docs/BENCHMARKS.md, "Session 8"). ``FastEvent`` has the attribute
names and value types of ``Event``, so what reads an event's attributes (``FIELDS``' derive
functions, the row projector, the source weight) reads it the same; it is never handed to code
that wants the model (briefs, stores, the external sort keep ``Event``).

``decode_fast`` is the fast path only: it returns a FastEvent only for a line that
``Event.model_validate_json`` accepts with the same values, and None for every line it is not
sure of, which then takes the ``Event`` path (and its errors, rejects files and reports, word for
word). What it cannot be sure of, besides what msgspec refuses (no coercion of "5" or 5.0 to a
whole number, no booleans for numbers, no NaN, only ``YYYY-MM-DD`` dates, unknown keys, lone
surrogates, escaped or not):

* white space that ``Event``'s ``str_strip_whitespace`` strips from its text fields and tags;
* a repeated key: as in ``event_files._fast_event``, the line must hold as many colons, or
  failing that ``":``, as the objects set keys (a key set to ``null`` is not counted, so such a
  line is refused);
* what ``Event``'s validators check (a sub-event type of another event type, more intercepted
  than launched) and change (tags sorted and unique: only tags already so are taken).

tests/test_fast_reader.py is the specification: generated lines and broken variants of them,
fast path against ``Event``.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from itertools import pairwise
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from riskengine.core.events import SUB_EVENT_TYPES, DiplomaticKind, DiplomaticStatus, EventType, Reliability, TargetCategory, Verification

# The constraints of riskengine.core.events, as msgspec spells them. Patterns: Python's ``$``
# also matches before a final newline, pydantic's (Rust) does not, so ``\Z``.
_ISO3 = Annotated[str, Meta(pattern=r"^[A-Z]{3}\Z")]
_Count = Annotated[int, Meta(ge=0, le=999_999_999)]
_NonNegative = Annotated[int, Meta(ge=0)]
# pydantic takes 1e400 as inf, which no bound here stops: such a number is left to it
_Distance = Annotated[float, Meta(ge=0, le=1e300)]
_NonEmpty = Annotated[str, Meta(min_length=1)]

# Fields whose default is not None default to UNSET here, so that a key written with the
# default value still counts as set (see _keys); ``decode_fast`` puts the defaults in.


class FastSource(Struct, forbid_unknown_fields=True, gc=False):
    name: _NonEmpty
    url: str | None = None
    date: dt.date | None = None
    reliability: Reliability | UnsetType = UNSET
    credibility: Annotated[int, Meta(ge=1, le=6)] | UnsetType = UNSET
    document: str | None = None
    title: str | None = None
    relays: str | None = None


class FastSpan(Struct, forbid_unknown_fields=True, gc=False):
    field: _NonEmpty
    article: _NonEmpty
    start: _NonNegative
    end: _NonNegative
    text: str


class FastFigure(Struct, forbid_unknown_fields=True, gc=False):
    field: str
    value: float | int
    source: str
    claimed_by: str | None = None


class FastDerivation(Struct, forbid_unknown_fields=True, gc=False):
    field: _NonEmpty
    value: str | int | float | bool
    method: _NonEmpty
    evidence: str


class FastEvent(Struct, forbid_unknown_fields=True, gc=False):
    """An ``Event``'s fields as decoded from one line (see the module's docstring)."""

    event_id: Annotated[str, Meta(min_length=1, max_length=200)]
    event_date: dt.date
    event_type: EventType
    country: _ISO3
    sources: Annotated[list[FastSource], Meta(min_length=1)]
    sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    admin1: str | None = None
    location: str | None = None
    latitude: Annotated[float, Meta(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Meta(ge=-180, le=180)] | None = None
    geo_precision: Annotated[int, Meta(ge=1, le=3)] | None = None
    fatalities: _Count | UnsetType = UNSET
    notes: str | None = None
    civilian_targeting: bool | UnsetType = UNSET
    initiator_side: str | None = None
    target_side: str | None = None
    target_category: TargetCategory | None = None
    target_name: str | None = None
    injured: _Count | None = None
    hospitalised: _Count | None = None
    drones_launched: _Count | None = None
    drones_intercepted: _Count | None = None
    missiles_launched: _Count | None = None
    missiles_intercepted: _Count | None = None
    aircraft_destroyed: _Count | None = None
    troops: _Count | None = None
    distance_from_border_km: _Distance | None = None
    distance_from_front_km: _Distance | None = None
    distance_to_nato_km: _Distance | None = None
    diplomatic_kind: DiplomaticKind | None = None
    diplomatic_status: DiplomaticStatus | None = None
    scheduled_date: dt.date | None = None
    goldstein: Annotated[float, Meta(ge=-10, le=10)] | None = None
    avg_tone: Annotated[float, Meta(ge=-100, le=100)] | None = None
    num_mentions: _NonNegative | None = None
    num_articles: _NonNegative | None = None
    cameo_code: Annotated[str, Meta(pattern=r"^[0-9]{2,4}\Z")] | None = None
    country_fatalities_30d: _NonNegative | None = None
    country_fatalities_30d_peak_365d: _NonNegative | None = None
    country_fatalities_30d_highest_in_days: Annotated[int, Meta(ge=0, le=1095)] | None = None
    country_admin1_hit_30d: _NonNegative | None = None
    country_armed_groups_30d: _NonNegative | None = None
    verification: Verification | UnsetType = UNSET
    figures: list[FastFigure] | UnsetType = UNSET
    tags: list[str] | UnsetType = UNSET
    derived: list[FastDerivation] | UnsetType = UNSET
    spans: list[FastSpan] | None = None

    @property
    def region(self) -> str:
        return self.country


_decode = msgspec.json.Decoder(FastEvent).decode
_astuple = msgspec.structs.astuple
_FIELD_COUNT = len(FastEvent.__struct_fields__)
_SOURCE_FIELD_COUNT = len(FastSource.__struct_fields__)
_FIGURE_FIELD_COUNT = len(FastFigure.__struct_fields__)

_SPACED_KEY_END = re.compile(rb'"[ \t\r\n]+:')
# Event's free text fields: ``str_strip_whitespace`` strips them (and its tags); its other text
# fields are literals, patterns or checked against a list, which refuse white space anyway, and
# the nested models (sources, figures) keep theirs.
_STRIPPED = operator.attrgetter(
    "event_id", "actor1", "actor2", "admin1", "location", "notes", "initiator_side", "target_side", "target_name"
)
_strip = str.strip


def decode_fast(raw: bytes) -> FastEvent | None:
    """The event on one JSON Lines line (without its escaped surrogates: the caller checks), or
    None when the line must take the ``Event`` path."""
    try:
        event = _decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None
    # Keys given a value: fields not None (most values of a line are None, which count(None)
    # finds by identity), less the defaults put in below.
    keys = _FIELD_COUNT - _astuple(event).count(None)
    for source in event.sources:
        keys += _SOURCE_FIELD_COUNT - _astuple(source).count(None)
        if source.reliability is UNSET:
            source.reliability = "F"
            keys -= 1
        if source.credibility is UNSET:
            source.credibility = 6
            keys -= 1
    if event.fatalities is UNSET:
        event.fatalities = 0
        keys -= 1
    if event.civilian_targeting is UNSET:
        event.civilian_targeting = False
        keys -= 1
    if event.verification is UNSET:
        event.verification = "claimed"
        keys -= 1
    tags = event.tags
    if tags is UNSET:
        event.tags = []
        keys -= 1
    elif tags and (any(a >= b for a, b in pairwise(tags)) or list(map(_strip, tags)) != tags):
        return None  # not sorted, repeated or padded: Event changes them; the Event path does that
    figures = event.figures
    if figures is UNSET:
        event.figures = []
        keys -= 1
    else:
        for figure in figures:
            keys += _FIGURE_FIELD_COUNT - _astuple(figure).count(None)
    if event.derived is UNSET:
        event.derived = []
        keys -= 1
    else:
        keys += 4 * len(event.derived)  # no field of a derivation can be absent or null
    if event.spans:
        keys += 5 * len(event.spans)  # nor of a span
    # As many colons as keys: every key has one, so none is repeated. Otherwise a string holds
    # a colon (a time, a URL): count the key ends, and refuse a key spaced from its colon.
    if raw.count(b":") != keys:
        if raw.count(b'":') != keys:
            return None
        # a key spaced from its colon would hide from that count: it needs white space before
        # a colon (a string holds no raw tab or line end); searched for only where there is some
        spaced = b" :" in raw or b"\t" in raw or b"\r" in raw or raw.find(b"\n", 0, len(raw) - 1) >= 0
        if spaced and _SPACED_KEY_END.search(raw):
            return None
    # White space Event would strip: str.strip() takes all pydantic's (Rust's) trim takes, and
    # more; one C call a field, in map (searching the raw line for it cost three times as much)
    texts = list(filter(None, _STRIPPED(event)))  # "" strips to itself
    if list(map(_strip, texts)) != texts:
        return None
    # Event's model validator
    sub = event.sub_event_type
    if sub is not None and sub not in SUB_EVENT_TYPES[event.event_type]:
        return None
    launched, intercepted = event.drones_launched, event.drones_intercepted
    if launched is not None and intercepted is not None and intercepted > launched:
        return None
    launched, intercepted = event.missiles_launched, event.missiles_intercepted
    if launched is not None and intercepted is not None and intercepted > launched:
        return None
    return event


def share_names(event: FastEvent) -> FastEvent:
    """The event with one object per distinct name (admin1, location, ...), as pydantic-core's
    string cache gives the Event path. For rows that are kept and pickled by the ten thousand (a
    Dask block's): with a copy of each name per row, 40,000 world-feed rows took 31.5 MB and
    pickled to 5.0 MB, against 19.2 and 2.8 MB shared. It costs about 6,700 instructions a line
    (a seventh of decoding), which one process, whose rows go straight to the matcher, does not pay."""
    if len(_SHARED) >= _SHARED_MAX:
        _SHARED.clear()
    names = _ROW_NAMES(event)
    event.sub_event_type, event.admin1, event.location, event.country = map(_share, names, names)
    return event


_SHARED: dict[Any, Any] = {}  # name -> the one object for it
_share: Callable[[Any, Any], Any] = _SHARED.setdefault
_SHARED_MAX = 100_000
# the free-text names a fact row holds (the rules' fields); actors and sides stay on the event
_ROW_NAMES = operator.attrgetter("sub_event_type", "admin1", "location", "country")


__all__ = ["FastEvent", "FastSource", "decode_fast", "share_names"]
