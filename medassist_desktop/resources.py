"""Finds the `resources/` folder in the source tree and inside the PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_

REQUIRED = ("style.qss", "icons/medassist.svg")


def resources_dir() -> Path:
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root is not None:
        return Path(bundle_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(relative: str) -> Path:
    """The path of a shipped resource; a clear error when the installation lacks it."""
    path = resources_dir() / relative
    if not path.exists():
        raise KnownError(
            N_(
                "The installation is incomplete: {relative} is missing from {folder}.",
                relative=relative,
                folder=resources_dir(),
            ),
            hint=N_("Reinstall MedAssist Desktop."),
        )
    return path
