"""Deadlines of the station's open cases and coercive measures, and their warnings.

Rules and the holiday calendar: the bureau's synced ``DeadlineRule`` and
``HolidayPeriod`` rows take precedence (a rule by its code, the calendar by
year); otherwise the bundled tables in ``resources/rules`` apply.

Warnings are cleared one by one (逐一销账): a ``WarningClearance`` keeps the due
moment it cleared, so when an extension or a suspension moves the deadline the
warning comes back.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any, NamedTuple

from sqlalchemy import Select, String, case, func, or_, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.compiler import SQLCompiler

from lawsup_desktop.domain.calendar import HolidayRange, WorkingCalendar
from lawsup_desktop.domain.deadlines import (
    Anchor,
    DeadlineResult,
    DeadlineRule,
    DeadlineState,
    DueMoment,
    Extension,
    PeriodUnit,
    RuleBook,
    Suspension,
    compute_due,
    counting_bases_of,
    parse_rule,
    parse_rule_book,
    plain_due,
    state_at,
)
from lawsup_desktop.domain.errors import NotFoundError, RuleViolation, Text
from lawsup_desktop.domain.validation import require_text
from lawsup_desktop.domain.vocabulary import CaseKind, MeasureKind
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    Case,
    CasePerson,
    CoerciveMeasure,
    DeadlineAdjustment,
    HolidayPeriod,
    Officer,
    ProcuratorateReview,
    Unit,
    WarningClearance,
)
from lawsup_desktop.store.models import (
    DeadlineRule as DeadlineRuleRow,
)

FIELD_CLEARANCE_NOTE = Text("销账说明", "Clearance note")
FIELD_APPROVAL = Text("批准情况", "Approval")
FIELD_SUSPENSION_REASON = Text("中止事由", "Reason for the suspension")
_GONE = Text(
    "该期限已不存在（案件或强制措施已结束或被删除）。",
    "This deadline no longer exists (the case or measure ended or was deleted).",
)


# --- the bundled tables -------------------------------------------------------------


def _bundled(name: str) -> dict[str, Any]:
    resource = files("lawsup_desktop.resources") / "rules" / name
    document: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return document


def bundled_rules_document() -> dict[str, Any]:
    return _bundled("deadline_rules.json")


def holiday_ranges_from(document: Mapping[str, Any]) -> list[HolidayRange]:
    """The ranges of a holiday table shaped like the bundled JSON."""
    ranges = []
    for arrangement in document.get("arrangements", ()):
        provisional = arrangement.get("status") != "published"
        for period in arrangement.get("periods", ()):
            ranges.append(
                HolidayRange(
                    name=str(period["name"]),
                    first_day=dt.date.fromisoformat(period["first_day"]),
                    last_day=dt.date.fromisoformat(period["last_day"]),
                    is_workday=bool(period.get("is_workday", False)),
                    provisional=provisional,
                )
            )
    return ranges


def bundled_holiday_ranges() -> list[HolidayRange]:
    return holiday_ranges_from(_bundled("holidays_2025_2027.json"))


def bundled_reference_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The bundled tables as ``DeadlineRule`` and ``HolidayPeriod`` column values, for
    the bureau's service to publish (and the inverse of what :func:`load_rule_book`
    reads: the entry minus code, names and warn_days goes to ``params``)."""
    document = bundled_rules_document()
    bases = counting_bases_of(document)
    rules = []
    for entry in document["rules"]:
        rule = parse_rule(entry, bases)  # refuse to publish a bad entry
        rules.append({
            "code": rule.code,
            "name_zh": rule.name.zh,
            "name_en": rule.name.en,
            "citation": rule.citation.text.zh,
            "params": {k: v for k, v in entry.items() if k not in ("code", "name", "warn_days")},
            "warn_days": rule.warn_days,
            "active": True,
        })
    holidays = [
        {"name": r.name, "first_day": r.first_day, "last_day": r.last_day,
         "is_workday": r.is_workday}
        for r in bundled_holiday_ranges()
    ]
    return rules, holidays


# --- rules and calendar, store first ---------------------------------------------------


@lru_cache(maxsize=1)
def _bundled_book() -> tuple[RuleBook, Mapping[str, Any]]:
    """The bundled rules table parsed once per process (it ships with the program),
    with its counting bases: each deadline read used to parse the JSON again."""
    document = bundled_rules_document()
    return parse_rule_book(document), counting_bases_of(document)


@lru_cache(maxsize=1)
def _bundled_ranges() -> tuple[HolidayRange, ...]:
    return tuple(bundled_holiday_ranges())


