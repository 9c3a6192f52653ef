"""Print or save the referral summary as PDF (QTextDocument + QPdfWriter).

The summary names the patient, so the file is written like key material: rendered in
memory, then written through a random temporary name in the target folder (created
0600, readable by this user only), fsynced and renamed over the target. A crash leaves
the old file or the new one, and no other account on the computer can read either.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from medassist_desktop.atomic_io import atomic_write_bytes
from medassist_desktop.errors import KnownError


@dataclass(frozen=True)
class ExportedPdf:
    path: Path
    sha256: str
    size: int


def render_pdf(html: str) -> bytes:
    """The summary as a one-page A4 PDF, in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Portrait)
    writer.setResolution(300)
    document = QTextDocument()
    document.setHtml(html)
    document.print_(writer)
    del writer  # finishes the PDF
    buffer.close()
    return bytes(data.data())


def write_pdf(html: str, path: Path) -> ExportedPdf:
    """Render and write the summary (0600, atomic); a clear error if it cannot be written."""
    pdf = render_pdf(html)
    if not pdf.startswith(b"%PDF"):
        raise KnownError(f"Could not write the PDF to {path}.", hint="Choose another folder.")
    try:
        atomic_write_bytes(path, pdf)
    except OSError as exc:
        raise KnownError(
            f"Could not write the PDF to {path} ({exc.strerror or exc}).",
            hint="Choose another folder.",
        ) from exc
    return ExportedPdf(path, hashlib.sha256(pdf).hexdigest(), len(pdf))


def export_pdf(html: str, path: Path) -> Path:
    """Write the summary as a one-page A4 PDF; returns its path."""
    return write_pdf(html, path).path
