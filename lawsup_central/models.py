"""The bureau's database: stations, devices, the applied-op log and every synced record.

Records are stored generically (entity, id, JSON data) rather than one table per
domain type: the service merges and scopes records, it does not interpret most
of their fields, and a new field on the desktop needs no migration here.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """An instant in UTC, stored naive (SQLite has no time zones), returned aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Station(Base):
    """A station the bureau serves. ``id`` becomes the station row's id on its devices."""

    __tablename__ = "station"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class EnrollmentCode(Base):
    """A one-time enrollment code; only its hash is kept."""

    __tablename__ = "enrollment_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("station.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class Device(Base):
    """An enrolled workstation. ``last_seq`` is the last op of its outbox applied here."""

    __tablename__ = "device"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    station_id: Mapped[str] = mapped_column(ForeignKey("station.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class AppliedOp(Base):
    """Each op applied, once, with its result: a retried push gets the stored result."""

    __tablename__ = "applied_op"
    __table_args__ = (UniqueConstraint("device_id", "seq"),)

    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Record(Base):
    """A synced record: a station's (``station_id``) or everyone's (``station_id`` NULL).

    ``change_seq`` orders changes for pull; see ``protocol.assign_change_seqs`` for
    why it can never skip a committed change.
    """

    __tablename__ = "record"
    __table_args__ = (
        Index("ix_record_change_seq", "change_seq"),
        Index("ix_record_station_change", "station_id", "change_seq"),
    )

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str | None] = mapped_column(ForeignKey("station.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ReviewSlot(Base):
    """One decision per review level per round: the key makes a second one impossible,
    even when two devices push theirs at the same instant."""

    __tablename__ = "review_slot"

    audit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[int] = mapped_column(Integer, primary_key=True)
    step_id: Mapped[str] = mapped_column(String(36))
    decision: Mapped[str] = mapped_column(String(32))


class ChangeCounter(Base):
    """The single row whose update hands out change numbers (see protocol.py)."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Blob(Base):
    """A content-addressed file, complete once its bytes hash to ``sha256``."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class BlobChunk(Base):
    __tablename__ = "blob_chunk"

    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class BlobAccess(Base):
    """Who may download a blob: the station that uploaded it; NULL station = everyone."""

    __tablename__ = "blob_access"

    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), primary_key=True)
    station_key: Mapped[str] = mapped_column(String(36), primary_key=True)  # "*" = all


class BlobClaim(Base):
    """A station proving it holds a file the service already has: its chunks are
    compared with the stored bytes; access is granted once all of them matched."""

    __tablename__ = "blob_claim"

    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    verified: Mapped[int] = mapped_column(BigInteger, default=0)


class ServerLog(Base):
    """Admin actions (enrolments, revocations, assignments), for the bureau's records."""

    __tablename__ = "server_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")
