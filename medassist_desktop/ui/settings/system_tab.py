"""System (admins): is this computer's MedAssist healthy, and what to send support.

The liveness, readiness and startup probes with each check's status, reason and time
(the database, the model or "rules only" with its reason, embeddings, disk, memory,
keys, degraded capabilities, the last sync); CPU, memory and disk; the model in use
and its speed on this computer (the median of its recent answers here, or a short run
measured when the admin asks: never a figure from a table); the last backup; the
versions; the newest errors with the ids people were shown; and "Export diagnostics…"
for support. The probes run on the database thread with a connection of their own;
only "Measure speed" loads or calls the model, on a thread of its own.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop import __version__
from medassist_desktop.core.health.probes import HealthStatus, ProbeReport
from medassist_desktop.core.health.resources import Resources, ResourceSampler
from medassist_desktop.services.backup import last_backup
from medassist_desktop.services.diagnostics import (
    DiagnosticsResult,
    export_diagnostics,
    recent_errors,
)
from medassist_desktop.services.model_speed import ModelSpeed, measure_loaded, speed_from_answers
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.ui.settings.system_figures import describe_resources, describe_speed
from medassist_desktop.ui.translations import format_number
from medassist_desktop.workers.background import BackgroundJob


@dataclass(frozen=True)
class SystemReport:
    probes: list[ProbeReport]
    last_backup: dict[str, str] | None
    errors: list[dict[str, str]]
    resources: Resources
    speed: ModelSpeed


class SystemTab(QWidget):
    def __init__(self, sessions: SessionManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("systemTab")
        self._sessions = sessions
        self.summary = QLabel(self)
        self.summary.setObjectName("systemSummary")
        self.summary.setWordWrap(True)
        speed_row = self._build_figures()
        self._sampler = ResourceSampler(sessions.context.paths.data_dir)
        self._measuring: BackgroundJob | None = None
        self.checks = QTreeWidget(self)
        self.checks.setObjectName("healthChecks")
        self.checks.setAccessibleName(self.tr("Health checks"))
        self.checks.setHeaderLabels(
            [self.tr("Check"), self.tr("Status"), self.tr("Why"), self.tr("ms")]
        )
        self.checks.setRootIsDecorated(True)
        header = self.checks.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.moveSection(3, 2)  # time before the (long) reason
        self.errors = QLabel(self)
        self.errors.setObjectName("recentErrors")
        self.errors.setWordWrap(True)
        self.errors.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refresh_button = QPushButton(self.tr("&Check again"), self)
        self.refresh_button.setObjectName("refreshHealth")
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("&Export diagnostics…"), self)
        self.export_button.setObjectName("exportDiagnostics")
        self.export_button.clicked.connect(self.choose_export)
        self.message = QLabel(self)
        self.message.setObjectName("systemMessage")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.resources)
        layout.addLayout(speed_row)
        layout.addWidget(self.checks, 1)
        layout.addWidget(self.errors)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def _build_figures(self) -> QHBoxLayout:
        """CPU, memory and disk; the model's speed with "Measure model speed" beside it."""
        self.resources = QLabel(self)
        self.resources.setObjectName("systemResources")
        self.resources.setWordWrap(True)
        self.speed = QLabel(self)
        self.speed.setObjectName("modelSpeed")
        self.speed.setWordWrap(True)
        self.measure_button = QPushButton(self.tr("Measure model s&peed"), self)
        self.measure_button.setObjectName("measureModelSpeed")
        self.measure_button.clicked.connect(self.measure)
        row = QHBoxLayout()
        row.addWidget(self.speed, 1)
        row.addWidget(self.measure_button)
        return row

    def refresh(self) -> None:
        health = self._sessions.app.health()
        log_dir = self._sessions.context.paths.log_dir
        model = self._sessions.app.model().identity()[0]
        sampler = self._sampler

        def gather(_session: Any) -> SystemReport:
            security = self._sessions.security
            return SystemReport(
                health.all_probes(),
                last_backup(security),
                recent_errors(log_dir),
                sampler.sample(),
                speed_from_answers(security.db, model),
            )

        self.refresh_button.setEnabled(False)
        self._sessions.call(gather, self._show, self._failed)

    def _show(self, report: SystemReport) -> None:
        self.refresh_button.setEnabled(True)
        self.checks.clear()
        for probe in report.probes:
            top = QTreeWidgetItem(
                [
                    self._name(probe.probe.value),
                    self._status(probe.status),
                    "",
                    f"{probe.duration_ms:.0f}",
                ]
            )
            for check in probe.checks:
                child = QTreeWidgetItem(
                    [
                        self._name(check.name),
                        self._status(check.status),
                        check.reason,
                        f"{check.duration_ms:.0f}",
                    ]
                )
                child.setToolTip(2, check.reason)
                top.addChild(child)
            self.checks.addTopLevelItem(top)
            top.setExpanded(True)
        self.checks.resizeColumnToContents(0)
        self.resources.setText(describe_resources(report.resources))
        if self._measuring is None:
            self.speed.setText(describe_speed(report.speed))
        backup = (
            self.tr("never")
            if report.last_backup is None
            else f"{report.last_backup['at'][:16].replace('T', ' ')} UTC"
        )
        self.summary.setText(
            self.tr(
                "MedAssist {version} (Python {python}, Qt {qt}, {system}). Last backup: {backup}."
            ).format(
                version=__version__,
                python=sys.version.split()[0],
                qt=pyside_version,
                system=platform.platform(terse=True),
                backup=backup,
            )
        )
        if report.errors:
            lines = [
                f"{e['at'][:19]}  {e['error_id'] or '-'}  {e['message'][:160]}"
                for e in report.errors[:8]
            ]
            self.errors.setText(self.tr("Recent errors:") + "\n" + "\n".join(lines))
        else:
            self.errors.setText(self.tr("No errors in the recent log."))

    def measure(self) -> None:
        """A short run of the model in use (loaded first if need be), off every busy thread."""
        holder = self._sessions.app.model()
        job = BackgroundJob(
            lambda _progress, _cancel: measure_loaded(holder), name="medassist-speed", parent=self
        )
        job.succeeded.connect(self._measured)
        job.failed.connect(self._measure_failed)
        self._measuring = job
        self.measure_button.setEnabled(False)
        self.speed.setText(self.tr("Measuring the model's speed (loading it first if need be)…"))
        job.start()

    def _measured(self, speed: ModelSpeed) -> None:
        self._measuring = None
        self.measure_button.setEnabled(True)
        self.speed.setText(describe_speed(speed))

    def _measure_failed(self, error: BaseException) -> None:
        self._measuring = None
        self.measure_button.setEnabled(True)
        self.speed.setText(describe_error(error))

    def _name(self, name: str) -> str:
        names = {
            "liveness": self.tr("Alive"),
            "readiness": self.tr("Ready to work"),
            "startup": self.tr("Started"),
            "process": self.tr("Program"),
            "database": self.tr("Database"),
            "model": self.tr("Model"),
            "embedding_model": self.tr("Search model"),
            "disk": self.tr("Disk space"),
            "memory": self.tr("Memory"),
            "secrets": self.tr("Keys"),
            "capabilities": self.tr("Fallbacks in use"),
            "sync": self.tr("Sync"),
            "migrations": self.tr("Database version"),
            "starter_library": self.tr("Starter library"),
        }
        return names.get(name, name)

    def _status(self, status: HealthStatus) -> str:
        return {
            HealthStatus.HEALTHY: self.tr("healthy"),
            HealthStatus.DEGRADED: self.tr("degraded"),
            HealthStatus.UNHEALTHY: self.tr("unhealthy"),
        }[status]

    def _failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self.message.setText(describe_error(error))

    def choose_export(self) -> None:
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save diagnostics for support"),
            str(Path(documents) / "medassist-diagnostics.zip"),
            self.tr("Zip files (*.zip)"),
        )
        if chosen:
            self.export_to(Path(chosen))

    def export_to(self, target: Path) -> None:
        security = self._sessions.security
        loaded = self._sessions.context.loaded
        environ = dict(self._sessions.environ)
        self.export_button.setEnabled(False)
        self.message.setText(self.tr("Writing the diagnostics…"))
        self._sessions.call(
            lambda session: export_diagnostics(security, session, loaded, environ, target),
            self._exported,
            self._failed,
        )

    def _exported(self, result: DiagnosticsResult) -> None:
        self.export_button.setEnabled(True)
        self.message.setText(
            self.tr("Saved {path} ({size} KiB). It holds no patient names or keys.").format(
                path=result.path, size=format_number(result.size_bytes // 1024)
            )
        )
