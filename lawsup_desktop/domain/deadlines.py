"""The deadline engine: legal time limits as data, counted as the law says.

Pure Python (no Qt, no ORM). A :class:`DeadlineRule` comes from the rules table
(bundled ``resources/rules/deadline_rules.json`` or the bureau's synced
``DeadlineRule`` rows); :func:`compute_due` turns a start moment, the working
calendar, suspensions and approved extensions into a :class:`DueMoment` with the
counting steps, each with its legal basis, so a supervisor can check it by hand.

Counting (刑事诉讼法 Art. 105; 公安机关办理行政案件程序规定 for administrative cases):
- the hour or day on which a period starts is not counted: an hour-based period
  starts at the next full hour, a day-based one on the next day;
- a day- or month-based period ends at the END of its last day (日终), never at
  00:00 of that day;
- months are calendar months, to the same-numbered day of the last month (or
  that month's last day when it has no such day, or when the period started on
  a month's last day);
- a period whose last day is a holiday or weekend ends on the next working day,
  except for a person in custody; hour-based periods run continuously;
- a suspension (e.g. time spent on 鉴定) pauses the clock: the due moment moves
  later by the suspended span; it is not a restart;
- approved extensions lengthen the period up to the rule's statutory maximum.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from lawsup_desktop.domain.calendar import WorkingCalendar
from lawsup_desktop.domain.errors import Text, ValidationError

FIELD_RULE = Text("期限规则", "Deadline rule")
FIELD_EXTENSION = Text("延长期限", "Extension")
FIELD_SUSPENSION = Text("中止计算", "Suspension")
FIELD_START = Text("起算时间", "Start")


class PeriodUnit(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    MONTHS = "months"

    @property
    def label(self) -> Text:
        return {
            PeriodUnit.HOURS: Text("小时", "hours"),
            PeriodUnit.DAYS: Text("日", "days"),
            PeriodUnit.MONTHS: Text("个月", "months"),
        }[self]


class Anchor(StrEnum):
    """What a period runs from."""

    MEASURE = "measure"  # the start of a coercive measure of ``measure_kind``
    CASE_ACCEPTED = "case_accepted"  # 受案
    CASE_REGISTERED = "case_registered"  # 立案
    INCIDENT_RECEIVED = "incident_received"  # 接报

    @property
    def label(self) -> Text:
        return {
            Anchor.MEASURE: Text("强制措施开始执行", "start of the coercive measure"),
            Anchor.CASE_ACCEPTED: Text("受案", "case acceptance"),
            Anchor.CASE_REGISTERED: Text("立案", "case registration"),
            Anchor.INCIDENT_RECEIVED: Text("接报", "report received"),
        }[self]


class DeadlineState(StrEnum):
    """Urgency of a due moment at a given ``now``, in increasing order."""

    NORMAL = "normal"
    APPROACHING = "approaching"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"

    @property
    def label(self) -> Text:
        return _STATE_LABELS[self]

    @property
    def rank(self) -> int:
        return _STATE_ORDER.index(self)


_STATE_ORDER = (
    DeadlineState.NORMAL,
    DeadlineState.APPROACHING,
    DeadlineState.DUE_TODAY,
    DeadlineState.OVERDUE,
)
_STATE_LABELS = {
    DeadlineState.NORMAL: Text("正常", "Normal"),
    DeadlineState.APPROACHING: Text("临期", "Approaching"),
    DeadlineState.DUE_TODAY: Text("今日到期", "Due today"),
    DeadlineState.OVERDUE: Text("已逾期", "Overdue"),
}


# --- the rules table ---------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """A statute citation kept as data: statutes get renumbered (the Public Security
    Administration Punishments Law was rewritten with effect from 2026-01-01).
    Documents without numbered articles name a ``section`` instead."""

    law: Text
    year: int
    article: str = ""
    paragraph: str = ""
    section: Text | None = None

    @property
    def text(self) -> Text:
        para_zh = f"第{self.paragraph}款" if self.paragraph else ""
        para_en = f"({self.paragraph})" if self.paragraph else ""
        if self.article:
            where = Text(f"第{self.article}条{para_zh}", f", Art. {self.article}{para_en}")
        else:
            assert self.section is not None  # parse_rule requires one of the two
            where = Text(f"“{self.section.zh}”", f", \"{self.section.en}\"")
        return Text(
            f"《{self.law.zh}》（{self.year}年）{where.zh}",
            f"{self.law.en} ({self.year}){where.en}",
        )


@dataclass(frozen=True)
class ExtensionTier:
    """How far an approved extension may take the period, and who approves it."""

    up_to: int  # the whole period after extension, in the rule's unit
    condition: Text
    approval: Text | None  # None: the law names no approving authority
    citation: Citation | None = None


@dataclass(frozen=True)
class DeadlineRule:
    code: str
    name: Text
    citation: Citation
    value: int
    unit: PeriodUnit
    anchor: Anchor
    counting: Citation  # the general counting rule (Art. 105 or its administrative twin)
    measure_kind: str | None = None
    case_kind: str | None = None
    in_custody: bool = False  # custody periods do not move for holidays
    warn_days: int = 1
    extensions: tuple[ExtensionTier, ...] = ()
    suspension: Citation | None = None  # the basis for pausing the clock, when allowed
    month_counting: Citation | None = None
    ends_when: str = ""
    extensions_from: str | None = None
    note: Text | None = None

    @property
    def max_extension(self) -> int:
        return max((tier.up_to for tier in self.extensions), default=self.value) - self.value

    def tier_for(self, total: int) -> ExtensionTier | None:
        """The smallest extension tier that allows a whole period of ``total``."""
        for tier in sorted(self.extensions, key=lambda t: t.up_to):
            if total <= tier.up_to:
                return tier
        return None


def _rule_error(code: str, zh: str, en: str) -> ValidationError:
    return ValidationError(
        Text(f"期限规则 {code or '（无代码）'}", f"Deadline rule {code or '(no code)'}"),
        Text(zh, en),
    )


def _text(value: Any, code: str, what_zh: str, what_en: str) -> Text:
    if isinstance(value, Mapping):
        zh, en = str(value.get("zh", "")).strip(), str(value.get("en", "")).strip()
        if zh and en:
            return Text(zh, en)
    raise _rule_error(
        code, f"缺少{what_zh}（中文和英文）", f"{what_en} missing (Chinese and English)"
    )


def _citation(value: Any, code: str, what_zh: str, what_en: str) -> Citation:
    if not isinstance(value, Mapping) or not value:
        raise _rule_error(code, f"缺少{what_zh}", f"{what_en} missing")
    law = _text(value.get("law"), code, f"{what_zh}的法律名称", f"{what_en}: name of the law")
    year = value.get("year")
    article = str(value.get("article", "")).strip()
    if not isinstance(year, int) or isinstance(year, bool) or year < 1949:
        raise _rule_error(code, f"{what_zh}缺少年份（版本）", f"{what_en}: the year is missing")
    section = None
    if not article:
        if not value.get("section"):
            raise _rule_error(code, f"{what_zh}缺少条文号", f"{what_en}: the article is missing")
        section = _text(value["section"], code, f"{what_zh}的章节", f"{what_en}: section")
    return Citation(law, year, article, str(value.get("paragraph", "")).strip(), section)


def _positive_int(value: Any, code: str, what_zh: str, what_en: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _rule_error(code, f"{what_zh}必须是整数", f"{what_en} must be a whole number")
    if value <= 0:
        raise _rule_error(
            code, f"{what_zh}必须大于零（现为 {value}）", f"{what_en} must be positive (is {value})"
        )
    return value


def parse_rule(data: Mapping[str, Any], counting_bases: Mapping[str, Citation]) -> DeadlineRule:
    """A rule from its table entry; raises ValidationError naming the rule and the problem."""
    # The table may come from the bureau through sync: every shape is checked, never assumed.
    if not isinstance(data, Mapping):
        raise _rule_error("", "规则条目应为对象", "a rule entry must be an object")
    code = str(data.get("code", "")).strip()
    if not code:
        raise _rule_error("", "缺少规则代码", "the rule code is missing")
    name = _text(data.get("name"), code, "规则名称", "rule name")
    citation = _citation(data.get("citation"), code, "法律依据", "statute citation")
    period = data.get("period")
    if not isinstance(period, Mapping):
        raise _rule_error(code, "缺少期间", "the period is missing")
    value = _positive_int(period.get("value"), code, "期间", "the period")
    try:
        unit = PeriodUnit(str(period.get("unit")))
    except ValueError:
        raise _rule_error(
            code,
            f"期间单位无效：{period.get('unit')!r}（应为 hours/days/months）",
            f"invalid period unit {period.get('unit')!r} (hours, days or months)",
        ) from None
    runs_from = data.get("runs_from")
    if not isinstance(runs_from, Mapping):
        raise _rule_error(code, "缺少起算点", "what the period runs from is missing")
    try:
        anchor = Anchor(str(runs_from.get("kind")))
    except ValueError:
        kind = runs_from.get("kind")
        raise _rule_error(code, f"起算点无效：{kind!r}", f"invalid start {kind!r}") from None
    measure_kind = runs_from.get("measure_kind")
    if anchor is Anchor.MEASURE and not measure_kind:
        raise _rule_error(
            code, "起算点为强制措施时须写明措施种类", "a measure start needs the measure kind"
        )
    counting_key = str(data.get("counting", "criminal"))
    if counting_key not in counting_bases:
        raise _rule_error(
            code, f"未知的期间计算依据：{counting_key}", f"unknown counting basis {counting_key!r}"
        )
    warn_days = data.get("warn_days", 1)
    if not isinstance(warn_days, int) or isinstance(warn_days, bool) or warn_days < 0:
        raise _rule_error(code, "预警天数不能为负数", "warn_days must be zero or more")
    raw_tiers = data.get("extensions", ())
    if not isinstance(raw_tiers, list | tuple) or not all(
        isinstance(raw, Mapping) for raw in raw_tiers
    ):
        raise _rule_error(code, "延长规定应为对象列表", "extensions must be a list of objects")
    up_tos = [
        _positive_int(raw.get("up_to"), code, "延长后的期间", "the extended period")
        for raw in raw_tiers
    ]
    tiers = []
    previous = value
    for up_to, raw in sorted(zip(up_tos, raw_tiers, strict=True), key=lambda pair: pair[0]):
        if up_to <= previous:
            raise _rule_error(
                code,
                f"延长后的期间（{up_to}）必须大于原期间（{previous}）",
                f"an extended period ({up_to}) must exceed the one before it ({previous})",
            )
        previous = up_to
        tiers.append(
            ExtensionTier(
                up_to=up_to,
                condition=_text(raw.get("condition"), code, "延长条件", "extension condition"),
                approval=_text(raw["approval"], code, "批准层级", "approval level")
                if raw.get("approval")
                else None,
                citation=_citation(raw["citation"], code, "延长依据", "extension citation")
                if raw.get("citation")
                else None,
            )
        )
    suspension = data.get("suspension")
    month_key = str(data.get("month_counting", "months"))
    return DeadlineRule(
        code=code,
        name=name,
        citation=citation,
        value=value,
        unit=unit,
        anchor=anchor,
        counting=counting_bases[counting_key],
        measure_kind=str(measure_kind) if measure_kind else None,
        case_kind=str(runs_from["case_kind"]) if runs_from.get("case_kind") else None,
        in_custody=bool(data.get("in_custody", False)),
        warn_days=warn_days,
        extensions=tuple(tiers),
        suspension=_citation(suspension, code, "中止计算依据", "suspension citation")
        if suspension
        else None,
        month_counting=counting_bases.get(month_key) if unit is PeriodUnit.MONTHS else None,
        ends_when=str(data.get("ends_when", "")),
        extensions_from=str(data["extensions_from"]) if data.get("extensions_from") else None,
        note=_text(data["note"], code, "说明", "note") if data.get("note") else None,
    )


@dataclass(frozen=True)
class RuleBook:
    """The rules by code, in table order."""

    rules: Mapping[str, DeadlineRule]

    def get(self, code: str) -> DeadlineRule | None:
        return self.rules.get(code)

    def __iter__(self) -> Any:
        return iter(self.rules.values())


def parse_rule_book(document: Mapping[str, Any]) -> RuleBook:
    """The whole rules table (the bundled JSON's shape); rule codes must be unique."""
    if not isinstance(document, Mapping):
        raise _rule_error("", "规则表应为对象", "the rules table must be an object")
    bases = counting_bases_of(document)
    rules: dict[str, DeadlineRule] = {}
    raw_rules = document.get("rules", ())
    if not isinstance(raw_rules, list | tuple):
        raise _rule_error("", "规则表的 rules 应为列表", "the table's rules must be a list")
    for raw in raw_rules:
        rule = parse_rule(raw, bases)
        if rule.code in rules:
            raise _rule_error(rule.code, "规则代码重复", "the rule code appears twice")
        rules[rule.code] = rule
    return RuleBook(rules)


def counting_bases_of(document: Mapping[str, Any]) -> dict[str, Citation]:
    """The general counting rules the table's entries refer to by key."""
    bases_raw = document.get("counting_bases")
    if not isinstance(bases_raw, Mapping) or not bases_raw:
        raise _rule_error("", "规则表缺少期间计算依据", "the rules table has no counting bases")
    return {
        key: _citation(value, f"counting_bases.{key}", "计算依据", "counting basis")
        for key, value in bases_raw.items()
    }


# --- inputs and results ----------------------------------------------------------------


@dataclass(frozen=True)
class Suspension:
    """A span when the clock stops (e.g. 鉴定): from ``starts_at`` up to ``ends_at``."""

    starts_at: dt.datetime
    ends_at: dt.datetime

    def __post_init__(self) -> None:
        if self.ends_at < self.starts_at:
            raise ValidationError(
                FIELD_SUSPENSION,
                Text(
                    f"结束时间 {_shown(self.ends_at)} 早于开始时间 {_shown(self.starts_at)}",
                    f"the end {_shown(self.ends_at)} is before the start {_shown(self.starts_at)}",
                ),
            )


@dataclass(frozen=True)
class Extension:
    """An approved extension by ``amount`` units of the rule's period."""

    amount: int
    approval: str = ""


@dataclass(frozen=True)
class DueMoment:
    """When a period expires: a day and a time, or a day and "end of day" (``time``
    None) for day- and month-based periods."""

    day: dt.date
    time: dt.time | None = None

    @cached_property
    def deadline(self) -> dt.datetime:
        """The last instant still in time (23:59:59.999999 for an end of day)."""
        return dt.datetime.combine(self.day, self.time if self.time is not None else dt.time.max)

    @property
    def shown(self) -> Text:
        if self.time is None:
            day = self.day.isoformat()
            return Text(f"{day} 日终（24:00）", f"{day} end of day")
        hhmm = self.time.strftime("%H:%M")
        return Text(f"{self.day.isoformat()} {hhmm}", f"{self.day.isoformat()} {hhmm}")


@dataclass(frozen=True)
class Step:
    """One step of the counting, with its legal basis (None for plain arithmetic)."""

    text: Text
    basis: Text | None = None


@dataclass(frozen=True)
class DeadlineResult:
    rule_code: str
    start: dt.datetime
    due: DueMoment
    warn_days: int
    steps: tuple[Step, ...] = ()
    suspended: dt.timedelta = field(default=dt.timedelta())
    extended_by: int = 0
    moved_for_holiday: bool = False

    def state(self, now: dt.datetime) -> DeadlineState:
        return state_at(self.due, self.warn_days, now)

    def days_left(self, now: dt.datetime) -> int:
        """Calendar days from ``now``'s day to the due day (negative when past)."""
        return (self.due.day - now.date()).days


def state_at(due: DueMoment, warn_days: int, now: dt.datetime) -> DeadlineState:
    """正常 / 临期 / 今日到期 / 已逾期. Due today is never overdue: a day-based period
    runs to the end of its day."""
    if now > due.deadline:
        return DeadlineState.OVERDUE
    days_left = (due.day - now.date()).days
    if days_left <= 0:
        return DeadlineState.DUE_TODAY
    if days_left <= warn_days:
        return DeadlineState.APPROACHING
    return DeadlineState.NORMAL


# --- counting ---------------------------------------------------------------------------


def _shown(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same-numbered day ``months`` later; the month's last day when that month has
    no such day or when ``day`` is the last day of its month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = _gregorian.monthrange(year, month)[1]
    if day.day == _gregorian.monthrange(day.year, day.month)[1]:
        return dt.date(year, month, last)
    return dt.date(year, month, min(day.day, last))


def _merge(suspensions: Iterable[Suspension]) -> list[tuple[dt.datetime, dt.datetime]]:
    spans: list[tuple[dt.datetime, dt.datetime]] = []
    for s in sorted(suspensions, key=lambda s: s.starts_at):
        if spans and s.starts_at <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], s.ends_at))
        else:
            spans.append((s.starts_at, s.ends_at))
    return spans


