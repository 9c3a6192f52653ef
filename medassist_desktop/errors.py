"""Errors split in two: known problems a person can act on, and bugs.

A `KnownError` carries a message written for a health worker or a clinic admin
(what went wrong and what to do). Anything else that escapes is a bug: it is
logged with its traceback and shown to the person only as an error id.

This module sits outside the layers (ui -> workers -> services -> core -> storage)
because every layer raises these, storage included.
"""

from __future__ import annotations

import uuid


class KnownError(Exception):
    """A problem with the environment or the input, with a message for a person."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class ConfigError(KnownError):
    """Settings that cannot be used: a bad value, a malformed file, an unknown key."""


class DataDirError(KnownError):
    """The data directory cannot be created or written to."""


def new_error_id() -> str:
    """A short id shown to the person for a bug, and written beside its traceback in the log."""
    return uuid.uuid4().hex[:8]
