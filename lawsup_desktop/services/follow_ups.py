"""Follow-ups (回访): recording a contact with a party, the due rule and the due list.

The due rule (configurable, :class:`FollowUpRule`): key incidents and criminal
incidents need a follow-up within 3 working days of receipt. The day of receipt
is not counted (as for legal periods), and "due today" is not overdue: an
incident received on a Friday is due on the Wednesday after and overdue from
the Thursday. Working days come from :mod:`lawsup_desktop.domain.calendar` over
the bureau's ``HolidayPeriod`` rows (weekends, holidays, make-up working days).

A dissatisfied follow-up raises a rectification item for the incident's unit,
due in 5 working days, in the same unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from lawsup_desktop.domain.calendar import HolidayRange, WorkingCalendar
from lawsup_desktop.domain.errors import (
    ConflictError,
    NotFoundError,
    RuleViolation,
    Text,
    ValidationError,
)
from lawsup_desktop.domain.validation import normalize_phone, require_text
from lawsup_desktop.domain.vocabulary import (
    FollowUpMethod,
    FollowUpState,
    IncidentCategory,
    KeyCategory,
    PartyRole,
    RectificationSource,
    Satisfaction,
)
from lawsup_desktop.services.rectifications import create_rectification
from lawsup_desktop.store.audit import Actor
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    FollowUp,
    HolidayPeriod,
    Incident,
    Officer,
    Rectification,
    Unit,
)

FIELD_METHOD = Text("回访方式", "Method")
FIELD_PARTY_NAME = Text("回访对象姓名", "Party name")
FIELD_PARTY_ROLE = Text("回访对象身份", "Party role")
FIELD_PARTY_PHONE = Text("回访对象电话", "Party phone")
FIELD_CONTACTED_AT = Text("回访时间", "Time of contact")
FIELD_SATISFACTION = Text("回访评价", "Satisfaction")
FIELD_CHECKS = Text("回访事项", "Items checked")
FIELD_NOTES = Text("备注", "Notes")
FIELD_NEXT_ATTEMPT = Text("下次回访时间", "Next attempt")

CHECK_ITEMS: tuple[tuple[str, Text], ...] = (
    ("reception", Text("接警情况", "Call reception")),
    ("civility", Text("文明态度", "Civility")),
    ("appearance", Text("警容风纪", "Appearance and discipline")),
    ("on_scene", Text("现场处置", "Handling on the scene")),
    ("verification", Text("核实警情", "Verification of the incident")),
    ("leads", Text("获取线索", "Leads obtained")),
    ("suggestions", Text("意见建议", "Opinions and suggestions")),
)
"""The seven items a follow-up checks, by code, in the order of the form."""

CHECK_LABELS: dict[str, Text] = dict(CHECK_ITEMS)
MAX_CHECK_NOTE = 200
MAX_NOTES = 2000

RECTIFICATION_WORKING_DAYS = 5
"""A dissatisfied party's complaint goes to the unit, which reports back within this
many working days (DOMAIN.md: "5 working days is common")."""

E = TypeVar("E", bound=StrEnum)

_STATE_OF: dict[Satisfaction, FollowUpState] = {
    Satisfaction.SATISFIED: FollowUpState.DONE,
    Satisfaction.BASICALLY_SATISFIED: FollowUpState.DONE,
    Satisfaction.DISSATISFIED: FollowUpState.DISSATISFIED,
    Satisfaction.UNREACHABLE: FollowUpState.UNREACHABLE,
}


# --- working days and the due rule ---------------------------------------------------


def load_calendar(session: Session) -> WorkingCalendar:
    """The working-day calendar from the bureau's holiday arrangement in the store."""
    rows = session.scalars(select(HolidayPeriod).where(HolidayPeriod.deleted_at.is_(None))).all()
    return WorkingCalendar(
        HolidayRange(r.name, r.first_day, r.last_day, is_workday=r.is_workday) for r in rows
    )


