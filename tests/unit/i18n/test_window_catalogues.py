"""The window's translations for id and vi: complete, current with the code, well formed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.catalogues import LANGUAGES, TRANSLATIONS, Entry, read_ts

ROOT = TRANSLATIONS.parents[1]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%n")
MNEMONIC = re.compile(r"&\w")


def _catalogue(code: str) -> list[Entry]:
    return read_ts(TRANSLATIONS / f"medassist_{code}.ts")


def _targets(entry: Entry) -> list[str]:
    return list(entry.forms) if entry.numerus else [entry.translation]


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("prefix", ["medassist_", "qtbase_extra_"])
def test_every_message_is_finished(code: str, prefix: str) -> None:
    entries = read_ts(TRANSLATIONS / f"{prefix}{code}.ts")
    assert len(entries) > 40
    unfinished = [e.source for e in entries if not e.finished or not all(_targets(e))]
    assert not unfinished, unfinished


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_placeholders_mnemonics_and_one_plural_form(code: str) -> None:
    problems = []
    for entry in _catalogue(code):
        if entry.numerus and len(entry.forms) != 1:  # Indonesian and Vietnamese: one form
            problems.append(f"{entry.source!r}: {len(entry.forms)} plural forms")
        for target in _targets(entry):
            if sorted(PLACEHOLDER.findall(entry.source)) != sorted(PLACEHOLDER.findall(target)):
                problems.append(f"{entry.source!r} -> {target!r}: placeholders differ")
            if MNEMONIC.search(entry.source) and not MNEMONIC.search(target):
                problems.append(f"{entry.source!r} -> {target!r}: the mnemonic is lost")
            if entry.source.startswith(" ") != target.startswith(" "):
                problems.append(f"{entry.source!r} -> {target!r}: the leading space differs")
    assert not problems, "\n".join(problems)


def test_the_catalogues_hold_every_text_of_the_code(tmp_path: Path) -> None:
    """`make translations` was run after the last change to a tr() text."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    tool = str(lupdate) if lupdate.exists() else shutil.which("pyside6-lupdate")
    assert tool, "pyside6-lupdate (PySide6) is missing"
    sources = sorted(
        str(p)
        for folder in ("medassist_desktop/ui", "medassist_desktop/workers")
        for p in (ROOT / folder).rglob("*.py")
    )
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [tool, "-no-obsolete", "-locations", "none", *sources, "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    in_code = {(e.context, e.source) for e in read_ts(fresh)}
    assert len(in_code) > 400
    for code in LANGUAGES:
        shipped = {(e.context, e.source) for e in _catalogue(code)}
        assert in_code - shipped == set(), f"{code}: not in the catalogue; run make translations"
        assert shipped - in_code == set(), f"{code}: no longer in the code; run make translations"


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("prefix", ["medassist_", "qtbase_extra_"])
def test_the_compiled_catalogue_matches_its_source(code: str, prefix: str) -> None:
    """The committed .qm (what the app loads) was compiled from the current .ts."""
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / f"{prefix}{code}.qm"))
    stale = [
        entry.source
        for entry in read_ts(TRANSLATIONS / f"{prefix}{code}.ts")
        if translator.translate(entry.context, entry.source, None, 1 if entry.numerus else -1)
        != (entry.forms[0] if entry.numerus else entry.translation)
    ]
    assert not stale, f"run make translations: {stale[:5]}"
