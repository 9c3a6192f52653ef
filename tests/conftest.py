"""Shared test setup: offscreen Qt, an isolated data folder per test, the shared fixtures.

Fixtures used by more than one folder live in plugin modules registered below, never
imported into a test module: an imported session fixture becomes a new fixture of that
module and is built again there (the GGUF re-verified, MiniLM loaded once per module).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO_ROOT = Path(__file__).resolve().parent.parent

# The real model files (GGUF, MiniLM, starter-library embeddings), built once per session.
pytest_plugins = ["tests.inference_support", "tests.support.consult"]

# A test that asks for one of these (directly or through another fixture) loads a real
# model: it is marked `slow`, and `make test-fast` leaves it out.
MODEL_FIXTURES = frozenset({"embedded_gguf", "minilm_embedder"})
# A test or fixture that names one of these starts a server in another process
# (pouchdb-server under node, llama-server with a model): marked `servers`.
SERVER_CLASSES = frozenset({"PouchServer", "LlamaServer"})


def _names_used(item: pytest.Function) -> set[str]:
    """The global names the test function and every fixture it uses refer to."""
    functions = [item.function]
    for definitions in item._fixtureinfo.name2fixturedefs.values():
        functions.extend(definition.func for definition in definitions)
    return {name for function in functions for name in function.__code__.co_names}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need real models or server processes, from what they use."""
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        if MODEL_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)
        if SERVER_CLASSES & _names_used(item):
            item.add_marker(pytest.mark.servers)


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


@pytest.fixture(scope="session")
def qapp(qapp: Any) -> Iterator[Any]:
    """pytest-qt's application with the English plural forms, as the app installs them."""
    from medassist_desktop.ui.english_plurals import install_english_plurals

    translator = install_english_plurals(qapp)  # held here: Python must not collect it
    yield qapp
    del translator
