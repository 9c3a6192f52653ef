"""Counts in English grammar through Qt's numerus forms: "1 year", "2 years", "1 case".

The English forms come from resources/translations/medassist_en.qm (installed in the
test application as the app installs it); the catalogue must hold every "%n" message
in the window's code, or that message would show as "1 year(s)".
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from medassist_desktop.ui.cases.case_form_fields import CaseFormFields
from tests.conftest import REPO_ROOT, venv_script

ENGLISH_TS = REPO_ROOT / "resources" / "translations" / "medassist_en.ts"


def numerus_messages(ts: Path) -> set[tuple[str, str]]:
    root = ET.parse(ts).getroot()  # noqa: S314 - the repository's file or lupdate's
    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in root.iter("context")
        for message in context.iter("message")
        if message.get("numerus") == "yes" and "%n" in (message.findtext("source") or "")
    }


class CaseFormLike(CaseFormFields):
    """As the case form is: a subclass (PySide's self.tr() with a count looks the text up
    under the subclass's name only)."""


def test_ages_agree_with_their_number(qtbot: QtBot) -> None:
    fields = CaseFormLike([])
    qtbot.addWidget(fields)
    expected = {
        (fields.age_years, 1): "1 year",
        (fields.age_years, 2): "2 years",
        (fields.age_years, 0): "0 years",
        (fields.age_months, 1): "1 month",
        (fields.age_months, 11): "11 months",
        (fields.extra.age_days, 1): "1 day",
        (fields.extra.age_days, 20): "20 days",
        (fields.extra.postpartum_days, 1): "1 day ago",
        (fields.extra.postpartum_days, 3): "3 days ago",
    }
    for (spin, value), text in expected.items():
        spin.setValue(value)
        assert spin.text() == text, (spin.objectName(), value)
        assert spin.value() == value  # the unit around it is not part of the number
    fields.extra.postpartum_days.setValue(0)
    assert fields.extra.postpartum_days.text() == "today"


@pytest.mark.usefixtures("qapp")  # the application and its English plural forms
def test_every_count_message_has_its_english_forms() -> None:
    messages = numerus_messages(ENGLISH_TS)
    assert ("CaseListPage", "%n case(s)") in messages
    for context, source in messages:
        one = QCoreApplication.translate(context, source, None, 1)
        many = QCoreApplication.translate(context, source, None, 2)
        for text in (one, many):
            assert "(s)" not in text and "(ies)" not in text, (context, text)
        assert one.startswith(source.split("%n")[0]) and "1" in one, one
    assert QCoreApplication.translate("CaseListPage", "%n case(s)", None, 1) == "1 case"
    assert QCoreApplication.translate("CaseListPage", "%n case(s)", None, 3) == "3 cases"


def test_the_english_catalogue_holds_every_count_in_the_code(tmp_path: Path) -> None:
    """lupdate over ui/ and workers/ finds no "%n" message the catalogue lacks."""
    fresh = tmp_path / "fresh.ts"
    sources = sorted(
        str(p)
        for folder in ("ui", "workers")
        for p in (REPO_ROOT / "medassist_desktop" / folder).rglob("*.py")
    )
    subprocess.run(
        [venv_script("pyside6-lupdate"), "-pluralonly", "-silent", *sources, "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    missing = numerus_messages(fresh) - numerus_messages(ENGLISH_TS)
    assert not missing, f"run tools/english_plurals.py: {sorted(missing)}"
