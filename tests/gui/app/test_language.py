"""The app started with UI_LANGUAGE=id (or vi) speaks that language on every main screen.

The language is applied as `app.py` applies it (`apply_language` with the resolved
setting), then the real app is walked through setup, a case, Ask, Knowledge, Settings
and sign-in; no text the app ships in English may remain on those screens.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from medassist_desktop.config import load_settings
from medassist_desktop.i18n import resolve_language
from medassist_desktop.i18n.catalogue import translate
from medassist_desktop.ui.cases.case_form import CaseFormPage
from medassist_desktop.ui.settings.settings_page import SettingsPage
from medassist_desktop.ui.translations import (
    InstalledLanguage,
    apply_language,
    format_datetime,
    format_number,
)
from medassist_desktop.ui.widgets.lazy_page import LazyPage
from tests.gui.app.conftest import StartApp
from tests.gui.app.flows import WAIT_MS, wizard_of
from tests.gui.app.screens import walk_all, walk_setup
from tests.support.catalogues import TRANSLATIONS, read_ts
from tests.support.catalogues import plain as _plain
from tests.support.pseudo_locale import visible_texts


def english_sources(code: str) -> set[str]:
    """The English texts (the app's and Qt's) whose translation into `code` differs."""
    sources = set()
    for prefix in ("medassist_", "qtbase_extra_"):
        for entry in read_ts(TRANSLATIONS / f"{prefix}{code}.ts"):
            if _plain(entry.source) not in {_plain(entry.translation), *map(_plain, entry.forms)}:
                sources.add(_plain(entry.source))
    return sources


# What each language must show on the walk's screens (besides showing no English).
EXPECTED = {
    "id": {
        "setup: clinic": {"Selamat datang di MedAssist Desktop", "Lanjut >", "Batal"},
        "sign-in": {"Masuk ke Pursat Health Centre"},
        "cases: list": {"Kasus baru"},
        "case form": {
            "Tanda vital (kosongkan jika tidak diukur)",
            "Jalan napas dan pernapasan",  # a sign group, from the message catalogue
            "Demam (dilaporkan atau diukur)",  # a sign
            "Salinan bahasa Inggris untuk rumah sakit",
        },
        "knowledge": {"Cari di pustaka klinis…"},
        "settings: tab 1": {"Pengguna"},
    },
    "vi": {
        "setup: clinic": {"Chào mừng đến với MedAssist Desktop", "Tiếp >", "Hủy"},
        "sign-in": {"Đăng nhập vào Pursat Health Centre"},
        "cases: list": {"Ca mới"},
        "case form": {
            "Dấu hiệu sinh tồn (để trống nếu không đo)",
            "Đường thở và hô hấp",
            "Sốt (kể lại hoặc đo được)",
            "Bản tiếng Anh cho bệnh viện",
        },
        "knowledge": {"Tìm trong thư viện lâm sàng…"},
        "settings: tab 1": {"Người dùng"},
    },
}


@pytest.fixture(params=sorted(EXPECTED))
def language(
    request: pytest.FixtureRequest, qapp: QApplication, app_env: dict[str, str]
) -> Iterator[InstalledLanguage]:
    """The language applied as app.py applies it, from UI_LANGUAGE."""
    app_env["UI_LANGUAGE"] = request.param
    font = qapp.font()
    code = resolve_language(load_settings(app_env).settings.ui_language)
    installed = apply_language(qapp, code)
    yield installed
    installed.remove()
    qapp.setFont(font)


def test_the_app_started_with_ui_language_shows_that_language_on_every_main_screen(
    qtbot: QtBot, start_app: StartApp, language: InstalledLanguage, tmp_path: Path
) -> None:
    code = language.code
    assert code in EXPECTED, "UI_LANGUAGE chose the language"
    assert len(language.translators) >= 2, "the catalogues were not loaded"
    assert QLocale().name().startswith(code), "dates and numbers follow the language"
    english = english_sources(code)
    controller = start_app()
    seen: dict[str, set[str]] = {}
    left_in_english: list[str] = []
    banner: dict[str, Any] = {}

    def look(screen: str, top: QWidget) -> None:
        if screen == "case form":
            form = top.findChild(CaseFormPage)
            assert form is not None and form.triage is not None
            banner["findings"] = [str(f["label"]) for f in form.triage["findings"]]
            banner["shown"] = form.banner.shown_text().splitlines()
            banner["pdf"] = form.export_referral(tmp_path / "referral.pdf", english_copy=True)
        texts = seen.setdefault(screen, set())
        for widget, what, text in visible_texts(top):
            if isinstance(widget, QComboBox):
                continue
            texts.add(_plain(text))
            if _plain(text) in english:
                left_in_english.append(f"[{screen}] {what} of {widget.objectName()}: {text!r}")

    walk_all(qtbot, controller, look)

    assert not left_in_english, "\n".join(left_in_english)
    for screen, expected in EXPECTED[code].items():
        assert expected <= seen[screen], (screen, expected - seen[screen])
    # The banner's findings in the window's language (the rules' labels, translated).
    assert banner["findings"], "the walk's case has findings"
    for label in banner["findings"]:
        assert translate(label, code) != label, f"no {code} translation of {label!r}"
        assert f"• {translate(label, code)}" in banner["shown"], (label, banner["shown"])
    # The referral in the window's language, then the English copy for the hospital.
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(banner["pdf"]).pages).split())
    local_title = translate("Referral summary — {clinic}", code).split("{")[0].strip()
    assert local_title in pdf and "English copy of the referral summary" in pdf
    assert pdf.index(local_title) < pdf.index("Referral summary — ")


def test_the_language_chosen_in_setup_and_in_settings_is_saved_and_used_at_next_start(
    qtbot: QtBot, start_app: StartApp, app_env: dict[str, str]
) -> None:
    controller = start_app()
    wizard = wizard_of(qtbot, controller)
    picker = wizard.language_picker
    assert picker.language() == "auto", "the computer's language until someone chooses"
    assert [picker.itemText(i) for i in range(1, picker.count())] == [
        "English",
        "Bahasa Indonesia",
        "Tiếng Việt",
    ], "each language in its own words"
    picker.set_language("vi")
    walk_setup(qtbot, controller, lambda _screen, _widget: None)
    config_path = Path(app_env["MEDASSIST_DATA_DIR"]) / "config" / "config.json"
    assert json.loads(config_path.read_text())["ui_language"] == "vi"
    assert resolve_language(load_settings(app_env).settings.ui_language) == "vi"

    assert controller.window.show_page("settings")
    lazy = controller.window.stack.currentWidget()
    assert isinstance(lazy, LazyPage)
    qtbot.waitUntil(lambda: lazy.content is not None, timeout=WAIT_MS)
    page = lazy.content
    assert isinstance(page, SettingsPage)
    tab = page.language
    qtbot.waitUntil(lambda: tab.picker.language() == "vi", timeout=WAIT_MS)
    assert "restart" in tab.findChild(QLabel, "languageRestartNote").text()
    tab.picker.set_language("id")
    tab.save_button.click()
    qtbot.waitUntil(lambda: "Saved in" in tab.message.text(), timeout=WAIT_MS)
    assert json.loads(config_path.read_text())["ui_language"] == "id"
    assert resolve_language(load_settings(app_env).settings.ui_language) == "id"


def test_dates_and_numbers_are_written_the_language_s_way(language: InstalledLanguage) -> None:
    noon = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)  # the 4th of December in every time zone
    day_first = {"id": "04/12/26", "vi": "4/12/26"}[language.code]
    assert format_datetime(noon).startswith(day_first)
    assert format_number(2.5, 3) == "2,5" and format_number(0.25, 3) == "0,25"
    assert format_number(12345) == "12.345"
    assert format_number(3.04, decimals=1) == "3,0"  # the System page's GiB and tokens/s
