"""The printed audit form, read back with pypdf; page 1 rendered to PNG for a look."""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from audit_helpers import (
    ID_FEMALE,
    ID_MALE,
    Roster,
    complete_content,
    make_roster,
    register_case,
    walk_with_one_return,
)
from pypdf import PdfReader

from lawsup_desktop.cli import COMMANDS
from lawsup_desktop.commands import print as print_command
from lawsup_desktop.domain.audit_form import REVIEW_POINTS
from lawsup_desktop.domain.errors import NotFoundError, Text, ValidationError
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.pdf.audit_form import (
    PLACEHOLDER,
    UnprintableFormError,
    render_audit_form,
    unprintable_fields,
)
from lawsup_desktop.pdf.fonts import (
    CJK_FONT_NAME,
    FALLBACK_FONT_NAME,
    MissingGlyphError,
    font_for,
    missing_glyphs,
    paragraph_markup,
    require_glyphs,
)
from lawsup_desktop.services.audits import AuditPrintData, AuditService
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database


@pytest.fixture
def roster(db: Database, workstation: WorkstationInfo) -> Roster:
    return make_roster(db, workstation)


@pytest.fixture
def audits(db: Database, workstation: WorkstationInfo) -> AuditService:
    return AuditService(db, workstation)


@pytest.fixture
def approved(
    db: Database, workstation: WorkstationInfo, roster: Roster, audits: AuditService
) -> AuditPrintData:
    """A form walked through all five levels with one return (two rounds)."""
    case = register_case(db, workstation, roster)
    form = audits.create_form(case.id, complete_content(is_major=True))
    walk_with_one_return(audits, form.id, roster)
    return audits.print_data(form.id)


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


_FOOTER = re.compile(r"表单编号：.*?修订：第\d+版第\d+页共\d+页")
_CONTINUATION = re.compile(r"案件审核调查登记表（续）案件编号：.*$")


def _text(pdf: bytes) -> str:
    """The form's text without whitespace (line breaks fall anywhere in wrapped text)
    and without the running footer and header, so that text split by a page break
    reads on as it was written."""
    pages = []
    for page in _reader(pdf).pages:
        text = _squash(page.extract_text())
        # The footer and header are drawn last on each page (NumberedCanvas.save).
        pages.append(_CONTINUATION.sub("", _FOOTER.sub("", text)))
    return "".join(pages)


def _squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


def _ticks(pdf: bytes) -> int:
    """Ticked check boxes: each tick is stroked with the 1.3 pt line (see draw_box)."""
    return sum(
        len(re.findall(rb"\b1\.3 w\b", page.get_contents().get_data()))  # type: ignore[union-attr]
        for page in _reader(pdf).pages
    )


def test_every_field_and_every_opinion_of_both_rounds_is_in_the_pdf(
    approved: AuditPrintData,
) -> None:
    pdf = render_audit_form(approved)
    text = _text(pdf)
    case, audit = approved.case, approved.audit

    expected = [
        "案件审核调查登记表", approved.station_name, audit.form_no,
        case.case_no, case.name, case.cause, case.unit.name if case.unit else "?",
        "王主办", "李协办", "2026年11月02日09:30", "2026年11月03日16:00",
        "马某某", "刘某某", ID_MALE, ID_FEMALE, "1985年03月12日", "1992年07月08日",
        "刑事拘留2026年11月03日18:00", "取保候审2026年11月04日10:00", "保证金",
        audit.facts, audit.proposed_handling, audit.problems_found, "已通过",
        "第1轮审核意见（本轮退回补正）", "第2轮审核意见",
    ]
    expected += [p.label.zh for p in REVIEW_POINTS]
    expected += [audit.points[p.code].note for p in REVIEW_POINTS]
    assert len(audit.steps) == 8
    for step in audit.steps:
        expected += [step.opinion, step.reviewer_name, f"{step.reviewed_at:%Y年%m月%d日%H:%M}"]
    missing = [value for value in expected if _squash(value) not in text]
    assert missing == []
    # Each opinion is printed once: none lost, none duplicated.
    assert text.count(_squash("第一轮退回：证据不足，请补充监控录像。")) == 1
    # Ticks: case kind + major-case flag + 8 review points + one decision per step.
    assert _ticks(pdf) == 1 + 1 + len(REVIEW_POINTS) + len(audit.steps)


