"""The daily report and the bulletin: figures checked against rows made here, the
empty day, the bulletin's numbering per year, and both PDFs read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lawsup_desktop.cli import main
from lawsup_desktop.domain.errors import ValidationError
from lawsup_desktop.domain.vocabulary import (
    Decision,
    FollowUpMethod,
    MeasureKind,
    PersonRole,
    RectificationSource,
    Satisfaction,
)
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.pdf.reports import render_bulletin, render_daily_report
from lawsup_desktop.services.reports import DailyReport, ReportService
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import AuditEntry, CasePerson, CoerciveMeasure
from tests.unit import report_helpers as h

DAY = dt.date(2026, 11, 20)
BEFORE = DAY - dt.timedelta(days=1)
AFTER = DAY + dt.timedelta(days=1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.fixture
def world(db: Database, workstation: WorkstationInfo) -> h.World:
    ws, w = workstation, h.make_world(db, workstation)
    # Incidents: three on the day (one key), one just before, one just after.
    first = h.incident(db, ws, at(DAY, 0, 0), key=True)
    h.incident(db, ws, at(DAY, 12))
    h.incident(db, ws, at(DAY, 23, 59))
    h.incident(db, ws, at(BEFORE, 23, 59), key=True)
    h.incident(db, ws, at(AFTER, 0, 0))
    # The watch: three reviews on the day (two findings), one the day before.
    h.watch_review(db, ws, first, DAY)
    linked = h.watch_review(db, ws, first, DAY, problem_id=w.problem["downgraded"],
                            unit_id=w.unit_b, officer_id=w.officer_b,
                            note="应立刑事案件却按治安处理")
    h.watch_review(db, ws, first, DAY, problem_id=w.problem["shelved"], unit_id=w.unit_a,
                   note="纠纷警情受理后未调查")
    h.watch_review(db, ws, first, BEFORE, problem_id=w.problem["shelved"], unit_id=w.unit_a)
    # Rectification items: two opened on the day (one from the finding above).
    week = DAY + dt.timedelta(days=7)
    h.rectification(db, ws, DAY, week, description="降格处理：盗窃案按治安处理",
                    unit_id=w.unit_b, officer_id=w.officer_b, problem_id=w.problem["downgraded"],
                    watch_review_id=linked, source=RectificationSource.DAILY_WATCH)
    h.rectification(db, ws, DAY, week, description="有案不立：盗窃警情未受案",
                    unit_id=w.unit_a, problem_id=w.problem["not_registered"])
    # Older items: open and past due (overdue), signed off before the day (not overdue),
    # signed off on the day (counted as signed off, not overdue).
    old = DAY - dt.timedelta(days=10)
    h.rectification(db, ws, old, BEFORE, description="逾期一", unit_id=w.unit_a)
    h.rectification(db, ws, old, BEFORE, description="已销号", unit_id=w.unit_a,
                    signed_off=DAY - dt.timedelta(days=2))
    h.rectification(db, ws, old, DAY - dt.timedelta(days=3), description="当日销号",
                    unit_id=w.unit_b, signed_off=DAY)
    # Follow-ups: three on the day, one after.
    h.follow_up(db, ws, first, at(DAY, 9), FollowUpMethod.PHONE, Satisfaction.SATISFIED)
    h.follow_up(db, ws, first, at(DAY, 10), FollowUpMethod.PHONE, Satisfaction.SATISFIED)
    h.follow_up(db, ws, first, at(DAY, 11), FollowUpMethod.ON_SITE, Satisfaction.DISSATISFIED)
    h.follow_up(db, ws, first, at(AFTER, 9), FollowUpMethod.HOME_VISIT, Satisfaction.SATISFIED)
    # Audits: a form submitted on the day, approved at level 1 and returned at level 2;
    # another form's step signed the day before.
    case_id = h.case(db, ws, w.unit_a, w.officer_a)
    h.audit_with_steps(db, ws, case_id, [(1, 1, Decision.APPROVE, at(DAY, 9)),
                                         (1, 2, Decision.RETURN, at(DAY, 15))], submitted=DAY)
    h.audit_with_steps(db, ws, h.case(db, ws, w.unit_b),
                       [(1, 1, Decision.APPROVE, at(BEFORE, 9))], submitted=BEFORE)
    return w


def _counts(report_counts: tuple[object, ...]) -> dict[str, int]:
    return {c.label.zh: c.count for c in report_counts}  # type: ignore[attr-defined]


def test_daily_report_counts_what_happened_that_day(
    db: Database, workstation: WorkstationInfo, world: h.World
) -> None:
    report = ReportService(db, workstation).daily(DAY)
    assert (report.incidents, report.key_incidents) == (3, 1)
    assert (report.watched, report.watch_findings) == (3, 2)
    assert report.follow_ups == 3
    assert _counts(report.follow_ups_by_method) == {"当场面访": 1, "电话回访": 2, "上门走访": 0}
    assert _counts(report.follow_ups_by_satisfaction) == {
        "满意": 2, "基本满意": 0, "不满意": 1, "未联系上": 0}
    assert report.audits_submitted == 1
    assert _counts(report.audit_decisions) == {"同意": 1, "退回补正": 1, "不同意": 0}
    assert report.rectifications_opened == 2
    assert report.rectifications_signed_off == 1
    assert report.rectifications_overdue == 1
    # Two items opened, and the finding that opened none: one problem of each type.
    assert _counts(report.problems_by_type) == {"降格处理": 1, "有案不立": 1, "压案不查": 1}
    listed = {(p.problem_type.zh, p.unit_name, p.description) for p in report.problems}
    assert listed == {
        ("降格处理", "刑侦中队", "降格处理：盗窃案按治安处理"),
        ("有案不立", "城关派出所", "有案不立：盗窃警情未受案"),
        ("压案不查", "城关派出所", "纠纷警情受理后未调查"),
    }
    assert not report.is_empty


def test_the_day_before_is_counted_on_its_own(
    db: Database, workstation: WorkstationInfo, world: h.World
) -> None:
    report = ReportService(db, workstation).daily(BEFORE)
    assert (report.incidents, report.key_incidents, report.watched) == (1, 1, 1)
    assert _counts(report.audit_decisions)["同意"] == 1
    assert [p.problem_type.zh for p in report.problems] == ["压案不查"]


def test_a_day_without_data_is_an_honest_empty_report(
    db: Database, workstation: WorkstationInfo, world: h.World
) -> None:
    report = ReportService(db, workstation).daily(dt.date(2020, 1, 1))
    assert report.is_empty
    assert (report.incidents, report.watched, report.follow_ups, report.problems) == (0, 0, 0, ())
    assert all(c.count == 0 for c in report.follow_ups_by_method)
    text = _text(render_daily_report(report))
    assert "本日无执法数据记录" in text


def test_deadlines_due_come_from_the_deadline_engine(
    db: Database, workstation: WorkstationInfo, world: h.World
) -> None:
    service = ReportService(db, workstation)
    assert sum(c.count for c in service.daily(DAY).deadlines) == 0
    # A criminal detention five days before with no arrest request: overdue (Art. 91).
    case_id = h.case(db, workstation, world.unit_a, world.officer_a)
    person = h.add(db, workstation, CasePerson(case_id=case_id, role=PersonRole.SUSPECT,
                                               name="张三"))
    h.add(db, workstation, CoerciveMeasure(person_id=person, kind=MeasureKind.CRIMINAL_DETENTION,
                                           started_at=at(DAY - dt.timedelta(days=5), 10)))
    assert _counts(service.daily(DAY).deadlines)["已逾期"] >= 1


def test_bulletin_numbers_run_per_year_and_a_period_keeps_its_number(
    db: Database, workstation: WorkstationInfo, world: h.World
) -> None:
    service = ReportService(db, workstation)
    first = service.bulletin(dt.date(2026, 11, 1), dt.date(2026, 11, 14))
    second = service.bulletin(dt.date(2026, 11, 15), dt.date(2026, 11, 28))
    again = service.bulletin(dt.date(2026, 11, 1), dt.date(2026, 11, 14))
    # A period that ends in the new year belongs to it.
    turn = service.bulletin(dt.date(2026, 12, 25), dt.date(2027, 1, 7))
    next_year = service.bulletin(dt.date(2027, 1, 8), dt.date(2027, 1, 21))
    assert [(b.year, b.number) for b in (first, second, again, turn, next_year)] == [
        (2026, 1), (2026, 2), (2026, 1), (2027, 1), (2027, 2)]
    assert service.issues(2026) == [(1, dt.date(2026, 11, 1), dt.date(2026, 11, 14)),
                                    (2, dt.date(2026, 11, 15), dt.date(2026, 11, 28))]
    with db.read() as session:
        trail = session.scalars(select(AuditEntry).where(
            AuditEntry.entity == "bulletin_issue")).all()
    assert len(trail) == 4  # one insert per number allocated, none for the repeat
    assert {e.actor_name for e in trail} == {workstation.operator_name}


def test_bulletin_lists_the_problems_and_the_units_responsible(
    db: Database, workstation: WorkstationInfo, world: h.World
) -> None:
    bulletin = ReportService(db, workstation).bulletin(BEFORE, DAY)
    assert bulletin.incidents == 4
    units = {u.unit_name: (u.count, u.signed_off) for u in bulletin.problems_by_unit}
    # 城关派出所: one item, and the two findings (this day and the day before) without one.
    assert units == {"刑侦中队": (1, 0), "城关派出所": (3, 0)}
    assert [u.unit_name for u in bulletin.problems_by_unit] == ["城关派出所", "刑侦中队"]
    assert len(bulletin.problems) == 4  # two items and two findings without one


def test_a_bad_period_is_refused_and_nothing_is_numbered(
    db: Database, workstation: WorkstationInfo
) -> None:
    service = ReportService(db, workstation)
    with pytest.raises(ValidationError, match="before the start"):
        service.bulletin(dt.date(2026, 11, 14), dt.date(2026, 11, 1))
    assert service.issues(2026) == []


# --- PDFs ---------------------------------------------------------------------------


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in _reader(pdf).pages))


def _fonts(pdf: bytes) -> dict[str, object]:
    fonts = {}
    for page in _reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = descriptor.get_object()
    return fonts


def test_daily_report_pdf_holds_the_numbers_and_problems(
    db: Database, workstation: WorkstationInfo, world: h.World
) -> None:
    report: DailyReport = ReportService(db, workstation).daily(DAY)
    pdf = render_daily_report(report)
    text = _text(pdf)
    assert "每日执法情况" in text and "2026年11月20日" in text
    assert "城关派出所" in text  # the issuing station
    assert "接报警情3" in text and "其中重点警情1" in text and "逾期未销号（截至当日）1" in text
    assert "回访3次" in text and "电话回访2" in text
    for description in ("降格处理：盗窃案按治安处理", "有案不立：盗窃警情未受案"):
        assert description in text
    assert "第1页共1页" in text
    fonts = _fonts(pdf)
    assert any("WenQuanYiMicroHei" in name for name in fonts)
    for name, descriptor in fonts.items():
        assert "/FontFile2" in descriptor, f"{name} is not embedded"  # type: ignore[operator]


def test_bulletin_pdf_has_its_number_and_pages_counted(
    db: Database, workstation: WorkstationInfo, world: h.World
) -> None:
    # Enough items to need several pages.
    for n in range(60):
        h.rectification(db, workstation, DAY, AFTER, description=f"问题第{n}号",
                        unit_id=world.unit_b)
    bulletin = ReportService(db, workstation).bulletin(BEFORE, DAY)
    pdf = render_bulletin(bulletin)
    reader = _reader(pdf)
    total = len(reader.pages)
    assert total > 1
    for number, page in enumerate(reader.pages, start=1):
        assert f"第{number}页共{total}页" in re.sub(r"\s+", "", page.extract_text())
    text = _text(pdf)
    assert "日常执法质量巡查通报" in text and "2026年第1期" in text
    assert "刑侦中队61" in text  # the unit with its count of problems
    assert "问题第59号" in text


def test_report_command_writes_both_pdfs(
    folder: DataFolder, db: Database, workstation: WorkstationInfo, world: h.World,
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    daily, bulletin = tmp_path / "daily.pdf", tmp_path / "bulletin.pdf"
    base = ["--data-dir", str(folder.root), "report"]
    assert main([*base, "daily", "--date", DAY.isoformat(), "-o", str(daily)]) == 0
    assert main([*base, "bulletin", "--from", "2026-11-19", "--to", "2026-11-20",
                 "-o", str(bulletin)]) == 0
    assert "接报警情3" in _text(daily.read_bytes())
    assert "2026年第1期" in _text(bulletin.read_bytes())
    assert main([*base, "daily", "--date", "2026-13-01", "-o", str(daily)]) == 2
    assert "日期" in capsys.readouterr().err
