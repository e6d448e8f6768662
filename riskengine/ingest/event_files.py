"""Reading events from YAML, JSON and JSON Lines, with a located Issue for every bad record.

Formats, by file suffix:

* ``.yaml``/``.yml``: a list of events, or a mapping ``{events: [...]}``;
* ``.json``: the same shapes in JSON;
* ``.jsonl``/``.ndjson``: one event object per line, read line by line (``stream_events``
  yields lists of at most ``chunk_size`` events, so memory does not grow with the input).

Every problem names the file, the line of the record (the JSONL line, the YAML line of the key
when known, the line where the JSON record starts), the field and the reason:

    data/events.jsonl:12:1: error[E204] events[event_id=UKR148710].fatalities: expected a whole number, got 'many'

By default every problem is collected and an EventError raised at the end. With
``skip_invalid=True`` a bad record is left out, counted, and (given ``rejects_path``) written to
a JSON Lines rejects file, one ``{"file", "line", "record", "errors"}`` object per record; the
file is replaced atomically when reading ends. Nothing is dropped without being counted.

``read_events`` also applies ACLED's upsert rule: a record whose ``event_id`` was already read
replaces the earlier one (in its place), and ``ReadReport.replaced`` counts how many did.
``stream_events`` cannot take back what it has yielded, so it leaves duplicates to the caller.
"""

from __future__ import annotations

import itertools
import json
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from riskengine.core.errors import EventError, Issue, Location
from riskengine.core.events import Event
from riskengine.core.fileio import atomic_writer
from riskengine.core.source import Document, YamlPath, describe_value, load_yaml_file, read_text, render_path, validation_issues
from riskengine.ingest.fast_events import FastEvent, decode_lines

