"""Files into the store: one transaction per file, so a file is in the store whole or not at all."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from riskengine.core.errors import EventError, Issue, Location
from riskengine.core.events import Event
from riskengine.ingest.event_files import DEFAULT_CHUNK_SIZE, ReadReport, stream_events
from riskengine.store.db import IngestCounts, Store, utc_now

ACLED_SUFFIXES = (".csv", ".xlsx")  # an .xlsx: ACLED's curated files and exports saved from Excel


@dataclass
class IngestResult:
    source: str
    sha256: str
    counts: IngestCounts
    issues: list[Issue] = field(default_factory=list)  # of rejected records (skip_invalid)


def file_sha256(path: Path, shown: str) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise EventError([Issue("E802", f"cannot read: {error.strerror or error}", Location(shown))]) from None
    return digest.hexdigest()


def read_acled_file(path: Path, *, skip_invalid: bool = False) -> tuple[list[Event], int]:
    """Events of an ACLED export and how many rows were rejected.

    The one place that calls the ACLED importer: it is being rewritten, and its signature may
    change; only this adapter should have to follow.
    """
    from riskengine.ingest.acled import import_acled

    out = io.StringIO()
    result = import_acled(path, out, skip_invalid=skip_invalid, require_coordinates=True)
    events = [Event.model_validate_json(line) for line in out.getvalue().splitlines() if line.strip()]
    return events, result.rejected


def ingest_events(
    store: Store, events: Iterable[Sequence[Event]], *, source: str, source_sha256: str, now: str | None = None, rejected: int = 0
) -> IngestCounts:
    """Upsert already validated events (in chunks) in one transaction; returns the counts."""
    arrived = now or utc_now()
    counts = IngestCounts(rejected=rejected)
    with store.write() as w:
        for chunk in events:
            counts.add(w.upsert(chunk, arrived_at=arrived, source_path=source, source_sha256=source_sha256))
        w.record_ingest(source, source_sha256, arrived, counts)
    return counts


def ingest_file(
    store: Store,
    path: str | os.PathLike[str],
    *,
    now: str | None = None,
    skip_invalid: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    on_chunk: Callable[[IngestCounts], None] | None = None,
) -> IngestResult:
    """Ingest one event file (YAML, JSON, JSON Lines) or ACLED export (.csv), atomically.

    Invalid records fail the whole file (EventError, nothing stored) unless ``skip_invalid``,
    which counts them as rejected and stores the rest. ``on_chunk`` sees the running counts
    inside the open transaction (progress; the crash test stops there).
    """
    shown = os.fspath(path)
    file = Path(path)
    digest = file_sha256(file, shown)
    arrived = now or utc_now()
    counts = IngestCounts()
    report = ReadReport()
    if file.suffix.lower() in ACLED_SUFFIXES:
        events, counts.rejected = read_acled_file(file, skip_invalid=skip_invalid)  # read before the write lock is taken
        chunks: Iterable[list[Event]] = [events[i : i + chunk_size] for i in range(0, len(events), chunk_size)]
    else:
        chunks = stream_events([file], chunk_size=chunk_size, skip_invalid=skip_invalid, report=report)
    with store.write() as w:
        for chunk in chunks:
            counts.add(w.upsert(chunk, arrived_at=arrived, source_path=shown, source_sha256=digest))
            if on_chunk is not None:
                on_chunk(counts)
        counts.rejected += report.rejected
        w.record_ingest(shown, digest, arrived, counts)
    return IngestResult(shown, digest, counts, list(report.issues))


__all__ = ["IngestResult", "file_sha256", "ingest_events", "ingest_file", "read_acled_file"]
