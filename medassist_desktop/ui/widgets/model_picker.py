"""Choosing the model: the known and imported models, and "Import MedGemma from a file…".

Used by the first-run wizard and the admin's Settings page. The list comes from the
model service (manifest + imported registry); models not on this computer are shown
but cannot be chosen. Importing needs a signed-in admin (checked by the service).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop.services.models_admin import list_models
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.model_import import (
    ModelImport,
    import_result_text,
    run_import_with_progress,
)
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.ui.translations import format_number
from medassist_desktop.ui.widgets.details import DetailsSection

NAME_ROLE = Qt.ItemDataRole.UserRole
DETAILS_ROLE = Qt.ItemDataRole.UserRole + 1


def plain_model_name(row: dict[str, Any]) -> str:
    """The display name without its quantisation code ("Q4_K_M" means nothing to most)."""
    name = str(row["display_name"])
    code = row.get("quantization")
    if code:
        name = re.sub(rf"\s*\(\s*{re.escape(str(code))}\s*\)", "", name, flags=re.IGNORECASE)
    return name.strip()


class ModelPicker(QWidget):
    """Signals: imported(model dict), selection_changed(name or "")."""

    imported = Signal(dict)
    selection_changed = Signal(str)

    def __init__(self, sessions: SessionManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self.importer: ModelImport | None = None
        self.models = QListWidget(self)
        self.models.setObjectName("modelList")
        self.models.setAccessibleName(self.tr("Models"))
        self.models.currentItemChanged.connect(self._current_changed)
        self.details = DetailsSection(self)
        self.import_button = QPushButton(self.tr("&Import MedGemma from a file…"), self)
        self.import_button.setObjectName("importModelButton")
        self.import_button.setToolTip(
            self.tr("Copy a .gguf model file in (from a USB stick); its checksum is verified")
        )
        self.import_button.clicked.connect(self._choose_file)
        self.result = QLabel(self)
        self.result.setObjectName("modelImportResult")
        self.result.setAccessibleName(self.tr("Import result"))
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()

        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.models, 1)
        layout.addLayout(row)
        layout.addWidget(self.details)
        layout.addWidget(self.result)
        self.details.set_text("")

    @staticmethod
    def _name(item: QListWidgetItem | None) -> str:
        return str(item.data(NAME_ROLE)) if item is not None else ""

    def refresh(self, select: str | None = None) -> None:
        """Re-read the models (small JSON files) and select `select` or the one in use."""
        try:
            rows = list_models(self._sessions.context.loaded)
        except Exception as exc:
            self._show(describe_error(exc))
            return
        self.models.clear()
        wanted = (select or "").lower()
        for row in rows:
            item = QListWidgetItem(self._describe(row, self._variant(row, rows)), self.models)
            item.setData(NAME_ROLE, row["name"])
            item.setData(DETAILS_ROLE, self._technical(row))
            item.setToolTip(self._technical(row))
            if not row["present"]:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(f"{row['how_to_get']}\n\n{self._technical(row)}")
            if (wanted and row["name"] == wanted) or (not wanted and row["active"]):
                self.models.setCurrentItem(item)

    def _variant(self, row: dict[str, Any], rows: list[dict[str, Any]]) -> str:
        """Two files of one model (quantised more or less): which is which, in words."""
        same = [r for r in rows if plain_model_name(r) == plain_model_name(row)]
        if len(same) < 2 or not row.get("size_gb"):
            return ""
        smallest = min(float(r.get("size_gb") or 0) for r in same)
        if float(row["size_gb"]) <= smallest:
            return self.tr("smaller and faster")
        return self.tr("larger, slightly more accurate")

    def _describe(self, row: dict[str, Any], variant: str = "") -> str:
        size = (
            self.tr("{gb} GB").format(gb=format_number(row["size_gb"], 3))
            if row.get("size_gb")
            else ""
        )
        if row["kind"] == "embedded":
            state = self.tr("built in")
        elif row["present"]:
            state = self.tr("on this computer")
        else:
            state = self.tr("not on this computer")
        active = self.tr(" — in use") if row["active"] else ""
        parts = [p for p in (variant, size, state) if p]
        return f"{plain_model_name(row)}  ({', '.join(parts)}){active}"

    def _technical(self, row: dict[str, Any]) -> str:
        """For the Details section: the manifest's name, quantisation, file and checksum."""
        lines = [self.tr("Model: {name}").format(name=row["display_name"])]
        if row.get("quantization"):
            lines.append(self.tr("Quantisation: {code}").format(code=row["quantization"]))
        if row.get("ram_needed_gb"):
            lines.append(self.tr("Memory needed: {gb} GB").format(gb=row["ram_needed_gb"]))
        if row.get("file"):
            lines.append(self.tr("File: {path}").format(path=row["file"]))
        if row.get("sha256"):
            lines.append(self.tr("SHA-256: {digest}").format(digest=row["sha256"]))
        return "\n".join(lines)

    def _current_changed(self, item: QListWidgetItem | None, _old: object) -> None:
        self.details.set_text(str(item.data(DETAILS_ROLE) or "") if item is not None else "")
        self.selection_changed.emit(self._name(item))

    def selected_name(self) -> str | None:
        item = self.models.currentItem()
        return self._name(item) or None

    def _choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a model file"),
            str(Path.home()),
            self.tr("GGUF model files (*.gguf);;All files (*)"),
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> ModelImport:
        """Import `path` with a progress dialog; the list and result update when done."""
        self.import_button.setEnabled(False)
        self.result.hide()
        importer = run_import_with_progress(self._sessions, path, self)
        importer.succeeded.connect(self._imported)
        importer.failed.connect(self._import_failed)
        self.importer = importer
        return importer

    def _imported(self, model: dict[str, Any]) -> None:
        self.import_button.setEnabled(True)
        self._show(import_result_text(model))
        self.refresh(select=model["name"])
        self.imported.emit(model)

    def _import_failed(self, message: str) -> None:
        self.import_button.setEnabled(True)
        self._show(self.tr("Not imported: {why}").format(why=message))

    def _show(self, text: str) -> None:
        self.result.setText(text)
        self.result.show()
