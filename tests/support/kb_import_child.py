"""A knowledge import to be killed: `python -m tests.support.kb_import_child DB KEYHEX PATH...`.

Imports the files without an embedding model (no torch: the child starts fast). Once one
document has been stored, the next document's write transaction is paused from inside
(SQLite's progress handler runs during its statements), "IN_TRANSACTION" is printed, and
the child waits there to be SIGKILLed, like a power cut in the middle of a replacement.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from medassist_desktop.core.knowledge.chunking import Chunker
from medassist_desktop.core.knowledge.importer import ImportProgress, KnowledgeImporter
from medassist_desktop.core.knowledge.store import KnowledgeStore
from medassist_desktop.core.knowledge.tokens import default_token_counter
from medassist_desktop.storage.database import Database

ROWS_BEFORE_PAUSE = 3  # rows changed in the paused transaction: the old document is gone


def say(line: str) -> None:
    print(line, flush=True)


def main() -> None:
    db_path, key_hex, *files = sys.argv[1:]
    db = Database.open(Path(db_path), bytes.fromhex(key_hex))
    baseline: int | None = None  # rows changed when the first document was committed

    def on_progress(progress: ImportProgress) -> None:
        nonlocal baseline
        say(f"{progress.outcome.upper()} {progress.item}")
        if progress.outcome in ("imported", "replaced") and baseline is None:
            baseline = db.connection.total_changes

    def handler() -> int:
        conn = db.connection
        if (
            baseline is not None
            and conn.in_transaction
            and conn.total_changes - baseline >= ROWS_BEFORE_PAUSE
        ):
            say("IN_TRANSACTION")
            time.sleep(600)
        return 0

    db.connection.set_progress_handler(handler, 4)
    importer = KnowledgeImporter(KnowledgeStore(db), Chunker(default_token_counter()), None)
    importer.import_files([Path(f) for f in files], on_progress=on_progress)
    say("DONE")


if __name__ == "__main__":
    main()
