"""Nothing lost, nothing applied twice: lost answers, cut connections, replays, gaps."""

from __future__ import annotations

import httpx
import pytest

from lawsup_desktop.services.station import open_station
from lawsup_desktop.store.models import Incident
from lawsup_desktop.sync.client import SyncError

from .helpers import Faults, outbox_ops, pending, raw


def test_an_answer_lost_after_the_commit_is_replayed_not_applied_again(stations,
                                                                        memory_keyring):
    device = stations.new()
    incident = device.add_incident("J1")
    device.edit(Incident, incident, summary="第一次修改")
    ops = outbox_ops(device)
    # First sync pulls (ok), then the push is handled by the service but its answer is lost.
    device.transport = Faults(["ok", "lose"])
    with pytest.raises(SyncError) as failure:
        device.sync()
    assert failure.value.code == "unreachable"
    assert pending(device) == len(ops)  # the client cannot know: it keeps everything

    with raw(device, memory_keyring) as http:
        assert http.get("/v1/me").json()["last_seq"] == ops[-1]["seq"]  # committed
        server = http.get(f"/v1/records/incident/{incident}").json()
        # The retry gets the stored results back; nothing is applied twice.
        again = http.post("/v1/push", json={"ops": ops}).json()
        assert http.get(f"/v1/records/incident/{incident}").json() == server
    assert [r["status"] for r in again["results"]] == ["applied"] * len(ops)
    assert server["data"]["summary"] == "第一次修改" and server["version"] == 2

    device.transport = None
    device.sync()
    assert pending(device) == 0
    assert device.differences() == []


def test_a_connection_cut_after_k_of_n_ops_resumes_where_it_stopped(stations, memory_keyring):
    device = stations.new()
    device.sync()
    with raw(device, memory_keyring) as http:
        before = http.get("/v1/me").json()["last_seq"]
    for n in range(5):
        device.add_incident(f"K{n}")
    # Batches of 2: the first two batches go through, the third never arrives.
    device.transport = Faults(["ok", "ok", "cut"])
    with pytest.raises(SyncError):
        device.sync(push_batch=2)
    assert pending(device) == 1
    with raw(device, memory_keyring) as http:
        assert http.get("/v1/me").json()["last_seq"] == before + 4
    device.transport = None
    device.sync()
    assert pending(device) == 0
    assert device.differences() == []


def test_duplicated_and_replayed_batches_apply_once(stations, memory_keyring):
    device = stations.new()
    incident = device.add_incident("D1")
    device.edit(Incident, incident, address="新地址")
    ops = outbox_ops(device)
    with raw(device, memory_keyring) as http:
        first = http.post("/v1/push", json={"ops": ops + ops}).json()  # duplicated in a batch
        replay = http.post("/v1/push", json={"ops": ops}).json()  # replayed later
        record = http.get(f"/v1/records/incident/{incident}").json()
    assert first["results"][: len(ops)] == first["results"][len(ops):] == replay["results"]
    assert record["version"] == 2 and record["data"]["address"] == "新地址"


def test_a_reordered_batch_or_a_gap_is_refused_and_nothing_of_it_applied(stations,
                                                                         memory_keyring):
    device = stations.new()
    first, second = device.add_incident("R1"), device.add_incident("R2")
    ops = outbox_ops(device)
    assert len(ops) >= 2
    with raw(device, memory_keyring) as http:
        reordered = http.post("/v1/push", json={"ops": [ops[1], ops[0]]})
        gap = http.post("/v1/push", json={"ops": ops[1:]})  # the first op missing
        assert http.get("/v1/me").json()["last_seq"] == 0
        assert http.get(f"/v1/records/incident/{first}").status_code == 404
        # A gap after good ops: those stand, the service says where it stopped and why.
        late_gap = http.post("/v1/push", json={"ops": [ops[0], *ops[2:]]}).json()
        assert [r["op_id"] for r in late_gap["results"]] == [ops[0]["op_id"]]
        assert late_gap["stopped"]["error"] == "gap"
        assert late_gap["stopped"]["expected_seq"] == 2
        assert http.get("/v1/me").json()["last_seq"] == 1
    for answer in (reordered, gap):
        assert answer.status_code == 409
        body = answer.json()
        assert body["error"] == "gap" and body["expected_seq"] == 1
        assert body["message"]["zh"] and body["message"]["en"]
    device.sync()
    assert device.get(Incident, second) is not None and device.differences() == []


