"""`/metrics` and `/health/<probe>` on 127.0.0.1, for a district that scrapes its clinics
over a VPN (its agent on the laptop forwards the port). Off unless `metrics_port` is set.

Loopback only, read only, no patient data: counts, durations, states and reasons. The
server runs on its own daemon thread (the standard library's threading HTTP server, one
thread per request), so a slow scraper never holds up the app. Health answers 200 when
healthy or degraded (the app still answers, on a fallback) and 503 when unhealthy.
"""

from __future__ import annotations

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from loguru import logger

from medassist_desktop.core.health.metrics import CONTENT_TYPE, AppMetrics
from medassist_desktop.core.health.probes import HealthStatus, Probe
from medassist_desktop.services.health import HealthService

log = logger.bind(area="health")
LOOPBACK = "127.0.0.1"


class MonitoringServer:
    """Serves the metrics and the probes until `close()`."""

    def __init__(self, metrics: AppMetrics, health: HealthService, port: int) -> None:
        handler = _handler(metrics, health)
        self._server = ThreadingHTTPServer((LOOPBACK, port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="medassist-monitoring", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> MonitoringServer:
        self._thread.start()
        log.info("Metrics and health on http://{host}:{port}/", host=LOOPBACK, port=self.port)
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _handler(metrics: AppMetrics, health: HealthService) -> type[BaseHTTPRequestHandler]:
    probes = {f"/health/{probe.value}": probe for probe in Probe}

    class Handler(BaseHTTPRequestHandler):
        server_version = "MedAssist"

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._send(HTTPStatus.OK, metrics.render(), CONTENT_TYPE)
            elif path in probes:
                report = health.probe(probes[path])
                status = (
                    HTTPStatus.SERVICE_UNAVAILABLE
                    if report.status is HealthStatus.UNHEALTHY
                    else HTTPStatus.OK
                )
                self._send(status, _json(report.as_dict()), "application/json")
            else:
                self._send(HTTPStatus.NOT_FOUND, _json({"error": "not found"}), "application/json")

        def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("monitoring: {line}", line=format % args)

    return Handler


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")
