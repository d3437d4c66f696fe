"""The station's SQLite file: connections, pragmas, and the single writer.

Readers and the writer use separate engines. The writer engine has exactly one
connection, so writes from any thread queue for it, and each write transaction
starts with ``BEGIN IMMEDIATE`` so it takes the write lock up front instead of
failing half-way with "database is locked".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from lawsup_desktop.store.audit import Actor, install_audit_trail
from lawsup_desktop.store.outbox import install_outbox

BUSY_TIMEOUT_MS = 30_000


def configure_engine(engine: Engine, *, writer: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own
        # implicit transactions would defeat BEGIN IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # WAL: readers never block the writer. synchronous=NORMAL is durable
        # against application crashes in WAL mode; a power cut can lose only the
        # last transactions, never corrupt the file.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


class Database:
    """One station database file. Use :meth:`read` and :meth:`write` for units of work."""

    def __init__(self, path: Path) -> None:
        self.path = path
        url = f"sqlite:///{path}"
        args = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
        self.reader = create_engine(url, connect_args=args, pool_size=4, max_overflow=4)
        self.writer = create_engine(
            url, connect_args=args, pool_size=1, max_overflow=0, pool_timeout=BUSY_TIMEOUT_MS / 1000
        )
        configure_engine(self.reader, writer=False)
        configure_engine(self.writer, writer=True)
        self._read_sessions = sessionmaker(self.reader, expire_on_commit=False)
        self._write_sessions = sessionmaker(self.writer, expire_on_commit=False)
        install_audit_trail(self._write_sessions)
        install_outbox(self._write_sessions)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read snapshot. Closing it rolls back anything flushed in it, yet leaves the
        loaded objects readable (detached), unlike an explicit rollback."""
        with self._read_sessions() as session:
            yield session

    @contextmanager
    def write(self, actor: Actor) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error. Every change
        made in it lands in the audit trail under ``actor``, in the same transaction."""
        with self._write_sessions() as session, session.begin():
            session.info["actor"] = actor
            yield session

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check``: an empty list means the file is sound."""
        with self.reader.connect() as connection:
            rows = connection.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        return [] if rows == ["ok"] else [str(r) for r in rows]

    def dispose(self) -> None:
        self.reader.dispose()
        self.writer.dispose()
