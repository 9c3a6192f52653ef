"""Running Debian tools and commands inside a root made by tools/debian_root.py."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

# Inside a root, programs are found on its own PATH: nothing of this machine's.
ROOT_PATH = "PATH=/usr/sbin:/usr/bin:/sbin:/bin"
HOME = "root"  # the root user's home in the root, where the app keeps its data


def tool(name: str) -> str:
    """The path of a program this machine must have for the test."""
    found = shutil.which(name)
    assert found is not None, f"{name} is not installed"
    return found


def in_root(root: Path, *command: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """A command inside the root, with no environment but a PATH and HOME of its own."""
    return subprocess.run(
        [tool("chroot"), str(root), "env", "-i", f"HOME=/{HOME}", ROOT_PATH, *command],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
