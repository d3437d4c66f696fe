"""The sync protocol's server side: apply pushed ops exactly once, merge, hand out pulls.

Exactly once: every applied op is stored with its result under its op id
(``AppliedOp``); a retried op gets the stored result back and changes nothing.
Ops of a device are applied strictly in its order (``seq``); a gap is refused.

Merging: an update carries, per field, the value it was made on and the new one,
plus the base version of the record. The three-way merge works per field on the
values (base = the old value, theirs = the server's, mine = the new): unchanged
there → applied; equal → nothing to do; else a hard conflict. Comparing values
rather than version numbers keeps a device's own earlier ops in one batch from
looking like someone else's change.

Pull cursor: every changed record gets the next number of ``change_counter``,
taken by an UPDATE of that single row at the very end of the writing
transaction. The row lock is held until commit, so the transactions that change
records commit in the order of their numbers: a reader can never see number
n+1 committed while n is still to come (PostgreSQL sequences give no such
guarantee, their numbers commit out of order). We chose this over xid8
snapshots because it works unchanged on SQLite (where writers serialise anyway)
and keeps the cursor one plain integer; the cost, one short serialised section
per push batch (the lock is taken last), is far below the batch's own work.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import orjson
from sqlalchemy import Table, bindparam, insert, or_, select, tuple_, update
from sqlalchemy.orm import Session

from lawsup_central.db import driver_connection, json_bytes, json_dumps
from lawsup_central.models import AppliedOp, ChangeCounter, Device, Record, ReviewSlot
from lawsup_desktop.sync.field_types import wrong_fields
from lawsup_desktop.sync.rules import (
    APPEND_ONLY,
    CONFLICT_ENTITY,
    SERVER_FIELDS,
    SERVER_OWNED,
    UNSYNCED_FIELDS,
    Digest,
    derived_id,
    synced_tables,
)


class ProtocolError(Exception):
    """A refusal of the whole request: HTTP ``status`` with a reason in both languages."""

    def __init__(
        self, status: int, code: str, zh: str, en: str, **extra: Any
    ) -> None:
        super().__init__(en)
        self.status, self.code, self.zh, self.en, self.extra = status, code, zh, en, extra

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": {"zh": self.zh, "en": self.en}, **self.extra}


class Rejected(Exception):
    """One op refused for good; the refusal is stored as its result."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code, self.zh, self.en = code, zh, en


def server_now() -> str:
    return datetime.now(UTC).isoformat()


_COLUMNS: dict[str, frozenset[str]] = {}


def columns_of(entity: str) -> frozenset[str]:
    if not _COLUMNS:
        for name, table in synced_tables().items():
            _COLUMNS[name] = frozenset(c.name for c in table.columns) - UNSYNCED_FIELDS
    return _COLUMNS.get(entity, frozenset())


@dataclass(slots=True, eq=False)
class PlainRecord:
    """A record a push creates or loads: the ``Record`` columns as a plain object (an
    ORM instance costs tens of microseconds to make and track; a push makes hundreds).
    Written by ``assign_change_seqs``: inserted, or updated when ``stored``."""

    entity: str
    id: str
    station_id: str | None
    data: dict[str, Any]
    deleted: bool = False
    version: int = 1
    change_seq: int = 0
    updated_at: datetime | None = None
    stored: bool = False


AnyRecord = Record | PlainRecord


@dataclass(frozen=True, slots=True)
class DeviceScope:
    """What push needs of the device a token belongs to (``admin.device_scope``)."""

    id: str
    station_id: str
    last_seq: int


def _table(model: type[Record] | type[AppliedOp] | type[Device]) -> Table:
    return cast(Table, model.__table__)


