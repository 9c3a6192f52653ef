"""How hard a database passphrase is to guess, judged the same way at every door.

The setup window, `MEDASSIST_DB_PASSPHRASE` and `medassist db change-passphrase` all
create a key from a passphrase; all of them refuse one that is short or guessable
(zxcvbn, counting the clinic's own words as known), so no door is the weak one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from medassist_desktop.i18n.catalogue import N_, Message

MIN_PASSPHRASE_LENGTH = 12
# zxcvbn's scale: 0 too guessable ... 4 very unguessable. Below this we refuse.
MIN_PASSPHRASE_SCORE = 2


@dataclass(frozen=True)
class PassphraseStrength:
    """zxcvbn's judgement of a passphrase, and whether we accept it."""

    score: int  # 0..4
    acceptable: bool
    warning: str
    suggestions: tuple[str, ...]


def passphrase_strength(text: str, user_inputs: Sequence[str] = ()) -> PassphraseStrength:
    """How hard `text` is to guess (zxcvbn), counting the clinic's own words as known."""
    if not text:
        return PassphraseStrength(0, False, "", ())
    from zxcvbn import zxcvbn  # a few MB of word lists: only when the page asks

    result = zxcvbn(text[:100], user_inputs=[word for word in user_inputs if word])
    score = int(result["score"])
    feedback = result["feedback"]
    return PassphraseStrength(
        score=score,
        acceptable=len(text) >= MIN_PASSPHRASE_LENGTH and score >= MIN_PASSPHRASE_SCORE,
        warning=str(feedback.get("warning") or ""),
        suggestions=tuple(str(s) for s in feedback.get("suggestions") or ()),
    )


def passphrase_problem(
    text: str, user_inputs: Sequence[str] = ()
) -> tuple[Message, Message | str] | None:
    """Why the setup window would refuse `text` as a new passphrase: (message, hint).

    The strength checker's own warning and suggestions are English and stay so.
    """
    if len(text) < MIN_PASSPHRASE_LENGTH:
        return (
            N_(
                "The database passphrase is too short (at least {count} characters).",
                count=MIN_PASSPHRASE_LENGTH,
            ),
            N_("Use four or five unrelated words."),
        )
    strength = passphrase_strength(text, user_inputs)
    if not strength.acceptable:
        return (
            N_(
                "The database passphrase is too easy to guess. {warning}",
                warning=strength.warning,
            ),
            " ".join(strength.suggestions) or N_("Use four or five unrelated words."),
        )
    return None
