"""The referral summary HTML carries the case, triage and consult, safely escaped."""

from __future__ import annotations

from datetime import datetime

from medassist_desktop.core.cases.models import ConsultRecord
from medassist_desktop.services.referral import referral_consults, referral_html

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
    assert "Respiratory rate</th><td>52/min" in html and "38.6 °C" in html
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


def test_measured_fever_is_a_sign_and_durations_are_printed() -> None:
    html = referral_html(
        {
            "name": "Dara",
            "age_months": 30,
            "vitals": {"temperature_c": 39.2, "respiratory_rate": 52.0},
            "signs": ["cough"],
            "duration_days": {"cough": 3, "fever": 1},
        },
        None,
        clinic="c",
        prepared_by="p",
    )
    assert "<b>Signs:</b> fever (39.2 °C), cough" in html
    assert "cough 3 days, fever 1 day" in html and "52/min" in html


def record(n: int, case_id: int | None, *, reviewed: bool, question: str) -> ConsultRecord:
    citation = {"title": "ORS plans", "section": "Plan B", "source": "WHO 2005", "cited": True}
    return ConsultRecord(
        id=n,
        uid=f"u{n}",
        case_id=case_id,
        question=question,
        answer={
            "text": "Triage (danger-sign rules v1): URGENT\n- x\n\nGive ORS [1].",
            "confidence": {"level": "medium"},
            "engine": "extractive",
            "citations": [
                citation,
                dict(citation, n=2),
                dict(citation, title="Other", cited=False),
            ],
        },
        created_at=datetime(2026, 12, 1, 9, 0),
        created_by="amara",
        reviewed_by="amara" if reviewed else None,
        reviewed_at=datetime(2026, 12, 1, 9, 5) if reviewed else None,
    )


def test_only_reviewed_consults_of_this_case_with_sources_once() -> None:
    records = [
        record(1, 7, reviewed=True, question="ORS for case 7?"),
        record(2, 7, reviewed=False, question="Not reviewed?"),
        record(3, 8, reviewed=True, question="Another patient's?"),
        record(4, None, reviewed=True, question="General?"),
    ]
    [chosen] = referral_consults(records, 7)
    assert chosen["question"] == "ORS for case 7?" and chosen["confidence"] == "medium"
    assert chosen["text"] == "Give ORS [1]."  # the triage is printed once, above
    assert [c["title"] for c in chosen["citations"]] == ["ORS plans"]
    assert referral_consults(records, None) == []
    html = referral_html({"name": "A"}, None, [chosen], clinic="c", prepared_by="p")
    assert html.count("ORS plans") == 1 and "Confidence: medium; reviewed by amara" in html
    assert "Not reviewed?" not in html and "Another patient" not in html
