"""Recent answers, kept for a while: the same question about the same case, asked again,
is answered at once.

The key holds everything that decides an answer: the question (whitespace
normalised), the case (canonical JSON), the knowledge base version and the passages
retrieved, the model file's sha256, the triage rules' version and the answer length.
Change any of these and the answer is generated again. Only complete model answers
are kept: never a refusal (cheap anyway), a rules-only answer (the model may be back
next time), or a cancelled one. The clock is injectable so expiry is testable.

The English renderings of questions asked in another language (`translate.py`) are
kept alongside, keyed on the question and the model that rendered it, for the same
time: asking again does not wait for the model twice.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cachetools import TTLCache

from medassist_desktop.core.assistant.answer import ConsultAnswer

Clock = Callable[[], float]
DEFAULT_MAX_ENTRIES = 256


def answer_key(
    *,
    question: str,
    case: Mapping[str, Any] | None,
    kb_version: str | None,
    passage_ids: Sequence[str],
    model_sha256: str | None,
    model_name: str | None,
    rules_version: str,
    max_tokens: int,
    language: str = "en",
) -> str:
    payload = {
        "question": " ".join(question.split()),
        "case": case,
        "kb_version": kb_version,
        "passages": list(passage_ids),
        # A .gguf given by path has no recorded sha256: its name stands in.
        "model": model_sha256 or f"name:{model_name}",
        "rules_version": rules_version,
        "max_tokens": max_tokens,
        # The same question in another language is another answer.
        "language": language,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def translation_key(*, question: str, model_sha256: str | None, model_name: str | None) -> str:
    payload = {
        "question": " ".join(question.split()),
        "model": model_sha256 or f"name:{model_name}",
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AnswerCache:
    """A thread-safe TTL cache of answers; `ttl_seconds` 0 keeps nothing."""

    def __init__(
        self,
        ttl_seconds: float,
        *,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Clock = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self._cache: TTLCache[str, ConsultAnswer] | None = (
            TTLCache(maxsize=max_entries, ttl=ttl_seconds, timer=clock) if ttl_seconds > 0 else None
        )
        self._translations: TTLCache[str, str] | None = (
            TTLCache(maxsize=max_entries, ttl=ttl_seconds, timer=clock) if ttl_seconds > 0 else None
        )
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._cache is not None

    def get(self, key: str) -> ConsultAnswer | None:
        if self._cache is None:
            return None
        with self._lock:
            return self._cache.get(key)

    def put(self, key: str, answer: ConsultAnswer) -> None:
        if self._cache is None:
            return
        with self._lock:
            self._cache[key] = answer

    def get_translation(self, key: str) -> str | None:
        if self._translations is None:
            return None
        with self._lock:
            return self._translations.get(key)

    def put_translation(self, key: str, english: str) -> None:
        if self._translations is None:
            return
        with self._lock:
            self._translations[key] = english

    def clear(self) -> None:
        with self._lock:
            if self._cache is not None:
                self._cache.clear()
            if self._translations is not None:
                self._translations.clear()

    def __len__(self) -> int:
        if self._cache is None:
            return 0
        with self._lock:
            self._cache.expire()
            return len(self._cache)


__all__ = ["AnswerCache", "answer_key", "translation_key"]
