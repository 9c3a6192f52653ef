"""The retry policy: transient failures only, exponential backoff with jitter, Retry-After."""

from __future__ import annotations

import httpx
import pytest

from medassist_desktop.core.sync.resilience import (
    RetryPolicy,
    TransientHTTPError,
    is_transient,
    parse_retry_after,
    retry,
)


def _status_error(status: int, headers: dict[str, str] | None = None) -> httpx.HTTPStatusError:
    request = httpx.Request("GET", "https://sync.example.org/")
    response = httpx.Response(status, request=request, headers=headers)
    return httpx.HTTPStatusError(f"HTTP {status}", request=request, response=response)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.ConnectError("refused"), True),
        (httpx.ReadTimeout("slow"), True),
        (httpx.RemoteProtocolError("peer closed"), True),
        (ConnectionResetError(), True),
        (TimeoutError(), True),
        (TransientHTTPError(503, "unavailable"), True),
        (_status_error(500), True),
        (_status_error(502), True),
        (_status_error(429), True),
        (_status_error(400), False),
        (_status_error(401), False),
        (_status_error(404), False),
        (_status_error(409), False),
        (_status_error(413), False),
        (httpx.UnsupportedProtocol("ftp"), False),
        (ValueError("a bug"), False),
    ],
)
def test_transient_classification(exc: BaseException, expected: bool) -> None:
    assert is_transient(exc) is expected


class Flaky:
    """Fails with the given exceptions in turn, then returns 'ok'."""

    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


def test_default_policy_is_the_operations_guide_one() -> None:
    policy = retry()
    assert (policy.max_attempts, policy.delay, policy.backoff) == (3, 1.0, 2.0)


def test_retries_transient_failures_with_exponential_jittered_waits() -> None:
    waits: list[float] = []
    policy = retry(max_attempts=3, delay=1.0, backoff=2.0, sleep=waits.append)
    flaky = Flaky(httpx.ConnectError("down"), TransientHTTPError(503, "busy"))
    assert policy.call(flaky) == "ok"
    assert flaky.calls == 3
    assert len(waits) == 2
    assert 1.0 <= waits[0] <= 1.5  # delay + up to delay/2 of jitter
    assert 2.0 <= waits[1] <= 2.5  # delay * backoff + jitter


def test_jitter_spreads_the_waits() -> None:
    policy = RetryPolicy(delay=1.0, jitter=1.0)
    samples = {round(policy.wait_before(1), 6) for _ in range(50)}
    assert len(samples) > 40
    assert all(1.0 <= s <= 2.0 for s in samples)


def test_gives_up_after_max_attempts_and_reraises_the_last_error() -> None:
    waits: list[float] = []
    policy = retry(max_attempts=3, delay=0.01, sleep=waits.append)
    flaky = Flaky(*(httpx.ConnectError(f"down {i}") for i in range(5)))
    with pytest.raises(httpx.ConnectError, match="down 2"):
        policy.call(flaky)
    assert flaky.calls == 3
    assert len(waits) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 413])
def test_never_retries_client_errors(status: int) -> None:
    waits: list[float] = []
    flaky = Flaky(_status_error(status))
    with pytest.raises(httpx.HTTPStatusError):
        retry(sleep=waits.append).call(flaky)
    assert flaky.calls == 1
    assert waits == []


def test_never_retries_bugs() -> None:
    flaky = Flaky(KeyError("bug"))
    with pytest.raises(KeyError):
        retry(sleep=lambda _s: None).call(flaky)
    assert flaky.calls == 1


def test_retry_after_is_honoured_up_to_max_delay() -> None:
    waits: list[float] = []
    policy = retry(delay=0.1, max_delay=5.0, sleep=waits.append)
    flaky = Flaky(
        TransientHTTPError(429, "slow down", retry_after=3.0),
        _status_error(503, {"Retry-After": "60"}),
    )
    assert policy.call(flaky) == "ok"
    assert waits[0] == pytest.approx(3.0)
    assert waits[1] == pytest.approx(5.0)  # capped


def test_on_retry_reports_each_retry() -> None:
    seen: list[tuple[int, str]] = []
    policy = retry(delay=0.0, sleep=lambda _s: None)
    policy.call(
        Flaky(httpx.ReadTimeout("t1")),
        on_retry=lambda attempt, exc, _pause: seen.append((attempt, str(exc))),
    )
    assert seen == [(1, "t1")]


def test_decorator_form() -> None:
    calls: list[int] = []

    @retry(delay=0.0, sleep=lambda _s: None)
    def fetch(x: int) -> int:
        calls.append(x)
        if len(calls) < 2:
            raise httpx.ConnectError("blip")
        return x * 2

    assert fetch(21) == 42
    assert calls == [21, 21]


@pytest.mark.parametrize(
    ("value", "expected"), [("3", 3.0), ("0.5", 0.5), ("-1", None), ("soon", None), (None, None)]
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_invalid_policies_are_refused() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="backoff"):
        RetryPolicy(backoff=0.5)
