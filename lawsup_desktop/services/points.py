"""The points ledger (双项积分): entries, suggested deductions, offsets, objections,
the monthly ranking, early-intervention alerts and the XLSX export.

An entry belongs to an officer (``officer_id`` set) or to a unit alone
(``officer_id`` empty, ``unit_id`` set). A unit's points are its own entries plus
those of the officers on its roster. Only confirmed entries count: a suggested
deduction counts once the supervisor confirms it, a dismissed one (or one whose
objection was upheld) never.

Deductions are *suggested* from findings — daily-watch findings, audit forms
returned for correction (退回补正), rectifications past their due date — and
each finding is suggested once (its source is recorded on the entry).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from lawsup_desktop.domain.errors import (
    ConflictError,
    NotFoundError,
    RuleViolation,
    Text,
    ValidationError,
)
from lawsup_desktop.domain.points import (
    AlertLevel,
    Balance,
    FindingSource,
    PointRules,
    SubjectKind,
    alert_levels,
    month_range,
    parse_point_rules,
    rank,
)
from lawsup_desktop.domain.validation import require_text
from lawsup_desktop.domain.vocabulary import (
    Decision,
    RectificationState,
    ScoreKind,
    ScoreState,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.base import utc_now
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    Case,
    CaseAudit,
    Officer,
    ProblemType,
    Rectification,
    ReviewStep,
    ScoreEntry,
    Unit,
    WatchReview,
)

FIELD_RULE = Text("积分规则", "Points rule")
FIELD_POINTS = Text("分值", "Points")
FIELD_SUBJECT = Text("积分对象", "Subject")
FIELD_REASON = Text("事由", "Reason")
FIELD_OBJECTION = Text("异议理由", "Grounds of the objection")
FIELD_DECISION_NOTE = Text("复核意见", "Decision on the objection")
FIELD_PERIOD = Text("期间", "Period")
MAX_TEXT = 2000
MAX_POINTS = 1000

# source_entity values of suggested entries
_SOURCE_ENTITY = {
    FindingSource.WATCH_FINDING: "watch_review",
    FindingSource.AUDIT_RETURN: "review_step",
    FindingSource.RECTIFICATION_OVERDUE: "rectification",
}


def bundled_point_rules() -> PointRules:
    resource = files("lawsup_desktop.resources") / "rules" / "point_rules.json"
    return parse_point_rules(json.loads(resource.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class EntryView:
    id: str
    version: int
    officer_id: str | None
    unit_id: str | None
    subject_name: str
    kind: ScoreKind
    points: int
    rule_code: str
    rule_name: Text | None
    reason: str
    occurred_on: dt.date
    state: ScoreState
    source_entity: str | None
    source_id: str | None
    objection: str
    objection_at: dt.datetime | None
    objection_upheld: bool | None
    objection_decision: str
    confirmed_on: dt.date | None
    objection_deadline: dt.date

    @property
    def objection_pending(self) -> bool:
        return bool(self.objection) and self.objection_upheld is None


@dataclass(frozen=True)
class EntryDraft:
    """A hand-made entry (earned points, or a deduction not raised by a finding)."""

    rule_code: str
    officer_id: str | None = None
    unit_id: str | None = None
    points: int | None = None  # None: the rule's points
    reason: str = ""
    occurred_on: dt.date | None = None  # None: today


@dataclass(frozen=True)
class RankingRow:
    kind: SubjectKind
    subject_id: str
    name: str
    unit_name: str
    earned: int
    deducted: int
    offset: int
    score: int
    place: int
    bottom: bool


@dataclass(frozen=True)
class Alert:
    """An officer or unit whose confirmed deductions over the period reach a threshold."""

    kind: SubjectKind
    subject_id: str
    name: str
    deducted: int
    level: AlertLevel
    threshold: int
    period_from: dt.date
    period_to: dt.date


def _deleted(row: Any) -> bool:
    return getattr(row, "deleted_at", None) is not None


def _utc_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants of the station's local midnight before ``first`` and after ``last``."""
    start = dt.datetime.combine(first, dt.time()).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time()).astimezone(dt.UTC)
    return start, end


