"""Chunk vectors of the starter library, built at package time for the shipped model.

Why: embedding the starter library takes 20-30 s on a clinic laptop, and it happened
at a new clinic's first question. The vectors are computed once when the app is
packaged (`python -m medassist_desktop.core.knowledge.prebuilt`) and shipped in
resources/knowledge-vectors/<model>.npz, keyed by the sha256 of the exact text the
model reads for each chunk (its context line and text). At import a chunk whose text
hash is in the file takes its vector from there; any other chunk (a starter document
edited since, a changed chunker, another model) is embedded as usual. A mismatch can
therefore cost time, never a wrong vector. The file names its model id and dimension,
and is ignored for any other model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from loguru import logger

from medassist_desktop.core.knowledge.embeddings import DEFAULT_EMBEDDING_MODEL, FloatMatrix
from medassist_desktop.resources import resources_dir

_log = logger.bind(area="knowledge")

VECTORS_FOLDER = "knowledge-vectors"


def text_hash(embedding_text: str) -> str:
    """The key of a chunk's vector: the sha256 of what the embedder reads."""
    return hashlib.sha256(embedding_text.encode("utf-8")).hexdigest()


def vectors_file(model_id: str, folder: Path | None = None) -> Path:
    return (folder or resources_dir() / VECTORS_FOLDER) / f"{model_id}.npz"


def load_prebuilt_vectors(model_id: str, folder: Path | None = None) -> Mapping[str, FloatMatrix]:
    """text hash -> vector for `model_id`; empty when nothing was shipped for it (a
    clinic's own model) or the file cannot be read."""
    if model_id != DEFAULT_EMBEDDING_MODEL:
        return {}
    path = vectors_file(model_id, folder)
    if not path.is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["model_id"]) != model_id:
                return {}
            hashes = [str(h) for h in data["hashes"]]
            vectors = np.asarray(data["vectors"], dtype=np.float32)
    except (OSError, KeyError, ValueError) as exc:
        _log.warning("Shipped starter-library vectors unreadable ({}); embedding instead", exc)
        return {}
    if vectors.ndim != 2 or len(hashes) != len(vectors):
        return {}
    return dict(zip(hashes, vectors, strict=True))


def build_prebuilt_vectors(folder: Path | None = None) -> Path:
    """Embed the starter library's chunks with the packaged model and write the file."""
    from medassist_desktop.core.knowledge.chunking import Chunker
    from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder, packaged_model_dir
    from medassist_desktop.core.knowledge.parsers import parse_file
    from medassist_desktop.core.knowledge.starter import starter_library_files
    from medassist_desktop.core.knowledge.tokens import default_token_counter

    # The chunker the app uses for the packaged model (services.knowledge.chunker_for).
    chunker = Chunker(default_token_counter(packaged_model_dir()))
    texts = sorted(
        {
            chunk.embedding_text
            for path in starter_library_files()
            for chunk in chunker.chunk(parse_file(path))
        }
    )
    embedder = SentenceEmbedder(DEFAULT_EMBEDDING_MODEL, question_cache_size=0)
    vectors = embedder.encode(texts, batch_size=32)
    path = vectors_file(DEFAULT_EMBEDDING_MODEL, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            model_id=np.asarray(DEFAULT_EMBEDDING_MODEL),
            hashes=np.asarray([text_hash(text) for text in texts]),
            vectors=vectors.astype(np.float32),
        )
    return path


if __name__ == "__main__":
    print(build_prebuilt_vectors())  # noqa: T201 - the build step's one line of output
