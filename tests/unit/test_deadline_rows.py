"""The 期限预警 list's API: item keys from one grouped count, rows per page, and the
calculator through the service."""

from __future__ import annotations

import datetime as dt

import pytest

from lawsup_desktop.domain.deadlines import DeadlineState, Extension
from lawsup_desktop.domain.errors import NotFoundError, ValidationError
from lawsup_desktop.domain.vocabulary import CaseKind, MeasureKind, PersonRole
from lawsup_desktop.services.cases import CaseInput, CaseService, MeasureInput, PersonInput
from lawsup_desktop.services.deadlines import DeadlineService
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database

T = dt.datetime
NOW = T(2026, 11, 27, 10, 0)
REQUEST = "criminal_detention_request"


@pytest.fixture
def measures(db: Database, workstation: WorkstationInfo) -> dict[str, str]:
    cases = CaseService(db, workstation)
    found = {}
    for number, (name, started) in enumerate(
        [("甲", T(2026, 11, 22, 9, 0)), ("乙", T(2026, 11, 24, 15, 0)),
         ("丙", T(2026, 11, 25, 8, 0))], start=1,
    ):
        detail = cases.create_case(
            CaseInput(f"X-{number}", f"{name}案", CaseKind.CRIMINAL, "盗窃",
                      workstation.unit_id, workstation.operator_id,
                      accepted_at=started, registered_at=started),
            [PersonInput(PersonRole.SUSPECT, name,
                         measures=(MeasureInput(MeasureKind.CRIMINAL_DETENTION, started),))],
        )
        found[name] = detail.persons[0].measures[0].id
    return found


def test_keys_are_the_uncleared_warnings_most_urgent_first(
    db: Database, workstation: WorkstationInfo, measures: dict[str, str]
) -> None:
    service = DeadlineService(db)
    keys = service.warning_keys(NOW)
    assert [(k.subject_id, k.state) for k in keys] == [
        (measures["甲"], DeadlineState.OVERDUE),
        (measures["乙"], DeadlineState.DUE_TODAY),
        (measures["丙"], DeadlineState.APPROACHING),
    ]
    everything = service.warning_keys(NOW, include_normal=True)
    assert len(everything) == 6  # and the three 10-day detention limits, 正常
    assert {k.state for k in everything[3:]} == {DeadlineState.NORMAL}
    service.clear_warning(workstation, measures["乙"], REQUEST, "已提醒", NOW)
    assert [k.subject_id for k in service.warning_keys(NOW)] == [measures["甲"], measures["丙"]]
    assert measures["乙"] not in {
        k.subject_id for k in service.warning_keys(NOW, include_normal=True)
        if k.rule_code == REQUEST
    }


def test_rows_of_a_page_keep_its_order_and_name_unit_officer_and_measure(
    db: Database, workstation: WorkstationInfo, measures: dict[str, str]
) -> None:
    service = DeadlineService(db)
    keys = service.warning_keys(NOW)
    rows = service.rows(keys[1:], NOW)
    assert [r.person_name for r in rows] == ["乙", "丙"]
    assert rows[0].measure_kind is MeasureKind.CRIMINAL_DETENTION
    assert rows[0].unit_name == workstation.station_name
    assert rows[0].officer_name == workstation.operator_name
    assert rows[0].case_no == "X-2" and rows[0].days_left == 0


def test_the_calculator_uses_the_station_tables_and_refuses_beyond_the_law(
    db: Database,
) -> None:
    service = DeadlineService(db)
    result = service.calculate(REQUEST, T(2026, 9, 28, 10, 0), custody=True)
    assert result.due.day == dt.date(2026, 10, 1) and result.due.time is None
    free = service.calculate("public_order_case", T(2026, 9, 2, 10, 0))
    assert free.due.day == dt.date(2026, 10, 8)  # 10-02 falls in the National Day holiday
    with pytest.raises(ValidationError, match="statutory maximum"):
        service.calculate(REQUEST, T(2026, 9, 28, 10, 0), extensions=[Extension(28)])
    with pytest.raises(NotFoundError):
        service.calculate("no_such_rule", T(2026, 9, 28, 10, 0))
