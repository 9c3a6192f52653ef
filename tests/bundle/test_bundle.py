"""The PyInstaller bundle builds and its self-test passes, headless."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, venv_script

# Above the build's own 1,200 s and the self-test's 120 s (the suite's default is 600 s).
pytestmark = [pytest.mark.bundle, pytest.mark.timeout(1500)]


def test_bundle_builds_and_self_tests(tmp_path: Path, app_env: dict[str, str]) -> None:
    dist, work = tmp_path / "dist", tmp_path / "build"
    build = subprocess.run(
        [
            venv_script("pyinstaller"),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(REPO_ROOT / "build.spec"),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    executable = dist / "medassist-desktop" / "medassist-desktop"
    assert executable.is_file()

    app_env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [str(executable), "--self-test"],
        env=app_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,  # not the source tree: the bundle must carry its own resources
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test: OK" in result.stderr
