"""Progress and cancellation for slow jobs, without Qt.

Every background job gets a :class:`TaskContext`. The job reports how far it
got with :meth:`TaskContext.report` and checks for a cancel request with
:meth:`TaskContext.check_cancelled`; the UI layer (``ui/tasks.py``) turns the
reports into a progress dialog and the dialog's Cancel button into
:meth:`TaskContext.cancel`. Services take ``ctx: TaskContext | None`` so they
can also be called plainly (tests, scripts); such a service starts with
``ctx = ctx or TaskContext()``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


class Cancelled(Exception):
    """Raised inside a job to stop it because the user cancelled.

    The task runner ends such a job quietly: no error is shown.
    """


@dataclass(frozen=True)
class Progress:
    """One progress report: ``done`` of ``total`` steps (``None``: unknown)."""

    done: int
    total: int | None = None
    text: str = ""


class TaskContext:
    """What a job may tell its runner, and what the runner may ask of it.

    Every method may be called from any thread.

    ``on_progress`` is called, in the reporting thread, after each report; the
    UI layer uses it to wake the GUI thread, which then reads :attr:`progress`.
    """

    def __init__(self, on_progress: Callable[[Progress], None] | None = None) -> None:
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self._progress: Progress | None = None
        self._cancel_requested = threading.Event()

    # -- progress -----------------------------------------------------------

    def report(self, done: int, total: int | None = None, text: str = "") -> None:
        """Record that ``done`` of ``total`` steps are finished.

        ``total=None`` means the amount of work is not known (a busy
        indicator). Reporting never raises :class:`Cancelled`; call
        :meth:`check_cancelled` where stopping is safe.
        """
        if done < 0 or (total is not None and total < 0):
            raise ValueError(f"progress cannot be negative: {done} / {total}")
        progress = Progress(done, total, text)
        with self._lock:
            self._progress = progress
        if self._on_progress is not None:
            # Outside the lock: the callback may read ``progress`` itself.
            self._on_progress(progress)

    @property
    def progress(self) -> Progress | None:
        """The latest report, or ``None`` before the first."""
        with self._lock:
            return self._progress

    # -- cancellation -------------------------------------------------------

    def cancel(self) -> None:
        """Ask the job to stop. The job stops at its next check."""
        self._cancel_requested.set()

    @property
    def cancelled(self) -> bool:
        """Whether someone asked the job to stop."""
        return self._cancel_requested.is_set()

    def check_cancelled(self) -> None:
        """Raise :class:`Cancelled` if someone asked the job to stop."""
        if self._cancel_requested.is_set():
            raise Cancelled()

    def wait_cancelled(self, timeout: float | None = None) -> bool:
        """Block up to ``timeout`` seconds for a cancel request; ``True`` if one came.

        For jobs that wait between steps (retries, polling) and should wake
        at once when the user cancels.
        """
        return self._cancel_requested.wait(timeout)
