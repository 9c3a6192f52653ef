"""Importing a model file from the GUI: admin check, copy with progress, sha256, audit.

The copy (gigabytes from a USB stick) runs on its own thread, not the database's:
the admin is checked on the database thread first, the file is copied, hashed and
registered by `services.models_admin.import_model_file`, then the outcome is
written to the audit chain. A progress dialog shows the percentage and can cancel
(a cancelled import leaves nothing behind).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from medassist_desktop.core.security.accounts import User
from medassist_desktop.services.models_admin import import_model_file
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.workers.background import BackgroundJob, Progress


def import_result_text(model: dict[str, Any]) -> str:
    """What the sha256 check found, in words."""
    name = model.get("gguf", {}).get("name") or model["name"]
    if model.get("sha256_source") == "manifest":
        return QCoreApplication.translate(
            "ModelImport",
            "Imported {name}. Verified: its sha256 checksum matches the model list.",
        ).format(name=name)
    return QCoreApplication.translate(
        "ModelImport",
        "Imported {name}. This file is not in the model list, so its sha256 checksum "
        "({sha}) was recorded, not verified.",
    ).format(name=name, sha=str(model.get("sha256", ""))[:16] + "…")


class ModelImport(QObject):
    """One import. Signals: progress(percent), succeeded(model dict), failed(message)."""

    progress = Signal(int)
    succeeded = Signal(dict)
    failed = Signal(str)

    def __init__(self, sessions: SessionManager, source: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._sessions = sessions
        self.source = source
        self.job: BackgroundJob | None = None
        self._cancelled = False

    def start(self) -> None:
        admin = self._sessions.model_admin()
        self._sessions.call(
            lambda session: admin.authorize(session, "model.import"),
            self._copy,
            self._refused,
        )

    def cancel(self) -> None:
        self._cancelled = True
        if self.job is not None:
            self.job.cancel()

    def _refused(self, error: BaseException) -> None:
        self.failed.emit(describe_error(error))

    def _copy(self, _admin: User) -> None:
        if self._cancelled:
            self.failed.emit(self.tr("The import was cancelled; nothing was changed."))
            return
        loaded = self._sessions.context.loaded
        source = self.source

        def work(progress: Progress, cancel: threading.Event) -> dict[str, Any]:
            return import_model_file(loaded, source, on_progress=progress, cancel=cancel)

        self.job = BackgroundJob(work, name="medassist-model-import", parent=self)
        self.job.progress.connect(
            lambda done, total: self.progress.emit(int(done * 100 / total) if total else 100)
        )
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._failed)
        self.job.start()

    def _done(self, model: dict[str, Any]) -> None:
        admin = self._sessions.model_admin()
        details = {"sha256": model["sha256"], "sha256_source": model["sha256_source"]}
        self._sessions.call(
            lambda session: admin.record(
                session, "model.import", model["name"], ok=True, details=details
            ),
            lambda _r: self.succeeded.emit(model),
            lambda _e: self.succeeded.emit(model),  # imported even if the audit write failed
        )

    def _failed(self, error: BaseException) -> None:
        message = describe_error(error)
        admin = self._sessions.model_admin()
        details = {"source": str(self.source), "error": message}
        self._sessions.call(
            lambda session: admin.record(
                session, "model.import", self.source.name, ok=False, details=details
            ),
            lambda _r: self.failed.emit(message),
            lambda _e: self.failed.emit(message),
        )


def run_import_with_progress(
    sessions: SessionManager, source: Path, parent: QWidget
) -> ModelImport:
    """Start an import with a progress dialog that can cancel it."""
    importer = ModelImport(sessions, source, parent)
    dialog = QProgressDialog(
        QCoreApplication.translate("ModelImport", "Copying and checking {file}…").format(
            file=source.name
        ),
        QCoreApplication.translate("ModelImport", "Cancel"),
        0,
        100,
        parent,
    )
    dialog.setObjectName("modelImportProgress")
    dialog.setWindowTitle(QCoreApplication.translate("ModelImport", "Importing a model"))
    # Not modal: a modal QProgressDialog runs processEvents() inside setValue(), which
    # re-enters and delivers progress out of order; the import button is disabled instead.
    dialog.setWindowModality(Qt.WindowModality.NonModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    importer.progress.connect(dialog.setValue)
    dialog.canceled.connect(importer.cancel)

    def finish() -> None:
        dialog.canceled.disconnect(importer.cancel)  # closing a progress dialog "cancels"
        dialog.close()
        dialog.deleteLater()

    importer.succeeded.connect(lambda _m: finish())
    importer.failed.connect(lambda _m: finish())
    dialog.show()
    importer.start()
    return importer
