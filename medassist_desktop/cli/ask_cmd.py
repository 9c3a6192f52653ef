"""`medassist ask "question" [--case FILE|-]`: one consult, as the app would answer it.

Triage (when a case is given), routing, retrieval from the reference library, the
local model (or the rules-only answer when it cannot be used), confidence, and an
audit entry in the encrypted database: so `medassist init` must have been run.
Without --json the answer is streamed as it is written, followed by its sources;
the engine, confidence and timing go to stderr. With --json one answer object.

Passages come from the encrypted knowledge base (the first consult imports the
starter library into it). Ctrl-C stops the answer; the stopped consult is still audited.
The user signs in with `--as USER` (any role; the password is the first line on stdin),
and the consult's audit entry names them.

`medassist ask -` reads the question from stdin (to the end), so a question that names
a patient does not appear in the process list or the shell history: the password is
the first line and the question the rest.
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import TYPE_CHECKING, Any

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import (
    add_acting_user,
    open_app,
    require_context,
    secrets_reader,
    sign_in_user,
)
from medassist_desktop.cli.triage_cmd import TriageFileError, read_cases
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext
    from medassist_desktop.core.assistant.answer import ConsultAnswer
    from medassist_desktop.services.consult import ConsultService

EXIT_INTERRUPTED = 130


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "ask",
        "ask a clinical question (optionally about a case): triage, cited answer, confidence",
        Command(run=_ask),
    )
    parser.add_argument(
        "question", help="the question ('-': read it from stdin, after any password line)"
    )
    parser.add_argument(
        "--case",
        metavar="FILE",
        help=(
            "the patient as one triage case object in JSON ('-': stdin); see `medassist "
            "triage`. It may carry name, patient_id and carers: they are never sent anywhere "
            "and are stripped from what a cloud endpoint receives"
        ),
    )
    parser.add_argument("--max-tokens", type=int, default=None, help="longest answer, in tokens")
    parser.add_argument(
        "--keyword-only",
        action="store_true",
        help="no embedding model: keyword routing and keyword search only",
    )
    add_acting_user(parser)


def _ask(args: argparse.Namespace, context: AppContext | None) -> int:
    context = require_context(context)
    if args.question == "-" and args.case == "-":
        raise KnownError(
            N_("The question and the case cannot both come from stdin."),
            hint=N_("Give the case as a file: --case FILE."),
        )
    password = secrets_reader().read(f"Password of {args.acting_user}")  # stdin line 1
    case = _read_case(args.case) if args.case else None
    if args.max_tokens is not None and not 1 <= args.max_tokens <= 8192:
        raise KnownError(N_("--max-tokens must be from 1 to 8192."))
    question = _read_question() if args.question == "-" else args.question
    with open_app(context, keyword_only=args.keyword_only) as app:
        security = app.security
        session = sign_in_user(security, args, password)
        security.authorize_user(session, "consult.ask")
        app.knowledge().prepare()  # first use: the starter library; then vectors a model lacks
        service = app.consult()
        service.warm_up()
        answer = _run(service, args, question, case, session.user_id)
    _report(answer, as_json=args.json, context=context)
    return EXIT_INTERRUPTED if answer.cancelled else 0


def _read_case(source: str) -> dict[str, Any]:
    """The case, checked before anything is loaded (a typing error fails in a second)."""
    from medassist_desktop.core.inference.deidentify import split_case
    from medassist_desktop.core.triage import parse_case

    data = read_cases(source)
    if not isinstance(data, dict):
        raise TriageFileError(
            N_("--case takes one case object ({...}), not an array."),
            hint=N_("Triage several cases with `medassist triage FILE`."),
        )
    parse_case(split_case(data)[0])
    return data


def _read_question() -> str:
    """The question from stdin: what is left of it (a password line was read before)."""
    question = sys.stdin.read().strip()
    if not question:
        raise KnownError(
            N_("No question came on stdin."), hint=N_('Example: echo "ORS dose?" | ask -')
        )
    return question


def _run(
    service: ConsultService,
    args: argparse.Namespace,
    question: str,
    case: dict[str, Any] | None,
    actor_id: int,
) -> ConsultAnswer:
    """Ask on this thread (the database's); Ctrl-C stops the answer, which is still audited."""
    stream = not args.json

    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    def discarded(note: str) -> None:
        write(f"\n--- {note} ---\n")

    def interrupted(_signum: int, _frame: object) -> None:
        service.cancel()

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        return service.ask(
            question,
            case,
            actor_id=actor_id,
            origin="cli",
            max_tokens=args.max_tokens,
            on_token=write if stream else None,
            on_discard=discarded if stream else None,
        )
    finally:
        signal.signal(signal.SIGINT, previous)


def _report(answer: ConsultAnswer, *, as_json: bool, context: AppContext) -> None:
    if as_json:
        print_json(answer.to_dict())
        return
    if answer.citations:
        print("\n\nSources:")
        for citation in answer.citations:
            where = " > ".join(p for p in (citation.title, citation.section) if p)
            page = f", p. {citation.page}" if citation.page is not None else ""
            mark = "" if citation.cited else " (not cited)"
            print(f"  [{citation.n}] {where}{page} ({citation.source}){mark}")
    else:
        print()
    sys.stdout.flush()
    confidence = answer.confidence
    engine = answer.engine + (f" ({answer.model})" if answer.model else "")
    reasons = f": {'; '.join(confidence.reasons)}" if confidence.reasons else ""
    flags = "".join(
        f", {flag}" for flag, on in (("cached", answer.cached), ("stopped", answer.cancelled)) if on
    )
    print(
        f"[engine {engine}; confidence {confidence.level}{reasons}; "
        f"{answer.latency_ms:.0f} ms{flags}]",
        file=sys.stderr,
    )
    for note in answer.notes:
        print(f"medassist: note: {note}", file=sys.stderr)
    for capability, degradation in sorted(context.degradation.snapshot().items()):
        print(f"medassist: note: {capability} degraded: {degradation.reason}", file=sys.stderr)
