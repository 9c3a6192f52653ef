"""The local engine: one `llama_cpp.Llama`, owned by one dedicated thread.

llama.cpp's context is not thread-safe and llama-cpp-python has no cancel API.
So every call (load, tokenize, generate, unload) runs as a job on the engine's
own thread, in order; callers get a Future, or block on it. Cancelling is a
`threading.Event` per job, read:
- between tokens (a `stopping_criteria` and the token loop: one decode step,
  tens of milliseconds),
- inside llama.cpp while a long prompt is evaluated (its abort callback; set only
  for the prompt, because a Python callback per graph node costs ~20% of decode
  speed),
- by llama.cpp's load-progress callback while weights load.
A consumer may also simply stop listening (the Qt worker drops late tokens).

Per-token log-probabilities (the confidence's mean token probability) come from
the logits llama.cpp keeps for the last position: one exact log-sum-exp over the
vocabulary per token, ~0.1-0.3 ms for Gemma's 262k entries - 1-2% of a token on
one CPU thread but 15% of one on a GPU at 500 tokens/s. It takes two passes over
the logits, not five: exp of the logits as they are (no max and no shift: model
logits lie well inside float32's exp range; when they do not, the sum overflows or
vanishes and the shifted sum is taken instead), then a BLAS dot product with ones,
twice as fast as numpy's pairwise sum. Only the entries near the top would not do:
Gemma's logits put 10k-200k entries within 20 nats of the top, so the whole
vocabulary is read. When a core is idle (on a GPU, or with fewer decode threads
than cores, as the default plan on two cores), the token loop only copies the
logits (the next decode overwrites them) and a helper thread does the arithmetic
while llama.cpp decodes the next token: on a quiet 2-core machine at 1 thread this
halved the loop's own CPU per token (~270 -> 130 us) and raised the app/raw decode
ratio from 0.97-0.98 to 0.98-0.99. When every core decodes, handing work to another
thread costs more than doing it (waking the helper took ~3.5 ms per token on a busy
2-core machine: the woken thread preempts the loop), so there it is computed in the
loop (`logprobs_on_helper`).
Everything else per token is what raw llama-cpp-python does too (sample,
detokenize) plus a stop-string check; cancelling is read in the loop, so no
stopping-criteria callback runs inside `Llama.generate`.
"""

from __future__ import annotations

import ctypes
import gc
import math
import os
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from queue import SimpleQueue
from typing import Any, TypeVar

import numpy as np
from loguru import logger

from medassist_desktop.core.inference.budget import trim_messages
from medassist_desktop.core.inference.chat_format import (
    ChatFormatter,
    formatter_for,
    tokenize_prompt,
)
from medassist_desktop.core.inference.errors import (
    ModelLoadError,
    ModelNotLoadedError,
    NotEnoughMemoryError,
    OperationCancelledError,
)
from medassist_desktop.core.inference.hardware import GIB, RuntimePlan
from medassist_desktop.core.inference.interface import (
    ChatMessage,
    GenerationParams,
    GenerationResult,
    InferenceEngine,
    StopReason,
    TokenCallback,
)
from medassist_desktop.core.inference.llama_runtime import (
    capture_llama_errors,
    describe_llama_errors,
    import_llama,
    load_progress_hook,
)
from medassist_desktop.core.inference.loading import LoadRequest
from medassist_desktop.core.inference.models import ResolvedModel
from medassist_desktop.core.inference.text_stream import StopStringStream
from medassist_desktop.i18n.catalogue import N_

T = TypeVar("T")
LoadProgress = Callable[[float], None]  # 0.0 .. 1.0, called on the engine thread
LlamaFactory = Callable[..., Any]
_log = logger.bind(area="inference")


@dataclass(frozen=True)
class LoadedModelInfo:
    name: str
    path: str
    sha256: str | None
    n_ctx: int
    n_threads: int
    n_gpu_layers: int
    device: str
    fallback_reason: str | None
    load_ms: float
    chat_format: str
    architecture: str
    plan_reasons: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def offloaded_layers(requested: int, n_layer: int, on_gpu: bool) -> int:
    """How many layers llama.cpp put on the GPU: it takes at most the model's blocks plus
    the output layer, and -1 (or any large number) means all of them."""
    if not on_gpu or requested == 0:
        return 0
    everything = n_layer + 1
    return everything if requested < 0 else min(requested, everything)


