"""The import dialog (导入警情): choose a file, map its columns, preview, validate,
import — the last two in the background with progress and cancel.

Nothing is written until 导入 succeeds, and then the whole file at once (the
service's rule). The mapping the supervisor set up survives anything that goes
wrong: a bad file leaves the column choices as they were, and the mapping of
the last validation or import is offered again next time (MappingStore).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.errors import LawsupError
from lawsup_desktop.services.incident_import import (
    REQUIRED_FIELDS,
    ColumnMapping,
    ImportField,
    ImportFileError,
    ImportReport,
    MappingStore,
    Preview,
    Severity,
    import_incidents,
    preview,
    recognise,
    validate,
)
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.error_hook import show_error
from lawsup_desktop.ui.tasks import TaskHandle

PREVIEW_ROWS = 20
_NOT_MAPPED = ""


def read_preview(path: Path, mapping: ColumnMapping) -> Preview:
    """The file's header and first rows (the header found by ``mapping`` or by the
    usual headers, else the first row, so unusual headers can be mapped by hand)."""
    return preview(path, mapping or None, PREVIEW_ROWS)


def merge_mapping(
    kept: ColumnMapping, touched: set[ImportField], headers: list[str]
) -> ColumnMapping:
    """The columns to offer for a newly read file: what was chosen before where the
    file has that column (or the user chose it here: shown as missing, never
    dropped), else what the usual headers suggest."""
    present = {h for h in headers if h}
    suggested = recognise(headers)
    merged: ColumnMapping = {}
    for target in ImportField:
        header = kept.get(target)
        if header and (header in present or target in touched):
            merged[target] = header
    for target, header in suggested.items():
        if target not in merged and header not in merged.values():
            merged[target] = header
    return merged


class ImportDialog(QDialog):
    """Non-blocking; :func:`import_incidents_dialog` runs it modally."""

    imported = Signal(object)  # the committed ImportReport

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.context = context
        self.store = MappingStore(context.folder)
        self.path: Path | None = None  # the file whose preview is shown
        self.preview: Preview | None = None
        self.headers: list[str] = []  # of the last file read, kept if the next one fails
        self.report: ImportReport | None = None  # the report on screen
        self.imported_report: ImportReport | None = None  # what went in
        self.task: TaskHandle[object] | None = None
        self.mapping: ColumnMapping = {}
        self.touched: set[ImportField] = set()  # fields the user set by hand
        self._note = ""  # why the mapping could not be remembered, if it could not
        try:
            self.mapping = dict(self.store.last() or {})
        except LawsupError as exc:  # a damaged mapping file: say so, start from scratch
            self._message_later = exc.in_language(context.language)
        else:
            self._message_later = ""
        self._build()
        self._fill_saved_names()
        self._rebuild_combos()
        self._update_buttons()
        self.retranslate()
        if self._message_later:
            self.show_message(self._message_later, error=True)

    # -- layout ----------------------------------------------------------------------

    def _build(self) -> None:
        self.setMinimumSize(980, 640)
        self.file_label = QLabel(self)
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("import_file")
        self.file_edit.setClearButtonEnabled(True)
        self.file_label.setBuddy(self.file_edit)
        self.file_edit.returnPressed.connect(self.load_typed_file)
        self.browse_button = QPushButton(self)
        self.browse_button.setObjectName("import_browse")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        self.read_button = QPushButton(self)
        self.read_button.setObjectName("import_read")
        self.read_button.setAutoDefault(False)
        self.read_button.clicked.connect(self.load_typed_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label)
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.read_button)
        file_row.addWidget(self.browse_button)

        self.file_info = QLabel(self)
        self.file_info.setObjectName("import_file_info")
        self.message = QLabel(self)
        self.message.setObjectName("import_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        # The mapping: one line per field, a label and the file's column to read it
        # from (a grid, not a table of cell widgets: Tab walks through it).
        self.mapping_box = QGroupBox(self)
        self.saved_label = QLabel(self.mapping_box)
        self.saved_combo = QComboBox(self.mapping_box)
        self.saved_combo.setObjectName("import_saved_mapping")
        self.saved_label.setBuddy(self.saved_combo)
        self.saved_combo.activated.connect(self._pick_saved)
        self.field_labels: dict[ImportField, QLabel] = {}
        self.field_combos: dict[ImportField, QComboBox] = {}
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, target in enumerate(ImportField):
            label = QLabel(grid_widget)
            combo = QComboBox(grid_widget)
            combo.setObjectName(f"import_map_{target.value}")
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
            combo.activated.connect(lambda _index, t=target: self._mapped_by_hand(t))
            label.setBuddy(combo)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            self.field_labels[target] = label
            self.field_combos[target] = combo
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(self.field_combos), 1)
        scroll = QScrollArea(self.mapping_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(grid_widget)
        self.name_edit = QLineEdit(self.mapping_box)
        self.name_edit.setObjectName("import_mapping_name")
        self.name_edit.returnPressed.connect(self.save_mapping)
        self.save_button = QPushButton(self.mapping_box)
        self.save_button.setObjectName("import_save_mapping")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_mapping)
        saved_row = QHBoxLayout()
        saved_row.addWidget(self.saved_label)
        saved_row.addWidget(self.saved_combo, 1)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name_edit, 1)
        name_row.addWidget(self.save_button)
        box_layout = QVBoxLayout(self.mapping_box)
        box_layout.addLayout(saved_row)
        box_layout.addWidget(scroll, 1)
        box_layout.addLayout(name_row)

        self.preview_table = self._table("import_preview")
        self.report_table = self._table("import_report")
        self.report_table.setColumnCount(4)
        self.report_table.setWordWrap(True)  # a problem is a sentence: show all of it
        # Row heights follow the problem column's width (known only once shown); at
        # most MAX_REPORTED_PROBLEMS rows, so measuring them all stays cheap.
        self.report_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.report_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(self)
        self.summary.setObjectName("import_summary")
        self.summary.setStyleSheet("font-weight: bold;")
        self.summary.setWordWrap(True)
        report_page = QWidget(self)
        report_layout = QVBoxLayout(report_page)
        report_layout.setContentsMargins(0, 0, 0, 0)
        report_layout.addWidget(self.summary)
        report_layout.addWidget(self.report_table, 1)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("import_tabs")
        self.tabs.addTab(self.preview_table, "")
        self.tabs.addTab(report_page, "")

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.mapping_box)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 640])

        self.create_units = QCheckBox(self)
        self.create_units.setObjectName("import_create_units")
        self.validate_button = QPushButton(self)
        self.validate_button.setObjectName("import_validate")
        self.validate_button.setAutoDefault(False)
        self.validate_button.clicked.connect(self.run_validation)
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("import_run")
        self.import_button.setAutoDefault(False)
        self.import_button.clicked.connect(self.run_import)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("import_close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_units)
        buttons.addStretch(1)
        buttons.addWidget(self.validate_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.file_info)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        # Alt+P / Alt+R: the two tabs, from anywhere in the dialog.
        QShortcut(QKeySequence("Alt+P"), self, lambda: self.tabs.setCurrentIndex(0))
        QShortcut(QKeySequence("Alt+R"), self, lambda: self.tabs.setCurrentIndex(1))

    def _table(self, name: str) -> QTableWidget:
        table = QTableWidget(self)
        table.setObjectName(name)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.setTabKeyNavigation(False)
        return table

    # -- texts -------------------------------------------------------------------------

    def retranslate(self) -> None:
        language = self.context.language
        self.setWindowTitle(self.tr("导入警情"))
        self.file_label.setText(self.tr("文件(&F)："))
        self.file_edit.setPlaceholderText(self.tr("警综平台导出的 CSV（UTF-8/GBK）或 XLSX 文件"))
        self.read_button.setText(self.tr("读取(&L)"))
        self.browse_button.setText(self.tr("浏览(&B)…"))
        self.mapping_box.setTitle(self.tr("列映射：每个字段取自文件中的哪一列"))
        self.saved_label.setText(self.tr("已保存的映射(&M)："))
        self.name_edit.setPlaceholderText(self.tr("映射名称，例如 县局警综平台"))
        self.save_button.setText(self.tr("保存映射(&S)"))
        for target, label in self.field_labels.items():
            text = target.label.in_language(language)
            label.setText(f"{text} *" if target in REQUIRED_FIELDS else text)
            self.field_combos[target].setToolTip(
                self.tr("{field}取自文件中的这一列").format(field=text)
            )
        self.tabs.setTabText(0, self.tr("预览（前{n}行）").format(n=PREVIEW_ROWS))
        self.tabs.setTabText(1, self.tr("校验报告"))
        self.report_table.setHorizontalHeaderLabels(
            [self.tr("行"), self.tr("列"), self.tr("类别"), self.tr("问题")]
        )
        self.create_units.setText(self.tr("新建名册中没有的单位(&U)"))
        self.validate_button.setText(self.tr("校验(&V)"))
        self.import_button.setText(self.tr("导入(&I)"))
        self.close_button.setText(self.tr("关闭"))
        self._fill_saved_names()
        self._rebuild_combos()
        self._show_file_info()
        if self.report is not None:
            self.show_report(self.report)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "tabs"):
            self.retranslate()
        super().changeEvent(event)

    def show_message(self, text: str, *, error: bool = False) -> None:
        note = self._note
        if note:
            text, error = (f"{text}\n{note}" if text else note), True
        self.message.setProperty("error", error)
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- the file --------------------------------------------------------------------

    def browse(self) -> None:
        start = self.file_edit.text().strip() or str(Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("选择警情导出文件"),
            start,
            self.tr("表格文件 (*.csv *.xlsx);;所有文件 (*)"),
        )
        if chosen:
            self.file_edit.setText(chosen)
            self.load_file(Path(chosen))

    def load_typed_file(self) -> None:
        text = self.file_edit.text().strip()
        if not text:
            self.show_message(self.tr("请先选择要导入的文件。"), error=True)
            self.file_edit.setFocus()
            return
        self.load_file(Path(text).expanduser())

    def load_file(self, path: Path) -> TaskHandle[object] | None:
        """Read the file's header and first rows in the background."""
        if self._busy():
            return None
        self.file_edit.setText(str(path))
        mapping = self.current_mapping() or self.mapping
        self.show_message("")
        return self._start(
            lambda _ctx: read_preview(path, mapping),
            lambda result: self._file_read(path, result),
            self.tr("正在读取文件…"),
        )

    def _file_read(self, path: Path, result: object) -> None:
        assert isinstance(result, Preview)
        self.mapping = merge_mapping(
            self.current_mapping() or self.mapping, self.touched, result.headers
        )
        self.path, self.preview, self.headers = path, result, result.headers
        self.report = None
        self.report_table.setRowCount(0)
        self.summary.clear()
        self._rebuild_combos()
        self._show_file_info()
        self._fill_preview()
        self.tabs.setCurrentIndex(0)
        missing = [t for t in REQUIRED_FIELDS if t not in self.current_mapping()]
        if missing:
            names = "、".join(t.label.in_language(self.context.language) for t in missing)
            self.show_message(
                self.tr("请为这些字段选择文件中的列：{fields}").format(fields=names), error=True
            )
        self._update_buttons()

    def _show_file_info(self) -> None:
        if self.preview is None or self.path is None:
            self.file_info.setText(self.tr("尚未读取文件。"))
            return
        kind = self.preview.kind
        if self.preview.encoding:
            kind = self.tr("{kind}，{encoding} 编码").format(
                kind=kind, encoding=self.preview.encoding
            )
        self.file_info.setText(
            self.tr("{name}：{kind}，表头在第{row}行，共{columns}列").format(
                name=self.path.name,
                kind=kind,
                row=self.preview.header_row,
                columns=len([h for h in self.preview.headers if h]),
            )
        )

    # -- the mapping -----------------------------------------------------------------

    def current_mapping(self) -> ColumnMapping:
        mapping: ColumnMapping = {}
        for target, combo in self.field_combos.items():
            header = combo.currentData()
            if isinstance(header, str) and header:
                mapping[target] = header
        return mapping

    def _rebuild_combos(self) -> None:
        headers = [h for h in self.headers if h]
        for target, combo in self.field_combos.items():
            chosen = self.mapping.get(target, _NOT_MAPPED)
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("（不导入）"), _NOT_MAPPED)
            for header in dict.fromkeys(headers):
                combo.addItem(header, header)
            if chosen and chosen not in headers:
                # Kept, so the user's choice is not lost; validation names it.
                text = chosen
                if headers:
                    text = self.tr("{header}（文件中没有）").format(header=chosen)
                combo.addItem(text, chosen)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

    def _mapped_by_hand(self, target: ImportField) -> None:
        self.touched.add(target)
        self.mapping = self.current_mapping()
        self.saved_combo.setCurrentIndex(0)
        self._fill_preview()
        self._update_buttons()

    def _fill_saved_names(self) -> None:
        current = self.saved_combo.currentData()
        self.saved_combo.blockSignals(True)
        self.saved_combo.clear()
        self.saved_combo.addItem(self.tr("（当前的列映射）"), None)
        try:
            names = self.store.names()
        except LawsupError:
            names = []  # told once at start; the dialog still works without them
        for name in names:
            self.saved_combo.addItem(name, name)
        self.saved_combo.setCurrentIndex(max(0, self.saved_combo.findData(current)))
        self.saved_combo.blockSignals(False)

    def _pick_saved(self, index: int) -> None:
        name = self.saved_combo.itemData(index)
        if not isinstance(name, str):
            return
        try:
            self.mapping = self.store.load(name)
        except LawsupError as exc:
            self.show_message(exc.in_language(self.context.language), error=True)
            return
        self.touched = set(self.mapping)
        self._rebuild_combos()
        self._fill_preview()
        self._update_buttons()
        self.name_edit.setText(name)
        self.show_message(self.tr("已使用保存的映射“{name}”。").format(name=name))

    def save_mapping(self) -> None:
        name = self.name_edit.text().strip()
        mapping = self.current_mapping()
        if not mapping:
            self.show_message(self.tr("列映射是空的：请先读取文件并选择列。"), error=True)
            return
        try:
            self.store.save(name, mapping)
        except LawsupError as exc:
            self.show_message(exc.in_language(self.context.language), error=True)
            self.name_edit.setFocus()
            return
        self._fill_saved_names()
        self.saved_combo.setCurrentIndex(max(0, self.saved_combo.findData(name)))
        self.show_message(self.tr("列映射已保存为“{name}”。").format(name=name))

    # -- preview -----------------------------------------------------------------------

    def _fill_preview(self) -> None:
        table = self.preview_table
        if self.preview is None:
            table.setRowCount(0)
            table.setColumnCount(0)
            return
        language = self.context.language
        first_column = {}
        for n, header in enumerate(self.preview.headers):
            if header and header not in first_column:
                first_column[header] = n  # the importer reads the first of equal headers
        columns = [
            (target, first_column.get(header)) for target, header in self.current_mapping().items()
        ]
        table.setColumnCount(len(columns) + 1)
        table.setHorizontalHeaderLabels(
            [self.tr("行")] + [target.label.in_language(language) for target, _ in columns]
        )
        table.setRowCount(len(self.preview.rows))
        for r, values in enumerate(self.preview.rows):
            number = QTableWidgetItem(str(self.preview.header_row + 1 + r))
            table.setItem(r, 0, number)
            for c, (_target, index) in enumerate(columns, start=1):
                text = values[index] if index is not None and index < len(values) else ""
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        for c in range(table.columnCount()):
            table.setColumnWidth(c, min(table.columnWidth(c), 260))

    # -- validate and import ---------------------------------------------------------

    def _busy(self) -> bool:
        return self.task is not None and not self.task.done

    def _update_buttons(self) -> None:
        ready = self.preview is not None and not self._busy()
        self.validate_button.setEnabled(ready)
        self.import_button.setEnabled(ready)
        for widget in (self.read_button, self.browse_button, self.file_edit):
            widget.setEnabled(not self._busy())

    def _start(
        self,
        job: Callable[[TaskContext], object],
        on_success: Callable[[object], None],
        label: str,
    ) -> TaskHandle[object]:
        handle: TaskHandle[object] = self.context.tasks.run(
            job, on_success, self._failed, progress_label=label, parent_widget=self
        )
        self.task = handle
        handle.finished.connect(self._update_buttons)
        handle.cancelled.connect(self._cancelled)
        self._update_buttons()
        return handle

    def _remember(self, mapping: ColumnMapping) -> None:
        """Keep the mapping for next time; if that fails the import still goes ahead,
        and the reason stays under every message until the next try."""
        self._note = ""
        try:
            self.store.remember(mapping)
        except LawsupError as exc:
            self._note = exc.in_language(self.context.language)
        except OSError as exc:
            self._note = str(exc)
        self.show_message("", error=True)

    def run_validation(self) -> TaskHandle[object] | None:
        """校验: the whole file checked in the background; writes nothing."""
        if self.path is None or self._busy():
            return None
        path, mapping = self.path, self.current_mapping()
        create_units = self.create_units.isChecked()
        self._remember(mapping)
        db, language = self.context.db, self.context.language

        def job(ctx: TaskContext) -> ImportReport:
            return validate(db, path, mapping, ctx, create_units=create_units, language=language)

        return self._start(job, self.show_report, self.tr("正在校验文件…"))

    def run_import(self) -> TaskHandle[object] | None:
        """导入: the whole file in one transaction, or nothing."""
        if self.path is None or self._busy():
            return None
        path, mapping = self.path, self.current_mapping()
        create_units = self.create_units.isChecked()
        self._remember(mapping)
        db, actor = self.context.db, self.context.workstation.actor
        language = self.context.language  # of the progress texts

        def job(ctx: TaskContext) -> ImportReport:
            return import_incidents(
                db, actor, path, mapping, ctx, create_units=create_units, language=language
            )

        return self._start(job, self._import_done, self.tr("正在导入警情…"))

    def _import_done(self, result: object) -> None:
        assert isinstance(result, ImportReport)
        self.show_report(result)
        if result.committed:
            self.imported_report = result
            self.show_message(self.tr("导入完成。"))
            self.imported.emit(result)
        else:
            self.show_message(
                self.tr("文件有错误，未写入任何记录。请按校验报告修改文件后重试。"), error=True
            )

    def _cancelled(self) -> None:
        self.show_message(self.tr("已取消，未写入任何记录。"), error=True)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, LawsupError):
            # A file that cannot be read: say why here; the mapping stays as it was.
            self.show_message(exc.in_language(self.context.language), error=True)
            if isinstance(exc, ImportFileError):
                self._show_file_problem(exc)
            return
        show_error(self, exc)

    def _show_file_problem(self, exc: ImportFileError) -> None:
        self.mapping = self.current_mapping() or self.mapping  # the combos keep showing it
        self.preview = None
        self.path = None
        self.preview_table.setRowCount(0)
        self._show_file_info()
        self.report_table.setRowCount(1)
        where = str(exc.row) if exc.row is not None else self.tr("文件")
        values = [where, "", self.tr("错误"), exc.in_language(self.context.language)]
        for c, text in enumerate(values):
            self.report_table.setItem(0, c, QTableWidgetItem(text))
        self.report = None
        self.summary.setText(self.tr("无法读取这个文件，未写入任何记录。"))
        self.tabs.setCurrentIndex(1)
        self._update_buttons()

    def show_report(self, result: object) -> None:
        assert isinstance(result, ImportReport)
        self.report = result
        language = self.context.language
        table = self.report_table
        table.setRowCount(len(result.problems))
        for r, problem in enumerate(result.problems):
            where = str(problem.row) if problem.row is not None else self.tr("文件")
            kind = self.tr("错误") if problem.severity == Severity.ERROR else self.tr("提示")
            values = [where, problem.column, kind, problem.problem.in_language(language)]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setToolTip(text)
                if problem.severity == Severity.ERROR and c == 2:
                    item.setForeground(Qt.GlobalColor.red)
                table.setItem(r, c, item)
        for column in range(3):
            table.resizeColumnToContents(column)
        lines = [result.summary().in_language(language)]
        hidden = result.errors + result.warnings - len(result.problems)
        if hidden > 0:
            lines.append(self.tr("另有{n}条问题未列出。").format(n=hidden))
        if result.units_created:
            lines.append(self.tr("新建单位：{units}").format(units="、".join(result.units_created)))
        if not result.committed and result.ok and result.rows:
            lines.append(self.tr("校验通过：可以导入。"))
        self.summary.setText("\n".join(lines))
        self.tabs.setCurrentIndex(1)

    def reject(self) -> None:
        if self._busy():
            assert self.task is not None
            self.task.cancel()  # the progress dialog says it is cancelling
            return
        super().reject()


def import_incidents_dialog(parent: QWidget, context: AppContext) -> ImportReport | None:
    """Run the import dialog modally; the report of what went in, or None if the user
    closed it without importing anything."""
    dialog = ImportDialog(context, parent)
    try:
        dialog.exec()
        return dialog.imported_report
    finally:
        dialog.deleteLater()
