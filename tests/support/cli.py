"""The one way the tests run the `medassist` console script: as a separate process.

A real process, as an admin's script would start it: its own interpreter, imports,
settings from the environment given, stdin from a pipe (never the terminal running
the tests), text out, and no exception for a non-zero exit - the tests assert on it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import REPO_ROOT, venv_script

# The first admin `init_clinic` creates, and the health worker it may add.
ADMIN = "admin"
ADMIN_PW = "Admin-password-1"
WORKER_PW = "839201"


def run_cli(
    env: dict[str, str], *args: str, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`medassist *args` with `env` as its whole environment; stdin is `stdin` (empty)."""
    return subprocess.run(
        [venv_script("medassist"), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def with_file_keyring(env: dict[str, str], folder: Path) -> dict[str, str]:
    """`env` with a keyring persisted to a file under `folder` (a process cannot share
    memory, and the developer's own keyring must never be touched), and this checkout
    importable so the child finds that keyring class."""
    env.update(
        PYTHON_KEYRING_BACKEND="tests.support.keyrings.FileKeyring",
        MEDASSIST_TEST_KEYRING_FILE=str(folder / "keyring.json"),
        PYTHONPATH=str(REPO_ROOT),
    )
    return env


def init_clinic(env: dict[str, str], *, worker: str | None = None) -> dict[str, Any]:
    """`medassist init` with the first admin and, when named, a health worker the admin adds
    (password WORKER_PW); the init report."""
    result = run_cli(env, "init", "--admin", ADMIN, "--json", stdin=ADMIN_PW + "\n")
    assert result.returncode == 0, result.stderr
    if worker is not None:
        added = run_cli(
            env, "users", "add", worker, "--as", ADMIN, stdin=f"{ADMIN_PW}\n{WORKER_PW}\n"
        )
        assert added.returncode == 0, added.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report
