"""The case register (案件): cases, their persons and coercive measures, the fast list.

The list follows the incident list's approach: :meth:`CaseService.case_ids` runs
the filter and the sort in SQL and returns only ids; the table model then asks
:meth:`CaseService.rows` for the display rows of the page it shows. The audit
state a list filters on is derived in SQL from the review steps with the same
rules as :func:`lawsup_desktop.domain.audit_form.form_status` (a test keeps the
two in step); it is never stored. The list queries are tuned for the station's
SQLite file (covering indexes, ids fetched by the driver); see bench/audit_pdf.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    exists,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from lawsup_desktop.domain.audit_form import (
    LEVELS,
    AuditState,
    AuditView,
    FormStatus,
    StepView,
    form_status,
    normalize_points,
)
from lawsup_desktop.domain.errors import (
    ConflictError,
    NotFoundError,
    Text,
    ValidationError,
)
from lawsup_desktop.domain.validation import (
    parse_resident_id,
    require_plausible_year,
    require_text,
)
from lawsup_desktop.domain.vocabulary import (
    CaseKind,
    Decision,
    Gender,
    MeasureKind,
    PersonRole,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.base import utc_now
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    Case,
    CaseAudit,
    CaseOfficer,
    CasePerson,
    CoerciveMeasure,
    Officer,
    ReviewStep,
    Unit,
)

FIELD_CASE_NO = Text("案件编号", "Case number")
FIELD_CASE_NAME = Text("案件名称", "Case name")
FIELD_CAUSE = Text("案由", "Cause")
FIELD_UNIT = Text("办案单位", "Handling unit")
FIELD_LEAD = Text("主办民警", "Lead officer")
FIELD_ASSISTING = Text("协办民警", "Assisting officers")
FIELD_ACCEPTED = Text("受案时间", "Accepted at")
FIELD_REGISTERED = Text("立案时间", "Registered at")
FIELD_PERSON_NAME = Text("姓名", "Name")
FIELD_PERSON_ID = Text("身份证号码", "Resident ID number")
FIELD_MEASURE_START = Text("强制措施开始时间", "Measure start")
FIELD_MEASURE_END = Text("强制措施结束时间", "Measure end")

NO_SUCH_RECORD = Text("所选记录不存在或已删除", "no such record (or deleted)")


def case_not_found(reference: str) -> NotFoundError:
    return NotFoundError(
        Text(f"案件“{reference}”不存在或已删除。", f"No case {reference!r} (or deleted).")
    )


def conflict() -> ConflictError:
    return ConflictError(
        Text(
            "该记录已被他人（或另一个窗口）修改，请重新打开后再保存。",
            "Someone (or another window) changed this record; reopen it and save again.",
        )
    )


# --- input and output -----------------------------------------------------------


@dataclass(frozen=True)
class CaseInput:
    case_no: str
    name: str
    kind: CaseKind
    cause: str
    unit_id: str | None
    lead_officer_id: str | None
    assisting_officer_ids: tuple[str, ...] = ()
    accepted_at: datetime | None = None
    registered_at: datetime | None = None


@dataclass(frozen=True)
class MeasureInput:
    kind: MeasureKind
    started_at: datetime
    ended_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class PersonInput:
    role: PersonRole
    name: str
    id_number: str = ""  # empty: unknown (e.g. a foreigner without one)
    phone: str = ""
    address: str = ""
    measures: tuple[MeasureInput, ...] = ()


@dataclass(frozen=True)
class Ref:
    """A record on the roster (officer or unit) by id, with the name to show."""

    id: str
    name: str


@dataclass(frozen=True)
class MeasureView:
    id: str
    kind: MeasureKind
    started_at: datetime
    ended_at: datetime | None
    note: str


@dataclass(frozen=True)
class PersonView:
    id: str
    role: PersonRole
    name: str
    id_number: str | None
    gender: Gender | None
    birth_date: date | None
    phone: str
    address: str
    measures: tuple[MeasureView, ...]


@dataclass(frozen=True)
class CaseDetail:
    id: str
    version: int
    case_no: str
    name: str
    kind: CaseKind
    cause: str
    unit: Ref | None
    lead_officer: Ref | None
    assisting: tuple[Ref, ...]
    accepted_at: datetime | None
    registered_at: datetime | None
    persons: tuple[PersonView, ...]
    audits: tuple[AuditView, ...]  # oldest first: the audit history

    @property
    def handler_ids(self) -> frozenset[str]:
        """Officers who handle the case (lead and assisting)."""
        ids = {o.id for o in self.assisting}
        if self.lead_officer is not None:
            ids.add(self.lead_officer.id)
        return frozenset(ids)


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list."""

    id: str
    case_no: str
    name: str
    kind: CaseKind
    cause: str
    unit_name: str
    lead_officer_name: str
    accepted_at: datetime | None
    registered_at: datetime | None
    persons: int
    audit_status: FormStatus | None  # None: no audit form yet

    @property
    def audit_label(self) -> Text:
        return AuditState.NONE.label if self.audit_status is None else self.audit_status.label


