"""Retrieval over the starter library with the real model, in a real encrypted database.

The library is imported once for the module (the first-run path). The questions are
written the way a health worker would ask them, in other words than the documents use.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from medassist_desktop.core.degradation import EMBEDDINGS, DegradationRegistry
from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder
from medassist_desktop.core.knowledge.importer import ImportOutcome, ImportProgress
from medassist_desktop.core.knowledge.retrieval import HybridRetriever
from medassist_desktop.core.knowledge.starter import starter_library_files
from medassist_desktop.services.knowledge import KnowledgeService
from medassist_desktop.services.security import SecurityServices
from tests.integration.knowledge.conftest import audit_actions, knowledge_for, open_clinic

pytestmark = pytest.mark.slow

# (question, documents that answer it). Paraphrases: not sentences of the documents.
# The keyword weight of the fusion (retrieval.py) was chosen on these and 6 keyword
# questions; the second group was written before any result was seen.
PARAPHRASED = [
    (
        "A rice farmer was bitten on the foot by a snake. What should we do before he gets "
        "to hospital?",
        {"snakebite"},
    ),
    (
        "The little girl is too weak to suck at the breast and brings up everything she eats",
        {"imci-general-danger-signs", "young-infant-danger-signs"},
    ),
    (
        "How does a mother mix the salt and sugar drink and how much should the child take "
        "after each watery stool?",
        {"diarrhoea-ors-zinc-treatment-plans"},
    ),
    (
        "Woman 34 weeks along with a pounding headache, puffy face and spots before her eyes",
        {"pre-eclampsia-eclampsia", "maternal-danger-signs"},
    ),
    (
        "She is losing a lot of blood since the baby came out at home",
        {"postpartum-haemorrhage", "maternal-danger-signs"},
    ),
    ("A monkey scratched the boy's arm. Does he need injections?", {"rabies-exposure"}),
    (
        "The coloured tape around the toddler's upper arm reads in the red zone",
        {"acute-malnutrition"},
    ),
    (
        "He has coughed for more than a month, sweats at night and his clothes are loose now",
        {"tuberculosis-screening"},
    ),
    (
        "At what age should babies get the polio drops and the measles jab?",
        {"immunisation-schedule"},
    ),
    (
        "Fever after clearing brush, with a small painless black crust in the armpit",
        {"scrub-typhus"},
    ),
    (
        "Boiling water spilled on a toddler's chest, how do I cool it down?",
        {"burns-first-aid"},
    ),
    (
        "The newborn's skin and eyes went yellow on the first day of life",
        {"neonatal-jaundice"},
    ),
    (
        "The high temperature went away on day four but now he has belly pain and his gums bleed",
        {"dengue"},
    ),
    (
        "Toddler breathing very quickly and the lower chest sucks in with each breath",
        {"pneumonia-child", "imci-general-danger-signs"},
    ),
    # Written after the fusion weights were chosen on the questions above.
    ("My child has had loose stools for three weeks", {"diarrhoea-dehydration-assessment"}),
    (
        "The baby's cord stump is red and smells bad",
        {"newborn-care", "young-infant-danger-signs"},
    ),
    ("Sugar level very low and the diabetic patient is confused", {"diabetes"}),
    ("Girl with pain when passing urine and going often", {"urinary-tract-infection"}),
    ("High fever for a week and stomach pain after drinking dirty water", {"typhoid-fever"}),
    ("Waded through flood water, now fever and pain in the calves", {"leptospirosis"}),
    ("Child keeps pulling at his ear and pus is coming out", {"ear-infections"}),
    ("How do I clean my hands properly between patients?", {"hand-hygiene-infection-prevention"}),
    ("How to use a puffer with a spacer for a wheezing child", {"asthma-wheeze"}),
    ("How much paracetamol can I give a 12 kg child?", {"paracetamol-and-medication-safety"}),
    ("Cold hands, a weak fast pulse and slow capillary refill", {"shock-recognition"}),
    ("Pale palms and tired all the time in pregnancy", {"anaemia"}),
]

# Questions carrying the documents' own key words (what keyword search alone must find).
KEYWORD_QUESTIONS = [
    ("MUAC below 115 mm", {"acute-malnutrition"}),
    ("rectal artesunate before referral", {"severe-malaria"}),
    ("zinc tablets for diarrhoea", {"diarrhoea-ors-zinc-treatment-plans"}),
    ("antivenom for krait bites", {"snakebite"}),
    ("magnesium sulfate eclampsia", {"pre-eclampsia-eclampsia"}),
    ("eschar doxycycline", {"scrub-typhus"}),
]


@dataclass
class Library:
    services: SecurityServices
    knowledge: KnowledgeService
    degradation: DegradationRegistry
    progress: list[ImportProgress]
    first_import_ids: list[str]


@pytest.fixture(scope="module")
def library(
    tmp_path_factory: pytest.TempPathFactory, embedder: SentenceEmbedder
) -> Iterator[Library]:
    services = open_clinic(tmp_path_factory.mktemp("kb") / "data")
    degradation = DegradationRegistry()
    knowledge = knowledge_for(services, embedder, degradation=degradation, starter_library=True)
    progress: list[ImportProgress] = []
    assert knowledge.needs_starter_library()
    summary = knowledge.import_starter_library(on_progress=progress.append)
    assert summary is not None
    ids = [r.doc_id or "" for r in summary.of(ImportOutcome.IMPORTED)]
    yield Library(services, knowledge, degradation, progress, ids)
    services.close()


def top_docs(knowledge: KnowledgeService, question: str, k: int = 3) -> list[str]:
    return [p.doc_id for p in knowledge.search(question, k).passages]


def test_first_run_imports_the_whole_library_once(library: Library) -> None:
    files = starter_library_files()
    assert len(library.first_import_ids) == len(files) >= 30
    stages = [(p.stage, p.done, p.total) for p in library.progress if p.stage == "import"]
    assert stages == [("import", n, len(files)) for n in range(1, len(files) + 1)]
    assert library.progress[-1].percent == 100.0
    assert not library.knowledge.needs_starter_library()
    assert library.knowledge.import_starter_library() is None  # first run only
    status = library.knowledge.status()
    assert status["chunks_missing_vectors"] == 0 and status["documents"] == len(files)
    assert (None, "kb.import_starter", "success") in audit_actions(library.services)


def test_paraphrased_questions_find_their_document(library: Library) -> None:
    misses = []
    first = 0
    for question, expected in PARAPHRASED:
        result = library.knowledge.search(question, 3)
        assert result.mode == "hybrid" and result.degraded_reason is None
        docs = [p.doc_id for p in result.passages]
        if not expected & set(docs):
            misses.append((question, docs))
        first += docs[0] in expected
    assert misses == []
    # Measured: 22 of 26 first (all 26 in the top 3); a floor of 80% leaves room for
    # another CPU's float rounding, not for a regression.
    assert first >= 0.8 * len(PARAPHRASED), f"only {first} of {len(PARAPHRASED)} first"
    assert not library.degradation.is_degraded(EMBEDDINGS)


def test_passages_carry_citation_and_true_cosine_similarity(
    library: Library, embedder: SentenceEmbedder
) -> None:
    question = "what to do for a snake bite on the way to the clinic"
    result = library.knowledge.search(question, 5)
    assert len(result.passages) == 5
    scores = [p.score for p in result.passages]
    assert scores == sorted(scores, reverse=True)
    top = result.passages[0]
    assert top.title.startswith("Snakebite") and "WHO" in top.source and "2016" in top.source
    assert top.section.startswith("Snakebite") and top.page is None and top.text
    row = library.services.db.query_one(
        "SELECT context, text FROM kb_chunks WHERE chunk_id = ?", (top.chunk_id,)
    )
    assert row is not None and row[1] == top.text
    question_vector, chunk_vector = embedder.encode([question, f"{row[0]}\n{row[1]}"])
    assert top.similarity == pytest.approx(float(question_vector @ chunk_vector), abs=1e-4)
    assert all(p.similarity is not None and -1.0 <= p.similarity <= 1.0 for p in result.passages)
    # A caller that embedded the question already (the router) gets the same answer.
    same = library.knowledge.retriever.search(question, 5, query_embedding=question_vector)
    assert [p.chunk_id for p in same.passages] == [p.chunk_id for p in result.passages]
    batch = library.knowledge.search_many([question, "dengue warning signs"], 5)
    assert [p.chunk_id for p in batch[0].passages] == [p.chunk_id for p in result.passages]
    assert batch[1].passages[0].doc_id == "dengue"


def test_keyword_only_mode_still_answers(library: Library) -> None:
    degradation = DegradationRegistry()
    keyword_only = knowledge_for(library.services, None, degradation=degradation)
    for question, expected in KEYWORD_QUESTIONS:
        result = keyword_only.search(question, 3)
        assert result.mode == "keyword"
        assert result.degraded_reason == "no embedding model is configured"
        assert all(p.similarity is None and p.vector_rank is None for p in result.passages)
        docs = [p.doc_id for p in result.passages]
        assert expected & set(docs), (question, docs)
    assert degradation.is_degraded(EMBEDDINGS)
    reason = degradation.get(EMBEDDINGS)
    assert reason is not None and "keyword search only" in reason.reason


# Lay words the library never uses ("panadol", "whistling chest", "peeing").
LAY_QUESTIONS = [
    ("how much panadol for a 2 year old", "paracetamol-and-medication-safety"),
    ("whistling chest in a 3 year old", "asthma-wheeze"),
    ("stinging when peeing, pregnant", "urinary-tract-infection"),
]


def test_keyword_search_finds_a_lay_word_by_its_clinical_synonyms(library: Library) -> None:
    keyword_only = knowledge_for(library.services, None)
    without_synonyms = HybridRetriever(keyword_only.store, None, synonyms=None)
    for question, expected in LAY_QUESTIONS:
        found = [p.doc_id for p in keyword_only.search(question, 3).passages]
        assert found[0] == expected, (question, found)
        plain = [p.doc_id for p in without_synonyms.search(question, 3).passages]
        assert expected not in plain, (question, plain)


def test_hostile_queries_do_not_break_search(library: Library) -> None:
    for query in ['fever AND "cough', "NOT NOT", "NEAR(", "col:fever*", "😷 ไข้", "\x00", ""]:
        result = library.knowledge.search(query, 3)
        assert result.mode == "hybrid"
    assert top_docs(library.knowledge, 'dengue" OR "')[0] == "dengue"


def test_reimporting_the_library_changes_nothing(library: Library, tmp_path: Path) -> None:
    version = library.knowledge.store.kb_version()
    session = library.services.accounts.login("admin", "Admin-password-1")
    again = library.knowledge.import_starter_library(session, force=True)
    assert again is not None
    assert [r.outcome for r in again.results] == [ImportOutcome.UNCHANGED] * again.total
    assert library.knowledge.store.kb_version() == version
    # The same files through an ordinary import (another origin) are duplicates, not copies.
    copy = tmp_path / "copy.md"
    copy.write_bytes(starter_library_files()[0].read_bytes())
    summary = library.knowledge.import_paths(session, [copy])
    assert summary.of(ImportOutcome.UNCHANGED)[0].message is not None
    assert "same content" in (summary.of(ImportOutcome.UNCHANGED)[0].message or "")
    assert library.knowledge.store.kb_version() == version


def test_vector_matrix_is_small_and_normalised(library: Library) -> None:
    library.knowledge.search("fast breathing", 1)  # the matrix is loaded at the first search
    index = library.knowledge.retriever.index
    assert index is not None
    assert index.matrix.dtype == np.float32 and index.matrix.shape[1] == 384
    assert np.allclose(np.linalg.norm(index.matrix, axis=1), 1.0, atol=1e-4)
    assert index.matrix.flags["C_CONTIGUOUS"]


def test_a_question_runs_on_one_torch_thread_and_the_setting_is_restored(
    embedder: SentenceEmbedder,
) -> None:
    import torch

    before = torch.get_num_threads()
    with embedder._threads_for(1):
        inside_small = torch.get_num_threads()
    with embedder._threads_for(64):
        inside_batch = torch.get_num_threads()
    assert inside_small == 1 and inside_batch == before == torch.get_num_threads()
    texts = [f"question {n} about fever and cough" for n in range(3)]
    one_by_one = np.vstack([embedder.encode([t]) for t in texts])
    batched = embedder.encode(texts * 4)[:3]  # 12 texts: torch's own thread count
    assert np.allclose(one_by_one, batched, atol=1e-5)
    assert torch.get_num_threads() == before
