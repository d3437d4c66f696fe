"""The daily watch: the queue, marking reviewed, and a finding that raises a
rectification item in the same transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from lawsup_desktop.domain.errors import ConflictError, RuleViolation, ValidationError
from lawsup_desktop.domain.vocabulary import (
    KeyCategory,
    RectificationSource,
    RectificationState,
    WatchState,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.services.watch import WatchService
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Incident, Rectification, WatchReview
from tests.unit.incident_helpers import add_incidents, add_unit_with_officer

TODAY = dt.date(2026, 11, 23)


def _key(day: int, hour: int = 9) -> dict[str, object]:
    return {
        "received_at": dt.datetime(2026, 11, day, hour),
        "is_key": True,
        "key_category": KeyCategory.FRAUD,
    }


def test_queue_is_pending_key_incidents_oldest_first(
    db: Database, workstation: WorkstationInfo
) -> None:
    ids = add_incidents(
        db, workstation, _key(21), _key(20), {"received_at": dt.datetime(2026, 11, 19)}, _key(22)
    )
    service = WatchService(db, workstation.actor)
    queue = service.queue(today=TODAY)
    assert [i.incident_id for i in queue.items] == [ids[1], ids[0], ids[3]]
    assert (queue.pending, queue.new_since_last_watch, queue.reviewed_today) == (3, 3, 0)
    assert queue.last_watch_at is None
    service.mark_reviewed(ids[1])
    queue = service.queue(today=dt.datetime.now().date())
    assert [i.incident_id for i in queue.items] == [ids[0], ids[3]]
    assert queue.pending == 2
    assert queue.reviewed_today == 1 and queue.problems_today == 0
    assert queue.last_watch_at is not None
    # Incidents received before the last watch are old news, later ones are new.
    assert queue.new_since_last_watch == 0
    (later,) = add_incidents(
        db, workstation, {**_key(23), "received_at": dt.datetime.now() + dt.timedelta(minutes=1)}
    )
    queue = service.queue()
    assert queue.new_since_last_watch == 1
    assert [i.is_new for i in queue.items] == [False, False, True]
    assert queue.items[-1].incident_id == later


def test_finding_creates_the_rectification_in_the_same_transaction(
    db: Database, workstation: WorkstationInfo
) -> None:
    unit_id, officer_id = add_unit_with_officer(db, workstation, "刑侦中队", "赵警官")
    (incident_id,) = add_incidents(db, workstation, _key(20))
    service = WatchService(db, workstation.actor)
    problem = next(p for p in service.problem_types() if p.label.zh == "降格处理")
    outcome = service.record_finding(
        incident_id,
        problem_type_id=problem.id,
        note="诈骗案按纠纷调解处理",
        responsible_unit_id=unit_id,
        responsible_officer_id=officer_id,
        today=TODAY,
    )
    assert outcome.watch_state == WatchState.PROBLEM_FOUND
    assert outcome.rectification_due == dt.date(2026, 11, 30)  # 5 working days
    with db.read() as session:
        item = session.get(Rectification, outcome.rectification_id)
        assert item is not None
        assert item.source == RectificationSource.DAILY_WATCH
        assert item.state == RectificationState.PENDING
        assert item.watch_review_id == outcome.review_id
        assert item.problem_type_id == problem.id
        assert (item.responsible_unit_id, item.responsible_officer_id) == (unit_id, officer_id)
        review = session.get(WatchReview, outcome.review_id)
        assert review is not None and review.note == "诈骗案按纠纷调解处理"
    assert service.queue(today=TODAY).pending == 0


def test_a_failed_rectification_leaves_no_review_behind(
    db: Database, workstation: WorkstationInfo
) -> None:
    (incident_id,) = add_incidents(db, workstation, _key(20))
    other_unit, _ = add_unit_with_officer(db, workstation, "交警中队", "钱警官")
    _, officer_elsewhere = add_unit_with_officer(db, workstation, "治安中队", "孙警官")
    service = WatchService(db, workstation.actor)
    problem = service.problem_types()[0]
    with pytest.raises(ValidationError) as raised:  # the officer is not in the unit
        service.record_finding(
            incident_id,
            problem_type_id=problem.id,
            note="有案不立",
            responsible_unit_id=other_unit,
            responsible_officer_id=officer_elsewhere,
            today=TODAY,
        )
    assert raised.value.field.zh == "责任人"
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(WatchReview)) == 0
        assert session.get(Incident, incident_id).watch_state == WatchState.PENDING  # type: ignore[union-attr]


@pytest.mark.parametrize("missing", ["note", "problem_type_id", "responsible_unit_id"])
def test_a_finding_needs_type_note_and_unit(
    db: Database, workstation: WorkstationInfo, missing: str
) -> None:
    (incident_id,) = add_incidents(db, workstation, _key(20))
    service = WatchService(db, workstation.actor)
    values = {
        "problem_type_id": service.problem_types()[0].id,
        "note": "问题",
        "responsible_unit_id": workstation.unit_id,
    }
    values[missing] = ""
    with pytest.raises(ValidationError):
        service.record_finding(incident_id, **values)  # type: ignore[arg-type]


def test_reviewing_twice_or_a_non_key_incident_is_refused(
    db: Database, workstation: WorkstationInfo
) -> None:
    key_id, plain_id = add_incidents(db, workstation, _key(20), {})
    service = WatchService(db, workstation.actor)
    service.mark_reviewed(key_id)
    with pytest.raises(RuleViolation):
        service.mark_reviewed(key_id)
    with pytest.raises(RuleViolation):
        service.mark_reviewed(plain_id)


def test_a_stale_queue_item_is_a_conflict(db: Database, workstation: WorkstationInfo) -> None:
    (incident_id,) = add_incidents(db, workstation, _key(20))
    service = WatchService(db, workstation.actor)
    item = service.queue(today=TODAY).items[0]
    with db.write(workstation.actor) as session:  # someone edits the incident meanwhile
        session.get(Incident, incident_id).summary = "补充"  # type: ignore[union-attr]
    with pytest.raises(ConflictError):
        service.mark_reviewed(incident_id, expected_version=item.version)
