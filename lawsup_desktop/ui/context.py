"""What every page of the main window is given: the open station and the helpers."""

from __future__ import annotations

from dataclasses import dataclass

from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.preferences import Preferences
from lawsup_desktop.ui.single_instance import FolderGuard
from lawsup_desktop.ui.tasks import TaskManager


@dataclass
class AppContext:
    """The open station. Pages pass ``db`` to services and run slow or writing calls
    through ``tasks``; they never open ORM sessions themselves."""

    db: Database
    folder: DataFolder
    workstation: WorkstationInfo
    tasks: TaskManager
    preferences: Preferences
    folder_guard: FolderGuard | None = None
    """Holds the data folder while the workbench runs (released at :meth:`close`)."""

    @property
    def language(self) -> str:
        """The language the user reads now (``"zh_CN"`` or ``"en"``), e.g. for
        :meth:`~lawsup_desktop.domain.errors.Text.in_language`."""
        return i18n.current_language()

    def close(self) -> None:
        """At exit: let running tasks stop, then release the database."""
        self.tasks.shutdown()
        self.db.dispose()
        if self.folder_guard is not None:
            self.folder_guard.release()
