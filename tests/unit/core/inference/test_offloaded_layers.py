"""The GPU layer count shown in diagnostics is what llama.cpp can hold, not the request."""

from __future__ import annotations

import pytest

from medassist_desktop.core.inference.engine import offloaded_layers


@pytest.mark.parametrize(
    ("requested", "on_gpu", "expected"),
    [
        (-1, True, 19),  # "all": the 18 blocks and the output layer
        (2147483647, True, 19),  # llama-cpp-python's spelling of "all"
        (5, True, 5),
        (19, True, 19),
        (-1, False, 0),  # a build without a GPU backend offloads nothing
        (0, True, 0),
    ],
)
def test_offloaded_layers(requested: int, on_gpu: bool, expected: int) -> None:
    assert offloaded_layers(requested, 18, on_gpu) == expected
