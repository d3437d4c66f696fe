"""The station's side of sync: the outbox of local writes and what it knows of the server.

Never synced themselves. The outbox is filled by a flush listener (outbox.py) in
the same transaction as the change it describes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lawsup_desktop.store.base import Base, UtcDateTime, utc_now


class SyncOutbox(Base):
    """One local write waiting to be pushed, in device order (``seq``).

    AUTOINCREMENT: a seq is never reused after the outbox empties, because the
    service refuses any seq it has already seen from this device.
    """

    __tablename__ = "sync_outbox"
    __table_args__ = (
        Index("ix_sync_outbox_record", "record_id", "state"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True)
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(10))  # insert | update | resolve
    base_version: Mapped[int | None] = mapped_column(Integer)
    # {field: [old, new]} in wire form
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending | rejected
    reason_zh: Mapped[str] = mapped_column(Text, default="")
    reason_en: Mapped[str] = mapped_column(Text, default="")
    # The workstation's clock: shown to the user, never used to order anything.
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SyncRecordState(Base):
    """The server's version of a record as this station last saw it (the base of edits)."""

    __tablename__ = "sync_record_state"

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    server_version: Mapped[int] = mapped_column(Integer)


class SyncConflict(Base):
    """A hard conflict kept for the user: per field mine / theirs / base."""

    __tablename__ = "sync_conflict"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # field | edit_delete | review_level | ...
    # {field: {"mine": v, "theirs": v, "base": v}}
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default="open")  # open | resolved
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[str] = mapped_column(String(40), default="")  # server time, as sent


class SyncMeta(Base):
    """Small settings of sync: server address, cursor, device id, last sync."""

    __tablename__ = "sync_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncHistory(Base):
    """One line per sync run, for the sync page."""

    __tablename__ = "sync_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    server_time: Mapped[str] = mapped_column(String(40), default="")
    pushed: Mapped[int] = mapped_column(Integer, default=0)
    pulled: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    error_zh: Mapped[str] = mapped_column(Text, default="")
    error_en: Mapped[str] = mapped_column(Text, default="")
