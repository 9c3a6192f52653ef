"""Online or offline, for the status bar: the OS's view (QNetworkInformation), else sync's.

QNetworkInformation needs a platform backend (NetworkManager, glib, Windows' NLM,
macOS). Where none can be loaded, or it says "unknown", the monitor falls back to
what sync has seen: a degraded `cloud_sync` (server unreachable) reads as offline,
otherwise the state is honestly "unknown".
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QNetworkInformation

from medassist_desktop.core.degradation import CLOUD_SYNC
from medassist_desktop.ui.widgets.status_bar import NetworkState
from medassist_desktop.workers.degradation_bridge import DegradationBridge

Reachability = QNetworkInformation.Reachability


class NetworkMonitor(QObject):
    """Signal: changed(NetworkState, detail)."""

    changed = Signal(object, str)

    def __init__(self, degradation: DegradationBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._degradation = degradation
        self._info: QNetworkInformation | None = None
        self.state = NetworkState.UNKNOWN
        self.detail = ""
        degradation.changed.connect(lambda _reasons: self._update())

    @property
    def backend(self) -> str | None:
        return self._info.backendName() if self._info is not None else None

    def start(self, *, use_os_backend: bool = True) -> None:
        """Load the OS backend (may talk to D-Bus: call it after the first window)."""
        if use_os_backend and QNetworkInformation.loadBackendByFeatures(
            QNetworkInformation.Feature.Reachability
        ):
            self._info = QNetworkInformation.instance()
            if self._info is not None:
                self._info.reachabilityChanged.connect(lambda _r: self._update())
        self._update()

    def _update(self) -> None:
        state, detail = self._from_os()
        if state is NetworkState.UNKNOWN:
            state, detail = self._from_sync()
        if (state, detail) != (self.state, self.detail):
            self.state, self.detail = state, detail
            self.changed.emit(state, detail)

    def _from_os(self) -> tuple[NetworkState, str]:
        if self._info is None:
            return NetworkState.UNKNOWN, ""
        reachability = self._info.reachability()
        if reachability == Reachability.Online:
            return NetworkState.ONLINE, self.tr("Internet reachable")
        if reachability == Reachability.Disconnected:
            return NetworkState.OFFLINE, self.tr("No network connection")
        if reachability in (Reachability.Local, Reachability.Site):
            return NetworkState.OFFLINE, self.tr("Local network only, no internet")
        return NetworkState.UNKNOWN, ""

    def _from_sync(self) -> tuple[NetworkState, str]:
        reason = self._degradation.current().get(CLOUD_SYNC)
        if reason:
            return NetworkState.OFFLINE, self.tr("Sync server: {why}").format(why=reason)
        return NetworkState.UNKNOWN, self.tr("The network state cannot be read on this system")
