"""What the bureau does: stations and enrolment, assignments, guidance, reference data.

Used by the admin command line (cli.py) and by the HTTP service (enrolment, auth).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lawsup_central.db import driver_connection
from lawsup_central.models import (
    Blob,
    BlobAccess,
    BlobChunk,
    ChangeCounter,
    Device,
    EnrollmentCode,
    Record,
    ServerLog,
    Station,
)
from lawsup_central.protocol import (
    Batch,
    DeviceScope,
    ProtocolError,
    assign_change_seqs,
    write_server_record,
)
from lawsup_desktop.domain.vocabulary import NEGATIVE_LIST
from lawsup_desktop.sync.rules import NATURAL_KEYS, reference_id

CHUNK = 1 << 20


class AdminError(Exception):
    """A refused admin command; the message is printed as it is."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ensure_seed(session: Session) -> None:
    """The counter row and the built-in negative list (same ids as every station's)."""
    if session.get(ChangeCounter, 1) is None:
        session.add(ChangeCounter(id=1, value=0))
        session.flush()
    batch = Batch()
    for order, (code, label) in enumerate(NEGATIVE_LIST):
        rid = reference_id("problem_type", (code,))
        if session.get(Record, ("problem_type", rid)) is None:
            write_server_record(session, batch, "problem_type", rid, None, _reference_row(
                "problem_type", {"code": code, "name_zh": label.zh, "name_en": label.en,
                                 "sort_order": order, "active": True}))
    assign_change_seqs(session, batch)


def _log(session: Session, action: str, detail: str) -> None:
    session.add(ServerLog(action=action, detail=detail))


def _station(session: Session, code: str) -> Station:
    station = session.scalars(select(Station).where(Station.code == code)).first()
    if station is None:
        raise AdminError(f"no station with code {code!r}")
    return station


def _new_code(session: Session, station: Station) -> str:
    code = "-".join(secrets.token_hex(3).upper() for _ in range(3))
    session.add(EnrollmentCode(code_hash=token_hash(code), station_id=station.id))
    return code


def add_station(session: Session, code: str, name: str) -> str:
    """Create a station; returns its one-time enrolment code (shown once, kept hashed)."""
    code, name = code.strip(), name.strip()
    if not code or not name or len(code) > 32 or len(name) > 100:
        raise AdminError("station code (≤32 chars) and name (≤100 chars) are required")
    if session.scalars(select(Station).where(Station.code == code)).first() is not None:
        raise AdminError(f"station {code!r} exists; `station code {code}` issues a new code")
    station = Station(code=code, name=name)
    session.add(station)
    session.flush()
    _log(session, "station_add", code)
    return _new_code(session, station)


def new_enrollment_code(session: Session, code: str) -> str:
    """Another one-time code for a station (a second workstation, a replaced PC)."""
    station = _station(session, code)
    if station.revoked_at is not None:
        raise AdminError(f"station {code!r} is revoked")
    _log(session, "station_code", code)
    return _new_code(session, station)


def revoke_station(session: Session, code: str) -> int:
    """Revoke a station and all its devices; returns how many devices were revoked."""
    station = _station(session, code)
    now = datetime.now(UTC)
    station.revoked_at = now
    devices = session.scalars(
        select(Device).where(Device.station_id == station.id, Device.revoked_at.is_(None))
    ).all()
    for device in devices:
        device.revoked_at = now
    _log(session, "station_revoke", code)
    return len(devices)


def list_stations(session: Session) -> list[tuple[str, str, bool, int]]:
    rows = []
    for station in session.scalars(select(Station).order_by(Station.code)):
        devices = session.scalars(select(Device).where(Device.station_id == station.id)).all()
        rows.append((station.code, station.name, station.revoked_at is not None, len(devices)))
    return rows


def enroll(session: Session, code: str) -> dict[str, Any]:
    """Exchange a one-time code for a device token (returned once, stored hashed)."""
    row = session.get(EnrollmentCode, token_hash(code.strip().upper()), with_for_update=True)
    if row is None:
        raise ProtocolError(401, "bad_code", "注册码不正确。", "The enrolment code is not valid.")
    if row.used_at is not None:
        raise ProtocolError(403, "code_used", "注册码已使用过，请向县局申请新的注册码。",
                            "The enrolment code was already used; ask the bureau for a new one.")
    station = session.get(Station, row.station_id)
    assert station is not None
    if station.revoked_at is not None:
        raise ProtocolError(403, "revoked", "该派出所已被停用。", "This station has been revoked.")
    row.used_at = datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    device = Device(station_id=station.id, token_hash=token_hash(token))
    session.add(device)
    session.flush()
    _log(session, "enroll", f"{station.code} {device.id}")
    return {"token": token, "device_id": device.id,
            "station": {"id": station.id, "code": station.code, "name": station.name}}


