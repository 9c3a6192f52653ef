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
from medassist_desktop.core.triage.catalogue import ROUTINE_TEXT, level_label, not_assessed_text
from medassist_desktop.i18n.catalogue import FALLBACK_LANGUAGE, gettext_noop, translate

QUOTE_CHARS = 600
# The fixed first line of an answer about a case. Every language's version starts with
# the same words before the parenthesis in English ("Triage (") or its translation, and
# `is_triage_header` knows them all.
HEADER_TEXT = gettext_noop("Triage (danger-sign rules {version}): {level}")
UNAVAILABLE_TEXT = gettext_noop(
    "The model is unavailable ({reason}). This answer is built from the danger-sign rules "
    "and the reference library only, without the model."
)
CLOSEST_TEXT = gettext_noop("The closest passages in the reference library, quoted:")
READ_CITED_TEXT = gettext_noop(
    "Read the cited passages in full before acting; follow national guidelines."
)
NO_PASSAGE_TEXT = gettext_noop(
    "No passage in the reference library matches this question. Follow national "
    "guidelines, and refer when in doubt."
)
PAGE_TEXT = gettext_noop(", p. {page}")


def header_prefixes(languages: tuple[str, ...]) -> tuple[str, ...]:
    """How the triage header begins in each of `languages` (to find it in a stored answer)."""
    return tuple(translate(HEADER_TEXT, language).split("{")[0] for language in languages)


def triage_header(triage: TriageResult, language: str = FALLBACK_LANGUAGE) -> str:
    """The first lines of every answer about a case: the rules' level, before any model text."""
    level = level_label(triage.level.value, language)
    heading = translate(HEADER_TEXT, language).format(version=triage.rules_version, level=level)
    if not triage.findings:
        missing = not_assessed_text(triage.not_assessed, language)
        routine = translate(ROUTINE_TEXT, language)
        routine = routine[:1].lower() + routine[1:]
        return f"{heading}: {routine}{f' ({missing})' if missing else ''}.\n\n"
    lines = [heading]
    lines.extend(
        f"- {translate(finding.label, language)} ({finding.level.value}; {finding.source})"
        for finding in triage.findings
    )
    return "\n".join(lines) + "\n\n"


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


def rules_answer(
    reason: str, passages: Sequence[Passage], language: str = FALLBACK_LANGUAGE
) -> str:
    """The body of a rules-only answer (the triage header, if any, goes before it).

    The passages are quoted as the library has them (English); only the wording around
    them is in `language`.
    """
    # A reason from the catalogue ("the model is still loading") is translated too.
    reason = translate(reason.rstrip("."), language)
    lines = [translate(UNAVAILABLE_TEXT, language).format(reason=reason), ""]
    if passages:
        lines.append(translate(CLOSEST_TEXT, language))
        for n, passage in enumerate(passages, start=1):
            where = " > ".join(part for part in (passage.title, passage.section) if part)
            page = ""
            if passage.page is not None:
                page = translate(PAGE_TEXT, language).format(page=passage.page)
            lines.append(f'[{n}] {where}{page}: "{quote(passage.text)}"')
        lines.append("")
        lines.append(translate(READ_CITED_TEXT, language))
    else:
        lines.append(translate(NO_PASSAGE_TEXT, language))
    return "\n".join(lines)


def refusal_text(language: str = FALLBACK_LANGUAGE) -> str:
    return translate(OUT_OF_SCOPE_REFUSAL, language)


__all__ = ["header_prefixes", "quote", "refusal_text", "rules_answer", "triage_header"]
