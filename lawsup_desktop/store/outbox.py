"""The sync outbox: every local write of a synced record becomes an op, in the same
transaction as the write, so a change is never saved without its op (or vice versa).

Hooked on ``after_flush``: by then column defaults (id, created_at, ...) are on the
objects, while the attribute history still holds the old values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, insert, inspect, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from lawsup_desktop.store.base import SyncedMixin, new_id


def _pushable() -> frozenset[str]:
    from lawsup_desktop.sync.rules import SERVER_OWNED, synced_tables

    return frozenset(name for name in synced_tables() if name not in SERVER_OWNED)


_PUSHABLE: frozenset[str] | None = None


def pushable_entities() -> frozenset[str]:
    global _PUSHABLE
    if _PUSHABLE is None:
        _PUSHABLE = _pushable()
    return _PUSHABLE


def entity_of(obj: SyncedMixin) -> str:
    """The entity name of a synced record: its table's name."""
    return str(obj.__tablename__)  # type: ignore[attr-defined]


def _op_fields(obj: SyncedMixin, *, inserted: bool) -> dict[str, list[Any]]:
    from lawsup_desktop.sync.rules import UNSYNCED_FIELDS, plain

    state = inspect(obj)
    fields: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in UNSYNCED_FIELDS:
            continue
        if inserted:
            fields[attr.key] = [None, plain(getattr(obj, attr.key))]
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = plain(history.deleted[0]) if history.deleted else None
            new = plain(history.added[0]) if history.added else None
            if old != new:
                fields[attr.key] = [old, new]
    return fields


def _append_ops(session: Session, _context: Any) -> None:
    # Imported at the first write, not when the database opens (start-up time).
    from lawsup_desktop.store.sync_models import SyncOutbox, SyncRecordState

    if session.info.get("sync_outbox") is False:
        return  # generated data that must never reach the bureau (the demo generator)
    pushable = pushable_entities()
    ops: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, SyncedMixin) and entity_of(obj) in pushable:
            ops.append(_op("insert", obj, _op_fields(obj, inserted=True)))
    for obj in session.dirty:
        if isinstance(obj, SyncedMixin) and entity_of(obj) in pushable:
            fields = _op_fields(obj, inserted=False)
            if fields.get("deleted_at", [1])[0] is None:
                # A delete carries the values it deleted ([v, v]): the service sees an
                # edit made elsewhere meanwhile as a clash (edit vs delete), not a no-op.
                seen = _op_fields(obj, inserted=True)
                fields = {name: [pair[1], pair[1]] for name, pair in seen.items()} | fields
            if fields:
                ops.append(_op("update", obj, fields))
    if not ops:
        return
    connection = session.connection()
    updates = [(op["entity"], op["record_id"]) for op in ops if op["kind"] == "update"]
    if updates:
        known = {
            key: version
            for key, version in connection.execute(
                select(
                    SyncRecordState.entity + ":" + SyncRecordState.record_id,
                    SyncRecordState.server_version,
                ).where(tuple_(SyncRecordState.entity, SyncRecordState.record_id).in_(updates))
            )
        }
        for op in ops:
            op["base_version"] = known.get(f"{op['entity']}:{op['record_id']}")
    connection.execute(insert(SyncOutbox), ops)


def _op(kind: str, obj: SyncedMixin, fields: dict[str, list[Any]]) -> dict[str, Any]:
    return {
        "op_id": new_id(),
        "entity": entity_of(obj),
        "record_id": obj.id,
        "kind": kind,
        "base_version": None,
        "fields": fields,
        "state": "pending",
        "reason_zh": "",
        "reason_en": "",
    }


def install_outbox(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "after_flush", _append_ops)
