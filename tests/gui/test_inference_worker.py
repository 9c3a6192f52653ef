"""The Qt worker on the real model: signals arrive on the GUI thread, which never waits."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QThread, QTimer
from pytestqt.qtbot import QtBot

from medassist_desktop.config import LoadedSettings
from medassist_desktop.core.inference.engine import LlamaEngine
from medassist_desktop.core.inference.errors import ModelNotFoundError
from medassist_desktop.core.inference.interface import ChatMessage, GenerationParams
from medassist_desktop.core.inference.loading import LoadRequest, prepare_load
from medassist_desktop.workers.inference_worker import InferenceWorker

pytestmark = pytest.mark.slow
QUESTION = [ChatMessage("user", "What are the danger signs of pneumonia in a child?")]


@pytest.fixture(scope="module")
def engine(model_settings: LoadedSettings) -> Iterator[LlamaEngine]:
    engine = LlamaEngine()
    engine.load(prepare_load(model_settings.settings, model_settings.paths))
    yield engine
    engine.close()


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def test_load_emits_progress_then_loaded(qtbot: QtBot, model_settings: LoadedSettings) -> None:
    worker = InferenceWorker(LlamaEngine())
    percents: list[int] = []
    worker.load_progress.connect(percents.append)
    started = time.perf_counter()

    def prepare() -> LoadRequest:
        return prepare_load(model_settings.settings, model_settings.paths)

    with qtbot.waitSignal(worker.loaded, timeout=60_000) as blocker:
        worker.load(prepare)
        assert time.perf_counter() - started < 0.2  # returned at once (the load takes ~1 s)
    try:
        info = blocker.args[0]
        assert info["name"] == "gemma3-270m-q4_k_m" and info["device"] == "cpu"
        assert percents and percents == sorted(percents) and percents[-1] == 100
        assert len(percents) == len(set(percents))  # one signal per percent
    finally:
        worker.shutdown()


def test_the_event_loop_keeps_ticking_while_tokens_stream(
    qtbot: QtBot, engine: LlamaEngine
) -> None:
    worker = InferenceWorker(engine)
    ticks: list[float] = []
    tokens: list[tuple[float, str, bool]] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    worker.token.connect(lambda text: tokens.append((time.perf_counter(), text, on_gui_thread())))
    timer.start()
    with qtbot.waitSignal(worker.finished, timeout=60_000) as blocker:
        worker.generate(QUESTION, GenerationParams(max_tokens=24, temperature=0.0))
    timer.stop()
    stats = blocker.args[0]
    assert stats["tokens"] >= 2 and stats["text"] == "".join(t for _, t, _ in tokens)
    assert all(gui for _, _, gui in tokens), "tokens must be delivered on the GUI thread"
    streaming = [t for t in ticks if tokens[0][0] <= t <= tokens[-1][0]]
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    # A blocked loop would show one gap as long as the whole reply. The 50 ms target
    # is measured by benchmarks/inference.py; this bound only tolerates a busy CI box.
    assert max(gaps) < 0.25, f"event loop stalled {max(gaps) * 1000:.0f} ms"
    assert len(streaming) >= 0.5 * (tokens[-1][0] - tokens[0][0]) / 0.010


def test_cancel_is_immediate_and_final(qtbot: QtBot, engine: LlamaEngine) -> None:
    worker = InferenceWorker(engine)
    tokens: list[str] = []
    finished: list[dict[str, object]] = []
    worker.token.connect(tokens.append)
    worker.finished.connect(finished.append)
    worker.generate(QUESTION, GenerationParams(max_tokens=400, temperature=0.8))
    qtbot.waitUntil(lambda: len(tokens) >= 3, timeout=60_000)
    with qtbot.waitSignal(worker.cancelled, timeout=1):  # emitted before cancel() returns
        worker.cancel()
    seen = len(tokens)
    assert not worker.busy
    qtbot.wait(300)  # tokens already in flight are dropped on arrival
    assert len(tokens) == seen and not finished
    with qtbot.waitSignal(worker.finished, timeout=60_000):
        worker.generate(QUESTION, GenerationParams(max_tokens=3))


def test_failures_arrive_as_a_message(qtbot: QtBot) -> None:
    worker = InferenceWorker(LlamaEngine())
    try:
        with qtbot.waitSignal(worker.failed, timeout=10_000) as blocker:
            worker.generate(QUESTION, GenerationParams(max_tokens=3))
        assert "No model is loaded yet" in blocker.args[0]

        def missing() -> LoadRequest:
            raise ModelNotFoundError("The model file /media/usb/x.gguf does not exist.")

        with qtbot.waitSignal(worker.failed, timeout=10_000) as blocker:
            worker.load(missing)
        assert blocker.args[0] == "The model file /media/usb/x.gguf does not exist."
    finally:
        worker.shutdown()
