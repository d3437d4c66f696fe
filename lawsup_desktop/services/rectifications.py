"""The rectification ledger (整改台账): items from finding to sign-off.

Other services raise items inside their own unit of work with
:func:`create_rectification`; the ledger page and the command line go through
:class:`RectificationService`, one unit of work per user action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    case,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from lawsup_desktop.domain.errors import (
    ConflictError,
    NotFoundError,
    RuleViolation,
    Text,
    ValidationError,
)
from lawsup_desktop.domain.rectification import (
    DEFAULT_ESCALATION_DAYS,
    FIELD_REASON,
    NUMBER_PREFIX,
    DueStatus,
    EscalationLevel,
    TransitionKind,
    check_sign_off,
    check_transition,
    days_overdue,
    due_status,
    escalation_due,
    rectification_number,
)
from lawsup_desktop.domain.validation import require_text
from lawsup_desktop.domain.vocabulary import (
    RectificationSource,
    RectificationState,
    RiskLevel,
    Role,
)
from lawsup_desktop.services.attachments import AttachmentStore
from lawsup_desktop.store.audit import Actor
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    Attachment,
    CaseAudit,
    FollowUp,
    Incident,
    Officer,
    ProblemType,
    Rectification,
    RectificationEvent,
    Unit,
    WatchReview,
)

FIELD_DESCRIPTION = Text("问题描述", "Problem description")
FIELD_PROBLEM_TYPE = Text("问题类型", "Problem type")
FIELD_UNIT = Text("责任单位", "Responsible unit")
FIELD_OFFICER = Text("责任人", "Responsible officer")
FIELD_DUE_DATE = Text("整改期限", "Due date")
FIELD_SOURCE = Text("来源", "Source")
FIELD_AUTHORITY = Text("督办单位", "Assigning authority")
FIELD_MEASURES = Text("整改措施", "Measures")
FIELD_SOURCE_NOTE = Text("来源说明", "Source note")

MAX_DESCRIPTION = 2000
MAX_MEASURES = 4000

# Which link each source must keep back to what raised it (issue 5, point 1).
_REQUIRED_LINK: dict[RectificationSource, tuple[str, ...]] = {
    RectificationSource.DAILY_WATCH: ("watch_review_id", "incident_id"),
    RectificationSource.FOLLOW_UP: ("follow_up_id",),
    RectificationSource.CASE_AUDIT: ("audit_id",),
}
_LINK_TYPES: dict[str, type] = {
    "incident_id": Incident,
    "follow_up_id": FollowUp,
    "audit_id": CaseAudit,
    "watch_review_id": WatchReview,
}


def _current_actor(session: Session) -> Actor:
    actor = session.info.get("actor")
    if not isinstance(actor, Actor):
        raise RuntimeError("rectifications are written only in a write session with an actor")
    return actor


def _require_row(session: Session, model: type, row_id: str | None, field: Text) -> None:
    if row_id is None:
        return
    row = session.get(model, row_id)
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise ValidationError(field, Text("所选记录不存在或已删除", "no such record (or deleted)"))


def _check_officer_in_unit(session: Session, officer_id: str | None, unit_id: str | None) -> None:
    if officer_id is None or unit_id is None:
        return
    officer = session.get(Officer, officer_id)
    if officer is not None and officer.unit_id is not None and officer.unit_id != unit_id:
        raise ValidationError(
            FIELD_OFFICER,
            Text("责任人不属于所选责任单位", "the officer does not belong to the responsible unit"),
        )


def allocate_number(session: Session, year: int) -> str:
    """The next free number of ``year`` (ZG-2026-00001...). Call it inside a write
    session: BEGIN IMMEDIATE holds the write lock, so no other writer can take the
    same number before this transaction commits."""
    prefix = f"{NUMBER_PREFIX}-{year:04d}-"
    # Ordered by length first: a year past 99,999 items gets six digits, which
    # would sort below "99999" as plain text.
    last = session.scalars(
        select(Rectification.number)
        .where(Rectification.number.startswith(prefix, autoescape=True))
        .order_by(func.length(Rectification.number).desc(), Rectification.number.desc())
        .limit(1)
    ).first()
    sequence = int(last[len(prefix):]) + 1 if last else 1
    return rectification_number(year, sequence)


def create_rectification(
    session: Session,
    *,
    source: RectificationSource,
    description: str,
    problem_type_id: str | None,
    responsible_unit_id: str | None,
    responsible_officer_id: str | None,
    due_date: date,
    risk_level: RiskLevel = RiskLevel.MEDIUM,
    measures: str = "",
    incident_id: str | None = None,
    follow_up_id: str | None = None,
    audit_id: str | None = None,
    watch_review_id: str | None = None,
    source_note: str = "",
    bureau_supervised: bool = False,
    assigning_authority: str = "",
    today: date | None = None,
) -> Rectification:
    """Raise a rectification item inside the caller's unit of work (a daily-watch
    finding, a dissatisfied follow-up, a case-audit problem...).

    The item starts in 待整改 with a "created" event by the session's actor; its
    number is allocated per year of ``today`` (default: the local date). Bad input
    raises :class:`ValidationError` naming the field, before anything is added.
    """
    actor = _current_actor(session)
    today = today or date.today()
    text = require_text(description, FIELD_DESCRIPTION, max_length=MAX_DESCRIPTION)
    measures = measures.strip()
    if len(measures) > MAX_MEASURES:
        require_text(measures, FIELD_MEASURES, max_length=MAX_MEASURES)
    if not isinstance(due_date, date):
        raise ValidationError(FIELD_DUE_DATE, Text("必须填写日期", "a date is required"))
    try:
        source = RectificationSource(source)
        risk_level = RiskLevel(risk_level)
    except ValueError as exc:
        raise ValidationError(FIELD_SOURCE, Text("取值无效", "invalid value")) from exc
    links = {
        "incident_id": incident_id,
        "follow_up_id": follow_up_id,
        "audit_id": audit_id,
        "watch_review_id": watch_review_id,
    }
    required = _REQUIRED_LINK.get(source)
    if required and not any(links[name] for name in required):
        raise ValidationError(
            FIELD_SOURCE,
            Text(
                f"来源为“{source.label.zh}”的整改事项必须关联其来源记录",
                f"an item from '{source.label.en}' must link to the record that raised it",
            ),
        )
    if len(source_note) > 200:
        require_text(source_note, FIELD_SOURCE_NOTE, max_length=200)
    authority = assigning_authority.strip()
    if source == RectificationSource.BUREAU:
        bureau_supervised = True
    if bureau_supervised:
        authority = require_text(authority, FIELD_AUTHORITY, max_length=100)
    for name, row_id in links.items():
        _require_row(session, _LINK_TYPES[name], row_id, FIELD_SOURCE)
    _require_row(session, ProblemType, problem_type_id, FIELD_PROBLEM_TYPE)
    _require_row(session, Unit, responsible_unit_id, FIELD_UNIT)
    _require_row(session, Officer, responsible_officer_id, FIELD_OFFICER)
    _check_officer_in_unit(session, responsible_officer_id, responsible_unit_id)

    item = Rectification(
        number=allocate_number(session, today.year),
        source=source,
        source_note=source_note.strip(),
        problem_type_id=problem_type_id,
        description=text,
        risk_level=risk_level,
        responsible_unit_id=responsible_unit_id,
        responsible_officer_id=responsible_officer_id,
        due_date=due_date,
        measures=measures,
        state=RectificationState.PENDING,
        bureau_supervised=bureau_supervised,
        assigning_authority=authority,
        escalation_level=0,
        **links,
    )
    session.add(item)
    session.flush()
    session.add(
        RectificationEvent(
            rectification_id=item.id,
            kind="created",
            from_state=None,
            to_state=RectificationState.PENDING.value,
            occurred_on=today,
            note=source.label.zh,
            actor_id=actor.id,
        )
    )
    return item


def get_rectification(session: Session, rectification_id: str) -> Rectification:
    item = session.get(Rectification, rectification_id)
    if item is None or item.deleted_at is not None:
        raise NotFoundError(
            Text("整改事项不存在或已删除。", "No such rectification item (or deleted).")
        )
    return item



# --- what the service returns -------------------------------------------------------


@dataclass(frozen=True)
class RectificationRow:
    """One line of the ledger, as of the service's ``today``."""

    id: str
    number: str
    source: RectificationSource
    problem_type: str  # the Chinese name of the negative-list entry, "" if none
    problem_type_en: str
    description: str
    risk_level: RiskLevel
    unit_name: str
    officer_name: str
    due_date: date
    state: RectificationState
    measures: str
    signed_off_on: date | None  # local date of the sign-off
    escalation_level: EscalationLevel
    bureau_supervised: bool
    version: int
    overdue_days: int
    due_status: DueStatus


