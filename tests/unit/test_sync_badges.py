"""The per-record sync badge: the strongest state of a record wins (open conflict >
refused op > pending op > known to the service > local), for lists longer than one
statement's batch of ids."""

from __future__ import annotations

from sqlalchemy import insert

from lawsup_desktop.store.database import Database
from lawsup_desktop.store.sync_models import SyncConflict, SyncOutbox, SyncRecordState
from lawsup_desktop.sync.engine import badges, raw_write


def _outbox(conn, record_id: str, state: str, entity: str = "incident") -> None:
    conn.execute(insert(SyncOutbox).values(
        op_id=f"op-{entity}-{record_id}-{state}", entity=entity, record_id=record_id, kind="update",
        base_version=1, fields={}, state=state))


def test_the_strongest_state_wins_across_batches(db: Database) -> None:
    expected = {}
    with raw_write(db) as conn:
        for n in range(1200):  # more than two batches of 500
            record_id = f"rec-{n:04d}"
            kind = n % 6
            if kind >= 1:  # synced once
                conn.execute(insert(SyncRecordState).values(
                    entity="incident", record_id=record_id, server_version=1))
            if kind >= 2:
                _outbox(conn, record_id, "pending")
            if kind >= 3:
                _outbox(conn, record_id, "rejected")
            if kind >= 4:
                conn.execute(insert(SyncConflict).values(
                    id=f"c-{record_id}", entity="incident", record_id=record_id, kind="field",
                    fields={}, state="open", detail={}, created_at=""))
            if kind == 5:  # another type's op and a resolved conflict change nothing
                _outbox(conn, record_id, "pending", entity="rectification")
            expected[record_id] = ("local", "synced", "pending", "rejected", "conflict",
                                   "conflict")[kind]
        conn.execute(insert(SyncOutbox).values(
            op_id="op-other", entity="rectification", record_id="rec-0000", kind="update",
            base_version=1, fields={}, state="rejected"))
        conn.execute(insert(SyncConflict).values(
            id="c-resolved", entity="incident", record_id="rec-0001", kind="field",
            fields={}, state="resolved", detail={}, created_at=""))
    assert badges(db, "incident", list(expected)) == expected
    assert badges(db, "incident", []) == {}
