"""The clinical lexicon: no question naming a disease, sign, medicine, procedure or body
part is refused by the keyword router, and the out-of-scope questions still are."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from medassist_desktop.core.routing import Intent, KeywordRouter, load_intent_data
from medassist_desktop.core.routing.lexicon import ClinicalLexicon
from medassist_desktop.core.triage import load_rules
from tests.unit.core.routing.clinical_questions import NAMED, questions
from tests.unit.core.routing.heldout import BLIND, DEV, labelled

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(scope="module")
def router() -> KeywordRouter:
    return KeywordRouter(load_intent_data())


def test_no_clinical_question_is_refused(router: KeywordRouter) -> None:
    asked = questions()
    assert len(asked) >= 300 and len(set(asked)) == len(asked)
    refused = [q for q in asked if router.route(q).is_out_of_scope]
    assert refused == []


@pytest.mark.parametrize("question", NAMED)
def test_the_questions_once_refused_are_answered(router: KeywordRouter, question: str) -> None:
    result = router.route(question)
    assert not result.is_out_of_scope and result.method == "keyword"


@pytest.mark.parametrize("question", [q for g, q in labelled(DEV, BLIND) if g == "out_of_scope"])
def test_out_of_scope_questions_are_still_refused(router: KeywordRouter, question: str) -> None:
    assert router.route(question).intent is Intent.OUT_OF_SCOPE


def test_a_body_part_alone_yields_to_an_out_of_scope_phrase(router: KeywordRouter) -> None:
    assert router.route("how many legs does a spider have").is_out_of_scope
    assert not router.route("pain in both legs since yesterday").is_out_of_scope
    # A disease or medicine is never outweighed.
    assert not router.route("price of paracetamol at the shop").is_out_of_scope


def test_lexicon_covers_the_library_topics_and_the_triage_signs() -> None:
    lexicon = ClinicalLexicon.load(load_rules().signs)
    everything = {t for terms in lexicon.categories.values() for t in terms}
    for code in load_rules().signs:
        assert code.replace("_", " ") in everything
    for path in (ROOT / "resources" / "knowledge").glob("*.md"):
        title = re.search(r'^title:\s*"?([^":]+)', path.read_text(encoding="utf-8"), re.M)
        assert title is not None
        assert lexicon.find(title.group(1)).any, path.name  # each document's subject


def test_the_packaged_lexicon_is_what_the_tool_builds() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_clinical_lexicon", ROOT / "tools" / "build_clinical_lexicon.py"
    )
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    packaged = json.loads(tool.OUTPUT.read_text(encoding="utf-8"))
    assert packaged == json.loads(json.dumps(tool.build()))
