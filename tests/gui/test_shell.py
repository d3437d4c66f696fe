"""The application shell, driven as a user would: first-run setup, navigation,
the settings dialog with its run-time language switch, a refused database,
screenshots, and complete translations."""

from __future__ import annotations

import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QWidget,
)
from pytestqt.qtbot import QtBot

from lawsup_desktop import __version__
from lawsup_desktop.domain.errors import RuleViolation, Text
from lawsup_desktop.domain.vocabulary import Role
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.migrations import SCHEMA_HEAD
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.app import EXIT_OK, EXIT_REFUSED, configure_application, run_gui, start
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.main_window import MainWindow
from lawsup_desktop.ui.pages import PAGES, Page, lazy
from lawsup_desktop.ui.preferences import Preferences, saved_data_dir
from lawsup_desktop.ui.settings_dialog import SettingsDialog
from lawsup_desktop.ui.setup_dialog import SetupDialog
from lawsup_desktop.ui.sync.page import SyncPage
from tests.gui.helpers import type_text

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
TIMEOUT_MS = 5000

ENGLISH_NAVIGATION = [
    "Today's watch",
    "Incidents and follow-ups",
    "Case audit",
    "Rectifications",
    "Deadline alerts",
    "Statistics and bulletins",
    "Sync",
]
CHINESE_NAVIGATION = [
    "今日盯警",
    "警情与回访",
    "案件审核",
    "整改台账",
    "期限预警",
    "统计通报",
    "同步",
]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def _global_settings(tmp_path: Path) -> None:
    # Qt resolves the user's config folder once per process; point the global
    # QSettings (which keeps the chosen data folder) at this test's own folder.
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config")
    )


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    configure_application(qapp)
    yield qapp
    i18n.set_language("zh_CN")  # the QApplication outlives the test


class Starter:
    """Runs the start-up path as ``run_gui`` does, minus ``app.exec()``."""

    def __init__(self, app: QApplication, qtbot: QtBot) -> None:
        self.app = app
        self.qtbot = qtbot
        self.windows: list[MainWindow] = []

    def __call__(self, folder: DataFolder) -> MainWindow | int:
        result = start(folder, self.app, error_hook=False)
        if isinstance(result, MainWindow):
            self.qtbot.addWidget(result)
            self.windows.append(result)
        return result

    def window(self, folder: DataFolder) -> MainWindow:
        result = self(folder)
        assert isinstance(result, MainWindow), f"start() ended with {result}"
        self.qtbot.waitExposed(result)
        return result

    def close_all(self) -> None:
        for window in self.windows:
            if shiboken6.isValid(window):  # pytest-qt may have deleted it already
                window.close()
            window.context.close()


@pytest.fixture
def starter(app: QApplication, qtbot: QtBot) -> Iterator[Starter]:
    starter = Starter(app, qtbot)
    yield starter
    starter.close_all()


@pytest.fixture
def window(starter: Starter, folder: DataFolder, workstation: WorkstationInfo) -> MainWindow:
    """The main window of a station set up as 城关派出所 / 张法制 (法制监督员)."""
    return starter.window(folder)


