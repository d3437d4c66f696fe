"""Statistics for the 统计通报 page and the monthly review: every figure is a SQL
aggregate over the station's records, nothing is typed in.

- incidents by category and month;
- follow-up satisfaction;
- audit outcomes by handling unit: of the forms with a decision in the period,
  how many passed the whole chain, were returned for correction at least once,
  or were rejected;
- rectification items open / signed off / overdue, by responsible unit;
- 退补率 and 不捕率 by month, from the procuratorate's decisions recorded on each
  request sent (ProcuratorateReview): the share of the reviews decided in that
  month that were 退回补充侦查 / 不批准逮捕.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from lawsup_desktop.domain.audit_form import LEVELS
from lawsup_desktop.domain.errors import Text
from lawsup_desktop.domain.vocabulary import (
    Decision,
    IncidentCategory,
    ProcuratorateDecision,
    RectificationState,
    Satisfaction,
)
from lawsup_desktop.services.reports import check_period
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    Case,
    CaseAudit,
    FollowUp,
    Incident,
    ProcuratorateReview,
    Rectification,
    ReviewStep,
    Unit,
)

NO_UNIT = Text("未指定单位", "No unit given")


def _rate(part: int, whole: int) -> float | None:
    """A share, or None when there is nothing to divide (not 0 %: unknown)."""
    return None if whole == 0 else part / whole


@dataclass(frozen=True)
class CategoryMonth:
    month: str  # "2026-11"
    category: IncidentCategory
    count: int


@dataclass(frozen=True)
class SatisfactionCount:
    satisfaction: Satisfaction
    count: int


@dataclass(frozen=True)
class UnitAudits:
    unit_name: str
    forms: int  # forms with at least one decision in the period
    passed: int
    returned: int
    rejected: int

    @property
    def pass_rate(self) -> float | None:
        return _rate(self.passed, self.forms)

    @property
    def return_rate(self) -> float | None:
        return _rate(self.returned, self.forms)

    @property
    def reject_rate(self) -> float | None:
        return _rate(self.rejected, self.forms)


@dataclass(frozen=True)
class UnitRectifications:
    unit_name: str
    open: int
    signed_off: int
    overdue: int


@dataclass(frozen=True)
class ProcuratorateMonth:
    month: str
    decided: int
    approved: int
    declined: int  # 不批准逮捕
    returned: int  # 退回补充侦查

    @property
    def decline_rate(self) -> float | None:  # 不捕率
        return _rate(self.declined, self.decided)

    @property
    def return_rate(self) -> float | None:  # 退补率
        return _rate(self.returned, self.decided)


@dataclass(frozen=True)
class Statistics:
    first: dt.date
    last: dt.date
    incidents_by_month: tuple[CategoryMonth, ...]
    satisfaction: tuple[SatisfactionCount, ...]
    audits_by_unit: tuple[UnitAudits, ...]
    rectifications_by_unit: tuple[UnitRectifications, ...]
    procuratorate_by_month: tuple[ProcuratorateMonth, ...]

    @property
    def months(self) -> tuple[str, ...]:
        """Every month of the period, in order (also those without data)."""
        found = []
        month = self.first.replace(day=1)
        while month <= self.last:
            found.append(f"{month:%Y-%m}")
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return tuple(found)


def _month(column: Any) -> ColumnElement[str]:
    # SQLite keeps dates and datetimes as ISO text: the month is its first seven
    # characters, several times cheaper per row than strftime over 200,000 rows.
    return func.substr(column, 1, 7)


class StatisticsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def compute(self, first: dt.date, last: dt.date, today: dt.date | None = None) -> Statistics:
        """Every figure of [first, last]; ``today`` judges overdue items (default: today)."""
        check_period(first, last)
        today = today or dt.date.today()
        with self._db.read() as session:
            return Statistics(
                first, last,
                self.incidents_by_month(session, first, last),
                self.satisfaction(session, first, last),
                self.audits_by_unit(session, first, last),
                self.rectifications_by_unit(session, today),
                self.procuratorate_by_month(session, first, last),
            )

    @staticmethod
    def incidents_by_month(session: Session, first: dt.date,
                           last: dt.date) -> tuple[CategoryMonth, ...]:
        start = dt.datetime.combine(first, dt.time())
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
        month = _month(Incident.received_at)
        rows = session.execute(
            select(month, Incident.category, func.count())
            .where(Incident.received_at >= start, Incident.received_at < end,
                   Incident.deleted_at.is_(None))
            .group_by(month, Incident.category).order_by(month, Incident.category)
        )
        return tuple(CategoryMonth(m, IncidentCategory(c), int(n)) for m, c, n in rows)

    @staticmethod
    def satisfaction(session: Session, first: dt.date,
                     last: dt.date) -> tuple[SatisfactionCount, ...]:
        start = dt.datetime.combine(first, dt.time())
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
        counts = {Satisfaction(s): int(n) for s, n in session.execute(
            select(FollowUp.satisfaction, func.count())
            .where(FollowUp.contacted_at >= start, FollowUp.contacted_at < end,
                   FollowUp.deleted_at.is_(None))
            .group_by(FollowUp.satisfaction))}
        return tuple(SatisfactionCount(s, counts.get(s, 0)) for s in Satisfaction)

    @staticmethod
    def audits_by_unit(session: Session, first: dt.date,
                       last: dt.date) -> tuple[UnitAudits, ...]:
        """Per handling unit, the forms with a decision signed in the period: passed
        (the last level approved in the period), returned at least once in the
        period, rejected in the period."""
        start = dt.datetime.combine(first, dt.time())
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
        step = ReviewStep
        passed = and_(step.decision == Decision.APPROVE, step.level >= LEVELS)
        per_form = (
            select(
                step.audit_id.label("audit_id"),
                func.max(case((passed, 1), else_=0)).label("passed"),
                func.max(case((step.decision == Decision.RETURN, 1), else_=0)).label("returned"),
                func.max(case((step.decision == Decision.REJECT, 1), else_=0)).label("rejected"),
            )
            .where(step.reviewed_at >= start, step.reviewed_at < end, step.deleted_at.is_(None))
            .group_by(step.audit_id)
            .subquery()
        )
        rows = session.execute(
            select(Unit.name, func.count(), func.sum(per_form.c.passed),
                   func.sum(per_form.c.returned), func.sum(per_form.c.rejected))
            .select_from(per_form)
            .join(CaseAudit, CaseAudit.id == per_form.c.audit_id)
            .join(Case, Case.id == CaseAudit.case_id)
            .outerjoin(Unit, Unit.id == Case.unit_id)
            .where(CaseAudit.deleted_at.is_(None))
            .group_by(Unit.id).order_by(Unit.name)
        )
        return tuple(UnitAudits(name or NO_UNIT.zh, int(n), int(p or 0), int(r or 0),
                                int(j or 0)) for name, n, p, r, j in rows)

    @staticmethod
    def rectifications_by_unit(session: Session,
                               today: dt.date) -> tuple[UnitRectifications, ...]:
        signed = Rectification.state == RectificationState.SIGNED_OFF
        rows = session.execute(
            select(Unit.name,
                   func.sum(case((signed, 0), else_=1)),
                   func.sum(case((signed, 1), else_=0)),
                   func.sum(case((and_(~signed, Rectification.due_date < today), 1), else_=0)))
            .select_from(Rectification)
            .outerjoin(Unit, Unit.id == Rectification.responsible_unit_id)
            .where(Rectification.deleted_at.is_(None))
            .group_by(Unit.id).order_by(Unit.name)
        )
        return tuple(UnitRectifications(name or NO_UNIT.zh, int(o or 0), int(s or 0),
                                        int(d or 0)) for name, o, s, d in rows)

    @staticmethod
    def procuratorate_by_month(session: Session, first: dt.date,
                               last: dt.date) -> tuple[ProcuratorateMonth, ...]:
        review = ProcuratorateReview
        month = _month(review.decided_on)

        def count(decision: ProcuratorateDecision) -> ColumnElement[int]:
            return func.sum(case((review.decision == decision, 1), else_=0))

        rows = session.execute(
            select(month, func.count(), count(ProcuratorateDecision.APPROVE_ARREST),
                   count(ProcuratorateDecision.DECLINE_ARREST),
                   count(ProcuratorateDecision.RETURN_FOR_INVESTIGATION))
            .where(review.decision.is_not(None), review.decided_on >= first,
                   review.decided_on <= last, review.deleted_at.is_(None))
            .group_by(month).order_by(month)
        )
        return tuple(ProcuratorateMonth(m, int(n), int(a or 0), int(d or 0), int(r or 0))
                     for m, n, a, d, r in rows)
