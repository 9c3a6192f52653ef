"""Hybrid inference use cases: configure the cloud endpoint, build the hybrid engine.

The API key lives in the OS keyring (or, where none exists, inside the encrypted
database), never in settings. The cloud breaker should live as long as the app (one
per `AppContext`), so its state survives consults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from medassist_desktop.config import LoadedSettings, Settings
from medassist_desktop.config.settings_file import (
    overridden_by_environment,
    settings_file_for_update,
    update_settings_file,
)
from medassist_desktop.config.urls import check_server_url
from medassist_desktop.core.degradation import DegradationRegistry
from medassist_desktop.core.inference.cloud import (
    CloudChatEngine,
    CloudConfigError,
    is_cloud_failure,
)
from medassist_desktop.core.inference.hybrid import HybridEngine
from medassist_desktop.core.inference.interface import InferenceEngine
from medassist_desktop.core.security.clinic_secrets import CLOUD_API_KEY, NamedSecrets
from medassist_desktop.core.sync.breaker import CircuitBreaker
from medassist_desktop.i18n.catalogue import N_

CLOUD_SETTINGS = ["cloud_url", "cloud_model", "cloud_inference_enabled"]


@dataclass(frozen=True)
class CloudConfigureResult:
    settings_file: Path
    url: str
    model: str
    enabled: bool
    api_key_stored: bool
    hidden_by_environment: list[str]


def configure_cloud(
    loaded: LoadedSettings,
    environ: Mapping[str, str],
    store: NamedSecrets,
    *,
    url: str,
    model: str,
    api_key: str,
    enable: bool = True,
) -> CloudConfigureResult:
    """Keep the API key in the secret store (an empty key removes it), save the rest."""
    try:
        clean_url = check_server_url(url)
    except ValueError as exc:
        raise CloudConfigError(
            N_("The cloud endpoint cannot be used: {reason}.", reason=exc)
        ) from None
    if api_key:
        store.set(CLOUD_API_KEY, api_key)
    else:
        store.delete(CLOUD_API_KEY)
    path = settings_file_for_update(loaded)
    update_settings_file(
        path, {"cloud_url": clean_url, "cloud_model": model, "cloud_inference_enabled": enable}
    )
    return CloudConfigureResult(
        settings_file=path,
        url=clean_url,
        model=model,
        enabled=enable,
        api_key_stored=bool(api_key),
        hidden_by_environment=overridden_by_environment(environ, CLOUD_SETTINGS),
    )


def cloud_breaker() -> CircuitBreaker:
    """The cloud endpoint's breaker: counts network failures, timeouts, 5xx and broken streams."""
    return CircuitBreaker("cloud inference", is_failure=is_cloud_failure)


def build_cloud_engine(settings: Settings, store: NamedSecrets) -> CloudChatEngine | None:
    """The cloud engine when enabled and configured, else None (local only)."""
    if not settings.cloud_inference_enabled:
        return None
    if settings.cloud_url is None or settings.cloud_model is None:
        raise CloudConfigError(
            N_("Cloud inference is switched on but cloud_url or cloud_model is not set."),
            hint=N_("Run `medassist cloud configure --url URL --model NAME`."),
        )
    return CloudChatEngine(
        settings.cloud_url,
        settings.cloud_model,
        store.get(CLOUD_API_KEY),
        first_byte_timeout=settings.cloud_first_byte_timeout_ms / 1000,
    )


def build_hybrid_engine(
    settings: Settings,
    store: NamedSecrets,
    local: InferenceEngine,
    degradation: DegradationRegistry,
    breaker: CircuitBreaker,
) -> HybridEngine:
    return HybridEngine(
        local,
        build_cloud_engine(settings, store),
        breaker=breaker,
        degradation=degradation,
        cloud_enabled=lambda: settings.cloud_inference_enabled,
    )