class ModalWatcher:
    """Handles dialogs that the code under test runs with ``exec()``.

    ``handle(dialog)`` runs inside the dialog's own event loop. Whatever it
    leaves open is closed, so a failing handler never blocks the test; its
    exception is raised again by :meth:`stop`.
    """

    def __init__(self, handle: Callable[[QWidget], None]) -> None:
        self.handle = handle
        self.seen: list[QWidget] = []
        self.errors: list[BaseException] = []
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _poll(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or any(widget is seen for seen in self.seen):
            return
        self.seen.append(widget)
        self._timer.stop()  # the handler runs nested event loops
        try:
            self.handle(widget)
        except BaseException as exc:  # noqa: BLE001 - raised again in stop()
            self.errors.append(exc)
        finally:
            if widget.isVisible():
                if isinstance(widget, QDialog):
                    widget.done(QDialog.DialogCode.Rejected)
                else:
                    widget.close()
            self._timer.start()

    def stop(self) -> list[QWidget]:
        self._timer.stop()
        if self.errors:
            raise self.errors[0]
        return self.seen


def unexpected(widget: QWidget) -> None:
    raise AssertionError(f"unexpected modal dialog: {widget!r} {widget.windowTitle()}")


# ---------------------------------------------------------------- first run


def test_first_run_asks_for_station_and_operator_then_never_again(
    starter: Starter, folder: DataFolder, qtbot: QtBot
) -> None:
    def fill_in(widget: QWidget) -> None:
        assert isinstance(widget, SetupDialog)
        dialog = widget
        type_text(qtbot, dialog.ui.station_name, "城关派出所")
        type_text(qtbot, dialog.ui.station_code, "LX-CG")
        role = dialog.ui.operator_role
        role.setCurrentIndex(role.findText("所队分管领导"))
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)  # no operator yet

        qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=TIMEOUT_MS)
        assert dialog.error_text() == "操作员姓名：不能为空"
        assert dialog.ui.operator_name.property("invalid") is True
        assert dialog.ui.operator_name.hasFocus()
        assert dialog.isVisible()
        # What was typed is still there.
        assert dialog.ui.station_name.text() == "城关派出所"
        assert dialog.ui.station_code.text() == "LX-CG"
        assert dialog.selected_role() is Role.STATION_LEADER

        type_text(qtbot, dialog.ui.operator_name, "张法制")
        assert dialog.ui.operator_name.property("invalid") is False
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
        assert dialog.result() == QDialog.DialogCode.Accepted

    watcher = ModalWatcher(fill_in)
    result = starter(folder)
    assert [type(w) for w in watcher.stop()] == [SetupDialog]

    assert isinstance(result, MainWindow)
    assert result.operator_label.text() == "操作员：张法制（所队分管领导）"
    assert result.station_label.text() == "本所：城关派出所（LX-CG）"
    assert result.sync_label.text() == "未配置同步服务器"
    assert result.windowTitle() == "城关派出所 - 派出所法制监督员工作台"
    starter.close_all()

    watcher = ModalWatcher(unexpected)
    again = starter(folder)
    assert watcher.stop() == []
    assert isinstance(again, MainWindow)
    assert again.operator_label.text() == "操作员：张法制（所队分管领导）"


def test_cancelling_first_run_setup_ends_the_program(starter: Starter, folder: DataFolder) -> None:
    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, SetupDialog)
        cancel_button = dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        QTest.mouseClick(cancel_button, Qt.MouseButton.LeftButton)

    watcher = ModalWatcher(cancel)
    assert starter(folder) == EXIT_OK
    assert [type(w) for w in watcher.stop()] == [SetupDialog]


# ---------------------------------------------------------------- navigation


def test_ctrl_7_builds_the_sync_page_on_first_visit(window: MainWindow, qtbot: QtBot) -> None:
    assert [window.navigation.item(i).text() for i in range(len(PAGES))] == CHINESE_NAVIGATION
    assert window.current_page().key == "daily_watch"
    assert window.built_page("sync") is None  # pages are built on first visit

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT_MS)
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)

    assert window.current_page().key == "sync"
    assert window.navigation.currentItem().text() == "同步"
    assert isinstance(window.stack.currentWidget(), SyncPage)
    assert window.built_page("incidents") is None
    # The navigation says what each page is for.
    assert "挂牌督办" in window.navigation.currentItem().toolTip()

    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().key == "daily_watch"


def test_clicking_the_navigation_builds_each_page_once(window: MainWindow, qtbot: QtBot) -> None:
    item = window.navigation.item(4)
    rect = window.navigation.visualItemRect(item)
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_page().key == "deadlines"
    page = window.built_page("deadlines")
    window.show_page("daily_watch")
    assert window.show_page("deadlines") is page


built_pages: list[QWidget] = []


def build_test_page(context: AppContext) -> QWidget:
    page = QLabel(f"{context.workstation.station_name} 的页面")
    built_pages.append(page)
    return page


def build_broken_page(context: AppContext) -> QWidget:
    raise RuleViolation(Text("页面无法打开。", "The page cannot open."))


