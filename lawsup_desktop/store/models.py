"""The station's records: the whole domain of DOMAIN.md as SQLAlchemy 2 typed models.

Times of events in the world (an incident received, a measure started) are the
station's wall-clock time, naive, as the police platform records them; times
of bookkeeping (created, updated, signed) are UTC instants (``UtcDateTime``).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawsup_desktop.domain.vocabulary import (
    CaseKind,
    Decision,
    Disposition,
    FollowUpMethod,
    FollowUpState,
    Gender,
    IncidentCategory,
    KeyCategory,
    MeasureKind,
    PartyRole,
    PersonRole,
    ProcuratorateDecision,
    RectificationSource,
    RectificationState,
    RiskLevel,
    Role,
    Satisfaction,
    ScoreKind,
    ScoreState,
    WatchState,
)
from lawsup_desktop.store.base import Base, SyncedMixin, UtcDateTime, utc_now


def _enum(kind: type[StrEnum]) -> Enum:
    # Stored as the code name (a short string), never as a native DB enum, so a
    # new member needs no migration on SQLite or PostgreSQL.
    return Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


# --- roster -----------------------------------------------------------------


class Station(SyncedMixin, Base):
    """A police station (派出所); the local one is marked ``is_local``."""

    __tablename__ = "station"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    is_local: Mapped[bool] = mapped_column(Boolean, default=False)


class Unit(SyncedMixin, Base):
    """A handling or responsible unit (办案单位 / 责任单位): the station, a team, the bureau."""

    __tablename__ = "unit"

    station_id: Mapped[str | None] = mapped_column(ForeignKey("station.id"))
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str | None] = mapped_column(String(32))
    leader_id: Mapped[str | None] = mapped_column(
        ForeignKey("officer.id", use_alter=True), default=None
    )


class Officer(SyncedMixin, Base):
    """A person on the roster: officers, leaders, legal officers, the operator."""

    __tablename__ = "officer"

    unit_id: Mapped[str | None] = mapped_column(ForeignKey("unit.id"))
    name: Mapped[str] = mapped_column(String(50))
    badge_no: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[Role] = mapped_column(_enum(Role))
    phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])


class Workstation(Base):
    """This installation: which station it serves and who operates it. Never synced."""

    __tablename__ = "workstation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("station.id"))
    operator_id: Mapped[str] = mapped_column(ForeignKey("officer.id"))
    device_id: Mapped[str] = mapped_column(String(36))
    set_up_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # The operator's lock-screen password: scrypt with its salt and parameters
    # (services/operator_lock.py), never the password itself. None: not set yet.
    password_hash: Mapped[str | None] = mapped_column(String(200))

    station: Mapped[Station] = relationship()
    operator: Mapped[Officer] = relationship()


# --- reference data (the bureau owns it; it arrives by sync) -------------------


class ProblemType(SyncedMixin, Base):
    """An entry of the negative list (负面清单)."""

    __tablename__ = "problem_type"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class HolidayPeriod(SyncedMixin, Base):
    """A range of the official calendar: public holidays and make-up working days."""

    __tablename__ = "holiday_period"

    name: Mapped[str] = mapped_column(String(50))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    is_workday: Mapped[bool] = mapped_column(Boolean, default=False)  # 调休上班


class DeadlineRule(SyncedMixin, Base):
    """A legal time limit with its source; the parameters are interpreted by the domain."""

    __tablename__ = "deadline_rule"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    citation: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    warn_days: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Guidance(SyncedMixin, Base):
    """Enforcement guidance (执法指引) published by the bureau."""

    __tablename__ = "guidance"

    title: Mapped[str] = mapped_column(String(200))
    published_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    attachment_sha256: Mapped[str | None] = mapped_column(String(64))


# --- incidents and the daily watch -------------------------------------------


class Incident(SyncedMixin, Base):
    """A police call (警情). ``watch_state`` and ``follow_up_state`` are kept in step by
    the services so that the 200,000-row list can filter on them in SQL."""

    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("incident_no"),
        # Covers the incident list's default order and every filter column, so the
        # 200,000-row list filters and pages without touching the wide table rows.
        Index(
            "ix_incident_list",
            "received_at", "id", "deleted_at", "category", "is_key", "key_category",
            "disposition", "unit_id", "watch_state", "follow_up_state",
        ),
        Index("ix_incident_key_watch", "is_key", "watch_state", "received_at", "deleted_at", "id"),
        Index("ix_incident_unit", "unit_id", "received_at", "deleted_at"),
        # One per vocabulary column: its filter counts, and its sort reads each value's
        # rows newest first, from the index alone (migration 0002).
        Index("ix_incident_category", "category", "received_at", "deleted_at"),
        Index("ix_incident_key_category", "key_category", "received_at", "deleted_at"),
        Index("ix_incident_disposition", "disposition", "received_at", "deleted_at"),
        Index("ix_incident_watch_state", "watch_state", "received_at", "deleted_at"),
        Index(
            "ix_incident_follow_up_state",
            "follow_up_state", "received_at", "deleted_at", "is_key", "category",
        ),
        # Deleted rows only (few): live count = all rows minus these (migration 0002).
        Index("ix_incident_deleted", "deleted_at", sqlite_where=text("deleted_at IS NOT NULL")),
        # Sorting the list by caller or address walks these instead of sorting every row.
        Index("ix_incident_caller", "caller_name", "received_at"),
        Index("ix_incident_address", "address", "received_at"),
    )

    incident_no: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    category: Mapped[IncidentCategory] = mapped_column(_enum(IncidentCategory))
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)
    key_category: Mapped[KeyCategory | None] = mapped_column(_enum(KeyCategory))
    address: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    caller_name: Mapped[str] = mapped_column(String(50), default="")
    caller_phone: Mapped[str] = mapped_column(String(30), default="")
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("unit.id"))
    handling_officer_id: Mapped[str | None] = mapped_column(ForeignKey("officer.id"))
    disposition: Mapped[Disposition | None] = mapped_column(_enum(Disposition))
    handling_notes: Mapped[str] = mapped_column(Text, default="")
    watch_state: Mapped[WatchState] = mapped_column(_enum(WatchState), default=WatchState.PENDING)
    follow_up_state: Mapped[FollowUpState] = mapped_column(
        _enum(FollowUpState), default=FollowUpState.NONE
    )


class WatchReview(SyncedMixin, Base):
    """The supervisor's daily-watch review of a key incident, with a finding if any."""

    __tablename__ = "watch_review"

    incident_id: Mapped[str] = mapped_column(ForeignKey("incident.id"), index=True)
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("officer.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    problem_type_id: Mapped[str | None] = mapped_column(ForeignKey("problem_type.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    responsible_unit_id: Mapped[str | None] = mapped_column(ForeignKey("unit.id"))
    responsible_officer_id: Mapped[str | None] = mapped_column(ForeignKey("officer.id"))


class FollowUp(SyncedMixin, Base):
    """A follow-up contact (回访) with a party of an incident. Append-only."""

    __tablename__ = "follow_up"
    # The daily report counts one day's follow-ups by method and satisfaction.
    __table_args__ = (Index("ix_follow_up_contacted", "contacted_at", "method", "satisfaction"),)

    incident_id: Mapped[str] = mapped_column(ForeignKey("incident.id"), index=True)
    method: Mapped[FollowUpMethod] = mapped_column(_enum(FollowUpMethod))
    party_name: Mapped[str] = mapped_column(String(50))
    party_role: Mapped[PartyRole] = mapped_column(_enum(PartyRole))
    party_phone: Mapped[str] = mapped_column(String(30), default="")
    contacted_at: Mapped[datetime] = mapped_column(DateTime)
    officer_id: Mapped[str | None] = mapped_column(ForeignKey("officer.id"))
    # The seven items checked: {item code: {"checked": bool, "note": str}}.
    checks: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    satisfaction: Mapped[Satisfaction] = mapped_column(_enum(Satisfaction))
    notes: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)


