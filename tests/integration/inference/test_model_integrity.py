"""Model integrity on real GGUF copies: unverified names, the sha256 checked at every load
(cached by inode, size and times), and the loaded file's sha256 in what the engine reports.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from medassist_desktop.config import load_settings
from medassist_desktop.config.paths import AppPaths
from medassist_desktop.core.inference.engine import LlamaEngine
from medassist_desktop.core.inference.errors import ModelFileError
from medassist_desktop.core.inference.loading import prepare_load
from medassist_desktop.core.inference.model_files import sha256_file
from medassist_desktop.core.inference.models import ModelStore, load_manifest
from tests.inference_support import TEST_CONTEXT, seed_embedded_model

pytestmark = pytest.mark.slow
EMBEDDED_SHA256 = load_manifest().get("gemma3-270m-q4_k_m").sha256  # type: ignore[union-attr]


def store_in(data_dir: Path) -> ModelStore:
    return ModelStore(AppPaths.resolve({"MEDASSIST_DATA_DIR": str(data_dir)}))


def flip_bytes(path: Path, offset: int) -> None:
    """Change 64 bytes of tensor data in place: same size, valid GGUF metadata."""
    with path.open("r+b") as handle:
        handle.seek(offset)
        chunk = handle.read(64)
        handle.seek(offset)
        handle.write(bytes(b ^ 0xFF for b in chunk))


def gemma_named_like_medgemma(embedded: Path, folder: Path) -> Path:
    """A real gemma3 GGUF that is not the embedded model, under MedGemma's file name."""
    folder.mkdir(parents=True, exist_ok=True)
    fake = folder / "medgemma-4b-it-Q4_K_M.gguf"
    shutil.copyfile(embedded, fake)
    flip_bytes(fake, 150_000_000)
    return fake


def test_a_file_named_like_medgemma_is_registered_unverified(
    embedded_gguf: Path, tmp_path: Path
) -> None:
    store = store_in(tmp_path / "data")
    model = store.import_file(gemma_named_like_medgemma(embedded_gguf, tmp_path / "usb"))
    assert model.name == "unverified-medgemma-4b-it-q4_k_m"
    assert model.manifest_name is None and model.sha256_source == "recorded"
    rows = {row["name"]: row for row in store.list_models("gemma3-270m-q4_k_m")}
    assert not rows["medgemma-4b-it-q4_k_m"]["present"]
    assert rows[model.name]["kind"] == "imported"
    assert all(not m.name.startswith("medgemma") for m in store.registry.load())


def test_a_file_replaced_after_import_is_refused_at_load(
    embedded_gguf: Path, tmp_path: Path
) -> None:
    store = store_in(tmp_path / "data")
    model = store.import_file(gemma_named_like_medgemma(embedded_gguf, tmp_path / "usb"))
    assert store.resolve(model.name).sha256 == model.sha256
    stored = store.registry.file_of(model)
    before = stored.stat()
    flip_bytes(stored, 100_000_000)
    # Setting the modification time back does not hide the change (the change time moves).
    os.utime(stored, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert stored.stat().st_size == model.size_bytes
    with pytest.raises(ModelFileError, match="checksum mismatch"):
        store_in(tmp_path / "data").resolve(model.name)


def test_the_checksum_is_remembered_until_the_file_changes(
    embedded_gguf: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    model = store_in(data).import_file(gemma_named_like_medgemma(embedded_gguf, tmp_path / "usb"))
    first = store_in(data)
    assert first.resolve(model.name).sha256 == model.sha256 and first.hashes.hashed == 1
    again = store_in(data)  # a new start: the digest comes from the cache file
    assert again.resolve(model.name).sha256 == model.sha256 and again.hashes.hashed == 0
    stored = again.registry.file_of(model)
    os.utime(stored, ns=(stored.stat().st_atime_ns, stored.stat().st_mtime_ns + 10**9))
    assert again.resolve(model.name).sha256 == model.sha256 and again.hashes.hashed == 1


def test_a_damaged_embedded_copy_is_assembled_again(embedded_gguf: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    cached = data / "cache" / "models" / embedded_gguf.name
    cached.parent.mkdir(parents=True)
    shutil.copyfile(embedded_gguf, cached)
    flip_bytes(cached, 120_000_000)
    resolved = store_in(data).resolve("gemma3-270m-q4_k_m")
    assert resolved.sha256 == EMBEDDED_SHA256 == sha256_file(resolved.path)


def test_the_engine_reports_the_sha256_of_the_file_it_loaded(
    embedded_gguf: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    seed_embedded_model(data, embedded_gguf)
    loose = gemma_named_like_medgemma(embedded_gguf, tmp_path / "loose")
    settings = load_settings(
        {
            "MEDASSIST_DATA_DIR": str(data),
            "MEDASSIST_ENV": "development",
            "MODEL_CONTEXT_TOKENS": str(TEST_CONTEXT),
        }
    )
    engine = LlamaEngine()
    try:
        info = engine.load(prepare_load(settings.settings, settings.paths, model_name=str(loose)))
    finally:
        engine.close()
    assert info.sha256 == sha256_file(loose) != EMBEDDED_SHA256
