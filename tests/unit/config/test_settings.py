"""Settings: defaults < JSON file < environment, validation that names the culprit."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from medassist_desktop.config import Environment, LogFormat, ModelDevice, load_settings
from medassist_desktop.config.settings import SETTING_ENV_VARS, Settings
from medassist_desktop.errors import ConfigError

# One valid environment value per setting, and the typed value it must become.
VALID: dict[str, tuple[str, object]] = {
    "environment": ("staging", Environment.STAGING),
    "clinic_id": ("kh-battambang-01", "kh-battambang-01"),
    "clinic_name": ("Pursat Health Centre", "Pursat Health Centre"),
    "region": ("lao-pdr", "lao-pdr"),
    "db_path": ("/srv/clinic/other.db", Path("/srv/clinic/other.db")),
    "db_cache_size": ("2048", 2048),
    "model_name": ("medgemma-4b-it-q4_k_m", "medgemma-4b-it-q4_k_m"),
    "model_device": ("cpu", ModelDevice.CPU),
    "model_4bit": ("false", False),
    "model_context_tokens": ("8192", 8192),
    "model_threads": ("4", 4),
    "model_max_tokens": ("256", 256),
    "embedding_model": (
        "/srv/models/paraphrase-multilingual-MiniLM-L12-v2",
        "/srv/models/paraphrase-multilingual-MiniLM-L12-v2",
    ),
    "enable_telemetry": ("yes", True),
    "enable_encryption": ("0", False),
    "enable_auth": ("off", False),
    "log_level": ("DEBUG", "DEBUG"),
    "log_format": ("json", LogFormat.JSON),
    "log_rotation_mb": ("5", 5),
    "log_retention_files": ("3", 3),
    "session_timeout_minutes": ("15", 15),
    "max_login_attempts": ("3", 3),
    "kb_max_file_mb": ("200", 200),
    "answer_cache_ttl_minutes": ("0", 0),
    "kb_starter_library": ("false", False),
    "sync_enabled": ("true", True),
    "sync_url": ("https://sync.example.org:6984/", "https://sync.example.org:6984"),
    "sync_db": ("clinic-kh-01", "clinic-kh-01"),
    "sync_user": ("clinic-kh-01", "clinic-kh-01"),
    "sync_interval_minutes": ("15", 15),
    "sync_metered": ("on", True),
    "sync_retention_days": ("7", 7),
    "sync_metrics_daily": ("yes", True),
    "metrics_port": ("9464", 9464),
    "backup_folder": ("/media/usb/backups", Path("/media/usb/backups")),
    "backup_keep": ("14", 14),
    "backup_daily": ("false", False),
    "kb_prefer_local": ("off", False),
    "ui_language": ("vi", "vi"),
    "cloud_inference_enabled": ("1", True),
    "cloud_url": ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1"),
    "cloud_model": ("medgemma-27b", "medgemma-27b"),
    "cloud_first_byte_timeout_ms": ("800", 800),
}

# One invalid environment value per setting (None: any text is accepted).
INVALID: dict[str, str] = {
    "environment": "prod",
    "clinic_id": "bad clinic/id",
    "clinic_name": "x" * 129,
    "region": "",
    "db_cache_size": "abc",
    "model_name": "",
    "model_device": "tpu",
    "model_4bit": "maybe",
    "model_context_tokens": "100",
    "model_threads": "-2",
    "model_max_tokens": "lots",
    "embedding_model": "",
    "enable_telemetry": "2",
    "enable_encryption": "perhaps",
    "enable_auth": "nope",
    "log_level": "LOUD",
    "log_format": "xml",
    "log_rotation_mb": "0",
    "log_retention_files": "-1",
    "session_timeout_minutes": "100000",
    "max_login_attempts": "many",
    "kb_max_file_mb": "0",
    "answer_cache_ttl_minutes": "-1",
    "kb_starter_library": "later",
    "sync_enabled": "sometimes",
    "sync_url": "http://sync.example.org",
    "sync_db": "Clinic DB",
    "sync_user": "clinic:01",
    "sync_interval_minutes": "0",
    "sync_metered": "metered",
    "sync_retention_days": "-1",
    "sync_metrics_daily": "daily",
    "metrics_port": "70000",
    "backup_keep": "0",
    "backup_daily": "weekly",
    "kb_prefer_local": "maybe",
    "ui_language": "klingon",
    "cloud_inference_enabled": "auto",
    "cloud_url": "https://user:pw@api.example.org/v1",
    "cloud_model": "m" * 300,
    "cloud_first_byte_timeout_ms": "10",
}


def test_every_setting_has_a_valid_case() -> None:
    assert set(VALID) == set(Settings.model_fields)


def test_defaults(app_env: dict[str, str]) -> None:
    del app_env["MEDASSIST_ENV"]
    loaded = load_settings(app_env)
    s = loaded.settings
    assert s.environment is Environment.PRODUCTION
    assert s.enable_encryption and s.enable_auth and not s.enable_telemetry
    assert s.effective_log_format is LogFormat.JSON  # production logs JSON lines
    assert s.model_device is ModelDevice.AUTO
    assert set(loaded.sources.values()) == {"default"}
    assert loaded.config_file is None


@pytest.mark.parametrize("field", sorted(VALID))
def test_env_variable_sets_its_setting(field: str, app_env: dict[str, str]) -> None:
    raw, expected = VALID[field]
    app_env[SETTING_ENV_VARS[field]] = raw
    loaded = load_settings(app_env)
    assert getattr(loaded.settings, field) == expected
    assert loaded.sources[field] == "env"


@pytest.mark.parametrize("field", sorted(INVALID))
def test_invalid_env_value_is_named(field: str, app_env: dict[str, str]) -> None:
    variable = SETTING_ENV_VARS[field]
    app_env[variable] = INVALID[field]
    with pytest.raises(ConfigError) as info:
        load_settings(app_env)
    message = str(info.value)
    assert variable in message
    assert repr(INVALID[field].strip() or None) in message
    assert "Allowed:" in message


def test_env_beats_file_beats_default(app_env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "settings.json"
    config.write_text(json.dumps({"clinic_id": "from-file", "region": "file-region"}))
    app_env["MEDASSIST_CONFIG"] = str(config)
    app_env["CLINIC_ID"] = "from-env"
    loaded = load_settings(app_env)
    assert loaded.settings.clinic_id == "from-env"
    assert loaded.settings.region == "file-region"
    assert loaded.settings.model_device is ModelDevice.AUTO
    assert loaded.sources["clinic_id"] == "env"
    assert loaded.sources["region"] == "file"
    assert loaded.sources["model_device"] == "default"
    assert loaded.config_file == config


def test_prefixed_variable_wins_over_bare_name(app_env: dict[str, str]) -> None:
    app_env["LOG_LEVEL"] = "ERROR"
    app_env["MEDASSIST_LOG_LEVEL"] = "DEBUG"
    assert load_settings(app_env).settings.log_level.value == "DEBUG"


def test_default_config_file_in_config_dir_is_read(app_env: dict[str, str]) -> None:
    config_dir = Path(app_env["MEDASSIST_DATA_DIR"]) / "config"
    config_dir.mkdir(parents=True)
    (config_dir / "config.json").write_text('{"model_device": "gpu"}')
    loaded = load_settings(app_env)
    assert loaded.settings.model_device is ModelDevice.GPU
    assert loaded.sources["model_device"] == "file"


@pytest.mark.parametrize("field", ["enable_encryption", "enable_auth"])
def test_production_refuses_protections_off(field: str, app_env: dict[str, str]) -> None:
    app_env["MEDASSIST_ENV"] = "production"
    app_env[SETTING_ENV_VARS[field]] = "false"
    with pytest.raises(ConfigError, match=f"{field} cannot be off in production"):
        load_settings(app_env)


def test_development_allows_protections_off(app_env: dict[str, str]) -> None:
    app_env["ENABLE_ENCRYPTION"] = "false"
    app_env["ENABLE_AUTH"] = "false"
    settings = load_settings(app_env).settings
    assert not settings.enable_encryption and not settings.enable_auth


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"clinic_id": "x",}', "not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ('{"clinc_id": "typo"}', "unknown key(s): clinc_id"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_bad_config_file(
    content: str | bytes, expected: str, app_env: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "settings.json"
    if isinstance(content, bytes):
        config.write_bytes(content)
    else:
        config.write_text(content)
    app_env["MEDASSIST_CONFIG"] = str(config)
    with pytest.raises(ConfigError, match=re.escape(expected)) as info:
        load_settings(app_env)
    assert str(config) in str(info.value)


def test_bad_value_in_file_names_the_key_and_file(app_env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "settings.json"
    config.write_text('{"db_cache_size": "lots"}')
    app_env["MEDASSIST_CONFIG"] = str(config)
    with pytest.raises(ConfigError) as info:
        load_settings(app_env)
    assert "key 'db_cache_size'" in str(info.value)
    assert str(config) in str(info.value)
    assert "'lots'" in str(info.value)


def test_named_config_file_must_exist(app_env: dict[str, str], tmp_path: Path) -> None:
    app_env["MEDASSIST_CONFIG"] = str(tmp_path / "missing.json")
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(app_env)


def test_describe_reports_value_and_source(app_env: dict[str, str]) -> None:
    app_env["MODEL_DEVICE"] = "cpu"
    report = load_settings(app_env).describe()
    assert report["settings"]["model_device"] == {"value": "cpu", "source": "env"}
    assert report["settings"]["log_format"] == {"value": "text", "source": "default"}
    assert report["settings"]["db_path"]["value"].endswith("medassist.db")
    assert report["paths"]["data_dir"] == app_env["MEDASSIST_DATA_DIR"]