def compute_due(
    rule: DeadlineRule,
    start: dt.datetime,
    calendar: WorkingCalendar,
    *,
    custody: bool = False,
    suspensions: Sequence[Suspension] = (),
    extensions: Sequence[Extension] = (),
    explain: bool = True,
) -> DeadlineResult:
    """The due moment of ``rule`` for a period starting at ``start``.

    ``custody``: the person is in custody, so the period does not move for holidays
    even when the rule itself is not a custody rule. ``explain=False`` skips building
    the counting steps (the bulk path for thousands of measures).
    """
    try:
        return _compute_due(
            rule, start, calendar, custody=custody, suspensions=suspensions,
            extensions=extensions, explain=explain,
        )
    except OverflowError:
        # A mistyped year (9999-12-31): the period would end past the last date there is.
        raise ValidationError(
            FIELD_START,
            Text(
                f"{_shown(start)} 起算的期间超出可计算的日期范围，请检查年份",
                f"a period starting {_shown(start)} ends past the last date that can be "
                "counted; check the year",
            ),
        ) from None


def _compute_due(
    rule: DeadlineRule,
    start: dt.datetime,
    calendar: WorkingCalendar,
    *,
    custody: bool,
    suspensions: Sequence[Suspension],
    extensions: Sequence[Extension],
    explain: bool,
) -> DeadlineResult:
    steps: list[Step] = []
    unit = rule.unit

    def say(make: Callable[[], Step]) -> None:
        # Steps are built only when asked for: the bulk path counts 50,000 measures.
        if explain:
            steps.append(make())

    # Extensions: each approved, and together within the statutory maximum.
    extra = 0
    for extension in extensions:
        if extension.amount <= 0:
            raise ValidationError(
                FIELD_EXTENSION,
                Text(
                    f"延长幅度必须大于零（现为 {extension.amount}）",
                    f"an extension must be positive (is {extension.amount})",
                ),
            )
        extra += extension.amount
    if extra and not rule.extensions:
        raise ValidationError(
            FIELD_EXTENSION,
            Text(f"{rule.name.zh}依法不能延长", f"{rule.name.en} cannot be extended by law"),
        )
    if extra > rule.max_extension:
        raise ValidationError(
            FIELD_EXTENSION,
            Text(
                f"延长{extra}{unit.label.zh}超过法定上限：{rule.name.zh}最长"
                f"{rule.value + rule.max_extension}{unit.label.zh}",
                f"extending by {extra} {unit.label.en} exceeds the statutory maximum: "
                f"{rule.name.en} is at most {rule.value + rule.max_extension} {unit.label.en}",
            ),
        )
    if suspensions and rule.suspension is None:
        raise ValidationError(
            FIELD_SUSPENSION,
            Text(
                f"{rule.name.zh}的期间不因鉴定等事由中止计算",
                f"the period of {rule.name.en} cannot be suspended",
            ),
        )
    total = rule.value + extra

    say(
        lambda: Step(
            Text(
                f"起算：{_shown(start)}（{rule.anchor.label.zh}）",
                f"Start: {_shown(start)} ({rule.anchor.label.en})",
            ),
            rule.citation.text,
        )
    )
    if extra:
        tier = rule.tier_for(total)
        assert tier is not None  # guaranteed by the maximum check above
        by_zh = f"；经{tier.approval.zh}批准" if tier.approval else ""
        by_en = f"; approved by {tier.approval.en}" if tier.approval else ""
        say(
            lambda: Step(
                Text(
                    f"延长{extra}{unit.label.zh}（{tier.condition.zh}{by_zh}），"
                    f"期间合计{total}{unit.label.zh}",
                    f"Extended by {extra} {unit.label.en} ({tier.condition.en}{by_en}): "
                    f"{total} {unit.label.en} in all",
                ),
                (tier.citation or rule.citation).text,
            )
        )

    # The base period: the starting hour/day is not counted.
    end = _base_end(unit, start, total)
    if unit is PeriodUnit.HOURS:
        counting_from = start.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        say(
            lambda: Step(
                Text(
                    f"期间开始的时不计算在内，自{_shown(counting_from)}起算，"
                    f"{total}小时至{_shown(counting_from + dt.timedelta(hours=total))}",
                    f"The starting hour is not counted: counting from {_shown(counting_from)}, "
                    f"{total} hours run to {_shown(counting_from + dt.timedelta(hours=total))}",
                ),
                rule.counting.text,
            )
        )
    else:
        first_day = start.date() + dt.timedelta(days=1)
        if unit is PeriodUnit.DAYS:
            say(
                lambda: Step(
                    Text(
                        f"期间开始的日不计算在内，自{first_day.isoformat()}起算第{total}日为"
                        f"{end.isoformat()}",
                        f"The starting day is not counted: counting from {first_day.isoformat()}, "
                        f"day {total} is {end.isoformat()}",
                    ),
                    rule.counting.text,
                )
            )
        else:
            say(
                lambda: Step(
                    Text(
                        f"期间开始的日不计算在内；以月计算，自{start.date().isoformat()}起"
                        f"{total}个月至{end.isoformat()}（对应日；无对应日的为该月末日）",
                        f"The starting day is not counted; counted in calendar months, "
                        f"{total} months from {start.date().isoformat()} run to "
                        f"{end.isoformat()} (the same-numbered day, or that month's last day)",
                    ),
                    (rule.month_counting or rule.counting).text,
                )
            )

    # Suspensions: the clock stops for the suspended span (not a restart). Only the
    # part after the start counts; a suspension after expiry cannot revive the period.
    suspended = dt.timedelta()
    for begins, ends in _merge(suspensions):
        begins = max(begins, start)
        running_deadline = (
            end if isinstance(end, dt.datetime) else dt.datetime.combine(end, dt.time.max)
        )
        if ends <= begins:
            continue
        if begins > running_deadline:
            if explain:
                steps.append(_late_suspension_step(rule, begins, ends))
            continue
        if isinstance(end, dt.datetime):
            span = ends - begins
            end = end + span
        else:
            span = dt.timedelta(days=(ends.date() - begins.date()).days)
            end = end + span
        suspended += span
        if explain:
            steps.append(_suspension_step(rule, begins, ends, span, end))

    due, off = _settle(rule, end, calendar, custody=custody)
    moved = off is not None and due.day != end
    if isinstance(end, dt.datetime):
        say(
            lambda: Step(
                Text(
                    "以小时计算的期间连续计算，不因节假日顺延",
                    "A period in hours runs on continuously; it does not move for holidays",
                ),
                None,
            )
        )
    elif off is not None:
        last_day = end
        if moved:
            say(
                lambda: Step(
                    Text(
                        f"届满日{last_day.isoformat()}为{off.zh}，以节假日后的第一个工作日"
                        f"{due.day.isoformat()}为期满日期",
                        f"The last day {last_day.isoformat()} is a {off.en}: the period "
                        f"ends on the next working day, {due.day.isoformat()}",
                    ),
                    rule.counting.text,
                )
            )
        else:
            say(
                lambda: Step(
                    Text(
                        f"届满日{last_day.isoformat()}为{off.zh}，但在押人员的期间"
                        f"至期满之日为止，不因节假日延长",
                        f"The last day {last_day.isoformat()} is a {off.en}, but a period "
                        f"of a person in custody ends on its day and does not move",
                    ),
                    rule.counting.text,
                )
            )
    if explain and due.time is None and (
        due.day.year not in calendar.years or calendar.is_provisional(due.day.year)
    ):
        say(
            lambda: Step(
                Text(
                    f"注意：{due.day.year}年的节假日安排尚未正式公布或未载入，"
                    f"仅按周末和已载入的法定假日判断，公布后可能变化",
                    f"Note: the {due.day.year} holiday arrangement is not published or "
                    f"not loaded; only weekends and the statutory holidays loaded are "
                    f"known, so the due day may change",
                ),
                None,
            )
        )
    say(lambda: Step(Text(f"到期：{due.shown.zh}", f"Due: {due.shown.en}"), None))
    return DeadlineResult(
        rule_code=rule.code,
        start=start,
        due=due,
        warn_days=rule.warn_days,
        steps=tuple(steps),
        suspended=suspended,
        extended_by=extra,
        moved_for_holiday=moved,
    )


