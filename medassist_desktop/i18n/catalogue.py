"""Messages of the Qt-free layers, kept as ids with arguments and rendered per language.

Text raised or written by core, services, storage, config and the CLI is marked with
`N_("English text with {placeholders}", placeholder=value)`. The English text is the
message id (gettext's convention, so a missing translation still reads correctly) and
the arguments stay apart from it, so the same message can be rendered in English for
the log and in the health worker's language for the screen.

The catalogues are gettext `.mo` files under `locale/<language>/LC_MESSAGES/`, compiled
from the `.po` files beside them (`make translations-messages` extracts, updates and
compiles them). Reading them needs only the standard library.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DOMAIN = "medassist"
FALLBACK_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@lru_cache(maxsize=8)
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of `language` (read once; English and unknown codes get none)."""
    if language == FALLBACK_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def missing_catalogues(languages: tuple[str, ...] = ("id", "vi")) -> list[Path]:
    """The compiled catalogues an installation lacks (for the self-test of a bundle)."""
    paths = [LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo" for code in languages]
    return [path for path in paths if not path.is_file()]


def translate(text: str, language: str) -> str:
    """`text` (a message id) in `language`; the English text where none is translated."""
    if not text:
        return text
    return translations(language).gettext(text)


@dataclass(frozen=True)
class Message:
    """A message id and its arguments, rendered only when a language is known.

    Arguments may be messages themselves (a reason inside a sentence); they are
    rendered in the same language.
    """

    text: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def render(self, language: str = FALLBACK_LANGUAGE) -> str:
        template = translate(self.text, language)
        if not self.args:
            return template
        values = {name: render(value, language) for name, value in self.args.items()}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # A broken translation must never hide the message: fall back to English.
            return self.text.format(**values)

    def __str__(self) -> str:
        return self.render(FALLBACK_LANGUAGE)


def N_(text: str, /, **args: Any) -> Message:  # noqa: N802 - gettext's name for "mark only"
    """Mark `text` for the catalogue; `args` fill its `{placeholders}` when rendered."""
    return Message(text, args)


def gettext_noop(text: str) -> str:
    """Mark a plain text (a label, a heading) for the catalogue; `translate` renders it."""
    return text


def render(value: Any, language: str = FALLBACK_LANGUAGE) -> Any:
    """A message in `language`; anything else unchanged (numbers keep their format spec)."""
    if isinstance(value, Message):
        return value.render(language)
    return value


def text_of(value: Message | str, language: str = FALLBACK_LANGUAGE) -> str:
    """A message, or a plain message id (a rule label from a data file), in `language`."""
    if isinstance(value, Message):
        return value.render(language)
    return translate(value, language)


__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "N_",
    "Message",
    "gettext_noop",
    "missing_catalogues",
    "render",
    "text_of",
    "translate",
    "translations",
]
