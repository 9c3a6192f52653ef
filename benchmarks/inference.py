"""Local inference: the app's engine, Qt worker and consult path against llama-cpp-python.

One run measures, on the embedded Gemma 3 270M:

1. decode speed at 1 thread and at all physical cores: for each, the app
   (`InferenceWorker.generate()` on a running Qt event loop, log-probabilities on)
   and raw llama-cpp-python (`Llama.generate()` with per-token detokenize, the
   leanest streaming use, and `create_completion(stream=True)`, the usual one; on a
   plain thread, as the app's engine runs, while the GUI thread runs the same event
   loop and probe as for the app), same prompt tokens, same length, greedy, same
   threads and context, interleaved round by round (A B C, C B A, ...) so a busy
   machine hurts all alike. Each round has its own prompt, shared by the variants,
   so nobody reuses another's cache;
2. time to first token (TTFT): first token seen by the caller - call time; the
   app's is taken where the GUI receives it (engine thread, queued signal, slot).
   The overhead is measured on a prompt both sides have cached (llama.cpp then
   samples at once), because a cold prompt's evaluation varies by more than the
   overhead on a busy machine; the cold-prompt difference is recorded too;
3. GUI responsiveness while the app streams: the longest gap of a 5 ms QTimer,
   and typing latency: a plain thread posts a key press to a QLineEdit every
   30 ms and the delay until the line edit has the character is recorded (the
   same gap while raw streams is recorded as the probe's own floor);
4. the consult path the consult screen uses (`ConsultWorker` -> `ConsultService` ->
   pipeline -> engine, the app's default threads, a 3-passage prompt built by the
   consult's own `build_prompt`): TTFT where the GUI receives the first token, the
   hop from the engine thread to the GUI slot, the time before the model is called,
   stalls and typing, and decode speed against raw `Llama.generate` on the same
   prompt tokens and length; with the engine's prefix reuse on and off: the first
   consult, the same question again (no answer cache), a new question on the same
   passages, and one on the same passages in another order (a new order each round);
5. where the engine's time goes: cProfile of the engine thread for one generation
   (benchmarks/results/inference_profile.txt).

tokens/s = (tokens - 1) / (last token time - first token time), on the thread
that generates (the app's engine reports it the same way). Results go to
benchmarks/results/inference.json with the command line, the load average
(/proc/loadavg) and the process's niceness, because the reference machine is shared.

    .venv/bin/python benchmarks/inference.py [--rounds 3] [--tokens 64] [--consult-rounds 2]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import json
import os
import platform
import pstats
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import medassist_desktop.core.inference.native_first  # noqa: E402,F401 - before numpy

RESULTS = ROOT / "benchmarks" / "results" / "inference.json"
PROFILE = ROOT / "benchmarks" / "results" / "inference_profile.txt"
KNOWLEDGE = ROOT / "resources" / "knowledge"
PASSAGE_FILES = (
    "diarrhoea-dehydration-assessment.md",
    "diarrhoea-ors-zinc-treatment-plans.md",
    "etat-emergency-triage.md",
)


def median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def passages_for_consult() -> list[Any]:
    """Three real library passages (the consult trims each to MAX_PASSAGE_CHARS)."""
    from medassist_desktop.core.knowledge.passages import Passage

    passages = []
    for n, name in enumerate(PASSAGE_FILES):
        text = (KNOWLEDGE / name).read_text(encoding="utf-8").split("---", 2)[-1].strip()
        passages.append(
            Passage(
                chunk_id=f"bench-{n}",
                doc_id=name,
                title=name.removesuffix(".md").replace("-", " "),
                source="WHO",
                section="",
                page=None,
                text=text,
                score=1.0 - n / 10,
            )
        )
    return passages


class GuiProbe:
    """The event loop's longest gap (5 ms timer) and typing latency (posted key presses)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QLineEdit

        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.timer.start()
        self.line = QLineEdit()
        self.sent: list[float] = []
        self.seen: list[float] = []
        self.line.textChanged.connect(lambda _t: self.seen.append(time.perf_counter()))
        from PySide6.QtGui import QInputDevice

        QInputDevice.primaryKeyboard()  # created here: key events made on a thread use it
        self._typing = threading.Event()
        self._thread: threading.Thread | None = None

    def start_typing(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent, Qt
        from PySide6.QtGui import QKeyEvent

        self.line.clear()
        self.sent.clear()
        self.seen.clear()
        self._typing.set()

        def type_keys() -> None:
            while self._typing.is_set():
                event = QKeyEvent(
                    QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"
                )
                self.sent.append(time.perf_counter())
                QCoreApplication.postEvent(self.line, event)
                time.sleep(0.03)

        self._thread = threading.Thread(target=type_keys, daemon=True)
        self._thread.start()

    def stop_typing(self) -> list[float]:
        """Latencies (ms) of the key presses that arrived."""
        self._typing.clear()
        if self._thread is not None:
            self._thread.join()
        self.line.clear()
        return [round((b - a) * 1000, 1) for a, b in zip(self.sent, self.seen, strict=False)]

    def max_gap_ms(self, start: float, end: float) -> float:
        inside = [t for t in self.ticks if start <= t <= end]
        edges = [start, *inside, end]
        return round(max(b - a for a, b in itertools.pairwise(edges)) * 1000, 1)


def wait_for(signal: Any) -> None:
    """Run the Qt event loop (as app.exec() would) until `signal` fires."""
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    signal.connect(loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def run_beside_gui(work: Callable[[], dict[str, float]], probe: GuiProbe) -> dict[str, float]:
    """`work` on a plain thread while this (GUI) thread runs the event loop with the probe."""
    from PySide6.QtCore import QObject, Signal

    class Done(QObject):
        signal = Signal()

    done = Done()
    box: list[dict[str, float]] = []

    def target() -> None:
        try:
            box.append(work())
        finally:
            done.signal.emit()  # queued to this thread: the object lives here

    probe.start_typing()
    start = time.perf_counter()
    thread = threading.Thread(target=target)
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    done.signal.connect(loop.quit)
    thread.start()
    loop.exec()
    thread.join()
    end = time.perf_counter()
    probe.stop_typing()
    return {**box[0], "gui_max_stall_ms": probe.max_gap_ms(start, end)}


def timed_llama_class(llama_cpp: Any) -> Any:
    """`Llama` whose `generate` records, per token, the time its consumer kept it: from
    yielding a token to being asked for the next. That is the caller's own work per
    token (the app's token loop, or raw's detokenize), apart from llama.cpp's decode
    and sampling. CPU time of the thread (`thread_time`) is counted too: unlike the
    wall clock, a busy machine preempting the thread does not inflate it."""

    class TimedLlama(llama_cpp.Llama):  # type: ignore[misc,name-defined]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.held_cpu: list[float] = []
            self.held_wall: list[float] = []

        def generate(self, *args: Any, **kwargs: Any) -> Any:
            inner = super().generate(*args, **kwargs)
            try:
                for token in inner:
                    cpu, wall = time.thread_time(), time.perf_counter()
                    yield token
                    self.held_cpu.append(time.thread_time() - cpu)
                    self.held_wall.append(time.perf_counter() - wall)
            finally:
                inner.close()

        def take_held(self) -> dict[str, float]:
            """Median microseconds per token since the last call (CPU, wall)."""
            cpu, wall = self.held_cpu, self.held_wall
            self.held_cpu, self.held_wall = [], []
            if not cpu:
                return {}
            return {
                "own_cpu_us_per_token": round(statistics.median(cpu) * 1e6, 1),
                "own_wall_us_per_token": round(statistics.median(wall) * 1e6, 1),
            }

    return TimedLlama


def figures(start: float, times: list[float], tokens: int | None = None) -> dict[str, float]:
    n = tokens if tokens is not None else len(times)
    return {
        "tokens": n,
        "tokens_per_second": round((n - 1) / (times[-1] - times[0]), 2),
        "ttft_ms": round((times[0] - start) * 1000, 1),
    }


def compare_at(  # noqa: PLR0915 - one linear script reads best here
    threads: int, args: argparse.Namespace, settings: Any, probe: GuiProbe
) -> Any:
    """Interleaved rounds of raw and app at `threads`; returns (medians, runs, extras)."""
    from medassist_desktop.config import load_settings
    from medassist_desktop.core.inference.engine import LlamaEngine
    from medassist_desktop.core.inference.interface import ChatMessage, GenerationParams
    from medassist_desktop.core.inference.llama_runtime import import_llama
    from medassist_desktop.core.inference.loading import prepare_load
    from medassist_desktop.workers.inference_worker import InferenceWorker

    llama_cpp = import_llama()
    env = {**settings, "MODEL_THREADS": str(threads)}
    loaded = load_settings(env)
    request = prepare_load(loaded.settings, loaded.paths)
    plan = request.plan
    timed_llama = timed_llama_class(llama_cpp)
    engine = LlamaEngine(llama_factory=timed_llama)
    worker = InferenceWorker(engine)
    worker.load(request)
    wait_for(worker.loaded)
    raw = timed_llama(
        model_path=str(request.model.path),
        n_ctx=plan.n_ctx,
        n_threads=plan.n_threads,
        n_threads_batch=plan.n_threads,
        n_gpu_layers=0,
        verbose=False,
    )

    def messages_for(round_no: int) -> list[ChatMessage]:
        # The round number comes first, so no variant reuses a cached prompt prefix.
        return [
            ChatMessage(
                "user",
                f"Case {round_no} at {threads} threads: a child of two has had watery diarrhoea "
                "for three days. What are the danger signs of dehydration, and what should "
                "the health worker do first?",
            )
        ]

    def prompt_tokens(messages: list[ChatMessage]) -> list[int]:
        text = engine.format_prompt(messages)
        tokens: list[int] = raw.tokenize(text.encode(), add_bos=True, special=True)
        return tokens

    def run_raw_generate(round_no: int) -> dict[str, float]:
        tokens = prompt_tokens(messages_for(round_no))
        raw.reset()
        start = time.perf_counter()
        times: list[float] = []
        for token in raw.generate(tokens, temp=0.0, repeat_penalty=1.0, top_k=40, top_p=0.95):
            raw.detokenize([token])
            times.append(time.perf_counter())
            if len(times) >= args.tokens:
                break
        return {**figures(start, times), **raw.take_held()}

    def run_raw_completion(round_no: int) -> dict[str, float]:
        tokens = prompt_tokens(messages_for(round_no))
        raw.reset()
        start = time.perf_counter()
        times: list[float] = []
        for chunk in raw.create_completion(
            tokens,
            max_tokens=args.tokens,
            temperature=0.0,
            repeat_penalty=1.0,
            top_k=40,
            top_p=0.95,
            stream=True,
        ):
            if chunk["choices"][0]["text"]:
                times.append(time.perf_counter())
        return {**figures(start, times, tokens=args.tokens), **raw.take_held()}

    def run_app(round_no: int) -> dict[str, float]:
        return run_app_messages(messages_for(round_no), args.tokens)

    def run_app_messages(messages: list[ChatMessage], max_tokens: int) -> dict[str, float]:
        times: list[float] = []
        done: list[dict[str, Any]] = []

        def on_token(_text: str) -> None:
            times.append(time.perf_counter())

        worker.token.connect(on_token)
        worker.finished.connect(done.append)
        params = GenerationParams(max_tokens=max_tokens, temperature=0.0, repeat_penalty=1.0)
        probe.start_typing()
        start = time.perf_counter()
        worker.generate(messages, params)
        wait_for(worker.finished)
        end = time.perf_counter()
        typing = probe.stop_typing()
        worker.token.disconnect(on_token)
        worker.finished.disconnect(done.append)
        stats = done[0]
        held = engine._loaded.llm.take_held()  # the engine's own Llama (benchmark only)
        return {
            **held,
            "tokens": stats["tokens"],
            "tokens_per_second": stats["tokens_per_second"],  # on the engine thread
            "ttft_ms": round((times[0] - start) * 1000, 1),  # where the GUI receives it
            "gui_pieces": len(times),
            "gui_max_stall_ms": probe.max_gap_ms(start, end),
            "typing_latency_max_ms": max(typing) if typing else 0.0,
            "typing_latency_median_ms": median(typing) if typing else 0.0,
        }

    def overhead_ms() -> float:
        """TTFT of a prompt both have cached (no evaluation at all): app - raw.

        A cold prompt's TTFT is mostly prompt evaluation, which a busy machine makes
        vary by more than the overhead itself; with the prompt cached, llama.cpp
        samples at once, so what remains is the app's own path (queue, formatting,
        tokenizing, signal to the GUI) against raw's.
        """
        messages = messages_for(1000 + threads)
        tokens = prompt_tokens(messages)
        app_ms: list[float] = []
        raw_ms: list[float] = []

        def raw_first_token() -> None:
            start = time.perf_counter()
            for _token in raw.generate(tokens, temp=0.0, repeat_penalty=1.0):
                raw_ms.append((time.perf_counter() - start) * 1000)
                break

        for _ in range(5):
            app_ms.append(run_app_messages(messages, 1)["ttft_ms"])
            thread = threading.Thread(target=raw_first_token)
            thread.start()
            thread.join()
        return round(statistics.median(app_ms[1:]) - statistics.median(raw_ms[1:]), 1)

    def on_thread(run: Callable[[int], dict[str, float]]) -> Callable[[int], dict[str, float]]:
        """Raw runs on a plain thread, as the app's engine does (on this shared machine
        llama.cpp at 2 threads ran 1 token/s on the main thread and ~20 on another one),
        while the GUI thread runs the same event loop, timer and typing as for the app:
        the probe's own wake-ups then cost both sides alike."""

        def threaded(round_no: int) -> dict[str, float]:
            return run_beside_gui(lambda: run(round_no), probe)

        return threaded

    variants: dict[str, Callable[[int], dict[str, float]]] = {
        "raw_generate": on_thread(run_raw_generate),
        "raw_completion": on_thread(run_raw_completion),
        "app": run_app,
    }
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    run_app(0)  # warm both paths once (page cache, first-call costs)
    variants["raw_generate"](0)
    for round_no in range(1, args.rounds + 1):
        order = list(variants) if round_no % 2 else list(reversed(variants))
        for name in order:
            runs[name].append(variants[name](round_no))
        print(
            f"{threads} threads, round {round_no}: "
            + "; ".join(
                f"{n} {runs[n][-1]['tokens']} tokens {runs[n][-1]['tokens_per_second']} tok/s"
                for n in order
            )
        )

    medians_extra = {"ttft_overhead_cached_prompt_ms": overhead_ms()}
    profile_text = profile_engine(engine, messages_for(99), args.tokens) if threads == 1 else ""
    raw.close()
    worker.shutdown()
    medians: dict[str, Any] = {
        name: {k: median([r[k] for r in rs]) for k in rs[0]} for name, rs in runs.items()
    }
    medians["app"].update(medians_extra)
    return plan, medians, runs, profile_text


def profile_engine(engine: Any, messages: list[Any], tokens: int) -> str:
    """cProfile of the engine thread for one generation (profiling is per thread, so it is
    switched on and off by jobs that run on that thread)."""
    from medassist_desktop.core.inference.interface import GenerationParams

    profiler = cProfile.Profile()
    engine._call(lambda _job: profiler.enable())
    result = engine.generate(
        messages, GenerationParams(max_tokens=tokens, temperature=0.0, repeat_penalty=1.0)
    )
    engine._call(lambda _job: profiler.disable())
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(18)
    header = (
        f"cProfile of the engine thread, one generation of {result.tokens} tokens at "
        f"{result.tokens_per_second} tokens/s (1 thread; profiling itself slows Python code).\n"
        "tottime of llama_decode / llama_sampler_sample is llama.cpp; the rest is Python.\n"
    )
    return header + out.getvalue()


def memory_figures(settings: dict[str, str]) -> dict[str, float]:
    """Process RSS (MiB) before load, loaded, after a generation, after unload."""
    import gc

    import psutil

    from medassist_desktop.config import load_settings
    from medassist_desktop.core.inference.engine import LlamaEngine
    from medassist_desktop.core.inference.interface import ChatMessage, GenerationParams
    from medassist_desktop.core.inference.loading import prepare_load

    def rss() -> float:
        gc.collect()
        return round(psutil.Process().memory_info().rss / 1024**2, 1)

    loaded = load_settings(settings)
    request = prepare_load(loaded.settings, loaded.paths)
    engine = LlamaEngine()
    memory = {"rss_before_load_mib": rss()}
    engine.load(request)
    memory["rss_after_load_mib"] = rss()
    engine.generate([ChatMessage("user", "Hello")], GenerationParams(max_tokens=16))
    memory["rss_after_generate_mib"] = rss()
    engine.unload()
    memory["rss_after_unload_mib"] = rss()
    engine.close()
    return memory


class _FixedPassages:
    """The retriever for these consults: the same 3 library passages for every question
    (the search itself is measured in benchmarks/knowledge.py, not here)."""

    def __init__(self, passages: list[Any]) -> None:
        self.passages = passages

    def search(self, query: str, k: int = 5, *, query_embedding: Any = None) -> Any:
        del query, query_embedding  # the same passages whatever is asked
        from medassist_desktop.core.knowledge.passages import RetrievalResult

        ids = "-".join(p.chunk_id for p in self.passages)
        return RetrievalResult(passages=self.passages[:k], mode="keyword", kb_version=ids)


class _AuditList:
    """Consult audit entries kept in memory (the audit file is not what is measured)."""

    def __init__(self) -> None:
        self.entries: list[tuple[Any, ...]] = []

    def append(self, *entry: Any, **details: Any) -> int:
        self.entries.append((entry, details))
        return len(self.entries)


def consult_streaming(  # noqa: PLR0915 - one linear script reads best here
    settings: dict[str, str], probe: GuiProbe, rounds: int, max_tokens: int
) -> dict[str, Any]:
    """The path the app's consult screen uses: `ConsultWorker` -> `ConsultService` ->
    pipeline -> `LlamaEngine`, tokens streamed to the GUI thread (TokenBatcher, queued
    signals), the app's default threads. No case, so the first piece the GUI receives
    is the model's first token (with a case the triage header comes first, at once).

    Per consult: time to first token where the GUI receives it, the engine's own TTFT,
    the hop engine thread -> GUI slot for that token, the longest event-loop stall and
    typing latency, and decode speed against raw `Llama.generate` on the same prompt
    tokens and length (interleaved, each right after its consult). With prefix reuse
    on and off: the first consult, the same question again (answer cache off, so the
    model answers again), a new question on the same passages, and one on the same
    passages in another order (only the fixed system text is shared).
    """
    from medassist_desktop.config import load_settings
    from medassist_desktop.core.assistant.pipeline import ConsultOptions, ConsultPipeline
    from medassist_desktop.core.inference.engine import LlamaEngine
    from medassist_desktop.core.inference.interface import GenerationParams
    from medassist_desktop.core.inference.llama_runtime import import_llama
    from medassist_desktop.core.inference.loading import prepare_load
    from medassist_desktop.core.routing import IntentRouter
    from medassist_desktop.core.triage import TriageEngine, load_rules
    from medassist_desktop.services.consult import ConsultService
    from medassist_desktop.services.model_holder import ModelHolder
    from medassist_desktop.workers.consult_worker import ConsultWorker

    llama_cpp = import_llama()
    loaded = load_settings(settings)
    request = prepare_load(loaded.settings, loaded.paths)
    plan = request.plan
    raw = llama_cpp.Llama(
        model_path=str(request.model.path),
        n_ctx=plan.n_ctx,
        n_threads=plan.n_threads,
        n_threads_batch=plan.n_threads,
        n_gpu_layers=0,
        verbose=False,
    )
    passages = passages_for_consult()
    out: dict[str, Any] = {"n_threads": plan.n_threads, "max_tokens": max_tokens}

    class TimedEngine(LlamaEngine):
        """The real engine; records when generate is called and the first token left it."""

        called = first_token = 0.0
        last_result: Any = None
        last_messages: Any = None

        def generate(self, messages: Any, params: Any, on_token: Any = None) -> Any:
            self.called, self.first_token = time.perf_counter(), 0.0
            self.last_messages = list(messages)

            def timed(piece: str) -> None:
                if not self.first_token:
                    self.first_token = time.perf_counter()
                if on_token is not None:
                    on_token(piece)

            self.last_result = super().generate(messages, params, timed)
            return self.last_result

    for reuse in (False, True):
        engine = TimedEngine(reuse_prefix=reuse)
        engine.load(request)
        holder = ModelHolder(engine=engine)
        holder.clinical_answers_override = True  # the test model writes, as MedGemma would
        pipeline = ConsultPipeline(
            triage=TriageEngine(load_rules()),
            router=IntentRouter(None),
            retriever=_FixedPassages(passages),
            audit=_AuditList(),
            cache=None,
            options=ConsultOptions(
                top_k=3,
                params=GenerationParams(max_tokens=max_tokens, temperature=0.0, repeat_penalty=1.0),
            ),
        )
        worker = ConsultWorker(ConsultService(pipeline, holder), max_tokens=max_tokens)

        def consult(
            question: str, engine: TimedEngine = engine, worker: Any = worker, reuse: bool = reuse
        ) -> Any:
            pieces: list[float] = []
            answers: list[dict[str, Any]] = []

            def on_piece(_text: str) -> None:
                pieces.append(time.perf_counter())

            worker.token.connect(on_piece)
            worker.finished.connect(answers.append)
            probe.start_typing()
            start = time.perf_counter()
            assert worker.ask(question)
            wait_for(worker.finished)
            end = time.perf_counter()
            typing = probe.stop_typing()
            worker.token.disconnect(on_piece)
            worker.finished.disconnect(answers.append)
            result = engine.last_result
            assert answers[0]["engine"] == "local", answers[0]
            tokens = raw.tokenize(
                engine.format_prompt(engine.last_messages).encode(), add_bos=True, special=True
            )
            speeds: dict[str, float] = {}
            if reuse and result.tokens > 1:  # the app's default; off, raw would redo the prompt
                raw_speed = run_beside_gui(lambda: raw_decode(raw, tokens, result.tokens), probe)
                speeds = {
                    "raw_tokens_per_second": raw_speed["tokens_per_second"],
                    "app_vs_raw": round(
                        result.tokens_per_second / raw_speed["tokens_per_second"], 3
                    ),
                }
            return {
                "prompt_tokens": result.prompt_tokens,
                "tokens": result.tokens,
                "gui_ttft_ms": round((pieces[0] - start) * 1000, 1),
                "engine_ttft_ms": result.time_to_first_token_ms,
                "before_generate_ms": round((engine.called - start) * 1000, 1),
                "engine_to_gui_first_token_ms": round((pieces[0] - engine.first_token) * 1000, 1),
                "tokens_per_second": result.tokens_per_second,
                **speeds,
                "gui_pieces": len(pieces),
                "gui_max_stall_ms": probe.max_gap_ms(start, end),
                "typing_latency_max_ms": max(typing) if typing else 0.0,
            }

        question = "How do I classify dehydration in a child with diarrhoea?"
        first = consult(question)
        repeated = [consult(question) for _ in range(rounds)]
        new_question = [
            consult(f"Question {n}: when should a child with diarrhoea be referred?")
            for n in range(rounds)
        ]
        in_order = list(passages)
        other_passages = []
        for n in range(rounds):  # each round another order: no earlier prompt shares it
            shift = n % (len(in_order) - 1) + 1
            passages[:] = in_order[shift:] + in_order[:shift]
            other_passages.append(consult(f"Question {n}: what are the emergency signs?"))
        passages[:] = in_order
        worker.shutdown()
        engine.close()
        runs = {
            "first": [first],
            "repeated": repeated,
            "new_question": new_question,
            "other_passages": other_passages,
        }
        key = "reuse_on" if reuse else "reuse_off"
        out[key] = {
            name: {k: median([r[k] for r in rs]) for k in rs[0]} for name, rs in runs.items()
        }
        out[key]["runs"] = runs
        out["prompt_tokens"] = first["prompt_tokens"]
        print(
            f"consult path, prefix reuse {'on' if reuse else 'off'}: GUI TTFT "
            + ", ".join(f"{n} {out[key][n]['gui_ttft_ms']} ms" for n in runs)
        )
    raw.close()
    return out


def raw_decode(raw: Any, tokens: list[int], n_tokens: int) -> dict[str, float]:
    """Raw `Llama.generate` of `n_tokens` after `tokens` (reusing its cached prefix)."""
    start = time.perf_counter()
    times: list[float] = []
    for token in raw.generate(tokens, temp=0.0, repeat_penalty=1.0, top_k=40, top_p=0.95):
        raw.detokenize([token])
        times.append(time.perf_counter())
        if len(times) >= n_tokens:
            break
    return figures(start, times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--consult-rounds", type=int, default=2)
    args = parser.parse_args()

    import psutil
    from loguru import logger
    from PySide6.QtWidgets import QApplication

    logger.remove()
    logger.add(sys.stderr, level="WARNING")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    load_start = load_average()
    data_dir = tempfile.mkdtemp(prefix="medassist-bench-")
    settings = {"MEDASSIST_DATA_DIR": data_dir, "MEDASSIST_ENV": "development"}
    probe = GuiProbe()
    all_cores = psutil.cpu_count(logical=False) or os.cpu_count() or 1

    memory = memory_figures(settings)
    decode: dict[str, Any] = {}
    profile_text = ""
    for threads in sorted({1, all_cores}):
        plan, medians, runs, profiled = compare_at(threads, args, settings, probe)
        profile_text = profile_text or profiled
        app_m, raw_m = medians["app"], medians["raw_generate"]
        decode[f"{threads}_threads"] = {
            "n_ctx": plan.n_ctx,
            "medians": medians,
            "runs": runs,
            "app_vs_raw_generate": round(
                app_m["tokens_per_second"] / raw_m["tokens_per_second"], 3
            ),
            "app_vs_raw_completion": round(
                app_m["tokens_per_second"] / medians["raw_completion"]["tokens_per_second"], 3
            ),
            "own_cpu_us_per_token": {
                name: m.get("own_cpu_us_per_token") for name, m in medians.items()
            },
            "app_extra_cpu_us_per_token": round(
                app_m["own_cpu_us_per_token"] - raw_m["own_cpu_us_per_token"], 1
            ),
            "app_minus_raw_ttft_ms": round(app_m["ttft_ms"] - raw_m["ttft_ms"], 1),
            "app_minus_raw_ttft_cached_prompt_ms": app_m["ttft_overhead_cached_prompt_ms"],
            "load_average": load_average(),
        }
    consult = consult_streaming(settings, probe, args.consult_rounds, args.tokens)
    probe.timer.stop()
    del app

    on, off = consult["reuse_on"], consult["reuse_off"]
    consult_runs = [r for mode in (on, off) for rs in mode["runs"].values() for r in rs]
    app_runs = [run for d in decode.values() for run in d["runs"]["app"]] + consult_runs
    ratios = {key: d["app_vs_raw_generate"] for key, d in decode.items()}
    consult_ratio = median([r["app_vs_raw"] for r in consult_runs if "app_vs_raw" in r])
    ttft_overheads = {key: d["app_minus_raw_ttft_cached_prompt_ms"] for key, d in decode.items()}
    ttft_cold = {key: d["app_minus_raw_ttft_ms"] for key, d in decode.items()}
    consult_hop = max(r["engine_to_gui_first_token_ms"] for r in consult_runs)
    stall = max(run["gui_max_stall_ms"] for run in app_runs)
    typing = max(run["typing_latency_max_ms"] for run in app_runs)
    raw_stall = max(
        r["gui_max_stall_ms"] for d in decode.values() for r in d["runs"]["raw_generate"]
    )
    # What the app's own per-token work (CPU time, immune to preemption) costs at the
    # best raw speed this run saw: the decode ratio a quiet machine would show.
    best_raw = {
        key: max(r["tokens_per_second"] for r in d["runs"]["raw_generate"])
        for key, d in decode.items()
    }
    summary = {
        "app_vs_raw_decode": ratios,
        "app_vs_raw_decode_paired_rounds_median": {
            key: median(
                [
                    a["tokens_per_second"] / r["tokens_per_second"]
                    for a, r in zip(d["runs"]["app"], d["runs"]["raw_generate"], strict=True)
                ]
            )
            for key, d in decode.items()
        },
        "app_extra_cpu_us_per_token": {
            key: d["app_extra_cpu_us_per_token"] for key, d in decode.items()
        },
        "app_vs_raw_from_own_work_at_best_raw_speed": {
            key: round(1 / (1 + d["app_extra_cpu_us_per_token"] * best_raw[key] / 1e6), 3)
            for key, d in decode.items()
        },
        "app_vs_raw_completion_decode": {k: d["app_vs_raw_completion"] for k, d in decode.items()},
        "ttft_overhead_ms": ttft_overheads,
        "ttft_difference_cold_prompt_ms": ttft_cold,
        "gui_longest_stall_while_streaming_ms": stall,
        "gui_longest_stall_while_raw_streams_ms": raw_stall,
        "typing_latency_max_ms": typing,
        "consult_path": {
            "n_threads": consult["n_threads"],
            "prompt_tokens": consult["prompt_tokens"],
            "app_vs_raw_decode_median": consult_ratio,
            "engine_to_gui_first_token_ms_max": consult_hop,
            "before_generate_ms_median": median([r["before_generate_ms"] for r in consult_runs]),
            "gui_ttft_ms": {
                name: {
                    "without_reuse": off[name]["gui_ttft_ms"],
                    "with_reuse": on[name]["gui_ttft_ms"],
                }
                for name in ("first", "repeated", "new_question", "other_passages")
            },
        },
    }
    targets = {
        "decode_at_least_0.97_of_raw": all(r >= 0.97 for r in ratios.values()),
        "consult_decode_at_least_0.97_of_raw": consult_ratio >= 0.97,
        "ttft_overhead_at_most_10_ms": all(t <= 10 for t in ttft_overheads.values())
        and consult_hop <= 10,
        "gui_stall_under_50_ms": stall < 50,
    }
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "physical_cores": all_cores,
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_start": load_start,
            "load_average_end": load_average(),
            "proc_loadavg": Path("/proc/loadavg").read_text().strip()
            if Path("/proc/loadavg").exists()
            else "",
            "niceness": os.nice(0),
        },
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "settings": {
            "max_tokens": args.tokens,
            "rounds": args.rounds,
            "sampling": "greedy (temperature 0), repeat_penalty 1.0, top_k 40, top_p 0.95",
        },
        "summary": summary,
        "targets": targets,
        "memory": memory,
        "decode": decode,
        "consult_path": consult,
    }
    shutil.rmtree(data_dir, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    PROFILE.write_text(profile_text)
    print(json.dumps({"summary": summary, "targets": targets}, indent=2))


if __name__ == "__main__":
    main()
