"""The local model, loaded in the background after sign-in, and what the status bar says.

"Model: loading 37%", "Model: ready (name)", or "Model unavailable — rules only: <why>".
A failed load marks the `local_model` capability degraded in the registry (its fallback:
the triage rules and retrieved passages), so the degraded label shows it too.

The inference modules are imported only when loading starts, never on the path to
the first window; llama_cpp itself is imported on the engine's thread.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from medassist_desktop.context import AppContext
from medassist_desktop.ui.errors import describe_error
from medassist_desktop.ui.widgets.status_bar import AppStatusBar, ModelState
from medassist_desktop.workers.background import BackgroundJob, Progress

if TYPE_CHECKING:
    from medassist_desktop.core.inference.loading import LoadRequest
    from medassist_desktop.workers.inference_worker import InferenceWorker

LOCAL_MODEL = "local_model"


def _import_inference(_progress: Progress, _cancel: threading.Event) -> None:
    """Import the inference stack off the GUI thread (numpy and friends take a while)."""
    import importlib

    for module in (
        "medassist_desktop.core.inference.engine",
        "medassist_desktop.core.inference.loading",
        "medassist_desktop.workers.inference_worker",
    ):
        importlib.import_module(module)


class ModelController(QObject):
    """Signals: state_changed(); ready(dict info) when a model is loaded."""

    state_changed = Signal()
    ready = Signal(dict)
    _file_progress = Signal(int)  # assembling the embedded model, posted from the engine thread

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.worker: InferenceWorker | None = None
        self.state = ModelState.NOT_LOADED
        self.percent = 0
        self.detail = ""
        self.info: dict[str, Any] = {}
        self._preparing = False
        self._importing: BackgroundJob | None = None
        self._import_done = False
        self._requested = False
        self._pending_name: str | None = None
        self._file_progress.connect(self._on_file_progress, Qt.ConnectionType.QueuedConnection)

    @property
    def started(self) -> bool:
        return self._requested

    @property
    def imported(self) -> bool:
        """The inference modules are imported (see `prefetch`)."""
        return self._import_done

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
        self._preparing = False
        self._set(ModelState.LOADING, percent=0)
        if self.worker is not None:
            self.worker.load(self._preparer(model_name))
        elif self._import_done:
            self._create_worker_and_load()
        else:
            self.prefetch()  # loads when the import is done

    def _imported(self, _result: object) -> None:
        self._importing = None
        self._import_done = True
        if self._requested and self.worker is None:
            self._create_worker_and_load()

    def _import_failed(self, error: BaseException) -> None:
        self._importing = None
        if self._requested:
            self._on_failed(describe_error(error))

    def _create_worker_and_load(self) -> None:
        from medassist_desktop.core.inference.engine import LlamaEngine  # already imported
        from medassist_desktop.workers.inference_worker import InferenceWorker

        self.worker = InferenceWorker(LlamaEngine(), self)
        self.worker.load_progress.connect(self._on_load_progress)
        self.worker.loaded.connect(self._on_loaded)
        self.worker.failed.connect(self._on_failed)
        self.worker.load(self._preparer(self._pending_name))

    def _preparer(self, model_name: str | None) -> Any:
        settings, paths = self._context.settings, self._context.paths
        post = self._file_progress.emit
        last = [-1]

        def file_progress(done: int, total: int) -> None:
            percent = int(done * 100 / total) if total else 100
            if percent != last[0]:
                last[0] = percent
                post(percent)

        def prepare() -> LoadRequest:
            from medassist_desktop.core.inference.loading import prepare_load

            return prepare_load(
                settings, paths, model_name=model_name, on_file_progress=file_progress
            )

        return prepare

    @Slot(int)
    def _on_file_progress(self, percent: int) -> None:
        # The first run assembles the embedded model: the first half of "loading".
        if self.state is ModelState.LOADING:
            self._preparing = True
            self._set(ModelState.LOADING, percent=percent // 2)

    def _on_load_progress(self, percent: int) -> None:
        shown = 50 + percent // 2 if self._preparing else percent
        self._set(ModelState.LOADING, percent=min(shown, 99))

    def _on_loaded(self, info: dict[str, Any]) -> None:
        self.info = info
        self._context.degradation.mark_healthy(LOCAL_MODEL)
        self._set(ModelState.READY, detail=str(info.get("name", "")))
        self.ready.emit(info)

    def _on_failed(self, message: str) -> None:
        self.info = {}
        self._context.degradation.mark_degraded(LOCAL_MODEL, message)
        self._set(ModelState.UNAVAILABLE, detail=message)

    def _set(self, state: ModelState, *, percent: int = 0, detail: str = "") -> None:
        self.state, self.percent, self.detail = state, percent, detail
        self.state_changed.emit()

    def show_on(self, bar: AppStatusBar) -> None:
        """Reflect the current state on the status bar (connect it to `state_changed`)."""
        bar.set_model_state(self.state, percent=self.percent, detail=self.detail)

    def shutdown(self) -> None:
        if self._importing is not None:
            self._importing.wait(30)
        if self.worker is not None:
            self.worker.shutdown()
