"""Noticing that nobody is at the keyboard: an application-wide filter on input events.

Every key press, click, wheel turn or touch anywhere in the app counts as activity.
A timer checks every `check_interval_ms` whether the last activity is older than
the timeout and then says `idle` once (until `reset`). The clock is injectable,
so tests move time instead of sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleWatcher(QObject):
    """Signals: idle() once after `timeout_s` without input; active() at most once per check
    interval while someone works (for keeping the signed-in session fresh)."""

    idle = Signal()
    active = Signal()

    def __init__(
        self,
        timeout_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        check_interval_ms: int = 1000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.timeout_s = timeout_s
        self._clock = clock
        self._last_input = clock()
        self._input_since_check = False
        self._fired = False
        self._timer = QTimer(self)
        self._timer.setInterval(check_interval_ms)
        self._timer.timeout.connect(self._check)

    @property
    def watching(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.reset()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def reset(self) -> None:
        self._last_input = self._clock()
        self._fired = False

    def idle_seconds(self) -> float:
        return self._clock() - self._last_input

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802, ARG002 - Qt's
        if event.type() in INPUT_EVENTS:
            self._last_input = self._clock()
            self._input_since_check = True
        return False  # never swallow the event

    def _check(self) -> None:
        if self._input_since_check:
            self._input_since_check = False
            self._fired = False
            self.active.emit()
        if not self._fired and self.idle_seconds() >= self.timeout_s:
            self._fired = True
            self.idle.emit()
