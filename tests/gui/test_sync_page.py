# ruff: noqa: F811
"""The sync page, enrolment dialog, scheduler and status bar against the real central
service in its own process on loopback (as tests/sync does), with real widgets."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from lawsup_central.devserver import Service, free_port
from lawsup_desktop.domain.vocabulary import IncidentCategory
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.station import StationService, WorkstationInfo, open_station
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Incident
from lawsup_desktop.sync import engine, state
from lawsup_desktop.sync.engine import SyncEngine, raw_write, set_meta
from lawsup_desktop.sync.tokens import SERVICE, TokenStore
from lawsup_desktop.ui.app import configure_application
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.preferences import Preferences
from lawsup_desktop.ui.sync import badges
from lawsup_desktop.ui.sync.controller import (
    forget_controller,
    interval_minutes,
    sync_controller,
)
from lawsup_desktop.ui.sync.page import SyncPage
from lawsup_desktop.ui.sync.scheduler import SyncScheduler
from lawsup_desktop.ui.tasks import TaskManager
from tests.gui.helpers import type_text
from tests.memory_keyring import MemoryKeyring, memory_keyring  # noqa: F401 - autouse fixture

TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    url = f"sqlite:///{tmp_path_factory.mktemp('central') / 'central.sqlite'}"
    service = Service.start(url)
    yield service
    service.stop()


_codes = iter(range(10**6))


def add_station(central: Service, name: str = "城关派出所") -> tuple[str, str]:
    """A station at the bureau: (its code, a one-time enrolment code)."""
    from lawsup_central.admin import add_station as add
    from lawsup_central.db import make_engine, sessions

    code = f"G{time.monotonic_ns()}-{next(_codes)}"
    central_engine = make_engine(central.url)
    try:
        with sessions(central_engine).begin() as session:
            return code, str(add(session, code, name))
    finally:
        central_engine.dispose()


def new_code(central: Service, station_code: str) -> str:
    from lawsup_central.admin import new_enrollment_code
    from lawsup_central.db import make_engine, sessions

    central_engine = make_engine(central.url)
    try:
        with sessions(central_engine).begin() as session:
            return str(new_enrollment_code(session, station_code))
    finally:
        central_engine.dispose()


@pytest.fixture
def context(db: Database, folder: DataFolder, workstation: WorkstationInfo) -> Iterator[AppContext]:
    ctx = AppContext(db=db, folder=folder, workstation=workstation, tasks=TaskManager(),
                     preferences=Preferences(folder.settings))
    yield ctx
    forget_controller(ctx)
    ctx.tasks.shutdown()
    ctx.db.dispose()  # the test may have reopened it


def enroll_quietly(context: AppContext, central: Service, station_code: str | None = None
                   ) -> str:
    """Enrol without the dialog (the dialog has its own test); returns the station code."""
    if station_code is None:
        station_code, code = add_station(central)
    else:
        code = new_code(central, station_code)
    engine.enroll(context.db, central.base_url, code, TokenStore())
    info = StationService(context.db).workstation()
    assert info is not None
    context.workstation = info
    return station_code


def add_incident(context: AppContext, number: str) -> str:
    with context.db.write(context.workstation.actor) as session:
        incident = Incident(incident_no=number, received_at=datetime(2026, 11, 20, 9, 30),
                            category=IncidentCategory.DISPUTE, summary="邻里纠纷",
                            address="城关镇")
        session.add(incident)
        session.flush()
        return incident.id


def edit_incident(context: AppContext, record_id: str, **values: Any) -> None:
    with context.db.write(context.workstation.actor) as session:
        row = session.get(Incident, record_id)
        assert row is not None
        for key, value in values.items():
            setattr(row, key, value)


def server_record(context: AppContext, memory_keyring: MemoryKeyring, entity: str,
                  record_id: str) -> dict[str, Any]:
    with context.db.reader.connect() as conn:
        device = engine.get_meta(conn, "device_id")
        server = engine.get_meta(conn, "server_url")
    token = memory_keyring.passwords[(SERVICE, device)]
    answer = httpx.get(f"{server}/v1/records/{entity}/{record_id}",
                       headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return dict(body.get("data", body))


def make_page(context: AppContext, qtbot: QtBot) -> SyncPage:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    configure_application(app)  # the program's font and style sheet, as users see it
    page = SyncPage(context)
    qtbot.addWidget(page)
    page.resize(1100, 720)
    page.show()
    qtbot.waitExposed(page)
    return page


def wait(qtbot: QtBot, handle: Any) -> None:
    assert handle is not None
    assert handle.wait(TIMEOUT_MS)


def sync_tokens(memory_keyring: MemoryKeyring) -> dict[str, str]:
    """The device tokens in the keyring, by device (other secrets may live there too)."""
    return {user: secret for (service, user), secret in memory_keyring.passwords.items()
            if service == SERVICE}


def files_containing(root: Path, secret: str) -> list[Path]:
    """Every file under ``root`` whose bytes contain ``secret`` (database, WAL, settings,
    logs)."""
    needle = secret.encode()
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


# ---------------------------------------------------------------- enrolment


def test_enrolling_through_the_dialog_puts_the_token_in_the_keyring_only(
    context: AppContext, central: Service, qtbot: QtBot, memory_keyring: MemoryKeyring
) -> None:
    station_code, code = add_station(central)
    local_station = context.workstation.station_id
    page = make_page(context, qtbot)
    assert page.enrolment_value.text() == "本机尚未注册，不能同步。"
    assert not page.sync_button.isEnabled()

    dialog = page.open_enroll_dialog()
    qtbot.waitExposed(dialog)
    assert not dialog.keyring_note.isVisible()  # a keyring exists here
    dialog.server_url.clear()
    type_text(qtbot, dialog.server_url, central.base_url)
    # A wrong code first: said in Chinese, nothing enrolled.
    type_text(qtbot, dialog.code, "WRONG-CODE")
    qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=TIMEOUT_MS)
    assert "同步服务拒绝了请求" in dialog.error.text()
    assert not state.status(context.db).enrolled and sync_tokens(memory_keyring) == {}

    dialog.code.clear()
    type_text(qtbot, dialog.code, code)
    qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
    # Enrolled: the dialog closed (and is gone).
    qtbot.waitUntil(lambda: page.enroll_dialog is None, timeout=TIMEOUT_MS)

    [token] = sync_tokens(memory_keyring).values()
    assert len(token) >= 20
    context.db.dispose()  # checkpoint the WAL: every byte is in the files now
    assert files_containing(context.folder.root, token) == []
    assert files_containing(Path(os.environ["HOME"]), token) == []  # global settings
    context.db = open_station(context.folder)

    # The station row took the bureau's id; the context shows it at once.
    with context.db.reader.connect() as conn:
        bureau_station = engine.get_meta(conn, "station_id")
    assert bureau_station != local_station
    assert context.workstation.station_id == bureau_station
    assert context.preferences.server_url == central.base_url
    page.reload()
    assert page.enrolment_value.text().startswith(f"已注册：{station_code}")
    assert page.sync_button.isEnabled()
    assert sync_controller(context).scheduler.active  # automatic sync is on


def test_without_a_keyring_the_token_stays_in_memory_and_the_page_says_so(
    context: AppContext, central: Service, qtbot: QtBot
) -> None:
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    page = make_page(context, qtbot)
    dialog = page.open_enroll_dialog()
    qtbot.waitExposed(dialog)
    assert dialog.keyring_note.isVisible()
    assert "没有可用的系统密钥环" in dialog.keyring_note.text()
    _, code = add_station(central)
    dialog.server_url.setText(central.base_url)
    dialog.code.setText(code)
    qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.enroll_dialog is None, timeout=TIMEOUT_MS)
    assert page.keyring.isVisible() and "只在本次运行期间" in page.keyring.text()
    # The session can still sync with the in-memory token.
    add_incident(context, "MEM-1")
    handle = page.sync_now()
    wait(qtbot, handle)
    assert handle is not None and handle.error is None, handle.error
    assert state.status(context.db).pending == 0


# ---------------------------------------------------------------- sync now, history


def test_sync_now_pushes_a_local_edit_and_shows_the_history(
    context: AppContext, central: Service, qtbot: QtBot, memory_keyring: MemoryKeyring,
    artifacts: Path
) -> None:
    enroll_quietly(context, central)
    incident = add_incident(context, "H1")
    assert badges.read_badges(context.db, "incident", [incident])[incident].state == "pending"
    page = make_page(context, qtbot)
    pending = state.status(context.db).pending  # the incident and the set-up's records
    assert pending >= 1 and f"待同步 {pending} 条" in page.summary.text()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=TIMEOUT_MS)
    scheduler = sync_controller(context).scheduler
    seen: list[tuple[bool, bool]] = []
    scheduler.running_changed.connect(lambda r: seen.append((r, page.sync_button.isEnabled())))
    progress: list[tuple[bool, str]] = []
    sync_controller(context).progressed.connect(
        lambda p: progress.append((page.progress.isVisible(), page.progress_text.text())))
    with qtbot.waitSignal(scheduler.finished, timeout=TIMEOUT_MS):
        qtbot.keyClick(page, Qt.Key.Key_F5)
    # F5 started a sync (on a worker thread); no second one could start meanwhile.
    assert seen == [(True, False), (False, True)]
    assert (True, f"已上报 {pending} / {pending} 条更改") in progress
    assert not page.progress.isVisible()
    assert scheduler.failures == 0
    assert server_record(context, memory_keyring, "incident", incident)["summary"] == "邻里纠纷"
    assert badges.read_badges(context.db, "incident", [incident])[incident].state == "synced"
    assert page.history_table.rowCount() == 1
    row = [page.history_table.item(0, c).text() for c in range(7)]
    assert row[2] == str(pending) and row[6] == "成功"  # pushed them all, no error
    assert "待同步 0 条" in page.summary.text() and "上次成功同步" in page.summary.text()

    # A second edit with Ctrl+Shift+S.
    edit_incident(context, incident, summary="改后的摘要")
    page.reload()
    with qtbot.waitSignal(scheduler.finished, timeout=TIMEOUT_MS):
        qtbot.keyClick(page, Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert server_record(context, memory_keyring, "incident", incident)["summary"] == "改后的摘要"
    assert page.history_table.rowCount() == 2
    page.tabs.setCurrentIndex(2)
    assert page.grab().save(str(artifacts / "sync_page.png"))


# ---------------------------------------------------------------- conflicts inbox


def second_device(tmp_path: Path, migrated: Database, station_code: str, central: Service
                  ) -> tuple[Database, WorkstationInfo]:
    from lawsup_desktop.domain.vocabulary import Role

    folder = DataFolder(tmp_path / "second")
    db = open_station(folder)
    StationService(db).set_up(station_code, "城关派出所", "李法制", Role.SUPERVISOR)
    engine.enroll(db, central.base_url, new_code(central, station_code), TokenStore())
    info2 = StationService(db).workstation()
    assert info2 is not None
    return db, info2


def sync_plain(db: Database) -> engine.SyncReport:
    sync_engine = SyncEngine.open(db, TokenStore())
    try:
        return sync_engine.sync()
    finally:
        sync_engine.client.close()


def test_a_conflict_is_resolved_per_field_and_both_workstations_agree(
    context: AppContext, central: Service, qtbot: QtBot, memory_keyring: MemoryKeyring,
    tmp_path: Path, artifacts: Path
) -> None:
    station_code = enroll_quietly(context, central)
    incident = add_incident(context, "K1")
    page = make_page(context, qtbot)
    wait(qtbot, page.sync_now())
    other_db, other = second_device(tmp_path, context.db, station_code, central)
    try:
        sync_plain(other_db)
        # Both edit the same two fields; the other workstation syncs first.
        edit_incident(context, incident, summary="甲：当事人已和解", address="甲：城关镇东街")
        with other_db.write(other.actor) as session:
            row = session.get(Incident, incident)
            assert row is not None
            row.summary, row.address = "乙：调解未成", "乙：城关镇西街"
        sync_plain(other_db)
        wait(qtbot, page.sync_now())

        assert page.conflict_list.count() == 1
        assert page.tabs.tabText(0) == "冲突（1）"
        assert "警情 K1" in page.conflict_list.item(0).text()
        table = page.conflict_fields
        shown = {table.item(r, 0).text(): [table.item(r, c).text() for c in (1, 2, 3)]
                 for r in range(table.rowCount())}
        assert shown == {"地址": ["甲：城关镇东街", "乙：城关镇西街", "城关镇"],
                         "简要警情": ["甲：当事人已和解", "乙：调解未成", "邻里纠纷"]}
        assert badges.read_badges(context.db, "incident", [incident])[incident].state == \
            "conflict"
        # Theirs for the summary, mine for the address (a click on my value).
        page.choose("summary", "theirs")
        address_row = next(r for r in range(table.rowCount())
                           if table.item(r, 0).text() == "地址")
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                         pos=table.visualItemRect(table.item(address_row, 1)).center())
        assert page.choices() == {"summary": "theirs", "address": "mine"}
        assert page.grab().save(str(artifacts / "sync_conflict.png"))

        qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
        wait(qtbot, page.resolve_handle)
        assert page.conflict_list.count() == 0 and page.no_conflicts.isVisible()
        wait(qtbot, page.sync_now())
        sync_plain(other_db)

        server = server_record(context, memory_keyring, "incident", incident)
        assert (server["summary"], server["address"]) == ("乙：调解未成", "甲：城关镇东街")
        for db in (context.db, other_db):
            with db.read() as session:
                row = session.get(Incident, incident)
                assert row is not None
                assert (row.summary, row.address) == ("乙：调解未成", "甲：城关镇东街")
            assert engine.open_conflicts(db) == []
    finally:
        other_db.dispose()


def test_a_second_decision_at_one_review_level_is_acknowledged_not_chosen(
    context: AppContext, central: Service, qtbot: QtBot, tmp_path: Path
) -> None:
    from lawsup_desktop.domain.vocabulary import CaseKind, Decision
    from lawsup_desktop.store.models import Case, CaseAudit, ReviewStep

    station_code = enroll_quietly(context, central)
    with context.db.write(context.workstation.actor) as session:
        case = Case(case_no="A2026-7", name="王某盗窃案", kind=CaseKind.CRIMINAL, cause="盗窃")
        session.add(case)
        session.flush()
        audit = CaseAudit(case_id=case.id, form_no="AJSH-7")
        session.add(audit)
        session.flush()
        audit_id = audit.id
    page = make_page(context, qtbot)
    wait(qtbot, page.sync_now())
    other_db, other = second_device(tmp_path, context.db, station_code, central)
    try:
        sync_plain(other_db)
        for db, info, opinion in ((other_db, other, "呈请审核（乙）"),
                                  (context.db, context.workstation, "呈请审核（甲）")):
            with db.write(info.actor) as session:
                session.add(ReviewStep(audit_id=audit_id, round=1, level=1,
                                       decision=Decision.APPROVE, opinion=opinion,
                                       reviewer_id=info.operator_id,
                                       entered_by_id=info.operator_id,
                                       reviewed_at=datetime(2026, 11, 26, 10, 0)))
        sync_plain(other_db)
        wait(qtbot, page.sync_now())
        kinds = {c.kind for c in page.conflicts}
        assert "review_level" in kinds and page.conflict_list.count() == len(page.conflicts)
        page.conflict_list.setCurrentRow(
            next(i for i, c in enumerate(page.conflicts) if c.kind == "review_level"))
        assert "同一审核级别有两个意见" in page.conflict_heading.text()
        assert page.resolve_button.text() == "确认知悉"
        assert not page.all_mine.isEnabled() and not page.choice_box("opinion").isEnabled()
        assert page.choices() == {name: "theirs" for name in page.choices()}
        while page.conflict_list.count():
            qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
            wait(qtbot, page.resolve_handle)
        wait(qtbot, page.sync_now())
        sync_plain(other_db)
        assert engine.open_conflicts(context.db) == engine.open_conflicts(other_db) == []
        with other_db.read() as session:  # the first decision stands everywhere
            opinions = {s.opinion for s in session.query(ReviewStep).filter_by(
                audit_id=audit_id)}
        assert opinions == {"呈请审核（乙）"}
    finally:
        other_db.dispose()


def test_refused_changes_are_listed_with_the_services_reason(
    context: AppContext, central: Service, qtbot: QtBot
) -> None:
    from lawsup_desktop.domain.vocabulary import CaseKind, Decision
    from lawsup_desktop.store.models import Case, CaseAudit, ReviewStep

    enroll_quietly(context, central)
    with context.db.write(context.workstation.actor) as session:
        case = Case(case_no="A2026-9", name="案", kind=CaseKind.CRIMINAL, cause="盗窃")
        session.add(case)
        session.flush()
        audit = CaseAudit(case_id=case.id, form_no="AJSH-9")
        session.add(audit)
        session.flush()
        # Level 3 signed with no level 2: the service refuses it.
        step = ReviewStep(audit_id=audit.id, round=1, level=3, decision=Decision.APPROVE,
                          opinion="越级", reviewer_id=context.workstation.operator_id,
                          entered_by_id=context.workstation.operator_id,
                          reviewed_at=datetime(2026, 11, 26, 10, 0))
        session.add(step)
        session.flush()
        step_id = step.id
    page = make_page(context, qtbot)
    wait(qtbot, page.sync_now())
    assert page.rejected_table.rowCount() == 1
    assert page.tabs.tabText(1) == "被拒绝的更改（1）"
    assert page.rejected_table.item(0, 1).text().startswith("审核意见")
    assert page.rejected_table.item(0, 2).text() == "被拒绝"
    reason = page.rejected_table.item(0, 4).text()
    assert reason and reason == engine.rejected_ops(context.db)[0].reason.zh
    assert reason in page.rejected_table.item(0, 2).toolTip()
    badge = badges.read_badges(context.db, "review_step", [step_id])[step_id]
    assert badge.state == "rejected" and badge.reason is not None
    assert badge.reason.zh in badges.badge_view(badge).tooltip


# ---------------------------------------------------------------- status bar


def test_server_down_shows_the_error_in_chinese_loses_nothing_and_recovers(
    context: AppContext, central: Service, qtbot: QtBot, memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from lawsup_desktop.ui.main_window import MainWindow

    enroll_quietly(context, central)
    window = MainWindow(context)
    qtbot.addWidget(window)
    controller = sync_controller(context)
    assert controller.scheduler.active  # enrolled: the window started automatic sync
    controller.stop()  # this test drives every sync itself
    incident = add_incident(context, "D1")
    pending = state.status(context.db).pending

    # The server goes away (nothing listens at its address any more).
    with raw_write(context.db) as conn:
        set_meta(conn, "server_url", f"http://127.0.0.1:{free_port()}")
    wait(qtbot, controller.sync_now())
    label = window.sync_label.text()
    assert label.startswith("同步失败：无法连接同步服务器"), label
    assert f"待同步 {pending} 条" in label
    assert "本地数据未受影响" in window.sync_label.toolTip()
    assert state.status(context.db).pending == pending  # nothing lost
    assert controller.scheduler.failures == 1

    # It comes back; this computer's clock is an hour fast meanwhile.
    with raw_write(context.db) as conn:
        set_meta(conn, "server_url", central.base_url)
    monkeypatch.setattr("lawsup_desktop.sync.client.clock", lambda: time.time() + 3600)
    wait(qtbot, controller.sync_now())
    label = window.sync_label.text()
    assert "同步失败" not in label and "待同步 0 条" in label and "上次成功同步" in label
    assert server_record(context, memory_keyring, "incident", incident)["incident_no"] == "D1"
    clock = window.findChild(type(window.sync_label), "status_clock")
    assert clock is not None and not clock.isHidden() and clock.text() == "时钟偏差"
    assert "本机时钟比服务器快约 60 分钟" in clock.toolTip()
    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    assert not page.clock.isHidden()
    history = [page.history_table.item(r, 6).text() for r in range(2)]
    assert history[0] == "成功" and history[1].startswith("无法连接同步服务器")


# ---------------------------------------------------------------- scheduler


def test_the_scheduler_never_runs_two_syncs_at_once_and_retries_after_a_failure(
    qtbot: QtBot
) -> None:
    tasks = TaskManager(max_threads=4)
    lock = threading.Lock()
    running = 0
    most = 0
    runs = 0
    release = threading.Event()
    fail_next = threading.Event()
    checks: list[bool] = []
    threads: set[bool] = set()  # whether each run was on the GUI (main) thread

    def job(_ctx: Any) -> str:
        nonlocal running, most, runs
        with lock:
            running += 1
            runs += 1
            most = max(most, running)
        try:
            threads.add(threading.current_thread() is threading.main_thread())
            release.wait(10)
            if fail_next.is_set():
                fail_next.clear()
                raise OSError("server down")
            return "ok"
        finally:
            with lock:
                running -= 1

    def check() -> bool:
        checks.append(True)
        return True

    scheduler = SyncScheduler(tasks, job, check, interval_ms=40, first_backoff_ms=30)
    try:
        scheduler.start(first_delay_ms=0)
        first = scheduler.sync_now()
        # The interval timer fires many times and "sync now" is pressed again meanwhile.
        qtbot.wait(300)
        assert scheduler.sync_now() is first
        assert runs == 1 and most == 1 and scheduler.running
        release.set()
        assert first.wait(TIMEOUT_MS)
        qtbot.waitUntil(lambda: runs >= 3, timeout=TIMEOUT_MS)  # the interval goes on
        assert most == 1

        # A failure: a reachability check after the back-off, then a sync.
        scheduler.stop()
        tasks.wait_all(TIMEOUT_MS)
        scheduler.set_interval_ms(60_000)
        scheduler.start(first_delay_ms=60_000)
        fail_next.set()
        before = runs
        assert scheduler.sync_now().wait(TIMEOUT_MS)
        assert scheduler.failures == 1 and scheduler.retry_delay_ms() == 30
        qtbot.waitUntil(lambda: bool(checks) and runs == before + 2, timeout=TIMEOUT_MS)
        assert tasks.wait_all(TIMEOUT_MS)
        assert scheduler.failures == 0 and most == 1
        assert threads == {False}  # never on the GUI thread
    finally:
        scheduler.stop()
        release.set()
        tasks.shutdown()


def test_back_off_doubles_up_to_the_interval(qtbot: QtBot) -> None:
    scheduler = SyncScheduler(TaskManager(), lambda _ctx: None, lambda: False,
                              interval_ms=60_000, first_backoff_ms=15_000)
    delays = []
    for failures in range(1, 6):
        scheduler.failures = failures
        delays.append(scheduler.retry_delay_ms())
    assert delays == [15_000, 30_000, 60_000, 60_000, 60_000]


def test_automatic_sync_starts_only_for_an_enrolled_workstation(
    context: AppContext, central: Service, qtbot: QtBot
) -> None:
    from lawsup_desktop.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    assert not sync_controller(context).scheduler.active
    assert window.sync_label.text() == "未配置同步服务器"  # the window's own text stays
    window.close()
    forget_controller(context)

    enroll_quietly(context, central)
    enrolled = MainWindow(context)
    qtbot.addWidget(enrolled)
    scheduler = sync_controller(context).scheduler
    assert scheduler.active and scheduler.interval_ms == 5 * 60 * 1000
    assert enrolled.sync_label.text().startswith("尚未成功同步 · 待同步 ")
    page = enrolled.show_page("sync")
    assert isinstance(page, SyncPage)
    # Offline for days: the status bar says so.
    with raw_write(context.db) as conn:
        set_meta(conn, "last_sync", (datetime.now(UTC) - timedelta(days=3, hours=1)).isoformat())
    sync_controller(context).changed.emit()
    assert enrolled.sync_label.text().startswith("上次成功同步：")
    assert enrolled.sync_label.text().endswith(" · 已 3 天未同步")
    page.interval.setValue(15)
    assert scheduler.interval_ms == 15 * 60 * 1000
    assert interval_minutes(context) == 15  # kept in the profile's settings.ini
    enrolled.close()  # the session ends: no automatic sync after it
    assert not scheduler.active


def test_the_page_and_the_status_bar_speak_english(
    context: AppContext, central: Service, qtbot: QtBot
) -> None:
    from lawsup_desktop.ui import i18n
    from lawsup_desktop.ui.main_window import MainWindow

    enroll_quietly(context, central)
    window = MainWindow(context)
    qtbot.addWidget(window)
    sync_controller(context).stop()
    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    try:
        i18n.set_language("en")
        qtbot.waitUntil(lambda: page.sync_button.text() == "Sync now (F5)", timeout=TIMEOUT_MS)
        assert page.tabs.tabText(0) == "Conflicts (0)"
        assert page.server_box.title() == "The bureau's sync server"
        assert window.sync_label.text().startswith("Never synced · ")
        assert "pending" in window.sync_label.text()
        assert badges.badge_view("pending").text == "Pending"
    finally:
        i18n.set_language("zh_CN")
    qtbot.waitUntil(lambda: page.sync_button.text() == "立即同步 (F5)", timeout=TIMEOUT_MS)


# ---------------------------------------------------------------- TLS


def make_ca_and_server_cert(folder: Path) -> tuple[Path, Path, Path]:
    """A bureau CA of its own and a server certificate for 127.0.0.1 signed by it."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(days=1), now + dt.timedelta(days=30)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "县局法制大队 CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(start).not_valid_after(end)
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "bureau-ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


