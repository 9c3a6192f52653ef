"""Token log-probabilities: exact, in order, the same on the helper thread as in the loop."""

from __future__ import annotations

import math

import numpy as np
import pytest

from medassist_desktop.core.inference.engine import LogprobPipe


def reference(logits: np.ndarray, token: int) -> float:
    values = logits.astype(np.float64)
    return float(values[token] - values.max() - math.log(np.exp(values - values.max()).sum()))


@pytest.mark.parametrize("threaded", [False, True])
def test_log_probabilities_match_a_float64_softmax_in_order(threaded: bool) -> None:
    rng = np.random.default_rng(3)
    pipe = LogprobPipe(50_000, threaded=threaded)
    expected = []
    logits = np.empty(50_000, dtype=np.float32)
    for step in range(12):  # more than the helper's buffers: they must be recycled
        logits[:] = rng.normal(scale=4.0, size=logits.size)
        token = int(rng.integers(logits.size)) if step % 2 else int(logits.argmax())
        expected.append(reference(logits, token))
        pipe.submit(logits, token)
        logits[:] = np.nan  # llama.cpp overwrites its buffer with the next decode
    assert pipe.finish() == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("threaded", [False, True])
def test_logits_beyond_the_range_of_exp_are_still_exact(threaded: bool) -> None:
    """exp of a logit above ~88 overflows float32 (and of all logits below ~-103
    vanishes): the sum is then shifted by the largest logit."""
    logits = np.zeros(50_000, dtype=np.float32)
    logits[3] = 120.0
    logits[9] = 10.0
    pipe = LogprobPipe(logits.size, threaded=threaded)
    pipe.submit(logits, 9)
    pipe.submit(logits, 3)
    low = logits - 300.0
    pipe.submit(low, 9)
    expected = [reference(logits, 9), reference(logits, 3), reference(low, 9)]
    assert pipe.finish() == pytest.approx(expected, abs=1e-4)
