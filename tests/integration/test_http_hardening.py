"""Both HTTP clients against servers on 127.0.0.1 that misbehave, with proxy variables set.

- Proxy variables in the environment never receive the app's traffic (`trust_env=False`):
  a listening "proxy" on 127.0.0.1 records any connection, and none may come.
- The cloud stream is cut after max_tokens (+ slack) and after MAX_STREAM_BYTES; a huge
  error body is not read whole.
- A sync answer larger than the cap is refused while it is read (with or without a
  Content-Length), and `_bulk_get` keeps only the documents asked for.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from medassist_desktop.core.inference import cloud as cloud_module
from medassist_desktop.core.inference.cloud import (
    CloudChatEngine,
    CloudStreamBrokenError,
    CloudUnavailableError,
)
from medassist_desktop.core.inference.interface import ChatMessage, GenerationParams
from medassist_desktop.core.sync.couchdb import CouchDBClient, ResponseTooLargeError, ServerConfig
from medassist_desktop.core.sync.resilience import RetryPolicy

# (status, headers, body pieces) for (method, path)
Reply = tuple[int, dict[str, str], Iterable[bytes]]
Script = Callable[[str, str, bytes], Reply]
QUESTION = [ChatMessage("user", "How is ORS mixed?")]
NO_RETRY = RetryPolicy(max_attempts=1)


class ScriptedServer:
    """An HTTP/1.1 server whose answers a test scripts; it records each request."""

    def __init__(self, script: Script) -> None:
        self.requests: list[tuple[str, str, bytes]] = []
        recorded = self.requests

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                recorded.append((self.command, self.path, body))
                status, headers, pieces = script(self.command, self.path, body)
                self.send_response(status)
                chunked = "Content-Length" not in headers
                for name, value in headers.items():
                    self.send_header(name, value)
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    for piece in pieces:
                        if chunked:
                            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                        else:
                            self.wfile.write(piece)
                    if chunked:
                        self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client stopped reading: as it should

            do_GET = do_POST = _serve  # noqa: N815 (the http.server API)

            def log_message(self, *_args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class ProxyTrap:
    """Listens where the proxy variables point and counts the connections it gets."""

    def __init__(self) -> None:
        self.connections = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self._sock.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._sock.close()


@pytest.fixture
def proxy_trap(monkeypatch: pytest.MonkeyPatch) -> Iterator[ProxyTrap]:
    trap = ProxyTrap()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, trap.url)
    monkeypatch.setenv("all_proxy", trap.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    yield trap
    trap.close()


def sse(words: Iterable[str], *, done: bool = True) -> Iterator[bytes]:
    for word in words:
        chunk = {"choices": [{"delta": {"content": word}, "finish_reason": None}]}
        yield f"data: {json.dumps(chunk)}\n\n".encode()
    if done:
        yield b"data: [DONE]\n\n"


def stream_reply(pieces: Iterable[bytes]) -> Script:
    def script(_method: str, _path: str, _body: bytes) -> Reply:
        return 200, {"Content-Type": "text/event-stream"}, pieces

    return script


def couch_config(url: str) -> ServerConfig:
    return ServerConfig(url=url, db="clinic", user="sync", password="secret-pw")


def test_the_cloud_client_ignores_proxy_variables(proxy_trap: ProxyTrap) -> None:
    with ScriptedServer(stream_reply(sse(["Mix ", "one ", "packet."]))) as server:
        engine = CloudChatEngine(f"{server.url}/v1", "m", "key", first_byte_timeout=10)
        result = engine.generate(QUESTION, GenerationParams(max_tokens=16))
        engine.close()
    assert result.text == "Mix one packet."
    assert len(server.requests) == 1 and proxy_trap.connections == 0


def test_the_sync_client_ignores_proxy_variables(proxy_trap: ProxyTrap) -> None:
    def script(method: str, path: str, _body: bytes) -> Reply:
        if path.startswith("/clinic/_changes"):
            body = json.dumps({"results": [], "last_seq": "5"}).encode()
        else:
            body = json.dumps({"couchdb": "Welcome"}).encode()
        return 200, {"Content-Type": "application/json", "Content-Length": str(len(body))}, [body]

    with (
        ScriptedServer(script) as server,
        CouchDBClient(couch_config(server.url), retry_policy=NO_RETRY) as client,
    ):
        assert client.check_reachable().reachable
        assert client.changes(None, 10) == ([], "5")
    assert [r[0] for r in server.requests] == ["GET", "GET"] and proxy_trap.connections == 0


def test_a_cloud_stream_that_never_ends_is_cut_after_max_tokens() -> None:
    endless = sse(("word " for _ in range(100_000)), done=False)
    with ScriptedServer(stream_reply(endless)) as server:
        engine = CloudChatEngine(f"{server.url}/v1", "m", None, first_byte_timeout=10)
        result = engine.generate(QUESTION, GenerationParams(max_tokens=8))
        engine.close()
    assert result.stop_reason == "length"
    assert 8 <= result.tokens <= 8 + cloud_module.TOKEN_SLACK


def test_a_cloud_line_larger_than_the_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cloud_module, "MAX_STREAM_BYTES", 256 * 1024)
    flood = (b"data: " + b"a" * 65536 for _ in range(10_000))  # 640 MB, no line end
    with ScriptedServer(stream_reply(flood)) as server:
        engine = CloudChatEngine(f"{server.url}/v1", "m", None, first_byte_timeout=10)
        started = time.monotonic()
        with pytest.raises(CloudStreamBrokenError, match="larger than 262144 bytes"):
            engine.generate(QUESTION, GenerationParams(max_tokens=8))
        engine.close()
    assert time.monotonic() - started < 10


def test_a_huge_error_body_is_not_read_whole() -> None:
    read: list[int] = []

    def pieces() -> Iterator[bytes]:
        for n in range(20_000):  # 1.3 GB if read whole
            read.append(n)
            yield b"x" * 65536

    def script(_method: str, _path: str, _body: bytes) -> Reply:
        return 503, {"Content-Type": "text/plain"}, pieces()

    with ScriptedServer(script) as server:
        engine = CloudChatEngine(f"{server.url}/v1", "m", None, first_byte_timeout=10)
        with pytest.raises(CloudUnavailableError, match=r"HTTP 503: x{10}"):
            engine.generate(QUESTION, GenerationParams(max_tokens=8))
        engine.close()
    assert len(read) < 1_000


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_sync_answer_larger_than_the_cap_is_refused(declared: bool) -> None:
    big = json.dumps({"results": [{"id": f"d{i}", "seq": i} for i in range(100_000)]}).encode()

    def script(_method: str, _path: str, _body: bytes) -> Reply:
        headers = {"Content-Type": "application/json"}
        if declared:
            headers["Content-Length"] = str(len(big))
        return 200, headers, [big[i : i + 65536] for i in range(0, len(big), 65536)]

    with (
        ScriptedServer(script) as server,
        CouchDBClient(
            couch_config(server.url), retry_policy=NO_RETRY, max_response_bytes=1_000_000
        ) as client,
    ):
        assert len(big) > 1_000_000
        with pytest.raises(ResponseTooLargeError, match="more than"):
            client.changes(None, 100_000)


def test_bulk_get_returns_only_the_documents_asked_for() -> None:
    served: list[dict[str, Any]] = [
        {"id": "case-1", "docs": [{"ok": {"_id": "case-1", "_rev": "2-a", "v": 1}}]},
        # Not asked for: another document, another revision, and a planted one.
        {"id": "case-1", "docs": [{"ok": {"_id": "case-1", "_rev": "3-evil", "v": 2}}]},
        {"id": "user-admin", "docs": [{"ok": {"_id": "user-admin", "_rev": "1-x"}}]},
        {"id": "case-2", "docs": [{"ok": {"_id": "case-9", "_rev": "1-b"}}]},
        {"id": "case-2", "docs": [{"error": {"id": "case-2", "error": "not_found"}}]},
    ]

    def script(_method: str, _path: str, _body: bytes) -> Reply:
        body = json.dumps({"results": served}).encode()
        return 200, {"Content-Type": "application/json", "Content-Length": str(len(body))}, [body]

    with (
        ScriptedServer(script) as server,
        CouchDBClient(couch_config(server.url), retry_policy=NO_RETRY) as client,
    ):
        docs = client.bulk_get([("case-1", "2-a"), ("case-2", "1-b")])
    assert docs == [{"_id": "case-1", "_rev": "2-a", "v": 1}]
    asked = json.loads(server.requests[0][2])
    assert asked == {"docs": [{"id": "case-1", "rev": "2-a"}, {"id": "case-2", "rev": "1-b"}]}
