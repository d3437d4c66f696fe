"""The flow every big list page shares: filter bar → query in the background →
model reset, where only the newest query may reach the model.

A page keeps one :class:`ListLoader`. :meth:`ListLoader.load` starts a query
for the filter and sort just chosen; a query started earlier that ends later
is dropped, so quick typing never shows an older result over a newer one.
:meth:`ListLoader.fetch` runs the follow-up reads of the same list (the next
window of ids, rows the view asks for) and drops them too once the list moved
on. :func:`debounced` gives a search box its pause before the query starts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLineEdit, QWidget

from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.ui.tasks import TaskHandle, TaskManager

T = TypeVar("T")

SEARCH_DELAY_MS = 250
"""The pause after the last key before a search runs: typing a name is one query."""


class ListLoader(QObject):
    def __init__(self, tasks: TaskManager, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._tasks = tasks
        self._widget = parent_widget
        self._generation = 0
        self._handles: list[TaskHandle[Any]] = []

    @property
    def generation(self) -> int:
        """Counts the loads: a fetch started under an older one is stale."""
        return self._generation

    def load(
        self,
        job: Callable[[TaskContext], T],
        on_loaded: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> TaskHandle[T]:
        """A new query for the list: whatever was loading before no longer counts."""
        self._generation += 1
        return self._start(job, on_loaded, on_failure, self._generation)

    def fetch(
        self,
        job: Callable[[TaskContext], T],
        on_done: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> TaskHandle[T]:
        """A further read of the current list, dropped if a new load started meanwhile."""
        return self._start(job, on_done, on_failure, self._generation)

    def run(
        self,
        job: Callable[[TaskContext], T],
        on_done: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> TaskHandle[T]:
        """Other background work of the page (tracked by :meth:`is_loading`, never dropped)."""
        return self._track(self._tasks.run(job, on_done, on_failure, parent_widget=self._widget))

    def _start(
        self,
        job: Callable[[TaskContext], T],
        on_done: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None,
        generation: int,
    ) -> TaskHandle[T]:
        def done(result: T) -> None:
            if generation == self._generation:
                on_done(result)

        def failed(exc: BaseException) -> None:
            if on_failure is not None:
                on_failure(exc)
            elif generation == self._generation:
                self._tasks.report_error(self._widget, exc)

        return self._track(
            self._tasks.run(job, done, failed, parent_widget=self._widget)
        )

    def _track(self, handle: TaskHandle[T]) -> TaskHandle[T]:
        self._handles = [h for h in self._handles if not h.done] + [handle]
        return handle

    def is_loading(self) -> bool:
        return any(not h.done for h in self._handles)


def debounced(field: QLineEdit, slot: Callable[[], object],
              delay_ms: int = SEARCH_DELAY_MS) -> QTimer:
    """Call ``slot`` once typing in ``field`` paused for ``delay_ms``."""
    timer = QTimer(field)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(lambda: slot())
    field.textChanged.connect(lambda _text: timer.start())
    return timer
