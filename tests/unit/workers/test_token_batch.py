"""Tokens reach the GUI as they come when slow, joined when fast, and never lost or reordered."""

from __future__ import annotations

from medassist_desktop.workers.token_batch import TokenBatcher


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_slow_tokens_are_posted_one_by_one() -> None:
    clock, posted = Clock(), list[str]()
    batcher = TokenBatcher(posted.append, interval=0.02, clock=clock)
    for piece in ("The", " child", " is"):
        batcher.push(piece)
        clock.now += 0.04  # 25 tokens/s: slower than the interval
    batcher.flush()
    assert posted == ["The", " child", " is"]


def test_fast_tokens_are_joined_and_the_first_is_immediate() -> None:
    clock, posted = Clock(), list[str]()
    batcher = TokenBatcher(posted.append, interval=0.02, clock=clock)
    pieces = [f" t{i}" for i in range(20)]
    for piece in pieces:
        batcher.push(piece)
        clock.now += 0.002  # 500 tokens/s
    assert posted[0] == " t0"  # time to first token is not delayed
    assert len(posted) <= 3  # 40 ms of tokens: the first, then one post per 20 ms
    batcher.flush()
    assert "".join(posted) == "".join(pieces)
    batcher.flush()  # nothing held: nothing posted
    assert "".join(posted) == "".join(pieces)
