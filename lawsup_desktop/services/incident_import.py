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

Files are read as streams (csv module over an incremental decoder, each line read
with a limit; the XLSX sheet with lxml's iterparse, rows dropped once read, parts
that inflate like a decompression bomb refused), so a 100 MB export is never held
in memory. New and changed incidents are both written in bulk (store/bulk.py:
Core executemany with the same audit entries and outbox ops as the ORM hooks;
an unchanged incident writes nothing), so a re-import of 50,000 rows costs no
ORM object per row.

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
import functools
import io
import itertools
import json
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from lawsup_desktop.domain.errors import LawsupError, Text, ValidationError
from lawsup_desktop.domain.validation import (
    normalize_phone,
    parse_datetime,
    require_plausible_year,
)
from lawsup_desktop.domain.vocabulary import Disposition, IncidentCategory, KeyCategory
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.store.audit import Actor
from lawsup_desktop.store.bulk import bulk_insert, bulk_update
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
_LAST = ""  # the remembered mapping's key: a name save() refuses, so no clash
_HEADER_SEARCH_ROWS = 10  # exports often put a title row or two above the header
_CHUNK = 1 << 20
_MAX_LINE = 1 << 22  # characters in one line of a CSV: far beyond any real export
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


def _bounded_lines(text: IO[str]) -> Iterator[str]:
    """The file's lines, each read with a limit: a file with no line breaks (or a
    100 MB "line") is refused instead of being loaded into memory whole."""
    number = 0
    while line := text.readline(_MAX_LINE):
        number += 1
        if len(line) >= _MAX_LINE and not line.endswith(("\n", "\r")):
            raise ImportFileError(
                Text(
                    f"第{number}行超过{_MAX_LINE:,}个字符，不是警情导出表",
                    f"line {number} is longer than {_MAX_LINE:,} characters; "
                    "this is not an incident export",
                ),
                row=number,
            )
        yield line


def _open_csv(path: Path) -> _Source:
    encoding = _detect_encoding(path)
    raw = path.open("rb")
    counter = _CountingReader(raw)
    text = io.TextIOWrapper(io.BufferedReader(counter, _CHUNK), encoding=encoding, newline="")
    lines = _bounded_lines(text)
    try:
        first = next(lines, "")
    except ImportFileError:
        text.close()
        raise
    delimiter = max(",\t;", key=first.count) if first else ","
    if first and first.count(delimiter) == 0:
        delimiter = ","

    def rows() -> Iterator[tuple[int, list[object]]]:
        reader = csv.reader(itertools.chain([first] if first else [], lines), delimiter=delimiter)
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


_XLSX_DAMAGED = Text(
    "XLSX 文件已损坏或不是 Excel 工作簿", "the XLSX file is damaged or not a workbook"
)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SHARED_STRINGS_LIMIT = 200_000_000  # characters: a decompression bomb stops here
# Parts of a real export inflate 5-30 times; a bomb inflates a thousandfold.
_PART_LIMIT = 4_000_000_000
_RATIO_LIMIT = 200
# Number formats that are dates in CJK locales (27-36, 50-58: 年月日 forms), which
# openpyxl's table of built-in formats does not list.
_CJK_DATE_FORMATS = frozenset({*range(27, 37), *range(50, 59)})
# What a damaged or hostile workbook can raise while it is read.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    ValueError,
    OverflowError,
    OSError,
    ElementTree.ParseError,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted member
)


def _xlsx_errors() -> tuple[type[BaseException], ...]:
    from lxml import etree  # type: ignore[import-untyped]  # no stubs in the venv

    return (*_XLSX_ERRORS, etree.LxmlError)


