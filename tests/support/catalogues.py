"""Reading the window's translation sources (resources/translations/*.ts) in tests."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
LANGUAGES = ("id", "vi")


@dataclass(frozen=True)
class Entry:
    context: str
    source: str
    translation: str
    forms: tuple[str, ...]  # numerus forms; empty for a plain message
    finished: bool
    numerus: bool


def read_ts(path: Path) -> list[Entry]:
    root = ET.parse(path).getroot()  # noqa: S314 - a file of this repository
    entries = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{path}: a message without a translation element"
            forms = tuple(form.text or "" for form in translation.iter("numerusform"))
            entries.append(
                Entry(
                    context=name,
                    source=message.findtext("source") or "",
                    translation=translation.text or "",
                    forms=forms,
                    finished=translation.get("type") not in ("unfinished", "vanished", "obsolete"),
                    numerus=message.get("numerus") == "yes",
                )
            )
    return entries


def plain(text: str) -> str:
    """The text as seen: without markup and mnemonic ampersands."""
    return re.sub(r"&(?=\w)", "", re.sub(r"<[^>]+>", "", text)).strip()
