"""The printed case audit form (案件审核调查登记表): an A4 form in the style of an
official Chinese police form.

Layout: a title, one ruled grid of label/value cells (platypus Tables whose outer
frame lines join into one grid), the persons with their ID numbers and measures,
the review points with vector check boxes (the bundled font has no ☑), and the
opinion blocks of every round of the review chain. Rows split across pages
(``splitInRow``), so a long opinion flows onto continuation pages and nothing is
clipped. Every page carries "第 x 页 共 y 页" and the form's number and revision.

Text that the font cannot draw is never dropped silently: :func:`render_audit_form`
raises :class:`~lawsup_desktop.pdf.fonts.MissingGlyphError` naming the field, or,
when the user has agreed to print anyway, draws an empty box in place of each
missing character (to be filled in by hand) — see :func:`unprintable_fields`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from lawsup_desktop.domain.audit_form import (
    LEVELS,
    REVIEW_POINTS,
    PointCheck,
    StepView,
    level_role,
)
from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.domain.vocabulary import Decision
from lawsup_desktop.pdf.common import numbered_canvas
from lawsup_desktop.pdf.fonts import (
    CJK_FONT_NAME,
    MissingGlyphError,
    check_fields,
    font_for,
    paragraph_markup,
    register_cjk_font,
)

if TYPE_CHECKING:
    from lawsup_desktop.services.audits import AuditPrintData

TITLE = "案件审核调查登记表"
PLACEHOLDER = "□"  # drawn for a character the font lacks, when the user accepts that

# Sizes in points; A4 is 595 x 842.
FONT_SIZE = 10.5
SMALL = 8.5
MARGIN_X = 50
MARGIN_TOP = 56
MARGIN_BOTTOM = 56
LINE = 0.8  # the grid's rule width
BOX = 8.5  # side of a check box
PADDING_X = 5  # left and right padding of a cell


# --- text fields and the glyph check ------------------------------------------------


def _datetime(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y年%m月%d日 %H:%M}"


def _date(value: date | datetime | None) -> str:
    return "" if value is None else f"{value:%Y年%m月%d日}"


def _fields(data: AuditPrintData) -> Iterator[tuple[Text, str]]:
    """Every text the form prints, with the field it comes from (for the glyph check)."""
    case, audit = data.case, data.audit
    yield Text("单位", "Station"), data.station_name
    yield Text("案件编号", "Case number"), case.case_no
    yield Text("案件名称", "Case name"), case.name
    yield Text("案由", "Cause"), case.cause
    yield Text("办案单位", "Handling unit"), case.unit.name if case.unit else ""
    yield Text("主办民警", "Lead officer"), case.lead_officer.name if case.lead_officer else ""
    for officer in case.assisting:
        yield Text("协办民警", "Assisting officer"), officer.name
    for person in case.persons:
        yield Text("涉案人员姓名", "Person's name"), person.name
        for measure in person.measures:
            where = Text(f"强制措施备注（{person.name}）", f"Measure note ({person.name})")
            yield where, measure.note
    yield Text("简要案情", "Facts in brief"), audit.facts
    yield Text("拟处理意见", "Proposed handling"), audit.proposed_handling
    for point in REVIEW_POINTS:
        note = audit.points.get(point.code, PointCheck()).note
        yield Text(f"审核要点说明（{point.label.zh}）", f"Note on {point.label.en}"), note
    yield Text("发现问题", "Problems found"), audit.problems_found
    for step in audit.steps:
        where = Text(
            f"第{step.round}轮{level_role(step.level).label.zh}意见",
            f"Round {step.round}, {level_role(step.level).label.en}'s opinion",
        )
        yield where, step.opinion
        yield Text(f"{where.zh}·审核人", f"{where.en}: reviewer"), step.reviewer_name
        yield Text(f"{where.zh}·录入人", f"{where.en}: entered by"), step.entered_by_name


def unprintable_fields(data: AuditPrintData) -> list[MissingGlyphError]:
    """One error per field holding characters the font lacks (empty: all printable)."""
    return check_fields(_fields(data))


class UnprintableFormError(LawsupError):
    """Several fields hold characters the font lacks; ``problems`` has one per field."""

    def __init__(self, problems: Sequence[MissingGlyphError]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            Text(
                "\n".join(p.message.zh for p in problems),
                "\n".join(p.message.en for p in problems),
            )
        )


# --- drawing helpers -------------------------------------------------------------------


class _Styles:
    def __init__(self) -> None:
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.styles import ParagraphStyle

        font = register_cjk_font()
        self.body = ParagraphStyle(
            "body", fontName=font, fontSize=FONT_SIZE, leading=FONT_SIZE * 1.45,
            wordWrap="CJK",
        )
        self.small = ParagraphStyle(
            "small", parent=self.body, fontSize=SMALL, leading=SMALL * 1.4
        )
        self.small_center = ParagraphStyle("small_center", parent=self.small, alignment=TA_CENTER)
        self.title = ParagraphStyle(
            "title", fontName=font, fontSize=22, leading=30, alignment=TA_CENTER
        )
        self.heading = ParagraphStyle(
            "heading", parent=self.body, fontSize=11.5, leading=16, alignment=TA_CENTER
        )


_styles: _Styles | None = None


def _get_styles() -> _Styles:
    global _styles
    if _styles is None:
        _styles = _Styles()
    return _styles


class _Renderer:
    """Builds the story of one form."""

    def __init__(self, data: AuditPrintData, substitute_missing: bool) -> None:
        self.data = data
        self.substitute = substitute_missing
        self.styles = _get_styles()

    # -- text ---------------------------------------------------------------------

    def para(self, text: str, style: Any = None, *, blank: str = "") -> Any:
        from reportlab.platypus import Paragraph

        text = text.strip() or blank
        placeholder = PLACEHOLDER if self.substitute else None
        markup = paragraph_markup(text, placeholder=placeholder) or "&nbsp;"
        return Paragraph(markup, style or self.styles.body)

    def long_paras(self, text: str, *, blank: str = "（无）") -> list[Any]:
        """A long text as one paragraph per line, so that a row can split between them."""
        lines = [line for line in text.strip().splitlines() if line.strip()]
        if not lines:
            return [self.para(blank)]
        return [self.para(line) for line in lines]

    def value(self, text: str, width: float, size: float = FONT_SIZE) -> Any:
        """A field value in a cell ``width`` (fraction of the frame) wide: a plain
        table string when it fits on one line in the main font (ten times cheaper to
        lay out than a Paragraph), otherwise a wrapping Paragraph."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        text = text.strip()
        room = self.width * width - 2 * PADDING_X
        if (
            "\n" not in text
            and "\u3000" not in text
            and all(font_for(c) == CJK_FONT_NAME for c in text)
            and stringWidth(text, CJK_FONT_NAME, size) <= room
        ):
            return text
        style = self.styles.body if size == FONT_SIZE else self.styles.small
        return self.para(text, style)

    @staticmethod
    def label(text: str) -> str:
        """A fixed label: a plain table string (centred by the grid), much cheaper to
        lay out than a Paragraph; labels hold only characters the main font has."""
        return text

    # -- the story -------------------------------------------------------------------

    def story(self) -> list[Any]:
        from reportlab.platypus import Spacer

        s = self.styles
        audit = self.data.audit
        story: list[Any] = [
            Title(TITLE),
            Spacer(0, 4),
            self._header_line(),
            Spacer(0, 4),
            FrameRule(),
            self._case_table(),
            self._persons_table(),
            self._text_table(),
            self._points_table(),
        ]
        rounds = self._rounds()
        for number, steps, open_levels in rounds:
            story.extend(self._round_tables(number, steps, open_levels, len(rounds) > 1))
        story.append(FrameRule())
        story.append(Spacer(0, 6))
        story.append(
            self.para(
                f"审核状态：{audit.status.label.zh}　　共 {max(1, len(rounds))} 轮审核　　"
                f"打印时间：{_datetime(datetime.now())}",
                s.small,
            )
        )
        return story

    def _header_line(self) -> Any:
        from reportlab.platypus import Table, TableStyle

        s = self.styles
        audit = self.data.audit
        table = Table(
            [[
                self.para(f"填报单位：{self.data.station_name}", s.small),
                self.para(
                    f"编号：{audit.form_no}　　填表日期：{_date(audit.created_at.astimezone())}",
                    s.small,
                ),
            ]],
            colWidths=[self.width * 0.45, self.width * 0.55],
        )
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), register_cjk_font()),
            ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]))
        return table

    @property
    def width(self) -> float:
        from reportlab.lib.pagesizes import A4

        return float(A4[0] - 2 * MARGIN_X)

    def _grid(self, rows: list[list[Any]], widths: Sequence[float], extra: Sequence[Any] = (),
              *, repeat: int = 0) -> Any:
        from reportlab.platypus import Table, TableStyle

        table = Table(
            rows, colWidths=[self.width * w for w in widths], splitInRow=1, repeatRows=repeat
        )
        table.setStyle(TableStyle([
            # For the plain-string cells (labels), and not Helvetica anywhere.
            ("FONTNAME", (0, 0), (-1, -1), register_cjk_font()),
            ("FONTSIZE", (0, 0), (-1, -1), FONT_SIZE),
            ("LEADING", (0, 0), (-1, -1), FONT_SIZE * 1.45),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("GRID", (0, 0), (-1, -1), LINE / 2, "black"),
            # Heavy outer frame, light inner rules. The form is a stack of tables:
            # each draws its own sides; the first and last add the top and bottom.
            ("LINEBEFORE", (0, 0), (0, -1), LINE * 1.4, "black"),
            ("LINEAFTER", (-1, 0), (-1, -1), LINE * 1.4, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING_X),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING_X),
            *extra,
        ]))
        return table

    def _case_table(self) -> Any:
        case = self.data.case
        audit = self.data.audit
        lab = self.label
        assisting = "、".join(o.name for o in case.assisting)
        rows = [
            [lab("案件编号"), self.value(case.case_no, 0.35), lab("案件类别"),
             CheckChoice([(k.label.zh, case.kind == k) for k in type(case.kind)])],
            [lab("案件名称"), self.value(case.name, 0.85), "", ""],
            [lab("案　　由"), self.value(case.cause, 0.35), lab("办案单位"),
             self.value(case.unit.name if case.unit else "", 0.35)],
            [lab("主办民警"),
             self.value(case.lead_officer.name if case.lead_officer else "", 0.35),
             lab("协办民警"), self.value(assisting, 0.35)],
            [lab("受案时间"), self.value(_datetime(case.accepted_at), 0.35),
             lab("立案时间"), self.value(_datetime(case.registered_at), 0.35)],
            [lab("重大疑难案件"),
             CheckChoice([("是", audit.is_major), ("否", not audit.is_major)]),
             lab("审核状态"), self.value(audit.status.label.zh, 0.35)],
        ]
        return self._grid(
            rows,
            (0.15, 0.35, 0.15, 0.35),
            [("SPAN", (1, 1), (3, 1)), ("ALIGN", (1, 0), (1, -1), "LEFT"),
             ("ALIGN", (3, 0), (3, -1), "LEFT")],
        )

    def _persons_table(self) -> Any:
        s = self.styles
        case = self.data.case
        head = ["序号", "身份", "姓名", "性别", "出生日期", "身份证号码", "强制措施及起始时间"]
        rows: list[list[Any]] = [list(head)]
        for number, person in enumerate(case.persons, start=1):
            measures = "\n".join(
                f"{m.kind.label.zh} {_datetime(m.started_at)}"
                + (f" 至 {_datetime(m.ended_at)}" if m.ended_at else "")
                + (f"（{m.note}）" if m.note else "")
                for m in person.measures
            ) or "无"
            rows.append([
                str(number),
                person.role.label.zh.split("/")[0],
                self.value(person.name, 0.11, SMALL),
                person.gender.label.zh if person.gender else "",
                _date(person.birth_date),
                person.id_number or "",
                self.para(measures, s.small),
            ])
        if not case.persons:
            rows.append(["（无涉案人员）", "", "", "", "", "", ""])
        extra = [("SPAN", (0, 1), (-1, 1))] if not case.persons else []
        title = [self.para("涉案人员及强制措施", self.styles.heading), "", "", "", "", "", ""]
        return self._grid(
            [title, *rows],
            (0.05, 0.13, 0.11, 0.06, 0.15, 0.22, 0.28),
            [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 1), "#f0f0f0"),
             ("FONTSIZE", (0, 1), (-1, -1), SMALL), ("LEADING", (0, 1), (-1, -1), SMALL * 1.4),
             *extra],
            repeat=2,
        )

    def _text_table(self) -> Any:
        audit = self.data.audit
        rows = [
            [self.label("简要案情"), self.long_paras(audit.facts)],
            [self.label("拟处理意见"), self.long_paras(audit.proposed_handling)],
        ]
        return self._grid(rows, (0.15, 0.85), [("VALIGN", (1, 0), (1, -1), "TOP")])

    def _points_table(self) -> Any:
        audit = self.data.audit
        rows: list[list[Any]] = [[
            self.para("审核要点", self.styles.heading), "",
            self.para("审核说明", self.styles.heading),
        ]]
        for number, point in enumerate(REVIEW_POINTS, start=1):
            check = audit.points.get(point.code, PointCheck())
            mark = "" if point.required else "（如适用）"
            rows.append([
                CheckBox(check.checked),
                f"{number}. {point.label.zh}{mark}",
                self.value(check.note, 0.58, SMALL),
            ])
        rows.append([self.label("发现问题"), "", self.long_paras(audit.problems_found)])
        return self._grid(
            rows,
            (0.05, 0.37, 0.58),
            [
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (0, -1), (1, -1)),
                ("ALIGN", (0, 1), (0, -2), "CENTER"),
                ("ALIGN", (1, 1), (2, -2), "LEFT"),
                ("FONTSIZE", (2, 1), (2, -2), SMALL),
                ("LINEAFTER", (0, 1), (0, -2), 0, "white"),
                ("VALIGN", (2, -1), (2, -1), "TOP"),
            ],
        )

    # -- the review chain ---------------------------------------------------------------

    def _rounds(self) -> list[tuple[int, list[StepView], list[int]]]:
        """Per round: its signed steps, and the levels still open (blank blocks to sign)."""
        audit = self.data.audit
        status = audit.status
        by_round: dict[int, list[StepView]] = {}
        for step in audit.steps:
            by_round.setdefault(step.round, []).append(step)
        numbers = set(by_round)
        if not status.finished:
            numbers.add(status.round)  # the round being signed, or the next after a return
        rounds: list[tuple[int, list[StepView], list[int]]] = []
        for number in sorted(numbers):
            steps = sorted(by_round.get(number, []), key=lambda s: s.level)
            open_levels: list[int] = []
            if number == status.round and not status.finished:
                signed = {s.level for s in steps}
                open_levels = [lv for lv in range(1, LEVELS + 1) if lv not in signed]
            rounds.append((number, steps, open_levels))
        return rounds

    def _round_tables(
        self, number: int, steps: list[StepView], open_levels: list[int], several: bool
    ) -> list[Any]:
        """The round's heading and one table per level. Each block is kept on one page
        when it fits; a block longer than a page splits between its lines."""
        from reportlab.platypus import KeepTogether

        blocks: list[tuple[int, StepView | None]] = [(s.level, s) for s in steps]
        blocks += [(level, None) for level in open_levels]
        blocks.sort(key=lambda b: b[0])
        outcome = ""
        if steps and steps[-1].decision is Decision.RETURN:
            outcome = "（本轮退回补正）"
        elif steps and steps[-1].decision is Decision.REJECT:
            outcome = "（本轮不同意，审核终止）"
        heading = f"第{number}轮审核意见{outcome}" if several else f"审核意见{outcome}"
        tables = [
            self._grid(
                [[self.para(heading, self.styles.heading)]],
                (1.0,),
                [("BACKGROUND", (0, 0), (-1, 0), "#f0f0f0")],
            )
        ]
        for level, step in blocks:
            tables.append(
                self._grid(
                    [[self.label(f"{level_role(level).label.zh}\n意见"), self._block(step)]],
                    (0.15, 0.85),
                    # Top-aligned: a block split over pages keeps its label on the first.
                    [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (0, -1), 8),
                     ("ALIGN", (1, 0), (1, 0), "LEFT")],
                )
            )
        # A block that fits on a page is kept on one page, and the heading stays
        # with the first block. A longer block is left free to split between its
        # lines (KeepTogether would first push it to a new page, leaving a gap).
        long_levels = {
            s.level for s in steps if len(s.opinion) > 600 or s.opinion.count("\n") > 15
        }
        levels = [level for level, _ in blocks]
        groups = [(tables[:2], levels[0])]
        groups += [([t], level) for t, level in zip(tables[2:], levels[1:], strict=True)]
        story: list[Any] = []
        for group, level in groups:
            # Measuring a block costs a layout: only measure one with a long opinion.
            fits = level not in long_levels or self._fits_on_a_page(group)
            story.extend([KeepTogether(group)] if fits else group)
        return story

    def _fits_on_a_page(self, group: list[Any]) -> bool:
        from reportlab.lib.pagesizes import A4

        frame_height = float(A4[1]) - MARGIN_TOP - MARGIN_BOTTOM - 12  # the frame padding
        heights = [float(t.wrap(self.width, frame_height)[1]) for t in group]
        return sum(heights) <= frame_height

    def _block(self, step: StepView | None) -> list[Any]:
        """Decision boxes, the opinion, and the signature line of one level."""
        s = self.styles
        choice = CheckChoice(
            [(d.label.zh, step is not None and step.decision is d) for d in Decision]
        )
        if step is None:
            # Room to write the opinion by hand, and a line to sign.
            return [
                choice,
                *(self.para("", blank="\u3000") for _ in range(3)),
                self.para("审核人（签名）：＿＿＿＿＿＿　　日期：　　　年　　月　　日", s.small),
            ]
        entered = (
            f"　　录入人：{step.entered_by_name}"
            if step.entered_by_id != step.reviewer_id else ""
        )
        signature = (
            f"审核人（签名）：{step.reviewer_name}{entered}　　"
            f"日期：{_datetime(step.reviewed_at)}"
        )
        return [choice, *self.long_paras(step.opinion), self.para(signature, s.small)]


