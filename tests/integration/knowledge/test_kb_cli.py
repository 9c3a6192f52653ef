"""`medassist kb ...` as an admin or a script runs it, on a real encrypted file and model.

A clinic is set up once for the module, and once more with the small library imported
(each model load in a subprocess costs seconds); every test works on its own copy of
one of them (data folder and keyring file), so the tests run alone and in any order.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import app_environment
from tests.integration.knowledge.conftest import ADMIN, ADMIN_PW, WORKER, WORKER_PW
from tests.support.cli import init_clinic, run_cli, with_file_keyring

pytestmark = pytest.mark.slow

PASSAGE_KEYS = {"doc_id", "title", "source", "section", "page", "text", "score", "similarity"}


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args, stdin=stdin, timeout=300)


def copy_clinic(template: dict[str, str], root: Path) -> dict[str, str]:
    """A copy of a set-up clinic (its data folder and keyring file) under `root`."""
    data = root / "data"
    keyring = root / "keyring.json"
    shutil.copytree(template["MEDASSIST_DATA_DIR"], data)
    shutil.copyfile(template["MEDASSIST_TEST_KEYRING_FILE"], keyring)
    return {
        **template,
        "MEDASSIST_DATA_DIR": str(data),
        "MEDASSIST_TEST_KEYRING_FILE": str(keyring),
    }


@pytest.fixture(scope="module")
def clinic_template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A clinic with an admin and a health worker, and an empty library."""
    root = tmp_path_factory.mktemp("kb-cli")
    clean = with_file_keyring(app_environment(root / "data"), root)
    clean["KB_STARTER_LIBRARY"] = "false"  # small corpora here; the library has its own tests
    init_clinic(clean, worker=WORKER)
    return clean