# --- cases and the audit form ------------------------------------------------


class Case(SyncedMixin, Base):
    """A criminal or administrative case (案件)."""

    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("case_no"),
        Index("ix_case_accepted_at", "accepted_at"),
        # The case list in its default order, covering the filters on kind, unit
        # and lead officer too: 50,000 ids without a single row lookup.
        Index(
            "ix_case_list", "deleted_at", "accepted_at", "id", "kind", "unit_id", "lead_officer_id"
        ),
        # The deadline states read every open case from the index alone (migration 0002).
        Index(
            "ix_case_open", "closed_at", "deleted_at", "kind", "registered_at", "accepted_at", "id"
        ),
    )

    case_no: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[CaseKind] = mapped_column(_enum(CaseKind))
    cause: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("unit.id"))
    lead_officer_id: Mapped[str | None] = mapped_column(ForeignKey("officer.id"))
    incident_id: Mapped[str | None] = mapped_column(ForeignKey("incident.id"), index=True)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)  # 受案
    registered_at: Mapped[datetime | None] = mapped_column(DateTime)  # 立案
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    assisting: Mapped[list[CaseOfficer]] = relationship(back_populates="case")
    persons: Mapped[list[CasePerson]] = relationship(back_populates="case")


class CaseOfficer(SyncedMixin, Base):
    """An assisting officer of a case (协办民警); the lead is on the case itself."""

    __tablename__ = "case_officer"
    __table_args__ = (UniqueConstraint("case_id", "officer_id"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"))
    officer_id: Mapped[str] = mapped_column(ForeignKey("officer.id"), index=True)

    case: Mapped[Case] = relationship(back_populates="assisting")


class CasePerson(SyncedMixin, Base):
    """A suspect, party or victim of a case. Gender and birth date come from the ID."""

    __tablename__ = "case_person"
    # The case list's measure filter goes from a measure to its person's case.
    __table_args__ = (
        Index("ix_case_person_case", "id", "deleted_at", "case_id"),
        # Deleted persons only (few): their measures leave the deadline states (0002).
        Index("ix_case_person_deleted", "deleted_at", sqlite_where=text("deleted_at IS NOT NULL")),
    )

    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    role: Mapped[PersonRole] = mapped_column(_enum(PersonRole))
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str | None] = mapped_column(String(18))
    gender: Mapped[Gender | None] = mapped_column(_enum(Gender))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(300), default="")

    case: Mapped[Case] = relationship(back_populates="persons")
    measures: Mapped[list[CoerciveMeasure]] = relationship(back_populates="person")


