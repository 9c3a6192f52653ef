"""The model's speed from the clinic's own answers (audit entries on a real encrypted
database): the median of the recent local-model answers of the model in use only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.core.security.audit import Outcome
from medassist_desktop.services.model_speed import RECENT_ANSWERS, speed_from_answers
from medassist_desktop.services.security import SecurityServices
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services

MODEL = "gemma3-270m-q4_k_m"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[SecurityServices]:
    opened = open_services(tmp_path / "data", MemoryKeyring())
    yield opened
    opened.close()


def answered(services: SecurityServices, speed: float | None, **details: Any) -> None:
    services.audit_log.append(
        None,
        "consult.ask",
        "consult:1",
        details.pop("outcome", Outcome.SUCCESS),
        details={
            "engine": "local",
            "model": MODEL,
            "cached": False,
            "tokens": 40,
            "tokens_per_second": speed,
            **details,
        },
    )


def test_no_answers_yet_means_not_measured(services: SecurityServices) -> None:
    speed = speed_from_answers(services.db, MODEL)
    assert (speed.tokens_per_second, speed.samples, speed.source) == (None, 0, "none")


def test_the_median_of_the_local_models_own_answers(services: SecurityServices) -> None:
    for value in (12.0, 30.0, 18.0):
        answered(services, value)
    answered(services, 999.0, cached=True)  # no model run
    answered(services, 500.0, engine="cloud")  # not this computer
    answered(services, 3.0, model="other-model")  # not the model in use
    answered(services, 80.0, tokens=1)  # no decode time to speak of
    answered(services, None, engine="rules")
    answered(services, 60.0, outcome=Outcome.FAILURE)
    speed = speed_from_answers(services.db, MODEL)
    assert (speed.tokens_per_second, speed.samples, speed.source) == (18.0, 3, "answers")
    assert speed.measured_at is not None
    assert speed_from_answers(services.db, None).samples == 4  # any local model


def test_only_the_recent_answers_count(services: SecurityServices) -> None:
    for _ in range(RECENT_ANSWERS):
        answered(services, 5.0)  # before an upgrade of the laptop
    for _ in range(RECENT_ANSWERS):
        answered(services, 25.0)
    speed = speed_from_answers(services.db, MODEL)
    assert (speed.tokens_per_second, speed.samples) == (25.0, RECENT_ANSWERS)
