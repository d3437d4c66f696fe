"""Tests of the checks on typed values: resident IDs, phones, dates, free text."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lawsup_desktop.domain.errors import Text, ValidationError
from lawsup_desktop.domain.validation import (
    FIELD_PHONE,
    FIELD_RESIDENT_ID,
    ResidentId,
    normalize_phone,
    parse_date,
    parse_datetime,
    parse_resident_id,
    require_text,
    resident_id_check_character,
)

FIELD = Text("测试字段", "Test field")
TODAY = datetime.date(2026, 11, 27)

PROVINCES = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35",
    "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54",
    "61", "62", "63", "64", "65", "71", "81", "82", "83", "91",
]  # fmt: skip
CHECK_CHARACTERS = "0123456789X"


def iso7064_valid(number: str) -> bool:
    """Independent oracle: ISO 7064 MOD 11-2, which GB 11643 is built on.

    Weight of position i (from the left, 0-based) is 2**(17-i) mod 11, X is 10,
    and a valid number sums to 1 mod 11.
    """
    values = [10 if c == "X" else int(c) for c in number]
    return sum(v * pow(2, 17 - i, 11) for i, v in enumerate(values)) % 11 == 1


def problem_of(call: Callable[[], object]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value


# --- resident ID: known examples ------------------------------------------------


def test_known_valid_number() -> None:
    assert parse_resident_id("11010519491231002X", today=TODAY) == ResidentId(
        number="11010519491231002X",
        birth_date=datetime.date(1949, 12, 31),
        gender="female",
        region_code="110105",
        is_legacy=False,
    )


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        " 110105 19491231 002X ",
        "１１０１０５１９４９１２３１００２ｘ",
    ],
)
def test_lower_case_x_spaces_and_full_width_are_normalised(typed: str) -> None:
    assert parse_resident_id(typed, today=TODAY).number == "11010519491231002X"


def test_check_character_of_known_number() -> None:
    assert resident_id_check_character("11010519491231002") == "X"
    assert resident_id_check_character("44052418800101001") == "4"


@pytest.mark.parametrize(
    "bad",
    ["", "1101051949123100", "110105194912310021", "1101051949123100a", "１" * 17],
)
def test_check_character_rejects_anything_but_17_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        resident_id_check_character(bad)


@pytest.mark.parametrize(
    ("typed", "zh", "en"),
    [
        (
            "110105194912310021",
            "校验位错误，应为 X",
            "check character is wrong; it should be X",
        ),
        ("11010519491231002", "长度应为18位（或旧式15位），现为17位", "it has 17"),
        ("1101051949123100211", "长度应为18位", "it has 19"),
        ("1101051949", "现为10位", "must be 18 characters long (or 15"),
        ("11010519491X310021", "只能包含数字", "may contain only digits"),
        ("11010519491231002Y", "只能包含数字", "X as the last character"),
        ("11010549123100X", "旧式15位号码没有校验位", "has no check character"),
        ("110105194913310026", "出生日期无效", "no date 1949-13-31"),
        ("110105194902290024", "出生日期无效", "no date 1949-02-29"),
        ("110105194900000025", "出生日期无效", "no date 1949-00-00"),
        ("440524188001010014", "早于1900年", "is before 1900"),
        ("110105202611280020", "晚于今天", "is in the future"),
        (
            "990105194912310027",
            "前两位 99 不是省级行政区代码",
            "99 is not a province code",
        ),
        ("010105194912310022", "前两位 01", "01 is not a province code"),
        ("160105194912310025", "前两位 16", "16 is not a province code"),
        ("110105491331002", "出生日期无效", "no date 1949-13-31"),
        ("   ", "不能为空", "must not be empty"),
    ],
)
def test_invalid_numbers_are_rejected_with_a_specific_message(
    typed: str, zh: str, en: str
) -> None:
    error = problem_of(lambda: parse_resident_id(typed, today=TODAY))
    assert zh in error.problem.zh
    assert en in error.problem.en
    assert error.field == FIELD_RESIDENT_ID


def test_pre_1900_example_fails_only_for_its_date() -> None:
    # 440524188001010014 has a correct check character: only its date is wrong.
    assert iso7064_valid("440524188001010014")


def test_birth_date_may_be_today_but_not_tomorrow() -> None:
    prefix = "110105" + TODAY.strftime("%Y%m%d") + "001"
    assert parse_resident_id(prefix + resident_id_check_character(prefix), today=TODAY)
    tomorrow = TODAY + datetime.timedelta(days=1)
    later = "110105" + tomorrow.strftime("%Y%m%d") + "001"
    error = problem_of(
        lambda: parse_resident_id(
            later + resident_id_check_character(later), today=TODAY
        )
    )
    assert "future" in error.problem.en


def test_earliest_birth_date_is_first_of_1900() -> None:
    first = "11010519000101001"
    assert parse_resident_id(first + resident_id_check_character(first), today=TODAY)
    before = "11010518991231001"
    error = problem_of(
        lambda: parse_resident_id(
            before + resident_id_check_character(before), today=TODAY
        )
    )
    assert "before 1900" in error.problem.en


def test_default_today_is_the_real_today() -> None:
    far = "11010520991231001"
    error = problem_of(
        lambda: parse_resident_id(far + resident_id_check_character(far))
    )
    assert "future" in error.problem.en


# --- resident ID: properties ------------------------------------------------------

valid_prefixes = st.builds(
    lambda province, rest, birth, sequence: (
        province + rest + birth.strftime("%Y%m%d") + f"{sequence:03d}"
    ),
    st.sampled_from(PROVINCES),
    st.text("0123456789", min_size=4, max_size=4),
    st.dates(datetime.date(1900, 1, 1), TODAY),
    st.integers(0, 999),
)


@given(valid_prefixes)
@example("11010519491231002")
def test_the_computed_check_character_and_only_it_is_accepted(prefix: str) -> None:
    right = resident_id_check_character(prefix)
    assert iso7064_valid(prefix + right)
    assert parse_resident_id(prefix + right, today=TODAY).number == prefix + right
    for wrong in CHECK_CHARACTERS.replace(right, ""):
        with pytest.raises(ValidationError) as caught:
            parse_resident_id(prefix + wrong, today=TODAY)
        error = caught.value
        assert error.problem == Text(
            f"校验位错误，应为 {right}",
            f"check character is wrong; it should be {right}",
        )


@given(valid_prefixes)
def test_birth_date_gender_and_region_come_from_the_number(prefix: str) -> None:
    parsed = parse_resident_id(
        prefix + resident_id_check_character(prefix), today=TODAY
    )
    assert parsed.region_code == prefix[:6]
    assert parsed.birth_date == datetime.date(
        int(prefix[6:10]), int(prefix[10:12]), int(prefix[12:14])
    )
    assert parsed.gender == ("male" if int(prefix[14:17]) % 2 else "female")
    assert not parsed.is_legacy


@pytest.mark.parametrize(
    ("sequence", "gender"),
    [("001", "male"), ("002", "female"), ("999", "male"), ("000", "female")],
)
def test_odd_sequence_is_male(sequence: str, gender: str) -> None:
    prefix = "11010519800101" + sequence
    assert (
        parse_resident_id(prefix + resident_id_check_character(prefix)).gender == gender
    )


# --- resident ID: legacy 15-digit form --------------------------------------------


def test_legacy_number_reads_its_year_as_19yy() -> None:
    parsed = parse_resident_id("110105491231002")
    assert parsed == ResidentId(
        number="110105491231002",
        birth_date=datetime.date(1949, 12, 31),
        gender="female",
        region_code="110105",
        is_legacy=True,
    )


def test_legacy_1900_has_no_leap_day() -> None:
    error = problem_of(lambda: parse_resident_id("320102000229013"))
    assert "1900-02-29" in error.problem.en


def test_legacy_male_in_a_leap_year() -> None:
    parsed = parse_resident_id("320102800229013")
    assert parsed.birth_date == datetime.date(1980, 2, 29)
    assert parsed.gender == "male"
    assert parsed.is_legacy


# --- phone numbers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("010 1234 5678", "010-12345678"),
        ("(010)12345678", "010-12345678"),
        ("021-6123456", "021-6123456"),
        ("0311-87654321", "0311-87654321"),
        ("031187654321", "0311-87654321"),
        ("0311 8765 432", "0311-8765432"),
        ("010-12345678-123", "010-12345678-123"),
        ("010-12345678转123", "010-12345678-123"),
        ("010-12345678 转 123", "010-12345678-123"),
        # The whole reads as a number, so the last group is not an extension.
        ("0755-1234567-8", "0755-12345678"),
    ],
)
def test_phone_numbers_accepted(typed: str, normalised: str) -> None:
    assert normalize_phone(typed) == normalised


@pytest.mark.parametrize(
    ("typed", "en"),
    [
        ("", "must not be empty"),
        ("1381234567", "must have 11 digits; it has 10"),
        ("138123456789", "must have 11 digits; it has 12"),
        ("12812345678", "must start with 13 to 19"),
        ("11812345678", "must start with 13 to 19"),
        ("+86 1381234567", "+86 must be followed by an 11-digit mobile"),
        ("+86 10 12345678", "+86 must be followed by an 11-digit mobile"),
        ("+1 212 555 0100", "only mainland Chinese numbers"),
        ("13812345678转1", "has no extension"),
        ("010-123456", "a landline needs an area code"),
        ("010-123456789", "a landline needs an area code"),
        ("010-012345678", "a landline needs an area code"),
        ("0-12345678", "a landline needs an area code"),
        ("010-12345678转", "an extension must be 1–6 digits"),
        ("010-12345678转1234567", "an extension must be 1–6 digits"),
        ("110", "must be an 11-digit mobile number or a landline"),
        ("12345", "must be an 11-digit mobile number or a landline"),
        ("95588", "must be an 11-digit mobile number or a landline"),
        ("tel 13812345678", "may contain only digits"),
        ("138.1234.5678", "may contain only digits"),
        ("138+12345678", "may contain only digits"),
    ],
)
def test_phone_numbers_rejected(typed: str, en: str) -> None:
    error = problem_of(lambda: normalize_phone(typed))
    assert en in error.problem.en
    assert error.field == FIELD_PHONE


@given(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.sampled_from(["", "+86", "+86 ", "86", "0086 "]),
    st.sampled_from(["", " ", "-"]),
)
def test_any_mobile_number_survives_prefixes_and_separators(
    number: str, prefix: str, separator: str
) -> None:
    typed = prefix + separator.join([number[:3], number[3:7], number[7:]])
    assert normalize_phone(typed) == number


# --- dates and times ------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "2026-11-27", "2026/11/27", "2026.11.27", "20261127", "2026年11月27日",
        "2026年11月27", " 2026 年 11 月 27 日 ", "２０２６－１１－２７",
    ],
)  # fmt: skip
def test_date_formats(typed: str) -> None:
    assert parse_date(typed, FIELD) == datetime.date(2026, 11, 27)


def test_date_with_single_digit_month_and_day() -> None:
    assert parse_date("2026/1/5", FIELD) == datetime.date(2026, 1, 5)


@given(
    st.dates(datetime.date(1000, 1, 1)),
    st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"]),
)
def test_any_date_round_trips(day: datetime.date, form: str) -> None:
    assert parse_date(day.strftime(form), FIELD) == day


@pytest.mark.parametrize(
    ("typed", "en"),
    [
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        ("2026-02-30", "no such date as 2026-02-30"),
        ("2025-02-29", "no such date as 2025-02-29"),
        ("2026-13-01", "no such date as 2026-13-01"),
        ("2026年4月31日", "no such date as 2026-04-31"),
        ("20260230", "no such date as 2026-02-30"),
        ("2026-11", "not in a known format"),
        ("2026-11/27", "not in a known format"),
        ("26-11-27", "not in a known format"),
        ("27/11/2026", "not in a known format"),
        ("next Monday", "not in a known format"),
        ("2026-11-27 14:30", "enter only a date"),
    ],
)
def test_bad_dates(typed: str, en: str) -> None:
    assert en in problem_of(lambda: parse_date(typed, FIELD)).problem.en


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-11-27 14:30", datetime.datetime(2026, 11, 27, 14, 30)),
        ("2026-11-27T14:30:15", datetime.datetime(2026, 11, 27, 14, 30, 15)),
        ("2026/11/27 9:05", datetime.datetime(2026, 11, 27, 9, 5)),
        ("2026.11.27 00:00:00", datetime.datetime(2026, 11, 27)),
        ("20261127 23:59:59", datetime.datetime(2026, 11, 27, 23, 59, 59)),
        ("2026年11月27日14时30分", datetime.datetime(2026, 11, 27, 14, 30)),
        ("2026年11月27日 14时30分15秒", datetime.datetime(2026, 11, 27, 14, 30, 15)),
        ("2026年11月27日 8点", datetime.datetime(2026, 11, 27, 8)),
        ("2026-11-27 14：30", datetime.datetime(2026, 11, 27, 14, 30)),
    ],
)
def test_datetime_formats(typed: str, expected: datetime.datetime) -> None:
    parsed = parse_datetime(typed, FIELD)
    assert parsed == expected
    assert parsed.tzinfo is None


@pytest.mark.parametrize(
    ("typed", "en"),
    [
        ("", "must not be empty"),
        ("2026-11-27", "the time is missing"),
        ("2026-02-30 10:00", "no such date as 2026-02-30"),
        ("2026-11-27 24:00", "no such time as 24:00:00"),
        ("2026-11-27 14:60", "no such time as 14:60:00"),
        ("2026-11-27 14:30:60", "no such time as 14:30:60"),
        ("2026年11月27日25时", "no such time as 25:00:00"),
        ("2026-11-27 14", "not in a known format"),
        ("2026-11-27 2pm", "not in a known format"),
        ("14:30", "not in a known format"),
    ],
)
def test_bad_datetimes(typed: str, en: str) -> None:
    assert en in problem_of(lambda: parse_datetime(typed, FIELD)).problem.en


# --- free text --------------------------------------------------------------------


def test_require_text_strips() -> None:
    assert require_text("  张三 \n", FIELD) == "张三"
    assert require_text("张三", FIELD, max_length=2) == "张三"


@pytest.mark.parametrize(
    ("value", "max_length", "en"),
    [
        (None, None, "must not be empty"),
        ("", None, "must not be empty"),
        (" \t\n", 5, "must not be empty"),
        ("张三丰", 2, "must be at most 2 characters; it has 3"),
    ],
)
def test_require_text_rejects(
    value: str | None, max_length: int | None, en: str
) -> None:
    error = problem_of(lambda: require_text(value, FIELD, max_length))
    assert en in error.problem.en


# --- every message names its field in both languages ----------------------------

FAILING_CALLS: list[Callable[[Text], object]] = [
    lambda f: parse_resident_id("", f),
    lambda f: parse_resident_id("abc", f),
    lambda f: parse_resident_id("1234", f),
    lambda f: parse_resident_id("11010549123100X", f),
    lambda f: parse_resident_id("990105194912310027", f),
    lambda f: parse_resident_id("110105194913310026", f),
    lambda f: parse_resident_id("440524188001010014", f),
    lambda f: parse_resident_id("110105209912310020", f),
    lambda f: parse_resident_id("110105194912310021", f),
    lambda f: normalize_phone("", f),
    lambda f: normalize_phone("abc", f),
    lambda f: normalize_phone("+1 555", f),
    lambda f: normalize_phone("+86 10 12345678", f),
    lambda f: normalize_phone("1381234567", f),
    lambda f: normalize_phone("12812345678", f),
    lambda f: normalize_phone("13812345678转1", f),
    lambda f: normalize_phone("010-12345678转x", f),
    lambda f: normalize_phone("010-123", f),
    lambda f: normalize_phone("95588", f),
    lambda f: parse_date("", f),
    lambda f: parse_date("2026-02-30", f),
    lambda f: parse_date("soon", f),
    lambda f: parse_date("2026-11-27 14:30", f),
    lambda f: parse_datetime("", f),
    lambda f: parse_datetime("2026-11-27", f),
    lambda f: parse_datetime("2026-11-27 25:00", f),
    lambda f: parse_datetime("2026-02-30 10:00", f),
    lambda f: parse_datetime("soon", f),
    lambda f: require_text(None, f),
    lambda f: require_text("abc", f, 2),
]


@pytest.mark.parametrize("call", FAILING_CALLS)
def test_every_message_names_the_field_in_both_languages(
    call: Callable[[Text], object],
) -> None:
    error = problem_of(lambda: call(FIELD))
    assert error.field == FIELD
    assert error.message.zh.startswith(FIELD.zh + "：")
    assert error.message.en.startswith(FIELD.en + ": ")
    assert FIELD.en in str(error)
    # The problem itself must say something in each language, not just echo the field.
    assert error.problem.zh.strip() and error.problem.en.strip()
    assert error.problem.zh != error.problem.en


def test_default_fields_are_named() -> None:
    id_error = problem_of(lambda: parse_resident_id("1"))
    assert "身份证号码" in id_error.message.zh
    assert "Resident ID number" in id_error.message.en
    phone_error = problem_of(lambda: normalize_phone("1"))
    assert "联系电话" in phone_error.message.zh
    assert "Phone number" in phone_error.message.en
