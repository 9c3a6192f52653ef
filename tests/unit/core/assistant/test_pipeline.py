"""The consult pipeline around the model: guard, refusal, fallbacks, cancel, cache, audit.

Real parts everywhere but the model: the WHO triage rules, the keyword router, the
starter library searched by keywords (no embedding model in unit tests), and the audit
log in a real SQLCipher file. The model is a `ScriptedEngine` (a real `InferenceEngine`
subclass) so each test decides what the model says; the real model runs in
tests/integration/test_consult_pipeline.py.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from medassist_desktop.core.assistant.cache import AnswerCache
from medassist_desktop.core.assistant.pipeline import (
    ConsultInputError,
    ConsultOptions,
    ConsultPipeline,
    ModelChoice,
    question_digest,
)
from medassist_desktop.core.inference.interface import GenerationParams
from medassist_desktop.core.knowledge.passages import Retriever
from medassist_desktop.core.routing import OUT_OF_SCOPE_REFUSAL, IntentRouter
from medassist_desktop.core.triage import TriageEngine, TriageInputError, load_rules
from medassist_desktop.services.security import SecurityServices
from tests.support.consult import (
    EMERGENCY_CASE,
    ROUTINE_CASE,
    ScriptedEngine,
    consult_entries,
    kb_retriever_for,
)
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services

QUESTION = "What should I do for a child with cough and fast breathing?"
ANSWER = ["Give ", "oral ", "amoxicillin ", "and ", "refer ", "[1]. ", "Check ", "again ", "[2]."]


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    return kb_retriever_for(None, tmp_path_factory.mktemp("no-embeddings"))


@pytest.fixture
def services(tmp_path: Path) -> Iterator[SecurityServices]:
    opened = open_services(tmp_path / "data", MemoryKeyring())
    yield opened
    opened.close()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_pipeline(
    services: SecurityServices, retriever: Retriever, cache: AnswerCache | None = None
) -> ConsultPipeline:
    return ConsultPipeline(
        triage=TriageEngine(load_rules()),
        router=IntentRouter(None),
        retriever=retriever,
        audit=services.audit_log,
        cache=cache,
        options=ConsultOptions(top_k=3, params=GenerationParams(max_tokens=64)),
    )


def choice(engine: ScriptedEngine) -> ModelChoice:
    return ModelChoice(engine, name="scripted", sha256="ab" * 32, clinical_answers=True)


def test_answer_streams_cites_and_is_audited(
    services: SecurityServices, retriever: Retriever
) -> None:
    engine = ScriptedEngine(ANSWER)
    streamed: list[str] = []
    answer = make_pipeline(services, retriever).ask(
        QUESTION, EMERGENCY_CASE, model=choice(engine), actor_id=None, on_token=streamed.append
    )
    assert "".join(streamed) == answer.text
    assert answer.text.startswith("Triage (danger-sign rules who-iitt-v2): EMERGENCY")
    assert answer.text.endswith("".join(ANSWER))
    assert answer.engine == "local" and not answer.cached and not answer.refused
    assert answer.triage_level == "emergency" and answer.rules_version == "who-iitt-v2"
    assert [c.n for c in answer.citations] == [1, 2, 3]
    assert [c.cited for c in answer.citations] == [True, True, False]
    assert all(c.passage_id and c.title and c.source for c in answer.citations)
    assert answer.retrieval_mode == "keyword" and answer.kb_version
    # The prompt: passages numbered, the triage stated, the case without its record number.
    system, user = engine.calls[0][0].content, engine.calls[0][-1].content
    assert "triaged this patient as EMERGENCY" in system
    assert "18 months old" in system and "48213" not in system and "[id]" in system
    assert user.startswith("Reference passages:\n[1] ") and QUESTION in user
    assert answer.confidence.signals["mean_token_probability"] == pytest.approx(0.905, abs=1e-3)
    assert answer.confidence.signals["cited_passages"] == 2

    [entry] = consult_entries(services)
    details = entry["details"]
    assert entry["outcome"] == "success" and entry["resource"] == f"consult:{answer.consult_id}"
    assert (
        details["question_sha256"] == question_digest(QUESTION) and details["outcome"] == "answered"
    )
    assert details["question_chars"] == len(QUESTION) and "question" not in details
    assert QUESTION not in json.dumps(entry)
    assert details["passage_ids"] == answer.passage_ids and len(details["passage_ids"]) == 3
    assert details["model_sha256"] == "ab" * 32 and details["rules_version"] == "who-iitt-v2"
    assert details["engine"] == "local" and details["triage_level"] == "emergency"
    assert services.audit_log.verify().ok


def test_model_text_never_lowers_an_emergency(
    services: SecurityServices, retriever: Retriever
) -> None:
    engine = ScriptedEngine(["This ", "is ", "a ", "routine ", "case; ", "treat ", "at ", "home."])
    streamed: list[str] = []
    answer = make_pipeline(services, retriever).ask(
        QUESTION, EMERGENCY_CASE, model=choice(engine), on_token=streamed.append
    )
    assert answer.triage is not None and answer.triage_level == "emergency"
    assert answer.to_dict()["triage"]["level"] == "emergency"
    assert answer.model_claimed_level == "routine"
    assert answer.text.rstrip().endswith(
        "The danger-sign rules triaged this patient as EMERGENCY; that level stands."
    )
    assert "".join(streamed) == answer.text  # the note reaches the screen too
    assert consult_entries(services)[0]["details"]["model_claimed_level"] == "routine"


def test_model_text_more_urgent_than_the_rules_gets_a_check_note(
    services: SecurityServices, retriever: Retriever
) -> None:
    """Raise-only: a text that sounds like an emergency on an urgent case is flagged to check;
    the level stays the rules' level (it is not raised either, only attention is)."""
    urgent_case = {"age_months": 30, "signs": ["chest_indrawing"]}
    engine = ScriptedEngine(["This ", "is ", "an ", "emergency: ", "refer ", "now ", "[1]."])
    streamed: list[str] = []
    answer = make_pipeline(services, retriever).ask(
        QUESTION, urgent_case, model=choice(engine), on_token=streamed.append
    )
    assert answer.triage_level == "urgent"
    assert answer.model_suggested_level == "emergency"
    assert answer.to_dict()["model_suggested_level"] == "emergency"
    assert "Check: the answer suggests higher urgency (EMERGENCY)" in answer.text
    assert "".join(streamed) == answer.text
    assert "that level stands" not in answer.text  # nothing claimed lower
    assert consult_entries(services)[0]["details"]["model_suggested_level"] == "emergency"


