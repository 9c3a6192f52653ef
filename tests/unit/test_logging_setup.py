"""Logging: secrets never reach a sink; JSON lines carry the fields a log shipper needs."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from loguru import logger

from medassist_desktop.config import load_settings
from medassist_desktop.logging_setup import REDACTED, Redactor, configure_logging


@pytest.fixture(autouse=True)
def _restore_loguru() -> Iterator[None]:
    yield
    logger.remove()
    logging.basicConfig(handlers=[], force=True)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("login failed password=hunter22 for nurse1", "hunter22"),
        ('{"api_key": "abc123def456"}', "abc123def456"),
        ("db_key: 0f1e2d3c4b5a", "0f1e2d3c4b5a"),
        ("PRAGMA key = \"x'" + "ab" * 32 + "'\"", "ab" * 32),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload", "eyJhbGciOiJIUzI1NiJ9"),
        ("sync to https://admin:s3cr3tpw@couch.example.org/db", "s3cr3tpw"),
        ("using key sk-proj-ABCDEFGHIJKLMNOP1234", "sk-proj-ABCDEFGHIJKLMNOP1234"),
        ("MEDASSIST_DB_PASSPHRASE=correct-horse", "correct-horse"),
    ],
)
def test_patterns_remove_secrets(text: str, secret: str) -> None:
    redacted = Redactor().redact_text(text)
    assert secret not in redacted
    assert REDACTED in redacted


def test_ordinary_text_is_untouched() -> None:
    text = "generated 120 tokens at 35.2 tokens/s, model_sha256=9f86d081884c7d659a2feaa0c55ad015"
    assert Redactor().redact_text(text) == text


def test_registered_secret_is_replaced_anywhere() -> None:
    redactor = Redactor()
    key = bytes(range(32))
    redactor.add_secret(key)
    redactor.add_secret("plain-words-secret")
    out = redactor.redact_text(f"k {key.hex()} and {key.hex().upper()} and plain-words-secret")
    assert key.hex() not in out and key.hex().upper() not in out
    assert "plain-words-secret" not in out


def test_secret_named_extra_fields_are_redacted() -> None:
    redactor = Redactor()
    assert redactor.redact_value("api_key", "anything") == REDACTED
    assert redactor.redact_value("password", 123456) == REDACTED
    assert redactor.redact_value("model_sha256", "abc") == "abc"
    nested = redactor.redact_value("payload", {"user": "ana", "pin": "123456"})
    assert nested == {"user": "ana", "pin": REDACTED}


def _configure(app_env: dict[str, str], **env: str) -> tuple[Redactor, Path]:
    app_env.update(env)
    loaded = load_settings(app_env)
    loaded.paths.ensure_writable()
    redactor = Redactor()
    return redactor, configure_logging(loaded, redactor, console_level="CRITICAL")


def test_json_log_file_lines(app_env: dict[str, str]) -> None:
    _, log_file = _configure(app_env, LOG_FORMAT="json", LOG_LEVEL="DEBUG")
    logger.bind(area="inference", tokens=42).info("generated")
    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    entry = lines[-1]
    assert entry["message"] == "generated"
    assert entry["level"] == "INFO"
    assert entry["area"] == "inference"
    assert entry["extra"] == {"tokens": 42}
    assert "T" in entry["timestamp"]


def test_stdlib_logging_is_routed_in(app_env: dict[str, str]) -> None:
    _, log_file = _configure(app_env, LOG_FORMAT="json")
    logging.getLogger("llama_cpp").warning("ggml backend fell back to CPU")
    entry = json.loads(log_file.read_text().splitlines()[-1])
    assert entry["area"] == "llama_cpp"
    assert entry["message"] == "ggml backend fell back to CPU"
    assert entry["level"] == "WARNING"


def test_secrets_never_reach_the_log_file(app_env: dict[str, str]) -> None:
    redactor, log_file = _configure(app_env, LOG_FORMAT="text")
    db_key = bytes(range(100, 132))
    redactor.add_secret(db_key)
    logger.info("opened database with key {}", db_key.hex())
    logger.bind(api_key="sk-live-0123456789abcdefXYZ").warning("cloud call")
    logging.getLogger("httpx").info("GET https://u:topsecretpw@host/x")
    try:
        raise ValueError("password=swordfish123 rejected")
    except ValueError:
        logger.exception("failure")
    content = log_file.read_text()
    for secret in (db_key.hex(), "sk-live-0123456789abcdefXYZ", "topsecretpw", "swordfish123"):
        assert secret not in content
    assert content.count(REDACTED) >= 3


def test_text_log_level_filters(app_env: dict[str, str]) -> None:
    _, log_file = _configure(app_env, LOG_FORMAT="text", LOG_LEVEL="WARNING")
    logger.info("quiet")
    logger.warning("loud")
    content = log_file.read_text()
    assert "loud" in content and "quiet" not in content


def test_log_folder_and_files_are_private(app_env: dict[str, str]) -> None:
    """Logs name users and what they did: other local users may not read them."""
    log_dir = Path(app_env["MEDASSIST_DATA_DIR"]) / "logs"
    log_dir.mkdir(parents=True)
    old = log_dir / "medassist.2026-01-01.log"
    old.write_text("from an older version\n")
    old.chmod(0o644)
    _, log_file = _configure(app_env, LOG_FORMAT="text")
    logger.info("a line")
    assert log_file.parent == log_dir
    assert log_dir.stat().st_mode & 0o777 == 0o700
    assert log_file.stat().st_mode & 0o777 == 0o600
    assert old.stat().st_mode & 0o777 == 0o600
