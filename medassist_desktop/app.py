"""Composition root of the GUI: settings -> logging -> context -> main window.

This is the only place that wires things together. It keeps the path to the
first window light: nothing here imports torch, sentence-transformers or
llama_cpp; features load those in the background after the window is up.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from loguru import logger

import medassist_desktop.core.inference.native_first  # noqa: F401 - before numpy
from medassist_desktop import APP_NAME, __version__
from medassist_desktop.config.paths import environ_snapshot
from medassist_desktop.context import AppContext, build_context
from medassist_desktop.errors import KnownError, new_error_id
from medassist_desktop.i18n import resolve_language

EXIT_BUG = 70


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="medassist-desktop", description=APP_NAME)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="build the main window offscreen, check it, and exit (0 when healthy)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="with --self-test: also triage, search, generate with the embedded model and "
        "check the encrypted database, in a temporary folder (offline; about a minute)",
    )
    parser.add_argument(
        "--exit-when-shown",
        action="store_true",
        help=argparse.SUPPRESS,  # for benchmarks/startup.py: quit after the first paint
    )
    return parser.parse_args(argv)


def _has_display() -> bool:
    """Linux desktops set DISPLAY or WAYLAND_DISPLAY; other systems always have a screen."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _ensure_output_streams() -> None:
    """A windowed Windows build (no console window) starts with no stdout and stderr.

    Started from a terminal (`medassist-desktop --self-test`), it attaches to that
    terminal's console so the self-test and start-up errors still print there; started
    from the Start menu, output goes nowhere (the log file has everything).
    """
    if sys.stdout is not None and sys.stderr is not None:
        return
    if sys.platform == "win32":
        import ctypes

        attach_parent_process = -1
        if ctypes.windll.kernel32.AttachConsole(attach_parent_process):
            console = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
            sys.stdout = sys.stdout or console
            sys.stderr = sys.stderr or console
            return
    nowhere = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the whole run
    sys.stdout = sys.stdout or nowhere
    sys.stderr = sys.stderr or nowhere


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    _ensure_output_streams()
    args = _parse_args(argv)
    args.self_test = args.self_test or args.full
    if not args.self_test and not _has_display():
        print(
            f"{APP_NAME}: no display found (DISPLAY is not set). Checking the main window "
            "offscreen instead; start the app from a desktop session to use it.",
            file=sys.stderr,
        )
        args.self_test = True
    if args.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        # The full self-test prints its own steps; the log's INFO lines would bury them.
        context = build_context(environ_snapshot(), console_level="WARNING" if args.full else None)
    except KnownError as exc:
        _report_startup_error(str(exc), show_dialog=not args.self_test)
        return exc.exit_code
    try:
        return _run_gui(context, args, started)
    except KnownError as exc:
        logger.error("Startup failed: {}", exc)
        _report_startup_error(str(exc), show_dialog=not args.self_test)
        return exc.exit_code
    except Exception:
        error_id = new_error_id()
        logger.exception("Unexpected error {} while running the app", error_id)
        _report_startup_error(
            f"An unexpected error occurred (error id {error_id}). Details are in the log "
            f"file {context.log_file}.",
            show_dialog=not args.self_test,
        )
        return EXIT_BUG


def _run_gui(context: AppContext, args: argparse.Namespace, started: float) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from medassist_desktop.ui.app_controller import AppController
    from medassist_desktop.ui.application import style_application
    from medassist_desktop.ui.qt_logging import install_qt_message_handler
    from medassist_desktop.ui.translations import apply_language

    install_qt_message_handler()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    style_application(app)
    apply_language(app, resolve_language(context.settings.ui_language))
    controller = AppController(context, environ_snapshot())
    window = controller.window

    if args.self_test:
        from medassist_desktop.ui.self_test import check_main_window, check_security_stack

        problems = check_main_window(app, window) + check_security_stack()
        for problem in problems:
            print(f"self-test: FAIL: {problem}", file=sys.stderr)
        if args.full:  # after the window check: it proves no heavy module came in before
            problems += _run_full_self_test()
        if not problems:
            print("self-test: OK", file=sys.stderr)
        window.close()
        controller.shutdown()
        return 1 if problems else 0

    controller.show()
    logger.info("First window shown after {:.0f} ms", (time.perf_counter() - started) * 1000)
    if args.exit_when_shown:
        QTimer.singleShot(0, app.quit)
    else:
        controller.start()  # set-up, unlock, sign-in: after the first paint, off the GUI thread
    app.aboutToQuit.connect(controller.shutdown)
    return app.exec()


def _run_full_self_test() -> list[str]:
    from medassist_desktop.full_self_test import run_full_self_test

    started = time.perf_counter()
    results = run_full_self_test(lambda line: print(line, file=sys.stderr, flush=True))
    total_ms = (time.perf_counter() - started) * 1000
    print(f"self-test: full steps took {total_ms:.0f} ms", file=sys.stderr)
    return [f"{result.name}: {result.detail}" for result in results if not result.ok]


def _report_startup_error(message: str, *, show_dialog: bool) -> None:
    """Tell the person what is wrong: on stderr always, in a dialog when there is a screen."""
    print(f"{APP_NAME}: {message}", file=sys.stderr)
    if not show_dialog or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox

        app = QApplication.instance() or QApplication(sys.argv[:1])
        QMessageBox.critical(None, APP_NAME, message)
        del app
    except Exception:  # no display: stderr already has it
        return


if __name__ == "__main__":
    sys.exit(main())
