"""Hybrid inference against llama.cpp's real OpenAI-compatible server, with faults.

The cloud is `python -m llama_cpp.server` on the Gemma 3 270M GGUF; the local engine
is the app's own `LlamaEngine` on the same file (one thread: the test machine's cores
are shared, and llama.cpp's threads spin-wait). Faults: server down, wrong key, server
killed mid-stream, a first byte that never comes in time.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.config import load_settings
from medassist_desktop.core.degradation import CLOUD_INFERENCE, DegradationRegistry
from medassist_desktop.core.inference.cloud import CloudChatEngine, is_cloud_failure
from medassist_desktop.core.inference.engine import LlamaEngine
from medassist_desktop.core.inference.hybrid import HybridEngine
from medassist_desktop.core.inference.interface import (
    ChatMessage,
    GenerationParams,
    GenerationResult,
    TokenCallback,
)
from medassist_desktop.core.inference.loading import prepare_load
from medassist_desktop.core.sync.breaker import CircuitBreaker, CircuitState
from tests.inference_support import seed_embedded_model
from tests.servers import FaultProxy, LlamaServer, free_port

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

API_KEY = "test-cloud-key"
PATIENT = "Sokha Chan"
QUESTION = [
    ChatMessage("system", "You are a careful clinical assistant."),
    ChatMessage(
        "user", f"{PATIENT}, MRN: 48213, 3 years old. Count from 1 to 30, separated by commas."
    ),
]
# The machine's cores are shared: the first byte of a real answer (prompt evaluation
# included) can take seconds here; the fault tests use the production 500 ms.
GENEROUS_FIRST_BYTE_S = 30.0


class LocalLlama(LlamaEngine):
    """The real local engine, counting the generations it was asked for."""

    calls = 0

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
    ) -> GenerationResult:
        self.calls += 1
        return super().generate(messages, params, on_token)


@pytest.fixture(scope="module")
def model(embedded_gguf: Path) -> Path:
    return embedded_gguf


@pytest.fixture(scope="module")
def local(model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalLlama]:
    data_dir = tmp_path_factory.mktemp("local-model-data")
    seed_embedded_model(data_dir, model)
    loaded = load_settings(
        {
            "MEDASSIST_DATA_DIR": str(data_dir),
            "MEDASSIST_ENV": "development",
            "MODEL_CONTEXT_TOKENS": "1024",
            "MODEL_THREADS": "1",
        }
    )
    engine = LocalLlama()
    engine.load(prepare_load(loaded.settings, loaded.paths))
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def cloud_server(model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    with LlamaServer(model, tmp_path_factory.mktemp("llama-logs"), api_key=API_KEY) as server:
        yield server


class Asked:
    """One consult through the hybrid engine, with what the UI would have seen."""

    def __init__(self, engine: HybridEngine, max_tokens: int = 12, **kwargs: Any) -> None:
        self.tokens: list[str] = []
        self.notes: list[tuple[str, bool, float]] = []
        self.started = time.monotonic()
        self.result: GenerationResult = engine.generate(
            QUESTION,
            GenerationParams(max_tokens=max_tokens, temperature=0.0),
            self.on_token,
            on_fallback=lambda note, discard: self.notes.append(
                (note, discard, time.monotonic() - self.started)
            ),
            patient_names=[PATIENT],
            **kwargs,
        )

    def on_token(self, token: str) -> None:
        self.tokens.append(token)


def hybrid(
    local: LocalLlama, cloud: CloudChatEngine, **breaker_kwargs: Any
) -> tuple[HybridEngine, CircuitBreaker, DegradationRegistry]:
    breaker = CircuitBreaker("cloud inference", is_failure=is_cloud_failure, **breaker_kwargs)
    registry = DegradationRegistry()
    engine = HybridEngine(
        local, cloud, breaker=breaker, degradation=registry, cloud_enabled=lambda: True
    )
    return engine, breaker, registry


def test_cloud_answers_and_identifiers_never_leave(
    local: LocalLlama, cloud_server: LlamaServer
) -> None:
    upstream = cloud_server.base_url.removesuffix("/v1")
    with FaultProxy(upstream) as proxy:
        cloud = CloudChatEngine(
            proxy.url + "/v1", "gemma-3-270m", API_KEY, first_byte_timeout=GENEROUS_FIRST_BYTE_S
        )
        engine, breaker, registry = hybrid(local, cloud)
        calls_before = local.calls
        asked = Asked(engine)
    result = asked.result
    assert result.engine == "cloud" and result.fallback_reason is None
    assert result.text and result.tokens == len(asked.tokens)
    assert "".join(asked.tokens) == result.text
    assert result.stop_reason in ("stop", "length") and not result.cancelled
    assert result.model_name == "gemma-3-270m" and result.token_logprobs == []
    assert local.calls == calls_before and asked.notes == []
    assert breaker.state is CircuitState.CLOSED and not registry.is_degraded(CLOUD_INFERENCE)
    sent = proxy.bodies("other")[0]
    wire = json.dumps(sent)
    assert "Sokha" not in wire and "Chan" not in wire and "48213" not in wire
    assert "[patient]" in wire and sent["stream"] is True
    cloud.close()


def test_wrong_api_key_falls_back_to_local(local: LocalLlama, cloud_server: LlamaServer) -> None:
    cloud = CloudChatEngine(
        cloud_server.base_url, "gemma-3-270m", "wrong-key", first_byte_timeout=GENEROUS_FIRST_BYTE_S
    )
    engine, breaker, registry = hybrid(local, cloud)
    asked = Asked(engine)
    assert asked.result.engine == "local" and asked.result.text
    assert "HTTP 401" in (asked.result.fallback_reason or "")
    assert breaker.state is CircuitState.CLOSED  # a wrong key is not an outage
    assert registry.is_degraded(CLOUD_INFERENCE)
    cloud.close()


def test_server_down_falls_back_then_breaker_skips_the_cloud(local: LocalLlama) -> None:
    cloud = CloudChatEngine(f"http://127.0.0.1:{free_port()}/v1", "m", API_KEY)
    engine, breaker, registry = hybrid(local, cloud, failure_threshold=2, recovery_timeout=60)
    first = Asked(engine)
    assert first.result.engine == "local" and first.result.text
    assert "unavailable" in (first.result.fallback_reason or "")
    assert first.notes[0][1] is False  # nothing was shown from the cloud
    assert first.notes[0][2] < 1.0  # refused at once: no waiting for the deadline
    Asked(engine)
    assert breaker.state is CircuitState.OPEN
    third = Asked(engine)
    assert third.result.engine == "local" and "paused" in (third.result.fallback_reason or "")
    assert third.notes == []  # the cloud was not even tried
    assert registry.is_degraded(CLOUD_INFERENCE)
    cloud.close()


def test_server_killed_mid_stream_local_continues(
    local: LocalLlama, model: Path, tmp_path: Path
) -> None:
    with LlamaServer(model, tmp_path, api_key=API_KEY) as server:
        cloud = CloudChatEngine(
            server.base_url, "gemma-3-270m", API_KEY, first_byte_timeout=GENEROUS_FIRST_BYTE_S
        )
        engine, _, registry = hybrid(local, cloud)
        cloud_tokens: list[str] = []

        def kill_after_three(token: str) -> None:
            cloud_tokens.append(token)
            if len(cloud_tokens) == 3:
                server.kill()

        tokens: list[str] = []
        notes: list[tuple[str, bool]] = []

        def on_token(token: str) -> None:
            tokens.append(token)
            if not notes:
                kill_after_three(token)

        result = engine.generate(
            QUESTION,
            GenerationParams(max_tokens=40, temperature=0.0),
            on_token,
            on_fallback=lambda note, discard: notes.append((note, discard)),
        )
    assert len(cloud_tokens) >= 3
    assert result.engine == "local" and result.text
    assert result.fallback_reason and "broke" in result.fallback_reason
    assert len(notes) == 1 and notes[0][1] is True  # the UI clears the partial cloud text
    assert "restarts on the local model" in notes[0][0]
    assert tokens[len(cloud_tokens) :] and "".join(tokens[len(cloud_tokens) :]) == result.text
    assert registry.is_degraded(CLOUD_INFERENCE)
    cloud.close()


class SlowSSEServer:
    """Sends 200 and SSE headers at once, then nothing for `silence` seconds."""

    def __init__(self, silence: float = 5.0) -> None:
        self.port = free_port()
        self.release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.flush()
                outer.release.wait(silence)
                chunk = {"choices": [{"delta": {"content": "late"}, "finish_reason": "stop"}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n".encode())

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True

    def __enter__(self) -> SlowSSEServer:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()


def test_slow_first_byte_falls_back_after_the_deadline(local: LocalLlama) -> None:
    with SlowSSEServer() as slow:
        cloud = CloudChatEngine(
            f"http://127.0.0.1:{slow.port}/v1", "m", API_KEY, first_byte_timeout=0.5
        )
        engine, _, registry = hybrid(local, cloud)
        asked = Asked(engine)
    assert asked.result.engine == "local" and asked.result.text
    assert "within 500 ms" in (asked.result.fallback_reason or "")
    note, discard, after = asked.notes[0]
    assert "answering with the local model" in note
    assert discard is False
    assert 0.45 <= after < 1.5, f"fell back after {after:.2f} s"
    assert registry.is_degraded(CLOUD_INFERENCE)
    cloud.close()
