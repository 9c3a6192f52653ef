"""`translate_question` on the real Gemma 3 270M GGUF: the engine's own chat formatting,
the token cap and the time limit hold, and the result is a rendering or a reason.

The 270M base model does not translate (it repeats the instruction or the question;
benchmarks/results/translate_question.json), which is why the consult never asks it;
quality is not asserted here, only that the step is safe to run on a real model.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medassist_desktop.config import LoadedSettings
from medassist_desktop.core.assistant.translate import translate_question
from medassist_desktop.core.inference.engine import LlamaEngine
from medassist_desktop.core.inference.loading import prepare_load

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

QUESTION = "Trẻ bị ho và thở nhanh thì phải làm gì?"


@pytest.fixture(scope="module")
def engine(model_settings: LoadedSettings) -> Iterator[LlamaEngine]:
    loaded = LlamaEngine()
    loaded.load(prepare_load(model_settings.settings, model_settings.paths))
    yield loaded
    loaded.close()


def test_the_real_model_renders_within_its_token_cap(engine: LlamaEngine) -> None:
    result = translate_question(engine, QUESTION, max_tokens=16, timeout_s=120)
    assert result.ms > 0 and 0 < result.tokens <= 16
    if result.text is None:
        # What the base model does: the reply was seen to be unusable, and said so.
        assert result.failure == "the reply was not an English question"
    else:
        assert result.text.strip() and result.failure is None


def test_the_time_limit_stops_the_real_model(engine: LlamaEngine) -> None:
    result = translate_question(engine, QUESTION, max_tokens=96, timeout_s=0.001)
    assert result.text is None and result.failure == "no reply within 0.001 s"
    # The engine is free again: a normal rendering runs to its end.
    again = translate_question(engine, QUESTION, max_tokens=8, timeout_s=120)
    assert again.failure != "no reply within 120 s"
