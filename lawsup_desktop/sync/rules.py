"""Which records sync, and how each type resolves concurrent changes.

Shared by the desktop and the central service, so both sides apply one set of
rules (the service imports this module).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Column, Date, DateTime, Table
from sqlalchemy import Enum as SAEnum

from lawsup_desktop.store.base import Base, SyncedMixin, UtcDateTime

# Appended, never edited: they cannot conflict (a second decision at one review
# level is the exception, checked by the service).
APPEND_ONLY = frozenset({"follow_up", "rectification_event", "review_step"})

# Owned by the bureau: stations receive them and never push them.
SERVER_OWNED = frozenset({"problem_type", "holiday_period", "deadline_rule", "guidance"})

# Fields of station records that only the bureau sets (a 挂牌督办 assignment).
SERVER_FIELDS: dict[str, frozenset[str]] = {
    "rectification": frozenset({"bureau_supervised", "assigning_authority"})
}

# Server-owned records are matched to a station's own seed rows by these keys,
# so the station's copy takes the bureau's id instead of duplicating it.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "problem_type": ("code",),
    "deadline_rule": ("code",),
    "holiday_period": ("name", "first_day"),
}

# Never synced: the station row is identified by enrolment, the rest is local.
_LOCAL_ONLY = frozenset({"station"})

# Bookkeeping that differs per copy and must not be merged as data.
UNSYNCED_FIELDS = frozenset({"version", "updated_at"})

CONFLICT_ENTITY = "conflict"
CLOCK_SKEW_LIMIT_S = 300

_NAMESPACE = uuid.UUID("5b0c7d2e-8f1a-4d3c-9a57-0c1e2f3a4b5c")


def _synced_tables() -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        if issubclass(mapper.class_, SyncedMixin) and isinstance(table, Table) and \
                table.name not in _LOCAL_ONLY:
            tables[table.name] = table
    return tables


def synced_tables() -> dict[str, Table]:
    """Every table whose rows sync, by entity name (the table name)."""
    import lawsup_desktop.store.models  # noqa: F401  (registers the mappers)

    return _synced_tables()


def station_pushable(entity: str) -> bool:
    return entity in synced_tables() and entity not in SERVER_OWNED


def reference_id(entity: str, key: tuple[Any, ...]) -> str:
    """The bureau's stable id of a reference record (same on every server run)."""
    return str(uuid.uuid5(_NAMESPACE, entity + ":" + "|".join(str(k) for k in key)))


def derived_id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(parts)))


def synced_columns(table: Table) -> list[Column[Any]]:
    return [c for c in table.columns if c.name not in UNSYNCED_FIELDS]


def plain(value: Any) -> Any:
    """The wire (JSON) form of a column value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def parse(column: Column[Any], value: Any) -> Any:
    """A wire value back to what the column takes."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, UtcDateTime | DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, SAEnum) and kind.enum_class is not None:
        return kind.enum_class(value)
    return value


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class Digest:
    """Per-type count and checksum of records: equal on both sides after a sync."""

    def __init__(self) -> None:
        self._rows: dict[str, list[tuple[str, str]]] = {}

    def add(self, entity: str, record_id: str, data: dict[str, Any]) -> None:
        fields = {k: v for k, v in data.items() if k not in UNSYNCED_FIELDS}
        self._rows.setdefault(entity, []).append((record_id, canonical(fields)))

    def result(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for entity, rows in sorted(self._rows.items()):
            h = hashlib.sha256()
            for record_id, text in sorted(rows):
                h.update(record_id.encode())
                h.update(b"\0")
                h.update(text.encode())
                h.update(b"\n")
            out[entity] = {"count": len(rows), "checksum": h.hexdigest()}
        return out
