"""Hostile requests against the real central service (its own process, on loopback):
schemathesis generates requests from the service's OpenAPI schema — valid ones and
deliberately broken ones — with a valid device token, a revoked one, none, or
whatever the generator puts in the header.

Every answer must: not be a server error, conform to the schema (status code,
content type, body), and after every refused request (4xx) the service's database
must be exactly as before — no partial write. With the valid token, half of the
generated pushes get the next sequence numbers and real record types and fields, so
that they reach the merge instead of stopping at the order check.

Bounded: ``LAWSUP_SCHEMATHESIS_EXAMPLES`` examples per operation and generation mode
(default 25: about a minute per database backend). Below, the requests that crashed
the service before it was fixed, kept as fixed regression examples.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lawsup_central import models
from lawsup_central.app import create_app
from lawsup_central.db import make_engine, sessions
from lawsup_central.protocol import checksums, columns_of
from lawsup_desktop.sync.rules import synced_tables
from tests.sync.conftest import Central

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("LAWSUP_SCHEMATHESIS_EXAMPLES", "25"))

# The schema as the code declares it (no database needed to build it): the test
# parameters come from it at collection time; the test checks the live one matches.
SPEC: dict[str, Any] = create_app("sqlite://").openapi()
SCHEMA = schemathesis.openapi.from_dict(SPEC)
OPERATIONS = [
    result.ok() if isinstance(result, Ok) else pytest.fail(f"invalid schema: {result}")
    for result in SCHEMA.get_all_operations()
]
# Negative data needs something with a constraint to break: a body or a query
# parameter (a bare string header or path segment cannot be made invalid).
NEGATABLE = [op for op in OPERATIONS if op.body or op.query]
CASES = [
    *(pytest.param(op, GenerationMode.POSITIVE, id=f"{op.label}-positive") for op in OPERATIONS),
    *(pytest.param(op, GenerationMode.NEGATIVE, id=f"{op.label}-negative") for op in NEGATABLE),
]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
AUTH = ["valid", "revoked", "none", "generated"]
ENTITIES = sorted(synced_tables())


@dataclass(frozen=True)
class Target:
    central: Central
    station_id: str
    token: str
    revoked_token: str
    incident_id: str
    admin: sessionmaker[Session]

    @property
    def base_url(self) -> str:
        return self.central.base_url


def _enrol(central: Central, name: str) -> tuple[str, str, str]:
    code, enrolment = central.add_station(name)
    answer = httpx.post(f"{central.base_url}/v1/enroll", json={"code": enrolment}).json()
    return code, answer["station"]["id"], answer["token"]


@pytest.fixture(scope="module")
def target(central: Central) -> Iterator[Target]:
    """A station with one record (so updates have something to hit), and a revoked one."""
    _code, station_id, token = _enrol(central, "城关派出所")
    revoked_code, _revoked_station, revoked_token = _enrol(central, "东关派出所")
    from lawsup_central.admin import revoke_station

    with central.admin() as session:
        revoke_station(session, revoked_code)
    incident_id = str(uuid.uuid4())
    op = {"op_id": str(uuid.uuid4()), "seq": 1, "entity": "incident", "record_id": incident_id,
          "kind": "insert", "base_version": None,
          "fields": {"incident_no": [None, "J001"], "summary": [None, "邻里纠纷"]}}
    pushed = httpx.post(f"{central.base_url}/v1/push", json={"ops": [op]},
                        headers={"Authorization": f"Bearer {token}"})
    assert pushed.status_code == 200 and pushed.json()["results"][0]["status"] == "applied"
    engine = make_engine(central.url, writer=False)
    try:
        yield Target(central, station_id, token, revoked_token, incident_id, sessions(engine))
    finally:
        engine.dispose()


def _snapshot(target: Target) -> dict[str, Any]:
    """Everything a request could write: row counts of every table, the change
    counter (every record change takes a number), devices' positions, blob progress,
    and the station's record checksums."""
    with target.admin() as session:
        counts = {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in models.Base.metadata.sorted_tables
        }
        return {
            "counts": counts,
            "change_counter": session.scalar(select(models.ChangeCounter.value)),
            "devices": sorted(session.execute(select(
                models.Device.id, models.Device.last_seq, models.Device.revoked_at)).all()),
            "claims": sorted(session.execute(select(
                models.BlobClaim.sha256, models.BlobClaim.verified)).all()),
            "complete_blobs": session.scalar(
                select(func.count()).select_from(models.Blob).where(models.Blob.complete)),
            "checksums": checksums(session, target.station_id),
        }


def _blob_rows(target: Target, sha: str) -> int:
    with target.admin() as session:
        return sum(
            session.scalar(select(func.count()).select_from(model).where(model.sha256 == sha))
            or 0
            for model in (models.Blob, models.BlobChunk, models.BlobAccess)
        )


def _with_auth(case: Any, auth: str, target: Target) -> None:
    if auth == "generated":
        return
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    if auth == "valid":
        headers["Authorization"] = f"Bearer {target.token}"
    elif auth == "revoked":
        headers["Authorization"] = f"Bearer {target.revoked_token}"
    case.headers = headers


