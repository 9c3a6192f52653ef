"""Shared test setup: offscreen Qt, an isolated data folder per test, the shared fixtures.

Fixtures used by more than one folder live in plugin modules registered below, never
imported into a test module: an imported session fixture becomes a new fixture of that
module and is built again there (the GGUF re-verified, MiniLM loaded once per module).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO_ROOT = Path(__file__).resolve().parent.parent

# The real model files (GGUF, MiniLM, starter-library embeddings), built once per session.
pytest_plugins = ["tests.inference_support", "tests.support.consult"]


def venv_script(name: str) -> str:
    """A console script installed beside the running interpreter (the venv's bin/)."""
    script = Path(sys.executable).with_name(name)
    assert script.exists(), f"{name} is not installed in this environment"
    return str(script)


@pytest.fixture
def app_env(tmp_path: Path) -> dict[str, str]:
    """A process environment with all app data under a fresh folder and no stray settings."""
    from medassist_desktop.config.settings import SETTING_ENV_VARS

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTING_ENV_VARS.values()
        and not k.startswith("MEDASSIST_")
        and k not in ("CLINIC_ID", "REGION")
    }
    env["MEDASSIST_DATA_DIR"] = str(tmp_path / "data")
    env["MEDASSIST_ENV"] = "development"
    return env
