"""Turning a stream of token bytes into text pieces, honouring stop strings.

A token can end in the middle of a UTF-8 character, and a stop string can span
tokens; so bytes go through an incremental decoder, and text that might be the
start of a stop string is held back until the next token settles it. Nothing
after a stop string is ever shown.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence


class StopStringStream:
    def __init__(self, stops: Sequence[str]) -> None:
        self._stops = tuple(s for s in stops if s)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def push(self, data: bytes) -> tuple[str, bool]:
        """Feed a token's bytes; returns (text safe to show now, whether a stop was hit)."""
        self._pending += self._decoder.decode(data)
        hits = [i for i in (self._pending.find(s) for s in self._stops) if i >= 0]
        if hits:
            text, self._pending = self._pending[: min(hits)], ""
            return text, True
        hold = 0
        for stop in self._stops:
            for k in range(min(len(stop) - 1, len(self._pending)), 0, -1):
                if self._pending.endswith(stop[:k]):
                    hold = max(hold, k)
                    break
        cut = len(self._pending) - hold
        text, self._pending = self._pending[:cut], self._pending[cut:]
        return text, False

    def flush(self) -> str:
        """The held-back rest, at the end of a reply that did not hit a stop string."""
        text = self._pending + self._decoder.decode(b"", final=True)
        self._pending = ""
        return text
