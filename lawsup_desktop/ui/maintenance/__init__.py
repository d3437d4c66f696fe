"""Keeping the station's data safe: backups, restore, and the lock screen.

:func:`install_maintenance` adds the File menu's items to a main window and
starts the daily backup and the idle lock for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence

from lawsup_desktop.ui.maintenance.backup import BackupActions
from lawsup_desktop.ui.maintenance.lock import LockController
from lawsup_desktop.ui.maintenance.settings import MaintenanceSettings

if TYPE_CHECKING:
    from lawsup_desktop.ui.main_window import MainWindow


class Maintenance(QObject):
    """The maintenance features of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        settings = MaintenanceSettings(window.context.folder.settings)
        self.backups = BackupActions(window)
        self.lock = LockController(window, settings)

        self.backup_action = QAction(window)
        self.backup_action.setObjectName("backup_now")
        self.backup_action.triggered.connect(self.backups.backup_now)
        self.restore_action = QAction(window)
        self.restore_action.setObjectName("restore_backup")
        self.restore_action.triggered.connect(self.backups.choose_backup)
        self.lock_action = QAction(window)
        self.lock_action.setObjectName("lock")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock.request_lock)
        self.lock_settings_action = QAction(window)
        self.lock_settings_action.setObjectName("lock_settings")
        self.lock_settings_action.triggered.connect(lambda: self.lock.open_settings())

        # Before the settings item: backup and restore, then locking.
        menu, before = window.file_menu, window.settings_action
        menu.insertActions(before, [self.backup_action, self.restore_action])
        menu.insertSeparator(before)
        menu.insertActions(before, [self.lock_action, self.lock_settings_action])
        menu.insertSeparator(before)
        window.addActions([self.lock_action])  # Ctrl+L even with the menu bar hidden
        window.installEventFilter(self)
        self.retranslate()

    def start(self) -> None:
        self.backups.start_automatic()

    def stop(self) -> None:
        self.backups.stop_automatic()
        self.lock.stop()

    def retranslate(self) -> None:
        self.backup_action.setText(self.tr("立即备份(&B)"))
        self.restore_action.setText(self.tr("从备份恢复(&R)…"))
        self.lock_action.setText(self.tr("锁定(&L)"))
        self.lock_settings_action.setText(self.tr("锁屏密码与自动锁定(&P)…"))
        screen = self.lock.screen
        if screen is not None:
            screen.retranslate(self.window.context.workstation.operator_name)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.window:
            if event.type() == QEvent.Type.LanguageChange:
                self.retranslate()
            elif event.type() == QEvent.Type.Close:
                self.stop()
        return False


def install_maintenance(window: MainWindow) -> Maintenance:
    maintenance = Maintenance(window)
    maintenance.start()
    return maintenance
