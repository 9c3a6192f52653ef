"""An old settings file keeps working: each settings version has an upgrade step.

The files here are real files in the data folder, read by `load_settings` as at
start-up; a renamed key is simulated by adding a version whose step renames it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medassist_desktop.config import load_settings
from medassist_desktop.config import settings_upgrades as upgrades
from medassist_desktop.config.settings_upgrades import (
    SETTINGS_VERSION,
    VERSION_KEY,
    rename_key,
    upgrade_settings,
)
from medassist_desktop.errors import ConfigError


def settings_file(app_env: dict[str, str], content: dict[str, object]) -> Path:
    path = Path(app_env["MEDASSIST_DATA_DIR"]) / "config" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def test_a_file_from_before_versioning_loads_and_is_stamped(app_env: dict[str, str]) -> None:
    path = settings_file(app_env, {"model_threads": 3, "region": "lao-pdr"})
    loaded = load_settings(app_env)
    assert loaded.settings.model_threads == 3 and loaded.sources["model_threads"] == "file"
    assert json.loads(path.read_text()) == {
        "model_threads": 3,
        "region": "lao-pdr",
        VERSION_KEY: SETTINGS_VERSION,
    }


def test_a_renamed_key_is_carried_over_from_an_old_file(
    app_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The next version renames `cpu_threads` to `model_threads`.
    renamed = SETTINGS_VERSION + 1
    monkeypatch.setattr(upgrades, "SETTINGS_VERSION", renamed)
    monkeypatch.setitem(upgrades.UPGRADES, renamed, rename_key("cpu_threads", "model_threads"))
    path = settings_file(app_env, {VERSION_KEY: SETTINGS_VERSION, "cpu_threads": 2})

    assert load_settings(app_env).settings.model_threads == 2  # the app starts
    assert json.loads(path.read_text()) == {"model_threads": 2, VERSION_KEY: renamed}
    assert load_settings(app_env).settings.model_threads == 2  # and reads the new file again


def test_steps_run_in_order_from_the_file_s_version() -> None:
    steps = {
        1: rename_key("a", "b"),
        2: rename_key("b", "c"),
        3: lambda values: {**values, "d": values.get("c")},
    }
    path = Path("config.json")
    assert upgrade_settings({"a": 1}, path, version=3, upgrades=steps) == ({"c": 1, "d": 1}, True)
    assert upgrade_settings({VERSION_KEY: 2, "b": 5}, path, version=3, upgrades=steps) == (
        {"b": 5, "d": None},
        True,
    )
    assert upgrade_settings({VERSION_KEY: 3, "c": 1}, path, version=3, upgrades=steps) == (
        {"c": 1},
        False,
    )


def test_a_rename_keeps_a_value_already_under_the_new_name() -> None:
    assert rename_key("old", "new")({"old": 1, "new": 2}) == {"new": 2}


def test_a_file_from_a_newer_version_is_refused_with_a_reason(app_env: dict[str, str]) -> None:
    settings_file(app_env, {VERSION_KEY: SETTINGS_VERSION + 5})
    with pytest.raises(ConfigError, match="written by a newer version of MedAssist"):
        load_settings(app_env)


@pytest.mark.parametrize("bad", ["2", -1, True, 1.5])
def test_a_bad_version_is_refused(app_env: dict[str, str], bad: object) -> None:
    settings_file(app_env, {VERSION_KEY: bad})
    with pytest.raises(ConfigError, match="expected a whole number"):
        load_settings(app_env)


def test_every_version_has_a_step() -> None:
    assert sorted(upgrades.UPGRADES) == list(range(1, SETTINGS_VERSION + 1))
