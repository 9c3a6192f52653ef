"""`medassist triage` in the chosen language: translated words, the same keys and codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run_cli

CASE = {
    "age_months": 18,
    "signs": ["chest_indrawing", "cough", "lethargic"],
    "vitals": {"respiratory_rate": 52},
}


def _triage_json(env: dict[str, str], case_file: Path, language: str) -> dict[str, object]:
    result = run_cli({**env, "UI_LANGUAGE": language}, "triage", str(case_file), "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    return path


def test_vietnamese_labels_with_the_same_keys_codes_and_findings(
    app_env: dict[str, str], case_file: Path
) -> None:
    english = _triage_json(app_env, case_file, "en")
    vietnamese = _triage_json(app_env, case_file, "vi")
    assert (
        set(vietnamese)
        == set(english)
        == {
            "level",
            "level_label",
            "language",
            "findings",
            "unknown_signs",
            "not_assessed",
            "rules_version",
        }
    )
    assert (english["language"], vietnamese["language"]) == ("en", "vi")
    assert vietnamese["level"] == english["level"] == "emergency"
    assert (english["level_label"], vietnamese["level_label"]) == ("EMERGENCY", "CẤP CỨU")
    assert vietnamese["not_assessed"] == english["not_assessed"]
    en_findings = english["findings"]
    vi_findings = vietnamese["findings"]
    assert isinstance(en_findings, list) and isinstance(vi_findings, list)
    # The rules decide the same findings; only the label's words differ.
    for en, vi in zip(en_findings, vi_findings, strict=True):
        assert {k: v for k, v in en.items() if k != "label"} == {
            k: v for k, v in vi.items() if k != "label"
        }
        assert vi["label"] != en["label"]
    labels = {f["rule"]: f["label"] for f in vi_findings}
    assert labels["imci.chest_indrawing"] == "Rút lõm lồng ngực"
    assert labels["imci.pink.lethargic_or_unconscious"] == (
        "Dấu hiệu nguy hiểm toàn thân: li bì hoặc hôn mê"
    )


def test_indonesian_text_output_and_errors(app_env: dict[str, str], case_file: Path) -> None:
    env = {**app_env, "UI_LANGUAGE": "id"}
    result = run_cli(env, "triage", str(case_file))
    assert result.returncode == 0, result.stderr
    assert "Tingkat: GAWAT DARURAT" in result.stdout
    assert "Tarikan dinding dada ke dalam (imci.chest_indrawing;" in result.stdout
    assert "Belum dicatat: suhu" in result.stdout
    bad = run_cli(env, "triage", "-", stdin='{"age_months": 18, "vitals": {"spo2": 3}}')
    assert bad.returncode == 1
    assert "vitals.spo2=3 tidak mungkin: harus antara 30 dan 100 %" in bad.stderr


def test_sign_codes_list_translated_labels_and_group_titles(app_env: dict[str, str]) -> None:
    result = run_cli({**app_env, "UI_LANGUAGE": "vi"}, "triage", "--codes", "--json")
    assert result.returncode == 0, result.stderr
    signs = {s["code"]: s for s in json.loads(result.stdout)["signs"]}
    assert signs["stiff_neck"]["label"] == "Cứng gáy"
    assert signs["stiff_neck"]["group"] == "disability"
    assert signs["sunken_eyes"]["group_title"] == "Tuần hoàn"


def test_a_file_that_cannot_be_read_is_reported_in_the_language(
    app_env: dict[str, str], tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.json"
    result = run_cli({**app_env, "UI_LANGUAGE": "vi"}, "triage", str(missing), "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"].startswith(f"Không thể đọc {missing}")