DEFAULT_CHUNK_SIZE = 5_000
# An event is a few KiB; a longer line is not one (and is never held whole).
MAX_LINE_BYTES = 16 << 20
# The light reader reads this much of a file at a time and checks its lines together
# (fast_events.decode_lines): about 110 lines of a generated feed. Its passes make a few
# arrays of this size, which stay in the processor's cache: with blocks of 1 MiB reading
# took 7.6 us a line, with 64 KiB 5.5 (the same instructions).
READ_BLOCK_BYTES = 64 << 10
_BOM = b"\xef\xbb\xbf"
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Issues kept for the report: a file of a million bad lines must not fill memory with messages.
MAX_ISSUES = 1_000

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass
class ReadReport:
    """What reading did: counts, and the first MAX_ISSUES issues of rejected records."""

    files: int = 0
    records: int = 0
    accepted: int = 0
    rejected: int = 0
    replaced: int = 0
    rejects_path: Path | None = None
    issues: list[Issue] = field(default_factory=list)
    issue_count: int = 0

    def keep(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.issue_count += 1
            if len(self.issues) < MAX_ISSUES:
                self.issues.append(issue)


@dataclass
class EventRead:
    """Events read by ``read_events`` (duplicates already replaced) and the report."""

    events: list[Event]
    report: ReadReport

    @property
    def rejected(self) -> int:
        return self.report.rejected

    @property
    def replaced(self) -> int:
        return self.report.replaced


@dataclass
class _Record:
    """One raw record and how to place a problem inside it."""

    file: str
    index: int
    line: int
    col: int
    data: Any
    locate: Callable[[YamlPath, bool], Location]
    issues: list[Issue] = field(default_factory=list)

    def render(self, path: YamlPath) -> str:
        return render_path(self.data, path, prefix=self.prefix())

    def prefix(self) -> str:
        ident = self.data.get("event_id") if isinstance(self.data, dict) else None
        if isinstance(ident, (str, int)) and not isinstance(ident, bool) and str(ident).strip():
            return f"events[event_id={str(ident).strip()}]"
        return f"events[{self.index}]"


def _fixed(file: str, line: int, col: int) -> Callable[[YamlPath, bool], Location]:
    def locate(path: YamlPath, key: bool) -> Location:
        return Location(file, line, col)

    return locate


def _validate(record: _Record) -> Event | list[Issue]:
    issues = list(record.issues)
    if not isinstance(record.data, dict):
        if issues:  # a line that is not JSON: saying it is not a mapping would add nothing
            return issues
        issues.append(
            Issue(
                "E204",
                f"an event is a mapping of fields, got {describe_value(record.data)}",
                Location(record.file, record.line, record.col, record.prefix()),
            )
        )
        return issues
    surrogate = _surrogate_path(record.data, ())
    if surrogate is not None:
        # not Unicode text: it cannot be written as UTF-8 anywhere downstream
        at = record.locate(surrogate, False)
        where = Location(at.file, at.line, at.col, record.render(surrogate))
        issues.append(Issue("E204", "text holds a lone surrogate (\\ud800-\\udfff), which is not a character", where))
        return issues
    try:
        event = Event.model_validate(record.data)
    except ValidationError as error:
        return issues + validation_issues(error, Event, record.data, record.locate, record.render)
    return issues or event


def events_from_mappings(items: Iterable[Any], source: str = "<events>") -> list[Event]:
    """Events given as Python data (dicts, or Events as they are), validated as event files
    are: EventError listing every problem, placed as ``<events>:N:1 events[N-1].field`` (N
    counts the items from 1)."""
    events: list[Event] = []
    issues: list[Issue] = []
    for index, item in enumerate(items):
        if isinstance(item, Event):
            events.append(item)
            continue
        data = dict(item) if isinstance(item, Mapping) else item
        checked = _validate(_Record(source, index, index + 1, 1, data, _fixed(source, index + 1, 1)))
        if isinstance(checked, Event):
            events.append(checked)
        else:
            issues.extend(checked)
    if issues:
        raise EventError(issues)
    return events


def _surrogate_path(value: Any, path: YamlPath) -> YamlPath | None:
    if isinstance(value, str):
        return path if _LONE_SURROGATE.search(value) else None
    if isinstance(value, dict):
        items: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and _LONE_SURROGATE.search(key):
            return (*path, key)
        found = _surrogate_path(item, (*path, key))
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------------------------------------
# Records of each format. Each yields _Record or, for problems with the whole file, Issue.


def _yaml_records(path: Path, shown: str) -> Iterator[_Record | Issue]:
    doc, _raw, issues = load_yaml_file(path, shown)
    if doc is None:
        yield from issues
        return
    # Duplicate keys do not stop parsing: attach each to the record it is in.
    by_record: dict[int, list[Issue]] = {}
    top_issues: list[Issue] = []
    items, base = _top_level(doc.data, doc, shown, top_issues)
    for issue in issues:
        index = _record_of(doc, base, issue)
        if index is None:
            top_issues.append(issue)
        else:
            by_record.setdefault(index, []).append(issue)
    yield from top_issues
    for index, data in enumerate(items):
        mark = doc.mark((*base, index))

        def locate(path: YamlPath, key: bool, _at: YamlPath = (*base, index), _doc: Document = doc) -> Location:
            return _doc.location(_at + tuple(path), key=key, yaml_path="")

        yield _Record(shown, index, mark.line, mark.col, data, locate, by_record.get(index, []))


def _record_of(doc: Document, base: YamlPath, issue: Issue) -> int | None:
    """The index of the record whose lines hold ``issue`` (records are in line order)."""
    found = None
    for path, span in doc.marks.items():
        at_record = len(path) == len(base) + 1 and path[: len(base)] == base and isinstance(path[-1], int)
        if at_record and span.value.line <= issue.location.line and (found is None or path[-1] > found):
            found = path[-1]
    return found


def _top_level(data: Any, doc: Document | None, shown: str, issues: list[Issue]) -> tuple[list[Any], YamlPath]:
    where = doc.location((), yaml_path="") if doc is not None else Location(shown, 1, 1)
    if isinstance(data, list):
        return data, ()
    if isinstance(data, dict) and "events" in data:
        for key in data:
            if key != "events":
                at = doc.location((key,), key=True, yaml_path=str(key)) if doc is not None else where
                issues.append(Issue("E202", f"unknown key '{key}'", at, "an event file has one key: events"))
        if isinstance(data["events"], list):
            return data["events"], ("events",)
        if data["events"] is None:
            return [], ("events",)
        at = doc.location(("events",), yaml_path="events") if doc is not None else where
        issues.append(Issue("E204", f"expected a list of events, got {describe_value(data['events'])}", at))
        return [], ("events",)
    if data is None:
        return [], ()
    issues.append(
        Issue("E204", f"an event file is a list of events or a mapping with 'events:', got {describe_value(data)}", where)
    )
    return [], ()


class _DuplicateKeys:
    """object_pairs_hook that notes duplicate keys (JSON leaves them undefined; we refuse them)."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                self.found.append(key)
                continue
            result[key] = value
        return result

    def issues(self, file: str, line: int, col: int) -> list[Issue]:
        found, self.found = self.found, []
        return [Issue("E102", f"duplicate key '{key}'", Location(file, line, col)) for key in found]


_WS = re.compile(r"[ \t\n\r]*")


class _Lines:
    """Line and column of positions met in increasing order, in linear time overall."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0

    def __call__(self, pos: int) -> tuple[int, int]:
        if pos < self.pos:
            self.pos, self.line, self.line_start = 0, 1, 0
        self.line += self.text.count("\n", self.pos, pos)
        newline = self.text.rfind("\n", self.pos, pos)
        if newline >= 0:
            self.line_start = newline + 1
        self.pos = pos
        return self.line, pos - self.line_start + 1


def _json_records(path: Path, shown: str) -> Iterator[_Record | Issue]:
    text, _raw, issues = read_text(path, shown)
    if text is None:
        yield from issues
        return
    dups = _DuplicateKeys()
    decoder = json.JSONDecoder(object_pairs_hook=dups)
    end = [0]
    _line_col = _Lines(text)
    try:
        # Walk the top level by hand so that each record's line is known.
        pos = _skip_ws(text, 0)
        if text.startswith("[", pos):
            yield from _json_array(decoder, dups, text, pos, shown, end, _line_col)
            pos = end[0]
        elif text.startswith("{", pos):
            found = False
            pos = _skip_ws(text, pos + 1)
            while not text.startswith("}", pos):
                if not text.startswith('"', pos):
                    raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
                key_line, key_col = _line_col(pos)
                key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
                pos = _skip_ws(text, pos)
                if not text.startswith(":", pos):
                    raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
                pos = _skip_ws(text, pos + 1)
                if key == "events" and text.startswith("[", pos):
                    found = True
                    yield from _json_array(decoder, dups, text, pos, shown, end, _line_col)
                    pos = end[0]
                else:
                    value, pos = decoder.raw_decode(text, pos)
                    dups.found.clear()
                    if key == "events":
                        found = True
                        message, hint = f"expected a list of events, got {describe_value(value)}", None
                    else:
                        message, hint = f"unknown key '{key}'", "an event file has one key: events"
                    yield Issue("E204" if key == "events" else "E202", message, Location(shown, key_line, key_col, key), hint)
                pos = _skip_ws(text, pos)
                if text.startswith(",", pos):
                    pos = _skip_ws(text, pos + 1)
                elif not text.startswith("}", pos):
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
            pos += 1
            if not found:
                yield Issue("E203", "missing required key 'events'", Location(shown, 1, 1))
        elif pos < len(text):
            value, pos = decoder.raw_decode(text, pos)
            yield Issue(
                "E204",
                f"an event file is a list of events or an object with \"events\", got {describe_value(value)}",
                Location(shown, 1, 1),
            )
        pos = _skip_ws(text, pos)
        if pos < len(text):
            raise json.JSONDecodeError("Extra data", text, pos)
    except json.JSONDecodeError as error:
        yield Issue("E101", f"JSON syntax error: {error.msg}", Location(shown, error.lineno, error.colno))
    except RecursionError:
        yield Issue("E105", "the JSON nests too deeply", Location(shown))


def _skip_ws(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()  # type: ignore[union-attr]


def _json_array(
    decoder: json.JSONDecoder,
    dups: _DuplicateKeys,
    text: str,
    pos: int,
    shown: str,
    end: list[int],
    line_col: Callable[[int], tuple[int, int]],
) -> Iterator[_Record]:
    """The records of the array at ``pos``, one raw_decode each; sets ``end[0]`` past the ']'."""
    index = 0
    pos = _skip_ws(text, pos + 1)
    if not text.startswith("]", pos):
        while True:
            line, col = line_col(pos)
            value, pos = decoder.raw_decode(text, pos)
            yield _Record(shown, index, line, col, value, _fixed(shown, line, col), dups.issues(shown, line, col))
            index += 1
            pos = _skip_ws(text, pos)
            if text.startswith(",", pos):
                pos = _skip_ws(text, pos + 1)
            elif text.startswith("]", pos):
                break
            else:
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
    end[0] = pos + 1


_SPACED_KEY_END = re.compile(rb'"[ \t\r\n]+:')
# Event.model_validate_json without its wrapper: called once a line on a feed of millions
_validate_event_json = Event.__pydantic_validator__.validate_json


def _fast_event(raw: bytes) -> Event | None:
    """The event on one JSON Lines line, or None when the line needs the careful path.

    Parsing and validating in pydantic-core is five times cheaper than ``json`` with a
    duplicate-key hook followed by ``model_validate``; on a feed of a million lines that is most
    of the reading time. Any failure returns None, and the careful path then says exactly what
    is wrong and where, so errors read the same whichever path met the line. pydantic-core lets
    a repeated key win silently, which we must refuse: every key of a valid event is a field it
    sets (extra keys are forbidden), so if the line holds as many ``"...":`` sequences as the
    event and its sources and figures set fields, no key is repeated. A string containing ``":``
    only makes the count larger, which sends the line the careful way; so does a key written
    with white space before its colon (not counted, it could hide a repeat).
    """
    try:
        event: Event = _validate_event_json(raw)
    except (ValidationError, ValueError):
        return None
    # __pydantic_fields_set__ is what model_fields_set returns, read without a property call
    keys = len(event.__pydantic_fields_set__)
    for source in event.sources:
        keys += len(source.__pydantic_fields_set__)
    for figure in event.figures:
        keys += len(figure.__pydantic_fields_set__)
    closing = raw.count(b'":')
    if closing != keys:
        return None
    # a key spaced from its colon hides from the count; where every colon closes a key there is
    # none, and the search is spared (most lines)
    if raw.count(b":") != closing and _SPACED_KEY_END.search(raw):
        return None
    return event


def _open(path: Path, shown: str) -> IO[bytes] | Issue:
    try:
        return open(path, "rb")  # closed by the caller
    except IsADirectoryError:
        return Issue("E104", "is a directory, expected a file", Location(shown))
    except OSError as error:
        return Issue("E104", "no such file" if isinstance(error, FileNotFoundError) else f"cannot read: {error.strerror}", Location(shown))


def _jsonl_records(path: Path, shown: str, light: bool = False) -> Iterator[_Record | Issue | Event | tuple[Event | FastEvent, ...]]:
    """Records of a JSON Lines file; a line that is a valid event comes as the Event itself, or
    with ``light`` in runs (tuples) of valid events, FastEvents where ``decode_fast`` is sure."""
    handle = _open(path, shown)
    if isinstance(handle, Issue):
        yield handle
        return
    with handle:
        yield from (_light_records(handle, shown) if light else _line_records(handle, shown))


def _line_records(handle: IO[bytes], shown: str) -> Iterator[_Record | Issue | Event]:
    line = _LineReader(shown)
    line_no = index = 0
    while True:
        # readline with a limit: a file of zeros without a newline once read 8 GB as one line
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            break
        line_no += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            yield _too_long(shown, line_no)
            return
        if line_no == 1 and raw.startswith(_BOM):
            raw = raw[3:]
        if raw.isspace() or not raw:  # isspace stops at the first other byte; strip() copied the line
            continue
        yield line(raw, line_no, index)
        index += 1


def _too_long(shown: str, line_no: int) -> Issue:
    return Issue("E110", f"line longer than {MAX_LINE_BYTES >> 20} MiB; the rest of the file is not read", Location(shown, line_no, 1), "one event per line")


def _light_records(
    handle: IO[bytes], shown: str, stop: int | None = None, at_start: bool = True
) -> Iterator[_Record | Issue | Event | tuple[Event | FastEvent, ...]]:
    """``_line_records`` for a light reader: the same records, issues and line numbers, with
    the valid lines ``decode_lines`` is sure of as runs of FastEvents.

    A backtest's block (``scoring.partition``) reads the lines that start within ``stop`` bytes
    of where the handle is, which is the file's start (a byte order mark is dropped) only when
    ``at_start``; its line numbers count from there."""
    line = _LineReader(shown)
    line_no = records = 0
    for lines, ended in _line_batches(handle, stop):
        first = line_no + 1
        line_no += len(lines)
        too_long = len(lines[-1]) > MAX_LINE_BYTES  # only ever the last (see _line_batches)
        if too_long:
            lines = lines[:-1]
        if first == 1 and at_start and lines and lines[0].startswith(_BOM):
            lines[0] = lines[0][3:]
        numbers: Sequence[int] = range(first, first + len(lines))
        if lines and (not min(map(len, lines)) or any(map(bytes.isspace, lines))):  # blank lines: left out
            kept = [(number, raw) for number, raw in zip(numbers, lines, strict=True) if raw and not raw.isspace()]
            numbers, lines = [number for number, _ in kept], [raw for _, raw in kept]
        if lines:
            events = decode_lines(lines)
            start = 0
            for n in itertools.compress(itertools.count(), map(operator.is_, events, itertools.repeat(None))):
                if n > start:
                    yield tuple(events[start:n])  # type: ignore[arg-type]  # no None before n
                raw = lines[n]
                if ended or n < len(lines) - 1 or too_long:
                    raw += b"\n"
                yield line(raw, numbers[n], records + n)
                start = n + 1
            if start < len(events):
                yield tuple(events[start:])  # type: ignore[arg-type]
            records += len(lines)
        if too_long:
            yield _too_long(shown, line_no)
            return


def _line_batches(handle: IO[bytes], stop: int | None = None) -> Iterator[tuple[list[bytes], bool]]:
    """The file's lines without their line ends, a block's worth at a time, and whether the
    batch's last line had one (only the file's last line may lack it). A line longer than
    MAX_LINE_BYTES is cut to MAX_LINE_BYTES + 1 bytes, and is the last line given. With
    ``stop``, only the lines that start less than ``stop`` bytes after the handle's position
    (a line that starts before and ends after is given whole)."""
    rest: list[bytes] = []  # the start of a line no block read so far has ended
    held = 0
    begins = 0  # where the line ``rest`` starts (the next line), from the handle's position
    limit = MAX_LINE_BYTES + 1 if stop is None else stop  # compared with ``begins`` only with a stop
    while stop is None or begins < limit:
        block = handle.read(READ_BLOCK_BYTES)
        if not block:
            if rest:
                yield [b"".join(rest)], False
            return
        if b"\n" not in block:
            rest.append(block)
            held += len(block)
            if held > MAX_LINE_BYTES:
                yield [b"".join(rest)[: MAX_LINE_BYTES + 1]], False
                return
            continue
        data = b"".join(rest) + block if rest else block
        lines = data.split(b"\n")
        last = lines.pop()  # after the last line end: b"" or the start of a line
        rest, held = ([last], len(last)) if last else ([], 0)
        after = begins + len(data) - len(last)
        if stop is not None and after > limit:  # the lines from ``limit`` on are another block's
            kept = 0
            while begins < limit:
                begins += len(lines[kept]) + 1
                kept += 1
            del lines[kept:]
            rest, held, last = [], 0, b""
            if not lines:
                return
        begins = after
        if max(map(len, lines)) > MAX_LINE_BYTES:
            n = next(n for n, raw in enumerate(lines) if len(raw) > MAX_LINE_BYTES)
            yield [*lines[:n], lines[n][: MAX_LINE_BYTES + 1]], False
            return
        yield lines, True
        if held > MAX_LINE_BYTES:
            yield [last[: MAX_LINE_BYTES + 1]], False
            return


class _LineReader:
    """What one line of a JSON Lines file is, once the fast paths are past: the Event, or a
    _Record of the line as the careful path parses it (its errors placed on the line)."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.dups = _DuplicateKeys()
        self.decoder = json.JSONDecoder(object_pairs_hook=self.dups)

    def __call__(self, raw: bytes, line_no: int, index: int) -> _Record | Event:
        """``index``: the records (lines not blank) before this one, for its place without an id."""
        shown = self.shown
        # msgspec refuses lone surrogates, escaped or not; pydantic-core lets an escaped one
        # through, which the careful path refuses
        if b"\\u" not in raw or not _ESCAPED_SURROGATE.search(raw):
            event = _fast_event(raw)
            if event is not None:
                return event
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            issue = Issue("E104", f"not UTF-8 text (byte 0x{raw[error.start]:02x})", Location(shown, line_no, error.start + 1))
            return _Record(shown, index, line_no, 1, raw.decode("utf-8", "replace").rstrip("\r\n"), _fixed(shown, line_no, 1), [issue])
        try:
            value = self.decoder.decode(line)
        except json.JSONDecodeError as error:
            # the decoder read the line ending too: an error at its end ('Expecting ,' after a
            # cut record) came as line 2, column 1 of the line, shown as column 1. Place it on
            # this line, at most one past its last character.
            text = line.rstrip("\r\n")
            issue = Issue("E101", f"JSON syntax error: {error.msg}", Location(shown, line_no, min(error.pos, len(text)) + 1))
            return _Record(shown, index, line_no, 1, line.rstrip("\r\n"), _fixed(shown, line_no, 1), [issue])
        except RecursionError:
            issue = Issue("E105", "the JSON nests too deeply", Location(shown, line_no, 1))
            return _Record(shown, index, line_no, 1, None, _fixed(shown, line_no, 1), [issue])
        return _Record(shown, index, line_no, 1, value, _fixed(shown, line_no, 1), self.dups.issues(shown, line_no, 1))


def _records(path: Path, shown: str, light: bool = False) -> Iterator[_Record | Issue | Event | tuple[Event | FastEvent, ...]]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return _jsonl_records(path, shown, light)
    if suffix in JSON_SUFFIXES:
        # A JSON file is parsed whole anyway: when it is broken, say so once rather than also
        # judging the records before the break.
        items = list(_json_records(path, shown))
        broken = [i for i in items if isinstance(i, Issue) and i.code in ("E101", "E104", "E105")]
        return iter(broken or items)
    if suffix in YAML_SUFFIXES:
        return _yaml_records(path, shown)
    return iter([Issue("E104", f"unknown event file format '{path.suffix}'", Location(shown), "use .yaml, .json or .jsonl")])


# ---------------------------------------------------------------------------------------------
# Reading


def _reject_line(record: _Record, issues: list[Issue]) -> str:
    errors = [{"code": i.code, "path": i.location.yaml_path, "message": i.message + (f" ({i.hint})" if i.hint else "")} for i in issues]
    payload = {"file": record.file, "line": record.line or None, "record": record.data, "errors": errors}
    text = json.dumps(payload, ensure_ascii=False, default=str)
    if _LONE_SURROGATE.search(text):  # kept as \ud800 escapes: UTF-8 cannot hold them
        text = json.dumps(payload, ensure_ascii=True, default=str)
    return text + "\n"


def stream_events(
    paths: Sequence[str | os.PathLike[str]],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    skip_invalid: bool = False,
    rejects_path: str | os.PathLike[str] | None = None,
    report: ReadReport | None = None,
) -> Iterator[list[Event]]:
    """Yield valid events in lists of at most ``chunk_size``, file by file, in input order.

    Problems with a whole file (unreadable, syntax error in YAML/JSON, wrong top level) are
    collected and raised as EventError after the rest has been read. Bad records: without
    ``skip_invalid``, reading stops yielding at the first one, goes on collecting issues, and
    raises EventError at the end; with it, each is counted in ``report``, written to
    ``rejects_path`` if given, and reading goes on.
    """
    return _stream(paths, chunk_size, skip_invalid, rejects_path, report, light=False)  # type: ignore[return-value]  # no FastEvent without light


def stream_light_events(
    paths: Sequence[str | os.PathLike[str]],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    skip_invalid: bool = False,
    rejects_path: str | os.PathLike[str] | None = None,
    report: ReadReport | None = None,
) -> Iterator[list[Event | FastEvent]]:
    """``stream_events`` for a reader that needs only what rows and scoring records read of an
    event (a backtest): a JSON Lines line ``decode_fast`` is sure of comes as a FastEvent, three
    times cheaper than an Event; any other line, and any other format, as ``stream_events``
    gives it, with the same errors, counts and rejects."""
    return _stream(paths, chunk_size, skip_invalid, rejects_path, report, light=True)


def _stream(
    paths: Sequence[str | os.PathLike[str]],
    chunk_size: int,
    skip_invalid: bool,
    rejects_path: str | os.PathLike[str] | None,
    report: ReadReport | None,
    light: bool,
) -> Iterator[list[Event | FastEvent]]:
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    report = report if report is not None else ReadReport()
    file_issues: list[Issue] = []
    record_issues: list[Issue] = []
    failed = False
    writer = atomic_writer(rejects_path, "w") if (skip_invalid and rejects_path is not None) else None
    rejects = writer.__enter__() if writer is not None else None
    if rejects_path is not None and writer is not None:
        report.rejects_path = Path(rejects_path)
    try:
        chunk: list[Event | FastEvent] = []
        for entry in paths:
            path = Path(entry)
            report.files += 1
            for item in _records(path, str(entry), light):
                if isinstance(item, tuple):  # a run of valid events (light)
                    report.records += len(item)
                    report.accepted += len(item)
                    if not failed:
                        chunk += item
                        if len(chunk) >= chunk_size:
                            full = len(chunk) - len(chunk) % chunk_size
                            for start in range(0, full, chunk_size):
                                yield chunk[start : start + chunk_size]
                            chunk = chunk[full:]
                    continue
                if isinstance(item, Issue):
                    file_issues.append(item)
                    continue
                report.records += 1
                result = _validate(item) if isinstance(item, _Record) else item
                if not isinstance(result, list):
                    report.accepted += 1
                    if not failed:
                        chunk.append(result)
                        if len(chunk) >= chunk_size:
                            yield chunk
                            chunk = []
                    continue
                if skip_invalid:
                    report.rejected += 1
                    report.keep(result)
                    if rejects is not None:
                        rejects.write(_reject_line(item, result))  # type: ignore[arg-type]  # only a _Record fails
                else:
                    failed = True
                    chunk = []
                    report.keep(result)
                    if len(record_issues) < MAX_ISSUES:
                        record_issues.extend(result[: MAX_ISSUES - len(record_issues)])
        if chunk and not failed:
            yield chunk
    except BaseException as error:
        if writer is not None:
            writer.__exit__(type(error), error, error.__traceback__)
        raise
    if writer is not None:
        writer.__exit__(None, None, None)
    if file_issues or failed:
        issues = file_issues + record_issues
        total = len(file_issues) + (report.issue_count if failed else 0)
        summary = f"{total} problem{'s' if total != 1 else ''} found"
        if total > len(issues):
            summary += f" (first {len(issues)} shown)"
        raise EventError(issues, summary)


def read_events(
    paths: Sequence[str | os.PathLike[str]],
    *,
    skip_invalid: bool = False,
    rejects_path: str | os.PathLike[str] | None = None,
) -> EventRead:
    """Read every event; a later record with an ``event_id`` already read replaces the earlier."""
    report = ReadReport()
    by_id: dict[str, Event] = {}
    for chunk in stream_events(paths, skip_invalid=skip_invalid, rejects_path=rejects_path, report=report):
        for event in chunk:
            if event.event_id in by_id:
                report.replaced += 1
            by_id[event.event_id] = event
    return EventRead(list(by_id.values()), report)


def write_events_jsonl(path: str | os.PathLike[str], events: Iterable[Event]) -> int:
    """Write events as JSON Lines, atomically. Returns how many were written."""
    count = 0
    with atomic_writer(path, "w") as out:
        for event in events:
            out.write(event.model_dump_json(exclude_defaults=True) + "\n")
            count += 1
    return count


__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "EventRead",
    "ReadReport",
    "read_events",
    "stream_events",
    "stream_light_events",
    "write_events_jsonl",
]