@lru_cache(maxsize=8)
def _calendar_of(ranges: tuple[HolidayRange, ...]) -> WorkingCalendar:
    """One calendar per arrangement (a calendar is never changed once made): the
    bundled one, or the bundled one with the years the bureau synced."""
    return WorkingCalendar(ranges)


def load_rule_book(session: Session | None) -> RuleBook:
    """The bundled rules, overridden by code by the bureau's synced rows (an inactive
    row withdraws the rule)."""
    book, bases = _bundled_book()
    if session is None:
        return book
    rows = session.scalars(
        select(DeadlineRuleRow).where(DeadlineRuleRow.deleted_at.is_(None))
    ).all()
    if not rows:
        return book
    rules: dict[str, DeadlineRule] = dict(book.rules)
    for row in rows:
        if not row.active:
            rules.pop(row.code, None)
            continue
        entry = {
            **(row.params or {}),
            "code": row.code,
            "name": {"zh": row.name_zh, "en": row.name_en},
            "warn_days": row.warn_days,
        }
        rules[row.code] = parse_rule(entry, bases)
    return RuleBook(rules)


def load_calendar(session: Session | None) -> WorkingCalendar:
    """The bundled arrangement, with every year the bureau has synced replaced by the
    synced rows of that year."""
    bundled = _bundled_ranges()
    if session is None:
        return _calendar_of(bundled)
    rows = session.execute(
        select(
            HolidayPeriod.name,
            HolidayPeriod.first_day,
            HolidayPeriod.last_day,
            HolidayPeriod.is_workday,
        ).where(HolidayPeriod.deleted_at.is_(None))
    ).all()
    synced = [
        HolidayRange(name, first, last, is_workday=is_workday)
        for name, first, last, is_workday in rows
    ]
    synced_years = {r.first_day.year for r in synced}
    kept = [r for r in bundled if r.first_day.year not in synced_years]
    return _calendar_of((*kept, *synced))


# --- what the UI gets -------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    """One due moment of an open case or measure (a person's measure names the person)."""

    subject_id: str  # the measure's id, or the case's for case-level rules
    rule_code: str
    rule_name: Text
    case_id: str
    case_no: str
    case_name: str
    person_name: str
    unit_id: str | None
    started_at: dt.datetime
    due: DueMoment
    state: DeadlineState
    days_left: int
    cleared: bool
    measure_kind: MeasureKind | None = None  # None for a case-level rule
    unit_name: str = ""
    officer_name: str = ""  # the case's lead officer (主办民警)


@dataclass(frozen=True)
class ClearanceInfo:
    id: str
    subject_id: str
    rule_code: str
    due_at: dt.datetime
    note: str


@dataclass(frozen=True)
class AdjustmentInfo:
    id: str
    subject_id: str
    rule_code: str
    kind: str  # "suspension" | "extension"
    due: DueMoment  # the due moment with this adjustment counted


class DueState(NamedTuple):
    """The state of one due moment of one subject."""

    subject_id: str
    rule_code: str
    due: DueMoment
    state: DeadlineState
    cleared: bool


@dataclass(frozen=True)
class DueGroup:
    """The subjects of one rule that share one due moment (hence one state)."""

    rule_code: str
    due: DueMoment
    state: DeadlineState
    subject_ids: list[str]


@dataclass(frozen=True)
class StationDeadlines:
    """Every due moment of the station at one ``now``, grouped: tens of thousands of
    measures fall on a few thousand due moments, so the states are counted per group
    and single items are made only for what is shown."""

    groups: tuple[DueGroup, ...]
    cleared: frozenset[tuple[str, str, dt.datetime]]

    def __len__(self) -> int:
        return sum(len(g.subject_ids) for g in self.groups)

    def __iter__(self) -> Iterator[DueState]:
        for group in self.groups:
            for subject_id in group.subject_ids:
                yield self.state_of(group, subject_id)

    def state_of(self, group: DueGroup, subject_id: str) -> DueState:
        cleared = bool(self.cleared) and (
            (subject_id, group.rule_code, group.due.deadline) in self.cleared
        )
        return DueState(subject_id, group.rule_code, group.due, group.state, cleared)

    def needing_attention(self, *, include_cleared: bool = False) -> list[DueState]:
        """临期, 今日到期 and 已逾期 items (uncleared ones unless asked)."""
        found = []
        for group in self.groups:
            if group.state is DeadlineState.NORMAL:
                continue
            for subject_id in group.subject_ids:
                state = self.state_of(group, subject_id)
                if include_cleared or not state.cleared:
                    found.append(state)
        return found

    def counts(self) -> dict[DeadlineState, int]:
        """All due moments by state (cleared warnings included)."""
        counts = dict.fromkeys(DeadlineState, 0)
        for group in self.groups:
            counts[group.state] += len(group.subject_ids)
        return counts


