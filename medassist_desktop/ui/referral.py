"""Print or save the referral summary as PDF (QTextDocument + QPrinter)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from medassist_desktop.errors import KnownError


def export_pdf(html: str, path: Path) -> Path:
    """Write the summary as a one-page A4 PDF; a clear error if the file cannot be written."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    temporary = path.with_name(path.name + ".part")
    printer.setOutputFileName(str(temporary))
    document = QTextDocument()
    document.setHtml(html)
    document.print_(printer)
    if not temporary.exists() or temporary.stat().st_size == 0:
        raise KnownError(f"Could not write the PDF to {path}.", hint="Choose another folder.")
    temporary.replace(path)
    return path