def _flowable_classes() -> tuple[type, type, type, type]:
    from reportlab.platypus import Flowable

    class _CheckBox(Flowable):  # type: ignore[misc, unused-ignore]
        """A square box, ticked or not, drawn as vector lines."""

        def __init__(self, checked: bool) -> None:
            super().__init__()
            self.checked = checked
            self.width = self.height = BOX

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return BOX, BOX

        def draw(self) -> None:
            draw_box(self.canv, 0, 0, self.checked)

    class _CheckChoice(Flowable):  # type: ignore[misc, unused-ignore]
        """A row of options "□ 同意  ☑ 退回补正 ..." with vector boxes and text labels."""

        def __init__(self, options: list[tuple[str, bool]]) -> None:
            super().__init__()
            self.options = options
            self.font = register_cjk_font()
            self.height = FONT_SIZE * 1.45

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            self.width = sum(
                BOX + 4 + stringWidth(text, self.font, FONT_SIZE) + 14 for text, _ in self.options
            )
            return self.width, self.height

        def draw(self) -> None:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            canvas = self.canv
            x = 0.0
            base = (self.height - FONT_SIZE) / 2 + 1.5
            for text, checked in self.options:
                draw_box(canvas, x, base - 0.5, checked)
                x += BOX + 4
                canvas.setFont(self.font, FONT_SIZE)
                canvas.drawString(x, base, text)
                x += stringWidth(text, self.font, FONT_SIZE) + 14

    class _Title(Flowable):  # type: ignore[misc, unused-ignore]
        """The form's title, spaced and set heavier than the body (the font has one
        weight: fill and stroke the glyphs)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text
            self.font = register_cjk_font()
            self.size = 22.0

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            self.width = available_width
            return available_width, self.size * 1.5

        def draw(self) -> None:
            canvas = self.canv
            spacing = 4.0
            text_object = canvas.beginText()
            text_object.setFont(self.font, self.size)
            text_object.setCharSpace(spacing)
            text_object.setTextRenderMode(2)  # fill and stroke
            from reportlab.pdfbase.pdfmetrics import stringWidth

            width = stringWidth(self.text, self.font, self.size) + spacing * (len(self.text) - 1)
            text_object.setTextOrigin((self.width - width) / 2, self.size * 0.35)
            canvas.saveState()
            canvas.setLineWidth(0.45)
            text_object.textLine(self.text)
            canvas.drawText(text_object)
            canvas.restoreState()

    class _FrameRule(Flowable):  # type: ignore[misc, unused-ignore]
        """The heavy top or bottom line of the form's frame."""

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            self.width = available_width
            return available_width, 0

        def draw(self) -> None:
            self.canv.saveState()
            self.canv.setLineWidth(LINE * 1.4)
            self.canv.line(0, 0, self.width, 0)
            self.canv.restoreState()

    return _CheckBox, _CheckChoice, _Title, _FrameRule


