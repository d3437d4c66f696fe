"""Importing incidents from the police platform's exports: CSV (UTF-8 with or
without BOM, GBK/GB18030, detected) and XLSX.

The steps the UI walks through, each callable on its own:

1. :func:`preview` — the file's kind, encoding, header row, first rows and the
   mapping recognised from the usual headers (:data:`HEADER_VARIANTS`).
2. :func:`validate` — one streaming pass that writes nothing and returns the
   report: every problem with its row, column and what is wrong.
3. :func:`import_incidents` — the same pass again, writing in ONE transaction;
   any error (or a cancel) rolls the whole file back. Re-importing updates
   incidents by incident number and never duplicates them.

Files are read as streams (csv module over an incremental decoder; openpyxl in
read-only mode), so a 100 MB export is never held in memory.

Unit names are matched against the roster. An unknown unit is an error unless
the caller passes ``create_units=True`` (CLI ``--create-units``): units are
reference data the bureau also syncs, so the program does not invent them
behind the supervisor's back; the report says which would be created.

Saved mappings live in ``import-mappings.json`` in the data folder: the CLI has
no Qt (so no QSettings), and the mapping belongs with the station's data and
its backups rather than with one Windows user's profile.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lawsup_desktop.domain.errors import LawsupError, Text, ValidationError
from lawsup_desktop.domain.validation import normalize_phone, parse_datetime
from lawsup_desktop.domain.vocabulary import Disposition, IncidentCategory, KeyCategory
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.store.audit import Actor
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Incident, Station, Unit
from lawsup_desktop.store.search import search_index_exists, sync_search_index


class ImportField(StrEnum):
    INCIDENT_NO = "incident_no"
    RECEIVED_AT = "received_at"
    CATEGORY = "category"
    KEY_CATEGORY = "key_category"
    ADDRESS = "address"
    SUMMARY = "summary"
    CALLER_NAME = "caller_name"
    CALLER_PHONE = "caller_phone"
    UNIT = "unit"
    DISPOSITION = "disposition"
    HANDLING_NOTES = "handling_notes"

    @property
    def label(self) -> Text:
        return _FIELD_LABELS[self]


_FIELD_LABELS = {
    ImportField.INCIDENT_NO: Text("接警编号", "Incident number"),
    ImportField.RECEIVED_AT: Text("报警时间", "Time received"),
    ImportField.CATEGORY: Text("警情类别", "Category"),
    ImportField.KEY_CATEGORY: Text("重点警情类别", "Key category"),
    ImportField.ADDRESS: Text("发生地点", "Address"),
    ImportField.SUMMARY: Text("简要警情", "Summary"),
    ImportField.CALLER_NAME: Text("报警人", "Caller"),
    ImportField.CALLER_PHONE: Text("联系电话", "Caller's phone"),
    ImportField.UNIT: Text("处警单位", "Handling unit"),
    ImportField.DISPOSITION: Text("处警结果", "Disposition"),
    ImportField.HANDLING_NOTES: Text("处警情况", "Handling notes"),
}

REQUIRED_FIELDS = (ImportField.INCIDENT_NO, ImportField.RECEIVED_AT, ImportField.CATEGORY)

HEADER_VARIANTS: dict[ImportField, tuple[str, ...]] = {
    ImportField.INCIDENT_NO: ("接警编号", "警情编号", "接警单编号", "警情号", "接警单号"),
    ImportField.RECEIVED_AT: ("报警时间", "接警时间", "报警日期", "接警日期", "受理时间"),
    ImportField.CATEGORY: ("警情类别", "警情类型", "警情性质", "类别"),
    ImportField.KEY_CATEGORY: ("重点警情类别", "重点警情", "重点类别", "重点警情类型"),
    ImportField.ADDRESS: ("发生地点", "事发地址", "事发地点", "发案地点", "案发地址", "地址"),
    ImportField.SUMMARY: ("简要警情", "警情内容", "报警内容", "简要案情", "警情简要"),
    ImportField.CALLER_NAME: ("报警人", "报警人姓名", "报警人员"),
    ImportField.CALLER_PHONE: ("联系电话", "报警电话", "报警人电话", "报警人联系电话"),
    ImportField.UNIT: ("处警单位", "管辖单位", "处警单位名称", "责任单位"),
    ImportField.DISPOSITION: ("处警结果", "处置结果", "处理结果"),
    ImportField.HANDLING_NOTES: ("处警情况", "处置情况", "处警反馈", "反馈内容", "处警说明"),
}
"""Headers of the platform's exports and their common variants, per field."""

