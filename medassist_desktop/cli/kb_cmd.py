"""`medassist kb import|list|remove|search|reembed`: the knowledge base from a terminal.

    medassist kb import guidelines/ extra.pdf --as ADMIN --json   (admin password on stdin)
    medassist kb list --json
    medassist kb remove DOC --as ADMIN
    medassist kb search "dose of zinc for a child with diarrhoea" -k 5 --json
    medassist kb search --batch questions.txt -k 5 --json   (one JSON list per line)
    medassist kb reembed --as ADMIN --json

Who: `import`, `remove` and `reembed` change what every answer rests on (`reembed`
loads the configured embedding model and writes vectors every search then ranks by):
an admin signs in with `--as` (password on stdin) and the change is audited. `list`
and `search` need no sign-in: whoever can open the database may read the shared
reference library. The first `import` or `search` on a new database imports the starter
library first (setting `kb_starter_library`), with its progress on stderr.

Progress lines go to stderr; stdout holds the result (one JSON document with --json).
`import` exits 1 when any file failed (the summary still lists every file).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import (
    add_acting_admin,
    open_app,
    secrets_reader,
    sign_in_admin,
)
from medassist_desktop.core.knowledge.importer import ImportOutcome, ImportProgress, ImportSummary
from medassist_desktop.core.knowledge.passages import Passage, RetrievalResult
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext
    from medassist_desktop.services.knowledge import KnowledgeService
    from medassist_desktop.services.security import SecurityServices

MAX_K = 100


class KbInputError(KnownError):
    """The command line or the questions file cannot be used."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kb = subparsers.add_parser(
        "kb",
        help="the knowledge base (import, list, remove, search)",
        description="The encrypted knowledge base the assistant's answers rest on.",
    )
    actions = kb.add_subparsers(dest="kb_command", required=True, metavar="ACTION")
    imp = add_command(
        actions,
        "import",
        "import files and folders (.txt .md .html .pdf); admin, password on stdin",
        Command(run=_import),
    )
    imp.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    imp.add_argument(
        "--starter",
        action="store_true",
        help="(re-)import the starter library shipped with MedAssist",
    )
    add_acting_admin(imp)
    add_command(actions, "list", "list the documents", Command(run=_list))
    remove = add_command(
        actions, "remove", "remove a document (by doc_id or path); admin", Command(run=_remove)
    )
    remove.add_argument("document", metavar="DOC")
    add_acting_admin(remove)
    search = add_command(
        actions,
        "search",
        "the passages that answer a question (hybrid keyword + vector search)",
        Command(run=_search),
    )
    search.add_argument("query", nargs="?", help="the question")
    search.add_argument("--batch", metavar="FILE", help="one question per line ('-': stdin)")
    search.add_argument("-k", type=int, default=5, help="passages per question (default 5)")
    search.add_argument(
        "--keyword", action="store_true", help="keyword search only (no embedding model)"
    )
    reembed = add_command(
        actions,
        "reembed",
        "embed passages that lack vectors of the current embedding model (admin)",
        Command(run=_reembed),
    )
    add_acting_admin(reembed)


# -- plumbing ------------------------------------------------------------------------------


@contextmanager
def _knowledge(
    context: AppContext | None, *, use_embeddings: bool = True
) -> Iterator[tuple[SecurityServices, KnowledgeService]]:
    with open_app(context, keyword_only=not use_embeddings) as app:
        yield app.security, app.knowledge()


def _progress(progress: ImportProgress) -> None:
    verb = "embedded" if progress.stage == "embed" else progress.outcome
    sys.stderr.write(
        f"[{progress.done:>5}/{progress.total:<5} {progress.percent:5.1f}%] {verb:<9} "
        f"{progress.item}\n"
    )
    sys.stderr.flush()


def _first_run(knowledge: KnowledgeService) -> None:
    if knowledge.needs_starter_library():
        sys.stderr.write("medassist: importing the starter library (first use)\n")
        knowledge.import_starter_library(on_progress=_progress, cancel=threading.Event())


# -- commands ------------------------------------------------------------------------------


def _import(args: argparse.Namespace, context: AppContext | None) -> int:
    if not args.paths and not args.starter:
        raise KbInputError(N_("Name the files or folders to import (or --starter)."))
    reader = secrets_reader()
    with _knowledge(context) as (services, knowledge):
        session = sign_in_admin(services, args, reader)
        summaries: list[ImportSummary] = []
        if args.starter:
            starter = knowledge.import_starter_library(session, force=True, on_progress=_progress)
            assert starter is not None
            summaries.append(starter)
        else:
            _first_run(knowledge)
        if args.paths:
            summaries.append(knowledge.import_paths(session, args.paths, on_progress=_progress))
        services.accounts.logout(session)
    summary = _merge(summaries)
    if args.json:
        print_json(summary.to_dict())
    else:
        _print_summary(summary)
    return 1 if summary.of(ImportOutcome.FAILED) else 0


def _merge(summaries: list[ImportSummary]) -> ImportSummary:
    merged = ImportSummary()
    for summary in summaries:
        merged.total += summary.total
        merged.results.extend(summary.results)
        merged.cancelled |= summary.cancelled
        merged.not_processed.extend(summary.not_processed)
        merged.embedding_error = merged.embedding_error or summary.embedding_error
        merged.reembedded_chunks += summary.reembedded_chunks
    return merged


