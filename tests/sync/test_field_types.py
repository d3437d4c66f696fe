"""A pushed field's JSON type must fit its column: the service refuses the op (per op,
naming the field), and a desktop never crashes on, nor stores, a wrongly typed value
pulled from a service that accepted one (an older service, or data from before)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from lawsup_desktop.store.models import Incident

from .helpers import outbox_ops, raw

# field → a value of the wrong JSON type for it (incident columns).
WRONG = [
    ("received_at", {}),          # a DateTime column: an object
    ("received_at", "not a date"),  # a string, but no ISO date-time
    ("summary", 5),               # Text: a number
    ("incident_no", ["A", "B"]),  # String: a list
    ("is_key", "true"),           # Boolean: a string
    ("is_key", 1),                # Boolean: a number
    ("category", "no_such_category"),  # Enum: not one of its values
    ("summary", None),            # NOT NULL
]


def _insert_op(pusher: Any, number: str) -> dict[str, Any]:
    """A well-formed incident insert as a desktop sends it, under a new id."""
    pusher.add_incident(number)
    op = [o for o in outbox_ops(pusher) if o["entity"] == "incident"][-1]
    record_id = str(uuid.uuid4())
    fields = {**op["fields"], "id": [None, record_id]}
    return {**op, "op_id": str(uuid.uuid4()), "record_id": record_id, "fields": fields}


def _push(http: Any, *ops: dict[str, Any]) -> list[dict[str, Any]]:
    seq = http.get("/v1/me").json()["last_seq"]
    numbered = [{**op, "seq": seq + n} for n, op in enumerate(ops, start=1)]
    answer = http.post("/v1/push", json={"ops": numbered})
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


@pytest.mark.parametrize(("name", "value"), WRONG)
def test_an_insert_with_a_wrongly_typed_field_is_rejected_naming_it(
        stations: Any, memory_keyring: Any, name: str, value: Any) -> None:
    pusher = stations.new()
    other = stations.device(pusher.station_code)
    good, bad = _insert_op(pusher, "G-1"), _insert_op(pusher, "B-1")
    bad["fields"][name] = [None, value]
    with raw(pusher, memory_keyring) as http:
        bad_result, good_result = _push(http, bad, good)
    assert bad_result["status"] == "rejected", bad_result
    assert bad_result["code"] == "bad_type"
    assert name in bad_result["reason"]["zh"] and name in bad_result["reason"]["en"]
    assert good_result["status"] == "applied"  # a refused op stops nothing after it
    other.sync()  # the station's other device: nothing junk arrives
    assert other.get(Incident, bad["record_id"]) is None
    assert other.get(Incident, good["record_id"]) is not None


@pytest.mark.parametrize(("name", "value"), WRONG)
def test_an_update_with_a_wrongly_typed_field_is_rejected_and_changes_nothing(
        stations: Any, memory_keyring: Any, name: str, value: Any) -> None:
    pusher = stations.new()
    other = stations.device(pusher.station_code)
    insert = _insert_op(pusher, "U-1")
    old = insert["fields"][name][1]
    update = {"op_id": str(uuid.uuid4()), "entity": "incident",
              "record_id": insert["record_id"], "kind": "update", "base_version": 1,
              "fields": {name: [old, value], "handling_notes": ["", "已回访"]}}
    with raw(pusher, memory_keyring) as http:
        first, second = _push(http, insert, update)
        stored = http.get(f"/v1/records/incident/{insert['record_id']}").json()
    assert first["status"] == "applied"
    assert second["status"] == "rejected" and second["code"] == "bad_type", second
    assert stored["version"] == 1 and stored["data"][name] == old
    other.sync()
    row = other.get(Incident, insert["record_id"])
    assert row is not None and row.handling_notes == ""


def test_right_types_still_apply(stations: Any, memory_keyring: Any) -> None:
    pusher = stations.new()
    op = _insert_op(pusher, "R-1")
    op["fields"]["key_category"] = [None, None]  # nullable: null is fine
    op["fields"]["is_key"] = [None, True]
    with raw(pusher, memory_keyring) as http:
        [result] = _push(http, op)
    assert result["status"] == "applied", result


# --- the desktop's pull apply ---------------------------------------------------------


def test_a_pulled_record_with_a_wrongly_typed_field_neither_crashes_nor_stores_junk(
        stations: Any, memory_keyring: Any) -> None:
    """As from a service that accepted such a value before the check existed."""
    device = stations.new()
    kept = device.add_incident("K-1", handling_notes="原记录")
    device.sync()
    with raw(device, memory_keyring) as http:
        template = http.get(f"/v1/records/incident/{kept}").json()

    def server_record(record_id: str, version: int, **data: Any) -> dict[str, Any]:
        return {"entity": "incident", "id": record_id, "version": version,
                "data": {**template["data"], "id": record_id, **data}, "deleted": False,
                "seq": 1}

    new_bad, new_good = str(uuid.uuid4()), str(uuid.uuid4())
    records = [
        # An existing record: the bad field is skipped, the good one applied.
        server_record(kept, 2, summary={"x": 1}, handling_notes="已回访", address=None),
        # A new record whose required field is wrong: not stored at all.
        server_record(new_bad, 1, incident_no="N-1", received_at={}),
        # A bad value where the column has a default: the default.
        server_record(new_good, 1, incident_no="N-2", is_key="yes", key_category=None),
    ]
    engine = device.engine()
    try:
        engine.apply_page(records, 7)
    finally:
        engine.client.close()
    row = device.get(Incident, kept)
    assert row.summary == "邻里纠纷" and row.address == "城关镇"
    assert row.handling_notes == "已回访"
    assert device.get(Incident, new_bad) is None
    good = device.get(Incident, new_good)
    assert good is not None and good.is_key is False and good.incident_no == "N-2"
