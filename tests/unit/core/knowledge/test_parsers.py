"""Parsing real Markdown, HTML, text and PDF files into Documents."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fpdf import FPDF

from medassist_desktop.core.knowledge.documents import DocumentFormat, IngestError
from medassist_desktop.core.knowledge.parsers import parse_file
from tests.unit.core.knowledge.conftest import write_scanned_pdf, write_text_pdf

MARKDOWN = """---
title: "Severe malaria: pre-referral care"
source: "WHO Guidelines for malaria, 2023"
language: en
version: "1.2"
date: 2025-03-01
topics: [malaria, referral]
reviewed_by: clinic lead
---

Read this before referring.

# Severe malaria

## Danger signs

- Prostration: cannot sit or stand.
- More than two convulsions in 24 hours.

```text
# this is code, not a heading
```

### In children

Give rectal artesunate before referral.

Pre-referral checklist
----------------------

Write the referral note.
"""


def test_markdown_front_matter_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "severe-malaria.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = parse_file(path)
    assert doc.format is DocumentFormat.MARKDOWN
    assert doc.title == "Severe malaria: pre-referral care"
    assert doc.source == "WHO Guidelines for malaria, 2023"
    assert (doc.language, doc.version, doc.date) == ("en", "1.2", "2025-03-01")
    assert doc.topics == ("malaria", "referral")
    assert doc.metadata == {"reviewed_by": "clinic lead"}
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.size_bytes == path.stat().st_size
    assert doc.encoding == "utf-8"

    paths = [section.heading_path for section in doc.sections]
    assert paths == [
        (),
        ("Severe malaria", "Danger signs"),
        ("Severe malaria", "Danger signs", "In children"),
        ("Severe malaria", "Pre-referral checklist"),  # setext heading, level 2
    ]
    danger = doc.sections[1].text
    assert danger.startswith("- Prostration: cannot sit or stand.")
    assert "# this is code, not a heading" in danger  # a '#' in a code block is no heading
    assert "Danger signs" not in danger  # the heading line is in the path, not the text
    assert doc.sections[0].text == "Read this before referring."
    assert all(section.page is None for section in doc.sections)


def test_markdown_without_front_matter_takes_title_from_h1(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Dengue warning signs\n\nAbdominal pain.\n", encoding="utf-8")
    doc = parse_file(path)
    assert doc.title == "Dengue warning signs"
    assert doc.source == "notes.md"
    assert doc.language == "und"
    assert doc.sections[0].heading_path == ("Dengue warning signs",)


def test_markdown_with_bad_front_matter_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: [unclosed\n---\n\nText\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"broken\.md: the front matter .* not valid YAML"):
        parse_file(path)


def test_markdown_with_only_front_matter_and_headings_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "stub.md"
    path.write_text("---\ntitle: Stub\n---\n\n# Heading\n\n## Another\n", encoding="utf-8")
    with pytest.raises(
        IngestError, match=r"stub\.md: the document has no text beyond its headings"
    ):
        parse_file(path)


def test_markdown_in_cp1252_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "ancien.md"
    text = (
        "# Paludisme grave\n\nRéférez l'enfant immédiatement à l'hôpital. La fièvre et la "
        "léthargie sont des signes de danger. Donnez la première dose d'artésunate.\n"
    )
    path.write_bytes(text.encode("cp1252"))
    doc = parse_file(path)
    assert doc.encoding == "cp1252"
    assert "immédiatement à l'hôpital" in doc.text


HTML = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8"><title>Dengue: warning signs</title>
<meta name="keywords" content="dengue, fever">
<style>p { color: red; }</style><script>var tracking = "do not index me";</script>
</head><body>
<nav><a href="/">Home</a> | <a href="/about">Site menu item</a></nav>
<main>
<h1>Dengue</h1>
<p>Dengue is spread by
   Aedes mosquitoes.</p>
<h2>Warning signs</h2>
<ul><li>Abdominal pain or tenderness</li><li>Persistent vomiting</li></ul>
<h3>Laboratory</h3>
<p>Rising haematocrit<br>with falling platelets.</p>
<table><tr><td>Phase</td><td>Days</td></tr></table>
<h2>Home care</h2>
<div><p>Paracetamol, <b>not</b> aspirin.</p></div>
</main>
<footer>Copyright footer text</footer>
</body></html>
"""