def test_a_feature_page_is_one_lazy_factory_built_on_first_visit(
    window: MainWindow, qtbot: QtBot
) -> None:
    built_pages.clear()
    pages = (
        PAGES[0],
        Page("feature", "案件审核", "……", factory=lazy(f"{__name__}:build_test_page")),
        Page("broken", "整改台账", "……", factory=lazy(f"{__name__}:build_broken_page")),
    )
    custom = MainWindow(window.context, pages)
    qtbot.addWidget(custom)
    assert built_pages == []
    page = custom.show_page("feature")
    assert built_pages == [page]
    assert isinstance(page, QLabel)
    assert page.text() == "城关派出所 的页面"
    custom.show_page("daily_watch")
    assert custom.show_page("feature") is page
    assert len(built_pages) == 1

    # A page that fails to build: the user is told, the window stays where it was.
    assert custom.show_page("broken") is None
    assert custom.current_page().key == "feature"
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert [box.text() for box in boxes if box.isVisible()] == ["页面无法打开。"]
    for box in boxes:
        box.close()


# ---------------------------------------------------------------- settings


def _apply(dialog: SettingsDialog, qtbot: QtBot) -> None:
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)


def test_language_switch_applies_at_once_and_back(
    window: MainWindow, folder: DataFolder, qtbot: QtBot
) -> None:
    window.show_page("sync")
    dialog = window.open_settings()
    qtbot.waitExposed(dialog)
    assert dialog.ui.language.currentText() == "中文"
    dialog.ui.language.setCurrentIndex(dialog.ui.language.findText("English"))
    _apply(dialog, qtbot)

    qtbot.waitUntil(lambda: window.navigation.item(2).text() == "Case audit", timeout=TIMEOUT_MS)
    assert [window.navigation.item(i).text() for i in range(len(PAGES))] == ENGLISH_NAVIGATION
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Go", "&Help"]
    assert window.settings_action.text() == "&Settings…"
    assert window.operator_label.text() == "Operator: 张法制 (Legal supervisor)"
    assert window.station_label.text() == "Station: 城关派出所 (LX-CG)"
    assert window.sync_label.text() == "No sync server configured"
    assert window.windowTitle() == "城关派出所 - Legal Supervisor's Workbench"
    assert "bureau-supervised items" in window.navigation.item(6).toolTip()
    # The dialog itself, compiled form and all.
    assert dialog.windowTitle() == "Settings"
    assert dialog.ui.language_label.text() == "Interface &language:"
    assert Preferences(folder.settings).language == "en"

    dialog.select_language("zh_CN")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.navigation.item(2).text() == "案件审核", timeout=TIMEOUT_MS)
    assert [window.navigation.item(i).text() for i in range(len(PAGES))] == CHINESE_NAVIGATION
    assert [a.text() for a in window.menuBar().actions()] == ["文件(&F)", "转到(&G)", "帮助(&H)"]
    assert window.operator_label.text() == "操作员：张法制（法制监督员）"
    assert window.sync_label.text() == "未配置同步服务器"
    assert Preferences(folder.settings).language == "zh_CN"


def test_saved_language_is_used_at_the_next_start(
    starter: Starter, folder: DataFolder, workstation: WorkstationInfo
) -> None:
    Preferences(folder.settings).set_language("en")
    window = starter.window(folder)
    assert window.navigation.item(0).text() == "Today's watch"
    assert window.operator_label.text() == "Operator: 张法制 (Legal supervisor)"


def test_sync_server_address_is_checked_and_shown_in_the_status_bar(
    window: MainWindow, folder: DataFolder, qtbot: QtBot
) -> None:
    dialog = window.open_settings()
    qtbot.keyClicks(dialog.ui.server_url, "ftp://fzdd.example.com")
    _apply(dialog, qtbot)
    assert dialog.ui.server_url_error.isVisible()
    assert "http://" in dialog.ui.server_url_error.text()
    assert Preferences(folder.settings).server_url == ""
    assert window.sync_label.text() == "未配置同步服务器"

    dialog.ui.server_url.clear()
    qtbot.keyClicks(dialog.ui.server_url, "https://fzdd.example.com:8443")
    assert not dialog.ui.server_url_error.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert Preferences(folder.settings).server_url == "https://fzdd.example.com:8443"
    assert window.sync_label.text() == "尚未同步"


