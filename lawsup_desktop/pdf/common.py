"""What the flowing A4 documents share (reports, bulletins): the paragraph styles in
the bundled font, a ruled table, and a canvas that writes "第 x 页 共 y 页" on
every page (it holds the pages until the end to know how many there are).

reportlab is imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lawsup_desktop.pdf.fonts import paragraph_markup, register_cjk_font

MARGIN = 56  # points; A4 is 595 x 842
BODY_SIZE = 10.5
SMALL_SIZE = 8.5
CELL_SIZE = 9
CELL_PADDING = 4


@dataclass(frozen=True)
class Styles:
    title: Any
    subtitle: Any
    heading: Any
    body: Any
    small: Any
    cell: Any
    cell_center: Any


_styles: Styles | None = None


def styles() -> Styles:
    """The shared paragraph styles (made once, after the font is registered)."""
    global _styles
    if _styles is None:
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.styles import ParagraphStyle

        font = register_cjk_font()
        body = ParagraphStyle("lawsup_body", fontName=font, fontSize=BODY_SIZE,
                              leading=BODY_SIZE * 1.5, wordWrap="CJK")
        cell_style = ParagraphStyle("lawsup_cell", parent=body, fontSize=CELL_SIZE, leading=12)
        _styles = Styles(
            title=ParagraphStyle("lawsup_title", fontName=font, fontSize=20, leading=28,
                                 alignment=TA_CENTER, spaceAfter=6),
            subtitle=ParagraphStyle("lawsup_subtitle", parent=body, alignment=TA_CENTER),
            heading=ParagraphStyle("lawsup_heading", parent=body, fontSize=12.5, leading=18,
                                   spaceBefore=8, spaceAfter=4, keepWithNext=1),
            body=body,
            small=ParagraphStyle("lawsup_small", parent=body, fontSize=SMALL_SIZE,
                                 leading=SMALL_SIZE * 1.4),
            cell=cell_style,
            cell_center=ParagraphStyle("lawsup_cell_center", parent=cell_style,
                                       alignment=TA_CENTER),
        )
    return _styles


def para(text: str, style: Any = None) -> Any:
    """A paragraph of plain text (escaped; the fallback font where the main one lacks a
    glyph; a character no font has is printed as its code point, never dropped)."""
    from reportlab.platypus import Paragraph

    from lawsup_desktop.pdf.fonts import missing_glyphs

    for char in missing_glyphs(text):
        text = text.replace(char, f"[U+{ord(char):04X}]")
    return Paragraph(paragraph_markup(text) or "&nbsp;", style or styles().body)


def cell(text: str, width: float) -> Any:
    """A table cell: a plain string when the text fits on one line in the main font (a
    tenth of a Paragraph's layout cost, which counts for a bulletin of hundreds of
    problems), otherwise a wrapping paragraph."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from lawsup_desktop.pdf.fonts import CJK_FONT_NAME, font_for

    if ("\n" not in text and all(font_for(c) == CJK_FONT_NAME for c in set(text))
            and stringWidth(text, CJK_FONT_NAME, CELL_SIZE) <= width - 2 * CELL_PADDING):
        return text
    return para(text, styles().cell)


def table(header: Sequence[str], rows: Sequence[Sequence[str | int]],
          widths: Sequence[float], *, numeric_from: int | None = None) -> Any:
    """A ruled table with a shaded header row repeated on every page; columns from
    ``numeric_from`` on are right-aligned numbers."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    s = styles()
    data: list[list[Any]] = [[para(h, s.cell_center) for h in header]]
    data.extend([cell(str(v), width) for v, width in zip(row, widths, strict=True)]
                for row in rows)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), register_cjk_font()),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if numeric_from is not None:
        commands.append(("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"))
    result = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    result.setStyle(TableStyle(commands))
    return result


def numbered_canvas(
    footer_left: str,
    running_title: str = "",
    running_title_right: str = "",
    *,
    margin_x: float = MARGIN,
    margin_top: float = MARGIN,
    margin_bottom: float = MARGIN,
    font_size: float = SMALL_SIZE,
) -> type:
    """A canvas class whose pages end with ``footer_left`` and "第 x 页 共 y 页";
    pages after the first carry ``running_title`` (and ``running_title_right``) at the
    top. Each page is held until the end so every footer knows the page count."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    font = register_cjk_font()

    # Canvas is Any where reportlab has no type information, a class where it has.
    class NumberedCanvas(Canvas):  # type: ignore[misc, unused-ignore]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = A4
            right = width - margin_x
            self.saveState()
            self.setFont(font, font_size)
            self.setLineWidth(0.5)
            self.line(margin_x, margin_bottom - 14, right, margin_bottom - 14)
            self.drawString(margin_x, margin_bottom - 26, footer_left)
            self.drawRightString(right, margin_bottom - 26, f"第 {number} 页　共 {total} 页")
            if number > 1 and (running_title or running_title_right):
                top = height - margin_top
                self.drawString(margin_x, top + 18, running_title)
                if running_title_right:
                    self.drawRightString(right, top + 18, running_title_right)
                self.line(margin_x, top + 12, right, top + 12)
            self.restoreState()

    return NumberedCanvas


def build_a4(story: list[Any], *, title: str, author: str, footer_left: str,
             running_title: str = "") -> bytes:
    """Lay out ``story`` on portrait A4 pages and return the PDF bytes."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=title, author=author or "lawsup", creator="lawsup",
        # Otherwise every page would also reference (unembedded) Helvetica.
        initialFontName=register_cjk_font(), initialFontSize=BODY_SIZE,
    )
    document.build(story, canvasmaker=numbered_canvas(footer_left, running_title))
    return buffer.getvalue()


def frame_width() -> float:
    from reportlab.lib.pagesizes import A4

    return float(A4[0] - 2 * MARGIN)