class CaseSort(StrEnum):
    ACCEPTED_AT = "accepted_at"
    REGISTERED_AT = "registered_at"
    CASE_NO = "case_no"
    NAME = "name"
    KIND = "kind"
    CAUSE = "cause"
    UNIT = "unit"
    LEAD_OFFICER = "lead_officer"
    # No sort by audit state: deriving every case's state costs seconds at 50,000
    # cases; the list filters by state instead.


@dataclass(frozen=True)
class CaseQuery:
    """The list's filter and sort. ``audit_level`` narrows IN_REVIEW to one level."""

    kind: CaseKind | None = None
    unit_id: str | None = None
    officer_id: str | None = None  # lead or assisting
    audit_state: AuditState | None = None
    audit_level: int | None = None
    measure_kind: MeasureKind | None = None
    text: str = ""  # part of the case number, name or cause
    sort: CaseSort = CaseSort.ACCEPTED_AT
    descending: bool = True


# --- the audit state in SQL -------------------------------------------------------


def audit_state_code(status: FormStatus | None) -> str:
    """A status as one code: 'none', 'draft', 'in_review:3', 'returned'..."""
    if status is None:
        return AuditState.NONE.value
    if status.state is AuditState.IN_REVIEW:
        return f"{AuditState.IN_REVIEW.value}:{status.level}"
    return status.state.value


# The same rules as domain.audit_form.form_status, as set-based SQL. A form's
# state depends on its last step only; steps are append-only, so "last" is "no
# step after it". Each condition picks whole sets through indexes instead of
# deriving a state row by row (which costs seconds at 50,000 cases).


# The chain only ever appends the next step: after (round, level) comes
# (round, level + 1) after 同意 below level 5, or (round + 1, 1) after 退回补正;
# nothing comes after 不同意 or after 同意 at level 5. So whether a step is its
# form's last needs at most one exact look-up in the (audit, round, level) index.


def _final_steps(decision: Decision, level: int | None = None) -> Select[str]:
    """Forms with a step after which nothing can follow (不同意, or 同意 at level 5)."""
    step = aliased(ReviewStep)
    stmt = select(step.audit_id).where(step.decision == decision.value)
    return stmt if level is None else stmt.where(step.level == level)


def _returns_not_resubmitted() -> Select[str]:
    """Forms whose last step is a return: no level 1 of the next round yet."""
    step = aliased(ReviewStep)
    following = aliased(ReviewStep)
    return select(step.audit_id).where(
        step.decision == Decision.RETURN.value,
        ~exists().where(
            following.audit_id == step.audit_id,
            following.round == step.round + 1,
            following.level == 1,
        ),
    )


def _approved_up_to(level: int) -> Select[str]:
    """Forms whose last step is 同意 at ``level`` (< 5): the next level is awaited."""
    step = aliased(ReviewStep)
    following = aliased(ReviewStep)
    return select(step.audit_id).where(
        step.decision == Decision.APPROVE.value,
        step.level == level,
        ~exists().where(
            following.audit_id == step.audit_id,
            following.round == step.round,
            following.level == level + 1,
        ),
    )