def test_data_folder_change_is_saved_for_the_next_start(
    window: MainWindow,
    folder: DataFolder,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(elsewhere))
    dialog = window.open_settings()
    assert dialog.ui.data_folder.text() == str(folder.root)
    assert not dialog.ui.data_folder_pending.isVisible()

    qtbot.mouseClick(dialog.ui.change_data_folder, Qt.MouseButton.LeftButton)
    assert dialog.ui.data_folder_pending.isVisible()
    assert dialog.ui.data_folder_pending.text() == f"下次启动时将打开：{elsewhere}"
    assert saved_data_dir() is None  # not before OK/Apply
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert saved_data_dir() == elsewhere
    assert window.context.folder == folder  # this run keeps its folder


def test_window_geometry_is_restored(
    starter: Starter, folder: DataFolder, workstation: WorkstationInfo
) -> None:
    first = starter.window(folder)
    first.resize(700, 500)  # within the offscreen screen (800 x 600)
    first.close()
    second = starter.window(folder)
    assert (second.width(), second.height()) == (700, 500)


def test_about_shows_version_folder_and_schema(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.about_dialog
    assert dialog is not None
    text = dialog.text.text()
    assert __version__ in text
    assert str(window.context.folder.root) in text
    assert f"数据库结构版本：{SCHEMA_HEAD}" in text
    assert "Apache License 2.0" in text
    dialog.close()


# ---------------------------------------------------------------- refusal


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh_CN", "无法打开数据库文件"), ("en", "Cannot open the database file")],
)
def test_damaged_database_is_refused_untouched(
    starter: Starter, folder: DataFolder, language: str, expected: str
) -> None:
    folder.root.mkdir(parents=True)
    Preferences(folder.settings).set_language(language)
    garbage = b"this is not a database\x00\xff" * 200
    folder.database.write_bytes(garbage)
    shown: list[tuple[QMessageBox.Icon, str]] = []

    def read(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        shown.append((widget.icon(), widget.text()))

    watcher = ModalWatcher(read)
    assert starter(folder) == EXIT_REFUSED
    watcher.stop()
    assert len(shown) == 1
    icon, text = shown[0]
    assert icon == QMessageBox.Icon.Critical
    assert text.startswith(expected)
    assert folder.database.read_bytes() == garbage
    assert sorted(p.name for p in folder.root.iterdir()) == ["lawsup.sqlite", "settings.ini"]


@pytest.mark.parametrize("fails", [False, True], ids=["opens", "refused"])
def test_a_slow_opening_says_what_it_is_doing(
    starter: Starter, folder: DataFolder, workstation: WorkstationInfo,
    monkeypatch: pytest.MonkeyPatch, fails: bool,
) -> None:
    # As when the first start of a new version backs the store up and upgrades it.
    import lawsup_desktop.ui.app as app_module

    opened = app_module.open_station

    def slow_open(chosen: DataFolder) -> Database:
        time.sleep(1.5)
        if fails:
            raise RuleViolation(Text("升级失败", "The upgrade failed"))
        return opened(chosen)

    monkeypatch.setattr(app_module, "open_station", slow_open)
    shown: list[str] = []

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QProgressDialog) and widget.objectName() == "startup_preparing":
            shown.append(widget.labelText())
        elif isinstance(widget, QMessageBox):  # the refusal
            shown.append(widget.text())
            widget.done(QMessageBox.StandardButton.Ok)

    watch = QTimer()
    watch.setInterval(100)
    watch.timeout.connect(look)
    watch.start()
    result = starter(folder)
    watch.stop()
    assert shown and shown[0].startswith("正在打开数据库")  # while the worker ran
    if fails:
        assert result == EXIT_REFUSED and shown[-1].startswith("升级失败")
    else:
        assert isinstance(result, MainWindow)
        assert result.context.workstation.station_name == workstation.station_name
    assert not any(
        isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
    )


# ---------------------------------------------------------------- run_gui


def test_run_gui_calls_ready_with_the_shown_window(
    app: QApplication, folder: DataFolder, workstation: WorkstationInfo
) -> None:
    from lawsup_desktop.ui.error_hook import uninstall_error_hook

    seen: list[MainWindow] = []

    def ready(window: QWidget) -> None:
        assert isinstance(window, MainWindow)
        seen.append(window)
        assert window.isVisible()
        window.close()  # the last window: the event loop ends

    safety = QTimer()
    safety.setSingleShot(True)
    safety.timeout.connect(lambda: app.exit(99))
    safety.start(10_000)
    try:
        code = run_gui(folder, [sys.argv[0]], ready=ready)
    finally:
        safety.stop()
        uninstall_error_hook()
    assert code == 0
    assert len(seen) == 1
    assert (folder.logs / "lawsup.log").exists()


