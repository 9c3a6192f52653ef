"""The consult service's wiring: model holder, cancel from another thread, the hybrid
engine's mid-stream fallback, and audit writes on the database's own thread (the GUI path).

The model is a `ScriptedEngine` (a real `InferenceEngine` subclass); the rules, keyword
router, starter library and the SQLCipher audit log are real.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from medassist_desktop.core.assistant.pipeline import ConsultOptions, ConsultPipeline
from medassist_desktop.core.degradation import DegradationRegistry
from medassist_desktop.core.inference.cloud import CloudStreamBrokenError, is_cloud_failure
from medassist_desktop.core.inference.hybrid import HybridEngine
from medassist_desktop.core.inference.interface import (
    ChatMessage,
    GenerationParams,
    GenerationResult,
    InferenceEngine,
    TokenCallback,
)
from medassist_desktop.core.knowledge.passages import Retriever
from medassist_desktop.core.routing import IntentRouter
from medassist_desktop.core.sync.breaker import CircuitBreaker
from medassist_desktop.core.triage import TriageEngine, load_rules
from medassist_desktop.services.consult import (
    ConsultService,
    ExecutorAudit,
    ModelHolder,
    ModelState,
)
from medassist_desktop.services.security import SecurityServices
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.executor import SerialExecutor
from tests.support.consult import (
    EMERGENCY_CASE,
    SCRIPTED_SHA256,
    ScriptedEngine,
    consult_entries,
    kb_retriever_for,
)
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services

QUESTION = "How do I treat some dehydration with ORS?"
ANSWER = ["Give ", "ORS ", "after ", "each ", "stool ", "[1]."]


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    return kb_retriever_for(None, tmp_path_factory.mktemp("no-embeddings"))


@pytest.fixture
def services(tmp_path: Path) -> Iterator[SecurityServices]:
    opened = open_services(tmp_path / "data", MemoryKeyring())
    yield opened
    opened.close()


def service_for(
    audit: object,
    retriever: Retriever,
    holder: ModelHolder,
    *,
    language: str = "en",
    **kwargs: object,
) -> ConsultService:
    pipeline = ConsultPipeline(
        triage=TriageEngine(load_rules()),
        router=IntentRouter(None),
        retriever=retriever,
        audit=audit,  # type: ignore[arg-type]
        options=ConsultOptions(top_k=2, params=GenerationParams(max_tokens=64), language=language),
    )
    return ConsultService(pipeline, holder, **kwargs)  # type: ignore[arg-type]


def test_refusal_never_asks_for_the_model(services: SecurityServices, retriever: Retriever) -> None:
    holder = ModelHolder()  # nothing configured: asking for it would make it unavailable
    answer = service_for(services.audit_log, retriever, holder).ask("write me a python script")
    assert answer.refused and holder.status.state is ModelState.NOT_LOADED


def test_unconfigured_model_answers_from_the_rules(
    services: SecurityServices, retriever: Retriever
) -> None:
    holder = ModelHolder()
    holder.clinical_answers_override = True  # a model that would write, were one set
    answer = service_for(services.audit_log, retriever, holder).ask(QUESTION)
    assert answer.engine == "rules" and answer.model_error == "no model is configured"
    assert holder.status.state is ModelState.UNAVAILABLE


def test_model_without_clinical_answers_is_never_loaded_and_the_library_is_quoted(
    services: SecurityServices, retriever: Retriever
) -> None:
    holder = ModelHolder(model_name="gemma3-270m-q4_k_m")  # the manifest: no clinical answers
    answer = service_for(services.audit_log, retriever, holder).ask(QUESTION)
    assert answer.engine == "extractive" and answer.model == "gemma3-270m-q4_k_m"
    assert answer.quotes and all(q.text in answer.text for q in answer.quotes)
    assert holder.status.state is ModelState.NOT_LOADED  # no wait for a model it won't use


def test_the_embedded_model_is_never_asked_to_translate_a_question(
    services: SecurityServices, retriever: Retriever
) -> None:
    holder = ModelHolder(model_name="gemma3-270m-q4_k_m")  # the manifest: no clinical answers
    service = service_for(services.audit_log, retriever, holder, language="id")
    answer = service.ask("Berapa dosis amoksisilin untuk anak dengan pneumonia?")
    assert answer.engine == "extractive" and answer.translation is None
    assert answer.retrieval_question is None and answer.citations  # searched as typed
    assert holder.status.state is ModelState.NOT_LOADED
    assert answer.text.startswith("Jawaban dikutip dari pustaka")


def test_cancel_from_another_thread(services: SecurityServices, retriever: Retriever) -> None:
    engine = ScriptedEngine(ANSWER * 50, on_piece=lambda _i: time.sleep(0.01))
    service = service_for(
        services.audit_log,
        retriever,
        ModelHolder.given(engine, name="s", sha256=SCRIPTED_SHA256, clinical_answers=True),
    )
    first_token = threading.Event()
    timer = threading.Thread(target=lambda: first_token.wait(5) and service.cancel())
    timer.start()
    answer = service.ask(QUESTION, on_token=lambda _piece: first_token.set())
    timer.join()
    assert answer.cancelled and len(answer.text) < len("".join(ANSWER * 50)) / 2
    service.cancel()  # idle: nothing to stop, no error


class BreakingCloud:
    """A cloud client whose stream breaks after two tokens (the `CloudChatEngine` shape)."""

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
        **_: object,
    ) -> GenerationResult:
        for piece in ["Cloud ", "half "]:
            if on_token is not None:
                on_token(piece)
        raise CloudStreamBrokenError("the cloud stream broke")


def test_cloud_breaking_mid_stream_restarts_on_local(
    services: SecurityServices, retriever: Retriever
) -> None:
    local = ScriptedEngine(ANSWER)

    def hybrid(engine: InferenceEngine) -> InferenceEngine:
        return HybridEngine(
            engine,
            BreakingCloud(),
            breaker=CircuitBreaker("cloud", is_failure=is_cloud_failure),
            degradation=DegradationRegistry(),
            cloud_enabled=lambda: True,
        )

    service = service_for(
        services.audit_log,
        retriever,
        ModelHolder.given(local, name="s", sha256=SCRIPTED_SHA256, clinical_answers=True),
        wrap_engine=hybrid,
    )
    shown: list[str] = []
    notes: list[str] = []

    def discard(note: str) -> None:
        notes.append(note)
        shown.clear()

    answer = service.ask(QUESTION, EMERGENCY_CASE, on_token=shown.append, on_discard=discard)
    assert answer.engine == "local" and answer.fallback_reason == "the cloud stream broke"
    assert notes and "restarts on the local model" in notes[0]
    assert "".join(shown) == answer.text and "Cloud half" not in answer.text
    assert answer.text.startswith("Triage (danger-sign rules who-iitt-v2): EMERGENCY")
    assert answer.model_sha256 == SCRIPTED_SHA256


def test_audit_is_written_on_the_database_thread(tmp_path: Path, retriever: Retriever) -> None:
    opened: list[SecurityServices] = []

    def opener() -> Database:
        opened.append(open_services(tmp_path / "data", MemoryKeyring()))
        return opened[0].db

    executor = SerialExecutor(opener)
    executor.opened.result(timeout=30)
    try:
        audit = ExecutorAudit(executor, opened[0].audit_log)
        engine = ScriptedEngine(ANSWER)
        service = service_for(
            audit,
            retriever,
            ModelHolder.given(engine, name="s", sha256=None, clinical_answers=True),
        )
        # This thread did not open the database: a direct write would fail here.
        answer = service.ask(QUESTION)
        entries = executor.submit(lambda _db: consult_entries(opened[0])).result(timeout=30)
    finally:
        executor.close()
    assert [e["details"]["outcome"] for e in entries] == ["answered"]
    assert entries[0]["resource"] == f"consult:{answer.consult_id}"