@dataclass(frozen=True)
class _Subject:
    subject_id: str
    measure_id: str | None
    case_id: str
    started_at: dt.datetime


def urgency_key(item: DueItem | DueState | DueGroup) -> tuple[int, dt.datetime]:
    """Most urgent first: by state (overdue first), then by the earlier deadline."""
    return (-item.state.rank, item.due.deadline)


class DeadlineService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # reads ---------------------------------------------------------------------------

    def rule_book(self) -> RuleBook:
        with self._db.read() as session:
            return load_rule_book(session)

    def calendar(self) -> WorkingCalendar:
        with self._db.read() as session:
            return load_calendar(session)

    def states(self, now: dt.datetime) -> StationDeadlines:
        """The state at ``now`` of every due moment of every open coercive measure and
        open case (the bulk path: grouped, unsorted)."""
        with self._db.read() as session:
            return _states(session, now)

    def due_items(self, now: dt.datetime) -> list[DueItem]:
        """Every due moment of every open measure and case with what the list shows,
        most urgent first."""
        with self._db.read() as session:
            return _items(session, list(_states(session, now)), now)

    def warnings(self, now: dt.datetime, *, include_cleared: bool = False) -> list[DueItem]:
        """The items that need attention (临期, 今日到期, 已逾期), most urgent first."""
        with self._db.read() as session:
            wanted = _states(session, now).needing_attention(include_cleared=include_cleared)
            return _items(session, wanted, now)

    def warning_counts(self, now: dt.datetime) -> dict[DeadlineState, int]:
        """Uncleared warnings by state (for the daily notification)."""
        counts = dict.fromkeys(
            (DeadlineState.APPROACHING, DeadlineState.DUE_TODAY, DeadlineState.OVERDUE), 0
        )
        for state in self.states(now).needing_attention():
            counts[state.state] += 1
        return counts

    def warning_keys(self, now: dt.datetime, *, include_normal: bool = False) -> list[DueState]:
        """The uncleared items of the 期限预警 list (with 正常 ones when asked), most
        urgent first, without what the list shows: the list fetches that per page
        through :meth:`rows`, so 30,000 items cost one grouped count, not 30,000 rows."""
        grouped = self.states(now)
        keys = []
        # Sorting the few thousand groups, not the items: a group shares one due moment.
        for group in sorted(grouped.groups, key=urgency_key):
            if group.state is DeadlineState.NORMAL and not include_normal:
                continue
            for subject_id in group.subject_ids:
                state = grouped.state_of(group, subject_id)
                if not state.cleared:
                    keys.append(state)
        return keys

    def rows(self, keys: Sequence[DueState], now: dt.datetime) -> list[DueItem]:
        """The shown items of ``keys`` (a page of :meth:`warning_keys`), in their order;
        an item whose case or measure is gone since is left out."""
        with self._db.read() as session:
            return _items(session, keys, now)

    def calculate(
        self,
        rule_code: str,
        start: dt.datetime,
        *,
        custody: bool = False,
        suspensions: Sequence[Suspension] = (),
        extensions: Sequence[Extension] = (),
    ) -> DeadlineResult:
        """The deadline calculator (the same counting as ``lawsup deadline``), with the
        station's rules and holiday calendar."""
        with self._db.read() as session:
            rule = load_rule_book(session).get(rule_code)
            if rule is None:
                raise NotFoundError(
                    Text(f"没有期限规则 {rule_code}", f"No deadline rule {rule_code}")
                )
            return compute_due(rule, start, load_calendar(session), custody=custody,
                               suspensions=suspensions, extensions=extensions)

    def explain(self, subject_id: str, rule_code: str, now: dt.datetime) -> DeadlineResult:
        """The counting steps of one item, for the detail view (a suspension still
        running counts up to ``now``)."""
        with self._db.read() as session:
            return _explain(session, subject_id, rule_code, now)

    # writes --------------------------------------------------------------------------

    def clear_warning(
        self,
        workstation: WorkstationInfo,
        subject_id: str,
        rule_code: str,
        note: str,
        now: dt.datetime,
    ) -> ClearanceInfo:
        """Clear one warning (逐一销账) with a note of what was done. It stays cleared as
        long as the deadline stays where it is."""
        text = require_text(note, FIELD_CLEARANCE_NOTE, max_length=2000)
        with self._db.write(workstation.actor) as session:
            item = next(
                (
                    i
                    for i in _states(session, now, subject_ids={subject_id})
                    if i.rule_code == rule_code
                ),
                None,
            )
            if item is None:
                raise NotFoundError(_GONE)
            if item.state is DeadlineState.NORMAL:
                raise RuleViolation(
                    Text("该期限尚未进入预警，无需销账。", "This deadline is not yet a warning.")
                )
            if item.cleared:
                raise RuleViolation(
                    Text("该预警已销账。", "This warning has already been cleared.")
                )
            row = WarningClearance(
                subject_id=subject_id,
                rule_code=rule_code,
                due_at=item.due.deadline,
                note=text,
                cleared_by_id=workstation.operator_id,
            )
            session.add(row)
            session.flush()
            return ClearanceInfo(row.id, subject_id, rule_code, row.due_at, text)

    def record_extension(
        self,
        workstation: WorkstationInfo,
        subject_id: str,
        rule_code: str,
        amount: int,
        approval: str,
    ) -> AdjustmentInfo:
        """Record an approved extension by ``amount`` units of the rule's period (days,
        or months for month-based rules). Refused beyond the statutory maximum."""
        approved = require_text(approval, FIELD_APPROVAL, max_length=200)
        return self._record(
            workstation, subject_id, rule_code,
            DeadlineAdjustment(kind="extension", extra_days=amount, approval=approved),
        )

    def record_suspension(
        self,
        workstation: WorkstationInfo,
        subject_id: str,
        rule_code: str,
        starts_at: dt.datetime,
        ends_at: dt.datetime | None,
        reason: str,
    ) -> AdjustmentInfo:
        """Record a pause of the clock (e.g. 鉴定); ``ends_at`` None while it lasts."""
        why = require_text(reason, FIELD_SUSPENSION_REASON, max_length=200)
        if ends_at is not None:
            Suspension(starts_at, ends_at)  # refuses an end before the start
        return self._record(
            workstation, subject_id, rule_code,
            DeadlineAdjustment(kind="suspension", starts_at=starts_at, ends_at=ends_at,
                               approval=why),
        )

    def _record(
        self, workstation: WorkstationInfo, subject_id: str, rule_code: str,
        row: DeadlineAdjustment,
    ) -> AdjustmentInfo:
        now = dt.datetime.now()
        with self._db.write(workstation.actor) as session:
            rule, subject = _find(session, subject_id, rule_code)
            row.case_id = subject.case_id
            row.measure_id = subject.measure_id
            row.rule_code = rule_code
            session.add(row)
            session.flush()
            # Count again with the new adjustment: the engine refuses an extension past
            # the maximum or a suspension the rule does not allow, and the write rolls back.
            suspensions, extensions = _adjustments_for(_adjustments(session, now), rule,
                                                       subject.subject_id)
            result = compute_due(rule, subject.started_at, load_calendar(session),
                                 suspensions=suspensions, extensions=extensions, explain=False)
            return AdjustmentInfo(row.id, subject_id, rule_code, row.kind, result.due)


