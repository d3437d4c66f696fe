"""When sync runs: on an interval, on "sync now", and after a failure again with
back-off once a cheap reachability check answers. Never on the GUI thread (the
work goes to the TaskManager's pool) and never two at once.

The job and the check are given, so the timing can be tested without a server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.ui.tasks import TaskHandle, TaskManager

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MS = 5 * 60 * 1000
FIRST_BACKOFF_MS = 15 * 1000
START_DELAY_MS = 3 * 1000
"""The first automatic sync waits until the window has settled."""

SyncJob = Callable[[TaskContext], Any]
ReachabilityCheck = Callable[[], bool]


class SyncScheduler(QObject):
    started = Signal()
    progressed = Signal(object)  # services.progress.Progress
    succeeded = Signal(object)  # what the job returned (a SyncReport)
    failed = Signal(object)  # the exception
    finished = Signal()
    running_changed = Signal(bool)

    def __init__(self, tasks: TaskManager, job: SyncJob, check: ReachabilityCheck, *,
                 interval_ms: int = DEFAULT_INTERVAL_MS, first_backoff_ms: int = FIRST_BACKOFF_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._job = job
        self._check = check
        self.first_backoff_ms = first_backoff_ms
        self.failures = 0
        """Failed attempts in a row (sync or reachability check) since the last success."""
        self._handle: TaskHandle[Any] | None = None
        self._checking: TaskHandle[bool] | None = None
        self._interval = QTimer(self)
        self._interval.setInterval(interval_ms)
        self._interval.timeout.connect(self.sync_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._check_then_sync)
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.timeout.connect(self.sync_now)
        self._network: Any = None

    # -- control ---------------------------------------------------------------

    @property
    def active(self) -> bool:
        """Whether automatic sync is on."""
        return self._interval.isActive()

    @property
    def running(self) -> bool:
        return self._handle is not None

    @property
    def interval_ms(self) -> int:
        return self._interval.interval()

    def set_interval_ms(self, interval_ms: int) -> None:
        self._interval.setInterval(max(1000, interval_ms))

    def start(self, first_delay_ms: int = START_DELAY_MS) -> None:
        """Sync automatically from now on (a first sync after ``first_delay_ms``)."""
        self._interval.start()
        self._first.start(first_delay_ms)
        self._watch_network()

    def stop(self) -> None:
        for timer in (self._interval, self._retry, self._first):
            timer.stop()

    def retry_delay_ms(self) -> int:
        """Back-off after ``failures`` failures: doubling, at most the interval."""
        if self.failures <= 0:
            return 0
        return int(min(self.first_backoff_ms * 2 ** (self.failures - 1), self.interval_ms))

    def sync_now(self) -> TaskHandle[Any]:
        """Start a sync, or return the one that is running (never two at once)."""
        if self._handle is not None:
            return self._handle
        self._first.stop()
        self._retry.stop()
        handle = self._tasks.run(self._job, self._on_success, self._on_failure,
                                 cancellable=True)
        handle.progressed.connect(self.progressed)
        handle.finished.connect(self._on_finished)
        handle.cancelled.connect(self._on_cancelled)
        self._handle = handle
        self.started.emit()
        self.running_changed.emit(True)
        return handle

    # -- results (GUI thread) ----------------------------------------------------

    def _on_success(self, report: Any) -> None:
        self.failures = 0
        self.succeeded.emit(report)

    def _on_failure(self, exc: BaseException) -> None:
        self.failures += 1
        self.failed.emit(exc)

    def _on_cancelled(self) -> None:
        log.info("sync cancelled")

    def _on_finished(self) -> None:
        self._handle = None
        self.running_changed.emit(False)
        self.finished.emit()
        if self.failures and self.active:
            self._retry.start(self.retry_delay_ms())

    # -- reconnect -------------------------------------------------------------

    def _check_then_sync(self) -> None:
        """After a failure: ask cheaply whether the server answers; sync if it does."""
        if self._handle is not None or self._checking is not None:
            return
        handle = self._tasks.run(lambda _ctx: self._check(), self._after_check,
                                 self._check_failed, cancellable=False)
        handle.finished.connect(self._check_done)
        self._checking = handle

    def _after_check(self, reachable: bool) -> None:
        if reachable:
            self.sync_now()
        else:
            self._still_down()

    def _check_failed(self, exc: BaseException) -> None:
        log.info("reachability check failed: %s", exc)
        self._still_down()

    def _still_down(self) -> None:
        self.failures += 1
        if self.active:
            self._retry.start(self.retry_delay_ms())

    def _check_done(self) -> None:
        self._checking = None

    def _watch_network(self) -> None:
        """Where the platform tells of network changes, check at once on reconnect."""
        if self._network is not None:
            return
        from PySide6.QtNetwork import QNetworkInformation

        if not QNetworkInformation.loadDefaultBackend():
            return
        network = QNetworkInformation.instance()
        if network is None:
            return
        self._network = network
        network.reachabilityChanged.connect(self._reachability_changed)

    def _reachability_changed(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        online = reachability in (QNetworkInformation.Reachability.Online,
                                  QNetworkInformation.Reachability.Site)
        if online and self.failures and self.active:
            self._retry.start(0)
