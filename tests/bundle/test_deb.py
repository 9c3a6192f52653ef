"""The Linux .deb: built from the bundle, installed into a fresh root, self-tested, removed.

First, dpkg installs into an empty root of its own (`--root`, with a new package
database), so the test never changes this machine's packages. The app then runs its full
self-test from the installed path, and removing the package must leave the user's data
folder exactly as it was. Without root (or dpkg), the package is unpacked with dpkg-deb
instead.

That run still uses this machine's C library and system libraries. The second test
therefore installs the package into a clean Debian root (tools/debian_root.py: the
minbase packages plus the .deb's own Depends, as apt would install them) and runs the
self-test inside it with chroot, in a network namespace with no network: what the
package needs and does not declare, or fetches from a network, fails there.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bundle.conftest import (
    BUILD_TIMEOUT_S,
    FULL_SELF_TEST_STEPS,
    FULL_SELF_TEST_TIMEOUT_S,
    run_full_self_test,
)
from tests.conftest import REPO_ROOT
from tests.support.debian import HOME, in_root, tool

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


@pytest.fixture(scope="module")
def deb(built_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .deb of the session's bundle, built once for the tests of this module."""
    build = subprocess.run(
        [
            tool("bash"),
            str(REPO_ROOT / "installer" / "linux" / "build_deb.sh"),
            str(built_bundle),
            str(tmp_path_factory.mktemp("deb")),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "DEB_COMPRESSION": "gzip"},  # the release's xz takes minutes more
    )
    assert build.returncode == 0, build.stderr[-4000:]
    package = Path(build.stdout.strip().splitlines()[-1])
    assert package.is_file() and package.suffix == ".deb"
    return package