# --- the computation -----------------------------------------------------------------

_Adjustments = Mapping[tuple[str, str], tuple[list[Suspension], list[Extension]]]
# Subjects that started on one day, or in one hour for hour-based rules: (start as
# "YYYY-MM-DD" or "YYYY-MM-DD HH", their ids). A plain period depends only on the
# start's day (its hour, for hour-based rules), so the deadlines of 50,000 measures
# are counted once per bucket.
_Bucket = tuple[str, list[str]]
_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


def _adjustments(session: Session, now: dt.datetime) -> _Adjustments:
    """Suspensions and extensions by (measure id or case id, rule code). A suspension
    still running (no end yet) counts up to ``now``."""
    found: dict[tuple[str, str], tuple[list[Suspension], list[Extension]]] = defaultdict(
        lambda: ([], [])
    )
    # Driver rows (text datetimes parsed here): a few thousand rows, no ORM overhead.
    query = select(
        DeadlineAdjustment.case_id,
        DeadlineAdjustment.measure_id,
        DeadlineAdjustment.rule_code,
        DeadlineAdjustment.kind,
        type_coerce(DeadlineAdjustment.starts_at, String),
        type_coerce(DeadlineAdjustment.ends_at, String),
        DeadlineAdjustment.extra_days,
        DeadlineAdjustment.approval,
    ).where(DeadlineAdjustment.deleted_at.is_(None))
    for case_id, measure_id, rule_code, kind, starts, ends, extra, approval in _driver_rows(
        session, query
    ):
        suspensions, extensions = found[(measure_id or case_id, rule_code)]
        if kind == "suspension" and starts is not None:
            begins = dt.datetime.fromisoformat(starts)
            until = dt.datetime.fromisoformat(ends) if ends is not None else now
            suspensions.append(Suspension(begins, max(until, begins)))
        elif kind == "extension" and extra:
            # extra_days holds the amount in the rule's own unit (months for Art. 156).
            extensions.append(Extension(extra, approval))
    return dict(found)


