"""HTML pages (saved guideline pages, exported documents) into a Document.

Beautiful Soup with the standard library's parser (no compiled dependency). Scripts,
styles and site chrome (navigation, footers, side bars, forms) are dropped; h1-h6 start
sections; block elements (paragraphs, list items, table cells...) become paragraphs.
When the page has a <main> or <article>, only that is read.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from bs4.dammit import EncodingDetector
from bs4.element import Comment, Doctype, NavigableString, Tag

from medassist_desktop.core.knowledge.decoding import RawFile, decode_text
from medassist_desktop.core.knowledge.documents import (
    UNKNOWN_LANGUAGE,
    Document,
    DocumentFormat,
    IngestError,
    Section,
)
from medassist_desktop.core.knowledge.parsers import normalise_paragraphs, title_from_path
from medassist_desktop.i18n.catalogue import N_

# Elements whose content is never reference text.
DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "iframe",
    "svg",
    "canvas",
    "object",
    "embed",
)
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCK_TAGS = frozenset(
    {
        *("address", "article", "blockquote", "caption", "dd", "details", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "header", "hr", "li", "main", "ol", "p", "pre"),
        *("section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
_LINE_BREAK = "\u2028"  # stands for <br> until a paragraph is flushed
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def parse_html(raw: RawFile) -> Document:
    declared = EncodingDetector.find_declared_encoding(raw.data, is_html=True)
    text, encoding = decode_text(raw.path, raw.data, declared_encoding=declared)
    soup = BeautifulSoup(text, "html.parser")
    for element in soup.find_all(DROPPED_TAGS):
        element.decompose()

    title_tag = soup.find("title")
    page_title = title_tag.get_text(" ", strip=True) if title_tag else ""
    root = soup.find("main") or soup.find("article") or soup.find("body") or soup
    walker = _SectionWalker()
    walker.walk(root)
    sections = walker.finish()
    if not sections:
        raise IngestError(raw.path, N_("the page has no readable text."))

    first_h1 = root.find("h1") if isinstance(root, Tag) else None
    title = page_title or (first_h1.get_text(" ", strip=True) if first_h1 else "")
    html_tag = soup.find("html")
    language = _attribute(html_tag, "lang") or UNKNOWN_LANGUAGE
    meta = _meta_values(soup)
    return Document(
        path=raw.path,
        format=DocumentFormat.HTML,
        title=title or title_from_path(raw.path),
        source=meta.pop("citation_publisher", "") or meta.pop("dc.source", "") or raw.path.name,
        language=language,
        sections=sections,
        sha256=raw.sha256,
        size_bytes=len(raw.data),
        version=meta.pop("version", None),
        date=meta.pop("dcterms.date", None) or meta.pop("date", None),
        topics=tuple(k.strip() for k in meta.pop("keywords", "").split(",") if k.strip()),
        encoding=encoding,
        metadata=meta,
    )


class _SectionWalker:
    """Walks the tree in document order, collecting paragraphs under the current headings."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.stack: list[tuple[int, str]] = []
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []

    def walk(self, node: Tag | BeautifulSoup) -> None:
        for child in node.children:
            if isinstance(child, Comment | Doctype):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
            elif isinstance(child, Tag):
                self._tag(child)

    def _tag(self, tag: Tag) -> None:
        name = tag.name.lower()
        if name in HEADING_TAGS:
            self._flush_section()
            level = HEADING_TAGS[name]
            while self.stack and self.stack[-1][0] >= level:
                self.stack.pop()
            heading = tag.get_text(" ", strip=True)
            if heading:
                self.stack.append((level, _SPACES.sub(" ", heading)))
        elif name == "br":
            self.buffer.append(_LINE_BREAK)
        elif name == "pre":
            self._flush_paragraph()
            self.paragraphs.append(tag.get_text().strip("\n"))
        elif name in BLOCK_TAGS:
            self._flush_paragraph()
            self.walk(tag)
            self._flush_paragraph()
        else:
            self.walk(tag)

    def _flush_paragraph(self) -> None:
        # Source line ends are only white space in HTML; a <br> is a real line break.
        text = "".join(self.buffer).replace("\n", " ")
        self.buffer.clear()
        lines = (_SPACES.sub(" ", line).strip() for line in text.split(_LINE_BREAK))
        joined = "\n".join(line for line in lines if line)
        if joined:
            self.paragraphs.append(joined)

    def _flush_section(self) -> None:
        self._flush_paragraph()
        text = normalise_paragraphs("\n\n".join(self.paragraphs))
        self.paragraphs.clear()
        if text:
            path = tuple(heading for _, heading in self.stack)
            self.sections.append(Section(heading_path=path, text=text))

    def finish(self) -> tuple[Section, ...]:
        self._flush_section()
        return tuple(self.sections)


def _attribute(tag: Any, name: str) -> str | None:
    if not isinstance(tag, Tag):
        return None
    value = tag.get(name)
    if isinstance(value, list):
        value = " ".join(value)
    return value.strip() or None if isinstance(value, str) else None


def _meta_values(soup: BeautifulSoup) -> dict[str, str]:
    """<meta name=... content=...> pairs, names lower-cased."""
    values: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        name = _attribute(meta, "name") or _attribute(meta, "property")
        content = _attribute(meta, "content")
        if name and content:
            values.setdefault(name.lower(), content)
    return values
