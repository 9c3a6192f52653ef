"""The referral summary: one page a receiving facility can read at a glance.

Built as HTML here (Qt-free, testable) and printed to paper or PDF by the UI.
Every value is escaped: names and notes are typed by people.

Which answers it carries is decided here too (`referral_consults`): only consults
recorded on this case in the database (never what happens to be on a screen), and
of those only the ones a health worker marked as reviewed, each with its confidence
and its sources listed once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any

from medassist_desktop import APP_NAME
from medassist_desktop.core.cases.models import ConsultRecord

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


# Fever is a temperature of 37.5 °C or more: the "fever" definition of the triage rules
# (who_2014_v1.json, from the WHO IMCI Chart Booklet 2014), so a measured 39.2 °C is
# printed as the sign fever even when the box was not ticked.
FEVER_FROM_C = 37.5
_UNITS_WITHOUT_SPACE = ("/min", "%")


def _number(value: Any) -> str:
    """A measurement as a clinician writes it: 52, 38.6 (no trailing .0)."""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)


def vital_text(value: Any, unit: str) -> str:
    """A measurement with its unit as a clinician writes it: "52/min", "96%", "38.6 °C"."""
    joiner = "" if unit in _UNITS_WITHOUT_SPACE or not unit else " "
    return f"{_number(value)}{joiner}{unit}"


def signs_text(case: Mapping[str, Any]) -> str:
    """The signs, readable; fever added when the measured temperature is a fever."""
    signs = [str(s).replace("_", " ") for s in case.get("signs") or []]
    temperature = (case.get("vitals") or {}).get("temperature_c")
    try:
        febrile = temperature is not None and float(temperature) >= FEVER_FROM_C
    except (TypeError, ValueError):
        febrile = False
    if febrile and "fever" not in signs:
        signs.insert(0, f"fever ({vital_text(temperature, '°C')})")
    return ", ".join(signs)


def durations_text(case: Mapping[str, Any]) -> str:
    """The durations of the case, e.g. "cough 3 days, fever 1 day"."""
    durations = case.get("duration_days") or {}
    parts = []
    for sign, days in durations.items():
        if days:
            unit = "day" if float(days) == 1 else "days"
            parts.append(f"{str(sign).replace('_', ' ')} {_number(days)} {unit}")
    return ", ".join(parts)


def _age_text(age_months: int | None) -> str:
    if age_months is None:
        return "unknown"
    years, months = divmod(int(age_months), 12)
    month_text = f"{months} month" + ("" if months == 1 else "s")
    if years == 0:
        return month_text
    year_text = f"{years} year" + ("" if years == 1 else "s")
    return f"{year_text} {month_text}" if months else year_text


def _without_triage_header(text: str) -> str:
    """The answer without its leading triage lines (the summary prints the triage once)."""
    if text.startswith("Triage ("):
        _header, _blank, rest = text.partition("\n\n")
        return rest
    return text


def _sources(answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The passages the answer cites (all shown, if it flags none), each source once."""
    citations = [dict(c) for c in answer.get("citations", [])]
    cited = [c for c in citations if c.get("cited")] or citations
    seen: set[tuple[str, str, str]] = set()
    unique: list[dict[str, Any]] = []
    for citation in cited:
        key = (
            str(citation.get("title", "")),
            str(citation.get("section", "")),
            str(citation.get("source", "")),
        )
        if key not in seen:
            seen.add(key)
            unique.append(citation)
    return unique


def referral_consults(
    records: Sequence[ConsultRecord], case_id: int | None
) -> list[dict[str, Any]]:
    """The consults a referral of case `case_id` prints: recorded on it and reviewed.

    Each: question, answer text (without the triage lines), confidence level, who
    reviewed it and when, and its sources once each. An unsaved case has none.
    """
    if case_id is None:
        return []
    chosen: list[dict[str, Any]] = []
    for record in records:
        if record.case_id != case_id or not record.reviewed:
            continue
        answer = record.answer
        confidence = answer.get("confidence") or {}
        chosen.append(
            {
                "question": record.question,
                "text": _without_triage_header(str(answer.get("text", ""))),
                "confidence": str(confidence.get("level", "low")),
                "engine": str(answer.get("engine", "")),
                "reviewed_by": record.reviewed_by or "",
                "reviewed_at": None
                if record.reviewed_at is None
                else record.reviewed_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                "citations": _sources(answer),
            }
        )
    return chosen


def _row(label: str, value: str) -> str:
    return f"<tr><th align='left'>{escape(label)}</th><td>{escape(value)}</td></tr>"


def _consults_html(consults: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each reviewed consult: question, answer, confidence and review, sources once."""
    parts: list[str] = []
    for consult in consults:
        parts.append(f"<h3>Question</h3><p>{escape(str(consult.get('question', '')))}</p>")
        parts.append(f"<p>{escape(str(consult.get('text', ''))).replace(chr(10), '<br>')}</p>")
        reviewed = ""
        if consult.get("reviewed_by"):
            reviewed = f"; reviewed by {consult['reviewed_by']}"
            if consult.get("reviewed_at"):
                reviewed += f" on {consult['reviewed_at']}"
        parts.append(
            f"<p><i>Confidence: {escape(str(consult.get('confidence', 'low')))}"
            f"{escape(reviewed)}</i></p><p><b>Sources:</b></p><ol>"
        )
        for citation in consult.get("citations", []):
            section = str(citation.get("section") or "")
            where = f" > {section}" if section else ""
            parts.append(
                f"<li>{escape(str(citation.get('title', '')))}{escape(where)} — "
                f"{escape(str(citation.get('source', '')))}</li>"
            )
        parts.append("</ol>")
    return parts


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
            parts.append(_row(label, vital_text(vitals[key], unit)))
    parts.append("</table>")
    if case.get("complaint"):
        parts.append(f"<h3>Complaint</h3><p>{escape(str(case['complaint']))}</p>")
    signs = signs_text(case)
    if signs:
        parts.append(f"<p><b>Signs:</b> {escape(signs)}</p>")
    durations = durations_text(case)
    if durations:
        parts.append(f"<p><b>For how long:</b> {escape(durations)}</p>")
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
    parts.extend(_consults_html(consults))
    if case.get("notes"):
        parts.append(f"<h3>Notes</h3><p>{escape(str(case['notes']))}</p>")
    parts.append(
        "<p><i>Decision support output for a trained health worker; clinical judgement "
        "and the receiving clinician's assessment come first.</i></p></body></html>"
    )
    return "\n".join(parts)
