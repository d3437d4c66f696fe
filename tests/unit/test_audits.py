"""The audit form and its five-level review chain: drafts, submission, signed steps."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from audit_helpers import (
    Roster,
    case_input,
    complete_content,
    make_roster,
    register_case,
    step,
    walk_with_one_return,
)
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DatabaseError

from lawsup_desktop.domain.audit_form import (
    REVIEW_POINTS,
    AuditState,
    FormStatus,
    PointCheck,
    form_status,
)
from lawsup_desktop.domain.errors import (
    ConflictError,
    RuleViolation,
    ValidationError,
)
from lawsup_desktop.domain.vocabulary import Decision, RectificationSource
from lawsup_desktop.services.audits import (
    AuditFormInput,
    AuditService,
    RectificationDraft,
    SubmissionIncomplete,
    submission_problems,
)
from lawsup_desktop.services.cases import CaseDetail, CaseService
from lawsup_desktop.services.progress import Cancelled, TaskContext
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.audit import SYSTEM
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import CaseAudit, Rectification, ReviewStep


@pytest.fixture
def roster(db: Database, workstation: WorkstationInfo) -> Roster:
    return make_roster(db, workstation)


@pytest.fixture
def audits(db: Database, workstation: WorkstationInfo) -> AuditService:
    return AuditService(db, workstation)


@pytest.fixture
def case(db: Database, workstation: WorkstationInfo, roster: Roster) -> CaseDetail:
    return register_case(db, workstation, roster)


def _steps(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(ReviewStep)) or 0)


def _submitted(audits: AuditService, case: CaseDetail, **changes: object) -> str:
    form = audits.create_form(case.id, complete_content(**changes))
    audits.submit(form.id, form.version)
    return form.id


# --- the pure derivation ------------------------------------------------------------------


@dataclass(frozen=True)
class S:
    round: int
    level: int
    decision: Decision


A, R, X = Decision.APPROVE, Decision.RETURN, Decision.REJECT


@pytest.mark.parametrize(
    ("submitted", "steps", "expected", "label"),
    [
        (False, [], FormStatus(AuditState.DRAFT, 1, None), "草稿"),
        (True, [], FormStatus(AuditState.IN_REVIEW, 1, 1), "审核中·第1级"),
        (True, [S(1, 1, A), S(1, 2, A)], FormStatus(AuditState.IN_REVIEW, 1, 3), "审核中·第3级"),
        (True, [S(1, 1, A), S(1, 2, R)], FormStatus(AuditState.RETURNED, 2, 1), "退回补正"),
        (True, [S(1, 1, A), S(1, 2, R), S(2, 1, A)], FormStatus(AuditState.IN_REVIEW, 2, 2),
         "审核中·第2级"),
        (True, [S(1, lv, A) for lv in range(1, 6)], FormStatus(AuditState.APPROVED, 1, None),
         "已通过"),
        (True, [S(1, 1, A), S(1, 2, A), S(1, 3, X)], FormStatus(AuditState.REJECTED, 1, None),
         "不同意"),
    ],
)
def test_form_state_is_derived_from_the_chain(
    submitted: bool, steps: list[S], expected: FormStatus, label: str
) -> None:
    status = form_status(submitted, reversed(steps))  # order of the input does not matter
    assert status == expected
    assert status.label.zh == label


# --- drafts and submission -----------------------------------------------------------------


def test_new_forms_get_consecutive_numbers(audits: AuditService, case: CaseDetail) -> None:
    first, second = audits.create_form(case.id), audits.create_form(case.id)
    year = date.today().year
    assert (first.form_no, second.form_no) == (f"AJSH-{year}-00001", f"AJSH-{year}-00002")


def test_a_draft_can_be_saved_incomplete_and_lists_exactly_what_is_missing(
    audits: AuditService, case: CaseDetail
) -> None:
    form = audits.create_form(case.id)
    points = {"authority": PointCheck(True, "主体适格"), "facts": PointCheck(False, "待查")}
    saved = audits.save_draft(form.id, form.version, AuditFormInput(facts="案情", points=points))

    assert saved.status.state is AuditState.DRAFT
    assert saved.points["authority"] == PointCheck(True, "主体适格")
    assert saved.points["facts"] == PointCheck(False, "待查")
    assert saved.points["transfer"] == PointCheck()  # unknown yet: unchecked
    problems = [p.zh for p in submission_problems(saved)]
    assert problems == [
        "拟处理意见未填写",
        "审核要点“事实是否清楚”未勾选",
        "审核要点“证据是否确实充分”未勾选",
        "审核要点“适用法律是否准确”未勾选",
        "审核要点“裁量是否适当”未勾选",
        "审核要点“程序是否合法、权利是否保障”未勾选",
    ]
    # The optional case-file checks are not required.
    assert not any("文书" in p or "移送" in p for p in problems)
    assert submission_problems(complete_content()) == []


def test_submit_with_required_points_unchecked_is_refused_and_nothing_changes(
    audits: AuditService, case: CaseDetail
) -> None:
    points = {p.code: PointCheck(p.code != "evidence") for p in REVIEW_POINTS}
    form = audits.create_form(case.id, complete_content(points=points))

    with pytest.raises(SubmissionIncomplete) as error:
        audits.submit(form.id, form.version)

    assert "审核要点“证据是否确实充分”未勾选" in error.value.message.zh
    assert 'point "Evidence reliable and sufficient" is not checked' in error.value.message.en
    assert len(error.value.problems) == 1
    after = audits.get(form.id)
    assert after.submitted_at is None and after.version == form.version


def test_stale_draft_save_is_a_conflict(audits: AuditService, case: CaseDetail) -> None:
    form = audits.create_form(case.id)
    audits.save_draft(form.id, form.version, AuditFormInput(facts="第一个窗口"))
    with pytest.raises(ConflictError):
        audits.save_draft(form.id, form.version, AuditFormInput(facts="第二个窗口"))
    assert audits.get(form.id).facts == "第一个窗口"


def test_a_form_in_review_cannot_be_edited_but_a_returned_one_can(
    audits: AuditService, case: CaseDetail, roster: Roster
) -> None:
    audit_id = _submitted(audits, case)
    form = audits.get(audit_id)
    with pytest.raises(RuleViolation) as error:
        audits.save_draft(audit_id, form.version, complete_content(facts="改过的案情"))
    assert "审核中·第1级" in error.value.message.zh
    assert audits.get(audit_id).facts == form.facts

    audits.record_step(audit_id, step(roster, 1))
    returned = audits.record_step(audit_id, step(roster, 2, Decision.RETURN))
    corrected = audits.save_draft(audit_id, returned.version, complete_content(facts="补正后"))
    assert corrected.facts == "补正后" and corrected.status.state is AuditState.RETURNED


# --- the chain --------------------------------------------------------------------------------


def test_five_levels_with_one_return_keep_every_round(
    audits: AuditService, case: CaseDetail, roster: Roster, workstation: WorkstationInfo
) -> None:
    form = audits.create_form(case.id, complete_content())
    labels = [form.status.label.zh]
    audits.submit(form.id, form.version)
    labels.append(audits.get(form.id).status.label.zh)
    for level in (1, 2):
        labels.append(audits.record_step(form.id, step(roster, level)).status.label.zh)
    labels.append(audits.record_step(form.id, step(roster, 3, R, "退回：缺监控")).status.label.zh)
    for level in range(1, 6):
        labels.append(audits.record_step(form.id, step(roster, level)).status.label.zh)

    assert labels == [
        "草稿", "审核中·第1级", "审核中·第2级", "审核中·第3级", "退回补正",
        "审核中·第2级", "审核中·第3级", "审核中·第4级", "审核中·第5级", "已通过",
    ]
    final = audits.get(form.id)
    assert [(s.round, s.level, s.decision) for s in final.steps] == [
        (1, 1, A), (1, 2, A), (1, 3, R), (2, 1, A), (2, 2, A), (2, 3, A), (2, 4, A), (2, 5, A)
    ]
    assert final.steps[2].opinion == "退回：缺监控"
    assert final.rounds == 2
    # Transcribed opinions record both the reviewer and who entered them.
    leader_step = final.steps[1]
    assert leader_step.reviewer_id == roster.leader and leader_step.reviewer_name == "陈所长"
    assert leader_step.entered_by_id == workstation.operator_id
    assert leader_step.reviewed_at == datetime(2026, 11, 5, 10, 15)


def test_an_opinion_at_the_wrong_level_is_refused(
    db: Database, audits: AuditService, case: CaseDetail, roster: Roster
) -> None:
    audit_id = _submitted(audits, case)
    audits.record_step(audit_id, step(roster, 1))

    with pytest.raises(RuleViolation) as error:
        audits.record_step(audit_id, step(roster, 3))

    assert "现在应由第2级（所队分管领导）签署意见，不能签署第3级（法制监督员）" in (
        error.value.message.zh
    )
    assert "level 2 (Station/team leader) signs next" in error.value.message.en
    assert _steps(db) == 1


def test_a_second_decision_at_a_signed_level_is_refused(
    db: Database, audits: AuditService, case: CaseDetail, roster: Roster
) -> None:
    audit_id = _submitted(audits, case)
    audits.record_step(audit_id, step(roster, 1))
    audits.record_step(audit_id, step(roster, 2))

    with pytest.raises(RuleViolation) as error:
        audits.record_step(audit_id, step(roster, 2, Decision.REJECT, "改主意了"))

    assert "第1轮第2级（所队分管领导）已签署意见，签署后不可更改" in error.value.message.zh
    assert "already signed" in error.value.message.en
    assert _steps(db) == 2
    assert audits.get(audit_id).steps[1].decision is Decision.APPROVE


def test_a_reviewer_who_handles_the_case_may_not_review_it(
    db: Database, workstation: WorkstationInfo, audits: AuditService, roster: Roster
) -> None:
    # A supervisor who is also an assisting officer of the case.
    case = CaseService(db, workstation).create_case(
        case_input(roster, assisting_officer_ids=(roster.assisting, roster.second_supervisor))
    )
    audit_id = _submitted(audits, case)
    audits.record_step(audit_id, step(roster, 1))
    audits.record_step(audit_id, step(roster, 2))

    with pytest.raises(RuleViolation) as error:
        audits.record_step(audit_id, replace(step(roster, 3), reviewer_id=roster.second_supervisor))

    assert error.value.message.zh == "郑监督是本案的办案民警（主办或协办），不能审核本案"
    assert "handles this case" in error.value.message.en
    assert _steps(db) == 2
    # Another supervisor may.
    audits.record_step(audit_id, step(roster, 3))
    assert _steps(db) == 3


def test_the_reviewer_role_must_match_the_level(
    db: Database, audits: AuditService, case: CaseDetail, roster: Roster
) -> None:
    audit_id = _submitted(audits, case)
    audits.record_step(audit_id, step(roster, 1))
    with pytest.raises(RuleViolation) as error:
        audits.record_step(audit_id, replace(step(roster, 2), reviewer_id=roster.legal_officer))
    assert error.value.message.zh == "第2级应由所队分管领导签署，周法制的角色是法制民警"
    assert _steps(db) == 1


def test_level_one_is_signed_by_an_officer_of_the_case_and_only_approves(
    db: Database, audits: AuditService, case: CaseDetail, roster: Roster
) -> None:
    audit_id = _submitted(audits, case)
    with pytest.raises(RuleViolation) as error:
        audits.record_step(audit_id, replace(step(roster, 1), reviewer_id=roster.other_officer))
    assert "赵民警不是本案主办或协办民警" in error.value.message.zh
    with pytest.raises(RuleViolation) as error:
        audits.record_step(audit_id, step(roster, 1, Decision.RETURN))
    assert "只能选择“同意”" in error.value.message.zh
    # The assisting officer may present the case too.
    audits.record_step(audit_id, replace(step(roster, 1), reviewer_id=roster.assisting))
    assert _steps(db) == 1


def test_reject_ends_the_chain(
    db: Database, audits: AuditService, case: CaseDetail, roster: Roster
) -> None:
    audit_id = _submitted(audits, case)
    for level in (1, 2, 3):
        audits.record_step(audit_id, step(roster, level))
    assert audits.record_step(audit_id, step(roster, 4, X, "定性错误")).status.state is (
        AuditState.REJECTED
    )
    for level in (1, 5):
        with pytest.raises(RuleViolation) as error:
            audits.record_step(audit_id, step(roster, level))
        assert "审核已结束（不同意）" in error.value.message.zh
    assert _steps(db) == 4


def test_no_step_on_a_draft_and_bad_step_input_names_the_field(
    db: Database, audits: AuditService, case: CaseDetail, roster: Roster
) -> None:
    draft = audits.create_form(case.id, complete_content())
    with pytest.raises(RuleViolation) as error:
        audits.record_step(draft.id, step(roster, 1))
    assert "尚未提交" in error.value.message.zh
    audits.submit(draft.id, draft.version)
    with pytest.raises(ValidationError) as verror:
        audits.record_step(draft.id, replace(step(roster, 1), opinion="   "))
    assert verror.value.field.zh == "审核意见"
    with pytest.raises(ValidationError) as verror:
        audits.record_step(draft.id, replace(step(roster, 1), reviewer_id="nobody"))
    assert verror.value.field.zh == "审核人"
    tomorrow = datetime.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as verror:
        audits.record_step(draft.id, replace(step(roster, 1), reviewed_at=tomorrow))
    assert verror.value.field.zh == "审核时间"
    assert _steps(db) == 0


def test_resubmission_after_a_return_checks_the_form_again(
    db: Database, audits: AuditService, case: CaseDetail, roster: Roster
) -> None:
    audit_id = _submitted(audits, case)
    audits.record_step(audit_id, step(roster, 1))
    returned = audits.record_step(audit_id, step(roster, 2, R))
    audits.save_draft(audit_id, returned.version, complete_content(proposed_handling=""))

    with pytest.raises(SubmissionIncomplete) as error:
        audits.record_step(audit_id, step(roster, 1))
    assert "拟处理意见未填写" in error.value.message.zh
    assert _steps(db) == 2
    with pytest.raises(RuleViolation):
        audits.submit(audit_id, audits.get(audit_id).version)  # resubmitting is signing level 1


def test_a_signed_step_cannot_be_updated_even_bypassing_the_services(
    db: Database, audits: AuditService, case: CaseDetail, roster: Roster
) -> None:
    audit_id = _submitted(audits, case)
    audits.record_step(audit_id, step(roster, 1, opinion="原始意见"))

    # Through the ORM, in a write session of our own...
    refused = "a signed review step never changes"
    with pytest.raises(DatabaseError, match=refused), db.write(SYSTEM) as session:
        row = session.scalars(select(ReviewStep)).one()
        row.opinion = "篡改后的意见"
    # ...through a Core UPDATE...
    with pytest.raises(DatabaseError), db.write(SYSTEM) as session:
        session.execute(update(ReviewStep).values(decision=Decision.REJECT.value))
    # ...and through raw SQL, including DELETE.
    with pytest.raises(DatabaseError), db.writer.begin() as connection:
        connection.execute(text("DELETE FROM review_step"))

    (kept,) = audits.get(audit_id).steps
    assert kept.opinion == "原始意见" and kept.decision is Decision.APPROVE


def test_concurrent_signing_of_the_same_level_is_a_conflict(
    db: Database, audits: AuditService, case: CaseDetail, roster: Roster
) -> None:
    audit_id = _submitted(audits, case)
    # Another workstation's step arrived (e.g. by sync) between our check and insert.
    with db.write(SYSTEM) as session:
        session.add(
            ReviewStep(
                audit_id=audit_id, round=1, level=1, decision=Decision.APPROVE, opinion="同步来的",
                reviewer_id=roster.lead, entered_by_id=roster.lead,
                reviewed_at=datetime(2026, 11, 5, 9, 0),
            )
        )
    with pytest.raises(RuleViolation):  # the chain sees the signed level first
        audits.record_step(audit_id, step(roster, 1))
    assert _steps(db) == 1


def test_problems_found_raise_linked_rectification_items(
    db: Database, audits: AuditService, case: CaseDetail, roster: Roster
) -> None:
    audit_id = _submitted(audits, case)
    numbers = audits.raise_rectifications(
        audit_id,
        [
            RectificationDraft("询问笔录缺少询问人签名", date(2026, 12, 5),
                               responsible_unit_id=roster.unit_id,
                               responsible_officer_id=roster.lead),
            RectificationDraft("未告知诉讼权利", date(2026, 12, 10)),
        ],
    )
    year = date.today().year
    assert numbers == [f"ZG-{year}-00001", f"ZG-{year}-00002"]
    with db.read() as session:
        items = session.scalars(select(Rectification).order_by(Rectification.number)).all()
        form_no = session.get(CaseAudit, audit_id).form_no  # type: ignore[union-attr]
    assert [i.source for i in items] == [RectificationSource.CASE_AUDIT] * 2
    assert {i.audit_id for i in items} == {audit_id}
    assert items[0].responsible_officer_id == roster.lead
    assert items[0].source_note == f"审核表 {form_no}"

    # All or nothing: a bad second item leaves no first item behind.
    with pytest.raises(ValidationError):
        audits.raise_rectifications(
            audit_id,
            [
                RectificationDraft("甲", date(2026, 12, 5)),
                RectificationDraft("  ", date(2026, 12, 5)),
            ],
        )
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Rectification)) == 2


# --- choosing and exporting forms ----------------------------------------------------------------


def test_form_ids_filter_by_state_and_date(
    db: Database, workstation: WorkstationInfo, audits: AuditService, roster: Roster
) -> None:
    cases = CaseService(db, workstation)
    approved_case = cases.create_case(case_input(roster, "E-1"))
    approved = audits.create_form(approved_case.id, complete_content())
    walk_with_one_return(audits, approved.id, roster)
    draft = audits.create_form(cases.create_case(case_input(roster, "E-2")).id)

    assert set(audits.form_ids()) == {approved.id, draft.id}
    assert audits.form_ids(AuditState.APPROVED) == [approved.id]
    assert audits.form_ids(AuditState.DRAFT) == [draft.id]
    assert audits.form_ids(AuditState.REJECTED) == []
    assert audits.form_ids(since=date.today() + timedelta(days=1)) == []
    assert len(audits.form_ids(since=date.today())) == 2


def test_export_reports_progress_and_can_be_cancelled(
    db: Database, workstation: WorkstationInfo, audits: AuditService, roster: Roster,
    tmp_path: Path,
) -> None:
    cases = CaseService(db, workstation)
    case_ids = [cases.create_case(case_input(roster, f"P-{i}")).id for i in range(3)]
    ids = [audits.create_form(case_id, complete_content()).id for case_id in case_ids]
    seen: list[tuple[int, int | None]] = []
    ctx = TaskContext(lambda p: seen.append((p.done, p.total)))
    report = audits.export_pdfs(ids, tmp_path / "out", ctx)
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert sorted(p.name for p in report.written) == sorted(
        f"{audits.get(i).form_no}_P-{n}.pdf" for n, i in enumerate(ids)
    )
    assert all(p.read_bytes().startswith(b"%PDF") for p in report.written)

    cancelling = TaskContext(lambda p: cancelling.cancel() if p.done == 1 else None)
    with pytest.raises(Cancelled):
        audits.export_pdfs(ids, tmp_path / "cancelled", cancelling)
    assert len(list((tmp_path / "cancelled").iterdir())) == 1


def test_export_lists_forms_that_cannot_be_printed_and_goes_on(
    db: Database, workstation: WorkstationInfo, audits: AuditService, roster: Roster,
    tmp_path: Path,
) -> None:
    cases = CaseService(db, workstation)
    good = audits.create_form(cases.create_case(case_input(roster, "G-1")).id, complete_content())
    bad = audits.create_form(
        cases.create_case(case_input(roster, "G-2")).id, complete_content(facts="嫌疑人刘䶮到案")
    )
    report = audits.export_pdfs([bad.id, good.id], tmp_path)
    assert [p.name for p in report.written] == [f"{good.form_no}_G-1.pdf"]
    ((form_no, reason),) = report.failed
    assert form_no == bad.form_no
    assert "简要案情" in reason.zh and "䶮" in reason.zh and "U+4DAE" in reason.en
