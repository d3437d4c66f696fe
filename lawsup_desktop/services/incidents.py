"""The incident list (警情与回访) and an incident's detail.

Filter and sort run in SQL, over a covering index (``ix_incident_list``), so
the wide rows are read only for what is on screen. At 200,000 incidents the
table model should work in windows: :meth:`IncidentQuery.page` gives the count
and one window of rows (offset/limit; the first paint is one call), and the
model asks for the next window as the user scrolls. :meth:`IncidentQuery.ids`
(every matching id in order, Anki-style) costs about a second for all 200,000
and suits exports and "select all", not every keystroke; :meth:`rows` turns
ids into display rows.

Counts and sorts avoid reading all 200,000 entries where they can (migration
0002's indexes): no filter is counted as "all rows minus the deleted ones", a
text search alone by the search index's own count; a filter on a vocabulary
column or the unit is counted from that column's index; a sort on one of them
reads the page group by group, each group newest first from its index
(:meth:`IncidentQuery._sort_groups`); caller and address sorts walk their index.

Follow-up states 待回访 and 逾期未回访 are derived from the due rule of
:mod:`lawsup_desktop.services.follow_ups` and "today", never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from lawsup_desktop.domain.calendar import WorkingCalendar
from lawsup_desktop.domain.errors import Text
from lawsup_desktop.domain.vocabulary import (
    CaseKind,
    Disposition,
    FollowUpState,
    IncidentCategory,
    KeyCategory,
    RectificationSource,
    RectificationState,
    WatchState,
)
from lawsup_desktop.services.follow_ups import (
    FollowUpRule,
    FollowUpView,
    follow_up_views,
    get_incident,
    load_calendar,
)
from lawsup_desktop.services.watch import WatchReviewView, watch_review_views
from lawsup_desktop.store import search
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    AuditEntry,
    Case,
    Incident,
    Officer,
    Rectification,
    Unit,
)
from lawsup_desktop.store.search import (
    ensure_search_current,
    search_terms,
)


class FollowUpStatus(StrEnum):
    """What the list shows and filters on in the follow-up column."""

    NOT_REQUIRED = "not_required"  # the rule does not ask for one, and none was made
    DUE = "due"  # 待回访: needed, none yet, still within the period
    OVERDUE = "overdue"  # 逾期未回访
    DONE = "done"
    DISSATISFIED = "dissatisfied"
    UNREACHABLE = "unreachable"

    @property
    def label(self) -> Text:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    FollowUpStatus.NOT_REQUIRED: Text("无需回访", "Not required"),
    FollowUpStatus.DUE: Text("待回访", "Due"),
    FollowUpStatus.OVERDUE: Text("逾期未回访", "Overdue"),
    FollowUpStatus.DONE: Text("已回访", "Followed up"),
    FollowUpStatus.DISSATISFIED: Text("不满意", "Dissatisfied"),
    FollowUpStatus.UNREACHABLE: Text("未联系上", "Unreachable"),
}


class SortKey(StrEnum):
    RECEIVED_AT = "received_at"
    INCIDENT_NO = "incident_no"
    CATEGORY = "category"
    KEY_CATEGORY = "key_category"
    UNIT = "unit"
    DISPOSITION = "disposition"
    WATCH_STATE = "watch_state"
    FOLLOW_UP_STATE = "follow_up_state"
    CALLER = "caller_name"
    ADDRESS = "address"


@dataclass(frozen=True)
class IncidentFilter:
    """The list's filters; empty collections mean "any". Dates are inclusive."""

    received_from: dt.date | None = None
    received_to: dt.date | None = None
    categories: frozenset[IncidentCategory] = frozenset()
    key_only: bool = False
    key_categories: frozenset[KeyCategory] = frozenset()
    dispositions: frozenset[Disposition] = frozenset()
    unit_ids: frozenset[str] = frozenset()
    watch_states: frozenset[WatchState] = frozenset()
    follow_up: frozenset[FollowUpStatus] = frozenset()
    text: str = ""


