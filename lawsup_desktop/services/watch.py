"""The daily watch of key incidents (每日盯警).

The queue is every key incident not yet reviewed, oldest first (an item left
yesterday stays until it is cleared); the counts say how many of them came in
since the last watch. Each item is either marked reviewed (no problem) or gets
a finding — a problem type from the negative list, a note, the responsible unit
and officer — which raises a rectification item in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from lawsup_desktop.domain.errors import NotFoundError, RuleViolation, Text, ValidationError
from lawsup_desktop.domain.validation import require_text
from lawsup_desktop.domain.vocabulary import (
    Disposition,
    IncidentCategory,
    KeyCategory,
    RectificationSource,
    RiskLevel,
    WatchState,
)
from lawsup_desktop.services.follow_ups import (
    RECTIFICATION_WORKING_DAYS,
    add_working_days,
    check_version,
    get_incident,
    load_calendar,
    require_officer_actor,
    stale_conflict,
)
from lawsup_desktop.services.rectifications import create_rectification
from lawsup_desktop.store.audit import Actor
from lawsup_desktop.store.base import utc_now
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    Incident,
    Officer,
    ProblemType,
    Rectification,
    Unit,
    WatchReview,
)

FIELD_PROBLEM_TYPE = Text("问题类型", "Problem type")
FIELD_NOTE = Text("问题说明", "Note")
FIELD_UNIT = Text("责任单位", "Responsible unit")
MAX_NOTE = 2000
UNDO_WINDOW = dt.timedelta(minutes=30)
"""How long a "reviewed, no problem" can be taken back by the one who made it."""


@dataclass(frozen=True)
class WatchItem:
    incident_id: str
    version: int
    incident_no: str
    received_at: dt.datetime
    category: IncidentCategory
    key_category: KeyCategory | None
    address: str
    summary: str
    caller_name: str
    unit_id: str | None
    unit_name: str
    handling_officer_id: str | None
    disposition: Disposition | None
    handling_notes: str
    is_new: bool
    """Received since the last watch."""


@dataclass(frozen=True)
class WatchQueue:
    items: list[WatchItem]
    pending: int
    new_since_last_watch: int
    reviewed_today: int
    problems_today: int
    last_watch_at: dt.datetime | None
    """When the last review was made (UTC), None before the first watch."""


@dataclass(frozen=True)
class WatchReviewView:
    id: str
    incident_id: str
    reviewed_at: dt.datetime
    reviewer_name: str
    problem_type_id: str | None
    problem_type: Text | None
    note: str
    responsible_unit_name: str
    responsible_officer_name: str
    rectification_id: str | None
    rectification_number: str | None


@dataclass(frozen=True)
class WatchOutcome:
    incident_id: str
    watch_state: WatchState
    incident_version: int
    review_id: str
    rectification_id: str | None = None
    rectification_number: str | None = None
    rectification_due: dt.date | None = None


@dataclass(frozen=True)
class ProblemTypeChoice:
    id: str
    code: str
    label: Text


def _local_naive(instant: dt.datetime) -> dt.datetime:
    """A UTC instant as the station's wall-clock time (how incidents are timed)."""
    return instant.astimezone().replace(tzinfo=None)


def _start_of_local_day(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today, dt.time()).astimezone(dt.UTC)


def watch_review_views(session: Session, incident_id: str) -> list[WatchReviewView]:
    reviewer = aliased(Officer)
    responsible = aliased(Officer)
    rows = session.execute(
        select(
            WatchReview,
            reviewer.name,
            ProblemType,
            Unit.name,
            responsible.name,
            Rectification.id,
            Rectification.number,
        )
        .outerjoin(reviewer, reviewer.id == WatchReview.reviewer_id)
        .outerjoin(ProblemType, ProblemType.id == WatchReview.problem_type_id)
        .outerjoin(Unit, Unit.id == WatchReview.responsible_unit_id)
        .outerjoin(responsible, responsible.id == WatchReview.responsible_officer_id)
        .outerjoin(Rectification, Rectification.watch_review_id == WatchReview.id)
        .where(WatchReview.incident_id == incident_id, WatchReview.deleted_at.is_(None))
        .order_by(WatchReview.reviewed_at)
    ).all()
    return [
        WatchReviewView(
            id=r.id,
            incident_id=r.incident_id,
            reviewed_at=r.reviewed_at,
            reviewer_name=reviewer_name or "",
            problem_type_id=r.problem_type_id,
            problem_type=Text(p.name_zh, p.name_en) if p is not None else None,
            note=r.note,
            responsible_unit_name=unit_name or "",
            responsible_officer_name=officer_name or "",
            rectification_id=rect_id,
            rectification_number=rect_no,
        )
        for r, reviewer_name, p, unit_name, officer_name, rect_id, rect_no in rows
    ]


