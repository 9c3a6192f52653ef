"""Building the real security services in tests, cheaply (low Argon2 cost) and with a clock."""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from keyring.backend import KeyringBackend

from medassist_desktop.config import LoadedSettings, load_settings
from medassist_desktop.core.security.secrets import KdfCost
from medassist_desktop.logging_setup import Redactor
from medassist_desktop.services.security import SecurityServices, open_security

CHEAP_KDF = KdfCost(time_cost=1, memory_cost_kib=8, parallelism=1)


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def settings_for(data_dir: Path, **env: str) -> LoadedSettings:
    environ = {"MEDASSIST_DATA_DIR": str(data_dir), "MEDASSIST_ENV": "development", **env}
    return load_settings(environ)


def open_services(
    data_dir: Path,
    backend: KeyringBackend,
    *,
    create: bool = True,
    clock: FakeClock | None = None,
    redactor: Redactor | None = None,
    **env: str,
) -> SecurityServices:
    return open_security(
        settings_for(data_dir, **env),
        redactor or Redactor(),
        {},
        create=create,
        keyring_backend=backend,
        hasher=cheap_hasher(),
        kdf_cost=CHEAP_KDF,
        clock=clock or FakeClock(),
    )
