"""`medassist-desktop --self-test`: build the real main window offscreen and check it.

Used in the source tree and inside the PyInstaller bundle to prove that Qt,
its plugins and our resources are all there. Returns a list of problems.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QStatusBar

from medassist_desktop import APP_NAME
from medassist_desktop.ui.main_window import MainWindow

HEAVY_MODULES = ("torch", "sentence_transformers", "llama_cpp")


def check_main_window(app: QApplication, window: MainWindow) -> list[str]:
    problems: list[str] = []
    window.show()
    app.processEvents()
    if APP_NAME not in window.windowTitle():
        problems.append(f"window title {window.windowTitle()!r} lacks {APP_NAME!r}")
    if not window.isVisible():
        problems.append("main window is not visible")
    bar = window.findChild(QStatusBar, "statusBar")
    if bar is None:
        problems.append("status bar missing")
    for name in ("modelStatus", "networkStatus", "userStatus"):
        label = window.findChild(QLabel, name)
        if label is None or not label.text():
            problems.append(f"status label {name} missing or empty")
    if app.windowIcon().isNull():
        problems.append("application icon missing (resources not bundled?)")
    if not app.styleSheet():
        problems.append("style sheet not loaded")
    if window.grab().isNull():
        problems.append("the window could not be rendered")
    problems.extend(check_packaged_data())
    heavy = [name for name in HEAVY_MODULES if name in sys.modules]
    if heavy:
        problems.append("heavy modules imported before the first window: " + ", ".join(heavy))
    return problems


def check_packaged_data() -> list[str]:
    """The versioned data files of core/ (triage rules, routing examples) are there and load.

    The routing data is checked as a file, without importing core.routing: that package
    leads to sentence-transformers, which the bundle's self-test must not pull in.
    """
    import json
    from pathlib import Path

    import medassist_desktop
    from medassist_desktop.core.triage import load_rules
    from medassist_desktop.errors import KnownError

    problems: list[str] = []
    try:
        load_rules()
    except KnownError as exc:
        problems.append(f"triage rules missing or invalid (not bundled?): {exc}")
    routing = Path(medassist_desktop.__file__).parent / "core" / "routing" / "data"
    try:
        json.loads((routing / "intents_v1.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.append(f"routing data missing or invalid (not bundled?): {exc}")
    return problems
