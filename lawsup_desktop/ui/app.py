"""Start-up of the workbench: the application object, then the station, then the window.

:func:`run_gui` is what ``lawsup`` runs; :func:`start` is everything up to a shown
main window, so tests and the start-up benchmark can drive it without
``app.exec()``. Nothing heavy is imported here: feature pages import theirs
when first visited (see :mod:`lawsup_desktop.ui.pages`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
)

from lawsup_desktop import __version__
from lawsup_desktop.domain.errors import LawsupError
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.station import StationService, WorkstationInfo, open_station
from lawsup_desktop.store.database import Database
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.bundle import resource_path
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.error_hook import install_error_hook
from lawsup_desktop.ui.main_window import MainWindow
from lawsup_desktop.ui.preferences import APPLICATION, ORGANIZATION, Preferences
from lawsup_desktop.ui.single_instance import Claim, FolderGuard
from lawsup_desktop.ui.tasks import TaskManager

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_REFUSED = 2
"""The data folder or its database cannot be used; nothing was changed."""

FONT_FILE = ("fonts", "wqy-microhei.ttc")
STYLESHEET_FILE = ("styles", "lawsup.qss")
ICON_FILE = ("icons", "lawsup.svg")


def run_gui(
    folder: DataFolder, argv: list[str], ready: Callable[[QMainWindow], None] | None = None
) -> int:
    """Run the workbench on ``folder`` until its window closes; returns the exit code.

    ``ready(window)`` is called once the event loop is idle after the main window
    is shown (the start-up benchmark measures up to there).
    """
    app = create_application(argv)
    started = start(folder, app)
    if isinstance(started, int):
        return started
    window = started
    if ready is not None:
        QTimer.singleShot(0, lambda: ready(window))
    try:
        return app.exec()
    finally:
        window.context.close()


def create_application(argv: list[str]) -> QApplication:
    """The QApplication (or the one that exists already), dressed as lawsup."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv)
    configure_application(app)
    return app


def configure_application(app: QApplication) -> None:
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource_path(*ICON_FILE))))
    family = load_bundled_font()
    if family is not None:
        font = QFont(app.font())
        font.setFamilies([family])
        app.setFont(font)
    stylesheet = resource_path(*STYLESHEET_FILE)
    app.setStyleSheet(stylesheet.read_text(encoding="utf-8") if stylesheet.is_file() else "")


_font_family: str | None = None


def load_bundled_font() -> str | None:
    """Register WenQuanYi Micro Hei with Qt (once) and return its family name.

    Bundled so that Chinese shows the same on every machine, the offscreen
    platform of tests and screenshots included, which has no system fonts.
    """
    global _font_family
    if _font_family is None:
        path = resource_path(*FONT_FILE)
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("cannot load the bundled font %s", path)
            return None
        # The .ttc holds the proportional face first, then the monospaced one.
        _font_family = families[0]
    return _font_family


def start(folder: DataFolder, app: QApplication, *, error_hook: bool = True) -> MainWindow | int:
    """Everything up to the shown main window: its language, the station database,
    first-run setup. Returns the window, or the exit code when the program ends
    before it (:data:`EXIT_REFUSED`, or :data:`EXIT_OK` when setup was cancelled).

    ``error_hook=False`` leaves ``sys.excepthook`` alone (tests: pytest-qt's own).
    """
    preferences = Preferences(folder.settings)  # read only: writes come with changes
    i18n.set_language(preferences.language)
    guard = FolderGuard(folder.root)  # one workbench per data folder
    try:
        if guard.claim() is Claim.ACTIVATED:
            return EXIT_OK  # the workbench that has the folder came forward
        db = open_station_or_choose_plain(folder)
        if db is None:
            guard.release()
            return EXIT_REFUSED
    except LawsupError as exc:
        # Refused before anything was written: say why, change nothing.
        guard.release()
        show_refusal(exc)
        return EXIT_REFUSED
    if error_hook:
        install_error_hook(folder.logs, i18n.current_language)
    tasks = TaskManager()
    service = StationService(db)
    workstation = service.workstation()
    if workstation is None:
        workstation = ask_for_setup(service, tasks)
        if workstation is None:
            tasks.shutdown()
            db.dispose()
            guard.release()
            return EXIT_OK
    context = AppContext(
        db=db, folder=folder, workstation=workstation, tasks=tasks, preferences=preferences,
        folder_guard=guard,
    )
    window = MainWindow(context)
    guard.window = window
    window.show()
    return window


