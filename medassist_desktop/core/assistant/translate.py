"""An English rendering of a question asked in another language, for routing and retrieval.

Why: the reference library and the router's intent examples are English. A question
typed in Vietnamese or Indonesian shares few words with them (the clinical lexicon
keeps the router from refusing it, but keyword search finds nothing and the intent is
guessed from the lexicon alone), so when a model that writes clinical answers is
loaded, the question is first rendered in English and that rendering is what is
routed and searched. The answer is
still written from the question as typed, and the audit keeps only hashes.

- `needs_translation` is a cheap check, no model: English (the default) never needs
  it; a question with letters outside ASCII (Vietnamese diacritics) does; an ASCII
  question (Indonesian, or Vietnamese typed without accents) does when it has more of
  the common Indonesian/Vietnamese function words than English ones. A question with
  none of either (a drug name, "ORS dose") is searched as typed: such words are the
  same in the library.
- `translate_question` asks the loaded engine with a short fixed instruction, greedy,
  with a small token cap and a time limit (the engine is cancelled when it passes).
  The messages go through the engine's own chat formatting like every prompt, so the
  turn markers are the model's control tokens, never text the user could type. For the
  hybrid (cloud) engine, the cloud is sent the question stripped of the case's
  identifiers, as the answer prompt is. A failure is returned, never raised: the
  consult then searches with the question as typed.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from loguru import logger

from medassist_desktop.core.inference.deidentify import PatientIdentifiers, strip_case_identifiers
from medassist_desktop.core.inference.hybrid import HybridEngine
from medassist_desktop.core.inference.interface import (
    ChatMessage,
    GenerationParams,
    InferenceEngine,
)
from medassist_desktop.errors import KnownError, new_error_id

_log = logger.bind(area="consult")

TRANSLATE_INSTRUCTION = (
    "Translate the health worker's question into English. Reply with the English "
    "question only: no answer, no notes. Keep drug names, numbers and units as written."
)
_ECHO_PREFIX = TRANSLATE_INSTRUCTION[:40].casefold()
# A question is at most a few dozen words; 96 tokens leave room for a long one and
# bound the time a runaway reply can take.
TRANSLATION_MAX_TOKENS = 96
TRANSLATION_TIMEOUT_S = 20.0

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# The commonest function words of questions (no clinical terms: those are often shared).


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ENGLISH_WORDS = _words(
    "the a an is are was what which how when why who should can do does for with of to in "
    "on and or my his her this that there have has give i we you it be not"
)
_OTHER_WORDS = _words(
    # Indonesian
    "yang dan untuk dengan apa apakah berapa bagaimana kapan mengapa siapa ini itu pada "
    "dari ke di tidak bisa harus adalah anak ibu bayi saya kami jika bila sudah belum "
    "atau juga obat dosis sakit demam berikan diberikan perlu tanda gejala "
    # Vietnamese typed without diacritics
    "la cua va cho khi nao gi bao nhieu nhu tre em benh nhan thuoc lieu co khong "
    "phai lam sao duoc bi"
)


def needs_translation(question: str, language: str) -> bool:
    """Whether `question`, asked by a health worker using `language`, is not English."""
    return language != "en" and _looks_foreign(question)


def _looks_foreign(question: str) -> bool:
    letters = [c for c in question if c.isalpha()]
    if any(not c.isascii() for c in letters):
        return True
    words = [w.casefold() for w in _WORD.findall(question)]
    other = sum(w in _OTHER_WORDS for w in words)
    english = sum(w in _ENGLISH_WORDS for w in words)
    return other > english


@dataclass(frozen=True)
class QuestionTranslation:
    """The English rendering (`text`), or why there is none (`failure`), and its time."""

    text: str | None
    ms: float
    failure: str | None = None
    tokens: int = 0


def translation_messages(question: str) -> list[ChatMessage]:
    return [
        ChatMessage("system", TRANSLATE_INSTRUCTION),
        ChatMessage("user", " ".join(question.split())),
    ]


def clean_translation(reply: str, question: str) -> str:
    """The first line of the reply, without quotes or an "English:" label; "" if unusable.

    Unusable: empty, far longer than the question (an answer or a ramble), the
    instruction repeated back (what a base model does), or not English (the question
    copied, or another language).
    """
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    text = re.sub(r"^(english( translation)?|translation)\s*:\s*", "", lines[0], flags=re.I)
    text = text.strip().strip("\"'“”").strip()
    echoed = _ECHO_PREFIX in text.casefold()
    too_long = len(text) > 3 * len(question) + 40
    if not text or echoed or too_long or _looks_foreign(text):
        return ""
    return text


def translate_question(
    engine: InferenceEngine,
    question: str,
    *,
    identifiers: PatientIdentifiers | None = None,
    max_tokens: int = TRANSLATION_MAX_TOKENS,
    timeout_s: float = TRANSLATION_TIMEOUT_S,
) -> QuestionTranslation:
    """Blocking: `question` in English, by `engine`; a failure is returned, never raised."""
    params = GenerationParams(
        max_tokens=max_tokens, temperature=0.0, repeat_penalty=1.0, logprobs=False
    )
    messages = translation_messages(question)
    started = time.perf_counter()
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        engine.cancel()

    timer = threading.Timer(timeout_s, stop)
    timer.daemon = True
    timer.start()
    try:
        if isinstance(engine, HybridEngine):
            ids = identifiers or PatientIdentifiers()
            cloud = translation_messages(strip_case_identifiers(question, ids))
            result = engine.generate(
                messages,
                params,
                cloud_messages=cloud,
                patient_names=ids.names,
                patient_ids=ids.ids,
            )
        else:
            result = engine.generate(messages, params)
    except KnownError as exc:
        return QuestionTranslation(None, _ms_since(started), failure=exc.message)
    except Exception as exc:  # noqa: BLE001 - a bug in an engine must not stop the consult
        error_id = new_error_id()
        _log.opt(exception=exc).error("Translating the question failed ({})", error_id)
        return QuestionTranslation(
            None, _ms_since(started), failure=f"unexpected error, id {error_id}"
        )
    finally:
        timer.cancel()
    ms = _ms_since(started)
    if timed_out.is_set():
        return QuestionTranslation(None, ms, failure=f"no reply within {timeout_s:g} s")
    if result.cancelled:
        return QuestionTranslation(None, ms, failure="cancelled")
    text = clean_translation(result.text, question)
    if not text:
        return QuestionTranslation(
            None, ms, failure="the reply was not an English question", tokens=result.tokens
        )
    return QuestionTranslation(text, ms, tokens=result.tokens)


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


__all__ = [
    "TRANSLATE_INSTRUCTION",
    "TRANSLATION_MAX_TOKENS",
    "TRANSLATION_TIMEOUT_S",
    "QuestionTranslation",
    "clean_translation",
    "needs_translation",
    "translate_question",
    "translation_messages",
]
