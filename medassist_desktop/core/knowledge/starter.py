"""The starter clinical library shipped in resources/knowledge/ (imported on first run).

Short reference documents written by the project from WHO and other public guidance,
each naming its source document and year in its front matter. A clinic replaces or
extends them with its national guidelines through import.
"""

from __future__ import annotations

from pathlib import Path

from medassist_desktop.resources import resources_dir

STARTER_LIBRARY_FOLDER = "knowledge"


def starter_library_dir() -> Path:
    return resources_dir() / STARTER_LIBRARY_FOLDER


def starter_library_files() -> list[Path]:
    """The library's Markdown documents, in name order (empty if the folder is missing)."""
    folder = starter_library_dir()
    return sorted(folder.glob("*.md")) if folder.is_dir() else []
