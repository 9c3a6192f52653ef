"""Ranking rules on the real model and a real encrypted database: at most two chunks of
one starter-library document (three of a clinic's) first, and the clinic's own documents
preferred when scores are close."""

from __future__ import annotations

from pathlib import Path

import pytest

from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder
from medassist_desktop.core.knowledge.importer import KnowledgeImporter
from medassist_desktop.core.knowledge.retrieval import HybridRetriever
from medassist_desktop.core.knowledge.store import KnowledgeStore, starter_origin
from medassist_desktop.services.knowledge import chunker_for
from medassist_desktop.services.security import SecurityServices

pytestmark = pytest.mark.slow

# A long generic document: every section is about the vaccine fridge.
GENERIC = (
    "---\ntitle: Vaccine storage\nsource: Generic guide\n---\n\n# Vaccine storage\n\n"
    + "".join(
        f"## Fridge topic {n}\n\nKeep the vaccine fridge between 2 and 8 degrees; check the "
        f"fridge thermometer and the vaccine fridge log, point {n}.\n\n"
        for n in range(6)
    )
)
CLINIC = (
    "---\ntitle: Our fridge procedure\nsource: Clinic SOP\n---\n\n# Our fridge procedure\n\n"
    "## When the fridge is too warm\n\nIf the vaccine fridge thermometer reads above 8 "
    "degrees, phone the district cold chain officer and keep the vaccines in the cool box.\n"
)
# The same passage in the starter library and in a clinic document.
TWIN_TEXT = (
    "## Wound washing\n\nWash a dog bite wound with soap and running water for fifteen "
    "minutes, then apply povidone iodine.\n"
)


def import_into(store: KnowledgeStore, embedder: SentenceEmbedder, folder: Path) -> None:
    folder.mkdir()
    (folder / "generic.md").write_text(GENERIC, encoding="utf-8")
    (folder / "starter-bites.md").write_text(
        "---\ntitle: Dog bites\n---\n\n# Dog bites\n\n" + TWIN_TEXT, encoding="utf-8"
    )
    (folder / "clinic.md").write_text(CLINIC, encoding="utf-8")
    (folder / "clinic-bites.md").write_text(
        "---\ntitle: Dog bites at our clinic\n---\n\n# Dog bites\n\n" + TWIN_TEXT,
        encoding="utf-8",
    )
    importer = KnowledgeImporter(store, chunker_for("all-MiniLM-L6-v2"), embedder)
    starter = [folder / "generic.md", folder / "starter-bites.md"]
    importer.import_files(starter, origin=lambda path: starter_origin(path.name))
    importer.import_files([folder / "clinic.md", folder / "clinic-bites.md"])


@pytest.fixture
def store(clinic: SecurityServices, embedder: SentenceEmbedder, tmp_path: Path) -> KnowledgeStore:
    knowledge_store = KnowledgeStore(clinic.db)
    import_into(knowledge_store, embedder, tmp_path / "docs")
    return knowledge_store


@pytest.mark.parametrize("mode", ["hybrid", "keyword"])
def test_one_document_fills_at_most_two_of_the_top_places(
    store: KnowledgeStore, embedder: SentenceEmbedder, mode: str
) -> None:
    retriever = HybridRetriever(store, embedder if mode == "hybrid" else None, prefer_local=False)
    question = "vaccine fridge thermometer degrees log"
    unlimited = HybridRetriever(
        store, embedder if mode == "hybrid" else None, prefer_local=False, max_per_document=99
    ).search(question, 3)
    assert [p.doc_id for p in unlimited.passages] == ["generic"] * 3  # what the rule prevents

    result = retriever.search(question, 8)
    docs = [p.doc_id for p in result.passages]
    assert docs[:3].count("generic") == 2 and "clinic" in docs[:3]
    # Its further chunks still come, after every other document's passages.
    third = [n for n, doc in enumerate(docs) if doc == "generic"][2]
    assert set(docs[third:]) == {"generic"}


