"""Turning an exception into words for the screen: a known error's message, else an id.

A bug is logged with its traceback under a short error id, and only the id is
shown, so a person can report it without seeing internals. The one function the
window uses for this (pages import it from `ui.errors`); it lives here so the
workers, which report failures of their own threads, use it too.

A known error is rendered in the window's language: the default `QLocale`, which is
set to the chosen language when the window's translators are installed. The log
keeps the English text.
"""

from __future__ import annotations

from loguru import logger
from PySide6.QtCore import QCoreApplication, QLocale

from medassist_desktop.errors import KnownError, new_error_id
from medassist_desktop.i18n import FALLBACK_LANGUAGE, SHIPPED_LANGUAGES

_log = logger.bind(area="ui")


def window_language() -> str:
    """The shipped language the window speaks now (English when the locale is another)."""
    code = QLocale().name().split("_")[0]
    return code if code in SHIPPED_LANGUAGES else FALLBACK_LANGUAGE


def describe_error(error: BaseException | None) -> str:
    if isinstance(error, KnownError):
        return error.render(window_language())
    error_id = new_error_id()
    _log.opt(exception=error).error("Unexpected error {} in the GUI", error_id)
    return QCoreApplication.translate(
        "Errors",
        "An unexpected error occurred (error id {id}). Details are in the log file.",
    ).format(id=error_id)