class CoerciveMeasure(SyncedMixin, Base):
    """A coercive measure (强制措施) on a person, with its start; deadlines run from it."""

    __tablename__ = "coercive_measure"
    __table_args__ = (
        Index("ix_coercive_measure_open", "ended_at", "kind"),
        # The case list's filter by measure kind.
        Index("ix_coercive_measure_kind", "kind", "deleted_at", "person_id"),
        # The deadline states read every open measure from the index alone.
        Index(
            "ix_coercive_measure_states",
            "ended_at", "deleted_at", "kind", "started_at", "id", "person_id",
        ),
    )

    person_id: Mapped[str] = mapped_column(ForeignKey("case_person.id"), index=True)
    kind: Mapped[MeasureKind] = mapped_column(_enum(MeasureKind))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[CasePerson] = relationship(back_populates="measures")


class DeadlineAdjustment(SyncedMixin, Base):
    """A pause (e.g. time spent on 鉴定) or an approved extension of a case's deadline."""

    __tablename__ = "deadline_adjustment"

    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    measure_id: Mapped[str | None] = mapped_column(ForeignKey("coercive_measure.id"))
    rule_code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))  # "suspension" | "extension"
    starts_at: Mapped[datetime | None] = mapped_column(DateTime)
    ends_at: Mapped[datetime | None] = mapped_column(DateTime)
    extra_days: Mapped[int | None] = mapped_column(Integer)
    approval: Mapped[str] = mapped_column(String(200), default="")


class WarningClearance(SyncedMixin, Base):
    """A deadline warning cleared one by one (逐一销账). It holds the due moment it
    cleared, so the warning comes back when the deadline moves."""

    __tablename__ = "warning_clearance"
    __table_args__ = (Index("ix_warning_clearance_subject", "subject_id", "rule_code"),)

    subject_id: Mapped[str] = mapped_column(String(36))
    rule_code: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text)
    cleared_by_id: Mapped[str] = mapped_column(ForeignKey("officer.id"))