def _print_summary(summary: ImportSummary) -> None:
    counts = ", ".join(f"{len(summary.of(o))} {o.value}" for o in ImportOutcome)
    print(f"{summary.total} file(s): {counts}")
    for result in summary.results:
        if result.outcome in (ImportOutcome.FAILED, ImportOutcome.SKIPPED):
            print(f"  {result.outcome.value}: {result.message}")
        elif result.message:
            print(f"  {result.outcome.value}: {result.path.name}: {result.message}")
    if summary.embedding_error:
        print(
            f"Note: stored without embeddings ({summary.embedding_error}); keyword search "
            "finds them now, `medassist kb reembed` adds vectors once the model works."
        )


def _list(args: argparse.Namespace, context: AppContext | None) -> int:
    with _knowledge(context) as (_services, knowledge):
        documents = knowledge.list_documents()
        status = knowledge.status()
    if args.json:
        print_json({**status, "documents": [d.to_dict() for d in documents]})
        return 0
    for info in documents:
        doc = info.document
        state = "needs embedding" if info.needs_embedding else "ready"
        print(f"{doc.doc_id:<40} {doc.chunk_count:>4} chunks  {state:<15} {doc.title}")
        print(f"{'':<40} {doc.source}")
    print(f"{status['documents']} document(s), {status['chunks']} chunk(s)")
    return 0


def _remove(args: argparse.Namespace, context: AppContext | None) -> int:
    with _knowledge(context, use_embeddings=False) as (services, knowledge):
        session = sign_in_admin(services, args, secrets_reader())
        document = knowledge.remove_document(session, args.document)
        services.accounts.logout(session)
    if args.json:
        print_json({"removed": document.to_dict()})
    else:
        print(f"Removed {document.doc_id} ({document.title})")
    return 0


def _search(args: argparse.Namespace, context: AppContext | None) -> int:
    if (args.query is None) == (args.batch is None):
        raise KbInputError(
            N_("Give one question, or --batch FILE, but not both."),
            hint=N_('Example: medassist kb search "zinc dose for a child with diarrhoea" --json'),
        )
    if not 1 <= args.k <= MAX_K:
        raise KbInputError(N_("-k must be from 1 to {max_k}.", max_k=MAX_K))
    queries = [args.query] if args.batch is None else _read_lines(args.batch)
    with _knowledge(context, use_embeddings=not args.keyword) as (_services, knowledge):
        _first_run(knowledge)
        if args.batch is None:
            results = [knowledge.search(queries[0], args.k)]
        else:
            results = knowledge.search_many(queries, args.k)
    if results and results[0].degraded_reason and not args.keyword:
        sys.stderr.write(f"medassist: note: keyword search only ({results[0].degraded_reason})\n")
    if args.batch is None:
        if args.json:
            print_json([passage_dict(p) for p in results[0].passages])
        else:
            _print_passages(results[0])
        return 0
    for query, result in zip(queries, results, strict=True):
        if args.json:
            line = json.dumps([passage_dict(p) for p in result.passages], ensure_ascii=False)
            sys.stdout.write(line + "\n")
        else:
            sys.stdout.write(f"# {query}\n")
            _print_passages(result)
    sys.stdout.flush()
    return 0


def passage_dict(passage: Passage) -> dict[str, Any]:
    """The JSON of one passage: doc_id, title, source, section, page, text, score, similarity
    (and chunk_id and the two ranks)."""
    data = passage.to_dict()
    data["score"] = round(passage.score, 6)
    if passage.similarity is not None:
        data["similarity"] = round(passage.similarity, 4)
    return data


def _print_passages(result: RetrievalResult) -> None:
    if not result.passages:
        print("(no passage found)")
    for rank, passage in enumerate(result.passages, start=1):
        where = passage.section or passage.title
        page = f", page {passage.page}" if passage.page is not None else ""
        similarity = "" if passage.similarity is None else f", similarity {passage.similarity:.2f}"
        print(f"{rank}. {where}{page}  [{passage.doc_id}{similarity}]")
        print(f"   {passage.source}")
        for line in passage.text.splitlines():
            print(f"   {line}")


def _reembed(args: argparse.Namespace, context: AppContext | None) -> int:
    with _knowledge(context) as (services, knowledge):
        session = sign_in_admin(services, args, secrets_reader())
        summary = knowledge.reembed(session, on_progress=_progress)
        services.accounts.logout(session)
    if args.json:
        print_json(summary.to_dict())
    else:
        print(
            f"Embedded {summary.embedded} chunk(s) of {summary.documents} document(s) with "
            f"{summary.model_id}; {summary.remaining} still without vectors."
        )
    if summary.error:
        sys.stderr.write(f"medassist: the embedding model cannot be used: {summary.error}\n")
        return 1
    return 0


def _read_lines(source: str) -> list[str]:
    where = "standard input" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise KbInputError(
            N_("Cannot read {where} ({value}).", where=where, value=exc.strerror or exc)
        ) from exc
    except UnicodeDecodeError as exc:
        raise KbInputError(N_("{where} is not UTF-8 text.", where=where)) from exc
    return text.splitlines()
