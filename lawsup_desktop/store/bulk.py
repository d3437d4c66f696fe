"""Inserting and updating many synced records at once, with the same audit trail and
sync outbox rows the ORM hooks (store/audit.py, store/outbox.py) would write for them.

The ORM path costs a Python object, its attribute history and two hook passes per
row; for tens of thousands of rows (an import) that is most of the time. Here
the rows, their ``audit_entry`` rows and their ``sync_outbox`` ops go in as three
Core ``executemany`` statements on the write session's connection, so they
commit or roll back with the rest of the unit of work. Updates likewise: one
``executemany`` UPDATE per set of changed columns, each row guarded by the version
it was read at and bumped as the ORM's version counter would be. Equivalence with
the ORM path is tested (tests/unit/test_incident_import.py and
tests/unit/test_import_fuzz.py compare both).

Both paths refuse the NUL character in text, as the ORM's flush hook does
(store/text_guard.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, insert, inspect, select, tuple_, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from lawsup_desktop.store.audit import _UNTRACKED, Actor, _plain
from lawsup_desktop.store.base import SyncedMixin, utc_now
from lawsup_desktop.store.text_guard import refuse_nul

# --- inserts ---------------------------------------------------------------------------


def _default(column: Any) -> Any:
    """The value the ORM would give a column the caller left out (Python defaults
    only: the synced tables have no server defaults)."""
    default = column.default
    if default is None:
        return None
    if default.is_callable:
        return default.arg(None)  # SQLAlchemy wraps no-argument callables as fn(ctx)
    if default.is_scalar:
        return default.arg
    raise ValueError(f"{column} has a default bulk_insert cannot compute")


def bulk_insert(
    session: Session, model: type[SyncedMixin], records: Sequence[Mapping[str, Any]]
) -> list[str]:
    """Insert ``records`` (attribute name → value, as for ``model(**record)``) in the
    write session's transaction, each with its audit entry and (for a pushable
    entity, unless the session opted out) its outbox op; returns the new ids."""
    from lawsup_desktop.store.models import AuditEntry
    from lawsup_desktop.store.outbox import pushable_entities
    from lawsup_desktop.store.sync_models import SyncOutbox
    from lawsup_desktop.sync.rules import UNSYNCED_FIELDS, plain

    if not records:
        return []
    actor: Actor | None = session.info.get("actor")
    if actor is None:
        raise RuntimeError("a write session must name its actor")
    mapper = inspect(model)
    table = mapper.local_table
    attributes = [(attr.key, attr.columns[0]) for attr in mapper.column_attrs]
    known = {key for key, _ in attributes}
    entity = str(table.name)
    with_ops = session.info.get("sync_outbox") is not False and entity in pushable_entities()
    # Callable defaults (ids, timestamps) per row, the constant ones once.
    per_row = {
        key: column
        for key, column in attributes
        if column.default is not None and column.default.is_callable
    }
    constant = {key: _default(column) for key, column in attributes if key not in per_row}
    if constant.get("version") is None:
        constant["version"] = 1  # the ORM's version counter starts at 1
    tracked = [key for key, _ in attributes if key not in _UNTRACKED]
    synced = [key for key, _ in attributes if key not in UNSYNCED_FIELDS]
    renamed = [(key, column.name) for key, column in attributes if key != column.name]
    rows: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    ops: list[dict[str, Any]] = []
    for record in records:
        unknown = record.keys() - known
        if unknown:
            raise TypeError(f"{model.__name__} has no attribute(s) {sorted(unknown)}")
        refuse_nul(entity, record.items())
        # The trail records what the caller set (as the before_flush hook sees a new
        # object: defaults are not applied yet, empty values are left out).
        changes = {
            key: [None, _wire(record[key], _plain)]
            for key in tracked
            if key in record and record[key] is not None and record[key] != ""
        }
        values = dict(constant)
        for key, column in per_row.items():
            if key not in record:
                values[key] = _default(column)
        values.update(record)
        row = dict(values)
        for key, name in renamed:
            row[name] = row.pop(key)
        rows.append(row)
        audits.append(
            {
                "actor_id": actor.id,
                "actor_name": actor.name,
                "action": "insert",
                "entity": entity,
                "entity_id": values["id"],
                "changes": changes,
            }
        )
        if with_ops:
            # The op carries every synced column as the after_flush hook sees it.
            fields = {key: [None, _wire(values[key], plain)] for key in synced}
            ops.append(_op(entity, values["id"], fields))
    connection = session.connection()
    connection.execute(insert(table), rows)
    connection.execute(insert(AuditEntry), audits)
    if ops:
        connection.execute(insert(SyncOutbox), ops)
    return [audit["entity_id"] for audit in audits]


# --- updates ---------------------------------------------------------------------------

_BASE_CHUNK = 500  # (entity, id) pairs per base-version look-up: SQLite's variable limit


def bulk_update(
    session: Session,
    model: type[SyncedMixin],
    rows: Sequence[tuple[Mapping[Any, Any], Mapping[str, Any]]],
) -> list[str]:
    """Update records in the write session's transaction: each of ``rows`` is (the
    record as read — its ``id``, ``version`` and every attribute in the second —,
    the new values by attribute name). Only the attributes whose value differs are
    written, with the version bumped and ``updated_at`` set, each changed record
    with its audit entry (old → new) and, for a pushable entity, its outbox op on
    the last server version seen; a record with nothing changed writes nothing.
    A record whose version moved since it was read raises StaleDataError, as the
    ORM would. Soft deletes go through the ORM (their op carries the whole record).
    Returns the ids of the records changed."""
    from lawsup_desktop.store.models import AuditEntry
    from lawsup_desktop.store.outbox import pushable_entities
    from lawsup_desktop.store.sync_models import SyncOutbox
    from lawsup_desktop.sync.rules import UNSYNCED_FIELDS, plain

    actor: Actor | None = session.info.get("actor")
    if actor is None:
        raise RuntimeError("a write session must name its actor")
    mapper = inspect(model)
    table = mapper.local_table
    columns = {attr.key: attr.columns[0] for attr in mapper.column_attrs}
    entity = str(table.name)
    with_ops = session.info.get("sync_outbox") is not False and entity in pushable_entities()
    now = utc_now()  # the ORM's onupdate gives each flush one clock reading too
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    audits: list[dict[str, Any]] = []
    ops: list[dict[str, Any]] = []
    for current, new in rows:
        unknown = new.keys() - columns.keys()
        if unknown:
            raise TypeError(f"{model.__name__} has no attribute(s) {sorted(unknown)}")
        changed = tuple(sorted(key for key, value in new.items() if current[key] != value))
        if not changed:
            continue
        if {"id", "version", "deleted_at"} & set(changed) or _UNTRACKED & set(changed):
            raise ValueError(f"bulk_update cannot change {sorted(changed)}")
        refuse_nul(entity, ((key, new[key]) for key in changed))
        params = {f"new_{key}": new[key] for key in changed}
        params.update(b_id=current["id"], b_version=current["version"], now=now)
        params["new_version"] = current["version"] + 1  # the ORM's version counter
        groups.setdefault(changed, []).append(params)
        audits.append(
            {
                "actor_id": actor.id,
                "actor_name": actor.name,
                "action": "update",
                "entity": entity,
                "entity_id": current["id"],
                "changes": {
                    key: [_wire(current[key], _plain), _wire(new[key], _plain)] for key in changed
                },
            }
        )
        if with_ops:
            fields: dict[str, list[Any]] = {}
            for key in changed:
                old_value, new_value = _wire(current[key], plain), _wire(new[key], plain)
                if key not in UNSYNCED_FIELDS and old_value != new_value:
                    fields[key] = [old_value, new_value]
            if fields:
                ops.append(_op(entity, current["id"], fields) | {"kind": "update"})
    if not audits:
        return []
    connection = session.connection()
    id_column, version_column = columns["id"], columns["version"]
    for changed, batch in groups.items():
        statement = (
            update(table)
            .where(id_column == bindparam("b_id"), version_column == bindparam("b_version"))
            .values(
                {columns[key]: bindparam(f"new_{key}", type_=columns[key].type) for key in changed}
                | {
                    version_column: bindparam("new_version"),
                    columns["updated_at"]: bindparam("now", type_=columns["updated_at"].type),
                }
            )
        )
        result = connection.execute(statement, batch)
        if connection.dialect.supports_sane_multi_rowcount and result.rowcount != len(batch):
            raise StaleDataError(
                f"{entity}: {len(batch) - result.rowcount} of {len(batch)} rows changed "
                "since they were read"
            )
    connection.execute(insert(AuditEntry), audits)
    if ops:
        _set_base_versions(connection, ops)
        connection.execute(insert(SyncOutbox), ops)
    return [audit["entity_id"] for audit in audits]


def _set_base_versions(connection: Any, ops: list[dict[str, Any]]) -> None:
    """Each update op's base: the server version last seen of its record, if any
    (what store/outbox.py does for the ORM's ops)."""
    from lawsup_desktop.store.sync_models import SyncRecordState

    keys = [(op["entity"], op["record_id"]) for op in ops]
    known: dict[tuple[str, str], int] = {}
    for start in range(0, len(keys), _BASE_CHUNK):
        chunk = keys[start : start + _BASE_CHUNK]
        for entity, record_id, version in connection.execute(
            select(
                SyncRecordState.entity, SyncRecordState.record_id, SyncRecordState.server_version
            ).where(tuple_(SyncRecordState.entity, SyncRecordState.record_id).in_(chunk))
        ):
            known[(entity, record_id)] = version
    for op, key in zip(ops, keys, strict=True):
        op["base_version"] = known.get(key)


_AS_IS = frozenset({str, int, float, bool, type(None)})


def _wire(value: Any, convert: Callable[[Any], Any]) -> Any:
    """``convert(value)``, skipped for the values it returns unchanged (most)."""
    return value if type(value) in _AS_IS else convert(value)


def _op(entity: str, record_id: str, fields: dict[str, list[Any]]) -> dict[str, Any]:
    from lawsup_desktop.store.outbox import _op as outbox_op

    # outbox._op reads only the record's table name and id: one shape for both paths.
    return outbox_op("insert", SimpleNamespace(__tablename__=entity, id=record_id), fields)  # type: ignore[arg-type]