class ProcuratorateReview(SyncedMixin, Base):
    """A request sent to the procuratorate and its decision; 退补率 and 不捕率 come from these."""

    __tablename__ = "procuratorate_review"

    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    sent_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[ProcuratorateDecision | None] = mapped_column(_enum(ProcuratorateDecision))
    decided_on: Mapped[date | None] = mapped_column(Date)


class CaseAudit(SyncedMixin, Base):
    """The case audit registration form (案件审核调查登记表). Its state is derived from
    its review steps, never stored."""

    __tablename__ = "case_audit"
    # For the case list's audit-state filter: finding a case's newest form, and
    # the submitted forms, without reading the rows (their texts are long).
    __table_args__ = (
        Index("ix_case_audit_newest", "case_id", "deleted_at", "created_at", "id"),
        # submitted_at first: with deleted_at first, SQLite (without statistics)
        # would prefer this index for every "deleted_at IS NULL" and lose the
        # case order that ix_case_audit_newest gives.
        Index("ix_case_audit_submitted", "submitted_at", "deleted_at", "case_id", "id"),
    )

    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    form_no: Mapped[str] = mapped_column(String(40), unique=True)
    facts: Mapped[str] = mapped_column(Text, default="")
    proposed_handling: Mapped[str] = mapped_column(Text, default="")
    # {review point code: {"checked": bool, "note": str}}
    review_points: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    problems_found: Mapped[str] = mapped_column(Text, default="")
    is_major: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    steps: Mapped[list[ReviewStep]] = relationship(
        back_populates="audit", order_by="(ReviewStep.round, ReviewStep.level)"
    )


class ReviewStep(SyncedMixin, Base):
    """One signed level of the review chain. Immutable once written: a trigger in the
    migration refuses any UPDATE or DELETE, whatever the caller."""

    __tablename__ = "review_step"
    __table_args__ = (
        UniqueConstraint("audit_id", "round", "level"),
        # The list's audit-state filter looks for last steps by decision and level
        # (covering: what it then looks up is the step's form and round).
        Index("ix_review_step_decision", "decision", "level", "audit_id", "round"),
        # The daily report counts one day's signed steps by decision.
        Index("ix_review_step_reviewed", "reviewed_at", "decision"),
    )

    audit_id: Mapped[str] = mapped_column(ForeignKey("case_audit.id"))
    round: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)  # 1..5, see REVIEW_CHAIN
    decision: Mapped[Decision] = mapped_column(_enum(Decision))
    opinion: Mapped[str] = mapped_column(Text)
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("officer.id"))
    entered_by_id: Mapped[str] = mapped_column(ForeignKey("officer.id"))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime)  # the date on the signed paper

    audit: Mapped[CaseAudit] = relationship(back_populates="steps")


# --- rectification ------------------------------------------------------------


