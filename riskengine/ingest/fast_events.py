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
import itertools
import operator
import re
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Annotated, Any

import msgspec
import numpy as np
from msgspec import UNSET, Meta, Struct, UnsetType

from riskengine.core.events import SUB_EVENT_TYPES, DiplomaticKind, DiplomaticStatus, EventType, Reliability, TargetCategory, Verification
from riskengine.core.native import NATIVE as CORE_NATIVE

# The constraints of riskengine.core.events, as msgspec spells them, but for its two patterns
# (country ``^[A-Z]{3}$``, CAMEO code ``^[0-9]{2,4}$``): msgspec tests a pattern by calling
# Python's re, about 2,000 instructions a line, where ``_complete`` tests their characters by
# three C calls. Here they are only lengths.
_ISO3 = Annotated[str, Meta(min_length=3, max_length=3)]
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
    cameo_code: Annotated[str, Meta(min_length=2, max_length=4)] | None = None
    country_fatalities_30d: _NonNegative | None = None
    country_fatalities_30d_peak_365d: _NonNegative | None = None
    country_fatalities_30d_highest_in_days: Annotated[int, Meta(ge=0, le=1095)] | None = None
    country_admin1_hit_30d: _NonNegative | None = None
    country_armed_groups_30d: _NonNegative | None = None
    country_record_start: dt.date | None = None
    country_events_30d: _NonNegative | None = None
    export_lacks: list[str] | None = None
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
    keys = _complete(event, True)
    return event if keys >= 0 and _keys_agree(raw, keys) else None


def decode_lines(lines: Sequence[bytes]) -> list[FastEvent | None]:
    """``decode_fast`` of each of a batch of lines, given without their line ends: the same
    events, and None for the same lines. msgspec decodes them; what ``decode_fast`` checks after
    it runs in C, one call for the batch, where the extension is built (``riskengine.core._native``),
    else in Python (``decode_lines_python``)."""
    if _native is not None:
        return _native.check_lines(lines if type(lines) is list else list(lines), _decode_each(lines))  # type: ignore[no-any-return]
    return decode_lines_python(lines)


def decode_lines_python(lines: Sequence[bytes]) -> list[FastEvent | None]:
    """``decode_lines`` without the extension: the fallback, and the oracle it is tested against.

    What ``decode_fast`` learns by scanning a line's bytes (its colons and key ends, white space
    at either end of a string) is a quarter of its time, a byte at a time in C; here it is
    learnt for the whole batch by a few vectorised passes over the lines joined, and a line is
    looked at alone only where those passes say so:

    * keys: where no white space or control character comes before a colon, every key ends in
      ``":``, so a line holds at least as many ``":`` as keys, and as many only when no key is
      repeated (then ``decode_fast`` agrees). As many in the whole batch means as many on every
      line; otherwise the lines are counted one by one.
    * white space Event would strip: a string can begin or end with it only where a quote has
      a space or a byte of a non-ASCII character beside it, or where the line holds an escape
      (other white space below U+0080 is a control character, which JSON refuses raw).
    """
    count = len(lines)
    if count < 2 or not all(lines):  # an empty line would be a sum over nothing below
        return list(map(decode_fast, lines))
    data = np.frombuffer(b"\n".join(lines), np.uint8)
    colon = data == 58
    quote = data == 34
    space = data == 32
    odd = space | (data >= 128)
    marks = data == 92
    marks[:-1] |= (quote[:-1] & odd[1:]) | (odd[:-1] & quote[1:])
    starts = None
    if marks.any():
        starts = _starts(lines)
        padded = (np.add.reduceat(marks, starts, dtype=np.intp) > 0).tolist()
    else:
        padded = [False] * count
    events = _decode_each(lines)
    keys = list(map(_complete, events, padded))  # -1: refused
    refused = list(itertools.compress(range(count), map(operator.lt, keys, itertools.repeat(0)))) if min(keys) < 0 else []
    if (space[:-1] & colon[1:]).any() or np.count_nonzero(data < 32) != count - 1:
        # white space before a colon (or a line end inside a line): each line as decode_fast does
        agree = list(map(_keys_agree, lines, keys))
    else:
        key_ends = np.zeros(len(data), bool)  # at the quote, which is on the key's line
        key_ends[:-1] = quote[:-1] & colon[1:]
        taken = sum(keys) + len(refused)  # the keys of the lines not refused
        if np.count_nonzero(key_ends) - sum(lines[n].count(b'":') for n in refused) == taken:
            if not refused:
                return events
            agree = [keys_of_line >= 0 for keys_of_line in keys]
        else:
            starts = _starts(lines) if starts is None else starts
            agree = list(map(operator.eq, np.add.reduceat(key_ends, starts, dtype=np.intp).tolist(), keys))
    return [event if ok else None for event, ok in zip(events, agree, strict=True)]


