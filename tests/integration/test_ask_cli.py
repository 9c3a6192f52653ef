"""`medassist ask` as a script or an admin runs it: real database, real model, subprocesses.

Most runs use --keyword-only (no torch import, a few seconds each); one runs the full
semantic path (the starter library imported into its knowledge base on first use).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.core.assistant.extractive import EXTRACTIVE_NOTICE
from medassist_desktop.core.assistant.numbers import numbers_in, unit_numbers
from medassist_desktop.core.assistant.pipeline import question_digest
from tests.inference_support import seed_embedded_model
from tests.support.cli import ADMIN_PW, run_cli, with_file_keyring
from tests.support.consult import EMERGENCY_CASE

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

QUESTION = "How do I treat some dehydration with ORS?"


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args, stdin=stdin, timeout=240)


def ask(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`medassist ask ... --as admin`: the password is stdin line 1, a `--case -` case follows."""
    return run(env, "ask", *args, "--as", "admin", stdin=f"{ADMIN_PW}\n{stdin}")


@pytest.fixture
def env(app_env: dict[str, str], tmp_path: Path, embedded_gguf: Path) -> dict[str, str]:
    with_file_keyring(app_env, tmp_path)
    app_env.update(MODEL_THREADS="1", MODEL_CONTEXT_TOKENS="2048")
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
    result = ask(
        initialised,
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
    # The embedded base model may not write clinical answers: the library is quoted.
    assert answer["engine"] == "extractive" and answer["model"] == "gemma3-270m-q4_k_m"
    assert answer["text"].count(EXTRACTIVE_NOTICE) == 1 and answer["quotes"]
    assert answer["triage"]["level"] == "emergency" and answer["triage_level"] == "emergency"
    assert answer["retrieval_mode"] == "keyword" and answer["route"]["method"] == "keyword"
    assert answer["citations"] and {"n", "passage_id", "title", "section", "page", "source"} <= set(
        answer["citations"][0]
    )
    assert answer["confidence"]["level"] in ("high", "medium", "low")
    assert answer["generation"] is None and answer["cached"] is False
    assert_quotes_are_in_their_citations(answer)
    [entry] = consult_audit(initialised)
    details = entry["details"]
    assert isinstance(details, dict) and entry["ip_address"] == "cli"
    assert details["question_sha256"] == question_digest(QUESTION)
    assert details["question_chars"] == len(QUESTION) and QUESTION not in json.dumps(entry)
    assert details["passage_ids"] == [c["passage_id"] for c in answer["citations"]]
    assert details["outcome"] == "quoted" and details["engine"] == "extractive"
    assert details["rules_version"] == "who-iitt-v2"


def test_ask_streams_text_on_the_semantic_path(initialised: dict[str, str]) -> None:
    result = ask(initialised, QUESTION, "--max-tokens", "12")
    assert result.returncode == 0, result.stderr
    text, _, sources = result.stdout.partition("\n\nSources:\n")
    assert text.strip() and sources.startswith("  [1] ")
    assert "[engine extractive (gemma3-270m-q4_k_m); confidence " in result.stderr
    assert "degraded" not in result.stderr  # embeddings worked: no keyword fallback


def test_out_of_scope_is_refused(initialised: dict[str, str]) -> None:
    result = ask(initialised, "write me a python script", "--json", "--keyword-only")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["refused"] is True and answer["engine"] == "rules"
    assert answer["text"].startswith("Sorry, I can only help with clinical questions")


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
    result = ask(initialised, QUESTION, "--case", "-", "--keyword-only", stdin=json.dumps(case))
    assert result.returncode == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_ask_before_init_says_what_to_do(env: dict[str, str]) -> None:
    result = ask(env, QUESTION, "--keyword-only")
    assert result.returncode == 1
    assert "medassist init" in result.stderr and "Traceback" not in result.stderr


def test_the_question_comes_from_stdin_and_the_audit_keeps_only_its_hash(
    initialised: dict[str, str], tmp_path: Path
) -> None:
    initialised["MODEL_NAME"] = str(tmp_path / "gone.gguf")  # the rules answer: quick
    question = "Sokha Chan, 2 years, has some dehydration: how much ORS?\nShe vomits."
    result = ask(initialised, "-", "--json", "--keyword-only", stdin=question + "\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["question"] == question
    [entry] = consult_audit(initialised)
    details = entry["details"]
    assert isinstance(details, dict)
    assert details["question_sha256"] == question_digest(question)
    assert details["question_chars"] == len(question)
    assert "Sokha" not in json.dumps(entry) and "question" not in details


def test_ask_dash_without_a_question_on_stdin_is_a_clear_error(
    initialised: dict[str, str],
) -> None:
    result = ask(initialised, "-", "--keyword-only", stdin="")
    assert result.returncode == 1 and "No question came on stdin" in result.stderr
    both = ask(initialised, "-", "--case", "-", stdin="{}")
    assert both.returncode == 1 and "cannot both come from stdin" in both.stderr


def test_a_model_file_outside_the_manifest_never_writes(
    initialised: dict[str, str], tmp_path: Path
) -> None:
    initialised["MODEL_NAME"] = str(tmp_path / "gone.gguf")  # not a known clinical model
    result = ask(initialised, QUESTION, "--json", "--keyword-only")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["engine"] == "extractive" and answer["model_error"] is None
    assert answer["text"].startswith(EXTRACTIVE_NOTICE)
    assert consult_audit(initialised)[0]["details"]["outcome"] == "quoted"  # type: ignore[index]


def test_embedded_model_quotes_the_library_with_its_numbers(initialised: dict[str, str]) -> None:
    question = "How much ORS should I give a child with some dehydration?"
    result = ask(initialised, question, "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert not answer["refused"] and answer["engine"] == "extractive"
    assert answer["route"]["method"] == "semantic" and answer["quotes"]
    assert "Plan B" in (answer["citations"][0]["section"] or "")
    assert_quotes_are_in_their_citations(answer)


@pytest.mark.parametrize(
    "question",
    [
        "What are the dengue warning signs?",
        "When should I refer a child with measles?",
        "How do I treat scabies?",
    ],
)
def test_the_questions_once_refused_are_answered_by_quotes(
    initialised: dict[str, str], question: str
) -> None:
    result = ask(initialised, question, "--json", "--keyword-only")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert not answer["refused"] and answer["engine"] == "extractive" and answer["quotes"]
    assert_quotes_are_in_their_citations(answer)


def assert_quotes_are_in_their_citations(answer: dict[str, Any]) -> None:
    """Each quote is verbatim from its cited passage, and so is every number it shows."""
    passages = {c["n"]: " ".join(c["text"].replace("*", "").split()) for c in answer["citations"]}
    for quote in answer["quotes"]:
        cited = passages[quote["n"]]
        for line in quote["text"].splitlines():
            assert line in cited or " ".join(line.split()) in cited
            assert f"{line} [{quote['n']}]" in answer["text"] or line in answer["text"]
        for number in unit_numbers(quote["text"]):
            assert number.values <= numbers_in(cited)
    assert {q["n"] for q in answer["quotes"]} == {c["n"] for c in answer["citations"] if c["cited"]}


def test_in_vietnamese_the_embedded_model_says_its_quotes_stay_english(
    initialised: dict[str, str],
) -> None:
    """The 270M model only quotes the English library: the answer says so in Vietnamese,
    with the rules' header in Vietnamese and the same codes, citations and quotes."""
    initialised["UI_LANGUAGE"] = "vi"
    result = ask(
        initialised,
        QUESTION,
        "--json",
        "--keyword-only",
        "--case",
        "-",
        stdin=(json.dumps(EMERGENCY_CASE)),
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["engine"] == "extractive" and answer["triage"]["level"] == "emergency"
    text = answer["text"]
    assert text.startswith("Phân loại (quy tắc dấu hiệu nguy hiểm who-iitt-v2): CẤP CỨU\n")
    assert "Thư viện bằng tiếng Anh và các trích dẫn dưới đây không được dịch" in text
    assert answer["quotes"] and answer["citations"]
    assert_quotes_are_in_their_citations(answer)
