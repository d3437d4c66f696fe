"""The working-day calendar and the bundled State Council holiday arrangements."""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files

import pytest

from lawsup_desktop.domain.calendar import HolidayRange, WorkingCalendar
from lawsup_desktop.domain.errors import ValidationError
from lawsup_desktop.services.deadlines import bundled_holiday_ranges, holiday_ranges_from

D = dt.date


@pytest.fixture(scope="module")
def bundled() -> WorkingCalendar:
    return WorkingCalendar(bundled_holiday_ranges())


def test_weekends_are_days_off_without_any_arrangement() -> None:
    calendar = WorkingCalendar([])
    assert calendar.is_working_day(D(2025, 3, 14))  # Friday
    assert not calendar.is_working_day(D(2025, 3, 15))  # Saturday
    assert not calendar.is_working_day(D(2025, 3, 16))  # Sunday
    assert calendar.next_working_day(D(2025, 3, 15)) == D(2025, 3, 17)
    assert calendar.next_working_day(D(2025, 3, 14)) == D(2025, 3, 14)


# 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）, item 6:
# 10月1日至8日放假调休，共8天；9月28日（周日）、10月11日（周六）上班.
def test_2025_national_day_and_its_make_up_working_days(bundled: WorkingCalendar) -> None:
    for day in range(1, 9):
        assert not bundled.is_working_day(D(2025, 10, day)), day
    assert bundled.is_working_day(D(2025, 10, 9))
    assert bundled.is_working_day(D(2025, 9, 28))  # a Sunday worked
    assert bundled.is_working_day(D(2025, 10, 11))  # a Saturday worked
    assert bundled.next_working_day(D(2025, 10, 1)) == D(2025, 10, 9)
    reason = bundled.day_off_reason(D(2025, 10, 3))
    assert reason is not None and "国庆节" in reason.zh and "National Day" in reason.en


# 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04).
@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 1, 2), False),  # 元旦 1月1日至3日
        (D(2026, 1, 4), True),  # 1月4日（周日）上班
        (D(2026, 2, 14), True),  # 春节调休：2月14日（周六）上班
        (D(2026, 2, 23), False),  # 春节 2月15日至23日
        (D(2026, 2, 28), True),  # 2月28日（周六）上班
        (D(2026, 4, 6), False),  # 清明节 4月4日至6日
        (D(2026, 5, 5), False),  # 劳动节 5月1日至5日
        (D(2026, 5, 9), True),  # 5月9日（周六）上班
        (D(2026, 6, 19), False),  # 端午节 6月19日至21日
        (D(2026, 9, 20), True),  # 9月20日（周日）上班
        (D(2026, 9, 25), False),  # 中秋节 9月25日至27日
        (D(2026, 10, 7), False),  # 国庆节 10月1日至7日
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # 10月10日（周六）上班
    ],
)
def test_2026_arrangement(bundled: WorkingCalendar, day: dt.date, working: bool) -> None:
    assert bundled.is_working_day(day) is working


def test_2027_holds_only_provisional_statutory_days(bundled: WorkingCalendar) -> None:
    assert bundled.is_provisional(2027)
    assert not bundled.is_provisional(2025) and not bundled.is_provisional(2026)
    # 全国年节及纪念日放假办法 Art. 2: 春节 = 除夕 + 初一..初三 (2027-02-05..08).
    assert not bundled.is_working_day(D(2027, 2, 8))  # a Monday, 正月初三
    assert bundled.is_working_day(D(2027, 2, 9))
    assert not bundled.is_working_day(D(2027, 10, 1))
    document = json.loads(
        (files("lawsup_desktop.resources") / "rules" / "holidays_2025_2027.json").read_text("utf-8")
    )
    statuses = {a["year"]: a["status"] for a in document["arrangements"]}
    assert statuses == {2025: "published", 2026: "published", 2027: "provisional"}


def test_overlapping_ranges_are_refused_with_both_named() -> None:
    ranges = [
        HolidayRange("国庆节", D(2025, 10, 1), D(2025, 10, 8)),
        HolidayRange("调休", D(2025, 10, 8), D(2025, 10, 8), is_workday=True),
    ]
    with pytest.raises(ValidationError) as error:
        WorkingCalendar(ranges)
    assert "重叠" in error.value.message.zh and "国庆节" in error.value.message.zh
    assert "overlapping" in error.value.message.en and "2025-10-08" in error.value.message.en


def test_a_range_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="before"):
        WorkingCalendar([HolidayRange("春节", D(2025, 2, 4), D(2025, 1, 28))])


def test_a_holiday_table_with_overlaps_is_refused_as_a_whole() -> None:
    document = {
        "arrangements": [
            {"year": 2025, "status": "published", "periods": [
                {"name": "劳动节", "first_day": "2025-05-01", "last_day": "2025-05-05"},
                {"name": "劳动节", "first_day": "2025-05-04", "last_day": "2025-05-06"},
            ]}
        ]
    }
    with pytest.raises(ValidationError, match="overlapping"):
        WorkingCalendar(holiday_ranges_from(document))
