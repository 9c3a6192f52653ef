"""Typed settings (defaults < JSON file < environment) and where files live."""

from medassist_desktop.config.paths import AppPaths
from medassist_desktop.config.settings import (
    Environment,
    LoadedSettings,
    LogFormat,
    ModelDevice,
    Settings,
    load_settings,
)

__all__ = [
    "AppPaths",
    "Environment",
    "LoadedSettings",
    "LogFormat",
    "ModelDevice",
    "Settings",
    "load_settings",
]