@pytest.fixture(scope="module")
def imported_template(
    clinic_template: dict[str, str], library: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """The clinic after an admin imported `library` (cholera and leprosy; one broken file)."""
    clinic = copy_clinic(clinic_template, tmp_path_factory.mktemp("kb-cli-imported"))
    imported = run(clinic, "kb", "import", str(library), "--as", ADMIN, stdin=ADMIN_PW + "\n")
    assert imported.returncode == 1, imported.stderr  # the broken file
    return clinic


@pytest.fixture
def env(clinic_template: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """This test's own copy of the set-up clinic, library empty."""
    return copy_clinic(clinic_template, tmp_path / "clinic")


@pytest.fixture
def imported(imported_template: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """This test's own copy of the clinic with the small library imported."""
    return copy_clinic(imported_template, tmp_path / "clinic")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("guidelines")
    (folder / "cholera.md").write_text(
        "---\ntitle: Cholera\nsource: Provincial circular, 2024\n---\n\n# Cholera\n\n"
        "## Treat\n\nGive oral rehydration solution at once; severe dehydration needs "
        "intravenous Ringer's lactate.\n",
        encoding="utf-8",
    )
    (folder / "leprosy.txt").write_text(
        "Leprosy\n\nPale patches of skin that have lost feeling. Multidrug therapy cures it.\n",
        encoding="utf-8",
    )
    (folder / "broken.txt").write_bytes(b"")
    return folder


def test_import_needs_an_admin(env: dict[str, str], library: Path) -> None:
    denied = run(
        env, "kb", "import", str(library), "--as", WORKER, "--json", stdin=WORKER_PW + "\n"
    )
    assert denied.returncode == 1 and "Only a clinic admin" in denied.stderr
    nothing = run(env, "kb", "import", "--as", ADMIN, stdin=ADMIN_PW + "\n")
    assert nothing.returncode == 1 and "Name the files" in nothing.stderr
    exported = run(env, "audit", "export", "--as", ADMIN, stdin=ADMIN_PW + "\n")
    assert exported.returncode == 0, exported.stderr
    entries = [json.loads(line) for line in exported.stdout.splitlines()]
    assert (WORKER, "kb.import", "denied") in [
        (e["actor"], e["action"], e["outcome"]) for e in entries
    ]


def test_import_reports_every_file_with_progress(env: dict[str, str], library: Path) -> None:
    result = run(env, "kb", "import", str(library), "--as", ADMIN, "--json", stdin=ADMIN_PW + "\n")
    assert result.returncode == 1, result.stderr  # one file failed
    summary = json.loads(result.stdout)
    assert sorted(r["doc_id"] for r in summary["imported"]) == ["cholera", "leprosy"]
    assert all(r["embedded"] for r in summary["imported"])
    [failed] = summary["failed"]
    assert failed["path"] == str(library / "broken.txt")
    assert failed["message"].startswith("broken.txt: the file is empty.")
    assert summary["unchanged"] == [] and summary["replaced"] == []
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == 3 and "100.0%" in progress[-1]

    again = run(
        env,
        "kb",
        "import",
        str(library / "cholera.md"),
        "--as",
        ADMIN,
        "--json",
        stdin=ADMIN_PW + "\n",
    )
    assert again.returncode == 0
    assert [r["doc_id"] for r in json.loads(again.stdout)["unchanged"]] == ["cholera"]


def test_list_and_search(imported: dict[str, str], tmp_path: Path) -> None:
    env = imported
    listed = run(env, "kb", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    report = json.loads(listed.stdout)
    docs = {d["doc_id"]: d for d in report["documents"]}
    assert sorted(docs) == ["cholera", "leprosy"]
    assert docs["cholera"]["source"] == "Provincial circular, 2024"
    assert docs["cholera"]["needs_embedding"] is False and len(docs["cholera"]["sha256"]) == 64
    assert report["chunks_missing_vectors"] == 0

    keyword = run(env, "kb", "search", "lactate", "-k", "1", "--keyword", "--json")
    assert keyword.returncode == 0, keyword.stderr
    passages = json.loads(keyword.stdout)
    assert len(passages) == 1 and PASSAGE_KEYS - {"similarity"} <= set(passages[0])
    assert passages[0]["doc_id"] == "cholera" and passages[0]["similarity"] is None

    questions = tmp_path / "questions.txt"
    questions.write_text(
        "white patches on the skin with no feeling\n\nwhich drip for severe dehydration?\n"
        'fever AND "(\n',
        encoding="utf-8",
    )
    batch = run(env, "kb", "search", "--batch", str(questions), "-k", "2", "--json")
    assert batch.returncode == 0, batch.stderr
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    assert len(lines) == 4 and lines[1] == []  # one JSON list per input line, blank -> []
    assert lines[0][0]["doc_id"] == "leprosy" and lines[2][0]["doc_id"] == "cholera"
    assert set(lines[0][0]) >= PASSAGE_KEYS and 0.0 < lines[0][0]["similarity"] <= 1.0
    assert lines[0][0]["section"] == "" and lines[2][0]["section"] == "Cholera > Treat"
    assert "keyword search only" not in batch.stderr

    text = run(env, "kb", "search", "Ringer", "--keyword")
    assert text.returncode == 0 and "Provincial circular, 2024" in text.stdout

    usage = run(env, "kb", "search", "x", "--batch", str(questions))
    assert usage.returncode == 1 and "not both" in usage.stderr


def test_without_the_model_search_says_it_is_keyword_only(imported: dict[str, str]) -> None:
    offline = {**imported, "EMBEDDING_MODEL": "/nonexistent/model"}
    result = run(offline, "kb", "search", "multidrug therapy", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["doc_id"] == "leprosy"
    assert "keyword search only" in result.stderr and "/nonexistent/model" in result.stderr


def test_remove_needs_an_admin_and_is_audited(imported: dict[str, str]) -> None:
    env = imported
    denied = run(env, "kb", "remove", "leprosy", "--as", WORKER, stdin=WORKER_PW + "\n")
    assert denied.returncode == 1 and "Only a clinic admin" in denied.stderr
    removed = run(env, "kb", "remove", "leprosy", "--as", ADMIN, "--json", stdin=ADMIN_PW + "\n")
    assert removed.returncode == 0, removed.stderr
    assert json.loads(removed.stdout)["removed"]["doc_id"] == "leprosy"
    missing = run(env, "kb", "remove", "leprosy", "--as", ADMIN, stdin=ADMIN_PW + "\n")
    assert missing.returncode == 1 and "no document 'leprosy'" in missing.stderr
    assert json.loads(run(env, "kb", "search", "leprosy", "--keyword", "--json").stdout) == []

    out = Path(env["MEDASSIST_DATA_DIR"]) / "audit.jsonl"
    exported = run(env, "audit", "export", "--as", ADMIN, "-o", str(out), stdin=ADMIN_PW + "\n")
    assert exported.returncode == 0, exported.stderr
    entries = [json.loads(line) for line in out.read_text().splitlines()]
    actions = [(e["actor"], e["action"], e["outcome"]) for e in entries]
    assert (ADMIN, "kb.import", "success") in actions
    assert (WORKER, "kb.remove", "denied") in actions
    assert (ADMIN, "kb.remove", "success") in actions
    removal = next(e for e in entries if e["action"] == "kb.remove" and e["outcome"] == "success")
    assert removal["resource"] == "kb:leprosy"


def test_first_use_imports_the_starter_library(env: dict[str, str], tmp_path: Path) -> None:
    fresh = {
        **env,
        "MEDASSIST_DATA_DIR": str(tmp_path / "data"),
        "MEDASSIST_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
        "KB_STARTER_LIBRARY": "true",
    }
    assert run(fresh, "init", "--admin", ADMIN, stdin=ADMIN_PW + "\n").returncode == 0
    # --keyword: no model, so this stays fast; the vectors come with `kb reembed` later.
    first = run(fresh, "kb", "search", "MUAC tape red zone", "-k", "1", "--keyword", "--json")
    assert first.returncode == 0, first.stderr
    assert "importing the starter library" in first.stderr
    assert json.loads(first.stdout)[0]["doc_id"] == "acute-malnutrition"
    listed = json.loads(run(fresh, "kb", "list", "--json").stdout)
    assert listed["documents"] and listed["starter_library_imported"] is True
    second = run(fresh, "kb", "search", "MUAC", "--keyword", "--json")
    assert "importing the starter library" not in second.stderr