def test_html_sections_and_stripping(tmp_path: Path) -> None:
    path = tmp_path / "dengue.html"
    path.write_text(HTML, encoding="utf-8")
    doc = parse_file(path)
    assert doc.format is DocumentFormat.HTML
    assert doc.title == "Dengue: warning signs"
    assert doc.language == "en"
    assert doc.topics == ("dengue", "fever")
    by_path = {section.heading_path: section.text for section in doc.sections}
    assert by_path[("Dengue",)] == "Dengue is spread by Aedes mosquitoes."
    assert by_path[("Dengue", "Warning signs")] == (
        "Abdominal pain or tenderness\n\nPersistent vomiting"
    )
    assert by_path[("Dengue", "Warning signs", "Laboratory")] == (
        "Rising haematocrit\nwith falling platelets.\n\nPhase\n\nDays"
    )
    assert by_path[("Dengue", "Home care")] == "Paracetamol, not aspirin."
    everything = doc.text
    for unwanted in ("do not index me", "color: red", "Site menu item", "Copyright footer"):
        assert unwanted not in everything


def test_html_without_main_reads_body(tmp_path: Path) -> None:
    path = tmp_path / "plain.htm"
    path.write_text("<html><body><h1>Burns</h1><p>Cool with water.</p></body></html>")
    doc = parse_file(path)
    assert doc.title == "Burns"  # no <title>: the first h1
    assert doc.sections[0].heading_path == ("Burns",)


def test_html_with_only_script_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "app.html"
    path.write_text("<html><body><script>render()</script></body></html>")
    with pytest.raises(IngestError, match=r"app\.html: the page has no readable text"):
        parse_file(path)


def test_plain_text_utf16(tmp_path: Path) -> None:
    path = tmp_path / "rabies.txt"
    path.write_text(
        "Rabies exposure categories\n\nCategory III: bites that break the skin.\n",
        encoding="utf-16",
    )
    doc = parse_file(path)
    assert doc.format is DocumentFormat.TEXT
    assert doc.encoding in {"utf-16-le", "utf-16-be"}
    assert doc.title == "Rabies exposure categories"
    assert doc.sections[0].text.endswith("Category III: bites that break the skin.")


def test_pdf_pages_outline_and_metadata(tmp_path: Path) -> None:
    doc = parse_file(write_text_pdf(tmp_path / "malaria.pdf"))
    assert doc.format is DocumentFormat.PDF
    assert doc.title == "Provincial malaria guide"
    assert doc.source == "Provincial Malaria Guideline, 2021"
    assert doc.language == "en"
    assert doc.page_count == 3
    assert doc.topics == ("malaria", "artesunate")
    assert [s.page for s in doc.sections] == [1, 2, 3]
    assert [s.heading_path for s in doc.sections] == [
        ("Diagnosis",),
        ("Severe malaria", "Pre-referral treatment"),
        ("Severe malaria", "Pre-referral treatment"),  # page 3 has no bookmark of its own
    ]
    assert "rapid diagnostic test" in doc.sections[0].text
    assert "rectal artesunate" in doc.sections[1].text
    assert "referral note" in doc.sections[2].text


@pytest.mark.parametrize("with_image", [False, True])
def test_pdf_without_text_layer_is_refused(tmp_path: Path, with_image: bool) -> None:
    path = write_scanned_pdf(tmp_path / "scan.pdf", with_image=with_image)
    with pytest.raises(IngestError) as info:
        parse_file(path)
    assert str(info.value).startswith("scan.pdf: no text layer (scanned PDF?).")


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Confidential")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(IngestError, match=r"locked\.pdf: the PDF is password-protected"):
        parse_file(path)


def test_pdf_encrypted_with_empty_user_password_is_read(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner")  # no user password: opens for anyone
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Hand hygiene: the five moments")
    path = tmp_path / "print-protected.pdf"
    pdf.output(str(path))
    assert "five moments" in parse_file(path).text


def test_damaged_pdf_is_refused(tmp_path: Path) -> None:
    good = write_text_pdf(tmp_path / "good.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(good[:400])
    with pytest.raises(IngestError, match=r"truncated\.pdf: the PDF"):
        parse_file(path)


def test_file_named_pdf_that_is_text(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_text("just some text")
    with pytest.raises(IngestError, match="not a PDF file"):
        parse_file(path)


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "guideline.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(IngestError) as info:
        parse_file(path)
    assert "guideline.docx: unsupported file type '.docx'" in str(info.value)
    assert ".pdf" in str(info.value)  # the hint lists what is supported


def test_size_limit_applies_to_every_format(tmp_path: Path) -> None:
    path = write_text_pdf(tmp_path / "big.pdf")
    with pytest.raises(IngestError, match="too large"):
        parse_file(path, max_file_bytes=100)