def open_station_or_choose_plain(folder: DataFolder) -> Database | None:
    """The station database. A new folder on a computer without a keyring cannot be
    encrypted: the user is told why and may choose to work unencrypted (never chosen
    silently). None when the user declined."""
    from lawsup_desktop.services import encryption

    try:
        return open_station_in_background(folder)
    except encryption.KeyUnavailable as exc:
        if folder.database.exists():
            raise
        if not choose_plain(exc):
            return None
    encryption.allow_plain(folder)
    return open_station_in_background(folder)


PREPARING_SHOWN_AFTER_S = 0.4
"""An ordinary start opens the station in ~20 ms and shows nothing; only the rare
long one (see open_station_in_background) says what it is doing."""


def open_station_in_background(folder: DataFolder) -> Database:
    """``open_station`` on a worker thread. Once in a while it backs the file up and
    upgrades, encrypts or re-keys it first (tens of seconds on a large store); the
    user then sees why the window is late instead of a program that seems hung."""
    outcome: list[Database | BaseException] = []

    def work() -> None:
        try:
            outcome.append(open_station(folder))
        except BaseException as exc:  # noqa: BLE001 - raised again on the GUI thread
            outcome.append(exc)

    worker = threading.Thread(target=work, name="open-station", daemon=True)
    worker.start()
    worker.join(PREPARING_SHOWN_AFTER_S)
    if worker.is_alive():
        dialog = QProgressDialog(
            QCoreApplication.translate(
                "Startup", "正在打开数据库（需要时先备份，再升级或加密），请稍候，不要关闭电脑……"
            ),
            "", 0, 0,
        )
        dialog.setObjectName("startup_preparing")
        dialog.setWindowTitle(QCoreApplication.translate("Startup", "法制监督员工作台"))
        dialog.setCancelButton(None)  # stopping half-way is what the backup guards against
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        loop = QEventLoop()
        poll = QTimer(interval=50)
        poll.timeout.connect(lambda: None if worker.is_alive() else loop.quit())
        poll.start()
        loop.exec()
        poll.stop()
        dialog.close()
        dialog.deleteLater()
    worker.join()
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def choose_plain(exc: LawsupError) -> bool:
    """Asks whether to create the database unencrypted; True if the user chose so."""
    from lawsup_desktop.services.encryption import PLAIN_CHOICE

    language = i18n.current_language()
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("Startup", "无法加密数据库"),
        exc.in_language(language),
        QMessageBox.StandardButton.NoButton,
    )
    box.setObjectName("startup_plain_choice")
    box.setTextFormat(Qt.TextFormat.PlainText)
    plain = box.addButton(PLAIN_CHOICE.in_language(language), QMessageBox.ButtonRole.AcceptRole)
    quit_button = box.addButton(
        QCoreApplication.translate("Startup", "退出"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(quit_button)  # the safe answer is the one Enter gives
    box.setEscapeButton(quit_button)
    box.exec()
    return box.clickedButton() is plain


def show_refusal(exc: LawsupError) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("Startup", "无法启动法制监督员工作台"),
        exc.in_language(i18n.current_language()),
        QMessageBox.StandardButton.Ok,
    )
    box.setObjectName("startup_refusal")
    box.setTextFormat(Qt.TextFormat.PlainText)  # the message quotes a path
    box.setInformativeText(
        QCoreApplication.translate(
            "Startup",
            "程序没有改动数据库文件。可以用 --data-dir 选择其他数据文件夹，"
            "或请系统管理员检查这个文件。",
        )
    )
    box.exec()


def ask_for_setup(service: StationService, tasks: TaskManager) -> WorkstationInfo | None:
    """First-run setup, before the main window exists; None if the user cancelled."""
    # Imported here: its compiled form costs ~9 ms, and every later start skips it.
    from lawsup_desktop.ui.setup_dialog import SetupDialog

    dialog = SetupDialog(service, tasks)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    workstation = dialog.workstation if accepted else None
    dialog.deleteLater()
    return workstation