def _base_end(unit: PeriodUnit, start: dt.datetime, total: int) -> dt.datetime | dt.date:
    """Where a period of ``total`` units ends, the starting hour/day not counted: an
    instant for hours, the last day for days and months."""
    if unit is PeriodUnit.HOURS:
        return start.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1 + total)
    if unit is PeriodUnit.DAYS:
        return start.date() + dt.timedelta(days=total)
    return add_months(start.date(), total)


def _settle(
    rule: DeadlineRule, end: dt.datetime | dt.date, calendar: WorkingCalendar, *, custody: bool
) -> tuple[DueMoment, Text | None]:
    """The due moment of a period ending at ``end``, and why its last day is off (None
    when it is a working day, or for hour-based periods, which run on continuously)."""
    if isinstance(end, dt.datetime):
        # An hour-based period ending at 00:00 ends with the day before: never show 00:00.
        if end.time() == dt.time(0, 0):
            return DueMoment(end.date() - dt.timedelta(days=1), None), None
        return DueMoment(end.date(), end.time()), None
    off = calendar.day_off_reason(end) if not calendar.is_working_day(end) else None
    if off is None or rule.in_custody or custody:
        return DueMoment(end, None), off
    return DueMoment(calendar.next_working_day(end), None), off


def plain_due(
    rule: DeadlineRule, start: dt.datetime, calendar: WorkingCalendar
) -> DueMoment:
    """The due moment without suspensions or extensions, counted as :func:`compute_due`
    counts it but without its checks and steps: the bulk path for whole stations."""
    return _settle(rule, _base_end(rule.unit, start, rule.value), calendar, custody=False)[0]