def _adjusted_subjects(adjustments: _Adjustments) -> dict[str, set[str]]:
    """The subjects with an adjustment, by rule code (built once, not once per rule)."""
    by_rule: dict[str, set[str]] = defaultdict(set)
    for subject_id, rule_code in adjustments:
        by_rule[rule_code].add(subject_id)
    return by_rule


def _adjustments_for(
    adjustments: _Adjustments, rule: DeadlineRule, subject_id: str
) -> tuple[Sequence[Suspension], Sequence[Extension]]:
    suspensions, extensions = adjustments.get((subject_id, rule.code), ([], []))
    if rule.extensions_from:
        # e.g. the 37-day detention limit grows with the approved request extension.
        extensions = [
            *extensions,
            *adjustments.get((subject_id, rule.extensions_from), ([], []))[1],
        ]
    return suspensions, extensions


def _start_key(column: Any, hourly: bool) -> Any:
    """A start's bucket: its hour (for hour-based rules) or its day. SQLite keeps
    DateTime as text "YYYY-MM-DD HH:MM:SS.ffffff": the first 13 characters are the
    hour, the first 10 the day. Day buckets are what day- and month-based periods
    need, and 24 times fewer than hour buckets for a year of starts."""
    return func.substr(type_coerce(column, String), 1, 13 if hourly else 10)


def _start_of(key: str) -> dt.datetime:
    """The moment a bucket key stands for: its hour, or its day at 00:00."""
    return dt.datetime.fromisoformat(f"{key}:00" if len(key) == 13 else key)


def _ids(column: Any) -> Any:
    return func.group_concat(column, ",")


def _open_measures(
    session: Session, subject_ids: set[str] | None, hourly_kinds: set[str]
) -> dict[str, list[_Bucket]]:
    """Open measures by kind, bucketed by start hour, in one query that SQLite answers
    from ix_coercive_measure_states alone and groups itself (an id list per bucket):
    50,000 measures come back as a few thousand rows. The measures of deleted persons
    or cases are left out by a list of those persons (normally empty), not by joining
    two more tables. Kinds with an hour-based rule are bucketed by hour, others by day."""
    by_day = _start_key(CoerciveMeasure.started_at, hourly=False)
    hour: Any = by_day
    if hourly_kinds:
        by_hour = _start_key(CoerciveMeasure.started_at, hourly=True)
        kind_code = type_coerce(CoerciveMeasure.kind, String)
        hour = case((kind_code.in_(sorted(hourly_kinds)), by_hour), else_=by_day)
    gone = select(CasePerson.id).where(
        or_(
            CasePerson.deleted_at.is_not(None),  # ix_case_person_deleted
            CasePerson.case_id.in_(select(Case.id).where(Case.deleted_at.is_not(None))),
        )
    )
    query = (
        select(type_coerce(CoerciveMeasure.kind, String), hour, _ids(CoerciveMeasure.id))
        .where(CoerciveMeasure.ended_at.is_(None), CoerciveMeasure.deleted_at.is_(None))
        .group_by(CoerciveMeasure.kind, hour)
    )
    # Usually nobody is deleted: then no measure needs checking against the list.
    if session.execute(gone.limit(1)).first() is not None:
        query = query.where(CoerciveMeasure.person_id.not_in(gone))
    if subject_ids is not None:
        query = query.where(CoerciveMeasure.id.in_(subject_ids))
    by_kind: dict[str, list[_Bucket]] = defaultdict(list)
    for kind, started, ids in _driver_rows(session, query):
        by_kind[kind].append((started, ids.split(",")))
    return by_kind


