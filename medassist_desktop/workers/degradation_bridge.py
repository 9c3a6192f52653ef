"""The degradation registry, heard on the GUI thread: a Qt signal with the current set.

Capabilities are marked degraded from worker threads (sync, cloud, model loading);
the registry calls its listeners on the marking thread. This bridge posts a queued
signal and re-reads the registry on the GUI thread, so the status bar always shows
the latest state, in order.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot

from medassist_desktop.core.degradation import Degradation, DegradationRegistry


class DegradationBridge(QObject):
    """Signal: changed(dict capability -> reason), the whole current set."""

    changed = Signal(dict)
    _posted = Signal()

    def __init__(self, registry: DegradationRegistry, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        self._posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._remove = registry.add_listener(self._on_change)

    def current(self) -> dict[str, str]:
        return {name: entry.reason for name, entry in self._registry.snapshot().items()}

    def _on_change(self, _capability: str, _entry: Degradation | None) -> None:
        self._posted.emit()

    @Slot()
    def _deliver(self) -> None:
        self.changed.emit(self.current())

    def close(self) -> None:
        """Stop listening (the registry outlives the window)."""
        self._remove()