@pytest.mark.parametrize("mode", ["hybrid", "keyword"])
def test_a_clinic_document_may_fill_three_of_the_top_places(
    clinic: SecurityServices, embedder: SentenceEmbedder, tmp_path: Path, mode: str
) -> None:
    """The same long document, imported by the clinic: its procedure often answers in the
    section after the two most similar, so it may place a third chunk, not a fourth."""
    store = KnowledgeStore(clinic.db)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "our-storage.md").write_text(GENERIC, encoding="utf-8")
    (folder / "clinic.md").write_text(CLINIC, encoding="utf-8")
    KnowledgeImporter(store, chunker_for("all-MiniLM-L6-v2"), embedder).import_files(
        [folder / "our-storage.md", folder / "clinic.md"]
    )
    model = embedder if mode == "hybrid" else None
    question = "vaccine fridge thermometer degrees log"
    unlimited = HybridRetriever(store, model, max_per_clinic_document=99).search(question, 4)
    assert [p.doc_id for p in unlimited.passages] == ["our-storage"] * 4  # what the rule limits

    docs = [p.doc_id for p in HybridRetriever(store, model).search(question, 8).passages]
    assert docs[:3] == ["our-storage"] * 3 and docs[3] == "clinic"
    assert set(docs[3:]) == {"clinic", "our-storage"} and docs.count("clinic") == 1


def test_the_clinic_passage_wins_a_tie_with_the_starter_library_and_says_so(
    store: KnowledgeStore, embedder: SentenceEmbedder
) -> None:
    question = "how long do I wash a dog bite with soap"
    neutral = HybridRetriever(store, embedder, prefer_local=False).search(question, 2).passages
    preferred = HybridRetriever(store, embedder, prefer_local=True).search(question, 2).passages

    assert {p.doc_id for p in neutral} == {"starter-bites", "clinic-bites"}
    assert [p.library for p in preferred] == ["clinic", "starter"]
    assert preferred[0].doc_id == "clinic-bites"
    clinic_neutral = next(p for p in neutral if p.doc_id == "clinic-bites")
    starter_neutral = next(p for p in neutral if p.doc_id == "starter-bites")
    assert preferred[0].score == pytest.approx(clinic_neutral.score * 1.05)
    assert preferred[1].score == pytest.approx(starter_neutral.score)  # no bonus
    moved = starter_neutral.score > clinic_neutral.score
    assert preferred[0].preferred_local is moved
    assert not preferred[1].preferred_local
    assert not any(p.preferred_local for p in neutral)
    assert preferred[0].to_dict()["library"] == "clinic"


def test_keyword_search_alone_scores_relative_bm25_and_prefers_within_five_percent(
    store: KnowledgeStore,
) -> None:
    """Without vectors a passage's score is its BM25 relative to the best hit, so the
    clinic preference means "within 5% of the BM25 score", not "one rank lower"."""
    question = "wash dog bite wound soap running water"
    neutral = HybridRetriever(store, None, prefer_local=False).search(question, 4).passages
    scores = [p.score for p in neutral]
    assert scores[0] == pytest.approx(1.0) and scores == sorted(scores, reverse=True)
    assert all(0.0 < score <= 1.0 for score in scores)
    preferred = HybridRetriever(store, None, prefer_local=True).search(question, 2).passages
    assert [p.doc_id for p in preferred] == ["clinic-bites", "starter-bites"]
    clinic_neutral = next(p for p in neutral if p.doc_id == "clinic-bites")
    assert preferred[0].score == pytest.approx(clinic_neutral.score * 1.05)


def test_a_clear_starter_answer_is_not_displaced(
    store: KnowledgeStore, embedder: SentenceEmbedder
) -> None:
    result = HybridRetriever(store, embedder).search("fridge topic 3 vaccine log point 3", 1)
    assert result.passages[0].doc_id == "generic" and result.passages[0].library == "starter"