@dataclass
class Batch:
    """The records one transaction changed, in the order they changed."""

    changed: dict[tuple[str, str], AnyRecord] = field(default_factory=dict)
    # Records loaded (locked) up front by push; a key absent here is looked up.
    known: dict[tuple[str, str], AnyRecord] | None = None

    absent: set[tuple[str, str]] = field(default_factory=set)
    # Review slots claimed by this batch (not yet flushed, so not found by a query).
    slots: dict[tuple[str, int, int], ReviewSlot] = field(default_factory=dict)

    def get(self, session: Session, entity: str, record_id: str) -> AnyRecord | None:
        key = (entity, record_id)
        if self.known is not None:
            if key in self.known:
                return self.known[key]
            if key in self.absent:
                return None
        return session.get(Record, key, with_for_update=True)

    def add(self, record: PlainRecord) -> None:
        """A record this push creates."""
        self.touch(record)

    def touch(self, record: AnyRecord) -> None:
        self.changed.pop((record.entity, record.id), None)
        self.changed[(record.entity, record.id)] = record
        if self.known is not None:
            self.known[(record.entity, record.id)] = record
            self.absent.discard((record.entity, record.id))


def assign_change_seqs(session: Session, batch: Batch) -> None:
    """Number the batch's changes and write them; the counter update must be the
    transaction's last step (module doc): everything that needs no number is written
    before it, so the lock is held for as short a time as possible. Plain records (a
    push's) are written together with the counter update (ORM records, the bureau's,
    are flushed after it)."""
    records = list(batch.changed.values())
    if not records:
        session.flush()
        return
    now = datetime.now(UTC)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for position, record in enumerate(records, start=1):
        if isinstance(record, PlainRecord):
            record.updated_at = now
            (updates if record.stored else inserts).append(
                {"entity": record.entity, "id": record.id, "station_id": record.station_id,
                 "version": record.version, "data": record.data,
                 "deleted": bool(record.deleted), "position": position})
    with session.no_autoflush:
        raw = driver_connection(session)
        if raw is not None:
            top = _number_and_write_pg(raw, len(records), inserts, updates, now)
        else:
            top = _number_and_write(session, len(records), inserts, updates, now)
    for position, record in enumerate(records, start=1):
        record.change_seq = top - len(records) + position
    session.flush()


def _naive_utc(moment: datetime) -> datetime:
    # As UtcDateTime stores it; the PostgreSQL statements below bind it directly.
    return moment.astimezone(UTC).replace(tzinfo=None)


# json_to_recordset's column list for a pushed record (its place in the batch gives
# its change number).
_RECORD_SET = ("entity text, id text, station_id text, version integer, data json, "
               "deleted boolean, position bigint")


@functools.cache
def _numbering_statement(inserting: bool, updating: bool) -> str:
    """The counter update and the batch's rows in one statement: the counter's row lock
    is then held for one statement and the commit, never across round trips of a
    worker thread waiting for the interpreter lock. The rows arrive as one JSON
    parameter (json_to_recordset): one statement to parse and plan, not one per row."""
    parts = ["WITH top AS (UPDATE change_counter SET value = value + %(count)s "
             "WHERE id = 1 RETURNING value)"]
    if inserting:
        parts.append(
            ", inserted AS (INSERT INTO record (entity, id, station_id, version, data, deleted,"
            " change_seq, updated_at) SELECT r.entity, r.id, r.station_id, r.version, r.data,"
            " r.deleted, top.value - %(count)s + r.position, %(now)s FROM top, "
            f"json_to_recordset(CAST(%(inserts)s AS json)) AS r({_RECORD_SET}))")
    if updating:
        parts.append(
            ", updated AS (UPDATE record SET version = r.version, data = r.data, "
            "deleted = r.deleted, change_seq = top.value - %(count)s + r.position, "
            "updated_at = %(now)s FROM top, "
            f"json_to_recordset(CAST(%(updates)s AS json)) AS r({_RECORD_SET}) "
            "WHERE record.entity = r.entity AND record.id = r.id)")
    parts.append(" SELECT value FROM top")
    return "".join(parts)


