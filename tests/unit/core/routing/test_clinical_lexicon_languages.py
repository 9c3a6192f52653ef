"""The clinical lexicon in Indonesian and Vietnamese: no clinical question in either
language is refused by the keyword router, the out-of-scope ones still are, and the
matcher copes with how the questions are typed (decomposed accents, no accents,
reduplicated and suffixed Indonesian words)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from importlib import resources

import pytest

from medassist_desktop.core.routing import KeywordRouter, load_intent_data
from medassist_desktop.core.routing.lexicon import LEXICON_FILE, ClinicalLexicon, normalise
from tests.unit.core.routing.clinical_questions_sea import (
    ID_OUT_OF_SCOPE,
    VI_OUT_OF_SCOPE,
    indonesian_questions,
    vietnamese_questions,
)


@pytest.fixture(scope="module")
def router() -> KeywordRouter:
    return KeywordRouter(load_intent_data())


@pytest.mark.parametrize("asked", [indonesian_questions, vietnamese_questions])
def test_no_indonesian_or_vietnamese_clinical_question_is_refused(
    router: KeywordRouter, asked: Callable[[], list[str]]
) -> None:
    questions = asked()
    assert len(questions) >= 100 and len(set(questions)) == len(questions)
    assert [q for q in questions if router.route(q).is_out_of_scope] == []


@pytest.mark.parametrize("question", [*ID_OUT_OF_SCOPE, *VI_OUT_OF_SCOPE])
def test_out_of_scope_questions_in_both_languages_are_still_refused(
    router: KeywordRouter, question: str
) -> None:
    assert router.route(question).is_out_of_scope, router.lexicon.find(question).terms


def test_a_question_typed_with_combining_accents_matches() -> None:
    lexicon = ClinicalLexicon({"disease": ["sốt xuất huyết"]})
    typed = unicodedata.normalize("NFD", "Trẻ bị SỐT XUẤT HUYẾT phải làm gì?")
    assert typed != unicodedata.normalize("NFC", typed)
    assert lexicon.find(typed).terms["disease"] == ("sốt xuất huyết",)
    # A term written decomposed matches a composed question too.
    decomposed_term = ClinicalLexicon({"disease": [unicodedata.normalize("NFD", "sởi")]})
    assert decomposed_term.find("trẻ bị sởi").strong


def test_vietnamese_syllables_are_whole_words() -> None:
    lexicon = ClinicalLexicon({"symptom": ["ho"]})
    assert lexicon.find("trẻ bị ho về đêm").strong
    assert not lexicon.find("họ đi chợ").any  # "họ" (they) is another word
    assert not lexicon.find("hồ nước").any


def test_vietnamese_typed_without_accents_matches(router: KeywordRouter) -> None:
    assert not router.route("tre bi sot xuat huyet phai lam gi").is_out_of_scope
    assert not router.route("be bi tieu chay hai ngay").is_out_of_scope


def test_indonesian_reduplication_and_the_nya_suffix() -> None:
    lexicon = ClinicalLexicon({"symptom": ["batuk", "kejang"]})
    assert normalise("batuk-batuk") == "batuk"
    assert lexicon.find("anak saya batuk-batuk terus").terms["symptom"] == ("batuk",)
    assert lexicon.find("kejang-kejangnya lama").strong
    assert lexicon.find("batuknya tidak sembuh").strong
    assert not lexicon.find("batukan").any


def test_the_file_records_the_language_of_each_term() -> None:
    data = json.loads(
        resources.files("medassist_desktop.core.routing")
        .joinpath("data", LEXICON_FILE)
        .read_text(encoding="utf-8")
    )
    assert data["version"] == "clinical-lexicon-v2"
    languages = data["languages"]
    assert set(languages) == {"en", "id", "vi"}
    assert {"demam berdarah", "dbd", "mencret", "oralit", "kejang"} <= set(languages["id"])
    assert {"sốt xuất huyết", "tiêu chảy", "co giật", "sot xuat huyet"} <= set(languages["vi"])
    everything = {t for terms in data["terms"].values() for t in terms}
    assert everything == {t for terms in languages.values() for t in terms}
    assert all(t == unicodedata.normalize("NFC", t) for t in everything)


def test_translated_sign_labels_are_clinical() -> None:
    lexicon = ClinicalLexicon.load()
    assert lexicon.find("Nôn tất cả mọi thứ").strong  # "Vomits everything", translated
    assert lexicon.find("Memuntahkan semua").strong
    assert not lexicon.find("saya haus, mau es teh").any  # an everyday word stays out


def test_an_everyday_phrase_holding_a_term_is_not_clinical(router: KeywordRouter) -> None:
    assert router.route("Cách làm nước sốt cà chua cho mì Ý").is_out_of_scope  # a sauce
    assert router.route("Bò sốt vang nấu thế nào?").is_out_of_scope
    assert not router.route("Trẻ bị sốt cao ba ngày").is_out_of_scope  # a fever
    assert not router.route("ăn nước sốt xong bị sốt và tiêu chảy").is_out_of_scope
