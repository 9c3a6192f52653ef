"""A connection per thread: the sync thread writes while the owner's connection reads."""

from __future__ import annotations

import threading
from pathlib import Path

from medassist_desktop.core.sync import outbox
from medassist_desktop.storage.connections import PerThreadDatabase
from tests.support.databases import open_app_db


def test_each_thread_gets_its_own_connection(tmp_path: Path) -> None:
    with open_app_db(tmp_path / "m.db") as owner:
        provider = PerThreadDatabase(owner.open_again)
        seen: list[object] = []
        errors: list[BaseException] = []

        def work(n: int) -> None:
            try:
                with provider.transaction() as conn:
                    outbox.enqueue_change(conn, f"case:kh-01:{n}", "case", {"n": n})
                seen.append(provider.database())
                assert provider.database() is seen[-1]  # reused on the same thread
                provider.close()
            except BaseException as exc:  # reported to the main thread
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert len({id(db) for db in seen}) == 3 and all(db is not owner for db in seen)
        with owner.transaction() as conn:
            assert outbox.pending_count(conn) == 3