@dataclass(frozen=True)
class EventView:
    """An entry of an item's history: who did what, and when."""

    id: str
    kind: str
    from_state: RectificationState | None
    to_state: RectificationState | None
    occurred_on: date
    note: str
    actor_name: str
    recorded_at: datetime


@dataclass(frozen=True)
class AttachmentView:
    id: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    path: Path


@dataclass(frozen=True)
class RectificationDetail:
    """An item with everything the item view shows."""

    row: RectificationRow
    source_note: str
    incident_id: str | None
    follow_up_id: str | None
    audit_id: str | None
    watch_review_id: str | None
    problem_type_id: str | None
    responsible_unit_id: str | None
    responsible_officer_id: str | None
    assigning_authority: str
    verification_note: str
    no_evidence_reason: str
    events: tuple[EventView, ...]
    attachments: tuple[AttachmentView, ...]

    @property
    def progress(self) -> tuple[EventView, ...]:
        return tuple(e for e in self.events if e.kind == PROGRESS)


@dataclass(frozen=True)
class EscalationDone:
    rectification_id: str
    number: str
    from_level: EscalationLevel
    to_level: EscalationLevel
    overdue_days: int


@dataclass(frozen=True)
class RectificationDraft:
    """What the user typed into the new-item form (manual entry)."""

    description: str
    due_date: date
    problem_type_id: str | None = None
    responsible_unit_id: str | None = None
    responsible_officer_id: str | None = None
    risk_level: RiskLevel = RiskLevel.MEDIUM
    measures: str = ""
    source: RectificationSource = RectificationSource.MANUAL
    source_note: str = ""
    bureau_supervised: bool = False
    assigning_authority: str = ""


