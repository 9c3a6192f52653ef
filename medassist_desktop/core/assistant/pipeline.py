"""The consult pipeline: triage -> route -> retrieve -> prompt -> generate -> confidence -> audit.

One call, `ConsultPipeline.ask`, blocking, Qt-free; the service calls it from a worker
thread. Order and why:
1. Triage first (when a case is given): pure rules, no model, and its level is final.
2. Route: an out-of-scope question gets the polite refusal; the model is never called.
   A question in another language than English (`translate.needs_translation`) is
   first rendered in English by the model when it writes clinical answers, and that
   rendering is routed and searched (the library and the router's examples are
   English); the model is then chosen before the route, so such a question waits
   for a loading model even if it is refused. The answer is written from the question
   as typed. Without such a model, or when the rendering fails, it is searched as typed.
3. Retrieve the top-k passages; those below `min_similarity` are not shown to the model.
4. The cache: the same question about the same case, knowledge and model answers at once.
5. A model that may not write clinical answers (the manifest's `clinical_answers`
   flag; the embedded base model) is never asked to: the answer quotes the sentences
   and table rows of the passages that best match the question (`extractive.py`).
   Otherwise: the prompt within the context budget, then generate, streaming through
   `on_token`. No model, or a model that fails (even mid-way): the rules-only answer
   (`fallback.py`).
6. The guard: the text cannot lower the rules' level (`core/triage/guard.py`); if it
   reads lower, a note saying the rules' level stands is appended.
7. Confidence from measured signals and the checks of the text (`grounding.py`: no
   instruction echoed, only given citations, every number with a unit found with its
   neighbours in a cited passage; numbers that fail are marked in the text); then
   every outcome is written to the audit log (the question's sha256 and length, never
   its text, and likewise only the sha256 of its English rendering; passage ids,
   model sha256, rules version, engine, outcome). No answer leaves without its audit
   entry: if the entry cannot be written, `ask` raises.

Streaming: `on_token` receives every piece of the answer text in order (the triage
header, the model's tokens, the notes), and their concatenation is `answer.text`;
`on_discard(note)` means "clear what was streamed so far" (the model failed mid-way,
or a cloud stream broke), after which the text is streamed again from the start.
Both may be called on the calling thread or on the engine's thread, never at once.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from loguru import logger

from medassist_desktop.core.assistant.answer import (
    AnswerEngine,
    Citation,
    ConsultAnswer,
    GenerationStats,
)
from medassist_desktop.core.assistant.cache import AnswerCache, answer_key, translation_key
from medassist_desktop.core.assistant.confidence import (
    Confidence,
    assess_confidence,
    refusal_confidence,
)
from medassist_desktop.core.assistant.extractive import Quote, extractive_text, select_quotes
from medassist_desktop.core.assistant.fallback import refusal_text, rules_answer, triage_header
from medassist_desktop.core.assistant.grounding import TextChecks, check_text
from medassist_desktop.core.assistant.level_claims import (
    claimed_level,
    higher_urgency_note,
    override_note,
    suggested_level,
)
from medassist_desktop.core.assistant.numbers import mark_numbers, numbers_in
from medassist_desktop.core.assistant.prompt import (
    BuiltPrompt,
    build_prompt,
    case_summary,
    cited_numbers,
)
from medassist_desktop.core.assistant.translate import (
    TRANSLATION_MAX_TOKENS,
    TRANSLATION_TIMEOUT_S,
    needs_translation,
    translate_question,
)
from medassist_desktop.core.inference.deidentify import PatientIdentifiers, split_case
from medassist_desktop.core.inference.hybrid import HybridEngine
from medassist_desktop.core.inference.interface import (
    GenerationParams,
    GenerationResult,
    InferenceEngine,
    TokenCallback,
)
from medassist_desktop.core.knowledge.embeddings import Embedder
from medassist_desktop.core.knowledge.passages import Passage, RetrievalResult, Retriever
from medassist_desktop.core.routing import RouteResult
from medassist_desktop.core.security.audit import AuditSink, Outcome
from medassist_desktop.core.triage import (
    TriageCase,
    TriageEngine,
    TriageInputError,
    TriageResult,
    attach_triage,
    evaluate,
    parse_case,
)
from medassist_desktop.errors import KnownError, new_error_id
from medassist_desktop.i18n.catalogue import N_, gettext_noop

_log = logger.bind(area="consult")

AUDIT_ACTION = "consult.ask"
UNSUPPORTED_MARK = " [not in the cited sources]"
DiscardCallback = Callable[[str], None]


class ConsultInputError(KnownError):
    """The question cannot be asked as given (empty, or far too long)."""


class Router(Protocol):
    def route(self, text: str) -> RouteResult: ...


@dataclass(frozen=True)
class ModelChoice:
    """The engine to answer with and the model file behind it, or why there is none.

    `clinical_answers`: whether this model may write a clinical answer (the manifest's
    flag); when not, the answer is quoted from the library and the engine is not used.
    """

    engine: InferenceEngine | None
    name: str | None = None
    sha256: str | None = None
    unavailable_reason: str | None = None
    clinical_answers: bool = False


ModelSource = Callable[[], ModelChoice]


@dataclass(frozen=True)
class ConsultOptions:
    """How many passages, how relevant they must be, and how the model samples.

    `min_similarity` 0.20 drops only the clearly unrelated: on the starter library with
    all-MiniLM-L6-v2 (benchmarks/results/consult.json) the passages of covered questions
    scored 0.54 and up, those of clinical questions the library does not cover 0.24-0.41
    (shown, and confidence says low), a football question's below 0.13 (not shown).
    """

    top_k: int = 5
    min_similarity: float = 0.20
    params: GenerationParams = field(
        default_factory=lambda: GenerationParams(max_tokens=512, temperature=0.2)
    )
    max_question_chars: int = 4000
    # The health worker's language: the fixed texts, and what the model is asked to write in.
    language: str = "en"
    # Rendering a question in another language in English for routing and search.
    translation_max_tokens: int = TRANSLATION_MAX_TOKENS
    translation_timeout_s: float = TRANSLATION_TIMEOUT_S


class _Stream:
    """The answer text as streamed so far; forwards pieces and resets."""

    def __init__(
        self,
        on_token: TokenCallback | None,
        on_discard: DiscardCallback | None,
    ) -> None:
        self._on_token = on_token
        self._on_discard = on_discard
        self._parts: list[str] = []
        self._lock = threading.Lock()

    @property
    def text(self) -> str:
        with self._lock:
            return "".join(self._parts)

    def emit(self, piece: str) -> None:
        if not piece:
            return
        with self._lock:
            self._parts.append(piece)
        if self._on_token is not None:
            self._on_token(piece)

    def discard(self, note: str) -> None:
        with self._lock:
            had_text = bool(self._parts)
            self._parts.clear()
        if had_text and self._on_discard is not None:
            self._on_discard(note)


@dataclass
class _Consult:
    """What one `ask` has found out so far (the pipeline's working state)."""

    consult_id: str
    question: str
    case_data: Mapping[str, Any] | None
    started: float
    stream: _Stream
    cancel: threading.Event
    actor_id: int | None
    origin: str | None
    identifiers: PatientIdentifiers = field(default_factory=PatientIdentifiers)
    case: TriageCase | None = None
    triage: TriageResult | None = None
    route: RouteResult | None = None
    retrieval: RetrievalResult | None = None
    passages: list[Passage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    language: str = "en"
    # What is routed and searched: the question, or its English rendering.
    retrieval_question: str | None = None
    translation: str | None = None

    @property
    def search_text(self) -> str:
        return self.retrieval_question or self.question

    @property
    def header(self) -> str:
        return triage_header(self.triage, self.language) if self.triage is not None else ""


class ConsultPipeline:
    """The consult use case on its parts. Thread-safe; one `ask` per thread at a time."""

    def __init__(
        self,
        *,
        triage: TriageEngine,
        router: Router,
        retriever: Retriever,
        audit: AuditSink,
        cache: AnswerCache | None = None,
        options: ConsultOptions | None = None,
        clock: Callable[[], float] = time.perf_counter,
        embedder: Embedder | None = None,
    ) -> None:
        self.triage_engine = triage
        self.embedder = embedder
        self.router = router
        self.retriever = retriever
        self.audit = audit
        self.cache = cache
        self.options = options or ConsultOptions()
        self._clock = clock

    @property
    def rules_version(self) -> str:
        return self.triage_engine.rules_version

    def ask(
        self,
        question: str,
        case: Mapping[str, Any] | None = None,
        *,
        model: ModelChoice | ModelSource,
        max_tokens: int | None = None,
        actor_id: int | None = None,
        origin: str | None = None,
        on_token: TokenCallback | None = None,
        on_discard: DiscardCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> ConsultAnswer:
        """Answer `question` (about `case`, a triage input object, when given). Blocking.

        `case` may be a saved case's details: its name, patient id, carers and notes are
        taken out before triage and never reach a prompt; they are what a cloud prompt
        is stripped of.

        `model` may be a function returning the choice: it is then called only when an
        answer needs the model (not for a refusal or invalid input), so those never wait
        for a model that is still loading. `actor_id` (the signed-in user) and `origin`
        ("cli", a workstation name) go into the audit entry.

        Raises `ConsultInputError` / `TriageInputError` for input that cannot be used
        (audited as failures); every other outcome is an answer.
        """
        case, identifiers = split_case(case)
        run = _Consult(
            consult_id=uuid.uuid4().hex,
            question=question,
            case_data=case,
            identifiers=identifiers,
            started=self._clock(),
            stream=_Stream(on_token, on_discard),
            cancel=cancel or threading.Event(),
            actor_id=actor_id,
            origin=origin,
            language=self.options.language,
        )
        try:
            self._check_question(question)
            if case is not None:
                run.case = parse_case(case)
                run.triage = evaluate(run.case, self.triage_engine.rule_set)
        except (ConsultInputError, TriageInputError) as exc:
            self._audit_failure(run, "invalid_input", str(exc))
            raise
        try:
            answer = self._answer(run, model, max_tokens or self.options.params.max_tokens)
        except Exception as exc:
            error_id = new_error_id()
            _log.opt(exception=exc).error("Consult {} failed ({})", run.consult_id, error_id)
            self._audit_failure(run, "error", f"{type(exc).__name__} (error id {error_id})")
            raise
        self._audit_answer(run, answer)
        return answer

    # -- the stages -----------------------------------------------------------------------
    def _check_question(self, question: str) -> None:
        if not question.strip():
            raise ConsultInputError(N_("The question is empty."), hint=N_("Type a question first."))
        if len(question) > self.options.max_question_chars:
            raise ConsultInputError(
                N_(
                    "The question is {question} characters long; the limit is "
                    "{max_question_chars}.",
                    question=len(question),
                    max_question_chars=self.options.max_question_chars,
                ),
                hint=N_("Ask a shorter question; put the patient's details in the case."),
            )

    def _answer(
        self, run: _Consult, source: ModelChoice | ModelSource, max_tokens: int
    ) -> ConsultAnswer:
        model = source if isinstance(source, ModelChoice) else None
        if needs_translation(run.question, run.language):
            model = model or _choose(source)
            self._translate(run, model)  # a cancel meanwhile is seen after the search
        run.route = self.router.route(run.search_text)
        if run.route.method == "keyword":
            run.notes.append("Routing by keywords (the embedding model is not loaded).")
        run.stream.emit(run.header)
        if run.route.is_out_of_scope:
            run.stream.emit(refusal_text(run.language))
            return self._finish(
                run,
                engine="rules",
                confidence=refusal_confidence(run.route.confidence),
                refused=True,
            )
        run.retrieval = self._retrieve(run)
        run.passages = [
            p
            for p in run.retrieval.passages[: self.options.top_k]
            if p.similarity is None or p.similarity >= self.options.min_similarity
        ]
        model = model or _choose(source)
        if run.cancel.is_set():
            return self._cancelled(run, model)
        if not model.clinical_answers:
            return self._extractive(run, model)
        if model.engine is None:
            reason = model.unavailable_reason or gettext_noop("no model is loaded")
            return self._rules(run, reason)
        key = self._cache_key(run, model, max_tokens)
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is not None:
            return self._from_cache(run, cached)
        answer = self._generate(run, model, max_tokens)
        if self.cache is not None and answer.engine != "rules" and not answer.cancelled:
            self.cache.put(key, answer)
        return answer

    def _translate(self, run: _Consult, model: ModelChoice) -> None:
        """Set `run.retrieval_question` to the question in English, when the model can."""
        if not model.clinical_answers or model.engine is None:
            return  # the base model is never asked; no model: searched as typed
        key = translation_key(
            question=run.question, model_sha256=model.sha256, model_name=model.name
        )
        cached = self.cache.get_translation(key) if self.cache is not None else None
        if cached is not None:
            run.retrieval_question, run.translation = cached, "cached"
            return
        rendered = translate_question(
            model.engine,
            run.question,
            identifiers=run.identifiers,
            max_tokens=self.options.translation_max_tokens,
            timeout_s=self.options.translation_timeout_s,
        )
        if rendered.text is None:
            run.translation = "failed"
            run.notes.append(
                f"The question could not be put into English for the library search "
                f"({rendered.failure}); it was searched as typed."
            )
            return
        run.retrieval_question, run.translation = rendered.text, "translated"
        run.notes.append(
            f"The library was searched with the question in English ({rendered.ms:.0f} ms)."
        )
        if self.cache is not None:
            self.cache.put_translation(key, rendered.text)

    def _retrieve(self, run: _Consult) -> RetrievalResult:
        try:
            result = self.retriever.search(run.search_text, k=self.options.top_k)
        except KnownError as exc:
            run.notes.append(f"The reference library could not be searched ({exc}).")
            return RetrievalResult(
                passages=[], mode="keyword", kb_version="", degraded_reason=str(exc)
            )
        if result.degraded_reason:
            run.notes.append(f"Passages found by keywords only ({result.degraded_reason}).")
        return result

    def _cache_key(self, run: _Consult, model: ModelChoice, max_tokens: int) -> str:
        assert run.retrieval is not None
        return answer_key(
            question=run.question,
            case=run.case_data,
            kb_version=run.retrieval.kb_version,
            passage_ids=[p.chunk_id for p in run.passages],
            model_sha256=model.sha256,
            model_name=model.name,
            rules_version=self.rules_version,
            max_tokens=max_tokens,
            language=run.language,
        )

    def _from_cache(self, run: _Consult, cached: ConsultAnswer) -> ConsultAnswer:
        shown = run.stream.text  # the triage header, the same for the same case
        if cached.text.startswith(shown):
            run.stream.emit(cached.text[len(shown) :])
        else:
            run.stream.discard("Showing the answer given earlier to the same question.")
            run.stream.emit(cached.text)
        return replace(
            cached,
            consult_id=run.consult_id,
            translation=run.translation,
            retrieval_question=run.retrieval_question,
            cached=True,
            latency_ms=self._elapsed_ms(run),
            notes=(*cached.notes, f"Cached answer (first given as consult {cached.consult_id})."),
        )

    def _generate(self, run: _Consult, model: ModelChoice, max_tokens: int) -> ConsultAnswer:
        engine = model.engine
        assert engine is not None
        streamed_model_text = False

        def on_token(piece: str) -> None:
            nonlocal streamed_model_text
            streamed_model_text = True
            if run.cancel.is_set():
                engine.cancel()
            run.stream.emit(piece)

        def on_fallback(note: str, discard: bool) -> None:
            run.notes.append(note)
            if discard:
                run.stream.discard(note)
                run.stream.emit(run.header)

        params = replace(self.options.params, max_tokens=max_tokens)
        try:
            prompt = build_prompt(
                engine,
                question=run.question,
                passages=run.passages,
                case=run.case,
                triage=run.triage,
                answer_tokens=max_tokens,
                language=run.language,
            )
            if run.cancel.is_set():
                return self._cancelled(run, model)
            if isinstance(engine, HybridEngine):
                cloud_prompt = build_prompt(
                    engine,
                    question=run.question,
                    passages=run.passages,
                    case=run.case,
                    triage=run.triage,
                    answer_tokens=max_tokens,
                    audience="cloud",
                    identifiers=run.identifiers,
                    language=run.language,
                )
                result = engine.generate(
                    prompt.messages,
                    params,
                    on_token,
                    on_fallback=on_fallback,
                    cloud_messages=cloud_prompt.messages,
                    patient_names=run.identifiers.names,
                    patient_ids=run.identifiers.ids,
                )
            else:
                result = engine.generate(prompt.messages, params, on_token)
        except Exception as exc:
            reason = _failure_reason(exc)
            if streamed_model_text:
                run.stream.discard(f"The model failed while answering ({reason}).")
                run.stream.emit(run.header)
            return self._rules(run, f"it failed while answering: {reason}", model=model)
        if result.cancelled or run.cancel.is_set():
            return self._cancelled(run, model, result)
        if not result.text.strip():
            run.stream.discard("The model gave an empty answer.")
            run.stream.emit(run.header)
            return self._rules(run, "it gave an empty answer", model=model)
        return self._model_answer(run, model, prompt, result)

    def _model_answer(
        self, run: _Consult, model: ModelChoice, prompt: BuiltPrompt, result: GenerationResult
    ) -> ConsultAnswer:
        shown = len(prompt.passages)
        cited = [n for n in cited_numbers(result.text) if 1 <= n <= shown]
        checks = check_text(
            result.text,
            instructions=prompt.messages[0].content if prompt.messages else "",
            passages_given=shown,
            passage_texts={n: p.text for n, p in enumerate(prompt.passages, start=1)},
            case_numbers=numbers_in(case_summary(run.case)) if run.case is not None else (),
        )
        self._mark_unsupported(run, result.text, checks)
        claimed = suggested = None
        if run.triage is not None:
            guarded = attach_triage(
                run.triage,
                result.text,
                claimed_level(result.text),
                suggested_level(result.text),
            )
            claimed = guarded.model_level
            if guarded.model_suggests_higher and guarded.suggested_level is not None:
                suggested = guarded.suggested_level
                run.stream.emit("\n\n" + higher_urgency_note(guarded.level, suggested))
                run.notes.append(
                    f"The model's text read as {suggested.value}, higher than the rules' "
                    f"level {guarded.level.value}: shown as a note to check; the level stands."
                )
            if guarded.model_tried_to_lower and claimed is not None:
                run.stream.emit("\n\n" + override_note(guarded.level, claimed))
                run.notes.append(
                    f"The model's text read as {claimed.value}; the rules' level "
                    f"{guarded.level.value} stands."
                )
        if prompt.budgeted.dropped_passages:
            run.notes.append(
                f"{prompt.budgeted.dropped_passages} passage(s) did not fit the model's context."
            )
        run.passages = prompt.passages
        confidence = assess_confidence(
            router_confidence=_route(run).confidence,
            similarities=[p.similarity for p in prompt.passages],
            mean_token_prob=mean_token_probability(result.token_logprobs),
            engine=result.engine,
            cited_passages=len(cited) if prompt.passages else None,
            text_problems=checks.problems(),
            extra_signals=checks.signals(),
        )
        stats = GenerationStats(
            tokens=result.tokens,
            prompt_tokens=result.prompt_tokens,
            tokens_per_second=result.tokens_per_second,
            time_to_first_token_ms=result.time_to_first_token_ms,
            stop_reason=result.stop_reason,
            kept_passages=prompt.budgeted.kept_passages,
            dropped_passages=prompt.budgeted.dropped_passages,
            prompt_trimmed=prompt.budgeted.shortened or result.prompt_trimmed,
        )
        return self._finish(
            run,
            engine=result.engine,
            confidence=confidence,
            # A cloud answer names the cloud's model; it has no local file to hash.
            model_name=result.model_name or model.name,
            model_sha256=None if result.engine == "cloud" else result.model_sha256 or model.sha256,
            cited=set(cited),
            fallback_reason=result.fallback_reason,
            model_claimed_level=None if claimed is None else claimed.value,
            model_suggested_level=None if suggested is None else suggested.value,
            generation=stats,
        )

    def _mark_unsupported(self, run: _Consult, text: str, checks: TextChecks) -> None:
        """Stream the answer again with each number that failed its check marked."""
        unsupported = checks.numbers.unsupported
        if not unsupported:
            return
        note = "Numbers not found as written in the cited passages are marked."
        run.notes.append(note)
        run.stream.discard(note)
        run.stream.emit(run.header)
        run.stream.emit(mark_numbers(text, unsupported, UNSUPPORTED_MARK))

    def _extractive(self, run: _Consult, model: ModelChoice) -> ConsultAnswer:
        """Quote the library: the model may not write clinical answers (or none is set)."""
        # Vector search ran only if the embedding model is loaded: then compare by
        # embeddings too; otherwise (keyword mode) by shared words, without waiting.
        measured = any(p.similarity is not None for p in run.passages)
        embed = self.embedder.encode if self.embedder is not None and measured else None
        quotes = select_quotes(run.question, run.passages, embed=embed)
        run.stream.emit(extractive_text(quotes, run.passages, run.language))
        cited = {quote.n for quote in quotes}
        problems = []
        if run.passages and not quotes:
            problems.append("no sentence of the passages matches the question")
        confidence = assess_confidence(
            router_confidence=_route(run).confidence,
            similarities=[p.similarity for p in run.passages],
            mean_token_prob=None,
            engine="extractive",
            cited_passages=len(cited) if run.passages else None,
            text_problems=problems,
            extra_signals={
                "quotes": len(quotes),
                "best_quote_similarity": max((q.similarity for q in quotes), default=None)
                if embed is not None
                else None,
            },
        )
        return self._finish(
            run,
            engine="extractive",
            confidence=confidence,
            model_name=model.name,
            model_sha256=model.sha256,
            cited=cited,
            quotes=tuple(quotes),
        )

    def _rules(
        self, run: _Consult, reason: str, *, model: ModelChoice | None = None
    ) -> ConsultAnswer:
        run.stream.emit(rules_answer(reason, run.passages, run.language))
        confidence = assess_confidence(
            router_confidence=_route(run).confidence,
            similarities=[p.similarity for p in run.passages],
            mean_token_prob=None,
            engine="rules",
        )
        return self._finish(
            run,
            engine="rules",
            confidence=confidence,
            model_name=model.name if model else None,
            model_sha256=model.sha256 if model else None,
            cited=set(range(1, len(run.passages) + 1)),
            model_error=reason,
        )

    def _cancelled(
        self, run: _Consult, model: ModelChoice, result: GenerationResult | None = None
    ) -> ConsultAnswer:
        confidence = assess_confidence(
            router_confidence=_route(run).confidence,
            similarities=[p.similarity for p in run.passages],
            mean_token_prob=None
            if result is None
            else mean_token_probability(result.token_logprobs),
            engine="rules" if result is None else result.engine,
        )
        engine: AnswerEngine = "rules" if result is None else result.engine
        return self._finish(
            run,
            engine=engine,
            confidence=Confidence("low", confidence.signals, ("the answer was stopped",)),
            model_name=model.name,
            model_sha256=model.sha256,
            cancelled=True,
        )

    def _finish(
        self,
        run: _Consult,
        *,
        engine: AnswerEngine,
        confidence: Confidence,
        model_name: str | None = None,
        model_sha256: str | None = None,
        cited: set[int] | None = None,
        refused: bool = False,
        cancelled: bool = False,
        model_error: str | None = None,
        fallback_reason: str | None = None,
        model_claimed_level: str | None = None,
        model_suggested_level: str | None = None,
        generation: GenerationStats | None = None,
        quotes: tuple[Quote, ...] = (),
    ) -> ConsultAnswer:
        retrieval = run.retrieval
        return ConsultAnswer(
            consult_id=run.consult_id,
            question=run.question,
            text=run.stream.text,
            citations=tuple(
                Citation.from_passage(n, passage, cited=n in (cited or set()))
                for n, passage in enumerate(run.passages, start=1)
            ),
            triage=run.triage,
            route=_route(run),
            confidence=confidence,
            engine=engine,
            model=model_name,
            model_sha256=model_sha256,
            rules_version=self.rules_version,
            kb_version=(retrieval.kb_version or None) if retrieval is not None else None,
            retrieval_mode=retrieval.mode if retrieval is not None else None,
            latency_ms=self._elapsed_ms(run),
            refused=refused,
            cancelled=cancelled,
            model_error=model_error,
            fallback_reason=fallback_reason,
            model_claimed_level=model_claimed_level,
            model_suggested_level=model_suggested_level,
            generation=generation,
            notes=tuple(run.notes),
            quotes=quotes,
            translation=run.translation,
            retrieval_question=run.retrieval_question,
        )

    def _elapsed_ms(self, run: _Consult) -> float:
        return round((self._clock() - run.started) * 1000, 1)

    # -- audit ----------------------------------------------------------------------------
    def _audit_answer(self, run: _Consult, answer: ConsultAnswer) -> None:
        if answer.cancelled:
            outcome, what = Outcome.FAILURE, "cancelled"
        elif answer.refused:
            outcome, what = Outcome.SUCCESS, "refused"
        elif answer.cached:
            outcome, what = Outcome.SUCCESS, "cached"
        elif answer.engine == "rules":
            outcome, what = Outcome.SUCCESS, "rules_fallback"
        elif answer.engine == "extractive":
            outcome, what = Outcome.SUCCESS, "quoted"
        else:
            outcome, what = Outcome.SUCCESS, "answered"
        details = self._details(run) | {
            "outcome": what,
            "passage_ids": answer.passage_ids,
            "cited": [c.n for c in answer.citations if c.cited],
            "kb_version": answer.kb_version,
            "engine": answer.engine,
            "model": answer.model,
            "model_sha256": answer.model_sha256,
            "model_error": answer.model_error,
            "fallback_reason": answer.fallback_reason,
            "model_claimed_level": answer.model_claimed_level,
            "model_suggested_level": answer.model_suggested_level,
            "confidence": answer.confidence.level,
            "cached": answer.cached,
            "latency_ms": answer.latency_ms,
            # The model's speed on this computer, as measured while answering: the
            # System page shows the median of the recent ones (no patient data).
            "tokens": None if answer.generation is None else answer.generation.tokens,
            "tokens_per_second": (
                None if answer.generation is None else answer.generation.tokens_per_second
            ),
        }
        self.audit.append(
            run.actor_id,
            AUDIT_ACTION,
            f"consult:{run.consult_id}",
            outcome,
            ip_address=run.origin,
            details=details,
        )

    def _audit_failure(self, run: _Consult, what: str, error: str) -> None:
        details = self._details(run) | {"outcome": what, "error": error}
        self.audit.append(
            run.actor_id,
            AUDIT_ACTION,
            f"consult:{run.consult_id}",
            Outcome.FAILURE,
            ip_address=run.origin,
            details=details,
        )

    def _details(self, run: _Consult) -> dict[str, Any]:
        triage = run.triage
        return {
            # Not the text: the audit trail is append-only and synced, and a question may
            # name the patient. The hash matches it to the consult record; the length
            # shows what was asked was a question and not a pasted document.
            "question_sha256": question_digest(run.question),
            "question_chars": len(run.question),
            # The English rendering searched instead (never its text either).
            "question_translation": run.translation,
            "retrieval_question_sha256": (
                None if run.retrieval_question is None else question_digest(run.retrieval_question)
            ),
            "case_given": run.case_data is not None,
            "triage_level": None if triage is None else triage.level.value,
            "triage_rules": [] if triage is None else [f.rule for f in triage.findings],
            "rules_version": self.rules_version,
            "route": None if run.route is None else run.route.intent.value,
            "route_confidence": None if run.route is None else run.route.confidence,
        }


def question_digest(question: str) -> str:
    """The sha256 of the question as typed (UTF-8), as the audit records it."""
    return hashlib.sha256(question.encode("utf-8")).hexdigest()


def _choose(source: ModelChoice | ModelSource) -> ModelChoice:
    return source if isinstance(source, ModelChoice) else source()


def _route(run: _Consult) -> RouteResult:
    assert run.route is not None, "routed before any answer is built"
    return run.route


def mean_token_probability(logprobs: Sequence[float]) -> float | None:
    """The mean of the probabilities of the generated tokens (None when none are known)."""
    if not logprobs:
        return None
    return sum(math.exp(lp) for lp in logprobs) / len(logprobs)


def _failure_reason(exc: BaseException) -> str:
    if isinstance(exc, KnownError):
        return exc.message
    error_id = new_error_id()
    _log.opt(exception=exc).error("The model failed while answering ({})", error_id)
    return f"unexpected error, id {error_id}"


__all__ = [
    "AUDIT_ACTION",
    "AuditSink",
    "ConsultInputError",
    "ConsultOptions",
    "ConsultPipeline",
    "ModelChoice",
    "ModelSource",
    "Router",
    "mean_token_probability",
    "question_digest",
]
