"""Quitting in the first seconds: the window's services wait for the question router's
warm-up (native torch code on a thread of its own) instead of leaving it running while
the interpreter shuts down, which aborts the process."""

from __future__ import annotations

import threading
from pathlib import Path

from medassist_desktop.composition import AppServices, SecurityOptions
from medassist_desktop.context import AppContext
from medassist_desktop.logging_setup import Redactor
from tests.support.keyrings import MemoryKeyring
from tests.support.security import CHEAP_KDF, cheap_hasher, settings_for


def router_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "medassist-router"]


def test_closing_right_after_start_waits_for_the_router_warm_up(tmp_path: Path) -> None:
    loaded = settings_for(tmp_path)
    options = SecurityOptions(MemoryKeyring(), cheap_hasher(), CHEAP_KDF)
    app = AppServices(
        AppContext(loaded, Redactor(), None), {}, options=options, wait_for_models=False
    )
    app.open(create=True)
    try:
        app.consult()  # as the window does: the router's embedding model loads meanwhile
        assert router_threads(), "the warm-up did not start on its own thread"
    finally:
        app.close()
    assert not router_threads(), "the router warm-up outlived the services"
