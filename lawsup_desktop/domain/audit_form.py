"""The case audit form (案件审核调查登记表): its review points and the state of its chain.

Everything here is pure: the state of a form is derived from its list of signed
review steps (never stored), so the same functions serve the services, the
list's labels and the PDF.

How the chain runs (DOMAIN.md): round 1 starts when the form is submitted.
Level 1 is the case officer's own signature (呈请审核); levels 2–5 review in
REVIEW_CHAIN order. 退回补正 at any level ends the round and sends the form back
to the case officer; the officer corrects it and signs level 1 of the next
round, which resubmits it. 不同意 ends the chain. 同意 at level 5 approves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from lawsup_desktop.domain.errors import RuleViolation, Text
from lawsup_desktop.domain.vocabulary import REVIEW_CHAIN, Decision, Role

LEVELS = len(REVIEW_CHAIN)


# --- review points --------------------------------------------------------------


@dataclass(frozen=True)
class ReviewPoint:
    code: str
    label: Text
    required: bool


REVIEW_POINTS: tuple[ReviewPoint, ...] = (
    ReviewPoint("authority", Text("执法主体与人员资格", "Authority and qualification"), True),
    ReviewPoint("facts", Text("事实是否清楚", "Facts clear"), True),
    ReviewPoint("evidence", Text("证据是否确实充分", "Evidence reliable and sufficient"), True),
    ReviewPoint("law", Text("适用法律是否准确", "Law applied correctly"), True),
    ReviewPoint("discretion", Text("裁量是否适当", "Discretion appropriate"), True),
    ReviewPoint(
        "procedure",
        Text("程序是否合法、权利是否保障", "Procedure lawful, rights protected"),
        True,
    ),
    # The two case-file checks apply to some cases only; they are not required.
    ReviewPoint("documents", Text("文书是否齐全", "Documents complete"), False),
    ReviewPoint("transfer", Text("是否应当移送", "Should it be transferred"), False),
)
"""The points a reviewer checks: the six of 法制审核, then the case-file checks."""

REVIEW_POINT_CODES = frozenset(p.code for p in REVIEW_POINTS)


@dataclass(frozen=True)
class PointCheck:
    """One review point on a form: whether it was checked, and the reviewer's note."""

    checked: bool = False
    note: str = ""


def normalize_points(raw: Mapping[str, Any] | None) -> dict[str, PointCheck]:
    """Every known point, from the stored JSON (unknown codes are dropped, missing ones
    are unchecked)."""
    raw = raw or {}
    points: dict[str, PointCheck] = {}
    for point in REVIEW_POINTS:
        value = raw.get(point.code)
        if isinstance(value, PointCheck):
            points[point.code] = value
        elif isinstance(value, Mapping):
            points[point.code] = PointCheck(
                bool(value.get("checked", False)), str(value.get("note", "") or "")
            )
        else:
            points[point.code] = PointCheck()
    return points


def points_to_json(points: Mapping[str, PointCheck]) -> dict[str, dict[str, Any]]:
    return {
        code: {"checked": check.checked, "note": check.note.strip()}
        for code, check in points.items()
    }


FIELD_FACTS = Text("简要案情", "Facts in brief")
FIELD_PROPOSED_HANDLING = Text("拟处理意见", "Proposed handling")


def submission_problems(
    facts: str, proposed_handling: str, points: Mapping[str, PointCheck]
) -> list[Text]:
    """What is missing before the form can be submitted; empty when it is complete."""
    problems: list[Text] = []
    if not facts.strip():
        problems.append(Text(f"{FIELD_FACTS.zh}未填写", f"{FIELD_FACTS.en} is empty"))
    if not proposed_handling.strip():
        problems.append(
            Text(
                f"{FIELD_PROPOSED_HANDLING.zh}未填写",
                f"{FIELD_PROPOSED_HANDLING.en} is empty",
            )
        )
    for point in REVIEW_POINTS:
        if point.required and not points.get(point.code, PointCheck()).checked:
            problems.append(
                Text(
                    f"审核要点“{point.label.zh}”未勾选",
                    f'Review point "{point.label.en}" is not checked',
                )
            )
    return problems


# --- the state of the chain --------------------------------------------------------


class AuditState(StrEnum):
    """The derived state of a form. ``NONE`` is only used by lists: a case without a form."""

    NONE = "none"
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> Text:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    AuditState.NONE: Text("无审核表", "No audit form"),
    AuditState.DRAFT: Text("草稿", "Draft"),
    AuditState.IN_REVIEW: Text("审核中", "In review"),
    AuditState.RETURNED: Text("退回补正", "Returned for correction"),
    AuditState.APPROVED: Text("已通过", "Approved"),
    AuditState.REJECTED: Text("不同意", "Rejected"),
}


class StepLike(Protocol):
    """What the derivation needs of a signed review step."""

    @property
    def round(self) -> int: ...

    @property
    def level(self) -> int: ...

    @property
    def decision(self) -> Decision: ...


