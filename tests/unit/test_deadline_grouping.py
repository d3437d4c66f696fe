"""The bulk path of the deadline states: shared computations, and what it leaves out.

For a day- or month-based period with suspensions, ``DeadlineService.states`` counts
with the start and the suspensions moved to 00:00 of their days (so that subjects on
the same days share one ``compute_due``). These properties hold that shortcut to the
engine itself: the due moment is the same as with the exact times, whatever they are.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawsup_desktop.domain.deadlines import (
    DeadlineRule,
    Extension,
    PeriodUnit,
    Suspension,
    compute_due,
)
from lawsup_desktop.domain.vocabulary import CaseKind, MeasureKind, PersonRole
from lawsup_desktop.services.deadlines import (
    DeadlineService,
    _in_whole_days,
    load_calendar,
    load_rule_book,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Case, CasePerson, CoerciveMeasure

BOOK = load_rule_book(None)
CALENDAR = load_calendar(None)
# Every rule whose period may be suspended and is counted in days or months.
DAY_RULES = [
    rule for rule in BOOK if rule.suspension is not None and rule.unit is not PeriodUnit.HOURS
]
# Hours as well as minutes: the interesting cases put a suspension on the start's day.
MOMENTS = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 10, 31)
).map(lambda moment: moment.replace(second=0, microsecond=0))


def test_there_are_rules_to_check() -> None:
    assert {rule.unit for rule in DAY_RULES} == {PeriodUnit.DAYS, PeriodUnit.MONTHS}


@st.composite
def suspensions_near(draw: st.DrawFn, start: dt.datetime) -> list[Suspension]:
    """0–3 suspensions starting from 3 days before to 90 days after the start, some
    on the start's own day, some overlapping or touching each other."""
    found = []
    for _ in range(draw(st.integers(0, 3))):
        begins = start + dt.timedelta(minutes=draw(st.integers(-3 * 1440, 90 * 1440)))
        if draw(st.booleans()):
            begins = begins.replace(hour=draw(st.integers(0, 23)))
        ends = begins + dt.timedelta(minutes=draw(st.integers(0, 20 * 1440)))
        found.append(Suspension(begins, ends))
    return found


@st.composite
def cases(draw: st.DrawFn) -> tuple[DeadlineRule, dt.datetime, list[Suspension], list[Extension]]:
    rule = draw(st.sampled_from(DAY_RULES))
    start = draw(MOMENTS)
    suspensions = draw(suspensions_near(start))
    extensions = []
    if rule.max_extension and draw(st.booleans()):
        extensions.append(Extension(draw(st.integers(1, rule.max_extension)), "批准"))
    return rule, start, suspensions, extensions


@settings(max_examples=400, deadline=None)
@given(cases())
def test_whole_days_give_the_same_due_moment(
    case: tuple[DeadlineRule, dt.datetime, list[Suspension], list[Extension]],
) -> None:
    rule, start, suspensions, extensions = case
    exact = compute_due(rule, start, CALENDAR, suspensions=suspensions, extensions=extensions)
    day_start, day_suspensions = _in_whole_days(start, suspensions)
    by_day = compute_due(
        rule, day_start, CALENDAR, suspensions=day_suspensions, extensions=extensions
    )
    assert by_day.due == exact.due


@pytest.mark.parametrize(
    ("start", "suspension"),
    [
        # Begins before the start, ends on its day: clipped to nothing.
        (dt.datetime(2026, 3, 2, 15), (dt.datetime(2026, 3, 1, 9), dt.datetime(2026, 3, 2, 10))),
        # Begins on the start's day, before its hour: clipped to the start.
        (dt.datetime(2026, 3, 2, 15), (dt.datetime(2026, 3, 2, 9), dt.datetime(2026, 3, 9, 10))),
        # Two suspensions touching within one day are one pause of whole days.
        (dt.datetime(2026, 3, 2, 15), (dt.datetime(2026, 3, 4, 9), dt.datetime(2026, 3, 6, 8))),
    ],
)
def test_worked_edges(start: dt.datetime, suspension: tuple[dt.datetime, dt.datetime]) -> None:
    rule = BOOK.get("public_order_case")
    assert rule is not None
    suspensions = [Suspension(*suspension), Suspension(suspension[1], suspension[1])]
    exact = compute_due(rule, start, CALENDAR, suspensions=suspensions)
    day_start, day_suspensions = _in_whole_days(start, suspensions)
    assert compute_due(rule, day_start, CALENDAR, suspensions=day_suspensions).due == exact.due


def test_measures_of_deleted_persons_or_cases_have_no_deadline(
    db: Database, workstation: WorkstationInfo
) -> None:
    """The bulk read leaves them out (a list of the deleted persons, used only when
    there is one): the measures of a deleted person, and of every person of a deleted
    case; the others stay."""
    start = dt.datetime(2026, 11, 20, 10)
    measures: dict[str, str] = {}
    with db.write(workstation.actor) as session:
        cases = [
            Case(case_no=f"X-{n}", name=f"案{n}", kind=CaseKind.CRIMINAL, cause="盗窃",
                 accepted_at=start, registered_at=start)
            for n in range(2)
        ]
        session.add_all(cases)
        session.flush()
        for name, case in (("kept", cases[0]), ("person gone", cases[0]), ("case gone", cases[1])):
            person = CasePerson(case_id=case.id, role=PersonRole.SUSPECT, name=name)
            session.add(person)
            session.flush()
            measure = CoerciveMeasure(
                person_id=person.id, kind=MeasureKind.CRIMINAL_DETENTION, started_at=start
            )
            session.add(measure)
            session.flush()
            measures[name] = measure.id
    service = DeadlineService(db)
    now = dt.datetime(2026, 11, 21, 9)

    def subjects() -> set[str]:
        return {state.subject_id for state in service.states(now)}

    assert set(measures.values()) <= subjects()
    gone = dt.datetime(2026, 11, 21, 8, tzinfo=dt.UTC)
    with db.write(workstation.actor) as session:
        person = session.get(CoerciveMeasure, measures["person gone"])
        assert person is not None
        session.get_one(CasePerson, person.person_id).deleted_at = gone
    assert measures["kept"] in subjects() and measures["person gone"] not in subjects()
    with db.write(workstation.actor) as session:
        session.get_one(Case, cases[1].id).deleted_at = gone
    left = subjects()
    assert measures["kept"] in left
    assert not {measures["person gone"], measures["case gone"]} & left