class LedgerSortKey(StrEnum):
    NUMBER = "number"
    DUE_DATE = "due_date"
    RISK = "risk"
    STATE = "state"
    UNIT = "unit"
    OFFICER = "officer"
    PROBLEM_TYPE = "problem_type"
    SOURCE = "source"
    ESCALATION = "escalation"
    CREATED = "created"


@dataclass(frozen=True)
class LedgerFilter:
    """The ledger's filter; an empty set means "any". ``overdue`` and the due window
    are judged against the service's ``today``."""

    states: frozenset[RectificationState] = frozenset()
    risk_levels: frozenset[RiskLevel] = frozenset()
    unit_ids: frozenset[str] = frozenset()
    officer_ids: frozenset[str] = frozenset()
    problem_type_ids: frozenset[str] = frozenset()
    sources: frozenset[RectificationSource] = frozenset()
    escalation_levels: frozenset[int] = frozenset()
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool | None = None
    bureau_supervised: bool | None = None
    text: str = ""  # in the number or the description


@dataclass(frozen=True)
class LedgerSort:
    key: LedgerSortKey = LedgerSortKey.DUE_DATE
    descending: bool = False


@dataclass(frozen=True)
class LedgerView:
    """The ledger for one filter and sort: a window of its ids in order, how many
    there are in all, and counts per state (of the filter without its own state
    choice, for the header)."""

    ids: list[str]  # the window asked for
    total: int  # items the filter keeps, in all windows
    counts: dict[RectificationState, int]


NO_FILTER = LedgerFilter()
DEFAULT_SORT = LedgerSort()

PROGRESS = "progress"
REASSIGN = "reassign"
EXTEND = "extend_due"
ESCALATE = "escalate"
EDIT = "edit"
REMOVE_EVIDENCE = "remove_evidence"
SIGN_OFF_ROLES = frozenset({Role.SUPERVISOR, Role.LEGAL_OFFICER, Role.BUREAU_LEADER})

FIELD_PROGRESS = Text("整改进展", "Progress entry")
FIELD_PROGRESS_DATE = Text("进展日期", "Date of the progress entry")
FIELD_EXTENSION_REASON = Text("延期原因", "Reason for the extension")
FIELD_NO_EVIDENCE = Text("无需佐证原因", "Reason no evidence is needed")
FIELD_SELECTION = Text("所选整改事项", "Selected items")

_RISK_ORDER = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1, RiskLevel.LOW: 2}
_STATE_ORDER = {s: i for i, s in enumerate(RectificationState)}
_ROWS_CHUNK = 500  # ids per IN (...) query; well under SQLite's variable limit
_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")


def _conflict(number: str) -> ConflictError:
    return ConflictError(
        Text(
            f"整改事项 {number} 已在别处被修改（另一个窗口或同步），请刷新后再操作。",
            f"Rectification {number} was changed elsewhere (another window or a sync); "
            "refresh and try again.",
        )
    )


def _local_date(instant: datetime | None) -> date | None:
    return None if instant is None else instant.astimezone().date()


