"""What the model reads: instructions, the rules' triage, the case, numbered passages, the question.

Why it is written this way:
- The model answers only from the numbered passages and cites them as [n]; when they
  do not cover the question it must say so. A small local model invents confidently
  otherwise, and a health worker can check a cited passage but not a memory.
- The triage level decided by the rules is stated as fixed: the model must not
  contradict it (and `guard.py` makes sure its text cannot lower it anyway).
- The case is summarised from the triage input only (age, sex, pregnancy, vitals,
  signs, durations, complaint). That input has no name or record number, and the free
  text complaint is passed through `strip_identifiers` in case one was typed into it.
- A prompt for a cloud endpoint (`audience="cloud"`) is built from an allow-list
  instead: an age band rather than the age, sex, pregnancy, vitals, sign codes,
  durations and the rules' triage; the complaint and the question only after
  stripping with the case's own name, patient id and carers' names. What leaves the
  machine is what the answer needs, not what the record holds.
- Everything is fitted to the context with `budget.fit_prompt`: the answer keeps its
  room, the lowest-ranked passages are dropped first. Passage numbers are given before
  fitting, and only the tail is ever dropped, so [n] always means the same passage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from medassist_desktop.core.inference.budget import BudgetedPrompt, PromptParts, fit_prompt
from medassist_desktop.core.inference.deidentify import (
    PatientIdentifiers,
    strip_case_identifiers,
    strip_identifiers,
)
from medassist_desktop.core.inference.interface import ChatMessage, InferenceEngine
from medassist_desktop.core.knowledge.passages import Passage
from medassist_desktop.core.triage import TriageCase, TriageResult
from medassist_desktop.core.triage.catalogue import ROUTINE_TEXT

# Short on purpose: small models tend to repeat the instructions back instead of answering.
# Gemma 3 270M (greedy) echoed the first, longer text in 4 of 4 questions and this one in
# 3 of 4 (benchmarks/results/consult.json); `grounding.py` marks such answers low.
ROLE_TEXT = (
    "You are MedAssist, a clinical assistant for trained health workers in rural clinics. "
    "You support their judgement and national guidelines; you do not replace them."
)
RULES_TEXT = (
    "Answer only from the numbered passages and cite them like [1]. If they do not cover "
    "the question, say so and do not guess. Never invent a dose."
)
NO_PASSAGES_TEXT = (
    "No reference passage matched this question: say that the reference library does not "
    "cover it, and advise following national guidelines or referring."
)
PASSAGES_HEADER = "Reference passages:"
# The instructions stay in English (what the models follow best); only the answer's
# language changes. The passages are English, so the model translates what it cites,
# and the citation marks [n] stay as they are.
LANGUAGE_NAMES = {"id": "Indonesian (Bahasa Indonesia)", "vi": "Vietnamese (Tiếng Việt)"}
LANGUAGE_TEXT = (
    "Write the whole answer in {name}, in plain words a health worker uses. Keep the "
    "citations like [1], the numbers and the units exactly as in the passages."
)


def language_instruction(language: str) -> str:
    """The line asking for an answer in `language` ("" for English, the default)."""
    name = LANGUAGE_NAMES.get(language)
    return LANGUAGE_TEXT.format(name=name) if name else ""


MAX_PASSAGE_CHARS = 1500

VITAL_LABELS: dict[str, tuple[str, str]] = {
    "temperature_c": ("temperature", "°C"),
    "respiratory_rate": ("respiratory rate", "/min"),
    "heart_rate": ("heart rate", "/min"),
    "spo2": ("SpO2", "%"),
    "systolic_bp": ("systolic BP", " mmHg"),
    "diastolic_bp": ("diastolic BP", " mmHg"),
    "weight_kg": ("weight", " kg"),
    "muac_mm": ("MUAC", " mm"),
    "glucose_mmol_l": ("blood glucose", " mmol/L"),
}

_CITATION = re.compile(r"\[(\d{1,2}(?:\s*[,;–-]\s*\d{1,2})*)\]")


def describe_age(age_months: int) -> str:
    if age_months < 24:
        return f"{age_months} months old"
    years, months = divmod(age_months, 12)
    return (
        f"{years} years old" if years >= 5 or not months else f"{years} years {months} months old"
    )


def _number(value: float) -> str:
    return f"{value:g}"


def case_summary(case: TriageCase) -> str:
    """One paragraph about the patient, from the triage input (never a name or an id)."""
    age = f"{case.age_days} days old" if case.age_days is not None else None
    parts = [age or describe_age(case.age_months)]
    if case.sex:
        parts.append(case.sex)
    if case.pregnant:
        weeks = case.gestation_weeks
        parts.append(f"pregnant ({weeks} weeks)" if weeks else "pregnant")
    if case.postpartum_days is not None:
        parts.append(f"gave birth {case.postpartum_days} days ago")
    lines = ["Patient: " + ", ".join(parts) + "."]
    if case.vitals is not None:
        vitals = [
            f"{label} {_number(value)}{unit}"
            for name, (label, unit) in VITAL_LABELS.items()
            if (value := getattr(case.vitals, name)) is not None
        ]
        if case.vitals.avpu:
            vitals.append(f"AVPU {case.vitals.avpu}")
        if vitals:
            lines.append("Vital signs: " + ", ".join(vitals) + ".")
    if case.signs:
        lines.append("Signs: " + ", ".join(s.replace("_", " ") for s in case.signs) + ".")
    durations = [
        f"{name.replace('_', ' ')} {_number(days)} days"
        for name, days in (case.duration_days or {}).items()
        if days
    ]
    if durations:
        lines.append("Duration: " + ", ".join(durations) + ".")
    if case.complaint and case.complaint.strip():
        lines.append("Complaint: " + strip_identifiers(" ".join(case.complaint.split())) + ".")
    return " ".join(lines)


# Age bands of the WHO charts (young infant, infant, child under 5, school age, adult).
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (2, "under 2 months"),
    (12, "2-11 months"),
    (60, "1-4 years"),
    (180, "5-14 years"),
    (600, "15-49 years"),
    (780, "50-64 years"),
)

Audience = Literal["local", "cloud"]


def age_band(age_months: int) -> str:
    for upper, band in AGE_BANDS:
        if age_months < upper:
            return band
    return "65 years or older"


def cloud_case_summary(case: TriageCase, identifiers: PatientIdentifiers) -> str:
    """The allow-listed case for a cloud endpoint: no exact age, sign codes, free text stripped."""
    parts = [f"age band {age_band(case.age_months)}"]
    if case.sex:
        parts.append(case.sex)
    if case.pregnant:
        parts.append("pregnant")
    lines = ["Patient: " + ", ".join(parts) + "."]
    if case.vitals is not None:
        vitals = [
            f"{label} {_number(value)}{unit}"
            for name, (label, unit) in VITAL_LABELS.items()
            if (value := getattr(case.vitals, name)) is not None
        ]
        if vitals:
            lines.append("Vital signs: " + ", ".join(vitals) + ".")
    if case.signs:
        lines.append("Sign codes: " + ", ".join(case.signs) + ".")
    durations = [
        f"{name} {_number(days)} days" for name, days in (case.duration_days or {}).items() if days
    ]
    if durations:
        lines.append("Duration: " + ", ".join(durations) + ".")
    if case.complaint and case.complaint.strip():
        complaint = strip_case_identifiers(" ".join(case.complaint.split()), identifiers)
        lines.append("Complaint: " + complaint + ".")
    return " ".join(lines)


def triage_statement(triage: TriageResult) -> str:
    """The rules' level as a fixed fact for the model."""
    level = triage.level.value.upper()
    if triage.findings:
        found = "; ".join(finding.label for finding in triage.findings)
        because = f" because of: {found}"
    else:
        because = f" ({ROUTINE_TEXT.lower()})"
    return (
        f"The danger-sign rules triaged this patient as {level}{because}. "
        f"Do not contradict this level: never suggest the patient is less urgent than {level}."
    )