def _number_and_write_pg(raw: Any, count: int, inserts: list[dict[str, Any]],
                         updates: list[dict[str, Any]], now: datetime) -> int:
    params: dict[str, Any] = {"count": count, "now": _naive_utc(now)}
    if inserts:
        params["inserts"] = json_dumps(inserts)
    if updates:
        params["updates"] = json_dumps(updates)
    return int(raw.execute(_numbering_statement(bool(inserts), bool(updates)),
                           params).fetchone()[0])


def _number_and_write(session: Session, count: int, inserts: list[dict[str, Any]],
                      updates: list[dict[str, Any]], now: datetime) -> int:
    """The same as ``_number_and_write_pg`` in portable statements (SQLite: writers
    are serialised by the database lock anyway)."""
    top = int(session.execute(
        update(ChangeCounter).where(ChangeCounter.id == 1)
        .values(value=ChangeCounter.value + count).returning(ChangeCounter.value)
    ).scalar_one())
    first = top - count
    table = _table(Record)
    if inserts:
        # The table, not the mapped class: the ORM's bulk insert inspects every row.
        session.execute(insert(table), [
            {"entity": r["entity"], "id": r["id"], "station_id": r["station_id"],
             "version": r["version"], "data": r["data"], "deleted": r["deleted"],
             "change_seq": first + r["position"], "updated_at": now} for r in inserts])
    if updates:
        session.execute(
            update(table).where(table.c.entity == bindparam("k_entity"),
                                table.c.id == bindparam("k_id"))
            .values(version=bindparam("v_version"), data=bindparam("v_data"),
                    deleted=bindparam("v_deleted"), change_seq=bindparam("v_seq"),
                    updated_at=bindparam("v_at")),
            [{"k_entity": r["entity"], "k_id": r["id"], "v_version": r["version"],
              "v_data": r["data"], "v_deleted": r["deleted"], "v_seq": first + r["position"],
              "v_at": now} for r in updates])
    return top


def text_array(values: Iterable[str]) -> str:
    """A PostgreSQL text[] literal, every element quoted: psycopg's own list adapter
    costs several times more Python time for the same array."""
    return "{" + ",".join(
        '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values) + "}"


def _load_records(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str],
                                                                        AnyRecord]:
    """The records a push will look at, locked, as plain records. On PostgreSQL the
    keys go as two arrays (one statement text whatever their number, so it is prepared
    once per connection; an IN list of n pairs is a new statement per n, and SQLAlchemy
    renders its parameters one by one). Not as JSON: the planner cannot see into a JSON
    parameter and a prepared statement's generic plan then scans the whole table."""
    table = _table(Record)
    columns = (table.c.entity, table.c.id, table.c.station_id, table.c.version, table.c.data,
               table.c.deleted)
    if not keys:
        return {}
    raw = driver_connection(session)
    rows: Iterable[Any]
    if raw is not None:
        rows = raw.execute(_LOAD_RECORDS, {
            "entities": text_array([entity for entity, _ in keys]),
            "ids": text_array([record_id for _, record_id in keys])})
    else:
        rows = session.execute(select(*columns).where(
            tuple_(table.c.entity, table.c.id).in_(keys)))
    return {(entity, record_id): PlainRecord(entity=entity, id=record_id, station_id=station,
                                             data=data, deleted=deleted, version=version,
                                             stored=True)
            for entity, record_id, station, version, data, deleted in rows}


_LOAD_RECORDS = (
    "SELECT r.entity, r.id, r.station_id, r.version, r.data, r.deleted "
    "FROM unnest(CAST(%(entities)s AS text[]), CAST(%(ids)s AS text[])) AS k(entity, id) "
    "JOIN record AS r ON r.entity = k.entity AND r.id = k.id FOR UPDATE OF r")


def _applied_results(session: Session, op_ids: set[str]) -> dict[str, tuple[str, Any]]:
    """The ops of a batch applied before: op id → (device id, stored result)."""
    raw = driver_connection(session)
    rows: Iterable[Any]
    if raw is not None:
        rows = raw.execute(_APPLIED, {"ids": text_array(op_ids)})
    else:
        rows = session.execute(select(*_APPLIED_COLUMNS).where(AppliedOp.op_id.in_(op_ids)))
    return {op_id: (owner, result) for op_id, owner, result in rows}


