"""Shared set-up for the tests that run the real Gemma 3 270M GGUF.

The embedded model is assembled once per test session into a folder under
pytest's session temp dir; each test's data folder gets a hard link to it (or a
copy across file systems), so nothing is assembled twice. This module is a pytest
plugin (registered in tests/conftest.py): ask for its fixtures by name, never import
them, or each importing module builds and verifies the model again.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from medassist_desktop.config import LoadedSettings, load_settings
from medassist_desktop.core.inference.model_files import ensure_embedded_model
from medassist_desktop.core.inference.models import ModelStore

EMBEDDED_FILE = "gemma-3-270m-q4_k_m.gguf"
TEST_CONTEXT = 512


def assembled_model(base: Path) -> Path:
    store = ModelStore(load_settings({"MEDASSIST_DATA_DIR": str(base)}).paths)
    entry = store.embedded_entry()
    assert entry.sha256
    return ensure_embedded_model(
        base / "cache",
        module_name=entry.source["module"],
        file_name=entry.file_name,
        sha256=entry.sha256,
    )


def seed_embedded_model(data_dir: Path, source: Path) -> Path:
    """Put the assembled model where a data folder's cache expects it."""
    target = data_dir / "cache" / "models" / EMBEDDED_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    return target


@pytest.fixture(scope="session")
def embedded_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real model file, assembled and sha256-checked once per session."""
    return assembled_model(tmp_path_factory.getbasetemp() / "embedded-model")


@pytest.fixture(scope="module")
def model_settings(embedded_gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> LoadedSettings:
    """Settings of a module-wide data folder that already holds the embedded model.

    The context is the smallest allowed (512 tokens) so the overflow tests evaluate
    short prompts: a 4,096-token prompt takes nearly a minute on the shared 2-core CI.
    """
    data_dir = tmp_path_factory.mktemp("model-data")
    seed_embedded_model(data_dir, embedded_gguf)
    return load_settings(
        {
            "MEDASSIST_DATA_DIR": str(data_dir),
            "MEDASSIST_ENV": "development",
            "MODEL_CONTEXT_TOKENS": str(TEST_CONTEXT),
        }
    )


@pytest.fixture
def model_env(app_env: dict[str, str], embedded_gguf: Path) -> dict[str, str]:
    """`app_env` whose data folder already holds the embedded model (for CLI runs)."""
    seed_embedded_model(Path(app_env["MEDASSIST_DATA_DIR"]), embedded_gguf)
    return app_env
