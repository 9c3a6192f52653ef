"""What ingestion produces: a `Document` of `Section`s, and the `IngestError` it can raise.

A document keeps what a health worker needs to check an answer against its source:
the title, the source it comes from (a guideline and its year), its version or date,
its language, and its text split into sections under their headings (with the page
number for PDFs). The sha256 of the raw file bytes identifies the content, so the
knowledge base can tell an unchanged re-import from a changed file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_, Message

UNKNOWN_LANGUAGE = "und"  # BCP 47 "undetermined"


class DocumentFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    PDF = "pdf"


# File name endings we read, and the format each one is parsed as.
SUPPORTED_EXTENSIONS: dict[str, DocumentFormat] = {
    ".txt": DocumentFormat.TEXT,
    ".text": DocumentFormat.TEXT,
    ".md": DocumentFormat.MARKDOWN,
    ".markdown": DocumentFormat.MARKDOWN,
    ".html": DocumentFormat.HTML,
    ".htm": DocumentFormat.HTML,
    ".pdf": DocumentFormat.PDF,
}


class IngestError(KnownError):
    """One file cannot be imported; the message names the file and says why."""

    def __init__(
        self, path: Path, reason: Message | str, *, hint: Message | str | None = None
    ) -> None:
        super().__init__(N_("{file}: {reason}", file=path.name, reason=reason), hint=hint)
        self.path = path
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Section:
    """A run of text under one heading path.

    `heading_path` is the stack of headings above the text, outermost first, e.g.
    ("Malaria", "Severe malaria", "Pre-referral treatment"); empty for text before the
    first heading. `text` keeps paragraphs separated by blank lines. `page` is the
    1-based PDF page the text is on (a PDF gives one section per page and heading),
    None for formats without pages.
    """

    heading_path: tuple[str, ...]
    text: str
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One parsed file. Immutable; the chunker reads it, storage records it."""

    path: Path
    format: DocumentFormat
    title: str
    source: str
    language: str
    sections: tuple[Section, ...]
    sha256: str
    size_bytes: int
    version: str | None = None
    date: str | None = None
    topics: tuple[str, ...] = ()
    encoding: str | None = None
    page_count: int | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The file name, as shown in import summaries."""
        return self.path.name

    @property
    def text(self) -> str:
        """All section text, in order (for keyword checks and previews)."""
        return "\n\n".join(section.text for section in self.sections)
