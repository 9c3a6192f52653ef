"""Parsing imported files in a child process with a memory and a time limit.

Why: the process that imports holds the database key and, in the app, the open
window. Parsers read files anyone may have written (a PDF from a memory stick, a
Markdown file from a shared folder); a file built to make a parser allocate gigabytes
or loop for ever must cost one refused file, not the app. The child gets an address-
space limit (`resource.RLIMIT_AS`, POSIX; Windows has no such call, only the time
limit applies there) and each file a deadline; when either is hit the child is killed
or fails alone, the file is refused with the reason, and a fresh child reads the next.

The child is started once per import (the "spawn" method: a new interpreter that
imports only the parsers, never the key, the database or torch) and reads every file
of the batch, so the start-up cost (about half a second) is paid once per import.
Only bytes already read and size-checked by the parent go in, and a `Document` (or the
refusal's message) comes back.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any

from loguru import logger

from medassist_desktop.core.knowledge.decoding import RawFile
from medassist_desktop.core.knowledge.documents import Document, DocumentFormat, IngestError
from medassist_desktop.errors import KnownError, new_error_id
from medassist_desktop.i18n.catalogue import N_

_log = logger.bind(area="knowledge")

PARSE_MEMORY_MB = 1024  # address space of the child: far above a 50 MB PDF's needs
PARSE_TIMEOUT_S = 120.0  # per file; a large PDF takes seconds on a slow laptop

Parser = Callable[[RawFile, DocumentFormat], Document]


class ParseLimitError(IngestError):
    """A file needed more memory or time to parse than an import allows."""


def _limit_memory(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the time limit still applies
        return
    limit = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(conn: Connection, memory_mb: int) -> None:
    """The child's loop: (parser, raw, format) in, ("ok", Document) or a refusal out."""
    _limit_memory(memory_mb)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        parser, raw, fmt = job
        reply: tuple[str, Any]
        try:
            reply = ("ok", parser(raw, fmt))
        except MemoryError:
            reply = ("memory", None)
        except IngestError as exc:
            reply = ("ingest", (exc.reason, exc.hint_id))
        except KnownError as exc:
            reply = ("known", (exc.message_id, exc.hint_id))
        except Exception:  # noqa: BLE001 - any bug goes back to the parent, which logs it
            reply = ("bug", traceback.format_exc())
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", None))


class IsolatedParser:
    """Parses files in one child process at a time; use as a context manager.

    Not thread-safe: one import (one thread) owns an instance.
    """

    def __init__(
        self,
        parser: Parser,
        *,
        memory_mb: int = PARSE_MEMORY_MB,
        timeout_s: float = PARSE_TIMEOUT_S,
    ) -> None:
        self._parser = parser
        self.memory_mb = memory_mb
        self.timeout_s = timeout_s
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def __enter__(self) -> IsolatedParser:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def parse(self, raw: RawFile, fmt: DocumentFormat) -> Document:
        """The document; IngestError when the file is refused or exceeds a limit."""
        conn = self._child()
        conn.send((self._parser, raw, fmt))
        if not conn.poll(self.timeout_s):
            self._kill()
            raise ParseLimitError(
                raw.path,
                N_(
                    "reading it took longer than {seconds:g} seconds; it was stopped.",
                    seconds=self.timeout_s,
                ),
                hint=N_("The file may be damaged or built to hang a reader; check its source."),
            )
        try:
            status, payload = conn.recv()
        except (EOFError, OSError):  # the child died: killed for memory, or crashed
            self._kill()
            raise ParseLimitError(
                raw.path,
                N_(
                    "the reader stopped while reading it (it may need more memory than the "
                    "{megabytes} MB allowed).",
                    megabytes=self.memory_mb,
                ),
                hint=N_("The file may be damaged or built to exhaust memory; check its source."),
            ) from None
        if status == "ok":
            document: Document = payload
            return document
        if status == "memory":
            self._kill()  # a child that ran out of memory is not trusted with the next file
            raise ParseLimitError(
                raw.path,
                N_(
                    "reading it needs more than the {megabytes} MB of memory allowed.",
                    megabytes=self.memory_mb,
                ),
                hint=N_("The file may be damaged or built to exhaust memory; check its source."),
            )
        if status == "ingest":
            reason, hint = payload
            raise IngestError(raw.path, reason, hint=hint)
        if status == "known":
            message, hint = payload
            raise KnownError(message, hint=hint)
        error_id = new_error_id()
        _log.error("Unexpected error parsing {} (error id {}):\n{}", raw.path, error_id, payload)
        raise IngestError(
            raw.path,
            N_("unexpected error while reading it (error id {error_id}).", error_id=error_id),
        )

    def close(self) -> None:
        """Stop the child (it exits at once when told; killed if it does not)."""
        conn, process = self._conn, self._process
        self._conn = self._process = None
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):  # the child is gone already
                conn.send(None)
            conn.close()
        if process is not None:
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
                process.join()

    def _child(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        self._kill()
        context = multiprocessing.get_context("spawn")
        parent_end, child_end = context.Pipe()
        process = context.Process(
            target=_serve,
            args=(child_end, self.memory_mb),
            name="medassist-parse",
            daemon=True,
        )
        process.start()
        child_end.close()
        self._process, self._conn = process, parent_end
        return parent_end

    def _kill(self) -> None:
        conn, process = self._conn, self._process
        self._conn = self._process = None
        if process is not None and process.is_alive():
            process.kill()
        if process is not None:
            process.join()
        if conn is not None:
            conn.close()


__all__ = ["PARSE_MEMORY_MB", "PARSE_TIMEOUT_S", "IsolatedParser", "ParseLimitError", "Parser"]
