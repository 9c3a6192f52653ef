"""Editing settings in the JSON settings file (`models use`, `sync configure`, the GUI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medassist_desktop.config import load_settings
from medassist_desktop.config.settings_file import (
    overridden_by_environment,
    settings_file_for_update,
    update_settings_file,
)
from medassist_desktop.config.settings_upgrades import SETTINGS_VERSION
from medassist_desktop.errors import ConfigError


def test_write_setting_keeps_other_keys(app_env: dict[str, str]) -> None:
    config = Path(app_env["MEDASSIST_DATA_DIR"]) / "config" / "config.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"region": "lao-pdr", "model_device": "cpu"}))
    loaded = load_settings(app_env)
    assert settings_file_for_update(loaded) == config
    update_settings_file(config, {"model_name": "medgemma-4b-it-q4_k_m"})
    assert json.loads(config.read_text()) == {
        "region": "lao-pdr",
        "model_device": "cpu",
        "model_name": "medgemma-4b-it-q4_k_m",
        "settings_version": SETTINGS_VERSION,
    }
    assert load_settings(app_env).settings.model_name == "medgemma-4b-it-q4_k_m"


def test_write_setting_creates_the_file_and_refuses_bad_values(app_env: dict[str, str]) -> None:
    loaded = load_settings(app_env)
    with pytest.raises(ConfigError, match="model_threads"):
        update_settings_file(settings_file_for_update(loaded), {"model_threads": -3})
    assert not loaded.paths.default_config_file.exists()
    update_settings_file(settings_file_for_update(loaded), {"model_threads": 2})
    assert json.loads(loaded.paths.default_config_file.read_text()) == {
        "model_threads": 2,
        "settings_version": SETTINGS_VERSION,
    }


def test_env_override_is_reported(app_env: dict[str, str]) -> None:
    app_env["MODEL_NAME"] = "x.gguf"
    assert overridden_by_environment(app_env, ["model_name"]) == ["MODEL_NAME"]
