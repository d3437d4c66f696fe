"""Checks and normalisation of the values a user types: ID numbers, phones, dates.

Every check raises :class:`ValidationError` naming the field, with a message in
Chinese and English that says what is wrong and, where it can, what is right.
Input first goes through NFKC so that full-width digits, colons, hyphens and
spaces typed with a Chinese input method count as their ASCII forms.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from lawsup_desktop.domain.errors import Text, ValidationError

FIELD_RESIDENT_ID = Text("身份证号码", "Resident ID number")
FIELD_PHONE = Text("联系电话", "Phone number")

EMPTY = Text("不能为空", "must not be empty")

# GB 11643-1999: weights of the first 17 digits, and sum mod 11 -> check character.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"

# First two digits of the address code: the provinces of GB/T 2260, 71 Taiwan,
# 81 Hong Kong, 82 Macao (81-83 also prefix residence permits), 91 (abroad).
_PROVINCE_CODES = frozenset(
    {
        *range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47),
        *range(50, 55), *range(61, 66), 71, 81, 82, 83, 91,
    }
)  # fmt: skip
_EARLIEST_BIRTH = datetime.date(1900, 1, 1)

Gender = Literal["male", "female"]


@dataclass(frozen=True)
class ResidentId:
    """A resident ID number that passed every check, and what it says about its holder."""

    number: str
    birth_date: datetime.date
    gender: Gender
    region_code: str
    is_legacy: bool


def _normalise(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def _without_whitespace(value: str) -> str:
    return "".join(_normalise(value).split())


def resident_id_check_character(first17: str) -> str:
    """The check character of an 18-character ID number whose first 17 digits are given."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(
        int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True)
    )
    return _CHECK_CHARACTERS[total % 11]


def parse_resident_id(
    value: str,
    field: Text = FIELD_RESIDENT_ID,
    *,
    today: datetime.date | None = None,
) -> ResidentId:
    """Check a resident ID number (18 characters, or the old 15-digit form).

    ``today`` only exists so that tests can fix the date a birth date may not pass.
    """
    number = _without_whitespace(value).upper()
    if not number:
        raise ValidationError(field, EMPTY)
    if not number.isascii() or not re.fullmatch(r"\d+X?", number):
        raise ValidationError(
            field,
            Text(
                "只能包含数字，末位可以是 X",
                "may contain only digits, and X as the last character",
            ),
        )
    if len(number) == 15 and number.endswith("X"):
        raise ValidationError(
            field,
            Text(
                "旧式15位号码没有校验位，不能含 X",
                "an old 15-digit number has no check character and cannot contain X",
            ),
        )
    if len(number) not in (15, 18):
        raise ValidationError(
            field,
            Text(
                f"长度应为18位（或旧式15位），现为{len(number)}位",
                f"must be 18 characters long (or 15 for an old number); it has {len(number)}",
            ),
        )

    is_legacy = len(number) == 15
    region_code = number[:6]
    if int(region_code[:2]) not in _PROVINCE_CODES:
        raise ValidationError(
            field,
            Text(
                f"地址码无效：前两位 {region_code[:2]} 不是省级行政区代码",
                f"the address code is invalid: {region_code[:2]} is not a province code",
            ),
        )

    # A legacy number's YYMMDD always means 19YY: they were issued before 2000.
    birth_text = "19" + number[6:12] if is_legacy else number[6:14]
    birth_date = _birth_date(birth_text, field, today or datetime.date.today())

    if not is_legacy:
        expected = resident_id_check_character(number[:17])
        if number[17] != expected:
            raise ValidationError(
                field,
                Text(
                    f"校验位错误，应为 {expected}",
                    f"check character is wrong; it should be {expected}",
                ),
            )

    sequence_last_digit = int(number[14] if is_legacy else number[16])
    gender: Gender = "male" if sequence_last_digit % 2 == 1 else "female"
    return ResidentId(number, birth_date, gender, region_code, is_legacy)


def _birth_date(text: str, field: Text, today: datetime.date) -> datetime.date:
    shown = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        birth_date = datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise ValidationError(
            field,
            Text(
                f"出生日期无效：{shown} 不存在",
                f"the birth date is invalid: there is no date {shown}",
            ),
        ) from None
    if birth_date > today:
        raise ValidationError(
            field,
            Text(
                f"出生日期无效：{shown} 晚于今天",
                f"the birth date is invalid: {shown} is in the future",
            ),
        )
    if birth_date < _EARLIEST_BIRTH:
        raise ValidationError(
            field,
            Text(
                f"出生日期无效：{shown} 早于1900年",
                f"the birth date is invalid: {shown} is before 1900",
            ),
        )
    return birth_date


# --- phone numbers ------------------------------------------------------------

