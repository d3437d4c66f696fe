"""Help → About: what this program is, which version, where its data lives."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from lawsup_desktop import __version__
from lawsup_desktop.domain.errors import LawsupError
from lawsup_desktop.services.check import schema_revisions
from lawsup_desktop.ui import i18n


class AboutDialog(QDialog):
    """Name, version, data folder, schema revision and the font's licence."""

    def __init__(self, data_folder: Path, database: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AboutDialog")
        self._data_folder = data_folder
        self._database = database
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        icon = QLabel(self)
        icon.setPixmap(QGuiApplication.windowIcon().pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel(self)
        self.text.setObjectName("about_text")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(420)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(icon)
        row.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.retranslate()

    def schema_revisions(self) -> tuple[str, str]:
        try:
            revision, head = schema_revisions(self._database)
        except LawsupError as exc:
            return exc.in_language(i18n.current_language()), "—"
        return revision or "—", head

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("关于"))
        title = self.tr("派出所法制监督员工作台")
        version = self.tr("lawsup 版本 {version}").format(version=__version__)
        folder = self.tr("数据文件夹：{path}").format(path=self._data_folder)
        revision, head = self.schema_revisions()
        schema = self.tr("数据库结构版本：{revision}（本程序：{head}）").format(
            revision=revision, head=head
        )
        font = self.tr(
            "界面字体为文泉驿微米黑（WenQuanYi Micro Hei），依照 Apache License 2.0 "
            "许可随本程序分发；许可证全文见程序资源中的 fonts/wqy-microhei.LICENSE.txt。"
        )
        rows = [
            f"<h3>{escape(title)}</h3>",
            f"<p>{escape(version)}</p>",
            f"<p>{escape(folder)}<br>{escape(schema)}</p>",
            f"<p>{escape(font)}</p>",
        ]
        self.text.setText("".join(rows))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
