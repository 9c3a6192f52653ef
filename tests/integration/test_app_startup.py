"""`medassist-desktop` as a person starts it: self-test, and clear refusals of bad setups."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run_app(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medassist_desktop", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_self_test_passes_and_creates_the_data_folders(app_env: dict[str, str]) -> None:
    result = run_app(app_env, "--self-test")
    assert result.returncode == 0, result.stderr
    assert "self-test: OK" in result.stderr
    data = Path(app_env["MEDASSIST_DATA_DIR"])
    assert (data / "logs" / "medassist.log").is_file()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"MEDASSIST_ENV": "testing"}, "MEDASSIST_ENV='testing'"),
        ({"DB_CACHE_SIZE": "12abc"}, "DB_CACHE_SIZE='12abc'"),
        ({"MEDASSIST_ENV": "production", "ENABLE_AUTH": "false"}, "enable_auth cannot be off"),
    ],
)
def test_bad_settings_exit_with_a_message(
    app_env: dict[str, str], env: dict[str, str], expected: str
) -> None:
    app_env.update(env)
    result = run_app(app_env, "--self-test")
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not Path(app_env["MEDASSIST_DATA_DIR"]).exists(), "nothing may be half-written"


def test_malformed_config_file(app_env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "broken.json"
    config.write_text("{ not json")
    app_env["MEDASSIST_CONFIG"] = str(config)
    result = run_app(app_env, "--self-test")
    assert result.returncode == 1
    assert "not valid JSON" in result.stderr and str(config) in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_data_dir(app_env: dict[str, str], tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    app_env["MEDASSIST_DATA_DIR"] = str(blocker / "data")
    result = run_app(app_env, "--self-test")
    assert result.returncode == 1
    assert "Cannot write to the folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert blocker.read_text() == "x"


def test_without_a_display_the_app_checks_itself_and_says_so(app_env: dict[str, str]) -> None:
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        app_env.pop(variable, None)
    result = run_app(app_env)
    assert result.returncode == 0, result.stderr
    assert "no display found" in result.stderr
    assert "self-test: OK" in result.stderr
