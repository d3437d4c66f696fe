"""The import dialog (导入警情) driven as a supervisor would: a GBK export typed in,
its columns recognised, validated from the keyboard and imported; a file with
errors that shows its report and writes nothing; a cancel in the middle that
writes nothing; bad files that keep the mapping; the mapping offered again next
time; screenshots."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services import incident_import as service
from lawsup_desktop.services.incident_import import ImportField, ImportReport, MappingStore
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import AuditEntry, Incident
from lawsup_desktop.store.sync_models import SyncOutbox
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.app import configure_application
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.incident_import import dialog as dialog_module
from lawsup_desktop.ui.incident_import.dialog import ImportDialog, import_incidents_dialog
from lawsup_desktop.ui.preferences import Preferences
from lawsup_desktop.ui.tasks import TaskManager
from tests.gui.helpers import type_text
from tests.unit.incident_helpers import add_search_index, add_unit_with_officer

TIMEOUT_MS = 20000

# The platform's own header variants (警情编号, 接警时间, 事发地址 ...), not the first names.
HEADER = "警情编号,接警时间,警情类别,事发地址,警情内容,报警人,报警电话,管辖单位,处置结果,重点警情"
ROWS = [
    "JQ2026001,2026-11-20 08:30,刑事警情,城关镇中山路12号,电动车被盗,王芳,13812345678,"
    "城关派出所,刑事立案,",
    "JQ2026002,2026/11/20 09:15,治安,北大街5号,有人聚众赌博,李四,010-12345678,城关派出所,"
    "行政受案,涉赌",
    "JQ2026003,2026年11月21日10时05分,纠纷,南街,邻里纠纷,张三,,城关派出所,调解,",
]


def _write(path: Path, lines: list[str], encoding: str = "gbk") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def _counts(db: Database) -> tuple[int, int, int]:
    with db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Incident)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            session.scalar(select(func.count()).select_from(SyncOutbox)) or 0,
        )


@pytest.fixture
def context(
    qapp: QApplication, db: Database, folder: DataFolder, workstation: WorkstationInfo
) -> Iterator[AppContext]:
    configure_application(qapp)
    i18n.set_language("zh_CN")
    add_search_index(db)
    add_unit_with_officer(db, workstation, "城关派出所", "赵警官")
    tasks = TaskManager(show_delay_ms=0)
    yield AppContext(
        db=db,
        folder=folder,
        workstation=workstation,
        tasks=tasks,
        preferences=Preferences(folder.settings),
    )
    tasks.shutdown()


def _open(qtbot: QtBot, context: AppContext) -> ImportDialog:
    dialog = ImportDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # the Alt+letter mnemonics need the active window
    qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT_MS)
    return dialog


def _wait(qtbot: QtBot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: dialog.task is not None and dialog.task.done, timeout=TIMEOUT_MS)


def _load(qtbot: QtBot, dialog: ImportDialog, path: Path) -> None:
    """Type the file's path and press Enter, as a user would."""
    dialog.file_edit.clear()
    type_text(qtbot, dialog.file_edit, str(path))
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Return)
    _wait(qtbot, dialog)


