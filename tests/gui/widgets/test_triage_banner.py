"""The triage banner shows level in words and colour, each finding in words on screen
and with its rule and source in the tooltip, at one height whatever it shows."""

from __future__ import annotations

from typing import Any

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


def shown_banner(qtbot: QtBot, width: int = 400) -> TriageBanner:
    banner = TriageBanner()
    qtbot.addWidget(banner)
    banner.resize(width, banner.sizeHint().height())
    banner.show()
    qtbot.waitExposed(banner)
    return banner


def test_emergency_result(qtbot: QtBot) -> None:
    banner = shown_banner(qtbot)
    banner.show_result(RESULT)
    assert banner.level == "emergency"
    assert banner.level_label.text().startswith("EMERGENCY")
    text = banner.findings_label.text()
    assert "• Lethargic or unconscious" in text and "• Fast breathing (RR 40 or more)" in text
    assert "rule" not in text and "WHO" not in text and "who-2014.1" not in text
    assert "Unknown sign codes (not evaluated): hiccups" in text
    assert "Not recorded: SpO2" in text
    tip = banner.toolTip()
    assert "rule imci-gds-lethargic" in tip and "rule imci-fast-breathing-12-59m" in tip
    assert "WHO IMCI Chart Booklet 2014" in tip and "Rules version who-2014.1" in tip
    assert LEVEL_STYLE["emergency"][0] in banner.styleSheet()


def test_one_height_whatever_it_shows(qtbot: QtBot) -> None:
    banner = shown_banner(qtbot, width=320)
    height = banner.sizeHint().height()
    first: dict[str, Any] = RESULT["findings"][0]  # type: ignore[index,assignment]
    many = dict(RESULT, findings=[dict(first, label=f"Finding {i} " * 6) for i in range(9)])
    for show in (
        banner.clear,
        lambda: banner.show_result(RESULT),
        lambda: banner.show_result(many),
        lambda: banner.show_error("Respiratory rate 400 is outside what can be measured " * 5),
        lambda: banner.show_result({"level": "routine", "findings": [], "rules_version": "v"}),
    ):
        show()
        assert banner.sizeHint().height() == height
        label = banner.findings_label
        assert label.heightForWidth(label.width()) <= label.height()  # nothing cut off
    banner.show_result(many)
    assert "… and" in banner.findings_label.text().splitlines()[-1]  # what did not fit is counted
    assert "Finding 8" in banner.toolTip()  # and is all in the tooltip
    assert "Finding 8" in banner.shown_text()


def test_larger_font_gives_a_taller_banner(qtbot: QtBot) -> None:
    banner = shown_banner(qtbot)
    before = banner.sizeHint().height()
    font = banner.findings_label.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    banner.findings_label.setFont(font)
    banner.level_label.setFont(font)
    assert banner.sizeHint().height() > before


def test_levels_change_colour_and_words(qtbot: QtBot) -> None:
    banner = shown_banner(qtbot)
    for level, word in (("urgent", "URGENT"), ("routine", "ROUTINE")):
        banner.show_result({"level": level, "findings": [], "rules_version": "v"})
        assert banner.level_label.text().startswith(word)
        assert LEVEL_STYLE[level][0] in banner.styleSheet()


def test_error_and_clear(qtbot: QtBot) -> None:
    banner = shown_banner(qtbot)
    banner.show_result(RESULT)
    banner.show_error("respiratory_rate 400 is impossible")
    assert banner.level is None
    assert banner.level_label.text() == "Triage not computed"
    assert banner.findings_label.text() == "respiratory_rate 400 is impossible"
    banner.clear()
    assert banner.findings_label.text() == "" and banner.toolTip() == ""


def test_routine_never_claims_no_danger_signs(qtbot: QtBot) -> None:
    banner = shown_banner(qtbot)
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
