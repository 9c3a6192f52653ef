"""First-run decisions, passphrase rules, and the admin's settings changes (real database)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from medassist_desktop.config import load_settings
from medassist_desktop.core.security.accounts import Role
from medassist_desktop.core.security.clinic_secrets import SYNC_PASSWORD
from medassist_desktop.core.security.errors import PermissionDenied
from medassist_desktop.core.security.secrets import SecretsError, kdf_file_for
from medassist_desktop.core.sync.errors import InsecureServerURLError
from medassist_desktop.services.admin_settings import AdminSettingsService
from medassist_desktop.services.models_admin import ModelAdminService
from medassist_desktop.services.security import SecurityServices
from medassist_desktop.services.setup import (
    StartupState,
    check_new_passphrase,
    passphrase_strength,
    probe_key_storage,
    save_clinic,
    startup_state,
)
from tests.support.keyrings import MemoryKeyring
from tests.support.security import FakeClock, open_services, settings_for


class PlainFileKeyring(MemoryKeyring):
    priority = 0.5  # type: ignore[assignment]


def env_for(data_dir: Path) -> dict[str, str]:
    return {"MEDASSIST_DATA_DIR": str(data_dir), "MEDASSIST_ENV": "development"}


def test_startup_state_follows_the_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    loaded = settings_for(data)
    assert startup_state(loaded) is StartupState.FIRST_RUN
    db = loaded.settings.database_path(loaded.paths)
    db.parent.mkdir(parents=True)
    db.write_bytes(b"x")
    assert startup_state(loaded) is StartupState.KEYRING
    kdf_file_for(db).write_text("{}")
    assert startup_state(loaded) is StartupState.PASSPHRASE


def test_key_storage_refuses_an_insecure_keyring(tmp_path: Path) -> None:
    loaded = settings_for(tmp_path)
    assert probe_key_storage(loaded, MemoryKeyring()).needs_passphrase is False
    insecure = probe_key_storage(loaded, PlainFileKeyring())
    assert insecure.needs_passphrase and "not a secure store" in (insecure.problem or "")


def test_passphrase_rules() -> None:
    assert passphrase_strength("").score == 0
    assert not passphrase_strength("password1234").acceptable
    assert passphrase_strength("mango river lantern thirty bicycle").acceptable
    with pytest.raises(SecretsError, match="different"):
        check_new_passphrase("mango river lantern", "mango river lantren")
    with pytest.raises(SecretsError, match="too short"):
        check_new_passphrase("kx9!fz", "kx9!fz")
    with pytest.raises(SecretsError, match="too easy to guess"):
        check_new_passphrase("pursatclinic1", "pursatclinic1", ["pursatclinic"])
    check_new_passphrase("mango river lantern thirty", "mango river lantern thirty")


def test_save_clinic_writes_atomically_and_keeps_the_id_once_the_database_exists(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    environ = env_for(data)
    loaded = settings_for(data)
    saved = save_clinic(loaded, environ, clinic_id="kh-pursat-02", clinic_name="Pursat HC")
    assert saved.loaded.settings.clinic_id == "kh-pursat-02"
    assert saved.loaded.settings.clinic_name == "Pursat HC"
    assert json.loads(saved.settings_file.read_text())["clinic_id"] == "kh-pursat-02"
    db = saved.loaded.settings.database_path(saved.loaded.paths)
    db.write_bytes(b"x")
    with pytest.raises(SecretsError, match="cannot change"):
        save_clinic(saved.loaded, environ, clinic_id="other", clinic_name="")
    renamed = save_clinic(saved.loaded, environ, clinic_id="kh-pursat-02", clinic_name="")
    assert renamed.loaded.settings.clinic_name is None


@pytest.fixture
def security(tmp_path: Path) -> Iterator[SecurityServices]:
    services = open_services(tmp_path / "data", MemoryKeyring(), clock=FakeClock())
    services.accounts.create_first_admin("admin", "admin-password-1")
    yield services
    services.close()


def admin_settings(security: SecurityServices, data: Path) -> AdminSettingsService:
    loaded = settings_for(data)
    return AdminSettingsService(
        lambda: loaded,
        env_for(data),
        security.account_store,
        security.audit_log,
        security.clinic_secrets(),
    )


def test_admin_settings_are_admin_only_and_audited(
    security: SecurityServices, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    service = admin_settings(security, data)
    admin = security.accounts.login("admin", "admin-password-1")
    security.accounts.add_user(admin, "dara", "482915", Role.HEALTH_WORKER)
    worker = security.accounts.login("dara", "482915")
    with pytest.raises(PermissionDenied):
        service.save_policy(worker, session_timeout_minutes=5, max_login_attempts=3)
    with pytest.raises(PermissionDenied):
        ModelAdminService(
            lambda: settings_for(data), {}, security.account_store, security.audit_log
        ).use(worker, "gemma3-270m-q4_k_m")
    denied = [e for e in security.audit_log.entries() if e.outcome == "denied"]
    assert [e.action for e in denied] == ["settings.policy", "model.use"]

    result = service.save_policy(admin, session_timeout_minutes=5, max_login_attempts=3)
    written = json.loads(result.settings_file.read_text())
    assert written["session_timeout_minutes"] == 5 and written["max_login_attempts"] == 3

    with pytest.raises(InsecureServerURLError):
        service.save_sync(admin, enabled=True, url="http://example.org", db="c", user="u")
    service.save_sync(
        admin, enabled=True, url="https://example.org", db="clinic", user="u", password="pw-1"
    )
    assert security.secret_store.get(SYNC_PASSWORD) == "pw-1"
    assert "pw-1" not in result.settings_file.read_text()
    entry = [e for e in security.audit_log.entries() if e.action == "settings.sync"][-1]
    assert "pw-1" not in entry.details and json.loads(entry.details)["secret_replaced"] is True
    view = service.read(admin)
    assert view.values["sync_url"] == "https://example.org" and view.sync_password_stored
    assert security.audit_log.verify().ok


def test_the_window_language_is_saved_by_an_admin_only_and_audited(
    security: SecurityServices, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    service = admin_settings(security, data)
    admin = security.accounts.login("admin", "admin-password-1")
    security.accounts.add_user(admin, "dara", "482915", Role.HEALTH_WORKER)
    worker = security.accounts.login("dara", "482915")
    with pytest.raises(PermissionDenied):
        service.save_language(worker, language="vi")
    with pytest.raises(ValueError, match="'th'"):
        service.save_language(admin, language="th")  # not shipped: nothing written

    assert service.read(admin).values["ui_language"] == "auto"
    result = service.save_language(admin, language="vi")
    assert json.loads(result.settings_file.read_text())["ui_language"] == "vi"
    assert load_settings(env_for(data)).settings.ui_language == "vi"
    entries = [e for e in security.audit_log.entries() if e.action == "settings.language"]
    assert [e.outcome for e in entries] == ["denied", "success"]
    assert json.loads(entries[-1].details) == {"ui_language": "vi"}


def test_setup_saves_the_language_chosen_with_the_clinic(tmp_path: Path) -> None:
    data = tmp_path / "data"
    saved = save_clinic(
        settings_for(data),
        env_for(data),
        clinic_id="kh-pursat-02",
        clinic_name="Pursat",
        ui_language="id",
    )
    assert saved.loaded.settings.ui_language == "id"
    kept = save_clinic(saved.loaded, env_for(data), clinic_id="kh-pursat-02", clinic_name="P")
    assert kept.loaded.settings.ui_language == "id", "no choice given: the saved one stays"