def _choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Pick an item with the keyboard: focus the box, arrow keys to the item."""
    target = combo.findText(text)
    assert target >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setFocus()
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)


def _report_rows(dialog: ImportDialog) -> list[list[str]]:
    table = dialog.report_table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_gbk_export_validated_by_keyboard_then_imported(
    qtbot: QtBot, context: AppContext, tmp_path: Path, artifacts: Path
) -> None:
    path = _write(tmp_path / "警综导出.csv", [HEADER, *ROWS])
    dialog = _open(qtbot, context)
    assert not dialog.validate_button.isEnabled()  # nothing to validate yet
    _load(qtbot, dialog, path)

    assert "GBK" in dialog.file_info.text()
    mapping = dialog.current_mapping()
    assert mapping[ImportField.INCIDENT_NO] == "警情编号"
    assert mapping[ImportField.RECEIVED_AT] == "接警时间"
    assert mapping[ImportField.ADDRESS] == "事发地址"
    assert mapping[ImportField.UNIT] == "管辖单位"
    # The preview shows the rows as they will be read, under the field names.
    preview = dialog.preview_table
    headers = [preview.horizontalHeaderItem(c).text() for c in range(preview.columnCount())]
    assert preview.rowCount() == 3
    assert preview.item(1, headers.index("接警编号")).text() == "JQ2026002"
    assert preview.item(0, headers.index("发生地点")).text() == "城关镇中山路12号"
    assert dialog.grab().save(str(artifacts / "import_dialog.png"))

    # 校验 with Alt+V: the report, and nothing written.
    before = _counts(context.db)
    loaded = dialog.task
    dialog.activateWindow()  # back from the (closed) progress dialog
    qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT_MS)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    # The mnemonic "clicks" the button after its press animation.
    qtbot.waitUntil(lambda: dialog.task is not loaded, timeout=TIMEOUT_MS)
    _wait(qtbot, dialog)
    assert dialog.report is not None and dialog.report.ok and dialog.report.rows == 3
    assert "校验通过" in dialog.summary.text()
    assert _counts(context.db) == before

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    report = dialog.imported_report
    assert report is not None and report.committed and report.created == 3
    assert "新增3" in dialog.summary.text()
    incidents, audit, outbox = _counts(context.db)
    assert incidents == 3 and audit >= before[1] + 3 and outbox >= before[2] + 3
    with context.db.read() as session:
        row = session.scalars(select(Incident).where(Incident.incident_no == "JQ2026002")).one()
        assert row.address == "北大街5号" and row.is_key and row.unit_id is not None
    # The mapping is remembered for the next file.
    assert MappingStore(context.folder).last() == mapping


def test_file_with_errors_shows_the_report_and_writes_nothing(
    qtbot: QtBot, context: AppContext, tmp_path: Path, artifacts: Path
) -> None:
    bad = [
        ROWS[0],
        "JQ2026001,2026-11-20 09:00,治安,东街,重复的编号,甲,,城关派出所,调解,",
        "JQ2026005,昨天下午,治安,西街,时间写错,乙,,城关派出所,调解,",
        "JQ2026006,2026-11-22 10:00,,北街,没有类别,丙,,城关派出所,调解,",
        "JQ2026007,2026-11-22 11:00,治安,北街,单位不在名册,丁,,不存在的中队,调解,",
    ]
    path = _write(tmp_path / "errors.csv", [HEADER, *bad], "utf-8")
    dialog = _open(qtbot, context)
    _load(qtbot, dialog, path)
    before = _counts(context.db)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)

    assert dialog.imported_report is None
    assert _counts(context.db) == before
    rows = _report_rows(dialog)
    problems = {(r[0], r[1]) for r in rows if r[2] == "错误"}
    assert ("3", "警情编号") in problems  # the duplicate, naming the first one
    assert ("4", "接警时间") in problems
    assert ("5", "警情类别") in problems
    assert ("6", "管辖单位") in problems
    assert any("第2行已出现" in r[3] for r in rows)
    assert "未写入任何记录" in dialog.summary.text()
    assert "未写入任何记录" in dialog.message.text()
    assert dialog.tabs.currentIndex() == 1
    assert dialog.grab().save(str(artifacts / "import_report.png"))


def test_cancel_in_the_middle_writes_nothing(
    qtbot: QtBot,
    context: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [f"N{n:05d},2026-11-22 08:00,刑事,东街,x,甲,,城关派出所,," for n in range(6000)]
    path = _write(tmp_path / "big.csv", [HEADER, *rows], "utf-8")
    # Hold the worker after some batches were written until the user clicked 取消,
    # so the click surely lands in the middle of the import.
    clicked = threading.Event()
    real = service.import_incidents

    def held(*args: Any, **kwargs: Any) -> ImportReport:
        ctx: TaskContext = args[4]
        report = ctx.report
        calls = [0]

        def slow_report(done: int, total: int | None = None, text: str = "") -> None:
            report(done, total, text)
            calls[0] += 1
            if calls[0] == 5:  # 2,500 rows read, 2,000 flushed
                assert clicked.wait(TIMEOUT_MS / 1000)

        ctx.report = slow_report  # type: ignore[method-assign]
        return real(*args, **kwargs)

    monkeypatch.setattr(dialog_module, "import_incidents", held)
    dialog = _open(qtbot, context)
    _load(qtbot, dialog, path)
    before = _counts(context.db)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    task = dialog.task
    assert task is not None
    qtbot.waitUntil(lambda: task.progress_dialog is not None, timeout=TIMEOUT_MS)
    progress = task.progress_dialog
    assert progress is not None and progress.cancel_button is not None
    qtbot.waitUntil(lambda: progress.isVisible(), timeout=TIMEOUT_MS)
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    clicked.set()
    _wait(qtbot, dialog)

    assert task.state.value == "cancelled"
    assert dialog.imported_report is None
    assert "已取消" in dialog.message.text()
    assert _counts(context.db) == before
    assert dialog.import_button.isEnabled()  # and it can be run again


def test_bad_files_get_a_clear_message_and_keep_the_mapping(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    good = _write(tmp_path / "good.csv", [HEADER, *ROWS])
    dialog = _open(qtbot, context)
    _load(qtbot, dialog, good)
    _choose(qtbot, dialog.field_combos[ImportField.HANDLING_NOTES], "警情内容")
    _choose(qtbot, dialog.field_combos[ImportField.SUMMARY], "（不导入）")
    mapping = dialog.current_mapping()
    assert mapping[ImportField.HANDLING_NOTES] == "警情内容"

    cases = {
        "not-a-sheet.csv": (bytes(range(256)) * 40, "不是表格文件"),
        "empty.csv": (b"", "文件是空的"),
        "latin1.csv": (
            HEADER.encode("gbk") + b"\r\n" + "José,é".encode("latin-1") * 3 + b"\xff\r\n",
            "文件编码无法识别",
        ),
        "broken.xlsx": (b"PK\x03\x04" + b"\x00" * 200, "XLSX 文件已损坏"),
        "old.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "旧版 Excel"),
        "missing.csv": ("甲,乙,丙\r\n1,2,3\r\n".encode("gbk"), "请为这些字段选择"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        _load(qtbot, dialog, path)
        assert expected in dialog.message.text(), (name, dialog.message.text())
        if name != "missing.csv":
            assert not dialog.import_button.isEnabled(), name
            assert dialog.current_mapping() == mapping, name  # what the user chose stays
            assert any(expected in r[3] for r in _report_rows(dialog)), name
    assert _counts(context.db)[0] == 0

    # Back to the good file: the user's own choices are still there.
    _load(qtbot, dialog, good)
    assert dialog.current_mapping()[ImportField.HANDLING_NOTES] == "警情内容"
    assert ImportField.SUMMARY not in dialog.current_mapping()


def test_mapping_by_hand_is_offered_next_time_and_can_be_named(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    lines = [
        "单号,时间,性质,情况",
        "X1,2026-11-22 08:00,刑事,被盗",
        "X2,2026-11-22 09:00,治安,打架",
    ]
    first = _write(tmp_path / "县局1.csv", lines)
    dialog = _open(qtbot, context)
    _load(qtbot, dialog, first)
    assert "请为这些字段选择" in dialog.message.text()  # unusual headers: not recognised
    for target, header in [
        (ImportField.INCIDENT_NO, "单号"),
        (ImportField.RECEIVED_AT, "时间"),
        (ImportField.CATEGORY, "性质"),
        (ImportField.SUMMARY, "情况"),
    ]:
        _choose(qtbot, dialog.field_combos[target], header)
    type_text(qtbot, dialog.name_edit, "县局平台")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert "县局平台" in dialog.message.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.imported_report is not None and dialog.imported_report.created == 2
    dialog.close()

    # Next time: the remembered mapping is offered for a file of the same kind.
    second = _write(tmp_path / "县局2.csv", [lines[0], "X3,2026-11-23 08:00,纠纷,吵架"])
    again = _open(qtbot, context)
    _load(qtbot, again, second)
    assert again.current_mapping() == {
        ImportField.INCIDENT_NO: "单号",
        ImportField.RECEIVED_AT: "时间",
        ImportField.CATEGORY: "性质",
        ImportField.SUMMARY: "情况",
    }
    assert not again.message.isVisible()
    # A standard export afterwards gets its own columns, not the stale ones.
    standard = _write(tmp_path / "standard.csv", [HEADER, *ROWS])
    _load(qtbot, again, standard)
    assert again.current_mapping()[ImportField.INCIDENT_NO] == "警情编号"
    # ... and the named mapping can be picked from the list.
    names = [again.saved_combo.itemText(i) for i in range(again.saved_combo.count())]
    assert "县局平台" in names
    _load(qtbot, again, second)
    _choose(qtbot, again.field_combos[ImportField.SUMMARY], "（不导入）")
    _choose(qtbot, again.saved_combo, "县局平台")
    assert again.current_mapping()[ImportField.SUMMARY] == "情况"


def test_entry_point_returns_what_went_in(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    path = _write(tmp_path / "a.csv", [HEADER, *ROWS])
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[ImportDialog] = []

    def drive() -> None:
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, ImportDialog) and w.isVisible()
        )
        seen.append(dialog)
        # Closed once the import's callbacks are all done (a close while the task
        # still delivers would be taken as a cancel).
        dialog.imported.connect(lambda _report: QTimer.singleShot(0, dialog.close_button.click))
        dialog.file_edit.setText(str(path))
        dialog.read_button.click()
        assert dialog.task is not None
        dialog.task.finished.connect(dialog.import_button.click)

    QTimer.singleShot(0, drive)
    report = import_incidents_dialog(parent, context)
    assert seen and report is not None and report.created == 3
    assert _counts(context.db)[0] == 3

    QTimer.singleShot(
        0,
        lambda: next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, ImportDialog) and w.isVisible()
        ).close_button.click(),
    )
    assert import_incidents_dialog(parent, context) is None  # closed without importing


def test_ctrl_i_in_the_main_window_opens_the_dialog(qtbot: QtBot, context: AppContext) -> None:
    from lawsup_desktop.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
    assert window.import_action in window.file_menu.actions()
    opened: list[str] = []

    def close_it() -> None:
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, ImportDialog) and w.isVisible()
        )
        opened.append(dialog.windowTitle())
        dialog.close_button.click()

    QTimer.singleShot(0, close_it)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert opened == ["导入警情"]


def test_in_english_the_report_and_messages_follow(
    qtbot: QtBot, context: AppContext, tmp_path: Path, artifacts: Path
) -> None:
    path = _write(tmp_path / "errors.csv", [HEADER, ROWS[0], ROWS[0]])
    dialog = _open(qtbot, context)
    i18n.set_language("en")  # switched while the dialog is open: it retranslates
    try:
        qtbot.waitUntil(lambda: dialog.windowTitle() == "Import incidents", timeout=TIMEOUT_MS)
        _load(qtbot, dialog, path)
        assert dialog.validate_button.text() == "&Validate"
        assert dialog.field_labels[ImportField.INCIDENT_NO].text() == "Incident number *"
        qtbot.mouseClick(dialog.validate_button, Qt.MouseButton.LeftButton)
        _wait(qtbot, dialog)
        rows = _report_rows(dialog)
        assert rows[0][:3] == ["3", "警情编号", "Error"], rows
        assert "already appears on row 2" in rows[0][3]
        assert "nothing was written" in dialog.summary.text()
        assert dialog.grab().save(str(artifacts / "import_report_en.png"))
    finally:
        i18n.set_language("zh_CN")


def test_a_damaged_mapping_file_is_named_and_the_import_still_works(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    mappings = MappingStore(context.folder).path
    mappings.parent.mkdir(parents=True, exist_ok=True)
    mappings.write_bytes(b"{not json")
    dialog = _open(qtbot, context)
    assert "已损坏" in dialog.message.text() and str(mappings) in dialog.message.text()
    _load(qtbot, dialog, _write(tmp_path / "a.csv", [HEADER, *ROWS]))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.imported_report is not None and dialog.imported_report.created == 3
    assert "已损坏" in dialog.message.text()  # the mapping could not be remembered: said so
    assert mappings.read_bytes() == b"{not json"  # and the file is left for the user to see


@pytest.mark.parametrize(
    ("language", "foreign"),
    [("en", r"[\u4e00-\u9fff]"), ("zh_CN", r"[A-Za-z]")],
)
def test_progress_texts_are_in_the_ui_language_only(
    qtbot: QtBot,
    context: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    foreign: str,
) -> None:
    """What the progress dialog shows under its label, while validating and importing:
    in the language the UI is in, never both."""
    import re

    rows = [f"P{n:05d},2026-11-22 08:00,刑事,东街,x,甲,,城关派出所,," for n in range(1200)]
    path = _write(tmp_path / "progress.csv", [HEADER, *rows], "utf-8")
    texts: list[str] = []
    real = TaskContext.report

    def recorded(self: TaskContext, done: int, total: int | None = None, text: str = "") -> None:
        texts.append(text)
        real(self, done, total, text)

    monkeypatch.setattr(TaskContext, "report", recorded)
    i18n.set_language(language)
    try:
        dialog = _open(qtbot, context)
        _load(qtbot, dialog, path)
        qtbot.mouseClick(dialog.validate_button, Qt.MouseButton.LeftButton)
        _wait(qtbot, dialog)
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        _wait(qtbot, dialog)
        assert dialog.imported_report is not None and dialog.imported_report.created == 1200
    finally:
        i18n.set_language("zh_CN")
    shown = [t for t in texts if t]
    # Rows 500 and 1000 of each pass, and the search index at the end of the import.
    assert len(shown) >= 5, texts
    row_500 = "row 501" if language == "en" else "第501行"  # the header is row 1
    assert row_500 in shown, shown
    assert all(not re.search(foreign, t) for t in shown), shown
