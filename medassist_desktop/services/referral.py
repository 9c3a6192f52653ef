"""The referral summary: one page a receiving facility can read at a glance.

Built as HTML here (Qt-free, testable) and printed to paper or PDF by the UI.
Every value is escaped: names and notes are typed by people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any

from medassist_desktop import APP_NAME

LEVEL_COLOURS = {"emergency": "#b71c1c", "urgent": "#e65100", "routine": "#2e7d32"}

VITAL_LABELS = (
    ("temperature_c", "Temperature", "°C"),
    ("respiratory_rate", "Respiratory rate", "/min"),
    ("heart_rate", "Heart rate", "/min"),
    ("spo2", "SpO2", "%"),
    ("systolic_bp", "Systolic BP", "mmHg"),
    ("diastolic_bp", "Diastolic BP", "mmHg"),
    ("weight_kg", "Weight", "kg"),
    ("muac_mm", "MUAC", "mm"),
    ("glucose_mmol_l", "Blood glucose", "mmol/L"),
    ("avpu", "AVPU", ""),
)


def _age_text(age_months: int | None) -> str:
    if age_months is None:
        return "unknown"
    years, months = divmod(int(age_months), 12)
    month_text = f"{months} month" + ("" if months == 1 else "s")
    if years == 0:
        return month_text
    year_text = f"{years} year" + ("" if years == 1 else "s")
    return f"{year_text} {month_text}" if months else year_text


def _row(label: str, value: str) -> str:
    return f"<tr><th align='left'>{escape(label)}</th><td>{escape(value)}</td></tr>"


def referral_html(
    case: Mapping[str, Any],
    triage: Mapping[str, Any] | None,
    consults: Sequence[Mapping[str, Any]] = (),
    *,
    clinic: str,
    prepared_by: str,
    now: datetime | None = None,
) -> str:
    """HTML for the referral summary of one case."""
    when = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    parts = [
        "<html><body style='font-family: sans-serif; font-size: 10pt;'>",
        f"<h2>Referral summary — {escape(clinic)}</h2>",
        f"<p>Prepared {escape(when)} by {escape(prepared_by)} with {escape(APP_NAME)}.</p>",
        "<h3>Patient</h3><table cellpadding='2'>",
        _row("Name", str(case.get("name") or "")),
        _row("Clinic patient id", str(case.get("patient_id") or "—")),
        _row("Age", _age_text(case.get("age_months"))),
        _row("Sex", str(case.get("sex") or "—")),
    ]
    if case.get("age_days") is not None:
        parts.append(_row("Age in days", str(case["age_days"])))
    if case.get("pregnant"):
        weeks = case.get("gestation_weeks")
        parts.append(_row("Pregnant", f"yes, {weeks} weeks" if weeks else "yes"))
    if case.get("postpartum_days") is not None:
        parts.append(_row("Gave birth", f"{case['postpartum_days']} days ago"))
    vitals = case.get("vitals") or {}
    for key, label, unit in VITAL_LABELS:
        if vitals.get(key) is not None:
            parts.append(_row(label, f"{vitals[key]} {unit}".rstrip()))
    parts.append("</table>")
    if case.get("complaint"):
        parts.append(f"<h3>Complaint</h3><p>{escape(str(case['complaint']))}</p>")
    if case.get("signs"):
        signs = ", ".join(str(s).replace("_", " ") for s in case["signs"])
        parts.append(f"<p><b>Signs:</b> {escape(signs)}</p>")
    if triage:
        level = str(triage.get("level", "routine"))
        colour = LEVEL_COLOURS.get(level, "#000000")
        parts.append(
            f"<h3>Triage: <span style='color:{colour}'>{escape(level.upper())}</span></h3><ul>"
        )
        for finding in triage.get("findings", []):
            parts.append(
                f"<li>{escape(str(finding.get('label', '')))} "
                f"<i>({escape(str(finding.get('rule', '')))}; "
                f"{escape(str(finding.get('source', '')))})</i></li>"
            )
        parts.append(f"</ul><p>Rules version {escape(str(triage.get('rules_version', '')))}</p>")
    for consult in consults:
        parts.append(f"<h3>Question</h3><p>{escape(str(consult.get('question', '')))}</p>")
        parts.append(f"<p>{escape(str(consult.get('text', ''))).replace(chr(10), '<br>')}</p><ol>")
        for citation in consult.get("citations", []):
            parts.append(
                f"<li>{escape(str(citation.get('title', '')))} — "
                f"{escape(str(citation.get('source', '')))}</li>"
            )
        parts.append("</ol>")
    if case.get("notes"):
        parts.append(f"<h3>Notes</h3><p>{escape(str(case['notes']))}</p>")
    parts.append(
        "<p><i>Decision support output for a trained health worker; clinical judgement "
        "and the receiving clinician's assessment come first.</i></p></body></html>"
    )
    return "\n".join(parts)
