"""Confidence levels follow the measured signals, at their thresholds."""

from __future__ import annotations

from typing import Any

import pytest

from medassist_desktop.core.assistant import confidence as c
from medassist_desktop.core.assistant.confidence import assess_confidence


def assess(router: float = 0.9, sims: list[float | None] | None = None, prob: float | None = 0.8):
    return assess_confidence(
        router_confidence=router,
        similarities=[0.7, 0.5] if sims is None else sims,
        mean_token_prob=prob,
        engine="local",
    )


def test_all_strong_signals_are_high() -> None:
    result = assess()
    assert result.level == "high"
    assert result.reasons == ()
    assert result.signals["top_similarities"] == [0.7, 0.5]
    assert result.to_dict()["signals"]["router_confidence"] == 0.9


def test_nothing_retrieved_is_low() -> None:
    result = assess(sims=[])
    assert result.level == "low"
    assert "no relevant passage was found" in result.reasons


@pytest.mark.parametrize(
    ("kwargs", "level"),
    [
        ({"sims": [c.MIN_TOP_SIMILARITY - 0.01]}, "low"),
        ({"sims": [c.MIN_TOP_SIMILARITY]}, "medium"),
        ({"sims": [c.HIGH_TOP_SIMILARITY - 0.01]}, "medium"),
        ({"sims": [c.HIGH_TOP_SIMILARITY]}, "high"),
        ({"router": c.MIN_ROUTER_CONFIDENCE - 0.01}, "low"),
        ({"router": c.MIN_ROUTER_CONFIDENCE}, "medium"),
        ({"router": c.HIGH_ROUTER_CONFIDENCE}, "high"),
        ({"prob": c.MIN_MEAN_TOKEN_PROB - 0.01}, "low"),
        ({"prob": c.MIN_MEAN_TOKEN_PROB}, "medium"),
        ({"prob": c.HIGH_MEAN_TOKEN_PROB}, "high"),
    ],
)
def test_thresholds(kwargs: dict[str, Any], level: str) -> None:
    assert assess(**kwargs).level == level


def test_keyword_only_and_rules_only_are_at_most_medium() -> None:
    keyword = assess(sims=[None, None])
    assert keyword.level == "medium"
    assert any("keyword search only" in r for r in keyword.reasons)
    rules = assess(prob=None)
    assert rules.level == "medium"
    assert any("rules only" in r for r in rules.reasons)
