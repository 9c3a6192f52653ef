"""What decides "high" for a written answer: each way a small model goes wrong, scripted.

The model is a `ScriptedEngine` so each test writes the exact failure seen on Gemma 3
270M (its instructions echoed, a dosing table's rows shuffled, a passage number that
was never given, a dose that is in no passage); everything else is real: the starter
library searched with all-MiniLM-L6-v2, the semantic router, the WHO triage rules and
the audit log in a SQLCipher file. The faithful answer shows the same checks pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from medassist_desktop.core.assistant.answer import ConsultAnswer
from medassist_desktop.core.assistant.pipeline import (
    UNSUPPORTED_MARK,
    ConsultOptions,
    ConsultPipeline,
    ModelChoice,
)
from medassist_desktop.core.assistant.prompt import ROLE_TEXT
from medassist_desktop.core.inference.interface import GenerationParams
from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder
from medassist_desktop.core.routing import IntentRouter
from medassist_desktop.core.triage import TriageEngine, load_rules
from medassist_desktop.services.security import SecurityServices
from tests.support.consult import ScriptedEngine, kb_retriever_for
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

QUESTION = "How much ORS should I give a child with some dehydration?"
TABLE_ROW = "960 to 1600 ml"


@pytest.fixture(scope="module")
def pipeline(
    minilm_embedder: SentenceEmbedder,
    starter_knowledge_base: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ConsultPipeline]:
    security: SecurityServices = open_services(
        tmp_path_factory.mktemp("grounding"), MemoryKeyring()
    )
    router = IntentRouter(minilm_embedder)
    router.warm_up()
    yield ConsultPipeline(
        triage=TriageEngine(load_rules()),
        router=router,
        retriever=kb_retriever_for(minilm_embedder, starter_knowledge_base),
        audit=security.audit_log,
        options=ConsultOptions(top_k=3, params=GenerationParams(max_tokens=400)),
        embedder=minilm_embedder,
    )
    security.close()


@pytest.fixture(scope="module")
def table_n(pipeline: ConsultPipeline) -> int:
    """The number [n] the Plan B dosing table gets among the passages for QUESTION."""
    passages = pipeline.retriever.search(QUESTION, k=3).passages
    return next(n for n, p in enumerate(passages, start=1) if TABLE_ROW in p.text)


def written(pipeline: ConsultPipeline, text: str) -> ConsultAnswer:
    engine = ScriptedEngine([piece + " " for piece in text.split(" ")], logprob=-0.05)
    return pipeline.ask(
        QUESTION, model=ModelChoice(engine, name="writer", sha256="cd" * 32, clinical_answers=True)
    )


def faithful(n: int) -> str:
    return (
        f"Give the recommended amount of ORS over 4 hours, in the clinic [{n}]. "
        f"For a child of 2 up to 5 years weighing 12 to 19 kg: 960 to 1600 ml [{n}]."
    )


def test_a_faithful_answer_passes_every_check(pipeline: ConsultPipeline, table_n: int) -> None:
    answer = written(pipeline, faithful(table_n))
    signals = answer.confidence.signals
    assert answer.engine == "local" and answer.confidence.level == "high", answer.confidence
    assert signals["unsupported_numbers"] == [] and signals["numbers_checked"] == 4
    assert signals["echoed_sentences"] == 0 and UNSUPPORTED_MARK not in answer.text


def test_echoed_instructions_are_low(pipeline: ConsultPipeline, table_n: int) -> None:
    answer = written(pipeline, ROLE_TEXT + " " + faithful(table_n))
    assert answer.confidence.level == "low"
    assert any("sentence(s) of its instructions" in r for r in answer.confidence.reasons)


def test_a_shuffled_table_row_is_low_and_its_numbers_marked(
    pipeline: ConsultPipeline, table_n: int
) -> None:
    # Every number is in the table, but 2-5 years goes with 12-19 kg and 960-1600 ml.
    answer = written(
        pipeline,
        f"For a child of 2 up to 5 years weighing 6 to under 10 kg: 450 to 800 ml [{table_n}].",
    )
    assert answer.confidence.level == "low"
    unsupported = answer.confidence.signals["unsupported_numbers"]
    assert "450 to 800 ml" in unsupported and "6 to under 10 kg" in unsupported
    assert f"450 to 800 ml{UNSUPPORTED_MARK}" in answer.text
    assert any("Numbers not found" in note for note in answer.notes)


def test_an_invented_citation_is_low(pipeline: ConsultPipeline, table_n: int) -> None:
    answer = written(pipeline, faithful(table_n) + " See also [7].")
    assert answer.confidence.level == "low"
    assert answer.confidence.signals["invalid_citations"] == [7]


def test_an_invented_dose_is_low_and_marked(pipeline: ConsultPipeline, table_n: int) -> None:
    answer = written(pipeline, f"Give 2000 ml of ORS over 4 hours [{table_n}].")
    assert answer.confidence.level == "low"
    assert answer.confidence.signals["unsupported_numbers"] == ["2000 ml", "4 hours"]
    assert f"2000 ml{UNSUPPORTED_MARK}" in answer.text


def test_a_number_without_any_citation_is_not_grounded(pipeline: ConsultPipeline) -> None:
    answer = written(pipeline, "Give 960 to 1600 ml of ORS over 4 hours.")
    assert answer.confidence.level == "low"
    assert "960 to 1600 ml" in answer.confidence.signals["unsupported_numbers"]
