"""Hostile input for every validator: arbitrary text and dates either come back as a
valid, normalised value or raise :class:`ValidationError` naming the field in Chinese
and English — never any other exception.

Text strategies mix what a Chinese input method and a copy from a web page or a
spreadsheet produce: full-width digits and punctuation, ideographic spaces, control
characters, very long strings. Where a normaliser exists, normalising its output
again must change nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable
from functools import partial
from importlib.resources import files
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lawsup_desktop.domain.calendar import WorkingCalendar
from lawsup_desktop.domain.deadlines import (
    FIELD_EXTENSION,
    FIELD_RULE,
    FIELD_START,
    FIELD_SUSPENSION,
    Extension,
    RuleBook,
    Suspension,
    compute_due,
    parse_rule_book,
    plain_due,
)
from lawsup_desktop.domain.errors import Text, ValidationError
from lawsup_desktop.domain.points import FIELD_POINT_RULES, parse_point_rules
from lawsup_desktop.domain.validation import (
    FIELD_PHONE,
    FIELD_RESIDENT_ID,
    normalize_phone,
    parse_date,
    parse_datetime,
    parse_resident_id,
    require_plausible_year,
    require_text,
    resident_id_check_character,
)
from lawsup_desktop.domain.vocabulary import (
    CaseKind,
    FollowUpMethod,
    MeasureKind,
    PartyRole,
    PersonRole,
    RectificationSource,
    RiskLevel,
    Satisfaction,
)
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.cases import (
    FIELD_MEASURE_END,
    FIELD_MEASURE_START,
    FIELD_PERSON_NAME,
    CaseInput,
    CaseService,
    MeasureInput,
    PersonInput,
    _checked_person,
)
from lawsup_desktop.services.deadlines import (
    DeadlineService,
    bundled_holiday_ranges,
    bundled_rules_document,
)
from lawsup_desktop.services.follow_ups import (
    CHECK_LABELS,
    FIELD_CHECKS,
    FIELD_CONTACTED_AT,
    FIELD_NEXT_ATTEMPT,
    FIELD_NOTES,
    FIELD_PARTY_NAME,
    FIELD_PARTY_PHONE,
    CheckedItem,
    FollowUpInput,
    validate_follow_up,
)
from lawsup_desktop.services.operator_lock import (
    FIELD_CONFIRMATION,
    FIELD_NEW_PASSWORD,
    check_new_password,
)
from lawsup_desktop.services.points import EntryDraft, PointsService
from lawsup_desktop.services.rectifications import RectificationDraft, RectificationService
from lawsup_desktop.services.reports import FIELD_PERIOD, check_period
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import AuditEntry

T = TypeVar("T")

FIELD = Text("测试字段", "Test field")
BOOK: RuleBook = parse_rule_book(bundled_rules_document())
CALENDAR = WorkingCalendar(bundled_holiday_ranges())
TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 10, 30)

# --- strategies ------------------------------------------------------------------------

FULL_WIDTH = "０１２３４５６７８９－：／．　（）＋Ｘｘ"
# Digits of other scripts: str.isdigit() and re's \d take them, NFKC keeps them.
OTHER_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲०१२३๑๒𝟘𝟙①"
CONTROL = "".join(chr(c) for c in (*range(0, 32), 127, *range(0x80, 0xA0)))
SEPARATORS = " -/.:年月日时点分秒转T\u3000\u00a0\u200b\ufeff"


def _alphabet_text(alphabet: str, max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(alphabet), max_size=max_size)


# Surrogates are left out by st.text() already: Qt never hands them to Python.
hostile_text: st.SearchStrategy[str] = st.one_of(
    st.text(max_size=60),
    _alphabet_text("0123456789" + FULL_WIDTH + SEPARATORS + "Xx+86"),
    _alphabet_text("0123456789" + OTHER_DIGITS + "-: 年月日转"),
    _alphabet_text("0123456789" + CONTROL + SEPARATORS),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=5).map(lambda s: s * 20_000),
    st.sampled_from(["", " ", "\u3000", "\t\n", "\x00", "\ufeff", "٣٤٥", "𝟙𝟚𝟛", "①②③"]),
)


def _field_named(error: ValidationError, field: Text | set[Text] | None = None) -> None:
    """The error names a field, and its message says which in both languages."""
    assert error.field.zh and error.field.en
    assert error.message.zh.startswith(error.field.zh)
    assert error.message.en.startswith(error.field.en)
    assert error.problem.zh and error.problem.en
    if field is None:
        return
    # A field may be qualified: "期限规则 bail" is the deadline rule "bail".
    expected = {field} if isinstance(field, Text) else field
    assert any(
        error.field.zh.startswith(f.zh) and error.field.en.startswith(f.en) for f in expected
    ), (error.field, expected)


def valid_or_refused(
    call: Callable[[], T], field: Text | set[Text] | None = None
) -> T | None:
    """``call()``'s value, or None after checking that it refused as a validator should.

    Anything but a ValidationError escapes and fails the test."""
    try:
        return call()
    except ValidationError as error:
        _field_named(error, field)
        return None


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    """Valid 18-character numbers built from their parts (an independent generator)."""
    province = draw(st.sampled_from(["11", "31", "44", "65", "71", "81", "91"]))
    rest_of_region = draw(st.text("0123456789", min_size=4, max_size=4))
    born = draw(st.dates(dt.date(1900, 1, 1), TODAY))
    sequence = draw(st.text("0123456789", min_size=3, max_size=3))
    first17 = f"{province}{rest_of_region}{born:%Y%m%d}".replace(" ", "0") + sequence
    if born.year < 1000:  # pragma: no cover - strategy bounds start at 1900
        raise AssertionError(born)
    return first17 + resident_id_check_character(first17)


def _decorate(value: str, data: st.DataObject) -> str:
    """The same value as someone might type or paste it: full width, spaces around."""
    if data.draw(st.booleans()):
        value = value.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    padding = st.text(st.sampled_from(" \t\u3000\u00a0"), max_size=3)
    return data.draw(padding) + value + data.draw(padding)


# --- resident ID ---------------------------------------------------------------------


@given(hostile_text)
@example("11010519491231002X")
@example("11010519491231002x\u3000")
@example("110105491231002")
@example("１１０１０５１９４９１２３１００２Ｘ")
@example("0" * 18)
@example("٣" * 18)  # Arabic-Indic digits are str.isdigit() but not ASCII
@example("11010519491231002X" * 5000)
def test_resident_id_never_crashes_and_is_consistent(value: str) -> None:
    parsed = valid_or_refused(
        lambda: parse_resident_id(value, FIELD_RESIDENT_ID, today=TODAY), FIELD_RESIDENT_ID
    )
    if parsed is None:
        return
    number = parsed.number
    assert re.fullmatch(r"[0-9]{15}|[0-9]{17}[0-9X]", number)
    assert parsed.is_legacy == (len(number) == 15)
    born = ("19" + number[6:12]) if parsed.is_legacy else number[6:14]
    assert parsed.birth_date == dt.datetime.strptime(born, "%Y%m%d").date()
    assert dt.date(1900, 1, 1) <= parsed.birth_date <= TODAY
    assert parsed.gender == ("male" if int(number[-2 if not parsed.is_legacy else -1]) % 2 else
                             "female")
    if not parsed.is_legacy:
        assert number[17] == resident_id_check_character(number[:17])
    # Normalising twice is normalising once.
    assert parse_resident_id(number, FIELD_RESIDENT_ID, today=TODAY) == parsed


@given(resident_ids(), st.data())
def test_every_valid_resident_id_is_accepted_however_it_is_typed(
    number: str, data: st.DataObject
) -> None:
    typed = _decorate(number, data)
    parsed = parse_resident_id(typed, today=TODAY)
    assert parsed.number == number
    assert parsed.birth_date == dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert parsed.gender == ("male" if int(number[16]) % 2 == 1 else "female")
    assert parsed.region_code == number[:6]


@given(resident_ids(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_a_changed_character_of_a_resident_id_is_caught(
    number: str, position: int, replacement: str
) -> None:
    changed = number[:position] + replacement + number[position + 1 :]
    if changed == number:
        return
    # GB 11643's check character catches every single substitution.
    assert valid_or_refused(lambda: parse_resident_id(changed, today=TODAY),
                            FIELD_RESIDENT_ID) is None


# --- phone numbers -------------------------------------------------------------------

_PHONE_SHAPE = re.compile(r"1[3-9][0-9]{9}|0[0-9]{2,3}-[1-9][0-9]{6,7}(?:-[0-9]{1,6})?")


@given(hostile_text)
@example("+86 138 1234 5678")
@example("００８６１３８１２３４５６７８")
@example("010-12345678转123")
@example("转")
@example("0")
@example("0转1")
@example("(0)")
@example("- -")
@example("010 1234567 12")
@example("1٣٨١٢٣٤٥٦٧٨")  # Arabic-Indic digits came back as a "normalised" mobile
@example("010-12345678转١٢")
def test_phone_never_crashes_and_normalising_is_idempotent(value: str) -> None:
    phone = valid_or_refused(lambda: normalize_phone(value, FIELD_PHONE), FIELD_PHONE)
    if phone is None:
        return
    assert _PHONE_SHAPE.fullmatch(phone), phone
    assert normalize_phone(phone, FIELD_PHONE) == phone


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.data())
def test_every_mobile_number_is_accepted_however_it_is_typed(
    number: str, data: st.DataObject
) -> None:
    prefix = data.draw(st.sampled_from(["", "+86", "+86 ", "0086", "86"]))
    assert normalize_phone(_decorate(prefix + number, data)) == number


# --- dates and times -----------------------------------------------------------------


@given(hostile_text)
@example("2026-02-30")
@example("0000-01-01")
@example("9999年12月31日")
@example("２０２６年１１月２７日")
@example("20261127")
@example("2026-11-27 14:30")
def test_date_never_crashes_and_round_trips(value: str) -> None:
    day = valid_or_refused(lambda: parse_date(value, FIELD), FIELD)
    if day is None:
        return
    assert parse_date(day.isoformat(), FIELD) == day
    assert parse_date(f"{day.year:04d}年{day.month}月{day.day}日", FIELD) == day


@given(hostile_text)
@example("2026-11-27 24:00")
@example("2026-11-27 23:60")
@example("2026-11-27 99时99分99秒")
@example("2026-11-27T14:30:15")
@example("２０２６－１１－２７　１４：３０")
def test_datetime_never_crashes_and_round_trips(value: str) -> None:
    moment = valid_or_refused(lambda: parse_datetime(value, FIELD), FIELD)
    if moment is None:
        return
    assert moment.tzinfo is None and moment.microsecond == 0
    assert parse_datetime(moment.isoformat(sep=" "), FIELD) == moment


@given(st.datetimes(dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59)), st.data())
def test_every_real_moment_is_read_back(moment: dt.datetime, data: st.DataObject) -> None:
    moment = moment.replace(microsecond=0)
    shown = data.draw(st.sampled_from([
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {moment:%H:%M:%S}",
        f"{moment.year:04d}/{moment.month}/{moment.day} {moment:%H:%M:%S}",
        f"{moment.year:04d}年{moment.month}月{moment.day}日"
        f"{moment.hour}时{moment.minute}分{moment.second}秒",
    ]))
    assert parse_datetime(_decorate(shown, data), FIELD) == moment


# --- free text -------------------------------------------------------------------------


@given(hostile_text, st.none() | st.integers(1, 300))
@example("\x00", None)  # a NUL came back as valid text (PostgreSQL refuses it)
@example("张三\x00", 50)
@example("\u200b", None)  # an invisible zero-width space counted as a name
@example("\ufeff \u200e", None)
@example("\x01\x02", None)  # control characters only: nothing visible
@example("第一行\r\n第二行\v完", None)  # Word's line break (U+000B) stays
def test_required_text_never_crashes_and_is_idempotent(value: str, limit: int | None) -> None:
    text = valid_or_refused(lambda: require_text(value, FIELD, max_length=limit), FIELD)
    if text is None:
        return
    assert text and text == text.strip()
    assert any(unicodedata.category(c) not in ("Cf", "Zs", "Cc") for c in text)
    assert "\x00" not in text
    assert limit is None or len(text) <= limit
    assert require_text(text, FIELD, max_length=limit) == text


# --- passwords -------------------------------------------------------------------------


@given(hostile_text, st.none() | hostile_text)
def test_new_password_check_never_crashes(password: str, confirmation: str | None) -> None:
    valid_or_refused(
        lambda: check_new_password(password, confirmation), {FIELD_NEW_PASSWORD, FIELD_CONFIRMATION}
    )


# --- follow-ups -------------------------------------------------------------------------

naive_moments = st.datetimes(dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31))
FOLLOW_UP_FIELDS = {
    FIELD_PARTY_NAME, FIELD_PARTY_PHONE, FIELD_CONTACTED_AT, FIELD_CHECKS, FIELD_NOTES,
    FIELD_NEXT_ATTEMPT, *CHECK_LABELS.values(),
}  # fmt: skip


@st.composite
def follow_up_inputs(draw: st.DrawFn) -> FollowUpInput:
    codes = st.sampled_from(sorted(CHECK_LABELS)) | st.text(max_size=10)
    return FollowUpInput(
        method=draw(st.sampled_from(FollowUpMethod)),
        party_name=draw(hostile_text),
        party_role=draw(st.sampled_from(PartyRole)),
        contacted_at=draw(naive_moments),
        satisfaction=draw(st.sampled_from(Satisfaction)),
        party_phone=draw(hostile_text),
        checks=draw(st.dictionaries(codes, st.builds(CheckedItem, st.booleans(), hostile_text),
                                    max_size=4)),
        notes=draw(hostile_text),
        next_attempt_at=draw(st.none() | naive_moments),
    )


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
@given(follow_up_inputs(), naive_moments)
def test_follow_up_input_never_crashes(data: FollowUpInput, received_at: dt.datetime) -> None:
    values = valid_or_refused(lambda: validate_follow_up(data, received_at, NOW), FOLLOW_UP_FIELDS)
    if values is None:
        return
    assert values["party_name"] == require_text(data.party_name, FIELD_PARTY_NAME)
    phone = values["party_phone"]
    assert phone == "" or normalize_phone(str(phone)) == phone
    assert received_at <= data.contacted_at <= NOW + dt.timedelta(minutes=5)


# --- case persons ---------------------------------------------------------------------


@st.composite
def person_inputs(draw: st.DrawFn) -> PersonInput:
    measures = st.builds(
        MeasureInput, st.sampled_from(MeasureKind), naive_moments, st.none() | naive_moments,
        hostile_text,
    )
    return PersonInput(
        role=draw(st.sampled_from(PersonRole)),
        name=draw(hostile_text),
        id_number=draw(hostile_text | resident_ids()),
        phone=draw(hostile_text),
        address=draw(hostile_text),
        measures=tuple(draw(st.lists(measures, max_size=3))),
    )


NINE_NINE_NINE_NINE = PersonInput(
    PersonRole.SUSPECT, "马某",
    measures=(MeasureInput(MeasureKind.CRIMINAL_DETENTION, dt.datetime(9999, 12, 30, 10)),),
)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
@given(person_inputs())
# A measure typed as starting in 9999 was saved, and then every deadline list of the
# station stopped with OverflowError (its period ends past 9999-12-31).
@example(NINE_NINE_NINE_NINE)
def test_case_person_input_never_crashes(person: PersonInput) -> None:
    checked = valid_or_refused(lambda: _checked_person(person))
    if checked is None:
        return
    assert checked.name == require_text(person.name, FIELD_PERSON_NAME)
    if checked.id_number is not None:
        again = parse_resident_id(checked.id_number)
        assert (again.birth_date, again.gender) == (checked.birth_date, checked.gender)
    for measure in person.measures:
        # Every accepted start can be counted from by every rule of the station.
        for rule in BOOK.rules.values():
            plain_due(rule, measure.started_at, CALENDAR)


def test_case_person_errors_name_their_field() -> None:
    bad_end = MeasureInput(MeasureKind.BAIL, NOW, NOW - dt.timedelta(hours=1))
    person = PersonInput(PersonRole.SUSPECT, "张三", measures=(bad_end,))
    assert valid_or_refused(lambda: _checked_person(person), FIELD_MEASURE_END) is None
    no_start = MeasureInput(MeasureKind.BAIL, None)  # type: ignore[arg-type]
    person = PersonInput(PersonRole.SUSPECT, "张三", measures=(no_start,))
    assert valid_or_refused(lambda: _checked_person(person), FIELD_MEASURE_START) is None


# --- deadline calculator --------------------------------------------------------------

DEADLINE_FIELDS = {FIELD_RULE, FIELD_START, FIELD_EXTENSION, FIELD_SUSPENSION}


@st.composite
def suspensions(draw: st.DrawFn) -> Suspension | None:
    a, b = draw(naive_moments), draw(naive_moments)
    return valid_or_refused(lambda: Suspension(a, b), FIELD_SUSPENSION)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(BOOK.rules.values(), key=lambda r: r.code)),
    naive_moments,
    st.booleans(),
    st.lists(suspensions(), max_size=3),
    st.lists(st.integers(-5, 400), max_size=3),
)
@example(next(iter(BOOK.rules.values())), dt.datetime(9999, 12, 31, 12), False, [], [])
@example(next(iter(BOOK.rules.values())), dt.datetime(1, 1, 1), False, [], [])
def test_deadline_calculator_never_crashes(
    rule: Any, start: dt.datetime, custody: bool, spans: list[Suspension | None],
    amounts: list[int],
) -> None:
    result = valid_or_refused(
        lambda: compute_due(
            rule, start, CALENDAR, custody=custody,
            suspensions=[s for s in spans if s is not None],
            extensions=[Extension(a) for a in amounts],
        ),
        DEADLINE_FIELDS,
    )
    if result is None:
        return
    assert result.due.deadline >= start


# --- rules tables (bundled, or synced from the bureau) ---------------------------------

POINT_RULES_DOCUMENT: dict[str, Any] = json.loads(
    (files("lawsup_desktop.resources") / "rules" / "point_rules.json").read_text(encoding="utf-8")
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True)
    | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=20,
)


def _mutated(document: Any, data: st.DataObject, depth: int = 0) -> Any:
    """The document with one value somewhere replaced by an arbitrary JSON value."""
    if isinstance(document, dict) and document and depth < 6:
        key = data.draw(st.sampled_from(sorted(document)))
        copy = dict(document)
        if data.draw(st.booleans()):
            copy[key] = _mutated(document[key], data, depth + 1)
        else:
            copy[key] = data.draw(json_values)
        return copy
    if isinstance(document, list) and document and depth < 6:
        index = data.draw(st.integers(0, len(document) - 1))
        copy_list = list(document)
        copy_list[index] = _mutated(document[index], data, depth + 1)
        return copy_list
    return data.draw(json_values)


def _first_rule_with(**changes: Any) -> dict[str, Any]:
    document = bundled_rules_document()
    document["rules"] = [{**document["rules"][0], **changes}, *document["rules"][1:]]
    return document


# Shapes the fuzzing below found crashing the parser (AttributeError, TypeError).
DAMAGED_DEADLINE_TABLES = [
    [],
    {**bundled_rules_document(), "rules": None},
    {**bundled_rules_document(), "rules": "0"},
    {**bundled_rules_document(), "rules": [None]},
    _first_rule_with(extensions=None),
    _first_rule_with(extensions=[None]),
    _first_rule_with(extensions=[{"up_to": "9"}, {"up_to": 9}]),
    _first_rule_with(month_counting=[]),
]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_deadline_rules_table_is_refused_clearly(data: st.DataObject) -> None:
    document = _mutated(bundled_rules_document(), data)
    valid_or_refused(lambda: parse_rule_book(document), FIELD_RULE)


@pytest.mark.parametrize("document", DAMAGED_DEADLINE_TABLES)
def test_deadline_rules_tables_that_crashed_the_parser(document: Any) -> None:
    valid_or_refused(lambda: parse_rule_book(document), FIELD_RULE)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_points_rules_table_is_refused_clearly(data: st.DataObject) -> None:
    document = _mutated(POINT_RULES_DOCUMENT, data)
    valid_or_refused(lambda: parse_point_rules(document), FIELD_POINT_RULES)


@given(json_values)
@example([])
@example(None)
def test_any_json_as_a_rules_table_is_refused_clearly(document: Any) -> None:
    valid_or_refused(lambda: parse_rule_book(document), FIELD_RULE)
    valid_or_refused(lambda: parse_point_rules(document), FIELD_POINT_RULES)


# --- report periods --------------------------------------------------------------------


@given(st.dates(), st.dates())
def test_report_period_check_never_crashes(first: dt.date, last: dt.date) -> None:
    valid_or_refused(lambda: check_period(first, last), FIELD_PERIOD)


def test_normalisation_is_nfkc() -> None:
    # The premise of the full-width strategies above.
    assert unicodedata.normalize("NFKC", "１２３－") == "123-"


# --- through the services: refused input writes nothing ------------------------------
# A real migrated station database (the conftest fixtures); each example is one user
# action. Examples share the database: that only adds records, as a user would.

SERVICE_SETTINGS = settings(
    max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.large_base_example],
)


def _audit_count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _refused_without_writing(db: Database, action: Callable[[], T]) -> T | None:
    before = _audit_count(db)
    result = valid_or_refused(action)
    if result is None:
        assert _audit_count(db) == before  # every write is audited: none happened
    return result


@SERVICE_SETTINGS
@given(
    rule_code=st.sampled_from(["monthly_standard", "rectification_fault", "offset", ""])
    | st.text(max_size=20),
    amount=st.none() | st.integers(-(10**30), 10**30) | st.integers(-5, 50),
    reason=hostile_text,
    occurred_on=st.none() | st.dates(),
)
@example("monthly_standard", 10**30, "太多了", None)  # beyond SQLite's 64-bit integers
def test_points_entry_input(
    db: Database, workstation: WorkstationInfo, rule_code: str, amount: int | None,
    reason: str, occurred_on: dt.date | None,
) -> None:
    service = PointsService(db, workstation, lambda: TODAY)
    draft = EntryDraft(rule_code, officer_id=workstation.operator_id, points=amount,
                       reason=reason, occurred_on=occurred_on)
    entry = _refused_without_writing(db, lambda: service.add_entry(draft))
    if entry is not None:
        assert entry.points > 0 and entry.reason == entry.reason.strip()


@SERVICE_SETTINGS
@given(
    description=hostile_text, measures=hostile_text, source_note=hostile_text,
    due=st.dates(), risk=st.sampled_from(RiskLevel),
    source=st.sampled_from(RectificationSource),
)
@example("\x00", "", "", dt.date(2026, 12, 1), RiskLevel.LOW, RectificationSource.MANUAL)
def test_rectification_input(
    db: Database, workstation: WorkstationInfo, folder: DataFolder, description: str,
    measures: str, source_note: str, due: dt.date, risk: RiskLevel,
    source: RectificationSource,
) -> None:
    service = RectificationService(db, folder.attachments, lambda: TODAY,
                                   actor=workstation.actor)
    draft = RectificationDraft(description, due, responsible_unit_id=workstation.unit_id,
                               risk_level=risk, measures=measures, source=source,
                               source_note=source_note)
    row = _refused_without_writing(db, lambda: service.create(draft))
    if row is not None:
        assert row.due_date == due >= TODAY


@SERVICE_SETTINGS
@given(
    case_no=hostile_text, name=hostile_text, cause=hostile_text,
    accepted=st.none() | naive_moments, registered=st.none() | naive_moments,
    persons=st.lists(person_inputs(), max_size=2),
)
def test_case_input(
    db: Database, workstation: WorkstationInfo, case_no: str, name: str, cause: str,
    accepted: dt.datetime | None, registered: dt.datetime | None, persons: list[PersonInput],
) -> None:
    service = CaseService(db, workstation)
    data = CaseInput(case_no, name, CaseKind.CRIMINAL, cause, workstation.unit_id,
                     workstation.operator_id, accepted_at=accepted, registered_at=registered)
    case = _refused_without_writing(db, lambda: service.create_case(data, persons))
    if case is not None:
        assert case.case_no == case_no.strip() and len(case.persons) == len(persons)


@given(st.dates(), st.sampled_from(["date", "datetime"]))
@example(dt.date(9999, 12, 31), "datetime")
@example(dt.date(1, 1, 1), "date")
def test_plausible_year(day: dt.date, kind: str) -> None:
    moment: dt.date = dt.datetime.combine(day, dt.time(8)) if kind == "datetime" else day
    try:
        require_plausible_year(moment, FIELD)
    except ValidationError as error:
        _field_named(error, FIELD)
        assert str(day.year) in error.problem.zh and str(day.year) in error.problem.en
        assert not 1900 <= day.year <= 2099
    else:
        assert 1900 <= day.year <= 2099


def test_a_measure_in_9999_is_refused_and_the_deadline_lists_keep_working(
    db: Database, workstation: WorkstationInfo
) -> None:
    service = CaseService(db, workstation)
    data = CaseInput("A-9999", "测试", CaseKind.CRIMINAL, "寻衅滋事", workstation.unit_id, None)
    assert _refused_without_writing(
        db, lambda: service.create_case(data, [NINE_NINE_NINE_NINE])) is None
    late = dt.datetime(9999, 12, 30, 9)
    typos = [CaseInput("A-9999", "测试", CaseKind.ADMINISTRATIVE, "殴打他人", workstation.unit_id,
                       None, accepted_at=late),
             CaseInput("A-9999", "测试", CaseKind.ADMINISTRATIVE, "殴打他人", workstation.unit_id,
                       None, registered_at=late)]
    for typo in typos:
        assert _refused_without_writing(db, partial(service.create_case, typo)) is None
    DeadlineService(db).states(NOW)
