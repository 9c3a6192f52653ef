"""Typed, validated settings: defaults < JSON file < environment variables.

Every setting is declared once, in `Settings`, with its type, default and limits;
`SETTING_ENV_VARS` names the environment variable of each (the names of our
operations guide). Loading records where each value came from so `medassist
config show` can say so, and every validation error names the variable or key,
the bad value, and what is allowed.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from medassist_desktop.atomic_io import atomic_write_text
from medassist_desktop.config.paths import DATA_DIR_VAR, AppPaths
from medassist_desktop.config.settings_upgrades import upgrade_settings, with_version
from medassist_desktop.config.urls import check_server_url
from medassist_desktop.errors import ConfigError
from medassist_desktop.i18n.catalogue import N_, Message

CONFIG_FILE_VAR = "MEDASSIST_CONFIG"
ENV_PREFIX = "MEDASSIST_"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    STAGING = "staging"
    PRODUCTION = "production"


class ModelDevice(StrEnum):
    AUTO = "auto"
    CPU = "cpu"
    GPU = "gpu"


class UiLanguage(StrEnum):
    """Languages the app is translated into; `auto` follows the operating system's locale."""

    AUTO = "auto"
    ENGLISH = "en"
    INDONESIAN = "id"
    VIETNAMESE = "vi"


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class LogLevel(StrEnum):
    TRACE = "TRACE"
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


Source = Literal["default", "file", "env"]

CLINIC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
# CouchDB's rule for database names.
COUCHDB_NAME_PATTERN = r"^[a-z][a-z0-9_$()+/-]{0,237}$"
URL_SETTINGS = ("sync_url", "cloud_url")


