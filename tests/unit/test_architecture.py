"""The layers of docs/architecture.md (Qt only in ui/ and workers/, one-way imports),
enforced by import-linter."""

from __future__ import annotations

import subprocess

from tests.conftest import REPO_ROOT, venv_script


def test_import_contracts_hold() -> None:
    result = subprocess.run(
        [venv_script("lint-imports"), "--no-cache"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken" in result.stdout
