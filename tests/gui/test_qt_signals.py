"""Qt's Python binding must not corrupt reference counts when signals are emitted.

PySide6 6.12.0 dropped a reference to True on every `Signal.emit()` (and to None
on queued cross-thread deliveries): a window streaming tokens crashed with
"Fatal Python error: bool_dealloc" after a few hundred signals. This pins the
behaviour so an upgrade that brings the bug back fails here, not in a clinic.
"""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Qt, Signal
from pytestqt.qtbot import QtBot


class Emitter(QObject):
    text = Signal(str)
    relay = Signal(int, str)


def counts() -> tuple[int, int]:
    return sys.getrefcount(True), sys.getrefcount(None)


def test_emit_keeps_reference_counts(qtbot: QtBot) -> None:
    emitter = Emitter()
    received: list[str] = []
    emitter.text.connect(received.append)
    n = min(200, sys.getrefcount(True) // 4)
    before = counts()
    for _ in range(n):
        emitter.text.emit("token")
    # The bug drops one reference per emit; other threads of the test process may move
    # the counts by a few, so allow noise well below n.
    assert counts()[0] >= before[0] - n // 4, "Signal.emit() drops references to True"
    assert len(received) == n


def test_queued_delivery_from_a_thread_keeps_reference_counts(qtbot: QtBot) -> None:
    emitter = Emitter()
    received: list[str] = []
    emitter.relay.connect(lambda _i, t: received.append(t), Qt.ConnectionType.QueuedConnection)
    n = 200
    before = counts()
    worker = threading.Thread(target=lambda: [emitter.relay.emit(i, "t") for i in range(n)])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(received) == n, timeout=5000)
    after = counts()
    assert after[0] >= before[0] - n // 4, "queued delivery drops references to True"
    assert after[1] >= before[1] - n // 4, "queued delivery drops references to None"
