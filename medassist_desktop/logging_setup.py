"""Logging with loguru: readable console, rotating log file, stdlib routed in, secrets redacted.

Redaction runs in a patcher, before any sink sees a record, so a secret cannot
reach the console, the file or a future sink. Two layers: secrets the app knows
at run time (a database key, an API key) are registered and replaced verbatim,
and patterns catch the shapes secrets usually take in text (`password=...`,
bearer tokens, long hex keys, credentials in URLs).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
import threading
import traceback
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from loguru import logger

from medassist_desktop.config.settings import LoadedSettings, LogFormat

if TYPE_CHECKING:
    from loguru import Record

REDACTED = "[REDACTED]"
TRACEBACK_KEY = "traceback"
LOG_FILE_NAME = "medassist.log"

_SECRET_NAME = r"(?:password|passphrase|passwd|pin|secret|token|api[_-]?key|db[_-]?key|key)"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # key=value, key: value, "key": "value"
    (
        re.compile(
            rf"""(?i)(?P<name>["']?\b\w*{_SECRET_NAME}\b["']?\s*[:=]\s*)(?P<q>["']?)[^\s"',;}}]+(?P=q)"""
        ),
        rf"\g<name>\g<q>{REDACTED}\g<q>",
    ),
    # SQLCipher raw keys: x'<64 hex>'
    (re.compile(r"(?i)x'[0-9a-f]{32,}'"), f"x'{REDACTED}'"),
    # Authorization headers
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {REDACTED}"),
    # user:password@ in URLs
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^/\s@]+@"), rf"\1{REDACTED}@"),
    # API keys of common providers, and any bare hex of 32+ characters (keys, not hashes we print
    # deliberately: sha256 of model files is logged under a *_sha256 name, which is not redacted)
    (re.compile(r"\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}\b"), REDACTED),
)
_SECRET_KEY_NAME = re.compile(rf"(?i){_SECRET_NAME}$")


class Redactor:
    """Removes secrets from text and from the extra fields of a log record. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: set[str] = set()

    def add_secret(self, value: str | bytes) -> None:
        """Remember a secret so it is replaced wherever it appears (also its hex form)."""
        forms = {value.hex(), value.hex().upper()} if isinstance(value, bytes) else {value}
        with self._lock:
            self._known.update(form for form in forms if len(form) >= 4)

    def redact_text(self, text: str) -> str:
        with self._lock:
            known = sorted(self._known, key=len, reverse=True)
        for secret in known:
            text = text.replace(secret, REDACTED)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def redact_value(self, name: str, value: Any) -> Any:
        if _SECRET_KEY_NAME.search(name) and not name.endswith("_sha256"):
            return REDACTED
        if isinstance(value, str):
            return self.redact_text(value)
        if isinstance(value, dict):
            return {k: self.redact_value(str(k), v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.redact_value(name, v) for v in value]
        return value

    def patch(self, record: Record) -> None:
        record["message"] = self.redact_text(record["message"])
        for name, value in list(record["extra"].items()):
            record["extra"][name] = self.redact_value(name, value)
        exception = record["exception"]
        if exception is not None and exception.type is not None:
            # Render the traceback here, redacted, instead of letting sinks render it:
            # exception messages and source lines can carry secrets.
            text = "".join(
                traceback.format_exception(exception.type, exception.value, exception.traceback)
            )
            record["extra"][TRACEBACK_KEY] = self.redact_text(text)
            record["exception"] = None


class InterceptHandler(logging.Handler):
    """Routes stdlib logging (llama-cpp-python, httpx, keyring...) into loguru."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            level: str | int = logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        frame: FrameType | None = logging.currentframe()
        depth = 2
        while frame is not None and frame.f_code.co_filename == logging.__file__:
            frame = frame.f_back
            depth += 1
        logger.bind(area=record.name).opt(depth=depth, exception=record.exc_info).log(
            level, record.getMessage()
        )


def _json_line(record: Record) -> str:
    """One JSON object per line: timestamp, level, area, message, extra fields."""
    extra = {k: v for k, v in record["extra"].items() if k not in ("area", "_json", TRACEBACK_KEY)}
    payload: dict[str, Any] = {
        "timestamp": record["time"].isoformat(),
        "level": record["level"].name,
        "area": record["extra"].get("area", record["name"]),
        "message": record["message"],
        "extra": extra,
    }
    if TRACEBACK_KEY in record["extra"]:
        payload["exception"] = record["extra"][TRACEBACK_KEY]
    record["extra"]["_json"] = json.dumps(payload, default=str, ensure_ascii=False)
    return "{extra[_json]}\n"


def _text_line(record: Record) -> str:
    line = (
        "<green>{time:YYYY-MM-DD HH:mm:ss.SSS}</green> | <level>{level: <8}</level> | "
        "<cyan>{extra[area]}</cyan> | <level>{message}</level>\n"
    )
    if TRACEBACK_KEY in record["extra"]:
        line += "{extra[" + TRACEBACK_KEY + "]}"
    return line


def configure_early_logging(redactor: Redactor) -> None:
    """Before settings are known: warnings and worse to stderr, redacted, no variable dumps."""
    logger.remove()
    logger.configure(extra={"area": "app"}, patcher=redactor.patch)
    if sys.stderr is not None:
        logger.add(sys.stderr, level="WARNING", format=_text_line, diagnose=False)


def _private_opener(path: str, flags: int) -> int:
    """open() for the log sink: files readable and writable by this user only (0600)."""
    return os.open(path, flags, 0o600)


def _restrict_log_folder(log_dir: Path) -> None:
    """Logs name users and clinical actions: the folder is 0700 and its files 0600.

    Rotated files keep the mode they were created with; files from older versions,
    created with the umask, are tightened here. A no-op where modes do not apply.
    """
    with contextlib.suppress(OSError):
        log_dir.chmod(0o700)
        for existing in log_dir.glob(LOG_FILE_NAME.split(".", maxsplit=1)[0] + "*"):
            existing.chmod(0o600)


def configure_logging(
    loaded: LoadedSettings, redactor: Redactor, *, console_level: str | None = None
) -> Path:
    """Install the sinks for this run; returns the log file path.

    The console gets `console_level` (the settings' level when None); the CLI asks
    for WARNING so stdout and stderr stay readable for scripts.
    """
    settings = loaded.settings
    log_file = loaded.paths.log_dir / LOG_FILE_NAME
    logger.remove()
    logger.configure(extra={"area": "app"}, patcher=redactor.patch)
    level = settings.log_level.value
    if sys.stderr is not None:
        logger.add(
            sys.stderr,
            level=console_level or level,
            format=_text_line,
            colorize=None,
            diagnose=False,
        )
    file_format = _json_line if settings.effective_log_format is LogFormat.JSON else _text_line
    _restrict_log_folder(loaded.paths.log_dir)
    logger.add(
        log_file,
        opener=_private_opener,  # new and rotated files: this user only
        level=level,
        format=file_format,
        rotation=f"{settings.log_rotation_mb} MB",
        retention=settings.log_retention_files,
        encoding="utf-8",
        enqueue=False,
        colorize=False,
        backtrace=False,
        diagnose=False,  # variable values in tracebacks could carry patient data or keys
    )
    logging.basicConfig(handlers=[InterceptHandler()], level=0, force=True)
    return log_file
