"""The working-day calendar: weekends, the State Council's holiday arrangements and
their make-up working days (调休上班).

Pure Python: the arrangement is data (bundled JSON, or the bureau's synced
``HolidayPeriod`` rows); this module only reads it and answers "is this day a
working day?" and "which working day comes next?".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from lawsup_desktop.domain.errors import Text, ValidationError

FIELD_CALENDAR = Text("节假日安排", "Holiday calendar")

# English names of the festivals the State Council's notices use; the arrangement
# data (and the synced HolidayPeriod rows) carry only the Chinese name.
_ENGLISH_NAMES = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Qingming Festival",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-Autumn Festival",
    "国庆节": "National Day",
}


def english_holiday_name(name: str) -> str:
    """"国庆节、中秋节" -> "National Day and Mid-Autumn Festival"; unknown names stay."""
    parts = [p.strip() for p in name.split("、")]
    if all(p in _ENGLISH_NAMES for p in parts):
        return " and ".join(_ENGLISH_NAMES[p] for p in parts)
    return name


# A holiday arrangement never runs longer than this; a longer search means a
# broken calendar (e.g. every day a holiday), not a long holiday.
_MAX_NON_WORKING_RUN = 60


@dataclass(frozen=True)
class HolidayRange:
    """One range of the official arrangement: days off, or make-up working days.

    ``provisional`` marks ranges not yet published by the State Council (only the
    statutory holiday days are known); the bureau replaces them through sync.
    """

    name: str
    first_day: dt.date
    last_day: dt.date
    is_workday: bool = False
    provisional: bool = False

    def days(self) -> Iterable[dt.date]:
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += dt.timedelta(days=1)

    def shown(self) -> str:
        kind = "调休上班" if self.is_workday else "放假"
        return f"{self.name}（{kind}）{self.first_day.isoformat()}～{self.last_day.isoformat()}"


class WorkingCalendar:
    """Answers whether a day is a working day. A day is off when the arrangement
    says so, or when it is a Saturday/Sunday that the arrangement does not turn
    into a make-up working day."""

    def __init__(self, ranges: Iterable[HolidayRange]) -> None:
        self.ranges: tuple[HolidayRange, ...] = tuple(
            sorted(ranges, key=lambda r: (r.first_day, r.last_day))
        )
        self._check(self.ranges)
        self._days_off: dict[dt.date, HolidayRange] = {}
        self._workdays: dict[dt.date, HolidayRange] = {}
        for period in self.ranges:
            target = self._workdays if period.is_workday else self._days_off
            for day in period.days():
                target[day] = period
        self._years = frozenset(
            year for r in self.ranges for year in range(r.first_day.year, r.last_day.year + 1)
        )
        self._provisional_years = frozenset(
            r.first_day.year for r in self.ranges if r.provisional
        )

    @staticmethod
    def _check(ranges: tuple[HolidayRange, ...]) -> None:
        previous: HolidayRange | None = None
        for period in ranges:
            if not period.name.strip():
                raise ValidationError(
                    FIELD_CALENDAR,
                    Text(
                        f"{period.first_day.isoformat()} 起的时段缺少名称",
                        f"the range starting {period.first_day.isoformat()} has no name",
                    ),
                )
            if period.last_day < period.first_day:
                raise ValidationError(
                    FIELD_CALENDAR,
                    Text(
                        f"{period.shown()} 的结束日早于开始日",
                        f"{period.name}: the last day {period.last_day.isoformat()} is before "
                        f"the first day {period.first_day.isoformat()}",
                    ),
                )
            if previous is not None and period.first_day <= previous.last_day:
                raise ValidationError(
                    FIELD_CALENDAR,
                    Text(
                        f"时段重叠：{previous.shown()} 与 {period.shown()}",
                        f"overlapping ranges: {previous.name} "
                        f"({previous.first_day.isoformat()}..{previous.last_day.isoformat()}) "
                        f"and {period.name} "
                        f"({period.first_day.isoformat()}..{period.last_day.isoformat()})",
                    ),
                )
            previous = period

    @property
    def years(self) -> frozenset[int]:
        """Years for which the calendar holds any arrangement."""
        return self._years

    def is_provisional(self, year: int) -> bool:
        """True when the year's arrangement is not yet the published one."""
        return year in self._provisional_years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._workdays:
            return True
        if day in self._days_off:
            return False
        return day.weekday() < 5

    def day_off_reason(self, day: dt.date) -> Text | None:
        """Why a day is not a working day (None when it is one)."""
        if self.is_working_day(day):
            return None
        holiday = self._days_off.get(day)
        if holiday is not None:
            return Text(f"{holiday.name}假期", f"{english_holiday_name(holiday.name)} holiday")
        return Text("周末", "weekend")

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        for offset in range(_MAX_NON_WORKING_RUN + 1):
            candidate = day + dt.timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValidationError(
            FIELD_CALENDAR,
            Text(
                f"{day.isoformat()} 之后 {_MAX_NON_WORKING_RUN} 天内没有工作日",
                f"no working day within {_MAX_NON_WORKING_RUN} days after {day.isoformat()}",
            ),
        )
