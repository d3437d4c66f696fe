"""Deadlines of the station's open cases and measures; warnings cleared one by one."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from lawsup_desktop.domain.deadlines import DeadlineState
from lawsup_desktop.domain.errors import NotFoundError, RuleViolation, ValidationError
from lawsup_desktop.domain.vocabulary import CaseKind, MeasureKind, PersonRole
from lawsup_desktop.services.deadlines import DeadlineService, DueItem, bundled_reference_rows
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    Case,
    CasePerson,
    CoerciveMeasure,
    DeadlineAdjustment,
    HolidayPeriod,
    ProcuratorateReview,
    WarningClearance,
)
from lawsup_desktop.store.models import DeadlineRule as DeadlineRuleRow

T = dt.datetime


@pytest.fixture
def station(db: Database, workstation: WorkstationInfo) -> dict[str, str]:
    """A criminal case with a detained suspect, and an administrative case."""
    with db.write(workstation.actor) as session:
        criminal = Case(case_no="X2025-001", name="张某盗窃案", kind=CaseKind.CRIMINAL,
                        cause="盗窃", accepted_at=T(2025, 3, 9, 20, 0),
                        registered_at=T(2025, 3, 10, 9, 0))
        public_order = Case(case_no="A2025-007", name="李某殴打他人案",
                            kind=CaseKind.ADMINISTRATIVE, cause="殴打他人",
                            accepted_at=T(2025, 3, 3, 9, 30))
        session.add_all([criminal, public_order])
        session.flush()
        suspect = CasePerson(case_id=criminal.id, role=PersonRole.SUSPECT, name="张某")
        session.add(suspect)
        session.flush()
        detention = CoerciveMeasure(person_id=suspect.id, kind=MeasureKind.CRIMINAL_DETENTION,
                                    started_at=T(2025, 3, 10, 14, 0))
        session.add(detention)
        session.flush()
        return {"criminal": criminal.id, "public_order": public_order.id,
                "detention": detention.id}


def find(items: list[DueItem], subject_id: str, rule_code: str) -> DueItem:
    return next(i for i in items if i.subject_id == subject_id and i.rule_code == rule_code)


def test_due_items_of_open_measures_and_cases(db: Database, station: dict[str, str]) -> None:
    items = DeadlineService(db).due_items(T(2025, 3, 12, 9, 0))
    request = find(items, station["detention"], "criminal_detention_request")
    assert request.due.day == dt.date(2025, 3, 13) and request.due.time is None
    assert request.state is DeadlineState.APPROACHING and request.person_name == "张某"
    assert request.case_no == "X2025-001"
    assert find(items, station["detention"], "criminal_detention_max").due.day == dt.date(
        2025, 3, 20
    )
    public_order = find(items, station["public_order"], "public_order_case")
    assert public_order.due.day == dt.date(2025, 4, 2) and public_order.person_name == ""
    # The criminal case is registered: its registration review is over.
    assert not [i for i in items if i.rule_code == "criminal_registration_review"]
    # Most urgent first.
    assert [i.state.rank for i in items] == sorted((i.state.rank for i in items), reverse=True)


def test_ended_measures_and_requests_sent_end_their_deadlines(
    db: Database, workstation: WorkstationInfo, station: dict[str, str]
) -> None:
    with db.write(workstation.actor) as session:
        session.add(ProcuratorateReview(case_id=station["criminal"],
                                        sent_on=dt.date(2025, 3, 12)))
    items = DeadlineService(db).due_items(T(2025, 3, 12, 9, 0))
    assert not [i for i in items if i.rule_code == "criminal_detention_request"]
    assert [i for i in items if i.rule_code == "criminal_detention_max"]
    with db.write(workstation.actor) as session:
        measure = session.get(CoerciveMeasure, station["detention"])
        assert measure is not None
        measure.ended_at = T(2025, 3, 16, 10, 0)
    items = DeadlineService(db).due_items(T(2025, 3, 12, 9, 0))
    assert not [i for i in items if i.subject_id == station["detention"]]


def test_a_cleared_warning_comes_back_when_the_deadline_moves(
    db: Database, workstation: WorkstationInfo, station: dict[str, str]
) -> None:
    service = DeadlineService(db)
    now = T(2025, 3, 13, 8, 0)
    subject = station["detention"]
    assert find(service.warnings(now), subject, "criminal_detention_request").state is (
        DeadlineState.DUE_TODAY
    )
    assert service.warning_counts(now)[DeadlineState.DUE_TODAY] == 1

    with pytest.raises(ValidationError, match="Clearance note"):
        service.clear_warning(workstation, subject, "criminal_detention_request", "  ", now)
    cleared = service.clear_warning(workstation, subject, "criminal_detention_request",
                                    "已电话提醒主办民警，今日提请批捕", now)
    assert cleared.due_at == T(2025, 3, 13, 23, 59, 59, 999999)
    assert not [i for i in service.warnings(now) if i.rule_code == "criminal_detention_request"]
    assert find(service.warnings(now, include_cleared=True), subject,
                "criminal_detention_request").cleared
    with pytest.raises(RuleViolation, match="already been cleared"):
        service.clear_warning(workstation, subject, "criminal_detention_request", "again", now)

    # An approved extension moves the deadline: the warning reappears, uncleared.
    adjustment = service.record_extension(workstation, subject, "criminal_detention_request", 4,
                                          "县局负责人王某批准")
    assert adjustment.due.day == dt.date(2025, 3, 17)
    moved = find(service.due_items(T(2025, 3, 16, 8, 0)), subject, "criminal_detention_request")
    assert moved.due.day == dt.date(2025, 3, 17) and not moved.cleared
    assert moved.state is DeadlineState.APPROACHING
    # The 37-day limit grows with the request extension (extensions_from).
    assert find(service.due_items(now), subject, "criminal_detention_max").due.day == dt.date(
        2025, 3, 24
    )


def test_clearing_refuses_what_is_not_a_warning(
    db: Database, workstation: WorkstationInfo, station: dict[str, str]
) -> None:
    service = DeadlineService(db)
    with pytest.raises(RuleViolation, match="not yet a warning"):
        service.clear_warning(workstation, station["public_order"], "public_order_case",
                              "note", T(2025, 3, 5, 9, 0))
    with pytest.raises(NotFoundError):
        service.clear_warning(workstation, "no-such-id", "public_order_case", "note",
                              T(2025, 3, 5, 9, 0))
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(WarningClearance)) == 0


def test_appraisal_pause_and_extension_of_a_public_order_case(
    db: Database, workstation: WorkstationInfo, station: dict[str, str]
) -> None:
    service = DeadlineService(db)
    case_id = station["public_order"]
    # A 鉴定 still running counts up to now.
    service.record_suspension(workstation, case_id, "public_order_case",
                              T(2025, 3, 10, 9, 0), None, "伤情鉴定")
    running = find(service.due_items(T(2025, 3, 15, 9, 0)), case_id, "public_order_case")
    assert running.due.day == dt.date(2025, 4, 7)
    with db.write(workstation.actor) as session:
        row = session.scalars(select(DeadlineAdjustment)).one()
        row.ends_at = T(2025, 3, 20, 16, 0)
    service.record_extension(workstation, case_id, "public_order_case", 30, "分局批准")
    item = find(service.due_items(T(2025, 4, 20, 9, 0)), case_id, "public_order_case")
    assert item.due.day == dt.date(2025, 5, 12)
    steps = service.explain(case_id, "public_order_case", T(2025, 4, 20, 9, 0)).steps
    assert any("中止计算" in s.text.zh for s in steps)
    assert any("延长30日" in s.text.zh for s in steps)


def test_bad_adjustments_write_nothing(
    db: Database, workstation: WorkstationInfo, station: dict[str, str]
) -> None:
    service = DeadlineService(db)
    with pytest.raises(ValidationError, match="statutory maximum"):
        service.record_extension(workstation, station["public_order"], "public_order_case",
                                 31, "分局批准")
    with pytest.raises(ValidationError, match="cannot be suspended"):
        service.record_suspension(workstation, station["detention"],
                                  "criminal_detention_request", T(2025, 3, 11), None, "鉴定")
    with pytest.raises(ValidationError, match="before the start"):
        service.record_suspension(workstation, station["public_order"], "public_order_case",
                                  T(2025, 3, 20), T(2025, 3, 10), "鉴定")
    with pytest.raises(ValidationError, match="Approval"):
        service.record_extension(workstation, station["public_order"], "public_order_case",
                                 10, "")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(DeadlineAdjustment)) == 0


def test_the_bundled_tables_published_as_rows_read_back_the_same(
    db: Database, workstation: WorkstationInfo
) -> None:
    rules, holidays = bundled_reference_rows()
    service = DeadlineService(db)
    before_book, before_calendar = service.rule_book(), service.calendar()
    with db.write(workstation.actor) as session:
        session.add_all(DeadlineRuleRow(**row) for row in rules)
        session.add_all(HolidayPeriod(**row) for row in holidays)
    after_book, after_calendar = service.rule_book(), service.calendar()
    assert dict(after_book.rules) == dict(before_book.rules)
    day = dt.date(2025, 1, 1)
    while day <= dt.date(2027, 12, 31):
        assert after_calendar.is_working_day(day) == before_calendar.is_working_day(day), day
        day += dt.timedelta(days=1)
    # Rows carry no "provisional" mark: once the bureau publishes 2027, it is final.
    assert before_calendar.is_provisional(2027) and not after_calendar.is_provisional(2027)


def test_grouped_states_agree_with_the_item_list(
    db: Database, workstation: WorkstationInfo, station: dict[str, str]
) -> None:
    service = DeadlineService(db)
    now = T(2025, 3, 13, 8, 0)
    service.clear_warning(workstation, station["detention"], "criminal_detention_request",
                          "已提醒", now)
    grouped = service.states(now)
    items = service.due_items(now)
    assert len(grouped) == len(items)
    assert sorted((s.subject_id, s.rule_code, s.state, s.cleared) for s in grouped) == sorted(
        (i.subject_id, i.rule_code, i.state, i.cleared) for i in items
    )
    counts = grouped.counts()
    assert sum(counts.values()) == len(items)
    assert counts[DeadlineState.DUE_TODAY] == 1  # cleared, but still due today
    assert service.warning_counts(now)[DeadlineState.DUE_TODAY] == 0
