"""The application context: what the composition root builds once and hands down.

No module-level singletons: windows, workers and CLI commands receive the
context (or the parts of it they need) as arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medassist_desktop.config import LoadedSettings, Settings, load_settings
from medassist_desktop.config.paths import AppPaths
from medassist_desktop.core.sync.degradation import DegradationRegistry
from medassist_desktop.logging_setup import Redactor, configure_logging

if TYPE_CHECKING:
    from medassist_desktop.services.security import SecurityServices


@dataclass
class AppContext:
    """Settings, directories and the shared services of one run of the app."""

    loaded: LoadedSettings
    redactor: Redactor
    log_file: Path | None
    # Which capabilities run on their fallback, and why; the UI reads and listens to it.
    degradation: DegradationRegistry = field(default_factory=DegradationRegistry)

    @property
    def settings(self) -> Settings:
        return self.loaded.settings

    @property
    def paths(self) -> AppPaths:
        return self.loaded.paths

    def open_security(
        self, environ: Mapping[str, str], *, create: bool = False, **options: Any
    ) -> SecurityServices:
        """Unlock and open the encrypted database and build accounts and audit on it.

        Not called on the path to the first window: the GUI calls it (on its database
        thread) once it knows whether a passphrase prompt or first-run setup is needed.
        """
        from medassist_desktop.services.security import open_security

        services = open_security(self.loaded, self.redactor, environ, create=create, **options)
        if services.loaded is not None:
            self.loaded = services.loaded  # the clinic policy in the database wins
        return services


def build_context(environ: Mapping[str, str], *, console_level: str | None = None) -> AppContext:
    """Read and validate settings, make sure the data folders are writable, start logging.

    Raises `KnownError` subclasses with a message for a person; nothing is written
    before the settings have been validated.
    """
    loaded = load_settings(environ)
    loaded.paths.ensure_writable()
    redactor = Redactor()
    log_file = configure_logging(loaded, redactor, console_level=console_level)
    return AppContext(loaded=loaded, redactor=redactor, log_file=log_file)
