"""The workbench's one sync controller: it owns the scheduler, runs enrolment and
conflict resolution off the GUI thread, and tells the page and the status bar
when anything changed. One per open station (:func:`sync_controller`).

The main window makes it as it opens, so it imports the sync engine (and with it
the whole data model) only when a sync, an enrolment or a resolution runs; how sync
stands is read in plain SQL (:mod:`lawsup_desktop.sync.state`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QSettings, Signal

from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.store.database import Database
from lawsup_desktop.sync import state
from lawsup_desktop.sync.state import SyncStatus
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.sync.scheduler import DEFAULT_INTERVAL_MS, SyncScheduler
from lawsup_desktop.ui.tasks import TaskHandle

if TYPE_CHECKING:
    from lawsup_desktop.sync.engine import Enrollment, SyncReport

log = logging.getLogger(__name__)

INTERVAL_KEY = "sync/interval_minutes"
DEFAULT_INTERVAL_MINUTES = DEFAULT_INTERVAL_MS // 60000
PROBE_TIMEOUT_S = 5.0


def interval_minutes(context: AppContext) -> int:
    """The automatic sync interval from the profile's settings.ini (default 5 min)."""
    value = QSettings(str(context.preferences.path), QSettings.Format.IniFormat).value(
        INTERVAL_KEY, DEFAULT_INTERVAL_MINUTES)
    try:
        return max(1, int(str(value)))
    except ValueError:
        return DEFAULT_INTERVAL_MINUTES


def set_interval_minutes(context: AppContext, minutes: int) -> None:
    settings = QSettings(str(context.preferences.path), QSettings.Format.IniFormat)
    settings.setValue(INTERVAL_KEY, max(1, int(minutes)))
    settings.sync()


def run_sync(db: Database, attachments: Path | None, ctx: TaskContext) -> SyncReport:
    """One sync (worker thread): push, pull, with progress; stops between batches on
    cancel (each batch and page is its own transaction, so nothing is half-done)."""
    from lawsup_desktop.sync.engine import SyncEngine
    from lawsup_desktop.sync.tokens import TokenStore

    sync_engine = SyncEngine.open(db, TokenStore(), attachments=attachments)
    total = sync_engine.pending_count()

    language = i18n.current_language()

    def progress(phase: str, done: int) -> None:
        ctx.check_cancelled()
        if phase == "push":
            ctx.report(min(done, total), total or None, Text(
                f"已上报 {done} / {total} 条更改", f"Sent {done} of {total} changes"
            ).in_language(language))
        else:
            ctx.report(done, None, Text(f"已接收 {done} 条记录", f"Received {done} records"
                                        ).in_language(language))

    sync_engine.on_progress = progress
    try:
        return sync_engine.sync()
    finally:
        sync_engine.client.close()


def server_answers(db: Database) -> bool:
    """The cheap reachability check: does the enrolled server answer its health URL?"""
    from lawsup_desktop.sync import engine
    from lawsup_desktop.sync.client import SyncClient, SyncError

    status = state.status(db)
    if not status.server_url:
        return False
    try:
        with SyncClient(status.server_url, ca_bundle=engine.ca_bundle(db),
                        timeout=PROBE_TIMEOUT_S) as client:
            client.health()
    except SyncError:
        return False
    return True


@dataclass(frozen=True)
class LastRun:
    """The outcome of the latest sync of this session (for the clock warning)."""

    report: SyncReport | None
    error: BaseException | None


