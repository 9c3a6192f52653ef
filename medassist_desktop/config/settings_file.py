"""Changing the settings file from a command (`medassist sync configure`), safely.

The new values are validated together with the ones already in the file before
anything is written, and the file is replaced atomically (temp file, fsync,
os.replace), so a crash leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from medassist_desktop.atomic_io import atomic_write_text
from medassist_desktop.config.settings import (
    SETTING_ENV_VARS,
    LoadedSettings,
    Settings,
    _read_config_file,
    allowed_values,
)
from medassist_desktop.config.settings_upgrades import with_version
from medassist_desktop.errors import ConfigError
from medassist_desktop.i18n.catalogue import N_


def settings_file_for_update(loaded: LoadedSettings) -> Path:
    """The file in use (MEDASSIST_CONFIG or the default one), else the default location."""
    return loaded.config_file or loaded.paths.default_config_file


def update_settings_file(path: Path, updates: Mapping[str, Any]) -> dict[str, Any]:
    """Merge `updates` into the JSON settings file at `path`; returns the merged content."""
    current = _read_config_file(path) if path.is_file() else {}
    merged = {**current, **updates}
    try:
        # Only the new values are checked here (the cross-setting production rules are
        # checked, with the environment, when the settings are next loaded).
        Settings.model_validate({**updates, "environment": "development"})
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first.get("loc") else "settings"
        raise ConfigError(
            N_(
                "Cannot save {name}={value!r}: {msg}.",
                name=name,
                value=merged.get(name),
                msg=first["msg"],
            ),
            hint=N_("Allowed: {values}.", values=allowed_values(name))
            if name in Settings.model_fields
            else None,
        ) from None
    write_json_atomically(path, with_version(merged))
    return merged


def overridden_by_environment(environ: Mapping[str, str], names: list[str]) -> list[str]:
    """The environment variables that would hide file values of these settings."""
    hidden: list[str] = []
    for name in names:
        variable = SETTING_ENV_VARS[name]
        for candidate in ("MEDASSIST_" + variable, variable):
            if candidate in environ:
                hidden.append(candidate)
    return hidden


def write_json_atomically(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
