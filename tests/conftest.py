"""Shared test setup: offscreen Qt, an isolated data folder per test, the shared fixtures.

Fixtures used by more than one folder live in plugin modules registered below, never
imported into a test module: an imported session fixture becomes a new fixture of that
module and is built again there (the GGUF re-verified, MiniLM loaded once per module).
"""

from __future__ import annotations

import inspect
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
# model: it is marked `slow`, and `make test-fast` leaves it out. A test that builds its
# own model (other settings than the shared one) says `pytest.mark.slow` itself.
MODEL_FIXTURES = frozenset({"embedded_gguf", "minilm_embedder"})
# A test or fixture that names one of these starts a server in another process
# (pouchdb-server under node, llama-server with a model): marked `servers`.
SERVER_CLASSES = frozenset({"PouchServer", "LlamaServer"})
# A test that uses one of these (itself, through a fixture or a helper of its module, under
# any name it was imported as) starts the `medassist` script or another program: marked
# `processes`. Each such process pays for an interpreter, the app's imports and the
# passphrase's Argon2 derivation (about a second), so `make test-fast` leaves them out.
PROCESS_STARTERS = frozenset(
    {"tests.support.cli.run_cli", "subprocess", "subprocess.run", "subprocess.Popen"}
)


def _qualified_name(value: object) -> str:
    if inspect.ismodule(value):
        return value.__name__
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"


def _names_used(item: pytest.Function) -> set[str]:
    """The global names the test, its fixtures and the module helpers they call refer to."""
    functions = [item.function]
    for definitions in item._fixtureinfo.name2fixturedefs.values():
        functions.extend(definition.func for definition in definitions)
    module_globals = vars(item.module) if item.module is not None else {}
    names: set[str] = set()
    seen: set[int] = set()
    while functions:
        function = inspect.unwrap(functions.pop())
        code = getattr(function, "__code__", None)
        if code is None or id(code) in seen:
            continue
        seen.add(id(code))
        codes = [code]
        while codes:  # nested functions and lambdas keep their code in co_consts
            current = codes.pop()
            names.update(current.co_names)
            codes.extend(const for const in current.co_consts if inspect.iscode(const))
        for name in code.co_names:
            helper = module_globals.get(name)
            if inspect.isfunction(helper) and helper.__module__ == item.module.__name__:
                functions.append(helper)
    return names


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need real models or server processes, from what they use."""
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        names = _names_used(item)
        if MODEL_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)
        if SERVER_CLASSES & names:
            item.add_marker(pytest.mark.servers)
        module_globals = vars(item.module) if item.module is not None else {}
        used = {_qualified_name(module_globals[name]) for name in names if name in module_globals}
        if PROCESS_STARTERS & used:
            item.add_marker(pytest.mark.processes)


def venv_script(name: str) -> str:
    """A console script installed beside the running interpreter (the venv's bin/)."""
    script = Path(sys.executable).with_name(name)
    assert script.exists(), f"{name} is not installed in this environment"
    return str(script)


def app_environment(data_dir: Path) -> dict[str, str]:
    """A process environment with all app data under `data_dir` and no stray settings."""
    from medassist_desktop.config.settings import SETTING_ENV_VARS

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTING_ENV_VARS.values()
        and not k.startswith("MEDASSIST_")
        and k not in ("CLINIC_ID", "REGION")
    }
    env["MEDASSIST_DATA_DIR"] = str(data_dir)
    env["MEDASSIST_ENV"] = "development"
    return env


@pytest.fixture
def app_env(tmp_path: Path) -> dict[str, str]:
    """`app_environment` under this test's own folder."""
    return app_environment(tmp_path / "data")


@pytest.fixture
def cli_env(
    app_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """`app_env` for the `medassist` script, with a file keyring under tmp that this test
    process reads too (to check what the CLI stored)."""
    from tests.support.cli import with_file_keyring

    with_file_keyring(app_env, tmp_path)
    monkeypatch.setenv("MEDASSIST_TEST_KEYRING_FILE", app_env["MEDASSIST_TEST_KEYRING_FILE"])
    return app_env


@pytest.fixture(scope="session")
def qapp(qapp: Any) -> Iterator[Any]:
    """pytest-qt's application in English, its translators installed as the app installs
    them (the English plural forms of the count messages, the locale, Noto Sans)."""
    from medassist_desktop.ui.translations import apply_language

    installed = apply_language(qapp, "en")  # held here: Python must not collect it
    yield qapp
    installed.remove()