def _window_start(row: ScoreEntry) -> dt.date:
    """The objection window runs from the later of the entry's date and the day it was
    confirmed or recorded."""
    return max(row.occurred_on, row.confirmed_on or row.occurred_on)


def _local_date(instant: dt.datetime) -> dt.date:
    return instant.astimezone().date()


class PointsService:
    """The ledger's actions and queries. ``clock`` gives "today" (tests move it)."""

    def __init__(
        self,
        db: Database,
        workstation: WorkstationInfo,
        clock: Callable[[], dt.date] = dt.date.today,
        rules: PointRules | None = None,
    ) -> None:
        self._db = db
        self._ws = workstation
        self._clock = clock
        self.rules = rules or bundled_point_rules()

    @property
    def today(self) -> dt.date:
        return self._clock()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with self._db.write(self._ws.actor) as session:
                yield session
        except StaleDataError as exc:
            raise ConflictError(
                Text("积分记录已在别处被修改，请刷新后重试。",
                     "The points entry was changed elsewhere; refresh and try again.")
            ) from exc

    # --- views -----------------------------------------------------------------------

    @staticmethod
    def _names(session: Session) -> dict[str, str]:
        """Names of every officer and unit by id (small tables: one query each, instead
        of one look-up per entry)."""
        names: dict[str, str] = {}
        for model in (Officer, Unit):
            names.update((row_id, name) for row_id, name in session.execute(
                select(model.id, model.name)))
        return names

    def _view(self, session: Session, row: ScoreEntry,
              names: dict[str, str] | None = None) -> EntryView:
        names = self._names(session) if names is None else names
        subject = row.officer_id if row.officer_id is not None else row.unit_id
        name = names.get(subject, "") if subject else ""
        rule = self.rules.rule(row.rule_code)
        return EntryView(
            id=row.id, version=row.version, officer_id=row.officer_id, unit_id=row.unit_id,
            subject_name=name, kind=row.kind, points=row.points, rule_code=row.rule_code,
            rule_name=rule.name if rule else None, reason=row.reason,
            occurred_on=row.occurred_on, state=row.state, source_entity=row.source_entity,
            source_id=row.source_id, objection=row.objection, objection_at=row.objection_at,
            objection_upheld=row.objection_upheld, objection_decision=row.objection_decision,
            confirmed_on=row.confirmed_on,
            objection_deadline=self.rules.objection_deadline(_window_start(row)),
        )

    def _row(self, session: Session, entry_id: str, expected_version: int | None) -> ScoreEntry:
        row = session.get(ScoreEntry, entry_id)
        if row is None or _deleted(row):
            raise NotFoundError(Text("积分记录不存在或已删除。",
                                     "The points entry does not exist (or was deleted)."))
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(Text("积分记录已被修改，请刷新后重试。",
                                     "The points entry was changed meanwhile; refresh and retry."))
        return row

    def get(self, entry_id: str) -> EntryView:
        with self._db.read() as session:
            return self._view(session, self._row(session, entry_id, None))

    def entries(
        self, first: dt.date, last: dt.date, *, state: ScoreState | None = None,
        officer_id: str | None = None, unit_id: str | None = None,
    ) -> list[EntryView]:
        """Entries that occurred in [first, last], newest first."""
        with self._db.read() as session:
            query = select(ScoreEntry).where(
                ScoreEntry.deleted_at.is_(None), ScoreEntry.occurred_on >= first,
                ScoreEntry.occurred_on <= last,
            )
            if state is not None:
                query = query.where(ScoreEntry.state == state)
            if officer_id is not None:
                query = query.where(ScoreEntry.officer_id == officer_id)
            if unit_id is not None:
                query = query.where(ScoreEntry.unit_id == unit_id,
                                    ScoreEntry.officer_id.is_(None))
            query = query.order_by(ScoreEntry.occurred_on.desc(), ScoreEntry.id)
            names = self._names(session)
            return [self._view(session, row, names) for row in session.scalars(query)]

    # --- entries by hand -----------------------------------------------------------------

    def _check_subject(self, session: Session, officer_id: str | None,
                       unit_id: str | None) -> None:
        if (officer_id is None) == (unit_id is None):
            raise ValidationError(FIELD_SUBJECT, Text("须选择一名民警或一个单位（二者择一）",
                                                      "choose one officer or one unit"))
        model: type[Officer] | type[Unit] = Officer if officer_id else Unit
        row = session.get(model, officer_id or unit_id)
        if row is None or _deleted(row):
            raise ValidationError(FIELD_SUBJECT, Text("所选对象不存在", "no such officer or unit"))

    def add_entry(self, draft: EntryDraft) -> EntryView:
        """A confirmed entry made by the supervisor (earned or deducted points)."""
        rule = self.rules.rule(draft.rule_code)
        if rule is None:
            raise ValidationError(FIELD_RULE, Text(f"没有规则“{draft.rule_code}”",
                                                   f"no rule '{draft.rule_code}'"))
        if rule.kind is ScoreKind.OFFSET:
            raise ValidationError(FIELD_RULE, Text("消抵请用“积分消抵”操作",
                                                   "use the offset action for offsets"))
        points = rule.points if draft.points is None else draft.points
        # Bounded: one entry against a base score of 100; and a number past 64 bits
        # would not even reach the database (OverflowError, not a message).
        if not 0 < points <= MAX_POINTS:
            raise ValidationError(FIELD_POINTS, Text(
                f"须为 1 至 {MAX_POINTS} 之间的整数",
                f"must be a whole number from 1 to {MAX_POINTS}"))
        reason = require_text(draft.reason or rule.name.zh, FIELD_REASON, MAX_TEXT)
        with self._write() as session:
            self._check_subject(session, draft.officer_id, draft.unit_id)
            row = ScoreEntry(
                officer_id=draft.officer_id, unit_id=draft.unit_id, kind=rule.kind,
                points=points, rule_code=rule.code, reason=reason,
                occurred_on=draft.occurred_on or self.today, state=ScoreState.CONFIRMED,
                confirmed_on=self.today,
            )
            session.add(row)
            session.flush()
            return self._view(session, row)

    # --- suggested deductions ----------------------------------------------------------

    def suggest_deductions(self, first: dt.date, last: dt.date) -> list[EntryView]:
        """Suggest a deduction for every finding of [first, last] not suggested before:
        watch findings, returned audit forms, and rectifications overdue as of
        ``min(last, today)``. One unit of work; returns the new suggestions."""
        if last < first:
            raise ValidationError(FIELD_PERIOD, Text("结束日期早于开始日期",
                                                     "the end is before the start"))
        with self._write() as session:
            known = {
                (entity, source_id, code)
                for entity, source_id, code in session.execute(
                    select(ScoreEntry.source_entity, ScoreEntry.source_id, ScoreEntry.rule_code)
                    .where(ScoreEntry.source_id.is_not(None), ScoreEntry.deleted_at.is_(None))
                )
            }
            made: list[ScoreEntry] = []
            for found in self._findings(session, first, last):
                source, source_id, officer_id, unit_id, problem, on, reason = found
                rule = self.rules.for_finding(source, problem)
                if rule is None or (officer_id is None and unit_id is None):
                    continue
                entity = _SOURCE_ENTITY[source]
                if (entity, source_id, rule.code) in known:
                    continue
                known.add((entity, source_id, rule.code))
                row = ScoreEntry(
                    officer_id=officer_id, unit_id=None if officer_id else unit_id,
                    kind=ScoreKind.DEDUCTED, points=rule.points, rule_code=rule.code,
                    reason=reason, occurred_on=on, state=ScoreState.SUGGESTED,
                    source_entity=entity, source_id=source_id,
                )
                session.add(row)
                made.append(row)
            session.flush()
            names = self._names(session)
            return [self._view(session, row, names) for row in made]

    def _findings(
        self, session: Session, first: dt.date, last: dt.date
    ) -> Iterator[tuple[FindingSource, str, str | None, str | None, str | None, dt.date, str]]:
        start, end = _utc_bounds(first, last)
        watch = session.execute(
            select(WatchReview.id, WatchReview.responsible_officer_id,
                   WatchReview.responsible_unit_id, ProblemType.code, ProblemType.name_zh,
                   WatchReview.reviewed_at, WatchReview.note)
            .join(ProblemType, ProblemType.id == WatchReview.problem_type_id)
            .where(WatchReview.deleted_at.is_(None), WatchReview.reviewed_at >= start,
                   WatchReview.reviewed_at < end)
        )
        for review_id, officer_id, unit_id, code, name, at, note in watch:
            yield (FindingSource.WATCH_FINDING, review_id, officer_id, unit_id, code,
                   _local_date(at), f"每日盯警发现问题：{name}。{note}".strip())
        day_start = dt.datetime.combine(first, dt.time())
        day_end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
        returns = session.execute(
            select(ReviewStep.id, Case.lead_officer_id, Case.unit_id, Case.case_no,
                   ReviewStep.reviewed_at, ReviewStep.opinion)
            .join(CaseAudit, CaseAudit.id == ReviewStep.audit_id)
            .join(Case, Case.id == CaseAudit.case_id)
            .where(ReviewStep.decision == Decision.RETURN, ReviewStep.deleted_at.is_(None),
                   CaseAudit.deleted_at.is_(None), ReviewStep.reviewed_at >= day_start,
                   ReviewStep.reviewed_at < day_end)
        )
        for step_id, officer_id, unit_id, case_no, at, opinion in returns:
            yield (FindingSource.AUDIT_RETURN, step_id, officer_id, unit_id, None, at.date(),
                   f"案件 {case_no} 审核退回补正：{opinion}"[:MAX_TEXT])
        as_of = min(last, self.today)
        overdue = session.execute(
            select(Rectification.id, Rectification.responsible_officer_id,
                   Rectification.responsible_unit_id, Rectification.number,
                   Rectification.due_date)
            .where(Rectification.deleted_at.is_(None),
                   Rectification.state != RectificationState.SIGNED_OFF,
                   Rectification.due_date < as_of)
        )
        for item_id, officer_id, unit_id, number, due in overdue:
            yield (FindingSource.RECTIFICATION_OVERDUE, item_id, officer_id, unit_id, None,
                   due + dt.timedelta(days=1), f"整改事项 {number} 逾期未销号（期限 {due}）")

    def confirm(self, entry_id: str, expected_version: int | None = None) -> EntryView:
        return self._decide_suggestion(entry_id, expected_version, ScoreState.CONFIRMED, "")

    def dismiss(self, entry_id: str, reason: str,
                expected_version: int | None = None) -> EntryView:
        note = require_text(reason, FIELD_REASON, MAX_TEXT)
        return self._decide_suggestion(entry_id, expected_version, ScoreState.DISMISSED, note)

    def _decide_suggestion(self, entry_id: str, expected_version: int | None,
                           state: ScoreState, note: str) -> EntryView:
        with self._write() as session:
            row = self._row(session, entry_id, expected_version)
            if row.state is not ScoreState.SUGGESTED:
                raise RuleViolation(Text(
                    f"该积分记录已{row.state.label.zh}，不能再确认或驳回。",
                    f"The entry is already {row.state.label.en.lower()}; it cannot be "
                    "confirmed or dismissed again."))
            row.state = state
            if state is ScoreState.CONFIRMED:
                row.confirmed_on = self.today
            if note:
                row.reason = f"{row.reason}\n驳回理由：{note}"[:MAX_TEXT]
            session.flush()
            return self._view(session, row)

    # --- objections -------------------------------------------------------------------

    def lodge_objection(self, entry_id: str, grounds: str,
                        expected_version: int | None = None) -> EntryView:
        """An objection to a deduction, accepted within the window after its date."""
        text = require_text(grounds, FIELD_OBJECTION, MAX_TEXT)
        with self._write() as session:
            row = self._row(session, entry_id, expected_version)
            # A suggestion is not in force yet: the supervisor confirms or dismisses it.
            if row.kind is not ScoreKind.DEDUCTED or row.state is not ScoreState.CONFIRMED:
                raise RuleViolation(Text("只能对已确认的过错扣分提出异议。",
                                         "An objection can only be lodged against a "
                                         "confirmed deduction."))
            if row.objection:
                raise RuleViolation(Text("该扣分已提出过异议。",
                                         "An objection was already lodged against it."))
            start = _window_start(row)
            deadline = self.rules.objection_deadline(start)
            if self.today > deadline:
                days = self.rules.objection_days
                raise RuleViolation(Text(
                    f"异议期已过：须在扣分确认之日（{start}）起{days}日内、"
                    f"即 {deadline} 前提出，今天是 {self.today}。",
                    f"The objection window has closed: it had to be lodged within {days} "
                    f"days of the deduction's confirmation ({start}), by {deadline}; "
                    f"today is {self.today}."))
            row.objection = text
            row.objection_at = utc_now()
            session.flush()
            return self._view(session, row)

    def decide_objection(self, entry_id: str, upheld: bool, note: str,
                         expected_version: int | None = None) -> EntryView:
        """Decide an objection with a note; upheld voids the deduction."""
        text = require_text(note, FIELD_DECISION_NOTE, MAX_TEXT)
        with self._write() as session:
            row = self._row(session, entry_id, expected_version)
            if not row.objection:
                raise RuleViolation(Text("该扣分没有待复核的异议。",
                                         "There is no objection to decide on this entry."))
            if row.objection_upheld is not None:
                raise RuleViolation(Text("该异议已复核。", "The objection was already decided."))
            row.objection_upheld = upheld
            row.objection_decision = text
            if upheld:
                row.state = ScoreState.DISMISSED
            session.flush()
            return self._view(session, row)

    # --- balances, offsets, ranking ----------------------------------------------------

    def _totals(
        self, session: Session, kind: SubjectKind, first: dt.date, last: dt.date,
        subject_id: str | None = None,
    ) -> dict[str, Balance]:
        """Confirmed points per subject of [first, last], summed in SQL."""
        where = [ScoreEntry.deleted_at.is_(None), ScoreEntry.state == ScoreState.CONFIRMED,
                 ScoreEntry.occurred_on >= first, ScoreEntry.occurred_on <= last]
        sums: dict[str, dict[ScoreKind, int]] = {}
        queries = []
        if kind is SubjectKind.OFFICER:
            condition: ColumnElement[bool] = ScoreEntry.officer_id.is_not(None)
            if subject_id is not None:
                condition = ScoreEntry.officer_id == subject_id
            queries.append(select(ScoreEntry.officer_id, ScoreEntry.kind,
                                  func.sum(ScoreEntry.points))
                           .where(*where, condition)
                           .group_by(ScoreEntry.officer_id, ScoreEntry.kind))
        else:
            own = and_(ScoreEntry.officer_id.is_(None), ScoreEntry.unit_id.is_not(None))
            if subject_id is not None:
                own = and_(ScoreEntry.officer_id.is_(None), ScoreEntry.unit_id == subject_id)
            queries.append(select(ScoreEntry.unit_id, ScoreEntry.kind, func.sum(ScoreEntry.points))
                           .where(*where, own).group_by(ScoreEntry.unit_id, ScoreEntry.kind))
            roster = Officer.unit_id.is_not(None) if subject_id is None else (
                Officer.unit_id == subject_id)
            queries.append(select(Officer.unit_id, ScoreEntry.kind, func.sum(ScoreEntry.points))
                           .join(Officer, Officer.id == ScoreEntry.officer_id)
                           .where(*where, roster).group_by(Officer.unit_id, ScoreEntry.kind))
        for query in queries:
            for sid, entry_kind, total in session.execute(query):
                if sid is None:
                    continue
                per = sums.setdefault(sid, {})
                per[entry_kind] = per.get(entry_kind, 0) + int(total or 0)
        return {
            sid: Balance(per.get(ScoreKind.EARNED, 0), per.get(ScoreKind.DEDUCTED, 0),
                         per.get(ScoreKind.OFFSET, 0))
            for sid, per in sums.items()
        }

    def balance(self, kind: SubjectKind, subject_id: str, month: dt.date) -> Balance:
        first, last = month_range(month)
        with self._db.read() as session:
            return self._totals(session, kind, first, last, subject_id).get(
                subject_id, Balance(0, 0, 0))

    def offset(self, kind: SubjectKind, subject_id: str, month: dt.date,
               points: int | None = None) -> EntryView:
        """积分消抵: earned points of ``month`` offset its deductions; at most what is
        left on both sides (None: all of it). Recorded as an entry of the month's last
        day (or today, if the month is the current one)."""
        first, last = month_range(month)
        with self._write() as session:
            if kind is SubjectKind.OFFICER:
                self._check_subject(session, subject_id, None)
            else:
                self._check_subject(session, None, subject_id)
            available = self._totals(session, kind, first, last, subject_id).get(
                subject_id, Balance(0, 0, 0)).offsettable
            amount = available if points is None else points
            if available <= 0:
                raise RuleViolation(Text(
                    f"{first:%Y年%m月}没有可消抵的积分（须同时有未消抵的达标得分和过错扣分）。",
                    f"Nothing to offset in {first:%Y-%m}: it needs both earned points and "
                    "deductions not yet offset."))
            if amount <= 0 or amount > available:
                raise ValidationError(FIELD_POINTS, Text(
                    f"须在 1 至 {available} 之间", f"must be from 1 to {available}"))
            rule = next((r for r in self.rules.rules if r.kind is ScoreKind.OFFSET), None)
            row = ScoreEntry(
                officer_id=subject_id if kind is SubjectKind.OFFICER else None,
                unit_id=subject_id if kind is SubjectKind.UNIT else None,
                kind=ScoreKind.OFFSET, points=amount, rule_code=rule.code if rule else "offset",
                reason=rule.name.zh if rule else "积分消抵", occurred_on=min(last, self.today),
                state=ScoreState.CONFIRMED,
            )
            session.add(row)
            session.flush()
            return self._view(session, row)

    def _subjects(self, session: Session, kind: SubjectKind) -> dict[str, tuple[str, str]]:
        """Active officers (case officers and leaders) or units: id → (name, unit name)."""
        if kind is SubjectKind.OFFICER:
            rows = session.execute(
                select(Officer.id, Officer.name, Unit.name)
                .outerjoin(Unit, Unit.id == Officer.unit_id)
                .where(Officer.deleted_at.is_(None), Officer.active.is_(True))
            )
            return {oid: (name, unit or "") for oid, name, unit in rows}
        return {uid: (name, name) for uid, name in session.execute(
            select(Unit.id, Unit.name).where(Unit.deleted_at.is_(None)))}

    def ranking(self, kind: SubjectKind, month: dt.date) -> list[RankingRow]:
        """The month's ranking, best first, with the bottom places marked. Every
        active officer (or unit) is ranked, with or without entries: no entries is
        the base score."""
        first, last = month_range(month)
        with self._db.read() as session:
            totals = self._totals(session, kind, first, last)
            subjects = self._subjects(session, kind)
            if kind is SubjectKind.OFFICER:
                # Officers with no entry at all and not case officers (the operator, bureau
                # leaders) are not ranked.
                involved = set(totals) | set(session.scalars(
                    select(Officer.id).where(Officer.role == "case_officer")))
                subjects = {k: v for k, v in subjects.items() if k in involved}
        ranked = rank(((sid, name, totals.get(sid, Balance(0, 0, 0)))
                       for sid, (name, _unit) in subjects.items()),
                      self.rules.base_score, self.rules.bottom[kind])
        return [
            RankingRow(kind, r.subject_id, r.name, subjects[r.subject_id][1], r.balance.earned,
                       r.balance.deducted, r.balance.offset, r.score, r.place, r.bottom)
            for r in ranked
        ]

    def alerts(self, as_of: dt.date | None = None) -> list[Alert]:
        """Officers and units whose confirmed deductions over the threshold period
        ending ``as_of`` (default today) reach the warning or critical threshold."""
        last = as_of or self.today
        first = last - dt.timedelta(days=self.rules.threshold_days - 1)
        found: list[Alert] = []
        with self._db.read() as session:
            for kind in SubjectKind:
                totals = self._totals(session, kind, first, last)
                names = self._subjects(session, kind)
                threshold = self.rules.thresholds[kind]
                for sid, total, level in alert_levels(
                    [(sid, bal.deducted) for sid, bal in totals.items()], threshold
                ):
                    limit = threshold.critical if level is AlertLevel.CRITICAL else (
                        threshold.warning)
                    found.append(Alert(kind, sid, names.get(sid, ("", ""))[0], total, level,
                                       limit, first, last))
        return found

    # --- export -------------------------------------------------------------------------

    def export_xlsx(self, month: dt.date, target: Path, *, language: str = "zh") -> Path:
        """The month's rankings (officers, units) and its entries as an XLSX workbook."""
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill

        from lawsup_desktop.services.ledger_export import _replacing

        first, last = month_range(month)
        workbook = Workbook()
        bold = Font(bold=True)
        marked = PatternFill("solid", fgColor="F4CCCC")

        def tr(text: Text) -> str:
            return text.in_language(language)

        def sheet(title: Text, header: list[Text], index: int) -> Any:
            ws = workbook.active if index == 0 else workbook.create_sheet()
            ws.title = tr(title)[:31]
            ws.append([tr(h) for h in header])
            for cell in ws[1]:
                cell.font = bold
            ws.freeze_panes = "A2"
            return ws

        header = [Text("名次", "Place"), Text("名称", "Name"), Text("单位", "Unit"),
                  Text("达标得分", "Earned"), Text("过错扣分", "Deducted"),
                  Text("积分消抵", "Offset"), Text("考评分", "Score"),
                  Text("末位", "Bottom place")]
        for index, kind in enumerate(SubjectKind):
            title = Text(f"{first:%Y年%m月}{kind.label.zh}排名",
                         f"{kind.label.en} ranking {first:%Y-%m}")
            ws = sheet(title, header, index)
            for row in self.ranking(kind, month):
                ws.append([row.place, row.name, row.unit_name, row.earned, row.deducted,
                           row.offset, row.score, tr(Text("是", "yes")) if row.bottom else ""])
                if row.bottom:
                    for cell in ws[ws.max_row]:
                        cell.fill = marked
        ws = sheet(Text("积分明细", "Entries"),
                   [Text("日期", "Date"), Text("对象", "Subject"), Text("类别", "Kind"),
                    Text("分值", "Points"), Text("规则", "Rule"), Text("事由", "Reason"),
                    Text("状态", "State"), Text("异议", "Objection"),
                    Text("复核意见", "Decision")], 2)
        for entry in self.entries(first, last):
            ws.append([entry.occurred_on, entry.subject_name, tr(entry.kind.label),
                       entry.points, tr(entry.rule_name) if entry.rule_name else entry.rule_code,
                       entry.reason, tr(entry.state.label), entry.objection,
                       entry.objection_decision])
        with _replacing(target) as temp:
            workbook.save(temp)
        return target

