"""Round trips through the real service: push, pull, equal counts and checksums."""

from __future__ import annotations

from sqlalchemy import func, select

from lawsup_desktop.store.models import Incident
from lawsup_desktop.store.sync_models import SyncOutbox


def outbox(device) -> int:
    with device.db.read() as session:
        return session.scalar(select(func.count()).select_from(SyncOutbox).where(
            SyncOutbox.state == "pending"))


def test_a_second_device_receives_everything_and_checksums_agree(stations):
    first = stations.new()
    ids = [first.add_incident(f"J{n}") for n in range(5)]
    first.edit(Incident, ids[0], summary="已调解")
    report = first.sync()
    assert report.pushed >= 6 and outbox(first) == 0
    assert first.differences() == []

    second = stations.device(first.station_code)
    second.sync()
    assert second.get(Incident, ids[0]).summary == "已调解"
    assert {i for i in ids if second.get(Incident, i) is not None} == set(ids)
    assert second.differences() == []
    first.sync()
    assert first.differences() == []


def test_badges_follow_a_record_from_local_to_synced_and_conflict(stations):
    from lawsup_desktop.sync.engine import badges

    first = stations.new()
    incident = first.add_incident("B1")
    assert badges(first.db, "incident", [incident]) == {incident: "pending"}
    first.sync()
    assert badges(first.db, "incident", [incident]) == {incident: "synced"}
    second = stations.device(first.station_code)
    second.sync()
    first.edit(Incident, incident, summary="甲")
    second.edit(Incident, incident, summary="乙")
    first.sync()
    second.sync()
    assert badges(second.db, "incident", [incident]) == {incident: "conflict"}


def test_the_status_bar_figures(stations):
    from datetime import timedelta

    from lawsup_desktop.sync.state import status

    device = stations.new()
    before = status(device.db)
    assert before.enrolled and before.pending == 2 and before.days_offline() is None
    device.add_incident("ST1")
    device.sync()
    after = status(device.db)
    assert after.pending == 0 and after.last_error is None
    assert after.days_offline() == 0
    last = __import__("datetime").datetime.fromisoformat(after.last_sync_server_time)
    assert after.days_offline(last + timedelta(days=3, hours=1)) == 3