def system_text(
    case: TriageCase | None,
    triage: TriageResult | None,
    has_passages: bool,
    *,
    audience: Audience = "local",
    identifiers: PatientIdentifiers | None = None,
    language: str = "en",
) -> str:
    parts = [ROLE_TEXT, RULES_TEXT if has_passages else NO_PASSAGES_TEXT]
    if instruction := language_instruction(language):
        parts.append(instruction)
    if triage is not None:
        parts.append(triage_statement(triage))
    if case is not None:
        if audience == "cloud":
            parts.append(cloud_case_summary(case, identifiers or PatientIdentifiers()))
        else:
            parts.append(case_summary(case))
    return "\n\n".join(parts)


def format_passage(n: int, passage: Passage) -> str:
    where = " > ".join(part for part in (passage.title, passage.section) if part)
    page = f", p. {passage.page}" if passage.page is not None else ""
    text = passage.text
    if len(text) > MAX_PASSAGE_CHARS:
        text = text[:MAX_PASSAGE_CHARS].rsplit(" ", 1)[0] + " …"
    return f"[{n}] {where}{page}\n{text}"


@dataclass(frozen=True)
class BuiltPrompt:
    budgeted: BudgetedPrompt
    passages: list[Passage]  # the ones the model was shown, numbered from 1

    @property
    def messages(self) -> list[ChatMessage]:
        return self.budgeted.messages


def build_prompt(
    engine: InferenceEngine,
    *,
    question: str,
    passages: Sequence[Passage],
    case: TriageCase | None,
    triage: TriageResult | None,
    answer_tokens: int,
    audience: Audience = "local",
    identifiers: PatientIdentifiers | None = None,
    language: str = "en",
) -> BuiltPrompt:
    """The messages for `engine`, within its context; passages best first.

    `audience="cloud"`: the allow-listed case summary, and the question stripped of
    `identifiers` and identifier patterns (see the module docstring). `language`: the
    language the answer is asked in (the health worker's).
    """
    ids = identifiers or PatientIdentifiers()
    asked = question.strip()
    if audience == "cloud":
        asked = strip_case_identifiers(asked, ids)
    parts = PromptParts(
        system=system_text(
            case, triage, bool(passages), audience=audience, identifiers=ids, language=language
        ),
        question=asked,
        passages=[format_passage(n, p) for n, p in enumerate(passages, start=1)],
        passages_header=PASSAGES_HEADER,
    )
    budgeted = fit_prompt(
        parts, count_tokens=engine.count_tokens, n_ctx=engine.n_ctx, answer_tokens=answer_tokens
    )
    return BuiltPrompt(budgeted=budgeted, passages=list(passages[: budgeted.kept_passages]))


def cited_numbers(text: str) -> list[int]:
    """The passage numbers a text cites: [1], [2, 3], [1-3], in order of first mention."""
    numbers: list[int] = []
    for match in _CITATION.finditer(text):
        for piece in re.split(r"\s*[,;]\s*", match.group(1)):
            bounds = re.split(r"\s*[–-]\s*", piece)
            low, high = int(bounds[0]), int(bounds[-1])
            for n in range(low, min(high, low + 20) + 1):
                if n not in numbers:
                    numbers.append(n)
    return numbers


__all__ = [
    "Audience",
    "BuiltPrompt",
    "age_band",
    "build_prompt",
    "case_summary",
    "cited_numbers",
    "cloud_case_summary",
    "format_passage",
    "system_text",
    "triage_statement",
]
