"""Requests delayed by the network and delivered after later ones, and push batches
delivered out of order: applied exactly once, in device order, gaps refused whole.
(Directed cases; test_simulation.py mixes the same faults at random.)"""

from __future__ import annotations

from sqlalchemy import func, select

from lawsup_central.db import make_engine, sessions
from lawsup_central.models import AppliedOp, Record
from lawsup_desktop.store.models import Incident

from .helpers import device_id, outbox_ops, pending, raw
from .test_simulation import Network


def _server_counts(central, device) -> tuple[int, int]:
    """(incidents of the device's station, ops applied for the device) on the service."""
    engine = make_engine(central.url)
    try:
        with sessions(engine)() as session:
            incidents = session.scalar(select(func.count()).select_from(Record).where(
                Record.entity == "incident", Record.station_id == device.info.station_id))
            applied = session.scalar(select(func.count()).select_from(AppliedOp).where(
                AppliedOp.device_id == device_id(device)))
            return int(incidents or 0), int(applied or 0)
    finally:
        engine.dispose()


def test_held_batches_delivered_late_and_reversed_apply_once(stations, central):
    device = stations.new()
    device.sync()
    incidents, applied = _server_counts(central, device)
    ids = [device.add_incident(f"LATE-{n}") for n in range(7)]
    held: list = []
    # Sync 1: batch 1 (ops 1-3) arrives, batch 2 (ops 4-6) is held back.
    device.transport = Network(["ok", "hold"], held)
    _sync_failing(device, push_batch=3)
    # Sync 2: batch 2 is held back again (a second copy in the network).
    device.transport = Network(["hold"], held)
    _sync_failing(device, push_batch=3)
    assert [r.url.path for r in held] == ["/v1/push", "/v1/push"]
    # Meanwhile the station edits a record whose insert is still held.
    device.edit(Incident, ids[4], summary="迟到之后改")
    # The held copies arrive in reverse order, before the device retries: the first
    # applies ops 4-6, the second gets the stored results.
    late = Network.deliver(list(reversed(held)))
    assert [a.status_code for a in late] == [200, 200]
    assert late[0].json()["results"] == late[1].json()["results"]
    device.transport = None
    report = device.sync(push_batch=3)
    assert report.rejected == 0 and report.conflicts == 0
    assert pending(device) == 0 and device.differences() == []
    # 7 inserts and the edit, each applied once
    assert _server_counts(central, device) == (incidents + 7, applied + 8)
    assert device.get(Incident, ids[4]).summary == "迟到之后改"


def test_a_later_batch_arriving_first_is_refused_whole(stations, central, memory_keyring):
    device = stations.new()
    device.sync()
    before = _server_counts(central, device)
    for n in range(5):
        device.add_incident(f"ORDER-{n}")
    ops = outbox_ops(device)
    with raw(device, memory_keyring) as http:
        early = http.post("/v1/push", json={"ops": ops[2:]})
        assert early.status_code == 409 and early.json()["error"] == "gap"
        assert early.json()["expected_seq"] == ops[0]["seq"]
        assert http.get("/v1/me").json()["last_seq"] == ops[0]["seq"] - 1
        assert _server_counts(central, device) == before
        # A batch that starts in order but jumps a number stops at the jump; the ops
        # before it stand.
        jumpy = http.post("/v1/push", json={"ops": [ops[0], ops[2]]})
        assert jumpy.status_code == 200
        assert jumpy.json()["stopped"]["error"] == "gap"
        assert [r["seq"] for r in jumpy.json()["results"]] == [ops[0]["seq"]]
        for batch in (ops[:2], ops[2:]):
            assert http.post("/v1/push", json={"ops": batch}).status_code == 200
    device.sync()
    assert pending(device) == 0 and device.differences() == []
    assert _server_counts(central, device) == (before[0] + 5, before[1] + 5)


def _sync_failing(device, **kwargs) -> None:
    from lawsup_desktop.sync.client import SyncError

    try:
        device.sync(**kwargs)
    except SyncError:
        return
    raise AssertionError("the held request should have failed this sync")
