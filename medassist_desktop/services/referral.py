"""The referral summary: one page a receiving facility can read at a glance.

Built as HTML here (Qt-free, testable) and printed to paper or PDF by the UI.
Every value is escaped: names and notes are typed by people.

The summary is written in the health worker's language (`language`), and can be
written again in English for a receiving hospital that reads English: the wording
changes, never a value, a level code, a rule id or a source.

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
from medassist_desktop.core.assistant.fallback import header_prefixes
from medassist_desktop.core.cases.models import ConsultRecord
from medassist_desktop.core.triage import load_rules
from medassist_desktop.core.triage.catalogue import level_label
from medassist_desktop.i18n import SHIPPED_LANGUAGES
from medassist_desktop.i18n.catalogue import FALLBACK_LANGUAGE, gettext_noop, translate

LEVEL_COLOURS = {"emergency": "#b71c1c", "urgent": "#e65100", "routine": "#2e7d32"}

VITAL_LABELS = (
    ("temperature_c", gettext_noop("Temperature"), "°C"),
    ("respiratory_rate", gettext_noop("Respiratory rate"), "/min"),
    ("heart_rate", gettext_noop("Heart rate"), "/min"),
    ("spo2", gettext_noop("SpO2"), "%"),
    ("systolic_bp", gettext_noop("Systolic BP"), "mmHg"),
    ("diastolic_bp", gettext_noop("Diastolic BP"), "mmHg"),
    ("weight_kg", gettext_noop("Weight"), "kg"),
    ("muac_mm", gettext_noop("MUAC"), "mm"),
    ("glucose_mmol_l", gettext_noop("Blood glucose"), "mmol/L"),
    ("avpu", gettext_noop("AVPU"), ""),
)
# The words of the summary, in one place so that each language has them all.
TEXT = {
    "title": gettext_noop("Referral summary — {clinic}"),
    "prepared": gettext_noop("Prepared {when} by {who} with {app}."),
    "patient": gettext_noop("Patient"),
    "name": gettext_noop("Name"),
    "patient_id": gettext_noop("Clinic patient id"),
    "age": gettext_noop("Age"),
    "sex": gettext_noop("Sex"),
    "age_days": gettext_noop("Age in days"),
    "pregnant": gettext_noop("Pregnant"),
    "pregnant_weeks": gettext_noop("yes, {weeks} weeks"),
    "yes": gettext_noop("yes"),
    "gave_birth": gettext_noop("Gave birth"),
    "days_ago": gettext_noop("{days} days ago"),
    "complaint": gettext_noop("Complaint"),
    "signs": gettext_noop("Signs:"),
    "durations": gettext_noop("For how long:"),
    "triage": gettext_noop("Triage:"),
    "rules_version": gettext_noop("Rules version {version}"),
    "notes": gettext_noop("Notes"),
    "question": gettext_noop("Question"),
    "confidence": gettext_noop("Confidence: {level}"),
    "reviewed_by": gettext_noop("; reviewed by {who}"),
    "reviewed_on": gettext_noop(" on {when}"),
    "sources": gettext_noop("Sources:"),
    "unknown": gettext_noop("unknown"),
    "fever": gettext_noop("fever ({temperature})"),
    "day": gettext_noop("{count} day"),
    "days": gettext_noop("{count} days"),
    "month": gettext_noop("{count} month"),
    "months": gettext_noop("{count} months"),
    "year": gettext_noop("{count} year"),
    "years": gettext_noop("{count} years"),
    "disclaimer": gettext_noop(
        "Decision support output for a trained health worker; clinical judgement "
        "and the receiving clinician's assessment come first."
    ),
    "english_copy": gettext_noop("English copy of the referral summary"),
}
# Words a form stores as codes (sex, confidence level), shown in the summary's language.
VALUE_WORDS = {
    "female": gettext_noop("female"),
    "male": gettext_noop("male"),
    "other": gettext_noop("other"),
    "high": gettext_noop("high"),
    "medium": gettext_noop("medium"),
    "low": gettext_noop("low"),
}


def _t(key: str, language: str, **values: Any) -> str:
    text = translate(TEXT[key], language)
    return text.format(**values) if values else text


def _word(value: str, language: str) -> str:
    return translate(VALUE_WORDS[value], language) if value in VALUE_WORDS else value


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


def signs_text(
    case: Mapping[str, Any],
    language: str = FALLBACK_LANGUAGE,
    labels: Mapping[str, str] | None = None,
) -> str:
    """The signs, readable; fever added when the measured temperature is a fever.

    `labels`: the rules' label of each sign code (translated into `language`); a code
    without one is printed as its words ("chest indrawing").
    """
    labels = labels or {}

    def readable(code: str) -> str:
        label = labels.get(code)
        return translate(label, language) if label else code.replace("_", " ")

    codes = [str(s) for s in case.get("signs") or []]
    signs = [readable(code) for code in codes]
    temperature = (case.get("vitals") or {}).get("temperature_c")
    try:
        febrile = temperature is not None and float(temperature) >= FEVER_FROM_C
    except (TypeError, ValueError):
        febrile = False
    if febrile and "fever" not in codes:
        signs.insert(0, _t("fever", language, temperature=vital_text(temperature, "°C")))
    return ", ".join(signs)


def durations_text(
    case: Mapping[str, Any],
    language: str = FALLBACK_LANGUAGE,
    labels: Mapping[str, str] | None = None,
) -> str:
    """The durations of the case, e.g. "cough 3 days, fever 1 day"."""
    durations = case.get("duration_days") or {}
    labels = labels or {}
    parts = []
    for sign, days in durations.items():
        if days:
            label = labels.get(str(sign))
            name = translate(label, language) if label else str(sign).replace("_", " ")
            amount = _t("day" if float(days) == 1 else "days", language, count=_number(days))
            parts.append(f"{name} {amount}")
    return ", ".join(parts)


def _age_text(age_months: int | None, language: str = FALLBACK_LANGUAGE) -> str:
    if age_months is None:
        return _t("unknown", language)
    years, months = divmod(int(age_months), 12)
    month_text = _t("month" if months == 1 else "months", language, count=months)
    if years == 0:
        return month_text
    year_text = _t("year" if years == 1 else "years", language, count=years)
    return f"{year_text} {month_text}" if months else year_text


def _without_triage_header(text: str) -> str:
    """The answer without its leading triage lines (the summary prints the triage once)."""
    if text.startswith(header_prefixes(SHIPPED_LANGUAGES)):
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


def _consults_html(consults: Sequence[Mapping[str, Any]], language: str) -> list[str]:
    """Each reviewed consult: question, answer, confidence and review, sources once.

    The question and the answer are printed as they were asked and answered.
    """
    parts: list[str] = []
    for consult in consults:
        question = escape(str(consult.get("question", "")))
        parts.append(f"<h3>{escape(_t('question', language))}</h3><p>{question}</p>")
        parts.append(f"<p>{escape(str(consult.get('text', ''))).replace(chr(10), '<br>')}</p>")
        reviewed = ""
        if consult.get("reviewed_by"):
            reviewed = _t("reviewed_by", language, who=consult["reviewed_by"])
            if consult.get("reviewed_at"):
                reviewed += _t("reviewed_on", language, when=consult["reviewed_at"])
        confidence = _t(
            "confidence", language, level=_word(str(consult.get("confidence", "low")), language)
        )
        parts.append(
            f"<p><i>{escape(confidence)}{escape(reviewed)}</i></p>"
            f"<p><b>{escape(_t('sources', language))}</b></p><ol>"
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
    language: str = FALLBACK_LANGUAGE,
    sign_labels: Mapping[str, str] | None = None,
) -> str:
    """HTML for the referral summary of one case, in `language`.

    `sign_labels`: the rules' English label of each sign code (`RuleSet.signs`), so the
    signs print as words a receiving clinician reads; without it, the packaged rules'
    labels in a translated summary, and the codes' own words in English.
    """
    when = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    lang = language
    if sign_labels is None and lang != FALLBACK_LANGUAGE:
        # Sign codes are English words; in another language they print as the rules' labels.
        sign_labels = load_rules().signs
    parts = [
        f"<html lang='{escape(lang)}'><body style='font-family: sans-serif; font-size: 10pt;'>",
        f"<h2>{escape(_t('title', lang, clinic=clinic))}</h2>",
        f"<p>{escape(_t('prepared', lang, when=when, who=prepared_by, app=APP_NAME))}</p>",
        f"<h3>{escape(_t('patient', lang))}</h3><table cellpadding='2'>",
        _row(_t("name", lang), str(case.get("name") or "")),
        _row(_t("patient_id", lang), str(case.get("patient_id") or "—")),
        _row(_t("age", lang), _age_text(case.get("age_months"), lang)),
        _row(_t("sex", lang), _word(str(case.get("sex") or "—"), lang)),
    ]
    if case.get("age_days") is not None:
        parts.append(_row(_t("age_days", lang), str(case["age_days"])))
    if case.get("pregnant"):
        weeks = case.get("gestation_weeks")
        pregnant = _t("pregnant_weeks", lang, weeks=weeks) if weeks else _t("yes", lang)
        parts.append(_row(_t("pregnant", lang), pregnant))
    if case.get("postpartum_days") is not None:
        parts.append(
            _row(_t("gave_birth", lang), _t("days_ago", lang, days=case["postpartum_days"]))
        )
    vitals = case.get("vitals") or {}
    for key, label, unit in VITAL_LABELS:
        if vitals.get(key) is not None:
            parts.append(_row(translate(label, lang), vital_text(vitals[key], unit)))
    parts.append("</table>")
    if case.get("complaint"):
        complaint = escape(str(case["complaint"]))
        parts.append(f"<h3>{escape(_t('complaint', lang))}</h3><p>{complaint}</p>")
    signs = signs_text(case, lang, sign_labels)
    if signs:
        parts.append(f"<p><b>{escape(_t('signs', lang))}</b> {escape(signs)}</p>")
    durations = durations_text(case, lang, sign_labels)
    if durations:
        parts.append(f"<p><b>{escape(_t('durations', lang))}</b> {escape(durations)}</p>")
    if triage:
        parts.extend(_triage_html(triage, lang))
    parts.extend(_consults_html(consults, lang))
    if case.get("notes"):
        parts.append(f"<h3>{escape(_t('notes', lang))}</h3><p>{escape(str(case['notes']))}</p>")
    parts.append(f"<p><i>{escape(_t('disclaimer', lang))}</i></p></body></html>")
    return "\n".join(parts)


def _triage_html(triage: Mapping[str, Any], language: str) -> list[str]:
    """The rules' level and findings; rule ids and sources stay as the rules file has them."""
    level = str(triage.get("level", "routine"))
    colour = LEVEL_COLOURS.get(level, "#000000")
    parts = [
        f"<h3>{escape(_t('triage', language))} <span style='color:{colour}'>"
        f"{escape(level_label(level, language))}</span></h3><ul>"
    ]
    for finding in triage.get("findings", []):
        label = translate(str(finding.get("label", "")), language)
        parts.append(
            f"<li>{escape(label)} "
            f"<i>({escape(str(finding.get('rule', '')))}; "
            f"{escape(str(finding.get('source', '')))})</i></li>"
        )
    version = _t("rules_version", language, version=triage.get("rules_version", ""))
    parts.append(f"</ul><p>{escape(version)}</p>")
    return parts


def referral_copies(
    case: Mapping[str, Any],
    triage: Mapping[str, Any] | None,
    consults: Sequence[Mapping[str, Any]] = (),
    *,
    clinic: str,
    prepared_by: str,
    language: str,
    english_copy: bool,
    now: datetime | None = None,
    sign_labels: Mapping[str, str] | None = None,
) -> str:
    """The summary in `language`, followed on a new page by an English copy if asked.

    A receiving hospital may not read the clinic's language; the English copy carries the
    same values in the same order, so either page can be read alone.
    """
    common: dict[str, Any] = {
        "clinic": clinic,
        "prepared_by": prepared_by,
        "now": now,
        "sign_labels": sign_labels,
    }
    local = referral_html(case, triage, consults, language=language, **common)
    if not english_copy or language == FALLBACK_LANGUAGE:
        return local
    english = referral_html(case, triage, consults, language=FALLBACK_LANGUAGE, **common)
    body = english.split("<body", 1)[1].split(">", 1)[1].removesuffix("</body></html>")
    heading = escape(_t("english_copy", FALLBACK_LANGUAGE))
    return local.removesuffix("</body></html>") + (
        f"<div style='page-break-before: always;'></div><p><i>{heading}</i></p>{body}</body></html>"
    )