# [0-9], not \d: \d takes every script's digits ("١٣٨…"), which NFKC leaves alone.
_PHONE_CHARACTERS = re.compile(r"\+?[0-9\s()\-转]+")
_LANDLINE_FORMAT = Text(
    "固定电话应为区号（0开头，共3–4位）加7–8位号码，如 010-12345678",
    "a landline needs an area code (0 and 2–3 digits) and a 7–8 digit number, e.g. 010-12345678",
)


def normalize_phone(value: str, field: Text = FIELD_PHONE) -> str:
    """Normalise a mainland mobile ("13812345678") or landline ("010-12345678[-123]")."""
    text = _normalise(value)
    if not text:
        raise ValidationError(field, EMPTY)
    if not _PHONE_CHARACTERS.fullmatch(text):
        raise ValidationError(
            field,
            Text(
                "只能包含数字、空格、连字符，以及开头的 +86 或分机号前的“转”",
                "may contain only digits, spaces and hyphens, a leading +86, "
                "or 转 before an extension",
            ),
        )

    main, extension = text, ""
    if "转" in text:
        main, _, extension = text.partition("转")
        extension = re.sub(r"[\s\-]", "", extension)
        if not re.fullmatch(r"\d{1,6}", extension):
            raise ValidationError(
                field, Text("分机号应为1–6位数字", "an extension must be 1–6 digits")
            )
    compact = re.sub(r"[\s()\-]", "", main)

    # The country code goes; a bare "86" only when what follows is a full mobile number.
    if compact.startswith(("+86", "0086")):
        compact = compact.removeprefix("+").removeprefix("00")[2:]
        if not (compact.startswith("1") and len(compact) == 11):
            raise ValidationError(
                field,
                Text(
                    "+86 后应为11位手机号码；固定电话请写区号，如 010-12345678",
                    "+86 must be followed by an 11-digit mobile number;"
                    " write a landline with its area code, e.g. 010-12345678",
                ),
            )
    elif compact.startswith("+"):
        raise ValidationError(
            field,
            Text(
                "只接受中国大陆号码（+86）",
                "only mainland Chinese numbers (+86) are accepted",
            ),
        )
    elif compact.startswith("86") and len(compact) == 13:
        compact = compact[2:]

    # Short numbers starting with 1 are service numbers (110, 12345), not mobiles.
    if compact.startswith("1") and len(compact) > 5:
        return _mobile(compact, extension, field)
    if compact.startswith("0"):
        return _landline(main, compact, extension, field)
    raise ValidationError(
        field,
        Text(
            "应为11位手机号码，或带区号的固定电话（如 010-12345678）",
            "must be an 11-digit mobile number or a landline with area code (e.g. 010-12345678)",
        ),
    )


def _mobile(digits: str, extension: str, field: Text) -> str:
    if extension:
        raise ValidationError(
            field, Text("手机号码没有分机号", "a mobile number has no extension")
        )
    if len(digits) != 11:
        raise ValidationError(
            field,
            Text(
                f"手机号码应为11位，现为{len(digits)}位",
                f"a mobile number must have 11 digits; it has {len(digits)}",
            ),
        )
    if digits[1] in "012":
        raise ValidationError(
            field,
            Text("手机号码应以13–19开头", "a mobile number must start with 13 to 19"),
        )
    return digits


def _landline(main: str, compact: str, extension: str, field: Text) -> str:
    formatted = _split_landline(compact)
    if formatted is None and not extension:
        # Without 转, an extension can only be the last hyphen/space-separated group,
        # and only if the whole does not already read as a valid number.
        groups = re.split(r"[\s()\-]+", main.strip("()- \t"))
        if len(groups) >= 2 and re.fullmatch(r"\d{1,6}", groups[-1]):
            formatted = _split_landline("".join(groups[:-1]))
            extension = groups[-1]
    if formatted is None:
        raise ValidationError(field, _LANDLINE_FORMAT)
    return f"{formatted}-{extension}" if extension else formatted


def _split_landline(digits: str) -> str | None:
    """ "0101234567x" -> "010-1234567x", or None when it is not a landline."""
    # Area codes 010 and 02x have two digits after the 0; all others have three.
    area_length = 3 if digits[1:2] in ("1", "2") else 4
    area, local = digits[:area_length], digits[area_length:]
    # A local number starting with 0 would be a second area code.
    if re.fullmatch(r"0\d+", area) and re.fullmatch(r"[1-9]\d{6,7}", local):
        return f"{area}-{local}"
    return None


# --- dates and times ------------------------------------------------------------