def _ended_or_returned() -> CompoundSelect[str]:
    """Forms whose chain has ended (不同意, or 同意 at the last level) or was sent back
    and not resubmitted: one list, so each form is probed once rather than three times."""
    return union_all(
        _final_steps(Decision.REJECT),
        _final_steps(Decision.APPROVE, LEVELS),
        _returns_not_resubmitted(),
    )


def form_state_condition(
    audit: type[CaseAudit], state: AuditState, level: int | None = None
) -> ColumnElement[bool]:
    """Which forms are in ``state`` (at ``level``, for IN_REVIEW)."""
    rejected = _final_steps(Decision.REJECT)
    approved = _final_steps(Decision.APPROVE, LEVELS)
    if state is AuditState.DRAFT:
        return audit.submitted_at.is_(None)
    if state is AuditState.RETURNED:
        return audit.id.in_(_returns_not_resubmitted())
    if state is AuditState.REJECTED:
        return audit.id.in_(rejected)
    if state is AuditState.APPROVED:
        return audit.id.in_(approved)
    if state is not AuditState.IN_REVIEW:
        raise ValueError(f"no form is in state {state}")
    if level == 1:
        return and_(
            audit.submitted_at.is_not(None), audit.id.not_in(select(ReviewStep.audit_id))
        )
    if level is not None:
        return audit.id.in_(_approved_up_to(level - 1))
    # Any level: submitted, and the chain has not ended (nor been returned).
    return and_(audit.submitted_at.is_not(None), audit.id.not_in(_ended_or_returned()))


def audit_state_condition(state: AuditState, level: int | None = None) -> ColumnElement[bool]:
    """A condition on Case: its newest form is in ``state`` (NONE: it has no form)."""
    if state is AuditState.NONE:
        return Case.id.not_in(select(CaseAudit.case_id).where(CaseAudit.deleted_at.is_(None)))
    audit = aliased(CaseAudit)
    return Case.id.in_(
        select(audit.case_id).where(
            audit.deleted_at.is_(None),
            audit.id.not_in(_superseded_forms()),
            form_state_condition(audit, state, level),
        )
    )


def _superseded_forms() -> Select[str]:
    """Forms with a newer live form on the same case: the list shows the newest only.

    Few cases have more than one form, so they are found first from a sweep of the
    (case, deleted, created, id) index, and only their forms are compared.
    """
    older = aliased(CaseAudit)
    newer = aliased(CaseAudit)
    several = (
        select(CaseAudit.case_id)
        .where(CaseAudit.deleted_at.is_(None))
        .group_by(CaseAudit.case_id)
        .having(func.count() > 1)
    )
    return select(older.id).where(
        older.deleted_at.is_(None),
        older.case_id.in_(several),
        exists().where(
            newer.case_id == older.case_id,
            newer.deleted_at.is_(None),
            or_(
                newer.created_at > older.created_at,
                and_(newer.created_at == older.created_at, newer.id > older.id),
            ),
        ),
    )


# --- the service -------------------------------------------------------------------


