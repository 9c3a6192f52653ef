"""The routing data: enough examples per intent; held-out questions are not among them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medassist_desktop.core.routing import Intent, RoutingDataError, load_intent_data
from medassist_desktop.core.routing.intents import (
    DEFAULT_INTENTS_FILE,
    OUT_OF_SCOPE_REFUSAL,
    result_from_probabilities,
)
from tests.conftest import REPO_ROOT
from tests.unit.core.routing.heldout import BLIND, DEV, labelled

DATA_FILE = REPO_ROOT / "medassist_desktop" / "core" / "routing" / "data" / DEFAULT_INTENTS_FILE


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).strip(" ?.!")


def test_every_intent_has_20_to_45_examples() -> None:
    data = load_intent_data()
    for intent in Intent:
        assert 20 <= len(data.utterances[intent]) <= 45, intent
    assert len(data.utterances[Intent.OUT_OF_SCOPE]) >= 35


def test_held_out_questions_are_not_training_examples() -> None:
    training = {_norm(text) for _, text in load_intent_data().labelled_utterances()}
    held_out = [_norm(q) for _, q in labelled(DEV, BLIND)]
    assert training.isdisjoint(held_out)
    assert len(held_out) == len(set(held_out)), "a held-out question is repeated"


def test_held_out_sets_cover_every_intent() -> None:
    for questions in (DEV, BLIND):
        assert set(questions) == {intent.value for intent in Intent}
        assert all(len(qs) >= 15 for qs in questions.values())


def test_refusal_text_is_polite_and_says_what_is_in_scope() -> None:
    assert OUT_OF_SCOPE_REFUSAL.startswith("Sorry")
    for topic in ("symptoms", "medicines", "records", "guidelines"):
        assert topic in OUT_OF_SCOPE_REFUSAL


def test_ties_go_to_the_more_urgent_intent() -> None:
    result = result_from_probabilities(
        dict.fromkeys(Intent, 0.0) | {Intent.SYMPTOMS: 0.5, Intent.EMERGENCY: 0.5}, "keyword"
    )
    assert result.intent is Intent.EMERGENCY
    assert result.alternatives[0].intent is Intent.SYMPTOMS


def test_bad_data_file_is_refused(tmp_path: Path) -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["utterances"]["guideline"] = data["utterances"]["guideline"][:2]
    bad = tmp_path / "intents.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RoutingDataError, match="guideline needs at least top_k"):
        load_intent_data(bad)
    with pytest.raises(RoutingDataError):
        load_intent_data(tmp_path / "missing.json")