def _number_in_order(case: Any, target: Target, data: st.DataObject) -> None:
    """Give a generated push the next sequence numbers, real record types and field
    names, so that its ops get past the order check into the merge (random numbers are
    nearly always a gap, random names an unknown record type)."""
    body = case.body
    if case.operation.path != "/v1/push" or not isinstance(body, dict):
        return
    ops = body.get("ops")
    if not isinstance(ops, list):
        return
    me = httpx.get(f"{target.base_url}/v1/me",
                   headers={"Authorization": f"Bearer {target.token}"}).json()
    for number, op in enumerate(ops, start=me["last_seq"] + 1):
        if isinstance(op, dict):
            op["seq"] = number
            # Generated ids repeat across examples, and a repeat is a retry.
            op["op_id"] = str(uuid.uuid4())
            entity = data.draw(st.sampled_from(ENTITIES))
            op["entity"] = entity
            if data.draw(st.booleans()):
                op["record_id"] = target.incident_id
            fields = op.get("fields")
            if isinstance(fields, dict):
                names = data.draw(st.lists(st.sampled_from(sorted(columns_of(entity))),
                                           min_size=len(fields), max_size=len(fields)))
                op["fields"] = dict(zip(names, fields.values(), strict=True))


def test_the_live_schema_is_the_declared_one(target: Target) -> None:
    live = httpx.get(f"{target.base_url}/openapi.json")
    assert live.status_code == 200 and live.json() == SPEC


@pytest.mark.parametrize(("operation", "mode"), CASES)
def test_no_server_error_no_partial_write(
    target: Target, operation: Any, mode: GenerationMode
) -> None:
    checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode), auth=st.sampled_from(AUTH),
           in_order=st.booleans(), data=st.data())
    def run(case: Any, auth: str, in_order: bool, data: st.DataObject) -> None:
        _with_auth(case, auth, target)
        # Only valid data is renumbered: changing a broken case could mend it.
        if in_order and auth == "valid" and mode is GenerationMode.POSITIVE:
            _number_in_order(case, target, data)
        before = _snapshot(target)
        response = case.call(base_url=target.base_url, timeout=30)
        case.validate_response(response, checks=checks)
        if response.status_code >= 400:
            body = response.json()
            if body.get("error") == "hash_mismatch":
                # The one refusal that writes: it discards the upload so far, on purpose.
                assert _blob_rows(target, case.path_parameters["sha"]) == 0
            else:
                assert _snapshot(target) == before, f"{response.status_code}: {response.text}"
            # A refusal says why, in both languages.
            if "error" in body:
                assert body["message"]["zh"] and body["message"]["en"]

    run()


# --- requests that once crashed the service (500), kept as regression examples ------

BIG = 10**30  # beyond 64 bits: SQLite and PostgreSQL integers stop at 2**63 - 1


def _op(seq: int, **changes: Any) -> dict[str, Any]:
    return {"op_id": str(uuid.uuid4()), "seq": seq, "entity": "incident",
            "record_id": str(uuid.uuid4()), "kind": "insert", "base_version": None,
            "fields": {"summary": [None, "邻里纠纷"]}} | changes


def _push_body(seq: int, **changes: Any) -> str:
    # json.dumps writes NaN and Infinity as the bare words JavaScript has and JSON has not.
    return json.dumps({"ops": [_op(seq, **changes)]})