_APPLIED_COLUMNS = (AppliedOp.op_id, AppliedOp.device_id, AppliedOp.result)
_APPLIED = ("SELECT op_id, device_id, result FROM applied_op "
            "WHERE op_id = ANY(CAST(%(ids)s AS text[]))")  # an array: see _load_records


# --- push -----------------------------------------------------------------------


def push(session: Session, device: DeviceScope, ops: list[dict[str, Any]]) -> dict[str, Any]:
    """Apply a device's ops. ``device``'s row was locked FOR UPDATE by the caller (one
    push per device at a time)."""
    batch = Batch()
    # Everything the batch will look at, in two queries instead of two per op (Batch.get
    # then answers each op's lookups without SQL).
    applied = _applied_results(session, {op["op_id"] for op in ops})
    keys = {(op["entity"], op["record_id"]) for op in ops}
    keys |= {(CONFLICT_ENTITY, op["record_id"]) for op in ops if op["kind"] == "resolve"}
    keys |= {("case_audit", str(op["fields"]["audit_id"][1])) for op in ops
             if op["entity"] == "review_step" and op["kind"] == "insert"
             and isinstance(op["fields"].get("audit_id"), list)}
    batch.known = _load_records(session, keys)
    batch.absent = keys - set(batch.known)
    results: list[dict[str, Any]] = []
    new_ops: list[dict[str, Any]] = []
    stopped: dict[str, Any] | None = None
    last_seq = device.last_seq
    now = datetime.now(UTC)
    with session.no_autoflush:
        for op in ops:
            stored = applied.get(op["op_id"])
            if stored is not None:
                if stored[0] != device.id:
                    raise ProtocolError(
                        409, "op_id_reused",
                        f"操作编号 {op['op_id']} 已用于另一个操作。",
                        f"Op id {op['op_id']} was already used for another op.",
                    )
                # A retry: the stored result, nothing applied. Its number may differ
                # after the station restored a backup (the client renumbers then).
                results.append(stored[1])
                continue
            expected = last_seq + 1
            if op["seq"] != expected:
                refusal = ProtocolError(
                    409, "gap" if op["seq"] > expected else "seq_taken",
                    f"操作顺序不连续：应为第 {expected} 号，收到第 {op['seq']} 号；"
                    "从此处起未应用。",
                    f"Ops out of order: expected number {expected}, got {op['seq']}; "
                    "nothing from there on was applied.",
                    expected_seq=expected,
                )
                if not results:
                    raise refusal
                # The ops before it stand (committed with their results); the client
                # sees where the service stopped and why.
                stopped = refusal.body()
                break
            result = apply_op(session, device, op, batch)
            applied[op["op_id"]] = (device.id, result)
            new_ops.append({"op_id": op["op_id"], "device_id": device.id, "seq": op["seq"],
                            "result": result, "applied_at": now})
            last_seq = op["seq"]
            results.append(result)
        # Written before the counter is taken (assign_change_seqs): they need no number.
        _record_applied(session, device.id, new_ops, last_seq, now)
        assign_change_seqs(session, batch)
    answer: dict[str, Any] = {"results": results, "last_seq": last_seq}
    if stopped is not None:
        answer["stopped"] = stopped
    return answer


def _record_applied(session: Session, device_id: str, rows: list[dict[str, Any]],
                    last_seq: int, now: datetime) -> None:
    """The applied ops with their results, and the device's last op."""
    raw = driver_connection(session)
    if raw is not None:
        # One statement, the ops as one JSON parameter (see _numbering_statement).
        at = _naive_utc(now)
        stamp = at.isoformat()
        raw.execute(_RECORD_APPLIED, {
            "rows": json_dumps([{**row, "applied_at": stamp} for row in rows]),
            "device": device_id, "last_seq": last_seq, "now": at})
        return
    if rows:
        session.execute(insert(_table(AppliedOp)), rows)
    session.execute(_DEVICE_SEEN, {"device": device_id, "last_seq": last_seq, "now": now})


