"""The llama.cpp engine on the real Gemma 3 270M GGUF: load, stream, cancel, unload.

One engine is loaded for the module; tests that need their own load (unload,
GPU fallback, cancelled load) make a second one.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from medassist_desktop.config import LoadedSettings
from medassist_desktop.core.inference.budget import PromptParts, fit_prompt
from medassist_desktop.core.inference.engine import LlamaEngine, LoadedModelInfo
from medassist_desktop.core.inference.errors import (
    ModelNotLoadedError,
    NotEnoughMemoryError,
    OperationCancelledError,
    UnsupportedCpuError,
)
from medassist_desktop.core.inference.hardware import probe_hardware
from medassist_desktop.core.inference.interface import ChatMessage, GenerationParams
from medassist_desktop.core.inference.loading import LoadRequest, prepare_load
from medassist_desktop.core.inference.models import load_manifest
from tests.inference_support import TEST_CONTEXT

pytestmark = pytest.mark.slow

QUESTION = [
    ChatMessage("system", "You are a careful assistant for rural health workers."),
    ChatMessage("user", "What are the danger signs of dehydration in a child?"),
]
GREEDY = GenerationParams(max_tokens=12, temperature=0.0, repeat_penalty=1.0)


@dataclasses.dataclass
class Loaded:
    engine: LlamaEngine
    info: LoadedModelInfo
    progress: list[float]
    request: LoadRequest


@pytest.fixture(scope="module")
def loaded(model_settings: LoadedSettings) -> Iterator[Loaded]:
    engine = LlamaEngine()
    request = prepare_load(model_settings.settings, model_settings.paths)
    progress: list[float] = []
    info = engine.load(request, progress.append)
    yield Loaded(engine, info, progress, request)
    engine.close()


def test_load_reports_progress_and_what_it_chose(loaded: Loaded) -> None:
    info = loaded.info
    assert loaded.progress[-1] == 1.0 and len(loaded.progress) > 10
    assert loaded.progress == sorted(loaded.progress)
    assert info.name == "gemma3-270m-q4_k_m" and info.architecture == "gemma3"
    assert info.sha256 == load_manifest().get("gemma3-270m-q4_k_m").sha256  # type: ignore[union-attr]
    assert info.n_ctx == TEST_CONTEXT and loaded.engine.n_ctx == TEST_CONTEXT
    assert info.device == "cpu" and info.fallback_reason is None
    assert info.chat_format == "GemmaTurnFormatter"  # the test file has no chat template
    assert any("no GPU backend" in r for r in info.plan_reasons)


def test_tokens_stream_with_figures_and_logprobs(loaded: Loaded) -> None:
    pieces: list[str] = []
    result = loaded.engine.generate(
        QUESTION, GenerationParams(max_tokens=10, temperature=0.7, seed=7), pieces.append
    )
    assert result.text == "".join(pieces) and result.text.strip()
    assert len(pieces) >= 2  # streamed, not delivered at the end
    assert 1 <= result.tokens <= 10 and len(result.token_logprobs) == result.tokens
    assert all(lp <= 0 for lp in result.token_logprobs)
    assert result.tokens_per_second > 0 and result.time_to_first_token_ms > 0
    assert result.stop_reason in ("length", "stop") and not result.cancelled
    assert result.model_sha256 == loaded.info.sha256
    content_tokens = sum(loaded.engine.count_tokens(m.content) for m in QUESTION)
    assert content_tokens < result.prompt_tokens <= content_tokens + 16  # + turn markers


def test_greedy_is_repeatable_and_stop_strings_cut_the_reply(loaded: Loaded) -> None:
    first = loaded.engine.generate(QUESTION, GREEDY)
    second = loaded.engine.generate(QUESTION, GREEDY)
    assert first.text == second.text and first.token_logprobs == second.token_logprobs
    words = first.text.split()
    assert len(words) >= 3
    stop = words[2]
    cut = loaded.engine.generate(QUESTION, dataclasses.replace(GREEDY, stop=(stop,)))
    assert cut.stop_reason == "stop"
    assert cut.text == first.text[: first.text.index(stop)]


def test_logprobs_equal_llama_cpp_full_softmax(loaded: Loaded, embedded_gguf: Path) -> None:
    """Same numbers as llama-cpp-python's own logprobs (logits_all, full-vocab softmax).

    Both sides evaluate the prompt from an empty KV cache: the module's engine may hold
    an earlier prompt with the same prefix, and a prompt evaluated partly from the cache
    gives logits a few hundredths apart.
    """
    import llama_cpp

    fresh = LlamaEngine()
    try:
        fresh.load(loaded.request)
        ours = fresh.generate(QUESTION, dataclasses.replace(GREEDY, max_tokens=4))
    finally:
        fresh.close()
    reference = llama_cpp.Llama(
        str(embedded_gguf), n_ctx=128, n_threads=1, logits_all=True, verbose=False
    )
    try:
        prompt = reference.tokenize(
            loaded.engine.format_prompt(QUESTION).encode(), add_bos=True, special=True
        )
        completion: Any = reference.create_completion(
            prompt, max_tokens=4, temperature=0.0, logprobs=1
        )
    finally:
        reference.close()
    expected = completion["choices"][0]["logprobs"]["token_logprobs"]
    assert completion["choices"][0]["text"] == ours.text
    assert ours.token_logprobs == pytest.approx(expected, abs=2e-3)


def test_cancel_mid_stream_takes_effect_within_200ms(loaded: Loaded) -> None:
    engine = loaded.engine
    streaming = threading.Event()
    token_times: list[float] = []

    def on_token(_text: str) -> None:
        token_times.append(time.perf_counter())
        if len(token_times) >= 3:
            streaming.set()

    future = engine.generate_async(
        QUESTION, GenerationParams(max_tokens=400, temperature=0.8), on_token
    )
    assert streaming.wait(60), "no tokens streamed"
    requested = time.perf_counter()
    engine.cancel()
    result = future.result(timeout=5)
    latency = time.perf_counter() - requested
    assert result.cancelled and result.stop_reason == "cancelled"
    assert latency < 0.2, f"cancel took {latency * 1000:.0f} ms"
    assert not [t for t in token_times if t > requested], "tokens arrived after the cancel"
    after = engine.generate(QUESTION, dataclasses.replace(GREEDY, max_tokens=3))
    assert not after.cancelled and after.tokens >= 1  # the engine is usable again


def test_cancel_during_a_long_prompt_aborts_inside_llama_cpp(loaded: Loaded) -> None:
    engine = loaded.engine
    long_question = [ChatMessage("user", "Summarise: " + "fever cough rash " * 150)]
    tokens: list[str] = []
    future = engine.generate_async(long_question, GREEDY, tokens.append)
    time.sleep(0.3)  # the prompt (about 450 tokens) takes a second or more to evaluate
    requested = time.perf_counter()
    engine.cancel()
    result = future.result(timeout=5)
    latency = time.perf_counter() - requested
    assert result.cancelled and result.tokens == 0 and not tokens
    assert latency < 0.2, f"cancel took {latency * 1000:.0f} ms"
    assert engine.generate(QUESTION, GREEDY).text == engine.generate(QUESTION, GREEDY).text


def test_context_overflow_is_trimmed_not_an_error(loaded: Loaded) -> None:
    engine = loaded.engine
    history = [
        ChatMessage("user" if i % 2 == 0 else "assistant", f"turn {i}: " + "details " * 60)
        for i in range(12)
    ]
    messages = [QUESTION[0], *history, QUESTION[1]]
    assert engine.count_tokens(engine.format_prompt(messages)) > engine.n_ctx
    result = engine.generate(messages, dataclasses.replace(GREEDY, max_tokens=4))
    assert result.prompt_trimmed and not result.cancelled and result.tokens >= 1
    assert result.prompt_tokens + result.tokens <= engine.n_ctx
    assert result.prompt_tokens <= engine.n_ctx - 4
    assert result.prompt_tokens > engine.n_ctx // 2  # trimmed to fit, not thrown away


def test_budget_with_the_real_tokenizer_fits_without_engine_trimming(loaded: Loaded) -> None:
    engine = loaded.engine
    parts = PromptParts(
        system=QUESTION[0].content,
        question=QUESTION[1].content,
        passages=[f"[{i}] WHO IMCI: " + "sunken eyes, skin pinch " * 8 for i in range(20)],
        history=[ChatMessage("user", "earlier " * 150), ChatMessage("assistant", "reply " * 150)],
    )
    fitted = fit_prompt(
        parts, count_tokens=engine.count_tokens, n_ctx=engine.n_ctx, answer_tokens=128
    )
    assert fitted.dropped_history == 2 and 0 < fitted.kept_passages < 20
    assert fitted.estimated_prompt_tokens <= engine.n_ctx - 128
    result = engine.generate(fitted.messages, dataclasses.replace(GREEDY, max_tokens=2))
    assert not result.prompt_trimmed
    assert result.prompt_tokens <= fitted.estimated_prompt_tokens  # the estimate errs safe


def test_count_tokens_uses_the_model_tokenizer(loaded: Loaded) -> None:
    engine = loaded.engine
    assert engine.count_tokens("") == 0
    assert 0 < engine.count_tokens("dehydration") <= 3
    assert engine.count_tokens("word " * 100) >= 100


def test_unload_returns_the_memory(model_settings: LoadedSettings) -> None:
    process = psutil.Process()
    engine = LlamaEngine()
    request = prepare_load(model_settings.settings, model_settings.paths)
    try:
        # A first cycle pays what stays for the process's life whatever the model (the
        # llama.cpp libraries' code, their one-time tables): measured alone, the test
        # counted those as "not returned", and passed only after another test loaded them.
        engine.load(request)
        engine.unload()
        before = process.memory_info().rss
        engine.load(request)
        engine.generate(QUESTION, dataclasses.replace(GREEDY, max_tokens=2))
        with_model = process.memory_info().rss
        engine.unload()
        after = process.memory_info().rss
    finally:
        engine.close()
    assert not engine.is_loaded
    assert with_model - before > 200 * 1024**2, "the model should take memory while loaded"
    assert with_model - after > 0.8 * (with_model - before), (before, with_model, after)
    with pytest.raises(ModelNotLoadedError):
        LlamaEngine().generate(QUESTION, GREEDY)


def test_gpu_failure_falls_back_to_the_cpu(loaded: Loaded) -> None:
    import llama_cpp

    attempts: list[int] = []

    def gpu_breaks(**kwargs: Any) -> Any:
        attempts.append(kwargs["n_gpu_layers"])
        if kwargs["n_gpu_layers"] != 0:
            raise ValueError("Failed to create llama_context: CUDA out of memory")
        return llama_cpp.Llama(**kwargs)

    request = loaded.request
    on_gpu = dataclasses.replace(request, plan=dataclasses.replace(request.plan, n_gpu_layers=-1))
    engine = LlamaEngine(llama_factory=gpu_breaks)
    try:
        info = engine.load(on_gpu)
        result = engine.generate(QUESTION, dataclasses.replace(GREEDY, max_tokens=2))
    finally:
        engine.close()
    assert attempts == [-1, 0]
    assert info.device == "cpu" and info.n_gpu_layers == 0
    assert info.fallback_reason and "CUDA out of memory" in info.fallback_reason
    assert result.tokens >= 1


def test_this_build_reports_no_gpu_and_plans_the_cpu(model_settings: LoadedSettings) -> None:
    import llama_cpp

    assert llama_cpp.llama_supports_gpu_offload() is False
    settings = model_settings.settings.model_copy(update={"model_device": "gpu"})
    request = prepare_load(settings, model_settings.paths)
    assert request.plan.n_gpu_layers == 0 and request.plan.device == "cpu"
    assert any("no GPU backend in this build" in r for r in request.plan.reasons)


def test_a_load_can_be_cancelled(loaded: Loaded) -> None:
    engine = LlamaEngine()
    try:
        with pytest.raises(OperationCancelledError):
            engine.load(loaded.request, lambda _fraction: engine.cancel())
        assert not engine.is_loaded
        assert engine.load(loaded.request).name == loaded.info.name  # still usable
    finally:
        engine.close()


def test_refusals_happen_before_llama_cpp_is_asked(
    loaded: Loaded, model_settings: LoadedSettings
) -> None:
    def must_not_load(**_kwargs: Any) -> Any:
        raise AssertionError("llama.cpp should not have been called")

    too_big = dataclasses.replace(
        loaded.request, plan=dataclasses.replace(loaded.request.plan, fits_in_memory=False)
    )
    engine = LlamaEngine(llama_factory=must_not_load)
    try:
        with pytest.raises(NotEnoughMemoryError, match="GiB of memory"):
            engine.load(too_big)
    finally:
        engine.close()
    old_cpu = dataclasses.replace(probe_hardware(check_gpu=False), cpu_flags=frozenset({"sse2"}))
    with pytest.raises(UnsupportedCpuError, match="AVX"):
        prepare_load(model_settings.settings, model_settings.paths, hardware=old_cpu)
