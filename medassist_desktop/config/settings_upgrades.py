"""Upgrading a settings file written by an older version of MedAssist.

The settings file carries `settings_version`. Each version after the first has one
upgrade step in `UPGRADES`, which turns a file of the previous version into one of
its own (rename a key, split one, drop one), so an old file keeps working when a key
is renamed instead of stopping the app with "unknown key". Files from before
versioning count as version 0.

To rename a key: add the new field to `Settings`, remove the old one, bump
`SETTINGS_VERSION` and add `UPGRADES[<new version>] = rename_key("old", "new")`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from medassist_desktop.errors import ConfigError
from medassist_desktop.i18n.catalogue import N_

VERSION_KEY = "settings_version"

UpgradeStep = Callable[[dict[str, Any]], dict[str, Any]]


def rename_key(old: str, new: str) -> UpgradeStep:
    """A step that moves `old`'s value to `new` (a value already under `new` wins)."""

    def step(values: dict[str, Any]) -> dict[str, Any]:
        values = dict(values)
        if old in values:
            moved = values.pop(old)
            values.setdefault(new, moved)
        return values

    return step


def _versioned(values: dict[str, Any]) -> dict[str, Any]:
    """Version 1: the keys are those of version 0; the file now says its version."""
    return values


SETTINGS_VERSION = 1
UPGRADES: dict[int, UpgradeStep] = {1: _versioned}


def upgrade_settings(
    data: Mapping[str, Any],
    path: Path,
    *,
    version: int | None = None,
    upgrades: Mapping[int, UpgradeStep] | None = None,
) -> tuple[dict[str, Any], bool]:
    """The file's values in the current version (without the version key), and whether
    any step ran. Raises `ConfigError` for a file of a newer version or a bad version."""
    version = SETTINGS_VERSION if version is None else version
    upgrades = UPGRADES if upgrades is None else upgrades
    values = dict(data)
    found = values.pop(VERSION_KEY, 0)
    if isinstance(found, bool) or not isinstance(found, int) or found < 0:
        raise ConfigError(
            N_(
                "The settings file {path} has {version_key}={found!r}; expected a whole number.",
                path=path,
                version_key=VERSION_KEY,
                found=found,
            ),
            hint=N_("Fix the file or remove the key."),
        )
    if found > version:
        raise ConfigError(
            N_(
                "The settings file {path} was written by a newer version of MedAssist "
                "({version_key} {found}; this version knows up to {version}).",
                path=path,
                version_key=VERSION_KEY,
                found=found,
                version=version,
            ),
            hint=N_("Install the newer version again, or remove the file to use the defaults."),
        )
    for step_version in range(found + 1, version + 1):
        values = upgrades[step_version](values)
    return values, found != version


def with_version(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values as they are written to the file: with the current version."""
    return {**values, VERSION_KEY: SETTINGS_VERSION}


__all__ = [
    "SETTINGS_VERSION",
    "UPGRADES",
    "VERSION_KEY",
    "rename_key",
    "upgrade_settings",
    "with_version",
]
