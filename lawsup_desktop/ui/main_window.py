"""The main window: navigation on the left, the current page on the right, who and
where in the status bar."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.deadlines.alerts import install_deadline_alerts
from lawsup_desktop.ui.maintenance import install_maintenance
from lawsup_desktop.ui.pages import PAGES, Page
from lawsup_desktop.ui.sync.status import install_sync_status

if TYPE_CHECKING:  # imported when first opened: the start does not pay for them
    from lawsup_desktop.sync.engine import SyncReport
    from lawsup_desktop.ui.about import AboutDialog
    from lawsup_desktop.ui.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1100, 720)


class MainWindow(QMainWindow):
    """Pages are built on their first visit (see :mod:`lawsup_desktop.ui.pages`)."""

    def __init__(self, context: AppContext, pages: Sequence[Page] = PAGES) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.context = context
        self.pages = tuple(pages)
        self._built: dict[str, QWidget] = {}
        self.settings_dialog: SettingsDialog | None = None
        self.about_dialog: AboutDialog | None = None

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for page in self.pages:
            item = QListWidgetItem(self.navigation)
            item.setData(Qt.ItemDataRole.UserRole, page.key)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pages")

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._create_actions()
        self._create_menus()
        self._create_status_bar()
        self.maintenance = install_maintenance(self)  # backup, restore, lock
        self.deadline_alerts = install_deadline_alerts(self)  # counts once idle
        self.sync_status = install_sync_status(self)  # and automatic sync, if enrolled
        self.sync_status.controller.scheduler.succeeded.connect(self._synced)
        self.retranslate()
        self._restore_window()

        self.navigation.currentRowChanged.connect(self._show_row)
        self.navigation.setCurrentRow(0)

    # -- pages ---------------------------------------------------------------

    def show_page(self, key: str) -> QWidget | None:
        """Go to the page ``key`` (building it on its first visit) and return it;
        None if it could not be built (the error was shown)."""
        row = next(i for i, page in enumerate(self.pages) if page.key == key)
        self.navigation.setCurrentRow(row)
        return self._built.get(key)

    def current_page(self) -> Page:
        return self.pages[self.navigation.currentRow()]

    def built_page(self, key: str) -> QWidget | None:
        """The page's widget if it has been visited, else None."""
        return self._built.get(key)

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        page = self.pages[row]
        widget = self._built.get(page.key)
        if widget is None:
            try:
                widget = page.create(self.context)
            except Exception as exc:  # a broken page must not take the window down
                log.exception("cannot build page %s", page.key)
                self.context.tasks.report_error(self, exc)
                self._select_row_quietly(self.stack.currentIndex())
                return
            self._built[page.key] = widget
            self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)

    def _select_row_quietly(self, stack_index: int) -> None:
        current = self.stack.widget(stack_index)
        key = next((k for k, w in self._built.items() if w is current), None)
        rows = [i for i, page in enumerate(self.pages) if page.key == key]
        self.navigation.blockSignals(True)
        self.navigation.setCurrentRow(rows[0] if rows else -1)
        self.navigation.blockSignals(False)

    # -- actions and menus ---------------------------------------------------

    def _create_actions(self) -> None:
        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        self.import_action = QAction(self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.open_import)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(self)
        self.about_action.setShortcut(QKeySequence("F1"))
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.open_about)
        self.page_actions: list[QAction] = []
        for number, page in enumerate(self.pages, start=1):
            action = QAction(self)
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, key=page.key: self.show_page(key))
            self.page_actions.append(action)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = QMenu(bar)
        self.file_menu.addAction(self.import_action)
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.go_menu = QMenu(bar)
        self.go_menu.addActions(self.page_actions)
        self.help_menu = QMenu(bar)
        self.help_menu.addAction(self.about_action)
        for menu in (self.file_menu, self.go_menu, self.help_menu):
            bar.addMenu(menu)
        # Also on the window itself, so the shortcuts work even with the menu bar
        # hidden (some desktops move it out of the window).
        self.addActions([self.import_action, self.settings_action, self.quit_action,
                         self.about_action])
        self.addActions(self.page_actions)

    def _create_status_bar(self) -> None:
        bar = self.statusBar()
        self.operator_label = QLabel(bar)
        self.operator_label.setObjectName("status_operator")
        self.station_label = QLabel(bar)
        self.station_label.setObjectName("status_station")
        self.sync_label = QLabel(bar)
        self.sync_label.setObjectName("status_sync")
        bar.addWidget(self.operator_label)
        bar.addWidget(self.station_label)
        bar.addPermanentWidget(self.sync_label)

    # -- texts ---------------------------------------------------------------

    def retranslate(self) -> None:
        info = self.context.workstation
        self.setWindowTitle(
            self.tr("{station} - 派出所法制监督员工作台").format(station=info.station_name)
        )
        self.file_menu.setTitle(self.tr("文件(&F)"))
        self.go_menu.setTitle(self.tr("转到(&G)"))
        self.help_menu.setTitle(self.tr("帮助(&H)"))
        self.import_action.setText(self.tr("导入警情(&I)…"))
        self.settings_action.setText(self.tr("设置(&S)…"))
        self.quit_action.setText(self.tr("退出(&X)"))
        self.about_action.setText(self.tr("关于(&A)"))
        for row, page in enumerate(self.pages):
            title = page.display_title()
            self.page_actions[row].setText(title)
            item = self.navigation.item(row)
            item.setText(title)
            shortcut = (
                self.page_actions[row].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            )
            heading = f"{title} ({shortcut})" if shortcut else title
            item.setToolTip(f"{heading}\n{page.display_purpose()}")
        self.refresh_status()

    def refresh_status(self) -> None:
        """The status bar: who works here, for which station, how sync stands."""
        info = self.context.workstation
        role = info.operator_role.label.in_language(self.context.language)
        self.operator_label.setText(
            self.tr("操作员：{name}（{role}）").format(name=info.operator_name, role=role)
        )
        self.station_label.setText(
            self.tr("本所：{name}（{code}）").format(name=info.station_name, code=info.station_code)
        )
        if not self.context.preferences.server_url:
            self.sync_label.setText(self.tr("未配置同步服务器"))
        else:
            self.sync_label.setText(self.tr("尚未同步"))
        self.sync_status.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- dialogs ---------------------------------------------------------------

    def open_import(self) -> None:
        """导入警情 (modal); after an import, the pages already built read again."""
        from lawsup_desktop.ui.incident_import.dialog import import_incidents_dialog

        if import_incidents_dialog(self, self.context) is not None:
            self.refresh_pages()

    def refresh_pages(self) -> None:
        """The records changed under the pages (an import): each built page reads again,
        keeping its filters and selection."""
        for widget in self._built.values():
            reload = getattr(widget, "reload", None)
            if callable(reload):
                reload()

    def _synced(self, report: SyncReport) -> None:
        # A pull may give the negative list the bureau's ids (the first sync after an
        # enrolment adopts them): pages holding the old ones in their choices read again.
        if report.pulled:
            self.refresh_rosters()

    def refresh_rosters(self) -> None:
        """Each built page that keeps the negative list or the roster for its forms
        reads them again (text typed into the pages is kept)."""
        for widget in self._built.values():
            reload_roster = getattr(widget, "reload_roster", None)
            if callable(reload_roster):
                reload_roster()

    def open_settings(self) -> SettingsDialog:
        """Open the settings dialog (window-modal, without blocking) and return it."""
        from lawsup_desktop.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.context.preferences, self.context.folder.root, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(self.refresh_status)
        dialog.destroyed.connect(self._forget_settings_dialog)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def open_about(self) -> AboutDialog:
        from lawsup_desktop.ui.about import AboutDialog

        dialog = AboutDialog(self.context.folder.root, self.context.folder.database, self)
        dialog.destroyed.connect(self._forget_about_dialog)
        self.about_dialog = dialog
        dialog.open()
        return dialog

    def _forget_settings_dialog(self) -> None:
        self.settings_dialog = None

    def _forget_about_dialog(self) -> None:
        self.about_dialog = None

    def reload_data(self) -> None:
        """After the database was replaced (restore): re-read who works here and
        rebuild every page on its next visit, starting with the current one."""
        from lawsup_desktop.services.station import StationService

        workstation = StationService(self.context.db).workstation()
        if workstation is not None:
            self.context.workstation = workstation
        for widget in self._built.values():
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._built.clear()
        self._show_row(self.navigation.currentRow())
        self.retranslate()

    # -- window state ----------------------------------------------------------

    def _restore_window(self) -> None:
        geometry = self.context.preferences.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        state = self.context.preferences.window_state()
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.context.preferences.save_window(self.saveGeometry(), self.saveState())
        super().closeEvent(event)
        # The program ends with its window: stop its tasks, close the database,
        # then give the data folder free for the next start (idempotent).
        self.context.close()
