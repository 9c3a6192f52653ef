"""`medassist ask "question" [--case FILE|-]`: one consult, as the app would answer it.

Triage (when a case is given), routing, retrieval from the reference library, the
local model (or the rules-only answer when it cannot be used), confidence, and an
audit entry in the encrypted database: so `medassist init` must have been run.
Without --json the answer is streamed as it is written, followed by its sources;
the engine, confidence and timing go to stderr. With --json one answer object.

Passages come from the encrypted knowledge base (`KnowledgeService`; the starter
library is imported on its first use).
Ctrl-C stops the answer; the stopped consult is still audited.
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import TYPE_CHECKING, Any

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import open_services, require_context
from medassist_desktop.cli.triage_cmd import TriageFileError, read_cases
from medassist_desktop.errors import KnownError

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
    parser.add_argument("question", help="the question")
    parser.add_argument(
        "--case",
        metavar="FILE",
        help="the patient as one triage case object in JSON ('-': stdin); see `medassist triage`",
    )
    parser.add_argument("--max-tokens", type=int, default=None, help="longest answer, in tokens")
    parser.add_argument(
        "--keyword-only",
        action="store_true",
        help="no embedding model: keyword routing and keyword search only",
    )


def _ask(args: argparse.Namespace, context: AppContext | None) -> int:
    context = require_context(context)
    case = _read_case(args.case) if args.case else None
    if args.max_tokens is not None and not 1 <= args.max_tokens <= 8192:
        raise KnownError("--max-tokens must be from 1 to 8192.")
    from medassist_desktop.services.consult import build_consult_service
    from medassist_desktop.services.knowledge import KnowledgeService

    with open_services(context) as security:
        knowledge = KnowledgeService.from_security(
            security,
            context.settings,
            degradation=context.degradation,
            use_embeddings=not args.keyword_only,
        )
        knowledge.prepare()  # first use: the starter library; then vectors a model lacks
        service = build_consult_service(
            context.settings,
            context.paths,
            security.audit_log,
            degradation=context.degradation,
            keyword_only=args.keyword_only,
            secrets=security.clinic_secrets(),
            retriever=knowledge.retriever,
            embedder=knowledge.embedder,
        )
        try:
            service.warm_up()
            answer = _run(service, args, case)
        finally:
            service.close()
    _report(answer, as_json=args.json, context=context)
    return EXIT_INTERRUPTED if answer.cancelled else 0


def _read_case(source: str) -> dict[str, Any]:
    """The case, checked before anything is loaded (a typing error fails in a second)."""
    from medassist_desktop.core.triage import parse_case

    data = read_cases(source)
    if not isinstance(data, dict):
        raise TriageFileError(
            "--case takes one case object ({...}), not an array.",
            hint="Triage several cases with `medassist triage FILE`.",
        )
    parse_case(data)
    return data


def _run(
    service: ConsultService, args: argparse.Namespace, case: dict[str, Any] | None
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
            args.question,
            case,
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
