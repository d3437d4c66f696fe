"""The service's database: engine set-up and the shipped Alembic migrations."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

DB_ENV = "LAWSUP_CENTRAL_DB"


def default_url() -> str:
    from platformdirs import user_data_path

    folder = user_data_path("lawsup-central", appauthor=False)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'central.sqlite'}"


def database_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get(DB_ENV) or default_url()


def json_bytes(value: Any) -> bytes:
    """The answers' and JSON columns' encoder: orjson (several times faster than the
    standard library on records' data); the standard library for what orjson refuses
    (integers beyond 64 bits). Both give the same values back."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def json_dumps(value: Any) -> str:
    return json_bytes(value).decode()


def json_loads(text: str | bytes) -> Any:
    # The standard library: orjson would read integers beyond 64 bits as floats.
    return json.loads(text)


# Connections per worker process: push and pull use at most app.DB_SLOTS of them at
# once, the other endpoints the rest.
POOL_SIZE = 8


def make_engine(url: str, *, writer: bool = True) -> Engine:
    """``writer=False`` gives SQLite readers a deferred BEGIN: in WAL mode they then
    never wait for a writer (PostgreSQL needs no such distinction)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               json_serializer=json_dumps, json_deserializer=json_loads)

        @event.listens_for(engine, "connect")
        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def on_begin(connection: Any) -> None:
            # Take the write lock up front: a push reads then writes, and SQLite
            # would otherwise fail it half-way when another worker writes.
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

        return engine
    # No pre-ping: it costs a round trip per checkout, several per request; stale
    # connections are recycled by age instead.
    return create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_SIZE, pool_recycle=1800,
                         json_serializer=json_dumps, json_deserializer=json_loads)


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def driver_connection(session: Session) -> Any:
    """On PostgreSQL, psycopg's connection under the session's transaction; None
    elsewhere. Push's and pull's few statements go to it directly: SQLAlchemy's
    execution layer (cache lookup, result metadata, row processing) costs more than
    psycopg's own work for each of them. Rows come back as tuples, JSON columns decoded
    by the engine's deserializer."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return session.connection().connection.driver_connection


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    folder = resources.files("lawsup_central") / "migrations"
    config = Config()
    config.set_main_option("script_location", str(Path(str(folder))))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema; idempotent, safe with several workers
    starting at once only if one of them (``serve``) upgrades before forking."""
    from alembic import command

    config = _alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    from lawsup_central.admin import ensure_seed

    with sessions(engine).begin() as session:
        ensure_seed(session)


def is_current(engine: Engine) -> bool:
    return "alembic_version" in inspect(engine).get_table_names()
