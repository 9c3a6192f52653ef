"""After sign-in: the model loads in the background (the window keeps ticking), and the
status bar shows its state, the network and degraded capabilities."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from medassist_desktop.core.degradation import CLOUD_SYNC
from medassist_desktop.ui.widgets.status_bar import ModelState
from tests.gui.app.conftest import WORKER_PASSWORD, StartApp
from tests.gui.app.flows import WAIT_MS, sign_in
from tests.inference_support import seed_embedded_model


@pytest.mark.slow
def test_the_model_loads_in_the_background_while_the_window_ticks(
    qtbot: QtBot,
    app_env: dict[str, str],
    clinic_with_users: Path,
    start_app: StartApp,
    embedded_gguf: Path,
) -> None:
    seed_embedded_model(clinic_with_users, embedded_gguf)
    app_env["MODEL_CONTEXT_TOKENS"] = "512"
    controller = start_app(load_model=True)
    label = controller.window.status.model_label
    assert label.text() == "Model: not loaded"
    # The inference modules are imported behind the start-up screen (a one-time GIL hold
    # while numpy's library loads); the model itself loads only after sign-in.
    qtbot.waitUntil(lambda: controller.models.imported, timeout=60_000)
    assert not controller.models.started and label.text() == "Model: not loaded"
    texts: list[str] = []
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: (ticks.append(time.perf_counter()), texts.append(label.text())))
    timer.start()
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
    qtbot.waitUntil(lambda: controller.models.state is ModelState.READY, timeout=120_000)
    timer.stop()
    assert label.text() == "Model: ready (gemma3-270m-q4_k_m)"
    loading = [t for t in texts if t.startswith("Model: loading")]
    assert loading, "the loading percentage was shown"
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    worst = max(range(len(gaps)), key=gaps.__getitem__)
    assert gaps[worst] < 0.3, f"the GUI thread stalled {gaps[worst]:.3f} s at {texts[worst]!r}"
    holder = controller.models.holder
    assert holder is not None and holder.engine is not None
    assert controller.app.model() is holder  # consults answer with the model the bar shows
    assert not controller.window.status.degraded_label.isVisibleTo(controller.window)


def test_a_missing_model_means_rules_only_with_the_reason(
    qtbot: QtBot,
    app_env: dict[str, str],
    clinic_with_users: Path,
    start_app: StartApp,
    tmp_path: Path,
) -> None:
    app_env["MODEL_NAME"] = str(tmp_path / "nowhere" / "medgemma.gguf")
    controller = start_app(load_model=True)
    sign_in(qtbot, controller, "dara", WORKER_PASSWORD)
    qtbot.waitUntil(lambda: controller.models.state is ModelState.UNAVAILABLE, timeout=WAIT_MS)
    bar = controller.window.status
    assert bar.model_label.text().startswith("Model unavailable — rules only: The model file")
    assert "does not exist" in bar.model_label.text()
    qtbot.waitUntil(lambda: bar.degraded_label.isVisibleTo(controller.window), timeout=WAIT_MS)
    assert bar.degraded_label.text() == "Degraded: local model"
    assert controller.context.degradation.is_degraded("local_model")


def test_network_and_degraded_labels_follow_the_registry(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app()  # no OS network backend: the sync's view decides
    bar = controller.window.status
    qtbot.waitUntil(lambda: bar.network_label.text() == "Network: unknown", timeout=WAIT_MS)
    degradation = controller.context.degradation
    degradation.mark_degraded(CLOUD_SYNC, "the server did not answer (timed out)")
    qtbot.waitUntil(
        lambda: bar.network_label.text().startswith("Network: offline"), timeout=WAIT_MS
    )
    assert "timed out" in bar.network_label.toolTip()
    assert bar.degraded_label.text() == "Degraded: cloud sync"
    degradation.mark_healthy(CLOUD_SYNC)
    qtbot.waitUntil(lambda: bar.network_label.text() == "Network: unknown", timeout=WAIT_MS)
    assert bar.degraded_label.isHidden()


def test_the_os_network_backend_loads_without_qt_warnings(
    qtbot: QtBot, clinic_with_users: Path, start_app: StartApp
) -> None:
    controller = start_app(watch_network=True)
    qtbot.waitUntil(lambda: controller.flow.login_dialog is not None, timeout=WAIT_MS)
    label = controller.window.status.network_label.text()
    assert label.startswith(("Network: connected", "Network: offline", "Network: unknown"))
    if controller.network.backend is None:
        assert label == "Network: unknown"