def authenticate(session: Session, token: str | None, *, lock: bool = False) -> Device:
    """The device a token belongs to, checked for revocation, in one query; ``lock``
    takes its row FOR UPDATE."""
    query = (select(Device, Device.revoked_at, Station.revoked_at)
             .join(Station, Station.id == Device.station_id)
             .where(Device.token_hash == bindparam("token_hash")))
    if lock:
        query = query.with_for_update(of=Device)
    hashed = _token_hash_of(token)
    device: Device = _checked(session.execute(query, {"token_hash": hashed}).first())[0]
    return device


# authenticate's query for psycopg itself (db.driver_connection), as plain values: push
# and pull check a token on every request.
_SCOPE_SQL = ("SELECT d.id, d.station_id, d.last_seq, d.revoked_at, s.revoked_at FROM device AS d "
              "JOIN station AS s ON s.id = d.station_id WHERE d.token_hash = %(token_hash)s")
_SCOPE_SQL_LOCKED = _SCOPE_SQL + " FOR UPDATE OF d"


def device_scope(session: Session, token: str | None, *, lock: bool = False) -> DeviceScope:
    """``authenticate`` for push and pull: the device as plain values; ``lock`` takes its
    row FOR UPDATE (a push: one at a time per device)."""
    raw = driver_connection(session)
    if raw is None:
        device = authenticate(session, token, lock=lock)
        return DeviceScope(id=device.id, station_id=device.station_id, last_seq=device.last_seq)
    found = _checked(raw.execute(_SCOPE_SQL_LOCKED if lock else _SCOPE_SQL,
                                 {"token_hash": _token_hash_of(token)}).fetchone())
    return DeviceScope(id=found[0], station_id=found[1], last_seq=found[2])


def _token_hash_of(token: str | None) -> str:
    if not token:
        raise ProtocolError(401, "no_token", "缺少设备令牌，请先注册本机。",
                            "No device token; enrol this workstation first.")
    return token_hash(token)


def _checked(found: Sequence[Any] | None) -> Sequence[Any]:
    """The row found for a token, or the refusal; its last two columns are the
    device's and the station's revocation."""
    if found is None:
        raise ProtocolError(401, "unknown_token", "设备令牌无效，请重新注册本机。",
                            "The device token is not valid; enrol this workstation again.")
    if found[-2] is not None or found[-1] is not None:
        raise ProtocolError(403, "revoked", "本机或本派出所的同步权限已被县局停用。",
                            "The bureau has revoked sync for this workstation or station.")
    return found


# --- bureau records -------------------------------------------------------------


def _reference_row(entity: str, values: dict[str, Any]) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    return {"created_at": now, "deleted_at": None, **values}


REFERENCE_FIELDS: dict[str, dict[str, Any]] = {
    "problem_type": {"code": None, "name_zh": None, "name_en": None, "sort_order": 0,
                     "active": True},
    "deadline_rule": {"code": None, "name_zh": None, "name_en": None, "citation": None,
                      "params": {}, "warn_days": 1, "active": True},
    "holiday_period": {"name": None, "first_day": None, "last_day": None, "is_workday": False},
}
_FILE_KEYS = {"problem_types": "problem_type", "deadline_rules": "deadline_rule",
              "holidays": "holiday_period"}


