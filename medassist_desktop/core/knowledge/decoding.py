"""Reading a file's bytes safely, and turning text bytes into str without guessing wildly.

Clinics import whatever they have: exports from old word processors (cp1252),
Windows "Unicode" text (UTF-16 with a byte order mark), files renamed by mistake.
The rules, in order:

1. A file above the size limit is refused from its size alone, before any byte is read
   (a 200 MB file never lands in memory).
2. An empty file, or one with only white space, is refused.
3. A byte order mark decides: UTF-32, UTF-8-SIG, UTF-16 (little or big endian).
4. Without one, NUL bytes or many control characters mean a binary file (a picture or a
   program named .txt); UTF-16 without a byte order mark is not supported.
5. Strict UTF-8; then, for HTML, the charset the page declares; then charset detection
   (charset-normalizer). Detection that finds nothing, or only a decoding full of
   unlikely characters, is refused rather than turned into garbage.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from medassist_desktop.core.knowledge.documents import IngestError
from medassist_desktop.i18n.catalogue import N_

# Control bytes that plain text does not contain (tab, LF, FF, CR and ESC excepted).
_CONTROL_BYTES = bytes(sorted(set(range(32)) - {9, 10, 12, 13, 27} | {127}))
# The same as characters, plus the C1 controls (U+0080-U+009F) a wrong decoding yields.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
# Above this share of control characters, a file is treated as binary.
MAX_CONTROL_RATIO = 0.02
# charset-normalizer's "chaos" (0 clean .. 1 garbage) above which a guess is refused.
MAX_DETECTION_CHAOS = 0.1

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class RawFile:
    """A file's bytes, read once, with their sha256."""

    path: Path
    data: bytes
    sha256: str


def read_limited(path: Path, max_bytes: int) -> RawFile:
    """The bytes of `path`, refused (IngestError) when missing, not a file, too big or empty.

    The size is checked with stat() before reading, and the read itself stops one byte
    past the limit, so a file that grows meanwhile is still refused without loading it.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise IngestError(path, N_("file not found.")) from None
    except OSError as exc:
        raise IngestError(
            path, N_("cannot be read ({value}).", value=exc.strerror or exc)
        ) from None
    if not path.is_file():
        raise IngestError(path, N_("not a regular file."))
    if size > max_bytes:
        raise IngestError(
            path,
            N_(
                "too large ({size}; the limit is {max_bytes}).",
                size=_megabytes(size),
                max_bytes=_megabytes(max_bytes),
            ),
            hint=N_("Split the document, or raise the kb_max_file_mb setting."),
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(
            path, N_("cannot be read ({value}).", value=exc.strerror or exc)
        ) from None
    if len(data) > max_bytes:
        raise IngestError(
            path, N_("too large (more than {max_bytes}).", max_bytes=_megabytes(max_bytes))
        )
    if not data.strip():
        raise IngestError(path, N_("the file is empty."))
    return RawFile(path=path, data=data, sha256=hashlib.sha256(data).hexdigest())


def decode_text(
    path: Path, data: bytes, *, declared_encoding: str | None = None
) -> tuple[str, str]:
    """(text, encoding name) for text bytes, or IngestError saying why they are not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise IngestError(
                    path, N_("the file starts as {upper} but is damaged.", upper=encoding.upper())
                ) from None
            name = "utf-8-sig" if encoding == "utf-8" else encoding
            return _checked_text(path, text), name

    if b"\x00" in data or _control_ratio(data) > MAX_CONTROL_RATIO:
        raise IngestError(
            path,
            N_("this is a binary file, not text."),
            hint=N_("Import text, Markdown, HTML or PDF files."),
        )
    try:
        return _checked_text(path, data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared_encoding:
        try:
            return _checked_text(path, data.decode(declared_encoding)), declared_encoding.lower()
        except (UnicodeDecodeError, LookupError):
            pass
    return _detected(path, data)


def _detected(path: Path, data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > MAX_DETECTION_CHAOS:
        raise IngestError(
            path,
            N_("the text encoding cannot be recognised with confidence."),
            hint=N_("Save the file as UTF-8 and import it again."),
        )
    return _checked_text(path, str(best)), best.encoding


def _checked_text(path: Path, text: str) -> str:
    """Normalised text, refused when it is blank or mostly control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise IngestError(path, N_("the file is empty."))
    if len(_CONTROL_CHARS.findall(text)) > MAX_CONTROL_RATIO * len(text):
        raise IngestError(path, N_("this is a binary file, not text."))
    return text


def _control_ratio(data: bytes) -> float:
    sample = data[: 1 << 20]
    controls = len(sample) - len(sample.translate(None, delete=_CONTROL_BYTES))
    return controls / len(sample)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