class RectificationService:
    """The ledger's actions and queries. ``clock`` gives "today" (tests move it)."""

    def __init__(
        self,
        db: Database,
        attachments_dir: Path,
        clock: Callable[[], date] = date.today,
        *,
        actor: Actor,
        escalation_days: int = DEFAULT_ESCALATION_DAYS,
    ) -> None:
        if escalation_days < 1:
            raise ValueError("escalation_days must be at least 1")
        self._db = db
        self._store = AttachmentStore(attachments_dir)
        self._clock = clock
        self._actor = actor
        self.escalation_days = escalation_days

    @property
    def today(self) -> date:
        return self._clock()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with self._db.write(self._actor) as session:
                yield session
        except StaleDataError as exc:
            # The UPDATE ... WHERE version = ? matched nothing: someone else won.
            raise ConflictError(
                Text(
                    "整改事项已在别处被修改，请刷新后再操作。",
                    "The item was changed elsewhere; refresh and try again.",
                )
            ) from exc

    def _event(
        self, session: Session, item: Rectification, kind: str, note: str = "",
        from_state: RectificationState | None = None, to_state: RectificationState | None = None,
        occurred_on: date | None = None,
    ) -> None:
        session.add(
            RectificationEvent(
                rectification_id=item.id,
                kind=kind,
                from_state=None if from_state is None else from_state.value,
                to_state=None if to_state is None else to_state.value,
                occurred_on=occurred_on or self.today,
                note=note,
                actor_id=self._actor.id,
            )
        )

    @staticmethod
    def _editable(session: Session, rectification_id: str, expected_version: int) -> Rectification:
        item = get_rectification(session, rectification_id)
        if item.version != expected_version:
            raise _conflict(item.number)
        return item

    # -- creating --------------------------------------------------------------------

    def create(self, draft: RectificationDraft) -> RectificationRow:
        """A manually entered item (手工录入, 执法巡查, 检察建议...). A 挂牌督办 item is
        the bureau's: it arrives by sync (sync/rules.py keeps its flag and assigning
        authority server-owned), so it cannot be typed in here."""
        if draft.source == RectificationSource.BUREAU or draft.bureau_supervised:
            raise ValidationError(
                FIELD_SOURCE,
                Text(
                    "挂牌督办事项由县局下发（随同步到达），不能在本机录入",
                    "bureau-supervised items come from the bureau by sync; they cannot be "
                    "entered here",
                ),
            )
        if draft.due_date < self.today:
            raise ValidationError(
                FIELD_DUE_DATE, Text("不能早于今天", "cannot be earlier than today")
            )
        with self._write() as session:
            item = create_rectification(
                session,
                source=draft.source,
                description=draft.description,
                problem_type_id=draft.problem_type_id,
                responsible_unit_id=draft.responsible_unit_id,
                responsible_officer_id=draft.responsible_officer_id,
                due_date=draft.due_date,
                risk_level=draft.risk_level,
                measures=draft.measures,
                source_note=draft.source_note,
                bureau_supervised=draft.bureau_supervised,
                assigning_authority=draft.assigning_authority,
                today=self.today,
            )
            session.flush()
            return self._rows(session, [item.id])[0]

    # -- states ----------------------------------------------------------------------

    def transition(
        self, rectification_id: str, to_state: RectificationState, note: str,
        expected_version: int,
    ) -> RectificationRow:
        """Move an item to ``to_state`` as the rules allow. Sign-off takes ``note`` as its
        verification note (see :meth:`sign_off` for the no-evidence reason)."""
        if to_state == RectificationState.SIGNED_OFF:
            return self.sign_off(rectification_id, note, "", expected_version)
        with self._write() as session:
            item = self._editable(session, rectification_id, expected_version)
            old = item.state
            kind = check_transition(old, to_state, note)
            item.state = to_state
            if kind == TransitionKind.REOPEN:
                # A reopened item needs a fresh verification before its next sign-off.
                item.signed_off_at = None
                item.signed_off_by_id = None
                item.verification_note = ""
            self._event(session, item, kind.value, note.strip(), old, to_state)
            session.flush()
            return self._rows(session, [item.id])[0]

    def reopen(self, rectification_id: str, reason: str, expected_version: int) -> RectificationRow:
        """Reopen a signed-off item (reason required); it goes back to 整改中."""
        with self._db.read() as session:
            state = get_rectification(session, rectification_id).state
        if state != RectificationState.SIGNED_OFF:
            raise RuleViolation(
                Text(
                    f"只有已销号的整改事项可以重新打开（当前：{state.label.zh}）。",
                    f"Only a signed-off item can be reopened (it is: {state.label.en}).",
                )
            )
        return self.transition(
            rectification_id, RectificationState.IN_PROGRESS, reason, expected_version
        )

    def sign_off(
        self, rectification_id: str, verification_note: str, no_evidence_reason: str,
        expected_version: int,
    ) -> RectificationRow:
        """销号: needs a verification note and evidence (or a reason none is needed)."""
        with self._write() as session:
            item = self._editable(session, rectification_id, expected_version)
            evidence = session.scalar(
                select(func.count()).select_from(Attachment).where(
                    Attachment.rectification_id == item.id, Attachment.deleted_at.is_(None)
                )
            ) or 0
            check_sign_off(item.state, verification_note, evidence, no_evidence_reason)
            self._check_may_sign_off(session, item)
            old = item.state
            item.state = RectificationState.SIGNED_OFF
            item.verification_note = verification_note.strip()
            item.no_evidence_reason = no_evidence_reason.strip()
            item.signed_off_at = datetime.now(UTC)
            item.signed_off_by_id = self._actor.id
            self._event(
                session, item, TransitionKind.SIGN_OFF.value, item.verification_note,
                old, item.state,
            )
            session.flush()
            return self._rows(session, [item.id])[0]

    def _check_may_sign_off(self, session: Session, item: Rectification) -> None:
        """销号 is the supervisor's verification: a supervisor (or the bureau's legal
        officers and leaders), and never the officer responsible for the item."""
        officer = session.get(Officer, self._actor.id) if self._actor.id else None
        if officer is None or officer.role not in SIGN_OFF_ROLES:
            raise RuleViolation(
                Text(
                    "只有法制监督员（或县局法制民警、局领导）可以销号。",
                    "Only the legal supervisor (or the bureau's legal officers and leaders) "
                    "may sign an item off.",
                )
            )
        if officer.id == item.responsible_officer_id:
            raise RuleViolation(
                Text(
                    f"{officer.name}是整改事项 {item.number} 的责任人，不能为自己的整改销号。",
                    f"{officer.name} is responsible for {item.number} and cannot sign it off.",
                )
            )

    # -- the item's record -------------------------------------------------------------

    def update_details(
        self, rectification_id: str, expected_version: int, *, description: str,
        measures: str, risk_level: RiskLevel, problem_type_id: str | None,
    ) -> RectificationRow:
        """Edit what the item says. Two windows editing one item: the second gets a
        :class:`ConflictError` instead of overwriting the first."""
        text = require_text(description, FIELD_DESCRIPTION, max_length=MAX_DESCRIPTION)
        measures = measures.strip()
        if len(measures) > MAX_MEASURES:
            require_text(measures, FIELD_MEASURES, max_length=MAX_MEASURES)
        with self._write() as session:
            item = self._editable(session, rectification_id, expected_version)
            if item.state == RectificationState.SIGNED_OFF:
                raise _signed_off(item.number)
            _require_row(session, ProblemType, problem_type_id, FIELD_PROBLEM_TYPE)
            item.description = text
            item.measures = measures
            item.risk_level = RiskLevel(risk_level)
            item.problem_type_id = problem_type_id
            if session.is_modified(item):
                self._event(session, item, EDIT)
            session.flush()
            return self._rows(session, [item.id])[0]

    def add_progress(self, rectification_id: str, entry_date: date, note: str) -> EventView:
        """A dated progress entry. Entries are rows of their own, appended, so two
        windows adding entries to one item never conflict nor lose one."""
        text = require_text(note, FIELD_PROGRESS, max_length=MAX_DESCRIPTION)
        if entry_date > self.today:
            raise ValidationError(
                FIELD_PROGRESS_DATE, Text("不能晚于今天", "cannot be later than today")
            )
        with self._write() as session:
            item = get_rectification(session, rectification_id)
            if item.state == RectificationState.SIGNED_OFF:
                raise _signed_off(item.number)
            self._event(session, item, PROGRESS, text, occurred_on=entry_date)
            session.flush()
            return self._events(session, item.id)[-1]

    def attach_evidence(self, rectification_id: str, source: Path) -> AttachmentView:
        """Store ``source`` (type by content, at most 20 MB) and attach it to the item.
        If the database write fails, a file this call stored and nothing else refers
        to is removed again: no orphaned files."""
        with self._db.read() as session:  # refuse early, before copying anything
            item = get_rectification(session, rectification_id)
            if item.state == RectificationState.SIGNED_OFF:
                raise _signed_off(item.number)
        stored = self._store.put(source)
        try:
            with self._write() as session:
                item = get_rectification(session, rectification_id)
                if item.state == RectificationState.SIGNED_OFF:
                    raise _signed_off(item.number)
                row = Attachment(
                    rectification_id=item.id,
                    sha256=stored.sha256,
                    size=stored.size,
                    media_type=stored.media_type,
                    file_name=source.name[:255],
                )
                session.add(row)
                session.flush()
                return _attachment_view(row, self._store)
        except BaseException:
            self._store.discard(stored, self._hash_referenced)
            raise

    def remove_evidence(self, attachment_id: str, reason: str) -> None:
        """Take a wrongly attached file off an open item (soft delete, with a reason in
        the item's history). The stored file stays: the audit trail refers to it."""
        text = require_text(reason, FIELD_REASON, max_length=500)
        with self._write() as session:
            row = session.get(Attachment, attachment_id)
            if row is None or row.deleted_at is not None or row.rectification_id is None:
                raise NotFoundError(Text("佐证材料不存在或已删除。", "No such evidence file."))
            item = get_rectification(session, row.rectification_id)
            if item.state == RectificationState.SIGNED_OFF:
                raise _signed_off(item.number)
            row.deleted_at = datetime.now(UTC)
            self._event(session, item, REMOVE_EVIDENCE, f"{row.file_name}：{text}")

    def _hash_referenced(self, sha256: str) -> bool:
        with self._db.read() as session:
            return session.scalar(
                select(func.count()).select_from(Attachment).where(Attachment.sha256 == sha256)
            ) != 0

    # -- bulk actions ------------------------------------------------------------------

    def _bulk_items(
        self, session: Session, ids: Sequence[str], expected_versions: Mapping[str, int] | None,
    ) -> list[Rectification]:
        if not ids:
            raise ValidationError(FIELD_SELECTION, Text("未选择任何整改事项", "nothing selected"))
        items = []
        for rectification_id in dict.fromkeys(ids):
            item = get_rectification(session, rectification_id)
            if expected_versions is not None and (
                expected_versions.get(item.id) not in (None, item.version)
            ):
                raise _conflict(item.number)
            if item.state == RectificationState.SIGNED_OFF:
                raise _signed_off(item.number)
            items.append(item)
        return items

    def reassign(
        self, ids: Sequence[str], unit_id: str | None, officer_id: str | None, note: str = "",
        expected_versions: Mapping[str, int] | None = None,
    ) -> list[RectificationRow]:
        """Give the selected items another responsible unit and officer, all or none."""
        if unit_id is None and officer_id is None:
            raise ValidationError(
                FIELD_UNIT, Text("必须选择责任单位或责任人", "choose a unit or an officer")
            )
        with self._write() as session:
            _require_row(session, Unit, unit_id, FIELD_UNIT)
            _require_row(session, Officer, officer_id, FIELD_OFFICER)
            _check_officer_in_unit(session, officer_id, unit_id)
            items = self._bulk_items(session, ids, expected_versions)
            names = _names(session, unit_id, officer_id)
            event_note = f"{names}；{note.strip()}" if note.strip() else names
            for item in items:
                item.responsible_unit_id = unit_id
                item.responsible_officer_id = officer_id
                self._event(session, item, REASSIGN, event_note)
            session.flush()
            return self._rows(session, [i.id for i in items])

    def extend_due_date(
        self, ids: Sequence[str], new_due_date: date, reason: str,
        expected_versions: Mapping[str, int] | None = None,
    ) -> list[RectificationRow]:
        """Move the selected items' due date later, with a reason; all or none."""
        text = require_text(reason, FIELD_EXTENSION_REASON, max_length=500)
        with self._write() as session:
            items = self._bulk_items(session, ids, expected_versions)
            for item in items:
                if new_due_date <= item.due_date:
                    raise ValidationError(
                        FIELD_DUE_DATE,
                        Text(
                            f"新期限必须晚于 {item.number} 的原期限 {item.due_date.isoformat()}",
                            f"the new due date must be later than {item.number}'s "
                            f"{item.due_date.isoformat()}",
                        ),
                    )
            for item in items:
                old = item.due_date
                item.due_date = new_due_date
                self._event(
                    session, item, EXTEND, f"{old.isoformat()} → {new_due_date.isoformat()}：{text}"
                )
            session.flush()
            return self._rows(session, [i.id for i in items])

    def escalate_overdue(self, today: date | None = None) -> list[EscalationDone]:
        """Raise the escalation level of every open item overdue by N, 2N... days.

        Idempotent: a second run on the same day changes nothing. Items reaching
        level 2 (the bureau) are those the sync carries to the bureau."""
        today = today or self.today
        done: list[EscalationDone] = []
        with self._write() as session:
            earliest_due = date.fromordinal(today.toordinal() - self.escalation_days)
            candidates = session.scalars(
                select(Rectification).where(
                    Rectification.deleted_at.is_(None),
                    Rectification.state != RectificationState.SIGNED_OFF,
                    Rectification.escalation_level < EscalationLevel.BUREAU,
                    Rectification.due_date <= earliest_due,
                )
            ).all()
            for item in candidates:
                step = escalation_due(
                    item.state, item.due_date, item.escalation_level, today, self.escalation_days
                )
                if step is None:
                    continue
                item.escalation_level = int(step.to_level)
                self._event(
                    session, item, ESCALATE,
                    f"超期{step.overdue_days}天，升级至{step.to_level.label.zh}",
                    occurred_on=today,
                )
                done.append(
                    EscalationDone(item.id, item.number, step.from_level, step.to_level,
                                   step.overdue_days)
                )
        return done

    # -- queries -----------------------------------------------------------------------

    def _where(self, flt: LedgerFilter, *, with_states: bool = True) -> list[ColumnElement[bool]]:
        r = Rectification
        today = self.today
        where: list[ColumnElement[bool]] = [r.deleted_at.is_(None)]
        if with_states and flt.states:
            where.append(r.state.in_(flt.states))
        if flt.risk_levels:
            where.append(r.risk_level.in_(flt.risk_levels))
        if flt.unit_ids:
            where.append(r.responsible_unit_id.in_(flt.unit_ids))
        if flt.officer_ids:
            where.append(r.responsible_officer_id.in_(flt.officer_ids))
        if flt.problem_type_ids:
            where.append(r.problem_type_id.in_(flt.problem_type_ids))
        if flt.sources:
            where.append(r.source.in_(flt.sources))
        if flt.escalation_levels:
            where.append(r.escalation_level.in_(flt.escalation_levels))
        if flt.due_from is not None:
            where.append(r.due_date >= flt.due_from)
        if flt.due_to is not None:
            where.append(r.due_date <= flt.due_to)
        if flt.bureau_supervised is not None:
            where.append(r.bureau_supervised.is_(flt.bureau_supervised))
        if flt.overdue is not None:
            overdue = (r.state != RectificationState.SIGNED_OFF) & (r.due_date < today)
            where.append(overdue if flt.overdue else ~overdue)
        text = flt.text.strip()
        if text:
            where.append(
                or_(r.number.contains(text, autoescape=True),
                    r.description.contains(text, autoescape=True))
            )
        return where

    def _ordered(self, query: _Query, sort: LedgerSort, *, scan: bool = False) -> _Query:
        """``query`` in the sort's order. ``scan``: the filter reads every row anyway
        (a text search), so the order must not lead SQLite to walk an index and look
        up each row from it; it scans the table and sorts the few matches instead."""
        r = Rectification
        key: Any
        if sort.key == LedgerSortKey.UNIT:
            unit = aliased(Unit)
            query = query.outerjoin(unit, unit.id == r.responsible_unit_id)
            key = unit.name
        elif sort.key == LedgerSortKey.OFFICER:
            officer = aliased(Officer)
            query = query.outerjoin(officer, officer.id == r.responsible_officer_id)
            key = officer.name
        elif sort.key == LedgerSortKey.PROBLEM_TYPE:
            problem = aliased(ProblemType)
            query = query.outerjoin(problem, problem.id == r.problem_type_id)
            key = problem.sort_order
        else:
            key = {
                LedgerSortKey.NUMBER: r.number,
                LedgerSortKey.DUE_DATE: r.due_date,
                LedgerSortKey.RISK: case(_RISK_ORDER, value=r.risk_level, else_=9),
                LedgerSortKey.STATE: case(_STATE_ORDER, value=r.state, else_=9),
                LedgerSortKey.SOURCE: r.source,
                LedgerSortKey.ESCALATION: r.escalation_level,
                LedgerSortKey.CREATED: r.created_at,
            }[sort.key]
        tie: Any = r.number
        if scan:
            key, tie = _unindexed(key), _unindexed(tie)
        # The number breaks ties, so a page never shuffles between two queries.
        return query.order_by(
            key.desc() if sort.descending else key, tie.desc() if sort.descending else tie
        )

    def ledger(
        self, flt: LedgerFilter = NO_FILTER, sort: LedgerSort = DEFAULT_SORT, *,
        offset: int = 0, limit: int | None = None,
    ) -> LedgerView:
        """What the ledger page loads on each filter or sort change: the header's counts
        per state, the number of items the filter keeps, and the ids of one window of
        them (``offset``, ``limit``; all when ``limit`` is None) in the sort's order.
        Filtering, counting, sorting and paging all happen in SQL on covering indexes;
        the page fetches further windows with ``offset`` as the user scrolls."""
        if flt.text.strip():
            return self._searched(flt, sort, offset, limit)
        counts = self.counts_by_state(flt)
        wanted = flt.states or frozenset(RectificationState)
        total = sum(counts[s] for s in wanted)
        return LedgerView(self.ids(flt, sort, offset=offset, limit=limit), total, counts)

    def _searched(
        self, flt: LedgerFilter, sort: LedgerSort, offset: int, limit: int | None
    ) -> LedgerView:
        # A text search reads every row once; its matches are few, so one scan gives
        # the counts, the total and the window together.
        state = type_coerce(Rectification.state, String)
        query = self._ordered(
            select(Rectification.id, state).where(*self._where(flt, with_states=False)),
            sort, scan=True,
        )
        with self._db.read() as session:
            rows = session.connection().execute(query).all()
        counts = dict.fromkeys(RectificationState, 0)
        wanted = {s.value for s in flt.states}
        kept = []
        for rid, code in rows:
            counts[RectificationState(code)] += 1
            if not wanted or code in wanted:
                kept.append(rid)
        end = None if limit is None else offset + limit
        return LedgerView(kept[offset:end], len(kept), counts)

    def ids(
        self, flt: LedgerFilter = NO_FILTER, sort: LedgerSort = DEFAULT_SORT, *,
        offset: int = 0, limit: int | None = None,
    ) -> list[str]:
        """The ids of the items the filter keeps, in the sort's order (all in SQL);
        a window of them with ``offset`` and ``limit``."""
        query = self._ordered(
            select(Rectification.id).where(*self._where(flt)), sort, scan=bool(flt.text.strip())
        )
        if offset:
            query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self._db.read() as session:
            # Core rows, not ORM rows: far cheaper for tens of thousands of ids.
            return list(session.connection().execute(query).scalars())

    def counts_by_state(self, flt: LedgerFilter = NO_FILTER) -> dict[RectificationState, int]:
        """How many items of each state the filter keeps (its own state choice aside),
        for the ledger's header."""
        state: ColumnElement[Any] = type_coerce(Rectification.state, String)
        if flt.text.strip():
            state = _unindexed(state)  # see _ordered: a text search scans the table
        query = (
            select(state, func.count())
            .where(*self._where(flt, with_states=False))
            .group_by(state)
        )
        counts = dict.fromkeys(RectificationState, 0)
        with self._db.read() as session:
            for code, count in session.connection().execute(query):
                counts[RectificationState(code)] = count
        return counts

    def rows(self, ids: Sequence[str]) -> list[RectificationRow]:
        """The ledger rows of ``ids``, in that order (ids no longer there are skipped)."""
        with self._db.read() as session:
            return self._rows(session, ids)

    def iter_rows(
        self, flt: LedgerFilter = NO_FILTER, sort: LedgerSort = DEFAULT_SORT,
        chunk: int = _ROWS_CHUNK,
    ) -> Iterator[tuple[int, int, list[RectificationRow]]]:
        """The filter's rows in chunks, with (done, total): for the exports."""
        ids = self.ids(flt, sort)
        for start in range(0, len(ids), chunk):
            page = self.rows(ids[start:start + chunk])
            yield start + len(page), len(ids), page

    def detail(self, rectification_id: str) -> RectificationDetail:
        with self._db.read() as session:
            item = get_rectification(session, rectification_id)
            attachments = session.scalars(
                select(Attachment)
                .where(Attachment.rectification_id == item.id, Attachment.deleted_at.is_(None))
                .order_by(Attachment.created_at)
            ).all()
            return RectificationDetail(
                row=self._rows(session, [item.id])[0],
                source_note=item.source_note,
                incident_id=item.incident_id,
                follow_up_id=item.follow_up_id,
                audit_id=item.audit_id,
                watch_review_id=item.watch_review_id,
                problem_type_id=item.problem_type_id,
                responsible_unit_id=item.responsible_unit_id,
                responsible_officer_id=item.responsible_officer_id,
                assigning_authority=item.assigning_authority,
                verification_note=item.verification_note,
                no_evidence_reason=item.no_evidence_reason,
                events=tuple(self._events(session, item.id)),
                attachments=tuple(_attachment_view(a, self._store) for a in attachments),
            )

    def _events(self, session: Session, rectification_id: str) -> list[EventView]:
        e = RectificationEvent
        query = (
            select(e, Officer.name)
            .outerjoin(Officer, Officer.id == e.actor_id)
            .where(e.rectification_id == rectification_id, e.deleted_at.is_(None))
            # rowid: insertion order, where two events share a clock tick.
            .order_by(e.created_at, literal_column("rectification_event.rowid"))
        )
        return [
            EventView(
                id=ev.id,
                kind=ev.kind,
                from_state=None if ev.from_state is None else RectificationState(ev.from_state),
                to_state=None if ev.to_state is None else RectificationState(ev.to_state),
                occurred_on=ev.occurred_on,
                note=ev.note,
                actor_name=name or "",
                recorded_at=ev.created_at,
            )
            for ev, name in session.execute(query)
        ]

    def _rows(self, session: Session, ids: Sequence[str]) -> list[RectificationRow]:
        r = Rectification
        today = self.today
        found: dict[str, RectificationRow] = {}
        for start in range(0, len(ids), _ROWS_CHUNK):
            query = (
                select(
                    r.id, r.number, r.source, ProblemType.name_zh, ProblemType.name_en,
                    r.description, r.risk_level, Unit.name, Officer.name, r.due_date, r.state,
                    r.measures, r.signed_off_at, r.escalation_level, r.bureau_supervised,
                    r.version,
                )
                .outerjoin(ProblemType, ProblemType.id == r.problem_type_id)
                .outerjoin(Unit, Unit.id == r.responsible_unit_id)
                .outerjoin(Officer, Officer.id == r.responsible_officer_id)
                .where(r.id.in_(ids[start:start + _ROWS_CHUNK]), r.deleted_at.is_(None))
            )
            for (rid, number, source, pt_zh, pt_en, description, risk, unit, officer, due,
                 state, measures, signed_off_at, level, supervised,
                 version) in session.execute(query):
                found[rid] = RectificationRow(
                    id=rid, number=number, source=source, problem_type=pt_zh or "",
                    problem_type_en=pt_en or "", description=description, risk_level=risk,
                    unit_name=unit or "", officer_name=officer or "", due_date=due,
                    state=state, measures=measures, signed_off_on=_local_date(signed_off_at),
                    escalation_level=EscalationLevel(level), bureau_supervised=supervised,
                    version=version, overdue_days=days_overdue(state, due, today),
                    due_status=due_status(state, due, today),
                )
        return [found[i] for i in ids if i in found]


