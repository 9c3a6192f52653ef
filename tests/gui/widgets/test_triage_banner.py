"""The triage banner shows level in words and colour, with each finding's rule."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from medassist_desktop.ui.widgets.triage_banner import LEVEL_STYLE, TriageBanner

RESULT = {
    "level": "emergency",
    "findings": [
        {
            "rule": "imci-gds-lethargic",
            "finding": "lethargic",
            "label": "Lethargic or unconscious",
            "level": "emergency",
            "source": "WHO IMCI Chart Booklet 2014",
        },
        {
            "rule": "imci-fast-breathing-12-59m",
            "finding": "fast_breathing",
            "label": "Fast breathing (RR 40 or more)",
            "level": "urgent",
            "source": "WHO IMCI Chart Booklet 2014",
        },
    ],
    "unknown_signs": ["hiccups"],
    "rules_version": "who-2014.1",
}


def test_emergency_result(qtbot: QtBot) -> None:
    banner = TriageBanner()
    qtbot.addWidget(banner)
    banner.show_result(RESULT)
    assert banner.level == "emergency"
    assert banner.level_label.text().startswith("EMERGENCY")
    text = banner.findings_label.text()
    assert "rule imci-gds-lethargic" in text and "rule imci-fast-breathing-12-59m" in text
    assert "Unknown sign codes: hiccups" in text
    assert "who-2014.1" in text
    assert LEVEL_STYLE["emergency"][0] in banner.styleSheet()


def test_levels_change_colour_and_words(qtbot: QtBot) -> None:
    banner = TriageBanner()
    qtbot.addWidget(banner)
    for level, word in (("urgent", "URGENT"), ("routine", "ROUTINE")):
        banner.show_result({"level": level, "findings": [], "rules_version": "v"})
        assert banner.level_label.text().startswith(word)
        assert LEVEL_STYLE[level][0] in banner.styleSheet()


def test_error_and_clear(qtbot: QtBot) -> None:
    banner = TriageBanner()
    qtbot.addWidget(banner)
    banner.show_result(RESULT)
    banner.show_error("respiratory_rate 400 is impossible")
    assert banner.level is None
    assert "respiratory_rate 400" in banner.level_label.text()
    assert banner.findings_label.text() == ""
