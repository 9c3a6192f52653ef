"""`medassist route`: one question, a batch file (JSON Lines), and the keyword fallback."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import run_cli

pytestmark = pytest.mark.slow


def run_route(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run_cli(env, "route", *args, stdin=stdin, timeout=300)


def test_one_question_json(app_env: dict[str, str]) -> None:
    result = run_route(app_env, "what is the dose of amoxicillin for a 12 kg child", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["intent"] == "medication" and out["method"] == "semantic"
    assert set(out) == {"intent", "confidence", "alternatives", "method"}
    assert result.stderr == ""  # no progress bars, no notes


def test_batch_is_one_json_object_per_line_in_order(
    app_env: dict[str, str], tmp_path: Path
) -> None:
    questions = tmp_path / "questions.txt"
    questions.write_text(
        "the baby is not breathing\nwho won the football last night\n\nshow her last visit\n",
        encoding="utf-8",
    )
    result = run_route(app_env, "--batch", str(questions), "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == [
        "the baby is not breathing",
        "who won the football last night",
        "",
        "show her last visit",
    ]
    assert [line["intent"] for line in lines] == [
        "emergency",
        "out_of_scope",
        "out_of_scope",
        "patient_history",
    ]
    assert all(line["method"] == "semantic" for line in lines)


def test_unloadable_model_falls_back_to_keywords(app_env: dict[str, str], tmp_path: Path) -> None:
    app_env["EMBEDDING_MODEL"] = str(tmp_path / "no-model-here")
    result = run_route(app_env, "child fitting right now", "--json")
    assert result.returncode == 0
    out = json.loads(result.stdout)
    assert out["intent"] == "emergency" and out["method"] == "keyword"
    assert "using the keyword router" in result.stderr and "no-model-here" in result.stderr


def test_text_output_shows_the_refusal(app_env: dict[str, str]) -> None:
    result = run_route(app_env, "--keyword", "tell me a joke")
    assert result.returncode == 0
    assert result.stdout.startswith("out_of_scope")
    assert "Sorry, I can only help with clinical questions" in result.stdout


def test_question_or_batch_not_both(app_env: dict[str, str], tmp_path: Path) -> None:
    result = run_route(app_env, "--keyword")
    assert result.returncode == 1 and "Give one question" in result.stderr
    result = run_route(app_env, "--batch", str(tmp_path / "missing.txt"))
    assert result.returncode == 1 and "Cannot read" in result.stderr
