"""The station's SQLite file: connections, pragmas, and the single writer.

Readers and the writer use separate engines. The writer engine has exactly one
connection, so writes from any thread queue for it, and each write transaction
starts with ``BEGIN IMMEDIATE`` so it takes the write lock up front instead of
failing half-way with "database is locked".

Connections come from SQLCipher (:mod:`lawsup_desktop.store.encryption`); each
is keyed before anything else runs on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from lawsup_desktop.store import encryption
from lawsup_desktop.store.audit import Actor, install_audit_trail
from lawsup_desktop.store.outbox import install_outbox

BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 65_536
"""SQLite's page cache per connection, plain or encrypted (64 MB, taken only as
pages are read; SQLite's default is 8 MB). An encrypted file's pages are
decrypted and their HMAC checked at every miss of this cache, a plain file's
copied from the OS file cache (a system call). With 8 MB for both, the incident
list's first page and sorts were 2.6-4.7x slower encrypted than plain; and plain
with 8 MB is itself slower than with 64 MB (first page 1.4x CPU, 1.8x wall).
The same size for both, so that encryption is the only difference between them
(bench/encryption.py). A connection's cache is
its own: the reader pool (4, at most 8) could in principle take 64 MB each,
but the program reads from one or two threads at a time."""


def make_engine(path: Path, key: bytes | None, *, writer: bool, **options: Any) -> Engine:
    """An engine on ``path`` whose connections are keyed with ``key`` (None: plain).

    Not the ``sqlite+pysqlcipher`` dialect: it takes the key from the URL (where it
    would travel into reprs and tracebacks) and forces a one-connection-per-thread
    pool. The plain ``sqlite`` dialect over the ``sqlcipher3`` module, keyed in the
    connect hook, is the same driver without either.
    """
    options.setdefault("connect_args", {}).setdefault("check_same_thread", False)
    engine = create_engine(f"sqlite:///{path}", module=encryption.dbapi, **options)
    configure_engine(engine, writer=writer, key=key, path=path)
    return engine


def configure_engine(
    engine: Engine, *, writer: bool, key: bytes | None = None, path: Path | None = None
) -> None:
    """``path``: the engine's file, whose cipher settings the key goes with (None:
    the current ones, for a new file)."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: encryption.Connection, _record: Any) -> None:
        # First: nothing reads before it.
        if path is None:
            encryption.apply_key(dbapi_connection, key)
        else:
            encryption.key_connection(
                dbapi_connection, key, path, timeout=BUSY_TIMEOUT_MS / 1000
            )
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
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


class Database:
    """One station database file. Use :meth:`read` and :meth:`write` for units of work."""

    def __init__(self, path: Path, key: bytes | None = None) -> None:
        """``key``: the file's SQLCipher key (None: a plain file, by the user's choice;
        :mod:`lawsup_desktop.services.encryption` decides which)."""
        self.path = path
        self.encrypted = key is not None
        self.key = key
        """For another connection to the same file (a tool, a test): never log it."""
        args = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
        self.reader = make_engine(
            path, key, writer=False, connect_args=args, pool_size=4, max_overflow=4
        )
        self.writer = make_engine(
            path, key, writer=True, connect_args=dict(args), pool_size=1, max_overflow=0,
            pool_timeout=BUSY_TIMEOUT_MS / 1000,
        )
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

    def schema_revision(self) -> str | None:
        """The file's schema revision (see :func:`.migrations.read_revision`)."""
        from lawsup_desktop.store.migrations import read_revision

        return read_revision(self.path, self.key)

    def dispose(self) -> None:
        self.reader.dispose()
        self.writer.dispose()
