"""Scope and authentication: a station sees and changes only its own records."""

from __future__ import annotations

import httpx
import pytest

from lawsup_desktop.store.models import Incident
from lawsup_desktop.sync.client import SyncError

from .helpers import device_id, outbox_ops, raw, token


def test_station_a_cannot_read_or_write_station_b_records(stations, memory_keyring):
    station_a, station_b = stations.new("城关派出所"), stations.new("河西派出所")
    secret = station_b.add_incident("B-1")
    station_b.sync()
    station_a.add_incident("A-1")
    station_a.sync()
    assert station_a.get(Incident, secret) is None  # never pulled

    with raw(station_a, memory_keyring) as http:
        assert http.get(f"/v1/records/incident/{secret}").status_code == 404
        pulled = http.get("/v1/pull", params={"after": 0, "limit": 5000}).json()["records"]
        assert secret not in {r["id"] for r in pulled}
        # An op that edits B's record, sent with A's token: refused for good, with a reason.
        seq = http.get("/v1/me").json()["last_seq"] + 1
        op = {"op_id": "00000000-0000-4000-8000-000000000001", "seq": seq, "entity": "incident",
              "record_id": secret, "kind": "update", "base_version": 1,
              "fields": {"summary": ["邻里纠纷", "改别人的记录"]}}
        [result] = http.post("/v1/push", json={"ops": [op]}).json()["results"]
        # The station scope comes from the token, whatever the body claims.
        op2 = {**op, "op_id": "00000000-0000-4000-8000-000000000002", "seq": seq + 1,
               "kind": "insert", "fields": {"id": [None, secret], "station_id": [None, "x"]}}
        [result2] = http.post("/v1/push", json={"ops": [op2]}).json()["results"]
    assert result["status"] == "rejected" and result["code"] == "other_station"
    assert result["reason"]["zh"] and result["reason"]["en"]
    assert result2["status"] == "rejected"
    with raw(station_b, memory_keyring) as http:
        data = http.get(f"/v1/records/incident/{secret}").json()["data"]
    assert data["summary"] == "邻里纠纷"


def test_a_wrong_token_is_401_and_a_revoked_station_403_with_the_reason(stations,
                                                                        memory_keyring, central):
    device = stations.new()
    device.add_incident("T1")
    with httpx.Client(base_url=central.base_url) as http:
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            answer = http.get("/v1/pull", headers=headers)
            assert answer.status_code == 401
            assert answer.json()["error"] in ("no_token", "unknown_token")
            assert answer.json()["message"]["en"]

    result = central.cli("station", "revoke", device.station_code)
    assert result.returncode == 0, result.stderr
    with pytest.raises(SyncError) as failure:
        device.sync()
    assert failure.value.status == 403 and failure.value.code == "revoked"
    assert "停用" in failure.value.message.zh and "revoked" in failure.value.message.en
    assert len(outbox_ops(device)) >= 1  # nothing lost locally


def test_the_device_token_is_only_in_the_keyring(stations, memory_keyring):
    device = stations.new()
    device.sync()
    secret = token(device, memory_keyring).encode()
    device.db.dispose()
    for path in device.folder.root.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path
    assert memory_keyring.passwords  # it is there, under the device id
    assert device_id(device)


def test_enrolment_codes_are_one_time(stations, central):
    _code, enrol_code = central.add_station()
    with httpx.Client(base_url=central.base_url) as http:
        assert http.post("/v1/enroll", json={"code": enrol_code}).status_code == 200
        again = http.post("/v1/enroll", json={"code": enrol_code})
        wrong = http.post("/v1/enroll", json={"code": "AAAAAA-BBBBBB-CCCCCC"})
    assert again.status_code == 403 and again.json()["error"] == "code_used"
    assert wrong.status_code == 401 and wrong.json()["error"] == "bad_code"


def test_malformed_and_oversized_payloads_are_refused_with_a_reason(stations, memory_keyring):
    device = stations.new()
    with raw(device, memory_keyring) as http:
        malformed = http.post("/v1/push", content=b"{not json", headers={
            "Content-Type": "application/json"})
        wrong_shape = http.post("/v1/push", json={"ops": [{"op_id": "x", "seq": 0}]})
        oversized = http.post("/v1/push", content=b"x" * (17 * 1024 * 1024), headers={
            "Content-Type": "application/json"})
        too_many = http.post("/v1/push", json={"ops": [outbox_ops(device)[0]] * 1001})
        assert http.get("/v1/me").json()["last_seq"] == 0
    for answer, status in ((malformed, 422), (wrong_shape, 422), (oversized, 413),
                           (too_many, 422)):
        assert answer.status_code == status
        assert answer.json()["message"]["zh"] and answer.json()["message"]["en"]


def test_without_a_keyring_the_token_lives_in_memory_and_the_user_is_told(central, tmp_path):
    import keyring
    from keyring.backends import fail

    from lawsup_desktop.domain.vocabulary import Role
    from lawsup_desktop.paths import DataFolder
    from lawsup_desktop.services.station import StationService, open_station
    from lawsup_desktop.sync.engine import SyncEngine, enroll
    from lawsup_desktop.sync.tokens import NO_KEYRING, TokenStore

    keyring.set_keyring(fail.Keyring())
    folder = DataFolder(tmp_path / "nokeyring")
    db = open_station(folder)
    try:
        StationService(db).set_up("LX-NK", "城关派出所", "张法制", Role.SUPERVISOR)
        _code, enrol_code = central.add_station()
        result = enroll(db, central.base_url, enrol_code, TokenStore())
        assert result.warning == NO_KEYRING
        assert "内存" in result.warning.zh and "memory" in result.warning.en
        engine = SyncEngine.open(db, TokenStore())  # same session: still works
        try:
            assert engine.sync().pushed >= 2
        finally:
            engine.client.close()
    finally:
        db.dispose()