MAX_REPORTED_PROBLEMS = 1000
MAPPINGS_FILE = "import-mappings.json"
_HEADER_SEARCH_ROWS = 10  # exports often put a title row or two above the header
_CHUNK = 1 << 20
_BATCH = 1000
IMPORT_CACHE_KIB = -131072  # 128 MiB (negative: KiB, as SQLite's PRAGMA wants it)

ColumnMapping = dict[ImportField, str]
"""Which column (by its header text) feeds each field."""


class Severity(StrEnum):
    ERROR = "error"  # the file cannot be imported until it is fixed
    WARNING = "warning"  # imported, but the supervisor should know


@dataclass(frozen=True)
class ImportProblem:
    row: int | None  # the row number as a spreadsheet shows it (1 = first line); None: file
    column: str  # the header text, or "" for the file or the whole row
    problem: Text
    severity: Severity = Severity.ERROR


class ImportFileError(LawsupError):
    """The file as a whole cannot be read (empty, not a spreadsheet, wrong encoding...)."""

    def __init__(self, message: Text, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


@dataclass
class ImportReport:
    file: str
    kind: str = ""
    encoding: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    committed: bool = False

    def add(self, problem: ImportProblem) -> None:
        if problem.severity == Severity.ERROR:
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.problems) < MAX_REPORTED_PROBLEMS:
            self.problems.append(problem)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def summary(self) -> Text:
        written = "已写入" if self.committed else "未写入任何记录"
        written_en = "written" if self.committed else "nothing was written"
        return Text(
            f"共{self.rows}行：新增{self.created}，更新{self.updated}，未变{self.unchanged}；"
            f"错误{self.errors}，提示{self.warnings}；{written}",
            f"{self.rows} rows: {self.created} new, {self.updated} updated, "
            f"{self.unchanged} unchanged; {self.errors} errors, {self.warnings} warnings; "
            f"{written_en}",
        )


# --- reading the file ------------------------------------------------------------


def _normalise_header(value: object) -> str:
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return "".join(text.split()).strip("*：:")


def recognise(headers: list[str]) -> ColumnMapping:
    """The mapping the usual headers suggest (each header used at most once)."""
    normalised = {_normalise_header(h): h for h in headers if _normalise_header(h)}
    mapping: ColumnMapping = {}
    for target, variants in HEADER_VARIANTS.items():
        for variant in variants:
            if variant in normalised and normalised[variant] not in mapping.values():
                mapping[target] = normalised[variant]
                break
    return mapping


