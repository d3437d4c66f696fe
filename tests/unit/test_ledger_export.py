"""The ledgers out: XLSX read back with openpyxl, PDF read back with pypdf."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from lawsup_desktop.commands import export as export_command
from lawsup_desktop.domain.errors import ValidationError
from lawsup_desktop.domain.vocabulary import (
    RectificationSource,
    RectificationState,
    RiskLevel,
    Role,
)
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.ledger_export import (
    LEDGER_COLUMNS,
    export_ledger,
    export_pdf,
    export_xlsx,
)
from lawsup_desktop.services.progress import Cancelled, Progress, TaskContext
from lawsup_desktop.services.rectifications import (
    LedgerFilter,
    LedgerSort,
    LedgerSortKey,
    RectificationDraft,
    RectificationService,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Officer

S = RectificationState
TODAY = date(2026, 3, 2)
HEADERS = ["编号", "来源", "问题类型", "问题描述", "风险等级", "责任单位", "责任人", "整改期限",
           "状态", "整改措施", "销号日期"]


CLOCK = [TODAY]


@pytest.fixture
def service(db: Database, folder: DataFolder, workstation: WorkstationInfo
            ) -> RectificationService:
    CLOCK[0] = TODAY
    return RectificationService(db, folder.attachments, lambda: CLOCK[0],
                                actor=workstation.actor)


@pytest.fixture
def items(service: RectificationService, workstation: WorkstationInfo, db: Database
          ) -> list[str]:
    """Three items: one signed off, one in progress, one pending with awkward text."""
    with db.write(workstation.actor) as session:
        officer = Officer(unit_id=workstation.unit_id, name="李办案", role=Role.CASE_OFFICER)
        session.add(officer)
        session.flush()
        officer_id = officer.id

    def new(description: str, measures: str, due: date, risk: RiskLevel) -> str:
        return service.create(RectificationDraft(
            description=description, due_date=due, responsible_unit_id=workstation.unit_id,
            responsible_officer_id=officer_id, risk_level=risk, measures=measures,
            source=RectificationSource.INSPECTION)).id

    CLOCK[0] = TODAY - timedelta(days=7)  # entered a week ago
    done = new("扣押物品未及时登记入库", "补办登记手续", TODAY + timedelta(days=5), RiskLevel.HIGH)
    row = service.rows([done])[0]
    for target in (S.IN_PROGRESS, S.AWAITING_VERIFICATION):
        row = service.transition(row.id, target, "", row.version)
    service.sign_off(row.id, "已核实", "当场纠正", row.version)
    busy = new("询问笔录缺少签名", "补签", TODAY - timedelta(days=1), RiskLevel.MEDIUM)
    busy_row = service.rows([busy])[0]
    service.transition(busy, S.IN_PROGRESS, "", busy_row.version)
    odd = new("=HYPERLINK(\"http://x\")\x0b 生僻字䶮 & <b>标签</b>", "第一行\n第二行 37℃",
              TODAY + timedelta(days=9), RiskLevel.LOW)
    CLOCK[0] = TODAY
    return [done, busy, odd]


def test_xlsx_holds_the_bureau_columns_and_every_item(
    service: RectificationService, items: list[str], tmp_path: Path
) -> None:
    reports: list[Progress] = []
    target = tmp_path / "台账.xlsx"
    result = export_xlsx(service, target, ctx=TaskContext(reports.append),
                         station_name="城关派出所")
    assert result.rows == 3
    sheet = openpyxl.load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "城关派出所整改台账" in str(rows[0][0])
    assert list(rows[1]) == HEADERS == [c.header.zh for c in LEDGER_COLUMNS]
    by_number = {r[0]: r for r in rows[2:]}
    assert set(by_number) == {"ZG-2026-00001", "ZG-2026-00002", "ZG-2026-00003"}
    signed = by_number["ZG-2026-00001"]
    assert signed[1:3] == ("执法巡查", None)
    assert signed[3:8] == ("扣押物品未及时登记入库", "高", "城关派出所", "李办案",
                           datetime(2026, 3, 7))
    assert signed[8:10] == ("已销号", "补办登记手续")
    assert isinstance(signed[10], datetime)  # a real date, not text
    assert by_number["ZG-2026-00002"][8] == "整改中" and by_number["ZG-2026-00002"][10] is None
    odd = by_number["ZG-2026-00003"]
    assert odd[3] == "=HYPERLINK(\"http://x\") 生僻字䶮 & <b>标签</b>"  # text, never a formula
    assert sheet.cell(row=5, column=4).data_type == "s"
    assert odd[9] == "第一行\n第二行 37℃"
    assert reports[-1].done == reports[-1].total == 3


def test_xlsx_follows_the_filter_and_the_sort(
    service: RectificationService, items: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "open.xlsx"
    export_xlsx(service, target, LedgerFilter(states=frozenset({S.PENDING, S.IN_PROGRESS})),
                LedgerSort(LedgerSortKey.DUE_DATE, descending=True))
    rows = list(openpyxl.load_workbook(target).active.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["ZG-2026-00003", "ZG-2026-00002"]


def test_english_ledger_uses_english_headers_and_labels(
    service: RectificationService, items: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "ledger.xlsx"
    export_xlsx(service, target, language="en")
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[1][0] == "Number" and rows[1][10] == "Sign-off date"
    assert {r[8] for r in rows[2:]} == {"Signed off", "In progress", "To rectify"}


def test_pdf_is_landscape_and_holds_every_item(
    service: RectificationService, items: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "台账.pdf"
    reports: list[Progress] = []
    result = export_pdf(service, target, ctx=TaskContext(reports.append),
                        station_name="城关派出所")
    assert result.rows == 3
    reader = PdfReader(target)
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = "".join(p.extract_text() for p in reader.pages)
    for expected in ("ZG-2026-00001", "ZG-2026-00002", "ZG-2026-00003", "整改台账", "编号",
                     "销号日期", "扣押物品未及时登记入库", "询问笔录缺少签名", "已销号", "整改中",
                     "<b>标签</b>", "第 1 页"):
        assert expected in text, expected
    # No bundled font has 䶮: the ledger shows its code point instead of dropping it;
    # ℃ comes from the fallback font (the main one has an empty glyph for it).
    assert "[U+4DAE]" in text
    assert "37℃" in text
    assert any(r.done == r.total == 3 for r in reports)  # rows gathered
    assert reports[-1] == Progress(1, None, "排版 第 1 页")  # then pages laid out


def test_a_long_pdf_ledger_spans_pages_with_the_header_on_each(
    service: RectificationService, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    for n in range(120):
        service.create(RectificationDraft(description=f"问题{n}", due_date=TODAY,
                                          responsible_unit_id=workstation.unit_id))
    target = tmp_path / "long.pdf"
    assert export_pdf(service, target).rows == 120
    reader = PdfReader(target)
    assert len(reader.pages) > 1
    assert all("问题描述" in p.extract_text() for p in reader.pages)
    assert "ZG-2026-00120" in reader.pages[-1].extract_text()


def test_a_pdf_cancelled_while_laying_out_leaves_no_file(
    service: RectificationService, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    for n in range(120):
        service.create(RectificationDraft(description=f"问题{n}", due_date=TODAY))
    out = tmp_path / "out"
    out.mkdir()
    pages: list[int] = []

    def on_progress(progress: Progress) -> None:
        if progress.total is None and "页" in progress.text:
            pages.append(progress.done)
            if progress.done == 2:
                ctx.cancel()  # the user presses Cancel while page 2 is laid out

    ctx = TaskContext(on_progress)
    with pytest.raises(Cancelled):
        export_pdf(service, out / "ledger.pdf", ctx=ctx)
    assert pages == [1, 2]
    assert list(out.iterdir()) == []


def test_an_empty_filter_still_gives_a_valid_file(
    service: RectificationService, tmp_path: Path
) -> None:
    export_pdf(service, tmp_path / "empty.pdf")
    assert "无符合条件" in PdfReader(tmp_path / "empty.pdf").pages[0].extract_text()
    export_xlsx(service, tmp_path / "empty.xlsx")
    assert openpyxl.load_workbook(tmp_path / "empty.xlsx").active.max_row == 2


def test_a_cancelled_export_leaves_no_file(
    service: RectificationService, items: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    ctx = TaskContext()
    ctx.cancel()
    for name in ("x.xlsx", "x.pdf"):
        with pytest.raises(Cancelled):
            export_ledger(service, out / name, ctx=ctx)
    assert sorted(p.name for p in out.iterdir()) == []


def test_a_failed_export_keeps_the_previous_file(
    service: RectificationService, items: list[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "ledger.xlsx"
    target.write_bytes(b"previous")

    def broken_rows(_ids: object) -> object:
        raise RuntimeError("database gone")

    monkeypatch.setattr(service, "rows", broken_rows)
    with pytest.raises(RuntimeError):
        export_xlsx(service, target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in target.parent.iterdir()] == ["ledger.xlsx"]


def test_bad_targets_name_the_output_file(service: RectificationService, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        export_ledger(service, tmp_path / "ledger.csv")
    assert "导出文件" in caught.value.message.zh and ".xlsx" in caught.value.message.zh
    with pytest.raises(ValidationError) as caught:
        export_ledger(service, tmp_path / "no-such-folder" / "a.xlsx")
    assert "不存在" in caught.value.message.zh


# --- the command line -------------------------------------------------------------


def run_command(folder: DataFolder, *argv: str) -> int:
    """``lawsup export ...`` through the command's own parser (cli.main builds every
    command's parser; this test needs only this one)."""
    import argparse

    parser = argparse.ArgumentParser(prog="lawsup")
    export_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    code: int = args.run(args, folder)
    return code


def test_command_line_exports_by_state(
    folder: DataFolder, service: RectificationService, items: list[str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str], db: Database
) -> None:
    db.dispose()  # the command opens the folder itself
    target = tmp_path / "signed.xlsx"
    code = run_command(folder, "export", "rectifications", "--state", "已销号", "-o", str(target))
    assert code == 0
    rows = list(openpyxl.load_workbook(target).active.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["ZG-2026-00001"]
    assert "1" in capsys.readouterr().out

    pdf = tmp_path / "open.pdf"
    assert run_command(folder, "export", "rectifications", "--state", "in_progress",
                       "--state", "pending", "-o", str(pdf)) == 0
    text = PdfReader(pdf).pages[0].extract_text()
    assert "ZG-2026-00002" in text and "ZG-2026-00003" in text and "ZG-2026-00001" not in text


def test_command_line_refuses_an_unknown_state(
    folder: DataFolder, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError) as caught:
        run_command(folder, "export", "rectifications", "--state", "已完成",
                    "-o", str(tmp_path / "x.xlsx"))
    assert "已完成" in caught.value.message.zh and "待整改" in caught.value.message.zh
    assert "pending" in caught.value.message.en
    assert not (tmp_path / "x.xlsx").exists()
