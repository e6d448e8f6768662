"""The store's tables and the operations on them; SQL written once for both dialects."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from riskengine.core.events import Event
from riskengine.core.windows import Window
from riskengine.store.dialect import Dialect, StoreError, dialect_for

SCHEMA_VERSION = "2"
_LOOKUP_BATCH = 500  # ids per "IN (...)": well under SQLite's 999 host parameters
PERIOD_CACHE_KEYS = 8  # rule packs (and code versions) whose weekly totals are kept


def _schema(serial: str) -> list[str]:
    return [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        # Every revision of every event, never updated or deleted: what arrived, when, from where.
        f"""CREATE TABLE IF NOT EXISTS event_revisions (
            seq {serial},
            event_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            payload TEXT NOT NULL,
            payload_sha256 TEXT NOT NULL,
            event_date TEXT NOT NULL,
            arrived_at TEXT NOT NULL,
            source_path TEXT NOT NULL,
            source_sha256 TEXT NOT NULL,
            UNIQUE (event_id, revision))""",
        # The latest revision of each id: what scoring reads, by date (the index on event_date
        # lets a week's score read its look-back only). ``seq`` lets a reader fetch only what
        # changed since it last looked. ``target_key`` and ``talks_on`` are what a brief's
        # watchlist selects by, over all history: strikes on a named target (casefolded), and
        # the day talks are scheduled for (see ``Snapshot.watched``).
        """CREATE TABLE IF NOT EXISTS events_latest (
            event_id TEXT PRIMARY KEY,
            revision INTEGER NOT NULL,
            seq BIGINT NOT NULL,
            payload_sha256 TEXT NOT NULL,
            event_date TEXT NOT NULL,
            target_key TEXT,
            talks_on TEXT)""",
        "CREATE INDEX IF NOT EXISTS events_latest_seq ON events_latest (seq)",
        "CREATE INDEX IF NOT EXISTS events_latest_date ON events_latest (event_date, event_id)",
        *_WATCH_INDEXES,
        f"""CREATE TABLE IF NOT EXISTS ingests (
            id {serial},
            source_path TEXT NOT NULL,
            source_sha256 TEXT NOT NULL,
            arrived_at TEXT NOT NULL,
            new_events INTEGER NOT NULL,
            revised INTEGER NOT NULL,
            unchanged INTEGER NOT NULL,
            rejected INTEGER NOT NULL)""",
        f"""CREATE TABLE IF NOT EXISTS briefs (
            id {serial},
            week TEXT NOT NULL,
            stakeholder TEXT NOT NULL,
            rule_pack TEXT NOT NULL,
            score DOUBLE PRECISION NOT NULL,
            score_class TEXT NOT NULL,
            scores TEXT NOT NULL,
            format TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            destination TEXT NOT NULL,
            published_at TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS briefs_week ON briefs (stakeholder, week)",
        # Weekly score totals of a rule pack, per stakeholder, as of the store state (seq) they
        # were computed at: a later score takes the weeks no event has changed since
        # (riskengine.scoring.periods). A cache: deleting the rows loses nothing but time.
        """CREATE TABLE IF NOT EXISTS period_totals (
            cache_key TEXT NOT NULL,
            period_start TEXT NOT NULL,
            stakeholder TEXT NOT NULL,
            as_of_seq BIGINT NOT NULL,
            totals TEXT NOT NULL,
            PRIMARY KEY (cache_key, period_start, stakeholder))""",
        # One row per alert and webhook, written before the first attempt: at most once.
        """CREATE TABLE IF NOT EXISTS alert_deliveries (
            alert_id TEXT NOT NULL,
            webhook TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT,
            payload TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            finished_at TEXT,
            PRIMARY KEY (alert_id, webhook))""",
    ]


_WATCH_INDEXES = (
    "CREATE INDEX IF NOT EXISTS events_latest_target ON events_latest (target_key, event_date) WHERE target_key IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS events_latest_talks ON events_latest (talks_on) WHERE talks_on IS NOT NULL",
)