def test_an_exception_in_the_middle_of_a_local_write_leaves_no_op(stations):
    device = stations.new()
    device.sync()
    with pytest.raises(RuntimeError), device.db.write(device.actor) as session:
        session.add(Incident(incident_no="X1", received_at=__import__("datetime").datetime(
            2026, 11, 1), category="dispute"))
        session.flush()
        assert pending(device) == 0  # another connection sees nothing yet
        raise RuntimeError("power cut")
    assert pending(device) == 0
    device.sync()
    assert device.differences() == []


def test_a_crash_half_way_through_a_pull_page_leaves_the_cursor_and_the_records(stations):
    first = stations.new()
    ids = [first.add_incident(f"P{n}") for n in range(6)]
    first.sync()
    second = stations.device(first.station_code)  # enrolled, nothing pulled yet
    seen = []

    def crash(record):
        seen.append(record["id"])
        if len(seen) == 8:
            raise RuntimeError("crash while applying")

    with pytest.raises(RuntimeError):
        second.sync(before_apply=crash)
    assert all(second.get(Incident, i) is None for i in ids)
    engine = second.engine()
    assert engine._meta("cursor") == "0"
    engine.client.close()
    second.sync()
    assert all(second.get(Incident, i) is not None for i in ids)
    assert second.differences() == []


def test_garbage_or_html_answers_give_a_clear_error_and_lose_nothing(stations):
    device = stations.new()
    device.sync()
    device.add_incident("G1")
    answers = [
        httpx.Response(200, html="<html><body>Please log in to the proxy</body></html>"),
        httpx.Response(502, html="<html>Bad gateway</html>"),
        httpx.Response(200, content=b"\x00\xff garbage"),
        httpx.Response(200, json=["not", "an", "object"]),
        httpx.Response(200, json={"results": [], "server_time": "x"}),
    ]
    for answer in answers:
        device.transport = Faults([answer])
        with pytest.raises(SyncError) as failure:
            device.sync()
        assert failure.value.code == "bad_answer"
        assert "sync" in failure.value.message.en and "同步" in failure.value.message.zh
        assert pending(device) == 1
    device.transport = None
    device.sync()
    assert pending(device) == 0 and device.differences() == []


def test_a_restored_backup_renumbers_its_unsent_ops_and_loses_nothing(stations):
    import shutil

    from lawsup_desktop.store.encryption import connect

    device = stations.new()
    kept = device.add_incident("BK1")
    device.sync()
    backup = device.folder.root / "backup.sqlite"
    # Both keyed alike: the station file is encrypted (services/encryption.py).
    source, target = connect(device.folder.database, device.db.key), connect(backup, device.db.key)
    source.backup(target)
    source.close()
    target.close()
    after_backup = device.add_incident("BK2")  # pushed, then lost by the restore
    device.sync()

    device.db.dispose()
    for suffix in ("-wal", "-shm"):
        device.folder.database.with_name(device.folder.database.name + suffix).unlink(
            missing_ok=True)
    shutil.copyfile(backup, device.folder.database)
    device.db = open_station(device.folder)
    assert device.get(Incident, after_backup) is None
    new = device.add_incident("BK3")  # its number was used by BK2's op on the service

    device.sync()
    assert pending(device) == 0
    assert all(device.get(Incident, i) is not None for i in (kept, after_backup, new))
    assert device.differences() == []