_RECORD_APPLIED = (
    "WITH applied AS (INSERT INTO applied_op (op_id, device_id, seq, result, applied_at) "
    "SELECT r.op_id, r.device_id, r.seq, r.result, r.applied_at "
    "FROM json_to_recordset(CAST(%(rows)s AS json)) "
    "AS r(op_id text, device_id text, seq bigint, result json, applied_at timestamp)) "
    "UPDATE device SET last_seq = %(last_seq)s, last_seen_at = %(now)s WHERE id = %(device)s")
_DEVICE_SEEN = (update(_table(Device)).where(_table(Device).c.id == bindparam("device"))
                .values(last_seq=bindparam("last_seq"), last_seen_at=bindparam("now")))


def apply_op(session: Session, device: DeviceScope, op: dict[str, Any],
             batch: Batch) -> dict[str, Any]:
    head = {"op_id": op["op_id"], "seq": op["seq"], "entity": op["entity"],
            "record_id": op["record_id"]}
    try:
        return head | _apply(session, device, op, batch)
    except Rejected as refusal:
        return head | {
            "status": "rejected",
            "code": refusal.code,
            "reason": {"zh": refusal.zh, "en": refusal.en},
        }


def _apply(session: Session, device: DeviceScope, op: dict[str, Any],
           batch: Batch) -> dict[str, Any]:
    entity, record_id, kind = op["entity"], op["record_id"], op["kind"]
    fields: dict[str, list[Any]] = op["fields"]
    station_id = device.station_id
    if kind == "resolve":
        return _resolve(session, station_id, record_id, fields, batch)
    if not columns_of(entity):
        raise Rejected("unknown_entity", f"未知的记录类型 {entity}。",
                       f"Unknown record type {entity}.")
    if entity in SERVER_OWNED:
        raise Rejected("server_owned", "该类记录由县局维护，派出所不能修改。",
                       "These records are maintained by the bureau; stations cannot change them.")
    unknown = set(fields) - columns_of(entity)
    if unknown:
        raise Rejected("unknown_field", f"未知字段：{', '.join(sorted(unknown))}。",
                       f"Unknown fields: {', '.join(sorted(unknown))}.")
    _check_types(entity, fields)
    record = batch.get(session, entity, record_id)
    if record is not None and record.station_id != station_id:
        raise Rejected("other_station", "该记录属于其他派出所，不能修改。",
                       "This record belongs to another station; it cannot be changed.")
    if kind == "insert":
        return _insert(session, device, op, record, batch)
    if record is None:
        raise Rejected("unknown_record", "服务器上没有该记录。", "The server has no such record.")
    return _update(session, device, op, record, batch)


def _check_types(entity: str, fields: dict[str, list[Any]]) -> None:
    """Every new value must fit its column (field_types): the station's other devices
    store what is accepted here, and a wrong type crashes or corrupts their pull. Only
    the new value: the old one is only compared, never stored."""
    wrong = wrong_fields(entity, [(name, pair[1]) for name, pair in fields.items()])
    if wrong:
        names = ", ".join(sorted(wrong))
        raise Rejected("bad_type", f"字段 {names} 的值类型或格式不对。",
                       f"Field(s) {names}: the value has the wrong type or format.")


def _server_fields_touched(entity: str, values: dict[str, Any]) -> None:
    touched = [f for f in SERVER_FIELDS.get(entity, ()) if values.get(f) not in (None, False, "")]
    if touched:
        raise Rejected("server_field", f"字段 {', '.join(touched)} 只能由县局设置。",
                       f"Field(s) {', '.join(touched)} can only be set by the bureau.")