class _CountingReader(io.RawIOBase):
    """Counts the bytes read, for progress over a file whose row count is unknown."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


_NOT_A_SPREADSHEET = Text(
    "不是表格文件（CSV 或 XLSX），无法导入", "is not a spreadsheet (CSV or XLSX); cannot import it"
)


def _detect_encoding(path: Path) -> str:
    """Strict decodes in order: UTF-8 (BOM or not), then GB18030 (a superset of GBK).
    The whole file is checked, in chunks: a bad byte on row 90,000 still counts."""
    with path.open("rb") as f:
        head = f.read(4096)
    if b"\x00" in head:
        raise ImportFileError(_NOT_A_SPREADSHEET)
    candidates = ["utf-8-sig"] if head.startswith(codecs.BOM_UTF8) else ["utf-8", "gb18030"]
    failures: list[tuple[str, int]] = []
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        lines = 1
        try:
            with path.open("rb") as f:
                while chunk := f.read(_CHUNK):
                    lines += decoder.decode(chunk).count("\n")
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError as exc:
            prefix = exc.object[: exc.start]
            lines += bytes(prefix).count(b"\n")
            failures.append((encoding, lines))
    names = "、".join(
        f"{'UTF-8' if e.startswith('utf') else 'GBK/GB18030'}（第{n}行）" for e, n in failures
    )
    names_en = ", ".join(
        f"{'UTF-8' if e.startswith('utf') else 'GBK/GB18030'} (row {n})" for e, n in failures
    )
    raise ImportFileError(
        Text(
            f"文件编码无法识别：按 {names} 解码出错。请另存为 UTF-8 或 GBK 编码的 CSV",
            f"unknown text encoding: decoding failed as {names_en}. "
            "Save the file as CSV in UTF-8 or GBK",
        ),
        row=max(n for _, n in failures),
    )


@dataclass
class _Source:
    kind: str
    encoding: str
    size: int
    rows: Iterator[tuple[int, list[object]]]
    position: Any  # () -> (done, total) for progress
    close: Any


def _open_csv(path: Path) -> _Source:
    encoding = _detect_encoding(path)
    raw = path.open("rb")
    counter = _CountingReader(raw)
    text = io.TextIOWrapper(io.BufferedReader(counter, _CHUNK), encoding=encoding, newline="")
    first = text.readline()
    delimiter = max(",\t;", key=first.count) if first else ","
    if first and first.count(delimiter) == 0:
        delimiter = ","

    def rows() -> Iterator[tuple[int, list[object]]]:
        reader = csv.reader(_chain(first, text), delimiter=delimiter)
        try:
            for number, row in enumerate(reader, start=1):
                yield number, list(row)
        except csv.Error as exc:
            raise ImportFileError(
                Text(f"CSV 格式错误：{exc}", f"malformed CSV: {exc}"), row=reader.line_num
            ) from exc

    size = path.stat().st_size
    return _Source(
        "CSV",
        "GBK/GB18030" if encoding == "gb18030" else "UTF-8",
        size,
        rows(),
        lambda: (counter.count, size),
        text.close,
    )


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def _open_xlsx(path: Path) -> _Source:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # A file object: openpyxl judges a path by its extension, we by its content.
    handle = path.open("rb")
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        handle.close()
        raise ImportFileError(
            Text("XLSX 文件已损坏或不是 Excel 工作簿", "the XLSX file is damaged or not a workbook")
        ) from exc
    sheet = workbook.worksheets[0]
    total = sheet.max_row or 0
    state = {"row": 0}

    def rows() -> Iterator[tuple[int, list[object]]]:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            state["row"] = number
            yield number, list(values)

    def close() -> None:
        workbook.close()
        handle.close()

    return _Source(
        "XLSX", "", path.stat().st_size, rows(), lambda: (state["row"], total or None), close
    )


def _open(path: Path) -> _Source:
    if not path.is_file():
        raise ImportFileError(Text(f"找不到文件 {path}", f"no such file: {path}"))
    if path.stat().st_size == 0:
        raise ImportFileError(Text("文件是空的", "the file is empty"))
    with path.open("rb") as f:
        magic = f.read(8)
    if magic.startswith(b"PK\x03\x04"):
        return _open_xlsx(path)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            Text(
                "这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入",
                "this is an old Excel .xls file; save it as .xlsx or CSV first",
            )
        )
    return _open_csv(path)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # numbers typed as numbers in Excel: 2026001.0 -> 2026001
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value).strip()


@dataclass(frozen=True)
class _Layout:
    header_row: int
    headers: list[str]
    columns: dict[ImportField, int]


def _find_header(
    rows: Iterator[tuple[int, list[object]]], mapping: ColumnMapping | None
) -> tuple[_Layout, list[tuple[int, list[object]]]]:
    """The header row (the first of the first rows that names at least two known or
    mapped columns), and the rows read past it."""
    seen: list[tuple[int, list[object]]] = []
    for number, values in rows:
        seen.append((number, values))
        headers = [_cell_text(v) for v in values]
        wanted = set(mapping.values()) if mapping else set()
        known = recognise(headers)
        hits = sum(1 for h in headers if h and h in wanted) if mapping else len(known)
        if hits >= 2:
            columns: dict[ImportField, int] = {}
            index = {h: n for n, h in reversed(list(enumerate(headers))) if h}
            for target, header in (mapping or known).items():
                if header in index:
                    columns[ImportField(target)] = index[header]
            return _Layout(number, headers, columns), []
        if len(seen) >= _HEADER_SEARCH_ROWS:
            break
    if not seen or all(not any(_cell_text(v) for v in values) for _, values in seen):
        raise ImportFileError(Text("文件是空的", "the file is empty"))
    raise ImportFileError(
        Text(
            "在前10行中找不到表头（如 接警编号、报警时间、警情类别），不是警情导出表",
            "no header row in the first 10 rows (such as 接警编号, 报警时间, 警情类别); "
            "this is not an incident export",
        ),
        row=1,
    )


# --- preview ------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    kind: str
    encoding: str
    header_row: int
    headers: list[str]
    rows: list[list[str]]
    mapping: ColumnMapping
    """The recognised (or given) mapping, restricted to headers the file has."""
    unmapped_headers: list[str]


def preview(path: Path, mapping: ColumnMapping | None = None, rows: int = 20) -> Preview:
    """The first rows of the file and how its columns would be read."""
    source = _open(path)
    try:
        layout, _ = _find_header(source.rows, mapping)
        first: list[list[str]] = []
        for _number, values in source.rows:
            if len(first) >= rows:
                break
            first.append([_cell_text(v) for v in values])
    finally:
        source.close()
    used = {f: layout.headers[i] for f, i in layout.columns.items()}
    return Preview(
        kind=source.kind,
        encoding=source.encoding,
        header_row=layout.header_row,
        headers=layout.headers,
        rows=first,
        mapping=used,
        unmapped_headers=[h for h in layout.headers if h and h not in used.values()],
    )


# --- parsing rows ---------------------------------------------------------------------

_CATEGORY_WORDS: tuple[tuple[IncidentCategory, tuple[str, ...]], ...] = (
    (IncidentCategory.CRIMINAL, ("刑事",)),
    (IncidentCategory.PUBLIC_ORDER, ("治安",)),
    (IncidentCategory.DISPUTE, ("纠纷",)),
    (IncidentCategory.TRAFFIC, ("交通",)),
    (IncidentCategory.ASSISTANCE, ("求助", "救助")),
    (IncidentCategory.FIRE, ("火",)),
    (IncidentCategory.OTHER, ("其他", "其它")),
)
_KEY_WORDS: tuple[tuple[KeyCategory, tuple[str, ...]], ...] = (
    (KeyCategory.VICE, ("黄",)),
    (KeyCategory.GAMBLING, ("赌",)),
    (KeyCategory.GANG, ("黑", "恶")),
    (KeyCategory.FRAUD, ("诈",)),
)
_DISPOSITION_WORDS: tuple[tuple[Disposition, tuple[str, ...]], ...] = (
    (Disposition.NOT_ACCEPTED, ("不予",)),
    (Disposition.CRIMINAL_CASE, ("刑事", "立案")),
    (Disposition.ADMINISTRATIVE_CASE, ("行政", "受案")),
    (Disposition.MEDIATION, ("调解",)),
    (Disposition.ON_THE_SPOT_PENALTY, ("当场",)),
    (Disposition.TRANSFERRED, ("移交", "移送")),
    (Disposition.OTHER, ("其他", "其它")),
)
_NO_KEY = frozenset({"", "否", "无", "非重点", "-"})
_LIMITS = {
    ImportField.INCIDENT_NO: 64,
    ImportField.ADDRESS: 300,
    ImportField.CALLER_NAME: 50,
    ImportField.CALLER_PHONE: 30,
    ImportField.UNIT: 100,
}


def _by_words(value: str, table: tuple[tuple[Any, tuple[str, ...]], ...]) -> Any:
    for member, words in table:
        if value == member.value or value == member.label.zh or any(w in value for w in words):
            return member
    return None


@dataclass
class _RowParser:
    layout: _Layout
    units: dict[str, str]  # unit name -> id
    create_units: bool
    report: ImportReport
    seen: dict[str, int] = field(default_factory=dict)  # incident_no -> first row
    new_units: set[str] = field(default_factory=set)

    def _problem(
        self,
        row: int,
        target: ImportField | None,
        problem: Text,
        severity: Severity = Severity.ERROR,
    ) -> None:
        column = self.layout.headers[self.layout.columns[target]] if target else ""
        self.report.add(ImportProblem(row, column, problem, severity))

    def parse(self, number: int, values: list[object]) -> dict[str, Any] | None:
        """The incident's columns, or None when the row has errors (reported)."""
        width = len(self.layout.headers)
        extra = [v for v in values[width:] if _cell_text(v)]
        errors_before = self.report.errors
        if extra:
            self._problem(
                number,
                None,
                Text(
                    f"本行有{width + len(extra)}列数据，表头只有{width}列",
                    f"the row has {width + len(extra)} cells but the header has {width} columns",
                ),
            )

        def cell(target: ImportField) -> object:
            index = self.layout.columns.get(target)
            return values[index] if index is not None and index < len(values) else None

        def text(target: ImportField) -> str:
            value = _cell_text(cell(target))
            limit = _LIMITS.get(target)
            if limit and len(value) > limit:
                self._problem(number, target, Text(f"超过{limit}个字", f"longer than {limit}"))
            return value

        out: dict[str, Any] = {}
        incident_no = text(ImportField.INCIDENT_NO)
        if not incident_no:
            self._problem(number, ImportField.INCIDENT_NO, Text("为空", "is empty"))
        elif incident_no in self.seen:
            first = self.seen[incident_no]
            self._problem(
                number,
                ImportField.INCIDENT_NO,
                Text(
                    f"编号 {incident_no} 在第{first}行已出现（文件内重复）",
                    f"number {incident_no} already appears on row {first} (duplicate in the file)",
                ),
            )
        else:
            self.seen[incident_no] = number
        out["incident_no"] = incident_no

        received = cell(ImportField.RECEIVED_AT)
        if isinstance(received, dt.datetime):
            out["received_at"] = received.replace(tzinfo=None, microsecond=0)
        else:
            try:
                out["received_at"] = parse_datetime(
                    _cell_text(received), ImportField.RECEIVED_AT.label
                )
            except ValidationError as exc:
                self._problem(
                    number,
                    ImportField.RECEIVED_AT,
                    Text(
                        f"“{_cell_text(received)}”：{exc.problem.zh}",
                        f"'{_cell_text(received)}': {exc.problem.en}",
                    ),
                )

        category_text = text(ImportField.CATEGORY)
        category = _by_words(category_text, _CATEGORY_WORDS)
        if not category_text:
            self._problem(number, ImportField.CATEGORY, Text("为空", "is empty"))
        elif category is None:
            self._problem(
                number,
                ImportField.CATEGORY,
                Text(
                    f"“{category_text}”不是已知类别，按“其他”导入",
                    f"'{category_text}' is not a known category; imported as Other",
                ),
                Severity.WARNING,
            )
        out["category"] = category or IncidentCategory.OTHER

        key_text = text(ImportField.KEY_CATEGORY)
        key = None if key_text in _NO_KEY else _by_words(key_text, _KEY_WORDS)
        if key is None and key_text not in _NO_KEY:
            self._problem(
                number,
                ImportField.KEY_CATEGORY,
                Text(
                    f"“{key_text}”不是重点警情类别（涉黄、涉赌、涉黑恶、涉诈骗）",
                    f"'{key_text}' is not a key category (vice, gambling, gang, fraud)",
                ),
            )
        out["key_category"] = key
        out["is_key"] = key is not None

        for target in (
            ImportField.ADDRESS,
            ImportField.SUMMARY,
            ImportField.CALLER_NAME,
            ImportField.HANDLING_NOTES,
        ):
            out[target.value] = text(target)

        phone = text(ImportField.CALLER_PHONE)
        if phone:
            try:
                phone = normalize_phone(phone, ImportField.CALLER_PHONE.label)
            except ValidationError as exc:
                self._problem(
                    number,
                    ImportField.CALLER_PHONE,
                    Text(
                        f"“{phone}”：{exc.problem.zh}（按原样导入）",
                        f"'{phone}': {exc.problem.en} (imported as it is)",
                    ),
                    Severity.WARNING,
                )
        out["caller_phone"] = phone

        unit_name = _normalise_header(text(ImportField.UNIT))
        out["unit_id"] = None
        if unit_name:
            if unit_name in self.units:
                out["unit_id"] = self.units[unit_name]
            elif self.create_units:
                self.new_units.add(unit_name)
                out["unit_name"] = unit_name
            else:
                self._problem(
                    number,
                    ImportField.UNIT,
                    Text(
                        f"单位“{unit_name}”不在单位名册中（先在名册中添加，或选择导入时新建单位）",
                        f"unit '{unit_name}' is not on the roster (add it first, or let the import "
                        "create units)",
                    ),
                )

        disposition_text = text(ImportField.DISPOSITION)
        disposition = _by_words(disposition_text, _DISPOSITION_WORDS) if disposition_text else None
        if disposition_text and disposition is None:
            self._problem(
                number,
                ImportField.DISPOSITION,
                Text(
                    f"“{disposition_text}”不是已知处置结果，按“其他”导入",
                    f"'{disposition_text}' is not a known disposition; imported as Other",
                ),
                Severity.WARNING,
            )
            disposition = Disposition.OTHER
        out["disposition"] = disposition
        return out if self.report.errors == errors_before else None