def test_lower_claim_gets_no_higher_urgency_note(
    services: SecurityServices, retriever: Retriever
) -> None:
    engine = ScriptedEngine(["This ", "is ", "a ", "routine ", "case."])
    answer = make_pipeline(services, retriever).ask(QUESTION, EMERGENCY_CASE, model=choice(engine))
    assert answer.model_suggested_level is None
    assert "Check: the answer suggests higher urgency" not in answer.text


def test_agreeing_or_silent_model_gets_no_note(
    services: SecurityServices, retriever: Retriever
) -> None:
    answer = make_pipeline(services, retriever).ask(
        QUESTION, ROUTINE_CASE, model=choice(ScriptedEngine(["Routine ", "care [1]."]))
    )
    assert answer.triage_level == "routine" and answer.model_claimed_level == "routine"
    assert "that level stands" not in answer.text


def test_out_of_scope_is_refused_without_the_model(
    services: SecurityServices, retriever: Retriever
) -> None:
    engine = ScriptedEngine(ANSWER)
    answer = make_pipeline(services, retriever).ask(
        "Who won the football world cup last year?", model=choice(engine)
    )
    assert engine.calls == []
    assert answer.refused and answer.text == OUT_OF_SCOPE_REFUSAL and answer.engine == "rules"
    assert answer.citations == () and answer.route.intent.value == "out_of_scope"
    assert answer.confidence.level == "high"
    [entry] = consult_entries(services)
    assert entry["details"]["outcome"] == "refused" and entry["details"]["passage_ids"] == []


def test_no_model_answers_from_rules_and_passages(
    services: SecurityServices, retriever: Retriever
) -> None:
    answer = make_pipeline(services, retriever).ask(
        QUESTION,
        EMERGENCY_CASE,
        model=ModelChoice(
            None, unavailable_reason="The model file is damaged", clinical_answers=True
        ),
    )
    assert answer.engine == "rules" and answer.model_error == "The model file is damaged"
    assert "The model is unavailable (The model file is damaged)" in answer.text
    assert (
        "- Convulsions (now or in this illness) (emergency;" in answer.text
    )  # the findings, with their sources
    assert answer.citations and all(c.cited for c in answer.citations)
    assert f"[1] {answer.citations[0].title}" in answer.text and '"' in answer.text  # quoted
    assert answer.confidence.level != "high"
    assert answer.confidence.signals["mean_token_probability"] is None
    assert consult_entries(services)[0]["details"]["outcome"] == "rules_fallback"


