"""The one way the tests run the `medassist` console script: as a separate process.

A real process, as an admin's script would start it: its own interpreter, imports,
settings from the environment given, stdin from a pipe (never the terminal running
the tests), text out, and no exception for a non-zero exit - the tests assert on it.
"""

from __future__ import annotations

import subprocess

from tests.conftest import venv_script


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
