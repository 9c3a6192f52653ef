"""A diagnostics bundle an admin can send to support: what is wrong, without patient data.

One zip (under 5 MB): settings (no secrets are settings), hardware, versions, the health
probes, the database check, sync state, and the newest log lines. Logs are redacted
when written; here they pass through the redactor again, with the database and audit
keys registered and every patient name and clinic id of this database replaced, so a
line that slipped through (an old log, a bug) still leaves no name or secret behind.
Made by an admin only, and audited.
"""

from __future__ import annotations

import json
import platform
import re
import sys
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from medassist_desktop import __version__
from medassist_desktop.config import LoadedSettings
from medassist_desktop.core.health.probes import Probe
from medassist_desktop.core.inference.hardware import probe_hardware
from medassist_desktop.core.security.accounts import Role
from medassist_desktop.core.security.audit import Outcome
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.core.sync import local_state, outbox
from medassist_desktop.core.sync.audit_copy import stored_result
from medassist_desktop.logging_setup import Redactor
from medassist_desktop.services.accounts import authorize
from medassist_desktop.services.health import HealthService
from medassist_desktop.services.security import SecurityServices

# Uncompressed log text; logs compress 5-10x, which keeps the bundle well under 5 MB.
LOG_BUDGET_BYTES = 3 * 1024 * 1024
PATIENT = "[patient]"
# Older logs name refused sign-ins' user names, which may be a password typed in the wrong box.
_REFUSED_NAME = re.compile(r"(unknown user )('[^'\n]*'|\"[^\"\n]*\")")
PACKAGES = (
    "PySide6-Essentials",
    "llama_cpp_python",
    "sentence-transformers",
    "torch",
    "sqlcipher3",
    "numpy",
    "httpx",
    "pydantic",
    "keyring",
    "prometheus-client",
)


@dataclass(frozen=True)
class DiagnosticsResult:
    path: Path
    size_bytes: int
    files: list[str]


def export_diagnostics(
    services: SecurityServices,
    session: Session,
    loaded: LoadedSettings,
    environ: dict[str, str],
    target: Path,
) -> DiagnosticsResult:
    admin = authorize(
        session, Role.ADMIN, services.account_store, services.audit_log, "diagnostics.export"
    )
    redactor = _redactor_for(services)
    health = HealthService(loaded, environ, open_database=services.db.open_again)
    parts: dict[str, Any] = {
        "manifest.json": {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "app_version": __version__,
            "clinic_id": loaded.settings.clinic_id,
        },
        "settings.json": loaded.settings.model_dump(mode="json"),
        "hardware.json": probe_hardware(check_gpu=False).as_dict(),
        "versions.json": _versions(),
        "health.json": {p.value: health.probe(p).as_dict() for p in Probe},
        "db_check.json": services.check_database(),
        "sync.json": _sync_state(services),
    }
    target = target.expanduser().absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    names = []
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in parts.items():
            text = json.dumps(redactor.redact_value(name, data), indent=2, default=str)
            bundle.writestr(name, redactor.redact_text(text))
            names.append(name)
        for log_file, text in _newest_logs(loaded.paths.log_dir, LOG_BUDGET_BYTES):
            name = f"logs/{log_file.name}"
            bundle.writestr(name, redactor.redact_text(text))
            names.append(name)
    partial.chmod(0o600)
    partial.replace(target)
    size = target.stat().st_size
    services.audit_log.append(
        admin.id, "diagnostics.export", target.name, Outcome.SUCCESS, details={"bytes": size}
    )
    return DiagnosticsResult(target, size, names)


class _PatientRedactor(Redactor):
    """The log redactor, plus this clinic's patient names and ids."""

    def __init__(self, identifiers: list[str]) -> None:
        super().__init__()
        words = sorted({i for i in identifiers if len(i) >= 3}, key=len, reverse=True)
        self._people = (
            re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
        )

    def redact_text(self, text: str) -> str:
        text = _REFUSED_NAME.sub(r"\1'[REDACTED]'", super().redact_text(text))
        return self._people.sub(PATIENT, text) if self._people is not None else text


def _redactor_for(services: SecurityServices) -> Redactor:
    identifiers: list[str] = []
    for name, patient_id in services.db.query_all("SELECT name, patient_id FROM cases"):
        identifiers.append(str(name))
        identifiers += [part for part in str(name).split() if len(part) >= 4]
        if patient_id:
            identifiers.append(str(patient_id))
    redactor = _PatientRedactor(identifiers)
    for key in (services.keys.db_key, services.keys.audit_key):
        if key is not None:
            redactor.add_secret(key)
    return redactor


def _versions() -> dict[str, Any]:
    found: dict[str, str | None] = {}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return {
        "app": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": found,
    }


def _sync_state(services: SecurityServices) -> dict[str, Any]:
    with services.db.transaction() as conn:
        return {
            "last_state": local_state.get_state(conn, "last_state"),
            "last_reason": local_state.get_state(conn, "last_reason"),
            "last_success_at": local_state.get_state(conn, "last_success_at"),
            "outbox": outbox.count_by_status(conn),
            "open_conflicts": local_state.open_conflict_count(conn),
            "audit_copy": stored_result(conn).as_dict(),
        }


def _newest_logs(log_dir: Path, budget: int) -> list[tuple[Path, str]]:
    """The newest log text first, whole files while they fit, then the tail of the next."""
    files = sorted(
        (p for p in log_dir.glob("*.log*") if p.is_file()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    chosen: list[tuple[Path, str]] = []
    for path in files:
        if budget <= 0:
            break
        data = path.read_bytes()
        if len(data) > budget:
            data = data[-budget:]
            data = data[data.find(b"\n") + 1 :]  # start at a whole line
        budget -= len(data)
        chosen.append((path, data.decode("utf-8", errors="replace")))
    return chosen


def recent_errors(log_dir: Path, limit: int = 20) -> list[dict[str, str]]:
    """The newest error lines of the log (text or JSON lines), newest first, with the
    error id a person was shown where the line has one."""
    found: list[dict[str, str]] = []
    for _path, text in _newest_logs(log_dir, 1024 * 1024):
        for line in reversed(text.splitlines()):
            entry = _error_entry(line)
            if entry is not None:
                found.append(entry)
                if len(found) >= limit:
                    return found
    return found


_TEXT_LINE = re.compile(r"^(\S+ \S+) \| (ERROR|CRITICAL)\s*\| (?:\S+ \| )?(.*)$")
_ERROR_ID = re.compile(r"\b(?:error id |error )([0-9a-f]{8})\b")


def _error_entry(line: str) -> dict[str, str] | None:
    if line.startswith("{"):
        try:
            record = json.loads(line)
        except ValueError:
            return None
        if record.get("level") not in ("ERROR", "CRITICAL"):
            return None
        at, message = str(record.get("timestamp", "")), str(record.get("message", ""))
    else:
        match = _TEXT_LINE.match(line)
        if match is None:
            return None
        at, message = match.group(1), match.group(3)
    error_id = _ERROR_ID.search(message)
    return {"at": at, "message": message, "error_id": error_id.group(1) if error_id else ""}
