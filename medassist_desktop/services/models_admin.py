"""The admin's model operations for the GUI: list, import from a file, verify, choose.

An import copies gigabytes from a USB stick, so it must not hold the database thread:
the GUI checks the admin on the database thread (`authorize`), copies and verifies on
a file thread (`import_file`, no database), then records the result on the database
thread (`record`). Choosing the model (`use`) saves `model_name` in the settings file,
as `medassist models use` does; it applies when the model is next loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medassist_desktop.config import LoadedSettings
from medassist_desktop.config.settings_file import (
    overridden_by_environment,
    settings_file_for_update,
    update_settings_file,
)
from medassist_desktop.core.security.accounts import AccountStore, Role, User
from medassist_desktop.core.security.audit import AuditLog, Outcome
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.services.accounts import authorize
from medassist_desktop.services.admin_settings import SaveResult

if TYPE_CHECKING:
    from medassist_desktop.core.inference.models import ModelStore

ByteProgress = Callable[[int, int], None]


def model_store(loaded: LoadedSettings) -> ModelStore:
    from medassist_desktop.core.inference.models import ModelStore

    return ModelStore(loaded.paths)


def list_models(loaded: LoadedSettings) -> list[dict[str, Any]]:
    """Known and imported models, which is in use and whether each is here (file reads)."""
    return model_store(loaded).list_models(loaded.settings.model_name)


def default_model_name(loaded: LoadedSettings) -> str:
    """The embedded model: what a first run preselects."""
    return model_store(loaded).embedded_entry().name


def import_model_file(
    loaded: LoadedSettings,
    source: Path,
    *,
    on_progress: ByteProgress | None = None,
    cancel: threading.Event | None = None,
) -> dict[str, Any]:
    """Copy, sha256-check and register a .gguf (no database: run on a file thread).

    Returns the imported model's record; its `sha256_source` says whether the checksum
    matched the manifest ("manifest") or was only recorded ("recorded").
    """
    model = model_store(loaded).import_file(source, on_progress=on_progress, cancel=cancel)
    return asdict(model)


def usable_model_value(loaded: LoadedSettings, name: str) -> str:
    """The `model_name` value for `name`, or a known error saying why it cannot be used.

    Never assembles the embedded model (that happens when it is loaded).
    """
    store = model_store(loaded)
    if store.registry.find(name) is not None:
        return name.lower()
    entry = store.manifest.get(name)
    if entry is not None and entry.embedded:
        return entry.name
    resolved = store.resolve(name)  # raises ModelNotFoundError / ModelFileError
    return str(resolved.path) if resolved.kind == "path" else resolved.name


class ModelAdminService:
    """Admin checks and audit records around the file operations above."""

    def __init__(
        self,
        loaded: Callable[[], LoadedSettings],
        environ: Mapping[str, str],
        store: AccountStore,
        audit: AuditLog,
    ) -> None:
        self._loaded = loaded
        self._environ = environ
        self._store = store
        self._audit = audit

    def authorize(self, session: Session, action: str) -> User:
        """Database thread: refuse anyone but an admin before a long file operation."""
        return authorize(session, Role.ADMIN, self._store, self._audit, action)

    def record(
        self,
        session: Session,
        action: str,
        target: str,
        *,
        ok: bool,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Database thread: the outcome of an import or a check, in the audit chain."""
        outcome = Outcome.SUCCESS if ok else Outcome.FAILURE
        self._audit.append(
            session.user_id, action, f"model:{target}", outcome, details=details or {}
        )

    def use(self, session: Session, name: str) -> SaveResult:
        """Database thread: make `name` the model the app loads (saved in the settings file)."""
        admin = self.authorize(session, "model.use")
        loaded = self._loaded()
        value = usable_model_value(loaded, name)
        path = settings_file_for_update(loaded)
        update_settings_file(path, {"model_name": value})
        self._audit.append(
            admin.id, "model.use", f"model:{value}", Outcome.SUCCESS, details={"model": value}
        )
        return SaveResult(
            path, {"model_name": value}, overridden_by_environment(self._environ, ["model_name"])
        )