def test_the_bureaus_ca_bundle_is_what_the_client_verifies_the_server_with(
    context: AppContext, central: Service, qtbot: QtBot, tmp_path: Path
) -> None:
    import json
    import ssl
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from lawsup_desktop.domain.errors import LawsupError
    from lawsup_desktop.ui.sync.controller import server_answers

    pytest.importorskip("cryptography")  # makes the test certificates (a dev dependency)
    ca_file, cert_file, key_file = make_ca_and_server_cert(tmp_path)

    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"ok": True, "server_time": datetime.now().astimezone()
                               .isoformat()}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_file, key_file)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        enroll_quietly(context, central)
        with raw_write(context.db) as conn:
            set_meta(conn, "server_url", f"https://127.0.0.1:{server.server_address[1]}")
        page = make_page(context, qtbot)
        assert page.ca_value.text() == "系统自带的证书"
        assert not server_answers(context.db)  # the system's CAs do not know the bureau's

        page.set_ca_bundle(ca_file)
        assert page.ca_value.text() == str(ca_file)
        assert server_answers(context.db)  # verified with the bureau's CA: never switched off
        with pytest.raises(LawsupError, match="PEM"):
            engine.set_ca_bundle(context.db, _not_pem(tmp_path))
        assert engine.ca_bundle(context.db) == ca_file  # a bad file changes nothing

        qtbot.mouseClick(page.ca_clear, Qt.MouseButton.LeftButton)
        assert page.ca_value.text() == "系统自带的证书"
        assert not server_answers(context.db)
    finally:
        server.shutdown()
        server.server_close()


