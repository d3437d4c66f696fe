"""The append-only audit trail: every write records who, when, what and old → new.

It hangs on the write session's flush, so no service can forget it and it
always commits (or rolls back) together with the change it describes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from lawsup_desktop.store.base import SyncedMixin, new_id

# Bookkeeping that changes on every write and says nothing to a reader.
_UNTRACKED = frozenset({"created_at", "updated_at", "version"})


@dataclass(frozen=True)
class Actor:
    """Who is writing: an officer on the roster, or the program itself (id None)."""

    id: str | None
    name: str


SYSTEM = Actor(None, "system")


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a column value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _changes(obj: SyncedMixin, *, inserted: bool) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _UNTRACKED:
            continue
        history = state.attrs[attr.key].history
        if inserted:
            value = getattr(obj, attr.key)
            if value is not None and value != "":
                changes[attr.key] = [None, _plain(value)]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[attr.key] = [_plain(old), _plain(new)]
    return changes


def _record(session: Session, _context: Any, _instances: Any) -> None:
    from lawsup_desktop.store.models import AuditEntry
    from lawsup_desktop.store.text_guard import refuse_nul_in_flush

    refuse_nul_in_flush(session)  # nothing is written: a NUL would stall the sync outbox

    actor: Actor | None = session.info.get("actor")
    if actor is None:
        raise RuntimeError("a write session must name its actor")
    entries = []
    for obj in session.new:
        if isinstance(obj, SyncedMixin):
            entries.append(("insert", obj, _changes(obj, inserted=True)))
    for obj in session.dirty:
        if isinstance(obj, SyncedMixin) and session.is_modified(obj):
            changes = _changes(obj, inserted=False)
            if not changes:
                continue
            deleted_now = "deleted_at" in changes and changes["deleted_at"][0] is None
            entries.append(("delete" if deleted_now else "update", obj, changes))
    for obj in session.deleted:
        if isinstance(obj, SyncedMixin):
            raise RuntimeError("synced records are deleted softly (set deleted_at)")
    for action, obj, changes in entries:
        if obj.id is None:  # the column default comes only at insert; the trail needs it now
            obj.id = new_id()
        session.add(
            AuditEntry(
                actor_id=actor.id,
                actor_name=actor.name,
                action=action,
                entity=obj.__table__.name,  # type: ignore[attr-defined]
                entity_id=obj.id,
                changes=changes,
            )
        )


def install_audit_trail(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _record)
