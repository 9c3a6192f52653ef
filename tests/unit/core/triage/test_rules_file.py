"""The packaged rules file: versioned, complete, every reference resolving; bad files refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medassist_desktop.core.triage import TriageRulesError, load_rules
from medassist_desktop.core.triage.rules import check_rule_set
from tests.conftest import REPO_ROOT
from tests.unit.core.triage.cases import rules

RULES_DIR = REPO_ROOT / "medassist_desktop" / "core" / "triage" / "rules"
RULES_FILE = RULES_DIR / "who_iitt_v2.json"

# The sign codes the triage input must accept (at least).
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
    # every age, young infants, pregnancy and after birth, injuries and exposures
    *("confused", "headache", "hypoglycaemia", "snake_bite", "poisoning", "major_trauma"),
    *("trauma", "threatened_limb", "burns", "fracture", "chest_pain", "abdominal_pain"),
    *("violent_aggressive", "testicular_pain", "neck_swelling", "wheezing", "severe_pallor"),
    *("bleeding", "fainting", "general_weakness", "focal_neuro", "severe_pain"),
    *("worsening_rash", "sexual_assault", "urinary_retention", "animal_bite", "needlestick"),
    *("visible_severe_wasting", "jaundice", "jaundice_first_24h", "yellow_palms_soles"),
    *("umbilical_redness", "skin_pustules", "bulging_fontanelle", "active_labour"),
    "unable_to_stand",
]
FORM_GROUPS = [
    "Airway and breathing",
    "Circulation",
    "Disability (conscious level and nerves)",
    "Young infant (under 2 months)",
    "Pregnancy and after birth",
    "Injuries and exposures",
    "Other",
]


def test_rules_are_versioned_and_sourced() -> None:
    rule_set = rules()
    assert rule_set.version == "who-iitt-v2"
    assert check_rule_set(rule_set) == []
    assert rule_set.interpretations, "clinical readings must be written down for review"
    assert rule_set.review, "open clinical questions must be listed for the reviewer"
    for rule in rule_set.rules:
        source = rule_set.source_of(rule)
        if source.year is None:
            # The IITT charts are undated: cited as such, never with an invented year.
            assert source.undated and "undated chart" in source.undated
            assert "Interagency Integrated Triage Tool" in source.document
        else:
            assert 2000 <= source.year <= 2030
        assert source.document and rule.label and rule.finding and rule.section
        if rule.review:
            assert any(line.startswith(rule.id + ":") for line in rule_set.review)


def test_every_sign_is_in_exactly_one_form_group() -> None:
    rule_set = rules()
    assert [group.title for group in rule_set.sign_groups] == FORM_GROUPS
    grouped = [code for group in rule_set.sign_groups for code in group.signs]
    assert sorted(grouped) == sorted(rule_set.signs)
    assert rule_set.aliases == {"cold_extremities": "cold_hands"}


def test_the_first_rules_version_still_loads() -> None:
    """Saved cases name the version that triaged them; that file must stay readable."""
    first = load_rules(RULES_DIR / "who_2014_v1.json")
    assert first.version == "who-2014-v1" and check_rule_set(first) == []


def test_every_required_sign_is_known() -> None:
    assert set(REQUIRED_SIGNS) <= set(rules().signs)


def test_both_levels_and_all_populations_present() -> None:
    rule_set = rules()
    assert {rule.level for rule in rule_set.rules} == {"urgent", "emergency"}
    bands = {(r.population.min_age_months, r.population.max_age_months) for r in rule_set.rules}
    assert {
        *((0, 0), (0, 1), (0, 5), (0, 11), (0, 23), (0, 143), (0, None)),
        *((2, 59), (6, 59), (12, 59), (60, 143), (144, None), (144, 599), (600, None)),
    } <= bands
    statuses = {rule.population.maternal for rule in rule_set.rules}
    assert {"pregnant", "postpartum", "pregnant_or_postpartum"} <= statuses


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
        (lambda d: d["definitions"].update(x={"ref": "fever_38"}), "may not refer"),
        (lambda d: d["aliases"].update(cold_feet="no_such_sign"), "names unknown sign"),
        (lambda d: d["aliases"].update(cough="stridor"), "is also a sign"),
        (lambda d: d["sign_groups"][0]["signs"].append("not_a_sign"), "is not a sign"),
        (lambda d: d["sign_groups"][0]["signs"].remove("stridor"), "'stridor' is in no group"),
        (lambda d: d["sign_groups"][1]["signs"].append("stridor"), "more than one group"),
        (lambda d: d["sources"]["iitt"].update(year=2020), "either a year"),
        (lambda d: d["sources"]["imci_2014"].pop("year"), "either a year"),
        (lambda d: d["rules"][0]["population"].update(maternal="lactating"), "not valid"),
        (lambda d: d["rules"][0].update(when={"avpu": ["drowsy"]}), "not valid"),
        (
            lambda d: d["rules"][0].update(when={"field": "weight", "op": "<", "value": 1}),
            "not valid",
        ),
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
