"""The status bar: model state, network, signed-in user and degraded capabilities.

A health worker must always be able to see whether answers come from the model
or from the rules alone, and why. Text carries the meaning; colour only repeats it.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from medassist_desktop.core.degradation import (
    AUDIT,
    BACKUP,
    CLOUD_INFERENCE,
    CLOUD_SYNC,
    EMBEDDINGS,
    LOCAL_MODEL,
    MONITORING,
)
from medassist_desktop.services.model_state import ModelState

__all__ = ["AppStatusBar", "ModelState", "NetworkState", "SyncStatus"]


class NetworkState(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


class SyncStatus(StrEnum):
    """What became of sync, as far as this run of the app knows."""

    NOT_SET_UP = "not_set_up"  # no sync server configured: the app is offline by design
    WAITING = "waiting"  # configured, not tried yet in this run
    REACHABLE = "reachable"  # the last sync reached the server
    UNREACHABLE = "unreachable"  # the last sync did not (the reason is in the tooltip)


class AppStatusBar(QStatusBar):
    """Permanent labels, updated by the window from service and worker signals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.model_label = self._label("modelStatus", self.tr("Model status"))
        self.network_label = self._label("networkStatus", self.tr("Network status"))
        self.sync_label = self._label("syncStatus", self.tr("Sync status"))
        self.user_label = self._label("userStatus", self.tr("Signed-in user"))
        self.degraded_label = self._label("degradedStatus", self.tr("Degraded capabilities"))
        self.degraded_label.hide()
        self.set_model_state(ModelState.NOT_LOADED)
        self.set_network(NetworkState.UNKNOWN)
        self.set_sync(SyncStatus.NOT_SET_UP)
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
        self._repolish(self.model_label)

    def set_online(self, online: bool) -> None:
        self.set_network(NetworkState.ONLINE if online else NetworkState.OFFLINE)

    def set_network(self, state: NetworkState, detail: str = "") -> None:
        """The computer's network connection, in words that say what it means and not
        more: a connection is not a reachable sync server (that is the sync status)."""
        texts = {
            NetworkState.ONLINE: self.tr("Network: connected"),
            NetworkState.OFFLINE: self.tr("Network: offline (the app works; sync waits)"),
            NetworkState.UNKNOWN: self.tr("Network: unknown"),
        }
        explained = self.tr(
            "Whether this computer has a network connection. Everything except sync and "
            "cloud answers works without one; whether the sync server was reached is shown "
            "by the sync status."
        )
        self.network_label.setText(texts[state])
        self.network_label.setProperty("network", state.value)
        self.network_label.setToolTip(f"{detail}\n\n{explained}" if detail else explained)
        self._repolish(self.network_label)

    def set_sync(self, status: SyncStatus, detail: str = "") -> None:
        """Whether the clinic's sync server was reached, or that none is set up."""
        texts = {
            SyncStatus.NOT_SET_UP: self.tr("Sync: not set up"),
            SyncStatus.WAITING: self.tr("Sync: not tried yet"),
            SyncStatus.REACHABLE: self.tr("Sync: server reached"),
            SyncStatus.UNREACHABLE: self.tr("Sync: server not reached"),
        }
        explained = {
            SyncStatus.NOT_SET_UP: self.tr(
                "No sync server is set up: everything is kept on this computer only. A "
                "clinic admin can set one up in Settings → Sync and cloud."
            ),
            SyncStatus.WAITING: self.tr(
                "A sync server is set up; the first sync of this session has not run yet."
            ),
            SyncStatus.REACHABLE: self.tr(
                "The last sync reached the clinic's sync server and exchanged the changes."
            ),
            SyncStatus.UNREACHABLE: self.tr(
                "The last sync did not reach the clinic's sync server. The app works "
                "without it; changes wait here and are sent at the next successful sync."
            ),
        }
        self.sync_label.setText(texts[status])
        self.sync_label.setProperty("sync", status.value)
        tip = explained[status]
        self.sync_label.setToolTip(f"{detail}\n\n{tip}" if detail else tip)
        self._repolish(self.sync_label)

    @staticmethod
    def _repolish(label: QLabel) -> None:
        """Dynamic properties drive the style sheet's colours: re-apply it after a change."""
        style = label.style()
        style.unpolish(label)
        style.polish(label)

    def set_user(self, display: str | None) -> None:
        self.user_label.setText(
            self.tr("Signed in: {user}").format(user=display)
            if display
            else self.tr("Not signed in")
        )

    def capability_name(self, capability: str) -> str:
        names = {
            LOCAL_MODEL: self.tr("local model"),
            CLOUD_SYNC: self.tr("cloud sync"),
            CLOUD_INFERENCE: self.tr("cloud answers"),
            EMBEDDINGS: self.tr("semantic search"),
            BACKUP: self.tr("daily backup"),
            MONITORING: self.tr("monitoring"),
            AUDIT: self.tr("audit copy on the server"),
        }
        return names.get(capability, capability.replace("_", " "))

    def set_degraded(self, reasons: dict[str, str]) -> None:
        """Show each degraded capability and why, e.g. {"embeddings": "model file missing"}."""
        if not reasons:
            self.degraded_label.hide()
            self.degraded_label.clear()
            return
        names = ", ".join(sorted(self.capability_name(name) for name in reasons))
        self.degraded_label.setText(self.tr("Degraded: {names}").format(names=names))
        self.degraded_label.setToolTip(
            "\n".join(
                f"{self.capability_name(name)}: {why}" for name, why in sorted(reasons.items())
            )
        )
        self.degraded_label.show()