def watch_keys(target_name: object, diplomatic_kind: object, scheduled_date: object) -> tuple[str | None, str | None]:
    """(target_key, talks_on) of an event: its named target casefolded, as the brief groups
    repeat targets, and the day of the talks it reports, if any."""
    target = target_name.casefold() if isinstance(target_name, str) and target_name else None
    talks = str(scheduled_date) if diplomatic_kind == "talks" and scheduled_date is not None else None
    return target, talks


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def canonical_payload(event: Event) -> str:
    """The bytes a revision is compared and kept by: the same event always gives the same text."""
    return event.model_dump_json(exclude_none=True)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class IngestCounts:
    new: int = 0
    revised: int = 0
    unchanged: int = 0
    rejected: int = 0

    def add(self, other: IngestCounts) -> None:
        for name in ("new", "revised", "unchanged", "rejected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class BriefRecord:
    week: str
    stakeholder: str
    rule_pack: str
    score: float
    score_class: str
    scores: dict[str, Any]
    format: str
    sha256: str
    size: int
    destination: str
    published_at: str
    id: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Writer:
    """One open write transaction (see ``Store.write``)."""

    conn: Any
    dialect: Dialect
    seen: dict[str, tuple[int, str]] = field(default_factory=dict)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self.dialect.sql(sql), tuple(params))

    def _current(self, ids: Sequence[str]) -> None:
        """Load the latest (revision, hash) of ``ids`` not already known to this transaction."""
        wanted = [i for i in dict.fromkeys(ids) if i not in self.seen]
        for start in range(0, len(wanted), _LOOKUP_BATCH):
            part = wanted[start : start + _LOOKUP_BATCH]
            marks = ",".join("?" * len(part))
            rows = self.execute(f"SELECT event_id, revision, payload_sha256 FROM events_latest WHERE event_id IN ({marks})", part).fetchall()
            for event_id, revision, digest in rows:
                self.seen[event_id] = (int(revision), digest)

    def upsert(self, events: Sequence[Event], *, arrived_at: str, source_path: str, source_sha256: str) -> IngestCounts:
        """Add ``events`` as new revisions where they differ from the latest one; a later event in
        the same call with an id already given supersedes the earlier one, as in ACLED exports."""
        counts = IngestCounts()
        self._current([e.event_id for e in events])
        for event in events:
            payload = canonical_payload(event)
            digest = sha256_text(payload)
            known = self.seen.get(event.event_id)
            if known is not None and known[1] == digest:
                counts.unchanged += 1
                continue
            revision = 1 if known is None else known[0] + 1
            if known is None:
                counts.new += 1
            else:
                counts.revised += 1
            seq = self.execute(
                "INSERT INTO event_revisions (event_id, revision, payload, payload_sha256, event_date, arrived_at, source_path, source_sha256)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
                (event.event_id, revision, payload, digest, event.event_date.isoformat(), arrived_at, source_path, source_sha256),
            ).fetchone()[0]
            target, talks = watch_keys(event.target_name, event.diplomatic_kind, event.scheduled_date)
            self.execute(
                "INSERT INTO events_latest (event_id, revision, seq, payload_sha256, event_date, target_key, talks_on) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (event_id) DO UPDATE SET revision = excluded.revision, seq = excluded.seq,"
                " payload_sha256 = excluded.payload_sha256, event_date = excluded.event_date,"
                " target_key = excluded.target_key, talks_on = excluded.talks_on",
                (event.event_id, revision, seq, digest, event.event_date.isoformat(), target, talks),
            )
            self.seen[event.event_id] = (revision, digest)
        return counts

    def record_ingest(self, source_path: str, source_sha256: str, arrived_at: str, counts: IngestCounts) -> None:
        self.execute(
            "INSERT INTO ingests (source_path, source_sha256, arrived_at, new_events, revised, unchanged, rejected) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (source_path, source_sha256, arrived_at, counts.new, counts.revised, counts.unchanged, counts.rejected),
        )


