"""The incident list's filters and sorts in SQL, its rows, and an incident's detail."""

from __future__ import annotations

import datetime as dt

from lawsup_desktop.domain.vocabulary import (
    CaseKind,
    Disposition,
    FollowUpMethod,
    IncidentCategory,
    KeyCategory,
    PartyRole,
    Satisfaction,
    WatchState,
)
from lawsup_desktop.services.follow_ups import FollowUpInput, FollowUpService
from lawsup_desktop.services.incidents import (
    FollowUpStatus,
    IncidentFilter,
    IncidentQuery,
    SortKey,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.services.watch import WatchService
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Case
from tests.unit.incident_helpers import add_incidents, add_unit_with_officer

TODAY = dt.date(2026, 11, 25)  # a Wednesday


def _at(day: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, 10)


def _setup(db: Database, ws: WorkstationInfo) -> tuple[list[str], str]:
    other_unit, _ = add_unit_with_officer(db, ws, "甲中队", "周警官")
    ids = add_incidents(
        db,
        ws,
        {
            "incident_no": "A1",
            "received_at": _at(18),
            "category": IncidentCategory.CRIMINAL,
            "disposition": Disposition.CRIMINAL_CASE,
        },  # due Mon 23rd: overdue
        {
            "incident_no": "A2",
            "received_at": _at(24),
            "is_key": True,
            "key_category": KeyCategory.GAMBLING,
            "unit_id": other_unit,
        },  # due 27th
        {"incident_no": "A3", "received_at": _at(20), "disposition": Disposition.MEDIATION},
        {
            "incident_no": "A4",
            "received_at": _at(21),
            "is_key": True,
            "key_category": KeyCategory.VICE,
            "category": IncidentCategory.PUBLIC_ORDER,
        },
    )
    return ids, other_unit


def test_filters(db: Database, workstation: WorkstationInfo) -> None:
    ids, other_unit = _setup(db, workstation)
    query = IncidentQuery(db)

    def ids_of(**f: object) -> list[str]:
        return query.ids(IncidentFilter(**f), today=TODAY)  # type: ignore[arg-type]

    assert ids_of() == [ids[1], ids[3], ids[2], ids[0]]  # newest first
    assert ids_of(received_from=dt.date(2026, 11, 20), received_to=dt.date(2026, 11, 21)) == [
        ids[3],
        ids[2],
    ]
    assert ids_of(categories=frozenset({IncidentCategory.CRIMINAL})) == [ids[0]]
    assert ids_of(key_only=True) == [ids[1], ids[3]]
    assert ids_of(key_categories=frozenset({KeyCategory.VICE})) == [ids[3]]
    assert ids_of(dispositions=frozenset({Disposition.MEDIATION})) == [ids[2]]
    assert ids_of(unit_ids=frozenset({other_unit})) == [ids[1]]
    assert ids_of(follow_up=frozenset({FollowUpStatus.OVERDUE})) == [ids[0]]
    # A4 is key, received Sat 21st: due Wed 25th = today, not overdue yet.
    assert ids_of(follow_up=frozenset({FollowUpStatus.DUE})) == [ids[1], ids[3]]
    assert ids_of(follow_up=frozenset({FollowUpStatus.DUE, FollowUpStatus.OVERDUE})) == [
        ids[1],
        ids[3],
        ids[0],
    ]
    assert ids_of(follow_up=frozenset({FollowUpStatus.NOT_REQUIRED})) == [ids[2]]
    WatchService(db, workstation.actor).mark_reviewed(ids[3])
    assert ids_of(watch_states=frozenset({WatchState.NO_PROBLEM})) == [ids[3]]
    assert ids_of(watch_states=frozenset({WatchState.PENDING}), key_only=True) == [ids[1]]
    FollowUpService(db, workstation.actor).record(
        ids[0],
        FollowUpInput(
            method=FollowUpMethod.ON_SITE,
            party_name="某",
            party_role=PartyRole.VICTIM,
            contacted_at=_at(24),
            satisfaction=Satisfaction.DISSATISFIED,
            notes="不满",
        ),
        now=dt.datetime(2026, 11, 25, 12),
    )
    assert ids_of(follow_up=frozenset({FollowUpStatus.DISSATISFIED})) == [ids[0]]
    assert ids_of(follow_up=frozenset({FollowUpStatus.OVERDUE})) == []
    assert query.count(IncidentFilter(key_only=True), today=TODAY) == 2


def test_sorts(db: Database, workstation: WorkstationInfo) -> None:
    ids, _ = _setup(db, workstation)
    query = IncidentQuery(db)
    assert query.ids(sort=SortKey.INCIDENT_NO, descending=False, today=TODAY) == ids
    assert query.ids(sort=SortKey.RECEIVED_AT, descending=False, today=TODAY) == [
        ids[0],
        ids[2],
        ids[3],
        ids[1],
    ]
    # Enums sort in the vocabulary's order (criminal, public order, dispute...).
    assert query.ids(sort=SortKey.CATEGORY, descending=False, today=TODAY) == [
        ids[0],
        ids[3],
        ids[1],
        ids[2],
    ]
    by_unit = query.ids(sort=SortKey.UNIT, descending=False, today=TODAY)
    assert by_unit[-1] == ids[1]  # 城关派出所 (U+57CE) before 甲中队 (U+7532)


def test_page_and_rows(db: Database, workstation: WorkstationInfo) -> None:
    ids, _ = _setup(db, workstation)
    query = IncidentQuery(db)
    page = query.page(IncidentFilter(), offset=1, limit=2, today=TODAY)
    assert page.total == 4
    assert [r.id for r in page.rows] == [ids[3], ids[2]]
    rows = query.rows([ids[0], "no-such-id", ids[1]], today=TODAY)
    assert [r.incident_no for r in rows] == ["A1", "A2"]
    assert rows[0].follow_up_status == FollowUpStatus.OVERDUE
    assert rows[0].follow_up_due == dt.date(2026, 11, 23)
    assert rows[1].unit_name == "甲中队"


def test_detail_gathers_everything_about_the_incident(
    db: Database, workstation: WorkstationInfo
) -> None:
    ids, other_unit = _setup(db, workstation)
    incident_id = ids[1]
    with db.write(workstation.actor) as session:
        session.add(
            Case(
                case_no="C-1",
                name="赌博案",
                kind=CaseKind.ADMINISTRATIVE,
                cause="赌博",
                incident_id=incident_id,
            )
        )
    watch = WatchService(db, workstation.actor)
    finding = watch.record_finding(
        incident_id,
        problem_type_id=watch.problem_types()[0].id,
        note="应当立案",
        responsible_unit_id=other_unit,
        today=TODAY,
    )
    FollowUpService(db, workstation.actor).record(
        incident_id,
        FollowUpInput(
            method=FollowUpMethod.PHONE,
            party_name="王芳",
            party_role=PartyRole.CALLER,
            party_phone="13812345678",
            contacted_at=dt.datetime(2026, 11, 25, 9),
            satisfaction=Satisfaction.DISSATISFIED,
            notes="没人管",
        ),
        now=dt.datetime(2026, 11, 25, 12),
    )
    detail = IncidentQuery(db).detail(incident_id, today=TODAY)
    assert detail.row.incident_no == "A2"
    assert [c.case_no for c in detail.cases] == ["C-1"]
    assert [w.note for w in detail.watch_reviews] == ["应当立案"]
    assert detail.watch_reviews[0].rectification_number == finding.rectification_number
    assert [f.party_name for f in detail.follow_ups] == ["王芳"]
    assert len(detail.rectifications) == 2
    entities = {a.entity for a in detail.audit_trail}
    assert {"incident", "watch_review", "follow_up"} <= entities
    assert any(
        a.changes.get("watch_state") == ["pending", "problem_found"] for a in detail.audit_trail
    )


def test_export_writes_the_filtered_list_and_it_imports_back(
    db: Database, workstation: WorkstationInfo, tmp_path: object
) -> None:
    from pathlib import Path

    from openpyxl import load_workbook

    from lawsup_desktop.services.incident_export import export_incidents_xlsx
    from lawsup_desktop.services.incident_import import import_incidents

    _setup(db, workstation)
    target = Path(str(tmp_path)) / "list.xlsx"
    result = export_incidents_xlsx(
        IncidentQuery(db), target, IncidentFilter(key_only=True), today=TODAY
    )
    assert result.rows == 2
    sheet = load_workbook(target, read_only=True).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["接警编号", "报警时间", "警情类别"]
    assert [v[0] for v in values[1:]] == ["A2", "A4"]  # newest first, as on screen
    assert values[1][1] == _at(24)
    assert values[1][3] == "涉赌" and values[2][11] == "待回访"
    report = import_incidents(db, workstation.actor, target)
    assert report.committed and (report.created, report.updated, report.unchanged) == (0, 0, 2)