def add_working_days(calendar: WorkingCalendar, start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
    if days < 1:
        raise ValueError(f"expected at least one working day, got {days}")
    day = start
    for _ in range(days):
        day = calendar.next_working_day(day + dt.timedelta(days=1))
    return day


@dataclass(frozen=True)
class FollowUpRule:
    """Which incidents need a follow-up, and within how many working days of receipt."""

    key_incidents: bool = True
    categories: frozenset[IncidentCategory] = frozenset({IncidentCategory.CRIMINAL})
    working_days: int = 3

    def __post_init__(self) -> None:
        if self.working_days < 1:
            raise ValidationError(
                Text("回访期限", "Follow-up period"),
                Text("至少为1个工作日", "must be at least one working day"),
            )

    def requires(self) -> ColumnElement[bool]:
        """SQL: the incident needs a follow-up under this rule."""
        parts: list[ColumnElement[bool]] = []
        if self.key_incidents:
            parts.append(Incident.is_key.is_(True))
        if self.categories:
            parts.append(Incident.category.in_(sorted(self.categories)))
        return or_(*parts) if parts else false()

    def applies_to(self, is_key: bool, category: IncidentCategory) -> bool:
        return (self.key_incidents and is_key) or category in self.categories

    def due_date(self, calendar: WorkingCalendar, received_at: dt.datetime) -> dt.date:
        return add_working_days(calendar, received_at.date(), self.working_days)

    def overdue_before(self, calendar: WorkingCalendar, today: dt.date) -> dt.datetime:
        """Incidents received before this moment are overdue ``today`` (if still not
        followed up). Due dates grow with the day of receipt, so one bound suffices."""
        day = today
        while True:
            earlier = day - dt.timedelta(days=1)
            if self.due_date(calendar, dt.datetime.combine(earlier, dt.time())) < today:
                return dt.datetime.combine(day, dt.time())
            day = earlier


# --- views -------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedItem:
    checked: bool
    note: str = ""


@dataclass(frozen=True)
class FollowUpView:
    id: str
    incident_id: str
    method: FollowUpMethod
    party_name: str
    party_role: PartyRole
    party_phone: str
    contacted_at: dt.datetime
    officer_name: str
    checks: dict[str, CheckedItem]
    satisfaction: Satisfaction
    notes: str
    next_attempt_at: dt.datetime | None


def follow_up_views(session: Session, incident_id: str) -> list[FollowUpView]:
    """An incident's follow-ups, oldest first (the timeline)."""
    rows = session.execute(
        select(FollowUp, Officer.name)
        .outerjoin(Officer, Officer.id == FollowUp.officer_id)
        .where(FollowUp.incident_id == incident_id, FollowUp.deleted_at.is_(None))
        .order_by(FollowUp.contacted_at, FollowUp.created_at)
    ).all()
    return [
        FollowUpView(
            id=f.id,
            incident_id=f.incident_id,
            method=f.method,
            party_name=f.party_name,
            party_role=f.party_role,
            party_phone=f.party_phone,
            contacted_at=f.contacted_at,
            officer_name=name or "",
            checks={
                code: CheckedItem(bool(v.get("checked")), str(v.get("note", "")))
                for code, v in (f.checks or {}).items()
            },
            satisfaction=f.satisfaction,
            notes=f.notes,
            next_attempt_at=f.next_attempt_at,
        )
        for f, name in rows
    ]


@dataclass(frozen=True)
class FollowUpInput:
    """What the supervisor typed in the follow-up form."""

    method: FollowUpMethod
    party_name: str
    party_role: PartyRole
    contacted_at: dt.datetime
    satisfaction: Satisfaction
    party_phone: str = ""
    checks: Mapping[str, CheckedItem] = field(default_factory=dict)
    notes: str = ""
    next_attempt_at: dt.datetime | None = None


@dataclass(frozen=True)
class FollowUpResult:
    follow_up: FollowUpView
    follow_up_state: FollowUpState
    incident_version: int
    rectification_id: str | None = None
    rectification_number: str | None = None
    rectification_due: dt.date | None = None


@dataclass(frozen=True)
class DueItem:
    incident_id: str
    incident_no: str
    received_at: dt.datetime
    category: IncidentCategory
    key_category: KeyCategory | None
    unit_name: str
    caller_name: str
    caller_phone: str
    state: FollowUpState
    due_date: dt.date
    overdue: bool
    next_attempt_at: dt.datetime | None


@dataclass(frozen=True)
class DueList:
    total: int
    overdue: int
    items: list[DueItem]


def _enum(kind: type[E], value: object, name: Text) -> E:
    try:
        return kind(str(value))
    except ValueError:
        raise ValidationError(name, Text("取值无效", "invalid value")) from None


def validate_follow_up(
    data: FollowUpInput, received_at: dt.datetime, now: dt.datetime
) -> dict[str, object]:
    """The checked, normalised column values of a follow-up; raises naming the field."""
    method = _enum(FollowUpMethod, data.method, FIELD_METHOD)
    role = _enum(PartyRole, data.party_role, FIELD_PARTY_ROLE)
    satisfaction = _enum(Satisfaction, data.satisfaction, FIELD_SATISFACTION)
    name = require_text(data.party_name, FIELD_PARTY_NAME, max_length=50)
    phone = ""
    if data.party_phone.strip() or method == FollowUpMethod.PHONE:
        phone = normalize_phone(data.party_phone, FIELD_PARTY_PHONE)
    if not isinstance(data.contacted_at, dt.datetime):
        raise ValidationError(FIELD_CONTACTED_AT, Text("必须填写", "is required"))
    if data.contacted_at < received_at:
        raise ValidationError(
            FIELD_CONTACTED_AT,
            Text(
                f"不能早于接警时间 {received_at:%Y-%m-%d %H:%M}",
                f"cannot be before the incident was received ({received_at:%Y-%m-%d %H:%M})",
            ),
        )
    if data.contacted_at > now + dt.timedelta(minutes=5):
        raise ValidationError(FIELD_CONTACTED_AT, Text("不能晚于现在", "cannot be in the future"))
    unreachable = satisfaction == Satisfaction.UNREACHABLE
    checks: dict[str, dict[str, object]] = {}
    for code, item in data.checks.items():
        if code not in CHECK_LABELS:
            raise ValidationError(FIELD_CHECKS, Text(f"未知事项 {code}", f"unknown item {code}"))
        label = CHECK_LABELS[code]
        note = item.note.strip()
        if len(note) > MAX_CHECK_NOTE:
            raise ValidationError(
                label,
                Text(
                    f"说明不能超过{MAX_CHECK_NOTE}个字",
                    f"the note must be at most {MAX_CHECK_NOTE} characters",
                ),
            )
        if unreachable and item.checked:
            raise ValidationError(
                label, Text("未联系上时不能勾选回访事项", "nothing can be checked when unreachable")
            )
        if item.checked or note:
            checks[code] = {"checked": item.checked, "note": note}
    notes = data.notes.strip()
    if len(notes) > MAX_NOTES:
        require_text(notes, FIELD_NOTES, max_length=MAX_NOTES)
    if unreachable:
        if data.next_attempt_at is None:
            raise ValidationError(
                FIELD_NEXT_ATTEMPT, Text("未联系上时必须安排下次回访", "required when unreachable")
            )
        if data.next_attempt_at <= data.contacted_at:
            raise ValidationError(
                FIELD_NEXT_ATTEMPT, Text("应晚于本次回访时间", "must be after this attempt")
            )
    elif data.next_attempt_at is not None:
        raise ValidationError(
            FIELD_NEXT_ATTEMPT,
            Text("只有未联系上时才安排下次回访", "only an unreachable party needs a next attempt"),
        )
    return {
        "method": method,
        "party_name": name,
        "party_role": role,
        "party_phone": phone,
        "contacted_at": data.contacted_at,
        "checks": checks,
        "satisfaction": satisfaction,
        "notes": notes,
        "next_attempt_at": data.next_attempt_at if unreachable else None,
    }


def get_incident(session: Session, incident_id: str) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None or incident.deleted_at is not None:
        raise NotFoundError(Text("警情不存在或已删除。", "No such incident (or deleted)."))
    return incident


def check_version(incident: Incident, expected_version: int | None) -> None:
    if expected_version is not None and incident.version != expected_version:
        raise ConflictError(
            Text(
                f"警情 {incident.incident_no} 已被修改，请刷新后重试。",
                f"Incident {incident.incident_no} was changed meanwhile; refresh and try again.",
            )
        )


def stale_conflict() -> ConflictError:
    return ConflictError(
        Text(
            "记录已被其他窗口修改，请刷新后重试。",
            "The record was changed in another window; refresh and try again.",
        )
    )


class FollowUpService:
    """Follow-ups of incidents: one unit of work per user action."""

    def __init__(self, db: Database, actor: Actor, rule: FollowUpRule | None = None) -> None:
        self._db = db
        self._actor = actor
        self.rule = rule or FollowUpRule()

    def record(
        self,
        incident_id: str,
        data: FollowUpInput,
        *,
        expected_version: int | None = None,
        now: dt.datetime | None = None,
    ) -> FollowUpResult:
        """Record a follow-up; keeps the incident's follow-up state in step, and a
        dissatisfied party raises a rectification item, all in one transaction."""
        now = now or dt.datetime.now()
        try:
            with self._db.write(self._actor) as session:
                incident = get_incident(session, incident_id)
                check_version(incident, expected_version)
                values = validate_follow_up(data, incident.received_at, now)
                row = FollowUp(incident_id=incident.id, officer_id=self._actor.id, **values)
                session.add(row)
                session.flush()
                latest = session.scalars(
                    select(FollowUp.satisfaction)
                    .where(FollowUp.incident_id == incident.id, FollowUp.deleted_at.is_(None))
                    .order_by(FollowUp.contacted_at.desc(), FollowUp.created_at.desc())
                    .limit(1)
                ).one()
                incident.follow_up_state = _STATE_OF[latest]
                item = None
                if row.satisfaction == Satisfaction.DISSATISFIED:
                    item = self._raise_rectification(session, incident, row, now.date())
                session.flush()
                view = next(v for v in follow_up_views(session, incident.id) if v.id == row.id)
                return FollowUpResult(
                    follow_up=view,
                    follow_up_state=incident.follow_up_state,
                    incident_version=incident.version,
                    rectification_id=item.id if item else None,
                    rectification_number=item.number if item else None,
                    rectification_due=item.due_date if item else None,
                )
        except StaleDataError as exc:
            raise stale_conflict() from exc

    def _raise_rectification(
        self, session: Session, incident: Incident, row: FollowUp, today: dt.date
    ) -> Rectification:
        officer_id = incident.handling_officer_id
        if officer_id is not None and incident.unit_id is not None:
            officer = session.get(Officer, officer_id)
            if officer is None or officer.unit_id not in (None, incident.unit_id):
                officer_id = None
        due = add_working_days(load_calendar(session), today, RECTIFICATION_WORKING_DAYS)
        complaint = row.notes or "、".join(
            f"{CHECK_LABELS[c].zh}：{v['note']}" for c, v in row.checks.items() if v.get("note")
        )
        return create_rectification(
            session,
            source=RectificationSource.FOLLOW_UP,
            description=f"警情 {incident.incident_no} 回访不满意（{row.party_name}）"
            + (f"：{complaint}" if complaint else ""),
            problem_type_id=None,
            responsible_unit_id=incident.unit_id,
            responsible_officer_id=officer_id,
            due_date=due,
            follow_up_id=row.id,
            source_note=f"回访 {incident.incident_no}"[:200],
            today=today,
        )

    def timeline(self, incident_id: str) -> list[FollowUpView]:
        with self._db.read() as session:
            get_incident(session, incident_id)
            return follow_up_views(session, incident_id)

    def due_list(
        self, *, today: dt.date | None = None, offset: int = 0, limit: int = 200
    ) -> DueList:
        """Incidents that need a follow-up and have none that reached the party
        (never followed up, or unreachable so far), oldest first; overdue flagged."""
        today = today or dt.date.today()
        with self._db.read() as session:
            calendar = load_calendar(session)
            bound = self.rule.overdue_before(calendar, today)
            where = (
                Incident.deleted_at.is_(None),
                self.rule.requires(),
                Incident.follow_up_state.in_([FollowUpState.NONE, FollowUpState.UNREACHABLE]),
            )
            total, overdue = session.execute(
                select(func.count(), func.count().filter(Incident.received_at < bound))
                .select_from(Incident)
                .where(*where)
            ).one()
            last_attempt = (
                select(func.max(FollowUp.next_attempt_at))
                .where(FollowUp.incident_id == Incident.id, FollowUp.deleted_at.is_(None))
                .scalar_subquery()
            )
            rows = session.execute(
                select(Incident, Unit.name, last_attempt)
                .outerjoin(Unit, Unit.id == Incident.unit_id)
                .where(*where)
                .order_by(Incident.received_at, Incident.id)
                .offset(offset)
                .limit(limit)
            ).all()
            items = []
            for incident, unit_name, next_attempt in rows:
                due = self.rule.due_date(calendar, incident.received_at)
                items.append(
                    DueItem(
                        incident_id=incident.id,
                        incident_no=incident.incident_no,
                        received_at=incident.received_at,
                        category=incident.category,
                        key_category=incident.key_category,
                        unit_name=unit_name or "",
                        caller_name=incident.caller_name,
                        caller_phone=incident.caller_phone,
                        state=incident.follow_up_state,
                        due_date=due,
                        overdue=due < today,
                        next_attempt_at=next_attempt,
                    )
                )
            return DueList(total=int(total), overdue=int(overdue), items=items)


def require_officer_actor(actor: Actor) -> str:
    if actor.id is None:
        raise RuleViolation(Text("请以操作员身份操作。", "An operator must be signed in."))
    return actor.id
