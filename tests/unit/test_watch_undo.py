"""Undo of a "reviewed, no problem" in the daily watch (WatchService.undo_mark_reviewed)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from lawsup_desktop.domain.errors import NotFoundError, RuleViolation
from lawsup_desktop.domain.vocabulary import KeyCategory, Role, WatchState
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.services.watch import UNDO_WINDOW, WatchService
from lawsup_desktop.store.audit import Actor
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import AuditEntry, Incident, Officer, WatchReview
from tests.unit.incident_helpers import add_incidents, add_unit_with_officer

KEY = {"received_at": dt.datetime(2026, 11, 20, 9), "is_key": True,
       "key_category": KeyCategory.GAMBLING}


def test_undo_puts_the_incident_back_in_the_queue_and_is_audited(
    db: Database, workstation: WorkstationInfo
) -> None:
    first, second = add_incidents(db, workstation, KEY, KEY)
    service = WatchService(db, workstation.actor)
    done = service.mark_reviewed(first)
    service.mark_reviewed(second)
    assert service.queue().pending == 0

    undone = service.undo_mark_reviewed(done.review_id)

    assert undone.watch_state == WatchState.PENDING
    queue = service.queue()
    assert [i.incident_id for i in queue.items] == [first]
    assert queue.items[0].version == undone.incident_version
    assert queue.reviewed_today == 1
    with db.read() as session:
        review = session.get(WatchReview, done.review_id)
        assert review is not None and review.deleted_at is not None
        assert session.get(Incident, first).watch_state == WatchState.PENDING  # type: ignore[union-attr]
        audited = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == done.review_id)
        ).all()
        assert any("deleted_at" in a.changes for a in audited)
    # Reviewed again afterwards: a new review, the queue is empty again.
    again = service.mark_reviewed(first, expected_version=undone.incident_version)
    assert again.review_id != done.review_id
    assert service.queue().pending == 0


def test_undo_is_refused_twice_for_others_for_findings_and_when_late(
    db: Database, workstation: WorkstationInfo
) -> None:
    unit_id, officer_id = add_unit_with_officer(db, workstation, "治安中队", "钱警官")
    first, second, third = add_incidents(db, workstation, KEY, KEY, KEY)
    service = WatchService(db, workstation.actor)
    done = service.mark_reviewed(first)

    with db.write(workstation.actor) as session:
        other = Officer(unit_id=unit_id, name="孙监督", role=Role.SUPERVISOR)
        session.add(other)
        session.flush()
        other_actor = Actor(other.id, other.name)
    with pytest.raises(RuleViolation, match="own"):
        WatchService(db, other_actor).undo_mark_reviewed(done.review_id)

    late = dt.datetime.now(dt.UTC) + UNDO_WINDOW + dt.timedelta(minutes=1)
    with pytest.raises(RuleViolation, match="minutes"):
        service.undo_mark_reviewed(done.review_id, now=late)

    problem = service.problem_types()[0]
    finding = service.record_finding(
        second, problem_type_id=problem.id, note="未及时立案", responsible_unit_id=unit_id,
        responsible_officer_id=officer_id,
    )
    with pytest.raises(RuleViolation, match="rectification"):
        service.undo_mark_reviewed(finding.review_id)

    service.undo_mark_reviewed(done.review_id)
    with pytest.raises(NotFoundError):
        service.undo_mark_reviewed(done.review_id)
    assert {i.incident_id for i in service.queue().items} == {first, third}
