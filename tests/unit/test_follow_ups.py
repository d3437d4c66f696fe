"""Follow-ups: validation, the incident's follow-up state, the due rule in working
days, and the rectification a dissatisfied party raises."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from lawsup_desktop.domain.calendar import WorkingCalendar
from lawsup_desktop.domain.errors import ConflictError, ValidationError
from lawsup_desktop.domain.vocabulary import (
    FollowUpMethod,
    FollowUpState,
    IncidentCategory,
    KeyCategory,
    PartyRole,
    RectificationSource,
    Satisfaction,
)
from lawsup_desktop.services.follow_ups import (
    CheckedItem,
    FollowUpInput,
    FollowUpRule,
    FollowUpService,
    add_working_days,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import HolidayPeriod, Incident, Rectification
from tests.unit.incident_helpers import add_incidents, add_unit_with_officer

RECEIVED = dt.datetime(2026, 11, 20, 9, 0)  # a Friday
NOW = dt.datetime(2026, 11, 23, 10, 0)  # the Monday after


def _input(**changes: object) -> FollowUpInput:
    values: dict[str, object] = {
        "method": FollowUpMethod.PHONE,
        "party_name": "王芳",
        "party_role": PartyRole.CALLER,
        "party_phone": "138 1234 5678",
        "contacted_at": dt.datetime(2026, 11, 23, 9, 30),
        "satisfaction": Satisfaction.SATISFIED,
        "checks": {"reception": CheckedItem(True, "及时"), "civility": CheckedItem(True)},
    }
    values.update(changes)
    return FollowUpInput(**values)  # type: ignore[arg-type]


def test_add_working_days_skips_weekends_and_holidays() -> None:
    weekends_only = WorkingCalendar([])
    friday = dt.date(2026, 11, 20)
    assert add_working_days(weekends_only, friday, 3) == dt.date(2026, 11, 25)
    assert add_working_days(weekends_only, friday, 5) == dt.date(2026, 11, 27)
    assert add_working_days(weekends_only, dt.date(2026, 11, 21), 1) == dt.date(2026, 11, 23)


def test_due_rule_due_today_is_not_overdue() -> None:
    rule, calendar = FollowUpRule(), WorkingCalendar([])
    received_friday = dt.datetime(2026, 11, 20, 23, 59)
    assert rule.due_date(calendar, received_friday) == dt.date(2026, 11, 25)  # Wednesday
    wednesday = dt.date(2026, 11, 25)
    bound = rule.overdue_before(calendar, wednesday)
    assert bound == dt.datetime(2026, 11, 20)  # Thursday's incidents are overdue
    assert received_friday >= bound
    assert dt.datetime(2026, 11, 19, 23, 59) < bound
    # The bound agrees with the due date for every day of receipt around it.
    for back in range(20):
        day = wednesday - dt.timedelta(days=back)
        received = dt.datetime.combine(day, dt.time(12))
        assert (rule.due_date(calendar, received) < wednesday) == (received < bound)


def test_record_keeps_the_follow_up_state_in_step(
    db: Database, workstation: WorkstationInfo
) -> None:
    (incident_id,) = add_incidents(db, workstation, {"received_at": RECEIVED, "is_key": True})
    service = FollowUpService(db, workstation.actor)
    first = service.record(
        incident_id,
        _input(
            satisfaction=Satisfaction.UNREACHABLE,
            checks={},
            next_attempt_at=dt.datetime(2026, 11, 24, 9, 0),
        ),
        now=NOW,
    )
    assert first.follow_up_state == FollowUpState.UNREACHABLE
    assert first.rectification_id is None
    second = service.record(incident_id, _input(), now=NOW)
    assert second.follow_up_state == FollowUpState.DONE
    assert second.follow_up.party_phone == "13812345678"
    assert second.follow_up.checks["reception"] == CheckedItem(True, "及时")
    timeline = service.timeline(incident_id)
    assert [f.satisfaction for f in timeline] == [Satisfaction.UNREACHABLE, Satisfaction.SATISFIED]


def test_dissatisfied_raises_a_rectification_due_in_five_working_days(
    db: Database, workstation: WorkstationInfo
) -> None:
    unit_id, officer_id = add_unit_with_officer(db, workstation, "城关派出所一中队", "李警官")
    (incident_id,) = add_incidents(
        db,
        workstation,
        {
            "received_at": RECEIVED,
            "category": IncidentCategory.CRIMINAL,
            "unit_id": unit_id,
            "handling_officer_id": officer_id,
        },
    )
    with db.write(workstation.actor) as session:  # a holiday inside the five days
        session.add(
            HolidayPeriod(
                name="测试假日", first_day=dt.date(2026, 11, 25), last_day=dt.date(2026, 11, 25)
            )
        )
    result = FollowUpService(db, workstation.actor).record(
        incident_id, _input(satisfaction=Satisfaction.DISSATISFIED, notes="出警太慢"), now=NOW
    )
    assert result.follow_up_state == FollowUpState.DISSATISFIED
    # Monday + 5 working days, Wednesday a holiday: Tue, Thu, Fri, Mon, Tue.
    assert result.rectification_due == dt.date(2026, 12, 1)
    with db.read() as session:
        item = session.scalars(select(Rectification)).one()
        assert item.source == RectificationSource.FOLLOW_UP
        assert item.follow_up_id == result.follow_up.id
        assert item.responsible_unit_id == unit_id
        assert item.responsible_officer_id == officer_id
        assert "出警太慢" in item.description


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"party_name": "  "}, "回访对象姓名"),
        ({"party_phone": "12345"}, "回访对象电话"),
        ({"party_phone": ""}, "回访对象电话"),  # a phone call needs the number
        ({"contacted_at": dt.datetime(2026, 11, 19, 9, 0)}, "回访时间"),  # before receipt
        ({"contacted_at": dt.datetime(2026, 11, 24, 9, 0)}, "回访时间"),  # in the future
        ({"checks": {"weather": CheckedItem(True)}}, "回访事项"),
        ({"checks": {"leads": CheckedItem(True, "长" * 201)}}, "获取线索"),
        ({"satisfaction": Satisfaction.UNREACHABLE, "checks": {}}, "下次回访时间"),
        ({"next_attempt_at": dt.datetime(2026, 11, 24)}, "下次回访时间"),
        (
            {
                "satisfaction": Satisfaction.UNREACHABLE,
                "next_attempt_at": dt.datetime(2026, 11, 24),
            },
            "接警情况",
        ),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    db: Database, workstation: WorkstationInfo, changes: dict[str, object], field: str
) -> None:
    (incident_id,) = add_incidents(db, workstation, {"received_at": RECEIVED})
    with pytest.raises(ValidationError) as raised:
        FollowUpService(db, workstation.actor).record(incident_id, _input(**changes), now=NOW)
    assert raised.value.field.zh == field
    with db.read() as session:
        assert session.get(Incident, incident_id).follow_up_state == FollowUpState.NONE  # type: ignore[union-attr]


def test_a_stale_version_is_a_conflict(db: Database, workstation: WorkstationInfo) -> None:
    (incident_id,) = add_incidents(db, workstation, {"received_at": RECEIVED})
    service = FollowUpService(db, workstation.actor)
    service.record(incident_id, _input(), now=NOW, expected_version=1)
    with pytest.raises(ConflictError):
        service.record(incident_id, _input(), now=NOW, expected_version=1)


def test_due_list_holds_needed_incidents_without_a_reached_party(
    db: Database, workstation: WorkstationInfo
) -> None:
    ids = add_incidents(
        db,
        workstation,
        {
            "received_at": dt.datetime(2026, 11, 16, 8),
            "is_key": True,
            "key_category": KeyCategory.GAMBLING,
        },  # Mon: due Thu 19th -> overdue on 23rd
        {"received_at": RECEIVED, "category": IncidentCategory.CRIMINAL},  # due Wed 25th
        {"received_at": RECEIVED},  # a dispute: the rule does not ask
        {"received_at": RECEIVED, "is_key": True},  # reached below: leaves the list
        {"received_at": RECEIVED + dt.timedelta(minutes=1), "is_key": True},  # unreachable
    )
    service = FollowUpService(db, workstation.actor)
    service.record(ids[3], _input(), now=NOW)
    service.record(
        ids[4],
        _input(
            satisfaction=Satisfaction.UNREACHABLE,
            checks={},
            next_attempt_at=dt.datetime(2026, 11, 24, 9),
        ),
        now=NOW,
    )
    due = service.due_list(today=NOW.date())
    assert [i.incident_id for i in due.items] == [ids[0], ids[1], ids[4]]
    assert (due.total, due.overdue) == (3, 1)
    assert [i.overdue for i in due.items] == [True, False, False]
    assert due.items[1].due_date == dt.date(2026, 11, 25)
    assert due.items[2].next_attempt_at == dt.datetime(2026, 11, 24, 9)
    # A rule of 10 working days: nothing overdue yet.
    longer = FollowUpService(db, workstation.actor, FollowUpRule(working_days=10))
    assert longer.due_list(today=NOW.date()).overdue == 0


def test_an_older_follow_up_entered_late_does_not_change_the_state(
    db: Database, workstation: WorkstationInfo
) -> None:
    (incident_id,) = add_incidents(db, workstation, {"received_at": RECEIVED})
    service = FollowUpService(db, workstation.actor)
    service.record(incident_id, _input(), now=NOW)  # reached on Monday 09:30
    late = service.record(
        incident_id,
        _input(
            satisfaction=Satisfaction.UNREACHABLE,
            checks={},
            contacted_at=dt.datetime(2026, 11, 21, 9, 0),  # Saturday's failed call
            next_attempt_at=dt.datetime(2026, 11, 23, 9, 0),
        ),
        now=NOW,
    )
    assert late.follow_up_state == FollowUpState.DONE
    assert [f.satisfaction for f in service.timeline(incident_id)] == [
        Satisfaction.UNREACHABLE,
        Satisfaction.SATISFIED,
    ]
