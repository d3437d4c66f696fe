"""The rectification ledger's service: creating, states, evidence, bulk actions,
escalation with a movable clock, the ledger's queries, conflicts between windows."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from lawsup_desktop.domain.errors import (
    ConflictError,
    NotFoundError,
    RuleViolation,
    ValidationError,
)
from lawsup_desktop.domain.rectification import DueStatus, EscalationLevel
from lawsup_desktop.domain.vocabulary import (
    IncidentCategory,
    RectificationSource,
    RectificationState,
    RiskLevel,
    Role,
)
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.rectifications import (
    LedgerFilter,
    LedgerSort,
    LedgerSortKey,
    RectificationDraft,
    RectificationService,
    create_rectification,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.audit import Actor
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    Attachment,
    AuditEntry,
    Incident,
    Officer,
    ProblemType,
    Rectification,
    RectificationEvent,
    Unit,
    WatchReview,
)

S = RectificationState
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TODAY = date(2026, 3, 2)


class Clock:
    """A test clock: the service asks it for "today"."""

    def __init__(self, today: date) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today


@pytest.fixture
def clock() -> Clock:
    return Clock(TODAY)


@pytest.fixture
def service(db: Database, folder: DataFolder, workstation: WorkstationInfo,
            clock: Clock) -> RectificationService:
    return RectificationService(db, folder.attachments, clock, actor=workstation.actor)


@pytest.fixture
def problem_type_id(db: Database, workstation: WorkstationInfo) -> str:
    with db.read() as session:
        found = session.scalars(select(ProblemType.id).where(ProblemType.code == "shelved")).one()
    return str(found)


@pytest.fixture
def case_officer_id(db: Database, workstation: WorkstationInfo) -> str:
    """A case officer of the station's own unit: the one responsible for the items
    the supervisor (the operator) signs off."""
    with db.write(workstation.actor) as session:
        officer = Officer(unit_id=workstation.unit_id, name="李办案", role=Role.CASE_OFFICER)
        session.add(officer)
        session.flush()
        return officer.id


def add_unit_with_officer(db: Database, ws: WorkstationInfo, unit: str, officer: str
                          ) -> tuple[str, str]:
    with db.write(ws.actor) as session:
        u = Unit(station_id=ws.station_id, name=unit)
        session.add(u)
        session.flush()
        o = Officer(unit_id=u.id, name=officer, role=Role.CASE_OFFICER)
        session.add(o)
        session.flush()
        return u.id, o.id


def draft(ws: WorkstationInfo, problem_type_id: str | None = None, **changes: object
          ) -> RectificationDraft:
    values: dict[str, object] = dict(
        description="接警后未及时受案", due_date=TODAY + timedelta(days=7),
        problem_type_id=problem_type_id, responsible_unit_id=ws.unit_id,
        responsible_officer_id=ws.operator_id, risk_level=RiskLevel.HIGH,
        measures="立即受案并补录",
    )
    values.update(changes)
    return RectificationDraft(**values)  # type: ignore[arg-type]


def png(tmp_path: Path, name: str = "photo.png", salt: bytes = b"") -> Path:
    path = tmp_path / name
    path.write_bytes(PNG + salt)
    return path


# --- create_rectification, as other services call it --------------------------------


def make_watch_finding(db: Database, ws: WorkstationInfo) -> tuple[str, str]:
    with db.write(ws.actor) as session:
        incident = Incident(incident_no="J2026030100001", received_at=datetime(2026, 3, 1, 9),
                            category=IncidentCategory.CRIMINAL, is_key=True)
        session.add(incident)
        session.flush()
        review = WatchReview(incident_id=incident.id, reviewer_id=ws.operator_id, note="未受案")
        session.add(review)
        session.flush()
        return incident.id, review.id


def test_another_service_raises_an_item_inside_its_own_unit_of_work(
    db: Database, workstation: WorkstationInfo, problem_type_id: str
) -> None:
    incident_id, review_id = make_watch_finding(db, workstation)
    with db.write(workstation.actor) as session:
        item = create_rectification(
            session, source=RectificationSource.DAILY_WATCH, description="有案不立",
            problem_type_id=problem_type_id, responsible_unit_id=workstation.unit_id,
            responsible_officer_id=workstation.operator_id, due_date=date(2026, 3, 9),
            risk_level=RiskLevel.HIGH, incident_id=incident_id, watch_review_id=review_id,
            today=date(2026, 3, 2),
        )
        second = create_rectification(
            session, source=RectificationSource.INSPECTION, description="卷宗不全",
            problem_type_id=None, responsible_unit_id=None, responsible_officer_id=None,
            due_date=date(2026, 3, 9), risk_level=RiskLevel.LOW, today=date(2026, 3, 2),
        )
        numbers = (item.number, second.number)
    assert numbers == ("ZG-2026-00001", "ZG-2026-00002")
    with db.read() as session:
        row = session.scalars(select(Rectification).where(Rectification.number == numbers[0])).one()
        assert (row.state, row.watch_review_id, row.incident_id) == (S.PENDING, review_id,
                                                                     incident_id)
        event = session.scalars(select(RectificationEvent)
                                .where(RectificationEvent.rectification_id == row.id)).one()
        assert (event.kind, event.actor_id) == ("created", workstation.operator_id)
        audited = session.scalars(select(AuditEntry.entity).where(AuditEntry.entity_id == row.id))
        assert "rectification" in list(audited)


def test_numbers_restart_each_year_and_go_past_five_digits(
    db: Database, workstation: WorkstationInfo
) -> None:
    with db.write(workstation.actor) as session:
        session.add(Rectification(number="ZG-2026-99999", source=RectificationSource.MANUAL,
                                  description="x", due_date=TODAY))
    with db.write(workstation.actor) as session:
        kwargs: dict[str, object] = dict(
            source=RectificationSource.MANUAL, description="问题", problem_type_id=None,
            responsible_unit_id=None, responsible_officer_id=None, due_date=TODAY)
        a = create_rectification(session, today=date(2026, 12, 31), **kwargs)  # type: ignore[arg-type]
        b = create_rectification(session, today=date(2026, 12, 31), **kwargs)  # type: ignore[arg-type]
        c = create_rectification(session, today=date(2027, 1, 1), **kwargs)  # type: ignore[arg-type]
        assert (a.number, b.number, c.number) == ("ZG-2026-100000", "ZG-2026-100001",
                                                  "ZG-2027-00001")


def test_an_item_from_a_follow_up_must_link_back_and_nothing_is_written(
    db: Database, workstation: WorkstationInfo
) -> None:
    with pytest.raises(ValidationError) as caught, db.write(workstation.actor) as session:
        create_rectification(
            session, source=RectificationSource.FOLLOW_UP, description="群众不满意",
            problem_type_id=None, responsible_unit_id=None, responsible_officer_id=None,
            due_date=TODAY)
    assert "来源" in caught.value.message.zh
    with db.read() as session:
        assert session.scalars(select(Rectification)).first() is None


def test_a_bureau_assignment_needs_its_assigning_authority(
    service: RectificationService, workstation: WorkstationInfo, db: Database
) -> None:
    kwargs: dict[str, object] = dict(
        source=RectificationSource.BUREAU, description="案件久拖不决", problem_type_id=None,
        responsible_unit_id=workstation.unit_id, responsible_officer_id=None, due_date=TODAY)
    with pytest.raises(ValidationError) as caught, db.write(workstation.actor) as session:
        create_rectification(session, **kwargs)  # type: ignore[arg-type]
    assert "督办单位" in caught.value.message.zh
    with db.write(workstation.actor) as session:
        item_id = create_rectification(
            session, assigning_authority="县公安局法制大队", **kwargs).id  # type: ignore[arg-type]
    detail = service.detail(item_id)
    assert detail.row.bureau_supervised and detail.row.source is RectificationSource.BUREAU
    assert detail.assigning_authority == "县公安局法制大队"
    assert service.ids(LedgerFilter(bureau_supervised=True)) == [item_id]


def test_a_bureau_assignment_cannot_be_typed_in_at_the_station(
    service: RectificationService, workstation: WorkstationInfo
) -> None:
    for changes in ({"source": RectificationSource.BUREAU, "assigning_authority": "县局"},
                    {"bureau_supervised": True, "assigning_authority": "县局"}):
        with pytest.raises(ValidationError) as caught:
            service.create(draft(workstation, **changes))
        assert "县局下发" in caught.value.message.zh
    assert service.ids() == []


def test_bad_input_names_the_field(service: RectificationService, workstation: WorkstationInfo,
                                   db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        service.create(draft(workstation, description="  "))
    assert "问题描述" in caught.value.message.zh
    with pytest.raises(ValidationError) as caught:
        service.create(draft(workstation, due_date=TODAY - timedelta(days=1)))
    assert "整改期限" in caught.value.message.zh
    with pytest.raises(ValidationError) as caught:
        service.create(draft(workstation, problem_type_id="no-such-type"))
    assert "问题类型" in caught.value.message.zh
    other_unit, _ = add_unit_with_officer(db, workstation, "刑侦中队", "李四")
    with pytest.raises(ValidationError) as caught:  # the operator is not in that unit
        service.create(draft(workstation, responsible_unit_id=other_unit))
    assert "责任人" in caught.value.message.zh
    assert service.ids() == []


# --- states -------------------------------------------------------------------------------


def test_an_item_goes_through_every_state_with_events_by_whom(
    service: RectificationService, workstation: WorkstationInfo, problem_type_id: str,
    tmp_path: Path, clock: Clock, case_officer_id: str
) -> None:
    row = service.create(draft(workstation, problem_type_id,
                               responsible_officer_id=case_officer_id))
    assert (row.number, row.state, row.problem_type) == ("ZG-2026-00001", S.PENDING, "压案不查")
    row = service.transition(row.id, S.IN_PROGRESS, "", row.version)
    service.add_progress(row.id, TODAY, "已补录受案登记")
    service.attach_evidence(row.id, png(tmp_path))
    row = service.transition(row.id, S.AWAITING_VERIFICATION, "已整改", row.version)
    clock.today = TODAY + timedelta(days=1)
    row = service.sign_off(row.id, "经核实已整改到位", "", row.version)
    assert row.state is S.SIGNED_OFF
    assert row.signed_off_on is not None
    assert row.due_status is DueStatus.CLOSED
    detail = service.detail(row.id)
    kinds = [(e.kind, e.from_state, e.to_state) for e in detail.events]
    assert kinds == [
        ("created", None, S.PENDING),
        ("start", S.PENDING, S.IN_PROGRESS),
        ("progress", None, None),
        ("submit", S.IN_PROGRESS, S.AWAITING_VERIFICATION),
        ("sign_off", S.AWAITING_VERIFICATION, S.SIGNED_OFF),
    ]
    assert {e.actor_name for e in detail.events} == {"张法制"}
    assert detail.events[-1].occurred_on == TODAY + timedelta(days=1)
    assert detail.verification_note == "经核实已整改到位"
    assert [a.media_type for a in detail.attachments] == ["image/png"]

    with pytest.raises(ValidationError):
        service.reopen(row.id, " ", row.version)
    row = service.reopen(row.id, "复查发现问题反弹", row.version)
    assert row.state is S.IN_PROGRESS and row.signed_off_on is None
    reopened = service.detail(row.id)
    assert reopened.verification_note == ""
    assert reopened.events[-1].note == "复查发现问题反弹"


def test_only_a_signed_off_item_can_be_reopened(
    service: RectificationService, workstation: WorkstationInfo
) -> None:
    row = service.create(draft(workstation))
    with pytest.raises(RuleViolation) as caught:
        service.reopen(row.id, "想重开", row.version)
    assert "已销号" in caught.value.message.zh and "待整改" in caught.value.message.zh


def test_a_wrong_state_transition_is_refused_in_the_service(
    service: RectificationService, workstation: WorkstationInfo
) -> None:
    row = service.create(draft(workstation))
    with pytest.raises(RuleViolation) as caught:
        service.transition(row.id, S.AWAITING_VERIFICATION, "", row.version)
    assert "待整改" in caught.value.message.zh and "待核验" in caught.value.message.zh
    assert service.rows([row.id])[0].state is S.PENDING
    assert [e.kind for e in service.detail(row.id).events] == ["created"]


def test_sign_off_without_verification_or_evidence_is_refused(
    service: RectificationService, workstation: WorkstationInfo, case_officer_id: str
) -> None:
    row = service.create(draft(workstation, responsible_officer_id=case_officer_id))
    row = service.transition(row.id, S.IN_PROGRESS, "", row.version)
    row = service.transition(row.id, S.AWAITING_VERIFICATION, "", row.version)
    with pytest.raises(ValidationError) as caught:
        service.transition(row.id, S.SIGNED_OFF, "", row.version)
    assert "核验意见" in caught.value.message.zh
    with pytest.raises(ValidationError) as caught:
        service.sign_off(row.id, "已核实", "", row.version)
    assert "佐证" in caught.value.message.zh
    assert service.rows([row.id])[0].state is S.AWAITING_VERIFICATION
    row = service.sign_off(row.id, "已核实", "当场口头纠正，无书面材料", row.version)
    assert row.state is S.SIGNED_OFF
    assert service.detail(row.id).no_evidence_reason == "当场口头纠正，无书面材料"


def test_a_signed_off_item_takes_no_progress_nor_evidence(
    service: RectificationService, workstation: WorkstationInfo, tmp_path: Path,
    folder: DataFolder, case_officer_id: str
) -> None:
    row = service.create(draft(workstation, responsible_officer_id=case_officer_id))
    for target in (S.IN_PROGRESS, S.AWAITING_VERIFICATION):
        row = service.transition(row.id, target, "", row.version)
    row = service.sign_off(row.id, "已核实", "无需", row.version)
    with pytest.raises(RuleViolation):
        service.add_progress(row.id, TODAY, "补充")
    with pytest.raises(RuleViolation):
        service.attach_evidence(row.id, png(tmp_path))
    assert not folder.attachments.exists() or not any(folder.attachments.rglob("*"))


def test_unknown_item_is_not_found(service: RectificationService) -> None:
    with pytest.raises(NotFoundError):
        service.transition("nope", S.IN_PROGRESS, "", 1)


def test_a_progress_entry_cannot_be_dated_in_the_future(
    service: RectificationService, workstation: WorkstationInfo
) -> None:
    row = service.create(draft(workstation))
    with pytest.raises(ValidationError) as caught:
        service.add_progress(row.id, TODAY + timedelta(days=1), "明天的事")
    assert "进展日期" in caught.value.message.zh


# --- two windows --------------------------------------------------------------------------


def test_two_windows_editing_one_item_the_second_gets_a_conflict_and_no_progress_is_lost(
    service: RectificationService, workstation: WorkstationInfo
) -> None:
    row = service.create(draft(workstation))
    window_a = service.rows([row.id])[0]
    window_b = service.rows([row.id])[0]
    service.add_progress(row.id, TODAY, "窗口甲：已约谈责任人")
    service.update_details(window_a.id, window_a.version, description="窗口甲修改",
                           measures="补录", risk_level=RiskLevel.MEDIUM, problem_type_id=None)
    service.add_progress(row.id, TODAY, "窗口乙：已补录")
    with pytest.raises(ConflictError) as caught:
        service.transition(window_b.id, S.IN_PROGRESS, "", window_b.version)
    assert row.number in caught.value.message.zh
    with pytest.raises(ConflictError):
        service.update_details(window_b.id, window_b.version, description="窗口乙修改",
                               measures="", risk_level=RiskLevel.LOW, problem_type_id=None)
    detail = service.detail(row.id)
    assert detail.row.description == "窗口甲修改"
    assert [e.note for e in detail.progress] == ["窗口甲：已约谈责任人", "窗口乙：已补录"]


def test_progress_entries_from_many_threads_are_all_kept(
    service: RectificationService, workstation: WorkstationInfo
) -> None:
    row = service.create(draft(workstation))
    errors: list[Exception] = []

    def add(n: int) -> None:
        try:
            for i in range(5):
                service.add_progress(row.id, TODAY, f"线程{n}-{i}")
        except Exception as exc:  # noqa: BLE001 -- a thread's error would vanish; checked below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(service.detail(row.id).progress) == 20


# --- bulk actions ----------------------------------------------------------------------


def test_bulk_reassign_and_extend_are_all_or_nothing(
    service: RectificationService, workstation: WorkstationInfo, db: Database
) -> None:
    unit_id, officer_id = add_unit_with_officer(db, workstation, "治安中队", "王五")
    a = service.create(draft(workstation))
    b = service.create(draft(workstation, due_date=TODAY + timedelta(days=20)))
    rows = service.reassign([a.id, b.id], unit_id, officer_id, "调整分工")
    assert {(r.unit_name, r.officer_name) for r in rows} == {("治安中队", "王五")}
    assert service.detail(a.id).events[-1].kind == "reassign"

    new_due = TODAY + timedelta(days=14)
    with pytest.raises(ValidationError) as caught:  # b is already due later than that
        service.extend_due_date([a.id, b.id], new_due, "需要调取外地证据")
    assert b.number in caught.value.message.zh
    assert service.rows([a.id])[0].due_date == a.due_date  # a unchanged: all or nothing
    with pytest.raises(ValidationError) as caught:
        service.extend_due_date([a.id], new_due, "")
    assert "延期原因" in caught.value.message.zh
    extended = service.extend_due_date([a.id], new_due, "需要调取外地证据")
    assert extended[0].due_date == new_due
    assert "需要调取外地证据" in service.detail(a.id).events[-1].note


def test_bulk_action_with_a_stale_version_conflicts(
    service: RectificationService, workstation: WorkstationInfo
) -> None:
    a = service.create(draft(workstation))
    b = service.create(draft(workstation))
    service.transition(b.id, S.IN_PROGRESS, "", b.version)
    with pytest.raises(ConflictError):
        service.extend_due_date([a.id, b.id], TODAY + timedelta(days=30), "原因",
                                expected_versions={a.id: a.version, b.id: b.version})
    assert service.rows([a.id])[0].due_date == a.due_date


# --- escalation -----------------------------------------------------------------------


def test_an_overdue_item_escalates_as_the_clock_moves_and_only_once_per_level(
    service: RectificationService, workstation: WorkstationInfo, clock: Clock
) -> None:
    late = service.create(draft(workstation, due_date=TODAY + timedelta(days=1)))
    on_time = service.create(draft(workstation, due_date=TODAY + timedelta(days=30)))
    assert service.escalate_overdue() == []

    clock.today = TODAY + timedelta(days=1 + 2)  # two days overdue: not yet
    assert service.escalate_overdue() == []
    clock.today = TODAY + timedelta(days=1 + 3)
    done = service.escalate_overdue()
    assert [(d.number, d.to_level, d.overdue_days) for d in done] == [
        (late.number, EscalationLevel.UNIT_LEADER, 3)]
    assert service.escalate_overdue() == []  # idempotent
    clock.today = TODAY + timedelta(days=1 + 6)
    assert [d.to_level for d in service.escalate_overdue()] == [EscalationLevel.BUREAU]
    row, other = service.rows([late.id, on_time.id])
    assert (row.escalation_level, row.overdue_days, row.due_status) == (
        EscalationLevel.BUREAU, 6, DueStatus.OVERDUE)
    assert other.escalation_level is EscalationLevel.OFFICER
    assert [e.kind for e in service.detail(late.id).events].count("escalate") == 2
    bureau = service.ids(LedgerFilter(escalation_levels=frozenset({2})))
    assert bureau == [late.id]


def test_escalation_days_are_configurable_and_a_late_run_jumps_levels(
    db: Database, folder: DataFolder, workstation: WorkstationInfo, clock: Clock
) -> None:
    service = RectificationService(db, folder.attachments, clock, actor=workstation.actor,
                                   escalation_days=5)
    row = service.create(draft(workstation, due_date=TODAY))
    assert service.escalate_overdue(TODAY + timedelta(days=4)) == []
    done = service.escalate_overdue(TODAY + timedelta(days=12))
    assert [(d.from_level, d.to_level) for d in done] == [
        (EscalationLevel.OFFICER, EscalationLevel.BUREAU)]
    assert service.rows([row.id])[0].escalation_level is EscalationLevel.BUREAU


def test_a_signed_off_item_never_escalates(
    service: RectificationService, workstation: WorkstationInfo, case_officer_id: str
) -> None:
    row = service.create(draft(workstation, due_date=TODAY,
                               responsible_officer_id=case_officer_id))
    for target in (S.IN_PROGRESS, S.AWAITING_VERIFICATION):
        row = service.transition(row.id, target, "", row.version)
    service.sign_off(row.id, "已核实", "无需", row.version)
    assert service.escalate_overdue(TODAY + timedelta(days=30)) == []


# --- the ledger's queries ----------------------------------------------------------------


def test_ledger_filters_sorts_and_counts_in_sql(
    service: RectificationService, workstation: WorkstationInfo, db: Database,
    problem_type_id: str, clock: Clock
) -> None:
    unit_id, officer_id = add_unit_with_officer(db, workstation, "治安中队", "王五")
    clock.today = TODAY - timedelta(days=10)  # a was entered ten days ago
    a = service.create(draft(workstation, problem_type_id, risk_level=RiskLevel.LOW,
                             due_date=TODAY - timedelta(days=2)))
    clock.today = TODAY
    b = service.create(draft(workstation, risk_level=RiskLevel.HIGH,
                             due_date=TODAY + timedelta(days=2), description="扣押物品未登记"))
    c = service.create(draft(workstation, risk_level=RiskLevel.MEDIUM, responsible_unit_id=unit_id,
                             responsible_officer_id=officer_id, due_date=TODAY + timedelta(days=9),
                             source=RectificationSource.INSPECTION))
    service.transition(c.id, S.IN_PROGRESS, "", c.version)

    assert service.ids(LedgerFilter(overdue=True)) == [a.id]
    assert set(service.ids(LedgerFilter(overdue=False))) == {b.id, c.id}
    assert service.ids(LedgerFilter(unit_ids=frozenset({unit_id}))) == [c.id]
    assert service.ids(LedgerFilter(officer_ids=frozenset({officer_id}))) == [c.id]
    assert service.ids(LedgerFilter(problem_type_ids=frozenset({problem_type_id}))) == [a.id]
    assert service.ids(LedgerFilter(sources=frozenset({RectificationSource.INSPECTION}))) == [c.id]
    assert service.ids(LedgerFilter(states=frozenset({S.IN_PROGRESS}))) == [c.id]
    assert service.ids(LedgerFilter(risk_levels=frozenset({RiskLevel.HIGH}))) == [b.id]
    assert service.ids(LedgerFilter(due_from=TODAY, due_to=TODAY + timedelta(days=3))) == [b.id]
    assert service.ids(LedgerFilter(text="扣押")) == [b.id]
    assert service.ids(LedgerFilter(text="ZG-2026-00003")) == [c.id]

    assert service.ids(sort=LedgerSort(LedgerSortKey.DUE_DATE)) == [a.id, b.id, c.id]
    assert service.ids(sort=LedgerSort(LedgerSortKey.DUE_DATE, descending=True)) == [
        c.id, b.id, a.id]
    assert service.ids(sort=LedgerSort(LedgerSortKey.RISK)) == [b.id, c.id, a.id]
    assert service.ids(sort=LedgerSort(LedgerSortKey.STATE))[-1] == c.id
    # Names sort by code point (张 U+5F20 before 王 U+738B), not by pinyin.
    assert service.ids(sort=LedgerSort(LedgerSortKey.OFFICER))[-1] == c.id
    assert service.ids(sort=LedgerSort(LedgerSortKey.NUMBER, descending=True)) == [
        c.id, b.id, a.id]
    for key in LedgerSortKey:
        assert sorted(service.ids(sort=LedgerSort(key))) == sorted([a.id, b.id, c.id])

    counts = service.counts_by_state(LedgerFilter(states=frozenset({S.IN_PROGRESS})))
    assert counts == {S.PENDING: 2, S.IN_PROGRESS: 1, S.AWAITING_VERIFICATION: 0,
                      S.SIGNED_OFF: 0}
    rows = service.rows([c.id, a.id, "gone"])
    assert [r.id for r in rows] == [c.id, a.id]
    assert (rows[1].due_status, rows[1].overdue_days) == (DueStatus.OVERDUE, 2)
    assert service.rows([b.id])[0].due_status is DueStatus.DUE_SOON
    clock.today = TODAY - timedelta(days=10)
    assert service.ids(LedgerFilter(overdue=True)) == []


def test_a_soft_deleted_item_leaves_the_ledger(
    service: RectificationService, workstation: WorkstationInfo, db: Database
) -> None:
    row = service.create(draft(workstation))
    with db.write(workstation.actor) as session:
        item = session.get(Rectification, row.id)
        assert item is not None
        item.deleted_at = datetime(2026, 3, 2, tzinfo=UTC)
    assert service.ids() == []
    assert service.rows([row.id]) == []
    with pytest.raises(NotFoundError):
        service.detail(row.id)


# --- evidence through the service --------------------------------------------------------


def test_evidence_is_stored_once_by_hash_and_kept_on_the_item(
    service: RectificationService, workstation: WorkstationInfo, tmp_path: Path, db: Database
) -> None:
    a = service.create(draft(workstation))
    b = service.create(draft(workstation))
    first = service.attach_evidence(a.id, png(tmp_path, "现场.png"))
    second = service.attach_evidence(b.id, png(tmp_path, "copy.jpg"))  # same bytes, other name
    assert first.sha256 == second.sha256 and first.path == second.path
    assert first.path.read_bytes() == PNG
    assert second.media_type == "image/png"  # by content, not by the ".jpg"
    with db.read() as session:
        stored = session.scalars(select(Attachment.sha256)).all()
    assert stored == [first.sha256, first.sha256]


def test_a_failed_database_write_leaves_no_orphaned_file(
    service: RectificationService, workstation: WorkstationInfo, tmp_path: Path,
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = service.create(draft(workstation))
    kept = service.attach_evidence(row.id, png(tmp_path, "kept.png"))

    def broken_view(*_args: object) -> object:
        raise RuntimeError("disk full while writing the database")

    import lawsup_desktop.services.rectifications as module

    monkeypatch.setattr(module, "_attachment_view", broken_view)
    with pytest.raises(RuntimeError):
        service.attach_evidence(row.id, png(tmp_path, "new.png", salt=b"new"))
    with pytest.raises(RuntimeError):  # same bytes as a referenced file: it stays
        service.attach_evidence(row.id, png(tmp_path, "again.png"))
    monkeypatch.undo()
    files = [p for p in folder.attachments.rglob("*") if p.is_file()]
    assert files == [kept.path]
    assert len(service.detail(row.id).attachments) == 1


def test_the_ledger_view_pages_counts_and_totals_alike_with_or_without_a_text_search(
    service: RectificationService, workstation: WorkstationInfo
) -> None:
    made = [service.create(draft(workstation, description=f"卷宗问题{n}",
                                 due_date=TODAY + timedelta(days=n % 4)))
            for n in range(12)]
    for row in made[:5]:
        service.transition(row.id, S.IN_PROGRESS, "", row.version)
    in_order = service.ids(sort=LedgerSort(LedgerSortKey.DUE_DATE, descending=True))
    assert len(in_order) == 12
    for flt in (LedgerFilter(), LedgerFilter(text="卷宗问题")):
        view = service.ledger(flt, LedgerSort(LedgerSortKey.DUE_DATE, descending=True),
                              offset=4, limit=5)
        assert view.ids == in_order[4:9]
        assert view.total == 12
        assert (view.counts[S.PENDING], view.counts[S.IN_PROGRESS]) == (7, 5)
        assert service.counts_by_state(flt) == view.counts
        open_only = service.ledger(
            LedgerFilter(states=frozenset({S.IN_PROGRESS}), text=flt.text))
        assert open_only.total == 5 and sorted(open_only.ids) == sorted(r.id for r in made[:5])
        assert open_only.counts[S.PENDING] == 7  # the header counts ignore the state choice
    searched = service.ledger(LedgerFilter(text="卷宗问题1"))  # 1, 10, 11
    assert searched.total == 3
    assert sorted(service.rows(searched.ids), key=lambda r: r.number)[0].description == "卷宗问题1"
    assert service.ids(LedgerFilter(text="卷宗问题1"), limit=2, offset=2) == searched.ids[2:]


def test_only_a_supervisor_not_responsible_for_the_item_signs_it_off(
    service: RectificationService, workstation: WorkstationInfo, db: Database,
    folder: DataFolder, clock: Clock, case_officer_id: str
) -> None:
    own = service.create(draft(workstation))  # the operator is its responsible officer
    theirs = service.create(draft(workstation, responsible_officer_id=case_officer_id))
    for row in (own, theirs):
        for target in (S.IN_PROGRESS, S.AWAITING_VERIFICATION):
            row = service.transition(row.id, target, "", row.version)
    own_row, their_row = service.rows([own.id, theirs.id])
    with pytest.raises(RuleViolation) as caught:
        service.sign_off(own.id, "已核实", "无需", own_row.version)
    assert "责任人" in caught.value.message.zh and "张法制" in caught.value.message.zh
    as_case_officer = RectificationService(
        db, folder.attachments, clock, actor=Actor(case_officer_id, "李办案"))
    with pytest.raises(RuleViolation) as caught:
        as_case_officer.sign_off(theirs.id, "已核实", "无需", their_row.version)
    assert "法制监督员" in caught.value.message.zh
    assert service.sign_off(theirs.id, "已核实", "无需", their_row.version).state is S.SIGNED_OFF


def test_a_wrongly_attached_file_is_removed_with_a_reason(
    service: RectificationService, workstation: WorkstationInfo, tmp_path: Path,
    case_officer_id: str
) -> None:
    row = service.create(draft(workstation, responsible_officer_id=case_officer_id))
    wrong = service.attach_evidence(row.id, png(tmp_path, "别的案子.png"))
    with pytest.raises(ValidationError):
        service.remove_evidence(wrong.id, "")
    service.remove_evidence(wrong.id, "传错了文件")
    detail = service.detail(row.id)
    assert detail.attachments == ()
    assert detail.events[-1].note == "别的案子.png：传错了文件"
    assert wrong.path.exists()  # the store keeps it: the audit trail refers to it
    with pytest.raises(NotFoundError):
        service.remove_evidence(wrong.id, "再删一次")
    for target in (S.IN_PROGRESS, S.AWAITING_VERIFICATION):
        row = service.transition(row.id, target, "", row.version)
    with pytest.raises(ValidationError) as caught:  # the removed file is no evidence
        service.sign_off(row.id, "已核实", "", row.version)
    assert "佐证" in caught.value.message.zh


def test_a_stale_write_from_the_store_becomes_a_conflict_message(
    service: RectificationService, workstation: WorkstationInfo, db: Database,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import contextmanager

    from sqlalchemy.orm.exc import StaleDataError

    row = service.create(draft(workstation))

    @contextmanager
    def stale_write(_actor: object) -> Iterator[object]:
        # What SQLAlchemy raises when UPDATE ... WHERE version = ? matches no row.
        raise StaleDataError("UPDATE statement on table 'rectification' expected 1 row")
        yield  # pragma: no cover

    monkeypatch.setattr(db, "write", stale_write)
    with pytest.raises(ConflictError) as caught:
        service.transition(row.id, S.IN_PROGRESS, "", row.version)
    assert "刷新" in caught.value.message.zh and "refresh" in caught.value.message.en
