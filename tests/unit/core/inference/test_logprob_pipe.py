"""Token log-probabilities: exact, in order, the same on the helper thread as in the loop."""

from __future__ import annotations

import math

import numpy as np
import pytest

from medassist_desktop.core.inference.engine import LogprobPipe, logprobs_on_helper


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


@pytest.mark.parametrize(
    ("device", "n_threads", "cpu_count", "helper"),
    [
        ("gpu", 16, 16, True),  # the cores are idle while the GPU decodes
        ("cpu", 1, 2, True),  # the default plan on two cores leaves one free
        ("cpu", 2, 2, False),  # every core decodes: waking a helper would preempt the loop
        ("cpu", 4, None, False),  # unknown core count: assume none is free
    ],
)
def test_log_probabilities_go_to_a_helper_only_when_a_core_is_free(
    device: str, n_threads: int, cpu_count: int | None, helper: bool
) -> None:
    assert logprobs_on_helper(device, n_threads, cpu_count) is helper
