"""The rules of a rectification item (整改事项): its states, overdue and escalation.

待整改 → 整改中 → 待核验 → 已销号, with a verification that fails sending the
item back to 整改中 and a reopen of a signed-off item (both need a reason).
Overdue is derived from the due date and a ``today``, never stored; the
escalation level only grows with the days overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from lawsup_desktop.domain.errors import RuleViolation, Text, ValidationError
from lawsup_desktop.domain.vocabulary import RectificationState

S = RectificationState

DEFAULT_ESCALATION_DAYS = 3
"""An item overdue by this many days goes one level up (DOMAIN.md: officer → unit
leader → bureau); twice as many days overdue reaches the bureau."""

DUE_SOON_DAYS = 3
"""Within this many days of its due date an open item is "due soon" (amber)."""

FIELD_NOTE = Text("说明", "Note")
FIELD_REASON = Text("原因", "Reason")
FIELD_VERIFICATION_NOTE = Text("核验意见", "Verification note")
FIELD_EVIDENCE = Text("整改佐证材料", "Evidence")


class TransitionKind(StrEnum):
    """What a move between two states means; also the ``kind`` of its event."""

    START = "start"  # 待整改 → 整改中
    SUBMIT = "submit"  # 整改中 → 待核验
    SEND_BACK = "send_back"  # 待核验 → 整改中: verification found it not fixed
    SIGN_OFF = "sign_off"  # 待核验 → 已销号
    REOPEN = "reopen"  # 已销号 → 整改中

    @property
    def label(self) -> Text:
        return _TRANSITION_LABELS[self]

    @property
    def needs_reason(self) -> bool:
        return self in (TransitionKind.SEND_BACK, TransitionKind.REOPEN)


_TRANSITION_LABELS = {
    TransitionKind.START: Text("开始整改", "Start rectification"),
    TransitionKind.SUBMIT: Text("提交核验", "Submit for verification"),
    TransitionKind.SEND_BACK: Text("核验未通过退回", "Send back after verification"),
    TransitionKind.SIGN_OFF: Text("销号", "Sign off"),
    TransitionKind.REOPEN: Text("重新打开", "Reopen"),
}

ALLOWED_TRANSITIONS: dict[tuple[RectificationState, RectificationState], TransitionKind] = {
    (S.PENDING, S.IN_PROGRESS): TransitionKind.START,
    (S.IN_PROGRESS, S.AWAITING_VERIFICATION): TransitionKind.SUBMIT,
    (S.AWAITING_VERIFICATION, S.IN_PROGRESS): TransitionKind.SEND_BACK,
    (S.AWAITING_VERIFICATION, S.SIGNED_OFF): TransitionKind.SIGN_OFF,
    (S.SIGNED_OFF, S.IN_PROGRESS): TransitionKind.REOPEN,
}
"""Every move the rules allow, and what it means. Anything else is refused."""


def next_states(state: RectificationState) -> list[RectificationState]:
    """The states an item in ``state`` may move to, in the order of the table."""
    return [to for (frm, to) in ALLOWED_TRANSITIONS if frm == state]


def check_transition(
    current: RectificationState, target: RectificationState, note: str = ""
) -> TransitionKind:
    """The kind of the move ``current`` → ``target``, or :class:`RuleViolation` if the
    rules forbid it, or :class:`ValidationError` if it needs a reason and has none.

    Sign-off has more preconditions: see :func:`check_sign_off`."""
    kind = ALLOWED_TRANSITIONS.get((current, target))
    if kind is None:
        allowed = next_states(current)
        allowed_zh = "、".join(s.label.zh for s in allowed) or "无"
        allowed_en = ", ".join(s.label.en for s in allowed) or "none"
        raise RuleViolation(
            Text(
                f"整改事项处于“{current.label.zh}”状态，不能转为“{target.label.zh}”"
                f"（可转为：{allowed_zh}）。",
                f"An item in state '{current.label.en}' cannot move to "
                f"'{target.label.en}' (allowed: {allowed_en}).",
            )
        )
    if kind.needs_reason and not note.strip():
        raise ValidationError(
            FIELD_REASON,
            Text(f"{kind.label.zh}必须填写原因", f"required to {kind.label.en.lower()}"),
        )
    return kind


def check_sign_off(
    current: RectificationState,
    verification_note: str,
    evidence_count: int,
    no_evidence_reason: str,
) -> None:
    """Sign-off (销号) needs the item awaiting verification, a verification note, and
    at least one evidence item or an explicit reason why none is needed."""
    check_transition(current, S.SIGNED_OFF)
    if not verification_note.strip():
        raise ValidationError(
            FIELD_VERIFICATION_NOTE, Text("销号前必须填写核验意见", "required before sign-off")
        )
    if evidence_count <= 0 and not no_evidence_reason.strip():
        raise ValidationError(
            FIELD_EVIDENCE,
            Text(
                "销号前须上传至少一份佐证材料，或说明无需佐证的原因",
                "attach at least one evidence file before sign-off, "
                "or give the reason why none is needed",
            ),
        )


# --- overdue and escalation ------------------------------------------------------


class EscalationLevel(IntEnum):
    """Who answers for an overdue item: the stored ``escalation_level``."""

    OFFICER = 0
    UNIT_LEADER = 1
    BUREAU = 2

    @property
    def label(self) -> Text:
        return _ESCALATION_LABELS[self]


_ESCALATION_LABELS = {
    EscalationLevel.OFFICER: Text("责任人", "Responsible officer"),
    EscalationLevel.UNIT_LEADER: Text("单位领导", "Unit leader"),
    EscalationLevel.BUREAU: Text("县局督办", "Bureau"),
}


class DueStatus(StrEnum):
    """How an item stands against its due date on a given day (the ledger's colours)."""

    CLOSED = "closed"  # signed off: no deadline runs
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"  # amber
    OVERDUE = "overdue"  # red

    @property
    def label(self) -> Text:
        return _DUE_LABELS[self]


_DUE_LABELS = {
    DueStatus.CLOSED: Text("已销号", "Signed off"),
    DueStatus.ON_TIME: Text("期限内", "On time"),
    DueStatus.DUE_SOON: Text("即将到期", "Due soon"),
    DueStatus.OVERDUE: Text("已超期", "Overdue"),
}


def days_overdue(state: RectificationState, due_date: date, today: date) -> int:
    """Whole days past the due date; 0 when not overdue. The due day itself still
    counts as on time (an item due today is not overdue)."""
    if state == S.SIGNED_OFF:
        return 0
    return max(0, (today - due_date).days)


def is_overdue(state: RectificationState, due_date: date, today: date) -> bool:
    return days_overdue(state, due_date, today) > 0


def due_status(
    state: RectificationState, due_date: date, today: date, soon_days: int = DUE_SOON_DAYS
) -> DueStatus:
    if state == S.SIGNED_OFF:
        return DueStatus.CLOSED
    remaining = (due_date - today).days
    if remaining < 0:
        return DueStatus.OVERDUE
    return DueStatus.DUE_SOON if remaining <= soon_days else DueStatus.ON_TIME


def escalation_for(overdue_days: int, step_days: int = DEFAULT_ESCALATION_DAYS) -> EscalationLevel:
    """The level an item overdue by ``overdue_days`` has reached: one level for each
    ``step_days`` overdue, up to the bureau."""
    if step_days < 1:
        raise ValueError(f"escalation step must be at least one day, not {step_days}")
    return EscalationLevel(min(overdue_days // step_days, EscalationLevel.BUREAU))


@dataclass(frozen=True)
class Escalation:
    """An escalation that :func:`escalation_due` found: from one level to a higher one."""

    from_level: EscalationLevel
    to_level: EscalationLevel
    overdue_days: int


def escalation_due(
    state: RectificationState,
    due_date: date,
    current_level: int,
    today: date,
    step_days: int = DEFAULT_ESCALATION_DAYS,
) -> Escalation | None:
    """The escalation the item needs on ``today``, or None. Levels never go down by
    themselves: an extended due date does not undo an escalation already made."""
    overdue = days_overdue(state, due_date, today)
    target = escalation_for(overdue, step_days)
    if target <= current_level:
        return None
    return Escalation(EscalationLevel(current_level), target, overdue)


def rectification_number(year: int, sequence: int) -> str:
    """The item's number, e.g. ZG-2026-00001: per year, in order of creation."""
    return f"{NUMBER_PREFIX}-{year:04d}-{sequence:05d}"


NUMBER_PREFIX = "ZG"
