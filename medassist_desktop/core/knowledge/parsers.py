"""One file in, one `Document` out: plain text and Markdown here, HTML and PDF beside.

`parse_file` is the entry point: it refuses what cannot be imported (IngestError with
the file name and the reason) and dispatches on the file name's ending. Markdown may
start with a front matter block (YAML between `---` lines) naming the title, source,
version, date, language and topics; its headings become the section structure.

Front matter is read as data from a file anyone may have written, so it is bounded
before YAML sees it: at most 8 KB, no anchors or aliases (a 422-byte "billion laughs"
block of nested aliases becomes hundreds of millions of characters once its values are
turned into text), each value at most 2,000 characters and each list at most 100 items.
Metadata needs none of these features or sizes; a file that uses them is refused with
the reason, never half-read.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from medassist_desktop.core.knowledge.decoding import RawFile, decode_text, read_limited
from medassist_desktop.core.knowledge.documents import (
    SUPPORTED_EXTENSIONS,
    UNKNOWN_LANGUAGE,
    Document,
    DocumentFormat,
    IngestError,
    Section,
)
from medassist_desktop.i18n.catalogue import N_

DEFAULT_MAX_FILE_MB = 50
MAX_TITLE_CHARS = 120
MAX_FRONT_MATTER_BYTES = 8 * 1024
MAX_FRONT_MATTER_VALUE_CHARS = 2000
MAX_FRONT_MATTER_LIST_ITEMS = 100

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


def document_format(path: Path) -> DocumentFormat:
    """The format a file is parsed as, from its name; IngestError for other endings."""
    fmt = SUPPORTED_EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        kinds = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        raise IngestError(
            path,
            N_("unsupported file type '{value}'.", value=path.suffix or "(none)"),
            hint=N_("Supported: {kinds}.", kinds=kinds),
        )
    return fmt


def parse_file(path: Path, *, max_file_bytes: int = DEFAULT_MAX_FILE_MB * 1024 * 1024) -> Document:
    """Parse one file into a Document; IngestError (naming the file) when it cannot be."""
    fmt = document_format(path)
    raw = read_limited(path, max_file_bytes)
    return parse_bytes(raw, fmt)


def parse_bytes(raw: RawFile, fmt: DocumentFormat) -> Document:
    """Parse bytes already read (and size-checked) as the given format."""
    if fmt is DocumentFormat.PDF:
        from medassist_desktop.core.knowledge.pdf_parser import parse_pdf

        return parse_pdf(raw)
    if fmt is DocumentFormat.HTML:
        from medassist_desktop.core.knowledge.html_parser import parse_html

        return parse_html(raw)
    text, encoding = decode_text(raw.path, raw.data)
    if fmt is DocumentFormat.MARKDOWN:
        return parse_markdown(raw, text, encoding)
    return parse_plain_text(raw, text, encoding)


def parse_plain_text(raw: RawFile, text: str, encoding: str) -> Document:
    """Plain text has no structure beyond paragraphs: one section, titled by its first line."""
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    title = first_line if len(first_line) <= MAX_TITLE_CHARS else title_from_path(raw.path)
    return Document(
        path=raw.path,
        format=DocumentFormat.TEXT,
        title=title,
        source=raw.path.name,
        language=UNKNOWN_LANGUAGE,
        sections=(Section(heading_path=(), text=normalise_paragraphs(text)),),
        sha256=raw.sha256,
        size_bytes=len(raw.data),
        encoding=encoding,
    )


def parse_markdown(raw: RawFile, text: str, encoding: str) -> Document:
    """Markdown: front matter for the metadata, ATX/setext headings for the sections."""
    meta, body = split_front_matter(raw.path, text)
    sections, first_h1 = markdown_sections(body)
    if not sections:
        raise IngestError(raw.path, N_("the document has no text beyond its headings."))
    title = _text_value(meta.pop("title", None)) or first_h1 or title_from_path(raw.path)
    source = _text_value(meta.pop("source", None)) or raw.path.name
    language = _text_value(meta.pop("language", None) or meta.pop("lang", None))
    version = _text_value(meta.pop("version", None))
    date = _text_value(meta.pop("date", None))
    topics = _topics(meta.pop("topics", None) or meta.pop("tags", None))
    return Document(
        path=raw.path,
        format=DocumentFormat.MARKDOWN,
        title=title,
        source=source,
        language=language or UNKNOWN_LANGUAGE,
        sections=sections,
        sha256=raw.sha256,
        size_bytes=len(raw.data),
        version=version,
        date=date,
        topics=topics,
        encoding=encoding,
        metadata={str(key): _text_value(value) or "" for key, value in meta.items()},
    )


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    """(front matter mapping, rest of the text); an empty mapping when there is none."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    body = match.group("body")
    if len(body.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise IngestError(
            path,
            N_("the front matter is larger than {value} KB.", value=MAX_FRONT_MATTER_BYTES // 1024),
            hint=N_("Front matter holds a few metadata lines (title, source, date...)."),
        )
    try:
        _refuse_anchors_and_aliases(path, body)
        meta = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        raise IngestError(
            path,
            N_(
                "the front matter (between the first two '---' lines) is not valid YAML: {reason}",
                reason=exc,
            ),
        ) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise IngestError(path, N_("the front matter must be 'key: value' lines."))
    for key, value in meta.items():
        _check_value_size(path, str(key), value)
    return meta, text[match.end() :]


def _refuse_anchors_and_aliases(path: Path, body: str) -> None:
    """IngestError if the YAML uses anchors (&name) or aliases (*name): scanning is linear
    in the text, so nothing is expanded before the refusal."""
    for token in yaml.scan(body, Loader=yaml.SafeLoader):
        if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
            raise IngestError(
                path,
                N_(
                    "the front matter uses YAML anchors or aliases ('&' / '*'), which are "
                    "not accepted in metadata."
                ),
                hint=N_("Write each value out in full."),
            )


def _check_value_size(path: Path, key: str, value: Any, depth: int = 0) -> None:
    """IngestError if a front matter value is too long, too nested or a list too long."""
    if depth > 2:
        raise IngestError(path, N_("the front matter value '{key}' is nested too deeply.", key=key))
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        if len(str(value)) > MAX_FRONT_MATTER_VALUE_CHARS:
            raise IngestError(
                path,
                N_(
                    "the front matter value '{key}' is longer than "
                    "{max_front_matter_value_chars} characters.",
                    key=key,
                    max_front_matter_value_chars=MAX_FRONT_MATTER_VALUE_CHARS,
                ),
            )
        return
    if len(items) > MAX_FRONT_MATTER_LIST_ITEMS:
        raise IngestError(
            path,
            N_(
                "the front matter value '{key}' has more than {max_front_matter_list_items} items.",
                key=key,
                max_front_matter_list_items=MAX_FRONT_MATTER_LIST_ITEMS,
            ),
        )
    for item in items:
        _check_value_size(path, key, item, depth + 1)


def markdown_sections(body: str) -> tuple[tuple[Section, ...], str | None]:
    """The sections under each heading, and the text of the first level-1 heading.

    markdown-it finds the headings (so a '#' inside a code block is not one); the text
    between two headings is kept as written, Markdown list markers included.
    """
    lines = body.split("\n")
    tokens = MarkdownIt("commonmark").parse(body)
    headings: list[tuple[int, int, int, str]] = []  # (start line, end line, level, text)
    for position, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None:
            inline = tokens[position + 1]
            text = "".join(
                child.content for child in inline.children or [] if child.type != "softbreak"
            ).strip()
            headings.append((token.map[0], token.map[1], int(token.tag[1]), text))

    first_h1 = next((text for _, _, level, text in headings if level == 1 and text), None)
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []

    def add(path: tuple[str, ...], start: int, end: int) -> None:
        text = normalise_paragraphs("\n".join(lines[start:end]))
        if text:
            sections.append(Section(heading_path=path, text=text))

    add((), 0, headings[0][0] if headings else len(lines))
    for index, (_, end_line, level, text) in enumerate(headings):
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, text))
        next_start = headings[index + 1][0] if index + 1 < len(headings) else len(lines)
        add(tuple(heading for _, heading in stack if heading), end_line, next_start)
    return tuple(sections), first_h1


def normalise_paragraphs(text: str) -> str:
    """Trailing spaces removed, runs of blank lines made one, ends stripped."""
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def title_from_path(path: Path) -> str:
    """A readable title from a file name: 'who_imci-chart.md' -> 'who imci chart'."""
    return re.sub(r"[_\-\s]+", " ", path.stem).strip() or path.name


def _text_value(value: Any) -> str | None:
    """A front matter value as text (YAML turns 2014-01-31 into a date, 1.0 into a float)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    text = str(value).strip()
    return text or None


def _topics(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())
