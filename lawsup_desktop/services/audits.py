"""The case audit form (案件审核调查登记表) and its five-level review chain.

One unit of work per user action: save a draft, submit, record a signed review
step, raise rectification items from the problems found, export PDFs. Every
rule of the chain is checked before anything is written, so a refused action
leaves nothing behind. Signed steps are never updated: the store refuses it
with a trigger, whatever the caller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from lawsup_desktop.domain.audit_form import (
    FIELD_FACTS,
    FIELD_PROPOSED_HANDLING,
    REVIEW_POINT_CODES,
    AuditState,
    AuditView,
    PointCheck,
    check_decision_at_level,
    check_step_position,
    form_status,
    level_role,
    normalize_points,
    points_to_json,
)
from lawsup_desktop.domain.audit_form import (
    submission_problems as _domain_submission_problems,
)
from lawsup_desktop.domain.errors import (
    ConflictError,
    LawsupError,
    NotFoundError,
    RuleViolation,
    Text,
    ValidationError,
)
from lawsup_desktop.domain.validation import require_text
from lawsup_desktop.domain.vocabulary import Decision, RectificationSource, RiskLevel
from lawsup_desktop.services.cases import (
    CaseDetail,
    conflict,
    form_state_condition,
    load_audit_views,
    load_case_detail,
)
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.services.rectifications import create_rectification
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.base import utc_now
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Case, CaseAudit, Officer, ReviewStep

FORM_NO_PREFIX = "AJSH"  # 案件审核
FIELD_OPINION = Text("审核意见", "Opinion")
FIELD_REVIEWER = Text("审核人", "Reviewer")
FIELD_REVIEWED_AT = Text("审核时间", "Review time")
FIELD_PROBLEMS = Text("发现问题", "Problems found")
FIELD_POINT_NOTE = Text("审核要点说明", "Review point note")
MAX_LONG_TEXT = 20_000
MAX_OPINION = 10_000


@dataclass(frozen=True)
class AuditFormInput:
    """The editable content of a form, as the editor holds it."""

    facts: str = ""
    proposed_handling: str = ""
    points: Mapping[str, PointCheck] = field(default_factory=dict)
    problems_found: str = ""
    is_major: bool = False


@dataclass(frozen=True)
class StepInput:
    """A decision to record at ``level``. ``reviewed_at`` is the time on the signed
    paper (local wall-clock time); the operator is recorded as who entered it."""

    level: int
    decision: Decision
    opinion: str
    reviewer_id: str
    reviewed_at: datetime


@dataclass(frozen=True)
class RectificationDraft:
    """A problem found on the form, to be tracked in the rectification ledger."""

    description: str
    due_date: date
    problem_type_id: str | None = None
    responsible_unit_id: str | None = None
    responsible_officer_id: str | None = None
    risk_level: RiskLevel = RiskLevel.MEDIUM
    measures: str = ""


@dataclass(frozen=True)
class AuditPrintData:
    """Everything the printed form shows."""

    station_name: str
    case: CaseDetail
    audit: AuditView


class SubmissionIncomplete(RuleViolation):
    """The form lacks what submission requires; ``problems`` lists each missing item."""

    def __init__(self, problems: Sequence[Text]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            Text(
                "审核表不完整，不能提交：\n" + "\n".join(f"· {p.zh}" for p in problems),
                "The form is incomplete and cannot be submitted:\n"
                + "\n".join(f"· {p.en}" for p in problems),
            )
        )


def submission_problems(form: AuditFormInput | AuditView) -> list[Text]:
    """Exactly what is missing before ``form`` can be submitted (empty: complete)."""
    return _domain_submission_problems(form.facts, form.proposed_handling, form.points)


def audit_not_found(reference: str) -> NotFoundError:
    return NotFoundError(
        Text(f"审核表“{reference}”不存在或已删除。", f"No audit form {reference!r} (or deleted).")
    )


class AuditService:
    def __init__(self, db: Database, workstation: WorkstationInfo) -> None:
        self._db = db
        self._workstation = workstation

    # -- the form -------------------------------------------------------------

    def create_form(self, case_id: str, content: AuditFormInput | None = None) -> AuditView:
        """Start a new (draft) form for a case, with a newly allocated form number."""
        values = _checked_content(content or AuditFormInput())
        with self._db.write(self._workstation.actor) as session:
            case = session.get(Case, case_id)
            if case is None or case.deleted_at is not None:
                raise NotFoundError(Text("案件不存在或已删除。", "No such case (or deleted)."))
            row = CaseAudit(
                case_id=case_id, form_no=allocate_form_no(session, date.today().year), **values
            )
            session.add(row)
            session.flush()
            return _view(session, row.id)

    def get(self, audit_id: str) -> AuditView:
        with self._db.read() as session:
            return _view(session, audit_id)

    def save_draft(
        self, audit_id: str, expected_version: int, content: AuditFormInput
    ) -> AuditView:
        """Save the content as it is, complete or not. Only a draft or a returned form
        can change: what the reviewers signed stays as they saw it."""
        values = _checked_content(content)
        try:
            with self._db.write(self._workstation.actor) as session:
                row = _audit_row(session, audit_id)
                if row.version != expected_version:
                    raise conflict()
                status = form_status(row.submitted_at is not None, row.steps)
                if not status.editable:
                    raise RuleViolation(
                        Text(
                            f"审核表状态为“{status.label.zh}”，不能修改；只有草稿或退回补正的审核表可以修改",
                            f"The form is {status.label.en}; only a draft or a returned form "
                            "can be changed",
                        )
                    )
                for key, value in values.items():
                    setattr(row, key, value)
                session.flush()
                return _view(session, audit_id)
        except StaleDataError as exc:
            raise conflict() from exc

    def submit(self, audit_id: str, expected_version: int) -> AuditView:
        """Submit a draft into the review chain (round 1, level 1 is next)."""
        try:
            with self._db.write(self._workstation.actor) as session:
                row = _audit_row(session, audit_id)
                if row.version != expected_version:
                    raise conflict()
                status = form_status(row.submitted_at is not None, row.steps)
                if status.state is AuditState.RETURNED:
                    raise RuleViolation(
                        Text(
                            "退回补正的审核表由办案民警在第1级重新签署意见即重新提交",
                            "A returned form is resubmitted by the case officer signing level 1",
                        )
                    )
                if status.state is not AuditState.DRAFT:
                    raise RuleViolation(
                        Text(
                            f"审核表已提交（{status.label.zh}）",
                            f"The form is already submitted ({status.label.en})",
                        )
                    )
                problems = _row_problems(row)
                if problems:
                    raise SubmissionIncomplete(problems)
                row.submitted_at = utc_now()
                session.flush()
                return _view(session, audit_id)
        except StaleDataError as exc:
            raise conflict() from exc

    # -- the review chain ---------------------------------------------------------

    def record_step(self, audit_id: str, step: StepInput) -> AuditView:
        """Record one signed decision of the chain, after checking every rule."""
        opinion = require_text(step.opinion, FIELD_OPINION, max_length=MAX_OPINION)
        if not isinstance(step.reviewed_at, datetime):
            raise ValidationError(FIELD_REVIEWED_AT, Text("必须填写", "is required"))
        try:
            decision = Decision(step.decision)
        except ValueError:
            raise ValidationError(
                Text("审核结论", "Decision"), Text("取值无效", "invalid value")
            ) from None
        operator = self._workstation.actor
        try:
            with self._db.write(operator) as session:
                row = _audit_row(session, audit_id)
                steps = list(row.steps)
                status = form_status(row.submitted_at is not None, steps)
                check_step_position(status, step.level, steps)
                check_decision_at_level(step.level, decision)
                case = load_case_detail(session, row.case_id)
                _check_reviewer(session, case, step.level, step.reviewer_id)
                if status.state is AuditState.RETURNED:
                    # Signing level 1 of the next round resubmits the corrected form.
                    problems = _row_problems(row)
                    if problems:
                        raise SubmissionIncomplete(problems)
                if step.reviewed_at.date() > date.today():
                    raise ValidationError(
                        FIELD_REVIEWED_AT, Text("不能晚于今天", "cannot be later than today")
                    )
                session.add(
                    ReviewStep(
                        audit_id=audit_id,
                        round=status.round,
                        level=step.level,
                        decision=decision,
                        opinion=opinion,
                        reviewer_id=step.reviewer_id,
                        entered_by_id=operator.id or step.reviewer_id,
                        reviewed_at=step.reviewed_at,
                    )
                )
                # Touching the form bumps its version: an editor open on the old
                # state gets a conflict instead of overwriting a signed round.
                row.updated_at = utc_now()
                session.flush()
                return _view(session, audit_id)
        except StaleDataError as exc:
            raise conflict() from exc
        except IntegrityError as exc:
            # Another writer signed the same level first (unique audit, round, level).
            raise ConflictError(
                Text(
                    "该级审核意见刚刚已由他人录入，请刷新后查看。",
                    "Someone has just recorded this level's decision; refresh to see it.",
                )
            ) from exc

    # -- rectifications ---------------------------------------------------------------

    def raise_rectifications(
        self, audit_id: str, items: Sequence[RectificationDraft]
    ) -> list[str]:
        """Create ledger items (source 案件审核, linked to the form) for problems found;
        all or none. Returns their numbers."""
        with self._db.write(self._workstation.actor) as session:
            row = _audit_row(session, audit_id)
            numbers = []
            for item in items:
                created = create_rectification(
                    session,
                    source=RectificationSource.CASE_AUDIT,
                    audit_id=row.id,
                    source_note=f"审核表 {row.form_no}",
                    description=item.description,
                    problem_type_id=item.problem_type_id,
                    responsible_unit_id=item.responsible_unit_id,
                    responsible_officer_id=item.responsible_officer_id,
                    due_date=item.due_date,
                    risk_level=item.risk_level,
                    measures=item.measures,
                )
                numbers.append(created.number)
            return numbers

    # -- printing -------------------------------------------------------------------

    def print_data(self, audit_id: str) -> AuditPrintData:
        with self._db.read() as session:
            audit = _view(session, audit_id)
            return AuditPrintData(
                station_name=self._workstation.station_name,
                case=load_case_detail(session, audit.case_id),
                audit=audit,
            )

    def latest_form_of_case(self, case_no: str) -> AuditView:
        """The newest form of the case numbered ``case_no`` (for ``lawsup print audit``)."""
        with self._db.read() as session:
            case_id = session.scalar(
                select(Case.id).where(Case.case_no == case_no.strip(), Case.deleted_at.is_(None))
            )
            if case_id is None:
                raise NotFoundError(
                    Text(f"案件“{case_no}”不存在或已删除。", f"No case {case_no!r} (or deleted).")
                )
            audits = load_audit_views(session, case_id=case_id)
            if not audits:
                raise NotFoundError(
                    Text(
                        f"案件“{case_no}”还没有审核表。",
                        f"Case {case_no!r} has no audit form yet.",
                    )
                )
            return audits[-1]

    def form_ids(
        self, state: AuditState | None = None, since: date | None = None
    ) -> list[str]:
        """Ids of forms (newest first) in ``state``, created on or after ``since``."""
        with self._db.read() as session:
            stmt = select(CaseAudit.id).where(CaseAudit.deleted_at.is_(None))
            if since is not None:
                # Local midnight of ``since``, as an aware instant (created_at is UTC).
                start = datetime.combine(since, time()).astimezone()
                stmt = stmt.where(CaseAudit.created_at >= start)
            if state is not None:
                stmt = stmt.where(form_state_condition(CaseAudit, state))
            return list(session.scalars(stmt.order_by(CaseAudit.created_at.desc())))

    def export_pdfs(
        self,
        audit_ids: Sequence[str],
        directory: Path,
        ctx: TaskContext | None = None,
    ) -> ExportReport:
        """Write one PDF per form into ``directory`` (progress and cancel through ``ctx``).

        A form that cannot be printed in full (a character the font lacks) is not
        written; it is listed in the report with the reason, and the rest go on.
        """
        from lawsup_desktop.pdf.audit_form import render_audit_form

        ctx = ctx or TaskContext()
        directory.mkdir(parents=True, exist_ok=True)
        report = ExportReport()
        total = len(audit_ids)
        ctx.report(0, total, "")
        for done, audit_id in enumerate(audit_ids, start=1):
            ctx.check_cancelled()
            data = self.print_data(audit_id)
            try:
                pdf = render_audit_form(data)
            except LawsupError as exc:
                report.failed.append((data.audit.form_no, exc.message))
            else:
                target = directory / export_file_name(data)
                target.write_bytes(pdf)
                report.written.append(target)
            ctx.report(done, total, data.audit.form_no)
        return report


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, Text]] = field(default_factory=list)


def export_file_name(data: AuditPrintData) -> str:
    """``AJSH-2026-00001_<case no>.pdf``, with characters unsafe in file names replaced."""
    raw = f"{data.audit.form_no}_{data.case.case_no}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", raw) + ".pdf"


# --- helpers -------------------------------------------------------------------------


def allocate_form_no(session: Session, year: int) -> str:
    """The next form number of ``year``; the write session's lock keeps it unique."""
    prefix = f"{FORM_NO_PREFIX}-{year:04d}-"
    last = session.scalars(
        select(CaseAudit.form_no)
        .where(CaseAudit.form_no.startswith(prefix, autoescape=True))
        .order_by(func.length(CaseAudit.form_no).desc(), CaseAudit.form_no.desc())
        .limit(1)
    ).first()
    sequence = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def _audit_row(session: Session, audit_id: str) -> CaseAudit:
    row = session.get(CaseAudit, audit_id)
    if row is None or row.deleted_at is not None:
        raise audit_not_found(audit_id)
    return row


