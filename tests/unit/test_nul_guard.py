"""The store refuses the NUL character in text, whatever path the text came by: the
central service's PostgreSQL cannot store it, so a NUL saved here would stall the
station's sync outbox. One guard on the ORM's flush (store/audit.py's hook) and
one in the bulk writer (store/bulk.py); the error names the field in both
languages and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text

from lawsup_desktop.domain.errors import ValidationError
from lawsup_desktop.domain.vocabulary import (
    FollowUpMethod,
    PartyRole,
    RiskLevel,
    Role,
    Satisfaction,
)
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.follow_ups import CheckedItem, FollowUpInput, FollowUpService
from lawsup_desktop.services.rectifications import RectificationDraft, RectificationService
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.bulk import bulk_insert, bulk_update
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    AuditEntry,
    FollowUp,
    Incident,
    Officer,
    Rectification,
    RectificationEvent,
)
from lawsup_desktop.store.sync_models import SyncOutbox
from tests.unit.incident_helpers import add_incidents

NUL = "\x00"
CONTACTED = dt.datetime(2026, 11, 23, 9, 30)
NOW = dt.datetime(2026, 11, 23, 10, 0)


def _counts(db: Database) -> dict[str, int]:
    """Rows of every table a refused write could have touched."""
    with db.read() as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (
                Incident, FollowUp, Rectification, RectificationEvent, Officer, AuditEntry,
                SyncOutbox,
            )
        }


def _refused(caught: pytest.ExceptionInfo[ValidationError], zh: str, en: str) -> None:
    """The error names the field in both languages and says what is wrong."""
    error = caught.value
    assert (error.field.zh, error.field.en) == (zh, en)
    assert "U+0000" in error.problem.zh and "NUL" in error.problem.en
    assert error.message.zh.startswith(zh) and error.message.en.startswith(en)


@pytest.fixture
def incident_id(db: Database, workstation: WorkstationInfo) -> str:
    return add_incidents(db, workstation, {"received_at": dt.datetime(2026, 11, 20, 9, 0)})[0]


def _follow_up(**changes: object) -> FollowUpInput:
    values: dict[str, object] = {
        "method": FollowUpMethod.PHONE,
        "party_name": "王芳",
        "party_role": PartyRole.CALLER,
        "party_phone": "138 1234 5678",
        "contacted_at": CONTACTED,
        "satisfaction": Satisfaction.SATISFIED,
    }
    values.update(changes)
    return FollowUpInput(**values)  # type: ignore[arg-type]


def test_a_follow_up_note_with_a_nul_is_refused_and_nothing_is_written(
    db: Database, workstation: WorkstationInfo, incident_id: str
) -> None:
    service = FollowUpService(db, workstation.actor)
    before = _counts(db)
    # Dissatisfied: the note would also have gone into the rectification it raises.
    data = _follow_up(notes=f"态度差{NUL}", satisfaction=Satisfaction.DISSATISFIED)
    with pytest.raises(ValidationError) as caught:
        service.record(incident_id, data, now=NOW)
    _refused(caught, "回访备注", "Follow-up notes")
    assert _counts(db) == before
    # The same note without the NUL goes in: the guard refuses only the NUL.
    service.record(incident_id, _follow_up(notes="态度差"), now=NOW)
    assert _counts(db)["FollowUp"] == before["FollowUp"] + 1


def test_a_nul_inside_a_json_value_is_refused_too(
    db: Database, workstation: WorkstationInfo, incident_id: str
) -> None:
    before = _counts(db)
    data = _follow_up(checks={"reception": CheckedItem(True, f"及时{NUL}")})
    with pytest.raises(ValidationError) as caught:
        FollowUpService(db, workstation.actor).record(incident_id, data, now=NOW)
    _refused(caught, "回访事项说明", "Follow-up check notes")
    assert _counts(db) == before


@pytest.fixture
def rectifications(
    db: Database, folder: DataFolder, workstation: WorkstationInfo
) -> Iterator[RectificationService]:
    yield RectificationService(
        db, folder.attachments, lambda: dt.date(2026, 3, 2), actor=workstation.actor
    )


def test_rectification_measures_with_a_nul_are_refused_on_create_and_on_edit(
    db: Database, workstation: WorkstationInfo, rectifications: RectificationService
) -> None:
    draft = RectificationDraft(
        description="接警后未及时受案",
        due_date=dt.date(2026, 3, 9),
        responsible_unit_id=workstation.unit_id,
        risk_level=RiskLevel.HIGH,
        measures=f"立即受案{NUL}并补录",
    )
    before = _counts(db)
    with pytest.raises(ValidationError) as caught:
        rectifications.create(draft)
    _refused(caught, "整改措施", "Rectification measures")
    assert _counts(db) == before

    row = rectifications.create(RectificationDraft(
        description="接警后未及时受案", due_date=dt.date(2026, 3, 9),
        responsible_unit_id=workstation.unit_id,
    ))
    before = _counts(db)
    with pytest.raises(ValidationError) as caught:
        rectifications.update_details(
            row.id, row.version, description="接警后未及时受案", measures=f"补录{NUL}",
            risk_level=RiskLevel.LOW, problem_type_id=None,
        )
    _refused(caught, "整改措施", "Rectification measures")
    assert _counts(db) == before
    assert rectifications.rows([row.id])[0].version == row.version


def test_any_orm_write_is_guarded_and_rolls_back_its_whole_unit_of_work(
    db: Database, workstation: WorkstationInfo
) -> None:
    before = _counts(db)
    with pytest.raises(ValidationError) as caught, db.write(workstation.actor) as session:
        session.add(Officer(unit_id=workstation.unit_id, name=f"李{NUL}", role=Role.CASE_OFFICER))
    _refused(caught, "民警姓名", "Officer's name")
    with pytest.raises(ValidationError) as caught, db.write(workstation.actor) as session:
        session.add(Officer(unit_id=workstation.unit_id, name="李", role=Role.CASE_OFFICER))
        session.flush()  # written, with its audit entry and op, until the refusal below
        session.add(Incident(incident_no=f"J{NUL}", received_at=NOW, category="other"))
    _refused(caught, "接警编号", "Incident number")
    assert _counts(db) == before


def test_a_nul_saved_before_the_guard_does_not_block_editing_other_fields(
    db: Database, workstation: WorkstationInfo, incident_id: str
) -> None:
    """Only what a write changes is checked: a record that already holds a NUL (from
    before the guard) can still be corrected field by field."""
    with db.writer.begin() as connection:
        connection.execute(
            text("UPDATE incident SET summary = :s WHERE id = :id"),
            {"s": f"旧{NUL}", "id": incident_id},
        )
    with db.write(workstation.actor) as session:
        session.get(Incident, incident_id).address = "东街"  # type: ignore[union-attr]
    with pytest.raises(ValidationError), db.write(workstation.actor) as session:
        session.get(Incident, incident_id).handling_notes = NUL  # type: ignore[union-attr]
    with db.write(workstation.actor) as session:
        session.get(Incident, incident_id).summary = "旧"  # type: ignore[union-attr]
    with db.read() as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None and (incident.address, incident.summary) == ("东街", "旧")


def test_the_bulk_writer_refuses_a_nul_on_insert_and_on_update(
    db: Database, workstation: WorkstationInfo, incident_id: str
) -> None:
    before = _counts(db)
    record = {
        "incident_no": "J-BULK",
        "received_at": dt.datetime(2026, 11, 21, 8, 0),
        "category": "other",
        "summary": "一行",
    }
    with pytest.raises(ValidationError) as caught, db.write(workstation.actor) as session:
        bulk_insert(session, Incident, [record, {**record, "incident_no": "J-2",
                                                 "caller_name": f"王{NUL}"}])
    _refused(caught, "报警人", "Caller")
    assert _counts(db) == before  # the good row before it is not written either

    with db.read() as session:
        current = dict(
            session.execute(
                select(Incident.id, Incident.version, Incident.summary, Incident.address)
                .where(Incident.id == incident_id)
            ).mappings().one()
        )
    with pytest.raises(ValidationError) as caught, db.write(workstation.actor) as session:
        bulk_update(session, Incident, [(current, {"summary": f"新{NUL}", "address": "西街"})])
    _refused(caught, "简要警情", "Summary")
    assert _counts(db) == before
    with db.read() as session:
        assert session.get(Incident, incident_id).version == current["version"]  # type: ignore[union-attr]
