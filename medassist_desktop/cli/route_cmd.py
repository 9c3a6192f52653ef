"""`medassist route`: which intent a question has (semantic router, keyword fallback).

    medassist route "what is the dose of amoxicillin" --json
    medassist route --batch questions.txt --json     (one question per line; '-' is stdin)

The embedding model is loaded once per run. If it cannot be loaded, the keyword
router answers and a note on stderr says why. With --batch, each input line gives
one JSON object on its own line (JSON Lines), in the same order, with the question
under "query"; without --json, one line of text per question.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.config import load_settings
from medassist_desktop.config.paths import environ_snapshot
from medassist_desktop.core.knowledge.embeddings import SentenceEmbedder
from medassist_desktop.core.routing import OUT_OF_SCOPE_REFUSAL, IntentRouter, RouteResult
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import FALLBACK_LANGUAGE, N_, translate

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext


class RouteInputError(KnownError):
    """The questions to route are missing or cannot be read."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "route",
        "the intent of a question (emergency, symptoms, medication, patient_history, "
        "guideline, out_of_scope) with its confidence",
        Command(run=_route, needs_context=False),
    )
    parser.add_argument("text", nargs="?", help="the question")
    parser.add_argument(
        "--batch", metavar="FILE", help="route each line of FILE ('-': stdin) instead"
    )
    parser.add_argument(
        "--keyword", action="store_true", help="use the keyword router only (no model)"
    )


def _route(args: argparse.Namespace, _context: AppContext | None) -> int:
    if (args.text is None) == (args.batch is None):
        raise RouteInputError(
            N_("Give one question, or --batch FILE, but not both."),
            hint=N_('Example: medassist route "dose of paracetamol for a 10 kg child" --json'),
        )
    questions = [args.text] if args.batch is None else _read_lines(args.batch)
    router = _build_router(keyword_only=args.keyword)

    if args.batch is None:
        result = router.route(questions[0])
        if args.json:
            print_json(result.as_dict())
        else:
            print(_describe(result, getattr(args, "language", FALLBACK_LANGUAGE)))
        return 0
    for question, result in zip(questions, router.route_many(questions), strict=True):
        if args.json:
            line: dict[str, Any] = {"query": question, **result.as_dict()}
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(f"{result.intent.value}\t{result.confidence:.2f}\t{question}\n")
    sys.stdout.flush()
    return 0


def _build_router(*, keyword_only: bool) -> IntentRouter:
    if keyword_only:
        return IntentRouter(None)
    settings = load_settings(environ_snapshot()).settings
    router = IntentRouter(SentenceEmbedder.from_settings(settings))
    try:
        router.warm_up()
    except KnownError as exc:
        print(f"medassist: note: using the keyword router ({exc})", file=sys.stderr)
    return router


def _read_lines(source: str) -> list[str]:
    where = "standard input" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise RouteInputError(
            N_("Cannot read {where} ({value}).", where=where, value=exc.strerror or exc)
        ) from exc
    except UnicodeDecodeError as exc:
        raise RouteInputError(N_("{where} is not UTF-8 text.", where=where)) from exc
    return text.splitlines()


def _describe(result: RouteResult, language: str = FALLBACK_LANGUAGE) -> str:
    lines = [f"{result.intent.value} ({result.confidence:.0%}, {result.method})"]
    lines.extend(f"  {alt.intent.value}: {alt.confidence:.0%}" for alt in result.alternatives)
    if result.is_out_of_scope:
        lines.append(translate(OUT_OF_SCOPE_REFUSAL, language))
    return "\n".join(lines)
