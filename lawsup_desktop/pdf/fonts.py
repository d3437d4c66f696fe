"""The fonts every PDF of the program uses, and the check for characters they lack.

The main font is the bundled WenQuanYi Micro Hei (Apache-2.0: it may be
redistributed and embedded). It covers GB 2312 and most of GBK, Latin, digits
and symbols such as ① №, but not every 生僻字 found in names (e.g. 䶮), and
some symbols it maps to an *empty* glyph: ℃ (U+2103) is in its character map
but has no outline, so it would print as a blank. A character counts as
drawable only when its glyph has an outline (or it is a space).

The bundled DejaVu Sans (Bitstream Vera licence) is a fallback for symbols and
Latin characters the main font cannot draw: :func:`paragraph_markup` switches
to it character by character. What neither font can draw is reported, never
dropped silently: callers check text with :func:`missing_glyphs` or
:func:`require_glyphs` (which raises :class:`MissingGlyphError` naming the field).

Usage::

    from lawsup_desktop.pdf.fonts import register_cjk_font, require_glyphs
    font = register_cjk_font()          # name to use in styles / setFont
    require_glyphs(Text("姓名", "Name"), person_name)   # raises MissingGlyphError
    Paragraph(paragraph_markup(text), style)            # with fallback runs
"""

from __future__ import annotations

import importlib.resources
import struct
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from lawsup_desktop.domain.errors import LawsupError, Text

#: The name under which the main font is registered with reportlab.
CJK_FONT_NAME = "WenQuanYiMicroHei"
#: The fallback font's name (registered only if its file is bundled).
FALLBACK_FONT_NAME = "LawsupDejaVuSans"

_MAIN_FILE = "wqy-microhei.ttc"
_FALLBACK_FILE = "DejaVuSans.ttf"


def font_path(file_name: str = _MAIN_FILE) -> str:
    """File system path of a bundled font (the package is installed as files)."""
    return str(importlib.resources.files("lawsup_desktop.resources") / "fonts" / file_name)


@dataclass(frozen=True)
class _Coverage:
    main: frozenset[int]
    fallback: frozenset[int]
    has_fallback: bool


_lock = threading.Lock()
_coverage: _Coverage | None = None


def _outlined_code_points(font: Any) -> frozenset[int]:
    """Code points whose glyph has outline data in ``font`` (a reportlab TTFont)."""
    face = font.face
    head = face.get_table("head")
    long_offsets = struct.unpack(">h", head[50:52])[0] == 1
    loca = face.get_table("loca")
    if long_offsets:
        offsets = struct.unpack(f">{len(loca) // 4}L", loca)
    else:
        offsets = tuple(2 * o for o in struct.unpack(f">{len(loca) // 2}H", loca))
    last = len(offsets) - 1
    return frozenset(
        code
        for code, glyph in face.charToGlyph.items()
        if glyph < last and offsets[glyph + 1] > offsets[glyph]
    )


def _load() -> _Coverage:
    global _coverage
    if _coverage is not None:
        return _coverage
    with _lock:
        if _coverage is None:
            import os

            from reportlab import rl_config
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            # Every PDF of the program: compressed binary streams. ASCII85 would
            # make them a quarter larger and cost a fifth of the render time.
            rl_config.useA85 = 0
            # subfontIndex 0 is "WenQuanYi Micro Hei" (1 is the monospaced variant).
            main = TTFont(CJK_FONT_NAME, font_path(), subfontIndex=0)
            pdfmetrics.registerFont(main)
            fallback_codes: frozenset[int] = frozenset()
            has_fallback = os.path.exists(font_path(_FALLBACK_FILE))
            if has_fallback:
                fallback = TTFont(FALLBACK_FONT_NAME, font_path(_FALLBACK_FILE))
                pdfmetrics.registerFont(fallback)
                fallback_codes = _outlined_code_points(fallback)
            _coverage = _Coverage(_outlined_code_points(main), fallback_codes, has_fallback)
    return _coverage


def register_cjk_font() -> str:
    """Register the bundled fonts with reportlab once (thread-safe); return the main
    font's name. reportlab embeds each as a subset of the glyphs used."""
    _load()
    return CJK_FONT_NAME


def _needs_glyph(char: str) -> bool:
    # Line breaks, tabs and other control/format characters are layout, not ink;
    # spaces (Zs) have no outline in any font.
    category = unicodedata.category(char)
    return category[0] != "C" and category != "Zs"


def font_for(char: str) -> str | None:
    """The font that draws ``char`` (main first), or None if neither can."""
    coverage = _load()
    code = ord(char)
    if not _needs_glyph(char) or code in coverage.main:
        return CJK_FONT_NAME
    if code in coverage.fallback:
        return FALLBACK_FONT_NAME
    return None


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` no bundled font can draw (empty set: all fine)."""
    return {c for c in set(text) if font_for(c) is None}


def paragraph_markup(text: str, *, placeholder: str | None = None) -> str:
    """``text`` as reportlab Paragraph markup: escaped, line breaks as <br/>, and runs
    the main font cannot draw set in the fallback font. A character no font can draw
    is kept (the caller checked it) or, with ``placeholder``, replaced by it."""
    runs: list[str] = []
    current: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            chunk = escape("".join(buffer)).replace("\n", "<br/>")
            if current == FALLBACK_FONT_NAME:
                chunk = f'<font name="{FALLBACK_FONT_NAME}">{chunk}</font>'
            runs.append(chunk)
            buffer.clear()

    # reportlab collapses U+3000 like any space; keep the width of full-width spaces
    # (indentation, gaps in signature lines) with four no-break spaces each.
    text = text.replace("\u3000", "\u00a0" * 4)
    for char in text:
        font = CJK_FONT_NAME if char == "\n" else font_for(char)
        if font is None:
            font = CJK_FONT_NAME
            char = placeholder if placeholder is not None else char
        if font != current:
            flush()
            current = font
        buffer.append(char)
    flush()
    return "".join(runs)


class MissingGlyphError(LawsupError):
    """Text to be printed holds characters the bundled fonts lack."""

    def __init__(self, field: Text, characters: Iterable[str]) -> None:
        self.field = field
        self.characters = "".join(sorted(set(characters)))
        codes = " ".join(f"U+{ord(c):04X}" for c in self.characters)
        super().__init__(
            Text(
                f"{field.zh}：字体缺少以下字符，无法打印：{self.characters}（{codes}）。"
                "请改用常用字，或打印后在纸质表上手写补充。",
                f"{field.en}: the font lacks these characters, which cannot be printed: "
                f"{self.characters} ({codes}). Use common characters, or print and add "
                "them by hand on the paper form.",
            )
        )


def require_glyphs(field: Text, text: str) -> None:
    """Raise :class:`MissingGlyphError` naming ``field`` if ``text`` cannot be drawn."""
    missing = missing_glyphs(text)
    if missing:
        raise MissingGlyphError(field, missing)


def check_fields(fields: Iterable[tuple[Text, str]]) -> list[MissingGlyphError]:
    """Check many fields at once; one error per field that cannot be drawn in full."""
    problems = []
    for field, text in fields:
        missing = missing_glyphs(text)
        if missing:
            problems.append(MissingGlyphError(field, missing))
    return problems