def _view(session: Session, audit_id: str) -> AuditView:
    views = load_audit_views(session, audit_ids=[audit_id])
    if not views:
        raise audit_not_found(audit_id)
    return views[0]


def _row_problems(row: CaseAudit) -> list[Text]:
    return _domain_submission_problems(
        row.facts, row.proposed_handling, normalize_points(row.review_points)
    )


def _checked_content(content: AuditFormInput) -> dict[str, object]:
    unknown = set(content.points) - REVIEW_POINT_CODES
    if unknown:
        raise ValueError(f"unknown review points: {sorted(unknown)}")  # a programming error
    for label, text in (
        (FIELD_FACTS, content.facts),
        (FIELD_PROPOSED_HANDLING, content.proposed_handling),
        (FIELD_PROBLEMS, content.problems_found),
    ):
        if len(text) > MAX_LONG_TEXT:
            require_text(text, label, max_length=MAX_LONG_TEXT)
    for check in content.points.values():
        if len(check.note) > 2000:
            require_text(check.note, FIELD_POINT_NOTE, max_length=2000)
    return {
        "facts": content.facts.strip(),
        "proposed_handling": content.proposed_handling.strip(),
        "review_points": points_to_json(normalize_points(content.points)),
        "problems_found": content.problems_found.strip(),
        "is_major": bool(content.is_major),
    }


