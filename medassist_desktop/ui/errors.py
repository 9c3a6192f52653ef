"""Words for the screen: `describe_error` (a known error's message, else an error id;
defined in workers/errors.py) and how long a lockout lasts."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from medassist_desktop.workers.errors import describe_error

__all__ = ["describe_error", "format_wait"]


def format_wait(seconds: float) -> str:
    """'4 min 59 s', '45 s', '2 h 5 min': how long until a lockout ends."""
    total = max(0, math.ceil(seconds))
    minutes, secs = divmod(total, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return QCoreApplication.translate("Errors", "{h} h {m} min").format(h=hours, m=minutes)
    if minutes:
        return QCoreApplication.translate("Errors", "{m} min {s} s").format(m=minutes, s=secs)
    return QCoreApplication.translate("Errors", "{s} s").format(s=secs)