def test_fonts_are_embedded_subsets(approved: AuditPrintData) -> None:
    reader = _reader(render_audit_form(approved))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:  # a Type0 font: the descriptor is on its descendant
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = descriptor.get_object()
    assert fonts, "no fonts at all?"
    for name, descriptor in fonts.items():
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
        assert re.fullmatch(r"/[A-Z]{6}\+.+", name), f"{name} is not a subset"
    assert any("WenQuanYiMicroHei" in name for name in fonts)


def test_a_5000_character_opinion_flows_over_pages_with_nothing_lost(
    approved: AuditPrintData,
) -> None:
    sentence = "经审查，该案事实清楚，证据确实充分，适用法律正确，程序合法。第{}段ABC123。"
    paragraphs, length = [], 0
    number = 0
    while length < 5000:
        number += 1
        paragraph = "".join(sentence.format(f"{number}-{i}") for i in range(8))
        paragraphs.append(paragraph)
        length += len(paragraph) + 1
    opinion = "\n".join(paragraphs)
    assert len(opinion) >= 5000
    steps = list(approved.audit.steps)
    steps[3] = replace(steps[3], opinion=opinion)
    data = replace(approved, audit=replace(approved.audit, steps=tuple(steps)))

    pdf = render_audit_form(data)

    reader = _reader(pdf)
    short = _reader(render_audit_form(approved))
    assert len(reader.pages) >= len(short.pages) + 2
    text = _text(pdf)
    for paragraph in paragraphs:
        assert _squash(paragraph) in text
    # The other opinions are still all there, after the long one.
    assert _squash(steps[7].opinion) in text
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert _squash(f"第 {number} 页　共 {total} 页") in _squash(page.extract_text())


def test_footer_carries_form_number_and_revision_and_continuation_header(
    approved: AuditPrintData,
) -> None:
    reader = _reader(render_audit_form(approved))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        page_text = _squash(page.extract_text())
        assert _squash(f"表单编号：{approved.audit.form_no}") in page_text
        assert _squash(f"修订：第{approved.audit.version}版") in page_text
    assert "案件审核调查登记表（续）" in _squash(reader.pages[1].extract_text())


def test_symbols_latin_and_digits_render(approved: AuditPrintData) -> None:
    facts = "室温 ℃ 25℃；编号№ 7；序号①②③；Latin ABCxyz 0123456789；温度°F"
    data = replace(approved, audit=replace(approved.audit, facts=facts))
    assert unprintable_fields(data) == []
    assert _squash(facts) in _text(render_audit_form(data))


def test_the_empty_celsius_glyph_of_the_main_font_falls_back(approved: AuditPrintData) -> None:
    # WenQuanYi Micro Hei maps ℃ to a glyph without outline: it would print blank.
    assert font_for("℃") == FALLBACK_FONT_NAME
    assert font_for("中") == CJK_FONT_NAME and font_for("①") == CJK_FONT_NAME
    assert paragraph_markup("5℃") == f'5<font name="{FALLBACK_FONT_NAME}">℃</font>'
    assert paragraph_markup("a<b & c\nd") == "a&lt;b &amp; c<br/>d"


def test_rare_characters_outside_the_fonts_are_reported_never_dropped(
    approved: AuditPrintData,
) -> None:
    assert missing_glyphs("刘䶮 ℃① abc\n\t") == {"䶮"}
    with pytest.raises(MissingGlyphError) as error:
        require_glyphs(Text("姓名", "Name"), "刘䶮")
    assert error.value.message.zh.startswith("姓名：字体缺少以下字符，无法打印：䶮（U+4DAE）")

    persons = list(approved.case.persons)
    persons[0] = replace(persons[0], name="马䶮")
    data = replace(approved, case=replace(approved.case, persons=tuple(persons)))
    with pytest.raises(MissingGlyphError) as error:
        render_audit_form(data)
    assert "涉案人员姓名" in error.value.message.zh and "䶮" in error.value.characters

    # Two fields: both named in one error.
    data = replace(data, audit=replace(data.audit, facts="案情涉及𠀀字"))
    with pytest.raises(UnprintableFormError) as many:
        render_audit_form(data)
    assert "涉案人员姓名" in many.value.message.zh and "简要案情" in many.value.message.zh
    assert "U+20000" in many.value.message.en

    # When the user accepts it, each missing character prints as a box to fill in by hand.
    text = _text(render_audit_form(data, substitute_missing=True))
    assert f"马{PLACEHOLDER}" in text and f"案情涉及{PLACEHOLDER}字" in text


