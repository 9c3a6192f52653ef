"""The referral summary HTML carries the case, triage and consult, safely escaped."""

from __future__ import annotations

from datetime import datetime

from medassist_desktop.services.referral import referral_html

CASE = {
    "name": "Sokha <script>alert(1)</script>",
    "patient_id": "P-0042",
    "age_months": 18,
    "sex": "female",
    "vitals": {"respiratory_rate": 52, "temperature_c": 38.6, "spo2": None},
    "signs": ["cough", "chest_indrawing"],
    "complaint": "Cough for 3 days",
}
TRIAGE = {
    "level": "urgent",
    "findings": [
        {"rule": "imci-chest-indrawing", "label": "Chest indrawing", "source": "WHO IMCI 2014"}
    ],
    "rules_version": "who-2014.1",
}


def test_summary_content() -> None:
    html = referral_html(
        CASE,
        TRIAGE,
        [{"question": "Antibiotic?", "text": "See [1].", "citations": [{"title": "Pneumonia"}]}],
        clinic="Pursat HC",
        prepared_by="Dara",
        now=datetime(2026, 11, 28, 9, 30),
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "1 year 6 months" in html
    assert "Respiratory rate</th><td>52 /min" in html
    assert "SpO2" not in html  # missing vitals are not printed
    assert "URGENT" in html and "imci-chest-indrawing" in html and "who-2014.1" in html
    assert "Antibiotic?" in html and "Pneumonia" in html
    assert "2026-11-28 09:30" in html and "Pursat HC" in html


def test_young_infant_age_and_no_triage() -> None:
    html = referral_html({"name": "Baby", "age_months": 1}, None, clinic="c", prepared_by="p")
    assert "1 month<" in html
    assert "Triage" not in html


def test_new_fields_are_in_the_summary() -> None:
    html = referral_html(
        {
            "name": "Noy",
            "age_months": 300,
            "sex": "female",
            "postpartum_days": 3,
            "vitals": {"glucose_mmol_l": 2.5, "avpu": "voice"},
        },
        None,
        clinic="c",
        prepared_by="p",
    )
    assert "<th align='left'>Gave birth</th><td>3 days ago</td>" in html
    assert "<td>2.5 mmol/L</td>" in html and "<td>voice</td>" in html
    pregnant = referral_html(
        {"name": "Mali", "age_months": 300, "pregnant": True, "gestation_weeks": 34},
        None,
        clinic="c",
        prepared_by="p",
    )
    assert "<td>yes, 34 weeks</td>" in pregnant
    baby = referral_html(
        {"name": "Baby", "age_months": 0, "age_days": 5}, None, clinic="c", prepared_by="p"
    )
    assert "<th align='left'>Age in days</th><td>5</td>" in baby
