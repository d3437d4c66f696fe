"""The points ledger (双项积分) as rules and arithmetic, without storage.

Two scores per officer or unit: points earned for meeting standards (达标得分)
and points deducted for faults (过错扣分). Earned points may offset deductions
(积分消抵): an offset consumes the same amount from both. The assessment score
is ``base + earned − deducted`` and never falls below zero; an offset can never
exceed what is left of either side, so neither balance goes negative either.

The rules (codes, names, points, which findings a deduction is suggested from),
the objection window, the bottom places of the ranking and the early-intervention
thresholds are data: ``resources/rules/point_rules.json``, parsed by
:func:`parse_point_rules`, which refuses a malformed table with a clear message.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from lawsup_desktop.domain.errors import Text, ValidationError
from lawsup_desktop.domain.vocabulary import ScoreKind

FIELD_POINT_RULES = Text("积分规则表", "Points rules table")


class FindingSource(StrEnum):
    """What a deduction can be suggested from."""

    WATCH_FINDING = "watch_finding"  # 每日盯警发现问题
    AUDIT_RETURN = "audit_return"  # 审核退回补正
    RECTIFICATION_OVERDUE = "rectification_overdue"  # 整改逾期

    @property
    def label(self) -> Text:
        return _SOURCE_LABELS[self]


_SOURCE_LABELS = {
    FindingSource.WATCH_FINDING: Text("每日盯警发现问题", "Daily watch finding"),
    FindingSource.AUDIT_RETURN: Text("审核退回补正", "Audit returned for correction"),
    FindingSource.RECTIFICATION_OVERDUE: Text("整改逾期", "Rectification overdue"),
}


class SubjectKind(StrEnum):
    OFFICER = "officer"
    UNIT = "unit"

    @property
    def label(self) -> Text:
        return Text("民警", "Officer") if self is SubjectKind.OFFICER else Text("单位", "Unit")


class AlertLevel(StrEnum):
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def label(self) -> Text:
        if self is AlertLevel.WARNING:
            return Text("预警", "Warning")
        return Text("严重预警", "Critical")


@dataclass(frozen=True)
class PointRule:
    code: str
    name: Text
    points: int
    kind: ScoreKind
    source: FindingSource | None  # None: entered by hand
    problem_types: frozenset[str]  # empty: any problem type

    def applies(self, source: FindingSource, problem_type: str | None) -> bool:
        if self.source is not source:
            return False
        return not self.problem_types or problem_type in self.problem_types


@dataclass(frozen=True)
class BottomRule:
    """The bottom places marked in a ranking: the larger of a count and a share."""

    count: int
    share: float

    def places(self, ranked: int) -> int:
        if ranked <= 1:
            return 0
        wanted = max(self.count, math.ceil(self.share * ranked))
        return min(wanted, ranked - 1)  # someone is always left unmarked


@dataclass(frozen=True)
class Threshold:
    warning: int
    critical: int

    def level(self, deducted: int) -> AlertLevel | None:
        if deducted >= self.critical:
            return AlertLevel.CRITICAL
        if deducted >= self.warning:
            return AlertLevel.WARNING
        return None


@dataclass(frozen=True)
class PointRules:
    rules: tuple[PointRule, ...]
    base_score: int
    objection_days: int
    bottom: Mapping[SubjectKind, BottomRule]
    threshold_days: int
    thresholds: Mapping[SubjectKind, Threshold]

    def rule(self, code: str) -> PointRule | None:
        return next((r for r in self.rules if r.code == code), None)

    def for_finding(
        self, source: FindingSource, problem_type: str | None = None
    ) -> PointRule | None:
        """The first deduction rule that applies to a finding (None: no suggestion)."""
        return next(
            (r for r in self.rules
             if r.kind is ScoreKind.DEDUCTED and r.applies(source, problem_type)),
            None,
        )

    def objection_deadline(self, entry_date: date) -> date:
        """The last day on which an objection to an entry of ``entry_date`` is accepted."""
        return entry_date + timedelta(days=self.objection_days)


def _problem(where: str, zh: str, en: str) -> ValidationError:
    return ValidationError(FIELD_POINT_RULES, Text(f"{where}：{zh}", f"{where}: {en}"))


def _int(document: Mapping[str, Any], key: str, where: str, *, minimum: int = 0) -> int:
    value = document.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise _problem(where, f"“{key}”须为不小于{minimum}的整数",
                       f"'{key}' must be an integer of at least {minimum}")
    return value


def _text(value: Any, where: str) -> Text:
    if not isinstance(value, Mapping) or not value.get("zh") or not value.get("en"):
        raise _problem(where, "名称须有中文和英文", "the name needs Chinese and English")
    return Text(str(value["zh"]), str(value["en"]))


def _rule(raw: Any, index: int) -> PointRule:
    where = f"rules[{index}]"
    if not isinstance(raw, Mapping):
        raise _problem(where, "须为对象", "must be an object")
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip():
        raise _problem(where, "缺少规则代码", "the rule code is missing")
    where = f"{where}（{code}）"
    try:
        kind = ScoreKind(str(raw.get("kind")))
    except ValueError:
        raise _problem(where, "类别须为 earned、deducted 或 offset",
                       "kind must be earned, deducted or offset") from None
    applies = raw.get("applies_to")
    source: FindingSource | None = None
    problem_types: frozenset[str] = frozenset()
    if applies is not None:
        if kind is not ScoreKind.DEDUCTED:
            raise _problem(where, "只有扣分规则可适用于发现",
                           "only a deduction applies to findings")
        try:
            named = applies.get("source") if isinstance(applies, Mapping) else None
            source = FindingSource(str(named))
        except ValueError:
            raise _problem(where, "applies_to.source 无效",
                           "applies_to.source is not valid") from None
        problem_types = frozenset(str(p) for p in applies.get("problem_types") or ())
    return PointRule(code, _text(raw.get("name"), where), _int(raw, "points", where), kind,
                     source, problem_types)


def _per_subject(raw: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping) or not all(isinstance(raw.get(k.value), Mapping)
                                               for k in SubjectKind):
        raise _problem(key, "须为 officer 和 unit 各一项", "needs an officer and a unit entry")
    return raw


def parse_point_rules(document: Mapping[str, Any]) -> PointRules:
    """The rules table from its JSON form; a malformed table raises ValidationError."""
    if not isinstance(document, Mapping):  # synced from the bureau: any shape can arrive
        raise _problem("rules", "规则表应为对象", "the table must be an object")
    raw_rules = document.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _problem("rules", "规则表为空", "the table has no rules")
    rules = tuple(_rule(raw, i) for i, raw in enumerate(raw_rules))
    codes = [r.code for r in rules]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise _problem("rules", f"规则代码重复：{'、'.join(duplicates)}",
                       f"duplicate rule codes: {', '.join(duplicates)}")
    bottom_raw = _per_subject(document.get("bottom_places"), "bottom_places")
    bottom = {}
    for kind in SubjectKind:
        entry = bottom_raw[kind.value]
        share = entry.get("share", 0)
        if not isinstance(share, int | float) or not 0 <= share < 1:
            raise _problem(f"bottom_places.{kind.value}", "share 须在 0 与 1 之间",
                           "share must be from 0 to below 1")
        bottom[kind] = BottomRule(_int(entry, "count", f"bottom_places.{kind.value}"), float(share))
    thresholds_raw = document.get("thresholds")
    if not isinstance(thresholds_raw, Mapping):
        raise _problem("thresholds", "缺少预警阈值", "the thresholds are missing")
    per_subject = _per_subject(thresholds_raw, "thresholds")
    thresholds = {}
    for kind in SubjectKind:
        entry = per_subject[kind.value]
        where = f"thresholds.{kind.value}"
        warning = _int(entry, "warning", where, minimum=1)
        critical = _int(entry, "critical", where, minimum=1)
        if critical < warning:
            raise _problem(where, "严重预警阈值不能低于预警阈值",
                           "the critical threshold cannot be below the warning one")
        thresholds[kind] = Threshold(warning, critical)
    return PointRules(
        rules=rules,
        base_score=_int(document, "base_score", "base_score"),
        objection_days=_int(document, "objection_days", "objection_days", minimum=1),
        bottom=bottom,
        threshold_days=_int(thresholds_raw, "period_days", "thresholds", minimum=1),
        thresholds=thresholds,
    )


# --- arithmetic ---------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """The points of one subject over a period (confirmed entries only)."""

    earned: int
    deducted: int
    offset: int

    @property
    def earned_left(self) -> int:
        return max(0, self.earned - self.offset)

    @property
    def deducted_left(self) -> int:
        return max(0, self.deducted - self.offset)

    @property
    def offsettable(self) -> int:
        """How much may still be offset: never more than either side has left."""
        return min(self.earned_left, self.deducted_left)

    def score(self, base: int) -> int:
        """The assessment score: the base plus earned less deducted, never below zero.
        (An offset moves the same amount off both sides, so it leaves this unchanged.)"""
        return max(0, base + self.earned_left - self.deducted_left)


@dataclass(frozen=True)
class Ranked:
    subject_id: str
    name: str
    balance: Balance
    score: int
    place: int  # 1 = best; equal scores share a place
    bottom: bool


def rank(
    subjects: Iterable[tuple[str, str, Balance]], base: int, bottom: BottomRule
) -> list[Ranked]:
    """Best first: by score, then fewer deductions left, then name. Equal score and
    deductions share a place; the bottom places are marked, and whoever ties with the
    last marked place is marked too (one cannot be singled out from an equal)."""
    rows = sorted(
        ((sid, name, bal, bal.score(base)) for sid, name, bal in subjects),
        key=lambda r: (-r[3], r[2].deducted_left, r[1], r[0]),
    )
    places: list[int] = []
    for index, row in enumerate(rows):
        if index and (row[3], row[2].deducted_left) == (rows[index - 1][3],
                                                        rows[index - 1][2].deducted_left):
            places.append(places[-1])
        else:
            places.append(index + 1)
    marked = bottom.places(len(rows))
    cut = places[len(rows) - marked] if marked else len(rows) + 1
    if cut == 1:  # the bottom ties with the top: all are equal, nobody is singled out
        cut = len(rows) + 1
    return [
        Ranked(sid, name, bal, score, place, place >= cut)
        for (sid, name, bal, score), place in zip(rows, places, strict=True)
    ]


def month_range(month: date) -> tuple[date, date]:
    """The first and last day of ``month``'s month."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def alert_levels(
    totals: Sequence[tuple[str, int]], threshold: Threshold
) -> list[tuple[str, int, AlertLevel]]:
    """The subjects whose deductions reach a threshold, the worst first."""
    found = [(sid, total, level) for sid, total in totals
             if (level := threshold.level(total)) is not None]
    return sorted(found, key=lambda f: (-f[1], f[0]))
