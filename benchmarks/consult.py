"""The consult pipeline on the real parts: what the confidence signals look like, and why.

For questions the starter library covers and questions it does not, records per consult:
the route, the passages' cosine similarities, the model's mean token probability, the
grounding checks (invented citations, repetition, instruction echo), the confidence
level and its reasons, and the time of each stage. It also compares the two system
texts tried (the first, longer one and the short one in use) on how much of the answer
merely repeats the instructions. This is the evidence behind the thresholds in
`core/assistant/confidence.py`, `grounding.py` and `ConsultOptions.min_similarity`.

Gemma 3 270M (the test model) on 1 thread, all-MiniLM-L6-v2, the in-memory starter-library
retriever. Greedy decoding (temperature 0) so a rerun gives the same text.

    .venv/bin/python benchmarks/consult.py [--max-tokens 48]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from medassist_desktop.config import load_settings  # noqa: E402
from medassist_desktop.core.assistant import prompt as prompt_module  # noqa: E402
from medassist_desktop.core.assistant.grounding import check_text  # noqa: E402
from medassist_desktop.core.assistant.pipeline import (  # noqa: E402
    ConsultOptions,
    ConsultPipeline,
    ModelChoice,
)
from medassist_desktop.core.inference.engine import LlamaEngine  # noqa: E402
from medassist_desktop.core.inference.interface import GenerationParams  # noqa: E402
from medassist_desktop.core.inference.loading import prepare_load  # noqa: E402
from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder  # noqa: E402
from medassist_desktop.core.knowledge.importer import KnowledgeImporter  # noqa: E402
from medassist_desktop.core.knowledge.retrieval import HybridRetriever  # noqa: E402
from medassist_desktop.core.knowledge.starter import starter_library_files  # noqa: E402
from medassist_desktop.core.knowledge.store import KnowledgeStore, starter_origin  # noqa: E402
from medassist_desktop.core.routing import IntentRouter  # noqa: E402
from medassist_desktop.core.triage import TriageEngine, load_rules  # noqa: E402
from medassist_desktop.services.knowledge import chunker_for  # noqa: E402
from medassist_desktop.storage.database import Database  # noqa: E402
from medassist_desktop.storage.migrations import migrate  # noqa: E402
from medassist_desktop.storage.schema import ALL_MIGRATIONS  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "consult.json"

COVERED = [
    "What are the danger signs of pneumonia in a child with cough?",
    "How do I give ORS to a child with some dehydration?",
    "What is the pre-referral treatment for severe malaria?",
    "What are the warning signs of severe dengue?",
    "How much paracetamol can I give a 12 kg child?",
    "What should I do after a dog bite to prevent rabies?",
]
NOT_COVERED = [
    "How do I put a splint on a broken forearm?",
    "What is the treatment for a kidney stone?",
    "How do I measure eye pressure for glaucoma?",
]
# The first system text, replaced because the model repeated it back.
LONG_RULES = (
    "Answer the question using only the numbered reference passages. After each fact, cite "
    "the passage it comes from in square brackets, like [1] or [2]. If the passages do not "
    "cover the question, say that the reference library does not cover it, and do not guess. "
    "Never invent a drug dose. Keep the answer short and practical."
)
LONG_ROLE = (
    "You are MedAssist, a clinical decision-support assistant for trained health workers "
    "in rural clinics. You do not replace their judgement or national guidelines."
)


class NullAudit:
    def append(self, *_args: object, **_kwargs: object) -> int:
        return 0


def consult_row(pipeline: ConsultPipeline, choice: ModelChoice, question: str) -> dict[str, Any]:
    started = time.perf_counter()
    route = pipeline.router.route(question)
    routed = time.perf_counter()
    found = pipeline.retriever.search(question, k=pipeline.options.top_k)
    retrieved = time.perf_counter()
    answer = pipeline.ask(question, model=choice)
    signals = answer.confidence.signals
    return {
        "question": question,
        "route": route.intent.value,
        "route_confidence": route.confidence,
        "passages": [
            {"title": p.title, "section": p.section, "similarity": round(p.similarity or 0, 3)}
            for p in found.passages
        ],
        "shown_to_model": len(answer.citations),
        "engine": answer.engine,
        "text": answer.text,
        "mean_token_probability": signals.get("mean_token_probability"),
        "cited_passages": signals.get("cited_passages"),
        "repetition": signals.get("repetition"),
        "instruction_echo": signals.get("instruction_echo"),
        "invalid_citations": signals.get("invalid_citations"),
        "confidence": answer.confidence.level,
        "reasons": list(answer.confidence.reasons),
        "ms": {
            "route": round((routed - started) * 1000, 1),
            "retrieve": round((retrieved - routed) * 1000, 1),
            "whole_consult": answer.latency_ms,
            "first_token": answer.generation.time_to_first_token_ms if answer.generation else None,
            "tokens_per_second": answer.generation.tokens_per_second if answer.generation else None,
        },
    }


def echo_of_long_prompt(
    pipeline: ConsultPipeline, choice: ModelChoice, questions: list[str]
) -> list[dict[str, Any]]:
    """The same questions with the first, longer system text: how much the model echoed."""
    short_role, short_rules = prompt_module.ROLE_TEXT, prompt_module.RULES_TEXT
    prompt_module.ROLE_TEXT, prompt_module.RULES_TEXT = LONG_ROLE, LONG_RULES
    try:
        rows = []
        for question in questions:
            answer = pipeline.ask(question, model=choice)
            checks = check_text(
                answer.text,
                instructions=f"{LONG_ROLE}\n\n{LONG_RULES}",
                passages_given=len(answer.citations),
            )
            rows.append(
                {
                    "question": question,
                    "instruction_echo": round(checks.instruction_echo, 3),
                    "text": answer.text,
                }
            )
        return rows
    finally:
        prompt_module.ROLE_TEXT, prompt_module.RULES_TEXT = short_role, short_rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-tokens", type=int, default=48)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        loaded = load_settings(
            {
                "MEDASSIST_DATA_DIR": tmp,
                "MEDASSIST_ENV": "development",
                "MODEL_THREADS": "1",
                "MODEL_CONTEXT_TOKENS": "2048",
            }
        )
        engine = LlamaEngine()
        info = engine.load(prepare_load(loaded.settings, loaded.paths))
        embedder = SentenceEmbedder()
        router = IntentRouter(embedder)
        router.warm_up()
        kb = Database.open(Path(tmp) / "kb.db", os.urandom(32), create=True)
        migrate(kb, ALL_MIGRATIONS)
        store = KnowledgeStore(kb)
        KnowledgeImporter(store, chunker_for("all-MiniLM-L6-v2"), embedder).import_files(
            starter_library_files(), origin=lambda path: starter_origin(path.name)
        )
        retriever = HybridRetriever(store, embedder)  # the knowledge base's, as in the app
        params = GenerationParams(max_tokens=args.max_tokens, temperature=0.0)
        pipeline = ConsultPipeline(
            triage=TriageEngine(load_rules()),
            router=router,
            retriever=retriever,
            audit=NullAudit(),  # type: ignore[arg-type]
            options=replace(ConsultOptions(top_k=3), params=params),
        )
        # Measures what the model itself writes, so it is asked even where the app would
        # quote the library instead (its manifest entry lacks clinical_answers).
        choice = ModelChoice(engine, name=info.name, sha256=info.sha256, clinical_answers=True)
        covered = [consult_row(pipeline, choice, q) for q in COVERED]
        not_covered = [consult_row(pipeline, choice, q) for q in NOT_COVERED]
        long_prompt = echo_of_long_prompt(pipeline, choice, COVERED[:4])
        engine.close()

    def top(rows: list[dict[str, Any]]) -> list[float]:
        return [row["passages"][0]["similarity"] for row in rows if row["passages"]]

    summary = {
        "top_similarity_covered": sorted(top(covered)),
        "top_similarity_not_covered": sorted(top(not_covered)),
        "mean_token_probability": sorted(
            r["mean_token_probability"]
            for r in covered + not_covered
            if r["mean_token_probability"] is not None
        ),
        "confidence_levels": {
            "covered": [r["confidence"] for r in covered],
            "not_covered": [r["confidence"] for r in not_covered],
        },
        "instruction_echo": {
            "short_system_text": [r["instruction_echo"] for r in covered[:4]],
            "long_system_text": [r["instruction_echo"] for r in long_prompt],
        },
        "median_consult_ms": statistics.median(r["ms"]["whole_consult"] for r in covered),
    }
    result = {
        "benchmark": "consult",
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_avg": os.getloadavg(),
        },
        "model": info.name,
        "max_tokens": args.max_tokens,
        "summary": summary,
        "covered": covered,
        "not_covered": not_covered,
        "long_system_text": long_prompt,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
