"""The rules of a rectification item: allowed transitions, overdue, escalation, sign-off."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lawsup_desktop.domain.errors import RuleViolation, ValidationError
from lawsup_desktop.domain.rectification import (
    ALLOWED_TRANSITIONS,
    DueStatus,
    EscalationLevel,
    TransitionKind,
    check_sign_off,
    check_transition,
    days_overdue,
    due_status,
    escalation_due,
    escalation_for,
    is_overdue,
    next_states,
    rectification_number,
)
from lawsup_desktop.domain.vocabulary import RectificationState as S

DUE = date(2026, 3, 10)


def test_the_happy_path_moves_one_state_at_a_time() -> None:
    assert check_transition(S.PENDING, S.IN_PROGRESS) is TransitionKind.START
    assert check_transition(S.IN_PROGRESS, S.AWAITING_VERIFICATION) is TransitionKind.SUBMIT
    assert check_transition(S.AWAITING_VERIFICATION, S.SIGNED_OFF) is TransitionKind.SIGN_OFF


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_move_outside_the_table_is_refused_naming_both_states(current: S, target: S) -> None:
    if (current, target) in ALLOWED_TRANSITIONS:
        assert check_transition(current, target, "原因") == ALLOWED_TRANSITIONS[current, target]
        return
    with pytest.raises(RuleViolation) as caught:
        check_transition(current, target, "原因")
    assert current.label.zh in caught.value.message.zh
    assert target.label.zh in caught.value.message.zh
    assert target.label.en in caught.value.message.en


def test_pending_cannot_jump_to_sign_off_and_the_message_says_what_is_allowed() -> None:
    with pytest.raises(RuleViolation) as caught:
        check_transition(S.PENDING, S.SIGNED_OFF)
    assert "整改中" in caught.value.message.zh
    assert next_states(S.PENDING) == [S.IN_PROGRESS]


@pytest.mark.parametrize(
    ("current", "target"),
    [(S.SIGNED_OFF, S.IN_PROGRESS), (S.AWAITING_VERIFICATION, S.IN_PROGRESS)],
)
def test_reopen_and_send_back_need_a_reason(current: S, target: S) -> None:
    with pytest.raises(ValidationError) as caught:
        check_transition(current, target, "   ")
    assert "原因" in caught.value.message.zh
    assert check_transition(current, target, "整改不到位").needs_reason


def test_sign_off_needs_a_verification_note() -> None:
    with pytest.raises(ValidationError) as caught:
        check_sign_off(S.AWAITING_VERIFICATION, " ", evidence_count=2, no_evidence_reason="")
    assert "核验意见" in caught.value.message.zh
    assert "Verification note" in caught.value.message.en


def test_sign_off_needs_evidence_or_a_reason_for_none() -> None:
    with pytest.raises(ValidationError) as caught:
        check_sign_off(S.AWAITING_VERIFICATION, "已核实", evidence_count=0, no_evidence_reason="")
    assert "佐证" in caught.value.message.zh
    check_sign_off(S.AWAITING_VERIFICATION, "已核实", evidence_count=1, no_evidence_reason="")
    check_sign_off(S.AWAITING_VERIFICATION, "已核实", evidence_count=0,
                   no_evidence_reason="口头整改，当场纠正")


def test_sign_off_from_the_wrong_state_is_a_rule_violation_first() -> None:
    with pytest.raises(RuleViolation):
        check_sign_off(S.IN_PROGRESS, "已核实", evidence_count=1, no_evidence_reason="")


def test_due_today_is_not_overdue_the_day_after_is() -> None:
    assert not is_overdue(S.IN_PROGRESS, DUE, DUE)
    assert due_status(S.IN_PROGRESS, DUE, DUE) is DueStatus.DUE_SOON
    assert days_overdue(S.IN_PROGRESS, DUE, DUE + timedelta(days=1)) == 1
    assert due_status(S.IN_PROGRESS, DUE, DUE + timedelta(days=1)) is DueStatus.OVERDUE


def test_due_soon_is_within_three_days() -> None:
    assert due_status(S.PENDING, DUE, DUE - timedelta(days=3)) is DueStatus.DUE_SOON
    assert due_status(S.PENDING, DUE, DUE - timedelta(days=4)) is DueStatus.ON_TIME


def test_a_signed_off_item_is_never_overdue() -> None:
    late = DUE + timedelta(days=30)
    assert days_overdue(S.SIGNED_OFF, DUE, late) == 0
    assert due_status(S.SIGNED_OFF, DUE, late) is DueStatus.CLOSED
    assert escalation_due(S.SIGNED_OFF, DUE, 0, late) is None


@pytest.mark.parametrize(
    ("overdue", "step", "level"),
    [(0, 3, 0), (2, 3, 0), (3, 3, 1), (5, 3, 1), (6, 3, 2), (60, 3, 2), (1, 1, 1), (2, 1, 2),
     (4, 5, 0), (5, 5, 1), (10, 5, 2)],
)
def test_escalation_level_grows_every_n_days_up_to_the_bureau(
    overdue: int, step: int, level: int
) -> None:
    assert escalation_for(overdue, step) == EscalationLevel(level)


def test_escalation_step_must_be_positive() -> None:
    with pytest.raises(ValueError):
        escalation_for(5, 0)


def test_escalation_due_only_raises_never_lowers() -> None:
    today = DUE + timedelta(days=4)
    step = escalation_due(S.IN_PROGRESS, DUE, 0, today)
    assert step is not None
    assert (step.from_level, step.to_level, step.overdue_days) == (
        EscalationLevel.OFFICER, EscalationLevel.UNIT_LEADER, 4)
    # Already at the unit leader: nothing more to do on the same day (idempotent).
    assert escalation_due(S.IN_PROGRESS, DUE, 1, today) is None
    # At the bureau already, with the due date since moved later: no way down.
    assert escalation_due(S.IN_PROGRESS, today + timedelta(days=10), 2, today) is None


def test_numbers_are_per_year_and_zero_padded() -> None:
    assert rectification_number(2026, 1) == "ZG-2026-00001"
    assert rectification_number(2027, 12345) == "ZG-2027-12345"
