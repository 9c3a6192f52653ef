"""Options of one run of the GUI. Defaults are for a real run; tests swap the clocks,
the keyring and the Argon2 cost, and shorten the idle timeout.

Kept apart (types only) so importing it costs nothing on the way to the first window.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from medassist_desktop.composition import SecurityOptions

if TYPE_CHECKING:
    from medassist_desktop.ui.pages import PageFactory

__all__ = ["AppOptions", "SecurityOptions"]


@dataclass
class AppOptions:
    security: SecurityOptions = field(default_factory=SecurityOptions)
    session_timeout_s: float | None = None  # None: session_timeout_minutes from settings
    idle_clock: Callable[[], float] = time.monotonic
    idle_check_ms: int = 1000
    load_model: bool = True
    watch_network: bool = True
    prepare_library: bool = True  # False: the first search that needs the library starts it
    pages: Sequence[PageFactory] | None = None  # None: ui.pages.DEFAULT_PAGES
