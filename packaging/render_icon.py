"""Render resources/icons/lawsup.svg into the raster icons the installers want.

    python packaging/render_icon.py OUT_DIR    writes OUT_DIR/lawsup.png (256x256) and lawsup.ico

Rendered at build time with Qt (QSvgRenderer) so that only the SVG is committed.
The Linux desktop entry uses the PNG (and the SVG); the Windows executables and
the installer use the .ico (Qt's own ICO writer, plugin imageformats/qico).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZE = 256


def render_icons(svg: Path, out_dir: Path) -> tuple[Path, Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    # QPainter needs a QGuiApplication; the spec may run this inside PyInstaller's process.
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icon: {svg} is not a valid SVG")
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()

    out_dir.mkdir(parents=True, exist_ok=True)
    png, ico = out_dir / "lawsup.png", out_dir / "lawsup.ico"
    for path, fmt in ((png, "PNG"), (ico, "ICO")):
        if not image.save(str(path), fmt):
            raise SystemExit(f"render_icon: Qt could not write {path} ({fmt})")
    del app  # keep the instance alive until here; Qt owns its lifetime
    return png, ico


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    root = Path(__file__).resolve().parent.parent
    for written in render_icons(root / "resources" / "icons" / "lawsup.svg", Path(sys.argv[1])):
        print(written)
