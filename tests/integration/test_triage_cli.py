"""`medassist triage` as a script runs it: files and stdin, arrays, per-case errors, bad JSON."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import run_cli

EXAMPLE = {
    "age_months": 18,
    "sex": "female",
    "pregnant": False,
    "vitals": {
        "temperature_c": 38.6,
        "respiratory_rate": 52,
        "heart_rate": 140,
        "spo2": 93,
        "systolic_bp": None,
        "diastolic_bp": None,
        "weight_kg": 10.5,
        "muac_mm": 128,
    },
    "signs": ["cough", "chest_indrawing"],
    "duration_days": {"cough": 3, "fever": 2, "diarrhoea": 0},
    "complaint": "free text",
}


def run_triage(
    env: dict[str, str], *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return run_cli(env, "triage", *args, stdin=stdin)


def test_one_case_from_a_file_as_json(app_env: dict[str, str], tmp_path: Path) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    result = run_triage(app_env, str(case_file), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["level"] == "urgent"
    assert [f["rule"] for f in out["findings"]] == [
        "imci.chest_indrawing",
        "iitt.yellow_u12.respiratory_rate_high_1_to_4",
    ]
    assert out["unknown_signs"] == [] and out["rules_version"] == "who-iitt-v2"
    assert out["not_assessed"] == ["vitals.glucose_mmol_l", "vitals.avpu"]
    assert not Path(app_env["MEDASSIST_DATA_DIR"]).exists(), "triage writes nothing"


def test_array_from_stdin_keeps_order_and_reports_bad_cases(app_env: dict[str, str]) -> None:
    cases = [
        {"age_months": 30, "signs": ["stridor"]},
        {"age_months": 30, "vitals": {"respiratory_rate": 400}},
        {"age_months": 30},
        "not a case",
        {"age_months": 30, "signs": ["wheeze"]},
    ]
    result = run_triage(app_env, "-", "--json", stdin=json.dumps(cases))
    assert result.returncode == 1  # some cases could not be triaged
    out = json.loads(result.stdout)
    assert len(out) == 5
    assert out[0]["level"] == "emergency"
    assert "vitals.respiratory_rate" in out[1]["error"] and set(out[1]) == {"error"}
    assert out[2]["level"] == "routine" and "vitals.respiratory_rate" in out[2]["not_assessed"]
    assert "must be a JSON object" in out[3]["error"]
    assert out[4]["unknown_signs"] == ["wheeze"]
    assert "case 2: vitals.respiratory_rate=400" in result.stderr
    assert "Traceback" not in result.stderr


def test_array_of_valid_cases_exits_0(app_env: dict[str, str]) -> None:
    result = run_triage(app_env, "--json", stdin=json.dumps([EXAMPLE, {"age_months": 200}]))
    # (a 16-year-old with nothing recorded: routine, with what was not recorded listed)
    assert result.returncode == 0, result.stderr
    assert [r["level"] for r in json.loads(result.stdout)] == ["urgent", "routine"]


def test_human_text(app_env: dict[str, str]) -> None:
    result = run_triage(app_env, stdin=json.dumps({"age_months": 1, "signs": ["convulsions", "x"]}))
    assert result.returncode == 0
    assert result.stdout.startswith("Level: EMERGENCY")
    assert "iitt.red.convulsions" in result.stdout
    assert "Unknown sign codes (not evaluated): x" in result.stdout


def test_routine_text_says_what_was_not_recorded(app_env: dict[str, str]) -> None:
    result = run_triage(app_env, stdin=json.dumps({"age_months": 200, "vitals": {"spo2": 98}}))
    assert result.returncode == 0
    assert "No danger sign among the signs and vitals recorded." in result.stdout
    assert "Not recorded: temperature, respiratory rate, heart rate, blood glucose" in result.stdout
    assert "no danger signs found" not in result.stdout.lower()


def test_new_fields_and_contradictions(app_env: dict[str, str]) -> None:
    cases = [
        {"age_months": 0, "age_days": 21, "signs": ["unable_to_drink"]},
        {"age_months": 300, "sex": "female", "postpartum_days": 3, "signs": ["severe_headache"]},
        {"age_months": 0, "age_days": 45},
        {"age_months": 300, "sex": "female", "pregnant": True, "postpartum_days": 3},
        {"age_months": 30, "vitals": {"glucose_mmol_l": 85}},
        {"age_months": 30, "vitals": {"avpu": "sleepy"}},
    ]
    result = run_triage(app_env, "--json", stdin=json.dumps(cases))
    assert result.returncode == 1
    out = json.loads(result.stdout)
    assert [o.get("level") for o in out[:2]] == ["emergency", "emergency"]
    assert [o["error"].split("=")[0].split(" ")[0] for o in out[2:]] == [
        "age_days",
        "postpartum_days",
        "vitals.glucose_mmol_l",
        "vitals.avpu",
    ]


def test_codes_as_json_list_every_sign_and_field(app_env: dict[str, str]) -> None:
    result = run_triage(app_env, "--codes", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["rules_version"] == "who-iitt-v2"
    signs = {s["code"]: s for s in out["signs"]}
    assert signs["snake_bite"]["group"] == "injuries_exposures"
    assert signs["stridor"]["label"] == "Stridor"
    assert signs["cold_extremities"]["same_as"] == "cold_hands"
    assert {"jaundice_first_24h", "active_labour", "unable_to_stand"} <= set(signs)
    fields = {f["name"]: f for f in out["fields"]}
    assert fields["age_days"]["min"] == 0 and fields["age_days"]["max"] == 59
    assert fields["postpartum_days"]["max"] == 42
    assert fields["vitals.glucose_mmol_l"]["unit"] == "mmol/L"
    assert fields["vitals.avpu"]["values"] == ["alert", "voice", "pain", "unresponsive"]
    assert fields["gestation_weeks"]["min"] == 1 and fields["gestation_weeks"]["max"] == 45


def test_codes_as_text(app_env: dict[str, str]) -> None:
    result = run_triage(app_env, "--codes")
    assert result.returncode == 0, result.stderr
    assert "Injuries and exposures:" in result.stdout
    assert "cold_extremities: Cold hands or feet (cold extremities) (same as cold_hands)" in (
        result.stdout
    )
    assert "vitals.avpu: one of alert, voice, pain, unresponsive" in result.stdout


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        ('{"age_months": 5,', "not valid JSON"),
        ("", "is empty"),
        ('{"age_months": -3}', "age_months=-3 is not possible"),
    ],
)
def test_bad_input_is_one_clear_error(app_env: dict[str, str], stdin: str, expected: str) -> None:
    result = run_triage(app_env, "--json", stdin=stdin)
    assert result.returncode == 1
    assert expected in result.stderr
    assert expected in json.loads(result.stdout)["error"]
    assert "Traceback" not in result.stderr


def test_missing_file(app_env: dict[str, str], tmp_path: Path) -> None:
    result = run_triage(app_env, str(tmp_path / "nope.json"))
    assert result.returncode == 1
    assert "Cannot read" in result.stderr and "nope.json" in result.stderr
