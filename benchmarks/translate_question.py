"""What rendering a non-English question in English costs, and what it does for retrieval.

A consult in Indonesian or Vietnamese is routed and searched with the question's
English rendering when a model that writes clinical answers is loaded
(`core/assistant/translate.py`). This measures, on ten clinical questions (five
Indonesian, five Vietnamese) whose answering document in the starter library is
known:

- the time of `translate_question` with the embedded Gemma 3 270M standing in for the
  capable model (it is not one, so the consult never asks it; the function is called
  directly): p50/p95 ms, and the renderings it gave;
- the route (out of scope or not) and document recall@1/@3 of the shipped retriever
  (all-MiniLM-L6-v2, hybrid) with three texts: the question as typed, the 270M's
  rendering, and a reference English rendering written with the question (what a
  capable model should give: the upper bound of the step).

Greedy decoding, 1 thread, one warm-up rendering then one per question (the machine
is shared; the figures are of one short run).

    .venv/bin/python benchmarks/translate_question.py

Results: benchmarks/results/translate_question.json.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from medassist_desktop.atomic_io import atomic_write_text  # noqa: E402
from medassist_desktop.config import load_settings  # noqa: E402
from medassist_desktop.core.assistant.translate import (  # noqa: E402
    TRANSLATION_MAX_TOKENS,
    needs_translation,
    translate_question,
)
from medassist_desktop.core.inference.engine import LlamaEngine  # noqa: E402
from medassist_desktop.core.inference.loading import prepare_load  # noqa: E402
from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder  # noqa: E402
from medassist_desktop.core.knowledge.importer import KnowledgeImporter  # noqa: E402
from medassist_desktop.core.knowledge.prebuilt import load_prebuilt_vectors  # noqa: E402
from medassist_desktop.core.knowledge.retrieval import HybridRetriever  # noqa: E402
from medassist_desktop.core.knowledge.starter import starter_library_files  # noqa: E402
from medassist_desktop.core.knowledge.store import KnowledgeStore, starter_origin  # noqa: E402
from medassist_desktop.core.routing import IntentRouter  # noqa: E402
from medassist_desktop.services.knowledge import chunker_for  # noqa: E402
from medassist_desktop.storage.database import Database  # noqa: E402
from medassist_desktop.storage.migrations import migrate  # noqa: E402
from medassist_desktop.storage.schema import ALL_MIGRATIONS  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "translate_question.json"
TOP = 3

# (language, question as a health worker might type it, reference English, answering documents)
QUESTIONS: list[tuple[str, str, str, list[str]]] = [
    (
        "id",
        "Berapa napas per menit yang dianggap napas cepat pada anak umur 8 bulan?",
        "How many breaths per minute count as fast breathing in an 8-month-old child?",
        ["pneumonia-child"],
    ),
    (
        "id",
        "Bagaimana cara memberikan oralit dan zinc untuk anak dengan diare?",
        "How do I give ORS and zinc to a child with diarrhoea?",
        ["diarrhoea-ors-zinc-treatment-plans"],
    ),
    (
        "id",
        "Apa saja tanda bahaya umum pada anak sakit yang harus segera dirujuk?",
        "What are the general danger signs in a sick child that need urgent referral?",
        ["imci-general-danger-signs"],
    ),
    (
        "id",
        "Seorang petani digigit ular di kaki, apa yang harus dilakukan sebelum ke rumah sakit?",
        "A farmer was bitten by a snake on the foot; what should be done before hospital?",
        ["snakebite"],
    ),
    (
        "id",
        "Ibu mengalami perdarahan banyak setelah melahirkan, apa yang harus saya lakukan?",
        "The mother is bleeding heavily after giving birth; what should I do?",
        ["postpartum-haemorrhage"],
    ),
    (
        "vi",
        "Trẻ bị sốt xuất huyết có dấu hiệu cảnh báo nào cần chuyển viện?",
        "Which warning signs in a child with dengue fever mean referral to hospital?",
        ["dengue"],
    ),
    (
        "vi",
        "Xử trí vết thương do chó cắn như thế nào để phòng bệnh dại?",
        "How should a dog bite wound be managed to prevent rabies?",
        ["rabies-exposure"],
    ),
    (
        "vi",
        "Trẻ sơ sinh bị vàng da, khi nào cần chuyển tuyến?",
        "A newborn baby has jaundice; when must the baby be referred?",
        ["neonatal-jaundice"],
    ),
    (
        "vi",
        "Liều paracetamol cho trẻ em bị sốt là bao nhiêu?",
        "What is the dose of paracetamol for a child with fever?",
        ["paracetamol-and-medication-safety", "fever-without-source"],
    ),
    (
        "vi",
        "Phụ nữ mang thai bị đau đầu dữ dội và nhìn mờ thì phải làm gì?",
        "A pregnant woman has a severe headache and blurred vision; what should be done?",
        ["pre-eclampsia-eclampsia", "maternal-danger-signs"],
    ),
]


def build_retriever(folder: Path, embedder: SentenceEmbedder) -> HybridRetriever:
    db = Database.open(folder / "kb.db", os.urandom(32), create=True)
    migrate(db, ALL_MIGRATIONS)
    store = KnowledgeStore(db)
    importer = KnowledgeImporter(store, chunker_for("all-MiniLM-L6-v2"), embedder)
    importer.prebuilt = load_prebuilt_vectors(embedder.model_id)
    importer.import_files(starter_library_files(), origin=lambda f: starter_origin(f.name))
    return HybridRetriever(store, embedder)


def doc_rank(retriever: HybridRetriever, text: str, docs: list[str]) -> int | None:
    passages = retriever.search(text, k=10).passages
    for rank, passage in enumerate(passages, start=1):
        if passage.doc_id in docs:
            return rank
    return None


def recall(ranks: list[int | None], at: int) -> float:
    return round(sum(1 for r in ranks if r is not None and r <= at) / len(ranks), 3)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return round(ordered[index], 1)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        loaded = load_settings(
            {
                "MEDASSIST_DATA_DIR": tmp,
                "MEDASSIST_ENV": "development",
                "MODEL_THREADS": "1",
                "MODEL_CONTEXT_TOKENS": "1024",
            }
        )
        engine = LlamaEngine()
        info = engine.load(prepare_load(loaded.settings, loaded.paths))
        embedder = SentenceEmbedder()
        embedder.load()
        router = IntentRouter(embedder)
        router.warm_up()
        retriever = build_retriever(Path(tmp), embedder)
        translate_question(engine, QUESTIONS[0][1])  # warm-up, not counted

        rows: list[dict[str, Any]] = []
        for language, question, reference, docs in QUESTIONS:
            rendered = translate_question(engine, question)
            small = rendered.text or question
            texts = {"as_typed": question, "gemma_270m": small, "reference": reference}
            rows.append(
                {
                    "language": language,
                    "question": question,
                    "needs_translation": needs_translation(question, language),
                    "translation_ms": rendered.ms,
                    "translation_tokens": rendered.tokens,
                    "gemma_270m": rendered.text,
                    "failure": rendered.failure,
                    "reference": reference,
                    "docs": docs,
                    "rank": {name: doc_rank(retriever, t, docs) for name, t in texts.items()},
                    "out_of_scope": {
                        name: router.route(t).is_out_of_scope for name, t in texts.items()
                    },
                }
            )
            print(f"{rendered.ms:8.0f} ms  {question}\n            -> {rendered.text!r}")
        engine.close()

    times = [row["translation_ms"] for row in rows]
    summary = {
        name: {
            "recall@1": recall([row["rank"][name] for row in rows], 1),
            "recall@3": recall([row["rank"][name] for row in rows], TOP),
            "routed_out_of_scope": sum(row["out_of_scope"][name] for row in rows),
        }
        for name in ("as_typed", "gemma_270m", "reference")
    }
    result = {
        "what": "translate_question cost (Gemma 3 270M stand-in) and retrieval with/without it",
        "machine": {"platform": platform.platform(), "python": platform.python_version()},
        "model": info.name,
        "threads": 1,
        "max_tokens": TRANSLATION_MAX_TOKENS,
        "questions": len(rows),
        "translation_ms": {
            "p50": round(statistics.median(times), 1),
            "p95": percentile(times, 0.95),
            "max": round(max(times), 1),
        },
        "retrieval": summary,
        "rows": rows,
    }
    atomic_write_text(RESULTS, json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps({k: result[k] for k in ("translation_ms", "retrieval")}, indent=1))


if __name__ == "__main__":
    main()
