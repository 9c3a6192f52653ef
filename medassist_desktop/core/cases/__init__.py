"""Patient cases: what a health worker records about one visit, its drafts and consults.

The case is the triage input (`core.triage.TriageCase`) plus who the patient is; it is
validated by the same rules, so a case that is saved can always be triaged.
"""

from medassist_desktop.core.cases.models import (
    Case,
    CaseDetails,
    CaseNotFoundError,
    CaseSummary,
    ConsultNotFoundError,
    ConsultRecord,
    Draft,
    parse_case_details,
)

__all__ = [
    "Case",
    "CaseDetails",
    "CaseNotFoundError",
    "CaseSummary",
    "ConsultNotFoundError",
    "ConsultRecord",
    "Draft",
    "parse_case_details",
]