def test_a_draft_prints_blank_opinion_blocks_to_sign_by_hand(
    db: Database, workstation: WorkstationInfo, roster: Roster, audits: AuditService
) -> None:
    case = register_case(db, workstation, roster)
    form = audits.create_form(case.id)
    pdf = render_audit_form(audits.print_data(form.id))
    text = _text(pdf)
    assert text.count("审核人（签名）：＿＿＿＿＿＿") == 5
    assert "草稿" in text and "（无）" in text
    assert _ticks(pdf) == 1 + 1  # case kind, "not major"; nothing else checked


def test_a_typical_form_is_small(approved: AuditPrintData) -> None:
    assert len(render_audit_form(approved)) <= 200 * 1024


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_page_one_renders_to_png(approved: AuditPrintData, artifacts: Path) -> None:
    pdf_path = artifacts / "audit_form_two_rounds.pdf"
    pdf_path.write_bytes(render_audit_form(approved))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
         str(pdf_path), str(artifacts / "audit_form_page1")],
        check=True,
    )
    png = artifacts / "audit_form_page1.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000  # a page with a grid and text, not a blank


# --- the command line ----------------------------------------------------------------


def _lawsup_print(folder: DataFolder, *argv: str) -> int:
    """Run ``lawsup print ...`` as cli.main does, with only this subcommand registered
    (so these tests do not depend on the other subcommands' modules)."""
    parser = argparse.ArgumentParser(prog="lawsup")
    print_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["print", *argv])
    code: int = args.run(args, folder)
    return code


def test_lawsup_print_audit_and_audits(
    approved: AuditPrintData, folder: DataFolder, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert "print" in COMMANDS
    target = tmp_path / "one.pdf"
    assert _lawsup_print(folder, "audit", approved.case.case_no, "-o", str(target)) == 0
    assert _squash(approved.audit.steps[-1].opinion) in _text(target.read_bytes())
    assert approved.audit.form_no in capsys.readouterr().out

    out_dir = tmp_path / "many"
    code = _lawsup_print(
        folder, "audits", "--state", "已通过", "--since", "2020-01-01", "-o", str(out_dir)
    )
    captured = capsys.readouterr()
    assert code == 0
    assert [p.name for p in out_dir.iterdir()] == [
        f"{approved.audit.form_no}_{approved.case.case_no}.pdf"
    ]
    assert "1/1" in captured.err and "exported 1 forms" in captured.out

    assert _lawsup_print(folder, "audits", "--state", "rejected", "-o", str(tmp_path / "no")) == 0
    assert not list((tmp_path / "no").iterdir())


def test_lawsup_print_reports_bad_input_clearly(
    approved: AuditPrintData, folder: DataFolder, tmp_path: Path
) -> None:
    with pytest.raises(NotFoundError) as missing:
        _lawsup_print(folder, "audit", "NO-SUCH", "-o", str(tmp_path / "x.pdf"))
    assert missing.value.message.zh == "案件“NO-SUCH”不存在或已删除。"
    with pytest.raises(ValidationError) as bad_state:
        _lawsup_print(folder, "audits", "--state", "半通过", "-o", str(tmp_path))
    assert "没有“半通过”这个状态" in bad_state.value.message.zh
    assert "approved" in bad_state.value.message.en
    with pytest.raises(ValidationError) as bad_date:
        _lawsup_print(folder, "audits", "--since", "昨天", "-o", str(tmp_path))
    assert bad_date.value.field.zh == "起始日期"
    assert not (tmp_path / "x.pdf").exists()