class CaseService:
    def __init__(self, db: Database, workstation: WorkstationInfo) -> None:
        self._db = db
        self._workstation = workstation

    # -- writes --------------------------------------------------------------

    def create_case(self, data: CaseInput, persons: Sequence[PersonInput] = ()) -> CaseDetail:
        """Register a case with its persons and their measures, all or nothing."""
        with self._db.write(self._workstation.actor) as session:
            values = _checked_case(session, data, case_id=None)
            checked_persons = [_checked_person(p) for p in persons]
            row = Case(**values)
            session.add(row)
            session.flush()
            _set_assisting(session, row, data.assisting_officer_ids)
            for person in checked_persons:
                _add_person(session, row.id, person)
            session.flush()
            return load_case_detail(session, row.id)

    def update_case(self, case_id: str, expected_version: int, data: CaseInput) -> CaseDetail:
        """Change a case's fields. ``expected_version`` is the version the user edited:
        if someone saved in between, ConflictError instead of a lost update."""
        try:
            with self._db.write(self._workstation.actor) as session:
                row = _get_case(session, case_id)
                if row.version != expected_version:
                    raise conflict()
                values = _checked_case(session, data, case_id=case_id)
                for key, value in values.items():
                    setattr(row, key, value)
                _set_assisting(session, row, data.assisting_officer_ids)
                session.flush()
                return load_case_detail(session, row.id)
        except StaleDataError as exc:
            raise conflict() from exc

    def add_person(self, case_id: str, person: PersonInput) -> PersonView:
        checked = _checked_person(person)
        with self._db.write(self._workstation.actor) as session:
            _get_case(session, case_id)
            row = _add_person(session, case_id, checked)
            session.flush()
            return _person_views(session, [row])[0]

    def remove_person(self, person_id: str) -> None:
        """Soft-delete a person (and the person's measures)."""
        with self._db.write(self._workstation.actor) as session:
            row = session.get(CasePerson, person_id)
            if row is None or row.deleted_at is not None:
                raise NotFoundError(Text("该人员不存在或已删除。", "No such person (or deleted)."))
            now = utc_now()
            row.deleted_at = now
            for measure in row.measures:
                if measure.deleted_at is None:
                    measure.deleted_at = now

    def add_measure(self, person_id: str, measure: MeasureInput) -> MeasureView:
        _check_measure(measure)
        with self._db.write(self._workstation.actor) as session:
            person = session.get(CasePerson, person_id)
            if person is None or person.deleted_at is not None:
                raise NotFoundError(Text("该人员不存在或已删除。", "No such person (or deleted)."))
            row = _measure_row(person_id, measure)
            session.add(row)
            session.flush()
            return _measure_view(row)

    def end_measure(self, measure_id: str, ended_at: datetime) -> MeasureView:
        """Record the end of a measure (release, change of measure)."""
        with self._db.write(self._workstation.actor) as session:
            row = session.get(CoerciveMeasure, measure_id)
            if row is None or row.deleted_at is not None:
                raise NotFoundError(
                    Text("该强制措施不存在或已删除。", "No such coercive measure (or deleted).")
                )
            _check_measure(MeasureInput(row.kind, row.started_at, ended_at))
            row.ended_at = ended_at
            session.flush()
            return _measure_view(row)

    # -- reads ---------------------------------------------------------------

    def detail(self, case_id: str) -> CaseDetail:
        with self._db.read() as session:
            return load_case_detail(session, case_id)

    def find_by_number(self, case_no: str) -> CaseDetail:
        with self._db.read() as session:
            case_id = session.scalar(
                select(Case.id).where(Case.case_no == case_no.strip(), Case.deleted_at.is_(None))
            )
            if case_id is None:
                raise case_not_found(case_no)
            return load_case_detail(session, case_id)

    def case_ids(self, query: CaseQuery) -> list[str]:
        """Ids of the cases matching ``query``, in its order (filter and sort in SQL)."""
        with self._db.read() as session:
            return _driver_ids(session, query)

    def rows(self, ids: Sequence[str]) -> list[CaseRow]:
        """The display rows of ``ids``, in the same order (missing ids are skipped)."""
        if not ids:
            return []
        with self._db.read() as session:
            return _case_rows(session, ids)


# --- list query ------------------------------------------------------------------------


