"""Remove patient identifiers from text before it leaves the machine for a cloud endpoint.

Two layers. The caller names the identifiers it knows (`PatientIdentifiers`: the
patient's name, the clinic's patient id, the carers' names): each is removed wherever
it appears, case-insensitively, with and without Vietnamese diacritics ("Nguyễn" and
"Nguyen"), and a name also part by part ("Nguyen Van An" removes "Nguyen", "Van",
"An" as whole words) because notes often use one part alone. Then patterns catch the
shapes of identifiers nobody named (`identifier_patterns`): labelled ids ("MRN:
48213"), dates of birth and other dates, the region's phone and national-id formats,
e-mail addresses, addresses, names after a title ("Mrs Lan"), and record-number
shapes such as "KH-2024-00123". Clinical numbers (doses "1000 mg", unit ratios
"125mg/5ml", "38.5 C", "120/80", ages) are left alone: the answer needs them.

This is a safety net, not a guarantee: the consult pipeline sends the cloud a
structured, allow-listed summary of the case and strips only the free text it must send.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from medassist_desktop.core.inference.identifier_patterns import (
    BARE_UNIT,
    BIRTH_YEAR,
    DATE_OF_BIRTH,
    DATE_PLACEHOLDER,
    ID_PLACEHOLDER,
    NAME_TAIL,
    NAMED_BY_TITLE,
    NUMBER_WITH_UNIT,
    PATTERNS,
)

NAME_PLACEHOLDER = "[patient]"

# The keys of a saved case that identify the patient (never part of the triage input).
IDENTITY_KEYS = ("name", "patient_id", "carers", "notes")

_LABEL = (
    r"(?:patient\s*(?:id|no\.?|number|\#)|mrn|medical\s+record(?:\s+(?:no\.?|number))?|"
    r"record\s*(?:no\.?|number|\#)|hospital\s*(?:no\.?|number)|national\s+id|nik|nric|"
    r"cccd|cmnd|ic(?:\s*no\.?)?|mykad|philhealth(?:\s*no\.?)?|sss(?:\s*no\.?)?|tin|"
    r"umid|philsys|psn|pcn|bpjs|kk|ktp|"
    r"id(?:\s*(?:no\.?|number|card))?|phone|tel\.?|mobile|hp|sđt|đt|no\.?\s*hp|"
    r"telp\.?|whatsapp|wa|zalo|line|passport(?:\s*no\.?)?)"
)
_LABELLED_ID = re.compile(
    rf"(?i)(?<!\w)(?P<label>{_LABEL})\s*[:#.]?\s*(?=[\w+/()-]*\d)[\w+(][\w/+-]*"
    r"(?:\)?[ .-]?\(?\d[\d .()-]*\d)?"
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_TOKEN = re.compile(r"(?<![\w.])[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*(?![\w])")
# Name parts this short match only when capitalised ("An", not the article "an").
_SHORT_PART = 3


@dataclass(frozen=True)
class PatientIdentifiers:
    """What the case itself says identifies the patient: removed from text that leaves."""

    names: tuple[str, ...] = ()  # the patient's and the carers' names
    ids: tuple[str, ...] = ()  # the clinic's patient id, other record numbers

    @classmethod
    def from_case(cls, case: Mapping[str, Any] | None) -> PatientIdentifiers:
        """The identifiers a saved case carries (name, patient id, carers)."""
        if not case:
            return cls()
        names = [case.get("name")]
        carers = case.get("carers") or ()
        names.extend(carers if isinstance(carers, list | tuple) else [carers])
        ids = [case.get("patient_id")]
        return cls(
            names=tuple(str(n) for n in names if n and str(n).strip()),
            ids=tuple(str(i) for i in ids if i and str(i).strip()),
        )

    def __bool__(self) -> bool:
        return bool(self.names or self.ids)


def split_case(
    case: Mapping[str, Any] | None,
) -> tuple[dict[str, Any] | None, PatientIdentifiers]:
    """(the triage input, the identifiers) of a case given with its name, id, carers, notes."""
    if case is None:
        return None, PatientIdentifiers()
    triage_input = {k: v for k, v in case.items() if k not in IDENTITY_KEYS}
    return triage_input, PatientIdentifiers.from_case(case)


def fold_diacritics(text: str) -> str:
    """ "Nguyễn Văn Đức" -> "Nguyen Van Duc": how names are often typed without a VN keyboard."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _looks_like_record_number(token: str) -> bool:
    """ "KH-2024-00123", "P0012345": letters and 4+ digits; not "1000mg", "125mg/5ml"."""
    digits = sum(c.isdigit() for c in token)
    has_letter = any(c.isalpha() for c in token)
    has_separator = "-" in token or "/" in token
    if not has_letter or digits < 4:
        return False
    parts = re.split(r"[-/]", token)
    if all(p.isdigit() or NUMBER_WITH_UNIT.match(p) or BARE_UNIT.match(p) for p in parts):
        return False  # a dose or a unit ratio
    return has_separator or digits >= 5


def _term_pattern(term: str, *, exact_case: bool) -> re.Pattern[str]:
    words = [re.escape(p) for p in term.split(" ")]
    body = r"\s+".join(words)
    if exact_case:  # "An" or "AN", never "an"
        body = f"(?:{body}|{re.escape(term.upper())})"
        return re.compile(rf"(?<!\w){body}(?!\w)")
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def _term_patterns(names: Iterable[str], ids: Iterable[str]) -> list[tuple[re.Pattern[str], str]]:
    terms: dict[str, str] = {}
    for identifier in ids:
        value = " ".join(unicodedata.normalize("NFC", identifier).split())
        if value:
            terms[value] = ID_PLACEHOLDER
    for name in names:
        value = " ".join(unicodedata.normalize("NFC", name).split())
        if not value:
            continue
        for variant in {value, fold_diacritics(value)}:
            terms[variant] = NAME_PLACEHOLDER
            parts = variant.split(" ")
            if len(parts) > 1:
                terms.update((part, NAME_PLACEHOLDER) for part in parts if len(part) >= 2)
    # Longest first, so a full name is replaced before its parts.
    ordered = sorted(terms, key=len, reverse=True)
    return [
        (
            _term_pattern(
                term, exact_case=terms[term] == NAME_PLACEHOLDER and len(term) <= _SHORT_PART
            ),
            terms[term],
        )
        for term in ordered
    ]


def strip_identifiers(text: str, *, names: Iterable[str] = (), ids: Iterable[str] = ()) -> str:
    """`text` with the given names and ids, and identifier patterns, replaced."""
    result = unicodedata.normalize("NFC", text)
    result = _EMAIL.sub(ID_PLACEHOLDER, result)
    result = NAMED_BY_TITLE[0].sub(NAMED_BY_TITLE[1], result)
    for pattern, replacement in _term_patterns(names, ids):
        result = pattern.sub(replacement, result)
    result = NAME_TAIL[0].sub(NAME_TAIL[1], result)
    result = DATE_OF_BIRTH.sub(f"date of birth {ID_PLACEHOLDER}", result)
    result = BIRTH_YEAR.sub(f"born {DATE_PLACEHOLDER}", result)
    result = _LABELLED_ID.sub(rf"\g<label> {ID_PLACEHOLDER}", result)
    for pattern, replace in PATTERNS:
        result = pattern.sub(replace, result)
    return _TOKEN.sub(
        lambda m: ID_PLACEHOLDER if _looks_like_record_number(m.group(0)) else m.group(0), result
    )


def strip_case_identifiers(text: str, identifiers: PatientIdentifiers) -> str:
    return strip_identifiers(text, names=identifiers.names, ids=identifiers.ids)
