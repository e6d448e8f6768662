"""The few places where SQLite and PostgreSQL differ, so the store's SQL is written once.

The store writes its SQL with ``?`` placeholders and portable types; a dialect turns the
placeholders into the driver's style, names the auto-numbered key type, opens connections and
starts write transactions. Nothing else differs: both run ``INSERT .. ON CONFLICT .. DO UPDATE``
and ``RETURNING``.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskengine.core.errors import Issue, RiskEngineError

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class StoreError(RiskEngineError):
    """The store cannot be opened or used (bad path, missing driver, server down)."""

    def __init__(self, message: str, location: str = "") -> None:
        self.issue = Issue("E801", message, hint=location or None)
        super().__init__(f"{message}{f' ({location})' if location else ''}")


@dataclass(frozen=True)
class Dialect:
    name: str
    location: str
    serial: str  # an auto-numbered 64-bit primary key
    placeholder: str

    def sql(self, text: str) -> str:
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)

    def connect(self) -> Any:
        if self.name == "sqlite":
            return _sqlite_connect(self.location)
        return _postgres_connect(self.location)

    def begin_write(self, conn: Any) -> None:
        if self.name == "sqlite":
            # IMMEDIATE takes the write lock now: two writers queue instead of one failing
            # with "database is locked" when it upgrades its read lock half-way through a file.
            conn.execute("BEGIN IMMEDIATE")
        else:
            conn.execute("BEGIN")
            # Writers one at a time, as in SQLite: revision numbers and the sequence that readers
            # follow (``seq``) then commit in the order they were taken, so a reader that has
            # seen seq N has seen everything below it.
            conn.execute("SELECT pg_advisory_xact_lock(727274)")

    def begin_read(self, conn: Any) -> None:
        """Start a transaction that sees one state of the store to its end."""
        if self.name == "sqlite":
            conn.execute("BEGIN")  # deferred: the snapshot is taken at the first read, kept to the end
        else:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def stream_cursor(self, conn: Any) -> Any:
        """A cursor whose ``fetchmany`` streams rows (inside ``begin_read``'s transaction)."""
        if self.name == "sqlite":
            return conn.cursor()  # SQLite steps through the result as it is fetched
        return conn.cursor(name="riskengine_stream")  # server-side: psycopg would otherwise fetch everything at once


def dialect_for(location: str | os.PathLike[str]) -> Dialect:
    text = os.fspath(location)
    if text.startswith(POSTGRES_SCHEMES):
        return Dialect("postgresql", text, "BIGSERIAL PRIMARY KEY", "%s")
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") - 1 :] if text.startswith("sqlite:////") else text[len("sqlite:///") :]
    if "://" in text:
        raise StoreError(f"unsupported store URL '{text.split('://')[0]}://'", "give a file path, sqlite:///PATH or postgresql://...")
    return Dialect("sqlite", text, "INTEGER PRIMARY KEY AUTOINCREMENT", "?")


def _sqlite_connect(path: str) -> sqlite3.Connection:
    folder = Path(path).parent
    if not folder.is_dir():
        raise StoreError(f"cannot open store {path}: folder {folder} does not exist")
    try:
        # isolation_level=None: the store says BEGIN and COMMIT itself, so a transaction is
        # exactly one file or one request, never what the driver guesses.
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=60)
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before ingest reports it (and before the service acknowledges
        # an event), also across a power cut, not only across a killed process.
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=60000")
    except sqlite3.Error as error:
        # SQLite's own words ("unable to open database file") do not say why
        why = f"; folder {folder} is not writable, and SQLite keeps its journal beside the database" if not os.access(folder, os.W_OK) else ""
        raise StoreError(f"cannot open store {path}: {error}{why}") from None
    return conn


def _postgres_connect(url: str) -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError("a PostgreSQL store needs psycopg", "pip install 'riskengine[postgres]'") from None
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.Error as error:
        raise StoreError(f"cannot connect to the PostgreSQL store: {str(error).strip()}") from None


__all__ = ["Dialect", "StoreError", "dialect_for"]
