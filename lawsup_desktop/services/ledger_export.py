"""The rectification ledger out of the program: an XLSX workbook and a landscape PDF
table, both for the ledger's current filter and sort, with the columns a bureau
ledger has.

Both are written to a temporary file beside the target and moved into place at
the end, so a cancelled or failed export never leaves half a file under the
name the user chose. openpyxl and reportlab are imported inside the functions:
the GUI's start pays for neither.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from lawsup_desktop.domain.errors import Text, ValidationError
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.services.rectifications import (
    DEFAULT_SORT,
    NO_FILTER,
    LedgerFilter,
    LedgerSort,
    RectificationRow,
    RectificationService,
)

FIELD_OUTPUT = Text("导出文件", "Output file")


@dataclass(frozen=True)
class LedgerColumn:
    header: Text
    value: Callable[[RectificationRow, str], str | date | None]
    pdf_width: float  # points, on landscape A4


def _label(row_value: Any, language: str) -> str:
    return str(row_value.label.in_language(language))


LEDGER_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn(Text("编号", "Number"), lambda r, _l: r.number, 72),
    LedgerColumn(Text("来源", "Source"), lambda r, lang: _label(r.source, lang), 50),
    LedgerColumn(
        Text("问题类型", "Problem type"),
        lambda r, lang: r.problem_type_en if lang.startswith("en") else r.problem_type, 62,
    ),
    LedgerColumn(Text("问题描述", "Description"), lambda r, _l: r.description, 150),
    LedgerColumn(Text("风险等级", "Risk"), lambda r, lang: _label(r.risk_level, lang), 34),
    LedgerColumn(Text("责任单位", "Unit"), lambda r, _l: r.unit_name, 62),
    LedgerColumn(Text("责任人", "Officer"), lambda r, _l: r.officer_name, 44),
    LedgerColumn(Text("整改期限", "Due date"), lambda r, _l: r.due_date, 56),
    LedgerColumn(Text("状态", "State"), lambda r, lang: _label(r.state, lang), 44),
    LedgerColumn(Text("整改措施", "Measures"), lambda r, _l: r.measures, 138),
    LedgerColumn(Text("销号日期", "Sign-off date"), lambda r, _l: r.signed_off_on, 56),
)
"""The bureau ledger's columns, in its order."""

LEDGER_TITLE = Text("整改台账", "Rectification ledger")

# Characters an XLSX cell cannot hold (XML 1.0 forbids most control characters).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CHUNK = 500


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def _check_target(target: Path) -> None:
    """Refuse a target that cannot be written before any work is done."""
    if target.is_dir():
        raise ValidationError(FIELD_OUTPUT, Text(f"“{target}”是文件夹", f"'{target}' is a folder"))
    if not target.parent.is_dir():
        raise ValidationError(
            FIELD_OUTPUT,
            Text(f"文件夹“{target.parent}”不存在", f"the folder '{target.parent}' does not exist"),
        )


