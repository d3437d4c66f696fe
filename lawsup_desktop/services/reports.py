"""The daily report 《每日执法情况》 and the bulletin 《日常执法质量巡查通报》.

Both are plain frozen data computed with SQL aggregates (a few GROUP BY queries,
no row-by-row work), so a day of a 200,000-incident station takes well under a
second (bench/reports.py); the PDFs are drawn from them by ``pdf/reports.py``.
A day or period without data is an honest empty report: every count is zero and
the problem list is empty.

Times of events in the world (incidents received, follow-ups, signed review
steps) are local wall-clock times; bookkeeping instants (a watch review, a
rectification created or signed off) are UTC and are compared with the UTC
instants of the station's local midnights.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from lawsup_desktop.domain.deadlines import DeadlineState
from lawsup_desktop.domain.errors import Text, ValidationError
from lawsup_desktop.domain.vocabulary import (
    Decision,
    FollowUpMethod,
    RectificationSource,
    RectificationState,
    Satisfaction,
)
from lawsup_desktop.services.deadlines import DeadlineService
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    BulletinIssue,
    CaseAudit,
    FollowUp,
    Incident,
    Officer,
    ProblemType,
    Rectification,
    ReviewStep,
    Unit,
    WatchReview,
)

FIELD_DATE = Text("日期", "Date")
FIELD_PERIOD = Text("通报期间", "Bulletin period")
MAX_PERIOD_DAYS = 366
NO_TYPE = Text("未分类", "Not classified")
NO_UNIT = Text("未指定单位", "No unit given")

E = TypeVar("E")


@dataclass(frozen=True)
class Count:
    """One line of a breakdown: a label and how many."""

    label: Text
    count: int


@dataclass(frozen=True)
class Problem:
    """A problem found: a watch finding or a rectification item opened."""

    on: dt.date
    source: Text
    reference: str  # the incident or rectification number
    problem_type: Text
    unit_name: str
    officer_name: str
    description: str


@dataclass(frozen=True)
class DailyReport:
    day: dt.date
    station_name: str
    incidents: int
    key_incidents: int
    watched: int
    watch_findings: int
    problems_by_type: tuple[Count, ...]
    follow_ups: int
    follow_ups_by_method: tuple[Count, ...]
    follow_ups_by_satisfaction: tuple[Count, ...]
    audits_submitted: int
    audit_decisions: tuple[Count, ...]  # steps signed that day, by decision
    rectifications_opened: int
    rectifications_signed_off: int
    rectifications_overdue: int  # open at the end of the day and past their due date
    deadlines: tuple[Count, ...]  # open measures and cases at the end of the day, by state
    problems: tuple[Problem, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.incidents or self.watched or self.follow_ups or self.audits_submitted
                    or sum(c.count for c in self.audit_decisions) or self.problems
                    or self.rectifications_opened or self.rectifications_signed_off)


@dataclass(frozen=True)
class UnitProblems:
    unit_name: str
    count: int
    signed_off: int


@dataclass(frozen=True)
class Bulletin:
    year: int
    number: int
    period_from: dt.date
    period_to: dt.date
    station_name: str
    incidents: int
    key_incidents: int
    watched: int
    problems_by_type: tuple[Count, ...]
    problems_by_unit: tuple[UnitProblems, ...]
    problems: tuple[Problem, ...]

    @property
    def title_number(self) -> Text:
        return Text(f"{self.year}年第{self.number}期", f"{self.year} No. {self.number}")


def _utc_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(first, dt.time()).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time()).astimezone(dt.UTC)
    return start, end


def _local_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (dt.datetime.combine(first, dt.time()),
            dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))


def _breakdown(members: Iterable[E], counts: dict[Any, int]) -> tuple[Count, ...]:
    """Every member of a vocabulary in its order, with its count (zeros included)."""
    return tuple(Count(m.label, counts.get(m, 0)) for m in members)  # type: ignore[attr-defined]


def check_period(first: dt.date, last: dt.date) -> None:
    if last < first:
        raise ValidationError(FIELD_PERIOD, Text(f"结束日期 {last} 早于开始日期 {first}",
                                                 f"the end {last} is before the start {first}"))
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise ValidationError(FIELD_PERIOD, Text(f"不能超过{MAX_PERIOD_DAYS}天",
                                                 f"cannot exceed {MAX_PERIOD_DAYS} days"))


class ReportService:
    def __init__(self, db: Database, workstation: WorkstationInfo) -> None:
        self._db = db
        self._ws = workstation

    # --- shared pieces ----------------------------------------------------------------

    @staticmethod
    def _incident_counts(session: Session, first: dt.date, last: dt.date) -> tuple[int, int]:
        start, end = _local_bounds(first, last)
        total, key = session.execute(
            select(func.count(), func.coalesce(func.sum(Incident.is_key), 0)).where(
                Incident.received_at >= start, Incident.received_at < end,
                Incident.deleted_at.is_(None))
        ).one()
        return int(total), int(key)

    @staticmethod
    def _watch_counts(session: Session, first: dt.date, last: dt.date) -> tuple[int, int]:
        start, end = _utc_bounds(first, last)
        total, found = session.execute(
            select(func.count(), func.count(WatchReview.problem_type_id)).where(
                WatchReview.reviewed_at >= start, WatchReview.reviewed_at < end,
                WatchReview.deleted_at.is_(None))
        ).one()
        return int(total), int(found)

    @staticmethod
    def _new_items(start: dt.datetime, end: dt.datetime) -> Any:
        return (Rectification.created_at >= start, Rectification.created_at < end,
                Rectification.deleted_at.is_(None))

    @staticmethod
    def _unlinked_findings(start: dt.datetime, end: dt.datetime) -> Any:
        """Watch findings of [start, end) that opened no rectification item (each finding
        normally opens one, and is then counted and listed through it)."""
        linked = select(Rectification.watch_review_id).where(
            Rectification.watch_review_id.is_not(None))
        return (WatchReview.reviewed_at >= start, WatchReview.reviewed_at < end,
                WatchReview.deleted_at.is_(None), WatchReview.problem_type_id.is_not(None),
                WatchReview.id.not_in(linked))

    def _problems_by_type(self, session: Session, first: dt.date,
                          last: dt.date) -> tuple[Count, ...]:
        """Problems found in the period by problem type: the rectification items opened
        and the watch findings without one; largest first, then the negative list's
        order."""
        start, end = _utc_bounds(first, last)
        totals: dict[tuple[str, str] | None, list[int]] = {}
        queries = (
            select(ProblemType.name_zh, ProblemType.name_en, ProblemType.sort_order,
                   func.count(Rectification.id))
            .select_from(Rectification)
            .outerjoin(ProblemType, ProblemType.id == Rectification.problem_type_id)
            .where(*self._new_items(start, end))
            .group_by(ProblemType.id),
            select(ProblemType.name_zh, ProblemType.name_en, ProblemType.sort_order,
                   func.count(WatchReview.id))
            .join(ProblemType, ProblemType.id == WatchReview.problem_type_id)
            .where(*self._unlinked_findings(start, end))
            .group_by(ProblemType.id),
        )
        for query in queries:
            for zh, en, order, n in session.execute(query):
                key = (zh, en) if zh else None
                entry = totals.setdefault(key, [0, order if order is not None else 10**6])
                entry[0] += int(n)
        ordered = sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
        return tuple(Count(Text(*key) if key else NO_TYPE, n) for key, (n, _o) in ordered)

    def _problems(self, session: Session, first: dt.date, last: dt.date) -> tuple[Problem, ...]:
        """Rectification items opened in the period (a watch finding opens one, so it is
        listed through its item), then watch findings without an item, by time."""
        start, end = _utc_bounds(first, last)
        unit, officer = aliased(Unit), aliased(Officer)
        items = session.execute(
            select(Rectification.created_at, Rectification.source, Rectification.number,
                   ProblemType.name_zh, ProblemType.name_en, unit.name, officer.name,
                   Rectification.description)
            .outerjoin(ProblemType, ProblemType.id == Rectification.problem_type_id)
            .outerjoin(unit, unit.id == Rectification.responsible_unit_id)
            .outerjoin(officer, officer.id == Rectification.responsible_officer_id)
            .where(*self._new_items(start, end))
            .order_by(Rectification.created_at, Rectification.number)
        )
        found = [
            Problem(at.astimezone().date(), RectificationSource(source).label, number,
                    Text(zh, en) if zh else NO_TYPE, unit_name or "", officer_name or "",
                    description)
            for at, source, number, zh, en, unit_name, officer_name, description in items
        ]
        watch = session.execute(
            select(WatchReview.reviewed_at, Incident.incident_no, ProblemType.name_zh,
                   ProblemType.name_en, unit.name, officer.name, WatchReview.note)
            .join(Incident, Incident.id == WatchReview.incident_id)
            .join(ProblemType, ProblemType.id == WatchReview.problem_type_id)
            .outerjoin(unit, unit.id == WatchReview.responsible_unit_id)
            .outerjoin(officer, officer.id == WatchReview.responsible_officer_id)
            .where(*self._unlinked_findings(start, end))
            .order_by(WatchReview.reviewed_at)
        )
        found.extend(
            Problem(at.astimezone().date(), RectificationSource.DAILY_WATCH.label, number,
                    Text(zh, en), unit_name or "", officer_name or "", note)
            for at, number, zh, en, unit_name, officer_name, note in watch
        )
        return tuple(found)

    # --- the daily report -------------------------------------------------------------

    def daily(self, day: dt.date, *, with_deadlines: bool = True) -> DailyReport:
        """《每日执法情况》 for ``day``. ``with_deadlines``: count the due moments of the
        open measures and cases as at the end of the day (the deadline engine)."""
        start_l, end_l = _local_bounds(day, day)
        start_u, end_u = _utc_bounds(day, day)
        with self._db.read() as session:
            incidents, key = self._incident_counts(session, day, day)
            watched, findings = self._watch_counts(session, day, day)
            by_method: dict[Any, int] = {}
            by_satisfaction: dict[Any, int] = {}
            follow_ups = 0
            for method, satisfaction, n in session.execute(
                select(FollowUp.method, FollowUp.satisfaction, func.count())
                .where(FollowUp.contacted_at >= start_l, FollowUp.contacted_at < end_l,
                       FollowUp.deleted_at.is_(None))
                .group_by(FollowUp.method, FollowUp.satisfaction)
            ):
                by_method[method] = by_method.get(method, 0) + n
                by_satisfaction[satisfaction] = by_satisfaction.get(satisfaction, 0) + n
                follow_ups += n
            submitted = session.scalar(
                select(func.count()).select_from(CaseAudit).where(
                    CaseAudit.submitted_at >= start_u, CaseAudit.submitted_at < end_u,
                    CaseAudit.deleted_at.is_(None))
            ) or 0
            decisions = dict(session.execute(
                select(ReviewStep.decision, func.count())
                .where(ReviewStep.reviewed_at >= start_l, ReviewStep.reviewed_at < end_l,
                       ReviewStep.deleted_at.is_(None))
                .group_by(ReviewStep.decision)
            ).all())
            opened = session.scalar(select(func.count()).select_from(Rectification).where(
                *self._new_items(start_u, end_u))) or 0
            signed_off = session.scalar(select(func.count()).select_from(Rectification).where(
                Rectification.signed_off_at >= start_u, Rectification.signed_off_at < end_u,
                Rectification.deleted_at.is_(None))) or 0
            # Open at the end of the day: made before it ended, not signed off by then.
            overdue = session.scalar(select(func.count()).select_from(Rectification).where(
                Rectification.deleted_at.is_(None), Rectification.created_at < end_u,
                Rectification.due_date < day,
                or_(Rectification.state != RectificationState.SIGNED_OFF,
                    Rectification.signed_off_at >= end_u))) or 0
            by_type = self._problems_by_type(session, day, day)
            problems = self._problems(session, day, day)
        deadlines: tuple[Count, ...] = ()
        if with_deadlines:
            moment = dt.datetime.combine(day, dt.time(23, 59, 59))
            counts = DeadlineService(self._db).states(moment).counts()
            deadlines = tuple(Count(s.label, counts.get(s, 0)) for s in (
                DeadlineState.OVERDUE, DeadlineState.DUE_TODAY, DeadlineState.APPROACHING))
        return DailyReport(
            day=day, station_name=self._ws.station_name, incidents=incidents,
            key_incidents=key, watched=watched, watch_findings=findings,
            problems_by_type=by_type, follow_ups=follow_ups,
            follow_ups_by_method=_breakdown(FollowUpMethod, by_method),
            follow_ups_by_satisfaction=_breakdown(Satisfaction, by_satisfaction),
            audits_submitted=int(submitted), audit_decisions=_breakdown(Decision, decisions),
            rectifications_opened=int(opened), rectifications_signed_off=int(signed_off),
            rectifications_overdue=int(overdue), deadlines=deadlines, problems=problems,
        )

    # --- the bulletin -----------------------------------------------------------------

    def bulletin(self, first: dt.date, last: dt.date) -> Bulletin:
        """《日常执法质量巡查通报》 for [first, last]. Its number (第N期 of the year the
        period ends in) is allocated on first issue and kept: a bulletin made again for
        the same period has the same number. Allocating is a write (audited)."""
        check_period(first, last)
        with self._db.write(self._ws.actor) as session:
            issue = session.scalars(
                select(BulletinIssue).where(
                    BulletinIssue.period_from == first, BulletinIssue.period_to == last,
                    BulletinIssue.deleted_at.is_(None))
                .order_by(BulletinIssue.created_at)
            ).first()
            if issue is None:
                # Inside BEGIN IMMEDIATE: no other writer can take the same number.
                highest = session.scalar(
                    select(func.max(BulletinIssue.number)).where(BulletinIssue.year == last.year)
                ) or 0
                issue = BulletinIssue(year=last.year, number=highest + 1, period_from=first,
                                      period_to=last)
                session.add(issue)
                session.flush()
            year, number = issue.year, issue.number
        return self._bulletin_body(first, last, year, number)

    def _bulletin_body(self, first: dt.date, last: dt.date, year: int,
                       number: int) -> Bulletin:
        start, end = _utc_bounds(first, last)
        with self._db.read() as session:
            incidents, key = self._incident_counts(session, first, last)
            watched, _findings = self._watch_counts(session, first, last)
            by_type = self._problems_by_type(session, first, last)
            # Per unit: the items opened (with how many are signed off by now) and the
            # watch findings that opened none.
            per_unit: dict[str | None, list[int]] = {}
            for name, n, done in session.execute(
                select(Unit.name, func.count(Rectification.id),
                       func.sum(Rectification.state == RectificationState.SIGNED_OFF))
                .select_from(Rectification)
                .outerjoin(Unit, Unit.id == Rectification.responsible_unit_id)
                .where(*self._new_items(start, end))
                .group_by(Unit.id)
            ):
                entry = per_unit.setdefault(name, [0, 0])
                entry[0] += int(n)
                entry[1] += int(done or 0)
            for name, n in session.execute(
                select(Unit.name, func.count(WatchReview.id))
                .select_from(WatchReview)
                .outerjoin(Unit, Unit.id == WatchReview.responsible_unit_id)
                .where(*self._unlinked_findings(start, end))
                .group_by(Unit.id)
            ):
                per_unit.setdefault(name, [0, 0])[0] += int(n)
            by_unit = tuple(
                UnitProblems(name or NO_UNIT.zh, n, done)
                for name, (n, done) in sorted(per_unit.items(),
                                              key=lambda kv: (-kv[1][0], kv[0] or ""))
            )
            problems = self._problems(session, first, last)
        return Bulletin(year, number, first, last, self._ws.station_name, incidents, key,
                        watched, by_type, by_unit, problems)

    def issues(self, year: int) -> list[tuple[int, dt.date, dt.date]]:
        """The bulletins issued in ``year``: (number, from, to), in number order."""
        with self._db.read() as session:
            return [tuple(r) for r in session.execute(  # type: ignore[misc]
                select(BulletinIssue.number, BulletinIssue.period_from, BulletinIssue.period_to)
                .where(BulletinIssue.year == year, BulletinIssue.deleted_at.is_(None))
                .order_by(BulletinIssue.number))]


def problem_lines(problems: Sequence[Problem]) -> Iterator[str]:
    """The problems as one line of text each (for logs and the command line)."""
    for p in problems:
        yield (f"{p.on} {p.source.zh} {p.reference} {p.problem_type.zh} "
               f"{p.unit_name} {p.officer_name} {p.description}")