class WatchService:
    def __init__(self, db: Database, actor: Actor) -> None:
        self._db = db
        self._actor = actor

    def queue(self, *, limit: int = 500, today: dt.date | None = None) -> WatchQueue:
        """Key incidents not yet reviewed, oldest first (at most ``limit``), with counts."""
        today = today or dt.date.today()
        pending_where = (
            Incident.deleted_at.is_(None),
            Incident.is_key.is_(True),
            Incident.watch_state == WatchState.PENDING,
        )
        with self._db.read() as session:
            last = session.scalar(
                select(func.max(WatchReview.reviewed_at)).where(WatchReview.deleted_at.is_(None))
            )
            # func.max bypasses the column type: read it back as a UTC instant.
            last_at = dt.datetime.fromisoformat(str(last)).replace(tzinfo=dt.UTC) if last else None
            since = _local_naive(last_at) if last_at else None
            new_count = (
                func.count().filter(Incident.received_at > since)
                if since is not None
                else func.count()
            )
            pending, new = session.execute(
                select(func.count(), new_count).select_from(Incident).where(*pending_where)
            ).one()
            day_start = _start_of_local_day(today)
            reviewed, problems = session.execute(
                select(func.count(), func.count(WatchReview.problem_type_id)).where(
                    WatchReview.deleted_at.is_(None), WatchReview.reviewed_at >= day_start
                )
            ).one()
            rows = session.execute(
                select(Incident, Unit.name)
                .outerjoin(Unit, Unit.id == Incident.unit_id)
                .where(*pending_where)
                .order_by(Incident.received_at, Incident.id)
                .limit(limit)
            ).all()
            items = [
                WatchItem(
                    incident_id=i.id,
                    version=i.version,
                    incident_no=i.incident_no,
                    received_at=i.received_at,
                    category=i.category,
                    key_category=i.key_category,
                    address=i.address,
                    summary=i.summary,
                    caller_name=i.caller_name,
                    unit_id=i.unit_id,
                    unit_name=unit_name or "",
                    handling_officer_id=i.handling_officer_id,
                    disposition=i.disposition,
                    handling_notes=i.handling_notes,
                    is_new=since is None or i.received_at > since,
                )
                for i, unit_name in rows
            ]
        return WatchQueue(items, int(pending), int(new), int(reviewed), int(problems), last_at)

    def problem_types(self) -> list[ProblemTypeChoice]:
        """The active entries of the negative list, in their order."""
        with self._db.read() as session:
            rows = session.scalars(
                select(ProblemType)
                .where(ProblemType.deleted_at.is_(None), ProblemType.active.is_(True))
                .order_by(ProblemType.sort_order, ProblemType.code)
            ).all()
            return [ProblemTypeChoice(p.id, p.code, Text(p.name_zh, p.name_en)) for p in rows]

    def _pending_key_incident(
        self, session: Session, incident_id: str, expected_version: int | None
    ) -> Incident:
        incident = get_incident(session, incident_id)
        check_version(incident, expected_version)
        if not incident.is_key:
            raise RuleViolation(
                Text(
                    f"警情 {incident.incident_no} 不是重点警情，无需盯警。",
                    f"Incident {incident.incident_no} is not a key incident.",
                )
            )
        if incident.watch_state != WatchState.PENDING:
            raise RuleViolation(
                Text(
                    f"警情 {incident.incident_no} 已盯警（{incident.watch_state.label.zh}）。",
                    f"Incident {incident.incident_no} was already reviewed "
                    f"({incident.watch_state.label.en}).",
                )
            )
        return incident

    def mark_reviewed(
        self, incident_id: str, *, expected_version: int | None = None, note: str = ""
    ) -> WatchOutcome:
        """Reviewed, no problem found."""
        reviewer_id = require_officer_actor(self._actor)
        try:
            with self._db.write(self._actor) as session:
                incident = self._pending_key_incident(session, incident_id, expected_version)
                review = WatchReview(
                    incident_id=incident.id,
                    reviewer_id=reviewer_id,
                    reviewed_at=utc_now(),
                    note=note.strip()[:MAX_NOTE],
                )
                session.add(review)
                incident.watch_state = WatchState.NO_PROBLEM
                session.flush()
                return WatchOutcome(incident.id, incident.watch_state, incident.version, review.id)
        except StaleDataError as exc:
            raise stale_conflict() from exc

    def record_finding(
        self,
        incident_id: str,
        *,
        problem_type_id: str,
        note: str,
        responsible_unit_id: str | None,
        responsible_officer_id: str | None = None,
        due_date: dt.date | None = None,
        risk_level: RiskLevel = RiskLevel.MEDIUM,
        expected_version: int | None = None,
        today: dt.date | None = None,
    ) -> WatchOutcome:
        """A problem found: the review and its rectification item, in one transaction.
        The item is due in 5 working days unless ``due_date`` says otherwise."""
        reviewer_id = require_officer_actor(self._actor)
        today = today or dt.date.today()
        text = require_text(note, FIELD_NOTE, max_length=MAX_NOTE)
        if not problem_type_id:
            raise ValidationError(FIELD_PROBLEM_TYPE, Text("请选择", "choose one"))
        if not responsible_unit_id:
            raise ValidationError(FIELD_UNIT, Text("请选择", "choose one"))
        try:
            with self._db.write(self._actor) as session:
                incident = self._pending_key_incident(session, incident_id, expected_version)
                problem = session.get(ProblemType, problem_type_id)
                if problem is None or problem.deleted_at is not None:
                    raise ValidationError(
                        FIELD_PROBLEM_TYPE, Text("不在负面清单中", "not on the negative list")
                    )
                review = WatchReview(
                    incident_id=incident.id,
                    reviewer_id=reviewer_id,
                    reviewed_at=utc_now(),
                    problem_type_id=problem.id,
                    note=text,
                    responsible_unit_id=responsible_unit_id,
                    responsible_officer_id=responsible_officer_id,
                )
                session.add(review)
                session.flush()
                due = due_date or add_working_days(
                    load_calendar(session), today, RECTIFICATION_WORKING_DAYS
                )
                item = create_rectification(
                    session,
                    source=RectificationSource.DAILY_WATCH,
                    description=f"警情 {incident.incident_no}：{problem.name_zh}。{text}",
                    problem_type_id=problem.id,
                    responsible_unit_id=responsible_unit_id,
                    responsible_officer_id=responsible_officer_id,
                    due_date=due,
                    risk_level=risk_level,
                    watch_review_id=review.id,
                    source_note=f"每日盯警 {incident.incident_no}"[:200],
                    today=today,
                )
                incident.watch_state = WatchState.PROBLEM_FOUND
                session.flush()
                return WatchOutcome(
                    incident.id,
                    incident.watch_state,
                    incident.version,
                    review.id,
                    item.id,
                    item.number,
                    item.due_date,
                )
        except StaleDataError as exc:
            raise stale_conflict() from exc

    def undo_mark_reviewed(self, review_id: str, *, now: dt.datetime | None = None) -> WatchOutcome:
        """Take back a "reviewed, no problem" that this operator just made (a key pressed
        once too often while clearing the queue): the review is soft-deleted (audited)
        and the incident goes back to the queue. A finding is not undone here: it raised
        a rectification item, which the ledger handles."""
        reviewer_id = require_officer_actor(self._actor)
        now = now or utc_now()
        try:
            with self._db.write(self._actor) as session:
                review = session.get(WatchReview, review_id)
                if review is None or review.deleted_at is not None:
                    raise NotFoundError(
                        Text("该盯警记录不存在或已撤销。", "No such watch review (or undone).")
                    )
                if review.reviewer_id != reviewer_id:
                    raise RuleViolation(
                        Text(
                            "只能撤销本人的盯警结论。", "Only your own watch reviews can be undone."
                        )
                    )
                if review.problem_type_id is not None:
                    raise RuleViolation(
                        Text(
                            "发现问题的盯警结论已生成整改事项，不能撤销。",
                            "A finding raised a rectification item and cannot be undone.",
                        )
                    )
                if now - review.reviewed_at > UNDO_WINDOW:
                    minutes = int(UNDO_WINDOW.total_seconds() // 60)
                    raise RuleViolation(
                        Text(
                            f"只能撤销{minutes}分钟内的盯警结论。",
                            f"Only reviews of the last {minutes} minutes can be undone.",
                        )
                    )
                incident = get_incident(session, review.incident_id)
                if incident.watch_state != WatchState.NO_PROBLEM:
                    raise RuleViolation(
                        Text(
                            f"警情 {incident.incident_no} 的盯警状态已改变，不能撤销。",
                            f"The watch state of incident {incident.incident_no} changed "
                            "meanwhile; it cannot be undone.",
                        )
                    )
                review.deleted_at = now
                incident.watch_state = WatchState.PENDING
                session.flush()
                return WatchOutcome(incident.id, incident.watch_state, incident.version, review.id)
        except StaleDataError as exc:
            raise stale_conflict() from exc
