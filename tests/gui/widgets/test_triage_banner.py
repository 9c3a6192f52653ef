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
    "not_assessed": ["vitals.spo2"],
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
    assert "Unknown sign codes (not evaluated): hiccups" in text
    assert "Not recorded: SpO2" in text
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


def test_routine_never_claims_no_danger_signs(qtbot: QtBot) -> None:
    banner = TriageBanner()
    qtbot.addWidget(banner)
    banner.show_result(
        {
            "level": "routine",
            "findings": [],
            "unknown_signs": ["ear_pain"],
            "not_assessed": ["vitals.respiratory_rate", "vitals.spo2", "age_days"],
            "rules_version": "who-iitt-v2",
        }
    )
    title = banner.level_label.text()
    assert title == "ROUTINE — No danger sign among the signs and vitals recorded"
    assert "no danger signs found" not in title.lower()
    text = banner.findings_label.text()
    assert "Not recorded: respiratory rate, SpO2, age in days" in text
    assert "Unknown sign codes (not evaluated): ear_pain" in text
