"""Sync and cloud: the server addresses and accounts; passwords and API keys go to the keyring.

The password fields are never filled from storage: they only say whether a secret
is stored, and an empty field keeps it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medassist_desktop.services.admin_settings import SaveResult, SettingsView
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.ui.settings.policy_tab import saved_text


def _line(parent: QWidget, name: str, accessible: str, *, secret: bool = False) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setAccessibleName(accessible)
    if secret:
        field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class ConnectionsTab(QWidget):
    def __init__(self, sessions: SessionManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionsTab")
        self._sessions = sessions

        self.sync_enabled = QCheckBox(self.tr("&Sync with the clinic server"), self)
        self.sync_enabled.setObjectName("syncEnabled")
        self.sync_url = _line(self, "syncUrl", self.tr("Sync server address"))
        self.sync_url.setPlaceholderText("https://sync.example.org")
        self.sync_db = _line(self, "syncDb", self.tr("Sync database name"))
        self.sync_user = _line(self, "syncUser", self.tr("Sync user"))
        self.sync_password = _line(self, "syncPassword", self.tr("Sync password"), secret=True)
        self.sync_save = QPushButton(self.tr("Save s&ync settings"), self)
        self.sync_save.setObjectName("saveSyncButton")
        self.sync_save.clicked.connect(self.save_sync)
        self.sync_message = QLabel(self)
        self.sync_message.setObjectName("syncMessage")
        self.sync_message.setWordWrap(True)

        self.cloud_enabled = QCheckBox(self.tr("Ask a &cloud model when online"), self)
        self.cloud_enabled.setObjectName("cloudEnabled")
        self.cloud_url = _line(self, "cloudUrl", self.tr("Cloud endpoint address"))
        self.cloud_url.setPlaceholderText("https://api.example.org/v1")
        self.cloud_model = _line(self, "cloudModel", self.tr("Cloud model name"))
        self.cloud_key = _line(self, "cloudApiKey", self.tr("Cloud API key"), secret=True)
        self.cloud_save = QPushButton(self.tr("Save c&loud settings"), self)
        self.cloud_save.setObjectName("saveCloudButton")
        self.cloud_save.clicked.connect(self.save_cloud)
        self.cloud_message = QLabel(self)
        self.cloud_message.setObjectName("cloudMessage")
        self.cloud_message.setWordWrap(True)

        sync_box = QGroupBox(self.tr("Sync"), self)
        sync_form = QFormLayout(sync_box)
        sync_form.addRow(self.sync_enabled)
        self._rows(
            sync_form,
            [
                (self.tr("Server &address"), self.sync_url),
                (self.tr("&Database"), self.sync_db),
                (self.tr("&User"), self.sync_user),
                (self.tr("&Password"), self.sync_password),
            ],
        )
        sync_form.addRow(self.sync_save)
        sync_form.addRow(self.sync_message)
        cloud_box = QGroupBox(self.tr("Cloud answers"), self)
        cloud_form = QFormLayout(cloud_box)
        cloud_form.addRow(self.cloud_enabled)
        self._rows(
            cloud_form,
            [
                (self.tr("&Endpoint"), self.cloud_url),
                (self.tr("&Model"), self.cloud_model),
                (self.tr("API &key"), self.cloud_key),
            ],
        )
        cloud_form.addRow(self.cloud_save)
        cloud_form.addRow(self.cloud_message)
        note = QLabel(
            self.tr(
                "Only https:// addresses are accepted. Passwords and API keys are kept in "
                "this computer's keyring, never in the settings file. Patient names are "
                "removed before a question goes to a cloud model."
            ),
            self,
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(sync_box)
        layout.addWidget(cloud_box)
        layout.addWidget(note)
        layout.addStretch(1)

    def _rows(self, form: QFormLayout, rows: list[tuple[str, QWidget]]) -> None:
        for text, widget in rows:
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)

    def show_values(self, view: SettingsView) -> None:
        values: dict[str, Any] = view.values
        self.sync_enabled.setChecked(bool(values["sync_enabled"]))
        self.sync_url.setText(values["sync_url"] or "")
        self.sync_db.setText(values["sync_db"] or "")
        self.sync_user.setText(values["sync_user"] or "")
        self.sync_password.clear()
        self.sync_password.setPlaceholderText(
            self.tr("stored in the keyring — leave empty to keep it")
            if view.sync_password_stored
            else self.tr("not set")
        )
        self.cloud_enabled.setChecked(bool(values["cloud_inference_enabled"]))
        self.cloud_url.setText(values["cloud_url"] or "")
        self.cloud_model.setText(values["cloud_model"] or "")
        self.cloud_key.clear()
        self.cloud_key.setPlaceholderText(
            self.tr("stored in the keyring — leave empty to keep it")
            if view.cloud_api_key_stored
            else self.tr("not set")
        )

    def save_sync(self) -> None:
        service = self._sessions.admin_settings()
        enabled, url = self.sync_enabled.isChecked(), self.sync_url.text()
        db, user, password = self.sync_db.text(), self.sync_user.text(), self.sync_password.text()

        def done(result: SaveResult) -> None:
            self.sync_password.clear()
            self.sync_message.setText(saved_text(result))

        self._sessions.call(
            lambda session: service.save_sync(
                session, enabled=enabled, url=url, db=db, user=user, password=password
            ),
            done,
            lambda error: self.sync_message.setText(describe_error(error)),
        )

    def save_cloud(self) -> None:
        service = self._sessions.admin_settings()
        enabled, url = self.cloud_enabled.isChecked(), self.cloud_url.text()
        model, key = self.cloud_model.text(), self.cloud_key.text()

        def done(result: SaveResult) -> None:
            self.cloud_key.clear()
            self.cloud_message.setText(saved_text(result))

        self._sessions.call(
            lambda session: service.save_cloud(
                session, enabled=enabled, url=url, model=model, api_key=key
            ),
            done,
            lambda error: self.cloud_message.setText(describe_error(error)),
        )
