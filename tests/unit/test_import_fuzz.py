"""Hostile input for the incident importer (issue 8, point 7): arbitrary bytes, mangled
CSV exports in any encoding, damaged XLSX workbooks. Whatever the file,
preview() raises at most ImportFileError, validate() and import_incidents()
return a report, and an import either commits whole (with an audit entry and an
outbox op per incident) or leaves the store exactly as it was."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lawsup_desktop.services.incident_import import (
    ImportFileError,
    ImportReport,
    import_incidents,
    preview,
    validate,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import AuditEntry, Incident
from lawsup_desktop.store.sync_models import SyncOutbox
from tests.unit.incident_helpers import add_search_index, add_unit_with_officer

HEADER = [
    "接警编号",
    "报警时间",
    "警情类别",
    "发生地点",
    "简要警情",
    "报警人",
    "联系电话",
    "处警单位",
    "处警结果",
    "重点警情类别",
]
FUZZ = settings(
    max_examples=int(os.environ.get("LAWSUP_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def station(
    db: Database, workstation: WorkstationInfo
) -> Iterator[tuple[Database, WorkstationInfo]]:
    add_search_index(db)
    add_unit_with_officer(db, workstation, "城关派出所", "赵")
    yield db, workstation


def _counts(db: Database) -> tuple[int, int, int]:
    with db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Incident)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            session.scalar(select(func.count()).select_from(SyncOutbox)) or 0,
        )


def _check(station: tuple[Database, WorkstationInfo], content: bytes, suffix: str) -> ImportReport:
    """Every entry point on one file, and the all-or-nothing rule."""
    db, workstation = station
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(content)
        try:
            shown = preview(path)
        except ImportFileError as exc:
            assert exc.message.zh and exc.message.en
        else:
            assert all(isinstance(h, str) for h in shown.headers)
        checked = validate(db, path)
        before = _counts(db)
        report = import_incidents(db, workstation.actor, path)
        after = _counts(db)
    if report.committed:
        assert report.ok and checked.ok
        written = report.created + report.updated
        assert after[0] == before[0] + report.created
        assert after[1] - before[1] >= written and after[2] - before[2] >= written
    else:
        assert after == before, "a failed import must write nothing"
        assert report.errors > 0 and report.problems
        assert report.created == report.updated == 0
    # validate() sees what import sees
    assert checked.errors == report.errors and checked.rows == report.rows
    for problem in report.problems:
        assert problem.problem.zh and problem.problem.en
        assert problem.row is None or problem.row >= 1
    return report


# ---------------------------------------------------------------- arbitrary bytes


@FUZZ
@given(content=st.binary(max_size=4000))
def test_arbitrary_bytes_as_csv(station: tuple[Database, WorkstationInfo], content: bytes) -> None:
    _check(station, content, ".csv")


@FUZZ
@given(content=st.binary(max_size=4000))
def test_arbitrary_bytes_behind_a_zip_signature(
    station: tuple[Database, WorkstationInfo], content: bytes
) -> None:
    report = _check(station, b"PK\x03\x04" + content, ".xlsx")
    assert not report.committed


# ---------------------------------------------------------------- mangled CSV

_NUMBERS = st.sampled_from(["J1", "J2", "J3", "J4", "", " ", "J1 ", "ｊ1", "J" * 70])
_DATES = st.one_of(
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)).map(
        lambda d: d.strftime("%Y-%m-%d %H:%M")
    ),
    st.sampled_from(
        [
            "2026年11月21日10时05分",
            "2026/11/20 09:15",
            "昨天",
            "2026-02-30 10:00",
            "99999-01-01",
            "",
            "0",
            "1e308",
            "2026-13-01",
        ]
    ),
    st.text(max_size=20),
)
_CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "刑事",
            "治安",
            "纠纷",
            "涉赌",
            "调解",
            "城关派出所",
            "不存在的所",
            '"',
            '""',
            "\r\n",
            ",",
            "\x00",
            "=cmd|' /C calc'!A0",
        ]
    ),
)


@st.composite
def _mangled_csv(draw: st.DrawFn) -> bytes:
    header = list(HEADER)
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if draw(st.booleans()):
        header = header[: draw(st.integers(0, len(header)))]  # missing columns
    if draw(st.booleans()):
        header = header + draw(st.lists(st.text(max_size=8), max_size=3))  # extra columns
    rows = [header]
    for _ in range(draw(st.integers(0, 12))):
        row = [draw(_NUMBERS), draw(_DATES), *draw(st.lists(_CELLS, max_size=12))]
        if draw(st.integers(0, 20)) == 0:
            row.append("长" * draw(st.sampled_from([301, 5000, 140_000])))  # huge field
        rows.append(row)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=draw(st.sampled_from([",", ",", "\t", ";"]))).writerows(rows)
    text = buffer.getvalue()
    if draw(st.booleans()):  # broken quoting, stray bytes
        position = draw(st.integers(0, len(text)))
        text = (
            text[:position]
            + draw(st.sampled_from(['"', '"\n"', "\r", "\x00", "\ufeff"]))
            + text[position:]
        )
    encoding = draw(
        st.sampled_from(
            ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "big5", "latin-1", "shift_jis"]
        )
    )
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()) and data:
        position = draw(st.integers(0, len(data)))
        data = data[:position] + draw(st.binary(max_size=4)) + data[position:]
    return data


@FUZZ
@given(content=_mangled_csv())
def test_mangled_csv_exports(station: tuple[Database, WorkstationInfo], content: bytes) -> None:
    _check(station, content, ".csv")


def test_a_valid_csv_from_the_same_generator_imports(
    station: tuple[Database, WorkstationInfo],
) -> None:
    """The fuzz checks must also see files that commit (not only rejections)."""
    lines = [
        ",".join(HEADER),
        "J1,2026-11-20 08:30,刑事,东街,被盗,王芳,13812345678,城关派出所,调解,",
    ]
    report = _check(station, "\r\n".join(lines).encode("gbk"), ".csv")
    assert report.committed and report.created == 1


# ---------------------------------------------------------------- damaged XLSX


def _valid_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(
        [
            "X1",
            dt.datetime(2026, 11, 20, 8, 30),
            "刑事",
            "东街",
            "被盗",
            "王芳",
            13812345678,
            "城关派出所",
            "调解",
            None,
        ]
    )
    sheet.append(
        [
            "X2",
            "2026-11-21 09:00",
            "治安",
            "西街",
            "打架",
            "李四",
            None,
            "城关派出所",
            "行政受案",
            "涉赌",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALID_XLSX = _valid_xlsx()


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(
                info.filename, content if info.filename == name else source.read(info.filename)
            )
    return out.getvalue()


_PARTS = sorted(zipfile.ZipFile(io.BytesIO(VALID_XLSX)).namelist())
_GARBAGE_XML = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.sampled_from(
        [
            b"",
            b"<?xml version='1.0'?><worksheet/>",
            b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>"
            b"<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;'>]><x>&c;</x>",
            b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>"
            b"<sheetData><row r='1'><c r='ZZZZ1' t='s'><v>99</v></c></row>"
            b"<row r='x'><c r='A2' t='n'><v>abc</v></c></row></sheetData></worksheet>",
            b"<sst xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'></sst>",
        ]
    ),
)


@FUZZ
@given(name=st.sampled_from(_PARTS), content=_GARBAGE_XML)
def test_valid_zip_with_a_garbage_part(
    station: tuple[Database, WorkstationInfo], name: str, content: bytes
) -> None:
    _check(station, _replace_part(VALID_XLSX, name, content), ".xlsx")


@FUZZ
@given(cut=st.integers(1, len(VALID_XLSX) - 1))
def test_truncated_xlsx(station: tuple[Database, WorkstationInfo], cut: int) -> None:
    report = _check(station, VALID_XLSX[:cut], ".xlsx")
    assert not report.committed


@FUZZ
@given(
    flips=st.lists(
        st.tuples(st.integers(0, len(VALID_XLSX) - 1), st.integers(1, 255)), min_size=1, max_size=8
    )
)
def test_xlsx_with_flipped_bytes(
    station: tuple[Database, WorkstationInfo], flips: list[tuple[int, int]]
) -> None:
    data = bytearray(VALID_XLSX)
    for position, mask in flips:
        data[position] ^= mask
    _check(station, bytes(data), ".xlsx")


def test_the_valid_xlsx_imports(station: tuple[Database, WorkstationInfo]) -> None:
    report = _check(station, VALID_XLSX, ".xlsx")
    assert report.committed and report.created == 2


# ---------------------------------------------------------------- a 100 MB file

_BIG_CHILD = """
import sys
from pathlib import Path
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.incident_import import validate
from lawsup_desktop.services.station import open_station
db = open_station(DataFolder(Path(sys.argv[1])))
report = validate(db, Path(sys.argv[2]))
db.dispose()
print(report.rows, report.errors, [(p.row, p.problem.en) for p in report.problems[:3]])
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so it would report the
# peak of the (large) test process that started this one.
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print("RSS", int(peak.split()[1]) // 1024)
"""


@pytest.mark.slow
def test_a_100_mb_export_is_read_as_a_stream(tmp_path: Path) -> None:
    """100 MB of GBK CSV with a duplicate number on its very last row: the report
    names that row, and the reader's memory stays far below the file's size."""
    path = tmp_path / "big.csv"
    row = ",2026-01-01 08:00,治安,城关镇人民路1号," + "报警称邻居吵架" * 40 + ",王芳,,,调解\r\n"
    rows = 0
    with path.open("wb") as f:
        f.write((",".join(HEADER[:9]) + "\r\n").encode("gbk"))
        while f.tell() < 100_000_000:
            f.write((f"B{rows:09d}" + row).encode("gbk"))
            rows += 1
        f.write(("B000000000" + row).encode("gbk"))  # the duplicate, last
    folder = tmp_path / "data"
    env = dict(os.environ)
    out = subprocess.run(
        [sys.executable, "-c", _BIG_CHILD, str(folder), str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.splitlines()
    assert out[0].startswith(f"{rows + 1} 1 "), out
    assert f"({rows + 2}, 'number B000000000 already appears on row 2" in out[0], out
    rss = int(out[-1].split()[1])
    assert rss < 250, f"{rss} MB for a 100 MB file: it is being held in memory"


# ---------------------------------------------------------------- known hostile shapes


def _sheet(cells: str, shared: str | None = None) -> bytes:
    """VALID_XLSX with its first sheet (and shared strings) replaced."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = f"<worksheet xmlns='{ns}'><sheetData>{cells}</sheetData></worksheet>".encode()
    data = _replace_part(VALID_XLSX, "xl/worksheets/sheet1.xml", sheet)
    if shared is not None:
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(info.filename, source.read(info.filename))
            if "xl/sharedStrings.xml" not in source.namelist():
                target.writestr("xl/sharedStrings.xml", f"<sst xmlns='{ns}'>{shared}</sst>")
        data = out.getvalue()
    return data


def _header_cells(columns: int = 3) -> str:
    cells = "".join(
        f"<c r='{chr(65 + n)}1' t='inlineStr'><is><t>{h}</t></is></c>"
        for n, h in enumerate(HEADER[:columns])
    )
    return f"<row r='1'>{cells}</row>"


@pytest.mark.parametrize(
    ("cells", "shared", "expected"),
    [
        # A shared-string index below zero must not read the last string.
        (
            "<row r='2'><c r='A2' t='s'><v>-1</v></c><c r='B2'><v>46000</v></c>"
            "<c r='C2' t='s'><v>0</v></c></row>",
            "<si><t>刑事</t></si>",
            "damaged",
        ),
        ("<row r='2'><c r='A2' t='s'><v>7</v></c></row>", "<si><t>x</t></si>", "damaged"),
        ("<row r='2'><c r='AAAAA2'><v>1</v></c></row>", None, "damaged"),
        ("<row r='2'><c r='B2'><v>1</v></c><c r='A2'><v>1</v></c></row>", None, "damaged"),
        ("<row r='2'><c r='A2'><v>not a number</v></c></row>", None, "damaged"),
    ],
)
def test_damaged_sheets_are_reported_with_their_row(
    station: tuple[Database, WorkstationInfo], cells: str, shared: str | None, expected: str
) -> None:
    report = _check(station, _sheet(_header_cells() + cells, shared), ".xlsx")
    assert not report.committed
    assert any(expected in p.problem.en and p.row == 2 for p in report.problems), report.problems


def test_rich_text_and_pronunciation_hints_in_shared_strings(
    station: tuple[Database, WorkstationInfo],
) -> None:
    shared = (
        "<si><t>刑事</t></si>"
        "<si><r><t>J</t></r><r><rPr><b/></rPr><t>9</t></r><rPh sb='0' eb='1'><t>x</t></rPh></si>"
    )
    cells = (
        "<row r='2'><c r='A2' t='s'><v>1</v></c><c r='B2' t='inlineStr'><is><t>"
        "2026-11-20 08:30</t></is></c><c r='C2' t='s'><v>0</v></c>"
        "<c r='D2' t='inlineStr'><is><r><t>东</t></r><r><t>街</t></r>"
        "<rPh sb='0' eb='1'><t>dongjie</t></rPh></is></c></row>"
    )
    report = _check(station, _sheet(_header_cells(4) + cells, shared), ".xlsx")
    assert report.committed, report.problems
    db, _ = station
    with db.read() as session:
        incident = session.scalars(select(Incident).where(Incident.incident_no == "J9")).one()
        assert incident.category.value == "criminal"
        assert incident.address == "东街"


def test_entity_bomb_is_refused(station: tuple[Database, WorkstationInfo]) -> None:
    bomb = (
        b"<?xml version='1.0'?><!DOCTYPE w [<!ENTITY a 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'>"
        + b"".join(
            f"<!ENTITY {chr(98 + n)} '{('&' + chr(97 + n) + ';') * 16}'>".encode() for n in range(8)
        )
        + b"]><worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>"
        b"<sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>&i;</t></is></c></row>"
        b"</sheetData></worksheet>"
    )
    data = _replace_part(VALID_XLSX, "xl/worksheets/sheet1.xml", bomb)
    report = _check(station, data, ".xlsx")
    assert not report.committed


def test_decompression_bomb_is_refused_without_inflating_it(
    station: tuple[Database, WorkstationInfo],
) -> None:
    data = _replace_part(VALID_XLSX, "xl/worksheets/sheet1.xml", b" " * 50_000_000)
    assert len(data) < 1_000_000
    report = _check(station, data, ".xlsx")
    assert not report.committed
    assert any("damaged" in p.problem.en for p in report.problems)


def test_a_csv_without_line_breaks_is_refused_line_by_line(
    station: tuple[Database, WorkstationInfo],
) -> None:
    content = (",".join(HEADER) + "\r\nJ1," + "长" * 5_000_000).encode("gbk")
    report = _check(station, content, ".csv")
    assert [(p.row, "longer than" in p.problem.en) for p in report.problems] == [(2, True)]


def test_cjk_date_formats_are_read_as_dates(station: tuple[Database, WorkstationInfo]) -> None:
    """Chinese Excel's 年月日 formats (built-in ids 27-36, 50-58) hold dates as numbers."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    styles = (
        f"<styleSheet xmlns='{ns}'><cellXfs count='2'><xf numFmtId='0'/>"
        "<xf numFmtId='31'/></cellXfs></styleSheet>"
    ).encode()
    data = _replace_part(VALID_XLSX, "xl/styles.xml", styles)
    cells = (
        "<row r='2'><c r='A2' t='inlineStr'><is><t>D1</t></is></c>"
        "<c r='B2' s='1'><v>46346.5</v></c>"
        "<c r='C2' t='inlineStr'><is><t>治安</t></is></c></row>"
    )
    ns_sheet = (
        f"<worksheet xmlns='{ns}'><sheetData>{_header_cells()}{cells}</sheetData></worksheet>"
    )
    data = _replace_part(data, "xl/worksheets/sheet1.xml", ns_sheet.encode())
    report = _check(station, data, ".xlsx")
    assert report.committed, report.problems
    db, _ = station
    with db.read() as session:
        incident = session.scalars(select(Incident).where(Incident.incident_no == "D1")).one()
        assert incident.received_at == dt.datetime(2026, 11, 20, 12, 0)
