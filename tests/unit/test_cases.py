"""The case register: cases, persons with validated IDs, measures, the fast list."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from audit_helpers import (
    ID_FEMALE,
    ID_MALE,
    Roster,
    case_input,
    complete_content,
    make_roster,
    register_case,
    step,
    two_suspects,
)
from sqlalchemy import func, select

from lawsup_desktop.domain.audit_form import AuditState, FormStatus
from lawsup_desktop.domain.errors import ConflictError, ValidationError
from lawsup_desktop.domain.vocabulary import (
    CaseKind,
    Decision,
    Gender,
    MeasureKind,
    PersonRole,
)
from lawsup_desktop.services.audits import AuditService
from lawsup_desktop.services.cases import (
    CaseQuery,
    CaseService,
    CaseSort,
    MeasureInput,
    PersonInput,
    audit_state_code,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import AuditEntry, Case, CasePerson, CoerciveMeasure


@pytest.fixture
def roster(db: Database, workstation: WorkstationInfo) -> Roster:
    return make_roster(db, workstation)


@pytest.fixture
def cases(db: Database, workstation: WorkstationInfo) -> CaseService:
    return CaseService(db, workstation)


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_case_with_two_suspects_derives_gender_and_birth_date(
    db: Database, workstation: WorkstationInfo, roster: Roster
) -> None:
    case = register_case(db, workstation, roster)

    assert case.case_no == "A6201022026110001" and case.kind is CaseKind.CRIMINAL
    assert case.cause == "寻衅滋事" and case.unit is not None and case.unit.id == roster.unit_id
    assert case.lead_officer is not None and case.lead_officer.name == "王主办"
    assert [o.name for o in case.assisting] == ["李协办"]
    assert case.handler_ids == {roster.lead, roster.assisting}
    assert case.accepted_at == datetime(2026, 11, 2, 9, 30)
    assert case.registered_at == datetime(2026, 11, 3, 16, 0)
    ma, liu = case.persons
    assert (ma.name, ma.id_number, ma.gender, ma.birth_date) == (
        "马某某", ID_MALE, Gender.MALE, date(1985, 3, 12)
    )
    assert (liu.name, liu.id_number, liu.gender, liu.birth_date) == (
        "刘某某", ID_FEMALE, Gender.FEMALE, date(1992, 7, 8)
    )
    assert [m.kind for m in ma.measures] == [MeasureKind.CRIMINAL_DETENTION]
    assert liu.measures[0].started_at == datetime(2026, 11, 4, 10, 0)
    assert liu.measures[0].note == "保证金"
    # Written under the operator's name in the audit trail.
    with db.read() as session:
        stmt = select(AuditEntry.actor_name).where(AuditEntry.entity == "case")
        actors = set(session.scalars(stmt))
    assert actors == {workstation.operator_name}


def test_lowercase_x_and_spaces_in_an_id_are_normalised(
    cases: CaseService, roster: Roster
) -> None:
    detail = cases.create_case(
        case_input(roster),
        [PersonInput(PersonRole.PARTY, "甲", " 110105 19491231 002x ")],
    )
    assert detail.persons[0].id_number == "11010519491231002X"
    assert detail.persons[0].gender is Gender.FEMALE


def test_invalid_id_number_names_the_person_and_saves_nothing(
    db: Database, cases: CaseService, roster: Roster
) -> None:
    persons = two_suspects()
    persons[1] = replace(persons[1], id_number=ID_FEMALE[:-1] + "5")  # wrong check character

    with pytest.raises(ValidationError) as error:
        cases.create_case(case_input(roster), persons)

    assert "身份证号码（刘某某）" in error.value.message.zh
    assert "校验位错误，应为 3" in error.value.message.zh
    assert "Resident ID number (刘某某)" in error.value.message.en
    # Neither the case nor the first (valid) suspect was written.
    assert _count(db, Case) == 0 and _count(db, CasePerson) == 0
    assert _count(db, CoerciveMeasure) == 0


def test_a_person_without_an_id_is_accepted_with_nothing_derived(
    cases: CaseService, roster: Roster
) -> None:
    case = cases.create_case(case_input(roster))
    person = cases.add_person(case.id, PersonInput(PersonRole.VICTIM, "John Smith"))
    assert person.id_number is None and person.gender is None and person.birth_date is None


def test_case_number_must_be_unique(cases: CaseService, roster: Roster) -> None:
    cases.create_case(case_input(roster))
    with pytest.raises(ValidationError) as error:
        cases.create_case(case_input(roster, name="另一个案件"))
    assert error.value.field.zh == "案件编号" and "已被另一案件使用" in error.value.message.zh


@pytest.mark.parametrize(
    ("changes", "field_zh"),
    [
        ({"case_no": "  "}, "案件编号"),
        ({"cause": ""}, "案由"),
        ({"assisting_officer_ids": ("LEAD",)}, "协办民警"),
        ({"registered_at": datetime(2026, 11, 1, 8, 0)}, "立案时间"),
        ({"lead_officer_id": "no-such-officer"}, "主办民警"),
    ],
)
def test_bad_case_input_names_the_field(
    db: Database, cases: CaseService, roster: Roster, changes: dict[str, object], field_zh: str
) -> None:
    if changes.get("assisting_officer_ids") == ("LEAD",):
        changes = {"assisting_officer_ids": (roster.lead,)}
    with pytest.raises(ValidationError) as error:
        cases.create_case(case_input(roster, **changes))
    assert error.value.field.zh == field_zh
    assert _count(db, Case) == 0


def test_measure_ending_before_it_starts_is_refused(cases: CaseService, roster: Roster) -> None:
    case = cases.create_case(case_input(roster), two_suspects())
    with pytest.raises(ValidationError) as error:
        cases.add_measure(
            case.persons[0].id,
            MeasureInput(MeasureKind.BAIL, datetime(2026, 11, 5), ended_at=datetime(2026, 11, 4)),
        )
    assert error.value.field.zh == "强制措施结束时间"
    assert len(cases.detail(case.id).persons[0].measures) == 1


def test_a_measure_ends_but_not_before_it_started(cases: CaseService, roster: Roster) -> None:
    case = cases.create_case(case_input(roster), two_suspects())
    measure = case.persons[0].measures[0]  # 刑事拘留 from 2026-11-03 18:00
    with pytest.raises(ValidationError) as error:
        cases.end_measure(measure.id, datetime(2026, 11, 3, 17, 0))
    assert error.value.field.zh == "强制措施结束时间"
    ended = cases.end_measure(measure.id, datetime(2026, 11, 6, 9, 0))
    assert ended.ended_at == datetime(2026, 11, 6, 9, 0)
    assert cases.detail(case.id).persons[0].measures[0].ended_at == datetime(2026, 11, 6, 9, 0)


def test_update_case_replaces_assisting_officers_and_detects_conflicts(
    cases: CaseService, roster: Roster
) -> None:
    case = cases.create_case(case_input(roster), two_suspects())
    updated = cases.update_case(
        case.id,
        case.version,
        case_input(roster, cause="故意伤害", assisting_officer_ids=(roster.other_officer,)),
    )
    assert updated.cause == "故意伤害"
    assert [o.id for o in updated.assisting] == [roster.other_officer]
    assert updated.version > case.version

    # A second window still holding the first version must not overwrite.
    with pytest.raises(ConflictError):
        cases.update_case(case.id, case.version, case_input(roster, cause="盗窃"))
    assert cases.detail(case.id).cause == "故意伤害"

    # Restoring a removed assisting officer reuses its link row.
    again = cases.update_case(case.id, updated.version, case_input(roster))
    assert [o.id for o in again.assisting] == [roster.assisting]


def test_remove_person_is_soft_and_drops_its_measures(
    db: Database, cases: CaseService, roster: Roster
) -> None:
    case = cases.create_case(case_input(roster), two_suspects())
    cases.remove_person(case.persons[0].id)
    assert [p.name for p in cases.detail(case.id).persons] == ["刘某某"]
    assert _count(db, CasePerson) == 2  # still stored, marked deleted
    assert cases.case_ids(CaseQuery(measure_kind=MeasureKind.CRIMINAL_DETENTION)) == []


# --- the list -------------------------------------------------------------------------


def _three_cases(cases: CaseService, roster: Roster) -> tuple[str, str, str]:
    a = cases.create_case(
        case_input(roster, "C-001", accepted_at=datetime(2026, 1, 5), registered_at=None),
        two_suspects(),
    )
    b = cases.create_case(
        case_input(
            roster, "C-002", kind=CaseKind.ADMINISTRATIVE, cause="殴打他人",
            unit_id=roster.other_unit_id, lead_officer_id=roster.other_officer,
            assisting_officer_ids=(), accepted_at=datetime(2026, 3, 1), registered_at=None,
        ),
        [PersonInput(PersonRole.PARTY, "丙", measures=(
            MeasureInput(MeasureKind.ADMINISTRATIVE_DETENTION, datetime(2026, 3, 2)),))],
    )
    c = cases.create_case(
        case_input(
            roster, "C-003", name="某盗窃案", cause="盗窃", lead_officer_id=roster.assisting,
            assisting_officer_ids=(), accepted_at=datetime(2026, 2, 1), registered_at=None,
        )
    )
    return a.id, b.id, c.id


def test_list_filters_and_sorts_in_sql(cases: CaseService, roster: Roster) -> None:
    a, b, c = _three_cases(cases, roster)

    assert cases.case_ids(CaseQuery()) == [b, c, a]  # newest accepted first
    assert cases.case_ids(CaseQuery(descending=False)) == [a, c, b]
    assert cases.case_ids(CaseQuery(sort=CaseSort.CASE_NO, descending=False)) == [a, b, c]
    assert cases.case_ids(CaseQuery(kind=CaseKind.ADMINISTRATIVE)) == [b]
    assert cases.case_ids(CaseQuery(unit_id=roster.unit_id)) == [c, a]
    # An officer's cases: as lead (c) or as assisting officer (a).
    assert cases.case_ids(CaseQuery(officer_id=roster.assisting)) == [c, a]
    assert cases.case_ids(CaseQuery(officer_id=roster.leader)) == []
    assert cases.case_ids(CaseQuery(measure_kind=MeasureKind.BAIL)) == [a]
    assert cases.case_ids(CaseQuery(measure_kind=MeasureKind.ADMINISTRATIVE_DETENTION)) == [b]
    assert cases.case_ids(CaseQuery(text="盗窃")) == [c]
    # Code-point order of the unit names: 刑 (U+5211) before 城 (U+57CE).
    assert cases.case_ids(CaseQuery(sort=CaseSort.UNIT, descending=False))[0] == b
    by_lead = cases.case_ids(CaseQuery(sort=CaseSort.LEAD_OFFICER, descending=False))
    assert set(by_lead) == {a, b, c}


def test_rows_come_back_in_the_order_asked_and_skip_unknown_ids(
    cases: CaseService, roster: Roster
) -> None:
    a, _, c = _three_cases(cases, roster)
    rows = cases.rows([c, "missing", a])
    assert [r.id for r in rows] == [c, a]
    assert rows[1].case_no == "C-001" and rows[1].persons == 2
    assert rows[1].unit_name == "城关派出所" and rows[1].lead_officer_name == "王主办"
    assert rows[1].audit_status is None and rows[1].audit_label.zh == "无审核表"
    assert cases.rows([]) == []


def test_audit_state_filter_in_sql_agrees_with_the_derived_state(
    db: Database, workstation: WorkstationInfo, cases: CaseService, roster: Roster
) -> None:
    audits = AuditService(db, workstation)
    expected: dict[str, str] = {}

    def new_case(number: int) -> str:
        return cases.create_case(case_input(roster, f"S-{number:03d}")).id

    expected[new_case(0)] = "none"
    draft = audits.create_form(new_case(1))
    expected[draft.case_id] = "draft"

    def submitted(number: int, levels: int, last: Decision | None = None) -> None:
        form = audits.create_form(new_case(number), complete_content())
        audits.submit(form.id, form.version)
        for level in range(1, levels + 1):
            audits.record_step(form.id, step(roster, level))
        if last is not None:
            audits.record_step(form.id, step(roster, levels + 1, last))
        expected[form.case_id] = audit_state_code(audits.get(form.id).status)

    submitted(2, 0)
    submitted(3, 2)
    submitted(4, 1, Decision.RETURN)
    submitted(5, 5)
    submitted(6, 3, Decision.REJECT)
    # Second round: the return at level 2 is followed by level 1 again.
    second = audits.create_form(new_case(8), complete_content())
    audits.submit(second.id, second.version)
    for level_step in (step(roster, 1), step(roster, 2, Decision.RETURN), step(roster, 1)):
        audits.record_step(second.id, level_step)
    expected[second.case_id] = audit_state_code(audits.get(second.id).status)
    assert expected[second.case_id] == "in_review:2"
    # A newer form supersedes an older one of the same case.
    older = audits.create_form(new_case(7), complete_content())
    audits.submit(older.id, older.version)
    audits.create_form(older.case_id)
    expected[older.case_id] = "draft"

    assert sorted(set(expected.values())) == sorted(
        ["none", "draft", "in_review:1", "in_review:2", "in_review:3", "returned", "approved",
         "rejected"]
    )
    for state in AuditState:
        found = set(cases.case_ids(CaseQuery(audit_state=state)))
        wanted = {cid for cid, code in expected.items() if code.split(":")[0] == state.value}
        assert found == wanted, state
        # ...and the rows the table shows agree with the filter.
        for row in cases.rows(list(found)):
            code = audit_state_code(row.audit_status)
            assert code.split(":")[0] == state.value
    assert set(cases.case_ids(CaseQuery(audit_state=AuditState.IN_REVIEW, audit_level=3))) == {
        cid for cid, code in expected.items() if code == "in_review:3"
    }


def test_case_detail_carries_the_audit_history(
    db: Database, workstation: WorkstationInfo, roster: Roster
) -> None:
    case = register_case(db, workstation, roster)
    audits = AuditService(db, workstation)
    form = audits.create_form(case.id, complete_content())
    audits.submit(form.id, form.version)
    audits.record_step(form.id, step(roster, 1))
    audits.record_step(form.id, step(roster, 2, Decision.RETURN, "请补充证据"))

    detail = CaseService(db, workstation).detail(case.id)
    (history,) = detail.audits
    assert history.form_no == form.form_no
    assert [(s.round, s.level, s.decision) for s in history.steps] == [
        (1, 1, Decision.APPROVE), (1, 2, Decision.RETURN)
    ]
    assert history.steps[1].opinion == "请补充证据"
    assert history.steps[1].reviewer_name == "陈所长"
    assert history.status == FormStatus(AuditState.RETURNED, 2, 1)