def _migrate_from_1(w: Writer) -> None:
    """Version 1 stores lack the watchlist columns: add them and fill them from the payloads
    (once, in the transaction that opens the store, so a store is either version 1 or whole)."""
    w.execute("ALTER TABLE events_latest ADD COLUMN target_key TEXT")
    w.execute("ALTER TABLE events_latest ADD COLUMN talks_on TEXT")
    rows = w.execute("SELECT l.event_id, r.payload FROM events_latest l JOIN event_revisions r ON r.seq = l.seq").fetchall()
    for event_id, payload in rows:
        data = json.loads(payload)
        target, talks = watch_keys(data.get("target_name"), data.get("diplomatic_kind"), data.get("scheduled_date"))
        if target is not None or talks is not None:
            w.execute("UPDATE events_latest SET target_key = ?, talks_on = ? WHERE event_id = ?", (target, talks, event_id))
    w.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))


_PAYLOADS = "SELECT r.payload FROM events_latest l JOIN event_revisions r ON r.seq = l.seq"


class Snapshot:
    """One consistent state of the store for a reader: a read transaction on a connection of its
    own, so a score reads its window, its look-back and its watchlist from the same state while
    ingest goes on (``seq`` names that state), and a long read holds no other thread's connection.

    Events are built with ``Event.model_validate_json`` although they were validated at ingest:
    a stored payload is ``model_dump_json`` of a validated Event, so it cannot fail, but pydantic's
    validator (Rust) is still the cheapest way to build the model: building it without
    validation (``model_construct``, with the nested sources and dates converted by hand) was
    measured at nearly twice the time (2.1 s against 1.2 s for 34,000 events), and would silently leave
    a field added to the model later unconverted.
    """

    def __init__(self, conn: Any, dialect: Dialect, chunk_size: int, store: Store | None = None) -> None:
        self.conn = conn
        self.dialect = dialect
        self.chunk_size = chunk_size
        self.store = store  # where keep_periods writes (this snapshot only reads)
        self.rows_read = 0  # payloads turned into events: what a test of "reads only its window" counts
        self.seq = int(self._one("SELECT coalesce(max(seq), 0) FROM events_latest"))

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self.dialect.sql(sql), tuple(params)).fetchone()[0]

    def earliest_day(self) -> dt.date | None:
        """The date of the earliest event stored (where a calibration history can start)."""
        found = self._one("SELECT min(event_date) FROM events_latest")
        return dt.date.fromisoformat(found) if found else None

    def latest_day(self) -> dt.date | None:
        """The date of the latest event stored (a score with no window scores its week)."""
        found = self._one("SELECT max(event_date) FROM events_latest")
        return dt.date.fromisoformat(found) if found else None

    def between(self, first: dt.date, last: dt.date) -> Iterator[list[Event]]:
        """The latest revision of each event dated ``first`` to ``last``, by (date, id), in
        chunks: streamed through the date index, never the whole store in memory."""
        cursor = self.dialect.stream_cursor(self.conn)
        try:
            cursor.execute(
                self.dialect.sql(f"{_PAYLOADS} WHERE l.event_date >= ? AND l.event_date <= ? ORDER BY l.event_date, l.event_id"),
                (first.isoformat(), last.isoformat()),
            )
            while True:
                rows = cursor.fetchmany(self.chunk_size)
                if not rows:
                    break
                self.rows_read += len(rows)
                yield [Event.model_validate_json(payload) for (payload,) in rows]
        finally:
            cursor.close()

    def watched(self, window: Window) -> list[Event]:
        """What a brief's watchlist reads over all history up to the window's end (see
        ``riskengine.briefs.render`` ``_watchlist``): talks scheduled after the window, and every
        strike on a named target that is struck again in the window."""
        end, start = window.end.isoformat(), window.start.isoformat()
        # Two queries, each on its own index (an OR of the two scanned every event up to the
        # window's end: 0.19 s against 0.02 s over 100,000), their union by (date, id).
        pick = "SELECT l.event_date, l.event_id, r.payload FROM events_latest l JOIN event_revisions r ON r.seq = l.seq WHERE l.event_date <= ? AND "
        hit = "SELECT target_key FROM events_latest WHERE target_key IS NOT NULL AND event_date >= ? AND event_date <= ?"
        rows = self.conn.execute(
            self.dialect.sql(f"{pick}l.talks_on > ? UNION {pick}l.target_key IN ({hit}) ORDER BY 1, 2"),
            (end, end, end, start, end),
        ).fetchall()
        self.rows_read += len(rows)
        return [Event.model_validate_json(payload) for _day, _id, payload in rows]


    def known_periods(self, key: str, stakeholders: Sequence[str], first: dt.date, last: dt.date) -> dict[dt.date, dict[str, str]]:
        """Weekly totals kept for ``key`` for the weeks starting ``first`` .. ``last`` that no
        event has changed since (``riskengine.scoring.periods``), for every one of ``stakeholders``.

        A week's totals hold until an event dated in it, or in the pattern reach before it, is
        added or revised; counted here, more cautiously, as long as every event added or revised
        since (every revision of it, old dates included) is dated after the week."""
        rows = self.conn.execute(
            self.dialect.sql("SELECT period_start, stakeholder, as_of_seq, totals FROM period_totals WHERE cache_key = ? AND period_start >= ? AND period_start <= ?"),
            (key, first.isoformat(), last.isoformat()),
        ).fetchall()
        changed_from: dict[int, str | None] = {}
        found: dict[dt.date, dict[str, str]] = {}
        for start, stakeholder, as_of, totals in rows:
            as_of = int(as_of)
            if as_of > self.seq:
                continue  # computed from a state this snapshot does not see
            if as_of not in changed_from:
                changed_from[as_of] = self._one(
                    "SELECT min(event_date) FROM event_revisions WHERE event_id IN (SELECT event_id FROM event_revisions WHERE seq > ? AND seq <= ?)",
                    (as_of, self.seq),
                )
            day = dt.date.fromisoformat(start)
            since = changed_from[as_of]
            if since is None or since > (day + dt.timedelta(days=6)).isoformat():
                found.setdefault(day, {})[stakeholder] = totals
        wanted = set(stakeholders)
        return {day: kept for day, kept in found.items() if wanted <= kept.keys()}

    def keep_periods(self, key: str, periods: Mapping[dt.date, Mapping[str, str]]) -> None:
        """Keep weekly totals computed from this snapshot's state, replacing older ones; only the
        last ``PERIOD_CACHE_KEYS`` rule packs' are kept. A store that cannot be written to
        (a read-only file, a read-only role) is left as it is: the next score is only slower."""
        if self.store is None or not periods:
            return
        try:
            with self.store.write() as w:
                for start, by_stakeholder in sorted(periods.items()):
                    for stakeholder, totals in sorted(by_stakeholder.items()):
                        w.execute(
                            "INSERT INTO period_totals (cache_key, period_start, stakeholder, as_of_seq, totals) VALUES (?, ?, ?, ?, ?)"
                            " ON CONFLICT (cache_key, period_start, stakeholder) DO UPDATE SET as_of_seq = excluded.as_of_seq,"
                            " totals = excluded.totals WHERE period_totals.as_of_seq <= excluded.as_of_seq",
                            (key, start.isoformat(), stakeholder, self.seq, totals),
                        )
                w.execute(
                    "DELETE FROM period_totals WHERE cache_key NOT IN (SELECT cache_key FROM"
                    " (SELECT cache_key, max(as_of_seq) AS newest FROM period_totals GROUP BY cache_key ORDER BY newest DESC, cache_key LIMIT ?) AS recent)",
                    (PERIOD_CACHE_KEYS,),
                )
        except Exception:  # noqa: BLE001 - sqlite3/psycopg refusing a write: the cache is an optimisation
            pass