class SyncController(QObject):
    changed = Signal()
    """Sync state changed (a sync ended, a conflict was resolved, enrolment): re-read."""
    enrolled = Signal(object)  # engine.Enrollment
    running_changed = Signal(bool)
    progressed = Signal(object)  # services.progress.Progress

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.token_warning: Text | None = None
        """Set when the device token lives only in memory (no system keyring)."""
        self.last_run: LastRun | None = None
        self.scheduler = SyncScheduler(
            context.tasks, self._job, lambda: server_answers(context.db),
            interval_ms=interval_minutes(context) * 60000, parent=self)
        self.scheduler.running_changed.connect(self.running_changed)
        self.scheduler.progressed.connect(self.progressed)
        self.scheduler.succeeded.connect(self._synced)
        self.scheduler.failed.connect(self._failed)

    def _job(self, ctx: TaskContext) -> SyncReport:
        return run_sync(self.context.db, self.context.folder.attachments, ctx)

    # -- state -------------------------------------------------------------------

    def status(self) -> SyncStatus:
        return state.status(self.context.db)

    def last_error(self, status: SyncStatus | None = None) -> Text | None:
        """Why the last sync failed (None: it succeeded). A failure that is not the
        service's or the network's (a bug) is named by its type; the log has the rest."""
        run = self.last_run
        if run is not None and run.error is not None and not isinstance(run.error, LawsupError):
            name = type(run.error).__name__
            return Text(f"同步出错（{name}），详情已写入日志。",
                        f"Sync failed ({name}); the log has the details.")
        return (status or self.status()).last_error

    @property
    def clock_warning(self) -> Text | None:
        run = self.last_run
        return run.report.clock_warning if run is not None and run.report is not None else None

    def start_if_enrolled(self) -> bool:
        """Start automatic sync if this workstation is enrolled."""
        if not self.status().enrolled:
            return False
        if not self.scheduler.active:
            self.scheduler.start()
        return True

    def stop(self) -> None:
        self.scheduler.stop()

    def set_interval_minutes(self, minutes: int) -> None:
        set_interval_minutes(self.context, minutes)
        self.scheduler.set_interval_ms(interval_minutes(self.context) * 60000)

    def set_ca_bundle(self, path: Path | None) -> None:
        from lawsup_desktop.sync import engine

        engine.set_ca_bundle(self.context.db, path)
        self.changed.emit()

    # -- actions -------------------------------------------------------------------

    def sync_now(self) -> TaskHandle[Any]:
        return self.scheduler.sync_now()

    def _synced(self, report: SyncReport) -> None:
        self.last_run = LastRun(report, None)
        self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, LawsupError):
            log.error("sync failed", exc_info=exc)  # a bug, not a network problem
        self.last_run = LastRun(None, exc)
        self.changed.emit()

    def enroll(self, server_url: str, code: str, ca_bundle: Path | None,
               on_failure: Any = None) -> TaskHandle[Enrollment]:
        """Enrol in the background; the window then shows the bureau's station id."""
        from lawsup_desktop.sync import engine
        from lawsup_desktop.sync.tokens import TokenStore

        db = self.context.db

        def job(_ctx: TaskContext) -> Enrollment:
            return engine.enroll(db, server_url, code, TokenStore(), ca_bundle=ca_bundle)

        return self.context.tasks.run(job, self._enrolled, on_failure, cancellable=False)

    def _enrolled(self, enrollment: Enrollment) -> None:
        from lawsup_desktop.services.station import StationService

        self.token_warning = enrollment.warning
        # The station row took the bureau's id: everything showing the station re-reads.
        workstation = StationService(self.context.db).workstation()
        if workstation is not None:
            self.context.workstation = workstation
        if enrollment.server_url != self.context.preferences.server_url:
            self.context.preferences.set_server_url(enrollment.server_url)
        self.start_if_enrolled()
        self.enrolled.emit(enrollment)
        self.changed.emit()

    def resolve(self, conflict_id: str, choose: dict[str, str],
                on_failure: Any = None) -> TaskHandle[None]:
        """Resolve a conflict (an op that syncs with the next sync)."""
        db = self.context.db

        def job(_ctx: TaskContext) -> None:
            from lawsup_desktop.sync.client import SyncClient
            from lawsup_desktop.sync.engine import SyncEngine

            # Resolving is local (its op goes with the next sync): no token, no request.
            with SyncClient(state.status(db).server_url or "http://localhost") as client:
                SyncEngine(db, client).resolve_conflict(conflict_id, choose)

        return self.context.tasks.run(job, lambda _r: self.changed.emit(), on_failure,
                                      cancellable=False)


# One controller per open station; AppContext is an unhashable dataclass, so by id,
# dropped when the context goes (its id may then be reused).
_controllers: dict[int, tuple[AppContext, SyncController]] = {}


def sync_controller(context: AppContext) -> SyncController:
    found = _controllers.get(id(context))
    if found is not None and found[0] is context:
        return found[1]
    controller = SyncController(context)
    _controllers[id(context)] = (context, controller)
    return controller


def forget_controller(context: AppContext) -> None:
    found = _controllers.pop(id(context), None)
    # At interpreter exit Qt may already have deleted the controller's side.
    if found is not None and shiboken6.isValid(found[1]) and \
            shiboken6.isValid(found[1].scheduler):
        found[1].stop()
        found[1].deleteLater()
