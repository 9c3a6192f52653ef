"""Which language the app speaks: one Qt-free answer for the window, the CLI and the consult.

The `ui_language` setting is `auto` (follow the operating system's locale) or one of the
languages the app ships. Anything the app is not translated into falls back to English,
which is also the language of logs and the audit trail.
"""

from __future__ import annotations

import locale
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medassist_desktop.config.settings import UiLanguage

SHIPPED_LANGUAGES: tuple[str, ...] = ("en", "id", "vi")
FALLBACK_LANGUAGE = "en"
# Variables the C library consults for the message language, most specific first.
_LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def system_language() -> str:
    """The operating system's language as a two-letter code ("" when it says nothing usable)."""
    for var in _LOCALE_VARS:
        value = os.environ.get(var, "")
        # LANGUAGE may list several ("vi:en"); the first is preferred.
        code = value.split(":")[0].split(".")[0].split("_")[0].lower()
        if code and code not in ("c", "posix"):
            return code
    with_locale = locale.getlocale()[0] or ""
    return with_locale.split("_")[0].lower()


def resolve_language(setting: UiLanguage | str) -> str:
    """The shipped language to use for `setting`: its own code, or the system's for `auto`."""
    # Imported here: errors.py uses this package, and the settings module raises those errors.
    from medassist_desktop.config.settings import UiLanguage

    code = UiLanguage(setting).value
    if code == UiLanguage.AUTO.value:
        code = system_language()
    return code if code in SHIPPED_LANGUAGES else FALLBACK_LANGUAGE