# --- the passes --------------------------------------------------------------------------


def _unit_names(session: Session) -> dict[str, str]:
    return {
        _normalise_header(u.name): u.id
        for u in session.scalars(select(Unit).where(Unit.deleted_at.is_(None)))
    }


def _check_layout(layout: _Layout, mapping: ColumnMapping | None, report: ImportReport) -> None:
    for target, header in (mapping or {}).items():
        if ImportField(target) not in layout.columns:
            report.add(
                ImportProblem(
                    layout.header_row,
                    header,
                    Text(
                        f"映射的列“{header}”（{ImportField(target).label.zh}）在文件中不存在",
                        f"the mapped column '{header}' ({ImportField(target).label.en})"
                        " is not in the file",
                    ),
                )
            )
    for target in REQUIRED_FIELDS:
        if target not in layout.columns:
            report.add(
                ImportProblem(
                    layout.header_row,
                    target.label.zh,
                    Text(
                        f"缺少必需的列“{target.label.zh}”",
                        f"the required column '{target.label.zh}' ({target.label.en}) is missing",
                    ),
                )
            )
    used = set(layout.columns.values())
    for n, header in enumerate(layout.headers):
        if header and n not in used:
            report.add(
                ImportProblem(
                    layout.header_row,
                    header,
                    Text("此列不导入", "this column is not imported"),
                    Severity.WARNING,
                )
            )