def test_model_failing_mid_way_falls_back_and_clears(
    services: SecurityServices, retriever: Retriever
) -> None:
    engine = ScriptedEngine(ANSWER, fail_after=3)
    streamed: list[str] = []
    discarded: list[str] = []

    def on_discard(note: str) -> None:
        discarded.append(note)
        streamed.clear()

    answer = make_pipeline(services, retriever).ask(
        QUESTION,
        EMERGENCY_CASE,
        model=choice(engine),
        on_token=streamed.append,
        on_discard=on_discard,
    )
    assert answer.engine == "rules" and "failed while answering" in (answer.model_error or "")
    assert "Generation failed inside llama.cpp" in answer.text
    assert discarded and "".join(streamed) == answer.text
    # The model's half answer is gone (the same words may still appear in a quoted passage).
    assert not answer.text.startswith("Give oral")
    assert answer.model_sha256 == "ab" * 32  # the model that failed is named


def test_empty_model_answer_falls_back(services: SecurityServices, retriever: Retriever) -> None:
    answer = make_pipeline(services, retriever).ask(
        QUESTION, model=choice(ScriptedEngine(["  ", "\n"]))
    )
    assert answer.engine == "rules" and answer.model_error == "it gave an empty answer"


def test_cancel_stops_the_answer_and_is_audited(
    services: SecurityServices, retriever: Retriever
) -> None:
    cancel = threading.Event()
    engine = ScriptedEngine(ANSWER * 5, on_piece=lambda index: cancel.set() if index == 2 else None)
    answer = make_pipeline(services, retriever).ask(QUESTION, model=choice(engine), cancel=cancel)
    assert answer.cancelled and answer.confidence.level == "low"
    assert answer.text == "".join(ANSWER[:4])  # the piece in flight when stopping is kept
    [entry] = consult_entries(services)
    assert entry["outcome"] == "failure" and entry["details"]["outcome"] == "cancelled"


def test_cache_hit_miss_and_expiry(services: SecurityServices, retriever: Retriever) -> None:
    clock = Clock()
    pipeline = make_pipeline(services, retriever, AnswerCache(30 * 60, clock=clock))
    engine = ScriptedEngine(ANSWER)
    first = pipeline.ask(QUESTION, EMERGENCY_CASE, model=choice(engine))
    streamed: list[str] = []
    second = pipeline.ask(
        "  What should I do for a child with cough and  fast breathing? ",
        EMERGENCY_CASE,
        model=choice(engine),
        on_token=streamed.append,
    )
    assert len(engine.calls) == 1 and second.cached and not first.cached
    assert second.text == first.text == "".join(streamed)
    assert second.consult_id != first.consult_id
    # Another case, another model file: generated again.
    pipeline.ask(QUESTION, ROUTINE_CASE, model=choice(engine))
    pipeline.ask(
        QUESTION,
        EMERGENCY_CASE,
        model=ModelChoice(engine, "other", "cd" * 32, clinical_answers=True),
    )
    assert len(engine.calls) == 3
    clock.now += 30 * 60 - 1
    assert pipeline.ask(QUESTION, EMERGENCY_CASE, model=choice(engine)).cached
    clock.now += 2  # past the TTL
    third = pipeline.ask(QUESTION, EMERGENCY_CASE, model=choice(engine))
    assert not third.cached and len(engine.calls) == 4
    outcomes = [e["details"]["outcome"] for e in consult_entries(services)]
    assert outcomes == ["answered", "cached", "answered", "answered", "cached", "answered"]


def test_rules_answers_and_refusals_are_not_cached(
    services: SecurityServices, retriever: Retriever
) -> None:
    cache = AnswerCache(600, clock=Clock())
    pipeline = make_pipeline(services, retriever, cache)
    pipeline.ask(
        QUESTION, model=ModelChoice(None, unavailable_reason="missing", clinical_answers=True)
    )
    pipeline.ask("write me a python script", model=choice(ScriptedEngine(ANSWER)))
    assert len(cache) == 0


def test_invalid_input_is_refused_and_audited(
    services: SecurityServices, retriever: Retriever
) -> None:
    engine = ScriptedEngine(ANSWER)
    pipeline = make_pipeline(services, retriever)
    with pytest.raises(TriageInputError) as caught:
        pipeline.ask(QUESTION, {"age_months": 18, "vitals": {"spo2": 140}}, model=choice(engine))
    assert caught.value.field == "vitals.spo2"
    with pytest.raises(ConsultInputError):
        pipeline.ask("   ", model=choice(engine))
    assert engine.calls == []
    outcomes = [(e["outcome"], e["details"]["outcome"]) for e in consult_entries(services)]
    assert outcomes == [("failure", "invalid_input"), ("failure", "invalid_input")]


def test_small_context_drops_the_lowest_ranked_passages(
    services: SecurityServices, retriever: Retriever
) -> None:
    engine = ScriptedEngine(["See ", "[1]."], n_ctx=400)
    answer = make_pipeline(services, retriever).ask(QUESTION, model=choice(engine))
    assert answer.generation is not None and answer.generation.dropped_passages >= 1
    assert len(answer.citations) == answer.generation.kept_passages < 3
    assert any("did not fit" in note for note in answer.notes)