class _Unindexed(ColumnElement[Any]):
    """``+column`` in SQLite: the same value, but the planner will not use an index
    for it (the documented way to steer SQLite's choice of index)."""

    inherit_cache = True

    def __init__(self, inner: ColumnElement[Any]) -> None:
        self.inner = inner
        self.type = inner.type


@compiles(_Unindexed)
def _compile_unindexed(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(element.inner, **kw))


def _unindexed(expression: ColumnElement[Any]) -> ColumnElement[Any]:
    return _Unindexed(expression)


def _signed_off(number: str) -> RuleViolation:
    return RuleViolation(
        Text(
            f"整改事项 {number} 已销号，须先重新打开（并说明原因）才能修改。",
            f"Rectification {number} is signed off; reopen it (with a reason) to change it.",
        )
    )


def _names(session: Session, unit_id: str | None, officer_id: str | None) -> str:
    unit = session.get(Unit, unit_id) if unit_id else None
    officer = session.get(Officer, officer_id) if officer_id else None
    return "／".join(x for x in (unit.name if unit else "", officer.name if officer else "") if x)


def _attachment_view(row: Attachment, store: AttachmentStore) -> AttachmentView:
    return AttachmentView(
        id=row.id, file_name=row.file_name, media_type=row.media_type, size=row.size,
        sha256=row.sha256, path=store.path_for(row.sha256),
    )