def _insert(session: Session, device: DeviceScope, op: dict[str, Any], record: AnyRecord | None,
            batch: Batch) -> dict[str, Any]:
    entity = op["entity"]
    data = {name: pair[1] for name, pair in op["fields"].items()}
    if data.get("id") not in (None, op["record_id"]):
        raise Rejected("bad_id", "记录编号不一致。", "The record id does not match.")
    data["id"] = op["record_id"]
    if record is not None:
        if all(record.data.get(k) == v for k, v in data.items()):
            return {"status": "applied", "version": record.version}
        raise Rejected("exists", "已有相同编号的记录。", "A record with this id already exists.")
    _server_fields_touched(entity, data)
    if entity == "review_step":
        conflict = _claim_review_slot(session, device, op, data, batch)
        if conflict is not None:
            return conflict
    batch.add(PlainRecord(entity=entity, id=op["record_id"], station_id=device.station_id,
                        data=data, deleted=data.get("deleted_at") is not None))
    return {"status": "applied", "version": 1}


def _update(session: Session, device: DeviceScope, op: dict[str, Any], record: AnyRecord,
            batch: Batch) -> dict[str, Any]:
    entity = op["entity"]
    fields: dict[str, list[Any]] = op["fields"]
    if entity in APPEND_ONLY:
        raise Rejected("append_only", "该类记录只能追加，签署后不能修改。",
                       "These records are append-only; once written they cannot change.")
    changed_to = {name: pair[1] for name, pair in fields.items() if pair[0] != pair[1]}
    for name in SERVER_FIELDS.get(entity, ()):
        if name in changed_to:
            raise Rejected("server_field", f"字段 {name} 只能由县局设置。",
                           f"Field {name} can only be set by the bureau.")
    data = dict(record.data)
    deletes = "deleted_at" in fields and fields["deleted_at"][0] is None and \
        fields["deleted_at"][1] is not None
    if deletes and record.deleted:
        return {"status": "applied", "version": record.version}  # deleted on both sides
    apply: dict[str, Any] = {}
    clashes: dict[str, dict[str, Any]] = {}
    for name, (old, new) in fields.items():
        current = data.get(name)
        if current == new:
            continue
        if current == old:
            apply[name] = new
        else:
            clashes[name] = {"mine": new, "theirs": current, "base": old}
    if record.deleted and "deleted_at" not in fields:
        # Edited here, deleted there: keep the delete, keep the edit for the user.
        sides = {n: {"mine": p[1], "theirs": data.get(n), "base": p[0]}
                 for n, p in fields.items() if data.get(n) != p[1]}
        sides["deleted_at"] = {"mine": None, "theirs": data.get("deleted_at"), "base": None}
        return _conflict(session, device, op, "edit_delete", sides, record, batch)
    if deletes and clashes:
        # Deleted here, edited there: the record stays; the user decides.
        clashes["deleted_at"] = {"mine": fields["deleted_at"][1], "theirs": None, "base": None}
        return _conflict(session, device, op, "edit_delete", clashes, record, batch)
    if apply:
        data.update(apply)
        record.data = data
        record.deleted = data.get("deleted_at") is not None
        record.version += 1
        record.updated_at = datetime.now(UTC)
        batch.touch(record)
    if clashes:
        return _conflict(session, device, op, "field", clashes, record, batch)
    return {"status": "applied", "version": record.version}


def _conflict(session: Session, device: DeviceScope, op: dict[str, Any], kind: str,
              sides: dict[str, dict[str, Any]], record: AnyRecord | None, batch: Batch,
              **detail: Any) -> dict[str, Any]:
    conflict = PlainRecord(
        entity=CONFLICT_ENTITY,
        id=derived_id("conflict", op["op_id"]),
        station_id=device.station_id,
        data={
            "entity": op["entity"],
            "record_id": op["record_id"],
            "kind": kind,
            "fields": sides,
            "state": "open",
            "op_id": op["op_id"],
            "device_id": device.id,
            "created_at": server_now(),
            "detail": detail,
        },
    )
    batch.add(conflict)
    return {
        "status": "conflict",
        "conflict_id": conflict.id,
        "kind": kind,
        "version": record.version if record is not None else None,
    }