def test_gui_start_imports_nothing_heavy() -> None:
    heavy = ("reportlab", "keyring", "httpx", "alembic", "openpyxl",
             "lawsup_desktop.store.models", "lawsup_desktop.sync.engine")
    code = (
        "import sys, lawsup_desktop.ui.app\n"
        f"heavy = set({heavy!r})\n"
        "print(sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert output.strip() == "[]"


# A start in a child process: records what the GUI thread imports until the event
# loop is idle with the window shown ("imports") and, with "loaded", then on until
# what the window reads once shown (the due list, the queue, the deadline counts)
# has arrived ("after_idle"). Imports on workers do not hold up the window; the
# order of threads would make them flaky here. Also records the child processes
# started up to the idle window ("children").
_START_IMPORTS = """
import json, subprocess, sys, threading, time
from pathlib import Path

gui_thread = []
children = []

class RecordedPopen(subprocess.Popen):
    def __init__(self, args, *rest, **options):
        children.append(args if isinstance(args, str) else [str(a) for a in args])
        super().__init__(args, *rest, **options)

subprocess.Popen = RecordedPopen

class Spy:
    def find_spec(self, name, path=None, target=None):
        if threading.current_thread() is threading.main_thread():
            gui_thread.append(name)
        return None

sys.meta_path.insert(0, Spy())
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.ui.app import run_gui

def ready(window):
    report = {"imports": list(gui_thread), "sync_label": window.sync_label.text(),
              "children": list(children)}
    give_up = time.monotonic() + 60

    def done(loaded):
        report.update(after_idle=gui_thread[len(report["imports"]):], loaded=loaded)
        print(json.dumps(report))
        QApplication.quit()

    def poll():
        page, alerts = window.built_page("daily_watch"), window.deadline_alerts
        loaded = (page is not None and page.due_list.due is not None
                  and not page.is_loading() and alerts.counts is not None)
        if loaded or time.monotonic() > give_up:
            # A little more event processing: what the results set off runs too.
            QTimer.singleShot(500, lambda: done(loaded))
        else:
            QTimer.singleShot(20, poll)

    poll() if sys.argv[2] == "loaded" else done(False)

sys.exit(run_gui(DataFolder(Path(sys.argv[1])), [sys.argv[0]], ready=ready))
"""
HEAVY_AT_START = (
    "lawsup_desktop.store.models",  # the data model: a quarter of a second to declare
    "lawsup_desktop.sync.engine",
    "reportlab",
    "httpx",
    "alembic",
    "openpyxl",
)
HEAVY_ONCE_SHOWN = (
    *HEAVY_AT_START,
    # Every service that reads the store brings the data model; once a worker has
    # imported that, a service import on the GUI thread no longer shows it.
    "lawsup_desktop.services",
)


def _heavy(imported: list[str], heavy: tuple[str, ...]) -> list[str]:
    return sorted(m for m in imported if any(m == h or m.startswith(h + ".") for h in heavy))


def _start_in_a_child(folder: DataFolder, db: Database, tmp_path: Path, *, enrolled: bool,
                      until: str) -> dict[str, Any]:
    """Start the program on ``folder`` in a child process (see _START_IMPORTS) and
    return its report."""
    import json
    import os

    if enrolled:
        from lawsup_desktop.sync.engine import raw_write, set_meta

        with raw_write(db) as conn:
            set_meta(conn, "device_id", "device-1")
            set_meta(conn, "server_url", "https://127.0.0.1:9")  # never reachable
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(tmp_path / "child-config")}
    done = subprocess.run(
        [sys.executable, "-c", _START_IMPORTS, str(folder.root), until],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert "lawsup_desktop.ui.main_window" in report["imports"]  # the spy saw the start
    return report


@pytest.mark.parametrize("enrolled", [False, True], ids=["not_enrolled", "enrolled"])
def test_the_gui_thread_imports_nothing_heavy_up_to_the_idle_window(
    folder: DataFolder, db: Database, workstation: WorkstationInfo, tmp_path: Path,
    enrolled: bool,
) -> None:
    report = _start_in_a_child(folder, db, tmp_path, enrolled=enrolled, until="idle")
    assert _heavy(report["imports"], HEAVY_AT_START) == []
    assert report["children"] == []  # e.g. platform.platform() runs `uname -p`
    if enrolled:
        # How sync stands is shown at once, read without the data model.
        assert report["sync_label"].startswith("尚未成功同步 · 待同步 ")
    else:
        assert report["sync_label"] == "未配置同步服务器"


@pytest.mark.parametrize("enrolled", [False, True], ids=["not_enrolled", "enrolled"])
def test_the_gui_thread_imports_nothing_heavy_while_the_shown_window_loads(
    folder: DataFolder, db: Database, workstation: WorkstationInfo, tmp_path: Path,
    enrolled: bool,
) -> None:
    """After the window is shown, the first page reads its queue and due list and the
    status bar counts the deadlines: the services (and the data model) they need are
    imported on the workers, or the window just shown would freeze for as long."""
    report = _start_in_a_child(folder, db, tmp_path, enrolled=enrolled, until="loaded")
    assert report["loaded"], "the due list, queue or deadline counts never arrived"
    assert _heavy(report["after_idle"], HEAVY_ONCE_SHOWN) == []


# ---------------------------------------------------------------- screenshots


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshot(window: MainWindow, artifacts: Path, qtbot: QtBot, language: str) -> None:
    i18n.set_language(language)
    qtbot.waitUntil(
        lambda: (
            window.navigation.item(0).text()
            == ("今日盯警" if language == "zh_CN" else "Today's watch")
        ),
        timeout=TIMEOUT_MS,
    )
    window.resize(1100, 720)
    window.show_page("case_audit")
    suffix = "" if language == "zh_CN" else "_en"
    assert window.grab().save(str(artifacts / f"main_window{suffix}.png"))
    dialog = window.open_settings()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(artifacts / f"settings_dialog{suffix}.png"))
    dialog.close()
    about = window.open_about()
    qtbot.waitExposed(about)
    assert about.grab().save(str(artifacts / f"about_dialog{suffix}.png"))
    about.close()