def load_reference(session: Session, path: Path) -> dict[str, int]:
    """Load reference data from JSON: {"problem_types": [...], "deadline_rules": [...],
    "holidays": [...]}. Entries are matched by their natural key (code; name+first day)."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AdminError(f"cannot read {path}: {exc}") from exc
    if not isinstance(content, dict) or not set(content) <= set(_FILE_KEYS):
        raise AdminError(f"expected an object with keys {sorted(_FILE_KEYS)}")
    batch, counts = Batch(), dict[str, int]()
    for key, entries in content.items():
        entity = _FILE_KEYS[key]
        if not isinstance(entries, list):
            raise AdminError(f"{key}: expected a list")
        for n, entry in enumerate(entries, 1):
            values = dict(REFERENCE_FIELDS[entity])
            if not isinstance(entry, dict) or set(entry) - set(values):
                raise AdminError(f"{key}[{n}]: expected fields among {sorted(values)}")
            values.update(entry)
            missing = [k for k, v in values.items() if v is None]
            if missing:
                raise AdminError(f"{key}[{n}]: missing {', '.join(missing)}")
            if entity == "holiday_period":
                for day in ("first_day", "last_day"):
                    try:
                        date.fromisoformat(values[day])
                    except (TypeError, ValueError) as exc:
                        raise AdminError(f"{key}[{n}].{day}: not a date (YYYY-MM-DD)") from exc
            rid = reference_id(entity, tuple(values[k] for k in NATURAL_KEYS[entity]))
            write_server_record(session, batch, entity, rid, None, _reference_row(entity, values))
            counts[entity] = counts.get(entity, 0) + 1
    assign_change_seqs(session, batch)
    _log(session, "reference_load", json.dumps(counts))
    return counts


def list_reference(session: Session, entity: str | None = None) -> list[dict[str, Any]]:
    entities = [entity] if entity else list(REFERENCE_FIELDS)
    rows = session.scalars(
        select(Record).where(Record.entity.in_(entities), Record.station_id.is_(None))
        .order_by(Record.entity, Record.id)
    ).all()
    return [{"entity": r.entity, **r.data} for r in rows]


def store_blob(session: Session, content: bytes, station_key: str) -> str:
    sha = hashlib.sha256(content).hexdigest()
    if session.get(Blob, sha) is None:
        session.add(Blob(sha256=sha, size=len(content), complete=True))
        session.flush()
        for offset in range(0, max(len(content), 1), CHUNK):
            session.add(BlobChunk(sha256=sha, offset=offset, data=content[offset:offset + CHUNK]))
    if session.get(BlobAccess, (sha, station_key)) is None:
        session.add(BlobAccess(sha256=sha, station_key=station_key))
    return sha


def publish_guidance(session: Session, path: Path, title: str, summary: str = "") -> str:
    """Publish a guidance document to every station; returns the guidance id."""
    title = title.strip()
    if not title or len(title) > 200:
        raise AdminError("a title of at most 200 characters is required")
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise AdminError(f"cannot read {path}: {exc}") from exc
    sha = store_blob(session, content, "*")
    batch = Batch()
    rid = reference_id("guidance", (sha, title))
    write_server_record(session, batch, "guidance", rid, None, _reference_row("guidance", {
        "title": title, "published_on": date.today().isoformat(), "summary": summary,
        "attachment_sha256": sha}))
    assign_change_seqs(session, batch)
    _log(session, "guidance_publish", title)
    return rid


def assign_rectification(session: Session, station_code: str, number: str, description: str,
                         due: date, *, risk: str = "medium", authority: str = "县局法制大队",
                         problem_type: str | None = None) -> str:
    """Put a rectification item under the bureau's supervision (挂牌督办) at a station."""
    station = _station(session, station_code)
    if not number.strip() or not description.strip():
        raise AdminError("a number and a description are required")
    if risk not in ("high", "medium", "low"):
        raise AdminError("risk must be high, medium or low")
    problem_type_id = None
    if problem_type:
        problem_type_id = reference_id("problem_type", (problem_type,))
        if session.get(Record, ("problem_type", problem_type_id)) is None:
            raise AdminError(f"unknown problem type {problem_type!r}")
    rid = reference_id("rectification", (station.id, number))
    batch = Batch()
    write_server_record(session, batch, "rectification", rid, station.id, _reference_row(
        "rectification", {
            "number": number.strip(), "source": "bureau", "incident_id": None,
            "follow_up_id": None, "audit_id": None, "watch_review_id": None,
            "source_note": "", "problem_type_id": problem_type_id,
            "description": description.strip(), "risk_level": risk,
            "responsible_unit_id": None, "responsible_officer_id": None,
            "due_date": due.isoformat(), "measures": "", "state": "pending",
            "verification_note": "", "no_evidence_reason": "", "signed_off_at": None,
            "signed_off_by_id": None, "bureau_supervised": True,
            "assigning_authority": authority, "escalation_level": 2}))
    assign_change_seqs(session, batch)
    _log(session, "assign", f"{station_code} {number}")
    return rid