def _resolve(session: Session, station_id: str, conflict_id: str, fields: dict[str, list[Any]],
             batch: Batch) -> dict[str, Any]:
    record = batch.get(session, CONFLICT_ENTITY, conflict_id)
    if record is None or record.station_id != station_id:
        raise Rejected("unknown_conflict", "没有这个冲突记录。", "No such conflict.")
    choice = fields.get("resolution", [None, None])[1]
    record.data = {**record.data, "state": "resolved", "resolution": choice,
                   "resolved_at": server_now()}
    record.version += 1
    batch.touch(record)
    return {"status": "applied", "version": record.version}


def _claim_review_slot(session: Session, device: DeviceScope, op: dict[str, Any],
                       data: dict[str, Any], batch: Batch) -> dict[str, Any] | None:
    """The review chain's order and one decision per level per round, on the server too."""
    try:
        audit_id, rnd, level = str(data["audit_id"]), int(data["round"]), int(data["level"])
        decision = str(data["decision"])
    except (KeyError, TypeError, ValueError, OverflowError) as exc:  # int(inf)
        raise Rejected("bad_step", "审核环节数据不完整。",
                       "The review step is incomplete.") from exc
    audit = batch.get(session, "case_audit", audit_id)
    if audit is None or audit.station_id != device.station_id:
        raise Rejected("unknown_audit", "服务器上没有该审核登记表。",
                       "The server has no such audit form.")
    if not 1 <= level <= 5 or rnd < 1:
        raise Rejected("bad_step", "审核级别或轮次无效。", "Invalid review level or round.")
    taken = batch.slots.get((audit_id, rnd, level)) or session.get(
        ReviewSlot, (audit_id, rnd, level), with_for_update=True)
    if taken is not None:
        theirs = batch.get(session, "review_step", taken.step_id)
        theirs_data = theirs.data if theirs is not None else {}
        sides = {name: {"mine": data.get(name), "theirs": theirs_data.get(name), "base": None}
                 for name in ("decision", "opinion", "reviewer_id", "reviewed_at")}
        return _conflict(session, device, op, "review_level", sides, None, batch,
                         theirs_id=taken.step_id, round=rnd, level=level)
    if level > 1:
        before = batch.slots.get((audit_id, rnd, level - 1)) or session.get(
            ReviewSlot, (audit_id, rnd, level - 1))
        if before is None or before.decision != "approve":
            raise Rejected("chain_order",
                           f"第{rnd}轮第{level - 1}级尚未同意，不能签署第{level}级。",
                           f"Level {level - 1} of round {rnd} has not approved; level {level} "
                           "cannot sign yet.")
    elif rnd > 1:
        returned = next((s for (a, r, _), s in batch.slots.items()
                         if a == audit_id and r == rnd - 1 and s.decision == "return"),
                        None) or session.scalars(
            select(ReviewSlot).where(ReviewSlot.audit_id == audit_id,
                                     ReviewSlot.round == rnd - 1,
                                     ReviewSlot.decision == "return")
        ).first()
        if returned is None:
            raise Rejected("chain_order", f"第{rnd - 1}轮未退回补正，不能开始第{rnd}轮。",
                           f"Round {rnd - 1} was not returned; round {rnd} cannot start.")
    slot = ReviewSlot(audit_id=audit_id, round=rnd, level=level, step_id=op["record_id"],
                      decision=decision)
    session.add(slot)
    batch.slots[(audit_id, rnd, level)] = slot
    return None


# --- pull and checks --------------------------------------------------------------


def _in_scope(station_id: str) -> Any:
    return or_(Record.station_id == station_id, Record.station_id.is_(None))


_PULLED = (Record.entity, Record.id, Record.version, Record.data, Record.deleted,
           Record.change_seq)


