"""Remove patient identifiers from text before it leaves the machine for a cloud endpoint.

Two layers. The caller names the identifiers it knows (the patient's names; record
numbers, phone numbers...): each is removed wherever it appears, case-insensitively,
and a name also part by part ("Nguyen Van An" removes "Nguyen", "Van", "An" as whole
words), because notes often use one part alone. Then patterns catch the obvious
shapes of identifiers nobody named: labelled ids ("MRN: 48213", "ID 3392"), dates of
birth, phone-like digit runs of 7 or more, e-mail addresses, and record-number shapes
such as "KH-2024-00123" or "P0012345". Clinical numbers (doses "1000 mg", "38.5 C", "120/80",
years, ages) are left alone: the answer needs them.

This is a safety net, not a guarantee: the consult pipeline should send the cloud
only what it needs in the first place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NAME_PLACEHOLDER = "[patient]"
ID_PLACEHOLDER = "[id]"

_LABEL = (
    r"(?:patient\s*(?:id|no\.?|number|\#)|mrn|medical\s+record(?:\s+(?:no\.?|number))?|"
    r"record\s*(?:no\.?|number|\#)|hospital\s*(?:no\.?|number)|national\s+id|"
    r"id(?:\s*(?:no\.?|number|card))?|phone|tel\.?|mobile|passport(?:\s*no\.?)?)"
)
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "DOB: 1990-01-02", "date of birth 02/01/1990"
    (
        re.compile(
            r"(?i)\b(?:dob|d\.o\.b\.|date\s+of\s+birth|born(?:\s+on)?)\s*[:#]?\s*"
            r"\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}"
        ),
        f"date of birth {ID_PLACEHOLDER}",
    ),
    # labelled identifiers: "MRN: 48213", "ID 3392", "phone +855 12 345 678"
    (
        re.compile(
            rf"(?i)\b(?P<label>{_LABEL})\s*[:#]?\s*(?=[\w+/-]*\d)[\w+][\w/+-]*"
            r"(?:[ -]\d[\d -]*\d)?"
        ),
        rf"\g<label> {ID_PLACEHOLDER}",
    ),
    # phone numbers: international (+...) or local (0...) with spaces or dashes
    (re.compile(r"(?<![\w.])(?:\+\d|0\d)(?:[ -]?\d){5,}(?!\w|\.\d)"), ID_PLACEHOLDER),
    # any bare run of 7 or more digits
    (re.compile(r"(?<![\w.])\d{7,}(?!\w|\.\d)"), ID_PLACEHOLDER),
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_TOKEN = re.compile(r"(?<![\w.])[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*(?![\w])")
_NUMBER_WITH_UNIT = re.compile(r"^\d+(?:[.,]\d+)?[A-Za-z]{1,5}$")


def _looks_like_record_number(token: str) -> bool:
    """ "KH-2024-00123", "P0012345": letters and 4+ digits; not "1000mg", "COVID-19"."""
    digits = sum(c.isdigit() for c in token)
    has_letter = any(c.isalpha() for c in token)
    has_separator = "-" in token or "/" in token
    if not has_letter or digits < 4 or _NUMBER_WITH_UNIT.match(token):
        return False
    return has_separator or digits >= 5


def _term_patterns(names: Iterable[str], ids: Iterable[str]) -> list[tuple[re.Pattern[str], str]]:
    terms: dict[str, str] = {}
    for identifier in ids:
        value = " ".join(identifier.split())
        if value:
            terms[value] = ID_PLACEHOLDER
    for name in names:
        value = " ".join(name.split())
        if not value:
            continue
        terms[value] = NAME_PLACEHOLDER
        parts = value.split(" ")
        if len(parts) > 1:
            terms.update((part, NAME_PLACEHOLDER) for part in parts if len(part) >= 2)
    # Longest first, so a full name is replaced before its parts.
    ordered = sorted(terms, key=len, reverse=True)
    return [
        (
            re.compile(
                r"(?<!\w)" + r"\s+".join(re.escape(p) for p in term.split(" ")) + r"(?!\w)",
                re.IGNORECASE,
            ),
            terms[term],
        )
        for term in ordered
    ]


def strip_identifiers(text: str, *, names: Iterable[str] = (), ids: Iterable[str] = ()) -> str:
    """`text` with the given names and ids, and obvious identifier patterns, replaced."""
    result = _EMAIL.sub(ID_PLACEHOLDER, text)
    for pattern, replacement in _term_patterns(names, ids):
        result = pattern.sub(replacement, result)
    for pattern, replacement in _PATTERNS:
        result = pattern.sub(replacement, result)
    return _TOKEN.sub(
        lambda m: ID_PLACEHOLDER if _looks_like_record_number(m.group(0)) else m.group(0), result
    )