class Rectification(SyncedMixin, Base):
    """A rectification item (整改事项). Overdue is derived from ``due_date``."""

    __tablename__ = "rectification"
    __table_args__ = (
        UniqueConstraint("number"),
        # Two indexes that cover every filter column of the ledger, so a 50,000-item
        # ledger is counted and paged without reading the wide rows
        # (bench/rectifications.py): one in state order for the counts per state,
        # one in the default order (due date, number) for pages at any depth.
        Index(
            "ix_rectification_state_due",
            "state", "deleted_at", "due_date", "number", "risk_level", "source",
            "escalation_level", "bureau_supervised", "responsible_unit_id",
            "responsible_officer_id", "problem_type_id", "id",
        ),
        Index(
            "ix_rectification_ledger",
            "due_date", "number", "state", "deleted_at", "risk_level", "source",
            "escalation_level", "bureau_supervised", "responsible_unit_id",
            "responsible_officer_id", "problem_type_id", "id",
        ),
        Index("ix_rectification_unit", "responsible_unit_id"),
        Index("ix_rectification_officer", "responsible_officer_id"),
    )

    number: Mapped[str] = mapped_column(String(32))
    source: Mapped[RectificationSource] = mapped_column(_enum(RectificationSource))
    # Links back to what raised the item (at most one is set).
    incident_id: Mapped[str | None] = mapped_column(ForeignKey("incident.id"), index=True)
    follow_up_id: Mapped[str | None] = mapped_column(ForeignKey("follow_up.id"))
    audit_id: Mapped[str | None] = mapped_column(ForeignKey("case_audit.id"))
    watch_review_id: Mapped[str | None] = mapped_column(ForeignKey("watch_review.id"))
    source_note: Mapped[str] = mapped_column(String(200), default="")
    problem_type_id: Mapped[str | None] = mapped_column(ForeignKey("problem_type.id"))
    description: Mapped[str] = mapped_column(Text)
    risk_level: Mapped[RiskLevel] = mapped_column(_enum(RiskLevel), default=RiskLevel.MEDIUM)
    responsible_unit_id: Mapped[str | None] = mapped_column(ForeignKey("unit.id"))
    responsible_officer_id: Mapped[str | None] = mapped_column(ForeignKey("officer.id"))
    due_date: Mapped[date] = mapped_column(Date)
    measures: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[RectificationState] = mapped_column(
        _enum(RectificationState), default=RectificationState.PENDING
    )
    verification_note: Mapped[str] = mapped_column(Text, default="")
    no_evidence_reason: Mapped[str] = mapped_column(Text, default="")
    signed_off_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    signed_off_by_id: Mapped[str | None] = mapped_column(ForeignKey("officer.id"))
    bureau_supervised: Mapped[bool] = mapped_column(Boolean, default=False)
    assigning_authority: Mapped[str] = mapped_column(String(100), default="")
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)  # 0 officer .. 2 bureau


class RectificationEvent(SyncedMixin, Base):
    """An entry of an item's history: a transition, a progress note, a reassignment..."""

    __tablename__ = "rectification_event"

    rectification_id: Mapped[str] = mapped_column(ForeignKey("rectification.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("officer.id"))


class Attachment(SyncedMixin, Base):
    """An evidence file, stored content-addressed in the data folder by its SHA-256."""

    __tablename__ = "attachment"

    rectification_id: Mapped[str | None] = mapped_column(ForeignKey("rectification.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    file_name: Mapped[str] = mapped_column(String(255))


# --- points -----------------------------------------------------------------


class ScoreEntry(SyncedMixin, Base):
    """A points entry (积分) of an officer or a unit."""

    __tablename__ = "score_entry"
    __table_args__ = (Index("ix_score_entry_subject", "officer_id", "unit_id", "occurred_on"),)

    officer_id: Mapped[str | None] = mapped_column(ForeignKey("officer.id"))
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("unit.id"))
    kind: Mapped[ScoreKind] = mapped_column(_enum(ScoreKind))
    points: Mapped[int] = mapped_column(Integer)
    rule_code: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    occurred_on: Mapped[date] = mapped_column(Date)
    state: Mapped[ScoreState] = mapped_column(_enum(ScoreState), default=ScoreState.CONFIRMED)
    # The day the entry was confirmed (a suggestion) or recorded: the objection window
    # runs from it, so a late confirmation does not cut the officer's days short.
    confirmed_on: Mapped[date | None] = mapped_column(Date)
    source_entity: Mapped[str | None] = mapped_column(String(40))
    source_id: Mapped[str | None] = mapped_column(String(36))
    objection: Mapped[str] = mapped_column(Text, default="")
    objection_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    objection_upheld: Mapped[bool | None] = mapped_column(Boolean)
    objection_decision: Mapped[str] = mapped_column(Text, default="")


class BulletinIssue(SyncedMixin, Base):
    """A numbered issue (第N期) of the inspection bulletin."""

    __tablename__ = "bulletin_issue"
    __table_args__ = (UniqueConstraint("year", "number"),)

    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)


# --- audit trail --------------------------------------------------------------


class AuditEntry(Base):
    """Who changed what and when: one row per changed record, append-only (a trigger
    refuses UPDATE and DELETE). ``changes`` maps each field to ``[old, new]``."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity", "entity_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    actor_id: Mapped[str | None] = mapped_column(String(36))
    actor_name: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(16))  # insert | update | delete
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# The sync bookkeeping tables share this metadata (and so the station's migration).
from lawsup_desktop.store import sync_models  # noqa: E402, F401
