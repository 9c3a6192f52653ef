"""The router the consult pipeline uses: semantic when the embeddings are ready, else keywords.

Loading the embedding model takes seconds, so the app calls `warm_up()` from a
background worker; until it has finished (or if it failed), questions are routed
by keywords rather than made to wait. The result says which method answered.
The one exception: a question the keywords would refuse while the embedding model
is still loading waits for it (at most `semantic_wait_s`; the GUI says
"Preparing…"): a refusal must come from the better router, never from a race.

One deliberate mix of the two: when the semantic router would refuse a question
as out of scope but the keyword router finds clinical terms in it (and no
out-of-scope term), the keyword route is used instead. Refusing a real clinical
question ("bring up the file for Mrs Lan") costs a health worker more than
answering a stray one; on the held-out questions this removed every wrongly
refused clinical question and refused no out-of-scope one less
(benchmarks/results/router.json).
"""

from __future__ import annotations

import threading

from loguru import logger

from medassist_desktop.core.knowledge.embeddings import Embedder
from medassist_desktop.core.routing.intents import IntentData, RouteResult, load_intent_data
from medassist_desktop.core.routing.keyword import KeywordRouter
from medassist_desktop.core.routing.semantic import SemanticRouter
from medassist_desktop.errors import KnownError

log = logger.bind(area="routing")


class IntentRouter:
    """Semantic routing with a keyword fallback; safe to call from several threads."""

    def __init__(
        self,
        embedder: Embedder | None,
        data: IntentData | None = None,
        *,
        semantic_wait_s: float = 120.0,
    ) -> None:
        self.data = data if data is not None else load_intent_data()
        self.keyword = KeywordRouter(self.data)
        self.semantic = SemanticRouter(embedder, self.data) if embedder is not None else None
        self.semantic_wait_s = semantic_wait_s
        self._failure: str | None = None
        self._lock = threading.Lock()
        self._warming = threading.Event()  # warm_up() has started
        self._settled = threading.Event()  # warm_up() has finished, ready or failed

    @property
    def preparing(self) -> bool:
        """The embedding model is loading now (a refusal would wait for it)."""
        return self._warming.is_set() and not self._settled.is_set()

    @property
    def semantic_ready(self) -> bool:
        return self.semantic is not None and self.semantic.is_ready

    @property
    def degraded_reason(self) -> str | None:
        """Why routing is by keywords (None when semantic routing is ready)."""
        if self.semantic_ready:
            return None
        if self.semantic is None:
            return "no embedding model configured"
        return self._failure or "the embedding model is still loading"

    def warm_up(self) -> None:
        """Load the embedding model and embed the examples (slow; call off the GUI thread).

        Raises the model's `KnownError` when it cannot load; routing stays on keywords.
        """
        if self.semantic is None:
            return
        self._warming.set()
        try:
            self.semantic.prepare()
        except KnownError as exc:
            with self._lock:
                self._failure = str(exc)
            log.warning("Semantic routing unavailable, using keywords: {reason}", reason=exc)
            raise
        finally:
            self._settled.set()

    def route(self, text: str) -> RouteResult:
        return self.route_many([text])[0]

    def route_many(self, texts: list[str]) -> list[RouteResult]:
        """Route several questions (one batched model call when semantic routing is ready)."""
        if self.semantic is None or not self.semantic.is_ready:
            by_keyword = [self.keyword.route(text) for text in texts]
            refused = any(r.is_out_of_scope for r in by_keyword)
            if not (refused and self.preparing and self._settled.wait(self.semantic_wait_s)):
                return by_keyword
            if self.semantic is None or not self.semantic.is_ready:  # it failed to load
                return by_keyword
        return [
            self._veto_refusal(text, result)
            for text, result in zip(texts, self.semantic.route_many(texts), strict=True)
        ]

    def _veto_refusal(self, text: str, result: RouteResult) -> RouteResult:
        if result.is_out_of_scope and text.strip():
            by_keyword = self.keyword.route(text)
            if not by_keyword.is_out_of_scope:
                return by_keyword
        return result


__all__ = ["IntentRouter"]
