"""The packaged rules file: versioned, complete, every reference resolving; bad files refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medassist_desktop.core.triage import TriageRulesError, load_rules
from medassist_desktop.core.triage.rules import check_rule_set
from tests.conftest import REPO_ROOT
from tests.unit.core.triage.cases import rules

RULES_FILE = REPO_ROOT / "medassist_desktop" / "core" / "triage" / "rules" / "who_2014_v1.json"

# The sign codes the rules must know (at least).
REQUIRED_SIGNS = [
    *("unable_to_drink", "vomits_everything", "convulsions", "lethargic", "unconscious"),
    *("cough", "difficult_breathing", "chest_indrawing", "stridor", "central_cyanosis"),
    *("respiratory_distress", "obstructed_breathing", "fever", "stiff_neck", "diarrhoea"),
    *("blood_in_stool", "sunken_eyes", "skin_pinch_very_slow", "skin_pinch_slow"),
    *("restless_irritable", "drinks_eagerly", "drinks_poorly", "oedema_both_feet"),
    *("not_feeding_well", "moves_only_when_stimulated", "cold_hands", "capillary_refill_over_3s"),
    *("weak_fast_pulse", "vaginal_bleeding", "heavy_bleeding", "severe_headache"),
    *("blurred_vision", "severe_abdominal_pain", "reduced_fetal_movement", "waters_breaking"),
    "not_fully_alert",
]


def test_rules_are_versioned_and_sourced() -> None:
    rule_set = rules()
    assert rule_set.version == "who-2014-v1"
    assert check_rule_set(rule_set) == []
    assert rule_set.interpretations, "clinical readings must be written down for review"
    for rule in rule_set.rules:
        source = rule_set.source_of(rule)
        assert source.document and 2000 <= source.year <= 2030
        assert rule.label and rule.finding


def test_every_required_sign_is_known() -> None:
    assert set(REQUIRED_SIGNS) <= set(rules().signs)


def test_both_levels_and_all_populations_present() -> None:
    rule_set = rules()
    assert {rule.level for rule in rule_set.rules} == {"urgent", "emergency"}
    bands = {(r.population.min_age_months, r.population.max_age_months) for r in rule_set.rules}
    assert {(0, 1), (2, 59), (2, 11), (12, 59), (6, 59), (0, 143), (144, None), (0, None)} <= bands
    assert any(rule.population.pregnant for rule in rule_set.rules)


def _write(tmp_path: Path, mutate: object) -> Path:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    mutate(data)  # type: ignore[operator]
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["rules"][0]["when"].update(sign="no_such_sign"),
            "unknown sign 'no_such_sign'",
        ),
        (lambda d: d["rules"].append(dict(d["rules"][0])), "duplicate rule id"),
        (lambda d: d["rules"][0].update(source="nowhere"), "unknown source 'nowhere'"),
        (lambda d: d["rules"][0].update(when={"ref": "nothing"}), "unknown definition 'nothing'"),
        (lambda d: d["rules"][0].update(when={"sometimes": 1}), "needs one of the keys"),
        (lambda d: d["rules"][0].update(level="critical"), "not valid"),
        (
            lambda d: d["rules"][0].update(when={"vital": "spo2", "op": "==", "value": 1}),
            "not valid",
        ),
        (
            lambda d: d["rules"][0].update(when={"at_least": 3, "of": [{"sign": "cough"}]}),
            "at_least 3",
        ),
        (
            lambda d: d["rules"][0]["population"].update(min_age_months=5, max_age_months=2),
            "empty age band",
        ),
        (lambda d: d["definitions"].update(x={"ref": "fever"}), "may not refer"),
    ],
)
def test_bad_rules_files_are_refused(tmp_path: Path, mutate: object, message: str) -> None:
    with pytest.raises(TriageRulesError, match=message):
        load_rules(_write(tmp_path, mutate))


def test_unreadable_or_malformed_rules_file(tmp_path: Path) -> None:
    with pytest.raises(TriageRulesError, match="Cannot read"):
        load_rules(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(TriageRulesError, match="not valid JSON"):
        load_rules(bad)


def test_rules_are_package_data_for_wheel_and_bundle() -> None:
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"medassist_desktop.core.triage" = ["rules/*.json"]' in pyproject
    assert '"medassist_desktop.core.routing" = ["data/*.json"]' in pyproject
    spec = (REPO_ROOT / "build.spec").read_text(encoding="utf-8")
    assert '"medassist_desktop/core/triage/rules"' in spec
    assert '"medassist_desktop/core/routing/data"' in spec
