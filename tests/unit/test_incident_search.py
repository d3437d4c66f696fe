"""The text search finds exactly what a full scan finds: any substring, 1 character
or more, Chinese, Latin and digits, whatever index answers it."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from lawsup_desktop.services.incidents import IncidentFilter, IncidentQuery
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store import search
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Incident
from lawsup_desktop.store.search import (
    SEARCH_FIELDS,
    create_search_index,
    pending_count,
    term_strategy,
)
from tests.unit.incident_helpers import add_incidents, add_search_index

# A small alphabet so that random queries often hit: common surname and address
# characters, letters in both cases, digits, full-width forms, punctuation, a space.
ALPHABET = "王芳张三路中山市12abAB-，Ａ１ 号"
FIELDS = st.text(alphabet=ALPHABET, max_size=12)
QUERY = st.text(alphabet=ALPHABET, min_size=1, max_size=4)


def reference(query: str, fields: list[str]) -> bool:
    """The documented definition, written out independently of the code under test:
    each whitespace-separated term (after NFKC + casefold) is in some field."""

    def norm(s: str) -> str:
        return unicodedata.normalize("NFKC", s).casefold()

    return all(any(t in norm(f) for f in fields) for t in norm(query).split())


def _search(db: Database, text: str) -> set[str]:
    return set(IncidentQuery(db).ids(IncidentFilter(text=text)))


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    docs=st.lists(st.tuples(*[FIELDS] * len(SEARCH_FIELDS)), min_size=1, max_size=8),
    queries=st.lists(QUERY, min_size=1, max_size=6),
    edit=st.tuples(st.integers(0, 7), st.sampled_from(SEARCH_FIELDS), FIELDS),
)
def test_search_returns_exactly_the_full_scan(
    db: Database,
    workstation: WorkstationInfo,
    docs: list[tuple[str, ...]],
    queries: list[str],
    edit: tuple[int, str, str],
) -> None:
    add_search_index(db)
    dense_default = search.DENSE_MATCHES, search.PER_ROW_SHARE
    with db.write(workstation.actor) as session:  # examples share the test's database
        session.execute(delete(Incident))
    specs = []
    for n, values in enumerate(docs):
        spec = dict(zip(SEARCH_FIELDS, values, strict=True))
        spec["incident_no"] = f"{spec['incident_no']}#{n}"  # numbers are unique
        specs.append(spec)
    ids = add_incidents(db, workstation, *specs)
    # One field edited after indexing: the index must follow the update.
    index, column, value = edit
    index %= len(ids)
    if column == "incident_no":
        value = f"{value}#{index}"
    with db.write(workstation.actor) as session:
        session.execute(update(Incident).where(Incident.id == ids[index]).values({column: value}))
        specs[index][column] = value
    for query in [*queries, "1", "王", "ab", "Ａ1"]:
        expected = {
            i
            for i, spec in zip(ids, specs, strict=True)
            if reference(query, [spec[f] for f in SEARCH_FIELDS])
        }
        if not query.split():
            expected = set(ids)  # an empty query filters nothing
        # Both query plans: driven by the matches, and scanning in order (dense terms).
        try:
            # Every query plan: driven by the matches, scanning in order (dense), and
            # checking row by row (one page of very dense matches).
            for dense, per_row in ((10**9, 10.0**9), (0, 10.0**9), (0, 0.0)):
                search.DENSE_MATCHES, search.PER_ROW_SHARE = dense, per_row
                assert _search(db, query) == expected, (query, dense, specs)
                page = IncidentQuery(db).page(IncidentFilter(text=query), limit=len(ids))
                assert {r.id for r in page.rows} == expected, (query, dense, per_row, specs)
                assert page.total == len(expected)
        finally:
            search.DENSE_MATCHES, search.PER_ROW_SHARE = dense_default
    with db.write(workstation.actor) as session:  # hard deletes leave the index too
        session.execute(delete(Incident))
    assert _search(db, "王") == set()
    with db.reader.connect() as connection:
        assert pending_count(connection) == 0


@pytest.mark.parametrize(
    ("term", "strategy"),
    [
        ("王", "unigram"),
        ("a", "unigram"),
        ("7", "unigram"),
        ("王芳", "unigram"),
        ("a1", "unigram"),
        ("-", "scan"),
        ("王，", "scan"),
        ("中山路", "trigram"),
        ("a-b", "trigram"),
    ],
)
def test_each_term_length_goes_to_its_index(term: str, strategy: str) -> None:
    assert term_strategy(term) == strategy


def test_search_covers_all_five_fields_and_ignores_other_columns(
    db: Database, workstation: WorkstationInfo
) -> None:
    add_search_index(db)
    ids = add_incidents(
        db,
        workstation,
        {"incident_no": "J2026112001"},
        {"address": "城关镇中山路12号"},
        {"summary": "邻里纠纷，双方争吵"},
        {"caller_name": "王芳"},
        {"handling_notes": "已调解"},
        {"caller_phone": "13812345678"},  # not a searchable field
    )
    assert _search(db, "2026112001") == {ids[0]}
    assert _search(db, "山路") == {ids[1]}
    assert _search(db, "纠") == {ids[2]}
    assert _search(db, "王芳") == {ids[3]}
    assert _search(db, "调解") == {ids[4]}
    assert _search(db, "13812345678") == set()
    assert _search(db, "王芳 中山") == set()  # both terms needed
    assert _search(db, "j2026112001") == {ids[0]}  # Latin letters match any case


def test_soft_deleted_incidents_are_not_found(db: Database, workstation: WorkstationInfo) -> None:
    add_search_index(db)
    (kept, gone) = add_incidents(db, workstation, {"caller_name": "李四"}, {"caller_name": "李五"})
    with db.write(workstation.actor) as session:
        session.get(Incident, gone).deleted_at = dt.datetime.now(dt.UTC)  # type: ignore[union-attr]
    assert _search(db, "李") == {kept}


def test_an_index_added_to_a_filled_file_catches_up(
    db: Database, workstation: WorkstationInfo
) -> None:
    # Incidents written before the index existed (an older file).
    ids = add_incidents(db, workstation, {"address": "北大街"}, {"address": "南大街"})
    with db.writer.begin() as connection:
        create_search_index(connection.exec_driver_sql)
        assert pending_count(connection) == 2
    assert _search(db, "大街") == set(ids)
    assert _search(db, "北") == {ids[0]}


def test_writes_that_bypass_the_services_are_still_found(
    db: Database, workstation: WorkstationInfo
) -> None:
    add_search_index(db)
    (incident_id,) = add_incidents(db, workstation, {"summary": "旧内容"})
    assert _search(db, "旧") == {incident_id}
    with db.writer.begin() as connection:  # plain SQL, no service, no sync call
        connection.execute(
            update(Incident).where(Incident.id == incident_id).values(summary="新内容")
        )
    assert _search(db, "旧") == set()
    assert _search(db, "新内容") == {incident_id}
    with db.read() as session:
        assert session.scalar(select(Incident.summary)) == "新内容"


def test_renumbered_rowids_are_detected_and_the_index_rebuilt(
    db: Database, workstation: WorkstationInfo
) -> None:
    """A VACUUM may renumber rowids; simulate it by moving the documents' keys."""
    add_search_index(db)
    ids = add_incidents(db, workstation, {"caller_name": "甲"}, {"caller_name": "乙"})
    assert _search(db, "甲") == {ids[0]}
    with db.writer.begin() as connection:  # the two incidents swap rowids
        connection.exec_driver_sql("UPDATE incident SET rowid = rowid + 1000")
        connection.exec_driver_sql(
            "UPDATE incident SET rowid = CASE WHEN id = ? THEN ? ELSE ? END",
            (ids[0], 2, 1),
        )
    reopened = Database(db.path, db.key)  # a new process: it checks the alignment once
    try:
        assert _search(reopened, "甲") == {ids[0]}
        assert _search(reopened, "乙") == {ids[1]}
    finally:
        reopened.dispose()


