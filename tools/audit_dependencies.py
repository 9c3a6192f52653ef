"""Check the locked dependencies for published vulnerabilities with pip-audit.

Audits requirements/dev.txt (a superset of requirements/runtime.txt) and the two
packages the lock leaves to the Makefile (torch, llama-cpp-python), against PyPI's
vulnerability data. Exit status: 0 clean, 1 vulnerable (or a package PyPI does not
know), 0 with a notice when the vulnerability service cannot be reached from this
machine (an offline build host): the audit then has to run where it can.

    python tools/audit_dependencies.py            # what .ci/run and `make audit` do
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "dev.txt"
PROBE_URL = "https://pypi.org/pypi/pip/24.0/json"  # what pip-audit reads: per-release JSON


def service_reachable(timeout: float = 15.0) -> tuple[bool, str]:
    try:
        with urllib.request.urlopen(PROBE_URL, timeout=timeout) as response:
            return response.status == 200, f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return False, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return False, str(getattr(exc, "reason", exc))


def makefile_pins() -> list[str]:
    """The `torch==...` and `llama-cpp-python==...` the Makefile installs outside the lock."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    torch = re.search(r"^TORCH := (torch==[\w.+-]+)", makefile, re.MULTILINE)
    llama = re.search(r"^LLAMA_VERSION := ([\w.]+)", makefile, re.MULTILINE)
    pins = []
    if torch:
        pins.append(torch.group(1).split("+")[0])
    if llama:
        pins.append(f"llama-cpp-python=={llama.group(1)}")
    return pins


def pip_audit(*args: str) -> int:
    command = [sys.executable, "-m", "pip_audit", "--strict", "--progress-spinner", "off", *args]
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, check=False).returncode  # noqa: S603 - our own argv


def main() -> int:
    reachable, why = service_reachable()
    if not reachable:
        print(
            f"pip-audit: skipped, PyPI's vulnerability data ({PROBE_URL}) cannot be reached "
            f"from this machine ({why}). Run `make audit` where it can.",
            flush=True,
        )
        return 0
    status = pip_audit("--require-hashes", "--disable-pip", "-r", str(LOCK))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as extra:
        extra.write("\n".join(makefile_pins()) + "\n")
    try:
        status = max(status, pip_audit("--no-deps", "--disable-pip", "-r", extra.name))
    finally:
        Path(extra.name).unlink()
    return status


if __name__ == "__main__":
    sys.exit(main())
