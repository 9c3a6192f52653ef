"""A streaming client for OpenAI-compatible chat completions (vLLM, llama.cpp's server, TGI,
hosted services), over httpx, with a first-byte deadline.

The stream is read on a helper thread that feeds a queue; the calling thread waits on
the queue with deadlines. So a server that accepts the connection and then says
nothing is given up after `first_byte_timeout` (default 500 ms) no matter where it
stalls (connect, TLS, headers or body), and the fallback starts at once: the stalled
read is abandoned, and its thread ends on its own read timeout. "First byte" is the
first byte of the streamed body, so a server that sends headers at once and then
thinks for seconds counts as slow.

Patient identifiers are stripped from every message before it is sent
(`deidentify.strip_identifiers`); there is no way to send a prompt around that.

The answer is the same `GenerationResult` the local engine returns, with
`engine="cloud"`. Token log-probabilities are not requested (not every
OpenAI-compatible server offers them), so `token_logprobs` is empty and a cloud
answer's confidence rests on the router and retrieval signals.

The endpoint is not trusted to behave: proxy variables from the environment are
ignored (`trust_env=False`, so loopback plain-HTTP traffic and the API key never go to
a proxy nobody configured in the app), the stream is cut after `max_tokens` pieces
(plus a little slack: a server may split tokens) and after `MAX_STREAM_BYTES`, and
an error body is read only up to `MAX_ERROR_BYTES`.
"""

from __future__ import annotations

import codecs
import json
import queue
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import httpx
from loguru import logger

from medassist_desktop.config.urls import check_server_url
from medassist_desktop.core.inference.deidentify import strip_identifiers
from medassist_desktop.core.inference.interface import (
    ChatMessage,
    EngineName,
    GenerationParams,
    GenerationResult,
    StopReason,
    TokenCallback,
)
from medassist_desktop.core.sync.resilience import is_transient, is_transient_status
from medassist_desktop.errors import KnownError, MessageText
from medassist_desktop.i18n.catalogue import N_

log = logger.bind(area="inference")

ENGINE_NAME: EngineName = "cloud"
MAX_STREAM_BYTES = 4 * 1024 * 1024
MAX_ERROR_BYTES = 64 * 1024
TOKEN_SLACK = 16  # pieces beyond max_tokens before the stream is cut


class CloudError(Exception):
    """The cloud engine could not give a (complete) answer; the caller falls back."""

    transient = True

    def __init__(self, message: MessageText, *, partial_text: str = "", tokens: int = 0) -> None:
        super().__init__(message)
        self.partial_text = partial_text
        self.tokens = tokens


class CloudUnavailableError(CloudError):
    """No answer started: connection refused, DNS, TLS, HTTP error status."""


class CloudRejectedError(CloudUnavailableError):
    """HTTP 4xx: the key, the model name or the request is wrong; retrying will not help."""

    transient = False


class CloudTimeoutError(CloudError):
    """No first byte within the deadline, or the stream stalled."""


class CloudStreamBrokenError(CloudError):
    """The stream broke after it had started (server gone, connection reset)."""


class CloudConfigError(KnownError):
    """Cloud inference is switched on but cannot be used as configured."""


def is_cloud_failure(exc: BaseException) -> bool:
    """What counts against the cloud's circuit breaker."""
    if isinstance(exc, CloudError):
        return exc.transient
    return is_transient(exc)


def _sse_data(lines: Iterable[str]) -> Iterator[str]:
    """The `data` payloads of a server-sent-events stream (comments and other fields skipped)."""
    data: list[str] = []
    for line in lines:
        if line == "":
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if field == "data":
            data.append(value[1:] if value.startswith(" ") else value)
    if data:
        yield "\n".join(data)


