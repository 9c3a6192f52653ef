"""The triage vocabulary in the health worker's language: words change, codes never."""

from __future__ import annotations

from medassist_desktop.core.triage import TriageEngine, load_rules
from medassist_desktop.core.triage.catalogue import (
    level_label,
    localised_result,
    not_assessed_text,
    sign_codes,
)

# Terms health workers use unchanged (the Indonesian MTBS chart says "stridor" too).
SAME_IN_EVERY_LANGUAGE = {"Stridor"}


def test_every_sign_and_group_of_the_rules_is_translated() -> None:
    rules = load_rules()
    english = sign_codes(rules)
    for language in ("id", "vi"):
        translated = sign_codes(rules, language)
        assert [s["code"] for s in translated] == [s["code"] for s in english]
        assert [s["group"] for s in translated] == [s["group"] for s in english]
        untranslated = [
            t["code"]
            for t, e in zip(translated, english, strict=True)
            if t["label"] == e["label"] and e["label"] not in SAME_IN_EVERY_LANGUAGE
        ]
        assert untranslated == []
        assert all(
            t["group_title"] != e["group_title"] for t, e in zip(translated, english, strict=True)
        )


def test_every_finding_label_of_the_rules_is_translated() -> None:
    from medassist_desktop.i18n.catalogue import translate

    labels = {rule.label for rule in load_rules().rules}
    for language in ("id", "vi"):
        same = {label for label in labels if translate(label, language) == label}
        assert same <= SAME_IN_EVERY_LANGUAGE


def test_localised_result_keeps_the_verdict() -> None:
    result = TriageEngine(load_rules()).triage({"age_months": 6, "signs": ["lethargic"]})
    data = result.as_dict()
    vietnamese = localised_result(data, "vi")
    assert vietnamese["level"] == data["level"] and vietnamese["language"] == "vi"
    assert vietnamese["level_label"] == level_label(data["level"], "vi") != data["level"].upper()
    assert [f["rule"] for f in vietnamese["findings"]] == [f["rule"] for f in data["findings"]]
    assert data["findings"][0]["label"] != vietnamese["findings"][0]["label"]
    assert localised_result(data, "en")["findings"] == data["findings"]


def test_not_recorded_inputs_in_indonesian() -> None:
    assert not_assessed_text(["vitals.respiratory_rate", "vitals.spo2"], "id") == (
        "belum dicatat: frekuensi napas, SpO2"
    )
    assert not_assessed_text([], "vi") == ""
