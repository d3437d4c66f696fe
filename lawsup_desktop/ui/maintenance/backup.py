"""Backup now, restore from a backup, and the daily automatic backup."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.ui.maintenance.settings import MaintenanceSettings
from lawsup_desktop.ui.tasks import TaskHandle

if TYPE_CHECKING:
    # The service is imported by the jobs, on the worker: not at start, and never
    # on the GUI thread once the window is shown.
    from lawsup_desktop.services.backup import BackupInfo, BackupSummary, RestoreResult
    from lawsup_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

FIRST_AUTOMATIC_DELAY_MS = 3_000
"""After start, so the automatic backup never slows the window's appearance."""
AUTOMATIC_CHECK_INTERVAL_MS = 60 * 60 * 1000
"""While running: look every hour whether a day has passed since the last one."""
STATUS_MESSAGE_MS = 15_000


def _keep(keep: int | None) -> int:
    """How many backups to keep; None: the service's default. Called by the jobs,
    on the worker, which imports the service anyway."""
    from lawsup_desktop.services.backup import DEFAULT_KEEP

    return DEFAULT_KEEP if keep is None else keep


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class BackupActions(QObject):
    """What the File menu's backup items do, and the automatic backup."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.context = window.context
        self.settings = MaintenanceSettings(self.context.folder.settings)
        self.confirmation: QMessageBox | None = None
        self.last_task: TaskHandle[Any] | None = None
        self.automatic_timer = QTimer(self)
        self.automatic_timer.setObjectName("automatic_backup_timer")
        self.automatic_timer.timeout.connect(self.run_automatic_backup)
        self._automatic_running = False

    # -- automatic ----------------------------------------------------------

    def start_automatic(
        self,
        first_delay_ms: int = FIRST_AUTOMATIC_DELAY_MS,
        interval_ms: int = AUTOMATIC_CHECK_INTERVAL_MS,
    ) -> None:
        QTimer.singleShot(first_delay_ms, self, self.run_automatic_backup)
        self.automatic_timer.start(interval_ms)

    def stop_automatic(self) -> None:
        self.automatic_timer.stop()
        self._automatic_running = False

    def run_automatic_backup(self) -> None:
        """The daily backup if due, in the background, without a progress dialog."""
        if self._automatic_running or not self.automatic_timer.isActive():
            return
        self._automatic_running = True
        folder, keep = self.context.folder, self.settings.backups_to_keep

        def job(ctx: TaskContext) -> BackupInfo | None:
            from lawsup_desktop.services.backup import run_automatic_backup

            return run_automatic_backup(folder, keep=_keep(keep), ctx=ctx)

        self.last_task = self.context.tasks.run(job, self._automatic_done, self._automatic_failed)

    def _automatic_done(self, info: BackupInfo | None) -> None:
        self._automatic_running = False
        if info is not None:
            log.info("automatic backup: %s", info.path)
            self.window.statusBar().showMessage(
                self.tr("已自动备份：{name}").format(name=info.path.name), STATUS_MESSAGE_MS
            )

    def _automatic_failed(self, exc: BaseException) -> None:
        # Told, not hidden: a station that silently stopped backing up loses data.
        self._automatic_running = False
        log.error("automatic backup failed", exc_info=(type(exc), exc, exc.__traceback__))
        self.context.tasks.report_error(self.window, exc)

    # -- backup now -----------------------------------------------------------

    def backup_now(self) -> TaskHandle[BackupInfo]:
        folder, keep = self.context.folder, self.settings.backups_to_keep

        def job(ctx: TaskContext) -> BackupInfo:
            from lawsup_desktop.services.backup import BackupKind, backup_now

            return backup_now(folder, BackupKind.MANUAL, keep=_keep(keep), ctx=ctx)

        handle = self.context.tasks.run(
            job, self._backed_up, progress_label=self.tr("正在备份数据库…"),
            parent_widget=self.window,
        )
        self.last_task = handle
        return handle

    def _backed_up(self, info: BackupInfo) -> None:
        self.window.statusBar().showMessage(
            self.tr("已备份到 {path}").format(path=info.path), STATUS_MESSAGE_MS
        )

    # -- restore ----------------------------------------------------------------

    def choose_backup(self) -> None:
        """Ask for the backup file, then show what it holds and ask to confirm."""
        path, _filter = QFileDialog.getOpenFileName(
            self.window,
            self.tr("选择要恢复的备份"),
            str(self.context.folder.backups),
            self.tr("数据库备份 (*.sqlite);;所有文件 (*)"),
        )
        if path:
            self.describe(Path(path))

    def describe(self, path: Path) -> TaskHandle[BackupSummary]:
        # A quick_check over a large backup takes a moment: off the GUI thread.
        def job(_ctx: TaskContext) -> BackupSummary:
            from lawsup_desktop.services.backup import describe_backup

            return describe_backup(path)

        handle = self.context.tasks.run(
            job, self.confirm,
            progress_label=self.tr("正在读取备份…"), parent_widget=self.window,
        )
        self.last_task = handle
        return handle

    def confirm(self, summary: BackupSummary) -> None:
        """Show what the backup holds and ask (window-modal, see :attr:`confirmation`)."""
        language = self.context.language
        counts = "\n".join(
            self.tr("{kind}：{count}").format(
                kind=record.label.in_language(language), count=f"{record.count:,}"
            )
            for record in summary.counts
        )
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("从备份恢复"),
            self.tr("用这份备份替换当前数据库？"),
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setObjectName("restore_confirmation")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(
            self.tr(
                "备份时间：{time}\n派出所：{station}\n{counts}\n\n"
                "恢复前，当前数据库会先自动备份。恢复后，备份时间之后录入的内容将不再显示。"
            ).format(time=local_time(summary.made_at), station=summary.station_name,
                     counts=counts)
        )
        box.setDetailedText(str(summary.path))
        restore_button = box.addButton(self.tr("恢复"), QMessageBox.ButtonRole.AcceptRole)
        restore_button.setObjectName("restore")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # the safe choice
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            self.confirmation = None
            if box.clickedButton() is restore_button:
                self.restore(summary)

        box.finished.connect(answered)
        self.confirmation = box
        box.open()

    def restore(self, summary: BackupSummary) -> TaskHandle[RestoreResult]:
        folder, db, keep = self.context.folder, self.context.db, self.settings.backups_to_keep

        def job(ctx: TaskContext) -> RestoreResult:
            from lawsup_desktop.services.backup import restore_backup

            return restore_backup(
                folder, summary.path, db=db, keep=_keep(keep), ctx=ctx, described=summary
            )

        handle = self.context.tasks.run(
            job, self._restored, progress_label=self.tr("正在从备份恢复…"),
            parent_widget=self.window,
        )
        self.last_task = handle
        return handle

    def _restored(self, result: RestoreResult) -> None:
        self.window.reload_data()
        message = self.tr("已从备份恢复（{time}）。").format(
            time=local_time(result.restored.made_at)
        )
        if result.safety_backup is not None:
            message += self.tr("原数据库已备份为 {name}。").format(
                name=result.safety_backup.path.name
            )
        self.window.statusBar().showMessage(message, STATUS_MESSAGE_MS)
