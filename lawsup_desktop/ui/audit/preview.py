"""The printed form inside the app: generated in the background, shown with
QtPdf, printed through the system print dialog, saved where the user says.

Characters the font lacks (生僻字) are never dropped silently: before the form
is generated the user is told which fields hold them and chooses to print each
as an empty box (to be written in by hand) or to cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.services.audits import AuditPrintData, AuditService
from lawsup_desktop.ui.context import AppContext

Rendered = tuple[AuditPrintData, bytes]


class PdfPreview(QWidget):
    ready = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdf_preview")
        self.context = context
        self.service = AuditService(context.db, context.workstation)
        self.audit_id: str | None = None
        self.revision: object = None
        self.pdf: bytes | None = None
        self.data: AuditPrintData | None = None
        self.busy = False
        self._buffer: QBuffer | None = None
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.status = QLabel(self)
        self.status.setObjectName("preview_status")
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("generate_pdf")
        self.refresh_button.clicked.connect(self.generate)
        self.print_button = QPushButton(self)
        self.print_button.setObjectName("print_pdf")
        self.print_button.clicked.connect(self.print_form)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("save_pdf")
        self.save_button.clicked.connect(self.save_as)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.refresh_button, self.print_button, self.save_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        self.retranslate()
        self.set_audit(None)

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("生成预览"))
        self.print_button.setText(self.tr("打印…"))
        self.save_button.setText(self.tr("另存为…"))

    def set_audit(self, audit_id: str | None, revision: object = None) -> None:
        """Show nothing until asked to generate; a changed form (another ``revision``)
        drops the old document, so a stale form is never printed."""
        if (audit_id, revision) != (self.audit_id, self.revision):
            self.document.close()
            self.pdf = None
            self.data = None
        self.audit_id = audit_id
        self.revision = revision
        self.refresh_button.setEnabled(audit_id is not None)
        self._update_buttons()
        if audit_id is None:
            self.status.setText(self.tr("本案尚无审核表"))
        elif self.pdf is None:
            self.status.setText("")

    def _update_buttons(self) -> None:
        self.print_button.setEnabled(self.pdf is not None)
        self.save_button.setEnabled(self.pdf is not None)

    # -- generating ---------------------------------------------------------------

    def generate(self) -> None:
        """Check the printable characters, ask if some are missing, then render."""
        audit_id = self.audit_id
        if audit_id is None or self.busy:
            return
        from lawsup_desktop.pdf.audit_form import unprintable_fields

        self.busy = True
        self.status.setText(self.tr("正在生成…"))

        def check(_ctx: object) -> tuple[AuditPrintData, list[str]]:
            data = self.service.print_data(audit_id)
            language = self.context.language
            return data, [p.message.in_language(language) for p in unprintable_fields(data)]

        self.context.tasks.run(check, self._checked, self._failed, parent_widget=self)

    def _checked(self, result: tuple[AuditPrintData, list[str]]) -> None:
        data, problems = result
        substitute = False
        if problems:
            answer = QMessageBox.warning(
                self, self.tr("有无法打印的字"),
                self.tr("以下内容含有字体缺少的字（生僻字）：\n\n{problems}\n\n"
                        "选择“是”：这些字印成空白方框，打印后手写补充；选择“否”：取消打印。")
                .format(problems="\n".join(problems)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.busy = False
                self.status.setText(self.tr("已取消"))
                return
            substitute = True
        from lawsup_desktop.pdf.audit_form import render_audit_form

        self.context.tasks.run(
            lambda _ctx: (data, render_audit_form(data, substitute_missing=substitute)),
            self._rendered, self._failed, parent_widget=self,
            progress_label=self.tr("正在生成审核表…"))

    def _rendered(self, result: Rendered) -> None:
        self.busy = False
        self.data, self.pdf = result
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(self.pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer
        self.document.load(buffer)
        self.status.setText(self.tr("{form_no}，共 {pages} 页").format(
            form_no=self.data.audit.form_no, pages=self.document.pageCount()))
        self._update_buttons()
        self.ready.emit()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.status.setText(self.tr("生成失败"))
        self.context.tasks.report_error(self, exc)

    # -- out --------------------------------------------------------------------------

    def save_as(self) -> Path | None:
        if self.pdf is None or self.data is None:
            return None
        from lawsup_desktop.services.audits import export_file_name

        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("另存为"), str(Path.home() / export_file_name(self.data)),
            self.tr("PDF 文件 (*.pdf)"))
        if not name:
            return None
        target = Path(name)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        try:
            target.write_bytes(self.pdf)
        except OSError as exc:
            self.context.tasks.report_error(self, exc)
            return None
        self.status.setText(self.tr("已保存到 {path}").format(path=str(target)))
        return target

    def print_form(self) -> None:
        if self.pdf is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: object) -> int:
        """Each page of the document as an image at the printer's resolution."""
        from PySide6.QtPrintSupport import QPrinter

        assert isinstance(printer, QPrinter)
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        pages = 0
        try:
            dpi = min(printer.resolution(), 300)
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                size = QSize(int(points.width() / 72 * dpi), int(points.height() / 72 * dpi))
                image = self.document.render(page, size)
                target = printer.pageLayout().paintRectPixels(printer.resolution())
                scaled = image.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                      Qt.TransformationMode.SmoothTransformation)
                painter.drawImage(QPointF(0, 0), scaled)
                pages += 1
        finally:
            painter.end()
        return pages
