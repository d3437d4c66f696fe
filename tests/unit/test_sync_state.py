"""The status bar's plain-SQL read of how sync stands (sync/state.py): the right
answer on a station with pending and refused changes, an open and a resolved
conflict, and every sync setting the bar shows."""

from __future__ import annotations

from sqlalchemy import insert, update

from lawsup_desktop.domain.errors import Text
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.sync_models import SyncConflict, SyncOutbox
from lawsup_desktop.sync import engine, state


def test_a_station_never_enrolled(db: Database, workstation: WorkstationInfo) -> None:
    read = state.status(db)
    assert not read.enrolled and read.server_url == "" and read.last_error is None
    assert read.pending > 0  # the set-up's own records wait for the first sync
    assert read.days_offline() is None


def test_an_enrolled_station_with_refusals_and_conflicts(
    db: Database, workstation: WorkstationInfo
) -> None:
    pending_before = state.status(db).pending
    with engine.raw_write(db) as conn:
        for key, value in (("device_id", "device-1"), ("server_url", "https://sync.example"),
                           ("last_sync", "2026-11-20T08:00:00+00:00"),
                           ("last_error_zh", "服务器无响应"), ("last_error_en", "No answer")):
            engine.set_meta(conn, key, value)
        first = conn.execute(SyncOutbox.__table__.select().limit(1)).first()
        assert first is not None
        conn.execute(update(SyncOutbox).where(SyncOutbox.seq == first.seq)
                     .values(state="rejected"))
        for number, conflict_state in enumerate(("open", "resolved")):
            conn.execute(insert(SyncConflict).values(
                id=f"conflict-{number}", entity="incident", record_id=f"record-{number}",
                kind="field", fields={}, state=conflict_state, detail={}, created_at=""))
    read = state.status(db)
    assert read.enrolled and read.server_url == "https://sync.example"
    assert (read.pending, read.rejected, read.open_conflicts) == (pending_before - 1, 1, 1)
    assert read.last_error == Text("服务器无响应", "No answer")
    assert read.last_sync_server_time == "2026-11-20T08:00:00+00:00"