class Settings(BaseModel):
    """The effective settings of one run. Immutable: change them by restarting."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    environment: Environment = Environment.PRODUCTION
    clinic_id: str = Field("unconfigured-clinic", pattern=CLINIC_ID_PATTERN)
    # Shown in the window title and on referral summaries; set by first-run setup.
    clinic_name: str | None = Field(None, min_length=1, max_length=128)
    region: str = Field("southeast-asia", min_length=1, max_length=64)
    # Language of the window, messages, triage labels, referral and answers.
    ui_language: UiLanguage = UiLanguage.AUTO
    db_path: Path | None = None
    db_cache_size: int = Field(65536, ge=1024, le=4_194_304, description="KiB")
    model_name: str = Field("gemma3-270m-q4_k_m", min_length=1)
    model_device: ModelDevice = ModelDevice.AUTO
    model_4bit: bool = True
    model_context_tokens: int = Field(4096, ge=512, le=131_072, description="tokens")
    model_threads: int = Field(0, ge=0, le=256, description="0 = pick from the CPU")
    model_max_tokens: int = Field(512, ge=16, le=8192, description="answer length cap")
    # The packaged all-MiniLM-L6-v2, or a folder holding another sentence-transformers model.
    embedding_model: str = Field("all-MiniLM-L6-v2", min_length=1)
    enable_telemetry: bool = False
    enable_encryption: bool = True
    enable_auth: bool = True
    log_level: LogLevel = LogLevel.INFO
    log_format: LogFormat | None = None
    log_rotation_mb: int = Field(100, ge=1, le=10_000)
    log_retention_files: int = Field(10, ge=1, le=1000)
    session_timeout_minutes: int = Field(60, ge=1, le=24 * 60)
    max_login_attempts: int = Field(5, ge=1, le=100)
    kb_max_file_mb: int = Field(50, ge=1, le=2048)  # knowledge import refuses larger files
    # The same question about the same case is answered from memory for this long; 0: never.
    answer_cache_ttl_minutes: int = Field(30, ge=0, le=24 * 60)
    # Import the starter clinical library (resources/knowledge/) on first use of the KB.
    kb_starter_library: bool = True
    # When a clinic document and a starter-library passage score close, the clinic's wins.
    kb_prefer_local: bool = True
    # Opportunistic cloud sync (CouchDB replication). The password is in the keyring.
    sync_enabled: bool = False
    sync_url: str | None = Field(None, max_length=2048)
    sync_db: str | None = Field(None, pattern=COUCHDB_NAME_PATTERN)
    # Basic auth cannot carry a ':' in the user name.
    sync_user: str | None = Field(None, pattern=r"^[^:\x00-\x1f]{1,256}$")
    sync_interval_minutes: int = Field(5, ge=1, le=24 * 60)
    sync_metered: bool = False
    # Days an outbox row the server acknowledged is kept (to send again to a server
    # restored from an older backup) before it is deleted; 0 deletes at once.
    sync_retention_days: int = Field(30, ge=0, le=3650)
    # Opt-in: each sync also sends one document per day with this installation's counts,
    # latencies, capability states and versions (never a name, a question or case data).
    sync_metrics_daily: bool = False
    # /metrics and /health/* on 127.0.0.1 at this port for a district's monitoring; 0: off.
    metrics_port: int = Field(0, ge=0, le=65535)
    # Encrypted backups: the folder (a USB stick's), how many to keep, a daily automatic
    # backup while the app runs and the folder is there.
    backup_folder: Path | None = None
    backup_keep: int = Field(7, ge=1, le=365)
    backup_daily: bool = True
    # Hybrid inference on an OpenAI-compatible endpoint. The API key is in the keyring.
    cloud_inference_enabled: bool = False
    cloud_url: str | None = Field(None, max_length=2048)
    cloud_model: str | None = Field(None, min_length=1, max_length=256)
    cloud_first_byte_timeout_ms: int = Field(500, ge=50, le=60_000)

    @field_validator(*URL_SETTINGS)
    @classmethod
    def _server_url(cls, value: str | None) -> str | None:
        return None if value is None else check_server_url(value)

    @model_validator(mode="after")
    def _production_keeps_protections(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            if not self.enable_encryption:
                raise ValueError(
                    "enable_encryption cannot be off in production: patient data must be "
                    "encrypted at rest"
                )
            if not self.enable_auth:
                raise ValueError(
                    "enable_auth cannot be off in production: every access must be attributable"
                )
        return self

    @property
    def effective_log_format(self) -> LogFormat:
        """JSON lines in production (for log shippers), readable text elsewhere."""
        if self.log_format is not None:
            return self.log_format
        return LogFormat.JSON if self.environment is Environment.PRODUCTION else LogFormat.TEXT

    def database_path(self, paths: AppPaths) -> Path:
        return self.db_path if self.db_path is not None else paths.default_db_path


# The environment variable of each setting, as named in the operations guide.
# Each may also be given with the MEDASSIST_ prefix, which wins over the bare name.
SETTING_ENV_VARS: dict[str, str] = {
    "environment": "MEDASSIST_ENV",
    "clinic_id": "CLINIC_ID",
    "clinic_name": "CLINIC_NAME",
    "region": "REGION",
    "ui_language": "UI_LANGUAGE",
    "db_path": "DB_PATH",
    "db_cache_size": "DB_CACHE_SIZE",
    "model_name": "MODEL_NAME",
    "model_device": "MODEL_DEVICE",
    "model_4bit": "MODEL_4BIT",
    "model_context_tokens": "MODEL_CONTEXT_TOKENS",
    "model_threads": "MODEL_THREADS",
    "model_max_tokens": "MODEL_MAX_TOKENS",
    "embedding_model": "EMBEDDING_MODEL",
    "enable_telemetry": "ENABLE_TELEMETRY",
    "enable_encryption": "ENABLE_ENCRYPTION",
    "enable_auth": "ENABLE_AUTH",
    "log_level": "LOG_LEVEL",
    "log_format": "LOG_FORMAT",
    "log_rotation_mb": "LOG_ROTATION_MB",
    "log_retention_files": "LOG_RETENTION_FILES",
    "session_timeout_minutes": "SESSION_TIMEOUT_MINUTES",
    "max_login_attempts": "MAX_LOGIN_ATTEMPTS",
    "kb_max_file_mb": "KB_MAX_FILE_MB",
    "answer_cache_ttl_minutes": "ANSWER_CACHE_TTL_MINUTES",
    "kb_starter_library": "KB_STARTER_LIBRARY",
    "kb_prefer_local": "KB_PREFER_LOCAL",
    "sync_enabled": "SYNC_ENABLED",
    "sync_url": "SYNC_URL",
    "sync_db": "SYNC_DB",
    "sync_user": "SYNC_USER",
    "sync_interval_minutes": "SYNC_INTERVAL_MINUTES",
    "sync_metered": "SYNC_METERED",
    "sync_retention_days": "SYNC_RETENTION_DAYS",
    "sync_metrics_daily": "SYNC_METRICS_DAILY",
    "metrics_port": "METRICS_PORT",
    "backup_folder": "BACKUP_FOLDER",
    "backup_keep": "BACKUP_KEEP",
    "backup_daily": "BACKUP_DAILY",
    "cloud_inference_enabled": "CLOUD_INFERENCE_ENABLED",
    "cloud_url": "CLOUD_URL",
    "cloud_model": "CLOUD_MODEL",
    "cloud_first_byte_timeout_ms": "CLOUD_FIRST_BYTE_TIMEOUT_MS",
}
assert set(SETTING_ENV_VARS) == set(Settings.model_fields), "every setting needs a variable"


@dataclass(frozen=True)
class LoadedSettings:
    """Settings plus where each value came from, and the directories they live under."""

    settings: Settings
    sources: dict[str, str]
    paths: AppPaths
    config_file: Path | None

    def describe(self) -> dict[str, Any]:
        """The effective settings for `config show`: value and source of each."""
        values = self.settings.model_dump(mode="json")
        values["log_format"] = self.settings.effective_log_format.value
        values["db_path"] = str(self.settings.database_path(self.paths))
        return {
            "settings": {
                name: {"value": values[name], "source": self.sources[name]} for name in values
            },
            "config_file": str(self.config_file) if self.config_file else None,
            "paths": self.paths.as_dict(),
        }


def allowed_values(field_name: str) -> str:
    """A person-readable description of what a setting accepts."""
    field = Settings.model_fields[field_name]
    annotation = field.annotation
    choices = _enum_choices(annotation)
    if choices:
        return "one of " + ", ".join(choices)
    if annotation is bool:
        return "true or false (also 1/0, yes/no, on/off)"
    if annotation is int:
        low = next((m.ge for m in field.metadata if hasattr(m, "ge")), None)
        high = next((m.le for m in field.metadata if hasattr(m, "le")), None)
        return f"a whole number from {low} to {high}"
    return _TEXT_RULES.get(field_name, "a non-empty text")


_URL_RULE = "an https:// URL (http:// only to 127.0.0.1, localhost or ::1), no user or password"
_TEXT_RULES = {
    "clinic_id": "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    "clinic_name": "1-128 characters",
    "db_path": "a file path",
    "sync_url": _URL_RULE,
    "cloud_url": _URL_RULE,
    "sync_user": "1-256 characters without ':'",
    "sync_db": "a CouchDB database name: lowercase letter first, then a-z 0-9 _ $ ( ) + - /",
}


def _enum_choices(annotation: Any) -> list[str]:
    for candidate in getattr(annotation, "__args__", (annotation,)):
        if isinstance(candidate, type) and issubclass(candidate, StrEnum):
            return [member.value for member in candidate]
    return []


def _read_config_file(path: Path) -> dict[str, Any]:
    """The file's settings in the current version (older files are upgraded, and saved
    upgraded where the file can be written); without the version key."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            N_(
                "Cannot read the settings file {path} ({value}).",
                path=path,
                value=exc.strerror or exc,
            ),
            hint=N_(
                "Check the path in {config_file_var} and the file's permissions.",
                config_file_var=CONFIG_FILE_VAR,
            ),
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(N_("The settings file {path} is not UTF-8 text.", path=path)) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            N_(
                "The settings file {path} is not valid JSON: {msg} at line {lineno}, "
                "column {colno}.",
                path=path,
                msg=exc.msg,
                lineno=exc.lineno,
                colno=exc.colno,
            ),
            hint=N_("Fix the file or remove it to use the defaults."),
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(
            N_(
                "The settings file {path} must hold a JSON object ({{...}}), not {name}.",
                path=path,
                name=type(data).__name__,
            )
        )
    data, upgraded = upgrade_settings(data, path)
    unknown = sorted(set(data) - set(Settings.model_fields))
    if unknown:
        raise ConfigError(
            N_(
                "The settings file {path} has unknown key(s): {join}.",
                path=path,
                join=", ".join(unknown),
            ),
            hint=N_("Known keys: {keys}.", keys=", ".join(Settings.model_fields)),
        )
    if upgraded:
        _save_upgraded(path, data)
    return data


