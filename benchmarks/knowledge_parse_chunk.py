"""Cost of parsing and chunking, next to the cost of embedding the same chunks.

The ingest target says our overhead must be small beside the embedding model's own
`encode` time. This measures, on the starter library (resources/knowledge/):

- parse: files -> Documents (read, decode, front matter, Markdown structure);
- chunk: Documents -> Chunks (tokenizer counts, packing, ids);
- encode (unless --no-encode): sentence-transformers all-MiniLM-L6-v2 `encode` of the
  chunks' embedding_text, batch size 32, on the CPU, after one warm-up pass.

Each stage is timed `--repeat` times and the median is reported, as chunks per second.

    .venv/bin/python benchmarks/knowledge_parse_chunk.py [--repeat 5] [--no-encode]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "knowledge_parse_chunk.json"


def _median_seconds(action: object, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-encode", action="store_true")
    args = parser.parse_args()

    from medassist_desktop.core.knowledge.chunking import Chunker
    from medassist_desktop.core.knowledge.parsers import parse_file
    from medassist_desktop.core.knowledge.starter import starter_library_files
    from medassist_desktop.core.knowledge.tokens import default_token_counter, minilm_model_dir

    files = starter_library_files()
    chunker = Chunker(default_token_counter())
    documents = [parse_file(path) for path in files]
    chunks = [chunk for doc in documents for chunk in chunker.chunk(doc)]
    count = len(chunks)

    parse_s = _median_seconds(lambda: [parse_file(path) for path in files], args.repeat)
    chunk_s = _median_seconds(lambda: [chunker.chunk(doc) for doc in documents], args.repeat)
    result: dict[str, object] = {
        "files": len(files),
        "chunks": count,
        "mean_chunk_tokens": round(sum(c.token_count for c in chunks) / count, 1),
        "parse_chunks_per_s": round(count / parse_s, 1),
        "chunk_chunks_per_s": round(count / chunk_s, 1),
        "parse_plus_chunk_ms_per_chunk": round(1000 * (parse_s + chunk_s) / count, 3),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_1min_at_start": round(os.getloadavg()[0], 2),
        },
        "command": "python benchmarks/knowledge_parse_chunk.py",
    }
    if not args.no_encode:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(minilm_model_dir()), device="cpu")
        texts = [chunk.embedding_text for chunk in chunks]
        model.encode(texts, batch_size=32)  # warm-up
        encode_s = _median_seconds(lambda: model.encode(texts, batch_size=32), args.repeat)
        result["encode_chunks_per_s"] = round(count / encode_s, 1)
        pipeline_s = parse_s + chunk_s + encode_s
        result["encode_share_of_serial_pipeline"] = round(encode_s / pipeline_s, 3)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
