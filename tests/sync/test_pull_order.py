"""The pull cursor never skips a change whose transaction commits late."""

from __future__ import annotations

import threading
import time
from datetime import date

from lawsup_central.admin import assign_rectification
from lawsup_central.db import make_engine, sessions

from .helpers import outbox_ops, raw


def test_a_transaction_committing_after_a_later_one_is_not_skipped(stations, central,
                                                                   memory_keyring):
    device = stations.new()
    incident = device.add_incident("O1")
    ops = outbox_ops(device)
    with raw(device, memory_keyring) as http:
        cursor = http.get("/v1/pull", params={"after": 0, "limit": 5000}).json()["cursor"]

    engine = make_engine(central.url)
    session_a = sessions(engine)()
    session_a.begin()
    # Transaction A takes its change number first and stays open.
    a_id = assign_rectification(session_a, device.station_code, "DB-LATE", "迟提交的督办",
                                date(2026, 12, 31))
    pushed: dict[str, object] = {}

    def push_b() -> None:  # transaction B, through the real service
        with raw(device, memory_keyring) as http:
            pushed["answer"] = http.post("/v1/push", json={"ops": ops}, timeout=60).json()

    thread = threading.Thread(target=push_b)
    thread.start()
    try:
        time.sleep(1.0)
        with raw(device, memory_keyring) as http:
            early = http.get("/v1/pull", params={"after": cursor, "limit": 5000}).json()
        # Nothing after A's number is visible while A is open: B waits behind A.
        assert early["records"] == [] and early["cursor"] == cursor
    finally:
        session_a.commit()
        session_a.close()
        engine.dispose()
    thread.join(60)
    assert not thread.is_alive()
    with raw(device, memory_keyring) as http:
        late = http.get("/v1/pull", params={"after": cursor, "limit": 5000}).json()
    order = [(r["entity"], r["id"]) for r in late["records"]]
    assert ("rectification", a_id) in order and ("incident", incident) in order
    assert order.index(("rectification", a_id)) < order.index(("incident", incident))
    seqs = [r["seq"] for r in late["records"]]
    assert seqs == sorted(seqs) and min(seqs) > cursor
