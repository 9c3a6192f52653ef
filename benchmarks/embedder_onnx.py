"""MiniLM on ONNX Runtime instead of torch: same vectors? how fast? how much smaller?

Question: torch is the largest part of the installer (about 500 MB unpacked) and is used
only to run the embedder. Could the packaged all-MiniLM-L6-v2 run on ONNX Runtime
(onnxruntime + the `tokenizers` library, both far smaller) with the same vectors?

Measured:
- the packaged model exported once to ONNX (`torch.onnx.export` of the transformer;
  mean pooling over the attention mask and L2 normalisation done in numpy, as
  sentence-transformers' Pooling and Normalize modules do), tokenised by `tokenizers`
  from the model's own tokenizer.json, truncated at the model's max_seq_length;
- the cosine between its vector and the app's torch vector for every chunk of the
  starter library (the text the app embeds), and against the shipped vectors
  (resources/knowledge-vectors); pass: every cosine >= 1 - 1e-3;
- one question at a time on one thread (as the app encodes a question), torch and ONNX
  interleaved over the evaluation questions for `--rounds` passes: p50/p95 ms;
- the installed size of onnxruntime + tokenizers + the .onnx file against torch's.

    .venv/bin/python benchmarks/embedder_onnx.py [--rounds 1] [--keep-model DIR]

Needs the `bench-onnx` extra (onnxruntime). Results: benchmarks/results/embedder_onnx.json
and .md (with the load average: on a busy machine the latencies are relative).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchmarks.retrieval_eval import load_questions  # noqa: E402
from medassist_desktop.atomic_io import atomic_write_text  # noqa: E402
from medassist_desktop.core.knowledge.embeddings import (  # noqa: E402
    FloatMatrix,
    SentenceEmbedder,
    packaged_model_dir,
)
from medassist_desktop.core.knowledge.prebuilt import (  # noqa: E402
    load_prebuilt_vectors,
    text_hash,
)

RESULTS = ROOT / "benchmarks" / "results" / "embedder_onnx.json"
REPORT = RESULTS.with_suffix(".md")
COSINE_FLOOR = 1 - 1e-3
MB = 1_000_000


def export_onnx(model_dir: Path, target: Path) -> Path:
    """The transformer of the sentence-transformers model as ONNX (token embeddings out)."""
    import torch
    from transformers import AutoModel

    # Eager attention: the exported graph then always applies the padding mask.
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = model

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            output = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            token_embeddings: torch.Tensor = output.last_hidden_state
            return token_embeddings

    # A padded batch, so that tracing records the masking of padding tokens.
    ids = torch.full((2, 8), 1000, dtype=torch.int64)
    mask = torch.ones((2, 8), dtype=torch.int64)
    mask[1, 5:] = 0
    dynamic = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings():
        # The tracer's notes on shape checks it records as constants: the sequence
        # length and batch stay dynamic (dynamic_axes), which the tests check.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            TokenEmbeddings(),
            (ids, mask, torch.zeros_like(ids)),
            str(target),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["token_embeddings"],
            dynamic_axes={
                "input_ids": dynamic,
                "attention_mask": dynamic,
                "token_type_ids": dynamic,
                "token_embeddings": dynamic,
            },
            opset_version=17,
            dynamo=False,
        )
    return target


class OnnxEmbedder:
    """MiniLM on ONNX Runtime: tokenizers -> ONNX transformer -> mean pooling -> L2 norm."""

    def __init__(self, onnx_file: Path, model_dir: Path, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        max_tokens = json.loads((model_dir / "sentence_bert_config.json").read_text())[
            "max_seq_length"
        ]
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(onnx_file), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> FloatMatrix:
        rows: list[FloatMatrix] = []
        for start in range(0, len(texts), batch_size):
            encodings = self.tokenizer.encode_batch(list(texts[start : start + batch_size]))
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            types = np.array([e.type_ids for e in encodings], dtype=np.int64)
            (tokens,) = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )
            rows.append(mean_pool_normalise(np.asarray(tokens), mask))
        return np.concatenate(rows).astype(np.float32)


def mean_pool_normalise(token_embeddings: FloatMatrix, attention_mask: Any) -> FloatMatrix:
    """sentence-transformers' mean Pooling then Normalize: the mean of the real tokens'
    vectors (padding masked out), scaled to unit length."""
    weights = attention_mask[..., None].astype(np.float32)
    summed = (token_embeddings * weights).sum(axis=1)
    pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.asarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)


def starter_chunk_texts(model_dir: Path) -> list[str]:
    """What the app embeds for each chunk of the starter library (as prebuilt.py builds it)."""
    from medassist_desktop.core.knowledge.chunking import Chunker
    from medassist_desktop.core.knowledge.parsers import parse_file
    from medassist_desktop.core.knowledge.starter import starter_library_files
    from medassist_desktop.core.knowledge.tokens import default_token_counter

    chunker = Chunker(default_token_counter(model_dir))
    return sorted(
        {
            chunk.embedding_text
            for path in starter_library_files()
            for chunk in chunker.chunk(parse_file(path))
        }
    )


def installed_mb(*distributions: str) -> float:
    """The installed size of distributions' files (site-packages), in MB."""
    total = 0
    for name in distributions:
        for file in metadata.distribution(name).files or []:
            path = Path(str(file.locate()))
            if path.is_file():
                total += path.stat().st_size
    return round(total / MB, 1)


