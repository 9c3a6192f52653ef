"""Install the CPU build of torch, never the multi-gigabyte CUDA build by accident.

A bare `pip install torch` on Linux pulls the CUDA build from PyPI. This script asks
the PyTorch CPU index instead where it can be reached; where it cannot (an offline
clinic build machine), it installs from local wheels only (pip's find-links, e.g.
PIP_FIND_LINKS=/path/to/wheels) and says so. Either way it then checks that the
installed torch has no CUDA, and fails with a clear message when it has.

    python tools/install_torch_cpu.py torch==2.13.0
"""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request

CPU_INDEX = "https://download.pytorch.org/whl/cpu"
PROBE_TIMEOUT_S = 10


def index_reachable(url: str = CPU_INDEX) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/torch/", timeout=PROBE_TIMEOUT_S):  # noqa: S310
            return True
    except (urllib.error.URLError, OSError):
        return False


def is_cuda_build() -> bool:
    """From the installed distribution's metadata, not by importing torch: its own
    dependencies are installed later, from the lock file. A CUDA build says so in its
    version ("+cu126") or depends on NVIDIA's libraries; a CPU build does neither."""
    check = (
        "import importlib.metadata as m, sys; "
        "v = m.version('torch'); r = m.requires('torch') or []; "
        "sys.exit(1 if '+cu' in v or any(x.startswith('nvidia-') for x in r) else 0)"
    )
    return subprocess.call([sys.executable, "-c", check]) != 0  # noqa: S603


def pip_install(requirement: str, *options: str) -> int:
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", *options]
    return subprocess.call([*command, requirement])  # noqa: S603


def main(argv: list[str]) -> int:
    requirement = argv[1] if len(argv) > 1 else "torch"
    if index_reachable():
        print(f"Installing {requirement} (CPU build) from {CPU_INDEX}")
        code = pip_install(requirement, "--index-url", CPU_INDEX)
    else:
        print(
            f"The PyTorch CPU index ({CPU_INDEX}) cannot be reached: installing {requirement} "
            "from local wheels only (pip's find-links, e.g. PIP_FIND_LINKS=/path/to/wheels). "
            "Put the CPU wheel there (file name with +cpu on Linux and Windows) if this fails."
        )
        code = pip_install(requirement, "--no-index")
    if code != 0:
        print(f"Could not install {requirement} (CPU build).", file=sys.stderr)
        return code
    if is_cuda_build():
        print(
            "The installed torch is a CUDA build (gigabytes the app never uses). Uninstall "
            f"it and install the CPU wheel from {CPU_INDEX}.",
            file=sys.stderr,
        )
        return 1
    print("torch: CPU build installed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
