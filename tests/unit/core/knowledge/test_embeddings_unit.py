"""The embedder without loading the model: where it looks, what it refuses, what it imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from medassist_desktop.config.settings import Settings
from medassist_desktop.core.knowledge.embeddings import (
    DEFAULT_EMBEDDING_MODEL,
    EmbeddingModelError,
    SentenceEmbedder,
    packaged_model_dir,
    resolve_model_dir,
)


def test_default_setting_is_the_packaged_model() -> None:
    assert Settings().embedding_model == DEFAULT_EMBEDDING_MODEL
    folder = resolve_model_dir(DEFAULT_EMBEDDING_MODEL)
    assert folder == packaged_model_dir()
    assert (folder / "model.safetensors").is_file() and (folder / "modules.json").is_file()
    assert SentenceEmbedder().model_id == DEFAULT_EMBEDDING_MODEL


def test_a_path_setting_is_resolved(tmp_path: Path) -> None:
    embedder = SentenceEmbedder(str(tmp_path / "multilingual"))
    assert embedder.model_id == str(tmp_path / "multilingual")
    assert SentenceEmbedder.from_settings(Settings(embedding_model=str(tmp_path))).model_id == str(
        tmp_path
    )


def test_a_folder_without_a_model_is_a_known_error(tmp_path: Path) -> None:
    embedder = SentenceEmbedder(str(tmp_path))
    with pytest.raises(EmbeddingModelError, match="No sentence-transformers model") as info:
        embedder.encode(["text"])
    assert str(tmp_path) in str(info.value)
    assert not embedder.is_loaded


def test_encode_refuses_a_bare_string() -> None:
    with pytest.raises(TypeError):
        SentenceEmbedder().encode("one string")  # type: ignore[arg-type]


def test_importing_the_module_does_not_import_torch() -> None:
    code = (
        "import sys, medassist_desktop.core.knowledge.embeddings, medassist_desktop.core.routing;"
        "import medassist_desktop.cli.route_cmd;"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers')"
        " if m in sys.modules];"
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