def case_ids_statement(query: CaseQuery) -> Select[str]:
    if query.sort is CaseSort.ACCEPTED_AT:
        # ix_case_list yields this order and covers the common filters.
        live = Case.deleted_at.is_(None)
    else:
        # Any other order is sorted anyway: the unary + keeps SQLite from walking
        # ix_case_list for "deleted_at IS NULL" and looking up every row from it,
        # which is three times slower than reading the table in one sweep.
        live = literal_column('+"case".deleted_at').is_(None)
    stmt = select(Case.id).where(live)
    if query.kind is not None:
        stmt = stmt.where(Case.kind == query.kind)
    if query.unit_id is not None:
        stmt = stmt.where(Case.unit_id == query.unit_id)
    # Sets built once (non-correlated IN) rather than a subquery per case.
    if query.officer_id is not None:
        assisting = select(CaseOfficer.case_id).where(
            CaseOfficer.officer_id == query.officer_id, CaseOfficer.deleted_at.is_(None)
        )
        stmt = stmt.where(
            or_(Case.lead_officer_id == query.officer_id, Case.id.in_(assisting))
        )
    if query.measure_kind is not None:
        with_measure = (
            select(CasePerson.case_id)
            .join(CoerciveMeasure, CoerciveMeasure.person_id == CasePerson.id)
            .where(
                CoerciveMeasure.kind == query.measure_kind,
                CoerciveMeasure.deleted_at.is_(None),
                CasePerson.deleted_at.is_(None),
            )
        )
        stmt = stmt.where(Case.id.in_(with_measure))
    text = query.text.strip()
    if text:
        pattern = f"%{text}%"
        stmt = stmt.where(
            or_(Case.case_no.like(pattern), Case.name.like(pattern), Case.cause.like(pattern))
        )
    if query.audit_state is not None:
        level = query.audit_level if query.audit_state is AuditState.IN_REVIEW else None
        stmt = stmt.where(audit_state_condition(query.audit_state, level))

    key: InstrumentedAttribute[Any]
    if query.sort is CaseSort.UNIT:
        stmt = stmt.outerjoin(Unit, Unit.id == Case.unit_id)
        key = Unit.name
    elif query.sort is CaseSort.LEAD_OFFICER:
        stmt = stmt.outerjoin(Officer, Officer.id == Case.lead_officer_id)
        key = Officer.name
    else:
        key = getattr(Case, query.sort.value)
    direction = key.desc() if query.descending else key.asc()
    # The id breaks ties so that the order is stable between queries.
    tie = Case.id.desc() if query.descending else Case.id.asc()
    return stmt.order_by(direction, tie)


@lru_cache(maxsize=128)
def _case_ids_sql(query: CaseQuery) -> tuple[str, tuple[object, ...]]:
    """The SQLite text and parameters of a list query, compiled once per query: the
    audit-state conditions take SQLAlchemy ~10 ms to build and compile, and the
    table model repeats the same queries (refresh, paging back)."""
    compiled = case_ids_statement(query).compile(
        dialect=sqlite_dialect(), compile_kwargs={"render_postcompile": True}
    )
    parameters = compiled.construct_params()
    return str(compiled), tuple(parameters[name] for name in compiled.positiontup or ())


# Between two ids in the one string the list query returns: ids are UUIDs, so the
# ASCII unit separator never occurs in one.
_ID_SEPARATOR = "\x1f"


def _driver_ids(session: Session, query: CaseQuery) -> list[str]:
    """The ids of a list query, fetched by the driver itself: for 50,000 ids the
    ORM's result processing would cost three times the query. The parameters are
    plain strings (ids, codes, patterns), which need no conversion.

    SQLite joins the ids into one string: group_concat over the ordered query.
    SQLite calls group_concat's order arbitrary, but it does not flatten an
    ORDER BY subquery into an aggregate and so feeds the rows in that order;
    test_case_ids_keep_the_order_of_the_query checks it for every sort, should a
    newer SQLite change that (3.44+ could say group_concat(... ORDER BY ...)).
    One row instead of 50,000 saves the per-row fetch (~7 ms for the whole
    list), and no row tuples reach Python, so a list query no longer pushes tens
    of thousands of them through the garbage collector's generations."""
    sql, parameters = _case_ids_sql(query)
    connection = session.connection()
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            f"SELECT group_concat(id, char(31)) FROM ({sql})", parameters
        )
        row = cursor.fetchone()
    finally:
        cursor.close()
    joined = row[0] if row is not None else None
    return joined.split(_ID_SEPARATOR) if joined else []


def _case_rows(session: Session, ids: Sequence[str]) -> list[CaseRow]:
    lead = aliased(Officer)
    persons = (
        select(func.count(CasePerson.id))
        .where(CasePerson.case_id == Case.id, CasePerson.deleted_at.is_(None))
        .scalar_subquery()
    )
    result = session.execute(
        select(Case, Unit.name, lead.name, persons)
        .outerjoin(Unit, Unit.id == Case.unit_id)
        .outerjoin(lead, lead.id == Case.lead_officer_id)
        .where(Case.id.in_(ids), Case.deleted_at.is_(None))
    ).all()
    statuses = latest_statuses(session, ids)
    by_id = {}
    for row, unit_name, lead_name, person_count in result:
        by_id[row.id] = CaseRow(
            id=row.id,
            case_no=row.case_no,
            name=row.name,
            kind=row.kind,
            cause=row.cause,
            unit_name=unit_name or "",
            lead_officer_name=lead_name or "",
            accepted_at=row.accepted_at,
            registered_at=row.registered_at,
            persons=person_count,
            audit_status=statuses.get(row.id),
        )
    return [by_id[i] for i in ids if i in by_id]