def _driver_rows(session: Session, query: Select[*tuple[Any, ...]]) -> list[Any]:
    """The rows of ``query`` as the driver returns them, on the session's connection
    (so in its snapshot). Only for columns whose driver values are what we want."""
    connection = session.connection()
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    assert isinstance(compiled, SQLCompiler)
    params = compiled.params
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), [params[name] for name in compiled.positiontup or ()])
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _open_cases(
    session: Session, rule: DeadlineRule, subject_ids: set[str] | None
) -> list[_Bucket]:
    anchor = Case.accepted_at if rule.anchor is Anchor.CASE_ACCEPTED else Case.registered_at
    hour = _start_key(anchor, hourly=rule.unit is PeriodUnit.HOURS)
    query = (
        select(hour, _ids(Case.id))
        .where(Case.deleted_at.is_(None), Case.closed_at.is_(None), anchor.is_not(None))
        .group_by(hour)
    )
    if rule.case_kind:
        query = query.where(Case.kind == CaseKind(rule.case_kind))
    if rule.ends_when == "case_registered":
        query = query.where(Case.registered_at.is_(None))
    if subject_ids is not None:
        query = query.where(Case.id.in_(subject_ids))
    return [(started, ids.split(",")) for started, ids in session.connection().execute(query)]


def _exact_starts(
    session: Session, rule: DeadlineRule, ids: Iterable[str]
) -> dict[str, dt.datetime]:
    """The exact start of a few subjects (those with adjustments: a suspension is
    clipped to the minute the period began)."""
    wanted = sorted(ids)
    found: dict[str, dt.datetime] = {}
    column: InstrumentedAttribute[dt.datetime | None] | InstrumentedAttribute[dt.datetime]
    if rule.anchor is Anchor.MEASURE:
        key, column = CoerciveMeasure.id, CoerciveMeasure.started_at
    elif rule.anchor is Anchor.CASE_ACCEPTED:
        key, column = Case.id, Case.accepted_at
    else:
        key, column = Case.id, Case.registered_at
    for offset in range(0, len(wanted), _CHUNK):
        query = select(key, type_coerce(column, String)).where(
            key.in_(wanted[offset:offset + _CHUNK])
        )
        found.update(
            {subject_id: dt.datetime.fromisoformat(started)
             for subject_id, started in _driver_rows(session, query) if started}
        )
    return found


def _requested(session: Session, measure_kind: str) -> set[str]:
    """Open measures of a kind whose case went to the procuratorate on or after the
    measure's day: the request deadline is over for them."""
    query = (
        select(CoerciveMeasure.id)
        .join(CasePerson, CasePerson.id == CoerciveMeasure.person_id)
        .join(ProcuratorateReview, ProcuratorateReview.case_id == CasePerson.case_id)
        .where(
            CoerciveMeasure.ended_at.is_(None),
            CoerciveMeasure.kind == MeasureKind(measure_kind),
            ProcuratorateReview.deleted_at.is_(None),
            ProcuratorateReview.sent_on >= func.date(CoerciveMeasure.started_at),
        )
    )
    return set(session.scalars(query))


def _buckets_by_rule(
    session: Session, book: RuleBook, subject_ids: set[str] | None
) -> Iterable[tuple[DeadlineRule, list[_Bucket]]]:
    hourly_kinds = {
        rule.measure_kind or ""
        for rule in book
        if rule.anchor is Anchor.MEASURE and rule.unit is PeriodUnit.HOURS
    }
    measures = _open_measures(session, subject_ids, hourly_kinds)
    for rule in book:
        if rule.anchor is Anchor.MEASURE:
            buckets = measures.get(rule.measure_kind or "", [])
            if rule.ends_when == "procuratorate_request" and buckets:
                done = _requested(session, rule.measure_kind or "")
                if done:
                    buckets = [(hour, [i for i in ids if i not in done]) for hour, ids in buckets]
            yield rule, buckets
        elif rule.anchor in (Anchor.CASE_ACCEPTED, Anchor.CASE_REGISTERED):
            yield rule, _open_cases(session, rule, subject_ids)
        # Rules running from an incident report serve the calculator only so far.


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector over a bulk read: its passes, triggered by
    the tens of thousands of rows and lists made (none of them cyclic), cost a quarter
    of the time otherwise."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _states(
    session: Session, now: dt.datetime, subject_ids: set[str] | None = None
) -> StationDeadlines:
    with _gc_paused():
        return _count_states(session, now, subject_ids)


