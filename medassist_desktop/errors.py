"""Errors split in two: known problems a person can act on, and bugs.

A `KnownError` carries a message written for a health worker or a clinic admin
(what went wrong and what to do). Anything else that escapes is a bug: it is
logged with its traceback and shown to the person only as an error id.

The message and the hint are catalogue messages (`N_("text {arg}", arg=...)`): the
log and `str()` get English, the screen and the CLI call `render(language)` for the
health worker's language. Plain strings are still accepted (text that comes from
elsewhere, such as a server's reply) and rendered as given.

This module sits outside the layers (ui -> workers -> services -> core -> storage)
because every layer raises these, storage included.
"""

from __future__ import annotations

import uuid

from medassist_desktop.i18n.catalogue import FALLBACK_LANGUAGE, Message, text_of

MessageText = Message | str


class KnownError(Exception):
    """A problem with the environment or the input, with a message for a person."""

    exit_code = 1

    def __init__(self, message: MessageText, *, hint: MessageText | None = None) -> None:
        self.message_id = message
        self.hint_id = hint
        self.message = text_of(message)
        self.hint = None if hint is None else text_of(hint)
        super().__init__(self.message)

    def render(self, language: str = FALLBACK_LANGUAGE) -> str:
        """The message and its hint in `language` (English where none is translated)."""
        message = text_of(self.message_id, language)
        if self.hint_id is None:
            return message
        return f"{message} {text_of(self.hint_id, language)}"

    def __str__(self) -> str:
        return self.render(FALLBACK_LANGUAGE)


class ConfigError(KnownError):
    """Settings that cannot be used: a bad value, a malformed file, an unknown key."""


class DataDirError(KnownError):
    """The data directory cannot be created or written to."""


def new_error_id() -> str:
    """A short id shown to the person for a bug, and written beside its traceback in the log."""
    return uuid.uuid4().hex[:8]
