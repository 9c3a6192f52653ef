"""The local model as the GUI sees it: the holder's state on the GUI thread, and the bar.

The model has one owner, the `ModelHolder` the composition root builds (the consult
service answers with the same one). This controller only starts it after sign-in
(or when an admin picks another model) and mirrors its `ModelStatus` onto the GUI
thread: "Model: loading 37%", "Model: ready (name)", or "Model unavailable — rules
only: <why>". The holder marks the `local_model` capability degraded when a load
fails, so the degraded label shows it too.

The inference modules are imported on a thread (`prefetch`), never on the path to
the first window; llama_cpp itself is imported on the engine's thread.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from medassist_desktop.composition import AppServices
from medassist_desktop.services.model_state import ModelState, ModelStatus
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.widgets.status_bar import AppStatusBar
from medassist_desktop.workers.background import BackgroundJob, Progress

if TYPE_CHECKING:
    from medassist_desktop.services.model_holder import ModelHolder


def _import_inference(_progress: Progress, _cancel: threading.Event) -> None:
    """Import the inference stack off the GUI thread (numpy and friends take a while)."""
    import importlib

    for module in (
        "medassist_desktop.core.inference.engine",
        "medassist_desktop.core.inference.loading",
        "medassist_desktop.services.model_holder",
    ):
        importlib.import_module(module)


class ModelController(QObject):
    """Signals: state_changed(); ready(dict info) when a model is loaded."""

    state_changed = Signal()
    ready = Signal(dict)
    _posted = Signal(object)  # a ModelStatus from the holder's thread, delivered queued

    def __init__(self, app: AppServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self.status = ModelStatus(ModelState.NOT_LOADED)
        self._importing: BackgroundJob | None = None
        self._import_done = False
        self._requested = False
        self._pending_name: str | None = None
        self._holder: ModelHolder | None = None
        self._posted.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # -- what the window shows ---------------------------------------------------------------
    @property
    def state(self) -> ModelState:
        return self.status.state

    @property
    def percent(self) -> int:
        return self.status.percent

    @property
    def detail(self) -> str:
        """The model's name when ready, the reason when unavailable."""
        if self.status.state is ModelState.READY:
            return self.status.model_name or ""
        if self.status.state is ModelState.UNAVAILABLE:
            return self.status.reason or ""
        return ""

    @property
    def info(self) -> dict[str, Any]:
        """Name and checksum of the loaded model (empty until one is ready)."""
        if self.status.state is not ModelState.READY:
            return {}
        return {"name": self.status.model_name, "sha256": self.status.sha256}

    @property
    def holder(self) -> ModelHolder | None:
        """The model's owner, once loading was asked for."""
        return self._holder

    @property
    def started(self) -> bool:
        return self._requested

    @property
    def imported(self) -> bool:
        """The inference modules are imported (see `prefetch`)."""
        return self._import_done

    def show_on(self, bar: AppStatusBar) -> None:
        """Reflect the current state on the status bar (connect it to `state_changed`)."""
        bar.set_model_state(self.state, percent=self.percent, detail=self.detail)

    # -- loading -------------------------------------------------------------------------
    def prefetch(self) -> None:
        """Import the inference stack on a thread, now, while nobody is working yet.

        Importing a compiled extension (numpy, llama.cpp's wrapper) holds the GIL while
        its library loads, so it stalls the GUI thread briefly wherever it runs; the app
        calls this right after the first window, behind the start-up screen.
        """
        if self._import_done or self._importing is not None:
            return
        self._importing = BackgroundJob(_import_inference, name="medassist-model-import")
        self._importing.succeeded.connect(self._imported)
        self._importing.failed.connect(self._import_failed)
        self._importing.start()

    def start(self, model_name: str | None = None) -> None:
        """Load `model_name` (default: the `model_name` setting); returns at once."""
        self._requested = True
        self._pending_name = model_name
        if self._import_done:
            self._load()
        else:
            self._show(ModelStatus(ModelState.LOADING, model_name))
            self.prefetch()  # loads when the import is done

    def _imported(self, _result: object) -> None:
        self._importing = None
        self._import_done = True
        if self._requested:
            self._load()

    def _import_failed(self, error: BaseException) -> None:
        self._importing = None
        if self._requested:
            self._show(ModelStatus(ModelState.UNAVAILABLE, reason=describe_error(error)))

    def _load(self) -> None:
        if self._holder is None:
            self._holder = self._app.model()  # the inference modules are imported by now
            self._holder.add_listener(self._posted.emit)
        self._holder.start_loading(self._pending_name)
        self._show(self._holder.status)

    @Slot(object)
    def _show(self, status: ModelStatus) -> None:
        was_ready = self.status.state is ModelState.READY
        if self._holder is not None and status != self._holder.status:
            status = self._holder.status  # a later status overtook this one
        if status == self.status:
            return
        self.status = status
        self.state_changed.emit()
        if status.state is ModelState.READY and not was_ready:
            self.ready.emit(self.info)

    def shutdown(self) -> None:
        """Wait for a running import; the composition root frees the model itself."""
        if self._importing is not None:
            self._importing.wait(30)