class _Abort(Exception):
    """Roll the write transaction back after a full pass that found errors."""


def _run(
    path: Path,
    mapping: ColumnMapping | None,
    ctx: TaskContext,
    *,
    session: Session | None,
    units: dict[str, str],
    create_units: bool,
) -> ImportReport:
    report = ImportReport(file=str(path))
    try:
        source = _open(path)
    except ImportFileError as exc:
        report.add(ImportProblem(exc.row, "", exc.message))
        return report
    report.kind, report.encoding = source.kind, source.encoding
    try:
        layout, _ = _find_header(source.rows, mapping)
        _check_layout(layout, mapping, report)
        if report.errors:
            return report
        parser = _RowParser(layout, units, create_units, report)
        batch: list[dict[str, Any]] = []
        for number, values in source.rows:
            if not any(_cell_text(v) for v in values):
                continue
            report.rows += 1
            record = parser.parse(number, values)
            if record is not None and session is not None and not report.errors:
                batch.append(record)
                if len(batch) >= _BATCH:
                    _write(session, batch, report, units)
                    batch.clear()
            if report.rows % 500 == 0:
                ctx.check_cancelled()
                done, total = source.position()
                ctx.report(done, total, f"第{number}行 / row {number}")
        if report.rows == 0:
            report.add(
                ImportProblem(
                    layout.header_row + 1,
                    "",
                    Text("表头下没有数据行", "there are no data rows under the header"),
                )
            )
        if session is not None and not report.errors and batch:
            _write(session, batch, report, units)
        report.units_created = sorted(parser.new_units)
    except ImportFileError as exc:
        report.add(ImportProblem(exc.row, "", exc.message))
    finally:
        source.close()
    return report


