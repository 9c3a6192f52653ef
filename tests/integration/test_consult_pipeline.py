"""The consult service end to end: the real Gemma 3 270M, real embeddings, a real audit file.

The 270M test model writes poor medicine; these tests check structure, citations,
confidence signals, audit rows and the guarantees (triage level, fallbacks, cancel,
cache), never medical correctness. One model, one embedder and one library index are
loaded per module (per session for the embeddings); answers are kept short.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from medassist_desktop.config import LoadedSettings, load_settings
from medassist_desktop.core.assistant.cache import AnswerCache
from medassist_desktop.core.assistant.extractive import EXTRACTIVE_NOTICE
from medassist_desktop.core.assistant.numbers import numbers_in, unit_numbers
from medassist_desktop.core.assistant.pipeline import (
    ConsultOptions,
    ConsultPipeline,
    question_digest,
)
from medassist_desktop.core.degradation import LOCAL_MODEL, DegradationRegistry
from medassist_desktop.core.inference.engine import LlamaEngine
from medassist_desktop.core.inference.interface import (
    ChatMessage,
    GenerationParams,
    GenerationResult,
    TokenCallback,
)
from medassist_desktop.core.inference.loading import prepare_load
from medassist_desktop.core.inference.models import load_manifest
from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder
from medassist_desktop.core.routing import IntentRouter
from medassist_desktop.core.triage import TriageEngine, load_rules
from medassist_desktop.services.consult import ConsultService, ModelHolder, ModelState
from medassist_desktop.services.model_speed import speed_from_answers
from medassist_desktop.services.security import SecurityServices
from tests.inference_support import seed_embedded_model
from tests.support.consult import EMERGENCY_CASE, consult_entries, kb_retriever_for
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

QUESTION = "What are the danger signs of pneumonia in a child with cough?"
SHORT = 24


class CountingEngine(LlamaEngine):
    """The real engine, counting the generations it is asked for."""

    calls = 0

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
    ) -> GenerationResult:
        self.calls += 1
        return super().generate(messages, params, on_token)


@dataclass
class Consult:
    service: ConsultService
    engine: CountingEngine
    security: SecurityServices
    loaded: LoadedSettings
    pipeline_parts: dict[str, object]


def settings_for(data_dir: Path, **env: str) -> LoadedSettings:
    return load_settings(
        {
            "MEDASSIST_DATA_DIR": str(data_dir),
            "MEDASSIST_ENV": "development",
            "MODEL_CONTEXT_TOKENS": "2048",
            "MODEL_THREADS": "1",  # the 2 shared cores: llama.cpp spin-waits with more
            **env,
        }
    )


@pytest.fixture(scope="module")
def consult(
    embedded_gguf: Path,
    minilm_embedder: SentenceEmbedder,
    starter_knowledge_base: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Consult]:
    data_dir = tmp_path_factory.mktemp("consult-data")
    seed_embedded_model(data_dir, embedded_gguf)
    loaded = settings_for(data_dir)
    engine = CountingEngine()
    engine.load(prepare_load(loaded.settings, loaded.paths))
    security = open_services(data_dir, MemoryKeyring())
    router = IntentRouter(minilm_embedder)
    router.warm_up()
    triage = TriageEngine(load_rules())
    retriever = kb_retriever_for(minilm_embedder, starter_knowledge_base)
    pipeline = ConsultPipeline(
        triage=triage,
        router=router,
        retriever=retriever,
        audit=security.audit_log,
        cache=AnswerCache(30 * 60),
        options=ConsultOptions(top_k=3, params=GenerationParams(max_tokens=SHORT, seed=7)),
        embedder=minilm_embedder,
    )
    holder = ModelHolder(engine=engine)
    # The writing path (for models whose manifest entry allows clinical answers) runs
    # here on the only model the tests have; by default that model quotes instead.
    holder.clinical_answers_override = True
    service = ConsultService(pipeline, holder, router=router)
    parts = {"triage": triage, "router": router, "retriever": retriever}
    yield Consult(service, engine, security, loaded, parts)
    service.close()
    security.close()


def test_answer_end_to_end(consult: Consult) -> None:
    streamed: list[str] = []
    pieces: list[str] = []  # every piece, also those withdrawn later

    def on_token(text: str) -> None:
        streamed.append(text)
        pieces.append(text)

    before = consult.engine.calls
    answer = consult.service.ask(
        QUESTION,
        EMERGENCY_CASE,
        on_token=on_token,
        # Withdrawn text (e.g. streamed again with its unsupported numbers marked) goes.
        on_discard=lambda _note: streamed.clear(),
    )

    assert consult.engine.calls == before + 1
    assert "".join(streamed) == answer.text and len(pieces) > 5  # streamed, not at the end
    assert answer.engine == "local" and not answer.cached and not answer.refused
    manifest = load_manifest().get("gemma3-270m-q4_k_m")
    assert manifest is not None
    assert answer.model == "gemma3-270m-q4_k_m" and answer.model_sha256 == manifest.sha256
    # The rules decide the level and it heads the text, whatever the model wrote.
    assert answer.triage_level == "emergency"
    assert answer.text.startswith("Triage (danger-sign rules who-iitt-v2): EMERGENCY")
    # Passages: hybrid search, relevant to pneumonia, numbered, with what a citation needs.
    assert answer.retrieval_mode == "hybrid"
    assert re.fullmatch(r"[0-9a-f]+-\d+", answer.kb_version or "")  # knowledge base id-version
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert answer.citations and all(
        c.passage_id and c.doc_id and c.title and c.source and c.text for c in answer.citations
    )
    assert any("pneumonia" in c.title.lower() for c in answer.citations)
    # Confidence from measured numbers.
    signals = answer.confidence.signals
    assert answer.confidence.level in ("high", "medium", "low")
    assert 0 < signals["router_confidence"] <= 1
    assert signals["top_similarities"] and all(0.3 < s <= 1 for s in signals["top_similarities"])
    assert 0 < signals["mean_token_probability"] <= 1
    assert signals["engine"] == "local" and "repetition" in signals
    assert answer.generation is not None and 0 < answer.generation.tokens <= SHORT
    assert answer.generation.prompt_tokens > 200  # system text, case and passages
    assert answer.latency_ms > 0

    entry = consult_entries(consult.security)[-1]
    details = entry["details"]
    assert entry["resource"] == f"consult:{answer.consult_id}" and entry["outcome"] == "success"
    assert details["question_sha256"] == question_digest(QUESTION)
    assert details["question_chars"] == len(QUESTION) and QUESTION not in json.dumps(entry)
    assert details["passage_ids"] == answer.passage_ids
    assert details["model_sha256"] == manifest.sha256
    assert details["rules_version"] == "who-iitt-v2" and details["engine"] == "local"
    assert details["triage_level"] == "emergency" and details["outcome"] == "answered"
    assert consult.security.audit_log.verify().ok
    # The decode speed of this real run is kept, and is what the System page shows.
    assert details["tokens"] == answer.generation.tokens
    assert details["tokens_per_second"] == answer.generation.tokens_per_second > 0
    speed = speed_from_answers(consult.security.db, "gemma3-270m-q4_k_m")
    assert speed.source == "answers" and speed.samples >= 1
    assert speed.tokens_per_second is not None and speed.tokens_per_second > 0


def test_same_question_again_is_cached(consult: Consult) -> None:
    first = consult.service.ask("How do I give ORS for some dehydration?", max_tokens=16)
    calls = consult.engine.calls
    again = consult.service.ask("How do I give ORS for some dehydration?", max_tokens=16)
    assert consult.engine.calls == calls and again.cached and not first.cached
    assert again.text == first.text and again.latency_ms < first.latency_ms
    assert consult_entries(consult.security)[-1]["details"]["outcome"] == "cached"


def test_out_of_scope_is_refused_without_calling_the_model(consult: Consult) -> None:
    calls = consult.engine.calls
    answer = consult.service.ask("Who won the football world cup last year?")
    assert answer.refused and answer.engine == "rules" and consult.engine.calls == calls
    assert answer.route.method == "semantic" and answer.route.intent.value == "out_of_scope"
    assert consult_entries(consult.security)[-1]["details"]["outcome"] == "refused"


def test_cancel_stops_the_real_model(consult: Consult) -> None:
    seen: list[str] = []

    def on_token(piece: str) -> None:
        seen.append(piece)
        if len(seen) == 4:  # the header, then three pieces of the model's answer
            consult.service.cancel()

    answer = consult.service.ask(
        "What is the first treatment for severe malaria before referral?",
        max_tokens=200,
        on_token=on_token,
    )
    assert answer.cancelled and answer.confidence.level == "low"
    assert len(seen) < 12, "generation went on long after the cancel"
    assert consult_entries(consult.security)[-1]["details"]["outcome"] == "cancelled"
    # The engine is fine afterwards.
    assert consult.service.ask("How is fast breathing counted?", max_tokens=4).engine == "local"


def _service_with(consult: Consult, holder: ModelHolder) -> ConsultService:
    parts = consult.pipeline_parts
    pipeline = ConsultPipeline(
        triage=parts["triage"],  # type: ignore[arg-type]
        router=parts["router"],  # type: ignore[arg-type]
        retriever=parts["retriever"],  # type: ignore[arg-type]
        audit=consult.security.audit_log,
        options=ConsultOptions(top_k=3),
    )
    return ConsultService(pipeline, holder)


@pytest.mark.parametrize("damage", ["missing", "truncated"])
def test_missing_or_damaged_model_answers_from_the_rules(
    consult: Consult, embedded_gguf: Path, tmp_path: Path, damage: str
) -> None:
    model = tmp_path / "clinic-model.gguf"
    if damage == "truncated":  # a copy cut short: the header is intact, the tensors are not
        with embedded_gguf.open("rb") as source:
            model.write_bytes(source.read(4 * 1024 * 1024))
    loaded = settings_for(tmp_path / "data", MODEL_NAME=str(model))
    registry = DegradationRegistry()
    holder = ModelHolder(loaded.settings, loaded.paths, degradation=registry)
    holder.clinical_answers_override = True  # a model that writes, but its file is bad
    service = _service_with(consult, holder)
    try:
        answer = service.ask(QUESTION, EMERGENCY_CASE)
    finally:
        service.close()
    status = holder.status
    assert status.state is ModelState.UNAVAILABLE and status.reason
    assert answer.engine == "rules" and answer.model_error == status.reason
    assert f"The model is unavailable ({status.reason.rstrip('.')})" in answer.text
    assert (
        answer.triage_level == "emergency"
        and "- Convulsions (now or in this illness) (emergency;" in answer.text
    )
    assert answer.citations and "[1] " in answer.text
    assert registry.is_degraded(LOCAL_MODEL)
    details = consult_entries(consult.security)[-1]["details"]
    assert details["outcome"] == "rules_fallback" and details["model_error"] == status.reason
    assert details["passage_ids"] == answer.passage_ids


def test_model_holder_loads_in_the_background_and_reports(
    consult: Consult, embedded_gguf: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    seed_embedded_model(data_dir, embedded_gguf)
    loaded = settings_for(data_dir)
    holder = ModelHolder(loaded.settings, loaded.paths)
    states: list[ModelState] = []
    holder.add_listener(lambda status: states.append(status.state))
    try:
        assert holder.status.state is ModelState.NOT_LOADED
        holder.start_loading()  # returns at once
        choice = holder.acquire(timeout=120)
        assert choice.engine is not None and choice.sha256 == consult.engine.info.sha256  # type: ignore[union-attr]
        assert states[0] is ModelState.LOADING and states[-1] is ModelState.READY
        assert holder.status.progress == 1.0 and math.isclose(
            len([s for s in states if s is ModelState.READY]), 1
        )
    finally:
        holder.close()


def test_the_embedded_model_quotes_the_library_and_is_never_asked(consult: Consult) -> None:
    holder = ModelHolder(engine=consult.engine)  # as the app holds it: the manifest decides
    service = ConsultService(consult.service.pipeline, holder)
    calls = consult.engine.calls
    answer = service.ask("How much ORS should I give a child with some dehydration?")
    assert consult.engine.calls == calls  # the base model wrote nothing
    assert answer.engine == "extractive" and answer.model == "gemma3-270m-q4_k_m"
    assert answer.text.startswith(EXTRACTIVE_NOTICE) and answer.quotes
    cited = {c.n: c.text for c in answer.citations}
    for quote in answer.quotes:
        for number in unit_numbers(quote.text):
            assert number.values <= numbers_in(cited[quote.n])
    # The passage that answers (the Plan B table) is the first source; which of its
    # pieces and its neighbours' are quoted is the similarity's choice.
    assert "Plan B" in (answer.citations[0].section or "")
    details = consult_entries(consult.security)[-1]["details"]
    assert details["outcome"] == "quoted" and details["engine"] == "extractive"
