"""The deadline counts outside the page: a status-bar button (it opens the page) and,
where the desktop has a system tray, a notification at start and once a day.

Start-up stays fast: nothing is counted until the main window is idle, and then
on a worker thread; this module imports no deadline code at start.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QSystemTrayIcon

from lawsup_desktop.ui.deadlines import clock

if TYPE_CHECKING:
    from lawsup_desktop.domain.deadlines import DeadlineState
    from lawsup_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

START_DELAY_MS = 800
"""After the window is shown and idle: the first paint must not wait for the count."""
CHECK_INTERVAL_MS = 60 * 60 * 1000
"""How often to look whether a new day began (then count again and notify)."""
PAGE_KEY = "deadlines"


class DeadlineAlerts(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.counts: dict[DeadlineState, int] | None = None
        self.failed = False
        self.notified_on: dt.date | None = None
        self.last_message: tuple[str, str] | None = None
        self.tray: QSystemTrayIcon | None = None

        self.button = QPushButton(window.statusBar())
        self.button.setObjectName("status_deadlines")
        self.button.setFlat(True)
        self.button.clicked.connect(self.open_page)
        window.statusBar().addPermanentWidget(self.button)

        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self._check_day)
        window.installEventFilter(self)
        self.retranslate()

    def start(self, delay_ms: int = START_DELAY_MS) -> None:
        QTimer.singleShot(delay_ms, self, self.refresh)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.tray is not None:
            self.tray.hide()

    # -- counting ----------------------------------------------------------------

    def refresh(self) -> None:
        """Count the uncleared warnings in the background, then show (and notify once
        a day)."""
        db, now = self.window.context.db, clock.now()

        def count(_ctx: Any) -> dict[DeadlineState, int]:
            # Imported here, on the worker: the service brings the data model, whose
            # import on the GUI thread would freeze the window just shown.
            from lawsup_desktop.services.deadlines import DeadlineService

            return DeadlineService(db).warning_counts(now)

        self.handle = self.window.context.tasks.run(
            count, lambda counts: self.show_counts(counts, notify_day=now.date()), self._failed
        )

    def _failed(self, exc: BaseException) -> None:
        # Not worth a dialog at start: the page itself says what went wrong.
        log.warning("cannot count the deadline warnings: %s", exc)
        if not shiboken6.isValid(self.button):
            return
        self.failed = True
        self.retranslate()

    def _check_day(self) -> None:
        if self.notified_on != clock.now().date():
            self.refresh()

    def show_counts(
        self, counts: dict[DeadlineState, int], notify_day: dt.date | None = None
    ) -> None:
        if not shiboken6.isValid(self.button):
            return  # the window closed while counting
        self.counts = dict(counts)
        self.failed = False
        self.retranslate()
        if notify_day is not None and notify_day != self.notified_on:
            self.notified_on = notify_day
            self.notify()

    def notify(self) -> None:
        """The day's counts as a desktop notification, where there is a system tray."""
        if self.counts is None:
            return
        title = self.tr("期限预警")
        text = self.summary()
        self.last_message = (title, text)
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return  # the status bar shows the counts anyway
        if self.tray is None:
            self.tray = QSystemTrayIcon(QApplication.windowIcon(), self)
            self.tray.setObjectName("deadline_tray")
            self.tray.activated.connect(lambda _reason: self.open_page())
            self.tray.messageClicked.connect(self.open_page)
        self.tray.setToolTip(text)
        self.tray.show()
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information)

    def summary(self) -> str:
        from lawsup_desktop.domain.deadlines import DeadlineState

        counts = self.counts or {}
        return self.tr("已逾期 {overdue}，今日到期 {today}，临期 {soon}").format(
            overdue=counts.get(DeadlineState.OVERDUE, 0),
            today=counts.get(DeadlineState.DUE_TODAY, 0),
            soon=counts.get(DeadlineState.APPROACHING, 0),
        )

    def open_page(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()
        self.window.show_page(PAGE_KEY)

    # -- texts ---------------------------------------------------------------------

    def retranslate(self) -> None:
        if self.failed:
            self.button.setText(self.tr("期限：无法计算"))
            self.button.setStyleSheet("")
        elif self.counts is None:
            self.button.setText(self.tr("期限：计算中…"))
            self.button.setStyleSheet("")
        else:
            from lawsup_desktop.domain.deadlines import DeadlineState

            self.button.setText(self.tr("期限：{summary}").format(summary=self.summary()))
            urgent = self.counts.get(DeadlineState.OVERDUE, 0) + self.counts.get(
                DeadlineState.DUE_TODAY, 0)
            self.button.setStyleSheet(
                "color: #a4231b; font-weight: bold;" if urgent else ""
            )
        self.button.setToolTip(self.tr("打开期限预警"))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.window:
            if event.type() == QEvent.Type.LanguageChange:
                self.retranslate()
            elif event.type() == QEvent.Type.Close:
                self.stop()
        return False


def install_deadline_alerts(window: MainWindow) -> DeadlineAlerts:
    alerts = DeadlineAlerts(window)
    alerts.start()
    return alerts