def _late_suspension_step(rule: DeadlineRule, begins: dt.datetime, ends: dt.datetime) -> Step:
    return Step(
        Text(
            f"中止 {_shown(begins)}～{_shown(ends)} 发生在期间届满之后，不予扣除",
            f"The suspension {_shown(begins)}..{_shown(ends)} began after expiry "
            f"and is not deducted",
        ),
        rule.suspension.text if rule.suspension else None,
    )


def _suspension_step(
    rule: DeadlineRule,
    begins: dt.datetime,
    ends: dt.datetime,
    span: dt.timedelta,
    end: dt.datetime | dt.date,
) -> Step:
    if isinstance(end, dt.datetime):
        amount = Text(_span_zh(span), _span_en(span))
    else:
        amount = Text(f"{span.days}日", f"{span.days} days")
    return Step(
        Text(
            f"中止计算 {_shown(begins)}～{_shown(ends)}，{amount.zh}不计入期间，"
            f"届满顺延至{_end_shown(end).zh}",
            f"Suspended {_shown(begins)}..{_shown(ends)}: {amount.en} not counted, "
            f"expiry moves to {_end_shown(end).en}",
        ),
        rule.suspension.text if rule.suspension else None,
    )


def _end_shown(end: dt.datetime | dt.date) -> Text:
    if isinstance(end, dt.datetime):
        return Text(_shown(end), _shown(end))
    return DueMoment(end, None).shown


def _span_zh(span: dt.timedelta) -> str:
    hours, rest = divmod(int(span.total_seconds()), 3600)
    return f"{hours}小时{rest // 60}分" if rest else f"{hours}小时"


def _span_en(span: dt.timedelta) -> str:
    hours, rest = divmod(int(span.total_seconds()), 3600)
    return f"{hours} h {rest // 60} min" if rest else f"{hours} hours"
