"""The status bar: model state, network, signed-in user and degraded capabilities.

A health worker must always be able to see whether answers come from the model
or from the rules alone, and why. Text carries the meaning; colour only repeats it.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget


class ModelState(StrEnum):
    NOT_LOADED = "not_loaded"
    LOADING = "loading"
    READY = "ready"
    UNAVAILABLE = "unavailable"


class AppStatusBar(QStatusBar):
    """Permanent labels, updated by the window from service and worker signals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.model_label = self._label("modelStatus", self.tr("Model status"))
        self.network_label = self._label("networkStatus", self.tr("Network status"))
        self.user_label = self._label("userStatus", self.tr("Signed-in user"))
        self.degraded_label = self._label("degradedStatus", self.tr("Degraded capabilities"))
        self.degraded_label.hide()
        self.set_model_state(ModelState.NOT_LOADED)
        self.set_online(False)
        self.set_user(None)

    def _label(self, name: str, accessible: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        self.addPermanentWidget(label)
        return label

    def set_model_state(self, state: ModelState, *, percent: int = 0, detail: str = "") -> None:
        if state is ModelState.LOADING:
            text = self.tr("Model: loading {percent}%").format(percent=percent)
        elif state is ModelState.READY:
            text = (
                self.tr("Model: ready ({name})").format(name=detail)
                if detail
                else self.tr("Model: ready")
            )
        elif state is ModelState.UNAVAILABLE:
            text = self.tr("Model unavailable — rules only: {reason}").format(reason=detail)
        else:
            text = self.tr("Model: not loaded")
        self.model_label.setText(text)
        self.model_label.setProperty("state", state.value)
        self.model_label.setToolTip(detail)

    def set_online(self, online: bool) -> None:
        self.network_label.setText(self.tr("Online") if online else self.tr("Offline"))
        self.network_label.setProperty("online", online)

    def set_user(self, display: str | None) -> None:
        self.user_label.setText(
            self.tr("Signed in: {user}").format(user=display)
            if display
            else self.tr("Not signed in")
        )

    def set_degraded(self, reasons: dict[str, str]) -> None:
        """Show each degraded capability and why, e.g. {"embeddings": "model file missing"}."""
        if not reasons:
            self.degraded_label.hide()
            self.degraded_label.clear()
            return
        names = ", ".join(sorted(reasons))
        self.degraded_label.setText(self.tr("Degraded: {names}").format(names=names))
        self.degraded_label.setToolTip(
            "\n".join(f"{name}: {why}" for name, why in sorted(reasons.items()))
        )
        self.degraded_label.show()