@contextmanager
def _replacing(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it only on success."""
    _check_target(target)
    fd, name = tempfile.mkstemp(prefix=".export-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
    except PermissionError as exc:
        raise ValidationError(
            FIELD_OUTPUT,
            Text(
                f"无法写入“{target.name}”（文件可能正在 Excel 或其他程序中打开）",
                f"cannot write '{target.name}' (is it open in Excel or another program?)",
            ),
        ) from exc
    finally:
        temp.unlink(missing_ok=True)


def _chunks(
    service: RectificationService, flt: LedgerFilter, sort: LedgerSort, ctx: TaskContext,
    text: str,
) -> Iterator[RectificationRow]:
    ctx.report(0, None, text)
    ids = service.ids(flt, sort)
    total = len(ids)
    ctx.report(0, total, text)
    for start in range(0, total, _CHUNK):
        ctx.check_cancelled()
        rows = service.rows(ids[start:start + _CHUNK])
        yield from rows
        ctx.report(min(start + _CHUNK, total), total, text)


def export_xlsx(
    service: RectificationService, target: Path, flt: LedgerFilter = NO_FILTER,
    sort: LedgerSort = DEFAULT_SORT, ctx: TaskContext | None = None, *,
    station_name: str = "", language: str = "zh",
) -> ExportResult:
    """Write the filtered ledger to ``target`` (.xlsx): a title row, the header row,
    then one row per item. Dates are real dates; text is never read as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ctx = ctx or TaskContext()
    _check_target(target)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(LEDGER_TITLE.in_language(language)[:31])
    for index, column in enumerate(LEDGER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.pdf_width / 5.5
    sheet.freeze_panes = "A3"

    title = WriteOnlyCell(sheet, _title(station_name, service.today, language))
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    headers = []
    for column in LEDGER_COLUMNS:
        cell = WriteOnlyCell(sheet, column.header.in_language(language))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        headers.append(cell)
    sheet.append(headers)

    count = 0
    try:
        for row in _chunks(service, flt, sort, ctx, LEDGER_TITLE.in_language(language)):
            values: list[Any] = []
            for column in LEDGER_COLUMNS:
                value = column.value(row, language)
                if isinstance(value, str):
                    value = _ILLEGAL_XML.sub("", value)
                    if value.startswith("="):
                        # openpyxl would store it as a formula: keep it text.
                        cell = WriteOnlyCell(sheet, value)
                        cell.data_type = "s"
                        value = cell
                values.append(value)
            sheet.append(values)
            count += 1
        ctx.check_cancelled()
        with _replacing(target) as temp:
            workbook.save(temp)
    except BaseException:
        if not sheet.closed:
            _abandon(sheet)
        raise
    return ExportResult(target, count)


def _abandon(sheet: Any) -> None:
    """openpyxl streams a write-only sheet into a temporary file of its own and
    removes it only at exit; an export that stops half-way removes it now."""
    if sheet._rows is not None:
        sheet._rows.close()
    writer = sheet._writer
    if writer is not None:
        writer.close()
        writer.cleanup()


def _title(station_name: str, today: date, language: str) -> str:
    if language.startswith("en"):
        prefix = f"{station_name} " if station_name else ""
        return f"{prefix}{LEDGER_TITLE.en} (as of {today.isoformat()})"
    return f"{station_name}{LEDGER_TITLE.zh}（截至 {today.isoformat()}）"


def _printable(text: str) -> str:
    """Characters no bundled font can draw are shown as their code point ([U+4DAE]),
    so the printed ledger never drops a character silently."""
    from lawsup_desktop.pdf.fonts import missing_glyphs

    for char in missing_glyphs(text):
        text = text.replace(char, f"[U+{ord(char):04X}]")
    return text


def export_pdf(
    service: RectificationService, target: Path, flt: LedgerFilter = NO_FILTER,
    sort: LedgerSort = DEFAULT_SORT, ctx: TaskContext | None = None, *,
    station_name: str = "", language: str = "zh",
) -> ExportResult:
    """Write the filtered ledger to ``target`` (.pdf) as a landscape A4 table with the
    header repeated on every page and page numbers in the footer."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from lawsup_desktop.pdf.fonts import font_for, paragraph_markup, register_cjk_font

    ctx = ctx or TaskContext()
    _check_target(target)
    font = register_cjk_font()
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=9.5,
                                wordWrap="CJK")
    header_style = ParagraphStyle("head", parent=cell_style, fontSize=8,
                                  alignment=1)
    title_style = ParagraphStyle("title", fontName=font, fontSize=15, leading=20,
                                 alignment=1)
    header = [Paragraph(paragraph_markup(c.header.in_language(language)), header_style)
              for c in LEDGER_COLUMNS]
    widths = [c.pdf_width for c in LEDGER_COLUMNS]
    style = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ])
    title = _title(station_name, service.today, language)
    page_label = Text("第 {n} 页", "Page {n}")

    laying_out = Text("排版", "Laying out").in_language(language)

    def on_page(canvas: Canvas, doc: Any) -> None:
        # Layout of a long ledger takes a while: tell the page count, and stop here
        # when the user cancels (the temporary file is then removed).
        ctx.check_cancelled()
        page = page_label.format(n=doc.page).in_language(language)
        ctx.report(doc.page, None, f"{laying_out} {page}")
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 8 * mm,
                               page_label.format(n=doc.page).in_language(language))
        canvas.drawString(doc.leftMargin, 8 * mm, title)
        canvas.restoreState()

    story: list[Any] = [Paragraph(paragraph_markup(_printable(title)), title_style),
                        Spacer(1, 4 * mm)]
    block: list[list[Any]] = []
    count = 0

    def flush_block() -> None:
        # Many small tables lay out far faster than one table of 50,000 rows.
        if block:
            table = Table([header, *block], colWidths=widths, repeatRows=1)
            table.setStyle(style)
            story.append(table)
            block.clear()

    room = [c.pdf_width - 4.5 for c in LEDGER_COLUMNS]  # the cell's width less padding

    def cell(text: str, width: float) -> Any:
        # A Paragraph only where the text must wrap or needs the fallback font:
        # plain strings lay out many times faster, which counts for a long ledger.
        if ("\n" not in text and all(font_for(c) == font for c in set(text))
                and stringWidth(text, font, 7.5) <= width):
            return text
        return Paragraph(paragraph_markup(text), cell_style)

    for row in _chunks(service, flt, sort, ctx, LEDGER_TITLE.in_language(language)):
        cells: list[Any] = []
        for column, width in zip(LEDGER_COLUMNS, room, strict=True):
            value = column.value(row, language)
            text = "" if value is None else (
                value.isoformat() if isinstance(value, date) else _printable(value))
            cells.append(cell(text, width))
        block.append(cells)
        count += 1
        if len(block) == 40:
            flush_block()
    flush_block()
    if count == 0:
        nothing = Text("（无符合条件的整改事项）", "(no items match the filter)")
        story.append(Paragraph(paragraph_markup(nothing.in_language(language)), cell_style))
    ctx.check_cancelled()
    with _replacing(target) as temp:
        doc = SimpleDocTemplate(
            str(temp), pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
            topMargin=12 * mm, bottomMargin=15 * mm, title=title, author="lawsup",
        )
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return ExportResult(target, count)


def export_ledger(
    service: RectificationService, target: Path, flt: LedgerFilter = NO_FILTER,
    sort: LedgerSort = DEFAULT_SORT, ctx: TaskContext | None = None, *,
    station_name: str = "", language: str = "zh",
) -> ExportResult:
    """Export by the target's suffix: .xlsx or .pdf."""
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        return export_xlsx(service, target, flt, sort, ctx, station_name=station_name,
                           language=language)
    if suffix == ".pdf":
        return export_pdf(service, target, flt, sort, ctx, station_name=station_name,
                          language=language)
    raise ValidationError(
        FIELD_OUTPUT,
        Text(f"“{target.name}”：文件名须以 .xlsx 或 .pdf 结尾",
             f"'{target.name}': the name must end in .xlsx or .pdf"),
    )