def _open_part(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A part of the workbook, refused if it is a decompression bomb. zipfile stops
    at the declared size, so checking the declared size bounds what is inflated."""
    info = archive.getinfo(name)
    if info.file_size > _PART_LIMIT or info.file_size > _RATIO_LIMIT * max(
        info.compress_size, 1024
    ):
        raise ValueError(f"{name}: {info.file_size} bytes from {info.compress_size}")
    return archive.open(info)


def _xml_events(archive: zipfile.ZipFile, name: str) -> Iterator[ElementTree.Element]:
    """The closing elements of one XML part, streamed. Entities are not expanded
    (expat refuses the undeclared ones), so entity bombs fail as parse errors."""
    with _open_part(archive, name) as part:
        for _event, element in ElementTree.iterparse(part, events=("end",)):
            yield element


def _elements(stream: IO[bytes], tag: str) -> Iterator[Any]:
    """Each ``tag`` element of a large part (rows, shared strings), streamed with lxml,
    which filters by tag in C; each is dropped once the caller moved on, so memory
    stays flat. No entities, no network, libxml2's size limits kept."""
    from lxml import etree

    parser = etree.iterparse(
        stream,
        events=("end",),
        tag=tag,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    for _event, element in parser:
        yield element
        element.clear(keep_tail=False)
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]


def _rich_text(element: Any) -> str:
    """The text of a shared or inline string: plain, or rich-text runs; <rPh>
    pronunciation hints are not part of it."""
    t_tag, r_tag = f"{_MAIN}t", f"{_MAIN}r"
    return "".join(
        (child.text or "")
        if child.tag == t_tag
        else "".join(t.text or "" for t in child.iterchildren(t_tag))
        for child in element
        if child.tag in (t_tag, r_tag)
    )


def _part_path(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = base.split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


@dataclass
class _Workbook:
    sheet: str
    shared_strings: list[str]
    date_styles: frozenset[int]
    epoch: dt.datetime


def _read_workbook(archive: zipfile.ZipFile) -> _Workbook:
    """The first sheet's part, the shared strings and which cell styles are dates."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    names = set(archive.namelist())
    rels: dict[str, tuple[str, str]] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for element in _xml_events(archive, "xl/_rels/workbook.xml.rels"):
            if element.tag == f"{_PKG_REL}Relationship":
                target = _part_path("xl/workbook.xml", element.get("Target", ""))
                rels[element.get("Id", "")] = (element.get("Type", ""), target)
    sheet = ""
    epoch = CALENDAR_WINDOWS_1900
    for element in _xml_events(archive, "xl/workbook.xml"):
        if element.tag == f"{_MAIN}workbookPr" and element.get("date1904") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
        elif element.tag == f"{_MAIN}sheet" and not sheet:
            sheet = rels.get(element.get(f"{_REL}id", ""), ("", ""))[1]
    if not sheet:
        sheet = "xl/worksheets/sheet1.xml"
    by_type = {kind.rsplit("/", 1)[-1]: target for kind, target in rels.values()}
    strings_part = by_type.get("sharedStrings", "xl/sharedStrings.xml")
    shared: list[str] = []
    if strings_part in names:
        size = 0
        with _open_part(archive, strings_part) as part:
            for element in _elements(part, f"{_MAIN}si"):
                text = _rich_text(element)
                size += len(text)
                if size > _SHARED_STRINGS_LIMIT:
                    raise ValueError("shared strings too large")
                shared.append(text)
    styles_part = by_type.get("styles", "xl/styles.xml")
    dates: set[int] = set()
    if styles_part in names:
        custom: dict[int, str] = {}
        index = 0
        for element in _xml_events(archive, styles_part):
            if element.tag == f"{_MAIN}numFmt":
                custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif element.tag == f"{_MAIN}cellXfs":
                for xf in element.findall(f"{_MAIN}xf"):
                    number_format = int(xf.get("numFmtId", "0"))
                    code = custom.get(number_format, BUILTIN_FORMATS.get(number_format, ""))
                    if number_format in _CJK_DATE_FORMATS or (code and is_date_format(code)):
                        dates.add(index)
                    index += 1
    return _Workbook(sheet, shared, frozenset(dates), epoch)


def _column_index(reference: str) -> int:
    """0 for A1, 27 for AB9."""
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        else:
            break
    if number == 0 or number > 16384:
        raise ValueError(f"bad cell reference {reference!r}")
    return number - 1


def _open_xlsx(path: Path) -> _Source:
    """The first sheet, streamed with lxml (several times faster than openpyxl's
    read-only cells, which build an object per cell); values as openpyxl reads them."""
    from openpyxl.utils.datetime import from_excel

    handle = path.open("rb")
    try:
        archive = zipfile.ZipFile(handle)
        book = _read_workbook(archive)
        sheet_size = archive.getinfo(book.sheet).file_size
    except _xlsx_errors() as exc:
        handle.close()
        raise ImportFileError(_XLSX_DAMAGED) from exc
    shared, dates, epoch = book.shared_strings, book.date_styles, book.epoch
    state = {"row": 0, "bytes": 0}
    c_tag, v_tag, row_tag = f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}row"
    is_tag = f"{_MAIN}is"

    def value(cell: Any) -> object:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = next(cell.iterchildren(is_tag), None)
            return (_rich_text(inline) if inline is not None else "") or None  # as openpyxl
        # The children by hand: lxml's find/findtext go through its Python path engine.
        raw = next((child.text for child in cell.iterchildren(v_tag)), None)
        if raw is None:
            return None
        if kind == "s":
            index = int(raw)
            if index < 0:
                raise IndexError(index)
            return shared[index]
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            return dt.datetime.fromisoformat(raw.strip())
        number = float(raw)
        if int(cell.get("s", "0")) in dates:
            return from_excel(number, epoch)
        return number

    def parse() -> Iterator[tuple[int, list[object]]]:
        with _open_part(archive, book.sheet) as part:
            counter = _CountingReader(part)
            number = 0
            for element in _elements(io.BufferedReader(counter), row_tag):
                number = int(element.get("r") or number + 1)
                values: list[object] = []
                for cell in element.iterchildren(c_tag):
                    reference = cell.get("r")
                    column = _column_index(reference) if reference else len(values)
                    if column < len(values):
                        raise ValueError("cells out of order")
                    values.extend([None] * (column - len(values)))
                    values.append(value(cell))
                state["row"], state["bytes"] = number, counter.count
                yield number, values

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            yield from parse()
        except _xlsx_errors() as exc:
            raise ImportFileError(
                Text(
                    f"XLSX 文件已损坏（第{state['row'] + 1}行附近）",
                    f"the XLSX file is damaged (near row {state['row'] + 1})",
                ),
                row=state["row"] + 1,
            ) from exc

    def close() -> None:
        archive.close()
        handle.close()

    return _Source(
        "XLSX",
        "",
        path.stat().st_size,
        rows(),
        lambda: (state["bytes"], sheet_size or None),
        close,
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
    rows: Iterator[tuple[int, list[object]]],
    mapping: ColumnMapping | None,
    *,
    first_row_fallback: bool = False,
) -> tuple[_Layout, list[tuple[int, list[object]]]]:
    """The header row and the rows read past it (the caller reads them first).

    The header is the first of the first rows that names at least two mapped
    columns, else two known ones (a mapping from another export then shows up as
    missing columns in the report instead of "no header"). With
    ``first_row_fallback`` (the preview, so that unusual headers can be mapped by
    hand) the first non-empty row is the header when nothing is recognised."""
    seen = list(itertools.islice(rows, _HEADER_SEARCH_ROWS))
    texts = [[_cell_text(v) for v in values] for _, values in seen]
    wanted = set(mapping.values()) if mapping else set()
    for by_mapping in (True, False) if mapping else (False,):
        for n, headers in enumerate(texts):
            known = recognise(headers)
            hits = sum(1 for h in headers if h and h in wanted) if by_mapping else len(known)
            if hits >= 2:
                columns: dict[ImportField, int] = {}
                index = {h: i for i, h in reversed(list(enumerate(headers))) if h}
                for target, header in (mapping or known).items():
                    if header in index:
                        columns[ImportField(target)] = index[header]
                return _Layout(seen[n][0], headers, columns), seen[n + 1 :]
    if not seen or all(not any(_cell_text(v) for v in values) for _, values in seen):
        raise ImportFileError(Text("文件是空的", "the file is empty"))
    if first_row_fallback:
        first = next(n for n, (_, values) in enumerate(seen) if any(_cell_text(v) for v in values))
        number, values = seen[first]
        return _Layout(number, [_cell_text(v) for v in values], {}), seen[first + 1 :]
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
        layout, past = _find_header(source.rows, mapping, first_row_fallback=True)
        first: list[list[str]] = []
        for _number, values in itertools.chain(past, source.rows):
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


@functools.lru_cache(maxsize=4096)  # an export repeats a handful of category texts
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
        try:
            if isinstance(received, dt.datetime):
                moment = received.replace(tzinfo=None, microsecond=0)
            else:
                moment = parse_datetime(_cell_text(received), ImportField.RECEIVED_AT.label)
            # Follow-up due dates count from it: a typo like 9999 would stop the due list.
            require_plausible_year(moment, ImportField.RECEIVED_AT.label)
            out["received_at"] = moment
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


# Progress texts: shown in the language the caller passes (the UI's), one at a time.
PROGRESS_ROW = Text("第{row}行", "row {row}")
PROGRESS_SEARCH_INDEX = Text("更新检索索引", "updating the search index")


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
    language: str,
) -> ImportReport:
    report = ImportReport(file=str(path))
    try:
        source = _open(path)
    except ImportFileError as exc:
        report.add(ImportProblem(exc.row, "", exc.message))
        return report
    report.kind, report.encoding = source.kind, source.encoding
    try:
        layout, past = _find_header(source.rows, mapping)
        _check_layout(layout, mapping, report)
        if report.errors:
            return report
        parser = _RowParser(layout, units, create_units, report)
        batch: list[dict[str, Any]] = []
        for number, values in itertools.chain(past, source.rows):
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
                ctx.report(done, total, PROGRESS_ROW.format(row=number).in_language(language))
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


@functools.cache
def _incident_columns() -> tuple[Any, ...]:
    """Every column of an incident, read as plain rows (no ORM object per row)."""
    return tuple(getattr(Incident, attr.key) for attr in inspect(Incident).column_attrs)


def _write(
    session: Session, batch: list[dict[str, Any]], report: ImportReport, units: dict[str, str]
) -> None:
    numbers = [r["incident_no"] for r in batch]
    existing = {
        row["incident_no"]: row
        for row in session.execute(
            select(*_incident_columns()).where(Incident.incident_no.in_(numbers))
        ).mappings()
    }
    new: list[dict[str, Any]] = []
    again: list[tuple[Mapping[Any, Any], Mapping[str, Any]]] = []
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
        current = existing.get(record["incident_no"])
        if current is None:
            new.append(record)
        else:
            again.append((current, record))
    # Core executemany, with the same audit entries and outbox ops as the ORM hooks
    # (store/bulk.py); only the incidents whose values differ are updated.
    bulk_insert(session, Incident, new)
    report.created += len(new)
    changed = len(bulk_update(session, Incident, again))
    report.updated += changed
    report.unchanged += len(again) - changed
    session.expunge_all()  # keep memory flat over a long file


def validate(
    db: Database,
    path: Path,
    mapping: ColumnMapping | None = None,
    ctx: TaskContext | None = None,
    *,
    create_units: bool = False,
    language: str = "zh_CN",
) -> ImportReport:
    """Read the whole file and report every problem; writes nothing. Progress texts
    are in ``language`` (the UI's: see Text.in_language)."""
    with db.read() as session:
        units = _unit_names(session)
    return _run(
        path,
        mapping,
        ctx or TaskContext(),
        session=None,
        units=units,
        create_units=create_units,
        language=language,
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
    language: str = "zh_CN",
) -> ImportReport:
    """Import the whole file in one transaction, or nothing if any row has an error
    (the report then says which) or the user cancels (:class:`Cancelled` propagates).
    Progress texts are in ``language`` (the UI's: see Text.in_language)."""
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
                language=language,
            )
            if report.errors:
                raise _Abort()
            connection = session.connection()
            if search_index_exists(connection):  # else the first search builds it
                ctx.report(0, None, PROGRESS_SEARCH_INDEX.in_language(language))
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
        return sorted(name for name in self._read() if name != _LAST)

    def last(self) -> ColumnMapping | None:
        """The mapping of the last validation or import (the dialog offers it again)."""
        return self.load(_LAST) if _LAST in self._read() else None

    def remember(self, mapping: Mapping[ImportField, str]) -> None:
        self._write_entry(_LAST, mapping)

    def load(self, name: str) -> ColumnMapping:
        data = self._read()
        if name not in data:
            raise LawsupError(
                Text(f"没有名为“{name}”的列映射", f"there is no saved mapping named '{name}'")
            )
        entry = data[name]
        if not isinstance(entry, dict):
            raise LawsupError(
                Text(f"列映射文件 {self.path} 已损坏", f"the mapping file {self.path} is damaged")
            )
        known = {f.value for f in ImportField}
        return {ImportField(k): str(v) for k, v in entry.items() if k in known}

    def save(self, name: str, mapping: Mapping[ImportField, str]) -> None:
        if not name.strip():
            raise ValidationError(Text("映射名称", "Mapping name"), Text("不能为空", "is empty"))
        self._write_entry(name.strip(), mapping)

    def _write_entry(self, name: str, mapping: Mapping[ImportField, str]) -> None:
        data = self._read()
        data[name] = {ImportField(k).value: v for k, v in mapping.items()}
        self._write(data)

    def _write(self, data: dict[str, dict[str, str]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        temporary.replace(self.path)  # never a half-written file

    def delete(self, name: str) -> None:
        data = self._read()
        if data.pop(name, None) is not None:
            self._write(data)
