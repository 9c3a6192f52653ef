"""PDF files into a Document with one section per page (and outline heading).

pypdf extracts the text layer page by page, so every passage keeps the page a health
worker can turn to. When the PDF has an outline (bookmarks), each page's text sits
under the heading path of the last bookmark at or before that page. A PDF whose pages
carry no text at all is a scan: it is refused with a message that says so (optical
character recognition is out of scope).
"""

from __future__ import annotations

import io
import re
from typing import Any

from loguru import logger

from medassist_desktop.core.knowledge.decoding import RawFile
from medassist_desktop.core.knowledge.documents import (
    UNKNOWN_LANGUAGE,
    Document,
    DocumentFormat,
    IngestError,
    Section,
)
from medassist_desktop.core.knowledge.parsers import normalise_paragraphs, title_from_path
from medassist_desktop.i18n.catalogue import N_

_log = logger.bind(area="knowledge")
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def parse_pdf(raw: RawFile) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    path = raw.path
    if not raw.data.lstrip()[:5].startswith(b"%PDF"):
        raise IngestError(path, N_("this is not a PDF file (no PDF header)."))
    try:
        reader = PdfReader(io.BytesIO(raw.data))
        if reader.is_encrypted and not _open_without_password(reader):
            raise IngestError(
                path,
                N_("the PDF is password-protected."),
                hint=N_("Save an unprotected copy and import that."),
            )
        page_texts = [_page_text(page) for page in reader.pages]
        headings = _outline_headings(reader, len(page_texts))
        info = _info(reader)
        language = _catalog_language(reader)
    except IngestError:
        raise
    except PyPdfError as exc:
        raise IngestError(path, N_("the PDF cannot be read ({reason}).", reason=exc)) from None
    except Exception as exc:  # pypdf meets damaged files with assorted built-in errors
        _log.opt(exception=True).warning("pypdf failed on {}", path.name)
        raise IngestError(
            path,
            N_(
                "the PDF is damaged or cannot be read ({name}: {reason}).",
                name=type(exc).__name__,
                reason=exc,
            ),
        ) from None

    if not page_texts:
        raise IngestError(path, N_("the PDF has no pages."))
    sections = tuple(
        Section(heading_path=headings[index], text=text, page=index + 1)
        for index, text in enumerate(page_texts)
        if text
    )
    if not sections:
        raise IngestError(
            path,
            N_("no text layer (scanned PDF?)."),
            hint=N_("Use a PDF with selectable text, or run text recognition (OCR) on it first."),
        )
    return Document(
        path=path,
        format=DocumentFormat.PDF,
        title=info.pop("title", "") or title_from_path(path),
        source=info.pop("subject", "") or path.name,
        language=language or UNKNOWN_LANGUAGE,
        sections=sections,
        sha256=raw.sha256,
        size_bytes=len(raw.data),
        date=info.pop("date", None),
        topics=tuple(k.strip() for k in info.pop("keywords", "").split(",") if k.strip()),
        page_count=len(page_texts),
        metadata=info,
    )


def _open_without_password(reader: Any) -> bool:
    """Many PDFs are encrypted with an empty user password only to restrict printing."""
    from pypdf.errors import PyPdfError

    try:
        return bool(reader.decrypt(""))
    except (PyPdfError, NotImplementedError):
        return False


def _page_text(page: Any) -> str:
    text = page.extract_text() or ""
    return normalise_paragraphs(text.replace("\x00", ""))


def _outline_headings(reader: Any, page_count: int) -> list[tuple[str, ...]]:
    """For each page, the heading path of the last outline entry starting on or before it."""
    starts: list[tuple[int, tuple[str, ...]]] = []

    def visit(items: list[Any], parents: tuple[str, ...]) -> None:
        last: tuple[str, ...] = parents
        for item in items:
            if isinstance(item, list):
                visit(item, last)
                continue
            title = " ".join(str(getattr(item, "title", "") or "").split())
            if not title:
                continue
            last = (*parents, title)
            page = reader.get_destination_page_number(item)
            if page is not None and 0 <= page < page_count:
                starts.append((page, last))

    try:
        visit(list(reader.outline), ())
    except Exception as exc:  # a broken outline must not cost the text: headings are extra
        _log.warning("Ignoring the unreadable outline of a PDF: {}", exc)
        starts = []
    # Stable sort: entries on the same page keep outline order, so the last one wins.
    starts.sort(key=lambda entry: entry[0])
    paths: list[tuple[str, ...]] = []
    current: tuple[str, ...] = ()
    position = 0
    for page in range(page_count):
        while position < len(starts) and starts[position][0] <= page:
            current = starts[position][1]
            position += 1
        paths.append(current)
    return paths


def _info(reader: Any) -> dict[str, str]:
    """Title, subject, keywords and date (YYYY[-MM[-DD]]) from the document information."""
    meta = reader.metadata or {}
    values: dict[str, str] = {}
    for key in ("/Title", "/Subject", "/Keywords", "/Author"):
        value = meta.get(key)
        if value and str(value).strip():
            values[key[1:].lower()] = " ".join(str(value).split())
    raw_date = meta.get("/CreationDate") or meta.get("/ModDate")
    match = _PDF_DATE.match(str(raw_date or ""))
    if match:
        values["date"] = "-".join(part for part in match.groups() if part)
    return values


def _catalog_language(reader: Any) -> str | None:
    try:
        lang = reader.root_object.get("/Lang")
    except Exception:  # a damaged catalogue: the language is optional
        return None
    return str(lang).strip() or None if lang else None
