"""The install step refuses a CUDA build of torch, judged from its metadata alone.

torch cannot be imported at that point (its dependencies come later, from the lock
file), so the check reads the installed distribution: here a planted `torch` dist-info
on the path, as pip would leave it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO_ROOT


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "install_torch_cpu", REPO_ROOT / "tools" / "install_torch_cpu.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plant_torch(site: Path, version: str, requires: list[str]) -> None:
    info = site / f"torch-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", "Name: torch", f"Version: {version}"]
    lines += [f"Requires-Dist: {requirement}" for requirement in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("version", "requires", "cuda"),
    [
        ("2.13.0+cpu", ["filelock", "sympy>=1.13.3"], False),
        ("2.13.0", ["filelock", "sympy>=1.13.3"], False),  # macOS and Windows on PyPI
        ("2.13.0+cu126", ["filelock"], True),
        ("2.13.0", ["filelock", 'nvidia-cublas-cu12==12.6.4.1; platform_system == "Linux"'], True),
    ],
)
def test_a_cuda_build_is_told_from_its_metadata(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    version: str,
    requires: list[str],
    cuda: bool,
) -> None:
    _plant_torch(tmp_path, version, requires)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))  # found before the installed torch
    assert _tool().is_cuda_build() is cuda