def _starts(lines: Sequence[bytes]) -> Any:
    """Where each line starts in the lines joined by line ends: a line's count of something
    is the sum over it and its line end (which is not what is counted)."""
    starts = np.zeros(len(lines), np.intp)
    np.cumsum(np.fromiter(map(len, lines), np.intp, len(lines))[:-1] + 1, out=starts[1:])
    return starts


def _decode_each(lines: Sequence[bytes]) -> list[FastEvent | None]:
    """msgspec's decoding of each line, None where it fails: one C-level map, resumed past
    each line that fails (list.extend keeps what it took before the error)."""
    events: list[FastEvent | None] = []
    pending = map(_decode, lines)
    while True:
        try:
            events.extend(pending)
        except (msgspec.ValidationError, msgspec.DecodeError):
            events.append(None)
            continue
        break
    if len(events) != len(lines):  # not so in some Python: a line at a time then
        return [_decode_or_none(raw) for raw in lines]
    return events


def _decode_or_none(raw: bytes) -> FastEvent | None:
    try:
        return _decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None


def _keys_agree(raw: bytes, keys: int) -> bool:
    """Whether ``raw`` repeats no key, given the ``keys`` its event sets (-1: refused anyway)."""
    if keys < 0:
        return False
    # As many colons as keys: every key has one, so none is repeated. Otherwise a string holds
    # a colon (a time, a URL): count the key ends, and refuse a key spaced from its colon.
    if raw.count(b":") == keys:
        return True
    if raw.count(b'":') != keys:
        return False
    # a key spaced from its colon would hide from that count: it needs white space before a
    # colon (a string holds no raw tab or line end); searched for only where there is some
    spaced = b" :" in raw or b"\t" in raw or b"\r" in raw or raw.find(b"\n", 0, len(raw) - 1) >= 0
    return not (spaced and _SPACED_KEY_END.search(raw))


def _complete(event: FastEvent | None, padded: bool) -> int:
    """The keys ``event`` was given values for, its defaults put in; -1 where ``decode_fast``
    refuses it for other reasons than its keys (None: msgspec refused the line). ``padded``:
    whether a string of the line may begin or end with white space."""
    if event is None:
        return -1
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
    elif tags and (any(a >= b for a, b in pairwise(tags)) or (padded and list(map(_strip, tags)) != tags)):
        return -1  # not sorted, repeated or padded: Event changes them; the Event path does that
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
    # White space Event would strip: str.strip() takes all pydantic's (Rust's) trim takes, and
    # more; one C call a field, in map (searching the raw line for it cost three times as much)
    if padded:
        texts = list(filter(None, _STRIPPED(event)))  # "" strips to itself
        if list(map(_strip, texts)) != texts:
            return -1
    # the patterns (see _ISO3): ASCII letters all upper case, ASCII digits
    country = event.country
    if not (country.isupper() and country.isalpha() and country.isascii()):
        return -1
    cameo = event.cameo_code
    if cameo is not None and not (cameo.isdigit() and cameo.isascii()):
        return -1
    # Event's model validator
    sub = event.sub_event_type
    if sub is not None and sub not in SUB_EVENT_TYPES[event.event_type]:
        return -1
    launched, intercepted = event.drones_launched, event.drones_intercepted
    if launched is not None and intercepted is not None and intercepted > launched:
        return -1
    launched, intercepted = event.missiles_launched, event.missiles_intercepted
    if launched is not None and intercepted is not None and intercepted > launched:
        return -1
    return keys


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


def _load_native() -> Any:
    """The C checks (``riskengine/core/_native.c``, loaded by ``riskengine.core.native``), set up for
    these structs; None where the extension is not built, or ``RISKENGINE_NATIVE=0`` asks for the
    Python path."""
    if CORE_NATIVE is None:
        return None
    try:
        CORE_NATIVE.setup(FastEvent, FastSource, FastFigure, UNSET, dict(SUB_EVENT_TYPES))
    except (TypeError, AttributeError):
        # a msgspec whose structs no longer keep their fields in object slots: the Python path
        # (tests/test_native.py fails where the suite runs, so that it is seen)
        return None
    return CORE_NATIVE


_native = _load_native()
NATIVE: Any = _native  # the extension, set up for the structs, or None: the readers and scorer read it here


__all__ = ["NATIVE", "FastEvent", "FastSource", "decode_fast", "decode_lines", "decode_lines_python", "share_names"]
