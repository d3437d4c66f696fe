"""Export the incident list as it is filtered and sorted on screen, to XLSX.

The headers are the platform's own (those the importer recognises), so an
exported file can be imported again. Rows are written in a stream (openpyxl
write-only mode) and into a temporary file that replaces the target only when
complete: a cancel or an error never leaves a half-written spreadsheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.services.incidents import IncidentFilter, IncidentQuery, IncidentRow, SortKey
from lawsup_desktop.services.progress import TaskContext

_CHUNK = 1000

COLUMNS: tuple[tuple[Text, float], ...] = (
    (Text("接警编号", "Incident number"), 22),
    (Text("报警时间", "Time received"), 18),
    (Text("警情类别", "Category"), 8),
    (Text("重点警情类别", "Key category"), 10),
    (Text("发生地点", "Address"), 30),
    (Text("简要警情", "Summary"), 50),
    (Text("报警人", "Caller"), 10),
    (Text("联系电话", "Caller's phone"), 14),
    (Text("处警单位", "Handling unit"), 16),
    (Text("处警结果", "Disposition"), 14),
    (Text("盯警状态", "Watch state"), 10),
    (Text("回访状态", "Follow-up"), 10),
    (Text("回访期限", "Follow-up due"), 11),
)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def _cells(row: IncidentRow, language: str) -> list[object]:
    def label(value: object) -> str:
        text = getattr(value, "label", None)
        return text.in_language(language) if isinstance(text, Text) else ""

    return [
        row.incident_no,
        row.received_at,
        label(row.category),
        label(row.key_category),
        row.address,
        row.summary,
        row.caller_name,
        row.caller_phone,
        row.unit_name,
        label(row.disposition),
        label(row.watch_state) if row.is_key else "",
        label(row.follow_up_status),
        row.follow_up_due,
    ]


def export_incidents_xlsx(
    query: IncidentQuery,
    target: Path,
    f: IncidentFilter | None = None,
    sort: SortKey = SortKey.RECEIVED_AT,
    descending: bool = True,
    *,
    language: str = "zh",
    ctx: TaskContext | None = None,
    today: dt.date | None = None,
) -> ExportResult:
    """Write every incident the filter lets through, in the sort's order."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    ctx = ctx or TaskContext()
    today = today or dt.date.today()
    ids = query.ids(f or IncidentFilter(), sort, descending, today=today)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("警情" if language.startswith("zh") else "Incidents")
    for letter, (_, width) in zip("ABCDEFGHIJKLM", COLUMNS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=text.in_language(language))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    stamp = "yyyy-mm-dd hh:mm"
    try:
        for start in range(0, len(ids), _CHUNK):
            ctx.check_cancelled()
            for row in query.rows(ids[start : start + _CHUNK], today=today):
                values = _cells(row, language)
                cell = WriteOnlyCell(sheet, value=values[1])
                cell.number_format = stamp
                values[1] = cell
                sheet.append(values)
            ctx.report(min(start + _CHUNK, len(ids)), len(ids), "导出 / exporting")
    except BaseException:
        sheet.close()  # the write-only sheet holds an open temporary file until closed
        raise
    target = target.expanduser()
    temporary = target.with_name(f".{target.name}.partial")
    try:
        workbook.save(temporary)
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise LawsupError(
            Text(f"无法写入 {target}（{exc.strerror}）", f"cannot write {target} ({exc.strerror})")
        ) from exc
    return ExportResult(target, len(ids))