def cosine_stats(a: FloatMatrix, b: FloatMatrix) -> dict[str, float | int]:
    cosines = np.sum(a * b, axis=1)
    return {
        "min": round(float(cosines.min()), 6),
        "mean": round(float(cosines.mean()), 6),
        "largest_gap_from_1": float(f"{1 - float(cosines.min()):.2e}"),
        "below_floor": int(np.sum(cosines < COSINE_FLOOR)),
    }


def percentiles(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(float(np.percentile(values, 50)), 2),
        "p95": round(float(np.percentile(values, 95)), 2),
        "mean": round(statistics.fmean(values), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--keep-model", type=Path, help="write the .onnx file to this folder")
    args = parser.parse_args()
    model_dir = packaged_model_dir()
    result: dict[str, Any] = {
        "command": "benchmarks/embedder_onnx.py " + " ".join(sys.argv[1:]),
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
        "cosine_floor": COSINE_FLOOR,
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep_model or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        onnx_file = export_onnx(model_dir, folder / "all-MiniLM-L6-v2.onnx")
        result["export_s"] = round(time.perf_counter() - started, 1)
        result["onnx_model_mb"] = round(onnx_file.stat().st_size / MB, 1)
        onnx = OnnxEmbedder(onnx_file, model_dir)
        torch_embedder = SentenceEmbedder(question_cache_size=0)  # the app's embedder
        torch_embedder.load()

        chunks = starter_chunk_texts(model_dir)
        onnx_vectors = onnx.encode(chunks)
        torch_vectors = torch_embedder.encode(chunks)
        shipped = load_prebuilt_vectors("all-MiniLM-L6-v2")
        in_shipped = [i for i, text in enumerate(chunks) if text_hash(text) in shipped]
        shipped_vectors = np.stack([shipped[text_hash(chunks[i])] for i in in_shipped])
        result["starter_chunks"] = len(chunks)
        result["cosine_onnx_vs_torch"] = cosine_stats(onnx_vectors, torch_vectors)
        result["cosine_onnx_vs_shipped_vectors"] = {
            "chunks": len(in_shipped),
            **cosine_stats(onnx_vectors[in_shipped], shipped_vectors),
        }

        questions = [q["q"] for q in load_questions()]
        q_onnx, q_torch = onnx.encode(questions), torch_embedder.encode(questions)
        result["cosine_onnx_vs_torch_questions"] = cosine_stats(q_onnx, q_torch)
        timings: dict[str, list[float]] = {"torch": [], "onnxruntime": []}
        for model in (torch_embedder, onnx):
            model.encode(questions[:3])  # warm-up
        for _ in range(args.rounds):
            for text in questions:
                for name, model in (("torch", torch_embedder), ("onnxruntime", onnx)):
                    started = time.perf_counter()
                    model.encode([text])
                    timings[name].append(1000 * (time.perf_counter() - started))
        result["question_ms_one_thread"] = {
            "questions": len(questions) * args.rounds,
            **{name: percentiles(values) for name, values in timings.items()},
        }
    import torch

    result["installed_mb"] = {
        "torch": installed_mb("torch"),
        "onnxruntime": installed_mb("onnxruntime"),
        "tokenizers": installed_mb("tokenizers"),
        "onnx_model": result["onnx_model_mb"],
        "versions": {
            "torch": torch.__version__,
            "onnxruntime": metadata.version("onnxruntime"),
            "tokenizers": metadata.version("tokenizers"),
        },
    }
    result["passed"] = (
        result["cosine_onnx_vs_torch"]["below_floor"] == 0
        and result["cosine_onnx_vs_shipped_vectors"]["below_floor"] == 0
    )
    result["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    atomic_write_text(RESULTS, json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
