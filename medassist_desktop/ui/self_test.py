"""`medassist-desktop --self-test`: build the real main window offscreen and check it.

Used in the source tree and inside the PyInstaller bundle to prove that Qt,
its plugins and our resources are all there. Returns a list of problems.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QStatusBar

from medassist_desktop import APP_NAME
from medassist_desktop.ui.main_window import MainWindow
from medassist_desktop.ui.translations import check_shipped

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
    problems.extend(check_shipped())  # translations and fonts
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


# Modules the GUI imports only after the first window (start-up flow, admin pages, model
# loading); llama_cpp itself stays out (it is imported on the engine thread).
LAZY_MODULES = (
    "medassist_desktop.ui.startup",
    "medassist_desktop.ui.settings.settings_page",
    "medassist_desktop.services.sync_service",
    "medassist_desktop.services.cloud_service",
    "medassist_desktop.workers.consult_worker",
    "medassist_desktop.services.model_holder",
    "medassist_desktop.services.backup",
    "medassist_desktop.services.health",
    "medassist_desktop.services.monitoring",
    "medassist_desktop.core.knowledge.isolation",
    "medassist_desktop.core.inference.loading",
)

# The OS keyring backend each platform needs, by its entry-point name in keyring.
NATIVE_KEYRING = {"linux": "SecretService", "win32": "Windows", "darwin": "macOS"}


def check_security_stack() -> list[str]:
    """SQLCipher, Argon2, keyring backends and the passphrase checker work (in the bundle too).

    The app now opens the encrypted database at start; a bundle missing a compiled
    module, a keyring backend or keyring's entry-point metadata would only fail on a
    clinic's computer. Each check is real and takes milliseconds (cheap Argon2 cost).
    """
    import importlib
    import secrets
    import tempfile
    from importlib.metadata import entry_points
    from pathlib import Path

    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="medassist-self-test-") as folder:
        path = Path(folder) / "self-test.db"
        try:
            from medassist_desktop.storage.database import Database

            db = Database.open(path, secrets.token_bytes(32), create=True)
            try:
                db.execute("CREATE TABLE t (x INTEGER)")
                db.execute("INSERT INTO t VALUES (42)")
                value = db.scalar("SELECT x FROM t")
            finally:
                db.close()
            if value != 42 or path.read_bytes()[:16] == b"SQLite format 3\x00":
                problems.append("SQLCipher did not encrypt the test database")
        except Exception as exc:
            problems.append(f"SQLCipher cannot be used: {exc}")
    try:
        from argon2 import PasswordHasher

        hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        hasher.verify(hasher.hash("self-test"), "self-test")  # raises when it fails
    except Exception as exc:
        problems.append(f"Argon2 cannot be used: {exc}")
    native = NATIVE_KEYRING.get(sys.platform)
    backends = {ep.name: ep for ep in entry_points(group="keyring.backends")}
    if native is not None:
        if native not in backends:
            problems.append(f"the {native} keyring backend is missing (keyring metadata bundled?)")
        else:
            try:
                backends[native].load()
            except Exception as exc:
                problems.append(f"the {native} keyring backend cannot be imported: {exc}")
    for module in LAZY_MODULES:  # imported only after the first window: are they bundled?
        try:
            importlib.import_module(module)
        except Exception as exc:
            problems.append(f"{module} cannot be imported: {exc}")
    try:
        from medassist_desktop.services.setup import passphrase_strength

        if passphrase_strength("mango river lantern thirty bicycle").score < 3:
            problems.append("the passphrase strength check misjudges a strong passphrase")
    except Exception as exc:
        problems.append(f"the passphrase strength check cannot run: {exc}")
    return problems
