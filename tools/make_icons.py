"""Render resources/icons/medassist.svg into the icon files the installers need.

The SVG is the one source; the PNG (Linux desktop entry, .deb), ICO (Windows exe and
Inno Setup) and ICNS (macOS .app) are generated from it and committed, so a build
machine needs neither Qt's SVG renderer nor Pillow. Run again after changing the SVG:
    python tools/make_icons.py
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "medassist.svg"
ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
ICNS_SIZE = 1024


def render(size: int) -> Image.Image:
    """The SVG at `size` x `size` pixels, through Qt's SVG renderer (offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SOURCE)).render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("RGBA")


def main() -> None:
    large = render(ICNS_SIZE)
    render(256).save(ICONS / "medassist.png")
    large.save(ICONS / "medassist.ico", sizes=[(s, s) for s in ICO_SIZES])
    large.save(ICONS / "medassist.icns")
    for name in ("medassist.png", "medassist.ico", "medassist.icns"):
        print(ICONS / name, (ICONS / name).stat().st_size, "bytes")


if __name__ == "__main__":
    main()
