"""Turning an exception into words for the screen: a known error's message, else an id.

A bug is logged with its traceback under a short error id, and only the id is
shown, so a person can report it without seeing internals.
"""

from __future__ import annotations

import math

from loguru import logger
from PySide6.QtCore import QCoreApplication

from medassist_desktop.errors import KnownError, new_error_id

_log = logger.bind(area="ui")


def describe_error(error: BaseException | None) -> str:
    if isinstance(error, KnownError):
        return str(error)
    error_id = new_error_id()
    _log.opt(exception=error).error("Unexpected error {} in the GUI", error_id)
    return QCoreApplication.translate(
        "Errors",
        "An unexpected error occurred (error id {id}). Details are in the log file.",
    ).format(id=error_id)


def format_wait(seconds: float) -> str:
    """'4 min 59 s', '45 s', '2 h 5 min': how long until a lockout ends."""
    total = max(0, math.ceil(seconds))
    minutes, secs = divmod(total, 60)
    hours, minutes = divmod(minutes, 60)
    tr = QCoreApplication.translate
    if hours:
        return tr("Errors", "{h} h {m} min").format(h=hours, m=minutes)
    if minutes:
        return tr("Errors", "{m} min {s} s").format(m=minutes, s=secs)
    return tr("Errors", "{s} s").format(s=secs)
