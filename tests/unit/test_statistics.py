"""Statistics: the rates are computed from recorded decisions, month by month."""

from __future__ import annotations

import datetime as dt

import pytest

from lawsup_desktop.domain.errors import ValidationError
from lawsup_desktop.domain.vocabulary import (
    Decision,
    FollowUpMethod,
    IncidentCategory,
    ProcuratorateDecision,
    Satisfaction,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.services.statistics import StatisticsService
from lawsup_desktop.store.database import Database
from tests.unit import report_helpers as h

APPROVE = ProcuratorateDecision.APPROVE_ARREST
DECLINE = ProcuratorateDecision.DECLINE_ARREST
RETURN = ProcuratorateDecision.RETURN_FOR_INVESTIGATION


@pytest.fixture
def world(db: Database, workstation: WorkstationInfo) -> h.World:
    return h.make_world(db, workstation)


def test_return_and_decline_rates_by_month_of_decision(
    db: Database, workstation: WorkstationInfo, world: h.World
) -> None:
    ws = workstation
    case_id = h.case(db, ws, world.unit_a)
    october = [APPROVE, APPROVE, APPROVE, DECLINE, RETURN]  # 5 decided: 1 declined, 1 returned
    november = [APPROVE, DECLINE, DECLINE, RETURN]  # 4 decided: 2 declined, 1 returned
    for n, decision in enumerate(october):
        h.procuratorate(db, ws, case_id, dt.date(2026, 10, 1 + n), decision)
    for n, decision in enumerate(november):
        h.procuratorate(db, ws, case_id, dt.date(2026, 11, 2 + n), decision)
    h.procuratorate(db, ws, case_id, None, None)  # sent, not decided: not counted
    h.procuratorate(db, ws, case_id, dt.date(2026, 9, 30), DECLINE)  # before the period

    stats = StatisticsService(db).compute(dt.date(2026, 10, 1), dt.date(2026, 11, 30),
                                          dt.date(2026, 11, 30))
    by_month = {m.month: m for m in stats.procuratorate_by_month}
    assert set(by_month) == {"2026-10", "2026-11"}
    oct_, nov = by_month["2026-10"], by_month["2026-11"]
    assert (oct_.decided, oct_.approved, oct_.declined, oct_.returned) == (5, 3, 1, 1)
    assert oct_.decline_rate == pytest.approx(1 / 5)
    assert oct_.return_rate == pytest.approx(1 / 5)
    assert nov.decline_rate == pytest.approx(2 / 4)
    assert nov.return_rate == pytest.approx(1 / 4)
    assert stats.months == ("2026-10", "2026-11")


def test_a_month_without_decisions_has_no_rate_rather_than_zero(
    db: Database, workstation: WorkstationInfo, world: h.World
) -> None:
    stats = StatisticsService(db).compute(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert stats.procuratorate_by_month == ()
    assert all(s.count == 0 for s in stats.satisfaction)


def test_incidents_satisfaction_audits_and_rectifications(
    db: Database, workstation: WorkstationInfo, world: h.World
) -> None:
    ws = workstation
    for day, category in ((dt.date(2026, 10, 3), IncidentCategory.CRIMINAL),
                          (dt.date(2026, 10, 30), IncidentCategory.CRIMINAL),
                          (dt.date(2026, 11, 1), IncidentCategory.TRAFFIC)):
        incident = h.incident(db, ws, dt.datetime.combine(day, dt.time(8)), category=category)
    h.follow_up(db, ws, incident, dt.datetime(2026, 11, 1, 9), FollowUpMethod.PHONE,
                Satisfaction.DISSATISFIED)
    # Unit A: one form passed all five levels after a return; one rejected.
    at = dt.datetime(2026, 11, 5, 9)
    passed_chain = [(1, 1, Decision.APPROVE, at), (1, 2, Decision.RETURN, at)] + [
        (2, level, Decision.APPROVE, at) for level in range(1, 6)]
    h.audit_with_steps(db, ws, h.case(db, ws, world.unit_a), passed_chain)
    h.audit_with_steps(db, ws, h.case(db, ws, world.unit_a),
                       [(1, 1, Decision.APPROVE, at), (1, 2, Decision.REJECT, at)])
    # Unit B: one form still in review.
    h.audit_with_steps(db, ws, h.case(db, ws, world.unit_b), [(1, 1, Decision.APPROVE, at)])
    h.rectification(db, ws, dt.date(2026, 11, 1), dt.date(2026, 11, 10), description="逾期",
                    unit_id=world.unit_b)
    h.rectification(db, ws, dt.date(2026, 11, 1), dt.date(2026, 11, 30), description="未到期",
                    unit_id=world.unit_b)
    h.rectification(db, ws, dt.date(2026, 11, 1), dt.date(2026, 11, 10), description="销号",
                    unit_id=world.unit_b, signed_off=dt.date(2026, 11, 9))

    stats = StatisticsService(db).compute(dt.date(2026, 10, 1), dt.date(2026, 11, 30),
                                          dt.date(2026, 11, 20))
    assert {(c.month, c.category, c.count) for c in stats.incidents_by_month} == {
        ("2026-10", IncidentCategory.CRIMINAL, 2), ("2026-11", IncidentCategory.TRAFFIC, 1)}
    assert {s.satisfaction: s.count for s in stats.satisfaction}[Satisfaction.DISSATISFIED] == 1
    audits = {u.unit_name: u for u in stats.audits_by_unit}
    a = audits["城关派出所"]
    assert (a.forms, a.passed, a.returned, a.rejected) == (2, 1, 1, 1)
    assert a.pass_rate == pytest.approx(0.5)
    b = audits["刑侦中队"]
    assert (b.forms, b.passed, b.returned, b.rejected) == (1, 0, 0, 0)
    rect = {r.unit_name: r for r in stats.rectifications_by_unit}["刑侦中队"]
    assert (rect.open, rect.signed_off, rect.overdue) == (2, 1, 1)


def test_a_reversed_period_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError):
        StatisticsService(db).compute(dt.date(2026, 11, 30), dt.date(2026, 11, 1))