def _save_upgraded(path: Path, data: dict[str, Any]) -> None:
    """Write the upgraded file back, so the next start reads it as it is; a file that
    cannot be written (read-only, managed) is still used, upgraded in memory."""
    text = json.dumps(with_version(data), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    with contextlib.suppress(OSError):
        atomic_write_text(path, text)


def _joined(parts: list[Any]) -> Message:
    """Several messages as one, rendered each in the same language."""
    names = {f"part{index}": part for index, part in enumerate(parts)}
    # Built directly, not with N_: the template has no words to translate.
    return Message(" ".join("{" + name + "}" for name in names), names)


def _env_value(environ: Mapping[str, str], name: str) -> tuple[str, str] | None:
    """The (variable, value) set for a setting, preferring the MEDASSIST_-prefixed spelling."""
    candidates = [name] if name.startswith(ENV_PREFIX) else [ENV_PREFIX + name, name]
    for variable in candidates:
        if variable in environ:
            return variable, environ[variable]
    return None


def load_settings(environ: Mapping[str, str]) -> LoadedSettings:
    """Build the settings of this run from the environment (and the file it names)."""
    paths = AppPaths.resolve(environ)
    named_file = environ.get(CONFIG_FILE_VAR, "").strip()
    config_file: Path | None
    if named_file:
        config_file = Path(named_file).expanduser()
        if not config_file.is_file():
            raise ConfigError(
                N_(
                    "The settings file named by {config_file_var} does not exist: {config_file}.",
                    config_file_var=CONFIG_FILE_VAR,
                    config_file=config_file,
                )
            )
    else:
        config_file = paths.default_config_file if paths.default_config_file.is_file() else None

    file_values = _read_config_file(config_file) if config_file else {}
    merged: dict[str, Any] = {}
    sources: dict[str, str] = dict.fromkeys(Settings.model_fields, "default")
    origin: dict[str, str] = {}
    for key, value in file_values.items():
        merged[key] = value
        sources[key] = "file"
        origin[key] = f"key '{key}' in {config_file}"
    for field_name, variable in SETTING_ENV_VARS.items():
        found = _env_value(environ, variable)
        if found is None:
            continue
        env_name, raw = found
        merged[field_name] = raw.strip() if raw.strip() else None
        sources[field_name] = "env"
        origin[field_name] = env_name

    try:
        settings = Settings.model_validate(merged)
    except ValidationError as exc:
        raise _explain(exc, merged, origin) from None
    return LoadedSettings(settings=settings, sources=sources, paths=paths, config_file=config_file)


def _explain(exc: ValidationError, merged: dict[str, Any], origin: dict[str, str]) -> ConfigError:
    lines: list[Message | str] = []
    for error in exc.errors():
        location = error.get("loc", ())
        if not location:  # a rule across settings (production protections)
            lines.append(str(error["msg"]).removeprefix("Value error, "))
            continue
        field_name = str(location[0])
        where = origin.get(field_name, f"setting '{field_name}'")
        value = merged.get(field_name, "<missing>")
        lines.append(
            N_(
                "{where}={value!r} is not allowed: {reason}. Allowed: {values}.",
                where=where,
                value=value,
                reason=error["msg"],
                values=allowed_values(field_name),
            )
        )
    return ConfigError(N_("Invalid settings: {problems}", problems=_joined(lines)))


__all__ = [
    "CONFIG_FILE_VAR",
    "DATA_DIR_VAR",
    "SETTING_ENV_VARS",
    "Environment",
    "LoadedSettings",
    "LogFormat",
    "LogLevel",
    "ModelDevice",
    "Settings",
    "Source",
    "load_settings",
]
