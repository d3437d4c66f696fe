"""Applying a pulled page straight to a station database (no service): a record that
clashes in the middle of a page of new records costs only itself."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text

from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.sync.engine import SyncEngine


class _Client:
    server_time = "2026-11-27T08:00:00+00:00"


def _incident(n: int, **changes: Any) -> dict[str, Any]:
    data = {"id": str(uuid.UUID(int=n + 1)), "incident_no": f"P-{n:05d}",
            "received_at": "2026-11-20T09:30:00", "category": "dispute", "is_key": False,
            "key_category": None, "address": "城关镇", "summary": "邻里纠纷",
            "caller_name": "张三", "caller_phone": "13800000000", "unit_id": None,
            "handling_officer_id": None, "disposition": None, "handling_notes": "",
            "watch_state": "pending", "follow_up_state": "none",
            "created_at": "2026-11-20T01:00:00+00:00", "deleted_at": None, **changes}
    return {"entity": "incident", "id": data["id"], "version": 3, "data": data,
            "deleted": False, "seq": n + 1}


def test_a_clash_in_the_middle_of_a_page_keeps_every_other_record(
        db: Database, workstation: WorkstationInfo) -> None:
    engine = SyncEngine(db, _Client())  # type: ignore[arg-type]
    engine.apply_page([_incident(0)], 1)
    # Record 0's number is taken here by another id; record 7 lacks a required value.
    page = [_incident(n) for n in range(1, 12)]
    page[4] = _incident(5, incident_no="P-00000")
    page[6] = _incident(7, summary=None)
    engine.apply_page(page, 12)
    with db.reader.connect() as conn:
        incidents: dict[str, str] = dict(conn.execute(text(
            "SELECT id, incident_no FROM incident")).all())
        conflicts: dict[str, str] = dict(conn.execute(text(
            "SELECT record_id, detail FROM sync_conflict WHERE kind = 'duplicate'")).all())
        pending = set(conn.scalars(text("SELECT incident_id FROM incident_search_pending")))
        versions: dict[str, int] = dict(conn.execute(text(
            "SELECT record_id, server_version FROM sync_record_state")).all())
        cursor = conn.scalar(text("SELECT value FROM sync_meta WHERE key = 'cursor'"))
    clashing = {page[4]["id"], page[6]["id"]}
    expected = {r["id"] for r in [_incident(0), *page]} - clashing
    assert set(incidents) == expected
    assert set(conflicts) == clashing
    assert "UNIQUE" in conflicts[page[4]["id"]] and "NOT NULL" in conflicts[page[6]["id"]]
    assert pending == expected  # the search index learns of every inserted record
    assert set(versions) == expected | clashing and set(versions.values()) == {3}
    assert cursor == "12"
