"""Inserting many synced records at once, with the same audit trail and sync outbox
rows the ORM hooks (store/audit.py, store/outbox.py) would write for them.

The ORM path costs a Python object, its attribute history and two hook passes per
row; for tens of thousands of rows (an import) that is most of the time. Here
the rows, their ``audit_entry`` rows and their ``sync_outbox`` ops go in as three
Core ``executemany`` statements on the write session's connection, so they
commit or roll back with the rest of the unit of work. Equivalence with the ORM
path is tested (tests/unit/test_import_fuzz.py compares both).

Only inserts: an update needs the old values and the sync base version, which
the ORM hooks already handle well for the few rows that change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session

from lawsup_desktop.store.audit import _UNTRACKED, Actor, _plain
from lawsup_desktop.store.base import SyncedMixin


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


_AS_IS = frozenset({str, int, float, bool, type(None)})


def _wire(value: Any, convert: Callable[[Any], Any]) -> Any:
    """``convert(value)``, skipped for the values it returns unchanged (most)."""
    return value if type(value) in _AS_IS else convert(value)


def _op(entity: str, record_id: str, fields: dict[str, list[Any]]) -> dict[str, Any]:
    from lawsup_desktop.store.outbox import _op as outbox_op

    # outbox._op reads only the record's table name and id: one shape for both paths.
    return outbox_op("insert", SimpleNamespace(__tablename__=entity, id=record_id), fields)  # type: ignore[arg-type]
