"""The points ledger: suggested deductions, confirmation, the zero floor, offsets,
objections inside and outside their window, the ranking's bottom places, the
early-intervention thresholds, the rules table's checks and the XLSX export."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lawsup_desktop.domain.errors import RuleViolation, ValidationError
from lawsup_desktop.domain.points import (
    AlertLevel,
    Balance,
    BottomRule,
    SubjectKind,
    parse_point_rules,
    rank,
)
from lawsup_desktop.domain.vocabulary import Decision, Role, ScoreKind, ScoreState
from lawsup_desktop.services.points import EntryDraft, PointsService, bundled_point_rules
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Officer
from tests.unit import report_helpers as h

DAY = dt.date(2026, 11, 10)
MONTH = dt.date(2026, 11, 1)


class Clock:
    def __init__(self, today: dt.date) -> None:
        self.today = today

    def __call__(self) -> dt.date:
        return self.today


@pytest.fixture
def world(db: Database, workstation: WorkstationInfo) -> h.World:
    return h.make_world(db, workstation)


@pytest.fixture
def clock() -> Clock:
    return Clock(DAY)


@pytest.fixture
def points(db: Database, workstation: WorkstationInfo, clock: Clock) -> PointsService:
    return PointsService(db, workstation, clock)


def _deduct(points: PointsService, officer: str, amount: int, on: dt.date = DAY) -> str:
    return points.add_entry(EntryDraft("rectification_fault", officer_id=officer, points=amount,
                                       reason="测试扣分", occurred_on=on)).id


def _earn(points: PointsService, officer: str, amount: int, on: dt.date = DAY) -> str:
    return points.add_entry(EntryDraft("monthly_standard", officer_id=officer, points=amount,
                                       occurred_on=on)).id


def test_deductions_are_suggested_from_findings_once_and_count_when_confirmed(
    db: Database, workstation: WorkstationInfo, world: h.World, points: PointsService
) -> None:
    ws = workstation
    incident = h.incident(db, ws, dt.datetime(2026, 11, 10, 9))
    h.watch_review(db, ws, incident, DAY, problem_id=world.problem["downgraded"],
                   unit_id=world.unit_b, officer_id=world.officer_b, note="降格处理")
    h.watch_review(db, ws, incident, DAY, problem_id=world.problem["not_registered"],
                   unit_id=world.unit_a, officer_id=world.officer_a)
    case_id = h.case(db, ws, world.unit_a, world.officer_a)
    h.audit_with_steps(db, ws, case_id, [(1, 1, Decision.APPROVE, dt.datetime(2026, 11, 9, 9)),
                                         (1, 2, Decision.RETURN, dt.datetime(2026, 11, 9, 15))])
    # Overdue (due the 5th, open) and not overdue (signed off).
    h.rectification(db, ws, dt.date(2026, 11, 1), dt.date(2026, 11, 5), description="逾期",
                    unit_id=world.unit_b, officer_id=world.officer_b)
    h.rectification(db, ws, dt.date(2026, 11, 1), dt.date(2026, 11, 5), description="已销号",
                    unit_id=world.unit_b, officer_id=world.officer_b,
                    signed_off=dt.date(2026, 11, 4))

    suggested = points.suggest_deductions(dt.date(2026, 11, 1), DAY)
    found = {(e.rule_code, e.officer_id, e.points, e.state) for e in suggested}
    assert found == {
        ("watch_finding", world.officer_b, 3, ScoreState.SUGGESTED),
        ("watch_finding_serious", world.officer_a, 5, ScoreState.SUGGESTED),  # 有案不立
        ("audit_return", world.officer_a, 2, ScoreState.SUGGESTED),
        ("rectification_overdue", world.officer_b, 3, ScoreState.SUGGESTED),
    }
    assert points.suggest_deductions(dt.date(2026, 11, 1), DAY) == []  # each finding once

    # Suggestions do not count until the supervisor confirms them.
    assert points.balance(SubjectKind.OFFICER, world.officer_b, MONTH).deducted == 0
    watch = next(e for e in suggested if e.rule_code == "watch_finding")
    overdue = next(e for e in suggested if e.rule_code == "rectification_overdue")
    confirmed = points.confirm(watch.id, watch.version)
    assert confirmed.state is ScoreState.CONFIRMED
    points.dismiss(overdue.id, "整改期限已依规延长")
    assert points.balance(SubjectKind.OFFICER, world.officer_b, MONTH).deducted == 3
    # The unit counts its officers' points.
    assert points.balance(SubjectKind.UNIT, world.unit_b, MONTH).deducted == 3
    with pytest.raises(RuleViolation):
        points.confirm(watch.id)  # already confirmed


def test_a_score_never_goes_below_zero(
    world: h.World, points: PointsService
) -> None:
    base = points.rules.base_score
    _deduct(points, world.officer_a, base + 40)
    _earn(points, world.officer_a, 5)
    balance = points.balance(SubjectKind.OFFICER, world.officer_a, MONTH)
    assert (balance.earned, balance.deducted) == (5, base + 40)
    assert balance.score(base) == 0
    row = next(r for r in points.ranking(SubjectKind.OFFICER, MONTH)
               if r.subject_id == world.officer_a)
    assert row.score == 0


def test_earned_points_offset_deductions_up_to_what_both_have(
    world: h.World, points: PointsService
) -> None:
    _earn(points, world.officer_a, 5)
    _deduct(points, world.officer_a, 3)
    with pytest.raises(ValidationError, match="from 1 to 3"):
        points.offset(SubjectKind.OFFICER, world.officer_a, MONTH, points=4)
    entry = points.offset(SubjectKind.OFFICER, world.officer_a, MONTH)
    assert (entry.kind, entry.points) == (ScoreKind.OFFSET, 3)
    balance = points.balance(SubjectKind.OFFICER, world.officer_a, MONTH)
    assert (balance.earned_left, balance.deducted_left, balance.offsettable) == (2, 0, 0)
    with pytest.raises(RuleViolation, match="Nothing to offset"):
        points.offset(SubjectKind.OFFICER, world.officer_a, MONTH)


def test_an_objection_within_the_window_is_decided_with_a_note(
    world: h.World, points: PointsService, clock: Clock
) -> None:
    upheld_id = _deduct(points, world.officer_a, 4)
    kept_id = _deduct(points, world.officer_a, 2)
    clock.today = DAY + dt.timedelta(days=points.rules.objection_days)  # the last day
    lodged = points.lodge_objection(upheld_id, "该问题系报警人撤回所致")
    assert lodged.objection_pending
    points.lodge_objection(kept_id, "不服")
    with pytest.raises(ValidationError):
        points.decide_objection(upheld_id, True, "  ")  # a decision needs its note
    decided = points.decide_objection(upheld_id, True, "经复核，异议成立")
    assert (decided.state, decided.objection_upheld) == (ScoreState.DISMISSED, True)
    kept = points.decide_objection(kept_id, False, "经复核，维持扣分")
    assert (kept.state, kept.objection_upheld) == (ScoreState.CONFIRMED, False)
    assert points.balance(SubjectKind.OFFICER, world.officer_a, MONTH).deducted == 2
    with pytest.raises(RuleViolation):
        points.decide_objection(kept_id, True, "再次复核")


def test_an_objection_after_the_window_is_refused_and_nothing_changes(
    world: h.World, points: PointsService, clock: Clock
) -> None:
    entry_id = _deduct(points, world.officer_a, 4)
    before = points.get(entry_id)
    clock.today = DAY + dt.timedelta(days=points.rules.objection_days + 1)
    with pytest.raises(RuleViolation) as refused:
        points.lodge_objection(entry_id, "迟到的异议")
    assert "异议期已过" in refused.value.message.zh
    assert str(before.objection_deadline) in refused.value.message.en
    assert points.get(entry_id) == before


def test_objections_only_against_confirmed_deductions(
    db: Database, workstation: WorkstationInfo, world: h.World, points: PointsService
) -> None:
    earned = _earn(points, world.officer_a, 5)
    with pytest.raises(RuleViolation, match="confirmed deduction"):
        points.lodge_objection(earned, "异议")
    incident = h.incident(db, workstation, dt.datetime(2026, 11, 10, 9))
    h.watch_review(db, workstation, incident, DAY, problem_id=world.problem["downgraded"],
                   unit_id=world.unit_a, officer_id=world.officer_a)
    suggestion = points.suggest_deductions(DAY, DAY)[0]
    with pytest.raises(RuleViolation, match="confirmed deduction"):
        points.lodge_objection(suggestion.id, "异议")  # dismiss it instead
    assert points.get(suggestion.id).objection == ""


def test_ranking_marks_the_bottom_places_and_ties_with_them(
    db: Database, workstation: WorkstationInfo, world: h.World, clock: Clock
) -> None:
    with db.write(workstation.actor) as session:
        extra = []
        for name in ("丙", "丁", "戊"):
            row = Officer(unit_id=world.unit_a, name=name, role=Role.CASE_OFFICER)
            session.add(row)
            session.flush()
            extra.append(row.id)
    rules = dataclasses.replace(bundled_point_rules(), bottom={
        SubjectKind.OFFICER: BottomRule(count=2, share=0.0),
        SubjectKind.UNIT: BottomRule(count=1, share=0.0)})
    points = PointsService(db, workstation, clock, rules)
    officers = [world.officer_a, world.officer_b, *extra]  # five case officers
    for officer, amount in zip(officers, (0, 1, 2, 5, 5), strict=True):
        if amount:
            _deduct(points, officer, amount)
    ranking = points.ranking(SubjectKind.OFFICER, MONTH)
    assert [r.subject_id for r in ranking][:3] == officers[:3]
    assert [r.place for r in ranking] == [1, 2, 3, 4, 4]
    assert [r.bottom for r in ranking] == [False, False, False, True, True]
    # Three more for the third: now three tie at the bottom, and all three are marked.
    _deduct(points, officers[2], 3)
    ranking = points.ranking(SubjectKind.OFFICER, MONTH)
    assert [r.bottom for r in ranking] == [False, False, True, True, True]  # 5, 5, 5 tie
    units = points.ranking(SubjectKind.UNIT, MONTH)
    assert [(u.name, u.bottom) for u in units] == [("刑侦中队", False), ("城关派出所", True)]


def test_bottom_places_are_the_larger_of_count_and_share() -> None:
    assert BottomRule(3, 0.1).places(50) == 5
    assert BottomRule(3, 0.1).places(10) == 3
    assert BottomRule(3, 0.1).places(2) == 1  # never everyone
    ranked = rank([("a", "甲", Balance(0, 0, 0))], 100, BottomRule(3, 0.1))
    assert not ranked[0].bottom
    # All equal: nobody is singled out as the bottom.
    equal = rank([(sid, sid, Balance(5, 1, 0)) for sid in "abcd"], 100, BottomRule(1, 0.1))
    assert [r.bottom for r in equal] == [False] * 4


def test_alerts_when_deductions_over_the_period_cross_a_threshold(
    world: h.World, points: PointsService
) -> None:
    officer_rule = points.rules.thresholds[SubjectKind.OFFICER]
    _deduct(points, world.officer_a, officer_rule.warning)
    _deduct(points, world.officer_b, officer_rule.critical)
    # Outside the period: not counted.
    _deduct(points, world.officer_a, officer_rule.critical,
            on=DAY - dt.timedelta(days=points.rules.threshold_days))
    alerts = {(a.kind, a.subject_id): a for a in points.alerts()}
    assert alerts[(SubjectKind.OFFICER, world.officer_a)].level is AlertLevel.WARNING
    assert alerts[(SubjectKind.OFFICER, world.officer_a)].deducted == officer_rule.warning
    assert alerts[(SubjectKind.OFFICER, world.officer_b)].level is AlertLevel.CRITICAL
    assert not [a for a in alerts.values() if a.kind is SubjectKind.UNIT]
    # A unit's own deduction plus its officer's reach the unit's warning threshold.
    unit_rule = points.rules.thresholds[SubjectKind.UNIT]
    points.add_entry(EntryDraft("unit_ranking", unit_id=world.unit_a,
                                points=unit_rule.warning - officer_rule.warning, occurred_on=DAY))
    unit_alerts = [a for a in points.alerts() if a.kind is SubjectKind.UNIT]
    assert [(a.subject_id, a.deducted, a.level) for a in unit_alerts] == [
        (world.unit_a, unit_rule.warning, AlertLevel.WARNING)]


def test_a_malformed_rules_table_is_refused_with_its_place() -> None:
    from importlib.resources import files

    document = json.loads((files("lawsup_desktop.resources") / "rules" / "point_rules.json")
                          .read_text(encoding="utf-8"))
    duplicate = copy.deepcopy(document)
    duplicate["rules"].append(dict(duplicate["rules"][0]))
    with pytest.raises(ValidationError, match="duplicate rule codes"):
        parse_point_rules(duplicate)
    inverted = copy.deepcopy(document)
    inverted["thresholds"]["officer"] = {"warning": 20, "critical": 10}
    with pytest.raises(ValidationError, match="critical threshold"):
        parse_point_rules(inverted)
    negative = copy.deepcopy(document)
    negative["rules"][0]["points"] = -3
    with pytest.raises(ValidationError, match=r"rules\[0\]"):
        parse_point_rules(negative)


def test_export_xlsx_has_rankings_and_entries(
    world: h.World, points: PointsService, tmp_path: Path
) -> None:
    _deduct(points, world.officer_b, 7)
    _earn(points, world.officer_a, 5)
    target = points.export_xlsx(MONTH, tmp_path / "points.xlsx")
    book = load_workbook(target)
    officers = book.worksheets[0]
    rows = list(officers.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[6]) for r in rows] == [("王民警", 105), ("李民警", 93)]
    assert rows[-1][7] == "是"
    entries = list(book.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert sorted(r[3] for r in entries) == [5, 7]


def test_the_objection_window_runs_from_a_late_confirmation(
    db: Database, workstation: WorkstationInfo, world: h.World, points: PointsService,
    clock: Clock,
) -> None:
    # Overdue since October, suggested and confirmed only on DAY (weeks later).
    h.rectification(db, workstation, dt.date(2026, 9, 20), dt.date(2026, 10, 1),
                    description="逾期已久", unit_id=world.unit_a, officer_id=world.officer_a)
    suggestion = points.suggest_deductions(dt.date(2026, 10, 1), DAY)[0]
    assert suggestion.occurred_on == dt.date(2026, 10, 2)
    confirmed = points.confirm(suggestion.id)
    assert confirmed.confirmed_on == DAY
    assert confirmed.objection_deadline == DAY + dt.timedelta(days=points.rules.objection_days)
    clock.today = confirmed.objection_deadline
    assert points.lodge_objection(confirmed.id, "整改已于期限内完成，系台账未及时更新").objection
    # Another, recorded on that last day: an objection the day after its window is refused.
    other = _deduct(points, world.officer_b, 2, on=dt.date(2026, 10, 2))
    clock.today = points.get(other).objection_deadline + dt.timedelta(days=1)
    with pytest.raises(RuleViolation, match="objection window has closed"):
        points.lodge_objection(other, "异议")
