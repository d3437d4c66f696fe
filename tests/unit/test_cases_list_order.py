"""The case list's ids come back in the query's exact order, and "审核中 (any level)"
is exactly the union of the five levels.

CaseService.case_ids joins the ids inside SQLite (group_concat over the ordered
list query) rather than fetching one row per id; these tests hold that shortcut
to the order the plain query gives, for every sort and direction, ties included.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from audit_helpers import Roster, case_input, complete_content, make_roster, step

from lawsup_desktop.domain.audit_form import LEVELS, AuditState
from lawsup_desktop.domain.vocabulary import CaseKind, Decision
from lawsup_desktop.services.audits import AuditService
from lawsup_desktop.services.cases import (
    CaseQuery,
    CaseService,
    CaseSort,
    audit_state_code,
    case_ids_statement,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database


@pytest.fixture
def roster(db: Database, workstation: WorkstationInfo) -> Roster:
    return make_roster(db, workstation)


def _plain_ids(db: Database, query: CaseQuery) -> list[str]:
    """The same statement run through the ORM, one row per id: the reference order."""
    with db.read() as session:
        return list(session.scalars(case_ids_statement(query)))


def _register(db: Database, workstation: WorkstationInfo, roster: Roster, count: int) -> None:
    rng = random.Random(4)
    cases = CaseService(db, workstation)
    base = datetime(2026, 1, 1, 8, 0)
    for n in range(count):
        # Few distinct acceptance times (and some missing): the id must break ties.
        accepted = None if n % 7 == 0 else base + timedelta(days=rng.randint(0, 3))
        lead, other = (roster.lead, roster.assisting) if rng.random() < 0.5 else (
            roster.assisting, roster.lead)
        cases.create_case(case_input(
            roster, f"L-{rng.randint(0, 10**6):07d}-{n}", name=f"案{rng.randint(0, 9)}",
            kind=CaseKind.CRIMINAL if n % 3 else CaseKind.ADMINISTRATIVE,
            cause=rng.choice(("盗窃", "诈骗", "赌博")),
            unit_id=roster.unit_id if n % 2 else roster.other_unit_id,
            lead_officer_id=lead, assisting_officer_ids=(other,),
            accepted_at=accepted, registered_at=None,
        ))


def test_case_ids_keep_the_order_of_the_query(
    db: Database, workstation: WorkstationInfo, roster: Roster
) -> None:
    _register(db, workstation, roster, 40)
    service = CaseService(db, workstation)
    for sort in CaseSort:
        for descending in (True, False):
            query = CaseQuery(sort=sort, descending=descending)
            ids = service.case_ids(query)
            assert len(ids) == 40, query
            assert ids == _plain_ids(db, query), query
    narrow = CaseQuery(kind=CaseKind.ADMINISTRATIVE, text="盗窃", descending=False)
    assert service.case_ids(narrow) == _plain_ids(db, narrow)
    nothing = CaseQuery(text="没有这个案由")
    assert service.case_ids(nothing) == [] == _plain_ids(db, nothing)


def test_in_review_any_level_is_the_union_of_the_levels(
    db: Database, workstation: WorkstationInfo, roster: Roster
) -> None:
    """Over forms stopped at every level, returned (and resubmitted or not), rejected,
    approved, in a second round, and superseded by a newer form."""
    rng = random.Random(8)
    cases = CaseService(db, workstation)
    audits = AuditService(db, workstation)
    expected: dict[str, str] = {}
    decisions = (Decision.APPROVE, Decision.APPROVE, Decision.RETURN, Decision.REJECT)
    for n in range(36):
        case = cases.create_case(case_input(
            roster, f"R-{n:03d}", accepted_at=datetime(2026, 3, 1) + timedelta(hours=n % 5),
        ))
        form = audits.create_form(case.id, complete_content())
        if n % 9 != 0:  # every ninth stays a draft
            audits.submit(form.id, form.version)
            for _ in range(rng.randint(0, 2)):  # rounds that end in a return
                last = rng.randint(2, LEVELS)  # level 1 only approves
                for level in range(1, last):
                    audits.record_step(form.id, step(roster, level))
                audits.record_step(form.id, step(roster, last, Decision.RETURN))
                if rng.random() < 0.3:
                    break  # returned and not resubmitted
                audits.record_step(form.id, step(roster, 1))
                break
            status = audits.get(form.id).status
            if status.state is AuditState.IN_REVIEW:
                stop = rng.randint(status.level, LEVELS + 1)
                for level in range(status.level, stop):
                    final = level == stop - 1 and level > 1
                    decision = rng.choice(decisions) if final else Decision.APPROVE
                    audits.record_step(form.id, step(roster, level, decision))
        if n % 11 == 5:  # a newer form supersedes this one
            audits.create_form(case.id)
        expected[case.id] = audit_state_code(cases.detail(case.id).audits[-1].status)

    codes = set(expected.values())
    assert {"draft", "returned", "rejected", "approved"} <= codes
    assert len({c for c in codes if c.startswith("in_review:")}) >= 3, codes

    any_level = cases.case_ids(CaseQuery(audit_state=AuditState.IN_REVIEW))
    by_level: set[str] = set()
    for level in range(1, LEVELS + 1):
        at_level = cases.case_ids(CaseQuery(audit_state=AuditState.IN_REVIEW, audit_level=level))
        assert set(at_level) == {c for c, code in expected.items()
                                 if code == f"in_review:{level}"}, level
        by_level |= set(at_level)
    assert set(any_level) == by_level
    assert by_level == {c for c, code in expected.items() if code.startswith("in_review:")}
    # In the list's order: the full list with the other cases left out.
    everything = cases.case_ids(CaseQuery())
    assert any_level == [c for c in everything if c in by_level]
