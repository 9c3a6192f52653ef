"""llama.cpp's library loads before numpy, whichever is imported first, and a model loads.

A CUDA build of llama-cpp-python crashes in `llama_model_load_from_file` when numpy
was imported before llama.cpp's library. Each case runs in a fresh interpreter,
because the import order is decided once per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.inference_support import TEST_CONTEXT, seed_embedded_model

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]

LOAD_AND_GENERATE = """
from medassist_desktop.config import load_settings
from medassist_desktop.core.inference.engine import LlamaEngine
from medassist_desktop.core.inference.interface import ChatMessage, GenerationParams
from medassist_desktop.core.inference.loading import prepare_load
from medassist_desktop.core.inference.native_order import STATE

loaded = load_settings(dict(os.environ))
engine = LlamaEngine()
info = engine.load(prepare_load(loaded.settings, loaded.paths))
result = engine.generate(
    [ChatMessage("user", "Name one danger sign of dehydration.")],
    GenerationParams(max_tokens=4, temperature=0.0),
)
engine.close()
print(json.dumps({
    "tokens": result.tokens,
    "device": info.device,
    "n_gpu_layers": info.n_gpu_layers,
    "library": STATE.library,
    "numpy_came_first": STATE.numpy_came_first,
}))
"""


def run_python(code: str, env: dict[str, str]) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture
def model_env(tmp_path: Path, embedded_gguf: Path) -> dict[str, str]:
    seed_embedded_model(tmp_path, embedded_gguf)
    return {
        "MEDASSIST_DATA_DIR": str(tmp_path),
        "MEDASSIST_ENV": "development",
        "MODEL_CONTEXT_TOKENS": str(TEST_CONTEXT),
        "MODEL_THREADS": "1",
    }


@pytest.mark.parametrize("entry_point", ["medassist_desktop.cli", "medassist_desktop.app"])
def test_entry_points_load_llama_cpp_before_numpy(entry_point: str) -> None:
    code = f"""
        import json, os, sys
        os.environ.pop("OMP_WAIT_POLICY")
        import {entry_point}
        before = "numpy" in sys.modules
        import numpy
        from medassist_desktop.core.inference.native_order import STATE
        maps = open("/proc/self/maps").read() if sys.platform.startswith("linux") else ""
        print(json.dumps({{
            "numpy_before_guard": STATE.numpy_came_first,
            "library": STATE.library,
            "mapped": "libllama" in maps,
            "package_imported": "llama_cpp" in sys.modules,
            "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        }}))
    """
    result = run_python(code, {"OMP_WAIT_POLICY": ""})
    assert result["numpy_before_guard"] is False
    assert result["library"] and str(result["library"]).endswith(("libllama.so", "libllama.dylib"))
    if sys.platform.startswith("linux"):
        assert result["mapped"] is True
    assert result["package_imported"] is False  # only the native library: cheap
    assert result["omp_wait_policy"] == "PASSIVE"  # set before llama.cpp's OpenMP loads


def test_model_loads_and_generates_when_the_entry_point_came_first(
    model_env: dict[str, str],
) -> None:
    code = "import json, os\nimport medassist_desktop.cli\nimport numpy\n" + LOAD_AND_GENERATE
    result = run_python(code, model_env)
    assert result["library"] and result["numpy_came_first"] is False
    assert result["tokens"] == 4
    assert result["device"] == "cpu" and result["n_gpu_layers"] == 0


def test_model_loads_when_numpy_was_imported_first(model_env: dict[str, str]) -> None:
    """The case the guard cannot fix is still recorded (and logged) and works on the CPU."""
    code = "import json, os\nimport numpy\n" + LOAD_AND_GENERATE
    result = run_python(code, model_env)
    assert result["numpy_came_first"] is True and result["library"] is None
    assert result["tokens"] == 4 and result["device"] == "cpu"