def _write(
    session: Session, batch: list[dict[str, Any]], report: ImportReport, units: dict[str, str]
) -> None:
    numbers = [r["incident_no"] for r in batch]
    existing = {
        i.incident_no: i
        for i in session.scalars(select(Incident).where(Incident.incident_no.in_(numbers)))
    }
    for record in batch:
        unit_name = record.pop("unit_name", None)
        if unit_name is not None:
            if unit_name not in units:
                station_id = session.scalars(
                    select(Station.id).where(Station.is_local.is_(True))
                ).first()
                unit = Unit(name=unit_name, station_id=station_id)
                session.add(unit)
                session.flush()
                units[unit_name] = unit.id
            record["unit_id"] = units[unit_name]
        incident = existing.get(record["incident_no"])
        if incident is None:
            session.add(Incident(**record))
            report.created += 1
            continue
        changed = False
        for name, value in record.items():
            if getattr(incident, name) != value:
                setattr(incident, name, value)
                changed = True
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1
    session.flush()
    session.expunge_all()  # keep memory flat over a long file


def validate(
    db: Database,
    path: Path,
    mapping: ColumnMapping | None = None,
    ctx: TaskContext | None = None,
    *,
    create_units: bool = False,
) -> ImportReport:
    """Read the whole file and report every problem; writes nothing."""
    with db.read() as session:
        units = _unit_names(session)
    return _run(
        path, mapping, ctx or TaskContext(), session=None, units=units, create_units=create_units
    )