class Store:
    """An open store. Thread-safe: each thread gets its own connection."""

    def __init__(self, location: str | os.PathLike[str], *, create: bool = True) -> None:
        self.dialect = dialect_for(location)
        self.location = self.dialect.location
        if not create and self.dialect.name == "sqlite" and self.location != ":memory:" and not Path(self.location).exists():
            # A mistyped --store for a command that only reads made an empty store and scored
            # zeros ("very low risk") from it; only commands that write (ingest) create one.
            raise StoreError(f"no such store: {self.location}", "create it with: riskengine ingest --store PATH EVENTS...")
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()
        self._create()

    # -- connections and transactions

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self.dialect.connect()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with suppress(Exception):  # closing at shutdown: nothing left to do about a failure
                    conn.close()
            self._all.clear()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[Writer]:
        """One transaction: everything inside is committed together, or not at all."""
        conn = self._conn()
        self.dialect.begin_write(conn)
        try:
            yield Writer(conn, self.dialect)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def snapshot(self, chunk_size: int = 5000) -> Iterator[Snapshot]:
        """A consistent state of the store to read from (see ``Snapshot``), until the block ends."""
        conn = self.dialect.connect()
        try:
            self.dialect.begin_read(conn)
            yield Snapshot(conn, self.dialect, chunk_size, self)
        finally:
            with suppress(Exception):  # a read-only transaction: nothing to keep if ending it fails
                conn.execute("ROLLBACK")
            conn.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self._conn().execute(self.dialect.sql(sql), tuple(params)).fetchall())

    def _create(self) -> None:
        try:
            with self.write() as w:
                w.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                found = w.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                if found is not None and found[0] == "1":
                    _migrate_from_1(w)
                elif found is not None and found[0] != SCHEMA_VERSION:
                    raise StoreError(f"store {self.location} has schema version {found[0]}; this riskengine reads version {SCHEMA_VERSION}")
                for statement in _schema(self.dialect.serial):
                    w.execute(statement)
                if found is None:
                    w.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        except StoreError:
            raise
        except Exception as error:  # noqa: BLE001 - sqlite3/psycopg errors: not a store riskengine can use
            raise StoreError(f"cannot use {self.location} as a store: {error}") from None

    # -- events

    def event_count(self) -> int:
        return int(self.query("SELECT count(*) FROM events_latest")[0][0])

    def revision_count(self) -> int:
        return int(self.query("SELECT count(*) FROM event_revisions")[0][0])

    def last_seq(self) -> int:
        return int(self.query("SELECT coalesce(max(seq), 0) FROM events_latest")[0][0])

    def latest_payloads(self, since_seq: int = 0, *, by_date: bool = False, chunk_size: int = 5000) -> Iterator[list[tuple[int, str]]]:
        """(seq, payload) of the latest revision of each id changed after ``since_seq``, in
        chunks; by event date (then id) for scoring in order, else by arrival."""
        order = "l.event_date, l.event_id" if by_date else "l.seq"
        conn = self.dialect.connect()  # its own connection: a long read must not hold this thread's
        try:
            cursor = conn.cursor()
            cursor.execute(
                self.dialect.sql(
                    f"SELECT l.seq, r.payload FROM events_latest l JOIN event_revisions r ON r.seq = l.seq WHERE l.seq > ? ORDER BY {order}"
                ),
                (since_seq,),
            )
            while True:
                rows = cursor.fetchmany(chunk_size)
                if not rows:
                    break
                yield [(int(seq), payload) for seq, payload in rows]
        finally:
            conn.close()

    def latest_events(self, *, by_date: bool = True, chunk_size: int = 5000) -> Iterator[list[Event]]:
        """The latest revision of every event, in chunks (by date unless ``by_date=False``)."""
        for rows in self.latest_payloads(0, by_date=by_date, chunk_size=chunk_size):
            yield [Event.model_validate_json(payload) for _seq, payload in rows]

    def revisions(self, event_id: str) -> list[dict[str, Any]]:
        rows = self.query(
            "SELECT revision, arrived_at, source_path, source_sha256, payload_sha256, payload FROM event_revisions WHERE event_id = ? ORDER BY revision",
            (event_id,),
        )
        names = ("revision", "arrived_at", "source_path", "source_sha256", "payload_sha256", "payload")
        return [dict(zip(names, row, strict=True)) for row in rows]

    def ingests(self) -> list[dict[str, Any]]:
        rows = self.query("SELECT id, source_path, source_sha256, arrived_at, new_events, revised, unchanged, rejected FROM ingests ORDER BY id")
        names = ("id", "source_path", "source_sha256", "arrived_at", "new", "revised", "unchanged", "rejected")
        return [dict(zip(names, row, strict=True)) for row in rows]

    # -- briefs

    def record_briefs(self, records: Iterable[BriefRecord]) -> None:
        with self.write() as w:
            for r in records:
                w.execute(
                    "INSERT INTO briefs (week, stakeholder, rule_pack, score, score_class, scores, format, sha256, size, destination, published_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (r.week, r.stakeholder, r.rule_pack, r.score, r.score_class, json.dumps(r.scores, sort_keys=True), r.format, r.sha256, r.size,
                     r.destination, r.published_at),
                )  # fmt: skip

    def briefs(self, *, stakeholder: str | None = None, week: str | None = None) -> list[BriefRecord]:
        sql = "SELECT id, week, stakeholder, rule_pack, score, score_class, scores, format, sha256, size, destination, published_at FROM briefs"
        where, params = [], []
        if stakeholder:
            where.append("stakeholder = ?")
            params.append(stakeholder)
        if week:
            where.append("week = ?")
            params.append(week)
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.query(sql + " ORDER BY id", params)
        return [
            BriefRecord(week=w, stakeholder=s, rule_pack=p, score=float(sc), score_class=c, scores=json.loads(js), format=f, sha256=h, size=int(n),
                        destination=d, published_at=at, id=int(i))
            for i, w, s, p, sc, c, js, f, h, n, d, at in rows
        ]  # fmt: skip

    def last_sent(self, stakeholder: str, before_week: str) -> BriefRecord | None:
        """The brief most recently published for ``stakeholder`` for a week before ``before_week``:
        what "since last week" compares with when the question is what readers were told."""
        earlier = [b for b in self.briefs(stakeholder=stakeholder) if b.week < before_week]
        return max(earlier, key=lambda b: (b.week, b.id)) if earlier else None

    # -- alert deliveries

    def claim_delivery(self, alert_id: str, webhook: str, payload: str, now: str) -> bool:
        """Record that ``alert_id`` is about to go to ``webhook``; False when it already was
        (claimed before, by this or another process): the claim is what makes it at most once."""
        with self.write() as w:
            row = w.execute("SELECT 1 FROM alert_deliveries WHERE alert_id = ? AND webhook = ?", (alert_id, webhook)).fetchone()
            if row is not None:
                return False
            w.execute(
                "INSERT INTO alert_deliveries (alert_id, webhook, state, attempts, payload, claimed_at) VALUES (?, ?, 'sending', 0, ?, ?)",
                (alert_id, webhook, payload, now),
            )
        return True

    def finish_delivery(self, alert_id: str, webhook: str, *, state: str, attempts: int, error: str | None, now: str) -> None:
        with self.write() as w:
            w.execute(
                "UPDATE alert_deliveries SET state = ?, attempts = ?, last_error = ?, finished_at = ? WHERE alert_id = ? AND webhook = ?",
                (state, attempts, error, now, alert_id, webhook),
            )

    def deliveries(self) -> list[dict[str, Any]]:
        rows = self.query("SELECT alert_id, webhook, state, attempts, last_error, claimed_at, finished_at FROM alert_deliveries ORDER BY claimed_at, alert_id")
        names = ("alert_id", "webhook", "state", "attempts", "last_error", "claimed_at", "finished_at")
        return [dict(zip(names, row, strict=True)) for row in rows]


def open_store(location: str | os.PathLike[str], *, create: bool = True) -> Store:
    """Open the store at a file path or a ``postgresql://`` URL, creating it if needed unless
    ``create`` is false (commands that only read: a SQLite file that does not exist is a StoreError)."""
    return Store(location, create=create)




STORE_ENV = "RISKENGINE_STORE"


def store_location(given: str | None, event_files: Sequence[str] | None = None) -> str | None:
    """The store a command reads: ``--store``, else RISKENGINE_STORE unless event files are named
    (files on the command line win over a variable set in a shell profile); None: read files."""
    if given:
        if event_files:
            raise StoreError("give event files or --store, not both")
        return given
    if event_files:
        return None
    return os.environ.get(STORE_ENV) or None


def read_store_events(location: str) -> list[Event]:
    """The latest revision of every event in the store at ``location``, by date."""
    with open_store(location, create=False) as store:
        return [event for chunk in store.latest_events() for event in chunk]


__all__ = [
    "STORE_ENV", "BriefRecord", "IngestCounts", "Snapshot", "Store", "StoreError", "Writer", "canonical_payload", "open_store", "read_store_events",
    "sha256_text", "store_location", "utc_now",
]  # fmt: skip
