"""The deadline engine: worked examples with their sources, property tests, bad rules."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawsup_desktop.domain.calendar import WorkingCalendar
from lawsup_desktop.domain.deadlines import (
    DeadlineRule,
    DeadlineState,
    DueMoment,
    Extension,
    PeriodUnit,
    RuleBook,
    Suspension,
    add_months,
    compute_due,
    parse_rule_book,
    plain_due,
    state_at,
)
from lawsup_desktop.domain.errors import ValidationError
from lawsup_desktop.services.deadlines import bundled_holiday_ranges, bundled_rules_document

D = dt.date
T = dt.datetime

BOOK: RuleBook = parse_rule_book(bundled_rules_document())
CALENDAR = WorkingCalendar(bundled_holiday_ranges())


def rule(code: str) -> DeadlineRule:
    found = BOOK.get(code)
    assert found is not None, code
    return found


def due(code: str, start: dt.datetime, **kwargs: Any) -> DueMoment:
    return compute_due(rule(code), start, CALENDAR, **kwargs).due


def end_of(day: dt.date) -> DueMoment:
    return DueMoment(day, None)


# --- worked examples ------------------------------------------------------------------


def test_detention_arrest_request_by_day_3() -> None:
    # 刑事诉讼法 Art. 91(1): apply for arrest within 3 days of detention; Art. 105: the
    # day of detention is not counted. Detained Mon 2025-03-10 → by the end of Thu 03-13.
    result = compute_due(rule("criminal_detention_request"), T(2025, 3, 10, 14, 0), CALENDAR)
    assert result.due == end_of(D(2025, 3, 13))
    assert result.due.deadline == T(2025, 3, 13, 23, 59, 59, 999999)
    assert result.state(T(2025, 3, 13, 23, 0)) is DeadlineState.DUE_TODAY
    assert result.state(T(2025, 3, 14, 0, 0)) is DeadlineState.OVERDUE
    bases = [s.basis.zh for s in result.steps if s.basis is not None]
    assert any("第91条" in b for b in bases) and any("第105条" in b for b in bases)


def test_detention_special_circumstances_extend_by_1_to_4_days() -> None:
    # Art. 91(1): in special circumstances +1 to 4 days (7 in all).
    result = compute_due(
        rule("criminal_detention_request"), T(2025, 3, 10, 14, 0), CALENDAR,
        extensions=[Extension(4, "县局负责人批准")],
    )
    assert result.due == end_of(D(2025, 3, 17))
    assert any("特殊情况" in s.text.zh for s in result.steps)


def test_detention_30_day_extension_and_37_days_in_all() -> None:
    # Art. 91(2): roving/repeated/gang suspects: up to 30 days to request; Art. 91(3): the
    # procuratorate decides within 7 days → 37 days in all.
    start = T(2025, 3, 10, 14, 0)
    request = compute_due(rule("criminal_detention_request"), start, CALENDAR,
                          extensions=[Extension(27)])
    assert request.due == end_of(D(2025, 4, 9))
    assert any("流窜作案" in s.text.zh and "第91条第2款" in (s.basis.zh if s.basis else "")
               for s in request.steps)
    assert due("criminal_detention_max", start) == end_of(D(2025, 3, 20))
    assert due("criminal_detention_max", start, extensions=[Extension(27)]) == end_of(
        D(2025, 4, 16)
    )
    with pytest.raises(ValidationError, match="statutory maximum"):
        compute_due(rule("criminal_detention_request"), start, CALENDAR,
                    extensions=[Extension(20), Extension(8)])


def test_bail_runs_12_calendar_months() -> None:
    # Art. 79: 取保候审 at most 12 months, counted to the same-numbered day.
    assert due("bail", T(2025, 3, 10, 9, 0)) == end_of(D(2026, 3, 10))
    # Started on a month's last day → ends on the last day of the 12th month.
    assert due("bail", T(2025, 2, 28, 9, 0)) == end_of(D(2026, 2, 28))


def test_bail_ending_over_national_day_moves_to_the_next_working_day() -> None:
    # Art. 105: a period ending on a holiday ends on the next working day (bail is not
    # custody). 12 months from 2024-10-01 end on 2025-10-01, in the 10-01..10-08 holiday.
    result = compute_due(rule("bail"), T(2024, 10, 1, 10, 0), CALENDAR)
    assert result.due == end_of(D(2025, 10, 9))
    assert result.moved_for_holiday


def test_residential_surveillance_6_months_meets_a_make_up_working_day() -> None:
    # Art. 79: 监视居住 at most 6 months; 2025-08-31 is a month's last day → 2026-02-28, a
    # Saturday that the 2026 arrangement makes a working day (春节调休): no move.
    assert due("residential_surveillance", T(2025, 8, 31, 9, 0)) == end_of(D(2026, 2, 28))


def test_arrest_custody_2_months_plus_1_with_approval_one_level_up() -> None:
    # Art. 156: 2 months after arrest; +1 month with the approval of the procuratorate one
    # level up. A custody period: 2025-08-01 + 2 months = 10-01, a holiday, does not move.
    result = compute_due(rule("arrest_custody"), T(2025, 8, 1, 16, 0), CALENDAR)
    assert result.due == end_of(D(2025, 10, 1))
    assert not result.moved_for_holiday
    extended = compute_due(rule("arrest_custody"), T(2025, 8, 1, 16, 0), CALENDAR,
                           extensions=[Extension(1)])
    assert extended.due == end_of(D(2025, 11, 1))
    assert any("上一级人民检察院" in s.text.zh for s in extended.steps)


def test_public_order_case_with_appraisal_pause_and_30_day_extension() -> None:
    # 治安管理处罚法 (2012) Art. 99: 30 days from acceptance, +30 with approval one level up;
    # time spent on 鉴定 is not counted. Accepted 2025-03-03; 鉴定 03-10..03-20 (10 days).
    start = T(2025, 3, 3, 9, 30)
    appraisal = [Suspension(T(2025, 3, 10, 9, 0), T(2025, 3, 20, 16, 0))]
    assert due("public_order_case", start) == end_of(D(2025, 4, 2))
    # 04-02 + 10 days = Sat 04-12 → the next working day, Mon 04-14.
    assert due("public_order_case", start, suspensions=appraisal) == end_of(D(2025, 4, 14))
    # Extended: 60 days → 05-02, + 10 days of 鉴定 → Mon 05-12.
    result = compute_due(rule("public_order_case"), start, CALENDAR,
                         suspensions=appraisal, extensions=[Extension(30)])
    assert result.due == end_of(D(2025, 5, 12))
    assert result.suspended == dt.timedelta(days=10)
    assert any("中止计算" in s.text.zh and s.basis and "第99条第2款" in s.basis.zh
               for s in result.steps)


def test_deadline_over_national_day_with_and_without_custody() -> None:
    # Art. 105: 3 days from Sun 2025-09-28 end on 10-01 (holiday until 10-08). Not in
    # custody → 10-09; in custody → stays 10-01.
    start = T(2025, 9, 28, 10, 0)
    assert due("criminal_registration_review", start) == end_of(D(2025, 10, 9))
    assert due("criminal_registration_review", start, custody=True) == end_of(D(2025, 10, 1))
    assert due("criminal_detention_request", start) == end_of(D(2025, 10, 1))


def test_a_make_up_saturday_is_a_working_day_for_the_move() -> None:
    # 2025-10-11 (Sat) is a make-up working day: 3 days from 10-08 end there, no move.
    assert due("criminal_registration_review", T(2025, 10, 8, 9, 0)) == end_of(D(2025, 10, 11))


def test_hour_based_periods_start_at_the_next_hour_and_never_end_at_midnight() -> None:
    # Registration review of administrative cases: 24 h; the starting hour is not counted.
    assert due("admin_acceptance_review", T(2025, 3, 3, 10, 25)) == DueMoment(
        D(2025, 3, 4), dt.time(11, 0)
    )
    # From 23:10 counting starts at 00:00 and runs to the end of the next day.
    late = due("admin_acceptance_review", T(2025, 3, 3, 23, 10))
    assert late == end_of(D(2025, 3, 4)) and late.time is None
    # Hour periods run on through weekends and holidays.
    assert due("admin_acceptance_review", T(2025, 9, 30, 15, 0)) == DueMoment(
        D(2025, 10, 1), dt.time(16, 0)
    )


def test_states_over_time_and_due_today_is_not_overdue() -> None:
    moment = end_of(D(2025, 3, 13))
    assert state_at(moment, 1, T(2025, 3, 11, 23, 0)) is DeadlineState.NORMAL
    assert state_at(moment, 1, T(2025, 3, 12, 0, 0)) is DeadlineState.APPROACHING
    assert state_at(moment, 1, T(2025, 3, 13, 0, 0)) is DeadlineState.DUE_TODAY
    assert state_at(moment, 1, T(2025, 3, 13, 23, 59, 59)) is DeadlineState.DUE_TODAY
    assert state_at(moment, 1, T(2025, 3, 14, 0, 0)) is DeadlineState.OVERDUE
    assert state_at(moment, 0, T(2025, 3, 12, 12, 0)) is DeadlineState.NORMAL


def test_month_arithmetic() -> None:
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2025, 4, 30), 1) == D(2025, 5, 31)  # last day → last day
    assert add_months(D(2025, 11, 15), 2) == D(2026, 1, 15)


def test_the_year_without_a_published_arrangement_is_flagged_in_the_steps() -> None:
    result = compute_due(rule("bail"), T(2026, 6, 1, 9, 0), CALENDAR)
    assert any("尚未正式公布" in s.text.zh for s in result.steps)
    assert not any(
        "尚未正式公布" in s.text.zh
        for s in compute_due(rule("bail"), T(2025, 6, 1, 9, 0), CALENDAR).steps
    )


def test_bad_adjustments_are_refused() -> None:
    start = T(2025, 3, 3, 9, 0)
    with pytest.raises(ValidationError, match="cannot be extended"):
        compute_due(rule("bail"), start, CALENDAR, extensions=[Extension(1)])
    with pytest.raises(ValidationError, match="positive"):
        compute_due(rule("public_order_case"), start, CALENDAR, extensions=[Extension(-3)])
    with pytest.raises(ValidationError, match="cannot be suspended"):
        compute_due(rule("criminal_detention_request"), start, CALENDAR,
                    suspensions=[Suspension(T(2025, 3, 4), T(2025, 3, 5))])
    with pytest.raises(ValidationError, match="before the start"):
        Suspension(T(2025, 3, 5), T(2025, 3, 4))


def test_a_suspension_after_expiry_does_not_revive_the_period() -> None:
    start = T(2025, 3, 3, 9, 30)
    late = [Suspension(T(2025, 4, 10), T(2025, 4, 20))]
    result = compute_due(rule("public_order_case"), start, CALENDAR, suspensions=late)
    assert result.due == end_of(D(2025, 4, 2))
    assert any("不予扣除" in s.text.zh for s in result.steps)


# --- bad rules tables --------------------------------------------------------------------


def _document_with(change: dict[str, Any], code: str = "bail") -> dict[str, Any]:
    document = copy.deepcopy(bundled_rules_document())
    for entry in document["rules"]:
        if entry["code"] == code:
            entry.update(change)
            for key in [k for k, v in change.items() if v is None]:
                del entry[key]
    return document


@pytest.mark.parametrize(
    ("change", "zh", "en"),
    [
        ({"citation": None}, "缺少法律依据", "statute citation missing"),
        ({"citation": {"law": {"zh": "刑事诉讼法", "en": "CPL"}, "year": 2018}},
         "缺少条文号", "article is missing"),
        ({"period": {"value": -3, "unit": "days"}}, "必须大于零", "must be positive"),
        ({"period": {"value": 0, "unit": "months"}}, "必须大于零", "must be positive"),
        ({"period": {"value": 3, "unit": "weeks"}}, "期间单位无效", "invalid period unit"),
        ({"name": {"zh": "取保候审"}}, "缺少规则名称", "rule name missing"),
        ({"warn_days": -1}, "预警天数", "warn_days"),
        ({"extensions": [{"up_to": 10, "condition": {"zh": "x", "en": "x"}}]},
         "必须大于原期间", "must exceed"),
    ],
)
def test_bad_rules_are_refused_with_a_clear_message(change: dict[str, Any], zh: str,
                                                    en: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_rule_book(_document_with(change))
    assert zh in error.value.message.zh and "bail" in error.value.message.zh
    assert en in error.value.message.en and "bail" in error.value.message.en


def test_duplicate_rule_codes_are_refused() -> None:
    document = copy.deepcopy(bundled_rules_document())
    document["rules"].append(copy.deepcopy(document["rules"][0]))
    with pytest.raises(ValidationError, match="appears twice"):
        parse_rule_book(document)


def test_every_bundled_rule_has_a_citation_and_a_positive_period() -> None:
    assert len(list(BOOK)) >= 8
    for each in BOOK:
        assert each.value > 0 and each.citation.text.zh.startswith("《")
    custody = {r.code for r in BOOK if r.in_custody}
    assert custody == {"criminal_detention_request", "criminal_detention_max", "arrest_custody"}


# --- properties ----------------------------------------------------------------------------

RULE_CODES = sorted(BOOK.rules)
starts = st.datetimes(min_value=T(2025, 1, 1), max_value=T(2027, 6, 30)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(RULE_CODES), start=starts, custody=st.booleans())
def test_due_is_never_before_the_start(code: str, start: dt.datetime, custody: bool) -> None:
    assert due(code, start, custody=custody).deadline >= start


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(RULE_CODES), start=starts)
def test_custody_periods_never_move_for_holidays(code: str, start: dt.datetime) -> None:
    # In custody the calendar must make no difference at all.
    without_calendar = compute_due(rule(code), start, WorkingCalendar([]), custody=True).due
    assert due(code, start, custody=True) == without_calendar
    if rule(code).in_custody:
        assert due(code, start) == without_calendar


SUSPENDABLE = sorted(code for code in RULE_CODES if BOOK.rules[code].suspension is not None)


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from(SUSPENDABLE),
    start=starts,
    offset=st.floats(min_value=0, max_value=1),
    days=st.integers(min_value=0, max_value=40),
    custody=st.booleans(),
)
def test_a_suspension_moves_the_due_later_by_its_span(
    code: str, start: dt.datetime, offset: float, days: int, custody: bool
) -> None:
    before = due(code, start, custody=True)
    # A suspension starting inside the running period (offset 0..1 of it).
    begins = start + (before.deadline - start) * offset
    suspension = Suspension(begins, begins + dt.timedelta(days=days))
    after_custody = due(code, start, custody=True, suspensions=[suspension])
    # With no move to a working day, the due moves by exactly the suspended span.
    assert after_custody.day == before.day + dt.timedelta(days=days)
    # With the move, it is never earlier than without the suspension.
    if not custody:
        assert due(code, start, suspensions=[suspension]).deadline >= due(code, start).deadline


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from(RULE_CODES),
    start=starts,
    first=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=400)),
    later=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=30)),
)
def test_the_state_only_worsens_as_time_passes(
    code: str, start: dt.datetime, first: dt.timedelta, later: dt.timedelta
) -> None:
    result = compute_due(rule(code), start, CALENDAR)
    earlier = result.state(start + first)
    assert earlier.rank <= result.state(start + first + later).rank


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from([c for c in RULE_CODES if BOOK.rules[c].unit is not PeriodUnit.HOURS]),
    start=starts,
    seconds=st.integers(min_value=0, max_value=86399),
)
def test_due_today_is_never_overdue(code: str, start: dt.datetime, seconds: int) -> None:
    result = compute_due(rule(code), start, CALENDAR)
    now = dt.datetime.combine(result.due.day, dt.time()) + dt.timedelta(seconds=seconds)
    assert result.state(now) is DeadlineState.DUE_TODAY


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(RULE_CODES), start=starts)
def test_the_bulk_path_counts_as_the_explained_one(code: str, start: dt.datetime) -> None:
    assert plain_due(rule(code), start, CALENDAR) == due(code, start)