def test_rowids_compacted_after_a_gap_are_detected(
    db: Database, workstation: WorkstationInfo
) -> None:
    """An incident removed for good leaves a rowid gap; a copy that renumbers (the
    export that encrypts a file, or a VACUUM) closes it by moving every later row
    down, so their documents point at the wrong incidents. Only the rows after the
    gap move: the check must still see it."""
    add_search_index(db)
    ids = add_incidents(
        db, workstation, {"caller_name": "甲"}, {"caller_name": "乙"}, {"caller_name": "丙"}
    )
    assert _search(db, "丙") == {ids[2]}
    with db.writer.begin() as connection:  # keep the documents: only the rows move
        connection.exec_driver_sql("DROP TRIGGER incident_search_on_delete")
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        gap = connection.exec_driver_sql(
            "SELECT rowid FROM incident WHERE id = ?", (ids[0],)).scalar_one()
        connection.exec_driver_sql("DELETE FROM incident WHERE id = ?", (ids[0],))
        connection.exec_driver_sql(
            "UPDATE incident SET rowid = rowid + 1000 WHERE rowid > ?", (gap,))
        connection.exec_driver_sql(
            "UPDATE incident SET rowid = rowid - 1001 WHERE rowid > ?", (gap + 1000,))
    reopened = Database(db.path, db.key)  # a new process: it checks the alignment once
    try:
        assert _search(reopened, "丙") == {ids[2]}
        assert _search(reopened, "乙") == {ids[1]}
        assert _search(reopened, "甲") == set()
    finally:
        reopened.dispose()