HOSTILE: list[Any] = [
    pytest.param("GET", "/v1/pull", {"after": BIG}, None, id="pull-after-beyond-64-bits"),
    pytest.param("GET", "/v1/pull", {"after": 2**63}, None, id="pull-after-2**63"),
    pytest.param("GET", "/v1/blobs/" + "a" * 64 + "/content", {"offset": BIG}, None,
                 id="download-offset-beyond-64-bits"),
    pytest.param("PUT", "/v1/blobs/" + "a" * 64, {"offset": BIG, "size": 1}, b"x",
                 id="upload-offset-beyond-64-bits"),
    pytest.param("POST", "/v1/push", None, lambda seq: _push_body(BIG), id="push-seq-beyond-64"),
    pytest.param("POST", "/v1/push", None, lambda seq: _push_body(seq, base_version=BIG),
                 id="push-base-version-beyond-64"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, fields={"summary": [None, BIG]}),
                 id="push-value-beyond-64"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, fields={"summary": [None, float("nan")]}),
                 id="push-NaN"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, fields={"summary": [None, float("inf")]}),
                 id="push-Infinity"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, fields={"summary": [None, 1.5]})
                 .replace("1.5", "1e400"),
                 id="push-1e400"),  # read as Infinity, stored as null
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, fields={"summary": [None, 1.5]})
                 .replace("1.5", "1" + "0" * 400 + ".0"),
                 id="push-400-digit-float"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, fields={"summary": [None, "甲\x00乙"]}),
                 id="push-NUL-in-text"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, fields={"summary": [None, "\\ud800"]})
                 .replace("\\\\ud800", "\\ud800"),
                 id="push-lone-surrogate"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, fields={"summary": [None, {"a": [1, [2, {}]]}]}),
                 id="push-nested-value"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, entity="review_step", fields={
                     "audit_id": [None, "x"], "round": [None, float("inf")],
                     "level": [None, 1], "decision": [None, "approve"]}),
                 id="push-review-step-infinite-round"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, entity="review_step", fields={
                     "audit_id": [None, ["x"]], "round": [None, 1],
                     "level": [None, 1], "decision": [None, "approve"]}),
                 id="push-review-step-list-audit-id"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, kind="update", record_id="nope",
                                        fields={"summary": [[1], {"a": 1}]}),
                 id="push-update-unknown-record"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, kind="resolve", fields={"resolution": [None, []]}),
                 id="push-resolve-unknown-conflict"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, fields={"deleted_at": [None, [1, 2]]}),
                 id="push-deleted-at-a-list"),
    pytest.param("POST", "/v1/push", None, lambda seq: '{"ops":' + "[" * 50_000 + "]" * 50_000
                 + "}", id="push-deeply-nested"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, op_id=str(uuid.uuid4())[:35] + "\x00"),
                 id="push-NUL-in-op-id"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, entity="inci\x00dent"), id="push-NUL-in-entity"),
    pytest.param("POST", "/v1/push", None,
                 lambda seq: _push_body(seq, fields={"sum\x00mary": [None, "x"]}),
                 id="push-NUL-in-field-name"),
    pytest.param("GET", "/v1/records/inci%00dent/x", None, None, id="record-NUL-in-path"),
    pytest.param("POST", "/v1/enroll", None, lambda seq: '{"code": "\\ud800abcd"}',
                 id="enroll-lone-surrogate"),
    pytest.param("POST", "/v1/enroll", None, lambda seq: '{"code": "ABCD\\u0000"}',
                 id="enroll-NUL"),
]


@pytest.mark.parametrize(("method", "path", "params", "body"), HOSTILE)
def test_hostile_requests_are_answered_without_a_server_error(
    target: Target, method: str, path: str, params: dict[str, Any] | None, body: Any
) -> None:
    headers = {"Authorization": f"Bearer {target.token}", "Content-Type": "application/json"}
    me = httpx.get(f"{target.base_url}/v1/me", headers=headers).json()
    if callable(body):
        body = body(me["last_seq"] + 1).encode("utf-8", "surrogatepass")
    before = _snapshot(target)
    response = httpx.request(method, f"{target.base_url}{path}", params=params, content=body,
                             headers=headers, timeout=30)
    assert response.status_code < 500, response.text
    answer = response.json()
    if response.status_code >= 400:
        assert answer["message"]["zh"] and answer["message"]["en"]
        assert _snapshot(target) == before
    elif path == "/v1/push":
        # Accepted ops are stored as sent and come back from pull as valid JSON.
        sent = json.loads(body)["ops"]
        for op, result in zip(sent, answer["results"], strict=True):
            if result["status"] == "applied" and op["kind"] == "insert":
                stored = httpx.get(f"{target.base_url}/v1/records/{op['entity']}/"
                                   f"{op['record_id']}", headers=headers).json()["data"]
                assert {k: stored[k] for k in op["fields"]} == {
                    k: new for k, (_old, new) in op["fields"].items()}
        pulled = httpx.get(f"{target.base_url}/v1/pull", headers=headers)
        assert pulled.status_code == 200
        json.loads(pulled.content, parse_constant=_no_constants)
        httpx.get(f"{target.base_url}/v1/checksums", headers=headers).raise_for_status()


def _no_constants(name: str) -> None:
    raise AssertionError(f"the service answered with {name}, which is not JSON")


def test_an_upload_that_does_not_match_its_hash_is_discarded_and_can_start_again(
    target: Target,
) -> None:
    """Discarding once happened inside the refused transaction, so it was rolled back:
    the wrong bytes stayed, every new attempt was told to resume after them, and the
    file could never be uploaded."""
    headers = {"Authorization": f"Bearer {target.token}"}
    good = "城关派出所 现场照片 ".encode() * 3
    sha = hashlib.sha256(good).hexdigest()
    url = f"{target.base_url}/v1/blobs/{sha}"

    def put(offset: int, chunk: bytes) -> httpx.Response:
        return httpx.put(url, params={"size": len(good), "offset": offset}, content=chunk,
                         headers=headers)

    assert put(0, b"X" * 10).status_code == 200  # a first chunk gone wrong
    refused = put(10, good[10:])
    assert refused.status_code == 422 and refused.json()["error"] == "hash_mismatch"
    assert _blob_rows(target, sha) == 0
    assert httpx.get(url, headers=headers).json()["received"] == 0
    assert put(0, good[:10]).status_code == 200
    assert put(10, good[10:]).json()["complete"] is True
    content = httpx.get(f"{url}/content", headers=headers)
    assert content.status_code == 200 and content.content == good