def pull(session: Session, station_id: str, after: int, limit: int) -> dict[str, Any]:
    """A page of the station's changes after ``after``. ``records`` is the page's JSON
    array, already encoded (an ``orjson.Fragment``: the answer's encoder copies it)."""
    raw = driver_connection(session)
    if raw is not None:
        return _pull_pg(raw, station_id, after, limit)
    # Two index-ordered scans (the station's records, everyone's records) merged here,
    # rather than one OR: the database would sort every match of the OR for each page.
    # Plain rows, not ORM objects: a page is read, never changed.
    rows: list[Any] = []
    for owner in (Record.station_id == station_id, Record.station_id.is_(None)):
        rows.extend(session.execute(
            select(*_PULLED).where(owner, Record.change_seq > after)
            .order_by(Record.change_seq).limit(limit + 1)))
    rows.sort(key=lambda r: r[5])
    page = rows[:limit]
    return {
        "records": orjson.Fragment(json_bytes([
            {"entity": entity, "id": record_id, "version": version, "data": data,
             "deleted": deleted, "seq": seq}
            for entity, record_id, version, data, deleted, seq in page
        ])),
        "cursor": page[-1][5] if page else after,
        "more": len(rows) > limit,
    }


# PostgreSQL writes each record's JSON itself (its stored data text is copied, never
# parsed and encoded again in Python), in one statement: the same two index-ordered
# scans, merged by the database.
_PULL_PG = (
    "SELECT page.change_seq, json_build_object('entity', page.entity, 'id', page.id, "
    "'version', page.version, 'data', page.data, 'deleted', page.deleted, "
    "'seq', page.change_seq)::text FROM ("
    "(SELECT entity, id, version, data, deleted, change_seq FROM record "
    "WHERE station_id = %(station)s AND change_seq > %(after)s ORDER BY change_seq "
    "LIMIT %(rows)s) "
    "UNION ALL "
    "(SELECT entity, id, version, data, deleted, change_seq FROM record "
    "WHERE station_id IS NULL AND change_seq > %(after)s ORDER BY change_seq LIMIT %(rows)s)"
    ") AS page ORDER BY page.change_seq LIMIT %(rows)s")


def _pull_pg(raw: Any, station_id: str, after: int, limit: int) -> dict[str, Any]:
    rows = raw.execute(_PULL_PG, {"station": station_id, "after": after,
                                  "rows": limit + 1}).fetchall()
    page = rows[:limit]
    return {
        "records": orjson.Fragment(("[" + ",".join(r[1] for r in page) + "]").encode()),
        "cursor": page[-1][0] if page else after,
        "more": len(rows) > limit,
    }


def checksums(session: Session, station_id: str) -> dict[str, dict[str, Any]]:
    digest = Digest()
    for entity, record_id, data in session.execute(
        select(Record.entity, Record.id, Record.data).where(
            _in_scope(station_id), Record.entity != CONFLICT_ENTITY
        )
    ):
        digest.add(entity, record_id, data)
    return digest.result()


def record_in_scope(session: Session, station_id: str, entity: str,
                    record_id: str) -> Record | None:
    record = session.get(Record, (entity, record_id))
    if record is None or (record.station_id not in (None, station_id)):
        return None
    return record


def write_server_record(session: Session, batch: Batch, entity: str, record_id: str,
                        station_id: str | None, data: dict[str, Any]) -> Record:
    """Create or replace a record the bureau owns (reference data, guidance, assignments)."""
    record = session.get(Record, (entity, record_id), with_for_update=True)
    data = {**data, "id": record_id}
    if record is None:
        record = Record(entity=entity, id=record_id, station_id=station_id, version=1, data=data,
                        deleted=data.get("deleted_at") is not None)
        session.add(record)
    else:
        record.data = {**record.data, **data}
        record.deleted = record.data.get("deleted_at") is not None
        record.version += 1
    batch.touch(record)
    return record


def iter_scope(session: Session, station_id: str) -> Iterable[Record]:
    return session.scalars(select(Record).where(_in_scope(station_id)))