def _count_states(
    session: Session, now: dt.datetime, subject_ids: set[str] | None
) -> StationDeadlines:
    book = load_rule_book(session)
    calendar = load_calendar(session)
    adjustments = _adjustments(session, now)
    cleared = frozenset(
        (s, r, d)
        for s, r, d in session.execute(
            select(
                WarningClearance.subject_id, WarningClearance.rule_code, WarningClearance.due_at
            ).where(WarningClearance.deleted_at.is_(None))
        )
    )
    groups: list[DueGroup] = []
    adjusted_by_rule = _adjusted_subjects(adjustments)
    for rule, buckets in _buckets_by_rule(session, book, subject_ids):
        by_due: dict[DueMoment, DueGroup] = {}
        by_start: dict[str, DueGroup] = {}
        hours = rule.unit is PeriodUnit.HOURS
        adjusted = adjusted_by_rule.get(rule.code, set())
        if rule.extensions_from:
            adjusted = adjusted | adjusted_by_rule.get(rule.extensions_from, set())
        to_adjust: list[tuple[str, str]] = []
        for hour, ids in buckets:
            if adjusted and not adjusted.isdisjoint(ids):  # most buckets have none
                to_adjust.extend((i, hour) for i in ids if i in adjusted)
                ids = [i for i in ids if i not in adjusted]
            key = hour if hours else hour[:10]
            group = by_start.get(key)
            if group is None:
                due = plain_due(rule, _start_of(hour), calendar)
                group = by_start[key] = _group(by_due, rule, due, now)
            group.subject_ids.extend(ids)
        # Extensions alone depend on the start's day as plain periods do. A suspension
        # is clipped to the start: for an hour-based period that needs the exact start;
        # for days and months only dates count (see _in_whole_days), so subjects whose
        # start and suspensions fall on the same days share one computation.
        exact = _exact_starts(
            session, rule,
            [i for i, _hour in to_adjust if _adjustments_for(adjustments, rule, i)[0]],
        ) if hours else {}
        # Subjects by what their due moment depends on; each such set counted once.
        sharing: dict[tuple[object, ...], list[str]] = {}
        inputs: dict[tuple[object, ...], tuple[dt.datetime, Sequence[Suspension],
                                               Sequence[Extension]]] = {}
        for subject_id, hour in to_adjust:
            suspensions, extensions = _adjustments_for(adjustments, rule, subject_id)
            cache_key: tuple[object, ...]
            if suspensions and not hours:
                days = tuple((s.starts_at.date(), s.ends_at.date()) for s in suspensions)
                cache_key = (hour[:10], days, tuple(extensions))
            elif suspensions:
                cache_key = (exact.get(subject_id) or hour, tuple(suspensions), tuple(extensions))
            else:
                cache_key = (hour if hours else hour[:10], (), tuple(extensions))
            members = sharing.get(cache_key)
            if members is None:
                members = sharing[cache_key] = []
                start = exact.get(subject_id) or _start_of(hour)
                inputs[cache_key] = (start, suspensions, extensions)
            members.append(subject_id)
        for cache_key, members in sharing.items():
            start, suspensions, extensions = inputs[cache_key]
            if suspensions and not hours:
                start, suspensions = _in_whole_days(start, suspensions)
            due = compute_due(
                rule, start, calendar, suspensions=suspensions, extensions=extensions,
                explain=False,
            ).due
            _group(by_due, rule, due, now).subject_ids.extend(members)
        groups.extend(g for g in by_due.values() if g.subject_ids)
    return StationDeadlines(tuple(groups), cleared)


def _in_whole_days(
    start: dt.datetime, suspensions: Sequence[Suspension]
) -> tuple[dt.datetime, tuple[Suspension, ...]]:
    """The start and suspensions of a day- or month-based period moved to 00:00 of
    their days: the due moment stays the same (the starting day is not counted, a
    suspension counts whole calendar days and is clipped to the start's day, see
    compute_due; tests/unit/test_deadline_grouping.py checks it), and the computation
    can then be shared by every subject with the same days."""
    def day_of(moment: dt.datetime) -> dt.datetime:
        return dt.datetime.combine(moment.date(), dt.time())

    return day_of(start), tuple(
        Suspension(day_of(s.starts_at), day_of(s.ends_at)) for s in suspensions
    )


def _group(
    by_due: dict[DueMoment, DueGroup], rule: DeadlineRule, due: DueMoment, now: dt.datetime
) -> DueGroup:
    group = by_due.get(due)
    if group is None:
        group = by_due[due] = DueGroup(rule.code, due, state_at(due, rule.warn_days, now), [])
    return group


