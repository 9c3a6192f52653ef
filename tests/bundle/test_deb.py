"""The Linux .deb: built from the bundle, installed into a fresh root, self-tested, removed.

dpkg installs into an empty root of its own (`--root`, with a new package database), so
the test never changes this machine's packages. The app then runs its full self-test
from the installed path, and removing the package must leave the user's data folder
exactly as it was. Without root (or dpkg), the package is unpacked with dpkg-deb instead.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.bundle.conftest import BUILD_TIMEOUT_S, run_full_self_test
from tests.conftest import REPO_ROOT

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.timeout(BUILD_TIMEOUT_S + 900),
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb (Debian)"),
]
PACKAGE = "medassist-desktop"


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found is not None, f"{name} is not installed"
    return found


def dpkg(root: Path, *args: str) -> None:
    result = subprocess.run(
        [tool("dpkg"), f"--root={root}", "--force-depends", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def fresh_root(root: Path) -> Path:
    """An empty root with an empty dpkg database."""
    admin = root / "var" / "lib" / "dpkg"
    for folder in ("info", "updates", "triggers"):
        (admin / folder).mkdir(parents=True)
    (admin / "status").touch()
    (admin / "available").touch()
    return root


def test_the_deb_installs_runs_the_full_self_test_and_uninstalls_keeping_the_data(
    built_bundle: Path, app_env: dict[str, str], tmp_path: Path
) -> None:
    build = subprocess.run(
        [
            tool("bash"),
            str(REPO_ROOT / "installer" / "linux" / "build_deb.sh"),
            str(built_bundle),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "DEB_COMPRESSION": "gzip"},  # the release's xz takes minutes more
    )
    assert build.returncode == 0, build.stderr[-4000:]
    deb = Path(build.stdout.strip().splitlines()[-1])
    assert deb.is_file() and deb.suffix == ".deb"

    listing = subprocess.run(
        [tool("dpkg-deb"), "--contents", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    for path in (
        f"./opt/{PACKAGE}/{PACKAGE}",
        f"./usr/bin/{PACKAGE}",
        f"./usr/share/applications/{PACKAGE}.desktop",
        "./usr/share/icons/hicolor/256x256/apps/medassist.png",
    ):
        assert path in listing, f"{path} is not in the package"

    # The user's data of an earlier use: it must survive install, use and removal.
    data = Path(app_env["MEDASSIST_DATA_DIR"])
    (data / "config").mkdir(parents=True)
    (data / "medassist.db").write_bytes(os.urandom(4096))
    (data / "config" / "config.json").write_text('{"model_max_tokens": 300}')
    database = fingerprint(data)["medassist.db"]

    root = fresh_root(tmp_path / "root")
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("dpkg") is not None
    if as_root:
        dpkg(root, "--install", str(deb))
    else:  # no package database to write: unpack as dpkg would
        subprocess.run([tool("dpkg-deb"), "--extract", str(deb), str(root)], check=True)
    desktop = (root / "usr" / "share" / "applications" / f"{PACKAGE}.desktop").read_text()
    assert "MedicalSoftware" in desktop and "Icon=medassist" in desktop
    launcher = (root / "usr" / "bin" / PACKAGE).read_text()
    assert f"/opt/{PACKAGE}/{PACKAGE}" in launcher

    result = run_full_self_test(root / "opt" / PACKAGE / PACKAGE, app_env, tmp_path)
    assert result.returncode == 0, result.stderr[-6000:]
    assert "self-test: OK" in result.stderr

    used = fingerprint(data)  # the app itself may upgrade its settings file when it starts
    assert used["medassist.db"] == database
    assert '"model_max_tokens": 300' in (data / "config" / "config.json").read_text()
    if as_root:
        dpkg(root, "--remove", PACKAGE)
        assert not (root / "opt" / PACKAGE).exists()
        assert not (root / "usr" / "bin" / PACKAGE).exists()
    assert fingerprint(data) == used, "removing the package changed the user's data"
