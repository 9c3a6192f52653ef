"""Retrieval quality on clinic documents: recall@1, recall@3 and MRR, hybrid and keyword-only.

The situation a clinic is in: the whole starter library (resources/knowledge/) is
present, the clinic has imported its own standard operating procedures, and staff ask
in their own words. The clinic documents and the questions live in
benchmarks/data/retrieval_eval/: documents/tuning/ with the "tuning" questions of
questions.json (used to choose ranking settings) and documents/heldout/ with the
questions of heldout.json (written by someone who did not see the ranking code or its
results, and never looked at while choosing settings: they measure what a new clinic
would see). Every document of both groups is imported, so each split's questions also
compete with the other split's documents.

Keyword-only search can only find a passage that shares words with the question, so
its target is measured on the "overlap" questions too: those with at least two search
words (as keyword search stems them) in the answering section.

A question counts as answered at rank r when the r-th passage comes from the expected
document and its section path contains the expected heading words (the passage that
answers, not merely the right document). MRR is over the top 10.

    .venv/bin/python benchmarks/retrieval_eval.py [--label NAME] [--note TEXT]
    .venv/bin/python benchmarks/retrieval_eval.py --config 'NAME:prefer_local=false'
    .venv/bin/python benchmarks/retrieval_eval.py --one-by-one   # as the app asks: search()

`--config` (repeatable) measures retriever settings other than the product defaults
(keyword arguments of HybridRetriever) on one imported database.

Results: benchmarks/results/retrieval_eval.json (one entry per label: the ranking
change measured) and the table benchmarks/results/retrieval_eval.md made from it.
The database is an encrypted file in a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
DATA = ROOT / "benchmarks" / "data" / "retrieval_eval"
RESULTS_JSON = ROOT / "benchmarks" / "results" / "retrieval_eval.json"
RESULTS_TABLE = ROOT / "benchmarks" / "results" / "retrieval_eval.md"
TOP = 10


from medassist_desktop.atomic_io import atomic_write_text  # noqa: E402
from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder  # noqa: E402
from medassist_desktop.core.knowledge.fts_query import query_terms, quote  # noqa: E402
from medassist_desktop.core.knowledge.importer import ImportOutcome, KnowledgeImporter  # noqa: E402
from medassist_desktop.core.knowledge.passages import Passage  # noqa: E402
from medassist_desktop.core.knowledge.retrieval import HybridRetriever  # noqa: E402
from medassist_desktop.core.knowledge.starter import starter_library_files  # noqa: E402
from medassist_desktop.core.knowledge.store import KnowledgeStore, starter_origin  # noqa: E402
from medassist_desktop.services.knowledge import chunker_for  # noqa: E402
from medassist_desktop.storage.database import Database  # noqa: E402
from medassist_desktop.storage.migrations import migrate  # noqa: E402
from medassist_desktop.storage.schema import ALL_MIGRATIONS  # noqa: E402


def load_questions() -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = []
    for name in ("questions.json", "heldout.json"):
        if (DATA / name).exists():
            questions += json.loads((DATA / name).read_text(encoding="utf-8"))["questions"]
    return questions


def clinic_documents() -> list[Path]:
    return sorted((DATA / "documents").rglob("*.md"))


def answer_rank(passages: list[Passage], question: dict[str, Any]) -> int | None:
    """1-based rank of the first passage that answers the question; None if none does."""
    for rank, passage in enumerate(passages, start=1):
        if "docs" in question:  # a starter-library question: any passage of its documents
            if passage.doc_id in question["docs"]:
                return rank
        elif (
            passage.doc_id == question["doc"]
            and question["section"].casefold() in passage.section.casefold()
        ):
            return rank
    return None


def metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {
        "n": n,
        "recall@1": round(sum(1 for r in ranks if r == 1) / n, 3),
        "recall@3": round(sum(1 for r in ranks if r is not None and r <= 3) / n, 3),
        "mrr": round(sum(1 / r for r in ranks if r is not None) / n, 3),
    }


def build_store(folder: Path, embedder: SentenceEmbedder) -> tuple[Database, KnowledgeStore]:
    path = folder / f"kb-{secrets.token_hex(4)}.db"
    db = Database.open(path, secrets.token_bytes(32), create=True)
    migrate(db, ALL_MIGRATIONS)
    store = KnowledgeStore(db)
    importer = KnowledgeImporter(store, chunker_for("all-MiniLM-L6-v2"), embedder)
    starter = importer.import_files(
        starter_library_files(), origin=lambda path: starter_origin(path.name)
    )
    clinic = importer.import_files(clinic_documents())
    failed = starter.of(ImportOutcome.FAILED) + clinic.of(ImportOutcome.FAILED)
    if failed:
        raise SystemExit(f"import failed: {[f.message for f in failed]}")
    return db, store


def shared_words(store: KnowledgeStore, question: dict[str, Any]) -> int:
    """How many of the question's search words occur in its answering section (FTS5
    matching, so stemmed and without diacritics as keyword search sees them)."""
    count = 0
    for term in query_terms(question["q"]):
        found = store.db.scalar(
            "SELECT count(*) FROM kb_chunks_fts f JOIN kb_chunks c ON c.id = f.rowid "
            "JOIN kb_documents d ON d.id = c.document_id WHERE kb_chunks_fts MATCH ? "
            "AND d.doc_id = ? AND instr(lower(c.section), lower(?)) > 0",
            (quote(term), question["doc"], question["section"]),
        )
        count += 1 if found else 0
    return count


def evaluate(
    retriever: HybridRetriever,
    store: KnowledgeStore,
    questions: list[dict[str, Any]],
    *,
    one_by_one: bool = False,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """`one_by_one`: each question through `search`, as the app asks (the question
    embedded alone, on the retriever's helper thread), instead of one batched encode."""
    texts = [q["q"] for q in questions]
    if one_by_one:
        results = [retriever.search(text, k=TOP) for text in texts]
    else:
        results = retriever.search_many(texts, k=TOP)
    per_split: dict[str, list[int | None]] = {}
    details = []
    for question, result in zip(questions, results, strict=True):
        rank = answer_rank(result.passages, question)
        per_split.setdefault(question["split"], []).append(rank)
        if "doc" in question and shared_words(store, question) >= 2:
            per_split.setdefault(question["split"] + "+overlap", []).append(rank)
        details.append(
            {
                "split": question["split"],
                "q": question["q"],
                "rank": rank,
                "top3": [f"{p.doc_id} | {p.section}" for p in result.passages[:3]],
            }
        )
    return {split: metrics(ranks) for split, ranks in sorted(per_split.items())}, details


def write_table(runs: dict[str, Any]) -> None:
    lines = [
        "# Retrieval on clinic documents with the starter library present",
        "",
        "Made by `benchmarks/retrieval_eval.py` from retrieval_eval.json (one row per",
        "ranking change, in the order measured). R@1 / R@3 / MRR@10; held-out questions",
        "and documents were never used to choose a setting. 'starter': the starter-library",
        "retrieval test's questions (any passage of the right document), asked with the",
        "clinic documents present: the clinic's documents must not push the library away.",
        "'overlap R@3': keyword-only recall@3 on the held-out questions that share at least",
        "two search words with their answering section.",
        "",
        "Five held-out sets in turn: rows up to 'overlapped search, one by one' measure the",
        "first (8 documents, 44 questions; 20 tuning questions over 4 documents). Its results had",
        "been seen, so it then joined the tuning split (12 documents, 64 questions), and a",
        "second set was written by someone who saw neither the ranking code nor any result",
        "(11 documents of three fictional health centres, 57 questions): the 'set 2' rows,",
        "each measured once with the ranking frozen, re-measuring the earlier changes on it.",
        "Set 2 then joined the tuning split too (23 documents, 121 questions), two changes",
        "were chosen on it, and a third set was written the same way (12 documents of four",
        "other fictional health centres, 69 questions): the 'set 3' rows. Set 3 then joined",
        "the tuning split (35 documents, 190 questions) and a fourth set was written the same",
        "way (12 documents of four more fictional health centres, 72 questions): the 'set 4'",
        "rows, the ranking before and after one change chosen on the tuning split. Set 4",
        "then joined the tuning split too (47 documents, 262 questions), one more change was",
        "chosen on it, and a fifth set was written the same way (12 documents of other",
        "fictional health centres): the 'set 5' rows.",
        "",
        "| change | mode | held-out R@1 | R@3 | MRR | overlap R@3 | tuning R@1 | R@3 | MRR "
        "| starter R@1 | R@3 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, run in runs.items():
        for mode in ("hybrid", "keyword"):
            if mode not in run["modes"]:
                continue
            splits = run["modes"][mode]
            cells = [
                _cells(splits.get("heldout"), 3),
                _cells(splits.get("heldout+overlap"), 1) if mode == "keyword" else "-",
                _cells(splits.get("tuning"), 3),
                _cells(splits.get("starter"), 2),
            ]
            lines.append(f"| {label} | {mode} | " + " | ".join(cells) + " |")
    lines.append("")
    for label, run in runs.items():
        if run.get("note"):
            lines.append(f"- **{label}**: {run['note']}")
    atomic_write_text(RESULTS_TABLE, "\n".join(lines) + "\n")


def _cells(figures: dict[str, float] | None, count: int) -> str:
    """recall@3 alone (count 1), R@1 and R@3 (2), or R@1, R@3 and MRR (3); '-' when
    the run did not measure that split."""
    keys = {1: ["recall@3"], 2: ["recall@1", "recall@3"], 3: ["recall@1", "recall@3", "mrr"]}
    if figures is None:
        return " | ".join(["-"] * count)
    return " | ".join(f"{figures[key]:.3f}" for key in keys[count])


def parse_config(text: str) -> tuple[str, dict[str, Any]]:
    label, _, settings = text.partition(":")
    options: dict[str, Any] = {}
    for item in filter(None, settings.split(",")):
        key, _, value = item.partition("=")
        options[key.strip()] = json.loads(value)
    return label, options


def report(
    label: str, run: dict[str, Any], details: dict[str, list[dict[str, Any]]], *, show_misses: bool
) -> None:
    for mode, splits in run["modes"].items():
        for split, figures in splits.items():
            print(f"{label:24} {mode:8} {split:8} {json.dumps(figures)}")
    if show_misses:  # tuning questions only: held-out misses stay unseen while tuning
        for mode, rows in details.items():
            for row in rows:
                if row["split"] != "heldout" and (row["rank"] is None or row["rank"] > 3):
                    print(f"MISS {mode} rank={row['rank']} {row['q']}\n      {row['top3']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--label", default="current", help="the ranking change measured")
    parser.add_argument("--note", default="", help="what the change is (shown in the table)")
    parser.add_argument("--show-misses", action="store_true", help="print tuning misses")
    parser.add_argument(
        "--one-by-one",
        action="store_true",
        help="ask each question through search() (the app's path) instead of one batch",
    )
    parser.add_argument(
        "--config",
        action="append",
        default=[],
        help="LABEL:key=value,... retriever settings to measure instead of the defaults",
    )
    args = parser.parse_args()

    questions = load_questions()
    embedder = SentenceEmbedder()
    embedder.load()
    with tempfile.TemporaryDirectory(prefix="medassist-eval-") as tmp:
        started = time.perf_counter()
        db, store = build_store(Path(tmp), embedder)
        build_s = time.perf_counter() - started
        configs = [parse_config(text) for text in args.config] or [(args.label, {})]
        measured: dict[str, Any] = {}
        for label, options in configs:
            run: dict[str, Any] = {
                "note": args.note if not args.config else f"settings {options}",
                "chunks": store.chunk_count(),
                "documents": len(store.fingerprints()),
                "import_s": round(build_s, 1),
                "modes": {},
            }
            details: dict[str, list[dict[str, Any]]] = {}
            for mode, model in (("hybrid", embedder), ("keyword", None)):
                retriever = HybridRetriever(store, model, **options)
                run["modes"][mode], details[mode] = evaluate(
                    retriever, store, questions, one_by_one=args.one_by_one
                )
                retriever.close()
            measured[label] = run
            report(label, run, details, show_misses=args.show_misses)
        db.close()

    runs: dict[str, Any] = {}
    if RESULTS_JSON.exists():
        runs = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))["runs"]
    runs.update(measured)
    atomic_write_text(RESULTS_JSON, json.dumps({"runs": runs}, indent=2) + "\n")
    write_table(runs)


if __name__ == "__main__":
    main()
