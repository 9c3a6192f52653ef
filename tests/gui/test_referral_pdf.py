"""The referral summary becomes a real PDF whose text can be read back."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from medassist_desktop.services.referral import referral_html
from medassist_desktop.ui.referral import export_pdf


def test_pdf_is_written_and_readable(qtbot: QtBot, tmp_path: Path) -> None:
    html = referral_html(
        {"name": "Chanthy Meas", "age_months": 30, "signs": ["lethargic"]},
        {
            "level": "emergency",
            "findings": [{"rule": "imci-gds", "label": "Lethargic", "source": "WHO IMCI 2014"}],
            "rules_version": "v1",
        },
        clinic="Battambang HC",
        prepared_by="Nurse Vy",
    )
    path = export_pdf(html, tmp_path / "referral.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Chanthy Meas" in text and "EMERGENCY" in text and "Battambang HC" in text
    assert not (tmp_path / "referral.pdf.part").exists()