_DATE = (
    r"(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
    r"|(?P<cyear>\d{4})\s*年\s*(?P<cmonth>\d{1,2})\s*月\s*(?P<cday>\d{1,2})\s*日?"
    r"|(?P<cyear8>\d{4})(?P<cmonth8>\d{2})(?P<cday8>\d{2})"
)
_TIME = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"|(?P<chour>\d{1,2})\s*[时点]\s*(?:(?P<cminute>\d{1,2})\s*分\s*(?:(?P<csecond>\d{1,2})\s*秒)?)?"
)
_DATE_ONLY = re.compile(rf"(?:{_DATE})")
_DATE_TIME = re.compile(rf"(?:{_DATE})\s*T?\s*(?:{_TIME})")
_DATE_FORMAT = Text(
    "日期格式无法识别，请写作 2026-11-27 或 2026年11月27日",
    "the date is not in a known format; write it as 2026-11-27",
)
_DATE_TIME_FORMAT = Text(
    "日期时间格式无法识别，请写作 2026-11-27 14:30 或 2026年11月27日14时30分",
    "the date and time are not in a known format; write them as 2026-11-27 14:30",
)


def parse_date(value: str, field: Text) -> datetime.date:
    """Read a date typed as 2026-11-27, 2026/11/27, 2026.11.27, 20261127 or 2026年11月27日."""
    text = _normalise(value)
    if not text:
        raise ValidationError(field, EMPTY)
    match = _DATE_ONLY.fullmatch(text)
    if match is None:
        if _DATE_TIME.fullmatch(text):
            raise ValidationError(
                field,
                Text("只需填写日期，不要填写时间", "enter only a date, without a time"),
            )
        raise ValidationError(field, _DATE_FORMAT)
    return _date_from(match, field)


def parse_datetime(value: str, field: Text) -> datetime.datetime:
    """Read a date as :func:`parse_date` does, followed by 14:30, 14:30:15 or 14时30分.

    The result is naive and means local time, as the user typed it.
    """
    text = _normalise(value)
    if not text:
        raise ValidationError(field, EMPTY)
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        if _DATE_ONLY.fullmatch(text):
            raise ValidationError(
                field,
                Text(
                    "缺少时间，请在日期后写上时间，如 14:30",
                    "the time is missing; add it after the date, e.g. 14:30",
                ),
            )
        raise ValidationError(field, _DATE_TIME_FORMAT)
    date = _date_from(match, field)
    hour = int(match["hour"] or match["chour"])
    minute = int(match["minute"] or match["cminute"] or 0)
    second = int(match["second"] or match["csecond"] or 0)
    try:
        time = datetime.time(hour, minute, second)
    except ValueError:
        shown = f"{hour:02d}:{minute:02d}:{second:02d}"
        raise ValidationError(
            field, Text(f"时间不存在：{shown}", f"there is no such time as {shown}")
        ) from None
    return datetime.datetime.combine(date, time)


def _date_from(match: re.Match[str], field: Text) -> datetime.date:
    year = int(match["year"] or match["cyear"] or match["cyear8"])
    month = int(match["month"] or match["cmonth"] or match["cmonth8"])
    day = int(match["day"] or match["cday"] or match["cday8"])
    try:
        return datetime.date(year, month, day)
    except ValueError:
        shown = f"{year:04d}-{month:02d}-{day:02d}"
        raise ValidationError(
            field, Text(f"日期不存在：{shown}", f"there is no such date as {shown}")
        ) from None


def require_plausible_year(
    moment: datetime.date, field: Text, first: int = 1900, last: int = 2099
) -> None:
    """Refuse a date whose year is surely a typo (0202, 9999). Deadlines count from it:
    a start in 9999 runs past the last date Python has and stops every deadline list."""
    if not first <= moment.year <= last:
        raise ValidationError(
            field,
            Text(
                f"年份 {moment.year} 不在 {first}–{last} 之间，请检查",
                f"the year {moment.year} is not between {first} and {last}; check it",
            ),
        )


# --- free text --------------------------------------------------------------------


NUL_PROBLEM = Text(
    "含有不可见的空字符（U+0000），请删除后重新输入",
    "contains an invisible NUL character (U+0000); delete it and type the text again",
)


def require_text(value: str | None, field: Text, max_length: int | None = None) -> str:
    """The stripped text, which must not be empty nor longer than ``max_length``.

    Text made only of invisible characters (format characters such as the zero-width
    space or the BOM, control characters) counts as empty. The NUL character is
    refused: PostgreSQL (the central service) cannot store it. Other control
    characters stay (Word's line break is U+000B); exports deal with them.
    """
    text = (value or "").strip()
    if not text or all(unicodedata.category(c) in ("Cf", "Cc") or c.isspace() for c in text):
        raise ValidationError(field, EMPTY)
    if "\x00" in text:
        raise ValidationError(field, NUL_PROBLEM)
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            field,
            Text(
                f"不能超过{max_length}个字，现有{len(text)}个",
                f"must be at most {max_length} characters; it has {len(text)}",
            ),
        )
    return text