def _not_pem(folder: Path) -> Path:
    path = folder / "not-a-certificate.pem"
    path.write_text("这不是证书", encoding="utf-8")
    return path


def test_a_badge_store_answers_a_list_models_badge_column(qtbot: QtBot) -> None:
    from lawsup_desktop.domain.errors import Text

    store = badges.BadgeStore()
    assert store.data("a", Qt.ItemDataRole.DisplayRole) is None  # not read yet
    store.update({"a": badges.BadgeState("pending"),
                  "b": badges.BadgeState("rejected", Text("越级审核", "level skipped"))})
    assert store.data("a", Qt.ItemDataRole.DisplayRole) == "待同步"
    assert store.data("b", int(Qt.ItemDataRole.DisplayRole)) == "被拒绝"
    assert store.data("b", Qt.ItemDataRole.ToolTipRole) == "县局服务器拒绝了本机的修改：越级审核"
    assert store.data("a", Qt.ItemDataRole.UserRole + 3) is None
    assert not store.data("a", Qt.ItemDataRole.DecorationRole).isNull()  # type: ignore[attr-defined]
    store.clear()
    assert store.state("a") is None


def test_a_failure_that_is_not_the_network_is_named_not_hidden(
    context: AppContext, central: Service, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture
) -> None:
    from lawsup_desktop.ui.main_window import MainWindow

    enroll_quietly(context, central)
    window = MainWindow(context)
    qtbot.addWidget(window)
    controller = sync_controller(context)
    controller.stop()

    def broken(*_args: Any) -> Any:
        raise KeyError("a bug")

    monkeypatch.setattr("lawsup_desktop.ui.sync.controller.run_sync", broken)
    wait(qtbot, controller.sync_now())
    assert window.sync_label.text().startswith("同步失败：同步出错（KeyError），详情已写入日志。")
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)
    monkeypatch.undo()
    wait(qtbot, controller.sync_now())
    assert not window.sync_label.text().startswith("同步失败")