def draw_box(canvas: Any, x: float, y: float, checked: bool) -> None:
    canvas.saveState()
    canvas.setLineWidth(0.7)
    canvas.rect(x, y, BOX, BOX, stroke=1, fill=0)
    if checked:
        canvas.setLineWidth(1.3)
        path = canvas.beginPath()
        path.moveTo(x + BOX * 0.18, y + BOX * 0.52)
        path.lineTo(x + BOX * 0.42, y + BOX * 0.22)
        path.lineTo(x + BOX * 0.86, y + BOX * 0.84)
        canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()


_flowables: tuple[type, type, type, type] | None = None


def _classes() -> tuple[type, type, type, type]:
    # Defined on first use: reportlab is imported only when a PDF is written.
    global _flowables
    if _flowables is None:
        _flowables = _flowable_classes()
    return _flowables


# Factories named like the flowables they build.
def CheckBox(checked: bool) -> Any:
    return _classes()[0](checked)


def CheckChoice(options: list[tuple[str, bool]]) -> Any:
    return _classes()[1](options)


def Title(text: str) -> Any:
    return _classes()[2](text)


def FrameRule() -> Any:
    return _classes()[3]()


# --- pages: running header, footer, "page x of y" ---------------------------------------------


def _numbered_canvas_class(form_no: str, version: int, case_no: str) -> type:
    return numbered_canvas(
        f"表单编号：{form_no}　　修订：第{version}版",
        f"{TITLE}（续）",
        f"案件编号：{case_no}",
        margin_x=MARGIN_X,
        margin_top=MARGIN_TOP,
        margin_bottom=MARGIN_BOTTOM,
        font_size=SMALL,
    )


# --- entry point --------------------------------------------------------------------------


def render_audit_form(data: AuditPrintData, *, substitute_missing: bool = False) -> bytes:
    """The form as PDF bytes.

    Raises :class:`MissingGlyphError` (one field) or :class:`UnprintableFormError`
    (several) when some text holds characters the font lacks, unless
    ``substitute_missing``: then each such character prints as an empty box.
    """
    if not substitute_missing:
        problems = unprintable_fields(data)
        if len(problems) == 1:
            raise problems[0]
        if problems:
            raise UnprintableFormError(problems)

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    audit = data.audit
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{TITLE} {audit.form_no}",
        author=data.station_name or "lawsup",
        subject=f"{data.case.case_no} {data.case.name}",
        creator="lawsup",
        # Otherwise every page would also reference (unembedded) Helvetica.
        initialFontName=register_cjk_font(),
        initialFontSize=FONT_SIZE,
    )
    story = _Renderer(data, substitute_missing).story()
    document.build(
        story, canvasmaker=_numbered_canvas_class(audit.form_no, audit.version, data.case.case_no)
    )
    return buffer.getvalue()
