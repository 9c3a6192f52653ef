"""A measured run on the real model (Gemma 3 270M through llama.cpp) for the System page."""

from __future__ import annotations

import pytest

from medassist_desktop.config import LoadedSettings
from medassist_desktop.services.model_holder import ModelHolder
from medassist_desktop.services.model_speed import MEASURE_TOKENS, measure_loaded

pytestmark = pytest.mark.timeout(300)


def test_a_short_measured_run_gives_this_computers_speed(model_settings: LoadedSettings) -> None:
    holder = ModelHolder(model_settings.settings, model_settings.paths)
    try:
        speed = measure_loaded(holder, load_timeout_s=240)
        assert speed.source == "measured" and speed.samples == 1
        assert speed.model == model_settings.settings.model_name
        assert speed.tokens_per_second is not None and speed.tokens_per_second > 0
        assert speed.unavailable_reason is None
        # The figure is the run's own: a second run agrees within a wide margin.
        again = measure_loaded(holder)
        assert again.tokens_per_second is not None
        assert 0.2 < again.tokens_per_second / speed.tokens_per_second < 5
    finally:
        holder.close()
    assert MEASURE_TOKENS >= 16


def test_no_model_file_says_why_instead_of_a_number(model_settings: LoadedSettings) -> None:
    holder = ModelHolder(model_settings.settings, model_settings.paths, model_name="no-such-model")
    try:
        speed = measure_loaded(holder, load_timeout_s=60)
    finally:
        holder.close()
    assert speed.tokens_per_second is None and speed.source == "none"
    assert speed.unavailable_reason
