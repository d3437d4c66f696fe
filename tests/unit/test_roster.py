"""The roster lists that forms choose from: units, officers, the negative list."""

from __future__ import annotations

from datetime import UTC, datetime

from lawsup_desktop.domain.vocabulary import Role
from lawsup_desktop.services.roster import RosterService
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Officer, ProblemType, Unit


def test_units_and_officers_by_name_without_deleted_or_inactive(
    db: Database, workstation: WorkstationInfo
) -> None:
    with db.write(workstation.actor) as session:
        crime = Unit(station_id=workstation.station_id, name="刑侦中队")
        gone = Unit(station_id=workstation.station_id, name="已撤销中队",
                    deleted_at=datetime.now(UTC))
        session.add_all([crime, gone])
        session.flush()
        session.add_all([
            Officer(unit_id=crime.id, name="赵警官", role=Role.CASE_OFFICER),
            Officer(unit_id=crime.id, name="钱队长", role=Role.STATION_LEADER),
            Officer(unit_id=crime.id, name="孙退休", role=Role.CASE_OFFICER, active=False),
        ])
        crime_id = crime.id
    roster = RosterService(db)
    assert [u.name for u in roster.units()] == sorted(["城关派出所", "刑侦中队"])
    assert [o.name for o in roster.officers(crime_id)] == sorted(["赵警官", "钱队长"])
    assert [o.name for o in roster.officers(crime_id, Role.STATION_LEADER)] == ["钱队长"]
    everyone = {o.name for o in roster.officers()}
    assert {"张法制", "赵警官", "钱队长"} <= everyone and "孙退休" not in everyone
    supervisor = roster.officers(role=Role.SUPERVISOR)
    assert [(o.id, o.unit_id) for o in supervisor] == [
        (workstation.operator_id, workstation.unit_id)
    ]


def test_problem_types_are_the_active_negative_list_in_order(
    db: Database, workstation: WorkstationInfo
) -> None:
    roster = RosterService(db)
    names = [p.label.zh for p in roster.problem_types()]
    assert "有案不立" in names and "降格处理" in names
    with db.write(workstation.actor) as session:
        first = session.query(ProblemType).filter(ProblemType.name_zh == names[0]).one()
        first.active = False
    assert [p.label.zh for p in roster.problem_types()] == names[1:]