class _Job:
    def __init__(self, run: Callable[[_Job], Any], *, cancellable: bool) -> None:
        self.run = run
        self.cancellable = cancellable
        self.cancel_event = threading.Event()
        self.future: Future[Any] = Future()
        self.submitted = time.perf_counter()


class _Loaded:
    """The live model and what generation needs alongside it (engine thread only)."""

    def __init__(self, llm: Any, info: LoadedModelInfo, formatter: ChatFormatter) -> None:
        self.llm = llm
        self.info = info
        self.formatter = formatter
        self.n_vocab = int(llm.n_vocab())


class LlamaEngine(InferenceEngine):
    """A llama.cpp model served from one thread. All public methods are thread-safe.

    `llama_factory` builds the `Llama` (default `llama_cpp.Llama`); tests pass one
    that fails on the GPU to check the fallback to the CPU.

    `reuse_prefix`: keep the KV cache between generations, so a prompt that starts
    like the previous one (the consult's fixed instructions, the same passages, a
    repeated question) evaluates only the tokens after the shared prefix.
    llama-cpp-python's `generate` finds that prefix itself; off, every prompt is
    evaluated in full (for measuring what reuse saves).
    """

    def __init__(
        self, *, llama_factory: LlamaFactory | None = None, reuse_prefix: bool = True
    ) -> None:
        self._factory = llama_factory
        self._reuse_prefix = reuse_prefix
        self._queue: SimpleQueue[_Job | None] = SimpleQueue()
        self._active: set[_Job] = set()
        self._lock = threading.Lock()
        self._loaded: _Loaded | None = None
        self._abort_job: _Job | None = None
        self._abort_callback: Any = None
        self._closed = False
        self._thread = threading.Thread(target=self._serve, name="llama-engine", daemon=True)
        self._thread.start()

    # -- the engine thread --------------------------------------------------------------
    def _serve(self) -> None:
        while (job := self._queue.get()) is not None:
            if not job.future.set_running_or_notify_cancel():
                continue
            try:
                job.future.set_result(job.run(job))
            except BaseException as exc:
                job.future.set_exception(exc)
            finally:
                with self._lock:
                    self._active.discard(job)
        self._unload_now()

    def _submit(self, run: Callable[[_Job], T], *, cancellable: bool = False) -> Future[T]:
        job = _Job(run, cancellable=cancellable)
        with self._lock:
            if self._closed:
                raise ModelNotLoadedError(N_("The inference engine has been shut down."))
            if cancellable:
                self._active.add(job)
        self._queue.put(job)
        return job.future

    def _call(self, run: Callable[[_Job], T]) -> T:
        """Run on the engine thread and wait; inline when already there (from a callback)."""
        if threading.current_thread() is self._thread:
            return run(_Job(run, cancellable=False))
        return self._submit(run).result()

    # -- public API -----------------------------------------------------------------------
    @property
    def is_loaded(self) -> bool:
        return self._loaded is not None

    @property
    def info(self) -> LoadedModelInfo | None:
        loaded = self._loaded
        return loaded.info if loaded else None

    @property
    def n_ctx(self) -> int:
        loaded = self._loaded
        return loaded.info.n_ctx if loaded else 0

    def load_async(
        self,
        request: LoadRequest | Callable[[], LoadRequest],
        on_progress: LoadProgress | None = None,
    ) -> Future[LoadedModelInfo]:
        """Load a model (unloading the current one). `request` may be a function that
        prepares it (finds the file, plans the load): it then runs on the engine thread too.
        """
        return self._submit(lambda job: self._load_now(job, request, on_progress), cancellable=True)

    def load(
        self,
        request: LoadRequest | Callable[[], LoadRequest],
        on_progress: LoadProgress | None = None,
    ) -> LoadedModelInfo:
        return self.load_async(request, on_progress).result()

    def unload_async(self) -> Future[None]:
        return self._submit(lambda _job: self._unload_now())

    def unload(self) -> None:
        self.unload_async().result()

    def generate_async(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
    ) -> Future[GenerationResult]:
        messages = list(messages)
        return self._submit(
            lambda job: self._generate_now(job, messages, params, on_token), cancellable=True
        )

    def generate(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
    ) -> GenerationResult:
        return self.generate_async(messages, params, on_token).result()

    def cancel(self) -> None:
        """Cancel the running and queued loads and generations."""
        with self._lock:
            for job in self._active:
                job.cancel_event.set()

    def count_tokens(self, text: str) -> int:
        def run(_job: _Job) -> int:
            llm = self._require().llm
            return len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

        return self._call(run)

    def format_prompt(self, messages: Sequence[ChatMessage]) -> str:
        return self._call(lambda _job: self._require().formatter.format(messages).text)

    def close(self, timeout: float = 30.0) -> None:
        """Cancel what runs, free the model and stop the thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self.cancel()
        self._queue.put(None)
        self._thread.join(timeout)

    # -- loading --------------------------------------------------------------------------
    def _require(self) -> _Loaded:
        if self._loaded is None:
            raise ModelNotLoadedError(
                N_("No model is loaded yet."), hint=N_("Wait for the model to finish loading.")
            )
        return self._loaded

    def _load_now(
        self,
        job: _Job,
        request: LoadRequest | Callable[[], LoadRequest],
        on_progress: LoadProgress | None,
    ) -> LoadedModelInfo:
        self._unload_now()
        if callable(request):
            request = request()
        model, plan = request.model, request.plan
        if not plan.fits_in_memory:
            raise NotEnoughMemoryError(
                N_(
                    "{name} needs about {value:.1f} GiB of memory; this computer does not "
                    "have that much free.",
                    name=model.name,
                    value=plan.memory_needed_bytes / GIB,
                ),
                hint=N_("Close other programs, or use a smaller model (medassist models list)."),
            )
        started = time.perf_counter()
        fallback_reason: str | None = None
        attempts = [plan.n_gpu_layers, 0] if plan.n_gpu_layers != 0 else [0]
        llm: Any = None
        for n_gpu_layers in attempts:
            try:
                llm = self._construct(job, model, plan, n_gpu_layers, on_progress)
                break
            except ModelLoadError as exc:
                if n_gpu_layers == 0:
                    raise
                fallback_reason = f"loading on the GPU failed ({exc.message}); using the CPU"
                _log.warning("GPU load of {} failed, retrying on the CPU: {}", model.name, exc)
        llama_cpp = import_llama()
        bos = llm.detokenize([llm.token_bos()], special=True).decode("utf-8", "replace")
        eos = llm.detokenize([llm.token_eos()], special=True).decode("utf-8", "replace")
        formatter = formatter_for(llm.metadata, bos_token=bos, eos_token=eos)
        on_gpu = llm.model_params.n_gpu_layers != 0 and bool(llama_cpp.llama_supports_gpu_offload())
        n_layer = int(llama_cpp.llama_model_n_layer(llm.model))
        info = LoadedModelInfo(
            name=model.name,
            path=str(model.path),
            sha256=model.sha256,
            n_ctx=int(llm.n_ctx()),
            n_threads=plan.n_threads,
            n_gpu_layers=offloaded_layers(int(llm.model_params.n_gpu_layers), n_layer, on_gpu),
            device="gpu" if on_gpu else "cpu",
            fallback_reason=fallback_reason,
            load_ms=round((time.perf_counter() - started) * 1000, 1),
            chat_format=type(formatter).__name__,
            architecture=str(llm.metadata.get("general.architecture", "unknown")),
            plan_reasons=plan.reasons,
        )
        self._loaded = _Loaded(llm, info, formatter)
        if on_progress:
            on_progress(1.0)
        _log.info("Model loaded: {}", info.as_dict())
        return info

    def _construct(
        self,
        job: _Job,
        model: ResolvedModel,
        plan: RuntimePlan,
        n_gpu_layers: int,
        on_progress: LoadProgress | None,
    ) -> Any:
        llama_cpp = import_llama()
        factory = self._factory or llama_cpp.Llama

        def progress(fraction: float) -> bool:
            if on_progress:
                on_progress(min(fraction, 0.99))
            return not job.cancel_event.is_set()

        if job.cancel_event.is_set():
            raise OperationCancelledError(N_("Loading the model was cancelled."))
        try:
            with load_progress_hook(progress), capture_llama_errors() as errors:
                return factory(
                    model_path=str(model.path),
                    n_ctx=plan.n_ctx,
                    n_threads=plan.n_threads,
                    n_threads_batch=plan.n_threads,
                    n_gpu_layers=n_gpu_layers,
                    verbose=False,
                )
        except Exception as exc:
            if job.cancel_event.is_set():
                raise OperationCancelledError(N_("Loading the model was cancelled.")) from None
            detail = describe_llama_errors(errors) if errors else str(exc)
            raise ModelLoadError(
                N_(
                    "The model {name} could not be loaded ({detail}).",
                    name=model.name,
                    detail=detail,
                ),
                hint=N_(
                    "Check the file with `medassist models verify`; if memory is short, "
                    "lower MODEL_CONTEXT_TOKENS or close other programs."
                ),
            ) from exc

    def _unload_now(self) -> None:
        loaded, self._loaded = self._loaded, None
        if loaded is None:
            return
        loaded.llm.close()
        del loaded
        gc.collect()
        _log.info("Model unloaded")

    # -- generating -----------------------------------------------------------------------
    def _encode(self, loaded: _Loaded, messages: Sequence[ChatMessage]) -> list[int]:
        """Message text is tokenised with special tokens off (`chat_format.tokenize_prompt`)."""
        prompt = loaded.formatter.format(messages)
        return tokenize_prompt(prompt, loaded.llm.tokenize)

    def _stop_token_ids(self, loaded: _Loaded, stops: Sequence[str]) -> tuple[set[int], list[str]]:
        """Stop strings that are one control token (`<end_of_turn>`) are matched by id."""
        ids: set[int] = set()
        texts: list[str] = []
        for stop in stops:
            tokens = loaded.llm.tokenize(stop.encode("utf-8"), add_bos=False, special=True)
            if len(tokens) == 1 and not loaded.llm.detokenize(tokens, special=False):
                ids.add(tokens[0])
            else:
                texts.append(stop)
        return ids, texts

    def _set_abort(self, job: _Job | None) -> None:
        """Let llama.cpp poll `job`'s cancel flag inside decode (prompt evaluation only)."""
        loaded = self._loaded
        if loaded is None:
            return
        llama_cpp = import_llama()
        if self._abort_callback is None:

            def should_abort(_data: Any) -> bool:
                current = self._abort_job
                return current is not None and current.cancel_event.is_set()

            self._abort_callback = llama_cpp.ggml_abort_callback(should_abort)
        self._abort_job = job
        callback = self._abort_callback if job else llama_cpp.ggml_abort_callback()
        llama_cpp.llama_set_abort_callback(loaded.llm.ctx, callback, None)

    def _fit_prompt(
        self, loaded: _Loaded, messages: list[ChatMessage], params: GenerationParams
    ) -> tuple[list[int], bool, int]:
        """(prompt tokens, trimmed?, answer budget): never more than the context holds."""
        n_ctx = loaded.info.n_ctx
        reserve = max(1, min(params.max_tokens, n_ctx // 2))
        prompt_tokens = self._encode(loaded, messages)
        trimmed = False
        if len(prompt_tokens) > n_ctx - reserve:
            messages, trimmed = trim_messages(
                messages,
                count_prompt=lambda m: len(self._encode(loaded, m)),
                limit=n_ctx - reserve,
            )
            prompt_tokens = self._encode(loaded, messages)[: n_ctx - reserve]
            _log.info("Prompt trimmed to {} tokens to fit the context", len(prompt_tokens))
        return prompt_tokens, trimmed, min(params.max_tokens, n_ctx - len(prompt_tokens))

    def _generate_now(
        self,
        job: _Job,
        messages: list[ChatMessage],
        params: GenerationParams,
        on_token: TokenCallback | None,
    ) -> GenerationResult:
        loaded = self._require()
        prompt_tokens, trimmed, max_tokens = self._fit_prompt(loaded, messages, params)
        stops = (*loaded.formatter.format([]).stop, *params.stop)
        stop_ids, stop_texts = self._stop_token_ids(loaded, stops)
        loaded.llm.set_seed(params.seed if params.seed is not None else random.getrandbits(31))
        if not self._reuse_prefix:
            loaded.llm.reset()
        run = _TokenRun(loaded, job, stop_ids, StopStringStream(stop_texts), on_token)
        run.reason = "length" if max_tokens == params.max_tokens else "context"
        tokens_iter = loaded.llm.generate(
            prompt_tokens,
            top_k=params.top_k,
            top_p=params.top_p,
            temp=params.temperature,
            repeat_penalty=params.repeat_penalty,
        )
        self._set_abort(job)  # until the first token: the prompt evaluation can be long
        threaded = logprobs_on_helper(loaded.info.device, loaded.info.n_threads, os.cpu_count())
        logprobs = LogprobPipe(loaded.n_vocab, threaded=threaded) if params.logprobs else None
        try:
            run.consume(tokens_iter, max_tokens, logprobs, self._set_abort)
        except RuntimeError as exc:
            if not job.cancel_event.is_set():
                raise ModelLoadError(
                    N_("Generation failed inside llama.cpp ({reason}).", reason=exc)
                ) from exc
            loaded.llm.reset()  # an aborted prompt evaluation leaves the KV cache half-written
        finally:
            tokens_iter.close()
            self._set_abort(None)
            if logprobs is not None:
                run.logprobs = logprobs.finish()
        return run.result(job, len(prompt_tokens), trimmed)


class _TokenRun:
    """The state of one generation's token loop (engine thread only)."""

    def __init__(
        self,
        loaded: _Loaded,
        job: _Job,
        stop_ids: set[int],
        stream: StopStringStream,
        on_token: TokenCallback | None,
    ) -> None:
        self.loaded, self.job, self.stop_ids, self.stream = loaded, job, stop_ids, stream
        self.on_token = on_token
        self.pieces: list[str] = []
        self.logprobs: list[float] = []
        self.first_at = self.last_at = 0.0
        self.n_generated = 0
        self.stopped_by_text = False
        self.reason: StopReason = "length"
        self.llama_cpp = import_llama()
        self._logits_address = 0
        self._logits: np.ndarray[Any, np.dtype[np.float32]] | None = None

    def emit(self, text: str) -> None:
        if text:
            self.pieces.append(text)
            if self.on_token is not None:
                self.on_token(text)

    def consume(
        self,
        tokens: Iterator[int],
        max_tokens: int,
        logprobs: LogprobPipe | None,
        set_abort: Callable[[_Job | None], None],
    ) -> None:
        llama_cpp = self.llama_cpp
        llm, cancel = self.loaded.llm, self.job.cancel_event
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        is_eog = llama_cpp.llama_vocab_is_eog
        for token in tokens:
            now = time.perf_counter()
            if not self.first_at:
                self.first_at = now
                set_abort(None)  # the abort callback costs ~20% per decoded token
            if cancel.is_set():
                return
            if token in self.stop_ids or is_eog(vocab, token):
                self.reason = "stop"
                return
            self.n_generated += 1
            self.last_at = now
            text, hit_stop = self.stream.push(llm.detokenize([token]))
            self.emit(text)
            if logprobs is not None:
                # last, just before the next decode releases the GIL: waking the helper
                # earlier would make it fight this thread for the GIL over the Python above
                logprobs.submit(self._last_logits(), token)
            if hit_stop:
                self.reason, self.stopped_by_text = "stop", True
                return
            if self.n_generated >= max_tokens:
                return

    def result(self, job: _Job, prompt_tokens: int, trimmed: bool) -> GenerationResult:
        cancelled = job.cancel_event.is_set()
        if cancelled:
            self.reason = "cancelled"  # and the held-back text is dropped with the rest
        elif not self.stopped_by_text:
            self.emit(self.stream.flush())
        decode_s = self.last_at - self.first_at
        info = self.loaded.info
        return GenerationResult(
            text="".join(self.pieces),
            tokens=self.n_generated,
            token_logprobs=self.logprobs,
            tokens_per_second=round((self.n_generated - 1) / decode_s, 2) if decode_s else 0.0,
            time_to_first_token_ms=round((self.first_at - job.submitted) * 1000, 1)
            if self.first_at
            else 0.0,
            model_name=info.name,
            model_sha256=info.sha256,
            cancelled=cancelled,
            stop_reason=self.reason,
            prompt_tokens=prompt_tokens,
            prompt_trimmed=trimmed,
            total_ms=round((time.perf_counter() - job.submitted) * 1000, 1),
        )

    def _last_logits(self) -> np.ndarray[Any, np.dtype[np.float32]]:
        """A view of llama.cpp's logits for the last position (valid until the next decode)."""
        pointer = self.llama_cpp.llama_get_logits_ith(self.loaded.llm.ctx, -1)
        address = ctypes.addressof(pointer.contents)
        if address != self._logits_address or self._logits is None:
            # llama.cpp reuses one output buffer: build the numpy view once, not per token
            self._logits = np.ctypeslib.as_array(pointer, shape=(self.loaded.n_vocab,))
            self._logits_address = address
        return self._logits


def logprobs_on_helper(device: str, n_threads: int, cpu_count: int | None) -> bool:
    """Whether the token log-probabilities are computed on a helper thread: when a core
    is left idle by the decode (on a GPU, or fewer decode threads than cores, as the
    default thread plan leaves one), not when every core decodes."""
    return device == "gpu" or n_threads < (cpu_count or 1)


class LogprobPipe:
    """log p(token) under the model's raw distribution, in order, for every token submitted.

    `threaded`: on a helper thread, from a copy of the logits (see the module
    docstring for when that pays). The loop then waits only when all DEPTH buffers
    are in use, which the helper, ~100x faster than a decode step, practically
    never lets happen.
    """

    DEPTH = 4

    def __init__(self, n_vocab: int, *, threaded: bool) -> None:
        self._values: list[float] = []
        self._scratch = np.empty(n_vocab, dtype=np.float32)  # one thread computes
        self._ones = np.ones(n_vocab, dtype=np.float32)
        self._thread: threading.Thread | None = None
        self._free: SimpleQueue[np.ndarray[Any, np.dtype[np.float32]]] = SimpleQueue()
        self._work: SimpleQueue[tuple[np.ndarray[Any, np.dtype[np.float32]], int] | None] = (
            SimpleQueue()
        )
        if threaded:
            for _ in range(self.DEPTH):
                self._free.put(np.empty(n_vocab, dtype=np.float32))
            self._thread = threading.Thread(target=self._serve, name="llama-logprobs", daemon=True)
            self._thread.start()

    def submit(self, logits: np.ndarray[Any, np.dtype[np.float32]], token: int) -> None:
        if self._thread is None:
            self._values.append(log_probability(logits, token, self._scratch, self._ones))
            return
        buffer = self._free.get()
        np.copyto(buffer, logits)
        self._work.put((buffer, token))

    def finish(self) -> list[float]:
        """Every submitted token's log-probability, in order."""
        if self._thread is not None:
            self._work.put(None)
            self._thread.join()
        return self._values

    def _serve(self) -> None:
        while (item := self._work.get()) is not None:
            buffer, token = item
            try:
                self._values.append(log_probability(buffer, token, self._scratch, self._ones))
            finally:
                self._free.put(buffer)  # never leave the token loop waiting for a buffer


def log_probability(
    logits: np.ndarray[Any, np.dtype[np.float32]],
    token: int,
    scratch: np.ndarray[Any, np.dtype[np.float32]],
    ones: np.ndarray[Any, np.dtype[np.float32]],
) -> float:
    """log softmax(logits)[token]. `scratch` (another array the size of `logits`) is
    overwritten; `ones` is all ones, the size of `logits`."""
    with np.errstate(over="ignore", under="ignore"):
        np.exp(logits, out=scratch)
        total = float(np.dot(scratch, ones))
    if 0.0 < total < math.inf:
        return float(logits[token]) - math.log(total)
    top = float(logits.max())  # logits beyond float32's exp range: shift by the largest
    np.subtract(logits, top, out=scratch)
    np.exp(scratch, out=scratch)
    return float(logits[token]) - top - math.log(float(np.dot(scratch, ones)))
