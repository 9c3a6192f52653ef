"""Retries with exponential backoff and jitter, on tenacity, for transient failures only.

A clinic's link drops, times out and meets overloaded servers; retrying those a few
times with growing, jittered pauses rides over the blips without hammering a server
that is struggling. A 4xx answer (bad credentials, a missing database, a rejected
document) will not get better by asking again, so it is never retried.

The default policy is the operations guide's `retry(max_attempts=3, delay=1.0,
backoff=2.0)`: waits of about 1 s and 2 s (plus up to half the delay of jitter),
and a server's `Retry-After` is honoured up to `max_delay`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import ParamSpec, TypeVar

import httpx
import tenacity
from loguru import logger

P = ParamSpec("P")
T = TypeVar("T")

log = logger.bind(area="sync")

TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})


class TransientHTTPError(Exception):
    """A 5xx or 429 answer: the server is there but cannot serve now; worth another try."""

    def __init__(self, status: int, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def is_transient_status(status: int) -> bool:
    return status in TRANSIENT_STATUS or 500 <= status <= 599


def is_transient(exc: BaseException) -> bool:
    """True for failures that another try may fix: network errors, timeouts, 5xx, 429."""
    if isinstance(exc, TransientHTTPError):
        return True
    if isinstance(exc, httpx.HTTPStatusError):
        return is_transient_status(exc.response.status_code)
    if isinstance(exc, httpx.UnsupportedProtocol):  # a configuration error, not the network
        return False
    # httpx.TransportError covers connect/read/write errors, timeouts and broken streams.
    return isinstance(exc, httpx.TransportError | ConnectionError | TimeoutError)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After: <seconds>` header; HTTP dates are ignored (rare here)."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _retry_after_of(exc: BaseException | None) -> float | None:
    if isinstance(exc, TransientHTTPError):
        return exc.retry_after
    if isinstance(exc, httpx.HTTPStatusError):
        return parse_retry_after(exc.response.headers.get("retry-after"))
    return None


RetryCallback = Callable[[int, BaseException, float], None]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry a transient failure.

    `sleep` is injectable so tests (and a scheduler that must stop promptly, passing
    its stop event's `wait`) control the pauses.
    """

    max_attempts: int = 3
    delay: float = 1.0
    backoff: float = 2.0
    max_delay: float = 30.0
    jitter: float | None = None  # seconds of random extra wait; None: half of `delay`
    sleep: Callable[[float], object] = field(default=time.sleep, compare=False, repr=False)
    retry_on: Callable[[BaseException], bool] = field(
        default=is_transient, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.delay < 0 or self.backoff < 1 or self.max_delay < 0:
            raise ValueError("delay and max_delay must be >= 0 and backoff >= 1")

    def wait_before(self, attempt: int, exc: BaseException | None = None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        jitter = self.delay / 2 if self.jitter is None else self.jitter
        base = self.delay * self.backoff ** (attempt - 1) + random.uniform(0, jitter)
        retry_after = _retry_after_of(exc)
        if retry_after is not None:
            base = max(base, retry_after)
        return min(base, self.max_delay)

    def call(
        self,
        fn: Callable[[], T],
        *,
        on_retry: RetryCallback | None = None,
        what: str = "request",
    ) -> T:
        """Run `fn`, retrying transient failures; the last failure is re-raised as is."""

        def wait(state: tenacity.RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            return self.wait_before(state.attempt_number, exc)

        def before_sleep(state: tenacity.RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            pause = state.next_action.sleep if state.next_action else 0.0
            assert exc is not None
            log.warning(
                "{what} failed ({error}); try {next} of {total} in {pause:.2f} s",
                what=what,
                error=_describe(exc),
                next=state.attempt_number + 1,
                total=self.max_attempts,
                pause=pause,
            )
            if on_retry is not None:
                on_retry(state.attempt_number, exc, pause)

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.max_attempts),
            wait=wait,
            retry=tenacity.retry_if_exception(self.retry_on),
            sleep=self._sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        return retrying(fn)

    def _sleep(self, seconds: float) -> None:
        self.sleep(seconds)  # `sleep` may return something (Event.wait does): drop it

    def __call__(self, fn: Callable[P, T]) -> Callable[P, T]:
        """Use the policy as a decorator: `@retry()`."""

        @wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            return self.call(lambda: fn(*args, **kwargs), what=getattr(fn, "__name__", "call"))

        return wrapper


def retry(
    max_attempts: int = 3,
    delay: float = 1.0,
    backoff: float = 2.0,
    *,
    max_delay: float = 30.0,
    jitter: float | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> RetryPolicy:
    """The operations guide's retry policy; usable as `policy.call(fn)` or as a decorator."""
    return RetryPolicy(
        max_attempts=max_attempts,
        delay=delay,
        backoff=backoff,
        max_delay=max_delay,
        jitter=jitter,
        sleep=sleep,
    )


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