@dataclass(frozen=True)
class IncidentRow:
    """One line of the list."""

    id: str
    version: int
    incident_no: str
    received_at: dt.datetime
    category: IncidentCategory
    is_key: bool
    key_category: KeyCategory | None
    address: str
    summary: str
    caller_name: str
    caller_phone: str
    unit_id: str | None
    unit_name: str
    disposition: Disposition | None
    watch_state: WatchState
    follow_up_state: FollowUpState
    follow_up_status: FollowUpStatus
    follow_up_due: dt.date | None


@dataclass(frozen=True)
class Page:
    total: int
    rows: list[IncidentRow]


@dataclass(frozen=True)
class LinkedCase:
    id: str
    case_no: str
    name: str
    kind: CaseKind
    cause: str


@dataclass(frozen=True)
class LinkedRectification:
    id: str
    number: str
    source: RectificationSource
    state: RectificationState
    due_date: dt.date
    description: str
    responsible_unit_name: str


@dataclass(frozen=True)
class AuditView:
    at: dt.datetime
    actor_name: str
    action: str
    entity: str
    entity_id: str
    changes: dict[str, Any]


@dataclass(frozen=True)
class IncidentDetail:
    row: IncidentRow
    handling_officer_name: str
    handling_notes: str
    created_at: dt.datetime
    updated_at: dt.datetime
    follow_ups: list[FollowUpView] = field(default_factory=list)
    watch_reviews: list[WatchReviewView] = field(default_factory=list)
    cases: list[LinkedCase] = field(default_factory=list)
    rectifications: list[LinkedRectification] = field(default_factory=list)
    audit_trail: list[AuditView] = field(default_factory=list)


def _order_of(kind: type[StrEnum], column: Any) -> Any:
    """Sort an enum column in the vocabulary's order (as the user reads the labels),
    not alphabetically by code."""
    return case({member.value: n for n, member in enumerate(kind)}, value=column, else_=-1)


_FOLLOW_UP_STORED = {
    FollowUpStatus.DONE: FollowUpState.DONE,
    FollowUpStatus.DISSATISFIED: FollowUpState.DISSATISFIED,
    FollowUpStatus.UNREACHABLE: FollowUpState.UNREACHABLE,
}


_VOCABULARY_SORTS: dict[SortKey, tuple[type[StrEnum], Any]] = {
    SortKey.CATEGORY: (IncidentCategory, Incident.category),
    SortKey.KEY_CATEGORY: (KeyCategory, Incident.key_category),
    SortKey.DISPOSITION: (Disposition, Incident.disposition),
    SortKey.WATCH_STATE: (WatchState, Incident.watch_state),
    SortKey.FOLLOW_UP_STATE: (FollowUpState, Incident.follow_up_state),
}
"""Sorts on a vocabulary column, in the vocabulary's order (see :func:`_order_of`)."""

_FEW_DELETED = 1000
"""Up to this many soft-deleted incidents, a search is counted as "matches minus the
deleted matches", each deleted incident checked on its own."""


