"""A question in Vietnamese or Indonesian is routed and searched with its English rendering.

Real parts as in test_pipeline.py: the WHO rules, the keyword router, the starter
library searched by keywords, a real SQLCipher audit log. The model is a
`ScriptedEngine` that gives one reply to the translation instruction and another to
the answer prompt, so each test decides both; the retriever is the real one, wrapped
to record what it was asked.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.core.assistant.cache import AnswerCache
from medassist_desktop.core.assistant.pipeline import (
    ConsultOptions,
    ConsultPipeline,
    ModelChoice,
    question_digest,
)
from medassist_desktop.core.assistant.translate import (
    TRANSLATE_INSTRUCTION,
    needs_translation,
    translate_question,
)
from medassist_desktop.core.inference.errors import ModelLoadError
from medassist_desktop.core.inference.interface import (
    ChatMessage,
    GenerationParams,
    GenerationResult,
    TokenCallback,
)
from medassist_desktop.core.knowledge.passages import RetrievalResult, Retriever
from medassist_desktop.core.routing import IntentRouter
from medassist_desktop.core.triage import TriageEngine, load_rules
from medassist_desktop.services.security import SecurityServices
from tests.support.consult import ScriptedEngine, consult_entries, kb_retriever_for
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services

VI_QUESTION = "Trẻ bị ho và thở nhanh thì phải làm gì?"
ID_QUESTION = "Apa yang harus dilakukan untuk anak dengan batuk dan napas cepat?"
# Routed as a clinical question even as typed (the keyword router knows "amoksisilin").
ID_DOSE_QUESTION = "Berapa dosis amoksisilin untuk anak dengan pneumonia?"
ENGLISH = "What should I do for a child with cough and fast breathing?"
ANSWER = ["Cho ", "uống ", "amoxicillin ", "[1]."]


class TranslatingEngine(ScriptedEngine):
    """Replies `rendering` to the translation instruction and `pieces` to anything else.

    `translation_fails`: the translation raises; `translation_hangs`: it waits until
    cancelled (as a slow model does until the time limit)."""

    def __init__(
        self,
        rendering: str = ENGLISH,
        *,
        translation_fails: bool = False,
        translation_hangs: bool = False,
    ) -> None:
        super().__init__(ANSWER)
        self.rendering = rendering
        self.translation_fails = translation_fails
        self.translation_hangs = translation_hangs
        self.translations: list[list[ChatMessage]] = []
        self._stopped = threading.Event()

    def cancel(self) -> None:
        self._stopped.set()
        super().cancel()

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
    ) -> GenerationResult:
        if not (messages and messages[0].content == TRANSLATE_INSTRUCTION):
            return super().generate(messages, params, on_token)
        self.translations.append(list(messages))
        assert params.temperature == 0.0 and params.max_tokens <= 96
        if self.translation_fails:
            raise ModelLoadError("Generation failed inside llama.cpp (test failure).")
        self._stopped.clear()
        if self.translation_hangs:
            self._stopped.wait(10)
        cancelled = self._stopped.is_set()
        text = "" if cancelled else self.rendering
        return GenerationResult(
            text=text,
            tokens=len(text.split()),
            token_logprobs=[],
            tokens_per_second=100.0,
            time_to_first_token_ms=1.0,
            model_name="scripted",
            model_sha256="ab" * 32,
            cancelled=cancelled,
            stop_reason="cancelled" if cancelled else "stop",
        )


class RecordingRetriever:
    """The real retriever, recording each text it is asked to search."""

    def __init__(self, inner: Retriever) -> None:
        self.inner = inner
        self.queries: list[str] = []

    def search(self, query: str, k: int = 5, *, query_embedding: Any = None) -> RetrievalResult:
        self.queries.append(query)
        return self.inner.search(query, k, query_embedding=query_embedding)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    return kb_retriever_for(None, tmp_path_factory.mktemp("no-embeddings"))


@pytest.fixture
def retriever(library: Retriever) -> RecordingRetriever:
    return RecordingRetriever(library)


@pytest.fixture
def services(tmp_path: Path) -> Iterator[SecurityServices]:
    opened = open_services(tmp_path / "data", MemoryKeyring())
    yield opened
    opened.close()


def pipeline_in(
    language: str,
    services: SecurityServices,
    retriever: Retriever,
    *,
    cache: AnswerCache | None = None,
    timeout_s: float = 5.0,
) -> ConsultPipeline:
    return ConsultPipeline(
        triage=TriageEngine(load_rules()),
        router=IntentRouter(None),
        retriever=retriever,
        audit=services.audit_log,
        cache=cache,
        options=ConsultOptions(
            top_k=3,
            params=GenerationParams(max_tokens=64),
            language=language,
            translation_timeout_s=timeout_s,
        ),
    )


def writer(engine: ScriptedEngine) -> ModelChoice:
    return ModelChoice(engine, name="scripted", sha256="ab" * 32, clinical_answers=True)


def test_a_vietnamese_question_is_routed_and_searched_in_english(
    services: SecurityServices, retriever: RecordingRetriever
) -> None:
    engine = TranslatingEngine()
    answer = pipeline_in("vi", services, retriever).ask(VI_QUESTION, model=writer(engine))
    assert [m.content for m in engine.translations[0]] == [TRANSLATE_INSTRUCTION, VI_QUESTION]
    assert retriever.queries == [ENGLISH]
    # Routed in English: a clinical question, not refused (as typed, the clinical
    # lexicon's Vietnamese terms would also keep it from being refused).
    assert not answer.refused and answer.route.intent.value != "out_of_scope"
    assert not IntentRouter(None).route(VI_QUESTION).is_out_of_scope
    assert answer.translation == "translated" and answer.retrieval_question == ENGLISH
    assert answer.engine == "local" and answer.citations
    # The answer is written from the question as typed.
    [prompt] = engine.calls
    assert VI_QUESTION in prompt[-1].content and ENGLISH not in prompt[-1].content
    assert answer.question == VI_QUESTION
    assert answer.to_dict()["retrieval_question"] == ENGLISH


def test_the_audit_keeps_hashes_of_both_texts_never_the_texts(
    services: SecurityServices, retriever: RecordingRetriever
) -> None:
    engine = TranslatingEngine()
    pipeline_in("vi", services, retriever).ask(VI_QUESTION, model=writer(engine))
    [entry] = consult_entries(services)
    details = entry["details"]
    assert details["question_sha256"] == question_digest(VI_QUESTION)
    assert details["retrieval_question_sha256"] == question_digest(ENGLISH)
    assert details["question_translation"] == "translated"
    recorded = json.dumps(entry, ensure_ascii=False)
    assert ENGLISH not in recorded and VI_QUESTION not in recorded
    assert "fast breathing" not in recorded.casefold()
    assert services.audit_log.verify().ok


def test_an_english_question_in_the_vietnamese_app_is_not_translated(
    services: SecurityServices, retriever: RecordingRetriever
) -> None:
    engine = TranslatingEngine()
    answer = pipeline_in("vi", services, retriever).ask(ENGLISH, model=writer(engine))
    assert engine.translations == [] and len(engine.calls) == 1
    assert retriever.queries == [ENGLISH]
    assert answer.translation is None and answer.retrieval_question is None
    [entry] = consult_entries(services)
    assert entry["details"]["retrieval_question_sha256"] is None


def test_the_english_app_never_translates(
    services: SecurityServices, retriever: RecordingRetriever
) -> None:
    engine = TranslatingEngine()
    pipeline_in("en", services, retriever).ask(VI_QUESTION, model=writer(engine))
    # Not translated: routed (a clinical question, by the lexicon) and searched as typed.
    assert engine.translations == [] and retriever.queries == [VI_QUESTION]


def test_a_model_without_clinical_answers_is_never_asked_to_translate(
    services: SecurityServices, retriever: RecordingRetriever
) -> None:
    engine = TranslatingEngine()
    base_model = ModelChoice(engine, name="gemma-270m", sha256="cd" * 32, clinical_answers=False)
    answer = pipeline_in("id", services, retriever).ask(ID_QUESTION, model=base_model)
    assert engine.translations == [] and engine.calls == []
    assert answer.translation is None and answer.retrieval_question is None
    assert retriever.queries in ([], [ID_QUESTION])  # searched as typed, if not refused
    [entry] = consult_entries(services)
    assert entry["details"]["question_translation"] is None


def test_a_failing_translation_falls_back_to_the_question_as_typed(
    services: SecurityServices, retriever: RecordingRetriever
) -> None:
    engine = TranslatingEngine(translation_fails=True)
    answer = pipeline_in("id", services, retriever).ask(ID_DOSE_QUESTION, model=writer(engine))
    assert len(engine.translations) == 1
    assert retriever.queries == [ID_DOSE_QUESTION]
    assert answer.engine == "local" and len(engine.calls) == 1
    assert answer.translation == "failed" and answer.retrieval_question is None
    assert any("searched as typed" in note and "test failure" in note for note in answer.notes)
    [entry] = consult_entries(services)
    assert entry["details"]["question_translation"] == "failed"
    assert entry["details"]["retrieval_question_sha256"] is None


def test_a_translation_past_its_time_limit_is_stopped_and_falls_back(
    services: SecurityServices, retriever: RecordingRetriever
) -> None:
    engine = TranslatingEngine(translation_hangs=True)
    pipeline = pipeline_in("vi", services, retriever, timeout_s=0.2)
    answer = pipeline.ask(VI_QUESTION, model=writer(engine))
    assert answer.translation == "failed"
    assert any("no reply within 0.2 s" in note for note in answer.notes)
    assert answer.latency_ms < 5000


def test_a_reply_that_is_not_english_is_not_used(
    services: SecurityServices, retriever: RecordingRetriever
) -> None:
    # What the embedded base model does: repeat the instruction or the question.
    for reply in (TRANSLATE_INSTRUCTION, VI_QUESTION, ""):
        result = translate_question(TranslatingEngine(reply), VI_QUESTION)
        assert result.text is None and result.failure, reply


def test_the_rendering_is_cached_with_the_answers(
    services: SecurityServices, retriever: RecordingRetriever
) -> None:
    cache = AnswerCache(ttl_seconds=600)
    engine = TranslatingEngine()
    pipeline = pipeline_in("vi", services, retriever, cache=cache)
    pipeline.ask(VI_QUESTION, model=writer(engine))
    cache.clear()  # the answer goes; the next ask renders again
    pipeline.ask(VI_QUESTION, model=writer(engine))
    assert len(engine.translations) == 2
    third = pipeline.ask(VI_QUESTION, model=writer(engine))
    assert len(engine.translations) == 2 and third.translation == "cached"
    assert third.cached and retriever.queries[-1] == ENGLISH


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        (VI_QUESTION, "vi", True),
        ("tre bi ho va tho nhanh thi phai lam gi", "vi", True),  # typed without accents
        (ID_QUESTION, "id", True),
        (ENGLISH, "id", False),
        ("ORS dose", "vi", False),  # no function words: the same words as the library's
        (VI_QUESTION, "en", False),
    ],
)
def test_which_questions_need_translation(question: str, language: str, expected: bool) -> None:
    assert needs_translation(question, language) is expected
