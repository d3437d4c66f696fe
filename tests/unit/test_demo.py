"""``lawsup demo``: reproducible, complete and consistent demo data (services/demo.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, func, select

from lawsup_desktop.cli import main
from lawsup_desktop.domain.audit_form import REVIEW_POINT_CODES, AuditState, form_status
from lawsup_desktop.domain.rectification import ALLOWED_TRANSITIONS
from lawsup_desktop.domain.validation import normalize_phone, parse_resident_id
from lawsup_desktop.domain.vocabulary import (
    NEGATIVE_LIST,
    REVIEW_CHAIN,
    CaseKind,
    Decision,
    Disposition,
    FollowUpMethod,
    FollowUpState,
    Gender,
    IncidentCategory,
    KeyCategory,
    MeasureKind,
    PartyRole,
    PersonRole,
    ProcuratorateDecision,
    RectificationSource,
    RectificationState,
    RiskLevel,
    Role,
    Satisfaction,
    ScoreKind,
    ScoreState,
    WatchState,
)
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.demo import FOLLOW_UP_CHECKS, DemoRefused, generate_demo
from lawsup_desktop.services.encryption import open_file
from lawsup_desktop.services.progress import Cancelled, Progress, TaskContext
from lawsup_desktop.services.station import StationService, WorkstationInfo, open_station
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    AuditEntry,
    Case,
    CaseAudit,
    FollowUp,
    Incident,
    Rectification,
    ReviewStep,
)
from lawsup_desktop.store.search import (
    SEARCH_TABLE_PREFIX,
    rebuild_search_index,
    sync_search_index,
)

N = 2000
SEED = 20261127
NOW = dt.datetime(2026, 11, 27, 10, 30)
# Bookkeeping that is real on purpose: the installation's identity and when the demo ran.
_UNSEEDED = {"workstation": {"device_id", "set_up_at"}, "audit_entry": {"at"}}


def _generate(folder: DataFolder, incidents: int = N, seed: int = SEED) -> None:
    db = open_station(folder)
    try:
        generate_demo(db, incidents=incidents, seed=seed, now=NOW)
    finally:
        db.dispose()


def _checksum(path: Path) -> str:
    """A digest of every row of every table (but the bookkeeping that is real on purpose)."""
    digest = hashlib.sha256()
    connection = open_file(path)
    try:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")
            # The search index is derived from the incidents, which are compared.
            if not r[0].startswith(SEARCH_TABLE_PREFIX)]
        for table in tables:
            columns = [r[1] for r in connection.execute(f'PRAGMA table_info("{table}")')
                       if r[1] not in _UNSEEDED.get(table, set())]
            digest.update(f"{table}:{columns}".encode())
            listed = ", ".join(f'"{c}"' for c in columns)
            for row in connection.execute(f'SELECT {listed} FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
    finally:
        connection.close()
    return digest.hexdigest()


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> DataFolder:
    folder = DataFolder(tmp_path_factory.mktemp("demo") / "data")
    _generate(folder)
    return folder


@pytest.fixture(scope="module")
def demo(demo_folder: DataFolder) -> Iterator[sqlite3.Connection]:
    connection = open_file(demo_folder.database)
    yield connection
    connection.close()


@pytest.fixture
def demo_db(demo_folder: DataFolder) -> Iterator[Database]:
    db = open_station(demo_folder)
    yield db
    db.dispose()


def _values(demo: sqlite3.Connection, table: str, column: str) -> set[object]:
    return {r[0] for r in demo.execute(f'SELECT DISTINCT "{column}" FROM "{table}"')}


def test_the_same_seed_gives_the_same_file_ids_included(
    demo_folder: DataFolder, tmp_path: Path
) -> None:
    again = DataFolder(tmp_path / "again")
    _generate(again)
    assert _checksum(again.database) == _checksum(demo_folder.database)
    other = DataFolder(tmp_path / "other")
    _generate(other, seed=SEED + 1)
    assert _checksum(other.database) != _checksum(demo_folder.database)


@pytest.mark.parametrize(
    ("table", "column", "values"),
    [
        ("officer", "role", Role),
        ("incident", "category", IncidentCategory),
        ("incident", "key_category", [*KeyCategory, None]),
        ("incident", "disposition", [*Disposition, None]),
        ("incident", "watch_state", WatchState),
        ("incident", "follow_up_state", FollowUpState),
        ("follow_up", "method", FollowUpMethod),
        ("follow_up", "party_role", PartyRole),
        ("follow_up", "satisfaction", Satisfaction),
        ("case", "kind", CaseKind),
        ("case_person", "role", PersonRole),
        ("case_person", "gender", Gender),
        ("coercive_measure", "kind", MeasureKind),
        ("review_step", "decision", Decision),
        ("review_step", "level", range(1, len(REVIEW_CHAIN) + 1)),
        ("procuratorate_review", "decision", [*ProcuratorateDecision, None]),
        ("rectification", "source", RectificationSource),
        ("rectification", "state", RectificationState),
        ("rectification", "risk_level", RiskLevel),
        ("rectification", "escalation_level", [0, 1, 2]),
        ("score_entry", "kind", ScoreKind),
        ("score_entry", "state", ScoreState),
    ],
)
def test_every_value_of_every_vocabulary_occurs(
    demo: sqlite3.Connection, table: str, column: str, values: object
) -> None:
    expected = {v.value if hasattr(v, "value") else v for v in values}  # type: ignore[attr-defined]
    assert _values(demo, table, column) == expected


def test_every_entity_is_there_in_realistic_proportions(
    demo_folder: DataFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(demo_folder.root), "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["problems"] == []
    counts = report["counts"]
    for table in ("station", "unit", "officer", "workstation", "problem_type", "guidance",
                  "bulletin_issue", "incident", "follow_up", "watch_review", "case",
                  "case_officer", "case_person", "coercive_measure", "procuratorate_review",
                  "case_audit", "review_step", "rectification", "rectification_event",
                  "score_entry"):
        assert counts[table] > 0, table
    assert counts["incident"] == N and counts["problem_type"] == len(NEGATIVE_LIST)
    assert counts["audit_entry"] == 1  # one summary, not one entry per row
    assert 1.7 * N <= counts["follow_up"] <= 2.3 * N
    assert N / 30 <= counts["case"] <= N / 12


def test_key_incidents_are_about_eight_percent(demo: sqlite3.Connection) -> None:
    (key,) = demo.execute("SELECT count(*) FROM incident WHERE is_key").fetchone()
    assert 0.06 * N <= key <= 0.10 * N
    assert demo.execute(
        "SELECT count(*) FROM incident WHERE is_key != (key_category IS NOT NULL)"
    ).fetchone() == (0,)


def test_resident_ids_are_valid_and_agree_with_gender_and_birth_date(
    demo: sqlite3.Connection,
) -> None:
    rows = demo.execute("SELECT id_number, gender, birth_date FROM case_person").fetchall()
    assert rows
    for number, gender, birth in rows:
        parsed = parse_resident_id(number, today=NOW.date())
        assert parsed.gender == gender and parsed.birth_date.isoformat() == birth


def test_phone_numbers_are_valid_mobiles(demo: sqlite3.Connection) -> None:
    phones = [r[0] for r in demo.execute(
        "SELECT caller_phone FROM incident UNION SELECT party_phone FROM follow_up "
        "UNION SELECT phone FROM officer UNION SELECT phone FROM case_person WHERE phone != ''")]
    for phone in phones:
        assert normalize_phone(phone) == phone and len(phone) == 11


def test_incident_states_follow_their_latest_follow_up_and_review(
    demo: sqlite3.Connection,
) -> None:
    latest: dict[str, str] = {}
    for incident_id, satisfaction in demo.execute(
        "SELECT incident_id, satisfaction FROM follow_up ORDER BY contacted_at, created_at"
    ):
        latest[incident_id] = satisfaction
    state_of = {"satisfied": "done", "basically_satisfied": "done",
                "dissatisfied": "dissatisfied", "unreachable": "unreachable"}
    reviews = dict(demo.execute(
        "SELECT incident_id, problem_type_id IS NOT NULL FROM watch_review"))
    assert len(reviews) == demo.execute("SELECT count(*) FROM watch_review").fetchone()[0]
    for incident_id, state, is_key, watch_state, received in demo.execute(
        "SELECT id, follow_up_state, is_key, watch_state, received_at FROM incident"
    ):
        assert state == state_of.get(latest.get(incident_id, ""), "none")
        if incident_id not in reviews:
            assert watch_state == "pending"
        else:
            assert is_key
            assert watch_state == ("problem_found" if reviews[incident_id] else "no_problem")
        assert received <= NOW.isoformat(" ")


def test_follow_ups_check_the_seven_items(demo: sqlite3.Connection) -> None:
    codes = {code for code, _ in FOLLOW_UP_CHECKS}
    assert codes == {"reception", "civility", "appearance", "on_scene", "verification", "leads",
                     "suggestions"}
    for raw, satisfaction, next_attempt in demo.execute(
        "SELECT checks, satisfaction, next_attempt_at FROM follow_up"
    ):
        checks = json.loads(raw)
        assert set(checks) == codes
        assert all(set(v) == {"checked", "note"} for v in checks.values())
        assert (next_attempt is not None) == (satisfaction == "unreachable")
        if satisfaction == "unreachable":
            assert not any(v["checked"] for v in checks.values())


def test_review_steps_run_in_order_and_no_one_reviews_his_own_case(
    demo: sqlite3.Connection,
) -> None:
    roles = dict(demo.execute("SELECT id, role FROM officer"))
    handlers: dict[str, set[str]] = defaultdict(set)
    for case_id, lead in demo.execute("SELECT id, lead_officer_id FROM \"case\""):
        handlers[case_id].add(lead)
    for case_id, officer in demo.execute("SELECT case_id, officer_id FROM case_officer"):
        handlers[case_id].add(officer)
    steps: dict[str, list[tuple[int, int, str, str, str]]] = defaultdict(list)
    for row in demo.execute(
        "SELECT audit_id, round, level, decision, reviewer_id, reviewed_at FROM review_step "
        "ORDER BY audit_id, round, level"
    ):
        steps[row[0]].append(row[1:])
    states: Counter[AuditState] = Counter()
    for audit_id, case_id, submitted in demo.execute(
        "SELECT id, case_id, submitted_at FROM case_audit"
    ):
        chain = steps.get(audit_id, [])
        assert (submitted is not None) == bool(chain)
        expected_round, expected_level, last_time = 1, 1, ""
        for round_, level, decision, reviewer, reviewed_at in chain:
            assert (round_, level) == (expected_round, expected_level)
            assert roles[reviewer] == REVIEW_CHAIN[level - 1].value
            # Level 1 is the case's own officer presenting it; nobody above handles it.
            assert (reviewer in handlers[case_id]) == (level == 1)
            assert decision == "approve" or level > 1
            assert reviewed_at >= last_time
            last_time = reviewed_at
            if decision == "return":
                expected_round, expected_level = round_ + 1, 1
            else:
                expected_level = level + 1
        assert all(d != "reject" for _, _, d, _, _ in chain[:-1])
        states[form_status(submitted is not None, _steps(chain)).state] += 1
    assert set(states) == set(AuditState) - {AuditState.NONE}


def _steps(chain: list[tuple[int, int, str, str, str]]) -> list[ReviewStep]:
    return [ReviewStep(round=r, level=lv, decision=Decision(d)) for r, lv, d, _, _ in chain]


def test_review_points_are_the_forms_points(demo: sqlite3.Connection) -> None:
    for (raw,) in demo.execute("SELECT review_points FROM case_audit"):
        assert set(json.loads(raw)) == REVIEW_POINT_CODES


def test_rectifications_cover_every_source_and_state_with_a_consistent_history(
    demo: sqlite3.Connection,
) -> None:
    pairs = set(demo.execute("SELECT DISTINCT source, state FROM rectification"))
    assert pairs == {(s.value, t.value) for s in RectificationSource for t in RectificationState}
    events: dict[str, list[tuple[str, str | None, str | None, str]]] = defaultdict(list)
    for item, kind, old, new, on in demo.execute(
        "SELECT rectification_id, kind, from_state, to_state, occurred_on "
        "FROM rectification_event ORDER BY rowid"
    ):
        events[item].append((kind, old, new, on))
    allowed = {(a.value, b.value) for a, b in ALLOWED_TRANSITIONS}
    links = ("incident_id", "follow_up_id", "audit_id", "watch_review_id")
    numbers = set()
    for row in demo.execute(
        f"SELECT id, number, state, verification_note, no_evidence_reason, signed_off_at, "
        f"signed_off_by_id, source, bureau_supervised, assigning_authority, {', '.join(links)} "
        "FROM rectification"
    ):
        item, number, state, verification, reason, signed_at, signed_by, source = row[:8]
        numbers.add(number)
        history = events[item]
        assert history[0][:3] == ("created", None, "pending")
        assert [on for *_, on in history] == sorted(on for *_, on in history)
        current = "pending"
        for kind, old, new, _on in history[1:]:
            if new is not None:
                assert old == current and (old, new) in allowed, (number, kind)
                current = new
        assert current == state
        signed = state == "signed_off"
        assert signed == bool(verification) == bool(reason) == (signed_at is not None)
        assert signed == (signed_by is not None)
        assert (source == "bureau") == bool(row[8]) == bool(row[9])
        assert sum(1 for link in row[10:] if link is not None) <= 1
        if source in ("daily_watch", "follow_up", "case_audit"):
            assert any(row[10:])
    assert len(numbers) == demo.execute("SELECT count(*) FROM rectification").fetchone()[0]


def test_the_orm_reads_the_rows_back(demo_db: Database) -> None:
    info = StationService(demo_db).workstation()
    assert info is not None and info.operator_role is Role.SUPERVISOR
    assert info.station_name == "城关派出所" and info.unit_id
    with demo_db.read() as session:
        incident = session.scalars(select(Incident).order_by(Incident.received_at.desc())).first()
        assert incident is not None
        assert incident.created_at.tzinfo is dt.UTC and incident.received_at.tzinfo is None
        assert isinstance(incident.category, IncidentCategory)
        follow_up = session.scalars(select(FollowUp)).first()
        assert follow_up is not None and isinstance(follow_up.checks, dict)
        case = session.scalars(select(Case).where(Case.kind == CaseKind.CRIMINAL)).first()
        assert case is not None and case.persons and case.assisting
        audit = session.scalars(
            select(CaseAudit).where(CaseAudit.submitted_at.is_not(None))
        ).first()
        assert audit is not None and audit.steps and audit.submitted_at is not None
        assert audit.submitted_at.tzinfo is dt.UTC
        signed = session.scalars(
            select(Rectification).where(Rectification.signed_off_at.is_not(None))
        ).first()
        assert signed is not None and signed.signed_off_at.tzinfo is dt.UTC  # type: ignore[union-attr]
        entry = session.scalars(select(AuditEntry)).one()
        assert (entry.actor_id, entry.action, entry.entity) == (None, "insert", "demo")
        assert entry.changes["incident"] == [None, N]
        assert entry.changes["seed"] == [None, SEED]
        latest = session.scalar(select(func.max(Incident.received_at)))
        assert latest is not None and latest <= NOW


def _search_index_content(connection: Connection) -> tuple[list[Any], ...]:
    """Everything the text search reads: the documents and every term instance of
    both FTS5 indexes (fts5vocab), in a comparable form."""
    run = connection.exec_driver_sql
    docs = run("SELECT key, incident_id, text FROM incident_search_doc ORDER BY key").all()
    instances = []
    for table in ("incident_search_tri", "incident_search_uni"):
        run(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab_{table} "
            f"USING fts5vocab(main, {table}, instance)")
        instances.append(sorted(run(f"SELECT * FROM temp.vocab_{table}").all()))
    return (docs, *instances)


def test_the_search_index_is_the_one_the_incremental_way_makes(demo_db: Database) -> None:
    """The demo indexes its incidents in one pass of its own (services/demo.py
    _search_index); store/search.py's trigger and sync_search_index, the way every
    other writer takes, must make exactly the same index of them."""
    with demo_db.writer.connect() as connection, connection.begin() as transaction:
        run = connection.exec_driver_sql
        made = _search_index_content(connection)
        assert len(made[0]) == N and len(made[1]) > 50 * N and len(made[2]) > 50 * N
        assert run("SELECT count(*) FROM incident_search_pending").scalar() == 0
        run("INSERT INTO incident_search_tri (incident_search_tri) VALUES ('integrity-check')")
        rebuild_search_index(connection)
        assert sync_search_index(connection) == N
        assert _search_index_content(connection) == made
        # The insert trigger the load went without is back: a new incident is marked.
        columns = [row[1] for row in run('PRAGMA table_info("incident")')]
        copied = {"id": "'copy'", "incident_no": "'copy'"}
        run(f"INSERT INTO incident ({', '.join(columns)}) "
            f"SELECT {', '.join(copied.get(c, c) for c in columns)} FROM incident LIMIT 1")
        assert run("SELECT incident_id FROM incident_search_pending").scalars().all() == ["copy"]
        transaction.rollback()  # the module's demo file stays as it was made


def test_the_schema_is_the_migrated_one(demo: sqlite3.Connection, tmp_path: Path) -> None:
    """Every index and trigger the load dropped is back, made from the same SQL."""
    empty = DataFolder(tmp_path / "empty")
    open_station(empty).dispose()
    connection = open_file(empty.database)
    try:
        query = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        assert demo.execute(query).fetchall() == connection.execute(query).fetchall()
    finally:
        connection.close()


def test_every_reference_holds(demo: sqlite3.Connection) -> None:
    # The load runs without foreign key enforcement (services/demo.py _loading_journal).
    assert demo.execute("PRAGMA foreign_key_check").fetchall() == []
    assert demo.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_the_writer_enforces_foreign_keys_again_after_the_demo(db: Database) -> None:
    generate_demo(db, incidents=50, seed=5, now=NOW)
    # The same connection (the writer has one) that ran the load.
    with db.writer.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_the_file_is_left_in_wal_mode_with_no_journal(
    demo: sqlite3.Connection, demo_folder: DataFolder
) -> None:
    # The load runs with a rollback journal (written once instead of WAL + checkpoint).
    assert demo.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert not demo_folder.database.with_name(demo_folder.database.name + "-journal").exists()


def test_a_reader_left_open_makes_the_same_file_through_the_wal(tmp_path: Path) -> None:
    """Another connection to the file keeps the demo from leaving WAL mode; it then
    loads through the WAL, to the same records."""
    alone, watched = DataFolder(tmp_path / "alone"), DataFolder(tmp_path / "watched")
    _generate(alone, incidents=300)
    db = open_station(watched)
    try:
        with db.reader.connect() as reader:
            reader.exec_driver_sql("SELECT count(*) FROM incident").scalar()
            reader.rollback()  # open, but in no transaction
            generate_demo(db, incidents=300, seed=SEED, now=NOW)
            assert reader.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert reader.exec_driver_sql("SELECT count(*) FROM incident").scalar() == 300
    finally:
        db.dispose()
    assert _checksum(watched.database) == _checksum(alone.database)


def test_demo_refuses_a_database_with_incidents(demo_db: Database) -> None:
    with pytest.raises(DemoRefused) as refused:
        generate_demo(demo_db, incidents=10, seed=1, now=NOW)
    assert "已有警情" in refused.value.message.zh and "already has" in refused.value.message.en


def test_demo_fills_the_station_of_an_installation_already_set_up(
    db: Database, workstation: WorkstationInfo
) -> None:
    result = generate_demo(db, incidents=200, seed=3, now=NOW)
    assert not result.workstation_created and result.station_id == workstation.station_id
    assert StationService(db).workstation() == workstation
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 200


def test_cancelling_leaves_nothing_behind(db: Database) -> None:
    seen: list[Progress] = []

    def cancel_at_the_third_report(progress: Progress) -> None:
        seen.append(progress)
        if len(seen) == 3:
            ctx.cancel()

    ctx = TaskContext(cancel_at_the_third_report)
    with pytest.raises(Cancelled):
        generate_demo(db, incidents=N, seed=1, now=NOW, ctx=ctx)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 0
    assert StationService(db).workstation() is None


def test_the_command_line(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(folder.root), "demo", "--incidents", "0"]) == 2
    assert "number of incidents" in capsys.readouterr().err
    assert not folder.database.exists()  # refused before anything was made
    args = ["--data-dir", str(folder.root), "demo", "--incidents", "300", "--seed", "9",
            "--until", "2026-11-27 10:30"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "演示数据已生成" in out and "incident" in out
    assert main(["--data-dir", str(folder.root), "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["counts"]["incident"] == 300
    assert main(args) == 2
    assert "already has incidents" in capsys.readouterr().err


def test_silly_sizes_are_refused(db: Database) -> None:
    with pytest.raises(DemoRefused):
        generate_demo(db, incidents=0, seed=1, now=NOW)
    with pytest.raises(DemoRefused):
        generate_demo(db, incidents=10, seed=1, days=0, now=NOW)


def test_the_command_is_refused_while_the_workbench_has_the_folder(
    folder: DataFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    from lawsup_desktop.services.folder_lock import WORKBENCH, hold_folder

    with hold_folder(folder.root, WORKBENCH):
        assert main(["--data-dir", str(folder.root), "demo", "--incidents", "10"]) == 2
    assert capsys.readouterr().err.startswith("lawsup: ")
    assert not folder.database.exists()