class IncidentQuery:
    """Read side of the incident list. Every method is one short read."""

    def __init__(self, db: Database, rule: FollowUpRule | None = None) -> None:
        self._db = db
        self.rule = rule or FollowUpRule()

    # -- SQL building -------------------------------------------------------------

    def _conditions(
        self,
        session: Session,
        f: IncidentFilter,
        calendar: WorkingCalendar,
        today: dt.date,
        *,
        one_page: bool = False,
        matches: int | None = None,
    ) -> list[ColumnElement[bool]]:
        """The WHERE terms of a filter; ``one_page``: for a query with a small LIMIT;
        ``matches``: how many incidents the text matches, when already counted."""
        where: list[ColumnElement[bool]] = [Incident.deleted_at.is_(None)]
        if f.received_from is not None:
            where.append(Incident.received_at >= dt.datetime.combine(f.received_from, dt.time()))
        if f.received_to is not None:
            end = dt.datetime.combine(f.received_to + dt.timedelta(days=1), dt.time())
            where.append(Incident.received_at < end)
        if f.categories:
            where.append(Incident.category.in_(sorted(f.categories)))
        if f.key_only:
            where.append(Incident.is_key.is_(True))
        if f.key_categories:
            where.append(Incident.key_category.in_(sorted(f.key_categories)))
        if f.dispositions:
            where.append(Incident.disposition.in_(sorted(f.dispositions)))
        if f.unit_ids:
            where.append(Incident.unit_id.in_(sorted(f.unit_ids)))
        if f.watch_states:
            where.append(Incident.watch_state.in_(sorted(f.watch_states)))
        if f.follow_up:
            where.append(self._follow_up_condition(f.follow_up, calendar, today))
        terms = search_terms(f.text)
        if terms:
            connection = session.connection()
            per_row = search.per_row_threshold(connection) if one_page else 0
            if matches is None:
                cap = max(search.DENSE_MATCHES, per_row)
                matches = search.match_estimate(connection, terms, cap)
            where.append(
                search.matching_condition(
                    terms,
                    dense=matches >= search.DENSE_MATCHES,
                    per_row=one_page and matches >= per_row,
                )
            )
        return where

    def _follow_up_condition(
        self, wanted: frozenset[FollowUpStatus], calendar: WorkingCalendar, today: dt.date
    ) -> ColumnElement[bool]:
        stored = [_FOLLOW_UP_STORED[s] for s in sorted(wanted) if s in _FOLLOW_UP_STORED]
        parts: list[ColumnElement[bool]] = []
        if stored:
            parts.append(Incident.follow_up_state.in_(stored))
        none_yet = Incident.follow_up_state == FollowUpState.NONE
        bound = self.rule.overdue_before(calendar, today)
        if FollowUpStatus.DUE in wanted and FollowUpStatus.OVERDUE in wanted:
            # Both: no split at the bound, so that the term is one equality on
            # follow_up_state that ix_incident_follow_up_state answers in list order.
            parts.append(and_(none_yet, self.rule.requires()))
        elif FollowUpStatus.DUE in wanted:
            parts.append(and_(none_yet, self.rule.requires(), Incident.received_at >= bound))
        elif FollowUpStatus.OVERDUE in wanted:
            parts.append(and_(none_yet, self.rule.requires(), Incident.received_at < bound))
        if FollowUpStatus.NOT_REQUIRED in wanted:
            parts.append(and_(none_yet, ~self.rule.requires()))
        return or_(*parts)

    def _count(
        self, session: Session, f: IncidentFilter, where: list[ColumnElement[bool]]
    ) -> int:
        """How many incidents the filter lets through."""
        quick = self._quick_count(session, f)
        if quick is not None:
            return quick
        return int(session.scalar(select(func.count()).select_from(Incident).where(*where)) or 0)

    def _quick_count(self, session: Session, f: IncidentFilter) -> int | None:
        """The count of no filter, or of a text search alone, without reading the list's
        index: "every row minus the deleted ones" (SQLite counts a table's rows from
        its smallest b-tree, the deleted ones come from a partial index), and for a
        search, the search index's own count minus the deleted rows that match. At
        200,000 incidents: 17 → 2 ms, and a 1-character search 90 → 10 ms. None when
        it does not apply (other filters, or so many deleted rows that checking each
        would cost more)."""
        if f != IncidentFilter(text=f.text):
            return None
        deleted = Incident.deleted_at.is_not(None)  # the partial index ix_incident_deleted
        gone = int(session.scalar(select(func.count()).select_from(Incident).where(deleted)) or 0)
        terms = search_terms(f.text)
        if not terms:
            every = int(session.scalar(select(func.count()).select_from(Incident)) or 0)
            return every - gone
        if gone > _FEW_DELETED:
            return None
        found = search.count_matches(session.connection(), terms)
        if gone:
            found -= int(
                session.scalar(
                    select(func.count())
                    .select_from(Incident)
                    .where(deleted, search.matching_condition(terms, per_row=True))
                )
                or 0
            )
        return found

    def _sort_groups(
        self, session: Session, sort: SortKey, descending: bool
    ) -> list[list[ColumnElement[bool]]] | None:
        """For a sort on a column of a few values (a vocabulary, the unit): the groups
        of rows that share a sort value, in the sort's order (None for other sorts).
        Each group is a list of conditions that an index answers in ``received_at``
        order (ix_incident_<column>, ix_incident_unit), so a page is read group by
        group, a few index entries each, instead of sorting every row for one screen."""
        groups: list[list[ColumnElement[bool]]]
        if sort in _VOCABULARY_SORTS:
            kind, column = _VOCABULARY_SORTS[sort]
            groups = [[column == member] for member in kind]
            # NULL and codes outside the vocabulary (a newer program's) sort first, as
            # CASE ... ELSE -1 in _order_of does; the unknown codes as index ranges
            # between the known ones, not a NOT IN that only a full scan answers. Each
            # range is closed on both sides (codes are ASCII words, so "" and U+10FFFF
            # bound them): SQLite prefers the list's own index to a one-sided range.
            code = type_coerce(column, String)
            bounds = ["", *sorted(member.value for member in kind), "\U0010ffff"]
            other = [
                column.is_(None),
                and_(code >= bounds[0], code < bounds[1]),
                *(and_(code > low, code < high) for low, high in pairwise(bounds[1:])),
            ]
        elif sort == SortKey.UNIT:
            by_name: dict[str, list[str]] = {}
            for unit_id, name in session.execute(select(Unit.id, Unit.name)):
                by_name.setdefault(name, []).append(unit_id)
            # SQLite compares text by its UTF-8 bytes: the order of Python's code points.
            groups = [
                [Incident.unit_id == unit_id for unit_id in ids]
                for _name, ids in sorted(by_name.items())
            ]
            # No unit: a NULL name, first in ascending order (a foreign key keeps
            # unit_id to the units listed).
            other = [Incident.unit_id.is_(None)]
        else:
            return None
        ordered = [other, *groups]
        return ordered[::-1] if descending else ordered

    def _grouped_page(
        self,
        session: Session,
        where: list[ColumnElement[bool]],
        groups: list[list[ColumnElement[bool]]],
        offset: int,
        limit: int,
    ) -> list[str]:
        """One page of a sort by groups, ties within a group newest first as
        :meth:`_select_ids` orders them. Groups before the page are only counted."""
        ids: list[str] = []
        skip = offset
        for pieces in groups:
            wanted = limit - len(ids)
            if wanted <= 0:
                break
            if skip:
                size = sum(
                    int(
                        session.scalar(
                            select(func.count()).select_from(Incident).where(*where, piece)
                        )
                        or 0
                    )
                    for piece in pieces
                )
                if size <= skip:
                    skip -= size
                    continue
            newest_first = Incident.received_at.desc()
            if len(pieces) == 1:
                query = select(Incident.id).where(*where, pieces[0]).order_by(newest_first)
                ids.extend(session.scalars(query.offset(skip).limit(wanted)))
            else:
                # Each piece in its index order, merged: the group's first skip + wanted.
                found: list[tuple[dt.datetime, str]] = []
                for piece in pieces:
                    timed = select(Incident.received_at, Incident.id).where(*where, piece)
                    rows = session.execute(timed.order_by(newest_first).limit(skip + wanted))
                    found.extend((received, incident_id) for received, incident_id in rows)
                found.sort(key=lambda row: row[0], reverse=True)
                ids.extend(incident_id for _received, incident_id in found[skip : skip + wanted])
            skip = 0
        return ids

    def _select_ids(
        self, where: list[ColumnElement[bool]], sort: SortKey, descending: bool
    ) -> Select[str]:
        query = select(Incident.id).where(*where)
        key: Any
        if sort == SortKey.UNIT:
            query = query.outerjoin(Unit, Unit.id == Incident.unit_id)
            key = Unit.name
        elif sort == SortKey.CATEGORY:
            key = _order_of(IncidentCategory, Incident.category)
        elif sort == SortKey.KEY_CATEGORY:
            key = _order_of(KeyCategory, Incident.key_category)
        elif sort == SortKey.DISPOSITION:
            key = _order_of(Disposition, Incident.disposition)
        elif sort == SortKey.WATCH_STATE:
            key = _order_of(WatchState, Incident.watch_state)
        elif sort == SortKey.FOLLOW_UP_STATE:
            key = _order_of(FollowUpState, Incident.follow_up_state)
        else:
            key = getattr(Incident, SortKey(sort).value)
        order = [key.desc() if descending else key.asc()]
        if sort != SortKey.RECEIVED_AT:
            # Ties keep the newest first, whatever the direction of the chosen column.
            order.append(Incident.received_at.desc())
        return query.order_by(*order)

    def _prepare(self, f: IncidentFilter) -> None:
        if search_terms(f.text):
            self.prepare_search()

    def prepare_search(self) -> None:
        """Bring the search index up to date (once a session it also checks every
        document against its incident): cheap after the first call, so a list can
        run it in the background before the first search is typed."""
        ensure_search_current(self._db)

    # -- the list ----------------------------------------------------------------

    def ids(
        self,
        f: IncidentFilter = IncidentFilter(),
        sort: SortKey = SortKey.RECEIVED_AT,
        descending: bool = True,
        *,
        today: dt.date | None = None,
    ) -> list[str]:
        """The ids of every incident the filter lets through, in the sort's order."""
        self._prepare(f)
        with self._db.read() as session:
            where = self._conditions(session, f, load_calendar(session), today or dt.date.today())
            return list(session.scalars(self._select_ids(where, sort, descending)))

    def count(self, f: IncidentFilter = IncidentFilter(), *, today: dt.date | None = None) -> int:
        self._prepare(f)
        with self._db.read() as session:
            where = self._conditions(session, f, load_calendar(session), today or dt.date.today())
            return self._count(session, f, where)

    def page(
        self,
        f: IncidentFilter = IncidentFilter(),
        sort: SortKey = SortKey.RECEIVED_AT,
        descending: bool = True,
        *,
        offset: int = 0,
        limit: int = 100,
        today: dt.date | None = None,
    ) -> Page:
        """A count and one page of rows: the first paint of the list."""
        today = today or dt.date.today()
        self._prepare(f)
        with self._db.read() as session:
            calendar = load_calendar(session)
            quick = self._quick_count(session, f)
            # A text search alone, near the top, in an indexed order: the page's rows
            # come first in the index, so its terms can be checked row by row.
            one_page = (
                f == IncidentFilter(text=f.text)
                and sort in (SortKey.RECEIVED_AT, SortKey.INCIDENT_NO)
                and offset + limit <= 1000
            )
            terms = search_terms(f.text)
            if one_page and terms and quick is not None:
                # Row by row only when the terms together match often enough that the
                # page's rows come within the first index entries (see PER_ROW_SHARE).
                one_page = quick >= search.per_row_threshold(session.connection())
            # One term just counted: that count is the estimate the plan needs.
            known = quick if quick is not None and len(terms) == 1 else None
            where = self._conditions(session, f, calendar, today, one_page=one_page, matches=known)
            if quick is not None:
                total = quick
            else:
                # Row-by-row search terms suit one page, not a count of every row.
                counted = self._conditions(session, f, calendar, today) if one_page else where
                total = int(
                    session.scalar(select(func.count()).select_from(Incident).where(*counted))
                    or 0
                )
            groups = self._sort_groups(session, sort, descending)
            if groups is not None:
                page_ids = self._grouped_page(session, where, groups, offset, limit)
            else:
                query = self._select_ids(where, sort, descending)
                page_ids = list(session.scalars(query.offset(offset).limit(limit)))
            return Page(total, self._rows(session, page_ids, calendar, today))

    def rows(self, ids: Sequence[str], *, today: dt.date | None = None) -> list[IncidentRow]:
        """Display rows for these ids, in the same order (missing ids are skipped)."""
        with self._db.read() as session:
            return self._rows(session, ids, load_calendar(session), today or dt.date.today())

    def _rows(
        self, session: Session, ids: Sequence[str], calendar: WorkingCalendar, today: dt.date
    ) -> list[IncidentRow]:
        found: dict[str, IncidentRow] = {}
        for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
            chunk = list(ids[start : start + 500])
            for incident, unit_name in session.execute(
                select(Incident, Unit.name)
                .outerjoin(Unit, Unit.id == Incident.unit_id)
                .where(Incident.id.in_(chunk))
            ):
                found[incident.id] = self._row(incident, unit_name, calendar, today)
        return [found[i] for i in ids if i in found]

    def follow_up_status(
        self, incident: Incident, calendar: WorkingCalendar, today: dt.date
    ) -> tuple[FollowUpStatus, dt.date | None]:
        state = incident.follow_up_state
        if state != FollowUpState.NONE:
            return FollowUpStatus(state.value), None
        if not self.rule.applies_to(incident.is_key, incident.category):
            return FollowUpStatus.NOT_REQUIRED, None
        due = self.rule.due_date(calendar, incident.received_at)
        return (FollowUpStatus.OVERDUE if due < today else FollowUpStatus.DUE), due

    def _row(
        self, i: Incident, unit_name: str | None, calendar: WorkingCalendar, today: dt.date
    ) -> IncidentRow:
        status, due = self.follow_up_status(i, calendar, today)
        return IncidentRow(
            id=i.id,
            version=i.version,
            incident_no=i.incident_no,
            received_at=i.received_at,
            category=i.category,
            is_key=i.is_key,
            key_category=i.key_category,
            address=i.address,
            summary=i.summary,
            caller_name=i.caller_name,
            caller_phone=i.caller_phone,
            unit_id=i.unit_id,
            unit_name=unit_name or "",
            disposition=i.disposition,
            watch_state=i.watch_state,
            follow_up_state=i.follow_up_state,
            follow_up_status=status,
            follow_up_due=due,
        )

    # -- the detail ----------------------------------------------------------------

    def detail(self, incident_id: str, *, today: dt.date | None = None) -> IncidentDetail:
        today = today or dt.date.today()
        with self._db.read() as session:
            incident = get_incident(session, incident_id)
            unit = session.get(Unit, incident.unit_id) if incident.unit_id else None
            officer = (
                session.get(Officer, incident.handling_officer_id)
                if incident.handling_officer_id
                else None
            )
            row = self._row(incident, unit.name if unit else None, load_calendar(session), today)
            follow_ups = follow_up_views(session, incident.id)
            reviews = watch_review_views(session, incident.id)
            cases = [
                LinkedCase(c.id, c.case_no, c.name, c.kind, c.cause)
                for c in session.scalars(
                    select(Case)
                    .where(Case.incident_id == incident.id, Case.deleted_at.is_(None))
                    .order_by(Case.accepted_at)
                )
            ]
            follow_up_ids = [f.id for f in follow_ups]
            review_ids = [r.id for r in reviews]
            responsible = aliased(Unit)
            rect_rows = session.execute(
                select(Rectification, responsible.name)
                .outerjoin(responsible, responsible.id == Rectification.responsible_unit_id)
                .where(
                    Rectification.deleted_at.is_(None),
                    or_(
                        Rectification.incident_id == incident.id,
                        Rectification.follow_up_id.in_(follow_up_ids),
                        Rectification.watch_review_id.in_(review_ids),
                    ),
                )
                .order_by(Rectification.created_at)
            ).all()
            rectifications = [
                LinkedRectification(
                    r.id, r.number, r.source, r.state, r.due_date, r.description, unit_name or ""
                )
                for r, unit_name in rect_rows
            ]
            subjects = [incident.id, *follow_up_ids, *review_ids]
            audit = [
                AuditView(a.at, a.actor_name, a.action, a.entity, a.entity_id, dict(a.changes))
                for a in session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.entity_id.in_(subjects))
                    .order_by(AuditEntry.at, AuditEntry.id)
                )
            ]
            return IncidentDetail(
                row=row,
                handling_officer_name=officer.name if officer else "",
                handling_notes=incident.handling_notes,
                created_at=incident.created_at,
                updated_at=incident.updated_at,
                follow_ups=follow_ups,
                watch_reviews=reviews,
                cases=cases,
                rectifications=rectifications,
                audit_trail=audit,
            )


def unit_choices(db: Database) -> list[tuple[str, str]]:
    """(id, name) of the units, for the unit filter."""
    with db.read() as session:
        return [
            (u.id, u.name)
            for u in session.scalars(
                select(Unit).where(Unit.deleted_at.is_(None)).order_by(Unit.name)
            )
        ]
