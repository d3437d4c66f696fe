"""Concurrent edits at two workstations of one station: merges and hard conflicts."""

from __future__ import annotations

from datetime import UTC, datetime

from lawsup_desktop.domain.vocabulary import CaseKind, Decision
from lawsup_desktop.store.models import Case, CaseAudit, Incident, ReviewStep

from .helpers import conflicts, pending


def pair(stations):
    first = stations.new()
    incident = first.add_incident("C1")
    first.sync()
    second = stations.device(first.station_code)
    second.sync()
    assert second.get(Incident, incident) is not None
    return first, second, incident


def test_edits_of_different_fields_merge(stations):
    first, second, incident = pair(stations)
    first.edit(Incident, incident, summary="甲改摘要")
    second.edit(Incident, incident, address="乙改地址")
    first.sync()
    report = second.sync()
    first.sync()
    assert report.conflicts == 0
    for device in (first, second):
        row = device.get(Incident, incident)
        assert (row.summary, row.address) == ("甲改摘要", "乙改地址")
        assert conflicts(device) == []
        assert device.differences() == []


def test_the_same_field_changed_on_both_sides_is_a_hard_conflict_keeping_both(stations):
    first, second, incident = pair(stations)
    first.edit(Incident, incident, summary="甲的处理意见", address="甲改地址")
    second.edit(Incident, incident, summary="乙的处理意见", caller_name="李四")
    first.sync()
    report = second.sync()
    assert report.conflicts == 1
    # The service keeps its value, merges the rest; the second device's value is kept
    # in the conflict, per field mine / theirs / base.
    row = second.get(Incident, incident)
    assert (row.summary, row.address, row.caller_name) == ("甲的处理意见", "甲改地址", "李四")
    [conflict] = conflicts(second)
    assert conflict.kind == "field" and conflict.record_id == incident
    assert conflict.fields == {"summary": {"mine": "乙的处理意见", "theirs": "甲的处理意见",
                                           "base": "邻里纠纷"}}
    first.sync()
    assert [c.id for c in conflicts(first)] == [conflict.id]  # shown at every device
    assert second.differences() == [] and first.differences() == []

    # The user keeps "mine": the resolution syncs like any other change.
    engine = second.engine()
    engine.resolve_conflict(conflict.id, {"summary": "mine"})
    engine.client.close()
    second.sync()
    first.sync()
    for device in (first, second):
        assert device.get(Incident, incident).summary == "乙的处理意见"
        assert conflicts(device) == []
        assert [c.id for c in conflicts(device, "resolved")] == [conflict.id]


def test_an_edit_against_a_delete_is_a_hard_conflict_both_ways(stations):
    first, second, incident = pair(stations)
    other = second.add_incident("C2")
    second.sync()
    first.sync()
    # 1) deleted at the first device, edited at the second
    first.edit(Incident, incident, deleted_at=datetime.now(UTC))
    second.edit(Incident, incident, summary="乙在删除后修改")
    first.sync()
    assert second.sync().conflicts == 1
    [conflict] = conflicts(second)
    assert conflict.kind == "edit_delete"
    assert conflict.fields["summary"]["mine"] == "乙在删除后修改"
    assert conflict.fields["deleted_at"]["mine"] is None
    assert conflict.fields["deleted_at"]["theirs"] is not None
    assert second.get(Incident, incident).deleted_at is not None  # the delete stands

    # 2) edited at the first device, deleted at the second
    first.edit(Incident, other, summary="甲修改")
    second.edit(Incident, other, deleted_at=datetime.now(UTC))
    first.sync()
    assert second.sync().conflicts == 1
    [later] = [c for c in conflicts(second) if c.record_id == other]
    assert later.kind == "edit_delete"
    assert later.fields["summary"] == {"mine": "邻里纠纷", "theirs": "甲修改", "base": "邻里纠纷"}
    row = second.get(Incident, other)
    assert row.deleted_at is None and row.summary == "甲修改"  # the edit stands
    first.sync()
    assert first.differences() == [] and second.differences() == []
    assert {c.id for c in conflicts(first)} == {c.id for c in conflicts(second)}


def test_two_decisions_at_one_review_level_the_second_becomes_a_conflict(stations):
    first = stations.new()
    with first.db.write(first.actor) as session:
        case = Case(case_no="A2026-1", name="王某盗窃案", kind=CaseKind.CRIMINAL, cause="盗窃")
        session.add(case)
        session.flush()
        audit = CaseAudit(case_id=case.id, form_no="AJSH-1")
        session.add(audit)
        session.flush()
        audit_id = audit.id
    first.sync()
    second = stations.device(first.station_code)
    second.sync()

    def sign(device, opinion):
        with device.db.write(device.actor) as session:
            step = ReviewStep(audit_id=audit_id, round=1, level=1, decision=Decision.APPROVE,
                              opinion=opinion, reviewer_id=device.info.operator_id,
                              entered_by_id=device.info.operator_id,
                              reviewed_at=datetime(2026, 11, 26, 10, 0))
            session.add(step)
            session.flush()
            return step.id

    mine, theirs = sign(first, "呈请审核（甲）"), sign(second, "呈请审核（乙）")
    assert first.sync().conflicts == 0
    assert second.sync().conflicts == 1
    # The refused step, and the first device's step that cannot sit beside it locally
    # (signed steps are immutable there): both stay visible to the user.
    by_kind = {c.kind: c for c in conflicts(second)}
    assert set(by_kind) == {"review_level", "duplicate"}
    assert by_kind["duplicate"].record_id == mine
    conflict = by_kind["review_level"]
    assert conflict.record_id == theirs
    assert conflict.fields["opinion"] == {"mine": "呈请审核（乙）", "theirs": "呈请审核（甲）",
                                          "base": None}
    assert conflict.detail["theirs_id"] == mine
    engine = first.engine()
    with engine.client._http as http:
        assert http.get(f"/v1/records/review_step/{mine}").status_code == 200
        assert http.get(f"/v1/records/review_step/{theirs}").status_code == 404


def test_review_levels_out_of_order_are_refused_by_the_service(stations):
    device = stations.new()
    with device.db.write(device.actor) as session:
        case = Case(case_no="A2026-2", name="案", kind=CaseKind.CRIMINAL, cause="盗窃")
        session.add(case)
        session.flush()
        audit = CaseAudit(case_id=case.id, form_no="AJSH-2")
        session.add(audit)
        session.flush()
        # Level 3 signed with no level 2 (a bypass of the services).
        session.add(ReviewStep(audit_id=audit.id, round=1, level=3, decision=Decision.APPROVE,
                               opinion="越级", reviewer_id=device.info.operator_id,
                               entered_by_id=device.info.operator_id,
                               reviewed_at=datetime(2026, 11, 26, 10, 0)))
    report = device.sync()
    assert report.rejected == 1 and pending(device) == 0
