"""Reading which triage level a model's text seems to claim, so the guard can overrule it.

The level shown is always the rules' (`core/triage/guard.py`); this module only
finds out whether the text *reads* as a different level, so the answer can say
plainly that the rules' level stands, and the audit log records the disagreement
for rule review. It errs towards finding a lower claim: a spurious "the rules'
level stands" note on an emergency is harmless, a missed "this is routine" is not.

The lowest level the text claims anywhere is returned: one reassuring sentence in
an otherwise alarming answer is exactly what must be caught. Separately, the highest
level it claims is read so that an answer that sounds more alarming than the rules
(it says "emergency" on an urgent case) gets a visible "check" note: that note can
only raise the health worker's attention, the level shown never moves.
"""

from __future__ import annotations

import re

from medassist_desktop.core.triage import Level

_ROUTINE = re.compile(
    r"\broutine\b"
    r"|\bnon[- ]?urgent\b"
    r"|\bnot\s+(?:an?\s+|very\s+|too\s+)?(?:urgent|emergency|serious|dangerous|severe)\b"
    r"|\bno\s+(?:need\s+(?:to|for)\s+(?:refer|referral|urgent|hospital)\w*|danger\s+signs?)\b"
    r"|\b(?:can|may|should)\s+be\s+(?:managed|treated|cared\s+for)\s+at\s+home\b"
    r"|\b(?:mild|minor)\s+(?:illness|case|condition|problem)\b",
    re.IGNORECASE,
)
_URGENT = re.compile(r"(?<![-\w])(?<!non-)(?<!not )(?<!non )\burgent(?:ly)?\b", re.IGNORECASE)
_EMERGENCY = re.compile(r"(?<!not an )(?<!not )\bemergenc(?:y|ies)\b", re.IGNORECASE)


def claimed_level(text: str) -> Level | None:
    """The lowest triage level `text` appears to claim, or None when it names none."""
    if _ROUTINE.search(text):
        return Level.ROUTINE
    if _URGENT.search(text):
        return Level.URGENT
    if _EMERGENCY.search(text):
        return Level.EMERGENCY
    return None


def suggested_level(text: str) -> Level | None:
    """The highest triage level `text` appears to claim, or None when it names none."""
    if _EMERGENCY.search(text):
        return Level.EMERGENCY
    if _URGENT.search(text):
        return Level.URGENT
    if _ROUTINE.search(text):
        return Level.ROUTINE
    return None


def higher_urgency_note(rules_level: Level, suggested: Level) -> str:
    """What the answer says when its text reads as MORE urgent than the rules' level."""
    return (
        f"Check: the answer suggests higher urgency ({suggested.value.upper()}) than the "
        f"danger-sign rules ({rules_level.value.upper()}). Re-examine the patient for danger "
        "signs; the rules' level is never lowered by this note, and you may refer sooner."
    )


def override_note(rules_level: Level, claimed: Level) -> str:
    """What the answer says when its text reads as lower than the rules' level."""
    return (
        f"Note: parts of this answer may read as {claimed.value.upper()}. The danger-sign "
        f"rules triaged this patient as {rules_level.value.upper()}; that level stands."
    )


__all__ = ["claimed_level", "higher_urgency_note", "override_note", "suggested_level"]