@contextmanager
def _larger_cache(session: Session) -> Iterator[None]:
    """A bigger page cache for the writer while it updates the indexes of a large
    table (SQLite's default of 2 MB makes each insert re-read index pages)."""
    run = session.connection().exec_driver_sql
    previous = int(run("PRAGMA cache_size").scalar_one())
    run(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        run(f"PRAGMA cache_size = {previous}")


def import_incidents(
    db: Database,
    actor: Actor,
    path: Path,
    mapping: ColumnMapping | None = None,
    ctx: TaskContext | None = None,
    *,
    create_units: bool = False,
) -> ImportReport:
    """Import the whole file in one transaction, or nothing if any row has an error
    (the report then says which) or the user cancels (:class:`Cancelled` propagates)."""
    ctx = ctx or TaskContext()
    report: ImportReport | None = None
    try:
        with db.write(actor) as session, _larger_cache(session):
            report = _run(
                path,
                mapping,
                ctx,
                session=session,
                units=_unit_names(session),
                create_units=create_units,
            )
            if report.errors:
                raise _Abort()
            connection = session.connection()
            if search_index_exists(connection):  # else the first search builds it
                ctx.report(0, None, "更新检索索引 / updating the search index")
                sync_search_index(connection)
            ctx.check_cancelled()
    except _Abort:
        assert report is not None
        report.created = report.updated = report.unchanged = 0
        report.units_created = []
        return report
    report.committed = True
    return report


# --- saved mappings -------------------------------------------------------------------------


class MappingStore:
    """Named column mappings, in ``import-mappings.json`` in the data folder."""

    def __init__(self, folder: DataFolder) -> None:
        self.path = folder.root / MAPPINGS_FILE

    def _read(self) -> dict[str, dict[str, str]]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise LawsupError(
                Text(f"列映射文件 {self.path} 已损坏", f"the mapping file {self.path} is damaged")
            ) from exc
        return data if isinstance(data, dict) else {}

    def names(self) -> list[str]:
        return sorted(self._read())

    def load(self, name: str) -> ColumnMapping:
        data = self._read()
        if name not in data:
            raise LawsupError(
                Text(f"没有名为“{name}”的列映射", f"there is no saved mapping named '{name}'")
            )
        known = {f.value for f in ImportField}
        return {ImportField(k): str(v) for k, v in data[name].items() if k in known}

    def save(self, name: str, mapping: Mapping[ImportField, str]) -> None:
        if not name.strip():
            raise ValidationError(Text("映射名称", "Mapping name"), Text("不能为空", "is empty"))
        data = self._read()
        data[name.strip()] = {ImportField(k).value: v for k, v in mapping.items()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        temporary.replace(self.path)  # never a half-written file

    def delete(self, name: str) -> None:
        data = self._read()
        if data.pop(name, None) is not None:
            self.path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
