"""The language the app speaks follows the setting, then the operating system, then English."""

from __future__ import annotations

import pytest

from medassist_desktop.config.settings import UiLanguage
from medassist_desktop.i18n import resolve_language, system_language


@pytest.fixture
def clean_locale_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


@pytest.mark.parametrize("setting", ["en", "id", "vi"])
def test_an_explicit_language_wins_over_the_system(
    clean_locale_env: pytest.MonkeyPatch, setting: str
) -> None:
    clean_locale_env.setenv("LANG", "vi_VN.UTF-8")
    assert resolve_language(UiLanguage(setting)) == setting


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LANG": "id_ID.UTF-8"}, "id"),
        ({"LANGUAGE": "id:en", "LANG": "vi_VN.UTF-8"}, "id"),
        ({"LANG": "th_TH.UTF-8"}, "en"),
    ],
)
def test_auto_follows_the_system_and_falls_back_to_english(
    clean_locale_env: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for var, value in env.items():
        clean_locale_env.setenv(var, value)
    assert resolve_language(UiLanguage.AUTO) == expected


def test_the_c_locale_says_nothing(clean_locale_env: pytest.MonkeyPatch) -> None:
    clean_locale_env.setenv("LC_ALL", "C")
    clean_locale_env.setenv("LANG", "vi_VN.UTF-8")
    assert system_language() == "vi"