def latest_statuses(session: Session, case_ids: Iterable[str]) -> dict[str, FormStatus]:
    """Per case, the status of its newest audit form (cases without one are absent)."""
    audits = session.execute(
        select(CaseAudit.id, CaseAudit.case_id, CaseAudit.submitted_at)
        .where(CaseAudit.case_id.in_(list(case_ids)), CaseAudit.deleted_at.is_(None))
        .order_by(CaseAudit.created_at, CaseAudit.id)
    ).all()
    newest = {case_id: (audit_id, submitted) for audit_id, case_id, submitted in audits}
    steps: dict[str, list[_Step]] = {audit_id: [] for audit_id, _ in newest.values()}
    # Plain columns, not ORM rows: a page of the list needs only these.
    for audit_id, round_, level, decision in session.execute(
        select(ReviewStep.audit_id, ReviewStep.round, ReviewStep.level, ReviewStep.decision)
        .where(ReviewStep.audit_id.in_(list(steps)))
    ):
        steps[audit_id].append(_Step(round_, level, decision))
    return {
        case_id: form_status(submitted is not None, steps[audit_id])
        for case_id, (audit_id, submitted) in newest.items()
    }


@dataclass(frozen=True)
class _Step:
    round: int
    level: int
    decision: Decision


# --- detail ---------------------------------------------------------------------------


def _get_case(session: Session, case_id: str) -> Case:
    row = session.get(Case, case_id)
    if row is None or row.deleted_at is not None:
        raise case_not_found(case_id)
    return row


