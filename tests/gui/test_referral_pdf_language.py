"""The referral summary in the health worker's language, with an English copy on request,
printed to a real PDF and read back."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from medassist_desktop.core.triage import TriageEngine, load_rules
from medassist_desktop.services.referral import referral_copies
from medassist_desktop.ui.referral import export_pdf

CASE = {
    "name": "Nguyễn Thị Lan",
    "age_months": 30,
    "sex": "female",
    "signs": ["lethargic", "stiff_neck"],
    "vitals": {"temperature_c": 39.2, "respiratory_rate": 44},
}


def _pages(path: Path) -> list[str]:
    """Each page's text; NFKC undoes the "ff" ligatures the PDF writer uses."""
    reader = PdfReader(path)
    return [
        unicodedata.normalize("NFKC", " ".join(page.extract_text().split()))
        for page in reader.pages
    ]


def test_vietnamese_summary_with_an_english_copy(qtbot: QtBot, tmp_path: Path) -> None:
    clinical = {key: value for key, value in CASE.items() if key != "name"}
    triage = TriageEngine(load_rules()).triage(clinical).as_dict()
    html = referral_copies(
        CASE,
        triage,
        clinic="Trạm Y tế xã An Phú",
        prepared_by="Y sĩ Hoa",
        language="vi",
        english_copy=True,
    )
    pages = _pages(export_pdf(html, tmp_path / "chuyen-tuyen.pdf"))
    assert len(pages) == 2  # the English copy starts on its own page
    vietnamese, english = pages
    assert "Tóm tắt chuyển tuyến" in vietnamese and "Nguyễn Thị Lan" in vietnamese
    assert "CẤP CỨU" in vietnamese and "Cứng gáy" in vietnamese
    assert "2 tuổi 6 tháng" in vietnamese and "39.2 °C" in vietnamese
    assert "Referral summary" in english and "EMERGENCY" in english
    assert "Nguyễn Thị Lan" in english and "39.2 °C" in english
    # The rule ids are the same on both pages: only the words were translated.
    for finding in triage["findings"]:
        assert finding["rule"] in vietnamese and finding["rule"] in english


def test_without_the_english_copy_one_language_only(qtbot: QtBot, tmp_path: Path) -> None:
    html = referral_copies(
        CASE, None, clinic="Puskesmas", prepared_by="Bidan Sari", language="id", english_copy=False
    )
    pages = _pages(export_pdf(html, tmp_path / "rujukan.pdf"))
    assert len(pages) == 1
    assert "Ringkasan rujukan" in pages[0] and "Referral summary" not in pages[0]
    assert "Kaku kuduk" in pages[0] and "2 tahun 6 bulan" in pages[0]
