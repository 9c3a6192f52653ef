"""The application-wide look: name, icon, style sheet, text size. Shared by the app and
the screenshot tool so both look the same.

"Larger text" scales the application font and every point size in the style sheet,
then sets the style sheet again: with a style sheet in force, Qt does not pass a new
application font on to widgets that are already shown until they are polished again.
The sizes it started from are kept on the application object (not in a module global).
"""

from __future__ import annotations

import re

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from medassist_desktop import APP_ID, APP_NAME, __version__
from medassist_desktop.resources import resource_path

_BASE_POINT_SIZE = "medassistBasePointSize"
_BASE_STYLE_SHEET = "medassistBaseStyleSheet"
_POINT_SIZE = re.compile(r"(\d+(?:\.\d+)?)pt\b")


def style_application(app: QApplication) -> None:
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource_path("icons/medassist.svg"))))
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    app.setProperty(_BASE_POINT_SIZE, None)  # the sizes "Larger text" starts from, anew
    app.setProperty(_BASE_STYLE_SHEET, None)


def scale_style_sheet(sheet: str, factor: float) -> str:
    """Every `NNpt` in `sheet` times `factor` (pixel sizes, borders and padding stay)."""
    return _POINT_SIZE.sub(lambda m: f"{float(m.group(1)) * factor:.4g}pt", sheet)


def set_text_scale(app: QApplication, factor: float) -> None:
    """All text in the application `factor` times its normal size (1.0: back to normal)."""
    base_size = app.property(_BASE_POINT_SIZE)
    if base_size is None:
        base_size = app.font().pointSizeF()
        app.setProperty(_BASE_POINT_SIZE, base_size)
        app.setProperty(_BASE_STYLE_SHEET, app.styleSheet())
    font = app.font()
    font.setPointSizeF(float(base_size) * factor)
    app.setFont(font)
    sheet = str(app.property(_BASE_STYLE_SHEET) or "")
    if sheet:
        app.setStyleSheet(scale_style_sheet(sheet, factor))