def _check_reviewer(session: Session, case: CaseDetail, level: int, reviewer_id: str) -> None:
    officer = session.get(Officer, reviewer_id)
    if officer is None or officer.deleted_at is not None or not officer.active:
        raise ValidationError(
            FIELD_REVIEWER,
            Text("审核人不在花名册中或已停用", "the reviewer is not on the roster (or inactive)"),
        )
    role = level_role(level)
    if officer.role != role:
        raise RuleViolation(
            Text(
                f"第{level}级应由{role.label.zh}签署，{officer.name}的角色是{officer.role.label.zh}",
                f"Level {level} is signed by a {role.label.en}; {officer.name} is a "
                f"{officer.role.label.en}",
            )
        )
    handles = officer.id in case.handler_ids
    if level == 1 and not handles:
        raise RuleViolation(
            Text(
                f"第1级由本案办案民警呈请审核，{officer.name}不是本案主办或协办民警",
                f"Level 1 is signed by an officer of the case; {officer.name} is neither its "
                "lead nor an assisting officer",
            )
        )
    if level > 1 and handles:
        raise RuleViolation(
            Text(
                f"{officer.name}是本案的办案民警（主办或协办），不能审核本案",
                f"{officer.name} handles this case (lead or assisting) and may not review it",
            )
        )
