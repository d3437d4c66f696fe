"""A small station world for the report, points and statistics tests: rows written
straight through the ORM (each test states exactly what exists), with times given
as local wall-clock times and stored as the models expect."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from lawsup_desktop.domain.vocabulary import (
    CaseKind,
    Decision,
    FollowUpMethod,
    IncidentCategory,
    PartyRole,
    ProcuratorateDecision,
    RectificationSource,
    RectificationState,
    Role,
    Satisfaction,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    Case,
    CaseAudit,
    FollowUp,
    Incident,
    Officer,
    ProblemType,
    ProcuratorateReview,
    Rectification,
    ReviewStep,
    Unit,
    WatchReview,
)

_serial = itertools.count(1)


def local_instant(day: dt.date, hour: int = 10) -> dt.datetime:
    """The UTC instant of ``hour`` o'clock local time on ``day`` (bookkeeping columns)."""
    return dt.datetime.combine(day, dt.time(hour)).astimezone(dt.UTC)


@dataclass(frozen=True)
class World:
    unit_a: str  # the station's own unit
    unit_b: str
    officer_a: str
    officer_b: str
    problem: dict[str, str]  # problem type code → id


def make_world(db: Database, ws: WorkstationInfo) -> World:
    with db.write(ws.actor) as session:
        unit_b = Unit(station_id=ws.station_id, name="刑侦中队")
        session.add(unit_b)
        session.flush()
        a = Officer(unit_id=ws.unit_id, name="王民警", role=Role.CASE_OFFICER)
        b = Officer(unit_id=unit_b.id, name="李民警", role=Role.CASE_OFFICER)
        session.add_all([a, b])
        session.flush()
        problems = {code: pid for code, pid in session.execute(
            select(ProblemType.code, ProblemType.id))}
        return World(ws.unit_id, unit_b.id, a.id, b.id, problems)


def add(db: Database, ws: WorkstationInfo, row: Any) -> str:
    with db.write(ws.actor) as session:
        session.add(row)
        session.flush()
        return str(row.id)


def incident(db: Database, ws: WorkstationInfo, at: dt.datetime, *, key: bool = False,
             category: IncidentCategory = IncidentCategory.DISPUTE) -> str:
    return add(db, ws, Incident(incident_no=f"J{next(_serial):08d}", received_at=at,
                                category=category, is_key=key, unit_id=ws.unit_id))


def watch_review(db: Database, ws: WorkstationInfo, incident_id: str, day: dt.date, *,
                 problem_id: str | None = None, unit_id: str | None = None,
                 officer_id: str | None = None, note: str = "") -> str:
    return add(db, ws, WatchReview(
        incident_id=incident_id, reviewer_id=ws.operator_id, reviewed_at=local_instant(day),
        problem_type_id=problem_id, note=note, responsible_unit_id=unit_id,
        responsible_officer_id=officer_id))


def follow_up(db: Database, ws: WorkstationInfo, incident_id: str, at: dt.datetime,
              method: FollowUpMethod, satisfaction: Satisfaction) -> str:
    return add(db, ws, FollowUp(incident_id=incident_id, method=method, party_name="报警人甲",
                                party_role=PartyRole.CALLER, contacted_at=at,
                                satisfaction=satisfaction))


def rectification(db: Database, ws: WorkstationInfo, created: dt.date, due: dt.date, *,
                  description: str, unit_id: str | None, officer_id: str | None = None,
                  problem_id: str | None = None, signed_off: dt.date | None = None,
                  watch_review_id: str | None = None,
                  source: RectificationSource = RectificationSource.INSPECTION) -> str:
    return add(db, ws, Rectification(
        number=f"ZG-{created.year}-{next(_serial):05d}", source=source,
        description=description, responsible_unit_id=unit_id, responsible_officer_id=officer_id,
        problem_type_id=problem_id, due_date=due, created_at=local_instant(created),
        watch_review_id=watch_review_id,
        state=RectificationState.SIGNED_OFF if signed_off else RectificationState.PENDING,
        signed_off_at=local_instant(signed_off) if signed_off else None))


def case(db: Database, ws: WorkstationInfo, unit_id: str, lead: str | None = None) -> str:
    n = next(_serial)
    return add(db, ws, Case(case_no=f"A{n:010d}", name=f"案件{n}", kind=CaseKind.CRIMINAL,
                            cause="盗窃", unit_id=unit_id, lead_officer_id=lead))


def audit_with_steps(db: Database, ws: WorkstationInfo, case_id: str,
                     steps: list[tuple[int, int, Decision, dt.datetime]],
                     submitted: dt.date | None = None) -> tuple[str, list[str]]:
    """A form with signed steps (round, level, decision, signed at local time).
    Returns the form's id and its steps' ids."""
    with db.write(ws.actor) as session:
        form = CaseAudit(case_id=case_id, form_no=f"SH-{next(_serial):06d}",
                         submitted_at=local_instant(submitted) if submitted else None)
        session.add(form)
        session.flush()
        ids = []
        for round_, level, decision, at in steps:
            step = ReviewStep(audit_id=form.id, round=round_, level=level, decision=decision,
                              opinion="意见", reviewer_id=ws.operator_id,
                              entered_by_id=ws.operator_id, reviewed_at=at)
            session.add(step)
            session.flush()
            ids.append(step.id)
        return form.id, ids


def procuratorate(db: Database, ws: WorkstationInfo, case_id: str, decided: dt.date | None,
                  decision: ProcuratorateDecision | None) -> str:
    return add(db, ws, ProcuratorateReview(
        case_id=case_id, sent_on=(decided or dt.date(2026, 1, 1)) - dt.timedelta(days=5),
        decision=decision, decided_on=decided))