def _items(session: Session, states: Sequence[DueState], now: dt.datetime) -> list[DueItem]:
    """The states with what the list shows (case, person, measure, unit, officer), most
    urgent first (a stable sort: states already in that order keep theirs)."""
    book = load_rule_book(session)
    ids = sorted({s.subject_id for s in states})
    # subject id -> case id, case no, case name, person, unit, lead officer, measure kind,
    # start (None for a case, whose start depends on the rule: acceptance or registration).
    details: dict[
        str,
        tuple[str, str, str, str, str | None, str | None, MeasureKind | None, dt.datetime | None],
    ] = {}
    case_starts: dict[str, tuple[dt.datetime | None, dt.datetime | None]] = {}
    for offset in range(0, len(ids), _CHUNK):
        chunk = ids[offset:offset + _CHUNK]
        measures = session.execute(
            select(CoerciveMeasure.id, Case.id, Case.case_no, Case.name, CasePerson.name,
                   Case.unit_id, Case.lead_officer_id, CoerciveMeasure.kind,
                   CoerciveMeasure.started_at)
            .join(CasePerson, CasePerson.id == CoerciveMeasure.person_id)
            .join(Case, Case.id == CasePerson.case_id)
            .where(CoerciveMeasure.id.in_(chunk))
        )
        for measure_id, case_id, case_no, case_name, person, unit_id, lead, measured, begun in (
            measures
        ):
            details[measure_id] = (case_id, case_no, case_name, person, unit_id, lead, measured,
                                   begun)
        cases = session.execute(
            select(Case.id, Case.case_no, Case.name, Case.unit_id, Case.lead_officer_id,
                   Case.accepted_at, Case.registered_at).where(Case.id.in_(chunk))
        )
        for case_id, case_no, case_name, unit_id, lead, accepted, registered in cases:
            details[case_id] = (case_id, case_no, case_name, "", unit_id, lead, None, None)
            case_starts[case_id] = (accepted, registered)
    unit_names = _names_of(session, Unit, {d[4] for d in details.values()})
    officer_names = _names_of(session, Officer, {d[5] for d in details.values()})
    items = []
    for state in sorted(states, key=urgency_key):
        rule = book.get(state.rule_code)
        found = details.get(state.subject_id)
        if rule is None or found is None:
            continue
        case_id, case_no, case_name, person, unit_id, lead, kind, started = found
        if started is None:
            accepted, registered = case_starts[case_id]
            started = registered if rule.anchor is Anchor.CASE_REGISTERED else accepted
        if started is None:
            continue
        items.append(
            DueItem(
                subject_id=state.subject_id,
                rule_code=state.rule_code,
                rule_name=rule.name,
                case_id=case_id,
                case_no=case_no,
                case_name=case_name,
                person_name=person,
                unit_id=unit_id,
                started_at=started,
                due=state.due,
                state=state.state,
                days_left=(state.due.day - now.date()).days,
                cleared=state.cleared,
                measure_kind=kind,
                unit_name=unit_names.get(unit_id or "", ""),
                officer_name=officer_names.get(lead or "", ""),
            )
        )
    return items


def _names_of(session: Session, table: type[Unit] | type[Officer],
              ids: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted(i for i in ids if i)
    names: dict[str, str] = {}
    for offset in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            select(table.id, table.name).where(table.id.in_(wanted[offset:offset + _CHUNK]))
        )
        names.update({row_id: name for row_id, name in rows})
    return names


def _find(session: Session, subject_id: str, rule_code: str) -> tuple[DeadlineRule, _Subject]:
    """The rule and the open subject it runs for, with the exact start."""
    rule = load_rule_book(session).get(rule_code)
    if rule is None:
        raise NotFoundError(Text(f"没有期限规则 {rule_code}", f"No deadline rule {rule_code}"))
    only = RuleBook({rule.code: rule})
    is_open = any(
        subject_id in ids
        for _rule, buckets in _buckets_by_rule(session, only, {subject_id})
        for _hour, ids in buckets
    )
    start = _exact_starts(session, rule, [subject_id]).get(subject_id)
    if not is_open or start is None:
        raise NotFoundError(_GONE)
    if rule.anchor is not Anchor.MEASURE:
        return rule, _Subject(subject_id, None, subject_id, start)
    case_id = session.scalars(
        select(CasePerson.case_id)
        .join(CoerciveMeasure, CoerciveMeasure.person_id == CasePerson.id)
        .where(CoerciveMeasure.id == subject_id)
    ).one()
    return rule, _Subject(subject_id, subject_id, case_id, start)


def _explain(
    session: Session, subject_id: str, rule_code: str, now: dt.datetime
) -> DeadlineResult:
    rule, subject = _find(session, subject_id, rule_code)
    suspensions, extensions = _adjustments_for(_adjustments(session, now), rule, subject_id)
    return compute_due(rule, subject.started_at, load_calendar(session),
                       suspensions=suspensions, extensions=extensions)
