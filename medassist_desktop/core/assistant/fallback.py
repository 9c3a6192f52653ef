"""Texts the pipeline writes itself: the triage header, the rules-only answer, the refusal.

When the model cannot load or fails, the health worker still gets what does not need
a model: the rules' triage with its findings and sources, and the best passages of the
library, quoted and cited, under a plain statement that the model was unavailable and
why. Nothing here paraphrases or summarises: it quotes, so it cannot distort.
"""

from __future__ import annotations

from collections.abc import Sequence

from medassist_desktop.core.knowledge.passages import Passage
from medassist_desktop.core.routing import OUT_OF_SCOPE_REFUSAL
from medassist_desktop.core.triage import TriageResult
from medassist_desktop.core.triage.catalogue import ROUTINE_TEXT, not_assessed_text

QUOTE_CHARS = 600


def triage_header(triage: TriageResult) -> str:
    """The first lines of every answer about a case: the rules' level, before any model text."""
    level = triage.level.value.upper()
    if not triage.findings:
        missing = not_assessed_text(triage.not_assessed)
        return (
            f"Triage (danger-sign rules {triage.rules_version}): {level}: "
            f"{ROUTINE_TEXT.lower()}{f' ({missing})' if missing else ''}.\n\n"
        )
    lines = [f"Triage (danger-sign rules {triage.rules_version}): {level}"]
    lines.extend(
        f"- {finding.label} ({finding.level.value}; {finding.source})"
        for finding in triage.findings
    )
    return "\n".join(lines) + "\n\n"


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


def rules_answer(reason: str, passages: Sequence[Passage]) -> str:
    """The body of a rules-only answer (the triage header, if any, goes before it)."""
    lines = [
        f"The model is unavailable ({reason.rstrip('.')}). This answer is built from the "
        "danger-sign rules and the reference library only, without the model.",
        "",
    ]
    if passages:
        lines.append("The closest passages in the reference library, quoted:")
        for n, passage in enumerate(passages, start=1):
            where = " > ".join(part for part in (passage.title, passage.section) if part)
            page = f", p. {passage.page}" if passage.page is not None else ""
            lines.append(f'[{n}] {where}{page}: "{quote(passage.text)}"')
        lines.append("")
        lines.append("Read the cited passages in full before acting; follow national guidelines.")
    else:
        lines.append(
            "No passage in the reference library matches this question. Follow national "
            "guidelines, and refer when in doubt."
        )
    return "\n".join(lines)


def refusal_text() -> str:
    return OUT_OF_SCOPE_REFUSAL


__all__ = ["quote", "refusal_text", "rules_answer", "triage_header"]
