"""The status bar always says where answers come from and what is degraded."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from medassist_desktop.ui.widgets.status_bar import AppStatusBar, ModelState, SyncStatus


def test_model_states(qtbot: QtBot) -> None:
    bar = AppStatusBar()
    qtbot.addWidget(bar)
    assert bar.model_label.text() == "Model: not loaded"
    bar.set_model_state(ModelState.LOADING, percent=42)
    assert bar.model_label.text() == "Model: loading 42%"
    bar.set_model_state(ModelState.READY, detail="gemma3-270m-q4_k_m")
    assert bar.model_label.text() == "Model: ready (gemma3-270m-q4_k_m)"
    bar.set_model_state(ModelState.UNAVAILABLE, detail="file damaged")
    assert bar.model_label.text() == "Model unavailable — rules only: file damaged"


def test_network_user_and_degraded(qtbot: QtBot) -> None:
    bar = AppStatusBar()
    qtbot.addWidget(bar)
    bar.show()
    assert bar.network_label.text() == "Network: unknown"
    bar.set_online(True)
    assert bar.network_label.text() == "Network: connected"
    assert "sync server" in bar.network_label.toolTip()
    bar.set_online(False)
    assert bar.network_label.text() == "Network: offline (the app works; sync waits)"
    bar.set_user("Dara (health worker)")
    assert bar.user_label.text() == "Signed in: Dara (health worker)"
    assert bar.degraded_label.isHidden()
    bar.set_degraded({"embeddings": "model missing", "cloud_sync": "server unreachable"})
    assert not bar.degraded_label.isHidden()
    assert bar.degraded_label.text() == "Degraded: cloud sync, semantic search"
    assert "semantic search: model missing" in bar.degraded_label.toolTip()
    bar.set_degraded({})
    assert bar.degraded_label.isHidden()


def test_sync_says_whether_the_server_was_reached_or_none_is_set_up(qtbot: QtBot) -> None:
    bar = AppStatusBar()
    qtbot.addWidget(bar)
    assert bar.sync_label.text() == "Sync: not set up"
    assert "kept on this computer only" in bar.sync_label.toolTip()
    bar.set_sync(SyncStatus.WAITING)
    assert bar.sync_label.text() == "Sync: not tried yet"
    bar.set_sync(SyncStatus.UNREACHABLE, "connection refused")
    assert bar.sync_label.text() == "Sync: server not reached"
    assert bar.sync_label.toolTip().startswith("connection refused")
    assert bar.sync_label.property("sync") == "unreachable"
    bar.set_sync(SyncStatus.REACHABLE)
    assert bar.sync_label.text() == "Sync: server reached"
