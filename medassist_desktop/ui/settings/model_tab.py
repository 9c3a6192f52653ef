"""The model: which one is in use and loaded, import one from a file, choose another."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from medassist_desktop.services.admin_settings import SaveResult
from medassist_desktop.services.model_state import ModelState
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.model_status import ModelController
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.ui.widgets.model_picker import ModelPicker


class ModelTab(QWidget):
    def __init__(
        self, sessions: SessionManager, models: ModelController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("modelTab")
        self._sessions = sessions
        self._models = models
        self._chosen: str | None = None
        self.current = QLabel(self)
        self.current.setObjectName("currentModel")
        self.current.setWordWrap(True)
        self.picker = ModelPicker(sessions, self)
        self.use_button = QPushButton(self.tr("&Use the selected model"), self)
        self.use_button.setObjectName("useModelButton")
        self.use_button.clicked.connect(self.use_selected)
        self.load_button = QPushButton(self.tr("&Load it now"), self)
        self.load_button.setObjectName("loadModelButton")
        self.load_button.setToolTip(self.tr("Load the chosen model now instead of at next start"))
        self.load_button.clicked.connect(self._load_now)
        self.load_button.hide()
        self.message = QLabel(self)
        self.message.setObjectName("modelMessage")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.load_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.picker, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        models.state_changed.connect(self._show_current)

    def load(self) -> None:
        self.picker.refresh()
        self._show_current()

    def _show_current(self) -> None:
        setting = self._sessions.context.settings.model_name
        state = self._models.state
        if state is ModelState.READY:
            status = self.tr("loaded and ready")
        elif state is ModelState.LOADING:
            status = self.tr("loading ({percent}%)").format(percent=self._models.percent)
        elif state is ModelState.UNAVAILABLE:
            status = self.tr("unavailable: {why}").format(why=self._models.detail)
        else:
            status = self.tr("not loaded")
        loaded = self._models.info.get("name")
        self.current.setText(
            self.tr("In use: {setting} — {status}.").format(
                setting=loaded or setting, status=status
            )
        )

    def use_selected(self) -> None:
        name = self.picker.selected_name()
        if name is None:
            return
        service = self._sessions.model_admin()
        self._sessions.call(lambda session: service.use(session, name), self._used, self._failed)

    def _used(self, result: SaveResult) -> None:
        self._chosen = str(result.saved["model_name"])
        self.message.setText(
            self.tr("Saved: MedAssist will load {name} (settings file {file}).").format(
                name=self._chosen, file=result.settings_file
            )
        )
        self.load_button.show()
        self.picker.refresh(select=self._chosen)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(describe_error(error))

    def _load_now(self) -> None:
        if self._chosen:
            self._models.start(self._chosen)
            self.load_button.hide()
