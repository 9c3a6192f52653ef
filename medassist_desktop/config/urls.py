"""The rule for server addresses (sync server, cloud inference endpoint): TLS or loopback.

Patient data and credentials only ever travel over verified TLS. Plain `http://` is
accepted for the loopback interface alone (a server the tests or a local proxy run
on the same machine), never for another host, not even one on the clinic's LAN.
Credentials inside the URL are refused: they would end up in settings files and
logs; the password lives in the keyring.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def check_server_url(url: str) -> str:
    """Return `url` without a trailing slash if it is acceptable, else raise ValueError.

    The message says what is wrong in words an admin can act on.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port  # raises ValueError on a malformed port
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid URL ({exc})") from None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise ValueError(f"{text!r} is not an http(s) URL with a host name")
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            "the URL must not contain a user name or password; give the user separately and "
            "the password on standard input"
        )
    if parts.query or parts.fragment:
        raise ValueError(f"{text!r} must not contain '?' or '#' parts")
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        raise ValueError(
            f"plain http:// is refused for {host}: use https:// (http is allowed only to "
            "127.0.0.1, localhost or ::1)"
        )
    del port
    return text.rstrip("/")