@dataclass(frozen=True)
class FormStatus:
    """The derived state of a form.

    ``round`` is the round the next step belongs to (or the last round, once the
    chain has ended); ``level`` is the level whose decision is awaited, or None.
    """

    state: AuditState
    round: int
    level: int | None

    @property
    def label(self) -> Text:
        if self.state is AuditState.IN_REVIEW and self.level is not None:
            return in_review_label(self.level)
        return self.state.label

    @property
    def editable(self) -> bool:
        """The form's content may change only before submission or after a return."""
        return self.state in (AuditState.DRAFT, AuditState.RETURNED)

    @property
    def finished(self) -> bool:
        return self.state in (AuditState.APPROVED, AuditState.REJECTED)


def in_review_label(level: int) -> Text:
    return Text(f"审核中·第{level}级", f"In review · level {level}")


def _ordered(steps: Iterable[StepLike]) -> list[StepLike]:
    return sorted(steps, key=lambda s: (s.round, s.level))


def form_status(submitted: bool, steps: Iterable[StepLike]) -> FormStatus:
    """The state of a form from whether it was submitted and its signed steps."""
    ordered = _ordered(steps)
    if not ordered:
        if not submitted:
            return FormStatus(AuditState.DRAFT, 1, None)
        return FormStatus(AuditState.IN_REVIEW, 1, 1)
    last = ordered[-1]
    if last.decision is Decision.REJECT:
        return FormStatus(AuditState.REJECTED, last.round, None)
    if last.decision is Decision.RETURN:
        # The next round starts at level 1, signed by the case officer.
        return FormStatus(AuditState.RETURNED, last.round + 1, 1)
    if last.level >= LEVELS:
        return FormStatus(AuditState.APPROVED, last.round, None)
    return FormStatus(AuditState.IN_REVIEW, last.round, last.level + 1)


def level_role(level: int) -> Role:
    """The role that signs ``level`` (1-based)."""
    return REVIEW_CHAIN[level - 1]


def check_step_position(
    status: FormStatus, level: int, steps: Sequence[StepLike]
) -> None:
    """Raise RuleViolation unless a decision at ``level`` is the next one of the chain."""
    if not 1 <= level <= LEVELS:
        raise RuleViolation(
            Text(
                f"审核级别应为1–{LEVELS}，不能是{level}",
                f"the level must be 1–{LEVELS}, not {level}",
            )
        )
    if status.state is AuditState.DRAFT:
        raise RuleViolation(
            Text(
                "审核表尚未提交，不能签署审核意见",
                "The form has not been submitted; no review yet",
            )
        )
    if status.finished:
        raise RuleViolation(
            Text(
                f"审核已结束（{status.state.label.zh}），不能再签署意见",
                f"The review has ended ({status.state.label.en}); no more opinions",
            )
        )
    assert status.level is not None
    if level == status.level:
        return
    role = level_role(level).label
    signed = any(s.round == status.round and s.level == level for s in steps)
    if signed:
        raise RuleViolation(
            Text(
                f"第{status.round}轮第{level}级（{role.zh}）已签署意见，签署后不可更改；"
                "如需更正，请退回补正后在下一轮重新签署",
                f"Level {level} ({role.en}) is already signed in round {status.round}; a signed "
                "opinion cannot change. To correct it, return the form and sign in the next round",
            )
        )
    expected = level_role(status.level).label
    raise RuleViolation(
        Text(
            f"审核须按顺序进行：现在应由第{status.level}级（{expected.zh}）签署意见，"
            f"不能签署第{level}级（{role.zh}）",
            f"The review runs in order: level {status.level} ({expected.en}) signs next, "
            f"not level {level} ({role.en})",
        )
    )


def check_decision_at_level(level: int, decision: Decision) -> None:
    """Level 1 is the case officer presenting the case: it can only be 同意 (呈请审核)."""
    if level == 1 and decision is not Decision.APPROVE:
        raise RuleViolation(
            Text(
                "第1级为办案民警呈请审核，只能选择“同意”",
                "Level 1 is the case officer presenting the case;"
                ' its decision can only be "Approve"',
            )
        )


# --- what services hand to the UI and the PDF ---------------------------------------


@dataclass(frozen=True)
class StepView:
    """A signed review step, with the names of its reviewer and of who entered it."""

    id: str
    round: int
    level: int
    decision: Decision
    opinion: str
    reviewer_id: str
    reviewer_name: str
    entered_by_id: str
    entered_by_name: str
    reviewed_at: datetime
    signed_at: datetime

    @property
    def role(self) -> Role:
        return level_role(self.level)


@dataclass(frozen=True)
class AuditView:
    """A case audit form as the editor, the case detail and the PDF see it."""

    id: str
    case_id: str
    form_no: str
    version: int
    facts: str
    proposed_handling: str
    points: Mapping[str, PointCheck]
    problems_found: str
    is_major: bool
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    steps: tuple[StepView, ...]

    @property
    def status(self) -> FormStatus:
        return form_status(self.submitted_at is not None, self.steps)

    @property
    def rounds(self) -> int:
        return max((s.round for s in self.steps), default=1)
