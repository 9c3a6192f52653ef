"""Importing model files: the real GGUF is accepted, damaged or foreign files are refused.

Each refusal must leave nothing behind: no registry entry, no file in the models
folder (not even a temporary one).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from medassist_desktop.config.paths import AppPaths
from medassist_desktop.core.inference.errors import ModelFileError, OperationCancelledError
from medassist_desktop.core.inference.models import ModelStore, load_manifest

pytestmark = pytest.mark.slow
SHA256 = load_manifest().get("gemma3-270m-q4_k_m").sha256  # type: ignore[union-attr]


@pytest.fixture
def store(tmp_path: Path) -> ModelStore:
    return ModelStore(AppPaths.resolve({"MEDASSIST_DATA_DIR": str(tmp_path / "data")}))


def assert_nothing_registered(store: ModelStore) -> None:
    assert store.registry.load() == []
    models_dir = store.paths.models_dir
    assert not models_dir.exists() or not any(models_dir.iterdir())


def damaged_copy(source: Path, target: Path, *, offset: int | None = None, size: int = 0) -> Path:
    """A copy with bytes flipped at `offset`, or cut to `size` bytes."""
    with source.open("rb") as src, target.open("wb") as out:
        if size:
            out.write(src.read(size))
            return target
        shutil.copyfileobj(src, out)
    assert offset is not None
    with target.open("r+b") as out:
        out.seek(offset)
        chunk = bytearray(out.read(64))
        out.seek(offset)
        out.write(bytes(b ^ 0xFF for b in chunk))
    return target


def test_the_real_model_is_imported_and_recognised(
    store: ModelStore, embedded_gguf: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "usb" / "gemma-3-270m-q4_k_m.gguf"
    usb.parent.mkdir()
    shutil.copyfile(embedded_gguf, usb)
    seen: list[tuple[int, int]] = []
    model = store.import_file(usb, on_progress=lambda done, total: seen.append((done, total)))
    assert model.name == "gemma3-270m-q4_k_m" and model.manifest_name == model.name
    assert model.sha256 == SHA256 and model.sha256_source == "manifest"
    assert model.gguf["architecture"] == "gemma3" and model.gguf["quantization"] == "Q4_K_M"
    assert model.gguf["context_length"] == 32768
    assert seen[-1] == (usb.stat().st_size, usb.stat().st_size) and len(seen) > 5
    assert store.registry.find(model.name) == model
    files = sorted(p.name for p in store.paths.models_dir.iterdir())
    assert files == ["gemma-3-270m-q4_k_m.gguf", "registry.json"]
    resolved = store.resolve(model.name)
    assert resolved.kind == "imported" and resolved.path.stat().st_size == model.size_bytes
    assert [r.ok for r in store.verify()] == [True]


def test_an_unknown_gguf_is_registered_with_its_recorded_checksum(
    store: ModelStore, embedded_gguf: Path, tmp_path: Path
) -> None:
    # Same bytes, different file name and a size the manifest cannot match: it is
    # the embedded model's checksum, so it is still recognised.
    renamed = tmp_path / "My Clinic Model.gguf"
    shutil.copyfile(embedded_gguf, renamed)
    assert store.import_file(renamed).name == "gemma3-270m-q4_k_m"


def test_verify_finds_a_file_damaged_after_import(store: ModelStore, embedded_gguf: Path) -> None:
    model = store.import_file(embedded_gguf)
    stored = store.registry.file_of(model)
    damaged_copy(embedded_gguf, stored, offset=stored.stat().st_size // 2)
    [result] = store.verify([model.name])
    assert not result.ok and "checksum mismatch" in result.message


@pytest.mark.parametrize(
    "case",
    [
        ("truncated.gguf", {"size": 100_000_000}, "not within the file bounds"),
        ("header-flipped.gguf", {"offset": 600}, "damaged or not a language model"),
        # Flipped weights keep the metadata valid; the size gives the file away as
        # the known model, and its checksum does not match.
        ("copy-of-gemma.gguf", {"offset": 150_000_000}, "checksum mismatch"),
        ("gemma-3-270m-q4_k_m.gguf", {"offset": 150_000_000}, "checksum mismatch"),
    ],
)
def test_damaged_copies_are_refused(
    store: ModelStore, embedded_gguf: Path, tmp_path: Path, case: tuple[str, dict[str, int], str]
) -> None:
    name, damage, expected = case
    bad = damaged_copy(embedded_gguf, tmp_path / name, **damage)
    with pytest.raises(ModelFileError, match=expected):
        store.import_file(bad)
    assert_nothing_registered(store)


def test_a_text_file_renamed_gguf_is_refused_at_once(store: ModelStore, tmp_path: Path) -> None:
    fake = tmp_path / "medgemma-4b-it-Q4_K_M.gguf"
    fake.write_text("Download failed: 403 Forbidden\n" * 1000)
    with pytest.raises(ModelFileError, match="not a GGUF model file"):
        store.import_file(fake)
    assert_nothing_registered(store)


def test_a_cancelled_import_leaves_nothing(store: ModelStore, embedded_gguf: Path) -> None:
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done > total // 3:
            cancel.set()

    with pytest.raises(OperationCancelledError):
        store.import_file(embedded_gguf, on_progress=progress, cancel=cancel)
    assert_nothing_registered(store)
