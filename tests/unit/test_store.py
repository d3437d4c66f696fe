"""SQLite settings, the single writer, the audit trail and the unchangeable records."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from lawsup_desktop.domain.vocabulary import Decision, Role
from lawsup_desktop.services.encryption import open_file
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store import encryption
from lawsup_desktop.store.audit import Actor
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    AuditEntry,
    Case,
    CaseAudit,
    Officer,
    ReviewStep,
    Station,
)

ACTOR = Actor("officer-1", "张法制")


def test_pragmas(db: Database) -> None:
    with db.reader.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() >= 5000
        assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.write(ACTOR) as session:
        session.add(Officer(name="李", role=Role.CASE_OFFICER, unit_id="no-such-unit"))


def test_writes_are_serialised_through_one_connection(db: Database) -> None:
    assert db.writer.pool.size() == 1
    inside = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def first() -> None:
        with db.write(ACTOR) as session:
            session.add(Station(code="A", name="甲"))
            session.flush()
            inside.set()
            release.wait(5)
            order.append("first")

    thread = threading.Thread(target=first)
    thread.start()
    inside.wait(5)
    second_done = threading.Event()

    def second() -> None:
        with db.write(ACTOR) as session:
            session.add(Station(code="B", name="乙"))
        order.append("second")
        second_done.set()

    other = threading.Thread(target=second)
    other.start()
    assert not second_done.wait(0.3)  # the second writer waits for the first
    release.set()
    thread.join(5)
    other.join(5)
    assert order == ["first", "second"]


def test_every_write_is_in_the_audit_trail(db: Database) -> None:
    with db.write(ACTOR) as session:
        station = Station(code="LX01", name="城关派出所")
        session.add(station)
    with db.write(ACTOR) as session:
        row = session.get_one(Station, station.id)
        row.name = "城关所"
    with db.write(ACTOR) as session:
        session.get_one(Station, station.id).deleted_at = datetime.now(UTC)
    with db.read() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == station.id).order_by(AuditEntry.id)
        ).all()
    assert [e.action for e in entries] == ["insert", "update", "delete"]
    assert entries[0].changes["name"] == [None, "城关派出所"]
    assert entries[1].changes == {"name": ["城关派出所", "城关所"]}
    assert all(e.actor_name == "张法制" and e.actor_id == "officer-1" for e in entries)
    assert all(e.entity == "station" and e.at.tzinfo is not None for e in entries)


def test_a_failed_write_leaves_neither_change_nor_trail(db: Database) -> None:
    with pytest.raises(RuntimeError), db.write(ACTOR) as session:
        session.add(Station(code="X", name="未保存"))
        session.flush()
        raise RuntimeError("the user's action failed half-way")
    with db.read() as session:
        assert session.scalars(select(Station)).all() == []
        assert session.scalars(select(AuditEntry)).all() == []


def test_hard_deletes_of_synced_records_are_refused(db: Database) -> None:
    with db.write(ACTOR) as session:
        station = Station(code="A", name="甲")
        session.add(station)
    with pytest.raises(RuntimeError, match="softly"), db.write(ACTOR) as session:
        session.delete(session.get_one(Station, station.id))


def test_two_windows_editing_one_record_conflict(db: Database) -> None:
    with db.write(ACTOR) as session:
        station = Station(code="A", name="甲")
        session.add(station)
    with db.read() as session:
        stale = session.get_one(Station, station.id)
    with db.write(ACTOR) as session:
        session.get_one(Station, station.id).name = "第一个窗口"
    with pytest.raises(StaleDataError), db.write(ACTOR) as session:
        merged = session.merge(stale)
        merged.name = "第二个窗口"


def _signed_step(db: Database, workstation: WorkstationInfo) -> ReviewStep:
    with db.write(workstation.actor) as session:
        case = Case(case_no="A1", name="张三盗窃案", kind="criminal", cause="盗窃")
        session.add(case)
        session.flush()
        audit = CaseAudit(case_id=case.id, form_no="SH-1")
        session.add(audit)
        session.flush()
        step = ReviewStep(
            audit_id=audit.id,
            round=1,
            level=1,
            decision=Decision.APPROVE,
            opinion="同意",
            reviewer_id=workstation.operator_id,
            entered_by_id=workstation.operator_id,
            reviewed_at=datetime(2026, 11, 27, 9, 0),
        )
        session.add(step)
    return step


def test_a_signed_review_step_cannot_be_changed_even_bypassing_the_services(
    db: Database, workstation: WorkstationInfo
) -> None:
    step = _signed_step(db, workstation)
    with pytest.raises(Exception, match="never changes"), db.write(workstation.actor) as session:
        session.get_one(ReviewStep, step.id).opinion = "改过的意见"
    with open_file(db.path) as raw, pytest.raises(encryption.IntegrityError):
        raw.execute("DELETE FROM review_step")
    with db.read() as session:
        assert session.get_one(ReviewStep, step.id).opinion == "同意"


def test_the_audit_trail_is_append_only(db: Database) -> None:
    with db.write(ACTOR) as session:
        session.add(Station(code="A", name="甲"))
    with open_file(db.path) as raw:
        with pytest.raises(encryption.IntegrityError, match="append-only"):
            raw.execute("UPDATE audit_entry SET actor_name = '别人'")
        with pytest.raises(encryption.IntegrityError, match="append-only"):
            raw.execute("DELETE FROM audit_entry")


def test_integrity_check_reports_a_sound_file(db: Database) -> None:
    assert db.integrity_check() == []