def test_screenshot_of_setup_dialog(
    app: QApplication, db: object, artifacts: Path, qtbot: QtBot
) -> None:
    from lawsup_desktop.services.station import StationService
    from lawsup_desktop.ui.tasks import TaskManager

    tasks = TaskManager()
    dialog = SetupDialog(StationService(db), tasks)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=TIMEOUT_MS)
    assert dialog.grab().save(str(artifacts / "setup_dialog.png"))
    tasks.shutdown()


# ---------------------------------------------------------------- translations


def test_every_message_has_a_finished_english_translation() -> None:
    files = sorted(TRANSLATIONS.glob("*_en.ts"))
    assert TRANSLATIONS / "shell_en.ts" in files
    missing = []
    for ts in files:
        for context in ET.parse(ts).getroot().iter("context"):
            for message in context.iter("message"):
                translation = message.find("translation")
                if (
                    translation is None
                    or translation.get("type") in ("unfinished", "vanished", "obsolete")
                    or not (translation.text or "").strip()
                ):
                    missing.append(
                        f"{ts.name} [{context.findtext('name')}] {message.findtext('source')}"
                    )
    assert missing == []


def test_no_source_string_is_missing_from_the_committed_translations() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build.py"), "--check-ts"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_english_placeholders_match_the_chinese() -> None:
    """A translation must keep every {placeholder} and &-mnemonic count of its source."""
    import re

    field = re.compile(r"\{(\w*)\}")
    wrong = []
    for ts in sorted(TRANSLATIONS.glob("*_en.ts")):
        for message in ET.parse(ts).getroot().iter("message"):
            source = message.findtext("source") or ""
            translation = message.findtext("translation") or ""
            if sorted(field.findall(source)) != sorted(field.findall(translation)):
                wrong.append((ts.name, source, translation))
            if source.count("&") != translation.count("&"):
                wrong.append((ts.name, source, translation))
    assert wrong == []
