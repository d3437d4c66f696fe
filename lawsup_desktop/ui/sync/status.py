"""The status bar's sync part: last successful sync (server time), pending changes,
the last error, days offline, and a warning when this computer's clock is off.

Installed by the main window; it also starts automatic sync when the workstation is
enrolled. While it is not enrolled the window's own text stays ("未配置同步服务器")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QLabel

from lawsup_desktop.sync.state import SyncStatus
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.sync import labels
from lawsup_desktop.ui.sync.controller import forget_controller, sync_controller

if TYPE_CHECKING:
    from lawsup_desktop.ui.main_window import MainWindow

def status_line(status: SyncStatus) -> str:
    """"上次成功同步：… · 待同步 N 条 · 已 N 天未同步" (shared with the status bar)."""
    translate = QCoreApplication.translate
    parts: list[str] = []
    if status.last_sync_server_time:
        parts.append(translate("SyncStatus", "上次成功同步：{time}").format(
            time=labels.local_time(status.last_sync_server_time)))
    else:
        parts.append(translate("SyncStatus", "尚未成功同步"))
    parts.append(translate("SyncStatus", "待同步 {n} 条").format(n=status.pending))
    days = status.days_offline()
    if days:
        parts.append(translate("SyncStatus", "已 {n} 天未同步").format(n=days))
    return " · ".join(parts)


class SyncStatusBar(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.controller = sync_controller(window.context)
        self.clock_label = QLabel(window.statusBar())
        self.clock_label.setObjectName("status_clock")
        self.clock_label.setStyleSheet("color: #a1261d; font-weight: bold;")
        self.clock_label.hide()
        window.statusBar().addPermanentWidget(self.clock_label)
        self.controller.changed.connect(self.refresh)
        self.controller.running_changed.connect(lambda _running: self.refresh())
        self.controller.enrolled.connect(lambda _enrollment: window.refresh_status())
        context = window.context
        window.destroyed.connect(lambda: forget_controller(context))
        window.installEventFilter(self)
        self.controller.start_if_enrolled()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The window closing ends the station's session: no automatic sync after it.
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.controller.stop()
        return False

    def refresh(self) -> None:
        """Show how sync stands (called by the window's refresh_status too)."""
        label = self.window.sync_label
        status = self.controller.status()
        language = i18n.current_language()
        clock = self.controller.clock_warning
        self.clock_label.setVisible(clock is not None)
        if clock is not None:
            self.clock_label.setText(QCoreApplication.translate("SyncStatus", "时钟偏差"))
            self.clock_label.setToolTip(clock.in_language(language))
        if not status.enrolled:
            return  # the window says whether a server is configured
        text = status_line(status)
        if self.controller.scheduler.running:
            text = QCoreApplication.translate("SyncStatus", "正在同步…") + " · " + text
        if status.open_conflicts:
            text += " · " + QCoreApplication.translate("SyncStatus", "冲突 {n} 条").format(
                n=status.open_conflicts)
        tooltip = QCoreApplication.translate("SyncStatus", "服务器：{url}").format(
            url=status.server_url)
        last_error = self.controller.last_error(status)
        if last_error is not None:
            error = last_error.in_language(language)
            failed = QCoreApplication.translate("SyncStatus", "同步失败：{error}").format(
                error=_short(error))
            text = failed + " · " + text
            tooltip += "\n" + error
            label.setStyleSheet("color: #a1261d;")
        else:
            label.setStyleSheet("")
        label.setText(text)
        label.setToolTip(tooltip)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def install_sync_status(window: MainWindow) -> SyncStatusBar:
    return SyncStatusBar(window)
