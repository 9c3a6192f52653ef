"""`medassist models ...` and `medassist generate` as an admin or a script runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from medassist_desktop.config.settings_upgrades import SETTINGS_VERSION
from medassist_desktop.core.inference.models import load_manifest
from tests.support.cli import ADMIN_PW, init_clinic, run_cli, with_file_keyring

pytestmark = pytest.mark.slow
SHA256 = load_manifest().get("gemma3-270m-q4_k_m").sha256  # type: ignore[union-attr]


def medassist(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The CLI with the smallest context: these commands generate a few tokens at most."""
    return run_cli({**env, "MODEL_CONTEXT_TOKENS": "512"}, *args, stdin=stdin, timeout=300)


def as_admin(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """An admin command (or `generate`) signed in as the first admin."""
    return medassist(env, *args, "--as", "admin", stdin=ADMIN_PW + "\n")


@pytest.fixture
def admin_env(model_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """`model_env` after `medassist init` (the admin who signs for model changes)."""
    init_clinic(with_file_keyring(model_env, tmp_path))
    return model_env


def assert_one_line_error(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_generate_json_reports_text_and_figures(admin_env: dict[str, str]) -> None:
    result = as_admin(
        admin_env, "generate", "What is ORS?", "--max-tokens", "6", "--temperature", "0", "--json"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["text"].strip() and 1 <= report["tokens"] <= 6
    assert report["tokens_per_second"] > 0 and report["time_to_first_token_ms"] > 0
    assert report["model"] == "gemma3-270m-q4_k_m" and report["model_sha256"] == SHA256
    assert len(report["token_logprobs"]) == report["tokens"]
    assert report["device"] == "cpu" and report["n_ctx"] == 512
    assert report["n_gpu_layers"] == 0 and report["gpu_fallback_reason"] is None
    assert "Traceback" not in result.stderr


def test_generate_streams_text_to_stdout(admin_env: dict[str, str]) -> None:
    result = as_admin(admin_env, "generate", "What is ORS?", "--max-tokens", "5", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert "tokens/s" in result.stderr and "gemma3-270m-q4_k_m" in result.stderr


def test_list_import_use_verify(
    admin_env: dict[str, str], embedded_gguf: Path, tmp_path: Path
) -> None:
    model_env = admin_env
    listing = json.loads(medassist(model_env, "models", "list", "--json").stdout)
    rows = {row["name"]: row for row in listing["models"]}
    assert rows["gemma3-270m-q4_k_m"]["active"] and rows["gemma3-270m-q4_k_m"]["present"]
    assert not rows["medgemma-4b-it-q4_k_m"]["present"]
    assert listing["hardware"]["missing_cpu_flags"] == []

    usb = tmp_path / "usb" / "clinic-model.gguf"
    usb.parent.mkdir()
    shutil.copyfile(embedded_gguf, usb)
    imported = as_admin(model_env, "models", "import", str(usb), "--json")
    assert imported.returncode == 0, imported.stderr
    name = json.loads(imported.stdout)["imported"]["name"]

    config = Path(model_env["MEDASSIST_DATA_DIR"]) / "config" / "config.json"
    config.write_text(json.dumps({"region": "cambodia"}))
    used = as_admin(model_env, "models", "use", name)
    assert used.returncode == 0, used.stderr
    assert json.loads(config.read_text()) == {
        "region": "cambodia",
        "model_name": name,
        "settings_version": SETTINGS_VERSION,
    }

    verified = as_admin(model_env, "models", "verify", "--json")
    assert verified.returncode == 0
    assert all(r["ok"] for r in json.loads(verified.stdout)["results"])

    stored = Path(model_env["MEDASSIST_DATA_DIR"]) / "models" / "gemma-3-270m-q4_k_m.gguf"
    with stored.open("r+b") as handle:
        handle.seek(stored.stat().st_size // 2)
        handle.write(b"\x00" * 16)
    broken = as_admin(model_env, "models", "verify")
    assert broken.returncode == 1 and "checksum mismatch" in broken.stdout


def test_use_of_a_model_not_on_this_computer_says_how_to_get_it(
    admin_env: dict[str, str],
) -> None:
    model_env = admin_env
    result = as_admin(model_env, "models", "use", "medgemma-4b-it-q4_k_m")
    assert_one_line_error(result, "not on this computer yet")
    assert "huggingface.co/unsloth/medgemma-4b-it-GGUF" in result.stderr
    assert not (Path(model_env["MEDASSIST_DATA_DIR"]) / "config" / "config.json").exists()


def test_import_of_a_text_file_is_refused(admin_env: dict[str, str], tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_text("not a model")
    assert_one_line_error(as_admin(admin_env, "models", "import", str(fake)), "not a GGUF")


def test_generate_with_an_unknown_model_is_a_known_error(admin_env: dict[str, str]) -> None:
    result = as_admin({**admin_env, "MODEL_NAME": "no-such-model"}, "generate", "hi")
    assert_one_line_error(result, "Unknown model 'no-such-model'")
