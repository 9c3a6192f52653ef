"""The message catalogues of the Qt-free layers: complete, current, and safe to render.

Every message has a finished Indonesian and Vietnamese translation with the same
placeholders as the English (a mismatch would raise or drop a value on screen) and
the same numbers (a translation may never change a clinical number), and the compiled
`.mo` files match their `.po` sources.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from medassist_desktop.i18n.catalogue import (
    LOCALE_DIR,
    N_,
    Message,
    missing_catalogues,
    translate,
    translations,
)

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "medassist_desktop"
LANGUAGES = ("id", "vi")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _catalog(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "medassist.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _fields(text: str) -> list[tuple[str, str, str | None]]:
    """The replacement fields of a format string: (name, format spec, conversion)."""
    return sorted(
        (name, spec or "", conversion)
        for _literal, name, spec, conversion in Formatter().parse(text)
        if name is not None
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_fields_and_numbers(language: str) -> None:
    catalog = _catalog(language)
    messages = [message for message in catalog if message.id]
    assert len(messages) > 500  # errors, clinical wording, referral summary
    problems = []
    for message in messages:
        source, translation = str(message.id), str(message.string or "")
        if not translation.strip() or message.fuzzy:
            problems.append(f"unfinished: {source!r}")
        elif _fields(source) != _fields(translation):
            problems.append(f"fields differ: {source!r} -> {translation!r}")
        elif sorted(NUMBER.findall(source)) != sorted(NUMBER.findall(translation)):
            problems.append(f"numbers differ: {source!r} -> {translation!r}")
    assert problems == []


def test_catalogues_are_current_with_the_code_and_compiled() -> None:
    """`make translations-messages` was run: no marked message is missing, every .mo fresh."""
    check = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "messages.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr


def _known_error_names() -> set[str]:
    from medassist_desktop.errors import KnownError

    names: set[str] = set()
    pending: list[type[BaseException]] = [KnownError]
    while pending:
        cls = pending.pop()
        names.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    return names


def test_no_known_error_is_raised_with_text_outside_the_catalogue() -> None:
    """A literal or f-string message (or hint) would reach the screen untranslated."""
    # Every module outside ui/ and workers/, imported so that every subclass is known
    # (whatever other tests happened to import first).
    import medassist_desktop

    for module in pkgutil.walk_packages(medassist_desktop.__path__, "medassist_desktop."):
        if not module.name.startswith(("medassist_desktop.ui", "medassist_desktop.workers")):
            importlib.import_module(module.name)

    names = _known_error_names()
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if {"ui", "workers"} & set(path.relative_to(PACKAGE).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name not in names:
                continue
            texts = [*node.args[:2], *(k.value for k in node.keywords if k.arg == "hint")]
            for text in texts:
                if isinstance(text, ast.JoinedStr) or (
                    isinstance(text, ast.Constant) and isinstance(text.value, str)
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_a_message_renders_in_each_language_and_falls_back_to_english() -> None:
    message = N_("Cannot read {where} ({value}).", where="case.json", value="Permission denied")
    assert message.render("en") == "Cannot read case.json (Permission denied)."
    assert message.render("vi") == "Không thể đọc case.json (Permission denied)."
    assert message.render("id") == "Tidak dapat membaca case.json (Permission denied)."
    # A language the app does not ship, and a message not in the catalogue: English.
    assert message.render("fr") == "Cannot read case.json (Permission denied)."
    assert N_("Not a catalogue message {n}", n=3).render("vi") == "Not a catalogue message 3"


def test_arguments_that_are_messages_render_in_the_same_language() -> None:
    reason = N_("the PDF has no pages.")
    message = N_("{file}: {reason}", file="chart.pdf", reason=reason)
    assert message.render("vi") == "chart.pdf: tệp PDF không có trang nào."
    assert str(message) == "chart.pdf: the PDF has no pages."


def test_a_broken_translation_falls_back_to_the_english_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A translation naming a field the message lacks must not hide the message."""

    class Broken:
        def gettext(self, text: str) -> str:
            return "{missing} " + text

    monkeypatch.setattr("medassist_desktop.i18n.catalogue.translations", lambda _lang: Broken())
    message = Message("Disk full in {folder}.", {"folder": "/data"})
    assert message.render("vi") == "Disk full in /data."


def test_catalogues_load_from_the_package_folder() -> None:
    assert missing_catalogues() == []
    assert missing_catalogues(("th",)) == [LOCALE_DIR / "th" / "LC_MESSAGES" / "medassist.mo"]
    for language in LANGUAGES:
        assert (LOCALE_DIR / language / "LC_MESSAGES" / "medassist.mo").is_file()
        assert translate("EMERGENCY", language) != "EMERGENCY"
    assert translations("en").gettext("EMERGENCY") == "EMERGENCY"
