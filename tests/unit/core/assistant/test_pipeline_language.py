"""The consult in the health worker's language: fixed texts translated, the model asked
to answer in it, citations and the rules' findings unchanged.

Real parts as in test_pipeline.py: the WHO rules, the keyword router, the starter
library, a real SQLCipher audit log; the model is a `ScriptedEngine`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from medassist_desktop.core.assistant.cache import AnswerCache
from medassist_desktop.core.assistant.pipeline import ConsultOptions, ConsultPipeline, ModelChoice
from medassist_desktop.core.inference.interface import GenerationParams
from medassist_desktop.core.knowledge.passages import Retriever
from medassist_desktop.core.routing import IntentRouter
from medassist_desktop.core.triage import TriageEngine, load_rules
from medassist_desktop.services.security import SecurityServices
from tests.support.consult import EMERGENCY_CASE, ScriptedEngine, kb_retriever_for
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services

QUESTION = "What should I do for a child with cough and fast breathing?"
ANSWER = ["Cho ", "uống ", "amoxicillin ", "và ", "chuyển ", "tuyến ", "[1]."]


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    return kb_retriever_for(None, tmp_path_factory.mktemp("no-embeddings"))


@pytest.fixture
def services(tmp_path: Path) -> Iterator[SecurityServices]:
    opened = open_services(tmp_path / "data", MemoryKeyring())
    yield opened
    opened.close()


def pipeline_in(
    language: str,
    services: SecurityServices,
    retriever: Retriever,
    cache: AnswerCache | None = None,
) -> ConsultPipeline:
    return ConsultPipeline(
        triage=TriageEngine(load_rules()),
        router=IntentRouter(None),
        retriever=retriever,
        audit=services.audit_log,
        cache=cache,
        options=ConsultOptions(top_k=3, params=GenerationParams(max_tokens=64), language=language),
    )


def writer(engine: ScriptedEngine) -> ModelChoice:
    return ModelChoice(engine, name="scripted", sha256="ab" * 32, clinical_answers=True)


def test_vietnamese_header_and_prompt_asking_for_vietnamese(
    services: SecurityServices, retriever: Retriever
) -> None:
    engine = ScriptedEngine(ANSWER)
    answer = pipeline_in("vi", services, retriever).ask(
        QUESTION, EMERGENCY_CASE, model=writer(engine)
    )
    assert answer.text.startswith("Phân loại (quy tắc dấu hiệu nguy hiểm who-iitt-v2): CẤP CỨU\n")
    # The findings in Vietnamese, their level codes and sources as the rules have them.
    assert "- Co giật (hiện tại hoặc trong đợt bệnh này) (emergency;" in answer.text
    assert answer.text.endswith("Cho uống amoxicillin và chuyển tuyến [1].")
    assert answer.triage is not None and answer.triage.level.value == "emergency"
    system = engine.calls[0][0].content
    assert "Write the whole answer in Vietnamese (Tiếng Việt)" in system
    assert "citations like [1]" in system


def test_english_prompt_has_no_language_line(
    services: SecurityServices, retriever: Retriever
) -> None:
    engine = ScriptedEngine(["Refer [1]."])
    answer = pipeline_in("en", services, retriever).ask(
        QUESTION, EMERGENCY_CASE, model=writer(engine)
    )
    assert answer.text.startswith("Triage (danger-sign rules who-iitt-v2): EMERGENCY\n")
    assert "Write the whole answer in" not in engine.calls[0][0].content


def test_refusal_in_indonesian(services: SecurityServices, retriever: Retriever) -> None:
    engine = ScriptedEngine(ANSWER)
    answer = pipeline_in("id", services, retriever).ask(
        "write me a python script", model=writer(engine)
    )
    assert answer.refused and engine.calls == []
    assert answer.text.startswith("Maaf, saya hanya dapat membantu pertanyaan klinis")


def test_rules_only_fallback_in_vietnamese_quotes_the_library_as_it_is(
    services: SecurityServices, retriever: Retriever
) -> None:
    answer = pipeline_in("vi", services, retriever).ask(
        QUESTION,
        EMERGENCY_CASE,
        model=ModelChoice(None, clinical_answers=True),
    )
    assert answer.engine == "rules"
    assert "Mô hình không sẵn sàng (chưa có mô hình nào được nạp)." in answer.text
    assert "Các đoạn gần nhất trong thư viện tham khảo, trích nguyên văn:" in answer.text
    assert answer.citations
    assert f"[1] {answer.citations[0].title}" in answer.text


def test_extractive_answer_says_in_vietnamese_that_quotes_stay_english(
    services: SecurityServices, retriever: Retriever
) -> None:
    engine = ScriptedEngine(ANSWER)
    quoting = ModelChoice(engine, name="gemma-270m", sha256="cd" * 32, clinical_answers=False)
    answer = pipeline_in("vi", services, retriever).ask(QUESTION, model=quoting)
    assert answer.engine == "extractive" and engine.calls == []
    assert answer.text.startswith(
        "Câu trả lời được trích từ thư viện; hãy nhập MedGemma để có câu trả lời được viết ra.\n"
        "Thư viện bằng tiếng Anh và các trích dẫn dưới đây không được dịch"
    )
    assert answer.quotes and "[1]" in answer.text


def test_the_same_question_in_another_language_is_not_served_from_the_cache(
    services: SecurityServices, retriever: Retriever
) -> None:
    cache = AnswerCache(ttl_seconds=600)
    english = pipeline_in("en", services, retriever, cache)
    vietnamese = pipeline_in("vi", services, retriever, cache)
    first = english.ask(QUESTION, EMERGENCY_CASE, model=writer(ScriptedEngine(["Refer [1]."])))
    engine = ScriptedEngine(ANSWER)
    second = vietnamese.ask(QUESTION, EMERGENCY_CASE, model=writer(engine))
    assert not second.cached and len(engine.calls) == 1
    assert first.text != second.text
