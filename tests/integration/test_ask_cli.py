"""`medassist ask` as a script or an admin runs it: real database, real model, subprocesses.

Most runs use --keyword-only (no torch import, a few seconds each); one runs the full
semantic path with the session's starter-library embeddings copied into its cache.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.inference_support import seed_embedded_model
from tests.support.cli import run_cli
from tests.support.consult import EMERGENCY_CASE, seed_embedding_cache

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

ADMIN_PW = "Admin-password-1"
QUESTION = "How do I treat some dehydration with ORS?"


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args, stdin=stdin, timeout=240)


@pytest.fixture
def env(app_env: dict[str, str], tmp_path: Path, embedded_gguf: Path) -> dict[str, str]:
    app_env.update(
        PYTHON_KEYRING_BACKEND="tests.support.keyrings.FileKeyring",
        MEDASSIST_TEST_KEYRING_FILE=str(tmp_path / "keyring.json"),
        PYTHONPATH=str(REPO_ROOT),
        MODEL_THREADS="1",
        MODEL_CONTEXT_TOKENS="2048",
    )
    seed_embedded_model(Path(app_env["MEDASSIST_DATA_DIR"]), embedded_gguf)
    return app_env


@pytest.fixture
def initialised(env: dict[str, str]) -> dict[str, str]:
    result = run(env, "init", "--admin", "admin", stdin=ADMIN_PW + "\n")
    assert result.returncode == 0, result.stderr
    return env


def consult_audit(env: dict[str, str]) -> list[dict[str, object]]:
    result = run(env, "audit", "export", "--as", "admin", stdin=ADMIN_PW + "\n")
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    return [e for e in entries if e["action"] == "consult.ask"]


def test_ask_json_with_a_case_from_stdin(initialised: dict[str, str]) -> None:
    result = run(
        initialised,
        "ask",
        QUESTION,
        "--case",
        "-",
        "--json",
        "--keyword-only",
        "--max-tokens",
        "12",
        stdin=json.dumps(EMERGENCY_CASE),
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["engine"] == "local" and answer["model"] == "gemma3-270m-q4_k_m"
    assert answer["triage"]["level"] == "emergency" and answer["triage_level"] == "emergency"
    assert answer["retrieval_mode"] == "keyword" and answer["route"]["method"] == "keyword"
    assert answer["citations"] and {"n", "passage_id", "title", "section", "page", "source"} <= set(
        answer["citations"][0]
    )
    assert answer["confidence"]["level"] in ("high", "medium", "low")
    assert answer["confidence"]["signals"]["mean_token_probability"] is not None
    assert answer["generation"]["tokens"] <= 12 and answer["cached"] is False
    [entry] = consult_audit(initialised)
    details = entry["details"]
    assert isinstance(details, dict) and entry["ip_address"] == "cli"
    assert details["question"] == QUESTION
    assert details["passage_ids"] == [c["passage_id"] for c in answer["citations"]]
    assert details["model_sha256"] == answer["model_sha256"] and answer["model_sha256"]
    assert details["rules_version"] == "who-2014-v1"


def test_ask_streams_text_on_the_semantic_path(
    initialised: dict[str, str], starter_embedding_cache: Path
) -> None:
    seed_embedding_cache(starter_embedding_cache, Path(initialised["MEDASSIST_DATA_DIR"]))
    result = run(initialised, "ask", QUESTION, "--max-tokens", "12")
    assert result.returncode == 0, result.stderr
    text, _, sources = result.stdout.partition("\n\nSources:\n")
    assert text.strip() and sources.startswith("  [1] ")
    assert "[engine local (gemma3-270m-q4_k_m); confidence " in result.stderr
    assert "degraded" not in result.stderr  # embeddings worked: no keyword fallback


def test_out_of_scope_is_refused(initialised: dict[str, str]) -> None:
    result = run(initialised, "ask", "write me a python script", "--json", "--keyword-only")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["refused"] is True and answer["engine"] == "rules"
    assert answer["text"].startswith("Sorry, I can only help with clinical questions")


def test_missing_model_answers_from_the_rules(initialised: dict[str, str], tmp_path: Path) -> None:
    initialised["MODEL_NAME"] = str(tmp_path / "gone.gguf")
    result = run(initialised, "ask", QUESTION, "--json", "--keyword-only")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["engine"] == "rules" and "does not exist" in answer["model_error"]
    assert answer["text"].startswith("The model is unavailable (")
    assert consult_audit(initialised)[0]["details"]["outcome"] == "rules_fallback"  # type: ignore[index]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ({"age_months": 18, "vitals": {"spo2": 140}}, "vitals.spo2=140 is not possible"),
        ([{"age_months": 18}], "--case takes one case object"),
    ],
)
def test_bad_case_is_one_clear_error(
    initialised: dict[str, str], case: object, expected: str
) -> None:
    result = run(
        initialised, "ask", QUESTION, "--case", "-", "--keyword-only", stdin=json.dumps(case)
    )
    assert result.returncode == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_ask_before_init_says_what_to_do(env: dict[str, str]) -> None:
    result = run(env, "ask", QUESTION, "--keyword-only")
    assert result.returncode == 1
    assert "medassist init" in result.stderr and "Traceback" not in result.stderr
