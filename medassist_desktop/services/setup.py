"""First-run setup and start-up decisions, without Qt: what the setup wizard and the
start-up flow call.

At start the GUI must decide, without opening anything, whether this is a first run
(no database yet), whether the database needs a passphrase, or whether the keyring
opens it. The first-run wizard then needs to know if a secure keyring is usable,
saves the clinic's id and name, and judges a new passphrase. All of it is here so
the widgets only show and ask.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from keyring.backend import KeyringBackend

from medassist_desktop.config import LoadedSettings, load_settings
from medassist_desktop.config.settings import UiLanguage
from medassist_desktop.config.settings_file import (
    overridden_by_environment,
    settings_file_for_update,
    update_settings_file,
)
from medassist_desktop.core.security.passphrase import (
    MIN_PASSPHRASE_LENGTH,
)
from medassist_desktop.core.security.passphrase import (
    passphrase_strength as passphrase_strength,  # noqa: PLC0414 - re-exported for the wizard
)
from medassist_desktop.core.security.secrets import (
    PASSPHRASE_VAR,
    SecretsError,
    SecretStore,
    kdf_file_for,
)
from medassist_desktop.i18n.catalogue import N_

CLINIC_SETTINGS = ["clinic_id", "clinic_name", "ui_language"]


class StartupState(StrEnum):
    """What the app must do before anyone can sign in."""

    FIRST_RUN = "first_run"  # no database: run the setup wizard
    PASSPHRASE = "passphrase"  # the database key is derived from a passphrase: ask for it
    KEYRING = "keyring"  # the key is in the OS keyring (or encryption is off): just open


def startup_state(loaded: LoadedSettings) -> StartupState:
    """Decided from file names only (cheap, nothing opened): safe on the GUI thread."""
    db_path = loaded.settings.database_path(loaded.paths)
    if not db_path.exists():
        return StartupState.FIRST_RUN
    if kdf_file_for(db_path).exists():
        return StartupState.PASSPHRASE
    return StartupState.KEYRING


def passphrase_from_environment(environ: Mapping[str, str]) -> str | None:
    """`MEDASSIST_DB_PASSPHRASE`, when an admin set it for unattended starts."""
    return environ.get(PASSPHRASE_VAR) or None


@dataclass(frozen=True)
class KeyStorage:
    """Where the first run can keep the database key."""

    encryption: bool
    keyring_usable: bool
    backend: str
    problem: str | None = None

    @property
    def needs_passphrase(self) -> bool:
        return self.encryption and not self.keyring_usable


def probe_key_storage(loaded: LoadedSettings, backend: KeyringBackend | None = None) -> KeyStorage:
    """Is a secure OS keyring usable? May talk to D-Bus: call it off the GUI thread."""
    store = SecretStore(loaded.settings.clinic_id, backend)
    problem = store.problem()
    name = f"{type(store.backend).__module__}.{type(store.backend).__name__}"
    return KeyStorage(
        encryption=loaded.settings.enable_encryption,
        keyring_usable=problem is None,
        backend=name,
        problem=problem,
    )


@dataclass(frozen=True)
class SavedSettings:
    loaded: LoadedSettings
    settings_file: Path
    hidden_by_environment: list[str] = field(default_factory=list)


def save_clinic(
    loaded: LoadedSettings,
    environ: Mapping[str, str],
    *,
    clinic_id: str,
    clinic_name: str,
    ui_language: str | None = None,
) -> SavedSettings:
    """Write the clinic's id and name to the settings file (atomically) and reload settings.

    The clinic id names the keyring service of the database key, so it can only be
    chosen before the database exists; `save_clinic` refuses to change it afterwards.
    """
    db_path = loaded.settings.database_path(loaded.paths)
    clinic_id = clinic_id.strip()
    if clinic_id != loaded.settings.clinic_id and db_path.exists():
        raise SecretsError(
            N_("The clinic id cannot change once the database exists (its key is kept under it)."),
            hint=N_("Keep {clinic_id!r}.", clinic_id=loaded.settings.clinic_id),
        )
    path = settings_file_for_update(loaded)
    updates: dict[str, Any] = {"clinic_id": clinic_id, "clinic_name": clinic_name.strip() or None}
    if ui_language is not None:
        updates["ui_language"] = UiLanguage(ui_language).value
    update_settings_file(path, updates)
    return SavedSettings(
        loaded=load_settings(environ),
        settings_file=path,
        hidden_by_environment=overridden_by_environment(environ, CLINIC_SETTINGS),
    )


def save_model_choice(
    loaded: LoadedSettings, environ: Mapping[str, str], model_name: str
) -> SavedSettings:
    """Remember the model the app loads (`model_name`), as `medassist models use` does."""
    path = settings_file_for_update(loaded)
    update_settings_file(path, {"model_name": model_name})
    return SavedSettings(
        loaded=load_settings(environ),
        settings_file=path,
        hidden_by_environment=overridden_by_environment(environ, ["model_name"]),
    )


def check_new_passphrase(first: str, second: str, user_inputs: Sequence[str] = ()) -> None:
    """Refuse a passphrase that is short, guessable, or typed differently twice."""
    if first != second:
        raise SecretsError(
            N_("The two passphrases are different."), hint=N_("Type the same one twice.")
        )
    if len(first) < MIN_PASSPHRASE_LENGTH:
        raise SecretsError(
            N_(
                "The passphrase is too short (at least {min_passphrase_length} characters).",
                min_passphrase_length=MIN_PASSPHRASE_LENGTH,
            ),
            hint=N_("Use four or five unrelated words."),
        )
    strength = passphrase_strength(first, user_inputs)
    if not strength.acceptable:
        raise SecretsError(
            N_("The passphrase is too easy to guess. {warning}", warning=strength.warning),
            hint=" ".join(strength.suggestions) or N_("Use four or five unrelated words."),
        )
