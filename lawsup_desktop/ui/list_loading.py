"""The flow every big list page shares: filter bar → query in the background →
model reset, where only the newest query may reach the model.

A page keeps one :class:`ListLoader`. :meth:`ListLoader.load` starts a query
for the filter and sort just chosen; a query started earlier that ends later
is dropped, so quick typing never shows an older result over a newer one.
:meth:`ListLoader.fetch` runs the follow-up reads of the same list (the next
window of ids, rows the view asks for) and drops them too once the list moved
on. :func:`debounced` gives a search box its pause before the query starts.

A list with sync badges calls :meth:`ListLoader.show_badges` once; every load or
fetch given ``ids_of`` then reads the badges of the rows it read in the same
background job (one more indexed read per window) and hands them to the model
before the rows, and the badges of all read rows are read again when sync says
something changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, SignalInstance, Slot
from PySide6.QtWidgets import QLineEdit, QWidget

from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.store.database import Database
from lawsup_desktop.ui.lazy_rows import OnDemandRowsModel
from lawsup_desktop.ui.sync.badges import BadgeState, read_badges
from lawsup_desktop.ui.tasks import TaskHandle, TaskManager

T = TypeVar("T")

SEARCH_DELAY_MS = 250
"""The pause after the last key before a search runs: typing a name is one query."""


IdsOf = Callable[[Any], Iterable[str]]
"""The ids of the rows a job's result holds (whose badges to read with them)."""


@dataclass(frozen=True)
class _BadgeSource:
    db: Database
    entity: str
    model: OnDemandRowsModel


class ListLoader(QObject):
    def __init__(self, tasks: TaskManager, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._tasks = tasks
        self._widget = parent_widget
        self._generation = 0
        self._handles: list[TaskHandle[Any]] = []
        self._badges: _BadgeSource | None = None
        self._badge_reads = 0  # counts the re-reads after sync changes

    def show_badges(self, db: Database, entity: str, model: OnDemandRowsModel,
                    changed: SignalInstance | None = None) -> None:
        """Read the sync badges of ``entity`` rows along with them (loads and fetches
        given ``ids_of``), and read them all again whenever ``changed`` fires
        (``sync_controller(context).changed``)."""
        self._badges = _BadgeSource(db, entity, model)
        if changed is not None:
            changed.connect(self.refresh_badges)

    @Slot()
    def refresh_badges(self) -> None:
        """Sync changed something: read the badges of every row read so far again."""
        source = self._badges
        if source is None:
            return
        self._badge_reads += 1
        ids = source.model.read_ids()
        self.fetch(lambda _ctx: read_badges(source.db, source.entity, ids) if ids else {},
                   source.model.renew_badges)

    @property
    def generation(self) -> int:
        """Counts the loads: a fetch started under an older one is stale."""
        return self._generation

    def load(
        self,
        job: Callable[[TaskContext], T],
        on_loaded: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        ids_of: IdsOf | None = None,
    ) -> TaskHandle[Any]:
        """A new query for the list: whatever was loading before no longer counts.
        ``ids_of``: the rows in the result, whose badges come with it."""
        self._generation += 1
        return self._start(job, on_loaded, on_failure, self._generation, ids_of)

    def fetch(
        self,
        job: Callable[[TaskContext], T],
        on_done: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        ids_of: IdsOf | None = None,
    ) -> TaskHandle[Any]:
        """A further read of the current list, dropped if a new load started meanwhile.
        ``ids_of``: the rows in the result, whose badges come with it."""
        return self._start(job, on_done, on_failure, self._generation, ids_of)

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
        ids_of: IdsOf | None = None,
    ) -> TaskHandle[Any]:
        if ids_of is not None and self._badges is not None:
            job, on_done = self._with_badges(self._badges, job, on_done, ids_of)

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

    def _with_badges(
        self,
        source: _BadgeSource,
        job: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None],
        ids_of: IdsOf,
    ) -> tuple[Callable[[TaskContext], Any], Callable[[Any], None]]:
        """``job`` that also reads its rows' badges; ``on_done`` that shows them first."""
        reads = self._badge_reads

        def read(ctx: TaskContext) -> tuple[Any, dict[str, BadgeState]]:
            result = job(ctx)
            ids = [i for i in ids_of(result) if i]
            return result, (read_badges(source.db, source.entity, ids) if ids else {})

        def done(pair: tuple[Any, dict[str, BadgeState]]) -> None:
            result, states = pair
            source.model.add_badges(states)
            on_done(result)
            if reads != self._badge_reads:
                # Sync changed badges after these were read: read them all again.
                self.refresh_badges()

        return read, done

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
