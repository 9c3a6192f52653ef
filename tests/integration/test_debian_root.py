"""tools/debian_root.py: a minimal Debian root from this machine's installed packages.

The root stands in for a clean Debian system when the .deb is tested, so what it must
get right is checked here on a small package: dpkg inside the root knows exactly the
root's packages (its files match their checksums, and a Depends outside the minimal set
stops `dpkg -i`), and the programs that maintainer scripts would have set up (the shell,
alternatives, the dynamic linker's cache) work in it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.support.debian import in_root, tool

pytestmark = [
    pytest.mark.skipif(
        not (hasattr(os, "geteuid") and os.geteuid() == 0), reason="needs root (chroot, owners)"
    ),
    pytest.mark.skipif(
        any(shutil.which(name) is None for name in ("chroot", "dpkg-query", "dpkg-deb")),
        reason="needs a Debian system (dpkg) and chroot",
    ),
]
# A library outside minbase that this machine has (the app's GUI needs it too).
OUTSIDE_MINBASE = "libxcb1"
PROBE = "medassist-root-probe"


@pytest.fixture
def make_root(tmp_path: Path) -> Iterator[Callable[..., tuple[Path, str]]]:
    """Makes roots under this test's folder (the tool's arguments after the folder);
    removes them afterwards, a system each."""
    made: list[Path] = []

    def make(name: str, *args: str) -> tuple[Path, str]:
        root = tmp_path / name
        made.append(root)
        result = subprocess.run(
            [sys.executable, str(REPO_ROOT / "tools" / "debian_root.py"), str(root), *args],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return root, result.stdout

    yield make
    for root in made:
        shutil.rmtree(root, ignore_errors=True)


def probe_deb(folder: Path) -> Path:
    """A package with one file that depends on a library minbase does not have."""
    stage = folder / "stage"
    (stage / "DEBIAN").mkdir(parents=True)
    (stage / "usr" / "share" / PROBE).mkdir(parents=True)
    (stage / "usr" / "share" / PROBE / "README").write_text("probe\n")
    arch = subprocess.run(
        [tool("dpkg"), "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    (stage / "DEBIAN" / "control").write_text(
        f"Package: {PROBE}\nVersion: 1.0\nArchitecture: {arch}\n"
        f"Maintainer: test <test@localhost>\nDepends: {OUTSIDE_MINBASE}\n"
        "Description: probe\n a package that needs a library outside minbase\n"
    )
    deb = folder / f"{PROBE}.deb"
    subprocess.run(
        [tool("dpkg-deb"), "--root-owner-group", "--build", str(stage), str(deb)],
        capture_output=True,
        check=True,
    )
    return deb


@pytest.fixture
def probe(tmp_path: Path) -> Path:
    installed = subprocess.run(
        [tool("dpkg-query"), "--show", "--showformat=${db:Status-Abbrev}", OUTSIDE_MINBASE],
        capture_output=True,
        text=True,
        check=False,
    )
    if installed.stdout.strip() != "ii":
        pytest.skip(f"{OUTSIDE_MINBASE} is not installed on this machine")
    return probe_deb(tmp_path)


def test_the_minimal_root_holds_a_consistent_minbase_system(
    make_root: Callable[..., tuple[Path, str]],
) -> None:
    root, summary = make_root("minbase")
    packages = in_root(root, "dpkg-query", "--show", "--showformat=${Package} ${Priority}\\n")
    assert packages.returncode == 0, packages.stderr
    listed = dict(line.split(" ", 1) for line in packages.stdout.splitlines())
    assert f": {len(listed)} packages" in summary
    assert {"libc6", "dpkg", "apt", "bash", "coreutils", "base-files"} <= listed.keys()
    assert OUTSIDE_MINBASE not in listed
    # Every file of every package is there as dpkg recorded it.
    for check in (["dpkg", "--audit"], ["dpkg", "--verify"]):
        result = in_root(root, *check)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
    # What maintainer scripts set up: alternatives (awk), users, the linker cache.
    works = in_root(root, "sh", "-c", "echo 2 | awk '{print $1 * 21}'; id -un; ldconfig -p")
    assert works.returncode == 0, works.stderr
    assert works.stdout.splitlines()[:2] == ["42", "root"]
    assert "libc.so.6" in works.stdout


def test_dpkg_in_the_root_installs_a_package_only_with_its_depends(
    make_root: Callable[..., tuple[Path, str]], probe: Path
) -> None:
    bare, _ = make_root("bare")
    shutil.copy2(probe, bare / "root")
    refused = in_root(bare, "dpkg", "--install", f"/root/{probe.name}")
    assert refused.returncode != 0
    assert f"depends on {OUTSIDE_MINBASE}" in refused.stderr

    with_depends, _ = make_root("with-depends", "--depends-of", str(probe))
    shutil.copy2(probe, with_depends / "root")
    installed = in_root(with_depends, "dpkg", "--install", f"/root/{probe.name}")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    status = in_root(
        with_depends, "dpkg-query", "--show", "--showformat=${db:Status-Abbrev}", PROBE
    )
    assert status.stdout.strip() == "ii"