def test_the_deb_installs_runs_the_full_self_test_and_uninstalls_keeping_the_data(
    deb: Path, app_env: dict[str, str], tmp_path: Path
) -> None:
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
    # The C library it asks for: the app cannot load on an older one.
    depends = subprocess.run(
        [tool("dpkg-deb"), "--field", str(deb), "Depends"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    declared = re.search(r"libc6 \(>= ([\d.]+)\)", depends)
    assert declared is not None, depends
    _, glibc = linked(root / "opt" / PACKAGE)
    assert declared.group(1) == ".".join(map(str, max(glibc)))
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


# Qt's parts for other display systems than X11 (Wayland, KMS, the framebuffer) and its
# GTK theme: Qt tries them only where that system runs, which then has their libraries,
# and falls back to X11 (xcb) when one does not load.
OPTIONAL_QT_PARTS = re.compile(r"[Ww]ayland|libQt6Wl|EglFs|egldeviceintegrations|libqlinuxfb|qgtk3")


def linked(app: Path) -> tuple[dict[str, str], set[tuple[int, ...]]]:
    """What the app's programs and libraries ask of the system, from their ELF headers.

    The shared libraries they link and the app does not carry (soname -> a file that
    needs it), and the GLIBC symbol versions they ask for.
    """
    carried = {path.name for path in app.rglob("*.so*")}
    needed: dict[str, str] = {}
    glibc: set[tuple[int, ...]] = set()
    for path in sorted(app.rglob("*")):
        name = str(path.relative_to(app))
        if path.is_symlink() or not path.is_file() or OPTIONAL_QT_PARTS.search(name):
            continue
        if ".so" not in path.name and path.name != PACKAGE:
            continue
        headers = subprocess.run(
            [tool("readelf"), "--dynamic", "--version-info", str(path)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        for soname in re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", headers):
            if soname not in carried:
                needed.setdefault(soname, name)
        glibc |= {tuple(map(int, v.split("."))) for v in re.findall(r"GLIBC_(\d+\.\d+)", headers)}
    return needed, glibc


def mounts_under(folder: Path) -> list[str]:
    inside = str(folder.resolve())
    return [
        line.split()[1]
        for line in Path("/proc/self/mounts").read_text().splitlines()
        if line.split()[1].startswith(inside)
    ]


@pytest.fixture
def clean_root(deb: Path, tmp_path: Path) -> Iterator[Path]:
    """A minimal Debian root with the .deb's declared Depends and nothing more.

    Removed afterwards: it holds a system and the installed app, over 2 GB.
    """
    needs = ("chroot", "unshare", "dpkg-query")
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        pytest.skip("a clean Debian root needs root (file owners, device nodes, chroot)")
    if missing := [name for name in needs if shutil.which(name) is None]:
        pytest.skip(f"a clean Debian root needs {', '.join(missing)}")
    root = tmp_path / "debian"
    made = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "tools" / "debian_root.py"),
            str(root),
            "--depends-of",
            str(deb),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if "is not installed on this machine" in made.stderr:  # the package files come from here
        pytest.skip(f"the clean root is made from this machine's packages: {made.stderr}")
    assert made.returncode == 0, made.stdout + made.stderr
    print(made.stdout.strip())
    try:
        yield root
    finally:
        shutil.rmtree(root)


def test_a_clean_debian_root_with_only_the_deb_runs_the_full_self_test_offline(
    deb: Path, clean_root: Path
) -> None:
    # dpkg itself checks the declared Depends: no --force-depends here.
    shutil.copy2(deb, clean_root / HOME / deb.name)
    installed = in_root(clean_root, "dpkg", "--install", f"/{HOME}/{deb.name}")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    (clean_root / HOME / deb.name).unlink()
    # Every system library the app links (its X11 window too, which the offscreen
    # self-test does not open) is in the root, from a package the .deb declares.
    cache = in_root(clean_root, "ldconfig", "--print-cache")
    assert cache.returncode == 0, cache.stderr
    in_the_root = set(re.findall(r"^\s+(\S+) \(", cache.stdout, re.MULTILINE))
    needed, _ = linked(clean_root / "opt" / PACKAGE)
    assert {"libc.so.6", "libGL.so.1"} <= needed.keys()
    missing = {soname: user for soname, user in needed.items() if soname not in in_the_root}
    assert not missing, f"system libraries the .deb does not depend on: {missing}"

    # The user's data of an earlier use, in the default folders of the root's user.
    data = clean_root / HOME / ".local" / "share" / "MedAssist"
    config = clean_root / HOME / ".config" / "MedAssist"
    data.mkdir(parents=True)
    config.mkdir(parents=True)
    (data / "medassist.db").write_bytes(os.urandom(4096))
    (config / "config.json").write_text('{"model_max_tokens": 300}')
    database = fingerprint(data)["medassist.db"]

    # A new network namespace has no network at all; its private mount namespace holds
    # the root's /proc (psutil and llama.cpp read it) and takes it away when it ends.
    isolated = [tool("unshare"), "--net", "--mount", "--pid", "--fork"]
    isolated.append(f"--mount-proc={clean_root / 'proc'}")
    launch = ["env", "-i", f"HOME=/{HOME}", "PATH=/usr/bin:/bin", PACKAGE, "--self-test", "--full"]
    result = subprocess.run(
        [*isolated, tool("chroot"), str(clean_root), *launch],
        capture_output=True,
        text=True,
        timeout=FULL_SELF_TEST_TIMEOUT_S,
        check=False,
    )
    assert not mounts_under(clean_root), "a mount was left behind in the clean root"
    print(*(line for line in result.stderr.splitlines() if line.startswith("self-test:")), sep="\n")
    assert result.returncode == 0, result.stdout + result.stderr[-6000:]
    passed = set(re.findall(r"^self-test: (\w+) +ok ", result.stderr, re.MULTILINE))
    assert passed >= set(FULL_SELF_TEST_STEPS), result.stderr
    assert "FAIL" not in result.stderr and "self-test: OK" in result.stderr
    assert "8 tokens from gemma3-270m-q4_k_m" in result.stderr
    # What a missing or undeclared system package shows before anything fails.
    assert "not UTF-8" not in result.stderr, "the launcher leaves Qt without a UTF-8 locale"
    assert "Fontconfig error" not in result.stderr, "fontconfig's configuration is missing"

    used = fingerprint(data)
    assert used["medassist.db"] == database
    assert '"model_max_tokens": 300' in (config / "config.json").read_text()
    removed = in_root(clean_root, "dpkg", "--remove", PACKAGE)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not (clean_root / "opt" / PACKAGE).exists()
    assert not (clean_root / "usr" / "bin" / PACKAGE).exists()
    assert fingerprint(data) == used, "removing the package changed the user's data"
