"""Changing one setting in the JSON settings file, atomically, keeping the other keys.

Used by commands that persist a choice (`medassist models use NAME`). The file
named by MEDASSIST_CONFIG is edited when set, else the default settings file
(created when missing). The new value is validated before anything is written.
"""

from __future__ import annotations

import json
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
from medassist_desktop.errors import ConfigError


def settings_file_for_writing(loaded: LoadedSettings) -> Path:
    return loaded.config_file or loaded.paths.default_config_file


def write_setting(loaded: LoadedSettings, key: str, value: Any) -> Path:
    """Set `key` to `value` in the settings file; returns the file written."""
    if key not in Settings.model_fields:
        raise ConfigError(f"Unknown setting {key!r}.")
    path = settings_file_for_writing(loaded)
    try:
        Settings.model_validate({key: value, "environment": "development"})
    except ValidationError as exc:
        raise ConfigError(
            f"{key}={value!r} is not allowed: {exc.errors()[0]['msg']}. "
            f"Allowed: {allowed_values(key)}."
        ) from None
    data: dict[str, Any] = _read_config_file(path) if path.is_file() else {}
    data[key] = value
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def overridden_by_env(loaded: LoadedSettings, key: str) -> str | None:
    """The variable that wins over the file for `key` in this run, if one is set."""
    if loaded.sources.get(key) == "env":
        return SETTING_ENV_VARS[key]
    return None
