"""The starter clinical library: every document parses, names a dated source, and chunks;
together they cover the topics a rural clinic needs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medassist_desktop.core.knowledge.chunking import Chunker
from medassist_desktop.core.knowledge.documents import Document
from medassist_desktop.core.knowledge.ingest import parse_files
from medassist_desktop.core.knowledge.parsers import parse_file
from medassist_desktop.core.knowledge.starter import starter_library_dir, starter_library_files
from medassist_desktop.core.knowledge.tokens import TokenizerCounter

FILES = starter_library_files()
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")

# Each required topic, and words of which at least one must appear in some document's
# title or topics (front matter), so a reader can find the document by its subject.
REQUIRED_TOPICS: dict[str, tuple[str, ...]] = {
    "IMCI general danger signs": ("imci", "danger signs"),
    "pneumonia in children": ("pneumonia",),
    "diarrhoea and dehydration": ("dehydration",),
    "ORS and zinc, plans A/B/C": ("ors", "zinc", "plan c"),
    "malaria (RDT, treatment)": ("rdt",),
    "severe malaria": ("severe malaria",),
    "dengue warning signs": ("dengue",),
    "tuberculosis screening": ("tuberculosis",),
    "measles": ("measles",),
    "malnutrition (MUAC)": ("muac",),
    "maternal danger signs": ("maternal",),
    "pre-eclampsia / eclampsia": ("pre-eclampsia", "eclampsia"),
    "postpartum haemorrhage": ("postpartum haemorrhage",),
    "newborn care": ("essential newborn care",),
    "young infant danger signs": ("young infant",),
    "hypertension": ("hypertension",),
    "diabetes": ("diabetes",),
    "urinary tract infection": ("urinary tract infection",),
    "skin infections": ("skin infection",),
    "ear infections": ("ear infection",),
    "sore throat": ("sore throat",),
    "snakebite": ("snakebite",),
    "rabies exposure": ("rabies",),
    "immunisation schedule": ("immunisation",),
    "referral": ("referral",),
    "fever without source": ("fever without",),
    "anaemia": ("anaemia",),
    "HIV testing": ("hiv",),
    "neonatal jaundice": ("jaundice",),
    "burns first aid": ("burns",),
    "asthma / wheeze": ("asthma", "wheeze"),
    "typhoid": ("typhoid",),
    "leptospirosis": ("leptospirosis",),
    "scrub typhus": ("scrub typhus",),
    "medication safety / paracetamol": ("paracetamol", "medication safety"),
    "hand hygiene / infection prevention": ("hand hygiene",),
    "shock recognition (ETAT)": ("shock",),
    "emergency triage (ETAT)": ("etat",),
    "pre-referral doses": ("pre-referral treatment",),
    "organophosphate poisoning": ("organophosphate",),
    "convulsions": ("convulsions",),
    "hypoglycaemia": ("hypoglycaemia",),
    "cholera": ("cholera",),
    "Japanese encephalitis": ("japanese encephalitis",),
}


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    return [parse_file(path) for path in FILES]


def test_library_is_shipped_in_resources() -> None:
    assert starter_library_dir().name == "knowledge"
    assert starter_library_dir().parent.name == "resources"
    assert len(FILES) >= 32
    # Only documents in the folder: an import of the whole folder must not pick up notes.
    assert {path.suffix for path in starter_library_dir().iterdir()} == {".md"}


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_each_document_is_complete(path: Path, minilm_counter: TokenizerCounter) -> None:
    doc = parse_file(path)
    assert doc.title and doc.title != path.stem
    assert YEAR.search(doc.source), f"{path.name}: the source must name its year"
    assert doc.language == "en"
    assert doc.version and doc.date
    assert len(doc.topics) >= 3
    assert doc.metadata.get("audience") == "trained health workers"
    words = len(doc.text.split())
    assert 300 <= words <= 950, f"{path.name}: {words} words"
    assert len(doc.sections) >= 4 and all(s.heading_path for s in doc.sections)
    assert any("refer" in section.text.lower() for section in doc.sections)
    chunks = Chunker(minilm_counter).chunk(doc)
    assert len(chunks) >= 3
    assert all(0 < chunk.token_count <= 200 for chunk in chunks)


def test_library_covers_the_required_topics(documents: list[Document]) -> None:
    assert len(documents) >= 30
    haystacks = [" | ".join([doc.title, *doc.topics]).lower() for doc in documents]
    missing = [
        topic
        for topic, words in REQUIRED_TOPICS.items()
        if not any(word in haystack for haystack in haystacks for word in words)
    ]
    assert missing == []


def test_titles_are_unique(documents: list[Document]) -> None:
    titles = [doc.title for doc in documents]
    assert len(set(titles)) == len(titles)


def test_whole_library_imports_as_a_batch() -> None:
    batch = parse_files([starter_library_dir()])
    assert batch.total == len(FILES)
    assert batch.errors == []


def test_key_thresholds_are_stated(documents: list[Document]) -> None:
    """A few WHO thresholds the triage engine and answers depend on, stated as WHO states them."""
    text = {doc.path.stem: doc.text for doc in documents}
    assert "50 breaths per minute or more" in text["pneumonia-child"]
    assert "40 breaths per minute or more" in text["pneumonia-child"]
    assert "60 breaths per minute or more" in text["young-infant-danger-signs"]
    assert "MUAC below 115 mm" in text["acute-malnutrition"]
    assert "500 ml or more" in text["postpartum-haemorrhage"]
    assert "140 mmHg or more" in text["hypertension"]
    assert "7.0 mmol/L (126 mg/dL) or more" in text["diabetes"]
    assert "capillary refill time longer than" in text["shock-recognition"]
    # Corrections that must not come back.
    snake = text["snakebite"]
    assert "every hour for the first 3 hours, then every\n  6 hours until 24 hours" in snake
    assert "15 ml/kg IV over 1 hour" in text["acute-malnutrition"]
    assert "oedema of both feet" in text["acute-malnutrition"].lower()
    assert "below 2.5 mmol/L" in text["severe-malaria"]
    assert "below 3.0 mmol/L (54 mg/dL) in a child with severe acute" in text["severe-malaria"]


def test_etat_citation_names_the_right_documents(documents: list[Document]) -> None:
    etat = next(doc for doc in documents if doc.path.stem == "etat-emergency-triage")
    assert "Updated guideline: paediatric emergency triage, assessment and treatment, 2016" in (
        etat.source
    )
    assert "manual for participants, 2005" in etat.source
    assert "manual for participants, 2016" not in etat.source


def test_every_pre_referral_dose_names_its_source(documents: list[Document]) -> None:
    doses = next(doc for doc in documents if doc.path.stem == "pre-referral-doses")
    dose_sections = [
        section
        for section in doses.sections
        if any(word in section.text for word in ("mg/kg", "ml/kg", "tablet"))
    ]
    assert len(dose_sections) >= 5
    for section in dose_sections:
        assert "Source: WHO" in section.text, section.heading_path
    for drug in ("artesunate", "amoxicillin", "ampicillin", "gentamicin", "diazepam", "glucose"):
        assert drug in doses.text.lower()
    assert "adrenaline" in doses.text.lower()
    # Numbers that could not be checked against the printed page are marked for review.
    assert "(check)" in doses.text and doses.metadata.get("clinical_review")
