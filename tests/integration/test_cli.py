"""The `medassist` command as a script would run it: JSON out, clear errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run_cli


def test_config_show_json_reports_sources(app_env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "c.json"
    config.write_text('{"region": "vietnam"}')
    app_env.update(MEDASSIST_CONFIG=str(config), MODEL_DEVICE="cpu")
    result = run_cli(app_env, "config", "show", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["settings"]["region"] == {"value": "vietnam", "source": "file"}
    assert report["settings"]["model_device"] == {"value": "cpu", "source": "env"}
    assert report["settings"]["enable_auth"] == {"value": True, "source": "default"}
    assert report["config_file"] == str(config)


def test_config_show_text(app_env: dict[str, str]) -> None:
    result = run_cli(app_env, "config", "show")
    assert result.returncode == 0
    assert "clinic_id" in result.stdout and "(default)" in result.stdout


@pytest.mark.parametrize(
    ("env", "file_content", "expected"),
    [
        ({"MEDASSIST_ENV": "prod"}, None, "MEDASSIST_ENV='prod'"),
        ({"DB_CACHE_SIZE": "abc"}, None, "DB_CACHE_SIZE='abc'"),
        ({}, '{"clinic_id": ', "not valid JSON"),
    ],
)
def test_bad_settings_give_one_clear_message(
    app_env: dict[str, str],
    tmp_path: Path,
    env: dict[str, str],
    file_content: str | None,
    expected: str,
) -> None:
    app_env.update(env)
    if file_content is not None:
        config = tmp_path / "bad.json"
        config.write_text(file_content)
        app_env["MEDASSIST_CONFIG"] = str(config)
    result = run_cli(app_env, "config", "show", "--json")
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert json.loads(result.stdout)["error"].startswith("Invalid settings") or (
        "not valid JSON" in json.loads(result.stdout)["error"]
    )
    assert not Path(app_env["MEDASSIST_DATA_DIR"]).exists(), "nothing may be written"


def test_usage_error_exits_2(app_env: dict[str, str]) -> None:
    result = run_cli(app_env, "no-such-command")
    assert result.returncode == 2