def _names(session: Session, officer_ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {i for i in officer_ids if i}
    if not wanted:
        return {}
    rows = session.execute(select(Officer.id, Officer.name).where(Officer.id.in_(wanted)))
    return {officer_id: name for officer_id, name in rows}


def load_case_detail(session: Session, case_id: str) -> CaseDetail:
    row = _get_case(session, case_id)
    assisting_ids = list(
        session.scalars(
            select(CaseOfficer.officer_id)
            .where(CaseOfficer.case_id == case_id, CaseOfficer.deleted_at.is_(None))
            .order_by(CaseOfficer.created_at, CaseOfficer.id)
        )
    )
    names = _names(session, [row.lead_officer_id, *assisting_ids])
    unit = session.get(Unit, row.unit_id) if row.unit_id else None
    persons = list(
        session.scalars(
            select(CasePerson)
            .where(CasePerson.case_id == case_id, CasePerson.deleted_at.is_(None))
            .order_by(CasePerson.created_at, CasePerson.id)
        )
    )
    return CaseDetail(
        id=row.id,
        version=row.version,
        case_no=row.case_no,
        name=row.name,
        kind=row.kind,
        cause=row.cause,
        unit=Ref(unit.id, unit.name) if unit else None,
        lead_officer=(
            Ref(row.lead_officer_id, names.get(row.lead_officer_id, ""))
            if row.lead_officer_id
            else None
        ),
        assisting=tuple(Ref(i, names.get(i, "")) for i in assisting_ids),
        accepted_at=row.accepted_at,
        registered_at=row.registered_at,
        persons=tuple(_person_views(session, persons)),
        audits=tuple(load_audit_views(session, case_id=case_id)),
    )


def _measure_view(m: CoerciveMeasure) -> MeasureView:
    return MeasureView(m.id, m.kind, m.started_at, m.ended_at, m.note)


def _person_views(session: Session, persons: Sequence[CasePerson]) -> list[PersonView]:
    measures: dict[str, list[MeasureView]] = {p.id: [] for p in persons}
    if persons:
        for m in session.scalars(
            select(CoerciveMeasure)
            .where(
                CoerciveMeasure.person_id.in_(list(measures)),
                CoerciveMeasure.deleted_at.is_(None),
            )
            .order_by(CoerciveMeasure.started_at, CoerciveMeasure.id)
        ):
            measures[m.person_id].append(_measure_view(m))
    return [
        PersonView(
            id=p.id,
            role=p.role,
            name=p.name,
            id_number=p.id_number,
            gender=p.gender,
            birth_date=p.birth_date,
            phone=p.phone,
            address=p.address,
            measures=tuple(measures[p.id]),
        )
        for p in persons
    ]


def load_audit_views(
    session: Session, *, case_id: str | None = None, audit_ids: Sequence[str] | None = None
) -> list[AuditView]:
    """Audit forms (oldest first) with their steps, of one case or by ids."""
    stmt = select(CaseAudit).where(CaseAudit.deleted_at.is_(None))
    if case_id is not None:
        stmt = stmt.where(CaseAudit.case_id == case_id)
    if audit_ids is not None:
        stmt = stmt.where(CaseAudit.id.in_(list(audit_ids)))
    audits = list(session.scalars(stmt.order_by(CaseAudit.created_at, CaseAudit.id)))
    if not audits:
        return []
    steps: dict[str, list[ReviewStep]] = {a.id: [] for a in audits}
    for step in session.scalars(
        select(ReviewStep)
        .where(ReviewStep.audit_id.in_(list(steps)))
        .order_by(ReviewStep.round, ReviewStep.level)
    ):
        steps[step.audit_id].append(step)
    names = _names(
        session,
        [s.reviewer_id for ss in steps.values() for s in ss]
        + [s.entered_by_id for ss in steps.values() for s in ss],
    )
    return [
        AuditView(
            id=a.id,
            case_id=a.case_id,
            form_no=a.form_no,
            version=a.version,
            facts=a.facts,
            proposed_handling=a.proposed_handling,
            points=normalize_points(a.review_points),
            problems_found=a.problems_found,
            is_major=a.is_major,
            submitted_at=a.submitted_at,
            created_at=a.created_at,
            updated_at=a.updated_at,
            steps=tuple(
                StepView(
                    id=s.id,
                    round=s.round,
                    level=s.level,
                    decision=s.decision,
                    opinion=s.opinion,
                    reviewer_id=s.reviewer_id,
                    reviewer_name=names.get(s.reviewer_id, ""),
                    entered_by_id=s.entered_by_id,
                    entered_by_name=names.get(s.entered_by_id, ""),
                    reviewed_at=s.reviewed_at,
                    signed_at=s.created_at,
                )
                for s in steps[a.id]
            ),
        )
        for a in audits
    ]


# --- checks ------------------------------------------------------------------------------


def _require_officer(session: Session, officer_id: str, field_name: Text) -> Officer:
    officer = session.get(Officer, officer_id)
    if officer is None or officer.deleted_at is not None:
        raise ValidationError(field_name, NO_SUCH_RECORD)
    return officer


def _checked_case(session: Session, data: CaseInput, case_id: str | None) -> dict[str, object]:
    case_no = require_text(data.case_no, FIELD_CASE_NO, max_length=64)
    clash = session.scalar(select(Case.id).where(Case.case_no == case_no))
    if clash is not None and clash != case_id:
        raise ValidationError(
            FIELD_CASE_NO,
            Text(f"“{case_no}”已被另一案件使用", f"{case_no!r} is already used by another case"),
        )
    name = require_text(data.name, FIELD_CASE_NAME, max_length=200)
    cause = require_text(data.cause, FIELD_CAUSE, max_length=100)
    try:
        kind = CaseKind(data.kind)
    except ValueError:
        raise ValidationError(
            Text("案件类别", "Case kind"),
            Text("应为刑事或行政", "must be criminal or administrative"),
        ) from None
    if data.unit_id is not None:
        unit = session.get(Unit, data.unit_id)
        if unit is None or unit.deleted_at is not None:
            raise ValidationError(FIELD_UNIT, NO_SUCH_RECORD)
    if data.lead_officer_id is not None:
        _require_officer(session, data.lead_officer_id, FIELD_LEAD)
    for officer_id in data.assisting_officer_ids:
        _require_officer(session, officer_id, FIELD_ASSISTING)
        if officer_id == data.lead_officer_id:
            raise ValidationError(
                FIELD_ASSISTING,
                Text("主办民警不能同时列为协办民警", "the lead officer cannot also be assisting"),
            )
    if len(set(data.assisting_officer_ids)) != len(data.assisting_officer_ids):
        raise ValidationError(
            FIELD_ASSISTING, Text("同一民警列了两次", "the same officer is listed twice")
        )
    for moment, field_name in ((data.accepted_at, FIELD_ACCEPTED),
                               (data.registered_at, FIELD_REGISTERED)):
        if moment is not None:  # deadlines count from both
            require_plausible_year(moment, field_name)
    if (
        data.accepted_at is not None
        and data.registered_at is not None
        and data.registered_at < data.accepted_at
    ):
        raise ValidationError(
            FIELD_REGISTERED,
            Text("立案时间不能早于受案时间", "cannot be earlier than the acceptance"),
        )
    return {
        "case_no": case_no,
        "name": name,
        "kind": kind,
        "cause": cause,
        "unit_id": data.unit_id,
        "lead_officer_id": data.lead_officer_id,
        "accepted_at": data.accepted_at,
        "registered_at": data.registered_at,
    }


def _set_assisting(session: Session, row: Case, officer_ids: Sequence[str]) -> None:
    current = {
        link.officer_id: link
        for link in session.scalars(select(CaseOfficer).where(CaseOfficer.case_id == row.id))
    }
    wanted = set(officer_ids)
    for officer_id, link in current.items():
        if officer_id not in wanted and link.deleted_at is None:
            link.deleted_at = utc_now()
        elif officer_id in wanted and link.deleted_at is not None:
            link.deleted_at = None  # the unique (case, officer) row is reused
    for officer_id in officer_ids:
        if officer_id not in current:
            session.add(CaseOfficer(case_id=row.id, officer_id=officer_id))


@dataclass(frozen=True)
class _CheckedPerson:
    data: PersonInput
    name: str
    id_number: str | None
    gender: Gender | None
    birth_date: date | None


def _checked_person(person: PersonInput) -> _CheckedPerson:
    name = require_text(person.name, FIELD_PERSON_NAME, max_length=50)
    field_id = Text(f"{FIELD_PERSON_ID.zh}（{name}）", f"{FIELD_PERSON_ID.en} ({name})")
    id_number = gender = birth_date = None
    if person.id_number.strip():
        parsed = parse_resident_id(person.id_number, field_id)
        id_number, gender, birth_date = parsed.number, Gender(parsed.gender), parsed.birth_date
    for measure in person.measures:
        _check_measure(measure)
    return _CheckedPerson(person, name, id_number, gender, birth_date)


def _check_measure(measure: MeasureInput) -> None:
    if not isinstance(measure.started_at, datetime):
        raise ValidationError(FIELD_MEASURE_START, Text("必须填写", "is required"))
    require_plausible_year(measure.started_at, FIELD_MEASURE_START)
    if measure.ended_at is not None and measure.ended_at < measure.started_at:
        raise ValidationError(
            FIELD_MEASURE_END, Text("不能早于开始时间", "cannot be earlier than the start")
        )


def _measure_row(person_id: str, m: MeasureInput) -> CoerciveMeasure:
    return CoerciveMeasure(
        person_id=person_id,
        kind=MeasureKind(m.kind),
        started_at=m.started_at,
        ended_at=m.ended_at,
        note=m.note.strip(),
    )


def _add_person(session: Session, case_id: str, person: _CheckedPerson) -> CasePerson:
    row = CasePerson(
        case_id=case_id,
        role=PersonRole(person.data.role),
        name=person.name,
        id_number=person.id_number,
        gender=person.gender,
        birth_date=person.birth_date,
        phone=person.data.phone.strip(),
        address=person.data.address.strip(),
    )
    session.add(row)
    session.flush()
    for measure in person.data.measures:
        session.add(_measure_row(row.id, measure))
    return row
