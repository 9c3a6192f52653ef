"""Parsers that misbehave the way a hostile file makes a real one misbehave.

They run in the import's child process (isolation.py), so they must be importable
module-level functions.
"""

from __future__ import annotations

import time

from medassist_desktop.core.knowledge.decoding import RawFile
from medassist_desktop.core.knowledge.documents import Document, DocumentFormat
from medassist_desktop.core.knowledge.parsers import parse_bytes


def exhausting_memory(raw: RawFile, fmt: DocumentFormat) -> Document:
    """Allocates 4 GiB when the file says 'explode', else parses normally."""
    if b"explode" in raw.data:
        hoard = [bytearray(256 * 1024 * 1024) for _ in range(16)]
        raise AssertionError(f"allocated {len(hoard)} blocks: no memory limit")
    return parse_bytes(raw, fmt)


def hanging(raw: RawFile, fmt: DocumentFormat) -> Document:
    """Never returns when the file says 'hang', else parses normally."""
    if b"hang" in raw.data:
        time.sleep(3600)
    return parse_bytes(raw, fmt)


def crashing(raw: RawFile, fmt: DocumentFormat) -> Document:
    """Raises a plain bug (not a refusal) when the file says 'crash'."""
    if b"crash" in raw.data:
        raise RuntimeError("parser bug")
    return parse_bytes(raw, fmt)
