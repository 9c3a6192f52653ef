"""The PyInstaller bundle, built once per test session for every test under tests/bundle."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, venv_script

# A build takes minutes on two cores: each test under tests/bundle waits up to this long.
BUILD_TIMEOUT_S = 1800
# A bundle already built from this tree (`make bundle`: dist/medassist-desktop), to test
# it without building it again.
PREBUILT_VAR = "MEDASSIST_TEST_BUNDLE"
FULL_SELF_TEST_TIMEOUT_S = 300
# The steps `--self-test --full` must report, each with its time.
FULL_SELF_TEST_STEPS = (
    "triage",
    "languages",
    "argon2",
    "keyring",
    "database",
    "knowledge",
    "model",
)


@pytest.fixture(scope="session")
def built_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/medassist-desktop of a fresh build of build.spec (in a temporary folder)."""
    if prebuilt := os.environ.get(PREBUILT_VAR):
        return Path(prebuilt)
    root = tmp_path_factory.mktemp("bundle")
    dist, work = root / "dist", root / "build"
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
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    bundle = dist / "medassist-desktop"
    assert (bundle / "medassist-desktop").is_file()
    return bundle


def run_full_self_test(
    executable: Path, env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """`--self-test --full` as a packager runs it: no virtualenv, no source tree, offline."""
    env = {k: v for k, v in env.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(QT_QPA_PLATFORM="offscreen", HF_HUB_OFFLINE="1")
    path = [p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p]
    env["PATH"] = os.pathsep.join(path)
    return subprocess.run(
        [str(executable), "--self-test", "--full"],
        env=env,
        capture_output=True,
        text=True,
        timeout=FULL_SELF_TEST_TIMEOUT_S,
        check=False,
        cwd=cwd,  # not the source tree: the bundle must carry its own resources
    )