class CloudChatEngine:
    """Streams answers from `<base_url>/chat/completions`. Safe to call from several threads."""

    name = ENGINE_NAME

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None,
        *,
        first_byte_timeout: float = 0.5,
        idle_timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        try:
            self.base_url = check_server_url(base_url)
        except ValueError as exc:
            raise CloudConfigError(
                N_("The cloud endpoint cannot be used: {reason}.", reason=exc)
            ) from None
        self.model = model
        self.first_byte_timeout = first_byte_timeout
        self.idle_timeout = idle_timeout
        headers = {"Accept": "text/event-stream"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._http = httpx.Client(
            timeout=httpx.Timeout(connect=10.0, read=idle_timeout, write=10.0, pool=10.0),
            headers=headers,
            verify=True,
            transport=transport,
            follow_redirects=False,
            trust_env=False,
        )

    def close(self) -> None:
        self._http.close()

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
        *,
        cancel: threading.Event | None = None,
        patient_names: Sequence[str] = (),
        patient_ids: Sequence[str] = (),
    ) -> GenerationResult:
        """Blocking: stream the answer through `on_token` (on the calling thread).

        Raises a `CloudError` when no complete answer came; `cancel` ends it early.
        """
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": [
                {
                    "role": m.role,
                    "content": strip_identifiers(m.content, names=patient_names, ids=patient_ids),
                }
                for m in messages
            ],
            "max_tokens": params.max_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
            "stream": True,
        }
        if params.stop:
            payload["stop"] = list(params.stop)
        if params.seed is not None:
            payload["seed"] = params.seed
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        abandon = threading.Event()
        reader = threading.Thread(
            target=self._read, args=(payload, events, abandon), name="cloud-stream", daemon=True
        )
        started = time.monotonic()
        reader.start()
        parts: list[str] = []
        times: list[float] = []
        try:
            finish = self._consume(events, parts, times, started, on_token=on_token, cancel=cancel)
        finally:
            abandon.set()
        ended = time.monotonic()
        decode_s = times[-1] - times[0] if len(times) > 1 else 0.0
        return GenerationResult(
            text="".join(parts),
            tokens=len(parts),
            token_logprobs=[],
            tokens_per_second=round((len(parts) - 1) / decode_s, 2) if decode_s else 0.0,
            time_to_first_token_ms=round((times[0] - started) * 1000, 1) if times else 0.0,
            model_name=self.model,
            model_sha256=None,
            cancelled=finish == "cancelled",
            stop_reason=_stop_reason(finish),
            total_ms=round((ended - started) * 1000, 1),
            engine=ENGINE_NAME,
        )

    def _consume(
        self,
        events: queue.Queue[tuple[str, Any]],
        parts: list[str],
        times: list[float],
        started: float,
        *,
        on_token: TokenCallback | None,
        cancel: threading.Event | None,
    ) -> str | None:
        first_byte = False
        last_event = started
        while True:
            now = time.monotonic()
            if cancel is not None and cancel.is_set():
                return "cancelled"
            limit = (
                started + self.first_byte_timeout
                if not first_byte
                else last_event + self.idle_timeout
            )
            if now >= limit:
                text = "".join(parts)
                if not first_byte:
                    raise CloudTimeoutError(
                        f"no answer from the cloud within {self.first_byte_timeout * 1000:.0f} ms"
                    )
                raise CloudTimeoutError(
                    f"the cloud stream stalled for {self.idle_timeout:.0f} s",
                    partial_text=text,
                    tokens=len(parts),
                )
            try:
                kind, value = events.get(timeout=min(limit - now, 0.05))
            except queue.Empty:
                continue
            last_event = time.monotonic()
            if kind == "first_byte":
                first_byte = True
            elif kind == "token":
                parts.append(value)
                times.append(last_event)
                if on_token is not None:
                    on_token(value)
            elif kind == "done":
                return str(value) if value is not None else None
            elif kind == "error":
                if isinstance(value, CloudError):
                    value.partial_text, value.tokens = "".join(parts), len(parts)
                    raise value
                if first_byte:
                    raise CloudStreamBrokenError(
                        f"the cloud stream broke ({type(value).__name__}: {value})",
                        partial_text="".join(parts),
                        tokens=len(parts),
                    ) from value
                raise CloudUnavailableError(
                    f"the cloud endpoint is unavailable ({type(value).__name__}: {value})"
                ) from value

    def _read(
        self,
        payload: dict[str, Any],
        events: queue.Queue[tuple[str, Any]],
        abandon: threading.Event,
    ) -> None:
        """Runs on the reader thread: turns the HTTP stream into queue events."""
        try:
            with self._http.stream(
                "POST", f"{self.base_url}/chat/completions", json=payload
            ) as response:
                if response.status_code != 200:
                    events.put(("error", _status_error(response, _read_prefix(response))))
                    return
                self._read_events(response, events, abandon, max_pieces=payload["max_tokens"])
        except Exception as exc:
            if not abandon.is_set():
                events.put(("error", exc))

    def _read_events(
        self,
        response: httpx.Response,
        events: queue.Queue[tuple[str, Any]],
        abandon: threading.Event,
        *,
        max_pieces: int,
    ) -> None:
        first = True
        finish: str | None = None
        pieces = 0

        def lines() -> Iterator[str]:
            nonlocal first
            for line in _capped_lines(response, MAX_STREAM_BYTES):
                if first:
                    events.put(("first_byte", None))
                    first = False
                if abandon.is_set():
                    return
                yield line

        for data in _sse_data(lines()):
            if data.strip() == "[DONE]":
                events.put(("done", finish))
                return
            chunk = json.loads(data)
            if "error" in chunk:
                events.put(
                    ("error", CloudStreamBrokenError(f"the cloud reported: {chunk['error']}"))
                )
                return
            for choice in chunk.get("choices", []):
                content = (choice.get("delta") or {}).get("content")
                if content:
                    events.put(("token", str(content)))
                    pieces += 1
                finish = choice.get("finish_reason") or finish
            if pieces >= max_pieces + TOKEN_SLACK:
                log.warning(f"The cloud stream went on past {pieces} pieces: cut")
                events.put(("done", "length"))
                return
        if not abandon.is_set():
            events.put(("error", CloudStreamBrokenError("the cloud stream ended without [DONE]")))


def _stop_reason(finish: str | None) -> StopReason:
    """OpenAI's finish_reason in the local engine's terms ("content_filter" etc. end: stop)."""
    if finish == "length":
        return "length"
    if finish == "cancelled":
        return "cancelled"
    return "stop"


def _capped_lines(response: httpx.Response, limit: int) -> Iterator[str]:
    """The body's lines (split on LF, CR dropped), refused once more than `limit` bytes came."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    received = 0
    pending = ""
    for chunk in response.iter_bytes():
        received += len(chunk)
        if received > limit:
            raise CloudStreamBrokenError(f"the cloud's answer is larger than {limit} bytes")
        pending += decoder.decode(chunk)
        *complete, pending = pending.split("\n")
        for line in complete:
            yield line.removesuffix("\r")
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending.removesuffix("\r")


def _read_prefix(response: httpx.Response) -> str:
    """At most `MAX_ERROR_BYTES` of an error body (a hostile server may send gigabytes)."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) >= MAX_ERROR_BYTES:
            break
    return bytes(body[:MAX_ERROR_BYTES]).decode("utf-8", "replace")


def _status_error(response: httpx.Response, body: str) -> CloudError:
    status = response.status_code
    detail = body[:200]
    if is_transient_status(status):
        return CloudUnavailableError(f"the cloud endpoint answered HTTP {status}: {detail}")
    return CloudRejectedError(f"the cloud endpoint refused the request (HTTP {status}: {detail})")
