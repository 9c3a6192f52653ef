"""`medassist health` on real installations: a fresh folder, a set-up clinic, a missing model."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT, venv_script

pytestmark = pytest.mark.timeout(180)


def health(env: dict[str, str], *args: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [venv_script("medassist"), "health", "--json", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.fixture
def clinic_env(app_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    env = {
        **app_env,
        "PYTHON_KEYRING_BACKEND": "tests.support.keyrings.FileKeyring",
        "MEDASSIST_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
        "PYTHONPATH": str(REPO_ROOT),
    }
    return env


def checks_of(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = report["checks"]
    assert isinstance(found, list)
    return {c["name"]: c for c in found}


def test_before_setup_the_database_is_unhealthy_and_the_rest_is_checked(
    clinic_env: dict[str, str],
) -> None:
    code, report = health(clinic_env)
    assert code == 2 and report["status"] == "unhealthy"
    probes = report["probes"]
    assert isinstance(probes, dict) and set(probes) == {"liveness", "readiness", "startup"}
    assert probes["liveness"]["status"] == "healthy"
    ready = checks_of(probes["readiness"])
    assert set(ready) == {
        "database",
        "model",
        "embedding_model",
        "disk",
        "memory",
        "secrets",
        "capabilities",
        "sync",
    }
    assert ready["database"]["status"] == "unhealthy"
    assert "no database" in str(ready["database"]["reason"])
    assert ready["embedding_model"]["status"] == "healthy"
    assert ready["model"]["status"] == "healthy"


def test_a_set_up_clinic_is_healthy_and_a_missing_model_means_rules_only(
    clinic_env: dict[str, str], tmp_path: Path
) -> None:
    init = subprocess.run(
        [venv_script("medassist"), "init", "--admin", "admin"],
        env=clinic_env,
        input="Admin-password-1\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert init.returncode == 0, init.stderr

    code, ready = health(clinic_env, "--probe", "readiness")
    assert (code, ready["status"]) == (0, "healthy"), ready
    assert checks_of(ready)["database"]["details"]["encrypted"] is True
    code, startup = health(clinic_env, "--probe", "startup")
    assert code == 0 and checks_of(startup)["migrations"]["status"] == "healthy"

    missing = {**clinic_env, "MODEL_NAME": str(tmp_path / "medgemma-4b-it-Q4_K_M.gguf")}
    code, ready = health(missing, "--probe", "readiness")
    assert (code, ready["status"]) == (1, "degraded")
    model = checks_of(ready)["model"]
    assert model["status"] == "degraded" and str(model["reason"]).startswith("Rules only")
