"""Server addresses: verified TLS, or plain http to the loopback interface only."""

from __future__ import annotations

import pytest

from medassist_desktop.config.urls import check_server_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://sync.example.org/", "https://sync.example.org"),
        ("https://sync.example.org:6984/couch", "https://sync.example.org:6984/couch"),
        ("http://127.0.0.1:5984", "http://127.0.0.1:5984"),
        ("http://localhost:5984/", "http://localhost:5984"),
        ("http://[::1]:5984", "http://[::1]:5984"),
        ("  https://x.example.org  ", "https://x.example.org"),
    ],
)
def test_accepted(url: str, expected: str) -> None:
    assert check_server_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://sync.example.org", "plain http:// is refused"),
        ("http://192.168.1.10:5984", "plain http:// is refused"),
        ("http://127.0.0.2:5984", "plain http:// is refused"),
        ("https://admin:pw@sync.example.org", "must not contain a user name or password"),
        ("ftp://sync.example.org", "not an http(s) URL"),
        ("sync.example.org", "not an http(s) URL"),
        ("https://sync.example.org:99999", "not a valid URL"),
        ("https://sync.example.org/?db=x", "must not contain"),
    ],
)
def test_refused(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_server_url(url)
