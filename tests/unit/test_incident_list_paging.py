"""The incident list's fast paths agree with its plain queries.

``IncidentQuery.page`` reads a sort on a vocabulary column or the unit group by
group, and counts "no filter" and "text alone" without the list's index (all
minus deleted, the search index's count minus deleted matches). These tests hold
each of them to ``IncidentQuery.ids`` (one plain ORDER BY over every row) and to
its length, with soft-deleted incidents and NULL values in the data.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from lawsup_desktop.domain.vocabulary import (
    Disposition,
    FollowUpState,
    IncidentCategory,
    KeyCategory,
    WatchState,
)
from lawsup_desktop.services import incidents
from lawsup_desktop.services.incidents import IncidentFilter, IncidentQuery, SortKey
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Incident
from tests.unit.incident_helpers import add_incidents, add_search_index, add_unit_with_officer

TODAY = dt.date(2026, 11, 25)
CALLERS = ["王芳", "李强", "王强", "张伟", "刘洋", "陈静", "王", ""]
ADDRESSES = ["人民路1号", "滨河东路", "城关镇人民路8号", "北塬村", "人民广场"]


def _station(db: Database, ws: WorkstationInfo) -> tuple[list[str], str]:
    """23 incidents with distinct receipt times (so every order is fully defined, ties
    broken by the newest first), every vocabulary value, NULLs, two units with the
    same name and one more, and three soft-deleted incidents."""
    second, _ = add_unit_with_officer(db, ws, "甲中队", "周警官")
    twin, _ = add_unit_with_officer(db, ws, "甲中队", "吴警官")  # same name: one group
    units = [ws.unit_id, second, twin, None]
    specs = []
    cycle = zip(
        range(23),
        itertools.cycle(IncidentCategory),
        itertools.cycle([None, *KeyCategory]),
        itertools.cycle([*Disposition, None]),
        itertools.cycle(WatchState),
        itertools.cycle(FollowUpState),
    )
    for n, category, key_category, disposition, watch, follow_up in cycle:
        specs.append(
            {
                "received_at": dt.datetime(2026, 11, 1, 8) + dt.timedelta(hours=7 * n),
                "category": category,
                "is_key": key_category is not None,
                "key_category": key_category,
                "disposition": disposition,
                "watch_state": watch,
                "follow_up_state": follow_up,
                "unit_id": units[n % len(units)],
                "caller_name": CALLERS[n % len(CALLERS)],
                "address": ADDRESSES[n % len(ADDRESSES)],
                "summary": f"第{n}号警情：邻里纠纷" if n % 3 else f"第{n}号：电动车被盗",
            }
        )
    ids = add_incidents(db, ws, *specs)
    deleted = [ids[2], ids[9], ids[17]]
    with db.write(ws.actor) as session:
        for incident in session.query(Incident).filter(Incident.id.in_(deleted)):
            incident.deleted_at = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)
    return ids, second


FILTERS = [
    IncidentFilter(),
    IncidentFilter(key_only=True),
    IncidentFilter(text="王"),
    IncidentFilter(categories=frozenset({IncidentCategory.CRIMINAL, IncidentCategory.DISPUTE})),
]


@pytest.mark.parametrize("sort", list(SortKey))
def test_every_page_of_every_sort_is_that_slice_of_the_full_order(
    db: Database, workstation: WorkstationInfo, sort: SortKey
) -> None:
    add_search_index(db)
    _station(db, workstation)
    query = IncidentQuery(db)
    for f, descending in itertools.product(FILTERS, (False, True)):
        every = query.ids(f, sort, descending, today=TODAY)
        assert every, (f, sort)
        for offset in range(0, len(every) + 2, 3):
            page = query.page(f, sort, descending, offset=offset, limit=4, today=TODAY)
            assert page.total == len(every), (f, sort, descending)
            shown = [row.id for row in page.rows]
            assert shown == every[offset : offset + 4], (f, sort, descending, offset)


@pytest.mark.parametrize(
    "text",
    ["王", "王强", "人民路", "纠纷 王", "人民路 王", "号：", "电动车 人民 王", "無此字", "WANG"],
)
def test_counts_of_a_search_leave_out_deleted_incidents(
    db: Database, workstation: WorkstationInfo, text: str
) -> None:
    """One index (unigram or trigram), both (INTERSECT) and an instr() scan term."""
    add_search_index(db)
    ids, _ = _station(db, workstation)
    query = IncidentQuery(db)
    f = IncidentFilter(text=text)
    every = query.ids(f, today=TODAY)
    assert not {ids[2], ids[9], ids[17]} & set(every)
    assert query.count(f, today=TODAY) == len(every)
    assert query.page(f, limit=5, today=TODAY).total == len(every)


def test_counts_without_a_filter_leave_out_deleted_incidents(
    db: Database, workstation: WorkstationInfo
) -> None:
    _station(db, workstation)
    query = IncidentQuery(db)
    assert query.count(today=TODAY) == 20
    assert query.page(today=TODAY).total == 20
    assert len(query.ids(today=TODAY)) == 20


def test_many_deleted_incidents_take_the_plain_count(
    db: Database, workstation: WorkstationInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond a few deleted incidents a search is counted by the list query itself."""
    add_search_index(db)
    _station(db, workstation)
    monkeypatch.setattr(incidents, "_FEW_DELETED", 1)
    query = IncidentQuery(db)
    for text in ("王", "人民路", "纠纷 王"):
        f = IncidentFilter(text=text)
        expected = len(query.ids(f, today=TODAY))
        assert query.count(f, today=TODAY) == expected
        assert query.page(f, limit=5, today=TODAY).total == expected
